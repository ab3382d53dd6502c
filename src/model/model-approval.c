/* SPDX-License-Identifier: MIT */
/* Approvals of deployments, and the projects' policies that ask for them. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

enum dd_code
model_policy_read(struct model_db *db, const char *project_id,
		  struct policy *out, struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	memset(out, 0, sizeof *out);
	code = mdb_prepare(db,
			   "SELECT environment, key, value FROM policies "
			   "WHERE project_id = ?",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, project_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int env = env_parse((const char *)sqlite3_column_text(st, 0));
		int key =
		    policy_key_parse((const char *)sqlite3_column_text(st, 1));

		/* A key this version does not know is left to audit
		 * verify, which names it. */
		if (env < 0 || key < 0 ||
		    sqlite3_column_type(st, 2) != SQLITE_INTEGER)
			continue;
		out->value[env][key] = sqlite3_column_int64(st, 2);
		out->set[env][key] = true;
	}
	if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_policy_write(struct model_db *db, const char *project_id,
		   enum environment env, enum policy_key key, int64_t value,
		   struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO policies (project_id, environment, "
			   "key, value) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT (project_id, environment, key) "
			   "DO UPDATE SET value = ?4",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, project_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, env_code(env), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, policy_key_code(key), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, value);
	return mdb_step_done(db, st, err);
}

enum dd_code
model_approvals(struct model_db *db, const char *task_id,
		struct approval_list *out, struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	size_t cap = 0;
	int rc;

	out->items = NULL;
	out->count = 0;
	code =
	    mdb_prepare(db,
			"SELECT a.user_id, u.login, u.full_name, "
			"a.approved_at, a.expires_at FROM approvals a "
			"JOIN users u ON u.id = a.user_id "
			"WHERE a.task_id = ? ORDER BY a.approved_at, u.login",
			&st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, task_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct approval *a;

		if (out->count == cap) {
			cap = cap ? cap * 2 : 4;
			out->items =
			    xrealloc(out->items, cap * sizeof *out->items);
		}
		a = &out->items[out->count++];
		memset(a, 0, sizeof *a);
		a->by.id = sqlite3_column_int64(st, 0);
		a->by.login = mdb_col_dup(st, 1);
		a->by.full_name = mdb_col_dup(st, 2);
		mdb_col_copy(st, 3, a->approved_at, sizeof a->approved_at);
		mdb_col_copy(st, 4, a->expires_at, sizeof a->expires_at);
	}
	if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (code)
		approval_list_free(out);
	return code;
}

enum dd_code
model_approval_put(struct model_db *db, const char *task_id, user_id by,
		   const char *at, const char *expires, struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO approvals (task_id, user_id, "
			   "approved_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT (task_id, user_id) DO UPDATE SET "
			   "approved_at = ?3, expires_at = ?4",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, by);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	mdb_bind_text(st, 4, expires && *expires ? expires : NULL);
	return mdb_step_done(db, st, err);
}

enum dd_code
model_approval_delete(struct model_db *db, const char *task_id, user_id by,
		      struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "DELETE FROM approvals WHERE task_id = ? AND "
			   "(? = 0 OR user_id = ?)",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, by);
	sqlite3_bind_int64(st, 3, by);
	code = mdb_step_done(db, st, err);
	if (!code && by && sqlite3_changes(db->conn) != 1)
		code = DD_ERR_NOTFOUND;
	return code;
}
