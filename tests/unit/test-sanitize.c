/* SPDX-License-Identifier: MIT */
/* Tests of the display sanitizer: terminal escape sequences, bidi overrides,
 * C1 controls and ill-formed UTF-8 must come out visible and inert. */
#include "util/sanitize.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/utf8.h"

#include "tap.h"

/* What sanitize_walk reported, with each marker written as {marker}, and
 * whether any run broke the contract of sanitize.h. */
struct walk_log {
	struct strbuf out;
	int empty_runs;	 /* runs of length 0 */
	int dirty_text;	 /* text runs holding a control byte or bad UTF-8 */
	int bad_markers; /* markers that are not printable ASCII */
	int markers;
	int runs;
	enum sanitize_mode mode;
};

/* A text run must be displayable as it is: valid UTF-8 with no C0 (save
 * what the mode keeps), DEL or C1. */
static int
text_is_clean(const char *s, size_t len, enum sanitize_mode mode)
{
	size_t off = 0;

	if (!utf8_valid(s, len))
		return 0;
	while (off < len) {
		uint32_t cp;

		off += utf8_decode(s + off, len - off, &cp);
		if (cp < 0x20 &&
		    !(mode == SANITIZE_TEXT && (cp == '\n' || cp == '\t')))
			return 0;
		if (cp >= 0x7F && cp <= 0x9F)
			return 0;
	}
	return 1;
}

/* The sanitize_fn that fills a walk_log. */
static void
record(const char *text, size_t len, bool is_marker, void *data)
{
	struct walk_log *log = data;
	size_t i;

	log->runs++;
	if (len == 0)
		log->empty_runs++;
	if (is_marker) {
		log->markers++;
		for (i = 0; i < len; i++)
			if (text[i] < 0x21 || text[i] > 0x7E)
				log->bad_markers++;
		strbuf_addch(&log->out, '{');
		strbuf_add(&log->out, text, len);
		strbuf_addch(&log->out, '}');
	} else {
		if (!text_is_clean(text, len, log->mode))
			log->dirty_text++;
		strbuf_add(&log->out, text, len);
	}
}

/* Walks s (len bytes) and returns the log, marked up; the caller checks the
 * counters and releases log->out. */
static const char *
walk(struct walk_log *log, const char *s, size_t len, enum sanitize_mode mode)
{
	memset(log, 0, sizeof *log);
	log->mode = mode;
	sanitize_walk(s, len, mode, record, log);
	return strbuf_str(&log->out);
}

/* True when no byte of s is a C0 control (other than those allowed) or DEL,
 * and no C1 control is encoded in it. */
static int
no_controls(const char *s, int allow_lf_tab)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == 0x7F)
			return 0;
		if (*p < 0x20 && !(allow_lf_tab && (*p == '\n' || *p == '\t')))
			return 0;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 0;
	}
	return 1;
}

/* Runs one LINE-mode case through sanitize_dup and sanitize_walk. */
static void
check_line(const char *in, const char *want_dup, const char *want_walk,
	   const char *name)
{
	struct walk_log log;
	char *dup = sanitize_dup(in, SANITIZE_LINE);

	is_str(dup, want_dup, "%s: sanitize_dup", name);
	ok(no_controls(dup, 0), "%s: no control byte left", name);
	is_str(walk(&log, in, strlen(in), SANITIZE_LINE), want_walk,
	       "%s: walk marks markers", name);
	ok(log.dirty_text == 0 && log.bad_markers == 0 && log.empty_runs == 0,
	   "%s: runs are clean (%d dirty, %d bad markers, %d empty)", name,
	   log.dirty_text, log.bad_markers, log.empty_runs);
	strbuf_release(&log.out);
	free(dup);
}

/* The escape sequences that attacks on terminals use. */
static void
test_escapes(void)
{
	check_line("\x1b[31mred\x1b[0m", "^[[31mred^[[0m", "{^[}[31mred{^[}[0m",
		   "SGR colour");
	check_line("\x1b]0;pwn\x07", "^[]0;pwn^G", "{^[}]0;pwn{^G}",
		   "OSC 0 window title");
	check_line("\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
		   "^[]8;;http://evil.example/^[\\click^[]8;;^[\\",
		   "{^[}]8;;http://evil.example/{^[}\\click{^[}]8;;{^[}\\",
		   "OSC 8 hyperlink");
	check_line("\x1b[2J\x1b[H", "^[[2J^[[H", "{^[}[2J{^[}[H",
		   "clear screen and cursor home");
	check_line("\x1b[21t", "^[[21t", "{^[}[21t", "title report (xterm)");
	check_line("a\bb", "a^Hb", "a{^H}b", "backspace");
	check_line("x\x7fy", "x^?y", "x{^?}y", "DEL");
	check_line("\x01\x1a\x1c\x1d\x1e\x1f", "^A^Z^\\^]^^^_",
		   "{^A}{^Z}{^\\}{^]}{^^}{^_}", "caret notation to ^_");
}

/* CR, LF and TAB per mode; a bare CR could overwrite what came before. */
static void
test_line_breaks(void)
{
	struct walk_log log;
	char *s;

	check_line("B:[abc\rXY]", "B:[abc^MXY]", "B:[abc{^M}XY]",
		   "CR in LINE mode");
	check_line("one\ntwo\tthree", "one^Jtwo^Ithree", "one{^J}two{^I}three",
		   "LF and TAB in LINE mode");

	s = sanitize_dup("one\ntwo\tthree\r\nfour", SANITIZE_TEXT);
	is_str(s, "one\ntwo\tthree^M\nfour",
	       "TEXT mode keeps LF and TAB, marks CR");
	ok(no_controls(s, 1), "TEXT mode: only LF and TAB left");
	free(s);
	is_str(walk(&log, "a\r\nb\x1b", 5, SANITIZE_TEXT), "a{^M}\nb{^[}",
	       "TEXT mode walk");
	ok(log.markers == 2 && log.dirty_text == 0,
	   "TEXT mode walk: two markers, clean text");
	strbuf_release(&log.out);
	s = sanitize_dup("\v\f", SANITIZE_TEXT);
	is_str(s, "^K^L", "TEXT mode marks VT and FF");
	free(s);
}

/* NUL can only reach the walker, which takes a length. */
static void
test_nul(void)
{
	struct walk_log log;

	is_str(walk(&log, "a\0b", 3, SANITIZE_LINE), "a{^@}b",
	       "embedded NUL becomes ^@");
	strbuf_release(&log.out);
}

/* C1 controls, both as characters and as their 8-bit byte values. */
static void
test_c1(void)
{
	struct walk_log log;

	check_line("\xc2\x9bK", "<9B>K", "{<9B>}K", "U+009B (CSI) K");
	check_line("\xc2\x80\xc2\x9f", "<80><9F>", "{<80>}{<9F>}",
		   "U+0080 and U+009F");
	check_line("\xc2\xa0", "\xc2\xa0", "\xc2\xa0",
		   "U+00A0 is not a C1 control");
	/* A raw 9B byte is not UTF-8: U+FFFD, not a CSI. */
	is_str(walk(&log, "\x9bK", 2, SANITIZE_LINE), "\xef\xbf\xbdK",
	       "raw byte 9B is U+FFFD as plain text");
	ok(log.markers == 0 && log.dirty_text == 0,
	   "raw byte 9B: no marker, clean text");
	strbuf_release(&log.out);
}

/* Bidi controls and invisible characters (Trojan Source). */
static void
test_bidi_invisible(void)
{
	static const struct {
		const char *in;
		const char *want;
	} v[] = {
	    {"\xd8\x9c", "<U+061C>"},	  {"\xe2\x80\x8b", "<U+200B>"},
	    {"\xe2\x80\x8c", "<U+200C>"}, {"\xe2\x80\x8d", "<U+200D>"},
	    {"\xe2\x80\x8e", "<U+200E>"}, {"\xe2\x80\x8f", "<U+200F>"},
	    {"\xe2\x80\xaa", "<U+202A>"}, {"\xe2\x80\xab", "<U+202B>"},
	    {"\xe2\x80\xac", "<U+202C>"}, {"\xe2\x80\xad", "<U+202D>"},
	    {"\xe2\x80\xae", "<U+202E>"}, {"\xe2\x81\xa0", "<U+2060>"},
	    {"\xe2\x81\xa6", "<U+2066>"}, {"\xe2\x81\xa7", "<U+2067>"},
	    {"\xe2\x81\xa8", "<U+2068>"}, {"\xe2\x81\xa9", "<U+2069>"},
	    {"\xef\xbb\xbf", "<U+FEFF>"},
	};
	struct walk_log log;
	size_t i;
	char name[32];

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *s = sanitize_dup(v[i].in, SANITIZE_LINE);

		snprintf(name, sizeof name, "%s is marked", v[i].want);
		is_str(s, v[i].want, "%s", name);
		free(s);
	}
	check_line(
	    "access = \"user\xe2\x80\xae \xe2\x81\xa6// admin\xe2\x81\xa9"
	    "\xe2\x81\xa6\"",
	    "access = \"user<U+202E> <U+2066>// admin<U+2069><U+2066>\"",
	    "access = \"user{<U+202E>} {<U+2066>}// admin{<U+2069>}"
	    "{<U+2066>}\"",
	    "Trojan Source line");
	/* Neighbours of the list are ordinary text. */
	check_line("\xe2\x80\x90\xe2\x80\xaf", "\xe2\x80\x90\xe2\x80\xaf",
		   "\xe2\x80\x90\xe2\x80\xaf", "U+2010 and U+202F unchanged");
	is_str(walk(&log, "\xe2\x80\xae", 3, SANITIZE_TEXT), "{<U+202E>}",
	       "U+202E is a marker in TEXT mode too");
	ok(log.markers == 1, "U+202E: is_marker was true");
	strbuf_release(&log.out);
}

/* Characters Unicode says are not displayed (format characters, Cf, and
 * default-ignorable code points), in any locale: libunistring decides,
 * not wcwidth() (glibc gives most of them width 0 or 1). */
static void
test_unicode_invisible(void)
{
	static const struct {
		const char *in;
		const char *want;
	} v[] = {
	    {"\xc2\xad", "<U+00AD>"},	       /* SOFT HYPHEN, Cf */
	    {"\xcd\x8f", "<U+034F>"},	       /* COMBINING GRAPHEME JOINER */
	    {"\xe1\x85\x9f", "<U+115F>"},      /* HANGUL CHOSEONG FILLER */
	    {"\xe1\x85\xa0", "<U+1160>"},      /* HANGUL JUNGSEONG FILLER */
	    {"\xe1\xa0\x8e", "<U+180E>"},      /* MONGOLIAN VOWEL SEPARATOR */
	    {"\xe1\xa0\x8b", "<U+180B>"},      /* MONGOLIAN FVS1 */
	    {"\xe2\x81\xa4", "<U+2064>"},      /* INVISIBLE PLUS */
	    {"\xe2\x81\xaa", "<U+206A>"},      /* INHIBIT SYMMETRIC SWAPPING */
	    {"\xe3\x85\xa4", "<U+3164>"},      /* HANGUL FILLER */
	    {"\xef\xb8\x80", "<U+FE00>"},      /* VARIATION SELECTOR-1 */
	    {"\xef\xb8\x8f", "<U+FE0F>"},      /* VARIATION SELECTOR-16 */
	    {"\xef\xbe\xa0", "<U+FFA0>"},      /* HALFWIDTH HANGUL FILLER */
	    {"\xef\xbf\xb9", "<U+FFF9>"},      /* INTERLINEAR ANNOTATION */
	    {"\xf3\xa0\x80\x80", "<U+E0000>"}, /* unassigned, ignorable */
	    {"\xf3\xa0\x80\x81", "<U+E0001>"}, /* LANGUAGE TAG */
	    {"\xf3\xa0\x80\xa0", "<U+E0020>"}, /* TAG SPACE */
	    {"\xf3\xa0\x81\xa1", "<U+E0061>"}, /* TAG LATIN SMALL LETTER A */
	    {"\xf3\xa0\x81\xbf", "<U+E007F>"}, /* CANCEL TAG */
	    {"\xf3\xa0\x84\x80", "<U+E0100>"}, /* VARIATION SELECTOR-17 */
	    {"\xf0\x9d\x85\xb3", "<U+1D173>"}, /* MUSICAL SYMBOL BEGIN BEAM */
	};
	const char *locales[] = {"C.UTF-8", "C"};

	for (size_t l = 0; l < 2; l++) {
		setlocale(LC_ALL, locales[l]);
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
			char *s = sanitize_dup(v[i].in, SANITIZE_LINE);

			is_str(s, v[i].want, "%s is marked (%s locale)",
			       v[i].want, locales[l]);
			free(s);
		}
	}
	setlocale(LC_ALL, "C.UTF-8");
	ok(sanitize_is_invisible(0x00AD) && sanitize_is_invisible(0xE007F) &&
	       sanitize_is_invisible(0x202E) && sanitize_is_invisible(0x200B),
	   "sanitize_is_invisible: U+00AD, U+E007F, U+202E, U+200B");
	ok(!sanitize_is_invisible('a') && !sanitize_is_invisible(0xE9) &&
	       !sanitize_is_invisible(0x2010) &&
	       !sanitize_is_invisible(0x1F600) &&
	       !sanitize_is_invisible(0x65E5),
	   "sanitize_is_invisible: not a, U+00E9, U+2010, U+1F600, U+65E5");
	/* hidden text: "admin" in tag characters after "user" */
	check_line("user\xf3\xa0\x81\xa1\xf3\xa0\x81\xa4\xf3\xa0\x81\xad"
		   "\xf3\xa0\x81\xa9\xf3\xa0\x81\xae",
		   "user<U+E0061><U+E0064><U+E006D><U+E0069><U+E006E>",
		   "user{<U+E0061>}{<U+E0064>}{<U+E006D>}{<U+E0069>}"
		   "{<U+E006E>}",
		   "text hidden in tag characters is shown");
	/* an emoji with its presentation selector: the selector is shown */
	check_line("\xe2\x9d\xa4\xef\xb8\x8f ok", "\xe2\x9d\xa4<U+FE0F> ok",
		   "\xe2\x9d\xa4{<U+FE0F>} ok", "U+2764 U+FE0F");
}

/* Characters that wcwidth() rejects, only in a UTF-8 locale. */
static void
test_wcwidth(void)
{
	char *s;

	s = sanitize_dup("a\xcd\xb8z", SANITIZE_LINE);
	is_str(s, "a<U+0378>z", "unassigned U+0378 is marked in C.UTF-8");
	free(s);
	s = sanitize_dup("\xe2\x80\xa8", SANITIZE_LINE);
	is_str(s, "<U+2028>", "line separator U+2028 is marked in C.UTF-8");
	free(s);
	s = sanitize_dup("\xf0\x9f\xbf\xbe", SANITIZE_LINE);
	is_str(s, "<U+1FFFE>", "five hex digits for U+1FFFE");
	free(s);
	s = sanitize_dup("\xef\xbf\xbf", SANITIZE_LINE);
	is_str(s, "<U+FFFF>", "noncharacter U+FFFF is marked");
	free(s);

	if (setlocale(LC_ALL, "C") == NULL) {
		ok(1, "# SKIP cannot switch to the C locale");
		return;
	}
	s = sanitize_dup("a\xcd\xb8z", SANITIZE_LINE);
	is_str(s, "a\xcd\xb8z", "C locale: wcwidth is not consulted");
	free(s);
	s = sanitize_dup("\x1b[1m\xe2\x80\xae", SANITIZE_LINE);
	is_str(s, "^[[1m<U+202E>", "C locale: the fixed list still applies");
	free(s);
	setlocale(LC_ALL, "C.UTF-8");
}

/* Ill-formed UTF-8: U+FFFD per maximal subpart, as plain text. */
static void
test_invalid(void)
{
	struct walk_log log;

	is_str(walk(&log, "ok\xff\xfe!", 5, SANITIZE_LINE),
	       "ok\xef\xbf\xbd\xef\xbf\xbd!", "FF FE: two U+FFFD");
	ok(log.markers == 0 && log.dirty_text == 0,
	   "U+FFFD is plain text, not a marker");
	strbuf_release(&log.out);
	is_str(walk(&log, "\xc0\x80", 2, SANITIZE_LINE),
	       "\xef\xbf\xbd\xef\xbf\xbd", "overlong NUL is not ^@");
	strbuf_release(&log.out);
	is_str(walk(&log, "\xed\xa0\x80x", 4, SANITIZE_LINE),
	       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx",
	       "surrogate: three U+FFFD");
	strbuf_release(&log.out);
	is_str(walk(&log, "ab\xe2\x82", 4, SANITIZE_LINE), "ab\xef\xbf\xbd",
	       "truncated at the end: one U+FFFD");
	strbuf_release(&log.out);
	is_str(walk(&log, "\xe1\x1b", 2, SANITIZE_LINE), "\xef\xbf\xbd{^[}",
	       "ESC after a cut sequence is still marked");
	strbuf_release(&log.out);
	is_str(walk(&log, "x\xef\xbf\xbdy", 5, SANITIZE_LINE), "x\xef\xbf\xbdy",
	       "a real U+FFFD passes");
	ok(log.runs == 1, "a real U+FFFD does not cut the text run (%d runs)",
	   log.runs);
	strbuf_release(&log.out);
}

/* What must not change. */
static void
test_unchanged(void)
{
	static const char *const plain[] = {
	    "",
	    "deploy v1.2.3 to prod (ticket #42)",
	    "~!@#$%^&*()_+{}|:<>?`-=[]\\;',./ \"quoted\"",
	    "Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0 na\xc3\xafve "
	    "\xc3\x85ngstr\xc3\xb6m",
	    "Gda\xc5\x84sk \xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e \xf0\x9f\x9a\x80",
	    "e\xcc\x81 (combining acute)",
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d (Hebrew, no override)",
	};
	struct walk_log log;
	size_t i;

	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		char *s = sanitize_dup(plain[i], SANITIZE_LINE);

		is_str(s, plain[i], "unchanged: \"%s\"", plain[i]);
		free(s);
	}
	is_str(walk(&log, plain[3], strlen(plain[3]), SANITIZE_LINE), plain[3],
	       "accented text is one text run");
	ok(log.markers == 0 && log.runs == 1,
	   "accented text: one run, no marker");
	strbuf_release(&log.out);

	{
		char *s = sanitize_dup(NULL, SANITIZE_LINE);

		is_str(s, "", "NULL gives an empty string");
		free(s);
	}
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("1..0 # SKIP no C.UTF-8 locale\n");
		return 0;
	}
	test_escapes();
	test_line_breaks();
	test_nul();
	test_c1();
	test_bidi_invisible();
	test_unicode_invisible();
	test_wcwidth();
	test_invalid();
	test_unchanged();
	return tap_done();
}
