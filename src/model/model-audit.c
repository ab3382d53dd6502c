/* SPDX-License-Identifier: MIT */
/* The audit trail's storage: append and read. The table refuses UPDATE and
 * DELETE (triggers); the hash chain is computed by the core. */
#include "model/model-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

enum dd_code
model_audit_head(struct model_db *db, int64_t *seq, unsigned char hash[32],
		 struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	*seq = 0;
	memset(hash, 0, 32);
	code = mdb_prepare(db,
			   "SELECT seq, hash FROM audit ORDER BY seq DESC "
			   "LIMIT 1",
			   &st, err);
	if (code)
		return code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(hash, sqlite3_column_blob(st, 1), 32);
	} else if (rc != SQLITE_DONE) {
		code = mdb_error(db, err);
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_audit_append(struct model_db *db, const struct audit_record *r,
		   struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO audit (seq, ts, uid, login, login_uid, "
			   "action, entity, entity_id, project_id, before, "
			   "after, prev_hash, hash) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_text(st, 2, r->ts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->uid);
	sqlite3_bind_text(st, 4, r->login, -1, SQLITE_STATIC);
	if (r->login_uid >= 0)
		sqlite3_bind_int64(st, 5, r->login_uid);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_text(st, 6, r->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->entity_id, -1, SQLITE_STATIC);
	mdb_bind_text(st, 9, r->project_id);
	mdb_bind_text(st, 10, r->before);
	mdb_bind_text(st, 11, r->after);
	sqlite3_bind_blob(st, 12, r->prev_hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 13, r->hash, 32, SQLITE_STATIC);
	return mdb_step_done(db, st, err);
}

/* A hash column as stored; a wrong length (a tampered row) reads as zeros
 * with the first byte set, which can never verify. */
static void
read_hash(sqlite3_stmt *st, int i, unsigned char out[32])
{
	memset(out, 0, 32);
	if (sqlite3_column_bytes(st, i) == 32)
		memcpy(out, sqlite3_column_blob(st, i), 32);
	else
		out[0] = 0xff;
}

enum dd_code
model_audit_page(struct model_db *db, const char *project_id,
		 const char *entity_id, int64_t after_seq, int limit,
		 struct audit_list *out, struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum dd_code code;
	int rc, n = 1;

	out->items = NULL;
	out->count = 0;
	strbuf_addstr(&sql, "SELECT seq, ts, uid, login, login_uid, action, "
			    "entity, entity_id, project_id, before, after, "
			    "prev_hash, hash FROM audit WHERE seq > ? ");
	if (project_id)
		strbuf_addstr(&sql, "AND project_id = ? ");
	if (entity_id)
		strbuf_addstr(&sql, "AND entity_id = ? ");
	strbuf_addstr(&sql, "ORDER BY seq LIMIT ?");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code)
		return code;
	sqlite3_bind_int64(st, n++, after_seq);
	if (project_id)
		sqlite3_bind_text(st, n++, project_id, -1, SQLITE_STATIC);
	if (entity_id)
		sqlite3_bind_text(st, n++, entity_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, n++, limit);

	out->items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof *out->items);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	       out->count < (size_t)limit) {
		struct audit_record *r = &out->items[out->count++];

		r->seq = sqlite3_column_int64(st, 0);
		mdb_col_copy(st, 1, r->ts, sizeof r->ts);
		r->uid = sqlite3_column_int64(st, 2);
		r->login = mdb_col_dup(st, 3);
		r->login_uid = sqlite3_column_type(st, 4) == SQLITE_NULL
				   ? -1
				   : sqlite3_column_int64(st, 4);
		r->action = mdb_col_dup(st, 5);
		r->entity = mdb_col_dup(st, 6);
		r->entity_id = mdb_col_dup(st, 7);
		r->project_id = mdb_col_dup(st, 8);
		r->before = mdb_col_dup(st, 9);
		r->after = mdb_col_dup(st, 10);
		read_hash(st, 11, r->prev_hash);
		read_hash(st, 12, r->hash);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (code)
		audit_list_free(out);
	return code;
}

enum dd_code
model_audit_rows(struct model_db *db, const struct audit_filter *f,
		 int64_t *after_seq, int limit, audit_row_fn fn, void *data,
		 size_t *count, struct dd_error *err)
{
	struct audit_row row;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	*count = 0;
	/* Each condition given narrows the range read through the primary
	 * key (or the project's index); named parameters, bound only when
	 * the condition is there. */
	strbuf_addstr(&sql, f->newest_first
				? "SELECT seq, ts, uid, login, login_uid, "
				  "action, entity_id, before, after FROM audit "
				  "WHERE seq < :after"
				: "SELECT seq, ts, uid, login, login_uid, "
				  "action, entity_id, before, after FROM audit "
				  "WHERE seq > :after");
	if (f->project_id)
		strbuf_addstr(&sql, " AND project_id = :project");
	if (f->from)
		strbuf_addstr(&sql, " AND ts >= :from");
	if (f->to)
		strbuf_addstr(&sql, " AND ts < :to");
	if (f->login)
		strbuf_addstr(&sql, " AND login = :login");
	if (f->action)
		strbuf_addstr(&sql, strchr(f->action, '.')
					? " AND action = :action"
					: " AND action > :action || '.' AND "
					  "action < :action || '/'");
	strbuf_addstr(&sql, f->newest_first ? " ORDER BY seq DESC LIMIT :limit"
					    : " ORDER BY seq LIMIT :limit");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code)
		return code;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":after"),
			   *after_seq);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	mdb_bind_text(st, sqlite3_bind_parameter_index(st, ":project"),
		      f->project_id);
	mdb_bind_text(st, sqlite3_bind_parameter_index(st, ":from"), f->from);
	mdb_bind_text(st, sqlite3_bind_parameter_index(st, ":to"), f->to);
	mdb_bind_text(st, sqlite3_bind_parameter_index(st, ":login"), f->login);
	mdb_bind_text(st, sqlite3_bind_parameter_index(st, ":action"),
		      f->action);

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.seq = sqlite3_column_int64(st, 0);
		mdb_col_copy(st, 1, row.ts, sizeof row.ts);
		row.uid = sqlite3_column_int64(st, 2);
		row.login = (const char *)sqlite3_column_text(st, 3);
		row.login_uid = sqlite3_column_type(st, 4) == SQLITE_NULL
				    ? -1
				    : sqlite3_column_int64(st, 4);
		row.action = (const char *)sqlite3_column_text(st, 5);
		row.entity_id = (const char *)sqlite3_column_text(st, 6);
		row.before = (const char *)sqlite3_column_text(st, 7);
		row.after = (const char *)sqlite3_column_text(st, 8);
		fn(&row, data);
		*after_seq = row.seq;
		(*count)++;
	}
	if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_member_granted(struct model_db *db, const char *project_id,
		     const char *login, char since[TIME_ISO_SIZE], char **by,
		     struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	since[0] = '\0';
	*by = NULL;
	/* Through the index on entity_id: a member's records are few. */
	code = mdb_prepare(db,
			   "SELECT ts, login FROM audit WHERE entity_id = ?1 "
			   "AND project_id = ?2 AND action = 'member.set' "
			   "ORDER BY seq DESC LIMIT 1",
			   &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, project_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		mdb_col_copy(st, 0, since, TIME_ISO_SIZE);
		*by = mdb_col_dup(st, 1);
	} else if (rc != SQLITE_DONE) {
		code = mdb_error(db, err);
	}
	mdb_release(db, st);
	return code;
}
