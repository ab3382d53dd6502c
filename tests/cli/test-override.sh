#!/bin/bash
# SPDX-License-Identifier: MIT
# Overrides and exceptions: an admin passes the rules of a project's policy
# for one action with --override REASON (too few approvals, its creator
# approving, its approver executing, a freeze), never the spec's own rules;
# each override is an exception flagged on the deployment, listed by
# exception list (--open), open (overdue after 72 hours, which the inbox
# says too) until someone else who may authorize reviews it with a note;
# audit verify replays the overrides and reviews and compares the
# exceptions table.
# Usage: test-override.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/override.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "alice, a second admin" dk user add alice --name "Alice Admin" --admin
run dk policy set ERP PROD approvals 2
run dk policy set ERP PROD creator-approves no
run dk policy set ERP PROD approver-executes no
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned by mmartin
field() { dk --format json deploy show "$V" | jget "$1" /dev/stdin; }
run dk freeze add ERP --env PROD --from "$(date -d '-1 day' '+%Y-%m-%d %H:%M')" \
	--to "$(date -d '+1 day' '+%Y-%m-%d %H:%M')" --reason "Fin d'année"

# Who may, and what.
refused 3 "^deploydesk: only an admin may override a project's policy$" "a senior developer may not override" \
	dk --as jdupont deploy start "$V" --override "urgence"
refused 2 "^deploydesk: override: a reason is required; say why$" "an override needs a reason" \
	dk deploy start "$V" --override "  "
refused 3 "may not approve it \(policy creator-approves no\)" "the creator's approval, without override" \
	dk --as mmartin deploy authorize "$V"
run dk --as alice deploy authorize "$V"
refused 2 "^deploydesk: nothing to override: the rules allow it \(leave --override out\)$" \
	"an override where no rule refuses" dk deploy authorize "$V" --override "pour voir"
is "$(dk --format json exception list | "$PY" -c "import json,sys; print(len(json.load(sys.stdin)))")" \
	0 "... and no exception is opened"

# Inside the freeze, with one approval of two, alice (who approved) starts
# it: three rules passed at once.
refused 5 "is frozen until" "without override: the freeze refuses" dk --as alice deploy start "$V"
run dk --as alice deploy start "$V" --override "Faille de sécurité critique"
is "$RC:$ERR" $'0:Started v1.2.0 (Production)\nThe override passed approvals approver-executes freeze: exception 1, open until someone else reviews it' \
	"alice overrides: started, and told which rules it passed and which exception it is"
is "$(field status):$(field exceptions)" "EN_COURS:1" "... in progress, flagged with one exception"
run dk --format json exception list ERP
is "$("$PY" -c 'import json,sys
e = json.load(open(sys.argv[1]))[0]
print(e["id"], e["version"], e["action"], e["rules"], e["opened_by"], e["state"], e["reason"])' "$WORK/.out")" \
	"1 v1.2.0 deploy.start approvals approver-executes freeze alice open Faille de sécurité critique" \
	"exception list: its id, the deployment, the action, the rules passed, who, open, why"

# The spec's own rules are never passed.
refused 5 "already in progress" "an override does not start it twice" \
	dk deploy start "$V" --override "encore"
refused 3 "^deploydesk: only an admin may override a project's policy$" \
	"an override is an admin's: a manager's --override is refused" \
	dk --as mmartin deploy authorize "$V" --override "x"

# A planned deployment never approved, executed directly by an admin's
# override: the override authorizes it.
run dk --as mmartin deploy create ERP --version v1.3.0 --env PROD --description d \
	--responsible jdupont --date "2026-03-01 10:00"
W=$(deploy_ids ERP | head -1)
run dk deploy succeed "$W" --logs "hotfix appliqué" --override "Incident majeur en production"
is "$RC" 0 "root records the success of a deployment nobody approved, inside the freeze"
is "$(dk --format json deploy show "$W" | jget authorized_by /dev/stdin)" "root" "... the override authorized it"

# Review.
refused 3 "^deploydesk: exception 1 is your own override: someone else who may authorize in project ERP reviews it$" \
	"alice may not review her own override" dk --as alice exception review 1 --note ok
refused 3 "^deploydesk: only an admin or the project manager of project ERP may review exception 1$" \
	"a senior developer may not review" dk --as jdupont exception review 1 --note ok
refused 2 "^deploydesk: review note: required to review an exception" "a review needs a note" \
	dk --as mmartin exception review 1 --note ""
refused 4 "^deploydesk: no exception 9 " "no exception 9" dk --as mmartin exception review 9 --note ok
run dk --as mmartin exception review 1 --note "Justifié : CVE corrigée le jour même"
is "$RC:$ERR" "0:Reviewed exception 1" "the project manager reviews it"
refused 5 "^deploydesk: exception 1 was already reviewed by mmartin$" "a second review is refused" \
	dk exception review 1 --note again
is "$(dk --format csv exception list --open | sed 1d | cut -d, -f1 | tr '\n' ' ')" "2 " \
	"exception list --open: only the one left to review"
# The open one in mmartin's inbox: to review, not yet overdue; four days
# later (72 hours after it was opened), overdue, by the same rule as
# exception list, in the sentence and in the fields.
OPENED=$(dk --format json exception list --open | jget 0.opened_at /dev/stdin)
run dk --as mmartin inbox
like "$OUT" $'(^|\n)ERP v1\\.3\\.0 on PROD: exception 2 to review \\(opened [0-9-]{10} [0-9:]{5}\\)(\n|$)' \
	"the inbox: exception 2 to review, opened, not overdue"
run dk --as mmartin --format json inbox
is "$("$PY" -c 'import json,sys
print([(x["exception"], x["overdue_since"]) for x in json.load(open(sys.argv[1])) if x["kind"] == "review"])' "$WORK/.out")" \
	"[(2, None)]" "... in JSON: overdue_since null"
if command -v faketime >/dev/null; then
	run later "+4d" --format json exception list --open
	is "$("$PY" -c 'import json,sys; print([e["state"] for e in json.load(open(sys.argv[1]))])' "$WORK/.out")" \
		"['overdue']" "four days later (faketime): the open one is overdue"
	DUE=$(date -u -d "$OPENED + 72 hours" '+%Y-%m-%dT%H:%M:%SZ')
	run later "+4d" --as mmartin inbox
	like "$OUT" "(^|"$'\n'")ERP v1\\.3\\.0 on PROD: exception 2 to review, overdue since $(date -d "$DUE" '+%Y-%m-%d %H:%M')("$'\n'"|\$)" \
		"... the inbox says so, with the date it became overdue (72 hours after it was opened)"
	run later "+4d" --as mmartin --format json inbox
	is "$("$PY" -c 'import json,sys
print([(x["kind"], x["exception"], x["overdue_since"]) for x in json.load(open(sys.argv[1])) if x["exception"]])' "$WORK/.out")" \
		"[('review', 2, '$DUE')]" "... in JSON: its kind still review, overdue_since that date (UTC)"
	run later "+4d" --as mmartin --format csv inbox
	like "$(head -1 "$WORK/.out")" "^kind,project,id,version,environment,when,exception,overdue_since,text" \
		"... in CSV: an overdue_since column"
	like "$(grep ',2,' "$WORK/.out")" ",2,$DUE," "... with the date"
	run later "+71h" --as mmartin --format json inbox
	is "$("$PY" -c 'import json,sys
print([x["overdue_since"] for x in json.load(open(sys.argv[1])) if x["exception"]])' "$WORK/.out")" \
		"[None]" "71 hours later: not yet overdue"
else
	for i in 1 2 3 4 5 6; do skip "faketime is missing (apt-get install faketime)"; done
fi

# audit verify.
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact after the overrides and the review"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "DELETE FROM exceptions WHERE id = 2"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table)" "1:exceptions" "an exception deleted by SQL: audit verify names the exceptions table"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE exceptions SET rules = 'freeze' WHERE id = 1"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:exceptions:rules" "its rules changed by SQL: audit verify names exceptions.rules"
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.start' AND entity_id = '$V'")
check "alice's override forged as jdupont's" forge_record "$SEQ" \
	"UPDATE audit SET login = 'jdupont', after = replace(after, '\"started_by\":\"alice\"', '\"started_by\":\"jdupont\"')
	WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$SEQ" "an override by a senior developer, forged and re-hashed: audit verify fails there"
like "$(jget problem)" "the rules did not allow it" "... which the rules did not allow"

done_testing
