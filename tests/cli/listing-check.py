#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks for test-listing.sh: the streamed listings against the rows
written in the table's first chunk, and against what is stored.

    listing-check.py fill DB          # nasty twins around row 500
    listing-check.py table|csv|json|cp1252 DB OUTPUT-FILE
    listing-check.py grow DB N        # N plain deployments more

Prints one line per check, "PASS desc" or "FAIL desc: why".
"""
import json
import sqlite3
import sys

# Stored text that must print safely and the same way wherever it falls in
# a list: controls, bidi, invisible and wide characters, ill-formed UTF-8,
# quotes and commas, an over-long value.
NASTY = [
    "plain", "é", "日本語", "a\x1b[31mred", "\u202eevil", "tab\there",
    b"\xffA\xc3", "soft\u00adhyphen", "a\u0301", "emoji \U0001F600",
    "cr\r\nlf", '"quoted", comma', " lead", "del\x7f", "c1\u0085",
    "\ufffd real", "zero\u200bwidth", "tag\U000E0001", "\u0378unassigned",
    "\\back\\slash", "ls\u2028", "全角 wide", "ﾊﾝｶｸ", "Привет", "€ œ",
    b"\xed\xa0\x80surrogate", "y" * 2000 + "日" * 300, "",
]
NEWEST = "2030-01-01T00:00:00Z"


def say(ok, desc, why=""):
    print(("PASS %s" % desc) if ok else ("FAIL %s: %s" % (desc, why)))


def value(v):
    return sqlite3.Binary(v) if isinstance(v, bytes) else v


def fill(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute("BEGIN")
    stage, = db.execute(
        "SELECT s.id FROM projects p JOIN stages s ON s.project_id = p.id "
        "WHERE p.code = 'ERP' AND s.code = 'DEPLOIEMENT'").fetchone()
    users = []
    for i, name in enumerate(NASTY):
        cur = db.execute(
            "INSERT INTO users (login, full_name, created_at) "
            "VALUES (?, ?, '2026-01-01T00:00:00Z')",
            ("nasty%d" % i, value(name) if name else "x"))
        users.append(cur.lastrowid)
    # Each nasty value twice: among the newest rows (the first chunk of
    # 500, whose widths the table takes) and among the oldest (streamed).
    # The twins share the first 8 characters of their id and differ in
    # their date only.
    rows = []
    for twin, day in (("a", "2029-12-%02dT10:00:00Z"),
                      ("b", "2001-01-%02dT10:00:00Z")):
        for i, v in enumerate(NASTY):
            rows.append(("%08d-0000-4000-8000-%011d%s" % (i, i, twin),
                         day % (i + 1), v, users[i]))
    for i in range(600):
        rows.append(("p%07d-1111-4000-8000-000000000000" % i,
                     "2015-06-%02dT%02d:%02d:00Z" % (1 + i % 28, i % 24,
                                                      i % 60),
                     "v%d" % i, users[0]))
    for tid, when, version, user in rows:
        db.execute(
            "INSERT INTO tasks (id, stage_id, type, name, description, "
            "responsible, planned_at, version, environment, created_by, "
            "created_at) VALUES (?, ?, 'DEPLOIEMENT', ?, 'd', ?, ?, ?, "
            "'PROD', ?, ?)",
            (tid, stage, version if isinstance(version, str) else "n",
             user, when, value(version), user, when))
    db.execute("COMMIT")


def grow(path, n):
    db = sqlite3.connect(path, isolation_level=None)
    stage, user = db.execute(
        "SELECT s.id, u.id FROM projects p JOIN stages s ON "
        "s.project_id = p.id, users u WHERE p.code = 'ERP' AND "
        "s.code = 'DEPLOIEMENT' AND u.login = 'jdupont'").fetchone()
    start, = db.execute("SELECT count(*) FROM tasks").fetchone()
    db.execute("BEGIN")
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n "
        "WHERE i < ?) INSERT INTO tasks (id, stage_id, type, name, "
        "description, responsible, planned_at, version, environment, "
        "created_by, created_at) SELECT printf('%08x-2222-4000-8000-"
        "%012x', i, i), ?, 'DEPLOIEMENT', 'n', 'd', ?, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 1400000000 + i * 60, 'unixepoch'),"
        " 'g' || i, 'DEV', ?, '2026-01-01T00:00:00Z' FROM n",
        (start, start + n - 1, stage, user, user))
    db.execute("COMMIT")


def twins(lines, key):
    """The lines of the twins a and b of each nasty value, by index."""
    found = {}
    for line in lines:
        for i in range(len(NASTY)):
            if key(line, i):
                found.setdefault(i, []).append(line)
    return found


def check_table(out):
    data = out
    say(b"\x1b" not in data and b"\x07" not in data,
        "table: no escape byte of stored text reaches the output")
    text = data.decode("utf-8", errors="strict")
    say(all(c not in text for c in "\u202e\u200b\u0085\u2028\U000E0001"),
        "table: no bidi, invisible or C1 character reaches the output")
    lines = text.split("\n")
    say(len(lines) > 600, "table: every row", "%d lines" % len(lines))
    pairs = twins(lines, lambda l, i: l.startswith("%08d " % i))
    for i in range(len(NASTY)):
        got = pairs.get(i, [])
        if len(got) != 2:
            say(False, "table: twins of value %d" % i, "%d lines" % len(got))
            continue
        a = got[0].replace("2029-12-%02d" % (i + 1), "DATE")
        b = got[1].replace("2001-01-%02d" % (i + 1), "DATE")
        say(a == b, "table: value %d (%r) streamed as in the first chunk"
            % (i, NASTY[i][:20]), "%r != %r" % (a[:200], b[:200]))
    say("\ufffdA\ufffd" in text, "table: ill-formed UTF-8 as U+FFFD")
    say("^[[31mred" in text and "<U+202E>evil" in text,
        "table: controls and bidi as markers")


def stored(path):
    db = sqlite3.connect(path)
    db.text_factory = bytes
    return dict(db.execute("SELECT id, version FROM tasks"))


def check_csv(out, path):
    rows = out.split(b"\r\n")
    versions = stored(path)
    say(rows[0] == b"id,version,environment,status,authorized,planned_at,"
        b"responsible", "csv: header")
    bad = []
    for i, v in enumerate(NASTY):
        for twin in "ab":
            tid = ("%08d-0000-4000-8000-%011d%s" % (i, i, twin)).encode()
            raw = versions[tid]
            if b"\x00" in raw:
                raw = raw[:raw.index(b"\x00")]
            if any(c in raw for c in b',"\r\n') or raw[:1] == b" " or \
                    raw[-1:] == b" ":
                raw = b'"' + raw.replace(b'"', b'""') + b'"'
            if tid + b"," + raw + b",PROD," not in out:
                bad.append((i, twin))
    say(not bad, "csv: every stored version as it is (RFC 4180), streamed "
        "or not", repr(bad[:5]))


def check_json(out, path):
    try:
        doc = json.loads(out.decode("utf-8"))
    except ValueError as e:
        say(False, "json: valid", str(e))
        return
    say(True, "json: valid")
    say(b"\x1b" not in out and b"\xe2\x80\xae" not in out,
        "json: controls and bidi escaped")
    got = {r["id"]: r["version"] for r in doc}
    bad = []
    for i, v in enumerate(NASTY):
        if isinstance(v, bytes):
            v = v.decode("utf-8", errors="replace")
        for twin in "ab":
            tid = "%08d-0000-4000-8000-%011d%s" % (i, i, twin)
            if got.get(tid) != v:
                bad.append((i, twin, got.get(tid)))
    say(not bad, "json: every stored version, streamed or not",
        repr(bad[:3])[:300])


def check_cp1252(out, utf8):
    want = utf8.decode("utf-8", errors="strict").encode("cp1252",
                                                        errors="replace")
    say(out == want, "csv --encoding CP1252: each row converted, '?' for "
        "what CP1252 lacks", "%d bytes, expected %d" % (len(out), len(want)))


def main():
    what, path = sys.argv[1], sys.argv[2]
    if what == "fill":
        fill(path)
    elif what == "grow":
        grow(path, int(sys.argv[3]))
    elif what == "table":
        check_table(open(sys.argv[3], "rb").read())
    elif what == "csv":
        check_csv(open(sys.argv[3], "rb").read(), path)
    elif what == "json":
        check_json(open(sys.argv[3], "rb").read(), path)
    elif what == "cp1252":
        check_cp1252(open(sys.argv[3], "rb").read(),
                     open(sys.argv[4], "rb").read())


if __name__ == "__main__":
    main()
