/* SPDX-License-Identifier: MIT */
/* The model layer: deploydesk's storage (SQLite today, through the backend
 * table of mdb.h). The only place with SQL. Everything crosses this interface
 * as plain structs (records.h) and dd_code error codes; no storage type leaves
 * it.
 *
 * Writes happen inside model_begin() .. model_commit(), which the core opens
 * for each transition so that a change, its audit record and its incident
 * are written together or not at all. */
#ifndef DD_MODEL_MODEL_H
#define DD_MODEL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/records.h"
#include "util/error.h"

struct model_db;

/* The schema version this build writes. */
#define MODEL_SCHEMA_VERSION 19

enum model_open_mode {
	MODEL_OPEN_EXISTING, /* the file must exist and be a deploydesk db */
	MODEL_OPEN_CREATE,   /* the file must not exist; create it */
};

/* Opens (or creates) the database at path, sets up the connection (WAL,
 * busy timeout, foreign keys, defensive) and migrates an older schema forward
 * after writing a backup next to it (*backup_path, malloc'd, when one was
 * made; may be NULL). */
enum dd_code model_open(const char *path, enum model_open_mode mode,
			struct model_db **out, char **backup_path,
			struct dd_error *err);
/* The same for a PostgreSQL server's database, named by a URI or a libpq
 * connection string: MODEL_OPEN_CREATE makes the schema in an empty
 * database. */
enum dd_code model_open_server(const char *location, enum model_open_mode mode,
			       struct model_db **out, struct dd_error *err);
/* What messages call a location (util/dblocation.h): a file's path, or a
 * server's database and host, never the location's text, which may hold a
 * password (*password says whether it does). malloc'd. */
char *model_location_name(const char *location, bool *password);
void model_close(struct model_db *db);
/* What messages call an open database: the backend's name for it (a
 * file's path, a server's database and host), never its location. */
const char *model_name(const struct model_db *db);
/* Removes a closed database's file and its -wal and -shm companions. */
void model_delete(const char *path);

/* Creating a database without ever leaving a half-made one in the way
 * (model-file.c): init checks the path is free (model_check_new), builds
 * the database in a temporary file next to it (model_temp_path, opened with
 * MODEL_OPEN_CREATE), closes it, then moves it into place without
 * replacing anything (model_publish). Killed half-way, init leaves at most
 * a PATH.init-XXXXXXXXXXXX file, which never blocks the next init. */
enum dd_code model_check_new(const char *path, struct dd_error *err);
/* "PATH.init-" and 12 random hexadecimal digits (malloc'd). */
char *model_temp_path(const char *path);
/* The group and mode a database file is given before it is moved into
 * place (the shared install's 0660 and its group). */
struct model_perms {
	mode_t mode;
	gid_t group;
};
/* Moves the closed database tmp to path, refusing to replace a file
 * (RENAME_NOREPLACE, or link(2) where the file system lacks it); with
 * perms, gives tmp that group and mode first. tmp is left in place on
 * failure (the caller deletes it). */
enum dd_code model_publish(const char *tmp, const char *path,
			   const struct model_perms *perms,
			   struct dd_error *err);
/* The shared install's directory for the database at path (absolute): made
 * when missing; then owned by root (when as_root) and group, mode 2770.
 * Without as_root an existing directory must already belong to group and
 * be writable by it. An existing directory is changed only when it holds
 * nothing but the database's own files. */
enum dd_code model_shared_dir(const char *path, gid_t group,
			      const char *group_name, bool as_root,
			      struct dd_error *err);

/* A whole database copied into a new one, on the same engine or the other
 * (model-copy.c). model_copy_open opens the new one: a SQLite file at
 * location, which must not exist (server false: the caller builds it in a
 * model_temp_path and publishes it), or a PostgreSQL server's database
 * whose current schema is empty (server true). Its schema is made in a
 * write transaction left open for model_copy: model_commit ends it, and
 * model_rollback leaves a server's database as empty as it was (a file is
 * the caller's to delete). */
enum dd_code model_copy_open(const char *location, bool server,
			     struct model_db **out, struct dd_error *err);
/* Copies into dst, from model_copy_open, every row of src's tables that
 * people's actions made, as stored and column by column by name (a column
 * a later schema adds comes along): ids, and the audit trail's records
 * with their hashes, so that its head is src's. What derives from those
 * rows (statistics, kept figures, spans of the history, search index)
 * dst makes again itself, and its id counters move past every id src
 * gave. src must have this build's schema, unchanged, at
 * MODEL_SCHEMA_VERSION; it is read in the caller's read transaction.
 * *rows: how many rows were copied. */
enum dd_code model_copy(struct model_db *src, struct model_db *dst,
			int64_t *rows, struct dd_error *err);

/* A write transaction (BEGIN IMMEDIATE): waits for other writers up to the
 * busy timeout, then fails with a "locked" message. */
enum dd_code model_begin(struct model_db *db, struct dd_error *err);
/* The time a change is made at (ISO-8601 UTC): the program's clock on
 * SQLite; on a server, the server's, so that the records of every host
 * follow one clock. In a transaction, on a server: its statement's time. */
enum dd_code model_now(struct model_db *db, char out[TIME_ISO_SIZE],
		       struct dd_error *err);
enum dd_code model_commit(struct model_db *db, struct dd_error *err);
void model_rollback(struct model_db *db);

/* A read transaction around many reads: they see one state of the data,
 * and the file's locks are taken once instead of once a statement (a
 * view over every project runs hundreds). Inside a transaction already
 * open it joins it: *began says whether model_read_end ends it. */
enum dd_code model_read_begin(struct model_db *db, bool *began,
			      struct dd_error *err);
void model_read_end(struct model_db *db, bool began);

/* Changes when another connection commits (the backend's data_version:
 * SQLite's PRAGMA data_version). */
enum dd_code model_data_version(struct model_db *db, int64_t *out,
				struct dd_error *err);

/* Settings: small key/value pairs ("sandbox" = "1"). *value is NULL when
 * the key is not set. */
enum dd_code model_setting_get(struct model_db *db, const char *key,
			       char **value, struct dd_error *err);
enum dd_code model_setting_set(struct model_db *db, const char *key,
			       const char *value, struct dd_error *err);

/* Users. Lookups return DD_ERR_NOTFOUND (without a message: the caller
 * knows what it looked for) when there is no such user. */
struct user_list {
	struct user *items;
	size_t count;
};
enum dd_code model_user_insert(struct model_db *db, struct user *u,
			       const char *created_at, struct dd_error *err);
enum dd_code model_user_by_login(struct model_db *db, const char *login,
				 struct user *out, struct dd_error *err);
enum dd_code model_user_list(struct model_db *db, struct user_list *out,
			     struct dd_error *err);
void user_list_free(struct user_list *l);

/* Projects, found by code or by id. */
struct project_list {
	struct project *items;
	size_t count;
};
enum dd_code model_project_insert(struct model_db *db, const struct project *p,
				  const char *created_at, struct dd_error *err);
enum dd_code model_project_by_code(struct model_db *db, const char *code,
				   struct project *out, struct dd_error *err);
/* Projects whose id starts with prefix: DD_ERR_NOTFOUND when none, and
 * *ambiguous set when several. */
enum dd_code model_project_by_id_prefix(struct model_db *db, const char *prefix,
					struct project *out, bool *ambiguous,
					struct dd_error *err);
enum dd_code model_project_list(struct model_db *db, struct project_list *out,
				struct dd_error *err);
void project_list_free(struct project_list *l);

/* Members of a project. */
struct member_list {
	struct member *items;
	size_t count;
};
enum dd_code model_member_upsert(struct model_db *db, const char *project_id,
				 user_id user, enum role role, bool senior,
				 struct dd_error *err);
enum dd_code model_member_get(struct model_db *db, const char *project_id,
			      user_id user, struct member *out,
			      struct dd_error *err);
enum dd_code model_member_list(struct model_db *db, const char *project_id,
			       struct member_list *out, struct dd_error *err);
void member_list_free(struct member_list *l);

/* Stages: every project has the four, in order. */
enum dd_code model_stage_insert(struct model_db *db, const char *project_id,
				const struct stage *s, struct dd_error *err);
enum dd_code model_stage_list(struct model_db *db, const char *project_id,
			      struct stage out[STAGE_COUNT],
			      struct dd_error *err);
/* The stage of one code of every project, in one statement: ids[i] is
 * the stage of project_ids[i] (both malloc'd, *count of them, sorted by
 * project id, for bsearch). */
struct stage_ids {
	char (*project_ids)[UUID_SIZE];
	char (*ids)[UUID_SIZE];
	size_t count;
};
enum dd_code model_stage_ids(struct model_db *db, enum stage_code code,
			     struct stage_ids *out, struct dd_error *err);
void stage_ids_free(struct stage_ids *s);
/* Sets a stage's status if it still is `expected`; DD_ERR_REFUSED when it
 * changed meanwhile. */
enum dd_code model_stage_set_status(struct model_db *db, const char *stage_id,
				    enum task_status expected,
				    enum task_status status,
				    struct dd_error *err);

/* Tasks. */
enum dd_code model_task_insert(struct model_db *db, const struct task *t,
			       struct dd_error *err);
/* A task by exact id. */
enum dd_code model_task_get(struct model_db *db, const char *id,
			    struct task *out, struct dd_error *err);
/* The version of the deployment of exact id (*out: the caller frees):
 * one column, for a history line that names a deployment. */
enum dd_code model_task_version(struct model_db *db, const char *id, char **out,
				struct dd_error *err);
/* Tasks of a type whose id starts with prefix: as for projects. */
enum dd_code model_task_by_id_prefix(struct model_db *db, enum task_type type,
				     const char *prefix, struct task *out,
				     bool *ambiguous, struct dd_error *err);

/* Which tasks a page holds. The order is newest first: planned_at then id,
 * both descending (incidents, which have no planned date, by created_at). */
struct task_filter {
	const char *stage_id; /* the project's DEPLOIEMENT stage */
	enum task_type type;
	int environment;  /* an enum environment, or -1 for any */
	int status;	  /* an enum task_status, or -1 for any */
	const char *text; /* words to search (model-search.c), or NULL */
};

/* Up to limit tasks from the cursor (NULL: from the start) in the given
 * direction, read through the index: cost depends on limit, not on the
 * number of tasks. */
enum dd_code model_task_page(struct model_db *db,
			     const struct task_filter *filter,
			     const struct task_cursor *cursor,
			     enum page_direction direction, int limit,
			     struct task_list *out, struct dd_error *err);

/* Every open task of a stage: deployments and incidents planned or in
 * progress (logs left NULL), deployments first, each type by planned date
 * (incidents by creation), at most max of them. */
enum dd_code model_open_tasks(struct model_db *db, const char *stage_id,
			      size_t max, struct task_list *out,
			      struct dd_error *err);

/* Checks the search's derived data against the deployments it is made
 * from: the spans of dates of the history's blocks of rowids. DD_ERR_RUNTIME
 * with a message when they differ. */
enum dd_code model_search_check(struct model_db *db, struct dd_error *err);
/* The full-text index's check (FTS5's integrity-check, against the
 * deployments), begun on a connection of its own that runs beside the
 * caller's work, and its answer: DD_ERR_RUNTIME with a message when the
 * index differs. Nothing is checked on a read-only connection (*job
 * NULL). end always releases the job. */
struct model_search_job;
enum dd_code model_search_check_begin(struct model_db *db,
				      struct model_search_job **job,
				      struct dd_error *err);
enum dd_code model_search_check_end(struct model_search_job *job,
				    struct dd_error *err);

/* The rows of a listing, streamed: up to limit rows after *cursor (empty:
 * from the newest) in model_task_page's PAGE_OLDER order, each handed to fn
 * as it is read, with only the columns a list shows and no allocation.
 * *count is the number of rows read and *cursor moves past the last one,
 * so that a long list is read a page at a time and never held; a search
 * (filter's text) reads through model_task_page. fn must not call the
 * model. */
enum dd_code model_task_rows(struct model_db *db,
			     const struct task_filter *filter,
			     struct task_cursor *cursor, int limit,
			     task_row_fn fn, void *data, size_t *count,
			     struct dd_error *err);

/* The transitions. Each changes one row only if it is still in the expected
 * state (status and, when expected_version > 0, row_version) and returns
 * DD_ERR_REFUSED otherwise, changing nothing. Each bumps row_version. */
enum dd_code model_task_authorize(struct model_db *db, const char *id,
				  int64_t expected_version, user_id by,
				  const char *at, struct dd_error *err);
/* Sets (by, at) or clears (by 0) a planned deployment's authorization,
 * the approval that made the count its policy asks for. */
enum dd_code model_task_set_authorized(struct model_db *db, const char *id,
				       int64_t expected_version, user_id by,
				       const char *at, struct dd_error *err);
enum dd_code model_task_start(struct model_db *db, const char *id,
			      int64_t expected_version, user_id by,
			      const char *at, struct dd_error *err);
enum dd_code model_task_finish(struct model_db *db, const char *id,
			       enum task_status expected,
			       int64_t expected_version,
			       enum task_status outcome, const char *logs,
			       user_id by, const char *at,
			       struct dd_error *err);
enum dd_code model_task_set_status(struct model_db *db, const char *id,
				   enum task_status expected,
				   int64_t expected_version,
				   enum task_status status,
				   struct dd_error *err);

/* Closes a planned deployment unexecuted (status STATUS_CANCELLED or
 * STATUS_REFUSED) by, at, for reason; an authorization it had stays
 * recorded. */
enum dd_code model_task_close(struct model_db *db, const char *id,
			      int64_t expected_version, enum task_status status,
			      user_id by, const char *at, const char *reason,
			      struct dd_error *err);

/* Statistics of a stage's deployments, in one aggregate query over the
 * counts the database keeps (a few rows, whatever the history's length). */
/* The deployments of a stage in an environment planned in [from, to)
 * (ISO-8601 UTC), but except_id, earliest first: the versions of the first
 * max into versions (caller frees each), *count all of them. Read through
 * the environment's history index. */
enum dd_code model_deploys_planned(struct model_db *db, const char *stage_id,
				   enum environment env, const char *from,
				   const char *to, const char *except_id,
				   char **versions, size_t max, size_t *count,
				   struct dd_error *err);
/* Changes a planned deployment (A_FAIRE, at expected_version when > 0)
 * to t's version (and name), environment, description, responsible person
 * and planned date; its authorization is withdrawn. DD_ERR_REFUSED when it
 * is no longer in that state. The search index follows. */
enum dd_code model_task_edit(struct model_db *db, const struct task *t,
			     int64_t expected_version, struct dd_error *err);
/* Gives a task another responsible person, if it still has expected (and
 * expected_version, when > 0); DD_ERR_REFUSED otherwise. */
enum dd_code model_task_set_responsible(struct model_db *db, const char *id,
					user_id expected,
					int64_t expected_version, user_id to,
					struct dd_error *err);
/* The version of the deployment of a stage that succeeded last in env,
 * by the time it was executed, at or before at, other than the deployment
 * id (NULL: none); DD_ERR_NOTFOUND when none. Of two in the same second,
 * the greater id. */
enum dd_code model_last_succeeded(struct model_db *db, const char *stage_id,
				  enum environment env, const char *at,
				  const char *id, char **version,
				  struct dd_error *err);
/* The version of a rollback of deployment d still planned or in
 * progress; DD_ERR_NOTFOUND when none. */
enum dd_code model_open_rollback(struct model_db *db, const struct task *d,
				 char **version, struct dd_error *err);
/* What runs in each environment of a stage (struct env_state), through
 * the index of the history by environment and status, in one statement:
 * a few rows read, whatever the history's length. */
enum dd_code model_env_states(struct model_db *db, const char *stage_id,
			      struct env_state out[ENV_COUNT],
			      struct dd_error *err);
/* For each environment but the last, the versions of a stage that
 * succeeded there after the last success in the next environment, and
 * not yet there: the newest first, at most max of them into versions[env]
 * (to free), their number in count[env]; one statement. */
enum dd_code model_env_ahead(struct model_db *db, const char *stage_id,
			     size_t max, char *versions[ENV_COUNT - 1][max],
			     size_t count[ENV_COUNT - 1], struct dd_error *err);
/* What the deployments of a stage add to the delivery figures of a UTC
 * day (or of a part of one, at the ends of a period), in one environment,
 * for one kind of figure (model-figures.c keeps them a day at a time). */
enum figure_kind {
	FIGURE_EXECUTED = 1, /* the deployments executed that day */
	FIGURE_INCIDENTS,    /* the incidents opened that day */
	FIGURE_PLANNED,	     /* the deployments planned that day */
};
#define FIGURE_SLOTS 96 /* quarters of an hour in a day */
struct figure_day {
	enum figure_kind kind;
	time_t start; /* the day's first second (UTC) */
	/* Its environment; -1: an incident of no deployment. */
	int environment;
	/* FIGURE_EXECUTED: the successes and failures of each quarter of an
	 * hour from start; of the successes, the lead times (creation to
	 * success) and approval waits (creation to authorization), in
	 * seconds, sorted. */
	int64_t succeeded[FIGURE_SLOTS], failed[FIGURE_SLOTS];
	const int64_t *lead, *wait;
	size_t nlead, nwait;
	/* FIGURE_INCIDENTS: how many were opened, how many of them are
	 * restored (closed, as the trail's last incident.set about each
	 * says), and the times to restore, sorted. */
	int64_t opened, restored;
	const int64_t *restore;
	size_t nrestore;
	/* FIGURE_PLANNED: how many are in each status. */
	int64_t planned[STATUS_COUNT];
};
typedef void (*figure_day_fn)(const struct figure_day *day, void *data);
/* What the deployments of a stage add to the figures of kind over [from,
 * to) (UTC ISO), in env (-1: any), handed to fn a day and an environment
 * at a time (the days are valid during the call only): the whole days from
 * their kept rows, the ends of the period and the days changed since they
 * were kept from the deployments themselves. */
enum dd_code model_figures(struct model_db *db, enum figure_kind kind,
			   const char *stage_id, const char *from,
			   const char *to, int env, figure_day_fn fn,
			   void *data, struct dd_error *err);
/* Marks every day kept or counted in as changed, *days of them: the
 * commit of the write transaction builds them all again. */
enum dd_code model_figures_mark_all(struct model_db *db, int64_t *days,
				    struct dd_error *err);
/* A day whose kept figures are not what the deployments give. */
typedef void (*figure_stale_fn)(const char *stage_id, enum figure_kind kind,
				const char *environment, const char *day,
				void *data);
/* Builds every kept day again from the deployments and hands the first
 * that differs from what is kept (or is missing, or kept for nothing) to
 * fn; the days marked to be rebuilt are left out. */
enum dd_code model_figures_check(struct model_db *db, figure_stale_fn fn,
				 void *data, struct dd_error *err);
/* The ids of a stage's deployments planned in [from, to) (env -1: any),
 * in history order (planned date, then id), handed to fn one by one. */
typedef void (*task_id_fn)(const char *id, void *data);
enum dd_code model_planned_ids(struct model_db *db, const char *stage_id,
			       const char *from, const char *to, int env,
			       task_id_fn fn, void *data, struct dd_error *err);
/* The trail's last member.set of login in a project: when, into since,
 * and by whom, into *by (to free); "" and NULL when there is none. */
enum dd_code model_member_granted(struct model_db *db, const char *project_id,
				  const char *login, char since[TIME_ISO_SIZE],
				  char **by, struct dd_error *err);
/* Whether version succeeded in env in a stage. */
enum dd_code model_version_succeeded(struct model_db *db, const char *stage_id,
				     enum environment env, const char *version,
				     bool *out, struct dd_error *err);
/* The version of a deployment of a stage in progress in env, but
 * except_id (NULL in *version when none). */
enum dd_code model_in_progress(struct model_db *db, const char *stage_id,
			       enum environment env, const char *except_id,
			       char **version, struct dd_error *err);
enum dd_code model_task_stats(struct model_db *db, const char *stage_id,
			      struct deploy_stats *out, struct dd_error *err);

/* Approvals and policies (model-approval.c). */

/* The values of project_id's policy that were set. */
enum dd_code model_policy_read(struct model_db *db, const char *project_id,
			       struct policy *out, struct dd_error *err);
enum dd_code model_policy_write(struct model_db *db, const char *project_id,
				enum environment env, enum policy_key key,
				int64_t value, struct dd_error *err);
/* A deployment's standing approvals, the oldest first. */
enum dd_code model_approvals(struct model_db *db, const char *task_id,
			     struct approval_list *out, struct dd_error *err);
/* Records by's approval at at (expiring at expires, or never when NULL or
 * ""), replacing one by the same person. */
enum dd_code model_approval_put(struct model_db *db, const char *task_id,
				user_id by, const char *at, const char *expires,
				struct dd_error *err);
/* Deletes by's approval (DD_ERR_NOTFOUND when there is none), or, by 0,
 * every approval of the deployment. */
enum dd_code model_approval_delete(struct model_db *db, const char *task_id,
				   user_id by, struct dd_error *err);

/* The freezes of project_id (and those of every project), or, project_id
 * NULL, all of them; by id. */
enum dd_code model_freezes(struct model_db *db, const char *project_id,
			   struct freeze_list *out, struct dd_error *err);
/* Adds f (its id is the database's: *id_out). */
enum dd_code model_freeze_insert(struct model_db *db, const struct freeze *f,
				 int64_t *id_out, struct dd_error *err);
/* DD_ERR_NOTFOUND when there is no freeze id. */
enum dd_code model_freeze_delete(struct model_db *db, int64_t id,
				 struct dd_error *err);

/* Exceptions: of project_id (NULL: every project), only the open ones
 * when open_only; by id. */
enum dd_code model_exceptions(struct model_db *db, const char *project_id,
			      bool open_only, struct exception_list *out,
			      struct dd_error *err);
enum dd_code model_exception_insert(struct model_db *db,
				    const struct exception *e, int64_t *id_out,
				    struct dd_error *err);
/* Records the review of exception id, if it is still open
 * (DD_ERR_REFUSED otherwise). */
enum dd_code model_exception_review(struct model_db *db, int64_t id, user_id by,
				    const char *at, const char *note,
				    struct dd_error *err);

/* A blocked version of a project: its reason and who blocked it (caller
 * frees both); DD_ERR_NOTFOUND when it is not blocked. */
enum dd_code model_version_block_get(struct model_db *db,
				     const char *project_id,
				     const char *version, char **reason,
				     char **by, struct dd_error *err);
enum dd_code model_version_block(struct model_db *db, const char *project_id,
				 const char *version, const char *reason,
				 user_id by, const char *at,
				 struct dd_error *err);
/* The blocked versions of a project, sorted (caller frees each and the
 * array). */
enum dd_code model_blocked_versions(struct model_db *db, const char *project_id,
				    char ***out, size_t *count,
				    struct dd_error *err);
/* DD_ERR_NOTFOUND when it was not blocked. */
enum dd_code model_version_unblock(struct model_db *db, const char *project_id,
				   const char *version, struct dd_error *err);

/* Audit trail. The head is the last record's seq and hash (seq 0 and 32
 * zero bytes when empty). */
enum dd_code model_audit_head(struct model_db *db, int64_t *seq,
			      unsigned char hash[32], struct dd_error *err);
/* Appends r as it is (seq included): the core has computed its hash. */
enum dd_code model_audit_append(struct model_db *db,
				const struct audit_record *r,
				struct dd_error *err);
/* Up to limit records with seq > after_seq, in seq order; when project_id
 * is not NULL only that project's; when entity_id is not NULL only that
 * entity's. */
enum dd_code model_audit_page(struct model_db *db, const char *project_id,
			      const char *entity_id, int64_t after_seq,
			      int limit, struct audit_list *out,
			      struct dd_error *err);

/* The records of model_audit_page (entity_id NULL) that filter f lets
 * through, streamed as model_task_rows streams tasks: up to limit after
 * *after_seq, which moves to the last one read. */
enum dd_code model_audit_rows(struct model_db *db, const struct audit_filter *f,
			      int64_t *after_seq, int limit, audit_row_fn fn,
			      void *data, size_t *count, struct dd_error *err);

/* Verification (model-verify.c). */

/* Compares the database's schema (every table, index, trigger and view of
 * sqlite_master, with its SQL) with the one this version creates; fails
 * with a message naming the first object that differs. model_begin runs it
 * inside every write transaction, so that nothing is written while an
 * object that is not deploydesk's (a trigger, a view) could run in it. */
enum dd_code model_schema_check(struct model_db *db, struct dd_error *err);

/* Every audit record after after_seq, in seq order and as stored, to fn.
 * The record's strings belong to the model and live during the call only.
 * bad_column names a column whose stored form the hash does not cover
 * exactly (a number stored as text, text holding a NUL byte, a time of
 * another length, a hash that is not 32 bytes), or is NULL. fn returns
 * false to stop. */
typedef bool (*model_audit_fn)(void *ctx, const struct audit_record *r,
			       const char *bad_column);
enum dd_code model_audit_scan(struct model_db *db, int64_t after_seq,
			      model_audit_fn fn, void *ctx,
			      struct dd_error *err);

/* The tables the audit trail describes, read row by row as stored, for the
 * comparison of the data with the trail. */
enum model_table {
	MODEL_USERS,	  /* id, login, full_name, is_admin, created_at */
	MODEL_PROJECTS,	  /* id, code, name, created_at */
	MODEL_STAGES,	  /* id, project_id, code, position, status */
	MODEL_MEMBERS,	  /* project_id, user_id, role, senior */
	MODEL_TASKS,	  /* the columns of enum model_task_column */
	MODEL_COUNTS,	  /* stage_id, status, n */
	MODEL_SETTINGS,	  /* key, value */
	MODEL_APPROVALS,  /* task_id, user_id, approved_at, expires_at */
	MODEL_POLICIES,	  /* project_id, environment, key, value */
	MODEL_FREEZES,	  /* the columns of freezes, in their order */
	MODEL_EXCEPTIONS, /* the columns of exceptions, in their order */
	MODEL_BLOCKS, /* project_id, version, reason, blocked_by, blocked_at */
	MODEL_TABLE_COUNT
};

enum model_task_column {
	TC_ID,
	TC_STAGE,
	TC_TYPE,
	TC_NAME,
	TC_DESCRIPTION,
	TC_STATUS,
	TC_PRIORITY,
	TC_RESPONSIBLE,
	TC_PLANNED_AT,
	TC_VERSION,
	TC_ENVIRONMENT,
	TC_LOGS,
	TC_AUTHORIZED_BY,
	TC_AUTHORIZED_AT,
	TC_STARTED_BY,
	TC_STARTED_AT,
	TC_EXECUTED_BY,
	TC_EXECUTED_AT,
	TC_SOURCE,
	TC_CREATED_BY,
	TC_CREATED_AT,
	TC_ROW_VERSION,
	TC_CLOSED_BY,
	TC_CLOSED_AT,
	TC_CLOSE_REASON,
	TC_ROLLBACK_OF,
	TC_FIXES,
	TC_RISK,
	TC_BACKOUT_PLAN,
	TC_COUNT
};

#define MODEL_COLUMNS_MAX TC_COUNT

/* One stored value: its kind, and the integer or the text (len bytes, which
 * may hold a NUL) it is. */
struct model_cell {
	enum {
		MODEL_CELL_NULL,
		MODEL_CELL_INT,
		MODEL_CELL_TEXT,
		MODEL_CELL_OTHER /* a real number or a blob */
	} kind;
	int64_t i;
	const char *s;
	size_t len;
	const char *name; /* the column's */
};

/* Every row of table t, to fn, in no particular order; the cells live
 * during the call only. fn returns false to stop. */
typedef bool (*model_row_fn)(void *ctx, const struct model_cell *cells);
enum dd_code model_table_scan(struct model_db *db, enum model_table t,
			      model_row_fn fn, void *ctx, struct dd_error *err);
const char *model_table_name(enum model_table t);
/* How many rows table t holds. */
enum dd_code model_table_count(struct model_db *db, enum model_table t,
			       int64_t *out, struct dd_error *err);

#endif
