/* SPDX-License-Identifier: MIT */
/* Tests of time parsing and formatting: strict shapes, real calendar dates,
 * time zones and daylight-saving gaps. */
#include "util/timeutil.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

/* Switches the process's local time zone. */
static void
use_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Parses text and, on success, gives it back as ISO UTC in iso. */
static int
parse_to_iso(const char *text, char iso[TIME_ISO_SIZE])
{
	time_t t;
	char why[128] = "";

	if (!time_parse_local(text, &t, why, sizeof why))
		return 0;
	time_iso_utc(t, iso);
	return 1;
}

/* Checks that text is refused with the given reason. */
static void
check_rejected(const char *text, const char *reason)
{
	time_t t = 12345;
	char why[128] = "";
	bool r = time_parse_local(text, &t, why, sizeof why);

	ok(!r && t == 12345, "\"%s\" rejected, output untouched", text);
	is_str(why, reason, "\"%s\": reason", text);
}

/* Parsing and formatting in UTC, where local and ISO agree. */
static void
test_utc(void)
{
	char iso[TIME_ISO_SIZE], disp[32];
	time_t t = 0;

	use_tz("UTC");
	ok(time_parse_local("2026-02-06 14:00", &t, NULL, 0) &&
	       t == (time_t)1770386400,
	   "2026-02-06 14:00 UTC is 1770386400");
	ok(parse_to_iso("2026-02-06 14:00", iso), "parse 2026-02-06 14:00");
	is_str(iso, "2026-02-06T14:00:00Z", "round trip to ISO in UTC");
	ok(parse_to_iso("2024-02-29 23:59", iso),
	   "leap day 2024-02-29 accepted");
	is_str(iso, "2024-02-29T23:59:00Z", "leap day as ISO");
	ok(parse_to_iso("2000-02-29 00:00", iso), "2000-02-29 accepted (400)");
	ok(parse_to_iso("1970-01-01 00:00", iso) &&
	       strcmp(iso, "1970-01-01T00:00:00Z") == 0,
	   "the epoch itself");
	ok(parse_to_iso("2026-12-31 23:59", iso) &&
	       strcmp(iso, "2026-12-31T23:59:00Z") == 0,
	   "last minute of a year");

	time_iso_utc((time_t)0, iso);
	is_str(iso, "1970-01-01T00:00:00Z", "time_iso_utc(0)");
	time_iso_utc((time_t)951782400, iso);
	is_str(iso, "2000-02-29T00:00:00Z", "time_iso_utc on a leap day");

	ok(time_parse_iso("2026-02-06T14:00:00Z", &t) && t == 1770386400,
	   "time_parse_iso reads what time_iso_utc writes");
	ok(time_parse_iso("1969-12-31T23:59:59Z", &t) && t == -1,
	   "time_parse_iso: one second before the epoch is not an error");
	ok(!time_parse_iso("2026-02-06 14:00:00Z", &t), "ISO needs the T");
	ok(!time_parse_iso("2026-02-06T14:00:00", &t), "ISO needs the Z");
	ok(!time_parse_iso("2026-02-06T14:00:00Z ", &t),
	   "ISO: trailing space rejected");
	ok(!time_parse_iso("2026-02-06T14:00:00+00:00", &t),
	   "ISO: offsets other than Z rejected");
	ok(!time_parse_iso("2026-02-30T14:00:00Z", &t), "ISO: Feb 30 rejected");
	ok(!time_parse_iso("2026-02-06T14:00:60Z", &t),
	   "ISO: second 60 rejected");
	ok(!time_parse_iso("2026-02-06T24:00:00Z", &t),
	   "ISO: hour 24 rejected");
	ok(!time_parse_iso("", &t), "ISO: empty rejected");
	ok(!time_parse_iso(NULL, &t), "ISO: NULL rejected");
	{
		/* Every 7th day and 13 hours from 0001 to 9999, and the
		 * leap days around 1900, 2000 and 2100: read back as timegm
		 * reckons them. */
		int wrong = 0, n = 0;
		struct tm tm;
		char text[TIME_ISO_SIZE + 16];
		time_t got;

		for (int64_t x = -62135596800; x < 253402300799;
		     x += 7 * 86400 + 13 * 3600 + 17, n++) {
			time_t want = (time_t)x;

			gmtime_r(&want, &tm);
			snprintf(text, sizeof text,
				 "%04d-%02d-%02dT%02d:%02d:%02dZ",
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				 tm.tm_hour, tm.tm_min, tm.tm_sec);
			if (!time_parse_iso(text, &got) || got != want)
				wrong++;
		}
		ok(wrong == 0 && n > 400000,
		   "time_parse_iso agrees with gmtime over 0001-9999 "
		   "(%d of %d wrong)",
		   wrong, n);
		ok(time_parse_iso("2000-02-29T00:00:00Z", &got) &&
		       got == 951782400 &&
		       !time_parse_iso("1900-02-29T00:00:00Z", &got) &&
		       time_parse_iso("2100-03-01T00:00:00Z", &got) &&
		       got == 4107542400,
		   "time_parse_iso: 2000 is a leap year, 1900 and 2100 are "
		   "not");
	}

	time_local_display("2026-02-06T14:00:00Z", disp, sizeof disp);
	is_str(disp, "2026-02-06 14:00", "display in UTC");
	time_local_display("not a time", disp, sizeof disp);
	is_str(disp, "not a time", "display copies what it cannot read");
	time_local_display("2026-02-06T14:00:00Z", disp, 8);
	is_str(disp, "2026-02", "display truncates to out_size");

	time_now_iso(iso);
	ok(strlen(iso) == 20 && time_parse_iso(iso, &t) &&
	       labs((long)(t - time(NULL))) < 5,
	   "time_now_iso is now, in the stored form");
}

/* Everything that is not exactly "YYYY-MM-DD HH:MM" of a real instant. */
static void
test_rejects(void)
{
	const char *shape =
	    "expected YYYY-MM-DD HH:MM, such as 2026-02-06 14:00";

	use_tz("UTC");
	check_rejected("2026-02-30 10:00", "no such date");
	check_rejected("2026-02-29 10:00", "no such date");
	check_rejected("2026-04-31 10:00", "no such date");
	check_rejected("2026-13-01 10:00", "no such date");
	check_rejected("2026-00-10 10:00", "no such date");
	check_rejected("2026-01-00 10:00", "no such date");
	check_rejected("1900-02-29 10:00", "no such date");
	check_rejected("2026-02-06 24:00", "no such time of day");
	check_rejected("2026-02-06 14:60", "no such time of day");
	check_rejected("2026-2-6 14:00", shape);
	check_rejected("2026-02-06T14:00", shape);
	check_rejected("2026-02-06 14:00 ", shape);
	check_rejected("2026-02-06 14:00:00", shape);
	check_rejected("2026-02-06 14:00x", shape);
	check_rejected("2026-02-06  14:00", shape);
	check_rejected(" 2026-02-06 14:00", shape);
	check_rejected("2026-02-06 14:0", shape);
	check_rejected("2026/02/06 14:00", shape);
	check_rejected("2026-02-06 +4:00", shape);
	check_rejected("\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6-02-06 14:00", shape);
	check_rejected("", shape);

	{
		time_t t = 0;
		char why[8];

		ok(!time_parse_local(NULL, &t, NULL, 0),
		   "NULL text rejected without a reason buffer");
		ok(!time_parse_local("2026-02-30 10:00", &t, why, sizeof why) &&
		       strcmp(why, "no such") == 0,
		   "reason is truncated to why_size");
	}
}

/* A real zone with daylight saving time, when the system has it. */
static void
test_paris(void)
{
	char iso[TIME_ISO_SIZE], disp[32];

	if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0) {
		ok(1, "# SKIP no /usr/share/zoneinfo/Europe/Paris (tzdata)");
		return;
	}
	use_tz("Europe/Paris");
	ok(parse_to_iso("2026-02-06 14:00", iso), "Paris: February 14:00");
	is_str(iso, "2026-02-06T13:00:00Z", "Paris winter time is UTC+1");
	ok(parse_to_iso("2026-07-14 14:00", iso), "Paris: July 14:00");
	is_str(iso, "2026-07-14T12:00:00Z", "Paris summer time is UTC+2");
	check_rejected("2026-03-29 02:30",
		       "that time does not exist in the local time zone");
	check_rejected("2026-03-29 02:00",
		       "that time does not exist in the local time zone");
	ok(parse_to_iso("2026-03-29 01:59", iso) &&
	       strcmp(iso, "2026-03-29T00:59:00Z") == 0,
	   "Paris: the minute before the gap");
	ok(parse_to_iso("2026-03-29 03:00", iso) &&
	       strcmp(iso, "2026-03-29T01:00:00Z") == 0,
	   "Paris: the minute the gap ends");
	ok(parse_to_iso("2026-10-25 02:30", iso),
	   "Paris: an ambiguous autumn time is accepted");

	time_local_display("2026-02-06T13:00:00Z", disp, sizeof disp);
	is_str(disp, "2026-02-06 14:00", "display in Paris, winter");
	time_local_display("2026-03-29T01:00:00Z", disp, sizeof disp);
	is_str(disp, "2026-03-29 03:00", "display in Paris after the change");
}

/* The stored form, read strictly for audit verify: exactly twenty bytes
 * of a real UTC instant from 1970 on, as a number that orders as the text
 * does. */
static void
test_pack(void)
{
	static const char *const bad[] = {
	    "2026-02-06T14:00:00",  "2026-02-06T14:00:00Zx",
	    "2026-02-06 14:00:00Z", "2026-02-30T14:00:00Z",
	    "2026-13-06T14:00:00Z", "2026-02-06T24:00:00Z",
	    "2026-02-06T14:60:00Z", "2026-02-06T14:00:60Z",
	    "1969-12-31T23:59:59Z", "+026-02-06T14:00:00Z",
	    "2026-02-06t14:00:00Z", "",
	};
	int64_t a, b;
	char back[TIME_ISO_SIZE];

	ok(time_iso_pack("2026-02-06T14:00:00Z", 20, &a) &&
	       a == 20260206140000LL,
	   "2026-02-06T14:00:00Z packs as 20260206140000");
	time_iso_unpack(a, back);
	is_str(back, "2026-02-06T14:00:00Z", "and unpacks back");
	ok(time_iso_pack("1970-01-01T00:00:00Z", 20, &a) &&
	       time_iso_pack("9999-12-31T23:59:59Z", 20, &b) && a < b,
	   "1970 and 9999 pack, in order");
	ok(time_iso_pack("2024-02-29T00:00:00Z", 20, &a), "a leap day packs");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(!time_iso_pack(bad[i], strlen(bad[i]), &a), "refused: '%s'",
		   bad[i]);
	ok(!time_iso_pack("2026-02-06T14:00:00Z\0x", 22, &a),
	   "refused: bytes after a NUL");
}

/* Years: from 1970 to 9999, stored with four digits. */
static void
test_years(void)
{
	const char *range = "the year must be between 1970 and 9999";
	char iso[TIME_ISO_SIZE];
	struct tm tm = {.tm_year = 999 - 1900, .tm_mon = 5, .tm_mday = 1};

	use_tz("UTC");
	check_rejected("1969-12-31 23:59", range);
	check_rejected("1900-01-01 00:00", range);
	check_rejected("1000-01-01 00:00", range);
	check_rejected("0999-06-01 10:00", range);
	check_rejected("0026-02-06 14:00", range);
	check_rejected("0000-01-01 00:00", range);
	ok(parse_to_iso("1970-01-01 00:00", iso) &&
	       strcmp(iso, "1970-01-01T00:00:00Z") == 0,
	   "1970-01-01 00:00, the first minute, is accepted");
	ok(parse_to_iso("9999-12-31 23:59", iso) &&
	       strcmp(iso, "9999-12-31T23:59:00Z") == 0,
	   "9999-12-31 23:59, the last minute, is accepted");

	time_iso_utc(timegm(&tm), iso);
	is_str(iso, "0999-06-01T00:00:00Z",
	       "time_iso_utc writes a year before 1000 with four digits");
	tm.tm_year = 26 - 1900;
	time_iso_utc(timegm(&tm), iso);
	is_str(iso, "0026-06-01T00:00:00Z",
	       "time_iso_utc writes the year 26 as 0026");

	if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0) {
		ok(1, "# SKIP no /usr/share/zoneinfo/Europe/Paris (tzdata)");
	} else {
		use_tz("Europe/Paris");
		check_rejected("1970-01-01 00:30", "that date is out of range");
		ok(parse_to_iso("1970-01-01 01:00", iso) &&
		       strcmp(iso, "1970-01-01T00:00:00Z") == 0,
		   "Paris: 1970-01-01 01:00 is the epoch");
		use_tz("America/New_York");
		check_rejected("9999-12-31 23:00", "that date is out of range");
		use_tz("UTC");
	}
}

/* Dates typed in a locale's own format: the year with four digits only. */
static void
test_locale_years(void)
{
	static const struct {
		const char *locale, *format, *good, *two_digits, *example;
	} cases[] = {
	    {"fr_FR.UTF-8", "%d/%m/%Y %H:%M", "06/02/2026 14:00",
	     "06/02/26 14:00", "06/02/2026 14:00"},
	    /* %x writes 06/02/26 there: made a four-digit year */
	    {"en_GB.UTF-8", "%d/%m/%Y %H:%M", "06/02/2026 14:00",
	     "06/02/26 14:00", "06/02/2026 14:00"},
	    {"en_US.UTF-8", "%m/%d/%Y %H:%M", "02/06/2026 14:00",
	     "02/06/26 14:00", "02/06/2026 14:00"},
	};

	use_tz("UTC");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char iso[TIME_ISO_SIZE], disp[32], want[128];

		if (!setlocale(LC_ALL, cases[i].locale)) {
			for (int k = 0; k < 10; k++)
				ok(1, "# SKIP locale %s not generated",
				   cases[i].locale);
			continue;
		}
		is_str(time_locale_format(), cases[i].format,
		       "%s: the date format has a four-digit year",
		       cases[i].locale);
		ok(parse_to_iso(cases[i].good, iso) &&
		       strcmp(iso, "2026-02-06T14:00:00Z") == 0,
		   "%s: \"%s\" is 2026-02-06 14:00", cases[i].locale,
		   cases[i].good);
		ok(parse_to_iso("2026-02-06 14:00", iso) &&
		       strcmp(iso, "2026-02-06T14:00:00Z") == 0,
		   "%s: ISO is accepted too", cases[i].locale);
		snprintf(want, sizeof want,
			 "write the year with four digits, such as %s",
			 cases[i].example);
		check_rejected(cases[i].two_digits, want);
		time_local_display("2026-02-06T14:00:00Z", disp, sizeof disp);
		is_str(disp, cases[i].example, "%s: shown with four digits",
		       cases[i].locale);
		/* A day alone (a week's Monday): the date part of it. */
		time_day_display("2026-02-06", disp, sizeof disp);
		snprintf(want, sizeof want, "%.10s", cases[i].example);
		is_str(disp, want, "%s: a day alone shown the same way",
		       cases[i].locale);
		time_day_display("2026-02-30", disp, sizeof disp);
		is_str(disp, "2026-02-30",
		       "%s: a day that does not exist is shown as it is",
		       cases[i].locale);
		/* the same with the year 0026, written with four digits */
		snprintf(want, sizeof want, "%.*s0026 14:00", 6, cases[i].good);
		check_rejected(want, "the year must be between 1970 and 9999");
	}
	setlocale(LC_ALL, "C");
	{
		char day[32];

		time_day_display("2026-02-06", day, sizeof day);
		is_str(day, "2026-02-06", "C: a day alone stays ISO");
		time_day_display("x\033[2J", day, sizeof day);
		is_str(day, "x\033[2J", "text of another shape is copied");
	}
}

int
main(void)
{
	test_pack();
	test_utc();
	test_rejects();
	test_paris();
	test_years();
	test_locale_years();
	return tap_done();
}
