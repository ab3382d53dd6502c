/* SPDX-License-Identifier: MIT */
/* What runs where: every project (rows) in each environment (columns), the
 * version that last succeeded there, marked when the last attempt failed
 * after it (!), when one is in progress (>), and how many are planned
 * (+N); under the table, the selected project's environments in words and
 * its versions ahead of the next environment. Enter opens its history. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

struct envs {
	struct ui_screen base;
	struct core_envs envs;
	struct ui_table_seen seen;
	int selected;
	bool loaded;
	char error[1024];
	char cells[ENV_COUNT][128];
};

/* The rows the words about the selected project take under the table:
 * two an environment at most, a blank one, the versions ahead. */
#define DETAIL_ROWS (2 * ENV_COUNT + 2)

static void
envs_reload(struct ui_screen *self)
{
	struct envs *d = (struct envs *)self;
	struct core_envs envs;
	struct dd_error err = {0};

	d->loaded = true;
	d->error[0] = '\0';
	if (core_envs(self->app->s, &envs, &err) != DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		return;
	}
	core_envs_free(&d->envs);
	d->envs = envs;
	if (d->selected >= (int)d->envs.count)
		d->selected = d->envs.count ? (int)d->envs.count - 1 : 0;
}

static void
env_row(void *data, int i, struct ui_cell *cells)
{
	struct envs *d = data;
	const struct core_env_project *p = &d->envs.items[i];

	cells[0] = (struct ui_cell){p->project.code, A_BOLD};
	for (int e = 0; e < ENV_COUNT; e++) {
		const struct env_state *st = &p->env[e];
		int n = snprintf(d->cells[e], sizeof d->cells[e], "%s",
				 st->current ? st->current : "-");

		if (st->failed && n > 0 && (size_t)n < sizeof d->cells[e])
			n += snprintf(d->cells[e] + n, sizeof d->cells[e] - n,
				      " !");
		if (st->running && n > 0 && (size_t)n < sizeof d->cells[e])
			n += snprintf(d->cells[e] + n, sizeof d->cells[e] - n,
				      " >");
		if (st->planned && n > 0 && (size_t)n < sizeof d->cells[e])
			snprintf(d->cells[e] + n, sizeof d->cells[e] - n,
				 " +%lld", (long long)st->planned);
		/* A failure after the last success reads in the failure's
		 * colour, and with its mark without colour. */
		cells[1 + e] = (struct ui_cell){
		    d->cells[e],
		    st->failed	  ? ui_attr(STYLE_STATUS_FAILED)
		    : st->running ? ui_attr(ui_status_style(STATUS_IN_PROGRESS))
				  : 0};
	}
}

/* The selected project's environments in words, from row y. */
static void
draw_detail(struct envs *d, int y)
{
	const struct core_env_project *p = &d->envs.items[d->selected];
	struct strbuf sb = STRBUF_INIT;
	char when[64];

	for (int e = 0; e < ENV_COUNT; e++) {
		const struct env_state *st = &p->env[e];
		struct ui_lines one = {0}, rows = {0};

		strbuf_reset(&sb);
		if (st->current) {
			ui_date(st->current_at, when, sizeof when);
			/* TRANSLATORS: a version and when it ended. */
			strbuf_addf(&sb, _("%s, succeeded %s"), st->current,
				    when);
		} else {
			strbuf_addstr(&sb, _("nothing succeeded yet"));
		}
		if (st->failed && st->current)
			/* TRANSLATORS: after the environment's state. */
			strbuf_addf(&sb, _("; %s failed after it"), st->failed);
		else if (st->failed)
			/* TRANSLATORS: after "nothing succeeded yet": the
			   last attempt, a version. */
			strbuf_addf(&sb, _("; %s failed"), st->failed);
		if (st->running)
			strbuf_addf(&sb, _("; %s in progress"), st->running);
		if (st->planned) {
			ui_date(st->next_at, when, sizeof when);
			strbuf_addf(&sb,
				    ngettext_("; %lld planned (%s %s)",
					      "; %lld planned (next %s %s)",
					      (unsigned long)st->planned),
				    (long long)st->planned, st->next, when);
		}
		/* After the environment's code, on two rows at most. */
		ui_text(y, 2, env_code((enum environment)e), 8, A_BOLD);
		ui_lines_add(&one, strbuf_str(&sb));
		ui_lines_wrap(&rows, &one, COLS - 13);
		for (size_t r = 0; r < rows.count && r < 2; r++)
			(r == 1 && rows.count > 2 ? ui_text_fit : ui_text)(
			    y++, 11, rows.items[r], COLS - 13,
			    st->failed ? ui_attr(STYLE_STATUS_FAILED)
				       : A_NORMAL);
		ui_lines_free(&one);
		ui_lines_free(&rows);
	}
	strbuf_reset(&sb);
	for (int e = 0; e + 1 < ENV_COUNT; e++) {
		if (!p->nahead[e])
			continue;
		if (sb.len)
			/* TRANSLATORS: between two environments' versions
			   ahead. */
			strbuf_addstr(&sb, _("; "));
		/* TRANSLATORS: an environment, the next, then the
		   versions ahead: "TEST -> PREPROD: v1.3.0". */
		strbuf_addf(&sb, _("%s %s %s:"), env_code((enum environment)e),
			    ui_locale_is_utf8() ? "→" : "->",
			    env_code((enum environment)(e + 1)));
		for (size_t k = 0; k < p->nahead[e] && k < CORE_AHEAD_MAX; k++)
			strbuf_addf(&sb, " %s", p->ahead[e][k]);
		if (p->nahead[e] > CORE_AHEAD_MAX)
			strbuf_addf(&sb, " (+%zu)",
				    p->nahead[e] - CORE_AHEAD_MAX);
	}
	y++;
	if (sb.len) {
		char *line = NULL;

		/* TRANSLATORS: the versions that succeeded in an
		   environment and not yet in the next. */
		if (asprintf(&line, _("Ahead: %s"), strbuf_str(&sb)) > 0)
			ui_text_fit(y, 2, line, COLS - 4, A_NORMAL);
		free(line);
	} else {
		ui_text(y, 2, _("Ahead: none (each version went on)"), COLS - 4,
			ui_attr(STYLE_DIM));
	}
	strbuf_release(&sb);
}

static void
envs_draw(struct ui_screen *self)
{
	struct envs *d = (struct envs *)self;
	static const struct ui_column cols[] = {
	    {N_("Project"), 0, CORE_CODE_MAX, false},
	    {"DEV", 16, 0, false},
	    {"TEST", 16, 0, false},
	    {"PREPROD", 16, 0, false},
	    {"PROD", 16, 0, false},
	};
	struct ui_column tcols[1 + ENV_COUNT];
	int height = LINES - 4 - DETAIL_ROWS;

	if (!d->loaded)
		envs_reload(self);
	erase();
	ui_text(0, 0, _("Environments: what runs where"), COLS,
		ui_attr(STYLE_TITLE));
	ui_text(1, 0,
		_("! the last attempt failed  > one in progress  +N planned"),
		COLS, ui_attr(STYLE_DIM));
	for (int i = 0; i < 1 + ENV_COUNT; i++) {
		tcols[i] = cols[i];
		tcols[i].header = i ? cols[i].header : _(cols[i].header);
	}
	tcols[0].width = ui_text_width(tcols[0].header);
	ui_table_draw(3, 0, height, COLS, tcols, 1 + ENV_COUNT,
		      (int)d->envs.count, d->selected, env_row, d, &d->seen);
	if (d->error[0])
		ui_text(5, 2, d->error, COLS - 4, ui_attr(STYLE_ERROR));
	else if (d->envs.count == 0)
		ui_text(5, 2, _("No project yet."), COLS - 4,
			ui_attr(STYLE_DIM));
	else
		draw_detail(d, 3 + height);
	ui_footer_keys(self);
}

static enum ui_result
envs_key(struct ui_screen *self, struct ui_key k)
{
	struct envs *d = (struct envs *)self;
	size_t top = (size_t)d->selected;

	if (!ui_scroll_key(k, &top, d->envs.count, 1))
		return UI_UNHANDLED;
	d->selected = (int)top;
	return UI_STAY;
}

static enum dd_code
may_open(struct ui_screen *self, struct dd_error *err)
{
	if (((struct envs *)self)->envs.count)
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("No project yet"));
}

static enum ui_result
open_history(struct ui_screen *self)
{
	struct envs *d = (struct envs *)self;

	ui_push(self->app,
		screen_deploys_new(self->app,
				   d->envs.items[d->selected].project.id));
	return UI_STAY;
}

static const struct ui_binding envs_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("history"),
     N_("the project's deployments"), open_history, may_open, false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, open_history, may_open,
     false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, open_history, may_open,
     false},
    {L'M', false, "M", NULL, N_("figures"),
     N_("the delivery figures of every project"), ui_act_metrics, NULL, false},
    {L'p', false, "p", NULL, N_("projects"), N_("the projects"),
     ui_act_projects, NULL, false},
    {L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},
    {L'?', false, "?", N_("?, t"), N_("help"),
     N_("this help / what waits for you (to do)"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"),
     N_("back (quit on the first screen)"), ui_act_back, NULL, false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
envs_destroy(struct ui_screen *self)
{
	struct envs *d = (struct envs *)self;

	core_envs_free(&d->envs);
	free(d);
}

static const struct ui_screen_ops envs_ops = {
    .draw = envs_draw,
    .key = envs_key,
    .reload = envs_reload,
    .destroy = envs_destroy,
    .bindings = envs_keys,
};

bool
ui_screen_is_envs(const struct ui_screen *scr)
{
	return scr->ops == &envs_ops;
}

struct ui_screen *
screen_envs_new(struct ui_app *app)
{
	struct envs *d = xcalloc(1, sizeof *d);

	d->base.ops = &envs_ops;
	d->base.app = app;
	envs_reload(&d->base);
	return &d->base;
}
