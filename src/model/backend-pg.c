/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend (libpq): the connection and statements half of
 * the storage seam. The model's SQL is written with SQLite's parameters
 * (?, ?NNN, :name); each statement is turned into PostgreSQL's ($N) when
 * it is prepared, numbered as SQLite numbers them, so that the model binds
 * the same numbers on both. Rows come one at a time (single-row mode); a
 * statement still giving rows when another needs the connection has the
 * rest of its rows read into memory first ("parked"), so that the model
 * may run a query inside a loop over another's rows, as it does on
 * SQLite.
 *
 * A deploydesk database is the schema first on the search path (public,
 * unless the location's options say otherwise): one PostgreSQL database
 * may hold several. Writers of one serialize on a transaction-scoped
 * advisory lock of its own, as SQLite's BEGIN IMMEDIATE does, and announce
 * their commit on a channel of its own ("deploydesk:SCHEMA"); the data
 * version is the count of other sessions' commits heard there
 * (LISTEN/NOTIFY): no query per poll. */
#include "model/model-internal.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* The writers' advisory lock: "DPDK" (SQLite's application id) and the
 * schema's name. */
#define WRITE_LOCK "1146111051, hashtext(current_schema())"

/* Type oids of pg_type.h (catalog/pg_type_d.h is not in libpq-dev). */
enum {
	OID_BOOL = 16,
	OID_BYTEA = 17,
	OID_NAME = 19,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_TEXT = 25,
	OID_OID = 26,
	OID_UNKNOWN = 705,
	OID_BPCHAR = 1042,
	OID_VARCHAR = 1043,
	OID_NUMERIC = 1700,
};

struct pg_stmt;

/* The model_db's conn. */
struct pg_conn {
	PGconn *c;
	struct pg_stmt
	    *active;	  /* its rows are coming: the connection is busy */
	char *error;	  /* the last error's message, malloc'd */
	char sqlstate[6]; /* and its SQLSTATE, "" when none */
	int64_t changes;  /* rows the last command changed */
	int64_t heard;	  /* commits of other sessions heard */
	char *channel;	  /* "deploydesk:SCHEMA", quoted for SQL */
	char *checked;	  /* the catalog's fingerprint when last found
			     deploydesk's schema (pg_schema_check) */
	int64_t checked_version;
	unsigned next_name; /* of prepared statements: dd1, dd2, ... */
};

struct pg_stmt {
	struct pg_conn *pc;
	char name[16];
	PGresult *desc; /* its columns, from PQdescribePrepared */
	int nparams;
	char **param_names; /* [nparams]: the :name of each, or NULL */
	const char **values;
	int *lengths, *formats;
	char **owned;	  /* [nparams]: a copy this statement frees, or NULL */
	bool sent;	  /* running: its rows are coming or parked */
	bool done;	  /* its last result was read */
	PGresult **queue; /* parked results, in order */
	size_t qhead, qlen, qcap;
	PGresult *row;	       /* the current row (a result of one tuple) */
	unsigned char **blobs; /* [columns]: the row's bytea, unescaped */
	size_t *blob_lens;
};

#define PC(db) ((struct pg_conn *)(db)->conn)

/* Keeps the message and SQLSTATE of a failed result, or of the
 * connection when there is none. */
static void
remember_error(struct pg_conn *pc, const PGresult *res)
{
	/* The primary message alone: not "ERROR:  ", not its DETAIL (which
	 * may quote the data). */
	const char *msg =
	    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	size_t n;

	if (!msg || !*msg) {
		msg = PQerrorMessage(pc->c);
		/* A server's message relayed by libpq: "FATAL:  ..." */
		for (const char *p = msg; *p >= 'A' && *p <= 'Z'; p++)
			if (p[1] == ':' && p[2] == ' ' && p[3] == ' ') {
				msg = p + 4;
				break;
			}
	}
	free(pc->error);
	/* libpq's own messages end with a newline: the first line says
	 * it. */
	n = strcspn(msg, "\n");
	pc->error = xstrndup(msg, n);
	snprintf(pc->sqlstate, sizeof pc->sqlstate, "%s", state ? state : "");
}

static void
queue_push(struct pg_stmt *st, PGresult *res)
{
	if (st->qhead + st->qlen == st->qcap) {
		if (st->qhead) {
			memmove(st->queue, st->queue + st->qhead,
				st->qlen * sizeof *st->queue);
			st->qhead = 0;
		} else {
			st->qcap = st->qcap ? 2 * st->qcap : 64;
			st->queue =
			    xrealloc(st->queue, st->qcap * sizeof *st->queue);
		}
	}
	st->queue[st->qhead + st->qlen++] = res;
}

/* Frees the connection for another command: the rows still coming for
 * the active statement are read into its queue. */
static void
park(struct pg_conn *pc)
{
	struct pg_stmt *st = pc->active;
	PGresult *res;

	if (!st)
		return;
	while ((res = PQgetResult(pc->c)))
		queue_push(st, res);
	pc->active = NULL;
}

/* Lets go of a statement's current row and its unescaped blobs. */
static void
row_drop(struct pg_stmt *st)
{
	PQclear(st->row);
	st->row = NULL;
	if (st->blobs)
		for (int i = 0; i < PQnfields(st->desc); i++) {
			PQfreemem(st->blobs[i]);
			st->blobs[i] = NULL;
		}
}

/* Forgets what a statement was giving: its rows in flight or parked, its
 * current row. */
static void
stmt_stop(struct pg_stmt *st)
{
	struct pg_conn *pc = st->pc;
	PGresult *res;

	if (pc->active == st) {
		while ((res = PQgetResult(pc->c)))
			PQclear(res);
		pc->active = NULL;
	}
	for (size_t i = 0; i < st->qlen; i++)
		PQclear(st->queue[st->qhead + i]);
	st->qhead = st->qlen = 0;
	row_drop(st);
	st->sent = false;
	st->done = false;
}

static enum dd_code
pg_error(struct model_db *db, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	const char *state = pc->sqlstate;
	const char *msg = pc->error ? pc->error : PQerrorMessage(pc->c);

	if (PQstatus(pc->c) == CONNECTION_BAD || strncmp(state, "08", 2) == 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the connection to the PostgreSQL server was "
				 "lost: nothing was written (%s)"),
			       msg);
	/* lock_not_available: another writer held the lock past the
	 * lock timeout. */
	if (strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the PostgreSQL database is busy with another "
				 "writer; try again in a moment"));
	if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the PostgreSQL database is read-only for "
				 "you: nothing was changed (%s)"),
			       msg);
	/* character_not_in_repertoire: a text that is not UTF-8 (what
	 * people type is checked before; this is the last guard, for
	 * stored text too, as db copy moves). */
	if (strcmp(state, "22021") == 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("a text is not valid UTF-8, which PostgreSQL "
				 "refuses: nothing was changed"));
	if (strcmp(state, "53100") == 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("the PostgreSQL server's disk is full: "
				 "nothing was changed"));
	return dd_fail(err, DD_ERR_RUNTIME, _("database error: %s"), msg);
}

/* Keeps the rows an INSERT, UPDATE or DELETE changed, as SQLite's
 * sqlite3_changes() does: other commands leave the count alone. */
static void
count_changes(struct pg_conn *pc, PGresult *res)
{
	const char *cmd = res ? PQcmdStatus(res) : "";

	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
	    strncmp(cmd, "DELETE", 6) == 0)
		pc->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Forgets the last error: each command's failure is its own. */
static void
forget_error(struct pg_conn *pc)
{
	free(pc->error);
	pc->error = NULL;
	pc->sqlstate[0] = '\0';
}

/* A command's result: OK, or its error remembered. */
static enum dd_code
check_result(struct model_db *db, PGresult *res, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum dd_code code = DD_OK;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		count_changes(pc, res);
	} else {
		remember_error(pc, res);
		code = pg_error(db, err);
	}
	PQclear(res);
	return code;
}

static enum dd_code
pg_exec(struct model_db *db, const char *sql, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);

	park(pc);
	forget_error(pc);
	return check_result(db, PQexec(pc->c, sql), err);
}

/* The server's notices (a table that did not exist, ...) are not for the
 * person at the terminal: libpq would print them raw on stderr. */
static void
ignore_notice(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

/* data/postgresql, embedded by data/embed.py: entry i makes version
 * i + 1, NULL for the versions before the first. */
extern const char *const model_pg_migrations[];
extern const int model_pg_migrations_count;

/* The database, as messages name it: its name and server, never the
 * location's text (it may hold a password). malloc'd. */
static char *
display_name(PGconn *c)
{
	struct strbuf sb = STRBUF_INIT;
	const char *host = PQhost(c);

	strbuf_addf(&sb, "%s (%s)", PQdb(c),
		    host && *host ? host : "localhost");
	return strbuf_detach(&sb);
}

/* What messages call a server's location before it is connected to:
 * its database and host, as display_name() names them, from libpq's own
 * reading of the text; *password says whether the text holds one. Text
 * libpq cannot read is named as a server only, and taken to hold a
 * password (it may). malloc'd. */
char *
pg_location_name(const char *location, bool *password)
{
	PQconninfoOption *opts = PQconninfoParse(location, NULL);
	const char *dbname = NULL, *user = NULL, *host = NULL;
	struct strbuf sb = STRBUF_INIT;

	*password = opts == NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (strcmp(o->keyword, "dbname") == 0)
			dbname = o->val;
		else if (strcmp(o->keyword, "user") == 0)
			user = o->val;
		else if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "password") == 0)
			*password = true;
	}
	if (!opts)
		strbuf_addstr(&sb, _("a PostgreSQL server"));
	else
		/* PostgreSQL's default database is the user's name. */
		strbuf_addf(&sb, "%s (%s)",
			    dbname ? dbname
			    : user ? user
				   : "-",
			    host ? host : "localhost");
	PQconninfoFree(opts);
	return strbuf_detach(&sb);
}

/* The schema deploydesk's tables are in: the first on the search path
 * (*out malloc'd). */
static enum dd_code
current_schema(struct model_db *db, char **out, struct dd_error *err)
{
	enum dd_code code =
	    mdb_text(db, "SELECT current_schema()", NULL, out, err);

	if (!code && !*out)
		code = dd_fail(err, DD_ERR_RUNTIME, "%s",
			       _("no schema is on the search path"));
	return code;
}

/* Listens on the channel of the schema first on the search path. */
static enum dd_code
listen_schema(struct model_db *db, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	struct strbuf sql = STRBUF_INIT;
	char *schema = NULL;
	enum dd_code code;

	code = current_schema(db, &schema, err);
	if (!code) {
		strbuf_addf(&sql, "deploydesk:%s", schema);
		pc->channel =
		    PQescapeIdentifier(pc->c, strbuf_str(&sql), sql.len);
		if (!pc->channel) {
			remember_error(pc, NULL);
			code = pg_error(db, err);
		}
	}
	if (!code) {
		strbuf_reset(&sql);
		strbuf_addf(&sql, "LISTEN %s", pc->channel);
		code = pg_exec(db, strbuf_str(&sql), err);
	}
	strbuf_release(&sql);
	free(schema);
	return code;
}

static enum dd_code
pg_open(struct model_db *db, bool create, struct dd_error *err)
{
	struct pg_conn *pc = xcalloc(1, sizeof *pc);
	enum dd_code code;

	(void)create; /* what is there is pg_claim()'s to check */
	db->conn = pc;
	if (model_pg_migrations_count != MODEL_SCHEMA_VERSION)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("built with %d migrations for schema version "
				 "%d"),
			       model_pg_migrations_count, MODEL_SCHEMA_VERSION);
	{
		/* An unreachable server is given up after 10 s, not the
		 * system's minutes; the location may say otherwise. */
		static const char *const keys[] = {
		    "connect_timeout", "application_name", "dbname", NULL};
		const char *values[] = {"10", "deploydesk", db->path, NULL};

		pc->c = PQconnectdbParams(keys, values, 1);
	}
	if (!pc->c)
		return dd_fail(err, DD_ERR_RUNTIME, "%s", strerror(ENOMEM));
	if (PQstatus(pc->c) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(pc->c);

		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot connect to the PostgreSQL server: "
				 "%.*s"),
			       (int)strcspn(msg, "\n"), msg);
	}
	db->name = display_name(pc->c);
	PQsetNoticeReceiver(pc->c, ignore_notice, NULL);
	if (PQsetClientEncoding(pc->c, "UTF8") != 0)
		return pg_error(db, err);
	/* A writer waits for another up to 5 s, as on SQLite; times are
	 * written by deploydesk, in UTC. */
	code = pg_exec(db, "SET lock_timeout = '5s'; SET TIME ZONE 'UTC'", err);
	return code ? code : listen_schema(db, err);
}

/* The objects each version makes, built once per process. */
static struct mdb_schema expected_objects[MODEL_SCHEMA_VERSION];
static enum dd_code expected_build(struct model_db *db, int64_t version,
				   struct mdb_schema *out,
				   struct dd_error *err);

/* The database is deploydesk's (or, to create it, empty): for
 * model_open_server(), not for a bare connection. */
static enum dd_code
pg_claim(struct model_db *db, bool create, struct dd_error *err)
{
	enum dd_code code;
	int64_t n = 0;

	if (create) {
		/* The schema is made only where nothing is: a database in
		 * use by something else is not mixed with deploydesk's. */
		code = mdb_int(db,
			       "SELECT count(*) FROM pg_class "
			       "WHERE relnamespace = "
			       "current_schema()::regnamespace",
			       &n, err);
		if (!code && n > 0)
			code = dd_fail(err, DD_ERR_INPUT,
				       _("the PostgreSQL database %s already "
					 "holds tables: deploydesk's schema is "
					 "made only in an empty one"),
				       db->name);
		return code;
	}
	code = mdb_int(db,
		       "SELECT count(*) FROM pg_class WHERE relname = "
		       "'schema_version' AND relnamespace = "
		       "current_schema()::regnamespace",
		       &n, err);
	if (!code && n == 0)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("the PostgreSQL database %s is not a "
				 "deploydesk database"),
			       db->name);
	/* The schema the checks compare with is made now, outside any
	 * write: its scratch schema would be made under the writers' lock
	 * otherwise. */
	if (!code && !expected_objects[MODEL_SCHEMA_VERSION - 1].items)
		code = expected_build(
		    db, MODEL_SCHEMA_VERSION,
		    &expected_objects[MODEL_SCHEMA_VERSION - 1], err);
	return code;
}

static void
pg_close(struct model_db *db)
{
	struct pg_conn *pc = PC(db);

	if (!pc)
		return;
	PQfinish(pc->c);
	PQfreemem(pc->channel);
	free(pc->checked);
	free(pc->error);
	free(pc);
	db->conn = NULL;
}

static bool
pg_in_transaction(struct model_db *db)
{
	PGTransactionStatusType t;

	/* A statement giving rows makes the connection "active", in a
	 * transaction or not: its rows are read first. */
	park(PC(db));
	t = PQtransactionStatus(PC(db)->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static int64_t
pg_changes(struct model_db *db)
{
	return PC(db)->changes;
}

/* The writers' lock, and the word to the other sessions, heard when (and
 * only if) the transaction commits. */
static enum dd_code
pg_begin_write(struct model_db *db, struct dd_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	enum dd_code code;

	strbuf_addf(&sql,
		    "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK "); "
		    "NOTIFY %s",
		    PC(db)->channel);
	code = pg_exec(db, strbuf_str(&sql), err);
	strbuf_release(&sql);
	/* The BEGIN took effect before the lock failed: no transaction is
	 * left open, aborted, as SQLite's BEGIN IMMEDIATE leaves none. */
	if (code && pg_in_transaction(db))
		PQclear(PQexec(PC(db)->c, "ROLLBACK"));
	return code;
}

/* A read transaction sees one state of the data, as SQLite's does. */
static enum dd_code
pg_begin_read(struct model_db *db, struct dd_error *err)
{
	return pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		       err);
}

static enum dd_code
pg_data_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	PGnotify *n;

	if (!pc->active && !PQconsumeInput(pc->c)) {
		remember_error(pc, NULL);
		return pg_error(db, err);
	}
	while ((n = PQnotifies(pc->c))) {
		if (n->be_pid != PQbackendPID(pc->c))
			pc->heard++;
		PQfreemem(n);
	}
	*out = pc->heard;
	return DD_OK;
}

static enum dd_code
pg_schema_version(struct model_db *db, int64_t *out, struct dd_error *err)
{
	return mdb_int(db, "SELECT version FROM schema_version", out, err);
}

/* The schema check: the objects of the database's schema, each with its
 * definition as PostgreSQL gives it back, compared with those the same
 * migrations make in a scratch schema (inside a savepoint rolled back).
 * The schema's name is taken out of the definitions, which name it where
 * an object is not on the search path. */
/* clang-format off */
#define SCHEMA_SQL                                                             \
	"WITH ns AS (SELECT ?1::regnamespace AS oid, "                         \
	"  quote_ident(?1::text) || '.' AS dot) "                              \
	"SELECT o.type, o.name, o.tbl, "                                       \
	"  CASE WHEN o.type IN ('index', 'trigger', 'function') "              \
	"  THEN replace(replace(o.def, 'ON ' || ns.dot, 'ON '), "              \
	"    'FUNCTION ' || ns.dot, 'FUNCTION ') ELSE o.def END "              \
	"FROM ( "                                                              \
	/* A table: its columns, constraints, row security, and which of  */  \
	/* UPDATE, DELETE and TRUNCATE any role may run (on audit: none). */  \
	"SELECT 'table' AS type, c.relname AS name, c.relname AS tbl, "        \
	"  (SELECT string_agg(a.attname || ' ' || "                            \
	"     format_type(a.atttypid, a.atttypmod) || "                        \
	"     CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || "         \
	"     CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || "              \
	"       (SELECT collname FROM pg_collation "                           \
	"        WHERE oid = a.attcollation) ELSE '' END || "                  \
	"     coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') || " \
	"     CASE a.attidentity WHEN '' THEN '' "                             \
	"       ELSE ' IDENTITY ' || a.attidentity::text END, "                \
	"     ', ' ORDER BY a.attnum) "                                        \
	"   FROM pg_attribute a LEFT JOIN pg_attrdef d "                       \
	"     ON d.adrelid = a.attrelid AND d.adnum = a.attnum "               \
	"   WHERE a.attrelid = c.oid AND a.attnum > 0 "                        \
	"     AND NOT a.attisdropped) || "                                     \
	"  coalesce((SELECT '; ' || string_agg(pg_get_constraintdef(k.oid), "  \
	"     '; ' ORDER BY pg_get_constraintdef(k.oid)) "                     \
	"   FROM pg_constraint k WHERE k.conrelid = c.oid), '') || "           \
	"  CASE WHEN c.relrowsecurity THEN '; ROW LEVEL SECURITY' "            \
	"    ELSE '' END || "                                                  \
	"  CASE WHEN c.relforcerowsecurity THEN ' FORCED' ELSE '' END || "     \
	"  '; may ' || coalesce((SELECT string_agg(DISTINCT p.privilege_type, " \
	"     ',' ORDER BY p.privilege_type) FROM aclexplode(coalesce("        \
	"     c.relacl, acldefault('r', c.relowner))) p "                      \
	"     WHERE p.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')), "   \
	"     'none') AS def "                                                 \
	"FROM pg_class c, ns WHERE c.relnamespace = ns.oid "                   \
	"  AND c.relkind IN ('r', 'p') "                                       \
	"UNION ALL SELECT 'index', c.relname, t.relname, "                     \
	"  pg_get_indexdef(c.oid) "                                            \
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "             \
	"JOIN pg_class t ON t.oid = i.indrelid, ns "                           \
	"WHERE c.relnamespace = ns.oid "                                       \
	"UNION ALL SELECT 'view', c.relname, c.relname, "                      \
	"  pg_get_viewdef(c.oid) "                                             \
	"FROM pg_class c, ns WHERE c.relnamespace = ns.oid "                   \
	"  AND c.relkind IN ('v', 'm') "                                       \
	"UNION ALL SELECT 'trigger', g.tgname, t.relname, "                    \
	"  pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'O' THEN '' "     \
	"  ELSE ' (' || g.tgenabled::text || ')' END "                         \
	"FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid, ns "          \
	"WHERE t.relnamespace = ns.oid AND NOT g.tgisinternal "                \
	"UNION ALL SELECT 'rule', r.rulename, c.relname, pg_get_ruledef(r.oid) " \
	"FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class, ns "         \
	"WHERE c.relnamespace = ns.oid AND r.rulename <> '_RETURN' "           \
	"UNION ALL SELECT 'policy', y.polname, c.relname, y.polcmd::text "     \
	"FROM pg_policy y JOIN pg_class c ON c.oid = y.polrelid, ns "          \
	"WHERE c.relnamespace = ns.oid "                                       \
	"UNION ALL SELECT 'function', p.proname, '', "                         \
	"  pg_get_functiondef(p.oid) "                                         \
	"FROM pg_proc p, ns WHERE p.pronamespace = ns.oid "                    \
	") o, ns ORDER BY o.type, o.name"
/* clang-format on */

/* The objects of the schema named ns, sorted by type and name. */
static enum dd_code
objects_read(struct model_db *db, const char *ns, struct mdb_schema *out,
	     struct dd_error *err)
{
	struct mdb_stmt *st;
	enum mdb_step rc;
	enum dd_code code;

	memset(out, 0, sizeof *out);
	code = mdb_prepare(db, SCHEMA_SQL, &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, ns);
	while ((rc = mdb_step(st)) == MDB_ROW) {
		mdb_schema_add(out, mdb_col_dup(st, 0), mdb_col_dup(st, 1),
			       mdb_col_dup(st, 2), mdb_col_dup(st, 3));
	}
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	if (code)
		mdb_schema_free(out);
	return code;
}

/* Builds the schema of version in a scratch schema of the connection,
 * inside a savepoint (or a transaction) rolled back: nothing of it
 * stays. */
static enum dd_code
expected_build(struct model_db *db, int64_t version, struct mdb_schema *out,
	       struct dd_error *err)
{
	bool outer = pg_in_transaction(db);
	struct dd_error why = {0};
	enum dd_code code;

	code = pg_exec(db,
		       outer ? "SAVEPOINT dd_expected"
			     : "BEGIN; SAVEPOINT dd_expected",
		       err);
	if (code)
		return code;
	code = pg_exec(db,
		       "CREATE SCHEMA dd_expected; "
		       "SET LOCAL search_path = dd_expected",
		       &why);
	for (int64_t v = 0; !code && v < version; v++)
		if (model_pg_migrations[v])
			code = pg_exec(db, model_pg_migrations[v], &why);
	if (!code)
		code = objects_read(db, "dd_expected", out, &why);
	/* The savepoint's rollback takes the search path back too. */
	pg_exec(db, outer ? "ROLLBACK TO SAVEPOINT dd_expected" : "ROLLBACK",
		&(struct dd_error){0});
	if (code)
		code =
		    dd_fail(err, code,
			    _("cannot make deploydesk's schema to compare "
			      "the database's with, in a scratch schema (the "
			      "role needs the right to create a schema in "
			      "the database): %s"),
			    why.msg);
	return code;
}

/* What changes in the catalog whenever an object of the schema is made,
 * changed or dropped: the count and the versions (xmin) of its rows in
 * each catalog the check reads. Read in a millisecond, where the check
 * takes some: a connection checks in full only when it changed. */
/* clang-format off */
#define IN_SCHEMA " = current_schema()::regnamespace"
#define PRINT_OF(rows) "(SELECT count(*) || ':' || "                          \
	"coalesce(sum(hashtext(x.xmin::text)), 0) FROM " rows ")"
#define FINGERPRINT_SQL                                                        \
	"SELECT concat_ws(',', "                                               \
	PRINT_OF("pg_class x WHERE x.relnamespace" IN_SCHEMA) ", "             \
	PRINT_OF("pg_attribute x JOIN pg_class c ON c.oid = x.attrelid "       \
		 "WHERE c.relnamespace" IN_SCHEMA) ", "                        \
	PRINT_OF("pg_attrdef x JOIN pg_class c ON c.oid = x.adrelid "          \
		 "WHERE c.relnamespace" IN_SCHEMA) ", "                        \
	PRINT_OF("pg_constraint x WHERE x.connamespace" IN_SCHEMA) ", "        \
	PRINT_OF("pg_index x JOIN pg_class c ON c.oid = x.indexrelid "         \
		 "WHERE c.relnamespace" IN_SCHEMA) ", "                        \
	PRINT_OF("pg_trigger x JOIN pg_class c ON c.oid = x.tgrelid "          \
		 "WHERE c.relnamespace" IN_SCHEMA) ", "                        \
	PRINT_OF("pg_proc x WHERE x.pronamespace" IN_SCHEMA) ", "              \
	PRINT_OF("pg_rewrite x JOIN pg_class c ON c.oid = x.ev_class "         \
		 "WHERE c.relnamespace" IN_SCHEMA) ", "                        \
	PRINT_OF("pg_policy x JOIN pg_class c ON c.oid = x.polrelid "          \
		 "WHERE c.relnamespace" IN_SCHEMA) ")"
/* clang-format on */

static enum dd_code
pg_schema_check(struct model_db *db, int64_t version, struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	struct mdb_schema *want, have;
	char *ns = NULL, *print = NULL;
	enum dd_code code;

	if (version < 1 || version > MODEL_SCHEMA_VERSION ||
	    !model_pg_migrations[version - 1])
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("no schema version %lld in this deploydesk"),
			       (long long)version);
	want = &expected_objects[version - 1];
	if (!want->items) {
		code = expected_build(db, version, want, err);
		if (code)
			return code;
	}
	code = mdb_text(db, FINGERPRINT_SQL, NULL, &print, err);
	if (code)
		return code;
	if (print && pc->checked && pc->checked_version == version &&
	    strcmp(print, pc->checked) == 0) {
		free(print);
		return DD_OK;
	}
	code = current_schema(db, &ns, err);
	if (!code)
		code = objects_read(db, ns, &have, err);
	free(ns);
	if (!code) {
		code = mdb_schema_compare(want, &have, err);
		mdb_schema_free(&have);
	}
	free(pc->checked);
	pc->checked = code ? NULL : print;
	pc->checked_version = version;
	if (code)
		free(print);
	return code;
}

/* A PostgreSQL database is upgraded in one transaction, its DDL
 * included: it is changed whole or not at all, with nothing to copy
 * first. Its copies are its administrator's (pg_dump). */
static enum dd_code
pg_backup(struct model_db *db, int64_t version, char **backup_path,
	  struct dd_error *err)
{
	(void)db;
	(void)version;
	(void)err;
	if (backup_path)
		*backup_path = NULL;
	return DD_OK;
}

/* The search index against the deployments, each document made again,
 * on a connection of its own (it may run in a thread). No gettext: the
 * caller says the outcome in words. */
static enum mdb_check
pg_search_check(const char *location, char *error, size_t size)
{
	PGconn *c = PQconnectdb(location);
	PGresult *res = NULL;
	enum mdb_check found = MDB_CHECK_ERROR;

	if (c && PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeReceiver(c, ignore_notice, NULL);
		res = PQexec(c, "SELECT count(*) FROM task_text t "
				"FULL JOIN task_search s "
				"ON s.task_rowid = t.task_rowid "
				"WHERE s.doc IS DISTINCT FROM "
				"task_search_doc(t.version, t.name, "
				"t.description, t.responsible, t.logs)");
	}
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1)
		found = strcmp(PQgetvalue(res, 0, 0), "0") == 0
			    ? MDB_CHECK_OK
			    : MDB_CHECK_MISMATCH;
	else
		snprintf(error, size, "%.*s",
			 (int)strcspn(PQerrorMessage(c), "\n"),
			 PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	return found;
}

/* An identity column's sequence, set to give last + 1 next. */
static enum dd_code
pg_id_counter_set(struct model_db *db, const char *table, const char *column,
		  int64_t last, struct dd_error *err)
{
	struct mdb_stmt *st;
	enum mdb_step rc;
	enum dd_code code;

	code = mdb_prepare(db,
			   "SELECT setval(pg_get_serial_sequence("
			   "quote_ident(?1), ?2), ?3)",
			   &st, err);
	if (code)
		return code;
	mdb_bind_str(st, 1, table);
	mdb_bind_str(st, 2, column);
	mdb_bind_int(st, 3, last);
	while ((rc = mdb_step(st)) == MDB_ROW)
		;
	if (rc != MDB_DONE)
		code = mdb_error(db, err);
	mdb_release(db, st);
	return code;
}

/* SQLite's parameters turned into PostgreSQL's. */

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Copies a quoted literal or identifier (q is ' or ") from *p, its
 * doubled quotes included; returns where it ends. */
static const char *
copy_quoted(struct strbuf *out, const char *p)
{
	char q = *p;

	strbuf_addch(out, *p++);
	while (*p) {
		strbuf_addch(out, *p);
		if (*p++ == q) {
			if (*p != q)
				break;
			strbuf_addch(out, *p++);
		}
	}
	return p;
}

/* sql with ?, ?NNN and :name turned into $N, numbered as SQLite numbers
 * them: ?NNN is NNN, a bare ? the largest number so far plus one, a name
 * the next number the first time it comes. Quoted text and identifiers
 * ('...', "...") and -- comments are copied as they are; :: is
 * PostgreSQL's cast. The model's SQL has no other quoting (no E'...',
 * no $$...$$, no C-style comment). malloc'd;
 * *names gets the name of each number (NULL where none). */
static char *
translate(const char *sql, int *count, char ***names)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = sql;
	int max = 0;

	*names = NULL;
	while (*p) {
		char *named = NULL;
		int n = 0;

		if (*p == '\'' || *p == '"') {
			p = copy_quoted(&out, p);
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			size_t len = strcspn(p, "\n");

			strbuf_add(&out, p, len);
			p += len;
			continue;
		}
		if (p[0] == ':' && p[1] == ':') {
			strbuf_add(&out, p, 2);
			p += 2;
			continue;
		}
		if (*p == '?') {
			p++;
			while (*p >= '0' && *p <= '9' && n < 100000)
				n = 10 * n + (*p++ - '0');
			if (n == 0)
				n = max + 1;
		} else if (*p == ':' && name_char(p[1])) {
			const char *start = p++;
			size_t len;

			while (name_char(*p))
				p++;
			len = (size_t)(p - start);
			for (int i = 0; i < max && !n; i++)
				if ((*names)[i] && strlen((*names)[i]) == len &&
				    memcmp((*names)[i], start, len) == 0)
					n = i + 1;
			if (!n) {
				n = max + 1;
				named = xstrndup(start, len);
			}
		} else {
			strbuf_addch(&out, *p++);
			continue;
		}
		if (n > max) {
			*names = xrealloc(*names, n * sizeof **names);
			for (int i = max; i < n; i++)
				(*names)[i] = NULL;
			max = n;
		}
		if (named)
			(*names)[n - 1] = named;
		strbuf_addf(&out, "$%d", n);
	}
	*count = max;
	return strbuf_detach(&out);
}

/* Statements. */

static void pg_finalize(void *h);

/* Whether $n comes in sql (translated: every parameter is $N there, and
 * quoted text may hold "$N" too, which only makes a type inferred). */
static bool
param_used(const char *sql, int n)
{
	char mark[16];
	size_t len = (size_t)snprintf(mark, sizeof mark, "$%d", n);

	for (const char *p = strstr(sql, mark); p; p = strstr(p + 1, mark))
		if (p[len] < '0' || p[len] > '9')
			return true;
	return false;
}

static enum dd_code
pg_prepare(struct model_db *db, const char *sql, bool keep, void **h,
	   struct dd_error *err)
{
	struct pg_conn *pc = PC(db);
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	Oid *types;
	char *text;
	enum dd_code code;

	(void)keep; /* every statement is prepared on the server */
	*h = NULL;
	park(pc);
	st->pc = pc;
	snprintf(st->name, sizeof st->name, "dd%u", ++pc->next_name);
	text = translate(sql, &st->nparams, &st->param_names);
	/* SQLite lets numbers go unused (?1, ?2, ?9): PostgreSQL must be
	 * told a type for each, and text does no harm to a value never
	 * read. The others it infers from their places. */
	types = xcalloc((size_t)st->nparams + 1, sizeof *types);
	for (int i = 0; i < st->nparams; i++)
		if (!param_used(text, i + 1))
			types[i] = OID_TEXT;
	code = check_result(
	    db, PQprepare(pc->c, st->name, text, st->nparams, types), err);
	free(types);
	free(text);
	if (!code) {
		st->desc = PQdescribePrepared(pc->c, st->name);
		if (PQresultStatus(st->desc) != PGRES_COMMAND_OK) {
			remember_error(pc, st->desc);
			code = pg_error(db, err);
		}
	}
	if (code) {
		pg_finalize(st);
		return code;
	}
	st->values = xcalloc((size_t)st->nparams + 1, sizeof *st->values);
	st->lengths = xcalloc((size_t)st->nparams + 1, sizeof *st->lengths);
	st->formats = xcalloc((size_t)st->nparams + 1, sizeof *st->formats);
	st->owned = xcalloc((size_t)st->nparams + 1, sizeof *st->owned);
	st->blobs = xcalloc((size_t)PQnfields(st->desc) + 1, sizeof *st->blobs);
	st->blob_lens =
	    xcalloc((size_t)PQnfields(st->desc) + 1, sizeof *st->blob_lens);
	*h = st;
	return DD_OK;
}

static void
clear_params(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static void
pg_finalize(void *h)
{
	struct pg_stmt *st = h;
	struct pg_conn *pc = st->pc;
	char sql[32];

	stmt_stop(st);
	if (st->desc) {
		/* Inside a failed transaction this fails too: the name is
		 * never used again, and goes with the connection. */
		park(pc);
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(pc->c, sql));
	}
	if (st->owned)
		clear_params(st);
	for (int i = 0; i < st->nparams && st->param_names; i++)
		free(st->param_names[i]);
	free(st->param_names);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->owned);
	free(st->blobs);
	free(st->blob_lens);
	free(st->queue);
	PQclear(st->desc);
	free(st);
}

static void
pg_rewind(void *h)
{
	stmt_stop(h);
}

static void
pg_reset(void *h)
{
	stmt_stop(h);
	clear_params(h);
}

/* The next result of a running statement: parked, or from the server. */
static PGresult *
next_result(struct pg_stmt *st)
{
	if (st->qlen) {
		st->qlen--;
		return st->queue[st->qhead++];
	}
	if (st->pc->active == st)
		return PQgetResult(st->pc->c);
	return NULL;
}

static enum mdb_step
pg_step(void *h)
{
	struct pg_stmt *st = h;
	struct pg_conn *pc = st->pc;
	PGresult *res;
	ExecStatusType s;

	if (st->done)
		return MDB_DONE;
	if (!st->sent) {
		park(pc);
		if (!PQsendQueryPrepared(pc->c, st->name, st->nparams,
					 st->values, st->lengths, st->formats,
					 0)) {
			remember_error(pc, NULL);
			return MDB_FAIL;
		}
		forget_error(pc);
		pc->active = st;
		st->sent = true;
		/* Rows one at a time, or none: a whole result would be taken
		 * for the end of the rows. */
		if (!PQsetSingleRowMode(pc->c)) {
			stmt_stop(st);
			remember_error(pc, NULL);
			st->done = true;
			return MDB_FAIL;
		}
	}
	row_drop(st);
	res = next_result(st);
	s = res ? PQresultStatus(res) : PGRES_COMMAND_OK;
	if (s == PGRES_SINGLE_TUPLE) {
		st->row = res;
		return MDB_ROW;
	}
	/* The end: the last result, then nothing more. */
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK)
		count_changes(pc, res);
	else
		remember_error(pc, res);
	PQclear(res);
	while ((res = next_result(st)))
		PQclear(res);
	if (pc->active == st)
		pc->active = NULL;
	st->done = true;
	return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK ? MDB_DONE
							     : MDB_FAIL;
}

/* Binds n bytes at p; own: p is a copy the statement frees. */
static void
bind_bytes(struct pg_stmt *st, int i, const char *p, size_t n, int format,
	   char *own)
{
	if (i < 1 || i > st->nparams) {
		free(own);
		return;
	}
	free(st->owned[i - 1]);
	st->owned[i - 1] = own;
	st->values[i - 1] = p;
	st->lengths[i - 1] = (int)n;
	st->formats[i - 1] = format;
}

static void
pg_bind_null(void *h, int i)
{
	bind_bytes(h, i, NULL, 0, 0, NULL);
}

static void
pg_bind_int(void *h, int i, int64_t v)
{
	char *text = xmalloc(24);

	snprintf(text, 24, "%lld", (long long)v);
	bind_bytes(h, i, text, strlen(text), 0, text);
}

static void
pg_bind_text(void *h, int i, const char *s, size_t n, bool copy)
{
	/* A text parameter is read up to its NUL: one of n bytes that does
	 * not end there is copied. */
	if (copy || s[n] != '\0') {
		char *own = xstrndup(s, n);

		bind_bytes(h, i, own, n, 0, own);
	} else {
		bind_bytes(h, i, s, n, 0, NULL);
	}
}

static void
pg_bind_blob(void *h, int i, const void *p, size_t n)
{
	/* Sent as binary: bytea's own format, no escaping. */
	bind_bytes(h, i, p, n, 1, NULL);
}

static int
pg_param_index(void *h, const char *name)
{
	struct pg_stmt *st = h;

	for (int i = 0; i < st->nparams; i++)
		if (st->param_names[i] && strcmp(st->param_names[i], name) == 0)
			return i + 1;
	return 0;
}

static int
pg_column_count(void *h)
{
	return PQnfields(((struct pg_stmt *)h)->desc);
}

static const char *
pg_column_name(void *h, int i)
{
	return PQfname(((struct pg_stmt *)h)->desc, i);
}

static bool
has_value(struct pg_stmt *st, int i)
{
	return st->row && i >= 0 && i < PQnfields(st->row) &&
	       !PQgetisnull(st->row, 0, i);
}

static enum mdb_type
pg_col_type(void *h, int i)
{
	struct pg_stmt *st = h;

	if (!has_value(st, i))
		return MDB_NULL;
	switch (PQftype(st->row, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return MDB_INTEGER;
	case OID_NUMERIC:
		/* sum() of integers is a numeric: an integer if it has no
		 * fraction. */
		return strchr(PQgetvalue(st->row, 0, i), '.') ? MDB_OTHER
							      : MDB_INTEGER;
	case OID_BYTEA:
		return MDB_BLOB;
	case OID_TEXT:
	case OID_VARCHAR:
	case OID_BPCHAR:
	case OID_NAME:
	case OID_UNKNOWN:
		return MDB_TEXT;
	default:
		return MDB_OTHER;
	}
}

static int64_t
pg_col_int(void *h, int i)
{
	struct pg_stmt *st = h;
	const char *v;

	if (!has_value(st, i))
		return 0;
	v = PQgetvalue(st->row, 0, i);
	if (PQftype(st->row, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
pg_col_text(void *h, int i)
{
	struct pg_stmt *st = h;

	return has_value(st, i) ? PQgetvalue(st->row, 0, i) : NULL;
}

/* The bytea of column i, unescaped once per row. */
static const unsigned char *
blob_of(struct pg_stmt *st, int i)
{
	if (!has_value(st, i) || PQftype(st->row, i) != OID_BYTEA)
		return NULL;
	if (!st->blobs[i])
		st->blobs[i] = PQunescapeBytea(
		    (const unsigned char *)PQgetvalue(st->row, 0, i),
		    &st->blob_lens[i]);
	return st->blobs[i];
}

static const void *
pg_col_blob(void *h, int i)
{
	struct pg_stmt *st = h;
	const unsigned char *b = blob_of(st, i);

	return b ? (const void *)b : (const void *)pg_col_text(h, i);
}

static size_t
pg_col_bytes(void *h, int i)
{
	struct pg_stmt *st = h;

	if (blob_of(st, i))
		return st->blob_lens[i];
	return has_value(st, i) ? (size_t)PQgetlength(st->row, 0, i) : 0;
}

/* The search reads the index (task_search, a tsvector a deployment) in
 * the page's own query: PostgreSQL plans it (GIN index or history index).
 * A PostgreSQL location is refused at the command line
 * (util/dblocation.c); only the tests open one (model_open_server(),
 * core_open()). */
const struct mdb_backend mdb_postgresql = {
    .name = "postgresql",
    .migrations = model_pg_migrations,
    .migrations_count = MODEL_SCHEMA_VERSION,
    .backup = pg_backup,
    .schema_check = pg_schema_check,
    .search_check = pg_search_check,
    .tasks_by_history = "tasks t",
    .server_clock = true,
    .search_condition = "AND t.rowid IN (SELECT task_rowid FROM task_search "
			"WHERE doc @@ task_search_query(?)) ",
    .search_add =
	"INSERT INTO task_search (task_rowid, doc) "
	"SELECT task_rowid, task_search_doc(version, name, description, "
	"responsible, logs) FROM task_text "
	"WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = ?1) "
	"ON CONFLICT (task_rowid) DO UPDATE SET doc = excluded.doc",
    .search_remove = "DELETE FROM task_search WHERE task_rowid = "
		     "(SELECT rowid FROM tasks WHERE id = ?1)",
    .tables = "SELECT relname FROM pg_class "
	      "WHERE relnamespace = current_schema()::regnamespace "
	      "AND relkind IN ('r', 'p') ORDER BY relname",
    .search_rebuild =
	"INSERT INTO task_search (task_rowid, doc) "
	"SELECT task_rowid, task_search_doc(version, name, description, "
	"responsible, logs) FROM task_text",
    /* An identity column's sequence has not given its first value
     * until it is called. */
    .id_counters =
	"SELECT c.relname, a.attname, coalesce(pg_sequence_last_value("
	"pg_get_serial_sequence(quote_ident(c.relname), a.attname)), 0) "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	"WHERE c.relnamespace = current_schema()::regnamespace "
	"AND c.relkind = 'r' AND a.attidentity <> '' AND NOT a.attisdropped "
	"ORDER BY 1, 2",
    .id_counter_set = pg_id_counter_set,
    .open = pg_open,
    .claim = pg_claim,
    .close = pg_close,
    .error = pg_error,
    .exec = pg_exec,
    .in_transaction = pg_in_transaction,
    .changes = pg_changes,
    .begin_write = pg_begin_write,
    .begin_read = pg_begin_read,
    .data_version = pg_data_version,
    .schema_version = pg_schema_version,
    .set_schema_version = mdb_schema_version_set,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .rewind = pg_rewind,
    .step = pg_step,
    .bind_null = pg_bind_null,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .param_index = pg_param_index,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .col_type = pg_col_type,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_bytes = pg_col_bytes,
};
