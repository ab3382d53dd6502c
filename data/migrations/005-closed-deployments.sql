-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 5: a planned deployment may be closed without
-- being executed: cancelled by whoever may create (ANNULEE) or refused by
-- whoever may authorize (REFUSEE), with who, when and why.
--
-- A CHECK constraint cannot be changed in place, so tasks is rebuilt as
-- https://sqlite.org/lang_altertable.html#otheralter describes: the new
-- table is filled with the same rows under the same rowids (the search
-- index refers to them), the old one dropped and the new one renamed. The
-- view, triggers and indexes over tasks go and come back with it. The new
-- table's reference to itself names tasks_new, which the renaming makes
-- tasks: a reference to the old table would be broken by its drop.

DROP VIEW task_text;
DROP TRIGGER deploy_counts_insert;
DROP TRIGGER deploy_counts_update;
DROP TRIGGER deploy_counts_delete;

CREATE TABLE tasks_new (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    stage_id      TEXT NOT NULL REFERENCES stages (id),
    type          TEXT NOT NULL CHECK (type IN ('DEPLOIEMENT', 'INCIDENT')),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL CHECK (length(description) > 0),
    status        TEXT NOT NULL DEFAULT 'A_FAIRE'
                  CHECK (status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE', 'ECHEC',
                                    'ANNULEE', 'REFUSEE')),
    priority      TEXT NOT NULL DEFAULT 'NORMALE' CHECK (priority IN ('BASSE', 'NORMALE', 'HAUTE')),
    responsible   INTEGER NOT NULL REFERENCES users (id),
    planned_at    TEXT,
    version       TEXT CHECK (version IS NULL OR length(version) BETWEEN 1 AND 50),
    environment   TEXT CHECK (environment IS NULL OR environment IN ('DEV', 'TEST', 'PREPROD', 'PROD')),
    logs          TEXT,
    authorized_by INTEGER REFERENCES users (id),
    authorized_at TEXT,
    started_by    INTEGER REFERENCES users (id),
    started_at    TEXT,
    executed_by   INTEGER REFERENCES users (id),
    executed_at   TEXT,
    source_task   TEXT REFERENCES tasks_new (id),
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    row_version   INTEGER NOT NULL DEFAULT 1,
    -- Who cancelled or refused it, when, and why (1 to 1,000 characters).
    closed_by     INTEGER REFERENCES users (id),
    closed_at     TEXT,
    close_reason  TEXT CHECK (close_reason IS NULL OR length(close_reason) BETWEEN 1 AND 1000),
    CHECK (type <> 'DEPLOIEMENT'
           OR (version IS NOT NULL AND environment IS NOT NULL AND planned_at IS NOT NULL)),
    CHECK (type <> 'INCIDENT' OR status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE')),
    CHECK ((authorized_by IS NULL) = (authorized_at IS NULL)),
    CHECK (status NOT IN ('EN_COURS', 'TERMINEE', 'ECHEC') OR type <> 'DEPLOIEMENT'
           OR authorized_by IS NOT NULL),
    CHECK ((status IN ('ANNULEE', 'REFUSEE'))
           = (closed_by IS NOT NULL AND closed_at IS NOT NULL AND close_reason IS NOT NULL)),
    CHECK (closed_by IS NOT NULL OR (closed_at IS NULL AND close_reason IS NULL))
);

INSERT INTO tasks_new (rowid, id, stage_id, type, name, description, status,
                       priority, responsible, planned_at, version, environment,
                       logs, authorized_by, authorized_at, started_by,
                       started_at, executed_by, executed_at, source_task,
                       created_by, created_at, row_version)
SELECT rowid, id, stage_id, type, name, description, status, priority,
       responsible, planned_at, version, environment, logs, authorized_by,
       authorized_at, started_by, started_at, executed_by, executed_at,
       source_task, created_by, created_at, row_version
FROM tasks ORDER BY rowid;

DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;

CREATE INDEX tasks_history ON tasks (stage_id, type, planned_at, id);
CREATE INDEX tasks_stats ON tasks (stage_id, type, status);
CREATE INDEX tasks_source ON tasks (source_task) WHERE source_task IS NOT NULL;
CREATE INDEX tasks_incidents ON tasks (stage_id, type, created_at, id);
CREATE INDEX tasks_env_history ON tasks (stage_id, type, environment, planned_at, id);
CREATE INDEX tasks_status_history ON tasks (stage_id, type, status, planned_at, id);
CREATE INDEX tasks_env_status_history ON tasks (stage_id, type, environment, status, planned_at, id);

CREATE VIEW task_text AS
SELECT t.rowid AS task_rowid,
       CASE WHEN t.version GLOB '[vV][0-9]*'
            THEN t.version || ' ' || substr(t.version, 2)
            ELSE t.version END AS version,
       t.name, t.description,
       u.login || ' ' || u.full_name AS responsible, t.logs
FROM tasks t JOIN users u ON u.id = t.responsible
WHERE t.type = 'DEPLOIEMENT';

-- The kept counts take the two new statuses too.
CREATE TABLE deploy_counts_new (
    stage_id TEXT NOT NULL REFERENCES stages (id),
    status   TEXT NOT NULL CHECK (status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE', 'ECHEC',
                                             'ANNULEE', 'REFUSEE')),
    n        INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (stage_id, status)
) WITHOUT ROWID;
INSERT INTO deploy_counts_new SELECT stage_id, status, n FROM deploy_counts;
DROP TABLE deploy_counts;
ALTER TABLE deploy_counts_new RENAME TO deploy_counts;

CREATE TRIGGER deploy_counts_insert AFTER INSERT ON tasks
WHEN NEW.type = 'DEPLOIEMENT'
BEGIN
    INSERT INTO deploy_counts (stage_id, status, n)
    VALUES (NEW.stage_id, NEW.status, 1)
    ON CONFLICT (stage_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deploy_counts_update AFTER UPDATE OF status, type, stage_id ON tasks
WHEN OLD.type = 'DEPLOIEMENT' OR NEW.type = 'DEPLOIEMENT'
BEGIN
    UPDATE deploy_counts SET n = n - 1
    WHERE OLD.type = 'DEPLOIEMENT' AND stage_id = OLD.stage_id AND status = OLD.status;
    INSERT INTO deploy_counts (stage_id, status, n)
    SELECT NEW.stage_id, NEW.status, 1 WHERE NEW.type = 'DEPLOIEMENT'
    ON CONFLICT (stage_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deploy_counts_delete AFTER DELETE ON tasks
WHEN OLD.type = 'DEPLOIEMENT'
BEGIN
    UPDATE deploy_counts SET n = n - 1
    WHERE stage_id = OLD.stage_id AND status = OLD.status;
END;
