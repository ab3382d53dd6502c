/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF. glibc's decoders accept some of these; this one does not. */
#ifndef DD_UTIL_UTF8_H
#define DD_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* True when the len bytes at s are well-formed UTF-8. NUL bytes are valid
 * UTF-8 but callers that need C strings reject them separately. */
bool utf8_valid(const char *s, size_t len);

/* Offset of the first byte that is not well-formed UTF-8, or len. */
size_t utf8_invalid_offset(const char *s, size_t len);

/* Decodes one character at s (len > 0). Stores it in *cp and returns the
 * bytes it took (1 to 4). On an ill-formed sequence stores UTF8_REPLACEMENT
 * and returns the length of the maximal ill-formed subpart (at least 1), as
 * Unicode recommends, so that decoding can go on. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp (at most U+10FFFF, not a surrogate) into out (4 bytes room);
 * returns the bytes written. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Number of characters (code points) in a well-formed string. */
size_t utf8_length(const char *s, size_t len);

/* Strips a leading UTF-8 byte order mark: returns how many bytes to skip
 * (3 or 0). */
size_t utf8_bom_length(const char *s, size_t len);

/* True when a and b (C strings) are the same text but for case and
 * Unicode normalization ("échec", "ÉCHEC", and "E" + U+0301 + "chec" in
 * capitals), whatever the locale. False when either is not UTF-8. */
bool utf8_equal_nocase(const char *a, const char *b);

#endif
