/* SPDX-License-Identifier: MIT */
/* The command line's entry: global options, the database's path, the
 * screens when no command is given; the commands themselves are in
 * cli-commands.c's table. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ui/ui.h"
#include "util/charset.h"
#include "util/i18n.h"
#include "util/priv.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

struct command {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv);
};

void
cli_print_help(void)
{
	cli_print(stdout,
		  _("Usage: deploydesk [OPTION]... [COMMAND [ARG]...]\n"
		    "Plan, authorize and execute deployments, with their "
		    "incidents and audit trail.\n"
		    "With no command, opens the screens.\n\n"));
	cli_print(
	    stdout,
	    _("Options:\n"
	      "  --db LOCATION      the database: a file, or a PostgreSQL "
	      "server's\n"
	      "                     (postgresql://...); default: "
	      "$DEPLOYDESK_DB, else the\n"
	      "                     system configuration's, else\n"
	      "                     $XDG_DATA_HOME/deploydesk/deploydesk.db\n"
	      "  --as LOGIN         act as LOGIN (sandbox databases only)\n"
	      "  --format FORMAT    table (default), csv or json\n"
	      "  --encoding ENC     encoding of CSV output and of logs "
	      "files that are\n"
	      "                     not UTF-8 (default for those: CP1252)\n"
	      "  --quiet, -q        say nothing on standard error about "
	      "what a change did\n"
	      "  --csv-safe         in CSV, guard cells that begin with = + "
	      "- @ against\n"
	      "                     spreadsheet formulas (the default with "
	      "--encoding CP1252;\n"
	      "                     --csv-safe=no turns it off)\n"
	      "  --help, -h         show this help\n"
	      "  --version          show the version\n"
	      "  --demo             open the screens on a demo sandbox "
	      "(a throw-away\n"
	      "                     one unless --db names a file)\n"
	      "  --project CODE     open the screens on this project\n\n"));
	cli_commands_help();
	cli_print(
	    stdout,
	    _("\n"
	      "Exit status: 0 done, 1 runtime or storage error, 2 invalid "
	      "usage or input,\n"
	      "3 permission denied, 4 not found, 5 refused by the "
	      "workflow.\n"
	      "See deploydesk(1).\n"));
}

enum dd_code
cli_open(struct cli_ctx *ctx, struct dd_error *err)
{
	enum dd_code code;

	if (ctx->s) /* a command that reads again after its change */
		return DD_OK;
	/* A server's connection reads none of the person's files with the
	 * group (util/priv.h). */
	priv_home_away();
	code =
	    core_open(ctx->db_path, ctx->as_login, ctx->shared, &ctx->s, err);
	priv_home_back();
	/* A server's connection, once made, needs the group no more: what
	 * the group guarded (the configuration's credentials, a key file
	 * it names) has been read. */
	if (ctx->shared && core_location_is_server(ctx->db_path)) {
		struct dd_error drop = {0};

		ctx->shared = false;
		if (priv_drop(&drop) != DD_OK) {
			core_close(ctx->s);
			ctx->s = NULL;
			if (!code)
				*err = drop;
			code = drop.code;
		}
	}

	if (!code && core_migration_backup(ctx->s))
		cli_error(_("upgraded the database's schema; the previous "
			    "version is saved as %s"),
			  core_migration_backup(ctx->s));
	return code;
}

/* The global options may also follow the command ("deploy list ERP
 * --format json"): moves them in front of it, so one parser sees them. */
static void
hoist_global_options(int argc, char **argv, int command)
{
	static const char *const globals[] = {"--format", "--db", "--as",
					      "--encoding"};
	static const char *const flags[] = {"--quiet", "-q", "--csv-safe"};
	char **moved = xcalloc((size_t)argc, sizeof *moved);
	char **rest = xcalloc((size_t)argc, sizeof *rest);
	int nm = 0, nr = 0;

	for (int i = command; i < argc; i++) {
		bool global = false;

		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				rest[nr++] = argv[i++];
			break;
		}
		for (size_t g = 0; g < sizeof flags / sizeof *flags; g++) {
			size_t n = strlen(flags[g]);

			if (strncmp(argv[i], flags[g], n) == 0 &&
			    (argv[i][n] == '\0' ||
			     (argv[i][n] == '=' && g == 2))) {
				moved[nm++] = argv[i];
				global = true;
			}
		}
		for (size_t g = 0;
		     !global && g < sizeof globals / sizeof *globals; g++) {
			size_t n = strlen(globals[g]);

			if (strncmp(argv[i], globals[g], n) != 0)
				continue;
			if (argv[i][n] == '=') {
				moved[nm++] = argv[i];
				global = true;
			} else if (argv[i][n] == '\0' && i + 1 < argc) {
				moved[nm++] = argv[i];
				moved[nm++] = argv[++i];
				global = true;
			}
			break;
		}
		if (!global)
			rest[nr++] = argv[i];
	}
	memcpy(argv + command, moved, (size_t)nm * sizeof *argv);
	memcpy(argv + command + nm, rest, (size_t)nr * sizeof *argv);
	free(moved);
	free(rest);
}

/* True when argv[i] names a file: the value of --db or --logs-file. */
static bool
is_path_argument(char **argv, int i)
{
	static const char *const options[] = {"--db", "--logs-file"};

	for (size_t o = 0; o < sizeof options / sizeof *options; o++) {
		size_t n = strlen(options[o]);

		if (strcmp(argv[i - 1], options[o]) == 0 ||
		    (strncmp(argv[i], options[o], n) == 0 && argv[i][n] == '='))
			return true;
	}
	return false;
}

/* Arguments arrive in the terminal's codeset; inside, text is UTF-8. In a
 * C (ASCII) locale they are taken as they are, and the core checks that
 * they are UTF-8. The converted strings live as long as the program. */
static int
convert_arguments(int argc, char **argv)
{
	const char *cs = charset_locale();

	if (charset_locale_is_utf8() || strcmp(cs, "ANSI_X3.4-1968") == 0)
		return 0;
	for (int i = 1; i < argc; i++) {
		struct strbuf sb = STRBUF_INIT;
		const char *used;
		struct dd_error err = {0};
		bool ascii = true;

		for (const char *p = argv[i]; *p; p++)
			ascii = ascii && (unsigned char)*p < 0x80;
		/* File names are bytes for the file system, not text. */
		if (ascii || is_path_argument(argv, i))
			continue;
		/* Named, so that valid UTF-8 typed in a UTF-8 terminal under
		 * a Latin locale is not re-read as Latin. */
		if (charset_import(argv[i], strlen(argv[i]), cs, &sb, &used,
				   &err) != DD_OK) {
			strbuf_release(&sb);
			return cli_usage(_("argument %d is not text in %s, "
					   "this terminal's character set"),
					 i, cs);
		}
		argv[i] = strbuf_detach(&sb);
	}
	return 0;
}

bool
cli_encoding_known(const char *name)
{
	iconv_t cd = iconv_open(name, "UTF-8");

	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

/* True when the encoding writes a NUL byte for "A" (UTF-16, UTF-32):
 * text in it cannot be written as the C strings CSV rows are. */
static bool
encoding_writes_nul(const char *name)
{
	iconv_t cd = iconv_open(name, "UTF-8");
	char in[] = "A", out[16], *ip = in, *op = out;
	size_t il = 1, ol = sizeof out;
	bool nul;

	if (cd == (iconv_t)-1)
		return false;
	nul = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
	      memchr(out, '\0', sizeof out - ol) != NULL;
	iconv_close(cd);
	return nul;
}

/* iconv's names are at most 24 bytes; this leaves room for aliases. */
#define ENCODING_NAME_MAX 64

int
cli_check_encoding(const char *option, const char *name)
{
	char cut[TEXT_CUT_SIZE];
	size_t len = strlen(name);

	if (name[strspn(name, " \t\n\r\v\f")] == '\0')
		return cli_usage(_("%s: the encoding's name is empty (try "
				   "UTF-8, CP1252, ISO-8859-15)"),
				 option);
	if (len > ENCODING_NAME_MAX)
		return cli_usage(_("%s: the encoding's name is %zu bytes "
				   "long, at most %d (try UTF-8, CP1252, "
				   "ISO-8859-15)"),
				 option, len, ENCODING_NAME_MAX);
	/* The characters of iconv's names. Not '/': glibc's "//IGNORE" and
	 * "//TRANSLIT" would drop or change what does not convert, where
	 * deploydesk refuses it or shows '?'. */
	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._:()+-") != len)
		return cli_usage(_("%s: '%s' is not an encoding's name "
				   "(letters, digits and . _ : ( ) + - only, "
				   "such as CP1252)"),
				 option, text_cut(name, cut));
	if (!cli_encoding_known(name))
		return cli_usage(_("%s: '%s' is not an encoding this system "
				   "knows (try UTF-8, CP1252, ISO-8859-15)"),
				 option, text_cut(name, cut));
	return 0;
}

/* True when the command words ask for help: "help ...", "deploy help",
 * or --help or -h before "--". */
static bool
asks_help(int n, char **words)
{
	if (strcmp(words[0], "help") == 0 ||
	    (n > 1 && strcmp(words[1], "help") == 0))
		return true;
	for (int i = 1; i < n && strcmp(words[i], "--") != 0; i++)
		if (strcmp(words[i], "--help") == 0 ||
		    strcmp(words[i], "-h") == 0)
			return true;
	return false;
}

/* deploydesk with no command: the screens, on the database or, with
 * --demo, on a demo sandbox (a throw-away one unless --db names a file; a
 * file that does not exist yet is made a demo). */
static int
run_screens(struct cli_ctx *ctx, bool demo, const char *project)
{
	struct dd_error err = {0};
	const char *tmp = secure_getenv("TMPDIR");
	char *tmpdir = NULL;
	char *path = NULL, *tmp_path = NULL;
	struct stat st;
	enum dd_code code = DD_OK;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_usage(_("the screens need a terminal; give a "
				   "command to use deploydesk from a script"));
	if (ctx->db_path)
		path = xstrdup(ctx->db_path);
	else {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s/deploydesk-demo-XXXXXX",
			    tmp && *tmp == '/' ? tmp : "/tmp");
		tmpdir = strbuf_detach(&sb);
		if (!mkdtemp(tmpdir)) {
			cli_error(_("cannot make a directory for the demo: %s"),
				  strerror(errno));
			free(tmpdir);
			return DD_ERR_RUNTIME;
		}
		strbuf_addf(&sb, "%s/demo.db", tmpdir);
		path = strbuf_detach(&sb);
		tmp_path = path;
	}
	ctx->db_path = path;
	if (demo && !core_location_is_server(path) && lstat(path, &st) != 0 &&
	    errno == ENOENT) {
		struct core_init_options opt = {.sandbox = true, .demo = true};

		code = core_init(path, &opt, &err);
	}
	if (!code)
		code = cli_open(ctx, &err);
	if (!code)
		code = ui_run(ctx->s, project, &err);
	if (code)
		cli_fail(code, &err);
	core_close(ctx->s);
	ctx->s = NULL;
	/* Whatever ended the screens (q, Ctrl-C, SIGTERM, SIGHUP, SIGQUIT),
	 * ui_run returned here: a throw-away demo goes. */
	if (tmp_path) {
		core_delete_database(tmp_path);
		rmdir(tmpdir);
	}
	free(tmpdir);
	free(path);
	return code;
}

int
cli_main(int argc, char **argv)
{
	char cut[TEXT_CUT_SIZE];
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"as", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"demo", no_argument, NULL, 'D'},
	    {"encoding", required_argument, NULL, 'e'},
	    {"project", required_argument, NULL, 'p'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"csv-safe", optional_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	/* The options with a value, for "--db needs a value". */
	static const struct {
		int val;
		const char *name;
	} valued[] = {{'d', "--db"},
		      {'a', "--as"},
		      {'f', "--format"},
		      {'e', "--encoding"},
		      {'p', "--project"}};
	struct cli_ctx ctx = {.format = FORMAT_TABLE};
	const char *project = NULL;
	bool demo = false;
	int c, status, csv_safe = -1;

	status = 0;

	ctx.tty = isatty(STDOUT_FILENO);
	status = convert_arguments(argc, argv);
	if (status)
		return status;
	/* Find the command: the first word that is not a global option. */
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			hoist_global_options(argc, argv, i);
			break;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
		if (!strchr(argv[i], '=') &&
		    (strcmp(argv[i], "--db") == 0 ||
		     strcmp(argv[i], "--as") == 0 ||
		     strcmp(argv[i], "--format") == 0 ||
		     strcmp(argv[i], "--encoding") == 0 ||
		     strcmp(argv[i], "--project") == 0))
			i++;
	}
	opterr = 0;
	/* "+": options after the command belong to the command; ":": a
	 * missing value is told apart from an unknown option. */
	while ((c = getopt_long(argc, argv, "+:hq", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'a':
			ctx.as_login = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0)
				ctx.format = FORMAT_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				ctx.format = FORMAT_CSV;
			else if (strcmp(optarg, "json") == 0)
				ctx.format = FORMAT_JSON;
			else
				return cli_usage(_("--format: '%s' is not "
						   "table, csv or json"),
						 text_cut(optarg, cut));
			break;
		case 'D':
			demo = true;
			break;
		case 'e':
			status = cli_check_encoding("--encoding", optarg);
			if (status)
				return status;
			ctx.encoding = optarg;
			break;
		case 'p':
			project = optarg;
			break;
		case 'h':
			cli_print_help();
			return 0;
		case 'V':
			printf("deploydesk %s\n", PACKAGE_VERSION);
			return 0;
		case 'q':
			ctx.quiet = true;
			break;
		case 'c':
			if (!optarg || strcmp(optarg, "yes") == 0)
				csv_safe = 1;
			else if (strcmp(optarg, "no") == 0)
				csv_safe = 0;
			else
				return cli_usage(_("--csv-safe: '%s' is not "
						   "yes or no"),
						 text_cut(optarg, cut));
			break;
		case ':':
			for (size_t v = 0; v < sizeof valued / sizeof *valued;
			     v++)
				if (valued[v].val == optopt)
					return cli_usage(_("%s needs a value"),
							 valued[v].name);
			return cli_usage(_("unknown or incomplete option "
					   "'%s'"),
					 text_cut(argv[optind - 1], cut));
		default:
			if (optopt)
				return cli_usage(_("unknown option '-%c'"),
						 optopt);
			return cli_usage(_("unknown or incomplete option "
					   "'%s'"),
					 text_cut(argv[optind - 1], cut));
		}
	}
	/* Spreadsheets open CSV in CP1252 on Windows: that is where a cell
	 * such as =HYPERLINK(...) would run. */
	ctx.csv_safe =
	    csv_safe >= 0 ? csv_safe == 1
			  : ctx.encoding &&
				(strcasecmp(ctx.encoding, "CP1252") == 0 ||
				 strcasecmp(ctx.encoding, "WINDOWS-1252") == 0);
	if (ctx.format == FORMAT_CSV && ctx.encoding &&
	    encoding_writes_nul(ctx.encoding))
		return cli_usage(_("--encoding %s writes NUL bytes, which CSV "
				   "text cannot hold: use UTF-8 or CP1252"),
				 ctx.encoding);
	if (optind < argc && (demo || project))
		return cli_usage(_("%s is for the screens "
				   "(deploydesk with no command)"),
				 demo ? "--demo" : "--project");
	/* Help needs no database, and no privilege. */
	if (optind < argc && asks_help(argc - optind, argv + optind)) {
		status = cli_database_settle(&ctx, false);
		if (!status)
			status =
			    cli_dispatch(&ctx, argc - optind, argv + optind);
		goto written;
	}
	status = cli_database_choose(&ctx, demo);
	/* The shared install keeps its group only for its own database;
	 * init decides once it has read --shared. */
	if (!status && (optind >= argc || strcmp(argv[optind], "init") != 0))
		status = cli_database_settle(&ctx, !demo);
	if (status)
		goto out;
	if (optind >= argc) {
		status = run_screens(&ctx, demo, project);
		goto out;
	}
	status = cli_dispatch(&ctx, argc - optind, argv + optind);
written:
	if (fflush(stdout) != 0 && status == 0) {
		cli_error(_("cannot write the output"));
		status = DD_ERR_RUNTIME;
	}
	core_close(ctx.s);
out:
	conffile_free(&ctx.conf);
	free(ctx.db_owned);
	return status;
}
