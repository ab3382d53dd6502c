/* SPDX-License-Identifier: MIT */
/* `audit verify`: the schema, the chain, the data against the trail, the
 * checkpoints. The trail is read once, in order: each record's hash is
 * checked and the record is replayed into a compact picture of what every
 * table must hold (long texts as digests). Then every table is read once
 * and each row compared with that picture, so that a change made to the
 * data without going through deploydesk is found even when the trail is
 * intact. */
#include "core/core-internal.h"

#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* Bytes of SHA-256 kept to compare a long text with the trail's. */
#define DIGEST 16
/* Characters of a value quoted in a message. */
#define QUOTE_MAX 60

struct vuser {
	char *login;
	char *full_name;
	int64_t created; /* a packed time (time_iso_pack) */
	bool admin;
	bool seen;
};

struct vproject {
	uint8_t id[16];
	char *code, *name;
	int64_t created;
	uint8_t stage_status[STAGE_COUNT];
	bool stage_seen[STAGE_COUNT];
	int64_t counts[STATUS_COUNT]; /* its deployments, by status */
	int64_t running[ENV_COUNT];   /* in progress, by environment */
	bool counts_seen[STATUS_COUNT];
	/* its policy: the values set */
	int64_t policy[ENV_COUNT][POLICY_KEY_COUNT];
	bool policy_set[ENV_COUNT][POLICY_KEY_COUNT];
	bool policy_seen[ENV_COUNT][POLICY_KEY_COUNT];
	bool seen;
};

/* A standing approval of a deployment: its person (user index + 1), when
 * and until when (packed times; 0: never), and the next approval of the
 * same deployment (index + 1, 0: none). */
struct vapproval {
	uint32_t user, next;
	int64_t at, expires;
	bool seen;
};

struct vmember {
	uint32_t project, user;
	uint8_t role;
	bool senior;
	bool seen;
};

/* A task as the trail leaves it. People are user indexes + 1 and the
 * source deployment a task index + 1 (0: none); times are packed (0:
 * none). */
struct vtask {
	uint8_t id[16];
	uint8_t text[DIGEST];	 /* deployment: description; incident: name */
	uint8_t logs[DIGEST];	 /* executed deployment: its logs */
	uint8_t reason[DIGEST];	 /* closed deployment: why */
	uint8_t backout[DIGEST]; /* deployment: its back-out plan, if any */
	int64_t planned, created, authorized_at, started_at, executed_at;
	int64_t closed_at;
	uint32_t version; /* deployment: its offset in the arena */
	uint32_t logs_len;
	uint32_t project;
	uint32_t responsible, created_by, authorized_by, started_by,
	    executed_by, closed_by;
	uint32_t source;
	uint32_t approvals;   /* the first standing approval: index + 1 */
	uint32_t rollback_of; /* the deployment it rolls back: index + 1 */
	uint32_t fixes;	      /* the incident it fixes: index + 1 */
	uint32_t row_version;
	uint8_t type, status, env, priority;
	uint8_t risk;	  /* enum risk */
	bool has_backout; /* a back-out plan is stated */
	bool executed;
	bool seen;
};

/* A freeze as the trail leaves it: its project (index + 1; 0: every
 * project), environment (-1: every one), one-off window (packed times) or
 * weekly one (minutes of the week). */
struct vfreeze {
	int64_t id;
	uint32_t project;
	int env;
	int64_t from, to;
	bool weekly;
	int wfrom, wto;
	uint8_t reason[DIGEST];
	uint32_t created_by;
	int64_t created;
	bool removed, seen;
};

/* An override of a project's policy, as the trail leaves it: its
 * deployment (task index + 1), action, rules passed (CORE_RULE_ bits),
 * reason, and its review. */
struct vexception {
	int64_t id;
	uint32_t task;
	uint8_t action;
	unsigned rules;
	uint8_t reason[DIGEST];
	uint32_t opened_by, reviewed_by;
	int64_t opened_at, reviewed_at;
	uint8_t note[DIGEST];
	bool seen;
};

/* A blocked version of a project (index), while active. */
struct vblock {
	uint32_t project;
	char *version;
	uint8_t reason[DIGEST];
	uint32_t by;
	int64_t at;
	bool active, seen;
};

/* An open-addressing index of items by key: slots hold item + 1. */
struct vindex {
	uint32_t *slots;
	size_t cap; /* a power of two, or 0 */
	size_t used;
};

struct verify {
	struct core_session *s;
	struct core_audit_report *rep;
	bool failed;

	/* the chain */
	int64_t last_seq;
	unsigned char prev[32];
	const struct core_checkpoint **cps; /* this database's, by seq */
	size_t ncps, next_cp;

	/* the replayed picture */
	bool init_seen, sandbox, sandbox_seen;
	struct vuser *users;
	size_t nusers, capusers;
	struct vindex user_ix;
	struct vproject *projects;
	size_t nprojects, capprojects;
	struct vindex project_ix;
	struct vmember *members;
	size_t nmembers, capmembers;
	struct vindex member_ix;
	struct vtask *tasks;
	size_t ntasks, captasks;
	struct vapproval *approvals;
	size_t napprovals, capapprovals;
	struct vfreeze *freezes;
	size_t nfreezes, capfreezes;
	struct vexception *exceptions;
	size_t nexceptions, capexceptions;
	struct vblock *blocks;
	size_t nblocks, capblocks;
	struct vindex task_ix;
	/* the deployments that succeeded, one per project, environment and
	 * version (the promotion policy asks it) */
	struct vindex success_ix;
	struct strbuf arena; /* versions, NUL-terminated */

	/* the tables' own keys, learnt while comparing */
	struct {
		int64_t id;
		uint32_t user;
	} * user_ids;
	size_t nuser_ids, capuser_ids;
	struct vstage {
		uint8_t id[16];
		uint32_t project;
		uint8_t code;
	} * stages;
	size_t nstages, capstages;
	struct vindex stage_ix;

	struct strbuf scratch[4];
	/* A failure's incident is written right after it, in the same
	 * transaction: the task index + 1 of a failure waiting for it. */
	uint32_t pending_failure;
};

/* ---------------------------------------------------------------- keys */

/* FNV-1a, eight bytes at a time, then mixed (ids are random, logins
 * short: this only spreads them over the index). */
static uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ULL, w;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, 8);
		h = (h ^ w) * 1099511628211ULL;
	}
	for (; n; n--, b++)
		h = (h ^ *b) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/* The 16 bytes of a canonical (lowercase) UUID. */
static bool
uuid_pack(const char *s, size_t len, uint8_t out[16])
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	int k = 0;

	if (!s || len != sizeof shape - 1)
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int hi, lo;

		if (shape[i] == '-') {
			if (s[i] != '-')
				return false;
			i--;
			continue;
		}
		hi = s[i] >= '0' && s[i] <= '9'	  ? s[i] - '0'
		     : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
						  : -1;
		lo = s[i + 1] >= '0' && s[i + 1] <= '9'	  ? s[i + 1] - '0'
		     : s[i + 1] >= 'a' && s[i + 1] <= 'f' ? s[i + 1] - 'a' + 10
							  : -1;
		if (hi < 0 || lo < 0)
			return false;
		out[k++] = (uint8_t)(hi << 4 | lo);
	}
	return k == 16;
}

static void
uuid_unpack(const uint8_t id[16], char out[UUID_SIZE])
{
	char hex[33];

	core_hex(id, 16, hex);
	snprintf(out, UUID_SIZE, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
}

typedef uint64_t (*vkey_hash_fn)(const struct verify *v, uint32_t item);
typedef bool (*vkey_eq_fn)(const struct verify *v, uint32_t item,
			   const void *key);

/* The slot of key: the item's, or the empty one where it would go. */
static uint32_t *
vindex_slot(const struct vindex *ix, const struct verify *v, uint64_t h,
	    const void *key, vkey_eq_fn eq)
{
	size_t i = (size_t)h & (ix->cap - 1);

	while (ix->slots[i] && !eq(v, ix->slots[i] - 1, key))
		i = (i + 1) & (ix->cap - 1);
	return &ix->slots[i];
}

/* Room for one more item; rehashes what is there when it grows. */
static void
vindex_reserve(struct vindex *ix, const struct verify *v, vkey_hash_fn hash)
{
	uint32_t *old = ix->slots;
	size_t old_cap = ix->cap;

	if ((ix->used + 1) * 4 < ix->cap * 3)
		return;
	ix->cap = ix->cap ? 2 * ix->cap : 64;
	ix->slots = xcalloc(ix->cap, sizeof *ix->slots);
	for (size_t i = 0; i < old_cap; i++) {
		size_t j;

		if (!old[i])
			continue;
		j = (size_t)hash(v, old[i] - 1) & (ix->cap - 1);
		while (ix->slots[j])
			j = (j + 1) & (ix->cap - 1);
		ix->slots[j] = old[i];
	}
	free(old);
}

static uint64_t
user_hash(const struct verify *v, uint32_t i)
{
	return hash_bytes(v->users[i].login, strlen(v->users[i].login));
}

static bool
user_eq(const struct verify *v, uint32_t i, const void *key)
{
	return strcmp(v->users[i].login, key) == 0;
}

static uint64_t
project_hash(const struct verify *v, uint32_t i)
{
	return hash_bytes(v->projects[i].id, 16);
}

static bool
project_eq(const struct verify *v, uint32_t i, const void *key)
{
	return memcmp(v->projects[i].id, key, 16) == 0;
}

static uint64_t
task_hash(const struct verify *v, uint32_t i)
{
	return hash_bytes(v->tasks[i].id, 16);
}

static bool
task_eq(const struct verify *v, uint32_t i, const void *key)
{
	return memcmp(v->tasks[i].id, key, 16) == 0;
}

static uint64_t
member_key(uint32_t project, uint32_t user)
{
	return (uint64_t)project << 32 | user;
}

static uint64_t
member_hash(const struct verify *v, uint32_t i)
{
	uint64_t k = member_key(v->members[i].project, v->members[i].user);

	return hash_bytes(&k, sizeof k);
}

static bool
member_eq(const struct verify *v, uint32_t i, const void *key)
{
	return member_key(v->members[i].project, v->members[i].user) ==
	       *(const uint64_t *)key;
}

static uint64_t
stage_hash(const struct verify *v, uint32_t i)
{
	return hash_bytes(v->stages[i].id, 16);
}

static bool
stage_eq(const struct verify *v, uint32_t i, const void *key)
{
	return memcmp(v->stages[i].id, key, 16) == 0;
}

/* Item index + 1 of a user by login, of a project or task by id; 0 when
 * there is none. */
static uint32_t
find_user(struct verify *v, const char *login)
{
	if (!v->user_ix.cap)
		return 0;
	return *vindex_slot(&v->user_ix, v, hash_bytes(login, strlen(login)),
			    login, user_eq);
}

static uint32_t
find_project(struct verify *v, const uint8_t id[16])
{
	if (!v->project_ix.cap)
		return 0;
	return *vindex_slot(&v->project_ix, v, hash_bytes(id, 16), id,
			    project_eq);
}

static uint32_t
find_task(struct verify *v, const uint8_t id[16])
{
	if (!v->task_ix.cap)
		return 0;
	return *vindex_slot(&v->task_ix, v, hash_bytes(id, 16), id, task_eq);
}

static uint32_t
find_member(struct verify *v, uint32_t project, uint32_t user)
{
	uint64_t k = member_key(project, user);

	if (!v->member_ix.cap)
		return 0;
	return *vindex_slot(&v->member_ix, v, hash_bytes(&k, sizeof k), &k,
			    member_eq);
}

static uint32_t
find_stage(struct verify *v, const uint8_t id[16])
{
	if (!v->stage_ix.cap)
		return 0;
	return *vindex_slot(&v->stage_ix, v, hash_bytes(id, 16), id, stage_eq);
}

/* Grows an array of items by one, zeroed; returns its index. */
static size_t
push(void **items, size_t *count, size_t *cap, size_t size)
{
	if (*count == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*items = xrealloc(*items, *cap * size);
	}
	memset((char *)*items + *count * size, 0, size);
	return (*count)++;
}

static void
digest_text(const char *s, size_t len, uint8_t out[DIGEST])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, DIGEST, out);
}

/* ---------------------------------------------------------------- reports */

/* A value for a message: quoted and cut to QUOTE_MAX characters; the
 * command line and the screens make it safe to show. */
static void
quote(const char *s, size_t len, char *out, size_t size)
{
	size_t off = 0, chars = 0;

	while (off < len && chars < QUOTE_MAX) {
		uint32_t cp;

		off += utf8_decode(s + off, len - off, &cp);
		chars++;
	}
	snprintf(out, size, "'%.*s%s'", (int)off, s, off < len ? "…" : "");
}

static void
cell_text(const struct model_cell *c, char *out, size_t size)
{
	switch (c->kind) {
	case MODEL_CELL_NULL:
		snprintf(out, size, "NULL");
		break;
	case MODEL_CELL_INT:
		snprintf(out, size, "%lld", (long long)c->i);
		break;
	case MODEL_CELL_TEXT:
		quote(c->s, c->len, out, size);
		break;
	case MODEL_CELL_OTHER:
		snprintf(out, size, "%s", _("a value that is not text"));
		break;
	}
}

static bool bad_record(struct verify *v, const struct audit_record *r,
		       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first bad record: what is wrong with it. Returns false, to stop the
 * scan. */
static bool
bad_record(struct verify *v, const struct audit_record *r, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	v->failed = true;
	v->rep->first_bad = r->seq;
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 _("record %lld (%s): %s"), (long long)r->seq,
		 r->action ? r->action : "?", what);
	return false;
}

/* The first bad row: which, which column, and both values. */
static bool
bad_row(struct verify *v, enum model_table t, const char *row,
	const char *column, const char *in_table, const char *in_trail)
{
	v->failed = true;
	snprintf(v->rep->table, sizeof v->rep->table, "%s",
		 model_table_name(t));
	snprintf(v->rep->row, sizeof v->rep->row, "%s", row);
	snprintf(v->rep->column, sizeof v->rep->column, "%s", column);
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 _("%s row %s: %s is %s in the table, but the trail says %s"),
		 model_table_name(t), row, column, in_table, in_trail);
	return false;
}

/* A row that the trail does not have, or the trail's row that the table
 * does not have. */
static bool
bad_presence(struct verify *v, enum model_table t, const char *row,
	     bool in_table)
{
	v->failed = true;
	snprintf(v->rep->table, sizeof v->rep->table, "%s",
		 model_table_name(t));
	snprintf(v->rep->row, sizeof v->rep->row, "%s", row);
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 in_table ? _("%s row %s is not in the trail: it was added "
			      "outside deploydesk")
			  : _("%s row %s of the trail is missing from the "
			      "table: it was removed outside deploydesk"),
		 model_table_name(t), row);
	return false;
}

/* ---------------------------------------------------------------- replay */

/* Reading the members of a record's "after". Each fills the record's
 * problem and returns false when the member is missing or is not what
 * deploydesk writes. */
struct fields {
	struct verify *v;
	const struct audit_record *r;
	struct json_object o; /* after */
	struct json_object b; /* before, when has_before */
	bool has_before;
};

static bool
missing(struct fields *f, const char *key)
{
	return bad_record(
	    f->v, f->r,
	    _("its field '%s' is missing or is not what deploydesk writes"),
	    key);
}

/* A string member, decoded into scratch buffer slot (NUL-terminated;
 * valid until the slot is used again). */
static bool
get_text(struct fields *f, const char *key, int slot, const char **s,
	 size_t *len)
{
	const struct json_value *jv = json_object_get(&f->o, key);
	struct strbuf *sb = &f->v->scratch[slot];

	if (!jv || jv->kind != JSON_STRING || !json_string_decode(jv, sb))
		return missing(f, key);
	*s = strbuf_str(sb);
	*len = sb->len;
	return true;
}

static bool
get_bool(struct fields *f, const char *key, bool optional, bool *out)
{
	const struct json_value *jv = json_object_get(&f->o, key);

	*out = false;
	if (!jv && optional)
		return true;
	if (!jv || jv->kind != JSON_BOOL)
		return missing(f, key);
	*out = jv->boolean;
	return true;
}

/* A stored code ("A_FAIRE"), read with one of records.h's parsers. */
static bool
get_code(struct fields *f, const char *key, int (*parse)(const char *),
	 uint8_t *out)
{
	const char *s;
	size_t len;
	char code[24];
	int c;

	if (!get_text(f, key, 0, &s, &len))
		return false;
	if (len >= sizeof code)
		return missing(f, key);
	memcpy(code, s, len);
	code[len] = '\0';
	c = parse(code);
	if (c < 0)
		return missing(f, key);
	*out = (uint8_t)c;
	return true;
}

static bool
get_time(struct fields *f, const char *key, int64_t *out)
{
	const char *s;
	size_t len;

	if (!get_text(f, key, 0, &s, &len) || !time_iso_pack(s, len, out))
		return missing(f, key);
	return true;
}

/* A person named by login, who must be in the trail already. */
static bool
get_user(struct fields *f, const char *key, uint32_t *out)
{
	const char *s;
	size_t len;

	if (!get_text(f, key, 0, &s, &len))
		return false;
	*out = find_user(f->v, s);
	if (!*out)
		return bad_record(f->v, f->r,
				  _("its '%s' names someone the trail never "
				    "added"),
				  key);
	return true;
}

/* The acting person: the record's login, added by the trail already. */
static bool
actor(struct fields *f, uint32_t *out)
{
	*out = find_user(f->v, f->r->login);
	if (!*out)
		return bad_record(f->v, f->r,
				  _("it was written by '%s', whom the trail "
				    "never added"),
				  f->r->login);
	return true;
}

/* A JSON value as a message shows it. */
static void
json_shown(struct verify *v, const struct json_value *jv, char *out,
	   size_t size)
{
	struct strbuf *sb = &v->scratch[3];

	if (!jv)
		snprintf(out, size, "%s", _("nothing"));
	else if (jv->kind == JSON_NULL)
		snprintf(out, size, "null");
	else if (jv->kind == JSON_BOOL)
		snprintf(out, size, "%s", jv->boolean ? "true" : "false");
	else if (jv->kind == JSON_INT)
		snprintf(out, size, "%lld", (long long)jv->integer);
	else if (json_string_decode(jv, sb))
		quote(sb->buf ? sb->buf : "", sb->len, out, size);
	else
		snprintf(out, size, "%s", _("a value that is not text"));
}

/* What the record's 'before' says of key must be what the replay holds
 * (want: a string, or NULL for null): a change made to the data outside
 * deploydesk, then built upon by deploydesk, shows here. */
static bool
before_is(struct fields *f, const char *key, const char *want)
{
	const struct json_value *jv =
	    f->has_before ? json_object_get(&f->b, key) : NULL;
	char got[128], had[128];

	if (jv && (want ? json_string_is(jv, want, strlen(want))
			: jv->kind == JSON_NULL))
		return true;
	json_shown(f->v, jv, got, sizeof got);
	if (want)
		quote(want, strlen(want), had, sizeof had);
	else
		snprintf(had, sizeof had, "null");
	return bad_record(f->v, f->r,
			  _("its 'before' says %s was %s, but the trail had "
			    "%s: the data was changed outside deploydesk "
			    "before this change"),
			  key, got, had);
}

/* The risk level and back-out plan the record's 'before' states (absent:
 * none) must be the replay's. */
static bool
before_risk(struct fields *f, const struct vtask *t)
{
	const struct json_value *plan =
	    f->has_before ? json_object_get(&f->b, "backout_plan") : NULL;
	struct strbuf *sb = &f->v->scratch[3];
	uint8_t got[DIGEST];

	if (t->risk != RISK_NONE ||
	    (f->has_before && json_object_get(&f->b, "risk")))
		if (!before_is(f, "risk", risk_code((enum risk)t->risk)))
			return false;
	if (!plan && !t->has_backout)
		return true;
	if (plan && t->has_backout && json_string_decode(plan, sb)) {
		digest_text(sb->buf ? sb->buf : "", sb->len, got);
		if (memcmp(got, t->backout, DIGEST) == 0)
			return true;
	}
	return bad_record(f->v, f->r,
			  _("its 'before' says another back-out plan than the "
			    "trail had: the data was changed outside "
			    "deploydesk before this change"));
}

static bool
before_bool(struct fields *f, const char *key, bool want)
{
	const struct json_value *jv =
	    f->has_before ? json_object_get(&f->b, key) : NULL;
	char got[128];

	if (jv && jv->kind == JSON_BOOL && jv->boolean == want)
		return true;
	json_shown(f->v, jv, got, sizeof got);
	return bad_record(f->v, f->r,
			  _("its 'before' says %s was %s, but the trail had "
			    "%s: the data was changed outside deploydesk "
			    "before this change"),
			  key, got, want ? "true" : "false");
}

/* A record that creates something has no 'before'. */
static bool
no_before(struct fields *f)
{
	if (!f->has_before)
		return true;
	return bad_record(f->v, f->r,
			  _("it has a 'before', but it creates what it is "
			    "about"));
}

/* The rules, as the operations apply them, allowed the record. */
static bool
allowed(struct fields *f, enum core_refusal why)
{
	if (why == REFUSAL_NONE)
		return true;
	return bad_record(f->v, f->r, _("the rules did not allow it: %s"),
			  core_refusal_text(why));
}

/* A person's standing in a project, as the trail has it so far (user and
 * project are indexes). */
static const struct core_standing *
standing(struct verify *v, uint32_t user, uint32_t project,
	 struct core_standing *out)
{
	uint32_t m = find_member(v, project, user);

	memset(out, 0, sizeof *out);
	out->is_admin = v->users[user].admin;
	if (m) {
		out->is_member = true;
		out->role = (enum role)v->members[m - 1].role;
		out->senior = v->members[m - 1].senior;
	}
	return out;
}

/* The login of a user index + 1, or NULL for 0. */
static const char *
login_of(struct verify *v, uint32_t user)
{
	return user ? v->users[user - 1].login : NULL;
}

static bool
add_user(struct fields *f, const char *login, size_t login_len)
{
	struct verify *v = f->v;
	const char *name;
	size_t name_len;
	bool admin;
	uint32_t *slot;
	size_t i;

	if (login_len != strlen(f->r->entity_id) ||
	    memcmp(login, f->r->entity_id, login_len) != 0 ||
	    memchr(login, '\0', login_len))
		return missing(f, "login");
	if (find_user(v, f->r->entity_id))
		return bad_record(v, f->r, _("it adds '%s' a second time"),
				  f->r->entity_id);
	if (!get_text(f, "full_name", 1, &name, &name_len) ||
	    !get_bool(f, "admin", false, &admin))
		return false;
	vindex_reserve(&v->user_ix, v, user_hash);
	i = push((void **)&v->users, &v->nusers, &v->capusers,
		 sizeof *v->users);
	v->users[i].login = xstrdup(f->r->entity_id);
	v->users[i].full_name = xstrndup(name, name_len);
	v->users[i].admin = admin;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &v->users[i].created);
	slot = vindex_slot(&v->user_ix, v, user_hash(v, (uint32_t)i),
			   f->r->entity_id, user_eq);
	*slot = (uint32_t)i + 1;
	v->user_ix.used++;
	return true;
}

static bool
replay_init(struct fields *f)
{
	const char *login;
	size_t len;
	bool shared;

	if (f->r->seq != 1 || f->v->init_seen)
		return bad_record(f->v, f->r,
				  _("only the first record may create the "
				    "database"));
	if (!no_before(f))
		return false;
	if (!get_text(f, "login", 2, &login, &len) ||
	    !add_user(f, login, len) ||
	    !get_bool(f, "sandbox", false, &f->v->sandbox) ||
	    !get_bool(f, "shared", true, &shared))
		return false;
	f->v->sandbox = f->v->sandbox && !shared;
	f->v->init_seen = true;
	return true;
}

/* The record's project, which must be in the trail already. */
static bool
record_project(struct fields *f, uint32_t *out)
{
	uint8_t id[16];

	*out = uuid_pack(f->r->project_id,
			 f->r->project_id ? strlen(f->r->project_id) : 0, id)
		   ? find_project(f->v, id)
		   : 0;
	if (!*out)
		return bad_record(f->v, f->r,
				  _("its project is not one the trail "
				    "created"));
	(*out)--;
	return true;
}

static bool
replay_project(struct fields *f)
{
	struct verify *v = f->v;
	const char *code, *name;
	size_t code_len, name_len;
	uint8_t id[16];
	uint32_t *slot, by;
	size_t i;

	if (!uuid_pack(f->r->entity_id, strlen(f->r->entity_id), id) ||
	    !f->r->project_id || strcmp(f->r->project_id, f->r->entity_id))
		return bad_record(v, f->r,
				  _("its project id is not a deploydesk id"));
	if (find_project(v, id))
		return bad_record(v, f->r,
				  _("it creates project %s a second time"),
				  f->r->entity_id);
	if (!no_before(f) || !actor(f, &by) ||
	    !allowed(f, v->users[by - 1].admin ? REFUSAL_NONE
					       : REFUSAL_PERMISSION) ||
	    !get_text(f, "code", 0, &code, &code_len) ||
	    !get_text(f, "name", 1, &name, &name_len))
		return false;
	vindex_reserve(&v->project_ix, v, project_hash);
	i = push((void **)&v->projects, &v->nprojects, &v->capprojects,
		 sizeof *v->projects);
	memcpy(v->projects[i].id, id, 16);
	v->projects[i].code = xstrndup(code, code_len);
	v->projects[i].name = xstrndup(name, name_len);
	time_iso_pack(f->r->ts, strlen(f->r->ts), &v->projects[i].created);
	for (int k = 0; k < STAGE_COUNT; k++)
		v->projects[i].stage_status[k] = STATUS_PLANNED;
	slot =
	    vindex_slot(&v->project_ix, v, hash_bytes(id, 16), id, project_eq);
	*slot = (uint32_t)i + 1;
	v->project_ix.used++;
	return true;
}

static bool
replay_member(struct fields *f)
{
	struct core_standing st;
	struct verify *v = f->v;
	uint32_t project, user, by, m;
	uint8_t role;
	bool senior;

	if (!record_project(f, &project) || !actor(f, &by) ||
	    !allowed(f, core_rule_manages(standing(v, by - 1, project, &st))
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION) ||
	    !get_user(f, "login", &user) ||
	    !get_code(f, "role", role_parse, &role) ||
	    !get_bool(f, "senior", false, &senior))
		return false;
	if (strcmp(v->users[user - 1].login, f->r->entity_id) != 0)
		return missing(f, "login");
	m = find_member(v, project, user - 1);
	if (m && !(before_is(f, "login", v->users[user - 1].login) &&
		   before_is(f, "role",
			     role_code((enum role)v->members[m - 1].role)) &&
		   before_bool(f, "senior", v->members[m - 1].senior)))
		return false;
	if (!m) {
		uint64_t k = member_key(project, user - 1);
		uint32_t *slot;

		if (!no_before(f))
			return false;
		vindex_reserve(&v->member_ix, v, member_hash);
		m = (uint32_t)push((void **)&v->members, &v->nmembers,
				   &v->capmembers, sizeof *v->members) +
		    1;
		v->members[m - 1].project = project;
		v->members[m - 1].user = user - 1;
		slot = vindex_slot(&v->member_ix, v, hash_bytes(&k, sizeof k),
				   &k, member_eq);
		*slot = m;
		v->member_ix.used++;
	}
	v->members[m - 1].role = role;
	v->members[m - 1].senior = senior;
	return true;
}

static bool
replay_stage(struct fields *f)
{
	struct core_standing st;
	struct verify *v = f->v;
	uint32_t project, by;
	uint8_t stage, status, *now;

	if (!record_project(f, &project) || !actor(f, &by) ||
	    !allowed(f, core_rule_manages(standing(v, by - 1, project, &st))
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION) ||
	    !get_code(f, "stage", stage_parse, &stage) ||
	    !get_code(f, "status", status_parse, &status))
		return false;
	now = &v->projects[project].stage_status[stage];
	if (status > STATUS_SUCCEEDED || status == *now)
		return missing(f, "status");
	if (!before_is(f, "stage", stage_code((enum stage_code)stage)) ||
	    !before_is(f, "status", status_code((enum task_status) * now)))
		return false;
	*now = status;
	return true;
}

/* A success's key: its project, environment and version. */
struct success_key {
	uint32_t project;
	uint8_t env;
	const char *version;
};

static uint64_t
success_key_hash(const struct success_key *k)
{
	uint64_t h = hash_bytes(k->version, strlen(k->version));

	return h ^ (uint64_t)k->project * 0x9e3779b97f4a7c15u ^ k->env;
}

static uint64_t
success_hash(const struct verify *v, uint32_t i)
{
	struct success_key k = {v->tasks[i].project, v->tasks[i].env,
				v->arena.buf + v->tasks[i].version};

	return success_key_hash(&k);
}

static bool
success_eq(const struct verify *v, uint32_t i, const void *key)
{
	const struct success_key *k = key;

	return v->tasks[i].project == k->project && v->tasks[i].env == k->env &&
	       strcmp(v->arena.buf + v->tasks[i].version, k->version) == 0;
}

/* Whether version succeeded in env of project, in the replay so far. */
static bool
succeeded(const struct verify *v, uint32_t project, uint8_t env,
	  const char *version)
{
	struct success_key k = {project, env, version};

	return v->success_ix.cap &&
	       *vindex_slot(&v->success_ix, v, success_key_hash(&k), &k,
			    success_eq);
}

static void
success_add(struct verify *v, const struct vtask *t)
{
	struct success_key k = {t->project, t->env, v->arena.buf + t->version};
	uint32_t *slot;

	vindex_reserve(&v->success_ix, v, success_hash);
	slot = vindex_slot(&v->success_ix, v, success_key_hash(&k), &k,
			   success_eq);
	if (!*slot) {
		*slot = (uint32_t)(t - v->tasks) + 1;
		v->success_ix.used++;
	}
}

/* A task's new status, keeping the project's counts of deployments. */
static void
set_status(struct verify *v, struct vtask *t, uint8_t status)
{
	if (t->type == TASK_DEPLOYMENT) {
		v->projects[t->project].counts[t->status]--;
		v->projects[t->project].counts[status]++;
		v->projects[t->project].running[t->env] +=
		    (status == STATUS_IN_PROGRESS) -
		    (t->status == STATUS_IN_PROGRESS);
		if (status == STATUS_SUCCEEDED)
			success_add(v, t);
	}
	t->status = status;
}

/* The active block of version in project (an index), or NULL. */
static struct vblock *
vblock_of(struct verify *v, uint32_t project, const char *version)
{
	for (size_t i = 0; i < v->nblocks; i++)
		if (v->blocks[i].active && v->blocks[i].project == project &&
		    strcmp(v->blocks[i].version, version) == 0)
			return &v->blocks[i];
	return NULL;
}

/* A new task of the record's project. */
static bool
new_task(struct fields *f, enum task_type type, struct vtask **out)
{
	struct verify *v = f->v;
	uint8_t id[16];
	uint32_t project, by, *slot;
	size_t i;

	if (!uuid_pack(f->r->entity_id, strlen(f->r->entity_id), id))
		return bad_record(v, f->r, _("its id is not a deploydesk id"));
	if (find_task(v, id))
		return bad_record(v, f->r,
				  _("it creates task %s a second time"),
				  f->r->entity_id);
	if (!record_project(f, &project) || !actor(f, &by))
		return false;
	vindex_reserve(&v->task_ix, v, task_hash);
	i = push((void **)&v->tasks, &v->ntasks, &v->captasks,
		 sizeof *v->tasks);
	*out = &v->tasks[i];
	memcpy((*out)->id, id, 16);
	(*out)->type = (uint8_t)type;
	(*out)->project = project;
	(*out)->created_by = by;
	(*out)->row_version = 1;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &(*out)->created);
	slot = vindex_slot(&v->task_ix, v, hash_bytes(id, 16), id, task_eq);
	*slot = (uint32_t)i + 1;
	v->task_ix.used++;
	return true;
}

/* The task a record changes, of the given type and of the record's
 * project. */
static bool
old_task(struct fields *f, enum task_type type, struct vtask **out)
{
	struct verify *v = f->v;
	uint8_t id[16];
	uint32_t t, project;

	t = uuid_pack(f->r->entity_id, strlen(f->r->entity_id), id)
		? find_task(v, id)
		: 0;
	if (!t || v->tasks[t - 1].type != type)
		return bad_record(v, f->r,
				  type == TASK_DEPLOYMENT
				      ? _("it changes a deployment the trail "
					  "never created")
				      : _("it changes an incident the trail "
					  "never created"));
	if (!record_project(f, &project))
		return false;
	if (project != v->tasks[t - 1].project)
		return bad_record(v, f->r,
				  _("its project is not the one of its "
				    "task"));
	*out = &v->tasks[t - 1];
	(*out)->row_version++;
	return true;
}

/* The value of a key of a project's policy in force, as
 * core_policy_value reads it. */
static int64_t
vpolicy(const struct verify *v, uint32_t project, uint8_t env,
	enum policy_key k)
{
	const struct core_policy_key *info = core_policy_key_info(k);
	const struct vproject *p = &v->projects[project];
	int64_t x;

	if (!p->policy_set[env][k])
		return info->fallback;
	x = p->policy[env][k];
	return x < info->min ? info->min : x > info->max ? info->max : x;
}

/* Policy plan-required, as core_plan_missing: t lacks a risk level or a
 * back-out plan its environment asks for. */
static bool
vplan_missing(const struct verify *v, const struct vtask *t)
{
	return vpolicy(v, t->project, t->env, POLICY_PLAN_REQUIRED) &&
	       (t->risk == RISK_NONE || !t->has_backout);
}

/* A plan's risk level and back-out plan as the record states them (both
 * optional: absent, none), into t. */
static bool
get_risk(struct fields *f, struct vtask *t)
{
	const char *plan;
	size_t len;

	t->risk = RISK_NONE;
	t->has_backout = false;
	if (json_object_get(&f->o, "risk") &&
	    !get_code(f, "risk", risk_parse, &t->risk))
		return false;
	if (t->risk == RISK_NONE && json_object_get(&f->o, "risk"))
		return missing(f, "risk");
	if (json_object_get(&f->o, "backout_plan")) {
		if (!get_text(f, "backout_plan", 3, &plan, &len) || !len)
			return missing(f, "backout_plan");
		digest_text(plan, len, t->backout);
		t->has_backout = true;
	}
	return true;
}

/* The incident a new deployment states it fixes: one of its project. */
static bool
replay_fixes(struct fields *f, struct vtask *t)
{
	struct verify *v = f->v;
	const char *ref;
	size_t len;
	uint8_t id[16];
	uint32_t i;

	if (!get_text(f, "fixes", 0, &ref, &len))
		return false;
	i = uuid_pack(ref, len, id) ? find_task(v, id) : 0;
	if (!i || v->tasks[i - 1].type != TASK_INCIDENT ||
	    v->tasks[i - 1].project != t->project)
		return missing(f, "fixes");
	t->fixes = i;
	return true;
}

/* A rollback: of a deployment of the same project and environment, whose
 * version is the one that succeeded there last, by the time of execution,
 * when that deployment was executed (not executed yet: at the record's
 * time), described as deploy rollback describes it. */
static bool
replay_rollback(struct fields *f, struct vtask *t, const char *desc,
		size_t desc_len)
{
	struct verify *v = f->v;
	const struct vtask *d, *best = NULL;
	struct strbuf *want = &v->scratch[3];
	const char *ref;
	size_t len;
	uint8_t id[16];
	uint32_t i;

	if (!get_text(f, "rollback_of", 1, &ref, &len))
		return false;
	i = uuid_pack(ref, len, id) ? find_task(v, id) : 0;
	if (!i || v->tasks[i - 1].type != TASK_DEPLOYMENT ||
	    v->tasks[i - 1].project != t->project ||
	    v->tasks[i - 1].env != t->env)
		return missing(f, "rollback_of");
	d = &v->tasks[i - 1];
	for (size_t k = 0; k < v->ntasks; k++) {
		const struct vtask *c = &v->tasks[k];

		/* One rollback of a deployment at a time. */
		if (c->rollback_of == i && (c->status == STATUS_PLANNED ||
					    c->status == STATUS_IN_PROGRESS))
			return bad_record(
			    v, f->r,
			    _("a rollback of the same deployment "
			      "was still planned or in progress"));
		if (c->type != TASK_DEPLOYMENT || c->project != d->project ||
		    c->env != d->env || c->status != STATUS_SUCCEEDED ||
		    !c->executed)
			continue;
		if (c == d || c->executed_at >
				  (d->executed ? d->executed_at : t->created))
			continue;
		if (!best || c->executed_at > best->executed_at ||
		    (c->executed_at == best->executed_at &&
		     memcmp(c->id, best->id, 16) > 0))
			best = c;
	}
	if (!best ||
	    strcmp(v->arena.buf + best->version, v->arena.buf + t->version))
		return bad_record(v, f->r,
				  _("its version is not the last that "
				    "succeeded before the deployment it rolls "
				    "back"));
	strbuf_reset(want);
	strbuf_addf(want, "Rollback of %s", v->arena.buf + d->version);
	if (desc_len != want->len || memcmp(desc, want->buf, desc_len))
		return missing(f, "description");
	t->rollback_of = i;
	return true;
}

static bool
replay_create(struct fields *f)
{
	struct core_standing st;
	struct verify *v = f->v;
	struct vtask *t;
	const char *version, *desc;
	size_t version_len, desc_len;
	uint8_t env, status;

	if (!no_before(f) || !new_task(f, TASK_DEPLOYMENT, &t) ||
	    !allowed(f, core_rule_create(
			    standing(v, t->created_by - 1, t->project, &st),
			    (enum task_status)v->projects[t->project]
				.stage_status[STAGE_TESTS])))
		return false;
	t->priority = PRIORITY_NORMAL;
	if (!get_text(f, "version", 1, &version, &version_len) ||
	    !get_text(f, "description", 2, &desc, &desc_len) ||
	    !get_code(f, "environment", env_parse, &env) ||
	    !get_user(f, "responsible", &t->responsible) ||
	    !get_time(f, "planned_at", &t->planned) ||
	    !get_code(f, "status", status_parse, &status))
		return false;
	if (status != STATUS_PLANNED)
		return missing(f, "status");
	if (memchr(version, '\0', version_len) || v->arena.len > UINT32_MAX)
		return missing(f, "version");
	if (vblock_of(v, t->project, version))
		return allowed(f, REFUSAL_BLOCKED);
	t->env = env;
	t->version = (uint32_t)v->arena.len;
	strbuf_add(&v->arena, version, version_len);
	strbuf_addch(&v->arena, '\0');
	digest_text(desc, desc_len, t->text);
	if (!get_risk(f, t))
		return false;
	if (vplan_missing(v, t))
		return allowed(f, REFUSAL_NO_PLAN);
	t->status = status;
	v->projects[t->project].counts[status]++;
	if (json_object_get(&f->o, "fixes") && !replay_fixes(f, t))
		return false;
	return json_object_get(&f->o, "rollback_of")
		   ? replay_rollback(f, t, desc, desc_len)
		   : true;
}

/* Reads "<key>_by" and "<key>_at" into a person and a time. */
static bool
get_by_at(struct fields *f, const char *by_key, const char *at_key,
	  uint32_t *by, int64_t *at)
{
	return get_user(f, by_key, by) && get_time(f, at_key, at);
}

/* An execution's logs as the trail records them: size and digest. */
static bool
get_logs(struct fields *f, struct vtask *t)
{
	const struct json_value *bytes = json_object_get(&f->o, "logs_bytes");
	const char *hex;
	size_t hex_len;

	if (!bytes || bytes->kind != JSON_INT || bytes->integer < 0 ||
	    bytes->integer > (int64_t)UINT32_MAX)
		return missing(f, "logs_bytes");
	if (!get_text(f, "logs_sha256", 1, &hex, &hex_len))
		return false;
	if (hex_len != 64 || strspn(hex, "0123456789abcdef") < 64)
		return missing(f, "logs_sha256");
	for (int i = 0; i < DIGEST; i++) {
		int hi = hex[2 * i] <= '9' ? hex[2 * i] - '0'
					   : hex[2 * i] - 'a' + 10;
		int lo = hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0'
					       : hex[2 * i + 1] - 'a' + 10;

		t->logs[i] = (uint8_t)(hi << 4 | lo);
	}
	t->logs_len = (uint32_t)bytes->integer;
	t->executed = true;
	return true;
}

/* ------------------------------------------------------------ approvals */

/* The approval by user (index + 1) of t, or NULL. */
static struct vapproval *
vapproval_of(struct verify *v, const struct vtask *t, uint32_t user)
{
	for (uint32_t a = t->approvals; a; a = v->approvals[a - 1].next)
		if (v->approvals[a - 1].user == user)
			return &v->approvals[a - 1];
	return NULL;
}

static bool
vapproval_stands(const struct vapproval *a, int64_t now)
{
	return !a->expires || a->expires > now;
}

/* What the approval rules look at, for by (user index + 1) at now. */
static void
approval_facts(struct verify *v, const struct vtask *t, uint32_t by,
	       int64_t now, struct core_approval_facts *f)
{
	memset(f, 0, sizeof *f);
	for (uint32_t i = t->approvals; i; i = v->approvals[i - 1].next) {
		const struct vapproval *a = &v->approvals[i - 1];

		f->standing += vapproval_stands(a, now);
		if (a->user == by) {
			f->mine = true;
			f->mine_standing = vapproval_stands(a, now);
		}
	}
	f->required = (int)vpolicy(v, t->project, t->env, POLICY_APPROVALS);
	if (t->risk == RISK_HIGH)
		f->required += (int)vpolicy(v, t->project, t->env,
					    POLICY_HIGH_RISK_APPROVALS);
	f->unplanned = vplan_missing(v, t);
	f->creator = t->created_by == by;
	f->creator_approves =
	    vpolicy(v, t->project, t->env, POLICY_CREATOR_APPROVES) != 0;
	f->approver_executes =
	    vpolicy(v, t->project, t->env, POLICY_APPROVER_EXECUTES) != 0;
}

/* user's approval of t at at, until expires, replacing theirs. */
static void
vapproval_put(struct verify *v, struct vtask *t, uint32_t user, int64_t at,
	      int64_t expires)
{
	struct vapproval *a = vapproval_of(v, t, user);
	size_t i;

	if (!a) {
		i = push((void **)&v->approvals, &v->napprovals,
			 &v->capapprovals, sizeof *v->approvals);
		a = &v->approvals[i];
		a->user = user;
		a->next = t->approvals;
		t->approvals = (uint32_t)i + 1;
	}
	a->at = at;
	a->expires = expires;
}

static void
vapproval_remove(struct verify *v, struct vtask *t, uint32_t user)
{
	uint32_t *link = &t->approvals;

	while (*link) {
		struct vapproval *a = &v->approvals[*link - 1];

		if (a->user == user) {
			*link = a->next;
			return;
		}
		link = &a->next;
	}
}

/* A person named by login, or null (0). */
static bool
get_user_or_null(struct fields *f, const char *key, uint32_t *out)
{
	const struct json_value *jv = json_object_get(&f->o, key);

	*out = 0;
	return jv && jv->kind == JSON_NULL ? true : get_user(f, key, out);
}

/* A time, or null (0). */
static bool
get_time_or_null(struct fields *f, const char *key, int64_t *out)
{
	const struct json_value *jv = json_object_get(&f->o, key);

	*out = 0;
	return jv && jv->kind == JSON_NULL ? true : get_time(f, key, out);
}

/* The packed time hours after packed (0 when hours is 0). */
static int64_t
packed_after(int64_t packed, int64_t hours)
{
	char iso[TIME_ISO_SIZE];
	time_t t;
	int64_t out = 0;

	if (hours <= 0)
		return 0;
	time_iso_unpack(packed, iso);
	if (!time_parse_iso(iso, &t))
		return 0;
	time_iso_utc(t + (time_t)hours * 3600, iso);
	time_iso_pack(iso, strlen(iso), &out);
	return out;
}

/* -------------------------------------------------------------- freezes */

static struct vfreeze *
vfreeze_of(struct verify *v, int64_t id)
{
	for (size_t i = 0; i < v->nfreezes; i++)
		if (v->freezes[i].id == id && !v->freezes[i].removed)
			return &v->freezes[i];
	return NULL;
}

/* Whether a freeze of t's project and environment was on at now. */
static bool
vfrozen(struct verify *v, const struct vtask *t, int64_t now)
{
	char iso[TIME_ISO_SIZE];
	time_t when;
	int m = -1;

	for (size_t i = 0; i < v->nfreezes; i++) {
		const struct vfreeze *z = &v->freezes[i];

		if (z->removed ||
		    (z->project && z->project != t->project + 1) ||
		    (z->env >= 0 && z->env != t->env))
			continue;
		if (!z->weekly) {
			if (now >= z->from && now < z->to)
				return true;
			continue;
		}
		if (m < 0) {
			time_iso_unpack(now, iso);
			m = time_parse_iso(iso, &when) ? core_week_minute(when)
						       : 0;
		}
		if (z->wfrom < z->wto ? m >= z->wfrom && m < z->wto
				      : m >= z->wfrom || m < z->wto)
			return true;
	}
	return false;
}

/* The freeze's id, from the record's entity. */
static bool
freeze_id(struct fields *f, int64_t *id)
{
	char *end;
	long long n = strtoll(f->r->entity_id, &end, 10);

	if (*end || n <= 0 || end == f->r->entity_id)
		return bad_record(f->v, f->r,
				  _("its freeze id is not a number"));
	*id = n;
	return true;
}

/* Who may add or remove a freeze of the record's project (none: every
 * project), as the core decides. */
static bool
freeze_allowed(struct fields *f, uint32_t by, uint32_t *project)
{
	struct core_standing st;

	*project = 0;
	if (f->r->project_id) {
		if (!record_project(f, project))
			return false;
		standing(f->v, by - 1, *project, &st);
		(*project)++;
	} else {
		memset(&st, 0, sizeof st);
		st.is_admin = f->v->users[by - 1].admin;
	}
	return allowed(f, core_rule_freeze(&st, *project != 0)
			      ? REFUSAL_NONE
			      : REFUSAL_PERMISSION);
}

static bool
replay_freeze_add(struct fields *f)
{
	struct verify *v = f->v;
	const struct json_value *jv;
	struct vfreeze *z;
	const char *s;
	size_t len;
	uint32_t by, project;
	int64_t id;
	uint8_t env = 0;
	size_t i;

	if (!no_before(f) || !actor(f, &by) || !freeze_id(f, &id) ||
	    !freeze_allowed(f, by, &project))
		return false;
	for (i = 0; i < v->nfreezes; i++)
		if (v->freezes[i].id == id)
			return bad_record(
			    v, f->r, _("it adds freeze %lld a second time"),
			    (long long)id);
	jv = json_object_get(&f->o, "environment");
	if (!jv || (jv->kind != JSON_NULL &&
		    !get_code(f, "environment", env_parse, &env)))
		return jv ? false : missing(f, "environment");
	i = push((void **)&v->freezes, &v->nfreezes, &v->capfreezes,
		 sizeof *v->freezes);
	z = &v->freezes[i];
	z->id = id;
	z->project = project;
	z->env = jv->kind == JSON_NULL ? -1 : env;
	z->created_by = by;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &z->created);
	jv = json_object_get(&f->o, "weekly");
	if (jv && jv->kind == JSON_STRING) {
		char text[64];

		if (!get_text(f, "weekly", 1, &s, &len) || len >= sizeof text)
			return missing(f, "weekly");
		memcpy(text, s, len);
		text[len] = '\0';
		if (!core_weekly_parse(text, &z->wfrom, &z->wto))
			return missing(f, "weekly");
		z->weekly = true;
	} else if (!get_time(f, "from", &z->from) ||
		   !get_time(f, "to", &z->to)) {
		return false;
	} else if (z->to <= z->from) {
		return missing(f, "to");
	}
	if (!get_text(f, "reason", 1, &s, &len))
		return false;
	if (len == 0)
		return missing(f, "reason");
	digest_text(s, len, z->reason);
	return true;
}

static bool
replay_freeze_remove(struct fields *f)
{
	struct vfreeze *z;
	uint32_t by, project;
	int64_t id;

	if (!actor(f, &by) || !freeze_id(f, &id))
		return false;
	z = vfreeze_of(f->v, id);
	if (!z)
		return bad_record(f->v, f->r,
				  _("it removes a freeze the trail does not "
				    "have"));
	if (!freeze_allowed(f, by, &project))
		return false;
	if (project != z->project)
		return bad_record(f->v, f->r,
				  _("its project is not the freeze's"));
	z->removed = true;
	return true;
}

/* The deployment a step changes, who wrote it, and the state before as
 * the replay holds it (status and authorization). */
static bool
deploy_step_of(struct fields *f, struct vtask **t, uint32_t *by)
{
	return old_task(f, TASK_DEPLOYMENT, t) && actor(f, by) &&
	       before_is(f, "status",
			 status_code((enum task_status)(*t)->status)) &&
	       before_is(f, "authorized_by",
			 login_of(f->v, (*t)->authorized_by));
}

/* A version blocked or unblocked: by an admin or the project's manager. */
static bool
replay_block(struct fields *f, bool block)
{
	struct verify *v = f->v;
	struct core_standing st;
	struct vblock *b;
	const char *reason;
	size_t len, i;
	uint32_t project, by;

	if (!actor(f, &by) || !record_project(f, &project) ||
	    !allowed(f, core_rule_manages(standing(v, by - 1, project, &st))
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION))
		return false;
	b = vblock_of(v, project, f->r->entity_id);
	if (!block) {
		if (!b || !before_is(f, "version", f->r->entity_id))
			return b ? false
				 : bad_record(v, f->r,
					      _("it unblocks a version the "
						"trail did not block"));
		b->active = false;
		return true;
	}
	if (b)
		return bad_record(v, f->r,
				  _("it blocks a version already blocked"));
	if (!no_before(f) || !get_text(f, "reason", 1, &reason, &len))
		return false;
	if (len == 0)
		return missing(f, "reason");
	i = push((void **)&v->blocks, &v->nblocks, &v->capblocks,
		 sizeof *v->blocks);
	b = &v->blocks[i];
	b->project = project;
	b->version = xstrdup(f->r->entity_id);
	digest_text(reason, len, b->reason);
	b->by = by;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &b->at);
	b->active = true;
	return true;
}

static struct vexception *
vexception_of(struct verify *v, int64_t id)
{
	for (size_t i = 0; i < v->nexceptions; i++)
		if (v->exceptions[i].id == id)
			return &v->exceptions[i];
	return NULL;
}

/* The rule of a step as the operations apply it: without an override,
 * the rules; with one (its record says so), an admin's, passing the
 * policy's rules it names, which were the ones refusing, and opening the
 * exception the record names. */
static bool
step_allowed(struct fields *f, struct vtask *t, uint32_t by,
	     enum core_deploy_step step, struct core_approval_facts fa,
	     enum core_audit_action action, unsigned *passed)
{
	struct verify *v = f->v;
	struct core_standing st;
	const struct json_value *jv;
	struct vexception *e;
	const char *s;
	size_t len;
	size_t i;

	standing(v, by - 1, t->project, &st);
	*passed = 0;
	if (!json_object_get(&f->o, "override"))
		return allowed(f, core_rule_deploy(&st, step,
						   (enum task_status)t->status,
						   t->authorized_by != 0, &fa));
	if (!allowed(
		f, core_rule_overriding(&st, step, (enum task_status)t->status,
					t->authorized_by != 0, fa, passed)))
		return false;
	if (!*passed)
		return bad_record(v, f->r,
				  _("its override passed no rule: the rules "
				    "allowed it"));
	if (!get_text(f, "overridden", 1, &s, &len))
		return false;
	if (memchr(s, '\0', len) || core_rules_parse(s) != *passed)
		return missing(f, "overridden");
	jv = json_object_get(&f->o, "exception");
	if (!jv || jv->kind != JSON_INT || jv->integer <= 0 ||
	    vexception_of(v, jv->integer))
		return missing(f, "exception");
	if (!get_text(f, "override", 1, &s, &len))
		return false;
	if (len == 0)
		return missing(f, "override");
	i = push((void **)&v->exceptions, &v->nexceptions, &v->capexceptions,
		 sizeof *v->exceptions);
	e = &v->exceptions[i];
	e->id = jv->integer;
	e->task = (uint32_t)(t - v->tasks) + 1;
	e->action = (uint8_t)action;
	e->rules = *passed;
	digest_text(s, len, e->reason);
	e->opened_by = by;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &e->opened_at);
	return true;
}

/* A review of an exception: by someone other than the admin who
 * overrode, who may authorize in its project, with a note. */
static bool
replay_exception_review(struct fields *f)
{
	struct verify *v = f->v;
	struct core_standing st;
	struct vexception *e;
	const char *note;
	size_t len;
	uint32_t by, who;
	int64_t id, at;
	char *end;

	id = strtoll(f->r->entity_id, &end, 10);
	e = *end ? NULL : vexception_of(v, id);
	if (!e)
		return bad_record(v, f->r,
				  _("it reviews an exception the trail does "
				    "not have"));
	if (e->reviewed_by)
		return bad_record(v, f->r,
				  _("it reviews an exception a second time"));
	if (!actor(f, &by) || !before_is(f, "reviewed_by", NULL))
		return false;
	standing(v, by - 1, v->tasks[e->task - 1].project, &st);
	if (!allowed(f, core_rule_review(&st, by == e->opened_by)
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION) ||
	    !get_by_at(f, "reviewed_by", "reviewed_at", &who, &at) ||
	    !get_text(f, "note", 1, &note, &len))
		return false;
	if (who != by)
		return bad_record(v, f->r,
				  _("its '%s' is not the person who wrote "
				    "it"),
				  "reviewed_by");
	if (len == 0)
		return missing(f, "note");
	e->reviewed_by = by;
	e->reviewed_at = at;
	digest_text(note, len, e->note);
	return true;
}

/* An approval: by someone the rules let, now; it authorizes the
 * deployment when it makes the count the policy asks for. Records written
 * before approvals (no 'approved_by') are the authorization itself. */
static bool
replay_authorize(struct fields *f)
{
	struct verify *v = f->v;
	struct core_approval_facts fa;
	const struct json_value *jv;
	struct vtask *t;
	uint32_t by, who, approver;
	int64_t now = 0, at, approved_at, expires = 0;
	uint8_t status;
	unsigned passed;
	bool complete;

	if (!deploy_step_of(f, &t, &by))
		return false;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &now);
	approval_facts(v, t, by, now, &fa);
	fa.blocked = vblock_of(v, t->project, v->arena.buf + t->version);
	if (!step_allowed(f, t, by, STEP_AUTHORIZE, fa, AUDIT_DEPLOY_AUTHORIZE,
			  &passed) ||
	    !get_code(f, "status", status_parse, &status))
		return false;
	if (status != t->status)
		return missing(f, "status");
	complete = fa.standing + 1 >= fa.required;
	if (json_object_get(&f->o, "approved_by")) {
		if (!get_user(f, "approved_by", &approver) ||
		    !get_time(f, "approved_at", &approved_at) ||
		    !get_time_or_null(f, "expires_at", &expires) ||
		    !get_user_or_null(f, "authorized_by", &who) ||
		    !get_time_or_null(f, "authorized_at", &at))
			return false;
		if (approver != by)
			return bad_record(v, f->r,
					  _("its '%s' is not the person who "
					    "wrote it"),
					  "approved_by");
		if (expires !=
		    packed_after(approved_at, vpolicy(v, t->project, t->env,
						      POLICY_APPROVAL_HOURS)))
			return missing(f, "expires_at");
		if (who != (complete ? by : t->authorized_by))
			return missing(f, "authorized_by");
		if (at != (complete ? approved_at : t->authorized_at))
			return missing(f, "authorized_at");
		jv = json_object_get(&f->o, "approvals");
		if (!jv || jv->kind != JSON_INT ||
		    jv->integer != fa.standing + 1)
			return missing(f, "approvals");
		jv = json_object_get(&f->o, "required");
		if (!jv || jv->kind != JSON_INT || jv->integer != fa.required)
			return missing(f, "required");
	} else {
		if (!get_by_at(f, "authorized_by", "authorized_at", &who,
			       &approved_at))
			return false;
		if (who != by)
			return bad_record(v, f->r,
					  _("its '%s' is not the person who "
					    "wrote it"),
					  "authorized_by");
		if (!complete)
			return missing(f, "approved_by");
	}
	vapproval_put(v, t, by, approved_at, expires);
	if (complete) {
		t->authorized_by = by;
		t->authorized_at = approved_at;
	}
	return true;
}

/* A withdrawn approval: one that stands in the replay, by its giver or
 * someone the rules let, for a reason; below the count the policy asks
 * for, the authorization goes. */
static bool
replay_revoke(struct fields *f)
{
	struct verify *v = f->v;
	struct core_standing st;
	struct core_approval_facts fa;
	const struct json_value *jv =
	    f->has_before ? json_object_get(&f->b, "approver") : NULL;
	struct strbuf *sb = &v->scratch[2];
	struct vapproval *a;
	struct vtask *t;
	const char *reason;
	char when[TIME_ISO_SIZE];
	size_t reason_len;
	uint32_t by, approver = 0, who;
	int64_t now = 0;
	bool below;

	if (!deploy_step_of(f, &t, &by))
		return false;
	if (jv && jv->kind == JSON_STRING && json_string_decode(jv, sb))
		approver = find_user(v, strbuf_str(sb));
	a = approver ? vapproval_of(v, t, approver) : NULL;
	if (!a)
		return bad_record(v, f->r,
				  _("it withdraws an approval the trail does "
				    "not have"));
	time_iso_unpack(a->at, when);
	if (!before_is(f, "approved_at", when) ||
	    !allowed(f, core_rule_revoke(standing(v, by - 1, t->project, &st),
					 approver == by,
					 (enum task_status)t->status)) ||
	    !get_user_or_null(f, "authorized_by", &who) ||
	    !get_text(f, "reason", 1, &reason, &reason_len))
		return false;
	if (reason_len == 0)
		return missing(f, "reason");
	time_iso_pack(f->r->ts, strlen(f->r->ts), &now);
	approval_facts(v, t, by, now, &fa);
	below = fa.standing - vapproval_stands(a, now) < fa.required;
	if (who != (below ? 0 : t->authorized_by))
		return missing(f, "authorized_by");
	vapproval_remove(v, t, approver);
	if (below) {
		t->authorized_by = 0;
		t->authorized_at = 0;
	}
	return true;
}

/* A policy's value set: by an admin, from the value the replay holds, to
 * one its key takes. */
static bool
replay_policy(struct fields *f)
{
	struct verify *v = f->v;
	const struct core_policy_key *info;
	const struct json_value *jv;
	const char *key_text;
	char key_code[40];
	size_t key_len;
	uint32_t project, by;
	uint8_t env;
	int key;
	int64_t value, old;

	if (!record_project(f, &project) || !actor(f, &by))
		return false;
	if (strcmp(f->r->entity_id, f->r->project_id) != 0)
		return bad_record(v, f->r, _("its entity is not its project"));
	if (!allowed(f, v->users[by - 1].admin ? REFUSAL_NONE
					       : REFUSAL_PERMISSION) ||
	    !get_code(f, "environment", env_parse, &env) ||
	    !get_text(f, "key", 1, &key_text, &key_len))
		return false;
	key = key_len < sizeof key_code
		  ? (memcpy(key_code, key_text, key_len),
		     key_code[key_len] = '\0', policy_key_parse(key_code))
		  : -1;
	if (key < 0)
		return missing(f, "key");
	info = core_policy_key_info((enum policy_key)key);
	if (!before_is(f, "environment", env_code((enum environment)env)) ||
	    !before_is(f, "key", info->code))
		return false;
	old = vpolicy(v, project, env, (enum policy_key)key);
	if (info->yes_no) {
		if (!before_bool(f, "value", old != 0) ||
		    !get_bool(f, "value", false, &(bool){0}))
			return false;
		value = json_object_get(&f->o, "value")->boolean;
	} else {
		const struct json_value *bv =
		    f->has_before ? json_object_get(&f->b, "value") : NULL;

		if (!bv || bv->kind != JSON_INT || bv->integer != old)
			return bad_record(
			    v, f->r,
			    _("its 'before' says %s was not %lld, "
			      "the value the trail had: the data "
			      "was changed outside deploydesk "
			      "before this change"),
			    "value", (long long)old);
		jv = json_object_get(&f->o, "value");
		if (!jv || jv->kind != JSON_INT || jv->integer < info->min ||
		    jv->integer > info->max)
			return missing(f, "value");
		value = jv->integer;
	}
	v->projects[project].policy[env][key] = value;
	v->projects[project].policy_set[env][key] = true;
	return true;
}

static bool
replay_transition(struct fields *f, enum core_audit_action action)
{
	static const struct {
		enum core_deploy_step step;
		const char *by, *at;
		int status; /* the status it leads to, -1: the same */
	} steps[] = {
	    [AUDIT_DEPLOY_AUTHORIZE] = {STEP_AUTHORIZE, "authorized_by",
					"authorized_at", -1},
	    [AUDIT_DEPLOY_START] = {STEP_START, "started_by", "started_at",
				    STATUS_IN_PROGRESS},
	    [AUDIT_DEPLOY_SUCCEED] = {STEP_FINISH, "executed_by", "executed_at",
				      STATUS_SUCCEEDED},
	    [AUDIT_DEPLOY_FAIL] = {STEP_FINISH, "executed_by", "executed_at",
				   STATUS_FAILED},
	};
	struct core_approval_facts fa;
	struct vtask *t;
	uint32_t by, who;
	int64_t at, now = 0;
	uint8_t status;
	unsigned passed;

	if (!deploy_step_of(f, &t, &by))
		return false;
	time_iso_pack(f->r->ts, strlen(f->r->ts), &now);
	approval_facts(f->v, t, by, now, &fa);
	fa.frozen = vfrozen(f->v, t, now);
	fa.blocked = vblock_of(f->v, t->project, f->v->arena.buf + t->version);
	if (t->status == STATUS_PLANNED) {
		struct verify *v = f->v;

		fa.unpromoted =
		    t->env > ENV_DEV &&
		    vpolicy(v, t->project, t->env, POLICY_PROMOTION) &&
		    !succeeded(v, t->project, (uint8_t)(t->env - 1),
			       v->arena.buf + t->version);
		fa.busy =
		    vpolicy(v, t->project, t->env, POLICY_ONE_AT_A_TIME) &&
		    v->projects[t->project].running[t->env] > 0;
	}
	if (!step_allowed(f, t, by, steps[action].step, fa, action, &passed) ||
	    !get_code(f, "status", status_parse, &status) ||
	    !get_by_at(f, steps[action].by, steps[action].at, &who, &at))
		return false;
	/* An override of too few approvals authorized it, if nothing had. */
	if ((passed & CORE_RULE_APPROVALS) && !t->authorized_by) {
		uint32_t auth_by;
		int64_t auth_at;

		if (!get_by_at(f, "authorized_by", "authorized_at", &auth_by,
			       &auth_at))
			return false;
		if (auth_by != by || auth_at != at)
			return missing(f, "authorized_by");
		t->authorized_by = by;
		t->authorized_at = at;
		t->row_version++; /* its own write, before the step's */
	}
	if (status !=
	    (steps[action].status < 0 ? t->status : steps[action].status))
		return missing(f, "status");
	if (who != by)
		return bad_record(f->v, f->r,
				  _("its '%s' is not the person who wrote "
				    "it"),
				  steps[action].by);
	switch (action) {
	case AUDIT_DEPLOY_AUTHORIZE:
		t->authorized_by = who;
		t->authorized_at = at;
		break;
	case AUDIT_DEPLOY_START:
		t->started_by = who;
		t->started_at = at;
		break;
	default:
		t->executed_by = who;
		t->executed_at = at;
		if (!get_logs(f, t))
			return false;
		break;
	}
	set_status(f->v, t, status);
	if (action == AUDIT_DEPLOY_FAIL)
		f->v->pending_failure = (uint32_t)(t - f->v->tasks) + 1;
	return true;
}

static bool
replay_incident(struct fields *f)
{
	struct verify *v = f->v;
	struct vtask *t;
	const struct vtask *dep;
	const char *name, *type, *source;
	size_t name_len, type_len, source_len;
	uint8_t status, priority, id[16];
	uint32_t src;
	struct strbuf *want = &v->scratch[3];

	if (!no_before(f) || !new_task(f, TASK_INCIDENT, &t) ||
	    !get_text(f, "name", 1, &name, &name_len) ||
	    !get_text(f, "type", 2, &type, &type_len) ||
	    !get_code(f, "status", status_parse, &status) ||
	    !get_code(f, "priority", priority_parse, &priority) ||
	    !get_user(f, "responsible", &t->responsible) ||
	    !get_text(f, "deployment", 0, &source, &source_len))
		return false;
	if (type_len != strlen("INCIDENT") || memcmp(type, "INCIDENT", 8) != 0)
		return missing(f, "type");
	src = uuid_pack(source, source_len, id) ? find_task(v, id) : 0;
	/* Spec rule 4: the failure just written opens it, in its project,
	 * for its responsible person, to do, high priority, named after its
	 * version. */
	if (!src || src != v->pending_failure)
		return bad_record(v, f->r,
				  _("it does not follow the failure of its "
				    "deployment"));
	dep = &v->tasks[src - 1];
	strbuf_reset(want);
	strbuf_addf(want, "INCIDENT - Échec déploiement %s",
		    v->arena.buf + dep->version);
	if (name_len != want->len || memcmp(name, want->buf, name_len) != 0)
		return missing(f, "name");
	if (status != STATUS_PLANNED)
		return missing(f, "status");
	if (priority != PRIORITY_HIGH)
		return missing(f, "priority");
	if (t->responsible != dep->responsible)
		return missing(f, "responsible");
	digest_text(name, name_len, t->text);
	t->status = status;
	t->priority = priority;
	t->source = src;
	v->pending_failure = 0;
	return true;
}

static bool
replay_incident_set(struct fields *f)
{
	struct vtask *t;
	uint32_t by;
	uint8_t status;

	if (!old_task(f, TASK_INCIDENT, &t) || !actor(f, &by) ||
	    !before_is(f, "status", status_code((enum task_status)t->status)) ||
	    !allowed(f, core_rule_incident(f->v->users[by - 1].admin,
					   by == t->responsible)
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION) ||
	    !get_code(f, "status", status_parse, &status))
		return false;
	if (status > STATUS_SUCCEEDED || status == t->status)
		return missing(f, "status");
	t->status = status;
	return true;
}

/* A planned deployment's plan changed: by someone who may create, while
 * it is planned, from what the replay holds; its authorization goes. */
static bool
replay_edit(struct fields *f)
{
	struct verify *v = f->v;
	struct core_standing st;
	const struct json_value *auth;
	struct vtask *t;
	const char *version, *desc;
	size_t version_len, desc_len;
	char planned[TIME_ISO_SIZE];
	uint32_t by, responsible;
	int64_t when;
	uint8_t env;

	if (!old_task(f, TASK_DEPLOYMENT, &t) || !actor(f, &by))
		return false;
	time_iso_unpack(t->planned, planned);
	if (!before_is(f, "version", v->arena.buf + t->version) ||
	    !before_is(f, "environment", env_code((enum environment)t->env)) ||
	    !before_is(f, "responsible", login_of(v, t->responsible)) ||
	    !before_is(f, "planned_at", planned) ||
	    !before_is(f, "authorized_by", login_of(v, t->authorized_by)) ||
	    !before_risk(f, t) ||
	    !allowed(f, !core_standing_may(standing(v, by - 1, t->project, &st),
					   ACTION_CREATE)
			    ? REFUSAL_PERMISSION
			: t->status != STATUS_PLANNED ? REFUSAL_NOT_PLANNED
						      : REFUSAL_NONE))
		return false;
	if (!get_text(f, "version", 1, &version, &version_len) ||
	    !get_text(f, "description", 2, &desc, &desc_len) ||
	    !get_code(f, "environment", env_parse, &env) ||
	    !get_user(f, "responsible", &responsible) ||
	    !get_time(f, "planned_at", &when))
		return false;
	if (!memchr(version, '\0', version_len) &&
	    vblock_of(v, t->project, version))
		return allowed(f, REFUSAL_BLOCKED);
	auth = json_object_get(&f->o, "authorized_by");
	if (!auth || auth->kind != JSON_NULL)
		return missing(f, "authorized_by");
	if (memchr(version, '\0', version_len) || v->arena.len > UINT32_MAX)
		return missing(f, "version");
	t->version = (uint32_t)v->arena.len;
	strbuf_add(&v->arena, version, version_len);
	strbuf_addch(&v->arena, '\0');
	digest_text(desc, desc_len, t->text);
	t->env = env;
	t->responsible = responsible;
	t->planned = when;
	t->authorized_by = 0;
	t->authorized_at = 0;
	t->approvals = 0;
	if (!get_risk(f, t))
		return false;
	return !vplan_missing(v, t) || allowed(f, REFUSAL_NO_PLAN);
}

/* A planned deployment cancelled or refused: by someone the rules let,
 * with a reason. */
static bool
replay_close(struct fields *f, enum core_audit_action action)
{
	struct core_standing st;
	enum task_status how =
	    action == AUDIT_DEPLOY_REJECT ? STATUS_REFUSED : STATUS_CANCELLED;
	struct vtask *t;
	const char *reason;
	size_t reason_len;
	uint32_t by, who;
	int64_t at;
	uint8_t status;

	if (!deploy_step_of(f, &t, &by) ||
	    !allowed(f, core_rule_close(standing(f->v, by - 1, t->project, &st),
					how, (enum task_status)t->status)) ||
	    !get_code(f, "status", status_parse, &status) ||
	    !get_by_at(f, "closed_by", "closed_at", &who, &at) ||
	    !get_text(f, "reason", 1, &reason, &reason_len))
		return false;
	if (status != how)
		return missing(f, "status");
	if (who != by)
		return bad_record(f->v, f->r,
				  _("its '%s' is not the person who wrote "
				    "it"),
				  "closed_by");
	if (reason_len == 0)
		return missing(f, "reason");
	t->closed_by = who;
	t->closed_at = at;
	digest_text(reason, reason_len, t->reason);
	set_status(f->v, t, status);
	return true;
}

/* An incident handed to another person: by someone the rules let, to a
 * member who acts in its project, from the person the replay holds. */
static bool
replay_incident_assign(struct fields *f)
{
	struct verify *v = f->v;
	struct core_standing st;
	struct vtask *t;
	uint32_t by, to;

	if (!old_task(f, TASK_INCIDENT, &t) || !actor(f, &by) ||
	    !before_is(f, "responsible", login_of(v, t->responsible)) ||
	    !allowed(f, core_rule_assign(standing(v, by - 1, t->project, &st),
					 by == t->responsible)
			    ? REFUSAL_NONE
			    : REFUSAL_PERMISSION) ||
	    !get_user(f, "responsible", &to))
		return false;
	standing(v, to - 1, t->project, &st);
	if (!core_rule_may_answer(st.is_member, st.role))
		return bad_record(v, f->r, _("the rules did not allow it: %s"),
				  _("its new responsible person does not act "
				    "in the project"));
	if (to == t->responsible)
		return missing(f, "responsible");
	t->responsible = to;
	return true;
}

static bool
replay(struct verify *v, const struct audit_record *r)
{
	struct fields f = {.v = v, .r = r};
	int action = core_audit_action_parse(r->action);

	if (action < 0)
		return bad_record(v, r, _("deploydesk writes no such action"));
	if (strcmp(r->entity, core_audit_entity_name(action)) != 0)
		return bad_record(
		    v, r, _("its entity '%s' is not the action's"), r->entity);
	if (!v->init_seen && action != AUDIT_DATABASE_INIT)
		return bad_record(v, r,
				  _("the trail does not begin with the "
				    "database's creation"));
	if (!r->after || !json_object_parse(r->after, strlen(r->after), &f.o))
		return bad_record(v, r,
				  _("its 'after' is not what deploydesk "
				    "writes"));
	f.has_before = r->before != NULL;
	if (f.has_before &&
	    !json_object_parse(r->before, strlen(r->before), &f.b))
		return bad_record(v, r,
				  _("its 'before' is not what deploydesk "
				    "writes"));
	if (v->pending_failure && action != AUDIT_INCIDENT_CREATE)
		return bad_record(v, r,
				  _("the failure just before it opened no "
				    "incident"));
	switch ((enum core_audit_action)action) {
	case AUDIT_DATABASE_INIT:
		return replay_init(&f);
	case AUDIT_USER_ADD: {
		const char *login;
		size_t len;
		uint32_t by;

		return no_before(&f) && actor(&f, &by) &&
		       allowed(&f, v->users[by - 1].admin
				       ? REFUSAL_NONE
				       : REFUSAL_PERMISSION) &&
		       get_text(&f, "login", 2, &login, &len) &&
		       add_user(&f, login, len);
	}
	case AUDIT_PROJECT_ADD:
		return replay_project(&f);
	case AUDIT_MEMBER_SET:
		return replay_member(&f);
	case AUDIT_STAGE_SET:
		return replay_stage(&f);
	case AUDIT_DEPLOY_CREATE:
		return replay_create(&f);
	case AUDIT_DEPLOY_AUTHORIZE:
		return replay_authorize(&f);
	case AUDIT_DEPLOY_START:
	case AUDIT_DEPLOY_SUCCEED:
	case AUDIT_DEPLOY_FAIL:
		return replay_transition(&f, (enum core_audit_action)action);
	case AUDIT_INCIDENT_CREATE:
		return replay_incident(&f);
	case AUDIT_INCIDENT_SET:
		return replay_incident_set(&f);
	case AUDIT_INCIDENT_ASSIGN:
		return replay_incident_assign(&f);
	case AUDIT_DEPLOY_EDIT:
		return replay_edit(&f);
	case AUDIT_DEPLOY_CANCEL:
	case AUDIT_DEPLOY_REJECT:
		return replay_close(&f, action);
	case AUDIT_DEPLOY_REVOKE:
		return replay_revoke(&f);
	case AUDIT_POLICY_SET:
		return replay_policy(&f);
	case AUDIT_FREEZE_ADD:
		return replay_freeze_add(&f);
	case AUDIT_FREEZE_REMOVE:
		return replay_freeze_remove(&f);
	case AUDIT_EXCEPTION_REVIEW:
		return replay_exception_review(&f);
	case AUDIT_VERSION_BLOCK:
	case AUDIT_VERSION_UNBLOCK:
		return replay_block(&f, action == AUDIT_VERSION_BLOCK);
	case AUDIT_ACTION_COUNT:
		break;
	}
	return bad_record(v, r, _("deploydesk writes no such action"));
}

/* ---------------------------------------------------------------- chain */

/* One record: in sequence, stored exactly as hashed, its hash right and
 * chained to the one before; then the checkpoints at it, then its
 * replay. */
static bool
on_record(void *ctx, const struct audit_record *r, const char *bad_column)
{
	struct verify *v = ctx;
	unsigned char h[32];
	int64_t ts;

	if (r->seq != v->last_seq + 1) {
		v->failed = true;
		v->rep->first_bad = v->last_seq + 1;
		if (r->seq == v->last_seq + 2)
			snprintf(v->rep->problem, sizeof v->rep->problem,
				 _("record %lld is missing (removed)"),
				 (long long)v->last_seq + 1);
		else
			snprintf(v->rep->problem, sizeof v->rep->problem,
				 _("records %lld to %lld are missing "
				   "(removed)"),
				 (long long)v->last_seq + 1,
				 (long long)r->seq - 1);
		return false;
	}
	if (bad_column)
		return bad_record(v, r,
				  _("its %s is not stored as deploydesk "
				    "writes it, so the hash does not cover it "
				    "exactly"),
				  bad_column);
	core_audit_hash(r, h);
	if (memcmp(h, r->hash, 32) != 0)
		return bad_record(v, r,
				  _("it was altered: its content does not "
				    "match its hash"));
	if (memcmp(r->prev_hash, v->prev, 32) != 0)
		return bad_record(v, r,
				  _("it is out of the chain: inserted, or the "
				    "record before it was replaced"));
	if (!time_iso_pack(r->ts, strlen(r->ts), &ts))
		return bad_record(v, r,
				  _("its time is not in the stored form"));
	for (; v->next_cp < v->ncps && v->cps[v->next_cp]->seq == r->seq;
	     v->next_cp++) {
		if (memcmp(v->cps[v->next_cp]->hash, r->hash, 32) != 0)
			return bad_record(
			    v, r,
			    _("it is not the record the checkpoint of %s "
			      "(line %zu) names: the trail was rewritten"),
			    v->cps[v->next_cp]->time, v->cps[v->next_cp]->line);
		v->rep->checkpoints++;
	}
	if (!replay(v, r))
		return false;
	memcpy(v->prev, r->hash, 32);
	v->last_seq = r->seq;
	v->rep->records++;
	return true;
}

/* ---------------------------------------------------------------- rows */

/* Compares one cell with what the trail says; on a difference, reports it
 * and returns false. */
static bool
expect_text(struct verify *v, enum model_table t, const char *row,
	    const struct model_cell *c, const char *s, size_t len)
{
	char got[128], want[128];

	if (s ? c->kind == MODEL_CELL_TEXT && c->len == len &&
		    memcmp(c->s, s, len) == 0
	      : c->kind == MODEL_CELL_NULL)
		return true;
	cell_text(c, got, sizeof got);
	if (s)
		quote(s, len, want, sizeof want);
	else
		snprintf(want, sizeof want, "NULL");
	return bad_row(v, t, row, c->name, got, want);
}

static bool
expect_str(struct verify *v, enum model_table t, const char *row,
	   const struct model_cell *c, const char *s)
{
	return expect_text(v, t, row, c, s, s ? strlen(s) : 0);
}

static bool
expect_int(struct verify *v, enum model_table t, const char *row,
	   const struct model_cell *c, int64_t n)
{
	char got[128], want[32];

	if (c->kind == MODEL_CELL_INT && c->i == n)
		return true;
	cell_text(c, got, sizeof got);
	snprintf(want, sizeof want, "%lld", (long long)n);
	return bad_row(v, t, row, c->name, got, want);
}

/* A packed time, or NULL when 0. */
static bool
expect_time(struct verify *v, enum model_table t, const char *row,
	    const struct model_cell *c, int64_t packed)
{
	char want[TIME_ISO_SIZE];
	int64_t got;

	if (!packed)
		return expect_text(v, t, row, c, NULL, 0);
	if (c->kind == MODEL_CELL_TEXT && time_iso_pack(c->s, c->len, &got) &&
	    got == packed)
		return true;
	time_iso_unpack(packed, want);
	return expect_str(v, t, row, c, want);
}

/* A person: the table's user id names the user the trail says (user index
 * + 1, or NULL when 0). */
static int
user_id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
user_of_id(struct verify *v, int64_t id)
{
	size_t lo = 0, hi = v->nuser_ids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v->user_ids[mid].id == id)
			return v->user_ids[mid].user + 1;
		if (v->user_ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static bool
expect_user(struct verify *v, enum model_table t, const char *row,
	    const struct model_cell *c, uint32_t user)
{
	uint32_t got = c->kind == MODEL_CELL_INT ? user_of_id(v, c->i) : 0;
	char have[128], want[128];

	if (user ? got == user : c->kind == MODEL_CELL_NULL)
		return true;
	if (got)
		quote(v->users[got - 1].login, strlen(v->users[got - 1].login),
		      have, sizeof have);
	else
		cell_text(c, have, sizeof have);
	if (user)
		quote(v->users[user - 1].login,
		      strlen(v->users[user - 1].login), want, sizeof want);
	else
		snprintf(want, sizeof want, "NULL");
	return bad_row(v, t, row, c->name, have, want);
}

static bool
cell_is(const struct model_cell *c, const char *s)
{
	return c->kind == MODEL_CELL_TEXT && c->len == strlen(s) &&
	       memcmp(c->s, s, c->len) == 0;
}

/* A row's key for messages: its text, quoted and cut. */
static void
row_key(const struct model_cell *c, char *out, size_t size)
{
	cell_text(c, out, size);
}

static bool
on_user(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	char row[96];
	uint32_t u = 0;
	size_t i;

	v->rep->rows++;
	row_key(&c[1], row, sizeof row);
	if (c[1].kind == MODEL_CELL_TEXT && !memchr(c[1].s, '\0', c[1].len))
		u = find_user(v, c[1].s);
	if (!u || v->users[u - 1].seen || c[0].kind != MODEL_CELL_INT)
		return bad_presence(v, MODEL_USERS, row, true);
	v->users[u - 1].seen = true;
	i = push((void **)&v->user_ids, &v->nuser_ids, &v->capuser_ids,
		 sizeof *v->user_ids);
	v->user_ids[i].id = c[0].i;
	v->user_ids[i].user = u - 1;
	return expect_str(v, MODEL_USERS, row, &c[2],
			  v->users[u - 1].full_name) &&
	       expect_int(v, MODEL_USERS, row, &c[3], v->users[u - 1].admin) &&
	       expect_time(v, MODEL_USERS, row, &c[4], v->users[u - 1].created);
}

/* The project of a cell holding a project id (index + 1, or 0). */
static uint32_t
project_of(struct verify *v, const struct model_cell *c)
{
	uint8_t id[16];

	return c->kind == MODEL_CELL_TEXT && uuid_pack(c->s, c->len, id)
		   ? find_project(v, id)
		   : 0;
}

static bool
on_project(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint32_t p = project_of(v, &c[0]);
	char row[96];

	v->rep->rows++;
	row_key(&c[0], row, sizeof row);
	if (!p || v->projects[p - 1].seen)
		return bad_presence(v, MODEL_PROJECTS, row, true);
	v->projects[p - 1].seen = true;
	return expect_str(v, MODEL_PROJECTS, row, &c[1],
			  v->projects[p - 1].code) &&
	       expect_str(v, MODEL_PROJECTS, row, &c[2],
			  v->projects[p - 1].name) &&
	       expect_time(v, MODEL_PROJECTS, row, &c[3],
			   v->projects[p - 1].created);
}

/* "<stage> of <project code>", for messages. */
static void
stage_row(struct verify *v, uint32_t project, int stage, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", v->projects[project].code,
		 stage_code((enum stage_code)stage));
}

static bool
on_stage(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint32_t p = project_of(v, &c[1]), *slot;
	int code = -1;
	uint8_t id[16];
	char row[96];
	size_t i;

	v->rep->rows++;
	if (c[2].kind == MODEL_CELL_TEXT && c[2].len < 16) {
		char text[16];

		memcpy(text, c[2].s, c[2].len);
		text[c[2].len] = '\0';
		code = stage_parse(text);
	}
	row_key(&c[0], row, sizeof row);
	if (!p || code < 0 || v->projects[p - 1].stage_seen[code] ||
	    c[0].kind != MODEL_CELL_TEXT || !uuid_pack(c[0].s, c[0].len, id))
		return bad_presence(v, MODEL_STAGES, row, true);
	v->projects[p - 1].stage_seen[code] = true;
	vindex_reserve(&v->stage_ix, v, stage_hash);
	i = push((void **)&v->stages, &v->nstages, &v->capstages,
		 sizeof *v->stages);
	memcpy(v->stages[i].id, id, 16);
	v->stages[i].project = p - 1;
	v->stages[i].code = (uint8_t)code;
	slot = vindex_slot(&v->stage_ix, v, hash_bytes(id, 16), id, stage_eq);
	*slot = (uint32_t)i + 1;
	v->stage_ix.used++;
	stage_row(v, p - 1, code, row, sizeof row);
	return expect_int(v, MODEL_STAGES, row, &c[3], code) &&
	       expect_str(v, MODEL_STAGES, row, &c[4],
			  status_code(v->projects[p - 1].stage_status[code]));
}

static bool
on_member(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint32_t p = project_of(v, &c[0]), m = 0;
	uint32_t u = c[1].kind == MODEL_CELL_INT ? user_of_id(v, c[1].i) : 0;
	char row[96];

	v->rep->rows++;
	if (p && u) {
		snprintf(row, sizeof row, "%s/%s", v->projects[p - 1].code,
			 v->users[u - 1].login);
		m = find_member(v, p - 1, u - 1);
	} else {
		cell_text(&c[1], row, sizeof row);
	}
	if (!m || v->members[m - 1].seen)
		return bad_presence(v, MODEL_MEMBERS, row, true);
	v->members[m - 1].seen = true;
	return expect_str(v, MODEL_MEMBERS, row, &c[2],
			  role_code((enum role)v->members[m - 1].role)) &&
	       expect_int(v, MODEL_MEMBERS, row, &c[3],
			  v->members[m - 1].senior);
}

/* The trail's value of a text member of an entity's first record, for a
 * message (the picture keeps only its digest). */
static void
trail_member(struct verify *v, const char *entity_id, const char *key,
	     char *out, size_t size)
{
	struct audit_list l;
	struct dd_error ignored = {0};
	struct json_object o;
	const struct json_value *jv;
	struct strbuf sb = STRBUF_INIT;

	snprintf(out, size, "%s", _("another text"));
	if (model_audit_page(v->s->db, NULL, entity_id, 0, 1, &l, &ignored))
		return;
	if (l.count && l.items[0].after &&
	    json_object_parse(l.items[0].after, strlen(l.items[0].after), &o) &&
	    (jv = json_object_get(&o, key)) && json_string_decode(jv, &sb))
		quote(sb.buf ? sb.buf : "", sb.len, out, size);
	strbuf_release(&sb);
	audit_list_free(&l);
}

/* True when a cell is a text whose digest is want. */
static bool
text_matches(const struct model_cell *c, const uint8_t want[DIGEST])
{
	uint8_t got[DIGEST];

	if (c->kind != MODEL_CELL_TEXT)
		return false;
	digest_text(c->s, c->len, got);
	return memcmp(got, want, DIGEST) == 0;
}

/* An incident's description: the spec's sentence, then the failed
 * deployment's logs as the trail recorded them. */
static bool
expect_incident_text(struct verify *v, const char *row,
		     const struct model_cell *c, const struct vtask *dep)
{
	struct strbuf head = STRBUF_INIT;
	uint8_t got[DIGEST];
	char have[128];
	bool ok = false;

	strbuf_addf(&head,
		    "Le déploiement de la version %s sur %s a échoué.\n\n"
		    "Logs:\n",
		    v->arena.buf + dep->version,
		    env_code((enum environment)dep->env));
	if (c->kind == MODEL_CELL_TEXT && dep->executed &&
	    c->len == head.len + dep->logs_len &&
	    memcmp(c->s, head.buf, head.len) == 0) {
		digest_text(c->s + head.len, dep->logs_len, got);
		ok = memcmp(got, dep->logs, DIGEST) == 0;
	}
	strbuf_release(&head);
	if (ok)
		return true;
	cell_text(c, have, sizeof have);
	return bad_row(v, MODEL_TASKS, row, c->name, have,
		       _("the spec's sentence and the deployment's logs"));
}

static bool
expect_logs(struct verify *v, const char *row, const struct model_cell *c,
	    const struct vtask *t)
{
	char have[160], want[160], hex[2 * DIGEST + 1];
	uint8_t got[DIGEST];

	if (!t->executed)
		return expect_text(v, MODEL_TASKS, row, c, NULL, 0);
	if (c->kind == MODEL_CELL_TEXT && c->len == t->logs_len) {
		digest_text(c->s, c->len, got);
		if (memcmp(got, t->logs, DIGEST) == 0)
			return true;
	}
	if (c->kind == MODEL_CELL_TEXT) {
		digest_text(c->s, c->len, got);
		core_hex(got, 8, hex);
		snprintf(have, sizeof have, _("size %zu, SHA-256 %s…"), c->len,
			 hex);
	} else {
		cell_text(c, have, sizeof have);
	}
	core_hex(t->logs, 8, hex);
	snprintf(want, sizeof want, _("size %zu, SHA-256 %s…"),
		 (size_t)t->logs_len, hex);
	return bad_row(v, MODEL_TASKS, row, c->name, have, want);
}

/* The stage a task belongs to: its project's DEPLOIEMENT stage. */
static bool
expect_stage(struct verify *v, const char *row, const struct model_cell *c,
	     const struct vtask *t)
{
	uint8_t id[16];
	uint32_t st = c->kind == MODEL_CELL_TEXT && uuid_pack(c->s, c->len, id)
			  ? find_stage(v, id)
			  : 0;
	char have[128], want[128];

	if (st && v->stages[st - 1].project == t->project &&
	    v->stages[st - 1].code == STAGE_DEPLOYMENT)
		return true;
	if (st)
		stage_row(v, v->stages[st - 1].project, v->stages[st - 1].code,
			  have, sizeof have);
	else
		cell_text(c, have, sizeof have);
	stage_row(v, t->project, STAGE_DEPLOYMENT, want, sizeof want);
	return bad_row(v, MODEL_TASKS, row, c->name, have, want);
}

/* A closed deployment's reason, as the trail's record of its closing
 * gave it. */
static bool
expect_reason(struct verify *v, const char *row, const struct model_cell *c,
	      const struct vtask *t)
{
	char have[128], want[128];

	if (!t->closed_by)
		return expect_text(v, MODEL_TASKS, row, c, NULL, 0);
	if (text_matches(c, t->reason))
		return true;
	snprintf(want, sizeof want, "%s", _("the reason in the trail"));
	cell_text(c, have, sizeof have);
	return bad_row(v, MODEL_TASKS, row, c->name, have, want);
}

/* A deployment's back-out plan, as the trail's last plan of it gave it. */
static bool
expect_backout(struct verify *v, const char *row, const struct model_cell *c,
	       const struct vtask *t)
{
	char have[128], want[128];

	if (!t->has_backout)
		return expect_text(v, MODEL_TASKS, row, c, NULL, 0);
	if (text_matches(c, t->backout))
		return true;
	snprintf(want, sizeof want, "%s", _("the back-out plan in the trail"));
	cell_text(c, have, sizeof have);
	return bad_row(v, MODEL_TASKS, row, c->name, have, want);
}

/* A column naming another task (task index + 1; 0: NULL). */
static bool
expect_link(struct verify *v, const char *row, const struct model_cell *c,
	    uint32_t task)
{
	char id[UUID_SIZE];

	if (!task)
		return expect_text(v, MODEL_TASKS, row, c, NULL, 0);
	uuid_unpack(v->tasks[task - 1].id, id);
	return expect_str(v, MODEL_TASKS, row, c, id);
}

static bool
on_task(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	const struct vtask *t, *dep = NULL;
	const struct model_cell *long_text;
	char row[96], text[128], have[128], source[UUID_SIZE];
	uint8_t id[16];
	uint32_t i = 0;
	bool deploy;
	const char *version;

	v->rep->rows++;
	if (c[TC_ID].kind == MODEL_CELL_TEXT &&
	    uuid_pack(c[TC_ID].s, c[TC_ID].len, id))
		i = find_task(v, id);
	if (!i || v->tasks[i - 1].seen) {
		row_key(&c[TC_ID], row, sizeof row);
		return bad_presence(v, MODEL_TASKS, row, true);
	}
	v->tasks[i - 1].seen = true;
	t = &v->tasks[i - 1];
	/* A canonical id: its 36 characters are the row's name. */
	memcpy(row, c[TC_ID].s, UUID_SIZE - 1);
	row[UUID_SIZE - 1] = '\0';
	deploy = t->type == TASK_DEPLOYMENT;
	version = deploy ? v->arena.buf + t->version : NULL;
	if (!deploy) {
		dep = &v->tasks[t->source - 1];
		uuid_unpack(dep->id, source);
	}
	if (!expect_stage(v, row, &c[TC_STAGE], t) ||
	    !expect_str(v, MODEL_TASKS, row, &c[TC_TYPE],
			task_type_code((enum task_type)t->type)))
		return false;
	/* A deployment's description, an incident's name: the trail keeps
	 * their digest; on a difference its text is fetched for the
	 * message. */
	if (deploy && !expect_str(v, MODEL_TASKS, row, &c[TC_NAME], version))
		return false;
	long_text = deploy ? &c[TC_DESCRIPTION] : &c[TC_NAME];
	if (!text_matches(long_text, t->text)) {
		trail_member(v, row, long_text->name, text, sizeof text);
		cell_text(long_text, have, sizeof have);
		return bad_row(v, MODEL_TASKS, row, long_text->name, have,
			       text);
	}
	if (!deploy && !expect_incident_text(v, row, &c[TC_DESCRIPTION], dep))
		return false;
	return expect_str(v, MODEL_TASKS, row, &c[TC_STATUS],
			  status_code((enum task_status)t->status)) &&
	       expect_str(v, MODEL_TASKS, row, &c[TC_PRIORITY],
			  priority_code((enum priority)t->priority)) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_RESPONSIBLE],
			   t->responsible) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_PLANNED_AT],
			   t->planned) &&
	       expect_str(v, MODEL_TASKS, row, &c[TC_VERSION], version) &&
	       expect_str(v, MODEL_TASKS, row, &c[TC_ENVIRONMENT],
			  deploy ? env_code((enum environment)t->env) : NULL) &&
	       expect_logs(v, row, &c[TC_LOGS], t) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_AUTHORIZED_BY],
			   t->authorized_by) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_AUTHORIZED_AT],
			   t->authorized_at) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_STARTED_BY],
			   t->started_by) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_STARTED_AT],
			   t->started_at) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_EXECUTED_BY],
			   t->executed_by) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_EXECUTED_AT],
			   t->executed_at) &&
	       expect_str(v, MODEL_TASKS, row, &c[TC_SOURCE],
			  deploy ? NULL : source) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_CREATED_BY],
			   t->created_by) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_CREATED_AT],
			   t->created) &&
	       expect_int(v, MODEL_TASKS, row, &c[TC_ROW_VERSION],
			  t->row_version) &&
	       expect_user(v, MODEL_TASKS, row, &c[TC_CLOSED_BY],
			   t->closed_by) &&
	       expect_time(v, MODEL_TASKS, row, &c[TC_CLOSED_AT],
			   t->closed_at) &&
	       expect_reason(v, row, &c[TC_CLOSE_REASON], t) &&
	       expect_link(v, row, &c[TC_ROLLBACK_OF], t->rollback_of) &&
	       expect_link(v, row, &c[TC_FIXES], t->fixes) &&
	       expect_str(v, MODEL_TASKS, row, &c[TC_RISK],
			  risk_code((enum risk)t->risk)) &&
	       expect_backout(v, row, &c[TC_BACKOUT_PLAN], t);
}

static bool
on_count(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint8_t id[16];
	uint32_t st =
	    c[0].kind == MODEL_CELL_TEXT && uuid_pack(c[0].s, c[0].len, id)
		? find_stage(v, id)
		: 0;
	int status = -1;
	char row[96];
	struct vproject *p;

	v->rep->rows++;
	if (c[1].kind == MODEL_CELL_TEXT && c[1].len < 16) {
		char text[16];

		memcpy(text, c[1].s, c[1].len);
		text[c[1].len] = '\0';
		status = status_parse(text);
	}
	row_key(&c[0], row, sizeof row);
	if (!st || v->stages[st - 1].code != STAGE_DEPLOYMENT || status < 0 ||
	    v->projects[v->stages[st - 1].project].counts_seen[status])
		return bad_presence(v, MODEL_COUNTS, row, true);
	p = &v->projects[v->stages[st - 1].project];
	p->counts_seen[status] = true;
	snprintf(row, sizeof row, "%s/%s", p->code,
		 status_code((enum task_status)status));
	return expect_int(v, MODEL_COUNTS, row, &c[2], p->counts[status]);
}

static bool
on_setting(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	char row[96];

	v->rep->rows++;
	row_key(&c[0], row, sizeof row);
	/* The only setting is the sandbox marker, which init writes when
	 * its first record says so. */
	if (!v->sandbox || !cell_is(&c[0], "sandbox"))
		return bad_presence(v, MODEL_SETTINGS, row, true);
	v->sandbox_seen = true;
	return expect_str(v, MODEL_SETTINGS, row, &c[1], "1");
}

static bool
on_approval(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint8_t id[16];
	uint32_t t =
	    c[0].kind == MODEL_CELL_TEXT && uuid_pack(c[0].s, c[0].len, id)
		? find_task(v, id)
		: 0;
	uint32_t u = c[1].kind == MODEL_CELL_INT ? user_of_id(v, c[1].i) : 0;
	struct vapproval *a =
	    t && u ? vapproval_of(v, &v->tasks[t - 1], u) : NULL;
	char row[128];

	v->rep->rows++;
	if (t && u)
		snprintf(row, sizeof row, "%.36s/%s", c[0].s,
			 v->users[u - 1].login);
	else
		cell_text(&c[0], row, sizeof row);
	if (!a || a->seen)
		return bad_presence(v, MODEL_APPROVALS, row, true);
	a->seen = true;
	return expect_time(v, MODEL_APPROVALS, row, &c[2], a->at) &&
	       expect_time(v, MODEL_APPROVALS, row, &c[3], a->expires);
}

static bool
on_policy(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint32_t p = project_of(v, &c[0]);
	int env = -1, key = -1;
	char row[128], code[40];

	v->rep->rows++;
	if (c[1].kind == MODEL_CELL_TEXT && c[1].len < sizeof code) {
		memcpy(code, c[1].s, c[1].len);
		code[c[1].len] = '\0';
		env = env_parse(code);
	}
	if (c[2].kind == MODEL_CELL_TEXT && c[2].len < sizeof code) {
		memcpy(code, c[2].s, c[2].len);
		code[c[2].len] = '\0';
		key = policy_key_parse(code);
	}
	if (p && env >= 0 && key >= 0)
		snprintf(row, sizeof row, "%s/%s/%s", v->projects[p - 1].code,
			 env_code((enum environment)env),
			 policy_key_code((enum policy_key)key));
	else
		cell_text(&c[2], row, sizeof row);
	if (!p || env < 0 || key < 0 ||
	    !v->projects[p - 1].policy_set[env][key] ||
	    v->projects[p - 1].policy_seen[env][key])
		return bad_presence(v, MODEL_POLICIES, row, true);
	v->projects[p - 1].policy_seen[env][key] = true;
	return expect_int(v, MODEL_POLICIES, row, &c[3],
			  v->projects[p - 1].policy[env][key]);
}

static bool
on_freeze(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	struct vfreeze *z =
	    c[0].kind == MODEL_CELL_INT ? vfreeze_of(v, c[0].i) : NULL;
	char row[64], project[UUID_SIZE];

	v->rep->rows++;
	cell_text(&c[0], row, sizeof row);
	if (!z || z->seen)
		return bad_presence(v, MODEL_FREEZES, row, true);
	z->seen = true;
	if (z->project)
		uuid_unpack(v->projects[z->project - 1].id, project);
	if (!expect_text(v, MODEL_FREEZES, row, &c[1],
			 z->project ? project : NULL,
			 z->project ? UUID_SIZE - 1 : 0) ||
	    !expect_str(v, MODEL_FREEZES, row, &c[2],
			z->env >= 0 ? env_code((enum environment)z->env)
				    : NULL) ||
	    !expect_time(v, MODEL_FREEZES, row, &c[3],
			 z->weekly ? 0 : z->from) ||
	    !expect_time(v, MODEL_FREEZES, row, &c[4], z->weekly ? 0 : z->to))
		return false;
	if (z->weekly ? !expect_int(v, MODEL_FREEZES, row, &c[5], z->wfrom) ||
			    !expect_int(v, MODEL_FREEZES, row, &c[6], z->wto)
		      : !expect_text(v, MODEL_FREEZES, row, &c[5], NULL, 0) ||
			    !expect_text(v, MODEL_FREEZES, row, &c[6], NULL, 0))
		return false;
	if (!text_matches(&c[7], z->reason)) {
		char have[128];

		cell_text(&c[7], have, sizeof have);
		return bad_row(v, MODEL_FREEZES, row, c[7].name, have,
			       _("the reason in the trail"));
	}
	return expect_user(v, MODEL_FREEZES, row, &c[8], z->created_by) &&
	       expect_time(v, MODEL_FREEZES, row, &c[9], z->created);
}

/* A long text compared with its digest, fetched for the message. */
static bool
expect_digest(struct verify *v, enum model_table t, const char *row,
	      const struct model_cell *c, const uint8_t want[DIGEST])
{
	char have[128];

	if (text_matches(c, want))
		return true;
	cell_text(c, have, sizeof have);
	return bad_row(v, t, row, c->name, have, _("the text in the trail"));
}

static bool
on_exception(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	struct vexception *e =
	    c[0].kind == MODEL_CELL_INT ? vexception_of(v, c[0].i) : NULL;
	struct strbuf *rules = &v->scratch[3];
	char row[64], task[UUID_SIZE];

	v->rep->rows++;
	cell_text(&c[0], row, sizeof row);
	if (!e || e->seen)
		return bad_presence(v, MODEL_EXCEPTIONS, row, true);
	e->seen = true;
	uuid_unpack(v->tasks[e->task - 1].id, task);
	core_rules_text(e->rules, rules);
	if (!expect_str(v, MODEL_EXCEPTIONS, row, &c[1], task) ||
	    !expect_str(
		v, MODEL_EXCEPTIONS, row, &c[2],
		core_audit_action_name((enum core_audit_action)e->action)) ||
	    !expect_str(v, MODEL_EXCEPTIONS, row, &c[3], strbuf_str(rules)) ||
	    !expect_digest(v, MODEL_EXCEPTIONS, row, &c[4], e->reason) ||
	    !expect_user(v, MODEL_EXCEPTIONS, row, &c[5], e->opened_by) ||
	    !expect_time(v, MODEL_EXCEPTIONS, row, &c[6], e->opened_at) ||
	    !expect_user(v, MODEL_EXCEPTIONS, row, &c[7], e->reviewed_by) ||
	    !expect_time(v, MODEL_EXCEPTIONS, row, &c[8], e->reviewed_at))
		return false;
	return e->reviewed_by
		   ? expect_digest(v, MODEL_EXCEPTIONS, row, &c[9], e->note)
		   : expect_text(v, MODEL_EXCEPTIONS, row, &c[9], NULL, 0);
}

static bool
on_block(void *ctx, const struct model_cell *c)
{
	struct verify *v = ctx;
	uint32_t p = project_of(v, &c[0]);
	struct vblock *b = NULL;
	char row[128], version[64];

	v->rep->rows++;
	if (p && c[1].kind == MODEL_CELL_TEXT && c[1].len < sizeof version) {
		memcpy(version, c[1].s, c[1].len);
		version[c[1].len] = '\0';
		b = vblock_of(v, p - 1, version);
		snprintf(row, sizeof row, "%s/%s", v->projects[p - 1].code,
			 version);
	} else {
		cell_text(&c[1], row, sizeof row);
	}
	if (!b || b->seen)
		return bad_presence(v, MODEL_BLOCKS, row, true);
	b->seen = true;
	return expect_digest(v, MODEL_BLOCKS, row, &c[2], b->reason) &&
	       expect_user(v, MODEL_BLOCKS, row, &c[3], b->by) &&
	       expect_time(v, MODEL_BLOCKS, row, &c[4], b->at);
}

/* After a table was read: every row of the trail was in it. */
static bool
all_seen(struct verify *v, enum model_table t)
{
	char row[128];

	switch (t) {
	case MODEL_USERS:
		qsort(v->user_ids, v->nuser_ids, sizeof *v->user_ids,
		      user_id_cmp);
		for (size_t i = 0; i < v->nusers; i++)
			if (!v->users[i].seen) {
				quote(v->users[i].login,
				      strlen(v->users[i].login), row,
				      sizeof row);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_PROJECTS:
		for (size_t i = 0; i < v->nprojects; i++)
			if (!v->projects[i].seen) {
				uuid_unpack(v->projects[i].id, row);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_STAGES:
		for (size_t i = 0; i < v->nprojects; i++)
			for (int k = 0; k < STAGE_COUNT; k++)
				if (!v->projects[i].stage_seen[k]) {
					stage_row(v, (uint32_t)i, k, row,
						  sizeof row);
					return bad_presence(v, t, row, false);
				}
		break;
	case MODEL_MEMBERS:
		for (size_t i = 0; i < v->nmembers; i++)
			if (!v->members[i].seen) {
				snprintf(
				    row, sizeof row, "%s/%s",
				    v->projects[v->members[i].project].code,
				    v->users[v->members[i].user].login);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_TASKS:
		for (size_t i = 0; i < v->ntasks; i++)
			if (!v->tasks[i].seen) {
				uuid_unpack(v->tasks[i].id, row);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_COUNTS:
		for (size_t i = 0; i < v->nprojects; i++)
			for (int k = 0; k < STATUS_COUNT; k++)
				if (v->projects[i].counts[k] &&
				    !v->projects[i].counts_seen[k]) {
					snprintf(
					    row, sizeof row, "%s/%s",
					    v->projects[i].code,
					    status_code((enum task_status)k));
					return bad_presence(v, t, row, false);
				}
		break;
	case MODEL_SETTINGS:
		if (v->sandbox && !v->sandbox_seen)
			return bad_presence(v, t, "'sandbox'", false);
		break;
	case MODEL_APPROVALS:
		for (size_t i = 0; i < v->ntasks; i++)
			for (uint32_t a = v->tasks[i].approvals; a;
			     a = v->approvals[a - 1].next)
				if (!v->approvals[a - 1].seen) {
					char id[UUID_SIZE];

					uuid_unpack(v->tasks[i].id, id);
					snprintf(
					    row, sizeof row, "%s/%s", id,
					    login_of(v,
						     v->approvals[a - 1].user));
					return bad_presence(v, t, row, false);
				}
		break;
	case MODEL_POLICIES:
		for (size_t i = 0; i < v->nprojects; i++)
			for (int e = 0; e < ENV_COUNT; e++)
				for (int k = 0; k < POLICY_KEY_COUNT; k++)
					if (v->projects[i].policy_set[e][k] &&
					    !v->projects[i].policy_seen[e][k]) {
						snprintf(
						    row, sizeof row, "%s/%s/%s",
						    v->projects[i].code,
						    env_code(
							(enum environment)e),
						    policy_key_code(
							(enum policy_key)k));
						return bad_presence(v, t, row,
								    false);
					}
		break;
	case MODEL_FREEZES:
		for (size_t i = 0; i < v->nfreezes; i++)
			if (!v->freezes[i].removed && !v->freezes[i].seen) {
				snprintf(row, sizeof row, "%lld",
					 (long long)v->freezes[i].id);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_EXCEPTIONS:
		for (size_t i = 0; i < v->nexceptions; i++)
			if (!v->exceptions[i].seen) {
				snprintf(row, sizeof row, "%lld",
					 (long long)v->exceptions[i].id);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_BLOCKS:
		for (size_t i = 0; i < v->nblocks; i++)
			if (v->blocks[i].active && !v->blocks[i].seen) {
				snprintf(row, sizeof row, "%s/%s",
					 v->projects[v->blocks[i].project].code,
					 v->blocks[i].version);
				return bad_presence(v, t, row, false);
			}
		break;
	case MODEL_TABLE_COUNT:
		break;
	}
	return true;
}

/* ---------------------------------------------------------------- verify */

/* Room for as many tasks as the table holds, so that a long trail is not
 * replayed into a picture copied again at every doubling. */
static enum dd_code
reserve_tasks(struct verify *v, struct dd_error *err)
{
	int64_t n;
	enum dd_code code = model_table_count(v->s->db, MODEL_TASKS, &n, err);

	if (code || n <= 0 || n > (int64_t)UINT32_MAX / 2)
		return code;
	v->captasks = (size_t)n + 16;
	v->tasks = xrealloc(v->tasks, v->captasks * sizeof *v->tasks);
	v->task_ix.cap = 64;
	while (v->task_ix.cap * 3 <= v->captasks * 4)
		v->task_ix.cap *= 2;
	v->task_ix.slots = xcalloc(v->task_ix.cap, sizeof *v->task_ix.slots);
	return DD_OK;
}

static int
checkpoint_cmp(const void *a, const void *b)
{
	int64_t x = (*(const struct core_checkpoint *const *)a)->seq;
	int64_t y = (*(const struct core_checkpoint *const *)b)->seq;

	return x < y ? -1 : x > y;
}

/* This database's checkpoints, by seq. */
static void
select_checkpoints(struct verify *v, const struct core_checkpoint_list *l)
{
	v->cps = xcalloc(l->count ? l->count : 1, sizeof *v->cps);
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].database_id, v->s->database_id) == 0)
			v->cps[v->ncps++] = &l->items[i];
	qsort(v->cps, v->ncps, sizeof *v->cps, checkpoint_cmp);
}

/* Checkpoints were given, none of this database: the record is checked
 * as far as it can be, and the run still fails, since what was asked for
 * could not be checked. */
static void
no_checkpoint(struct verify *v)
{
	v->failed = true;
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 _("none of the checkpoints given names this database (id "
		   "%s): either they are another database's, or this "
		   "database's first record was rewritten; 'deploydesk audit "
		   "checkpoint' prints this database's id"),
		 v->s->database_id);
}

/* Checkpoints past the trail's end: records were cut from it. */
static void
check_tail(struct verify *v)
{
	const struct core_checkpoint *cp;

	if (v->next_cp >= v->ncps)
		return;
	cp = v->cps[v->next_cp];
	v->failed = true;
	v->rep->first_bad = v->last_seq + 1;
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 _("the trail ends at record %lld, but the checkpoint of %s "
		   "(line %zu) names record %lld: records were removed from "
		   "its end"),
		 (long long)v->last_seq, cp->time, cp->line,
		 (long long)cp->seq);
}

static void
verify_free(struct verify *v)
{
	for (size_t i = 0; i < v->nusers; i++) {
		free(v->users[i].login);
		free(v->users[i].full_name);
	}
	for (size_t i = 0; i < v->nprojects; i++) {
		free(v->projects[i].code);
		free(v->projects[i].name);
	}
	free(v->users);
	free(v->projects);
	free(v->members);
	free(v->tasks);
	free(v->approvals);
	free(v->freezes);
	free(v->exceptions);
	for (size_t i = 0; i < v->nblocks; i++)
		free(v->blocks[i].version);
	free(v->blocks);
	free(v->stages);
	free(v->user_ids);
	free(v->user_ix.slots);
	free(v->project_ix.slots);
	free(v->member_ix.slots);
	free(v->task_ix.slots);
	free(v->success_ix.slots);
	free(v->stage_ix.slots);
	free(v->cps);
	strbuf_release(&v->arena);
	for (size_t i = 0; i < sizeof v->scratch / sizeof *v->scratch; i++)
		strbuf_release(&v->scratch[i]);
}

/* The first day whose kept figures differ from its deployments. */
static void
on_stale_figures(const char *stage_id, enum figure_kind kind, const char *env,
		 const char *day, void *data)
{
	struct verify *v = data;
	const char *what = kind == FIGURE_EXECUTED ? _("deployments executed")
			   : kind == FIGURE_INCIDENTS
			       ? _("incidents opened")
			       : _("deployments planned");

	if (v->failed)
		return;
	v->failed = true;
	snprintf(v->rep->table, sizeof v->rep->table, "figure_days");
	snprintf(v->rep->row, sizeof v->rep->row, "%s %d %s %s", stage_id,
		 (int)kind, env, day);
	snprintf(v->rep->problem, sizeof v->rep->problem,
		 _("the delivery figures kept for the %s of day %s (stage %s, "
		   "environment '%s') are not what the deployments give: "
		   "figure_days was changed outside deploydesk ('deploydesk "
		   "audit rebuild-figures' builds them again)"),
		 what, day, stage_id, env);
}

enum dd_code
core_audit_verify(struct core_session *s,
		  const struct core_checkpoint_list *checkpoints,
		  struct core_audit_report *out, struct dd_error *err)
{
	static const model_row_fn compare[MODEL_TABLE_COUNT] = {
	    [MODEL_USERS] = on_user,	       [MODEL_PROJECTS] = on_project,
	    [MODEL_STAGES] = on_stage,	       [MODEL_MEMBERS] = on_member,
	    [MODEL_TASKS] = on_task,	       [MODEL_COUNTS] = on_count,
	    [MODEL_SETTINGS] = on_setting,     [MODEL_APPROVALS] = on_approval,
	    [MODEL_POLICIES] = on_policy,      [MODEL_FREEZES] = on_freeze,
	    [MODEL_EXCEPTIONS] = on_exception, [MODEL_BLOCKS] = on_block,
	};
	struct verify v = {.s = s, .rep = out};
	struct dd_error why = {0};
	struct model_search_job *search = NULL;
	enum dd_code code = DD_OK;

	memset(out, 0, sizeof *out);
	if (model_schema_check(s->db, &why) != DD_OK) {
		snprintf(out->problem, sizeof out->problem,
			 _("the database's schema was changed outside "
			   "deploydesk: %s"),
			 why.msg);
		goto out;
	}
	/* The search index's check takes seconds: it runs beside the rest,
	 * and is asked for its answer after the tables. */
	model_search_check_begin(s->db, &search, err);
	if (checkpoints)
		select_checkpoints(&v, checkpoints);
	code = reserve_tasks(&v, err);
	if (!code)
		code = model_audit_scan(s->db, 0, on_record, &v, err);
	if (code || v.failed)
		goto out;
	if (!v.init_seen) {
		snprintf(out->problem, sizeof out->problem,
			 _("the trail is empty: it does not even hold the "
			   "database's creation"));
		v.failed = true;
		goto out;
	}
	if (v.pending_failure) {
		v.failed = true;
		v.rep->first_bad = v.last_seq;
		snprintf(out->problem, sizeof out->problem,
			 _("record %lld (deploy.fail): the failure opened no "
			   "incident (the trail ends with it)"),
			 (long long)v.last_seq);
		goto out;
	}
	check_tail(&v);
	for (int t = 0; t < MODEL_TABLE_COUNT && !v.failed && !code; t++) {
		code = model_table_scan(s->db, (enum model_table)t, compare[t],
					&v, err);
		if (!code && !v.failed)
			all_seen(&v, (enum model_table)t);
	}
	/* The search's data is derived from the tasks just checked: it is
	 * not in the trail, but it must say what they say. */
	if (!code && !v.failed) {
		struct dd_error index_why = {0};
		enum dd_code spans = model_search_check(s->db, &why);
		enum dd_code index = model_search_check_end(search, &index_why);

		search = NULL;
		if (spans || index) {
			snprintf(out->problem, sizeof out->problem, "%s",
				 spans ? why.msg : index_why.msg);
			v.failed = true;
		}
	}
	/* So are the delivery figures kept a day at a time. */
	if (!code && !v.failed)
		code = model_figures_check(s->db, on_stale_figures, &v, err);
	if (!code && !v.failed && checkpoints && !v.ncps)
		no_checkpoint(&v);
out:
	/* Ended early: the index's check is waited for, its answer left. */
	if (search)
		model_search_check_end(search, &why);
	out->intact = !code && !v.failed && !out->problem[0];
	verify_free(&v);
	return code;
}

/* ---------------------------------------------------------------- lines */

/* Reads one checkpoint from a line's text after the tag and a space. */
static bool
parse_checkpoint(const char *p, const char *end, struct core_checkpoint *cp)
{
	char field[5][80];
	int n = 0;
	long long seq;
	char *tail;

	while (p < end && n < 5) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t len = sp ? (size_t)(sp - p) : (size_t)(end - p);

		if (len == 0 || len >= sizeof field[0])
			return false;
		memcpy(field[n], p, len);
		field[n++][len] = '\0';
		p += len + (sp ? 1 : 0);
	}
	while (p < end && (*p == ' ' || *p == '\r' || *p == '\t'))
		p++;
	if (n != 5 || p != end || strcmp(field[0], "1") != 0)
		return false;
	if (strlen(field[1]) >= sizeof cp->database_id ||
	    strspn(field[1], "0123456789abcdef-") != strlen(field[1]))
		return false;
	memcpy(cp->database_id, field[1], strlen(field[1]) + 1);
	seq = strtoll(field[2], &tail, 10);
	if (*tail || seq < 1 || field[2][0] == '0' || field[2][0] == '+')
		return false;
	cp->seq = seq;
	if (strlen(field[3]) != 64 ||
	    strspn(field[3], "0123456789abcdef") != 64)
		return false;
	for (int i = 0; i < 32; i++) {
		unsigned hi = (unsigned)(field[3][2 * i] <= '9'
					     ? field[3][2 * i] - '0'
					     : field[3][2 * i] - 'a' + 10);
		unsigned lo = (unsigned)(field[3][2 * i + 1] <= '9'
					     ? field[3][2 * i + 1] - '0'
					     : field[3][2 * i + 1] - 'a' + 10);

		cp->hash[i] = (unsigned char)(hi << 4 | lo);
	}
	{
		int64_t packed;

		if (!time_iso_pack(field[4], strlen(field[4]), &packed))
			return false;
	}
	memcpy(cp->time, field[4], TIME_ISO_SIZE); /* packed: 20 bytes */
	return true;
}

enum dd_code
core_checkpoint_parse(const char *text, size_t len,
		      struct core_checkpoint_list *out, struct dd_error *err)
{
	static const char tag[] = CORE_CHECKPOINT_TAG " ";
	const char *p = text, *end = text + len;
	size_t line = 0, cap = 0;

	out->items = NULL;
	out->count = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *at =
		    memmem(p, (size_t)(eol - p), tag, sizeof tag - 1);

		line++;
		if (at) {
			struct core_checkpoint cp = {.line = line};
			const char *rest = at + sizeof tag - 1;

			if (!parse_checkpoint(rest, eol, &cp)) {
				core_checkpoint_list_free(out);
				return dd_fail(err, DD_ERR_INPUT,
					       _("line %zu is not a "
						 "well-formed checkpoint (%s "
						 "%d <database id> <record> "
						 "<hash> <time>)"),
					       line, CORE_CHECKPOINT_TAG,
					       CORE_CHECKPOINT_FORMAT);
			}
			if (out->count == cap) {
				cap = cap ? 2 * cap : 16;
				out->items = xrealloc(out->items,
						      cap * sizeof *out->items);
			}
			out->items[out->count++] = cp;
		}
		p = nl ? nl + 1 : end;
	}
	return DD_OK;
}

void
core_checkpoint_list_free(struct core_checkpoint_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
