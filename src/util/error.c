/* The program's error type: see error.h. */
#include "util/error.h"

#include <stdio.h>

enum dd_code
dd_vfail(struct dd_error *err, enum dd_code code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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
