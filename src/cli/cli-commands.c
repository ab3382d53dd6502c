/* SPDX-License-Identifier: MIT */
/* The commands of the command line in one table, which drives everything
 * about them: finding the command, parsing its own options and operands
 * (and refusing any other), the errors that name what is missing, and the
 * help (deploydesk help [COMMAND], COMMAND --help, -h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"
#include "util/utf8.h"

/* An option as the command line writes it: its name after "--", and the
 * name of its value in the help (NULL for a flag). */
struct option_name {
	const char *name;
	const char *value;
};

static const struct option_name option_names[OPT_COUNT] = {
    [OPT_NAME] = {"name", "NAME"},
    [OPT_ADMIN] = {"admin", NULL},
    [OPT_SANDBOX] = {"sandbox", NULL},
    [OPT_DEMO] = {"demo", NULL},
    [OPT_SHARED] = {"shared", NULL},
    [OPT_ROLE] = {"role", "ROLE"},
    [OPT_VERSION] = {"version", "V"},
    [OPT_ENV] = {"env", "ENV"},
    [OPT_DESCRIPTION] = {"description", "TEXT"},
    [OPT_RESPONSIBLE] = {"responsible", "LOGIN"},
    [OPT_DATE] = {"date", "\"YYYY-MM-DD HH:MM\""},
    [OPT_STATUS] = {"status", "STATUS"},
    [OPT_LOGS] = {"logs", "TEXT"},
    [OPT_LOGS_FILE] = {"logs-file", "PATH|-"},
    [OPT_CHECKPOINT] = {"checkpoint", "FILE|-"},
    [OPT_LIMIT] = {"limit", "N"},
    [OPT_SEARCH] = {"search", "TEXT"},
    [OPT_NOTE] = {"note", "TEXT"},
    [OPT_REASON] = {"reason", "TEXT"},
    [OPT_APPROVER] = {"approver", "LOGIN"},
    [OPT_ALL] = {"all", NULL},
    [OPT_FROM] = {"from", "\"YYYY-MM-DD HH:MM\""},
    [OPT_TO] = {"to", "\"YYYY-MM-DD HH:MM\""},
    [OPT_WEEKLY] = {"weekly", "\"DAY HH:MM-DAY HH:MM\""},
    [OPT_OVERRIDE] = {"override", "REASON"},
    [OPT_OPEN] = {"open", NULL},
    [OPT_FIXES] = {"fixes", "INCIDENT_ID"},
    [OPT_RISK] = {"risk", "LEVEL"},
    [OPT_BACKOUT_PLAN] = {"backout-plan", "TEXT"},
    [OPT_AHEAD] = {"ahead", NULL},
    [OPT_USER] = {"user", "LOGIN"},
    [OPT_ACTION] = {"action", "ACTION"},
    [OPT_PROJECT] = {"project", "PROJECT"},
};

/* An option one command takes: required or not, and what it is for there
 * (N_: translated when printed). */
struct option_use {
	enum cli_opt id;
	bool required;
	const char *help;
};

#define USES_MAX 10

struct command {
	const char *noun;
	const char *verb; /* NULL: the noun is the whole command (stats) */
	/* The operands' names, in order; the first min are required. */
	const char *operands[CLI_OPERANDS_MAX];
	int min, max;
	struct option_use uses[USES_MAX]; /* ended by help == NULL */
	int (*run)(struct cli_ctx *ctx, const struct cli_args *a);
	const char *summary; /* one line, N_ */
	const char *about;   /* who may, and what to know; N_, or NULL */
	const char *example;
};

/* The global options, for the help and to say that one needs its value
 * when it comes last after a command. */
static const char *const global_with_value[] = {"db", "as", "format",
						"encoding"};

static const struct command commands[] = {
    {.noun = "init",
     .uses =
	 {{OPT_SANDBOX, false,
	   N_("a sandbox: for trying deploydesk out, where --as lets you act "
	      "as anyone registered")},
	  {OPT_DEMO, false,
	   N_("a sandbox with the demo project ERP and its people")},
	  {OPT_SHARED, false,
	   N_("the team's database named in the system configuration, with the "
	      "shared install's group (root, or a member of the group)")}},
     .run = cli_init,
     .summary = N_("Create a database; you become its first admin"),
     .about = N_("The database is --db's, $DEPLOYDESK_DB's or the default one; "
		 "an existing file is never replaced."),
     .example = "deploydesk --db ./try.db init --demo"},
    {.noun = "db",
     .verb = "copy",
     .operands = {"FROM", "TO"},
     .min = 2,
     .max = 2,
     .run = cli_db_copy,
     .summary = N_("Copy a whole database into a new one, its audit trail "
		   "unchanged"),
     .about = N_("Admins of FROM. FROM and TO are each a file's path (or "
		 "sqlite:PATH) or a PostgreSQL server's database "
		 "(postgresql://..., or host=... dbname=...), in the schema "
		 "first on its search path. TO must be new: a file that does "
		 "not exist, or a schema that holds nothing. The copy keeps "
		 "every id and the audit trail's records, so that audit verify "
		 "gives the same head on both; FROM is only read (an older "
		 "schema is upgraded first, as by any command)."),
     .example = "deploydesk db copy /var/lib/deploydesk/deploydesk.db "
		"postgresql://db.example.org/deploydesk"},
    {.noun = "user",
     .verb = "add",
     .operands = {"LOGIN"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_NAME, true, N_("the person's full name")},
	      {OPT_ADMIN, false, N_("make the person an admin")}},
     .run = cli_user_add,
     .summary = N_("Register a person by the login of their OS account"),
     .about = N_("Admins only."),
     .example = "deploydesk user add jdupont --name \"Jean Dupont\""},
    {.noun = "user",
     .verb = "list",
     .run = cli_user_list,
     .summary = N_("List the people registered"),
     .about = N_("Anyone registered."),
     .example = "deploydesk --format csv user list"},
    {.noun = "project",
     .verb = "add",
     .operands = {"CODE"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_NAME, true, N_("the project's name")}},
     .run = cli_project_add,
     .summary = N_("Create a project, with its four stages to do"),
     .about = N_("Admins only. CODE is capital letters, digits, '_' and '-', "
		 "starting with a letter."),
     .example = "deploydesk project add ERP --name \"Refonte ERP\""},
    {.noun = "project",
     .verb = "list",
     .run = cli_project_list,
     .summary = N_("List the projects"),
     .about = N_("Anyone registered."),
     .example = "deploydesk project list"},
    {.noun = "member",
     .verb = "add",
     .operands = {"PROJECT", "LOGIN"},
     .min = 2,
     .max = 2,
     .uses = {{OPT_ROLE, true, N_("chef, dev, dev-senior or viewer")}},
     .run = cli_member_add,
     .summary = N_("Give a registered person a role in a project"),
     .about = N_("Admins only."),
     .example = "deploydesk member add ERP jdupont --role dev-senior"},
    {.noun = "member",
     .verb = "list",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .run = cli_member_list,
     .summary = N_("List a project's members and their roles"),
     .about = N_("Anyone registered."),
     .example = "deploydesk member list ERP"},
    {.noun = "stage",
     .verb = "list",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .run = cli_stage_list,
     .summary = N_("List a project's stages and their statuses"),
     .about = N_("Anyone registered."),
     .example = "deploydesk stage list ERP"},
    {.noun = "stage",
     .verb = "set",
     .operands = {"PROJECT", "STAGE", "STATUS"},
     .min = 3,
     .max = 3,
     .run = cli_stage_set,
     .summary = N_("Set a stage's status"),
     .about = N_("Admins and the project's manager. STAGE is CONCEPTION, "
		 "DEVELOPPEMENT, TESTS or DEPLOIEMENT; STATUS is A_FAIRE, "
		 "EN_COURS or TERMINEE, or their names in English or French "
		 "(To do, En cours, Terminée)."),
     .example = "deploydesk stage set ERP TESTS TERMINEE"},
    {.noun = "deploy",
     .verb = "create",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_VERSION, true, N_("the version, at most 50 characters")},
	      {OPT_ENV, true,
	       N_("DEV, TEST, PREPROD or PROD, or its name (Production)")},
	      {OPT_DESCRIPTION, true,
	       N_("what is deployed, several lines allowed")},
	      {OPT_RESPONSIBLE, true,
	       N_("the login of the member answerable for it")},
	      {OPT_DATE, true, N_("the planned date, in local time")},
	      {OPT_FIXES, false,
	       N_("the incident of the project it fixes (an id, or its "
		  "first characters)")},
	      {OPT_RISK, false,
	       N_("its risk: low, medium or high (required where the policy "
		  "is plan-required)")},
	      {OPT_BACKOUT_PLAN, false,
	       N_("how it is undone if it goes wrong, several lines allowed "
		  "(required where the policy is plan-required)")}},
     .run = cli_deploy_create,
     .summary = N_("Plan a deployment; prints its id"),
     .about = N_("Admins and the project's manager, once the project's TESTS "
		 "stage is finished."),
     .example = "deploydesk deploy create ERP --version v1.3.0 --env PROD "
		"--description \"Invoicing\" --responsible jdupont --date "
		"\"2026-03-01 10:00\""},
    {.noun = "deploy",
     .verb = "list",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_ENV, false,
	       N_("only this environment (a code or its name)")},
	      {OPT_STATUS, false, N_("only this status (a code or its name)")},
	      {OPT_SEARCH, false,
	       N_("only those whose version, description, responsible person "
		  "or logs have words beginning with each word of TEXT (case "
		  "and accents ignored)")},
	      {OPT_LIMIT, false, N_("at most N of them, the newest")}},
     .run = cli_deploy_list,
     .summary = N_("List a project's deployments, newest first"),
     .about = N_("Anyone registered."),
     .example = "deploydesk deploy list ERP --env PROD --status failed"},
    {.noun = "deploy",
     .verb = "show",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .run = cli_deploy_show,
     .summary = N_("Show a deployment, with its logs"),
     .about = N_("Anyone registered. ID is the id, or its first 4 characters "
		 "or more when no other id begins with them."),
     .example = "deploydesk deploy show 3f2a9c1e"},
    {.noun = "deploy",
     .verb = "edit",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_VERSION, false, N_("the new version")},
	      {OPT_ENV, false, N_("the new environment")},
	      {OPT_DESCRIPTION, false, N_("the new description")},
	      {OPT_RESPONSIBLE, false, N_("the new responsible person")},
	      {OPT_DATE, false, N_("the new planned date, in local time")},
	      {OPT_RISK, false, N_("the new risk: low, medium, high, or none")},
	      {OPT_BACKOUT_PLAN, false,
	       N_("the new back-out plan (empty: none)")}},
     .run = cli_deploy_edit,
     .summary = N_("Change a planned deployment; its authorization is "
		   "withdrawn"),
     .about = N_("Admins and the project's manager, while it is planned. "
		 "Give one or more of the options; the others stay."),
     .example = "deploydesk deploy edit 3f2a9c1e --date \"2026-03-02 "
		"10:00\""},
    {.noun = "deploy",
     .verb = "authorize",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_OVERRIDE, false,
	       N_("an admin passes the project's policy, for this reason: an "
		  "exception")}},
     .run = cli_deploy_authorize,
     .summary = N_("Authorize a planned deployment"),
     .about = N_("Admins and the project's manager."),
     .example = "deploydesk deploy authorize 3f2a9c1e"},
    {.noun = "deploy",
     .verb = "revoke",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_REASON, true,
	       N_("why it is withdrawn (at most 1000 characters)")},
	      {OPT_APPROVER, false,
	       N_("whose approval (admins and the project's manager); "
		  "yours when not given")}},
     .run = cli_deploy_revoke,
     .summary = N_("Withdraw an approval of a planned deployment"),
     .about = N_("Who gave it; admins and the project's manager may "
		 "withdraw anyone's. Below the approvals its policy asks "
		 "for, it is no longer authorized."),
     .example = "deploydesk deploy revoke 3f2a9c1e --reason \"Wrong "
		"version\""},
    {.noun = "deploy",
     .verb = "cancel",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_REASON, true,
	       N_("why it is withdrawn (at most 1000 characters)")}},
     .run = cli_deploy_cancel,
     .summary = N_("Cancel a planned deployment (Cancelled)"),
     .about = N_("Admins and the project's manager, while it is planned. "
		 "The reason is kept on the deployment and in the trail."),
     .example = "deploydesk deploy cancel 3f2a9c1e --reason \"Replaced by "
		"v1.3.0\""},
    {.noun = "deploy",
     .verb = "reject",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_REASON, true,
	       N_("why it is refused (at most 1000 characters)")}},
     .run = cli_deploy_reject,
     .summary = N_("Refuse a planned deployment (Refused)"),
     .about = N_("Admins and the project's manager, while it is planned. "
		 "The reason is kept on the deployment and in the trail."),
     .example = "deploydesk deploy reject 3f2a9c1e --reason \"No back-out "
		"plan for the schema change\""},
    {.noun = "deploy",
     .verb = "rollback",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .run = cli_deploy_rollback,
     .summary = N_("Plan the rollback of a deployment; prints its id"),
     .about = N_("Admins and the project's manager. It plans, now, the last "
		 "version that succeeded in the same environment before it; "
		 "it goes through the same approvals and policies."),
     .example = "deploydesk deploy rollback 3f2a9c1e"},
    {.noun = "deploy",
     .verb = "start",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_OVERRIDE, false,
	       N_("an admin passes the project's policy, for this reason: an "
		  "exception")}},
     .run = cli_deploy_start,
     .summary = N_("Start an authorized deployment (In progress)"),
     .about = N_("Admins and the project's senior developers."),
     .example = "deploydesk deploy start 3f2a9c1e"},
    {.noun = "deploy",
     .verb = "succeed",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_LOGS, false, N_("the logs, as text")},
	      {OPT_LOGS_FILE, false,
	       N_("the logs from a file, or from standard input with -")},
	      {OPT_OVERRIDE, false,
	       N_("an admin passes the project's policy, for this reason: an "
		  "exception")}},
     .run = cli_deploy_succeed,
     .summary = N_("Record a deployment's success, with its logs"),
     .about = N_(
	 "Admins and the project's senior developers. The logs are required."),
     .example = "deploydesk deploy succeed 3f2a9c1e --logs-file deploy.log"},
    {.noun = "deploy",
     .verb = "fail",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_LOGS, false, N_("the logs, as text")},
	      {OPT_LOGS_FILE, false,
	       N_("the logs from a file, or from standard input with -")},
	      {OPT_OVERRIDE, false,
	       N_("an admin passes the project's policy, for this reason: an "
		  "exception")}},
     .run = cli_deploy_fail,
     .summary = N_("Record a deployment's failure; prints the incident's id"),
     .about = N_("Admins and the project's senior developers. The logs are "
		 "required; a high-priority incident is opened for the "
		 "deployment's responsible person."),
     .example = "deploydesk deploy fail 3f2a9c1e --logs-file - < deploy.log"},
    {.noun = "incident",
     .verb = "list",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_LIMIT, false, N_("at most N of them, the newest")}},
     .run = cli_incident_list,
     .summary = N_("List a project's incidents, newest first"),
     .about = N_("Anyone registered."),
     .example = "deploydesk incident list ERP"},
    {.noun = "incident",
     .verb = "show",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .run = cli_incident_show,
     .summary = N_("Show an incident"),
     .about = N_("Anyone registered."),
     .example = "deploydesk incident show 9b1c2d3e"},
    {.noun = "incident",
     .verb = "set",
     .operands = {"ID", "STATUS"},
     .min = 2,
     .max = 2,
     .uses = {{OPT_NOTE, false,
	       N_("what was done (required to close it, TERMINEE; at most "
		  "1000 characters)")}},
     .run = cli_incident_set,
     .summary = N_("Set an incident's status"),
     .about =
	 N_("The incident's responsible person and admins. STATUS is A_FAIRE, "
	    "EN_COURS or TERMINEE, or their names in English or French."),
     .example = "deploydesk incident set 9b1c2d3e TERMINEE --note "
		"\"Column renamed, migration replayed\""},
    {.noun = "incident",
     .verb = "assign",
     .operands = {"ID", "LOGIN"},
     .min = 2,
     .max = 2,
     .run = cli_incident_assign,
     .summary = N_("Hand an incident to another member of its project"),
     .about = N_("Admins, the project's manager and the incident's responsible "
		 "person. LOGIN is a member who acts in the project: its "
		 "manager or a developer, not a viewer."),
     .example = "deploydesk incident assign 9b1c2d3e lbernard"},
    {.noun = "inbox",
     .run = cli_inbox,
     .summary = N_("What waits for your action, one line each"),
     .about = N_("Deployments waiting for your approval, approved ones you "
		 "may start whose date has come, those you started, your "
		 "open incidents, exceptions for you to review, your "
		 "approvals expiring within a day and your plans inside a "
		 "freeze. Prints nothing when nothing waits (for a login "
		 "shell's profile)."),
     .example = "deploydesk inbox"},
    {.noun = "envs",
     .uses = {{OPT_AHEAD, false,
	       N_("instead, the versions that succeeded in an environment "
		  "after the next one's last success, and never there")}},
     .run = cli_envs,
     .summary = N_("What runs where: every project in each environment"),
     .about = N_("Anyone registered. For each project and environment, the "
		 "version that last succeeded there and when; a last attempt "
		 "that failed after it (!), one in progress (>), and how many "
		 "are planned (+N)."),
     .example = "deploydesk --format json envs"},
    {.noun = "metrics",
     .operands = {"[PROJECT]"},
     .max = 1,
     .uses = {{OPT_FROM, false,
	       N_("from this day (YYYY-MM-DD) or time; default: 90 days "
		  "before the end")},
	      {OPT_TO, false,
	       N_("until this day (included) or time; default: now")},
	      {OPT_ENV, false, N_("only this environment")}},
     .run = cli_metrics,
     .summary = N_("Delivery figures over a period, with the counts "
		   "behind them"),
     .about = N_("Anyone registered. Deployments executed in the period "
		 "(succeeded, failed), a week, and per environment; lead time "
		 "from creation to success, and the approval wait within it "
		 "(median, 90th percentile); change failure rate; time to "
		 "restore an incident opened in it; the spec's success rate "
		 "of those planned in it; the weeks' successes and failures. "
		 "Every project, or one."),
     .example = "deploydesk metrics ERP --from 2026-09-01 --env PROD"},
    {.noun = "export",
     .verb = "evidence",
     .operands = {"DIR"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_FROM, true,
	       N_("the first day (YYYY-MM-DD) or time of the period")},
	      {OPT_TO, true, N_("its last day (included) or time")},
	      {OPT_PROJECT, false, N_("only this project")},
	      {OPT_ENV, false, N_("only this environment")}},
     .run = cli_export_evidence,
     .summary = N_("Write the evidence of a period for auditors into a new "
		   "folder"),
     .about = N_("Anyone registered. DIR must not exist (or be empty); it "
		 "is made with your own rights. In it: population.csv, "
		 "exceptions.csv, access.csv, changes/, audit.jsonl, "
		 "verify.txt, README.txt (what each is) and MANIFEST.sha256 "
		 "(check it with sha256sum -c). The same database and "
		 "arguments give the same bytes."),
     .example = "deploydesk export evidence --from 2026-01-01 --to "
		"2026-12-31 --project ERP audit-2026"},
    {.noun = "stats",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .run = cli_stats,
     .summary = N_("A project's deployment statistics"),
     .about = N_("Anyone registered."),
     .example = "deploydesk --format json stats ERP"},
    {.noun = "policy",
     .verb = "show",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .run = cli_policy_show,
     .summary = N_("Show a project's policy in each environment"),
     .about = N_("Anyone registered. Each key's value in DEV, TEST, PREPROD "
		 "and PROD, and its default."),
     .example = "deploydesk policy show ERP"},
    {.noun = "policy",
     .verb = "set",
     .operands = {"PROJECT", "ENV", "KEY", "VALUE"},
     .min = 4,
     .max = 4,
     .run = cli_policy_set,
     .summary = N_("Set a key of a project's policy in an environment"),
     .about = N_("Admins. KEY is approvals (1 to 5 distinct approvers), "
		 "creator-approves (yes/no), approver-executes (yes/no), "
		 "approval-hours (0 to 8760; 0: never expires), promotion "
		 "(yes/no: it succeeded in the environment before), "
		 "one-at-a-time (yes/no), plan-required (yes/no: a risk level "
		 "and a back-out plan) or high-risk-approvals (0 to 3 more "
		 "for a high risk)."),
     .example = "deploydesk policy set ERP PROD approvals 2"},
    {.noun = "freeze",
     .verb = "add",
     .operands = {"[PROJECT]"},
     .max = 1,
     .uses = {{OPT_ALL, false, N_("a freeze of every project (admins)")},
	      {OPT_FROM, false, N_("when it begins, in local time")},
	      {OPT_TO, false, N_("when it ends, in local time")},
	      {OPT_WEEKLY, false,
	       N_("a window every week instead, in local time, such as "
		  "\"fri 16:00-mon 08:00\"")},
	      {OPT_ENV, false,
	       N_("only this environment (every one when not "
		  "given)")},
	      {OPT_REASON, true, N_("why (at most 1000 characters)")}},
     .run = cli_freeze_add,
     .summary = N_("Add a freeze: no deployment starts or is executed "
		   "inside it; prints its id"),
     .about = N_("Admins, and a project's manager for their project. Give "
		 "PROJECT or --all, and --from and --to or --weekly. Planning "
		 "and approving go on inside a freeze."),
     .example = "deploydesk freeze add ERP --env PROD --from \"2026-12-20 "
		"00:00\" --to \"2027-01-04 08:00\" --reason \"Year end\""},
    {.noun = "freeze",
     .verb = "list",
     .operands = {"[PROJECT]"},
     .max = 1,
     .run = cli_freeze_list,
     .summary = N_("List the freezes, each with its id"),
     .about = N_("Anyone registered. With PROJECT, its own and those of "
		 "every project."),
     .example = "deploydesk freeze list ERP"},
    {.noun = "freeze",
     .verb = "remove",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .run = cli_freeze_remove,
     .summary = N_("Remove a freeze"),
     .about = N_("Admins, and a project's manager for their project's."),
     .example = "deploydesk freeze remove 3"},
    {.noun = "version",
     .verb = "block",
     .operands = {"PROJECT", "VERSION"},
     .min = 2,
     .max = 2,
     .uses = {{OPT_REASON, true, N_("why (at most 1000 characters)")}},
     .run = cli_version_block,
     .summary = N_("Block a version: it is neither planned, approved nor "
		   "started in any environment"),
     .about = N_("Admins and the project's manager."),
     .example = "deploydesk version block ERP v1.1.8 --reason \"Corrupts "
		"the invoices\""},
    {.noun = "version",
     .verb = "unblock",
     .operands = {"PROJECT", "VERSION"},
     .min = 2,
     .max = 2,
     .run = cli_version_unblock,
     .summary = N_("Unblock a version"),
     .about = N_("Admins and the project's manager."),
     .example = "deploydesk version unblock ERP v1.1.8"},
    {.noun = "version",
     .verb = "list",
     .operands = {"PROJECT"},
     .min = 1,
     .max = 1,
     .run = cli_version_list,
     .summary = N_("List a project's blocked versions"),
     .about = N_("Anyone registered."),
     .example = "deploydesk version list ERP"},
    {.noun = "exception",
     .verb = "list",
     .operands = {"[PROJECT]"},
     .max = 1,
     .uses = {{OPT_OPEN, false, N_("only those not reviewed yet")}},
     .run = cli_exception_list,
     .summary = N_("List the overrides of a policy (exceptions), each with "
		   "its id"),
     .about = N_("Anyone registered. One open longer than 72 hours is "
		 "overdue."),
     .example = "deploydesk exception list ERP --open"},
    {.noun = "exception",
     .verb = "review",
     .operands = {"ID"},
     .min = 1,
     .max = 1,
     .uses = {{OPT_NOTE, true,
	       N_("what the review found (at most 1000 characters)")}},
     .run = cli_exception_review,
     .summary = N_("Review an exception, which closes it"),
     .about = N_("Admins and the project's manager, but not the admin who "
		 "overrode."),
     .example = "deploydesk exception review 2 --note \"Hotfix justified by "
		"the outage\""},
    {.noun = "audit",
     .verb = "list",
     .operands = {"[PROJECT]"},
     .max = 1,
     .uses = {{OPT_LIMIT, false, N_("at most N records, the oldest")},
	      {OPT_FROM, false,
	       N_("from this day (YYYY-MM-DD) or time, in local time")},
	      {OPT_TO, false,
	       N_("until this day (included) or time, in local time")},
	      {OPT_USER, false, N_("only what this person did")},
	      {OPT_ACTION, false,
	       N_("only this action (deploy.authorize), or all of a word "
		  "(deploy)")}},
     .run = cli_audit_list,
     .summary =
	 N_("List the audit trail, oldest first, or a project's part of it"),
     .about = N_("Anyone registered."),
     .example = "deploydesk audit list ERP --from 2026-03-01 --action "
		"deploy.authorize"},
    {.noun = "audit",
     .verb = "verify",
     .uses = {{OPT_CHECKPOINT, false,
	       N_("also compare with the checkpoints kept in this file")}},
     .run = cli_audit_verify,
     .summary = N_("Check the audit trail's chain and the data against it"),
     .about = N_("Anyone registered. Exit status 0 when the record is intact, "
		 "1 when it is damaged."),
     .example =
	 "deploydesk audit verify --checkpoint /var/backups/deploydesk.cp"},
    {.noun = "audit",
     .verb = "checkpoint",
     .run = cli_audit_checkpoint,
     .summary =
	 N_("Print a checkpoint line of the trail's head, to keep elsewhere"),
     .about = N_("Anyone registered; the record is verified first."),
     .example = "deploydesk audit checkpoint >> /var/backups/deploydesk.cp"},
    {.noun = "audit",
     .verb = "rebuild-figures",
     .run = cli_audit_rebuild_figures,
     .summary = N_("Build the kept daily figures again from the deployments"),
     .about = N_("Admins. The figures are derived from the deployments: "
		 "after audit verify names a day changed outside deploydesk, "
		 "this makes them what the deployments give. Nothing else "
		 "changes, and no audit record is written."),
     .example = "deploydesk audit rebuild-figures"},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

/* "deploy create", or "stats". Caller frees. */
static char *
command_name(const struct command *c)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, c->noun);
	if (c->verb)
		strbuf_addf(&sb, " %s", c->verb);
	return strbuf_detach(&sb);
}

/* The usage line: the name, its operands, its required options with their
 * values, and [OPTION]... when it has others. */
static char *
synopsis(const struct command *c)
{
	struct strbuf sb = STRBUF_INIT;
	bool optional = false;

	strbuf_addstr(&sb, c->noun);
	if (c->verb)
		strbuf_addf(&sb, " %s", c->verb);
	for (int i = 0; i < c->max; i++)
		strbuf_addf(&sb, " %s", c->operands[i]);
	for (const struct option_use *u = c->uses; u->help; u++) {
		const struct option_name *o = &option_names[u->id];

		if (!u->required) {
			optional = true;
			continue;
		}
		/* An option and its value are kept on one line: a unit
		 * separator between them, made a blank once wrapped. */
		strbuf_addf(&sb, " --%s", o->name);
		if (o->value)
			strbuf_addf(&sb, "\x1f%s", o->value);
	}
	if (optional)
		strbuf_addstr(&sb, " [OPTION]...");
	return strbuf_detach(&sb);
}

/* Adds text to sb wrapped at width columns, its first line from column at
 * (what is before it already written), the others after indent blanks. */
static void
add_wrapped(struct strbuf *sb, const char *text, size_t at, size_t indent,
	    size_t width)
{
	const char *p = text;

	while (*p) {
		const char *cut = NULL;
		size_t cols = at;

		/* The most words that fit; a word longer than the line
		 * stands alone on it. */
		for (const char *q = p;; q++) {
			if (*q == '\0' || *q == ' ') {
				if (cols > width && cut)
					break;
				cut = q;
				if (*q == '\0')
					break;
			}
			if ((*q & 0xC0) != 0x80)
				cols++;
		}
		strbuf_addf(sb, "%.*s\n", (int)(cut - p), p);
		p = *cut ? cut + 1 : cut;
		at = indent;
		if (*p)
			strbuf_addf(sb, "%*s", (int)indent, "");
	}
}

static void
print_wrapped(const char *text, size_t indent)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%*s", (int)indent, "");
	add_wrapped(&sb, text, indent, indent, 79);
	cli_print(stdout, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* Where an option's explanation begins in a command's help. */
#define OPTION_COLUMN 24

/* COMMAND --help: usage, what it does, options, an example. */
static void
print_command_help(const struct command *c)
{
	struct strbuf sb = STRBUF_INIT;
	char *syn = synopsis(c);

	/* TRANSLATORS: followed by the command and its arguments. */
	strbuf_addstr(&sb, _("Usage: deploydesk"));
	strbuf_addch(&sb, ' ');
	add_wrapped(&sb, syn, utf8_length(strbuf_str(&sb), sb.len), 8, 79);
	for (char *q = strchr(sb.buf, '\x1f'); q; q = strchr(q, '\x1f'))
		*q = ' ';
	strbuf_addch(&sb, '\n');
	cli_print(stdout, strbuf_str(&sb));
	strbuf_release(&sb);
	print_wrapped(_(c->summary), 0);
	if (c->about)
		print_wrapped(_(c->about), 0);
	if (c->uses[0].help) {
		cli_print(stdout, _("\nOptions:\n"));
		for (const struct option_use *u = c->uses; u->help; u++) {
			const struct option_name *o = &option_names[u->id];
			struct strbuf text = STRBUF_INIT;

			strbuf_addf(&sb, "  --%s%s%s", o->name,
				    o->value ? " " : "",
				    o->value ? o->value : "");
			if (sb.len < OPTION_COLUMN - 1)
				strbuf_addf(&sb, "%*s",
					    (int)(OPTION_COLUMN - sb.len), "");
			else
				strbuf_addf(&sb, "\n%*s", OPTION_COLUMN, "");
			if (u->required)
				/* TRANSLATORS: an option's explanation in a
				   command's help, for a required option. */
				strbuf_addf(&text, _("%s (required)"),
					    _(u->help));
			else
				strbuf_addstr(&text, _(u->help));
			add_wrapped(&sb, strbuf_str(&text), OPTION_COLUMN,
				    OPTION_COLUMN, 79);
			cli_print(stdout, strbuf_str(&sb));
			strbuf_reset(&sb);
			strbuf_release(&text);
		}
	}
	cli_print(stdout,
		  _("\nThe global options (--db, --as, --format, --encoding, "
		    "--quiet, --csv-safe)\nmay come before or after the "
		    "command: see 'deploydesk --help'.\n"));
	strbuf_addf(&sb, _("\nExample:\n  %s\n"), c->example);
	cli_print(stdout, strbuf_str(&sb));
	strbuf_release(&sb);
	free(syn);
}

/* Where a command's summary begins in a list of commands. */
#define SUMMARY_COLUMN 28

/* The commands of one noun, for "deploydesk help deploy" and "deploydesk
 * deploy --help"; or all of them, for noun NULL. */
static void
print_commands(const char *noun)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		size_t cols;

		if (noun && strcmp(c->noun, noun) != 0)
			continue;
		/* The name and operands, then the summary in a column. */
		strbuf_addf(&sb, "  %s", c->noun);
		if (c->verb)
			strbuf_addf(&sb, " %s", c->verb);
		for (int k = 0; k < c->max; k++)
			strbuf_addf(&sb, " %s", c->operands[k]);
		cols = utf8_length(strbuf_str(&sb), sb.len);
		if (cols < SUMMARY_COLUMN)
			strbuf_addf(&sb, "%*s", (int)(SUMMARY_COLUMN - cols),
				    "");
		else
			strbuf_addf(&sb, "\n%*s", SUMMARY_COLUMN, "");
		add_wrapped(&sb, _(c->summary), SUMMARY_COLUMN, SUMMARY_COLUMN,
			    79);
		cli_print(stdout, strbuf_str(&sb));
		strbuf_reset(&sb);
	}
	strbuf_release(&sb);
}

/* deploydesk help deploy, deploydesk deploy --help. */
static void
print_noun_help(const char *noun)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, _("Usage: deploydesk %s COMMAND [ARG]...\n\n"), noun);
	cli_print(stdout, strbuf_str(&sb));
	print_commands(noun);
	strbuf_reset(&sb);
	strbuf_addf(&sb,
		    _("\n'deploydesk help %s COMMAND' shows a command's "
		      "options and an example.\n"),
		    noun);
	cli_print(stdout, strbuf_str(&sb));
	strbuf_release(&sb);
}

void
cli_commands_help(void)
{
	cli_print(stdout, _("Commands:\n"));
	print_commands(NULL);
	cli_print(stdout,
		  _("\n'deploydesk help COMMAND' (or 'deploydesk COMMAND "
		    "--help') shows a command's\noptions and an example.\n"));
}

static bool
is_help(const char *word)
{
	return strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
}

static bool
noun_known(const char *noun)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0)
			return true;
	return false;
}

/* True when noun is a whole command (stats, init). */
static bool
has_verbless(const char *noun)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0 && !commands[i].verb)
			return true;
	return false;
}

/* "create, list, show, ...": the verbs of a noun, for a message. */
static char *
verbs_of(const char *noun)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0 && commands[i].verb)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
				    commands[i].verb);
	return strbuf_detach(&sb);
}

/* The edit distance between a and b (insertions, deletions,
 * substitutions, and two letters swapped), for "did you mean"; counted
 * only up to a length that words of commands have. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[17][17];

	if (la > 16 || lb > 16)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* The one word of words (n of them) nearest to typed, if it is near
 * enough (at most 2 edits, and fewer than its length) and no other is as
 * near; else NULL. */
static const char *
nearest(const char *typed, const char *const *words, size_t n)
{
	const char *best = NULL;
	size_t dbest = 3;
	bool tie = false;

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(typed, words[i]);

		if (d < dbest && d < strlen(words[i])) {
			best = words[i];
			dbest = d;
			tie = false;
		} else if (d == dbest && best && strcmp(best, words[i]) != 0) {
			tie = true;
		}
	}
	return tie ? NULL : best;
}

static const char *
nearest_noun(const char *typed)
{
	const char *words[NCOMMANDS + 1];
	size_t n = 0;

	for (size_t i = 0; i < NCOMMANDS; i++)
		words[n++] = commands[i].noun;
	words[n++] = "help";
	return nearest(typed, words, n);
}

static const char *
nearest_verb(const char *noun, const char *typed)
{
	const char *words[NCOMMANDS];
	size_t n = 0;

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0 && commands[i].verb)
			words[n++] = commands[i].verb;
	return nearest(typed, words, n);
}

static char *
nouns(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (i == 0 || strcmp(commands[i].noun, commands[i - 1].noun))
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
				    commands[i].noun);
	strbuf_addstr(&sb, ", help");
	return strbuf_detach(&sb);
}

/* Finds the command named by words[0] (and words[1], its verb). Returns
 * it and sets *used to the words it took; NULL with *status set when
 * there is none (a usage error reported, or help printed: status 0). */
static const struct command *
find_command(int n, char **words, int *used, int *status)
{
	char cut[TEXT_CUT_SIZE];
	const char *noun = words[0];
	char *list;

	*status = 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->noun, noun) != 0)
			continue;
		if (!c->verb) {
			*used = 1;
			return c;
		}
		if (n > 1 && strcmp(c->verb, words[1]) == 0) {
			*used = 2;
			return c;
		}
	}
	if (!noun_known(noun)) {
		const char *near = nearest_noun(noun);

		list = nouns();
		if (near)
			*status = cli_usage(_("unknown command '%s': did you "
					      "mean '%s'?"),
					    text_cut(noun, cut), near);
		else
			*status = cli_usage(_("unknown command '%s' (the "
					      "commands: %s)"),
					    text_cut(noun, cut), list);
		free(list);
		return NULL;
	}
	if (n > 1 && (is_help(words[1]) || strcmp(words[1], "help") == 0)) {
		print_noun_help(noun);
		return NULL;
	}
	list = verbs_of(noun);
	if (n < 2)
		*status = cli_usage(_("%s: which one? %s"), noun, list);
	else if (nearest_verb(noun, words[1]))
		*status = cli_usage(_("%s: '%s' is not one of %s: did you "
				      "mean '%s'?"),
				    noun, text_cut(words[1], cut), list,
				    nearest_verb(noun, words[1]));
	else
		*status = cli_usage(_("%s: '%s' is not one of %s"), noun,
				    text_cut(words[1], cut), list);
	free(list);
	return NULL;
}

/* The option of c named by word ("--env", "--env=PROD", "--en"): an exact
 * name, or the start of only one. -1 when none, -2 when several. */
static int
match_option(const struct command *c, const char *name, size_t len)
{
	int found = -1;

	for (const struct option_use *u = c->uses; u->help; u++) {
		const char *full = option_names[u->id].name;

		if (strncmp(full, name, len) != 0)
			continue;
		if (full[len] == '\0')
			return (int)u->id;
		found = found == -1 ? (int)u->id : -2;
	}
	return found;
}

/* Says why word is not an option of c: a global option without its value
 * (the rest were moved in front of the command), another command's
 * option, or an unknown one, which may well be a value that begins with
 * '-': of operand, the one the word would be (NULL: none is left). */
static int
refuse_option(const char *cmd, const char *word, const char *operand)
{
	char cut[TEXT_CUT_SIZE];
	size_t len = strcspn(word + 2, "=");

	if (word[0] == '-' && word[1] == '-') {
		for (size_t g = 0;
		     g < sizeof global_with_value / sizeof *global_with_value;
		     g++)
			if (strlen(global_with_value[g]) == len &&
			    strncmp(global_with_value[g], word + 2, len) == 0) {
				char opt[16];

				snprintf(opt, sizeof opt, "--%s",
					 global_with_value[g]);
				return cli_usage(_("%s needs a value"), opt);
			}
		for (int id = 0; id < OPT_COUNT; id++)
			if (strlen(option_names[id].name) == len &&
			    strncmp(option_names[id].name, word + 2, len) == 0)
				return cli_usage(_("%s: --%s is not one of "
						   "its options"),
						 cmd, option_names[id].name);
	}
	word = text_cut(word, cut);
	if (operand)
		/* TRANSLATORS: the command, the word, then the name of the
		   operand it may be (PROJECT, ID, LOGIN), as the help writes
		   it, then the word again. */
		return cli_usage(_("%s: unknown option '%s'; if it is the %s, "
				   "write it after '--', which ends the "
				   "options; an option's value that begins "
				   "with '-' goes as --option=%s"),
				 cmd, word, operand, word);
	return cli_usage(_("%s: unknown option '%s' (a value that begins with "
			   "'-' goes after '--', which ends the options, or "
			   "as --option=%s)"),
			 cmd, word, word);
}

/* Parses words (after the command's name) against c into a. Returns 0, or
 * the status of the usage error reported. */
static int
parse_args(const struct command *c, const char *cmd, int n, char **words,
	   struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE];
	bool options_end = false;

	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		const char *eq;
		size_t len;
		int id;

		if (!options_end && strcmp(w, "--") == 0) {
			options_end = true;
			continue;
		}
		if (options_end || w[0] != '-' || w[1] == '\0') {
			if (a->nops == c->max)
				return c->max == 0
					   ? cli_usage(_("%s takes no "
							 "argument: '%s' is "
							 "one too many"),
						       cmd, text_cut(w, cut))
					   : cli_usage(_("%s: '%s' is one "
							 "argument too many"),
						       cmd, text_cut(w, cut));
			a->ops[a->nops++] = w;
			continue;
		}
		if (w[1] != '-')
			return refuse_option(
			    cmd, w,
			    a->nops < c->max ? c->operands[a->nops] : NULL);
		eq = strchr(w + 2, '=');
		len = eq ? (size_t)(eq - (w + 2)) : strlen(w + 2);
		id = match_option(c, w + 2, len);
		if (id == -2)
			return cli_usage(
			    _("%s: option '%s' is ambiguous: write "
			      "it in full"),
			    cmd, text_cut(w, cut));
		if (id < 0)
			return refuse_option(cmd, w, NULL);
		/* Given twice, the last one counts (as with getopt). */
		if (!option_names[id].value) {
			if (eq)
				return cli_usage(_("%s: --%s takes no value"),
						 cmd, option_names[id].name);
			a->opt[id] = "";
		} else if (eq) {
			a->opt[id] = eq + 1;
		} else if (i + 1 < n) {
			a->opt[id] = words[++i];
		} else {
			return cli_usage(_("%s: --%s needs a value"), cmd,
					 option_names[id].name);
		}
	}
	if (a->nops < c->min)
		/* TRANSLATORS: the command, then the name of what is missing
		   (PROJECT, ID, LOGIN), as the help writes it. */
		return cli_usage(_("%s: %s is missing"), cmd,
				 c->operands[a->nops]);
	for (const struct option_use *u = c->uses; u->help; u++)
		if (u->required && !a->opt[u->id])
			return cli_usage(_("%s: --%s is missing"), cmd,
					 option_names[u->id].name);
	return 0;
}

int
cli_limit(const struct cli_args *a, size_t *limit)
{
	char cut[TEXT_CUT_SIZE];
	const char *text = a->opt[OPT_LIMIT];
	char *end;
	unsigned long long n;

	*limit = 0;
	if (!text)
		return 0;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || n == 0 ||
	    n > 1000000000ULL)
		return cli_usage(_("%s: --limit: '%s' is not a number of rows "
				   "(1 to 1000000000)"),
				 a->name, text_cut(text, cut));
	*limit = (size_t)n;
	return 0;
}

/* deploydesk help [COMMAND [VERB]] */
static int
run_help(int n, char **words)
{
	const struct command *c;
	int used, status;

	if (n == 0 || (n == 1 && strcmp(words[0], "help") == 0)) {
		cli_print_help();
		return 0;
	}
	if (n == 1 && noun_known(words[0]) && !has_verbless(words[0])) {
		print_noun_help(words[0]);
		return 0;
	}
	c = find_command(n, words, &used, &status);
	if (!c)
		return status;
	if (n > used) {
		char cut[TEXT_CUT_SIZE];

		return cli_usage(_("help: '%s' is one word too many"),
				 text_cut(words[used], cut));
	}
	print_command_help(c);
	return 0;
}

int
cli_dispatch(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct command *c;
	struct cli_args a;
	char *name;
	int used, status;

	if (strcmp(argv[0], "help") == 0)
		return run_help(argc - 1, argv + 1);
	c = find_command(argc, argv, &used, &status);
	if (!c)
		return status;
	/* --help anywhere before "--" asks for the help. */
	for (int i = used; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			print_command_help(c);
			return 0;
		}
	memset(&a, 0, sizeof a);
	name = command_name(c);
	a.name = name;
	cli_usage_topic(name);
	status = parse_args(c, name, argc - used, argv + used, &a);
	if (!status)
		status = c->run(ctx, &a);
	cli_usage_topic(NULL);
	free(name);
	return status;
}
