/* The audit trail: every change appends who, when, what, before and after,
 * chained with SHA-256 so that an edited, removed or inserted record is
 * found by core_audit_verify(). */
#include "core/core-internal.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "util/i18n.h"
#include "util/strbuf.h"

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

/* hash = SHA-256(domain NUL || prev_hash || canonical fields): a
 * length-prefixed encoding of exactly the stored values. */
static void
audit_hash(const struct audit_record *r, unsigned char out[32])
{
	struct sha256_ctx ctx;
	char num[3][24];

	snprintf(num[0], sizeof num[0], "%lld", (long long)r->seq);
	snprintf(num[1], sizeof num[1], "%lld", (long long)r->uid);
	snprintf(num[2], sizeof num[2], "%lld", (long long)r->login_uid);
	sha256_init(&ctx);
	sha256_update(&ctx, sizeof AUDIT_DOMAIN, (const uint8_t *)AUDIT_DOMAIN);
	sha256_update(&ctx, 32, r->prev_hash);
	hash_field(&ctx, num[0]);
	hash_field(&ctx, r->ts);
	hash_field(&ctx, num[1]);
	hash_field(&ctx, r->login);
	hash_field(&ctx, r->login_uid >= 0 ? num[2] : NULL);
	hash_field(&ctx, r->action);
	hash_field(&ctx, r->entity);
	hash_field(&ctx, r->entity_id);
	hash_field(&ctx, r->project_id);
	hash_field(&ctx, r->before);
	hash_field(&ctx, r->after);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

enum dd_code
core_audit_append(struct core_session *s, const char *action,
		  const char *entity, const char *entity_id,
		  const char *project_id, const char *before, const char *after,
		  struct dd_error *err)
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
	r.action = (char *)action;
	r.entity = (char *)entity;
	r.entity_id = (char *)entity_id;
	r.project_id = (char *)project_id;
	r.before = (char *)before;
	r.after = (char *)after;
	audit_hash(&r, r.hash);
	code = model_audit_append(s->db, &r, err);
	if (!code) {
		s->anchor_seq = r.seq;
		memcpy(s->anchor_hash, r.hash, 32);
	}
	return code;
}

void
core_audit_anchor(struct core_session *s)
{
	char hex[65];

	if (!s->anchor_seq)
		return;
	/* A rewritten chain no longer matches what syslog received. */
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", s->anchor_hash[i]);
	syslog(LOG_AUTHPRIV | LOG_INFO, "audit seq=%lld uid=%lld head=%s",
	       (long long)s->anchor_seq, (long long)s->uid, hex);
	s->anchor_seq = 0;
}

enum dd_code
core_audit_page(struct core_session *s, const char *project_id,
		const char *entity_id, int64_t after_seq, int limit,
		struct audit_list *out, struct dd_error *err)
{
	return model_audit_page(s->db, project_id, entity_id, after_seq, limit,
				out, err);
}

/* Checks one record against the one before it; fills the report and
 * returns false at the first problem. */
static bool
verify_record(const struct audit_record *r, int64_t expected_seq,
	      const unsigned char prev[32], struct core_audit_report *out)
{
	unsigned char h[32];

	if (r->seq != expected_seq) {
		out->first_bad = expected_seq;
		snprintf(out->problem, sizeof out->problem,
			 _("records %lld to %lld are missing (removed)"),
			 (long long)expected_seq, (long long)r->seq - 1);
		return false;
	}
	audit_hash(r, h);
	if (memcmp(h, r->hash, 32) != 0) {
		out->first_bad = r->seq;
		snprintf(out->problem, sizeof out->problem,
			 _("record %lld was altered: its content does not "
			   "match its hash"),
			 (long long)r->seq);
		return false;
	}
	if (memcmp(r->prev_hash, prev, 32) != 0) {
		out->first_bad = r->seq;
		snprintf(out->problem, sizeof out->problem,
			 _("record %lld is out of the chain: inserted, or "
			   "the record before it was replaced"),
			 (long long)r->seq);
		return false;
	}
	return true;
}

enum dd_code
core_audit_verify(struct core_session *s, struct core_audit_report *out,
		  struct dd_error *err)
{
	unsigned char prev[32] = {0};
	int64_t after = 0;
	enum dd_code code;

	memset(out, 0, sizeof *out);
	for (;;) {
		struct audit_list page;
		bool good = true;

		code = model_audit_page(s->db, NULL, NULL, after, VERIFY_PAGE,
					&page, err);
		if (code)
			return code;
		for (size_t i = 0; i < page.count && good; i++) {
			const struct audit_record *r = &page.items[i];

			good = verify_record(r, after + 1, prev, out);
			if (good) {
				memcpy(prev, r->hash, 32);
				after = r->seq;
				out->checked++;
			}
		}
		if (!good || page.count < VERIFY_PAGE) {
			audit_list_free(&page);
			return DD_OK;
		}
		audit_list_free(&page);
	}
}
