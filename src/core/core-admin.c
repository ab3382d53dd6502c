/* SPDX-License-Identifier: MIT */
/* People, projects, members and stages: who may add them, and their audit
 * records. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

/* Admin-only actions say so in one sentence. */
static enum dd_code
require_admin(struct core_session *s, const char *what, struct dd_error *err)
{
	if (s->me.is_admin)
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM, _("only an admin may %s"), what);
}

enum dd_code
core_user_add(struct core_session *s, const char *login, const char *full_name,
	      bool admin, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct user u = {0}, existing = {0};
	struct strbuf after = STRBUF_INIT;
	char now[TIME_ISO_SIZE];
	enum dd_code code;

	code = require_admin(s, _("add a user"), err);
	if (!code)
		code = core_check_login(login, err);
	if (!code)
		code = core_check_line(_("name"), full_name, CORE_NAME_MAX,
				       true, err);
	if (code)
		return code;
	code = core_begin(s, err);
	if (code)
		return code;
	code = model_user_by_login(s->db, login, &existing, err);
	if (code == DD_OK) {
		user_free(&existing);
		code =
		    dd_fail(err, DD_ERR_REFUSED, _("user '%s' already exists"),
			    text_cut(login, cut));
	} else if (code == DD_ERR_NOTFOUND) {
		u.login = (char *)login;
		u.full_name = (char *)full_name;
		u.is_admin = admin;
		core_now(s, now);
		code = model_user_insert(s->db, &u, now, err);
	}
	if (!code) {
		strbuf_addstr(&after, "{\"login\":");
		json_add_string(&after, login);
		strbuf_addstr(&after, ",\"full_name\":");
		json_add_string(&after, full_name);
		strbuf_addf(&after, ",\"admin\":%s}", admin ? "true" : "false");
		code = core_audit_append(s, AUDIT_USER_ADD, login, NULL, NULL,
					 strbuf_str(&after), err);
	}
	strbuf_release(&after);
	return core_finish(s, code, err);
}

enum dd_code
core_user_list(struct core_session *s, struct user **out, size_t *count,
	       struct dd_error *err)
{
	struct user_list l;
	enum dd_code code = model_user_list(s->db, &l, err);

	*out = code ? NULL : l.items;
	*count = code ? 0 : l.count;
	return code;
}

enum dd_code
core_project_add(struct core_session *s, const char *code_text,
		 const char *name, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct project p = {0}, existing = {0};
	struct strbuf after = STRBUF_INIT;
	char now[TIME_ISO_SIZE];
	enum dd_code code;

	code = require_admin(s, _("add a project"), err);
	if (!code)
		code = core_check_code(code_text, err);
	if (!code)
		code = core_check_line(_("project name"), name, CORE_NAME_MAX,
				       true, err);
	if (code)
		return code;
	if (!uuid_new(p.id))
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the system gave no random bytes for an id"));
	code = core_begin(s, err);
	if (code)
		return code;
	code = model_project_by_code(s->db, code_text, &existing, err);
	if (code == DD_OK) {
		project_free(&existing);
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("project '%s' already exists"),
			       text_cut(code_text, cut));
	} else if (code == DD_ERR_NOTFOUND) {
		p.code = (char *)code_text;
		p.name = (char *)name;
		core_now(s, now);
		code = model_project_insert(s->db, &p, now, err);
	}
	/* Every project has the four stages, to do. */
	for (int i = 0; i < STAGE_COUNT && !code; i++) {
		struct stage st = {.code = (enum stage_code)i,
				   .status = STATUS_PLANNED};

		if (!uuid_new(st.id))
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("the system gave no random bytes for "
					 "an id"));
		else
			code = model_stage_insert(s->db, p.id, &st, err);
	}
	if (!code) {
		strbuf_addstr(&after, "{\"code\":");
		json_add_string(&after, code_text);
		strbuf_addstr(&after, ",\"name\":");
		json_add_string(&after, name);
		strbuf_addch(&after, '}');
		code = core_audit_append(s, AUDIT_PROJECT_ADD, p.id, p.id, NULL,
					 strbuf_str(&after), err);
	}
	strbuf_release(&after);
	return core_finish(s, code, err);
}

enum dd_code
core_project_list(struct core_session *s, struct project **out, size_t *count,
		  struct dd_error *err)
{
	struct project_list l;
	enum dd_code code = model_project_list(s->db, &l, err);

	*out = code ? NULL : l.items;
	*count = code ? 0 : l.count;
	return code;
}

/* The refusal of a change to a project's members or stages. */
static enum dd_code
refuse_manage(const struct core_project *p, bool members, struct dd_error *err)
{
	return dd_fail(err, DD_ERR_PERM,
		       members ? _("only an admin or the project manager of "
				   "project %s may change its members")
			       : _("only an admin or the project manager of "
				   "project %s may change its stages"),
		       p->project.code);
}

/* The right to change a project's members or stages, checked before the
 * write lock is taken as well as inside the transaction: someone without
 * it never holds the lock (stopped inside the transaction, such a process
 * would block everyone's changes). */
static enum dd_code
may_manage(struct core_session *s, const char *project_ref, bool members,
	   struct dd_error *err)
{
	struct core_project p;
	enum dd_code code = core_project_open(s, project_ref, &p, err);

	if (code)
		return code;
	if (!core_rule_manages(&p.me))
		code = refuse_manage(&p, members, err);
	core_project_free(&p);
	return code;
}

/* A member's role as audit JSON. */
static void
member_json(struct strbuf *sb, const char *login, enum role role, bool senior)
{
	strbuf_addstr(sb, "{\"login\":");
	json_add_string(sb, login);
	strbuf_addf(sb, ",\"role\":\"%s\",\"senior\":%s}", role_code(role),
		    senior ? "true" : "false");
}

enum dd_code
core_member_add(struct core_session *s, const char *project_ref,
		const char *login, enum role role, bool senior,
		struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct core_project p;
	struct user u = {0};
	struct member old = {0};
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	bool had = false;
	enum dd_code code;

	senior = senior && role == ROLE_DEVELOPER;
	code = may_manage(s, project_ref, true, err);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_project_open(s, project_ref, &p, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	if (!core_rule_manages(&p.me))
		code = refuse_manage(&p, true, err);
	if (!code)
		code = model_user_by_login(s->db, login, &u, err);
	if (code == DD_ERR_NOTFOUND)
		code = dd_fail(err, DD_ERR_NOTFOUND,
			       _("no user '%s' (an admin adds people with "
				 "'deploydesk user add')"),
			       text_cut(login, cut));
	if (!code) {
		code = model_member_get(s->db, p.project.id, u.id, &old, err);
		had = code == DD_OK;
		if (code == DD_ERR_NOTFOUND)
			code = DD_OK;
	}
	if (!code)
		code = model_member_upsert(s->db, p.project.id, u.id, role,
					   senior, err);
	if (!code) {
		if (had)
			member_json(&before, login, old.role, old.senior);
		member_json(&after, login, role, senior);
		code = core_audit_append(
		    s, AUDIT_MEMBER_SET, login, p.project.id,
		    had ? strbuf_str(&before) : NULL, strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	member_free(&old);
	user_free(&u);
	strbuf_release(&before);
	strbuf_release(&after);
	core_project_free(&p);
	return code;
}

enum dd_code
core_member_list(struct core_session *s, const struct core_project *p,
		 struct member **out, size_t *count, struct dd_error *err)
{
	struct member_list l;
	enum dd_code code = model_member_list(s->db, p->project.id, &l, err);

	/* Since when, and granted by whom: from the trail. */
	for (size_t i = 0; !code && i < l.count; i++)
		code = model_member_granted(s->db, p->project.id,
					    l.items[i].login, l.items[i].since,
					    &l.items[i].granted_by, err);
	if (code && l.items) {
		for (size_t i = 0; i < l.count; i++)
			member_free(&l.items[i]);
		free(l.items);
	}
	*out = code ? NULL : l.items;
	*count = code ? 0 : l.count;
	return code;
}

enum dd_code
core_responsible_list(struct core_session *s, const struct core_project *p,
		      struct member **out, size_t *count, struct dd_error *err)
{
	enum dd_code code = core_member_list(s, p, out, count, err);
	size_t kept = 0;

	for (size_t i = 0; !code && i < *count; i++) {
		if (core_rule_responsible(&(*out)[i]))
			(*out)[kept++] = (*out)[i];
		else
			member_free(&(*out)[i]);
	}
	*count = kept;
	return code;
}

enum dd_code
core_stage_set(struct core_session *s, const char *project_ref,
	       enum stage_code stage, enum task_status status,
	       struct dd_error *err)
{
	struct core_project p;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	enum task_status old;
	enum dd_code code;

	if (status > STATUS_SUCCEEDED)
		return dd_fail(err, DD_ERR_INPUT,
			       _("status: a stage is A_FAIRE, EN_COURS or "
				 "TERMINEE"));
	/* Read inside the transaction: the role and the state we change
	 * from are the ones the change is made on. */
	code = may_manage(s, project_ref, false, err);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	code = core_project_open(s, project_ref, &p, err);
	if (code) {
		core_rollback(s);
		return code;
	}
	old = p.stages[stage].status;
	if (!core_rule_manages(&p.me))
		code = refuse_manage(&p, false, err);
	else if (old == status)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("the status of stage %s of project %s is "
				 "already %s"),
			       stage_code(stage), p.project.code,
			       core_stage_status_label(status));
	if (!code)
		code = model_stage_set_status(s->db, p.stages[stage].id, old,
					      status, err);
	if (!code) {
		strbuf_addf(&before, "{\"stage\":\"%s\",\"status\":\"%s\"}",
			    stage_code(stage), status_code(old));
		strbuf_addf(&after, "{\"stage\":\"%s\",\"status\":\"%s\"}",
			    stage_code(stage), status_code(status));
		code = core_audit_append(s, AUDIT_STAGE_SET, p.stages[stage].id,
					 p.project.id, strbuf_str(&before),
					 strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	strbuf_release(&before);
	strbuf_release(&after);
	core_project_free(&p);
	return code;
}

enum dd_code
core_figures_rebuild(struct core_session *s, int64_t *days,
		     struct dd_error *err)
{
	enum dd_code code;

	*days = 0;
	code = require_admin(s, _("rebuild the kept figures"), err);
	if (!code)
		code = core_begin(s, err);
	if (code)
		return code;
	/* Derived from the deployments and compared with them by audit
	 * verify, they hold no decision: no audit record is written. */
	code = model_figures_mark_all(s->db, days, err);
	return core_finish(s, code, err);
}
