/* SPDX-License-Identifier: MIT */
/* A small modal list to choose one item from (filters, statuses). */
#include "ui/ui-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct choice {
	struct ui_screen base;
	char *title;
	char **labels;
	int count, selected;
	void (*on_choose)(struct ui_app *app, void *data, int index);
	void *data;
	void (*free_data)(void *);
};

static void
choice_draw(struct ui_screen *self)
{
	struct choice *c = (struct choice *)self;
	int w = 50, h = c->count + 4, y = (LINES - h) / 2, x = (COLS - w) / 2;

	ui_box(y, x, h, w, c->title);
	for (int i = 0; i < c->count && i < LINES - 4; i++)
		ui_text_pad(y + 2 + i, x + 2, c->labels[i], w - 4,
			    i == c->selected ? ui_attr(STYLE_SELECTED) : 0);
	ui_footer(self->app, _(" Up/Down choose  Enter confirm  Esc cancel"));
}

static enum ui_result
choice_key(struct ui_screen *self, struct ui_key k)
{
	struct choice *c = (struct choice *)self;

	if ((k.function && k.code == KEY_UP) || (!k.function && k.code == L'k'))
		c->selected = (c->selected + c->count - 1) % c->count;
	else if ((k.function && k.code == KEY_DOWN) ||
		 (!k.function && k.code == L'j'))
		c->selected = (c->selected + 1) % c->count;
	else if ((k.function && k.code == KEY_ENTER) ||
		 (!k.function && (k.code == L'\r' || k.code == L'\n'))) {
		struct ui_app *app = self->app;
		void (*fn)(struct ui_app *, void *, int) = c->on_choose;
		void (*free_data)(void *) = c->free_data;
		void *data = c->data;
		int index = c->selected;

		/* Close first: the callback may open another dialog. */
		c->data = NULL;
		ui_pop(app);
		fn(app, data, index);
		if (free_data)
			free_data(data);
		return UI_STAY;
	} else if (!k.function && (k.code == 27 || k.code == L'q'))
		return UI_POP;
	return UI_STAY;
}

static void
choice_destroy(struct ui_screen *self)
{
	struct choice *c = (struct choice *)self;

	for (int i = 0; i < c->count; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->title);
	if (c->free_data && c->data)
		c->free_data(c->data);
	free(c);
}

static const struct ui_screen_ops choice_ops = {
    .modal = true,
    .draw = choice_draw,
    .key = choice_key,
    .destroy = choice_destroy,
};

struct ui_screen *
dialog_choice_new(struct ui_app *app, const char *title,
		  const char *const *labels, int count, int current,
		  void (*on_choose)(struct ui_app *app, void *data, int index),
		  void *data, void (*free_data)(void *))
{
	struct choice *c = xcalloc(1, sizeof *c);

	c->base.ops = &choice_ops;
	c->base.app = app;
	c->title = xstrdup(title);
	c->labels = xcalloc((size_t)count, sizeof *c->labels);
	for (int i = 0; i < count; i++)
		c->labels[i] = xstrdup(labels[i]);
	c->count = count;
	c->selected = current;
	c->on_choose = on_choose;
	c->data = data;
	c->free_data = free_data;
	return &c->base;
}
