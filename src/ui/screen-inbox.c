/* SPDX-License-Identifier: MIT */
/* "À traiter": what waits for the person's action, in every project (the
 * core decides, by the rules of the actions themselves); Enter opens the
 * deployment or incident where it is acted on. Opened first when anything
 * waits; t reaches it from every screen. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct inbox {
	struct ui_screen base;
	struct core_inbox in;
	struct ui_table_seen seen;
	int selected;
	bool loaded;
	char error[1024]; /* why the last read failed, or "" */
};

static void
inbox_reload(struct ui_screen *self)
{
	struct inbox *d = (struct inbox *)self;
	struct core_inbox in;
	struct dd_error err = {0};

	d->loaded = true;
	d->error[0] = '\0';
	/* A read that fails is said; what was shown stays. */
	if (core_inbox(self->app->s, &in, &err) != DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		return;
	}
	core_inbox_free(&d->in);
	d->in = in;
	if (d->selected >= (int)d->in.count)
		d->selected = d->in.count ? (int)d->in.count - 1 : 0;
}

struct row_ctx {
	struct inbox *d;
	char what[128];
	char date[64];
};

static void
inbox_row(void *data, int i, struct ui_cell *cells)
{
	struct row_ctx *rc = data;
	const struct core_inbox_item *it = &rc->d->in.items[i];
	const struct task *t = &it->task;
	bool deploy = t->type == TASK_DEPLOYMENT;

	if (deploy)
		snprintf(rc->what, sizeof rc->what, "%s", t->version);
	else
		/* TRANSLATORS: an incident, by the version whose failure
		   opened it. */
		snprintf(rc->what, sizeof rc->what, _("incident of %s"),
			 t->source_version ? t->source_version : "?");
	ui_date(it->when, rc->date, sizeof rc->date);
	cells[0] = (struct ui_cell){it->project_code, A_BOLD};
	cells[1] = (struct ui_cell){rc->what, A_BOLD};
	cells[2] = (struct ui_cell){
	    deploy ? env_code(t->environment) : "",
	    deploy ? ui_attr(ui_env_style(t->environment)) : 0};
	cells[3] =
	    (struct ui_cell){core_inbox_item_label(it),
			     it->overdue_since[0] ? ui_attr(STYLE_ERROR) : 0};
	cells[4] = (struct ui_cell){rc->date, 0};
}

static void
inbox_draw(struct ui_screen *self)
{
	struct inbox *d = (struct inbox *)self;
	static const struct ui_column cols[] = {
	    {N_("Project"), 0, CORE_CODE_MAX, false},
	    {N_("Deployment"), 0, CORE_VERSION_MAX, true},
	    {N_("Env"), 8, 0, false},
	    {N_("To do"), 0, 0, false},
	    {N_("Date"), 16, 0, false},
	};
	struct ui_column tcols[5];
	struct row_ctx rc = {.d = d};
	char title[256];

	if (!d->loaded)
		inbox_reload(self);
	erase();
	/* TRANSLATORS: the screen of what waits for the person: "À
	   traiter", then their name. */
	snprintf(title, sizeof title, _("To do - %s"),
		 core_me(self->app->s)->full_name);
	ui_text(0, 0, title, COLS, ui_attr(STYLE_TITLE));
	for (int i = 0; i < 5; i++) {
		tcols[i] = cols[i];
		tcols[i].header = _(cols[i].header);
	}
	tcols[0].width = ui_text_width(tcols[0].header);
	tcols[3].width = ui_text_width(tcols[3].header);
	for (int k = 0; k < INBOX_KIND_COUNT; k++)
		tcols[3].width = ui_wider(
		    tcols[3].width, core_inbox_label((enum core_inbox_kind)k));
	for (size_t i = 0; i < d->in.count; i++)
		tcols[3].width = ui_wider(
		    tcols[3].width, core_inbox_item_label(&d->in.items[i]));
	ui_table_draw(2, 0, LINES - 4, COLS, tcols, 5, (int)d->in.count,
		      d->selected, inbox_row, &rc, &d->seen);
	if (d->error[0])
		ui_text(4 + (int)d->in.count, 2, d->error, COLS - 4,
			ui_attr(STYLE_ERROR));
	else if (d->in.count == 0)
		ui_text(4, 2, _("Nothing waits for you."), COLS - 4,
			ui_attr(STYLE_DIM));
	ui_footer_keys(self);
}

static enum ui_result
inbox_key(struct ui_screen *self, struct ui_key k)
{
	struct inbox *d = (struct inbox *)self;
	size_t top = (size_t)d->selected;

	if (!ui_scroll_key(k, &top, d->in.count, 1))
		return UI_UNHANDLED;
	d->selected = (int)top;
	return UI_STAY;
}

static const struct task *
inbox_task(struct ui_screen *self)
{
	struct inbox *d = (struct inbox *)self;

	return d->in.count ? &d->in.items[d->selected].task : NULL;
}

static const struct ui_binding inbox_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("open"),
     N_("open it, to act on it there"), ui_act_details, ui_may_details, false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, ui_act_details,
     ui_may_details, false},
    {L'p', false, "p", NULL, N_("projects"), N_("the projects"),
     ui_act_projects, NULL, false},
    {L'E', false, "E", NULL, NULL, NULL, ui_act_envs, NULL, false},
    {L'?', false, "?", N_("?, E"), N_("help"),
     N_("this help / environments: what runs where"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"),
     N_("back (quit on the first screen)"), ui_act_back, NULL, false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
inbox_destroy(struct ui_screen *self)
{
	struct inbox *d = (struct inbox *)self;

	core_inbox_free(&d->in);
	free(d);
}

static const struct ui_screen_ops inbox_ops = {
    .draw = inbox_draw,
    .key = inbox_key,
    .reload = inbox_reload,
    .destroy = inbox_destroy,
    .bindings = inbox_keys,
    .task = inbox_task,
};

bool
ui_screen_is_inbox(const struct ui_screen *scr)
{
	return scr->ops == &inbox_ops;
}

size_t
ui_inbox_count(const struct ui_screen *scr)
{
	return ((const struct inbox *)scr)->in.count;
}

struct ui_screen *
screen_inbox_new(struct ui_app *app)
{
	struct inbox *d = xcalloc(1, sizeof *d);

	d->base.ops = &inbox_ops;
	d->base.app = app;
	inbox_reload(&d->base);
	return &d->base;
}
