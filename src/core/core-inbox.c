/* SPDX-License-Identifier: MIT */
/* "À traiter": what waits for the caller's action, in every project,
 * decided by the same rules as the actions themselves. */
#include "core/core-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* An approval that expires within this is said to be about to. */
#define EXPIRING_SECONDS (24 * 3600)

/* A new item of in, returned (for what only some kinds have). */
static struct core_inbox_item *
add(struct core_inbox *in, size_t *cap, enum core_inbox_kind kind,
    const struct core_project *p, const struct task *t, const char *when,
    int64_t exception)
{
	struct core_inbox_item *it;

	if (in->count == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		in->items = xrealloc(in->items, *cap * sizeof *in->items);
	}
	it = &in->items[in->count++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->project_code = xstrdup(p->project.code);
	/* What the inbox shows and opens of the task: a light copy. */
	memcpy(it->task.id, t->id, sizeof it->task.id);
	memcpy(it->task.project_id, t->project_id, sizeof it->task.project_id);
	it->task.type = t->type;
	it->task.version = t->version ? xstrdup(t->version) : NULL;
	it->task.source_version =
	    t->source_version ? xstrdup(t->source_version) : NULL;
	it->task.environment = t->environment;
	it->task.status = t->status;
	it->task.priority = t->priority;
	snprintf(it->when, sizeof it->when, "%s", when ? when : "");
	it->exception = exception;
	return it;
}

static time_t
iso_time(const char *iso)
{
	time_t t = 0;

	return iso[0] && time_parse_iso(iso, &t) ? t : 0;
}

/* A planned deployment: to approve, to start, an approval of mine about
 * to expire, or my plan inside a freeze. */
static enum dd_code
planned(struct core_session *s, const struct core_project *p,
	const struct task *t, time_t now, struct core_inbox *in, size_t *cap,
	struct dd_error *err)
{
	bool manager = p->me.is_member && p->me.role == ROLE_MANAGER;
	time_t when = iso_time(t->planned_at);
	struct core_approvals a;
	enum dd_code code;

	/* The project's managers approve: an admin who is not one may,
	 * but is not asked to. */
	if (manager && core_may(s, p, t, VERB_AUTHORIZE, NULL) == DD_OK)
		add(in, cap, INBOX_APPROVE, p, t, t->planned_at, 0);
	if (when <= now && core_may(s, p, t, VERB_START, NULL) == DD_OK)
		add(in, cap, INBOX_START, p, t, t->planned_at, 0);
	if ((t->created_by.id == s->me.id || t->responsible.id == s->me.id) &&
	    when >= now && core_frozen(p, t->environment, when, NULL))
		add(in, cap, INBOX_FROZEN, p, t, t->planned_at, 0);
	if (!t->approvals)
		return DD_OK;
	code = core_deploy_approvals(s, p, t, &a, err);
	if (code)
		return code;
	for (size_t i = 0; i < a.list.count; i++) {
		const struct approval *ap = &a.list.items[i];
		time_t ends = iso_time(ap->expires_at);

		if (ap->by.id == s->me.id && a.valid[i] && ends &&
		    ends - now <= EXPIRING_SECONDS)
			add(in, cap, INBOX_EXPIRING, p, t, ap->expires_at, 0);
	}
	core_approvals_free(&a);
	return DD_OK;
}

/* The open tasks of p, one read: each looked at. At most OPEN_MAX of a
 * project (a project with more open plans has other troubles). */
#define OPEN_MAX 10000
static enum dd_code
open_tasks(struct core_session *s, const struct core_project *p, time_t now,
	   struct core_inbox *in, size_t *cap, struct dd_error *err)
{
	struct task_list l;
	enum dd_code code = model_open_tasks(
	    s->db, p->stages[STAGE_DEPLOYMENT].id, OPEN_MAX, &l, err);

	for (size_t i = 0; !code && i < l.count; i++) {
		const struct task *t = &l.items[i];

		if (t->type == TASK_INCIDENT) {
			if (t->responsible.id == s->me.id)
				add(in, cap, INBOX_INCIDENT, p, t,
				    t->created_at, 0);
		} else if (t->status == STATUS_PLANNED) {
			code = planned(s, p, t, now, in, cap, err);
		} else if (t->started_by.id == s->me.id &&
			   core_may(s, p, t, VERB_EXECUTE, NULL) == DD_OK) {
			add(in, cap, INBOX_FINISH, p, t, t->started_at, 0);
		}
	}
	if (!code)
		task_list_free(&l);
	return code;
}

/* The open exceptions of p that the caller may review, with since when
 * each is overdue (the rule of exception list). */
static enum dd_code
reviews(struct core_session *s, const struct core_project *p,
	struct core_inbox *in, size_t *cap, struct dd_error *err)
{
	struct exception_list el = {0};
	enum dd_code code;

	if (!core_rule_manages(&p->me))
		return DD_OK;
	code = model_exceptions(s->db, p->project.id, true, &el, err);
	for (size_t i = 0; !code && i < el.count; i++) {
		const struct exception *e = &el.items[i];
		struct task t;

		if (!core_rule_review(&p->me, e->opened_by.id == s->me.id))
			continue;
		code = core_deploy_find(s, e->task_id, &t, err);
		if (!code) {
			struct core_inbox_item *it = add(
			    in, cap, INBOX_REVIEW, p, &t, e->opened_at, e->id);

			core_exception_overdue_since(s, e, it->overdue_since);
			task_free(&t);
		}
	}
	exception_list_free(&el);
	return code;
}

static int
by_kind_then_date(const void *a, const void *b)
{
	const struct core_inbox_item *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = strcmp(x->when, y->when);
	return c ? c : strcmp(x->task.id, y->task.id);
}

enum dd_code
core_inbox(struct core_session *s, struct core_inbox *out, struct dd_error *err)
{
	struct project *projects = NULL;
	size_t nprojects = 0, cap = 0;
	char now_iso[TIME_ISO_SIZE];
	time_t now;
	enum dd_code code;
	bool began;

	memset(out, 0, sizeof *out);
	core_now(s, now_iso);
	now = iso_time(now_iso);
	code = model_read_begin(s->db, &began, err);
	if (!code)
		code = core_project_list(s, &projects, &nprojects, err);
	for (size_t i = 0; !code && i < nprojects; i++) {
		struct core_project p;

		code = core_project_take(s, &projects[i], &p, err);
		if (code)
			break;
		if (p.me.is_admin || p.me.is_member) {
			code = open_tasks(s, &p, now, out, &cap, err);
			if (!code)
				code = reviews(s, &p, out, &cap, err);
		}
		core_project_free(&p);
	}
	model_read_end(s->db, began);
	for (size_t i = 0; i < nprojects; i++)
		project_free(&projects[i]);
	free(projects);
	if (code) {
		core_inbox_free(out);
		return code;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items,
		      by_kind_then_date);
	return DD_OK;
}

void
core_inbox_free(struct core_inbox *in)
{
	for (size_t i = 0; i < in->count; i++) {
		free(in->items[i].project_code);
		task_free(&in->items[i].task);
	}
	free(in->items);
	memset(in, 0, sizeof *in);
}

const char *
core_inbox_code(enum core_inbox_kind k)
{
	static const char *const codes[INBOX_KIND_COUNT] = {
	    [INBOX_APPROVE] = "approve", [INBOX_START] = "start",
	    [INBOX_FINISH] = "finish",	 [INBOX_INCIDENT] = "incident",
	    [INBOX_REVIEW] = "review",	 [INBOX_EXPIRING] = "expiring",
	    [INBOX_FROZEN] = "frozen",
	};

	return (int)k >= 0 && k < INBOX_KIND_COUNT ? codes[k] : "?";
}

const char *
core_inbox_label(enum core_inbox_kind k)
{
	switch (k) {
	case INBOX_APPROVE:
		return _("To approve");
	case INBOX_START:
		return _("To start");
	case INBOX_FINISH:
		return _("Outcome to record");
	case INBOX_INCIDENT:
		return _("Open incident");
	case INBOX_REVIEW:
		return _("Exception to review");
	case INBOX_EXPIRING:
		return _("Approval expiring");
	case INBOX_FROZEN:
		return _("Planned in a freeze");
	case INBOX_KIND_COUNT:
		break;
	}
	return "?";
}

const char *
core_inbox_item_label(const struct core_inbox_item *it)
{
	if (it->kind == INBOX_REVIEW && it->overdue_since[0])
		return _("Exception overdue");
	return core_inbox_label(it->kind);
}

void
core_inbox_text(const struct core_inbox_item *it, struct strbuf *out)
{
	const struct task *t = &it->task;
	char when[64];

	strbuf_reset(out);
	time_local_display(it->when, when, sizeof when);
	switch (it->kind) {
	case INBOX_APPROVE:
		/* TRANSLATORS: project, version, environment, date. */
		strbuf_addf(out,
			    _("%s %s on %s: waiting for your approval "
			      "(planned %s)"),
			    it->project_code, t->version,
			    env_code(t->environment), when);
		break;
	case INBOX_START:
		strbuf_addf(out,
			    _("%s %s on %s: approved, to start (planned "
			      "%s)"),
			    it->project_code, t->version,
			    env_code(t->environment), when);
		break;
	case INBOX_FINISH:
		strbuf_addf(out,
			    _("%s %s on %s: in progress since %s, its "
			      "outcome to record"),
			    it->project_code, t->version,
			    env_code(t->environment), when);
		break;
	case INBOX_INCIDENT:
		/* TRANSLATORS: project, the failed version, status,
		   priority. */
		strbuf_addf(out,
			    _("%s incident of %s: %s, priority %s, "
			      "yours"),
			    it->project_code,
			    t->source_version ? t->source_version : "?",
			    core_stage_status_label(t->status),
			    core_priority_label(t->priority));
		break;
	case INBOX_REVIEW:
		if (it->overdue_since[0]) {
			char since[64];

			time_local_display(it->overdue_since, since,
					   sizeof since);
			/* TRANSLATORS: project, version, environment,
			   exception id, the date it became overdue (72
			   hours after it was opened). */
			strbuf_addf(out,
				    _("%s %s on %s: exception %lld to review, "
				      "overdue since %s"),
				    it->project_code, t->version,
				    env_code(t->environment),
				    (long long)it->exception, since);
			break;
		}
		strbuf_addf(out,
			    _("%s %s on %s: exception %lld to review "
			      "(opened %s)"),
			    it->project_code, t->version,
			    env_code(t->environment), (long long)it->exception,
			    when);
		break;
	case INBOX_EXPIRING:
		strbuf_addf(out, _("%s %s on %s: your approval expires %s"),
			    it->project_code, t->version,
			    env_code(t->environment), when);
		break;
	case INBOX_FROZEN:
		strbuf_addf(out, _("%s %s on %s: planned %s, inside a freeze"),
			    it->project_code, t->version,
			    env_code(t->environment), when);
		break;
	case INBOX_KIND_COUNT:
		break;
	}
}
