/* SPDX-License-Identifier: MIT */
/* Commands for the database, people, projects, members and stages. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/priv.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

/* init's record for scripts, with --format csv or json: the new
 * database's id and path. The table format writes nothing: what init did
 * is said on standard error. */
static int
init_report(struct cli_ctx *ctx)
{
	struct dd_error err = {0};
	struct cli_record *r;
	enum dd_code code;
	char *name;

	if (ctx->format == FORMAT_TABLE)
		return 0;
	code = cli_open(ctx, &err);
	if (code)
		return cli_fail(code, &err);
	r = cli_record_begin(ctx);
	cli_record_field(
	    r, "id", _("Id"),
	    (struct cli_cell){core_database_id(ctx->s), NULL, CELL_STRING});
	name = core_location_name(ctx->db_path, NULL);
	cli_record_field(r, "path", _("Path"),
			 (struct cli_cell){name, NULL, CELL_STRING});
	cli_record_end(r);
	free(name);
	return 0;
}

/* init --shared: the shared install's database, named by the system
 * configuration, made with the group. */
static int
init_shared(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_init_options opt = {.shared_group = cli_shared_group()};
	struct dd_error err = {0};
	enum dd_code code;
	char *name;
	int status;

	if (!opt.shared_group)
		return cli_usage(_("init --shared needs a deploydesk built for "
				   "a shared install (meson setup "
				   "-Dshared_group=GROUP); this one was not"));
	if (a->opt[OPT_SANDBOX] || a->opt[OPT_DEMO])
		return cli_usage(_("init --shared makes the team's database, "
				   "which is never a sandbox: --sandbox and "
				   "--demo do not apply"));
	if (ctx->db_given)
		return cli_usage(_("init --shared creates the database named "
				   "in %s; --db does not apply"),
				 ctx->conf.path);
	if (!ctx->conf.database)
		return cli_usage(_("%s names no database: add a line such as "
				   "'database = "
				   "/var/lib/deploydesk/deploydesk.db'"),
				 ctx->conf.path);
	ctx->db_path = ctx->conf.database;
	status = cli_database_settle(ctx, true);
	if (status)
		return status;
	/* A server's connection reads none of the person's files with the
	 * group (util/priv.h). */
	priv_home_away();
	code = core_init(ctx->db_path, &opt, &err);
	priv_home_back();
	if (code)
		return cli_fail(code, &err);
	name = core_location_name(ctx->db_path, NULL);
	cli_done(ctx,
		 _("Created the shared database %s (group %s); you are its "
		   "first admin"),
		 name, opt.shared_group);
	free(name);
	cli_note_syslog();
	return init_report(ctx);
}

int
cli_init(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_init_options opt = {0};
	struct dd_error err = {0};
	enum dd_code code;
	char *name;
	int n;

	if (ctx->as_login)
		return cli_usage(
		    _("--as does not apply to init: the database's "
		      "first admin is you"));
	if (a->opt[OPT_SHARED])
		return init_shared(ctx, a);
	/* A private database: made with the person's own rights only. */
	n = cli_database_settle(ctx, false);
	if (n)
		return n;
	name = core_location_name(ctx->db_path, NULL);
	if (cli_database_is_shared_one(ctx, ctx->db_path)) {
		n = cli_usage(_("%s is the shared database named in %s: "
				"root creates it with 'deploydesk init "
				"--shared'"),
			      name, ctx->conf.path);
		free(name);
		return n;
	}
	opt.sandbox = a->opt[OPT_SANDBOX] != NULL;
	opt.demo = a->opt[OPT_DEMO] != NULL;
	code = core_init(ctx->db_path, &opt, &err);
	if (code)
		n = cli_fail(code, &err);
	else if (opt.demo)
		cli_done(ctx,
			 _("Created demo sandbox %s: project ERP; act as "
			   "mmartin (project manager), jdupont (senior "
			   "developer), lbernard (developer) or cpetit "
			   "(viewer) with --as"),
			 name);
	else
		cli_done(ctx, _("Created %s%s; you are its first admin"), name,
			 opt.sandbox ? _(" (sandbox)") : "");
	free(name);
	if (code)
		return n;
	cli_note_syslog();
	return init_report(ctx);
}

int
cli_user_add(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	bool admin = a->opt[OPT_ADMIN] != NULL;
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_user_add(ctx->s, a->ops[0], a->opt[OPT_NAME], admin,
				     &err);
	if (code)
		return cli_fail(code, &err);
	cli_done(ctx,
		 admin ? _("Registered %s (%s), an admin")
		       : _("Registered %s (%s)"),
		 a->ops[0], a->opt[OPT_NAME]);
	return 0;
}

int
cli_user_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"login", "name", "admin"};
	const char *headers[] = {_("Login"), _("Name"), _("Admin")};
	struct dd_error err = {0};
	struct user *users;
	size_t count;
	struct cli_list *l;
	enum dd_code code;

	(void)a;
	code = cli_open(ctx, &err);
	if (!code)
		code = core_user_list(ctx->s, &users, &count, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 3, keys, headers);
	for (size_t i = 0; i < count; i++) {
		struct cli_cell cells[] = {
		    {users[i].login, NULL, CELL_STRING},
		    {users[i].full_name, NULL, CELL_STRING},
		    {users[i].is_admin ? "true" : "false",
		     users[i].is_admin ? _("yes") : _("no"), CELL_NUMBER},
		};
		cli_list_row(l, cells);
		user_free(&users[i]);
	}
	cli_list_end(l);
	free(users);
	return 0;
}

int
cli_project_add(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code =
		    core_project_add(ctx->s, a->ops[0], a->opt[OPT_NAME], &err);
	if (code)
		return cli_fail(code, &err);
	cli_done(ctx, _("Created project %s (%s)"), a->ops[0],
		 a->opt[OPT_NAME]);
	return 0;
}

int
cli_project_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"code", "name", "id"};
	const char *headers[] = {_("Code"), _("Name"), _("Id")};
	struct dd_error err = {0};
	struct project *projects;
	size_t count;
	struct cli_list *l;
	enum dd_code code;

	(void)a;
	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_list(ctx->s, &projects, &count, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 3, keys, headers);
	for (size_t i = 0; i < count; i++) {
		struct cli_cell cells[] = {
		    {projects[i].code, NULL, CELL_STRING},
		    {projects[i].name, NULL, CELL_STRING},
		    {projects[i].id, NULL, CELL_STRING},
		};
		cli_list_row(l, cells);
		project_free(&projects[i]);
	}
	cli_list_end(l);
	free(projects);
	return 0;
}

/* chef, dev, dev-senior or viewer, as the command line names roles. */
static bool
parse_role(const char *text, enum role *role, bool *senior)
{
	*senior = false;
	if (strcmp(text, "chef") == 0)
		*role = ROLE_MANAGER;
	else if (strcmp(text, "dev") == 0)
		*role = ROLE_DEVELOPER;
	else if (strcmp(text, "dev-senior") == 0)
		*role = ROLE_DEVELOPER, *senior = true;
	else if (strcmp(text, "viewer") == 0)
		*role = ROLE_OTHER;
	else
		return false;
	return true;
}

int
cli_member_add(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE];
	struct dd_error err = {0};
	enum dd_code code;
	enum role role;
	bool senior;

	if (!parse_role(a->opt[OPT_ROLE], &role, &senior))
		return cli_usage(_("--role: '%s' is not chef, dev, "
				   "dev-senior or viewer"),
				 text_cut(a->opt[OPT_ROLE], cut));
	code = cli_open(ctx, &err);
	if (!code)
		code = core_member_add(ctx->s, a->ops[0], a->ops[1], role,
				       senior, &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: a login, a project's code, then a role's label. */
	cli_done(ctx, _("%s joined project %s as %s"), a->ops[1], a->ops[0],
		 core_role_label(role, senior));
	return 0;
}

int
cli_member_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"login",  "name",  "role",
					   "senior", "since", "granted_by"};
	const char *headers[] = {_("Login"),  _("Name"),  _("Role"),
				 _("Senior"), _("Since"), _("Granted by")};
	struct dd_error err = {0};
	struct core_project p;
	struct member *members;
	size_t count;
	struct cli_list *l;
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (code)
		return cli_fail(code, &err);
	code = core_member_list(ctx->s, &p, &members, &count, &err);
	core_project_free(&p);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 6, keys, headers);
	for (size_t i = 0; i < count; i++) {
		struct member *m = &members[i];
		char since[64];
		struct cli_cell cells[] = {
		    {m->login, NULL, CELL_STRING},
		    {m->full_name, NULL, CELL_STRING},
		    {role_code(m->role), core_role_label(m->role, m->senior),
		     CELL_STRING},
		    {m->senior ? "true" : "false",
		     m->senior ? _("yes") : _("no"), CELL_NUMBER},
		    {m->since[0] ? m->since : NULL,
		     m->since[0] && ctx->format == FORMAT_TABLE
			 ? (time_local_display(m->since, since, sizeof since),
			    since)
			 : NULL,
		     CELL_STRING},
		    {m->granted_by, NULL, CELL_STRING},
		};
		cli_list_row(l, cells);
		member_free(m);
	}
	cli_list_end(l);
	free(members);
	return 0;
}

int
cli_stage_set(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE], buf[16];
	struct dd_error err = {0};
	enum dd_code code;
	int stage, status;

	stage = stage_parse(cli_code(a->ops[1], buf, sizeof buf));
	status = core_status_word(a->ops[2]);
	if (stage < 0)
		return cli_usage(_("stage: '%s' is not CONCEPTION, "
				   "DEVELOPPEMENT, TESTS or DEPLOIEMENT"),
				 text_cut(a->ops[1], cut));
	if (status < 0 || status > STATUS_SUCCEEDED)
		return cli_usage(_("status: '%s' is not A_FAIRE, EN_COURS or "
				   "TERMINEE"),
				 text_cut(a->ops[2], cut));
	code = cli_open(ctx, &err);
	if (!code)
		code = core_stage_set(ctx->s, a->ops[0], (enum stage_code)stage,
				      (enum task_status)status, &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: a stage's code, a project's code, then a status's
	   label. */
	cli_done(ctx, _("Stage %s of project %s: status set to %s"),
		 stage_code((enum stage_code)stage), a->ops[0],
		 core_stage_status_label((enum task_status)status));
	return 0;
}

int
cli_stage_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"stage", "status"};
	const char *headers[] = {_("Stage"), _("Status")};
	struct dd_error err = {0};
	struct core_project p;
	struct cli_list *l;
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 2, keys, headers);
	for (int i = 0; i < STAGE_COUNT; i++) {
		struct cli_cell cells[] = {
		    {stage_code(p.stages[i].code), NULL, CELL_STRING},
		    {status_code(p.stages[i].status),
		     core_stage_status_label(p.stages[i].status), CELL_STRING},
		};
		cli_list_row(l, cells);
	}
	cli_list_end(l);
	core_project_free(&p);
	return 0;
}
