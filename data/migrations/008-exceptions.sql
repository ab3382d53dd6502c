-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 8: exceptions. An admin may pass the rules of
-- a project's policy for one action on a deployment (too few approvals,
-- its creator approving, its approver executing, a freeze), for a reason;
-- each such override is an exception, open until someone else who may
-- authorize reviews it. Ids are never given again.
CREATE TABLE exceptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id     TEXT NOT NULL REFERENCES tasks (id),
    action      TEXT NOT NULL CHECK (action IN ('deploy.authorize', 'deploy.start',
                                                'deploy.succeed', 'deploy.fail')),
    rules       TEXT NOT NULL CHECK (length(rules) BETWEEN 1 AND 200),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    opened_by   INTEGER NOT NULL REFERENCES users (id),
    opened_at   TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES users (id),
    reviewed_at TEXT,
    review_note TEXT CHECK (review_note IS NULL OR length(review_note) BETWEEN 1 AND 1000),
    CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL)),
    CHECK ((reviewed_by IS NULL) = (review_note IS NULL)),
    CHECK (reviewed_by IS NULL OR reviewed_by <> opened_by)
);
CREATE INDEX exceptions_task ON exceptions (task_id);
