/* SPDX-License-Identifier: MIT */
/* A deployment's approvals as the rules read them: which stand now, how
 * many its environment's policy asks for, and the sentence that says so. */
#include "core/core-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

bool
core_approval_stands(const char *expires, const char *now)
{
	return !expires[0] || strcmp(expires, now) > 0;
}

int
core_approvals_needed(const struct core_project *p, enum environment e,
		      enum risk r)
{
	int64_t n = core_policy_value(p, e, POLICY_APPROVALS);

	if (r == RISK_HIGH)
		n += core_policy_value(p, e, POLICY_HIGH_RISK_APPROVALS);
	return (int)n;
}

int
core_approvals_required(const struct core_project *p, const struct task *t)
{
	return core_approvals_needed(p, t->environment, t->risk);
}

bool
core_authorized_now(const struct core_project *p, enum environment e,
		    enum risk r, enum task_status s, bool authorized,
		    int approvals)
{
	if (s != STATUS_PLANNED)
		return authorized;
	return approvals >= core_approvals_needed(p, e, r);
}

const char *
core_approvals_count(const struct core_project *p, enum environment e,
		     enum risk r, enum task_status s, int approvals, char *buf,
		     size_t size)
{
	int64_t required = core_approvals_needed(p, e, r);

	if (s != STATUS_PLANNED || required <= 1 || approvals >= required)
		return NULL;
	snprintf(buf, size, "%d/%lld", approvals, (long long)required);
	return buf;
}

static void
list_copy(const struct approval_list *from, struct approval_list *to)
{
	to->count = from->count;
	to->items = xcalloc(from->count + 1, sizeof *to->items);
	for (size_t i = 0; i < from->count; i++) {
		to->items[i] = from->items[i];
		to->items[i].by.login = xstrdup(
		    from->items[i].by.login ? from->items[i].by.login : "");
		to->items[i].by.full_name = xstrdup(
		    from->items[i].by.full_name ? from->items[i].by.full_name
						: "");
	}
}

void
core_approval_cache_free(struct core_session *s)
{
	for (int i = 0; i < CORE_APPROVAL_CACHE; i++)
		approval_list_free(&s->approvals[i].list);
	memset(s->approvals, 0, sizeof s->approvals);
}

/* t's approvals at its row_version: from the cache, or read and kept. */
static enum dd_code
approvals_read(struct core_session *s, const struct task *t,
	       struct approval_list *out, struct dd_error *err)
{
	struct core_approval_cache *c;
	enum dd_code code;

	for (int i = 0; i < CORE_APPROVAL_CACHE; i++) {
		c = &s->approvals[i];
		if (c->row_version == t->row_version && c->row_version &&
		    strcmp(c->id, t->id) == 0) {
			list_copy(&c->list, out);
			return DD_OK;
		}
	}
	code = model_approvals(s->db, t->id, out, err);
	if (code)
		return code;
	c = &s->approvals[s->approvals_next++ % CORE_APPROVAL_CACHE];
	approval_list_free(&c->list);
	memcpy(c->id, t->id, sizeof c->id);
	c->row_version = t->row_version;
	list_copy(out, &c->list);
	return DD_OK;
}

enum dd_code
core_deploy_approvals(struct core_session *s, const struct core_project *p,
		      const struct task *t, struct core_approvals *out,
		      struct dd_error *err)
{
	char now[TIME_ISO_SIZE];
	enum dd_code code;

	memset(out, 0, sizeof *out);
	out->required = core_approvals_required(p, t);
	code = approvals_read(s, t, &out->list, err);
	if (code)
		return code;
	core_now(s, now);
	out->valid = xcalloc(out->list.count + 1, sizeof *out->valid);
	for (size_t i = 0; i < out->list.count; i++) {
		out->valid[i] =
		    core_approval_stands(out->list.items[i].expires_at, now);
		out->standing += out->valid[i];
	}
	return DD_OK;
}

void
core_approvals_free(struct core_approvals *a)
{
	approval_list_free(&a->list);
	free(a->valid);
	memset(a, 0, sizeof *a);
}

void
core_approval_facts_of(const struct core_session *s,
		       const struct core_project *p, const struct task *t,
		       const struct core_approvals *a,
		       struct core_approval_facts *out)
{
	memset(out, 0, sizeof *out);
	out->standing = a->standing;
	out->required = a->required;
	for (size_t i = 0; i < a->list.count; i++)
		if (a->list.items[i].by.id == s->me.id) {
			out->mine = true;
			out->mine_standing = a->valid[i];
		}
	out->creator = t->created_by.id == s->me.id;
	out->creator_approves =
	    core_policy_value(p, t->environment, POLICY_CREATOR_APPROVES) != 0;
	out->approver_executes =
	    core_policy_value(p, t->environment, POLICY_APPROVER_EXECUTES) != 0;
}

void
core_approvals_names(const struct core_approvals *a, struct strbuf *out)
{
	size_t named = 0;

	strbuf_reset(out);
	for (size_t i = 0; i < a->list.count; i++) {
		if (!a->valid[i])
			continue;
		if (named++)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, a->list.items[i].by.full_name
				       ? a->list.items[i].by.full_name
				       : "?");
	}
}

void
core_approvals_text(const struct core_project *p, const struct task *t,
		    const struct core_approvals *a, struct strbuf *out)
{
	int expired = 0;
	struct strbuf names = STRBUF_INIT;

	core_approvals_names(a, &names);
	strbuf_reset(out);
	if (t->risk == RISK_HIGH &&
	    core_policy_value(p, t->environment, POLICY_HIGH_RISK_APPROVALS))
		/* TRANSLATORS: "PROD needs 3 approvals for a high-risk
		   deployment; " then who gave them. */
		strbuf_addf(out,
			    ngettext_("%s needs %d approval for a high-risk "
				      "deployment; ",
				      "%s needs %d approvals for a high-risk "
				      "deployment; ",
				      (unsigned long)a->required),
			    env_code(t->environment), a->required);
	else
		strbuf_addf(out,
			    ngettext_("%s needs %d approval; ",
				      "%s needs %d approvals; ",
				      (unsigned long)a->required),
			    env_code(t->environment), a->required);
	if (a->standing)
		/* TRANSLATORS: how many approvals count, then who gave
		   them: "1 given: Marie Martin". */
		strbuf_addf(out, _("%d given: %s"), a->standing,
			    strbuf_str(&names));
	else
		strbuf_addf(out, _("%d given"), a->standing);
	strbuf_release(&names);
	for (size_t i = 0; i < a->list.count; i++) {
		if (a->valid[i])
			continue;
		if (expired++)
			strbuf_addstr(out, ", ");
		else
			/* TRANSLATORS: after the approvals that count, the
			   people of those that expired: "; expired: Jean
			   Dupont, Marie Martin". */
			strbuf_addstr(out, _("; expired: "));
		strbuf_addstr(out, a->list.items[i].by.full_name
				       ? a->list.items[i].by.full_name
				       : "?");
	}
}

enum dd_code
core_deploy_may_withdraw(struct core_session *s, const struct core_project *p,
			 const struct task *t, struct dd_error *err)
{
	struct core_approvals a;
	struct core_approval_facts f;
	enum dd_code code;

	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	if (t->status != STATUS_PLANNED)
		return core_deploy_may_revoke(s, p, t, true, err);
	code = core_deploy_approvals(s, p, t, &a, err);
	if (code)
		return code;
	core_approval_facts_of(s, p, t, &a, &f);
	if (a.list.count == 0)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s has no approval to withdraw"),
			       t->version);
	else
		code = core_deploy_may_revoke(s, p, t, f.mine, err);
	core_approvals_free(&a);
	return code;
}
