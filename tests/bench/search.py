#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The time to read one filtered page of a large history.

On a copy of a database of about a million deployments (schema version 3
or 4; the copy is upgraded by the program), measures `deploydesk deploy
list ERP --format csv` cut after its first page of 500 rows, for each
filter: none, a text search (a word every deployment has, a rare one, one of
the logs, prefixes, two words), an environment, a status, and combinations.
Each figure is the best of a few runs; its floor is the same page read by
the `sqlite3` shell: the same SELECT the program runs (its text built here as
model-task.c builds it, with the FTS5 query model-search.c makes), also a
process started per run. For the probe plan (many matches of whole words)
the floor is the statements the program runs, rebuilt here as
model-search.c's mdb_search_walk() makes them: the walk of the history's
rowids as far as the program walks, one range query of the index per run of
close rowids of each chunk, then the page's rows. For the set plan (a
prefix of many words) it is mdb_search_spans()'s: the project's spans of
history_spans, one query of the index per block of rowids read, then the
page's rows. The goal: every filtered page within 3x the unfiltered one.

    tests/bench/search.py [--bin build/deploydesk] [--db /tmp/large.db]
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

RUNS = 5
PAGE = 500
FEW_MAX = 2000
EXPAND_MAX = 16
CHUNK_MIN, CHUNK_MAX, GAP_MAX = 128, 4096, 256
SPAN_SHIFT = 12

TASK_SELECT = (
    "SELECT t.id, t.stage_id, s.project_id, t.type, t.name, "
    "t.description, t.status, t.priority, "
    "t.responsible, ru.login, ru.full_name, t.planned_at, t.version, "
    "t.environment, NULL, "
    "t.authorized_by, au.login, au.full_name, t.authorized_at, "
    "t.started_by, su.login, su.full_name, t.started_at, "
    "t.executed_by, eu.login, eu.full_name, t.executed_at, "
    "t.source_task, (SELECT i.id FROM tasks i WHERE i.source_task = t.id "
    "ORDER BY i.created_at LIMIT 1), "
    "t.created_by, cu.login, cu.full_name, t.created_at, t.row_version, "
    "(SELECT v.version FROM tasks v WHERE v.id = t.source_task) "
    "FROM tasks t JOIN stages s ON s.id = t.stage_id "
    "JOIN users ru ON ru.id = t.responsible "
    "LEFT JOIN users au ON au.id = t.authorized_by "
    "LEFT JOIN users su ON su.id = t.started_by "
    "LEFT JOIN users eu ON eu.id = t.executed_by "
    "JOIN users cu ON cu.id = t.created_by ")

CASES = [
    ("unfiltered", {}),
    ("search: common word 'bench'", {"search": "bench"}),
    ("search: rare word 'b777777'", {"search": "b777777"}),
    ("search: prefix 'b77777'", {"search": "b77777"}),
    ("search: logs word 'KO'", {"search": "KO"}),
    ("search: two words 'bench ok'", {"search": "bench ok"}),
    ("search: prefix of many 'b7'", {"search": "b7"}),
    ("search: one character 'b'", {"search": "b"}),
    ("search: not a word 'b7-77'", {"search": "b7-77"}),
    ("search: no match 'zorglub'", {"search": "zorglub"}),
    ("env PROD", {"env": "PROD"}),
    ("status ECHEC", {"status": "ECHEC"}),
    ("env PROD + status ECHEC", {"env": "PROD", "status": "ECHEC"}),
    ("search 'ko' + env PREPROD", {"search": "ko", "env": "PREPROD"}),
    ("search 'bench' + status A_FAIRE", {"search": "bench", "status": "A_FAIRE"}),
]


def quoted(w):
    return '"' + w.replace('"', '""') + '"'


def plan(db, text):
    """model-search.c's FTS5 query and plan for the typed text."""
    parts, exact = [], True
    for w in text.split():
        if w.isascii() and w.isalnum():
            low = w.lower()
            high = low[:-1] + chr(ord(low[-1]) + 1)
            terms, start = [], low
            while len(terms) <= EXPAND_MAX:
                r = db.execute("SELECT term FROM temp.task_search_words "
                               "WHERE term >= ? AND term < ? LIMIT 1",
                               (start, high)).fetchone()
                if not r:
                    break
                terms.append(r[0])
                start = r[0] + "\0"
            if not terms:
                return None, "none"
            if len(terms) <= EXPAND_MAX:
                parts.append("(" + " OR ".join(map(quoted, terms)) + ")")
                continue
        exact = False
        parts.append(quoted(w) + "*")
    if not parts:
        return None, "none"
    match = " AND ".join(parts)
    n = db.execute("SELECT count(*) FROM (SELECT 1 FROM task_search WHERE "
                   "task_search MATCH ? LIMIT ?)", (match, FEW_MAX + 1)
                   ).fetchone()[0]
    if n == 0:
        return None, "none"
    return match, ("few" if n <= FEW_MAX else "probe" if exact else "set")


def lit(s):
    return "'" + s.replace("'", "''") + "'"


ORDER = "ORDER BY t.planned_at DESC, t.id DESC"


def probe_sql(db, where, match):
    """The statements mdb_search_walk() and model_task_page run for a page
    of the probe plan: the walk, the index's range queries, the rows."""
    walk = db.execute("SELECT t.rowid FROM tasks t " + where + ORDER)
    found, walked, ranges, chunk = [], 0, [], CHUNK_MIN
    while len(found) < PAGE:
        rows = [r[0] for r in walk.fetchmany(chunk)]
        walked += len(rows)
        runs, hits = [], set()
        for r in sorted(rows):
            if runs and r - runs[-1][1] <= GAP_MAX:
                runs[-1][1] = r
            else:
                runs.append([r, r])
        for lo, hi in runs:
            q = ("SELECT rowid FROM task_search WHERE task_search MATCH %s "
                 "AND rowid BETWEEN %d AND %d;" % (lit(match), lo, hi))
            ranges.append(q)
            hits.update(x[0] for x in db.execute(q))
        found += [r for r in rows if r in hits][:PAGE - len(found)]
        if len(rows) < chunk:
            break
        chunk = min(2 * chunk, CHUNK_MAX)
    walk.close()
    return "\n".join(
        ["SELECT t.rowid FROM tasks t %s%s LIMIT %d;" % (where, ORDER, walked)]
        + ranges
        + [TASK_SELECT + "WHERE t.rowid IN (%s) %s;"
           % (",".join(map(str, found)) or "NULL", ORDER)])


def spans_sql(db, stage, f, match):
    """The statements mdb_search_spans() runs for a first page of the set
    plan: the stage's spans, one query of the index (joined to the
    deployments) per block read, latest block first, until the next block
    cannot hold a row later than the page's last, then the page's rows."""
    spans = sorted(db.execute("SELECT block, last_at FROM history_spans "
                              "WHERE stage_id = ?", (stage,)),
                   key=lambda r: (r[1], r[0]), reverse=True)
    cond = ""
    if "env" in f:
        cond += "AND t.environment = %s " % lit(f["env"])
    if "status" in f:
        cond += "AND t.status = %s " % lit(f["status"])
    queries, page = [], []
    for block, last_at in spans:
        if len(page) == PAGE and last_at < page[-1][0]:
            break
        lo = block << SPAN_SHIFT
        q = ("SELECT t.rowid, t.planned_at, t.id FROM task_search s "
             "CROSS JOIN tasks t ON t.rowid = s.rowid WHERE task_search "
             "MATCH %s AND s.rowid BETWEEN %d AND %d AND t.stage_id = %s "
             "AND t.type = 'DEPLOIEMENT' %s;"
             % (lit(match), lo, lo + (1 << SPAN_SHIFT) - 1, lit(stage), cond))
        queries.append(q)
        page = sorted(page + [(r[1], r[2], r[0]) for r in db.execute(q)],
                      reverse=True)[:PAGE]
    return "\n".join(
        ["SELECT block, first_at, last_at FROM history_spans WHERE "
         "stage_id = %s;" % lit(stage)] + queries
        + [TASK_SELECT + "WHERE t.rowid IN (%s) %s;"
           % (",".join(str(r[2]) for r in page) or "NULL", ORDER)])


def page_sql(db, stage, f):
    """The SQL model_task_page runs, its values written in."""
    match, how = (None, None)
    if "search" in f:
        match, how = plan(db, f["search"])
        if how == "none":
            return None, how
    where = ("WHERE +t.stage_id = %s " if how == "few"
             else "WHERE t.stage_id = %s ") % lit(stage)
    where += "AND t.type = 'DEPLOIEMENT' "
    if "env" in f:
        where += "AND t.environment = %s " % lit(f["env"])
    if "status" in f:
        where += "AND t.status = %s " % lit(f["status"])
    if how == "probe":
        return probe_sql(db, where, match), how
    if how == "set":
        return spans_sql(db, stage, f, match), how
    if how == "few":
        where += ("AND t.rowid IN (SELECT rowid FROM task_search WHERE "
                  "task_search MATCH %s) " % lit(match))
    return TASK_SELECT + where + ORDER + " LIMIT %d;" % PAGE, how or "-"


def best(cmd, stdin=None):
    times = []
    for _ in range(RUNS):
        t = time.monotonic()
        subprocess.run(cmd, shell=True, check=False, input=stdin,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.monotonic() - t)
    return min(times)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build",
                                                  "deploydesk"))
    ap.add_argument("--db", default="/tmp/large.db",
                    help="a large database (copied, never modified; "
                    "tests/bench/large-history.py makes one)")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(
            os.path.abspath(a.db))) as tmp:
        path = os.path.join(tmp, "copy.db")
        shutil.copyfile(a.db, path)
        t = time.monotonic()
        subprocess.run([binary, "--db", path, "stats", "ERP"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("copied and opened (upgraded if older) in %.1f s"
              % (time.monotonic() - t))
        db = sqlite3.connect(path)
        db.execute("CREATE VIRTUAL TABLE temp.task_search_words USING "
                   "fts5vocab(main, task_search, instance)")
        stage = db.execute(
            "SELECT s.id FROM stages s JOIN projects p ON p.id = s.project_id "
            "WHERE p.code = 'ERP' AND s.code = 'DEPLOIEMENT'").fetchone()[0]
        n = db.execute("SELECT count(*) FROM tasks WHERE type = "
                       "'DEPLOIEMENT'").fetchone()[0]
        size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE "
                          "'task_search%'").fetchone()[0] or 0
        print("%d deployments; search index %.1f MB" % (n, size / 1e6))
        print("%-34s %6s %9s %9s %6s %7s" % (
            "one page of %d rows (s, best of %d)" % (PAGE, RUNS), "plan",
            "program", "floor", "ratio", "vs none"))
        base = None
        for name, f in CASES:
            args = ""
            if "search" in f:
                args += " --search %s" % lit(f["search"])
            if "env" in f:
                args += " --env %s" % f["env"]
            if "status" in f:
                args += " --status %s" % f["status"]
            prog = best("%s --db %s --format csv deploy list ERP%s | head -n %d"
                        % (binary, path, args, PAGE + 1))
            sql, how = page_sql(db, stage, f)
            floor = best("sqlite3 %s" % path,
                         stdin=(sql or "SELECT 1;").encode())
            if base is None:
                base = prog
            print("%-34s %6s %9.4f %9.4f %6.2f %7.2f" % (
                name, how, prog, floor, prog / floor, prog / base))
        db.close()
        print("(program: the whole process, cut after its first page; "
              "floor: the sqlite3 shell running the same SELECT; "
              "vs none: the program's figure over its unfiltered page; "
              "goal: at most 3)")


if __name__ == "__main__":
    main()
