-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 7: freezes, windows in which deployments are
-- neither started nor executed (planning and approving go on).
--
-- A freeze is of one project or of every one (project_id NULL), of one
-- environment or of every one (environment NULL), and either one-off (from
-- starts_at to ends_at, UTC) or weekly (from weekly_from to weekly_to,
-- minutes after Monday 00:00 in the host's local time; a window that ends
-- before it starts runs over the weekend: Friday 16:00 to Monday 08:00). A
-- freeze removed is deleted; the trail keeps it. Ids are never given again
-- (AUTOINCREMENT): "freeze 3" in the trail is one freeze.
CREATE TABLE freezes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  TEXT REFERENCES projects (id),
    environment TEXT CHECK (environment IS NULL OR environment IN ('DEV', 'TEST', 'PREPROD', 'PROD')),
    starts_at   TEXT,
    ends_at     TEXT,
    weekly_from INTEGER CHECK (weekly_from IS NULL OR weekly_from BETWEEN 0 AND 10079),
    weekly_to   INTEGER CHECK (weekly_to IS NULL OR weekly_to BETWEEN 0 AND 10079),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    CHECK ((starts_at IS NULL) = (ends_at IS NULL)),
    CHECK ((weekly_from IS NULL) = (weekly_to IS NULL)),
    CHECK ((starts_at IS NULL) <> (weekly_from IS NULL)),
    CHECK (starts_at IS NULL OR ends_at > starts_at),
    CHECK (weekly_from IS NULL OR weekly_from <> weekly_to)
);
CREATE INDEX freezes_project ON freezes (project_id);
