-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 3: the statistics kept by the database itself,
-- in the same transaction as every change, so that reading them costs the
-- same for a million deployments as for ten (an aggregate over at most four
-- rows per project instead of a scan of its history).

CREATE TABLE deploy_counts (
    stage_id TEXT NOT NULL REFERENCES stages (id),
    status   TEXT NOT NULL CHECK (status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE', 'ECHEC')),
    n        INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (stage_id, status)
) WITHOUT ROWID;

INSERT INTO deploy_counts (stage_id, status, n)
SELECT stage_id, status, count(*) FROM tasks
WHERE type = 'DEPLOIEMENT' GROUP BY stage_id, status;

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
