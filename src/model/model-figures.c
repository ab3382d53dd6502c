/* SPDX-License-Identifier: MIT */
/* The delivery figures kept a day at a time (schema version 15,
 * data/migrations/015-figures.sql): what each UTC day adds to a stage's
 * figures, in one row of figure_days per kind and environment, so that a
 * period reads a row a day instead of every deployment in it.
 *
 * A day is built from the deployments themselves, by the one function
 * that also reads the ends of a period (which are parts of a day) and the
 * days a trigger marked as changed and not yet rebuilt: the figures are
 * the same whichever way a day is read. The marked days are rebuilt just
 * before a write commits (model_commit), and `audit verify` builds every
 * day again and compares (model_figures_check).
 *
 * A row's stats are unsigned LEB128 numbers: a format version (1), then
 * for the executed deployments the successes of each quarter of an hour
 * (96), the failures likewise, then the lead times (creation to success)
 * and the approval waits (creation to authorization) of the successes,
 * each list as its length and its values sorted, each as the difference
 * from the one before; for the incidents opened that day, how many, how
 * many are restored (closed) and the times to restore; for the
 * deployments planned that day, their number in each status. Times are
 * whole seconds; a time that would be negative (a clock set back) is not
 * kept, as it is not counted in a median. */
#include "model/model-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#define DAY 86400
#define SLOT (DAY / FIGURE_SLOTS)
#define STATS_VERSION 1
/* A day's accumulators: one an environment, and one for the incidents of
 * no deployment (index 0). */
#define ACCS (ENV_COUNT + 1)

static const char *const raw_sql[] = {
    [FIGURE_EXECUTED] =
	"SELECT environment, status, created_at, authorized_at, executed_at "
	"FROM tasks WHERE stage_id = ?1 AND type = 'DEPLOIEMENT' "
	"AND executed_at IS NOT NULL AND executed_at >= ?2 "
	"AND executed_at < ?3 AND (CAST(?4 AS TEXT) IS NULL OR environment = "
	"?4) "
	"AND status IN ('TERMINEE', 'ECHEC')",
    /* Restored: its status TERMINEE, at the last incident.set record
     * about it. */
    [FIGURE_INCIDENTS] =
	"SELECT coalesce((SELECT d.environment FROM tasks d WHERE d.id = "
	"t.source_task), '') AS env, t.status, t.created_at, CASE WHEN "
	"t.status = 'TERMINEE' THEN (SELECT a.ts FROM audit a WHERE "
	"a.entity_id = t.id AND a.action = 'incident.set' ORDER BY a.seq "
	"DESC LIMIT 1) END FROM tasks t WHERE t.stage_id = ?1 AND t.type = "
	"'INCIDENT' AND t.created_at >= ?2 AND t.created_at < ?3 AND "
	"(CAST(?4 AS TEXT) IS NULL OR coalesce((SELECT d.environment FROM "
	"tasks d WHERE d.id = t.source_task), '') = ?4)",
    [FIGURE_PLANNED] =
	"SELECT environment, status FROM tasks WHERE stage_id = ?1 "
	"AND type = 'DEPLOIEMENT' AND planned_at >= ?2 AND planned_at < ?3 "
	"AND (CAST(?4 AS TEXT) IS NULL OR environment = ?4)",
};

/* Durations, gathered then sorted. */
struct list {
	int64_t *v;
	size_t n, cap;
};

static void
list_push(struct list *l, int64_t x)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = x;
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
sort(struct list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, by_value);
}

/* What is gathered for one environment of one day. */
struct acc {
	struct figure_day d;
	struct list lead, wait, restore;
	int64_t rows;
};

struct build {
	enum figure_kind kind;
	time_t start; /* the day's first second */
	struct acc accs[ACCS];
};

static void
build_reset(struct build *b, enum figure_kind kind, time_t start)
{
	b->kind = kind;
	b->start = start;
	for (int i = 0; i < ACCS; i++) {
		struct acc *a = &b->accs[i];
		struct list lead = a->lead, wait = a->wait,
			    restore = a->restore;

		memset(a, 0, sizeof *a);
		lead.n = wait.n = restore.n = 0;
		a->lead = lead;
		a->wait = wait;
		a->restore = restore;
		a->d.kind = kind;
		a->d.start = start;
		a->d.environment = i - 1;
	}
}

static void
build_free(struct build *b)
{
	for (int i = 0; i < ACCS; i++) {
		free(b->accs[i].lead.v);
		free(b->accs[i].wait.v);
		free(b->accs[i].restore.v);
	}
}

static time_t
iso(const char *s)
{
	time_t t = 0;

	return s && time_parse_iso(s, &t) ? t : 0;
}

static struct acc *
acc_of(struct build *b, const char *env)
{
	int e = env_parse(env ? env : "");

	return &b->accs[e < 0 ? 0 : e + 1];
}

/* Adds one row of raw_sql[b->kind] to its environment's day. */
static void
add_row(struct build *b, struct mdb_stmt *st)
{
	struct acc *a = acc_of(b, mdb_col_text(st, 0));
	const char *status = mdb_col_text(st, 1);
	time_t made = iso(mdb_col_text(st, 2));
	time_t t = iso(mdb_col_text(st, 3));
	int64_t slot;

	a->rows++;
	switch (b->kind) {
	case FIGURE_EXECUTED: {
		time_t done = iso(mdb_col_text(st, 4));
		bool ok = status_parse(status) == STATUS_SUCCEEDED;

		slot = (done - b->start) / SLOT;
		slot = slot < 0		      ? 0
		       : slot >= FIGURE_SLOTS ? FIGURE_SLOTS - 1
					      : slot;
		if (!ok) {
			a->d.failed[slot]++;
			break;
		}
		a->d.succeeded[slot]++;
		if (made && done && done >= made)
			list_push(&a->lead, done - made);
		if (made && t && t >= made)
			list_push(&a->wait, t - made);
		break;
	}
	case FIGURE_INCIDENTS:
		a->d.opened++;
		/* Column 3: when it was restored, NULL while open. */
		if (mdb_col_null(st, 3))
			break;
		a->d.restored++;
		if (made && t && t >= made)
			list_push(&a->restore, t - made);
		break;
	case FIGURE_PLANNED: {
		int s = status_parse(status);

		if (s >= 0)
			a->d.planned[s]++;
		break;
	}
	}
}

/* Reads the rows of kind of a stage in [from, to), of environment env
 * (text as stored, '' for an incident of no deployment; NULL: any), into
 * b. */
static enum dd_code
build_range(struct model_db *db, struct build *b, const char *stage_id,
	    const char *from, const char *to, const char *env,
	    struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code = mdb_prepare(db, raw_sql[b->kind], &st, err);
	int rc;

	if (code)
		return code;
	mdb_bind_str(st, 1, stage_id);
	mdb_bind_str(st, 2, from);
	mdb_bind_str(st, 3, to);
	mdb_bind_text(st, 4, env);
	while ((rc = mdb_step(st)) == MDB_ROW)
		add_row(b, st);
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	for (int i = 0; i < ACCS; i++) {
		struct acc *a = &b->accs[i];

		sort(&a->lead);
		sort(&a->wait);
		sort(&a->restore);
		a->d.lead = a->lead.v;
		a->d.nlead = a->lead.n;
		a->d.wait = a->wait.v;
		a->d.nwait = a->wait.n;
		a->d.restore = a->restore.v;
		a->d.nrestore = a->restore.n;
	}
	return code;
}

/* The stats of a day, encoded. */
struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void
put(struct bytes *b, uint64_t v)
{
	if (b->cap - b->n < 10) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->p = xrealloc(b->p, b->cap);
	}
	do {
		b->p[b->n++] =
		    (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
}

static void
put_list(struct bytes *b, const int64_t *v, size_t n)
{
	put(b, n);
	for (size_t i = 0; i < n; i++)
		put(b, (uint64_t)(v[i] - (i ? v[i - 1] : 0)));
}

static void
encode(const struct figure_day *d, struct bytes *b)
{
	b->n = 0;
	put(b, STATS_VERSION);
	switch (d->kind) {
	case FIGURE_EXECUTED:
		for (int i = 0; i < FIGURE_SLOTS; i++)
			put(b, (uint64_t)d->succeeded[i]);
		for (int i = 0; i < FIGURE_SLOTS; i++)
			put(b, (uint64_t)d->failed[i]);
		put_list(b, d->lead, d->nlead);
		put_list(b, d->wait, d->nwait);
		break;
	case FIGURE_INCIDENTS:
		put(b, (uint64_t)d->opened);
		put(b, (uint64_t)d->restored);
		put_list(b, d->restore, d->nrestore);
		break;
	case FIGURE_PLANNED:
		for (int i = 0; i < STATUS_COUNT; i++)
			put(b, (uint64_t)d->planned[i]);
		break;
	}
}

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

/* A number no larger than INT64_MAX, or bad. */
static int64_t
get(struct reader *r)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 63; shift += 7) {
		if (r->p == r->end)
			break;
		v |= (uint64_t)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v > INT64_MAX ? (r->bad = true, 0) : (int64_t)v;
	}
	r->bad = true;
	return 0;
}

static void
get_list(struct reader *r, struct list *l, const int64_t **v, size_t *n)
{
	int64_t count = get(r), x = 0;

	l->n = 0;
	/* Each value takes a byte at least. */
	if (r->bad || count > r->end - r->p) {
		r->bad = true;
		return;
	}
	for (int64_t i = 0; i < count && !r->bad; i++) {
		int64_t d = get(r);

		if (d > INT64_MAX - x)
			r->bad = true;
		x += d;
		list_push(l, x);
	}
	*v = l->v;
	*n = l->n;
}

/* A count no day of deployments reaches, and a duration no deployment
 * since 1970 lasts: what a reader is given stays far from overflowing
 * its sums (a row of figure_days written by hand is read as unreadable,
 * from the deployments, and audit verify names it). */
#define COUNT_MAX 1000000000
#define DURATION_MAX 10000000000

static int64_t
get_count(struct reader *r)
{
	int64_t n = get(r);

	if (n > COUNT_MAX)
		r->bad = true;
	return n;
}

/* Decodes the stats of a day into a (its lists kept in a's); false when
 * they are not what encode() writes, or cannot be a day's. */
static bool
decode(const void *blob, int size, struct acc *a)
{
	struct reader r = {blob, (const unsigned char *)blob + size, false};
	struct figure_day *d = &a->d;
	int64_t successes = 0;

	if (!blob || get(&r) != STATS_VERSION)
		return false;
	switch (d->kind) {
	case FIGURE_EXECUTED:
		for (int i = 0; i < FIGURE_SLOTS; i++)
			successes += d->succeeded[i] = get_count(&r);
		for (int i = 0; i < FIGURE_SLOTS; i++)
			d->failed[i] = get_count(&r);
		get_list(&r, &a->lead, &d->lead, &d->nlead);
		get_list(&r, &a->wait, &d->wait, &d->nwait);
		if ((int64_t)d->nlead > successes ||
		    (int64_t)d->nwait > successes ||
		    (d->nlead && d->lead[d->nlead - 1] > DURATION_MAX) ||
		    (d->nwait && d->wait[d->nwait - 1] > DURATION_MAX))
			r.bad = true;
		break;
	case FIGURE_INCIDENTS:
		d->opened = get_count(&r);
		d->restored = get_count(&r);
		get_list(&r, &a->restore, &d->restore, &d->nrestore);
		if (d->restored > d->opened ||
		    (int64_t)d->nrestore > d->restored ||
		    (d->nrestore && d->restore[d->nrestore - 1] > DURATION_MAX))
			r.bad = true;
		break;
	case FIGURE_PLANNED:
		for (int i = 0; i < STATUS_COUNT; i++)
			d->planned[i] = get_count(&r);
		break;
	}
	return !r.bad && r.p == r.end;
}

/* "YYYY-MM-DD" of a day, and its first second; false for text of another
 * shape or a day that does not exist. */
static bool
day_start(const char *day, time_t *out)
{
	char iso_text[TIME_ISO_SIZE];

	if (!day || strlen(day) != 10)
		return false;
	snprintf(iso_text, sizeof iso_text, "%sT00:00:00Z", day);
	return time_parse_iso(iso_text, out);
}

static void
day_text(time_t t, char out[TIME_ISO_SIZE])
{
	time_iso_utc(t, out);
	out[10] = '\0';
}

/* A day of a kind, as the deployments give it, into b: [start, start +
 * DAY) of environment env (text as stored). */
static enum dd_code
build_day(struct model_db *db, struct build *b, enum figure_kind kind,
	  const char *stage_id, time_t start, const char *env,
	  struct dd_error *err)
{
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE];

	build_reset(b, kind, start);
	time_iso_utc(start, from);
	time_iso_utc(start + DAY, to);
	return build_range(db, b, stage_id, from, to, env, err);
}

/* The stored stats of a day as build_day() gives them: into *out, NULL
 * when the day adds nothing (no row is kept for it). */
static const struct bytes *
built_stats(struct build *b, const char *env, struct bytes *out)
{
	struct acc *a = acc_of(b, env);

	if (!a->rows)
		return NULL;
	encode(&a->d, out);
	return out;
}

enum dd_code
mdb_figures_flush(struct model_db *db, struct dd_error *err)
{
	struct key {
		char *stage_id, *env, *day;
		int kind;
	} *keys = NULL;
	size_t n = 0, cap = 0;
	struct build b = {0};
	struct bytes stats = {0};
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	code = mdb_prepare(db,
			   "SELECT stage_id, kind, environment, day "
			   "FROM figure_dirty ORDER BY stage_id, kind, day",
			   &st, err);
	if (code)
		return code;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			keys = xrealloc(keys, cap * sizeof *keys);
		}
		keys[n].stage_id = mdb_col_dup(st, 0);
		keys[n].kind = (int)mdb_col_int(st, 1);
		keys[n].env = mdb_col_dup(st, 2);
		keys[n].day = mdb_col_dup(st, 3);
		n++;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	for (size_t i = 0; !code && i < n; i++) {
		const struct bytes *built = NULL;
		bool same_day;
		time_t start;

		if (!keys[i].stage_id || !keys[i].env || !keys[i].day ||
		    keys[i].kind < FIGURE_EXECUTED ||
		    keys[i].kind > FIGURE_PLANNED)
			continue;
		/* A day that is not one (a time stored in another shape)
		 * keeps no row: no period reads it. The day's rows are read
		 * once for all its environments. */
		same_day =
		    i > 0 && keys[i - 1].stage_id && keys[i - 1].day &&
		    keys[i - 1].kind == keys[i].kind &&
		    strcmp(keys[i - 1].stage_id, keys[i].stage_id) == 0 &&
		    strcmp(keys[i - 1].day, keys[i].day) == 0;
		if (day_start(keys[i].day, &start)) {
			if (!same_day)
				code = build_day(
				    db, &b, (enum figure_kind)keys[i].kind,
				    keys[i].stage_id, start, NULL, err);
			if (code)
				break;
			built = built_stats(&b, keys[i].env, &stats);
		}
		code = mdb_prepare(
		    db,
		    built ? "INSERT INTO figure_days (stage_id, kind, "
			    "environment, day, stats) VALUES (?1, ?2, ?3, ?4, "
			    "?5) ON CONFLICT (stage_id, kind, day, "
			    "environment) DO UPDATE SET stats = excluded.stats"
			  : "DELETE FROM figure_days WHERE stage_id = ?1 AND "
			    "kind = ?2 AND environment = ?3 AND day = ?4",
		    &st, err);
		if (code)
			break;
		mdb_bind_str(st, 1, keys[i].stage_id);
		mdb_bind_int(st, 2, keys[i].kind);
		mdb_bind_str(st, 3, keys[i].env);
		mdb_bind_text(st, 4, keys[i].day);
		if (built)
			mdb_bind_blob(st, 5, built->p, built->n);
		code = mdb_step_done(db, st, err);
	}
	if (!code && n)
		code = mdb_exec(db, "DELETE FROM figure_dirty", err);
	for (size_t i = 0; i < n; i++) {
		free(keys[i].stage_id);
		free(keys[i].env);
		free(keys[i].day);
	}
	free(keys);
	free(stats.p);
	build_free(&b);
	return code;
}

/* Hands the non-empty environments of b to fn. */
static void
emit(struct build *b, figure_day_fn fn, void *data)
{
	for (int i = 0; i < ACCS; i++)
		if (b->accs[i].rows)
			fn(&b->accs[i].d, data);
}

/* A part of a day read from the deployments: [from, to) within the day
 * that starts at start. */
static enum dd_code
raw_part(struct model_db *db, struct build *b, enum figure_kind kind,
	 const char *stage_id, time_t start, time_t from, time_t to,
	 const char *env, figure_day_fn fn, void *data, struct dd_error *err)
{
	char a[TIME_ISO_SIZE], z[TIME_ISO_SIZE];
	enum dd_code code;

	if (from >= to)
		return DD_OK;
	build_reset(b, kind, start);
	time_iso_utc(from, a);
	time_iso_utc(to, z);
	code = build_range(db, b, stage_id, a, z, env, err);
	if (!code)
		emit(b, fn, data);
	return code;
}

/* A day to read from the deployments: its stats are marked changed, or
 * not what encode() writes. */
struct stale {
	char day[TIME_ISO_SIZE];
	char env[16];
};

enum dd_code
model_figures(struct model_db *db, enum figure_kind kind, const char *stage_id,
	      const char *from, const char *to, int env, figure_day_fn fn,
	      void *data, struct dd_error *err)
{
	const char *env_text =
	    env >= 0 ? env_code((enum environment)env) : NULL;
	char first[TIME_ISO_SIZE], end[TIME_ISO_SIZE];
	struct stale *stale = NULL;
	size_t nstale = 0, cap = 0;
	struct build b = {0};
	time_t a, z, d1, d2;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	if (!time_parse_iso(from, &a) || !time_parse_iso(to, &z))
		return dd_fail(err, DD_ERR_INPUT,
			       _("period: %s to %s are not two stored times"),
			       from, to);
	if (a >= z)
		return DD_OK;
	d1 = (a + DAY - 1) / DAY * DAY;
	d2 = z / DAY * DAY;
	if (d1 > d2) { /* [from, to) is within one day */
		code = raw_part(db, &b, kind, stage_id, d2, a, z, env_text, fn,
				data, err);
		build_free(&b);
		return code;
	}
	code = raw_part(db, &b, kind, stage_id, d1 - DAY, a, d1, env_text, fn,
			data, err);
	if (!code)
		code = raw_part(db, &b, kind, stage_id, d2, d2, z, env_text, fn,
				data, err);
	day_text(d1, first);
	day_text(d2, end);
	/* The whole days: their kept stats, and the days marked changed
	 * (stats NULL), read below with those unreadable. */
	if (!code && d1 < d2)
		code = mdb_prepare(
		    db,
		    "SELECT f.environment, f.day, f.stats, CASE WHEN EXISTS "
		    "(SELECT 1 FROM figure_dirty d WHERE d.stage_id = "
		    "f.stage_id AND d.kind = f.kind AND d.day = f.day AND "
		    "d.environment = f.environment) THEN 1 ELSE 0 END "
		    "FROM figure_days f WHERE f.stage_id = ?1 "
		    "AND f.kind = ?2 AND f.day >= ?3 AND f.day < ?4 AND "
		    "(CAST(?5 AS TEXT) IS NULL OR f.environment = ?5) "
		    "UNION ALL SELECT environment, day, NULL, 1 FROM "
		    "figure_dirty WHERE stage_id = ?1 AND kind = ?2 AND day >= "
		    "?3 AND day < ?4 AND (CAST(?5 AS TEXT) IS NULL OR "
		    "environment = ?5)",
		    &st, err);
	if (!code && d1 < d2) {
		mdb_bind_str(st, 1, stage_id);
		mdb_bind_int(st, 2, kind);
		mdb_bind_str(st, 3, first);
		mdb_bind_str(st, 4, end);
		mdb_bind_text(st, 5, env_text);
		while ((rc = mdb_step(st)) == MDB_ROW) {
			bool marked = (int)mdb_col_int(st, 3);
			bool kept = !mdb_col_null(st, 2);
			struct acc *acc;
			time_t start;

			if (marked && kept)
				continue; /* its mark comes as a row too */
			build_reset(&b, kind, 0);
			acc = acc_of(&b, mdb_col_text(st, 0));
			if (!marked && day_start(mdb_col_text(st, 1), &start) &&
			    decode(mdb_col_blob(st, 2), mdb_col_bytes(st, 2),
				   acc)) {
				acc->d.start = start;
				fn(&acc->d, data);
				continue;
			}
			if (nstale == cap) {
				cap = cap ? 2 * cap : 8;
				stale = xrealloc(stale, cap * sizeof *stale);
			}
			mdb_col_copy(st, 1, stale[nstale].day,
				     sizeof stale[nstale].day);
			mdb_col_copy(st, 0, stale[nstale].env,
				     sizeof stale[nstale].env);
			nstale++;
		}
		if (rc != MDB_DONE)
			code = mdb_error(db, err);
		mdb_release(db, st);
	}
	for (size_t i = 0; !code && i < nstale; i++) {
		time_t start;

		if (day_start(stale[i].day, &start))
			code =
			    raw_part(db, &b, kind, stage_id, start, start,
				     start + DAY, stale[i].env, fn, data, err);
	}
	free(stale);
	build_free(&b);
	return code;
}

enum dd_code
model_figures_mark_all(struct model_db *db, int64_t *days, struct dd_error *err)
{
	enum dd_code code;

	/* Every day kept, and every day the deployments count in. */
	code = mdb_exec(db,
			"INSERT INTO figure_dirty (stage_id, kind, "
			"environment, day) SELECT stage_id, kind, environment, "
			"day FROM figure_days UNION ALL SELECT stage_id, kind, "
			"environment, day FROM figure_keys "
			/* WHERE: SQLite would read ON as a join's. */
			"WHERE true ON CONFLICT DO NOTHING",
			err);
	if (!code)
		code =
		    mdb_int(db, "SELECT count(*) FROM figure_dirty", days, err);
	return code;
}

/* What model_figures_check carries from row to row. */
struct check {
	struct build b;
	struct bytes stats;
	char *stage; /* the day built last, read once for all environments */
	char day[16];
	int kind;
	int64_t rows[FIGURE_PLANNED + 1]; /* the deployments the kept rows
					     count, by kind */
	bool found;
};

/* Builds again each day of st's rows (stage_id, kind, environment, day,
 * stats or NULL for a day that should be kept and is not) and compares;
 * the first that differs goes to fn. */
static enum dd_code
check_rows(struct model_db *db, struct mdb_stmt *st, struct check *c,
	   figure_stale_fn fn, void *data, struct dd_error *err)
{
	enum dd_code code = DD_OK;
	int rc;

	while (!c->found && (rc = mdb_step(st)) == MDB_ROW) {
		const char *stage_id = mdb_col_text(st, 0);
		int kind = (int)mdb_col_int(st, 1);
		const char *env = mdb_col_text(st, 2);
		const char *day = mdb_col_text(st, 3);
		bool kept = !mdb_col_null(st, 4);
		const struct bytes *built;
		time_t start;

		if (!stage_id || !env || kind < FIGURE_EXECUTED ||
		    kind > FIGURE_PLANNED || !day_start(day, &start)) {
			/* Kept for no kind, or for a time of another shape,
			 * which no period reads: not deploydesk's. */
			c->found = kept;
		} else {
			/* The rows come by stage, kind and day: a day's
			 * deployments are read once for all its
			 * environments. */
			if (!c->stage || strcmp(c->stage, stage_id) ||
			    c->kind != kind || strcmp(c->day, day)) {
				code =
				    build_day(db, &c->b, (enum figure_kind)kind,
					      stage_id, start, NULL, err);
				if (code)
					return code;
				free(c->stage);
				c->stage = xstrdup(stage_id);
				c->kind = kind;
				snprintf(c->day, sizeof c->day, "%s", day);
			}
			built = built_stats(&c->b, env, &c->stats);
			c->rows[kind] += acc_of(&c->b, env)->rows;
			c->found =
			    kept ? !built || mdb_col_bytes(st, 4) != built->n ||
				       memcmp(mdb_col_blob(st, 4), built->p,
					      built->n) != 0
				 : built != NULL;
		}
		if (c->found)
			fn(stage_id ? stage_id : "", (enum figure_kind)kind,
			   env ? env : "", day ? day : "", data);
	}
	if (!c->found && rc != MDB_DONE)
		code = mdb_error(db, err);
	return code;
}

enum dd_code
model_figures_check(struct model_db *db, figure_stale_fn fn, void *data,
		    struct dd_error *err)
{
	struct check c = {0};
	int64_t total[FIGURE_PLANNED + 1] = {0};
	bool same = true;
	struct mdb_stmt *st;
	enum dd_code code;
	int rc;

	/* Every kept day, but those marked to be rebuilt, built again;
	 * together they count c.rows deployments and incidents. */
	code = mdb_prepare(
	    db,
	    "SELECT f.stage_id, f.kind, f.environment, f.day, f.stats FROM "
	    "figure_days f WHERE NOT EXISTS (SELECT 1 FROM figure_dirty d "
	    "WHERE d.stage_id = f.stage_id AND d.kind = f.kind AND d.day = "
	    "f.day AND d.environment = f.environment)",
	    &st, err);
	if (!code) {
		code = check_rows(db, st, &c, fn, data, err);
		mdb_release(db, st);
	}
	/* The days marked: what they count, from the deployments. */
	if (!code && !c.found)
		code = mdb_prepare(db,
				   "SELECT stage_id, kind, environment, day, "
				   "NULL FROM figure_dirty",
				   &st, err);
	if (!code && !c.found) {
		while ((rc = mdb_step(st)) == MDB_ROW) {
			const char *env = mdb_col_text(st, 2);
			int kind = (int)mdb_col_int(st, 1);
			time_t start;

			if (kind < FIGURE_EXECUTED || kind > FIGURE_PLANNED ||
			    !env || !day_start(mdb_col_text(st, 3), &start))
				continue;
			/* Built for one environment: no longer the day
			 * check_rows built last. */
			free(c.stage);
			c.stage = NULL;
			code = build_day(db, &c.b, (enum figure_kind)kind,
					 mdb_col_text(st, 0), start, env, err);
			if (code)
				break;
			c.rows[kind] += acc_of(&c.b, env)->rows;
		}
		if (!code && rc != MDB_DONE)
			code = mdb_error(db, err);
		mdb_release(db, st);
	}
	/* What the deployments count in all: a day with some that is not
	 * kept makes the two differ. Counted through the indexes, not day
	 * by day. */
	if (!code && !c.found)
		code = mdb_prepare(
		    db,
		    "SELECT 1, count(*) FROM tasks WHERE type = 'DEPLOIEMENT' "
		    "AND status IN ('TERMINEE', 'ECHEC') AND executed_at IS "
		    "NOT NULL UNION ALL SELECT 2, count(*) FROM tasks WHERE "
		    "type = 'INCIDENT' UNION ALL SELECT 3, count(*) FROM tasks "
		    "WHERE type = 'DEPLOIEMENT' AND planned_at IS NOT NULL",
		    &st, err);
	if (!code && !c.found) {
		while ((rc = mdb_step(st)) == MDB_ROW) {
			int kind = (int)mdb_col_int(st, 0);

			if (kind >= FIGURE_EXECUTED && kind <= FIGURE_PLANNED)
				total[kind] = mdb_col_int(st, 1);
		}
		if (rc != MDB_DONE)
			code = mdb_error(db, err);
		mdb_release(db, st);
	}
	for (int k = FIGURE_EXECUTED; k <= FIGURE_PLANNED; k++)
		same = same && c.rows[k] == total[k];
	/* Only then, which: every deployment's days probed through the
	 * kept rows' key. */
	if (!code && !c.found && !same)
		code = mdb_prepare(
		    db,
		    "SELECT k.stage_id, k.kind, k.environment, k.day, NULL "
		    "FROM figure_keys k WHERE NOT EXISTS (SELECT 1 FROM "
		    "figure_days f WHERE f.stage_id = k.stage_id AND f.kind = "
		    "k.kind AND f.day = k.day AND f.environment = "
		    "k.environment) AND NOT EXISTS (SELECT 1 FROM figure_dirty "
		    "d WHERE d.stage_id = k.stage_id AND d.kind = k.kind AND "
		    "d.day = k.day AND d.environment = k.environment)",
		    &st, err);
	if (!code && !c.found && !same) {
		code = check_rows(db, st, &c, fn, data, err);
		mdb_release(db, st);
	}
	free(c.stage);
	free(c.stats.p);
	build_free(&c.b);
	return code;
}
