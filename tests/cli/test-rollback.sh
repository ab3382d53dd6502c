#!/bin/bash
# SPDX-License-Identifier: MIT
# deploy rollback ID: plans, now, the version that succeeded last in the
# same environment, by the time it was executed, before the deployment was
# executed (not executed yet: before now), whatever was planned when, for
# its responsible person, described "Rollback of vX", linked both ways;
# whoever may create; through the same approvals and policies; refused when
# nothing succeeded before; audit verify checks the version chosen against
# the history it replays.
# Usage: test-rollback.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/rollback.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
# On PROD, executed in this order, a day apart (the test clock): v1.0.0
# and v1.0.5 succeed, v1.0.9 fails, v3.0.0 (planned before all but
# v1.0.0) fails, then v2.0.0 succeeds. The demo's v1.1.8 failed on PROD
# in February, before any of them.
plan() { # VERSION DATE OUTCOME CLOCK
	run later "$4" --as mmartin deploy create ERP --version "$1" --env PROD --description d \
		--responsible lbernard --date "$2"
	ID=$(deploy_ids ERP | while read -r i; do
		[ "$(dk --format json deploy show "$i" | jget version /dev/stdin)" = "$1" ] && echo "$i"; done)
	run later "$4" --as mmartin deploy authorize "$ID"
	run later "$4" --as jdupont deploy "$3" "$ID" --logs "$3"
}
plan v1.0.0 "2026-01-10 10:00" succeed +1d
plan v1.0.5 "2026-01-20 10:00" succeed +2d
plan v1.0.9 "2026-02-01 10:00" fail +3d
plan v3.0.0 "2026-01-12 10:00" fail +4d
plan v2.0.0 "2026-03-01 10:00" succeed +5d
vid() { deploy_ids ERP | while read -r i; do
	[ "$(dk --format json deploy show "$i" | jget version /dev/stdin)" = "$1" ] && echo "$i"; done; }
F=$(vid v3.0.0)

refused 5 "^deploydesk: no version succeeded on PROD before v1.1.8: there is nothing to roll back to$" \
	"the demo's v1.1.8 failed before anything succeeded on PROD: nothing to roll back to" \
	later +6d --as mmartin deploy rollback "$(vid v1.1.8)"
refused 3 "^deploydesk: only an admin or the project manager of project ERP may create a deployment$" \
	"a senior developer may not plan a rollback" later +6d --as jdupont deploy rollback "$F"
run later +6d --as mmartin deploy rollback "${F:0:8}"
is "$RC" 0 "the manager plans the rollback of the failed v3.0.0 (by its id's first 8 characters)"
like "$OUT" "$UUID_RE" "... prints the new deployment's id"
is "$ERR" "deploydesk: warning: v2.0.0 succeeded on Production after v3.0.0: the rollback will replace it with v1.0.5
Planned the rollback of v3.0.0: v1.0.5 (Production)" \
	"... v1.0.5: the last success on PROD before v3.0.0 failed; not v1.0.0, the last planned before it, nor v2.0.0 after it, nor v1.0.9 which failed; and a warning that v2.0.0, which runs there now, would be replaced"
N=$OUT
show() { dk --format json deploy show "$1" | jget "$2" /dev/stdin; }
is "$(show "$N" version):$(show "$N" environment):$(show "$N" status):$(show "$N" responsible)" \
	"v1.0.5:PROD:A_FAIRE:lbernard" "... planned on PROD for v3.0.0's responsible person"
is "$(show "$N" description):$(show "$N" rollback_of):$(show "$F" rolled_back_by)" \
	"Rollback of v3.0.0:$F:$N" "... \"Rollback of v3.0.0\", linked both ways"
refused 5 "not authorized yet" "it goes through approvals: not started before one" \
	later +6d --as jdupont deploy start "$N"
refused 5 "^deploydesk: a rollback of v3\.0\.0 is already planned \(v1\.0\.5\): cancel it first to plan another$" \
	"a second rollback while the first is planned" later +6d --as mmartin deploy rollback "$F"
run later +6d --as mmartin deploy cancel "$N" --reason "Mauvaise cible"
run later +6d --as mmartin deploy rollback "$F"
is "$RC" 0 "once it is cancelled, another may be planned"
R2=$OUT
run later +6d --as mmartin deploy cancel "$R2" --reason "Doublon"

refused 5 "^deploydesk: no version succeeded on PROD before v1.0.0: there is nothing to roll back to$" \
	"the first success on PROD has nothing to roll back to" later +6d --as mmartin deploy rollback "$(vid v1.0.0)"
# Not executed yet: what runs there now, the last success (v2.0.0).
run later +6d --as mmartin deploy rollback "$(vid v1.2.0)"
is "$RC:$ERR" "0:Planned the rollback of v1.2.0: v2.0.0 (Production)" \
	"the rollback of a deployment not executed yet: the version that succeeded last (v2.0.0, what runs there now)"
run later +6d --as mmartin deploy cancel "$OUT" --reason "Essai"

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact"
sqlite_tail "data and trail edited by SQL"
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE entity_id = '$N' AND action = 'deploy.create'")
check "the rollback's version forged as v1.0.0" forge_record "$SEQ" \
	"UPDATE audit SET after = replace(after, '\"version\":\"v1.0.5\"', '\"version\":\"v1.0.0\"') WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$SEQ" "a rollback to another version, forged and re-hashed: audit verify fails there"
like "$(jget problem)" "not the last that succeeded before" "... naming why"

# The first rollback's cancel forged into a cancel of v1.2.0: the second
# rollback was then planned while the first still was.
V120=$(deploy_ids ERP | while read -r i; do
	[ "$(dk --format json deploy show "$i" | jget version /dev/stdin)" = v1.2.0 ] && echo "$i"; done)
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE entity_id = '$N' AND action = 'deploy.cancel'")
R2SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE entity_id = '$R2' AND action = 'deploy.create'")
check "the first rollback's cancel forged into v1.2.0's" forge_record "$SEQ" \
	"UPDATE audit SET entity_id = '$V120' WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$R2SEQ" "two rollbacks of one deployment planned at once: audit verify fails at the second"
like "$(jget problem)" "a rollback of the same deployment was still planned or in progress" "... naming why"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET rollback_of = NULL WHERE id = '$N'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:rollback_of" "the link cut by SQL: audit verify names tasks.rollback_of"

done_testing
