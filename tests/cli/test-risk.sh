#!/bin/bash
# SPDX-License-Identifier: MIT
# A deployment's risk level and back-out plan: stated at creation or by a
# change of plan (--risk, --backout-plan), shown by deploy show; policy
# plan-required makes both required in its environment (at creation, on a
# change of plan, and before approval or start, which an admin may
# override); high-risk-approvals adds approvals to a high-risk deployment;
# a rollback carries both; audit verify replays the rule and compares the
# columns with the trail.
# Usage: test-risk.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/risk.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "alice, a second admin" dk user add alice --name "Alice Admin" --admin
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned by mmartin, no plan
show() { dk --format json deploy show "$1" | jget "$2" /dev/stdin; }
create() {
	dk --as mmartin deploy create ERP --version "$1" --env PROD --description d \
		--responsible jdupont --date "${DATE:-2026-03-01 10:00}" "${@:2}"
}

# ---------------------------------------------------------------- defaults

run create v2.0
N0=$(head -1 "$WORK/.out")
is "$RC:$(show "$N0" risk):$(show "$N0" backout_plan)" "0:null:null" \
	"by default neither is required (the spec's workflow): planned without them"
refused 2 "^deploydesk: risk: 'extreme' is not one of low, medium, high$" "an unknown risk level" \
	create v2.1 --risk extreme
DATE="2026-03-01 11:00" run create v2.1 --risk "Élevé" --backout-plan $'Redéployer v1.1.9\nrestaurer la base'
N1=$(head -1 "$WORK/.out")
is "$RC:$(show "$N1" risk)" "0:HIGH" "the French word 'Élevé' is the risk level HIGH"
is "$(show "$N1" backout_plan)" $'Redéployer v1.1.9\nrestaurer la base' "the back-out plan is kept, its lines too"
like "$(dk deploy show "$N1")" $'Risk: +High\nBack-out plan:\n +Redéployer v1.1.9\n +restaurer la base' "deploy show, as a table, shows both"
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
	export DEPLOYDESK_LOCALEDIR
	DEPLOYDESK_LOCALEDIR=$(cd "$(dirname "$DD_GIVEN")" && pwd)/po
	like "$(LC_ALL=fr_FR.UTF-8 dk deploy show "$N1")" $'Risque : +Élevé\nPlan de retour arrière :' "... in French too"
	unset DEPLOYDESK_LOCALEDIR
else
	skip "locale fr_FR.UTF-8 not generated"
fi

# ---------------------------------------------------------------- plan-required

expect_ok "plan-required on PROD" dk policy set ERP PROD plan-required yes
refused 2 "^deploydesk: risk: required on PROD \(policy plan-required yes\)$" \
	"PROD: a deployment without a risk level is not planned" create v3.0 --backout-plan "Redeploy"
refused 2 "^deploydesk: back-out plan: required on PROD \(policy plan-required yes\): say how the deployment is undone$" \
	"... nor one without a back-out plan" create v3.0 --risk low
refused 2 "^deploydesk: back-out plan: required on PROD" "... a plan of blanks is none" \
	create v3.0 --risk low --backout-plan $' \n '
run dk --as mmartin deploy create ERP --version v3.0 --env TEST \
	--description d --responsible jdupont --date "2026-03-01 10:00"
T=$(head -1 "$WORK/.out")
is "$RC" 0 "TEST has no such policy: planned there without them"
refused 2 "^deploydesk: risk: required on PROD" "a plan moved to PROD without them is refused" \
	dk --as mmartin deploy edit "$T" --env PROD

NOPLAN="^deploydesk: PROD: deployment v1\.2\.0 has neither a risk level nor a back-out plan, which the policy requires \(plan-required yes\): change its plan first$"
refused 5 "$NOPLAN" "v1.2.0, planned before the policy, is not approved" dk --as mmartin deploy authorize "$V"
refused 2 "^deploydesk: back-out plan: required on PROD" "a change of plan giving the risk alone is refused" \
	dk --as mmartin deploy edit "$V" --risk medium
run dk --as mmartin deploy edit "$V" --risk medium --backout-plan "Redeploy v1.1.9"
is "$RC:$(show "$V" risk):$(show "$V" backout_plan)" "0:MEDIUM:Redeploy v1.1.9" "a change of plan gives both"
expect_ok "then it is approved" dk --as mmartin deploy authorize "$V"
refused 2 "^deploydesk: risk: required on PROD" "taking the risk away again is refused" \
	dk --as mmartin deploy edit "$V" --risk none
is "$(show "$V" authorized_by)" "mmartin" "... and the approval stays"

# Approved before the policy, started after: the start is refused too,
# and an admin passes it with a reason (an exception).
expect_ok "plan-required off" dk policy set ERP PROD plan-required no
expect_ok "N0 (no plan) approved while the policy is off" dk --as mmartin deploy authorize "$N0"
expect_ok "plan-required on again" dk policy set ERP PROD plan-required yes
refused 5 "^deploydesk: PROD: deployment v2\.0 has neither a risk level nor a back-out plan" \
	"an approved deployment without them is not started" dk --as jdupont deploy start "$N0"
run dk deploy start "$N0" --override "Correctif de sécurité"
is "$RC:$ERR" $'0:Started v2.0 (Production)\nThe override passed plan-required: exception 1, open until someone else reviews it' \
	"an admin's override passes plan-required, named in the exception"
expect_ok "v2.0 succeeds" dk deploy succeed "$N0" --logs "ok"

# ---------------------------------------------------------------- high-risk-approvals

expect_ok "high-risk-approvals 1 on PROD" dk policy set ERP PROD high-risk-approvals 1
run dk --as mmartin deploy authorize "$N1"
is "$RC:$ERR" "0:Approved v2.1 (Production): 1 of 2 approvals" "a high-risk deployment needs one more approval"
is "$(dk deploy list ERP | awk '$2 == "v2.1" { print $5 }')" "1/2" "the list shows 1/2"
refused 5 "^deploydesk: deployment v2\.1 is not authorized: PROD needs 2 approvals for a high-risk deployment; 1 given: Marie Martin$" \
	"one approval does not start it, and the refusal says why two" dk --as jdupont deploy start "$N1"
expect_ok "a second approver" dk --as alice deploy authorize "$N1"
expect_ok "then it starts" dk --as jdupont deploy start "$N1"
is "$(dk deploy list ERP | awk '$2 == "v1.2.0" { print $5 }')" "Yes" \
	"a medium-risk deployment still needs one: v1.2.0 stays authorized"

# ---------------------------------------------------------------- rollback

expect_ok "v2.1 fails" dk --as jdupont deploy fail "$N1" --logs "boom"
run dk --as mmartin deploy rollback "$N1"
R=$(head -1 "$WORK/.out")
is "$RC:$(show "$R" risk):$(show "$R" backout_plan)" "0:HIGH:Deploy v2.1 again, the version this rollback replaces" \
	"a rollback carries the risk of the deployment it rolls back, and its back-out plan is that deployment's version"

# ---------------------------------------------------------------- audit verify

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact"
sqlite_tail "data and trail edited by SQL"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET backout_plan = 'Rien' WHERE id = '$V'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:backout_plan" "a back-out plan changed by SQL: audit verify names the column"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET risk = 'LOW' WHERE id = '$N1'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:risk" "a risk level lowered by SQL: audit verify names the column"

# The edit that gave v1.2.0 its plan forged into one without a risk level:
# the policy was on, so the change itself breaks the rule.
SEQ=$(sqlite3 "$DB" "SELECT max(seq) FROM audit WHERE action = 'deploy.edit' AND entity_id = '$V'")
check "the change of plan forged without its risk level" forge_record "$SEQ" \
	"UPDATE audit SET after = json_remove(after, '\$.risk') WHERE seq = $SEQ;
	UPDATE tasks SET risk = NULL WHERE id = '$V'"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$SEQ" "audit verify fails at the forged change of plan"
like "$(jget problem)" "the policy wanted a risk level and a back-out plan" "... naming the rule"

done_testing
