# SPDX-License-Identifier: MIT
# Shared helpers for the command-line tests: TAP output, running the
# program with its exit status, standard output and standard error captured,
# and database snapshots for "nothing changed" checks.
#
# A test script starts with:
#     . "$(dirname "$0")/lib.sh" "$@"
# and gets:
#     DD      the deploydesk binary (absolute path), from $1
#     SRCDIR  the source tree (for data/migrations), from $2 or guessed
#     WORK    its own temporary directory, removed on exit
# and ends with `done_testing`.

export LC_ALL=C.UTF-8 TZ=UTC
unset DEPLOYDESK_DB XDG_DATA_HOME LANGUAGE LANG

if [ -z "${1:-}" ]; then
	echo "Bail out! usage: $0 PATH-TO-deploydesk [SOURCE-DIR]"
	exit 1
fi
DD_GIVEN=$1
if [ ! -x "$DD_GIVEN" ]; then
	echo "Bail out! $DD_GIVEN is not an executable"
	exit 1
fi
SRCDIR=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
for tool in sqlite3 python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "Bail out! $tool is needed"
		exit 1
	fi
done
# The interpreter itself, not a wrapper script (pyenv's shims cost 300 ms a
# call).
PY=$(python3 -c 'import sys; print(sys.executable)')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/deploydesk-cli.XXXXXX") || exit 1
chmod 755 "$WORK"
BG_PIDS=()
cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "${DD_PG:-}" ] && pg_cleanup
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary, so that a rebuild in the tree while the
# tests run does not make a command fail with "Permission denied".
DD=$WORK/deploydesk
cp "$DD_GIVEN" "$DD" || { echo "Bail out! cannot copy $DD_GIVEN"; exit 1; }
chmod 755 "$DD"

# The same suite on PostgreSQL (meson's cli-pg-*: DEPLOYDESK_TEST_CLI_PG
# set, DEPLOYDESK_TEST_PG naming the server): each database file becomes a
# schema there (pg-wrap.sh), dropped on exit; dump_db reads the schema.
DD_PG=
if [ -n "${DEPLOYDESK_TEST_CLI_PG:-}" ]; then
	if [ -z "${DEPLOYDESK_TEST_PG:-}" ]; then
		echo "1..0 # SKIP DEPLOYDESK_TEST_PG is not set (tests/pg/cluster.sh starts a server)"
		rm -rf "$WORK"
		exit 0
	fi
	if ! command -v psql >/dev/null; then
		echo "1..0 # SKIP psql is needed to make the suite's schemas"
		rm -rf "$WORK"
		exit 0
	fi
	DD_PG=1
	export DD_PG_REAL=$WORK/deploydesk.bin DD_PG_SCHEMAS=$WORK/.pg-schemas
	mv "$DD" "$DD_PG_REAL"
	cp "$(dirname "${BASH_SOURCE[0]}")/pg-wrap.sh" "$DD"
	chmod 755 "$DD"
	: >"$DD_PG_SCHEMAS"
	printf '%s\n' "$DEPLOYDESK_TEST_PG" >"$WORK/.pg-server"
	pg_cleanup() {
		local s
		while read -r s; do
			psql "$DEPLOYDESK_TEST_PG" -qAtX -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1
		done <"$DD_PG_SCHEMAS"
	}
fi

UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'

# ---------------------------------------------------------------- TAP

# shellcheck source=../tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

skip() {
	T_N=$((T_N + 1))
	printf 'ok %d - # SKIP %s\n' "$T_N" "$1"
}

# check DESC COMMAND...: passes when COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc" "failed: $*"; fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" == "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected: $(printf '%q' "$2")" "got:      $(printf '%q' "$1")"
	fi
}

# isnt GOT UNEXPECTED DESC
isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3" "did not expect: $(printf '%q' "$2")"
	fi
}

# like GOT ERE DESC
like() {
	if [[ $1 =~ $2 ]]; then
		pass "$3"
	else
		fail "$3" "expected to match: $2" "got: $(printf '%q' "$1")"
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

# ---------------------------------------------------------------- running

SYSLOG_NOTE_TEXT="deploydesk: note: this host has no syslog socket"

# run COMMAND...: runs it (standard input is the caller's), and sets
# RC (exit status), OUT and ERR (the outputs, trailing newlines removed);
# the exact bytes are in $WORK/.out and $WORK/.err.
run() {
	"$@" >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	slurp OUT "$WORK/.out"
	slurp ERR "$WORK/.err"
	# On a host without a syslog socket, init and audit verify say so on
	# a line of their own (test-audit.sh checks it); the other checks
	# look at the rest.
	SYSLOG_NOTE=0
	if [[ $ERR == *"$SYSLOG_NOTE_TEXT"* ]]; then
		SYSLOG_NOTE=1
		grep -v -F "$SYSLOG_NOTE_TEXT" "$WORK/.err" >"$WORK/.err2"
		mv "$WORK/.err2" "$WORK/.err"
		slurp ERR "$WORK/.err"
	fi
	RAW_ERR=$SLURPED
	OUT=${OUT%"${OUT##*[!$'\n']}"}
	ERR=${ERR%"${ERR##*[!$'\n']}"}
	return 0
}

# slurp VAR FILE: the file's whole text (up to a NUL byte) into VAR, and
# into SLURPED, without a subprocess.
slurp() {
	SLURPED=
	IFS= read -r -d '' SLURPED <"$2"
	printf -v "$1" '%s' "$SLURPED"
}

# dk ARG...: the program on the current database $DB.
dk() {
	"$DD" --db "$DB" "$@"
}

# The run's diagnostics, for a failed check.
run_diag() {
	printf 'exit %s\n' "$RC"
	printf 'stdout: %s\n' "$(head -c 2000 "$WORK/.out")"
	printf 'stderr: %s\n' "$(head -c 2000 "$WORK/.err")"
}

# True when the last run's standard error is exactly one non-empty line.
err_one_line() {
	local body=${RAW_ERR%$'\n'}
	[ -n "$body" ] && [ "$body" != "$RAW_ERR" ] && [[ $body != *$'\n'* ]]
}

# rc_is EXPECTED DESC: checks the last run's exit status.
rc_is() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2"
	else
		fail "$2" "expected exit $1" "$(run_diag)"
	fi
}

# expect_ok DESC COMMAND...: runs it; it must exit 0 with nothing on
# stderr but, for a change, the one line that says what it did (which
# never begins with "deploydesk:", as errors, warnings and notes do;
# test-cli-help.sh checks those lines' words).
expect_ok() {
	local desc=$1
	shift
	run "$@"
	if [ "$RC" -eq 0 ] && [[ $ERR != *$'\n'* && $ERR != deploydesk:* ]]; then
		pass "$desc"
	else
		fail "$desc" "expected exit 0 and no error on stderr" "$(run_diag)"
	fi
}

# on_sqlite: true unless the suite runs on PostgreSQL (DD_PG). The checks
# that edit a database file with sqlite3 (tampering, forged records) are
# SQLite's; on a server, the backend's and the core's suites tamper there.
on_sqlite() {
	[ -z "${DD_PG:-}" ]
}

# dbq SQL: a query on the current database $DB, by sqlite3 or, on
# PostgreSQL, by psql in its schema (SQL both engines read alike).
dbq() {
	if on_sqlite; then
		sqlite3 "$DB" "$1"
	else
		psql "$("$DD" dd_pg_location "$DB")" -qAtX -c "$1"
	fi
}

# db_remove PATH: the database at PATH gone (its file, or on PostgreSQL
# its schema made empty again).
db_remove() {
	if on_sqlite; then
		rm -f "$1"
	else
		local loc schema
		loc=$("$DD" dd_pg_location "$1")
		schema=${loc##*%3D}
		psql "$loc" -qAtX -c "DROP SCHEMA $schema CASCADE; CREATE SCHEMA $schema" >/dev/null 2>&1
	fi
}

# sqlite_tail DESC: on PostgreSQL, the rest of the suite edits the file
# with sqlite3: said skipped, and the suite ends there.
sqlite_tail() {
	on_sqlite && return 0
	skip "$1: SQLite's file, edited with sqlite3"
	done_testing
}

# The logical content of a database (schema and rows); on PostgreSQL,
# the rows of its schema's tables, each in a stable order.
dump_db() {
	if [ -n "${DD_PG:-}" ]; then
		local loc
		loc=$("$DD" dd_pg_location "$1")
		# shellcheck disable=SC2016
		printf '%s\n' "SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), %L)) FROM %I t', table_name, '', table_name) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name \\gexec" |
			psql "$loc" -qAtX 2>&1
		return
	fi
	sqlite3 "$1" .dump 2>&1
}

# matches_i TEXT ERE: case-insensitive match, without a subprocess.
matches_i() {
	local r
	shopt -s nocasematch
	[[ $1 =~ $2 ]]
	r=$?
	shopt -u nocasematch
	return $r
}

# refused CODE ERE DESC COMMAND...: runs a command that must be refused:
# exit CODE, one line on stderr matching ERE (case-insensitive), nothing on
# stdout, and the database $DB unchanged. Three checks.
refused() {
	local code=$1 re=$2 desc=$3
	shift 3
	dump_db "$DB" >"$WORK/.dump-before"
	run "$@"
	dump_db "$DB" >"$WORK/.dump-after"
	if [ "$RC" -eq "$code" ]; then
		pass "$desc: exit $code"
	else
		fail "$desc: exit $code" "$(run_diag)"
	fi
	if err_one_line && [ ! -s "$WORK/.out" ] && matches_i "$ERR" "$re"; then
		pass "$desc: one line on stderr, matching /$re/, nothing on stdout"
	else
		fail "$desc: one line on stderr, matching /$re/, nothing on stdout" "$(run_diag)"
	fi
	if cmp -s "$WORK/.dump-before" "$WORK/.dump-after"; then
		pass "$desc: database unchanged"
	else
		fail "$desc: database unchanged" \
			"$(diff "$WORK/.dump-before" "$WORK/.dump-after" | cut -c1-300 | head -20)"
	fi
}

# ---------------------------------------------------------------- JSON

# jget PATH [FILE]: a value of a JSON document (default: the last run's
# stdout). PATH is keys and list indexes separated by dots ("0.id").
# Strings print raw; anything else as JSON (null, true, 12); a key or index
# that is not there gives null, a document that is not JSON "<error>".
# jq when it is there (fast), else Python.
if command -v jq >/dev/null; then
	jget() {
		local IFS=. p path=
		for p in $1; do
			if [[ $p =~ ^[0-9]+$ ]]; then path+="[$p]"; else path+="[\"$p\"]"; fi
		done
		jq -r ".$path" "${2:-$WORK/.out}" 2>/dev/null || echo "<error>"
	}
else
	jget() {
		"$PY" - "$1" "${2:-$WORK/.out}" <<'EOF'
import json, sys
path, fname = sys.argv[1], sys.argv[2]
try:
    v = json.load(open(fname, encoding="utf-8"))
except Exception:
    print("<error>"); sys.exit(0)
try:
    for k in path.split(".") if path else []:
        v = v[int(k)] if isinstance(v, list) else v[k]
except (KeyError, IndexError, TypeError, ValueError):
    v = None
sys.stdout.write(v if isinstance(v, str) else json.dumps(v))
EOF
	}
fi

# jkeys [FILE]: the keys of a JSON object, one per line, in order.
jkeys() {
	"$PY" -c 'import json,sys
for k in json.load(open(sys.argv[1], encoding="utf-8")): print(k)' "${1:-$WORK/.out}" 2>&1
}

# json_valid [FILE]: true when the file is one JSON document.
json_valid() {
	"$PY" -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "${1:-$WORK/.out}" 2>/dev/null
}

# jis PATH FILE DESC: a JSON string of the last run's stdout equals the
# content of FILE exactly (trailing newlines included).
jis() {
	local got
	got=$("$PY" - "$1" "$2" "$WORK/.out" <<'EOF'
import json, sys
path, want_file, fname = sys.argv[1:4]
want = open(want_file, encoding="utf-8", newline="").read()
try:
    v = json.load(open(fname, encoding="utf-8"))
    for k in path.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
except Exception as e:
    print("error: %s" % e); sys.exit(0)
if v == want:
    print("ok")
else:
    print("expected %r" % want[:2000])
    print("got      %r" % (v[:2000] if isinstance(v, str) else v))
EOF
)
	if [ "$got" = ok ]; then pass "$3"; else fail "$3" "$got"; fi
}

# A project's deployment ids (newest planned first).
# later OFFSET ARG...: the program on $DB with its clock moved by OFFSET
# (faketime's "+2h", "+3d"): a test clock. A sanitized build accepts the
# library faketime preloads.
later() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		faketime -f "$1" "$DD" --db "$DB" "${@:2}"
}

# forge_record SEQ SQL: $WORK/forged.db, a copy of $DB where SQL changed
# the trail (its record SEQ, typically) as someone who can write the file
# would: the triggers that forbid it dropped and put back, the chain
# re-hashed from SEQ. Fails when either step does.
forge_record() {
	local triggers
	triggers=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
	cp "$DB" "$WORK/forged.db" &&
		sqlite3 "$WORK/forged.db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
			DROP TRIGGER audit_append_only; $2; $triggers" &&
		"$PY" "$SRCDIR/tests/ddaudit.py" rehash "$WORK/forged.db" "$1" >/dev/null
}

deploy_ids() {
	"$DD" --db "$DB" --format json deploy list "$1" |
		"$PY" -c 'import json,sys
sys.stdout.write("".join(d["id"] + "\n" for d in json.load(sys.stdin)))' 2>/dev/null
}
