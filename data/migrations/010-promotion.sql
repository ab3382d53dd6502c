-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 10: whether a version succeeded in an
-- environment (the promotion policy asks it before each start), and what
-- is in progress there (one-at-a-time), each read through an index.
CREATE INDEX tasks_version ON tasks (stage_id, environment, version, status)
WHERE type = 'DEPLOIEMENT';
