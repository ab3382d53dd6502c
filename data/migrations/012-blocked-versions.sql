-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 12: versions blocked in a project (version
-- block): such a version is neither planned, approved nor started in any
-- environment until it is unblocked (the row deleted; the trail keeps it).
CREATE TABLE blocked_versions (
    project_id TEXT NOT NULL REFERENCES projects (id),
    version    TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 50),
    reason     TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    blocked_by INTEGER NOT NULL REFERENCES users (id),
    blocked_at TEXT NOT NULL,
    PRIMARY KEY (project_id, version)
) WITHOUT ROWID;
