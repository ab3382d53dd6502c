/* SPDX-License-Identifier: MIT */
/* Drawing: colours by meaning, sanitized text cut to a width, boxes, the
 * footer, dates in the locale's format. */
#include "ui/ui-internal.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/timeutil.h"
#include "util/utf8.h"

static attr_t style_attr[STYLE_COUNT];

static int char_width(const char *s, size_t n);

/* The colour of each style, and the attributes it adds in every mode:
 * the text always says what the colour says, so monochrome loses nothing.
 * The colours are the terminal's eight, as tig's and htop's are: the
 * person's palette and its contrast with their background apply, and
 * each change of colour costs 5 bytes on the wire where one of the 256
 * costs 11. The one exception is the spec's orange for PREPROD, which the
 * eight lack: taken from the 256 where the terminal has them. PROD is red
 * as the spec has it, not bold: a failure is bold red, and a planned PROD
 * row must not read as one. */
struct style_colour {
	short fg, fg256; /* fg256: instead of fg, on a 256-colour terminal */
	attr_t mono;
};

static const struct style_colour colours[STYLE_COUNT] = {
    [STYLE_NORMAL] = {-1, -1, 0},
    [STYLE_TITLE] = {-1, -1, A_BOLD},
    [STYLE_HEADER] = {-1, -1, A_BOLD | A_UNDERLINE},
    [STYLE_SELECTED] = {-1, -1, A_REVERSE},
    [STYLE_DIM] = {-1, -1, A_DIM},
    [STYLE_ERROR] = {COLOR_RED, -1, A_BOLD},
    [STYLE_KEY] = {-1, -1, A_BOLD},
    [STYLE_MARKER] = {-1, -1, A_REVERSE},
    [STYLE_STATUS_PLANNED] = {-1, -1, 0},
    [STYLE_STATUS_IN_PROGRESS] = {COLOR_BLUE, -1, A_BOLD},
    [STYLE_STATUS_SUCCEEDED] = {COLOR_GREEN, -1, 0},
    [STYLE_STATUS_FAILED] = {COLOR_RED, -1, A_BOLD},
    [STYLE_ENV_DEV] = {COLOR_CYAN, -1, 0},
    [STYLE_ENV_TEST] = {COLOR_YELLOW, -1, 0},
    [STYLE_ENV_PREPROD] = {COLOR_MAGENTA, 208, 0},
    [STYLE_ENV_PROD] = {COLOR_RED, -1, 0},
    [STYLE_FIELD] = {-1, -1, A_UNDERLINE},
    [STYLE_FIELD_FOCUS] = {-1, -1, A_REVERSE},
    [STYLE_BUTTON] = {-1, -1, 0},
    [STYLE_BUTTON_FOCUS] = {-1, -1, A_REVERSE | A_BOLD},
    [STYLE_MATCH] = {COLOR_YELLOW, -1, A_REVERSE},
    [STYLE_MATCH_CURRENT] = {-1, -1, A_REVERSE | A_BOLD},
};

void
ui_colors_init(struct ui_app *app)
{
	const char *no_color = getenv("NO_COLOR");

	app->colors = has_colors() && !(no_color && *no_color);
	if (app->colors) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < STYLE_COUNT; i++) {
		short fg = COLORS >= 256 && colours[i].fg256 >= 0
			       ? colours[i].fg256
			       : colours[i].fg;

		style_attr[i] = colours[i].mono;
		if (app->colors && fg >= 0 && i < COLOR_PAIRS) {
			init_pair((short)i, fg, -1);
			style_attr[i] |= COLOR_PAIR(i);
		}
	}
}

attr_t
ui_attr(enum ui_style style)
{
	return style_attr[style];
}

enum ui_style
ui_status_style(enum task_status s)
{
	switch (s) {
	case STATUS_PLANNED:
		return STYLE_STATUS_PLANNED;
	case STATUS_IN_PROGRESS:
		return STYLE_STATUS_IN_PROGRESS;
	case STATUS_SUCCEEDED:
		return STYLE_STATUS_SUCCEEDED;
	case STATUS_CANCELLED:
	case STATUS_REFUSED:
		return STYLE_DIM;
	case STATUS_FAILED:
	case STATUS_COUNT:
		break;
	}
	return STYLE_STATUS_FAILED;
}

int
ui_wider(int width, const char *text)
{
	int w = ui_text_width(text);

	return w > width ? w : width;
}

int
ui_status_width(const char *header, const char *(*label)(enum task_status))
{
	int w = ui_text_width(header);

	for (int s = 0; s < STATUS_COUNT; s++)
		w = ui_wider(w, label((enum task_status)s));
	return w;
}

enum ui_style
ui_env_style(enum environment e)
{
	switch (e) {
	case ENV_DEV:
		return STYLE_ENV_DEV;
	case ENV_TEST:
		return STYLE_ENV_TEST;
	case ENV_PREPROD:
		return STYLE_ENV_PREPROD;
	case ENV_PROD:
	case ENV_COUNT:
		break;
	}
	return STYLE_ENV_PROD;
}

/* State of one ui_text call, across the sanitizer's runs. */
struct text_pen {
	int y, x, limit; /* limit: first column not to draw in */
	attr_t attr;
	bool draw, full, utf8;
};

/* Bytes an 8-bit terminal takes for C1 controls (0x9B is CSI). */
static bool
has_c1_byte(const char *mb, int n)
{
	for (int i = 0; i < n; i++)
		if ((unsigned char)mb[i] >= 0x80 &&
		    (unsigned char)mb[i] <= 0x9F)
			return true;
	return false;
}

/* The character as the terminal can show it: itself, or '?' when the
 * terminal's character set has no such character, or when that set writes
 * it with a byte of 0x80..0x9F (KOI8-R writes U+2321 as 0x9B). */
static wchar_t
showable(wchar_t wc, bool utf8, int *width)
{
	char mb[MB_LEN_MAX];
	int n, w;

	if (!utf8 && ((n = wctomb(mb, wc)) < 0 || has_c1_byte(mb, n))) {
		*width = 1;
		return L'?';
	}
	w = wcwidth(wc);
	if (w < 0) {
		*width = 1;
		return L'?';
	}
	*width = w;
	return wc;
}

static void
pen_run(const char *text, size_t len, bool is_marker, void *data)
{
	struct text_pen *p = data;
	wchar_t buf[256];
	int n = 0, start = p->x;

	if (p->full)
		return;
	for (size_t i = 0; i < len && !p->full;) {
		uint32_t cp;
		int w;
		wchar_t wc;

		i += utf8_decode(text + i, len - i, &cp);
		wc = showable((wchar_t)cp, p->utf8, &w);
		if (w == 0 && n == 0 && p->x == start && start == 0)
			continue; /* a combining mark with nothing to go on */
		if (p->x + w > p->limit) {
			p->full = true;
			break;
		}
		buf[n++] = wc;
		p->x += w;
		if (n == (int)(sizeof buf / sizeof *buf) - 1 || p->full) {
			if (p->draw) {
				attrset(
				    p->attr |
				    (is_marker ? ui_attr(STYLE_MARKER) : 0));
				mvaddnwstr(p->y, start, buf, n);
			}
			start = p->x;
			n = 0;
		}
	}
	if (n && p->draw) {
		attrset(p->attr | (is_marker ? ui_attr(STYLE_MARKER) : 0));
		mvaddnwstr(p->y, start, buf, n);
	}
}

static bool
locale_is_utf8(void)
{
	static int utf8 = -1;

	if (utf8 < 0)
		utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	return utf8;
}

bool
ui_locale_is_utf8(void)
{
	return locale_is_utf8();
}

int
ui_text(int y, int x, const char *text, int width, attr_t attr)
{
	struct text_pen p = {y,	   x,	  x + width,	   attr,
			     true, false, locale_is_utf8()};

	if (!text || width <= 0)
		return 0;
	sanitize_walk(text, strlen(text), SANITIZE_LINE, pen_run, &p);
	attrset(A_NORMAL);
	return p.x - x;
}

/* What says that text was cut: "…", or "~" where the terminal's codeset
 * has no ellipsis. */
static const char *
cut_mark(void)
{
	return locale_is_utf8() ? "…" : "~";
}

const char *
ui_rollback_mark(void)
{
	return locale_is_utf8() ? "↩" : "<-";
}

void
ui_version_text(const struct core_project *p, const struct task *t, char *out,
		size_t size)
{
	char marked[UI_VERSION_TEXT_SIZE];

	snprintf(marked, sizeof marked, "%s%s%s", t->version,
		 t->rollback_of[0] ? " " : "",
		 t->rollback_of[0] ? ui_rollback_mark() : "");
	if (p && core_version_blocked(p, t->version))
		/* TRANSLATORS: a version blocked in its project (B), in the
		   history and the details. */
		snprintf(out, size, _("%s (blocked)"), marked);
	else
		snprintf(out, size, "%s", marked);
}

int
ui_text_fit(int y, int x, const char *text, int width, attr_t attr)
{
	int used;

	if (width < 2 || ui_text_width(text) <= width)
		return ui_text(y, x, text, width, attr);
	/* Cut to fit: the mark says there is more. */
	used = ui_text(y, x, text, width - 1, attr);
	attrset(attr);
	mvaddstr(y, x + used, cut_mark());
	attrset(A_NORMAL);
	return used + 1;
}

int
ui_text_fit_end(int y, int x, const char *text, int width, attr_t attr)
{
	size_t len, pos = 0;
	int over, used;

	if (width < 2 || (over = ui_text_width(text) - (width - 1)) <= 1)
		return ui_text_fit(y, x, text, width, attr);
	/* Skip characters from the start until the rest fits after the
	 * mark. */
	len = strlen(text);
	while (pos < len && over > 0) {
		uint32_t cp;
		size_t n = utf8_decode(text + pos, len - pos, &cp);

		over -= char_width(text + pos, n);
		pos += n;
	}
	attrset(attr);
	mvaddstr(y, x, cut_mark());
	attrset(A_NORMAL);
	used = ui_text(y, x + 1, text + pos, width - 1, attr);
	return used + 1;
}

char *
ui_text_cut(const char *text, int width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(text ? text : ""), pos = 0;
	int used = 0;

	if (!text || ui_text_width(text) <= width)
		return xstrdup(text ? text : "");
	if (width < 1)
		return xstrdup("");
	while (pos < len) {
		uint32_t cp;
		size_t n = utf8_decode(text + pos, len - pos, &cp);
		int w = char_width(text + pos, n);

		if (used + w > width - 1)
			break;
		used += w;
		pos += n;
	}
	strbuf_add(&sb, text, pos);
	strbuf_addstr(&sb, cut_mark());
	return strbuf_detach(&sb);
}

void
ui_text_pad(int y, int x, const char *text, int width, attr_t attr)
{
	int used = ui_text(y, x, text, width, attr);

	attrset(attr);
	for (int i = used; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

int
ui_text_width(const char *text)
{
	struct text_pen p = {0,	    0,	   INT_MAX / 2,	    0,
			     false, false, locale_is_utf8()};

	if (!text)
		return 0;
	sanitize_walk(text, strlen(text), SANITIZE_LINE, pen_run, &p);
	return p.x;
}

char *
ui_label_line(const char *label, int width, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, label);
	for (int w = ui_text_width(label); w < width; w++)
		strbuf_addch(&sb, ' ');
	strbuf_addch(&sb, ' ');
	strbuf_addstr(&sb, value ? value : "");
	return strbuf_detach(&sb);
}

void
ui_label_value(int y, int x, int width, const char *label, int label_width,
	       const char *value, attr_t value_attr)
{
	ui_text(y, x, label, label_width, A_NORMAL);
	ui_text_fit(y, x + label_width + 1, value ? value : "-",
		    width - label_width - 1, value_attr);
}

void
ui_box(int y, int x, int h, int w, const char *title)
{
	attrset(A_NORMAL);
	for (int r = y; r < y + h; r++)
		mvhline(r, x, ' ', w);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	/* The sides are one cell a row: drawn from the terminal's line
	 * set, each costs a switch into it and out (11 bytes on xterm);
	 * WACS_VLINE is the character itself in a UTF-8 locale (3 bytes),
	 * and the line set's in any other. The top and bottom, runs of one
	 * character, cost a byte a cell in the line set, 3 in UTF-8. */
	mvvline_set(y + 1, x, WACS_VLINE, h - 2);
	mvvline_set(y + 1, x + w - 1, WACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title) {
		mvaddch(y, x + 1, ' ');
		ui_text(y, x + 2, title, w - 6, ui_attr(STYLE_TITLE));
		addch(' ');
	}
}

/* Columns a name keeps before the other name is cut too. */
#define HEADER_NAME_MIN 12

void
ui_header(struct ui_app *app, const struct core_project *p,
	  const char *title_fmt)
{
	const struct user *me = core_me(app->s);
	const char *role = p->me.is_member
			       ? core_role_label(p->me.role, p->me.senior)
			   : me->is_admin ? _("Admin")
					  : _("Not a member");
	const char *project = p->project.name;
	const char *name = me->full_name;
	char *title, *who, *cut;
	/* The project's name and the person's, cut in this order: the
	 * person's name to a few columns, then the project's, then each to
	 * "…" alone. */
	struct {
		const char **text;
		int keep;
	} steps[] = {{&name, HEADER_NAME_MIN},
		     {&project, HEADER_NAME_MIN},
		     {&name, 1},
		     {&project, 1}};
	char *owned[4] = {NULL};
	int over, n;

	for (size_t i = 0;; i++) {
		if (asprintf(&title, title_fmt, project) < 0)
			title = NULL;
		if (asprintf(&who, "%s (%s) - %s", name, me->login, role) < 0)
			who = NULL;
		if (!title || !who)
			break;
		/* Two columns between them. */
		over = ui_text_width(title) + 2 + ui_text_width(who) - COLS;
		if (over <= 0 || i == sizeof steps / sizeof *steps)
			break;
		n = ui_text_width(*steps[i].text);
		if (n > steps[i].keep) {
			cut =
			    ui_text_cut(*steps[i].text, n - over > steps[i].keep
							    ? n - over
							    : steps[i].keep);
			owned[i] = cut;
			*steps[i].text = cut;
		}
		free(title);
		free(who);
	}
	n = ui_text_width(who);
	/* The title whole; the rest of the row for the person, cut at its
	 * end only when a login too long for any screen leaves no choice. */
	ui_text(0, 0, title, COLS, ui_attr(STYLE_TITLE));
	over = COLS - ui_text_width(title) - 2;
	if (n <= over)
		ui_text(0, COLS - n, who, n, A_NORMAL);
	else if (over > 0)
		ui_text_fit(0, COLS - over, who, over, A_NORMAL);
	free(title);
	free(who);
	for (size_t i = 0; i < 4; i++)
		free(owned[i]);
}

/* The rows a message may take above the keys line. */
#define MESSAGE_ROWS 3

void
ui_footer(struct ui_app *app, const char *keys)
{
	int y = LINES - 1;
	attr_t a = app->message_is_error ? ui_attr(STYLE_ERROR)
					 : ui_attr(STYLE_NORMAL);
	struct ui_lines one = {0}, lines = {0};

	size_t n;

	/* A message longer than the screen takes the lines above too, over
	 * the last rows of the list, until the next key: its beginning,
	 * which says what happened, in up to MESSAGE_ROWS rows, the last
	 * cut with "…" when there is more. */
	ui_lines_add(&one, app->message);
	ui_lines_wrap(&lines, &one, COLS);
	n = lines.count < MESSAGE_ROWS ? lines.count : MESSAGE_ROWS;
	for (size_t i = 0; i < n; i++) {
		int row = y - (int)n + (int)i;

		if (i == n - 1 && lines.count > n) {
			struct strbuf last = STRBUF_INIT;
			char *cut;

			strbuf_addf(&last, "%s …", lines.items[i]);
			cut = ui_text_cut(strbuf_str(&last), COLS);
			ui_text_pad(row, 0, cut, COLS, a);
			free(cut);
			strbuf_release(&last);
		} else {
			ui_text_pad(row, 0, lines.items[i], COLS, a);
		}
	}
	ui_lines_free(&one);
	ui_lines_free(&lines);
	ui_text_pad(y, 0, keys, COLS, ui_attr(STYLE_DIM) | A_REVERSE);
}

/* Width of keys items[from, to) and of the blanks, sep each, between
 * them. */
static int
keys_width(const struct ui_lines *items, size_t from, size_t to, int sep)
{
	int w = 0;

	for (size_t i = from; i < to; i++)
		w += ui_text_width(items->items[i]) + (i > from ? sep : 0);
	return w;
}

/* Adds items[from, to) to sb, sep blanks apart. */
static void
keys_add(struct strbuf *sb, const struct ui_lines *items, size_t from,
	 size_t to, int sep)
{
	for (size_t i = from; i < to; i++)
		strbuf_addf(sb, "%*s%s", i > from ? sep : 0, "",
			    items->items[i]);
}

/* The keys line. The screen's own keys at the left, " key word  key
 * word"; the keys that act on the selected row (or the deployment shown)
 * at the right end, so that a move which shows or hides one redraws that
 * end alone. When not all fit: first one blank between the row's keys,
 * then between the screen's; then the screen's keys before '?' are left
 * out from the last ('?' and the ways back after it stay, and so do the
 * row's keys, which say what may be done here). */
void
ui_footer_keys(struct ui_screen *self)
{
	static const int seps[][2] = {{2, 2}, {2, 1}, {1, 1}};
	struct strbuf line = STRBUF_INIT;
	struct ui_lines left = {0}, right = {0};
	size_t help = SIZE_MAX, kept = 0, nr;
	int sep_l = 1, sep_r = 1;
	bool fits = false;

	for (const struct ui_binding *b = self->ops->bindings; b && b->name;
	     b++) {
		if (!b->footer || !ui_binding_now(self, b))
			continue;
		if (!b->of_row && !b->function && b->key == L'?')
			help = left.count;
		ui_lines_addf(b->of_row ? &right : &left, "%s %s", _(b->name),
			      _(b->footer));
	}
	if (help > left.count)
		help = left.count;
	nr = right.count;
	/* Leaving out the last k keys before the help, fewest first; for
	 * each, the widest separators that fit. The line starts a blank in;
	 * the two sides are 3 blanks apart at least; the row's keys end a
	 * blank short of the edge when there is room, at the edge when
	 * not. */
	for (size_t k = 0; k <= help && !fits; k++) {
		kept = help - k;
		for (size_t i = 0; i < sizeof seps / sizeof *seps && !fits;
		     i++) {
			int w_l =
			    keys_width(&left, 0, kept, seps[i][0]) +
			    keys_width(&left, help, left.count, seps[i][0]) +
			    (kept && help < left.count ? seps[i][0] : 0);
			int w_r = keys_width(&right, 0, nr, seps[i][1]);

			sep_l = seps[i][0];
			sep_r = seps[i][1];
			fits = 1 + w_l + (nr ? 3 + w_r : 0) <= COLS;
		}
	}
	/* Too narrow for the row's keys too: the last of them go. */
	while (!fits && nr > 0) {
		nr--;
		fits = 1 + keys_width(&left, help, left.count, 1) +
			   (nr ? 3 + keys_width(&right, 0, nr, 1) : 0) <=
		       COLS;
	}
	strbuf_addch(&line, ' ');
	keys_add(&line, &left, 0, kept, sep_l);
	if (kept && help < left.count)
		strbuf_addf(&line, "%*s", sep_l, "");
	keys_add(&line, &left, help, left.count, sep_l);
	if (nr) {
		int w = ui_text_width(strbuf_str(&line));
		int w_r = keys_width(&right, 0, nr, sep_r);

		strbuf_addf(&line, "%*s",
			    COLS - 1 - w - w_r > 3 ? COLS - 1 - w - w_r : 3,
			    "");
		keys_add(&line, &right, 0, nr, sep_r);
	}
	ui_footer(self->app, strbuf_str(&line));
	strbuf_release(&line);
	ui_lines_free(&left);
	ui_lines_free(&right);
}

void
ui_date(const char *iso, char *out, size_t size)
{
	time_local_display(iso ? iso : "", out, size);
}

void
ui_date_hint(char *out, size_t size)
{
	struct tm tm = {
	    .tm_year = 126, .tm_mon = 1, .tm_mday = 6, .tm_hour = 14};

	if (!strftime(out, size, time_locale_format(), &tm))
		snprintf(out, size, "2026-02-06 14:00");
}

void
ui_lines_add(struct ui_lines *l, const char *text)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->count++] = xstrdup(text ? text : "");
}

void
ui_lines_addf(struct ui_lines *l, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	ui_lines_add(l, n >= 0 ? text : "");
	free(text);
}

/* Columns taken by the character at s (markers included). */
static int
char_width(const char *s, size_t n)
{
	char one[8] = {0};

	memcpy(one, s, n < sizeof one - 1 ? n : sizeof one - 1);
	return ui_text_width(one);
}

void
ui_lines_add_text(struct ui_lines *l, const char *indent, const char *text)
{
	const char *line = text ? text : "";

	for (;;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		struct strbuf sb = STRBUF_INIT;
		size_t col = 0;

		if (!nl && n == 0 && line != text)
			break;
		/* A CR before the LF is a Windows line end, not an overwrite;
		 * a CR anywhere else stays, shown as a marker. */
		if (n > 0 && line[n - 1] == '\r')
			n--;
		strbuf_addstr(&sb, indent);
		/* Tabs to the next multiple of 8 columns as shown, as a
		 * terminal would, and as the form's multi-line fields do. */
		for (size_t i = 0; i < n;) {
			unsigned char c = (unsigned char)line[i];
			uint32_t cp;
			size_t k;

			if (c == '\t') {
				do
					strbuf_addch(&sb, ' ');
				while (++col % 8);
				i++;
			} else if (c >= 0x20 && c < 0x7f) {
				strbuf_addch(&sb, line[i++]);
				col++;
			} else {
				k = utf8_decode(line + i, n - i, &cp);
				strbuf_add(&sb, line + i, k);
				col += (size_t)char_width(line + i, k);
				i += k;
			}
		}
		ui_lines_add(l, strbuf_str(&sb));
		strbuf_release(&sb);
		if (!nl)
			break;
		line = nl + 1;
	}
}

/* Records where row out->count (about to be added) comes from. */
static void
add_origin(struct ui_wrap_map *map, size_t row, size_t line, size_t start,
	   int pad)
{
	if (!map)
		return;
	if (row >= map->cap) {
		map->cap = row + 1 > 2 * map->cap ? row + 1 : 2 * map->cap;
		map->items =
		    xrealloc(map->items, map->cap * sizeof *map->items);
	}
	map->items[row] = (struct ui_wrap_origin){line, start, pad};
	map->count = row + 1;
}

void
ui_lines_wrap(struct ui_lines *out, const struct ui_lines *in, int width)
{
	ui_lines_wrap_map(out, NULL, in, width);
}

void
ui_lines_wrap_map(struct ui_lines *out, struct ui_wrap_map *map,
		  const struct ui_lines *in, int width)
{
	for (size_t i = 0; i < in->count; i++) {
		const char *line = in->items[i];
		size_t len = strlen(line), start = 0;
		/* Continuation lines of an indented line keep its indentation,
		 * and two more columns. */
		int indent = (int)strspn(line, " ");

		if (indent > 0)
			indent += 2;
		if (indent > width / 4)
			indent = 0;
		if (len == 0) {
			add_origin(map, out->count, i, 0, 0);
			ui_lines_add(out, "");
		}
		while (start < len) {
			int avail = start ? width - indent : width;
			size_t pos = start, space = 0, n = 1;
			int used = 0;
			uint32_t cp;

			while (pos < len) {
				int w;

				n = utf8_decode(line + pos, len - pos, &cp);
				w = char_width(line + pos, n);
				if (used + w > avail)
					break;
				if (cp == ' ')
					space = pos + n;
				used += w;
				pos += n;
			}
			/* Cut after a space when one is in the second half. */
			if (pos < len && space > start &&
			    space - start > (pos - start) / 2)
				pos = space;
			if (pos == start) /* a character wider than the line */
				pos += n;
			add_origin(map, out->count, i, start,
				   start ? indent : 0);
			ui_lines_addf(out, "%*s%.*s", start ? indent : 0, "",
				      (int)(pos - start), line + start);
			start = pos;
		}
	}
}

void
ui_lines_free(struct ui_lines *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

bool
ui_scroll_key(struct ui_key k, size_t *top, size_t count, int height)
{
	size_t max = count > (size_t)height ? count - (size_t)height : 0;

	if (k.function) {
		switch (k.code) {
		case KEY_DOWN:
			goto down;
		case KEY_UP:
			goto up;
		case KEY_NPAGE:
			*top = *top + (size_t)height > max
				   ? max
				   : *top + (size_t)height;
			return true;
		case KEY_PPAGE:
			*top =
			    *top > (size_t)height ? *top - (size_t)height : 0;
			return true;
		case KEY_HOME:
			goto home;
		case KEY_END:
			goto end;
		}
		return false;
	}
	switch (k.code) {
	case L'j':
		goto down;
	case L'k':
		goto up;
	case L'g':
		goto home;
	case L'G':
		goto end;
	case L' ':
		*top =
		    *top + (size_t)height > max ? max : *top + (size_t)height;
		return true;
	}
	return false;
down:
	if (*top < max)
		(*top)++;
	return true;
up:
	if (*top > 0)
		(*top)--;
	return true;
home:
	*top = 0;
	return true;
end:
	*top = max;
	return true;
}
