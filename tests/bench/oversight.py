#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What the oversight views cost on a large database, against the
history's first page.

Makes (or reuses) a demo database grown to N deployments in project ERP
(default 1,000,000: executed but for the newest 20, planned, as a team's
history is) and 99 more projects with 40 deployments each (2 planned), of
which mmartin is the manager, then
measures, best of a few runs:

  - the floor: `deploydesk deploy list ERP --limit 20` (the history's
    first page);
  - `deploydesk inbox` as the project manager, and as the admin;
  - `deploydesk envs`;
  - `deploydesk metrics` over 90 days: ERP's last (a deployment a minute,
    129,600 of them) and every project's; the figures are kept a day at a
    time (figure_days), so both read a row a day and environment;
  - `deploydesk export evidence` of ERP over 1 day and over 10 days
    (1,440 and 14,400 deployments, two pages each): its largest memory,
    which must not grow with the period (the goal: flat).

Not a test: figures to read, each with the floor and the ratio (the goal
of issue #12: within 3x).

    tests/bench/oversight.py [--bin build/deploydesk] [--count N] [--db FILE]
"""

import argparse
import os
import sqlite3
import subprocess
import tempfile
import time


def args():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build",
                                                  "deploydesk"))
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--projects", type=int, default=99)
    ap.add_argument("--db", help="the large database: made if missing, "
                    "reused otherwise")
    return ap.parse_args()


def run(binary, path, *cmd, user=None):
    argv = [binary, "--db", path] + (["--as", user] if user else []) + list(cmd)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def rows(stage, who, count, prefix, start, planned):
    """count deployments, one minute apart: the newest planned ones
    planned, the rest succeeded or failed (one in ten), across the
    environments; each created up to three days before it runs and
    authorized in between (lead times and approval waits spread to the
    second, as a team's are)."""
    for i in range(count):
        if i >= count - planned:
            st = "A_FAIRE"
        else:
            st = "ECHEC" if i % 10 == 3 else "TERMINEE"
        done = st != "A_FAIRE"
        t = start + 60 * i
        made = t - (i * 7919) % 259200
        approved = made + (i * 104729) % (t - made + 1)
        yield ("%s%0*x-0000-4000-8000-%012x" % (prefix, 8 - len(prefix), i,
                                                i), stage,
               "b%d" % i, "bench %d" % i, st, who, iso(t), "b%d" % i,
               ["DEV", "TEST", "PREPROD", "PROD"][i % 4],
               who if done else None, iso(approved) if done else None,
               who if done else None, iso(t) if done else None,
               who if done else None, iso(t) if done else None, who,
               iso(made))


def insert(db, it):
    db.executemany(
        "INSERT INTO tasks (id, stage_id, type, name, description, status, "
        "responsible, planned_at, version, environment, authorized_by, "
        "authorized_at, started_by, started_at, executed_by, executed_at, "
        "created_by, created_at) "
        "VALUES (?, ?, 'DEPLOIEMENT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)", it)


def make(binary, path, count, projects):
    run(binary, path, "init", "--demo")
    for p in range(projects):
        code = "P%02d" % p
        run(binary, path, "project", "add", code, "--name", "Projet %d" % p)
        run(binary, path, "member", "add", code, "mmartin", "--role", "chef")
        run(binary, path, "stage", "set", code, "TESTS", "TERMINEE")
    db = sqlite3.connect(path)
    who = db.execute("SELECT id FROM users WHERE login = 'mmartin'").fetchone()[0]
    stages = db.execute(
        "SELECT s.id, p.code FROM stages s JOIN projects p ON p.id = "
        "s.project_id WHERE s.code = 'DEPLOIEMENT'").fetchall()
    with db:
        for n, (stage, code) in enumerate(stages):
            if code == "ERP":
                insert(db, rows(stage, who, count, "e", 1_400_000_000, 20))
            else:
                insert(db, rows(stage, who, 40, "%02x" % n, 1_600_000_000, 2))
    db.close()
    # Rows written by SQL mark their days changed (figure_dirty): the
    # next write through deploydesk keeps them, as a team's writes have.
    run(binary, path, "user", "add", "bench", "--name", "Bench")


def best(cmd, runs=15):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.monotonic() - t)
    return min(times)


def main():
    a = args()
    binary = os.path.abspath(a.bin)
    tmp = None
    path = a.db
    if not path:
        tmp = tempfile.TemporaryDirectory()
        path = os.path.join(tmp.name, "oversight.db")
    if not os.path.exists(path):
        t = time.monotonic()
        make(binary, path, a.count, a.projects)
        print("made %s: %d deployments in ERP, %d more projects (%.0f s)"
              % (path, a.count, a.projects, time.monotonic() - t))
    base = [binary, "--db", path]
    floor = best(base + ["--as", "mmartin", "deploy", "list", "ERP",
                         "--limit", "20"])
    print("%-34s %8.1f ms" % ("floor: deploy list ERP --limit 20",
                              floor * 1000))
    for name, cmd in [
        ("inbox (the project manager)", ["--as", "mmartin", "inbox"]),
        ("inbox (the admin)", ["inbox"]),
        ("envs", ["envs"]),
        # The history's last 90 days (it ends in 2016): one deployment a
        # minute, 129,600 of them.
        ("metrics ERP, its last 90 days", ["metrics", "ERP", "--from",
                                           "2016-02-02", "--to",
                                           "2016-05-01"]),
        ("metrics, every project, 90 days", ["metrics"]),
    ]:
        t = best(base + cmd)
        print("%-34s %8.1f ms  %5.2fx the floor" % (name, t * 1000,
                                                    t / floor))
    rss = {}
    with tempfile.TemporaryDirectory() as out:
        for days, first in [(1, "2016-03-20"), (10, "2016-03-11")]:
            # GNU time's %M: the program's own peak (a child of this
            # script would count the script's memory it was forked with).
            r = subprocess.run(
                ["/usr/bin/time", "-f", "%M"] + base +
                ["export", "evidence", "--project", "ERP", "--from", first,
                 "--to", "2016-03-20", os.path.join(out, "e%d" % days)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True, check=True)
            rss[days] = int(r.stderr.split()[-1]) / 1024
    print("%-34s %8.1f MB" % ("evidence export ERP, 1 day", rss[1]))
    print("%-34s %8.1f MB  %5.2fx the 1-day export" % (
        "evidence export ERP, 10 days", rss[10], rss[10] / rss[1]))


if __name__ == "__main__":
    main()
