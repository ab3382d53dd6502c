/* The history's full-text search (schema version 4): keeping the FTS5 index
 * task_search in step with the deployments, turning the words a person
 * typed into an FTS5 query that takes them literally, and choosing how a
 * page reads through it. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* A typed prefix is turned into the words of the index it begins when it
 * begins at most this many: an FTS5 prefix query reads every such word's
 * list of rows in full on each run, an OR of words reads only what it
 * needs. */
#define EXPAND_MAX 16

/* Up to this many matching deployments, a page is read from the index's
 * rows and sorted; beyond, the history is walked in order and each row
 * asked of the index. */
#define FEW_MAX 2000

#define SEARCH_COLUMNS "version, name, description, responsible, logs"

/* Runs one of the index's writes for the task of id; nothing for an
 * incident, which task_text leaves out. */
static enum dd_code
index_write(struct model_db *db, const char *sql, const char *id,
	    struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code = mdb_prepare(db, sql, &st, err);

	if (code)
		return code;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	return mdb_step_done(db, st, err);
}

enum dd_code
mdb_search_add(struct model_db *db, const char *id, struct dd_error *err)
{
	return index_write(
	    db,
	    "INSERT INTO task_search (rowid, " SEARCH_COLUMNS ") "
	    "SELECT task_rowid, " SEARCH_COLUMNS " FROM task_text "
	    "WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = ?1)",
	    id, err);
}

enum dd_code
mdb_search_remove(struct model_db *db, const char *id, struct dd_error *err)
{
	/* An external-content index forgets a row when told the words it
	 * was given: the row as it stands, before it changes. */
	return index_write(
	    db,
	    "INSERT INTO task_search (task_search, rowid, " SEARCH_COLUMNS ") "
	    "SELECT 'delete', task_rowid, " SEARCH_COLUMNS " FROM task_text "
	    "WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = ?1)",
	    id, err);
}

/* A word the unicode61 tokenizer keeps whole and folds by lower-casing
 * alone: ASCII letters and digits. */
static bool
simple_word(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return len > 0;
}

/* Appends the FTS5 string of the text: in double quotes, each double
 * quote doubled. Whatever it holds (*, -, :, ^, parentheses, AND, NEAR) is
 * then a string to tokenize, never query syntax. */
static void
add_quoted(struct strbuf *sb, const char *w, size_t len)
{
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (w[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, w[i]);
	}
	strbuf_addch(sb, '"');
}

/* The index's words that begin with the simple word w (lower case), up to
 * EXPAND_MAX + 1 of them, as "a" OR "b" into sb; *n their number. */
static enum dd_code
expand(struct model_db *db, const char *w, size_t len, struct strbuf *sb,
       int *n, struct dd_error *err)
{
	char *low = xmalloc(len + 1), *high = xmalloc(len + 1);
	struct strbuf terms = STRBUF_INIT;
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	for (size_t i = 0; i < len; i++)
		low[i] = (w[i] >= 'A' && w[i] <= 'Z') ? w[i] - 'A' + 'a' : w[i];
	low[len] = '\0';
	/* The words from low up to, not including, low with its last byte
	 * one higher: those that begin with low. */
	memcpy(high, low, len + 1);
	high[len - 1]++;
	*n = 0;
	code = mdb_prepare(db,
			   "SELECT term FROM task_search_terms "
			   "WHERE term >= ?1 AND term < ?2 LIMIT ?3",
			   &st, err);
	if (code)
		goto out;
	sqlite3_bind_text(st, 1, low, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, high, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, EXPAND_MAX + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (!t)
			continue;
		if ((*n)++)
			strbuf_addstr(&terms, " OR ");
		add_quoted(&terms, t, strlen(t));
	}
	if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (!code && *n > 0 && *n <= EXPAND_MAX) {
		strbuf_addch(sb, '(');
		strbuf_addstr(sb, strbuf_str(&terms));
		strbuf_addch(sb, ')');
	}
out:
	strbuf_release(&terms);
	free(low);
	free(high);
	return code;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* How many deployments of every project match, counted up to FEW_MAX + 1. */
static enum dd_code
count_matches(struct model_db *db, const char *match, int64_t *out,
	      struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT count(*) FROM (SELECT 1 FROM task_search "
			   "WHERE task_search MATCH ?1 LIMIT ?2)",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, FEW_MAX + 1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_search_plan(struct model_db *db, const char *text, struct mdb_search *out,
		struct dd_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum dd_code code = DD_OK;
	bool exact = true;
	int64_t matches = 0;
	const char *p = text;

	out->match = NULL;
	out->plan = MDB_SEARCH_NONE;
	while (*p) {
		const char *w;
		size_t len;
		int n = 0;

		while (is_space(*p))
			p++;
		w = p;
		while (*p && !is_space(*p))
			p++;
		len = (size_t)(p - w);
		if (!len)
			continue;
		if (sb.len)
			strbuf_addstr(&sb, " AND ");
		if (simple_word(w, len)) {
			code = expand(db, w, len, &sb, &n, err);
			if (code)
				goto out;
			/* No word of the index begins so: nothing matches. */
			if (n == 0)
				goto out;
			if (n <= EXPAND_MAX)
				continue;
		}
		/* Anything else is a prefix of its last token. */
		exact = false;
		add_quoted(&sb, w, len);
		strbuf_addch(&sb, '*');
	}
	if (!sb.len)
		goto out;
	code = count_matches(db, strbuf_str(&sb), &matches, err);
	if (code || matches == 0)
		goto out;
	if (matches <= FEW_MAX)
		out->plan = MDB_SEARCH_FEW;
	else
		out->plan = exact ? MDB_SEARCH_PROBE : MDB_SEARCH_SET;
	out->match = strbuf_detach(&sb);
out:
	strbuf_release(&sb);
	return code;
}

enum dd_code
model_search_check(struct model_db *db, struct dd_error *err)
{
	/* Before SQLite 3.44, 'integrity-check' compares an external-content
	 * index with its content; from 3.44 it needs a rank of 1 for that. */
	const char *sql = sqlite3_libversion_number() >= 3044000
			      ? "INSERT INTO task_search (task_search, rank) "
				"VALUES ('integrity-check', 1)"
			      : "INSERT INTO task_search (task_search) "
				"VALUES ('integrity-check')";
	enum dd_code code;
	int rc;

	if (db->readonly)
		return DD_OK;
	code = mdb_exec(db, "SAVEPOINT search_check", err);
	if (code)
		return code;
	rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_CORRUPT)
		code = dd_fail(err, DD_ERR_RUNTIME, "%s",
			       _("the search index does not match the "
				 "deployments"));
	else if (rc != SQLITE_OK)
		code = mdb_error(db, err);
	sqlite3_exec(db->conn, "ROLLBACK TO search_check; RELEASE search_check",
		     NULL, NULL, NULL);
	return code;
}
