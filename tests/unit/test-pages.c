/* SPDX-License-Identifier: MIT */
/* Tests of the search's pages (model_task_page with a text): whatever the
 * plan (few matches sorted, whole words walked, prefixes read by the
 * history's blocks of rowids), a search paged older from the start, then
 * newer back from the end, gives exactly the rows an SQL LIKE of the same
 * words gives, in history order (planned date, then id). The history is
 * made to be hard: rowids in blocks far apart, plans in creation order, in
 * reverse, scattered, ties on the same minute, another project's rows
 * among them, and a plan moved by SQL (its block's span widened by the
 * trigger). */
#include "model/model-internal.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define STAGE "00000000-0000-4000-8000-0000000000d1"
#define OTHER "00000000-0000-4000-8000-0000000000d2"

static const char *setup_sql =
    "INSERT INTO users (id, login, full_name, created_at) "
    "VALUES (1, 'jd', 'Jean Dupont', '2030-01-01T00:00:00Z');"
    "INSERT INTO projects (id, code, name, created_at) VALUES "
    "('00000000-0000-4000-8000-0000000000a1', 'ERP', 'ERP', "
    "'2030-01-01T00:00:00Z'), "
    "('00000000-0000-4000-8000-0000000000a2', 'CRM', 'CRM', "
    "'2030-01-01T00:00:00Z');"
    "INSERT INTO stages (id, project_id, code, position, status) VALUES "
    "('" STAGE "', '00000000-0000-4000-8000-0000000000a1', 'DEPLOIEMENT', "
    "4, 'A_FAIRE'), "
    "('" OTHER "', '00000000-0000-4000-8000-0000000000a2', 'DEPLOIEMENT', "
    "4, 'A_FAIRE');"
    /* 12,000 deployments. Rowids: 1-6000, then 6001-12000 moved to
     * 20001-26000 and 100000-ish blocks (gaps of whole blocks). Plans:
     * the first 6000 in creation order two by two on a minute (ties
     * broken by id), the next 3000 scattered, the last 3000 in reverse.
     * One in 7 belongs to the other project. Versions x<i>, y<i> for
     * one in 3; words zcommun in all, zrare one in 500. */
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 12000) "
    "INSERT INTO tasks (rowid, id, stage_id, type, name, description, "
    "status, responsible, planned_at, version, environment, created_by, "
    "created_at) "
    "SELECT CASE WHEN i <= 6000 THEN i WHEN i <= 9000 THEN 14000 + i "
    "ELSE 90000 + 7 * i END, "
    "printf('%08x-0000-4000-8000-%012x', i, i), "
    "CASE WHEN i % 7 = 0 THEN '" OTHER "' ELSE '" STAGE "' END, "
    "'DEPLOIEMENT', 'd' || i, "
    "'lot zcommun' || CASE WHEN i % 500 = 0 THEN ' zrare' ELSE '' END, "
    "'A_FAIRE', 1, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', '2030-01-01', '+' || "
    "CASE WHEN i <= 6000 THEN i / 2 WHEN i <= 9000 THEN (i * 7919) % 6000 "
    "ELSE 30000 - i END || ' minutes'), "
    "CASE WHEN i % 3 = 0 THEN 'y' ELSE 'x' END || i, "
    "CASE i % 4 WHEN 0 THEN 'DEV' WHEN 1 THEN 'TEST' WHEN 2 THEN 'PREPROD' "
    "ELSE 'PROD' END, 1, '2029-12-01T00:00:00Z' FROM n;"
    /* An old plan moved to be the newest, and a new one to be the
     * oldest, by SQL: the trigger widens their blocks' spans. */
    "UPDATE tasks SET planned_at = '2031-06-01T00:00:00Z' "
    "WHERE version = 'x1';"
    "UPDATE tasks SET planned_at = '2029-06-01T00:00:00Z' "
    "WHERE version = 'x11999';"
    /* Three failed: a filter few matches pass. */
    "UPDATE tasks SET status = 'ECHEC', authorized_by = 1, "
    "authorized_at = '2029-12-01T00:00:00Z' "
    "WHERE version IN ('x10', 'x1501', 'x11996');"
    "INSERT INTO task_search (task_search) VALUES ('rebuild');";

/* The ids, in history order, of the project's deployments whose version
 * begins with prefix (or whose description has word), and environment
 * env (NULL: any). */
static char **
expected(struct model_db *db, const char *like_version, const char *word,
	 const char *env, size_t *n)
{
	struct dd_error err = {0};
	char sql[512];
	char **ids = NULL;
	struct mdb_stmt *st;

	*n = 0;
	snprintf(sql, sizeof sql,
		 "SELECT id FROM tasks WHERE stage_id = '" STAGE "' "
		 "AND (version LIKE ?1 OR ' ' || description || ' ' LIKE ?2) "
		 "AND (?3 IS NULL OR environment = ?3) "
		 "ORDER BY planned_at DESC, id DESC");
	if (mdb_prepare(db, sql, &st, &err))
		return NULL;
	mdb_bind_str(st, 1, like_version ? like_version : "");
	mdb_bind_str(st, 2, word ? word : "");
	if (env)
		mdb_bind_str(st, 3, env);
	while (mdb_step(st) == MDB_ROW) {
		ids = realloc(ids, (*n + 1) * sizeof *ids);
		ids[(*n)++] = strdup(mdb_col_text(st, 0));
	}
	mdb_release(db, st);
	return ids;
}

/* Pages through the search of text (limit rows a page) older from the
 * start, then newer back from the last row, comparing each with want. */
static void
check_search(struct model_db *db, const char *text, int env,
	     enum mdb_search_plan plan, bool seekable, char **want,
	     size_t nwant)
{
	struct task_filter filter = {STAGE, TASK_DEPLOYMENT, env, -1, text};
	struct mdb_search search = {NULL, MDB_SEARCH_NONE, false};
	struct task_cursor cursor = {{0}, {0}, false};
	struct dd_error err = {0};
	size_t got = 0, wrong = 0, pages = 0;
	enum dd_code code = DD_OK;

	ok(mdb_search_plan(db, text, &search, &err) == DD_OK &&
	       search.plan == plan &&
	       (plan != MDB_SEARCH_SET || search.seekable == seekable),
	   "'%s' is read with plan %d%s (got %d%s)", text, (int)plan,
	   plan == MDB_SEARCH_SET ? (seekable ? ", by blocks" : ", as a set")
				  : "",
	   (int)search.plan, search.seekable ? ", seekable" : "");
	free(search.match);
	ok(nwant > 100, "'%s': %zu deployments to find", text, nwant);

	for (;;) {
		struct task_list page;

		code = model_task_page(db, &filter, &cursor, PAGE_OLDER, 37,
				       &page, &err);
		if (code || page.count == 0) {
			if (!code)
				task_list_free(&page);
			break;
		}
		pages++;
		for (size_t i = 0; i < page.count; i++, got++)
			if (got >= nwant || strcmp(page.items[i].id, want[got]))
				wrong++;
		memcpy(cursor.sort_key, page.items[page.count - 1].planned_at,
		       sizeof cursor.sort_key);
		memcpy(cursor.id, page.items[page.count - 1].id,
		       sizeof cursor.id);
		task_list_free(&page);
	}
	ok(code == DD_OK && got == nwant && wrong == 0,
	   "'%s' older, %zu pages: %zu rows of %zu, %zu out of place", text,
	   pages, got, nwant, wrong);

	/* Back from the last row (not included) to the first. */
	got = 0;
	wrong = 0;
	for (;;) {
		struct task_list page;

		code = model_task_page(db, &filter, &cursor, PAGE_NEWER, 37,
				       &page, &err);
		if (code || page.count == 0) {
			if (!code)
				task_list_free(&page);
			break;
		}
		/* A page going newer is returned newest first. */
		for (size_t i = page.count; i-- > 0; got++)
			if (got + 1 >= nwant ||
			    strcmp(page.items[i].id, want[nwant - 2 - got]))
				wrong++;
		memcpy(cursor.sort_key, page.items[0].planned_at,
		       sizeof cursor.sort_key);
		memcpy(cursor.id, page.items[0].id, sizeof cursor.id);
		task_list_free(&page);
	}
	ok(code == DD_OK && got + 1 == nwant && wrong == 0,
	   "'%s' newer: %zu rows of %zu, %zu out of place", text, got,
	   nwant - 1, wrong);

	/* From a row itself (an inclusive cursor, as a screen redraws). */
	if (nwant > 50) {
		struct task_list page;

		struct mdb_stmt *st;

		memcpy(cursor.id, want[50], sizeof cursor.id);
		cursor.inclusive = true;
		cursor.sort_key[0] = '\0';
		if (mdb_prepare(db,
				"SELECT planned_at FROM tasks WHERE id = ?1",
				&st, &err) == DD_OK) {
			mdb_bind_str(st, 1, want[50]);
			if (mdb_step(st) == MDB_ROW)
				snprintf(cursor.sort_key,
					 sizeof cursor.sort_key, "%s",
					 mdb_col_text(st, 0));
			mdb_release(db, st);
		}
		ok(model_task_page(db, &filter, &cursor, PAGE_OLDER, 3, &page,
				   &err) == DD_OK &&
		       page.count == 3 && !strcmp(page.items[0].id, want[50]) &&
		       !strcmp(page.items[2].id, want[52]),
		   "'%s' from row 50 itself: rows 50 to 52", text);
		if (page.items)
			task_list_free(&page);
		cursor.inclusive = false;
	}
}

static void
free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int
main(void)
{
	struct model_db *db = NULL;
	struct dd_error err = {0};
	const char *base = getenv("TMPDIR");
	char tmpdir[64], db_path[128];
	char **want;
	size_t n;

	snprintf(tmpdir, sizeof tmpdir, "%s/dd-pages.XXXXXX",
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
	ok(sqlite3_exec((sqlite3 *)db->conn, setup_sql, NULL, NULL, NULL) ==
	       SQLITE_OK,
	   "12,000 deployments written (%s)",
	   sqlite3_errmsg((sqlite3 *)db->conn));

	/* A prefix of one character (a list of its own in the index since
	 * schema version 17): by blocks. Written "x-", the same prefix is
	 * not a simple word, whose tokens are FTS5's to find: the set of
	 * matches read once, the history walked. */
	want = expected(db, "x%", NULL, NULL, &n);
	check_search(db, "x", -1, MDB_SEARCH_SET, true, want, n);
	check_search(db, "x-", -1, MDB_SEARCH_SET, false, want, n);
	is_str(n ? want[0] : NULL, "00000001-0000-4000-8000-000000000001",
	       "the plan moved to the newest by SQL comes first");
	is_str(n ? want[n - 1] : NULL, "00002edf-0000-4000-8000-000000002edf",
	       "the plan moved to the oldest by SQL comes last");
	free_ids(want, n);
	/* A prefix of two characters that begins many versions: the blocks'
	 * spans, alone and with an environment. */
	want = expected(db, "x1%", NULL, NULL, &n);
	check_search(db, "x1", -1, MDB_SEARCH_SET, true, want, n);
	is_str(n ? want[0] : NULL, "00000001-0000-4000-8000-000000000001",
	       "x1 moved to the newest by SQL comes first");
	is_str(n ? want[n - 1] : NULL, "00002edf-0000-4000-8000-000000002edf",
	       "x11999 moved to the oldest by SQL comes last");
	free_ids(want, n);
	want = expected(db, "x1%", NULL, "PREPROD", &n);
	check_search(db, "x1", ENV_PREPROD, MDB_SEARCH_SET, true, want, n);
	free_ids(want, n);
	want = expected(db, "x%", NULL, "PREPROD", &n);
	check_search(db, "x", ENV_PREPROD, MDB_SEARCH_SET, true, want, n);
	check_search(db, "x-", ENV_PREPROD, MDB_SEARCH_SET, false, want, n);
	free_ids(want, n);
	/* A filter few of the matches pass (3 of 1780): the blocks give up
	 * and the history of failures is walked with the set of matches. */
	{
		struct task_filter f = {STAGE, TASK_DEPLOYMENT, -1,
					STATUS_FAILED, "x1"};
		struct task_list page;
		char got[256] = "";

		ok(model_task_page(db, &f, NULL, PAGE_OLDER, 37, &page, &err) ==
		       DD_OK,
		   "'x1' failed: read");
		for (size_t i = 0; i < page.count; i++) {
			strcat(got, i ? " " : "");
			strcat(got, page.items[i].version);
		}
		is_str(got, "x11996 x1501 x10",
		       "'x1' failed: the three, in history order");
		task_list_free(&page);
	}

	/* A word of every deployment: the walk. */
	want = expected(db, NULL, "% zcommun %", NULL, &n);
	check_search(db, "zcommun", -1, MDB_SEARCH_PROBE, false, want, n);
	free_ids(want, n);
	/* A prefix of some hundreds: few, read from the index and sorted. */
	want = expected(db, "x11%", NULL, NULL, &n);
	check_search(db, "x11", -1, MDB_SEARCH_FEW, false, want, n);
	free_ids(want, n);

	model_close(db);
	model_delete(db_path);
	rmdir(tmpdir);
	return tap_done();
}
