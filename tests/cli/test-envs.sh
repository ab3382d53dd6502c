#!/bin/bash
# SPDX-License-Identifier: MIT
# deploydesk envs: what runs where, every project (rows) in each
# environment (columns): the version that last succeeded there and when, a
# last attempt that failed after it (!), one in progress (>), how many are
# planned (+N); --format json gives each project and environment's fields;
# envs --ahead the versions that succeeded in an environment and not yet in
# the next. Anyone registered.
# Usage: test-envs.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/envs.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
# One deployment through its steps: plan VERSION ENV DATE OUTCOME
# (succeed, fail, start or nothing).
plan() {
	run dk --as mmartin deploy create ERP --version "$1" --env "$2" --description d \
		--responsible jdupont --date "$3"
	local id
	id=$(head -1 "$WORK/.out")
	[ -z "$4" ] && return
	dk --as mmartin deploy authorize "$id" >/dev/null 2>&1
	dk --as jdupont deploy start "$id" >/dev/null 2>&1
	[ "$4" = start ] || dk --as jdupont deploy "$4" "$id" --logs "$4" >/dev/null 2>&1
}
expect_ok "project CRM, its tests finished" dk project add CRM --name "Gestion clients"
dk member add CRM mmartin --role chef >/dev/null 2>&1
dk member add CRM jdupont --role dev-senior >/dev/null 2>&1
dk stage set CRM TESTS TERMINEE >/dev/null 2>&1
# The demo's ERP: v1.1.7 succeeded on PREPROD, v1.1.9 on TEST, v1.1.8
# failed on PROD, v1.2.0 planned on PROD.
plan v1.0.0 PROD "2026-01-10 10:00" succeed
plan v1.2.1 DEV "2026-02-10 10:00" succeed
plan v1.2.2 DEV "2026-02-11 10:00" succeed
plan v1.2.2 TEST "2026-02-12 10:00" start

run dk --as cpetit envs
is "$RC" 0 "a viewer may read it"
is "$(sed -n 1p "$WORK/.out" | tr -s ' ')" "Project DEV TEST PREPROD PROD" "the table: a project a row, an environment a column"
is "$(grep '^ERP' "$WORK/.out" | tr -s ' ')" "ERP v1.2.2 v1.1.9 > v1.1.7 v1.0.0 ! +1" \
	"ERP: the last success in each; TEST also has v1.2.2 in progress; PROD's last attempt (v1.1.8) failed after v1.0.0, and one is planned"
is "$(grep '^CRM' "$WORK/.out" | tr -s ' ')" "CRM - - - -" "CRM: nothing yet"
is "$(tail -1 "$WORK/.out")" "! the last attempt failed  > one in progress  +N planned" "the marks are explained"

run dk --format json envs
is "$("$PY" -c 'import json,sys
d = {(x["project"], x["environment"]): x for x in json.load(open(sys.argv[1]))}
p = d[("ERP", "PROD")]
print(len(d), p["current"], p["failed"], p["running"], p["next"], p["planned"], d[("ERP", "TEST")]["running"], d[("CRM", "DEV")]["current"])' "$WORK/.out")" \
	"8 v1.0.0 v1.1.8 None v1.2.0 1 v1.2.2 None" "--format json: a record per project and environment, each field"
like "$(jget 7.current_at)" "^2026-[0-9-]+T[0-9:]+Z$" "... with when the current version ended, in UTC"

run dk envs --ahead
is "$(sed 1d "$WORK/.out" | tr -s ' ')" $'ERP DEV TEST 2 v1.2.2 v1.2.1\nERP TEST PREPROD 1 v1.1.9\nERP PREPROD PROD 1 v1.1.7' \
	"--ahead: v1.2.2 and v1.2.1 succeeded on DEV, not yet on TEST (v1.2.2 is in progress there), the newest first; v1.1.9 on TEST; v1.1.7 on PREPROD"
plan v1.1.7 PROD "2026-02-13 10:00" succeed
run dk envs --ahead
is "$(grep -c 'PREPROD PROD' <(tr -s ' ' <"$WORK/.out"))" 0 "once v1.1.7 succeeded on PROD it is no longer ahead"
run dk envs
is "$(grep '^ERP' "$WORK/.out" | tr -s ' ')" "ERP v1.2.2 v1.1.9 > v1.1.7 v1.1.7 +1" \
	"... and PROD runs v1.1.7, its last attempt a success"
done_testing
