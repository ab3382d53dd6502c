/* SPDX-License-Identifier: MIT */
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
	struct ui_table_seen seen;
	bool loaded;
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
	/* The version and the person grow to the longest shown, when the
	 * incident's name has room; the name, whose end tells incidents
	 * apart ("... v1.1.8"), keeps its end when cut; the words are as
	 * wide as the language's longest. */
	static const struct ui_column cols[] = {
	    {N_("Deployment"), 0, CORE_VERSION_MAX, false},
	    {N_("Incident"), 0, 0, true},
	    {N_("Status"), 0, 0, false},
	    {N_("Priority"), 0, 0, false},
	    {N_("Responsible"), 0, CORE_NAME_MAX, false},
	    {N_("Created"), 16, 0, false},
	};
	struct ui_column tcols[6];
	struct row_ctx rc = {.d = d};

	if (!d->loaded || d->pager.height != table_height() - 1)
		incidents_reload(self);
	erase();
	/* TRANSLATORS: %s is the project's name. */
	ui_header(self->app, &d->project, _("Incidents - %s"));
	for (int i = 0; i < 6; i++) {
		tcols[i] = cols[i];
		tcols[i].header = _(cols[i].header);
	}
	tcols[0].width = ui_text_width(tcols[0].header);
	tcols[2].width =
	    ui_status_width(tcols[2].header, core_stage_status_label);
	tcols[3].width = ui_text_width(tcols[3].header);
	for (int p = 0; p < PRIORITY_COUNT; p++)
		tcols[3].width = ui_wider(
		    tcols[3].width, core_priority_label((enum priority)p));
	tcols[4].width = ui_text_width(tcols[4].header);
	ui_table_draw(2, 0, table_height(), COLS, tcols, 6,
		      (int)d->pager.rows.count, d->pager.selected, incident_row,
		      &rc, &d->seen);
	if (d->pager.error[0])
		ui_text(4, 2, d->pager.error, COLS - 4, ui_attr(STYLE_ERROR));
	else if (d->pager.rows.count == 0)
		ui_text(4, 2, _("No incident in this project."), COLS - 4,
			ui_attr(STYLE_DIM));
	ui_footer_keys(self);
}

/* Movement in the list; the table does the rest. */
static enum ui_result
incidents_key(struct ui_screen *self, struct ui_key k)
{
	struct incidents *d = (struct incidents *)self;

	return ui_pager_key(&d->pager, k) ? UI_STAY : UI_UNHANDLED;
}

static const struct core_project *
incidents_project(struct ui_screen *self)
{
	return &((struct incidents *)self)->project;
}

static const struct task *
incidents_task(struct ui_screen *self)
{
	return ui_pager_selected(&((struct incidents *)self)->pager);
}

static const struct ui_binding incidents_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    {0, false, N_("PgUp/PgDn"), NULL, NULL, N_("page"), NULL, NULL, false},
    {0, false, N_("Home/End"), N_("Home/End, g/G"), NULL,
     N_("newest / oldest incident"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("details"),
     N_("details; c there changes the status"), ui_act_details, ui_may_details,
     false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {L'c', false, "c", NULL, N_("change status"),
     N_("change the status (incidents)"), ui_act_incident_status,
     ui_may_incident_status, true},
    {L'r', false, "r", NULL, N_("hand over"),
     N_("hand the incident to another member"), ui_act_incident_assign,
     ui_may_incident_assign, true},
    {L'p', false, "p", NULL, NULL, N_("back to the projects"), ui_act_projects,
     NULL, false},
    {L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},
    /* One line of the help for both, which the screens' 24 rows need. */
    {L'?', false, "?", N_("?, t"), N_("help"),
     N_("this help / what waits for you (to do)"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"), N_("back"), ui_act_back, NULL,
     false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
incidents_destroy(struct ui_screen *self)
{
	struct incidents *d = (struct incidents *)self;

	ui_pager_free(&d->pager);
	core_project_free(&d->project);
	free(d);
}

static const struct ui_screen_ops incidents_ops = {
    .draw = incidents_draw,
    .key = incidents_key,
    .reload = incidents_reload,
    .destroy = incidents_destroy,
    .bindings = incidents_keys,
    .project = incidents_project,
    .task = incidents_task,
};

bool
ui_screen_is_incidents(const struct ui_screen *scr)
{
	return scr->ops == &incidents_ops;
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
	d->base.ops = &incidents_ops;
	d->base.app = app;
	ui_pager_init(&d->pager, app->s, &d->project, TASK_INCIDENT);
	return &d->base;
}
