# SPDX-License-Identifier: MIT
"""Runs a command in a session of its own, without a controlling terminal
(as su -c and runuser do), for the tests of a terminal that goes away
without a SIGHUP reaching the program.

    setsid-run.py [--pty] [--stderr FILE] PIDFILE STATUSFILE COMMAND...

Writes the command's pid to PIDFILE, waits for it and writes its exit
status (128 + N when killed by signal N) to STATUSFILE, and exits with it.
The command's standard input is this one's (the terminal, a tmux pane),
or with --pty a new pseudo-terminal whose other side this helper holds
and closes on SIGUSR1 (standard output stays this one's). A SIGHUP to the
helper (its terminal closed) does not stop it: it still records the
status."""

import os
import signal
import subprocess
import sys


def main():
    args = sys.argv[1:]
    use_pty, stderr = False, None
    while args and args[0].startswith("--"):
        if args[0] == "--pty":
            use_pty = True
            args = args[1:]
        elif args[0] == "--stderr":
            stderr = open(args[1], "wb")
            args = args[2:]
        else:
            sys.exit("setsid-run.py: unknown option " + args[0])
    pidfile, statusfile, command = args[0], args[1], args[2:]
    stdin = None
    if use_pty:
        master, stdin = os.openpty()
    # A handler, not SIG_IGN, so that the command does not inherit it.
    signal.signal(signal.SIGHUP, lambda sig, frame: None)
    child = subprocess.Popen(["setsid", "-w"] + command, stdin=stdin,
                             stderr=stderr)
    if use_pty:
        os.close(stdin)
        signal.signal(signal.SIGUSR1, lambda sig, frame: os.close(master))
    with open(pidfile, "w") as f:
        f.write("%d\n" % child.pid)
    status = child.wait()
    if status < 0:
        status = 128 - status
    with open(statusfile, "w") as f:
        f.write("%d\n" % status)
    sys.exit(status)


main()
