/* SPDX-License-Identifier: MIT */
/* The program's error type: see error.h. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

enum dd_code
dd_vfail(struct dd_error *err, enum dd_code code, const char *fmt, va_list ap)
{
	if (err) {
		int n;

		err->code = code;
		n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		/* Values are cut before they get here (text_cut); should a
		 * message still be too long, it ends on a whole UTF-8
		 * character, with "…" saying it was cut. */
		if (n >= (int)sizeof err->msg) {
			size_t end = sizeof err->msg - 4;

			while (end > 0 &&
			       ((unsigned char)err->msg[end] & 0xC0) == 0x80)
				end--;
			memcpy(err->msg + end, "\xE2\x80\xA6", 4);
		}
	}
	return code;
}

enum dd_code
dd_fail(struct dd_error *err, enum dd_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dd_vfail(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void
dd_error_clear(struct dd_error *err)
{
	err->code = DD_OK;
	err->msg[0] = '\0';
}
