/* SPDX-License-Identifier: MIT */
/* One error type for the whole program: a code the command line maps to its
 * exit status, and a message, already translated, saying what went wrong. */
#ifndef DD_UTIL_ERROR_H
#define DD_UTIL_ERROR_H

#include <stdarg.h>

/* The values are the command line's exit statuses (docs/deploydesk.1). */
enum dd_code {
	DD_OK = 0,
	DD_ERR_RUNTIME = 1,  /* storage, system or internal failure */
	DD_ERR_INPUT = 2,    /* invalid usage or input */
	DD_ERR_PERM = 3,     /* permission denied */
	DD_ERR_NOTFOUND = 4, /* no such thing, or an ambiguous id prefix */
	DD_ERR_REFUSED = 5,  /* refused by the workflow */
};

struct dd_error {
	enum dd_code code;
	char msg[1024];
};

/* Fills err (when not NULL) and returns code, so that callers can write
 * "return dd_fail(err, DD_ERR_INPUT, _("..."), ...);". */
enum dd_code dd_fail(struct dd_error *err, enum dd_code code, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));
enum dd_code dd_vfail(struct dd_error *err, enum dd_code code, const char *fmt,
		      va_list ap);
void dd_error_clear(struct dd_error *err);

#endif
