#!/usr/bin/env python3
"""Bytes written to the terminal per key press by deploydesk's screens.

Runs the program in a pseudo-terminal of 80x24 (TERM=xterm-256color) on a
demo database grown with N more deployments, waits for the first screen,
then presses navigation keys one at a time and counts the bytes the program
writes for each (reading until 150 ms of quiet). Prints one line per event:
the keys, the mean and the maximum bytes per key, and the start-up bytes.

Not a test: a measurement, to watch the cost of a key over a slow SSH link
(see tech-notes section 6, "Bytes per keystroke").

    tests/bench/bytes-per-key.py [--bin build/deploydesk] [--count 2000] [--db FILE]
"""

import argparse
import curses
import errno
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

QUIET = 0.150  # seconds of silence that end a key's output
ROWS, COLS = 24, 80
ENVS = ["DEV", "TEST", "PREPROD", "PROD"]


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "deploydesk"),
                    help="the deploydesk binary (default: build/deploydesk)")
    ap.add_argument("--count", type=int, default=2000,
                    help="deployments to add to the demo (default 2000)")
    ap.add_argument("--db", help="use this database: created (demo + COUNT "
                    "deployments) if it does not exist, else used as it is")
    ap.add_argument("--as", dest="login", default="mmartin",
                    help="the sandbox user to open the screens as (default mmartin)")
    ap.add_argument("--term", default="xterm-256color",
                    help="TERM for the pseudo-terminal (default xterm-256color)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary database and say where it is")
    return ap.parse_args()


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


def build_db(binary, db, count, login):
    """A demo sandbox plus `count` deployments, through the command line
    (so that the audit trail is what the program itself writes)."""
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    env.pop("DEPLOYDESK_DB", None)
    run([binary, "--db", db, "init", "--demo"], env=env)
    t0 = time.monotonic()
    for i in range(count):
        day, hour = divmod(i, 24)
        run([binary, "--db", db, "--as", login, "deploy", "create", "ERP",
             "--version", "b%d.%d.%d" % (i // 10000, i // 100 % 100, i % 100),
             "--env", ENVS[i % 4],
             "--description", "Bench deployment %d" % i,
             "--responsible", "jdupont",
             "--date", "2025-%02d-%02d %02d:00" % (1 + day // 28 % 12, 1 + day % 28, hour)],
            env=env)
        if (i + 1) % 200 == 0 or i + 1 == count:
            rate = (i + 1) / (time.monotonic() - t0)
            print("  %d/%d deployments created (%.0f/s)" % (i + 1, count, rate),
                  file=sys.stderr)


def key_strings(term):
    """What the terminal sends for each key in keypad mode (the program
    turns it on), from terminfo; xterm's strings when not found."""
    names = {"Down": ("kcud1", b"\x1bOB"), "Up": ("kcuu1", b"\x1bOA"),
             "PgDn": ("knp", b"\x1b[6~"), "PgUp": ("kpp", b"\x1b[5~"),
             "End": ("kend", b"\x1bOF"), "Home": ("khome", b"\x1bOH")}
    keys = {}
    try:
        curses.setupterm(term, sys.stderr.fileno() if sys.stderr.isatty() else
                         os.open(os.devnull, os.O_WRONLY))
        for k, (cap, default) in names.items():
            keys[k] = curses.tigetstr(cap) or default
    except curses.error:
        keys = {k: d for k, (_, d) in names.items()}
    return keys


class Pty:
    """The program in a pseudo-terminal of ROWS x COLS."""

    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ,
                            struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.out = bytearray()

    def read_until_quiet(self, quiet=QUIET, limit=10.0, until=None):
        """Reads until `quiet` seconds pass without output (and, if given,
        `until` has been seen); returns the bytes read."""
        got = bytearray()
        end = time.monotonic() + limit
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                if until is None or until in got:
                    break
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError as e:
                if e.errno == errno.EIO:  # the program has ended
                    break
                raise
            if not data:
                break
            got += data
        self.out += got
        return bytes(got)

    def press(self, keys):
        os.write(self.fd, keys)
        return self.read_until_quiet()

    def close(self):
        try:
            os.write(self.fd, b"q")
            self.read_until_quiet(limit=2.0)
        except OSError:
            pass
        for _ in range(40):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGTERM)
        return os.waitpid(self.pid, 0)[1]


def main():
    args = parse_args()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit("%s: not an executable (build first: ninja -C build)" % binary)
    tmp = tempfile.mkdtemp(prefix="deploydesk-bench.")
    try:
        db = os.path.abspath(args.db) if args.db else os.path.join(tmp, "bench.db")
        # A private copy of the binary: a rebuild of the tree meanwhile must
        # not pull it from under the measurement.
        shutil.copy2(binary, os.path.join(tmp, "deploydesk"))
        binary = os.path.join(tmp, "deploydesk")
        if not os.path.exists(db):
            print("Creating %s: the demo and %d deployments..." % (db, args.count),
                  file=sys.stderr)
            try:
                build_db(binary, db, args.count, args.login)
            except BaseException:
                # Not a half-grown database to be reused by mistake.
                for suffix in ("", "-wal", "-shm", "-journal"):
                    if os.path.exists(db + suffix):
                        os.unlink(db + suffix)
                raise
        total = len(__import__("json").loads(run(
            [binary, "--db", db, "--format", "json", "deploy", "list", "ERP"]).stdout))

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "HOME": os.environ.get("HOME", "/"),
               "TERM": args.term, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "TZ": "UTC", "ESCDELAY": "25"}
        p = Pty([binary, "--db", db, "--as", args.login], env)
        startup = p.read_until_quiet(quiet=0.3, until=b"Deployment history")
        if b"Deployment history" not in startup:
            p.close()
            sys.exit("the first screen did not come; the program wrote:\n%r"
                     % startup[-2000:])

        keys = key_strings(args.term)
        plan = [("Down", 20), ("Up", 20), ("PgDn", 10), ("PgUp", 10),
                ("End", 1), ("Home", 1)]
        rows = []
        for name, n in plan:
            sizes = [len(p.press(keys[name])) for _ in range(n)]
            rows.append((name, n, sum(sizes) / n, max(sizes)))
        idle = len(p.read_until_quiet(quiet=1.0, limit=1.0))
        status = p.close()

        print("%s, %dx%d, TERM=%s, %d deployments, as %s"
              % (run([binary, "--version"]).stdout.strip(), COLS, ROWS,
                 args.term, total, args.login))
        print()
        print("%-10s %5s %16s %15s" % ("event", "keys", "mean bytes/key", "max bytes/key"))
        print("%-10s %5s %16d %15s" % ("startup", "-", len(startup), "-"))
        for name, n, mean, mx in rows:
            print("%-10s %5d %16.1f %15d" % (name, n, mean, mx))
        print("%-10s %5s %16d %15s" % ("idle 1 s", "-", idle, "-"))
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            print("(the program did not exit 0 on q: status %d)" % status,
                  file=sys.stderr)
        if args.keep and not args.db:
            print("database kept: %s" % db, file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
