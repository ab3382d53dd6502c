#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How the size of a project's history changes the time to open it.

Makes two demo databases, one with the demo's few deployments and one with
N more (default 1,000,000, inserted with SQL in one transaction: the
command line would take hours), then measures on each, best of a few runs:

  - `deploydesk stats ERP` and `deploydesk deploy list ERP | head`;
  - the screens in a pseudo-terminal (80x24): from start to the first full
    screen, then End (the oldest deployment), Home and PgDn.

Not a test: figures to read. Each figure is printed with its floor, the
same on the demo's four deployments, and their ratio. The history is paged
in SQL with keyset cursors and the statistics come from counts the database
keeps, so the ratios should be close to 1.

    tests/bench/large-history.py [--bin build/deploydesk] [--count N] [--db FILE]
"""

import argparse
import os
import pty
import select
import sqlite3
import struct
import subprocess
import tempfile
import termios
import fcntl
import time

QUIET = 0.2


def args():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build",
                                                  "deploydesk"))
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--db", help="the large database: made if missing, "
                    "reused otherwise")
    return ap.parse_args()


def make_demo(binary, path):
    subprocess.run([binary, "--db", path, "init", "--demo"], check=True,
                   stdout=subprocess.DEVNULL)


def grow(path, count):
    """Adds count deployments to the demo's ERP project, a quarter of each
    status, one minute apart, through the schema's own triggers."""
    db = sqlite3.connect(path)
    stage, who = db.execute(
        "SELECT stage_id, responsible FROM tasks WHERE type = 'DEPLOIEMENT' "
        "LIMIT 1").fetchone()
    statuses = ["A_FAIRE", "TERMINEE", "ECHEC", "EN_COURS"]

    def rows():
        for i in range(count):
            st = statuses[i % 4]
            done = st != "A_FAIRE"
            t = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                              time.gmtime(1_500_000_000 + 60 * i))
            yield ("%08x-0000-4000-8000-%012x" % (i, i), stage, "b%d" % i,
                   "bench %d" % i, st, who, t, "b%d" % i,
                   ["DEV", "TEST", "PREPROD", "PROD"][i % 4],
                   who if done else None, t if done else None, who, t)

    with db:
        db.executemany(
            "INSERT INTO tasks (id, stage_id, type, name, description, "
            "status, responsible, planned_at, version, environment, "
            "authorized_by, authorized_at, created_by, created_at) "
            "VALUES (?, ?, 'DEPLOIEMENT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows())
    db.close()


def best(fn, runs=3):
    return min(fn() for _ in range(runs))


def timed(cmd):
    def once():
        t = time.monotonic()
        subprocess.run(cmd, shell=True, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.monotonic() - t
    return once


def read_until_quiet(fd, want=None, limit=10.0):
    """Reads until QUIET seconds pass without output (and, when want is
    given, after it appeared); returns the time of the last byte."""
    out, last, start = b"", time.monotonic(), time.monotonic()
    while time.monotonic() - start < limit:
        r, _, _ = select.select([fd], [], [], QUIET)
        if not r:
            if want is None or want in out:
                break
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        last = time.monotonic()
    return last


def screens(binary, path):
    """Seconds to the first full screen, then for End, Home, PgDn."""
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8",
                   LC_ALL="C.UTF-8", TZ="UTC", ESCDELAY="25")
        os.execve(binary, [binary, "--db", path, "--as", "mmartin"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.monotonic()
    first = read_until_quiet(fd, b"Deployment history") - t0
    keys = {"End": b"\x1b[F", "Home": b"\x1b[H", "PgDn": b"\x1b[6~"}
    times = {}
    for name, seq in keys.items():
        t = time.monotonic()
        os.write(fd, seq)
        times[name] = read_until_quiet(fd) - t
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
    return first, times


def measure(binary, path):
    fig = {
        "stats": best(timed("%s --db %s stats ERP" % (binary, path))),
        "list, first rows": best(timed(
            "%s --db %s deploy list ERP | head -20" % (binary, path))),
    }
    runs = [screens(binary, path) for _ in range(3)]
    fig["screens: first screen"] = min(r[0] for r in runs)
    for k in ("End", "Home", "PgDn"):
        fig["screens: " + k] = min(r[1][k] for r in runs)
    return fig


def main():
    a = args()
    binary = os.path.abspath(a.bin)
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "small.db")
        make_demo(binary, small)
        large = a.db or os.path.join(tmp, "large.db")
        if not os.path.exists(large):
            make_demo(binary, large)
            t = time.monotonic()
            grow(large, a.count)
            print("made %s: demo + %d deployments in %.0f s"
                  % (large, a.count, time.monotonic() - t))
        n = sqlite3.connect(large).execute(
            "SELECT count(*) FROM tasks WHERE type = 'DEPLOIEMENT'"
        ).fetchone()[0]
        fs, fl = measure(binary, small), measure(binary, large)
        print("%-24s %14s %14s %7s" % ("seconds (best of 3)",
                                       "%d deploys" % n, "floor: 4", "ratio"))
        for k in fs:
            print("%-24s %14.3f %14.3f %7s"
                  % (k, fl[k], fs[k],
                     "%.2f" % (fl[k] / fs[k]) if fs[k] >= 0.0005 else "-"))
        print("(the floor: the same on the demo's 4 deployments; screen "
              "times from the start or the key to the last byte the program "
              "wrote; no ratio below half a millisecond)")


if __name__ == "__main__":
    main()
