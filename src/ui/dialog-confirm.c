/* SPDX-License-Identifier: MIT */
/* A yes-or-no question with a few lines of explanation. */
#include "ui/ui-internal.h"

#include <stdlib.h>

#include "util/i18n.h"

struct confirm {
	struct ui_screen base;
	char *title;
	struct ui_lines lines;
	struct ui_form form; /* the two buttons */
	void (*on_yes)(struct ui_app *app, void *data);
	void *data;
	void (*free_data)(void *);
};

/* As wide as its longest line needs, within the screen; a line still
 * too long wraps: the question is read whole, never cut. */
static void
confirm_draw(struct ui_screen *self)
{
	struct confirm *c = (struct confirm *)self;
	struct ui_lines shown = {0};
	int w = 64, h, y, x;

	for (size_t i = 0; i < c->lines.count; i++) {
		int need = ui_text_width(c->lines.items[i]) + 4;

		if (need > w)
			w = need;
	}
	if (w > COLS - 2)
		w = COLS - 2;
	ui_lines_wrap(&shown, &c->lines, w - 4);
	h = (int)shown.count + 6;
	y = (LINES - h) / 2 > 0 ? (LINES - h) / 2 : 0;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w, c->title);
	for (size_t i = 0; i < shown.count; i++)
		ui_text(y + 2 + (int)i, x + 2, shown.items[i], w - 4, A_NORMAL);
	ui_form_draw(self->app, &c->form, y + 2 + (int)shown.count, x + 2,
		     w - 4);
	ui_lines_free(&shown);
	ui_footer(self->app,
		  _(" Tab/arrows choose  Enter confirm  Esc cancel"));
}

static enum ui_result
confirm_key(struct ui_screen *self, struct ui_key k)
{
	struct confirm *c = (struct confirm *)self;
	enum ui_form_event ev = ui_form_key(&c->form, k);

	if (ev == UI_FORM_CANCEL || (ev == UI_FORM_PRESS && c->form.focus == 0))
		return UI_POP;
	if (ev == UI_FORM_PRESS) {
		struct ui_app *app = self->app;
		void (*fn)(struct ui_app *, void *) = c->on_yes;
		void (*free_data)(void *) = c->free_data;
		void *data = c->data;

		c->data = NULL;
		ui_pop(app);
		fn(app, data);
		if (free_data)
			free_data(data);
	}
	return UI_STAY;
}

static void
confirm_destroy(struct ui_screen *self)
{
	struct confirm *c = (struct confirm *)self;

	ui_lines_free(&c->lines);
	ui_form_free(&c->form);
	free(c->title);
	if (c->free_data && c->data)
		c->free_data(c->data);
	free(c);
}

static const struct ui_screen_ops confirm_ops = {
    .modal = true,
    .draw = confirm_draw,
    .key = confirm_key,
    .destroy = confirm_destroy,
};

struct ui_screen *
dialog_confirm_new(struct ui_app *app, const char *title,
		   const char *const *lines, const char *no_label,
		   const char *yes_label,
		   void (*on_yes)(struct ui_app *app, void *data), void *data,
		   void (*free_data)(void *))
{
	struct confirm *c = xcalloc(1, sizeof *c);

	c->base.ops = &confirm_ops;
	c->base.app = app;
	c->title = xstrdup(title);
	for (int i = 0; lines[i]; i++)
		ui_lines_add(&c->lines, lines[i]);
	c->form.count = 2;
	c->form.fields = xcalloc(2, sizeof *c->form.fields);
	c->form.fields[0] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON,
			      .label = no_label ? no_label : _("Cancel")};
	c->form.fields[1] =
	    (struct ui_field){.kind = UI_FIELD_BUTTON, .label = yes_label};
	/* Enter alone (or a paste ending in one) never says yes. */
	c->form.focus = 0;
	c->on_yes = on_yes;
	c->data = data;
	c->free_data = free_data;
	return &c->base;
}

static void
discard(struct ui_app *app, void *data)
{
	(void)data;
	ui_pop(app); /* the screen that asked, now on top */
}

void
ui_ask_discard(struct ui_app *app, const char *title, const char *lost)
{
	const char *lines[2] = {lost, NULL};

	ui_push(app, dialog_confirm_new(app, title, lines, _("Keep editing"),
					_("Discard"), discard, NULL, NULL));
}
