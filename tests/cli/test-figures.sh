#!/bin/bash
# SPDX-License-Identifier: MIT
# The delivery figures kept a day at a time (figure_days): a period gives
# the same figures whether its days are read from what is kept, from the
# deployments themselves (days marked changed, a row unreadable or gone) or
# cut at times inside a day; a change made outside deploydesk is counted at
# once and rebuilt by the next write; audit verify compares every kept day
# with the deployments and names one that differs.
# Usage: test-figures.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/figures.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
dk project add PAY --name "Paie" >/dev/null 2>&1
dk member add PAY mmartin --role chef >/dev/null 2>&1
dk member add PAY jdupont --role dev-senior >/dev/null 2>&1
dk stage set PAY TESTS TERMINEE >/dev/null 2>&1
at() { later "@$1:00" "${@:2}"; }
# deployment VERSION ENV CREATED AUTHORIZED ENDED OUTCOME
deployment() {
	ID=$(at "$3" --as mmartin deploy create PAY --version "$1" --env "$2" \
		--description d --responsible jdupont --date "$3" 2>/dev/null)
	at "$4" --as mmartin deploy authorize "$ID" >/dev/null 2>&1
	at "$5" --as jdupont deploy start "$ID" >/dev/null 2>&1
	INC=$(at "$5" --as jdupont deploy "$6" "$ID" --logs "$6" 2>/dev/null)
}
deployment v1 PROD "2026-03-02 10:00" "2026-03-02 12:00" "2026-03-03 09:10" succeed
deployment v2 PROD "2026-03-03 08:00" "2026-03-03 08:20" "2026-03-03 23:50" fail
at "2026-03-05 13:00" --as jdupont incident set "$INC" TERMINEE --note "Corrigé" >/dev/null 2>&1
deployment v3 TEST "2026-03-04 10:00" "2026-03-04 10:30" "2026-03-05 00:05" succeed
deployment v4 TEST "2026-03-05 10:00" "2026-03-05 11:00" "2026-03-05 14:00" fail
deployment v5 DEV "2026-03-08 10:00" "2026-03-09 10:00" "2026-03-09 11:59" succeed
at "2026-03-10 09:00" --as mmartin deploy create PAY --version v6 --env PROD \
	--description d --responsible jdupont --date "2026-03-12 10:00" >/dev/null 2>&1
STAGE=$(sqlite3 "$DB" "SELECT s.id FROM stages s JOIN projects p ON p.id = s.project_id WHERE p.code = 'PAY' AND s.code = 'DEPLOIEMENT'")
is "$(sqlite3 "$DB" "SELECT count(*) FROM figure_dirty")" 0 "after deploydesk's writes no day is left marked"
is "$(sqlite3 "$DB" "SELECT group_concat(kind || ' ' || environment || ' ' || day, ', ') FROM (SELECT * FROM figure_days WHERE stage_id = '$STAGE' ORDER BY kind, day, environment)")" \
	"1 PROD 2026-03-03, 1 TEST 2026-03-05, 1 DEV 2026-03-09, 2 PROD 2026-03-03, 2 TEST 2026-03-05, 3 PROD 2026-03-02, 3 PROD 2026-03-03, 3 TEST 2026-03-04, 3 TEST 2026-03-05, 3 DEV 2026-03-08, 3 PROD 2026-03-12" \
	"a row a kind, environment and UTC day that has something: executed, incidents opened, planned"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: the kept days are what the deployments give"

# figures: the JSON of the whole period and of one cut inside days.
figures() {
	dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15 >"$WORK/whole.json" 2>&1
	dk --format json metrics PAY --from "2026-03-03 09:15" --to "2026-03-09 11:59" >"$WORK/cut.json" 2>&1
	# Weeks of a time zone 5 h 45 from UTC: a week starts inside a
	# UTC day, on a quarter of an hour.
	TZ=Asia/Kathmandu dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15 >"$WORK/npt.json" 2>&1
	cat "$WORK/whole.json" "$WORK/cut.json" "$WORK/npt.json"
}
KEPT=$(figures)
cp "$WORK/cut.json" "$WORK/.out"
is "$(jget succeeded):$(jget failed):$(jget lead_time_median)" "1:2:50700" \
	"cut inside days: v1 (09:10) and v5 (11:59) outside, v3 in (lead 14 h 05)"
is "$(jget incidents_closed):$(jget time_to_restore_median):$(jget incidents_open):$(jget planned_in_period)" "1:133800:1:3" \
	"... v2's incident (23:50, closed 37 h 10 later) and v4's (open); v3, v4, v5 planned in it"
cp "$WORK/whole.json" "$WORK/.out"
is "$(jget succeeded):$(jget failed):$(jget incidents_closed):$(jget incidents_open):$(jget planned_in_period)" "3:2:1:1:6" \
	"the whole period: 3 succeeded, 2 failed, 2 incidents, 6 planned"

sqlite3 "$DB" "INSERT INTO figure_dirty (stage_id, kind, environment, day) SELECT stage_id, kind, environment, day FROM figure_days"
is "$(figures)" "$KEPT" "every day marked changed: the same figures, from the deployments"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "... and audit verify, which leaves the marked days to the next write, is intact"
DUMP=$(sqlite3 "$DB" "SELECT stage_id, kind, environment, day, hex(stats) FROM figure_days ORDER BY 1, 2, 3, 4")
sqlite3 "$DB" "DELETE FROM figure_days"
is "$(figures)" "$KEPT" "... and with no row kept at all"
dk project add ZZZ --name "Autre" >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT count(*) FROM figure_dirty")" 0 "the next write rebuilds the marked days"
is "$(sqlite3 "$DB" "SELECT stage_id, kind, environment, day, hex(stats) FROM figure_days ORDER BY 1, 2, 3, 4")" "$DUMP" \
	"... into the same rows, byte for byte"

cp "$DB" "$WORK/unreadable.db"
sqlite3 "$WORK/unreadable.db" "UPDATE figure_days SET stats = x'02' WHERE kind = 1 AND day = '2026-03-05'"
DB_SAVED=$DB; DB=$WORK/unreadable.db
is "$(figures)" "$KEPT" "a kept day that cannot be read is read from the deployments"
# Numbers no day holds: 2^62 successes in a quarter of an hour, 3
# incidents restored of 1 opened.
HUGE=808080808080808040 ZEROS=$(printf '00%.0s' $(seq 95))
sqlite3 "$DB" "UPDATE figure_days SET stats = x'01${HUGE}${ZEROS}${HUGE}${ZEROS}0000' WHERE kind = 1 AND day = '2026-03-03';
	UPDATE figure_days SET stats = x'01010300' WHERE kind = 2 AND day = '2026-03-03'"
is "$(figures)" "$KEPT" "... as is one whose numbers no day holds (no overflow, no negative count)"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget table)" "1:false:figure_days" "... and audit verify names figure_days"
like "$(jget problem)" "deployments executed of day 2026-03-0[35] .* changed outside deploydesk" "... the kind and the first day that differs"

cp "$DB_SAVED" "$WORK/forged.db"
DB=$WORK/forged.db
sqlite3 "$DB" "UPDATE figure_days SET stats = x'01050000000000' WHERE kind = 3 AND day = '2026-03-12'"
run dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15
is "$(jget planned_in_period)" 10 "a kept day rewritten by SQL: the figures follow it (6 planned become 10)"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget table)" "1:false:figure_days" "... which audit verify detects, naming figure_days"
like "$(jget problem)" "deployments planned of day 2026-03-12" "... the kind and the day"

for case in "DELETE FROM figure_days WHERE kind = 2 AND day = '2026-03-05'|incidents opened of day 2026-03-05|a kept day removed" \
	"INSERT INTO figure_days SELECT stage_id, 3, '2026-04-01', environment, stats FROM figure_days WHERE kind = 3 AND day = '2026-03-12'|deployments planned of day 2026-04-01|a day kept for nothing"; do
	IFS='|' read -r sql what name <<<"$case"
	cp "$DB_SAVED" "$WORK/forged.db"
	sqlite3 "$DB" "$sql"
	run dk --format json audit verify
	is "$RC:$(jget intact):$(jget table)" "1:false:figure_days" "$name by SQL: audit verify names figure_days"
	like "$(jget problem)" "$what" "... the kind and the day"
done
refused 3 "^deploydesk: only an admin may rebuild the kept figures$" "rebuilding the figures: admins only" \
	dk --as jdupont audit rebuild-figures
run dk audit rebuild-figures
like "$RC:$ERR" "^0:Rebuilt the delivery figures of [0-9]+ days from the deployments" "an admin rebuilds them"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "... and audit verify finds them what the deployments give"

# A deployment written by SQL, outside deploydesk: the trigger marks its
# day, so it is counted at once; a write keeps it.
DB=$WORK/outside.db
cp "$DB_SAVED" "$DB"
sqlite3 "$DB" "INSERT INTO tasks (id, stage_id, type, name, description, status, responsible, planned_at, version,
	environment, authorized_by, authorized_at, executed_by, executed_at, created_by, created_at)
	SELECT 'f0000000-0000-4000-8000-000000000001', stage_id, 'DEPLOIEMENT', 'x', 'x', 'TERMINEE', responsible,
	'2026-03-10T10:00:00Z', 'v9', 'PROD', responsible, '2026-03-10T10:00:00Z', responsible, '2026-03-10T11:00:00Z',
	responsible, '2026-03-10T09:00:00Z' FROM tasks WHERE name LIKE '%' AND version = 'v1'"
run dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15
is "$(jget succeeded):$(jget planned_in_period)" "4:7" "a deployment added by SQL is counted at once (its day is marked)"
dk project add ZZY --name "Encore" >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT count(*) FROM figure_dirty WHERE day = '2026-03-10'"):$(sqlite3 "$DB" "SELECT count(*) FROM figure_days WHERE day = '2026-03-10'")" \
	"0:2" "... and the next write keeps its day (executed and planned)"

# A failed deployment's environment changed by SQL: its incident's day
# moves with it (it counts in the deployment's environment).
sqlite3 "$DB" "UPDATE tasks SET environment = 'TEST' WHERE version = 'v2' AND type = 'DEPLOIEMENT'"
run dk --format json metrics PAY --from 2026-03-03 --to 2026-03-03 --env PROD
is "$(jget failed):$(jget incidents_closed)" "0:0" "a failure moved to TEST by SQL: PROD counts neither it nor its incident"
dk project add ZZX --name "Encore" >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT environment FROM figure_days WHERE kind = 2 AND day = '2026-03-03'")" "TEST" \
	"... and the next write keeps the incident's day under TEST"

# Weeks where the clock changes (America/New_York: 8 March and 1 November
# 2026): each week from its Monday 00:00 on the calendar, 167 or 169 hours
# long. v7 runs on Monday 9 March 00:10 EDT (04:10 UTC), v8 on Sunday 8
# November 23:30 EST (04:30 UTC the next day).
DB=$WORK/dst.db
cp "$DB_SAVED" "$DB"
deployment v7 PROD "2026-03-09 03:00" "2026-03-09 03:30" "2026-03-09 04:10" succeed
deployment v8 PROD "2026-11-08 10:00" "2026-11-08 11:00" "2026-11-09 04:30" succeed
weeks() { "$PY" -c 'import json,sys
print(" ".join("%s:%d/%d" % (w["week"], w["succeeded"], w["failed"]) for w in json.load(open(sys.argv[1]))["weeks"]))' "$WORK/.out"; }
TZ=America/New_York run dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15
is "$(weeks)" "2026-03-02:2/2 2026-03-09:2/0" \
	"a week after the clock goes forward: v7 (Monday 00:10) in the week of 9 March, with v5"
TZ=America/New_York run dk --format json metrics PAY --from 2026-10-26 --to 2026-11-15
is "$(weeks)" "2026-10-26:0/0 2026-11-02:1/0 2026-11-09:0/0" \
	"a week after the clock goes back: v8 (Sunday 23:30) in the week of 2 November"
TZ=Europe/Paris run later "@2026-04-15 12:00:00" --format json metrics PAY
is "$("$PY" -c 'import json,sys; w = json.load(open(sys.argv[1]))["weeks"]; print(len(w), w[-1]["week"])' "$WORK/.out")" \
	"14 2026-04-13" "the default 90 days after a change of the clock end with the current week"
done_testing
