#!/bin/bash
# SPDX-License-Identifier: MIT
# deploydesk metrics: the delivery figures of a period against a history
# written at known times (faketime): deployments executed in it, a week
# and by environment; lead time from creation to success and the approval
# wait within it (median and 90th percentile, nearest rank); change failure
# rate with both counts; time to restore an incident opened in it, the
# open ones counted; the spec's success rate of those planned in it; the
# weekly series. A period with no deployment; the default period; bad
# input.
# Usage: test-metrics.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/metrics.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
dk project add PAY --name "Paie" >/dev/null 2>&1
dk member add PAY mmartin --role chef >/dev/null 2>&1
dk member add PAY jdupont --role dev-senior >/dev/null 2>&1
dk stage set PAY TESTS TERMINEE >/dev/null 2>&1
# jf KEY: a number of the last run's JSON with two decimals.
jf() { "$PY" -c 'import json,sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print("null" if v is None else "%.2f" % v)' "$WORK/.out" "$1"; }
# at "YYYY-MM-DD HH:MM" ARG...: the program as if it were then (UTC).
at() { later "@$1:00" "${@:2}"; }
# deployment VERSION ENV CREATED AUTHORIZED STARTED ENDED OUTCOME: its id
# in $ID.
# What the commands say on stderr is kept in $SETUP_ERR, shown when the
# history is not the one meant.
SETUP_ERR=$WORK/setup.err
deployment() {
	ID=$(at "$3" --as mmartin deploy create PAY --version "$1" --env "$2" \
		--description d --responsible jdupont --date "$3" 2>>"$SETUP_ERR")
	at "$4" --as mmartin deploy authorize "$ID" >/dev/null 2>>"$SETUP_ERR"
	at "$5" --as jdupont deploy start "$ID" >/dev/null 2>>"$SETUP_ERR"
	INC=$(at "$6" --as jdupont deploy "$7" "$ID" --logs "$7" 2>>"$SETUP_ERR")
}
deployment v1 PROD "2026-03-02 10:00" "2026-03-02 12:00" "2026-03-03 09:00" "2026-03-03 10:00" succeed
deployment v2 PROD "2026-03-04 10:00" "2026-03-04 11:00" "2026-03-04 12:00" "2026-03-04 13:00" fail
at "2026-03-05 13:00" --as jdupont incident set "$INC" TERMINEE --note "Corrigé" >/dev/null 2>&1
deployment v3 TEST "2026-03-09 10:00" "2026-03-09 10:30" "2026-03-10 10:00" "2026-03-10 12:00" succeed
deployment v4 TEST "2026-03-11 10:00" "2026-03-11 11:00" "2026-03-11 12:00" "2026-03-11 14:00" fail
HISTORY=$(dk --format csv deploy list PAY | sed 1d | cut -d, -f2,4 | tr '\n' ' ')
is "$HISTORY" "v4,ECHEC v3,TERMINEE v2,ECHEC v1,TERMINEE " "(the history: two successes, two failures, one incident closed)"
if [ "$HISTORY" != "v4,ECHEC v3,TERMINEE v2,ECHEC v1,TERMINEE " ]; then
	grep -v '^deploydesk: note:' "$SETUP_ERR" | sed 's/^/# setup: /'
fi

run dk --format json metrics PAY --from 2026-03-02 --to 2026-03-15
is "$RC:$(jget project):$(jget from):$(jget to)" "0:PAY:2026-03-02T00:00:00Z:2026-03-16T00:00:00Z" \
	"the period: from the first day's start to the last day's end (included)"
is "$(jget succeeded):$(jget failed):$(jf per_week)" "2:2:1.00" "2 succeeded, 2 failed: one success a week over two weeks"
is "$(jget succeeded_by_env.PROD):$(jget succeeded_by_env.TEST):$(jget succeeded_by_env.DEV)" "1:1:0" "... one on PROD, one on TEST"
is "$(jget lead_time_median):$(jget lead_time_p90)" "86400:93600" \
	"lead time: 24 h and 26 h, median 24 h (nearest rank), 90% 26 h"
is "$(jget approval_wait_median):$(jget approval_wait_p90)" "1800:7200" \
	"approval wait within it: 2 h and 30 min, median 30 min, 90% 2 h"
is "$(jf change_failure_rate)" "0.50" "change failure rate: 2 of 4"
is "$(jget incidents_closed):$(jget incidents_open):$(jget time_to_restore_median):$(jget time_to_restore_p90)" \
	"1:1:86400:86400" "time to restore: one closed after 24 h, one still open"
is "$(jget planned_in_period):$(jf success_rate)" "4:0.50" "the spec's rate: 2 succeeded of the 4 planned in the period"
is "$(jget planned_succeeded):$(jget lead_time_count):$(jget approval_wait_count)" "2:2:2" \
	"... with the counts behind it and behind the medians: 2 succeeded, 2 lead times, 2 waits"
is "$(jget weeks.0.week):$(jget weeks.0.succeeded):$(jget weeks.0.failed):$(jget weeks.1.week):$(jget weeks.1.succeeded):$(jget weeks.1.failed)" \
	"2026-03-02:1:1:2026-03-09:1:1" "the weekly series: a success and a failure each week"

run dk metrics PAY --from 2026-03-02 --to 2026-03-15
like "$OUT" $'Change failure rate: +50\\.0 % \\(2 of 4\\)' "the table: the rate with its counts"
like "$OUT" $'Lead time, median: +1 d 0 h\nLead time, 90%: +1 d 2 h' "... durations for people"
like "$OUT" $'\n2026-03-02  #x 1/1\n2026-03-09  #x 1/1$' "... and the weeks as bars"

run dk --format json metrics PAY --from 2026-03-09 --to 2026-03-15 --env TEST
is "$(jget environment):$(jget succeeded):$(jget failed):$(jget lead_time_median)" "TEST:1:1:93600" "--env TEST: its figures only"
is "$(jget incidents_closed):$(jget incidents_open)" "0:1" "... and the incidents of its failures only (v4's, open; not PROD's v2)"

run dk --format json metrics PAY --from 2026-04-01 --to 2026-04-14
is "$RC:$(jget succeeded):$(jget failed):$(jf change_failure_rate):$(jget lead_time_median):$(jf success_rate)" \
	"0:0:0:null:null:null" "a period with no deployment: zeros, and no rate to give (null)"

run dk --format json metrics
is "$RC:$(jget project)" "0:null" "every project"
"$PY" -c 'import json,sys,datetime as d
m = json.load(open(sys.argv[1]))
f = d.datetime.fromisoformat(m["from"][:-1]); t = d.datetime.fromisoformat(m["to"][:-1])
sys.exit(0 if (t - f).days == 90 else 1)' "$WORK/.out"
is "$?" 0 "by default: the last 90 days"

refused 2 "^deploydesk: environment: 'STAGING' is not one of DEV, TEST, PREPROD, PROD$" "an unknown environment" \
	dk metrics PAY --env STAGING
refused 2 "^deploydesk: to: '2026-03-01' is not after from \('2026-03-02'\)$" "a period backwards" \
	dk metrics PAY --from 2026-03-02 --to 2026-03-01
refused 4 "no project 'NOPE'" "an unknown project" dk metrics NOPE
done_testing
