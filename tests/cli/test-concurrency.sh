#!/bin/bash
# SPDX-License-Identifier: MIT
# Races: eight processes authorize, then execute, the same deployment at
# once. Exactly one wins; the others are refused by the workflow (exit 5),
# and the trail records one change.
# Usage: test-concurrency.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/race.db
ROUNDS=5
RACERS=8
expect_ok "init --demo" "$DD" --db "$DB" init --demo

# race NAME CMD-FOR-RACER...: starts one background process per command
# (each a string of arguments after --db), all released at once through a
# FIFO, and waits for them. Results in $WORK/NAME.I.{rc,out,err}.
race() {
	local name=$1 fifo=$WORK/$1.go i=0 pids=()
	shift
	mkfifo "$fifo"
	# Held open read-write here, so that the racers' opens do not block
	# and the start line waits in the pipe for late starters.
	exec 9<>"$fifo"
	for cmd in "$@"; do
		i=$((i + 1))
		(
			exec 9>&-
			IFS= read -r _ <"$fifo"
			# shellcheck disable=SC2086
			"$DD" --db "$DB" $cmd >"$WORK/$name.$i.out" 2>"$WORK/$name.$i.err"
			echo $? >"$WORK/$name.$i.rc"
		) &
		pids+=($!)
	done
	sleep 0.2
	local lines=
	for ((j = 0; j < i; j++)); do lines+=$'go\n'; done
	printf '%s' "$lines" >&9
	wait "${pids[@]}"
	exec 9>&-
	rm -f "$fifo"
}

# The sorted exit statuses of a race.
statuses() {
	local i s=()
	for ((i = 1; i <= RACERS; i++)); do
		s+=("$(cat "$WORK/$1.$i.rc" 2>/dev/null || echo none)")
	done
	printf '%s\n' "${s[@]}" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# The number of racers whose refusal was not exactly one line on stderr
# (with nothing on stdout).
bad_refusals() {
	local i n=0
	for ((i = 1; i <= RACERS; i++)); do
		[ "$(cat "$WORK/$1.$i.rc")" = 0 ] && continue
		slurp racer_err "$WORK/$1.$i.err"
		RAW_ERR=$SLURPED
		if ! err_one_line || [ -s "$WORK/$1.$i.out" ]; then
			n=$((n + 1))
			diag "racer $i: $(cat "$WORK/$1.$i.err")" >&2
		fi
	done
	echo "$n"
}

# The racer that won (exit 0).
winner() {
	local i
	for ((i = 1; i <= RACERS; i++)); do
		[ "$(cat "$WORK/$1.$i.rc")" = 0 ] && { echo "$i"; return; }
	done
	echo none
}

# audit_count ACTIONS ENTITY LOGIN: the audit records (audit list --format
# json) of one of ACTIONS ("a|b") on ENTITY, all and by LOGIN: "N M".
audit_count() {
	"$DD" --db "$DB" --format json audit list ERP >"$WORK/.audit"
	"$PY" - "$WORK/.audit" "$@" <<'EOF'
import json, sys
recs = json.load(open(sys.argv[1]))
actions, entity, login = sys.argv[2].split("|"), sys.argv[3], sys.argv[4]
mine = [r for r in recs if r["action"] in actions and r["entity_id"] == entity]
print(len(mine), sum(1 for r in mine if r["login"] == login))
EOF
}

LOSERS=$(printf '5 %.0s' $(seq $((RACERS - 1))) | sed 's/ $//')
SUCCEEDED=0
FAILED=0
for ((round = 1; round <= ROUNDS; round++)); do
	run dk --as mmartin deploy create ERP --version "race-$round" --env TEST \
		--description "Course $round" --responsible jdupont --date "2026-03-0$round 10:00"
	rc_is 0 "round $round: create a deployment as mmartin"
	ID=$OUT

	# -------------------------------------------------------- authorize
	cmds=()
	for ((i = 1; i <= RACERS; i++)); do cmds+=("--as mmartin deploy authorize $ID"); done
	race "auth$round" "${cmds[@]}"
	is "$(statuses "auth$round")" "0 $LOSERS" "round $round: $RACERS authorize at once: one exits 0, the others 5"
	is "$(bad_refusals "auth$round")" 0 "round $round: each refused authorize says why in one line"
	is "$(audit_count deploy.authorize "$ID" mmartin)" "1 1" "round $round: one deploy.authorize in the audit, by mmartin"
	run dk --format json deploy show "$ID"
	is "$(jget status):$(jget authorized_by)" "A_FAIRE:mmartin" "round $round: authorized once, still A_FAIRE"

	# -------------------------------------------------------- execute
	cmds=()
	for ((i = 1; i <= RACERS; i++)); do
		if ((i % 2)); then
			cmds+=("--as jdupont deploy succeed $ID --logs racer-$i-succeeded")
		else
			cmds+=("--as jdupont deploy fail $ID --logs racer-$i-failed")
		fi
	done
	race "exec$round" "${cmds[@]}"
	is "$(statuses "exec$round")" "0 $LOSERS" "round $round: 4 succeed and 4 fail at once: one exits 0, the others 5"
	is "$(bad_refusals "exec$round")" 0 "round $round: each refused execution says why in one line"
	w=$(winner "exec$round")
	run dk --format json deploy show "$ID"
	status=$(jget status)
	logs=$(jget logs)
	incident=$(jget incident_id)
	if [ "$w" = none ]; then
		fail "round $round: a winner" "no racer exited 0"
		continue
	elif ((w % 2)); then
		SUCCEEDED=$((SUCCEEDED + 1))
		is "$status:$logs:$incident" "TERMINEE:racer-$w-succeeded:null" \
			"round $round: a succeed won (racer $w): TERMINEE with its logs, no incident"
		is "$(cat "$WORK/exec$round.$w.out")" "" "round $round: the winner printed nothing"
		want_incidents=0
	else
		FAILED=$((FAILED + 1))
		is "$status:$logs" "ECHEC:racer-$w-failed" "round $round: a fail won (racer $w): ECHEC with its logs"
		is "$(cat "$WORK/exec$round.$w.out")" "$incident" "round $round: the winner printed its incident's id"
		want_incidents=1
	fi
	run dk --format json incident list ERP
	is "$("$PY" -c 'import json,sys
print(sum(1 for i in json.load(open(sys.argv[1])) if i["deployment_id"] == sys.argv[2]))' "$WORK/.out" "$ID")" \
		"$want_incidents" "round $round: $want_incidents incident for the deployment"
	is "$(audit_count "deploy.succeed|deploy.fail" "$ID" jdupont)" "1 1" \
		"round $round: one deploy.succeed or deploy.fail in the audit, by jdupont"
	run dk --format json audit list --action incident.create
	is "$("$PY" -c 'import json,sys
print(sum(1 for r in json.load(open(sys.argv[1])) if r["after"].get("deployment") == sys.argv[2]))' "$WORK/.out" "$ID")" \
		"$want_incidents" "round $round: $want_incidents incident.create in the audit for the deployment"
done

# The demo's history (2 succeeded, 1 failed, 1 planned) plus the rounds.
run dk --format json stats ERP
is "$(jget total):$(jget succeeded):$(jget failed):$(jget planned):$(jget in_progress)" \
	"$((4 + ROUNDS)):$((2 + SUCCEEDED)):$((1 + FAILED)):1:0" "stats add up after the races"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records)" "0:true:$(dbq "SELECT count(*) FROM audit")" \
	"audit verify: the chain is intact after the races"
if on_sqlite; then
	is "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok "integrity_check after the races"
else
	skip "integrity_check after the races: SQLite's"
fi

# Someone the rules refuse never takes the write lock: while another
# process holds it, the viewer's authorize, the developer's start, the
# viewer's incident and member changes are refused at once for what they
# are (status 3), not left waiting and then reported as "locked" (status
# 1). A process that held the lock could be stopped by its owner and block
# everyone's changes.
# On PostgreSQL the write lock is the schema's advisory lock, held here
# by psql.
PLANNED=$(dbq "SELECT id FROM tasks WHERE type = 'DEPLOIEMENT' AND status = 'A_FAIRE' LIMIT 1")
INCIDENT=$(dbq "SELECT id FROM tasks WHERE type = 'INCIDENT' LIMIT 1")
if on_sqlite; then
	"$PY" - "$DB" "$WORK/locked" <<'EOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(60)
db.execute("ROLLBACK")
EOF
else
	printf '%s\n' "BEGIN;" \
		"SELECT pg_advisory_xact_lock(1146111051, hashtext(current_schema()));" \
		"\\! touch $WORK/locked" "SELECT pg_sleep(60);" |
		psql "$("$DD" dd_pg_location "$DB")" -qAtX >/dev/null 2>&1 &
fi
HOLDER=$!
for _ in $(seq 50); do [ -e "$WORK/locked" ] && break; sleep 0.1; done
check "another process holds the write lock" test -e "$WORK/locked"
run dk --as cpetit deploy authorize "${PLANNED:0:8}"
is "$RC" 3 "with the write lock held elsewhere, a viewer's authorize is refused as a permission (3), not 'locked'"
run dk --as lbernard deploy start "${PLANNED:0:8}"
is "$RC" 3 "... a developer's start too"
run dk --as cpetit incident set "${INCIDENT:0:8}" EN_COURS
is "$RC" 3 "... a viewer's incident change too"
run dk --as cpetit member add ERP cpetit --role chef
is "$RC" 3 "... a viewer's member change too"
run dk --as cpetit stage set ERP TESTS EN_COURS
is "$RC" 3 "... a viewer's stage change too"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

done_testing
