/* SPDX-License-Identifier: MIT */
/* The form widget: labelled fields, one per row (multi-line text takes
 * several), errors in words under the field they are about, buttons on the
 * last row. Text is kept as code points so the cursor moves by character;
 * it leaves as UTF-8. */
#include "ui/ui-internal.h"

#include <limits.h>
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
			/* A refusal of the whole form is a button's error,
			 * under the buttons. */
			buttons = true;
			h += error_rows(fl->error, w - 2);
			continue;
		}
		h += fl->kind == UI_FIELD_MULTILINE ? fl->lines + 1 : 1;
		h += error_rows(fl->error, w - 2);
	}
	return h + (buttons ? 2 : 0);
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

/* Columns the code point takes at column col of its line, as ui_text()
 * shows it (a control as its marker); a tab reaches the next multiple of
 * 8, as in the details (ui_lines_add_text()). */
static int
cp_width(uint32_t c, int col)
{
	/* The sanitizer's answer for the last code points met, as every
	 * key lays the whole text out again (logs reach 1 MiB). */
	static struct {
		uint32_t cp_plus_one;
		int width;
	} seen[256];
	char buf[5];
	size_t slot = c & 255;

	if (c == '\t')
		return 8 - col % 8;
	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (seen[slot].cp_plus_one != c + 1) {
		buf[utf8_encode(c, buf)] = '\0';
		seen[slot].cp_plus_one = c + 1;
		seen[slot].width = ui_text_width(buf);
	}
	return seen[slot].width;
}

/* A multi-line field's text as shown: each line of the text cut into rows
 * of the field's width (soft wrap: the text itself is unchanged). */
struct row {
	size_t start, end; /* code points [start, end) */
	int col0;	   /* the line's columns before the row (tab stops) */
	bool last;	   /* the line's last row: the position end is its */
};

struct layout {
	struct row *rows;
	size_t count, cap;
};

static void
add_row(struct layout *l, size_t start, size_t end, int col0, bool last)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
	}
	l->rows[l->count++] = (struct row){start, end, col0, last};
}

/* Lays the text out at width w. A row is cut between characters, after a
 * blank when one is in its second half (as the details cut lines); a line
 * that fills its last row exactly gets an empty row after it, where the
 * cursor at its end is shown. */
static void
layout(const struct ui_field *fl, int w, struct layout *l)
{
	size_t i = 0;

	l->count = 0;
	if (w < 1)
		w = 1;
	for (;;) {
		size_t rs = i, blank = 0;
		int col = 0, rcol0 = 0, used = 0, blank_col = 0;

		while (i < fl->len && fl->cp[i] != '\n') {
			int cw = cp_width(fl->cp[i], col);

			if (used + cw > w && i > rs) {
				size_t cut = i;
				int cut_col = col;

				if (blank > rs && blank - rs > (i - rs) / 2)
					cut = blank, cut_col = blank_col;
				add_row(l, rs, cut, rcol0, false);
				rs = i = cut;
				rcol0 = col = cut_col;
				used = 0;
				blank = 0;
				continue;
			}
			used += cw;
			col += cw;
			if (fl->cp[i] == ' ' || fl->cp[i] == '\t')
				blank = i + 1, blank_col = col;
			i++;
		}
		if (used >= w && i > rs) {
			add_row(l, rs, i, rcol0, false);
			add_row(l, i, i, col, true);
		} else {
			add_row(l, rs, i, rcol0, true);
		}
		if (i >= fl->len)
			break;
		i++; /* the newline */
	}
}

/* The row that shows text position pos. */
static size_t
row_of(const struct layout *l, size_t pos)
{
	for (size_t r = 0; r < l->count; r++) {
		const struct row *w = &l->rows[r];

		if (pos >= w->start &&
		    (pos < w->end || (pos == w->end && w->last)))
			return r;
	}
	return l->count - 1;
}

/* The columns from the row's start to position pos in it. */
static int
col_in_row(const struct ui_field *fl, const struct row *w, size_t pos)
{
	int col = w->col0;

	for (size_t p = w->start; p < pos && p < w->end; p++)
		col += cp_width(fl->cp[p], col);
	return col - w->col0;
}

/* The position in the row nearest column x, never past its end unless
 * the end is the row's. */
static size_t
pos_at(const struct ui_field *fl, const struct row *w, int x)
{
	size_t p = w->start;
	int col = w->col0;

	while (p < w->end) {
		int cw = cp_width(fl->cp[p], col);

		if (col - w->col0 + cw > x)
			break;
		col += cw;
		p++;
	}
	if (p == w->end && !w->last && p > w->start)
		p--;
	return p;
}

/* Moves the cursor by n rows as shown (Up, Down, a page), keeping its
 * column. */
static void
move_rows(struct ui_field *fl, int n)
{
	struct layout l = {0};
	size_t r, to;

	layout(fl, fl->width > 0 ? fl->width : INT_MAX / 4, &l);
	r = row_of(&l, fl->cursor);
	if (n < 0)
		to = (size_t)-n > r ? 0 : r - (size_t)-n;
	else
		to = r + (size_t)n >= l.count ? l.count - 1 : r + (size_t)n;
	if (to != r)
		fl->cursor = pos_at(fl, &l.rows[to],
				    col_in_row(fl, &l.rows[r], fl->cursor));
	free(l.rows);
}

/* A row's text for ui_text(), tabs as spaces. */
static void
row_text(const struct ui_field *fl, const struct row *w, struct strbuf *sb)
{
	int col = w->col0;
	char buf[4];

	strbuf_reset(sb);
	for (size_t p = w->start; p < w->end; p++) {
		int cw = cp_width(fl->cp[p], col);

		if (fl->cp[p] == '\t')
			for (int k = 0; k < cw; k++)
				strbuf_addch(sb, ' ');
		else
			strbuf_add(sb, buf, utf8_encode(fl->cp[p], buf));
		col += cw;
	}
}

/* A multi-line field: its rows from the first one shown, scrolled so
 * that the cursor's row is in view. */
static void
draw_multiline(struct ui_app *app, struct ui_field *fl, bool focus, int y,
	       int x, int w, attr_t a)
{
	struct layout l = {0};
	struct strbuf sb = STRBUF_INIT;
	size_t rows = fl->lines > 0 ? (size_t)fl->lines : 1, cr;

	fl->width = w;
	layout(fl, w, &l);
	cr = row_of(&l, fl->cursor);
	if (fl->scroll + rows > l.count)
		fl->scroll = l.count > rows ? l.count - rows : 0;
	if (cr < fl->scroll)
		fl->scroll = cr;
	if (cr >= fl->scroll + rows)
		fl->scroll = cr - rows + 1;
	for (size_t r = 0; r < rows && fl->scroll + r < l.count; r++) {
		const struct row *row = &l.rows[fl->scroll + r];

		row_text(fl, row, &sb);
		ui_text(y + (int)r, x, strbuf_str(&sb), w, a);
		if (focus && fl->scroll + r == cr) {
			int cx = col_in_row(fl, row, fl->cursor);

			app->cursor_on = true;
			app->cursor_y = y + (int)r;
			app->cursor_x = x + (cx < w ? cx : w - 1);
		}
	}
	strbuf_release(&sb);
	free(l.rows);
}

static int
draw_text_field(struct ui_app *app, struct ui_field *fl, bool focus, int y,
		int x, int w)
{
	attr_t a = ui_attr(focus ? STYLE_FIELD_FOCUS : STYLE_FIELD);
	int rows = fl->kind == UI_FIELD_MULTILINE ? fl->lines : 1;

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
	draw_multiline(app, fl, focus, y, x, w, a);
	return rows;
}

void
ui_field_draw(struct ui_app *app, struct ui_field *fl, int y, int x, int w)
{
	draw_text_field(app, fl, true, y, x, w);
}

/* A choice as "< choice tail >", the choice cut with "…" so that the
 * brackets and the tail show. */
static void
draw_choice(const struct ui_field *fl, bool focus, int y, int x, int w)
{
	const char *choice = fl->nchoices ? fl->choices[fl->choice] : "";
	const char *tail = fl->nchoices && fl->choice_tails
			       ? fl->choice_tails[fl->choice]
			       : "";
	int room = w - 4 - ui_text_width(tail);
	char *cut = ui_text_cut(choice, room > 1 ? room : 1);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "< %s%s >", cut, tail);
	ui_text_pad(y, x, strbuf_str(&sb), w,
		    ui_attr(focus ? STYLE_FIELD_FOCUS : STYLE_FIELD));
	strbuf_release(&sb);
	free(cut);
}

/* A field's error under it, in words, in at most two rows; returns the
 * rows drawn. */
static int
draw_error(const struct ui_field *fl, int row, int x, int w)
{
	struct ui_lines one = {0}, lines = {0};
	int n = 0;

	if (!fl->error[0])
		return 0;
	ui_lines_add(&one, fl->error);
	ui_lines_wrap(&lines, &one, w - 2);
	for (size_t k = 0; k < lines.count && k < 2; k++, n++)
		ui_text(row + n, x + 2, lines.items[k], w - 2,
			ui_attr(STYLE_ERROR));
	ui_lines_free(&one);
	ui_lines_free(&lines);
	return n;
}

int
ui_form_draw(struct ui_app *app, struct ui_form *f, int y, int x, int w)
{
	int row = y, bx;
	int fw = w - LABEL_WIDTH - 1;

	f->app = app;
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
			    ui_text_fit(row, x, label, w, ui_attr(STYLE_TITLE));

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
			ui_text_fit(row, x, label, LABEL_WIDTH,
				    focus ? ui_attr(STYLE_TITLE) : A_NORMAL);
			if (fl->kind == UI_FIELD_CHOICE) {
				draw_choice(fl, focus, row, x + LABEL_WIDTH + 1,
					    fw);
				row++;
			} else {
				row += draw_text_field(app, fl, focus, row,
						       x + LABEL_WIDTH + 1, fw);
			}
		}
		row += draw_error(fl, row, x, w);
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
	/* Why the form as a whole was refused, under its buttons. */
	for (int i = 0; i < f->count; i++)
		if (f->fields[i].kind == UI_FIELD_BUTTON)
			row += draw_error(&f->fields[i], row + 1, x, w);
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
			move_rows(fl, k.code == KEY_UP ? -1 : 1);
			return true;
		case KEY_NPAGE:
		case KEY_PPAGE:
			if (fl->kind != UI_FIELD_MULTILINE)
				return false;
			move_rows(fl,
				  k.code == KEY_NPAGE ? fl->lines : -fl->lines);
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

void
ui_form_footer(struct ui_app *app, const struct ui_form *f, const char *extra)
{
	const struct ui_field *fl = &f->fields[f->focus];
	const char *keys[6];
	struct strbuf line = STRBUF_INIT;
	int n = 0;

	/* What the keys do in the focused field, each "key what" a unit
	 * to translate. */
	switch (fl->kind) {
	case UI_FIELD_TEXT:
		keys[n++] = _("Enter next");
		break;
	case UI_FIELD_MULTILINE:
		keys[n++] = _("Enter new line");
		break;
	case UI_FIELD_CHOICE:
		keys[n++] = _("Left/Right choose");
		break;
	case UI_FIELD_BUTTON:
		keys[n++] = _("Left/Right choose");
		keys[n++] = _("Enter press");
		break;
	}
	keys[n++] = _("Tab next");
	if (fl->edit_name)
		keys[n++] = _("Ctrl-E editor");
	if (extra)
		keys[n++] = extra;
	keys[n++] = _("Esc cancel");
	for (int i = 0; i < n; i++)
		strbuf_addf(&line, " %s ", keys[i]);
	ui_footer(app, strbuf_str(&line));
	strbuf_release(&line);
}

/* Enter in a field: the next field to fill (required, or in a form that
 * marks none), and after the last one the button that does the work (the
 * last), focused, not pressed; Cancel and the optional fields are reached
 * with Tab. */
static void
enter_next(struct ui_form *f)
{
	bool marks = false;

	for (int i = 0; i < f->count; i++)
		marks = marks || f->fields[i].required;
	for (int i = f->focus + 1; i < f->count; i++)
		if (f->fields[i].kind != UI_FIELD_BUTTON &&
		    (f->fields[i].required || !marks)) {
			f->focus = i;
			return;
		}
	f->focus = f->count - 1;
}

static enum ui_form_event form_key(struct ui_form *f, struct ui_key k);

enum ui_form_event
ui_form_key(struct ui_form *f, struct ui_key k)
{
	const struct ui_field *fl = &f->fields[f->focus];
	size_t len = fl->len;
	enum ui_form_event ev = form_key(f, k);

	/* Every edit adds or removes characters. The footer's message was
	 * about what happened before it (a file loaded, say), and goes, as
	 * the field's own error does. */
	if (fl->len != len && f->app)
		ui_message_clear(f->app);
	return ev;
}

static enum ui_form_event
form_key(struct ui_form *f, struct ui_key k)
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
		/* Another choice answers the field's old error, which
		 * goes, as a corrected text's does. */
		if ((k.function && k.code == KEY_LEFT)) {
			fl->choice =
			    (fl->choice + fl->nchoices - 1) % fl->nchoices;
			fl->error[0] = '\0';
		} else if ((k.function && k.code == KEY_RIGHT) ||
			   (!k.function && k.code == L' ')) {
			fl->choice = (fl->choice + 1) % fl->nchoices;
			fl->error[0] = '\0';
		} else if (is_enter(k)) {
			enter_next(f);
		}
		return UI_FORM_NONE;
	case UI_FIELD_TEXT:
		if (is_enter(k)) {
			enter_next(f);
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
