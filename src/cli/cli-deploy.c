/* SPDX-License-Identifier: MIT */
/* Commands for deployments, incidents and statistics. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/textfmt.h"
#include "util/utf8.h"

#define LIST_PAGE 5000

/* Reads logs from a file or standard input ("-"), at most the core's limit,
 * and decodes them (UTF-8, the encoding named, or CP1252). */
static enum dd_code
read_logs(const char *path, const char *encoding, struct core_logs *out,
	  struct dd_error *err)
{
	struct strbuf raw = STRBUF_INIT;
	enum dd_code code = read_file_limit(path, CORE_LOGS_MAX, &raw, err);

	if (!code && raw.len > CORE_LOGS_MAX)
		code = dd_fail(err, DD_ERR_INPUT,
			       _("logs file %s: over %d bytes, the limit"),
			       path, CORE_LOGS_MAX);
	if (!code)
		code = core_logs_import(strbuf_str(&raw), raw.len, encoding,
					out, err);
	strbuf_release(&raw);
	return code;
}

/* The person in a cell: login as the value, the full name for people. */
static struct cli_cell
person_cell(const struct person *p)
{
	struct cli_cell c = {p->login, p->full_name, CELL_STRING};

	return c;
}

static struct cli_cell
time_cell(const char *iso, char *buf, size_t size)
{
	struct cli_cell c = {iso[0] ? iso : NULL, NULL, CELL_STRING};

	if (iso[0]) {
		time_local_display(iso, buf, size);
		c.human = buf;
	}
	return c;
}

static struct cli_cell
text_cell(const char *s)
{
	struct cli_cell c = {s, NULL, CELL_STRING};

	return c;
}

/* A deployment's approvals: a JSON array for scripts; for people, how
 * many count of how many asked, then each one's person and time. */
static void
approvals_cells(const struct core_approvals *a, struct strbuf *json,
		struct strbuf *human)
{
	char when[64];

	/* TRANSLATORS: approvals that count now, of those the policy asks
	   for: "1 of 2". */
	strbuf_addf(human, _("%d of %d"), a->standing, a->required);
	for (size_t i = 0; i < a->list.count; i++) {
		const struct approval *ap = &a->list.items[i];

		strbuf_addstr(json, i ? "\n{\"by\":" : "{\"by\":");
		json_add_string(json, ap->by.login);
		strbuf_addf(json, ",\"approved_at\":\"%s\",\"expires_at\":",
			    ap->approved_at);
		if (ap->expires_at[0])
			strbuf_addf(json, "\"%s\"", ap->expires_at);
		else
			strbuf_addstr(json, "null");
		strbuf_addf(json, ",\"standing\":%s}",
			    a->valid[i] ? "true" : "false");
		time_local_display(ap->approved_at, when, sizeof when);
		/* TRANSLATORS: after "1 of 2", each approval: the person's
		   name, login and when; the first after a colon, the others
		   after a semicolon. */
		strbuf_addf(human, i ? _("; %s (%s), %s") : _(": %s (%s), %s"),
			    ap->by.full_name, ap->by.login, when);
		if (!a->valid[i])
			strbuf_addf(human, " (%s)", _("expired"));
	}
}

/* A deployment's history from the trail: for people, "date login what it
 * did" then each field it set, "label: before -> after", as the screens'
 * details show it; for scripts, each record's seq, time, login and action
 * (one flat object a line; audit list gives its before and after). */
static enum dd_code
history_cells(struct core_session *s, const char *id, struct strbuf *json,
	      struct strbuf *human, struct dd_error *err)
{
	struct audit_list audit;
	int64_t after = 0;
	char when[64];
	bool more;
	enum dd_code code;

	for (;;) {
		code = core_audit_page(s, NULL, id, after, 200, &audit, err);
		if (code)
			return code;
		for (size_t i = 0; i < audit.count; i++) {
			const struct audit_record *r = &audit.items[i];
			struct core_change_list changes;

			strbuf_addf(json, "%s{\"seq\":%lld,\"at\":\"%s\",",
				    json->len ? "\n" : "", (long long)r->seq,
				    r->ts);
			strbuf_addstr(json, "\"login\":");
			json_add_string(json, r->login);
			strbuf_addstr(json, ",\"action\":");
			json_add_string(json, r->action);
			strbuf_addch(json, '}');
			time_local_display(r->ts, when, sizeof when);
			strbuf_addf(human, "%s%s  %s %s",
				    human->len ? "\n" : "", when, r->login,
				    core_audit_action_label(r->action));
			core_audit_changes(s, r, &changes);
			for (size_t k = 0; k < changes.count; k++) {
				const struct core_change *c = &changes.items[k];

				/* TRANSLATORS: a field of the history: its
				   name, the value it had, the value it got. */
				if (c->before && strcmp(c->before, c->after))
					strbuf_addf(human, _("\n  %s: %s → %s"),
						    c->label, c->before,
						    c->after);
				/* TRANSLATORS: a field of the history set
				   for the first time: its name and value. */
				else if (!c->before)
					strbuf_addf(human, _("\n  %s: %s"),
						    c->label, c->after);
			}
			core_change_list_free(&changes);
		}
		more = audit.count == 200;
		if (audit.count)
			after = audit.items[audit.count - 1].seq;
		audit_list_free(&audit);
		if (!more)
			return DD_OK;
	}
}

static void
show_deploy(struct cli_ctx *ctx, const struct task *t, const char *project,
	    const struct core_approvals *a, struct strbuf *history_json,
	    struct strbuf *history_human)
{
	struct cli_record *r = cli_record_begin(ctx);
	char planned[32], auth[32], started[32], executed[32], created[32];
	char closed[32], exceptions[16];
	struct strbuf json = STRBUF_INIT, human = STRBUF_INIT;

	cli_record_field(r, "id", _("Id"), text_cell(t->id));
	cli_record_field(r, "project", _("Project"), text_cell(project));
	cli_record_field(r, "version", _("Version"), text_cell(t->version));
	cli_record_field(r, "environment", _("Environment"),
			 (struct cli_cell){env_code(t->environment),
					   core_env_label(t->environment),
					   CELL_STRING});
	cli_record_field(r, "status", _("Status"),
			 (struct cli_cell){status_code(t->status),
					   core_status_label(t->status),
					   CELL_STRING});
	cli_record_field(r, "description", _("Description"),
			 text_cell(t->description));
	cli_record_field(r, "responsible", _("Responsible"),
			 person_cell(&t->responsible));
	cli_record_field(r, "planned_at", _("Planned date"),
			 time_cell(t->planned_at, planned, sizeof planned));
	cli_record_field(r, "authorized_by", _("Authorized by"),
			 person_cell(&t->authorized_by));
	cli_record_field(r, "authorized_at", _("Authorized at"),
			 time_cell(t->authorized_at, auth, sizeof auth));
	approvals_cells(a, &json, &human);
	cli_record_field(r, "approvals", _("Approvals"),
			 (struct cli_cell){strbuf_str(&json),
					   strbuf_str(&human), CELL_JSON_LIST});
	snprintf(exceptions, sizeof exceptions, "%d", t->exceptions);
	cli_record_field(r, "exceptions", _("Exceptions"),
			 (struct cli_cell){exceptions, NULL, CELL_NUMBER});
	cli_record_field(r, "started_by", _("Started by"),
			 person_cell(&t->started_by));
	cli_record_field(r, "started_at", _("Started at"),
			 time_cell(t->started_at, started, sizeof started));
	cli_record_field(r, "executed_by", _("Executed by"),
			 person_cell(&t->executed_by));
	cli_record_field(r, "executed_at", _("Executed at"),
			 time_cell(t->executed_at, executed, sizeof executed));
	cli_record_field(r, "closed_by", _("Closed by"),
			 person_cell(&t->closed_by));
	cli_record_field(r, "closed_at", _("Closed at"),
			 time_cell(t->closed_at, closed, sizeof closed));
	cli_record_field(r, "reason", _("Reason"), text_cell(t->close_reason));
	cli_record_field(
	    r, "rollback_of", _("Rollback of"),
	    (struct cli_cell){t->rollback_of[0] ? t->rollback_of : NULL,
			      t->rollback_of_version, CELL_STRING});
	cli_record_field(
	    r, "rolled_back_by", _("Rolled back by"),
	    text_cell(t->rolled_back_by[0] ? t->rolled_back_by : NULL));
	cli_record_field(r, "risk", _("Risk"),
			 (struct cli_cell){risk_code(t->risk),
					   t->risk != RISK_NONE
					       ? core_risk_label(t->risk)
					       : NULL,
					   CELL_STRING});
	cli_record_field(r, "backout_plan", _("Back-out plan"),
			 text_cell(t->backout_plan));
	cli_record_field(r, "fixes", _("Fixes"),
			 (struct cli_cell){t->fixes[0] ? t->fixes : NULL,
					   t->fixes_name, CELL_STRING});
	cli_record_field(r, "incident_id", _("Incident"),
			 text_cell(t->incident_id[0] ? t->incident_id : NULL));
	cli_record_field(r, "created_by", _("Created by"),
			 person_cell(&t->created_by));
	cli_record_field(r, "created_at", _("Created at"),
			 time_cell(t->created_at, created, sizeof created));
	cli_record_field(r, "logs", _("Logs"), text_cell(t->logs));
	cli_record_field(r, "history", _("History"),
			 (struct cli_cell){strbuf_str(history_json),
					   strbuf_str(history_human),
					   CELL_JSON_LIST});
	cli_record_end(r);
	strbuf_release(&json);
	strbuf_release(&human);
}

static void
show_incident(struct cli_ctx *ctx, const struct task *t, const char *project,
	      const char *note)
{
	struct cli_record *r = cli_record_begin(ctx);
	char created[32];

	cli_record_field(r, "id", _("Id"), text_cell(t->id));
	cli_record_field(r, "project", _("Project"), text_cell(project));
	cli_record_field(r, "name", _("Name"), text_cell(t->name));
	cli_record_field(r, "status", _("Status"),
			 (struct cli_cell){status_code(t->status),
					   core_stage_status_label(t->status),
					   CELL_STRING});
	cli_record_field(r, "priority", _("Priority"),
			 (struct cli_cell){priority_code(t->priority),
					   core_priority_label(t->priority),
					   CELL_STRING});
	cli_record_field(r, "responsible", _("Responsible"),
			 person_cell(&t->responsible));
	cli_record_field(r, "deployment_id", _("Deployment"),
			 text_cell(t->source_task[0] ? t->source_task : NULL));
	cli_record_field(r, "created_by", _("Created by"),
			 person_cell(&t->created_by));
	cli_record_field(r, "created_at", _("Created at"),
			 time_cell(t->created_at, created, sizeof created));
	cli_record_field(r, "description", _("Description"),
			 text_cell(t->description));
	cli_record_field(r, "note", _("Note"), text_cell(*note ? note : NULL));
	cli_record_field(r, "fixed_by", _("Fixed by"),
			 (struct cli_cell){t->fixed_by[0] ? t->fixed_by : NULL,
					   t->fixed_by_version, CELL_STRING});
	cli_record_end(r);
}

/* What the row callback of a listing needs. The words of a table are
 * looked up once, not for each row; CSV and JSON show only the values. */
struct task_listing {
	struct cli_list *l;
	bool deploys;
	bool table;
	const char *status[STATUS_COUNT];
	const char *priority[PRIORITY_COUNT];
	const char *yes, *no;
	const struct core_project *project;
};

/* A time cell: the local time for people only in a table. */
static struct cli_cell
list_time_cell(const char *iso, bool table, char *buf, size_t size)
{
	struct cli_cell c = {iso[0] ? iso : NULL, NULL, CELL_STRING};

	if (iso[0] && table) {
		time_local_display(iso, buf, size);
		c.human = buf;
	}
	return c;
}

/* Writes one row of a listing as it is read. */
static void
list_task_row(const struct task_row *t, void *data)
{
	struct task_listing *tl = data;
	char date[32], shortid[9], auth[24];
	const char *when = tl->deploys ? t->planned_at : t->created_at;
	bool authorized =
	    tl->deploys &&
	    core_authorized_now(tl->project, t->environment, t->risk, t->status,
				t->authorized, t->approvals);
	struct cli_cell id = {t->id, NULL, CELL_STRING};
	struct cli_cell person = {t->responsible_login, t->responsible_name,
				  CELL_STRING};
	/* The words looked up once (tl), not for each row. */
	const char *human = NULL;

	if (tl->table && tl->deploys) {
		human = core_approvals_count(tl->project, t->environment,
					     t->risk, t->status, t->approvals,
					     auth, sizeof auth);
		if (!human)
			human = authorized ? tl->yes : tl->no;
	}
	if (tl->table) {
		memcpy(shortid, t->id, sizeof shortid - 1);
		shortid[sizeof shortid - 1] = '\0';
		id.human = shortid;
	}
	if (tl->deploys) {
		struct cli_cell cells[] = {
		    id,
		    text_cell(t->version),
		    {env_code(t->environment), NULL, CELL_STRING},
		    {status_code(t->status),
		     tl->table ? tl->status[t->status] : NULL, CELL_STRING},
		    {authorized ? "true" : "false", human, CELL_NUMBER},
		    list_time_cell(when, tl->table, date, sizeof date),
		    person,
		};
		cli_list_row(tl->l, cells);
	} else {
		/* The deployment's id cut as the incident's own, in a
		 * table. */
		char shortsrc[9];
		struct cli_cell source = text_cell(t->source_task);

		if (tl->table) {
			snprintf(shortsrc, sizeof shortsrc, "%.8s",
				 t->source_task);
			source.human = shortsrc;
		}
		struct cli_cell cells[] = {
		    id,
		    text_cell(t->name),
		    {status_code(t->status),
		     tl->table ? tl->status[t->status] : NULL, CELL_STRING},
		    {priority_code(t->priority),
		     tl->table ? tl->priority[t->priority] : NULL, CELL_STRING},
		    person,
		    source,
		    list_time_cell(when, tl->table, date, sizeof date),
		};
		cli_list_row(tl->l, cells);
	}
}

/* Lists a project's deployments or incidents, streamed a page at a time:
 * a long history is never held. At most limit of them (0: all). */
static int
list_tasks(struct cli_ctx *ctx, const char *project_ref,
	   struct core_page_query *q, size_t limit)
{
	static const char *const dkeys[] = {
	    "id",	  "version",	"environment", "status",
	    "authorized", "planned_at", "responsible"};
	static const char *const ikeys[] = {
	    "id",	   "name",	    "status",	 "priority",
	    "responsible", "deployment_id", "created_at"};
	const char *dheaders[] = {_("Id"),	   _("Version"),    _("Env"),
				  _("Status"),	   _("Authorized"), _("Date"),
				  _("Responsible")};
	const char *iheaders[] = {
	    _("Id"),	      _("Name"),       _("Status"), _("Priority"),
	    _("Responsible"), _("Deployment"), _("Created")};
	struct task_listing tl = {
	    .deploys = q->type == TASK_DEPLOYMENT,
	    .table = ctx->format == FORMAT_TABLE,
	};
	struct dd_error err = {0};
	struct core_project p;
	struct task_cursor cursor;
	enum dd_code code;

	memset(&cursor, 0, sizeof cursor);
	for (int i = 0; i < STATUS_COUNT; i++)
		tl.status[i] = tl.deploys ? core_status_label(i)
					  : core_stage_status_label(i);
	for (int i = 0; i < PRIORITY_COUNT; i++)
		tl.priority[i] = core_priority_label(i);
	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_open(ctx->s, project_ref, &p, &err);
	if (code)
		return cli_fail(code, &err);
	tl.project = &p;
	tl.yes = _("Yes");
	tl.no = _("No");
	tl.l = cli_list_begin(ctx, 7, tl.deploys ? dkeys : ikeys,
			      tl.deploys ? dheaders : iheaders);
	for (;;) {
		size_t n, want = limit && limit < LIST_PAGE ? limit : LIST_PAGE;

		code = core_task_rows(ctx->s, &p, q, &cursor, (int)want,
				      list_task_row, &tl, &n, &err);
		if (code || n < want || (limit && (limit -= n) == 0))
			break;
	}
	cli_list_finish(tl.l, code == DD_OK);
	core_project_free(&p);
	return code ? cli_fail(code, &err) : 0;
}

/* Finds a task and the code of its project, for show. */
static enum dd_code
find_with_project(struct cli_ctx *ctx, bool incident, const char *ref,
		  struct task *t, struct core_project *p, struct dd_error *err)
{
	enum dd_code code = cli_open(ctx, err);

	if (!code)
		code = incident ? core_incident_find(ctx->s, ref, t, err)
				: core_deploy_find(ctx->s, ref, t, err);
	if (code)
		return code;
	code = core_project_open(ctx->s, t->project_id, p, err);
	if (code)
		task_free(t);
	return code;
}

/* "v1.2.0 (Production)": a deployment as a change message names it. */
static void
say_deploy(struct cli_ctx *ctx, const char *fmt, const char *id)
{
	struct dd_error err = {0};
	struct task t;

	if (ctx->quiet || core_deploy_find(ctx->s, id, &t, &err) != DD_OK)
		return;
	cli_done(ctx, fmt, t.version, core_env_label(t.environment));
	task_free(&t);
}

/* An id for scripts: the bare id in the table format, a record with
 * --format csv or json. */
static void
print_id(struct cli_ctx *ctx, const char *id)
{
	struct cli_record *r;

	if (ctx->format == FORMAT_TABLE) {
		printf("%s\n", id);
		return;
	}
	r = cli_record_begin(ctx);
	cli_record_field(r, "id", _("Id"), text_cell(id));
	cli_record_end(r);
}

/* Another deployment planned in the same environment that day: said on
 * standard error as a warning (the deployment is planned all the same). */
static void
warn_same_day(struct cli_ctx *ctx, const char *id)
{
	struct core_same_day d;
	struct dd_error err = {0};
	struct strbuf text = STRBUF_INIT;

	if (core_deploy_same_day(ctx->s, id, &d, &err) != DD_OK)
		return;
	core_same_day_text(&d, &text);
	if (text.len)
		/* TRANSLATORS: a warning, on the command line. */
		cli_error(_("warning: %s"), strbuf_str(&text));
	strbuf_release(&text);
	core_same_day_free(&d);
}

/* A deployment's fields as the options give them (NULL: not given). */
static struct core_deploy_input
deploy_input(const struct cli_args *a)
{
	struct core_deploy_input in = {
	    .version = a->opt[OPT_VERSION],
	    .environment = a->opt[OPT_ENV],
	    .description = a->opt[OPT_DESCRIPTION],
	    .responsible = a->opt[OPT_RESPONSIBLE],
	    .planned = a->opt[OPT_DATE],
	    .fixes = a->opt[OPT_FIXES],
	    .risk = a->opt[OPT_RISK],
	    .backout_plan = a->opt[OPT_BACKOUT_PLAN],
	};

	return in;
}

int
cli_deploy_create(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_deploy_input in = deploy_input(a);
	struct dd_error err = {0};
	struct core_project p;
	char id[UUID_SIZE];
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (code)
		return cli_fail(code, &err);
	code = core_deploy_create(ctx->s, &p, &in, id, NULL, &err);
	if (code) {
		core_project_free(&p);
		return cli_fail(code, &err);
	}
	/* TRANSLATORS: a version, its environment, then a project's code. */
	cli_done(ctx, _("Planned %s (%s) in project %s"), in.version,
		 core_env_label(core_env_word(in.environment)), p.project.code);
	core_project_free(&p);
	warn_same_day(ctx, id);
	print_id(ctx, id);
	return 0;
}

/* Opens the session, and, with --override REASON, asks for the admin's
 * override of the transition that follows. */
static enum dd_code
open_for_step(struct cli_ctx *ctx, const struct cli_args *a,
	      struct dd_error *err)
{
	enum dd_code code = cli_open(ctx, err);

	if (!code && a->opt[OPT_OVERRIDE])
		code = core_override_next(ctx->s, a->opt[OPT_OVERRIDE], err);
	return code;
}

/* After a step done with --override: that it is an exception. */
static void
say_override(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct strbuf rules = STRBUF_INIT;
	int64_t id = core_last_exception(ctx->s, &rules);

	if (a->opt[OPT_OVERRIDE] && id)
		/* TRANSLATORS: the policy's rules passed ("approvals
		   freeze"), then the exception's id. */
		cli_done(ctx,
			 _("The override passed %s: exception %lld, open until "
			   "someone else reviews it"),
			 strbuf_str(&rules), (long long)id);
	strbuf_release(&rules);
}

/* succeed and fail: the logs from --logs or --logs-file. */
static int
deploy_finish(struct cli_ctx *ctx, const struct cli_args *a, bool failed)
{
	const char *logs_text = a->opt[OPT_LOGS];
	const char *logs_file = a->opt[OPT_LOGS_FILE];
	struct core_logs logs;
	struct dd_error err = {0};
	char incident[UUID_SIZE];
	enum dd_code code = DD_OK;

	memset(&logs, 0, sizeof logs);
	if (logs_text && logs_file)
		return cli_usage(_("%s: give --logs or --logs-file, not both"),
				 a->name);
	if (logs_file)
		code = read_logs(logs_file, ctx->encoding, &logs, &err);
	else if (logs_text) {
		logs.text = logs_text;
		logs.len = strlen(logs_text);
	} else {
		logs.text = "";
	}
	if (!code)
		code = open_for_step(ctx, a, &err);
	if (!code)
		code = core_deploy_record(ctx->s, a->ops[0], 0,
					  failed ? STATUS_FAILED
						 : STATUS_SUCCEEDED,
					  &logs, incident, &err);
	core_logs_free(&logs);
	if (code)
		return cli_fail(code, &err);
	say_deploy(ctx,
		   failed ? _("Recorded the failure of %s (%s); an incident "
			      "is open for its responsible person")
			  : _("Recorded the success of %s (%s)"),
		   a->ops[0]);
	say_override(ctx, a);
	if (failed)
		print_id(ctx, incident);
	return 0;
}

int
cli_deploy_succeed(struct cli_ctx *ctx, const struct cli_args *a)
{
	return deploy_finish(ctx, a, false);
}

int
cli_deploy_fail(struct cli_ctx *ctx, const struct cli_args *a)
{
	return deploy_finish(ctx, a, true);
}

int
cli_deploy_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE];
	struct core_page_query q = {TASK_DEPLOYMENT, -1, -1, NULL};
	const char *env = a->opt[OPT_ENV], *status = a->opt[OPT_STATUS];
	size_t limit = 0;

	if (cli_limit(a, &limit))
		return DD_ERR_INPUT;
	q.text = a->opt[OPT_SEARCH];

	if (env) {
		q.environment = core_env_word(env);
		if (q.environment < 0)
			return cli_usage(_("--env: '%s' is not DEV, TEST, "
					   "PREPROD or PROD"),
					 text_cut(env, cut));
	}
	if (status) {
		q.status = core_status_word(status);
		if (q.status < 0)
			return cli_usage(_("--status: '%s' is not A_FAIRE, "
					   "EN_COURS, TERMINEE or ECHEC"),
					 text_cut(status, cut));
	}
	return list_tasks(ctx, a->ops[0], &q, limit);
}

int
cli_deploy_show(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_project p;
	struct task t;
	enum dd_code code;

	struct core_approvals ap;
	struct strbuf json = STRBUF_INIT, human = STRBUF_INIT;

	code = find_with_project(ctx, false, a->ops[0], &t, &p, &err);
	if (!code) {
		code = core_deploy_approvals(ctx->s, &p, &t, &ap, &err);
		if (!code) {
			code = history_cells(ctx->s, t.id, &json, &human, &err);
			if (code)
				core_approvals_free(&ap);
		}
		if (code) {
			task_free(&t);
			core_project_free(&p);
		}
	}
	if (code) {
		strbuf_release(&json);
		strbuf_release(&human);
		return cli_fail(code, &err);
	}
	show_deploy(ctx, &t, p.project.code, &ap, &json, &human);
	strbuf_release(&json);
	strbuf_release(&human);
	core_approvals_free(&ap);
	task_free(&t);
	core_project_free(&p);
	return 0;
}

int
cli_deploy_edit(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_deploy_input changes = deploy_input(a);
	struct dd_error err = {0};
	bool withdrew = false;
	enum dd_code code;

	if (!changes.version && !changes.environment && !changes.description &&
	    !changes.responsible && !changes.planned && !changes.risk &&
	    !changes.backout_plan)
		return cli_usage(_("%s: give one or more of --version, --env, "
				   "--description, --responsible, --date, "
				   "--risk, --backout-plan"),
				 a->name);
	code = cli_open(ctx, &err);
	if (!code)
		code = core_deploy_edit(ctx->s, a->ops[0], 0, &changes,
					&withdrew, &err);
	if (code)
		return cli_fail(code, &err);
	say_deploy(ctx,
		   withdrew ? _("Changed the plan of %s (%s); its "
				"authorization is withdrawn")
			    : _("Changed the plan of %s (%s)"),
		   a->ops[0]);
	/* Moved to another day or environment: as at creation. */
	if (changes.planned || changes.environment)
		warn_same_day(ctx, a->ops[0]);
	return 0;
}

/* authorize and start: one step of a deployment, then what it did. */
static int
deploy_step(struct cli_ctx *ctx, const struct cli_args *a,
	    enum dd_code (*step)(struct core_session *, const char *, int64_t,
				 struct dd_error *),
	    const char *done)
{
	struct dd_error err = {0};
	enum dd_code code = open_for_step(ctx, a, &err);

	if (!code)
		code = step(ctx->s, a->ops[0], 0, &err);
	if (code)
		return cli_fail(code, &err);
	say_deploy(ctx, done, a->ops[0]);
	say_override(ctx, a);
	return 0;
}

int
cli_deploy_authorize(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_project p;
	struct core_approvals ap;
	struct task t;
	enum dd_code code = open_for_step(ctx, a, &err);

	if (!code)
		code = core_deploy_authorize(ctx->s, a->ops[0], 0, &err);
	if (code)
		return cli_fail(code, &err);
	say_override(ctx, a);
	if (ctx->quiet ||
	    find_with_project(ctx, false, a->ops[0], &t, &p, &err) != DD_OK)
		return 0;
	if (core_deploy_approvals(ctx->s, &p, &t, &ap, &err) == DD_OK) {
		if (ap.required == 1)
			/* TRANSLATORS: a version, then its environment. */
			cli_done(ctx, _("Authorized %s (%s)"), t.version,
				 core_env_label(t.environment));
		else
			/* TRANSLATORS: a version, its environment, the
			   approvals that count and those asked for. */
			cli_done(
			    ctx,
			    ap.standing >= ap.required
				? _("Authorized %s (%s): %d of %d "
				    "approvals")
				: _("Approved %s (%s): %d of %d approvals"),
			    t.version, core_env_label(t.environment),
			    ap.standing, ap.required);
		core_approvals_free(&ap);
	}
	task_free(&t);
	core_project_free(&p);
	return 0;
}

int
cli_deploy_rollback(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	char id[UUID_SIZE], *replaced = NULL;
	struct task t;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_deploy_rollback_replaces(ctx->s, a->ops[0],
						     &replaced, &err);
	if (!code)
		code = core_deploy_rollback(ctx->s, a->ops[0], id, &err);
	if (code) {
		free(replaced);
		return cli_fail(code, &err);
	}
	print_id(ctx, id);
	if (replaced && core_deploy_find(ctx->s, id, &t, &err) == DD_OK) {
		/* TRANSLATORS: the version running now, the environment,
		   the deployment rolled back, then the version planned. */
		cli_error(_("warning: %s succeeded on %s after %s: the "
			    "rollback will replace it with %s"),
			  replaced, core_env_label(t.environment),
			  t.rollback_of_version, t.version);
		task_free(&t);
	}
	free(replaced);
	if (!ctx->quiet && core_deploy_find(ctx->s, id, &t, &err) == DD_OK) {
		/* TRANSLATORS: the rolled back version, then the version
		   planned and its environment. */
		cli_done(ctx, _("Planned the rollback of %s: %s (%s)"),
			 t.rollback_of_version, t.version,
			 core_env_label(t.environment));
		task_free(&t);
	}
	return 0;
}

int
cli_deploy_revoke(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_deploy_revoke(ctx->s, a->ops[0], 0,
					  a->opt[OPT_APPROVER],
					  a->opt[OPT_REASON], &err);
	struct core_project p;
	struct core_approvals ap;
	struct task t;

	if (code)
		return cli_fail(code, &err);
	if (ctx->quiet ||
	    find_with_project(ctx, false, a->ops[0], &t, &p, &err) != DD_OK)
		return 0;
	if (core_deploy_approvals(ctx->s, &p, &t, &ap, &err) == DD_OK) {
		/* TRANSLATORS: whose approval (a login), a version, its
		   environment, then the approvals that still count and
		   those asked for. */
		cli_done(ctx,
			 _("Withdrew the approval of %s from %s (%s): %d of "
			   "%d stand"),
			 a->opt[OPT_APPROVER] ? a->opt[OPT_APPROVER]
					      : core_me(ctx->s)->login,
			 t.version, core_env_label(t.environment), ap.standing,
			 ap.required);
		core_approvals_free(&ap);
	}
	task_free(&t);
	core_project_free(&p);
	return 0;
}

int
cli_policy_show(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"environment", "key", "value",
					   "default", "set"};
	const char *headers[] = {_("Env"), _("Key"), _("Value"), _("Default"),
				 _("Set")};
	struct dd_error err = {0};
	struct core_project p;
	struct cli_list *l;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 5, keys, headers);
	for (int e = 0; e < ENV_COUNT; e++)
		for (int k = 0; k < POLICY_KEY_COUNT; k++) {
			const struct core_policy_key *info =
			    core_policy_key_info((enum policy_key)k);
			int64_t v = core_policy_value(&p, (enum environment)e,
						      (enum policy_key)k);
			bool set = p.policy.set[e][k];
			char value[24], human[32], fallback[24], fhuman[32];

			if (info->yes_no) {
				snprintf(value, sizeof value, "%s",
					 v ? "true" : "false");
				snprintf(fallback, sizeof fallback, "%s",
					 info->fallback ? "true" : "false");
			} else {
				snprintf(value, sizeof value, "%lld",
					 (long long)v);
				snprintf(fallback, sizeof fallback, "%lld",
					 (long long)info->fallback);
			}
			core_policy_value_text((enum policy_key)k, v, human,
					       sizeof human);
			core_policy_value_text((enum policy_key)k,
					       info->fallback, fhuman,
					       sizeof fhuman);
			struct cli_cell cells[] = {
			    {env_code((enum environment)e), NULL, CELL_STRING},
			    {info->code, NULL, CELL_STRING},
			    {value, human, CELL_NUMBER},
			    {fallback, fhuman, CELL_NUMBER},
			    {set ? "true" : "false", set ? _("yes") : _("no"),
			     CELL_NUMBER},
			};
			cli_list_row(l, cells);
		}
	cli_list_end(l);
	core_project_free(&p);
	return 0;
}

int
cli_policy_set(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_project p;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_policy_set(ctx->s, a->ops[0], a->ops[1], a->ops[2],
				       a->ops[3], &err);
	if (code)
		return cli_fail(code, &err);
	if (!ctx->quiet &&
	    core_project_open(ctx->s, a->ops[0], &p, &err) == DD_OK) {
		enum environment e = (enum environment)core_env_word(a->ops[1]);
		enum policy_key k =
		    (enum policy_key)policy_key_parse(a->ops[2]);
		char value[32];

		/* TRANSLATORS: a project's code, an environment, a policy
		   key and its new value. */
		cli_done(ctx, _("Policy of %s on %s: %s is now %s"),
			 p.project.code, env_code(e), policy_key_code(k),
			 core_policy_value_text(k, core_policy_value(&p, e, k),
						value, sizeof value));
		core_project_free(&p);
	}
	return 0;
}

int
cli_deploy_start(struct cli_ctx *ctx, const struct cli_args *a)
{
	/* TRANSLATORS: a version, then its environment. */
	return deploy_step(ctx, a, core_deploy_start, _("Started %s (%s)"));
}

/* cancel and reject: a planned deployment closed for a reason. */
static int
deploy_close(struct cli_ctx *ctx, const struct cli_args *a,
	     enum task_status how, const char *done)
{
	struct dd_error err = {0};
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_deploy_close(ctx->s, a->ops[0], 0, how,
					 a->opt[OPT_REASON], &err);
	if (code)
		return cli_fail(code, &err);
	say_deploy(ctx, done, a->ops[0]);
	return 0;
}

int
cli_deploy_cancel(struct cli_ctx *ctx, const struct cli_args *a)
{
	/* TRANSLATORS: a version, then its environment. */
	return deploy_close(ctx, a, STATUS_CANCELLED, _("Cancelled %s (%s)"));
}

int
cli_deploy_reject(struct cli_ctx *ctx, const struct cli_args *a)
{
	/* TRANSLATORS: a version, then its environment. */
	return deploy_close(ctx, a, STATUS_REFUSED, _("Refused %s (%s)"));
}

int
cli_incident_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_page_query q = {TASK_INCIDENT, -1, -1, NULL};
	size_t limit = 0;

	if (cli_limit(a, &limit))
		return DD_ERR_INPUT;
	return list_tasks(ctx, a->ops[0], &q, limit);
}

int
cli_incident_show(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_project p;
	struct task t;
	struct strbuf note = STRBUF_INIT;
	enum dd_code code;

	code = find_with_project(ctx, true, a->ops[0], &t, &p, &err);
	if (code)
		return cli_fail(code, &err);
	code = core_incident_note(ctx->s, t.id, &note, &err);
	if (code) {
		strbuf_release(&note);
		task_free(&t);
		core_project_free(&p);
		return cli_fail(code, &err);
	}
	/* The note of its last change of status: its resolution, once
	 * closed. */
	show_incident(ctx, &t, p.project.code, strbuf_str(&note));
	strbuf_release(&note);
	task_free(&t);
	core_project_free(&p);
	return 0;
}

int
cli_incident_set(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE];
	struct dd_error err = {0};
	struct task t;
	enum dd_code code;
	int status = core_status_word(a->ops[1]);

	if (status < 0 || status > STATUS_SUCCEEDED)
		return cli_usage(_("status: '%s' is not A_FAIRE, EN_COURS or "
				   "TERMINEE"),
				 text_cut(a->ops[1], cut));
	code = cli_open(ctx, &err);
	if (!code)
		code = core_incident_set(ctx->s, a->ops[0], 0,
					 (enum task_status)status,
					 a->opt[OPT_NOTE], &err);
	if (code)
		return cli_fail(code, &err);
	if (!ctx->quiet &&
	    core_incident_find(ctx->s, a->ops[0], &t, &err) == DD_OK) {
		/* TRANSLATORS: an incident's name, then a status's label. */
		cli_done(ctx, _("%s: status set to %s"), t.name,
			 core_stage_status_label((enum task_status)status));
		task_free(&t);
	}
	return 0;
}

int
cli_incident_assign(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct task t;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code =
		    core_incident_assign(ctx->s, a->ops[0], 0, a->ops[1], &err);
	if (code)
		return cli_fail(code, &err);
	if (!ctx->quiet &&
	    core_incident_find(ctx->s, a->ops[0], &t, &err) == DD_OK) {
		/* TRANSLATORS: an incident's name, then a person's full name
		   and login. */
		cli_done(ctx, _("%s: handed to %s (%s)"), t.name,
			 t.responsible.full_name, t.responsible.login);
		task_free(&t);
	}
	return 0;
}

/* The success rate for JSON and CSV: two decimals after a dot whatever the
 * locale's decimal point (printf writes only digits, a sign and that point
 * for a finite number, which the rate always is). */
static void
format_rate(double rate, char *out, size_t size)
{
	char local[64];
	size_t n = 0;

	snprintf(local, sizeof local, "%.2f", rate);
	for (const char *p = local; *p && n + 1 < size; p++) {
		if ((*p >= '0' && *p <= '9') || *p == '-')
			out[n++] = *p;
		else if (n == 0 || out[n - 1] != '.')
			out[n++] = '.';
	}
	out[n] = '\0';
}

int
cli_stats(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_project p;
	struct deploy_stats st;
	struct cli_record *r;
	char num[7][24], rate[64], rate_human[64];
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (!code) {
		code = core_stats(ctx->s, &p, &st, &err);
		core_project_free(&p);
	}
	if (code)
		return cli_fail(code, &err);
	snprintf(num[0], sizeof num[0], "%lld", (long long)st.total);
	snprintf(num[1], sizeof num[1], "%lld", (long long)st.succeeded);
	snprintf(num[2], sizeof num[2], "%lld", (long long)st.failed);
	snprintf(num[3], sizeof num[3], "%lld", (long long)st.planned);
	snprintf(num[4], sizeof num[4], "%lld", (long long)st.in_progress);
	snprintf(num[5], sizeof num[5], "%lld", (long long)st.cancelled);
	snprintf(num[6], sizeof num[6], "%lld", (long long)st.refused);
	format_rate(core_success_rate(&st), rate, sizeof rate);
	snprintf(rate_human, sizeof rate_human, "%.1f %%",
		 core_success_rate(&st));
	r = cli_record_begin(ctx);
	cli_record_field(r, "total", _("Total"),
			 (struct cli_cell){num[0], NULL, CELL_NUMBER});
	cli_record_field(r, "succeeded", _("Succeeded"),
			 (struct cli_cell){num[1], NULL, CELL_NUMBER});
	cli_record_field(r, "failed", _("Failed"),
			 (struct cli_cell){num[2], NULL, CELL_NUMBER});
	cli_record_field(r, "planned", _("Planned"),
			 (struct cli_cell){num[3], NULL, CELL_NUMBER});
	cli_record_field(r, "in_progress", _("In progress"),
			 (struct cli_cell){num[4], NULL, CELL_NUMBER});
	cli_record_field(r, "success_rate", _("Success rate"),
			 (struct cli_cell){rate, rate_human, CELL_NUMBER});
	/* Closed unexecuted: apart from the total and the rate, after the
	 * spec's figures so that a script's columns stay where they were. */
	cli_record_field(r, "cancelled", _("Cancelled"),
			 (struct cli_cell){num[5], NULL, CELL_NUMBER});
	cli_record_field(r, "refused", _("Refused"),
			 (struct cli_cell){num[6], NULL, CELL_NUMBER});
	cli_record_end(r);
	return 0;
}

int
cli_freeze_add(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_freeze_input in = {
	    .project = a->nops ? a->ops[0] : NULL,
	    .environment = a->opt[OPT_ENV],
	    .from = a->opt[OPT_FROM],
	    .to = a->opt[OPT_TO],
	    .weekly = a->opt[OPT_WEEKLY],
	    .reason = a->opt[OPT_REASON],
	};
	struct dd_error err = {0};
	int64_t id = 0;
	char text[32];
	enum dd_code code;

	if (!in.project == !a->opt[OPT_ALL])
		return cli_usage("%s", _("freeze add: give PROJECT or --all "
					 "(every project), not both"));
	if (in.weekly && (in.from || in.to))
		return cli_usage("%s", _("freeze add: give --from and --to, or "
					 "--weekly, not both"));
	if (!in.weekly && (!in.from || !in.to))
		return cli_usage("%s",
				 _("freeze add: give both --from and --to, "
				   "or --weekly"));
	code = cli_open(ctx, &err);
	if (!code)
		code = core_freeze_add(ctx->s, &in, &id, &err);
	if (code)
		return cli_fail(code, &err);
	snprintf(text, sizeof text, "%lld", (long long)id);
	print_id(ctx, text);
	/* TRANSLATORS: a freeze's id. */
	cli_done(ctx, _("Added freeze %lld"), (long long)id);
	return 0;
}

int
cli_freeze_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"id",     "project", "environment",
					   "from",   "to",	"weekly",
					   "reason", "on"};
	const char *headers[] = {_("Id"), _("Project"), _("Env"),    _("From"),
				 _("To"), _("Weekly"),	_("Reason"), _("On")};
	struct dd_error err = {0};
	struct freeze_list fl = {0};
	struct cli_list *l;
	time_t now = time(NULL);
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_freeze_list(ctx->s, a->nops ? a->ops[0] : NULL, &fl,
					&err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 8, keys, headers);
	for (size_t i = 0; i < fl.count; i++) {
		const struct freeze *f = &fl.items[i];
		char id[32], weekly[32], weekly_label[64], from[64], to[64];
		bool on = core_freeze_on(f, now, NULL);

		snprintf(id, sizeof id, "%lld", (long long)f->id);
		if (f->weekly) {
			core_weekly_text(f->weekly_from, f->weekly_to, weekly,
					 sizeof weekly);
			core_weekly_label(f->weekly_from, f->weekly_to,
					  weekly_label, sizeof weekly_label);
		}
		struct cli_cell cells[] = {
		    {id, NULL, CELL_NUMBER},
		    {f->project_code, f->project_code ? NULL : _("(all)"),
		     CELL_STRING},
		    {f->has_env ? env_code(f->environment) : NULL,
		     f->has_env ? NULL : _("(all)"), CELL_STRING},
		    list_time_cell(f->starts_at, ctx->format == FORMAT_TABLE,
				   from, sizeof from),
		    list_time_cell(f->ends_at, ctx->format == FORMAT_TABLE, to,
				   sizeof to),
		    {f->weekly ? weekly : NULL, f->weekly ? weekly_label : NULL,
		     CELL_STRING},
		    {f->reason, NULL, CELL_STRING},
		    {on ? "true" : "false", on ? _("yes") : _("no"),
		     CELL_NUMBER},
		};
		cli_list_row(l, cells);
	}
	cli_list_end(l);
	freeze_list_free(&fl);
	return 0;
}

int
cli_freeze_remove(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE], *end;
	struct dd_error err = {0};
	long long id = strtoll(a->ops[0], &end, 10);
	enum dd_code code;

	if (*end || end == a->ops[0] || id <= 0)
		return cli_usage(_("freeze remove: '%s' is not a freeze's id"),
				 text_cut(a->ops[0], cut));
	code = cli_open(ctx, &err);
	if (!code)
		code = core_freeze_remove(ctx->s, id, &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: a freeze's id. */
	cli_done(ctx, _("Removed freeze %lld"), id);
	return 0;
}

int
cli_exception_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {
	    "id",	 "project", "deployment_id", "version",
	    "action",	 "rules",   "reason",	     "opened_by",
	    "opened_at", "state",   "reviewed_by",   "note"};
	const char *headers[] = {
	    _("Id"),	 _("Project"), _("Deployment"),	 _("Version"),
	    _("Action"), _("Rules"),   _("Reason"),	 _("By"),
	    _("Opened"), _("State"),   _("Reviewed by"), _("Note")};
	struct dd_error err = {0};
	struct exception_list el = {0};
	struct cli_list *l;
	time_t now = time(NULL);
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_exception_list(ctx->s, a->nops ? a->ops[0] : NULL,
					   a->opt[OPT_OPEN] != NULL, &el, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 12, keys, headers);
	for (size_t i = 0; i < el.count; i++) {
		const struct exception *e = &el.items[i];
		char id[32], opened[64], shortid[9];
		const char *state = e->reviewed_by.id ? "reviewed"
				    : core_exception_overdue(e, now) ? "overdue"
								     : "open";
		const char *state_human = e->reviewed_by.id ? _("reviewed")
					  : core_exception_overdue(e, now)
					      ? _("overdue")
					      : _("to review");

		snprintf(id, sizeof id, "%lld", (long long)e->id);
		snprintf(shortid, sizeof shortid, "%.8s", e->task_id);
		struct cli_cell cells[] = {
		    {id, NULL, CELL_NUMBER},
		    {e->project_code, NULL, CELL_STRING},
		    {e->task_id, ctx->format == FORMAT_TABLE ? shortid : NULL,
		     CELL_STRING},
		    {e->version, NULL, CELL_STRING},
		    {e->action, NULL, CELL_STRING},
		    {e->rules, NULL, CELL_STRING},
		    {e->reason, NULL, CELL_STRING},
		    {e->opened_by.login, NULL, CELL_STRING},
		    list_time_cell(e->opened_at, ctx->format == FORMAT_TABLE,
				   opened, sizeof opened),
		    {state, state_human, CELL_STRING},
		    {e->reviewed_by.id ? e->reviewed_by.login : NULL, NULL,
		     CELL_STRING},
		    {e->review_note, NULL, CELL_STRING},
		};
		cli_list_row(l, cells);
	}
	cli_list_end(l);
	exception_list_free(&el);
	return 0;
}

int
cli_inbox(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {
	    "kind",	 "project",	  "id",
	    "version",	 "environment",	  "when",
	    "exception", "overdue_since", "text"};
	const char *headers[] = {_("Kind"),	 _("Project"),	     _("Id"),
				 _("Version"),	 _("Environment"),   _("Date"),
				 _("Exception"), _("Overdue since"), _("What")};
	struct dd_error err = {0};
	struct core_inbox in = {0};
	struct strbuf text = STRBUF_INIT;
	struct cli_list *l = NULL;
	enum dd_code code = cli_open(ctx, &err);

	(void)a;
	if (!code)
		code = core_inbox(ctx->s, &in, &err);
	if (code)
		return cli_fail(code, &err);
	/* A sentence a line, for a login shell's profile; nothing when
	 * nothing waits. Scripts get the fields. */
	if (ctx->format != FORMAT_TABLE)
		l = cli_list_begin(ctx, 9, keys, headers);
	for (size_t i = 0; i < in.count; i++) {
		const struct core_inbox_item *it = &in.items[i];
		char exception[32], when[64], overdue[64];

		core_inbox_text(it, &text);
		if (!l) {
			cli_say(ctx, "%s", strbuf_str(&text));
			continue;
		}
		snprintf(exception, sizeof exception, "%lld",
			 (long long)it->exception);
		struct cli_cell cells[] = {
		    {core_inbox_code(it->kind), NULL, CELL_STRING},
		    {it->project_code, NULL, CELL_STRING},
		    {it->task.id, NULL, CELL_STRING},
		    {it->task.type == TASK_DEPLOYMENT ? it->task.version
						      : it->task.source_version,
		     NULL, CELL_STRING},
		    {it->task.type == TASK_DEPLOYMENT
			 ? env_code(it->task.environment)
			 : NULL,
		     NULL, CELL_STRING},
		    list_time_cell(it->when, false, when, sizeof when),
		    {it->exception ? exception : NULL, NULL, CELL_NUMBER},
		    list_time_cell(it->overdue_since, false, overdue,
				   sizeof overdue),
		    {strbuf_str(&text), NULL, CELL_STRING},
		};
		cli_list_row(l, cells);
	}
	if (l)
		cli_list_end(l);
	strbuf_release(&text);
	core_inbox_free(&in);
	return 0;
}

/* envs --ahead: a row per project and environment with versions ahead. */
static void
envs_ahead(struct cli_ctx *ctx, const struct core_envs *envs)
{
	static const char *const keys[] = {"project", "environment", "next",
					   "count", "versions"};
	const char *headers[] = {_("Project"), _("Environment"), _("Next"),
				 _("Count"), _("Versions")};
	struct cli_list *l = cli_list_begin(ctx, 5, keys, headers);
	struct strbuf versions = STRBUF_INIT;

	for (size_t i = 0; i < envs->count; i++) {
		const struct core_env_project *p = &envs->items[i];

		for (int e = 0; e + 1 < ENV_COUNT; e++) {
			char count[32];

			if (!p->nahead[e])
				continue;
			strbuf_reset(&versions);
			for (size_t k = 0;
			     k < p->nahead[e] && k < CORE_AHEAD_MAX; k++)
				strbuf_addf(&versions, "%s%s", k ? " " : "",
					    p->ahead[e][k]);
			snprintf(count, sizeof count, "%zu", p->nahead[e]);
			struct cli_cell cells[] = {
			    {p->project.code, NULL, CELL_STRING},
			    {env_code((enum environment)e), NULL, CELL_STRING},
			    {env_code((enum environment)(e + 1)), NULL,
			     CELL_STRING},
			    {count, NULL, CELL_NUMBER},
			    {strbuf_str(&versions), NULL, CELL_STRING},
			};
			cli_list_row(l, cells);
		}
	}
	cli_list_end(l);
	strbuf_release(&versions);
}

/* envs as a table: a project a row, an environment a column. */
static void
envs_matrix(struct cli_ctx *ctx, const struct core_envs *envs)
{
	static const char *const keys[] = {"project", "DEV", "TEST", "PREPROD",
					   "PROD"};
	const char *headers[] = {_("Project"), "DEV", "TEST", "PREPROD",
				 "PROD"};
	struct cli_list *l = cli_list_begin(ctx, 5, keys, headers);
	struct strbuf cell[ENV_COUNT];

	for (int e = 0; e < ENV_COUNT; e++)
		cell[e] = (struct strbuf)STRBUF_INIT;
	for (size_t i = 0; i < envs->count; i++) {
		const struct core_env_project *p = &envs->items[i];

		for (int e = 0; e < ENV_COUNT; e++) {
			const struct env_state *st = &p->env[e];

			strbuf_reset(&cell[e]);
			strbuf_addstr(&cell[e],
				      st->current ? st->current : "-");
			if (st->failed)
				strbuf_addstr(&cell[e], " !");
			if (st->running)
				strbuf_addstr(&cell[e], " >");
			if (st->planned)
				strbuf_addf(&cell[e], " +%lld",
					    (long long)st->planned);
		}
		struct cli_cell cells[] = {
		    {p->project.code, NULL, CELL_STRING},
		    {strbuf_str(&cell[0]), NULL, CELL_STRING},
		    {strbuf_str(&cell[1]), NULL, CELL_STRING},
		    {strbuf_str(&cell[2]), NULL, CELL_STRING},
		    {strbuf_str(&cell[3]), NULL, CELL_STRING},
		};
		cli_list_row(l, cells);
	}
	cli_list_end(l);
	for (int e = 0; e < ENV_COUNT; e++)
		strbuf_release(&cell[e]);
	if (envs->count)
		cli_say(ctx, "%s",
			_("! the last attempt failed  > one in progress  +N "
			  "planned"));
}

/* envs for scripts: a record per project and environment. */
static void
envs_records(struct cli_ctx *ctx, const struct core_envs *envs)
{
	static const char *const keys[] = {
	    "project", "environment", "current", "current_at",
	    "failed",  "failed_at",   "running", "running_at",
	    "next",    "next_at",     "planned"};
	const char *headers[11] = {0};
	struct cli_list *l;

	for (int i = 0; i < 11; i++)
		headers[i] = keys[i];
	l = cli_list_begin(ctx, 11, keys, headers);
	for (size_t i = 0; i < envs->count; i++) {
		const struct core_env_project *p = &envs->items[i];

		for (int e = 0; e < ENV_COUNT; e++) {
			const struct env_state *st = &p->env[e];
			char planned[32];

			snprintf(planned, sizeof planned, "%lld",
				 (long long)st->planned);
			struct cli_cell cells[] = {
			    {p->project.code, NULL, CELL_STRING},
			    {env_code((enum environment)e), NULL, CELL_STRING},
			    {st->current, NULL, CELL_STRING},
			    {st->current_at[0] ? st->current_at : NULL, NULL,
			     CELL_STRING},
			    {st->failed, NULL, CELL_STRING},
			    {st->failed_at[0] ? st->failed_at : NULL, NULL,
			     CELL_STRING},
			    {st->running, NULL, CELL_STRING},
			    {st->running_at[0] ? st->running_at : NULL, NULL,
			     CELL_STRING},
			    {st->next, NULL, CELL_STRING},
			    {st->next_at[0] ? st->next_at : NULL, NULL,
			     CELL_STRING},
			    {planned, NULL, CELL_NUMBER},
			};
			cli_list_row(l, cells);
		}
	}
	cli_list_end(l);
}

int
cli_envs(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_envs envs;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_envs(ctx->s, &envs, &err);
	if (code)
		return cli_fail(code, &err);
	if (a->opt[OPT_AHEAD])
		envs_ahead(ctx, &envs);
	else if (ctx->format == FORMAT_TABLE)
		envs_matrix(ctx, &envs);
	else
		envs_records(ctx, &envs);
	core_envs_free(&envs);
	return 0;
}

/* A number of the figures with two decimals, or null (none to count):
 * a point for scripts whatever the locale, human (when not NULL) for
 * people. */
static struct cli_cell
number_cell(char *buf, size_t size, bool have, double v, const char *human)
{
	if (!have)
		return (struct cli_cell){NULL, NULL, CELL_NUMBER};
	format_rate(v, buf, size);
	return (struct cli_cell){buf, human, CELL_NUMBER};
}

/* A duration: seconds for scripts, "2 d 4 h" for people. */
static struct cli_cell
duration_cell(int64_t seconds, char *buf, size_t size, struct strbuf *human)
{
	core_duration_text(seconds, human);
	if (seconds < 0)
		return (struct cli_cell){NULL, NULL, CELL_NUMBER};
	snprintf(buf, size, "%lld", (long long)seconds);
	return (struct cli_cell){buf, strbuf_str(human), CELL_NUMBER};
}

/* A rate for people, with the counts behind it: "33.3 % (1 of 3)". */
static void
rate_text(struct strbuf *out, int64_t part, int64_t whole)
{
	/* TRANSLATORS: a rate, then the counts behind it: "33.3 % (1 of
	   3)". */
	strbuf_addf(out, _("%.1f %% (%lld of %lld)"),
		    whole ? 100.0 * (double)part / (double)whole : 0.0,
		    (long long)part, (long long)whole);
}

/* The weeks as a bar each, for people: '#' a success, 'x' a failure. */
static void
metrics_chart(struct cli_ctx *ctx, const struct core_metrics *m)
{
	struct strbuf line = STRBUF_INIT;
	int64_t most = 1;

	for (size_t w = 0; w < m->nweeks; w++)
		if (m->weeks[w].succeeded + m->weeks[w].failed > most)
			most = m->weeks[w].succeeded + m->weeks[w].failed;
	cli_say(ctx, "%s", "");
	cli_say(ctx, "%s", _("Week of     successes (#) and failures (x)"));
	for (size_t w = 0; w < m->nweeks; w++) {
		const struct core_metrics_week *k = &m->weeks[w];
		/* At most 50 marks: scaled when a week has more. */
		int64_t s = most > 50 ? k->succeeded * 50 / most : k->succeeded;
		int64_t f = most > 50 ? k->failed * 50 / most : k->failed;

		char monday[32];

		time_day_display(k->monday, monday, sizeof monday);
		strbuf_reset(&line);
		strbuf_addf(&line, "%s  ", monday);
		for (int64_t i = 0; i < s; i++)
			strbuf_addch(&line, '#');
		for (int64_t i = 0; i < f; i++)
			strbuf_addch(&line, 'x');
		if (k->succeeded || k->failed)
			strbuf_addf(&line, " %lld/%lld",
				    (long long)k->succeeded,
				    (long long)k->failed);
		cli_say(ctx, "%s", strbuf_str(&line));
	}
	strbuf_release(&line);
}

int
cli_metrics(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct core_metrics m;
	struct cli_record *r;
	struct strbuf weeks = STRBUF_INIT, weeks_human = STRBUF_INIT;
	struct strbuf h[6], per_env = STRBUF_INIT, counts = STRBUF_INIT;
	char b[16][48], n[3][24], from[64], to[64];
	struct strbuf rate_human[2] = {STRBUF_INIT, STRBUF_INIT};
	int64_t executed, total = 0;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_metrics(ctx->s, a->nops ? a->ops[0] : NULL,
				    a->opt[OPT_FROM], a->opt[OPT_TO],
				    a->opt[OPT_ENV], &m, &err);
	if (code)
		return cli_fail(code, &err);
	for (int i = 0; i < 6; i++)
		h[i] = (struct strbuf)STRBUF_INIT;
	executed = m.succeeded + m.failed;
	for (int st = STATUS_PLANNED; st <= STATUS_FAILED; st++)
		total += m.planned[st];
	for (int e = 0; e < ENV_COUNT; e++) {
		/* TRANSLATORS: an environment, its successes, and how many
		   that is a week: "PROD 3 (0.2 a week)". */
		strbuf_addf(&per_env, _("%s%s %lld (%.1f a week)"),
			    e ? ", " : "", env_code((enum environment)e),
			    (long long)m.succeeded_env[e],
			    core_metrics_per_week(&m, m.succeeded_env[e]));
		strbuf_addf(&counts, "%s\"%s\":%lld", e ? "," : "{",
			    env_code((enum environment)e),
			    (long long)m.succeeded_env[e]);
	}
	strbuf_addch(&counts, '}');
	for (size_t w = 0; w < m.nweeks; w++) {
		strbuf_addf(&weeks,
			    "%s{\"week\":\"%s\",\"succeeded\":%lld,"
			    "\"failed\":%lld}",
			    w ? "\n" : "", m.weeks[w].monday,
			    (long long)m.weeks[w].succeeded,
			    (long long)m.weeks[w].failed);
		strbuf_addf(&weeks_human, "%s%s:%lld/%lld", w ? " " : "",
			    m.weeks[w].monday, (long long)m.weeks[w].succeeded,
			    (long long)m.weeks[w].failed);
	}
	/* For people, in the locale's way ("0,41"). */
	snprintf(b[14], sizeof b[14], "%.2f",
		 core_metrics_per_week(&m, m.succeeded));
	time_local_display(m.from, from, sizeof from);
	time_local_display(m.to, to, sizeof to);
	r = cli_record_begin(ctx);
	cli_record_field(
	    r, "project", _("Project"),
	    (struct cli_cell){m.project[0] ? m.project : NULL,
			      m.project[0] ? NULL : _("every project"),
			      CELL_STRING});
	cli_record_field(r, "environment", _("Environment"),
			 (struct cli_cell){
			     m.environment >= 0
				 ? env_code((enum environment)m.environment)
				 : NULL,
			     m.environment >= 0 ? NULL : _("every environment"),
			     CELL_STRING});
	cli_record_field(r, "from", _("From"),
			 (struct cli_cell){m.from, from, CELL_STRING});
	cli_record_field(r, "to", _("Until (excluded)"),
			 (struct cli_cell){m.to, to, CELL_STRING});
	snprintf(b[0], sizeof b[0], "%lld", (long long)m.succeeded);
	cli_record_field(r, "succeeded", _("Succeeded"),
			 (struct cli_cell){b[0], NULL, CELL_NUMBER});
	snprintf(b[1], sizeof b[1], "%lld", (long long)m.failed);
	cli_record_field(r, "failed", _("Failed"),
			 (struct cli_cell){b[1], NULL, CELL_NUMBER});
	cli_record_field(r, "per_week", _("A week"),
			 number_cell(b[2], sizeof b[2], true,
				     core_metrics_per_week(&m, m.succeeded),
				     b[14]));
	cli_record_field(r, "succeeded_by_env", _("Succeeded, by environment"),
			 (struct cli_cell){strbuf_str(&counts),
					   strbuf_str(&per_env), CELL_JSON});
	cli_record_field(
	    r, "lead_time_median", _("Lead time, median"),
	    duration_cell(m.lead_median, b[3], sizeof b[3], &h[0]));
	cli_record_field(r, "lead_time_p90", _("Lead time, 90%"),
			 duration_cell(m.lead_p90, b[4], sizeof b[4], &h[1]));
	cli_record_field(
	    r, "approval_wait_median", _("Approval wait, median"),
	    duration_cell(m.wait_median, b[5], sizeof b[5], &h[2]));
	cli_record_field(r, "approval_wait_p90", _("Approval wait, 90%"),
			 duration_cell(m.wait_p90, b[6], sizeof b[6], &h[3]));
	/* The counts behind the medians. */
	snprintf(n[0], sizeof n[0], "%lld", (long long)m.lead_count);
	cli_record_field(r, "lead_time_count", _("Lead times measured"),
			 (struct cli_cell){n[0], NULL, CELL_NUMBER});
	snprintf(n[1], sizeof n[1], "%lld", (long long)m.wait_count);
	cli_record_field(r, "approval_wait_count", _("Approval waits measured"),
			 (struct cli_cell){n[1], NULL, CELL_NUMBER});
	rate_text(&rate_human[0], m.failed, executed);
	cli_record_field(
	    r, "change_failure_rate", _("Change failure rate"),
	    number_cell(b[7], sizeof b[7], executed > 0,
			executed ? (double)m.failed / (double)executed : 0,
			strbuf_str(&rate_human[0])));
	snprintf(b[8], sizeof b[8], "%lld", (long long)m.restored);
	cli_record_field(r, "incidents_closed", _("Incidents closed"),
			 (struct cli_cell){b[8], NULL, CELL_NUMBER});
	snprintf(b[9], sizeof b[9], "%lld", (long long)m.still_open);
	cli_record_field(r, "incidents_open", _("Incidents still open"),
			 (struct cli_cell){b[9], NULL, CELL_NUMBER});
	cli_record_field(
	    r, "time_to_restore_median", _("Time to restore, median"),
	    duration_cell(m.restore_median, b[10], sizeof b[10], &h[4]));
	cli_record_field(
	    r, "time_to_restore_p90", _("Time to restore, 90%"),
	    duration_cell(m.restore_p90, b[11], sizeof b[11], &h[5]));
	snprintf(b[12], sizeof b[12], "%lld", (long long)total);
	cli_record_field(r, "planned_in_period", _("Planned in the period"),
			 (struct cli_cell){b[12], NULL, CELL_NUMBER});
	snprintf(n[2], sizeof n[2], "%lld",
		 (long long)m.planned[STATUS_SUCCEEDED]);
	cli_record_field(r, "planned_succeeded", _("Of them, succeeded"),
			 (struct cli_cell){n[2], NULL, CELL_NUMBER});
	rate_text(&rate_human[1], m.planned[STATUS_SUCCEEDED], total);
	cli_record_field(
	    r, "success_rate", _("Success rate (spec)"),
	    number_cell(
		b[13], sizeof b[13], total > 0,
		total ? (double)m.planned[STATUS_SUCCEEDED] / (double)total : 0,
		strbuf_str(&rate_human[1])));
	if (ctx->format != FORMAT_TABLE)
		cli_record_field(r, "weeks", _("Weeks"),
				 (struct cli_cell){strbuf_str(&weeks),
						   strbuf_str(&weeks_human),
						   CELL_JSON_LIST});
	cli_record_end(r);
	if (ctx->format == FORMAT_TABLE)
		metrics_chart(ctx, &m);
	for (int i = 0; i < 6; i++)
		strbuf_release(&h[i]);
	strbuf_release(&per_env);
	strbuf_release(&counts);
	strbuf_release(&rate_human[0]);
	strbuf_release(&rate_human[1]);
	strbuf_release(&weeks);
	strbuf_release(&weeks_human);
	core_metrics_free(&m);
	return 0;
}

int
cli_exception_review(struct cli_ctx *ctx, const struct cli_args *a)
{
	char cut[TEXT_CUT_SIZE], *end;
	struct dd_error err = {0};
	long long id = strtoll(a->ops[0], &end, 10);
	enum dd_code code;

	if (*end || end == a->ops[0] || id <= 0)
		return cli_usage(_("exception review: '%s' is not an "
				   "exception's id"),
				 text_cut(a->ops[0], cut));
	code = cli_open(ctx, &err);
	if (!code)
		code =
		    core_exception_review(ctx->s, id, a->opt[OPT_NOTE], &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: an exception's id. */
	cli_done(ctx, _("Reviewed exception %lld"), id);
	return 0;
}

int
cli_version_block(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_version_block(ctx->s, a->ops[0], a->ops[1],
					  a->opt[OPT_REASON], &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: a version, then a project's code as typed. */
	cli_done(ctx, _("Blocked version %s of %s"), a->ops[1], a->ops[0]);
	return 0;
}

int
cli_version_unblock(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_version_unblock(ctx->s, a->ops[0], a->ops[1], &err);
	if (code)
		return cli_fail(code, &err);
	/* TRANSLATORS: a version, then a project's code as typed. */
	cli_done(ctx, _("Unblocked version %s of %s"), a->ops[1], a->ops[0]);
	return 0;
}

int
cli_version_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	static const char *const keys[] = {"version"};
	const char *headers[] = {_("Version")};
	struct dd_error err = {0};
	struct core_project p;
	struct cli_list *l;
	enum dd_code code = cli_open(ctx, &err);

	if (!code)
		code = core_project_open(ctx->s, a->ops[0], &p, &err);
	if (code)
		return cli_fail(code, &err);
	l = cli_list_begin(ctx, 1, keys, headers);
	for (size_t i = 0; i < p.nblocked; i++) {
		struct cli_cell cells[] = {{p.blocked[i], NULL, CELL_STRING}};

		cli_list_row(l, cells);
	}
	cli_list_end(l);
	core_project_free(&p);
	return 0;
}
