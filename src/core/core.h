/* SPDX-License-Identifier: MIT */
/* The workflow core: who may do what, when; every transition in one
 * transaction with its audit record and, on failure, its incident. Knows no
 * SQL and no terminal; prints nothing. The screens and the command line call
 * only this. */
#ifndef DD_CORE_CORE_H
#define DD_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/records.h"
#include "util/error.h"

/* Limits of what people type, checked before anything is written. */
#define CORE_VERSION_MAX 50	    /* characters (spec rule 1) */
#define CORE_DESCRIPTION_MAX 10000  /* characters */
#define CORE_BACKOUT_PLAN_MAX 10000 /* characters */
#define CORE_NAME_MAX 200	    /* characters: people and projects */
#define CORE_LOGIN_MAX 32	    /* bytes, [A-Za-z0-9._-] */
#define CORE_CODE_MAX 16	    /* bytes, [A-Z0-9_-] */
#define CORE_LOGS_MAX (1024 * 1024) /* bytes of logs */
#define CORE_ID_PREFIX_MIN 4	    /* shortest id prefix accepted */

struct core_session;
struct strbuf;

/* What init makes. A sandbox lets --as act as other users; a demo is a
 * sandbox with the spec's example project (core-demo.c). shared_group (not
 * NULL) makes the shared install's database: only root or a member of that
 * group may, its directory becomes root:group 2770 and the file
 * group-owned 0660; it is never a sandbox. */
struct core_init_options {
	bool sandbox;
	bool demo;
	const char *shared_group;
};

/* Creates a database at path (a location, util/dblocation.h); the
 * calling OS account becomes its first admin. A file is built in a
 * temporary file next to path and moved into place at the end, never
 * replacing a file: a failed or killed init leaves nothing at path. A
 * server's database is made in one transaction, in an empty database
 * only. */
enum dd_code core_init(const char *path, const struct core_init_options *opt,
		       struct dd_error *err);

/* Opens the database as the calling OS account, or, on a sandbox database
 * only, as the registered user as_login (NULL: the OS account). shared:
 * this process holds the shared install's group and path is its database,
 * which is never a sandbox and never lets anyone act as another. */
enum dd_code core_open(const char *path, const char *as_login, bool shared,
		       struct core_session **out, struct dd_error *err);
void core_close(struct core_session *s);
/* The time the session's changes are made at from now on, instead of the
 * system clock's (0: the system clock again): a test clock, as the demo
 * uses to write its history. */
void core_clock_set(struct core_session *s, time_t at);
/* What messages call the database at location: a file's path, or a
 * server's database and host, never a location's text, which may hold a
 * password (*password says whether it does; may be NULL). malloc'd. */
char *core_location_name(const char *location, bool *password);
/* True when location names a PostgreSQL server's database. */
bool core_location_is_server(const char *location);
/* Removes a database that is no longer open (the throw-away demo). */
void core_delete_database(const char *path);

/* The person acting. */
const struct user *core_me(const struct core_session *s);
bool core_is_sandbox(const struct core_session *s);
/* The backup written when opening migrated an older database, or NULL. */
const char *core_migration_backup(const struct core_session *s);
/* Changes when another process commits: for live screens. */
enum dd_code core_data_version(struct core_session *s, int64_t *out,
			       struct dd_error *err);

/* Copies the database at from, whole, into a new one at to (core-copy.c),
 * on the same engine or the other: a SQLite file that does not exist yet
 * (built aside and moved into place at the end, as init's is), or a
 * PostgreSQL server's database whose schema is empty (made in one
 * transaction, left empty on failure). Ids and the audit trail are copied
 * as they are stored: the copy's head is from's, and audit verify passes
 * on it when it passes on from. Only an admin of from may, acting as
 * themselves or, on a sandbox, as as_login. from is opened as core_open
 * opens it (shared: see there; an older schema is upgraded then), and
 * only read after, in one state of its data. Once it is being read, and
 * before to is touched, settle (when not NULL) is called with data: the
 * caller gives up there what only from needed (the shared install's
 * group). */
struct core_copy_options {
	const char *as_login;
	bool shared;
	enum dd_code (*settle)(void *data, struct dd_error *err);
	void *data;
};
struct core_copy_report {
	char *from, *to;  /* what messages call them (malloc'd) */
	char *backup;	  /* from's backup, when opening upgraded it */
	int64_t rows;	  /* rows copied */
	int64_t head_seq; /* the trail's head, the same in both */
	char head[65];	  /* its hash, in hexadecimal */
};
enum dd_code core_db_copy(const char *from, const char *to,
			  const struct core_copy_options *opt,
			  struct core_copy_report *out, struct dd_error *err);
void core_copy_report_free(struct core_copy_report *r);

/* The spec's permission table. */
enum core_action {
	ACTION_VIEW,
	ACTION_CREATE,
	ACTION_AUTHORIZE,
	ACTION_EXECUTE,
	ACTION_COUNT
};

/* What a person is in a project. */
struct core_standing {
	bool is_admin;
	bool is_member;
	enum role role; /* when a member */
	bool senior;	/* when a developer */
};

/* True when the spec's table lets someone of this standing do the action. */
bool core_standing_may(const struct core_standing *who, enum core_action a);

/* A project as the screens and the command line see it: its stages and the
 * acting person's standing in it. Release with core_project_free(). */
struct core_project {
	struct project project;
	struct stage stages[STAGE_COUNT];
	struct core_standing me;
	struct policy policy;	    /* as stored: core_policy_value reads it */
	struct freeze_list freezes; /* its own and every project's */
	char **blocked;		    /* its blocked versions, sorted */
	size_t nblocked;
};

/* Finds a project by code (any case) or by id (a unique prefix of at least
 * CORE_ID_PREFIX_MIN characters). */
enum dd_code core_project_open(struct core_session *s, const char *ref,
			       struct core_project *out, struct dd_error *err);
/* The same for a project already read (core_project_list): *p moves
 * into out, as if it had been found again. */
enum dd_code core_project_take(struct core_session *s, struct project *p,
			       struct core_project *out, struct dd_error *err);
void core_project_free(struct core_project *p);

/* A project's policy, per environment: keys an admin sets (policy set),
 * each with its range and its default, which keeps the spec's workflow. */
struct core_policy_key {
	const char *code; /* policy_key_code() */
	bool yes_no;	  /* a yes/no key; else a number in min..max */
	int64_t min, max, fallback;
	const char *help; /* what it means, N_ */
};
const struct core_policy_key *core_policy_key_info(enum policy_key k);
/* The value in force: the one set, else the default. */
int64_t core_policy_value(const struct core_project *p, enum environment e,
			  enum policy_key k);
/* A value as people read and type it ("yes", "no", "2"), into buf. */
const char *core_policy_value_text(enum policy_key k, int64_t v, char *buf,
				   size_t size);
/* Sets key (its code) to value (as typed) for project_ref in environment
 * env (any word core_env_word takes): admins only; audited. */
enum dd_code core_policy_set(struct core_session *s, const char *project_ref,
			     const char *env, const char *key,
			     const char *value, struct dd_error *err);

/* Freezes (core-freeze.c). A new one, as typed: of project (NULL: every
 * project; admins only) and environment (NULL: every one), one-off from
 * and to ("YYYY-MM-DD HH:MM" local) or weekly ("fri 16:00-mon 08:00",
 * local time, English or French days), for a reason. Admins, and a
 * project's manager for their project. */
struct core_freeze_input {
	const char *project;
	const char *environment;
	const char *from, *to;
	const char *weekly;
	const char *reason;
};
enum dd_code core_freeze_add(struct core_session *s,
			     const struct core_freeze_input *in,
			     int64_t *id_out, struct dd_error *err);
/* The freezes of a project and of every project (project_ref NULL: all
 * of them), by id. */
enum dd_code core_freeze_list(struct core_session *s, const char *project_ref,
			      struct freeze_list *out, struct dd_error *err);
enum dd_code core_freeze_remove(struct core_session *s, int64_t id,
				struct dd_error *err);
/* Whether f is on at now, and until when (*until, when not NULL). */
bool core_freeze_on(const struct freeze *f, time_t now, time_t *until);
/* A weekly window as typed, into minutes of the week; and back, as the
 * trail, JSON and CSV write it ("fri 16:00-mon 08:00"); and in the
 * reader's words ("ven 16:00-lun 08:00" in French), for the screens and
 * tables. */
bool core_weekly_parse(const char *text, int *from, int *to);
void core_weekly_text(int from, int to, char *out, size_t size);
void core_weekly_label(int from, int to, char *out, size_t size);
/* What the screens say of p's freezes, into out (reset; empty for none):
 * the one on now, else one beginning within a week. */
void core_freeze_notice(const struct core_session *s,
			const struct core_project *p, struct strbuf *out);

/* Versions blocked in a project (version block): neither planned,
 * approved nor started in any environment. Admins and the project's
 * manager; the reason as a cancel's. */
enum dd_code core_version_block(struct core_session *s, const char *project_ref,
				const char *version, const char *reason,
				struct dd_error *err);
enum dd_code core_version_unblock(struct core_session *s,
				  const char *project_ref, const char *version,
				  struct dd_error *err);
/* Whether the caller may change project p's policy: DD_OK, or
 * DD_ERR_PERM with why in err (which may be NULL). */
enum dd_code core_may_set_policy(const struct core_project *p,
				 struct dd_error *err);
/* Whether the caller may block and unblock project p's versions: DD_OK,
 * or DD_ERR_PERM with why in err (which may be NULL). */
enum dd_code core_may_block_versions(const struct core_project *p,
				     struct dd_error *err);
/* Whether the caller may block version in project_id now (it is not
 * blocked yet): for the offer after a failure. */
bool core_may_block(struct core_session *s, const char *project_id,
		    const char *version);
/* Whether version is blocked in p (as opened). */
bool core_version_blocked(const struct core_project *p, const char *version);

/* People, projects, members, stages. */
enum dd_code core_user_add(struct core_session *s, const char *login,
			   const char *full_name, bool admin,
			   struct dd_error *err);
enum dd_code core_user_list(struct core_session *s, struct user **out,
			    size_t *count, struct dd_error *err);
enum dd_code core_project_add(struct core_session *s, const char *code,
			      const char *name, struct dd_error *err);
enum dd_code core_project_list(struct core_session *s, struct project **out,
			       size_t *count, struct dd_error *err);
enum dd_code core_member_add(struct core_session *s, const char *project_ref,
			     const char *login, enum role role, bool senior,
			     struct dd_error *err);
enum dd_code core_member_list(struct core_session *s,
			      const struct core_project *p, struct member **out,
			      size_t *count, struct dd_error *err);
/* The members who may be a deployment's responsible person (not the
 * viewers), in member_list's order. */
enum dd_code core_responsible_list(struct core_session *s,
				   const struct core_project *p,
				   struct member **out, size_t *count,
				   struct dd_error *err);
enum dd_code core_stage_set(struct core_session *s, const char *project_ref,
			    enum stage_code stage, enum task_status status,
			    struct dd_error *err);

/* A new deployment, as typed: every field is text, validated by the core. */
struct core_deploy_input {
	const char *version;
	const char *environment; /* DEV, TEST, PREPROD, PROD (any case) */
	const char *description;
	const char *responsible;  /* a member's login */
	const char *planned;	  /* "YYYY-MM-DD HH:MM", local time */
	const char *rollback_of;  /* core_deploy_rollback's: NULL */
	const char *fixes;	  /* the incident it fixes (an id), or NULL */
	const char *risk;	  /* low, medium, high, none; NULL: not given */
	const char *backout_plan; /* how to undo it; NULL: not given */
};

/* Which field a validation error is about, for screens that show the error
 * next to it. */
enum core_field {
	FIELD_NONE,
	FIELD_VERSION,
	FIELD_ENVIRONMENT,
	FIELD_DESCRIPTION,
	FIELD_RESPONSIBLE,
	FIELD_PLANNED,
	FIELD_RISK,
	FIELD_BACKOUT_PLAN,
	FIELD_LOGS,
};

/* Checks a new deployment's fields without writing; *field tells which one
 * is wrong. */
enum dd_code core_deploy_validate(struct core_session *s,
				  const struct core_project *p,
				  const struct core_deploy_input *in,
				  enum core_field *field, struct dd_error *err);
/* Checks one field alone, so that a form can show every error at once. */
enum dd_code core_deploy_check_field(struct core_session *s,
				     const struct core_project *p,
				     const struct core_deploy_input *in,
				     enum core_field f, struct dd_error *err);
enum dd_code core_deploy_create(struct core_session *s,
				const struct core_project *p,
				const struct core_deploy_input *in,
				char id_out[UUID_SIZE], enum core_field *field,
				struct dd_error *err);

/* The other deployments planned in the same environment on the same day
 * (local time) as the deployment id: a warning at creation, not a refusal.
 * The versions of the first CORE_SAME_DAY_MAX of them, earliest first, and
 * how many there are; core_same_day_free() releases them. */
#define CORE_SAME_DAY_MAX 3
struct core_same_day {
	char *versions[CORE_SAME_DAY_MAX];
	size_t count;
	enum environment env;
	char day[16]; /* the day, YYYY-MM-DD */
};
enum dd_code core_deploy_same_day(struct core_session *s, const char *id,
				  struct core_same_day *out,
				  struct dd_error *err);
void core_same_day_free(struct core_same_day *d);
/* The warning in words, into out (reset first): "v1.2.9 is also planned
 * on Production that day (2026-03-01)"; empty when count is 0. */
void core_same_day_text(const struct core_same_day *d, struct strbuf *out);

/* Changes a planned deployment: the fields of changes that are not NULL
 * (version, environment, description, responsible, planned date, checked
 * as at creation). Whoever may create may; the deployment must still be
 * planned. Its authorization, if any, is withdrawn (*withdrew says so). */
enum dd_code core_deploy_edit(struct core_session *s, const char *id,
			      int64_t expected_version,
			      const struct core_deploy_input *changes,
			      bool *withdrew, struct dd_error *err);

/* Closes a planned deployment without executing it, for a reason (1 to
 * CORE_REASON_MAX characters, kept on the deployment and in the trail):
 * how STATUS_CANCELLED withdraws it (whoever may create), STATUS_REFUSED
 * refuses it (whoever may authorize). */
#define CORE_REASON_MAX 1000
enum dd_code core_deploy_close(struct core_session *s, const char *id,
			       int64_t expected_version, enum task_status how,
			       const char *reason, struct dd_error *err);

/* A deployment's approvals: each standing one (its person, when, until
 * when), how many of them count now, and how many its environment's
 * policy asks for. Release with core_approvals_free(). */
struct core_approvals {
	struct approval_list list;
	bool *valid; /* per item: not expired now */
	int standing;
	int required;
};
enum dd_code core_deploy_approvals(struct core_session *s,
				   const struct core_project *p,
				   const struct task *t,
				   struct core_approvals *out,
				   struct dd_error *err);
void core_approvals_free(struct core_approvals *a);
/* The names of those whose approval counts, "Marie Martin, Alice Admin",
 * into out (reset). */
void core_approvals_names(const struct core_approvals *a, struct strbuf *out);
/* "PROD needs 2 approvals; 1 given: Marie Martin", into out (reset). */
void core_approvals_text(const struct core_project *p, const struct task *t,
			 const struct core_approvals *a, struct strbuf *out);
/* Whether a deployment of p in environment e, of risk r and status s is
 * authorized now: while planned, when its standing approvals make the
 * count its policy asks for; after, when it was (authorized: its authorization
 * is recorded). A history shows it Yes or No, or, while planned and short of
 * more than one approval asked for, the count: "1/2" into buf, which
 * core_approvals_count returns (NULL when Yes or No is shown). */
bool core_authorized_now(const struct core_project *p, enum environment e,
			 enum risk r, enum task_status s, bool authorized,
			 int approvals);
const char *core_approvals_count(const struct core_project *p,
				 enum environment e, enum risk r,
				 enum task_status s, int approvals, char *buf,
				 size_t size);
/* Whether p's policy in environment e asks a deployment for a risk level
 * and a back-out plan (plan-required). */
bool core_plan_required(const struct core_project *p, enum environment e);
/* How many approvals a deployment of risk r in environment e asks for:
 * the policy's approvals, and its high-risk-approvals when r is high. */
int core_approvals_needed(const struct core_project *p, enum environment e,
			  enum risk r);
/* core_approvals_needed for deployment t. */
int core_approvals_required(const struct core_project *p, const struct task *t);

/* Withdraws an approval of a planned deployment, for a reason (as
 * core_deploy_close's): the caller's own (approver NULL), or, for an admin
 * or the project's manager, that of the person whose login is approver.
 * Below the count its policy asks for, it is no longer authorized. */
enum dd_code core_deploy_revoke(struct core_session *s, const char *id,
				int64_t expected_version, const char *approver,
				const char *reason, struct dd_error *err);

/* Plans the rollback of deployment id: the version that succeeded last in
 * its environment, by the time of execution, when it was executed (not
 * executed yet: by now), now, for its
 * responsible person, described "Rollback of v1.2.0", linked to it both
 * ways (rollback_of, rolled_back_by). Whoever may create; it goes through
 * the same approvals and policies as any plan. */
/* The version running now in the environment of deployment id (the
 * last success there) when a rollback of it would replace it, being
 * neither the version planned nor the deployment's own: one that
 * succeeded after it; *version NULL otherwise (to free). */
enum dd_code core_deploy_rollback_replaces(struct core_session *s,
					   const char *id, char **version,
					   struct dd_error *err);
enum dd_code core_deploy_rollback(struct core_session *s, const char *id,
				  char id_out[UUID_SIZE], struct dd_error *err);
/* The version core_deploy_rollback would plan, or why it would refuse
 * (the caller may not plan, a rollback of it is already planned or in
 * progress, no version succeeded before it); *version to free. */
enum dd_code core_deploy_rollback_version(struct core_session *s,
					  const char *id, char **version,
					  struct dd_error *err);

/* Finds a deployment (or an incident) by a unique id prefix. */
enum dd_code core_deploy_find(struct core_session *s, const char *ref,
			      struct task *out, struct dd_error *err);
enum dd_code core_incident_find(struct core_session *s, const char *ref,
				struct task *out, struct dd_error *err);

/* What a person may be asked to do, for the one permission question the
 * screens ask (core_may). */
enum core_verb {
	VERB_CREATE,	      /* plan a deployment in the project */
	VERB_AUTHORIZE,	      /* the deployment */
	VERB_START,	      /* the deployment: in progress */
	VERB_EXECUTE,	      /* the deployment: record its outcome */
	VERB_SET_INCIDENT,    /* the incident's status */
	VERB_ASSIGN_INCIDENT, /* the incident's responsible person */
	VERB_EDIT,	      /* the deployment's plan */
	VERB_CANCEL,	      /* the deployment: withdraw it unexecuted */
	VERB_REJECT,	      /* the deployment: refuse it */
	VERB_REVOKE,	      /* the deployment: withdraw one's approval */
	VERB_COUNT
};

/* Whether the acting person may do verb now: in project p, on task t (the
 * deployment or incident it is about; NULL for VERB_CREATE). When not, err
 * (which may be NULL) says why in a sentence: DD_ERR_PERM for the role,
 * DD_ERR_REFUSED for the state. */
enum dd_code core_may(struct core_session *s, const struct core_project *p,
		      const struct task *t, enum core_verb v,
		      struct dd_error *err);

/* Whether the acting person, an admin, may do verb (authorize, start,
 * execute) on t with an override (core_override_next): what refuses it is
 * only the project's policy. rules (when not NULL) receives the rules the
 * override would pass, as policy keys ("approvals freeze"). */
bool core_may_override(struct core_session *s, const struct core_project *p,
		       const struct task *t, enum core_verb v,
		       struct strbuf *rules);
/* The exception the last transition's override opened (0: none), and the
 * rules it passed, into rules (reset). */
int64_t core_last_exception(const struct core_session *s, struct strbuf *rules);

/* The statuses an incident may be given, in their order (A_FAIRE,
 * EN_COURS, TERMINEE); returns how many. */
size_t core_incident_statuses(enum task_status out[STATUS_COUNT]);

/* An admin's override of the next of these transitions (authorize,
 * start, succeed, fail): the rules of the project's policy that refuse it
 * (too few approvals, creator-approves, approver-executes, a freeze) are
 * passed, for reason (as a cancel's); the spec's own rules still hold.
 * The override is an exception, recorded with the step and flagged on the
 * deployment, open until someone else reviews it (core_exception_review).
 * A transition that needs no override is refused when one is asked for.
 * reason NULL forgets an override asked for. */
enum dd_code core_override_next(struct core_session *s, const char *reason,
				struct dd_error *err);

/* Exceptions (core-exception.c): those of a project (NULL: of every
 * project), only the open ones when open_only; overdue when open longer
 * than CORE_EXCEPTION_HOURS; reviewed, with a note (as a reason), by
 * someone other than the admin who overrode who may authorize in its
 * project. */
#define CORE_EXCEPTION_HOURS 72
enum dd_code core_exception_list(struct core_session *s,
				 const char *project_ref, bool open_only,
				 struct exception_list *out,
				 struct dd_error *err);
bool core_exception_overdue(const struct exception *e, time_t now);
/* Whether e is overdue by the session's clock (the same rule); if so, the
 * moment it became so (UTC) into since, else "" there. For the screens and
 * the inbox, which say it with the date. */
bool core_exception_overdue_since(const struct core_session *s,
				  const struct exception *e,
				  char since[TIME_ISO_SIZE]);
/* The first open exception of deployment t (of p) the caller may review,
 * into out (release with exception_list_free on a list of one, or free
 * its strings); else why not. */
enum dd_code core_exception_to_review(struct core_session *s,
				      const struct core_project *p,
				      const struct task *t,
				      struct exception *out,
				      struct dd_error *err);
enum dd_code core_exception_review(struct core_session *s, int64_t id,
				   const char *note, struct dd_error *err);

/* The transitions. expected_version is the row_version the person saw (0:
 * whatever is current); if the deployment changed since, nothing is written
 * and the error says why: the rule it now breaks ("already authorized by
 * ...") or, if it breaks none, that it changed meanwhile. logs is len bytes
 * of UTF-8. */
enum dd_code core_deploy_authorize(struct core_session *s, const char *id,
				   int64_t expected_version,
				   struct dd_error *err);
enum dd_code core_deploy_start(struct core_session *s, const char *id,
			       int64_t expected_version, struct dd_error *err);
enum dd_code core_deploy_succeed(struct core_session *s, const char *id,
				 int64_t expected_version, const char *logs,
				 size_t len, struct dd_error *err);
/* Records the failure and creates its incident, whose id it returns. */
enum dd_code core_deploy_fail(struct core_session *s, const char *id,
			      int64_t expected_version, const char *logs,
			      size_t len, char incident_out[UUID_SIZE],
			      struct dd_error *err);

/* Logs to record: UTF-8 text, and where it came from when it was imported
 * from a file (the audit trail keeps the encoding and the digest of the
 * original bytes). */
struct core_logs {
	const char *text;
	size_t len;
	const char *encoding; /* NULL when typed */
	size_t source_len;
	unsigned char source_sha256[32];
	char *owned; /* the converted text, when core_logs_import made it */
};

/* Reads imported bytes as logs: UTF-8 when valid (a byte order mark
 * dropped), else the encoding named (when not NULL), else CP1252; then
 * checks them. Release with core_logs_free(). */
enum dd_code core_logs_import(const char *data, size_t len,
			      const char *encoding, struct core_logs *out,
			      struct dd_error *err);
void core_logs_free(struct core_logs *logs);

/* Records an execution's outcome (STATUS_SUCCEEDED or STATUS_FAILED) with
 * its logs; a failure opens the incident (incident_out may be NULL for a
 * success). core_deploy_succeed and core_deploy_fail are this with typed
 * logs. */
enum dd_code core_deploy_record(struct core_session *s, const char *id,
				int64_t expected_version,
				enum task_status outcome,
				const struct core_logs *logs,
				char incident_out[UUID_SIZE],
				struct dd_error *err);

/* Checks logs before they are recorded (size, UTF-8, no NUL byte). */
enum dd_code core_logs_validate(const char *logs, size_t len,
				struct dd_error *err);
/* Whether logs may record an outcome: valid, and not empty (a success
 * needs them as a failure does). core_deploy_record asks it; a screen
 * asks it before its confirmation question. */
enum dd_code core_logs_check(const char *text, size_t len,
			     struct dd_error *err);

/* A page of a project's deployments or incidents, newest first (logs are
 * left NULL: read one task for them). */
struct core_page_query {
	enum task_type type;
	int environment; /* enum environment or -1 */
	int status;	 /* enum task_status or -1 */
	/* Words to search, or NULL: each word begins a word of the
	 * deployment's version, task name, description, responsible person
	 * (login or name) or logs; all must; case and accents ignored. At
	 * most CORE_SEARCH_MAX characters. */
	const char *text;
};
#define CORE_SEARCH_MAX 200
enum dd_code core_task_page(struct core_session *s,
			    const struct core_project *p,
			    const struct core_page_query *q,
			    const struct task_cursor *from,
			    enum page_direction direction, int limit,
			    struct task_list *out, struct dd_error *err);
/* The cursor that continues after (or before) this task. */
void core_task_cursor(const struct task *t, struct task_cursor *out);
/* A listing's rows, streamed (model_task_rows): up to limit rows older
 * than *cursor, each handed to fn; *count says how many, *cursor moves past
 * the last. q's text must be NULL. */
enum dd_code core_task_rows(struct core_session *s,
			    const struct core_project *p,
			    const struct core_page_query *q,
			    struct task_cursor *cursor, int limit,
			    task_row_fn fn, void *data, size_t *count,
			    struct dd_error *err);

/* Moves an incident to another status (the responsible person or an
 * admin), with a note (NULL: none) saying what was done: required to close
 * it (TERMINEE), at most CORE_NOTE_MAX characters, kept in the trail. */
#define CORE_NOTE_MAX 1000
enum dd_code core_incident_set(struct core_session *s, const char *id,
			       int64_t expected_version,
			       enum task_status status, const char *note,
			       struct dd_error *err);
/* Hands an incident to another member who acts in its project (by login):
 * an admin, the project's manager or its responsible person may. */
enum dd_code core_incident_assign(struct core_session *s, const char *id,
				  int64_t expected_version, const char *login,
				  struct dd_error *err);

/* Spec rule 5. */
enum dd_code core_stats(struct core_session *s, const struct core_project *p,
			struct deploy_stats *out, struct dd_error *err);
/* succeeded / total * 100, or 0 when there is none. Computed in floating
 * point from the counts as they are stored, so that no stored value can
 * divide by zero or overflow; counts that do not add up (a damaged or
 * edited file) give a rate outside 0-100, shown as it is. */
double core_success_rate(const struct deploy_stats *st);

/* The audit trail: a page of records after seq (of one project, or of one
 * entity, when not NULL), and the verification of the whole chain. */
enum dd_code core_audit_page(struct core_session *s, const char *project_id,
			     const char *entity_id, int64_t after_seq,
			     int limit, struct audit_list *out,
			     struct dd_error *err);
/* The same records streamed for a listing (model_audit_rows): up to limit
 * after *after_seq, which moves to the last one handed to fn. */
enum dd_code core_audit_rows(struct core_session *s,
			     const struct audit_filter *f, int64_t *after_seq,
			     int limit, audit_row_fn fn, void *data,
			     size_t *count, struct dd_error *err);
/* A period as typed ("2026-03-01", or with a time "2026-03-01 14:00", or
 * in the locale's form; local time): from's start, and to's end, a day
 * alone being whole, into UTC ISO ("" when not given). */
enum dd_code core_period(const char *from, const char *to,
			 char from_iso[TIME_ISO_SIZE],
			 char to_iso[TIME_ISO_SIZE], struct dd_error *err);
/* Builds every kept day of the delivery figures again from the
 * deployments (an admin: after audit verify named one changed by hand),
 * in one transaction; *days: how many. */
enum dd_code core_figures_rebuild(struct core_session *s, int64_t *days,
				  struct dd_error *err);

/* The audit listing's conditions as typed: a period, a person's login (of
 * someone registered: everyone who acted is), an action's name or its
 * first word; checked, into out (its filter's project_id left for the
 * caller). */
struct core_audit_query {
	struct audit_filter filter;
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE];
};
enum dd_code core_audit_filter(struct core_session *s, const char *from,
			       const char *to, const char *login,
			       const char *action, struct core_audit_query *out,
			       struct dd_error *err);

/* What an audit record changed, field by field, in the reader's words:
 * the fields of its 'after', each with its value in 'before' when it had
 * one (NULL when the field is set for the first time: absent from
 * 'before', or null there); codes as labels, times in the local format, a
 * deployment by its version, "-" for none. Release with
 * core_change_list_free(). */
struct core_change {
	const char *label;
	bool label_owned;
	char *before;
	char *after;
};
struct core_change_list {
	struct core_change *items;
	size_t count;
};
/* The note of the incident's last change of status that had one (its
 * resolution, once closed), from the trail, into out (reset first; empty
 * when none). */
enum dd_code core_incident_note(struct core_session *s, const char *id,
				struct strbuf *out, struct dd_error *err);
void core_audit_changes(struct core_session *s, const struct audit_record *r,
			struct core_change_list *out);
/* What a record is about, for a list of records of many objects: a
 * deployment's version, else the object's name or id ("" for an incident,
 * whose name is among its changes). Into out (reset first). */
void core_audit_object(struct core_session *s, const struct audit_record *r,
		       struct strbuf *out);
void core_change_list_free(struct core_change_list *l);
/* What an action did, in the reader's words ("authorized it"). */
const char *core_audit_action_label(const char *action);

/* Checkpoints: a line an admin keeps outside the database (mail, another
 * host), "deploydesk-checkpoint 1 <database id> <seq> <hash> <UTC time>",
 * which a later verification compares with the trail. The same line goes
 * to syslog after every commit. */
#define CORE_CHECKPOINT_TAG "deploydesk-checkpoint"
#define CORE_CHECKPOINT_FORMAT 1
#define CORE_DATABASE_ID_SIZE 65
#define CORE_CHECKPOINT_SIZE 256

/* Whether the database's schema is the one deploydesk creates; when not,
 * err says which object differs and that changes are refused. */
enum dd_code core_schema_check(struct core_session *s, struct dd_error *err);

/* The line for the trail's head now. */
enum dd_code core_audit_checkpoint(struct core_session *s,
				   char out[CORE_CHECKPOINT_SIZE],
				   struct dd_error *err);
/* The database's id, as checkpoints name it. */
const char *core_database_id(const struct core_session *s);
/* True when this host has a syslog socket to send the anchor to. */
bool core_audit_syslog_available(void);

struct core_checkpoint {
	char database_id[CORE_DATABASE_ID_SIZE];
	int64_t seq;
	unsigned char hash[32];
	char time[TIME_ISO_SIZE];
	size_t line; /* where it was read, from 1 */
};
struct core_checkpoint_list {
	struct core_checkpoint *items;
	size_t count;
};
/* Reads every checkpoint line of text (len bytes): lines holding the tag
 * anywhere (a journal's or a mail's prefix is skipped); other lines are
 * ignored. A line with the tag that is not a well-formed checkpoint fails,
 * naming its number. Release with core_checkpoint_list_free(). */
enum dd_code core_checkpoint_parse(const char *text, size_t len,
				   struct core_checkpoint_list *out,
				   struct dd_error *err);
void core_checkpoint_list_free(struct core_checkpoint_list *l);

/* What 'audit verify' found. */
struct core_audit_report {
	bool intact;
	int64_t records;     /* audit records checked */
	int64_t rows;	     /* table rows compared with the trail */
	int64_t checkpoints; /* this database's checkpoints found held */
	int64_t first_bad;   /* seq of the first bad record, 0 when none */
	char table[32];	     /* the table of the first bad row, or "" */
	char row[96];	     /* which row of it */
	char column[32];     /* which column of it, or "" */
	char problem[1024];  /* what is wrong, translated */
};
/* Verifies the whole record: the schema is deploydesk's; the chain holds
 * (every record's hash, in order, each stored exactly as hashed); every row
 * of the tables the trail describes is what replaying the trail gives; and,
 * when checkpoints is not NULL, the chain still holds every checkpoint of
 * this database in it (and it holds at least one). Stops at the first
 * problem. Returns an error only when the database cannot be read. */
enum dd_code core_audit_verify(struct core_session *s,
			       const struct core_checkpoint_list *checkpoints,
			       struct core_audit_report *out,
			       struct dd_error *err);

/* "À traiter": what waits for the caller's action (core-inbox.c), in
 * every project they act in, by the rules of the actions themselves. */
enum core_inbox_kind {
	INBOX_APPROVE,	/* planned, waiting for my approval (managers) */
	INBOX_START,	/* approved, its date come: I may start it */
	INBOX_FINISH,	/* in progress, started by me: its outcome */
	INBOX_INCIDENT, /* an open incident I answer for */
	INBOX_REVIEW,	/* an exception I may review */
	INBOX_EXPIRING, /* my approval, expiring within a day */
	INBOX_FROZEN,	/* my plan (created or answered for) in a freeze */
	INBOX_KIND_COUNT
};
struct core_inbox_item {
	enum core_inbox_kind kind;
	char *project_code;
	/* The deployment or incident: its id, project, type, version (an
	 * incident: source_version), environment, status and priority. */
	struct task task;
	char when[TIME_ISO_SIZE]; /* the date that matters, UTC */
	int64_t exception;	  /* INBOX_REVIEW: its id */
	/* INBOX_REVIEW: since when the exception is overdue (UTC), or "" */
	char overdue_since[TIME_ISO_SIZE];
};
struct core_inbox {
	struct core_inbox_item *items; /* by kind, then date */
	size_t count;
};
enum dd_code core_inbox(struct core_session *s, struct core_inbox *out,
			struct dd_error *err);
void core_inbox_free(struct core_inbox *in);
/* "approve", "start", ...: the stable code of a kind, for scripts. */
const char *core_inbox_code(enum core_inbox_kind k);
/* "To approve": a kind's label, translated. */
const char *core_inbox_label(enum core_inbox_kind k);
/* An item's label: its kind's, or "Exception overdue" for an exception
 * to review that is overdue. */
const char *core_inbox_item_label(const struct core_inbox_item *it);
/* The item in one line: "ERP v1.3.0 on PROD: waiting for your approval
 * (planned 2026-12-01 10:00)", into out (reset first). */
void core_inbox_text(const struct core_inbox_item *it, struct strbuf *out);

/* What runs where (core-envs.c): every project, each environment's
 * state, and the versions ahead: succeeded in an environment, not yet in
 * the next (at most CORE_AHEAD_MAX named, the newest first). Anyone
 * registered. Release with core_envs_free(). */
#define CORE_AHEAD_MAX 5
struct core_env_project {
	struct project project;
	struct env_state env[ENV_COUNT];
	char *ahead[ENV_COUNT - 1][CORE_AHEAD_MAX];
	size_t nahead[ENV_COUNT - 1];
};
struct core_envs {
	struct core_env_project *items; /* by project code */
	size_t count;
};
enum dd_code core_envs(struct core_session *s, struct core_envs *out,
		       struct dd_error *err);
void core_envs_free(struct core_envs *e);

/* Delivery figures over a period (core-metrics.c), of one project or of
 * every one, in one environment or all: what was executed in it, its lead
 * times, failures and restores, with the counts behind each ratio, and a
 * week by week series. Durations in seconds (-1: none to measure);
 * percentiles are nearest-rank. Release with core_metrics_free(). */
struct core_metrics_week {
	char monday[16]; /* YYYY-MM-DD, local */
	int64_t succeeded, failed;
};
struct core_metrics {
	char project[64]; /* its code, "" for every project */
	int environment;  /* enum environment, -1 for all */
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE]; /* UTC, to excluded */
	double days;
	/* Executed in the period (executed_at in it). */
	int64_t succeeded, failed;
	int64_t succeeded_env[ENV_COUNT];
	/* Creation to success, and creation to authorization, of those. */
	int64_t lead_count, lead_median, lead_p90;
	int64_t wait_count, wait_median, wait_p90;
	/* Incidents opened in the period: closed (and how long it took),
	 * still open. */
	int64_t restored, still_open, restore_median, restore_p90;
	/* Deployments planned in the period, by status: the spec's rate. */
	int64_t planned[STATUS_COUNT];
	struct core_metrics_week *weeks;
	size_t nweeks;
};
enum dd_code core_metrics(struct core_session *s, const char *project_ref,
			  const char *from, const char *to, const char *env,
			  struct core_metrics *out, struct dd_error *err);
void core_metrics_free(struct core_metrics *m);
/* n over the period, a week. */
double core_metrics_per_week(const struct core_metrics *m, int64_t n);
/* A duration as people read it: "45 min", "3 h 05", "2 d 4 h", "-". */
void core_duration_text(int64_t seconds, struct strbuf *out);

/* The evidence of a period for auditors (core-evidence.c): the core makes
 * the files (population.csv, exceptions.csv, access.csv, changes/ID.txt
 * and .html, audit.jsonl, verify.txt, README.txt, MANIFEST.sha256) and
 * hands their bytes to the sink, one file at a time, in an order that
 * does not depend on anything but the database and the arguments. */
struct core_evidence_sink {
	void *data;
	enum dd_code (*mkdir)(void *data, const char *path,
			      struct dd_error *err);
	enum dd_code (*open)(void *data, const char *path,
			     struct dd_error *err);
	enum dd_code (*write)(void *data, const void *buf, size_t len,
			      struct dd_error *err);
	enum dd_code (*close)(void *data, struct dd_error *err);
};
struct core_evidence_report {
	int64_t deployments, exceptions, records, files;
	int64_t head_seq;	/* the period's last record */
	unsigned char head[32]; /* its hash */
	bool intact;		/* audit verify's answer */
};
enum dd_code core_evidence(struct core_session *s, const char *from,
			   const char *to, const char *project_ref,
			   const char *env,
			   const struct core_evidence_sink *sink,
			   struct core_evidence_report *report,
			   struct dd_error *err);

/* The words people read for the stored codes, in their language
 * (core-labels.c). */
const char *core_status_label(enum task_status s);
const char *core_stage_status_label(enum task_status s);
const char *core_env_label(enum environment e);
const char *core_role_label(enum role r, bool senior);
const char *core_priority_label(enum priority p);
/* "High" ("Élevé"); RISK_NONE's is "Not stated". */
const char *core_risk_label(enum risk r);

/* A status or an environment as people type it: the stored code, or its
 * label in English, in French or in the reader's language, in any case
 * ("ECHEC", "failed", "Échec"; "PREPROD", "Pré-production"). A status's
 * words are a deployment's and a stage's ("Succeeded" and "Finished" are
 * both TERMINEE). Returns the enum's value, or -1 when typed names none. */
int core_status_word(const char *typed);
int core_env_word(const char *typed);
/* A risk level as typed: low, medium, high, in English, in French
 * (faible, moyen, élevé) or the reader's language; "none", "aucun" or
 * nothing for RISK_NONE. -1 when typed names none. */
int core_risk_word(const char *typed);

#endif
