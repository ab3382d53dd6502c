/* SPDX-License-Identifier: MIT */
/* Freezes: windows in which a project's deployments (or every project's)
 * in an environment (or in every one) are neither started nor executed.
 * Adding and removing one (admins; a project manager those of their
 * project), whether one is on, and the words that say so. */
#include "core/core-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/textfmt.h"
#include "util/utf8.h"

#define WEEK_MINUTES (7 * 24 * 60)

/* The days of a weekly window as they are typed: English and French, short
 * and long; the first is how the trail and the lists write it. */
static const char *const days[7][4] = {
    {"mon", "monday", "lun", "lundi"},
    {"tue", "tuesday", "mar", "mardi"},
    {"wed", "wednesday", "mer", "mercredi"},
    {"thu", "thursday", "jeu", "jeudi"},
    {"fri", "friday", "ven", "vendredi"},
    {"sat", "saturday", "sam", "samedi"},
    {"sun", "sunday", "dim", "dimanche"},
};

int
core_week_minute(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (tm.tm_wday + 6) % 7 * 1440 + tm.tm_hour * 60 + tm.tm_min;
}

/* "fri 16:00" at *p: the minute of the week; *p moves past it. */
static int
parse_point(const char **p)
{
	char word[16];
	size_t n;
	int day = -1, h, m, used = 0;

	*p += strspn(*p, " ");
	n = strcspn(*p, " ");
	if (n == 0 || n >= sizeof word)
		return -1;
	memcpy(word, *p, n);
	word[n] = '\0';
	for (int d = 0; d < 7 && day < 0; d++)
		for (int k = 0; k < 4; k++)
			if (utf8_equal_nocase(word, days[d][k]))
				day = d;
	if (day < 0)
		return -1;
	*p += n;
	*p += strspn(*p, " ");
	if (sscanf(*p, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 ||
	    h > 23 || m > 59 || h < 0 || m < 0)
		return -1;
	*p += used;
	return day * 1440 + h * 60 + m;
}

bool
core_weekly_parse(const char *text, int *from, int *to)
{
	const char *p = text;

	*from = parse_point(&p);
	if (*from < 0)
		return false;
	p += strspn(p, " ");
	if (*p++ != '-')
		return false;
	*to = parse_point(&p);
	p += strspn(p, " ");
	return *to >= 0 && *p == '\0' && *to != *from;
}

/* A window from minute from to minute to of the week, its days named
 * first and second: "fri 16:00-mon 08:00". */
static void
weekly_format(const char *first, int from, const char *second, int to,
	      char *out, size_t size)
{
	snprintf(out, size, "%s %02d:%02d-%s %02d:%02d", first,
		 from % 1440 / 60, from % 60, second, to % 1440 / 60, to % 60);
}

void
core_weekly_text(int from, int to, char *out, size_t size)
{
	weekly_format(days[from / 1440][0], from, days[to / 1440][0], to, out,
		      size);
}

void
core_weekly_label(int from, int to, char *out, size_t size)
{
	/* The short names, as the reader types them; a translation is one
	 * core_weekly_parse accepts (the French are in days[]), so what is
	 * read can be typed back. */
	static const char *const names[7] = {
	    /* TRANSLATORS: the days of the week, short, as --weekly reads
	       them: a translation must be one of the short forms the
	       program reads (French: lun mar mer jeu ven sam dim). */
	    NC_("weekday", "mon"), NC_("weekday", "tue"), NC_("weekday", "wed"),
	    NC_("weekday", "thu"), NC_("weekday", "fri"), NC_("weekday", "sat"),
	    NC_("weekday", "sun"),
	};

	weekly_format(C_(names[from / 1440]), from, C_(names[to / 1440]), to,
		      out, size);
}

/* Whether the minute of the week m is inside [from, to), which may run
 * over the end of the week. */
static bool
in_week_window(int m, int from, int to)
{
	return from < to ? m >= from && m < to : m >= from || m < to;
}

bool
core_freeze_on(const struct freeze *f, time_t now, time_t *until)
{
	time_t start, end;

	if (f->weekly) {
		int m = core_week_minute(now);

		if (!in_week_window(m, f->weekly_from, f->weekly_to))
			return false;
		if (until)
			*until = now - now % 60 +
				 (time_t)((f->weekly_to - m + WEEK_MINUTES) %
					  WEEK_MINUTES) *
				     60;
		return true;
	}
	if (!time_parse_iso(f->starts_at, &start) ||
	    !time_parse_iso(f->ends_at, &end))
		return false;
	if (until)
		*until = end;
	return now >= start && now < end;
}

bool
core_freeze_applies(const struct freeze *f, enum environment e)
{
	return !f->has_env || f->environment == e;
}

const struct freeze *
core_frozen(const struct core_project *p, enum environment e, time_t now,
	    time_t *until)
{
	for (size_t i = 0; i < p->freezes.count; i++)
		if (core_freeze_applies(&p->freezes.items[i], e) &&
		    core_freeze_on(&p->freezes.items[i], now, until))
			return &p->freezes.items[i];
	return NULL;
}

/* The time now, as a time_t, by the session's clock. */
static time_t
now_t(const struct core_session *s)
{
	char now[TIME_ISO_SIZE];
	time_t t = 0;

	core_now(s, now);
	time_parse_iso(now, &t);
	return t;
}

enum dd_code
core_refuse_frozen(const struct core_session *s, const struct core_project *p,
		   const struct task *t, struct dd_error *err)
{
	time_t until = 0;
	const struct freeze *f =
	    core_frozen(p, t->environment, now_t(s), &until);
	char iso[TIME_ISO_SIZE], when[64];

	time_iso_utc(until, iso);
	time_local_display(iso, when, sizeof when);
	return dd_fail(err, DD_ERR_REFUSED,
		       _("%s of project %s is frozen until %s (freeze %lld: "
			 "%s): deployment %s can be neither started nor "
			 "executed until then"),
		       env_code(t->environment), p->project.code, when,
		       (long long)(f ? f->id : 0), f ? f->reason : "?",
		       t->version);
}

bool
core_frozen_now(const struct core_session *s, const struct core_project *p,
		enum environment e)
{
	return core_frozen(p, e, now_t(s), NULL) != NULL;
}

void
core_freeze_notice(const struct core_session *s, const struct core_project *p,
		   struct strbuf *out)
{
	time_t now = now_t(s), until = 0;
	char iso[TIME_ISO_SIZE], when[64];

	size_t on = 0;

	strbuf_reset(out);
	for (size_t i = 0; i < p->freezes.count; i++) {
		const struct freeze *f = &p->freezes.items[i];
		const char *env = f->has_env ? env_code(f->environment)
					     : _("every environment");

		if (!core_freeze_on(f, now, &until))
			continue;
		if (on++)
			continue;
		time_iso_utc(until, iso);
		time_local_display(iso, when, sizeof when);
		/* TRANSLATORS: an environment (or "every environment"), a
		   time, the freeze's reason. */
		strbuf_addf(out, _("Frozen: %s until %s (%s)"), env, when,
			    f->reason);
	}
	if (on > 1)
		/* TRANSLATORS: after the first freeze on, how many others
		   are on too. */
		strbuf_addf(out,
			    ngettext_("; %zu other freeze on (freeze list)",
				      "; %zu other freezes on (freeze list)",
				      (unsigned long)(on - 1)),
			    on - 1);
	if (on)
		return;
	/* None on: the next one-off freeze to begin within a week. */
	for (size_t i = 0; i < p->freezes.count; i++) {
		const struct freeze *f = &p->freezes.items[i];
		time_t start;

		if (f->weekly || !time_parse_iso(f->starts_at, &start) ||
		    start <= now || start - now > 7 * 86400)
			continue;
		time_local_display(f->starts_at, when, sizeof when);
		/* TRANSLATORS: an environment (or "every environment"), a
		   time, the freeze's reason. */
		strbuf_addf(out, _("Freeze coming: %s from %s (%s)"),
			    f->has_env ? env_code(f->environment)
				       : _("every environment"),
			    when, f->reason);
		return;
	}
}

/* The freeze as the trail writes it. */
static void
freeze_json(struct strbuf *sb, const struct freeze *f)
{
	char weekly[32];

	strbuf_addstr(sb, "{\"project\":");
	json_add_string(sb, f->project_code);
	strbuf_addstr(sb, ",\"environment\":");
	json_add_string(sb, f->has_env ? env_code(f->environment) : NULL);
	if (f->weekly) {
		core_weekly_text(f->weekly_from, f->weekly_to, weekly,
				 sizeof weekly);
		strbuf_addstr(sb, ",\"from\":null,\"to\":null,\"weekly\":");
		json_add_string(sb, weekly);
	} else {
		strbuf_addf(sb,
			    ",\"from\":\"%s\",\"to\":\"%s\",\"weekly\":null",
			    f->starts_at, f->ends_at);
	}
	strbuf_addstr(sb, ",\"reason\":");
	json_add_string(sb, f->reason);
	strbuf_addch(sb, '}');
}

/* Whether the caller may add or remove a freeze of project p (NULL: of
 * every project). */
static enum dd_code
may_freeze(const struct core_session *s, const struct core_project *p,
	   struct dd_error *err)
{
	struct core_standing none = {.is_admin = s->me.is_admin};

	if (core_rule_freeze(p ? &p->me : &none, p != NULL))
		return DD_OK;
	if (p)
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may add or remove its freezes"),
			       p->project.code);
	return dd_fail(err, DD_ERR_PERM, "%s",
		       _("only an admin may add or remove a freeze of every "
			 "project"));
}

/* A local "YYYY-MM-DD HH:MM" as UTC ISO, for the field named. */
static enum dd_code
parse_when(const char *field, const char *text, char out[TIME_ISO_SIZE],
	   struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE], why[128];
	time_t t;

	if (!time_parse_local(text, &t, why, sizeof why))
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s: '%s' is not a date (%s)"), field,
			       text_cut(text, cut), why);
	time_iso_utc(t, out);
	return DD_OK;
}

enum dd_code
core_freeze_add(struct core_session *s, const struct core_freeze_input *in,
		int64_t *id_out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct core_project p = {0};
	struct freeze f = {0};
	struct strbuf after = STRBUF_INIT;
	char idtext[32], *kept = NULL;
	bool have_p = false;
	enum dd_code code = DD_OK;
	int env = -1;

	if (in->environment && (env = core_env_word(in->environment)) < 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("environment: '%s' is not DEV, TEST, PREPROD "
				 "or PROD"),
			       text_cut(in->environment, cut));
	if (in->weekly) {
		if (!core_weekly_parse(in->weekly, &f.weekly_from,
				       &f.weekly_to))
			return dd_fail(err, DD_ERR_INPUT,
				       _("weekly: '%s' is not a window such as "
					 "\"fri 16:00-mon 08:00\" (two "
					 "different times of the week)"),
				       text_cut(in->weekly, cut));
		f.weekly = true;
	} else {
		code = parse_when(_("from"), in->from, f.starts_at, err);
		if (!code)
			code = parse_when(_("to"), in->to, f.ends_at, err);
		if (!code && strcmp(f.ends_at, f.starts_at) <= 0)
			code = dd_fail(err, DD_ERR_INPUT, "%s",
				       _("to: the freeze must end after it "
					 "begins"));
		if (code)
			return code;
	}
	code = core_reason_kept(in->reason,
				_("reason: required to add a freeze; say why"),
				&kept, err);
	if (!code)
		code = core_begin(s, err);
	if (code) {
		free(kept);
		return code;
	}
	if (in->project) {
		code = core_project_open(s, in->project, &p, err);
		have_p = !code;
	}
	if (!code)
		code = may_freeze(s, have_p ? &p : NULL, err);
	if (!code) {
		if (have_p) {
			memcpy(f.project_id, p.project.id, sizeof f.project_id);
			f.project_code = p.project.code;
		}
		f.has_env = env >= 0;
		f.environment = env >= 0 ? (enum environment)env : ENV_DEV;
		f.reason = kept;
		f.created_by.id = s->me.id;
		core_now(s, f.created_at);
		code = model_freeze_insert(s->db, &f, id_out, err);
	}
	if (!code) {
		freeze_json(&after, &f);
		snprintf(idtext, sizeof idtext, "%lld", (long long)*id_out);
		code = core_audit_append(s, AUDIT_FREEZE_ADD, idtext,
					 have_p ? p.project.id : NULL, NULL,
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&after);
	free(kept);
	if (have_p)
		core_project_free(&p);
	return code;
}

enum dd_code
core_freeze_list(struct core_session *s, const char *project_ref,
		 struct freeze_list *out, struct dd_error *err)
{
	struct core_project p;
	enum dd_code code;

	if (!project_ref)
		return model_freezes(s->db, NULL, out, err);
	code = core_project_open(s, project_ref, &p, err);
	if (code)
		return code;
	code = model_freezes(s->db, p.project.id, out, err);
	core_project_free(&p);
	return code;
}

enum dd_code
core_freeze_remove(struct core_session *s, int64_t id, struct dd_error *err)
{
	struct freeze_list all = {0};
	struct core_project p;
	const struct freeze *f = NULL;
	struct strbuf before = STRBUF_INIT;
	char idtext[32];
	bool have_p = false;
	enum dd_code code = core_begin(s, err);

	if (code)
		return code;
	code = model_freezes(s->db, NULL, &all, err);
	for (size_t i = 0; !code && i < all.count; i++)
		if (all.items[i].id == id)
			f = &all.items[i];
	if (!code && !f)
		code =
		    dd_fail(err, DD_ERR_NOTFOUND,
			    _("no freeze %lld (see 'deploydesk freeze list')"),
			    (long long)id);
	if (!code && f->project_id[0]) {
		code = core_project_open(s, f->project_id, &p, err);
		have_p = !code;
	}
	if (!code)
		code = may_freeze(s, have_p ? &p : NULL, err);
	if (!code)
		code = model_freeze_delete(s->db, id, err);
	if (!code) {
		freeze_json(&before, f);
		snprintf(idtext, sizeof idtext, "%lld", (long long)id);
		code = core_audit_append(s, AUDIT_FREEZE_REMOVE, idtext,
					 have_p ? p.project.id : NULL,
					 strbuf_str(&before),
					 "{\"removed\":true}", err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	freeze_list_free(&all);
	if (have_p)
		core_project_free(&p);
	return code;
}
