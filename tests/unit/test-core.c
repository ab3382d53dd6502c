/* SPDX-License-Identifier: MIT */
/* Tests of the workflow core through its public API (core.h) only, on real
 * temporary sandbox databases: the spec's permission table, every transition
 * for every role and every deployment state, the incident a failure opens,
 * the statistics, optimistic concurrency, validation, the audit trail and
 * the sandbox rule.
 *
 * The expected results are written here from /work/shared/spec/README.md,
 * independently of src/core/core-rules.c. */
#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/model-internal.h"
#include "sandbox.h"
#include "tap.h"

#define PLANNED_AT "2026-03-01 10:00"
#define LOGS "step 1/3 ok\nstep 2/3: connexion refusée (é€)\nexit 1\n"

static char tmpdir[64];
static char file_path[128];
static char pg_location[512];
/* The database the checks run on: file_path, or pg_location. */
static char *db_path = file_path;

/* The people of the matrix. */
enum actor {
	A_ADMIN,    /* the OS account (root here): global admin, not a member */
	A_CHEF,	    /* ROLE_MANAGER */
	A_DEV,	    /* ROLE_DEVELOPER, not senior */
	A_SENIOR,   /* ROLE_DEVELOPER, senior */
	A_VIEWER,   /* ROLE_OTHER */
	A_OUTSIDER, /* registered, not a member */
	A_COUNT
};
static const char *const actor_name[A_COUNT] = {
    "admin", "chef", "dev", "senior", "viewer", "outsider",
};
static struct core_session *sess[A_COUNT];

/* The operations of the matrix. */
enum op { OP_CREATE, OP_AUTHORIZE, OP_START, OP_SUCCEED, OP_FAIL, OP_COUNT };
static const char *const op_name[OP_COUNT] = {
    "create", "authorize", "start", "succeed", "fail",
};

/* The starting states of a deployment. */
enum state {
	ST_PLANNED,    /* A_FAIRE, not authorized */
	ST_AUTHORIZED, /* A_FAIRE, authorized */
	ST_IN_PROGRESS,
	ST_SUCCEEDED,
	ST_FAILED,
	ST_COUNT
};
static const char *const state_name[ST_COUNT] = {
    "planned-unauthorized",
    "planned-authorized",
    "in-progress",
    "succeeded",
    "failed",
};

static const char *
login_of(enum actor a)
{
	return core_me(sess[a])->login;
}

/* ---- The oracle: the spec's rules, as this test reads them. ---- */

/* Permission table: create and authorize are admin or project manager;
 * execute (start, succeed, fail) is admin or senior developer. */
static bool
oracle_may(enum actor a, enum op o)
{
	switch (o) {
	case OP_CREATE:
	case OP_AUTHORIZE:
		return a == A_ADMIN || a == A_CHEF;
	case OP_START:
	case OP_SUCCEED:
	case OP_FAIL:
		return a == A_ADMIN || a == A_SENIOR;
	case OP_COUNT:
		break;
	}
	return false;
}

/* Permission first, then the state of the deployment. */
static enum dd_code
oracle(enum actor a, enum op o, enum state st)
{
	bool authorized = st != ST_PLANNED;
	bool planned = st == ST_PLANNED || st == ST_AUTHORIZED;
	bool executed = st == ST_SUCCEEDED || st == ST_FAILED;

	if (!oracle_may(a, o))
		return DD_ERR_PERM;
	switch (o) {
	case OP_CREATE:
		return DD_OK;
	case OP_AUTHORIZE:
		return authorized || !planned ? DD_ERR_REFUSED : DD_OK;
	case OP_START:
		return !authorized || !planned ? DD_ERR_REFUSED : DD_OK;
	case OP_SUCCEED:
	case OP_FAIL:
		return !authorized || executed ? DD_ERR_REFUSED : DD_OK;
	case OP_COUNT:
		break;
	}
	return DD_ERR_RUNTIME;
}

/* ---- Helpers ---- */

/* The number of audit records, paging from seq 0; *last gets the last seq
 * (pages of 1000 rather than one huge limit: core_audit_page allocates the
 * whole limit up front). */
static int64_t
audit_count(int64_t *last)
{
	int64_t n = 0, after = 0;

	for (;;) {
		struct audit_list l;
		struct dd_error err = {0};
		size_t got;

		if (core_audit_page(sess[A_ADMIN], NULL, NULL, after, 1000, &l,
				    &err) != DD_OK) {
			printf("# core_audit_page: %s\n", err.msg);
			return -1;
		}
		n += (int64_t)l.count;
		if (l.count)
			after = l.items[l.count - 1].seq;
		got = l.count;
		audit_list_free(&l);
		if (got < 1000)
			break;
	}
	if (last)
		*last = after;
	return n;
}

/* The records after seq (at most 16). */
static bool
audit_after(int64_t seq, struct audit_list *out)
{
	struct dd_error err = {0};

	if (core_audit_page(sess[A_ADMIN], NULL, NULL, seq, 16, out, &err)) {
		printf("# core_audit_page: %s\n", err.msg);
		return false;
	}
	return true;
}

static void
input_init(struct core_deploy_input *in, const char *version)
{
	memset(in, 0, sizeof *in);
	in->version = version;
	in->environment = "PROD";
	in->description = "Mise en production";
	in->responsible = "dev";
	in->planned = PLANNED_AT;
}

/* Creates a deployment of project p as session s; returns the code. */
static enum dd_code
create_as(struct core_session *s, const struct core_project *p,
	  const char *version, char id[UUID_SIZE], struct dd_error *err)
{
	struct core_deploy_input in;
	enum core_field field = FIELD_NONE;

	input_init(&in, version);
	return core_deploy_create(s, p, &in, id, &field, err);
}

/* A fresh deployment of project p in state st, made by session s (an
 * admin). */
static bool
make_deploy(struct core_session *s, const struct core_project *p, enum state st,
	    char id[UUID_SIZE])
{
	static int n;
	char version[32], inc[UUID_SIZE];
	struct dd_error err = {0};
	enum dd_code c;

	snprintf(version, sizeof version, "m%d", ++n);
	c = create_as(s, p, version, id, &err);
	if (!c && st != ST_PLANNED)
		c = core_deploy_authorize(s, id, 0, &err);
	if (!c && st == ST_IN_PROGRESS)
		c = core_deploy_start(s, id, 0, &err);
	if (!c && st == ST_SUCCEEDED)
		c = core_deploy_succeed(s, id, 0, LOGS, strlen(LOGS), &err);
	if (!c && st == ST_FAILED)
		c = core_deploy_fail(s, id, 0, LOGS, strlen(LOGS), inc, &err);
	if (c)
		printf("# setup of a %s deployment failed: %s: %s\n",
		       state_name[st], code_name(c), err.msg);
	return c == DD_OK;
}

static bool
find(const char *id, struct task *t)
{
	struct dd_error err = {0};

	if (core_deploy_find(sess[A_ADMIN], id, t, &err)) {
		printf("# core_deploy_find %s: %s\n", id, err.msg);
		return false;
	}
	return true;
}

/* ---- 1. The permission table ---- */

static void
test_standing_table(void)
{
	static const struct {
		const char *name;
		struct core_standing who;
		bool may[ACTION_COUNT]; /* VIEW, CREATE, AUTHORIZE, EXECUTE */
	} table[] = {
	    {"admin, not a member",
	     {.is_admin = true, .is_member = false},
	     {true, true, true, true}},
	    {"project manager",
	     {.is_member = true, .role = ROLE_MANAGER},
	     {true, true, true, false}},
	    {"developer",
	     {.is_member = true, .role = ROLE_DEVELOPER, .senior = false},
	     {true, false, false, false}},
	    {"senior developer",
	     {.is_member = true, .role = ROLE_DEVELOPER, .senior = true},
	     {true, false, false, true}},
	    {"other member",
	     {.is_member = true, .role = ROLE_OTHER},
	     {true, false, false, false}},
	    {"non-member, non-admin",
	     {.is_admin = false, .is_member = false},
	     {true, false, false, false}},
	    /* An admin keeps the admin column whatever their role. */
	    {"admin and developer (not senior)",
	     {.is_admin = true, .is_member = true, .role = ROLE_DEVELOPER},
	     {true, true, true, true}},
	    {"admin and other member",
	     {.is_admin = true, .is_member = true, .role = ROLE_OTHER},
	     {true, true, true, true}},
	    /* The senior flag means something for a developer only, and role
	     * means nothing for a non-member. */
	    {"manager flagged senior",
	     {.is_member = true, .role = ROLE_MANAGER, .senior = true},
	     {true, true, true, false}},
	    {"other member flagged senior",
	     {.is_member = true, .role = ROLE_OTHER, .senior = true},
	     {true, false, false, false}},
	    {"non-member with a stale manager role",
	     {.is_member = false, .role = ROLE_MANAGER},
	     {true, false, false, false}},
	    {"non-member with a stale senior flag",
	     {.is_member = false, .role = ROLE_DEVELOPER, .senior = true},
	     {true, false, false, false}},
	};
	static const char *const action[ACTION_COUNT] = {
	    "view",
	    "create",
	    "authorize",
	    "execute",
	};

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (int a = 0; a < ACTION_COUNT; a++) {
			bool got = core_standing_may(&table[i].who,
						     (enum core_action)a);

			ok(got == table[i].may[a], "standing: %s %s %s",
			   table[i].name, table[i].may[a] ? "may" : "may not",
			   action[a]);
		}
}

/* ---- 2. Setup, then the matrix through the real operations ---- */

static bool
setup(void)
{
	static const char *const users[][2] = {
	    {"chef", "Chef de Projet"},		 {"dev", "Développeur"},
	    {"senior", "Développeur Senior"},	 {"viewer", "Observatrice"},
	    {"outsider", "Personne Extérieure"},
	};
	struct dd_error err = {0};
	enum dd_code c;
	bool good = true;

	c = core_init(db_path, &(struct core_init_options){.sandbox = true},
		      &err);
	ok(c == DD_OK, "core_init sandbox database (%s)", c ? err.msg : "");
	if (c)
		return false;
	c = core_open(db_path, NULL, false, &sess[A_ADMIN], &err);
	ok(c == DD_OK && sess[A_ADMIN], "core_open as the OS account (%s)",
	   c ? err.msg : "");
	if (c)
		return false;
	ok(core_me(sess[A_ADMIN])->is_admin, "the OS account (%s) is admin",
	   login_of(A_ADMIN));
	ok(core_is_sandbox(sess[A_ADMIN]), "the database is a sandbox");

	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		c = core_user_add(sess[A_ADMIN], users[i][0], users[i][1],
				  false, &err);
		if (c) {
			printf("# user add %s: %s\n", users[i][0], err.msg);
			good = false;
		}
	}
	c = core_project_add(sess[A_ADMIN], "ERP", "Progiciel de gestion",
			     &err);
	if (c) {
		printf("# project add: %s\n", err.msg);
		good = false;
	}
	if (core_member_add(sess[A_ADMIN], "ERP", "chef", ROLE_MANAGER, false,
			    &err) ||
	    core_member_add(sess[A_ADMIN], "ERP", "dev", ROLE_DEVELOPER, false,
			    &err) ||
	    core_member_add(sess[A_ADMIN], "ERP", "senior", ROLE_DEVELOPER,
			    true, &err) ||
	    core_member_add(sess[A_ADMIN], "ERP", "viewer", ROLE_OTHER, false,
			    &err)) {
		printf("# member add: %s\n", err.msg);
		good = false;
	}
	ok(good, "users, project ERP and its members added");

	for (int a = A_CHEF; a < A_COUNT; a++) {
		c = core_open(db_path, actor_name[a], false, &sess[a], &err);
		if (c) {
			printf("# core_open as %s: %s\n", actor_name[a],
			       err.msg);
			good = false;
		} else if (strcmp(core_me(sess[a])->login, actor_name[a]) ||
			   core_me(sess[a])->is_admin) {
			good = false;
		}
	}
	ok(good, "sessions opened as chef, dev, senior, viewer, outsider");
	return good;
}

/* Project ERP as seen by actor a. */
static bool
open_erp(enum actor a, struct core_project *p)
{
	struct dd_error err = {0};

	if (core_project_open(sess[a], "ERP", p, &err)) {
		printf("# core_project_open ERP as %s: %s\n", actor_name[a],
		       err.msg);
		return false;
	}
	return true;
}

/* Before TESTS is finished, nobody may create. */
static void
test_create_before_tests(void)
{
	static const enum dd_code want[A_COUNT] = {
	    [A_ADMIN] = DD_ERR_REFUSED, [A_CHEF] = DD_ERR_REFUSED,
	    [A_DEV] = DD_ERR_PERM,	[A_SENIOR] = DD_ERR_PERM,
	    [A_VIEWER] = DD_ERR_PERM,	[A_OUTSIDER] = DD_ERR_PERM,
	};
	int64_t before = audit_count(NULL);

	for (int a = 0; a < A_COUNT; a++) {
		struct core_project p;
		struct dd_error err = {0};
		char id[UUID_SIZE] = "";
		enum dd_code c;

		if (!open_erp((enum actor)a, &p)) {
			ok(0, "create before TESTS as %s", actor_name[a]);
			continue;
		}
		c = create_as(sess[a], &p, "v0.1", id, &err);
		ok(c == want[a] && audit_count(NULL) == before,
		   "create before TESTS is TERMINEE as %s: %s, nothing "
		   "written (got %s: %s)",
		   actor_name[a], code_name(want[a]), code_name(c), err.msg);
		core_project_free(&p);
	}
}

/* What an allowed transition must leave: status, who, and the audit. */
static void
check_effects(enum actor a, enum op o, enum state st, const char *id,
	      const struct task *was, int64_t audit_was, int64_t last_seq,
	      const char *incident, const char *what)
{
	struct task now;
	struct audit_list l = {0};
	int64_t audit_now = audit_count(NULL);
	bool allowed = oracle(a, o, st) == DD_OK;
	bool good;

	if (!find(id, &now)) {
		ok(0, "%s: deployment still readable", what);
		ok(0, "%s: audit", what);
		return;
	}
	if (!allowed) {
		good = now.row_version == was->row_version &&
		       now.status == was->status &&
		       now.authorized_by.id == was->authorized_by.id &&
		       now.started_by.id == was->started_by.id &&
		       now.executed_by.id == was->executed_by.id &&
		       !strcmp(now.incident_id, was->incident_id);
		ok(good,
		   "%s: refused call left the deployment unchanged (version "
		   "%lld -> %lld, status %d -> %d)",
		   what, (long long)was->row_version,
		   (long long)now.row_version, (int)was->status,
		   (int)now.status);
		ok(audit_now == audit_was,
		   "%s: refused call wrote no audit record (%lld -> %lld)",
		   what, (long long)audit_was, (long long)audit_now);
		task_free(&now);
		return;
	}

	switch (o) {
	case OP_AUTHORIZE:
		good = now.status == STATUS_PLANNED &&
		       now.authorized_by.login &&
		       !strcmp(now.authorized_by.login, login_of(a)) &&
		       now.authorized_at[0];
		break;
	case OP_START:
		good = now.status == STATUS_IN_PROGRESS &&
		       now.started_by.login &&
		       !strcmp(now.started_by.login, login_of(a)) &&
		       now.started_at[0];
		break;
	case OP_SUCCEED:
	case OP_FAIL:
		good =
		    now.status ==
			(o == OP_SUCCEED ? STATUS_SUCCEEDED : STATUS_FAILED) &&
		    now.executed_by.login &&
		    !strcmp(now.executed_by.login, login_of(a)) &&
		    now.executed_at[0] && now.logs && !strcmp(now.logs, LOGS);
		if (o == OP_FAIL)
			good = good && !strcmp(now.incident_id, incident);
		break;
	default:
		good = false;
	}
	ok(good && now.row_version == was->row_version + 1,
	   "%s: allowed call changed the deployment (status %d, version "
	   "%lld -> %lld)",
	   what, (int)now.status, (long long)was->row_version,
	   (long long)now.row_version);

	{
		static const char *const action[OP_COUNT] = {
		    "deploy.create",  "deploy.authorize", "deploy.start",
		    "deploy.succeed", "deploy.fail",
		};
		size_t want_n = o == OP_FAIL ? 2 : 1;

		good = audit_now == audit_was + (int64_t)want_n &&
		       audit_after(last_seq, &l) && l.count == want_n;
		for (size_t i = 0; good && i < l.count; i++)
			good = l.items[i].login &&
			       !strcmp(l.items[i].login, login_of(a));
		good = good && !strcmp(l.items[0].action, action[o]) &&
		       !strcmp(l.items[0].entity_id, id);
		if (good && o == OP_FAIL)
			good = !strcmp(l.items[1].action, "incident.create") &&
			       !strcmp(l.items[1].entity_id, incident);
		ok(good,
		   "%s: allowed call wrote %zu audit record(s) by %s (%lld -> "
		   "%lld)",
		   what, want_n, login_of(a), (long long)audit_was,
		   (long long)audit_now);
		audit_list_free(&l);
	}
	task_free(&now);
}

static void
matrix_cell(const struct core_project *admin_erp, enum actor a, enum op o,
	    enum state st)
{
	char id[UUID_SIZE], inc[UUID_SIZE] = "", what[160];
	struct task was;
	struct dd_error err = {0};
	int64_t audit_was, last_seq = 0;
	enum dd_code want = oracle(a, o, st), got = DD_ERR_RUNTIME;

	snprintf(what, sizeof what, "%s %s on %s", actor_name[a], op_name[o],
		 state_name[st]);
	if (!make_deploy(sess[A_ADMIN], admin_erp, st, id) || !find(id, &was)) {
		ok(0, "%s: setup", what);
		return;
	}
	audit_was = audit_count(&last_seq);
	switch (o) {
	case OP_AUTHORIZE:
		got = core_deploy_authorize(sess[a], id, was.row_version, &err);
		break;
	case OP_START:
		got = core_deploy_start(sess[a], id, was.row_version, &err);
		break;
	case OP_SUCCEED:
		got = core_deploy_succeed(sess[a], id, was.row_version, LOGS,
					  strlen(LOGS), &err);
		break;
	case OP_FAIL:
		got = core_deploy_fail(sess[a], id, was.row_version, LOGS,
				       strlen(LOGS), inc, &err);
		break;
	case OP_CREATE:
	case OP_COUNT:
		break;
	}
	ok(got == want, "%s: %s (got %s%s%s)", what, code_name(want),
	   code_name(got), got ? ": " : "", got ? err.msg : "");
	check_effects(a, o, st, id, &was, audit_was, last_seq, inc, what);
	task_free(&was);
}

/* Create is per project: once per actor. */
static void
matrix_create(enum actor a)
{
	struct core_project p;
	struct dd_error err = {0};
	struct deploy_stats s0 = {0}, s1 = {0};
	struct audit_list l = {0};
	char id[UUID_SIZE] = "", what[64], version[32];
	int64_t audit_was, audit_now, last_seq = 0;
	enum dd_code want = oracle(a, OP_CREATE, ST_PLANNED), got;

	snprintf(what, sizeof what, "%s create", actor_name[a]);
	snprintf(version, sizeof version, "c-%s", actor_name[a]);
	if (!open_erp(a, &p)) {
		ok(0, "%s: project", what);
		return;
	}
	core_stats(sess[A_ADMIN], &p, &s0, &err);
	audit_was = audit_count(&last_seq);
	got = create_as(sess[a], &p, version, id, &err);
	ok(got == want, "%s: %s (got %s%s%s)", what, code_name(want),
	   code_name(got), got ? ": " : "", got ? err.msg : "");
	core_stats(sess[A_ADMIN], &p, &s1, &err);
	audit_now = audit_count(NULL);
	if (want != DD_OK) {
		ok(s1.total == s0.total && audit_now == audit_was,
		   "%s: refused create wrote nothing", what);
	} else {
		struct task t;
		bool good = s1.total == s0.total + 1 && find(id, &t);

		if (good) {
			good = t.type == TASK_DEPLOYMENT &&
			       t.status == STATUS_PLANNED &&
			       t.authorized_by.id == 0 && t.version &&
			       !strcmp(t.version, version) &&
			       t.environment == ENV_PROD &&
			       t.responsible.login &&
			       !strcmp(t.responsible.login, "dev") &&
			       t.created_by.login &&
			       !strcmp(t.created_by.login, login_of(a)) &&
			       !strcmp(t.stage_id,
				       p.stages[STAGE_DEPLOYMENT].id) &&
			       !strcmp(t.project_id, p.project.id) &&
			       t.row_version > 0;
			task_free(&t);
		}
		ok(good,
		   "%s: a planned, unauthorized deployment of the "
		   "DEPLOIEMENT stage",
		   what);
		good = audit_now == audit_was + 1 &&
		       audit_after(last_seq, &l) && l.count == 1 &&
		       !strcmp(l.items[0].login, login_of(a)) &&
		       !strcmp(l.items[0].action, "deploy.create") &&
		       !strcmp(l.items[0].entity_id, id);
		ok(good, "%s: one deploy.create audit record by %s", what,
		   login_of(a));
		audit_list_free(&l);
	}
	core_project_free(&p);
}

static void
test_matrix(void)
{
	struct core_project erp;

	if (!open_erp(A_ADMIN, &erp)) {
		ok(0, "matrix: project");
		return;
	}
	ok(erp.stages[STAGE_TESTS].status == STATUS_SUCCEEDED,
	   "TESTS is TERMINEE before the matrix");
	for (int a = 0; a < A_COUNT; a++)
		matrix_create((enum actor)a);
	for (int a = 0; a < A_COUNT; a++)
		for (int o = OP_AUTHORIZE; o < OP_COUNT; o++)
			for (int st = 0; st < ST_COUNT; st++)
				matrix_cell(&erp, (enum actor)a, (enum op)o,
					    (enum state)st);
	core_project_free(&erp);
}

/* ---- 3. The incident a failure opens ---- */

static void
test_incident(void)
{
	static const char logs[] = "Déploiement: étape 2/3\n"
				   "ERROR: connexion refusée\n"
				   "exit code 1";
	struct core_project erp;
	struct dd_error err = {0};
	struct task d, inc;
	char id[UUID_SIZE], inc_id[UUID_SIZE] = "";
	enum dd_code c;

	if (!open_erp(A_CHEF, &erp)) {
		ok(0, "incident: project");
		return;
	}
	c = create_as(sess[A_CHEF], &erp, "v9.9.9", id, &err);
	if (!c)
		c = core_deploy_authorize(sess[A_CHEF], id, 0, &err);
	if (!c)
		c = core_deploy_fail(sess[A_SENIOR], id, 0, logs, strlen(logs),
				     inc_id, &err);
	ok(c == DD_OK,
	   "v9.9.9 planned, authorized by chef, failed by senior "
	   "(%s)",
	   c ? err.msg : "");
	core_project_free(&erp);
	if (c)
		return;
	c = core_incident_find(sess[A_ADMIN], inc_id, &inc, &err);
	ok(c == DD_OK, "core_incident_find on the returned id (%s)",
	   c ? err.msg : "");
	if (c)
		return;
	if (!find(id, &d)) {
		ok(0, "the failed deployment is readable");
		task_free(&inc);
		return;
	}
	is_str(inc.name, "INCIDENT - Échec déploiement v9.9.9",
	       "incident name");
	is_str(inc.description,
	       "Le déploiement de la version v9.9.9 sur PROD a échoué.\n\n"
	       "Logs:\n"
	       "Déploiement: étape 2/3\nERROR: connexion refusée\nexit code 1",
	       "incident description: sentence, blank line, Logs:, logs");
	ok(inc.type == TASK_INCIDENT, "incident type INCIDENT");
	ok(inc.status == STATUS_PLANNED, "incident status A_FAIRE");
	ok(inc.priority == PRIORITY_HIGH, "incident priority HAUTE");
	ok(inc.responsible.id != 0 && inc.responsible.id == d.responsible.id,
	   "incident responsible = the deployment's responsible");
	is_str(inc.responsible.login, "dev", "incident responsible is dev");
	is_str(inc.source_task, id, "incident source_task = deployment id");
	is_str(d.incident_id, inc_id, "deployment incident_id = incident id");
	is_str(inc.stage_id, d.stage_id,
	       "incident in the same DEPLOIEMENT "
	       "stage");
	is_str(inc.project_id, d.project_id, "incident in the same project");
	ok(d.status == STATUS_FAILED, "deployment is ECHEC");
	is_str(d.logs, logs, "deployment keeps the logs");
	is_str(d.executed_by.login, "senior", "executed by senior");
	{
		struct task none;

		ok(core_deploy_find(sess[A_ADMIN], inc_id, &none, &err) ==
		       DD_ERR_NOTFOUND,
		   "an incident is not found as a deployment");
		task_free(&none);
	}
	task_free(&d);
	task_free(&inc);
}

/* ---- 4. Statistics ---- */

static bool
stats_are(struct core_session *s, const struct core_project *p, int64_t total,
	  int64_t succeeded, int64_t failed, int64_t planned,
	  int64_t in_progress, struct deploy_stats *out)
{
	struct dd_error err = {0};

	if (core_stats(s, p, out, &err)) {
		printf("# core_stats: %s\n", err.msg);
		return false;
	}
	if (out->total != total || out->succeeded != succeeded ||
	    out->failed != failed || out->planned != planned ||
	    out->in_progress != in_progress) {
		printf("# got total %lld succeeded %lld failed %lld planned "
		       "%lld in progress %lld\n",
		       (long long)out->total, (long long)out->succeeded,
		       (long long)out->failed, (long long)out->planned,
		       (long long)out->in_progress);
		return false;
	}
	return true;
}

static bool
near(double a, double b)
{
	double d = a - b;

	return d < 1e-9 && d > -1e-9;
}

static void
test_stats(void)
{
	struct core_session *admin = sess[A_ADMIN];
	struct core_project p;
	struct deploy_stats st;
	struct dd_error err = {0};
	char d1[UUID_SIZE], d2[UUID_SIZE], d3[UUID_SIZE], inc[UUID_SIZE];
	enum dd_code c;

	{
		struct deploy_stats zero = {0},
				    half = {.total = 2, .succeeded = 1},
				    two3 = {.total = 3, .succeeded = 2},
				    all = {.total = 4, .succeeded = 4};

		ok(core_success_rate(&zero) == 0.0, "success rate 0 of 0 is 0");
		ok(near(core_success_rate(&half), 50.0),
		   "success rate 1 of 2 is 50");
		ok(near(core_success_rate(&two3), 100.0 * 2.0 / 3.0),
		   "success rate 2 of 3 is 66.67 (got %.10f)",
		   core_success_rate(&two3));
		ok(near(core_success_rate(&all), 100.0),
		   "success rate 4 of 4 is 100");
	}
	{
		/* Counts edited in the file: never a trap, never -0. */
		struct deploy_stats parts = {.total = 0, .succeeded = 5},
				    min = {.total = INT64_MIN,
					   .succeeded = INT64_MIN},
				    minus1 = {.total = -1,
					      .succeeded = INT64_MIN},
				    negzero = {.total = -4, .succeeded = 0},
				    neg = {.total = 2, .succeeded = -3};
		double r;

		ok(core_success_rate(&parts) == 0.0,
		   "success rate of a total of 0 with 5 succeeded is 0");
		ok(near(core_success_rate(&min), 100.0),
		   "success rate INT64_MIN of INT64_MIN is 100");
		r = core_success_rate(&minus1);
		ok(r > 9.2e20 && r < 9.3e20,
		   "success rate INT64_MIN of -1 is about 9.22e20 (got %g)", r);
		r = core_success_rate(&negzero);
		ok(r == 0.0 && !signbit(r),
		   "success rate 0 of -4 is 0, not -0");
		ok(near(core_success_rate(&neg), -150.0),
		   "success rate -3 of 2 is -150, as stored");
	}

	/* A project of its own, where root is also a plain developer, and
	 * where ERP's manager has no rights. */
	c = core_project_add(admin, "STAT", "Statistiques", &err);
	if (!c)
		c = core_member_add(admin, "STAT", "dev", ROLE_DEVELOPER, false,
				    &err);
	if (!c)
		c = core_member_add(admin, "STAT", login_of(A_ADMIN),
				    ROLE_DEVELOPER, false, &err);
	if (!c)
		c = core_stage_set(admin, "STAT", STAGE_TESTS, STATUS_SUCCEEDED,
				   &err);
	if (!c)
		c = core_project_open(admin, "STAT", &p, &err);
	ok(c == DD_OK,
	   "project STAT, root is a non-senior developer of it "
	   "(%s)",
	   c ? err.msg : "");
	if (c)
		return;
	ok(p.me.is_admin && p.me.is_member && p.me.role == ROLE_DEVELOPER &&
	       !p.me.senior,
	   "root's standing in STAT: admin and non-senior developer");

	ok(stats_are(admin, &p, 0, 0, 0, 0, 0, &st) &&
	       core_success_rate(&st) == 0.0,
	   "no deployment: all counts 0, success rate 0");

	{
		struct core_project chef_p;

		c = core_project_open(sess[A_CHEF], "STAT", &chef_p, &err);
		if (!c) {
			c = create_as(sess[A_CHEF], &chef_p, "x", d1, &err);
			core_project_free(&chef_p);
		}
		ok(c == DD_ERR_PERM,
		   "ERP's project manager may not create in STAT (got %s)",
		   code_name(c));
	}

	c = create_as(admin, &p, "s1", d1, &err);
	if (!c)
		c = create_as(admin, &p, "s2", d2, &err);
	ok(c == DD_OK && stats_are(admin, &p, 2, 0, 0, 2, 0, &st) &&
	       core_success_rate(&st) == 0.0,
	   "two planned: total 2, planned 2, rate 0");

	/* Roles are per project: ERP's manager and senior are nobody here. */
	c = core_deploy_authorize(sess[A_CHEF], d1, 0, &err);
	ok(c == DD_ERR_PERM,
	   "ERP's project manager may not authorize in STAT (got %s)",
	   code_name(c));
	c = core_deploy_authorize(admin, d1, 0, &err);
	if (!c) {
		enum dd_code c2 =
		    core_deploy_start(sess[A_SENIOR], d1, 0, &err);

		ok(c2 == DD_ERR_PERM,
		   "ERP's senior developer may not start in STAT (got %s)",
		   code_name(c2));
		c = core_deploy_start(admin, d1, 0, &err);
	} else {
		ok(0,
		   "ERP's senior developer may not start in STAT (setup: "
		   "%s)",
		   err.msg);
	}
	ok(c == DD_OK,
	   "an admin who is a non-senior developer may still start (%s)",
	   c ? err.msg : "");
	ok(stats_are(admin, &p, 2, 0, 0, 1, 1, &st),
	   "one started: planned 1, in progress 1");

	c = core_deploy_succeed(admin, d1, 0, LOGS, strlen(LOGS), &err);
	ok(c == DD_OK && stats_are(admin, &p, 2, 1, 0, 1, 0, &st) &&
	       near(core_success_rate(&st), 50.0),
	   "one succeeded of 2: succeeded 1, planned 1, rate 50 (%s)",
	   c ? err.msg : "");

	c = core_deploy_authorize(admin, d2, 0, &err);
	if (!c)
		c = core_deploy_fail(admin, d2, 0, LOGS, strlen(LOGS), inc,
				     &err);
	ok(c == DD_OK && stats_are(admin, &p, 2, 1, 1, 0, 0, &st) &&
	       near(core_success_rate(&st), 50.0),
	   "one failed (from A_FAIRE): failed 1, the incident is not "
	   "counted, rate 50 (%s)",
	   c ? err.msg : "");

	c = create_as(admin, &p, "s3", d3, &err);
	if (!c)
		c = core_deploy_authorize(admin, d3, 0, &err);
	if (!c)
		c = core_deploy_succeed(admin, d3, 0, LOGS, strlen(LOGS), &err);
	ok(c == DD_OK && stats_are(admin, &p, 3, 2, 1, 0, 0, &st) &&
	       near(core_success_rate(&st), 100.0 * 2.0 / 3.0),
	   "2 succeeded of 3: rate 100*2/3 (%s)", c ? err.msg : "");
	core_project_free(&p);

	/* ERP's counts agree with its deployments, one by one. */
	{
		struct core_project erp;
		struct task_list l = {0};
		struct core_page_query q = {
		    .type = TASK_DEPLOYMENT, .environment = -1, .status = -1};
		int64_t n[STATUS_COUNT] = {0};

		c = DD_ERR_RUNTIME;
		if (open_erp(A_ADMIN, &erp)) {
			c = core_task_page(admin, &erp, &q, NULL, PAGE_OLDER,
					   1000, &l, &err);
			if (!c)
				for (size_t i = 0; i < l.count; i++)
					n[l.items[i].status]++;
			if (!c)
				c = stats_are(admin, &erp, (int64_t)l.count,
					      n[STATUS_SUCCEEDED],
					      n[STATUS_FAILED],
					      n[STATUS_PLANNED],
					      n[STATUS_IN_PROGRESS], &st)
					? DD_OK
					: DD_ERR_RUNTIME;
			task_list_free(&l);
			core_project_free(&erp);
		}
		ok(c == DD_OK, "ERP's statistics match its %lld deployments",
		   (long long)st.total);
	}
}

/* ---- 5. Optimistic concurrency ---- */

static void
test_concurrency(void)
{
	struct core_project erp;
	struct dd_error err = {0};
	struct task t0, t1, t2;
	char id[UUID_SIZE], id2[UUID_SIZE], inc[UUID_SIZE] = "";
	int64_t audit_was;
	enum dd_code c;

	if (!open_erp(A_ADMIN, &erp) ||
	    !make_deploy(sess[A_ADMIN], &erp, ST_PLANNED, id) ||
	    !make_deploy(sess[A_ADMIN], &erp, ST_PLANNED, id2) ||
	    !find(id, &t0)) {
		ok(0, "concurrency: setup");
		return;
	}
	core_project_free(&erp);

	c = core_deploy_authorize(sess[A_CHEF], id, t0.row_version, &err);
	ok(c == DD_OK,
	   "session A (chef) authorizes with the version it read "
	   "(%s)",
	   c ? err.msg : "");
	find(id, &t1);
	ok(t1.row_version == t0.row_version + 1,
	   "authorize bumped row_version (%lld -> %lld)",
	   (long long)t0.row_version, (long long)t1.row_version);

	audit_was = audit_count(NULL);
	memset(&err, 0, sizeof err);
	c = core_deploy_start(sess[A_SENIOR], id, t0.row_version, &err);
	ok(c == DD_ERR_REFUSED && strstr(err.msg, "meanwhile"),
	   "session B (senior) starts with the old version: refused, "
	   "'changed meanwhile' (got %s: %s)",
	   code_name(c), err.msg);
	memset(&err, 0, sizeof err);
	c = core_deploy_succeed(sess[A_SENIOR], id, t0.row_version, LOGS,
				strlen(LOGS), &err);
	ok(c == DD_ERR_REFUSED && strstr(err.msg, "meanwhile"),
	   "succeed with the old version: refused, 'changed meanwhile' (got "
	   "%s: %s)",
	   code_name(c), err.msg);
	memset(&err, 0, sizeof err);
	c = core_deploy_fail(sess[A_SENIOR], id, t0.row_version, LOGS,
			     strlen(LOGS), inc, &err);
	ok(c == DD_ERR_REFUSED && strstr(err.msg, "meanwhile"),
	   "fail with the old version: refused, 'changed meanwhile' (got "
	   "%s: %s)",
	   code_name(c), err.msg);
	find(id, &t2);
	ok(t2.row_version == t1.row_version && t2.status == STATUS_PLANNED &&
	       t2.started_by.id == 0 && t2.executed_by.id == 0 &&
	       t2.incident_id[0] == '\0' && audit_count(NULL) == audit_was,
	   "stale calls wrote nothing (no change, no incident, no audit)");
	task_free(&t2);

	c = core_deploy_start(sess[A_SENIOR], id, t1.row_version, &err);
	ok(c == DD_OK, "start with the current version is accepted (%s)",
	   c ? err.msg : "");

	/* Two managers saw id2 unauthorized; the second one is too late. */
	task_free(&t0);
	find(id2, &t0);
	c = core_deploy_authorize(sess[A_ADMIN], id2, t0.row_version, &err);
	ok(c == DD_OK, "first authorize of a shared view (%s)",
	   c ? err.msg : "");
	audit_was = audit_count(NULL);
	memset(&err, 0, sizeof err);
	c = core_deploy_authorize(sess[A_CHEF], id2, t0.row_version, &err);
	find(id2, &t2);
	ok(c == DD_ERR_REFUSED && t2.row_version == t0.row_version + 1 &&
	       t2.authorized_by.login &&
	       !strcmp(t2.authorized_by.login, login_of(A_ADMIN)) &&
	       audit_count(NULL) == audit_was,
	   "second authorize with the same old version: refused, nothing "
	   "written (got %s)",
	   code_name(c));
	printf("# second authorize said: %s\n", err.msg);
	task_free(&t2);
	task_free(&t0);
	task_free(&t1);
}

/* ---- 6. Validation ---- */

/* Processes, each with its own session, race to authorize the same
 * deployment with the version they all read: exactly one wins a round,
 * the others are told it changed meanwhile (SQLite's write lock, or
 * PostgreSQL's advisory lock, with the re-checked version). */
#define RACERS 4
#define ROUNDS 8

static void
test_race_processes(void)
{
	struct core_project erp;
	int rounds_right = 0;

	if (!open_erp(A_ADMIN, &erp)) {
		ok(0, "race: setup");
		return;
	}
	for (int round = 0; round < ROUNDS; round++) {
		char id[UUID_SIZE];
		struct task t;
		pid_t pids[RACERS];
		int go[2], won = 0, refused = 0, other = 0;

		if (!make_deploy(sess[A_ADMIN], &erp, ST_PLANNED, id) ||
		    !find(id, &t) || pipe(go) != 0)
			break;
		fflush(stdout);
		for (int r = 0; r < RACERS; r++) {
			pids[r] = fork();
			if (pids[r] == 0) {
				struct core_session *s = NULL;
				struct dd_error err = {0};
				char c;
				enum dd_code code;

				close(go[1]);
				code =
				    core_open(db_path, "chef", false, &s, &err);
				/* All start together: when the pipe closes. */
				if (read(go[0], &c, 1) < 0)
					_exit(3);
				if (!code)
					code = core_deploy_authorize(
					    s, id, t.row_version, &err);
				_exit(code == DD_OK	       ? 0
				      : code == DD_ERR_REFUSED ? 1
							       : 2);
			}
		}
		close(go[0]);
		close(go[1]);
		for (int r = 0; r < RACERS; r++) {
			int status = 0;

			if (pids[r] < 0 || waitpid(pids[r], &status, 0) < 0 ||
			    !WIFEXITED(status))
				other++;
			else if (WEXITSTATUS(status) == 0)
				won++;
			else if (WEXITSTATUS(status) == 1)
				refused++;
			else
				other++;
		}
		if (won == 1 && refused == RACERS - 1 && other == 0)
			rounds_right++;
		else
			printf("# round %d: %d won, %d refused, %d other\n",
			       round, won, refused, other);
		task_free(&t);
	}
	core_project_free(&erp);
	ok(rounds_right == ROUNDS,
	   "%d processes race to authorize the same deployment, %d rounds: "
	   "exactly one wins each (%d of %d)",
	   RACERS, ROUNDS, rounds_right, ROUNDS);
}

static void
test_validation(void)
{
	static char v50[51], v51[52], e50[101], e51[103];
	const struct {
		const char *name;
		struct core_deploy_input in;
		enum core_field field;
	} bad[] = {
	    {"empty version",
	     {"", "PROD", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_VERSION},
	    {"51-character version",
	     {v51, "PROD", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_VERSION},
	    {"51 two-byte characters",
	     {e51, "PROD", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_VERSION},
	    {"invalid UTF-8 version",
	     {"\xff", "PROD", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_VERSION},
	    {"unknown environment STAGING",
	     {"v1", "STAGING", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_ENVIRONMENT},
	    {"empty environment",
	     {"v1", "", "d", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_ENVIRONMENT},
	    {"empty description",
	     {"v1", "PROD", "", "dev", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_DESCRIPTION},
	    {"unknown responsible",
	     {"v1", "PROD", "d", "nobody", PLANNED_AT, NULL, NULL, NULL, NULL},
	     FIELD_RESPONSIBLE},
	    {"non-member responsible",
	     {"v1", "PROD", "d", "outsider", PLANNED_AT, NULL, NULL, NULL,
	      NULL},
	     FIELD_RESPONSIBLE},
	    {"date 2026-02-30 10:00",
	     {"v1", "PROD", "d", "dev", "2026-02-30 10:00", NULL, NULL, NULL,
	      NULL},
	     FIELD_PLANNED},
	    {"date without time 2026-02-06",
	     {"v1", "PROD", "d", "dev", "2026-02-06", NULL, NULL, NULL, NULL},
	     FIELD_PLANNED},
	    {"risk 'extreme'",
	     {"v1", "PROD", "d", "dev", PLANNED_AT, NULL, NULL, "extreme",
	      NULL},
	     FIELD_RISK},
	    {"a back-out plan of invalid UTF-8",
	     {"v1", "PROD", "d", "dev", PLANNED_AT, NULL, NULL, "low", "\xff"},
	     FIELD_BACKOUT_PLAN},
	};
	struct core_session *s = sess[A_ADMIN];
	struct core_project erp;
	struct dd_error err = {0};
	struct core_deploy_input in;
	enum core_field field;
	char id[UUID_SIZE];
	int64_t audit_was;
	enum dd_code c;

	memset(v50, 'a', 50);
	memset(v51, 'b', 51);
	for (int i = 0; i < 50; i++)
		memcpy(e50 + 2 * i, "\xc3\xa9", 2);
	for (int i = 0; i < 51; i++)
		memcpy(e51 + 2 * i, "\xc3\xa9", 2);
	if (!open_erp(A_ADMIN, &erp)) {
		ok(0, "validation: project");
		return;
	}

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		field = FIELD_NONE;
		c = core_deploy_validate(s, &erp, &bad[i].in, &field, &err);
		ok(c == DD_ERR_INPUT && field == bad[i].field,
		   "validate rejects %s: DD_ERR_INPUT, field %d (got %s, "
		   "field %d: %s)",
		   bad[i].name, (int)bad[i].field, code_name(c), (int)field,
		   err.msg);
		audit_was = audit_count(NULL);
		field = FIELD_NONE;
		c = core_deploy_create(s, &erp, &bad[i].in, id, &field, &err);
		ok(c == DD_ERR_INPUT && field == bad[i].field &&
		       audit_count(NULL) == audit_was,
		   "create rejects %s: DD_ERR_INPUT, field %d, nothing "
		   "written (got %s, field %d)",
		   bad[i].name, (int)bad[i].field, code_name(c), (int)field);
	}

	input_init(&in, v50);
	field = FIELD_VERSION;
	c = core_deploy_validate(s, &erp, &in, &field, &err);
	ok(c == DD_OK && field == FIELD_NONE,
	   "validate accepts a 50-character version (%s)", c ? err.msg : "");
	input_init(&in, e50);
	c = core_deploy_validate(s, &erp, &in, &field, &err);
	ok(c == DD_OK && field == FIELD_NONE,
	   "validate accepts 50 two-byte characters (100 bytes) (%s)",
	   c ? err.msg : "");

	input_init(&in, v50);
	c = core_deploy_create(s, &erp, &in, id, &field, &err);
	{
		struct task t;
		bool good = c == DD_OK && find(id, &t);

		ok(good && !strcmp(t.version, v50),
		   "create accepts a 50-character version (%s)",
		   c ? err.msg : "");
		if (good)
			task_free(&t);
	}
	input_init(&in, "v-lower");
	in.environment = "prod";
	c = core_deploy_create(s, &erp, &in, id, &field, &err);
	{
		struct task t;
		bool good = c == DD_OK && find(id, &t);

		ok(good && t.environment == ENV_PROD,
		   "create accepts lower-case \"prod\" as PROD (%s)",
		   c ? err.msg : "");
		if (good)
			task_free(&t);
	}
	core_project_free(&erp);

	/* Logs. */
	{
		char *big = malloc(CORE_LOGS_MAX + 1);
		char good_id[UUID_SIZE], inc[UUID_SIZE];
		struct core_project p;

		memset(big, 'x', CORE_LOGS_MAX + 1);
		ok(core_logs_validate(big, CORE_LOGS_MAX + 1, &err) ==
		       DD_ERR_INPUT,
		   "logs of CORE_LOGS_MAX + 1 bytes rejected");
		ok(core_logs_validate(big, CORE_LOGS_MAX, &err) == DD_OK,
		   "logs of exactly CORE_LOGS_MAX bytes accepted");
		ok(core_logs_validate("a\0b", 3, &err) == DD_ERR_INPUT,
		   "logs with a NUL byte rejected");
		ok(core_logs_validate("ok \xff", 4, &err) == DD_ERR_INPUT,
		   "logs with invalid UTF-8 (FF) rejected");
		ok(core_logs_validate("ok \xc3", 4, &err) == DD_ERR_INPUT,
		   "logs with a truncated UTF-8 sequence rejected");
		ok(core_logs_validate(LOGS, strlen(LOGS), &err) == DD_OK,
		   "UTF-8 logs accepted");

		if (open_erp(A_ADMIN, &p) &&
		    make_deploy(s, &p, ST_AUTHORIZED, good_id)) {
			struct task t0, t1;

			find(good_id, &t0);
			audit_was = audit_count(NULL);
			c = core_deploy_succeed(sess[A_SENIOR], good_id, 0,
						"a\0b", 3, &err);
			ok(c == DD_ERR_INPUT,
			   "succeed with a NUL byte in the logs: DD_ERR_INPUT "
			   "(got %s)",
			   code_name(c));
			c = core_deploy_fail(sess[A_SENIOR], good_id, 0, big,
					     CORE_LOGS_MAX + 1, inc, &err);
			ok(c == DD_ERR_INPUT,
			   "fail with oversized logs: DD_ERR_INPUT (got %s)",
			   code_name(c));
			find(good_id, &t1);
			ok(t1.row_version == t0.row_version &&
			       t1.status == STATUS_PLANNED &&
			       t1.incident_id[0] == '\0' &&
			       audit_count(NULL) == audit_was,
			   "rejected logs wrote nothing");
			task_free(&t0);
			task_free(&t1);
			core_project_free(&p);
		} else {
			ok(0, "logs: setup");
		}
		free(big);
	}
}

/* ---- 7. Audit ---- */

static void
test_audit_verify(struct core_session *s, const char *name)
{
	struct core_audit_report r;
	struct dd_error err = {0};
	struct audit_list l;
	int64_t n = 0, after = 0;
	enum dd_code c;

	/* Count with this session. */
	for (;;) {
		size_t got;

		if (core_audit_page(s, NULL, NULL, after, 1000, &l, &err)) {
			n = -1;
			break;
		}
		n += (int64_t)l.count;
		if (l.count)
			after = l.items[l.count - 1].seq;
		got = l.count;
		audit_list_free(&l);
		if (got < 1000)
			break;
	}
	c = core_audit_verify(s, NULL, &r, &err);
	ok(c == DD_OK && r.intact && r.first_bad == 0 && r.records == n &&
	       n > 0 && r.rows > 0,
	   "audit verify on the intact %s database: intact, %lld = %lld "
	   "records and %lld rows checked (%s)",
	   name, (long long)r.records, (long long)n, (long long)r.rows,
	   r.problem);
}

/* ---- 8. Sandbox ---- */

static void
test_sandbox(void)
{
	static char sentinel;
	char plain[160];
	struct core_session *s = (struct core_session *)(void *)&sentinel;
	struct dd_error err = {0};
	enum dd_code c;

	snprintf(plain, sizeof plain, "%s/plain.db", tmpdir);
	c = core_init(plain, &(struct core_init_options){0}, &err);
	ok(c == DD_OK, "core_init a database that is not a sandbox (%s)",
	   c ? err.msg : "");
	if (c)
		return;
	c = core_open(plain, login_of(A_ADMIN), false, &s, &err);
	ok(c == DD_ERR_PERM && s == NULL,
	   "not a sandbox: core_open as %s is DD_ERR_PERM (got %s)",
	   login_of(A_ADMIN), code_name(c));
	if (c == DD_OK)
		core_close(s);
	c = core_open(plain, "chef", false, &s, &err);
	ok(c == DD_ERR_PERM && s == NULL,
	   "not a sandbox: core_open as chef is DD_ERR_PERM (got %s)",
	   code_name(c));
	if (c == DD_OK)
		core_close(s);
	c = core_open(plain, NULL, false, &s, &err);
	ok(c == DD_OK && !core_is_sandbox(s) && core_me(s)->is_admin,
	   "not a sandbox: the OS account opens it as itself (%s)",
	   c ? err.msg : "");
	if (c == DD_OK) {
		test_audit_verify(s, "plain");
		core_close(s);
	}
	c = core_open(db_path, "nobody", false, &s, &err);
	ok(c == DD_ERR_NOTFOUND && s == NULL,
	   "sandbox: core_open as an unknown login is DD_ERR_NOTFOUND (got "
	   "%s)",
	   code_name(c));
	if (c == DD_OK)
		core_close(s);
	/* Opened as the shared install's database, even a file whose
	 * settings say sandbox is none, and --as is refused. */
	c = core_open(db_path, "chef", true, &s, &err);
	ok(c == DD_ERR_PERM && s == NULL && strstr(err.msg, "shared"),
	   "shared: core_open as chef is DD_ERR_PERM, naming the shared "
	   "database (got %s: %s)",
	   code_name(c), err.msg);
	if (c == DD_OK)
		core_close(s);
	c = core_open(db_path, NULL, true, &s, &err);
	ok(c == DD_OK && !core_is_sandbox(s),
	   "shared: a database marked sandbox opens as no sandbox (%s)",
	   c ? err.msg : "");
	if (c == DD_OK)
		core_close(s);
}

/* init builds the database in a temporary file and moves it into place:
 * an existing file is never replaced, a leftover temporary file never
 * blocks, and nothing is left behind. */
static void
test_init_in_place(void)
{
	struct core_init_options opt = {0};
	struct dd_error err = {0};
	char path[200], leftover[220];
	enum dd_code c;
	FILE *f;
	DIR *d;
	struct dirent *e;
	int others = 0;

	snprintf(path, sizeof path, "%s/fresh/new.db", tmpdir);
	snprintf(leftover, sizeof leftover, "%s.init-0123456789ab", path);
	c = core_init(path, &opt, &err);
	ok(c == DD_OK, "init in a new directory (%s)", c ? err.msg : "");
	/* What an init killed before its move leaves behind. */
	f = fopen(leftover, "w");
	if (f) {
		fputs("half-made", f);
		fclose(f);
	}
	remove(path);
	c = core_init(path, &opt, &err);
	ok(c == DD_OK, "a leftover temporary file does not block init (%s)",
	   c ? err.msg : "");
	c = core_init(path, &opt, &err);
	ok(c == DD_ERR_INPUT && strstr(err.msg, "already exists"),
	   "init does not replace an existing database (%s)", err.msg);
	c = core_init("", &opt, &err);
	ok(c == DD_ERR_INPUT, "init of an empty path is refused (%s)", err.msg);
	snprintf(leftover, sizeof leftover, "%s/fresh", tmpdir);
	d = opendir(leftover);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "new.db") != 0 &&
		    strcmp(e->d_name, "new.db.init-0123456789ab") != 0)
			others++;
	if (d)
		closedir(d);
	ok(others == 0, "init leaves no other file beside the database (%d)",
	   others);
	remove(path);
	snprintf(path, sizeof path, "%s/fresh/new.db.init-0123456789ab",
		 tmpdir);
	remove(path);
	rmdir(leftover);
}

/* ---- 9. The database's path ---- */

/* An empty path is refused before anything is opened or created: SQLite
 * would take it for a temporary database, gone on close. */
static void
test_empty_path(void)
{
	static char sentinel;
	struct core_session *s = (struct core_session *)(void *)&sentinel;
	struct dd_error err = {0};
	enum dd_code c;

	c = core_init("", &(struct core_init_options){0}, &err);
	ok(c == DD_ERR_INPUT && strstr(err.msg, "empty"),
	   "core_init(\"\") is DD_ERR_INPUT saying the path is empty (got %s: "
	   "%s)",
	   code_name(c), err.msg);
	dd_error_clear(&err);
	c = core_open("", NULL, false, &s, &err);
	ok(c == DD_ERR_INPUT && s == NULL && strstr(err.msg, "empty"),
	   "core_open(\"\") is DD_ERR_INPUT saying the path is empty (got %s: "
	   "%s)",
	   code_name(c), err.msg);
	if (c == DD_OK)
		core_close(s);
}

int
main(void)
{
	struct dd_error err = {0};
	enum dd_code c;

	setenv("TZ", "UTC", 1);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/dd-test-core-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(file_path, sizeof file_path, "%s/sandbox.db", tmpdir);
	/* The same checks on a PostgreSQL server's database (meson's
	 * core-pg), in a schema of its own. */
	if (getenv("DEPLOYDESK_TEST_CORE_PG")) {
		const char *pg = getenv("DEPLOYDESK_TEST_PG");
		struct model_db *raw = NULL;

		if (!pg || !*pg) {
			printf("1..0 # SKIP DEPLOYDESK_TEST_PG is not set "
			       "(tests/pg/cluster.sh starts a server)\n");
			remove_dir(tmpdir);
			return 0;
		}
		if (mdb_connect(&mdb_postgresql, pg, false, &raw, &err) ||
		    mdb_exec(raw,
			     "DROP SCHEMA IF EXISTS core_test CASCADE; "
			     "CREATE SCHEMA core_test",
			     &err)) {
			printf("Bail out! %s\n", err.msg);
			return 1;
		}
		model_close(raw);
		snprintf(pg_location, sizeof pg_location,
			 "%s%soptions=-csearch_path%%3Dcore_test", pg,
			 strchr(pg, '?') ? "&" : "?");
		db_path = pg_location;
	}

	test_standing_table();
	if (setup()) {
		test_create_before_tests();
		c = core_stage_set(sess[A_ADMIN], "ERP", STAGE_TESTS,
				   STATUS_SUCCEEDED, &err);
		ok(c == DD_OK, "TESTS of ERP set to TERMINEE (%s)",
		   c ? err.msg : "");
		test_matrix();
		test_incident();
		test_stats();
		test_concurrency();
		test_race_processes();
		test_validation();
		test_init_in_place();
		test_audit_verify(sess[A_ADMIN], "sandbox");
		test_sandbox();
	}
	test_empty_path();
	for (int a = 0; a < A_COUNT; a++)
		if (sess[a])
			core_close(sess[a]);
	remove_dir(tmpdir);
	return tap_done();
}
