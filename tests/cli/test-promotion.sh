#!/bin/bash
# SPDX-License-Identifier: MIT
# The promotion and one-at-a-time policies: with promotion yes, a version
# starts (or has its outcome recorded from planned) in an environment only
# once it succeeded in the one before (DEV, TEST, PREPROD, PROD); with
# one-at-a-time yes, a deployment does not start while another is in
# progress there; an admin's override passes either, as an exception;
# audit verify replays both against the history.
# Usage: test-promotion.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/promotion.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
id_of() { deploy_ids ERP | while read -r i; do
	[ "$(dk --format json deploy show "$i" | jget version /dev/stdin):$(dk --format json deploy show "$i" | jget environment /dev/stdin)" = "$1:$2" ] && echo "$i"; done; }
plan() {
	run dk --as mmartin deploy create ERP --version "$1" --env "$2" --description d \
		--responsible jdupont --date "$3"
	run dk --as mmartin deploy authorize "$(id_of "$1" "$2")"
}

run dk policy set ERP PROD promotion yes
is "$RC:$ERR" "0:Policy of ERP on PROD: promotion is now yes" "promotion yes on PROD"
P=$(id_of v1.2.0 PROD)
expect_ok "v1.2.0 on PROD authorized" dk --as mmartin deploy authorize "$P"
refused 5 "^deploydesk: PROD: version v1\.2\.0 has not succeeded on PREPROD yet \(policy promotion yes\): it goes there first$" \
	"it does not start on PROD before it succeeded on PREPROD" dk --as jdupont deploy start "$P"
refused 5 "has not succeeded on PREPROD yet" "... nor has its outcome recorded" dk --as jdupont deploy succeed "$P" --logs ok
plan v1.2.0 PREPROD "2026-02-05 09:00"
expect_ok "v1.2.0 succeeds on PREPROD" dk --as jdupont deploy succeed "$(id_of v1.2.0 PREPROD)" --logs ok
expect_ok "then it starts on PROD" dk --as jdupont deploy start "$P"

plan v1.3.0 PROD "2026-03-01 10:00"
run dk --as jdupont deploy start "$(id_of v1.3.0 PROD)" --override "Correctif urgent"
is "$RC" 3 "a senior developer may not override"
run dk deploy start "$(id_of v1.3.0 PROD)" --override "Correctif urgent"
like "$RC:$ERR" "^0:Started v1\.3\.0 \(Production\)"$'\n'"The override passed promotion: exception 1" \
	"an admin's override passes promotion, as an exception"

# One at a time, on TEST.
run dk policy set ERP TEST one-at-a-time yes
plan v2.0.0 TEST "2026-03-02 10:00"
plan v2.0.1 TEST "2026-03-02 11:00"
expect_ok "v2.0.0 starts on TEST" dk --as jdupont deploy start "$(id_of v2.0.0 TEST)"
refused 5 "^deploydesk: TEST: deployment v2\.0\.0 is already in progress there \(policy one-at-a-time yes\)$" \
	"v2.0.1 does not start while v2.0.0 is in progress" dk --as jdupont deploy start "$(id_of v2.0.1 TEST)"
expect_ok "v2.0.0 succeeds" dk --as jdupont deploy succeed "$(id_of v2.0.0 TEST)" --logs ok
expect_ok "then v2.0.1 starts" dk --as jdupont deploy start "$(id_of v2.0.1 TEST)"

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact, the starts replayed against promotion and one-at-a-time"
sqlite_tail "data and trail edited by SQL"
PRE=$(id_of v1.2.0 PREPROD)
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.create' AND entity_id = '$PRE'")
START=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.start' AND entity_id = '$P'")
check "the PREPROD deployment forged as another version" forge_record "$SEQ" \
	"UPDATE audit SET after = replace(after, '\"version\":\"v1.2.0\"', '\"version\":\"v9.9.9\"') WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$START" "then v1.2.0 started on PROD out of promotion order: audit verify fails at that start"
like "$(jget problem)" "the policy wanted the version promoted first" "... naming the rule"

done_testing
