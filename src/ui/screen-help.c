/* Help: every key of the screen it was opened from. */
#include "ui/ui-internal.h"

#include <stdlib.h>

#include "util/i18n.h"

struct help {
	struct ui_screen base;
	const char *const *lines;
};

static void
help_draw(struct ui_screen *self)
{
	struct help *h = (struct help *)self;
	int n = 0, w = 66, height, y, x;

	while (h->lines[n])
		n += 2;
	height = n / 2 + 4;
	if (height > LINES - 2)
		height = LINES - 2;
	y = (LINES - height) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, height, w, _("Help"));
	for (int i = 0, r = y + 2; h->lines[i] && r < y + height - 1;
	     i += 2, r++) {
		ui_text(r, x + 2, _(h->lines[i]), 16, ui_attr(STYLE_KEY));
		ui_text(r, x + 19, _(h->lines[i + 1]), w - 21, A_NORMAL);
	}
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

struct ui_screen *
screen_help_new(struct ui_app *app, const char *const *lines)
{
	struct help *h = xcalloc(1, sizeof *h);

	h->base.app = app;
	h->base.modal = true;
	h->base.draw = help_draw;
	h->base.key = help_key;
	h->base.destroy = help_destroy;
	h->lines = lines;
	return &h->base;
}
