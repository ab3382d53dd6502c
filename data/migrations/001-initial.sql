-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 1: people, projects, stages, tasks, audit.
-- Stored codes are the spec's own (A_FAIRE, EN_COURS, ...). Times are
-- ISO-8601 UTC text ("2026-02-06T14:00:00Z"), which sorts as it reads.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    login      TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),
    full_name  TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    is_admin   INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE projects (
    id         TEXT PRIMARY KEY CHECK (length(id) = 36),
    code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at TEXT NOT NULL
);

CREATE TABLE members (
    project_id TEXT NOT NULL REFERENCES projects (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL CHECK (role IN ('CHEF_PROJET', 'DEVELOPPEUR', 'AUTRE')),
    senior     INTEGER NOT NULL DEFAULT 0 CHECK (senior IN (0, 1)),
    PRIMARY KEY (project_id, user_id),
    CHECK (senior = 0 OR role = 'DEVELOPPEUR')
) WITHOUT ROWID;

CREATE TABLE stages (
    id         TEXT PRIMARY KEY CHECK (length(id) = 36),
    project_id TEXT NOT NULL REFERENCES projects (id),
    code       TEXT NOT NULL CHECK (code IN ('CONCEPTION', 'DEVELOPPEMENT', 'TESTS', 'DEPLOIEMENT')),
    position   INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'A_FAIRE' CHECK (status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE')),
    UNIQUE (project_id, code)
);

-- The spec's TacheEtape: deployments and incidents are both tasks of a stage.
CREATE TABLE tasks (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    stage_id      TEXT NOT NULL REFERENCES stages (id),
    type          TEXT NOT NULL CHECK (type IN ('DEPLOIEMENT', 'INCIDENT')),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL CHECK (length(description) > 0),
    status        TEXT NOT NULL DEFAULT 'A_FAIRE'
                  CHECK (status IN ('A_FAIRE', 'EN_COURS', 'TERMINEE', 'ECHEC')),
    priority      TEXT NOT NULL DEFAULT 'NORMALE' CHECK (priority IN ('BASSE', 'NORMALE', 'HAUTE')),
    responsible   INTEGER NOT NULL REFERENCES users (id),
    planned_at    TEXT,
    version       TEXT CHECK (version IS NULL OR length(version) BETWEEN 1 AND 50),
    environment   TEXT CHECK (environment IS NULL OR environment IN ('DEV', 'TEST', 'PREPROD', 'PROD')),
    logs          TEXT,
    authorized_by INTEGER REFERENCES users (id),
    authorized_at TEXT,
    started_by    INTEGER REFERENCES users (id),
    started_at    TEXT,
    executed_by   INTEGER REFERENCES users (id),
    executed_at   TEXT,
    source_task   TEXT REFERENCES tasks (id),
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    row_version   INTEGER NOT NULL DEFAULT 1,
    CHECK (type <> 'DEPLOIEMENT'
           OR (version IS NOT NULL AND environment IS NOT NULL AND planned_at IS NOT NULL)),
    CHECK (type <> 'INCIDENT' OR status <> 'ECHEC'),
    CHECK ((authorized_by IS NULL) = (authorized_at IS NULL)),
    CHECK (status NOT IN ('EN_COURS', 'TERMINEE', 'ECHEC') OR type <> 'DEPLOIEMENT'
           OR authorized_by IS NOT NULL)
);

-- Append-only audit trail, hash-chained (core-audit.c computes the hashes).
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    uid        INTEGER NOT NULL,
    login      TEXT NOT NULL,
    login_uid  INTEGER,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    project_id TEXT,
    before     TEXT,
    after      TEXT,
    prev_hash  BLOB NOT NULL UNIQUE CHECK (length(prev_hash) = 32),
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_project ON audit (project_id, seq);
CREATE INDEX audit_entity ON audit (entity_id, seq);

-- A record may only follow the last one: no rewriting in place through
-- INSERT OR REPLACE (which fires no DELETE trigger), no fork of the chain.
CREATE TRIGGER audit_append_only BEFORE INSERT ON audit
WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM audit), 0) + 1
  OR NEW.prev_hash IS NOT coalesce(
         (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), zeroblob(32))
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: a record must follow the last one');
END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
