/* SPDX-License-Identifier: MIT */
/* "Autoriser le Déploiement": the summary, the spec's confirmation text,
 * and the authorization, refused if the deployment changed meanwhile. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

struct authorize {
	struct ui_screen base;
	struct task task;
	struct ui_form form; /* Cancel, Authorize */
	char error[1400];
	/* Where more than one approval is asked for: how many stand, of
	 * how many, and who gave them. */
	char approvals[512];
	int standing, required;
	char *override; /* an admin's reason to pass the policy, or NULL */
};

/* The approvals so far, where project p's policy asks for more than one
 * (p: the screen's, as it was last read; the authorization itself checks
 * the policy again in its transaction). */
static void
approvals_summary(struct ui_app *app, const struct core_project *p,
		  struct authorize *a)
{
	struct core_approvals ap;
	struct strbuf sb = STRBUF_INIT;
	struct dd_error err = {0};

	if (p &&
	    core_deploy_approvals(app->s, p, &a->task, &ap, &err) == DD_OK) {
		a->standing = ap.standing;
		a->required = ap.required;
		if (ap.required > 1) {
			core_approvals_names(&ap, &sb);
			/* TRANSLATORS: approvals that count, of those asked
			   for, then who gave them: "1 of 2: Alice Admin". */
			if (ap.standing)
				snprintf(a->approvals, sizeof a->approvals,
					 _("%d of %d: %s"), ap.standing,
					 ap.required, strbuf_str(&sb));
			else
				snprintf(a->approvals, sizeof a->approvals,
					 _("%d of %d"), ap.standing,
					 ap.required);
		}
		core_approvals_free(&ap);
	}
	strbuf_release(&sb);
}

/* A back-out plan's lines: the dialog shows the first PLAN_LINES, and
 * says how many more the details hold. */
#define PLAN_LINES 3
static int
plan_lines(const char *plan)
{
	int n = 0;

	for (; plan && *plan; n++) {
		plan = strchr(plan, '\n');
		if (plan)
			plan++;
	}
	return n;
}

static void
authorize_draw(struct ui_screen *self)
{
	struct authorize *a = (struct authorize *)self;
	const struct task *t = &a->task;
	const char *plan = t->backout_plan, *end;
	int lines = plan_lines(plan);
	int shown = lines < PLAN_LINES ? lines : PLAN_LINES;
	int w = 64, h = 17 + (t->risk != RISK_NONE) + (lines ? shown + 1 : 0) +
			(lines > shown);
	int y = (LINES - h) / 2, x = (COLS - w) / 2, r;
	char when[64];

	ui_box(y, x, h, w, _("Authorize the deployment"));
	r = y + 2;
	ui_label_value(r++, x + 2, w - 4, _("Version:"), 16, t->version,
		       A_NORMAL);
	ui_label_value(r++, x + 2, w - 4, _("Environment:"), 16,
		       core_env_label(t->environment),
		       ui_attr(ui_env_style(t->environment)));
	ui_label_value(r++, x + 2, w - 4, _("Responsible:"), 16,
		       t->responsible.full_name, A_NORMAL);
	/* The date planned, which "the schedule is respected" below is
	 * about. */
	ui_date(t->planned_at, when, sizeof when);
	ui_label_value(r++, x + 2, w - 4, _("Planned for:"), 16, when,
		       A_NORMAL);
	if (a->approvals[0])
		ui_label_value(r++, x + 2, w - 4, _("Approvals:"), 16,
			       a->approvals, A_NORMAL);
	/* What is approved is the risk taken and the way back: above the
	 * spec's confirmation text. */
	if (t->risk != RISK_NONE)
		ui_label_value(
		    r++, x + 2, w - 4, _("Risk:"), 16, core_risk_label(t->risk),
		    t->risk == RISK_HIGH ? ui_attr(STYLE_ERROR) : A_NORMAL);
	for (int i = 0; i < shown; i++) {
		struct strbuf line = STRBUF_INIT;

		end = strchr(plan, '\n');
		strbuf_add(&line, plan,
			   end ? (size_t)(end - plan) : strlen(plan));
		/* A tab is a blank here, as in the details. */
		for (size_t c = 0; c < line.len; c++)
			if (line.buf[c] == '\t' || line.buf[c] == '\r')
				line.buf[c] = ' ';
		if (i == 0)
			ui_text(r++, x + 2, _("Back-out plan:"), w - 4,
				A_NORMAL);
		ui_text_fit(r++, x + 4, strbuf_str(&line), w - 6, A_NORMAL);
		strbuf_release(&line);
		plan = end ? end + 1 : plan + strlen(plan);
	}
	/* What is not shown is said, and where it is read whole. */
	if (lines > shown) {
		char more[128];

		snprintf(more, sizeof more,
			 ngettext_("(%d more line: read it in the details)",
				   "(%d more lines: read them in the details)",
				   (unsigned long)(lines - shown)),
			 lines - shown);
		ui_text(r++, x + 4, more, w - 6, ui_attr(STYLE_DIM));
	}
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
	if ((a->override &&
	     core_override_next(self->app->s, a->override, &err) != DD_OK) ||
	    core_deploy_authorize(self->app->s, a->task.id, a->task.row_version,
				  &err) != DD_OK) {
		snprintf(a->error, sizeof a->error, "%s", err.msg);
		ui_changed(self->app);
		return UI_STAY;
	}
	if (a->standing + 1 < a->required)
		ui_message(self->app, false,
			   _("Approval of %s recorded: %d of %d"),
			   a->task.version, a->standing + 1, a->required);
	else
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
	free(a->override);
	free(a);
}

void
dialog_authorize_override(struct ui_screen *self, const char *reason)
{
	struct authorize *a = (struct authorize *)self;

	if (!a)
		return;
	free(a->override);
	a->override = xstrdup(reason);
}

static const struct ui_screen_ops authorize_ops = {
    .modal = true,
    .draw = authorize_draw,
    .key = authorize_key,
    .destroy = authorize_destroy,
};

struct ui_screen *
dialog_authorize_new(struct ui_app *app, const struct core_project *p,
		     const char *task_id)
{
	struct authorize *a = xcalloc(1, sizeof *a);
	struct dd_error err = {0};

	if (core_deploy_find(app->s, task_id, &a->task, &err) != DD_OK) {
		ui_message(app, true, "%s", err.msg);
		free(a);
		return NULL;
	}
	approvals_summary(app, p, a);
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
