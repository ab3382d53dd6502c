/* SPDX-License-Identifier: MIT */
/* Details of a deployment or an incident: every field, the logs, and its
 * audit history, in one scrollable view. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct details {
	struct ui_screen base;
	char id[UUID_SIZE];
	struct task task;
	bool have_task;
	/* The task's project, read with the task (not at every redraw). */
	struct core_project project;
	bool have_project;
	struct ui_lines lines;	 /* as built: one per field or text line */
	struct ui_lines wrapped; /* as shown: cut to the screen's width */
	struct ui_wrap_map map;	 /* where each row of wrapped comes from */
	int wrapped_cols;
	size_t top;
	struct ui_find find; /* '/', n and N */
};

static void
field(struct ui_lines *l, const char *label, const char *value)
{
	char *line = ui_label_line(label, 18, value && *value ? value : "-");

	ui_lines_add(l, line);
	free(line);
}

static void
person_field(struct ui_lines *l, const char *label, const struct person *p,
	     const char *at)
{
	char when[64], text[512];

	if (!p->id) {
		field(l, label, NULL);
		return;
	}
	ui_date(at, when, sizeof when);
	snprintf(text, sizeof text, "%s (%s)%s%s", p->full_name, p->login,
		 at && *at ? ", " : "", at && *at ? when : "");
	field(l, label, text);
}

/* A deployment's approvals: how many count of how many its policy asks
 * for, then each, on a line of its own: who, when, whether it expired. */
static void
approvals_field(struct details *d, struct ui_lines *l)
{
	struct core_approvals a;
	struct dd_error err = {0};
	char text[64], when[64], line[512];

	if (!d->have_project ||
	    core_deploy_approvals(d->base.app->s, &d->project, &d->task, &a,
				  &err) != DD_OK)
		return;
	/* TRANSLATORS: approvals that count now, of those the policy asks
	   for: "1 of 2". */
	snprintf(text, sizeof text, _("%d of %d"), a.standing, a.required);
	field(l, _("Approvals"), text);
	for (size_t i = 0; i < a.list.count; i++) {
		const struct approval *ap = &a.list.items[i];

		ui_date(ap->approved_at, when, sizeof when);
		snprintf(line, sizeof line, "%s (%s), %s%s%s", ap->by.full_name,
			 ap->by.login, when, a.valid[i] ? "" : " - ",
			 a.valid[i] ? "" : _("expired"));
		field(l, "", line);
	}
	core_approvals_free(&a);
}

/* The overrides of the policy on the deployment: each exception, its
 * rules, who overrode, and whether it was reviewed (or, open, since when
 * it is overdue, by the rule of exception list). */
static void
exceptions_field(struct details *d, struct ui_lines *l)
{
	struct exception_list el;
	struct dd_error err = {0};
	char line[512], since[TIME_ISO_SIZE], when[64], state[128];
	bool first = true;

	if (!d->task.exceptions || !d->have_project ||
	    core_exception_list(d->base.app->s, d->project.project.id, false,
				&el, &err) != DD_OK)
		return;
	for (size_t i = 0; i < el.count; i++) {
		const struct exception *e = &el.items[i];

		if (strcmp(e->task_id, d->task.id) != 0)
			continue;
		if (e->reviewed_by.id) {
			snprintf(state, sizeof state, "%s", _("reviewed"));
		} else if (core_exception_overdue_since(d->base.app->s, e,
							since)) {
			ui_date(since, when, sizeof when);
			/* TRANSLATORS: an open exception, 72 hours after it
			   was opened: the date it became overdue. */
			snprintf(state, sizeof state,
				 _("to review, overdue since %s"), when);
		} else {
			snprintf(state, sizeof state, "%s", _("to review"));
		}
		/* TRANSLATORS: an exception: its id, the rules passed, who
		   overrode, then whether it was reviewed. */
		snprintf(line, sizeof line, _("no. %lld: %s, by %s - %s"),
			 (long long)e->id, e->rules, e->opened_by.login, state);
		field(l, first ? _("Exceptions") : "", line);
		first = false;
	}
	exception_list_free(&el);
}

/* One record of the history: who did what, when, then each field it set,
 * "label: before -> after" in the reader's words. */
static void
add_record(struct core_session *s, struct ui_lines *l,
	   const struct audit_record *r)
{
	struct core_change_list changes;
	char when[64];

	ui_date(r->ts, when, sizeof when);
	ui_lines_addf(l, "  %s  %s %s", when, r->login,
		      core_audit_action_label(r->action));
	core_audit_changes(s, r, &changes);
	for (size_t i = 0; i < changes.count; i++) {
		const struct core_change *c = &changes.items[i];

		/* TRANSLATORS: a field of the history: its name, the value
		   it had, the value it got. */
		if (c->before && strcmp(c->before, c->after) != 0)
			ui_lines_addf(l, _("      %s: %s → %s"), c->label,
				      c->before, c->after);
		/* TRANSLATORS: a field of the history set for the first
		   time: its name and its value. */
		else if (!c->before)
			ui_lines_addf(l, _("      %s: %s"), c->label, c->after);
	}
	core_change_list_free(&changes);
}

static void
build_lines(struct details *d)
{
	struct ui_lines *l = &d->lines;
	const struct task *t = &d->task;
	struct audit_list audit;
	struct dd_error err = {0};
	char buf[256], version[UI_VERSION_TEXT_SIZE];
	int64_t after = 0;
	bool plan;

	ui_lines_free(l);
	if (t->type == TASK_DEPLOYMENT) {
		ui_version_text(d->have_project ? &d->project : NULL, t,
				version, sizeof version);
		field(l, _("Version"), version);
		snprintf(buf, sizeof buf, "%s (%s)",
			 core_env_label(t->environment),
			 env_code(t->environment));
		field(l, _("Environment"), buf);
		field(l, _("Status"), core_status_label(t->status));
		ui_date(t->planned_at, buf, sizeof buf);
		field(l, _("Planned date"), buf);
		person_field(l, _("Responsible"), &t->responsible, NULL);
		/* The risk and back-out plan where stated, or asked for by
		 * the policy (then "Not stated" says what lacks). */
		plan = t->risk != RISK_NONE || t->backout_plan ||
		       (d->have_project &&
			core_plan_required(&d->project, t->environment));
		if (plan)
			field(l, _("Risk"), core_risk_label(t->risk));
		person_field(l, _("Created by"), &t->created_by, t->created_at);
		person_field(l, _("Authorized by"), &t->authorized_by,
			     t->authorized_at);
		approvals_field(d, l);
		exceptions_field(d, l);
		person_field(l, _("Started by"), &t->started_by, t->started_at);
		person_field(l, _("Executed by"), &t->executed_by,
			     t->executed_at);
		if (t->closed_by.id) {
			person_field(l,
				     t->status == STATUS_REFUSED
					 ? _("Refused by")
					 : _("Cancelled by"),
				     &t->closed_by, t->closed_at);
			field(l, _("Reason"), t->close_reason);
		}
		if (t->incident_id[0])
			field(l, _("Incident"), _("opened"));
		if (t->rollback_of[0])
			field(l, _("Rollback of"), t->rollback_of_version);
		if (t->fixes[0])
			field(l, _("Fixes"), t->fixes_name);
		if (t->rolled_back_by[0])
			field(l, _("Rolled back by"),
			      _("a rollback is planned"));
		field(l, _("Id"), t->id);
		ui_lines_add(l, "");
		ui_lines_add(l, _("Description"));
		ui_lines_add_text(l, "  ", t->description);
		if (plan) {
			ui_lines_add(l, "");
			ui_lines_add(l, _("Back-out plan"));
			if (t->backout_plan)
				ui_lines_add_text(l, "  ", t->backout_plan);
			else
				ui_lines_add(l, _("  (none)"));
		}
		ui_lines_add(l, "");
		ui_lines_add(l, _("Deployment logs"));
		if (t->logs && *t->logs)
			ui_lines_add_text(l, "  ", t->logs);
		else
			ui_lines_add(l, _("  (none yet)"));
	} else {
		field(l, _("Name"), t->name);
		field(l, _("Status"), core_stage_status_label(t->status));
		field(l, _("Priority"), core_priority_label(t->priority));
		person_field(l, _("Responsible"), &t->responsible, NULL);
		person_field(l, _("Created by"), &t->created_by, t->created_at);
		field(l, _("Deployment"), t->source_version);
		if (t->fixed_by[0])
			field(l, _("Fixed by"), t->fixed_by_version);
		field(l, _("Id"), t->id);
		ui_lines_add(l, "");
		ui_lines_add(l, _("Description"));
		ui_lines_add_text(l, "  ", t->description);
	}
	ui_lines_add(l, "");
	ui_lines_add(l, _("History (audit trail)"));
	for (;;) {
		if (core_audit_page(d->base.app->s, NULL, t->id, after, 200,
				    &audit, &err) != DD_OK)
			break;
		for (size_t i = 0; i < audit.count; i++)
			add_record(d->base.app->s, l, &audit.items[i]);
		if (audit.count)
			after = audit.items[audit.count - 1].seq;
		if (audit.count < 200) {
			audit_list_free(&audit);
			break;
		}
		audit_list_free(&audit);
	}
}

static void
details_reload(struct ui_screen *self)
{
	struct details *d = (struct details *)self;
	struct dd_error err = {0};
	struct task t;
	enum dd_code code;

	code = core_deploy_find(self->app->s, d->id, &t, &err);
	if (code == DD_ERR_NOTFOUND)
		code = core_incident_find(self->app->s, d->id, &t, &err);
	if (code) {
		ui_message(self->app, true, "%s", err.msg);
		return;
	}
	if (d->have_task)
		task_free(&d->task);
	d->task = t;
	d->have_task = true;
	if (d->have_project)
		core_project_free(&d->project);
	d->have_project = core_project_open(self->app->s, d->task.project_id,
					    &d->project, &err) == DD_OK;
	if (!d->have_project)
		ui_message(self->app, true, "%s", err.msg);
	build_lines(d);
	d->wrapped_cols = 0;
	ui_find_lines_changed(&d->find, &d->lines);
}

static int
view_height(void)
{
	return LINES - 4;
}

/* The lines cut to the screen's width, when it changed (or the lines). */
static void
rewrap(struct details *d)
{
	if (d->wrapped_cols == COLS)
		return;
	ui_lines_free(&d->wrapped);
	d->map.count = 0;
	ui_lines_wrap_map(&d->wrapped, &d->map, &d->lines, COLS);
	d->wrapped_cols = COLS;
}

static void
details_draw(struct ui_screen *self)
{
	struct details *d = (struct details *)self;
	const struct task *t = &d->task;
	char title[256];

	erase();
	if (!d->have_task) {
		ui_footer_keys(self);
		return;
	}
	if (t->type == TASK_DEPLOYMENT)
		snprintf(title, sizeof title, _("Deployment %s - %s"),
			 t->version, core_status_label(t->status));
	else
		snprintf(title, sizeof title, "%s", t->name);
	ui_text(0, 0, title, COLS,
		ui_attr(t->type == TASK_DEPLOYMENT ? ui_status_style(t->status)
						   : STYLE_STATUS_FAILED) |
		    A_BOLD);
	mvhline(1, 0, ACS_HLINE, COLS);
	/* Long lines (descriptions, logs) wrap rather than being cut. */
	rewrap(d);
	if (d->top >= d->wrapped.count)
		d->top = d->wrapped.count ? d->wrapped.count - 1 : 0;
	for (int r = 0; r < view_height(); r++) {
		size_t i = d->top + (size_t)r;

		if (i >= d->wrapped.count)
			break;
		ui_find_draw_row(&d->find, 2 + r, d->wrapped.items[i],
				 &d->map.items[i], COLS);
	}
	ui_footer_keys(self);
}

/* Scrolling; the table does the rest. */
static enum ui_result
details_key(struct ui_screen *self, struct ui_key k)
{
	struct details *d = (struct details *)self;

	return ui_scroll_key(k, &d->top, d->wrapped.count, view_height())
		   ? UI_STAY
		   : UI_UNHANDLED;
}

static const struct core_project *
details_project(struct ui_screen *self)
{
	struct details *d = (struct details *)self;

	return d->have_project ? &d->project : NULL;
}

static const struct task *
details_task(struct ui_screen *self)
{
	struct details *d = (struct details *)self;

	return d->have_task ? &d->task : NULL;
}

/* The logs (an incident: its description) in the person's pager. */
static enum dd_code
may_view(struct ui_screen *self, struct dd_error *err)
{
	const struct task *t = details_task(self);

	if (t && (t->type == TASK_INCIDENT || (t->logs && *t->logs)))
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s",
		       _("No logs yet: nothing to view"));
}

static enum ui_result
view_logs(struct ui_screen *self)
{
	ui_view_logs(self->app, details_task(self));
	return UI_STAY;
}

/* '/': the text to search for, asked in the footer. */
static bool
search_for(struct ui_app *app, void *data, const char *text, char *error,
	   size_t size)
{
	struct details *d = data;

	(void)error, (void)size;
	/* Enter on nothing searches again for the last text, as in less. */
	if (!*text && !d->find.text)
		return true;
	if (*text)
		ui_find_set(&d->find, &d->lines, text);
	rewrap(d);
	ui_find_step(app, &d->find, &d->map, &d->top, view_height(), 0);
	return true;
}

static enum ui_result
search(struct ui_screen *self)
{
	ui_push(self->app,
		dialog_prompt_line_new(self->app, "/", search_for, self));
	return UI_STAY;
}

static enum dd_code
may_search_again(struct ui_screen *self, struct dd_error *err)
{
	if (((struct details *)self)->find.text)
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s",
		       _("No search yet: / searches the text"));
}

static enum ui_result
search_step(struct ui_screen *self, int dir)
{
	struct details *d = (struct details *)self;

	rewrap(d);
	ui_find_step(self->app, &d->find, &d->map, &d->top, view_height(), dir);
	return UI_STAY;
}

static enum ui_result
search_next(struct ui_screen *self)
{
	return search_step(self, 1);
}

static enum ui_result
search_previous(struct ui_screen *self)
{
	return search_step(self, -1);
}

/* Esc first ends a search (its highlights go), then goes back. */
static enum ui_result
search_end(struct ui_screen *self)
{
	ui_find_clear(&((struct details *)self)->find);
	ui_message(self->app, false, "%s", _("Search ended"));
	return UI_STAY;
}

static const struct ui_binding details_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), N_("scroll"), N_("scroll"),
     NULL, NULL, false},
    /* One line of the help for both, which the screen's 24 rows need. */
    {0, false, N_("PgUp/PgDn"), NULL, NULL,
     N_("a page; Home/End, g/G: top / bottom"), NULL, NULL, false},
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
    /* One line of the help for both verbs of a version, which the
     * screen's 24 rows need. */
    {L'b', false, "b", N_("b, B"), NULL,
     N_("plan a rollback / block, unblock the version"), ui_act_rollback,
     ui_may_rollback, true},
    {L'B', false, "B", NULL, NULL, NULL, ui_act_block, ui_may_block, true},
    /* One line of the help for an incident's two verbs, which the
     * screen's 24 rows need. */
    {L'c', false, "c", N_("c, r"), N_("change status"),
     N_("change an incident's status / hand it over"), ui_act_incident_status,
     ui_may_incident_status, true},
    {L'r', false, "r", NULL, N_("hand over"), NULL, ui_act_incident_assign,
     ui_may_incident_assign, true},
    {L'v', false, "v", NULL, N_("logs"),
     N_("view the logs in your pager ($PAGER)"), view_logs, may_view, false},
    {L'/', false, "/", NULL, N_("search"),
     N_("search the text (case ignored, and accents when you type none)"),
     search, NULL, false},
    /* One line of the help for both, which the screen's 24 rows need. */
    {L'n', false, N_("n/N"), N_("n, N"), N_("next"),
     N_("next / previous match"), search_next, may_search_again, false},
    {L'N', false, "N", NULL, NULL, NULL, search_previous, may_search_again,
     false},
    /* One line of the help for the three verbs of a planned deployment,
     * which the screen's 24 rows need. C and R are capitals, as they
     * close it for good, and left out of the footer, which e stands for
     * (the footer of a project manager is full). */
    {L'e', false, "e", N_("e, C, R"), N_("edit"),
     N_("change / cancel / refuse a planned deployment"), ui_act_edit,
     ui_may_edit, true},
    {L'C', false, "C", NULL, NULL, NULL, ui_act_cancel, ui_may_cancel, true},
    {L'R', false, "R", NULL, NULL, NULL, ui_act_reject, ui_may_reject, true},
    {L'E', false, "E", NULL, N_("review"),
     N_("review an override of the policy"), ui_act_review, ui_may_review,
     true},
    {L'I', false, "I", NULL, NULL, NULL, ui_act_incidents, ui_may_incidents,
     false},
    {L'p', false, "p", NULL, NULL, N_("back to the projects"), ui_act_projects,
     NULL, false},
    {L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},
    /* One line of the help for both, which the screens' 24 rows need. */
    {L'?', false, "?", N_("?, t"), N_("help"),
     N_("this help / what waits for you (to do)"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"),
     N_("back; Esc first ends a search"), ui_act_back, NULL, false},
    /* No footer word: n/N is what the footer has room for while a
     * search is on; the help says what Esc does. */
    {27, false, N_("Esc"), NULL, NULL, NULL, search_end, may_search_again,
     false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
details_destroy(struct ui_screen *self)
{
	struct details *d = (struct details *)self;

	if (d->have_task)
		task_free(&d->task);
	if (d->have_project)
		core_project_free(&d->project);
	ui_lines_free(&d->lines);
	ui_lines_free(&d->wrapped);
	free(d->map.items);
	ui_find_clear(&d->find);
	free(d);
}

static const struct ui_screen_ops details_ops = {
    .draw = details_draw,
    .key = details_key,
    .reload = details_reload,
    .destroy = details_destroy,
    .bindings = details_keys,
    .project = details_project,
    .task = details_task,
};

struct ui_screen *
screen_details_new(struct ui_app *app, const char *task_id)
{
	struct details *d = xcalloc(1, sizeof *d);

	snprintf(d->id, sizeof d->id, "%s", task_id);
	d->base.ops = &details_ops;
	d->base.app = app;
	details_reload(&d->base);
	if (!d->have_task) {
		details_destroy(&d->base);
		return NULL;
	}
	return &d->base;
}
