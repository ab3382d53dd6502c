/* SPDX-License-Identifier: MIT */
/* Version 4 (random) UUIDs from the kernel's generator, so that ids made by
 * several processes at once, on one host or several, do not collide. */
#include "util/uuid.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>

/* Fills buf from getrandom(2), going on after a signal or a short read. */
static bool
random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		got += (size_t)n;
	}
	return true;
}

/* RFC 9562 section 5.4: 122 random bits, version 4, variant 10. */
bool
uuid_new(char out[UUID_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, o = 0;

	if (!random_bytes(b, sizeof b))
		return false;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	for (i = 0; i < sizeof b; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0F];
	}
	out[o] = '\0';
	return true;
}
