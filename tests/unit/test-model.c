/* SPDX-License-Identifier: MIT */
/* Tests of the model's statement cache (model-internal.h): a statement is
 * compiled once and handed out again, given back reset with its bindings
 * cleared, never handed out twice at once, and holds no read transaction
 * once released (tech notes section 1: a reader left open stops the WAL
 * from being reset). */
#include "model/model-internal.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static char tmpdir[64];
static char db_path[128];

/* Whether any statement of the connection is between its first step and
 * its reset. */
static bool
any_busy(struct model_db *db)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt((sqlite3 *)db->conn, NULL);
	     st; st = sqlite3_next_stmt((sqlite3 *)db->conn, st))
		if (sqlite3_stmt_busy(st))
			return true;
	return false;
}

/* What a checkpoint that must reset the WAL gets from another connection:
 * SQLITE_BUSY while a reader of db holds a snapshot. */
static int
truncate_from_outside(void)
{
	sqlite3 *other;
	int rc;

	if (sqlite3_open_v2(db_path, &other, SQLITE_OPEN_READWRITE, NULL))
		return -1;
	sqlite3_exec(other,
		     "INSERT INTO settings (key, value) VALUES ('t', '1') "
		     "ON CONFLICT (key) DO UPDATE SET value = value + 1",
		     NULL, NULL, NULL);
	rc = sqlite3_wal_checkpoint_v2(other, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				       NULL, NULL);
	sqlite3_close(other);
	return rc;
}

static void
test_reuse(struct model_db *db)
{
	struct dd_error err = {0};
	struct mdb_stmt *a, *b, *c;
	int64_t v1 = 0, v2 = 0;

	ok(model_data_version(db, &v1, &err) == DD_OK, "data_version runs");
	ok(model_data_version(db, &v2, &err) == DD_OK, "... twice");
	ok(!any_busy(db), "no statement is left running after a query");

	ok(mdb_prepare(db, "SELECT ?1", &a, &err) == DD_OK, "prepare");
	mdb_bind_str(a, 1, "bound");
	ok(mdb_step(a) == MDB_ROW, "the first use runs");
	mdb_release(db, a);
	ok(!any_busy(db), "released: reset");
	ok(mdb_prepare(db, "SELECT ?1", &b, &err) == DD_OK, "prepared again");
	ok(b == a, "the same SQL gives the cached statement back");
	ok(mdb_step(b) == MDB_ROW && mdb_col_null(b, 0),
	   "its bindings were cleared on release");

	/* The same query while the first is still in use (a loop over its
	 * rows that runs it again) gets a statement of its own. */
	ok(mdb_prepare(db, "SELECT ?1", &c, &err) == DD_OK,
	   "prepared while in use");
	ok(c != b, "a statement in use is never handed out twice");
	mdb_release(db, c);
	mdb_release(db, b);
	ok(mdb_prepare(db, "SELECT ?1", &c, &err) == DD_OK && c == a,
	   "after both are released, the cached one comes back");
	mdb_release(db, c);
	mdb_release(db, NULL);
	ok(!any_busy(db), "nothing running");
}

static void
test_eviction(struct model_db *db)
{
	struct dd_error err = {0};
	int failures = 0;

	/* More distinct statements than the cache holds, some in use at the
	 * same time: every one works, the oldest are finalized. */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3 * MDB_CACHE_SIZE; i++) {
			char sql[64];
			struct mdb_stmt *st, *inner;

			snprintf(sql, sizeof sql, "SELECT %d", i);
			if (mdb_prepare(db, sql, &st, &err) ||
			    mdb_step(st) != MDB_ROW ||
			    (int)mdb_col_int(st, 0) != i)
				failures++;
			snprintf(sql, sizeof sql, "SELECT %d + 1", i);
			if (mdb_prepare(db, sql, &inner, &err) ||
			    mdb_step(inner) != MDB_ROW ||
			    (int)mdb_col_int(inner, 0) != i + 1)
				failures++;
			mdb_release(db, inner);
			mdb_release(db, st);
		}
	ok(failures == 0, "%d statements through a cache of %d",
	   6 * MDB_CACHE_SIZE, MDB_CACHE_SIZE);
	ok(!any_busy(db), "nothing running after the evictions");
}

static void
test_no_reader_left(struct model_db *db)
{
	struct dd_error err = {0};
	char *value = NULL;
	struct mdb_stmt *st;

	ok(model_setting_set(db, "k", "v", &err) == DD_OK, "a write");
	ok(model_setting_get(db, "k", &value, &err) == DD_OK && value &&
	       strcmp(value, "v") == 0,
	   "a read through a cached statement");
	free(value);
	ok(truncate_from_outside() == SQLITE_OK,
	   "after it, another process can reset the WAL: no reader is open");

	/* The check itself: a statement stepped and not released holds a
	 * snapshot, and the same checkpoint is refused. */
	ok(mdb_prepare(db, "SELECT key FROM settings", &st, &err) == DD_OK &&
	       mdb_step(st) == MDB_ROW,
	   "a read left running");
	ok(truncate_from_outside() == SQLITE_BUSY,
	   "... stops the WAL from being reset (the check detects it)");
	mdb_release(db, st);
	ok(truncate_from_outside() == SQLITE_OK, "released: the WAL resets");
}

int
main(void)
{
	struct model_db *db = NULL;
	struct dd_error err = {0};
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/dd-model.XXXXXX",
		 base && *base && strlen(base) < 40 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(db_path, sizeof db_path, "%s/t.db", tmpdir);
	if (model_open(db_path, MODEL_OPEN_CREATE, &db, NULL, &err) != DD_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	test_reuse(db);
	test_eviction(db);
	test_no_reader_left(db);
	model_close(db);
	model_delete(db_path);
	rmdir(tmpdir);
	return tap_done();
}
