/* SPDX-License-Identifier: MIT */
/* The actions the screens offer, each written once: a screen's table of
 * keys names them, and they act on what the screen shows (its project and
 * its selected or shown task). Each action's "may" asks the core's one
 * permission question, so that the footer offers only what the person may
 * do and a refused key says why in the core's words. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

static const struct core_project *
project_of(struct ui_screen *self)
{
	return self->ops->project ? self->ops->project(self) : NULL;
}

static const struct task *
task_of(struct ui_screen *self)
{
	return self->ops->task ? self->ops->task(self) : NULL;
}

/* The core's answer for a verb on the screen's task. */
static enum dd_code
may_verb(struct ui_screen *self, enum core_verb v, struct dd_error *err)
{
	const struct core_project *p = project_of(self);

	if (!p)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No project is open here"));
	return core_may(self->app->s, p,
			v == VERB_CREATE ? NULL : task_of(self), v, err);
}

enum dd_code
ui_may_details(struct ui_screen *self, struct dd_error *err)
{
	if (task_of(self))
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("Nothing selected"));
}

enum ui_result
ui_act_details(struct ui_screen *self)
{
	ui_push(self->app, screen_details_new(self->app, task_of(self)->id));
	return UI_STAY;
}

enum dd_code
ui_may_create(struct ui_screen *self, struct dd_error *err)
{
	return may_verb(self, VERB_CREATE, err);
}

enum ui_result
ui_act_create(struct ui_screen *self)
{
	ui_push(self->app,
		dialog_create_new(self->app, project_of(self)->project.id));
	return UI_STAY;
}

/* What a prompt's text did once the core had it: refused as typed, the
 * prompt stays open with the core's words under the field (returns
 * false); otherwise it closes, and the footer says done or why not. */
bool
ui_prompt_answered(struct ui_app *app, enum dd_code code,
		   const struct dd_error *err, const char *done, char *error,
		   size_t size)
{
	if (code == DD_ERR_INPUT && error) {
		snprintf(error, size, "%s", err->msg);
		return false;
	}
	if (code)
		ui_message(app, true, "%s", err->msg);
	else
		ui_message(app, false, "%s", done);
	ui_changed(app);
	return true;
}

/* The core's answer for a verb, or yes for an admin whom only the
 * project's policy refuses: an override is offered then. */
static enum dd_code
may_or_override(struct ui_screen *self, enum core_verb v, struct dd_error *err)
{
	enum dd_code code = may_verb(self, v, err);

	if (code && project_of(self) &&
	    core_may_override(self->app->s, project_of(self), task_of(self), v,
			      NULL))
		return DD_OK;
	return code;
}

/* An override asked for: the action's dialog (under the prompt) gets the
 * reason, or, for a start, the start is done with it. */
struct override_ask {
	char id[UUID_SIZE];
	int64_t row_version;
	enum core_verb verb;
	struct ui_screen *dialog; /* authorize or execute, under the prompt */
};

static bool
override_with_reason(struct ui_app *app, void *data, const char *text,
		     char *error, size_t size)
{
	const struct override_ask *o = data;
	struct dd_error err = {0};
	enum dd_code code = core_override_next(app->s, text, &err);

	if (code == DD_ERR_INPUT && error) {
		snprintf(error, size, "%s", err.msg);
		return false;
	}
	if (!code && o->dialog) {
		/* The dialog passes it when it acts. */
		core_override_next(app->s, NULL, &err);
		if (o->verb == VERB_AUTHORIZE)
			dialog_authorize_override(o->dialog, text);
		else
			dialog_execute_override(o->dialog, text);
		ui_message(app, false, "%s",
			   _("Confirm in the dialog to act with the override; "
			     "it then becomes an exception"));
		return true;
	}
	if (!code)
		code = core_deploy_start(app->s, o->id, o->row_version, &err);
	return ui_prompt_answered(app, code, &err,
				  _("Deployment started with an override: an "
				    "exception is open"),
				  error, size);
}

/* When only the policy refuses an admin: why, in the footer, and the
 * reason asked for in a prompt over the action's dialog (dialog, NULL for
 * a start). Returns whether it was asked. */
static bool
ask_override(struct ui_screen *self, enum core_verb v, struct ui_screen *dialog)
{
	const struct task *t = task_of(self);
	struct override_ask *o;
	struct dd_error err = {0};
	struct strbuf rules = STRBUF_INIT;
	char title[UI_TITLE_SIZE];

	if (may_verb(self, v, &err) == DD_OK)
		return false;
	o = xcalloc(1, sizeof *o);
	memcpy(o->id, t->id, sizeof o->id);
	o->row_version = t->row_version;
	o->verb = v;
	o->dialog = dialog;
	if (dialog)
		ui_push(self->app, dialog);
	core_may_override(self->app->s, project_of(self), t, v, &rules);
	ui_message(self->app, true, "%s", err.msg);
	/* TRANSLATORS: the policy's rules an override passes, by their
	   keys as the policy screen shows them, untranslated ("approvals
	   freeze"); then a version. */
	snprintf(title, sizeof title, _("Override the policy (%s) for %s"),
		 strbuf_str(&rules), t->version);
	strbuf_release(&rules);
	ui_push(self->app, dialog_prompt_written(dialog_prompt_new(
			       self->app, title, _("Reason"), NULL,
			       _("Keep to the policy"), _("Override it"),
			       override_with_reason, o, free)));
	return true;
}

enum dd_code
ui_may_authorize(struct ui_screen *self, struct dd_error *err)
{
	return may_or_override(self, VERB_AUTHORIZE, err);
}

enum ui_result
ui_act_authorize(struct ui_screen *self)
{
	struct ui_screen *dialog = dialog_authorize_new(
	    self->app, project_of(self), task_of(self)->id);

	if (dialog && !ask_override(self, VERB_AUTHORIZE, dialog))
		ui_push(self->app, dialog);
	return UI_STAY;
}

enum dd_code
ui_may_start(struct ui_screen *self, struct dd_error *err)
{
	return may_or_override(self, VERB_START, err);
}

/* What a confirmation carries: the task and the version the person saw,
 * so that a change made meanwhile by someone else is refused. */
struct seen {
	char id[UUID_SIZE];
	int64_t row_version;
};

static struct seen *
seen_of(const struct task *t)
{
	struct seen *w = xcalloc(1, sizeof *w);

	memcpy(w->id, t->id, sizeof w->id);
	w->row_version = t->row_version;
	return w;
}

static void
do_start(struct ui_app *app, void *data)
{
	const struct seen *w = data;
	struct dd_error err = {0};

	if (core_deploy_start(app->s, w->id, w->row_version, &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false, "%s",
			   _("Deployment started: in progress"));
	ui_changed(app);
}

enum ui_result
ui_act_start(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	char line[512];
	const char *lines[] = {line, NULL};

	if (ask_override(self, VERB_START, NULL))
		return UI_STAY;
	snprintf(line, sizeof line, _("Start deployment %s on %s now?"),
		 t->version, core_env_label(t->environment));
	ui_push(self->app, dialog_confirm_new(
			       self->app, _("Start the deployment"), lines,
			       NULL, _("Start"), do_start, seen_of(t), free));
	return UI_STAY;
}

enum dd_code
ui_may_execute(struct ui_screen *self, struct dd_error *err)
{
	return may_or_override(self, VERB_EXECUTE, err);
}

enum ui_result
ui_act_execute(struct ui_screen *self)
{
	struct ui_screen *dialog =
	    dialog_execute_new(self->app, task_of(self)->id);

	if (dialog && !ask_override(self, VERB_EXECUTE, dialog))
		ui_push(self->app, dialog);
	return UI_STAY;
}

enum dd_code
ui_may_incident(struct ui_screen *self, struct dd_error *err)
{
	const struct task *t = task_of(self);

	if (t && t->incident_id[0])
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s",
		       _("No incident: only a failed deployment has one"));
}

enum ui_result
ui_act_incident(struct ui_screen *self)
{
	ui_push(self->app,
		screen_details_new(self->app, task_of(self)->incident_id));
	return UI_STAY;
}

/* Whether an incident's verb applies to the screen's task: on a
 * deployment, where_to says where it is done (its incident), or that it
 * has none. */
static enum dd_code
may_incident_verb(struct ui_screen *self, enum core_verb v,
		  const char *where_to, struct dd_error *err)
{
	const struct task *t = task_of(self);

	if (t && t->type == TASK_DEPLOYMENT)
		return dd_fail(
		    err, DD_ERR_REFUSED, "%s",
		    t->incident_id[0]
			? where_to
			: _("This deployment has no incident: only a "
			    "failed deployment has one"));
	if (!t || t->type != TASK_INCIDENT)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No incident selected"));
	return may_verb(self, v, err);
}

enum dd_code
ui_may_incident_status(struct ui_screen *self, struct dd_error *err)
{
	return may_incident_verb(self, VERB_SET_INCIDENT,
				 _("Press i to open this deployment's "
				   "incident, then c to change its status"),
				 err);
}

/* The incident status chosen in the list of those the core allows. */
struct status_choice {
	struct seen seen;
	enum task_status statuses[STATUS_COUNT];
};

/* Closing: the note saying what was done, asked for in a prompt that
 * stays open, with the core's reason, while it is refused. */
static bool
close_with_note(struct ui_app *app, void *data, const char *text, char *error,
		size_t size)
{
	const struct seen *seen = data;
	struct dd_error err = {0};
	enum dd_code code = core_incident_set(
	    app->s, seen->id, seen->row_version, STATUS_SUCCEEDED, text, &err);
	char done[256];

	snprintf(done, sizeof done, _("The incident's status is now %s"),
		 core_stage_status_label(STATUS_SUCCEEDED));
	return ui_prompt_answered(app, code, &err, done, error, size);
}

static void
set_incident_status(struct ui_app *app, void *data, int index)
{
	const struct status_choice *c = data;
	enum task_status status = c->statuses[index];
	struct dd_error err = {0};

	if (status == STATUS_SUCCEEDED) {
		struct seen *seen = xcalloc(1, sizeof *seen);

		*seen = c->seen;
		ui_push(app,
			dialog_prompt_written(dialog_prompt_new(
			    app, _("Close the incident"), _("What was done"),
			    NULL, NULL, NULL, close_with_note, seen, free)));
		return;
	}
	if (core_incident_set(app->s, c->seen.id, c->seen.row_version, status,
			      NULL, &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false, _("The incident's status is now %s"),
			   core_stage_status_label(status));
	ui_changed(app);
}

enum ui_result
ui_act_incident_status(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	struct status_choice *c = xcalloc(1, sizeof *c);
	const char *labels[STATUS_COUNT];
	size_t n = core_incident_statuses(c->statuses);
	int current = 0;

	memcpy(c->seen.id, t->id, sizeof c->seen.id);
	c->seen.row_version = t->row_version;
	for (size_t i = 0; i < n; i++) {
		labels[i] = core_stage_status_label(c->statuses[i]);
		if (c->statuses[i] == t->status)
			current = (int)i;
	}
	ui_push(self->app, dialog_choice_new(self->app, _("Incident status"),
					     labels, (int)n, current,
					     set_incident_status, c, free));
	return UI_STAY;
}

enum dd_code
ui_may_edit(struct ui_screen *self, struct dd_error *err)
{
	const struct task *t = task_of(self);

	if (t && t->type == TASK_INCIDENT)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("An incident has no plan to change"));
	return may_verb(self, VERB_EDIT, err);
}

enum ui_result
ui_act_edit(struct ui_screen *self)
{
	ui_push(self->app, dialog_edit_new(self->app, task_of(self)));
	return UI_STAY;
}

enum dd_code
ui_may_cancel(struct ui_screen *self, struct dd_error *err)
{
	return may_verb(self, VERB_CANCEL, err);
}

enum dd_code
ui_may_reject(struct ui_screen *self, struct dd_error *err)
{
	return may_verb(self, VERB_REJECT, err);
}

/* What closing a deployment carries to its prompt. */
struct closing {
	struct seen seen;
	enum task_status how;
	char version[64];
};

/* The reason, asked for in a prompt that stays open, with the core's
 * words, while it is refused as typed. */
static bool
close_with_reason(struct ui_app *app, void *data, const char *text, char *error,
		  size_t size)
{
	const struct closing *c = data;
	struct dd_error err = {0};
	enum dd_code code = core_deploy_close(
	    app->s, c->seen.id, c->seen.row_version, c->how, text, &err);

	char done[256];

	if (c->how == STATUS_REFUSED)
		snprintf(done, sizeof done, _("Deployment %s refused"),
			 c->version);
	else
		snprintf(done, sizeof done, _("Deployment %s cancelled"),
			 c->version);
	return ui_prompt_answered(app, code, &err, done, error, size);
}

static void
ask_reason(struct ui_screen *self, enum task_status how)
{
	const struct task *t = task_of(self);
	struct closing *c = xcalloc(1, sizeof *c);
	char title[UI_TITLE_SIZE];

	memcpy(c->seen.id, t->id, sizeof c->seen.id);
	c->seen.row_version = t->row_version;
	c->how = how;
	snprintf(c->version, sizeof c->version, "%s", t->version);
	if (how == STATUS_REFUSED)
		snprintf(title, sizeof title, _("Refuse deployment %s (%s)"),
			 t->version, core_env_label(t->environment));
	else
		snprintf(title, sizeof title, _("Cancel deployment %s (%s)"),
			 t->version, core_env_label(t->environment));
	ui_push(self->app,
		dialog_prompt_written(dialog_prompt_new(
		    self->app, title, _("Reason"), NULL, _("Keep it"),
		    how == STATUS_REFUSED ? _("Refuse it") : _("Cancel it"),
		    close_with_reason, c, free)));
}

enum ui_result
ui_act_cancel(struct ui_screen *self)
{
	ask_reason(self, STATUS_CANCELLED);
	return UI_STAY;
}

enum ui_result
ui_act_reject(struct ui_screen *self)
{
	ask_reason(self, STATUS_REFUSED);
	return UI_STAY;
}

enum dd_code
ui_may_revoke(struct ui_screen *self, struct dd_error *err)
{
	return may_verb(self, VERB_REVOKE, err);
}

/* Whose approval is withdrawn, and from which deployment. */
struct withdrawal {
	struct seen seen;
	char version[64];
	char *approver; /* NULL: one's own */
	char **logins;	/* the choice's, when there was one */
	size_t count;
};

static void
withdrawal_free(void *data)
{
	struct withdrawal *w = data;

	for (size_t i = 0; i < w->count; i++)
		free(w->logins[i]);
	free(w->logins);
	free(w);
}

static bool
revoke_with_reason(struct ui_app *app, void *data, const char *text,
		   char *error, size_t size)
{
	const struct withdrawal *w = data;
	struct dd_error err = {0};
	enum dd_code code = core_deploy_revoke(
	    app->s, w->seen.id, w->seen.row_version, w->approver, text, &err);

	char done[256];

	if (w->approver)
		snprintf(done, sizeof done, _("Approval of %s withdrawn"),
			 w->approver);
	else
		snprintf(done, sizeof done, "%s",
			 _("Your approval is withdrawn"));
	return ui_prompt_answered(app, code, &err, done, error, size);
}

static void
ask_revoke_reason(struct ui_app *app, struct withdrawal *w)
{
	char title[UI_TITLE_SIZE];

	/* Whose, always: one's own, or the one person's an admin or the
	 * project's manager takes away. */
	if (w->approver)
		/* TRANSLATORS: a login, then a version. */
		snprintf(title, sizeof title,
			 _("Withdraw the approval of %s from %s"), w->approver,
			 w->version);
	else
		snprintf(title, sizeof title, _("Withdraw your approval of %s"),
			 w->version);
	ui_push(app,
		dialog_prompt_written(dialog_prompt_new(
		    app, title, _("Reason"), NULL, _("Keep the approval"),
		    _("Withdraw it"), revoke_with_reason, w, withdrawal_free)));
}

static void
chosen_approver(struct ui_app *app, void *data, int index)
{
	struct withdrawal *w = data, *copy = xcalloc(1, sizeof *copy);

	copy->seen = w->seen;
	snprintf(copy->version, sizeof copy->version, "%s", w->version);
	/* The login moves to the copy, which frees it. */
	copy->logins = xcalloc(1, sizeof *copy->logins);
	copy->logins[0] = w->logins[index];
	copy->count = 1;
	copy->approver = copy->logins[0];
	w->logins[index] = NULL;
	ask_revoke_reason(app, copy);
}

/* One's own approval; else, for an admin or the project's manager, the
 * only one, or the one chosen among them. */
enum ui_result
ui_act_revoke(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	struct core_approvals a;
	struct dd_error err = {0};
	struct withdrawal *w = xcalloc(1, sizeof *w);
	const char **labels;
	bool mine = false;

	memcpy(w->seen.id, t->id, sizeof w->seen.id);
	w->seen.row_version = t->row_version;
	snprintf(w->version, sizeof w->version, "%s", t->version);
	if (core_deploy_approvals(self->app->s, project_of(self), t, &a,
				  &err) != DD_OK) {
		ui_message(self->app, true, "%s", err.msg);
		free(w);
		return UI_STAY;
	}
	for (size_t i = 0; i < a.list.count; i++)
		mine =
		    mine || a.list.items[i].by.id == core_me(self->app->s)->id;
	w->logins = xcalloc(a.list.count + 1, sizeof *w->logins);
	for (size_t i = 0; i < a.list.count; i++)
		w->logins[w->count++] = xstrdup(a.list.items[i].by.login);
	if (mine || a.list.count == 1) {
		w->approver = mine ? NULL : w->logins[0];
		ask_revoke_reason(self->app, w);
	} else {
		labels = xcalloc(a.list.count + 1, sizeof *labels);
		for (size_t i = 0; i < a.list.count; i++)
			labels[i] = a.list.items[i].by.full_name;
		ui_push(self->app,
			dialog_choice_new(self->app, _("Whose approval"),
					  labels, (int)a.list.count, 0,
					  chosen_approver, w, withdrawal_free));
		free(labels);
	}
	core_approvals_free(&a);
	return UI_STAY;
}

enum dd_code
ui_may_rollback(struct ui_screen *self, struct dd_error *err)
{
	const struct task *t = task_of(self);

	if (!t || t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No deployment selected"));
	return may_verb(self, VERB_CREATE, err);
}

static void
do_rollback(struct ui_app *app, void *data)
{
	const struct seen *w = data;
	struct dd_error err = {0};
	char id[UUID_SIZE];

	if (core_deploy_rollback(app->s, w->id, id, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
	} else {
		/* The new plan, selected in the history. */
		snprintf(app->select_id, sizeof app->select_id, "%s", id);
		ui_message(app, false, "%s",
			   _("Rollback planned: it goes through the same "
			     "approvals"));
	}
	ui_changed(app);
}

enum ui_result
ui_act_rollback(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	struct dd_error err = {0};
	char line[512], more[512], *version, *replaced = NULL;
	const char *lines[] = {line, NULL, NULL};

	/* Asked only when it can be done, naming the version planned. */
	if (core_deploy_rollback_version(self->app->s, t->id, &version, &err) !=
	    DD_OK) {
		ui_message(self->app, true, "%s", err.msg);
		return UI_STAY;
	}
	/* And what it would replace, when that came after. */
	if (core_deploy_rollback_replaces(self->app->s, t->id, &replaced,
					  &err) == DD_OK &&
	    replaced) {
		snprintf(more, sizeof more,
			 _("%s succeeded there after %s: it would be "
			   "replaced."),
			 replaced, t->version);
		lines[1] = more;
	}
	free(replaced);
	if (t->executed_at[0])
		snprintf(line, sizeof line,
			 _("Plan %s now, on %s: the version that was running "
			   "there when %s was executed?"),
			 version, core_env_label(t->environment), t->version);
	else
		snprintf(line, sizeof line,
			 _("Plan %s now, on %s: the version that runs there, "
			   "which %s would replace?"),
			 version, core_env_label(t->environment), t->version);
	free(version);
	ui_push(self->app, dialog_confirm_new(self->app, _("Plan a rollback"),
					      lines, NULL, _("Plan it"),
					      do_rollback, seen_of(t), free));
	return UI_STAY;
}

/* A version of a project, as a block or unblock names it. */
struct version_ref {
	char project_id[UUID_SIZE];
	char version[64];
};

static struct version_ref *
version_ref_new(const char *project_id, const char *version)
{
	struct version_ref *v = xcalloc(1, sizeof *v);

	snprintf(v->project_id, sizeof v->project_id, "%s", project_id);
	snprintf(v->version, sizeof v->version, "%s", version);
	return v;
}

static bool
block_with_reason(struct ui_app *app, void *data, const char *text, char *error,
		  size_t size)
{
	const struct version_ref *v = data;
	struct dd_error err = {0};
	enum dd_code code =
	    core_version_block(app->s, v->project_id, v->version, text, &err);
	char done[128];

	snprintf(done, sizeof done, _("Version %s blocked"), v->version);
	if (!code)
		ui_changed(app);
	return ui_prompt_answered(app, code, &err, done, error, size);
}

void
ui_block_prompt(struct ui_app *app, const char *title, const char *project_id,
		const char *version, const char *cancel)
{
	ui_push(app, dialog_prompt_written(dialog_prompt_new(
			 app, title, _("Reason"), NULL, cancel, _("Block it"),
			 block_with_reason,
			 version_ref_new(project_id, version), free)));
}

static void
do_unblock(struct ui_app *app, void *data)
{
	const struct version_ref *v = data;
	struct dd_error err = {0};

	if (core_version_unblock(app->s, v->project_id, v->version, &err))
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false, _("Version %s unblocked"), v->version);
	ui_changed(app);
}

enum dd_code
ui_may_block(struct ui_screen *self, struct dd_error *err)
{
	const struct task *t = task_of(self);

	if (!t || t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No deployment selected"));
	if (!project_of(self))
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No project is open here"));
	return core_may_block_versions(project_of(self), err);
}

enum ui_result
ui_act_block(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	const struct core_project *p = project_of(self);
	char title[UI_TITLE_SIZE], line[UI_TITLE_SIZE];
	const char *lines[] = {line, NULL};

	if (!core_version_blocked(p, t->version)) {
		snprintf(title, sizeof title, _("Block version %s"),
			 t->version);
		ui_block_prompt(self->app, title, p->project.id, t->version,
				NULL);
		return UI_STAY;
	}
	snprintf(title, sizeof title, _("Unblock version %s"), t->version);
	snprintf(line, sizeof line,
		 _("Version %s is blocked. Unblocked, it may again be "
		   "planned, approved and started."),
		 t->version);
	ui_push(self->app,
		dialog_confirm_new(
		    self->app, title, lines, NULL, _("Unblock it"), do_unblock,
		    version_ref_new(p->project.id, t->version), free));
	return UI_STAY;
}

enum dd_code
ui_may_review(struct ui_screen *self, struct dd_error *err)
{
	struct exception e;
	struct exception_list one = {&e, 1};
	enum dd_code code;

	if (!project_of(self))
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No project is open here"));
	code = core_exception_to_review(self->app->s, project_of(self),
					task_of(self), &e, err);
	if (!code) {
		one.items = xcalloc(1, sizeof *one.items);
		one.items[0] = e;
		exception_list_free(&one);
	}
	return code;
}

static bool
review_with_note(struct ui_app *app, void *data, const char *text, char *error,
		 size_t size)
{
	const int64_t *id = data;
	struct dd_error err = {0};
	enum dd_code code = core_exception_review(app->s, *id, text, &err);

	return ui_prompt_answered(app, code, &err, _("Exception reviewed"),
				  error, size);
}

enum ui_result
ui_act_review(struct ui_screen *self)
{
	struct exception e;
	struct exception_list one = {NULL, 1};
	struct dd_error err = {0};
	int64_t *id;
	char title[UI_TITLE_SIZE];

	if (core_exception_to_review(self->app->s, project_of(self),
				     task_of(self), &e, &err) != DD_OK) {
		ui_message(self->app, true, "%s", err.msg);
		return UI_STAY;
	}
	id = xcalloc(1, sizeof *id);
	*id = e.id;
	/* TRANSLATORS: an exception's id, the rules its override passed,
	   and who overrode. */
	snprintf(title, sizeof title, _("Review exception %lld (%s, by %s)"),
		 (long long)e.id, e.rules, e.opened_by.login);
	/* TRANSLATORS: the override's reason, shown while its review is
	   asked for. */
	ui_message(self->app, false, _("Reason of the override: %s"), e.reason);
	one.items = xcalloc(1, sizeof *one.items);
	one.items[0] = e;
	exception_list_free(&one);
	ui_push(self->app,
		dialog_prompt_new(self->app, title, _("Note"), NULL, NULL,
				  _("Review it"), review_with_note, id, free));
	return UI_STAY;
}

enum dd_code
ui_may_incident_assign(struct ui_screen *self, struct dd_error *err)
{
	return may_incident_verb(self, VERB_ASSIGN_INCIDENT,
				 _("Press i to open this deployment's "
				   "incident, then r to hand it to someone "
				   "else"),
				 err);
}

/* The person chosen among those who may answer for the incident. */
struct person_choice {
	struct seen seen;
	struct member *members;
	size_t count;
};

static void
person_choice_free(void *data)
{
	struct person_choice *c = data;

	for (size_t i = 0; i < c->count; i++)
		member_free(&c->members[i]);
	free(c->members);
	free(c);
}

static void
assign_incident(struct ui_app *app, void *data, int index)
{
	const struct person_choice *c = data;
	const struct member *m = &c->members[index];
	struct dd_error err = {0};

	if (core_incident_assign(app->s, c->seen.id, c->seen.row_version,
				 m->login, &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		ui_message(app, false,
			   _("The incident is now in the hands of %s"),
			   m->full_name);
	ui_changed(app);
}

enum ui_result
ui_act_incident_assign(struct ui_screen *self)
{
	const struct task *t = task_of(self);
	struct person_choice *c = xcalloc(1, sizeof *c);
	struct dd_error err = {0};
	char **labels;
	int current = 0;

	memcpy(c->seen.id, t->id, sizeof c->seen.id);
	c->seen.row_version = t->row_version;
	if (core_responsible_list(self->app->s, project_of(self), &c->members,
				  &c->count, &err) != DD_OK ||
	    c->count == 0) {
		ui_message(self->app, true, "%s",
			   c->count ? err.msg
				    : _("No member of the project may answer "
					"for it"));
		person_choice_free(c);
		return UI_STAY;
	}
	labels = xcalloc(c->count, sizeof *labels);
	for (size_t i = 0; i < c->count; i++) {
		if (asprintf(&labels[i], "%s (%s)", c->members[i].full_name,
			     core_role_label(c->members[i].role,
					     c->members[i].senior)) < 0)
			labels[i] = xstrdup(c->members[i].full_name);
		if (c->members[i].user == t->responsible.id)
			current = (int)i;
	}
	ui_push(self->app,
		dialog_choice_new(self->app, _("Responsible person"),
				  (const char *const *)labels, (int)c->count,
				  current, assign_incident, c,
				  person_choice_free));
	for (size_t i = 0; i < c->count; i++)
		free(labels[i]);
	free(labels);
	return UI_STAY;
}

enum dd_code
ui_may_incidents(struct ui_screen *self, struct dd_error *err)
{
	if (project_of(self))
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s", _("No project is open here"));
}

/* The project's incidents: the list below, when it is there (from its
 * details), or a new one. */
enum ui_result
ui_act_incidents(struct ui_screen *self)
{
	struct ui_app *app = self->app;
	char id[UUID_SIZE];

	memcpy(id, project_of(self)->project.id, sizeof id);
	for (int i = app->depth - 1; i >= 0; i--) {
		struct ui_screen *scr = app->stack[i];

		if (ui_screen_is_incidents(scr) &&
		    strcmp(scr->ops->project(scr)->project.id, id) == 0) {
			while (app->depth > i + 1)
				ui_pop(app);
			return UI_STAY;
		}
	}
	ui_push(app, screen_incidents_new(app, id));
	return UI_STAY;
}

/* Back to the project picker: the one below, or a new one. */
/* Back to the screen below that is, closing those above it; false when
 * there is none. */
static bool
pop_to(struct ui_app *app, bool (*is)(const struct ui_screen *scr))
{
	for (int i = app->depth - 1; i >= 0; i--)
		if (is(app->stack[i])) {
			while (app->depth > i + 1)
				ui_pop(app);
			return true;
		}
	return false;
}

enum ui_result
ui_act_projects(struct ui_screen *self)
{
	struct ui_app *app = self->app;

	if (pop_to(app, ui_screen_is_picker))
		return UI_STAY;
	while (app->depth > 0)
		ui_pop(app);
	ui_push(app, screen_projects_new(app));
	return UI_STAY;
}

enum ui_result
ui_act_inbox(struct ui_screen *self)
{
	struct ui_app *app = self->app;

	/* Above the screen it is asked from, so that q comes back to it. */
	if (!ui_screen_is_inbox(self))
		ui_push(app, screen_inbox_new(app));
	return UI_STAY;
}

enum ui_result
ui_act_trail(struct ui_screen *self)
{
	ui_push(self->app,
		screen_trail_new(self->app, project_of(self)->project.id));
	return UI_STAY;
}

enum ui_result
ui_act_members(struct ui_screen *self)
{
	ui_push(self->app,
		screen_members_new(self->app, project_of(self)->project.id));
	return UI_STAY;
}

enum ui_result
ui_act_metrics(struct ui_screen *self)
{
	ui_push(self->app, screen_metrics_new(self->app, project_of(self)));
	return UI_STAY;
}

enum ui_result
ui_act_envs(struct ui_screen *self)
{
	struct ui_app *app = self->app;

	if (!ui_screen_is_envs(self))
		ui_push(app, screen_envs_new(app));
	return UI_STAY;
}

enum ui_result
ui_act_back(struct ui_screen *self)
{
	(void)self;
	return UI_POP;
}

enum dd_code
ui_may_back(struct ui_screen *self, struct dd_error *err)
{
	if (self != self->app->stack[0])
		return DD_OK;
	return dd_fail(err, DD_ERR_REFUSED, "%s",
		       _("No screen to go back to: q quits"));
}

enum ui_result
ui_act_quit(struct ui_screen *self)
{
	(void)self;
	return UI_QUIT;
}
