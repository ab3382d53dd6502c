#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a full-screen program in a pseudo-terminal, type keys, record its bytes.

    ptyrun.py --locale L [--keys KEYS] [--out FILE] [--cols 100] [--rows 30]
              [--quiet-ms 300] [--timeout 20] [--env NAME=VALUE]... -- CMD ARG...

The program runs on a new pty of --cols x --rows (TIOCSWINSZ) with
TERM=xterm-256color, LC_ALL=L (LANG too, LANGUAGE unset), TZ=UTC,
ESCDELAY=25, and DEPLOYDESK_LOCALEDIR taken from the environment when set.
Everything it writes is recorded, raw, to --out (or standard output).

KEYS is a space-separated list of tokens, each sent once the screen has
been quiet for --quiet-ms:
    Enter Esc Tab BTab Up Down Left Right PgUp PgDn Home End Space BS
    C-a ... C-z   a control character (C-o is Ctrl-O)
    wait:MS       sleep MS milliseconds, then wait for quiet again
    text:STRING   the characters of STRING (no spaces; \\xNN escapes allowed)
    any other token is sent as it is (e.g. "q", "/", "j").
After the keys, 'q' (and Esc, alternately) is sent on quiet until the
program exits, 12 times at most; then it gets SIGTERM, SIGKILL.

The exit status is the program's own (128+signal if killed); 124 when the
harness had to kill it.
"""

import argparse
import errno
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

KEYS = {
    "Enter": b"\r",
    "Esc": b"\x1b",
    "Tab": b"\t",
    "BTab": b"\x1b[Z",
    "Up": b"\x1b[A",
    "Down": b"\x1b[B",
    "Right": b"\x1b[C",
    "Left": b"\x1b[D",
    "PgUp": b"\x1b[5~",
    "PgDn": b"\x1b[6~",
    "Home": b"\x1b[H",
    "End": b"\x1b[F",
    "Space": b" ",
    "BS": b"\x7f",
}


def key_bytes(tok, encoding):
    if tok in KEYS:
        return KEYS[tok]
    if len(tok) == 3 and tok.startswith("C-") and tok[2].isalpha():
        return bytes([ord(tok[2].lower()) - 96])
    if tok.startswith("text:"):
        s = tok[5:]
        raw = s.encode("utf-8").decode("unicode_escape").encode("latin-1")
        return raw
    return tok.encode(encoding, "replace")


def main():
    ap = argparse.ArgumentParser(description="run a program in a pty")
    ap.add_argument("--locale", required=True)
    ap.add_argument("--keys", default="")
    ap.add_argument("--out", default="-")
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--quiet-ms", type=int, default=300)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    if not cmd:
        ap.error("no command given")

    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update({
        "TERM": "xterm-256color",
        "LC_ALL": a.locale,
        "LANG": a.locale,
        "TZ": "UTC",
        "ESCDELAY": "25",
    })
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v

    # the bytes a key token stands for, in the locale's charset for text
    enc = "utf-8"
    low = a.locale.lower().replace("-", "")
    if "iso885915" in low:
        enc = "iso-8859-15"
    elif "iso88591" in low:
        enc = "latin-1"
    elif low in ("c", "posix"):
        enc = "ascii"

    pid, fd = pty.fork()
    if pid == 0:
        # set the size before the program starts, on its own terminal
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", a.rows, a.cols, 0, 0))
        except OSError:
            pass
        try:
            os.execvpe(cmd[0], cmd, env)
        except OSError as e:
            os.write(2, ("ptyrun: %s: %s\n" % (cmd[0], e)).encode())
        os._exit(127)

    fcntl.ioctl(fd, termios.TIOCSWINSZ,
                struct.pack("HHHH", a.rows, a.cols, 0, 0))

    out = bytearray()
    deadline = time.monotonic() + a.timeout
    status = None

    def reap(block=False):
        nonlocal status
        if status is not None:
            return True
        try:
            p, st = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return True
        if p == pid:
            status = st
            return True
        return False

    def read_until_quiet(quiet_ms):
        """Read until nothing came for quiet_ms (or EOF, or the deadline)."""
        last = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                return False
            left = quiet_ms / 1000.0 - (now - last)
            if left <= 0:
                return True
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError as e:
                    if e.errno == errno.EIO:
                        return False        # the other end is closed
                    raise
                if not data:
                    return False
                out.extend(data)
                last = time.monotonic()

    def send(b):
        try:
            os.write(fd, b)
        except OSError:
            pass

    alive = read_until_quiet(a.quiet_ms)
    for tok in a.keys.split():
        if not alive or reap():
            break
        if tok.startswith("wait:"):
            time.sleep(int(tok[5:]) / 1000.0)
            alive = read_until_quiet(a.quiet_ms)
            continue
        send(key_bytes(tok, enc))
        alive = read_until_quiet(a.quiet_ms)

    # quit: 'q' until it exits (Esc every other time, which also leaves a
    # dialog where 'q' would be typed into a field)
    tries = 0
    while time.monotonic() < deadline and not reap():
        if not alive:
            # EOF on the pty: wait a little for the exit status
            for _ in range(50):
                if reap():
                    break
                time.sleep(0.05)
            break
        if tries >= 12:
            break
        send(b"q" if tries % 2 == 0 else b"\x1b")
        tries += 1
        alive = read_until_quiet(a.quiet_ms)

    killed = False
    if not reap():
        killed = True
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            for _ in range(20):
                if reap():
                    break
                time.sleep(0.05)
            if reap():
                break
        reap(block=True)
    # drain what is left
    try:
        while True:
            r, _, _ = select.select([fd], [], [], 0.05)
            if not r:
                break
            data = os.read(fd, 65536)
            if not data:
                break
            out.extend(data)
    except OSError:
        pass
    os.close(fd)

    if a.out == "-":
        sys.stdout.buffer.write(out)
        sys.stdout.buffer.flush()
    else:
        with open(a.out, "wb") as f:
            f.write(out)

    if killed:
        sys.stderr.write("ptyrun: %s did not exit, killed\n" % cmd[0])
        return 124
    if status is None:
        return 124
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
