#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""deploydesk's audit chain, written again in Python from its definition
(docs/architecture.md, "The audit trail"), for the tests and benchmarks:

    ddaudit.py rehash DB [FROM_SEQ]   recompute every hash from FROM_SEQ
                                      (default 1) to the end, as someone
                                      with write access to the file could:
                                      the audit triggers are dropped and put
                                      back exactly as they were
    ddaudit.py hash DB SEQ            print record SEQ's hash as computed
                                      here (hex), to compare with the stored
                                      one
    ddaudit.py append DB FILE         append the records of FILE (one JSON
                                      object a line: ts, uid, login,
                                      login_uid, action, entity, entity_id,
                                      project_id, before, after; before and
                                      after as objects), chained to the
                                      trail's end
    ddaudit.py grow DB COUNT          add COUNT deployments to the demo's
                                      project ERP, each with the records
                                      deploydesk would have written (create,
                                      authorize, start, succeed or fail and
                                      the incident), data and trail in one
                                      transaction

hash = SHA-256("deploydesk-audit-v1" NUL || prev_hash || fields), each field
an 8-byte big-endian length and its bytes (NULL: length all ones), in the
order seq, ts, uid, login, login_uid, action, entity, entity_id, project_id,
before, after, then host when the record has one (schema 19); numbers as
decimal text.
"""

import hashlib
import json
import sqlite3
import struct
import sys
import time

DOMAIN = b"deploydesk-audit-v1\0"
NULL_LEN = struct.pack(">Q", 0xFFFFFFFFFFFFFFFF)
COLUMNS = ("seq, ts, uid, login, login_uid, action, entity, entity_id, "
           "project_id, before, after")


def field(v):
    if v is None:
        return NULL_LEN
    if isinstance(v, int):
        v = str(v)
    if isinstance(v, str):
        v = v.encode("utf-8")
    return struct.pack(">Q", len(v)) + v


def record_hash(prev, rec):
    h = hashlib.sha256(DOMAIN)
    h.update(prev)
    if len(rec) == 12 and rec[11] is None:
        rec = rec[:11]  # no host: hashed as before schema 19
    for v in rec:
        h.update(field(v))
    return h.digest()


def hashed_columns(db):
    """The columns a record's hash covers, host included where the schema
    has one."""
    cols = [r[1] for r in db.execute("PRAGMA table_info(audit)")]
    return COLUMNS + (", host" if b"host" in cols or "host" in cols else "")


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.text_factory = bytes
    return db


def rehash(path, start):
    db = connect(path)
    db.execute("BEGIN IMMEDIATE")
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'audit'").fetchall()
    for name, _ in triggers:
        db.execute('DROP TRIGGER "%s"' % name.decode())
    prev = bytes(32)
    if start > 1:
        prev = db.execute("SELECT hash FROM audit WHERE seq = ?",
                          (start - 1,)).fetchone()[0]
    rows = db.execute("SELECT %s FROM audit WHERE seq >= ? ORDER BY seq"
                      % hashed_columns(db), (start,)).fetchall()
    for rec in rows:
        h = record_hash(prev, rec)
        db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                   (prev, h, rec[0]))
        prev = h
    for _, sql in triggers:
        db.execute(sql.decode())
    db.execute("COMMIT")
    db.close()


def show_hash(path, seq):
    db = connect(path)
    prev = bytes(32)
    if seq > 1:
        prev = db.execute("SELECT hash FROM audit WHERE seq = ?",
                          (seq - 1,)).fetchone()[0]
    rec = db.execute("SELECT %s FROM audit WHERE seq = ?" % hashed_columns(db),
                     (seq,)).fetchone()
    print(record_hash(prev, rec).hex())


def append(path, lines):
    db = connect(path)
    db.execute("BEGIN IMMEDIATE")
    row = db.execute(
        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = row if row else (0, bytes(32))
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line)
        seq += 1
        rec = (seq, r["ts"], r["uid"], r["login"], r.get("login_uid"),
               r["action"], r["entity"], r["entity_id"], r.get("project_id"),
               js(r["before"]) if r.get("before") else None,
               js(r["after"]) if r.get("after") else None)
        h = record_hash(prev, rec)
        db.execute("INSERT INTO audit (%s, prev_hash, hash) VALUES (?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" % COLUMNS, rec + (prev, h))
        prev = h
    db.execute("COMMIT")
    db.close()


def js(obj):
    """JSON as deploydesk writes it: no spaces, UTF-8 as it is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def grow(path, count):
    db = connect(path)
    db.execute("BEGIN IMMEDIATE")
    project, stage = db.execute(
        "SELECT p.id, s.id FROM projects p JOIN stages s ON s.project_id = "
        "p.id WHERE p.code = 'ERP' AND s.code = 'DEPLOIEMENT'").fetchone()
    users = dict(db.execute(
        "SELECT login, id FROM users WHERE login IN "
        "('mmartin', 'jdupont')").fetchall())
    pm, dev = users[b"mmartin"], users[b"jdupont"]
    seq, prev = db.execute(
        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    uid = db.execute("SELECT uid FROM audit WHERE seq = 1").fetchone()[0]
    project = project.decode()
    stage = stage.decode()
    outcomes = ["A_FAIRE", "TERMINEE", "ECHEC", "EN_COURS"]
    envs = ["DEV", "TEST", "PREPROD", "PROD"]
    tasks, audit, approvals = [], [], []

    def record(ts, login, action, entity_id, before, after):
        nonlocal seq, prev
        seq += 1
        rec = (seq, ts, uid, login, None, action, "task", entity_id,
               project, before, after)
        h = record_hash(prev, rec)
        audit.append(rec + (prev, h))
        prev = h

    for i in range(count):
        outcome = outcomes[i % 4]
        t0 = 1_500_000_000 + 60 * i
        ts = [iso(t0 + k) for k in range(5)]
        tid = "%08x-0000-4000-8000-%012x" % (i, i)
        version, env = "b%d" % i, envs[i % 4]
        desc = "bench %d" % i
        record(ts[0], "mmartin", "deploy.create", tid, None, js({
            "version": version, "environment": env, "description": desc,
            "responsible": "jdupont", "planned_at": ts[0],
            "status": "A_FAIRE"}))
        authorized = outcome != "A_FAIRE" or i % 8 == 4
        row = {"authorized_by": None, "authorized_at": None,
               "started_by": None, "started_at": None,
               "executed_by": None, "executed_at": None,
               "logs": None, "row_version": 1, "status": outcome}
        if authorized:
            record(ts[1], "mmartin", "deploy.authorize", tid,
                   js({"status": "A_FAIRE", "authorized_by": None}),
                   js({"status": "A_FAIRE", "authorized_by": "mmartin",
                       "authorized_at": ts[1]}))
            row.update(authorized_by=pm, authorized_at=ts[1], row_version=2)
            # The authorization is mmartin's approval (schema 6), which
            # never expires.
            approvals.append((tid, pm, ts[1]))
        if outcome != "A_FAIRE":
            record(ts[2], "jdupont", "deploy.start", tid,
                   js({"status": "A_FAIRE", "authorized_by": "mmartin"}),
                   js({"status": "EN_COURS", "started_by": "jdupont",
                       "started_at": ts[2]}))
            row.update(started_by=dev, started_at=ts[2], row_version=3)
        if outcome in ("TERMINEE", "ECHEC"):
            logs = "run %d: %s\n" % (i, "OK" if outcome == "TERMINEE"
                                     else "KO")
            digest = hashlib.sha256(logs.encode()).hexdigest()
            record(ts[3], "jdupont",
                   "deploy.succeed" if outcome == "TERMINEE"
                   else "deploy.fail", tid,
                   js({"status": "EN_COURS", "authorized_by": "mmartin"}),
                   js({"status": outcome, "executed_by": "jdupont",
                       "executed_at": ts[3], "logs_bytes": len(logs),
                       "logs_sha256": digest}))
            row.update(executed_by=dev, executed_at=ts[3], logs=logs,
                       row_version=4)
        tasks.append((tid, stage, "DEPLOIEMENT", version, desc,
                      row["status"], "NORMALE", dev, ts[0], version, env,
                      row["logs"], row["authorized_by"], row["authorized_at"],
                      row["started_by"], row["started_at"],
                      row["executed_by"], row["executed_at"], None, pm,
                      ts[0], row["row_version"]))
        if outcome == "ECHEC":
            iid = "%08x-0000-4000-9000-%012x" % (i, i)
            name = "INCIDENT - Échec déploiement %s" % version
            record(ts[3], "jdupont", "incident.create", iid, None, js({
                "name": name, "type": "INCIDENT", "status": "A_FAIRE",
                "priority": "HAUTE", "responsible": "jdupont",
                "deployment": tid}))
            tasks.append((iid, stage, "INCIDENT", name,
                          "Le déploiement de la version %s sur %s a échoué."
                          "\n\nLogs:\n%s" % (version, env, logs),
                          "A_FAIRE", "HAUTE", dev, None, None, None, None,
                          None, None, None, None, None, None, tid, dev,
                          ts[3], 1))
        if len(audit) > 50_000:
            flush(db, tasks, audit, approvals)
    flush(db, tasks, audit, approvals)
    db.execute("COMMIT")
    db.close()


def flush(db, tasks, audit, approvals):
    db.executemany(
        "INSERT INTO tasks (id, stage_id, type, name, description, status, "
        "priority, responsible, planned_at, version, environment, logs, "
        "authorized_by, authorized_at, started_by, started_at, executed_by, "
        "executed_at, source_task, created_by, created_at, row_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)", tasks)
    db.executemany(
        "INSERT INTO audit (%s, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?)" % COLUMNS, audit)
    db.executemany(
        "INSERT INTO approvals (task_id, user_id, approved_at) "
        "VALUES (?, ?, ?)", approvals)
    tasks.clear()
    audit.clear()
    approvals.clear()


def main(argv):
    if len(argv) >= 3 and argv[1] == "rehash":
        rehash(argv[2], int(argv[3]) if len(argv) > 3 else 1)
    elif len(argv) == 4 and argv[1] == "hash":
        show_hash(argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[1] == "append":
        with open(argv[3], encoding="utf-8") as f:
            append(argv[2], f.readlines())
    elif len(argv) == 4 and argv[1] == "grow":
        grow(argv[2], int(argv[3]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
