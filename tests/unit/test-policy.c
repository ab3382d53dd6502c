/* SPDX-License-Identifier: MIT */
/* The project's policy, table-driven, through the core's public API on a
 * temporary sandbox database: every policy key, set where it bites, x every
 * action (create, authorize, start, succeed, fail; and #11's others: edit,
 * cancel, reject, revoke another's approval or one's own, rollback,
 * exception review) x every role (admin, admin with an override, project
 * manager, senior developer, developer, viewer, outsider): allowed or
 * refused, with the refusal's words, and nothing written when refused; an
 * allowed action of #11's others is checked to have done what it says.
 * Then audit verify replays all of it.
 *
 * The expectations are written here from the words (#11) and the
 * spec's permission table, independently of src/core/core-rules.c: edit,
 * cancel and rollback by whoever may create; reject by whoever may
 * authorize; revoke: one's own approval, and a project manager or an admin
 * any; an exception reviewed by someone other than the admin who overrode,
 * with the right to authorize. An override is asked for with authorize,
 * start, succeed and fail only (--override, core_override_next): the others
 * are not run with one. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "tap.h"
#include "util/strbuf.h"

#define LOGS "ok\n"
#define REASON "Motif : plan revu avec le métier"
#define NEW_DESCRIPTION "Plan changé"

static char tmpdir[64];
static char db_path[128];

enum actor {
	A_ADMIN,    /* the OS account: an admin, not a member */
	A_OVERRIDE, /* the same admin, with --override */
	A_CHEF,	    /* the project manager */
	A_SENIOR,   /* a senior developer */
	A_DEV,	    /* a developer */
	A_VIEWER,   /* a viewer */
	A_OUTSIDER, /* registered, not a member */
	A_COUNT
};
static const char *const actor_name[A_COUNT] = {
    "admin", "admin --override", "chef", "senior", "dev", "viewer", "outsider",
};
/* Sessions: one per person (the override uses the admin's); alice is a
 * second admin who gives the approvals a case starts from. */
static struct core_session *sess[A_COUNT], *alice;

/* Succeed and fail are the execution: a row of OP_SUCCEED is run for
 * both. From OP_EDIT on, #11's other actions: edit (the description),
 * cancel, reject, revoke alice's approval, revoke one's own, rollback (of a
 * failed deployment), review (the exception of an override). */
enum op {
	OP_CREATE,
	OP_AUTHORIZE,
	OP_START,
	OP_SUCCEED,
	OP_FAIL,
	OP_EDIT,
	OP_CANCEL,
	OP_REJECT,
	OP_REVOKE,
	OP_REVOKE_OWN,
	OP_ROLLBACK,
	OP_REVIEW,
	OP_COUNT
};
static const char *const op_name[OP_COUNT] = {
    "create",	      "authorize",  "start",	"succeed",
    "fail",	      "edit",	    "cancel",	"reject",
    "revoke alice's", "revoke own", "rollback", "review"};

/* What a case starts from, besides a deployment planned on PROD by the
 * admin. */
enum {
	P_BY_CHEF = 1,	    /* planned by the project manager instead */
	P_HIGH = 2,	    /* of high risk, with a back-out plan */
	P_ALICE = 4,	    /* approved by alice */
	P_ADMIN = 8,	    /* approved by the admin */
	P_STARTED = 16,	    /* started by the senior developer */
	P_RUNNING = 32,	    /* another deployment in progress on PROD */
	P_KEY_FIRST = 64,   /* the key set before, and all of it 2 hours ago */
	P_OWN = 128,	    /* approved by the acting person, if they may */
	P_FAILED = 256,	    /* executed and failed, after a success on PROD */
	P_EXC = 512,	    /* started by the admin's override: an exception */
	P_EXC_ALICE = 1024, /* the same, by alice's override */
};

/* One row of the table: a key's value, an action on a deployment
 * prepared so, who of those the spec lets act the policy refuses, and
 * with what. */
struct row {
	const char *key, *value;
	enum op op;
	unsigned prep;
	unsigned refused; /* 1 << actor */
	enum dd_code code;
	const char *words;
};

#define R(a) (1u << (a))
#define ADMIN R(A_ADMIN)
#define CHEF R(A_CHEF)
#define SENIOR R(A_SENIOR)

/* #11's other actions, for every key. Who may at all is the (see
 * permitted() below); a key refuses only where the issue says it bites:
 * plan-required wants a risk level and a back-out plan of the plan as
 * edited and of a rollback planned, as of any plan. The admin who overrode
 * may not review the exception (OWN_OVERRIDE), whatever the key. */
#define OWN_OVERRIDE                                                           \
	"is your own override: someone else who may authorize in project ERP " \
	"reviews it"
/* clang-format off */
#define OTHERS(key, value)                                                     \
	{key, value, OP_EDIT, P_ALICE, 0, DD_OK, NULL},                        \
	{key, value, OP_CANCEL, 0, 0, DD_OK, NULL},                            \
	{key, value, OP_REJECT, 0, 0, DD_OK, NULL},                            \
	{key, value, OP_REVOKE, P_ALICE, 0, DD_OK, NULL},                      \
	{key, value, OP_REVOKE_OWN, P_OWN, 0, DD_OK, NULL},                    \
	{key, value, OP_ROLLBACK, P_FAILED, 0, DD_OK, NULL},                   \
	{key, value, OP_REVIEW, P_EXC, ADMIN, DD_ERR_PERM, OWN_OVERRIDE}
/* clang-format on */

static const struct row table[] = {
    /* approvals: distinct approvers needed before execution. */
    {"approvals", "2", OP_CREATE, 0, 0, DD_OK, NULL},
    {"approvals", "2", OP_AUTHORIZE, P_ALICE, 0, DD_OK, NULL},
    {"approvals", "2", OP_START, P_ALICE, ADMIN | SENIOR, DD_ERR_REFUSED,
     "is not authorized: PROD needs 2 approvals; 1 given: Alice Admin"},
    {"approvals", "2", OP_SUCCEED, P_ALICE | P_STARTED, 0, DD_OK, NULL},
    /* creator-approves no: the creator may not be an approver. */
    {"creator-approves", "no", OP_CREATE, 0, 0, DD_OK, NULL},
    {"creator-approves", "no", OP_AUTHORIZE, 0, ADMIN, DD_ERR_PERM,
     "PROD: the creator of a deployment may not approve it (policy "
     "creator-approves no)"},
    {"creator-approves", "no", OP_AUTHORIZE, P_BY_CHEF, CHEF, DD_ERR_PERM,
     "PROD: the creator of a deployment may not approve it (policy "
     "creator-approves no)"},
    {"creator-approves", "no", OP_START, P_BY_CHEF | P_ALICE, 0, DD_OK, NULL},
    {"creator-approves", "no", OP_SUCCEED, P_BY_CHEF | P_ALICE | P_STARTED, 0,
     DD_OK, NULL},
    /* approver-executes no: who approved may not execute. */
    {"approver-executes", "no", OP_CREATE, 0, 0, DD_OK, NULL},
    {"approver-executes", "no", OP_AUTHORIZE, 0, 0, DD_OK, NULL},
    {"approver-executes", "no", OP_START, P_ADMIN, ADMIN, DD_ERR_PERM,
     "PROD: who approved a deployment may not execute it (policy "
     "approver-executes no)"},
    {"approver-executes", "no", OP_SUCCEED, P_ADMIN | P_STARTED, ADMIN,
     DD_ERR_PERM,
     "PROD: who approved a deployment may not execute it (policy "
     "approver-executes no)"},
    /* approval-hours 1: an approval of 2 hours ago no longer counts. */
    {"approval-hours", "1", OP_CREATE, 0, 0, DD_OK, NULL},
    {"approval-hours", "1", OP_AUTHORIZE, P_KEY_FIRST | P_ALICE, 0, DD_OK,
     NULL},
    {"approval-hours", "1", OP_START, P_KEY_FIRST | P_ALICE, ADMIN | SENIOR,
     DD_ERR_REFUSED,
     "is not authorized: PROD needs 1 approval; 0 given; expired: Alice "
     "Admin"},
    {"approval-hours", "1", OP_SUCCEED, P_KEY_FIRST | P_ALICE | P_STARTED, 0,
     DD_OK, NULL},
    /* promotion: the version succeeded on PREPROD first. */
    {"promotion", "yes", OP_CREATE, 0, 0, DD_OK, NULL},
    {"promotion", "yes", OP_AUTHORIZE, 0, 0, DD_OK, NULL},
    {"promotion", "yes", OP_START, P_ALICE, ADMIN | SENIOR, DD_ERR_REFUSED,
     "has not succeeded on PREPROD yet (policy promotion yes)"},
    {"promotion", "yes", OP_SUCCEED, P_ALICE | P_STARTED, 0, DD_OK, NULL},
    /* one-at-a-time: at most one deployment in progress on PROD. */
    {"one-at-a-time", "yes", OP_CREATE, P_RUNNING, 0, DD_OK, NULL},
    {"one-at-a-time", "yes", OP_AUTHORIZE, P_RUNNING, 0, DD_OK, NULL},
    {"one-at-a-time", "yes", OP_START, P_ALICE | P_RUNNING, ADMIN | SENIOR,
     DD_ERR_REFUSED,
     "is already in progress there (policy one-at-a-time "
     "yes)"},
    {"one-at-a-time", "yes", OP_SUCCEED, P_ALICE | P_STARTED | P_RUNNING, 0,
     DD_OK, NULL},
    /* plan-required: a risk level and a back-out plan. */
    {"plan-required", "yes", OP_CREATE, 0, ADMIN | CHEF, DD_ERR_INPUT,
     "risk: required on PROD (policy plan-required yes)"},
    {"plan-required", "yes", OP_AUTHORIZE, 0, ADMIN | CHEF, DD_ERR_REFUSED,
     "has neither a risk level nor a back-out plan, which the policy "
     "requires (plan-required yes)"},
    {"plan-required", "yes", OP_AUTHORIZE, P_HIGH, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_START, P_ALICE, ADMIN | SENIOR, DD_ERR_REFUSED,
     "has neither a risk level nor a back-out plan, which the policy "
     "requires (plan-required yes)"},
    {"plan-required", "yes", OP_SUCCEED, P_ALICE | P_STARTED, 0, DD_OK, NULL},
    /* high-risk-approvals 1: one more approval for a high risk. */
    {"high-risk-approvals", "1", OP_CREATE, 0, 0, DD_OK, NULL},
    {"high-risk-approvals", "1", OP_AUTHORIZE, P_HIGH | P_ALICE, 0, DD_OK,
     NULL},
    {"high-risk-approvals", "1", OP_START, P_HIGH | P_ALICE, ADMIN | SENIOR,
     DD_ERR_REFUSED,
     "is not authorized: PROD needs 2 approvals for a high-risk "
     "deployment; 1 given: Alice Admin"},
    {"high-risk-approvals", "1", OP_START, P_ALICE, 0, DD_OK, NULL},
    {"high-risk-approvals", "1", OP_SUCCEED, P_HIGH | P_ALICE | P_STARTED, 0,
     DD_OK, NULL},
    /* #11's other actions (OTHERS above), and where a key bites. */
    OTHERS("approvals", "2"),
    /* Of two approvals, one is withdrawn; another admin reviews alice's
     * override. */
    {"approvals", "2", OP_REVOKE, P_KEY_FIRST | P_ALICE | P_ADMIN, 0, DD_OK,
     NULL},
    {"approvals", "2", OP_REVIEW, P_EXC_ALICE, 0, DD_OK, NULL},
    /* One's own approval, when only alice's stands: there is none to
     * withdraw, for anyone. */
    {"approvals", "2", OP_REVOKE_OWN, P_ALICE, ADMIN | CHEF, DD_ERR_REFUSED,
     "you have no approval of deployment"},
    OTHERS("creator-approves", "no"),
    /* Refusing is not approving: its creator may refuse it. */
    {"creator-approves", "no", OP_REJECT, P_BY_CHEF, 0, DD_OK, NULL},
    {"creator-approves", "no", OP_REVOKE_OWN, P_OWN | P_BY_CHEF, 0, DD_OK,
     NULL},
    OTHERS("approver-executes", "no"),
    OTHERS("approval-hours", "1"),
    /* An expired approval is still one the deployment had: withdrawn by an
     * edit, and by its approver or a manager. */
    {"approval-hours", "1", OP_EDIT, P_KEY_FIRST | P_ALICE, 0, DD_OK, NULL},
    {"approval-hours", "1", OP_REVOKE, P_KEY_FIRST | P_ALICE, 0, DD_OK, NULL},
    {"approval-hours", "1", OP_REVOKE_OWN, P_KEY_FIRST | P_OWN, 0, DD_OK, NULL},
    OTHERS("promotion", "yes"),
    OTHERS("one-at-a-time", "yes"),
    {"one-at-a-time", "yes", OP_ROLLBACK, P_FAILED | P_RUNNING, 0, DD_OK, NULL},
    {"one-at-a-time", "yes", OP_CANCEL, P_ALICE | P_RUNNING, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_EDIT, P_ALICE, ADMIN | CHEF, DD_ERR_INPUT,
     "risk: required on PROD (policy plan-required yes)"},
    {"plan-required", "yes", OP_EDIT, P_HIGH | P_ALICE, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_CANCEL, 0, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_REJECT, 0, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_REVOKE, P_ALICE, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_REVOKE_OWN, P_OWN, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_ROLLBACK, P_FAILED, ADMIN | CHEF, DD_ERR_INPUT,
     "risk: required on PROD (policy plan-required yes)"},
    {"plan-required", "yes", OP_ROLLBACK, P_FAILED | P_HIGH, 0, DD_OK, NULL},
    {"plan-required", "yes", OP_REVIEW, P_EXC, ADMIN, DD_ERR_PERM,
     OWN_OVERRIDE},
    OTHERS("high-risk-approvals", "1"),
    {"high-risk-approvals", "1", OP_EDIT, P_HIGH | P_ALICE, 0, DD_OK, NULL},
    {"high-risk-approvals", "1", OP_REVOKE, P_HIGH | P_ALICE, 0, DD_OK, NULL},
    {"high-risk-approvals", "1", OP_ROLLBACK, P_FAILED | P_HIGH, 0, DD_OK,
     NULL},
};

/* The spec's permission table, and the for its other actions: who
 * may act at all, and the code and words of a refusal to anyone else. Only
 * those who may authorize have an approval of their own to withdraw. */
static bool
permitted(enum actor a, enum op o)
{
	if (a == A_ADMIN || a == A_OVERRIDE)
		return true;
	switch (o) {
	case OP_START:
	case OP_SUCCEED:
	case OP_FAIL:
		return a == A_SENIOR;
	default:
		return a == A_CHEF;
	}
}

static const enum dd_code permission_code[OP_COUNT] = {
    DD_ERR_PERM, DD_ERR_PERM,	 DD_ERR_PERM, DD_ERR_PERM,
    DD_ERR_PERM, DD_ERR_PERM,	 DD_ERR_PERM, DD_ERR_PERM,
    DD_ERR_PERM, DD_ERR_REFUSED, DD_ERR_PERM, DD_ERR_PERM,
};

static const char *const permission_words[OP_COUNT] = {
    "only an admin or the project manager of project ERP may create a "
    "deployment",
    "only an admin or the project manager of project ERP may authorize a "
    "deployment",
    "only an admin or a senior developer of project ERP may start a "
    "deployment",
    "only an admin or a senior developer of project ERP may execute a "
    "deployment",
    "only an admin or a senior developer of project ERP may execute a "
    "deployment",
    "only an admin or the project manager of project ERP may change a "
    "deployment's plan",
    "only an admin or the project manager of project ERP may cancel a "
    "deployment",
    "only an admin or the project manager of project ERP may refuse a "
    "deployment",
    "only an admin or the project manager of project ERP may withdraw "
    "another person's approval",
    "no approval",
    "only an admin or the project manager of project ERP may create a "
    "deployment",
    "only an admin or the project manager of project ERP may review "
    "exception",
};

/* The default of each key: what a case puts back. */
static const char *
default_of(const char *key)
{
	static const char *const d[][2] = {
	    {"approvals", "1"},		  {"creator-approves", "yes"},
	    {"approver-executes", "yes"}, {"approval-hours", "0"},
	    {"promotion", "no"},	  {"one-at-a-time", "no"},
	    {"plan-required", "no"},	  {"high-risk-approvals", "0"},
	};

	for (size_t i = 0; i < sizeof d / sizeof *d; i++)
		if (!strcmp(d[i][0], key))
			return d[i][1];
	return "?";
}

static struct core_session *
session(enum actor a)
{
	return sess[a == A_OVERRIDE ? A_ADMIN : a];
}

static int64_t
audit_count(void)
{
	struct audit_list l;
	struct dd_error err = {0};
	int64_t n = 0, after = 0;
	size_t got;

	do {
		if (core_audit_page(sess[A_ADMIN], NULL, NULL, after, 1000, &l,
				    &err) != DD_OK)
			return -1;
		n += (int64_t)l.count;
		if (l.count)
			after = l.items[l.count - 1].seq;
		got = l.count;
		audit_list_free(&l);
	} while (got == 1000);
	return n;
}

static enum dd_code
create_at(struct core_session *s, const char *version, bool high,
	  const char *planned, char id[UUID_SIZE], struct dd_error *err)
{
	struct core_project p;
	struct core_deploy_input in = {
	    .version = version,
	    .environment = "PROD",
	    .description = "Mise en production",
	    .responsible = "senior",
	    .planned = planned,
	    .risk = high ? "high" : NULL,
	    .backout_plan = high ? "Redéployer la version d'avant" : NULL,
	};
	enum dd_code c = core_project_open(s, "ERP", &p, err);

	if (c)
		return c;
	c = core_deploy_create(s, &p, &in, id, NULL, err);
	core_project_free(&p);
	return c;
}

static enum dd_code
create_as(struct core_session *s, const char *version, bool high,
	  char id[UUID_SIZE], struct dd_error *err)
{
	return create_at(s, version, high, "2026-03-01 10:00", id, err);
}

static bool
set_key(const char *key, const char *value)
{
	struct dd_error err = {0};
	enum dd_code c =
	    core_policy_set(sess[A_ADMIN], "ERP", "PROD", key, value, &err);

	if (c)
		printf("# policy set %s %s: %s\n", key, value, err.msg);
	return c == DD_OK;
}

/* Every session's clock (0: the system's). */
static void
set_clocks(time_t at)
{
	for (int a = 0; a < A_COUNT; a++)
		if (sess[a])
			core_clock_set(sess[a], at);
	core_clock_set(alice, at);
}

/* What a case prepared, for the action and its checks: the version a
 * rollback plans (P_FAILED), the exception to review (P_EXC), whether the
 * deployment had an approval. */
static char rollback_to[32];
static int64_t exception_id;
static bool had_approval;

/* A time later than any before it, a minute apart, from a day ahead: the
 * executions a rollback chooses between (the last success by the time of
 * execution) are told apart by it. */
static time_t
later_tick(void)
{
	static time_t next;

	if (!next)
		next = time(NULL) + 86400;
	return next += 60;
}

static bool
may_authorize(enum actor a)
{
	return a == A_ADMIN || a == A_OVERRIDE || a == A_CHEF;
}

/* A deployment as the row prepares it for the actor a; the key set (before
 * when the row says so). */
static bool
prepare(const struct row *r, enum actor a, char id[UUID_SIZE])
{
	static int n, day;
	char version[32], other[UUID_SIZE], planned[32], incident[UUID_SIZE];
	struct dd_error err = {0};
	enum dd_code c = DD_OK;
	time_t then = time(NULL) - 2 * 3600;
	struct core_session *opener =
	    r->prep & P_EXC_ALICE ? alice : sess[A_ADMIN];
	struct strbuf rules = STRBUF_INIT;

	if ((r->prep & P_KEY_FIRST) && !set_key(r->key, r->value))
		return false;
	if (r->prep & P_KEY_FIRST)
		set_clocks(then);
	if (r->prep & P_RUNNING) {
		snprintf(version, sizeof version, "o%d", ++n);
		c = create_as(sess[A_ADMIN], version, false, other, &err);
		if (!c)
			c = core_deploy_authorize(alice, other, 0, &err);
		if (!c)
			c = core_deploy_start(sess[A_SENIOR], other, 0, &err);
	}
	/* A failed deployment, and the version that succeeded on PROD just
	 * before it was executed (on the test's later clock: the last success
	 * by the time of execution), which its rollback plans. */
	if (!c && (r->prep & P_FAILED)) {
		day++;
		snprintf(rollback_to, sizeof rollback_to, "s%d", ++n);
		snprintf(planned, sizeof planned, "2027-%02d-%02d 09:00",
			 day / 28 + 1, day % 28 + 1);
		c = create_at(sess[A_ADMIN], rollback_to, false, planned, other,
			      &err);
		if (!c)
			c = core_deploy_authorize(alice, other, 0, &err);
		if (!c)
			c = core_deploy_start(sess[A_SENIOR], other, 0, &err);
		set_clocks(later_tick());
		if (!c)
			c = core_deploy_succeed(sess[A_SENIOR], other, 0, LOGS,
						strlen(LOGS), &err);
		set_clocks(r->prep & P_KEY_FIRST ? then : 0);
		snprintf(planned, sizeof planned, "2027-%02d-%02d 10:00",
			 day / 28 + 1, day % 28 + 1);
	} else
		snprintf(planned, sizeof planned, "2026-03-01 10:00");
	snprintf(version, sizeof version, "p%d", ++n);
	if (!c)
		c = create_at(sess[r->prep & P_BY_CHEF ? A_CHEF : A_ADMIN],
			      version, r->prep & P_HIGH, planned, id, &err);
	if (!c && (r->prep & P_ALICE))
		c = core_deploy_authorize(alice, id, 0, &err);
	if (!c && (r->prep & P_ADMIN))
		c = core_deploy_authorize(sess[A_ADMIN], id, 0, &err);
	if (!c && (r->prep & P_OWN) && may_authorize(a))
		c = core_deploy_authorize(session(a), id, 0, &err);
	had_approval = (r->prep & (P_ALICE | P_ADMIN)) ||
		       ((r->prep & P_OWN) && may_authorize(a));
	if (!c && (r->prep & (P_STARTED | P_FAILED))) {
		if (!(r->prep & (P_ALICE | P_ADMIN | P_OWN)))
			c = core_deploy_authorize(alice, id, 0, &err);
		if (!c)
			c = core_deploy_start(sess[A_SENIOR], id, 0, &err);
	}
	if (!c && (r->prep & P_FAILED)) {
		set_clocks(later_tick());
		c = core_deploy_fail(sess[A_SENIOR], id, 0, LOGS, strlen(LOGS),
				     incident, &err);
		set_clocks(r->prep & P_KEY_FIRST ? then : 0);
	}
	if (!c && (r->prep & (P_EXC | P_EXC_ALICE))) {
		c = core_override_next(opener, "Urgence : correctif", &err);
		if (!c)
			c = core_deploy_start(opener, id, 0, &err);
		exception_id = c ? 0 : core_last_exception(opener, &rules);
		if (!c && !exception_id)
			c = dd_fail(&err, DD_ERR_RUNTIME,
				    "no exception opened");
	}
	strbuf_release(&rules);
	set_clocks(0);
	if (c) {
		printf("# preparing %s %s: %s: %s\n", r->key, op_name[r->op],
		       code_name(c), err.msg);
		return false;
	}
	return (r->prep & P_KEY_FIRST) || set_key(r->key, r->value);
}

/* What the action did, for its checks: a plan's approvals withdrawn by
 * an edit, the rollback planned. */
static bool withdrew;
static char rollback_id[UUID_SIZE];

static enum dd_code
act(enum actor a, enum op o, const char *id, struct dd_error *err)
{
	struct core_session *s = session(a);
	char new_id[UUID_SIZE], incident[UUID_SIZE];
	static int n;
	char version[32];
	enum dd_code c;
	struct core_deploy_input edit = {.description = NEW_DESCRIPTION};

	if (a == A_OVERRIDE) {
		c = core_override_next(s, "Urgence : correctif de sécurité",
				       err);
		if (c)
			return c;
	}
	switch (o) {
	case OP_CREATE:
		snprintf(version, sizeof version, "c%d", ++n);
		c = create_as(s, version, false, new_id, err);
		break;
	case OP_AUTHORIZE:
		c = core_deploy_authorize(s, id, 0, err);
		break;
	case OP_START:
		c = core_deploy_start(s, id, 0, err);
		break;
	case OP_SUCCEED:
		c = core_deploy_succeed(s, id, 0, LOGS, strlen(LOGS), err);
		break;
	case OP_FAIL:
		c = core_deploy_fail(s, id, 0, LOGS, strlen(LOGS), incident,
				     err);
		break;
	case OP_EDIT:
		withdrew = false;
		c = core_deploy_edit(s, id, 0, &edit, &withdrew, err);
		break;
	case OP_CANCEL:
		c = core_deploy_close(s, id, 0, STATUS_CANCELLED, REASON, err);
		break;
	case OP_REJECT:
		c = core_deploy_close(s, id, 0, STATUS_REFUSED, REASON, err);
		break;
	case OP_REVOKE:
		c = core_deploy_revoke(s, id, 0, "alice", REASON, err);
		break;
	case OP_REVOKE_OWN:
		c = core_deploy_revoke(s, id, 0, NULL, REASON, err);
		break;
	case OP_ROLLBACK:
		memset(rollback_id, 0, sizeof rollback_id);
		c = core_deploy_rollback(s, id, rollback_id, err);
		break;
	default:
		c = core_exception_review(s, exception_id, REASON, err);
		break;
	}
	if (a == A_OVERRIDE)
		core_override_next(s, NULL, NULL);
	return c;
}

/* Whether login is among the approvals of deployment id (standing or
 * expired); -1 when they cannot be read. */
static int
approved_by(const char *id, const char *login)
{
	struct dd_error err = {0};
	struct core_approvals ap = {0};
	struct core_project p;
	struct task t;
	int found = -1;

	if (core_deploy_find(sess[A_ADMIN], id, &t, &err))
		return -1;
	if (!core_project_open(sess[A_ADMIN], t.project_id, &p, &err)) {
		if (!core_deploy_approvals(sess[A_ADMIN], &p, &t, &ap, &err)) {
			found = 0;
			for (size_t i = 0; i < ap.list.count; i++)
				if (!strcmp(ap.list.items[i].by.login, login))
					found = 1;
			core_approvals_free(&ap);
		}
		core_project_free(&p);
	}
	task_free(&t);
	return found;
}

static bool
same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* What an allowed action of #11's others did, said into what. */
static bool
done(enum op o, enum actor a, const char *id, char *what, size_t size)
{
	const char *me = core_me(session(a))->login;
	struct dd_error err = {0};
	struct exception_list el = {0};
	struct task t;
	bool good = false;

	switch (o) {
	case OP_EDIT:
		snprintf(what, size,
			 "the plan changed, %s approval withdrawn (said so)",
			 had_approval ? "its" : "no");
		if (core_deploy_find(sess[A_ADMIN], id, &t, &err))
			return false;
		good = same(t.description, NEW_DESCRIPTION) &&
		       t.status == STATUS_PLANNED && !t.authorized_by.id &&
		       withdrew == had_approval &&
		       approved_by(id, "alice") == 0 &&
		       approved_by(id, me) == 0;
		task_free(&t);
		return good;
	case OP_CANCEL:
	case OP_REJECT:
		snprintf(what, size, "%s by %s, with the reason",
			 o == OP_CANCEL ? "ANNULEE" : "REFUSEE", me);
		if (core_deploy_find(sess[A_ADMIN], id, &t, &err))
			return false;
		good =
		    t.status ==
			(o == OP_CANCEL ? STATUS_CANCELLED : STATUS_REFUSED) &&
		    same(t.closed_by.login, me) && same(t.close_reason, REASON);
		task_free(&t);
		return good;
	case OP_REVOKE:
	case OP_REVOKE_OWN:
		snprintf(what, size, "%s's approval withdrawn",
			 o == OP_REVOKE ? "alice" : me);
		return approved_by(id, o == OP_REVOKE ? "alice" : me) == 0;
	case OP_ROLLBACK:
		snprintf(what, size, "%s planned on PROD, linked to it",
			 rollback_to);
		if (core_deploy_find(sess[A_ADMIN], rollback_id, &t, &err))
			return false;
		good = t.status == STATUS_PLANNED &&
		       same(t.version, rollback_to) &&
		       t.environment == ENV_PROD && !strcmp(t.rollback_of, id);
		task_free(&t);
		return good;
	case OP_REVIEW:
		snprintf(what, size,
			 "exception %lld reviewed by %s, the note kept",
			 (long long)exception_id, me);
		if (core_exception_list(sess[A_ADMIN], "ERP", false, &el, &err))
			return false;
		for (size_t i = 0; i < el.count; i++)
			if (el.items[i].id == exception_id)
				good =
				    same(el.items[i].reviewed_by.login, me) &&
				    same(el.items[i].review_note, REASON);
		exception_list_free(&el);
		return good;
	default:
		break;
	}
	return false;
}

static void
cell(const struct row *r, enum op o, enum actor a)
{
	char id[UUID_SIZE], what[160];
	struct dd_error err = {0};
	enum dd_code want = DD_OK, got;
	const char *words = NULL;
	int64_t before;

	snprintf(what, sizeof what, "%s %s: %s %s", r->key, r->value,
		 actor_name[a], op_name[o]);
	if (!prepare(r, a, id)) {
		ok(0, "%s: prepared", what);
		return;
	}
	/* The spec's table first; then the policy; an override passes the
	 * policy's refusals only, and is itself refused where nothing
	 * refuses. */
	if (!permitted(a, o)) {
		want = permission_code[o];
		words = permission_words[o];
	} else if (r->refused & R(a == A_OVERRIDE ? A_ADMIN : a)) {
		if (a != A_OVERRIDE || o == OP_CREATE) {
			want = r->code;
			words = r->words;
		}
	} else if (a == A_OVERRIDE && o != OP_CREATE) {
		want = DD_ERR_INPUT;
		words = "nothing to override";
	}
	before = audit_count();
	got = act(a, o, id, &err);
	/* Someone who may not approve, withdrawing their own approval (none)
	 * of a deployment someone else approved: refused because they have
	 * none, not in the words of withdrawing another person's, which they
	 * did not ask for. */
	if (o == OP_REVOKE_OWN && !may_authorize(a) && (r->prep & P_ALICE))
		words = "you have no approval of deployment";
	ok(got == want && (!words || strstr(err.msg, words)),
	   "%s: %s%s%s (got %s%s%s)", what, code_name(want), words ? ", " : "",
	   words ? words : "", code_name(got), got ? ": " : "",
	   got ? err.msg : "");
	ok(got ? audit_count() == before : audit_count() > before, "%s: %s",
	   what, got ? "nothing written" : "written with its audit records");
	if (o >= OP_EDIT && want == DD_OK) {
		char effect[160];
		bool good = done(o, a, id, effect, sizeof effect);

		ok(good, "%s: %s", what, effect);
	}
	set_key(r->key, default_of(r->key));
}

static bool
setup(void)
{
	static const char *const users[][2] = {
	    {"chef", "Chef de Projet"},		 {"dev", "Développeur"},
	    {"senior", "Développeur Senior"},	 {"viewer", "Observatrice"},
	    {"outsider", "Personne Extérieure"},
	};
	static const enum actor as[] = {A_CHEF, A_DEV, A_SENIOR, A_VIEWER,
					A_OUTSIDER};
	struct dd_error err = {0};
	bool good;

	good = core_init(db_path, &(struct core_init_options){.sandbox = true},
			 &err) == DD_OK &&
	       core_open(db_path, NULL, false, &sess[A_ADMIN], &err) == DD_OK;
	for (size_t i = 0; good && i < sizeof users / sizeof *users; i++)
		good = core_user_add(sess[A_ADMIN], users[i][0], users[i][1],
				     false, &err) == DD_OK;
	good = good &&
	       core_user_add(sess[A_ADMIN], "alice", "Alice Admin", true,
			     &err) == DD_OK &&
	       core_project_add(sess[A_ADMIN], "ERP", "Progiciel", &err) ==
		   DD_OK &&
	       core_member_add(sess[A_ADMIN], "ERP", "chef", ROLE_MANAGER,
			       false, &err) == DD_OK &&
	       core_member_add(sess[A_ADMIN], "ERP", "dev", ROLE_DEVELOPER,
			       false, &err) == DD_OK &&
	       core_member_add(sess[A_ADMIN], "ERP", "senior", ROLE_DEVELOPER,
			       true, &err) == DD_OK &&
	       core_member_add(sess[A_ADMIN], "ERP", "viewer", ROLE_OTHER,
			       false, &err) == DD_OK &&
	       core_stage_set(sess[A_ADMIN], "ERP", STAGE_TESTS,
			      STATUS_SUCCEEDED, &err) == DD_OK &&
	       core_open(db_path, "alice", false, &alice, &err) == DD_OK;
	for (size_t i = 0; good && i < sizeof as / sizeof *as; i++)
		good = core_open(db_path, users[i][0], false, &sess[as[i]],
				 &err) == DD_OK;
	ok(good, "a sandbox: ERP, its TESTS finished, its people (%s)",
	   good ? "" : err.msg);
	return good;
}

int
main(void)
{
	struct core_audit_report rep;
	struct dd_error err = {0};
	enum dd_code c;

	setenv("TZ", "UTC", 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dd-test-policy-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(db_path, sizeof db_path, "%s/sandbox.db", tmpdir);
	if (setup()) {
		for (size_t i = 0; i < sizeof table / sizeof *table; i++)
			for (int a = 0; a < A_COUNT; a++) {
				if ((table[i].op == OP_CREATE ||
				     table[i].op >= OP_EDIT) &&
				    a == A_OVERRIDE)
					continue;
				cell(&table[i], table[i].op, (enum actor)a);
				if (table[i].op == OP_SUCCEED)
					cell(&table[i], OP_FAIL, (enum actor)a);
			}
		c = core_audit_verify(sess[A_ADMIN], NULL, &rep, &err);
		ok(c == DD_OK && rep.intact,
		   "audit verify replays every decision of the table: intact "
		   "(%lld records; %s)",
		   (long long)rep.records, c ? err.msg : rep.problem);
	}
	for (int a = 0; a < A_COUNT; a++)
		if (sess[a] && a != A_OVERRIDE)
			core_close(sess[a]);
	if (alice)
		core_close(alice);
	remove_dir(tmpdir);
	return tap_done();
}
