/* SPDX-License-Identifier: MIT */
/* What the core's files share: the session and the audit writer. */
#ifndef DD_CORE_INTERNAL_H
#define DD_CORE_INTERNAL_H

#include <sys/types.h>
#include <time.h>

#include "core/core.h"
#include "model/model.h"

/* A deployment's approvals as read at one row_version: every change of
 * its approvals bumps it, so that the screens, which ask the rules for
 * every row they draw, read them once. */
#define CORE_APPROVAL_CACHE 32
struct core_approval_cache {
	char id[UUID_SIZE];
	int64_t row_version;
	struct approval_list list;
};

struct core_session {
	struct model_db *db;
	struct user me;	   /* the person acting (a registered user) */
	uid_t uid;	   /* the OS account running the program */
	char *os_login;	   /* its login name */
	int64_t login_uid; /* /proc/self/loginuid, -1 when unset */
	char *host;	   /* this host's name, as the kernel has it */
	bool sandbox;
	char database_id[CORE_DATABASE_ID_SIZE];
	time_t clock; /* 0: real time; the demo sets its own */
	/* The time of the write transaction under way, or "": every time a
	 * change records is this one (core_begin). */
	char txn_now[TIME_ISO_SIZE];
	char *backup_path;
	struct core_approval_cache approvals[CORE_APPROVAL_CACHE];
	unsigned approvals_next;
	/* An admin's override: the reason given for the next transition
	 * (core_override_next), the one under way, and the rules the
	 * transition's check passed with it (CORE_RULE_ bits). */
	char *override_next;
	const char *override;
	unsigned overridden;
	/* The exception the last override opened, and its rules. */
	int64_t last_exception;
	unsigned last_rules;
	/* The audit head written by the open transaction, sent to syslog
	 * once it commits (core_finish). */
	int64_t anchor_seq;
	unsigned char anchor_hash[32];
};

/* Forgets the approvals read (core_close). */
void core_approval_cache_free(struct core_session *s);

/* The current time for records, as ISO-8601 UTC. */
void core_now(const struct core_session *s, char out[TIME_ISO_SIZE]);

/* What an audit record says happened; core-verify.c replays each. */
enum core_audit_action {
	AUDIT_DATABASE_INIT,
	AUDIT_USER_ADD,
	AUDIT_PROJECT_ADD,
	AUDIT_MEMBER_SET,
	AUDIT_STAGE_SET,
	AUDIT_DEPLOY_CREATE,
	AUDIT_DEPLOY_AUTHORIZE,
	AUDIT_DEPLOY_START,
	AUDIT_DEPLOY_SUCCEED,
	AUDIT_DEPLOY_FAIL,
	AUDIT_INCIDENT_CREATE,
	AUDIT_INCIDENT_SET,
	AUDIT_INCIDENT_ASSIGN,
	AUDIT_DEPLOY_EDIT,
	AUDIT_DEPLOY_CANCEL,
	AUDIT_DEPLOY_REJECT,
	AUDIT_POLICY_SET,
	AUDIT_DEPLOY_REVOKE,
	AUDIT_FREEZE_ADD,
	AUDIT_FREEZE_REMOVE,
	AUDIT_EXCEPTION_REVIEW,
	AUDIT_VERSION_BLOCK,
	AUDIT_VERSION_UNBLOCK,
	AUDIT_ACTION_COUNT
};

/* The stored names of an action ("deploy.create") and of the kind of
 * entity it is about ("task"); core_audit_action_parse returns -1 for a
 * name no action has. */
const char *core_audit_action_name(enum core_audit_action a);
const char *core_audit_entity_name(enum core_audit_action a);
int core_audit_action_parse(const char *name);

/* Appends an audit record for a change, inside the caller's transaction.
 * before and after are JSON objects (or NULL). */
enum dd_code core_audit_append(struct core_session *s,
			       enum core_audit_action action,
			       const char *entity_id, const char *project_id,
			       const char *before, const char *after,
			       struct dd_error *err);

/* Sends the committed audit head to syslog (core_finish calls it), as a
 * checkpoint line. */
void core_audit_anchor(struct core_session *s);

/* hash = SHA-256("deploydesk-audit-v1" NUL || prev_hash || fields), the
 * fields of r length-prefixed, exactly as stored. */
void core_audit_hash(const struct audit_record *r, unsigned char out[32]);

/* n bytes as 2n lowercase hexadecimal digits and a NUL. */
void core_hex(const unsigned char *b, size_t n, char *out);

/* What the first audit record (written by init) says of the database, when
 * it is intact: only then is it believed. */
struct core_genesis {
	bool valid;
	bool sandbox;
	bool shared;
	char database_id[CORE_DATABASE_ID_SIZE];
};
enum dd_code core_audit_genesis(struct core_session *s,
				struct core_genesis *out, struct dd_error *err);

/* Validation of single fields (core-validate.c). Each fills err with a
 * message naming the field. */
enum dd_code core_check_text(const char *field, const char *s, size_t max_chars,
			     bool required, struct dd_error *err);
/* core_check_text for one line: no control character (tab, line break,
 * escape, C1). */
enum dd_code core_check_line(const char *field, const char *s, size_t max_chars,
			     bool required, struct dd_error *err);
enum dd_code core_check_login(const char *login, struct dd_error *err);
enum dd_code core_check_code(const char *code, struct dd_error *err);

/* The rules as predicates over the state they look at, so that the
 * operations (which word a refusal for the person) and audit verify (which
 * checks every record of the trail against them) decide alike. */
enum core_refusal {
	REFUSAL_NONE,
	REFUSAL_PERMISSION, /* the person's standing does not allow it */
	REFUSAL_TESTS_UNFINISHED,
	REFUSAL_ALREADY_AUTHORIZED,
	REFUSAL_NOT_PLANNED,
	REFUSAL_ALREADY_EXECUTED,
	REFUSAL_NOT_AUTHORIZED,
	REFUSAL_ALREADY_STARTED,
	REFUSAL_CLOSED,		   /* cancelled or refused */
	REFUSAL_ALREADY_APPROVED,  /* the person's approval stands */
	REFUSAL_CREATOR_APPROVES,  /* the policy: not its creator */
	REFUSAL_APPROVER_EXECUTES, /* the policy: not one who approved */
	REFUSAL_FROZEN,		   /* inside a freeze */
	REFUSAL_PROMOTION,	   /* the policy: out of promotion order */
	REFUSAL_BUSY,		   /* the policy: one at a time */
	REFUSAL_BLOCKED,	   /* its version is blocked */
	REFUSAL_NO_PLAN, /* policy plan-required: risk or plan missing */
};

/* The rules of a policy an admin's override may pass. */
enum core_rule_bit {
	CORE_RULE_APPROVALS = 1,	 /* too few approvals */
	CORE_RULE_CREATOR_APPROVES = 2,	 /* its creator approving */
	CORE_RULE_APPROVER_EXECUTES = 4, /* one who approved executing */
	CORE_RULE_FREEZE = 8,		 /* inside a freeze */
	CORE_RULE_PROMOTION = 16,	 /* out of promotion order */
	CORE_RULE_ONE_AT_A_TIME = 32,	 /* another in progress there */
	CORE_RULE_PLAN_REQUIRED = 64,	 /* without risk or back-out plan */
};
/* The rules as the trail writes them ("approvals freeze"), and back (0
 * for a text that is not such a list). */
void core_rules_text(unsigned rules, struct strbuf *out);
unsigned core_rules_parse(const char *text);

/* What the approval rules look at, for one person and one deployment. */
struct core_approval_facts {
	int standing;		/* its approvals that count now */
	int required;		/* what its environment's policy asks for */
	bool mine;		/* the person approved it (standing or not) */
	bool mine_standing;	/* ... and that approval counts now */
	bool creator;		/* the person created it */
	bool creator_approves;	/* policy: may its creator approve it */
	bool approver_executes; /* policy: may one who approved execute */
	bool frozen;		/* a freeze of its environment is on */
	bool unpromoted; /* policy promotion: not succeeded one step before */
	bool busy;	 /* policy one-at-a-time: another in progress there */
	bool blocked;	 /* its version is blocked in the project */
	bool unplanned;	 /* policy plan-required: no risk or back-out plan */
};
enum core_deploy_step { STEP_AUTHORIZE, STEP_START, STEP_FINISH };

/* Plan a deployment, with the project's TESTS stage in this status. */
enum core_refusal core_rule_create(const struct core_standing *who,
				   enum task_status tests);
/* A step of a deployment in this status, authorized (the spec's
 * authorization recorded) or not, with its approvals. */
enum core_refusal core_rule_deploy(const struct core_standing *who,
				   enum core_deploy_step step,
				   enum task_status status, bool authorized,
				   const struct core_approval_facts *f);
/* core_rule_deploy for an admin who overrides: each refusal of the
 * policy's (too few approvals, creator-approves, approver-executes, a
 * freeze) is passed and added to *passed, until the spec's own rules
 * answer. For anyone else, core_rule_deploy. */
enum core_refusal core_rule_overriding(const struct core_standing *who,
				       enum core_deploy_step step,
				       enum task_status status, bool authorized,
				       struct core_approval_facts f,
				       unsigned *passed);
/* Review an exception: someone who may authorize in its project, other
 * than the admin who overrode. */
bool core_rule_review(const struct core_standing *who, bool opener);
/* Withdraw an approval of a deployment in this status: one's own (mine),
 * or, for an admin or the project's manager, anyone's; before it is
 * started. */
enum core_refusal core_rule_revoke(const struct core_standing *who, bool mine,
				   enum task_status status);
/* Close a deployment in this status unexecuted: cancel it (how
 * STATUS_CANCELLED: who may create) or refuse it (STATUS_REFUSED: who may
 * authorize), while it is planned. */
enum core_refusal core_rule_close(const struct core_standing *who,
				  enum task_status how,
				  enum task_status status);
/* Add or remove a freeze: an admin; a project's manager, of their project
 * only (project false: a freeze of every project). */
bool core_rule_freeze(const struct core_standing *who, bool project);
/* Change a project's members and stages: an admin or its manager. */
bool core_rule_manages(const struct core_standing *who);
/* Change a project's policy: an admin. */
bool core_rule_policy(const struct core_standing *who);
/* Be a deployment's responsible person: a member who acts in the project
 * (its manager or a developer), not a viewer, who could not answer for
 * it. */
bool core_rule_responsible(const struct member *m);
/* The same, for a standing in the project (audit verify's replay). */
bool core_rule_may_answer(bool is_member, enum role role);
/* Hand an incident to another person: an admin, the project's manager, or
 * the incident's responsible person. */
bool core_rule_assign(const struct core_standing *who, bool responsible);
/* Change an incident's status: an admin or its responsible person. */
bool core_rule_incident(bool is_admin, bool responsible);
/* A refusal in a few words, for audit verify. */
const char *core_refusal_text(enum core_refusal r);

/* Whether the caller may change the plan of deployment t, of project p:
 * who may create, while it is planned. */
enum dd_code core_deploy_may_edit(const struct core_project *p,
				  const struct task *t, struct dd_error *err);
/* Whether the caller may cancel (how STATUS_CANCELLED) or refuse
 * (STATUS_REFUSED) deployment t of project p now. */
enum dd_code core_deploy_may_close(const struct core_project *p,
				   const struct task *t, enum task_status how,
				   struct dd_error *err);
/* Whether the caller may withdraw an approval of deployment t of project
 * p: their own (mine) or another person's. */
enum dd_code core_deploy_may_revoke(struct core_session *s,
				    const struct core_project *p,
				    const struct task *t, bool mine,
				    struct dd_error *err);
/* The facts the approval rules look at, for the acting person, from the
 * deployment's approvals a (core_deploy_approvals). */
void core_approval_facts_of(const struct core_session *s,
			    const struct core_project *p, const struct task *t,
			    const struct core_approvals *a,
			    struct core_approval_facts *out);
/* Whether the caller may withdraw an approval of deployment t now: their
 * own, or another's (admins, the project's manager); VERB_REVOKE. */
enum dd_code core_deploy_may_withdraw(struct core_session *s,
				      const struct core_project *p,
				      const struct task *t,
				      struct dd_error *err);
/* The minute of the week of t in local time (Monday 00:00 is 0). */
int core_week_minute(time_t t);
/* The freeze of p on at now in environment e, or NULL. */
const struct freeze *core_frozen(const struct core_project *p,
				 enum environment e, time_t now, time_t *until);
bool core_frozen_now(const struct core_session *s, const struct core_project *p,
		     enum environment e);
/* The refusal of a step of t inside a freeze, in words. */
enum dd_code core_refuse_frozen(const struct core_session *s,
				const struct core_project *p,
				const struct task *t, struct dd_error *err);
/* The refusal of version, blocked in p, in words: why and by whom. */
/* Policy plan-required: whether a deployment of p in environment e with
 * this risk level and back-out plan lacks what the policy asks for. */
bool core_plan_missing(const struct core_project *p, enum environment e,
		       enum risk risk, const char *backout_plan);
/* The refusal to approve or start t, which core_plan_missing, in words:
 * what it lacks and the policy that asks for it. */
enum dd_code core_refuse_unplanned(const struct task *t, struct dd_error *err);
/* The same at creation or on a change of plan: the field that lacks,
 * DD_ERR_INPUT; *field names it. */
enum dd_code core_plan_refusal(const struct core_project *p, enum environment e,
			       enum risk risk, const char *backout_plan,
			       int *field, struct dd_error *err);
enum dd_code core_refuse_blocked(const struct core_session *s,
				 const struct core_project *p,
				 const char *version, struct dd_error *err);
/* A reason as kept: without the blanks around it, required (missing is
 * the message then), one line of at most CORE_REASON_MAX characters.
 * Caller frees *out. */
enum dd_code core_reason_kept(const char *reason, const char *missing,
			      char **out, struct dd_error *err);
/* Whether an approval expiring at expires ("" never) counts at now. */
bool core_approval_stands(const char *expires, const char *now);

/* Whether the caller may hand incident t, of project p, to someone else. */
enum dd_code core_incident_may_assign(struct core_session *s,
				      const struct core_project *p,
				      const struct task *t,
				      struct dd_error *err);
/* The rules of core_may, one verb each (core-rules.c). */
enum dd_code core_may_create(const struct core_project *p,
			     struct dd_error *err);
enum dd_code core_deploy_may(struct core_session *s,
			     const struct core_project *p, const struct task *t,
			     enum core_action a, struct dd_error *err);
enum dd_code core_deploy_may_start(struct core_session *s,
				   const struct core_project *p,
				   const struct task *t, struct dd_error *err);
enum dd_code core_incident_may_set(struct core_session *s,
				   const struct task *incident,
				   struct dd_error *err);

/* The acting person's standing in a project. */
enum dd_code core_standing_of(struct core_session *s, const char *project_id,
			      struct core_standing *out, struct dd_error *err);

/* Begins a write transaction (model_begin) and fixes its time; a change
 * that does not go on ends with core_rollback or core_finish. */
enum dd_code core_begin(struct core_session *s, struct dd_error *err);
void core_rollback(struct core_session *s);

/* Ends a write transaction begun by the caller: commits when code is DD_OK,
 * otherwise rolls back; returns the final code. After a commit, the new
 * audit head is sent to syslog, an anchor outside the file. */
enum dd_code core_finish(struct core_session *s, enum dd_code code,
			 struct dd_error *err);

#endif
