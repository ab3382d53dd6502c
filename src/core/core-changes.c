/* SPDX-License-Identifier: MIT */
/* What an audit record changed, in the reader's words: "Status: Planned ->
 * In progress" rather than the stored JSON. The trail's format is the
 * core's, so reading it back for people is too; the screens only lay the
 * lines out. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"

/* What a field of the trail is called, and how its value reads. */
enum value_kind {
	VALUE_TEXT,
	VALUE_TIME,
	VALUE_STATUS,
	VALUE_ENV,
	VALUE_PRIORITY,
	VALUE_RISK,
	VALUE_ROLE,
	VALUE_BOOL,
	VALUE_DEPLOYMENT, /* an id, read as the deployment's version */
	VALUE_WEEKLY,	  /* "fri 16:00-mon 08:00", in the reader's days */
};

static const struct {
	const char *key;
	const char *label;
	enum value_kind kind;
} fields[] = {
    {"version", N_("Version"), VALUE_TEXT},
    {"environment", N_("Environment"), VALUE_ENV},
    {"description", N_("Description"), VALUE_TEXT},
    {"responsible", N_("Responsible"), VALUE_TEXT},
    {"planned_at", N_("Planned date"), VALUE_TIME},
    {"status", N_("Status"), VALUE_STATUS},
    {"authorized_by", N_("Authorized by"), VALUE_TEXT},
    {"authorized_at", N_("Authorized at"), VALUE_TIME},
    {"started_by", N_("Started by"), VALUE_TEXT},
    {"started_at", N_("Started at"), VALUE_TIME},
    {"executed_by", N_("Executed by"), VALUE_TEXT},
    {"executed_at", N_("Executed at"), VALUE_TIME},
    {"logs_bytes", N_("Logs (bytes)"), VALUE_TEXT},
    {"logs_sha256", N_("Logs (SHA-256)"), VALUE_TEXT},
    {"logs_encoding", N_("Logs read as"), VALUE_TEXT},
    {"logs_source_bytes", N_("File read (bytes)"), VALUE_TEXT},
    {"logs_source_sha256", N_("File read (SHA-256)"), VALUE_TEXT},
    {"name", N_("Name"), VALUE_TEXT},
    {"priority", N_("Priority"), VALUE_PRIORITY},
    {"risk", N_("Risk"), VALUE_RISK},
    {"backout_plan", N_("Back-out plan"), VALUE_TEXT},
    {"deployment", N_("Deployment"), VALUE_DEPLOYMENT},
    {"login", N_("Login"), VALUE_TEXT},
    {"full_name", N_("Name"), VALUE_TEXT},
    {"admin", N_("Admin"), VALUE_BOOL},
    {"role", N_("Role"), VALUE_ROLE},
    {"senior", N_("Senior"), VALUE_BOOL},
    {"stage", N_("Stage"), VALUE_TEXT},
    {"code", N_("Code"), VALUE_TEXT},
    {"sandbox", N_("Sandbox"), VALUE_BOOL},
    {"shared", N_("Shared"), VALUE_BOOL},
    {"database_id", N_("Database id"), VALUE_TEXT},
    {"type", N_("Type"), VALUE_TEXT},
    {"note", N_("Note"), VALUE_TEXT},
    {"closed_by", N_("Closed by"), VALUE_TEXT},
    {"closed_at", N_("Closed at"), VALUE_TIME},
    {"reason", N_("Reason"), VALUE_TEXT},
    {"approved_by", N_("Approved by"), VALUE_TEXT},
    {"approved_at", N_("Approved at"), VALUE_TIME},
    {"expires_at", N_("Expires at"), VALUE_TIME},
    {"approvals", N_("Approvals"), VALUE_TEXT},
    {"required", N_("Approvals asked for"), VALUE_TEXT},
    {"approver", N_("Approval of"), VALUE_TEXT},
    {"key", N_("Policy"), VALUE_TEXT},
    {"value", N_("Value"), VALUE_TEXT},
    {"project", N_("Project"), VALUE_TEXT},
    {"from", N_("From"), VALUE_TIME},
    {"to", N_("To"), VALUE_TIME},
    {"weekly", N_("Weekly"), VALUE_WEEKLY},
    {"removed", N_("Removed"), VALUE_BOOL},
    {"override", N_("Override"), VALUE_TEXT},
    {"overridden", N_("Rules passed"), VALUE_TEXT},
    {"exception", N_("Exception"), VALUE_TEXT},
    {"reviewed_by", N_("Reviewed by"), VALUE_TEXT},
    {"reviewed_at", N_("Reviewed at"), VALUE_TIME},
    {"blocked", N_("Blocked"), VALUE_BOOL},
};

const char *
core_audit_action_label(const char *action)
{
	static const struct {
		const char *action, *label;
	} labels[] = {
	    {"database.init", N_("created the database")},
	    {"user.add", N_("added a person")},
	    {"project.add", N_("added the project")},
	    {"member.set", N_("set a member's role")},
	    {"stage.set", N_("set a stage's status")},
	    {"deploy.create", N_("planned the deployment")},
	    {"deploy.authorize", N_("approved it")},
	    {"deploy.start", N_("started it")},
	    {"deploy.succeed", N_("recorded its success")},
	    {"deploy.fail", N_("recorded its failure")},
	    {"incident.create", N_("opened the incident")},
	    {"incident.set", N_("changed the incident's status")},
	    {"incident.assign", N_("handed the incident to someone else")},
	    {"deploy.edit", N_("changed the plan")},
	    {"deploy.cancel", N_("cancelled it")},
	    {"deploy.reject", N_("refused it")},
	    {"deploy.revoke", N_("withdrew an approval")},
	    {"policy.set", N_("changed a policy")},
	    {"freeze.add", N_("added a freeze")},
	    {"freeze.remove", N_("removed a freeze")},
	    {"exception.review", N_("reviewed an exception")},
	    {"version.block", N_("blocked a version")},
	    {"version.unblock", N_("unblocked a version")},
	};

	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (action && strcmp(action, labels[i].action) == 0)
			return _(labels[i].label);
	return action ? action : "?";
}

/* A value as people read it; "-" for none. */
static char *
value_text(struct core_session *s, const struct json_value *v,
	   enum value_kind kind, bool stage)
{
	struct strbuf sb = STRBUF_INIT;
	struct dd_error err = {0};
	char when[64], *version;
	int code, from, to;

	if (!v || v->kind == JSON_NULL)
		return xstrdup("-");
	if (v->kind == JSON_BOOL)
		return xstrdup(v->boolean ? _("yes") : _("no"));
	if (v->kind == JSON_INT) {
		strbuf_addf(&sb, "%lld", (long long)v->integer);
		return strbuf_detach(&sb);
	}
	if (!json_string_decode(v, &sb)) {
		strbuf_release(&sb);
		return xstrdup("?");
	}
	switch (kind) {
	case VALUE_TIME:
		time_local_display(strbuf_str(&sb), when, sizeof when);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, when);
		break;
	case VALUE_STATUS:
		code = status_parse(strbuf_str(&sb));
		if (code >= 0) {
			const char *label = stage
						? core_stage_status_label(code)
						: core_status_label(code);

			strbuf_reset(&sb);
			strbuf_addstr(&sb, label);
		}
		break;
	case VALUE_ENV:
		code = env_parse(strbuf_str(&sb));
		if (code >= 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, core_env_label(code));
		}
		break;
	case VALUE_PRIORITY:
		code = priority_parse(strbuf_str(&sb));
		if (code >= 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, core_priority_label(code));
		}
		break;
	case VALUE_RISK:
		code = risk_parse(strbuf_str(&sb));
		if (code > 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, core_risk_label(code));
		}
		break;
	case VALUE_ROLE:
		code = role_parse(strbuf_str(&sb));
		if (code >= 0) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, core_role_label(code, false));
		}
		break;
	case VALUE_DEPLOYMENT:
		/* The id when the deployment cannot be read: the truth, if
		 * not the words. */
		if (model_task_version(s->db, strbuf_str(&sb), &version,
				       &err) == DD_OK) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, version);
			free(version);
		}
		break;
	case VALUE_WEEKLY:
		if (core_weekly_parse(strbuf_str(&sb), &from, &to)) {
			core_weekly_label(from, to, when, sizeof when);
			strbuf_reset(&sb);
			strbuf_addstr(&sb, when);
		}
		break;
	case VALUE_TEXT:
	case VALUE_BOOL:
		break;
	}
	return strbuf_detach(&sb);
}

void
core_audit_changes(struct core_session *s, const struct audit_record *r,
		   struct core_change_list *out)
{
	struct json_object before, after;
	bool has_before, stage;

	out->items = NULL;
	out->count = 0;
	if (!r->after || !json_object_parse(r->after, strlen(r->after), &after))
		return;
	has_before = r->before &&
		     json_object_parse(r->before, strlen(r->before), &before);
	/* Stages and incidents have their own words for statuses. */
	stage = r->action && (strcmp(r->action, "stage.set") == 0 ||
			      strncmp(r->action, "incident.", 9) == 0);
	out->items = xcalloc(after.count ? after.count : 1, sizeof *out->items);
	for (size_t i = 0; i < after.count; i++) {
		const char *label = NULL;
		enum value_kind kind = VALUE_TEXT;
		const struct json_value *was = NULL;
		struct core_change *c = &out->items[out->count];
		char key[64];

		if (after.members[i].key_len >= sizeof key)
			continue;
		memcpy(key, after.members[i].key, after.members[i].key_len);
		key[after.members[i].key_len] = '\0';
		for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
			if (strcmp(fields[f].key, key) == 0) {
				label = _(fields[f].label);
				kind = fields[f].kind;
			}
		c->label = label ? label : xstrdup(key);
		c->label_owned = !label;
		if (has_before)
			was = json_object_get(&before, key);
		/* A field that was null is set for the first time, as one
		 * 'before' does not hold: both read "label: value". */
		c->before = was && was->kind != JSON_NULL
				? value_text(s, was, kind, stage)
				: NULL;
		c->after = value_text(s, &after.members[i].value, kind, stage);
		out->count++;
	}
}

void
core_audit_object(struct core_session *s, const struct audit_record *r,
		  struct strbuf *out)
{
	char *version = NULL;
	struct json_object o;

	strbuf_reset(out);
	if (!r->entity_id)
		return;
	/* A policy: its environment and key ("PROD approvals"), which its
	 * record holds; its entity is the project, shown above. */
	if (strcmp(r->action ? r->action : "", "policy.set") == 0 && r->after &&
	    json_object_parse(r->after, strlen(r->after), &o)) {
		const struct json_value *env =
		    json_object_get(&o, "environment");
		const struct json_value *key = json_object_get(&o, "key");
		struct strbuf e = STRBUF_INIT, k = STRBUF_INIT;

		if (env && key && json_string_decode(env, &e) &&
		    json_string_decode(key, &k))
			strbuf_addf(out, "%s %s", strbuf_str(&e),
				    strbuf_str(&k));
		strbuf_release(&e);
		strbuf_release(&k);
		if (out->len)
			return;
	}
	/* A task: the deployment's version (an incident: its own name is
	 * among the changes). */
	if (strncmp(r->action ? r->action : "", "deploy.", 7) == 0 &&
	    model_task_version(s->db, r->entity_id, &version, NULL) == DD_OK &&
	    version)
		strbuf_addstr(out, version);
	else if (strncmp(r->action ? r->action : "", "incident.", 9) != 0)
		strbuf_addstr(out, r->entity_id);
	free(version);
}

enum dd_code
core_incident_note(struct core_session *s, const char *id, struct strbuf *out,
		   struct dd_error *err)
{
	struct task t;
	struct audit_list page;
	int64_t after = 0;
	enum dd_code code = core_incident_find(s, id, &t, err);

	strbuf_reset(out);
	if (code)
		return code;
	for (;;) {
		code = core_audit_page(s, NULL, t.id, after, 200, &page, err);
		if (code)
			break;
		for (size_t i = 0; i < page.count; i++) {
			const struct audit_record *r = &page.items[i];
			const struct json_value *note;
			struct json_object o;

			after = r->seq;
			if (strcmp(r->action, "incident.set") != 0 ||
			    !r->after ||
			    !json_object_parse(r->after, strlen(r->after), &o))
				continue;
			note = json_object_get(&o, "note");
			if (note && !json_string_decode(note, out))
				strbuf_reset(out);
		}
		if (page.count < 200) {
			audit_list_free(&page);
			break;
		}
		audit_list_free(&page);
	}
	task_free(&t);
	return code;
}

void
core_change_list_free(struct core_change_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		if (l->items[i].label_owned)
			free((char *)l->items[i].label);
		free(l->items[i].before);
		free(l->items[i].after);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
