/* SPDX-License-Identifier: MIT */
/* The records the model stores and returns: plain structs and enums, with
 * the spec's stored codes. No storage type appears here, so that core, cli
 * and ui can use them whatever the backend. */
#ifndef DD_MODEL_RECORDS_H
#define DD_MODEL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/timeutil.h"
#include "util/uuid.h"

enum task_status {
	STATUS_PLANNED,	    /* A_FAIRE */
	STATUS_IN_PROGRESS, /* EN_COURS */
	STATUS_SUCCEEDED,   /* TERMINEE */
	STATUS_FAILED,	    /* ECHEC */
	STATUS_CANCELLED,   /* ANNULEE: a deployment withdrawn unexecuted */
	STATUS_REFUSED,	    /* REFUSEE: a deployment refused */
	STATUS_COUNT
};

enum environment { ENV_DEV, ENV_TEST, ENV_PREPROD, ENV_PROD, ENV_COUNT };

/* A deployment's risk level; RISK_NONE: not stated (stored NULL). */
enum risk { RISK_NONE, RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_COUNT };

enum task_type {
	TASK_DEPLOYMENT, /* DEPLOIEMENT */
	TASK_INCIDENT,	 /* INCIDENT */
	TASK_TYPE_COUNT
};

enum priority {
	PRIORITY_LOW,	 /* BASSE */
	PRIORITY_NORMAL, /* NORMALE */
	PRIORITY_HIGH,	 /* HAUTE */
	PRIORITY_COUNT
};

enum role {
	ROLE_MANAGER,	/* CHEF_PROJET */
	ROLE_DEVELOPER, /* DEVELOPPEUR, with a senior flag */
	ROLE_OTHER,	/* AUTRE */
	ROLE_COUNT
};

/* A project's stages, in their order. */
enum stage_code {
	STAGE_DESIGN,	   /* CONCEPTION */
	STAGE_DEVELOPMENT, /* DEVELOPPEMENT */
	STAGE_TESTS,	   /* TESTS */
	STAGE_DEPLOYMENT,  /* DEPLOIEMENT */
	STAGE_COUNT
};

/* The keys of a project's policy in an environment (src/core knows their
 * values and defaults). */
enum policy_key {
	POLICY_APPROVALS,	    /* approvals */
	POLICY_CREATOR_APPROVES,    /* creator-approves */
	POLICY_APPROVER_EXECUTES,   /* approver-executes */
	POLICY_APPROVAL_HOURS,	    /* approval-hours */
	POLICY_PROMOTION,	    /* promotion */
	POLICY_ONE_AT_A_TIME,	    /* one-at-a-time */
	POLICY_PLAN_REQUIRED,	    /* plan-required */
	POLICY_HIGH_RISK_APPROVALS, /* high-risk-approvals */
	POLICY_KEY_COUNT
};

/* Stored code of each value ("A_FAIRE") and back; the parsers return -1
 * for an unknown code. Codes never change with the language. */
const char *status_code(enum task_status s);
int status_parse(const char *code);
const char *env_code(enum environment e);
int env_parse(const char *code);
const char *task_type_code(enum task_type t);
int task_type_parse(const char *code);
const char *priority_code(enum priority p);
int priority_parse(const char *code);
const char *role_code(enum role r);
int role_parse(const char *code);
const char *stage_code(enum stage_code c);
int stage_parse(const char *code);
const char *policy_key_code(enum policy_key k);
int policy_key_parse(const char *code);
/* RISK_NONE has no code (NULL); risk_parse(NULL) is RISK_NONE. */
const char *risk_code(enum risk r);
int risk_parse(const char *code);

typedef int64_t user_id;

struct user {
	user_id id;
	char *login;
	char *full_name;
	bool is_admin;
};

struct project {
	char id[UUID_SIZE];
	char *code;
	char *name;
};

struct member {
	user_id user;
	char *login;
	char *full_name;
	enum role role;
	bool senior;
	/* Since when the member holds this role, and who granted it (the
	 * trail's last member.set about them): core_member_list fills them;
	 * "" and NULL when the trail says nothing. */
	char since[TIME_ISO_SIZE];
	char *granted_by;
};

struct stage {
	char id[UUID_SIZE];
	enum stage_code code;
	enum task_status status; /* never STATUS_FAILED */
};

/* A person as a task shows them: id 0 and NULL names when unset. */
struct person {
	user_id id;
	char *login;
	char *full_name;
};

/* A task of a stage: a deployment or an incident (the spec's TacheEtape).
 * Strings are owned; release with task_free(). */
struct task {
	char id[UUID_SIZE];
	char stage_id[UUID_SIZE];
	char project_id[UUID_SIZE];
	enum task_type type;
	char *name;
	char *description;
	enum task_status status;
	enum priority priority;
	struct person responsible;
	char planned_at[TIME_ISO_SIZE]; /* "" when unset */
	char *version;			/* deployments; NULL otherwise */
	enum environment environment;	/* deployments */
	char *logs;			/* NULL until executed */
	struct person authorized_by;
	char authorized_at[TIME_ISO_SIZE];
	struct person started_by;
	char started_at[TIME_ISO_SIZE];
	struct person executed_by;
	char executed_at[TIME_ISO_SIZE];
	/* Cancelled or refused: by whom, when, why (NULL otherwise). */
	struct person closed_by;
	char closed_at[TIME_ISO_SIZE];
	char *close_reason;
	char source_task[UUID_SIZE]; /* incidents: the failed deployment */
	char *source_version;	     /* incidents: that deployment's version */
	char incident_id[UUID_SIZE]; /* failed deployments: its incident */
	struct person created_by;
	char created_at[TIME_ISO_SIZE];
	int64_t row_version; /* bumped by every change */
	int approvals;	     /* deployments: approvals standing now */
	int exceptions;	     /* deployments: overrides of the policy */
	/* A rollback: the deployment it rolls back, and that one's version;
	 * the rollback planned from this one ("" and NULL when none). */
	char rollback_of[UUID_SIZE];
	char *rollback_of_version;
	char rolled_back_by[UUID_SIZE];
	/* A deployment: the incident it fixes, and its name; an incident:
	 * the first deployment that states it fixes it, and its version. */
	char fixes[UUID_SIZE];
	char *fixes_name;
	char fixed_by[UUID_SIZE];
	char *fixed_by_version;
	/* A deployment's risk level and back-out plan (NULL: none). */
	enum risk risk;
	char *backout_plan;
};

/* What runs in one environment of a project: the deployment that last
 * succeeded there (in history order) and when it ended, the last that
 * failed after it, the one in progress, and the planned ones (how many,
 * and the earliest). Strings NULL and times "" when none; release with
 * env_state_free(). */
struct env_state {
	char *current;
	char current_id[UUID_SIZE];
	char current_at[TIME_ISO_SIZE];
	char *failed;
	char failed_id[UUID_SIZE];
	char failed_at[TIME_ISO_SIZE];
	char *running;
	char running_id[UUID_SIZE];
	char running_at[TIME_ISO_SIZE];
	char *next;
	char next_id[UUID_SIZE];
	char next_at[TIME_ISO_SIZE];
	int64_t planned;
};
void env_state_free(struct env_state *e);

/* A list of tasks; release with task_list_free(). */
struct task_list {
	struct task *items;
	size_t count;
};

/* One person's approval of a deployment. */
struct approval {
	struct person by;
	char approved_at[TIME_ISO_SIZE];
	char expires_at[TIME_ISO_SIZE]; /* "" when it does not expire */
};

struct approval_list {
	struct approval *items;
	size_t count;
};

/* A project's policy as stored: the values set, per environment and key
 * (set false: not stored, the default applies). */
struct policy {
	int64_t value[ENV_COUNT][POLICY_KEY_COUNT];
	bool set[ENV_COUNT][POLICY_KEY_COUNT];
};

/* A freeze: no deployment of its project (every one when project_id is
 * "") in its environment (every one when has_env is false) starts or is
 * executed inside it. One-off (starts_at to ends_at) or weekly (minutes
 * after Monday 00:00 local time; to before from: over the weekend). */
struct freeze {
	int64_t id;
	char project_id[UUID_SIZE];
	char *project_code; /* NULL for every project */
	bool has_env;
	enum environment environment;
	char starts_at[TIME_ISO_SIZE]; /* "" when weekly */
	char ends_at[TIME_ISO_SIZE];
	bool weekly;
	int weekly_from, weekly_to;
	char *reason;
	struct person created_by;
	char created_at[TIME_ISO_SIZE];
};

struct freeze_list {
	struct freeze *items;
	size_t count;
};

/* An override of a project's policy on a deployment, and its review. */
struct exception {
	int64_t id;
	char task_id[UUID_SIZE];
	char *version;	    /* the deployment's */
	char *project_code; /* its project's */
	char action[24];    /* "deploy.start", ... */
	char *rules;	    /* the rules passed: "approvals freeze" */
	char *reason;
	struct person opened_by;
	char opened_at[TIME_ISO_SIZE];
	struct person reviewed_by; /* id 0 while open */
	char reviewed_at[TIME_ISO_SIZE];
	char *review_note;
};

struct exception_list {
	struct exception *items;
	size_t count;
};

/* Counts of a project's deployments (spec rule 5). */
struct deploy_stats {
	int64_t total;
	int64_t succeeded;
	int64_t failed;
	int64_t planned;
	int64_t in_progress;
	/* Closed unexecuted: counted apart, not in total. */
	int64_t cancelled;
	int64_t refused;
};

/* One record of the audit trail. */
struct audit_record {
	int64_t seq;
	char ts[TIME_ISO_SIZE];
	int64_t uid;
	char *login;
	int64_t login_uid; /* -1 when unknown */
	char *action;	   /* "deploy.authorize", ... */
	char *entity;	   /* "task", "user", "project", ... */
	char *entity_id;
	char *project_id; /* NULL when not about one project */
	char *before;	  /* JSON object or NULL */
	char *after;	  /* JSON object or NULL */
	char *host;	  /* where it was made; NULL before schema 19 */
	unsigned char prev_hash[32];
	unsigned char hash[32];
};

struct audit_list {
	struct audit_record *items;
	size_t count;
};

/* Where a page starts: after (older than) or before (newer than) the row
 * with this key; an empty key starts at the newest (or, going backwards,
 * the oldest) row. */
struct task_cursor {
	char sort_key[TIME_ISO_SIZE];
	char id[UUID_SIZE];
	bool inclusive; /* the page starts at this row itself */
};

enum page_direction {
	PAGE_OLDER, /* rows after the cursor, newest first */
	PAGE_NEWER, /* rows before the cursor, returned newest first */
};

/* One row of a listing as the command line prints it and forgets it: only
 * the columns a list shows. The fixed fields are copied as task's are (cut
 * to size, "" for NULL); the pointers are the storage's own text, NULL for
 * NULL, valid only until the row callback returns. */
struct task_row {
	char id[UUID_SIZE];
	const char *version; /* deployments */
	const char *name;    /* incidents */
	enum environment environment;
	enum task_status status;
	enum priority priority;
	bool authorized;
	int approvals; /* standing now */
	enum risk risk;
	char planned_at[TIME_ISO_SIZE];
	char created_at[TIME_ISO_SIZE];
	char source_task[UUID_SIZE];
	const char *responsible_login;
	const char *responsible_name;
};

/* Which audit records a listing holds: each condition given (not NULL)
 * must hold. Times are UTC ISO, from inclusive, to exclusive; action is an
 * action's name ("deploy.authorize") or its noun ("deploy"). */
struct audit_filter {
	const char *project_id;
	const char *from, *to;
	const char *login;
	const char *action;
	bool newest_first; /* the seq before the cursor, descending */
};

/* One audit record as a listing shows it (no hashes); the same lifetime as
 * task_row's pointers. */
struct audit_row {
	int64_t seq;
	char ts[TIME_ISO_SIZE];
	int64_t uid;
	const char *login;
	int64_t login_uid; /* -1 when unknown */
	const char *action;
	const char *entity_id;
	const char *before;
	const char *after;
	const char *host; /* NULL before schema 19 */
};

/* Called for each row streamed by a listing; the row is gone after. */
typedef void (*task_row_fn)(const struct task_row *row, void *data);
typedef void (*audit_row_fn)(const struct audit_row *row, void *data);

void user_free(struct user *u);
void project_free(struct project *p);
void member_free(struct member *m);
void person_free(struct person *p);
void task_free(struct task *t);
void task_list_free(struct task_list *l);
void approval_list_free(struct approval_list *l);
void freeze_list_free(struct freeze_list *l);
void exception_list_free(struct exception_list *l);
void audit_record_free(struct audit_record *r);
void audit_list_free(struct audit_list *l);

#endif
