/* SPDX-License-Identifier: MIT */
/* "Nouveau Déploiement": version, environment, description, responsible
 * person and planned date, validated by the core; an error is shown in
 * words under its field, and nothing is written until all are right. The
 * same form, filled with a planned deployment's plan, changes it
 * (dialog_edit_new). */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

enum {
	F_VERSION,
	F_ENV,
	F_DESCRIPTION,
	F_RESPONSIBLE,
	F_DATE,
	F_RISK,
	F_BACKOUT,
	F_CANCEL,
	F_CREATE,
	F_COUNT
};

struct create {
	struct ui_screen base;
	char project_id[UUID_SIZE];
	struct ui_form form;
	const char *env_labels[ENV_COUNT];
	const char *risk_labels[RISK_COUNT];
	bool plan_required[ENV_COUNT]; /* the policy of each environment */
	struct member *members;
	size_t nmembers;
	const char **member_names; /* the members' own strings */
	char **member_roles;
	char date_hint[64];
	char version_hint[64];
	char date_example[64];
	/* Changing a planned deployment: its id, the version read, and the
	 * form as it was filled (to ask before losing changes only). */
	bool editing;
	char task_id[UUID_SIZE];
	int64_t row_version;
	char *initial; /* the fields' text and choices, joined */
	int initial_env;
	char *initial_date;
};

/* The form's values joined, to tell whether anything was changed. */
static char *
form_state(const struct create *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < c->form.count; i++) {
		const struct ui_field *f = &c->form.fields[i];

		if (f->kind == UI_FIELD_CHOICE)
			strbuf_addf(&sb, "%d\x1f", f->choice);
		else if (f->kind != UI_FIELD_BUTTON) {
			char *t = ui_field_text(f);

			strbuf_addf(&sb, "%s\x1f", t);
			free(t);
		}
	}
	return strbuf_detach(&sb);
}

static void
create_draw(struct ui_screen *self)
{
	struct create *c = (struct create *)self;
	struct ui_field *f = c->form.fields;
	int w = 72, h, y, x = (COLS - w) / 2;

	/* The risk and the back-out plan are required where the chosen
	 * environment's policy says so (plan-required). */
	f[F_RISK].required = f[F_BACKOUT].required =
	    c->plan_required[f[F_ENV].choice];
	/* Errors under every field may not leave room for the buttons:
	 * the long texts show fewer lines then (the back-out plan's
	 * first), down to one. */
	f[F_DESCRIPTION].lines = 3;
	f[F_BACKOUT].lines = 2;
	for (;;) {
		h = ui_form_height(&c->form, w - 4) + 3;
		/* Above the message and keys lines. */
		if (h <= LINES - 2 ||
		    (f[F_BACKOUT].lines == 1 && f[F_DESCRIPTION].lines == 1))
			break;
		if (f[F_BACKOUT].lines > 1)
			f[F_BACKOUT].lines--;
		else
			f[F_DESCRIPTION].lines--;
	}
	y = (LINES - 2 - h) / 2;
	if (y < 0)
		y = 0;
	ui_box(y, x, h, w,
	       c->editing ? _("Change the plan") : _("New deployment"));
	ui_form_draw(self->app, &c->form, y + 1, x + 2, w - 4);
	ui_form_footer(self->app, &c->form, NULL);
}

/* Maps the core's field to the form's. */
static int
form_field(enum core_field f)
{
	switch (f) {
	case FIELD_VERSION:
		return F_VERSION;
	case FIELD_ENVIRONMENT:
		return F_ENV;
	case FIELD_DESCRIPTION:
		return F_DESCRIPTION;
	case FIELD_RESPONSIBLE:
		return F_RESPONSIBLE;
	case FIELD_PLANNED:
		return F_DATE;
	case FIELD_RISK:
		return F_RISK;
	case FIELD_BACKOUT_PLAN:
		return F_BACKOUT;
	case FIELD_NONE:
	case FIELD_LOGS:
		break;
	}
	return F_CREATE;
}

static void
submit(struct create *c)
{
	struct ui_app *app = c->base.app;
	struct ui_field *f = c->form.fields;
	char *version = ui_field_text(&f[F_VERSION]);
	char *description = ui_field_text(&f[F_DESCRIPTION]);
	char *date = ui_field_text(&f[F_DATE]);
	char *backout = ui_field_text(&f[F_BACKOUT]);
	char id[UUID_SIZE];
	struct core_deploy_input in = {0};
	struct core_project p;
	struct dd_error err = {0};
	enum core_field bad = FIELD_NONE;
	bool withdrew = false;
	enum dd_code code;

	ui_form_clear_errors(&c->form);
	in.version = version;
	in.environment = env_code((enum environment)f[F_ENV].choice);
	in.description = description;
	in.responsible =
	    c->nmembers ? c->members[f[F_RESPONSIBLE].choice].login : "";
	in.planned = date; /* as typed: the core reads the locale's format */
	in.risk = f[F_RISK].choice == RISK_NONE
		      ? "none"
		      : risk_code((enum risk)f[F_RISK].choice);
	in.backout_plan = backout;
	code = core_project_open(app->s, c->project_id, &p, &err);
	if (!code && c->editing) {
		code = core_deploy_edit(app->s, c->task_id, c->row_version, &in,
					&withdrew, &err);
		core_project_free(&p);
	} else if (!code) {
		code = core_deploy_create(app->s, &p, &in, id, &bad, &err);
		core_project_free(&p);
	}
	if (code == DD_ERR_INPUT) {
		/* Every wrong field says so at once, not one per try. */
		static const enum core_field fields[] = {
		    FIELD_VERSION,     FIELD_ENVIRONMENT, FIELD_DESCRIPTION,
		    FIELD_RESPONSIBLE, FIELD_PLANNED,	  FIELD_RISK,
		    FIELD_BACKOUT_PLAN};

		c->form.focus = form_field(bad);
		if (core_project_open(app->s, c->project_id, &p, &err) ==
		    DD_OK) {
			for (size_t k = 0; k < sizeof fields / sizeof *fields;
			     k++) {
				int i = form_field(fields[k]);

				if (core_deploy_check_field(app->s, &p, &in,
							    fields[k],
							    &err) == DD_OK)
					continue;
				snprintf(f[i].error, sizeof f[i].error, "%s",
					 err.msg);
			}
			core_project_free(&p);
		}
	} else if (code) {
		snprintf(f[F_CREATE].error, sizeof f[F_CREATE].error, "%s",
			 err.msg);
	} else if (c->editing) {
		struct strbuf note = STRBUF_INIT;
		struct core_same_day d;

		/* Moved to another day or environment: the same warning as
		 * at creation. */
		if ((f[F_ENV].choice != c->initial_env ||
		     strcmp(date, c->initial_date) != 0) &&
		    core_deploy_same_day(app->s, c->task_id, &d, &err) ==
			DD_OK) {
			core_same_day_text(&d, &note);
			core_same_day_free(&d);
		}
		ui_message(app, false,
			   withdrew ? _("Plan of %s changed; its authorization "
					"is withdrawn%s%s")
				    : _("Plan of %s changed%s%s"),
			   /* TRANSLATORS: between two parts of a message. */
			   version, note.len ? _("; ") : "", strbuf_str(&note));
		strbuf_release(&note);
		ui_changed(app);
		ui_pop(app);
	} else {
		struct core_same_day d;
		struct strbuf note = STRBUF_INIT;

		/* Another deployment that day on the same environment: said,
		 * not refused. */
		if (core_deploy_same_day(app->s, id, &d, &err) == DD_OK) {
			core_same_day_text(&d, &note);
			core_same_day_free(&d);
		}
		if (note.len)
			ui_message(app, false, _("Deployment %s planned; %s"),
				   version, strbuf_str(&note));
		else
			ui_message(app, false,
				   _("Deployment %s planned (id %.8s)"),
				   version, id);
		strbuf_release(&note);
		/* The history shows and selects the new deployment. */
		memcpy(app->select_id, id, sizeof app->select_id);
		ui_changed(app);
		ui_pop(app);
	}
	free(version);
	free(description);
	free(date);
	free(backout);
}

/* Whether any text field holds something typed (the choices have their
 * defaults, which are not lost work). */
static bool
typed(const struct create *c)
{
	for (int i = 0; i < c->form.count; i++)
		if ((c->form.fields[i].kind == UI_FIELD_TEXT ||
		     c->form.fields[i].kind == UI_FIELD_MULTILINE) &&
		    c->form.fields[i].len > 0)
			return true;
	return false;
}

/* Esc or Cancel: what was typed is not thrown away without a question. */
static enum ui_result
leave(struct create *c)
{
	if (c->editing) {
		char *now = form_state(c);
		bool same = strcmp(now, c->initial) == 0;

		free(now);
		if (same)
			return UI_POP;
	} else if (!typed(c)) {
		return UI_POP;
	}
	ui_ask_discard(c->base.app,
		       c->editing ? _("Discard the changes?")
				  : _("Discard the new deployment?"),
		       _("What was typed in this form will be lost."));
	return UI_STAY;
}

static enum ui_result
create_key(struct ui_screen *self, struct ui_key k)
{
	struct create *c = (struct create *)self;
	enum ui_form_event ev = ui_form_key(&c->form, k);

	if (ev == UI_FORM_CANCEL ||
	    (ev == UI_FORM_PRESS && c->form.focus == F_CANCEL))
		return leave(c);
	if (ev == UI_FORM_EDIT)
		ui_form_edit(self->app, &c->form);
	if (ev == UI_FORM_PRESS)
		submit(c); /* may pop this dialog: touch nothing after */
	return UI_STAY;
}

static void
create_destroy(struct ui_screen *self)
{
	struct create *c = (struct create *)self;

	for (size_t i = 0; i < c->nmembers; i++) {
		member_free(&c->members[i]);
		free(c->member_roles[i]);
	}
	free(c->members);
	free(c->member_names);
	free(c->member_roles);
	free(c->initial);
	free(c->initial_date);
	ui_form_free(&c->form);
	free(c);
}

static const struct ui_screen_ops create_ops = {
    .modal = true,
    .takes_paste = true,
    .draw = create_draw,
    .key = create_key,
    .destroy = create_destroy,
};

struct ui_screen *
dialog_create_new(struct ui_app *app, const char *project_id)
{
	struct create *c = xcalloc(1, sizeof *c);
	struct dd_error err = {0};
	struct core_project p;
	struct ui_field *f;
	enum dd_code code;

	c->base.ops = &create_ops;
	c->base.app = app;
	snprintf(c->project_id, sizeof c->project_id, "%s", project_id);
	/* Without its people the form cannot be filled: a read that fails
	 * is said, not shown as a project without members. Only those who
	 * may answer for a deployment are offered (not the viewers). */
	code = core_project_open(app->s, project_id, &p, &err);
	if (!code) {
		code = core_responsible_list(app->s, &p, &c->members,
					     &c->nmembers, &err);
		for (int e = 0; e < ENV_COUNT; e++)
			c->plan_required[e] =
			    core_plan_required(&p, (enum environment)e);
		core_project_free(&p);
	}
	if (code) {
		ui_message(app, true, "%s", err.msg);
		free(c);
		return NULL;
	}
	/* Each person as "name (role)": a long name is cut, the role
	 * stays. */
	c->member_names =
	    xcalloc(c->nmembers ? c->nmembers : 1, sizeof *c->member_names);
	c->member_roles =
	    xcalloc(c->nmembers ? c->nmembers : 1, sizeof *c->member_roles);
	for (size_t i = 0; i < c->nmembers; i++) {
		c->member_names[i] = c->members[i].full_name;
		if (asprintf(&c->member_roles[i], " (%s)",
			     core_role_label(c->members[i].role,
					     c->members[i].senior)) < 0)
			c->member_roles[i] = xstrdup("");
	}
	for (int e = 0; e < ENV_COUNT; e++)
		c->env_labels[e] = core_env_label((enum environment)e);
	for (int r = 0; r < RISK_COUNT; r++)
		c->risk_labels[r] = core_risk_label((enum risk)r);
	/* Examples read as examples, not as values already typed. */
	ui_date_hint(c->date_example, sizeof c->date_example);
	snprintf(c->date_hint, sizeof c->date_hint, _("e.g. %s"),
		 c->date_example);
	snprintf(c->version_hint, sizeof c->version_hint, _("e.g. %s"),
		 "v1.3.0");

	c->form.count = F_COUNT;
	c->form.fields = f = xcalloc(F_COUNT, sizeof *f);
	f[F_VERSION] = (struct ui_field){.kind = UI_FIELD_TEXT,
					 .label = _("Version"),
					 .required = true,
					 .hint = c->version_hint};
	f[F_ENV] = (struct ui_field){.kind = UI_FIELD_CHOICE,
				     .label = _("Environment"),
				     .required = true,
				     .choices = c->env_labels,
				     .nchoices = ENV_COUNT};
	f[F_DESCRIPTION] = (struct ui_field){.kind = UI_FIELD_MULTILINE,
					     .label = _("Description"),
					     .required = true,
					     .lines = 3};
	f[F_DESCRIPTION].edit_name = "description.txt"; /* Ctrl-E */
	f[F_DESCRIPTION].edit_max_chars = CORE_DESCRIPTION_MAX;
	f[F_RESPONSIBLE] = (struct ui_field){
	    .kind = UI_FIELD_CHOICE,
	    .label = _("Responsible"),
	    .required = true,
	    .choices = c->member_names,
	    .nchoices = (int)c->nmembers,
	    .choice_tails = (const char *const *)c->member_roles};
	/* The responsible person is most often a senior developer. */
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].role == ROLE_DEVELOPER &&
		    c->members[i].senior) {
			f[F_RESPONSIBLE].choice = (int)i;
			break;
		}
	f[F_DATE] = (struct ui_field){.kind = UI_FIELD_TEXT,
				      .label = _("Planned date"),
				      .required = true,
				      .hint = c->date_hint};
	f[F_RISK] = (struct ui_field){.kind = UI_FIELD_CHOICE,
				      .label = _("Risk"),
				      .choices = c->risk_labels,
				      .nchoices = RISK_COUNT};
	f[F_BACKOUT] = (struct ui_field){.kind = UI_FIELD_MULTILINE,
					 .label = _("Back-out plan"),
					 .lines = 2};
	f[F_BACKOUT].edit_name = "backout-plan.txt"; /* Ctrl-E */
	f[F_BACKOUT].edit_max_chars = CORE_BACKOUT_PLAN_MAX;
	f[F_CANCEL] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON, .label = _("Cancel")};
	f[F_CREATE] = (struct ui_field){.kind = UI_FIELD_BUTTON,
					.label = _("Create the deployment")};
	return &c->base;
}

struct ui_screen *
dialog_edit_new(struct ui_app *app, const struct task *t)
{
	struct create *c =
	    (struct create *)dialog_create_new(app, t->project_id);
	struct ui_field *f;
	char when[64];

	if (!c)
		return NULL;
	f = c->form.fields;
	c->editing = true;
	memcpy(c->task_id, t->id, sizeof c->task_id);
	c->row_version = t->row_version;
	f[F_CREATE].label = _("Save the changes");
	ui_field_set_text(&f[F_VERSION], t->version ? t->version : "");
	f[F_ENV].choice = (int)t->environment;
	ui_field_set_text(&f[F_DESCRIPTION],
			  t->description ? t->description : "");
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].user == t->responsible.id)
			f[F_RESPONSIBLE].choice = (int)i;
	/* The date as the locale writes it, which the core reads back. */
	time_local_display(t->planned_at, when, sizeof when);
	ui_field_set_text(&f[F_DATE], when);
	f[F_RISK].choice = (int)t->risk;
	ui_field_set_text(&f[F_BACKOUT],
			  t->backout_plan ? t->backout_plan : "");
	c->initial = form_state(c);
	c->initial_env = f[F_ENV].choice;
	c->initial_date = xstrdup(when);
	return &c->base;
}
