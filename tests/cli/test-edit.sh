#!/bin/bash
# SPDX-License-Identifier: MIT
# Changing a planned deployment (deploy edit): who may (whoever may
# create), while it is planned only, each field checked as at creation, its
# authorization withdrawn (and said), the search and the trail in step,
# and audit verify replaying the change against the same rules.
# Usage: test-edit.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/edit.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
V=$(deploy_ids ERP | head -1) # v1.2.0, planned
field() { dk --format json deploy show "$V" | jget "$1" /dev/stdin; }
is "$(field version):$(field status)" "v1.2.0:A_FAIRE" "v1.2.0 is planned"

expect_ok "the project manager authorizes it" dk --as mmartin deploy authorize "$V"
run dk --as mmartin deploy edit "$V" --date "2026-02-07 09:00" --description "Nouvelle description"
is "$RC:$OUT" "0:" "the manager changes its date and description: nothing on stdout"
is "$ERR" "Changed the plan of v1.2.0 (Production); its authorization is withdrawn" \
	"... says so on stderr, and that the authorization is withdrawn"
is "$(field planned_at):$(field description)" "2026-02-07T09:00:00Z:Nouvelle description" \
	"... the new date (TZ=UTC here) and description are stored"
is "$(field authorized_by)" "null" "... and it is no longer authorized"
refused 5 "not authorized" "starting it now: not authorized any more" dk --as jdupont deploy start "$V"

# Who may, and when.
refused 3 "^deploydesk: only an admin or the project manager of project ERP may change a deployment's plan$" \
	"a senior developer may not" dk --as jdupont deploy edit "$V" --version v9
refused 3 "may change a deployment's plan" "a viewer may not" dk --as cpetit deploy edit "$V" --version v9
OLD=$(deploy_ids ERP | sed -n 2p) # v1.1.9, succeeded
refused 5 "^deploydesk: deployment v1\.1\.9 has the status Succeeded: only a planned deployment's plan may change$" \
	"an executed deployment's plan may not change" dk --as mmartin deploy edit "$OLD" --version v9

# What is given.
refused 2 "^deploydesk: deploy edit: give one or more of --version, --env, --description, --responsible, --date" \
	"no field given" dk --as mmartin deploy edit "$V"
refused 5 "^deploydesk: nothing changes: deployment v1\.2\.0 already has that plan$" \
	"the same values" dk --as mmartin deploy edit "$V" --date "2026-02-07 09:00"
refused 2 "^deploydesk: version: " "a version over 50 characters" \
	dk --as mmartin deploy edit "$V" --version "$(printf 'v%050d' 1)"
refused 2 "viewer of project ERP" "a viewer as responsible person" \
	dk --as mmartin deploy edit "$V" --responsible cpetit
refused 2 "^deploydesk: environment: 'STAGING'" "an unknown environment" \
	dk --as mmartin deploy edit "$V" --env STAGING
refused 2 "^deploydesk: planned date: " "a date that does not exist" \
	dk --as mmartin deploy edit "$V" --date "2026-02-30 10:00"

run dk --as mmartin deploy edit "$V" --version v1.2.1 --env test --responsible lbernard
is "$RC:$ERR" "0:Changed the plan of v1.2.1 (Test)" "version, environment and responsible changed (nothing to withdraw)"
is "$(field version):$(field environment):$(field responsible)" "v1.2.1:TEST:lbernard" "... all stored"
is "$(dk --format csv deploy list ERP --search 1.2.1 | sed -n '2s/,.*//p')" "$V" "the search finds the new version"
is "$(dk --format csv deploy list ERP --search v1.2.0 | wc -l)" 1 "... and no longer the old one"
is "$(dk --format json stats ERP | jget planned /dev/stdin)" 1 "the statistics still count it planned"

# Moved onto a day another deployment has in that environment: warned, as at
# creation; a change of description alone is not.
run dk --as mmartin deploy create ERP --version v-other --env TEST --description d \
	--responsible jdupont --date "2026-02-10 15:00"
run dk --as mmartin deploy edit "$V" --date "2026-02-10 09:00"
is "$(sed -n 2p "$WORK/.err")" "deploydesk: warning: v-other is also planned on Test that day (2026-02-10)" \
	"moved onto a day v-other has on TEST: the same-day warning"
run dk --as mmartin deploy edit "$V" --description "Autre description"
is "$RC:$ERR" "0:Changed the plan of v1.2.1 (Test)" "the description alone changed: no warning"

# The trail, and audit verify.
run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"] == "deploy.edit"]
print(len(r), r[0]["before"]["authorized_by"], r[0]["after"]["authorized_by"], r[1]["before"]["version"], r[1]["after"]["version"])' "$WORK/.out")" \
	"4 mmartin None v1.2.0 v1.2.1" "each change is one record: the plan before and after, the authorization withdrawn"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact after the changes"

sqlite_tail "data and trail edited by SQL"
# A change by someone the rules refuse, forged and re-hashed, is found.
LAST=$(sqlite3 "$DB" "SELECT max(seq) FROM audit")
check "the last change of plan forged as lbernard's" forge_record "$LAST" "UPDATE audit SET login = 'lbernard' WHERE seq = $LAST"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$LAST" "a change of plan by a developer, forged and re-hashed: audit verify fails there"
like "$(jget problem)" "the rules did not allow it" "... which the rules did not allow"

# A planned date changed by SQL: the data no longer matches the trail.
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET planned_at = '2030-01-01T00:00:00Z' WHERE id = '$V'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:planned_at" "a planned date changed by SQL: audit verify names tasks.planned_at"

done_testing
