/* SPDX-License-Identifier: MIT */
/* The storage seam: what the model's files ask of a database engine, as
 * one table of operations (struct mdb_backend) chosen when the database
 * is opened. The model's files hold the SQL and read rows through the
 * wrappers below; only a backend's own file (backend-sqlite.c) includes
 * its engine's header. Nothing here leaves the model layer. */
#ifndef DD_MODEL_MDB_H
#define DD_MODEL_MDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct model_db;

/* A prepared statement: its backend's handle, with the table that knows
 * it. Parameters are numbered from 1, columns from 0, as in SQL. */
struct mdb_stmt {
	const struct mdb_backend *be;
	void *h;
};

/* What a step gives. */
enum mdb_step {
	MDB_ROW,  /* a row is there to read */
	MDB_DONE, /* the statement has run to its end */
	MDB_FAIL, /* an error: mdb_error() says which */
};

/* The type of a column's value in the current row. */
enum mdb_type {
	MDB_NULL,
	MDB_INTEGER,
	MDB_TEXT,
	MDB_BLOB,
	MDB_OTHER, /* a REAL: never written by deploydesk */
};

/* What a check of derived data found. */
enum mdb_check {
	MDB_CHECK_OK,
	MDB_CHECK_MISMATCH, /* the data does not match what it derives from */
	MDB_CHECK_ERROR,    /* the check could not run */
};

struct mdb_backend {
	const char *name; /* "sqlite" */
	/* The schema's migrations in this backend's SQL: entry i makes
	 * version i + 1 from version i. */
	const char *const *migrations;
	int migrations_count;

	/* The connection (the model_db's conn). */
	enum dd_code (*open)(struct model_db *db, bool create,
			     struct dd_error *err);
	/* When open has not checked it: the database is deploydesk's, or,
	 * to create it, empty (NULL: open did). */
	enum dd_code (*claim)(struct model_db *db, bool create,
			      struct dd_error *err);
	void (*close)(struct model_db *db);
	/* Turns the connection's last error into a message a person
	 * understands. */
	enum dd_code (*error)(struct model_db *db, struct dd_error *err);
	/* Runs SQL text of one or more statements without parameters. */
	enum dd_code (*exec)(struct model_db *db, const char *sql,
			     struct dd_error *err);
	/* Whether a transaction is open on the connection. */
	bool (*in_transaction)(struct model_db *db);
	/* Rows changed by the last INSERT, UPDATE or DELETE. */
	int64_t (*changes)(struct model_db *db);
	/* A write transaction that waits for other writers. */
	enum dd_code (*begin_write)(struct model_db *db, struct dd_error *err);
	/* A read transaction: its reads see one state of the data. */
	enum dd_code (*begin_read)(struct model_db *db, struct dd_error *err);
	/* A number that changes when another connection commits. */
	enum dd_code (*data_version)(struct model_db *db, int64_t *out,
				     struct dd_error *err);
	/* The schema version the database holds; setting it is part of
	 * the migration's transaction. */
	enum dd_code (*schema_version)(struct model_db *db, int64_t *out,
				       struct dd_error *err);
	enum dd_code (*set_schema_version)(struct model_db *db, int64_t v,
					   struct dd_error *err);
	/* Before a migration, outside any transaction: a copy of the
	 * database it can be brought back from (*backup_path, malloc'd). */
	enum dd_code (*backup)(struct model_db *db, int64_t version,
			       char **backup_path, struct dd_error *err);
	/* Compares the database's schema with the one version creates. */
	enum dd_code (*schema_check)(struct model_db *db, int64_t version,
				     struct dd_error *err);
	/* "tasks t" read in the order of the history's index, covering the
	 * columns it holds (SQLite must be told: INDEXED BY). */
	const char *tasks_by_history;
	/* The search index is FTS5's: the plans of model-search.c apply
	 * (vocabulary, blocks of rowids). Otherwise a searched page adds
	 * search_condition, its ? the typed text, and the engine plans. */
	bool fts5;
	const char *search_condition;
	/* Changes are timed by the server's clock (dd_now()), one for every
	 * host, not by the program's. */
	bool server_clock;
	/* The search index's writes, for the deployment of id ?1 as it
	 * stands: index it, forget it (before it changes). */
	const char *search_add;
	const char *search_remove;
	/* Checks the search index against the deployments, on a
	 * connection of its own to the database at location: it may run
	 * in a thread of its own. error (size bytes) gets the engine's
	 * message for MDB_CHECK_ERROR. */
	enum mdb_check (*search_check)(const char *location, char *error,
				       size_t size);

	/* For a copy of a whole database (model-copy.c). */
	/* The names of the schema's tables (one column), the engine's own
	 * and the virtual ones left out. */
	const char *tables;
	/* A table's rowid is left out of "SELECT *" (SQLite's): a copy
	 * names it to keep it. */
	bool hidden_rowid;
	/* The search index made again, whole, from the deployments. */
	const char *search_rebuild;
	/* The ids tables give themselves and never give again (SQLite's
	 * AUTOINCREMENT, PostgreSQL's identity columns): a row each of
	 * table, column and the last id given, 0 when none was. */
	const char *id_counters;
	/* Makes last the last id column of table gave. */
	enum dd_code (*id_counter_set)(struct model_db *db, const char *table,
				       const char *column, int64_t last,
				       struct dd_error *err);

	/* Statements. keep: prepared to be run many times. */
	enum dd_code (*prepare)(struct model_db *db, const char *sql, bool keep,
				void **h, struct dd_error *err);
	void (*finalize)(void *h);
	/* Back to before its first step, its parameters cleared. */
	void (*reset)(void *h);
	/* Back to before its first step, its parameters kept. */
	void (*rewind)(void *h);
	enum mdb_step (*step)(void *h);
	void (*bind_null)(void *h, int i);
	void (*bind_int)(void *h, int i, int64_t v);
	/* copy: the text is copied; otherwise it must stay until the
	 * statement is reset, and s[n] is a NUL. */
	void (*bind_text)(void *h, int i, const char *s, size_t n, bool copy);
	void (*bind_blob)(void *h, int i, const void *p, size_t n);
	/* The number of the parameter named name (":after"), 0 if none. */
	int (*param_index)(void *h, const char *name);
	int (*column_count)(void *h);
	const char *(*column_name)(void *h, int i);
	enum mdb_type (*col_type)(void *h, int i);
	int64_t (*col_int)(void *h, int i);
	/* NULL for SQL NULL; valid until the next step or reset. */
	const char *(*col_text)(void *h, int i);
	const void *(*col_blob)(void *h, int i);
	size_t (*col_bytes)(void *h, int i);
};

extern const struct mdb_backend mdb_sqlite;
extern const struct mdb_backend mdb_postgresql;
/* A server's location as messages name it before connecting: database and
 * host, never the text (*password: whether it holds one). malloc'd. */
char *pg_location_name(const char *location, bool *password);

static inline enum mdb_step
mdb_step(struct mdb_stmt *st)
{
	return st->be->step(st->h);
}

/* Back to before the first step, for another run with other parameters
 * (mdb_release() gives a statement back). */
static inline void
mdb_rewind(struct mdb_stmt *st)
{
	st->be->rewind(st->h);
}

static inline void
mdb_bind_null(struct mdb_stmt *st, int i)
{
	st->be->bind_null(st->h, i);
}

static inline void
mdb_bind_int(struct mdb_stmt *st, int i, int64_t v)
{
	st->be->bind_int(st->h, i, v);
}

/* The text s (NULL: SQL NULL), which must stay until the statement is
 * released or rewound: most texts are the caller's, alive across the
 * call. mdb_bind_text() copies. */
static inline void
mdb_bind_str(struct mdb_stmt *st, int i, const char *s)
{
	if (s)
		st->be->bind_text(st->h, i, s, __builtin_strlen(s), false);
	else
		st->be->bind_null(st->h, i);
}

/* n bytes of s, followed by a NUL (a strbuf's text), kept as
 * mdb_bind_str keeps its text. */
static inline void
mdb_bind_strn(struct mdb_stmt *st, int i, const char *s, size_t n)
{
	st->be->bind_text(st->h, i, s, n, false);
}

static inline void
mdb_bind_blob(struct mdb_stmt *st, int i, const void *p, size_t n)
{
	st->be->bind_blob(st->h, i, p, n);
}

static inline int
mdb_param_index(struct mdb_stmt *st, const char *name)
{
	return st->be->param_index(st->h, name);
}

static inline enum mdb_type
mdb_col_type(struct mdb_stmt *st, int i)
{
	return st->be->col_type(st->h, i);
}

static inline bool
mdb_col_null(struct mdb_stmt *st, int i)
{
	return st->be->col_type(st->h, i) == MDB_NULL;
}

static inline int64_t
mdb_col_int(struct mdb_stmt *st, int i)
{
	return st->be->col_int(st->h, i);
}

static inline const char *
mdb_col_text(struct mdb_stmt *st, int i)
{
	return st->be->col_text(st->h, i);
}

static inline const void *
mdb_col_blob(struct mdb_stmt *st, int i)
{
	return st->be->col_blob(st->h, i);
}

static inline size_t
mdb_col_bytes(struct mdb_stmt *st, int i)
{
	return st->be->col_bytes(st->h, i);
}

static inline int
mdb_column_count(struct mdb_stmt *st)
{
	return st->be->column_count(st->h);
}

static inline const char *
mdb_column_name(struct mdb_stmt *st, int i)
{
	return st->be->column_name(st->h, i);
}

#endif
