/* Who may do what, and when: the spec's permission table and the state
 * rules of a deployment, in one place. */
#include "core/core-internal.h"

#include <string.h>

#include "util/i18n.h"

bool
core_standing_may(const struct core_standing *who, enum core_action a)
{
	bool manager = who->is_member && who->role == ROLE_MANAGER;
	bool senior =
	    who->is_member && who->role == ROLE_DEVELOPER && who->senior;

	switch (a) {
	case ACTION_VIEW:
		return true;
	case ACTION_CREATE:
	case ACTION_AUTHORIZE:
		return who->is_admin || manager;
	case ACTION_EXECUTE:
		return who->is_admin || senior;
	case ACTION_COUNT:
		break;
	}
	return false;
}

/* The sentence saying who may do an action, for refusals. */
static enum dd_code
refuse_permission(const struct core_project *p, enum core_action a,
		  struct dd_error *err)
{
	const char *code = p->project.code;

	switch (a) {
	case ACTION_CREATE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of %s "
				 "may create a deployment"),
			       code);
	case ACTION_AUTHORIZE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or the project manager of %s "
				 "may authorize a deployment"),
			       code);
	case ACTION_EXECUTE:
		return dd_fail(err, DD_ERR_PERM,
			       _("only an admin or a senior developer of %s "
				 "may execute a deployment"),
			       code);
	case ACTION_VIEW:
	case ACTION_COUNT:
		break;
	}
	return dd_fail(err, DD_ERR_PERM, _("permission denied"));
}

/* The create rule that depends on the project, not on a deployment. */
enum dd_code core_may_create(const struct core_project *p,
			     struct dd_error *err);

enum dd_code
core_may_create(const struct core_project *p, struct dd_error *err)
{
	if (!core_standing_may(&p->me, ACTION_CREATE))
		return refuse_permission(p, ACTION_CREATE, err);
	if (p->stages[STAGE_TESTS].status != STATUS_SUCCEEDED)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("the TESTS stage of %s is not finished: a "
				 "deployment can be planned only after it"),
			       p->project.code);
	return DD_OK;
}

enum dd_code
core_deploy_may(struct core_session *s, const struct core_project *p,
		const struct task *t, enum core_action a, struct dd_error *err)
{
	(void)s;
	if (t->type != TASK_DEPLOYMENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not a deployment"));
	if (a == ACTION_CREATE)
		return core_may_create(p, err);
	if (!core_standing_may(&p->me, a))
		return refuse_permission(p, a, err);
	switch (a) {
	case ACTION_AUTHORIZE:
		if (t->authorized_by.id) {
			char when[64];

			time_local_display(t->authorized_at, when, sizeof when);
			return dd_fail(err, DD_ERR_REFUSED,
				       _("deployment %s is already authorized "
					 "(by %s, %s)"),
				       t->version, t->authorized_by.login,
				       when);
		}
		if (t->status != STATUS_PLANNED)
			return dd_fail(err, DD_ERR_REFUSED,
				       _("deployment %s is %s: only a planned "
					 "deployment can be authorized"),
				       t->version,
				       core_status_label(t->status));
		return DD_OK;
	case ACTION_EXECUTE:
		if (t->status == STATUS_SUCCEEDED || t->status == STATUS_FAILED)
			return dd_fail(err, DD_ERR_REFUSED,
				       _("deployment %s was already executed "
					 "(%s)"),
				       t->version,
				       core_status_label(t->status));
		if (!t->authorized_by.id)
			return dd_fail(
			    err, DD_ERR_REFUSED,
			    _("deployment %s is not authorized yet: "
			      "an admin or the project manager must authorize "
			      "it first"),
			    t->version);
		return DD_OK;
	case ACTION_VIEW:
	case ACTION_CREATE:
	case ACTION_COUNT:
		break;
	}
	return DD_OK;
}

enum dd_code
core_deploy_may_start(struct core_session *s, const struct core_project *p,
		      const struct task *t, struct dd_error *err)
{
	enum dd_code code = core_deploy_may(s, p, t, ACTION_EXECUTE, err);

	if (!code && t->status != STATUS_PLANNED)
		code = dd_fail(err, DD_ERR_REFUSED,
			       _("deployment %s is already in progress"),
			       t->version);
	return code;
}

enum dd_code
core_incident_may_set(struct core_session *s, const struct task *incident,
		      struct dd_error *err)
{
	if (incident->type != TASK_INCIDENT)
		return dd_fail(err, DD_ERR_REFUSED,
			       _("this task is not an incident"));
	if (s->me.is_admin || incident->responsible.id == s->me.id)
		return DD_OK;
	return dd_fail(err, DD_ERR_PERM,
		       _("only the incident's responsible person (%s) or an "
			 "admin may change its status"),
		       incident->responsible.login);
}
