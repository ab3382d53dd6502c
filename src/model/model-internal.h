/* SPDX-License-Identifier: MIT */
/* What the model's files share and nothing else sees: the connection and
 * small statement helpers. */
#ifndef DD_MODEL_INTERNAL_H
#define DD_MODEL_INTERNAL_H

#include "model/mdb.h"
#include "model/model.h"

/* Prepared statements kept for the connection's life, keyed by their SQL
 * text: the history's pages, the statistics and the poll of the data
 * version run again on every key, and compiling them costs more than
 * running them. */
#define MDB_CACHE_SIZE 32

struct mdb_cached {
	char *sql;	   /* NULL: a free slot */
	const char *given; /* where the caller's text was, last time */
	size_t len;
	uint64_t hash;
	struct mdb_stmt *st;
	bool in_use;   /* handed out by mdb_prepare, not yet released */
	uint64_t used; /* when last handed out, to evict the oldest */
};

struct model_db {
	const struct mdb_backend *be;
	void *conn; /* the backend's connection */
	char *path; /* where the database is: a file, or a server's location,
		       which may hold a password */
	char *name; /* what messages call it (the backend's open sets it):
		       the file's path, or the server's database */
	bool readonly;
	bool created; /* a new database was begun: removed if not finished */
	struct mdb_cached cache[MDB_CACHE_SIZE];
	uint64_t tick;
	int trace_fd; /* DEPLOYDESK_SQL_TRACE's file, or -1 */
};

/* Rows changed by the last INSERT, UPDATE or DELETE. */
static inline int64_t
mdb_changes(struct model_db *db)
{
	return db->be->changes(db);
}

/* Connects to the database at location through backend be, with no look
 * at its schema (model_open() then creates or migrates it): for
 * model_open() and the backends' own tests. create: a new database. */
enum dd_code mdb_connect(const struct mdb_backend *be, const char *location,
			 bool create, struct model_db **out,
			 struct dd_error *err);

/* Makes this build's whole schema in a new, empty database, inside the
 * caller's write transaction (model_copy_open()). */
enum dd_code mdb_schema_create(struct model_db *db, struct dd_error *err);

/* Prepares sql, or takes the cached statement of the same text; on
 * failure fills err and returns its code. Every statement it gives must
 * go back through mdb_release() (or mdb_step_done()) on every path. */
enum dd_code mdb_prepare(struct model_db *db, const char *sql,
			 struct mdb_stmt **st, struct dd_error *err);
/* Gives a statement back: a cached one is reset and its bindings cleared,
 * so that it holds no read transaction while the program waits for a key
 * (and no pointer to the caller's strings); any other is finalized. NULL
 * does nothing. */
void mdb_release(struct model_db *db, struct mdb_stmt *st);
/* Turns the connection's last error into a message a person understands. */
enum dd_code mdb_error(struct model_db *db, struct dd_error *err);
/* Runs a statement that returns no rows to completion and releases it. */
enum dd_code mdb_step_done(struct model_db *db, struct mdb_stmt *st,
			   struct dd_error *err);
/* Runs an INSERT ... RETURNING id to completion, puts the id in *id and
 * releases it. */
enum dd_code mdb_step_id(struct model_db *db, struct mdb_stmt *st, int64_t *id,
			 struct dd_error *err);
/* A database's schema for the schema check: its objects (type "table",
 * "index", ...; name; the table it is on; its definition as the engine
 * gives it back), sorted by type and name. */
struct mdb_object {
	char *type, *name, *tbl, *def;
};

struct mdb_schema {
	struct mdb_object *items;
	size_t count, cap;
};

/* Appends an object, taking its malloc'd strings. */
void mdb_schema_add(struct mdb_schema *sc, char *type, char *name, char *tbl,
		    char *def);
void mdb_schema_free(struct mdb_schema *sc);
/* Compares the schema a version makes with a database's; names the first
 * difference in err. */
enum dd_code mdb_schema_compare(const struct mdb_schema *want,
				const struct mdb_schema *have,
				struct dd_error *err);
/* The word for a kind of schema object ("table", "index", ...) in
 * messages. */
const char *mdb_type_word(const char *type);
/* Writes v into the table schema_version (from schema 18): a backend's
 * set_schema_version, or part of it. */
enum dd_code mdb_schema_version_set(struct model_db *db, int64_t v,
				    struct dd_error *err);
/* The one integer a query without parameters returns (a pragma such as
 * user_version, a count). */
enum dd_code mdb_int(struct model_db *db, const char *sql, int64_t *out,
		     struct dd_error *err);
/* The one text a query of one text parameter (NULL: none) returns (*out:
 * a malloc'd copy, NULL when there is no row or it is NULL). */
enum dd_code mdb_text(struct model_db *db, const char *sql, const char *param,
		      char **out, struct dd_error *err);
/* Executes SQL text without parameters. */
enum dd_code mdb_exec(struct model_db *db, const char *sql,
		      struct dd_error *err);

/* Appends a line to DEPLOYDESK_SQL_TRACE's file, when one is open: what
 * ("prepare", "run"), then the SQL on one line. */
void mdb_trace(struct model_db *db, const char *what, const char *sql);

/* The full-text index of deployments (model-search.c), kept in step by
 * the model's own writes: a virtual table cannot be written by a trigger
 * while trusted_schema is off. add indexes the task of id as it stands,
 * remove forgets it as it stands (so: before it changes); both do nothing
 * for an incident. */
enum dd_code mdb_search_add(struct model_db *db, const char *id,
			    struct dd_error *err);
enum dd_code mdb_search_remove(struct model_db *db, const char *id,
			       struct dd_error *err);

/* How a history page reads through the index. */
enum mdb_search_plan {
	MDB_SEARCH_NONE,  /* no deployment matches */
	MDB_SEARCH_FEW,	  /* few match: read them from the index and sort */
	MDB_SEARCH_PROBE, /* many, of whole words: walk the history and ask
			     the index about it a chunk at a time
			     (mdb_search_walk()) */
	MDB_SEARCH_SET,	  /* many, with prefixes FTS5 expands itself: ask
			     the index about the blocks of the history whose
			     dates can hold the page (mdb_search_spans()),
			     or, not seekable, read the set of matches once
			     and walk the history */
};

struct mdb_search {
	char *match; /* the FTS5 query (malloc'd), NULL for MDB_SEARCH_NONE */
	enum mdb_search_plan plan;
	/* A range of rowids is cheap to ask: every prefix has a list of its
	 * own in the index (1 to 3 characters). MDB_SEARCH_SET reads by
	 * blocks (mdb_search_spans()) only then; otherwise the set of
	 * matches is read once and the history walked. */
	bool seekable;
};

/* Turns the typed text into an FTS5 query: each word a prefix, all words
 * required, nothing taken as query syntax; and chooses the plan. */
enum dd_code mdb_search_plan(struct model_db *db, const char *text,
			     struct mdb_search *out, struct dd_error *err);

/* For MDB_SEARCH_PROBE: steps walk (a statement whose column 0 is the
 * rowid of the history's rows, in the page's order) until limit of its rows
 * match the FTS5 query match, or it is done, and puts their rowids into
 * rowids (room for limit), in its order; *count their number. The index is
 * asked once per run of close rowids of a chunk of rows, not once a row.
 * walk is left stepped, not reset: the caller keeps it, and so its read
 * transaction, while it reads the rows, then releases it. */
enum dd_code mdb_search_walk(struct model_db *db, const char *match,
			     struct mdb_stmt *walk, int64_t *rowids,
			     size_t limit, size_t *count, struct dd_error *err);

/* For MDB_SEARCH_SET: the rowids of the page of limit rows from the
 * cursor (NULL or no id: from the start) in direction that match the
 * FTS5 query match and the filter, into rowids (room for limit), in the
 * page's order (newest first going older, oldest first going newer);
 * *count their number. The index is asked about one block of rowids at a
 * time (history_spans), the blocks by the best date they can give the
 * page, until the next can give none better than the page's last row.
 * *gave_up (nothing found) when the filter passes so few of the matches
 * that the history's index of the filter, walked with the set of matches,
 * will cost less. */
enum dd_code mdb_search_spans(struct model_db *db, const char *match,
			      const struct task_filter *filter,
			      const struct task_cursor *cursor,
			      enum page_direction direction, int64_t *rowids,
			      size_t limit, size_t *count, bool *gave_up,
			      struct dd_error *err);

/* Builds the kept figures of the days marked changed (figure_dirty) from
 * the deployments, and clears the marks: inside the write transaction,
 * before it commits (model-figures.c). */
enum dd_code mdb_figures_flush(struct model_db *db, struct dd_error *err);
/* Binders that take NULL (or 0 for ids) as SQL NULL; mdb_bind_text
 * copies the text (mdb_bind_str in mdb.h keeps the caller's). */
void mdb_bind_text(struct mdb_stmt *st, int i, const char *s);
void mdb_bind_id(struct mdb_stmt *st, int i, int64_t id);
/* Column readers: a malloc'd copy (NULL for SQL NULL), and a copy into a
 * fixed field ("" for NULL, cut to size). */
char *mdb_col_dup(struct mdb_stmt *st, int i);
void mdb_col_copy(struct mdb_stmt *st, int i, char *out, size_t size);
/* Steps st (bound) to its end, each row read by read into a new item of
 * size bytes (zeroed first) at the end of *items, *count of them; then
 * releases st. On an error the items read stay for the caller to free. */
enum dd_code mdb_collect(struct model_db *db, struct mdb_stmt *st, void **items,
			 size_t *count, size_t size,
			 void (*read)(struct mdb_stmt *st, void *item),
			 struct dd_error *err);

#endif
