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
	struct mdb_stmt *st;
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
	rc = mdb_step(st);
	if (rc == MDB_ROW) {
		*seq = mdb_col_int(st, 0);
		if (mdb_col_bytes(st, 1) == 32)
			memcpy(hash, mdb_col_blob(st, 1), 32);
	} else if (rc != MDB_DONE) {
		code = mdb_error(db, err);
	}
	mdb_release(db, st);
	return code;
}

enum dd_code
model_audit_append(struct model_db *db, const struct audit_record *r,
		   struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(db,
			   "INSERT INTO audit (seq, ts, uid, login, login_uid, "
			   "action, entity, entity_id, project_id, before, "
			   "after, prev_hash, hash, host) "
			   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, r->seq);
	mdb_bind_str(st, 2, r->ts);
	mdb_bind_int(st, 3, r->uid);
	mdb_bind_str(st, 4, r->login);
	if (r->login_uid >= 0)
		mdb_bind_int(st, 5, r->login_uid);
	else
		mdb_bind_null(st, 5);
	mdb_bind_str(st, 6, r->action);
	mdb_bind_str(st, 7, r->entity);
	mdb_bind_str(st, 8, r->entity_id);
	mdb_bind_text(st, 9, r->project_id);
	mdb_bind_text(st, 10, r->before);
	mdb_bind_text(st, 11, r->after);
	mdb_bind_blob(st, 12, r->prev_hash, 32);
	mdb_bind_blob(st, 13, r->hash, 32);
	mdb_bind_text(st, 14, r->host);
	return mdb_step_done(db, st, err);
}

/* A hash column as stored; a wrong length (a tampered row) reads as zeros
 * with the first byte set, which can never verify. */
static void
read_hash(struct mdb_stmt *st, int i, unsigned char out[32])
{
	memset(out, 0, 32);
	if (mdb_col_bytes(st, i) == 32)
		memcpy(out, mdb_col_blob(st, i), 32);
	else
		out[0] = 0xff;
}

enum dd_code
model_audit_page(struct model_db *db, const char *project_id,
		 const char *entity_id, int64_t after_seq, int limit,
		 struct audit_list *out, struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc, n = 1;

	out->items = NULL;
	out->count = 0;
	strbuf_addstr(&sql, "SELECT seq, ts, uid, login, login_uid, action, "
			    "entity, entity_id, project_id, before, after, "
			    "prev_hash, hash, host FROM audit WHERE seq > ? ");
	if (project_id)
		strbuf_addstr(&sql, "AND project_id = ? ");
	if (entity_id)
		strbuf_addstr(&sql, "AND entity_id = ? ");
	strbuf_addstr(&sql, "ORDER BY seq LIMIT ?");
	code = mdb_prepare(db, strbuf_str(&sql), &st, err);
	strbuf_release(&sql);
	if (code)
		return code;
	mdb_bind_int(st, n++, after_seq);
	if (project_id)
		mdb_bind_str(st, n++, project_id);
	if (entity_id)
		mdb_bind_str(st, n++, entity_id);
	mdb_bind_int(st, n++, limit);

	out->items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof *out->items);
	while ((rc = mdb_step(st)) == MDB_ROW && out->count < (size_t)limit) {
		struct audit_record *r = &out->items[out->count++];

		r->seq = mdb_col_int(st, 0);
		mdb_col_copy(st, 1, r->ts, sizeof r->ts);
		r->uid = mdb_col_int(st, 2);
		r->login = mdb_col_dup(st, 3);
		r->login_uid = mdb_col_null(st, 4) ? -1 : mdb_col_int(st, 4);
		r->action = mdb_col_dup(st, 5);
		r->entity = mdb_col_dup(st, 6);
		r->entity_id = mdb_col_dup(st, 7);
		r->project_id = mdb_col_dup(st, 8);
		r->before = mdb_col_dup(st, 9);
		r->after = mdb_col_dup(st, 10);
		read_hash(st, 11, r->prev_hash);
		read_hash(st, 12, r->hash);
		r->host = mdb_col_dup(st, 13);
	}
	if (rc != MDB_ROW && rc != MDB_DONE)
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
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*count = 0;
	/* Each condition given narrows the range read through the primary
	 * key (or the project's index); named parameters, bound only when
	 * the condition is there. */
	strbuf_addstr(&sql, f->newest_first
				? "SELECT seq, ts, uid, login, login_uid, "
				  "action, entity_id, before, after, host "
				  "FROM audit WHERE seq < :after"
				: "SELECT seq, ts, uid, login, login_uid, "
				  "action, entity_id, before, after, host "
				  "FROM audit WHERE seq > :after");
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
	mdb_bind_int(st, mdb_param_index(st, ":after"), *after_seq);
	mdb_bind_int(st, mdb_param_index(st, ":limit"), limit);
	mdb_bind_text(st, mdb_param_index(st, ":project"), f->project_id);
	mdb_bind_text(st, mdb_param_index(st, ":from"), f->from);
	mdb_bind_text(st, mdb_param_index(st, ":to"), f->to);
	mdb_bind_text(st, mdb_param_index(st, ":login"), f->login);
	mdb_bind_text(st, mdb_param_index(st, ":action"), f->action);

	while ((rc = mdb_step(st)) == MDB_ROW) {
		row.seq = mdb_col_int(st, 0);
		mdb_col_copy(st, 1, row.ts, sizeof row.ts);
		row.uid = mdb_col_int(st, 2);
		row.login = mdb_col_text(st, 3);
		row.login_uid = mdb_col_null(st, 4) ? -1 : mdb_col_int(st, 4);
		row.action = mdb_col_text(st, 5);
		row.entity_id = mdb_col_text(st, 6);
		row.before = mdb_col_text(st, 7);
		row.after = mdb_col_text(st, 8);
		row.host = mdb_col_text(st, 9);
		fn(&row, data);
		*after_seq = row.seq;
		(*count)++;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
model_member_granted(struct model_db *db, const char *project_id,
		     const char *login, char since[TIME_ISO_SIZE], char **by,
		     struct dd_error *err)
{
	struct mdb_stmt *st;
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
	mdb_bind_str(st, 1, login);
	mdb_bind_str(st, 2, project_id);
	rc = mdb_step(st);
	if (rc == MDB_ROW) {
		mdb_col_copy(st, 0, since, TIME_ISO_SIZE);
		*by = mdb_col_dup(st, 1);
	} else if (rc != MDB_DONE) {
		code = mdb_error(db, err);
	}
	mdb_release(db, st);
	return code;
}
