/* SPDX-License-Identifier: MIT */
/* What `audit verify` reads: the schema compared with the one this version
 * creates (by the backend), the audit trail and the described tables streamed
 * as stored, without a copy of each row. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

enum dd_code
model_schema_check(struct model_db *db, struct dd_error *err)
{
	return db->be->schema_check(db, MODEL_SCHEMA_VERSION, err);
}

/* A text column exactly as stored: its bytes hold no NUL. */
static bool
plain_text(struct mdb_stmt *st, int i)
{
	const char *s;

	if (mdb_col_type(st, i) != MDB_TEXT)
		return false;
	s = mdb_col_text(st, i);
	return s && strlen(s) == mdb_col_bytes(st, i);
}

/* A column that is NULL or plain text. */
static bool
text_or_null(struct mdb_stmt *st, int i)
{
	return mdb_col_null(st, i) || plain_text(st, i);
}

static bool
hash_column(struct mdb_stmt *st, int i, unsigned char out[32])
{
	if (mdb_col_type(st, i) != MDB_BLOB || mdb_col_bytes(st, i) != 32)
		return false;
	memcpy(out, mdb_col_blob(st, i), 32);
	return true;
}

static const char *
col_text(struct mdb_stmt *st, int i)
{
	return mdb_col_text(st, i);
}

enum dd_code
model_audit_scan(struct model_db *db, int64_t after_seq, model_audit_fn fn,
		 void *ctx, struct dd_error *err)
{
	static const char *const names[] = {
	    "seq",    "ts",	   "uid",	"login",      "login_uid",
	    "action", "entity",	   "entity_id", "project_id", "before",
	    "after",  "prev_hash", "hash",	"host"};
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT seq, ts, uid, login, login_uid, action, "
			   "entity, entity_id, project_id, before, after, "
			   "prev_hash, hash, host FROM audit WHERE seq > ? "
			   "ORDER BY seq",
			   &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, after_seq);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		struct audit_record r;
		bool ok[14];
		const char *bad = NULL;

		memset(&r, 0, sizeof r);
		r.seq = mdb_col_int(st, 0);
		ok[0] = true;
		ok[1] = plain_text(st, 1) &&
			mdb_col_bytes(st, 1) == TIME_ISO_SIZE - 1;
		if (ok[1])
			memcpy(r.ts, col_text(st, 1), TIME_ISO_SIZE);
		ok[2] = mdb_col_type(st, 2) == MDB_INTEGER;
		r.uid = mdb_col_int(st, 2);
		ok[3] = plain_text(st, 3);
		r.login = (char *)col_text(st, 3);
		ok[4] = mdb_col_null(st, 4) ||
			(mdb_col_type(st, 4) == MDB_INTEGER &&
			 mdb_col_int(st, 4) >= 0);
		r.login_uid = mdb_col_null(st, 4) ? -1 : mdb_col_int(st, 4);
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
		ok[13] = text_or_null(st, 13);
		r.host = (char *)col_text(st, 13);
		for (int i = 0; i < 14 && !bad; i++)
			if (!ok[i])
				bad = names[i];
		if (!fn(ctx, &r, bad))
			break;
	}
	if (rc != MDB_ROW && rc != MDB_DONE)
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
	struct mdb_stmt *st;
	enum dd_code code;
	int rc, n;

	code = mdb_prepare(db, tables[t].sql, &st, err);
	if (code)
		return code;
	n = mdb_column_count(st);
	if (n > MODEL_COLUMNS_MAX)
		n = MODEL_COLUMNS_MAX;
	for (int i = 0; i < n; i++)
		names[i] = mdb_column_name(st, i);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		for (int i = 0; i < n; i++) {
			struct model_cell *c = &cells[i];

			memset(c, 0, sizeof *c);
			c->name = names[i];
			switch (mdb_col_type(st, i)) {
			case MDB_NULL:
				c->kind = MODEL_CELL_NULL;
				break;
			case MDB_INTEGER:
				c->kind = MODEL_CELL_INT;
				c->i = mdb_col_int(st, i);
				break;
			case MDB_TEXT:
				c->kind = MODEL_CELL_TEXT;
				c->s = col_text(st, i);
				c->len = mdb_col_bytes(st, i);
				break;
			default:
				c->kind = MODEL_CELL_OTHER;
				break;
			}
		}
		if (!fn(ctx, cells))
			break;
	}
	if (rc != MDB_ROW && rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}
