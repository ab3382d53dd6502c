#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What `audit verify` costs against what it reads.

Makes a demo database grown by N deployments (default 1,000,000) with the
records deploydesk would have written for each (create, authorize, start,
succeed or fail and the incident: about 3.4 records a deployment), then
times, best of a few runs:

  - `deploydesk audit verify`: the schema, the chain, every table row
    against the trail;
  - the floor: `sqlite3` reading every column of the audit trail and of
    every table verify compares, to /dev/null;

and prints both and their ratio (the goal: at most 2).

    tests/bench/audit-verify.py [--bin build/deploydesk] [--count N] [--db FILE] [--runs 3]
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

FLOOR_SQL = ("SELECT * FROM audit; SELECT * FROM users; "
             "SELECT * FROM projects; SELECT * FROM stages; "
             "SELECT * FROM members; SELECT * FROM tasks; "
             "SELECT * FROM deploy_counts; SELECT * FROM settings; "
             "SELECT * FROM approvals; SELECT * FROM policies; "
             "SELECT * FROM freezes; SELECT * FROM exceptions; "
             "SELECT * FROM blocked_versions; SELECT * FROM figure_days; "
             "SELECT * FROM history_spans;")


def args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "build",
                                                  "deploydesk"))
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--db", help="the database: made if missing, reused "
                    "otherwise")
    ap.add_argument("--runs", type=int, default=3)
    return ap.parse_args()


def best(cmd, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit("%s failed: %s" % (" ".join(cmd),
                                        p.stderr.decode(errors="replace")))
    return min(times)


def main():
    a = args()
    tmp = None
    path = a.db
    if not path:
        tmp = tempfile.mkdtemp(prefix="dd-bench-verify.")
        path = os.path.join(tmp, "large.db")
    if not os.path.exists(path):
        print("making %s: the demo and %d deployments..." % (path, a.count),
              flush=True)
        subprocess.run([a.bin, "--db", path, "init", "--demo"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ddaudit.grow(path, a.count)
        # The grown rows were written by SQL: their days are marked, and
        # verify leaves marked days out. Keep them, as deploydesk's own
        # writes would have, so that verify compares every one.
        subprocess.run([a.bin, "--db", path, "audit", "rebuild-figures"],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    sqlite3 = shutil.which("sqlite3")
    if not sqlite3:
        sys.exit("sqlite3 is needed for the floor")
    # Warm the page cache once, so that both read from memory.
    subprocess.run([sqlite3, path, FLOOR_SQL], stdout=subprocess.DEVNULL,
                   check=True)
    records = subprocess.run([sqlite3, path, "SELECT count(*) FROM audit"],
                             capture_output=True, text=True).stdout.strip()
    rows = subprocess.run(
        [sqlite3, path, "SELECT (SELECT count(*) FROM tasks) + "
         "(SELECT count(*) FROM users)"],
        capture_output=True, text=True).stdout.strip()
    verify = best([a.bin, "--db", path, "audit", "verify"], a.runs)
    floor = best([sqlite3, path, FLOOR_SQL], a.runs)
    print("%s audit records, %s tasks and users (best of %d, seconds)"
          % (records, rows, a.runs))
    print("  deploydesk audit verify   %8.2f" % verify)
    print("  floor: sqlite3 reading    %8.2f" % floor)
    print("  ratio                     %8.2f   (goal: <= 2)" % (verify / floor))
    if tmp:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
