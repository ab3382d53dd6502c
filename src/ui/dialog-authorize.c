/* SPDX-License-Identifier: MIT */
/* "Autoriser le Déploiement": the summary, the spec's confirmation text,
 * and the authorization, refused if the deployment changed meanwhile. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/i18n.h"

struct authorize {
	struct ui_screen base;
	struct task task;
	struct ui_form form; /* Cancel, Authorize */
	char error[1400];
};

static void
authorize_draw(struct ui_screen *self)
{
	struct authorize *a = (struct authorize *)self;
	const struct task *t = &a->task;
	int w = 64, h = 16, y = (LINES - h) / 2, x = (COLS - w) / 2, r;

	ui_box(y, x, h, w, _("Authorize the deployment"));
	r = y + 2;
	ui_label_value(r++, x + 2, w - 4, _("Version:"), 16, t->version,
		       A_NORMAL);
	ui_label_value(r++, x + 2, w - 4, _("Environment:"), 16,
		       core_env_label(t->environment),
		       ui_attr(ui_env_style(t->environment)));
	ui_label_value(r++, x + 2, w - 4, _("Responsible:"), 16,
		       t->responsible.full_name, A_NORMAL);
	r++;
	ui_text(r++, x + 2,
		_("By authorizing this deployment, you confirm "
		  "that:"),
		w - 4, ui_attr(STYLE_TITLE));
	ui_text(r++, x + 4, _("- the tests are validated"), w - 6, A_NORMAL);
	ui_text(r++, x + 4, _("- the team is ready"), w - 6, A_NORMAL);
	ui_text(r++, x + 4, _("- the schedule is respected"), w - 6, A_NORMAL);
	if (a->error[0])
		ui_text(r, x + 2, a->error, w - 4, ui_attr(STYLE_ERROR));
	ui_form_draw(self->app, &a->form, y + h - 4, x + 2, w - 4);
	ui_footer(self->app,
		  _(" Tab/arrows choose  Enter confirm  Esc cancel"));
}

static enum ui_result
authorize_key(struct ui_screen *self, struct ui_key k)
{
	struct authorize *a = (struct authorize *)self;
	enum ui_form_event ev = ui_form_key(&a->form, k);
	struct dd_error err = {0};

	if (ev == UI_FORM_CANCEL || (ev == UI_FORM_PRESS && a->form.focus == 0))
		return UI_POP;
	if (ev != UI_FORM_PRESS)
		return UI_STAY;
	/* The version seen: if someone acted meanwhile, nothing is
	 * overwritten and the dialog says so. */
	if (core_deploy_authorize(self->app->s, a->task.id, a->task.row_version,
				  &err) != DD_OK) {
		snprintf(a->error, sizeof a->error, "%s", err.msg);
		ui_changed(self->app);
		return UI_STAY;
	}
	ui_message(self->app, false, _("Deployment %s authorized"),
		   a->task.version);
	ui_changed(self->app);
	return UI_POP;
}

static void
authorize_destroy(struct ui_screen *self)
{
	struct authorize *a = (struct authorize *)self;

	task_free(&a->task);
	ui_form_free(&a->form);
	free(a);
}

static const struct ui_screen_ops authorize_ops = {
    .modal = true,
    .draw = authorize_draw,
    .key = authorize_key,
    .destroy = authorize_destroy,
};

struct ui_screen *
dialog_authorize_new(struct ui_app *app, const char *task_id)
{
	struct authorize *a = xcalloc(1, sizeof *a);
	struct dd_error err = {0};

	if (core_deploy_find(app->s, task_id, &a->task, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(a);
		return NULL;
	}
	a->base.ops = &authorize_ops;
	a->base.app = app;
	a->form.count = 2;
	a->form.fields = xcalloc(2, sizeof *a->form.fields);
	a->form.fields[0] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON, .label = _("Cancel")};
	a->form.fields[1] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON, .label = _("Authorize")};
	/* On Cancel: "a" then Enter, pasted where the terminal has no
	 * bracketed paste, must not authorize. */
	a->form.focus = 0;
	return &a->base;
}
