/* SPDX-License-Identifier: MIT */
/* Who may do what, and when: the spec's permission table and the state
 * rules of a deployment, in one place. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

bool
core_standing_may(const struct core_standing *who, enum core_action a)
{
	bool manager = who->is_member && who->role == ROLE_MANAGER;
	bool senior =
	    who->is_member && who->role == ROLE_DEVELOPER && who->senior;

	switch (a) {
	case ACTION_VIEW:
		return true;
	case ACTION_CREATE:
	case ACTION_AUTHORIZE:
		return who->is_admin || manager;
	case ACTION_EXECUTE:
		return who->is_admin || senior;
	case ACTION_COUNT:
		break;
	}
	return false;
}

/* The sentence saying who may do an action, for refusals. */
static enum dd_code
refuse_permission(const struct core_project *p, enum core_action a,
		  struct dd_error *err)
{
	const char *code = p->project.code;

	switch (a) {
	case ACTION_CREATE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may create a deployment"),
			       code);
	case ACTION_AUTHORIZE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may authorize a deployment"),
			       code);
	case ACTION_EXECUTE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or a senior developer of "
				 "project %s may execute a deployment"),
			       code);
	case ACTION_VIEW:
	case ACTION_COUNT:
		break;
	}
	return dd_fail(err, DD_ERR_PERM, _("permission denied"));
}

enum core_refusal
core_rule_create(const struct core_standing *who, enum task_status tests)
{
	if (!core_standing_may(who, ACTION_CREATE))
		return REFUSAL_PERMISSION;
	if (tests != STATUS_SUCCEEDED)
		return REFUSAL_TESTS_UNFINISHED;
	return REFUSAL_NONE;
}

enum core_refusal
core_rule_deploy(const struct core_standing *who, enum core_deploy_step step,
		 enum task_status status, bool authorized,
		 const struct core_approval_facts *f)
{
	bool executed = status == STATUS_SUCCEEDED || status == STATUS_FAILED;
	bool closed = status == STATUS_CANCELLED || status == STATUS_REFUSED;
	bool planned = status == STATUS_PLANNED;

	if (step == STEP_AUTHORIZE) {
		if (!core_standing_may(who, ACTION_AUTHORIZE))
			return REFUSAL_PERMISSION;
		if (closed)
			return REFUSAL_CLOSED;
		if (!planned)
			return authorized ? REFUSAL_ALREADY_AUTHORIZED
					  : REFUSAL_NOT_PLANNED;
		if (f->blocked)
			return REFUSAL_BLOCKED;
		if (f->unplanned)
			return REFUSAL_NO_PLAN;
		if (f->standing >= f->required)
			return REFUSAL_ALREADY_AUTHORIZED;
		if (f->mine_standing)
			return REFUSAL_ALREADY_APPROVED;
		if (f->creator && !f->creator_approves)
			return REFUSAL_CREATOR_APPROVES;
		return REFUSAL_NONE;
	}
	if (!core_standing_may(who, ACTION_EXECUTE))
		return REFUSAL_PERMISSION;
	if (closed)
		return REFUSAL_CLOSED;
	if (executed)
		return REFUSAL_ALREADY_EXECUTED;
	if (planned && f->blocked)
		return REFUSAL_BLOCKED;
	if (planned && f->unplanned)
		return REFUSAL_NO_PLAN;
	if (f->frozen)
		return REFUSAL_FROZEN;
	if (planned && f->unpromoted)
		return REFUSAL_PROMOTION;
	if (step == STEP_START && planned && f->busy)
		return REFUSAL_BUSY;
	/* Approvals count before it starts; once started, it was
	 * authorized. */
	if (planned ? f->standing < f->required : !authorized)
		return REFUSAL_NOT_AUTHORIZED;
	if (step == STEP_START && !planned)
		return REFUSAL_ALREADY_STARTED;
	if (f->mine && !f->approver_executes)
		return REFUSAL_APPROVER_EXECUTES;
	return REFUSAL_NONE;
}

enum core_refusal
core_rule_overriding(const struct core_standing *who,
		     enum core_deploy_step step, enum task_status status,
		     bool authorized, struct core_approval_facts f,
		     unsigned *passed)
{
	enum core_refusal r =
	    core_rule_deploy(who, step, status, authorized, &f);

	*passed = 0;
	while (who->is_admin) {
		switch (r) {
		case REFUSAL_FROZEN:
			f.frozen = false;
			*passed |= CORE_RULE_FREEZE;
			break;
		case REFUSAL_NOT_AUTHORIZED:
			if (status != STATUS_PLANNED)
				return r;
			f.standing = f.required;
			*passed |= CORE_RULE_APPROVALS;
			break;
		case REFUSAL_APPROVER_EXECUTES:
			f.mine = false;
			*passed |= CORE_RULE_APPROVER_EXECUTES;
			break;
		case REFUSAL_CREATOR_APPROVES:
			f.creator_approves = true;
			*passed |= CORE_RULE_CREATOR_APPROVES;
			break;
		case REFUSAL_PROMOTION:
			f.unpromoted = false;
			*passed |= CORE_RULE_PROMOTION;
			break;
		case REFUSAL_BUSY:
			f.busy = false;
			*passed |= CORE_RULE_ONE_AT_A_TIME;
			break;
		case REFUSAL_NO_PLAN:
			f.unplanned = false;
			*passed |= CORE_RULE_PLAN_REQUIRED;
			break;
		default:
			return r;
		}
		r = core_rule_deploy(who, step, status, authorized, &f);
	}
	return r;
}

static const char *const rule_codes[] = {
    "approvals", "creator-approves", "approver-executes", "freeze",
    "promotion", "one-at-a-time",    "plan-required"};
#define RULE_CODES (sizeof rule_codes / sizeof *rule_codes)

void
core_rules_text(unsigned rules, struct strbuf *out)
{
	strbuf_reset(out);
	for (unsigned i = 0; i < RULE_CODES; i++)
		if (rules & 1u << i) {
			if (out->len)
				strbuf_addch(out, ' ');
			strbuf_addstr(out, rule_codes[i]);
		}
}

unsigned
core_rules_parse(const char *text)
{
	unsigned rules = 0;

	while (*text) {
		size_t n = strcspn(text, " ");
		unsigned bit = 0;

		for (unsigned i = 0; i < RULE_CODES; i++)
			if (strlen(rule_codes[i]) == n &&
			    memcmp(text, rule_codes[i], n) == 0)
				bit = 1u << i;
		if (!bit || (rules & bit))
			return 0;
		rules |= bit;
		text += n;
		if (*text == ' ' && *++text == '\0')
			return 0;
	}
	return rules;
}

bool
core_rule_review(const struct core_standing *who, bool opener)
{
	return !opener && core_standing_may(who, ACTION_AUTHORIZE);
}

enum core_refusal
core_rule_revoke(const struct core_standing *who, bool mine,
		 enum task_status status)
{
	if (!mine && !core_rule_manages(who))
		return REFUSAL_PERMISSION;
	if (status == STATUS_CANCELLED || status == STATUS_REFUSED)
		return REFUSAL_CLOSED;
	if (status != STATUS_PLANNED)
		return REFUSAL_NOT_PLANNED;
	return REFUSAL_NONE;
}

enum core_refusal
core_rule_close(const struct core_standing *who, enum task_status how,
		enum task_status status)
{
	if (!core_standing_may(who, how == STATUS_REFUSED ? ACTION_AUTHORIZE
							  : ACTION_CREATE))
		return REFUSAL_PERMISSION;
	if (status == STATUS_CANCELLED || status == STATUS_REFUSED)
		return REFUSAL_CLOSED;
	if (status != STATUS_PLANNED)
		return REFUSAL_NOT_PLANNED;
	return REFUSAL_NONE;
}

bool
core_rule_freeze(const struct core_standing *who, bool project)
{
	return who->is_admin ||
	       (project && who->is_member && who->role == ROLE_MANAGER);
}

bool
core_rule_manages(const struct core_standing *who)
{
	return who->is_admin || (who->is_member && who->role == ROLE_MANAGER);
}

bool
core_rule_policy(const struct core_standing *who)
{
	return who->is_admin;
}

bool
core_rule_may_answer(bool is_member, enum role role)
{
	return is_member && (role == ROLE_MANAGER || role == ROLE_DEVELOPER);
}

bool
core_rule_responsible(const struct member *m)
{
	return core_rule_may_answer(true, m->role);
}

bool
core_rule_assign(const struct core_standing *who, bool responsible)
{
	return core_rule_manages(who) || responsible;
}

bool
core_rule_incident(bool is_admin, bool responsible)
{
	return is_admin || responsible;
}

const char *
core_refusal_text(enum core_refusal r)
{
	switch (r) {
	case REFUSAL_NONE:
		break;
	case REFUSAL_PERMISSION:
		return _("the person's role did not allow it");
	case REFUSAL_TESTS_UNFINISHED:
		return _("the project's TESTS stage was not finished");
	case REFUSAL_ALREADY_AUTHORIZED:
		return _("the deployment was already authorized");
	case REFUSAL_NOT_PLANNED:
		return _("the deployment was no longer planned");
	case REFUSAL_ALREADY_EXECUTED:
		return _("the deployment was already executed");
	case REFUSAL_NOT_AUTHORIZED:
		return _("the deployment was not authorized");
	case REFUSAL_ALREADY_STARTED:
		return _("the deployment was already in progress");
	case REFUSAL_CLOSED:
		return _("the deployment was cancelled or refused");
	case REFUSAL_ALREADY_APPROVED:
		return _("the person's approval already stood");
	case REFUSAL_CREATOR_APPROVES:
		return _("the policy did not let the creator approve");
	case REFUSAL_APPROVER_EXECUTES:
		return _("the policy did not let one who approved execute");
	case REFUSAL_FROZEN:
		return _("a freeze was on");
	case REFUSAL_PROMOTION:
		return _("the policy wanted the version promoted first");
	case REFUSAL_BUSY:
		return _("the policy wanted one deployment at a time");
	case REFUSAL_BLOCKED:
		return _("the version was blocked");
	case REFUSAL_NO_PLAN:
		return _("the policy wanted a risk level and a back-out plan");
	}
	return "";
}

bool
core_plan_required(const struct core_project *p, enum environment e)
{
	return core_policy_value(p, e, POLICY_PLAN_REQUIRED) != 0;
}

bool
core_plan_missing(const struct core_project *p, enum environment e,
		  enum risk risk, const char *backout_plan)
{
	return core_plan_required(p, e) &&
	       (risk == RISK_NONE || !backout_plan || !*backout_plan);
}

enum dd_code
core_refuse_unplanned(const struct task *t, struct dd_error *err)
{
	const char *e = env_code(t->environment);

	if (t->risk != RISK_NONE)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("%s: deployment %s has no back-out plan, "
				 "which the policy requires (plan-required "
				 "yes): change its plan first"),
			       e, t->version);
	if (t->backout_plan && *t->backout_plan)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("%s: deployment %s has no risk level, which "
				 "the policy requires (plan-required yes): "
				 "change its plan first"),
			       e, t->version);
	return dd_fail(err, DD_ERR_REFUSED,
		       _("%s: deployment %s has neither a risk level nor a "
			 "back-out plan, which the policy requires "
			 "(plan-required yes): change its plan first"),
		       e, t->version);
}

enum dd_code
core_plan_refusal(const struct core_project *p, enum environment e,
		  enum risk risk, const char *backout_plan, int *field,
		  struct dd_error *err)
{
	if (!core_plan_missing(p, e, risk, backout_plan))
		return DD_OK;
	if (risk == RISK_NONE) {
		*field = FIELD_RISK;
		return dd_fail(err, DD_ERR_INPUT,
			       _("risk: required on %s (policy plan-required "
				 "yes)"),
			       env_code(e));
	}
	*field = FIELD_BACKOUT_PLAN;
	return dd_fail(err, DD_ERR_INPUT,
		       _("back-out plan: required on %s (policy plan-required "
			 "yes): say how the deployment is undone"),
		       env_code(e));
}

/* The create rule that depends on the project, not on a deployment. */
enum dd_code
core_may_create(const struct core_project *p, struct dd_error *err)
{
	switch (core_rule_create(&p->me, p->stages[STAGE_TESTS].status)) {
	case REFUSAL_NONE:
		return DD_OK;
	case REFUSAL_PERMISSION:
		return refuse_permission(p, ACTION_CREATE, err);
	default:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("the TESTS stage of project %s is not "
				 "finished: a deployment can be planned only "
				 "after it"),
			       p->project.code);
	}
}

/* "deployment v1.2 was cancelled by alice": a closed deployment, for a
 * refusal to act on it. */
static enum dd_code
refuse_closed(const struct task *t, struct dd_error *err)
{
	if (t->status == STATUS_REFUSED)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s was refused by %s: nothing "
				 "more can be done with it"),
			       t->version,
			       t->closed_by.login ? t->closed_by.login : "?");
	return dd_fail(err, DD_ERR_REFUSED,
		       _("deployment %s was cancelled by %s: nothing more "
			 "can be done with it"),
		       t->version,
		       t->closed_by.login ? t->closed_by.login : "?");
}

/* A deployment rule's refusal, in words about this deployment and its
 * approvals a. */
static enum dd_code
refuse_deploy(const struct core_session *s, const struct core_project *p,
	      const struct task *t, enum core_deploy_step step,
	      enum core_refusal r, const struct core_approvals *a,
	      struct dd_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char when[64];

	switch (r) {
	case REFUSAL_NONE:
		return DD_OK;
	case REFUSAL_PERMISSION:
		if (step == STEP_START)
			return dd_fail(err, DD_ERR_PERM,
				       _("only an admin or a senior developer "
					 "of project %s may start a "
					 "deployment"),
				       p->project.code);
		return refuse_permission(
		    p,
		    step == STEP_AUTHORIZE ? ACTION_AUTHORIZE : ACTION_EXECUTE,
		    err);
	case REFUSAL_ALREADY_AUTHORIZED:
		if (a->required > 1 && t->status == STATUS_PLANNED) {
			core_approvals_text(p, t, a, &sb);
			dd_fail(err, DD_ERR_REFUSED,
				_("deployment %s is already authorized: %s"),
				t->version, strbuf_str(&sb));
			strbuf_release(&sb);
			return DD_ERR_REFUSED;
		}
		time_local_display(t->authorized_at, when, sizeof when);
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s is already authorized "
				 "(by %s, %s)"),
			       t->version,
			       t->authorized_by.login ? t->authorized_by.login
						      : "?",
			       when);
	case REFUSAL_NOT_PLANNED:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("the status of deployment %s is %s: only a "
				 "planned deployment can be authorized"),
			       t->version, core_status_label(t->status));
	case REFUSAL_ALREADY_EXECUTED:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s was already executed "
				 "(%s)"),
			       t->version, core_status_label(t->status));
	case REFUSAL_NOT_AUTHORIZED:
		if (a->required == 1 && a->list.count == 0)
			return dd_fail(
			    err, DD_ERR_REFUSED,
			    _("deployment %s is not authorized yet: "
			      "an admin or the project manager must authorize "
			      "it first"),
			    t->version);
		core_approvals_text(p, t, a, &sb);
		dd_fail(err, DD_ERR_REFUSED,
			_("deployment %s is not authorized: %s"), t->version,
			strbuf_str(&sb));
		strbuf_release(&sb);
		return DD_ERR_REFUSED;
	case REFUSAL_ALREADY_STARTED:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s is already in progress"),
			       t->version);
	case REFUSAL_CLOSED:
		return refuse_closed(t, err);
	case REFUSAL_ALREADY_APPROVED:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("you have already approved deployment %s"),
			       t->version);
	case REFUSAL_CREATOR_APPROVES:
		return dd_fail(err, DD_ERR_PERM,
			       _("%s: the creator of a deployment may not "
				 "approve it (policy creator-approves no); you "
				 "created %s"),
			       env_code(t->environment), t->version);
	case REFUSAL_APPROVER_EXECUTES:
		return dd_fail(
		    err, DD_ERR_PERM,
		    _("%s: who approved a deployment may not execute "
		      "it (policy approver-executes no); you "
		      "approved %s"),
		    env_code(t->environment), t->version);
	case REFUSAL_FROZEN:
		return core_refuse_frozen(s, p, t, err);
	case REFUSAL_BLOCKED:
		return core_refuse_blocked(s, p, t->version, err);
	case REFUSAL_NO_PLAN:
		return core_refuse_unplanned(t, err);
	case REFUSAL_PROMOTION:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("%s: version %s has not succeeded on %s yet "
				 "(policy promotion yes): it goes there first"),
			       env_code(t->environment), t->version,
			       env_code(t->environment - 1));
	case REFUSAL_BUSY: {
		char *busy = NULL;
		enum dd_code code;

		model_in_progress(s->db, t->stage_id, t->environment, t->id,
				  &busy, NULL);
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("%s: deployment %s is already in progress "
				 "there (policy one-at-a-time yes)"),
			       env_code(t->environment), busy ? busy : "?");
		free(busy);
		return code;
	}
	case REFUSAL_TESTS_UNFINISHED:
		break;
	}
	return core_may_create(p, err);
}

/* The facts of the promotion and one-at-a-time policies, read only where
 * they are on, for a planned deployment. */
static enum dd_code
policy_facts(struct core_session *s, const struct core_project *p,
	     const struct task *t, enum core_deploy_step step,
	     struct core_approval_facts *f, struct dd_error *err)
{
	enum dd_code code = DD_OK;
	bool done = true;
	char *busy = NULL;

	if (t->status != STATUS_PLANNED)
		return DD_OK;
	if (t->environment > ENV_DEV &&
	    core_policy_value(p, t->environment, POLICY_PROMOTION)) {
		code = model_version_succeeded(s->db, t->stage_id,
					       t->environment - 1, t->version,
					       &done, err);
		f->unpromoted = !done;
	}
	if (!code && step == STEP_START &&
	    core_policy_value(p, t->environment, POLICY_ONE_AT_A_TIME)) {
		code = model_in_progress(s->db, t->stage_id, t->environment,
					 t->id, &busy, err);
		f->busy = busy != NULL;
		free(busy);
	}
	return code;
}

/* A step's rule for the acting person, with the deployment's approvals
 * when it is planned (the only time they count). */
static enum dd_code
may_step(struct core_session *s, const struct core_project *p,
	 const struct task *t, enum core_deploy_step step, struct dd_error *err)
{
	struct core_approvals a = {0};
	struct core_approval_facts f;
	enum dd_code code = DD_OK;

	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	/* Who approved is asked until it is executed (approver-executes);
	 * not when the page's count says there is none and none can have
	 * expired, nor once started where any approver may execute (the
	 * screens ask for every row they draw). */
	bool executes =
	    core_policy_value(p, t->environment, POLICY_APPROVER_EXECUTES) != 0;
	bool none =
	    t->status == STATUS_PLANNED && t->approvals == 0 &&
	    core_policy_value(p, t->environment, POLICY_APPROVAL_HOURS) == 0;

	if ((t->status == STATUS_PLANNED && !none) ||
	    (t->status == STATUS_IN_PROGRESS && !executes))
		code = core_deploy_approvals(s, p, t, &a, err);
	else
		a.required = core_approvals_required(p, t);
	if (code)
		return code;
	core_approval_facts_of(s, p, t, &a, &f);
	f.frozen =
	    step != STEP_AUTHORIZE && core_frozen_now(s, p, t->environment);
	f.blocked = core_version_blocked(p, t->version);
	f.unplanned =
	    core_plan_missing(p, t->environment, t->risk, t->backout_plan);
	if (!code && step != STEP_AUTHORIZE)
		code = policy_facts(s, p, t, step, &f, err);
	if (code) {
		core_approvals_free(&a);
		return code;
	}
	/* An admin's override under way passes the policy's rules. */
	s->overridden = 0;
	code = refuse_deploy(
	    s, p, t, step,
	    s->override ? core_rule_overriding(&p->me, step, t->status,
					       t->authorized_by.id != 0, f,
					       &s->overridden)
			: core_rule_deploy(&p->me, step, t->status,
					   t->authorized_by.id != 0, &f),
	    &a, err);
	core_approvals_free(&a);
	return code;
}

enum dd_code
core_deploy_may(struct core_session *s, const struct core_project *p,
		const struct task *t, enum core_action a, struct dd_error *err)
{
	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	if (a == ACTION_CREATE)
		return core_may_create(p, err);
	if (a != ACTION_AUTHORIZE && a != ACTION_EXECUTE)
		return DD_OK;
	return may_step(
	    s, p, t, a == ACTION_AUTHORIZE ? STEP_AUTHORIZE : STEP_FINISH, err);
}

enum dd_code
core_deploy_may_start(struct core_session *s, const struct core_project *p,
		      const struct task *t, struct dd_error *err)
{
	return may_step(s, p, t, STEP_START, err);
}

enum dd_code
core_deploy_may_revoke(struct core_session *s, const struct core_project *p,
		       const struct task *t, bool mine, struct dd_error *err)
{
	(void)s;
	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	switch (core_rule_revoke(&p->me, mine, t->status)) {
	case REFUSAL_NONE:
		return DD_OK;
	case REFUSAL_PERMISSION:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may withdraw another person's "
				 "approval"),
			       p->project.code);
	case REFUSAL_CLOSED:
		return refuse_closed(t, err);
	default:
		return dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s has the status %s: an approval "
				 "is withdrawn only before it starts"),
			       t->version, core_status_label(t->status));
	}
}

enum dd_code
core_deploy_may_close(const struct core_project *p, const struct task *t,
		      enum task_status how, struct dd_error *err)
{
	bool refuse = how == STATUS_REFUSED;

	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	switch (core_rule_close(&p->me, how, t->status)) {
	case REFUSAL_NONE:
		return DD_OK;
	case REFUSAL_PERMISSION:
		return dd_fail(err, DD_ERR_PERM,
			       refuse ? _("only an admin or the project "
					  "manager of project %s may refuse a "
					  "deployment")
				      : _("only an admin or the project "
					  "manager of project %s may cancel a "
					  "deployment"),
			       p->project.code);
	case REFUSAL_CLOSED:
		return refuse_closed(t, err);
	default:
		return dd_fail(err, DD_ERR_REFUSED,
			       refuse ? _("deployment %s has the status %s: "
					  "only a planned deployment can be "
					  "refused")
				      : _("deployment %s has the status %s: "
					  "only a planned deployment can be "
					  "cancelled"),
			       t->version, core_status_label(t->status));
	}
}

enum dd_code
core_incident_may_set(struct core_session *s, const struct task *incident,
		      struct dd_error *err)
{
	if (incident->type != TASK_INCIDENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not an incident"));
	if (core_rule_incident(s->me.is_admin,
			       incident->responsible.id == s->me.id))
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM,
		       _("only an admin or the incident's responsible "
			 "person (%s) may change its status"),
		       incident->responsible.login);
}

enum dd_code
core_incident_may_assign(struct core_session *s, const struct core_project *p,
			 const struct task *t, struct dd_error *err)
{
	if (t->type != TASK_INCIDENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not an incident"));
	if (core_rule_assign(&p->me, t->responsible.id == s->me.id))
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM,
		       _("only an admin, the project manager of project %s or "
			 "the incident's responsible person (%s) may hand it "
			 "to someone else"),
		       p->project.code, t->responsible.login);
}

bool
core_may_override(struct core_session *s, const struct core_project *p,
		  const struct task *t, enum core_verb v, struct strbuf *rules)
{
	const char *saved = s->override;
	unsigned passed = 0;

	if (!s->me.is_admin || !t ||
	    (v != VERB_AUTHORIZE && v != VERB_START && v != VERB_EXECUTE))
		return false;
	s->override = "";
	if (core_may(s, p, t, v, NULL) == DD_OK)
		passed = s->overridden;
	s->override = saved;
	s->overridden = 0;
	if (rules)
		core_rules_text(passed, rules);
	return passed != 0;
}

enum dd_code
core_may(struct core_session *s, const struct core_project *p,
	 const struct task *t, enum core_verb v, struct dd_error *err)
{
	if (v == VERB_CREATE)
		return core_may_create(p, err);
	if (!t)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       v == VERB_SET_INCIDENT ||
				       v == VERB_ASSIGN_INCIDENT
				   ? _("No incident selected")
				   : _("No deployment selected"));
	switch (v) {
	case VERB_AUTHORIZE:
		return core_deploy_may(s, p, t, ACTION_AUTHORIZE, err);
	case VERB_START:
		return core_deploy_may_start(s, p, t, err);
	case VERB_EXECUTE:
		return core_deploy_may(s, p, t, ACTION_EXECUTE, err);
	case VERB_SET_INCIDENT:
		return core_incident_may_set(s, t, err);
	case VERB_ASSIGN_INCIDENT:
		return core_incident_may_assign(s, p, t, err);
	case VERB_EDIT:
		return core_deploy_may_edit(p, t, err);
	case VERB_CANCEL:
		return core_deploy_may_close(p, t, STATUS_CANCELLED, err);
	case VERB_REJECT:
		return core_deploy_may_close(p, t, STATUS_REFUSED, err);
	case VERB_REVOKE:
		return core_deploy_may_withdraw(s, p, t, err);
	case VERB_CREATE:
	case VERB_COUNT:
		break;
	}
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("permission denied"));
}

size_t
core_incident_statuses(enum task_status out[STATUS_COUNT])
{
	out[0] = STATUS_PLANNED;
	out[1] = STATUS_IN_PROGRESS;
	out[2] = STATUS_SUCCEEDED;
	return 3;
}
