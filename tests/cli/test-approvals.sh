#!/bin/bash
# SPDX-License-Identifier: MIT
# Approvals and separation of duties: a project's policy per environment
# (policy set, admins; policy show, anyone), two approvals with
# creator-approves no, approver-executes no, approvals that expire (with a
# test clock: faketime), an approval withdrawn (deploy revoke) and the
# authorization it takes away, a change of plan withdrawing every approval,
# racing approvals counting distinct people only, and audit verify
# replaying every decision against the same rules and comparing the
# approvals and policies tables with the trail.
# Usage: test-approvals.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/approvals.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "alice, a second admin" dk user add alice --name "Alice Admin" --admin
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned by mmartin
field() { dk --format json deploy show "$V" | jget "$1" /dev/stdin; }
approvals() { dk --format json deploy show "$V" | "$PY" -c 'import json,sys
d = json.load(sys.stdin)
print(" ".join(a["by"] + ("" if a["standing"] else "(expired)") for a in d["approvals"]) or "-")'; }
listed() { dk deploy list ERP | awk -v v="$1" '$2 == v { print $5 }'; }

# ---------------------------------------------------------------- policy

run dk --format json policy show ERP
is "$RC:$("$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(len(d), sorted({(x["key"], json.dumps(x["value"])) for x in d}), any(x["set"] for x in d))' "$WORK/.out")" \
	"0:32 [('approval-hours', '0'), ('approvals', '1'), ('approver-executes', 'true'), ('creator-approves', 'true'), ('high-risk-approvals', '0'), ('one-at-a-time', 'false'), ('plan-required', 'false'), ('promotion', 'false')] False" \
	"policy show: 4 environments x 8 keys, all at the spec's defaults, none set"
refused 3 "^deploydesk: only an admin may change a policy$" "the project manager may not set a policy" \
	dk --as mmartin policy set ERP PROD approvals 2
refused 2 "^deploydesk: 'approvers' is not a policy key \(approvals, creator-approves, approver-executes, approval-hours, promotion, one-at-a-time, plan-required, high-risk-approvals\)$" \
	"an unknown key" dk policy set ERP PROD approvers 2
refused 2 "^deploydesk: approvals: '6' is not a whole number from 1 to 5$" "6 approvals" \
	dk policy set ERP PROD approvals 6
refused 2 "^deploydesk: approvals: '2x' is not a whole number from 1 to 5$" "2x approvals" \
	dk policy set ERP PROD approvals 2x
refused 2 "^deploydesk: creator-approves: 'maybe' is not yes or no$" "maybe" \
	dk policy set ERP PROD creator-approves maybe
refused 2 "^deploydesk: environment: 'STAGING' is not DEV, TEST, PREPROD or PROD$" "an unknown environment" \
	dk policy set ERP STAGING approvals 2
refused 4 "no project 'NOPE'" "an unknown project" dk policy set NOPE PROD approvals 2
run dk policy set erp prod approvals 2
is "$RC:$ERR" "0:Policy of ERP on PROD: approvals is now 2" "an admin: approvals 2 on PROD (any case)"
run dk policy set ERP Production creator-approves non
is "$RC:$ERR" "0:Policy of ERP on PROD: creator-approves is now no" "creator-approves non (French word, environment's name)"
refused 5 "^deploydesk: approvals of project ERP on PROD is already 2$" "the same value again" \
	dk policy set ERP PROD approvals 2
is "$(dk --format csv policy show ERP | grep '^PROD,approvals,')" $'PROD,approvals,2,1,true\r' \
	"policy show: PROD approvals 2 (default 1), set"
is "$(dk policy show ERP | awk '$1 == "PROD" && $2 == "creator-approves" { print $3, $4, $5 }')" "no yes yes" \
	"... creator-approves no in the table (default yes)"

# ---------------------------------------------------------------- two approvals

refused 3 "^deploydesk: PROD: the creator of a deployment may not approve it \(policy creator-approves no\); you created v1\.2\.0$" \
	"its creator (mmartin) may not approve it" dk --as mmartin deploy authorize "$V"
run dk --as alice deploy authorize "$V"
is "$RC:$ERR" "0:Approved v1.2.0 (Production): 1 of 2 approvals" "alice approves: 1 of 2"
is "$(field authorized_by):$(approvals)" "null:alice" "... not authorized yet; alice's approval stands"
is "$(listed v1.2.0)" "1/2" "deploy list shows 1/2"
is "$(dk --format json deploy list ERP | "$PY" -c 'import json,sys; print([d["authorized"] for d in json.load(sys.stdin)][0])')" \
	"False" "... and authorized false in JSON"
refused 5 "^deploydesk: deployment v1\.2\.0 is not authorized: PROD needs 2 approvals; 1 given: Alice Admin$" \
	"starting it now: the refusal says which rule, in words" dk --as jdupont deploy start "$V"
refused 5 "^deploydesk: you have already approved deployment v1\.2\.0$" "alice again: one approval a person" \
	dk --as alice deploy authorize "$V"
run dk deploy authorize "$V"
is "$RC:$ERR" "0:Authorized v1.2.0 (Production): 2 of 2 approvals" "root approves: 2 of 2, authorized"
is "$(field authorized_by):$(listed v1.2.0)" "root:Yes" "... root completed it; the list says Yes"
refused 5 "^deploydesk: deployment v1\.2\.0 is already authorized: PROD needs 2 approvals; 2 given: " \
	"a third approval is not needed" dk --as mmartin deploy authorize "$V"

# ---------------------------------------------------------------- revoke

refused 2 "^deploydesk: reason: required to withdraw an approval; say why$" "a withdrawal needs a reason" \
	dk --as alice deploy revoke "$V" --reason " "
refused 5 "^deploydesk: you have no approval of deployment v1\.2\.0 to withdraw; another person's is named with --approver LOGIN$" \
	"mmartin has none of their own: refused, saying how to name another's" dk --as mmartin deploy revoke "$V" --reason r
refused 5 "^deploydesk: you have no approval of deployment v1\.2\.0 to withdraw$" \
	"a senior developer has none of their own: refused, no hint of what they may not do" dk --as jdupont deploy revoke "$V" --reason r
refused 3 "^deploydesk: only an admin or the project manager of project ERP may withdraw another person's approval$" \
	"a senior developer may not withdraw alice's" dk --as jdupont deploy revoke "$V" --approver alice --reason r
refused 5 "^deploydesk: nobody has no approval of deployment v1\.2\.0 to withdraw$" "an approver with none" \
	dk deploy revoke "$V" --approver nobody --reason r
run dk --as mmartin deploy revoke "$V" --approver alice --reason "Alice est en congés"
is "$RC:$ERR" "0:Withdrew the approval of alice from v1.2.0 (Production): 1 of 2 stand" \
	"the project manager withdraws alice's approval: whose, and how many stand"
is "$(field authorized_by):$(approvals):$(listed v1.2.0)" "null:root:1/2" \
	"... below 2, no longer authorized; root's stands; the list says 1/2"
run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"] == "deploy.revoke"][-1]
print(r["login"], r["before"]["approver"], r["before"]["authorized_by"], r["after"]["authorized_by"], r["after"]["reason"])' "$WORK/.out")" \
	"mmartin alice root None Alice est en congés" "the trail: who withdrew whose approval, the authorization it took away, why"
run dk deploy show "$V"
is "$(grep -A3 'mmartin withdrew an approval' "$WORK/.out" | tail -n +2 | sed 's/^ *//')" "Authorized by: root → -
Approval of: alice → -
Reason: Alice est en congés" "deploy show's history: the withdrawal, whose approval and why"
run dk --format json deploy show "$V"
is "$(jget history.0.action):$("$PY" -c 'import json,sys
print(json.load(open(sys.argv[1]))["history"][-1]["action"])' "$WORK/.out")" "deploy.create:deploy.revoke" \
	"... in JSON, the trail's records of the deployment, oldest first (seq, at, login, action)"
expect_ok "alice approves again" dk --as alice deploy authorize "$V"
is "$(field authorized_by)" "alice" "... authorized again, by alice's approval"

# A change of plan withdraws every approval.
run dk --as mmartin deploy edit "$V" --date "2026-02-07 09:00"
is "$RC:$ERR" "0:Changed the plan of v1.2.0 (Production); its authorization is withdrawn" \
	"a change of plan: the authorization is withdrawn"
is "$(approvals):$(listed v1.2.0)" "-:0/2" "... and every approval with it: 0/2"

# ---------------------------------------------------------------- executes

run dk policy set ERP PROD approver-executes no
expect_ok "alice approves" dk --as alice deploy authorize "$V"
expect_ok "root approves" dk deploy authorize "$V"
refused 3 "^deploydesk: PROD: who approved a deployment may not execute it \(policy approver-executes no\); you approved v1\.2\.0$" \
	"approver-executes no: root, an approver, may not start it" dk deploy start "$V"
refused 3 "may not execute it" "... nor record its outcome" dk deploy succeed "$V" --logs ok
expect_ok "jdupont, who did not approve, starts it" dk --as jdupont deploy start "$V"
refused 3 "may not execute it" "alice, an approver, may not record its outcome" dk --as alice deploy succeed "$V" --logs ok
refused 5 "an approval is withdrawn only before it starts" "once started, no approval is withdrawn" \
	dk --as alice deploy revoke "$V" --reason r
expect_ok "jdupont records its success" dk --as jdupont deploy succeed "$V" --logs "ok"

# ---------------------------------------------------------------- expiry

if command -v faketime >/dev/null; then
	run dk policy set ERP TEST approval-hours 1
	run dk --as mmartin deploy create ERP --version v2.0.0 --env TEST --description d \
		--responsible jdupont --date "2026-03-01 10:00"
	V=$(deploy_ids ERP | head -1)
	run dk --as mmartin deploy authorize "$V"
	is "$RC:$ERR" "0:Authorized v2.0.0 (Test)" "TEST asks one approval, for an hour: mmartin authorizes"
	like "$(field approvals)" "expires_at" "... the approval expires"
	is "$(dk --format json deploy show "$V" | "$PY" -c 'import json,sys,datetime
a = json.load(sys.stdin)["approvals"][0]
f = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
print(f(a["expires_at"]) - f(a["approved_at"]))')" "1:00:00" "... an hour after it was given"
	run later "+2h" --as jdupont deploy start "$V"
	is "$RC" 5 "two hours later (faketime): start refused"
	like "$ERR" "^deploydesk: deployment v2\.0\.0 is not authorized: TEST needs 1 approval; 0 given; expired: Marie Martin$" \
		"... saying the approval expired, and whose"
	run later "+2h" deploy list ERP
	is "$(awk '$2 == "v2.0.0" { print $5 }' <<<"$OUT")" "No" "... the list says No then"
	run later "+2h" --as mmartin deploy authorize "$V"
	is "$RC:$ERR" "0:Authorized v2.0.0 (Test)" "mmartin approves again then: renewed"
	run later "+2h" --as jdupont deploy start "$V"
	is "$RC:$ERR" "0:Started v2.0.0 (Test)" "... and it starts"
	run later "+2h" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "audit verify replays the expiry at each record's time"
else
	for i in $(seq 9); do skip "faketime is missing (apt-get install faketime)"; done
fi

# ---------------------------------------------------------------- races

# Three people approve the same deployment at the same moment: three
# approvals, never more; one person twice at once: one.
run dk policy set ERP PREPROD approvals 3
run dk --as mmartin deploy create ERP --version v3.0.0 --env PREPROD --description d \
	--responsible jdupont --date "2026-03-02 10:00"
R=$(deploy_ids ERP | head -1)
for who in mmartin alice root alice alice; do
	"$DD" --db "$DB" --as "$who" deploy authorize "$R" >/dev/null 2>&1 &
done
wait
is "$(dk --format json deploy show "$R" | "$PY" -c 'import json,sys
d = json.load(sys.stdin)
print(sorted(a["by"] for a in d["approvals"]), d["authorized_by"] is not None)')" \
	"['alice', 'mmartin', 'root'] True" "five racing approvals by three people: three approvals, authorized"
is "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'deploy.authorize' AND entity_id = '$R'")" 3 \
	"... three records in the trail"

# ---------------------------------------------------------------- verify

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact after every decision"
cp "$DB" "$WORK/a.db"
sqlite3 "$WORK/a.db" "INSERT INTO approvals (task_id, user_id, approved_at)
	SELECT id, (SELECT id FROM users WHERE login = 'lbernard'), created_at FROM tasks
	WHERE id = '$R'"
run "$DD" --db "$WORK/a.db" --format json audit verify
is "$RC:$(jget table)" "1:approvals" "an approval added by SQL: audit verify names the approvals table"
cp "$DB" "$WORK/p.db"
sqlite3 "$WORK/p.db" "UPDATE policies SET value = 1 WHERE key = 'approvals' AND environment = 'PROD'"
run "$DD" --db "$WORK/p.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:policies:value" "a policy changed by SQL: audit verify names policies.value"
cp "$DB" "$WORK/d.db"
sqlite3 "$WORK/d.db" "DELETE FROM approvals WHERE task_id = '$R' AND user_id = (SELECT id FROM users WHERE login = 'alice')"
run "$DD" --db "$WORK/d.db" --format json audit verify
is "$RC:$(jget table)" "1:approvals" "an approval deleted by SQL: audit verify names the approvals table"

# An approval by a senior developer, forged and re-hashed, is found.
SEQ=$(sqlite3 "$DB" "SELECT max(seq) FROM audit WHERE action = 'deploy.authorize' AND login = 'alice' AND entity_id = '$R'")
check "alice's approval forged as jdupont's" forge_record "$SEQ" "UPDATE audit SET login = 'jdupont',
	after = replace(after, '\"approved_by\":\"alice\"', '\"approved_by\":\"jdupont\"') WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$SEQ" "an approval by a senior developer, forged and re-hashed: audit verify fails there"
like "$(jget problem)" "the rules did not allow it" "... which the rules did not allow"

done_testing
