/* JSON strings and CSV fields for the command line's machine output; JSON
 * is also made safe to print to a terminal. */
#include "util/textfmt.h"

#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

/* The bidi controls and invisible format characters of sanitize.h; kept in
 * step with the list in sanitize.c. */
static bool
is_format_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) ||
	       (cp >= 0x200B && cp <= 0x200F) || cp == 0x061C || cp == 0x2060 ||
	       cp == 0xFEFF;
}

/* Characters written as \uXXXX: JSON requires it of C0; the rest could
 * drive a terminal (DEL, C1), break JavaScript parsers (U+2028, U+2029) or
 * hide what the text says. */
static bool
needs_escape(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029 || is_format_control(cp);
}

/* JSON for scripts, which may well print it to a terminal. */
void
json_add_string(struct strbuf *sb, const char *s)
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
		size_t n = utf8_decode(s + off, len - off, &cp);

		if (cp == UTF8_REPLACEMENT &&
		    (n != 3 || memcmp(s + off, replacement, 3) != 0))
			strbuf_addstr(sb, "\\ufffd"); /* ill-formed */
		else if (cp == '"')
			strbuf_addstr(sb, "\\\"");
		else if (cp == '\\')
			strbuf_addstr(sb, "\\\\");
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
		else if (needs_escape(cp))
			strbuf_addf(sb, "\\u%04x", (unsigned)cp);
		else
			strbuf_add(sb, s + off, n);
		off += n;
	}
	strbuf_addch(sb, '"');
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
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
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
