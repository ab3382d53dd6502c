/* SPDX-License-Identifier: MIT */
/* A project's whole trail, newest first, each record in the reader's
 * words with its changes ("field: before → after"), filtered by person
 * (u), action (a) and period (d); c clears the filters. The newest
 * TRAIL_PAGE records that pass are shown; a period reaches older ones. */
#include "ui/ui-internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

#define TRAIL_PAGE 300

struct trail {
	struct ui_screen base;
	struct core_project project;
	/* The filters as typed (NULL: none) and as checked. */
	char *user, *action, *from, *to;
	struct core_audit_query q;
	struct ui_lines lines, wrapped;
	int wrapped_cols;
	size_t top, count;
	bool loaded, more;
	char error[1024];
};

/* The rows read, copied: the listing's rows go as they come, and the
 * words of a change may ask the model (a deployment's version). */
struct gathered {
	struct audit_record *items;
	size_t n, cap;
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
gather(const struct audit_row *r, void *data)
{
	struct gathered *g = data;
	struct audit_record *c;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->items = xrealloc(g->items, g->cap * sizeof *g->items);
	}
	c = &g->items[g->n++];
	memset(c, 0, sizeof *c);
	c->seq = r->seq;
	memcpy(c->ts, r->ts, sizeof c->ts);
	c->login = dup_or_null(r->login);
	c->action = dup_or_null(r->action);
	c->entity_id = dup_or_null(r->entity_id);
	c->before = dup_or_null(r->before);
	c->after = dup_or_null(r->after);
}

static void
add_record(struct core_session *s, struct ui_lines *l,
	   const struct audit_record *r)
{
	struct core_change_list changes;
	struct strbuf object = STRBUF_INIT;
	char when[64];

	ui_date(r->ts, when, sizeof when);
	core_audit_object(s, r, &object);
	if (object.len)
		/* TRANSLATORS: when, who, what they did, and to what: "...
		   mmartin authorized it: v1.2.0". */
		ui_lines_addf(l, _("%s  %s %s: %s"), when, r->login,
			      core_audit_action_label(r->action),
			      strbuf_str(&object));
	else
		ui_lines_addf(l, "%s  %s %s", when, r->login,
			      core_audit_action_label(r->action));
	strbuf_release(&object);
	core_audit_changes(s, r, &changes);
	for (size_t i = 0; i < changes.count; i++) {
		const struct core_change *c = &changes.items[i];

		if (c->before && strcmp(c->before, c->after) != 0)
			ui_lines_addf(l, _("      %s: %s → %s"), c->label,
				      c->before, c->after);
		else if (!c->before)
			ui_lines_addf(l, _("      %s: %s"), c->label, c->after);
	}
	core_change_list_free(&changes);
}

static void
trail_reload(struct ui_screen *self)
{
	struct trail *d = (struct trail *)self;
	struct dd_error err = {0};
	struct gathered g = {0};
	int64_t after = INT64_MAX;
	size_t n = 0;

	d->loaded = true;
	d->error[0] = '\0';
	d->q.filter.project_id = d->project.project.id;
	d->q.filter.newest_first = true;
	if (core_audit_rows(self->app->s, &d->q.filter, &after, TRAIL_PAGE + 1,
			    gather, &g, &n, &err) != DD_OK) {
		snprintf(d->error, sizeof d->error, "%s", err.msg);
		n = 0;
	}
	ui_lines_free(&d->lines);
	d->more = g.n > TRAIL_PAGE;
	d->count = d->more ? TRAIL_PAGE : g.n;
	for (size_t i = 0; i < g.n; i++) {
		if (i < d->count)
			add_record(self->app->s, &d->lines, &g.items[i]);
		audit_record_free(&g.items[i]);
	}
	free(g.items);
	d->wrapped_cols = 0;
	d->top = 0;
}

static int
view_height(void)
{
	return LINES - 5;
}

static void
trail_draw(struct ui_screen *self)
{
	struct trail *d = (struct trail *)self;
	char head[512], filters[512] = "";
	int y = 3;

	if (!d->loaded)
		trail_reload(self);
	if (d->wrapped_cols != COLS) {
		ui_lines_free(&d->wrapped);
		ui_lines_wrap(&d->wrapped, &d->lines, COLS);
		d->wrapped_cols = COLS;
	}
	erase();
	/* TRANSLATORS: %s is the project's name. */
	ui_header(self->app, &d->project, _("Trail - %s"));
	/* TRANSLATORS: the filters of the trail: a person, an action, a
	   period; "-" for none. */
	snprintf(filters, sizeof filters,
		 _("person: %s   action: %s   from: %s   to: %s"),
		 d->user ? d->user : "-", d->action ? d->action : "-",
		 d->from ? d->from : "-", d->to ? d->to : "-");
	ui_text(1, 0, filters, COLS, ui_attr(STYLE_DIM));
	if (d->error[0]) {
		ui_text(3, 2, d->error, COLS - 4, ui_attr(STYLE_ERROR));
	} else if (!d->count) {
		ui_text(3, 2, _("No record passes these filters."), COLS - 4,
			ui_attr(STYLE_DIM));
	} else {
		snprintf(head, sizeof head,
			 d->more ? _("The newest %zu records, newest first "
				     "(a period reaches older ones)")
				 : _("%zu records, newest first"),
			 d->count);
		ui_text(2, 0, head, COLS, ui_attr(STYLE_TITLE));
		for (size_t i = d->top;
		     i < d->wrapped.count && y < 3 + view_height(); i++, y++)
			ui_text(y, 0, d->wrapped.items[i], COLS, A_NORMAL);
	}
	ui_footer_keys(self);
}

static enum ui_result
trail_key(struct ui_screen *self, struct ui_key k)
{
	struct trail *d = (struct trail *)self;

	return ui_scroll_key(k, &d->top, d->wrapped.count, view_height())
		   ? UI_STAY
		   : UI_UNHANDLED;
}

/* A filter typed in a prompt: which one, and the screen it filters. */
enum which { BY_USER, BY_ACTION, BY_PERIOD };
struct asked {
	struct trail *d;
	enum which which;
};

static bool
filtered(struct ui_app *app, void *data, const char *text, char *error,
	 size_t size)
{
	struct asked *a = data;
	struct trail *d = a->d;
	struct dd_error err = {0};
	struct core_audit_query q;
	char *user = d->user, *action = d->action, *from = d->from, *to = d->to;
	char first[64] = "", second[64] = "";
	const char *value = *text ? text : NULL;

	if (a->which == BY_USER)
		user = (char *)value;
	else if (a->which == BY_ACTION)
		action = (char *)value;
	else if (value) {
		/* "2026-03-01" (that day) or "2026-03-01 2026-03-31". */
		if (sscanf(value, "%63s %63s", first, second) < 1) {
			first[0] = '\0';
		}
		from = first;
		to = second[0] ? second : first;
	} else {
		from = to = NULL;
	}
	if (core_audit_filter(app->s, from, to, user, action, &q, &err) !=
	    DD_OK) {
		snprintf(error, size, "%s", err.msg);
		return false;
	}
	if (a->which == BY_USER) {
		free(d->user);
		d->user = dup_or_null(value);
	} else if (a->which == BY_ACTION) {
		free(d->action);
		d->action = dup_or_null(value);
	} else {
		free(d->from);
		free(d->to);
		d->from = value ? xstrdup(first) : NULL;
		d->to = value ? xstrdup(to) : NULL;
	}
	/* The query points at the screen's own copies. */
	core_audit_filter(d->base.app->s, d->from, d->to, d->user, d->action,
			  &d->q, &err);
	trail_reload(&d->base);
	return true;
}

static enum ui_result
ask(struct ui_screen *self, enum which which)
{
	struct trail *d = (struct trail *)self;
	struct asked *a = xcalloc(1, sizeof *a);
	static const char *const titles[] = {
	    N_("A person's login (empty: anyone)"),
	    N_("An action, or its first word (empty: any)"),
	    N_("A day, or two: from and to (empty: any)"),
	};
	char initial[160] = "";

	a->d = d;
	a->which = which;
	if (which == BY_USER && d->user)
		snprintf(initial, sizeof initial, "%s", d->user);
	else if (which == BY_ACTION && d->action)
		snprintf(initial, sizeof initial, "%s", d->action);
	else if (which == BY_PERIOD && d->from)
		snprintf(initial, sizeof initial, "%s %s", d->from, d->to);
	ui_push(self->app, dialog_prompt_new(self->app, _(titles[which]),
					     _("Filter"), initial, NULL,
					     _("Filter"), filtered, a, free));
	return UI_STAY;
}

static enum ui_result
ask_user(struct ui_screen *self)
{
	return ask(self, BY_USER);
}

static enum ui_result
ask_action(struct ui_screen *self)
{
	return ask(self, BY_ACTION);
}

static enum ui_result
ask_period(struct ui_screen *self)
{
	return ask(self, BY_PERIOD);
}

static enum ui_result
clear_filters(struct ui_screen *self)
{
	struct trail *d = (struct trail *)self;
	struct dd_error err = {0};

	free(d->user);
	free(d->action);
	free(d->from);
	free(d->to);
	d->user = d->action = d->from = d->to = NULL;
	core_audit_filter(self->app->s, NULL, NULL, NULL, NULL, &d->q, &err);
	trail_reload(self);
	return UI_STAY;
}

static const struct core_project *
trail_project(struct ui_screen *self)
{
	return &((struct trail *)self)->project;
}

static const struct ui_binding trail_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("scroll (PgUp/PgDn: a page)"), NULL, NULL, false},
    {L'u', false, "u", NULL, N_("person"), N_("only what a person did"),
     ask_user, NULL, false},
    {L'a', false, "a", NULL, N_("action"),
     N_("only an action, or all of a word"), ask_action, NULL, false},
    {L'd', false, "d", NULL, N_("period"), N_("only a day, or a period"),
     ask_period, NULL, false},
    {L'c', false, "c", NULL, N_("clear"), N_("no filter"), clear_filters, NULL,
     false},
    UI_KEYS_BACK_TAIL(N_("back")),
};

static void
trail_destroy(struct ui_screen *self)
{
	struct trail *d = (struct trail *)self;

	ui_lines_free(&d->lines);
	ui_lines_free(&d->wrapped);
	free(d->user);
	free(d->action);
	free(d->from);
	free(d->to);
	core_project_free(&d->project);
	free(d);
}

static const struct ui_screen_ops trail_ops = {
    .draw = trail_draw,
    .key = trail_key,
    .reload = trail_reload,
    .destroy = trail_destroy,
    .bindings = trail_keys,
    .project = trail_project,
};

struct ui_screen *
screen_trail_new(struct ui_app *app, const char *project_id)
{
	struct trail *d = xcalloc(1, sizeof *d);
	struct dd_error err = {0};

	if (core_project_open(app->s, project_id, &d->project, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(d);
		return NULL;
	}
	d->base.ops = &trail_ops;
	d->base.app = app;
	core_audit_filter(app->s, NULL, NULL, NULL, NULL, &d->q, &err);
	return &d->base;
}
