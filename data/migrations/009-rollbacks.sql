-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 9: a deployment planned as the rollback of
-- another (deploy rollback) names it; the other way is found through the
-- partial index.
ALTER TABLE tasks ADD COLUMN rollback_of TEXT REFERENCES tasks (id);
CREATE INDEX tasks_rollback ON tasks (rollback_of) WHERE rollback_of IS NOT NULL;
