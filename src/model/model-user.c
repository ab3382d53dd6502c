/* SPDX-License-Identifier: MIT */
/* Users: the people deploydesk knows, keyed by their OS login. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/utf8.h"

static void
read_user(struct mdb_stmt *st, struct user *u)
{
	u->id = mdb_col_int(st, 0);
	u->login = mdb_col_dup(st, 1);
	u->full_name = mdb_col_dup(st, 2);
	u->is_admin = (int)mdb_col_int(st, 3) != 0;
}

static void
read_user_item(struct mdb_stmt *st, void *item)
{
	read_user(st, item);
}

enum dd_code
model_user_insert(struct model_db *db, struct user *u, const char *created_at,
		  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO users (login, full_name, is_admin, "
			   "created_at) VALUES (?, ?, ?, ?) RETURNING id",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, u->login);
	mdb_bind_str(st, 2, u->full_name);
	mdb_bind_int(st, 3, u->is_admin);
	mdb_bind_str(st, 4, created_at);
	return mdb_step_id(db, st, &u->id, err);
}

enum dd_code
model_user_by_login(struct model_db *db, const char *login, struct user *out,
		    struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	/* No stored login is text that is not UTF-8 (PostgreSQL would
	 * refuse the question itself). */
	if (!utf8_valid(login, strlen(login)))
		return DD_ERR_NOTFOUND;
	code = mdb_prepare(db,
			   "SELECT id, login, full_name, is_admin FROM users "
			   "WHERE login = ?",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, login);
	rc = mdb_step(st);
	if (rc == MDB_ROW)
		read_user(st, out);
	else if (rc == MDB_DONE)
		code = DD_ERR_NOTFOUND;
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_user_list(struct model_db *db, struct user_list *out,
		struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	out->items = NULL;
	out->count = 0;
	code = mdb_prepare(db,
			   "SELECT id, login, full_name, is_admin FROM users "
			   "ORDER BY login",
			   &st, err);
	if (code)
		return code;
	code = mdb_collect(db, st, (void **)&out->items, &out->count,
			   sizeof *out->items, read_user_item, err);
	if (code)
		user_list_free(out);
	return code;
}

void
user_list_free(struct user_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		user_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
