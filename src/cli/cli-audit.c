/* Commands for the audit trail: list it, verify its chain. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

#define AUDIT_PAGE 500

static const struct option no_options[] = {{NULL, 0, NULL, 0}};

static int
take_nothing(int opt, const char *arg, void *data)
{
	(void)opt, (void)arg, (void)data;
	return 0;
}

static int
audit_list(struct cli_ctx *ctx, const char *project_ref)
{
	static const char *const keys[] = {
	    "seq", "ts", "login", "action", "entity_id", "before", "after"};
	const char *headers[] = {_("#"),      _("When"),   _("Who"),
				 _("Action"), _("Object"), _("Before"),
				 _("After")};
	struct dd_error err = {0};
	struct core_project p;
	const char *project_id = NULL;
	struct cli_list *l;
	int64_t after = 0;
	enum dd_code code;

	memset(&p, 0, sizeof p);
	code = cli_open(ctx, &err);
	if (!code && project_ref) {
		code = core_project_open(ctx->s, project_ref, &p, &err);
		project_id = p.project.id;
	}
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 7, keys, headers);
	for (;;) {
		struct audit_list page;

		code = core_audit_page(ctx->s, project_id, NULL, after,
				       AUDIT_PAGE, &page, &err);
		if (code)
			break;
		for (size_t i = 0; i < page.count; i++) {
			struct audit_record *r = &page.items[i];
			char seq[24], when[32], object[16];

			snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
			time_local_display(r->ts, when, sizeof when);
			snprintf(object, sizeof object, "%.8s", r->entity_id);
			struct cli_cell cells[] = {
			    {seq, NULL, CELL_NUMBER},
			    {r->ts, when, CELL_STRING},
			    {r->login, NULL, CELL_STRING},
			    {r->action, NULL, CELL_STRING},
			    {r->entity_id,
			     ctx->format == FORMAT_TABLE ? object : NULL,
			     CELL_STRING},
			    {r->before, NULL, CELL_STRING},
			    {r->after, NULL, CELL_STRING},
			};
			cli_list_row(l, cells);
			after = r->seq;
		}
		if (page.count < AUDIT_PAGE) {
			audit_list_free(&page);
			break;
		}
		audit_list_free(&page);
	}
	cli_list_end(l);
	if (project_ref)
		core_project_free(&p);
	return code ? cli_fail(code, &err) : 0;
}

static int
audit_verify(struct cli_ctx *ctx)
{
	struct core_audit_report rep;
	struct dd_error err = {0};
	struct cli_record *r;
	char checked[24], bad[24];
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_audit_verify(ctx->s, &rep, &err);
	if (code)
		return cli_fail(code, &err);
	snprintf(checked, sizeof checked, "%lld", (long long)rep.checked);
	snprintf(bad, sizeof bad, "%lld", (long long)rep.first_bad);
	if (ctx->format == FORMAT_TABLE) {
		if (rep.first_bad)
			cli_error(_("audit trail damaged at record %s: %s"),
				  bad, rep.problem);
		else
			cli_say(ctx,
				ngettext_("audit trail intact: %s record "
					  "checked",
					  "audit trail intact: %s records "
					  "checked",
					  (unsigned long)rep.checked),
				checked);
	} else {
		r = cli_record_begin(ctx);
		cli_record_field(
		    r, "intact", _("Intact"),
		    (struct cli_cell){rep.first_bad ? "false" : "true", NULL,
				      CELL_NUMBER});
		cli_record_field(r, "checked", _("Checked"),
				 (struct cli_cell){checked, NULL, CELL_NUMBER});
		cli_record_field(r, "first_bad", _("First bad record"),
				 (struct cli_cell){rep.first_bad ? bad : NULL,
						   NULL, CELL_NUMBER});
		cli_record_field(
		    r, "problem", _("Problem"),
		    (struct cli_cell){rep.first_bad ? rep.problem : NULL, NULL,
				      CELL_STRING});
		cli_record_end(r);
	}
	return rep.first_bad ? DD_ERR_RUNTIME : 0;
}

int
cli_cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *verb = argc >= 2 ? argv[1] : "";
	char *ops[2] = {NULL, NULL};
	int n;

	if (cli_getopt(argc - 1, argv + 1, no_options, take_nothing, NULL) < 0)
		return DD_ERR_INPUT;
	n = cli_operands(argc - 1, argv + 1, no_options, ops, 1);
	if (strcmp(verb, "list") == 0) {
		if (n > 1)
			return cli_usage(_("audit list takes at most one "
					   "project"));
		return audit_list(ctx, n == 1 ? ops[0] : NULL);
	}
	if (strcmp(verb, "verify") == 0) {
		if (n != 0)
			return cli_usage(_("audit verify takes no argument"));
		return audit_verify(ctx);
	}
	return cli_usage(_("audit: expected 'list' or 'verify'"));
}
