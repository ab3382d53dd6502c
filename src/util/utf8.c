/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 (RFC 3629 section 4): the validator and decoder that every
 * piece of input goes through, written by hand because glibc's are lax. */
#include "util/utf8.h"

#include <string.h>
#include <unicase.h>
#include <uninorm.h>

/* What utf8_step stores in *cp for an ill-formed sequence; no character has
 * this value, so it cannot be confused with a real U+FFFD in the input. */
#define UTF8_ILL_FORMED 0xFFFFFFFFu

/*
 * Decodes one character, following the RFC 3629 grammar:
 *
 *	UTF8-2 = %xC2-DF UTF8-tail
 *	UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *	         %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *	UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *	         %xF4 %x80-8F 2( UTF8-tail )
 *
 * Only the second byte has a range narrower than 80-BF; those ranges are what
 * exclude overlong forms (E0, F0), surrogates (ED) and values past U+10FFFF
 * (F4). C0, C1 and F5-FF never start a sequence. On an ill-formed sequence,
 * returns the length of its maximal subpart: the longest prefix that the
 * grammar still allowed, or 1 when even the first byte is not a lead byte.
 */
static size_t
utf8_step(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b0 = s[0], lo, hi;
	size_t need, i;
	uint32_t c;

	*cp = UTF8_ILL_FORMED;
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 < 0xC2)
		return 1; /* a continuation byte, or C0/C1 (overlong) */
	lo = 0x80;
	hi = 0xBF;
	if (b0 < 0xE0) {
		need = 1;
		c = b0 & 0x1F;
	} else if (b0 < 0xF0) {
		need = 2;
		c = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0;
		else if (b0 == 0xED)
			hi = 0x9F;
	} else if (b0 < 0xF5) {
		need = 3;
		c = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90;
		else if (b0 == 0xF4)
			hi = 0x8F;
	} else {
		return 1; /* F5-FF: past U+10FFFF, or never UTF-8 at all */
	}

	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return i;
		c = (c << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

/* The one question most callers ask of input. */
bool
utf8_valid(const char *s, size_t len)
{
	return utf8_invalid_offset(s, len) == len;
}

/* Where validation failed, so that an error message can point at it. */
size_t
utf8_invalid_offset(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0;
	uint32_t cp;

	while (off < len) {
		size_t n = utf8_step(p + off, len - off, &cp);

		if (cp == UTF8_ILL_FORMED)
			return off;
		off += n;
	}
	return len;
}

/* The public decoder: as utf8_step, but ill-formed input reads as U+FFFD. */
size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	size_t n = utf8_step((const unsigned char *)s, len, cp);

	if (*cp == UTF8_ILL_FORMED)
		*cp = UTF8_REPLACEMENT;
	return n;
}

/* The inverse of utf8_decode. A surrogate or a value past U+10FFFF breaks
 * the caller's contract; U+FFFD is written so that the output stays valid. */
size_t
utf8_encode(uint32_t cp, char out[4])
{
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Counts code points; in ill-formed input each maximal ill-formed subpart
 * counts as one, as it does when shown as U+FFFD. */
size_t
utf8_length(const char *s, size_t len)
{
	size_t off = 0, count = 0;
	uint32_t cp;

	while (off < len) {
		off += utf8_decode(s + off, len - off, &cp);
		count++;
	}
	return count;
}

/* Imported files may start with a BOM that is not part of the text. */
size_t
utf8_bom_length(const char *s, size_t len)
{
	if (len >= 3 && (unsigned char)s[0] == 0xEF &&
	    (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		return 3;
	return 0;
}

bool
utf8_equal_nocase(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	int cmp;

	if (!utf8_valid(a, na) || !utf8_valid(b, nb))
		return false;
	/* "" for the language: the same folding in every locale (no Turkish
	 * dotless i). NFC: a letter and its accent typed apart match. */
	if (u8_casecmp((const uint8_t *)a, na, (const uint8_t *)b, nb, "",
		       UNINORM_NFC, &cmp) != 0)
		return false;
	return cmp == 0;
}
