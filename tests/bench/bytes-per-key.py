#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bytes written to the terminal per key press by deploydesk's screens,
against a floor and against tig.

Runs the program in a pseudo-terminal of 80x24 (TERM=xterm-256color) on a
demo database grown with N more deployments, waits for the first screen,
then presses keys one at a time and counts the bytes the program writes for
each (reading until 150 ms of quiet): moves in the history, pages, and
opening and closing the authorize dialog ('a' then Esc on a planned,
unauthorized deployment, as mmartin).

The same keys go to two other programs in the same pseudo-terminal:

  - the floor: a minimal ncurses program (Python's curses module, on the
    same ncurses library) drawing the same picture in the plainest way:
    the same header, statistics box, table of the same rows with the same
    colours and attributes (each cell one run, the selected row one reverse
    run), the same footer, and for 'a' a box of the dialog's size and text;
  - tig, when installed, on a git repository of 5,000 commits made in a
    temporary directory (its moves and pages; it has no such dialog).

Each figure is printed with the floor's and their ratio. With
DEPLOYDESK_SQL_TRACE the same run counts the SQL statements deploydesk runs
for its first frame and for each key.

Not a test: a measurement, to watch the cost of a key over a slow SSH link
(see tech-notes sections 6 and 9).

    tests/bench/bytes-per-key.py [--bin build/deploydesk] [--count 2000] [--db FILE]
"""

import argparse
import curses
import errno
import fcntl
import json
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
GOAL = 200  # bytes per Down/Up (issue 9)
DIALOG_TIMES = 5
TIG_COMMITS = 5000


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
    ap.add_argument("--no-tig", action="store_true",
                    help="leave tig out even when it is installed")
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
    """What the terminal sends for each key in keypad mode (the programs
    turn it on), from terminfo; xterm's strings when not found."""
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
    keys["a"] = b"a"
    keys["Esc"] = b"\x1b"
    return keys


class Pty:
    """A program in a pseudo-terminal of ROWS x COLS."""

    def __init__(self, argv, env, cwd=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ,
                            struct.pack("HHHH", ROWS, COLS, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)

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
                os.close(self.fd)
                return status
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGTERM)
        status = os.waitpid(self.pid, 0)[1]
        os.close(self.fd)
        return status


class Trace:
    """DEPLOYDESK_SQL_TRACE's file: statements run and compiled, the poll
    of the data version left out (it runs every 500 ms, keys or not)."""

    POLL = "run PRAGMA data_version"

    def __init__(self, path):
        self.path = path
        self.seen = 0

    def lines(self):
        try:
            with open(self.path) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def since_last(self):
        """(run, compiled, different statements run) since the last
        call."""
        all_lines = self.lines()
        new = [l for l in all_lines[self.seen:] if l != self.POLL]
        self.seen = len(all_lines)
        runs = [l for l in new if l.startswith("run ")]
        return (len(runs), sum(1 for l in new if l.startswith("prepare ")),
                len(set(runs)))


# The keys pressed, in order: (event, key, times). "dialog" presses 'a'
# then Esc, times over, and counts each apart.
PLAN = [("Down", "Down", 20), ("Up", "Up", 20), ("PgDn", "PgDn", 10),
        ("PgUp", "PgUp", 10), ("End", "End", 1), ("Home", "Home", 1),
        ("dialog", None, DIALOG_TIMES)]


def measure(argv, env, keys, ready, cwd=None, dialog=True, trace=None):
    """Startup bytes, then {event: [bytes per key]} and, with a trace,
    {event: [statements run per key]}; idle bytes; the exit status."""
    p = Pty(argv, env, cwd)
    startup = p.read_until_quiet(quiet=0.3, until=ready)
    if ready not in startup:
        p.close()
        sys.exit("%s: the first screen did not come; it wrote:\n%r"
                 % (argv[0], startup[-2000:]))
    sizes, sql = {}, {}
    if trace:
        sql["startup"] = [trace.since_last()]
    for event, key, n in PLAN:
        if event == "dialog":
            if not dialog:
                continue
            for _ in range(n):
                out = p.press(keys["a"])
                if b"Authorize the deployment" not in out:
                    print("%s: 'a' did not open the authorize dialog"
                          % argv[0], file=sys.stderr)
                sizes.setdefault("'a' dialog", []).append(len(out))
                if trace:
                    sql.setdefault("'a' dialog", []).append(trace.since_last())
                out = p.press(keys["Esc"])
                sizes.setdefault("Esc closes", []).append(len(out))
                if trace:
                    sql.setdefault("Esc closes", []).append(trace.since_last())
            continue
        for _ in range(n):
            sizes.setdefault(event, []).append(len(p.press(keys[key])))
            if trace:
                sql.setdefault(event, []).append(trace.since_last())
    idle = len(p.read_until_quiet(quiet=1.0, limit=1.0))
    status = p.close()
    return len(startup), sizes, sql, idle, status


# The floor: the same picture drawn the plainest way with ncurses.
FLOOR_PROGRAM = r'''
import curses, json, sys

data = json.load(open(sys.argv[1]))
rows = data["rows"]
H = 24 - 7 - 3  # the table's rows under its header
HEADERS = ["Version", "Env", "Status", "Authorized", "Date", "Actions"]
# The terminal's eight colours (None: the default), and the spec's orange
# from the 256 for PREPROD, as deploydesk draws them.
STATUS = {"A_FAIRE": ("Planned", None, 0), "EN_COURS": ("In progress", 4, 1),
          "TERMINEE": ("Succeeded", 2, 0), "ECHEC": ("Failed", 1, 1)}
ENV = {"DEV": (6, 0, "Development"), "TEST": (3, 0, "Test"),
       "PREPROD": (208, 0, "Pre-production"), "PROD": (1, 0, "Production")}
# Each column as wide as its header and its widest cell; the actions as
# wide as the widest button.
WIDTHS = [max([len("Version")] + [len(r[0]) for r in rows]), 7, 11, 10, 16,
          len("[Authorize]")]


def main(scr):
    curses.use_default_colors()
    curses.cbreak(); curses.noecho(); curses.nonl(); scr.keypad(True)
    curses.curs_set(0); scr.leaveok(True); scr.timeout(250)
    pairs = {}

    def colour(fg, bold=False):
        if fg is None:
            return curses.A_BOLD if bold else 0
        if fg not in pairs:
            pairs[fg] = len(pairs) + 1
            curses.init_pair(pairs[fg], fg, -1)
        return curses.color_pair(pairs[fg]) | (curses.A_BOLD if bold else 0)

    dim = curses.A_DIM
    top, sel, dialog = 0, 0, False
    while True:
        scr.erase()
        who = data["who"]
        scr.addstr(0, 0, data["title"], curses.A_BOLD)
        scr.addstr(0, 80 - len(who), who)
        # The statistics box.
        scr.move(1, 0); scr.addch(curses.ACS_ULCORNER)
        scr.hline(1, 1, curses.ACS_HLINE, 78); scr.addch(1, 79, curses.ACS_URCORNER)
        scr.vline(2, 0, curses.ACS_VLINE, 2); scr.vline(2, 79, curses.ACS_VLINE, 2)
        scr.addch(4, 0, curses.ACS_LLCORNER); scr.hline(4, 1, curses.ACS_HLINE, 78)
        scr.addch(4, 79, curses.ACS_LRCORNER)
        scr.addstr(1, 1, " "); scr.addstr(1, 2, "Statistics", curses.A_BOLD); scr.addstr(" ")
        x = 2
        for label, value, fg in data["stats"]:
            w = max(len(label), len(value))
            scr.addstr(2, x, label)
            scr.addstr(3, x, value, (colour(fg) if fg else 0) | curses.A_BOLD)
            x += w + 3
            if x - 2 < 79 and label != data["stats"][-1][0]:
                scr.vline(2, x - 2, curses.ACS_VLINE, 2)
        scr.addstr(6, 0, "Deployment history", curses.A_BOLD)
        widths = WIDTHS
        cx = 0
        for h, w in zip(HEADERS, widths):
            scr.addstr(7, cx, h.ljust(w), curses.A_BOLD | curses.A_UNDERLINE)
            cx += w + 1
        for r in range(H):
            if top + r >= len(rows):
                break
            version, env, status, authorized, date, actions = rows[top + r]
            y = 8 + r
            label, sfg, sbold = STATUS[status]
            efg, ebold, _ = ENV[env]
            cells = [(version, 0), (env, colour(efg, ebold)),
                     (label, colour(sfg, sbold)),
                     ("Yes" if authorized else "No", 0), (date, 0),
                     (actions, 0)]
            if top + r == sel:
                line = " ".join(t.ljust(w) for (t, _), w in zip(cells, widths))
                scr.addstr(y, 0, line[:80], curses.A_REVERSE)
                continue
            cx = 0
            for (t, a), w in zip(cells, widths):
                scr.addstr(y, cx, t.ljust(w)[:w], a)
                cx += w + 1
        version, env, status, authorized, date, actions = rows[sel]
        # The row's keys at the right end, a blank short of the edge.
        keys = " Enter details  n new  / filter  ? help  q quit"
        row_keys = ("a authorize  e edit" if status == "A_FAIRE" and not authorized
                    else "e edit" if status == "A_FAIRE"
                    else "i incident" if status == "ECHEC" else "")
        if row_keys:
            keys = keys.ljust(79 - len(row_keys)) + row_keys
        if dialog:
            y0, x0, h, w = 3, 8, 17, 64
            for yy in range(y0, y0 + h):
                scr.addstr(yy, x0, " " * w)
            scr.addch(y0, x0, curses.ACS_ULCORNER)
            scr.hline(y0, x0 + 1, curses.ACS_HLINE, w - 2)
            scr.addch(y0, x0 + w - 1, curses.ACS_URCORNER)
            scr.vline(y0 + 1, x0, curses.ACS_VLINE, h - 2)
            scr.vline(y0 + 1, x0 + w - 1, curses.ACS_VLINE, h - 2)
            scr.addch(y0 + h - 1, x0, curses.ACS_LLCORNER)
            scr.hline(y0 + h - 1, x0 + 1, curses.ACS_HLINE, w - 2)
            scr.addch(y0 + h - 1, x0 + w - 1, curses.ACS_LRCORNER)
            scr.addstr(y0, x0 + 1, " ")
            scr.addstr("Authorize the deployment", curses.A_BOLD)
            scr.addstr(" ")
            efg, ebold, elabel = ENV[env]
            for i, (label, value, a) in enumerate([
                    ("Version:", version, 0),
                    ("Environment:", elabel, colour(efg, ebold)),
                    ("Responsible:", data["responsible"].get(rows[sel][0], ""), 0),
                    ("Planned for:", date, 0)]):
                scr.addstr(y0 + 2 + i, x0 + 2, label)
                scr.addstr(y0 + 2 + i, x0 + 19, value, a)
            scr.addstr(y0 + 7, x0 + 2, "By authorizing this deployment, you confirm that:",
                       curses.A_BOLD)
            for i, t in enumerate(["- the tests are validated", "- the team is ready",
                                   "- the schedule is respected"]):
                scr.addstr(y0 + 8 + i, x0 + 4, t)
            scr.addstr(y0 + h - 3, x0 + 3, "[ Cancel ]  ")
            scr.addstr("[ Authorize ]", curses.A_REVERSE | curses.A_BOLD)
            keys = " Tab/arrows choose  Enter confirm  Esc cancel"
        scr.insstr(23, 0, keys.ljust(80), dim | curses.A_REVERSE)
        scr.refresh()
        k = scr.getch()
        if k == -1:
            continue
        if dialog:
            if k == 27:
                dialog = False
            continue
        if k == ord("q"):
            return
        if k == ord("a"):
            dialog = True
        elif k == curses.KEY_DOWN and sel < len(rows) - 1:
            sel += 1
        elif k == curses.KEY_UP and sel > 0:
            sel -= 1
        elif k == curses.KEY_NPAGE:
            top = min(top + H, max(len(rows) - H, 0)); sel = min(top + H - 1, len(rows) - 1)
        elif k == curses.KEY_PPAGE:
            top = max(top - H, 0); sel = top
        elif k == curses.KEY_END:
            top = max(len(rows) - H, 0); sel = len(rows) - 1
        elif k == curses.KEY_HOME:
            top = sel = 0
        top = min(max(top, sel - H + 1), sel)


curses.set_escdelay(25)
curses.wrapper(main)
'''


def floor_data(binary, db, login):
    """What the floor draws, read from the database with the command line."""
    def js(*cmd):
        return json.loads(run([binary, "--db", db, "--format", "json"] + list(cmd)).stdout)
    deploys = js("deploy", "list", "ERP")
    project = [p for p in js("project", "list") if p["code"] == "ERP"][0]
    names = {u["login"]: u["name"] for u in js("user", "list")}
    role = {m["login"]: m for m in js("member", "list", "ERP")}.get(login)
    roles = {"CHEF_PROJET": "Project manager", "AUTRE": "Viewer",
             "DEVELOPPEUR": "Developer"}
    role_label = ("Senior developer" if role and role["senior"]
                  else roles.get(role["role"], "?") if role else "Not a member")
    stats = js("stats", "ERP")
    rows, responsible = [], {}
    for d in deploys:
        actions = ("[Authorize]" if d["status"] == "A_FAIRE" and not d["authorized"]
                   else "[Incident]" if d["status"] == "ECHEC" else "[View]")
        rows.append([d["version"], d["environment"], d["status"], d["authorized"],
                     d["planned_at"][:16].replace("T", " "), actions])
        responsible[d["version"]] = names.get(d["responsible"], d["responsible"])
    return {
        "rows": rows, "responsible": responsible,
        "title": "Deployment management - %s" % project["name"],
        "who": "%s (%s) - %s" % (names.get(login, login), login, role_label),
        "stats": [("Total", str(stats["total"]), None),
                  ("Succeeded", str(stats["succeeded"]), 2),
                  ("Failed", str(stats["failed"]), 1),
                  ("Planned", str(stats["planned"]), None),
                  ("In progress", str(stats["in_progress"]), 4),
                  ("Success rate", "%.1f %%" % stats["success_rate"], None)],
    }


def make_git_repo(path, commits):
    """A repository of `commits` commits, one file changed in each, made
    with git fast-import (a second or two)."""
    os.makedirs(path)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=path)
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True, env=env)
    stream = bytearray()
    for i in range(commits):
        msg = ("Change %d: adjust the deployment rules of module %d\n"
               % (i, i % 37)).encode()
        body = ("line %d\n" % i).encode()
        stream += (b"commit refs/heads/main\n"
                   b"committer Bench Person <bench@example.org> %d +0000\n"
                   b"data %d\n%s" % (1_600_000_000 + 3600 * i, len(msg), msg))
        stream += b"M 644 inline file%d.txt\ndata %d\n%s\n" % (i % 50, len(body), body)
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(stream),
                   check=True, cwd=path, env=env)
    subprocess.run(["git", "checkout", "-q", "main"], check=True, cwd=path, env=env)


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def ratio(a, b):
    return "%.2f" % (a / b) if b else "-"


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
        data = floor_data(binary, db, args.login)
        with open(os.path.join(tmp, "floor.json"), "w") as f:
            json.dump(data, f)
        with open(os.path.join(tmp, "floor.py"), "w") as f:
            f.write(FLOOR_PROGRAM)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "HOME": tmp, "TERM": args.term, "LANG": "C.UTF-8",
               "LC_ALL": "C.UTF-8", "TZ": "UTC", "ESCDELAY": "25"}
        keys = key_strings(args.term)
        trace = Trace(os.path.join(tmp, "sql.trace"))
        # --project: the history first (without it, a manager with plans
        # to approve meets "To do" first).
        dd = measure([binary, "--db", db, "--as", args.login, "--project",
                      "ERP"],
                     dict(env, DEPLOYDESK_SQL_TRACE=trace.path), keys,
                     b"Deployment history", trace=trace)
        floor = measure([sys.executable, os.path.join(tmp, "floor.py"),
                         os.path.join(tmp, "floor.json")], env, keys,
                        b"Deployment history")
        tig = None
        tig_bin = None if args.no_tig else shutil.which("tig")
        if tig_bin:
            repo = os.path.join(tmp, "repo")
            make_git_repo(repo, TIG_COMMITS)
            tig = measure([tig_bin], dict(env, HOME=repo, GIT_CONFIG_NOSYSTEM="1",
                                          TIGRC_USER=os.path.join(repo, "none")),
                          keys, b"[main]", cwd=repo, dialog=False)

        print("%s, %dx%d, TERM=%s, %d deployments, as %s"
              % (run([binary, "--version"]).stdout.strip(), COLS, ROWS,
                 args.term, len(data["rows"]), args.login))
        print("floor: a minimal ncurses program (Python curses) drawing the "
              "same screen")
        if tig:
            print("tig: %s, on a repository of %d commits"
                  % (run([tig_bin, "--version"]).stdout.splitlines()[0],
                     TIG_COMMITS))
        elif args.no_tig:
            print("tig: left out (--no-tig)")
        else:
            print("tig: not installed (apt-get install tig), left out")
        print()
        head = "%-11s %4s %10s %7s %9s %6s" % ("bytes", "keys", "mean", "max",
                                              "floor", "ratio")
        if tig:
            head += " %9s %6s" % ("tig", "ratio")
        print(head)

        def line(name, n, xs, fxs, txs):
            s = "%-11s %4s %10.1f %7s %9.1f %6s" % (
                name, n, mean(xs), max(xs) if n != "-" else "-", mean(fxs),
                ratio(mean(xs), mean(fxs)))
            if tig:
                s += (" %9.1f %6s" % (mean(txs), ratio(mean(xs), mean(txs)))
                      if txs else " %9s %6s" % ("-", "-"))
            print(s)

        line("startup", "-", [dd[0]], [floor[0]], [tig[0]] if tig else None)
        for event in dd[1]:
            xs = dd[1][event]
            line(event, len(xs), xs, floor[1].get(event, []),
                 tig[1].get(event) if tig else None)
        print("%-11s %4s %10d %7s %9d" % ("idle 1 s", "-", dd[3], "-", floor[3]))
        moves = dd[1]["Down"] + dd[1]["Up"]
        print()
        print("goal: at most %d bytes a Down/Up: %s (mean %.1f, floor %.1f)"
              % (GOAL, "met" if mean(moves) <= GOAL else "NOT met", mean(moves),
                 mean(floor[1]["Down"] + floor[1]["Up"])))

        # The SQL: how many statements each step runs. The floor: for the
        # first frame, each different statement once; for a key, one read
        # of the window when it reads at all.
        print()
        print("SQL statements run (DEPLOYDESK_SQL_TRACE; the poll of PRAGMA "
              "data_version every 500 ms left out)")
        print("%-11s %4s %10s %7s %9s %6s %9s" % ("statements", "keys", "mean",
                                                  "max", "floor", "ratio",
                                                  "compiled"))
        for event, counts in dd[2].items():
            runs = [c[0] for c in counts]
            floors = ([c[2] for c in counts] if event == "startup"
                      else [min(c[0], 1) for c in counts])
            print("%-11s %4s %10.1f %7d %9.1f %6s %9.1f"
                  % (event, "-" if event == "startup" else len(counts),
                     mean(runs), max(runs), mean(floors),
                     ratio(mean(runs), mean(floors)),
                     mean([c[1] for c in counts])))
        print("(compiled: statements prepared, not taken from the cache of "
              "prepared statements)")
        for name, res in (("deploydesk", dd), ("floor", floor)) + (
                (("tig", tig),) if tig else ()):
            if not (os.WIFEXITED(res[4]) and os.WEXITSTATUS(res[4]) == 0):
                print("(%s did not exit 0 on q: status %d)" % (name, res[4]),
                      file=sys.stderr)
        if args.keep and not args.db:
            print("database kept: %s" % db, file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            for name in ("repo", "floor.py", "floor.json", "deploydesk", "sql.trace"):
                path = os.path.join(tmp, name)
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                elif os.path.exists(path):
                    os.unlink(path)


if __name__ == "__main__":
    main()
