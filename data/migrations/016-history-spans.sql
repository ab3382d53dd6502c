-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 16: the planned dates each block of rowids
-- of a project's deployments spans, so that a search matching many
-- deployments reads only the blocks that can hold its page.
--
-- A block is the 4,096 rowids (rowid >> 12) that share it. first_at and
-- last_at hold at least the earliest and the latest planned_at of the
-- block's deployments of that stage: a search in history order reads the
-- blocks by their latest date and stops at the first block whose latest
-- date is below its page's last row (model-search.c). Rowids follow
-- creation, and plans mostly follow it too, so a page of a prefix that
-- begins many old versions reads a few blocks of them instead of every
-- match (111,111 at a million deployments for "b7").
--
-- A span only ever widens: a deployment moved to another date or stage
-- widens the span of its block, and nothing narrows one when a
-- deployment leaves it. A wider span costs a search a block more; a
-- narrower one would hide a deployment, and audit verify finds that.
CREATE TABLE history_spans (
    stage_id TEXT NOT NULL,
    block    INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    last_at  TEXT NOT NULL,
    PRIMARY KEY (stage_id, block)
) WITHOUT ROWID;

-- Whoever writes tasks (the sqlite3 shell too), in the same statement.
CREATE TRIGGER history_span_insert AFTER INSERT ON tasks
WHEN NEW.type = 'DEPLOIEMENT' AND NEW.planned_at IS NOT NULL
BEGIN
    INSERT INTO history_spans (stage_id, block, first_at, last_at)
    VALUES (NEW.stage_id, NEW.rowid >> 12, NEW.planned_at, NEW.planned_at)
    ON CONFLICT (stage_id, block) DO UPDATE
    SET first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at);
END;

-- Any column: a changed rowid moves the deployment to another block.
CREATE TRIGGER history_span_update AFTER UPDATE ON tasks
WHEN NEW.type = 'DEPLOIEMENT' AND NEW.planned_at IS NOT NULL
BEGIN
    INSERT INTO history_spans (stage_id, block, first_at, last_at)
    VALUES (NEW.stage_id, NEW.rowid >> 12, NEW.planned_at, NEW.planned_at)
    ON CONFLICT (stage_id, block) DO UPDATE
    SET first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at);
END;

INSERT INTO history_spans (stage_id, block, first_at, last_at)
SELECT stage_id, rowid >> 12, min(planned_at), max(planned_at)
FROM tasks WHERE type = 'DEPLOIEMENT' AND planned_at IS NOT NULL
GROUP BY stage_id, rowid >> 12;
