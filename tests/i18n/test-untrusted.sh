#!/bin/bash
# SPDX-License-Identifier: MIT
# Untrusted text (versions, descriptions, logs, names) carrying terminal
# escape sequences, CR, bidi overrides and C1 controls: stored byte for byte,
# never sent raw to a terminal (command line in a pty, and the screens),
# kept raw in CSV files, escaped in JSON.
#
#     test-untrusted.sh DEPLOYDESK BUILD-DIR [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/untrusted.db
demo_db "$DB"

# The payloads, as \xNN escapes (for ddtool) and as bytes (for arguments).
V_ESC='v1\x1b[31mRED'
# a description on three short lines (they fit the screen's width)
D_ESC='T:\x1b]0;pwned\x07 L:\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\nM:\x1b[2J\x1b[H label\roverwrite\nB:\xe2\x80\xaeevil C:\xc2\x9bX Z:\xe2\x80\x8bz I:\xe2\x81\xa6y\xe2\x81\xa9 DEL:\x7f'
L_ESC='log T:\x1b]0;pwned\x07\nlog L:\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\nlog M:\x1b[2J\x1b[H label\roverwrite\nlog B:\xe2\x80\xaeevil C:\xc2\x9bX\n'
N_ESC='Eve\x1b[2J\x1b]0;own\x07 \xe2\x80\xaeLIVE'
V=$(printf '%b' "$V_ESC")
D=$(printf '%b' "$D_ESC")
N=$(printf '%b' "$N_ESC")
printf '%b' "$L_ESC" >"$WORK/evil.log"

# A version or a name is one line: the hostile ones are refused at input
# (the message names the field, the bytes are not echoed)...
"$DD" --db "$DB" user add evil --name "$N" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'name: a control character (U+001B)' "$WORK/err" &&
	! grep -q $'\033' "$WORK/err"; then
	pass "user add refuses a name holding escape sequences, without echoing them"
else
	fail "user add refuses a name holding escape sequences, without echoing them" \
		"exit $rc: $(cat -v "$WORK/err")"
fi
"$DD" --db "$DB" --as mmartin deploy create ERP --version "$V" --env PROD \
	--description d --responsible jdupont --date "2026-03-01 09:00" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'version: a control character (U+001B)' "$WORK/err"; then
	pass "deploy create refuses a version holding an escape sequence"
else
	fail "deploy create refuses a version holding an escape sequence" "exit $rc: $(cat -v "$WORK/err")"
fi

# ... but a database written by an earlier version, or by hand, may hold
# them: planted here, to show they never reach a terminal raw either.
"$DD" --db "$DB" user add evil --name Eve >/dev/null 2>"$WORK/err" &&
"$DD" --db "$DB" member add ERP evil --role dev-senior >/dev/null 2>>"$WORK/err" ||
	{ echo "Bail out! cannot add a user: $(cat "$WORK/err")"; exit 1; }

# planned after the demo's deployments: first row of the history; the
# description may hold anything but NUL (it is text of several lines)
ID=$("$DD" --db "$DB" --as mmartin deploy create ERP --version v1-plain --env PROD \
	--description "$D" --responsible evil --date "2026-03-01 09:00" 2>"$WORK/err")
rc=$?
if [ $rc -eq 0 ]; then
	pass "deploy create accepts the hostile description"
else
	fail "deploy create accepts the hostile description" "exit $rc: $(cat "$WORK/err")"
	echo "Bail out! nothing to test without the deployment"
	exit 1
fi
py - "$DB" "$ID" "$V_ESC" "$N_ESC" <<'PLANT' || { echo "Bail out! cannot plant the hostile version and name"; exit 1; }
import codecs, sqlite3, sys
db, ident, v, n = sys.argv[1:]
unesc = lambda s: codecs.escape_decode(s.encode())[0].decode("utf-8")
c = sqlite3.connect(db)
c.execute("UPDATE tasks SET version = ?, name = ? WHERE id = ?", (unesc(v), unesc(v), ident))
c.execute("UPDATE users SET full_name = ? WHERE login = 'evil'", (unesc(n),))
c.commit()
PLANT
"$DD" --db "$DB" --as mmartin deploy authorize "$ID" >/dev/null
"$DD" --db "$DB" --as evil deploy fail "$ID" --logs-file "$WORK/evil.log" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc -eq 0 ]; then
	pass "deploy fail accepts the hostile logs"
else
	fail "deploy fail accepts the hostile logs" "exit $rc: $(cat "$WORK/err")"
fi

# ---- (a) stored byte for byte
check "(a) version stored byte for byte" py "$DDTOOL" field "$DD" "$DB" "$ID" version "$V_ESC"
check "(a) description stored byte for byte" py "$DDTOOL" field "$DD" "$DB" "$ID" description "$D_ESC"
check "(a) logs stored byte for byte" py "$DDTOOL" field "$DD" "$DB" "$ID" logs "$L_ESC"
check "(a) logs audited as UTF-8 with the source's SHA-256" \
	py "$DDTOOL" audit "$DD" "$DB" "$ID" UTF-8 "$WORK/evil.log"

# ---- (b) command line, table output, in a terminal
tty_run() {
	local f=$1
	shift
	py "$HERE/ptyrun.py" --locale C.UTF-8 --quiet-ms 150 --out "$f" -- \
		"$DD" --db "$DB" "$@" >/dev/null 2>"$WORK/pty.err"
}
SAFE=(noesc '-\x07' nobarecr '-\xe2\x80\xae' '-\xc2\x9b' '-\xe2\x80\x8b' '-\xe2\x81\xa6' '-\x7f')
tty_run "$WORK/tty-show" deploy show "$ID"
expect "(b) deploy show in a pty" "$WORK/tty-show" "${SAFE[@]}" \
	'+v1^[[31mRED' '+^[]0;pwned^G' '+^M' '+<U+202E>' '+<9B>' '+<U+200B>' '+<U+2066>' \
	'+^[]8;;http://x^[\\link'
tty_run "$WORK/tty-list" deploy list ERP
expect "(b) deploy list in a pty" "$WORK/tty-list" "${SAFE[@]}" '+v1^[[31mRED' \
	'+^[[2J^[]0;own^G <U+202E>LIVE'
tty_run "$WORK/tty-incidents" incident list ERP
expect "(b) incident list in a pty" "$WORK/tty-incidents" "${SAFE[@]}"
tty_run "$WORK/tty-audit" audit list ERP
expect "(b) audit list in a pty" "$WORK/tty-audit" "${SAFE[@]}"

# ---- (c) the screens: history, then Enter on the deployment (first row)
py "$HERE/ptyrun.py" --locale C.UTF-8 --keys 'Enter' --out "$WORK/screen" -- \
	"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
rc=$?
if [ $rc -eq 0 ]; then
	pass "(c) screens: open, details, quit, exit 0"
else
	fail "(c) screens: open, details, quit, exit 0" "exit $rc: $(cat "$WORK/pty.err")"
fi
expect "(c) screens" "$WORK/screen" \
	'-\x1b]0;pwned' '-\x1b]0;own' '-\x1b]8;;' '-\x1b[31mRED' '-\x1b[2J\x1b[H' \
	'-label\roverwrite' '-\xe2\x80\xae' '-\xc2\x9b' '-\xe2\x80\x8b' '-\xe2\x81\xa6' '-\x07' \
	'~Deployment v1^[[31mRED' '~T:^[]0;pwned^G' '~<U+202E>evil' '~<9B>X' '~^M' \
	'~<U+200B>z' '~log L:^[]8;;http://x^[\\link'

# a long line is not silently cut in the details: its end can be seen
LONG=$(printf 'long%.0s-' $(seq 1 30))THE-END
new_deploy "$DB" v-long "$LONG" "2026-03-02 09:00" >/dev/null || fail "set-up: a deployment with a long description"
py "$HERE/ptyrun.py" --locale C.UTF-8 --keys 'Enter' --out "$WORK/screen-long" -- \
	"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
expect "(c) screens, a ${#LONG}-column description in the details (100 columns)" \
	"$WORK/screen-long" '~THE-END'

# ---- (d) CSV to a file keeps the raw bytes; JSON escapes them
LC_ALL=C.UTF-8 "$DD" --db "$DB" --format csv deploy show "$ID" >"$WORK/show.csv"
check "(d) CSV file: version is the raw bytes" py "$DDTOOL" csvfield "$WORK/show.csv" version "$V_ESC"
check "(d) CSV file: description is the raw bytes" py "$DDTOOL" csvfield "$WORK/show.csv" description "$D_ESC"
check "(d) CSV file: logs are the raw bytes" py "$DDTOOL" csvfield "$WORK/show.csv" logs "$L_ESC"
LC_ALL=C.UTF-8 "$DD" --db "$DB" --format json deploy show "$ID" >"$WORK/show.json"
expect "(d) JSON" "$WORK/show.json" noesc '-\x07' '-\r' '-\xe2\x80\xae' '-\xc2\x9b' \
	'+\\u001b[31mRED' '+\\u0007' '+label\\roverwrite'
if grep -qiF '\u202e' "$WORK/show.json" && grep -qiF '\u009b' "$WORK/show.json"; then
	pass "(d) JSON: U+202E and U+009B written as \\u202e, \\u009b"
else
	fail "(d) JSON: U+202E and U+009B written as \\u202e, \\u009b" "$(head -c 800 "$WORK/show.json")"
fi

# ---- (e) characters Unicode says are not displayed (format characters,
# default-ignorable code points, tags): markers in every channel, decided
# by Unicode's properties
I_ESC='inv A:\xc2\xad B:\xcd\x8f C:\xe1\x85\x9f D:\xe1\xa0\x8e E:\xe3\x85\xa4 F:\xe2\x9d\xa4\xef\xb8\x8f G:user\xf3\xa0\x80\x81\xf3\xa0\x81\xa1\xf3\xa0\x81\xbf'
IV_ESC='v-inv\xc2\xad\xf3\xa0\x80\x81'
I=$(printf '%b' "$I_ESC")
IV=$(printf '%b' "$IV_ESC")
# planned after the others: the first row of the history
IID=$("$DD" --db "$DB" --as mmartin deploy create ERP --version "$IV" --env PROD \
	--description "$I" --responsible jdupont --date "2026-03-03 09:00" 2>"$WORK/err") ||
	fail "(e) set-up: a deployment with invisible characters" "$(cat "$WORK/err")"
check "(e) description stored byte for byte" py "$DDTOOL" field "$DD" "$DB" "$IID" description "$I_ESC"
RAW_INV=('-\xc2\xad' '-\xcd\x8f' '-\xe1\x85\x9f' '-\xe1\xa0\x8e' '-\xe3\x85\xa4' '-\xef\xb8\x8f' '-\xf3\xa0')
tty_run "$WORK/tty-inv" deploy show "$IID"
expect "(e) deploy show in a pty" "$WORK/tty-inv" "${RAW_INV[@]}" \
	'+A:<U+00AD> B:<U+034F> C:<U+115F> D:<U+180E> E:<U+3164> F:\xe2\x9d\xa4<U+FE0F> G:user<U+E0001><U+E0061><U+E007F>' \
	'+v-inv<U+00AD><U+E0001>'
tty_run "$WORK/tty-inv-list" deploy list ERP
expect "(e) deploy list in a pty" "$WORK/tty-inv-list" "${RAW_INV[@]}" '+v-inv<U+00AD><U+E0001>'
tty_run "$WORK/tty-inv-err" deploy list ERP --env "$(printf 'PR\xc2\xadOD\xf3\xa0\x80\x81')"
expect "(e) an error message echoing the value, in a pty" "$WORK/tty-inv-err" "${RAW_INV[@]}" \
	"+--env: 'PR<U+00AD>OD<U+E0001>' is not"
py "$HERE/ptyrun.py" --locale C.UTF-8 --keys 'Enter' --out "$WORK/screen-inv" -- \
	"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
# The details' title: "Deployment " is where the history's title had it,
# so only what follows is written.
expect "(e) screens: history, then the details" "$WORK/screen-inv" "${RAW_INV[@]}" \
	'~v-inv<U+00AD><U+E0001> - Planned' '~A:<U+00AD> B:<U+034F> C:<U+115F>' \
	'~D:<U+180E> E:<U+3164>' '~F:\xe2\x9d\xa4<U+FE0F>' '~G:user<U+E0001><U+E0061><U+E007F>'
LC_ALL=C.UTF-8 "$DD" --db "$DB" --format json deploy show "$IID" >"$WORK/inv.json"
expect "(e) JSON" "$WORK/inv.json" "${RAW_INV[@]}" \
	'+A:\\u00ad B:\\u034f C:\\u115f D:\\u180e E:\\u3164 F:\xe2\x9d\xa4\\ufe0f G:user\\udb40\\udc01\\udb40\\udc61\\udb40\\udc7f'
check "(e) JSON still reads back as the stored description" \
	py "$DDTOOL" jsonfile "$WORK/inv.json" description "$I_ESC"
LC_ALL=C.UTF-8 "$DD" --db "$DB" --format csv deploy show "$IID" >"$WORK/inv.csv"
check "(e) CSV file: the description is the raw bytes" py "$DDTOOL" csvfield "$WORK/inv.csv" description "$I_ESC"

# ---- (f) an 8-bit terminal (KOI8-R): no byte 0x80-0x9F reaches it, in
# any channel. KOI8-R writes U+2321 as 0x9B (CSI to an 8-bit terminal) and
# box-drawing characters as 0x80-0x9F: such characters are shown as '?'.
K=ru_RU.KOI8-R
if need_locale $K 16; then
	# "koi ⌡ Привет ─ Û" and a version "v-koi⌡"
	KD_ESC='koi \xe2\x8c\xa1 \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xe2\x94\x80 \xc3\x9b'
	KV_ESC='v-koi\xe2\x8c\xa1'
	KID=$("$DD" --db "$DB" --as mmartin deploy create ERP --version "$(printf '%b' "$KV_ESC")" --env PROD \
		--description "$(printf '%b' "$KD_ESC")" --responsible jdupont --date "2026-03-04 09:00" 2>"$WORK/err") ||
		fail "(f) set-up: a deployment for KOI8-R" "$(cat "$WORK/err")"
	koi_run() {
		local f=$1
		shift
		py "$HERE/ptyrun.py" --locale $K --quiet-ms 150 --out "$f" -- \
			"$DD" --db "$DB" "$@" >/dev/null 2>"$WORK/pty.err"
	}
	koi_run "$WORK/koi-show" deploy show "$KID"
	# Привет in KOI8-R: f0 d2 c9 d7 c5 d4
	expect "(f) $K: deploy show in a pty" "$WORK/koi-show" noc1 \
		'+koi ? \xf0\xd2\xc9\xd7\xc5\xd4 ? ?' '+v-koi?'
	koi_run "$WORK/koi-list" deploy list ERP
	expect "(f) $K: deploy list in a pty" "$WORK/koi-list" noc1 '+v-koi?'
	koi_run "$WORK/koi-csv" --format csv deploy show "$KID"
	expect "(f) $K: CSV in a pty" "$WORK/koi-csv" noc1 '+koi ? \xf0\xd2\xc9\xd7\xc5\xd4 ? ?'
	koi_run "$WORK/koi-csv-utf8" --format csv --encoding UTF-8 deploy show "$KID"
	expect "(f) $K: CSV --encoding UTF-8 in a pty" "$WORK/koi-csv-utf8" noc1
	koi_run "$WORK/koi-json" --format json deploy show "$KID"
	expect "(f) $K: JSON in a pty is ASCII, escaped" "$WORK/koi-json" noc1 ascii \
		'+koi \\u2321 \\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\u2500 \\u00db'
	# an argument typed in KOI8-R (0x9B is ⌡ there) echoed in an error
	koi_run "$WORK/koi-err" deploy list ERP --env "$(printf 'P\x9bD')"
	expect "(f) $K: an error message echoing the argument" "$WORK/koi-err" noc1 "+--env: 'P?D' is not"
	py "$HERE/ptyrun.py" --locale $K --keys 'Enter' --out "$WORK/koi-screen" -- \
		"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	expect "(f) $K: screens, history then details" "$WORK/koi-screen" noc1 \
		'~koi ? \xf0\xd2\xc9\xd7\xc5\xd4 ? ?'
	# to a file, CSV in KOI8-R is the data: 0x9B is the character ⌡ there
	LC_ALL=$K "$DD" --db "$DB" --format csv --encoding KOI8-R deploy show "$KID" >"$WORK/koi.csv"
	check "(f) $K: CSV --encoding KOI8-R to a file keeps 0x9b (the data)" \
		py "$DDTOOL" grep-bytes "$WORK/koi.csv" 'koi \x9b \xf0\xd2\xc9\xd7\xc5\xd4 \x80'
fi

done_testing
