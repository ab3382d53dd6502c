#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Transitions per second with 1, 4 and 8 concurrent writers, SQLite beside
PostgreSQL: each writer a process with its own session, creating and
authorizing deployments (each a decision: one transaction with its audit
record). The floor is the same processes committing the least durable
write each engine has, under deploydesk's write lock.

    ninja -C build tests/bench/bench-transitions
    tests/bench/transitions.py                       # SQLite only
    export DEPLOYDESK_TEST_PG=$(tests/pg/cluster.sh start /tmp/ddpg)
    tests/bench/transitions.py --pg "$DEPLOYDESK_TEST_PG"

Options: --seconds S (each run, default 5), --writers 1,4,8,
--bin PATH (default build/tests/bench/bench-transitions). PostgreSQL's
runs use a schema of their own, dd_bench, made afresh (psql).
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("%s %s: %s" % (binary, " ".join(args), out.stderr.strip()))
    return out.stdout


def rate(binary, mode, location, writers, seconds):
    words = run(binary, mode, location, str(writers), str(seconds)).split()
    return int(words[1]) / float(words[3])


def pg_location(base):
    """A fresh schema dd_bench in the database of base; its location."""
    subprocess.run(["psql", base, "-qAt", "-v", "ON_ERROR_STOP=1", "-c",
                    "DROP SCHEMA IF EXISTS dd_bench CASCADE; "
                    "CREATE SCHEMA dd_bench"], check=True,
                   capture_output=True)
    sep = "&" if "?" in base else "?"
    return base + sep + "options=-csearch_path%3Ddd_bench"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(
        HERE, "..", "..", "build", "tests", "bench", "bench-transitions"))
    ap.add_argument("--pg", help="a PostgreSQL database to write in")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--writers", default="1,4,8")
    args = ap.parse_args()
    writers = [int(w) for w in args.writers.split(",")]

    engines = []
    tmp = tempfile.mkdtemp(prefix="dd-bench-")
    path = os.path.join(tmp, "bench.db")
    run(args.bin, "init", path)
    engines.append(("sqlite", path))
    if args.pg:
        loc = pg_location(args.pg)
        run(args.bin, "init", loc)
        engines.append(("postgresql", loc))

    print("transitions a second (%g s a run; each a decision and its audit "
          "record)" % args.seconds)
    print("%-11s %7s %12s %12s %7s" % ("engine", "writers", "deploydesk",
                                       "floor", "ratio"))
    for name, loc in engines:
        for w in writers:
            got = rate(args.bin, "run", loc, w, args.seconds)
            floor = rate(args.bin, "floor", loc, w, args.seconds)
            print("%-11s %7d %12.0f %12.0f %7.1f" % (name, w, got, floor,
                                                      floor / got))
    print("(floor: the same processes each committing one settings row a "
          "transaction under the write lock; ratio: floor / deploydesk)")


if __name__ == "__main__":
    main()
