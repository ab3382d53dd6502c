/* SPDX-License-Identifier: MIT */
/* The display sanitizer: untrusted text reaches the terminal only through
 * here, with every control and invisible character turned into a marker. */
#include "util/sanitize.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unictype.h>
#include <wchar.h>

#include "util/strbuf.h"
#include "util/utf8.h"

/* Longest marker: "<U+10FFFF>" and its NUL. */
#define MARKER_SIZE 16

/* Characters that change how the text around them is displayed, or are not
 * displayed at all, so that what a person reads differs from what is stored
 * (Trojan Source, hidden text). The bidirectional controls are named here
 * whatever the library's Unicode version; the rest is Unicode's own answer,
 * from libunistring: format characters (general category Cf: U+00AD SOFT
 * HYPHEN, U+180E, U+200B..U+200F, U+2060..U+2064, U+FEFF, the tags
 * U+E0001 and U+E0020..U+E007F...) and default-ignorable code points
 * (U+034F, U+115F, U+1160, U+3164, U+FFA0, the variation selectors
 * U+FE00..U+FE0F and U+E0100..U+E01EF...). */
bool
sanitize_is_invisible(uint32_t cp)
{
	if ((cp >= 0x202A && cp <= 0x202E) || /* LRE RLE PDF LRO RLO */
	    (cp >= 0x2066 && cp <= 0x2069) || /* LRI RLI FSI PDI */
	    cp == 0x200E || cp == 0x200F ||   /* LRM RLM */
	    cp == 0x061C)		      /* ALM */
		return true;
	/* Below U+00AD nothing is either, and ASCII is the common case. */
	if (cp < 0xAD)
		return false;
	return uc_is_general_category(cp, UC_CATEGORY_Cf) ||
	       uc_is_property_default_ignorable_code_point(cp);
}

/* wcwidth() speaks for Unicode only in a UTF-8 locale; elsewhere it would
 * judge our code points by another character set. */
static bool
locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL &&
	       (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "UTF8") == 0);
}

/* True when the locale says cp cannot be displayed (unassigned, a
 * noncharacter, a line or paragraph separator...). */
static bool
is_unprintable(uint32_t cp, bool use_wcwidth)
{
#ifdef __STDC_ISO_10646__
	/* wchar_t values are then Unicode code points. */
	return use_wcwidth && wcwidth((wchar_t)cp) < 0;
#else
	(void)cp;
	(void)use_wcwidth;
	return false;
#endif
}

/* Writes the marker that stands for cp into out and returns true, or returns
 * false when cp may be shown as it is. */
static bool
marker_for(uint32_t cp, enum sanitize_mode mode, bool use_wcwidth,
	   char out[MARKER_SIZE])
{
	if (cp < 0x20) {
		if (mode == SANITIZE_TEXT && (cp == '\n' || cp == '\t'))
			return false;
		snprintf(out, MARKER_SIZE, "^%c", (char)(cp + 0x40));
		return true;
	}
	if (cp == 0x7F) {
		snprintf(out, MARKER_SIZE, "^?");
		return true;
	}
	if (cp >= 0x80 && cp <= 0x9F) {
		snprintf(out, MARKER_SIZE, "<%02X>", (unsigned)cp);
		return true;
	}
	if (sanitize_is_invisible(cp) || is_unprintable(cp, use_wcwidth)) {
		snprintf(out, MARKER_SIZE, "<U+%04X>", (unsigned)cp);
		return true;
	}
	return false;
}

/* Text runs are slices of the input, so the common case copies nothing; a
 * run is cut wherever a marker or a U+FFFD substitution goes. */
void
sanitize_walk(const char *s, size_t len, enum sanitize_mode mode,
	      sanitize_fn fn, void *data)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	bool use_wcwidth = locale_is_utf8();
	size_t off = 0, start = 0;
	char marker[MARKER_SIZE];

	while (off < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + off, len - off, &cp);
		bool is_marker = marker_for(cp, mode, use_wcwidth, marker);
		/* A U+FFFD that was really in the input is kept as it is. */
		bool substituted = cp == UTF8_REPLACEMENT &&
				   (n != 3 || memcmp(s + off, replacement, 3));

		if (is_marker || substituted) {
			if (off > start)
				fn(s + start, off - start, false, data);
			if (is_marker)
				fn(marker, strlen(marker), true, data);
			else
				fn(replacement, 3, false, data);
			start = off + n;
		}
		off += n;
	}
	if (off > start)
		fn(s + start, off - start, false, data);
}

/* sanitize_dup's callback: markers and text alike go into the buffer. */
static void
append_run(const char *text, size_t len, bool is_marker, void *data)
{
	(void)is_marker;
	strbuf_add(data, text, len);
}

/* For output that has no reverse video: CLI tables, logs, messages. */
char *
sanitize_dup(const char *s, enum sanitize_mode mode)
{
	struct strbuf sb = STRBUF_INIT;

	if (s != NULL)
		sanitize_walk(s, strlen(s), mode, append_run, &sb);
	return strbuf_detach(&sb);
}
