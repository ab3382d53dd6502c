/* SPDX-License-Identifier: MIT */
/* Case- and accent-insensitive search in text as people read it: each
 * character is folded on its own (libunistring's full case folding,
 * decomposed), so that a match maps back to whole characters of the text;
 * the folded line is then searched with memmem(), linear in its length. */
#include "util/textfind.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>

#include "util/strbuf.h"
#include "util/utf8.h"

/* The longest a folded character can be in UTF-8: full case folding gives
 * at most 3 code points, and their decompositions (NFD) a few more. */
#define FOLD_MAX 64

/* The folded form of cp (UTF-8, in out, FOLD_MAX bytes of room): its case
 * folding, decomposed; its combining marks (general category Mn) left out
 * unless keep_marks. *marked is set when it has any. Returns the bytes
 * written, 0 for a character that is nothing but a mark left out. */
static size_t
fold_uncached(uint32_t cp, bool keep_marks, char *out, bool *marked)
{
	uint32_t buf[16], *folded;
	size_t n = sizeof buf / sizeof *buf, len = 0;

	/* "" for the language: the same folding in every locale (no
	 * Turkish dotless i), as utf8_equal_nocase(). */
	folded = u32_casefold(&cp, 1, "", UNINORM_NFD, buf, &n);
	if (!folded) {
		folded = buf, n = 1;
		buf[0] = cp;
	}
	for (size_t i = 0; i < n; i++) {
		if (uc_is_general_category(folded[i], UC_CATEGORY_Mn)) {
			*marked = true;
			if (!keep_marks)
				continue;
		}
		if (len + 4 > FOLD_MAX)
			break;
		len += utf8_encode(folded[i], out + len);
	}
	if (folded != buf)
		free(folded);
	return len;
}

/* fold_uncached(), remembered for the last characters met: logs of 1 MiB
 * are mostly the same few hundred characters. ASCII needs no table. */
static size_t
fold_char(uint32_t cp, bool keep_marks, char *out, bool *marked)
{
	static struct {
		uint32_t key_plus_one;
		bool marked;
		uint8_t len;
		char bytes[FOLD_MAX];
	} seen[512];
	uint32_t key = cp * 2 + keep_marks;
	size_t slot = key % (sizeof seen / sizeof *seen);

	if (cp < 0x80) {
		out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
		return 1;
	}
	if (seen[slot].key_plus_one != key + 1) {
		bool m = false;

		seen[slot].len = (uint8_t)fold_uncached(cp, keep_marks,
							seen[slot].bytes, &m);
		seen[slot].marked = m;
		seen[slot].key_plus_one = key + 1;
	}
	if (seen[slot].marked)
		*marked = true;
	memcpy(out, seen[slot].bytes, seen[slot].len);
	return seen[slot].len;
}

bool
textfind_init(struct textfind *f, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(text ? text : "");
	char one[FOLD_MAX];

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += utf8_decode(text + i, len - i, &cp);
		strbuf_add(&sb, one, fold_char(cp, true, one, &f->accents));
	}
	/* Without an accent typed, the lines are folded without theirs
	 * (textfind_line()); what was typed has none to leave out. */
	f->needle_len = sb.len;
	f->needle = strbuf_detach(&sb);
	return f->needle_len > 0;
}

/* Room for n folded bytes and their origins. */
static void
reserve(struct textfind *f, size_t n)
{
	if (n <= f->folded_cap)
		return;
	f->folded_cap = n > 2 * f->folded_cap ? n : 2 * f->folded_cap;
	f->folded = xrealloc(f->folded, f->folded_cap);
	f->origin = xrealloc(f->origin, f->folded_cap * sizeof *f->origin);
}

size_t
textfind_line(struct textfind *f, const char *line, size_t len,
	      void (*found)(size_t start, size_t end, void *data), void *data)
{
	size_t flen = 0, at = 0, count = 0;
	bool marked = false;

	if (f->needle_len == 0)
		return 0;
	/* Fold the line, each folded byte remembering the character it
	 * comes from. */
	for (size_t i = 0; i < len;) {
		char one[FOLD_MAX];
		uint32_t cp;
		size_t n = utf8_decode(line + i, len - i, &cp);
		size_t k = fold_char(cp, f->accents, one, &marked);

		reserve(f, flen + k + 1);
		memcpy(f->folded + flen, one, k);
		for (size_t j = 0; j < k; j++)
			f->origin[flen + j] = i;
		flen += k;
		i += n;
	}
	reserve(f, flen + 1);
	f->origin[flen] = len;
	while (at + f->needle_len <= flen) {
		const char *hit =
		    memmem(f->folded + at, flen - at, f->needle, f->needle_len);
		size_t a, b;

		if (!hit)
			break;
		a = (size_t)(hit - f->folded);
		b = a + f->needle_len;
		/* A match ending inside a character's folding ("s" in "ß",
		 * folded "ss") takes the whole character. Marks left out
		 * fold to nothing: origin[b] is past them already. */
		while (b < flen && f->origin[b] == f->origin[b - 1])
			b++;
		found(f->origin[a], f->origin[b], data);
		count++;
		at = b;
	}
	return count;
}

void
textfind_free(struct textfind *f)
{
	free(f->needle);
	free(f->folded);
	free(f->origin);
	memset(f, 0, sizeof *f);
}
