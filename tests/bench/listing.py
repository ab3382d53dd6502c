#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What the bulk listings cost against sqlite3 printing the same rows.

Makes a demo database grown by N deployments (default 1,000,000, with the
audit records deploydesk would have written for each), then times, best of
a few runs, each output to /dev/null:

  - `deploydesk deploy list ERP` and `deploydesk audit list`, in each
    format (table, csv, json);
  - the floor: `sqlite3` printing the same columns of the same rows in the
    same order (its -csv mode for table and csv, -json for json), with the
    joins that give the same values (the responsible person's login).

and prints each figure, its floor and the ratio (the goal, issue 10: at
most 1.5).

Not a test: a measurement.

    tests/bench/listing.py [--bin build/deploydesk] [--count N] [--db FILE] [--runs 3]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import ddaudit  # noqa: E402

GOAL = 1.5

DEPLOY_SQL = (
    "SELECT t.id, t.version, t.environment, t.status, "
    "t.authorized_by IS NOT NULL AS authorized, t.planned_at, "
    "u.login AS responsible "
    "FROM tasks t JOIN stages s ON s.id = t.stage_id "
    "JOIN projects p ON p.id = s.project_id "
    "JOIN users u ON u.id = t.responsible "
    "WHERE p.code = 'ERP' AND t.type = 'DEPLOIEMENT' "
    "ORDER BY t.planned_at DESC, t.id DESC")

AUDIT_SQL = ("SELECT seq, ts, login, uid, login_uid, action, entity_id, "
             "before, after FROM audit ORDER BY seq")


def args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "build",
                                                  "deploydesk"))
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--db", help="the database: made if missing, reused "
                    "otherwise")
    ap.add_argument("--runs", type=int, default=3)
    return ap.parse_args()


def best(cmd, runs, env=None):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit("%s failed: %s" % (" ".join(cmd),
                                        p.stderr.decode(errors="replace")))
    return min(times)


def main():
    a = args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        sys.exit("%s: not an executable (build first: ninja -C build)"
                 % binary)
    sqlite3 = shutil.which("sqlite3")
    if not sqlite3:
        sys.exit("sqlite3 is needed for the floor")
    tmp = None
    path = a.db
    if not path:
        tmp = tempfile.mkdtemp(prefix="dd-bench-listing.")
        path = os.path.join(tmp, "large.db")
    if not os.path.exists(path):
        print("making %s: the demo and %d deployments..." % (path, a.count),
              flush=True)
        subprocess.run([binary, "--db", path, "init", "--demo"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ddaudit.grow(path, a.count)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    env.pop("DEPLOYDESK_DB", None)
    # Warm the page cache once, so that both read from memory.
    for sql in (DEPLOY_SQL, AUDIT_SQL):
        subprocess.run([sqlite3, path, sql], stdout=subprocess.DEVNULL,
                       check=True)
    count = lambda sql: subprocess.run(  # noqa: E731
        [sqlite3, path, sql], capture_output=True, text=True).stdout.strip()
    print("%s deployments in ERP, %s audit records (best of %d, seconds)"
          % (count("SELECT count(*) FROM (%s)" % DEPLOY_SQL),
             count("SELECT count(*) FROM audit"), a.runs))
    print("%-24s %9s %9s %7s" % ("", "deploydesk", "sqlite3", "ratio"))
    worst = 0.0
    for name, argv, sql in (("deploy list ERP", ["deploy", "list", "ERP"],
                             DEPLOY_SQL),
                            ("audit list", ["audit", "list"], AUDIT_SQL)):
        for fmt, mode in (("table", "-csv"), ("csv", "-csv"),
                          ("json", "-json")):
            dd = best([binary, "--db", path, "--format", fmt] + argv,
                      a.runs, env)
            floor = best([sqlite3, mode, path, sql], a.runs, env)
            worst = max(worst, dd / floor)
            print("%-24s %9.2f %9.2f %7.2f"
                  % ("%s (%s)" % (name, fmt), dd, floor, dd / floor))
    print()
    print("goal: each within %.1fx sqlite3: %s (worst ratio %.2f)"
          % (GOAL, "met" if worst <= GOAL else "NOT met", worst))
    if tmp:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
