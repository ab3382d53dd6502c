/* SPDX-License-Identifier: MIT */
/* Opening the database, migrating its schema, transactions and settings. */
#include "model/model-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* "DPDK": marks a SQLite file as a deploydesk database. */
#define DD_APPLICATION_ID 0x4450444b

/* data/migrations, embedded by data/embed.py: entry i is version i + 1. */
extern const char *const model_migrations[];
extern const int model_migrations_count;

enum dd_code
mdb_error(struct model_db *db, struct dd_error *err)
{
	int rc = sqlite3_extended_errcode(db->conn);
	const char *path = db->path;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s is locked by another process; "
				 "try again in a moment"),
			       path);
	case SQLITE_READONLY:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s is read-only for you: nothing "
				 "was changed"),
			       path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is damaged or is not a deploydesk "
				 "database"),
			       path);
	case SQLITE_FULL:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the disk holding %s is full: nothing was "
				 "changed"),
			       path);
	case SQLITE_CANTOPEN:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot open database %s (check the file and "
				 "its directory's permissions)"),
			       path);
	case SQLITE_IOERR:
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("input/output error on database %s: %s"), path,
			       sqlite3_errmsg(db->conn));
	default:
		return dd_fail(err, DD_ERR_RUNTIME, _("database error: %s"),
			       sqlite3_errmsg(db->conn));
	}
}

/* Writes one line of DEPLOYDESK_SQL_TRACE: what, then the SQL on one
 * line. A failed write is ignored: the trace is for measuring. */
static void
trace_line(struct model_db *db, const char *what, const char *sql)
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

/* SQLite calls this when a statement starts running (its first step
 * after a prepare or a reset), and for each trigger it runs. */
static int
trace_statement(unsigned type, void *ctx, void *stmt, void *text)
{
	(void)type;
	(void)stmt;
	trace_line(ctx, "run", text);
	return 0;
}

/* The trace asked for with DEPLOYDESK_SQL_TRACE=FILE: one line a
 * statement compiled ("prepare") and a statement run ("run"), appended to
 * FILE. secure_getenv: never in the setgid program. */
static void
trace_open(struct model_db *db)
{
	const char *path = secure_getenv("DEPLOYDESK_SQL_TRACE");

	db->trace_fd = -1;
	if (!path || !*path)
		return;
	db->trace_fd = open(
	    path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (db->trace_fd >= 0)
		sqlite3_trace_v2(db->conn, SQLITE_TRACE_STMT, trace_statement,
				 db);
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

/* Finalizes every cached statement (before the connection closes). */
static void
cache_clear(struct model_db *db)
{
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		sqlite3_finalize(c->st);
		free(c->sql);
		memset(c, 0, sizeof *c);
	}
}

enum dd_code
mdb_prepare(struct model_db *db, const char *sql, sqlite3_stmt **st,
	    struct dd_error *err)
{
	struct mdb_cached *slot = NULL;
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
		trace_line(db, "prepare", sql);
	if (sqlite3_prepare_v3(db->conn, sql, -1,
			       nested || !slot ? 0 : SQLITE_PREPARE_PERSISTENT,
			       st, NULL) != SQLITE_OK) {
		*st = NULL;
		return mdb_error(db, err);
	}
	if (nested || !slot)
		return DD_OK;
	/* The least recently used statement makes way. */
	sqlite3_finalize(slot->st);
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
mdb_release(struct model_db *db, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < MDB_CACHE_SIZE; i++) {
		struct mdb_cached *c = &db->cache[i];

		if (c->st == st) {
			/* The error of a failed step is reported again by
			 * reset; it was handled then. */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->in_use = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

enum dd_code
mdb_step_done(struct model_db *db, sqlite3_stmt *st, struct dd_error *err)
{
	int rc = sqlite3_step(st);
	enum dd_code code = DD_OK;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_exec(struct model_db *db, const char *sql, struct dd_error *err)
{
	if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return mdb_error(db, err);
	return DD_OK;
}

enum dd_code
mdb_collect(struct model_db *db, sqlite3_stmt *st, void **items, size_t *count,
	    size_t size, void (*read)(sqlite3_stmt *st, void *item),
	    struct dd_error *err)
{
	enum dd_code code = DD_OK;
	size_t cap = 0;
	int rc;

	*items = NULL;
	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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
	if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

void
mdb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else if (s)
		sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void
mdb_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

char *
mdb_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrndup((const char *)s, sqlite3_column_bytes(st, i))
		 : NULL;
}

void
mdb_col_copy(sqlite3_stmt *st, int i, char *out, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	size_t n = s ? (size_t)sqlite3_column_bytes(st, i) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

/* The name given to SQLite: a relative path is prefixed with "./", so that
 * no file name is taken for one of SQLite's special names (":memory:", a
 * "file:" URI), which would open a database that is not the file. */
char *
mdb_file_name(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (path[0] != '/')
		strbuf_addstr(&sb, "./");
	strbuf_addstr(&sb, path);
	return strbuf_detach(&sb);
}

enum dd_code
mdb_int(struct model_db *db, const char *sql, int64_t *out,
	struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code = mdb_prepare(db, sql, &st, err);

	if (code)
		return code;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

enum dd_code
mdb_text(struct model_db *db, const char *sql, const char *param, char **out,
	 struct dd_error *err)
{
	sqlite3_stmt *st;
	enum dd_code code;
	int rc;

	*out = NULL;
	code = mdb_prepare(db, sql, &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = mdb_col_dup(st, 0);
	else if (rc != SQLITE_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* Settings every connection needs; none of them persists in the file. */
static enum dd_code
setup_connection(struct model_db *db, struct dd_error *err)
{
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, 5000);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	return mdb_exec(db,
			"PRAGMA foreign_keys = ON;"
			"PRAGMA trusted_schema = OFF;"
			"PRAGMA temp_store = MEMORY;"
			"PRAGMA synchronous = FULL;",
			err);
}

/* BEGIN IMMEDIATE, without model_begin's check of the schema: for
 * creating and migrating it. */
static enum dd_code
begin_immediate(struct model_db *db, struct dd_error *err)
{
	return mdb_exec(db, "BEGIN IMMEDIATE", err);
}

/* Applies the migrations after version `from`, inside the caller's
 * transaction, and records the new version. */
static enum dd_code
apply_migrations(struct model_db *db, int64_t from, struct dd_error *err)
{
	char sql[64];
	enum dd_code code;

	for (int64_t v = from; v < model_migrations_count; v++) {
		if (sqlite3_exec(db->conn, model_migrations[v], NULL, NULL,
				 NULL) != SQLITE_OK) {
			code = mdb_error(db, err);
			return dd_fail(err, code,
				       _("cannot upgrade the schema to version "
					 "%lld: %s"),
				       (long long)v + 1,
				       sqlite3_errmsg(db->conn));
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		 model_migrations_count);
	return mdb_exec(db, sql, err);
}

/* Creates the empty file of a backup with the database's permissions,
 * before anything is written in it: the copy holds the same data. The
 * group is the database's too, or, when the caller cannot give it that
 * group, no group may read it. Returns the open descriptor, or -1 (errno
 * set). */
static int
create_backup_file(const char *db_path, const char *name)
{
	struct stat db_sb, sb;
	mode_t mode;
	int fd, e;

	if (stat(db_path, &db_sb) != 0)
		return -1;
	mode = db_sb.st_mode & 0777;
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0)
		goto fail;
	if (sb.st_gid != db_sb.st_gid && fchown(fd, (uid_t)-1, db_sb.st_gid))
		mode &= ~(mode_t)070;
	/* Exactly that mode, whatever the umask. */
	if (fchmod(fd, mode) != 0)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	unlink(name);
	errno = e;
	return -1;
}

/* Copies the whole database, through SQLite's online backup, to a new file
 * next to it, before a migration changes it. */
static enum dd_code
backup_before_migration(struct model_db *db, int64_t version,
			char **backup_path, struct dd_error *err)
{
	struct strbuf name = STRBUF_INIT;
	char stamp[TIME_ISO_SIZE];
	char *sqlite_name = NULL;
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	enum dd_code code = DD_OK;
	bool created = false;
	int fd, rc;

	time_now_iso(stamp);
	for (char *p = stamp; *p; p++)
		if (*p == ':')
			*p = '-';
	strbuf_addf(&name, "%s.v%lld-%s.bak", db->path, (long long)version,
		    stamp);
	fd = create_backup_file(db->path, strbuf_str(&name));
	if (fd < 0) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot create the backup %s before upgrading "
				 "the database: %s"),
			       strbuf_str(&name), strerror(errno));
		goto out;
	}
	created = true;
	close(fd);
	/* SQLite takes the empty file for an empty database. */
	sqlite_name = mdb_file_name(strbuf_str(&name));
	rc =
	    sqlite3_open_v2(sqlite_name, &dest,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot create the backup %s before upgrading "
				 "the database: %s"),
			       strbuf_str(&name), sqlite3_errmsg(dest));
		goto out;
	}
	b = sqlite3_backup_init(dest, "main", db->conn, "main");
	if (!b) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot back up the database: %s"),
			       sqlite3_errmsg(dest));
		goto out;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot back up the database: %s"),
			       sqlite3_errstr(rc));
		goto out;
	}
	if (backup_path)
		*backup_path = xstrdup(strbuf_str(&name));
out:
	sqlite3_close(dest);
	/* Only a file this call made is removed: another process may have
	 * made one of the same name in the same second. */
	if (code && created)
		unlink(strbuf_str(&name));
	free(sqlite_name);
	strbuf_release(&name);
	return code;
}

/* Brings an existing database to MODEL_SCHEMA_VERSION. The version is read
 * again inside BEGIN IMMEDIATE so that two processes never migrate at the
 * same time. */
static enum dd_code
migrate(struct model_db *db, char **backup_path, struct dd_error *err)
{
	struct dd_error why = {0};
	int64_t version = 0, app_id = 0;
	enum dd_code code;

	code = mdb_int(db, "PRAGMA application_id", &app_id, err);
	if (code)
		return code;
	if (app_id != DD_APPLICATION_ID)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is not a deploydesk database"), db->path);
	code = mdb_int(db, "PRAGMA user_version", &version, err);
	if (code)
		return code;
	if (version > MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s has schema version %lld, newer "
				 "than this deploydesk understands (%d): "
				 "upgrade deploydesk"),
			       db->path, (long long)version,
			       MODEL_SCHEMA_VERSION);
	if (version == MODEL_SCHEMA_VERSION)
		return DD_OK;
	if (db->readonly)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("database %s needs an upgrade but is "
				 "read-only for you"),
			       db->path);
	/* The backup API cannot read from a connection in a write
	 * transaction: back up first, then migrate under BEGIN IMMEDIATE if
	 * no other process did meanwhile. */
	code = backup_before_migration(db, version, backup_path, err);
	if (!code)
		code = begin_immediate(db, err);
	if (code)
		return code;
	code = mdb_int(db, "PRAGMA user_version", &version, err);
	/* A schema changed by hand is not built upon. */
	if (!code && version < MODEL_SCHEMA_VERSION && version > 0 &&
	    mdb_schema_check(db, version, &why) != DD_OK)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("not upgrading %s: its schema was changed "
				 "outside deploydesk (%s)"),
			       db->path, why.msg);
	if (!code && version < MODEL_SCHEMA_VERSION)
		code = apply_migrations(db, version, err);
	if (!code)
		code = model_commit(db, err);
	if (code)
		model_rollback(db);
	return code;
}

/* Creates the schema in a new, empty file. */
static enum dd_code
create_schema(struct model_db *db, struct dd_error *err)
{
	char sql[64];
	enum dd_code code;

	/* WAL persists in the file; it cannot be set inside a transaction. */
	code = mdb_exec(db, "PRAGMA journal_mode = WAL", err);
	if (!code)
		code = begin_immediate(db, err);
	if (code)
		return code;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
		 DD_APPLICATION_ID);
	code = mdb_exec(db, sql, err);
	if (!code)
		code = apply_migrations(db, 0, err);
	if (!code)
		code = model_commit(db, err);
	if (code)
		model_rollback(db);
	return code;
}

/* Creates the directories above path that do not exist yet (0700). Each
 * '/' after the first character ends one; "", "x" and "/x" have none. */
static enum dd_code
make_parents(const char *path, struct dd_error *err)
{
	char *dir = xstrdup(path);
	enum dd_code code = DD_OK;

	for (char *p = dir; *p; p++) {
		if (*p != '/' || p == dir)
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("cannot create directory %s: %s"), dir,
				       strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return code;
}

enum dd_code
model_open(const char *path, enum model_open_mode mode, struct model_db **out,
	   char **backup_path, struct dd_error *err)
{
	struct model_db *db;
	struct stat sb;
	/* One thread per connection: SQLite's own locking of every call
	 * would cost a tenth of a long read such as audit verify. */
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	char *name;
	enum dd_code code;
	int rc;

	*out = NULL;
	if (backup_path)
		*backup_path = NULL;
	/* SQLite would open "" as a temporary database, gone on close. */
	if (path[0] == '\0')
		return dd_fail(err, DD_ERR_INPUT,
			       _("the database's path is empty"));
	if (mode == MODEL_OPEN_CREATE) {
		if (lstat(path, &sb) == 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("%s already exists: not replacing it"),
				       path);
		code = make_parents(path, err);
		if (code)
			return code;
		flags |= SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE;
	} else if (lstat(path, &sb) != 0) {
		if (errno == ENOENT)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("database %s does not exist; create "
					 "it with 'deploydesk --db %s init'"),
				       path, path);
		return dd_fail(err, DD_ERR_RUNTIME, _("cannot open %s: %s"),
			       path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is not a regular file"), path);
	} else if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0) {
		/* AT_EACCESS: the setgid program reads the shared database
		 * with its group, which access(2) would not count. */
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot read database %s: %s"), path,
			       strerror(errno));
	}

	if (model_migrations_count != MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("built with %d migrations for schema version "
				 "%d"),
			       model_migrations_count, MODEL_SCHEMA_VERSION);
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->trace_fd = -1;
	name = mdb_file_name(path);
	rc = sqlite3_open_v2(name, &db->conn, flags, NULL);
	free(name);
	if (rc != SQLITE_OK) {
		code = mdb_error(db, err);
		goto fail;
	}
	trace_open(db);
	db->readonly = sqlite3_db_readonly(db->conn, "main") == 1;
	code = setup_connection(db, err);
	if (code)
		goto fail;
	if (mode == MODEL_OPEN_CREATE)
		code = create_schema(db, err);
	else
		code = migrate(db, backup_path, err);
	if (code)
		goto fail;
	*out = db;
	return DD_OK;
fail:
	cache_clear(db);
	sqlite3_close(db->conn);
	if (db->trace_fd >= 0)
		close(db->trace_fd);
	/* A database we failed to create is not left half-made. */
	if (mode == MODEL_OPEN_CREATE)
		model_delete(path);
	free(db->path);
	free(db);
	return code;
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
	sqlite3_close(db->conn);
	if (db->trace_fd >= 0)
		close(db->trace_fd);
	free(db->path);
	free(db);
}

enum dd_code
model_begin(struct model_db *db, struct dd_error *err)
{
	struct dd_error why = {0};
	enum dd_code code = begin_immediate(db, err);

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
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

enum dd_code
model_read_begin(struct model_db *db, bool *began, struct dd_error *err)
{
	enum dd_code code;

	*began = false;
	if (!sqlite3_get_autocommit(db->conn))
		return DD_OK;
	/* BEGIN takes no lock: the first read does, and keeps it. */
	code = mdb_exec(db, "BEGIN", err);
	*began = !code;
	return code;
}

void
model_read_end(struct model_db *db, bool began)
{
	/* Nothing was written: ROLLBACK and COMMIT are the same, but
	 * ROLLBACK cannot be taken for a commit of a write. */
	if (began && !sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

enum dd_code
model_data_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	return mdb_int(db, "PRAGMA data_version", out, err);
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
	sqlite3_stmt *st;
	enum dd_code code;

	code = mdb_prepare(
	    db,
	    "INSERT INTO settings (key, value) VALUES (?, ?) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    &st, err);
	if (code)
		return code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return mdb_step_done(db, st, err);
}
