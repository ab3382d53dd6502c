#!/bin/bash
# SPDX-License-Identifier: MIT
# Freezes: freeze add (one-off --from/--to, or --weekly "fri 16:00-mon
# 08:00"; of a project or --all; of an environment or every one), freeze
# list with ids (a weekly window in the reader's days in the table, as
# stored in JSON and CSV), freeze remove; who may (admins; a project's
# manager for their project only); inside a freeze start, success and
# failure are refused in words while planning and approving go on; a weekly
# window (on a test clock, within a day and across the weekend and
# midnight) refuses a start from its first minute to its end, naming the
# freeze, and not outside; audit verify replays freezes and compares the
# table with the trail.
# Usage: test-freeze.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/freeze.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned
expect_ok "the manager authorizes v1.2.0" dk --as mmartin deploy authorize "$V"
NOW_FROM=$(date -d '-1 day' '+%Y-%m-%d %H:%M')
NOW_TO=$(date -d '+1 day' '+%Y-%m-%d %H:%M')

# What is typed.
refused 2 "^deploydesk: freeze add: give PROJECT or --all \(every project\), not both" "neither PROJECT nor --all" \
	dk freeze add --from "$NOW_FROM" --to "$NOW_TO" --reason r
refused 2 "not both" "PROJECT and --all" dk freeze add ERP --all --from "$NOW_FROM" --to "$NOW_TO" --reason r
refused 2 "^deploydesk: freeze add: give both --from and --to, or --weekly" "--from without --to" \
	dk freeze add ERP --from "$NOW_FROM" --reason r
refused 2 "give --from and --to, or --weekly" "--weekly and --from" \
	dk freeze add ERP --weekly "fri 16:00-mon 08:00" --from "$NOW_FROM" --reason r
refused 2 "^deploydesk: freeze add: --reason is missing" "no reason" dk freeze add ERP --from "$NOW_FROM" --to "$NOW_TO"
refused 2 "^deploydesk: to: the freeze must end after it begins$" "ending before it begins" \
	dk freeze add ERP --from "$NOW_TO" --to "$NOW_FROM" --reason r
refused 2 "^deploydesk: from: '2026-02-30 10:00' is not a date" "a date that does not exist" \
	dk freeze add ERP --from "2026-02-30 10:00" --to "$NOW_TO" --reason r
refused 2 "^deploydesk: weekly: 'fri 16:00-someday' is not a window such as \"fri 16:00-mon 08:00\" \(two different times of the week\)$" \
	"a weekly window that is not one" dk freeze add ERP --weekly "fri 16:00-someday" --reason r
refused 2 "^deploydesk: environment: 'STAGING'" "an unknown environment" \
	dk freeze add ERP --env STAGING --from "$NOW_FROM" --to "$NOW_TO" --reason r

# Who may.
refused 3 "^deploydesk: only an admin may add or remove a freeze of every project$" \
	"a project manager may not freeze every project" \
	dk --as mmartin freeze add --all --from "$NOW_FROM" --to "$NOW_TO" --reason r
refused 3 "^deploydesk: only an admin or the project manager of project ERP may add or remove its freezes$" \
	"a senior developer may not freeze the project" \
	dk --as jdupont freeze add ERP --from "$NOW_FROM" --to "$NOW_TO" --reason r

# A one-off freeze of PROD, by the project's manager, on now.
run dk --as mmartin freeze add ERP --env prod --from "$NOW_FROM" --to "$NOW_TO" --reason "Fin d'année"
is "$RC:$OUT:$ERR" "0:1:Added freeze 1" "the manager freezes ERP's PROD for two days: prints its id"
refused 5 "^deploydesk: PROD of project ERP is frozen until .* \(freeze 1: Fin d'année\): deployment v1\.2\.0 can be neither started nor executed until then$" \
	"inside it, start is refused, saying which freeze and until when" dk --as jdupont deploy start "$V"
refused 5 "is frozen until" "... and success" dk --as jdupont deploy succeed "$V" --logs ok
refused 5 "is frozen until" "... and failure" dk --as jdupont deploy fail "$V" --logs ko
run dk --as mmartin deploy create ERP --version v1.3.0 --env PROD --description d \
	--responsible jdupont --date "2026-03-01 10:00"
rc_is 0 "planning goes on inside it"
W=$(deploy_ids ERP | head -1)
expect_ok "... and approving" dk --as mmartin deploy authorize "$W"
run dk --as mmartin deploy create ERP --version v1.3.0 --env TEST --description d \
	--responsible jdupont --date "2026-03-01 11:00"
T=$(deploy_ids ERP | head -1)
expect_ok "TEST is not frozen: authorized" dk --as mmartin deploy authorize "$T"
expect_ok "... and started" dk --as jdupont deploy start "$T"

# A weekly window on now, of every project, by an admin.
W_FROM=$(LC_ALL=C date -d '-1 hour' '+%a %H:%M')
W_TO=$(LC_ALL=C date -d '+1 hour' '+%a %H:%M')
run dk freeze add --all --env TEST --weekly "$W_FROM-$W_TO" --reason "Revue hebdomadaire"
is "$RC:$OUT" "0:2" "an admin adds a weekly freeze of every project's TEST, around now"
refused 5 "^deploydesk: TEST of project ERP is frozen until .* \(freeze 2: Revue hebdomadaire\)" \
	"inside it, recording TEST's outcome is refused" dk --as jdupont deploy succeed "$T" --logs ok
run dk --format json freeze list ERP
is "$("$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
print([(x["id"], x["project"], x["environment"], x["weekly"] is not None, x["on"]) for x in d])' "$WORK/.out")" \
	"[(1, 'ERP', 'PROD', False, True), (2, None, 'TEST', True, True)]" \
	"freeze list ERP: both, with their ids, project (null: every one), environment, and on now"
like "$(dk freeze list)" $'\n2 +\\(all\\) +TEST .* Revue hebdomadaire +yes' "... the table says (all) for every project"
refused 3 "only an admin may add or remove a freeze of every project" \
	"the manager may not remove the freeze of every project" dk --as mmartin freeze remove 2
refused 2 "^deploydesk: freeze remove: 'two' is not a freeze's id" "an id that is not a number" dk freeze remove two
refused 4 "^deploydesk: no freeze 9 \(see 'deploydesk freeze list'\)$" "an id that is no freeze" dk freeze remove 9
run dk freeze remove 2
is "$RC:$ERR" "0:Removed freeze 2" "the admin removes the weekly freeze"
expect_ok "TEST's outcome is recorded then" dk --as jdupont deploy succeed "$T" --logs ok
run dk --as mmartin freeze remove 1
is "$RC:$ERR" "0:Removed freeze 1" "the manager removes the project's freeze"
expect_ok "v1.2.0 starts then" dk --as jdupont deploy start "$V"

# A future freeze, and a test clock inside it.
if command -v faketime >/dev/null; then
	run dk freeze add ERP --env PROD --from "$(date -d '+2 days' '+%Y-%m-%d %H:%M')" \
		--to "$(date -d '+4 days' '+%Y-%m-%d %H:%M')" --reason "Migration datacenter"
	expect_ok "v1.3.0 starts before it" true
	run later "+3d" --as jdupont deploy start "$W"
	like "$RC:$ERR" "^5:deploydesk: PROD of project ERP is frozen until .* \(freeze 3: Migration datacenter\)" \
		"three days later (faketime): inside it, start refused"
	run later "+5d" --as jdupont deploy start "$W"
	is "$RC:$ERR" "0:Started v1.3.0 (Production)" "five days later: after it, it starts"
	run later "+5d" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "audit verify replays each start against the freezes at its time"
else
	for i in $(seq 4); do skip "faketime is missing (apt-get install faketime)"; done
fi

# A weekly window typed in French: kept as the trail and the scripts
# write it (English days), shown in the reader's days in the table.
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
	export DEPLOYDESK_LOCALEDIR
	DEPLOYDESK_LOCALEDIR=$(cd "$(dirname "$DD_GIVEN")" && pwd)/po
	fr() { LC_ALL=fr_FR.UTF-8 dk "$@"; }
	run fr freeze add ERP --env DEV --weekly "ven 16:00-lun 08:00" --reason "Week-end"
	F=$OUT
	is "$RC:$ERR" "0:Gel $F ajouté" "a weekly freeze typed in French days, in French"
	is "$(fr --format json freeze list ERP | "$PY" -c 'import json,sys
print([x["weekly"] for x in json.load(sys.stdin) if x["reason"] == "Week-end"])')" \
		"['fri 16:00-mon 08:00']" "... JSON keeps the stored form, in French too"
	like "$(fr --format csv freeze list ERP | grep Week-end)" "^$F,ERP,DEV,,,fri 16:00-mon 08:00,Week-end," \
		"... and CSV"
	like "$(fr freeze list ERP | grep Week-end)" "^$F +ERP +DEV .* ven 16:00-lun 08:00 +Week-end " \
		"the table, in French: ven 16:00-lun 08:00"
	like "$(dk freeze list ERP | grep Week-end)" "^$F +ERP +DEV .* fri 16:00-mon 08:00 +Week-end " \
		"... in English: fri 16:00-mon 08:00"
	is "$(dk --format json audit list | "$PY" -c 'import json,sys
print([x["after"]["weekly"] for x in json.load(sys.stdin) if x["action"] == "freeze.add" and x["after"]["reason"] == "Week-end"])')" \
		"['fri 16:00-mon 08:00']" "the trail keeps the stored form"
	expect_ok "removed" dk freeze remove "$F"
	unset DEPLOYDESK_LOCALEDIR
else
	for i in $(seq 7); do skip "locale fr_FR.UTF-8 not generated"; done
fi

# The trail, and audit verify.
run dk --format json audit list
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"].startswith("freeze.")]
print(len(r), r[0]["entity_id"], r[0]["after"]["project"], r[0]["after"]["environment"], r[1]["after"]["weekly"] is not None,
      r[2]["action"], r[2]["before"]["reason"])' "$WORK/.out")" \
	"$(printf '%s 1 ERP PROD True freeze.remove Revue hebdomadaire' "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action LIKE 'freeze.%'")")" \
	"each freeze added and removed is a record: the window, the project, the environment, the reason"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "DELETE FROM freezes"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table)" "1:freezes" "a freeze deleted by SQL: audit verify names the freezes table"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE freezes SET ends_at = '2000-01-01T00:00:00Z', starts_at = '1999-01-01T00:00:00Z'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:freezes:starts_at" "a freeze moved by SQL: audit verify names freezes.starts_at"

# A start inside a freeze, forged and re-hashed, is found: freeze 1 is
# re-added in the trail before v1.2.0's start.
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'freeze.remove' AND entity_id = '1'")
START=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.start' AND entity_id = '$V'")
check "the removal of freeze 1 forged as a policy left unchanged" forge_record "$SEQ" \
	"UPDATE audit SET action = 'freeze.add', before = NULL,
	after = (SELECT after FROM audit WHERE action = 'freeze.add' AND entity_id = '1'),
	entity_id = '7' WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$START" "a start inside a freeze (freeze 7, forged before it): audit verify fails at the start"
like "$(jget problem)" "the rules did not allow it: a freeze was on" "... a freeze was on"

# Weekly windows on a test clock, in a sandbox of their own: a start is
# refused inside the window, in words naming the freeze and its end, and
# goes on outside it; the window is [from, to): its first minute is in,
# its end is out. A window within a day, then one across the weekend and
# midnight. Everything runs on faketime's clock, in time order: a Monday
# at least a week ahead, then the weekend after it.
if command -v faketime >/dev/null; then
	DB=$WORK/weekly.db
	expect_ok "a sandbox for the weekly windows" "$DD" --db "$DB" init --demo
	MON=$(date -d 'next monday +7 days' '+%Y-%m-%d')
	FRI=$(date -d "$MON +4 days" '+%Y-%m-%d')
	SAT=$(date -d "$MON +5 days" '+%Y-%m-%d')
	SUN=$(date -d "$MON +6 days" '+%Y-%m-%d')
	NEXT_MON=$(date -d "$MON +7 days" '+%Y-%m-%d')
	# at "DAY HH:MM" ARG...: the program on $DB at that time (later's
	# test clock, set to an absolute time).
	at() {
		later "@$1:00" "${@:2}"
	}
	# Four planned deployments of ERP on PROD, authorized: each start
	# allowed uses one.
	WK=()
	for v in w1 w2 w3 w4; do
		run dk --as mmartin deploy create ERP --version "$v" --env PROD --description d \
			--responsible jdupont --date "2026-03-01 10:00"
		WK+=("$OUT")
		dk --as mmartin deploy authorize "$OUT" >/dev/null 2>&1
	done
	is "$(for id in "${WK[@]}"; do run dk --format json deploy show "$id" && jget authorized_by; done | sort -u)" \
		mmartin "four deployments planned on PROD and authorized (w1 to w4)"

	run at "$MON 07:00" --as mmartin freeze add ERP --weekly "mon 08:00-mon 10:00" --reason "Revue du lundi"
	is "$RC:$OUT" "0:1" "the manager adds a weekly freeze of ERP, mon 08:00-mon 10:00: freeze 1"
	run at "$MON 07:59" --as jdupont deploy start "${WK[0]}"
	is "$RC:$ERR" "0:Started w1 (Production)" "monday 07:59, the minute before the window: w1 starts"
	refused 5 "^deploydesk: PROD of project ERP is frozen until $MON 10:00 \(freeze 1: Revue du lundi\): deployment w2 can be neither started nor executed until then$" \
		"monday 08:00, the window's first minute: start refused, naming freeze 1, its reason and its end" \
		at "$MON 08:00" --as jdupont deploy start "${WK[1]}"
	refused 5 "until $MON 10:00 \(freeze 1: Revue du lundi\)" "monday 09:59, its last minute: refused" \
		at "$MON 09:59" --as jdupont deploy start "${WK[1]}"
	refused 5 "until $MON 10:00 \(freeze 1: Revue du lundi\)" "... success of w1, started before it, refused too" \
		at "$MON 09:00" --as jdupont deploy succeed "${WK[0]}" --logs ok
	run at "$MON 10:00" --as jdupont deploy start "${WK[1]}"
	is "$RC:$ERR" "0:Started w2 (Production)" "monday 10:00, the window's end: w2 starts"

	# Across the weekend and midnight (the end's week minute before the
	# start's), by an admin; the Monday window removed.
	run at "$MON 12:00" freeze remove 1
	is "$RC:$ERR" "0:Removed freeze 1" "the Monday window removed"
	run at "$MON 12:00" freeze add ERP --weekly "fri 16:00-mon 08:00" --reason "Week-end"
	is "$RC:$OUT" "0:2" "an admin adds a weekly freeze of ERP, fri 16:00-mon 08:00: freeze 2"
	run at "$FRI 15:59" --as jdupont deploy start "${WK[2]}"
	is "$RC:$ERR" "0:Started w3 (Production)" "friday 15:59, the minute before the window: w3 starts"
	refused 5 "^deploydesk: PROD of project ERP is frozen until $NEXT_MON 08:00 \(freeze 2: Week-end\): deployment w4 can be neither started nor executed until then$" \
		"friday 16:00: start refused, naming freeze 2 and its end on monday" \
		at "$FRI 16:00" --as jdupont deploy start "${WK[3]}"
	refused 5 "until $NEXT_MON 08:00 \(freeze 2: Week-end\)" "saturday noon: refused" \
		at "$SAT 12:00" --as jdupont deploy start "${WK[3]}"
	refused 5 "until $NEXT_MON 08:00 \(freeze 2: Week-end\)" "sunday 23:59: refused" \
		at "$SUN 23:59" --as jdupont deploy start "${WK[3]}"
	refused 5 "until $NEXT_MON 08:00 \(freeze 2: Week-end\)" "monday 00:00, past midnight and the week's end: refused" \
		at "$NEXT_MON 00:00" --as jdupont deploy start "${WK[3]}"
	refused 5 "until $NEXT_MON 08:00 \(freeze 2: Week-end\)" "monday 07:59, its last minute: refused" \
		at "$NEXT_MON 07:59" --as jdupont deploy start "${WK[3]}"
	run at "$NEXT_MON 08:00" --as jdupont deploy start "${WK[3]}"
	is "$RC:$ERR" "0:Started w4 (Production)" "monday 08:00, the window's end: w4 starts"
	run at "$NEXT_MON 09:00" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "audit verify replays the starts against the weekly windows: intact"
else
	for i in $(seq 34); do skip "faketime is missing (apt-get install faketime)"; done
fi

done_testing
