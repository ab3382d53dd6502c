-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 14: the delivery figures of a period read the
-- deployments executed in it through this index, not the whole history.
CREATE INDEX tasks_executed ON tasks (stage_id, type, executed_at)
WHERE executed_at IS NOT NULL;
