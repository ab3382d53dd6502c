/* SPDX-License-Identifier: MIT */
/* Tasks of a stage: deployments and incidents, their pages of history,
 * their transitions and their statistics. */
#include "model/model-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* How many approvals of a planned deployment stand now (dd_now(): the
 * program's clock on SQLite, the server's on PostgreSQL; an approval's
 * expiry is a time the core wrote); 0 otherwise. */
#define APPROVALS_NOW                                                          \
	"CASE WHEN t.type = 'DEPLOIEMENT' AND t.status = 'A_FAIRE' THEN "      \
	"(SELECT count(*) FROM approvals a WHERE a.task_id = t.id AND "        \
	"(a.expires_at IS NULL OR "                                            \
	"a.expires_at > dd_now())) "                                           \
	"ELSE 0 END"

/* Every column of a task, with the people's names; the incident of a failed
 * deployment comes from the partial index on source_task. */
#define TASK_SELECT(logs)                                                      \
	"SELECT t.id, t.stage_id, s.project_id, t.type, t.name, "              \
	"t.description, t.status, t.priority, "                                \
	"t.responsible, ru.login, ru.full_name, t.planned_at, t.version, "     \
	"t.environment, " logs ", "                                            \
	"t.authorized_by, au.login, au.full_name, t.authorized_at, "           \
	"t.started_by, su.login, su.full_name, t.started_at, "                 \
	"t.executed_by, eu.login, eu.full_name, t.executed_at, "               \
	"t.source_task, (SELECT i.id FROM tasks i WHERE i.source_task = t.id " \
	"ORDER BY i.created_at LIMIT 1), "                                     \
	"t.created_by, cu.login, cu.full_name, t.created_at, t.row_version, "  \
	"(SELECT v.version FROM tasks v WHERE v.id = t.source_task), "         \
	"t.closed_by, xu.login, xu.full_name, t.closed_at, "                   \
	"t.close_reason, " APPROVALS_NOW ", "                                  \
	"(SELECT count(*) FROM exceptions x WHERE x.task_id = t.id), "         \
	"t.rollback_of, (SELECT b.version FROM tasks b WHERE b.id = "          \
	"t.rollback_of), (SELECT r.id FROM tasks r WHERE r.rollback_of = "     \
	"t.id ORDER BY r.created_at LIMIT 1), t.fixes, (SELECT fx.name FROM "  \
	"tasks fx WHERE fx.id = t.fixes), (SELECT fb.id FROM tasks fb WHERE "  \
	"fb.fixes = t.id ORDER BY fb.created_at LIMIT 1), (SELECT fb.version " \
	"FROM tasks fb WHERE fb.fixes = t.id ORDER BY fb.created_at LIMIT "    \
	"1), "                                                                 \
	"t.risk, t.backout_plan "                                              \
	"FROM tasks t JOIN stages s ON s.id = t.stage_id "                     \
	"JOIN users ru ON ru.id = t.responsible "                              \
	"LEFT JOIN users au ON au.id = t.authorized_by "                       \
	"LEFT JOIN users su ON su.id = t.started_by "                          \
	"LEFT JOIN users eu ON eu.id = t.executed_by "                         \
	"LEFT JOIN users xu ON xu.id = t.closed_by "                           \
	"JOIN users cu ON cu.id = t.created_by "

/* A stored risk level; one the file should not hold (an edited file:
 * audit verify names it) reads as the cautious one, high. */
static enum risk
read_risk(struct mdb_stmt *st, int i)
{
	const char *code = mdb_col_text(st, i);
	int r = risk_parse(code);

	return r < 0 ? RISK_HIGH : (enum risk)r;
}

static void
read_person(struct mdb_stmt *st, int i, struct person *p)
{
	p->id = mdb_col_int(st, i);
	p->login = mdb_col_dup(st, i + 1);
	p->full_name = mdb_col_dup(st, i + 2);
}

static void
read_task(struct mdb_stmt *st, struct task *t)
{
	int v;

	memset(t, 0, sizeof *t);
	mdb_col_copy(st, 0, t->id, sizeof t->id);
	mdb_col_copy(st, 1, t->stage_id, sizeof t->stage_id);
	mdb_col_copy(st, 2, t->project_id, sizeof t->project_id);
	v = task_type_parse(mdb_col_text(st, 3));
	t->type = v < 0 ? TASK_DEPLOYMENT : (enum task_type)v;
	t->name = mdb_col_dup(st, 4);
	t->description = mdb_col_dup(st, 5);
	v = status_parse(mdb_col_text(st, 6));
	t->status = v < 0 ? STATUS_PLANNED : (enum task_status)v;
	v = priority_parse(mdb_col_text(st, 7));
	t->priority = v < 0 ? PRIORITY_NORMAL : (enum priority)v;
	read_person(st, 8, &t->responsible);
	mdb_col_copy(st, 11, t->planned_at, sizeof t->planned_at);
	t->version = mdb_col_dup(st, 12);
	v = env_parse(mdb_col_text(st, 13));
	t->environment = v < 0 ? ENV_DEV : (enum environment)v;
	t->logs = mdb_col_dup(st, 14);
	read_person(st, 15, &t->authorized_by);
	mdb_col_copy(st, 18, t->authorized_at, sizeof t->authorized_at);
	read_person(st, 19, &t->started_by);
	mdb_col_copy(st, 22, t->started_at, sizeof t->started_at);
	read_person(st, 23, &t->executed_by);
	mdb_col_copy(st, 26, t->executed_at, sizeof t->executed_at);
	mdb_col_copy(st, 27, t->source_task, sizeof t->source_task);
	mdb_col_copy(st, 28, t->incident_id, sizeof t->incident_id);
	read_person(st, 29, &t->created_by);
	mdb_col_copy(st, 32, t->created_at, sizeof t->created_at);
	t->row_version = mdb_col_int(st, 33);
	t->source_version = mdb_col_dup(st, 34);
	read_person(st, 35, &t->closed_by);
	mdb_col_copy(st, 38, t->closed_at, sizeof t->closed_at);
	t->close_reason = mdb_col_dup(st, 39);
	t->approvals = (int)mdb_col_int(st, 40);
	t->exceptions = (int)mdb_col_int(st, 41);
	mdb_col_copy(st, 42, t->rollback_of, sizeof t->rollback_of);
	t->rollback_of_version = mdb_col_dup(st, 43);
	mdb_col_copy(st, 44, t->rolled_back_by, sizeof t->rolled_back_by);
	mdb_col_copy(st, 45, t->fixes, sizeof t->fixes);
	t->fixes_name = mdb_col_dup(st, 46);
	mdb_col_copy(st, 47, t->fixed_by, sizeof t->fixed_by);
	t->fixed_by_version = mdb_col_dup(st, 48);
	t->risk = read_risk(st, 49);
	t->backout_plan = mdb_col_dup(st, 50);
}

enum dd_code
model_task_insert(struct model_db *db, const struct task *t,
		  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	bool deploy = t->type == TASK_DEPLOYMENT;

	code = mdb_prepare(
	    db,
	    "INSERT INTO tasks (id, stage_id, type, name, description, "
	    "status, priority, responsible, planned_at, version, "
	    "environment, logs, source_task, created_by, created_at, "
	    "rollback_of, fixes, risk, backout_plan) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, t->id);
	mdb_bind_str(st, 2, t->stage_id);
	mdb_bind_str(st, 3, task_type_code(t->type));
	mdb_bind_str(st, 4, t->name);
	mdb_bind_str(st, 5, t->description);
	mdb_bind_str(st, 6, status_code(t->status));
	mdb_bind_str(st, 7, priority_code(t->priority));
	mdb_bind_int(st, 8, t->responsible.id);
	mdb_bind_text(st, 9, t->planned_at[0] ? t->planned_at : NULL);
	mdb_bind_text(st, 10, deploy ? t->version : NULL);
	mdb_bind_text(st, 11, deploy ? env_code(t->environment) : NULL);
	mdb_bind_text(st, 12, t->logs);
	mdb_bind_text(st, 13, t->source_task[0] ? t->source_task : NULL);
	mdb_bind_int(st, 14, t->created_by.id);
	mdb_bind_str(st, 15, t->created_at);
	mdb_bind_text(st, 16, t->rollback_of[0] ? t->rollback_of : NULL);
	mdb_bind_text(st, 17, t->fixes[0] ? t->fixes : NULL);
	mdb_bind_text(st, 18, risk_code(t->risk));
	mdb_bind_text(st, 19, t->backout_plan);
	code = mdb_step_done(db, st, err);
	if (!code && deploy)
		code = mdb_search_add(db, t->id, err);
	return code;
}

/* Runs a one-parameter task query; counts matches up to two. */
static enum dd_code
task_query(struct model_db *db, const char *where, const char *param, int type,
	   struct task *out, int *matches, struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*matches = 0;
	strbuf_addstr(&sql, TASK_SELECT("t.logs"));
	/* The type in the SQL, not bound (see add_page_where). */
	strbuf_addf(&sql, where,
		    type >= 0 ? task_type_code((enum task_type)type) : "");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code)
		return code;
	mdb_bind_str(st, 1, param);
	while ((rc = mdb_step(st)) == MDB_ROW && *matches < 2)
		if ((*matches)++ == 0)
			read_task(st, out);
	if (rc != MDB_ROW && rc != MDB_DONE) {
		code = mdb_error(db, err);
		if (*matches)
			task_free(out);
		*matches = 0;
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_task_get(struct model_db *db, const char *id, struct task *out,
	       struct dd_error *err)
{
	int matches;
	enum dd_code code =
	    task_query(db, "WHERE t.id = ?1", id, -1, out, &matches, err);

	if (code)
		return code;
	return matches ? DD_OK : DD_ERR_NOTFOUND;
}

enum dd_code
model_task_version(struct model_db *db, const char *id, char **out,
		   struct dd_error *err)
{
	enum dd_code code = mdb_text(db,
				     "SELECT version FROM tasks WHERE id = ?1 "
				     "AND type = 'DEPLOIEMENT'",
				     id, out, err);

	return !code && !*out ? DD_ERR_NOTFOUND : code;
}

enum dd_code
model_task_by_id_prefix(struct model_db *db, enum task_type type,
			const char *prefix, struct task *out, bool *ambiguous,
			struct dd_error *err)
{
	int matches;
	enum dd_code code;

	*ambiguous = false;
	/* A range on the primary key, so that the lookup uses its index. */
	code = task_query(db,
			  "WHERE t.id >= ?1 AND t.id < ?1 || 'g' "
			  "AND t.type = '%s' LIMIT 2",
			  prefix, (int)type, out, &matches, err);
	if (code)
		return code;
	if (matches > 1) {
		task_free(out);
		*ambiguous = true;
		return DD_ERR_NOTFOUND;
	}
	return matches ? DD_OK : DD_ERR_NOTFOUND;
}

/* Appends a page's conditions and order (without LIMIT) to sql: the
 * filter, search the condition of the search's plan ("" for none), the
 * cursor. */
static void
add_page_where(struct strbuf *sql, const struct task_filter *filter,
	       const struct task_cursor *cursor, enum page_direction direction,
	       bool few, const char *search)
{
	const char *key =
	    filter->type == TASK_INCIDENT ? "t.created_at" : "t.planned_at";
	const char *order = direction == PAGE_OLDER ? "DESC" : "ASC";

	/* With few matches the rows come from the index and are sorted:
	 * "+" keeps SQLite from walking a history index instead. The type
	 * is written in the SQL, not bound: a parameter that a partial
	 * index's condition (type = 'DEPLOIEMENT') is weighed against makes
	 * SQLite prepare the statement again at each new binding, and this
	 * statement is long. */
	strbuf_addf(sql,
		    few ? "WHERE +t.stage_id = ? AND t.type = '%s' "
			: "WHERE t.stage_id = ? AND t.type = '%s' ",
		    task_type_code(filter->type));
	if (filter->environment >= 0)
		strbuf_addstr(sql, "AND t.environment = ? ");
	if (filter->status >= 0)
		strbuf_addstr(sql, "AND t.status = ? ");
	strbuf_addstr(sql, search);
	if (cursor && cursor->id[0])
		strbuf_addf(sql, "AND (%s, t.id) %s%s (?, ?) ", key,
			    direction == PAGE_OLDER ? "<" : ">",
			    cursor->inclusive ? "=" : "");
	strbuf_addf(sql, "ORDER BY %s %s, t.id %s", key, order, order);
}

/* Binds what add_page_where() asked for, match (NULL: none) in its
 * place; returns the next parameter's number. */
static int
bind_page_where(struct mdb_stmt *st, const struct task_filter *filter,
		const struct task_cursor *cursor, const char *match)
{
	int n = 1;

	mdb_bind_str(st, n++, filter->stage_id);
	if (filter->environment >= 0)
		mdb_bind_str(st, n++,
			     env_code((enum environment)filter->environment));
	if (filter->status >= 0)
		mdb_bind_str(st, n++,
			     status_code((enum task_status)filter->status));
	if (match)
		mdb_bind_str(st, n++, match);
	if (cursor && cursor->id[0]) {
		mdb_bind_str(st, n++, cursor->sort_key);
		mdb_bind_str(st, n++, cursor->id);
	}
	return n;
}

/* A page's condition for a search read by SQL: few matches, read from
 * the index (and sorted); a set, read once while the history is walked
 * ("+" keeps SQLite from asking the index a row at a time). Without FTS5,
 * the backend's condition, which its engine plans. */
static const char *
search_condition(struct model_db *db, const struct mdb_search *search)
{
	if (!db->be->fts5)
		return db->be->search_condition;
	return search->plan == MDB_SEARCH_FEW
		   ? "AND t.rowid IN (SELECT rowid FROM task_search "
		     "WHERE task_search MATCH ?) "
		   : "AND +t.rowid IN (SELECT rowid FROM task_search "
		     "WHERE task_search MATCH ?) ";
}

/* The rowids of a page of a search that many deployments match, in the
 * page's order: for whole words the history's rowids are walked in order
 * through its index (no search condition) and asked of the full-text
 * index a chunk at a time (mdb_search_walk()); for prefixes FTS5 expands
 * itself, the index is asked about the blocks of rowids whose dates can
 * hold the page (mdb_search_spans()), unless it gives up (*gave_up: the
 * caller reads the set of matches once and walks the history). The caller
 * holds a read transaction while it also reads the rows, so that all is
 * one snapshot. */
static enum dd_code
search_rowids(struct model_db *db, const struct mdb_search *search,
	      const struct task_filter *filter,
	      const struct task_cursor *cursor, enum page_direction direction,
	      int64_t *rowids, size_t limit, size_t *count, bool *gave_up,
	      struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct mdb_stmt *walk;
	enum dd_code code;

	*count = 0;
	*gave_up = false;
	if (search->plan == MDB_SEARCH_SET)
		return mdb_search_spans(db, search->match, filter, cursor,
					direction, rowids, limit, count,
					gave_up, err);
	strbuf_addstr(&sql, "SELECT t.rowid FROM tasks t ");
	add_page_where(&sql, filter, cursor, direction, false, "");
	code = mdb_prepare(db, strbuf_str(&sql), &walk, err);
	strbuf_release(&sql);
	if (code)
		return code;
	bind_page_where(walk, filter, cursor, NULL);
	code =
	    mdb_search_walk(db, search->match, walk, rowids, limit, count, err);
	mdb_release(db, walk);
	return code;
}

/* A page of a search that many deployments match (search_rowids()), its
 * rows read one by one. */
static enum dd_code
rowid_page(struct model_db *db, const struct mdb_search *search,
	   const struct task_filter *filter, const struct task_cursor *cursor,
	   enum page_direction direction, size_t limit, struct task_list *out,
	   bool *gave_up, struct dd_error *err)
{
	int64_t *rowids = xcalloc(limit, sizeof *rowids);
	struct mdb_stmt *row = NULL;
	size_t count = 0;
	bool began;
	enum dd_code code;

	code = model_read_begin(db, &began, err);
	if (code)
		goto out;
	code = search_rowids(db, search, filter, cursor, direction, rowids,
			     limit, &count, gave_up, err);
	if (!code && !*gave_up)
		code = mdb_prepare(db, TASK_SELECT("NULL") "WHERE t.rowid = ?1",
				   &row, err);
	for (size_t i = 0; !code && i < count; i++) {
		int rc;

		mdb_bind_int(row, 1, rowids[i]);
		rc = mdb_step(row);
		if (rc == MDB_ROW)
			read_task(row, &out->items[out->count++]);
		else if (rc != MDB_DONE)
			code = mdb_error(db, err);
		mdb_rewind(row);
	}
	mdb_release(db, row);
	model_read_end(db, began);
out:
	free(rowids);
	return code;
}

enum dd_code
model_task_page(struct model_db *db, const struct task_filter *filter,
		const struct task_cursor *cursor, enum page_direction direction,
		int limit, struct task_list *out, struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct mdb_search search = {NULL, MDB_SEARCH_NONE, false};
	bool searching =
	    filter->text && *filter->text && filter->type == TASK_DEPLOYMENT;
	const char *condition = "";
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	out->items = NULL;
	out->count = 0;
	/* No rows asked for (SQLite would read a negative LIMIT as none):
	 * an empty page. */
	if (limit <= 0) {
		out->items = xcalloc(1, sizeof *out->items);
		return DD_OK;
	}
	if (searching) {
		code = mdb_search_plan(db, filter->text, &search, err);
		if (code)
			return code;
		/* Nothing matches: an empty page, without reading the
		 * history. */
		if (search.plan == MDB_SEARCH_NONE) {
			out->items = xcalloc(1, sizeof *out->items);
			return DD_OK;
		}
	}
	out->items = xcalloc((size_t)limit, sizeof *out->items);
	if (search.plan == MDB_SEARCH_PROBE ||
	    (search.plan == MDB_SEARCH_SET && search.seekable)) {
		bool gave_up = false;

		code = rowid_page(db, &search, filter, cursor, direction,
				  (size_t)limit, out, &gave_up, err);
		if (code) {
			free(search.match);
			task_list_free(out);
			return code;
		}
		if (!gave_up) {
			free(search.match);
			goto done;
		}
	}
	if (searching)
		condition = search_condition(db, &search);
	strbuf_addstr(&sql, TASK_SELECT("NULL"));
	add_page_where(&sql, filter, cursor, direction,
		       search.plan == MDB_SEARCH_FEW, condition);
	strbuf_addstr(&sql, " LIMIT ?");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code) {
		free(search.match);
		task_list_free(out);
		return code;
	}
	mdb_bind_int(st, bind_page_where(st, filter, cursor, search.match),
		     limit);

	while ((rc = mdb_step(st)) == MDB_ROW && out->count < (size_t)limit)
		read_task(st, &out->items[out->count++]);
	if (rc != MDB_ROW && rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	free(search.match);
	if (code) {
		task_list_free(out);
		return code;
	}
done:
	if (direction == PAGE_NEWER) {
		for (size_t i = 0; i < out->count / 2; i++) {
			struct task tmp = out->items[i];

			out->items[i] = out->items[out->count - 1 - i];
			out->items[out->count - 1 - i] = tmp;
		}
	}
	return DD_OK;
}

/* Runs a prepared UPDATE of one task; DD_ERR_REFUSED when the row was not
 * in the expected state, so nothing changed. */
static enum dd_code
update_one(struct model_db *db, struct mdb_stmt *st, struct dd_error *err)
{
	enum dd_code code = mdb_step_done(db, st, err);

	if (!code && mdb_changes(db) != 1)
		code = DD_ERR_REFUSED;
	return code;
}

#define EXPECT_VERSION "AND (?9 = 0 OR row_version = ?9)"

enum dd_code
model_task_authorize(struct model_db *db, const char *id,
		     int64_t expected_version, user_id by, const char *at,
		     struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(
	    db,
	    "UPDATE tasks SET authorized_by = ?1, "
	    "authorized_at = ?2, row_version = row_version + 1 "
	    "WHERE id = ?3 AND type = 'DEPLOIEMENT' "
	    "AND status = 'A_FAIRE' AND authorized_by IS NULL " EXPECT_VERSION,
	    &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, by);
	mdb_bind_str(st, 2, at);
	mdb_bind_str(st, 3, id);
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

enum dd_code
model_task_set_authorized(struct model_db *db, const char *id,
			  int64_t expected_version, user_id by, const char *at,
			  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE tasks SET authorized_by = ?1, "
			   "authorized_at = ?2, row_version = row_version + 1 "
			   "WHERE id = ?3 AND type = 'DEPLOIEMENT' "
			   "AND status = 'A_FAIRE' " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_id(st, 1, by);
	mdb_bind_text(st, 2, by ? at : NULL);
	mdb_bind_str(st, 3, id);
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

enum dd_code
model_task_start(struct model_db *db, const char *id, int64_t expected_version,
		 user_id by, const char *at, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE tasks SET status = 'EN_COURS', "
			   "started_by = ?1, started_at = ?2, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?3 AND type = 'DEPLOIEMENT' "
			   "AND status = 'A_FAIRE' "
			   "AND authorized_by IS NOT NULL " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, by);
	mdb_bind_str(st, 2, at);
	mdb_bind_str(st, 3, id);
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

enum dd_code
model_task_finish(struct model_db *db, const char *id,
		  enum task_status expected, int64_t expected_version,
		  enum task_status outcome, const char *logs, user_id by,
		  const char *at, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	/* The logs change: the index forgets the row as it was and learns
	 * it as it is, whether or not the update found it in the expected
	 * state. */
	code = mdb_search_remove(db, id, err);
	if (code)
		return code;
	code = mdb_prepare(db,
			   "UPDATE tasks SET status = ?1, logs = ?2, "
			   "executed_by = ?3, executed_at = ?4, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?5 AND type = 'DEPLOIEMENT' "
			   "AND status = ?6 "
			   "AND authorized_by IS NOT NULL " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, status_code(outcome));
	mdb_bind_str(st, 2, logs ? logs : "");
	mdb_bind_int(st, 3, by);
	mdb_bind_str(st, 4, at);
	mdb_bind_str(st, 5, id);
	mdb_bind_str(st, 6, status_code(expected));
	mdb_bind_int(st, 9, expected_version);
	code = update_one(db, st, err);
	if (code && code != DD_ERR_REFUSED)
		return code;
	{
		enum dd_code added = mdb_search_add(db, id, err);

		return added ? added : code;
	}
}

enum dd_code
model_task_close(struct model_db *db, const char *id, int64_t expected_version,
		 enum task_status status, user_id by, const char *at,
		 const char *reason, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE tasks SET status = ?1, closed_by = ?2, "
			   "closed_at = ?3, close_reason = ?4, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?5 AND type = 'DEPLOIEMENT' "
			   "AND status = 'A_FAIRE' " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, status_code(status));
	mdb_bind_int(st, 2, by);
	mdb_bind_str(st, 3, at);
	mdb_bind_str(st, 4, reason);
	mdb_bind_str(st, 5, id);
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

enum dd_code
model_task_set_status(struct model_db *db, const char *id,
		      enum task_status expected, int64_t expected_version,
		      enum task_status status, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE tasks SET status = ?1, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?2 AND status = ?3 " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, status_code(status));
	mdb_bind_str(st, 2, id);
	mdb_bind_str(st, 3, status_code(expected));
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

enum dd_code
model_task_edit(struct model_db *db, const struct task *t,
		int64_t expected_version, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code, added;

	/* The indexed columns change: forgotten as they were, learnt as
	 * they are (whether or not the update found the row). */
	code = mdb_search_remove(db, t->id, err);
	if (code)
		return code;
	code = mdb_prepare(db,
			   "UPDATE tasks SET name = ?1, version = ?1, "
			   "environment = ?2, description = ?3, "
			   "responsible = ?4, planned_at = ?5, risk = ?7, "
			   "backout_plan = ?8, "
			   "authorized_by = NULL, authorized_at = NULL, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?6 AND type = 'DEPLOIEMENT' "
			   "AND status = 'A_FAIRE' " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, t->version);
	mdb_bind_str(st, 2, env_code(t->environment));
	mdb_bind_str(st, 3, t->description);
	mdb_bind_int(st, 4, t->responsible.id);
	mdb_bind_str(st, 5, t->planned_at);
	mdb_bind_str(st, 6, t->id);
	mdb_bind_text(st, 7, risk_code(t->risk));
	mdb_bind_text(st, 8, t->backout_plan);
	mdb_bind_int(st, 9, expected_version);
	code = update_one(db, st, err);
	if (code && code != DD_ERR_REFUSED)
		return code;
	added = mdb_search_add(db, t->id, err);
	return added ? added : code;
}

enum dd_code
model_task_set_responsible(struct model_db *db, const char *id,
			   user_id expected, int64_t expected_version,
			   user_id to, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "UPDATE tasks SET responsible = ?1, "
			   "row_version = row_version + 1 "
			   "WHERE id = ?2 AND responsible = ?3 " EXPECT_VERSION,
			   &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, to);
	mdb_bind_str(st, 2, id);
	mdb_bind_int(st, 3, expected);
	mdb_bind_int(st, 9, expected_version);
	return update_one(db, st, err);
}

/* a + b, held at INT64_MIN or INT64_MAX instead of overflowing. */
static int64_t
add_saturating(int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return sum;
}

/* The first column of each row of st, a version: at most max of them
 * into versions (to free), their number in *count; st released. */
static enum dd_code
versions_of(struct model_db *db, struct mdb_stmt *st, char **versions,
	    size_t max, size_t *count, struct dd_error *err)
{
	enum dd_code code = DD_OK;
	int rc;

	while ((rc = mdb_step(st)) == MDB_ROW) {
		if (*count < max)
			versions[*count] = mdb_col_dup(st, 0);
		(*count)++;
	}
	if (rc != MDB_DONE) {
		code = mdb_error(db, err);
		for (size_t i = 0; i < *count && i < max; i++)
			free(versions[i]);
		*count = 0;
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_deploys_planned(struct model_db *db, const char *stage_id,
		      enum environment env, const char *from, const char *to,
		      const char *except_id, char **versions, size_t max,
		      size_t *count, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	*count = 0;
	code = mdb_prepare(db,
			   "SELECT version FROM tasks WHERE stage_id = ?1 "
			   "AND type = 'DEPLOIEMENT' AND environment = ?2 "
			   "AND planned_at >= ?3 AND planned_at < ?4 "
			   "AND id <> ?5 ORDER BY planned_at, id",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	mdb_bind_str(st, 2, env_code(env));
	mdb_bind_str(st, 3, from);
	mdb_bind_str(st, 4, to);
	mdb_bind_str(st, 5, except_id);
	return versions_of(db, st, versions, max, count, err);
}

/* The first column of the first row of a query about a stage's
 * deployments in an environment (?1 the stage, ?2 the environment, ?3 and
 * ?4 the texts a and b, when the query has them), into *out (NULL for
 * none: DD_ERR_NOTFOUND). */
static enum dd_code
env_first(struct model_db *db, const char *sql, const char *stage_id,
	  enum environment env, const char *a, const char *b, char **out,
	  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*out = NULL;
	code = mdb_prepare(db, sql, &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	mdb_bind_str(st, 2, env_code(env));
	mdb_bind_str(st, 3, a);
	mdb_bind_text(st, 4, b);
	rc = mdb_step(st);
	if (rc == MDB_ROW)
		*out = mdb_col_dup(st, 0);
	else if (rc == MDB_DONE)
		code = DD_ERR_NOTFOUND;
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_last_succeeded(struct model_db *db, const char *stage_id,
		     enum environment env, const char *at, const char *id,
		     char **version, struct dd_error *err)
{
	/* Read backwards through tasks_executed from the bound. */
	return env_first(db,
			 "SELECT version FROM tasks WHERE stage_id = ?1 "
			 "AND type = 'DEPLOIEMENT' AND environment = ?2 "
			 "AND status = 'TERMINEE' AND executed_at <= ?3 "
			 "AND (CAST(?4 AS TEXT) IS NULL OR id <> ?4) "
			 "ORDER BY executed_at DESC, id DESC LIMIT 1",
			 stage_id, env, at, id, version, err);
}

/* Prepares a query about a stage's environments: ?1 the stage, ?2 to ?5
 * the environments in order. */
static enum dd_code
prepare_by_env(struct model_db *db, const char *sql, const char *stage_id,
	       struct mdb_stmt **st, struct dd_error *err)
{
	enum dd_code code = mdb_prepare(db, sql, st, err);

	if (code)
		return code;
	mdb_bind_str(*st, 1, stage_id);
	for (int e = 0; e < ENV_COUNT; e++)
		mdb_bind_str(*st, e + 2, env_code((enum environment)e));
	return DD_OK;
}

/* Every environment's state in one statement: for each, a row for the
 * last success (S), the last failure (F), the one in progress (R), the
 * next planned (N), each read through the index by environment and
 * status, and the number planned (C); the environment's index follows the
 * letter, and ?2 to ?5 are the environments. */
/* clang-format off */
#define ENV_PART(kind, e, p, status, time, order)                              \
	"SELECT * FROM (SELECT '" kind e "', id, version, " time               \
	", planned_at FROM tasks WHERE stage_id = ?1 AND type = "              \
	"'DEPLOIEMENT' "                                                       \
	"AND environment = " p " AND status = '" status "' ORDER BY "          \
	"planned_at " order ", id " order " LIMIT 1) AS " kind e
#define ENV_STATE_SQL(e, p)                                                    \
	ENV_PART("S", e, p, "TERMINEE", "executed_at", "DESC")                 \
	" UNION ALL " ENV_PART("F", e, p, "ECHEC", "executed_at", "DESC")      \
	" UNION ALL " ENV_PART("R", e, p, "EN_COURS", "started_at", "DESC")    \
	" UNION ALL " ENV_PART("N", e, p, "A_FAIRE", "planned_at", "ASC")      \
	" UNION ALL SELECT 'C" e "', NULL, NULL, CAST(count(*) AS TEXT), NULL "  \
	"FROM tasks "                                                          \
	"WHERE stage_id = ?1 AND type = 'DEPLOIEMENT' AND environment = " p    \
	" AND status = 'A_FAIRE'"
/* clang-format on */

enum dd_code
model_env_states(struct model_db *db, const char *stage_id,
		 struct env_state out[ENV_COUNT], struct dd_error *err)
{
	/* One text per environment: the four together are longer than a
	 * literal may portably be; joined once. */
	static const char *const parts[ENV_COUNT] = {
	    ENV_STATE_SQL("0", "?2"), ENV_STATE_SQL("1", "?3"),
	    ENV_STATE_SQL("2", "?4"), ENV_STATE_SQL("3", "?5")};
	static char *sql;
	char planned[ENV_COUNT][TIME_ISO_SIZE] = {{0}};
	char failed_planned[ENV_COUNT][TIME_ISO_SIZE] = {{0}};
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	memset(out, 0, ENV_COUNT * sizeof *out);
	if (!sql) {
		struct strbuf sb = STRBUF_INIT;

		for (int e = 0; e < ENV_COUNT; e++)
			strbuf_addf(&sb, "%s%s", e ? " UNION ALL " : "",
				    parts[e]);
		sql = strbuf_detach(&sb);
	}
	code = prepare_by_env(db, sql, stage_id, &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		const char *kind = mdb_col_text(st, 0);
		char *id = NULL, **version = NULL, *when = NULL, *at = NULL;
		struct env_state *o;
		int e;

		if (!kind || !kind[0] || kind[1] < '0' ||
		    kind[1] >= '0' + ENV_COUNT)
			continue;
		e = kind[1] - '0';
		o = &out[e];
		switch (kind[0]) {
		case 'S':
			id = o->current_id, version = &o->current;
			when = o->current_at, at = planned[e];
			break;
		case 'F':
			id = o->failed_id, version = &o->failed;
			when = o->failed_at, at = failed_planned[e];
			break;
		case 'R':
			id = o->running_id, version = &o->running;
			when = o->running_at;
			break;
		case 'N':
			id = o->next_id, version = &o->next;
			when = o->next_at;
			break;
		case 'C':
			o->planned = mdb_col_int(st, 3);
			continue;
		default:
			continue;
		}
		mdb_col_copy(st, 1, id, UUID_SIZE);
		*version = mdb_col_dup(st, 2);
		mdb_col_copy(st, 3, when, TIME_ISO_SIZE);
		if (at)
			mdb_col_copy(st, 4, at, TIME_ISO_SIZE);
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	for (int e = 0; e < ENV_COUNT; e++) {
		struct env_state *o = &out[e];

		/* The last failure counts only after the last success, in
		 * the history's order. */
		if (!code && o->failed && planned[e][0] &&
		    strcmp(failed_planned[e], planned[e]) < 0) {
			free(o->failed);
			o->failed = NULL;
			o->failed_id[0] = o->failed_at[0] = '\0';
		}
		if (code)
			env_state_free(o);
	}
	return code;
}

/* The versions of one environment (?2, ?3 or ?4 as p, the next one as q)
 * that succeeded after the next environment's last success and never
 * succeeded there, each once at its newest success, tagged e. */
#define AHEAD_PART(e, p, q)                                                    \
	"SELECT " e                                                            \
	", version, max(planned_at) FROM tasks WHERE stage_id = ?1 "           \
	"AND type = 'DEPLOIEMENT' AND environment = " p " AND status = "       \
	"'TERMINEE' AND planned_at > coalesce((SELECT max(planned_at) FROM "   \
	"tasks WHERE stage_id = ?1 AND type = 'DEPLOIEMENT' AND environment "  \
	"= " q " AND status = 'TERMINEE'), '') AND NOT EXISTS (SELECT 1 FROM " \
	"tasks n WHERE n.stage_id = ?1 AND n.environment = " q " AND "         \
	"n.version = tasks.version AND n.status = 'TERMINEE' AND n.type = "    \
	"'DEPLOIEMENT') GROUP BY version"

enum dd_code
model_env_ahead(struct model_db *db, const char *stage_id, size_t max,
		char *versions[ENV_COUNT - 1][max], size_t count[ENV_COUNT - 1],
		struct dd_error *err)
{
	static const char sql[] =
	    AHEAD_PART("0", "?2", "?3") " UNION ALL " AHEAD_PART(
		"1", "?3",
		"?4") " UNION ALL " AHEAD_PART("2", "?4",
					       "?5") " ORDER BY 1, 3 DESC";
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	memset(count, 0, (ENV_COUNT - 1) * sizeof *count);
	code = prepare_by_env(db, sql, stage_id, &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		int e = (int)mdb_col_int(st, 0);

		if (e < 0 || e >= ENV_COUNT - 1)
			continue;
		if (count[e] < max)
			versions[e][count[e]] = mdb_col_dup(st, 1);
		count[e]++;
	}
	if (rc != MDB_DONE) {
		code = mdb_error(db, err);
		for (int e = 0; e < ENV_COUNT - 1; e++) {
			for (size_t i = 0; i < count[e] && i < max; i++)
				free(versions[e][i]);
			count[e] = 0;
		}
	}
	mdb_release(db, st);
	return code;
}

/* Prepares a query about a stage over a period: ?1 the stage, ?2 and ?3
 * the period's ends, ?4 the environment (NULL: any). */
static enum dd_code
period_prepare(struct model_db *db, const char *sql, const char *stage_id,
	       const char *from, const char *to, int env, struct mdb_stmt **st,
	       struct dd_error *err)
{
	enum dd_code code = mdb_prepare(db, sql, st, err);

	if (code)
		return code;
	mdb_bind_str(*st, 1, stage_id);
	mdb_bind_str(*st, 2, from);
	mdb_bind_str(*st, 3, to);
	mdb_bind_text(*st, 4,
		      env >= 0 ? env_code((enum environment)env) : NULL);
	return DD_OK;
}

enum dd_code
model_planned_ids(struct model_db *db, const char *stage_id, const char *from,
		  const char *to, int env, task_id_fn fn, void *data,
		  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = period_prepare(
	    db,
	    "SELECT id FROM tasks WHERE stage_id = ?1 "
	    "AND type = 'DEPLOIEMENT' AND planned_at >= ?2 "
	    "AND planned_at < ?3 AND (CAST(?4 AS TEXT) IS NULL OR "
	    "environment = ?4) ORDER BY planned_at, id",
	    stage_id, from, to, env, &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW)
		fn(mdb_col_text(st, 0), data);
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_open_tasks(struct model_db *db, const char *stage_id, size_t max,
		 struct task_list *out, struct dd_error *err)
{
	/* Four ranges of the index on (stage, type, status), in one
	 * statement. */
	static const char sql[] =
	    TASK_SELECT("NULL") "WHERE t.stage_id = ?1 AND t.type IN "
				"('DEPLOIEMENT', 'INCIDENT') AND t.status IN "
				"('A_FAIRE', 'EN_COURS') ORDER BY t.type, "
				"coalesce(t.planned_at, t.created_at), t.id";
	struct mdb_stmt *st;
	enum dd_code code;
	size_t cap = 16;
	int rc;

	out->count = 0;
	out->items = NULL;
	code = mdb_prepare(db, sql, &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	out->items = xcalloc(cap, sizeof *out->items);
	while ((rc = mdb_step(st)) == MDB_ROW && out->count < max) {
		if (out->count == cap) {
			cap *= 2;
			out->items =
			    xrealloc(out->items, cap * sizeof *out->items);
		}
		read_task(st, &out->items[out->count++]);
	}
	if (rc != MDB_ROW && rc != MDB_DONE) {
		code = mdb_error(db, err);
		task_list_free(out);
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_open_rollback(struct model_db *db, const struct task *d, char **version,
		    struct dd_error *err)
{
	/* The stage and environment are the deployment's: the rollback's
	 * own (?1, ?2), with the index on rollback_of. */
	return env_first(db,
			 "SELECT version FROM tasks WHERE rollback_of = ?3 "
			 "AND stage_id = ?1 AND environment = ?2 "
			 "AND status IN ('A_FAIRE', 'EN_COURS') LIMIT 1",
			 d->stage_id, d->environment, d->id, NULL, version,
			 err);
}

enum dd_code
model_version_succeeded(struct model_db *db, const char *stage_id,
			enum environment env, const char *version, bool *out,
			struct dd_error *err)
{
	char *found;
	enum dd_code code = env_first(
	    db,
	    "SELECT version FROM tasks WHERE stage_id = ?1 "
	    "AND environment = ?2 AND version = ?3 AND status = 'TERMINEE' "
	    "AND type = 'DEPLOIEMENT' LIMIT 1",
	    stage_id, env, version, NULL, &found, err);

	*out = code == DD_OK;
	free(found);
	return code == DD_ERR_NOTFOUND ? DD_OK : code;
}

enum dd_code
model_in_progress(struct model_db *db, const char *stage_id,
		  enum environment env, const char *except_id, char **version,
		  struct dd_error *err)
{
	enum dd_code code =
	    env_first(db,
		      "SELECT version FROM tasks WHERE stage_id = ?1 "
		      "AND type = 'DEPLOIEMENT' AND environment = ?2 "
		      "AND status = 'EN_COURS' AND id <> ?3 LIMIT 1",
		      stage_id, env, except_id, NULL, version, err);

	return code == DD_ERR_NOTFOUND ? DD_OK : code;
}

enum dd_code
model_task_stats(struct model_db *db, const char *stage_id,
		 struct deploy_stats *out, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	memset(out, 0, sizeof *out);
	/* deploy_counts is kept by triggers (schema version 3). The counts
	 * are read as they are stored and added up here rather than with
	 * sum(), which fails on an overflow: whatever the file holds, the
	 * statistics can be shown. */
	code = mdb_prepare(
	    db, "SELECT status, n FROM deploy_counts WHERE stage_id = ?", &st,
	    err);
	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		const char *status = mdb_col_text(st, 0);
		int64_t n = mdb_col_int(st, 1);
		int64_t *part = NULL;

		switch (status ? status_parse(status) : -1) {
		case STATUS_SUCCEEDED:
			part = &out->succeeded;
			break;
		case STATUS_FAILED:
			part = &out->failed;
			break;
		case STATUS_PLANNED:
			part = &out->planned;
			break;
		case STATUS_IN_PROGRESS:
			part = &out->in_progress;
			break;
		case STATUS_CANCELLED:
			out->cancelled = add_saturating(out->cancelled, n);
			continue;
		case STATUS_REFUSED:
			out->refused = add_saturating(out->refused, n);
			continue;
		default:
			break;
		}
		if (part)
			*part = add_saturating(*part, n);
		out->total = add_saturating(out->total, n);
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* A listing's columns only, in one layout for both types (the other
 * type's columns NULL). The join to the creator is kept from TASK_SELECT:
 * a row whose creator is missing (a damaged file) is left out of a list
 * as it is left out of a page. */
#define ROW_SELECT_DEPLOYMENTS                                                 \
	"SELECT t.id, t.version, NULL, t.environment, t.status, NULL, "        \
	"t.authorized_by, t.planned_at, NULL, NULL, ru.login, "                \
	"ru.full_name, " APPROVALS_NOW ", t.risk "
#define ROW_SELECT_INCIDENTS                                                   \
	"SELECT t.id, NULL, t.name, NULL, t.status, t.priority, NULL, NULL, "  \
	"t.created_at, t.source_task, ru.login, ru.full_name, 0, NULL "
/* Fills row from the statement's current row, as read_task would fill a
 * task (the same defaults for an unknown code, the same cuts). */
static void
read_task_row(struct mdb_stmt *st, struct task_row *row)
{
	int v;

	mdb_col_copy(st, 0, row->id, sizeof row->id);
	row->version = mdb_col_text(st, 1);
	row->name = mdb_col_text(st, 2);
	v = env_parse(mdb_col_text(st, 3));
	row->environment = v < 0 ? ENV_DEV : (enum environment)v;
	v = status_parse(mdb_col_text(st, 4));
	row->status = v < 0 ? STATUS_PLANNED : (enum task_status)v;
	v = priority_parse(mdb_col_text(st, 5));
	row->priority = v < 0 ? PRIORITY_NORMAL : (enum priority)v;
	row->authorized = mdb_col_int(st, 6) != 0;
	mdb_col_copy(st, 7, row->planned_at, sizeof row->planned_at);
	mdb_col_copy(st, 8, row->created_at, sizeof row->created_at);
	mdb_col_copy(st, 9, row->source_task, sizeof row->source_task);
	row->responsible_login = mdb_col_text(st, 10);
	row->responsible_name = mdb_col_text(st, 11);
	row->approvals = (int)mdb_col_int(st, 12);
	row->risk = read_risk(st, 13);
}

/* The joins of a listing's row, without its conditions. */
#define ROW_JOINS                                                              \
	"FROM tasks t JOIN users ru ON ru.id = t.responsible "                 \
	"JOIN users cu ON cu.id = t.created_by "

/* Steps st, a listing's rows, handing each to fn; *last the last one (its
 * key and id, for the cursor). */
static enum dd_code
step_rows(struct model_db *db, struct mdb_stmt *st, task_row_fn fn, void *data,
	  size_t *count, struct task_row *last, struct dd_error *err)
{
	int rc;

	while ((rc = mdb_step(st)) == MDB_ROW) {
		read_task_row(st, last);
		fn(last, data);
		(*count)++;
	}
	return rc == MDB_DONE ? DD_OK : mdb_error(db, err);
}

/* A search of the deployments, streamed as listing rows: the same plans
 * as model_task_page's, reading only the listed columns. */
static enum dd_code
task_rows_searched(struct model_db *db, const struct task_filter *filter,
		   struct task_cursor *cursor, int limit, task_row_fn fn,
		   void *data, size_t *count, struct dd_error *err)
{
	struct mdb_search search = {NULL, MDB_SEARCH_NONE, false};
	struct strbuf sql = STRBUF_INIT;
	struct task_row last;
	struct mdb_stmt *st = NULL;
	int64_t *rowids = NULL;
	size_t nrowids = 0;
	bool began = false, by_rowids, gave_up = false;
	enum dd_code code;

	code = mdb_search_plan(db, filter->text, &search, err);
	if (code || search.plan == MDB_SEARCH_NONE)
		return code;
	by_rowids = search.plan == MDB_SEARCH_PROBE ||
		    (search.plan == MDB_SEARCH_SET && search.seekable);
	if (by_rowids) {
		/* The page's rowids (search_rowids()), then its rows, in one
		 * read transaction. */
		rowids = xcalloc((size_t)limit, sizeof *rowids);
		code = model_read_begin(db, &began, err);
		if (!code)
			code = search_rowids(db, &search, filter, cursor,
					     PAGE_OLDER, rowids, (size_t)limit,
					     &nrowids, &gave_up, err);
		by_rowids = !gave_up;
	}
	if (by_rowids) {
		if (!code)
			code = mdb_prepare(db,
					   ROW_SELECT_DEPLOYMENTS ROW_JOINS
					   "WHERE t.rowid = ?1",
					   &st, err);
		for (size_t i = 0; !code && i < nrowids; i++) {
			mdb_bind_int(st, 1, rowids[i]);
			code = step_rows(db, st, fn, data, count, &last, err);
			mdb_rewind(st);
		}
	} else if (!code) {
		/* Few, or a set the blocks do not read (search_condition). */
		strbuf_addstr(&sql, ROW_SELECT_DEPLOYMENTS ROW_JOINS);
		add_page_where(&sql, filter, cursor, PAGE_OLDER,
			       search.plan == MDB_SEARCH_FEW,
			       search_condition(db, &search));
		strbuf_addstr(&sql, " LIMIT ?");
		code = mdb_prepare(db, strbuf_str(&sql), &st, err);
		if (!code) {
			mdb_bind_int(
			    st,
			    bind_page_where(st, filter, cursor, search.match),
			    limit);
			code = step_rows(db, st, fn, data, count, &last, err);
		}
	}
	if (!code && *count) {
		snprintf(cursor->sort_key, sizeof cursor->sort_key, "%s",
			 last.planned_at);
		memcpy(cursor->id, last.id, sizeof cursor->id);
		cursor->inclusive = false;
	}
	mdb_release(db, st);
	model_read_end(db, began);
	strbuf_release(&sql);
	free(rowids);
	free(search.match);
	return code;
}

enum dd_code
model_task_rows(struct model_db *db, const struct task_filter *filter,
		struct task_cursor *cursor, int limit, task_row_fn fn,
		void *data, size_t *count, struct dd_error *err)
{
	bool incidents = filter->type == TASK_INCIDENT;
	struct strbuf sql = STRBUF_INIT;
	struct task_row row;
	struct mdb_stmt *st;
	enum dd_code code;

	*count = 0;
	if (limit <= 0)
		return DD_OK;
	/* Only deployments are searched (model_task_page ignores the text
	 * of an incidents' page too). */
	if (filter->text && *filter->text && !incidents)
		return task_rows_searched(db, filter, cursor, limit, fn, data,
					  count, err);
	strbuf_addstr(&sql, incidents ? ROW_SELECT_INCIDENTS
				      : ROW_SELECT_DEPLOYMENTS);
	strbuf_addstr(&sql, ROW_JOINS);
	add_page_where(&sql, filter, cursor, PAGE_OLDER, false, "");
	strbuf_addstr(&sql, " LIMIT ?");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code)
		return code;
	mdb_bind_int(st, bind_page_where(st, filter, cursor, NULL), limit);
	code = step_rows(db, st, fn, data, count, &row, err);
	if (!code && *count) {
		/* The cursor of core_task_cursor(): the copied key. */
		snprintf(cursor->sort_key, sizeof cursor->sort_key, "%s",
			 incidents ? row.created_at : row.planned_at);
		memcpy(cursor->id, row.id, sizeof cursor->id);
		cursor->inclusive = false;
	}
	mdb_release(db, st);
	return code;
}
