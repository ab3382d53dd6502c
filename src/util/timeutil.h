/* SPDX-License-Identifier: MIT */
/* Times: stored as ISO-8601 UTC text ("2026-02-06T14:00:00Z"), which sorts
 * as it reads; typed and shown in the local time zone. */
#ifndef DD_UTIL_TIMEUTIL_H
#define DD_UTIL_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIME_ISO_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/* Formats t as ISO-8601 UTC into out. */
void time_iso_utc(time_t t, char out[TIME_ISO_SIZE]);

/* The current time, as ISO-8601 UTC. */
void time_now_iso(char out[TIME_ISO_SIZE]);

/* Parses "YYYY-MM-DD HH:MM", or the locale's format (time_locale_format),
 * in the local time zone. Returns false for text of another shape, a year
 * not written with four digits, a year before 1970 or after 9999, or a
 * date or time that does not exist (2026-02-30, 25:00, a time skipped by a
 * daylight-saving change); why (when not NULL) then receives a short
 * translated reason. */
bool time_parse_local(const char *text, time_t *out, char *why,
		      size_t why_size);

/* Parses the ISO-8601 UTC form written by time_iso_utc. */
bool time_parse_iso(const char *iso, time_t *out);

/* A stored time, which must be exactly "YYYY-MM-DDTHH:MM:SSZ" (len bytes,
 * no more) for a date that exists, from 1970 on, read as the number
 * YYYYMMDDHHMMSS: two such numbers compare as their texts do. False for
 * anything else. time_iso_unpack writes the text back. */
bool time_iso_pack(const char *s, size_t len, int64_t *out);
void time_iso_unpack(int64_t packed, char out[TIME_ISO_SIZE]);

/* The strftime format of a date and time as the locale writes them (its
 * %x with a four-digit year, and %H:%M: 06/02/2026 14:00 in French), or
 * ISO "%Y-%m-%d %H:%M" in the C locale, whose %x (02/06/26) is ambiguous.
 * The string is valid until the next call. */
const char *time_locale_format(void);

/* A day ("YYYY-MM-DD", a calendar date, no time zone) as the locale
 * writes dates (06/02/2026 in French; ISO in the C locale); anything else
 * is copied as it is. */
void time_day_display(const char *day, char *out, size_t out_size);

/* Formats an ISO-8601 UTC time in the local time zone, in the locale's
 * format (time_locale_format); an unparsable value is copied as it is.
 * out_size >= 32 recommended. */
void time_local_display(const char *iso, char *out, size_t out_size);

#endif
