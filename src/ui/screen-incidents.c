/* The incidents of a project, newest first; Enter shows one, where its
 * responsible person or an admin changes its status. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/i18n.h"

struct incidents {
	struct ui_screen base;
	struct core_project project;
	struct ui_pager pager;
	bool loaded;
};

static const char *const incidents_help[] = {
    N_("Up/Down, j/k"),
    N_("move the selection"),
    N_("PgUp/PgDn"),
    N_("page"),
    N_("Home/End, g/G"),
    N_("newest / oldest incident"),
    N_("Enter"),
    N_("details; c there changes the status"),
    N_("q, Esc"),
    N_("back"),
    NULL,
};

static int
table_height(void)
{
	return LINES - 4;
}

static void
incidents_reload(struct ui_screen *self)
{
	struct incidents *d = (struct incidents *)self;

	ui_pager_reload(&d->pager, table_height() - 1);
	d->loaded = true;
}

struct row_ctx {
	struct incidents *d;
	char date[64];
};

static void
incident_row(void *data, int i, struct ui_cell *cells)
{
	struct row_ctx *rc = data;
	const struct task *t = &rc->d->pager.rows.items[i];

	ui_date(t->created_at, rc->date, sizeof rc->date);
	cells[0] = (struct ui_cell){t->source_version, A_BOLD};
	cells[1] = (struct ui_cell){t->name, 0};
	cells[2] = (struct ui_cell){core_stage_status_label(t->status),
				    ui_attr(t->status == STATUS_SUCCEEDED
						? STYLE_STATUS_SUCCEEDED
						: STYLE_STATUS_FAILED)};
	cells[3] = (struct ui_cell){core_priority_label(t->priority), 0};
	cells[4] = (struct ui_cell){t->responsible.full_name, 0};
	cells[5] = (struct ui_cell){rc->date, 0};
}

static void
incidents_draw(struct ui_screen *self)
{
	struct incidents *d = (struct incidents *)self;
	static const struct ui_column cols[] = {
	    {N_("Deployment"), 12},  {N_("Incident"), 0},
	    {N_("Status"), 10},	     {N_("Priority"), 8},
	    {N_("Responsible"), 14}, {N_("Created"), 16},
	};
	struct ui_column tcols[6];
	struct row_ctx rc = {.d = d};
	char title[256];

	if (!d->loaded || d->pager.height != table_height() - 1)
		incidents_reload(self);
	erase();
	snprintf(title, sizeof title, _("Incidents - %s"),
		 d->project.project.name);
	ui_text(0, 0, title, COLS, ui_attr(STYLE_TITLE));
	for (int i = 0; i < 6; i++)
		tcols[i] = (struct ui_column){_(cols[i].header), cols[i].width};
	ui_table_draw(2, 0, table_height(), COLS, tcols, 6,
		      (int)d->pager.rows.count, d->pager.selected, incident_row,
		      &rc);
	if (d->pager.rows.count == 0)
		ui_text(4, 2, _("No incident in this project."), COLS - 4,
			ui_attr(STYLE_DIM));
	ui_footer(self->app, _(" Enter details  ? help  q back"));
}

static enum ui_result
incidents_key(struct ui_screen *self, struct ui_key k)
{
	struct incidents *d = (struct incidents *)self;
	const struct task *t;

	self->app->message[0] = '\0';
	if (ui_pager_key(&d->pager, k))
		return UI_STAY;
	if ((k.function && k.code == KEY_ENTER) ||
	    (!k.function && (k.code == L'\r' || k.code == L'\n'))) {
		t = ui_pager_selected(&d->pager);
		if (t)
			ui_push(self->app,
				screen_details_new(self->app, t->id));
		return UI_STAY;
	}
	if (!k.function && (k.code == L'q' || k.code == 27))
		return UI_POP;
	return UI_STAY;
}

static void
incidents_destroy(struct ui_screen *self)
{
	struct incidents *d = (struct incidents *)self;

	ui_pager_free(&d->pager);
	core_project_free(&d->project);
	free(d);
}

struct ui_screen *
screen_incidents_new(struct ui_app *app, const char *project_id)
{
	struct incidents *d = xcalloc(1, sizeof *d);
	struct dd_error err = {0};

	if (core_project_open(app->s, project_id, &d->project, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(d);
		return NULL;
	}
	d->base.app = app;
	d->base.draw = incidents_draw;
	d->base.key = incidents_key;
	d->base.reload = incidents_reload;
	d->base.destroy = incidents_destroy;
	d->base.help = incidents_help;
	ui_pager_init(&d->pager, app->s, &d->project, TASK_INCIDENT);
	return &d->base;
}
