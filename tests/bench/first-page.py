#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The first page of a project's history of a million deployments, SQLite
beside PostgreSQL: the 50 newest rows, as the screens read them (the
core's page, through bench-transitions), best of 20 in one session. The
floor is the same page of the demo's four deployments on the same engine,
as in large-history.py: the history is paged by keyset through an index,
so the ratio should be close to 1.

    ninja -C build tests/bench/bench-transitions
    tests/bench/first-page.py --sqlite-db /tmp/large.db        # SQLite only
    export DEPLOYDESK_TEST_PG=$(tests/pg/cluster.sh start /tmp/ddpg)
    tests/bench/first-page.py --pg "$DEPLOYDESK_TEST_PG"       # and PostgreSQL

--sqlite-db FILE: a demo grown by large-history.py (made there if missing,
in a minute or two); --count N (default 1,000,000) for what is made here.
PostgreSQL's large history is made in the schema dd_page_large (the same
rows as large-history.py's, inserted through the schema's triggers by SQL
statements of 2,000 rows, each its own transaction), its demo in
dd_page_small; both
made afresh, unless --keep-pg and the schema is there.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 2000

GROW_PG = """
INSERT INTO tasks (id, stage_id, type, name, description, status,
    responsible, planned_at, version, environment, authorized_by,
    authorized_at, created_by, created_at)
SELECT lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'),
    s.stage, 'DEPLOIEMENT', 'b' || i, 'bench ' || i,
    (ARRAY['A_FAIRE', 'TERMINEE', 'ECHEC', 'EN_COURS'])[i %% 4 + 1], s.who,
    t, 'b' || i, (ARRAY['DEV', 'TEST', 'PREPROD', 'PROD'])[i %% 4 + 1],
    CASE WHEN i %% 4 <> 0 THEN s.who END, CASE WHEN i %% 4 <> 0 THEN t END,
    s.who, t
FROM generate_series(%d, %d) AS i,
    LATERAL (SELECT to_char(to_timestamp(1500000000 + 60 * i)
        AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t) AS tt,
    (SELECT stage_id AS stage, responsible AS who FROM tasks
     WHERE type = 'DEPLOIEMENT' LIMIT 1) AS s;
"""


def run(*cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("%s: %s" % (" ".join(cmd), out.stderr.strip()))
    return out.stdout


def page(binary, location):
    words = run(binary, "page", location, "20").split()
    return float(words[1]), int(words[3])


def psql(base, sql):
    run("psql", base, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql)


def pg_schema(base, name, fresh):
    sep = "&" if "?" in base else "?"
    loc = base + sep + "options=-csearch_path%3D" + name
    if fresh:
        psql(base, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s"
             % (name, name))
    return loc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(
        HERE, "..", "..", "build", "tests", "bench", "bench-transitions"))
    ap.add_argument("--deploydesk", default=os.path.join(
        HERE, "..", "..", "build", "deploydesk"))
    ap.add_argument("--sqlite-db")
    ap.add_argument("--pg")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--keep-pg", action="store_true")
    args = ap.parse_args()

    spec = importlib.util.spec_from_file_location(
        "large_history", os.path.join(HERE, "large-history.py"))
    large = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(large)

    tmp = tempfile.mkdtemp(prefix="dd-page-")
    small = os.path.join(tmp, "small.db")
    run(args.bin, "init", small)
    big = args.sqlite_db or os.path.join(tmp, "large.db")
    if not os.path.exists(big):
        large.make_demo(args.deploydesk, big)
        large.grow(big, args.count)
    rows = [("sqlite", small, big)]

    if args.pg:
        small_pg = pg_schema(args.pg, "dd_page_small", True)
        run(args.bin, "init", small_pg)
        fresh = not args.keep_pg
        big_pg = pg_schema(args.pg, "dd_page_large", fresh)
        if fresh:
            run(args.bin, "init", big_pg)
            # In statements of BATCH rows, each its own transaction: the
            # kept counts and spans are one row updated per deployment,
            # and in one transaction each update walks every version
            # before it (a million rows ran for hours).
            script = "".join(GROW_PG % (lo, min(lo + BATCH, args.count) - 1)
                             for lo in range(0, args.count, BATCH))
            out = subprocess.run(["psql", big_pg, "-qAt", "-v",
                                  "ON_ERROR_STOP=1"], input=script,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit("psql: " + out.stderr.strip())
            psql(big_pg, "ANALYZE tasks")
        rows.append(("postgresql", small_pg, big_pg))

    print("first page of the history, 50 rows, best of 20 (seconds)")
    print("%-11s %12s %10s %7s" % ("engine", "large", "floor", "ratio"))
    for name, s, b in rows:
        floor, _ = page(args.bin, s)
        got, n = page(args.bin, b)
        print("%-11s %12.6f %10.6f %7.2f   (%d rows)" % (name, got, floor,
                                                        got / floor, n))
    print("(floor: the same page of the demo's four deployments)")


if __name__ == "__main__":
    main()
