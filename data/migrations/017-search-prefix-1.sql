-- SPDX-License-Identifier: MIT
-- deploydesk schema, version 17: the search index keeps a list for the
-- prefixes of one character too (prefix = '1 2 3'), so that a search of
-- one letter or digit ("b" begins every version bN at a million
-- deployments) reads the history by blocks of rowids (history_spans),
-- each block a seek in that one list, as a prefix of 2 or 3 characters
-- does, instead of merging the lists of every word it begins (0.5 s for
-- its first page). The index grows from 124 to 156 MB there, and this
-- upgrade rebuilds it (21 s at a million deployments).
DROP TABLE task_search_terms;
DROP TABLE task_search;

CREATE VIRTUAL TABLE task_search USING fts5(
    version, name, description, responsible, logs,
    content = 'task_text', content_rowid = 'task_rowid',
    tokenize = 'unicode61 remove_diacritics 2', columnsize = 0,
    prefix = '1 2 3');

CREATE VIRTUAL TABLE task_search_terms USING fts5vocab(task_search, row);

INSERT INTO task_search (task_search) VALUES ('rebuild');
INSERT INTO task_search (task_search) VALUES ('optimize');
