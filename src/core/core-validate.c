/* SPDX-License-Identifier: MIT */
/* Validation of what people type, before anything is written: each message
 * names the field. */
#include "core/core-internal.h"

#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"
#include "util/textfmt.h"

/* True when s holds something other than spaces. */
static bool
has_content(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return true;
	return false;
}

enum dd_code
core_check_text(const char *field, const char *s, size_t max_chars,
		bool required, struct dd_error *err)
{
	size_t len = s ? strlen(s) : 0;

	if (!s || !has_content(s)) {
		if (!required)
			return DD_OK;
		return dd_fail(err, DD_ERR_INPUT, _("%s: required, but empty"),
			       field);
	}
	if (!utf8_valid(s, len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s: not valid UTF-8 text (byte %zu)"), field,
			       utf8_invalid_offset(s, len) + 1);
	if (utf8_length(s, len) > max_chars)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s: %zu characters, at most %zu allowed"),
			       field, utf8_length(s, len), max_chars);
	return DD_OK;
}

enum dd_code
core_check_line(const char *field, const char *s, size_t max_chars,
		bool required, struct dd_error *err)
{
	enum dd_code code = core_check_text(field, s, max_chars, required, err);
	size_t len = s ? strlen(s) : 0, at = 0;

	if (code)
		return code;
	/* A name or a version is one line, shown in a cell of a table: a
	 * tab, a line break or an escape would be a marker there, and in
	 * a script's output a broken line. */
	for (size_t pos = 0; pos < len; at++) {
		uint32_t cp;

		pos += utf8_decode(s + pos, len - pos, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return dd_fail(err, DD_ERR_INPUT,
				       _("%s: a control character (U+%04X) at "
					 "character %zu; one line of text "
					 "only"),
				       field, (unsigned)cp, at + 1);
	}
	return DD_OK;
}

enum dd_code
core_check_login(const char *login, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	size_t n = strlen(login);

	if (n == 0 || n > CORE_LOGIN_MAX || login[0] == '-' ||
	    strspn(login, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@") != n)
		return dd_fail(err, DD_ERR_INPUT,
			       _("login: '%s' is not an account name (1 to %d "
				 "letters, digits, '.', '_', '-' or '@')"),
			       text_cut(login, cut), CORE_LOGIN_MAX);
	return DD_OK;
}

enum dd_code
core_check_code(const char *code, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	size_t n = strlen(code);

	if (n == 0 || n > CORE_CODE_MAX ||
	    !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", code[0]) ||
	    strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
		return dd_fail(err, DD_ERR_INPUT,
			       _("project code: '%s' must be 1 to %d capital "
				 "letters, digits, '_' or '-', starting with "
				 "a letter (such as ERP)"),
			       text_cut(code, cut), CORE_CODE_MAX);
	return DD_OK;
}

enum dd_code
core_logs_validate(const char *logs, size_t len, struct dd_error *err)
{
	if (len > CORE_LOGS_MAX)
		return dd_fail(err, DD_ERR_INPUT,
			       _("logs: %zu bytes, at most %d allowed"), len,
			       CORE_LOGS_MAX);
	if (memchr(logs, '\0', len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("logs: contain a NUL byte (binary data?)"));
	if (!utf8_valid(logs, len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("logs: not valid UTF-8 text (byte %zu)"),
			       utf8_invalid_offset(logs, len) + 1);
	return DD_OK;
}
