-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 4: full-text search of the history, and the
-- environment and status filters read through indexes in history order.

-- What a search matches: a deployment's version, task name, description,
-- responsible person (login and name) and logs. Incidents are not indexed.
-- The view is the index's external content: the text is stored once, in
-- tasks and users; the index holds only the words.
-- A version is found with or without its leading "v" (v1.2.0 and 1.2.0):
-- both are indexed.
CREATE VIEW task_text AS
SELECT t.rowid AS task_rowid,
       CASE WHEN t.version GLOB '[vV][0-9]*'
            THEN t.version || ' ' || substr(t.version, 2)
            ELSE t.version END AS version,
       t.name, t.description,
       u.login || ' ' || u.full_name AS responsible, t.logs
FROM tasks t JOIN users u ON u.id = t.responsible
WHERE t.type = 'DEPLOIEMENT';

-- unicode61 with remove_diacritics 2: case and accents ignored, prefix
-- queries; a third of trigram's size on the benchmark's million
-- deployments (tests/bench/README.md). A virtual table cannot be written by
-- a trigger while trusted_schema is off, so the model keeps it in step on
-- every write of a task (model-search.c). columnsize=0: no ranking.
-- prefix '2 3': lists for the prefixes of 2 and 3 characters, so that a
-- short prefix that begins many words ("b7": 111,111 versions at a
-- million deployments) reads one list instead of merging all of theirs
-- (55 ms instead of 110 ms for its first page; the index grows from 50 to
-- 124 MB there).
CREATE VIRTUAL TABLE task_search USING fts5(
    version, name, description, responsible, logs,
    content = 'task_text', content_rowid = 'task_rowid',
    tokenize = 'unicode61 remove_diacritics 2', columnsize = 0,
    prefix = '2 3');

-- The index's words, to turn a typed prefix into the few words it begins.
CREATE VIRTUAL TABLE task_search_terms USING fts5vocab(task_search, row);

INSERT INTO task_search (task_search) VALUES ('rebuild');
INSERT INTO task_search (task_search) VALUES ('optimize');

-- History pages filtered by environment, by status, or both, each walked
-- in history order (planned_at, id) without a sort.
CREATE INDEX tasks_env_history ON tasks (stage_id, type, environment, planned_at, id);
CREATE INDEX tasks_status_history ON tasks (stage_id, type, status, planned_at, id);
CREATE INDEX tasks_env_status_history ON tasks (stage_id, type, environment, status, planned_at, id);
