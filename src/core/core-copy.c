/* SPDX-License-Identifier: MIT */
/* db copy: a whole database into a new one, an admin's move of the record
 * to another place or engine, its audit trail and ids unchanged. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/strbuf.h"

void
core_copy_report_free(struct core_copy_report *r)
{
	free(r->from);
	free(r->to);
	free(r->backup);
	memset(r, 0, sizeof *r);
}

/* Makes the copy at to of s's database, which is being read. A file is
 * built aside and moved into place once whole, never over a file; a
 * server's database is filled in the transaction that makes its schema. */
static enum dd_code
copy_into(struct core_session *s, const char *to, bool server,
	  struct core_copy_report *out, struct dd_error *err)
{
	struct model_db *dst = NULL;
	char *tmp = NULL;
	enum dd_code code = DD_OK;

	if (server) {
		code = model_copy_open(to, true, &dst, err);
	} else {
		code = model_check_new(to, err);
		if (!code) {
			tmp = model_temp_path(to);
			code = model_copy_open(tmp, false, &dst, err);
		}
	}
	if (!code) {
		out->to = xstrdup(server ? model_name(dst) : to);
		code = model_copy(s->db, dst, &out->rows, err);
	}
	/* model_commit rolls back what it cannot commit. */
	if (!code)
		code = model_commit(dst, err);
	else if (dst)
		model_rollback(dst);
	/* Closing the last connection empties the write-ahead log into the
	 * file, which can then move into place. */
	model_close(dst);
	if (!code && tmp)
		code = model_publish(tmp, to, NULL, err);
	if (code && tmp)
		model_delete(tmp);
	free(tmp);
	return code;
}

enum dd_code
core_db_copy(const char *from, const char *to,
	     const struct core_copy_options *opt, struct core_copy_report *out,
	     struct dd_error *err)
{
	struct core_session *s = NULL;
	unsigned char head[32];
	enum db_location_kind from_kind, to_kind;
	char *src = db_location_plain(from, &from_kind);
	char *dst = db_location_plain(to, &to_kind);
	bool began = false;
	enum dd_code code = DD_OK;

	memset(out, 0, sizeof *out);
	/* The same text twice; another name of the same file is refused as
	 * a file that exists, and of the same server's schema as one that
	 * is not empty. */
	if (strcmp(src, dst) == 0)
		code = dd_fail(err, DD_ERR_INPUT,
			       _("FROM and TO name the same database: the "
				 "copy goes to a new location"));
	if (!code)
		code = core_open(src, opt->as_login, opt->shared, &s, err);
	if (!code && core_migration_backup(s))
		out->backup = xstrdup(core_migration_backup(s));
	if (!code && !s->me.is_admin)
		code = dd_fail(err, DD_ERR_PERM, _("only an admin may %s"),
			       _("copy the database"));
	if (!code) {
		out->from = xstrdup(model_name(s->db));
		code = model_read_begin(s->db, &began, err);
	}
	/* Its first read fixes the state of the data read (SQLite's BEGIN
	 * reads nothing yet): every file of the source is open, every
	 * connection made, before the caller settles. */
	if (!code)
		code = model_audit_head(s->db, &out->head_seq, head, err);
	if (!code) {
		core_hex(head, sizeof head, out->head);
		if (opt->settle)
			code = opt->settle(opt->data, err);
	}
	if (!code)
		code = copy_into(s, dst, to_kind == DB_LOCATION_POSTGRESQL, out,
				 err);
	if (s)
		model_read_end(s->db, began);
	core_close(s);
	free(src);
	free(dst);
	return code;
}
