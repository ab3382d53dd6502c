/* SPDX-License-Identifier: MIT */
/* Projects, their members with their roles, and their stages. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static void
read_project(struct mdb_stmt *st, struct project *p)
{
	mdb_col_copy(st, 0, p->id, sizeof p->id);
	p->code = mdb_col_dup(st, 1);
	p->name = mdb_col_dup(st, 2);
}

enum dd_code
model_project_insert(struct model_db *db, const struct project *p,
		     const char *created_at, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO projects (id, code, name, created_at) "
			   "VALUES (?, ?, ?, ?)",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, p->id);
	mdb_bind_str(st, 2, p->code);
	mdb_bind_str(st, 3, p->name);
	mdb_bind_str(st, 4, created_at);
	return mdb_step_done(db, st, err);
}

/* Runs a project query bound to one text parameter; counts the matches
 * (up to two) so that a prefix can be told ambiguous. */
static enum dd_code
project_query(struct model_db *db, const char *sql, const char *param,
	      struct project *out, int *matches, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*matches = 0;
	code = mdb_prepare(db, sql, &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, param);
	while ((rc = mdb_step(st)) == MDB_ROW && *matches < 2) {
		if ((*matches)++ == 0)
			read_project(st, out);
	}
	if (rc != MDB_ROW && rc != MDB_DONE) {
		code = mdb_error(db, err);
		if (*matches)
			project_free(out);
		*matches = 0;
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_project_by_code(struct model_db *db, const char *code,
		      struct project *out, struct dd_error *err)
{
	int matches;
	enum dd_code rc;

	/* No stored code is text that is not UTF-8 (PostgreSQL would refuse
	 * the question itself). */
	if (!utf8_valid(code, strlen(code)))
		return DD_ERR_NOTFOUND;
	rc = project_query(db,
			   "SELECT id, code, name FROM projects WHERE code = ?",
			   code, out, &matches, err);
	if (rc)
		return rc;
	return matches ? DD_OK : DD_ERR_NOTFOUND;
}

enum dd_code
model_project_by_id_prefix(struct model_db *db, const char *prefix,
			   struct project *out, bool *ambiguous,
			   struct dd_error *err)
{
	int matches;
	enum dd_code rc;

	*ambiguous = false;
	rc = project_query(db,
			   /* A range on the primary key, as for tasks: read
			    * through its index, not the whole table. Ids are
			    * lower-case hexadecimal and '-'. */
			   "SELECT id, code, name FROM projects "
			   "WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2",
			   prefix, out, &matches, err);
	if (rc)
		return rc;
	if (matches > 1) {
		project_free(out);
		*ambiguous = true;
		return DD_ERR_NOTFOUND;
	}
	return matches ? DD_OK : DD_ERR_NOTFOUND;
}

enum dd_code
model_project_list(struct model_db *db, struct project_list *out,
		   struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	size_t cap = 0;
	int rc;

	out->items = NULL;
	out->count = 0;
	code = mdb_prepare(
	    db, "SELECT id, code, name FROM projects ORDER BY code", &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		if (out->count == cap) {
			cap = cap ? cap * 2 : 16;
			out->items =
			    xrealloc(out->items, cap * sizeof *out->items);
		}
		read_project(st, &out->items[out->count++]);
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (code)
		project_list_free(out);
	return code;
}

void
project_list_free(struct project_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		project_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

enum dd_code
model_member_upsert(struct model_db *db, const char *project_id, user_id user,
		    enum role role, bool senior, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO members (project_id, user_id, role, "
			   "senior) VALUES (?, ?, ?, ?) "
			   "ON CONFLICT (project_id, user_id) DO UPDATE SET "
			   "role = excluded.role, senior = excluded.senior",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_int(st, 2, user);
	mdb_bind_str(st, 3, role_code(role));
	mdb_bind_int(st, 4, senior);
	return mdb_step_done(db, st, err);
}

#define MEMBER_COLUMNS                                                         \
	"SELECT m.user_id, u.login, u.full_name, m.role, m.senior "            \
	"FROM members m JOIN users u ON u.id = m.user_id "

static void
read_member(struct mdb_stmt *st, struct member *m)
{
	int role = role_parse(mdb_col_text(st, 3));

	m->user = mdb_col_int(st, 0);
	m->login = mdb_col_dup(st, 1);
	m->full_name = mdb_col_dup(st, 2);
	m->role = role < 0 ? ROLE_OTHER : (enum role)role;
	m->senior = (int)mdb_col_int(st, 4) != 0;
}

static void
read_member_item(struct mdb_stmt *st, void *item)
{
	read_member(st, item);
}

enum dd_code
model_member_get(struct model_db *db, const char *project_id, user_id user,
		 struct member *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(
	    db, MEMBER_COLUMNS "WHERE m.project_id = ? AND m.user_id = ?", &st,
	    err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	mdb_bind_int(st, 2, user);
	rc = mdb_step(st);
	if (rc == MDB_ROW)
		read_member(st, out);
	else if (rc == MDB_DONE)
		code = DD_ERR_NOTFOUND;
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_member_list(struct model_db *db, const char *project_id,
		  struct member_list *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	out->items = NULL;
	out->count = 0;
	code = mdb_prepare(db,
			   MEMBER_COLUMNS "WHERE m.project_id = ? "
					  "ORDER BY u.full_name, u.login",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	code = mdb_collect(db, st, (void **)&out->items, &out->count,
			   sizeof *out->items, read_member_item, err);
	if (code)
		member_list_free(out);
	return code;
}

void
member_list_free(struct member_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		member_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

enum dd_code
model_stage_insert(struct model_db *db, const char *project_id,
		   const struct stage *s, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code =
	    mdb_prepare(db,
			"INSERT INTO stages (id, project_id, code, position, "
			"status) VALUES (?, ?, ?, ?, ?)",
			&st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, s->id);
	mdb_bind_str(st, 2, project_id);
	mdb_bind_str(st, 3, stage_code(s->code));
	mdb_bind_int(st, 4, (int)s->code);
	mdb_bind_str(st, 5, status_code(s->status));
	return mdb_step_done(db, st, err);
}

enum dd_code
model_stage_ids(struct model_db *db, enum stage_code code,
		struct stage_ids *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code c;
	size_t cap = 16;
	int rc;

	memset(out, 0, sizeof *out);
	c = mdb_prepare(db,
			"SELECT project_id, id FROM stages WHERE code = ? "
			"ORDER BY project_id",
			&st, err);
	if (c)
		return c;
	mdb_bind_str(st, 1, stage_code(code));
	out->project_ids = xcalloc(cap, sizeof *out->project_ids);
	out->ids = xcalloc(cap, sizeof *out->ids);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		if (out->count == cap) {
			cap *= 2;
			out->project_ids = xrealloc(
			    out->project_ids, cap * sizeof *out->project_ids);
			out->ids = xrealloc(out->ids, cap * sizeof *out->ids);
		}
		mdb_col_copy(st, 0, out->project_ids[out->count], UUID_SIZE);
		mdb_col_copy(st, 1, out->ids[out->count], UUID_SIZE);
		out->count++;
	}
	if (rc != MDB_DONE) {
		c = mdb_error(db, err);
		stage_ids_free(out);
	}
	mdb_release(db, st);
	return c;
}

void
stage_ids_free(struct stage_ids *s)
{
	free(s->project_ids);
	free(s->ids);
	memset(s, 0, sizeof *s);
}

enum dd_code
model_stage_list(struct model_db *db, const char *project_id,
		 struct stage out[STAGE_COUNT], struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc, found = 0;

	memset(out, 0, STAGE_COUNT * sizeof *out);
	code = mdb_prepare(db,
			   "SELECT id, code, status FROM stages "
			   "WHERE project_id = ? ORDER BY position",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, project_id);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		int c = stage_parse(mdb_col_text(st, 1));
		int s = status_parse(mdb_col_text(st, 2));

		if (c < 0 || s < 0)
			continue;
		mdb_col_copy(st, 0, out[c].id, sizeof out[c].id);
		out[c].code = (enum stage_code)c;
		out[c].status = (enum task_status)s;
		found++;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	else if (found != STAGE_COUNT)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("project %s has %d of its %d stages: the "
				 "database is damaged"),
			       project_id, found, STAGE_COUNT);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_stage_set_status(struct model_db *db, const char *stage_id,
		       enum task_status expected, enum task_status status,
		       struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE stages SET status = ? "
			   "WHERE id = ? AND status = ?",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, status_code(status));
	mdb_bind_str(st, 2, stage_id);
	mdb_bind_str(st, 3, status_code(expected));
	code = mdb_step_done(db, st, err);
	if (!code && mdb_changes(db) != 1)
		code = DD_ERR_REFUSED;
	return code;
}
