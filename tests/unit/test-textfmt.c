/* SPDX-License-Identifier: MIT */
/* Tests of the machine output formats: JSON string literals and RFC 4180
 * CSV fields. */
#include "util/textfmt.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/error.h"
#include "util/utf8.h"

/* json_add_string of s alone, as a new string the caller frees. */
static char *
json(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	json_add_string(&sb, s);
	return strbuf_detach(&sb);
}

/* json_add_string_ascii of s alone, as a new string the caller frees. */
static char *
json_ascii(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	json_add_string_ascii(&sb, s);
	return strbuf_detach(&sb);
}

/* csv_add_field of s alone, as a new string the caller frees. */
static char *
csv(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	csv_add_field(&sb, s);
	return strbuf_detach(&sb);
}

#define CHECK(fn, in, want, name)                                              \
	do {                                                                   \
		char *got_ = fn(in);                                           \
		is_str(got_, want, "%s", name);                                \
		free(got_);                                                    \
	} while (0)

/* JSON: RFC 8259 escapes, plus what keeps the output safe in a terminal. */
static void
test_json(void)
{
	CHECK(json, NULL, "null", "NULL is null, unquoted");
	CHECK(json, "", "\"\"", "empty string");
	CHECK(json, "deploy v1.2", "\"deploy v1.2\"", "plain ASCII");
	CHECK(json, "say \"hi\"", "\"say \\\"hi\\\"\"", "double quotes");
	CHECK(json, "C:\\dir\\", "\"C:\\\\dir\\\\\"", "backslashes");
	CHECK(json, "a/b", "\"a/b\"", "slash is not escaped");
	CHECK(json, "l1\nl2\r\n\tx", "\"l1\\nl2\\r\\n\\tx\"", "\\n \\r \\t");
	CHECK(json, "\b\f", "\"\\b\\f\"", "\\b and \\f");
	CHECK(json, "\x01\x1b[31m\x1f", "\"\\u0001\\u001b[31m\\u001f\"",
	      "other C0 controls as \\u00XX");
	CHECK(json, "\x7f", "\"\\u007f\"", "DEL");
	CHECK(json, "\xc2\x80\xc2\x9b", "\"\\u0080\\u009b\"", "C1 controls");
	CHECK(json, "\xc2\xa0", "\"\xc2\xa0\"", "U+00A0 is kept as UTF-8");
	CHECK(json, "\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"",
	      "U+2028 and U+2029");
	CHECK(json, "user\xe2\x80\xaegnp.exe", "\"user\\u202egnp.exe\"",
	      "U+202E (\"userexe.png\" as displayed)");
	CHECK(json,
	      "\xd8\x9c\xe2\x80\x8b\xe2\x80\x8f\xe2\x81\xa0\xe2\x81\xa6"
	      "\xe2\x81\xa9\xef\xbb\xbf",
	      "\"\\u061c\\u200b\\u200f\\u2060\\u2066\\u2069\\ufeff\"",
	      "other bidi and invisible characters");
	CHECK(json, "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80",
	      "\"Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\"",
	      "accents, euro sign and emoji kept as UTF-8");
	CHECK(json, "a\xffz", "\"a\\ufffdz\"", "invalid byte FF");
	CHECK(json, "\xc0\x80", "\"\\ufffd\\ufffd\"", "overlong NUL");
	CHECK(json, "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate");
	CHECK(json, "x\xe2\x82", "\"x\\ufffd\"", "truncated sequence at end");
	/* Invisible characters (Unicode Cf and default-ignorable, as the
	 * sanitizer marks them), beyond U+FFFF as surrogate pairs. */
	CHECK(json,
	      "a\xc2\xad"
	      "b",
	      "\"a\\u00adb\"", "U+00AD soft hyphen");
	CHECK(json, "\xcd\x8f\xe1\x85\x9f\xe1\xa0\x8e\xe3\x85\xa4",
	      "\"\\u034f\\u115f\\u180e\\u3164\"",
	      "U+034F U+115F U+180E U+3164");
	CHECK(json, "\xe2\x9d\xa4\xef\xb8\x8f", "\"\xe2\x9d\xa4\\ufe0f\"",
	      "U+2764 kept, U+FE0F escaped");
	CHECK(json, "\xf3\xa0\x80\x81\xf3\xa0\x81\xa1\xf3\xa0\x81\xbf",
	      "\"\\udb40\\udc01\\udb40\\udc61\\udb40\\udc7f\"",
	      "tags U+E0001 U+E0061 U+E007F as surrogate pairs");
	CHECK(json_ascii, "Caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80 \x1b",
	      "\"Caf\\u00e9 \\u65e5 \\ud83d\\ude00 \\u001b\"",
	      "ASCII JSON: every character beyond ASCII escaped");
	CHECK(json_ascii, NULL, "null", "ASCII JSON: NULL is null");
	CHECK(json, "\xef\xbf\xbd", "\"\xef\xbf\xbd\"",
	      "a real U+FFFD is kept as UTF-8");

	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "{\"a\":");
		json_add_string(&sb, "x");
		strbuf_addstr(&sb, ",\"b\":");
		json_add_string(&sb, NULL);
		strbuf_addch(&sb, '}');
		is_str(strbuf_str(&sb), "{\"a\":\"x\",\"b\":null}",
		       "appends to what is already there");
		strbuf_release(&sb);
	}
}

/* CSV: RFC 4180 section 2. */
static void
test_csv(void)
{
	CHECK(csv, NULL, "", "NULL is an empty field");
	CHECK(csv, "", "", "empty string is an empty field");
	CHECK(csv, "plain", "plain", "plain field unquoted");
	CHECK(csv, "in side", "in side", "inner space unquoted");
	CHECK(csv, "a,b", "\"a,b\"", "comma quoted");
	CHECK(csv, "say \"hi\"", "\"say \"\"hi\"\"\"", "quotes doubled");
	CHECK(csv, "\"", "\"\"\"\"", "a lone quote");
	CHECK(csv, "l1\nl2", "\"l1\nl2\"", "LF quoted");
	CHECK(csv, "l1\r\nl2", "\"l1\r\nl2\"", "CRLF quoted");
	CHECK(csv, "cr\r", "\"cr\r\"", "CR quoted");
	CHECK(csv, " lead", "\" lead\"", "leading space quoted");
	CHECK(csv, "trail ", "\"trail \"", "trailing space quoted");
	CHECK(csv, " ", "\" \"", "a single space quoted");
	CHECK(csv, "tab\there", "tab\there", "TAB alone does not quote");
	CHECK(csv, "Caf\xc3\xa9;x", "Caf\xc3\xa9;x", "UTF-8 and ; unquoted");

	{
		struct strbuf sb = STRBUF_INIT;

		csv_add_field(&sb, "id");
		strbuf_addch(&sb, ',');
		csv_add_field(&sb, "He said \"go, now\"");
		strbuf_addch(&sb, ',');
		csv_add_field(&sb, NULL);
		is_str(strbuf_str(&sb), "id,\"He said \"\"go, now\"\"\",",
		       "a record of three fields");
		strbuf_release(&sb);
	}
}

/* The strbuf underneath, as the formats use it. */
static void
test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	int i;

	is_str(strbuf_str(&sb), "", "a new strbuf reads as \"\"");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	ok(sb.len == 2000 && sb.buf[1999] == ',' && sb.buf[2000] == '\0',
	   "2000 bytes appended by strbuf_addf, NUL-terminated");
	strbuf_reset(&sb);
	ok(sb.len == 0 && strbuf_str(&sb)[0] == '\0', "reset empties");
	strbuf_add(&sb, "a\0b", 3);
	ok(sb.len == 3 && sb.buf[1] == '\0' && sb.buf[3] == '\0',
	   "strbuf_add keeps NUL bytes");
	s = strbuf_detach(&sb);
	ok(s[2] == 'b' && sb.buf == NULL && sb.len == 0,
	   "detach hands over the string and empties sb");
	free(s);
	s = strbuf_detach(&sb);
	is_str(s, "", "detach of an empty strbuf gives \"\", not NULL");
	free(s);
	s = xstrndup("abcdef", 3);
	is_str(s, "abc", "xstrndup copies at most n bytes");
	free(s);
}

/* Values quoted in messages: cut to 64 characters, on a character. */
static void
test_cut(void)
{
	char buf[TEXT_CUT_SIZE], want[TEXT_CUT_SIZE], long_e[2 * 600 + 1];
	char a64[65], a65[66];
	const char *r;
	struct dd_error err = {0};

	memset(a64, 'a', 64);
	a64[64] = '\0';
	memset(a65, 'a', 65);
	a65[65] = '\0';
	ok(text_cut(a64, buf) == a64, "64 characters: the value itself");
	r = text_cut(a65, buf);
	snprintf(want, sizeof want, "%s\xE2\x80\xA6", a64);
	is_str(r, want, "65 characters: the first 64 and an ellipsis");
	is_str(text_cut(NULL, buf), "", "NULL: empty");
	is_str(text_cut("", buf), "", "empty: empty");
	for (int i = 0; i < 600; i++)
		memcpy(long_e + 2 * i, "\xC3\xA9", 2);
	long_e[2 * 600] = '\0';
	r = text_cut(long_e, buf);
	ok(strlen(r) == 2 * 64 + 3 && utf8_valid(r, strlen(r)) &&
	       utf8_length(r, strlen(r)) == 65,
	   "600 x U+00E9: 64 of them (128 bytes) and an ellipsis, valid UTF-8 "
	   "(got %zu bytes)",
	   strlen(r));
	{
		/* 4-byte characters: the largest cut fits the buffer */
		char emoji[4 * 100 + 1];

		for (int i = 0; i < 100; i++)
			memcpy(emoji + 4 * i, "\xF0\x9F\x98\x80", 4);
		emoji[400] = '\0';
		r = text_cut(emoji, buf);
		ok(strlen(r) == 4 * 64 + 3 && strlen(r) < TEXT_CUT_SIZE &&
		       utf8_valid(r, strlen(r)),
		   "100 x U+1F600: 64 of them and an ellipsis (%zu bytes)",
		   strlen(r));
	}
	{
		/* ill-formed bytes count one each and are copied as they are */
		char bad[201];

		memset(bad, 0xFF, 200);
		bad[200] = '\0';
		r = text_cut(bad, buf);
		ok(strlen(r) == 64 + 3 && (unsigned char)r[63] == 0xFF,
		   "200 x \\xff: 64 bytes and an ellipsis");
	}

	/* A message that is still too long ends on a whole character. */
	dd_fail(&err, DD_ERR_INPUT, "field: %s", long_e);
	ok(strlen(err.msg) < sizeof err.msg &&
	       utf8_valid(err.msg, strlen(err.msg)) &&
	       strcmp(err.msg + strlen(err.msg) - 3, "\xE2\x80\xA6") == 0 &&
	       strncmp(err.msg, "field: ", 7) == 0,
	   "dd_fail of 1,207 bytes: cut on a character, ending with an "
	   "ellipsis");
	dd_fail(&err, DD_ERR_INPUT, "field: %s", "short");
	is_str(err.msg, "field: short", "dd_fail of a short message: whole");
}

int
main(void)
{
	test_json();
	test_csv();
	test_strbuf();
	test_cut();
	return tap_done();
}
