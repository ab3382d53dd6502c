/* SPDX-License-Identifier: MIT */
/* db copy FROM TO: a whole database into a new one, in a file or on a
 * PostgreSQL server, its ids and audit trail unchanged. */
#include "cli/cli.h"

#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/priv.h"

/* Gives the shared install's group up for good once the source is being
 * read, before TO is touched: the copy goes only where the person could
 * write without it, and a server's location in TO cannot have libpq read
 * what the group guards (a password file, a key) and hand it to a server
 * of the person's choosing. */
static enum dd_code
settle(void *data, struct dd_error *err)
{
	struct cli_ctx *ctx = data;

	ctx->shared = false;
	if (priv_drop(err) != DD_OK)
		return err->code;
	/* TO is the person's: libpq may read their files for it. */
	priv_home_back();
	return DD_OK;
}

/* --format csv or json: what was copied, for scripts. */
static void
copy_report(struct cli_ctx *ctx, const struct core_copy_report *r)
{
	struct cli_record *rec;
	char rows[24], seq[24];

	if (ctx->format == FORMAT_TABLE)
		return;
	snprintf(rows, sizeof rows, "%lld", (long long)r->rows);
	snprintf(seq, sizeof seq, "%lld", (long long)r->head_seq);
	rec = cli_record_begin(ctx);
	cli_record_field(rec, "from", _("Source"),
			 (struct cli_cell){r->from, NULL, CELL_STRING});
	cli_record_field(rec, "to", _("Copy"),
			 (struct cli_cell){r->to, NULL, CELL_STRING});
	cli_record_field(rec, "rows", _("Rows copied"),
			 (struct cli_cell){rows, NULL, CELL_NUMBER});
	cli_record_field(rec, "head_seq", _("Last record"),
			 (struct cli_cell){seq, NULL, CELL_NUMBER});
	cli_record_field(rec, "head_hash", _("Last record's hash"),
			 (struct cli_cell){r->head, NULL, CELL_STRING});
	cli_record_end(rec);
}

int
cli_db_copy(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_copy_options opt = {
	    .as_login = ctx->as_login, .settle = settle, .data = ctx};
	struct core_copy_report r;
	struct dd_error err = {0};
	const char *from_path;
	enum dd_code code;

	if (ctx->db_given)
		return cli_usage(_("%s copies FROM into TO: --db does not "
				   "apply"),
				 a->name);
	if (!a->ops[0][0])
		return cli_usage(_("%s: FROM is empty"), a->name);
	if (!a->ops[1][0])
		return cli_usage(_("%s: TO is empty"), a->name);
	/* The group is kept only to read the shared install's own
	 * database, and given up as soon as it is being read. */
	db_location(a->ops[0], &from_path);
	opt.shared = ctx->shared && cli_database_is_shared_one(ctx, from_path);
	if (!opt.shared) {
		ctx->shared = false;
		if (priv_drop(&err) != DD_OK)
			return cli_fail(err.code, &err);
	}
	/* FROM, read with the group: none of the person's files for its
	 * connection (util/priv.h). */
	priv_home_away();
	code = core_db_copy(a->ops[0], a->ops[1], &opt, &r, &err);
	priv_home_back();
	if (r.backup)
		cli_error(_("upgraded the database's schema; the previous "
			    "version is saved as %s"),
			  r.backup);
	if (code) {
		core_copy_report_free(&r);
		return cli_fail(code, &err);
	}
	cli_done(ctx,
		 ngettext_("Copied %s into %s: %lld row; the audit trail's "
			   "head is record %lld in both",
			   "Copied %s into %s: %lld rows; the audit trail's "
			   "head is record %lld in both",
			   (unsigned long)r.rows),
		 r.from, r.to, (long long)r.rows, (long long)r.head_seq);
	copy_report(ctx, &r);
	core_copy_report_free(&r);
	return 0;
}
