-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 6: approvals and the policies that ask for
-- them.
--
-- A deployment is authorized by the approvals of distinct people: one row
-- per person whose approval stands (a withdrawn one is deleted; the trail
-- keeps it). An approval may expire, at the time its policy gave it when
-- it was given. tasks.authorized_by and authorized_at stay what the spec
-- calls the authorization: the approval that made the count the policy
-- asks for, cleared when an approval is withdrawn below it.
CREATE TABLE approvals (
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    approved_at TEXT NOT NULL,
    expires_at  TEXT CHECK (expires_at IS NULL OR expires_at > approved_at),
    PRIMARY KEY (task_id, user_id)
) WITHOUT ROWID;

-- The authorizations given before: one approval each, which never expires.
INSERT INTO approvals (task_id, user_id, approved_at)
SELECT id, authorized_by, authorized_at FROM tasks
WHERE type = 'DEPLOIEMENT' AND authorized_by IS NOT NULL;

-- A project's policy per environment: only the values an admin set; the
-- others are the defaults, which keep the spec's workflow (src/core knows
-- the keys, their values and defaults).
CREATE TABLE policies (
    project_id  TEXT NOT NULL REFERENCES projects (id),
    environment TEXT NOT NULL CHECK (environment IN ('DEV', 'TEST', 'PREPROD', 'PROD')),
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 32),
    value       INTEGER NOT NULL,
    PRIMARY KEY (project_id, environment, key)
) WITHOUT ROWID;
