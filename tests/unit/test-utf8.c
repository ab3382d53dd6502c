/* SPDX-License-Identifier: MIT */
/* Tests of the strict UTF-8 validator and decoder: Markus Kuhn's stress
 * cases, Prosody's RFC 3629 vectors, the Unicode maximal-subpart examples and
 * an exhaustive comparison with a plain reading of the RFC. */
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

/* Byte-string literals with their length, NULs included. */
#define V(lit) utf8_valid(lit, sizeof(lit) - 1)
#define DESCRIBE(lit) describe(lit, sizeof(lit) - 1)

/* Shows how utf8_decode splits s: code points in hex, and "?n" for a U+FFFD
 * that replaced an ill-formed subpart of n bytes. */
static const char *
describe(const char *s, size_t len)
{
	static char out[1024];
	size_t off = 0, o = 0;

	out[0] = '\0';
	while (off < len && o < sizeof out - 16) {
		uint32_t cp;
		size_t n = utf8_decode(s + off, len - off, &cp);

		if (o > 0)
			out[o++] = ' ';
		if (cp == UTF8_REPLACEMENT &&
		    !(n == 3 && memcmp(s + off, "\xEF\xBF\xBD", 3) == 0))
			o += (size_t)sprintf(out + o, "?%zu", n);
		else
			o += (size_t)sprintf(out + o, "%X", (unsigned)cp);
		off += n;
	}
	out[o] = '\0';
	return out;
}

/* Decodes a whole well-formed sequence and checks the code point and the
 * length taken. */
static int
decodes_to(const char *s, size_t len, uint32_t want)
{
	uint32_t cp = 0;
	size_t n = utf8_decode(s, len, &cp);

	return n == len && cp == want && utf8_valid(s, len);
}
#define DECODES(lit, cp) decodes_to(lit, sizeof(lit) - 1, cp)

/* The RFC read naively, as a separate oracle: the lead byte gives the length,
 * the rest must be 10xxxxxx, and the value must be minimal, not a surrogate,
 * and at most U+10FFFF. True when s is exactly one such character. */
static int
reference_single(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		n = 1;
		c = s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n != len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return 1;
}

/* Whether utf8.c agrees with the oracle on s: same verdict, and the same
 * code point for a valid character. */
static int
agrees(const unsigned char *s, size_t len)
{
	uint32_t want = 0, got = 0;
	int ref = reference_single(s, len, &want);
	int mine = utf8_valid((const char *)s, len) &&
		   utf8_length((const char *)s, len) == 1;

	if (ref != mine)
		return 0;
	if (ref &&
	    (utf8_decode((const char *)s, len, &got) != len || got != want))
		return 0;
	return 1;
}

/* Kuhn section 1 and 2: correct text and boundary values. */
static void
test_kuhn_boundaries(void)
{
	ok(V("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"),
	   "1: Greek kosme is valid");
	ok(utf8_length("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 11) == 5,
	   "1: kosme has 5 characters");

	/* 2.1 first possible sequence of each length */
	ok(DECODES("\x00", 0x0), "2.1.1 U+0000 (NUL) is valid");
	ok(DECODES("\xc2\x80", 0x80), "2.1.2 C2 80 = U+0080");
	ok(DECODES("\xe0\xa0\x80", 0x800), "2.1.3 E0 A0 80 = U+0800");
	ok(DECODES("\xf0\x90\x80\x80", 0x10000), "2.1.4 F0 90 80 80 = U+10000");
	ok(!V("\xf8\x88\x80\x80\x80"), "2.1.5 5-byte F8 88 80 80 80 rejected");
	ok(!V("\xfc\x84\x80\x80\x80\x80"),
	   "2.1.6 6-byte FC 84 80 80 80 80 rejected");

	/* 2.2 last possible sequence of each length */
	ok(DECODES("\x7f", 0x7F), "2.2.1 U+007F is valid");
	ok(DECODES("\xdf\xbf", 0x7FF), "2.2.2 DF BF = U+07FF");
	ok(DECODES("\xef\xbf\xbf", 0xFFFF), "2.2.3 EF BF BF = U+FFFF");
	ok(!V("\xf7\xbf\xbf\xbf"), "2.2.4 F7 BF BF BF (U+1FFFFF) rejected");
	ok(!V("\xfb\xbf\xbf\xbf\xbf"), "2.2.5 5-byte FB BF.. rejected");
	ok(!V("\xfd\xbf\xbf\xbf\xbf\xbf"), "2.2.6 6-byte FD BF.. rejected");

	/* 2.3 other boundary conditions */
	ok(DECODES("\xed\x9f\xbf", 0xD7FF), "2.3.1 ED 9F BF = U+D7FF");
	ok(DECODES("\xee\x80\x80", 0xE000), "2.3.2 EE 80 80 = U+E000");
	ok(DECODES("\xef\xbf\xbd", 0xFFFD), "2.3.3 EF BF BD = U+FFFD");
	ok(DECODES("\xf4\x8f\xbf\xbf", 0x10FFFF),
	   "2.3.4 F4 8F BF BF = U+10FFFF");
	ok(!V("\xf4\x90\x80\x80"), "2.3.5 F4 90 80 80 (U+110000) rejected");
}

/* Kuhn section 3: malformed sequences. */
static void
test_kuhn_malformed(void)
{
	char buf[130];
	int bad = 0;
	unsigned b;

	/* 3.1 unexpected continuation bytes */
	for (b = 0x80; b <= 0xBF; b++) {
		uint32_t cp = 0;

		buf[0] = (char)b;
		if (utf8_valid(buf, 1) || utf8_decode(buf, 1, &cp) != 1 ||
		    cp != UTF8_REPLACEMENT)
			bad++;
	}
	ok(bad == 0, "3.1 each lone continuation byte 80..BF is one U+FFFD");
	is_str(DESCRIBE("\x80\xbf"), "?1 ?1", "3.1.3 80 BF");
	is_str(DESCRIBE("\x80\xbf\x80"), "?1 ?1 ?1", "3.1.4 80 BF 80");
	is_str(DESCRIBE("\x80\xbf\x80\xbf\x80\xbf\x80"), "?1 ?1 ?1 ?1 ?1 ?1 ?1",
	       "3.1.8 seven continuation bytes");
	for (b = 0; b < 64; b++)
		buf[b] = (char)(0x80 + b);
	ok(utf8_invalid_offset(buf, 64) == 0 && utf8_length(buf, 64) == 64,
	   "3.1.9 all 64 continuation bytes: 64 replacements");

	/* 3.2 lonely start characters, each followed by a space */
	bad = 0;
	for (b = 0xC0; b <= 0xFD; b++) {
		uint32_t cp = 0;

		buf[0] = (char)b;
		buf[1] = ' ';
		if (utf8_valid(buf, 2) || utf8_decode(buf, 2, &cp) != 1 ||
		    cp != UTF8_REPLACEMENT ||
		    utf8_invalid_offset(buf, 2) != 0 ||
		    utf8_decode(buf + 1, 1, &cp) != 1 || cp != ' ')
			bad++;
	}
	ok(bad == 0, "3.2 start bytes C0..FD followed by a space: U+FFFD, ' '");

	/* 3.3 sequences with the last continuation byte missing */
	is_str(DESCRIBE("\xc0"), "?1", "3.3.1 C0");
	is_str(DESCRIBE("\xe0\x80"), "?1 ?1", "3.3.2 E0 80 (overlong prefix)");
	is_str(DESCRIBE("\xf0\x80\x80"), "?1 ?1 ?1", "3.3.3 F0 80 80");
	is_str(DESCRIBE("\xf8\x80\x80\x80"), "?1 ?1 ?1 ?1",
	       "3.3.4 F8 80 80 80");
	is_str(DESCRIBE("\xfc\x80\x80\x80\x80"), "?1 ?1 ?1 ?1 ?1",
	       "3.3.5 FC 80 80 80 80");
	is_str(DESCRIBE("\xdf"), "?1", "3.3.6 DF truncated");
	is_str(DESCRIBE("\xef\xbf"), "?2", "3.3.7 EF BF truncated: one U+FFFD");
	is_str(DESCRIBE("\xf7\xbf\xbf"), "?1 ?1 ?1", "3.3.8 F7 BF BF");
	is_str(DESCRIBE("\xf4\x8f\xbf"), "?3",
	       "F4 8F BF truncated: one U+FFFD");
	is_str(DESCRIBE("\xfb\xbf\xbf\xbf"), "?1 ?1 ?1 ?1",
	       "3.3.9 FB BF BF BF");
	is_str(DESCRIBE("\xfd\xbf\xbf\xbf\xbf"), "?1 ?1 ?1 ?1 ?1",
	       "3.3.10 FD BF BF BF BF");

	/* 3.4 the ten sequences of 3.3 concatenated: 30 bytes */
	{
		static const char cat[] =
		    "\xc0\xe0\x80\xf0\x80\x80\xf8\x80\x80\x80"
		    "\xfc\x80\x80\x80\x80\xdf\xef\xbf\xf7\xbf"
		    "\xbf\xfb\xbf\xbf\xbf\xfd\xbf\xbf\xbf\xbf";

		ok(!utf8_valid(cat, 30), "3.4 concatenation rejected");
		ok(utf8_length(cat, 30) == 29,
		   "3.4 concatenation gives 29 U+FFFD (got %zu)",
		   utf8_length(cat, 30));
		is_str(DESCRIBE(cat),
		       "?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?2 "
		       "?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1",
		       "3.4 maximal subparts of the concatenation");
	}

	/* 3.5 impossible bytes */
	ok(!V("\xfe"), "3.5.1 FE rejected");
	ok(!V("\xff"), "3.5.2 FF rejected");
	is_str(DESCRIBE("\xfe\xfe\xff\xff"), "?1 ?1 ?1 ?1",
	       "3.5.3 FE FE FF FF");
}

/* Kuhn sections 4 and 5: overlong forms, surrogates, noncharacters. */
static void
test_kuhn_overlong_surrogates(void)
{
	/* 4.1 overlong '/' */
	ok(!V("\xc0\xaf"), "4.1.1 C0 AF rejected");
	ok(!V("\xe0\x80\xaf"), "4.1.2 E0 80 AF rejected");
	ok(!V("\xf0\x80\x80\xaf"), "4.1.3 F0 80 80 AF rejected");
	ok(!V("\xf8\x80\x80\x80\xaf"), "4.1.4 F8 80 80 80 AF rejected");
	ok(!V("\xfc\x80\x80\x80\x80\xaf"), "4.1.5 FC 80 80 80 80 AF rejected");
	/* 4.2 maximum overlong sequences */
	ok(!V("\xc1\xbf"), "4.2.1 C1 BF rejected");
	ok(!V("\xe0\x9f\xbf"), "4.2.2 E0 9F BF rejected");
	ok(!V("\xf0\x8f\xbf\xbf"), "4.2.3 F0 8F BF BF rejected");
	ok(!V("\xf8\x87\xbf\xbf\xbf"), "4.2.4 F8 87 BF BF BF rejected");
	ok(!V("\xfc\x83\xbf\xbf\xbf\xbf"), "4.2.5 FC 83 BF BF BF BF rejected");
	/* 4.3 overlong NUL, which would smuggle a NUL past C string checks */
	is_str(DESCRIBE("\xc0\x80"), "?1 ?1", "4.3.1 C0 80: two U+FFFD");
	is_str(DESCRIBE("\xe0\x80\x80"), "?1 ?1 ?1", "4.3.2 E0 80 80");
	is_str(DESCRIBE("\xf0\x80\x80\x80"), "?1 ?1 ?1 ?1",
	       "4.3.3 F0 80 80 80");
	ok(!V("\xf8\x80\x80\x80\x80"), "4.3.4 F8 80 80 80 80 rejected");
	ok(!V("\xfc\x80\x80\x80\x80\x80"), "4.3.5 FC 80 80 80 80 80 rejected");

	/* 5.1 single UTF-16 surrogates */
	ok(!V("\xed\xa0\x80"), "5.1.1 ED A0 80 (U+D800) rejected");
	ok(!V("\xed\xad\xbf"), "5.1.2 ED AD BF (U+DB7F) rejected");
	ok(!V("\xed\xae\x80"), "5.1.3 ED AE 80 (U+DB80) rejected");
	ok(!V("\xed\xaf\xbf"), "5.1.4 ED AF BF (U+DBFF) rejected");
	ok(!V("\xed\xb0\x80"), "5.1.5 ED B0 80 (U+DC00) rejected");
	ok(!V("\xed\xbe\x80"), "5.1.6 ED BE 80 (U+DF80) rejected");
	ok(!V("\xed\xbf\xbf"), "5.1.7 ED BF BF (U+DFFF) rejected");
	is_str(DESCRIBE("\xed\xa0\x80"), "?1 ?1 ?1",
	       "5.1.1 ED A0 80: three U+FFFD");
	/* 5.2 paired surrogates (CESU-8) */
	ok(!V("\xed\xa0\x80\xed\xb0\x80"), "5.2.1 U+D800 U+DC00 rejected");
	ok(!V("\xed\xaf\xbf\xed\xbf\xbf"), "5.2.8 U+DBFF U+DFFF rejected");
	/* 5.3 noncharacters are well-formed UTF-8 */
	ok(DECODES("\xef\xbf\xbe", 0xFFFE), "5.3.1 U+FFFE accepted");
	ok(DECODES("\xef\xbf\xbf", 0xFFFF), "5.3.2 U+FFFF accepted");
	ok(DECODES("\xef\xb7\x90", 0xFDD0), "5.3 U+FDD0 accepted");
	ok(DECODES("\xf4\x8f\xbf\xbe", 0x10FFFE), "5.3 U+10FFFE accepted");
}

/* Prosody's vectors: each edge of the RFC 3629 grammar, from both sides. */
static void
test_prosody(void)
{
	static const struct {
		const char *bytes;
		int valid;
	} v[] = {
	    {"\x41", 1},
	    {"\xc2\x80", 1},
	    {"\xdf\xbf", 1},
	    {"\xe0\xa0\x80", 1},
	    {"\xe0\xbf\xbf", 1},
	    {"\xe1\x80\x80", 1},
	    {"\xec\xbf\xbf", 1},
	    {"\xed\x80\x80", 1},
	    {"\xed\x9f\xbf", 1},
	    {"\xee\x80\x80", 1},
	    {"\xef\xbf\xbf", 1},
	    {"\xf0\x90\x80\x80", 1},
	    {"\xf0\xbf\xbf\xbf", 1},
	    {"\xf1\x80\x80\x80", 1},
	    {"\xf3\xbf\xbf\xbf", 1},
	    {"\xf4\x80\x80\x80", 1},
	    {"\xf4\x8f\xbf\xbf", 1},
	    {"\x80", 0},
	    {"\xbf", 0},
	    {"\xc0\x80", 0},
	    {"\xc1\xbf", 0},
	    {"\xc2", 0},
	    {"\xc2\x41", 0},
	    {"\xc2\xc0", 0},
	    {"\xe0\x80\x80", 0},
	    {"\xe0\x9f\xbf", 0},
	    {"\xe1\x80", 0},
	    {"\xe1\x7f\x80", 0},
	    {"\xe1\x80\xc0", 0},
	    {"\xed\xa0\x80", 0},
	    {"\xed\xbf\xbf", 0},
	    {"\xf0\x80\x80\x80", 0},
	    {"\xf0\x8f\xbf\xbf", 0},
	    {"\xf1\x80\x80", 0},
	    {"\xf4\x90\x80\x80", 0},
	    {"\xf4\xbf\xbf\xbf", 0},
	    {"\xf5\x80\x80\x80", 0},
	    {"\xf7\xbf\xbf\xbf", 0},
	    {"\xff", 0},
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		const char *s = v[i].bytes;
		char hex[32] = "";
		size_t j, o = 0;

		for (j = 0; s[j] != '\0'; j++)
			o += (size_t)sprintf(hex + o, "%s%02X", j ? " " : "",
					     (unsigned char)s[j]);
		ok(utf8_valid(s, strlen(s)) == (v[i].valid != 0),
		   "prosody %s %s", hex, v[i].valid ? "accepted" : "rejected");
	}
}

/* The examples of the Unicode Standard, chapter 3, "U+FFFD Substitution of
 * Maximal Subparts" (tables 3-8 to 3-11). */
static void
test_maximal_subparts(void)
{
	is_str(DESCRIBE("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64"),
	       "61 ?3 ?2 ?1 62 ?1 63 ?1 ?1 64", "table 3-8");
	is_str(DESCRIBE("\xc0\xaf\xe0\x80\xbf\xf0\x81\x82\x41"),
	       "?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 41", "table 3-9: non-shortest forms");
	is_str(DESCRIBE("\xed\xa0\x80\xed\xbf\xbf\xed\xaf\x41"),
	       "?1 ?1 ?1 ?1 ?1 ?1 ?1 ?1 41", "table 3-10: surrogates");
	is_str(DESCRIBE("\xf4\x91\x92\x93\xff\x41\x80\xbf\x42"),
	       "?1 ?1 ?1 ?1 ?1 41 ?1 ?1 42", "table 3-11: out of range");
	is_str(DESCRIBE("\xe1\x80\xe2\xf0\x91\x92\xf1\xbf\x41"),
	       "?2 ?1 ?3 ?2 41", "table 3-11: truncated sequences");
	is_str(DESCRIBE("\xf0\x9f\x98\x80\xe2\x82"), "1F600 ?2",
	       "a character, then a truncated one at the end");
	is_str(DESCRIBE("\xe2\x82\xac\xef\xbf\xbd\xc3"), "20AC FFFD ?1",
	       "a real U+FFFD is decoded, not substituted");
}

/* utf8_invalid_offset, utf8_length, utf8_bom_length. */
static void
test_helpers(void)
{
	ok(utf8_valid("", 0), "empty input is valid");
	ok(V("a\0b"), "an embedded NUL is valid UTF-8");
	ok(utf8_invalid_offset("abc", 3) == 3, "offset of valid text is len");
	ok(utf8_invalid_offset("ab\xc3", 3) == 2, "truncated at end: offset 2");
	ok(utf8_invalid_offset("ab\xc3\xa9xy\xff", 7) == 6,
	   "offset points at FF after \"ab\\u00e9xy\"");
	ok(utf8_invalid_offset("\xe2\x82\xac\xed\xa0\x80", 6) == 3,
	   "offset points at a surrogate after a euro sign");
	ok(!utf8_valid("abc\xc3\xa9", 4), "a sequence cut by len is invalid");

	ok(utf8_length("", 0) == 0, "length of empty");
	ok(utf8_length("abc", 3) == 3, "length of ASCII");
	ok(utf8_length("Caf\xc3\xa9", 5) == 4, "length of Cafe with acute");
	ok(utf8_length("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9) == 3,
	   "length of three CJK characters");
	ok(utf8_length("\xf0\x9f\x98\x80!", 5) == 2, "length with an emoji");
	ok(utf8_length("a\xe1\x80z", 4) == 3,
	   "a truncated sequence counts as one");

	ok(utf8_bom_length("\xef\xbb\xbfxyz", 6) == 3, "BOM is 3 bytes");
	ok(utf8_bom_length("\xef\xbb\xbf", 3) == 3, "BOM alone");
	ok(utf8_bom_length("abc", 3) == 0, "no BOM");
	ok(utf8_bom_length("\xef\xbb", 2) == 0, "half a BOM is not a BOM");
	ok(utf8_bom_length("\xef\xbb\xbf", 2) == 0, "len is respected");
	ok(utf8_bom_length("\xef\xbb\xbe", 3) == 0, "EF BB BE is not a BOM");
	ok(utf8_bom_length("a\xef\xbb\xbf", 4) == 0, "a BOM not at the start");
}

/* The length RFC 3629 section 3 gives for a scalar value. */
static size_t
encoded_length(uint32_t cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp < 0x10000)
		return 3;
	return 4;
}

/* utf8_encode: known bytes, then every scalar value there back and forth. */
static void
test_encode(void)
{
	static const struct {
		uint32_t cp;
		const char *bytes;
	} v[] = {
	    {0x41, "\x41"},
	    {0x7F, "\x7f"},
	    {0x80, "\xc2\x80"},
	    {0xE9, "\xc3\xa9"},
	    {0x7FF, "\xdf\xbf"},
	    {0x800, "\xe0\xa0\x80"},
	    {0x20AC, "\xe2\x82\xac"},
	    {0xD7FF, "\xed\x9f\xbf"},
	    {0xE000, "\xee\x80\x80"},
	    {0xFFFF, "\xef\xbf\xbf"},
	    {0x10000, "\xf0\x90\x80\x80"},
	    {0x1F600, "\xf0\x9f\x98\x80"},
	    {0x10FFFF, "\xf4\x8f\xbf\xbf"},
	};
	char out[4];
	size_t i, n;
	uint32_t cp;
	unsigned long bad = 0;

	n = utf8_encode(0, out);
	ok(n == 1 && out[0] == '\0', "encode U+0000");
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		n = utf8_encode(v[i].cp, out);
		ok(n == strlen(v[i].bytes) && memcmp(out, v[i].bytes, n) == 0,
		   "encode U+%04X", (unsigned)v[i].cp);
	}

	for (cp = 0; cp <= 0x10FFFF; cp++) {
		uint32_t back = 0;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = utf8_encode(cp, out);
		if (!utf8_valid(out, n) || utf8_decode(out, n, &back) != n ||
		    back != cp || n != encoded_length(cp))
			bad++;
	}
	ok(bad == 0, "all 1112064 scalar values round-trip (%lu failed)", bad);

	/* Out of contract; what the implementation promises instead. */
	n = utf8_encode(0xD800, out);
	ok(n == 3 && memcmp(out, "\xef\xbf\xbd", 3) == 0,
	   "a surrogate is encoded as U+FFFD");
	n = utf8_encode(0x110000, out);
	ok(n == 3 && memcmp(out, "\xef\xbf\xbd", 3) == 0,
	   "U+110000 is encoded as U+FFFD");
}

/* Every 1- and 2-byte input, every 3-byte input with an E0..EF lead, and a
 * wide sample of 4-byte inputs, judged against reference_single(). */
static void
test_exhaustive(void)
{
	static const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80,
					      0x8F, 0x90, 0x9F, 0xA0,
					      0xBF, 0xC0, 0xF4, 0xFF};
	unsigned char s[4];
	unsigned long bad = 0;
	unsigned a, b, c, d;

	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		bad += !agrees(s, 1);
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			bad += !agrees(s, 2);
		}
	}
	ok(bad == 0, "all 1- and 2-byte inputs match the RFC (%lu differ)",
	   bad);

	bad = 0;
	for (a = 0xE0; a <= 0xEF; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < 256; c++) {
				s[0] = (unsigned char)a;
				s[1] = (unsigned char)b;
				s[2] = (unsigned char)c;
				bad += !agrees(s, 3);
			}
	ok(bad == 0, "all 3-byte inputs with lead E0..EF match (%lu differ)",
	   bad);

	bad = 0;
	for (a = 0xF0; a <= 0xFF; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < sizeof tails; c++)
				for (d = 0; d < sizeof tails; d++) {
					s[0] = (unsigned char)a;
					s[1] = (unsigned char)b;
					s[2] = tails[c];
					s[3] = tails[d];
					bad += !agrees(s, 4);
				}
	ok(bad == 0, "4-byte inputs with lead F0..FF match (%lu differ)", bad);
}

int
main(void)
{
	test_kuhn_boundaries();
	test_kuhn_malformed();
	test_kuhn_overlong_surrogates();
	test_prosody();
	test_maximal_subparts();
	test_helpers();
	test_encode();
	test_exhaustive();
	return tap_done();
}
