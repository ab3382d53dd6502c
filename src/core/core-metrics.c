/* SPDX-License-Identifier: MIT */
/* Delivery figures over a period, with the counts behind each ratio:
 * deployment frequency, lead time (and the approval wait within it),
 * change failure rate, time to restore, the spec's success rate, and the
 * weekly series of successes and failures. Read from what the model keeps
 * a day at a time (model_figures): a row a day and environment for the
 * whole days of the period, the deployments themselves at its ends. */
#include "core/core-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

#define DAY 86400
/* The default period: the last 90 days. */
#define DEFAULT_DAYS 90

/* Durations, in seconds, gathered to be ranked. */
struct durations {
	int64_t *v;
	size_t n, cap;
};

static void
append(struct durations *d, const int64_t *v, size_t n)
{
	if (!n)
		return;
	if (d->cap - d->n < n) {
		while (d->cap - d->n < n)
			d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	memcpy(d->v + d->n, v, n * sizeof *v);
	d->n += n;
}

static void
swap(int64_t *a, int64_t *b)
{
	int64_t t = *a;

	*a = *b;
	*b = t;
}

/* The value of rank k (from 0) of v[0..n), v reordered: a quickselect
 * partitioned three ways (below, equal to, above the pivot), so that many
 * equal values cost no more than distinct ones; linear on average, where
 * sorting a 90-day period's hundred thousand lead times would not be. */
static int64_t
select_rank(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n; /* the rank is in [lo, hi) */
	uint64_t seed = 0x9e3779b97f4a7c15u;

	for (;;) {
		size_t lt = lo, i = lo, gt = hi;
		int64_t pivot;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		pivot = v[lo + (size_t)(seed >> 33) % (hi - lo)];
		while (i < gt) {
			if (v[i] < pivot)
				swap(&v[lt++], &v[i++]);
			else if (v[i] > pivot)
				swap(&v[i], &v[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
}

/* The nearest-rank percentile pct (1 to 100) of d: the smallest value
 * with at least pct % of d at or below it; -1 when d is empty. */
static int64_t
percentile(struct durations *d, size_t pct)
{
	size_t rank;

	if (!d->n)
		return -1;
	rank = (pct * d->n + 99) / 100;
	return select_rank(d->v, d->n, rank ? rank - 1 : 0);
}

static time_t
iso(const char *s)
{
	time_t t = 0;

	return s[0] && time_parse_iso(s, &t) ? t : 0;
}

/* What the days of the projects add to. */
struct gather {
	struct core_metrics *m;
	struct durations lead, wait, restore;
	/* Where each week starts, its Monday 00:00 local time, and where the
	 * last one ends: weeks of 167 or 169 hours where the clock changes
	 * (m->nweeks + 1 of them). */
	time_t *weeks;
};

/* The week t falls in, or -1 outside them. */
static ptrdiff_t
week_of(const struct gather *g, time_t t)
{
	size_t lo = 0, hi = g->m->nweeks;

	if (!hi || t < g->weeks[0] || t >= g->weeks[hi])
		return -1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->weeks[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo;
}

static void
on_executed(const struct figure_day *d, void *data)
{
	struct gather *g = data;
	struct core_metrics *m = g->m;

	for (int i = 0; i < FIGURE_SLOTS; i++) {
		int64_t ok = d->succeeded[i], ko = d->failed[i];
		ptrdiff_t w;

		if (!ok && !ko)
			continue;
		m->succeeded += ok;
		m->failed += ko;
		if (d->environment >= 0 && d->environment < ENV_COUNT)
			m->succeeded_env[d->environment] += ok;
		/* A quarter of an hour falls in one week: a week starts on
		 * one in every time zone. */
		w = week_of(g, d->start + (time_t)i * (DAY / FIGURE_SLOTS));
		if (w >= 0) {
			m->weeks[w].succeeded += ok;
			m->weeks[w].failed += ko;
		}
	}
	append(&g->lead, d->lead, d->nlead);
	append(&g->wait, d->wait, d->nwait);
}

static void
on_incident(const struct figure_day *d, void *data)
{
	struct gather *g = data;

	g->m->restored += d->restored;
	g->m->still_open += d->opened - d->restored;
	append(&g->restore, d->restore, d->nrestore);
}

static void
on_planned(const struct figure_day *d, void *data)
{
	struct gather *g = data;

	for (int st = 0; st < STATUS_COUNT; st++)
		g->m->planned[st] += d->planned[st];
}

/* The weeks of [from, to): their starts, each a Monday 00:00 local time
 * found by the calendar (a week where the clock changes is an hour
 * shorter or longer), and the end of the last, into g->weeks; their
 * Mondays into m->weeks. */
static void
weeks(struct gather *g, time_t from, time_t to)
{
	struct core_metrics *m = g->m;
	size_t cap = 16;
	struct tm tm;

	localtime_r(&from, &tm);
	tm.tm_mday -= (tm.tm_wday + 6) % 7;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	g->weeks = xcalloc(cap + 1, sizeof *g->weeks);
	m->weeks = xcalloc(cap, sizeof *m->weeks);
	for (;;) {
		struct tm day = tm;
		time_t start;

		/* A Monday's midnight skipped by a change of the clock is
		 * the first instant of that Monday mktime gives. */
		day.tm_isdst = -1;
		start = mktime(&day);
		if (m->nweeks && start >= to) {
			g->weeks[m->nweeks] = start;
			break;
		}
		if (m->nweeks == cap) {
			cap *= 2;
			g->weeks =
			    xrealloc(g->weeks, (cap + 1) * sizeof *g->weeks);
			m->weeks = xrealloc(m->weeks, cap * sizeof *m->weeks);
		}
		memset(&m->weeks[m->nweeks], 0, sizeof m->weeks[0]);
		strftime(m->weeks[m->nweeks].monday, sizeof m->weeks[0].monday,
			 "%Y-%m-%d", &day);
		g->weeks[m->nweeks++] = start;
		tm.tm_mday += 7;
	}
}

/* The period: both ends given, or the last DEFAULT_DAYS before to (or
 * now). */
static enum dd_code
period(struct core_session *s, const char *from, const char *to,
       struct core_metrics *m, struct dd_error *err)
{
	enum dd_code code = core_period(from, to, m->from, m->to, err);
	time_t a, b;

	if (code)
		return code;
	/* Up to now, this second included (the end is excluded). */
	if (!to) {
		core_now(s, m->to);
		time_iso_utc(iso(m->to) + 1, m->to);
	}
	b = iso(m->to);
	if (!from)
		time_iso_utc(b - DEFAULT_DAYS * DAY, m->from);
	a = iso(m->from);
	if (a >= b)
		return dd_fail(err, DD_ERR_INPUT,
			       _("from: '%s' is not before the period's end"),
			       from ? from : "");
	m->days = (double)(b - a) / DAY;
	return DD_OK;
}

enum dd_code
core_metrics(struct core_session *s, const char *project_ref, const char *from,
	     const char *to, const char *env, struct core_metrics *out,
	     struct dd_error *err)
{
	struct project *projects = NULL;
	size_t nprojects = 0;
	struct gather g = {.m = out};
	char cut[TEXT_CUT_SIZE];
	enum dd_code code;
	bool began;
	int e = -1;

	memset(out, 0, sizeof *out);
	if (env) {
		e = core_env_word(env);
		if (e < 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("environment: '%s' is not one of "
					 "DEV, TEST, PREPROD, PROD"),
				       text_cut(env, cut));
	}
	out->environment = e;
	code = period(s, from, to, out, err);
	if (code)
		return code;
	weeks(&g, iso(out->from), iso(out->to));
	/* Every project's figures from one state of the data. */
	code = model_read_begin(s->db, &began, err);
	if (code) {
		free(g.weeks);
		core_metrics_free(out);
		return code;
	}
	if (project_ref) {
		struct core_project p;

		code = core_project_open(s, project_ref, &p, err);
		if (!code) {
			projects = xcalloc(1, sizeof *projects);
			projects[0] = p.project;
			memset(&p.project, 0, sizeof p.project);
			nprojects = 1;
			snprintf(out->project, sizeof out->project, "%s",
				 projects[0].code);
			core_project_free(&p);
		}
	} else {
		code = core_project_list(s, &projects, &nprojects, err);
	}
	for (size_t i = 0; !code && i < nprojects; i++) {
		struct core_project p;
		const char *stage;

		code = core_project_take(s, &projects[i], &p, err);
		if (code)
			break;
		stage = p.stages[STAGE_DEPLOYMENT].id;
		code = model_figures(s->db, FIGURE_EXECUTED, stage, out->from,
				     out->to, e, on_executed, &g, err);
		if (!code)
			code = model_figures(s->db, FIGURE_INCIDENTS, stage,
					     out->from, out->to, e, on_incident,
					     &g, err);
		if (!code)
			code = model_figures(s->db, FIGURE_PLANNED, stage,
					     out->from, out->to, e, on_planned,
					     &g, err);
		core_project_free(&p);
	}
	model_read_end(s->db, began);
	for (size_t i = 0; i < nprojects; i++)
		project_free(&projects[i]);
	free(projects);
	if (!code) {
		out->lead_count = (int64_t)g.lead.n;
		out->lead_median = percentile(&g.lead, 50);
		out->lead_p90 = percentile(&g.lead, 90);
		out->wait_count = (int64_t)g.wait.n;
		out->wait_median = percentile(&g.wait, 50);
		out->wait_p90 = percentile(&g.wait, 90);
		out->restore_median = percentile(&g.restore, 50);
		out->restore_p90 = percentile(&g.restore, 90);
	}
	free(g.lead.v);
	free(g.wait.v);
	free(g.restore.v);
	free(g.weeks);
	if (code)
		core_metrics_free(out);
	return code;
}

void
core_metrics_free(struct core_metrics *m)
{
	free(m->weeks);
	m->weeks = NULL;
	m->nweeks = 0;
}

double
core_metrics_per_week(const struct core_metrics *m, int64_t n)
{
	return m->days > 0 ? (double)n * 7.0 / m->days : 0.0;
}

void
core_duration_text(int64_t seconds, struct strbuf *out)
{
	strbuf_reset(out);
	if (seconds < 0)
		strbuf_addstr(out, "-");
	else if (seconds < 3600)
		/* TRANSLATORS: minutes, short. */
		strbuf_addf(out, _("%lld min"), (long long)(seconds / 60));
	else if (seconds < DAY)
		/* TRANSLATORS: hours and minutes, short: "3 h 05". */
		strbuf_addf(out, _("%lld h %02lld"),
			    (long long)(seconds / 3600),
			    (long long)(seconds % 3600 / 60));
	else
		/* TRANSLATORS: days and hours, short: "2 d 4 h". */
		strbuf_addf(out, _("%lld d %lld h"), (long long)(seconds / DAY),
			    (long long)(seconds % DAY / 3600));
}
