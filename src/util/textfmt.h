/* Machine output formats: JSON strings and RFC 4180 CSV fields. */
#ifndef DD_UTIL_TEXTFMT_H
#define DD_UTIL_TEXTFMT_H

#include "util/strbuf.h"

/* Appends s as a JSON string literal, quotes included. Escapes ", \ and
 * every control character (C0, DEL, C1) as \uXXXX (or \n, \t, \r, \b, \f),
 * as well as U+2028, U+2029, bidi controls and invisible format characters
 * (the sanitize.h list), so that JSON printed to a terminal is safe; ill-formed
 * UTF-8 becomes \ufffd. NULL becomes null (no quotes). */
void json_add_string(struct strbuf *sb, const char *s);

/* Appends s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote, CR or LF (or starts or ends with a space), with quotes doubled.
 * NULL becomes an empty field. */
void csv_add_field(struct strbuf *sb, const char *s);

#endif
