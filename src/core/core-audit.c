/* SPDX-License-Identifier: MIT */
/* The audit trail: every change appends who, when, what, before and after,
 * chained with SHA-256 so that an edited, removed or inserted record is
 * found by core_audit_verify(). */
#include "core/core-internal.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <paths.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

#define AUDIT_DOMAIN "deploydesk-audit-v1"
#define VERIFY_PAGE 512

/* Feeds one field as an 8-byte big-endian length and its bytes; NULL is
 * told apart from "" by an all-ones length. */
static void
hash_field(struct sha256_ctx *ctx, const char *s)
{
	uint64_t n = s ? strlen(s) : UINT64_MAX;
	uint8_t len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(n >> (56 - 8 * i));
	sha256_update(ctx, sizeof len, len);
	if (s)
		sha256_update(ctx, n, (const uint8_t *)s);
}

/* A number as the decimal text the hash covers (snprintf costs a tenth
 * of a verification). */
static const char *
decimal(int64_t v, char buf[24])
{
	uint64_t n = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *p = buf + 23;

	*p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (v < 0)
		*--p = '-';
	return p;
}

/* hash = SHA-256(domain NUL || prev_hash || canonical fields): a
 * length-prefixed encoding of exactly the stored values, the host last
 * when there is one. */
void
core_audit_hash(const struct audit_record *r, unsigned char out[32])
{
	struct sha256_ctx ctx;
	char num[3][24];

	sha256_init(&ctx);
	sha256_update(&ctx, sizeof AUDIT_DOMAIN, (const uint8_t *)AUDIT_DOMAIN);
	sha256_update(&ctx, 32, r->prev_hash);
	hash_field(&ctx, decimal(r->seq, num[0]));
	hash_field(&ctx, r->ts);
	hash_field(&ctx, decimal(r->uid, num[1]));
	hash_field(&ctx, r->login);
	hash_field(&ctx,
		   r->login_uid >= 0 ? decimal(r->login_uid, num[2]) : NULL);
	hash_field(&ctx, r->action);
	hash_field(&ctx, r->entity);
	hash_field(&ctx, r->entity_id);
	hash_field(&ctx, r->project_id);
	hash_field(&ctx, r->before);
	hash_field(&ctx, r->after);
	/* Records made before hosts were kept (schema 19) have none, and
	 * keep the hash they were made with. */
	if (r->host)
		hash_field(&ctx, r->host);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

static const struct {
	const char *name, *entity;
} actions[AUDIT_ACTION_COUNT] = {
    [AUDIT_DATABASE_INIT] = {"database.init", "user"},
    [AUDIT_USER_ADD] = {"user.add", "user"},
    [AUDIT_PROJECT_ADD] = {"project.add", "project"},
    [AUDIT_MEMBER_SET] = {"member.set", "member"},
    [AUDIT_STAGE_SET] = {"stage.set", "stage"},
    [AUDIT_DEPLOY_CREATE] = {"deploy.create", "task"},
    [AUDIT_DEPLOY_AUTHORIZE] = {"deploy.authorize", "task"},
    [AUDIT_DEPLOY_START] = {"deploy.start", "task"},
    [AUDIT_DEPLOY_SUCCEED] = {"deploy.succeed", "task"},
    [AUDIT_DEPLOY_FAIL] = {"deploy.fail", "task"},
    [AUDIT_INCIDENT_CREATE] = {"incident.create", "task"},
    [AUDIT_INCIDENT_SET] = {"incident.set", "task"},
    [AUDIT_INCIDENT_ASSIGN] = {"incident.assign", "task"},
    [AUDIT_DEPLOY_EDIT] = {"deploy.edit", "task"},
    [AUDIT_DEPLOY_CANCEL] = {"deploy.cancel", "task"},
    [AUDIT_DEPLOY_REJECT] = {"deploy.reject", "task"},
    [AUDIT_POLICY_SET] = {"policy.set", "project"},
    [AUDIT_DEPLOY_REVOKE] = {"deploy.revoke", "task"},
    [AUDIT_FREEZE_ADD] = {"freeze.add", "freeze"},
    [AUDIT_FREEZE_REMOVE] = {"freeze.remove", "freeze"},
    [AUDIT_EXCEPTION_REVIEW] = {"exception.review", "exception"},
    [AUDIT_VERSION_BLOCK] = {"version.block", "version"},
    [AUDIT_VERSION_UNBLOCK] = {"version.unblock", "version"},
};

const char *
core_audit_action_name(enum core_audit_action a)
{
	return actions[a].name;
}

const char *
core_audit_entity_name(enum core_audit_action a)
{
	return actions[a].entity;
}

int
core_audit_action_parse(const char *name)
{
	for (int a = 0; a < AUDIT_ACTION_COUNT; a++)
		if (name && strcmp(actions[a].name, name) == 0)
			return a;
	return -1;
}

enum dd_code
core_audit_append(struct core_session *s, enum core_audit_action action,
		  const char *entity_id, const char *project_id,
		  const char *before, const char *after, struct dd_error *err)
{
	struct audit_record r = {0};
	int64_t head;
	enum dd_code code;

	code = model_audit_head(s->db, &head, r.prev_hash, err);
	if (code)
		return code;
	r.seq = head + 1;
	core_now(s, r.ts);
	r.uid = (int64_t)s->uid;
	r.login = s->me.login;
	r.login_uid = s->login_uid;
	r.action = (char *)actions[action].name;
	r.entity = (char *)actions[action].entity;
	r.entity_id = (char *)entity_id;
	r.project_id = (char *)project_id;
	r.before = (char *)before;
	r.after = (char *)after;
	r.host = s->host;
	core_audit_hash(&r, r.hash);
	code = model_audit_append(s->db, &r, err);
	if (!code) {
		s->anchor_seq = r.seq;
		memcpy(s->anchor_hash, r.hash, 32);
	}
	return code;
}

void
core_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The line a checkpoint is written as: "deploydesk-checkpoint 1 <database
 * id> <seq> <hash hex> <UTC time>". */
static void
checkpoint_line(const struct core_session *s, int64_t seq,
		const unsigned char hash[32], char out[CORE_CHECKPOINT_SIZE])
{
	char hex[65], now[TIME_ISO_SIZE];

	core_hex(hash, 32, hex);
	core_now(s, now);
	snprintf(out, CORE_CHECKPOINT_SIZE, "%s %d %s %lld %s %s",
		 CORE_CHECKPOINT_TAG, CORE_CHECKPOINT_FORMAT, s->database_id,
		 (long long)seq, hex, now);
}

bool
core_audit_syslog_available(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", _PATH_LOG);
	ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
	close(fd);
	return ok;
}

void
core_audit_anchor(struct core_session *s)
{
	static bool opened;
	char line[CORE_CHECKPOINT_SIZE];

	if (!s->anchor_seq)
		return;
	/* The same line as 'audit checkpoint', so that the journal can be
	 * given to 'audit verify --checkpoint -': a rewritten chain no longer
	 * matches what syslog received. */
	checkpoint_line(s, s->anchor_seq, s->anchor_hash, line);
	if (!opened) {
		openlog("deploydesk", LOG_NDELAY, LOG_AUTHPRIV);
		opened = true;
	}
	syslog(LOG_INFO, "%s", line);
	s->anchor_seq = 0;
}

enum dd_code
core_schema_check(struct core_session *s, struct dd_error *err)
{
	struct dd_error why = {0};

	if (model_schema_check(s->db, &why) == DD_OK)
		return DD_OK;
	return dd_fail(err, DD_ERR_RUNTIME,
		       _("schema changed outside deploydesk (%s): changes are "
			 "refused; see deploydesk(1), AUDIT TRAIL"),
		       why.msg);
}

enum dd_code
core_audit_checkpoint(struct core_session *s, char out[CORE_CHECKPOINT_SIZE],
		      struct dd_error *err)
{
	unsigned char hash[32];
	int64_t seq;
	enum dd_code code = model_audit_head(s->db, &seq, hash, err);

	if (!code)
		checkpoint_line(s, seq, hash, out);
	return code;
}

/* The database's id: the one its first record names, else (a database
 * made before ids were recorded) the first half of that record's hash. */
static void
genesis_id(const struct audit_record *r, const struct json_object *after,
	   char out[CORE_DATABASE_ID_SIZE])
{
	const struct json_value *id = json_object_get(after, "database_id");

	if (id && id->kind == JSON_STRING && !id->escaped && id->len > 0 &&
	    id->len < CORE_DATABASE_ID_SIZE &&
	    strspn(id->raw, "0123456789abcdef-") >= id->len) {
		memcpy(out, id->raw, id->len);
		out[id->len] = '\0';
	} else {
		core_hex(r->hash, 16, out);
	}
}

enum dd_code
core_audit_genesis(struct core_session *s, struct core_genesis *out,
		   struct dd_error *err)
{
	static const unsigned char zero[32];
	struct audit_list l;
	struct json_object after;
	const struct audit_record *r;
	const struct json_value *v;
	unsigned char h[32];
	enum dd_code code;

	memset(out, 0, sizeof *out);
	code = model_audit_page(s->db, NULL, NULL, 0, 1, &l, err);
	if (code)
		return code;
	r = l.count ? &l.items[0] : NULL;
	if (r)
		core_audit_hash(r, h);
	/* Only a first record that is what init wrote, intact, is
	 * believed. */
	if (r && r->seq == 1 && memcmp(r->prev_hash, zero, 32) == 0 &&
	    memcmp(h, r->hash, 32) == 0 && r->action &&
	    strcmp(r->action, actions[AUDIT_DATABASE_INIT].name) == 0 &&
	    r->after && json_object_parse(r->after, strlen(r->after), &after)) {
		out->valid = true;
		v = json_object_get(&after, "sandbox");
		out->sandbox = v && v->kind == JSON_BOOL && v->boolean;
		v = json_object_get(&after, "shared");
		out->shared = v && v->kind == JSON_BOOL && v->boolean;
		genesis_id(r, &after, out->database_id);
	} else if (r) {
		core_hex(r->hash, 16, out->database_id);
	}
	audit_list_free(&l);
	return DD_OK;
}

enum dd_code
core_audit_page(struct core_session *s, const char *project_id,
		const char *entity_id, int64_t after_seq, int limit,
		struct audit_list *out, struct dd_error *err)
{
	return model_audit_page(s->db, project_id, entity_id, after_seq, limit,
				out, err);
}

enum dd_code
core_audit_rows(struct core_session *s, const struct audit_filter *f,
		int64_t *after_seq, int limit, audit_row_fn fn, void *data,
		size_t *count, struct dd_error *err)
{
	return model_audit_rows(s->db, f, after_seq, limit, fn, data, count,
				err);
}

/* A day alone ("2026-03-01"): its first minute, in local time. */
static bool
day_only(const char *text)
{
	return text && strlen(text) == 10 && text[4] == '-' && text[7] == '-' &&
	       strspn(text, "0123456789-") == 10;
}

/* One end of a period as typed, into iso (UTC); a day alone is its start,
 * or, for the end (end true), the start of the day after: the day is in. */
static enum dd_code
period_end(const char *field, const char *text, bool end,
	   char iso[TIME_ISO_SIZE], struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE], why[128], full[32];
	time_t t;
	struct tm tm;

	/* A day alone, ISO or as the locale writes it (04/02/2026 in
	 * French): its first minute. */
	bool day = day_only(text) || (!strchr(text, ':') && !strchr(text, ' '));

	if (day)
		snprintf(full, sizeof full, "%.20s 00:00", text);
	else
		snprintf(full, sizeof full, "%.31s", text);
	if (strlen(text) >= sizeof full - 6 ||
	    !time_parse_local(full, &t, why, sizeof why))
		return dd_fail(
		    err, DD_ERR_INPUT,
		    _("%s: '%s': %s (or a day alone, YYYY-MM-DD)"), field,
		    text_cut(text, cut),
		    strlen(text) >= sizeof full - 6 ? _("no such date") : why);
	if (end && day) {
		localtime_r(&t, &tm);
		tm.tm_mday++;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	time_iso_utc(t, iso);
	return DD_OK;
}

enum dd_code
core_period(const char *from, const char *to, char from_iso[TIME_ISO_SIZE],
	    char to_iso[TIME_ISO_SIZE], struct dd_error *err)
{
	enum dd_code code = DD_OK;

	from_iso[0] = to_iso[0] = '\0';
	if (from)
		code = period_end(_("from"), from, false, from_iso, err);
	if (!code && to)
		code = period_end(_("to"), to, true, to_iso, err);
	if (!code && from && to && strcmp(from_iso, to_iso) >= 0)
		code =
		    dd_fail(err, DD_ERR_INPUT,
			    _("to: '%s' is not after from ('%s')"), to, from);
	return code;
}

enum dd_code
core_audit_filter(struct core_session *s, const char *from, const char *to,
		  const char *login, const char *action,
		  struct core_audit_query *out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	enum dd_code code;

	memset(out, 0, sizeof *out);
	code = core_period(from, to, out->from, out->to, err);
	if (code)
		return code;
	out->filter.from = from ? out->from : NULL;
	out->filter.to = to ? out->to : NULL;
	if (login) {
		struct user u = {0};

		code = core_check_login(login, err);
		if (!code)
			code = model_user_by_login(s->db, login, &u, err);
		user_free(&u);
		if (code == DD_ERR_NOTFOUND)
			code = dd_fail(err, DD_ERR_INPUT,
				       _("user: no one is registered as '%s' "
					 "(see 'deploydesk user list')"),
				       text_cut(login, cut));
		if (code)
			return code;
		out->filter.login = login;
	}
	if (action) {
		bool known = false;

		for (int a = 0; a < AUDIT_ACTION_COUNT && !known; a++) {
			const char *name = actions[a].name;
			size_t n = strcspn(name, ".");

			known = strcmp(name, action) == 0 ||
				(strlen(action) == n &&
				 strncmp(name, action, n) == 0);
		}
		if (!known) {
			struct strbuf list = STRBUF_INIT;

			for (int a = 0; a < AUDIT_ACTION_COUNT; a++)
				strbuf_addf(&list, "%s%s", a ? ", " : "",
					    actions[a].name);
			code =
			    dd_fail(err, DD_ERR_INPUT,
				    _("action: '%s' is none of %s (or "
				      "their first word)"),
				    text_cut(action, cut), strbuf_str(&list));
			strbuf_release(&list);
			return code;
		}
		out->filter.action = action;
	}
	return DD_OK;
}
