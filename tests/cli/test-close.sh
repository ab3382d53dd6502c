#!/bin/bash
# SPDX-License-Identifier: MIT
# Closing a planned deployment without executing it: deploy cancel (whoever
# may create) and deploy reject (whoever may authorize), each for a reason
# (required, one line, at most 1000 characters) kept on the deployment and
# in the trail; a closed deployment can be neither authorized, started nor
# executed; the statistics count the closed ones apart from the spec's
# total; audit verify replays both against the same rules.
# Usage: test-close.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/close.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
V=$(deploy_ids ERP | head -1) # v1.2.0, planned
OLD=$(deploy_ids ERP | sed -n 2p) # v1.1.9, succeeded
field() { dk --format json deploy show "$1" | jget "$2" /dev/stdin; }
stats() { dk --format json stats ERP | "$PY" -c 'import json,sys
d = json.load(sys.stdin)
print(d["total"], d["planned"], d["cancelled"], d["refused"], d["success_rate"])'; }
is "$(stats)" "4 1 0 0 50.0" "before: 4 deployments, 1 planned, none closed"

# The reason: required, one line, at most 1000 characters.
refused 2 "^deploydesk: deploy cancel: --reason is missing" "cancel without --reason" \
	dk --as mmartin deploy cancel "$V"
refused 2 "^deploydesk: reason: required to cancel a deployment; say why$" "a blank reason" \
	dk --as mmartin deploy cancel "$V" --reason "   "
refused 2 "^deploydesk: reason: required to refuse a deployment; say why$" "reject with an empty reason" \
	dk --as mmartin deploy reject "$V" --reason ""
refused 2 "^deploydesk: reason: .*1000" "a reason of 1001 characters" \
	dk --as mmartin deploy cancel "$V" --reason "$(printf 'x%.0s' $(seq 1001))"
refused 2 "^deploydesk: reason: " "a reason with a line break" \
	dk --as mmartin deploy cancel "$V" --reason $'two\nlines'
refused 2 "^deploydesk: reason: " "a reason with an escape sequence" \
	dk --as mmartin deploy cancel "$V" --reason $'red \e[31m text'

# Who may.
refused 3 "^deploydesk: only an admin or the project manager of project ERP may cancel a deployment$" \
	"a senior developer may not cancel" dk --as jdupont deploy cancel "$V" --reason r
refused 3 "^deploydesk: only an admin or the project manager of project ERP may refuse a deployment$" \
	"a senior developer may not refuse" dk --as jdupont deploy reject "$V" --reason r
refused 3 "may cancel a deployment" "a viewer may not cancel" dk --as cpetit deploy cancel "$V" --reason r
refused 5 "^deploydesk: deployment v1\.1\.9 has the status Succeeded: only a planned deployment can be cancelled$" \
	"an executed deployment cannot be cancelled" dk --as mmartin deploy cancel "$OLD" --reason r
refused 5 "^deploydesk: deployment v1\.1\.9 has the status Succeeded: only a planned deployment can be refused$" \
	"nor refused" dk --as mmartin deploy reject "$OLD" --reason r

# Cancelled, authorized before: the authorization stays recorded.
expect_ok "the manager authorizes v1.2.0" dk --as mmartin deploy authorize "$V"
R1=$(printf 'é%.0s' $(seq 1000)) # 1000 characters, 2000 bytes: the limit counts characters
run dk --as mmartin deploy cancel "$V" --reason "  $R1  "
is "$RC:$OUT:$ERR" "0::Cancelled v1.2.0 (Production)" "the manager cancels it for a reason of 1000 characters: said on stderr"
is "$(field "$V" status):$(field "$V" closed_by):$(field "$V" authorized_by)" "ANNULEE:mmartin:mmartin" \
	"... ANNULEE, closed by mmartin; who authorized it stays"
is "$(field "$V" reason)" "$R1" "... the reason kept, without the blanks around it"
like "$(field "$V" closed_at)" "$ISO_RE" "... and when"
is "$(stats)" "3 0 1 0 66.67" "stats: cancelled apart; the total and the rate are the spec's over the other three"
run dk --format csv deploy list ERP --status annule
is "$(sed -n '2s/,.*//p' <<<"$OUT")" "$V" "deploy list --status annule finds it (a French word, no accent)"

refused 5 "^deploydesk: deployment v1\.2\.0 was cancelled by mmartin: nothing more can be done with it$" \
	"a cancelled deployment cannot be started" dk --as jdupont deploy start "$V"
refused 5 "was cancelled by mmartin" "... nor executed" dk --as jdupont deploy succeed "$V" --logs ok
refused 5 "was cancelled by mmartin" "... nor cancelled again" dk --as mmartin deploy cancel "$V" --reason again
refused 5 "was cancelled by mmartin" "... nor refused" dk --as mmartin deploy reject "$V" --reason again
refused 5 "only a planned deployment's plan may change" "... nor edited" dk --as mmartin deploy edit "$V" --version v2

# Refused, by an admin (root made the demo), never authorized.
run dk --as mmartin deploy create ERP --version v1.3.0 --env TEST --description "Nouvelle version" \
	--responsible jdupont --date "2026-03-01 10:00"
W=$(deploy_ids ERP | head -1)
run dk deploy reject "${W:0:8}" --reason "Pas de plan de retour arrière"
is "$RC:$ERR" "0:Refused v1.3.0 (Test)" "an admin refuses v1.3.0 by its id's first 8 characters"
is "$(field "$W" status):$(field "$W" closed_by):$(field "$W" reason)" "REFUSEE:root:Pas de plan de retour arrière" \
	"... REFUSEE, by root, for its reason"
refused 5 "^deploydesk: deployment v1\.3\.0 was refused by root: nothing more can be done with it$" \
	"a refused deployment cannot be authorized" dk --as mmartin deploy authorize "$W"
is "$(stats)" "3 0 1 1 66.67" "stats: one cancelled, one refused"
run dk --format json stats ERP
is "$(dk stats ERP | tail -2 | tr -s ' ')" $'Cancelled: 1\nRefused: 1' "stats (table) ends with the two counts"

# The trail, and audit verify.
run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"] in ("deploy.cancel", "deploy.reject")]
print(len(r), r[0]["action"], r[0]["before"]["status"], r[0]["after"]["status"], r[0]["after"]["closed_by"],
      r[1]["action"], r[1]["after"]["reason"])' "$WORK/.out")" \
	"2 deploy.cancel A_FAIRE ANNULEE mmartin deploy.reject Pas de plan de retour arrière" \
	"one record each: the status before and after, who, the reason"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact after both"

sqlite_tail "data and trail edited by SQL"
# A reason changed by SQL: the data no longer matches the trail.
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET close_reason = 'autre chose' WHERE id = '$W'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:close_reason" "a reason changed by SQL: audit verify names tasks.close_reason"
# A deployment cancelled by SQL, with no record of it.
cp "$DB" "$WORK/edited2.db"
sqlite3 "$WORK/edited2.db" "UPDATE tasks SET status = 'ANNULEE', closed_by = 1, closed_at = created_at,
	close_reason = 'x' WHERE id = '$OLD'"
run "$DD" --db "$WORK/edited2.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:status" "a deployment closed by SQL: audit verify names tasks.status"

# A cancel by someone the rules refuse, forged and re-hashed, is found.
SEQ=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.cancel'")
check "the cancel forged as jdupont's" forge_record "$SEQ" "UPDATE audit SET login = 'jdupont',
	after = replace(after, '\"closed_by\":\"mmartin\"', '\"closed_by\":\"jdupont\"') WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$SEQ" "a cancel by a senior developer, forged and re-hashed: audit verify fails there"
like "$(jget problem)" "the rules did not allow it" "... which the rules did not allow"

done_testing
