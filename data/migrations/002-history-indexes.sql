-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 2: indexes so that a project with a million
-- deployments opens as fast as one with ten.

-- History, newest first, a page at a time (keyset on planned_at, id), and
-- the statistics' one aggregate query, both from the index alone.
CREATE INDEX tasks_history ON tasks (stage_id, type, planned_at, id);
CREATE INDEX tasks_stats ON tasks (stage_id, type, status);
CREATE INDEX tasks_source ON tasks (source_task) WHERE source_task IS NOT NULL;
CREATE INDEX tasks_incidents ON tasks (stage_id, type, created_at, id);
