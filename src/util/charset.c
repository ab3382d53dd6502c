/* SPDX-License-Identifier: MIT */
/* Character set conversions with iconv: see charset.h. */
#include "util/charset.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/i18n.h"
#include "util/utf8.h"
#include "util/textfmt.h"

const char *
charset_locale(void)
{
	return nl_langinfo(CODESET);
}

bool
charset_is_utf8(const char *name)
{
	return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

bool
charset_locale_is_utf8(void)
{
	return charset_is_utf8(charset_locale());
}

/* Converts strictly one piece at a time: glibc's //TRANSLIT differs by
 * locale and GNU libiconv's differs again, so an unconvertible character
 * is replaced by '?' here, the same everywhere. */
static void
convert(iconv_t cd, const char *s, size_t len, struct strbuf *out)
{
	char buf[4096];

	while (len > 0) {
		char *in = (char *)s, *o = buf;
		size_t inleft = len, oleft = sizeof buf;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		strbuf_add(out, buf, sizeof buf - oleft);
		len -= (size_t)(in - s);
		s = in;
		if (r == (size_t)-1 && errno == E2BIG)
			continue;
		if (r == (size_t)-1) {
			/* EILSEQ or EINVAL: skip one character, show '?'. */
			uint32_t cp;
			size_t n = utf8_decode(s, len, &cp);

			strbuf_addch(out, '?');
			s += n;
			len -= n;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
}

bool
charset_from_utf8(const char *s, size_t len, const char *to, struct strbuf *out)
{
	iconv_t cd = iconv_open(to, "UTF-8");

	if (cd == (iconv_t)-1)
		return false;
	convert(cd, s, len, out);
	iconv_close(cd);
	return true;
}

struct charset_conv {
	iconv_t cd;
};

struct charset_conv *
charset_conv_open(const char *to)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	struct charset_conv *c;

	if (cd == (iconv_t)-1)
		return NULL;
	c = xmalloc(sizeof *c);
	c->cd = cd;
	return c;
}

void
charset_conv_add(struct charset_conv *c, const char *s, size_t len,
		 struct strbuf *out)
{
	/* Back to the initial state, as a descriptor just opened. */
	iconv(c->cd, NULL, NULL, NULL, NULL);
	convert(c->cd, s, len, out);
}

void
charset_conv_close(struct charset_conv *c)
{
	if (c) {
		iconv_close(c->cd);
		free(c);
	}
}

/* A byte an 8-bit terminal takes for a C1 control (0x9B is CSI). */
static bool
has_c1_byte(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 && (unsigned char)s[i] <= 0x9F)
			return true;
	return false;
}

bool
charset_for_terminal(const char *s, size_t len, const char *to,
		     struct strbuf *out)
{
	bool eight_bit = !charset_locale_is_utf8();
	/* The locale's codesets are all ASCII supersets; a named encoding
	 * (UTF-16...) may not be. */
	bool ascii_same = to == NULL;
	struct strbuf one = STRBUF_INIT;
	iconv_t cd;

	if (!to)
		to = charset_locale();
	if (!eight_bit && charset_is_utf8(to)) {
		strbuf_add(out, s, len);
		return true;
	}
	cd = iconv_open(to, "UTF-8");
	if (cd == (iconv_t)-1 && !ascii_same)
		return false;
	if (!eight_bit) {
		if (cd == (iconv_t)-1) {
			strbuf_add(out, s, len);
			return true;
		}
		convert(cd, s, len, out);
		iconv_close(cd);
		return true;
	}
	/* Character by character: one whose bytes include a C1 byte is '?'
	 * as a whole (a multibyte character is never cut into a stray
	 * byte). Without a converter for the locale's codeset, ASCII only. */
	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);

		if (ascii_same && (unsigned char)*s < 0x80) {
			strbuf_addch(out, *s);
		} else if (cd == (iconv_t)-1) {
			strbuf_addch(out, '?');
		} else {
			strbuf_reset(&one);
			convert(cd, s, n, &one);
			if (has_c1_byte(one.buf, one.len))
				strbuf_addch(out, '?');
			else
				strbuf_add(out, one.buf, one.len);
		}
		s += n;
		len -= n;
	}
	strbuf_release(&one);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return true;
}

/* Decodes CP1252, reading the bytes CP1252 leaves undefined (81, 8D, 8F,
 * 90, 9D) as ISO-8859-1 does: C1 controls, which the display shows as
 * markers. */
static bool
decode_cp1252(const char *data, size_t len, struct strbuf *out)
{
	iconv_t cd = iconv_open("UTF-8", "CP1252");
	char buf[4096];

	if (cd == (iconv_t)-1)
		return false;
	while (len > 0) {
		char *in = (char *)data, *o = buf;
		size_t inleft = len, oleft = sizeof buf;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		strbuf_add(out, buf, sizeof buf - oleft);
		len -= (size_t)(in - data);
		data = in;
		if (r == (size_t)-1 && errno != E2BIG && len > 0) {
			char u[4];

			strbuf_add(out, u,
				   utf8_encode((unsigned char)*data, u));
			data++;
			len--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	return true;
}

enum dd_code
charset_import(const char *data, size_t len, const char *named,
	       struct strbuf *out, const char **used, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	iconv_t cd;
	size_t bom = utf8_bom_length(data, len);

	if (utf8_valid(data, len)) {
		strbuf_add(out, data + bom, len - bom);
		*used = "UTF-8";
		return DD_OK;
	}
	if (!named) {
		*used = "CP1252";
		if (!decode_cp1252(data, len, out))
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("this system cannot convert from "
					 "CP1252"));
		return DD_OK;
	}
	cd = iconv_open("UTF-8", named);
	if (cd == (iconv_t)-1)
		return dd_fail(err, DD_ERR_INPUT,
			       _("encoding: '%s' is not an encoding this "
				 "system knows (try CP1252, ISO-8859-15)"),
			       text_cut(named, cut));
	*used = named;
	while (len > 0) {
		char buf[4096], *in = (char *)data, *o = buf;
		size_t inleft = len, oleft = sizeof buf;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		size_t done = (size_t)(in - data);

		strbuf_add(out, buf, sizeof buf - oleft);
		data = in;
		len -= done;
		if (r == (size_t)-1 && errno != E2BIG) {
			iconv_close(cd);
			return dd_fail(err, DD_ERR_INPUT,
				       _("logs: not valid %s text (a byte "
					 "that %s does not define)"),
				       named, named);
		}
	}
	iconv_close(cd);
	if (!utf8_valid(strbuf_str(out), out->len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("logs: the %s text did not convert to "
				 "UTF-8"),
			       named);
	return DD_OK;
}
