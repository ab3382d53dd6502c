/* SPDX-License-Identifier: MIT */
/* "Exécuter le Déploiement": version, environment, who authorized it; the
 * logs, typed, pasted or loaded from a file (Ctrl-O); then success, or
 * failure after a confirmation, which shows the incident it opened. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/charset.h"
#include "util/i18n.h"
#include "util/readfile.h"

enum { F_LOGS, F_CANCEL, F_SUCCESS, F_FAILURE, F_COUNT };

struct execute {
	struct ui_screen base;
	struct task task;
	struct ui_form form;
	struct core_logs loaded; /* the last file loaded, as imported */
	bool append;		 /* Ctrl-O adds to the logs already there */
	char error[1400];
	char *override; /* an admin's reason to pass the policy, or NULL */
};

/* Whether the logs field holds anything that would be lost. */
static bool
has_logs(const struct execute *e)
{
	return e->form.fields[F_LOGS].len > 0;
}

static int
logs_rows(void)
{
	return LINES - 14 > 3 ? LINES - 14 : 3;
}

static void
execute_draw(struct ui_screen *self)
{
	struct execute *e = (struct execute *)self;
	const struct task *t = &e->task;
	int w = COLS - 4 < 100 ? COLS - 4 : 100, h, y, x, r;

	e->form.fields[F_LOGS].lines = logs_rows();
	h = ui_form_height(&e->form, w - 4) + 7;
	y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w, _("Execute the deployment"));
	r = y + 1;
	ui_label_value(r++, x + 2, w - 4, _("Version:"), 16, t->version,
		       A_NORMAL);
	ui_label_value(r++, x + 2, w - 4, _("Environment:"), 16,
		       core_env_label(t->environment),
		       ui_attr(ui_env_style(t->environment)));
	ui_label_value(r++, x + 2, w - 4, _("Authorized by:"), 16,
		       t->authorized_by.full_name ? t->authorized_by.full_name
						  : "-",
		       A_NORMAL);
	ui_text(r++, x + 2, e->error, w - 4, ui_attr(STYLE_ERROR));
	ui_form_draw(self->app, &e->form, r, x + 2, w - 4);
	ui_form_footer(self->app, &e->form, _("Ctrl-O load a file"));
}

static void
open_incident(struct ui_app *app, void *data)
{
	ui_push(app, screen_details_new(app, data));
}

static void
show_incident(struct ui_app *app, const char *incident_id)
{
	struct dd_error err = {0};
	struct task inc;
	char l1[300], l2[300], l3[300];
	const char *lines[] = {l1, l2, l3, NULL};

	if (core_incident_find(app->s, incident_id, &inc, &err) != DD_OK)
		return;
	snprintf(l1, sizeof l1, "%s", inc.name);
	snprintf(l2, sizeof l2, "%s %s, %s %s", _("Priority:"),
		 core_priority_label(inc.priority), _("assigned to"),
		 inc.responsible.full_name);
	snprintf(l3, sizeof l3, "%s %.8s", _("Id:"), inc.id);
	task_free(&inc);
	ui_push(app,
		dialog_confirm_new(app, _("Incident created"), lines,
				   _("Close"), _("See the incident"),
				   open_incident, xstrdup(incident_id), free));
}

/* The logs as they will be recorded: those loaded from a file and left
 * as they were keep their origin (encoding, digest of the file) for the
 * audit trail; otherwise the field's text, in *text (caller frees). */
static const struct core_logs *
logs_to_record(struct execute *e, char **text, struct core_logs *typed)
{
	*text = ui_field_text(&e->form.fields[F_LOGS]);
	*typed = (struct core_logs){.text = *text, .len = strlen(*text)};
	if (e->loaded.text && strcmp(e->loaded.text, *text) == 0)
		return &e->loaded;
	return typed;
}

/* An error about the logs goes under them, with the cursor there to
 * correct them; any other above the form. */
static void
show_error(struct execute *e, enum dd_code code, const char *msg)
{
	struct ui_field *logs = &e->form.fields[F_LOGS];

	if (code == DD_ERR_INPUT) {
		snprintf(logs->error, sizeof logs->error, "%s", msg);
		e->form.focus = F_LOGS;
	} else {
		snprintf(e->error, sizeof e->error, "%s", msg);
	}
}

/* Whether the logs may be recorded, asked before the confirmation: a
 * question that can only end in a refusal is not asked. */
static bool
logs_ready(struct execute *e)
{
	struct core_logs typed;
	const struct core_logs *logs;
	struct dd_error err = {0};
	char *text;
	enum dd_code code;

	ui_form_clear_errors(&e->form);
	e->error[0] = '\0';
	logs = logs_to_record(e, &text, &typed);
	code = core_logs_check(logs->text, logs->len, &err);
	free(text);
	if (code)
		show_error(e, code, err.msg);
	return code == DD_OK;
}

/* Records the outcome; returns true when done (the dialog closes). */
static bool
record(struct execute *e, bool failed, char incident[UUID_SIZE])
{
	struct ui_app *app = e->base.app;
	struct core_logs typed;
	struct dd_error err = {0};
	char *text = NULL;
	enum dd_code code = DD_OK;

	if (e->override)
		code = core_override_next(app->s, e->override, &err);
	if (!code)
		code = core_deploy_record(
		    app->s, e->task.id, e->task.row_version,
		    failed ? STATUS_FAILED : STATUS_SUCCEEDED,
		    logs_to_record(e, &text, &typed), incident, &err);
	free(text);
	ui_changed(app);
	if (code) {
		show_error(e, code, err.msg);
		return false;
	}
	if (failed)
		ui_message(app, true,
			   _("Deployment %s failed: incident %.8s "
			     "opened for %s"),
			   e->task.version, incident,
			   e->task.responsible.full_name);
	else
		ui_message(app, false, _("Deployment %s succeeded"),
			   e->task.version);
	return true;
}

/* After a confirmation (the execute dialog is on top again). */
static void
confirm_success(struct ui_app *app, void *data)
{
	if (record(data, false, NULL))
		ui_pop(app);
}

static void
confirm_failure(struct ui_app *app, void *data)
{
	struct execute *e = data;
	char incident[UUID_SIZE], title[256], project_id[UUID_SIZE];
	char version[64];

	if (!record(e, true, incident))
		return;
	memcpy(project_id, e->task.project_id, sizeof project_id);
	snprintf(version, sizeof version, "%s", e->task.version);
	ui_pop(app);
	show_incident(app, incident);
	/* A failed version may be blocked at once, for whoever may: the
	 * offer comes over the incident, Esc declines it. */
	if (!core_may_block(app->s, project_id, version))
		return;
	snprintf(title, sizeof title, _("Block version %s too?"), version);
	ui_block_prompt(app, title, project_id, version, _("Do not block it"));
}

static bool
load_file(struct ui_app *app, void *data, const char *path, char *error,
	  size_t size)
{
	struct execute *e = data;
	struct strbuf raw = STRBUF_INIT;
	struct strbuf name = STRBUF_INIT;
	struct core_logs loaded = {0};
	const char *encoding = NULL;
	struct dd_error err = {0};
	enum dd_code code;

	if (!*path) {
		snprintf(error, size, "%s", _("file: required, but empty"));
		return false;
	}
	/* Typed text is UTF-8; the file system's names are in the
	 * terminal's codeset. */
	if (!charset_locale_is_utf8() &&
	    charset_from_utf8(path, strlen(path), charset_locale(), &name))
		path = strbuf_str(&name);
	/* For read_file_limit "-" is standard input, here the terminal the
	 * screens read keys from: it would never end. A file named "-". */
	if (strcmp(path, "-") == 0)
		path = "./-";
	code = read_file_limit(path, CORE_LOGS_MAX, &raw, &err);
	if (!code && raw.len > CORE_LOGS_MAX)
		code = dd_fail(&err, DD_ERR_INPUT,
			       _("logs file %s: over %d bytes, the limit"),
			       path, CORE_LOGS_MAX);
	if (!code)
		code = core_logs_import(strbuf_str(&raw), raw.len, NULL,
					&loaded, &err);
	if (code) {
		/* The prompt stays open with the reason, to correct the
		 * path; nothing goes into the logs. */
		snprintf(error, size, "%s", err.msg);
	} else if (e->append && has_logs(e)) {
		encoding = loaded.encoding;
		char *typed = ui_field_text(&e->form.fields[F_LOGS]);
		struct strbuf both = STRBUF_INIT;

		strbuf_addstr(&both, typed);
		if (both.len && both.buf[both.len - 1] != '\n')
			strbuf_addch(&both, '\n');
		strbuf_add(&both, loaded.text, loaded.len);
		ui_field_set_text(&e->form.fields[F_LOGS], strbuf_str(&both));
		/* Mixed with typed text: no longer the file's bytes. */
		core_logs_free(&e->loaded);
		core_logs_free(&loaded);
		strbuf_release(&both);
		free(typed);
	} else {
		core_logs_free(&e->loaded);
		e->loaded = loaded;
		encoding = loaded.encoding;
		ui_field_set_text(&e->form.fields[F_LOGS], e->loaded.text);
	}
	if (!code) {
		e->error[0] = '\0';
		ui_message(app, false,
			   ngettext_("Loaded %zu byte of logs (%s)",
				     "Loaded %zu bytes of logs (%s)",
				     (unsigned long)raw.len),
			   raw.len, encoding ? encoding : "UTF-8");
	}
	strbuf_release(&raw);
	strbuf_release(&name);
	return code == DD_OK;
}

static void
open_file_prompt(struct ui_app *app, struct execute *e)
{
	ui_push(app,
		dialog_prompt_new(app, _("Load logs from a file"), _("File"),
				  "", NULL, NULL, load_file, e, NULL));
}

/* Ctrl-O over logs already there: add the file after them, or put it in
 * their place. */
static void
choose_load(struct ui_app *app, void *data, int index)
{
	struct execute *e = data;

	if (index == 2)
		return;
	e->append = index == 0;
	open_file_prompt(app, e);
}

/* Esc or Cancel: logs typed or loaded are not thrown away without a
 * question. */
static enum ui_result
leave(struct execute *e)
{
	if (!has_logs(e))
		return UI_POP;
	ui_ask_discard(e->base.app, _("Discard the logs?"),
		       _("The logs typed or loaded here will be lost."));
	return UI_STAY;
}

static enum ui_result
execute_key(struct ui_screen *self, struct ui_key k)
{
	struct execute *e = (struct execute *)self;
	struct ui_app *app = self->app;
	enum ui_form_event ev;
	char line[512];
	const char *lines[3] = {line, NULL, NULL};

	if (!k.function && k.code == 15) { /* Ctrl-O */
		static const char *choices[3];

		choices[0] = _("Add the file after the logs here");
		choices[1] = _("Replace the logs here with the file");
		choices[2] = _("Cancel");
		if (!has_logs(e)) {
			e->append = false;
			open_file_prompt(app, e);
		} else {
			ui_push(app, dialog_choice_new(
					 app, _("Load logs from a file"),
					 choices, 3, 0, choose_load, e, NULL));
		}
		return UI_STAY;
	}
	ev = ui_form_key(&e->form, k);
	if (ev == UI_FORM_EDIT)
		ui_form_edit(app, &e->form);
	if (ev == UI_FORM_CANCEL ||
	    (ev == UI_FORM_PRESS && e->form.focus == F_CANCEL))
		return leave(e);
	if (ev != UI_FORM_PRESS || !logs_ready(e))
		return UI_STAY;
	/* Either outcome is confirmed, naming what is recorded. */
	if (e->form.focus == F_SUCCESS) {
		snprintf(line, sizeof line,
			 _("Record deployment %s on %s as SUCCEEDED?"),
			 e->task.version, core_env_label(e->task.environment));
		ui_push(app,
			dialog_confirm_new(app, _("Confirm the success"), lines,
					   NULL, _("Mark as succeeded"),
					   confirm_success, e, NULL));
		return UI_STAY;
	}
	snprintf(line, sizeof line, _("Record deployment %s on %s as FAILED?"),
		 e->task.version, core_env_label(e->task.environment));
	lines[1] = _("An incident will be opened for the responsible "
		     "person.");
	ui_push(app, dialog_confirm_new(app, _("Confirm the failure"), lines,
					NULL, _("Mark as failed"),
					confirm_failure, e, NULL));
	return UI_STAY;
}

static void
execute_destroy(struct ui_screen *self)
{
	struct execute *e = (struct execute *)self;

	task_free(&e->task);
	ui_form_free(&e->form);
	core_logs_free(&e->loaded);
	free(e->override);
	free(e);
}

void
dialog_execute_override(struct ui_screen *self, const char *reason)
{
	struct execute *e = (struct execute *)self;

	if (!e)
		return;
	free(e->override);
	e->override = xstrdup(reason);
}

static const struct ui_screen_ops execute_ops = {
    .modal = true,
    .takes_paste = true,
    .draw = execute_draw,
    .key = execute_key,
    .destroy = execute_destroy,
};

struct ui_screen *
dialog_execute_new(struct ui_app *app, const char *task_id)
{
	struct execute *e = xcalloc(1, sizeof *e);
	struct dd_error err = {0};
	struct ui_field *f;

	if (core_deploy_find(app->s, task_id, &e->task, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(e);
		return NULL;
	}
	e->base.ops = &execute_ops;
	e->base.app = app;
	e->form.count = F_COUNT;
	e->form.fields = f = xcalloc(F_COUNT, sizeof *f);
	/* Said in the label, seen even while the cursor is in the field. */
	f[F_LOGS] = (struct ui_field){
	    .kind = UI_FIELD_MULTILINE,
	    .label = _("Deployment logs (required, for a success as for a "
		       "failure)"),
	    .required = true,
	    .lines = 6};
	f[F_LOGS].edit_name = "logs.txt"; /* Ctrl-E */
	f[F_LOGS].edit_max_bytes = CORE_LOGS_MAX;
	f[F_CANCEL] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON, .label = _("Cancel")};
	f[F_SUCCESS] = (struct ui_field){.kind = UI_FIELD_BUTTON,
					 .label = _("Mark as succeeded")};
	f[F_FAILURE] = (struct ui_field){.kind = UI_FIELD_BUTTON,
					 .label = _("Mark as failed")};
	return &e->base;
}
