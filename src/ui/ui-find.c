/* SPDX-License-Identifier: MIT */
/* Search in a text view, as less and tig do it: '/' asks for the text in
 * the footer, every match is highlighted, n and N go from one to the next,
 * round at the ends. Matches are kept in the lines as built, so that a new
 * width (a resize) only changes the rows they are drawn on. */
#include "ui/ui-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/textfind.h"

/* Columns of what was typed that a footer's message quotes. */
#define QUOTE_WIDTH 40

struct collect {
	struct ui_find *f;
	size_t line;
};

static void
add_match(size_t start, size_t end, void *data)
{
	struct collect *c = data;
	struct ui_find *f = c->f;

	if (f->count == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->items = xrealloc(f->items, f->cap * sizeof *f->items);
	}
	f->items[f->count++] = (struct ui_find_match){c->line, start, end};
}

/* Every match of f->text in lines, in order. */
static void
find_all(struct ui_find *f, const struct ui_lines *lines)
{
	struct textfind tf;
	struct collect c = {f, 0};

	f->count = 0;
	if (textfind_init(&tf, f->text))
		for (c.line = 0; c.line < lines->count; c.line++)
			textfind_line(&tf, lines->items[c.line],
				      strlen(lines->items[c.line]), add_match,
				      &c);
	textfind_free(&tf);
}

void
ui_find_set(struct ui_find *f, const struct ui_lines *lines, const char *text)
{
	ui_find_clear(f);
	f->text = xstrdup(text);
	find_all(f, lines);
}

/* Whether match a comes before the place (line, pos). */
static bool
before(const struct ui_find_match *a, size_t line, size_t pos)
{
	return a->line < line || (a->line == line && a->start < pos);
}

void
ui_find_lines_changed(struct ui_find *f, const struct ui_lines *lines)
{
	struct ui_find_match was = {0, 0, 0};
	size_t i = 0;

	if (!f->text)
		return;
	if (f->current < f->count)
		was = f->items[f->current];
	find_all(f, lines);
	/* The match shown stays the one at the same place, or the next. */
	while (i < f->count && before(&f->items[i], was.line, was.start))
		i++;
	f->current = i < f->count ? i : 0;
}

void
ui_find_clear(struct ui_find *f)
{
	free(f->text);
	free(f->items);
	memset(f, 0, sizeof *f);
}

size_t
ui_find_row(const struct ui_wrap_map *map, size_t line, size_t pos)
{
	size_t lo = 0, hi = map->count;

	/* The last row starting at or before (line, pos). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ui_wrap_origin *o = &map->items[mid];

		if (o->line < line || (o->line == line && o->start <= pos))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The row a match starts on. */
static size_t
match_row(const struct ui_find *f, const struct ui_wrap_map *map, size_t i)
{
	return ui_find_row(map, f->items[i].line, f->items[i].start);
}

/* The first match starting on row top or below (f->count: none). */
static size_t
first_from(const struct ui_find *f, const struct ui_wrap_map *map, size_t top)
{
	size_t lo = 0, hi = f->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (match_row(f, map, mid) < top)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
ui_find_step(struct ui_app *app, struct ui_find *f,
	     const struct ui_wrap_map *map, size_t *top, int height, int dir)
{
	size_t rows = map->count, h = height > 0 ? (size_t)height : 1;
	size_t i, first, last, max = rows > h ? rows - h : 0;
	bool round = false, shown;
	char *quote;

	if (!f->text)
		return;
	if (f->count == 0 || rows == 0) {
		quote = ui_text_cut(f->text, QUOTE_WIDTH);
		/* TRANSLATORS: %s is the text searched for. */
		ui_message(app, true, _("not found: %s"), quote);
		free(quote);
		return;
	}
	shown = f->current < f->count &&
		match_row(f, map, f->current) >= *top &&
		match_row(f, map, f->current) < *top + h;
	/* From the match shown when it is on the screen, else from the
	 * screen's first row, as less does. */
	if (dir > 0 && shown)
		i = f->current + 1;
	else if (dir < 0 && shown)
		i = f->current;
	else
		i = first_from(f, map, *top);
	if (dir < 0) {
		if (i == 0)
			i = f->count, round = true;
		i--;
	} else if (i == f->count) {
		i = 0, round = true;
	}
	f->current = i;
	first = match_row(f, map, i);
	last = ui_find_row(map, f->items[i].line,
			   f->items[i].end > f->items[i].start
			       ? f->items[i].end - 1
			       : f->items[i].start);
	if (first < *top || last >= *top + h)
		*top = first < max ? first : max;
	if (round && dir < 0)
		/* TRANSLATORS: after N at the first match: "match 17 of
		   17: ...". */
		ui_message(app, false,
			   _("match %zu of %zu: the search reached the top "
			     "and went on from the bottom"),
			   i + 1, f->count);
	else if (round)
		ui_message(app, false,
			   _("match %zu of %zu: the search reached the bottom "
			     "and went on from the top"),
			   i + 1, f->count);
	else
		/* TRANSLATORS: "match 3 of 17": the match shown, and how
		   many the text has. */
		ui_message(app, false, _("match %zu of %zu"), i + 1, f->count);
}

/* Draws bytes [from, to) of row at column x; returns the columns used. */
static int
draw_part(int y, int x, const char *row, size_t from, size_t to, int width,
	  attr_t attr)
{
	char *part;
	int used;

	if (to <= from || x >= width)
		return 0;
	part = xmalloc(to - from + 1);
	memcpy(part, row + from, to - from);
	part[to - from] = '\0';
	used = ui_text(y, x, part, width - x, attr);
	free(part);
	return used;
}

void
ui_find_draw_row(const struct ui_find *f, int y, const char *row,
		 const struct ui_wrap_origin *o, int width)
{
	size_t len = strlen(row), pad = (size_t)o->pad;
	size_t end, pos, lo = 0, hi = f->count;
	int x = 0;

	if (!f->text || f->count == 0 || pad > len) {
		ui_text(y, 0, row, width, A_NORMAL);
		return;
	}
	/* The row holds bytes [o->start, end) of its line, after pad
	 * blanks. */
	end = o->start + (len - pad);
	x += draw_part(y, x, row, 0, pad, width, A_NORMAL);
	/* The first match of the line that ends after the row's start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ui_find_match *m = &f->items[mid];

		if (m->line < o->line ||
		    (m->line == o->line && m->end <= o->start))
			lo = mid + 1;
		else
			hi = mid;
	}
	pos = o->start;
	for (size_t i = lo; i < f->count; i++) {
		const struct ui_find_match *m = &f->items[i];
		size_t a = m->start > pos ? m->start : pos;
		size_t b = m->end < end ? m->end : end;

		if (m->line != o->line || m->start >= end)
			break;
		x += draw_part(y, x, row, pad + (pos - o->start),
			       pad + (a - o->start), width, A_NORMAL);
		x += draw_part(y, x, row, pad + (a - o->start),
			       pad + (b - o->start), width,
			       ui_attr(i == f->current ? STYLE_MATCH_CURRENT
						       : STYLE_MATCH));
		pos = b;
	}
	draw_part(y, x, row, pad + (pos - o->start), len, width, A_NORMAL);
}
