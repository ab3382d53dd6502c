#!/bin/bash
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

# a user with a hostile name, responsible of the deployment
"$DD" --db "$DB" user add evil --name "$N" >/dev/null 2>"$WORK/err" &&
"$DD" --db "$DB" member add ERP evil --role dev-senior >/dev/null 2>>"$WORK/err" ||
	{ echo "Bail out! cannot add a user: $(cat "$WORK/err")"; exit 1; }

# planned after the demo's deployments: first row of the history
ID=$("$DD" --db "$DB" --as mmartin deploy create ERP --version "$V" --env PROD \
	--description "$D" --responsible evil --date "2026-03-01 09:00" 2>"$WORK/err")
rc=$?
if [ $rc -eq 0 ]; then
	pass "deploy create accepts the hostile version and description"
else
	fail "deploy create accepts the hostile version and description" "exit $rc: $(cat "$WORK/err")"
	echo "Bail out! nothing to test without the deployment"
	exit 1
fi
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

done_testing
