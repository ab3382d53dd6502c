/* SPDX-License-Identifier: MIT */
/* Text people typed or pasted is shown through this, never raw: control
 * characters, bidirectional overrides and invisible format characters become
 * visible markers, so that the stored text cannot drive the terminal. What is
 * stored is never changed; this is for display only. */
#ifndef DD_UTIL_SANITIZE_H
#define DD_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sanitize_mode {
	/* One line: TAB, LF and CR become markers too. */
	SANITIZE_LINE,
	/* Several lines: LF is kept as the line break, TAB is kept (the
	 * caller expands it), CR and every other control become markers. */
	SANITIZE_TEXT,
};

/* Called for each run of the result: either plain, displayable UTF-8 text or
 * a marker (such as "^[", "<9B>", "<U+202E>", "\r" shown as "^M") that a
 * screen may show in reverse video. Text runs never contain a marker. */
typedef void (*sanitize_fn)(const char *text, size_t len, bool is_marker,
			    void *data);

/* True for a character that is not displayed or changes how the text
 * around it is displayed: the bidi controls U+202A..U+202E,
 * U+2066..U+2069, U+200E, U+200F, U+061C, every format character (Unicode
 * general category Cf: U+00AD, U+180E, U+200B, U+2060, U+FEFF, the tags
 * U+E0000..U+E007F...) and every default-ignorable code point (U+034F,
 * U+115F, U+3164, the variation selectors such as U+FE0F...), as
 * libunistring knows them. JSON escapes the same (textfmt.c). */
bool sanitize_is_invisible(uint32_t cp);

/* Walks the len bytes at s. Ill-formed UTF-8 sequences are shown as U+FFFD
 * (as plain text). Replaced with markers: C0 controls (as ^@ .. ^_, save the
 * TAB/LF kept by SANITIZE_TEXT), DEL (^?), C1 controls U+0080..U+009F (as
 * <80> .. <9F>), the characters of sanitize_is_invisible() (as <U+XXXX>),
 * and any other character for which wcwidth() < 0 in the current locale
 * when that locale is UTF-8 (as <U+XXXX>). */
void sanitize_walk(const char *s, size_t len, enum sanitize_mode mode,
		   sanitize_fn fn, void *data);

/* The whole result as one malloc'd string, markers included as plain text
 * (for output where reverse video is not available). Caller frees. */
char *sanitize_dup(const char *s, enum sanitize_mode mode);

#endif
