/* SPDX-License-Identifier: MIT */
/* Output of the command line: aligned tables for people, RFC 4180 CSV and
 * JSON for scripts. Text people typed is sanitized before it reaches a
 * terminal. */
#include "cli/cli.h"

#include <ctype.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/charset.h"
#include "util/i18n.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/textfmt.h"
#include "util/utf8.h"

#define TABLE_CHUNK 500

/* Writes text for people: UTF-8 inside, the terminal's codeset outside,
 * with '?' for what that codeset cannot show, and for what it would
 * write as a C1 byte. */
void
cli_print(FILE *f, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	charset_for_terminal(s, strlen(s), NULL, &sb);
	fputs(strbuf_str(&sb), f);
	strbuf_release(&sb);
}

/* Columns on a terminal taken by s, which is already sanitized UTF-8. */
static size_t
display_width(const char *s)
{
	static int utf8_locale = -1;
	size_t len = strlen(s), w = 0;

	if (utf8_locale < 0)
		utf8_locale = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int cw;

		i += utf8_decode(s + i, len - i, &cp);
		/* Printable ASCII is one column in every locale. */
		cw = utf8_locale && (cp < 0x20 || cp >= 0x7F)
			 ? wcwidth((wchar_t)cp)
			 : 1;
		w += cw > 0 ? (size_t)cw : 0;
	}
	return w;
}

struct cli_list {
	struct cli_ctx *ctx;
	int ncols;
	const char *const *keys;
	const char *const *headers;
	size_t *width;
	bool widths_fixed;
	char **rows; /* table: TABLE_CHUNK rows of ncols sanitized cells */
	size_t nrows;
	size_t written;
	struct strbuf out; /* the row being written, reused */
	char **json_keys;  /* JSON: each key written once, with its ": " */
	size_t *json_key_len;
	/* CSV to a file in the encoding of --encoding: one converter for the
	 * whole list, and the converted row. */
	struct charset_conv *conv;
	struct strbuf converted;
};

/* True when s is its own sanitized text and the terminal takes its bytes
 * as they are: printable ASCII in any locale (0x20..0x7E, one column a
 * byte, the same bytes in every codeset the locale may have), or in a
 * UTF-8 locale well-formed UTF-8 of characters the sanitizer keeps (no
 * control, no invisible character, none wcwidth() rejects). Then *len is
 * its length and *width its display_width(). Anything else takes the
 * long way, sanitize_dup() and the terminal's codeset. */
static bool
plain_cell(const char *s, size_t *len, size_t *width)
{
	static int utf8_locale = -1;
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	if (utf8_locale < 0)
		utf8_locale = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	while (*p) {
		uint32_t cp;
		size_t n;
		int cw;

		if (*p >= 0x20 && *p < 0x7F) {
			p++;
			w++;
			continue;
		}
		if (*p < 0x80 || !utf8_locale)
			return false;
		/* A NUL ends a sequence as any byte outside its range
		 * does, so 4 never reads past the string. */
		n = utf8_decode((const char *)p, 4, &cp);
		if (cp < 0xA0 || cp == UTF8_REPLACEMENT ||
		    sanitize_is_invisible(cp))
			return false;
		cw = wcwidth((wchar_t)cp);
		if (cw < 0)
			return false;
		w += (size_t)cw;
		p += n;
	}
	*len = (size_t)(p - (const unsigned char *)s);
	*width = w;
	return true;
}

/* Appends n spaces. */
static void
add_spaces(struct strbuf *sb, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		strbuf_add(sb, spaces, k);
		n -= k;
	}
}

/* Writes CSV bytes: in the encoding asked for with --encoding, else in the
 * terminal's codeset when it is a terminal, else UTF-8. On a terminal, as
 * for people (no C1 byte to an 8-bit terminal); to a file, the data. */
static void
put_csv(struct cli_ctx *ctx, const struct strbuf *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = strbuf_str(text);
	bool converted;

	if (!ctx->tty && !ctx->encoding) {
		/* The data as it is: the common case, nothing to convert. */
		fwrite(s, 1, strlen(s), stdout);
		return;
	}
	if (ctx->tty)
		converted =
		    charset_for_terminal(s, strlen(s), ctx->encoding, &sb);
	else
		converted = ctx->encoding &&
			    charset_from_utf8(s, strlen(s), ctx->encoding, &sb);
	fputs(converted ? strbuf_str(&sb) : s, stdout);
	strbuf_release(&sb);
}

/* JSON for a terminal whose codeset is not UTF-8 is ASCII, every other
 * character escaped: its UTF-8 bytes would reach the terminal as they are,
 * 0x80..0x9F among them (C1 controls there). */
static bool
json_ascii(const struct cli_ctx *ctx)
{
	return ctx->tty && !charset_locale_is_utf8();
}

/* The text a table cell shows. */
static char *
table_text(const struct cli_cell *c)
{
	const char *t = c->human ? c->human : c->value;

	return sanitize_dup(t ? t : "-", SANITIZE_LINE);
}

static void
put_padded(const char *s, size_t width, bool last)
{
	size_t w = display_width(s);

	cli_print(stdout, s);
	if (!last)
		for (; w < width + 2; w++)
			putchar(' ');
}

static void
flush_table(struct cli_list *l)
{
	if (!l->widths_fixed) {
		for (int c = 0; c < l->ncols; c++)
			l->width[c] = display_width(l->headers[c]);
		for (size_t r = 0; r < l->nrows; r++)
			for (int c = 0; c < l->ncols; c++) {
				size_t w =
				    display_width(l->rows[r * l->ncols + c]);

				if (w > l->width[c])
					l->width[c] = w;
			}
		l->widths_fixed = true;
		for (int c = 0; c < l->ncols; c++)
			put_padded(l->headers[c], l->width[c],
				   c == l->ncols - 1);
		putchar('\n');
	}
	for (size_t r = 0; r < l->nrows; r++) {
		for (int c = 0; c < l->ncols; c++) {
			put_padded(l->rows[r * l->ncols + c], l->width[c],
				   c == l->ncols - 1);
			free(l->rows[r * l->ncols + c]);
		}
		putchar('\n');
	}
	l->nrows = 0;
}

struct cli_list *
cli_list_begin(struct cli_ctx *ctx, int ncols, const char *const keys[],
	       const char *const headers[])
{
	struct cli_list *l = xcalloc(1, sizeof *l);
	struct strbuf sb = STRBUF_INIT;

	l->ctx = ctx;
	l->ncols = ncols;
	l->keys = keys;
	l->headers = headers;
	l->width = xcalloc((size_t)ncols, sizeof *l->width);
	if (ctx->format == FORMAT_TABLE)
		l->rows = xcalloc(TABLE_CHUNK * (size_t)ncols, sizeof *l->rows);
	else if (ctx->format == FORMAT_CSV) {
		if (!ctx->tty && ctx->encoding)
			l->conv = charset_conv_open(ctx->encoding);
		for (int c = 0; c < ncols; c++) {
			if (c)
				strbuf_addch(&sb, ',');
			csv_add_field(&sb, keys[c]);
		}
		strbuf_addstr(&sb, "\r\n");
		put_csv(ctx, &sb);
	} else {
		fputs("[", stdout);
		l->json_keys = xcalloc((size_t)ncols, sizeof *l->json_keys);
		l->json_key_len =
		    xcalloc((size_t)ncols, sizeof *l->json_key_len);
		for (int c = 0; c < ncols; c++) {
			strbuf_reset(&sb);
			json_add_string(&sb, keys[c]);
			strbuf_addstr(&sb, ": ");
			l->json_key_len[c] = sb.len;
			l->json_keys[c] = strbuf_detach(&sb);
		}
	}
	strbuf_release(&sb);
	return l;
}

/* Appends a value as JSON: bare for numbers, a string otherwise. */
/* A stored flat object written again member by member, each string
 * escaped as this output escapes them; false when the text is not such an
 * object (then written as a string, whatever was stored). */
static bool
json_add_object(const struct cli_ctx *ctx, struct strbuf *to, const char *text)
{
	struct json_object o;
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT, buf = STRBUF_INIT;
	struct strbuf *sb = &buf;
	struct json_value k = {.kind = JSON_STRING};
	bool ok = json_object_parse(text, strlen(text), &o);

	if (ok)
		strbuf_addch(sb, '{');
	for (size_t i = 0; ok && i < o.count; i++) {
		const struct json_value *v = &o.members[i].value;

		k.raw = o.members[i].key;
		k.len = o.members[i].key_len;
		k.escaped = memchr(k.raw, '\\', k.len) != NULL;
		ok = json_string_decode(&k, &key);
		if (!ok)
			break;
		if (i)
			strbuf_addstr(sb, ", ");
		if (json_ascii(ctx))
			json_add_string_ascii(sb, strbuf_str(&key));
		else
			json_add_string(sb, strbuf_str(&key));
		strbuf_addstr(sb, ": ");
		switch (v->kind) {
		case JSON_NULL:
			strbuf_addstr(sb, "null");
			break;
		case JSON_BOOL:
			strbuf_addstr(sb, v->boolean ? "true" : "false");
			break;
		case JSON_INT:
			strbuf_addf(sb, "%lld", (long long)v->integer);
			break;
		case JSON_STRING:
			ok = json_string_decode(v, &val);
			if (ok && json_ascii(ctx))
				json_add_string_ascii(sb, strbuf_str(&val));
			else if (ok)
				json_add_string(sb, strbuf_str(&val));
			break;
		}
	}
	if (ok) {
		strbuf_addch(sb, '}');
		strbuf_addstr(to, strbuf_str(sb));
	}
	strbuf_release(&buf);
	strbuf_release(&key);
	strbuf_release(&val);
	return ok;
}

/* Flat objects, one a line, as an array; a line that is not such an
 * object is written as a string. */
static void
json_add_list(const struct cli_ctx *ctx, struct strbuf *sb, const char *text)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = text;

	strbuf_addch(sb, '[');
	for (bool first = true; *p; first = false) {
		size_t n = strcspn(p, "\n");

		strbuf_reset(&line);
		strbuf_add(&line, p, n);
		if (!first)
			strbuf_addstr(sb, ", ");
		if (!json_add_object(ctx, sb, strbuf_str(&line)))
			json_add_string(sb, strbuf_str(&line));
		p += n + (p[n] == '\n');
	}
	strbuf_addch(sb, ']');
	strbuf_release(&line);
}

static void
json_add_cell(const struct cli_ctx *ctx, struct strbuf *sb,
	      const struct cli_cell *c)
{
	if (c->value && c->kind == CELL_NUMBER)
		strbuf_addstr(sb, c->value);
	else if (c->value && c->kind == CELL_JSON &&
		 json_add_object(ctx, sb, c->value))
		return;
	else if (c->value && c->kind == CELL_JSON_LIST)
		json_add_list(ctx, sb, c->value);
	else if (json_ascii(ctx))
		json_add_string_ascii(sb, c->value);
	else
		json_add_string(sb, c->value);
}

/* CSV to a terminal is sanitized; to a file or pipe it is the data. */
/* --csv-safe: a spreadsheet reads a cell that begins with = + - @ (or a
 * tab or carriage return before one) as a formula, which may run commands
 * or send data away (=HYPERLINK, DDE). Such a text cell gets a leading
 * apostrophe, which the spreadsheet shows as text; numbers stay bare. */
static bool
csv_needs_guard(const struct cli_ctx *ctx, const struct cli_cell *c)
{
	return ctx->csv_safe && c->value && c->kind != CELL_NUMBER &&
	       c->value[0] && strchr("=+-@\t\r", c->value[0]);
}

static void
csv_add_cell(struct cli_ctx *ctx, struct strbuf *sb, const struct cli_cell *c)
{
	if (csv_needs_guard(ctx, c)) {
		struct strbuf guarded = STRBUF_INIT;
		struct cli_cell g = *c;

		strbuf_addch(&guarded, '\'');
		strbuf_addstr(&guarded, c->value);
		g.value = strbuf_str(&guarded);
		csv_add_cell(ctx, sb, &g);
		strbuf_release(&guarded);
		return;
	}
	if (ctx->tty && c->value) {
		char *safe = sanitize_dup(c->value, SANITIZE_TEXT);

		csv_add_field(sb, safe);
		free(safe);
	} else {
		csv_add_field(sb, c->value);
	}
}

/* A table's row once the widths are fixed (by the first chunk): written
 * as it comes, as flush_table would write it. Printable ASCII, the common
 * case, goes as it is; anything else through the sanitizer, the width
 * and the terminal's codeset as put_padded does. */
static void
table_row_now(struct cli_list *l, const struct cli_cell cells[])
{
	struct strbuf *sb = &l->out;

	strbuf_reset(sb);
	for (int c = 0; c < l->ncols; c++) {
		const char *t =
		    cells[c].human ? cells[c].human : cells[c].value;
		size_t w, len;

		if (!t)
			t = "-";
		if (plain_cell(t, &len, &w)) {
			strbuf_add(sb, t, len);
		} else {
			char *safe = sanitize_dup(t, SANITIZE_LINE);

			w = display_width(safe);
			charset_for_terminal(safe, strlen(safe), NULL, sb);
			free(safe);
		}
		if (c < l->ncols - 1 && w < l->width[c] + 2)
			add_spaces(sb, l->width[c] + 2 - w);
	}
	strbuf_addch(sb, '\n');
	fwrite(sb->buf, 1, sb->len, stdout);
}

void
cli_list_row(struct cli_list *l, const struct cli_cell cells[])
{
	struct strbuf *sb = &l->out;

	strbuf_reset(sb);
	switch (l->ctx->format) {
	case FORMAT_TABLE:
		if (l->widths_fixed) {
			table_row_now(l, cells);
			break;
		}
		for (int c = 0; c < l->ncols; c++)
			l->rows[l->nrows * l->ncols + c] =
			    table_text(&cells[c]);
		if (++l->nrows == TABLE_CHUNK)
			flush_table(l);
		break;
	case FORMAT_CSV:
		for (int c = 0; c < l->ncols; c++) {
			if (c)
				strbuf_addch(sb, ',');
			csv_add_cell(l->ctx, sb, &cells[c]);
		}
		strbuf_addstr(sb, "\r\n");
		if (l->conv) {
			/* As put_csv() writes it, fputs() included. */
			strbuf_reset(&l->converted);
			charset_conv_add(l->conv, sb->buf, sb->len,
					 &l->converted);
			fputs(strbuf_str(&l->converted), stdout);
		} else {
			put_csv(l->ctx, sb);
		}
		break;
	case FORMAT_JSON:
		strbuf_addstr(sb, l->written ? ",\n  {" : "\n  {");
		for (int c = 0; c < l->ncols; c++) {
			if (c)
				strbuf_addstr(sb, ", ");
			strbuf_add(sb, l->json_keys[c], l->json_key_len[c]);
			json_add_cell(l->ctx, sb, &cells[c]);
		}
		strbuf_addch(sb, '}');
		fwrite(sb->buf, 1, sb->len, stdout);
		break;
	}
	l->written++;
}

void
cli_list_end(struct cli_list *l)
{
	cli_list_finish(l, true);
}

void
cli_list_finish(struct cli_list *l, bool complete)
{
	if (l->ctx->format == FORMAT_TABLE) {
		if (l->written || l->nrows)
			flush_table(l);
		else if (complete)
			cli_say(l->ctx, "%s", _("(none)"));
	} else if (l->ctx->format == FORMAT_JSON) {
		fputs(l->written ? "\n]\n" : "]\n", stdout);
	}
	if (l->json_keys)
		for (int c = 0; c < l->ncols; c++)
			free(l->json_keys[c]);
	free(l->json_keys);
	free(l->json_key_len);
	strbuf_release(&l->out);
	strbuf_release(&l->converted);
	charset_conv_close(l->conv);
	free(l->rows);
	free(l->width);
	free(l);
}

struct cli_record {
	struct cli_ctx *ctx;
	struct strbuf head; /* CSV header, or the JSON object */
	struct strbuf row;  /* CSV row */
	int nfields;
	/* The table's fields, held until the end so that the values line
	 * up after the longest label of the language. */
	char **labels, **texts;
	size_t nheld, capheld;
};

/* The values of a record start at least this far, and at most that. */
#define LABEL_WIDTH_MIN 16
#define LABEL_WIDTH_MAX 34

/* A copy of text with each CR LF made LF. */
static char *
crlf_to_lf(const char *text)
{
	char *out = xstrdup(text), *w = out;

	for (const char *r = text; *r; r++)
		if (!(r[0] == '\r' && r[1] == '\n'))
			*w++ = *r;
	*w = '\0';
	return out;
}

struct cli_record *
cli_record_begin(struct cli_ctx *ctx)
{
	struct cli_record *r = xcalloc(1, sizeof *r);

	r->ctx = ctx;
	if (ctx->format == FORMAT_JSON)
		strbuf_addch(&r->head, '{');
	return r;
}

void
cli_record_field(struct cli_record *r, const char *key, const char *header,
		 struct cli_cell cell)
{
	const char *text = cell.human ? cell.human : cell.value;

	switch (r->ctx->format) {
	case FORMAT_TABLE: {
		/* TRANSLATORS: a field's name before its value ("Total:");
		   French puts a space before the colon ("Total :"). */
		char *label = NULL;

		if (asprintf(&label, _("%s:"), header) < 0)
			label = xstrdup(header);
		if (r->nheld == r->capheld) {
			r->capheld = r->capheld ? 2 * r->capheld : 32;
			r->labels =
			    xrealloc(r->labels, r->capheld * sizeof *r->labels);
			r->texts =
			    xrealloc(r->texts, r->capheld * sizeof *r->texts);
		}
		r->labels[r->nheld] = label;
		r->texts[r->nheld++] = text ? xstrdup(text) : NULL;
		break;
	}
	case FORMAT_CSV:
		if (r->nfields) {
			strbuf_addch(&r->head, ',');
			strbuf_addch(&r->row, ',');
		}
		csv_add_field(&r->head, key);
		csv_add_cell(r->ctx, &r->row, &cell);
		break;
	case FORMAT_JSON:
		strbuf_addstr(&r->head, r->nfields ? ",\n  " : "\n  ");
		json_add_string(&r->head, key);
		strbuf_addstr(&r->head, ": ");
		json_add_cell(r->ctx, &r->head, &cell);
		break;
	}
	r->nfields++;
}

/* One field of a table record, its value from column width on. */
static void
table_field(const char *label, const char *text, size_t width)
{
	char *safe;

	cli_print(stdout, label);
	/* Multi-line text goes below its label: no blanks after it. */
	if (!text || !strchr(text, '\n')) {
		for (size_t w = display_width(label); w < width; w++)
			putchar(' ');
		putchar(' ');
	}
	if (text && strchr(text, '\n')) {
		/* Multi-line text: each line indented below; a CR ending a
		 * line (Windows logs) is the line end, not a control to
		 * show. */
		char *lf = crlf_to_lf(text);

		safe = sanitize_dup(lf, SANITIZE_TEXT);
		free(lf);
		putchar('\n');
		for (char *line = safe, *nl; line && *line;
		     line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			fputs("    ", stdout);
			cli_print(stdout, line);
			putchar('\n');
		}
	} else {
		safe = sanitize_dup(text ? text : "-", SANITIZE_LINE);
		cli_print(stdout, safe);
		putchar('\n');
	}
	free(safe);
}

void
cli_record_end(struct cli_record *r)
{
	size_t width = LABEL_WIDTH_MIN;

	for (size_t i = 0; i < r->nheld; i++) {
		size_t w = display_width(r->labels[i]);

		if (w > width && w <= LABEL_WIDTH_MAX)
			width = w;
	}
	for (size_t i = 0; i < r->nheld; i++) {
		table_field(r->labels[i], r->texts[i], width);
		free(r->labels[i]);
		free(r->texts[i]);
	}
	free(r->labels);
	free(r->texts);
	if (r->ctx->format == FORMAT_CSV) {
		strbuf_addstr(&r->head, "\r\n");
		strbuf_addstr(&r->head, strbuf_str(&r->row));
		strbuf_addstr(&r->head, "\r\n");
		put_csv(r->ctx, &r->head);
	} else if (r->ctx->format == FORMAT_JSON)
		printf("%s\n}\n", strbuf_str(&r->head));
	strbuf_release(&r->head);
	strbuf_release(&r->row);
	free(r);
}

void
cli_say(struct cli_ctx *ctx, const char *fmt, ...)
{
	char *text = NULL, *safe;
	va_list ap;
	int n;

	(void)ctx;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	safe = sanitize_dup(text, SANITIZE_TEXT);
	cli_print(stdout, safe);
	putchar('\n');
	free(safe);
	free(text);
}

void
cli_error(const char *fmt, ...)
{
	char *text = NULL, *safe;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	safe = sanitize_dup(text, SANITIZE_LINE);
	fputs("deploydesk: ", stderr);
	cli_print(stderr, safe);
	fputc('\n', stderr);
	free(safe);
	free(text);
}

int
cli_fail(enum dd_code code, const struct dd_error *err)
{
	cli_error("%s", err->msg[0] ? err->msg : _("failed"));
	return code ? (int)code : DD_ERR_RUNTIME;
}

const char *
cli_code(const char *typed, char *buf, size_t size)
{
	size_t n = strlen(typed);

	if (n >= size)
		n = 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)typed[i]);
	buf[n] = '\0';
	return buf;
}

/* The command whose help a usage error points to, or NULL. */
static const char *usage_topic;

void
cli_usage_topic(const char *command)
{
	usage_topic = command;
}

int
cli_usage(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n >= 0 && usage_topic)
		cli_error(_("%s (see 'deploydesk help %s')"), text,
			  usage_topic);
	else if (n >= 0)
		cli_error(_("%s (see 'deploydesk --help')"), text);
	free(text);
	return DD_ERR_INPUT;
}

void
cli_done(const struct cli_ctx *ctx, const char *fmt, ...)
{
	char *text = NULL, *safe;
	va_list ap;
	int n;

	if (ctx->quiet)
		return;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	safe = sanitize_dup(text, SANITIZE_LINE);
	cli_print(stderr, safe);
	fputc('\n', stderr);
	free(safe);
	free(text);
}
