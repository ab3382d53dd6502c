-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 15: the delivery figures kept a day at a time,
-- so that a 90-day period reads some hundred rows, not its deployments.
--
-- figure_days holds, for a project's deployment stage, a kind of figure, an
-- environment and a UTC day (YYYY-MM-DD), what that day adds to the figures
-- (model-figures.c encodes it): kind 1 the deployments executed that day
-- (successes and failures each quarter of an hour, lead times and approval
-- waits), kind 2 the incidents opened that day (their environment is the
-- failed deployment's, '' without one: opened, restored and the times to
-- restore), kind 3 the deployments planned that day (a count by status).
--
-- The triggers below mark a day whose rows changed in figure_dirty, in the
-- same statement as the change, whoever makes it; deploydesk rebuilds the
-- marked days before it commits, and a reader takes a marked day from the
-- deployments themselves. So a figure never depends on a day kept stale.

-- A period is a range of days of one stage and kind: the key puts them
-- side by side, every environment of a day together. The stats of a busy
-- day take a few kilobytes: a table with rowids keeps them whole in its
-- pages, where a WITHOUT ROWID one would spill each into overflow pages.
CREATE TABLE figure_days (
    stage_id    TEXT NOT NULL,
    kind        INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    day         TEXT NOT NULL,
    environment TEXT NOT NULL,
    stats       BLOB NOT NULL,
    PRIMARY KEY (stage_id, kind, day, environment)
);

CREATE TABLE figure_dirty (
    stage_id    TEXT NOT NULL,
    kind        INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    day         TEXT NOT NULL,
    environment TEXT NOT NULL,
    PRIMARY KEY (stage_id, kind, day, environment)
) WITHOUT ROWID;

-- The days a row of tasks counts in, a kind at a time.
CREATE VIEW figure_keys AS
SELECT id, stage_id, 1 AS kind, environment, substr(executed_at, 1, 10) AS day
FROM tasks WHERE type = 'DEPLOIEMENT' AND executed_at IS NOT NULL
    AND status IN ('TERMINEE', 'ECHEC')
UNION ALL
SELECT id, stage_id, 3, environment, substr(planned_at, 1, 10)
FROM tasks WHERE type = 'DEPLOIEMENT' AND planned_at IS NOT NULL
UNION ALL
SELECT t.id, t.stage_id, 2,
       coalesce((SELECT d.environment FROM tasks d WHERE d.id = t.source_task), ''),
       substr(t.created_at, 1, 10)
FROM tasks t WHERE t.type = 'INCIDENT';

-- A row's days are marked as it was (before a change or a removal) and as
-- it is (after an insertion or a change), with those of the incidents its
-- failure opened (they count in its environment; the view is read by id,
-- which SQLite takes into each of its parts, and a list of ids would make
-- it read every task). An incident is restored by the
-- incident.set that makes its status TERMINEE (that record's time is its
-- end): every incident.set changes the status, so its day is marked.
CREATE TRIGGER figure_insert AFTER INSERT ON tasks
BEGIN
    INSERT OR IGNORE INTO figure_dirty (stage_id, kind, environment, day)
    SELECT stage_id, kind, environment, day FROM figure_keys WHERE id = NEW.id;
END;

CREATE TRIGGER figure_update_before BEFORE UPDATE OF stage_id, type, status,
    environment, planned_at, authorized_at, executed_at, created_at,
    source_task ON tasks
BEGIN
    INSERT OR IGNORE INTO figure_dirty (stage_id, kind, environment, day)
    SELECT stage_id, kind, environment, day FROM figure_keys WHERE id = OLD.id
    UNION ALL
    SELECT i.stage_id, 2, coalesce(OLD.environment, ''), substr(i.created_at, 1, 10)
    FROM tasks i WHERE i.source_task = OLD.id AND i.type = 'INCIDENT';
END;

CREATE TRIGGER figure_update_after AFTER UPDATE OF stage_id, type, status,
    environment, planned_at, authorized_at, executed_at, created_at,
    source_task ON tasks
BEGIN
    INSERT OR IGNORE INTO figure_dirty (stage_id, kind, environment, day)
    SELECT stage_id, kind, environment, day FROM figure_keys WHERE id = NEW.id
    UNION ALL
    SELECT i.stage_id, 2, coalesce(NEW.environment, ''), substr(i.created_at, 1, 10)
    FROM tasks i WHERE i.source_task = NEW.id AND i.type = 'INCIDENT';
END;

CREATE TRIGGER figure_delete BEFORE DELETE ON tasks
BEGIN
    INSERT OR IGNORE INTO figure_dirty (stage_id, kind, environment, day)
    SELECT stage_id, kind, environment, day FROM figure_keys WHERE id = OLD.id
    UNION ALL
    SELECT i.stage_id, 2, coalesce(OLD.environment, ''), substr(i.created_at, 1, 10)
    FROM tasks i WHERE i.source_task = OLD.id AND i.type = 'INCIDENT';
END;

-- Every day of the history is built once, by the commit of this upgrade.
INSERT OR IGNORE INTO figure_dirty (stage_id, kind, environment, day)
SELECT stage_id, kind, environment, day FROM figure_keys;
