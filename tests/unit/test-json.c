/* SPDX-License-Identifier: MIT */
/* Tests of the reader of the audit trail's JSON objects: what deploydesk
 * writes is read back exactly; anything else is refused, never guessed. */
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/textfmt.h"

static bool
parses(const char *text)
{
	struct json_object o;

	return json_object_parse(text, strlen(text), &o);
}

static void
test_objects(void)
{
	struct json_object o;
	const struct json_value *v;
	const char *text = "{\"status\":\"A_FAIRE\",\"authorized_by\":null,"
			   "\"logs_bytes\":204,\"admin\":true,\"senior\":false,"
			   "\"neg\":-12}";

	ok(json_object_parse(text, strlen(text), &o) && o.count == 6,
	   "a flat object of six members parses");
	v = json_object_get(&o, "status");
	ok(v && v->kind == JSON_STRING && json_string_is(v, "A_FAIRE", 7),
	   "a string member");
	v = json_object_get(&o, "authorized_by");
	ok(v && v->kind == JSON_NULL, "null");
	v = json_object_get(&o, "logs_bytes");
	ok(v && v->kind == JSON_INT && v->integer == 204, "an integer");
	v = json_object_get(&o, "neg");
	ok(v && v->kind == JSON_INT && v->integer == -12, "a negative integer");
	v = json_object_get(&o, "admin");
	ok(v && v->kind == JSON_BOOL && v->boolean, "true");
	v = json_object_get(&o, "senior");
	ok(v && v->kind == JSON_BOOL && !v->boolean, "false");
	ok(json_object_get(&o, "absent") == NULL, "an absent key is NULL");
	ok(parses("{}") && parses(" { } \n"), "empty objects, with spaces");
	ok(parses("{\"a\" : 1 , \"b\":\"x\"}"), "spaces around : and ,");
	ok(parses("{\"n\":9223372036854775807}") &&
	       parses("{\"n\":-9223372036854775808}"),
	   "the int64 limits");
}

static void
test_refused(void)
{
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{",
	    "{\"a\":1",
	    "{\"a\":1,}",
	    "{\"a\"}",
	    "{a:1}",
	    "{\"a\":1}x",
	    "{\"a\":1}{}",
	    "{\"a\":{\"b\":1}}",
	    "{\"a\":[1]}",
	    "{\"a\":1.5}",
	    "{\"a\":1e3}",
	    "{\"a\":01}",
	    "{\"a\":-}",
	    "{\"a\":9223372036854775808}",
	    "{\"a\":-9223372036854775809}",
	    "{\"a\":tru}",
	    "{\"a\":\"x\ty\"}",
	    "{\"a\":1,\"a\":2}",
	    "{\"a\\u0062\":1}",
	    "{\"a\":\"unterminated}",
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(!parses(bad[i]), "refused: %s", bad[i]);
	{
		struct strbuf big = STRBUF_INIT;

		strbuf_addch(&big, '{');
		for (int i = 0; i <= JSON_MEMBERS_MAX; i++)
			strbuf_addf(&big, "%s\"k%d\":%d", i ? "," : "", i, i);
		strbuf_addch(&big, '}');
		ok(!parses(big.buf), "more than %d members: refused",
		   JSON_MEMBERS_MAX);
		strbuf_release(&big);
	}
}

/* Strings as json_add_string writes them come back as they were. */
static void
test_round_trip(void)
{
	static const char *const texts[] = {
	    "plain",
	    "",
	    "quote \" backslash \\ slash /",
	    "tab\tnewline\ncr\r",
	    "Déploiement échoué ✓ 日本",
	    "\x1b[31mred\x07 and \xc2\x9b C1",
	    "bidi \xe2\x80\xae override",
	    "emoji \xf0\x9f\x9a\x80 (a surrogate pair)",
	};
	struct strbuf json = STRBUF_INIT, back = STRBUF_INIT;

	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		struct json_object o;
		const struct json_value *v;

		strbuf_reset(&json);
		strbuf_addstr(&json, "{\"t\":");
		json_add_string(&json, texts[i]);
		strbuf_addch(&json, '}');
		v = json_object_parse(json.buf, json.len, &o)
			? json_object_get(&o, "t")
			: NULL;
		ok(v && json_string_decode(v, &back) &&
		       strcmp(strbuf_str(&back), texts[i]) == 0 &&
		       json_string_is(v, texts[i], strlen(texts[i])),
		   "round trip %zu: %s", i, json.buf);
	}
	strbuf_release(&json);
	strbuf_release(&back);
}

static void
test_decode_refused(void)
{
	static const char *const bad[] = {
	    "{\"t\":\"\\ud800\"}",	  /* a lone high surrogate */
	    "{\"t\":\"\\udc00\"}",	  /* a lone low surrogate */
	    "{\"t\":\"\\ud800\\u0041\"}", /* high then not low */
	    "{\"t\":\"\\u0000\"}",	  /* NUL */
	    "{\"t\":\"\\x41\"}",	  /* not a JSON escape */
	    "{\"t\":\"\\u12\"}",	  /* short */
	    "{\"t\":\"\xc3\x28\"}",	  /* ill-formed UTF-8 */
	};
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct json_object o;
		const struct json_value *v = NULL;

		if (json_object_parse(bad[i], strlen(bad[i]), &o))
			v = json_object_get(&o, "t");
		ok(!v || !json_string_decode(v, &out), "decoding refused: %s",
		   bad[i]);
	}
	strbuf_release(&out);
}

int
main(void)
{
	test_objects();
	test_refused();
	test_round_trip();
	test_decode_refused();
	return tap_done();
}
