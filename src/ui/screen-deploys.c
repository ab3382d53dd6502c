/* SPDX-License-Identifier: MIT */
/* The deployments screen of a project, as the spec draws it: the header,
 * the statistics panel, the history table (newest first) with what the
 * person may do on each row, and the footer. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

#define STATS_TOP 1   /* the statistics box */
#define HISTORY_TOP 7 /* row of the table's header */

struct deploys {
	struct ui_screen base;
	struct core_project project;
	struct deploy_stats stats;
	struct ui_pager pager;
	struct ui_table_seen seen;
	bool loaded;
	const struct task *row; /* the row whose actions are being written */
};

/* Whether a filter narrows the history. */
static bool
filtered(const struct deploys *d)
{
	return d->pager.text[0] || d->pager.query.environment >= 0 ||
	       d->pager.query.status >= 0;
}

static int
table_height(void)
{
	return LINES - HISTORY_TOP - 2;
}

static void
deploys_reload(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;
	struct dd_error err = {0};
	struct core_project p;
	char target[UUID_SIZE] = "";

	/* The stages and the person's role may have changed too; the first
	 * load comes right after screen_deploys_new() opened the project. */
	if (d->loaded && core_project_open(self->app->s, d->project.project.id,
					   &p, &err) == DD_OK) {
		core_project_free(&d->project);
		d->project = p;
	}
	if (core_stats(self->app->s, &d->project, &d->stats, &err) != DD_OK)
		ui_message(self->app, true, "%s", err.msg);
	if (self->app->select_id[0]) {
		struct task t;

		/* A deployment just made here: scroll to it, select it. */
		if (core_deploy_find(self->app->s, self->app->select_id, &t,
				     &err) == DD_OK) {
			core_task_cursor(&t, &d->pager.top);
			d->pager.top.inclusive = true;
			d->pager.selected = 0;
			task_list_free(&d->pager.rows);
			memcpy(target, t.id, sizeof target);
			task_free(&t);
		}
		self->app->select_id[0] = '\0';
	}
	ui_pager_reload(&d->pager, table_height() - 1);
	for (size_t i = 0; target[0] && i < d->pager.rows.count; i++)
		if (strcmp(d->pager.rows.items[i].id, target) == 0)
			d->pager.selected = (int)i;
	d->loaded = true;
}

/* What the person may do on a row, in words: the actions of the keys the
 * table offers for it. */
static void
row_actions(struct deploys *d, const struct task *t, char *out, size_t size)
{
	const struct task *shown = d->row;
	const char *labels[3];
	size_t count = 0, n = 0;

	out[0] = '\0';
	d->row = t;
	if (ui_may_authorize(&d->base, NULL) == DD_OK)
		labels[count++] = _("Authorize");
	if (ui_may_execute(&d->base, NULL) == DD_OK)
		labels[count++] = _("Execute");
	if (ui_may_incident(&d->base, NULL) == DD_OK)
		labels[count++] = _("Incident");
	if (count == 0)
		labels[count++] = _("View");
	/* Blanks between the buttons only: the column is as wide as its
	 * widest cell, and so is the selected row's bar. */
	for (size_t i = 0; i < count && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s[%s]", i ? " " : "",
				      labels[i]);
	d->row = shown;
}

/* The Actions column's least width: its header and each button whole,
 * whatever room a long version wants. It grows for a row of several
 * buttons, while there is room. */
static int
actions_width(const char *header)
{
	const char *labels[] = {_("Authorize"), _("Execute"), _("Incident"),
				_("View")};
	int w = ui_text_width(header);

	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
		int button = ui_text_width(labels[i]) + 2; /* "[label]" */

		if (button > w)
			w = button;
	}
	return w;
}

struct row_ctx {
	struct deploys *d;
	char date[64];
	char actions[128];
	char authorized[24];
	char version[UI_VERSION_TEXT_SIZE];
};

static void
deploy_row(void *data, int i, struct ui_cell *cells)
{
	struct row_ctx *rc = data;
	const struct task *t = &rc->d->pager.rows.items[i];

	ui_date(t->planned_at, rc->date, sizeof rc->date);
	row_actions(rc->d, t, rc->actions, sizeof rc->actions);
	/* A rollback: marked after its version, as its details link it;
	 * a version blocked in the project: said after it. */
	ui_version_text(&rc->d->project, t, rc->version, sizeof rc->version);
	cells[0] = (struct ui_cell){rc->version, 0};
	cells[1] = (struct ui_cell){env_code(t->environment),
				    ui_attr(ui_env_style(t->environment))};
	cells[2] = (struct ui_cell){core_status_label(t->status),
				    ui_attr(ui_status_style(t->status))};
	if (!core_approvals_count(&rc->d->project, t->environment, t->risk,
				  t->status, t->approvals, rc->authorized,
				  sizeof rc->authorized))
		snprintf(rc->authorized, sizeof rc->authorized, "%s",
			 core_authorized_now(
			     &rc->d->project, t->environment, t->risk,
			     t->status, t->authorized_by.id != 0, t->approvals)
			     ? _("Yes")
			     : _("No"));
	/* An override of the policy on it (an exception): marked, in bold,
	 * readable without colour. */
	if (t->exceptions)
		strncat(rc->authorized, " !",
			sizeof rc->authorized - strlen(rc->authorized) - 1);
	cells[3] = (struct ui_cell){rc->authorized, t->exceptions ? A_BOLD : 0};
	cells[4] = (struct ui_cell){rc->date, 0};
	cells[5] = (struct ui_cell){rc->actions, 0};
}

/* The deployments closed unexecuted, counted apart from the spec's
 * figures: at the right of the box's top border, where the 80 columns the
 * spec's six figures leave have room for them. */
static void
draw_closed(const struct deploy_stats *st)
{
	char text[128];
	int w, x;

	snprintf(text, sizeof text, " %s %lld  %s %lld ",
		 core_status_label(STATUS_CANCELLED), (long long)st->cancelled,
		 core_status_label(STATUS_REFUSED), (long long)st->refused);
	w = ui_text_width(text);
	x = COLS - 2 - w;
	if (x > 4 + ui_text_width(_("Statistics")))
		ui_text(STATS_TOP, x, text, w, ui_attr(STYLE_DIM));
}

/* A freeze on now, or one coming within a week, under the statistics:
 * the project's header, where who plans and executes looks first. */
static void
draw_freeze(struct ui_app *app, const struct deploys *d)
{
	struct strbuf sb = STRBUF_INIT;

	core_freeze_notice(app->s, &d->project, &sb);
	if (sb.len)
		ui_text(STATS_TOP + 4, 0, strbuf_str(&sb), COLS,
			ui_attr(STYLE_ERROR));
	strbuf_release(&sb);
}

/* The statistics as the spec draws them: a label above each figure. */
static void
draw_stats(struct deploys *d)
{
	const struct deploy_stats *st = &d->stats;
	char values[6][32];
	const char *labels[6] = {_("Total"),	   _("Succeeded"),
				 _("Failed"),	   _("Planned"),
				 _("In progress"), _("Success rate")};
	enum ui_style styles[6] = {
	    STYLE_TITLE,	  STYLE_STATUS_SUCCEEDED,   STYLE_STATUS_FAILED,
	    STYLE_STATUS_PLANNED, STYLE_STATUS_IN_PROGRESS, STYLE_TITLE};
	long long n[5] = {st->total, st->succeeded, st->failed, st->planned,
			  st->in_progress};
	int x = 2;

	for (int i = 0; i < 5; i++)
		snprintf(values[i], sizeof values[i], "%lld", n[i]);
	snprintf(values[5], sizeof values[5], "%.1f %%", core_success_rate(st));
	ui_box(STATS_TOP, 0, 4, COLS, _("Statistics"));
	for (int i = 0; i < 6 && x < COLS - 2; i++) {
		int w = ui_text_width(labels[i]);
		int vw = ui_text_width(values[i]);

		if (vw > w)
			w = vw;
		ui_text(STATS_TOP + 1, x, labels[i], COLS - 2 - x, A_NORMAL);
		ui_text(STATS_TOP + 2, x, values[i], COLS - 2 - x,
			ui_attr(styles[i]) | A_BOLD);
		x += w + 3;
		if (i < 5 && x - 2 < COLS - 1) {
			mvvline(STATS_TOP + 1, x - 2, ACS_VLINE, 2);
		}
	}
	draw_closed(st);
}

static void
deploys_draw(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;
	/* The version grows to the longest shown, when there is room; the
	 * words are as wide as the language's longest. */
	static const struct ui_column cols[] = {
	    {N_("Version"), 1, CORE_VERSION_MAX, false},
	    {N_("Env"), 7, 0, false},
	    {N_("Status"), 0, 0, false},
	    {N_("Authorized"), 0, 0, false},
	    {N_("Date"), 16, 0, false},
	    {N_("Actions"), 1, 64, false},
	};
	struct ui_column tcols[6];
	struct row_ctx rc = {.d = d};
	char title[256], filter[256], create_hint[256];
	int n;

	if (!d->loaded || d->pager.height != table_height() - 1)
		deploys_reload(self);
	erase();
	/* TRANSLATORS: %s is the project's name. */
	ui_header(self->app, &d->project, _("Deployment management - %s"));
	draw_stats(d);
	draw_freeze(self->app, d);

	snprintf(title, sizeof title, "%s", _("Deployment history"));
	n = ui_text(HISTORY_TOP - 1, 0, title, COLS, ui_attr(STYLE_TITLE));
	filter[0] = '\0';
	if (filtered(d)) {
		char label[64];

		/* TRANSLATORS: a name before its value, here the history's
		   filter: "[filter: TEST]"; French puts a space before the
		   colon ("[filtre : TEST]"). */
		snprintf(label, sizeof label, _("%s:"), _("filter"));
		snprintf(filter, sizeof filter, "  [%s%s%s%s%s%s%s]", label,
			 d->pager.query.environment >= 0 ? " " : "",
			 d->pager.query.environment >= 0
			     ? env_code(d->pager.query.environment)
			     : "",
			 d->pager.query.status >= 0 ? " " : "",
			 d->pager.query.status >= 0
			     ? core_status_label(d->pager.query.status)
			     : "",
			 d->pager.text[0] ? " /" : "", d->pager.text);
	}
	ui_text(HISTORY_TOP - 1, n, filter, COLS - n, ui_attr(STYLE_DIM));

	for (int i = 0; i < 6; i++) {
		tcols[i] = cols[i];
		tcols[i].header = _(cols[i].header);
	}
	tcols[2].width = ui_status_width(tcols[2].header, core_status_label);
	tcols[3].width = ui_wider(
	    ui_wider(ui_text_width(tcols[3].header), _("Yes")), _("No"));
	tcols[5].width = actions_width(tcols[5].header);
	ui_table_draw(HISTORY_TOP, 0, table_height(), COLS, tcols, 6,
		      (int)d->pager.rows.count, d->pager.selected, deploy_row,
		      &rc, &d->seen);
	/* TRANSLATORS: %s is the key that plans a deployment. */
	snprintf(create_hint, sizeof create_hint,
		 _("No deployment yet: press %s to plan one."), "n");
	if (d->pager.error[0])
		ui_text(HISTORY_TOP + 2, 2, d->pager.error, COLS - 4,
			ui_attr(STYLE_ERROR));
	else if (d->pager.rows.count == 0)
		ui_text(HISTORY_TOP + 2, 2,
			filtered(d) ? _("No deployment matches the filter.")
			: ui_may_create(self, NULL) == DD_OK
			    ? create_hint
			    : _("No deployment yet."),
			COLS - 4, ui_attr(STYLE_DIM));
	ui_footer_keys(self);
}

/* The filter menu: any, an environment or a status. */
static void
apply_filter(struct ui_app *app, void *data, int index)
{
	struct deploys *d = data;

	(void)app;
	if (index == 0) {
		d->pager.query.environment = -1;
		d->pager.query.status = -1;
		d->pager.text[0] = '\0';
	} else if (index <= ENV_COUNT) {
		d->pager.query.environment = index - 1;
	} else {
		d->pager.query.status = index - 1 - ENV_COUNT;
	}
	memset(&d->pager.top, 0, sizeof d->pager.top);
	d->pager.selected = 0;
	d->loaded = false;
}

static bool
apply_text(struct ui_app *app, void *data, const char *text, char *error,
	   size_t size)
{
	struct deploys *d = data;

	(void)app, (void)error, (void)size;
	snprintf(d->pager.text, sizeof d->pager.text, "%s", text);
	memset(&d->pager.top, 0, sizeof d->pager.top);
	d->pager.selected = 0;
	d->loaded = false;
	return true;
}

static void
open_filter_menu(struct deploys *d)
{
	static const char *labels[1 + ENV_COUNT + STATUS_COUNT];
	char *owned[1 + ENV_COUNT + STATUS_COUNT];
	int n = 0;

	labels[n++] = _("All deployments (no filter)");
	for (int e = 0; e < ENV_COUNT; e++) {
		/* TRANSLATORS: a name and its value, such as "Environment:
		   Test" in the filter menu; French puts a space before the
		   colon ("Environnement : Test"). */
		if (asprintf(&owned[n], _("%s: %s"), _("Environment"),
			     core_env_label((enum environment)e)) < 0)
			owned[n] = NULL;
		labels[n] = owned[n] ? owned[n] : "?";
		n++;
	}
	for (int s = 0; s < STATUS_COUNT; s++) {
		if (asprintf(&owned[n], _("%s: %s"), _("Status"),
			     core_status_label((enum task_status)s)) < 0)
			owned[n] = NULL;
		labels[n] = owned[n] ? owned[n] : "?";
		n++;
	}
	ui_push(d->base.app,
		dialog_choice_new(d->base.app, _("Filter the history"), labels,
				  n, 0, apply_filter, d, NULL));
	for (int i = 1; i < n; i++)
		free(owned[i]);
}

/* Movement in the history; the table does the rest. */
static enum ui_result
deploys_key(struct ui_screen *self, struct ui_key k)
{
	struct deploys *d = (struct deploys *)self;

	return ui_pager_key(&d->pager, k) ? UI_STAY : UI_UNHANDLED;
}

static enum ui_result
filter_text(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;

	ui_push(self->app, dialog_prompt_new(self->app, _("Filter the history"),
					     _("Text"), d->pager.text, NULL,
					     NULL, apply_text, d, NULL));
	return UI_STAY;
}

static enum ui_result
filter_menu(struct ui_screen *self)
{
	open_filter_menu((struct deploys *)self);
	return UI_STAY;
}

/* Esc first clears an active filter (then it goes back). */
static enum dd_code
may_clear_filter(struct ui_screen *self, struct dd_error *err)
{
	if (filtered((struct deploys *)self))
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("No filter is on"));
}

static enum ui_result
clear_filter(struct ui_screen *self)
{
	apply_filter(self->app, (struct deploys *)self, 0);
	ui_message(self->app, false, "%s", _("Filter cleared"));
	return UI_STAY;
}

static const struct core_project *
deploys_project(struct ui_screen *self)
{
	return &((struct deploys *)self)->project;
}

/* The row an action is about: the selected one, or the one being drawn
 * while the row's actions are written. */
static const struct task *
deploys_task(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;

	return d->row ? d->row : ui_pager_selected(&d->pager);
}

static enum ui_result
open_policy(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;

	ui_push(self->app, screen_policy_new(self->app, d->project.project.id));
	return UI_STAY;
}

static const struct ui_binding deploys_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    /* One line of the help for both, which the screen's 24 rows need. */
    {0, false, N_("PgUp/PgDn"), NULL, NULL,
     N_("a page; Home/End, g/G: the newest / oldest"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("details"),
     N_("details, logs and history of the deployment"), ui_act_details,
     ui_may_details, false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {L'n', false, "n", NULL, N_("new"), N_("new deployment"), ui_act_create,
     ui_may_create, false},
    /* One line of the help for approving and withdrawing an
     * approval. */
    {L'a', false, "a", N_("a, w"), N_("authorize"),
     N_("authorize (approve) / withdraw an approval"), ui_act_authorize,
     ui_may_authorize, true},
    {L'w', false, "w", NULL, NULL, NULL, ui_act_revoke, ui_may_revoke, true},
    {L's', false, "s", NULL, N_("start"), N_("start it (in progress)"),
     ui_act_start, ui_may_start, true},
    {L'x', false, "x", NULL, N_("execute"),
     N_("execute: record success or failure"), ui_act_execute, ui_may_execute,
     true},
    /* One line of the help for both, which the screen's 24 rows need. */
    {L'i', false, "i", N_("i, I"), N_("incident"),
     N_("incident of a failure / project's incidents"), ui_act_incident,
     ui_may_incident, true},
    {L'I', false, "I", NULL, NULL, NULL, ui_act_incidents, NULL, false},
    /* One line of the help for both verbs of a version, which the
     * screen's 24 rows need. */
    {L'b', false, "b", N_("b, B"), NULL,
     N_("plan a rollback / block, unblock the version"), ui_act_rollback,
     ui_may_rollback, true},
    {L'B', false, "B", NULL, NULL, NULL, ui_act_block, ui_may_block, true},
    {L'/', false, "/", NULL, N_("filter"),
     N_("search: version, name, description, responsible, logs"), filter_text,
     NULL, false},
    {L'f', false, "f", NULL, NULL, N_("filter by environment or status"),
     filter_menu, NULL, false},
    /* After the filter: the footer leaves it out first when it is
     * full. */
    /* One line of the help for the three verbs of a planned deployment,
     * which the screen's 24 rows need. C and R are capitals, as they
     * close it for good, and left out of the footer, which e stands for
     * (the footer of a project manager is full). */
    {L'e', false, "e", N_("e, C, R"), N_("edit"),
     N_("change / cancel / refuse a planned deployment"), ui_act_edit,
     ui_may_edit, true},
    {L'C', false, "C", NULL, NULL, NULL, ui_act_cancel, ui_may_cancel, true},
    {L'R', false, "R", NULL, NULL, NULL, ui_act_reject, ui_may_reject, true},
    /* One line of the help for both, which the screen's 24 rows need. */
    {L'p', false, "p", N_("p, P, m, A"), NULL,
     N_("projects / policy, freezes / members / trail"), ui_act_projects, NULL,
     false},
    {L'P', false, "P", NULL, NULL, NULL, open_policy, NULL, false},
    {L'm', false, "m", NULL, NULL, NULL, ui_act_members, NULL, false},
    {L'A', false, "A", NULL, NULL, NULL, ui_act_trail, NULL, false},
    {L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},
    {L'E', false, "E", NULL, NULL, NULL, ui_act_envs, NULL, false},
    {L'M', false, "M", NULL, NULL, NULL, ui_act_metrics, NULL, false},
    /* One line of the help for the four, which the screens' 24 rows
     * need. */
    {L'?', false, "?", N_("?, t, E, M"), N_("help"),
     N_("help / to do / environments / figures"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"),
     N_("back (quit on the first screen); Esc first clears a filter"),
     ui_act_back, ui_may_back, false},
    {L'q', false, "q", NULL, N_("quit"), NULL, ui_act_quit, NULL, false},
    {27, false, N_("Esc"), NULL, N_("clear filter"), NULL, clear_filter,
     may_clear_filter, false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
deploys_destroy(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;

	ui_pager_free(&d->pager);
	core_project_free(&d->project);
	free(d);
}

static const struct ui_screen_ops deploys_ops = {
    .draw = deploys_draw,
    .key = deploys_key,
    .reload = deploys_reload,
    .destroy = deploys_destroy,
    .bindings = deploys_keys,
    .project = deploys_project,
    .task = deploys_task,
};

struct ui_screen *
screen_deploys_new(struct ui_app *app, const char *project_id)
{
	struct core_project p;
	struct dd_error err = {0};
	struct ui_screen *scr;

	if (core_project_open(app->s, project_id, &p, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		return NULL;
	}
	scr = screen_deploys_take(app, &p);
	core_project_free(&p);
	return scr;
}

struct ui_screen *
screen_deploys_take(struct ui_app *app, struct core_project *p)
{
	struct deploys *d = xcalloc(1, sizeof *d);

	d->project = *p;
	memset(p, 0, sizeof *p);
	d->base.ops = &deploys_ops;
	d->base.app = app;
	ui_pager_init(&d->pager, app->s, &d->project, TASK_DEPLOYMENT);
	return &d->base;
}
