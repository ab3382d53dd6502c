/* SPDX-License-Identifier: MIT */
/* A project's policy: each key's value in each environment, what it means,
 * and the project's freezes; everyone reads it, an admin changes a value
 * (Enter: the environment, then the value). */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct policy_screen {
	struct ui_screen base;
	char project_id[UUID_SIZE];
	struct core_project project;
	bool have_project;
	int selected; /* a key */
	struct ui_table_seen seen;
	char cells[POLICY_KEY_COUNT][ENV_COUNT][24];
};

static void
policy_reload(struct ui_screen *self)
{
	struct policy_screen *d = (struct policy_screen *)self;
	struct core_project p;
	struct dd_error err = {0};

	if (core_project_open(self->app->s, d->project_id, &p, &err) != DD_OK) {
		ui_message(self->app, true, "%s", err.msg);
		return;
	}
	if (d->have_project)
		core_project_free(&d->project);
	d->project = p;
	d->have_project = true;
}

static void
policy_row(void *data, int i, struct ui_cell *cells)
{
	struct policy_screen *d = data;
	const struct core_policy_key *info =
	    core_policy_key_info((enum policy_key)i);

	cells[0] = (struct ui_cell){info->code, A_BOLD};
	for (int e = 0; e < ENV_COUNT; e++) {
		int64_t v = core_policy_value(&d->project, (enum environment)e,
					      (enum policy_key)i);

		core_policy_value_text((enum policy_key)i, v, d->cells[i][e],
				       sizeof d->cells[i][e]);
		/* A value an admin set, not the default: in bold. */
		cells[1 + e] = (struct ui_cell){
		    d->cells[i][e],
		    d->project.policy.set[e][i] ? A_BOLD : ui_attr(STYLE_DIM)};
	}
}

static void
policy_draw(struct ui_screen *self)
{
	struct policy_screen *d = (struct policy_screen *)self;
	struct ui_column cols[1 + ENV_COUNT] = {
	    {_("Key"), 19, 0, false},
	};
	const struct core_policy_key *info;
	struct strbuf notice = STRBUF_INIT;
	time_t now = time(NULL);
	int y;

	erase();
	ui_header(self->app, &d->project, _("Policy - %s"));
	for (int e = 0; e < ENV_COUNT; e++)
		cols[1 + e] = (struct ui_column){env_code((enum environment)e),
						 8, 0, false};
	ui_table_draw(2, 0, POLICY_KEY_COUNT + 1, COLS, cols, 1 + ENV_COUNT,
		      POLICY_KEY_COUNT, d->selected, policy_row, d, &d->seen);
	y = 3 + POLICY_KEY_COUNT;
	ui_text(y++, 0, _("Bold: set by an admin; dim: the default."), COLS,
		ui_attr(STYLE_DIM));
	info = core_policy_key_info((enum policy_key)d->selected);
	ui_text(y++, 2, _(info->help), COLS - 2, A_NORMAL);
	y++;
	ui_text(y++, 0, _("Freezes"), COLS, ui_attr(STYLE_TITLE));
	if (d->project.freezes.count == 0)
		ui_text(y++, 2, _("none"), COLS - 2, ui_attr(STYLE_DIM));
	for (size_t i = 0; i < d->project.freezes.count && y < LINES - 2; i++) {
		const struct freeze *f = &d->project.freezes.items[i];
		char line[512], window[160], from[64], to[64];

		if (f->weekly) {
			core_weekly_label(f->weekly_from, f->weekly_to, window,
					  sizeof window);
		} else {
			time_local_display(f->starts_at, from, sizeof from);
			time_local_display(f->ends_at, to, sizeof to);
			snprintf(window, sizeof window, "%s - %s", from, to);
		}
		/* TRANSLATORS: a freeze: its id, environment (or "every
		   environment"), window, reason, and "on" when it is. */
		snprintf(line, sizeof line, _("%lld  %s  %s  %s%s"),
			 (long long)f->id,
			 f->has_env ? env_code(f->environment)
				    : _("every environment"),
			 window, f->reason,
			 core_freeze_on(f, now, NULL) ? _("  (on)") : "");
		ui_text_fit(y++, 2, line, COLS - 2,
			    core_freeze_on(f, now, NULL) ? ui_attr(STYLE_ERROR)
							 : A_NORMAL);
	}
	strbuf_release(&notice);
	ui_footer_keys(self);
}

static enum ui_result
policy_key(struct ui_screen *self, struct ui_key k)
{
	struct policy_screen *d = (struct policy_screen *)self;
	size_t top = (size_t)d->selected;

	if (!ui_scroll_key(k, &top, POLICY_KEY_COUNT, 1))
		return UI_UNHANDLED;
	d->selected = (int)top;
	return UI_STAY;
}

/* What changing a value carries, from the environment's choice to the
 * value's. */
struct policy_change {
	char project_id[UUID_SIZE];
	enum policy_key key;
	enum environment env;
};

static void
set_value(struct ui_app *app, const struct policy_change *c, const char *value)
{
	struct dd_error err = {0};

	if (core_policy_set(app->s, c->project_id, env_code(c->env),
			    policy_key_code(c->key), value, &err) != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else
		/* TRANSLATORS: a policy key, an environment, a value. */
		ui_message(app, false, _("%s on %s is now %s"),
			   policy_key_code(c->key), env_code(c->env), value);
	ui_changed(app);
}

static void
chosen_yes_no(struct ui_app *app, void *data, int index)
{
	set_value(app, data, index == 0 ? "yes" : "no");
}

static bool
typed_number(struct ui_app *app, void *data, const char *text, char *error,
	     size_t size)
{
	const struct policy_change *c = data;
	struct dd_error err = {0};
	enum dd_code code =
	    core_policy_set(app->s, c->project_id, env_code(c->env),
			    policy_key_code(c->key), text, &err);
	char done[256];

	snprintf(done, sizeof done, _("%s on %s is now %s"),
		 policy_key_code(c->key), env_code(c->env), text);
	return ui_prompt_answered(app, code, &err, done, error, size);
}

static void
chosen_env(struct ui_app *app, void *data, int index)
{
	struct policy_change *c = xcalloc(1, sizeof *c);
	const struct core_policy_key *info;
	char title[128];

	*c = *(const struct policy_change *)data;
	c->env = (enum environment)index;
	info = core_policy_key_info(c->key);
	/* TRANSLATORS: a policy key, then an environment. */
	snprintf(title, sizeof title, _("%s on %s"), info->code,
		 env_code(c->env));
	if (info->yes_no) {
		const char *labels[] = {_("yes"), _("no")};

		ui_push(app, dialog_choice_new(app, title, labels, 2, 0,
					       chosen_yes_no, c, free));
	} else {
		ui_push(app,
			dialog_prompt_new(app, title, _("Value"), NULL, NULL,
					  NULL, typed_number, c, free));
	}
}

static enum dd_code
may_change(struct ui_screen *self, struct dd_error *err)
{
	struct policy_screen *d = (struct policy_screen *)self;

	if (!d->have_project)
		return dd_fail(err, DD_ERR_RUNTIME, "%s",
			       _("the project could not be read"));
	return core_may_set_policy(&d->project, err);
}

static enum ui_result
change(struct ui_screen *self)
{
	struct policy_screen *d = (struct policy_screen *)self;
	struct policy_change *c = xcalloc(1, sizeof *c);
	const char *labels[ENV_COUNT];

	memcpy(c->project_id, d->project.project.id, sizeof c->project_id);
	c->key = (enum policy_key)d->selected;
	for (int e = 0; e < ENV_COUNT; e++)
		labels[e] = core_env_label((enum environment)e);
	ui_push(self->app,
		dialog_choice_new(self->app, _("In which environment"), labels,
				  ENV_COUNT, ENV_PROD, chosen_env, c, free));
	return UI_STAY;
}

static const struct ui_binding policy_keys[] = {
    {0, false, N_("Up/Down"), N_("Up/Down, j/k"), NULL,
     N_("move the selection"), NULL, NULL, false},
    {L'\r', false, N_("Enter"), NULL, N_("change"),
     N_("change the key's value in an environment (admins)"), change,
     may_change, false},
    {L'\n', false, N_("Enter"), NULL, NULL, NULL, change, may_change, false},
    {KEY_ENTER, true, N_("Enter"), NULL, NULL, NULL, change, may_change, false},
    {L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},
    /* One line of the help for both, which the screens' 24 rows need. */
    {L'?', false, "?", N_("?, t"), N_("help"),
     N_("this help / what waits for you (to do)"), NULL, NULL, false},
    {L'q', false, "q", N_("q, Esc"), N_("back"), N_("back"), ui_act_back, NULL,
     false},
    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false},
    {0, false, NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void
policy_destroy(struct ui_screen *self)
{
	struct policy_screen *d = (struct policy_screen *)self;

	if (d->have_project)
		core_project_free(&d->project);
	free(d);
}

static const struct core_project *
policy_project(struct ui_screen *self)
{
	return &((struct policy_screen *)self)->project;
}

static const struct ui_screen_ops policy_ops = {
    .draw = policy_draw,
    .key = policy_key,
    .reload = policy_reload,
    .destroy = policy_destroy,
    .bindings = policy_keys,
    .project = policy_project,
};

struct ui_screen *
screen_policy_new(struct ui_app *app, const char *project_id)
{
	struct policy_screen *d = xcalloc(1, sizeof *d);

	snprintf(d->project_id, sizeof d->project_id, "%s", project_id);
	d->base.ops = &policy_ops;
	d->base.app = app;
	policy_reload(&d->base);
	if (!d->have_project) {
		free(d);
		return NULL;
	}
	return &d->base;
}
