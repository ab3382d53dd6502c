/* SPDX-License-Identifier: MIT */
/* The history's full-text search (schema version 4): keeping the FTS5 index
 * task_search in step with the deployments, turning the words a person
 * typed into an FTS5 query that takes them literally, and choosing how a
 * page reads through it. */
#include "model/model-internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* A typed prefix is turned into the words of the index it begins when it
 * begins at most this many: an FTS5 prefix query reads every such word's
 * list of rows in full on each run, an OR of words reads only what it
 * needs. */
#define EXPAND_MAX 16

/* Up to this many matching deployments, a page is read from the index's
 * rows and sorted; beyond, the history is walked in order and asked of the
 * index a chunk at a time (mdb_search_walk()). */
#define FEW_MAX 2000

/* The history is walked in chunks of rows, the first CHUNK_MIN, each
 * twice the one before up to CHUNK_MAX: a page of a few rows walks few,
 * a page of a rare word asks the index once per thousands of rows. */
#define CHUNK_MIN 128
#define CHUNK_MAX 4096

/* A chunk's rowids, sorted, are cut where two are more than this apart;
 * each run is one range query of the index. A query costs about what
 * reading some hundreds of rowids of a doclist does, so a run never reads
 * more than GAP_MAX rowids a row walked, and rows created far apart (out
 * of planned order) cost a query each, as a probe of one row would. */
#define GAP_MAX 256

#define SEARCH_COLUMNS "version, name, description, responsible, logs"

/* Runs one of the index's writes for the task of id; nothing for an
 * incident, which task_text leaves out. */
static enum dd_code
index_write(struct model_db *db, const char *sql, const char *id,
	    struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code = mdb_prepare(db, sql, &st, err);

	if (code)
		return code;
	mdb_bind_str(st, 1, id);
	return mdb_step_done(db, st, err);
}

enum dd_code
mdb_search_add(struct model_db *db, const char *id, struct dd_error *err)
{
	return index_write(db, db->be->search_add, id, err);
}

enum dd_code
mdb_search_remove(struct model_db *db, const char *id, struct dd_error *err)
{
	return index_write(db, db->be->search_remove, id, err);
}

/* A word the unicode61 tokenizer keeps whole and folds by lower-casing
 * alone: ASCII letters and digits. */
static bool
simple_word(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return len > 0;
}

/* Appends the FTS5 string of the text: in double quotes, each double
 * quote doubled. Whatever it holds (*, -, :, ^, parentheses, AND, NEAR) is
 * then a string to tokenize, never query syntax. */
static void
add_quoted(struct strbuf *sb, const char *w, size_t len)
{
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (w[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, w[i]);
	}
	strbuf_addch(sb, '"');
}

/* The index's words that begin with the simple word w (lower case), up to
 * EXPAND_MAX + 1 of them, as "a" OR "b" into sb; *n their number.
 *
 * They are read one at a time from an fts5vocab table of type instance,
 * the first word at or after a bound, the next bound that word followed by
 * a NUL byte (just after it; no word holds a NUL). The index's own
 * vocabulary (task_search_terms, type row) counts every word's rows before
 * it gives the word: 45 ms for a word of every deployment at a million.
 * The table is in temp, made on first use: no part of the file's schema. */
static enum dd_code
expand(struct model_db *db, const char *w, size_t len, struct strbuf *sb,
       int *n, struct dd_error *err)
{
	char *high = xmalloc(len + 1);
	struct strbuf terms = STRBUF_INIT, from = STRBUF_INIT;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	for (size_t i = 0; i < len; i++)
		strbuf_addch(&from, (w[i] >= 'A' && w[i] <= 'Z')
					? (char)(w[i] - 'A' + 'a')
					: w[i]);
	/* The words from w up to, not including, w with its last byte one
	 * higher: those that begin with w. */
	memcpy(high, strbuf_str(&from), len + 1);
	high[len - 1]++;
	*n = 0;
	code = mdb_exec(db,
			"CREATE VIRTUAL TABLE IF NOT EXISTS "
			"temp.task_search_words "
			"USING fts5vocab(main, task_search, instance)",
			err);
	if (code)
		goto out;
	code = mdb_prepare(db,
			   "SELECT term FROM temp.task_search_words "
			   "WHERE term >= ?1 AND term < ?2 LIMIT 1",
			   &st, err);
	if (code)
		goto out;
	mdb_bind_str(st, 2, high);
	while (*n <= EXPAND_MAX) {
		const char *t;
		int tlen;

		mdb_bind_strn(st, 1, strbuf_str(&from), from.len);
		rc = mdb_step(st);
		if (rc == MDB_DONE)
			break;
		if (rc != MDB_ROW) {
			code = mdb_error(db, err);
			break;
		}
		t = mdb_col_text(st, 0);
		tlen = mdb_col_bytes(st, 0);
		if (!t)
			break;
		if ((*n)++)
			strbuf_addstr(&terms, " OR ");
		add_quoted(&terms, t, (size_t)tlen);
		strbuf_reset(&from);
		strbuf_add(&from, t, (size_t)tlen);
		strbuf_addch(&from, '\0');
		mdb_rewind(st);
	}
	mdb_release(db, st);
	if (!code && *n > 0 && *n <= EXPAND_MAX) {
		strbuf_addch(sb, '(');
		strbuf_addstr(sb, strbuf_str(&terms));
		strbuf_addch(sb, ')');
	}
out:
	strbuf_release(&terms);
	strbuf_release(&from);
	free(high);
	return code;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* How many deployments of every project match, counted up to FEW_MAX + 1. */
static enum dd_code
count_matches(struct model_db *db, const char *match, int64_t *out,
	      struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT count(*) FROM (SELECT 1 FROM task_search "
			   "WHERE task_search MATCH ?1 LIMIT ?2) AS hits",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, match);
	mdb_bind_int(st, 2, FEW_MAX + 1);
	rc = mdb_step(st);
	if (rc == MDB_ROW)
		*out = mdb_col_int(st, 0);
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_search_plan(struct model_db *db, const char *text, struct mdb_search *out,
		struct dd_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	enum dd_code code = DD_OK;
	bool exact = true, seekable = true;
	int64_t matches = 0;
	const char *p = text;

	out->match = NULL;
	out->plan = MDB_SEARCH_NONE;
	out->seekable = false;
	/* Without FTS5, the engine plans the search: the typed text goes
	 * as it is (the backend's search_condition folds it). */
	if (!db->be->fts5) {
		while (is_space(*p))
			p++;
		if (*p) {
			out->plan = MDB_SEARCH_SET;
			out->match = xstrdup(text);
		}
		return DD_OK;
	}
	while (*p) {
		const char *w;
		size_t len;
		int n = 0;

		while (is_space(*p))
			p++;
		w = p;
		while (*p && !is_space(*p))
			p++;
		len = (size_t)(p - w);
		if (!len)
			continue;
		if (sb.len)
			strbuf_addstr(&sb, " AND ");
		if (simple_word(w, len)) {
			code = expand(db, w, len, &sb, &n, err);
			if (code)
				goto out;
			/* No word of the index begins so: nothing matches. */
			if (n == 0)
				goto out;
			if (n <= EXPAND_MAX)
				continue;
		}
		/* Anything else is a prefix of its last token. The index
		 * keeps a list for a prefix of 1 to 3 characters (schema
		 * version 17), which a range of rowids seeks; any other
		 * prefix merges the lists of all the words it begins at each
		 * query. */
		exact = false;
		if (!simple_word(w, len) || len > 3)
			seekable = false;
		add_quoted(&sb, w, len);
		strbuf_addch(&sb, '*');
	}
	if (!sb.len)
		goto out;
	code = count_matches(db, strbuf_str(&sb), &matches, err);
	if (code || matches == 0)
		goto out;
	if (matches <= FEW_MAX)
		out->plan = MDB_SEARCH_FEW;
	else
		out->plan = exact ? MDB_SEARCH_PROBE : MDB_SEARCH_SET;
	out->seekable = seekable;
	out->match = strbuf_detach(&sb);
out:
	strbuf_release(&sb);
	return code;
}

/* A row of a chunk: its rowid and its place in the walk. */
struct walked {
	int64_t rowid;
	size_t pos;
};

static int
walked_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct walked *)a)->rowid;
	int64_t y = ((const struct walked *)b)->rowid;

	return (x > y) - (x < y);
}

/* Sets hit[pos] for each of the n rows of w (sorted here by rowid) that
 * the index matches: one query of st (MATCH ?1, rowid BETWEEN ?2 AND ?3)
 * per run of close rowids. */
static enum dd_code
chunk_matches(struct model_db *db, struct mdb_stmt *st, struct walked *w,
	      size_t n, bool *hit, struct dd_error *err)
{
	size_t i = 0, j;
	int rc;

	qsort(w, n, sizeof *w, walked_cmp);
	for (; i < n; i = j) {
		/* Sorted, so the difference is never negative; computed
		 * unsigned, it cannot overflow whatever rowids are stored. */
		for (j = i + 1;
		     j < n &&
		     (uint64_t)w[j].rowid - (uint64_t)w[j - 1].rowid <= GAP_MAX;
		     j++)
			;
		mdb_bind_int(st, 2, w[i].rowid);
		mdb_bind_int(st, 3, w[j - 1].rowid);
		while ((rc = mdb_step(st)) == MDB_ROW) {
			struct walked key = {mdb_col_int(st, 0), 0};
			struct walked *found =
			    bsearch(&key, w + i, j - i, sizeof *w, walked_cmp);

			if (found)
				hit[found->pos] = true;
		}
		if (rc != MDB_DONE)
			return mdb_error(db, err);
		mdb_rewind(st);
	}
	return DD_OK;
}

enum dd_code
mdb_search_walk(struct model_db *db, const char *match, struct mdb_stmt *walk,
		int64_t *rowids, size_t limit, size_t *count,
		struct dd_error *err)
{
	struct walked *w = xcalloc(CHUNK_MAX, sizeof *w);
	int64_t *order = xcalloc(CHUNK_MAX, sizeof *order);
	bool *hit = xcalloc(CHUNK_MAX, sizeof *hit);
	size_t chunk = CHUNK_MIN;
	bool more = true;
	struct mdb_stmt *st;
	enum dd_code code;

	*count = 0;
	code = mdb_prepare(db,
			   "SELECT rowid FROM task_search WHERE task_search "
			   "MATCH ?1 AND rowid BETWEEN ?2 AND ?3",
			   &st, err);
	if (code)
		goto out;
	mdb_bind_str(st, 1, match);
	while (more && *count < limit) {
		size_t n = 0;
		int rc = MDB_ROW;

		while (n < chunk && (rc = mdb_step(walk)) == MDB_ROW) {
			order[n] = mdb_col_int(walk, 0);
			w[n].rowid = order[n];
			w[n].pos = n;
			hit[n] = false;
			n++;
		}
		/* Never stepped again once done: it would start over. */
		if (rc != MDB_ROW) {
			if (rc != MDB_DONE) {
				code = mdb_error(db, err);
				break;
			}
			more = false;
		}
		code = chunk_matches(db, st, w, n, hit, err);
		if (code)
			break;
		for (size_t i = 0; i < n && *count < limit; i++)
			if (hit[i])
				rowids[(*count)++] = order[i];
		if (chunk < CHUNK_MAX)
			chunk *= 2;
	}
	mdb_release(db, st);
out:
	free(w);
	free(order);
	free(hit);
	return code;
}

/* The rowids of a block of history_spans (schema version 16): those with
 * the same rowid >> SPAN_SHIFT. */
#define SPAN_SHIFT 12

/* A block of a stage's deployments, with the date the best of its rows can
 * have in the page's order (its latest going older, its earliest going
 * newer, held to the cursor). */
struct span {
	int64_t block;
	char best[TIME_ISO_SIZE];
};

/* A deployment that matches, with its place in history order. */
struct found {
	int64_t rowid;
	char at[TIME_ISO_SIZE];
	char id[UUID_SIZE];
};

static int
key_cmp(const char *at, const char *id, const char *at2, const char *id2)
{
	int c = strcmp(at, at2);

	return c ? c : strcmp(id, id2);
}

/* Which comes first in a page going older (the later first), and going
 * newer, as qsort wants it. */
static int
found_older(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return key_cmp(y->at, y->id, x->at, x->id);
}

static int
found_newer(const void *a, const void *b)
{
	return found_older(b, a);
}

/* The blocks by the best date they can give a page going older, then
 * going newer; the later block first between equals. */
static int
span_older(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = strcmp(y->best, x->best);

	return c ? c : (x->block < y->block) - (x->block > y->block);
}

static int
span_newer(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = strcmp(x->best, y->best);

	return c ? c : (x->block < y->block) - (x->block > y->block);
}

/* The page so far, a heap whose root is the row that comes last in it;
 * sign 1 going older (the later, the sooner in the page), -1 going
 * newer. */
struct page_heap {
	struct found *rows;
	size_t n, limit;
	int sign;
};

static bool
comes_after(const struct page_heap *h, const struct found *a,
	    const struct found *b)
{
	return h->sign * key_cmp(a->at, a->id, b->at, b->id) < 0;
}

static void
heap_swap(struct found *a, struct found *b)
{
	struct found t = *a;

	*a = *b;
	*b = t;
}

/* Keeps f if the page has room, or if it comes before the page's last
 * row, which it then replaces. */
static void
heap_offer(struct page_heap *h, const struct found *f)
{
	size_t i;

	if (h->n < h->limit) {
		i = h->n++;
		h->rows[i] = *f;
		while (i > 0 &&
		       comes_after(h, &h->rows[i], &h->rows[(i - 1) / 2])) {
			heap_swap(&h->rows[i], &h->rows[(i - 1) / 2]);
			i = (i - 1) / 2;
		}
		return;
	}
	if (!comes_after(h, &h->rows[0], f))
		return;
	h->rows[0] = *f;
	for (i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, last = i;

		if (l < h->n && comes_after(h, &h->rows[l], &h->rows[last]))
			last = l;
		if (r < h->n && comes_after(h, &h->rows[r], &h->rows[last]))
			last = r;
		if (last == i)
			break;
		heap_swap(&h->rows[i], &h->rows[last]);
		i = last;
	}
}

/* The stage's blocks that can hold rows of the page, in the order of the
 * best date each can give it; *n their number. */
static enum dd_code
read_spans(struct model_db *db, const char *stage_id,
	   const struct task_cursor *cursor, int sign, struct span **out,
	   size_t *n, struct dd_error *err)
{
	bool from = cursor && cursor->id[0];
	size_t cap = 64;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	*out = xcalloc(cap, sizeof **out);
	*n = 0;
	code = mdb_prepare(db,
			   "SELECT block, first_at, last_at FROM history_spans "
			   "WHERE stage_id = ?1",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		char first[TIME_ISO_SIZE], last[TIME_ISO_SIZE];
		struct span *s;

		mdb_col_copy(st, 1, first, sizeof first);
		mdb_col_copy(st, 2, last, sizeof last);
		/* Every row of the block is on the other side of the
		 * cursor. */
		if (from &&
		    sign * strcmp(sign > 0 ? first : last, cursor->sort_key) >
			0)
			continue;
		if (*n == cap)
			*out = xrealloc(*out, (cap *= 2) * sizeof **out);
		s = &(*out)[(*n)++];
		s->block = mdb_col_int(st, 0);
		memcpy(s->best, sign > 0 ? last : first, sizeof s->best);
		if (from && sign * strcmp(s->best, cursor->sort_key) > 0)
			memcpy(s->best, cursor->sort_key, sizeof s->best);
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	qsort(*out, *n, sizeof **out, sign > 0 ? span_older : span_newer);
	return code;
}

/* How many of the stage's matching deployments the blocks may show a
 * page of limit rows before mdb_search_spans() gives up: a filter that
 * few of them pass (an environment and a status together) would have it
 * read every block, when the history's index of that filter holds few
 * rows to walk. */
#define SPANS_BUDGET(limit) (16 * (limit) + 4096)

enum dd_code
mdb_search_spans(struct model_db *db, const char *match,
		 const struct task_filter *filter,
		 const struct task_cursor *cursor,
		 enum page_direction direction, int64_t *rowids, size_t limit,
		 size_t *count, bool *gave_up, struct dd_error *err)
{
	int sign = direction == PAGE_OLDER ? 1 : -1;
	struct page_heap heap = {xcalloc(limit, sizeof *heap.rows), 0, limit,
				 sign};
	bool from = cursor && cursor->id[0];
	const char *env = filter->environment >= 0
			      ? env_code((enum environment)filter->environment)
			      : NULL;
	const char *status = filter->status >= 0
				 ? status_code((enum task_status)filter->status)
				 : NULL;
	struct span *spans = NULL;
	struct mdb_stmt *st = NULL;
	size_t nspans = 0, seen = 0;
	enum dd_code code = DD_OK;

	*count = 0;
	*gave_up = false;
	if (!limit)
		goto out;
	code = read_spans(db, filter->stage_id, cursor, sign, &spans, &nspans,
			  err);
	if (!code)
		code = mdb_prepare(
		    db,
		    "SELECT t.rowid, t.planned_at, t.id, t.environment, "
		    "t.status FROM task_search s "
		    "CROSS JOIN tasks t ON t.rowid = s.rowid "
		    "WHERE task_search MATCH ?1 AND s.rowid BETWEEN ?2 AND ?3 "
		    "AND t.stage_id = ?4 AND t.type = 'DEPLOIEMENT'",
		    &st, err);
	if (code)
		goto out;
	mdb_bind_str(st, 1, match);
	mdb_bind_str(st, 4, filter->stage_id);
	for (size_t i = 0; i < nspans; i++) {
		int64_t lo = (int64_t)((uint64_t)spans[i].block << SPAN_SHIFT);
		int rc;

		/* Every row of this block, and of those after it, comes
		 * after the page's last row. */
		if (heap.n == limit &&
		    sign * strcmp(spans[i].best, heap.rows[0].at) < 0)
			break;
		if (heap.n < limit && seen > SPANS_BUDGET(limit)) {
			*gave_up = true;
			goto out;
		}
		mdb_bind_int(st, 2, lo);
		mdb_bind_int(st, 3, lo | ((INT64_C(1) << SPAN_SHIFT) - 1));
		while ((rc = mdb_step(st)) == MDB_ROW) {
			const char *e = mdb_col_text(st, 3);
			const char *u = mdb_col_text(st, 4);
			struct found f;
			int c;

			f.rowid = mdb_col_int(st, 0);
			mdb_col_copy(st, 1, f.at, sizeof f.at);
			mdb_col_copy(st, 2, f.id, sizeof f.id);
			if (from) {
				c = sign * key_cmp(f.at, f.id, cursor->sort_key,
						   cursor->id);
				if (c > 0 || (c == 0 && !cursor->inclusive))
					continue;
			}
			/* A match on this side of the cursor: one the
			 * filter may pass. */
			seen++;
			if ((env && (!e || strcmp(e, env))) ||
			    (status && (!u || strcmp(u, status))))
				continue;
			heap_offer(&heap, &f);
		}
		mdb_rewind(st);
		if (rc != MDB_DONE) {
			code = mdb_error(db, err);
			goto out;
		}
	}
	qsort(heap.rows, heap.n, sizeof *heap.rows,
	      sign > 0 ? found_older : found_newer);
	for (size_t i = 0; i < heap.n; i++)
		rowids[i] = heap.rows[i].rowid;
	*count = heap.n;
out:
	mdb_release(db, st);
	free(spans);
	free(heap.rows);
	return code;
}

/* A stage's span of a block, as history_spans holds it. */
struct held_span {
	char *stage_id;
	int64_t block;
	char *first_at, *last_at;
};

static int
held_span_cmp(const void *a, const void *b)
{
	const struct held_span *x = a, *y = b;
	int c = strcmp(x->stage_id, y->stage_id);

	return c ? c : (x->block > y->block) - (x->block < y->block);
}

static char *
col_dup(struct mdb_stmt *st, int i)
{
	const char *t = mdb_col_text(st, i);

	return xstrdup(t ? t : "");
}

/* Checks that each deployment's planned date is within the span its
 * block holds (a span may be wider: it never narrows). The spans are few
 * (one per 4,096 rowids), held here; the deployments are read from the
 * history's index, which holds all three columns. */
static enum dd_code
spans_check(struct model_db *db, struct dd_error *err)
{
	struct held_span *spans = NULL;
	size_t n = 0, cap = 0;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT stage_id, block, first_at, last_at "
			   "FROM history_spans",
			   &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		if (n == cap)
			spans = xrealloc(spans, (cap = cap ? 2 * cap : 64) *
						    sizeof *spans);
		spans[n].stage_id = col_dup(st, 0);
		spans[n].block = mdb_col_int(st, 1);
		spans[n].first_at = col_dup(st, 2);
		spans[n].last_at = col_dup(st, 3);
		n++;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (n)
		qsort(spans, n, sizeof *spans, held_span_cmp);
	if (!code) {
		struct strbuf sql = STRBUF_INIT;

		strbuf_addf(&sql,
			    "SELECT t.stage_id, t.rowid, t.planned_at, t.id "
			    "FROM %s WHERE t.type = 'DEPLOIEMENT' "
			    "AND t.planned_at IS NOT NULL",
			    db->be->tasks_by_history);
		code = mdb_prepare(db, strbuf_str(&sql), &st, err);
		strbuf_release(&sql);
	}
	if (code)
		goto out;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		const char *stage = mdb_col_text(st, 0);
		const char *at = mdb_col_text(st, 2);
		int64_t rowid = mdb_col_int(st, 1);
		struct held_span key = {(char *)(stage ? stage : ""),
					rowid >> SPAN_SHIFT, NULL, NULL};
		struct held_span *h =
		    n ? bsearch(&key, spans, n, sizeof *spans, held_span_cmp)
		      : NULL;

		if (!at)
			at = "";
		if (!h || strcmp(at, h->first_at) < 0 ||
		    strcmp(at, h->last_at) > 0) {
			char id[UUID_SIZE];

			mdb_col_copy(st, 3, id, sizeof id);
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("the history's spans (history_spans) "
					 "leave out deployment %s, planned %s: "
					 "a search would not find it"),
				       id, at);
			break;
		}
	}
	if (!code && rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
out:
	for (size_t i = 0; i < n; i++) {
		free(spans[i].stage_id);
		free(spans[i].first_at);
		free(spans[i].last_at);
	}
	free(spans);
	return code;
}

/* The full-text index's check (FTS5's integrity-check: the index against
 * its content, re-tokenized), on a connection of its own in a thread: it
 * takes seconds at a million deployments (3.3 s), and runs beside the
 * rest of audit verify. Inside a savepoint rolled back: it writes
 * nothing. No gettext here: the thread keeps a code, model_search_check_end
 * says it in words. */
struct model_search_job {
	pthread_t thread;
	const struct mdb_backend *be;
	char *location;
	bool running;
	enum mdb_check found;
	char error[256]; /* the engine's message, for MDB_CHECK_ERROR */
};

static void *
search_job_run(void *arg)
{
	struct model_search_job *job = arg;

	job->found =
	    job->be->search_check(job->location, job->error, sizeof job->error);
	return NULL;
}

enum dd_code
model_search_check_begin(struct model_db *db, struct model_search_job **out,
			 struct dd_error *err)
{
	struct model_search_job *job;

	(void)err;
	*out = NULL;
	if (db->readonly)
		return DD_OK;
	job = xcalloc(1, sizeof *job);
	job->be = db->be;
	job->location = xstrdup(db->path);
	/* No thread to be had: the check runs when it is asked for. */
	job->running =
	    pthread_create(&job->thread, NULL, search_job_run, job) == 0;
	*out = job;
	return DD_OK;
}

enum dd_code
model_search_check_end(struct model_search_job *job, struct dd_error *err)
{
	enum dd_code code = DD_OK;

	if (!job)
		return DD_OK;
	if (job->running)
		pthread_join(job->thread, NULL);
	else
		search_job_run(job);
	if (job->found == MDB_CHECK_MISMATCH)
		code = dd_fail(err, DD_ERR_RUNTIME, "%s",
			       _("the search index does not match the "
				 "deployments"));
	else if (job->found != MDB_CHECK_OK)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("the search index could not be checked: %s"),
			       job->error);
	free(job->location);
	free(job);
	return code;
}

enum dd_code
model_search_check(struct model_db *db, struct dd_error *err)
{
	return spans_check(db, err);
}
