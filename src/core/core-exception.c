/* SPDX-License-Identifier: MIT */
/* Exceptions: the overrides of a project's policy, listed, and reviewed by
 * someone other than the admin who overrode. */
#include "core/core-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

enum dd_code
core_exception_list(struct core_session *s, const char *project_ref,
		    bool open_only, struct exception_list *out,
		    struct dd_error *err)
{
	struct core_project p;
	enum dd_code code;

	if (!project_ref)
		return model_exceptions(s->db, NULL, open_only, out, err);
	code = core_project_open(s, project_ref, &p, err);
	if (code)
		return code;
	code = model_exceptions(s->db, p.project.id, open_only, out, err);
	core_project_free(&p);
	return code;
}

/* When e is due: CORE_EXCEPTION_HOURS after it was opened. False when
 * its date cannot be read. */
static bool
exception_due(const struct exception *e, time_t *due)
{
	time_t opened;

	if (!time_parse_iso(e->opened_at, &opened))
		return false;
	*due = opened + (time_t)CORE_EXCEPTION_HOURS * 3600;
	return true;
}

bool
core_exception_overdue(const struct exception *e, time_t now)
{
	time_t due;

	return !e->reviewed_by.id && exception_due(e, &due) && now > due;
}

bool
core_exception_overdue_since(const struct core_session *s,
			     const struct exception *e,
			     char since[TIME_ISO_SIZE])
{
	char now_iso[TIME_ISO_SIZE];
	time_t now, due;

	since[0] = '\0';
	core_now(s, now_iso);
	if (!time_parse_iso(now_iso, &now) || !core_exception_overdue(e, now) ||
	    !exception_due(e, &due))
		return false;
	time_iso_utc(due, since);
	return true;
}

enum dd_code
core_exception_to_review(struct core_session *s, const struct core_project *p,
			 const struct task *t, struct exception *out,
			 struct dd_error *err)
{
	struct exception_list el;
	enum dd_code code;
	bool own = false;

	if (!t || !t->exceptions)
		return dd_fail(err, DD_ERR_REFUSED, "%s",
			       _("No exception on this deployment: none of "
				 "its actions overrode the policy"));
	code = model_exceptions(s->db, p->project.id, true, &el, err);
	if (code)
		return code;
	code = DD_ERR_REFUSED;
	for (size_t i = 0; i < el.count && code; i++) {
		struct exception *e = &el.items[i];

		if (strcmp(e->task_id, t->id) != 0)
			continue;
		if (e->opened_by.id == s->me.id) {
			own = true;
			continue;
		}
		if (!core_rule_review(&p->me, false))
			break;
		*out = *e;
		memset(e, 0, sizeof *e); /* moved to out */
		code = DD_OK;
	}
	exception_list_free(&el);
	if (code == DD_OK)
		return DD_OK;
	if (own)
		return dd_fail(err, DD_ERR_PERM, "%s",
			       _("The open exception is your own override: "
				 "someone else reviews it"));
	if (!core_rule_review(&p->me, false))
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may review an exception"),
			       p->project.code);
	return dd_fail(err, DD_ERR_REFUSED, "%s",
		       _("Every exception of this deployment is reviewed"));
}

enum dd_code
core_exception_review(struct core_session *s, int64_t id, const char *note,
		      struct dd_error *err)
{
	struct exception_list all = {0};
	const struct exception *e = NULL;
	struct core_project p;
	struct task t;
	struct strbuf after = STRBUF_INIT;
	char now[TIME_ISO_SIZE], idtext[32], *kept = NULL;
	bool have_p = false, have_t = false;
	enum dd_code code;

	code = core_reason_kept(note,
				_("review note: required to review an "
				  "exception; say what was found"),
				&kept, err);
	if (!code)
		code = core_begin(s, err);
	if (code) {
		free(kept);
		return code;
	}
	code = model_exceptions(s->db, NULL, false, &all, err);
	for (size_t i = 0; !code && i < all.count; i++)
		if (all.items[i].id == id)
			e = &all.items[i];
	if (!code && !e)
		code = dd_fail(err, DD_ERR_NOTFOUND,
			       _("no exception %lld (see 'deploydesk exception "
				 "list')"),
			       (long long)id);
	if (!code && e->reviewed_by.id)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("exception %lld was already reviewed by %s"),
			       (long long)id, e->reviewed_by.login);
	if (!code) {
		code = core_deploy_find(s, e->task_id, &t, err);
		have_t = !code;
	}
	if (!code) {
		code = core_project_open(s, t.project_id, &p, err);
		have_p = !code;
	}
	if (!code && e->opened_by.id == s->me.id)
		code = dd_fail(err, DD_ERR_PERM,
			       _("exception %lld is your own override: someone "
				 "else who may authorize in project %s reviews "
				 "it"),
			       (long long)id, p.project.code);
	else if (!code && !core_rule_review(&p.me, false))
		code = dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of "
				 "project %s may review exception %lld"),
			       p.project.code, (long long)id);
	core_now(s, now);
	if (!code)
		code =
		    model_exception_review(s->db, id, s->me.id, now, kept, err);
	if (!code) {
		strbuf_addstr(&after, "{\"reviewed_by\":");
		json_add_string(&after, s->me.login);
		strbuf_addf(&after, ",\"reviewed_at\":\"%s\",\"note\":", now);
		json_add_string(&after, kept);
		strbuf_addch(&after, '}');
		snprintf(idtext, sizeof idtext, "%lld", (long long)id);
		code = core_audit_append(s, AUDIT_EXCEPTION_REVIEW, idtext,
					 p.project.id, "{\"reviewed_by\":null}",
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&after);
	free(kept);
	exception_list_free(&all);
	if (have_t)
		task_free(&t);
	if (have_p)
		core_project_free(&p);
	return code;
}
