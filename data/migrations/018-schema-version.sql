-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 18: the schema's version is kept in a table,
-- as every backend can (PostgreSQL has no user_version). One row; the
-- migrations set it in the transaction that changes the schema. SQLite's
-- PRAGMA user_version is still written beside it, so that an older
-- deploydesk, which reads only that, refuses a newer database plainly.
CREATE TABLE schema_version (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    version INTEGER NOT NULL CHECK (version > 0)
);
INSERT INTO schema_version (one, version) VALUES (1, 18);
