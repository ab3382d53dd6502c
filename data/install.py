#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""meson install's last step: the system configuration and the shared
install's binary.

    install.py EXAMPLE CONF BINARY [GROUP]

Installs EXAMPLE as CONF (mode 0644) unless a CONF exists already, which
is never replaced. With GROUP (-Dshared_group), checks that BINARY was
installed root:GROUP, mode 2755: meson only warns when it cannot set them
(an install that is not run as root), and a shared install without them
does not work.
"""
import grp
import os
import shutil
import stat
import sys


def dest(path):
    destdir = os.environ.get("DESTDIR", "")
    if not destdir:
        return path
    return os.path.join(destdir, os.path.relpath(path, "/"))


def main():
    example, conf, binary = sys.argv[1:4]
    group = sys.argv[4] if len(sys.argv) > 4 else ""
    target = dest(conf)
    if os.path.lexists(target):
        print("deploydesk: keeping the existing configuration " + target)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(example, target)
        os.chmod(target, 0o644)
        print("deploydesk: installed the configuration " + target)
    if not group:
        return 0
    st = os.stat(dest(binary))
    gid = grp.getgrnam(group).gr_gid
    if st.st_uid == 0 and st.st_gid == gid and stat.S_IMODE(st.st_mode) == 0o2755:
        return 0
    msg = ("deploydesk: %s must be owned by root, group %s, mode 2755 "
           "(setgid) for the shared install; run meson install as root"
           % (dest(binary), group))
    if os.environ.get("DESTDIR"):
        # A package build: the packaging sets the owner and mode.
        print(msg + " (or set them in the package)")
        return 0
    print(msg, file=sys.stderr)
    return 1


sys.exit(main())
