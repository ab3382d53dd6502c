/* SPDX-License-Identifier: MIT */
/* Help: every key of the screen it was opened from, made from that screen's
 * table of keys; long explanations wrap. */
#include "ui/ui-internal.h"

#include <stdlib.h>

#include "util/i18n.h"

#define HELP_WIDTH 66
#define KEYS_WIDTH 16

struct help {
	struct ui_screen base;
	const struct ui_binding *bindings;
};

static void
help_draw(struct ui_screen *self)
{
	struct help *h = (struct help *)self;
	int w = COLS - 4 < HELP_WIDTH ? COLS - 4 : HELP_WIDTH;
	int text_w = w - KEYS_WIDTH - 5;
	struct ui_lines keys = {0}, texts = {0};
	int height, y, x, r;

	/* Two columns: the keys, and what they do, wrapped at words. */
	for (const struct ui_binding *b = h->bindings; b->name; b++) {
		struct ui_lines one = {0}, wrapped = {0};

		if (!b->help)
			continue;
		ui_lines_add(&one, _(b->help));
		ui_lines_wrap(&wrapped, &one, text_w);
		for (size_t i = 0; i < wrapped.count; i++) {
			ui_lines_add(
			    &keys,
			    i ? "" : _(b->help_keys ? b->help_keys : b->name));
			ui_lines_add(&texts, wrapped.items[i]);
		}
		ui_lines_free(&one);
		ui_lines_free(&wrapped);
	}
	height = (int)texts.count + 4;
	if (height > LINES - 2)
		height = LINES - 2;
	y = (LINES - height) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, height, w, _("Help"));
	r = y + 2;
	for (size_t i = 0; i < texts.count && r < y + height - 1; i++, r++) {
		ui_text(r, x + 2, keys.items[i], KEYS_WIDTH,
			ui_attr(STYLE_KEY));
		ui_text(r, x + KEYS_WIDTH + 3, texts.items[i], text_w,
			A_NORMAL);
	}
	ui_lines_free(&keys);
	ui_lines_free(&texts);
	ui_footer(self->app, _(" any key closes the help"));
}

static enum ui_result
help_key(struct ui_screen *self, struct ui_key k)
{
	(void)self, (void)k;
	return UI_POP;
}

static void
help_destroy(struct ui_screen *self)
{
	free(self);
}

static const struct ui_screen_ops help_ops = {
    .modal = true,
    .draw = help_draw,
    .key = help_key,
    .destroy = help_destroy,
};

struct ui_screen *
screen_help_new(struct ui_app *app, const struct ui_binding *bindings)
{
	struct help *h = xcalloc(1, sizeof *h);

	h->base.ops = &help_ops;
	h->base.app = app;
	h->bindings = bindings;
	return &h->base;
}
