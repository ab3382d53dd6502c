#!/bin/bash
# SPDX-License-Identifier: MIT
# The database file: missing, not a database, another application's,
# already there for init, locked by another process, read-only.
# Usage: test-storage.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

sum() { sha256sum "$1" | cut -d' ' -f1; }
# The files of a directory, one per line.
files_in() { ls -A "$1"; }

# storage_error DESC ERE FILE COMMAND...: exit 1, one line on stderr
# matching ERE, nothing on stdout, FILE byte for byte unchanged, and no file
# appears next to it.
storage_error() {
	local desc=$1 re=$2 file=$3 before listing
	shift 3
	before=$(sum "$file")
	listing=$(files_in "$(dirname "$file")")
	run "$@"
	rc_is 1 "$desc: exit 1"
	if err_one_line && [ ! -s "$WORK/.out" ] && matches_i "$ERR" "$re"; then
		pass "$desc: one line on stderr, matching /$re/"
	else
		fail "$desc: one line on stderr, matching /$re/" "$(run_diag)"
	fi
	is "$(sum "$file")" "$before" "$desc: the file is unchanged"
	is "$(files_in "$(dirname "$file")")" "$listing" "$desc: no file created next to it"
}

# ---------------------------------------------------------------- missing

mkdir "$WORK/missing"
DB=$WORK/missing/none.db
for cmd in "deploy list ERP" "user add someone --name Someone" "audit verify"; do
	# shellcheck disable=SC2086
	run dk $cmd
	rc_is 1 "missing database, $cmd: exit 1"
	if err_one_line && matches_i "$ERR" 'does not exist' && [ ! -s "$WORK/.out" ]; then
		pass "missing database, $cmd: one line saying it does not exist"
	else
		fail "missing database, $cmd: one line saying it does not exist" "$(run_diag)"
	fi
	is "$(files_in "$WORK/missing")" "" "missing database, $cmd: no file created"
done
DB=$WORK/missing/sub/dir/none.db
run dk deploy list ERP
rc_is 1 "database in a directory that does not exist: exit 1"
check "... and the directory is not created" test ! -e "$WORK/missing/sub"
run env DEPLOYDESK_DB="$WORK/missing/env.db" "$DD" stats ERP
is "$RC:$(files_in "$WORK/missing")" "1:" "missing \$DEPLOYDESK_DB: exit 1, no file created"

# ---------------------------------------------------------------- not a
# database

mkdir "$WORK/junk"
head -c 8192 /dev/urandom >"$WORK/junk/random.db"
DB=$WORK/junk/random.db
storage_error "random bytes, deploy list" 'not a deploydesk database|damaged' "$DB" dk deploy list ERP
storage_error "random bytes, user add" 'not a deploydesk database|damaged' "$DB" dk user add someone --name Someone

: >"$WORK/junk/empty.db"
DB=$WORK/junk/empty.db
storage_error "an empty file, deploy list" 'not a deploydesk database|damaged|empty' "$DB" dk deploy list ERP
storage_error "an empty file, user add" 'not a deploydesk database|damaged|empty' "$DB" dk user add someone --name Someone
is "$(stat -c %s "$DB")" 0 "the empty file is still empty"

printf 'SQLite format 3\000' >"$WORK/junk/header-only.db"
head -c 200 /dev/urandom >>"$WORK/junk/header-only.db"
DB=$WORK/junk/header-only.db
storage_error "a SQLite header and garbage" 'not a deploydesk database|damaged' "$DB" dk deploy list ERP

mkdir "$WORK/other"
DB=$WORK/other/app.db
sqlite3 "$DB" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
	INSERT INTO notes (body) VALUES ('hello'), ('world');"
DUMP_OTHER=$(dump_db "$DB")
storage_error "another application's SQLite database, deploy list" 'not a deploydesk database' "$DB" dk deploy list ERP
storage_error "another application's SQLite database, user add" 'not a deploydesk database' "$DB" dk user add someone --name Someone
storage_error "another application's SQLite database, audit verify" 'not a deploydesk database' "$DB" dk audit verify
is "$(dump_db "$DB")" "$DUMP_OTHER" "the other application's data is intact"

mkdir "$WORK/adir.db"
DB=$WORK/adir.db
run dk deploy list ERP
is "$RC:$OUT" "1:" "a directory as the database: exit 1"
check "... with one line on stderr" err_one_line

# ---------------------------------------------------------------- init on
# an existing path

mkdir "$WORK/init"
GOOD=$WORK/init/good.db
expect_ok "init --demo" "$DD" --db "$GOOD" init --demo
for f in "$GOOD" "$WORK/junk/random.db" "$WORK/junk/empty.db" "$WORK/other/app.db"; do
	before=$(sum "$f")
	for mode in "" --sandbox --demo; do
		# shellcheck disable=SC2086
		run "$DD" --db "$f" init $mode
		is "$RC" 2 "init $mode on the existing $(basename "$f"): exit 2"
		if err_one_line && matches_i "$ERR" 'exists'; then
			pass "init $mode on the existing $(basename "$f"): one line saying it exists"
		else
			fail "init $mode on the existing $(basename "$f"): one line saying it exists" "$(run_diag)"
		fi
		is "$(sum "$f")" "$before" "init $mode on the existing $(basename "$f"): file unchanged"
	done
done
ln -s "$GOOD" "$WORK/init/link.db"
run "$DD" --db "$WORK/init/link.db" init
isnt "$RC" 0 "init on a symbolic link is refused"
check "... and the link still points to the database" test -L "$WORK/init/link.db"
DB=$GOOD
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "the database init was refused on is intact"

# ---------------------------------------------------------------- empty,
# blank and special paths: refused, or taken as the file they name (never a
# database SQLite keeps in memory and drops on exit)

mkdir "$WORK/names"
cd "$WORK/names" || exit 1
for form in '--db=' '--db ' '--db    ' $'--db \t'; do
	# "--db=" and "--db" followed by an empty or blank argument
	if [ "$form" = '--db=' ]; then
		run "$DD" --db= init
	else
		run "$DD" --db "${form#--db }" init
	fi
	desc="init $(printf '%q' "$form")"
	rc_is 2 "$desc: exit 2 (usage)"
	if err_one_line && [ ! -s "$WORK/.out" ] && matches_i "$ERR" "^deploydesk: --db: .*empty"; then
		pass "$desc: one line naming --db and saying the path is empty"
	else
		fail "$desc: one line naming --db and saying the path is empty" "$(run_diag)"
	fi
	is "$(files_in .)" "" "$desc: nothing created"
done
run env DEPLOYDESK_DB='   ' "$DD" init
rc_is 2 "DEPLOYDESK_DB of blanks: exit 2 (usage)"
if err_one_line && matches_i "$ERR" 'DEPLOYDESK_DB.*blank'; then
	pass "DEPLOYDESK_DB of blanks: one line naming DEPLOYDESK_DB"
else
	fail "DEPLOYDESK_DB of blanks: one line naming DEPLOYDESK_DB" "$(run_diag)"
fi
is "$(files_in .)" "" "DEPLOYDESK_DB of blanks: nothing created"
for name in ':memory:' 'file:uri.db?mode=memory'; do
	run "$DD" --db "$name" init
	rc_is 0 "init --db '$name' (a relative file name): exit 0"
	check "... creates the file '$name' in the current directory" test -s "./$name"
	run "$DD" --db "$name" --format json user list
	is "$RC:$(jget 0.admin)" "0:true" "... a database that keeps its first admin once the program ended"
done
cd "$WORK" || exit 1

# ---------------------------------------------------------------- the
# database named by $DEPLOYDESK_DB, else the XDG data directory

run env DEPLOYDESK_DB="$GOOD" "$DD" --format json stats ERP
is "$RC:$(jget total)" "0:4" "\$DEPLOYDESK_DB names the database"
mkdir "$WORK/home"
run env -u DEPLOYDESK_DB -u XDG_DATA_HOME HOME="$WORK/home" "$DD" init
rc_is 0 "init with neither --db nor \$DEPLOYDESK_DB"
check "... creates ~/.local/share/deploydesk/deploydesk.db" test -f "$WORK/home/.local/share/deploydesk/deploydesk.db"
is "$(stat -c %a "$WORK/home/.local/share/deploydesk")" 700 "... in a directory only its owner can enter"
run env -u DEPLOYDESK_DB HOME="$WORK/home" XDG_DATA_HOME="$WORK/xdg" "$DD" init --sandbox
rc_is 0 "init with \$XDG_DATA_HOME"
check "... creates \$XDG_DATA_HOME/deploydesk/deploydesk.db" test -f "$WORK/xdg/deploydesk/deploydesk.db"

# ---------------------------------------------------------------- counts
# edited in the file: the statistics are shown as stored, never a crash

mkdir "$WORK/counts"
DB=$WORK/counts/demo.db
expect_ok "init --demo (for edited counts)" "$DD" --db "$DB" init --demo
MIN=-9223372036854775808
MAX=9223372036854775807
# set_counts SUCCEEDED FAILED PLANNED IN_PROGRESS: the project's four rows
# of deploy_counts, past the table's CHECK (n >= 0)
set_counts() {
	sqlite3 "$DB" "PRAGMA ignore_check_constraints = ON;
		UPDATE deploy_counts SET n = $1 WHERE status = 'TERMINEE';
		UPDATE deploy_counts SET n = $2 WHERE status = 'ECHEC';
		UPDATE deploy_counts SET n = $3 WHERE status = 'A_FAIRE';
		UPDATE deploy_counts SET n = $4 WHERE status = 'EN_COURS';"
}
# json_stats: the last run's stats JSON as "total succeeded failed planned
# in_progress rate" (integers exact, the rate with two decimals), or why not
json_stats() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
r = d["success_rate"]
assert all(type(d[k]) is int for k in ("total", "succeeded", "failed", "planned", "in_progress")), d
assert type(r) in (int, float), r
print(d["total"], d["succeeded"], d["failed"], d["planned"], d["in_progress"], "%.2f" % r)' "$WORK/.out" 2>&1 | tail -1
}
# stats_shown DESC "S F P I" "T S F P I RATE": with those four values
# stored, stats ERP exits 0 in each format and shows the counts as read,
# their total and the rate
stats_shown() {
	local desc=$1 want=$3 t s f p i r
	# shellcheck disable=SC2086
	set_counts $2
	read -r t s f p i r <<<"$want"
	run dk stats ERP
	if [ "$RC" -eq 0 ] && [ "$OUT" = "Total:           $t
Succeeded:       $s
Failed:          $f
Planned:         $p
In progress:     $i
Success rate:    $(printf '%.1f' "$r") %
Cancelled:       0
Refused:         0" ]; then
		pass "$desc: stats (table) exits 0 with the counts"
	else
		fail "$desc: stats (table) exits 0 with the counts" "$(run_diag)"
	fi
	run dk --format json stats ERP
	is "$RC $(json_stats)" "0 $want" "$desc: stats --format json"
	run dk --format csv stats ERP
	is "$RC ${OUT##*$'\n'}" "0 ${want// /,},0,0"$'\r' "$desc: stats --format csv (none cancelled or refused)"
}
stats_shown "counts as kept" "2 1 1 0" "4 2 1 1 0 50.00"
stats_shown "total 0 with nonzero parts" "5 -5 0 0" "0 5 -5 0 0 0.00"
stats_shown "negative counts" "-3 1 0 0" "-2 -3 1 0 0 150.00"
stats_shown "INT64_MIN succeeded" "$MIN 0 0 0" "$MIN $MIN 0 0 0 100.00"
stats_shown "INT64_MIN and -1: the total held at INT64_MIN" "$MIN -1 0 0" "$MIN $MIN -1 0 0 100.00"
stats_shown "INT64_MIN total and 1: no INT64_MIN / -1" "-1 $MIN 1 0" "$MIN -1 $MIN 1 0 0.00"
stats_shown "INT64_MAX and 1: the total held at INT64_MAX" "$MAX 1 0 0" "$MAX $MAX 1 0 0 100.00"
stats_shown "INT64_MAX every count: the total held at INT64_MAX" "$MAX $MAX $MAX $MAX" "$MAX $MAX $MAX $MAX $MAX 100.00"
stats_shown "a total of 1 from huge counts: a huge rate" "$MAX -$((MAX - 1)) 0 0" \
	"1 $MAX -$((MAX - 1)) 0 0 922337203685477580800.00"
stats_shown "counts stored as text, a real and a blob" "'abc' 1e300 x'00' '7'" "$MAX 0 $MAX 0 7 0.00"
sqlite3 "$DB" "PRAGMA ignore_check_constraints = ON;
	INSERT INTO deploy_counts (stage_id, status, n)
	SELECT stage_id, 'BOGUS', 5 FROM deploy_counts WHERE status = 'ECHEC'"
stats_shown "a row of an unknown status counts in the total" "1 1 0 0" "7 1 1 0 0 14.29"
run env LC_ALL=fr_FR.UTF-8 DEPLOYDESK_LOCALEDIR=/nonexistent "$DD" --db "$DB" --format json stats ERP
is "$RC $(json_stats)" "0 7 1 1 0 0 14.29" "in a locale with a decimal comma, JSON keeps a dot"

# ---------------------------------------------------------------- locked

mkdir "$WORK/lock"
DB=$WORK/lock/locked.db
expect_ok "init --demo (for the lock)" "$DD" --db "$DB" init --demo
ID=$(deploy_ids ERP | head -1)
run dk --format json deploy show "$ID"
is "$(jget authorized_by)" null "the deployment to authorize is not authorized yet"
DUMP_LOCK=$WORK/lock.dump
dump_db "$DB" >"$DUMP_LOCK"

# Another process takes the write lock and keeps it 8 seconds.
"$PY" - "$DB" "$WORK/lock/ready" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(8)
c.execute("ROLLBACK")
EOF
HOLDER=$!
BG_PIDS+=("$HOLDER")
for _ in $(seq 100); do
	[ -e "$WORK/lock/ready" ] && break
	sleep 0.05
done
check "another process holds the write lock" test -e "$WORK/lock/ready"

# A read, an authorize and a user add while the lock is held; the two
# writes run side by side to keep the test short.
(
	start=$EPOCHREALTIME
	"$DD" --db "$DB" --as mmartin deploy authorize "$ID" >"$WORK/lock/a.out" 2>"$WORK/lock/a.err"
	echo "$? $start $EPOCHREALTIME" >"$WORK/lock/a.rc"
) &
WRITER1=$!
(
	"$DD" --db "$DB" user add latecomer --name "Late Comer" >"$WORK/lock/u.out" 2>"$WORK/lock/u.err"
	echo "$?" >"$WORK/lock/u.rc"
) &
WRITER2=$!
run dk --format json deploy list ERP
is "$RC:$(jget 0.id)" "0:$ID" "a read works while another process holds the write lock"
wait "$WRITER1" "$WRITER2"
read -r a_rc a_start a_end <"$WORK/lock/a.rc"
is "$a_rc" 1 "deploy authorize while the database is locked: exit 1"
RC=$a_rc
RAW_ERR=$(cat "$WORK/lock/a.err"; echo x)
RAW_ERR=${RAW_ERR%x}
ERR=$RAW_ERR
if err_one_line && matches_i "$ERR" 'locked' && [ ! -s "$WORK/lock/a.out" ]; then
	pass "deploy authorize while locked: one line saying the database is locked"
else
	fail "deploy authorize while locked: one line saying the database is locked" "stderr: $ERR"
fi
waited=$(awk -v a="$a_start" -v b="$a_end" 'BEGIN { printf "%.1f", b - a }')
check "deploy authorize waited for the lock about 5 s before giving up ($waited s)" \
	awk -v w="$waited" 'BEGIN { exit !(w >= 4.5 && w < 7.9) }'
is "$(cat "$WORK/lock/u.rc")" 1 "user add while the database is locked: exit 1"
check "user add while locked: the message says locked" grep -qi locked "$WORK/lock/u.err"
dump_db "$DB" >"$WORK/lock.after"
if cmp -s "$DUMP_LOCK" "$WORK/lock.after"; then
	pass "nothing changed while the database was locked"
else
	fail "nothing changed while the database was locked" "$(diff "$DUMP_LOCK" "$WORK/lock.after" | head)"
fi
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
expect_ok "once the lock is released, the authorization goes through" dk --as mmartin deploy authorize "$ID"
run dk --format json deploy show "$ID"
is "$(jget authorized_by)" mmartin "... and is recorded"

# ---------------------------------------------------------------- read-only
# (root ignores file permissions: run as nobody)

if ! id nobody >/dev/null 2>&1; then
	skip "no nobody user"
elif ! command -v setpriv >/dev/null; then
	skip "no setpriv"
elif [ "$(id -u)" -ne 0 ]; then
	skip "not root: cannot run as nobody"
else
	NOGROUP=$(id -gn nobody)
	as_nobody() {
		setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups "$@"
	}
	RO=$WORK/ro
	mkdir "$RO"
	DB=$RO/shared.db
	expect_ok "init --demo (for read-only)" "$DD" --db "$DB" init --demo
	expect_ok "user add nobody --admin" dk user add nobody --name Nobody --admin
	chmod 755 "$RO"
	chmod 644 "$DB"
	rm -f "$DB-wal" "$DB-shm"
	if ! as_nobody test -x "$DD"; then
		skip "nobody cannot run $DD"
	else
		check "nobody can read the file but not write it, nor its directory" \
			as_nobody sh -c "test -r '$DB' && ! test -w '$DB' && ! test -w '$RO'"
		before_sum=$(sum "$DB")
		before_dump=$(dump_db "$DB")
		listing=$(files_in "$RO")

		run as_nobody "$DD" --db "$DB" --format json deploy list ERP
		if [ "$RC" -eq 0 ]; then
			is "$(jget 0.version)" v1.2.0 "read-only: deploy list works"
		else
			is "$RC" 1 "read-only: deploy list gives a storage error (exit 1)"
			if err_one_line && matches_i "$ERR" 'read-only|cannot|permission'; then
				pass "read-only: deploy list says why in one line ($ERR)"
			else
				fail "read-only: deploy list says why in one line" "$(run_diag)"
			fi
		fi

		for cmd in "user add zed --name Zed" "deploy authorize $(deploy_ids ERP | head -1)" "stage set ERP TESTS EN_COURS"; do
			what=$(cut -d' ' -f1-2 <<<"$cmd")
			# shellcheck disable=SC2086
			run as_nobody "$DD" --db "$DB" $cmd
			rc_is 1 "read-only: $what: exit 1"
			if err_one_line && matches_i "$ERR" 'read-only' && [ ! -s "$WORK/.out" ]; then
				pass "read-only: $what: one line saying read-only"
			else
				fail "read-only: $what: one line saying read-only" "$(run_diag)"
			fi
		done
		is "$(sum "$DB")" "$before_sum" "read-only: the file is byte for byte unchanged"
		is "$(files_in "$RO")" "$listing" "read-only: no file created in the directory"
		is "$(dump_db "$DB")" "$before_dump" "read-only: the data is unchanged"
	fi
fi

done_testing
