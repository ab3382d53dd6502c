/* SPDX-License-Identifier: MIT */
/* Growable strings and allocation wrappers that never return NULL: running
 * out of memory ends the program with a message (see strbuf.h). */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory is not recoverable here: say so and stop, never limp on. */
static _Noreturn void
die_oom(void)
{
	fputs("deploydesk: out of memory\n", stderr);
	abort();
}

/* malloc(0) may return NULL, which would look like a failure: ask for 1. */
void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die_oom();
	return p;
}

/* calloc checks n * size for overflow itself; we only add the abort. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (p == NULL)
		die_oom();
	return p;
}

/* realloc(p, 0) may free p and return NULL: never ask for 0 bytes. */
void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die_oom();
	return q;
}

/* strdup that cannot fail. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Copies at most n bytes of s, stopping at a NUL, and terminates the copy. */
char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Makes room for extra more bytes plus the NUL, doubling to keep appends
 * amortised O(1). */
static void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX - sb->len - 1)
		die_oom();
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	cap = sb->cap ? sb->cap : 32;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

/* The primitive every other adder goes through; data may hold NUL bytes. */
void
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len > 0)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

/* Appends a C string. */
void
strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

/* Appends one byte. */
void
strbuf_addch(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		/* Room for it and the NUL: the common case, no call. */
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
		return;
	}
	strbuf_add(sb, &c, 1);
}

/* printf into the buffer: measure first, then format in place. */
void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		/* Only an invalid format or wide conversion gets here. */
		fputs("deploydesk: invalid format string\n", stderr);
		abort();
	}
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Empties the buffer but keeps its memory for reuse. */
void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Hands the string to the caller, who then owns it; never NULL. */
char *
strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

/* Frees the memory; sb is empty and reusable afterwards. */
void
strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Lets callers print a buffer that was never added to. */
const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
