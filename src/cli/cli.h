/* SPDX-License-Identifier: MIT */
/* The command line: `deploydesk [options] COMMAND ...`, scriptable, with
 * table, CSV and JSON output. Calls the core only. */
#ifndef DD_CLI_CLI_H
#define DD_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core.h"
#include "util/conffile.h"

enum cli_format {
	FORMAT_TABLE,
	FORMAT_CSV,
	FORMAT_JSON,
};

/* What every command gets: the global options and, once opened, the
 * session. */
struct cli_ctx {
	enum cli_format format;
	const char *db_path;
	const char *as_login;
	struct core_session *s;
	/* The system configuration (deploydesk.conf), read at start. */
	struct conffile conf;
	bool db_given;	/* --db was given */
	char *db_owned; /* db_path when it was made here (freed at exit) */
	/* Holding the shared install's group, on its database
	 * (cli_database_settle). */
	bool shared;
	bool tty; /* standard output is a terminal: sanitize everything */
	/* --encoding: of CSV written and of logs read; NULL for the
	 * defaults (UTF-8, or the terminal's codeset on a terminal). */
	const char *encoding;
	bool quiet;    /* --quiet: no line on what a change did */
	bool csv_safe; /* --csv-safe, or CSV in CP1252: formulas guarded */
};

/* Runs the program; returns the exit status. */
int cli_main(int argc, char **argv);

/* Opens the session for commands that need one. */
enum dd_code cli_open(struct cli_ctx *ctx, struct dd_error *err);

/* The database (cli-database.c). cli_database_choose reads the system
 * configuration and sets db_path: --db, else $DEPLOYDESK_DB (ignored when
 * setgid), else the configuration's database, else the XDG default; left
 * NULL for a throw-away demo. cli_database_settle then keeps the shared
 * install's group only when keep is true and db_path is the configured
 * shared database, and otherwise gives it up for good, before any file is
 * touched. Both return 0 or an exit status, already reported. */
int cli_database_choose(struct cli_ctx *ctx, bool demo);
int cli_database_settle(struct cli_ctx *ctx, bool keep);
/* True when path is the database the configuration names and this build
 * has a shared group: the shared install's database. */
bool cli_database_is_shared_one(const struct cli_ctx *ctx, const char *path);
/* The group the build was configured with (-Dshared_group), or NULL. */
const char *cli_shared_group(void);

/* One cell of output: the machine value (a string, or NULL for null) and,
 * for the table, the words people read (NULL: the value itself). Numbers
 * and booleans are written bare in JSON; a JSON object (the audit trail's
 * before and after) is written as an object in JSON, as its text in CSV
 * and in the table; a list of them (CELL_JSON_LIST: flat objects one a
 * line) as an array in JSON. */
enum cli_kind { CELL_STRING, CELL_NUMBER, CELL_JSON, CELL_JSON_LIST };
struct cli_cell {
	const char *value;
	const char *human;
	enum cli_kind kind;
};

/* A list of records: keys name the JSON members and CSV header, headers are
 * the table's (translated). Rows are written as they come, a chunk at a
 * time for the table, so a long list is never held whole. */
struct cli_list;
struct cli_list *cli_list_begin(struct cli_ctx *ctx, int ncols,
				const char *const keys[],
				const char *const headers[]);
void cli_list_row(struct cli_list *l, const struct cli_cell cells[]);
void cli_list_end(struct cli_list *l);
/* The same, after a read that failed (complete false): the rows read are
 * written, but an empty list is not said to be empty. */
void cli_list_finish(struct cli_list *l, bool complete);

/* One record, field by field: "Header: value" lines for the table (multi
 * line text indented), an object in JSON, header and row in CSV. */
struct cli_record;
struct cli_record *cli_record_begin(struct cli_ctx *ctx);
void cli_record_field(struct cli_record *r, const char *key, const char *header,
		      struct cli_cell cell);
void cli_record_end(struct cli_record *r);

/* Writes trusted text for people (our own messages) in the terminal's
 * codeset. */
void cli_print(FILE *f, const char *s);
/* Prints one line of text for people (sanitized) to standard output. */
void cli_say(struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints an error in one line on standard error, sanitized. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The options a command may take (each command's own, from the table in
 * cli-commands.c; the global ones are cli_main's). */
enum cli_opt {
	OPT_NAME,
	OPT_ADMIN,
	OPT_SANDBOX,
	OPT_DEMO,
	OPT_SHARED,
	OPT_ROLE,
	OPT_VERSION,
	OPT_ENV,
	OPT_DESCRIPTION,
	OPT_RESPONSIBLE,
	OPT_DATE,
	OPT_STATUS,
	OPT_LOGS,
	OPT_LOGS_FILE,
	OPT_CHECKPOINT,
	OPT_LIMIT,
	OPT_SEARCH,
	OPT_NOTE,
	OPT_REASON,
	OPT_APPROVER,
	OPT_ALL,
	OPT_FROM,
	OPT_TO,
	OPT_WEEKLY,
	OPT_OVERRIDE,
	OPT_OPEN,
	OPT_FIXES,
	OPT_RISK,
	OPT_BACKOUT_PLAN,
	OPT_AHEAD,
	OPT_USER,
	OPT_ACTION,
	OPT_PROJECT,
	OPT_COUNT
};

#define CLI_OPERANDS_MAX 4

/* A command as parsed against its entry in the table: its name for
 * messages ("deploy create"), its operands, and its options' values (""
 * for a flag given, NULL for an option not given). */
struct cli_args {
	const char *name;
	const char *ops[CLI_OPERANDS_MAX];
	int nops;
	const char *opt[OPT_COUNT];
};

/* Finds the command in argv (argv[0] is its first word), parses its
 * options and operands and runs it, or prints its help; returns the exit
 * status (cli-commands.c). */
int cli_dispatch(struct cli_ctx *ctx, int argc, char **argv);
/* --limit N: 1 or more rows; 0 in *limit when not given. Returns 0, or
 * reports a usage error and returns its status. */
int cli_limit(const struct cli_args *a, size_t *limit);
/* The commands, one line each, for deploydesk --help. */
void cli_commands_help(void);

/* The commands (cli-admin.c, cli-deploy.c, cli-audit.c), run by
 * cli_dispatch with their arguments checked against the table. Each
 * returns an exit status. */
int cli_init(struct cli_ctx *ctx, const struct cli_args *a);
int cli_db_copy(struct cli_ctx *ctx, const struct cli_args *a);
int cli_user_add(struct cli_ctx *ctx, const struct cli_args *a);
int cli_user_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_project_add(struct cli_ctx *ctx, const struct cli_args *a);
int cli_project_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_member_add(struct cli_ctx *ctx, const struct cli_args *a);
int cli_member_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_stage_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_stage_set(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_create(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_show(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_edit(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_authorize(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_cancel(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_reject(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_revoke(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_rollback(struct cli_ctx *ctx, const struct cli_args *a);
int cli_policy_set(struct cli_ctx *ctx, const struct cli_args *a);
int cli_freeze_add(struct cli_ctx *ctx, const struct cli_args *a);
int cli_exception_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_version_block(struct cli_ctx *ctx, const struct cli_args *a);
int cli_version_unblock(struct cli_ctx *ctx, const struct cli_args *a);
int cli_version_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_exception_review(struct cli_ctx *ctx, const struct cli_args *a);
int cli_freeze_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_freeze_remove(struct cli_ctx *ctx, const struct cli_args *a);
int cli_policy_show(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_start(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_succeed(struct cli_ctx *ctx, const struct cli_args *a);
int cli_deploy_fail(struct cli_ctx *ctx, const struct cli_args *a);
int cli_incident_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_incident_show(struct cli_ctx *ctx, const struct cli_args *a);
int cli_incident_set(struct cli_ctx *ctx, const struct cli_args *a);
int cli_incident_assign(struct cli_ctx *ctx, const struct cli_args *a);
int cli_stats(struct cli_ctx *ctx, const struct cli_args *a);
int cli_inbox(struct cli_ctx *ctx, const struct cli_args *a);
int cli_envs(struct cli_ctx *ctx, const struct cli_args *a);
int cli_metrics(struct cli_ctx *ctx, const struct cli_args *a);
int cli_export_evidence(struct cli_ctx *ctx, const struct cli_args *a);
int cli_audit_list(struct cli_ctx *ctx, const struct cli_args *a);
int cli_audit_verify(struct cli_ctx *ctx, const struct cli_args *a);
int cli_audit_checkpoint(struct cli_ctx *ctx, const struct cli_args *a);
int cli_audit_rebuild_figures(struct cli_ctx *ctx, const struct cli_args *a);

/* Says what a command changed, in one line on standard error (standard
 * output is for scripts), unless --quiet. */
void cli_done(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Says on standard error when this host has no syslog socket to anchor
 * the audit trail in (init and audit verify). */
void cli_note_syslog(void);

/* A stored code as typed, in capitals ("prod" -> "PROD"), in buf; text
 * too long to be a code comes back as "" (no code matches it). */
const char *cli_code(const char *typed, char *buf, size_t size);

/* True when iconv knows this encoding. */
bool cli_encoding_known(const char *name);
/* Checks an encoding's name given with option: not empty, at most 64
 * bytes, letters, digits and . _ : ( ) + - (no "//IGNORE"), and known to
 * iconv. Returns 0, or reports a usage error and returns its status. */
int cli_check_encoding(const char *option, const char *name);

/* Reports a usage error, pointing to the help; returns its status. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command whose help usage errors point to ("deploy create"), or NULL
 * for deploydesk --help. */
void cli_usage_topic(const char *command);
/* deploydesk --help. */
void cli_print_help(void);
/* Reports err on standard error and returns code, the status. */
int cli_fail(enum dd_code code, const struct dd_error *err);

#endif
