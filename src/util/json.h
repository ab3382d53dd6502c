/* SPDX-License-Identifier: MIT */
/* Reading the flat JSON objects deploydesk writes in its audit trail
 * ({"status":"A_FAIRE","logs_bytes":12,"admin":true}): one level, values
 * that are strings, integers, booleans or null. Anything else, or anything
 * malformed, is refused rather than guessed at. */
#ifndef DD_UTIL_JSON_H
#define DD_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define JSON_MEMBERS_MAX 24

enum json_kind { JSON_NULL, JSON_BOOL, JSON_INT, JSON_STRING };

/* A value points into the parsed text: a string's raw bytes between its
 * quotes (escapes not yet decoded), an integer's digits. */
struct json_value {
	enum json_kind kind;
	const char *raw;
	size_t len;
	bool escaped; /* a string holding at least one backslash */
	bool boolean;
	int64_t integer;
};

struct json_object {
	size_t count;
	struct {
		const char *key; /* raw, between its quotes */
		size_t key_len;
		struct json_value value;
	} members[JSON_MEMBERS_MAX];
};

/* Parses len bytes as one flat object, with nothing but white space after
 * it. False when the text is not such an object, when a key appears twice,
 * or when it has more than JSON_MEMBERS_MAX members. The object points into
 * text, which must outlive it. */
bool json_object_parse(const char *text, size_t len, struct json_object *out);

/* The member named key, or NULL. */
const struct json_value *json_object_get(const struct json_object *o,
					 const char *key);

/* A string value's text, escapes decoded, into out (reset first). False
 * for a value that is not a string or that decodes to ill-formed UTF-8
 * (a lone surrogate) or to a NUL. */
bool json_string_decode(const struct json_value *v, struct strbuf *out);

/* True when v is the string s exactly (after decoding). */
bool json_string_is(const struct json_value *v, const char *s, size_t len);

#endif
