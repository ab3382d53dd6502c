/* SPDX-License-Identifier: MIT */
/* Finding what a person typed in text shown to them, as they mean it: case
 * ignored always, accents ignored when what they typed has none ("echec"
 * finds "Échec"; "échec" does not find "echec"). */
#ifndef DD_UTIL_TEXTFIND_H
#define DD_UTIL_TEXTFIND_H

#include <stdbool.h>
#include <stddef.h>

struct textfind {
	char *needle;	   /* what was typed, folded (UTF-8) */
	size_t needle_len; /* its bytes; 0: nothing to find */
	bool accents;	   /* it has accents: they must match too */
	char *folded;	   /* the line being searched, folded */
	size_t *origin;	   /* for each folded byte, its byte in the line */
	size_t folded_cap; /* room in both */
};

/* Prepares a search for text (UTF-8; ill-formed sequences match U+FFFD).
 * False when there is nothing to find (empty text). textfind_free() in
 * both cases. */
bool textfind_init(struct textfind *f, const char *text);

/* Calls found() for each match in the len bytes at line, left to right,
 * none overlapping, with the bytes [start, end) of line it covers: whole
 * characters, with the accents that follow the last one. Time linear in
 * len. Returns the number of matches. */
size_t textfind_line(struct textfind *f, const char *line, size_t len,
		     void (*found)(size_t start, size_t end, void *data),
		     void *data);

void textfind_free(struct textfind *f);

#endif
