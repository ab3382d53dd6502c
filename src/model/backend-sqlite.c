/* SPDX-License-Identifier: MIT */
/* The SQLite backend: a database in one file, opened by its path. What
 * only SQLite has stays here: the file's checks and its backup before a
 * migration, the application id and user_version, PRAGMA data_version,
 * sqlite_master for the schema check, FTS5's integrity check. */
#include "model/model-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

/* "DPDK": marks a SQLite file as a deploydesk database. */
#define DD_APPLICATION_ID 0x4450444b

/* data/migrations, embedded by data/embed.py: entry i is version i + 1. */
extern const char *const model_migrations[];
extern const int model_migrations_count;

#define CONN(db) ((sqlite3 *)(db)->conn)
#define ST(h) ((sqlite3_stmt *)(h))

static enum dd_code
lite_error(struct model_db *db, struct dd_error *err)
{
	const char *path = db->path;
	const char *msg = sqlite3_errmsg(CONN(db));

	switch (sqlite3_extended_errcode(CONN(db)) & 0xff) {
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
			       msg);
	default:
		return dd_fail(err, DD_ERR_RUNTIME, _("database error: %s"),
			       msg);
	}
}

static enum dd_code
lite_exec(struct model_db *db, const char *sql, struct dd_error *err)
{
	if (sqlite3_exec(CONN(db), sql, NULL, NULL, NULL) != SQLITE_OK)
		return lite_error(db, err);
	return DD_OK;
}

/* SQLite calls this when a statement starts running (its first step
 * after a prepare or a reset), and for each trigger it runs. */
static int
trace_statement(unsigned type, void *ctx, void *stmt, void *text)
{
	(void)type;
	(void)stmt;
	mdb_trace(ctx, "run", text);
	return 0;
}

/* The name given to SQLite: a relative path is prefixed with "./", so that
 * no file name is taken for one of SQLite's special names (":memory:", a
 * "file:" URI), which would open a database that is not the file. */
static char *
file_name(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (path[0] != '/')
		strbuf_addstr(&sb, "./");
	strbuf_addstr(&sb, path);
	return strbuf_detach(&sb);
}

/* dd_now(): the time now, as deploydesk writes times
 * ("2026-02-06T14:00:00Z"), by the program's clock. */
static void
sql_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char now[TIME_ISO_SIZE];

	(void)argc;
	(void)argv;
	time_now_iso(now);
	sqlite3_result_text(ctx, now, -1, SQLITE_TRANSIENT);
}

/* Settings every connection needs; none of them persists in the file. */
static int
setup_connection(sqlite3 *conn)
{
	sqlite3_create_function_v2(conn, "dd_now", 0,
				   SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
				   sql_now, NULL, NULL, NULL);
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, 5000);
	sqlite3_db_config(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	return sqlite3_exec(conn,
			    "PRAGMA foreign_keys = ON;"
			    "PRAGMA trusted_schema = OFF;"
			    "PRAGMA temp_store = MEMORY;"
			    "PRAGMA synchronous = FULL;",
			    NULL, NULL, NULL);
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

/* The file at path may be opened: it exists (or, to create, does not),
 * is a regular file and can be read. */
static enum dd_code
check_file(const char *path, bool create, struct dd_error *err)
{
	struct stat sb;

	/* SQLite would open "" as a temporary database, gone on close. */
	if (path[0] == '\0')
		return dd_fail(err, DD_ERR_INPUT,
			       _("the database's path is empty"));
	if (create) {
		if (lstat(path, &sb) == 0)
			return dd_fail(err, DD_ERR_INPUT,
				       _("%s already exists: not replacing it"),
				       path);
		return make_parents(path, err);
	}
	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("database %s does not exist; create "
					 "it with 'deploydesk --db %s init'"),
				       path, path);
		return dd_fail(err, DD_ERR_RUNTIME, _("cannot open %s: %s"),
			       path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is not a regular file"), path);
	/* AT_EACCESS: the setgid program reads the shared database with its
	 * group, which access(2) would not count. */
	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) != 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot read database %s: %s"), path,
			       strerror(errno));
	return DD_OK;
}

static enum dd_code
lite_open(struct model_db *db, bool create, struct dd_error *err)
{
	/* One thread per connection: SQLite's own locking of every call
	 * would cost a tenth of a long read such as audit verify. */
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	sqlite3 *conn = NULL;
	int64_t app_id = 0;
	enum dd_code code;
	char *name;
	char sql[64];
	int rc;

	if (model_migrations_count != MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("built with %d migrations for schema version "
				 "%d"),
			       model_migrations_count, MODEL_SCHEMA_VERSION);
	db->name = xstrdup(db->path);
	code = check_file(db->path, create, err);
	if (code)
		return code;
	/* From here, a database that fails to be made is removed. */
	db->created = create;
	if (create)
		flags |= SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE;
	name = file_name(db->path);
	rc = sqlite3_open_v2(name, &conn, flags, NULL);
	free(name);
	db->conn = conn;
	if (rc != SQLITE_OK)
		return lite_error(db, err);
	if (db->trace_fd >= 0)
		sqlite3_trace_v2(conn, SQLITE_TRACE_STMT, trace_statement, db);
	db->readonly = sqlite3_db_readonly(conn, "main") == 1;
	if (setup_connection(conn) != SQLITE_OK)
		return lite_error(db, err);
	if (create) {
		/* WAL persists in the file; it cannot be set inside a
		 * transaction. The application id is written with the
		 * schema. */
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
			 DD_APPLICATION_ID);
		code = lite_exec(db, "PRAGMA journal_mode = WAL", err);
		return code ? code : lite_exec(db, sql, err);
	}
	code = mdb_int(db, "PRAGMA application_id", &app_id, err);
	if (!code && app_id != DD_APPLICATION_ID)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is not a deploydesk database"), db->path);
	return code;
}

static void
lite_close(struct model_db *db)
{
	sqlite3_close(CONN(db));
	db->conn = NULL;
}

static bool
lite_in_transaction(struct model_db *db)
{
	return !sqlite3_get_autocommit(CONN(db));
}

static int64_t
lite_changes(struct model_db *db)
{
	return sqlite3_changes64(CONN(db));
}

static enum dd_code
lite_begin_write(struct model_db *db, struct dd_error *err)
{
	return lite_exec(db, "BEGIN IMMEDIATE", err);
}

/* BEGIN takes no lock: the first read does, and keeps it. */
static enum dd_code
lite_begin_read(struct model_db *db, struct dd_error *err)
{
	return lite_exec(db, "BEGIN", err);
}

static enum dd_code
lite_data_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	return mdb_int(db, "PRAGMA data_version", out, err);
}

/* The first schema that keeps its version in the table schema_version;
 * before it, only PRAGMA user_version held it. */
#define VERSION_TABLE_SINCE 18

/* The version: the table's, from the schema that has it, checked against
 * the header's (user_version), which is written beside it for the
 * deploydesk builds that read only that. */
static enum dd_code
lite_schema_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	int64_t header = 0, table = 0;
	enum dd_code code = mdb_int(db, "PRAGMA user_version", &header, err);

	*out = header;
	/* A newer schema than this build knows may keep it elsewhere. */
	if (code || header < VERSION_TABLE_SINCE ||
	    header > MODEL_SCHEMA_VERSION)
		return code;
	code = mdb_int(db, "SELECT version FROM schema_version", &table, err);
	if (!code && table != header)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("%s is damaged: its schema version is %lld in "
				 "the file's header and %lld in its "
				 "schema_version table"),
			       db->path, (long long)header, (long long)table);
	return code;
}

static enum dd_code
lite_set_schema_version(struct model_db *db, int64_t v, struct dd_error *err)
{
	char sql[64];
	enum dd_code code;

	snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)v);
	code = lite_exec(db, sql, err);
	if (code || v < VERSION_TABLE_SINCE)
		return code;
	return mdb_schema_version_set(db, v, err);
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
 * next to it, before a migration changes it. The backup API cannot read
 * from a connection in a write transaction: it runs before the
 * migration's. */
static enum dd_code
lite_backup(struct model_db *db, int64_t version, char **backup_path,
	    struct dd_error *err)
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
	sqlite_name = file_name(strbuf_str(&name));
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
	b = sqlite3_backup_init(dest, "main", CONN(db), "main");
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

/* The schema check: sqlite_master compared, object by object, with the
 * one the same migrations make in a memory database. */

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrndup((const char *)s, sqlite3_column_bytes(st, i))
		 : NULL;
}

/* Reads a connection's schema, sorted by type and name. */
static int
schema_read(sqlite3 *conn, struct mdb_schema *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	rc = sqlite3_prepare_v2(conn,
				"SELECT type, name, tbl_name, sql "
				"FROM sqlite_master ORDER BY type, name",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		mdb_schema_add(out, col_dup(st, 0), col_dup(st, 1),
			       col_dup(st, 2), col_dup(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		mdb_schema_free(out);
		return rc;
	}
	return SQLITE_OK;
}

/* The schema of each version this build knows, made once per process in a
 * memory database from the same migrations a file goes through. */
static struct mdb_schema expected_schemas[MODEL_SCHEMA_VERSION];

static enum dd_code
expected_schema(int64_t version, const struct mdb_schema **out,
		struct dd_error *err)
{
	struct mdb_schema *sc;
	sqlite3 *mem = NULL;
	int rc = SQLITE_OK;

	if (version < 1 || version > mdb_sqlite.migrations_count ||
	    version > MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("no schema version %lld in this deploydesk"),
			       (long long)version);
	sc = &expected_schemas[version - 1];
	if (sc->items) {
		*out = sc;
		return DD_OK;
	}
	rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL);
	for (int64_t v = 0; rc == SQLITE_OK && v < version; v++)
		rc = sqlite3_exec(mem, mdb_sqlite.migrations[v], NULL, NULL,
				  NULL);
	if (rc == SQLITE_OK)
		rc = schema_read(mem, sc);
	sqlite3_close(mem);
	if (rc != SQLITE_OK)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot build deploydesk's own schema: %s"),
			       sqlite3_errstr(rc));
	*out = sc;
	return DD_OK;
}

static enum dd_code
lite_schema_check(struct model_db *db, int64_t version, struct dd_error *err)
{
	const struct mdb_schema *want = NULL;
	struct mdb_schema have;
	enum dd_code code;

	code = expected_schema(version, &want, err);
	if (code)
		return code;
	if (schema_read(CONN(db), &have) != SQLITE_OK)
		return lite_error(db, err);
	code = mdb_schema_compare(want, &have, err);
	mdb_schema_free(&have);
	return code;
}

/* FTS5's integrity check of the search index, the index against its
 * content re-tokenized, on a connection of its own: it runs in a thread
 * beside the rest of audit verify. Inside a savepoint rolled back: it
 * writes nothing. No gettext: the caller says the outcome in words. */
static enum mdb_check
lite_search_check(const char *path, char *error, size_t size)
{
	/* A rank of 1 has 'integrity-check' compare an external-content
	 * index with its content, re-tokenized (without it, SQLite 3.40,
	 * Debian 12's, checks only the index's own structure: a row planted
	 * in it went unseen). */
	const char *sql = "INSERT INTO task_search (task_search, rank) "
			  "VALUES ('integrity-check', 1)";
	char *name = file_name(path);
	sqlite3 *conn = NULL;
	int rc;

	rc = sqlite3_open_v2(name, &conn,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
				 SQLITE_OPEN_NOMUTEX,
			     NULL);
	free(name);
	if (rc == SQLITE_OK) {
		rc = setup_connection(conn);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(conn, "SAVEPOINT search_check", NULL,
					  NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
		sqlite3_exec(conn,
			     "ROLLBACK TO search_check; RELEASE search_check",
			     NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		snprintf(error, size, "%s",
			 conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
	sqlite3_close(conn);
	if ((rc & 0xff) == SQLITE_CORRUPT)
		return MDB_CHECK_MISMATCH;
	return rc == SQLITE_OK ? MDB_CHECK_OK : MDB_CHECK_ERROR;
}

/* SQLite keeps the last id of an AUTOINCREMENT table in sqlite_sequence, a
 * row a table, which it makes at the table's first insertion. */
static enum dd_code
lite_id_counter_set(struct model_db *db, const char *table, const char *column,
		    int64_t last, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum dd_code code;

	(void)column; /* the table's INTEGER PRIMARY KEY */
	code = mdb_prepare(db,
			   "UPDATE sqlite_sequence SET seq = ?2 "
			   "WHERE name = ?1",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, table);
	mdb_bind_int(st, 2, last);
	code = mdb_step_done(db, st, err);
	if (code || mdb_changes(db) > 0)
		return code;
	code = mdb_prepare(
	    db, "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)", &st,
	    err);
	if (code)
		return code;
	mdb_bind_str(st, 1, table);
	mdb_bind_int(st, 2, last);
	return mdb_step_done(db, st, err);
}

/* Statements. */

static enum dd_code
lite_prepare(struct model_db *db, const char *sql, bool keep, void **h,
	     struct dd_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(CONN(db), sql, -1,
			       keep ? SQLITE_PREPARE_PERSISTENT : 0, &st,
			       NULL) != SQLITE_OK) {
		*h = NULL;
		return lite_error(db, err);
	}
	*h = st;
	return DD_OK;
}

static void
lite_finalize(void *h)
{
	sqlite3_finalize(ST(h));
}

static void
lite_reset(void *h)
{
	/* The error of a failed step is reported again by reset; it was
	 * handled then. */
	sqlite3_reset(ST(h));
	sqlite3_clear_bindings(ST(h));
}

static void
lite_rewind(void *h)
{
	sqlite3_reset(ST(h));
}

static enum mdb_step
lite_step(void *h)
{
	switch (sqlite3_step(ST(h))) {
	case SQLITE_ROW:
		return MDB_ROW;
	case SQLITE_DONE:
		return MDB_DONE;
	default:
		return MDB_FAIL;
	}
}

static void
lite_bind_null(void *h, int i)
{
	sqlite3_bind_null(ST(h), i);
}

static void
lite_bind_int(void *h, int i, int64_t v)
{
	sqlite3_bind_int64(ST(h), i, v);
}

static void
lite_bind_text(void *h, int i, const char *s, size_t n, bool copy)
{
	sqlite3_bind_text64(ST(h), i, s, n,
			    copy ? SQLITE_TRANSIENT : SQLITE_STATIC,
			    SQLITE_UTF8);
}

static void
lite_bind_blob(void *h, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(ST(h), i, p, n, SQLITE_STATIC);
}

static int
lite_param_index(void *h, const char *name)
{
	return sqlite3_bind_parameter_index(ST(h), name);
}

static int
lite_column_count(void *h)
{
	return sqlite3_column_count(ST(h));
}

static const char *
lite_column_name(void *h, int i)
{
	return sqlite3_column_name(ST(h), i);
}

static enum mdb_type
lite_col_type(void *h, int i)
{
	switch (sqlite3_column_type(ST(h), i)) {
	case SQLITE_NULL:
		return MDB_NULL;
	case SQLITE_INTEGER:
		return MDB_INTEGER;
	case SQLITE_TEXT:
		return MDB_TEXT;
	case SQLITE_BLOB:
		return MDB_BLOB;
	default:
		return MDB_OTHER;
	}
}

static int64_t
lite_col_int(void *h, int i)
{
	return sqlite3_column_int64(ST(h), i);
}

static const char *
lite_col_text(void *h, int i)
{
	return (const char *)sqlite3_column_text(ST(h), i);
}

static const void *
lite_col_blob(void *h, int i)
{
	return sqlite3_column_blob(ST(h), i);
}

static size_t
lite_col_bytes(void *h, int i)
{
	return (size_t)sqlite3_column_bytes(ST(h), i);
}

#define SEARCH_COLUMNS "version, name, description, responsible, logs"

const struct mdb_backend mdb_sqlite = {
    .name = "sqlite",
    .migrations = model_migrations,
    .migrations_count = MODEL_SCHEMA_VERSION,
    .open = lite_open,
    .close = lite_close,
    .error = lite_error,
    .exec = lite_exec,
    .in_transaction = lite_in_transaction,
    .changes = lite_changes,
    .begin_write = lite_begin_write,
    .begin_read = lite_begin_read,
    .data_version = lite_data_version,
    .schema_version = lite_schema_version,
    .set_schema_version = lite_set_schema_version,
    .backup = lite_backup,
    .schema_check = lite_schema_check,
    .search_check = lite_search_check,
    .tasks_by_history = "tasks t INDEXED BY tasks_history",
    .fts5 = true,
    .search_add = "INSERT INTO task_search (rowid, " SEARCH_COLUMNS ") "
		  "SELECT task_rowid, " SEARCH_COLUMNS " FROM task_text "
		  "WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = ?1)",
    /* An external-content index forgets a row when told the words it
     * was given: the row as it stands, before it changes. */
    .search_remove =
	"INSERT INTO task_search (task_search, rowid, " SEARCH_COLUMNS ") "
	"SELECT 'delete', task_rowid, " SEARCH_COLUMNS " FROM task_text "
	"WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = ?1)",
    /* A virtual table is in sqlite_master as a table, and so are its
     * shadow tables, named after it. */
    .tables =
	"SELECT m.name FROM sqlite_master m "
	"WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' "
	"AND m.sql NOT LIKE 'CREATE VIRTUAL %' "
	"AND NOT EXISTS (SELECT 1 FROM sqlite_master v "
	"WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL %' "
	"AND substr(m.name, 1, length(v.name) + 1) = v.name || '_') "
	"ORDER BY m.name",
    .hidden_rowid = true,
    .search_rebuild =
	"INSERT INTO task_search (task_search) VALUES ('rebuild')",
    /* AUTOINCREMENT is allowed only on a table's INTEGER PRIMARY KEY. */
    .id_counters = "SELECT m.name, p.name, coalesce((SELECT max(s.seq) "
		   "FROM sqlite_sequence s WHERE s.name = m.name), 0) "
		   "FROM sqlite_master m, pragma_table_info(m.name) p "
		   "WHERE m.type = 'table' AND p.pk = 1 "
		   "AND m.sql LIKE '%AUTOINCREMENT%' ORDER BY m.name",
    .id_counter_set = lite_id_counter_set,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .rewind = lite_rewind,
    .step = lite_step,
    .bind_null = lite_bind_null,
    .bind_int = lite_bind_int,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .param_index = lite_param_index,
    .column_count = lite_column_count,
    .column_name = lite_column_name,
    .col_type = lite_col_type,
    .col_int = lite_col_int,
    .col_text = lite_col_text,
    .col_blob = lite_col_blob,
    .col_bytes = lite_col_bytes,
};
