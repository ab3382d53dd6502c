/* SPDX-License-Identifier: MIT */
/* Character sets, through iconv: text is UTF-8 inside deploydesk; it is
 * converted at the edges, to the terminal's codeset on output and from a
 * named or guessed encoding when logs are imported. */
#ifndef DD_UTIL_CHARSET_H
#define DD_UTIL_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

/* The codeset of the current locale (nl_langinfo(CODESET)), and whether it
 * is UTF-8; whether an encoding's name is UTF-8's. */
const char *charset_locale(void);
bool charset_locale_is_utf8(void);
bool charset_is_utf8(const char *name);

/* Appends the UTF-8 text s (len bytes) converted to the encoding `to`;
 * a character that encoding cannot hold becomes '?', never dropped or
 * garbled. Returns false if iconv does not know `to`. */
bool charset_from_utf8(const char *s, size_t len, const char *to,
		       struct strbuf *out);

/* A converter from UTF-8 to `to` kept open for many pieces of text (a
 * CSV written a row at a time): each piece is converted as
 * charset_from_utf8() converts it, from the initial state, without
 * opening iconv for each. charset_conv_open returns NULL if iconv does
 * not know `to`. */
struct charset_conv;
struct charset_conv *charset_conv_open(const char *to);
void charset_conv_add(struct charset_conv *c, const char *s, size_t len,
		      struct strbuf *out);
void charset_conv_close(struct charset_conv *c);

/* The same for a terminal, to `to` or, when NULL, the locale's codeset.
 * When the terminal (the locale) is not UTF-8, a character whose bytes
 * include one in 0x80..0x9F becomes '?' too: an 8-bit terminal would take
 * that byte for a C1 control (KOI8-R writes U+2321 as 0x9B, CSI). Returns
 * false only if iconv does not know a `to` given. */
bool charset_for_terminal(const char *s, size_t len, const char *to,
			  struct strbuf *out);

/* Imported text (logs) to UTF-8: valid UTF-8 is taken as it is, less a
 * byte order mark; otherwise the encoding named (when not NULL), otherwise
 * CP1252, whose five undefined bytes are read as ISO-8859-1. *used names
 * the encoding that was applied ("UTF-8", "CP1252", or the one named).
 * Fails (DD_ERR_INPUT) when the named encoding is unknown or the bytes are
 * not text in it. */
enum dd_code charset_import(const char *data, size_t len, const char *named,
			    struct strbuf *out, const char **used,
			    struct dd_error *err);

#endif
