/* SPDX-License-Identifier: MIT */
/* Transitions per second with concurrent writers, on either engine
 * (tests/bench/transitions.py runs it and prints the table).
 *
 *   bench-transitions init LOCATION
 *       makes a demo sandbox there (SQLite file or PostgreSQL location)
 *   bench-transitions run LOCATION WRITERS SECONDS
 *       WRITERS processes, each its own session as the demo's project
 *       manager, create and authorize deployments of project ERP (two
 *       decisions, each a transaction with its audit record) for SECONDS;
 *       prints "transitions N seconds S"
 *   bench-transitions floor LOCATION WRITERS SECONDS
 *       the same processes, each committing the least durable write the
 *       engine has under deploydesk's write lock (one settings row a
 *       transaction); prints "transitions N seconds S"
 *   bench-transitions page LOCATION RUNS
 *       the first page (50 rows, newest first) of project ERP's history,
 *       as the screens read it, the best of RUNS in one session; prints
 *       "page SECONDS rows N"
 *
 * Not a test: built on demand (ninja -C build tests/bench/bench-transitions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "model/model-internal.h"
#include "util/dblocation.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One writer of deploydesk's transitions until the deadline; the number
 * made, or -1. */
static long
writer_core(const char *location, double deadline, int me)
{
	struct core_session *s = NULL;
	struct core_project erp;
	struct dd_error err = {0};
	long n = 0;

	if (core_open(location, "mmartin", false, &s, &err) ||
	    core_project_open(s, "ERP", &erp, &err)) {
		fprintf(stderr, "writer %d: %s\n", me, err.msg);
		return -1;
	}
	for (int i = 0; now() < deadline; i++) {
		struct core_deploy_input in = {0};
		enum core_field field = FIELD_NONE;
		char version[32], id[UUID_SIZE];

		snprintf(version, sizeof version, "b%d.%d", me, i);
		in.version = version;
		in.environment = "DEV";
		in.description = "Bench";
		in.responsible = "jdupont";
		in.planned = "2027-01-04 10:00";
		if (core_deploy_create(s, &erp, &in, id, &field, &err) ||
		    core_deploy_authorize(s, id, 0, &err)) {
			fprintf(stderr, "writer %d: %s\n", me, err.msg);
			n = -1;
			break;
		}
		n += 2;
	}
	core_project_free(&erp);
	core_close(s);
	return n;
}

/* One writer of the least durable writes, under the same lock. */
static long
writer_floor(const char *location, double deadline, int me)
{
	const char *file;
	const struct mdb_backend *be =
	    db_location(location, &file) == DB_LOCATION_POSTGRESQL
		? &mdb_postgresql
		: &mdb_sqlite;
	struct model_db *db = NULL;
	struct dd_error err = {0};
	char key[32];
	long n = 0;

	if (mdb_connect(be, be == &mdb_sqlite ? file : location, false, &db,
			&err)) {
		fprintf(stderr, "floor %d: %s\n", me, err.msg);
		return -1;
	}
	snprintf(key, sizeof key, "bench-%d", me);
	while (now() < deadline) {
		struct mdb_stmt *st;

		if (be->begin_write(db, &err) ||
		    mdb_prepare(db,
				"INSERT INTO settings (key, value) VALUES (?, "
				"'0') ON CONFLICT (key) DO UPDATE SET value = "
				"excluded.value || 'x'",
				&st, &err)) {
			n = -1;
			break;
		}
		mdb_bind_str(st, 1, key);
		if (mdb_step_done(db, st, &err) ||
		    mdb_exec(db, "COMMIT", &err)) {
			n = -1;
			break;
		}
		n++;
	}
	if (n < 0)
		fprintf(stderr, "floor %d: %s\n", me, err.msg);
	model_close(db);
	return n;
}

/* The best time of runs first pages of ERP's history. */
static int
first_page(const char *location, int runs)
{
	struct core_session *s = NULL;
	struct core_project erp;
	struct dd_error err = {0};
	struct core_page_query q = {TASK_DEPLOYMENT, -1, -1, NULL};
	double best = 1e9;
	size_t rows = 0;

	if (core_open(location, "mmartin", false, &s, &err) ||
	    core_project_open(s, "ERP", &erp, &err)) {
		fprintf(stderr, "page: %s\n", err.msg);
		return 1;
	}
	for (int r = 0; r < runs; r++) {
		struct task_list page = {0};
		double t = now();

		if (core_task_page(s, &erp, &q, NULL, PAGE_OLDER, 50, &page,
				   &err)) {
			fprintf(stderr, "page: %s\n", err.msg);
			return 1;
		}
		t = now() - t;
		if (t < best)
			best = t;
		rows = page.count;
		task_list_free(&page);
	}
	core_project_free(&erp);
	core_close(s);
	printf("page %.6f rows %zu\n", best, rows);
	return 0;
}

int
main(int argc, char **argv)
{
	struct dd_error err = {0};
	int writers, fds[2];
	double seconds, start;
	long total = 0;
	bool floor;

	if (argc == 3 && strcmp(argv[1], "init") == 0) {
		if (core_init(argv[2],
			      &(struct core_init_options){.demo = true},
			      &err)) {
			fprintf(stderr, "init: %s\n", err.msg);
			return 1;
		}
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "page") == 0)
		return first_page(argv[2],
				  atoi(argv[3]) > 0 ? atoi(argv[3]) : 1);
	if (argc != 5 ||
	    (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "floor") != 0)) {
		fprintf(stderr,
			"usage: %s init LOCATION | run|floor LOCATION "
			"WRITERS SECONDS | page LOCATION RUNS\n",
			argv[0]);
		return 2;
	}
	floor = strcmp(argv[1], "floor") == 0;
	writers = atoi(argv[3]);
	seconds = atof(argv[4]);
	if (writers < 1 || writers > 64 || seconds <= 0 || pipe(fds) != 0)
		return 2;
	start = now();
	fflush(stdout);
	for (int w = 0; w < writers; w++) {
		if (fork() == 0) {
			long n = floor
				     ? writer_floor(argv[2], start + seconds, w)
				     : writer_core(argv[2], start + seconds, w);

			if (write(fds[1], &n, sizeof n) != sizeof n)
				_exit(1);
			_exit(n < 0);
		}
	}
	close(fds[1]);
	for (int w = 0; w < writers; w++) {
		long n = -1;

		if (read(fds[0], &n, sizeof n) != sizeof n || n < 0) {
			fprintf(stderr, "a writer failed\n");
			total = -1;
		} else if (total >= 0) {
			total += n;
		}
	}
	while (wait(NULL) > 0)
		;
	if (total < 0)
		return 1;
	printf("transitions %ld seconds %.3f\n", total, now() - start);
	return 0;
}
