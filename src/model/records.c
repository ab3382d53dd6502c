/* SPDX-License-Identifier: MIT */
/* The spec's stored codes, each defined once beside its enum, and the
 * records' release functions. */
#include "model/records.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_codes[STATUS_COUNT] = {
    [STATUS_PLANNED] = "A_FAIRE",    [STATUS_IN_PROGRESS] = "EN_COURS",
    [STATUS_SUCCEEDED] = "TERMINEE", [STATUS_FAILED] = "ECHEC",
    [STATUS_CANCELLED] = "ANNULEE",  [STATUS_REFUSED] = "REFUSEE",
};

static const char *const policy_key_codes[POLICY_KEY_COUNT] = {
    [POLICY_APPROVALS] = "approvals",
    [POLICY_CREATOR_APPROVES] = "creator-approves",
    [POLICY_APPROVER_EXECUTES] = "approver-executes",
    [POLICY_APPROVAL_HOURS] = "approval-hours",
    [POLICY_PROMOTION] = "promotion",
    [POLICY_ONE_AT_A_TIME] = "one-at-a-time",
    [POLICY_PLAN_REQUIRED] = "plan-required",
    [POLICY_HIGH_RISK_APPROVALS] = "high-risk-approvals",
};

static const char *const risk_codes[RISK_COUNT] = {
    [RISK_NONE] = "",
    [RISK_LOW] = "LOW",
    [RISK_MEDIUM] = "MEDIUM",
    [RISK_HIGH] = "HIGH",
};

static const char *const env_codes[ENV_COUNT] = {
    [ENV_DEV] = "DEV",
    [ENV_TEST] = "TEST",
    [ENV_PREPROD] = "PREPROD",
    [ENV_PROD] = "PROD",
};

static const char *const task_type_codes[TASK_TYPE_COUNT] = {
    [TASK_DEPLOYMENT] = "DEPLOIEMENT",
    [TASK_INCIDENT] = "INCIDENT",
};

static const char *const priority_codes[PRIORITY_COUNT] = {
    [PRIORITY_LOW] = "BASSE",
    [PRIORITY_NORMAL] = "NORMALE",
    [PRIORITY_HIGH] = "HAUTE",
};

static const char *const role_codes[ROLE_COUNT] = {
    [ROLE_MANAGER] = "CHEF_PROJET",
    [ROLE_DEVELOPER] = "DEVELOPPEUR",
    [ROLE_OTHER] = "AUTRE",
};

static const char *const stage_codes[STAGE_COUNT] = {
    [STAGE_DESIGN] = "CONCEPTION",
    [STAGE_DEVELOPMENT] = "DEVELOPPEMENT",
    [STAGE_TESTS] = "TESTS",
    [STAGE_DEPLOYMENT] = "DEPLOIEMENT",
};

static int
parse(const char *const *codes, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

#define CODE_FUNCS(name, type, table, count)                                   \
	const char *name##_code(type v)                                        \
	{                                                                      \
		return (int)v >= 0 && v < count ? table[v] : "?";              \
	}                                                                      \
	int name##_parse(const char *code)                                     \
	{                                                                      \
		return parse(table, count, code);                              \
	}

CODE_FUNCS(status, enum task_status, status_codes, STATUS_COUNT)
CODE_FUNCS(env, enum environment, env_codes, ENV_COUNT)
CODE_FUNCS(task_type, enum task_type, task_type_codes, TASK_TYPE_COUNT)
CODE_FUNCS(priority, enum priority, priority_codes, PRIORITY_COUNT)
CODE_FUNCS(role, enum role, role_codes, ROLE_COUNT)
CODE_FUNCS(stage, enum stage_code, stage_codes, STAGE_COUNT)
CODE_FUNCS(policy_key, enum policy_key, policy_key_codes, POLICY_KEY_COUNT)

const char *
risk_code(enum risk r)
{
	return r > RISK_NONE && r < RISK_COUNT ? risk_codes[r] : NULL;
}

int
risk_parse(const char *code)
{
	int r = code ? parse(risk_codes + 1, RISK_COUNT - 1, code) : -1;

	return !code ? RISK_NONE : r < 0 ? -1 : r + 1;
}

void
env_state_free(struct env_state *e)
{
	free(e->current);
	free(e->failed);
	free(e->running);
	free(e->next);
	memset(e, 0, sizeof *e);
}

void
user_free(struct user *u)
{
	free(u->login);
	free(u->full_name);
	memset(u, 0, sizeof *u);
}

void
project_free(struct project *p)
{
	free(p->code);
	free(p->name);
	memset(p, 0, sizeof *p);
}

void
member_free(struct member *m)
{
	free(m->login);
	free(m->full_name);
	free(m->granted_by);
	memset(m, 0, sizeof *m);
}

void
person_free(struct person *p)
{
	free(p->login);
	free(p->full_name);
	memset(p, 0, sizeof *p);
}

void
task_free(struct task *t)
{
	free(t->name);
	free(t->description);
	free(t->version);
	free(t->logs);
	free(t->source_version);
	free(t->close_reason);
	free(t->rollback_of_version);
	free(t->fixes_name);
	free(t->fixed_by_version);
	free(t->backout_plan);
	person_free(&t->responsible);
	person_free(&t->authorized_by);
	person_free(&t->started_by);
	person_free(&t->executed_by);
	person_free(&t->closed_by);
	person_free(&t->created_by);
	memset(t, 0, sizeof *t);
}

void
task_list_free(struct task_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		task_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
approval_list_free(struct approval_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		person_free(&l->items[i].by);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
freeze_list_free(struct freeze_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].project_code);
		free(l->items[i].reason);
		person_free(&l->items[i].created_by);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
exception_list_free(struct exception_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		struct exception *e = &l->items[i];

		free(e->version);
		free(e->project_code);
		free(e->rules);
		free(e->reason);
		free(e->review_note);
		person_free(&e->opened_by);
		person_free(&e->reviewed_by);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
audit_record_free(struct audit_record *r)
{
	free(r->login);
	free(r->action);
	free(r->entity);
	free(r->entity_id);
	free(r->project_id);
	free(r->before);
	free(r->after);
	free(r->host);
	memset(r, 0, sizeof *r);
}

void
audit_list_free(struct audit_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		audit_record_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
