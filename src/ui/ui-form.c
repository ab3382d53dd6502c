/* The form widget: labelled fields, one per row (multi-line text takes
 * several), errors in words under the field they are about, buttons on the
 * last row. Text is kept as code points so the cursor moves by character;
 * it leaves as UTF-8. */
#include "ui/ui-internal.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util/i18n.h"
#include "util/utf8.h"

#define LABEL_WIDTH 18

char *
ui_field_text(const struct ui_field *fl)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4];

	for (size_t i = 0; i < fl->len; i++)
		strbuf_add(&sb, buf, utf8_encode(fl->cp[i], buf));
	return strbuf_detach(&sb);
}

static void
field_insert(struct ui_field *fl, uint32_t c)
{
	if (fl->max_chars > 0 && fl->len >= (size_t)fl->max_chars)
		return;
	if (fl->len == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 64;
		fl->cp = xrealloc(fl->cp, fl->cap * sizeof *fl->cp);
	}
	memmove(fl->cp + fl->cursor + 1, fl->cp + fl->cursor,
		(fl->len - fl->cursor) * sizeof *fl->cp);
	fl->cp[fl->cursor++] = c;
	fl->len++;
}

void
ui_field_set_text(struct ui_field *fl, const char *utf8)
{
	size_t n = strlen(utf8);

	fl->len = fl->cursor = fl->scroll = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;

		i += utf8_decode(utf8 + i, n - i, &c);
		/* Loaded text is kept whole, whatever the typing limit. */
		int max = fl->max_chars;

		fl->max_chars = 0;
		field_insert(fl, c);
		fl->max_chars = max;
	}
}

void
ui_form_clear_errors(struct ui_form *f)
{
	for (int i = 0; i < f->count; i++)
		f->fields[i].error[0] = '\0';
}

void
ui_form_free(struct ui_form *f)
{
	for (int i = 0; i < f->count; i++)
		free(f->fields[i].cp);
	free(f->fields);
	f->fields = NULL;
	f->count = 0;
}

/* An error's lines at this width: at most two. */
static int
error_rows(const char *error, int w)
{
	struct ui_lines one = {0}, lines = {0};
	int n;

	if (!error[0])
		return 0;
	ui_lines_add(&one, error);
	ui_lines_wrap(&lines, &one, w);
	n = lines.count > 1 ? 2 : 1;
	ui_lines_free(&one);
	ui_lines_free(&lines);
	return n;
}

int
ui_form_height(const struct ui_form *f, int w)
{
	int h = 0;
	bool buttons = false;

	for (int i = 0; i < f->count; i++) {
		const struct ui_field *fl = &f->fields[i];

		if (fl->kind == UI_FIELD_BUTTON) {
			buttons = true;
			continue;
		}
		h += fl->kind == UI_FIELD_MULTILINE ? fl->lines + 1 : 1;
		h += error_rows(fl->error, w - 2);
	}
	return h + (buttons ? 2 : 0);
}

/* The line and column of the cursor in a multi-line field. */
static void
cursor_line_col(const struct ui_field *fl, size_t *line, size_t *col)
{
	*line = *col = 0;
	for (size_t i = 0; i < fl->cursor; i++) {
		if (fl->cp[i] == '\n')
			(*line)++, *col = 0;
		else
			(*col)++;
	}
}

/* Index of the start of line n (or len). */
static size_t
line_start(const struct ui_field *fl, size_t n)
{
	size_t i = 0;

	for (size_t l = 0; l < n && i < fl->len; i++)
		if (fl->cp[i] == '\n')
			l++;
	return i;
}

/* Draws code points [from, to) as sanitized text. */
static int
draw_span(const struct ui_field *fl, size_t from, size_t to, int y, int x,
	  int w, attr_t a)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4];
	int used;

	for (size_t i = from; i < to; i++)
		strbuf_add(&sb, buf, utf8_encode(fl->cp[i], buf));
	used = ui_text(y, x, strbuf_str(&sb), w, a);
	strbuf_release(&sb);
	return used;
}

static int
draw_text_field(struct ui_app *app, struct ui_field *fl, bool focus, int y,
		int x, int w)
{
	attr_t a = ui_attr(focus ? STYLE_FIELD_FOCUS : STYLE_FIELD);
	int rows = fl->kind == UI_FIELD_MULTILINE ? fl->lines : 1;
	size_t cl = 0, cc = 0;

	if (fl->kind == UI_FIELD_MULTILINE) {
		cursor_line_col(fl, &cl, &cc);
		if (cl < fl->scroll)
			fl->scroll = cl;
		if (cl >= fl->scroll + (size_t)rows)
			fl->scroll = cl - (size_t)rows + 1;
	}
	for (int r = 0; r < rows; r++) {
		attrset(a);
		mvhline(y + r, x, ' ', w);
		attrset(A_NORMAL);
	}
	if (fl->len == 0 && fl->hint && !focus)
		ui_text(y, x, fl->hint, w, a | ui_attr(STYLE_DIM));
	if (fl->kind == UI_FIELD_TEXT) {
		/* Scroll horizontally so the cursor stays in view. */
		size_t from =
		    fl->cursor > (size_t)w - 1 ? fl->cursor - (size_t)w + 1 : 0;
		int used = draw_span(fl, from, fl->cursor, y, x, w, a);

		draw_span(fl, fl->cursor, fl->len, y, x + used, w - used, a);
		if (focus) {
			app->cursor_on = true;
			app->cursor_y = y;
			app->cursor_x = x + (used < w ? used : w - 1);
		}
		return 1;
	}
	for (int r = 0; r < rows; r++) {
		size_t s = line_start(fl, fl->scroll + (size_t)r), e = s;

		if (s >= fl->len && fl->scroll + (size_t)r > 0 &&
		    (s == 0 || fl->cp[s - 1] != '\n'))
			break;
		while (e < fl->len && fl->cp[e] != '\n')
			e++;
		if (focus && fl->scroll + (size_t)r == cl) {
			int used = draw_span(fl, s, s + cc, y + r, x, w, a);

			draw_span(fl, s + cc, e, y + r, x + used, w - used, a);
			app->cursor_on = true;
			app->cursor_y = y + r;
			app->cursor_x = x + (used < w ? used : w - 1);
		} else {
			draw_span(fl, s, e, y + r, x, w, a);
		}
	}
	return rows;
}

int
ui_form_draw(struct ui_app *app, struct ui_form *f, int y, int x, int w)
{
	int row = y, bx;
	int fw = w - LABEL_WIDTH - 1;

	for (int i = 0; i < f->count; i++) {
		struct ui_field *fl = &f->fields[i];
		bool focus = i == f->focus;
		char label[128];

		if (fl->kind == UI_FIELD_BUTTON)
			continue;
		snprintf(label, sizeof label, "%s%s", fl->label,
			 fl->required ? "*" : "");
		if (fl->kind == UI_FIELD_MULTILINE) {
			int lw =
			    ui_text(row, x, label, w, ui_attr(STYLE_TITLE));

			if (focus && fl->edit_name) {
				const char *hint = _("Ctrl-E: write it in your "
						     "editor");
				int hw = ui_text_width(hint);

				if (lw + 2 + hw <= w)
					ui_text(row, x + w - hw, hint, hw,
						ui_attr(STYLE_DIM));
			}
			row++;
			row += draw_text_field(app, fl, focus, row, x, w);
		} else {
			ui_text(row, x, label, LABEL_WIDTH,
				focus ? ui_attr(STYLE_TITLE) : A_NORMAL);
			if (fl->kind == UI_FIELD_CHOICE) {
				char text[256];
				attr_t a = ui_attr(focus ? STYLE_FIELD_FOCUS
							 : STYLE_FIELD);

				snprintf(text, sizeof text, "< %s >",
					 fl->nchoices ? fl->choices[fl->choice]
						      : "");
				ui_text_pad(row, x + LABEL_WIDTH + 1, text, fw,
					    a);
				row++;
			} else {
				row += draw_text_field(app, fl, focus, row,
						       x + LABEL_WIDTH + 1, fw);
			}
		}
		if (fl->error[0]) {
			struct ui_lines one = {0}, lines = {0};

			ui_lines_add(&one, fl->error);
			ui_lines_wrap(&lines, &one, w - 2);
			for (size_t k = 0; k < lines.count && k < 2; k++)
				ui_text(row++, x + 2, lines.items[k], w - 2,
					ui_attr(STYLE_ERROR));
			ui_lines_free(&one);
			ui_lines_free(&lines);
		}
	}
	/* Buttons, on one row after a blank one. */
	row++;
	bx = x;
	for (int i = 0; i < f->count; i++) {
		struct ui_field *fl = &f->fields[i];
		char text[128];

		if (fl->kind != UI_FIELD_BUTTON)
			continue;
		snprintf(text, sizeof text, "[ %s ]", fl->label);
		bx += ui_text(row, bx, text, x + w - bx,
			      ui_attr(i == f->focus ? STYLE_BUTTON_FOCUS
						    : STYLE_BUTTON)) +
		      2;
	}
	return row + 1 - y;
}

static bool
is_enter(struct ui_key k)
{
	return (!k.function && (k.code == L'\r' || k.code == L'\n')) ||
	       (k.function && k.code == KEY_ENTER);
}

/* Editing keys of a text field; true when used. */
static bool
edit_key(struct ui_field *fl, struct ui_key k)
{
	size_t line, col;

	if (k.function) {
		switch (k.code) {
		case KEY_LEFT:
			if (fl->cursor > 0)
				fl->cursor--;
			return true;
		case KEY_RIGHT:
			if (fl->cursor < fl->len)
				fl->cursor++;
			return true;
		case KEY_HOME:
			while (fl->cursor > 0 && fl->cp[fl->cursor - 1] != '\n')
				fl->cursor--;
			return true;
		case KEY_END:
			while (fl->cursor < fl->len &&
			       fl->cp[fl->cursor] != '\n')
				fl->cursor++;
			return true;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			if (fl->cursor < fl->len) {
				memmove(fl->cp + fl->cursor,
					fl->cp + fl->cursor + 1,
					(fl->len - fl->cursor - 1) *
					    sizeof *fl->cp);
				fl->len--;
			}
			return true;
		case KEY_UP:
		case KEY_DOWN:
			if (fl->kind != UI_FIELD_MULTILINE)
				return false;
			cursor_line_col(fl, &line, &col);
			if (k.code == KEY_UP && line == 0)
				return true;
			line = k.code == KEY_UP ? line - 1 : line + 1;
			{
				size_t s = line_start(fl, line), e = s;

				if (s >= fl->len &&
				    (s == 0 || fl->cp[s - 1] != '\n'))
					return true;
				while (e < fl->len && fl->cp[e] != '\n')
					e++;
				fl->cursor = s + col < e ? s + col : e;
			}
			return true;
		case KEY_NPAGE:
		case KEY_PPAGE:
			if (fl->kind != UI_FIELD_MULTILINE)
				return false;
			for (int i = 0; i < fl->lines; i++)
				edit_key(fl, (struct ui_key){k.code == KEY_NPAGE
								 ? KEY_DOWN
								 : KEY_UP,
							     true, false});
			return true;
		}
		return false;
	}
	if (k.code == 127 || k.code == 8)
		goto backspace;
	if (k.code == 21) { /* Ctrl-U: clear */
		fl->len = fl->cursor = fl->scroll = 0;
		return true;
	}
	if (is_enter(k) && fl->kind == UI_FIELD_MULTILINE) {
		field_insert(fl, '\n');
		return true;
	}
	if (k.code == L'\t' && fl->kind == UI_FIELD_MULTILINE)
		return false;
	if (iswprint((wint_t)k.code) ||
	    (k.code >= 0xa0 && k.code < 0x110000 &&
	     !(k.code >= 0xd800 && k.code < 0xe000))) {
		field_insert(fl, (uint32_t)k.code);
		return true;
	}
	return false;
backspace:
	if (fl->cursor > 0) {
		memmove(fl->cp + fl->cursor - 1, fl->cp + fl->cursor,
			(fl->len - fl->cursor) * sizeof *fl->cp);
		fl->cursor--;
		fl->len--;
	}
	return true;
}

enum ui_form_event
ui_form_key(struct ui_form *f, struct ui_key k)
{
	struct ui_field *fl = &f->fields[f->focus];

	if (k.pasted) {
		/* Text only: a pasted Tab, newline or Esc is a character. */
		if (k.function || (fl->kind != UI_FIELD_TEXT &&
				   fl->kind != UI_FIELD_MULTILINE))
			return UI_FORM_NONE;
		if (k.code == L'\r' || k.code == L'\n')
			field_insert(fl, fl->kind == UI_FIELD_MULTILINE ? '\n'
									: ' ');
		else /* kept as it is; shown with a marker if a control */
			field_insert(fl, (uint32_t)k.code);
		fl->error[0] = '\0';
		return UI_FORM_NONE;
	}
	if (!k.function && k.code == 27)
		return UI_FORM_CANCEL;
	if ((!k.function && k.code == L'\t') ||
	    (k.function && k.code == KEY_DOWN &&
	     fl->kind != UI_FIELD_MULTILINE)) {
		f->focus = (f->focus + 1) % f->count;
		return UI_FORM_NONE;
	}
	if ((k.function && k.code == KEY_BTAB) ||
	    (k.function && k.code == KEY_UP &&
	     fl->kind != UI_FIELD_MULTILINE)) {
		f->focus = (f->focus + f->count - 1) % f->count;
		return UI_FORM_NONE;
	}
	/* Ctrl-E: the dialog runs the person's editor on the field. */
	if (!k.function && k.code == 5 && fl->edit_name &&
	    (fl->kind == UI_FIELD_TEXT || fl->kind == UI_FIELD_MULTILINE))
		return UI_FORM_EDIT;
	switch (fl->kind) {
	case UI_FIELD_BUTTON:
		if (is_enter(k) || (!k.function && k.code == L' '))
			return UI_FORM_PRESS;
		/* Left and Right move along the buttons, without wrapping
		 * round to the first. */
		if (k.function && k.code == KEY_LEFT && f->focus > 0 &&
		    f->fields[f->focus - 1].kind == UI_FIELD_BUTTON)
			f->focus--;
		if (k.function && k.code == KEY_RIGHT &&
		    f->focus + 1 < f->count)
			f->focus++;
		return UI_FORM_NONE;
	case UI_FIELD_CHOICE:
		if (fl->nchoices == 0)
			return UI_FORM_NONE;
		if ((k.function && k.code == KEY_LEFT))
			fl->choice =
			    (fl->choice + fl->nchoices - 1) % fl->nchoices;
		else if ((k.function && k.code == KEY_RIGHT) ||
			 (!k.function && k.code == L' '))
			fl->choice = (fl->choice + 1) % fl->nchoices;
		else if (is_enter(k))
			f->focus = (f->focus + 1) % f->count;
		return UI_FORM_NONE;
	case UI_FIELD_TEXT:
		if (is_enter(k)) {
			f->focus = (f->focus + 1) % f->count;
			return UI_FORM_NONE;
		}
		/* Once the person corrects a field, its old error goes. */
		if (edit_key(fl, k))
			fl->error[0] = '\0';
		return UI_FORM_NONE;
	case UI_FIELD_MULTILINE:
		if (edit_key(fl, k))
			fl->error[0] = '\0';
		return UI_FORM_NONE;
	}
	return UI_FORM_NONE;
}
