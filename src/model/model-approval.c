/* SPDX-License-Identifier: MIT */
/* Approvals of deployments, and the projects' policies that ask for them. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

enum dd_code
model_policy_read(struct model_db *db, const char *project_id,
		  struct policy *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	memset(out, 0, sizeof *out);
	code = mdb_prepare(db,
			   "SELECT environment, key, value FROM policies "
			   "WHERE project_id = ?",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		int env = env_parse(mdb_col_text(st, 0));
		int key = policy_key_parse(mdb_col_text(st, 1));

		/* A key this version does not know is left to audit
		 * verify, which names it. */
		if (env < 0 || key < 0 || mdb_col_type(st, 2) != MDB_INTEGER)
			continue;
		out->value[env][key] = mdb_col_int(st, 2);
		out->set[env][key] = true;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_policy_write(struct model_db *db, const char *project_id,
		   enum environment env, enum policy_key key, int64_t value,
		   struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO policies (project_id, environment, "
			   "key, value) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT (project_id, environment, key) "
			   "DO UPDATE SET value = ?4",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_str(st, 2, env_code(env));
	mdb_bind_str(st, 3, policy_key_code(key));
	mdb_bind_int(st, 4, value);
	return mdb_step_done(db, st, err);
}

static void
read_approval(struct mdb_stmt *st, void *item)
{
	struct approval *a = item;

	a->by.id = mdb_col_int(st, 0);
	a->by.login = mdb_col_dup(st, 1);
	a->by.full_name = mdb_col_dup(st, 2);
	mdb_col_copy(st, 3, a->approved_at, sizeof a->approved_at);
	mdb_col_copy(st, 4, a->expires_at, sizeof a->expires_at);
}

enum dd_code
model_approvals(struct model_db *db, const char *task_id,
		struct approval_list *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

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
	mdb_bind_str(st, 1, task_id);
	code = mdb_collect(db, st, (void **)&out->items, &out->count,
			   sizeof *out->items, read_approval, err);
	if (code)
		approval_list_free(out);
	return code;
}

enum dd_code
model_approval_put(struct model_db *db, const char *task_id, user_id by,
		   const char *at, const char *expires, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO approvals (task_id, user_id, "
			   "approved_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
			   "ON CONFLICT (task_id, user_id) DO UPDATE SET "
			   "approved_at = ?3, expires_at = ?4",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, task_id);
	mdb_bind_int(st, 2, by);
	mdb_bind_str(st, 3, at);
	mdb_bind_text(st, 4, expires && *expires ? expires : NULL);
	return mdb_step_done(db, st, err);
}

enum dd_code
model_approval_delete(struct model_db *db, const char *task_id, user_id by,
		      struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "DELETE FROM approvals WHERE task_id = ? AND "
			   "(? = 0 OR user_id = ?)",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, task_id);
	mdb_bind_int(st, 2, by);
	mdb_bind_int(st, 3, by);
	code = mdb_step_done(db, st, err);
	if (!code && by && mdb_changes(db) != 1)
		code = DD_ERR_NOTFOUND;
	return code;
}

/* ---------------------------------------------------------------- freezes */

static void
read_freeze(struct mdb_stmt *st, void *item)
{
	struct freeze *f = item;
	int env;

	f->id = mdb_col_int(st, 0);
	mdb_col_copy(st, 1, f->project_id, sizeof f->project_id);
	f->project_code = mdb_col_dup(st, 2);
	env = env_parse(mdb_col_text(st, 3));
	f->has_env = env >= 0;
	f->environment = env >= 0 ? (enum environment)env : ENV_DEV;
	mdb_col_copy(st, 4, f->starts_at, sizeof f->starts_at);
	mdb_col_copy(st, 5, f->ends_at, sizeof f->ends_at);
	f->weekly = mdb_col_type(st, 6) == MDB_INTEGER;
	f->weekly_from = (int)mdb_col_int(st, 6);
	f->weekly_to = (int)mdb_col_int(st, 7);
	f->reason = mdb_col_dup(st, 8);
	f->created_by.id = mdb_col_int(st, 9);
	f->created_by.login = mdb_col_dup(st, 10);
	f->created_by.full_name = mdb_col_dup(st, 11);
	mdb_col_copy(st, 12, f->created_at, sizeof f->created_at);
}

enum dd_code
model_freezes(struct model_db *db, const char *project_id,
	      struct freeze_list *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	out->items = NULL;
	out->count = 0;
	code = mdb_prepare(
	    db,
	    "SELECT f.id, f.project_id, p.code, f.environment, f.starts_at, "
	    "f.ends_at, f.weekly_from, f.weekly_to, f.reason, f.created_by, "
	    "u.login, u.full_name, f.created_at FROM freezes f "
	    "LEFT JOIN projects p ON p.id = f.project_id "
	    "JOIN users u ON u.id = f.created_by "
	    "WHERE CAST(?1 AS TEXT) IS NULL OR f.project_id IS NULL OR "
	    "f.project_id = ?1 "
	    "ORDER BY f.id",
	    &st, err);
	if (code)
		return code;
	mdb_bind_text(st, 1, project_id);
	code = mdb_collect(db, st, (void **)&out->items, &out->count,
			   sizeof *out->items, read_freeze, err);
	if (code)
		freeze_list_free(out);
	return code;
}

enum dd_code
model_freeze_insert(struct model_db *db, const struct freeze *f,
		    int64_t *id_out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(
	    db,
	    "INSERT INTO freezes (project_id, environment, starts_at, "
	    "ends_at, weekly_from, weekly_to, reason, created_by, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    &st, err);
	if (code)
		return code;
	mdb_bind_text(st, 1, f->project_id[0] ? f->project_id : NULL);
	mdb_bind_text(st, 2, f->has_env ? env_code(f->environment) : NULL);
	mdb_bind_text(st, 3, f->weekly ? NULL : f->starts_at);
	mdb_bind_text(st, 4, f->weekly ? NULL : f->ends_at);
	if (f->weekly) {
		mdb_bind_int(st, 5, f->weekly_from);
		mdb_bind_int(st, 6, f->weekly_to);
	}
	mdb_bind_str(st, 7, f->reason);
	mdb_bind_int(st, 8, f->created_by.id);
	mdb_bind_str(st, 9, f->created_at);
	return mdb_step_id(db, st, id_out, err);
}

enum dd_code
model_freeze_delete(struct model_db *db, int64_t id, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db, "DELETE FROM freezes WHERE id = ?", &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, id);
	code = mdb_step_done(db, st, err);
	if (!code && mdb_changes(db) != 1)
		code = DD_ERR_NOTFOUND;
	return code;
}

/* ------------------------------------------------------------- exceptions */

static void
read_exception(struct mdb_stmt *st, void *item)
{
	struct exception *e = item;

	e->id = mdb_col_int(st, 0);
	mdb_col_copy(st, 1, e->task_id, sizeof e->task_id);
	e->version = mdb_col_dup(st, 2);
	e->project_code = mdb_col_dup(st, 3);
	mdb_col_copy(st, 4, e->action, sizeof e->action);
	e->rules = mdb_col_dup(st, 5);
	e->reason = mdb_col_dup(st, 6);
	e->opened_by.id = mdb_col_int(st, 7);
	e->opened_by.login = mdb_col_dup(st, 8);
	e->opened_by.full_name = mdb_col_dup(st, 9);
	mdb_col_copy(st, 10, e->opened_at, sizeof e->opened_at);
	e->reviewed_by.id = mdb_col_int(st, 11);
	e->reviewed_by.login = mdb_col_dup(st, 12);
	e->reviewed_by.full_name = mdb_col_dup(st, 13);
	mdb_col_copy(st, 14, e->reviewed_at, sizeof e->reviewed_at);
	e->review_note = mdb_col_dup(st, 15);
}

enum dd_code
model_exceptions(struct model_db *db, const char *project_id, bool open_only,
		 struct exception_list *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	out->items = NULL;
	out->count = 0;
	code = mdb_prepare(
	    db,
	    "SELECT e.id, e.task_id, t.version, p.code, e.action, e.rules, "
	    "e.reason, e.opened_by, ou.login, ou.full_name, e.opened_at, "
	    "e.reviewed_by, ru.login, ru.full_name, e.reviewed_at, "
	    "e.review_note FROM exceptions e "
	    "JOIN tasks t ON t.id = e.task_id "
	    "JOIN stages s ON s.id = t.stage_id "
	    "JOIN projects p ON p.id = s.project_id "
	    "JOIN users ou ON ou.id = e.opened_by "
	    "LEFT JOIN users ru ON ru.id = e.reviewed_by "
	    "WHERE (CAST(?1 AS TEXT) IS NULL OR s.project_id = ?1) "
	    "AND (?2 = 0 OR e.reviewed_by IS NULL) ORDER BY e.id",
	    &st, err);
	if (code)
		return code;
	mdb_bind_text(st, 1, project_id);
	mdb_bind_int(st, 2, open_only);
	code = mdb_collect(db, st, (void **)&out->items, &out->count,
			   sizeof *out->items, read_exception, err);
	if (code)
		exception_list_free(out);
	return code;
}

enum dd_code
model_exception_insert(struct model_db *db, const struct exception *e,
		       int64_t *id_out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO exceptions (task_id, action, rules, "
			   "reason, opened_by, opened_at) "
			   "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, e->task_id);
	mdb_bind_str(st, 2, e->action);
	mdb_bind_str(st, 3, e->rules);
	mdb_bind_str(st, 4, e->reason);
	mdb_bind_int(st, 5, e->opened_by.id);
	mdb_bind_str(st, 6, e->opened_at);
	return mdb_step_id(db, st, id_out, err);
}

enum dd_code
model_exception_review(struct model_db *db, int64_t id, user_id by,
		       const char *at, const char *note, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE exceptions SET reviewed_by = ?1, "
			   "reviewed_at = ?2, review_note = ?3 "
			   "WHERE id = ?4 AND reviewed_by IS NULL",
			   &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, by);
	mdb_bind_str(st, 2, at);
	mdb_bind_str(st, 3, note);
	mdb_bind_int(st, 4, id);
	code = mdb_step_done(db, st, err);
	if (!code && mdb_changes(db) != 1)
		code = DD_ERR_REFUSED;
	return code;
}

/* --------------------------------------------------------- blocked versions */

enum dd_code
model_version_block_get(struct model_db *db, const char *project_id,
			const char *version, char **reason, char **by,
			struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*reason = *by = NULL;
	code = mdb_prepare(db,
			   "SELECT b.reason, u.login FROM blocked_versions b "
			   "JOIN users u ON u.id = b.blocked_by "
			   "WHERE b.project_id = ? AND b.version = ?",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_str(st, 2, version);
	rc = mdb_step(st);
	if (rc == MDB_ROW) {
		*reason = mdb_col_dup(st, 0);
		*by = mdb_col_dup(st, 1);
	} else if (rc == MDB_DONE) {
		code = DD_ERR_NOTFOUND;
	} else {
		code = mdb_error(db, err);
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_version_block(struct model_db *db, const char *project_id,
		    const char *version, const char *reason, user_id by,
		    const char *at, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO blocked_versions (project_id, version, "
			   "reason, blocked_by, blocked_at) "
			   "VALUES (?, ?, ?, ?, ?)",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_str(st, 2, version);
	mdb_bind_str(st, 3, reason);
	mdb_bind_int(st, 4, by);
	mdb_bind_str(st, 5, at);
	return mdb_step_done(db, st, err);
}

enum dd_code
model_version_unblock(struct model_db *db, const char *project_id,
		      const char *version, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "DELETE FROM blocked_versions "
			   "WHERE project_id = ? AND version = ?",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_str(st, 2, version);
	code = mdb_step_done(db, st, err);
	if (!code && mdb_changes(db) != 1)
		code = DD_ERR_NOTFOUND;
	return code;
}

static void
read_version(struct mdb_stmt *st, void *item)
{
	*(char **)item = mdb_col_dup(st, 0);
}

enum dd_code
model_blocked_versions(struct model_db *db, const char *project_id, char ***out,
		       size_t *count, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	*out = NULL;
	*count = 0;
	code = mdb_prepare(db,
			   "SELECT version FROM blocked_versions "
			   "WHERE project_id = ? ORDER BY version",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	code = mdb_collect(db, st, (void **)out, count, sizeof **out,
			   read_version, err);
	if (code) {
		for (size_t i = 0; i < *count; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*count = 0;
	}
	return code;
}
