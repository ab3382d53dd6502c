/* SPDX-License-Identifier: MIT */
/* Opening the database, migrating its schema, transactions and settings. */
#include "model/model-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/strbuf.h"

enum dd_code
mdb_error(struct model_db *db, struct dd_error *err)
{
	return db->be->error(db, err);
}

/* Writes one line of DEPLOYDESK_SQL_TRACE: what, then the SQL on one
 * line. A failed write is ignored: the trace is for measuring. */
void
mdb_trace(struct model_db *db, const char *what, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;

	strbuf_addstr(&sb, what);
	strbuf_addch(&sb, ' ');
	for (const char *p = sql; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			space = true;
			continue;
		}
		if (space && sb.len > strlen(what) + 1)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '\n');
	if (write(db->trace_fd, strbuf_str(&sb), sb.len) < 0) {
		/* Nothing to do: a lost line of a measurement. */
	}
	strbuf_release(&sb);
}

/* The trace asked for with DEPLOYDESK_SQL_TRACE=FILE: one line a
 * statement compiled ("prepare") and a statement run ("run", which the
 * backend writes), appended to FILE. secure_getenv: never in the setgid
 * program. */
static void
trace_open(struct model_db *db)
{
	const char *path = secure_getenv("DEPLOYDESK_SQL_TRACE");

	db->trace_fd = -1;
	if (!path || !*path)
		return;
	db->trace_fd = open(
	    path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
}

/* FNV-1a, to skip most comparisons of long SQL texts. */
static uint64_t
sql_hash(const char *sql, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)sql[i]) * 1099511628211ULL;
	return h;
}

static void
stmt_free(struct mdb_stmt *st)
{
	st->be->finalize(st->h);
	free(st);
}

/* Finalizes every cached statement (before the connection closes). */
static void
cache_clear(struct model_db *db)
{
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		if (c->st)
			stmt_free(c->st);
		free(c->sql);
		memset(c, 0, sizeof *c);
	}
}

enum dd_code
mdb_prepare(struct model_db *db, const char *sql, struct mdb_stmt **st,
	    struct dd_error *err)
{
	struct mdb_cached *slot = NULL;
	enum dd_code code;
	void *h;
	bool nested = false;
	uint64_t hash;
	size_t len;

	/* Most SQL is a string constant, given again at the same address:
	 * found by that and a comparison, it needs no hash (a long text
	 * costs a microsecond to hash, and a view of every project prepares
	 * hundreds). Text built elsewhere may come at an address another
	 * text had: the comparison tells. */
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		if (c->sql && c->given == sql && !c->in_use &&
		    strcmp(c->sql, sql) == 0) {
			c->in_use = true;
			c->used = ++db->tick;
			*st = c->st;
			return DD_OK;
		}
	}
	len = strlen(sql);
	hash = sql_hash(sql, len);
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		if (c->sql && c->hash == hash && c->len == len &&
		    memcmp(c->sql, sql, len) == 0) {
			if (!c->in_use) {
				c->in_use = true;
				c->given = sql;
				c->used = ++db->tick;
				*st = c->st;
				return DD_OK;
			}
			/* The same query inside a loop over its own
			 * rows: a statement of its own, not cached. */
			nested = true;
		}
		if (!c->in_use &&
		    (!slot || (slot->sql && (!c->sql || c->used < slot->used))))
			slot = c;
	}
	if (db->trace_fd >= 0)
		mdb_trace(db, "prepare", sql);
	*st = NULL;
	code = db->be->prepare(db, sql, !nested && slot, &h, err);
	if (code)
		return code;
	*st = xmalloc(sizeof **st);
	(*st)->be = db->be;
	(*st)->h = h;
	if (nested || !slot)
		return DD_OK;
	/* The least recently used statement makes way. */
	if (slot->st)
		stmt_free(slot->st);
	free(slot->sql);
	slot->sql = xstrndup(sql, len);
	slot->len = len;
	slot->hash = hash;
	slot->given = sql;
	slot->st = *st;
	slot->in_use = true;
	slot->used = ++db->tick;
	return DD_OK;
}

void
mdb_release(struct model_db *db, struct mdb_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		if (c->st == st) {
			st->be->reset(st->h);
			c->in_use = false;
			return;
		}
	}
	stmt_free(st);
}

enum dd_code
mdb_step_done(struct model_db *db, struct mdb_stmt *st, struct dd_error *err)
{
	enum dd_code code = DD_OK;

	if (mdb_step(st) == MDB_FAIL)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_step_id(struct model_db *db, struct mdb_stmt *st, int64_t *id,
	    struct dd_error *err)
{
	enum mdb_step rc = mdb_step(st);
	enum dd_code code = DD_OK;

	if (rc == MDB_ROW) {
		*id = mdb_col_int(st, 0);
		rc = mdb_step(st);
	} else if (rc == MDB_DONE) {
		rc = MDB_FAIL; /* an INSERT that returned no row */
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* The word for an object's type in messages. */
const char *
mdb_type_word(const char *type)
{
	if (strcmp(type, "table") == 0)
		return _("table");
	if (strcmp(type, "index") == 0)
		return _("index");
	if (strcmp(type, "trigger") == 0)
		return _("trigger");
	if (strcmp(type, "view") == 0)
		return _("view");
	if (strcmp(type, "function") == 0)
		return _("function");
	if (strcmp(type, "rule") == 0)
		return _("rule");
	if (strcmp(type, "policy") == 0)
		return _("row security policy");
	return type;
}

void
mdb_schema_add(struct mdb_schema *sc, char *type, char *name, char *tbl,
	       char *def)
{
	struct mdb_object *o;

	if (sc->count == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		sc->items = xrealloc(sc->items, sc->cap * sizeof *sc->items);
	}
	o = &sc->items[sc->count++];
	o->type = type;
	o->name = name;
	o->tbl = tbl;
	o->def = def;
}

void
mdb_schema_free(struct mdb_schema *sc)
{
	for (size_t i = 0; i < sc->count; i++) {
		free(sc->items[i].type);
		free(sc->items[i].name);
		free(sc->items[i].tbl);
		free(sc->items[i].def);
	}
	free(sc->items);
	sc->items = NULL;
	sc->count = sc->cap = 0;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

enum dd_code
mdb_schema_compare(const struct mdb_schema *want, const struct mdb_schema *have,
		   struct dd_error *err)
{
	size_t i = 0, j = 0;

	while (i < want->count || j < have->count) {
		const struct mdb_object *w =
		    i < want->count ? &want->items[i] : NULL;
		const struct mdb_object *h =
		    j < have->count ? &have->items[j] : NULL;
		int order;

		if (!w)
			order = 1;
		else if (!h)
			order = -1;
		else {
			order = strcmp(w->type, h->type);
			if (order == 0)
				order = strcmp(w->name, h->name);
		}
		if (order < 0)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("%s %s: missing from the schema"),
				       mdb_type_word(w->type), w->name);
		if (order > 0)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("%s %.64s: not deploydesk's"),
				       mdb_type_word(h->type), h->name);
		if (!same_text(w->tbl, h->tbl) || !same_text(w->def, h->def))
			return dd_fail(
			    err, DD_ERR_RUNTIME,
			    _("%s %s: differs from deploydesk's definition"),
			    mdb_type_word(w->type), w->name);
		i++;
		j++;
	}
	return DD_OK;
}

enum dd_code
mdb_schema_version_set(struct model_db *db, int64_t v, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code =
	    mdb_prepare(db, "UPDATE schema_version SET version = ?", &st, err);
	if (code)
		return code;
	mdb_bind_int(st, 1, v);
	return mdb_step_done(db, st, err);
}

enum dd_code
mdb_exec(struct model_db *db, const char *sql, struct dd_error *err)
{
	return db->be->exec(db, sql, err);
}

enum dd_code
mdb_collect(struct model_db *db, struct mdb_stmt *st, void **items,
	    size_t *count, size_t size,
	    void (*read)(struct mdb_stmt *st, void *item), struct dd_error *err)
{
	enum dd_code code = DD_OK;
	enum mdb_step rc;
	size_t cap = 0;

	*items = NULL;
	*count = 0;
	while ((rc = mdb_step(st)) == MDB_ROW) {
		void *item;

		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * size);
		}
		item = (char *)*items + *count * size;
		memset(item, 0, size);
		read(st, item);
		(*count)++;
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

void
mdb_bind_text(struct mdb_stmt *st, int i, const char *s)
{
	if (s && *s)
		st->be->bind_text(st->h, i, s, strlen(s), true);
	else if (s)
		st->be->bind_text(st->h, i, "", 0, false); /* a constant */
	else
		mdb_bind_null(st, i);
}

void
mdb_bind_id(struct mdb_stmt *st, int i, int64_t id)
{
	if (id > 0)
		mdb_bind_int(st, i, id);
	else
		mdb_bind_null(st, i);
}

char *
mdb_col_dup(struct mdb_stmt *st, int i)
{
	const char *s = mdb_col_text(st, i);

	return s ? xstrndup(s, mdb_col_bytes(st, i)) : NULL;
}

void
mdb_col_copy(struct mdb_stmt *st, int i, char *out, size_t size)
{
	const char *s = mdb_col_text(st, i);
	size_t n = s ? mdb_col_bytes(st, i) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

enum dd_code
mdb_int(struct model_db *db, const char *sql, int64_t *out,
	struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code = mdb_prepare(db, sql, &st, err);

	if (code)
		return code;
	if (mdb_step(st) == MDB_ROW)
		*out = mdb_col_int(st, 0);
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_text(struct model_db *db, const char *sql, const char *param, char **out,
	 struct dd_error *err)
{
	struct mdb_stmt *st;
	enum mdb_step rc;
	enum dd_code code;

	*out = NULL;
	code = mdb_prepare(db, sql, &st, err);
	if (code)
		return code;
	if (param)
		mdb_bind_str(st, 1, param);
	rc = mdb_step(st);
	if (rc == MDB_ROW)
		*out = mdb_col_dup(st, 0);
	else if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* Applies the migrations after version `from`, inside the caller's
 * transaction, and records the new version. */
static enum dd_code
apply_migrations(struct model_db *db, int64_t from, struct dd_error *err)
{
	for (int64_t v = from; v < db->be->migrations_count; v++) {
		struct dd_error why = {0};

		/* A version this backend never had: it begins later. */
		if (!db->be->migrations[v])
			continue;
		if (db->be->exec(db, db->be->migrations[v], &why))
			return dd_fail(err, why.code,
				       _("cannot upgrade the schema to version "
					 "%lld: %s"),
				       (long long)v + 1, why.msg);
	}
	return db->be->set_schema_version(db, db->be->migrations_count, err);
}

enum dd_code
mdb_schema_create(struct model_db *db, struct dd_error *err)
{
	return apply_migrations(db, 0, err);
}

/* Brings an existing database to MODEL_SCHEMA_VERSION. The version is read
 * again inside the write transaction so that two processes never migrate
 * at the same time. */
static enum dd_code
migrate(struct model_db *db, char **backup_path, struct dd_error *err)
{
	struct dd_error why = {0};
	int64_t version = 0;
	enum dd_code code;

	code = db->be->schema_version(db, &version, err);
	if (code)
		return code;
	if (version > MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s has schema version %lld, newer "
				 "than this deploydesk understands (%d): "
				 "upgrade deploydesk"),
			       db->name, (long long)version,
			       MODEL_SCHEMA_VERSION);
	if (version == MODEL_SCHEMA_VERSION)
		return DD_OK;
	if (db->readonly)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s needs an upgrade but is "
				 "read-only for you"),
			       db->name);
	/* The backup is made outside the migration's transaction (SQLite's
	 * cannot read from a connection in a write transaction): migrate
	 * then under the write lock if no other process did meanwhile. */
	code = db->be->backup(db, version, backup_path, err);
	if (!code)
		code = db->be->begin_write(db, err);
	if (code)
		return code;
	code = db->be->schema_version(db, &version, err);
	/* A schema changed by hand is not built upon. */
	if (!code && version < MODEL_SCHEMA_VERSION && version > 0 &&
	    db->be->schema_check(db, version, &why) != DD_OK)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("not upgrading %s: its schema was changed "
				 "outside deploydesk (%s)"),
			       db->name, why.msg);
	if (!code && version < MODEL_SCHEMA_VERSION)
		code = apply_migrations(db, version, err);
	if (!code)
		code = model_commit(db, err);
	if (code)
		model_rollback(db);
	return code;
}

/* Creates the schema in a new, empty database. */
static enum dd_code
create_schema(struct model_db *db, struct dd_error *err)
{
	enum dd_code code = db->be->begin_write(db, err);

	if (code)
		return code;
	code = apply_migrations(db, 0, err);
	if (!code)
		code = model_commit(db, err);
	if (code)
		model_rollback(db);
	return code;
}

enum dd_code
mdb_connect(const struct mdb_backend *be, const char *location, bool create,
	    struct model_db **out, struct dd_error *err)
{
	struct model_db *db = xcalloc(1, sizeof *db);
	enum dd_code code;

	db->be = be;
	db->path = xstrdup(location);
	trace_open(db);
	code = be->open(db, create, err);
	if (code) {
		/* A database we failed to create is not left half-made; one
		 * that was there (the failure may be that it exists) is not
		 * touched. */
		bool remove = create && db->created;

		model_close(db);
		if (remove)
			model_delete(location);
		return code;
	}
	*out = db;
	return DD_OK;
}

/* Claims the database (where the backend's open did not) and creates its
 * schema, or brings it up to date. */
static enum dd_code
open_schema(struct model_db *db, bool create, char **backup_path,
	    struct dd_error *err)
{
	enum dd_code code =
	    db->be->claim ? db->be->claim(db, create, err) : DD_OK;

	if (!code)
		code = create ? create_schema(db, err)
			      : migrate(db, backup_path, err);
	return code;
}

enum dd_code
model_open(const char *path, enum model_open_mode mode, struct model_db **out,
	   char **backup_path, struct dd_error *err)
{
	bool create = mode == MODEL_OPEN_CREATE;
	struct model_db *db;
	enum dd_code code;

	*out = NULL;
	if (backup_path)
		*backup_path = NULL;
	/* A path names a SQLite file (model_open_server() opens a
	 * server's database). */
	code = mdb_connect(&mdb_sqlite, path, create, &db, err);
	if (code)
		return code;
	code = open_schema(db, create, backup_path, err);
	if (code) {
		model_close(db);
		/* A database we failed to create is not left half-made. */
		if (create)
			model_delete(path);
		return code;
	}
	*out = db;
	return DD_OK;
}

enum dd_code
model_open_server(const char *location, enum model_open_mode mode,
		  struct model_db **out, struct dd_error *err)
{
	bool create = mode == MODEL_OPEN_CREATE;
	struct model_db *db;
	enum dd_code code;

	*out = NULL;
	code = mdb_connect(&mdb_postgresql, location, create, &db, err);
	if (code)
		return code;
	/* A failed creation is rolled back whole, DDL included: nothing
	 * to remove. */
	code = open_schema(db, create, NULL, err);
	if (code) {
		model_close(db);
		return code;
	}
	*out = db;
	return DD_OK;
}

char *
model_location_name(const char *location, bool *password)
{
	const char *path;

	if (db_location(location, &path) == DB_LOCATION_POSTGRESQL)
		return pg_location_name(location, password);
	*password = false;
	return xstrdup(path);
}

void
model_delete(const char *path)
{
	struct strbuf side = STRBUF_INIT;

	unlink(path);
	strbuf_addf(&side, "%s-wal", path);
	unlink(strbuf_str(&side));
	strbuf_reset(&side);
	strbuf_addf(&side, "%s-shm", path);
	unlink(strbuf_str(&side));
	strbuf_release(&side);
}

void
model_close(struct model_db *db)
{
	if (!db)
		return;
	cache_clear(db);
	db->be->close(db);
	if (db->trace_fd >= 0)
		close(db->trace_fd);
	free(db->path);
	free(db->name);
	free(db);
}

const char *
model_name(const struct model_db *db)
{
	return db->name;
}

enum dd_code
model_begin(struct model_db *db, struct dd_error *err)
{
	struct dd_error why = {0};
	enum dd_code code = db->be->begin_write(db, err);

	if (code)
		return code;
	/* Inside the transaction, so that what was checked is what the
	 * writes run with: a trigger planted by someone with write access
	 * to the file would run in this transaction. */
	if (model_schema_check(db, &why) != DD_OK) {
		model_rollback(db);
		return dd_fail(
		    err, DD_ERR_RUNTIME,
		    _("nothing was written: the database's schema "
		      "was changed outside deploydesk (%s); whoever "
		      "looks after the file (root, on a shared install) "
		      "must restore it: see deploydesk(1), AUDIT "
		      "TRAIL"),
		    why.msg);
	}
	return DD_OK;
}

enum dd_code
model_now(struct model_db *db, char out[TIME_ISO_SIZE], struct dd_error *err)
{
	enum dd_code code;
	char *now = NULL;

	if (!db->be->server_clock) {
		time_now_iso(out);
		return DD_OK;
	}
	code = mdb_text(db, "SELECT dd_now()", NULL, &now, err);
	if (!code && (!now || strlen(now) != TIME_ISO_SIZE - 1))
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("the server gave no time for the change"));
	if (!code)
		memcpy(out, now, TIME_ISO_SIZE);
	free(now);
	return code;
}

enum dd_code
model_commit(struct model_db *db, struct dd_error *err)
{
	enum dd_code code = mdb_figures_flush(db, err);

	if (!code)
		code = mdb_exec(db, "COMMIT", err);
	if (code)
		model_rollback(db);
	return code;
}

void
model_rollback(struct model_db *db)
{
	struct dd_error ignored = {0};

	if (db->be->in_transaction(db))
		db->be->exec(db, "ROLLBACK", &ignored);
}

enum dd_code
model_read_begin(struct model_db *db, bool *began, struct dd_error *err)
{
	enum dd_code code;

	*began = false;
	if (db->be->in_transaction(db))
		return DD_OK;
	code = db->be->begin_read(db, err);
	*began = !code;
	return code;
}

void
model_read_end(struct model_db *db, bool began)
{
	/* Nothing was written: ROLLBACK and COMMIT are the same, but
	 * ROLLBACK cannot be taken for a commit of a write. */
	if (began)
		model_rollback(db);
}

enum dd_code
model_data_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	return db->be->data_version(db, out, err);
}

enum dd_code
model_setting_get(struct model_db *db, const char *key, char **value,
		  struct dd_error *err)
{
	return mdb_text(db, "SELECT value FROM settings WHERE key = ?", key,
			value, err);
}

enum dd_code
model_setting_set(struct model_db *db, const char *key, const char *value,
		  struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	code = mdb_prepare(
	    db,
	    "INSERT INTO settings (key, value) VALUES (?, ?) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, key);
	mdb_bind_str(st, 2, value);
	return mdb_step_done(db, st, err);
}
