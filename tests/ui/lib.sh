# SPDX-License-Identifier: MIT
# Shared helpers for the screen tests: TAP output, the program run in a
# private tmux server at a fixed size, waits on screen states (never fixed
# sleeps), and the command line to look at the database afterwards.
#
# A test script starts with:
#     . "$(dirname "$0")/lib.sh" "$@"
# and gets:
#     DD      a private copy of the deploydesk binary given as $1
#     BUILDDIR  the build tree given as $2, if any (french, FR: below)
#     WORK    its own temporary directory (removed on exit, tmux killed)
#     DB      $WORK/demo.db, a fresh demo sandbox (project ERP)
# and ends with `done_testing`.
#
# The screen helpers act on the pane of the session "app":
#     start_app [-s WxH] [-e VAR=VALUE]... [-t OFFSET] [-n] [ARG...]
#                         runs "deploydesk --db $DB ARG..." in it (-n:
#                         without --db $DB; -t: its clock moved by
#                         faketime's OFFSET, "+4d")
#     wait_for ERE [SECONDS]   until the screen matches (default 10 s)
#     wait_gone ERE [SECONDS]  until it no longer does
#     keys KEY...              tmux send-keys (Enter, Tab, BTab, Up, ...)
#     type_text TEXT           the text, literally
#     screen / screen_e        capture-pane -p (-e: with attributes)
#     wait_dead, pane FORMAT   the program's end; tmux formats of the pane
#     select_version V, selected_version, selected_rows
#                              the history's selection (reverse video)
#     screen_stats, cli_stats  the statistics panel, and stats ERP
# TAP: pass, fail, check, must (stops the script on failure), is, like,
# skip, known_bug (a TODO check showing a known defect of the program).

export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC
unset DEPLOYDESK_DB XDG_DATA_HOME LANGUAGE NO_COLOR TMUX TMUX_PANE

if [ -z "${1:-}" ]; then
	echo "Bail out! usage: $0 PATH-TO-deploydesk"
	exit 1
fi
# The tree may be relinked by a concurrent build at this very moment: give
# the binary a minute to be there again.
for ((i = 0; i < 120; i++)); do
	[ -x "$1" ] && [ -s "$1" ] && break
	sleep 0.5
done
if [ ! -x "$1" ]; then
	echo "Bail out! $1 is not an executable"
	exit 1
fi
for tool in tmux python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool is needed"
		exit 0
	fi
done
# The interpreter itself, not a wrapper script (pyenv's shims cost most
# of a second a call), started without site packages (-I -S: a third of
# the start-up time), as the helpers use only the standard library.
if [ -x /usr/bin/python3 ]; then
	PY=/usr/bin/python3
else
	PY=$(python3 -c 'import sys; print(sys.executable)')
fi
py() {
	"$PY" -I -S "$@"
}

# nap: 50 ms without a process (a read that times out on a pipe nobody
# writes), for the polling loops.
exec {NAP_FD}<> <(:)
nap() {
	read -r -t 0.05 -u "$NAP_FD" _ 2>/dev/null || :
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/deploydesk-ui.XXXXXX") || exit 1
SOCK=$WORK/sock

T() {
	tmux -S "$SOCK" -f /dev/null "$@"
}

cleanup() {
	local s
	T kill-server >/dev/null 2>&1
	if [ -n "${DD_PG:-}" ]; then
		while read -r s; do
			psql "$DEPLOYDESK_TEST_PG" -qAtX -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1
		done <"$WORK/.pg-schemas"
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One server for the whole script, kept when it has no session (between one
# run of the program and the next), so that a new session never meets a
# server on its way out.
T start-server \; set-option -s exit-empty off ||
	{ echo "Bail out! cannot start tmux"; exit 1; }

# A private copy of the binary: a rebuild of the tree while the tests run
# must not pull it from under them.
DD=$WORK/deploydesk
cp "$1" "$DD" && chmod 755 "$DD" || { echo "Bail out! cannot copy $1"; exit 1; }

# The same screens on PostgreSQL (meson's ui-pg-*: DEPLOYDESK_TEST_UI_PG
# set, DEPLOYDESK_TEST_PG naming the server): the database file becomes a
# schema there, as for the command-line suites (tests/cli/pg-wrap.sh).
DD_PG=
if [ -n "${DEPLOYDESK_TEST_UI_PG:-}" ]; then
	if [ -z "${DEPLOYDESK_TEST_PG:-}" ] || ! command -v psql >/dev/null; then
		echo "1..0 # SKIP DEPLOYDESK_TEST_PG is not set, or no psql (tests/pg/cluster.sh starts a server)"
		exit 0
	fi
	DD_PG=1
	mv "$DD" "$WORK/deploydesk.bin"
	cp "$(dirname "${BASH_SOURCE[0]}")/../cli/pg-wrap.sh" "$DD"
	chmod 755 "$DD"
	: >"$WORK/.pg-schemas"
	printf '%s\n' "$DEPLOYDESK_TEST_PG" >"$WORK/.pg-server"
fi

# ---------------------------------------------------------------- TAP

# shellcheck source=../tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# check DESC COMMAND...: passes when COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc" "failed: $*"; fi
}

# must DESC COMMAND...: a check the rest of the script depends on; on
# failure the script stops there (instead of a cascade of timeouts).
must() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "failed: $*" "the later checks depend on this one: stopping"
		done_testing
	fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" == "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected: $2" "got:      $1"
	fi
}

# like GOT ERE DESC
like() {
	if [[ $1 =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "expected to match: $2" "got: $1"
	fi
}

# skip REASON: a check that cannot run here (a missing locale, say).
skip() {
	T_N=$((T_N + 1))
	printf 'ok %d # SKIP %s\n' "$T_N" "$1"
}

# known_bug DESC REASON COMMAND...: a check that shows a known defect of the
# program, reported as TAP "TODO": it does not fail the suite while the
# defect is there, and shows up (as an unexpected pass) once it is fixed,
# so that the marker can be removed.
known_bug() {
	local desc=$1 reason=$2
	shift 2
	T_N=$((T_N + 1))
	if "$@"; then
		printf 'ok %d - %s # TODO %s\n' "$T_N" "$desc" "$reason"
	else
		printf 'not ok %d - %s # TODO %s\n' "$T_N" "$desc" "$reason"
	fi
}

done_testing() {
	echo "1..$T_N"
	if [ "$T_FAILED" -gt 0 ]; then
		diag "$T_FAILED of $T_N checks failed"
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------- the CLI

DB=$WORK/demo.db

# dk ARG...: the program on $DB (as the account running the tests, the
# sandbox's admin).
dk() {
	"$DD" --db "$DB" "$@"
}

# dkas LOGIN ARG...: the same, acting as LOGIN.
dkas() {
	local who=$1
	shift
	"$DD" --db "$DB" --as "$who" "$@"
}

# jq_py EXPR: evaluates a Python expression on the JSON document read from
# standard input (bound to d) and prints it.
jq_py() {
	py -c 'import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))' "$1"
}

# deploy_id VERSION: the id of a deployment of ERP, by its version (kept
# in a file once found: ids do not change, and callers run in subshells).
deploy_id() {
	local f=$WORK/id.$1
	if [ ! -s "$f" ]; then
		dk --format json deploy list ERP |
			jq_py "[x['id'] for x in d if x['version'] == '$1'][0]" >"$f" || return 1
	fi
	cat "$f"
}

# deploy_field VERSION KEY: one field of deploy show --format json.
deploy_field() {
	dk --format json deploy show "$(deploy_id "$1")" | jq_py "d.get('$2')"
}

audit_count() {
	dk --format json audit list | jq_py 'len(d)'
}

deploy_count() {
	dk --format json deploy list ERP | jq_py 'len(d)'
}

# The logical content of the database (for "nothing written" checks),
# through the program itself so that no other tool is needed.
db_state() {
	dk --format json audit list
	dk --format json deploy list ERP
	dk --format json incident list ERP
}

# cli_stats: stats ERP as "total succeeded failed planned in_progress
# rate" (rate with one decimal, as the screen shows it).
cli_stats() {
	dk --format json stats ERP | jq_py \
		'"%d %d %d %d %d %.1f" % (d["total"], d["succeeded"], d["failed"], d["planned"], d["in_progress"], d["success_rate"])'
}

# sqlite_tail DESC: on PostgreSQL, the rest of the script edits SQLite's
# file: said skipped, and the script ends there.
sqlite_tail() {
	[ -z "$DD_PG" ] && return 0
	skip "$1: SQLite's file"
	done_testing
}

# db_sql SQL: a statement on $DB, by sqlite3 or, on PostgreSQL, by psql
# in its schema.
db_sql() {
	if [ -z "$DD_PG" ]; then
		sqlite3 "$DB" "$1"
	else
		psql "$("$DD" dd_pg_location "$DB")" -qAtX -c "$1"
	fi
}

new_demo() {
	if [ -n "$DD_PG" ]; then
		local loc schema
		loc=$("$DD" dd_pg_location "$DB")
		schema=${loc##*%3D}
		psql "$loc" -qAtX -c "DROP SCHEMA $schema CASCADE; CREATE SCHEMA $schema" >/dev/null 2>&1
	else
		rm -f "$DB" "$DB-wal" "$DB-shm"
	fi
	dk init --demo >/dev/null || { echo "Bail out! init --demo failed"; exit 1; }
}
new_demo

# ---------------------------------------------------------------- French

# french: succeeds when the screens can run in French here (the
# fr_FR.UTF-8 locale, and the catalogue built in BUILD-DIR, the script's
# second argument); start_app "${FR[@]}" ... runs them so.
BUILDDIR=${2:-}
FR=(-e LANG=fr_FR.UTF-8 -e LC_ALL=fr_FR.UTF-8 -e DEPLOYDESK_LOCALEDIR="$BUILDDIR/po")
french() {
	[ -n "$BUILDDIR" ] && [ -f "$BUILDDIR/po/fr/LC_MESSAGES/deploydesk.mo" ] &&
		locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'
}

# ---------------------------------------------------------------- tmux

APP_W=80
APP_H=24

# start_app [-s WxH] [-e VAR=VALUE]... [-t OFFSET] [-n] [-P] [ARG...]: a
# new session "app" (any previous one is killed) running the screens on $DB
# (with -n, without --db: for --demo's throw-away database) on project ERP
# (with -P, or when ARG names --project or --demo: as the program would
# open without it, the picker or "À traiter" first), with -t under
# faketime -f OFFSET (a test clock: "+4d"; see has_faketime; the pane's
# pid is then faketime's). The pane stays after the program ends
# (remain-on-exit), to read its exit status and screen.
start_app() {
	local size=80x24 envs=() db=(--db "$DB") project=(--project ERP) clock=()
	while [ $# -gt 0 ]; do
		case $1 in
		-s) size=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		-t) clock=(faketime -f "$2")
		    envs+=("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
		    shift 2 ;;
		-n) db=(); shift ;;
		-P) project=(); shift ;;
		*) break ;;
		esac
	done
	case " $* " in
	*" --project "* | *" --demo "* | *" --project="*) project=() ;;
	esac
	[ ${#db[@]} -eq 0 ] && project=()
	APP_W=${size%x*}
	APP_H=${size#*x}
	T kill-session -t app >/dev/null 2>&1
	# One command list: remain-on-exit is set before the server can see
	# the program end, however fast that is. Several arguments: run
	# without a shell, so that the pane's pid is the program's.
	T new-session -d -s app -x "$APP_W" -y "$APP_H" \
		env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		TZ=UTC ESCDELAY=25 "${envs[@]}" "${clock[@]}" "$DD" "${db[@]}" "$@" \
		"${project[@]}" \; \
		set-option -t app remain-on-exit on
}

# has_faketime: whether start_app -t can move the program's clock.
has_faketime() {
	command -v faketime >/dev/null
}

stop_app() {
	T kill-session -t app >/dev/null 2>&1
	return 0
}

screen() {
	T capture-pane -p -t app
}

screen_e() {
	T capture-pane -e -p -t app
}

# pane FORMAT: a tmux format for the app's pane (#{pane_dead}, ...).
pane() {
	T display-message -p -t app "$1"
}

keys() {
	T send-keys -t app "$@"
}

type_text() {
	T send-keys -t app -l -- "$1"
}

# show_screen [WHY]: the screen on standard error, for a failed wait.
show_screen() {
	{
		[ -n "${1:-}" ] && echo "# $1"
		echo "# ---- screen (${APP_W}x${APP_H}) ----"
		screen | sed 's/^/# |/'
		echo "# ----"
	} >&2
}

# wait_for ERE [SECONDS]: polls the screen every 50 ms until it matches.
# On timeout, prints the screen on standard error and fails.
wait_for() {
	local re=$1 end=$((SECONDS + ${2:-10}))
	until screen | grep -Eq -- "$re"; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for /$re/"
			return 1
		fi
		nap
	done
}

# wait_for_i ERE [SECONDS]: wait_for, ignoring case (a message of the core
# starts in lower case on the command line, as a sentence in the footer).
wait_for_i() {
	local re=$1 end=$((SECONDS + ${2:-10}))
	until screen | grep -Eiq -- "$re"; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for /$re/i"
			return 1
		fi
		nap
	done
}

# wait_gone ERE [SECONDS]: until the screen no longer matches.
wait_gone() {
	local re=$1 end=$((SECONDS + ${2:-10}))
	while screen | grep -Eq -- "$re"; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for /$re/ to go"
			return 1
		fi
		nap
	done
}

# wait_change: until the screen, attributes included (a moved selection
# changes only those), differs from $LAST_SCREEN (set by mark_screen).
mark_screen() {
	LAST_SCREEN=$(screen_e)
}
wait_change() {
	local end=$((SECONDS + ${1:-10}))
	while [ "$(screen_e)" == "$LAST_SCREEN" ]; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for the screen to change"
			return 1
		fi
		nap
	done
}

# wait_pane FORMAT VALUE [SECONDS]: until a pane format has that value.
wait_pane() {
	local end=$((SECONDS + ${3:-10}))
	until [ "$(pane "$1")" == "$2" ]; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for $1 = $2 (is $(pane "$1"))"
			return 1
		fi
		nap
	done
}

# wait_dead [SECONDS]: until the program has ended and tmux has its exit
# status (or signal). The pane is marked dead when its terminal closes,
# which may come before the status; and tmux built with libutempter can
# miss the SIGCHLD of a child that ends while utempter's own handler is in
# (tmux/tmux#311): the child then stays a zombie and the status never
# comes. Sending the server a SIGCHLD makes it reap it.
wait_dead() {
	local end=$((SECONDS + ${1:-10})) st
	while :; do
		st=$(pane '#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}')
		[[ $st =~ ^1:[0-9]+$ ]] && return 0
		[[ $st == 1: ]] && kill -CHLD "$(T display-message -p '#{pid}')" 2>/dev/null
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for the program to end ($(pane '#{pane_dead}:#{pane_dead_status}#{pane_dead_signal}'))"
			return 1
		fi
		nap
	done
}

# The main screen is up, with its history.
wait_main() {
	wait_for '^Deployment history' "${1:-10}" && wait_for '^Version +Env +Status' 5
}

# line N: line N (0-based) of the screen.
line() {
	screen | sed -n "$(($1 + 1))p"
}

# wait_line N ERE [SECONDS]: until line N (0-based) matches: what follows a
# key is painted when the program has read it, which a slow (sanitized)
# build may not have done yet.
wait_line() {
	local n=$1 re=$2 end=$((SECONDS + ${3:-5}))
	until line "$n" | grep -Eq -- "$re"; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for line $n to match /$re/"
			return 1
		fi
		nap
	done
}

# focused LABEL: the button drawn in reverse video is [ LABEL ].
focused() {
	screen_e | grep -q "7m\[ $1 \]"
}
wait_for_focus() {
	local end=$((SECONDS + 5))
	until focused "$1"; do
		((SECONDS >= end)) && return 1
		nap
	done
}

# The footer's message line (the line above the keys).
message_line() {
	line $((APP_H - 2))
}

# screen_stats: the statistics panel as "total succeeded failed planned
# in_progress rate", read from the screen.
screen_stats() {
	screen | py -c '
import re, sys
lines = sys.stdin.read().split("\n")
for i, l in enumerate(lines):
    if "Total" in l and "Success rate" in l:
        cells = [c.strip() for c in lines[i + 1].strip("│ ").split("│")]
        rate = cells[5].replace("%", "").strip()
        print(" ".join(cells[:5] + [rate]))
        break
else:
    print("no statistics panel")'
}

# wait_stats "T S F P I R" [SECONDS]: until the panel shows these figures.
wait_stats() {
	local end=$((SECONDS + ${2:-10}))
	until [ "$(screen_stats)" == "$1" ]; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for the statistics $1 (got $(screen_stats))"
			return 1
		fi
		nap
	done
}

# REVERSE_PY: Python reading a capture with its escapes (screen_e) into
# lines, each as (text, columns drawn in reverse video). Attributes carry
# over from line to line in a capture.
REVERSE_PY='
import re, sys
tok = re.compile(r"\x1b\[([0-9;:]*)m|\x1b(?:\[[0-9;:?]*[A-Za-z]|\][^\x07]*\x07|[()][A-Za-z0-9]|.)|([^\x1b])", re.S)
def reverse_lines(capture):
    rev = False
    for line in capture.split("\n"):
        text, cols = [], []
        for m in tok.finditer(line):
            if m.group(2) is not None:
                if rev:
                    cols.append(len(text))
                text.append(m.group(2))
            elif m.group(1) is not None:
                ps = re.split("[;:]", m.group(1))
                i = 0
                while i < len(ps):
                    p = ps[i] or "0"
                    if p in ("38", "48", "58"):
                        i += 3 if i + 1 < len(ps) and ps[i + 1] == "5" else 5
                        continue
                    if p == "0": rev = False
                    elif p == "7": rev = True
                    elif p == "27": rev = False
                    i += 1
        yield "".join(text), cols
'

# selected_rows: the lines of the screen shown in reverse video from their
# first character (the selected row; the footer's keys line is left out),
# as plain text.
selected_rows() {
	screen_e | py -c "$REVERSE_PY"'
H = int(sys.argv[1])
for n, (text, cols) in enumerate(reverse_lines(sys.stdin.read())):
    if n >= H - 1:
        break
    t = text.rstrip()
    if cols[:1] == [0] and t:
        print("%d:%s" % (n, t))
' "$APP_H"
}

# reverse_span VERSION: which columns of the row of VERSION are drawn in
# reverse video: "whole row" (to its last character: a capture leaves out
# the blanks that end a line), "none", or "first-last of 0-end".
reverse_span() {
	screen_e | py -c "$REVERSE_PY"'
for text, cols in reverse_lines(sys.stdin.read()):
    if text.startswith(sys.argv[1] + " "):
        end = len(text.rstrip()) - 1
        if cols[:end + 1] == list(range(0, end + 1)):
            print("whole row")
        else:
            print("%d-%d of 0-%d" % (cols[0], cols[-1], end) if cols else "none")
        break
' "$1"
}

# colour_sgrs: the colour settings (foreground or background, 8, 16, 256
# or direct colours) in the screen's SGR sequences, one per line; the
# resets to the default colours (39, 49) are not colours.
colour_sgrs() {
	screen_e | py -c '
import re, sys
for m in re.finditer(r"\x1b\[([0-9;:]*)m", sys.stdin.read()):
    ps = re.split("[;:]", m.group(1))
    i = 0
    while i < len(ps):
        p = int(ps[i] or 0)
        if p in (38, 48, 58):
            n = 3 if i + 1 < len(ps) and ps[i + 1] == "5" else 5
            print(";".join(ps[i:i + n]))
            i += n
            continue
        if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
            print(p)
        i += 1
'
}

# selected_version: the version in the selected row of the history.
selected_version() {
	selected_rows | sed -n 's/^[0-9]*:\([^ ]*\).*/\1/p' | head -1
}

# wait_selected VERSION [SECONDS]
wait_selected() {
	local end=$((SECONDS + ${2:-10}))
	until [ "$(selected_version)" == "$1" ]; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for $1 to be selected (is '$(selected_version)')"
			return 1
		fi
		nap
	done
}

# select_version VERSION: moves the selection (Down from the top) onto the
# row of VERSION, which must be on the first page.
select_version() {
	local i
	keys Home
	wait_for_selected_top || return 1
	for ((i = 0; i < 20; i++)); do
		[ "$(selected_version)" == "$1" ] && return 0
		mark_screen
		keys Down
		wait_change 5 || return 1
	done
	show_screen "no row $1 to select"
	return 1
}
wait_for_selected_top() {
	local first i
	# The table may be between two frames (its rows not drawn yet): its
	# first row is read once it is there.
	for ((i = 0; i < 50; i++)); do
		first=$(screen | awk '/^Version +Env +(Status|Statut)/ { getline; print $1; exit }')
		[ -n "$first" ] && break
		sleep 0.1
	done
	wait_selected "$first" 5
}

# choose FIELD_ERE CHOICE_ERE: in a form, presses Right on the focused
# choice field until the line matching FIELD_ERE shows CHOICE_ERE.
choose() {
	local i
	for ((i = 0; i < 12; i++)); do
		screen | grep -E -- "$1" | grep -Eq -- "$2" && return 0
		mark_screen
		keys Right
		wait_change 5 || return 1
	done
	show_screen "no choice /$2/ in /$1/"
	return 1
}
