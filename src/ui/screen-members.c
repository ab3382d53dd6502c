/* SPDX-License-Identifier: MIT */
/* A project's members: who holds which role, since when, and who granted
 * it, from the trail (core_member_list). */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct members {
	struct ui_screen base;
	struct core_project project;
	struct member *items;
	size_t count;
	struct ui_table_seen seen;
	int selected;
	bool loaded;
	char error[1024];
	char since[64];
};

static void
free_items(struct members *d)
{
	for (size_t i = 0; i < d->count; i++)
		member_free(&d->items[i]);
	free(d->items);
	d->items = NULL;
	d->count = 0;
}

static void
members_reload(struct ui_screen *self)
{
	struct members *d = (struct members *)self;
	struct dd_error err = {0};
	struct member *items;
	size_t count;

	d->loaded = true;
	d->error[0] = '\0';
	if (core_member_list(self->app->s, &d->project, &items, &count, &err) !=
	    DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		return;
	}
	free_items(d);
	d->items = items;
	d->count = count;
	if (d->selected >= (int)d->count)
		d->selected = d->count ? (int)d->count - 1 : 0;
}

static void
member_row(void *data, int i, struct ui_cell *cells)
{
	struct members *d = data;
	const struct member *m = &d->items[i];

	if (m->since[0])
		ui_date(m->since, d->since, sizeof d->since);
	else
		snprintf(d->since, sizeof d->since, "-");
	cells[0] = (struct ui_cell){m->full_name, A_BOLD};
	cells[1] = (struct ui_cell){m->login, 0};
	cells[2] = (struct ui_cell){core_role_label(m->role, m->senior), 0};
	cells[3] = (struct ui_cell){d->since, 0};
	cells[4] = (struct ui_cell){m->granted_by ? m->granted_by : "-", 0};
}

static void
members_draw(struct ui_screen *self)
{
	struct members *d = (struct members *)self;
	static const struct ui_column cols[] = {
	    {N_("Name"), 0, CORE_NAME_MAX, false},
	    {N_("Login"), 0, 32, false},
	    {N_("Role"), 0, 0, false},
	    {N_("Since"), 16, 0, false},
	    {N_("Granted by"), 0, 32, false},
	};
	struct ui_column tcols[5];

	if (!d->loaded)
		members_reload(self);
	erase();
	/* TRANSLATORS: %s is the project's name. */
	ui_header(self->app, &d->project, _("Members - %s"));
	for (int i = 0; i < 5; i++) {
		tcols[i] = cols[i];
		tcols[i].header = _(cols[i].header);
	}
	tcols[2].width = ui_text_width(tcols[2].header);
	for (int r = 0; r < ROLE_COUNT; r++)
		for (int senior = 0; senior < 2; senior++)
			tcols[2].width =
			    ui_wider(tcols[2].width,
				     core_role_label((enum role)r, senior));
	ui_table_draw(2, 0, LINES - 4, COLS, tcols, 5, (int)d->count,
		      d->selected, member_row, d, &d->seen);
	if (d->error[0])
		ui_text(4 + (int)d->count, 2, d->error, COLS - 4,
			ui_attr(STYLE_ERROR));
	else if (!d->count)
		ui_text(4, 2, _("No member yet."), COLS - 4,
			ui_attr(STYLE_DIM));
	ui_footer_keys(self);
}

static enum ui_result
members_key(struct ui_screen *self, struct ui_key k)
{
	struct members *d = (struct members *)self;
	size_t top = (size_t)d->selected;

	if (!ui_scroll_key(k, &top, d->count, 1))
		return UI_UNHANDLED;
	d->selected = (int)top;
	return UI_STAY;
}

static const struct core_project *
members_project(struct ui_screen *self)
{
	return &((struct members *)self)->project;
}

static const struct ui_binding members_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    UI_KEYS_BACK_TAIL(N_("back")),
};

static void
members_destroy(struct ui_screen *self)
{
	struct members *d = (struct members *)self;

	free_items(d);
	core_project_free(&d->project);
	free(d);
}

static const struct ui_screen_ops members_ops = {
    .draw = members_draw,
    .key = members_key,
    .reload = members_reload,
    .destroy = members_destroy,
    .bindings = members_keys,
    .project = members_project,
};

struct ui_screen *
screen_members_new(struct ui_app *app, const char *project_id)
{
	struct members *d = xcalloc(1, sizeof *d);
	struct dd_error err = {0};

	if (core_project_open(app->s, project_id, &d->project, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(d);
		return NULL;
	}
	d->base.ops = &members_ops;
	d->base.app = app;
	members_reload(&d->base);
	return &d->base;
}
