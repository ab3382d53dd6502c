/* SPDX-License-Identifier: MIT */
/* A project's policy per environment: the keys, their values and defaults,
 * and setting one (admins). The rules that read them are in
 * core-rules.c. */
#include "core/core-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/textfmt.h"
#include "util/utf8.h"

/* The defaults keep the spec's workflow: one approval, which the creator
 * may give and whose giver may execute, never expiring. */
static const struct core_policy_key keys[POLICY_KEY_COUNT] = {
    [POLICY_APPROVALS] = {"approvals", false, 1, 5, 1,
			  N_("distinct approvers needed before execution")},
    [POLICY_CREATOR_APPROVES] = {"creator-approves", true, 0, 1, 1,
				 N_("may the creator be one of the "
				    "approvers")},
    [POLICY_APPROVER_EXECUTES] = {"approver-executes", true, 0, 1, 1,
				  N_("may an approver execute")},
    [POLICY_APPROVAL_HOURS] = {"approval-hours", false, 0, 8760, 0,
			       N_("hours after which an approval no longer "
				  "counts (0: never)")},
    [POLICY_PROMOTION] = {"promotion", true, 0, 1, 0,
			  N_("the version must have succeeded in the "
			     "environment before (DEV, TEST, PREPROD, PROD)")},
    [POLICY_ONE_AT_A_TIME] = {"one-at-a-time", true, 0, 1, 0,
			      N_("at most one deployment in progress in the "
				 "environment")},
    [POLICY_PLAN_REQUIRED] = {"plan-required", true, 0, 1, 0,
			      N_("a risk level and a back-out plan are "
				 "required")},
    [POLICY_HIGH_RISK_APPROVALS] = {"high-risk-approvals", false, 0, 3, 0,
				    N_("approvals added for a high-risk "
				       "deployment")},
};

const struct core_policy_key *
core_policy_key_info(enum policy_key k)
{
	return (int)k >= 0 && k < POLICY_KEY_COUNT ? &keys[k] : NULL;
}

int64_t
core_policy_value(const struct core_project *p, enum environment e,
		  enum policy_key k)
{
	const struct core_policy_key *info = core_policy_key_info(k);
	int64_t v;

	if (!info || (int)e < 0 || e >= ENV_COUNT)
		return 0;
	if (!p->policy.set[e][k])
		return info->fallback;
	v = p->policy.value[e][k];
	/* A stored value out of range (an edited file) counts as the
	 * nearest one the key takes; audit verify names it. */
	return v < info->min ? info->min : v > info->max ? info->max : v;
}

const char *
core_policy_value_text(enum policy_key k, int64_t v, char *buf, size_t size)
{
	const struct core_policy_key *info = core_policy_key_info(k);

	if (info && info->yes_no)
		snprintf(buf, size, "%s", v ? _("yes") : _("no"));
	else
		snprintf(buf, size, "%lld", (long long)v);
	return buf;
}

/* A yes/no value as typed: yes/no, oui/non, in any case. */
static int
yes_no(const char *typed)
{
	static const char *const yes[] = {"yes", "oui", "y", "o", "true", "1"};
	static const char *const no[] = {"no", "non", "n", "false", "0"};

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (utf8_equal_nocase(typed, yes[i]) ||
		    utf8_equal_nocase(typed, _("yes")))
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (utf8_equal_nocase(typed, no[i]) ||
		    utf8_equal_nocase(typed, _("no")))
			return 0;
	return -1;
}

/* The value typed for key, checked against its range. */
static enum dd_code
parse_value(enum policy_key k, const char *typed, int64_t *out,
	    struct dd_error *err)
{
	const struct core_policy_key *info = &keys[k];
	char cut[TEXT_CUT_SIZE];
	char *end;
	long long v;

	if (info->yes_no) {
		int b = yes_no(typed);

		if (b < 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("%s: '%s' is not yes or no"),
				       info->code, text_cut(typed, cut));
		*out = b;
		return DD_OK;
	}
	errno = 0;
	v = strtoll(typed, &end, 10);
	if (errno || end == typed || *end || v < info->min || v > info->max)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s: '%s' is not a whole number from %lld to "
				 "%lld"),
			       info->code, text_cut(typed, cut),
			       (long long)info->min, (long long)info->max);
	*out = v;
	return DD_OK;
}

/* A key's value in the trail: true/false for a yes/no key. */
static void
value_json(struct strbuf *sb, enum policy_key k, int64_t v)
{
	if (keys[k].yes_no)
		strbuf_addstr(sb, v ? "true" : "false");
	else
		strbuf_addf(sb, "%lld", (long long)v);
}

enum dd_code
core_policy_set(struct core_session *s, const char *project_ref,
		const char *env_text, const char *key_text,
		const char *value_text, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	int env = core_env_word(env_text);
	int key = policy_key_parse(key_text);
	int64_t value = 0, old;
	enum dd_code code;

	if (env < 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("environment: '%s' is not DEV, TEST, PREPROD "
				 "or PROD"),
			       text_cut(env_text, cut));
	if (key < 0) {
		struct strbuf list = STRBUF_INIT;

		for (int k = 0; k < POLICY_KEY_COUNT; k++)
			strbuf_addf(&list, "%s%s", k ? ", " : "", keys[k].code);
		code = dd_fail(err, DD_ERR_INPUT,
			       _("'%s' is not a policy key (%s)"),
			       text_cut(key_text, cut), strbuf_str(&list));
		strbuf_release(&list);
		return code;
	}
	code = parse_value((enum policy_key)key, value_text, &value, err);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_project_open(s, project_ref, &p, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	code = core_may_set_policy(&p, err);
	old =
	    core_policy_value(&p, (enum environment)env, (enum policy_key)key);
	if (!code && p.policy.set[env][key] &&
	    p.policy.value[env][key] == value) {
		char shown[32];

		code = dd_fail(
		    err, DD_ERR_REFUSED,
		    _("%s of project %s on %s is already %s"), keys[key].code,
		    p.project.code, env_code((enum environment)env),
		    core_policy_value_text((enum policy_key)key, value, shown,
					   sizeof shown));
	}
	if (!code)
		code = model_policy_write(s->db, p.project.id,
					  (enum environment)env,
					  (enum policy_key)key, value, err);
	if (!code) {
		strbuf_addf(&before,
			    "{\"environment\":\"%s\",\"key\":\"%s\",\"value\":",
			    env_code((enum environment)env), keys[key].code);
		value_json(&before, (enum policy_key)key, old);
		strbuf_addch(&before, '}');
		strbuf_addf(&after,
			    "{\"environment\":\"%s\",\"key\":\"%s\",\"value\":",
			    env_code((enum environment)env), keys[key].code);
		value_json(&after, (enum policy_key)key, value);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_POLICY_SET, p.project.id,
					 p.project.id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	strbuf_release(&after);
	core_project_free(&p);
	return code;
}

/* ------------------------------------------------------- blocked versions */

bool
core_version_blocked(const struct core_project *p, const char *version)
{
	for (size_t i = 0; version && i < p->nblocked; i++)
		if (strcmp(p->blocked[i], version) == 0)
			return true;
	return false;
}

enum dd_code
core_refuse_blocked(const struct core_session *s, const struct core_project *p,
		    const char *version, struct dd_error *err)
{
	char *reason = NULL, *by = NULL;
	enum dd_code code;

	model_version_block_get(s->db, p->project.id, version, &reason, &by,
				NULL);
	code = dd_fail(err, DD_ERR_REFUSED,
		       _("version %s of project %s is blocked (by %s: %s): it "
			 "is neither planned, approved nor started until it is "
			 "unblocked"),
		       version, p->project.code, by ? by : "?",
		       reason ? reason : "?");
	free(reason);
	free(by);
	return code;
}

enum dd_code
core_may_set_policy(const struct core_project *p, struct dd_error *err)
{
	if (core_rule_policy(&p->me))
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM, "%s",
		       _("only an admin may change a policy"));
}

enum dd_code
core_may_block_versions(const struct core_project *p, struct dd_error *err)
{
	if (core_rule_manages(&p->me))
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM,
		       _("only an admin or the project manager of project %s "
			 "may block or unblock its versions"),
		       p->project.code);
}

bool
core_may_block(struct core_session *s, const char *project_id,
	       const char *version)
{
	struct core_project p;
	bool may;

	if (core_project_open(s, project_id, &p, NULL) != DD_OK)
		return false;
	may = core_rule_manages(&p.me) && !core_version_blocked(&p, version);
	core_project_free(&p);
	return may;
}

/* The project, opened inside the write, and whether the caller may block
 * or unblock its versions. */
static enum dd_code
block_begin(struct core_session *s, const char *project_ref,
	    const char *version, struct core_project *p, struct dd_error *err)
{
	enum dd_code code =
	    core_check_line(_("version"), version, CORE_VERSION_MAX, true, err);

	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_project_open(s, project_ref, p, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	code = core_may_block_versions(p, err);
	if (code) {
		core_rollback(s);
		core_project_free(p);
	}
	return code;
}

enum dd_code
core_version_block(struct core_session *s, const char *project_ref,
		   const char *version, const char *reason,
		   struct dd_error *err)
{
	struct core_project p;
	struct strbuf after = STRBUF_INIT;
	char now[TIME_ISO_SIZE], *kept = NULL;
	enum dd_code code;

	code = core_reason_kept(reason,
				_("reason: required to block a version; say "
				  "why"),
				&kept, err);
	if (!code)
		code = block_begin(s, project_ref, version, &p, err);
	if (code) {
		free(kept);
		return code;
	}
	if (core_version_blocked(&p, version))
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("version %s of project %s is already blocked"),
			       version, p.project.code);
	core_now(s, now);
	if (!code)
		code = model_version_block(s->db, p.project.id, version, kept,
					   s->me.id, now, err);
	if (!code) {
		strbuf_addstr(&after, "{\"version\":");
		json_add_string(&after, version);
		strbuf_addstr(&after, ",\"reason\":");
		json_add_string(&after, kept);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_VERSION_BLOCK, version,
					 p.project.id, NULL, strbuf_str(&after),
					 err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&after);
	free(kept);
	core_project_free(&p);
	return code;
}

enum dd_code
core_version_unblock(struct core_session *s, const char *project_ref,
		     const char *version, struct dd_error *err)
{
	struct core_project p;
	struct strbuf before = STRBUF_INIT;
	enum dd_code code = block_begin(s, project_ref, version, &p, err);

	if (code)
		return code;
	code = model_version_unblock(s->db, p.project.id, version, err);
	if (code == DD_ERR_NOTFOUND)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("version %s of project %s is not blocked"),
			       version, p.project.code);
	if (!code) {
		strbuf_addstr(&before, "{\"version\":");
		json_add_string(&before, version);
		strbuf_addch(&before, '}');
		code = core_audit_append(s, AUDIT_VERSION_UNBLOCK, version,
					 p.project.id, strbuf_str(&before),
					 "{\"blocked\":false}", err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	core_project_free(&p);
	return code;
}
