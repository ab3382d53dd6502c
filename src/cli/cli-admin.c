/* Commands for the database, people, projects, members and stages. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

/* The command being run, for cli_getopt's messages: set by cli_main. */
static const char *command_noun;

void
cli_set_command(const char *noun)
{
	command_noun = noun;
}

char *
cli_command_name(const char *verb)
{
	struct strbuf sb = STRBUF_INIT;

	if (command_noun && strcmp(command_noun, verb) != 0)
		strbuf_addf(&sb, "%s ", command_noun);
	strbuf_addstr(&sb, verb);
	return strbuf_detach(&sb);
}

/* Says what is wrong with word, an option getopt_long refused: a known
 * option without its value or with one it does not take, an abbreviation
 * of several, or an unknown option, which may well be a value that begins
 * with '-' (a project code, a login): how to give one. */
static void
report_bad_option(const char *cmd, const char *word,
		  const struct option *options)
{
	char cut[TEXT_CUT_SIZE];

	if (strncmp(word, "--", 2) == 0 && word[2] != '\0') {
		const char *name = word + 2;
		size_t n = strcspn(name, "=");
		const struct option *match = NULL;
		int count = 0;

		for (const struct option *o = options; o->name; o++) {
			if (strncmp(o->name, name, n) != 0)
				continue;
			match = o;
			if (strlen(o->name) == n) {
				count = 1;
				break;
			}
			count++;
		}
		if (count == 1 && name[n] == '=' &&
		    match->has_arg == no_argument) {
			cli_usage(_("%s: --%s takes no value"), cmd,
				  match->name);
			return;
		}
		if (count == 1) {
			cli_usage(_("%s: --%s needs a value"), cmd,
				  match->name);
			return;
		}
		if (count > 1) {
			cli_usage(_("%s: option '%s' is ambiguous: write it "
				    "in full"),
				  cmd, text_cut(word, cut));
			return;
		}
	}
	word = text_cut(word, cut);
	cli_usage(_("%s: unknown option '%s' (a value that begins with '-' "
		    "goes after '--', which ends the options, or as "
		    "--option=%s)"),
		  cmd, word, word);
}

int
cli_getopt(int argc, char **argv, const struct option *options,
	   int (*take)(int opt, const char *arg, void *data), void *data)
{
	int c, at;

	optind = 0; /* glibc: start a new scan */
	opterr = 0;
	/* "-": operands come back in place (c == 1), so that the word
	 * being scanned is always argv[at], even inside "-abc". */
	for (;;) {
		at = optind < 1 ? 1 : optind;
		c = getopt_long(argc, argv, "-", options, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			/* An operand among options: keep its place. */
			continue;
		}
		if (c == '?' || c == ':') {
			char *cmd = cli_command_name(argv[0]);

			report_bad_option(cmd, at < argc ? argv[at] : argv[0],
					  options);
			free(cmd);
			return -1;
		}
		if (take(c, optarg, data) != 0)
			return -1;
	}
	return optind;
}

int
cli_operands(int argc, char **argv, const struct option *options, char **out,
	     int max)
{
	int n = 0, c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-", options, NULL)) != -1) {
		if (c == 1) {
			if (n == max)
				return max + 1;
			out[n++] = optarg;
		}
	}
	/* After "--", everything is an operand, even "-x". */
	for (int i = optind; i < argc; i++) {
		if (n == max)
			return max + 1;
		out[n++] = argv[i];
	}
	return n;
}

struct admin_opts {
	const char *name;
	bool admin, sandbox, demo, shared;
	const char *role;
};

static int
take_admin_opt(int opt, const char *arg, void *data)
{
	struct admin_opts *o = data;

	switch (opt) {
	case 'n':
		o->name = arg;
		break;
	case 'A':
		o->admin = true;
		break;
	case 's':
		o->sandbox = true;
		break;
	case 'D':
		o->demo = true;
		break;
	case 'S':
		o->shared = true;
		break;
	case 'r':
		o->role = arg;
		break;
	}
	return 0;
}

static const struct option admin_options[] = {
    {"name", required_argument, NULL, 'n'},
    {"admin", no_argument, NULL, 'A'},
    {"sandbox", no_argument, NULL, 's'},
    {"demo", no_argument, NULL, 'D'},
    {"role", required_argument, NULL, 'r'},
    {"shared", no_argument, NULL, 'S'},
    {NULL, 0, NULL, 0},
};

/* Parses options and operands of a command in one call: nops operands
 * exactly, stored from ops[1]. */
static int
parse(int argc, char **argv, struct admin_opts *o, char **ops, int nops)
{
	int n;

	if (cli_getopt(argc, argv, admin_options, take_admin_opt, o) < 0)
		return -1;
	/* ops[0] is the verb; the operands follow it. */
	ops[0] = argv[0];
	n = cli_operands(argc, argv, admin_options, ops + 1, nops);
	if (n != nops) {
		char *cmd = cli_command_name(argv[0]);

		cli_usage(_("%s: expected %d argument(s), got %d"), cmd, nops,
			  n);
		free(cmd);
		return -1;
	}
	return 0;
}

/* init --shared: the shared install's database, named by the system
 * configuration, made with the group. */
static int
init_shared(struct cli_ctx *ctx, const struct admin_opts *o)
{
	struct core_init_options opt = {.shared_group = cli_shared_group()};
	struct dd_error err = {0};
	enum dd_code code;
	int status;

	if (!opt.shared_group)
		return cli_usage(_("init --shared needs a deploydesk built for "
				   "a shared install (meson setup "
				   "-Dshared_group=GROUP); this one was not"));
	if (o->sandbox || o->demo)
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
	code = core_init(ctx->db_path, &opt, &err);
	if (code)
		return cli_fail(code, &err);
	cli_say(ctx,
		_("Created the shared database %s (group %s); you are its "
		  "first admin."),
		ctx->db_path, opt.shared_group);
	cli_note_syslog();
	return 0;
}

int
cli_cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	struct admin_opts o = {0};
	struct core_init_options opt = {0};
	struct dd_error err = {0};
	char *ops[1];
	enum dd_code code;
	int n;

	if (cli_getopt(argc, argv, admin_options, take_admin_opt, &o) < 0)
		return DD_ERR_INPUT;
	n = cli_operands(argc, argv, admin_options, ops, 0);
	if (n != 0)
		return cli_usage(_("init takes no argument"));
	if (o.name || o.admin || o.role)
		return cli_usage(
		    _("init takes only --sandbox, --demo and --shared"));
	if (ctx->as_login)
		return cli_usage(
		    _("--as does not apply to init: the database's "
		      "first admin is you"));
	if (o.shared)
		return init_shared(ctx, &o);
	/* A private database: made with the person's own rights only. */
	n = cli_database_settle(ctx, false);
	if (n)
		return n;
	if (cli_database_is_shared_one(ctx, ctx->db_path))
		return cli_usage(_("%s is the shared database named in %s: "
				   "root creates it with 'deploydesk init "
				   "--shared'"),
				 ctx->db_path, ctx->conf.path);
	opt.sandbox = o.sandbox;
	opt.demo = o.demo;
	code = core_init(ctx->db_path, &opt, &err);
	if (code)
		return cli_fail(code, &err);
	if (o.demo)
		cli_say(ctx,
			_("Created demo sandbox %s: project ERP; act as "
			  "mmartin (project manager), jdupont (senior "
			  "developer), lbernard (developer) or cpetit "
			  "(viewer) with --as."),
			ctx->db_path);
	else
		cli_say(ctx, _("Created %s%s; you are its first admin."),
			ctx->db_path, o.sandbox ? _(" (sandbox)") : "");
	cli_note_syslog();
	return 0;
}

/* argv[1] is the verb; these check it and shift. */
static bool
verb_is(int argc, char **argv, const char *verb)
{
	return argc >= 2 && strcmp(argv[1], verb) == 0;
}

int
cli_cmd_user(struct cli_ctx *ctx, int argc, char **argv)
{
	struct admin_opts o = {0};
	struct dd_error err = {0};
	char *ops[2];
	enum dd_code code;

	if (verb_is(argc, argv, "add")) {
		if (parse(argc - 1, argv + 1, &o, ops, 1) < 0)
			return DD_ERR_INPUT;
		if (!o.name)
			return cli_usage(_("user add: --name is required"));
		code = cli_open(ctx, &err);
		if (!code)
			code = core_user_add(ctx->s, ops[1], o.name, o.admin,
					     &err);
		return code ? cli_fail(code, &err) : 0;
	}
	if (verb_is(argc, argv, "list")) {
		static const char *const keys[] = {"login", "name", "admin"};
		const char *headers[] = {_("Login"), _("Name"), _("Admin")};
		struct user *users;
		size_t count;
		struct cli_list *l;

		if (parse(argc - 1, argv + 1, &o, ops, 0) < 0)
			return DD_ERR_INPUT;
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
			     users[i].is_admin ? _("yes") : _("no"),
			     CELL_NUMBER},
			};
			cli_list_row(l, cells);
			user_free(&users[i]);
		}
		cli_list_end(l);
		free(users);
		return 0;
	}
	return cli_usage(_("user: expected 'add' or 'list'"));
}

int
cli_cmd_project(struct cli_ctx *ctx, int argc, char **argv)
{
	struct admin_opts o = {0};
	struct dd_error err = {0};
	char *ops[2];
	enum dd_code code;

	if (verb_is(argc, argv, "add")) {
		if (parse(argc - 1, argv + 1, &o, ops, 1) < 0)
			return DD_ERR_INPUT;
		if (!o.name)
			return cli_usage(_("project add: --name is required"));
		code = cli_open(ctx, &err);
		if (!code)
			code = core_project_add(ctx->s, ops[1], o.name, &err);
		return code ? cli_fail(code, &err) : 0;
	}
	if (verb_is(argc, argv, "list")) {
		static const char *const keys[] = {"code", "name", "id"};
		const char *headers[] = {_("Code"), _("Name"), _("Id")};
		struct project *projects;
		size_t count;
		struct cli_list *l;

		if (parse(argc - 1, argv + 1, &o, ops, 0) < 0)
			return DD_ERR_INPUT;
		code = cli_open(ctx, &err);
		if (!code)
			code =
			    core_project_list(ctx->s, &projects, &count, &err);
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
	return cli_usage(_("project: expected 'add' or 'list'"));
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
cli_cmd_member(struct cli_ctx *ctx, int argc, char **argv)
{
	char cut[TEXT_CUT_SIZE];
	struct admin_opts o = {0};
	struct dd_error err = {0};
	char *ops[3];
	enum dd_code code;

	if (verb_is(argc, argv, "add")) {
		enum role role;
		bool senior;

		if (parse(argc - 1, argv + 1, &o, ops, 2) < 0)
			return DD_ERR_INPUT;
		if (!o.role)
			return cli_usage(_("member add: --role is required"));
		if (!parse_role(o.role, &role, &senior))
			return cli_usage(_("--role: '%s' is not chef, dev, "
					   "dev-senior or viewer"),
					 text_cut(o.role, cut));
		code = cli_open(ctx, &err);
		if (!code)
			code = core_member_add(ctx->s, ops[1], ops[2], role,
					       senior, &err);
		return code ? cli_fail(code, &err) : 0;
	}
	if (verb_is(argc, argv, "list")) {
		static const char *const keys[] = {"login", "name", "role",
						   "senior"};
		const char *headers[] = {_("Login"), _("Name"), _("Role"),
					 _("Senior")};
		struct core_project p;
		struct member *members;
		size_t count;
		struct cli_list *l;

		if (parse(argc - 1, argv + 1, &o, ops, 1) < 0)
			return DD_ERR_INPUT;
		code = cli_open(ctx, &err);
		if (!code)
			code = core_project_open(ctx->s, ops[1], &p, &err);
		if (code)
			return cli_fail(code, &err);
		code = core_member_list(ctx->s, &p, &members, &count, &err);
		core_project_free(&p);
		if (code)
			return cli_fail(code, &err);
		l = cli_list_begin(ctx, 4, keys, headers);
		for (size_t i = 0; i < count; i++) {
			struct member *m = &members[i];
			struct cli_cell cells[] = {
			    {m->login, NULL, CELL_STRING},
			    {m->full_name, NULL, CELL_STRING},
			    {role_code(m->role),
			     core_role_label(m->role, m->senior), CELL_STRING},
			    {m->senior ? "true" : "false",
			     m->senior ? _("yes") : _("no"), CELL_NUMBER},
			};
			cli_list_row(l, cells);
			member_free(m);
		}
		cli_list_end(l);
		free(members);
		return 0;
	}
	return cli_usage(_("member: expected 'add' or 'list'"));
}

int
cli_cmd_stage(struct cli_ctx *ctx, int argc, char **argv)
{
	char cut[TEXT_CUT_SIZE];
	struct admin_opts o = {0};
	struct dd_error err = {0};
	char *ops[4];
	enum dd_code code;

	if (verb_is(argc, argv, "set")) {
		char buf[16];
		int stage, status;

		if (parse(argc - 1, argv + 1, &o, ops, 3) < 0)
			return DD_ERR_INPUT;
		stage = stage_parse(cli_code(ops[2], buf, sizeof buf));
		status = core_status_word(ops[3]);
		if (stage < 0)
			return cli_usage(_("stage: '%s' is not CONCEPTION, "
					   "DEVELOPPEMENT, TESTS or "
					   "DEPLOIEMENT"),
					 text_cut(ops[2], cut));
		if (status < 0 || status == STATUS_FAILED)
			return cli_usage(_("status: '%s' is not A_FAIRE, "
					   "EN_COURS or TERMINEE"),
					 text_cut(ops[3], cut));
		code = cli_open(ctx, &err);
		if (!code)
			code = core_stage_set(ctx->s, ops[1],
					      (enum stage_code)stage,
					      (enum task_status)status, &err);
		return code ? cli_fail(code, &err) : 0;
	}
	if (verb_is(argc, argv, "list")) {
		static const char *const keys[] = {"stage", "status"};
		const char *headers[] = {_("Stage"), _("Status")};
		struct core_project p;
		struct cli_list *l;

		if (parse(argc - 1, argv + 1, &o, ops, 1) < 0)
			return DD_ERR_INPUT;
		code = cli_open(ctx, &err);
		if (!code)
			code = core_project_open(ctx->s, ops[1], &p, &err);
		if (code)
			return cli_fail(code, &err);
		l = cli_list_begin(ctx, 2, keys, headers);
		for (int i = 0; i < STAGE_COUNT; i++) {
			struct cli_cell cells[] = {
			    {stage_code(p.stages[i].code), NULL, CELL_STRING},
			    {status_code(p.stages[i].status),
			     core_stage_status_label(p.stages[i].status),
			     CELL_STRING},
			};
			cli_list_row(l, cells);
		}
		cli_list_end(l);
		core_project_free(&p);
		return 0;
	}
	return cli_usage(_("stage: expected 'list' or 'set'"));
}
