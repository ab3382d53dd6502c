/* SPDX-License-Identifier: MIT */
/* A whole database copied into a new one, on the same engine or the other:
 * the rows people's actions made, as they are stored (ids, the audit
 * trail's records and hashes), read column by column by name, so that a
 * column a later schema adds comes along; what derives from those rows
 * the new database makes again itself. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* The tables copied, in an order that puts a row after every row it
 * refers to, each read in the order of a key for the same reason. */
static const struct {
	const char *name;
	const char *order;
	bool rowid; /* its rowid is kept, where "SELECT *" leaves it out */
} copied[] = {
    {"settings", "key", false},
    {"users", "id", false},
    {"projects", "id", false},
    {"stages", "id", false},
    {"members", "project_id, user_id", false},
    /* In the order of their creation: an incident after the deployment
     * whose failure opened it, a rollback or a fix after what it undoes
     * or fixes. The spans of the history and the search index number
     * deployments by their rowid. */
    {"tasks", "rowid", true},
    {"approvals", "task_id, user_id", false},
    {"policies", "project_id, environment, key", false},
    {"freezes", "id", false},
    {"exceptions", "id", false},
    {"blocked_versions", "project_id, version", false},
    /* The trail's trigger takes a record only after the one before. */
    {"audit", "seq", false},
};

#define NCOPIED (sizeof copied / sizeof *copied)

/* The tables the new database makes again from the copied rows. */
static const char *const derived[] = {
    "deploy_counts",  /* by the triggers on tasks */
    "figure_days",    /* days marked by the triggers on tasks, */
    "figure_dirty",   /* built by mdb_figures_flush() */
    "history_spans",  /* by the triggers on tasks */
    "task_search",    /* by the backend's search_rebuild */
    "schema_version", /* the new database's own, at the same version */
};

static bool
known_table(const char *name)
{
	for (size_t i = 0; i < NCOPIED; i++)
		if (strcmp(copied[i].name, name) == 0)
			return true;
	for (size_t i = 0; i < sizeof derived / sizeof *derived; i++)
		if (strcmp(derived[i], name) == 0)
			return true;
	return false;
}

/* Every table of db's schema is copied or made again: a table a later
 * schema adds must go into one list or the other, or copies would lose
 * it without a word. */
static enum dd_code
check_tables(struct model_db *db, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum mdb_step rc;
	enum dd_code code = mdb_prepare(db, db->be->tables, &st, err);

	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		const char *name = mdb_col_text(st, 0);

		if (!name || !known_table(name)) {
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("cannot copy table %s: this "
					 "deploydesk does not know whether to "
					 "copy it or make it again"),
				       name ? name : "?");
			break;
		}
	}
	if (!code && rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* A table's or column's name as an SQL identifier, quoted. */
static void
add_name(struct strbuf *sb, const char *name)
{
	strbuf_addch(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

/* Binds column i of from's row, as it is stored, to parameter i + 1 of
 * into. Texts and blobs are the source's own, alive until its next step,
 * which comes after the insertion. */
static enum dd_code
bind_value(struct mdb_stmt *from, struct mdb_stmt *into, int i,
	   const char *table, struct dd_error *err)
{
	const void *blob;

	switch (mdb_col_type(from, i)) {
	case MDB_NULL:
		mdb_bind_null(into, i + 1);
		return DD_OK;
	case MDB_INTEGER:
		mdb_bind_int(into, i + 1, mdb_col_int(from, i));
		return DD_OK;
	case MDB_TEXT:
		mdb_bind_strn(into, i + 1, mdb_col_text(from, i),
			      mdb_col_bytes(from, i));
		return DD_OK;
	case MDB_BLOB:
		/* SQLite gives no pointer for an empty blob. */
		blob = mdb_col_blob(from, i);
		mdb_bind_blob(into, i + 1, blob ? blob : "",
			      mdb_col_bytes(from, i));
		return DD_OK;
	default:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot copy table %s: its column %s holds a "
				 "value of a kind deploydesk never writes"),
			       table, mdb_column_name(from, i));
	}
}

/* Copies table t of copied[] row by row, every column the source's rows
 * have, named in the insertion as the source names them. */
static enum dd_code
copy_table(struct model_db *src, struct model_db *dst, size_t t, int64_t *rows,
	   struct dd_error *err)
{
	const char *table = copied[t].name;
	struct strbuf sql = STRBUF_INIT;
	struct mdb_stmt *from = NULL, *into = NULL;
	struct dd_error why = {0};
	enum mdb_step rc = MDB_DONE;
	enum dd_code code;
	int n;

	strbuf_addstr(&sql, "SELECT ");
	if (copied[t].rowid && src->be->hidden_rowid)
		strbuf_addstr(&sql, "rowid AS rowid, ");
	strbuf_addf(&sql, "* FROM %s ORDER BY %s", table, copied[t].order);
	code = mdb_prepare(src, strbuf_str(&sql), &from, err);
	if (code)
		goto out;
	n = mdb_column_count(from);
	strbuf_reset(&sql);
	strbuf_addf(&sql, "INSERT INTO %s (", table);
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(&sql, ", ");
		add_name(&sql, mdb_column_name(from, i));
	}
	strbuf_addstr(&sql, ") VALUES (");
	for (int i = 0; i < n; i++)
		strbuf_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
	strbuf_addch(&sql, ')');
	if (mdb_prepare(dst, strbuf_str(&sql), &into, &why) != DD_OK) {
		code = dd_fail(err, why.code, _("cannot copy table %s: %s"),
			       table, why.msg);
		goto out;
	}
	while (!code && (rc = mdb_step(from)) == MDB_ROW) {
		for (int i = 0; i < n && !code; i++)
			code = bind_value(from, into, i, table, err);
		if (code)
			break;
		if (mdb_step(into) != MDB_DONE) {
			mdb_error(dst, &why);
			code = dd_fail(err, why.code,
				       _("cannot copy table %s: %s"), table,
				       why.msg);
			break;
		}
		mdb_rewind(into);
		(*rows)++;
	}
	if (!code && rc != MDB_DONE)
		code = mdb_error(src, err);
out:
	mdb_release(dst, into);
	mdb_release(src, from);
	strbuf_release(&sql);
	return code;
}

/* The last id given by a column that gives its own (the backend's
 * id_counters). */
struct counter {
	char *table, *column;
	int64_t last;
};

static void
read_counter(struct mdb_stmt *st, void *item)
{
	struct counter *c = item;

	c->table = mdb_col_dup(st, 0);
	c->column = mdb_col_dup(st, 1);
	c->last = mdb_col_int(st, 2);
}

static void
counters_free(struct counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].table);
		free(c[i].column);
	}
	free(c);
}

static enum dd_code
read_counters(struct model_db *db, struct counter **out, size_t *n,
	      struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code = mdb_prepare(db, db->be->id_counters, &st, err);

	*out = NULL;
	*n = 0;
	if (code)
		return code;
	return mdb_collect(db, st, (void **)out, n, sizeof **out, read_counter,
			   err);
}

/* Moves each of dst's id counters past the greatest id its column holds
 * and past the last id src's counter of the same column gave (an id given
 * to a row since deleted is not given again: "freeze 3" in the trail is
 * one freeze). A column that counts in src and not in dst (SQLite's
 * INTEGER PRIMARY KEY without AUTOINCREMENT) gives the next id after the
 * greatest it holds. */
static enum dd_code
move_counters(struct model_db *dst, const struct counter *from, size_t nfrom,
	      struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct counter *to;
	size_t nto;
	enum dd_code code = read_counters(dst, &to, &nto, err);

	for (size_t i = 0; !code && i < nto; i++) {
		int64_t last = to[i].last, greatest = 0;

		if (!to[i].table || !to[i].column)
			continue;
		for (size_t j = 0; j < nfrom; j++)
			if (from[j].table && from[j].column &&
			    strcmp(from[j].table, to[i].table) == 0 &&
			    strcmp(from[j].column, to[i].column) == 0 &&
			    from[j].last > last)
				last = from[j].last;
		strbuf_reset(&sql);
		strbuf_addstr(&sql, "SELECT coalesce(max(");
		add_name(&sql, to[i].column);
		strbuf_addstr(&sql, "), 0) FROM ");
		add_name(&sql, to[i].table);
		code = mdb_int(dst, strbuf_str(&sql), &greatest, err);
		if (greatest > last)
			last = greatest;
		if (!code && last > 0 && last != to[i].last)
			code = dst->be->id_counter_set(dst, to[i].table,
						       to[i].column, last, err);
	}
	counters_free(to, nto);
	strbuf_release(&sql);
	return code;
}

enum dd_code
model_copy_open(const char *location, bool server, struct model_db **out,
		struct dd_error *err)
{
	const struct mdb_backend *be = server ? &mdb_postgresql : &mdb_sqlite;
	struct model_db *db;
	enum dd_code code;

	*out = NULL;
	/* A file is made new, or refused when it exists. */
	code = mdb_connect(be, location, true, &db, err);
	if (code)
		return code;
	/* A server's database is taken only empty. */
	if (be->claim)
		code = be->claim(db, true, err);
	if (!code)
		code = be->begin_write(db, err);
	if (!code)
		code = mdb_schema_create(db, err);
	if (code) {
		model_rollback(db);
		model_close(db);
		if (!server)
			model_delete(location);
		return code;
	}
	*out = db;
	return DD_OK;
}

enum dd_code
model_copy(struct model_db *src, struct model_db *dst, int64_t *rows,
	   struct dd_error *err)
{
	struct dd_error why = {0};
	struct counter *counters = NULL;
	size_t ncounters = 0;
	int64_t version = 0;
	enum dd_code code;

	*rows = 0;
	/* The columns are taken by name from the source: the same schema
	 * on both sides has the same ones. */
	code = src->be->schema_version(src, &version, err);
	if (!code && version != MODEL_SCHEMA_VERSION)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s has schema version %lld, and "
				 "this deploydesk copies version %d only: "
				 "open it once with this deploydesk to "
				 "upgrade it, then copy it"),
			       src->name, (long long)version,
			       MODEL_SCHEMA_VERSION);
	if (!code && model_schema_check(src, &why) != DD_OK)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("not copying %s: its schema was changed "
				 "outside deploydesk (%s)"),
			       src->name, why.msg);
	if (!code)
		code = check_tables(src, err);
	if (!code)
		code = read_counters(src, &counters, &ncounters, err);
	for (size_t t = 0; !code && t < NCOPIED; t++)
		code = copy_table(src, dst, t, rows, err);
	/* The statistics and the spans of the history were kept by the
	 * triggers on tasks as the rows came in; the figures' days were
	 * marked, and are built now, before the caller commits. */
	if (!code)
		code = mdb_exec(dst, dst->be->search_rebuild, err);
	if (!code)
		code = move_counters(dst, counters, ncounters, err);
	if (!code)
		code = mdb_figures_flush(dst, err);
	counters_free(counters, ncounters);
	return code;
}
