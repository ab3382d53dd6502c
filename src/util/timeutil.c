/* SPDX-License-Identifier: MIT */
/* Times: ISO-8601 UTC text for storage, "YYYY-MM-DD HH:MM" in the local time
 * zone for people; parsing is strict so that a typo is never a valid date. */
#include "util/timeutil.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/i18n.h"

/* Gregorian rule: what makes 2024-02-29 a date and 2026-02-29 not. */
static bool
is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days in month (1-12) of year. */
static int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	if (month == 2 && is_leap_year(year))
		return 29;
	return days[month - 1];
}

/* The value of n ASCII digits that matches_shape() has already checked. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Checks text against a shape where 'd' stands for a digit and every other
 * character for itself, and that nothing follows. */
static bool
matches_shape(const char *text, const char *shape)
{
	size_t i;

	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd') {
			if (text[i] < '0' || text[i] > '9')
				return false;
		} else if (text[i] != shape[i]) {
			return false;
		}
	}
	return text[i] == '\0';
}

/* Copies a reason for the caller to show, when it asked for one. */
static bool
fail(char *why, size_t why_size, const char *reason)
{
	if (why != NULL && why_size > 0)
		snprintf(why, why_size, "%s", reason);
	return false;
}

/* Years outside 0000-9999 would not fit the four digits of the ISO form. */
static bool
tm_fits_iso(const struct tm *tm)
{
	return tm->tm_year >= 0 - 1900 && tm->tm_year <= 9999 - 1900;
}

/* The single format in which times are stored, always with four digits of
 * year (strftime's %Y writes 999, not 0999, which would sort as the
 * newest). An instant outside years 0000-9999 cannot occur from our own
 * parsers; it gives "". */
void
time_iso_utc(time_t t, char out[TIME_ISO_SIZE])
{
	char buf[64];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || !tm_fits_iso(&tm)) {
		out[0] = '\0';
		return;
	}
	/* Each field is within its range: 20 characters exactly. */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	memcpy(out, buf, TIME_ISO_SIZE - 1);
	out[TIME_ISO_SIZE - 1] = '\0';
}

/* Timestamps for the audit log and the records. */
void
time_now_iso(char out[TIME_ISO_SIZE])
{
	time_iso_utc(time(NULL), out);
}

/* What people type in dialogs and on the command line. */
#define ISO_FORMAT "%Y-%m-%d %H:%M"

/* Planned dates: from the epoch (what time_t and the stored form handle
 * everywhere) to the last year of four digits. */
#define YEAR_MIN 1970
#define YEAR_MAX 9999

/* Parses text in the locale's own date format, when it has one other than
 * ISO; all of text but trailing spaces must be used. */
static bool
parse_locale(const char *text, struct tm *tm)
{
	const char *fmt = time_locale_format(), *end;

	if (strcmp(fmt, ISO_FORMAT) == 0)
		return false;
	memset(tm, 0, sizeof *tm);
	end = strptime(text, fmt, tm);
	if (!end)
		return false;
	while (*end == ' ')
		end++;
	return *end == '\0';
}

/* strptime's %Y takes one to four digits, so "06/02/26" would be the year
 * 26: the year must be written as a run of exactly four digits. No other
 * field of a date and time is written with four digits, so such a run
 * holding the year is the year. */
static bool
year_has_four_digits(const char *text, int year)
{
	for (const char *p = text; *p;) {
		size_t n = strspn(p, "0123456789");

		if (n == 4 && digits(p, 4) == year)
			return true;
		p += n ? n : 1;
	}
	return false;
}

/* The date and time of 2026-02-06 14:00 as the locale writes them, for the
 * reasons given to people. */
static void
locale_example(char *out, size_t size)
{
	struct tm ex = {
	    .tm_year = 126, .tm_mon = 1, .tm_mday = 6, .tm_hour = 14};

	if (!strftime(out, size, time_locale_format(), &ex))
		snprintf(out, size, "2026-02-06 14:00");
}

bool
time_parse_local(const char *text, time_t *out, char *why, size_t why_size)
{
	int year, month, day, hour, minute;
	struct tm tm;
	time_t t;

	if (text != NULL && matches_shape(text, "dddd-dd-dd dd:dd")) {
		year = digits(text, 4);
		month = digits(text + 5, 2);
		day = digits(text + 8, 2);
		hour = digits(text + 11, 2);
		minute = digits(text + 14, 2);
	} else if (text != NULL && parse_locale(text, &tm)) {
		/* As the locale writes dates (06/02/2026 14:00 in French). */
		year = tm.tm_year + 1900;
		month = tm.tm_mon + 1;
		day = tm.tm_mday;
		hour = tm.tm_hour;
		minute = tm.tm_min;
		if (!year_has_four_digits(text, year)) {
			char example[64], reason[160];

			locale_example(example, sizeof example);
			snprintf(reason, sizeof reason,
				 _("write the year with four digits, such as "
				   "%s"),
				 example);
			return fail(why, why_size, reason);
		}
	} else {
		char example[64], reason[160];

		locale_example(example, sizeof example);
		if (strcmp(time_locale_format(), ISO_FORMAT) == 0)
			snprintf(reason, sizeof reason,
				 _("expected YYYY-MM-DD HH:MM, such as %s"),
				 example);
		else
			snprintf(reason, sizeof reason,
				 _("expected a date such as %s, or "
				   "YYYY-MM-DD HH:MM"),
				 example);
		return fail(why, why_size, reason);
	}
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return fail(why, why_size, _("no such date"));
	if (hour > 23 || minute > 59)
		return fail(why, why_size, _("no such time of day"));
	if (year < YEAR_MIN || year > YEAR_MAX)
		return fail(why, why_size,
			    _("the year must be between 1970 and 9999"));

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_isdst = -1;
	/* With whole minutes, -1 (23:59:59 UTC on 1969-12-31) cannot be a
	 * result, only an error. */
	t = mktime(&tm);
	if (t == (time_t)-1)
		return fail(why, why_size, _("that date is out of range"));
	/* In a daylight-saving gap mktime moves the time rather than fail:
	 * 02:30 comes back as 03:30. */
	if (tm.tm_year != year - 1900 || tm.tm_mon != month - 1 ||
	    tm.tm_mday != day || tm.tm_hour != hour || tm.tm_min != minute)
		return fail(
		    why, why_size,
		    _("that time does not exist in the local time zone"));
	/* What we accept must be storable, and in those years in UTC too
	 * (1970-01-01 00:30 in Paris is still 1969 in UTC). */
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < YEAR_MIN - 1900 ||
	    tm.tm_year > YEAR_MAX - 1900)
		return fail(why, why_size, _("that date is out of range"));
	*out = t;
	return true;
}

/* The days from 1970-01-01 to a date of the proleptic Gregorian
 * calendar (H. Hinnant's days_from_civil): what timegm computes, without
 * its normalizing of every field, for a date already checked. A figure
 * reads three times a deployment. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Reads back what time_iso_utc wrote, and nothing else. */
bool
time_parse_iso(const char *iso, time_t *out)
{
	int year, month, day, hour, minute, second;

	if (iso == NULL || !matches_shape(iso, "dddd-dd-ddTdd:dd:ddZ"))
		return false;
	year = digits(iso, 4);
	month = digits(iso + 5, 2);
	day = digits(iso + 8, 2);
	hour = digits(iso + 11, 2);
	minute = digits(iso + 14, 2);
	second = digits(iso + 17, 2);
	/* No leap seconds: time_t cannot hold them, and we never write them. */
	if (month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 ||
	    second > 59)
		return false;

	*out = (time_t)days_from_civil(year, month, day) * 86400 + hour * 3600 +
	       minute * 60 + second;
	return true;
}

/* The locale's date format (D_FMT, what %x writes) with every two-digit
 * year made a four-digit one: a date typed or shown as 06/02/26 would be
 * ambiguous, and would read back as the year 26. */
static const char *
four_digit_date_format(void)
{
	static char fmt[128];
	const char *d = nl_langinfo(D_FMT);
	size_t n = 0;

	if (!d || !*d)
		return NULL;
	for (; *d; d++) {
		const char *piece = NULL;
		char one[3] = {d[0], d[1], '\0'};

		if (d[0] == '%' && d[1] == 'y')
			piece = "%Y";
		else if (d[0] == '%' && d[1] == 'D')
			piece = "%m/%d/%Y";
		else if (d[0] == '%' && d[1] != '\0')
			piece = one;
		if (piece) {
			size_t len = strlen(piece);

			if (n + len >= sizeof fmt)
				return NULL;
			memcpy(fmt + n, piece, len);
			n += len;
			d++;
		} else {
			if (n + 1 >= sizeof fmt)
				return NULL;
			fmt[n++] = *d;
		}
	}
	fmt[n] = '\0';
	return fmt;
}

/* Stored times shown to people; a value we cannot read is shown as it is,
 * rather than hidden, so that damage stays visible. */
const char *
time_locale_format(void)
{
	static char fmt[160];
	const char *loc = setlocale(LC_TIME, NULL);
	const char *date;

	if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 ||
	    strncmp(loc, "C.", 2) == 0)
		return ISO_FORMAT;
	date = four_digit_date_format();
	if (!date)
		return ISO_FORMAT;
	snprintf(fmt, sizeof fmt, "%s %%H:%%M", date);
	return fmt;
}

void
time_day_display(const char *day, char *out, size_t out_size)
{
	const char *loc = setlocale(LC_TIME, NULL);
	const char *fmt;
	struct tm tm;

	if (out_size == 0)
		return;
	snprintf(out, out_size, "%s", day ? day : "");
	if (!day || !matches_shape(day, "dddd-dd-dd") || !loc ||
	    strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 ||
	    strncmp(loc, "C.", 2) == 0 || !(fmt = four_digit_date_format()))
		return;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = digits(day, 4) - 1900;
	tm.tm_mon = digits(day + 5, 2) - 1;
	tm.tm_mday = digits(day + 8, 2);
	tm.tm_hour = 12;
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > days_in_month(tm.tm_year + 1900, tm.tm_mon + 1))
		return;
	if (strftime(out, out_size, fmt, &tm) == 0)
		snprintf(out, out_size, "%s", day);
}

void
time_local_display(const char *iso, char *out, size_t out_size)
{
	char buf[64];
	struct tm tm;
	time_t t;

	if (out_size == 0)
		return;
	if (iso == NULL)
		iso = "";
	if (!time_parse_iso(iso, &t) || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, time_locale_format(), &tm) == 0) {
		snprintf(out, out_size, "%s", iso);
		return;
	}
	snprintf(out, out_size, "%s", buf);
}

bool
time_iso_pack(const char *s, size_t len, int64_t *out)
{
	int year, month, day;
	char iso[TIME_ISO_SIZE];

	if (len != TIME_ISO_SIZE - 1)
		return false;
	memcpy(iso, s, len);
	iso[len] = '\0';
	if (!matches_shape(iso, "dddd-dd-ddTdd:dd:ddZ"))
		return false;
	year = digits(iso, 4);
	month = digits(iso + 5, 2);
	day = digits(iso + 8, 2);
	if (year < 1970 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || digits(iso + 11, 2) > 23 ||
	    digits(iso + 14, 2) > 59 || digits(iso + 17, 2) > 59)
		return false;
	*out = ((((int64_t)year * 100 + month) * 100 + day) * 100 +
		digits(iso + 11, 2)) *
		   10000 +
	       digits(iso + 14, 2) * 100 + digits(iso + 17, 2);
	return true;
}

void
time_iso_unpack(int64_t packed, char out[TIME_ISO_SIZE])
{
	int64_t v = packed < 0 ? 0 : packed;
	int part[6];

	for (int i = 5; i > 0; i--) {
		part[i] = (int)(v % 100);
		v /= 100;
	}
	part[0] = (int)(v % 10000);
	snprintf(out, TIME_ISO_SIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ", part[0],
		 part[1], part[2], part[3], part[4], part[5]);
}
