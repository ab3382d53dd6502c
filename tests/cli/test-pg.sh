#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line and the screens on a PostgreSQL server's database, as a
# team on several hosts uses them: a demo made there with init, the spec's
# workflow (plan, authorize, start, fail with the logs, the incident that
# opens by itself), the search, the statistics and audit verify; each
# record names its host; another host's change appears on the open
# screens; and processes on two hosts (two UTS namespaces, as root) race
# for the same deployment: exactly one wins each round, the trail stays
# one chain; the server's clock times every change, whatever the host's
# says. DEPLOYDESK_TEST_PG names the server's database
# (tests/pg/cluster.sh); without it, every check is skipped.
# Usage: test-pg.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

PG=${DEPLOYDESK_TEST_PG:-}
if [ -z "$PG" ]; then
	echo "1..0 # SKIP DEPLOYDESK_TEST_PG is not set (tests/pg/cluster.sh starts a server)"
	exit 0
fi
if ! command -v psql >/dev/null; then
	echo "1..0 # SKIP psql is needed to make the test's schema"
	exit 0
fi

# The test's own schema, made empty; the location opens it first on the
# search path.
SCHEMA=cli_pg_$$
psql_do() {
	psql "$PG" -qAtX -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
if ! out=$(psql_do "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA"); then
	echo "Bail out! cannot make schema $SCHEMA: $out"
	exit 1
fi
pg_cleanup() {
	psql_do "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null
	cleanup
}
trap pg_cleanup EXIT
case $PG in
*\?*) DB="$PG&options=-csearch_path%3D$SCHEMA" ;;
*) DB="$PG?options=-csearch_path%3D$SCHEMA" ;;
esac
HOST=$(python3 -c 'import socket; print(socket.gethostname())')

# The database's rows, for "nothing changed" checks (refused in lib.sh
# reads a file with sqlite3): the trail's length and the deployments.
dump_db() {
	psql_do "SET search_path = $SCHEMA;
		SELECT count(*) FROM audit;
		SELECT id, status, row_version FROM tasks ORDER BY id"
}

# ---------------------------------------------------------------- init

run dk init --demo
if [ "$RC" -eq 0 ] && matches_i "$ERR" "^Created demo sandbox deploydesk_test \\(" &&
	[[ $ERR != *"postgresql:"* ]]; then
	pass "init --demo on the server's empty schema, named by its database and host"
else
	fail "init --demo on the server's empty schema, named by its database and host" "$(run_diag)"
fi
is "$(psql_do "SELECT version FROM $SCHEMA.schema_version")" "$(ls "$SRCDIR"/data/migrations/*.sql | wc -l)" \
	"... its schema at the latest version"
refused 2 "already holds tables" "init again on the same schema" dk init

# A server that refuses the login: one line, the password unsaid
# (tests/pg/cluster.sh makes the role dd_team, which logs in by password).
if [ "$(psql_do "SELECT count(*) FROM pg_roles WHERE rolname = 'dd_team'")" = 1 ]; then
	run "$DD" --db "${PG/#postgresql:\/\//postgresql://dd_team:wr0ng-pass@}" user list
	if [ "$RC" -eq 1 ] && matches_i "$ERR" "^deploydesk: cannot connect to the PostgreSQL server: .*password authentication failed" &&
		[[ $ERR != *wr0ng-pass* ]] && [[ $ERR != *$'\n'* ]]; then
		pass "a wrong password: one line, exit 1, the password unsaid"
	else
		fail "a wrong password: one line, exit 1, the password unsaid" "$(run_diag)"
	fi
else
	skip "a wrong password: the server has no role dd_team (tests/pg/cluster.sh)"
fi

# ---------------------------------------------------------------- workflow

run dk --as mmartin --format json deploy create ERP --version v3.0.0 --env PROD \
	--date "2030-01-15 09:00" --responsible jdupont --description "Bascule du référentiel"
rc_is 0 "the project manager plans a deployment"
ID=$(jget id)
like "$ID" "$UUID_RE" "... and gets its id"
run dk --as mmartin deploy authorize "$ID"
rc_is 0 "the project manager authorizes it"
refused 5 "already authorized|not planned|status" "authorizing it twice" dk --as mmartin deploy authorize "$ID"
run dk --as jdupont deploy start "$ID"
rc_is 0 "the senior developer starts it"
printf 'step 1 ok\nstep 2: connection refused\n' >"$WORK/deploy.log"
run dk --as jdupont --format json deploy fail "$ID" --logs-file "$WORK/deploy.log"
rc_is 0 "the senior developer records its failure, with the logs"
INCIDENT=$(jget incident_id)
[ -n "$INCIDENT" ] && [ "$INCIDENT" != null ] || INCIDENT=$(jget id)
run dk --format json incident show "$INCIDENT"
is "$RC:$(jget priority):$(jget responsible):$(jget status)" "0:HAUTE:jdupont:A_FAIRE" \
	"the failure opened a high-priority incident for the responsible person"
run dk --format json deploy show "$ID"
is "$(jget status)" "ECHEC" "the deployment is failed"
like "$(jget logs)" "connection refused" "... with its logs"
run dk --format json deploy list ERP --search "référentiel"
is "$RC:$(jget 0.id)" "0:$ID" "the search finds it by an accented word"
run dk --format json deploy list ERP --search "REFERENTIEL bascule"
is "$RC:$(jget 0.id)" "0:$ID" "... and by two words, capitals and no accent"
run dk --format json stats ERP
is "$RC:$(jget failed)" "0:2" "the statistics count it (the demo's failure and this one)"

# ---------------------------------------------------------------- trail

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: the trail and the data agree"
N=$(jget records)
run dk --format json audit list
is "$(jget $((N - 1)).action):$(jget $((N - 1)).host)" "incident.create:$HOST" \
	"the last record is the incident, made on this host ($HOST)"
out=$(psql_do "UPDATE $SCHEMA.audit SET host = 'elsewhere' WHERE seq = 3")
like "$out" "append-only|permission denied|refuse" "the server refuses to change a record's host"

# ---------------------------------------------------------------- one clock

# The server's clock times every change and every rule, whatever the
# host's clock says: a host two hours ahead (faketime) starts a deployment
# whose one-hour approval the server still holds valid, and its record
# bears the server's time.
if command -v faketime >/dev/null; then
	run dk policy set ERP TEST approval-hours 1
	run dk --as mmartin --format json deploy create ERP --version v3.1.0 --env TEST \
		--date "2030-01-20 09:00" --responsible jdupont --description "one clock"
	CID=$(jget id)
	run dk --as mmartin deploy authorize "$CID"
	run later "+2h" --as jdupont deploy start "$CID"
	is "$RC:$ERR" "0:Started v3.1.0 (Test)" "a host two hours ahead starts it: its approval stands by the server's clock"
	run dk --format json audit list --action deploy.start
	ts=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["ts"])' "$WORK/.out")
	now=$(date -u +%s)
	at=$(date -u -d "${ts/T/ }" +%s 2>/dev/null || echo 0)
	if [ $((at - now)) -lt 600 ] && [ $((now - at)) -lt 600 ]; then
		pass "... and the record bears the server's time ($ts), not the host's"
	else
		fail "... and the record bears the server's time, not the host's" "ts $ts, now $(date -u +%FT%TZ)"
	fi
else
	skip "one clock: faketime is needed"
	skip "one clock: the record's time"
fi

# ---------------------------------------------------------------- screens

if command -v tmux >/dev/null; then
	SOCK=deploydesk-pg-$$
	tmux -L "$SOCK" new-session -d -s pg -x 100 -y 30 \
		"env TERM=xterm-256color DEPLOYDESK_DB='$DB' '$DD' --as mmartin --project ERP"
	for _ in $(seq 100); do
		tmux -L "$SOCK" capture-pane -p -t pg | grep -q '^Deployment history' && break
		sleep 0.1
	done
	screen=$(tmux -L "$SOCK" capture-pane -p -t pg)
	like "$screen" "v3\\.0\\.0 +PROD +Failed" "the screens open on the server's database, the failure listed"
	run dk --as mmartin deploy create ERP --version v3.0.1 --env TEST \
		--date "2030-01-16 09:00" --responsible jdupont --description "another host"
	for _ in $(seq 50); do
		tmux -L "$SOCK" capture-pane -p -t pg | grep -q 'v3\.0\.1' && break
		sleep 0.1
	done
	like "$(tmux -L "$SOCK" capture-pane -p -t pg)" "v3\\.0\\.1 +TEST +Planned" \
		"a deployment planned by another process appears on the open screens, unasked"
	tmux -L "$SOCK" send-keys -t pg q
	sleep 0.3
	tmux -L "$SOCK" kill-server 2>/dev/null
else
	skip "the screens: tmux is needed"
	skip "the screens' live refresh: tmux is needed"
fi

# ---------------------------------------------------------------- two hosts

# Each round, a process on host-a and one on host-b authorize the same
# new deployment at the same moment: one wins, the other is refused with
# nothing written, and the trail names the winner's host.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
	unshare -u true 2>/dev/null; then
	on_host() {
		local host=$1
		shift
		unshare -u sh -c 'hostname "$1" && shift && exec "$@"' sh "$host" "$@"
	}
	rounds=6 one_winner=0 hosts_ok=0
	for r in $(seq $rounds); do
		run dk --as mmartin --format json deploy create ERP --version "v4.0.$r" --env TEST \
			--date "2030-02-0$r 09:00" --responsible jdupont --description "race $r"
		rid=$(jget id)
		: >"$WORK/go"
		rm -f "$WORK/go"
		for h in host-a host-b; do
			(
				while [ ! -e "$WORK/go" ]; do sleep 0.01; done
				on_host "$h" "$DD" --db "$DB" --as mmartin deploy authorize "$rid" \
					>/dev/null 2>"$WORK/race-$h.err"
				echo $? >"$WORK/race-$h.rc"
			) &
		done
		sleep 0.2
		: >"$WORK/go"
		wait
		codes="$(cat "$WORK/race-host-a.rc") $(cat "$WORK/race-host-b.rc")"
		case $codes in
		"0 5" | "5 0") one_winner=$((one_winner + 1)) ;;
		*) diag "round $r: exit statuses $codes: $(cat "$WORK"/race-host-*.err)" ;;
		esac
		winner=host-a
		[ "$(cat "$WORK/race-host-a.rc")" = 0 ] || winner=host-b
		run dk --format json audit list --action deploy.authorize
		last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["host"])' "$WORK/.out")
		[ "$last" = "$winner" ] && hosts_ok=$((hosts_ok + 1))
	done
	is "$one_winner" "$rounds" "two hosts race to authorize the same deployment: exactly one wins each of $rounds rounds"
	is "$hosts_ok" "$rounds" "... and the trail names the winner's host each time"
	run dk --format json audit verify
	is "$RC:$(jget intact)" "0:true" "... and audit verify passes after the races"
else
	skip "two hosts racing: needs root and unshare -u"
	skip "two hosts racing: the winner's host"
	skip "two hosts racing: audit verify after"
fi

done_testing
