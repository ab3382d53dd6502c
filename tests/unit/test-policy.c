/* SPDX-License-Identifier: MIT */
/* The project's policy, table-driven, through the core's public API on a
 * temporary sandbox database: every policy key, set where it bites, x every
 * action (create, authorize, start, succeed) x every role (admin, admin
 * with an override, project manager, senior developer, developer, viewer,
 * outsider): allowed or refused, with the refusal's words, and nothing
 * written when refused. Then audit verify replays all of it.
 *
 * The expectations are written here from the words (#11) and the
 * spec's permission table, independently of src/core/core-rules.c. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "tap.h"

#define LOGS "ok\n"

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
 * both. */
enum op { OP_CREATE, OP_AUTHORIZE, OP_START, OP_SUCCEED, OP_FAIL, OP_COUNT };
static const char *const op_name[OP_COUNT] = {"create", "authorize", "start",
					      "succeed", "fail"};

/* What a case starts from, besides a deployment planned on PROD by the
 * admin. */
enum {
	P_BY_CHEF = 1,	  /* planned by the project manager instead */
	P_HIGH = 2,	  /* of high risk, with a back-out plan */
	P_ALICE = 4,	  /* approved by alice */
	P_ADMIN = 8,	  /* approved by the admin */
	P_STARTED = 16,	  /* started by the senior developer */
	P_RUNNING = 32,	  /* another deployment in progress on PROD */
	P_KEY_FIRST = 64, /* the key set before, and all of it 2 hours ago */
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
};

/* The spec's permission table: who may act at all, and the words of a
 * refusal to anyone else. */
static bool
permitted(enum actor a, enum op o)
{
	if (a == A_ADMIN || a == A_OVERRIDE)
		return true;
	return o == OP_CREATE || o == OP_AUTHORIZE ? a == A_CHEF
						   : a == A_SENIOR;
}

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
create_as(struct core_session *s, const char *version, bool high,
	  char id[UUID_SIZE], struct dd_error *err)
{
	struct core_project p;
	struct core_deploy_input in = {
	    .version = version,
	    .environment = "PROD",
	    .description = "Mise en production",
	    .responsible = "senior",
	    .planned = "2026-03-01 10:00",
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

/* A deployment as the row prepares it; the key set (before when the row
 * says so). */
static bool
prepare(const struct row *r, char id[UUID_SIZE])
{
	static int n;
	char version[32], other[UUID_SIZE];
	struct dd_error err = {0};
	enum dd_code c = DD_OK;
	time_t then = time(NULL) - 2 * 3600;

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
	snprintf(version, sizeof version, "p%d", ++n);
	if (!c)
		c = create_as(sess[r->prep & P_BY_CHEF ? A_CHEF : A_ADMIN],
			      version, r->prep & P_HIGH, id, &err);
	if (!c && (r->prep & P_ALICE))
		c = core_deploy_authorize(alice, id, 0, &err);
	if (!c && (r->prep & P_ADMIN))
		c = core_deploy_authorize(sess[A_ADMIN], id, 0, &err);
	if (!c && (r->prep & P_STARTED))
		c = core_deploy_start(sess[A_SENIOR], id, 0, &err);
	set_clocks(0);
	if (c) {
		printf("# preparing %s %s: %s: %s\n", r->key, op_name[r->op],
		       code_name(c), err.msg);
		return false;
	}
	return (r->prep & P_KEY_FIRST) || set_key(r->key, r->value);
}

static enum dd_code
act(enum actor a, enum op o, const char *id, struct dd_error *err)
{
	struct core_session *s = session(a);
	char new_id[UUID_SIZE], incident[UUID_SIZE];
	static int n;
	char version[32];
	enum dd_code c;

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
	default:
		c = core_deploy_fail(s, id, 0, LOGS, strlen(LOGS), incident,
				     err);
		break;
	}
	if (a == A_OVERRIDE)
		core_override_next(s, NULL, NULL);
	return c;
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
	if (!prepare(r, id)) {
		ok(0, "%s: prepared", what);
		return;
	}
	/* The spec's table first; then the policy; an override passes the
	 * policy's refusals only, and is itself refused where nothing
	 * refuses. */
	if (!permitted(a, o)) {
		want = DD_ERR_PERM;
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
	ok(got == want && (!words || strstr(err.msg, words)),
	   "%s: %s%s%s (got %s%s%s)", what, code_name(want), words ? ", " : "",
	   words ? words : "", code_name(got), got ? ": " : "",
	   got ? err.msg : "");
	ok(got ? audit_count() == before : audit_count() > before, "%s: %s",
	   what, got ? "nothing written" : "written with its audit records");
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
				if (table[i].op == OP_CREATE && a == A_OVERRIDE)
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
