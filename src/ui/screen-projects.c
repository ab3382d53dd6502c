/* SPDX-License-Identifier: MIT */
/* The project picker: every project with its stages and its deployment
 * counts, the person's own projects first. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct project_row {
	struct core_project p;
	struct deploy_stats stats;
	char stages[128];
	char counts[128];
	char role[64];
};

struct projects {
	struct ui_screen base;
	struct project_row *rows;
	size_t count;
	struct ui_table_seen seen;
	int selected;
	bool opened_first; /* the one project was opened at start */
	char error[1024];  /* why the last read failed, or "" */
};

static void
free_rows(struct projects *d)
{
	for (size_t i = 0; i < d->count; i++)
		core_project_free(&d->rows[i].p);
	free(d->rows);
	d->rows = NULL;
	d->count = 0;
}

static int
by_membership(const void *a, const void *b)
{
	const struct project_row *x = a, *y = b;

	if (x->p.me.is_member != y->p.me.is_member)
		return x->p.me.is_member ? -1 : 1;
	return strcmp(x->p.project.code, y->p.project.code);
}

static void
projects_reload(struct ui_screen *self)
{
	struct projects *d = (struct projects *)self;
	struct dd_error err = {0};
	struct project *list;
	size_t count;

	d->error[0] = '\0';
	if (core_project_list(self->app->s, &list, &count, &err) != DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		return;
	}
	free_rows(d);
	d->rows = xcalloc(count ? count : 1, sizeof *d->rows);
	for (size_t i = 0; i < count; i++) {
		struct project_row *r = &d->rows[d->count];

		/* A project that cannot be read is said, not left out. */
		if (core_project_open(self->app->s, list[i].id, &r->p, &err) !=
		    DD_OK) {
			snprintf(d->error, sizeof d->error, "%s", err.msg);
			continue;
		}
		if (core_stats(self->app->s, &r->p, &r->stats, &err) != DD_OK)
			snprintf(d->error, sizeof d->error, "%s", err.msg);
		d->count++;
	}
	for (size_t i = 0; i < count; i++)
		project_free(&list[i]);
	free(list);
	qsort(d->rows, d->count, sizeof *d->rows, by_membership);
	if (d->selected >= (int)d->count)
		d->selected = d->count ? (int)d->count - 1 : 0;
}

static void
project_row(void *data, int i, struct ui_cell *cells)
{
	struct projects *d = data;
	struct project_row *r = &d->rows[i];
	size_t n = 0;

	/* One mark under each stage's four letters in the header. */
	for (int s = 0; s < STAGE_COUNT; s++)
		n += (size_t)snprintf(
		    r->stages + n, sizeof r->stages - n, "%s%s", s ? "   " : "",
		    r->p.stages[s].status == STATUS_SUCCEEDED	  ? "ok"
		    : r->p.stages[s].status == STATUS_IN_PROGRESS ? ".."
								  : "--");
	snprintf(r->counts, sizeof r->counts, "%lld/%lld/%lld/%lld",
		 (long long)r->stats.total, (long long)r->stats.succeeded,
		 (long long)r->stats.failed, (long long)r->stats.planned);
	snprintf(r->role, sizeof r->role, "%s",
		 r->p.me.is_member
		     ? core_role_label(r->p.me.role, r->p.me.senior)
		     : "-");
	cells[0] = (struct ui_cell){r->p.project.code, A_BOLD};
	cells[1] = (struct ui_cell){r->p.project.name, 0};
	cells[2] = (struct ui_cell){r->role, 0};
	cells[3] = (struct ui_cell){r->stages, 0};
	cells[4] = (struct ui_cell){r->counts, 0};
}

static void
projects_draw(struct ui_screen *self)
{
	struct projects *d = (struct projects *)self;
	/* The code grows to the longest shown, when the name has room; the
	 * role is as wide as the language's longest. */
	static const struct ui_column cols[] = {
	    {N_("Code"), 6, CORE_CODE_MAX, false},
	    {N_("Project"), 0, 0, false},
	    {N_("Your role"), 0, 0, false},
	    {"CONC DEVE TEST DEPL", 19, 0, false},
	    /* TRANSLATORS: deployment counts: total, succeeded, failed,
	       planned; 15 columns at most. */
	    {N_("Tot/OK/KO/Plan"), 15, 0, false},
	};
	struct ui_column tcols[5];

	erase();
	ui_text(0, 0, _("deploydesk - Projects"), COLS, ui_attr(STYLE_TITLE));
	ui_text(1, 0, _("Stages: ok finished, .. in progress, -- to do"), COLS,
		ui_attr(STYLE_DIM));
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
	ui_table_draw(3, 0, LINES - 5, COLS, tcols, 5, (int)d->count,
		      d->selected, project_row, d, &d->seen);
	if (d->error[0])
		ui_text(d->count ? 4 + (int)d->count + 1 : 5, 2, d->error,
			COLS - 4, ui_attr(STYLE_ERROR));
	else if (d->count == 0)
		ui_text(5, 2,
			_("No project yet: an admin adds one with "
			  "'deploydesk project add'."),
			COLS - 4, ui_attr(STYLE_DIM));
	ui_footer_keys(self);
}

/* Movement in the list; the table does the rest. */
static enum ui_result
projects_key(struct ui_screen *self, struct ui_key k)
{
	struct projects *d = (struct projects *)self;
	size_t top = (size_t)d->selected;

	if (!ui_scroll_key(k, &top, d->count, 1))
		return UI_UNHANDLED;
	d->selected = (int)top;
	return UI_STAY;
}

static enum dd_code
may_open(struct ui_screen *self, struct dd_error *err)
{
	if (((struct projects *)self)->count)
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("No project yet"));
}

static enum ui_result
open_project(struct ui_screen *self)
{
	struct projects *d = (struct projects *)self;

	ui_push(self->app, screen_deploys_new(
			       self->app, d->rows[d->selected].p.project.id));
	return UI_STAY;
}

static const struct ui_binding projects_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("open"),
     N_("open the project's deployments"), open_project, may_open, false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, open_project, may_open,
     false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, open_project, may_open,
     false},
    /* In the footer, where a newcomer starts; one line of the help for
     * the four, which the screens' 24 rows need. */
    {L't', false, "t", NULL, N_("to do"), NULL, ui_act_inbox, NULL, false},
    {L'E', false, "E", NULL, N_("environments"), NULL, ui_act_envs, NULL,
     false},
    {L'M', false, "M", NULL, N_("figures"), NULL, ui_act_metrics, NULL, false},
    {L'?', false, "?", N_("?, t, E, M"), N_("help"),
     N_("help / to do / environments / figures"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("quit"), N_("quit"), ui_act_quit, NULL,
     false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_quit, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
projects_destroy(struct ui_screen *self)
{
	struct projects *d = (struct projects *)self;

	free_rows(d);
	free(d);
}

static const struct ui_screen_ops projects_ops = {
    .draw = projects_draw,
    .key = projects_key,
    .reload = projects_reload,
    .destroy = projects_destroy,
    .bindings = projects_keys,
};

bool
ui_screen_is_picker(const struct ui_screen *scr)
{
	return scr->ops == &projects_ops;
}

/* The picker; when the person belongs to exactly one project (or there is
 * only one), that project opens at once above it. */
struct ui_screen *
screen_projects_new(struct ui_app *app)
{
	struct projects *d = xcalloc(1, sizeof *d);
	int members = 0, member_index = 0;

	d->base.ops = &projects_ops;
	d->base.app = app;
	projects_reload(&d->base);
	for (size_t i = 0; i < d->count; i++)
		if (d->rows[i].p.me.is_member)
			members++, member_index = (int)i;
	if (d->count == 1 || members == 1) {
		d->opened_first = true;
		d->selected = d->count == 1 ? 0 : member_index;
	}
	return &d->base;
}

int
ui_projects_first(struct ui_screen *scr, char id[UUID_SIZE],
		  struct core_project *only)
{
	struct projects *d = (struct projects *)scr;

	if (!d->opened_first)
		return 0;
	memcpy(id, d->rows[d->selected].p.project.id, UUID_SIZE);
	if (d->count > 1)
		return 1;
	/* The picker goes: its one project, opened already, moves. */
	*only = d->rows[d->selected].p;
	memset(&d->rows[d->selected].p, 0, sizeof d->rows[d->selected].p);
	return 2;
}
