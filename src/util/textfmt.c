/* SPDX-License-Identifier: MIT */
/* JSON strings and CSV fields for the command line's machine output; JSON
 * is also made safe to print to a terminal. */
#include "util/textfmt.h"

#include <stdint.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/utf8.h"

/* Characters written as \uXXXX: JSON requires it of C0; the rest could
 * drive a terminal (DEL, C1), break JavaScript parsers (U+2028, U+2029) or
 * hide what the text says. */
static bool
needs_escape(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029 || sanitize_is_invisible(cp);
}

/* \uXXXX, or the UTF-16 surrogate pair JSON writes for a character
 * beyond U+FFFF (the tag character U+E0001 is \udb40\udc01). */
static void
add_escape(struct strbuf *sb, uint32_t cp)
{
	if (cp > 0xFFFF) {
		cp -= 0x10000;
		strbuf_addf(sb, "\\u%04x\\u%04x", 0xD800 + (unsigned)(cp >> 10),
			    0xDC00 + (unsigned)(cp & 0x3FF));
	} else {
		strbuf_addf(sb, "\\u%04x", (unsigned)cp);
	}
}

/* JSON for scripts, which may well print it to a terminal. */
static void
add_json_string(struct strbuf *sb, const char *s, bool ascii)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	size_t len, off = 0;

	if (s == NULL) {
		strbuf_addstr(sb, "null");
		return;
	}
	len = strlen(s);
	strbuf_addch(sb, '"');
	while (off < len) {
		uint32_t cp;
		size_t n, run = off;

		/* Printable ASCII but '"' and '\\' goes as it is, a run at a
		 * time. */
		while (run < len && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] < 0x7F && s[run] != '"' &&
		       s[run] != '\\')
			run++;
		if (run > off) {
			strbuf_add(sb, s + off, run - off);
			off = run;
			continue;
		}
		if (s[off] == '"' || s[off] == '\\') {
			char esc[2] = {'\\', s[off]};

			strbuf_add(sb, esc, 2);
			off++;
			continue;
		}
		n = utf8_decode(s + off, len - off, &cp);
		if (cp == UTF8_REPLACEMENT &&
		    (n != 3 || memcmp(s + off, replacement, 3) != 0))
			strbuf_addstr(sb, "\\ufffd"); /* ill-formed */
		else if (cp == '"')
			strbuf_add(sb, "\\\"", 2);
		else if (cp == '\\')
			strbuf_add(sb, "\\\\", 2);
		else if (cp == '\b')
			strbuf_addstr(sb, "\\b");
		else if (cp == '\f')
			strbuf_addstr(sb, "\\f");
		else if (cp == '\n')
			strbuf_addstr(sb, "\\n");
		else if (cp == '\r')
			strbuf_addstr(sb, "\\r");
		else if (cp == '\t')
			strbuf_addstr(sb, "\\t");
		else if (needs_escape(cp) || (ascii && cp >= 0x80))
			add_escape(sb, cp);
		else
			strbuf_add(sb, s + off, n);
		off += n;
	}
	strbuf_addch(sb, '"');
}

void
json_add_string(struct strbuf *sb, const char *s)
{
	add_json_string(sb, s, false);
}

void
json_add_string_ascii(struct strbuf *sb, const char *s)
{
	add_json_string(sb, s, true);
}

/* RFC 4180 section 2; spaces at either end are quoted too, because many
 * readers trim unquoted fields. */
void
csv_add_field(struct strbuf *sb, const char *s)
{
	size_t len;
	const char *p;

	if (s == NULL)
		return;
	len = strlen(s);
	if (strpbrk(s, ",\"\r\n") == NULL &&
	    (len == 0 || (s[0] != ' ' && s[len - 1] != ' '))) {
		strbuf_add(sb, s, len);
		return;
	}
	strbuf_addch(sb, '"');
	/* Each run up to and including a quote, then the quote again. */
	for (p = s; *p != '\0';) {
		const char *q = strchr(p, '"');

		if (q == NULL) {
			strbuf_add(sb, p, (size_t)(s + len - p));
			break;
		}
		strbuf_add(sb, p, (size_t)(q + 1 - p));
		strbuf_addch(sb, '"');
		p = q + 1;
	}
	strbuf_addch(sb, '"');
}

/* Values in messages: a 2,000-character login must not push the rest of
 * the sentence out of the message. */
const char *
text_cut(const char *s, char buf[TEXT_CUT_SIZE])
{
	size_t len, off = 0;
	int chars = 0;

	if (s == NULL)
		return "";
	len = strlen(s);
	while (off < len && chars < TEXT_CUT_CHARS) {
		uint32_t cp;

		off += utf8_decode(s + off, len - off, &cp);
		chars++;
	}
	if (off == len)
		return s;
	memcpy(buf, s, off);
	memcpy(buf + off, "\xE2\x80\xA6", 4); /* "…" and NUL */
	return buf;
}
