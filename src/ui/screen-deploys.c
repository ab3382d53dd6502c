/* The deployments screen of a project, as the spec draws it: the header,
 * the statistics panel, the history table (newest first) with what the
 * person may do on each row, and the footer. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

#define STATS_TOP 1   /* the statistics box */
#define HISTORY_TOP 7 /* row of the table's header */

struct deploys {
	struct ui_screen base;
	struct core_project project;
	struct deploy_stats stats;
	struct ui_pager pager;
	bool loaded;
};

static const char *const deploys_help[] = {
    N_("Up/Down, j/k"),
    N_("move the selection"),
    N_("PgUp/PgDn"),
    N_("page through the history"),
    N_("Home/End, g/G"),
    N_("newest / oldest deployment"),
    N_("Enter"),
    N_("details, logs and history of the deployment"),
    N_("n"),
    N_("new deployment"),
    N_("a"),
    N_("authorize the deployment"),
    N_("s"),
    N_("start it (in progress)"),
    N_("x"),
    N_("execute: record success or failure"),
    N_("i"),
    N_("the incident of a failed deployment"),
    N_("I"),
    N_("the project's incidents"),
    N_("/"),
    N_("filter by text: version, env, description, responsible"),
    N_("f"),
    N_("filter by environment or status"),
    N_("?"),
    N_("this help"),
    N_("q, Esc"),
    N_("back (quit from the first screen)"),
    NULL,
};

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

/* What the person may do on a row, in words. */
static void
row_actions(struct deploys *d, const struct task *t, char *out, size_t size)
{
	struct core_session *s = d->base.app->s;
	size_t n = 0;

	out[0] = '\0';
	if (core_deploy_may(s, &d->project, t, ACTION_AUTHORIZE, NULL) == DD_OK)
		n += (size_t)snprintf(out + n, size - n, "[%s] ",
				      _("Authorize"));
	if (n < size &&
	    core_deploy_may(s, &d->project, t, ACTION_EXECUTE, NULL) == DD_OK)
		n += (size_t)snprintf(out + n, size - n, "[%s] ", _("Execute"));
	if (n < size && t->status == STATUS_FAILED)
		n +=
		    (size_t)snprintf(out + n, size - n, "[%s] ", _("Incident"));
	if (n == 0)
		snprintf(out, size, "[%s]", _("View"));
}

struct row_ctx {
	struct deploys *d;
	char date[64];
	char actions[128];
};

static void
deploy_row(void *data, int i, struct ui_cell *cells)
{
	struct row_ctx *rc = data;
	const struct task *t = &rc->d->pager.rows.items[i];

	ui_date(t->planned_at, rc->date, sizeof rc->date);
	row_actions(rc->d, t, rc->actions, sizeof rc->actions);
	cells[0] = (struct ui_cell){t->version, A_BOLD};
	cells[1] = (struct ui_cell){env_code(t->environment),
				    ui_attr(ui_env_style(t->environment))};
	cells[2] = (struct ui_cell){core_status_label(t->status),
				    ui_attr(ui_status_style(t->status))};
	cells[3] =
	    (struct ui_cell){t->authorized_by.id ? _("Yes") : _("No"), 0};
	cells[4] = (struct ui_cell){rc->date, 0};
	cells[5] = (struct ui_cell){rc->actions, ui_attr(STYLE_DIM)};
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
}

/* The keys that apply to the selected row. */
static void
footer_keys(struct deploys *d, char *out, size_t size)
{
	const struct task *t = ui_pager_selected(&d->pager);
	struct core_session *s = d->base.app->s;
	size_t n = 0;

	n += (size_t)snprintf(out, size, " %s", _("Enter details"));
	if (core_deploy_may(s, &d->project, t ? t : &(struct task){0},
			    ACTION_CREATE, NULL) == DD_OK ||
	    !t)
		n += (size_t)snprintf(out + n, size - n, "  %s", _("n new"));
	if (t &&
	    core_deploy_may(s, &d->project, t, ACTION_AUTHORIZE, NULL) == DD_OK)
		n += (size_t)snprintf(out + n, size - n, "  %s",
				      _("a authorize"));
	if (t &&
	    core_deploy_may(s, &d->project, t, ACTION_EXECUTE, NULL) == DD_OK) {
		if (core_deploy_may_start(s, &d->project, t, NULL) == DD_OK)
			n += (size_t)snprintf(out + n, size - n, "  %s",
					      _("s start"));
		n +=
		    (size_t)snprintf(out + n, size - n, "  %s", _("x execute"));
	}
	if (t && t->status == STATUS_FAILED)
		n += (size_t)snprintf(out + n, size - n, "  %s",
				      _("i incident"));
	if (n < size)
		snprintf(out + n, size - n, "  %s  %s  %s", _("/ filter"),
			 _("? help"), _("q quit"));
}

static void
deploys_draw(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;
	const struct user *me = core_me(self->app->s);
	static const struct ui_column cols[] = {
	    {N_("Version"), 12},    {N_("Env"), 8},   {N_("Status"), 11},
	    {N_("Authorized"), 10}, {N_("Date"), 16}, {N_("Actions"), 0},
	};
	struct ui_column tcols[6];
	struct row_ctx rc = {.d = d};
	char title[256], who[256], keys[512], filter[256];
	int n;

	if (!d->loaded || d->pager.height != table_height() - 1)
		deploys_reload(self);
	erase();
	snprintf(title, sizeof title, _("Deployment management - %s"),
		 d->project.project.name);
	snprintf(who, sizeof who, "%s (%s) - %s", me->full_name, me->login,
		 d->project.me.is_member
		     ? core_role_label(d->project.me.role, d->project.me.senior)
		     : (me->is_admin ? _("Admin") : _("Not a member")));
	n = ui_text_width(who);
	ui_text(0, 0, title, COLS - n - 2, ui_attr(STYLE_TITLE));
	ui_text(0, COLS - n > 0 ? COLS - n : 0, who, COLS, A_NORMAL);
	draw_stats(d);

	snprintf(title, sizeof title, "%s", _("Deployment history"));
	n = ui_text(HISTORY_TOP - 1, 0, title, COLS, ui_attr(STYLE_TITLE));
	filter[0] = '\0';
	if (d->pager.text[0] || d->pager.query.environment >= 0 ||
	    d->pager.query.status >= 0)
		snprintf(filter, sizeof filter, "  [%s:%s%s%s%s%s%s]",
			 _("filter"),
			 d->pager.query.environment >= 0 ? " " : "",
			 d->pager.query.environment >= 0
			     ? env_code(d->pager.query.environment)
			     : "",
			 d->pager.query.status >= 0 ? " " : "",
			 d->pager.query.status >= 0
			     ? core_status_label(d->pager.query.status)
			     : "",
			 d->pager.text[0] ? " /" : "", d->pager.text);
	ui_text(HISTORY_TOP - 1, n, filter, COLS - n, ui_attr(STYLE_DIM));

	for (int i = 0; i < 6; i++)
		tcols[i] = (struct ui_column){_(cols[i].header), cols[i].width};
	ui_table_draw(HISTORY_TOP, 0, table_height(), COLS, tcols, 6,
		      (int)d->pager.rows.count, d->pager.selected, deploy_row,
		      &rc);
	if (d->pager.rows.count == 0)
		ui_text(HISTORY_TOP + 2, 2,
			d->pager.text[0] || d->pager.query.environment >= 0 ||
				d->pager.query.status >= 0
			    ? _("No deployment matches the filter.")
			: core_standing_may(&d->project.me, ACTION_CREATE)
			    ? _("No deployment yet: press n to plan one.")
			    : _("No deployment yet."),
			COLS - 4, ui_attr(STYLE_DIM));
	footer_keys(d, keys, sizeof keys);
	ui_footer(self->app, keys);
}

/* Checks an action on the selected row; says why not in the footer. */
static const struct task *
may(struct deploys *d, enum core_action a)
{
	const struct task *t = ui_pager_selected(&d->pager);
	struct dd_error err = {0};

	if (!t) {
		ui_message(d->base.app, true, "%s",
			   _("No deployment selected."));
		return NULL;
	}
	if (core_deploy_may(d->base.app->s, &d->project, t, a, &err) != DD_OK) {
		ui_message(d->base.app, true, "%s", err.msg);
		return NULL;
	}
	return t;
}

static void
do_start(struct ui_app *app, void *data)
{
	const char *id = data;
	struct dd_error err = {0};

	if (core_deploy_start(app->s, id, 0, &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false, "%s",
			   _("Deployment started: in progress."));
	ui_changed(app);
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

static void
apply_text(struct ui_app *app, void *data, const char *text)
{
	struct deploys *d = data;

	(void)app;
	snprintf(d->pager.text, sizeof d->pager.text, "%s", text);
	memset(&d->pager.top, 0, sizeof d->pager.top);
	d->pager.selected = 0;
	d->loaded = false;
}

static void
open_filter_menu(struct deploys *d)
{
	static const char *labels[1 + ENV_COUNT + STATUS_COUNT];
	char *owned[1 + ENV_COUNT + STATUS_COUNT];
	int n = 0;

	labels[n++] = _("All deployments (no filter)");
	for (int e = 0; e < ENV_COUNT; e++) {
		if (asprintf(&owned[n], "%s: %s", _("Environment"),
			     core_env_label((enum environment)e)) < 0)
			owned[n] = NULL;
		labels[n] = owned[n] ? owned[n] : "?";
		n++;
	}
	for (int s = 0; s < STATUS_COUNT; s++) {
		if (asprintf(&owned[n], "%s: %s", _("Status"),
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

static enum ui_result
deploys_key(struct ui_screen *self, struct ui_key k)
{
	struct deploys *d = (struct deploys *)self;
	struct ui_app *app = self->app;
	const struct task *t;
	struct dd_error err = {0};

	app->message[0] = '\0';
	if (ui_pager_key(&d->pager, k))
		return UI_STAY;
	if (k.function) {
		if (k.code == KEY_ENTER)
			goto details;
		return UI_STAY;
	}
	switch (k.code) {
	case L'\r':
	case L'\n':
	details:
		t = ui_pager_selected(&d->pager);
		if (t)
			ui_push(app, screen_details_new(app, t->id));
		return UI_STAY;
	case L'n':
		if (core_deploy_may(app->s, &d->project,
				    &(struct task){.type = TASK_DEPLOYMENT},
				    ACTION_CREATE, &err) != DD_OK)
			ui_message(app, true, "%s", err.msg);
		else
			ui_push(app,
				dialog_create_new(app, d->project.project.id));
		return UI_STAY;
	case L'a':
		t = may(d, ACTION_AUTHORIZE);
		if (t)
			ui_push(app, dialog_authorize_new(app, t->id));
		return UI_STAY;
	case L'x':
		t = may(d, ACTION_EXECUTE);
		if (t)
			ui_push(app, dialog_execute_new(app, t->id));
		return UI_STAY;
	case L's':
		t = ui_pager_selected(&d->pager);
		if (t && core_deploy_may_start(app->s, &d->project, t, &err)) {
			ui_message(app, true, "%s", err.msg);
		} else if (t) {
			char line[256];
			const char *lines[] = {line, NULL};

			snprintf(line, sizeof line,
				 _("Start deployment %s on %s now?"),
				 t->version, env_code(t->environment));
			ui_push(app, dialog_confirm_new(
					 app, _("Start the deployment"), lines,
					 NULL, _("Start"), do_start,
					 xstrdup(t->id), free));
		}
		return UI_STAY;
	case L'i':
		t = ui_pager_selected(&d->pager);
		if (!t)
			return UI_STAY;
		if (t->incident_id[0])
			ui_push(app, screen_details_new(app, t->incident_id));
		else
			ui_message(app, true, "%s",
				   _("No incident: only a failed deployment "
				     "has one."));
		return UI_STAY;
	case L'I':
		ui_push(app, screen_incidents_new(app, d->project.project.id));
		return UI_STAY;
	case L'/':
		ui_push(app, dialog_prompt_new(app, _("Filter the history"),
					       _("Text"), d->pager.text,
					       apply_text, d, NULL));
		return UI_STAY;
	case L'f':
		open_filter_menu(d);
		return UI_STAY;
	case L'q':
	case 27:
		return UI_POP;
	}
	return UI_STAY;
}

static void
deploys_destroy(struct ui_screen *self)
{
	struct deploys *d = (struct deploys *)self;

	ui_pager_free(&d->pager);
	core_project_free(&d->project);
	free(d);
}

struct ui_screen *
screen_deploys_new(struct ui_app *app, const char *project_id)
{
	struct deploys *d = xcalloc(1, sizeof *d);
	struct dd_error err = {0};

	if (core_project_open(app->s, project_id, &d->project, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(d);
		return NULL;
	}
	d->base.app = app;
	d->base.draw = deploys_draw;
	d->base.key = deploys_key;
	d->base.reload = deploys_reload;
	d->base.destroy = deploys_destroy;
	d->base.help = deploys_help;
	ui_pager_init(&d->pager, app->s, &d->project, TASK_DEPLOYMENT);
	return &d->base;
}
