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
	struct ui_lines lines;	 /* as built: one per field or text line */
	struct ui_lines wrapped; /* as shown: cut to the screen's width */
	int wrapped_cols;
	size_t top;
};

static const char *const details_help[] = {
    N_("Up/Down, j/k"),
    N_("scroll"),
    N_("PgUp/PgDn"),
    N_("scroll a page"),
    N_("Home/End, g/G"),
    N_("top / bottom"),
    N_("a, s, x"),
    N_("authorize, start, execute (deployments)"),
    N_("i"),
    N_("the incident of a failed deployment"),
    N_("c"),
    N_("change the status (incidents)"),
    N_("v"),
    N_("view the logs in your pager ($PAGER)"),
    N_("q, Esc"),
    N_("back"),
    NULL,
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

static void
build_lines(struct details *d)
{
	struct ui_lines *l = &d->lines;
	const struct task *t = &d->task;
	struct audit_list audit;
	struct dd_error err = {0};
	char buf[256];
	int64_t after = 0;

	ui_lines_free(l);
	if (t->type == TASK_DEPLOYMENT) {
		field(l, _("Version"), t->version);
		snprintf(buf, sizeof buf, "%s (%s)",
			 core_env_label(t->environment),
			 env_code(t->environment));
		field(l, _("Environment"), buf);
		field(l, _("Status"), core_status_label(t->status));
		ui_date(t->planned_at, buf, sizeof buf);
		field(l, _("Planned date"), buf);
		person_field(l, _("Responsible"), &t->responsible, NULL);
		person_field(l, _("Created by"), &t->created_by, t->created_at);
		person_field(l, _("Authorized by"), &t->authorized_by,
			     t->authorized_at);
		person_field(l, _("Started by"), &t->started_by, t->started_at);
		person_field(l, _("Executed by"), &t->executed_by,
			     t->executed_at);
		if (t->incident_id[0])
			field(l, _("Incident"), t->incident_id);
		field(l, _("Id"), t->id);
		ui_lines_add(l, "");
		ui_lines_add(l, _("Description"));
		ui_lines_add_text(l, "  ", t->description);
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
		field(l, _("Deployment"), t->source_task);
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
		for (size_t i = 0; i < audit.count; i++) {
			const struct audit_record *r = &audit.items[i];

			ui_date(r->ts, buf, sizeof buf);
			ui_lines_addf(l, "  #%lld %s %s %s", (long long)r->seq,
				      buf, r->login, r->action);
			if (r->before)
				ui_lines_addf(l, "      %s %s", _("before:"),
					      r->before);
			if (r->after)
				ui_lines_addf(l, "      %s %s", _("after:"),
					      r->after);
			after = r->seq;
		}
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
	build_lines(d);
	d->wrapped_cols = 0;
}

static int
view_height(void)
{
	return LINES - 4;
}

/* The keys that apply to this task for this person. */
static void
detail_keys(struct details *d, char *out, size_t size)
{
	struct core_session *s = d->base.app->s;
	const struct task *t = &d->task;
	struct core_project p;
	struct dd_error err = {0};
	size_t n = (size_t)snprintf(out, size, " %s", _("j/k scroll"));

	if (t->type == TASK_INCIDENT) {
		if (core_incident_may_set(s, t, NULL) == DD_OK)
			n += (size_t)snprintf(out + n, size - n, "  %s",
					      _("c change status"));
	} else if (core_project_open(s, t->project_id, &p, &err) == DD_OK) {
		if (core_deploy_may(s, &p, t, ACTION_AUTHORIZE, NULL) == DD_OK)
			n += (size_t)snprintf(out + n, size - n, "  %s",
					      _("a authorize"));
		if (core_deploy_may(s, &p, t, ACTION_EXECUTE, NULL) == DD_OK) {
			if (core_deploy_may_start(s, &p, t, NULL) == DD_OK)
				n += (size_t)snprintf(out + n, size - n, "  %s",
						      _("s start"));
			n += (size_t)snprintf(out + n, size - n, "  %s",
					      _("x execute"));
		}
		if (t->incident_id[0])
			n += (size_t)snprintf(out + n, size - n, "  %s",
					      _("i incident"));
		core_project_free(&p);
	}
	if (n < size && (t->type == TASK_INCIDENT || (t->logs && *t->logs)))
		n += (size_t)snprintf(out + n, size - n, "  %s", _("v logs"));
	if (n < size)
		snprintf(out + n, size - n, "  %s", _("q back"));
}

static void
details_draw(struct ui_screen *self)
{
	struct details *d = (struct details *)self;
	const struct task *t = &d->task;
	char title[256], keys[256];

	erase();
	if (!d->have_task) {
		ui_footer(self->app, _(" q back"));
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
	if (d->wrapped_cols != COLS) {
		ui_lines_free(&d->wrapped);
		ui_lines_wrap(&d->wrapped, &d->lines, COLS);
		d->wrapped_cols = COLS;
	}
	if (d->top >= d->wrapped.count)
		d->top = d->wrapped.count ? d->wrapped.count - 1 : 0;
	for (int r = 0; r < view_height(); r++) {
		size_t i = d->top + (size_t)r;

		if (i >= d->wrapped.count)
			break;
		ui_text(2 + r, 0, d->wrapped.items[i], COLS, A_NORMAL);
	}
	detail_keys(d, keys, sizeof keys);
	ui_footer(self->app, keys);
}

static void
set_incident_status(struct ui_app *app, void *data, int index)
{
	struct details *d = data;
	static const enum task_status order[] = {
	    STATUS_PLANNED, STATUS_IN_PROGRESS, STATUS_SUCCEEDED};
	struct dd_error err = {0};

	if (core_incident_set(app->s, d->task.id, d->task.row_version,
			      order[index], &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false, _("Incident is now: %s"),
			   core_stage_status_label(order[index]));
	ui_changed(app);
}

static enum ui_result
details_key(struct ui_screen *self, struct ui_key k)
{
	struct details *d = (struct details *)self;
	struct ui_app *app = self->app;
	struct dd_error err = {0};
	struct core_project p;

	if (ui_scroll_key(k, &d->top, d->wrapped.count, view_height()))
		return UI_STAY;
	if (k.function || !d->have_task)
		return (!k.function && (k.code == L'q' || k.code == 27))
			   ? UI_POP
			   : UI_STAY;
	app->message[0] = '\0';
	switch (k.code) {
	case L'q':
	case 27:
		return UI_POP;
	case L'i':
		if (d->task.incident_id[0])
			ui_push(app,
				screen_details_new(app, d->task.incident_id));
		else if (d->task.type == TASK_DEPLOYMENT)
			ui_message(app, true, "%s",
				   _("No incident: only a failed deployment "
				     "has one."));
		return UI_STAY;
	case L'v':
		ui_view_logs(app, &d->task);
		return UI_STAY;
	case L'c':
		if (d->task.type != TASK_INCIDENT)
			return UI_STAY;
		if (core_incident_may_set(app->s, &d->task, &err) != DD_OK) {
			ui_message(app, true, "%s", err.msg);
		} else {
			const char *labels[] = {
			    core_stage_status_label(STATUS_PLANNED),
			    core_stage_status_label(STATUS_IN_PROGRESS),
			    core_stage_status_label(STATUS_SUCCEEDED)};
			int cur = d->task.status == STATUS_IN_PROGRESS ? 1
				  : d->task.status == STATUS_SUCCEEDED ? 2
								       : 0;

			ui_push(app, dialog_choice_new(
					 app, _("Incident status"), labels, 3,
					 cur, set_incident_status, d, NULL));
		}
		return UI_STAY;
	case L'a':
	case L'x':
	case L's':
		if (d->task.type != TASK_DEPLOYMENT)
			return UI_STAY;
		if (core_project_open(app->s, d->task.project_id, &p, &err) ||
		    (k.code == L's'
			 ? core_deploy_may_start(app->s, &p, &d->task, &err)
			 : core_deploy_may(app->s, &p, &d->task,
					   k.code == L'a' ? ACTION_AUTHORIZE
							  : ACTION_EXECUTE,
					   &err))) {
			ui_message(app, true, "%s", err.msg);
		} else if (k.code == L'a') {
			ui_push(app, dialog_authorize_new(app, d->task.id));
		} else if (k.code == L'x') {
			ui_push(app, dialog_execute_new(app, d->task.id));
		} else if (core_deploy_start(app->s, d->task.id,
					     d->task.row_version, &err)) {
			ui_message(app, true, "%s", err.msg);
		} else {
			ui_message(app, false, "%s",
				   _("Deployment started: in progress."));
			ui_changed(app);
		}
		core_project_free(&p);
		return UI_STAY;
	}
	return UI_STAY;
}

static void
details_destroy(struct ui_screen *self)
{
	struct details *d = (struct details *)self;

	if (d->have_task)
		task_free(&d->task);
	ui_lines_free(&d->lines);
	ui_lines_free(&d->wrapped);
	free(d);
}

struct ui_screen *
screen_details_new(struct ui_app *app, const char *task_id)
{
	struct details *d = xcalloc(1, sizeof *d);

	snprintf(d->id, sizeof d->id, "%s", task_id);
	d->base.app = app;
	d->base.draw = details_draw;
	d->base.key = details_key;
	d->base.reload = details_reload;
	d->base.destroy = details_destroy;
	d->base.help = details_help;
	details_reload(&d->base);
	if (!d->have_task) {
		details_destroy(&d->base);
		return NULL;
	}
	return &d->base;
}
