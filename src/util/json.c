/* SPDX-License-Identifier: MIT */
/* A strict reader for one level of JSON object (util/json.h). */
#include "util/json.h"

#include <string.h>

#include "util/utf8.h"

struct cursor {
	const char *p, *end;
};

static void
skip_space(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool
literal(struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* A string's raw bytes, from its opening quote to its closing one; control
 * characters must be escaped, as JSON says. */
static bool
scan_string(struct cursor *c, const char **raw, size_t *len, bool *escaped)
{
	const char *start;

	if (c->p >= c->end || *c->p != '"')
		return false;
	start = ++c->p;
	*escaped = false;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p;

		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			*escaped = true;
			if (++c->p >= c->end)
				return false;
		}
		c->p++;
	}
	if (c->p >= c->end)
		return false;
	*raw = start;
	*len = (size_t)(c->p - start);
	c->p++;
	return true;
}

/* An integer: an optional minus and digits, no leading zero, no fraction
 * or exponent (deploydesk writes none), within int64_t. */
static bool
scan_integer(struct cursor *c, struct json_value *v)
{
	const char *start = c->p;
	bool negative = false;
	uint64_t n = 0, limit;

	if (c->p < c->end && *c->p == '-') {
		negative = true;
		c->p++;
	}
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return false;
	if (*c->p == '0' && c->p + 1 < c->end && c->p[1] >= '0' &&
	    c->p[1] <= '9')
		return false;
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');

		if (n > (limit - d) / 10)
			return false;
		n = n * 10 + d;
		c->p++;
	}
	if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
		return false;
	v->kind = JSON_INT;
	v->raw = start;
	v->len = (size_t)(c->p - start);
	v->integer = negative ? (int64_t)(0 - n) : (int64_t)n;
	return true;
}

static bool
scan_value(struct cursor *c, struct json_value *v)
{
	memset(v, 0, sizeof *v);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '"':
		v->kind = JSON_STRING;
		return scan_string(c, &v->raw, &v->len, &v->escaped);
	case 't':
		v->kind = JSON_BOOL;
		v->boolean = true;
		return literal(c, "true");
	case 'f':
		v->kind = JSON_BOOL;
		return literal(c, "false");
	case 'n':
		v->kind = JSON_NULL;
		return literal(c, "null");
	default:
		return scan_integer(c, v);
	}
}

bool
json_object_parse(const char *text, size_t len, struct json_object *out)
{
	struct cursor c = {text, text + len};

	out->count = 0;
	skip_space(&c);
	if (!literal(&c, "{"))
		return false;
	skip_space(&c);
	if (!literal(&c, "}")) {
		for (;;) {
			const char *key;
			size_t key_len;
			bool escaped;

			if (out->count == JSON_MEMBERS_MAX)
				return false;
			skip_space(&c);
			if (!scan_string(&c, &key, &key_len, &escaped) ||
			    escaped)
				return false;
			for (size_t i = 0; i < out->count; i++)
				if (out->members[i].key_len == key_len &&
				    memcmp(out->members[i].key, key, key_len) ==
					0)
					return false;
			skip_space(&c);
			if (!literal(&c, ":"))
				return false;
			skip_space(&c);
			out->members[out->count].key = key;
			out->members[out->count].key_len = key_len;
			if (!scan_value(&c, &out->members[out->count].value))
				return false;
			out->count++;
			skip_space(&c);
			if (literal(&c, "}"))
				break;
			if (!literal(&c, ","))
				return false;
		}
	}
	skip_space(&c);
	return c.p == c.end;
}

const struct json_value *
json_object_get(const struct json_object *o, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < o->count; i++)
		if (o->members[i].key_len == n &&
		    memcmp(o->members[i].key, key, n) == 0)
			return &o->members[i].value;
	return NULL;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hexadecimal digits after "\u". */
static bool
read_u4(const char *p, const char *end, uint32_t *out)
{
	uint32_t v = 0;

	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

bool
json_string_decode(const struct json_value *v, struct strbuf *out)
{
	const char *p, *end;

	strbuf_reset(out);
	if (v->kind != JSON_STRING)
		return false;
	p = v->raw;
	end = v->raw + v->len;
	while (p < end) {
		const char *run = p;
		uint32_t cp, low;
		char enc[4];

		while (p < end && *p != '\\')
			p++;
		strbuf_add(out, run, (size_t)(p - run));
		if (p == end)
			break;
		p++; /* the backslash; scan_string made sure one follows */
		switch (*p++) {
		case '"':
			strbuf_addch(out, '"');
			continue;
		case '\\':
			strbuf_addch(out, '\\');
			continue;
		case '/':
			strbuf_addch(out, '/');
			continue;
		case 'b':
			strbuf_addch(out, '\b');
			continue;
		case 'f':
			strbuf_addch(out, '\f');
			continue;
		case 'n':
			strbuf_addch(out, '\n');
			continue;
		case 'r':
			strbuf_addch(out, '\r');
			continue;
		case 't':
			strbuf_addch(out, '\t');
			continue;
		case 'u':
			break;
		default:
			return false;
		}
		if (!read_u4(p, end, &cp))
			return false;
		p += 4;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return false;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
			    !read_u4(p + 2, end, &low) || low < 0xDC00 ||
			    low > 0xDFFF)
				return false;
			p += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
		}
		if (cp == 0)
			return false;
		strbuf_add(out, enc, utf8_encode(cp, enc));
	}
	return memchr(strbuf_str(out), '\0', out->len) == NULL &&
	       utf8_valid(strbuf_str(out), out->len);
}

bool
json_string_is(const struct json_value *v, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool same;

	if (v->kind != JSON_STRING)
		return false;
	if (!v->escaped)
		return v->len == len && memcmp(v->raw, s, len) == 0 &&
		       utf8_valid(s, len);
	same = json_string_decode(v, &sb) && sb.len == len &&
	       memcmp(sb.buf, s, len) == 0;
	strbuf_release(&sb);
	return same;
}
