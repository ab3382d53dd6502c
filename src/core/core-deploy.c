/* SPDX-License-Identifier: MIT */
/* Deployments: planning, authorization, execution, and the incident that a
 * failure opens (spec rules 1 to 5). Each transition re-reads the
 * deployment inside its write transaction, checks the rules, changes the row
 * only if it is still in the state that was checked, and writes its audit
 * record, all in one transaction. */
#include "core/core-internal.h"

#include <unictype.h>
#include <unistr.h>

#include <ctype.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/charset.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

/* Finds a task of one type by a unique id prefix. */
static enum dd_code
find_task(struct core_session *s, enum task_type type, const char *ref,
	  struct task *out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	const char *what =
	    type == TASK_DEPLOYMENT ? _("deployment") : _("incident");
	char prefix[UUID_SIZE];
	size_t n = strlen(ref);
	bool ambiguous;
	enum dd_code code;

	memset(out, 0, sizeof *out);
	if (n < CORE_ID_PREFIX_MIN || n > UUID_SIZE - 1 ||
	    strspn(ref, "0123456789abcdefABCDEF-") != n)
		return dd_fail(
		    err, DD_ERR_INPUT,
		    type == TASK_DEPLOYMENT
			? _("'%s' is not a deployment's id: give at "
			    "least %d of its hexadecimal characters")
			: _("'%s' is not an incident's id: give at "
			    "least %d of its hexadecimal characters"),
		    text_cut(ref, cut), CORE_ID_PREFIX_MIN);
	for (size_t i = 0; i <= n; i++)
		prefix[i] = (char)tolower((unsigned char)ref[i]);
	code =
	    model_task_by_id_prefix(s->db, type, prefix, out, &ambiguous, err);
	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_NOTFOUND,
			       ambiguous ? _("%s id '%s' is ambiguous: give "
					     "more characters")
					 : _("no %s with id '%s'"),
			       what, text_cut(ref, cut));
	return code;
}

enum dd_code
core_deploy_find(struct core_session *s, const char *ref, struct task *out,
		 struct dd_error *err)
{
	return find_task(s, TASK_DEPLOYMENT, ref, out, err);
}

enum dd_code
core_incident_find(struct core_session *s, const char *ref, struct task *out,
		   struct dd_error *err)
{
	return find_task(s, TASK_INCIDENT, ref, out, err);
}

/* The responsible person: a member of the project, by login. */
static enum dd_code
find_responsible(struct core_session *s, const struct core_project *p,
		 const char *login, struct member *out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct user u = {0};
	enum dd_code code;

	if (!login || !*login)
		return dd_fail(err, DD_ERR_INPUT,
			       _("responsible: required, but empty"));
	code = model_user_by_login(s->db, login, &u, err);
	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_INPUT,
			       _("responsible: no user '%s'"),
			       text_cut(login, cut));
	if (code)
		return code;
	code = model_member_get(s->db, p->project.id, u.id, out, err);
	user_free(&u);
	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_INPUT,
			       _("responsible: '%s' is not a member of "
				 "project %s"),
			       text_cut(login, cut), p->project.code);
	if (!code && !core_rule_responsible(out)) {
		code = dd_fail(err, DD_ERR_INPUT,
			       _("responsible: '%s' is a viewer of project "
				 "%s; the responsible person is its manager "
				 "or one of its developers"),
			       text_cut(login, cut), p->project.code);
	}
	return code;
}

/* The length of s without the blanks and line breaks that end it. */
static size_t
trimmed_length(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		n--;
	return n;
}

/* The environment a new plan names: as typed, or t's (a change of plan
 * that keeps it); -1 when neither says. */
static int
input_env(const struct core_deploy_input *in, const struct task *t)
{
	int env = in->environment ? core_env_word(in->environment) : -1;

	return env >= 0 ? env : t ? (int)t->environment : -1;
}

/* Checks one field of a new deployment; fills t (when not NULL) with what
 * it parsed. */
static enum dd_code
check_field(struct core_session *s, const struct core_project *p,
	    const struct core_deploy_input *in, enum core_field f,
	    struct task *t, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct member resp = {0};
	char why[128];
	time_t planned;
	int env = -1, risk, which;
	bool has;
	enum dd_code code;

	switch (f) {
	case FIELD_VERSION:
		code = core_check_line(_("version"), in->version,
				       CORE_VERSION_MAX, true, err);
		if (!code && core_version_blocked(p, in->version))
			code = core_refuse_blocked(s, p, in->version, err);
		return code;
	case FIELD_ENVIRONMENT:
		if (!in->environment || !*in->environment)
			return dd_fail(err, DD_ERR_INPUT,
				       _("environment: required, but empty"));
		env = core_env_word(in->environment);
		if (env < 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("environment: '%s' is not one of DEV, "
					 "TEST, PREPROD, PROD"),
				       text_cut(in->environment, cut));
		if (t)
			t->environment = (enum environment)env;
		return DD_OK;
	case FIELD_DESCRIPTION:
		return core_check_text(_("description"), in->description,
				       CORE_DESCRIPTION_MAX, true, err);
	case FIELD_RESPONSIBLE:
		code = find_responsible(s, p, in->responsible, &resp, err);
		if (!code && t) {
			t->responsible.id = resp.user;
			t->responsible.login = xstrdup(resp.login);
			t->responsible.full_name = xstrdup(resp.full_name);
		}
		member_free(&resp);
		return code;
	case FIELD_PLANNED:
		if (!in->planned || !*in->planned)
			return dd_fail(err, DD_ERR_INPUT,
				       _("planned date: required, but empty"));
		if (!time_parse_local(in->planned, &planned, why, sizeof why))
			return dd_fail(err, DD_ERR_INPUT,
				       _("planned date: '%s': %s"),
				       text_cut(in->planned, cut), why);
		if (t)
			time_iso_utc(planned, t->planned_at);
		return DD_OK;
	case FIELD_RISK:
		risk = core_risk_word(in->risk ? in->risk : "");
		if (risk < 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("risk: '%s' is not one of low, "
					 "medium, high"),
				       text_cut(in->risk, cut));
		if (t)
			t->risk = (enum risk)risk;
		env = input_env(in, t);
		if (risk == RISK_NONE && env >= 0)
			return core_plan_refusal(p, (enum environment)env,
						 RISK_NONE, "-", &which, err);
		return DD_OK;
	case FIELD_BACKOUT_PLAN:
		code = core_check_text(_("back-out plan"), in->backout_plan,
				       CORE_BACKOUT_PLAN_MAX, false, err);
		if (code)
			return code;
		has = in->backout_plan && trimmed_length(in->backout_plan) > 0;
		if (t)
			t->backout_plan =
			    has ? xstrndup(in->backout_plan,
					   trimmed_length(in->backout_plan))
				: NULL;
		env = input_env(in, t);
		if (!has && env >= 0)
			return core_plan_refusal(p, (enum environment)env,
						 RISK_LOW, NULL, &which, err);
		return DD_OK;
	case FIELD_NONE:
	case FIELD_LOGS:
		break;
	}
	return DD_OK;
}

/* Validates every field, in the form's order; *field names the first
 * that is wrong. */
static enum dd_code
validate(struct core_session *s, const struct core_project *p,
	 const struct core_deploy_input *in, struct task *t,
	 enum core_field *field, struct dd_error *err)
{
	static const enum core_field order[] = {
	    FIELD_VERSION,     FIELD_ENVIRONMENT, FIELD_DESCRIPTION,
	    FIELD_RESPONSIBLE, FIELD_PLANNED,	  FIELD_RISK,
	    FIELD_BACKOUT_PLAN};

	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		enum dd_code code = check_field(s, p, in, order[i], t, err);

		if (code) {
			*field = order[i];
			return code;
		}
	}
	*field = FIELD_NONE;
	return DD_OK;
}

enum dd_code
core_deploy_check_field(struct core_session *s, const struct core_project *p,
			const struct core_deploy_input *in, enum core_field f,
			struct dd_error *err)
{
	return check_field(s, p, in, f, NULL, err);
}

enum dd_code
core_deploy_validate(struct core_session *s, const struct core_project *p,
		     const struct core_deploy_input *in, enum core_field *field,
		     struct dd_error *err)
{
	return validate(s, p, in, NULL, field, err);
}

/* The version that rolls back deployment d: the one that succeeded last
 * in its environment, by the time of execution, when d was executed (in
 * the same second too: times are kept to the second), or, d not executed
 * yet, by now: what runs there; refused while a rollback of d is planned
 * or in progress. */
static enum dd_code
rollback_version(struct core_session *s, const struct task *d, char **version,
		 struct dd_error *err)
{
	char now[TIME_ISO_SIZE];
	bool executed = d->executed_at[0] != '\0';
	char *open = NULL;
	enum dd_code code = model_open_rollback(s->db, d, &open, err);

	if (code == DD_OK) {
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("a rollback of %s is already planned (%s): "
				 "cancel it first to plan another"),
			       d->version, open ? open : "?");
		free(open);
		return code;
	}
	if (code != DD_ERR_NOTFOUND)
		return code;
	/* Inside the write, now is the transaction's: the time of its
	 * record, which audit verify replays it with. */
	core_now(s, now);
	code = model_last_succeeded(s->db, d->stage_id, d->environment,
				    executed ? d->executed_at : now,
				    executed ? d->id : NULL, version, err);
	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("no version succeeded on %s before %s: there "
				 "is nothing to roll back to"),
			       env_code(d->environment), d->version);
	return code;
}

/* Inside the write: in's version is still the one that rolls back the
 * deployment it names. */
static enum dd_code
rollback_still(struct core_session *s, const struct core_deploy_input *in,
	       struct dd_error *err)
{
	struct task d;
	char *version = NULL;
	enum dd_code code = core_deploy_find(s, in->rollback_of, &d, err);

	if (!code)
		code = rollback_version(s, &d, &version, err);
	if (!code && strcmp(version, in->version) != 0)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s changed meanwhile (another "
				 "version succeeded before it): nothing was "
				 "written; look at it again"),
			       d.version);
	if (!code || code == DD_ERR_REFUSED)
		task_free(&d);
	free(version);
	return code;
}

/* A deployment's risk level and back-out plan, when stated, as members of
 * its plan's audit JSON. */
static void
risk_json(struct strbuf *sb, const struct task *t)
{
	if (t->risk != RISK_NONE)
		strbuf_addf(sb, ",\"risk\":\"%s\"", risk_code(t->risk));
	if (t->backout_plan) {
		strbuf_addstr(sb, ",\"backout_plan\":");
		json_add_string(sb, t->backout_plan);
	}
}

/* The incident ref (an id or a unique prefix) of project p that a new
 * deployment fixes, its id into id. */
static enum dd_code
fixed_incident(struct core_session *s, const struct core_project *p,
	       const char *ref, char id[UUID_SIZE], struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct task inc;
	enum dd_code code = core_incident_find(s, ref, &inc, err);

	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_INPUT,
			       _("fixes: no incident '%s' (see 'deploydesk "
				 "incident list')"),
			       text_cut(ref, cut));
	if (code)
		return code;
	if (strcmp(inc.project_id, p->project.id) != 0)
		code = dd_fail(err, DD_ERR_INPUT,
			       _("fixes: incident '%s' is not of project %s"),
			       text_cut(ref, cut), p->project.code);
	else
		memcpy(id, inc.id, UUID_SIZE);
	task_free(&inc);
	return code;
}

enum dd_code
core_deploy_create(struct core_session *s, const struct core_project *p,
		   const struct core_deploy_input *in, char id_out[UUID_SIZE],
		   enum core_field *field, struct dd_error *err)
{
	struct core_project now_p;
	struct task t = {0};
	struct strbuf after = STRBUF_INIT;
	enum core_field ignored;
	enum dd_code code;

	if (!field)
		field = &ignored;
	*field = FIELD_NONE;
	code = core_may_create(p, err);
	if (code)
		return code;
	code = validate(s, p, in, &t, field, err);
	if (code)
		goto out;
	if (!uuid_new(t.id)) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("the system gave no random bytes for an id"));
		goto out;
	}
	code = core_begin(s, err);
	if (code)
		goto out;
	/* The TESTS stage and the role are checked again inside the write. */
	code = core_project_open(s, p->project.id, &now_p, err);
	if (!code) {
		code = core_may_create(&now_p, err);
		memcpy(t.stage_id, now_p.stages[STAGE_DEPLOYMENT].id,
		       sizeof t.stage_id);
		core_project_free(&now_p);
	}
	/* A rollback's version is still the last that succeeded before
	 * the deployment it rolls back. */
	if (!code && in->rollback_of)
		code = rollback_still(s, in, err);
	if (!code && in->fixes)
		code = fixed_incident(s, p, in->fixes, t.fixes, err);
	if (!code) {
		if (in->rollback_of)
			snprintf(t.rollback_of, sizeof t.rollback_of, "%s",
				 in->rollback_of);
		t.type = TASK_DEPLOYMENT;
		t.name = xstrdup(in->version);
		t.version = xstrdup(in->version);
		/* Line breaks and blanks at the end are dropped, as an
		 * editor's last line break is: the description reads the
		 * same typed, pasted or written in an editor. */
		t.description =
		    xstrndup(in->description, trimmed_length(in->description));
		t.status = STATUS_PLANNED;
		t.priority = PRIORITY_NORMAL;
		t.created_by.id = s->me.id;
		core_now(s, t.created_at);
		code = model_task_insert(s->db, &t, err);
	}
	if (!code) {
		strbuf_addstr(&after, "{\"version\":");
		json_add_string(&after, t.version);
		strbuf_addf(&after, ",\"environment\":\"%s\",\"description\":",
			    env_code(t.environment));
		json_add_string(&after, t.description);
		strbuf_addstr(&after, ",\"responsible\":");
		json_add_string(&after, t.responsible.login);
		strbuf_addf(&after, ",\"planned_at\":\"%s\",\"status\":\"%s\"",
			    t.planned_at, status_code(t.status));
		if (in->rollback_of)
			strbuf_addf(&after, ",\"rollback_of\":\"%s\"",
				    t.rollback_of);
		if (t.fixes[0])
			strbuf_addf(&after, ",\"fixes\":\"%s\"", t.fixes);
		risk_json(&after, &t);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_DEPLOY_CREATE, t.id,
					 p->project.id, NULL,
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	if (!code)
		memcpy(id_out, t.id, UUID_SIZE);
out:
	strbuf_release(&after);
	task_free(&t);
	return code;
}

enum dd_code
core_deploy_rollback_version(struct core_session *s, const char *id,
			     char **version, struct dd_error *err)
{
	struct task d;
	struct core_project p;
	enum dd_code code = core_deploy_find(s, id, &d, err);

	*version = NULL;
	if (code)
		return code;
	code = core_project_open(s, d.project_id, &p, err);
	if (!code) {
		code = core_may_create(&p, err);
		if (!code)
			code = rollback_version(s, &d, version, err);
		core_project_free(&p);
	}
	task_free(&d);
	return code;
}

enum dd_code
core_deploy_rollback_replaces(struct core_session *s, const char *id,
			      char **version, struct dd_error *err)
{
	struct task d;
	char *target = NULL, *now_running = NULL, now[TIME_ISO_SIZE];
	enum dd_code code = core_deploy_find(s, id, &d, err);

	*version = NULL;
	if (code)
		return code;
	code = rollback_version(s, &d, &target, err);
	if (!code) {
		core_now(s, now);
		code = model_last_succeeded(s->db, d.stage_id, d.environment,
					    now, NULL, &now_running, err);
		if (code == DD_ERR_NOTFOUND)
			code = DD_OK;
	}
	/* What runs there now is neither the version planned nor the
	 * deployment rolled back: it came after, and would be replaced. */
	if (!code && now_running && strcmp(now_running, target) != 0 &&
	    strcmp(now_running, d.version) != 0) {
		*version = now_running;
		now_running = NULL;
	}
	free(now_running);
	free(target);
	task_free(&d);
	return code;
}

enum dd_code
core_deploy_rollback(struct core_session *s, const char *id,
		     char id_out[UUID_SIZE], struct dd_error *err)
{
	struct task d;
	struct core_project p;
	struct strbuf desc = STRBUF_INIT, plan = STRBUF_INIT;
	struct core_deploy_input in = {0};
	char *version = NULL, planned[32], env[16];
	time_t now = 0;
	struct tm tm;
	char iso[TIME_ISO_SIZE];
	enum dd_code code = core_deploy_find(s, id, &d, err);

	if (code)
		return code;
	code = core_project_open(s, d.project_id, &p, err);
	if (code) {
		task_free(&d);
		return code;
	}
	code = core_may_create(&p, err);
	if (!code)
		code = rollback_version(s, &d, &version, err);
	if (!code) {
		core_now(s, iso);
		time_parse_iso(iso, &now);
		localtime_r(&now, &tm);
		strftime(planned, sizeof planned, "%Y-%m-%d %H:%M", &tm);
		snprintf(env, sizeof env, "%s", env_code(d.environment));
		/* Data, as an incident's name: the same words whatever the
		 * language of the person. */
		strbuf_addf(&desc, "Rollback of %s", d.version);
		in.version = version;
		in.environment = env;
		in.description = strbuf_str(&desc);
		in.responsible = d.responsible.login;
		in.planned = planned;
		in.rollback_of = d.id;
		/* The risk of the deployment it rolls back (the same
		 * environment is touched again), and its own way back: the
		 * version it replaces. Data, as the description is. */
		in.risk = d.risk != RISK_NONE ? risk_code(d.risk) : NULL;
		strbuf_addf(&plan,
			    "Deploy %s again, the version this rollback "
			    "replaces",
			    d.version);
		in.backout_plan = strbuf_str(&plan);
		code = core_deploy_create(s, &p, &in, id_out, NULL, err);
	}
	free(version);
	strbuf_release(&desc);
	strbuf_release(&plan);
	task_free(&d);
	core_project_free(&p);
	return code;
}

enum dd_code
core_deploy_same_day(struct core_session *s, const char *id,
		     struct core_same_day *out, struct dd_error *err)
{
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE];
	struct task t;
	struct tm day;
	time_t planned, start, end;
	enum dd_code code;

	memset(out, 0, sizeof *out);
	code = core_deploy_find(s, id, &t, err);
	if (code)
		return code;
	/* The local day of the planned date: from its midnight to the
	 * next (mktime finds them across a daylight-saving change). */
	if (!time_parse_iso(t.planned_at, &planned) ||
	    !localtime_r(&planned, &day)) {
		task_free(&t);
		return DD_OK;
	}
	strftime(out->day, sizeof out->day, "%Y-%m-%d", &day);
	day.tm_hour = day.tm_min = day.tm_sec = 0;
	day.tm_isdst = -1;
	start = mktime(&day);
	day.tm_mday++;
	day.tm_hour = day.tm_min = day.tm_sec = 0;
	day.tm_isdst = -1;
	end = mktime(&day);
	time_iso_utc(start, from);
	time_iso_utc(end, to);
	out->env = t.environment;
	code = model_deploys_planned(s->db, t.stage_id, t.environment, from, to,
				     t.id, out->versions, CORE_SAME_DAY_MAX,
				     &out->count, err);
	task_free(&t);
	return code;
}

void
core_same_day_text(const struct core_same_day *d, struct strbuf *out)
{
	struct strbuf list = STRBUF_INIT;
	size_t shown =
	    d->count < CORE_SAME_DAY_MAX ? d->count : CORE_SAME_DAY_MAX;

	strbuf_reset(out);
	if (!d->count)
		return;
	for (size_t i = 0; i < shown; i++) {
		if (i)
			strbuf_addstr(&list, ", ");
		strbuf_addstr(&list, d->versions[i] ? d->versions[i] : "?");
	}
	if (d->count > shown)
		/* TRANSLATORS: after a list of versions. */
		strbuf_addf(&list,
			    ngettext_(" and %zu more", " and %zu more",
				      d->count - shown),
			    d->count - shown);
	if (d->count == 1)
		/* TRANSLATORS: a version, an environment, a date. */
		strbuf_addf(out, _("%s is also planned on %s that day (%s)"),
			    strbuf_str(&list), core_env_label(d->env), d->day);
	else
		/* TRANSLATORS: a number, an environment, a date, then the
		   versions. */
		strbuf_addf(out,
			    ngettext_("%zu other deployment is planned on %s "
				      "that day (%s): %s",
				      "%zu other deployments are planned on %s "
				      "that day (%s): %s",
				      d->count),
			    d->count, core_env_label(d->env), d->day,
			    strbuf_str(&list));
	strbuf_release(&list);
}

void
core_same_day_free(struct core_same_day *d)
{
	for (size_t i = 0; i < d->count && i < CORE_SAME_DAY_MAX; i++)
		free(d->versions[i]);
	memset(d, 0, sizeof *d);
}

/* Whether the caller may change the plan of deployment t, of project p:
 * who may create, while it is planned. */
enum dd_code
core_deploy_may_edit(const struct core_project *p, const struct task *t,
		     struct dd_error *err)
{
	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	if (!core_standing_may(&p->me, ACTION_CREATE))
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may change a deployment's plan"),
			       p->project.code);
	if (t->status != STATUS_PLANNED)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s has the status %s: only a "
				 "planned deployment's plan may change"),
			       t->version, core_status_label(t->status));
	return DD_OK;
}

/* A deployment's plan as audit JSON, its authorization too. */
static void
plan_json(struct strbuf *sb, const struct task *t)
{
	strbuf_addstr(sb, "{\"version\":");
	json_add_string(sb, t->version);
	strbuf_addf(sb, ",\"environment\":\"%s\",\"description\":",
		    env_code(t->environment));
	json_add_string(sb, t->description);
	strbuf_addstr(sb, ",\"responsible\":");
	json_add_string(sb, t->responsible.login);
	strbuf_addf(sb,
		    ",\"planned_at\":\"%s\",\"authorized_by\":", t->planned_at);
	json_add_string(sb,
			t->authorized_by.id ? t->authorized_by.login : NULL);
	risk_json(sb, t);
	strbuf_addch(sb, '}');
}

/* The deployment of id with the changes applied (checked as at
 * creation), into nt; the old one in old. */
static enum dd_code
edit_read(struct core_session *s, const char *id,
	  const struct core_deploy_input *in, struct task *old,
	  struct core_project *p, struct task *nt, struct dd_error *err)
{
	int which;
	enum dd_code code = core_deploy_find(s, id, old, err);

	if (code)
		return code;
	code = core_project_open(s, old->project_id, p, err);
	if (code) {
		task_free(old);
		return code;
	}
	code = core_deploy_may_edit(p, old, err);
	memset(nt, 0, sizeof *nt);
	memcpy(nt->id, old->id, sizeof nt->id);
	nt->environment = old->environment;
	memcpy(nt->planned_at, old->planned_at, sizeof nt->planned_at);
	if (!code && in->version)
		code = check_field(s, p, in, FIELD_VERSION, nt, err);
	if (!code && in->environment)
		code = check_field(s, p, in, FIELD_ENVIRONMENT, nt, err);
	if (!code && in->description)
		code = check_field(s, p, in, FIELD_DESCRIPTION, nt, err);
	if (!code && in->responsible)
		code = check_field(s, p, in, FIELD_RESPONSIBLE, nt, err);
	if (!code && in->planned)
		code = check_field(s, p, in, FIELD_PLANNED, nt, err);
	nt->risk = old->risk;
	if (!code && in->risk)
		code = check_field(s, p, in, FIELD_RISK, nt, err);
	if (!code && in->backout_plan)
		code = check_field(s, p, in, FIELD_BACKOUT_PLAN, nt, err);
	else if (!code && old->backout_plan)
		nt->backout_plan = xstrdup(old->backout_plan);
	/* The plan as changed, in its environment as changed. */
	if (!code)
		code = core_plan_refusal(p, nt->environment, nt->risk,
					 nt->backout_plan, &which, err);
	if (!code) {
		nt->version = xstrdup(in->version ? in->version : old->version);
		nt->description =
		    in->description ? xstrndup(in->description,
					       trimmed_length(in->description))
				    : xstrdup(old->description);
		if (!in->responsible) {
			nt->responsible.id = old->responsible.id;
			nt->responsible.login = xstrdup(old->responsible.login);
			nt->responsible.full_name =
			    xstrdup(old->responsible.full_name);
		}
	}
	if (code) {
		task_free(nt);
		task_free(old);
		core_project_free(p);
	}
	return code;
}

enum dd_code
core_deploy_edit(struct core_session *s, const char *id,
		 int64_t expected_version,
		 const struct core_deploy_input *changes, bool *withdrew,
		 struct dd_error *err)
{
	struct task old, nt;
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	enum dd_code code;

	*withdrew = false;
	if (!changes->version && !changes->environment &&
	    !changes->description && !changes->responsible &&
	    !changes->planned && !changes->risk && !changes->backout_plan)
		return dd_fail(err, DD_ERR_INPUT,
			       _("nothing to change: give the version, the "
				 "environment, the description, the "
				 "responsible person, the planned date, the "
				 "risk or the back-out plan"));
	/* Checked before the write lock too (see begin_transition). */
	code = edit_read(s, id, changes, &old, &p, &nt, err);
	if (code)
		return code;
	task_free(&old);
	task_free(&nt);
	core_project_free(&p);
	code = core_begin(s, err);
	if (code)
		return code;
	code = edit_read(s, id, changes, &old, &p, &nt, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	if (expected_version > 0 && old.row_version != expected_version)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s changed meanwhile: nothing was "
				 "written; look at it again"),
			       old.version);
	if (!code && strcmp(nt.version, old.version) == 0 &&
	    nt.environment == old.environment &&
	    strcmp(nt.description, old.description) == 0 &&
	    nt.responsible.id == old.responsible.id &&
	    strcmp(nt.planned_at, old.planned_at) == 0 && nt.risk == old.risk &&
	    strcmp(nt.backout_plan ? nt.backout_plan : "",
		   old.backout_plan ? old.backout_plan : "") == 0)
		code =
		    dd_fail(err, DD_ERR_REFUSED,
			    _("nothing changes: deployment %s already has that "
			      "plan"),
			    old.version);
	if (!code) {
		code = model_task_edit(s->db, &nt, old.row_version, err);
		if (code == DD_ERR_REFUSED)
			code = dd_fail(err, DD_ERR_REFUSED,
				       _("deployment %s changed meanwhile: "
					 "nothing was written; look at it "
					 "again"),
				       old.version);
	}
	/* The plan approved is no longer the plan: every approval goes. */
	if (!code)
		code = model_approval_delete(s->db, old.id, 0, err);
	if (!code) {
		plan_json(&before, &old);
		plan_json(&after, &nt);
		code = core_audit_append(s, AUDIT_DEPLOY_EDIT, old.id,
					 p.project.id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	if (!code)
		*withdrew = old.authorized_by.id != 0 || old.approvals > 0;
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&old);
	task_free(&nt);
	core_project_free(&p);
	return code;
}

/* The state of a deployment as audit JSON. */
static void
state_json(struct strbuf *sb, const struct task *t)
{
	strbuf_addf(sb, "{\"status\":\"%s\",\"authorized_by\":",
		    status_code(t->status));
	json_add_string(sb, t->authorized_by.login);
	strbuf_addch(sb, '}');
}

/* The common frame of a transition: opens the write transaction, reads the
 * deployment and its project again, checks the rule and that the person saw
 * the current version. On success the transaction stays open. */
static enum dd_code
begin_transition(struct core_session *s, const char *ref,
		 int64_t expected_version, enum core_verb v, struct task *t,
		 struct core_project *p, struct dd_error *err)
{
	enum dd_code code;

	memset(p, 0, sizeof *p);
	/* Checked before the write lock too: someone the rules refuse
	 * never holds it (stopped inside the transaction, such a process
	 * would block everyone's changes). */
	code = core_deploy_find(s, ref, t, err);
	if (!code)
		code = core_project_open(s, t->project_id, p, err);
	if (!code)
		code = core_may(s, p, t, v, err);
	task_free(t);
	core_project_free(p);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_deploy_find(s, ref, t, err);
	if (!code)
		code = core_project_open(s, t->project_id, p, err);
	if (!code)
		code = core_may(s, p, t, v, err);
	if (!code && expected_version > 0 && t->row_version != expected_version)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s changed meanwhile (someone "
				 "else acted on it): nothing was written; "
				 "look at it again"),
			       t->version);
	if (code) {
		core_rollback(s);
		task_free(t);
		core_project_free(p);
	}
	return code;
}

/* Turns a refused conditional UPDATE into the "changed meanwhile"
 * message. */
static enum dd_code
changed_meanwhile(enum dd_code code, const struct task *t, struct dd_error *err)
{
	if (code != DD_ERR_REFUSED)
		return code;
	return dd_fail(err, DD_ERR_REFUSED,
		       _("deployment %s changed meanwhile (someone else acted "
			 "on it): nothing was written; look at it again"),
		       t->version);
}

enum dd_code
core_override_next(struct core_session *s, const char *reason,
		   struct dd_error *err)
{
	char *kept;
	enum dd_code code;

	if (!reason) {
		free(s->override_next);
		s->override_next = NULL;
		return DD_OK;
	}
	if (!s->me.is_admin)
		return dd_fail(err, DD_ERR_PERM, "%s",
			       _("only an admin may override a project's "
				 "policy"));
	code = core_reason_kept(
	    reason, _("override: a reason is required; say why"), &kept, err);
	if (code)
		return code;
	free(s->override_next);
	s->override_next = kept;
	return DD_OK;
}

/* A transition's override: the one asked for, under way until the
 * transition ends (override_end), whatever its outcome. */
static void
override_begin(struct core_session *s)
{
	s->override = s->override_next;
	s->overridden = 0;
	s->last_exception = 0;
	s->last_rules = 0;
}

int64_t
core_last_exception(const struct core_session *s, struct strbuf *rules)
{
	core_rules_text(s->last_exception ? s->last_rules : 0, rules);
	return s->last_exception;
}

static void
override_end(struct core_session *s)
{
	free(s->override_next);
	s->override_next = NULL;
	s->override = NULL;
	s->overridden = 0;
}

/* Once the step is written: the exception its override opens, and the
 * override's fields added to its record (after, an object). authorized:
 * the override authorized the deployment, at now. */
static enum dd_code
override_record(struct core_session *s, const struct task *t,
		enum core_audit_action action, const char *now, bool authorized,
		struct strbuf *after, struct dd_error *err)
{
	struct exception e = {0};
	struct strbuf rules = STRBUF_INIT;
	int64_t id = 0;
	enum dd_code code;

	if (!s->override)
		return DD_OK;
	memcpy(e.task_id, t->id, sizeof e.task_id);
	snprintf(e.action, sizeof e.action, "%s",
		 core_audit_action_name(action));
	core_rules_text(s->overridden, &rules);
	e.rules = (char *)strbuf_str(&rules);
	e.reason = (char *)s->override;
	e.opened_by.id = s->me.id;
	memcpy(e.opened_at, now, sizeof e.opened_at);
	code = model_exception_insert(s->db, &e, &id, err);
	if (!code) {
		s->last_exception = id;
		s->last_rules = s->overridden;
		after->len--; /* its closing brace */
		if (authorized) {
			strbuf_addstr(after, ",\"authorized_by\":");
			json_add_string(after, s->me.login);
			strbuf_addf(after, ",\"authorized_at\":\"%s\"", now);
		}
		strbuf_addstr(after, ",\"override\":");
		json_add_string(after, s->override);
		strbuf_addstr(after, ",\"overridden\":");
		json_add_string(after, strbuf_str(&rules));
		strbuf_addf(after, ",\"exception\":%lld}", (long long)id);
	}
	strbuf_release(&rules);
	return code;
}

/* An override asked for that passes no rule is refused: an exception is
 * opened only for what the policy refused. */
static enum dd_code
override_needed(const struct core_session *s, struct dd_error *err)
{
	if (s->override && !s->overridden)
		return dd_fail(err, DD_ERR_INPUT, "%s",
			       _("nothing to override: the rules allow it "
				 "(leave --override out)"));
	return DD_OK;
}

/* begin_transition for a step an override may pass: one asked for that
 * passes no rule is refused there. */
static enum dd_code
begin_step(struct core_session *s, const char *ref, int64_t expected_version,
	   enum core_verb v, struct task *t, struct core_project *p,
	   struct dd_error *err)
{
	enum dd_code code =
	    begin_transition(s, ref, expected_version, v, t, p, err);

	if (!code && (code = override_needed(s, err)) != DD_OK) {
		core_rollback(s);
		task_free(t);
		core_project_free(p);
	}
	return code;
}

/* An override that passed too few approvals on a deployment that has no
 * authorization: the admin's override authorizes it, at now, so that it
 * may start (the schema wants an authorization on every started one). */
static enum dd_code
override_authorize(struct core_session *s, struct task *t, const char *now,
		   bool *authorized, struct dd_error *err)
{
	enum dd_code code;

	*authorized = false;
	if (!(s->overridden & CORE_RULE_APPROVALS) || t->authorized_by.id)
		return DD_OK;
	code = model_task_set_authorized(s->db, t->id, t->row_version, s->me.id,
					 now, err);
	if (!code) {
		t->row_version++;
		*authorized = true;
	}
	return changed_meanwhile(code, t, err);
}

/* The time hours after iso, into out ("" when hours is 0: never). */
static void
hours_after(const char *iso, int64_t hours, char out[TIME_ISO_SIZE])
{
	time_t t;

	out[0] = '\0';
	if (hours > 0 && time_parse_iso(iso, &t))
		time_iso_utc(t + (time_t)hours * 3600, out);
}

/* A login, or JSON null for none. */
static void
json_login(struct strbuf *sb, const struct person *p)
{
	json_add_string(sb, p->id ? p->login : NULL);
}

/* A time, or JSON null for none. */
static void
json_time(struct strbuf *sb, const char *iso)
{
	if (iso[0])
		strbuf_addf(sb, "\"%s\"", iso);
	else
		strbuf_addstr(sb, "null");
}

static enum dd_code
authorize(struct core_session *s, const char *id, int64_t expected_version,
	  struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct core_approvals a = {0};
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char now[TIME_ISO_SIZE], expires[TIME_ISO_SIZE];
	bool complete = false;
	enum dd_code code;

	code = begin_step(s, id, expected_version, VERB_AUTHORIZE, &t, &p, err);
	if (code)
		return code;
	core_now(s, now);
	hours_after(now,
		    core_policy_value(&p, t.environment, POLICY_APPROVAL_HOURS),
		    expires);
	/* The rule let the person approve: no approval of theirs stands
	 * (one that expired is renewed), and one more is wanted. */
	code = core_deploy_approvals(s, &p, &t, &a, err);
	if (!code) {
		complete = a.standing + 1 >= a.required;
		code = model_approval_put(s->db, t.id, s->me.id, now, expires,
					  err);
	}
	if (!code)
		code = changed_meanwhile(
		    model_task_set_authorized(
			s->db, t.id, t.row_version,
			complete ? s->me.id : t.authorized_by.id,
			complete ? now : t.authorized_at, err),
		    &t, err);
	if (!code) {
		state_json(&before, &t);
		strbuf_addf(&after, "{\"status\":\"%s\",\"authorized_by\":",
			    status_code(t.status));
		if (complete)
			json_add_string(&after, s->me.login);
		else
			json_login(&after, &t.authorized_by);
		strbuf_addstr(&after, ",\"authorized_at\":");
		json_time(&after, complete ? now : t.authorized_at);
		strbuf_addstr(&after, ",\"approved_by\":");
		json_add_string(&after, s->me.login);
		strbuf_addf(&after,
			    ",\"approved_at\":\"%s\",\"expires_at\":", now);
		json_time(&after, expires);
		strbuf_addf(&after, ",\"approvals\":%d,\"required\":%d}",
			    a.standing + 1, a.required);
		code = override_record(s, &t, AUDIT_DEPLOY_AUTHORIZE, now,
				       false, &after, err);
	}
	if (!code) {
		code = core_audit_append(s, AUDIT_DEPLOY_AUTHORIZE, t.id,
					 t.project_id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	core_approvals_free(&a);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	core_project_free(&p);
	return code;
}

enum dd_code
core_deploy_authorize(struct core_session *s, const char *id,
		      int64_t expected_version, struct dd_error *err)
{
	enum dd_code code;

	override_begin(s);
	code = authorize(s, id, expected_version, err);
	override_end(s);
	return code;
}

/* The reason of a closing or a withdrawal, as kept: without the blanks
 * around it, required, one line of at most CORE_REASON_MAX characters.
 * missing is the message when there is none. */
enum dd_code
core_reason_kept(const char *reason, const char *missing, char **out,
		 struct dd_error *err)
{
	enum dd_code code;

	*out = NULL;
	reason += reason ? strspn(reason, " \t") : 0;
	if (!reason || !trimmed_length(reason))
		return dd_fail(err, DD_ERR_INPUT, "%s", missing);
	*out = xstrndup(reason, trimmed_length(reason));
	code = core_check_line(_("reason"), *out, CORE_REASON_MAX, true, err);
	if (code) {
		free(*out);
		*out = NULL;
	}
	return code;
}

/* The approval of login (NULL: the caller's) in a, or NULL, and the
 * refusal saying so. */
static const struct approval *
approval_of(struct core_session *s, const struct task *t,
	    const struct core_approvals *a, const char *login,
	    struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];

	for (size_t i = 0; i < a->list.count; i++) {
		const struct person *by = &a->list.items[i].by;

		if (login ? by->login && strcmp(by->login, login) == 0
			  : by->id == s->me.id)
			return &a->list.items[i];
	}
	if (login)
		dd_fail(err, DD_ERR_REFUSED,
			_("%s has no approval of deployment %s to withdraw"),
			text_cut(login, cut), t->version);
	else
		dd_fail(err, DD_ERR_REFUSED,
			_("you have no approval of deployment %s to withdraw"),
			t->version);
	return NULL;
}

/* Before the write: whether the caller has an approval of deployment id
 * (a planned one) to withdraw; the rules are asked after. */
static enum dd_code
own_approval_first(struct core_session *s, const char *id, struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct core_approvals a = {0};
	enum dd_code code = core_deploy_find(s, id, &t, err);

	if (code)
		return code;
	code = core_project_open(s, t.project_id, &p, err);
	if (code) {
		task_free(&t);
		return code;
	}
	if (t.type == TASK_DEPLOYMENT && t.status == STATUS_PLANNED &&
	    !core_deploy_approvals(s, &p, &t, &a, NULL)) {
		if (a.list.count && !approval_of(s, &t, &a, NULL, err)) {
			code = DD_ERR_REFUSED;
			/* Someone who may take another's away: how. */
			if (!core_deploy_may_revoke(s, &p, &t, false, NULL))
				dd_fail(err, DD_ERR_REFUSED,
					_("you have no approval of deployment "
					  "%s to withdraw; another person's is "
					  "named with --approver LOGIN"),
					t.version);
		}
		core_approvals_free(&a);
	}
	task_free(&t);
	core_project_free(&p);
	return code;
}

enum dd_code
core_deploy_revoke(struct core_session *s, const char *id,
		   int64_t expected_version, const char *approver,
		   const char *reason, struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct core_approvals a = {0};
	const struct approval *gone = NULL;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char *kept;
	bool below = false;
	enum dd_code code;

	code =
	    core_reason_kept(reason,
			     _("reason: required to withdraw an approval; say "
			       "why"),
			     &kept, err);
	/* One's own: without one, that is why, rather than the rule about
	 * other people's approvals, which was not asked for. */
	if (!code && !approver)
		code = own_approval_first(s, id, err);
	if (!code)
		code = begin_transition(s, id, expected_version, VERB_REVOKE,
					&t, &p, err);
	if (code) {
		free(kept);
		return code;
	}
	code = core_deploy_approvals(s, &p, &t, &a, err);
	if (!code && !(gone = approval_of(s, &t, &a, approver, err)))
		code = DD_ERR_REFUSED;
	if (!code)
		code = core_deploy_may_revoke(s, &p, &t,
					      gone->by.id == s->me.id, err);
	if (!code)
		code = model_approval_delete(s->db, t.id, gone->by.id, err);
	if (!code) {
		/* Below the count the policy asks for, the authorization
		 * goes. */
		int left = a.standing;

		for (size_t i = 0; i < a.list.count; i++)
			if (&a.list.items[i] == gone && a.valid[i])
				left--;
		below = left < a.required;
		code = changed_meanwhile(
		    model_task_set_authorized(s->db, t.id, t.row_version,
					      below ? 0 : t.authorized_by.id,
					      t.authorized_at, err),
		    &t, err);
	}
	if (!code) {
		state_json(&before, &t);
		before.len--; /* its closing brace */
		strbuf_addstr(&before, ",\"approver\":");
		json_add_string(&before, gone->by.login);
		strbuf_addf(&before, ",\"approved_at\":\"%s\"}",
			    gone->approved_at);
		strbuf_addstr(&after, "{\"authorized_by\":");
		if (below)
			strbuf_addstr(&after, "null");
		else
			json_login(&after, &t.authorized_by);
		strbuf_addstr(&after, ",\"approver\":null,\"reason\":");
		json_add_string(&after, kept);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_DEPLOY_REVOKE, t.id,
					 t.project_id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	free(kept);
	core_approvals_free(&a);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	core_project_free(&p);
	return code;
}

static enum dd_code
start(struct core_session *s, const char *id, int64_t expected_version,
      struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char now[TIME_ISO_SIZE];
	bool authorized = false;
	enum dd_code code;

	code = begin_step(s, id, expected_version, VERB_START, &t, &p, err);
	if (code)
		return code;
	core_now(s, now);
	state_json(&before, &t);
	code = override_authorize(s, &t, now, &authorized, err);
	if (!code)
		code = changed_meanwhile(model_task_start(s->db, t.id,
							  t.row_version,
							  s->me.id, now, err),
					 &t, err);
	if (!code) {
		strbuf_addf(&after, "{\"status\":\"%s\",\"started_by\":",
			    status_code(STATUS_IN_PROGRESS));
		json_add_string(&after, s->me.login);
		strbuf_addf(&after, ",\"started_at\":\"%s\"}", now);
		code = override_record(s, &t, AUDIT_DEPLOY_START, now,
				       authorized, &after, err);
	}
	if (!code)
		code = core_audit_append(s, AUDIT_DEPLOY_START, t.id,
					 t.project_id, strbuf_str(&before),
					 strbuf_str(&after), err);
	code = core_finish(s, code, err);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	core_project_free(&p);
	return code;
}

enum dd_code
core_deploy_start(struct core_session *s, const char *id,
		  int64_t expected_version, struct dd_error *err)
{
	enum dd_code code;

	override_begin(s);
	code = start(s, id, expected_version, err);
	override_end(s);
	return code;
}

enum dd_code
core_deploy_close(struct core_session *s, const char *id,
		  int64_t expected_version, enum task_status how,
		  const char *reason, struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char now[TIME_ISO_SIZE], *kept;
	enum dd_code code;

	if (how != STATUS_CANCELLED && how != STATUS_REFUSED)
		return dd_fail(err, DD_ERR_INPUT,
			       _("status: a deployment is closed as ANNULEE "
				 "or REFUSEE"));
	code =
	    core_reason_kept(reason,
			     how == STATUS_REFUSED
				 ? _("reason: required to refuse a deployment; "
				     "say why")
				 : _("reason: required to cancel a deployment; "
				     "say why"),
			     &kept, err);
	if (!code)
		code = begin_transition(s, id, expected_version,
					how == STATUS_REFUSED ? VERB_REJECT
							      : VERB_CANCEL,
					&t, &p, err);
	if (code) {
		free(kept);
		return code;
	}
	core_now(s, now);
	code =
	    changed_meanwhile(model_task_close(s->db, t.id, t.row_version, how,
					       s->me.id, now, kept, err),
			      &t, err);
	if (!code) {
		state_json(&before, &t);
		strbuf_addf(&after, "{\"status\":\"%s\",\"closed_by\":",
			    status_code(how));
		json_add_string(&after, s->me.login);
		strbuf_addf(&after, ",\"closed_at\":\"%s\",\"reason\":", now);
		json_add_string(&after, kept);
		strbuf_addch(&after, '}');
		code = core_audit_append(
		    s,
		    how == STATUS_REFUSED ? AUDIT_DEPLOY_REJECT
					  : AUDIT_DEPLOY_CANCEL,
		    t.id, t.project_id, strbuf_str(&before), strbuf_str(&after),
		    err);
	}
	code = core_finish(s, code, err);
	free(kept);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	core_project_free(&p);
	return code;
}

/* The incident a failure opens (spec rule 4). Its name and description are
 * the spec's French text whatever the language of the person: they are
 * data. */
static enum dd_code
create_incident(struct core_session *s, const struct task *d, const char *logs,
		char id_out[UUID_SIZE], struct dd_error *err)
{
	struct task inc = {0};
	struct strbuf name = STRBUF_INIT, desc = STRBUF_INIT;
	struct strbuf after = STRBUF_INIT;
	enum dd_code code;

	if (!uuid_new(inc.id))
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the system gave no random bytes for an id"));
	strbuf_addf(&name, "INCIDENT - Échec déploiement %s", d->version);
	strbuf_addf(&desc,
		    "Le déploiement de la version %s sur %s a échoué.\n\n"
		    "Logs:\n%s",
		    d->version, env_code(d->environment), logs);
	memcpy(inc.stage_id, d->stage_id, sizeof inc.stage_id);
	inc.type = TASK_INCIDENT;
	inc.name = name.buf;
	inc.description = desc.buf;
	inc.status = STATUS_PLANNED;
	inc.priority = PRIORITY_HIGH;
	inc.responsible.id = d->responsible.id;
	memcpy(inc.source_task, d->id, sizeof inc.source_task);
	inc.created_by.id = s->me.id;
	core_now(s, inc.created_at);
	code = model_task_insert(s->db, &inc, err);
	if (!code) {
		strbuf_addstr(&after, "{\"name\":");
		json_add_string(&after, inc.name);
		strbuf_addstr(&after, ",\"type\":\"INCIDENT\",\"status\":"
				      "\"A_FAIRE\",\"priority\":\"HAUTE\","
				      "\"responsible\":");
		json_add_string(&after, d->responsible.login);
		strbuf_addstr(&after, ",\"deployment\":");
		json_add_string(&after, d->id);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_INCIDENT_CREATE, inc.id,
					 d->project_id, NULL,
					 strbuf_str(&after), err);
	}
	if (!code)
		memcpy(id_out, inc.id, UUID_SIZE);
	strbuf_release(&name);
	strbuf_release(&desc);
	strbuf_release(&after);
	return code;
}

enum dd_code
core_logs_import(const char *data, size_t len, const char *encoding,
		 struct core_logs *out, struct dd_error *err)
{
	struct strbuf text = STRBUF_INIT;
	struct sha256_ctx ctx;
	const char *used = NULL;
	enum dd_code code;

	memset(out, 0, sizeof *out);
	code = charset_import(data, len, encoding, &text, &used, err);
	if (!code)
		code = core_logs_validate(strbuf_str(&text), text.len, err);
	if (code) {
		strbuf_release(&text);
		return code;
	}
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof out->source_sha256, out->source_sha256);
	out->source_len = len;
	out->len = text.len;
	out->owned = strbuf_detach(&text);
	out->text = out->owned;
	out->encoding = used;
	return DD_OK;
}

void
core_logs_free(struct core_logs *logs)
{
	free(logs->owned);
	memset(logs, 0, sizeof *logs);
}

/* Appends bytes as lowercase hexadecimal. */
static void
add_hex(struct strbuf *sb, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%02x", b[i]);
}

enum dd_code
core_logs_check(const char *text, size_t len, struct dd_error *err)
{
	enum dd_code code = core_logs_validate(text, len, err);

	if (code)
		return code;
	/* A success is recorded with its logs as a failure is: what was
	 * done, for whoever reads the history. */
	if (strspn(text, " \t\r\n") >= len)
		return dd_fail(err, DD_ERR_INPUT,
			       _("logs: required for a success as for a "
				 "failure, but empty"));
	return DD_OK;
}

static enum dd_code
record(struct core_session *s, const char *id, int64_t expected_version,
       enum task_status outcome, const struct core_logs *logs,
       char incident_out[UUID_SIZE], struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char now[TIME_ISO_SIZE], *text, incident[UUID_SIZE];
	bool authorized = false;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	enum dd_code code;

	if (outcome != STATUS_SUCCEEDED && outcome != STATUS_FAILED)
		return dd_fail(err, DD_ERR_INPUT,
			       _("an execution succeeds or fails"));
	code = core_logs_check(logs->text, logs->len, err);
	if (code)
		return code;
	code = begin_step(s, id, expected_version, VERB_EXECUTE, &t, &p, err);
	if (code)
		return code;
	text = xstrndup(logs->text, logs->len);
	core_now(s, now);
	state_json(&before, &t);
	code = override_authorize(s, &t, now, &authorized, err);
	if (!code)
		code = changed_meanwhile(
		    model_task_finish(s->db, t.id, t.status, t.row_version,
				      outcome, text, s->me.id, now, err),
		    &t, err);
	if (!code) {
		/* The audit keeps the logs' size and digest, not a copy. */
		sha256_init(&ctx);
		sha256_update(&ctx, logs->len, (const uint8_t *)logs->text);
		sha256_digest(&ctx, sizeof digest, digest);
		strbuf_addf(&after, "{\"status\":\"%s\",\"executed_by\":",
			    status_code(outcome));
		json_add_string(&after, s->me.login);
		strbuf_addf(&after,
			    ",\"executed_at\":\"%s\",\"logs_bytes\":%zu,"
			    "\"logs_sha256\":\"",
			    now, logs->len);
		add_hex(&after, digest, sizeof digest);
		strbuf_addch(&after, '"');
		if (logs->encoding) {
			strbuf_addstr(&after, ",\"logs_encoding\":");
			json_add_string(&after, logs->encoding);
			strbuf_addf(&after,
				    ",\"logs_source_bytes\":%zu,"
				    "\"logs_source_sha256\":\"",
				    logs->source_len);
			add_hex(&after, logs->source_sha256,
				sizeof logs->source_sha256);
			strbuf_addch(&after, '"');
		}
		strbuf_addch(&after, '}');
		code = override_record(s, &t,
				       outcome == STATUS_SUCCEEDED
					   ? AUDIT_DEPLOY_SUCCEED
					   : AUDIT_DEPLOY_FAIL,
				       now, authorized, &after, err);
	}
	if (!code)
		code = core_audit_append(
		    s,
		    outcome == STATUS_SUCCEEDED ? AUDIT_DEPLOY_SUCCEED
						: AUDIT_DEPLOY_FAIL,
		    t.id, t.project_id, strbuf_str(&before), strbuf_str(&after),
		    err);
	if (!code && outcome == STATUS_FAILED)
		code = create_incident(s, &t, text, incident, err);
	code = core_finish(s, code, err);
	if (!code && outcome == STATUS_FAILED && incident_out)
		memcpy(incident_out, incident, UUID_SIZE);
	free(text);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	core_project_free(&p);
	return code;
}

enum dd_code
core_deploy_record(struct core_session *s, const char *id,
		   int64_t expected_version, enum task_status outcome,
		   const struct core_logs *logs, char incident_out[UUID_SIZE],
		   struct dd_error *err)
{
	enum dd_code code;

	override_begin(s);
	code =
	    record(s, id, expected_version, outcome, logs, incident_out, err);
	override_end(s);
	return code;
}

enum dd_code
core_deploy_succeed(struct core_session *s, const char *id,
		    int64_t expected_version, const char *logs, size_t len,
		    struct dd_error *err)
{
	struct core_logs l = {.text = logs, .len = len};

	return core_deploy_record(s, id, expected_version, STATUS_SUCCEEDED, &l,
				  NULL, err);
}

enum dd_code
core_deploy_fail(struct core_session *s, const char *id,
		 int64_t expected_version, const char *logs, size_t len,
		 char incident_out[UUID_SIZE], struct dd_error *err)
{
	struct core_logs l = {.text = logs, .len = len};

	return core_deploy_record(s, id, expected_version, STATUS_FAILED, &l,
				  incident_out, err);
}

/* Words to search: text, as any field is, and short enough to be a
 * query. */
static enum dd_code
check_search(const struct core_page_query *q, struct dd_error *err)
{
	return core_check_text(_("search text"), q->text, CORE_SEARCH_MAX,
			       false, err);
}

/* The words to search, or NULL when the text has none (blanks or
 * punctuation only): such a search filters nothing, as an empty one. */
static const char *
search_words(const char *text)
{
	const uint8_t *p = (const uint8_t *)text;
	ucs4_t c;

	if (!text)
		return NULL;
	while ((p = u8_next(&c, p)) != NULL)
		if (uc_is_alnum(c))
			return text;
	return NULL;
}

enum dd_code
core_task_page(struct core_session *s, const struct core_project *p,
	       const struct core_page_query *q, const struct task_cursor *from,
	       enum page_direction direction, int limit, struct task_list *out,
	       struct dd_error *err)
{
	struct task_filter f = {
	    .stage_id = p->stages[STAGE_DEPLOYMENT].id,
	    .type = q->type,
	    .environment = q->environment,
	    .status = q->status,
	    .text = search_words(q->text),
	};
	enum dd_code code;

	out->items = NULL;
	out->count = 0;
	code = check_search(q, err);
	if (code)
		return code;
	return model_task_page(s->db, &f, from, direction, limit, out, err);
}

void
core_task_cursor(const struct task *t, struct task_cursor *out)
{
	const char *key =
	    t->type == TASK_INCIDENT ? t->created_at : t->planned_at;

	snprintf(out->sort_key, sizeof out->sort_key, "%s", key);
	memcpy(out->id, t->id, sizeof out->id);
	out->inclusive = false;
}

enum dd_code
core_incident_set(struct core_session *s, const char *id,
		  int64_t expected_version, enum task_status status,
		  const char *note, struct dd_error *err)
{
	struct task t;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	enum dd_code code;

	if (status > STATUS_SUCCEEDED)
		return dd_fail(err, DD_ERR_INPUT,
			       _("status: an incident is A_FAIRE, EN_COURS or "
				 "TERMINEE"));
	/* Closing says what was done: the note is the incident's
	 * resolution, in the trail. */
	if (note && !trimmed_length(note))
		note = NULL;
	if (!note && status == STATUS_SUCCEEDED)
		return dd_fail(err, DD_ERR_INPUT,
			       _("resolution note: required to close an "
				 "incident; say what was done"));
	if (note) {
		code =
		    core_check_text(_("note"), note, CORE_NOTE_MAX, true, err);
		if (code)
			return code;
	}
	/* Checked before the write lock too (see begin_transition). */
	code = core_incident_find(s, id, &t, err);
	if (!code)
		code = core_incident_may_set(s, &t, err);
	task_free(&t);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_incident_find(s, id, &t, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	code = core_incident_may_set(s, &t, err);
	if (!code && expected_version > 0 && t.row_version != expected_version)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("the incident changed meanwhile: nothing was "
				 "written; look at it again"));
	if (!code && t.status == status)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("the incident's status is already %s"),
			       core_stage_status_label(status));
	if (!code) {
		code = model_task_set_status(s->db, t.id, t.status,
					     t.row_version, status, err);
		if (code == DD_ERR_REFUSED)
			code = dd_fail(err, DD_ERR_REFUSED,
				       _("the incident changed meanwhile: "
					 "nothing was written; look at it "
					 "again"));
	}
	if (!code) {
		strbuf_addf(&before, "{\"status\":\"%s\"}",
			    status_code(t.status));
		strbuf_addf(&after, "{\"status\":\"%s\"", status_code(status));
		if (note) {
			char *kept = xstrndup(note, trimmed_length(note));

			strbuf_addstr(&after, ",\"note\":");
			json_add_string(&after, kept);
			free(kept);
		}
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_INCIDENT_SET, t.id,
					 t.project_id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	strbuf_release(&after);
	task_free(&t);
	return code;
}

/* The incident and its project, and whether the caller may assign it. */
static enum dd_code
assign_read(struct core_session *s, const char *id, struct task *t,
	    struct core_project *p, struct dd_error *err)
{
	enum dd_code code = core_incident_find(s, id, t, err);

	if (code)
		return code;
	code = core_project_open(s, t->project_id, p, err);
	if (!code) {
		code = core_incident_may_assign(s, p, t, err);
		if (code)
			core_project_free(p);
	}
	if (code)
		task_free(t);
	return code;
}

enum dd_code
core_incident_assign(struct core_session *s, const char *id,
		     int64_t expected_version, const char *login,
		     struct dd_error *err)
{
	struct task t;
	struct core_project p;
	struct member to = {0};
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	enum dd_code code;

	/* Checked before the write lock too (see begin_transition). */
	code = assign_read(s, id, &t, &p, err);
	if (!code) {
		code = find_responsible(s, &p, login, &to, err);
		member_free(&to);
		task_free(&t);
		core_project_free(&p);
	}
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = assign_read(s, id, &t, &p, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	code = find_responsible(s, &p, login, &to, err);
	if (!code && expected_version > 0 && t.row_version != expected_version)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("the incident changed meanwhile: nothing was "
				 "written; look at it again"));
	if (!code && to.user == t.responsible.id)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("the incident's responsible person is already "
				 "%s"),
			       t.responsible.login);
	if (!code) {
		code = model_task_set_responsible(s->db, t.id, t.responsible.id,
						  t.row_version, to.user, err);
		if (code == DD_ERR_REFUSED)
			code = dd_fail(err, DD_ERR_REFUSED,
				       _("the incident changed meanwhile: "
					 "nothing was written; look at it "
					 "again"));
	}
	if (!code) {
		strbuf_addstr(&before, "{\"responsible\":");
		json_add_string(&before, t.responsible.login);
		strbuf_addstr(&before, "}");
		strbuf_addstr(&after, "{\"responsible\":");
		json_add_string(&after, to.login);
		strbuf_addstr(&after, "}");
		code = core_audit_append(s, AUDIT_INCIDENT_ASSIGN, t.id,
					 t.project_id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	strbuf_release(&after);
	member_free(&to);
	core_project_free(&p);
	task_free(&t);
	return code;
}

enum dd_code
core_stats(struct core_session *s, const struct core_project *p,
	   struct deploy_stats *out, struct dd_error *err)
{
	return model_task_stats(s->db, p->stages[STAGE_DEPLOYMENT].id, out,
				err);
}

double
core_success_rate(const struct deploy_stats *st)
{
	double rate;

	if (st->total == 0)
		return 0.0;
	rate = (double)st->succeeded / (double)st->total * 100.0;
	/* 0 of a negative total is -0.0, which would print as "-0.0". */
	return rate == 0.0 ? 0.0 : rate;
}

enum dd_code
core_task_rows(struct core_session *s, const struct core_project *p,
	       const struct core_page_query *q, struct task_cursor *cursor,
	       int limit, task_row_fn fn, void *data, size_t *count,
	       struct dd_error *err)
{
	struct task_filter f = {
	    .stage_id = p->stages[STAGE_DEPLOYMENT].id,
	    .type = q->type,
	    .environment = q->environment,
	    .status = q->status,
	    .text = search_words(q->text),
	};
	enum dd_code code;

	*count = 0;
	code = check_search(q, err);
	if (code)
		return code;
	return model_task_rows(s->db, &f, cursor, limit, fn, data, count, err);
}
