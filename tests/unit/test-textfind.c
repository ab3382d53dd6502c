/* SPDX-License-Identifier: MIT */
/* Tests of the search in text as people read it: case, accents (typed or
 * not, precomposed or not), matches mapped back to whole characters, and
 * the time it takes on a long line. */
#include "util/textfind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

static char out[512];
static size_t out_len;

static void
add(size_t start, size_t end, void *data)
{
	(void)data;
	if (out_len < sizeof out - 32)
		out_len += (size_t)sprintf(out + out_len, "%s%zu-%zu",
					   out_len ? " " : "", start, end);
}

static void
none(size_t start, size_t end, void *data)
{
	(void)start, (void)end, (void)data;
}

/* The matches of what in line, as "start-end start-end ...". */
static const char *
matches(const char *what, const char *line)
{
	struct textfind f;

	out[0] = '\0';
	out_len = 0;
	if (!textfind_init(&f, what))
		snprintf(out, sizeof out, "(nothing to find)");
	else
		textfind_line(&f, line, strlen(line), add, NULL);
	textfind_free(&f);
	return out;
}

int
main(void)
{
	is_str(matches("error", "no Error, an ERROR, errors"),
	       "3-8 13-18 20-25", "case is ignored, every match found");
	is_str(matches("ERROR", "an error"), "3-8",
	       "capitals typed find lower case");
	is_str(matches("echec", "\xc3\x89"
				"chec du d\xc3\xa9ploiement"),
	       "0-6",
	       "echec finds \xc3\x89"
	       "chec (the whole \xc3\x89)");
	is_str(matches("echec", "E\xcc\x81"
				"CHEC"),
	       "0-7", "echec finds E + U+0301 + CHEC, the mark included");
	is_str(matches("\xc3\xa9"
		       "chec",
		       "echec \xc3\x89"
		       "CHEC"),
	       "6-12",
	       "\xc3\xa9"
	       "chec typed with its accent does not find echec");
	is_str(matches("e\xcc\x81"
		       "chec",
		       "\xc3\xa9"
		       "chec"),
	       "0-6", "a decomposed accent typed finds the precomposed one");
	is_str(matches("deploiement", "D\xc3\xa9ploiement"), "0-12",
	       "an accent inside the word is ignored");
	is_str(matches("strasse", "Stra\xc3\x9f"
				  "e"),
	       "0-7",
	       "full case folding: strasse finds Stra\xc3\x9f"
	       "e");
	is_str(matches("s", "\xc3\x9f"), "0-2",
	       "a match inside a character's folding takes it once, whole");
	is_str(matches("aa", "aaaaa"), "0-2 2-4", "matches do not overlap");
	is_str(matches("x", "abc"), "", "no match: nothing found");
	is_str(matches("", "abc"), "(nothing to find)",
	       "empty text: nothing to find");
	is_str(matches("abc", "ab"), "", "a line shorter than the text");
	is_str(matches("?", "a\xff"
			    "b"),
	       "", "ill-formed bytes are not '?'");
	is_str(matches("b", "a\xff"
			    "b"),
	       "2-3", "ill-formed bytes keep the offsets right");
	is_str(matches("\xef\xbf\xbd", "a\xff"
				       "b"),
	       "1-2", "ill-formed bytes match U+FFFD, as shown");

	/* 1 MiB on one line, the word at the end, and a needle that makes a
	 * naive search quadratic ("aaa...ab" in "aaaa...a"). */
	{
		size_t n = 1 << 20;
		char *big = malloc(n + 1), needle[1001];
		struct textfind f;
		clock_t t0 = clock();
		size_t count;
		double secs;

		memset(big, 'a', n);
		big[n] = '\0';
		memset(needle, 'a', 1000);
		needle[999] = 'b';
		needle[1000] = '\0';
		textfind_init(&f, needle);
		count = textfind_line(&f, big, n, none, NULL);
		textfind_free(&f);
		memcpy(big + n - 7,
		       "\xc3\x89"
		       "CHEC",
		       6);
		textfind_init(&f, "echec");
		count += textfind_line(&f, big, n, none, NULL);
		textfind_free(&f);
		secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		ok(count == 1, "1 MiB: one match at its end (%zu)", count);
		ok(secs < 2.0, "1 MiB searched twice in %.3f s (linear)", secs);
		free(big);
	}
	return tap_done();
}
