/* SPDX-License-Identifier: MIT */
/* Delivery figures drawn: the last 90 days of a project (or of every
 * project) week by week, a bar of successes and failures each, with the
 * figures beside it, each with the counts behind it (core_metrics). Block
 * characters in a UTF-8 terminal, '#' and 'x' elsewhere; successes and
 * failures differ by their character as well as by their colour, so the
 * chart reads without colour. f changes the environment. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

struct metrics {
	struct ui_screen base;
	char project_id[UUID_SIZE]; /* "" for every project */
	char title[128];
	int environment; /* -1: every one */
	struct core_metrics m;
	bool loaded, have;
	char error[1024];
};

static void
metrics_reload(struct ui_screen *self)
{
	struct metrics *d = (struct metrics *)self;
	struct dd_error err = {0};
	struct core_metrics m;

	d->loaded = true;
	d->error[0] = '\0';
	if (core_metrics(self->app->s, d->project_id[0] ? d->project_id : NULL,
			 NULL, NULL,
			 d->environment >= 0
			     ? env_code((enum environment)d->environment)
			     : NULL,
			 &m, &err) != DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		return;
	}
	if (d->have)
		core_metrics_free(&d->m);
	d->m = m;
	d->have = true;
}

/* One figure: its label, then its value, from row y. */
static void
figure(int y, int x, int w, const char *label, const char *value)
{
	ui_text(y, x, label, w, ui_attr(STYLE_DIM));
	ui_text_fit(y + 1, x + 2, value, w - 2, A_BOLD);
}

static void
draw_figures(struct metrics *d, int y, int x, int w)
{
	const struct core_metrics *m = &d->m;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, line = STRBUF_INIT;
	int64_t executed = m->succeeded + m->failed, total = 0;
	char restore[160], closed[64], still_open[64];

	for (int st = STATUS_PLANNED; st <= STATUS_FAILED; st++)
		total += m->planned[st];
	/* TRANSLATORS: successes and failures in the period, then a week. */
	strbuf_addf(&line, _("%lld succeeded, %lld failed; %.1f a week"),
		    (long long)m->succeeded, (long long)m->failed,
		    core_metrics_per_week(m, m->succeeded));
	figure(y, x, w, _("Deployments executed"), strbuf_str(&line));
	core_duration_text(m->lead_median, &a);
	core_duration_text(m->lead_p90, &b);
	strbuf_reset(&line);
	/* TRANSLATORS: a median, a 90th percentile, and of how many. */
	strbuf_addf(&line, _("median %s, 90%% %s (%lld)"), strbuf_str(&a),
		    strbuf_str(&b), (long long)m->lead_count);
	figure(y + 3, x, w, _("Lead time, creation to success"),
	       strbuf_str(&line));
	core_duration_text(m->wait_median, &a);
	core_duration_text(m->wait_p90, &b);
	strbuf_reset(&line);
	strbuf_addf(&line, _("median %s, 90%% %s (%lld)"), strbuf_str(&a),
		    strbuf_str(&b), (long long)m->wait_count);
	figure(y + 6, x, w, _("Of it, the approval wait"), strbuf_str(&line));
	strbuf_reset(&line);
	if (executed)
		strbuf_addf(&line, _("%.1f %% (%lld of %lld)"),
			    100.0 * (double)m->failed / (double)executed,
			    (long long)m->failed, (long long)executed);
	else
		strbuf_addstr(&line, "-");
	figure(y + 9, x, w, _("Change failure rate"), strbuf_str(&line));
	core_duration_text(m->restore_median, &a);
	core_duration_text(m->restore_p90, &b);
	strbuf_reset(&line);
	strbuf_addf(&line, _("median %s, 90%% %s"), strbuf_str(&a),
		    strbuf_str(&b));
	/* Each count with its own plural: "1 ouvert", "2 ouverts". */
	snprintf(
	    closed, sizeof closed,
	    /* TRANSLATORS: incidents closed, in the label of the time
	       to restore. */
	    ngettext_("%lld closed", "%lld closed", (unsigned long)m->restored),
	    (long long)m->restored);
	snprintf(
	    still_open, sizeof still_open,
	    /* TRANSLATORS: incidents still open, in the same label. */
	    ngettext_("%lld open", "%lld open", (unsigned long)m->still_open),
	    (long long)m->still_open);
	/* TRANSLATORS: the incidents closed, then those still open. */
	snprintf(restore, sizeof restore, _("Time to restore (%s, %s)"), closed,
		 still_open);
	figure(y + 12, x, w, restore, strbuf_str(&line));
	strbuf_reset(&line);
	if (total)
		strbuf_addf(&line, _("%.1f %% (%lld of %lld)"),
			    100.0 * (double)m->planned[STATUS_SUCCEEDED] /
				(double)total,
			    (long long)m->planned[STATUS_SUCCEEDED],
			    (long long)total);
	else
		strbuf_addstr(&line, "-");
	figure(y + 15, x, w, _("Success rate (spec)"), strbuf_str(&line));
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&line);
}

/* The weeks, a bar each, from row y: successes then failures, scaled to
 * width when a week has more. */
static void
draw_chart(struct metrics *d, int y, int x, int w, int rows)
{
	const struct core_metrics *m = &d->m;
	bool utf8 = ui_locale_is_utf8();
	const char *ok = utf8 ? "█" : "#", *ko = utf8 ? "▒" : "x";
	int64_t most = 1;
	size_t first = m->nweeks > (size_t)rows ? m->nweeks - (size_t)rows : 0;
	int bar = w - 11 - 8;

	for (size_t k = first; k < m->nweeks; k++)
		if (m->weeks[k].succeeded + m->weeks[k].failed > most)
			most = m->weeks[k].succeeded + m->weeks[k].failed;
	for (size_t k = first; k < m->nweeks; k++, y++) {
		const struct core_metrics_week *wk = &m->weeks[k];
		int64_t s =
		    most > bar ? wk->succeeded * bar / most : wk->succeeded;
		int64_t f = most > bar ? wk->failed * bar / most : wk->failed;
		struct strbuf run = STRBUF_INIT;
		char count[32];
		int cx = x + 11;

		char monday[32];

		time_day_display(wk->monday, monday, sizeof monday);
		ui_text(y, x, monday, 10, ui_attr(STYLE_DIM));
		for (int64_t i = 0; i < s; i++)
			strbuf_addstr(&run, ok);
		if (s)
			cx += ui_text(y, cx, strbuf_str(&run), (int)s,
				      ui_attr(STYLE_STATUS_SUCCEEDED));
		strbuf_reset(&run);
		for (int64_t i = 0; i < f; i++)
			strbuf_addstr(&run, ko);
		if (f)
			cx += ui_text(y, cx, strbuf_str(&run), (int)f,
				      ui_attr(STYLE_STATUS_FAILED));
		strbuf_release(&run);
		if (wk->succeeded || wk->failed) {
			snprintf(count, sizeof count, " %lld/%lld",
				 (long long)wk->succeeded,
				 (long long)wk->failed);
			ui_text(y, cx, count, x + w - cx, A_NORMAL);
		}
	}
}

static void
metrics_draw(struct ui_screen *self)
{
	struct metrics *d = (struct metrics *)self;
	char head[256], from[64], to[64];
	int chart_w = COLS - 44;

	if (!d->loaded)
		metrics_reload(self);
	erase();
	/* TRANSLATORS: the figures' screen: a project's name, or "every
	   project", then the environment. */
	snprintf(head, sizeof head, _("Figures - %s - %s"), d->title,
		 d->environment >= 0
		     ? core_env_label((enum environment)d->environment)
		     : _("every environment"));
	ui_text(0, 0, head, COLS, ui_attr(STYLE_TITLE));
	if (d->error[0]) {
		ui_text(2, 2, d->error, COLS - 4, ui_attr(STYLE_ERROR));
	} else if (d->have) {
		time_local_display(d->m.from, from, sizeof from);
		time_local_display(d->m.to, to, sizeof to);
		snprintf(head, sizeof head,
			 /* TRANSLATORS: the period, then the marks. */
			 _("From %s to %s; %s succeeded, %s failed"), from, to,
			 ui_locale_is_utf8() ? "█" : "#",
			 ui_locale_is_utf8() ? "▒" : "x");
		ui_text(1, 0, head, COLS, ui_attr(STYLE_DIM));
		draw_chart(d, 3, 0, chart_w, LINES - 5);
		draw_figures(d, 3, chart_w + 1, COLS - chart_w - 1);
	}
	ui_footer_keys(self);
}

static enum ui_result
next_env(struct ui_screen *self)
{
	struct metrics *d = (struct metrics *)self;

	d->environment =
	    d->environment + 1 < ENV_COUNT ? d->environment + 1 : -1;
	metrics_reload(self);
	return UI_STAY;
}

static const struct ui_binding metrics_keys[] = {
    {L'f', false, "f", NULL, N_("environment"),
     N_("the next environment, then every one"), next_env, NULL, false},
    UI_KEYS_BACK_TAIL(N_("back (quit on the first screen)")),
};

static void
metrics_destroy(struct ui_screen *self)
{
	struct metrics *d = (struct metrics *)self;

	if (d->have)
		core_metrics_free(&d->m);
	free(d);
}

static const struct ui_screen_ops metrics_ops = {
    .draw = metrics_draw,
    .reload = metrics_reload,
    .destroy = metrics_destroy,
    .bindings = metrics_keys,
};

struct ui_screen *
screen_metrics_new(struct ui_app *app, const struct core_project *p)
{
	struct metrics *d = xcalloc(1, sizeof *d);

	d->base.ops = &metrics_ops;
	d->base.app = app;
	d->environment = -1;
	if (p) {
		memcpy(d->project_id, p->project.id, sizeof d->project_id);
		snprintf(d->title, sizeof d->title, "%s", p->project.name);
	} else {
		snprintf(d->title, sizeof d->title, "%s", _("every project"));
	}
	metrics_reload(&d->base);
	return &d->base;
}
