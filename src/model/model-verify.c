/* SPDX-License-Identifier: MIT */
/* What `audit verify` reads: the schema compared with the one this version
 * creates, the audit trail and the described tables streamed as stored,
 * without a copy of each row. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* data/migrations, embedded by data/embed.py: entry i is version i + 1. */
extern const char *const model_migrations[];
extern const int model_migrations_count;

/* One object of sqlite_master. */
struct schema_object {
	char *type, *name, *tbl_name, *sql; /* sql NULL for automatic indexes */
};

struct schema {
	struct schema_object *items;
	size_t count;
};

#define SCHEMA_SQL                                                             \
	"SELECT type, name, tbl_name, sql FROM sqlite_master "                 \
	"ORDER BY type, name"

static void
schema_free(struct schema *sc)
{
	for (size_t i = 0; i < sc->count; i++) {
		free(sc->items[i].type);
		free(sc->items[i].name);
		free(sc->items[i].tbl_name);
		free(sc->items[i].sql);
	}
	free(sc->items);
	sc->items = NULL;
	sc->count = 0;
}

/* Reads a connection's schema, sorted by type and name. */
static int
schema_read(sqlite3 *conn, struct schema *out)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	out->items = NULL;
	out->count = 0;
	rc = sqlite3_prepare_v2(conn, SCHEMA_SQL, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct schema_object *o;

		if (out->count == cap) {
			cap = cap ? 2 * cap : 64;
			out->items =
			    xrealloc(out->items, cap * sizeof *out->items);
		}
		o = &out->items[out->count++];
		o->type = mdb_col_dup(st, 0);
		o->name = mdb_col_dup(st, 1);
		o->tbl_name = mdb_col_dup(st, 2);
		o->sql = mdb_col_dup(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		schema_free(out);
		return rc;
	}
	return SQLITE_OK;
}

/* The schema of each version this build knows, made once per process in a
 * memory database from the same migrations a file goes through. */
static struct schema expected_schemas[18];

static enum dd_code
expected_schema(int64_t version, const struct schema **out,
		struct dd_error *err)
{
	struct schema *sc;
	sqlite3 *mem = NULL;
	int rc = SQLITE_OK;

	if (version < 1 || version > model_migrations_count ||
	    (size_t)version >
		sizeof expected_schemas / sizeof *expected_schemas)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("no schema version %lld in this deploydesk"),
			       (long long)version);
	sc = &expected_schemas[version - 1];
	if (sc->items) {
		*out = sc;
		return DD_OK;
	}
	rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL);
	for (int64_t v = 0; rc == SQLITE_OK && v < version; v++)
		rc = sqlite3_exec(mem, model_migrations[v], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = schema_read(mem, sc);
	sqlite3_close(mem);
	if (rc != SQLITE_OK)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot build deploydesk's own schema: %s"),
			       sqlite3_errstr(rc));
	*out = sc;
	return DD_OK;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The word for an object's type in messages. */
static const char *
type_word(const char *type)
{
	if (strcmp(type, "table") == 0)
		return _("table");
	if (strcmp(type, "index") == 0)
		return _("index");
	if (strcmp(type, "trigger") == 0)
		return _("trigger");
	if (strcmp(type, "view") == 0)
		return _("view");
	return type;
}

/* Compares two sorted schemas; names the first difference in err. */
static enum dd_code
schema_compare(const struct schema *want, const struct schema *have,
	       struct dd_error *err)
{
	size_t i = 0, j = 0;

	while (i < want->count || j < have->count) {
		const struct schema_object *w =
		    i < want->count ? &want->items[i] : NULL;
		const struct schema_object *h =
		    j < have->count ? &have->items[j] : NULL;
		int order;

		if (!w)
			order = 1;
		else if (!h)
			order = -1;
		else {
			order = strcmp(w->type, h->type);
			if (order == 0)
				order = strcmp(w->name, h->name);
		}
		if (order < 0)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("%s %s: missing from the schema"),
				       type_word(w->type), w->name);
		if (order > 0)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("%s %.64s: not deploydesk's"),
				       type_word(h->type), h->name);
		if (!same_text(w->tbl_name, h->tbl_name) ||
		    !same_text(w->sql, h->sql))
			return dd_fail(
			    err, DD_ERR_RUNTIME,
			    _("%s %s: differs from deploydesk's definition"),
			    type_word(w->type), w->name);
		i++;
		j++;
	}
	return DD_OK;
}

enum dd_code
mdb_schema_check(struct model_db *db, int64_t version, struct dd_error *err)
{
	const struct schema *want = NULL;
	struct schema have;
	enum dd_code code;
	int rc;

	code = expected_schema(version, &want, err);
	if (code)
		return code;
	rc = schema_read(db->conn, &have);
	if (rc != SQLITE_OK)
		return mdb_error(db, err);
	code = schema_compare(want, &have, err);
	schema_free(&have);
	return code;
}

enum dd_code
model_schema_check(struct model_db *db, struct dd_error *err)
{
	return mdb_schema_check(db, MODEL_SCHEMA_VERSION, err);
}

/* A text column exactly as stored: its bytes hold no NUL. */
static bool
plain_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s;

	if (sqlite3_column_type(st, i) != SQLITE_TEXT)
		return false;
	s = sqlite3_column_text(st, i);
	return s &&
	       strlen((const char *)s) == (size_t)sqlite3_column_bytes(st, i);
}

/* A column that is NULL or plain text. */
static bool
text_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL || plain_text(st, i);
}

static bool
hash_column(sqlite3_stmt *st, int i, unsigned char out[32])
{
	if (sqlite3_column_type(st, i) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, i) != 32)
		return false;
	memcpy(out, sqlite3_column_blob(st, i), 32);
	return true;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

enum dd_code
model_audit_scan(struct model_db *db, int64_t after_seq, model_audit_fn fn,
		 void *ctx, struct dd_error *err)
{
	static const char *const names[] = {
	    "seq",    "ts",	   "uid",	"login",      "login_uid",
	    "action", "entity",	   "entity_id", "project_id", "before",
	    "after",  "prev_hash", "hash"};
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT seq, ts, uid, login, login_uid, action, "
			   "entity, entity_id, project_id, before, after, "
			   "prev_hash, hash FROM audit WHERE seq > ? "
			   "ORDER BY seq",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_int64(st, 1, after_seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_record r;
		bool ok[13];
		const char *bad = NULL;

		memset(&r, 0, sizeof r);
		r.seq = sqlite3_column_int64(st, 0);
		ok[0] = true;
		ok[1] = plain_text(st, 1) &&
			sqlite3_column_bytes(st, 1) == TIME_ISO_SIZE - 1;
		if (ok[1])
			memcpy(r.ts, col_text(st, 1), TIME_ISO_SIZE);
		ok[2] = sqlite3_column_type(st, 2) == SQLITE_INTEGER;
		r.uid = sqlite3_column_int64(st, 2);
		ok[3] = plain_text(st, 3);
		r.login = (char *)col_text(st, 3);
		ok[4] = sqlite3_column_type(st, 4) == SQLITE_NULL ||
			(sqlite3_column_type(st, 4) == SQLITE_INTEGER &&
			 sqlite3_column_int64(st, 4) >= 0);
		r.login_uid = sqlite3_column_type(st, 4) == SQLITE_NULL
				  ? -1
				  : sqlite3_column_int64(st, 4);
		ok[5] = plain_text(st, 5);
		r.action = (char *)col_text(st, 5);
		ok[6] = plain_text(st, 6);
		r.entity = (char *)col_text(st, 6);
		ok[7] = plain_text(st, 7);
		r.entity_id = (char *)col_text(st, 7);
		ok[8] = text_or_null(st, 8);
		r.project_id = (char *)col_text(st, 8);
		ok[9] = text_or_null(st, 9);
		r.before = (char *)col_text(st, 9);
		ok[10] = text_or_null(st, 10);
		r.after = (char *)col_text(st, 10);
		ok[11] = hash_column(st, 11, r.prev_hash);
		ok[12] = hash_column(st, 12, r.hash);
		for (int i = 0; i < 13 && !bad; i++)
			if (!ok[i])
				bad = names[i];
		if (!fn(ctx, &r, bad))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* The tables the audit trail describes, each with its columns in the
 * order of the enums in model.h. */
static const struct {
	const char *name;
	const char *sql;
} tables[MODEL_TABLE_COUNT] = {
    [MODEL_USERS] = {"users", "SELECT id, login, full_name, is_admin, "
			      "created_at FROM users"},
    [MODEL_PROJECTS] = {"projects",
			"SELECT id, code, name, created_at FROM projects"},
    [MODEL_STAGES] = {"stages", "SELECT id, project_id, code, position, "
				"status FROM stages"},
    [MODEL_MEMBERS] = {"members", "SELECT project_id, user_id, role, "
				  "senior FROM members"},
    [MODEL_TASKS] = {"tasks",
		     "SELECT id, stage_id, type, name, description, status, "
		     "priority, responsible, planned_at, version, environment, "
		     "logs, authorized_by, authorized_at, started_by, "
		     "started_at, executed_by, executed_at, source_task, "
		     "created_by, created_at, row_version, closed_by, "
		     "closed_at, close_reason, rollback_of, fixes, risk, "
		     "backout_plan FROM tasks"},
    [MODEL_COUNTS] = {"deploy_counts",
		      "SELECT stage_id, status, n FROM deploy_counts"},
    [MODEL_SETTINGS] = {"settings", "SELECT key, value FROM settings"},
    [MODEL_APPROVALS] = {"approvals",
			 "SELECT task_id, user_id, approved_at, expires_at "
			 "FROM approvals"},
    [MODEL_POLICIES] = {"policies", "SELECT project_id, environment, key, "
				    "value FROM policies"},
    [MODEL_FREEZES] =
	{"freezes", "SELECT id, project_id, environment, starts_at, ends_at, "
		    "weekly_from, weekly_to, reason, created_by, created_at "
		    "FROM freezes"},
    [MODEL_EXCEPTIONS] = {"exceptions",
			  "SELECT id, task_id, action, rules, reason, "
			  "opened_by, opened_at, reviewed_by, reviewed_at, "
			  "review_note FROM exceptions"},
    [MODEL_BLOCKS] = {"blocked_versions",
		      "SELECT project_id, version, reason, blocked_by, "
		      "blocked_at FROM blocked_versions"},
};

enum dd_code
model_table_count(struct model_db *db, enum model_table t, int64_t *out,
		  struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	enum dd_code code;

	*out = 0;
	strbuf_addf(&sql, "SELECT count(*) FROM %s", tables[t].name);
	code = mdb_int(db, strbuf_str(&sql), out, err);
	strbuf_release(&sql);
	return code;
}

const char *
model_table_name(enum model_table t)
{
	return tables[t].name;
}

enum dd_code
model_table_scan(struct model_db *db, enum model_table t, model_row_fn fn,
		 void *ctx, struct dd_error *err)
{
	struct model_cell cells[MODEL_COLUMNS_MAX];
	const char *names[MODEL_COLUMNS_MAX];
	sqlite3_stmt *st;
	enum dd_code code;
	int rc, n;

	code = mdb_prepare(db, tables[t].sql, &st, err);
	if (code)
		return code;
	n = sqlite3_column_count(st);
	if (n > MODEL_COLUMNS_MAX)
		n = MODEL_COLUMNS_MAX;
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			struct model_cell *c = &cells[i];

			memset(c, 0, sizeof *c);
			c->name = names[i];
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				c->kind = MODEL_CELL_NULL;
				break;
			case SQLITE_INTEGER:
				c->kind = MODEL_CELL_INT;
				c->i = sqlite3_column_int64(st, i);
				break;
			case SQLITE_TEXT:
				c->kind = MODEL_CELL_TEXT;
				c->s = col_text(st, i);
				c->len = (size_t)sqlite3_column_bytes(st, i);
				break;
			default:
				c->kind = MODEL_CELL_OTHER;
				break;
			}
		}
		if (!fn(ctx, cells))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}
