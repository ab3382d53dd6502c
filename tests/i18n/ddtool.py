#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Byte-exact helpers for the i18n tests.

Byte strings are given with Python escapes ('Caf\\xe9 \\x80\\n').
Each check prints why it failed and exits 1, or exits 0 silently.

    ddtool.py write FILE BYTES             write BYTES to FILE
    ddtool.py write-enc FILE CODEC TEXT    write TEXT (escapes allowed)
                                           encoded with Python's CODEC
    ddtool.py field DD DB ID FIELD BYTES   `deploy show ID --format json`:
                                           FIELD is exactly BYTES (UTF-8)
    ddtool.py audit DD DB ID ENC FILE      the last deploy.succeed/fail audit
                                           record of ID says logs_encoding
                                           ENC, and the size and SHA-256 of
                                           FILE as the source; logs_bytes and
                                           logs_sha256 match the stored logs
    ddtool.py byversion DD DB BYTES        prints the id of the deployment of
                                           ERP whose version is BYTES
    ddtool.py import-check DD DB ID BYTES ENC FILE
                                           field logs BYTES and audit ENC FILE
                                           as two verdict lines (see expect)
    ddtool.py state DD DB ID               prints deploy show + the audit
                                           trail (JSON) for "nothing changed"
    ddtool.py grep-bytes FILE BYTES        FILE contains BYTES
    ddtool.py no-bytes FILE BYTES          FILE does not contain BYTES
    ddtool.py csvfield FILE COLUMN BYTES   FILE is UTF-8 CSV (a header and one
                                           record): COLUMN is exactly BYTES
    ddtool.py expect FILE SPEC...          one verdict line per SPEC,
                                           "ok|LABEL" or "not ok|LABEL|WHY":
        +BYTES  contains BYTES            -BYTES  does not contain BYTES
        ~BYTES  contains BYTES once escape sequences are removed
        noesc   no ESC byte               nobarecr  no CR but in CRLF
        ascii   no byte >= 0x80      noc1  no byte 0x80-0x9f
        (lines starting with "# " after a verdict are its diagnostics)
        screen=ENCODING  render the session (vtscreen.py, 100x30, bytes
                decoded with ENCODING) for the specs that follow:
        ^BYTES  BYTES (in ENCODING) is on the rendered screen
        @ANCHOR=>BYTES  the screen's row holding ANCHOR also holds BYTES
    ddtool.py context FILE ENC BYTES       the text (escape sequences
                                           removed) after the last BYTES
    ddtool.py ascii FILE                   FILE has no byte >= 0x80
    ddtool.py crlf FILE                    FILE (CSV) has records, each ending in CRLF
                                           (a line break inside a quoted field is data)
    ddtool.py jsonfile FILE KEY BYTES      FILE is UTF-8 JSON (an object, or
                                           a list: its first element) whose
                                           KEY is exactly BYTES
"""

import codecs
import csv
import io
import re
import hashlib
import json
import subprocess
import sys

import vtscreen


def unesc(s):
    return codecs.escape_decode(s.encode("utf-8"))[0]


def show(b):
    return repr(bytes(b))


def run_json(dd, db, *args):
    p = subprocess.run([dd, "--db", db, "--format", "json", *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        print("%s %s exited %d: %s" % (dd, " ".join(args), p.returncode,
                                       p.stderr.decode("utf-8", "replace")))
        sys.exit(1)
    try:
        return json.loads(p.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("%s: not UTF-8 JSON (%s): %s" % (" ".join(args), e,
                                               show(p.stdout[:300])))
        sys.exit(1)


def text_bytes(v):
    # JSON strings may carry lone surrogates only if the program wrote
    # invalid escapes: keep them visible
    return v.encode("utf-8", "surrogatepass")


def cmd_field(dd, db, ident, field, want):
    d = run_json(dd, db, "deploy", "show", ident)
    if field not in d:
        print("no field %r in deploy show: %s" % (field, sorted(d)))
        return 1
    v = d[field]
    if v is None:
        print("%s: expected %s, got null" % (field, show(unesc(want))))
        return 1
    got = text_bytes(v)
    if got != unesc(want):
        print("%s: expected %s" % (field, show(unesc(want))))
        print("%s:      got %s" % (field, show(got)))
        return 1
    return 0


def last_exec_record(dd, db, ident):
    recs = run_json(dd, db, "audit", "list")
    mine = [r for r in recs if r.get("entity_id") == ident
            and r.get("action") in ("deploy.succeed", "deploy.fail")]
    if not mine:
        print("no deploy.succeed/fail audit record for %s" % ident)
        sys.exit(1)
    r = mine[-1]
    after = r.get("after")
    if not isinstance(after, dict):
        print("audit 'after' is not a JSON object: %r" % (after,))
        sys.exit(1)
    return after


def cmd_audit(dd, db, ident, enc, path):
    after = last_exec_record(dd, db, ident)
    src = open(path, "rb").read()
    bad = []
    if after.get("logs_encoding") != enc:
        bad.append("logs_encoding: expected %r, got %r"
                   % (enc, after.get("logs_encoding")))
    if after.get("logs_source_sha256") != hashlib.sha256(src).hexdigest():
        bad.append("logs_source_sha256: expected %s (sha256 of %r), got %r"
                   % (hashlib.sha256(src).hexdigest(), path,
                      after.get("logs_source_sha256")))
    if after.get("logs_source_bytes") != len(src):
        bad.append("logs_source_bytes: expected %d, got %r"
                   % (len(src), after.get("logs_source_bytes")))
    d = run_json(dd, db, "deploy", "show", ident)
    if d.get("logs") is not None:
        stored = text_bytes(d["logs"])
        if after.get("logs_sha256") != hashlib.sha256(stored).hexdigest():
            bad.append("logs_sha256: expected %s (of the stored logs), got %r"
                       % (hashlib.sha256(stored).hexdigest(),
                          after.get("logs_sha256")))
        if after.get("logs_bytes") != len(stored):
            bad.append("logs_bytes: expected %d, got %r"
                       % (len(stored), after.get("logs_bytes")))
    for b in bad:
        print(b)
    if bad:
        print("after = %s" % json.dumps(after, ensure_ascii=True))
    return 1 if bad else 0


def cmd_state(dd, db, ident):
    d = run_json(dd, db, "deploy", "show", ident)
    a = run_json(dd, db, "audit", "list")
    print(json.dumps([d, a], sort_keys=True, ensure_ascii=True))
    return 0


ESC_SEQ = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def strip_escapes(data):
    return ESC_SEQ.sub(b"", data)


def around(data, i, n=40):
    return show(data[max(0, i - n):i + n])


def cmd_expect(path, specs):
    data = open(path, "rb").read()
    text = None
    rows = None
    enc = "utf-8"
    for spec in specs:
        ok, why = True, ""
        if spec.startswith("screen="):
            enc = spec[7:]
            rows = vtscreen.render(data, enc)
            continue
        if spec[0] in "^@" and rows is None:
            rows = vtscreen.render(data, enc)
        if spec[0] == "^":
            want = unesc(spec[1:]).decode(enc, "replace")
            label = "screen shows %s" % show(unesc(spec[1:]))
            if not any(want in r for r in rows):
                ok, why = False, "not on the screen:\n" + "\n".join(rows)
        elif spec[0] == "@":
            anchor, _, w = spec[1:].partition("=>")
            anchor = unesc(anchor).decode(enc, "replace")
            want = unesc(w).decode(enc, "replace")
            label = "the row of %r shows %r" % (anchor, want)
            mine = [r for r in rows if anchor in r]
            if not mine:
                ok, why = False, "no row with %r:\n%s" % (anchor, "\n".join(rows))
            elif not any(want in r for r in mine):
                ok, why = False, "row: %r" % mine[0]
        elif spec == "noesc":
            label = "no ESC byte"
            if b"\x1b" in data:
                ok, why = False, "ESC at ...%s..." % around(data, data.index(b"\x1b"))
        elif spec == "nobarecr":
            label = "no CR but in CRLF"
            m = re.search(rb"\r(?!\n)", data)
            if m:
                ok, why = False, "bare CR at ...%s..." % around(data, m.start())
        elif spec == "noc1":
            label = "no byte 0x80-0x9f (C1 controls to an 8-bit terminal)"
            m = re.search(rb"[\x80-\x9f]", data)
            if m:
                ok, why = False, "byte %02x at ...%s..." % (data[m.start()], around(data, m.start()))
        elif spec == "ascii":
            label = "no byte >= 0x80"
            m = re.search(rb"[\x80-\xff]", data)
            if m:
                ok, why = False, "byte %02x at ...%s..." % (data[m.start()], around(data, m.start()))
        elif spec[0] == "+":
            want = unesc(spec[1:])
            label = "contains %s" % show(want)
            if want not in data:
                ok, why = False, "not found"
        elif spec[0] == "-":
            want = unesc(spec[1:])
            label = "does not contain %s" % show(want)
            if want in data:
                ok, why = False, "found at ...%s..." % around(data, data.index(want))
        elif spec[0] == "~":
            want = unesc(spec[1:])
            label = "shows %s" % show(want)
            if text is None:
                text = strip_escapes(data)
            if want not in text:
                ok, why = False, "not in the text (escape sequences removed)"
        else:
            print("not ok|bad spec %r|" % spec)
            continue
        if ok:
            print("ok|%s" % label)
        else:
            first, _, rest = why.partition("\n")
            print("not ok|%s|%s" % (label, first))
            for line in rest.split("\n") if rest else []:
                print("# %s" % line)
    return 0


def cmd_csvfield(path, column, want):
    data = open(path, "rb").read()
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error) as e:
        print("%s: not UTF-8 CSV: %s" % (path, e))
        return 1
    if len(rows) < 2 or column not in rows[0]:
        print("%s: no column %r in %r" % (path, column, rows[:1]))
        return 1
    got = rows[1][rows[0].index(column)].encode("utf-8", "surrogatepass")
    if got != unesc(want):
        print("%s: expected %s" % (column, show(unesc(want))))
        print("%s:      got %s" % (column, show(got)))
        return 1
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    c, a = argv[1], argv[2:]
    if c == "write":
        with open(a[0], "wb") as f:
            f.write(unesc(a[1]))
        return 0
    if c == "write-enc":
        text = unesc(a[2]).decode("utf-8")
        with open(a[0], "wb") as f:
            f.write(text.encode(a[1]))
        return 0
    if c == "field":
        return cmd_field(*a)
    if c == "audit":
        return cmd_audit(*a)
    if c == "byversion":
        want = unesc(a[2])
        rows = run_json(a[0], a[1], "deploy", "list", "ERP")
        ids = [r["id"] for r in rows if text_bytes(r["version"]) == want]
        if not ids:
            print("no deployment with version %s among %r"
                  % (show(want), [r["version"] for r in rows]))
            return 1
        print(ids[0])
        return 0
    if c == "import-check":
        dd, db, ident, want, enc, path = a
        for label, fn in (
                ("stored logs are exactly the expected UTF-8",
                 lambda: cmd_field(dd, db, ident, "logs", want)),
                ("audit records encoding %s and the source's size and SHA-256"
                 % enc, lambda: cmd_audit(dd, db, ident, enc, path))):
            buf = io.StringIO()
            old, sys.stdout = sys.stdout, buf
            try:
                rc = fn()
            except SystemExit as e:
                rc = e.code or 1
            finally:
                sys.stdout = old
            if rc == 0:
                print("ok|%s" % label)
            else:
                lines = buf.getvalue().rstrip("\n").split("\n")
                print("not ok|%s|%s" % (label, lines[0]))
                for line in lines[1:]:
                    print("# %s" % line)
        return 0
    if c == "state":
        return cmd_state(*a)
    if c in ("grep-bytes", "no-bytes"):
        data = open(a[0], "rb").read()
        want = unesc(a[1])
        found = want in data
        if c == "grep-bytes" and not found:
            print("%s does not contain %s; it has: %s"
                  % (a[0], show(want), show(data[:600])))
            return 1
        if c == "no-bytes" and found:
            i = data.index(want)
            print("%s contains %s at %d: ...%s..."
                  % (a[0], show(want), i, show(data[max(0, i - 40):i + 40])))
            return 1
        return 0
    if c == "expect":
        return cmd_expect(a[0], a[1:])
    if c == "csvfield":
        return cmd_csvfield(*a)
    if c == "context":
        t = strip_escapes(open(a[0], "rb").read())
        i = t.rfind(unesc(a[2]))
        if i >= 0:
            print(t[max(0, i - 60):i + 160].decode(a[1], "replace"))
        return 0
    if c == "ascii":
        data = open(a[0], "rb").read()
        hi = [i for i, b in enumerate(data) if b >= 0x80]
        if hi:
            i = hi[0]
            print("%s has %d bytes >= 0x80, the first at %d: ...%s..."
                  % (a[0], len(hi), i, show(data[max(0, i - 40):i + 40])))
            return 1
        return 0
    if c == "crlf":
        data = open(a[0], "rb").read()
        if not data.endswith(b"\r\n"):
            print("%s does not end with CRLF: ...%s" % (a[0], show(data[-60:])))
            return 1
        quoted = False
        for i, b in enumerate(data):
            if b == 0x22:
                quoted = not quoted
            if b == 0x0A and not quoted and (i == 0 or data[i - 1] != 0x0D):
                print("%s: bare LF at %d: ...%s..."
                      % (a[0], i, show(data[max(0, i - 40):i + 10])))
                return 1
        return 0
    if c == "jsonfile":
        data = open(a[0], "rb").read()
        try:
            d = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            print("%s is not UTF-8 JSON (%s): %s" % (a[0], e, show(data[:300])))
            return 1
        if isinstance(d, list):
            d = d[0] if d else {}
        got = d.get(a[1])
        if got is None or text_bytes(got) != unesc(a[2]):
            print("%s: expected %s, got %r" % (a[1], show(unesc(a[2])), got))
            return 1
        return 0
    print("unknown command %s" % c)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
