/* SPDX-License-Identifier: MIT */
/* Machine output formats: JSON strings and RFC 4180 CSV fields; values cut
 * to a length for messages. */
#ifndef DD_UTIL_TEXTFMT_H
#define DD_UTIL_TEXTFMT_H

#include "util/strbuf.h"

/* Appends s as a JSON string literal, quotes included. Escapes ", \ and
 * every control character (C0, DEL, C1) as \uXXXX (or \n, \t, \r, \b, \f),
 * as well as U+2028, U+2029, bidi controls and invisible format characters
 * (the sanitize.h list), so that JSON printed to a terminal is safe; ill-formed
 * UTF-8 becomes \ufffd. NULL becomes null (no quotes). */
void json_add_string(struct strbuf *sb, const char *s);
/* The same with every character beyond ASCII escaped too (as a surrogate
 * pair beyond U+FFFF): for a terminal that is not UTF-8. */
void json_add_string_ascii(struct strbuf *sb, const char *s);

/* Appends s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote, CR or LF (or starts or ends with a space), with quotes doubled.
 * NULL becomes an empty field. */
void csv_add_field(struct strbuf *sb, const char *s);

/* Longest value of a person's quoted in a message, in characters: the
 * value is cut to this rather than the sentence around it (struct
 * dd_error holds 1,024 bytes), and a screen line stays readable. */
#define TEXT_CUT_CHARS 64
/* Room for TEXT_CUT_CHARS characters of 4 bytes, "…" and the NUL. */
#define TEXT_CUT_SIZE (TEXT_CUT_CHARS * 4 + 4)

/* s itself when it has at most TEXT_CUT_CHARS characters, else its first
 * TEXT_CUT_CHARS characters followed by "…", in buf. Characters are
 * counted as utf8_decode() counts them, so a UTF-8 sequence is never
 * split (an ill-formed byte counts as one). NULL gives "". For messages:
 * _("login: '%s' is not..."), text_cut(login, buf). */
const char *text_cut(const char *s, char buf[TEXT_CUT_SIZE]);

#endif
