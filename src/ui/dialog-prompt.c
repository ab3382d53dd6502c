/* SPDX-License-Identifier: MIT */
/* A one-line question (a text filter, a file to load), in a small modal
 * form; or in the footer, as less asks for a search. */
#include "ui/ui-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"

struct prompt {
	struct ui_screen base;
	char *title;
	struct ui_form form;
	char *label; /* in the footer: before the text; NULL: a box */
	bool (*on_done)(struct ui_app *app, void *data, const char *text,
			char *error, size_t size);
	void *data;
	void (*free_data)(void *);
	/* Its text is written when confirmed (a reason, a note): Esc or
	 * Cancel asks before throwing typed text away. */
	bool written;
	char *initial;
};

static void
prompt_draw(struct ui_screen *self)
{
	struct prompt *p = (struct prompt *)self;
	int w = 70, h = ui_form_height(&p->form, w - 4) + 3;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;

	ui_box(y, x, h, w, p->title);
	ui_form_draw(self->app, &p->form, y + 1, x + 2, w - 4);
	ui_footer(self->app, _(" Enter confirm  Esc cancel"));
}

/* In the footer: the label and the text on the message's row, the keys
 * under them. */
static void
prompt_line_draw(struct ui_screen *self)
{
	struct prompt *p = (struct prompt *)self;
	int x;

	ui_footer(self->app, _(" Enter confirm  Esc cancel"));
	move(LINES - 2, 0);
	clrtoeol();
	x = ui_text(LINES - 2, 0, p->label, COLS / 2, A_BOLD);
	ui_field_draw(self->app, &p->form.fields[0], LINES - 2, x, COLS - x);
}

/* Esc or Cancel: what was typed in a prompt whose text is written is not
 * thrown away without a question. */
static enum ui_result
leave(struct prompt *p)
{
	char *text;
	bool typed;

	if (!p->written)
		return UI_POP;
	text = ui_field_text(&p->form.fields[0]);
	typed = strcmp(text, p->initial ? p->initial : "") != 0;
	free(text);
	if (!typed)
		return UI_POP;
	ui_ask_discard(p->base.app, _("Discard the text?"),
		       _("The text typed here will be lost."));
	return UI_STAY;
}

static enum ui_result
prompt_key(struct ui_screen *self, struct ui_key k)
{
	struct prompt *p = (struct prompt *)self;
	bool enter = (k.function && k.code == KEY_ENTER) ||
		     (!k.function && (k.code == L'\r' || k.code == L'\n'));
	enum ui_form_event ev;

	if (enter && p->label) {
		char *text = ui_field_text(&p->form.fields[0]);

		p->on_done(self->app, p->data, text, NULL, 0);
		free(text);
		return UI_POP;
	}
	if (p->label) {
		ev = ui_form_key(&p->form, k);
		return ev == UI_FORM_CANCEL ? UI_POP : UI_STAY;
	}
	if (enter && p->form.focus == 0)
		ev = UI_FORM_PRESS, p->form.focus = 2;
	else
		ev = ui_form_key(&p->form, k);
	if (ev == UI_FORM_CANCEL || (ev == UI_FORM_PRESS && p->form.focus == 1))
		return leave(p);
	if (ev == UI_FORM_PRESS) {
		char *text = ui_field_text(&p->form.fields[0]);
		bool done;

		/* A refusal (a file that cannot be read) keeps the prompt
		 * open, with its error under the field, to correct it. */
		p->form.fields[0].error[0] = '\0';
		done = p->on_done(self->app, p->data, text,
				  p->form.fields[0].error,
				  sizeof p->form.fields[0].error);
		free(text);
		p->form.focus = 0;
		if (done)
			return UI_POP;
	}
	return UI_STAY;
}

static void
prompt_destroy(struct ui_screen *self)
{
	struct prompt *p = (struct prompt *)self;

	ui_form_free(&p->form);
	free(p->title);
	free(p->label);
	free(p->initial);
	if (p->free_data && p->data)
		p->free_data(p->data);
	free(p);
}

static const struct ui_screen_ops prompt_ops = {
    .modal = true,
    .takes_paste = true,
    .draw = prompt_draw,
    .key = prompt_key,
    .destroy = prompt_destroy,
};

struct ui_screen *
dialog_prompt_new(struct ui_app *app, const char *title, const char *label,
		  const char *initial, const char *cancel, const char *ok,
		  bool (*on_done)(struct ui_app *app, void *data,
				  const char *text, char *error, size_t size),
		  void *data, void (*free_data)(void *))
{
	struct prompt *p = xcalloc(1, sizeof *p);

	p->base.ops = &prompt_ops;
	p->base.app = app;
	p->title = xstrdup(title);
	p->form.count = 3;
	p->form.fields = xcalloc(3, sizeof *p->form.fields);
	p->form.fields[0] =
	    (struct ui_field){.kind = UI_FIELD_TEXT, .label = label};
	p->form.fields[1] = (struct ui_field){
	    .kind = UI_FIELD_BUTTON, .label = cancel ? cancel : _("Cancel")};
	p->form.fields[2] = (struct ui_field){.kind = UI_FIELD_BUTTON,
					      .label = ok ? ok : _("OK")};
	ui_field_set_text(&p->form.fields[0], initial ? initial : "");
	p->initial = xstrdup(initial ? initial : "");
	p->on_done = on_done;
	p->data = data;
	p->free_data = free_data;
	return &p->base;
}

struct ui_screen *
dialog_prompt_written(struct ui_screen *prompt)
{
	if (prompt)
		((struct prompt *)prompt)->written = true;
	return prompt;
}

static const struct ui_screen_ops prompt_line_ops = {
    .modal = true,
    .takes_paste = true,
    .draw = prompt_line_draw,
    .key = prompt_key,
    .destroy = prompt_destroy,
};

struct ui_screen *
dialog_prompt_line_new(struct ui_app *app, const char *label,
		       bool (*on_done)(struct ui_app *app, void *data,
				       const char *text, char *error,
				       size_t size),
		       void *data)
{
	struct prompt *p = xcalloc(1, sizeof *p);

	p->base.ops = &prompt_line_ops;
	p->base.app = app;
	p->label = xstrdup(label);
	p->form.count = 1;
	p->form.fields = xcalloc(1, sizeof *p->form.fields);
	/* As long as the longest line the core takes from a prompt (a
	 * reason, a note); what is asked checks its own length. */
	p->form.fields[0] = (struct ui_field){.kind = UI_FIELD_TEXT,
					      .max_chars = CORE_REASON_MAX};
	p->form.app = app;
	p->on_done = on_done;
	p->data = data;
	/* The question replaces the last message, which it answers. */
	ui_message_clear(app);
	return &p->base;
}
