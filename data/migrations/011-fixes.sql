-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 11: a deployment may state the incident it
-- fixes (deploy create --fixes); the incident finds it through the index.
ALTER TABLE tasks ADD COLUMN fixes TEXT REFERENCES tasks (id);
CREATE INDEX tasks_fixes ON tasks (fixes) WHERE fixes IS NOT NULL;
