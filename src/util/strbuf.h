/* SPDX-License-Identifier: MIT */
/* A growable byte string, always NUL-terminated. */
#ifndef DD_UTIL_STRBUF_H
#define DD_UTIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *
	    buf; /* NULL until something is added; then always NUL-terminated */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* All adders abort the program with a message on allocation failure (as git's
 * strbuf does): running out of memory is not a condition we recover from. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* Returns the string (caller frees; never NULL) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* The contents, or "" when empty. */
const char *strbuf_str(const struct strbuf *sb);

/* xmalloc family: abort with a message when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
