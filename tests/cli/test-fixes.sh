#!/bin/bash
# SPDX-License-Identifier: MIT
# deploy create --fixes INCIDENT_ID: a deployment states the incident of its
# project it fixes; both show it (fixes, fixed_by); an incident of another
# project or none is refused in words; audit verify checks the link.
# Usage: test-fixes.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/fixes.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
INC=$(dk --format csv incident list ERP | sed -n '2s/,.*//p')
run dk --as mmartin deploy create ERP --version v1.1.8.1 --env PROD --description "Correctif" \
	--responsible jdupont --date "2026-03-01 10:00" --fixes "${INC:0:6}"
is "$RC" 0 "a deployment planned with --fixes and the incident's first 6 characters"
N=$OUT
is "$(dk --format json deploy show "$N" | jget fixes /dev/stdin)" "$INC" "deploy show: fixes, the incident's id"
is "$(dk deploy show "$N" | sed -n 's/^Fixes: *//p')" "INCIDENT - Échec déploiement v1.1.8" "... named in the table"
is "$(dk --format json incident show "$INC" | jget fixed_by /dev/stdin)" "$N" "incident show: fixed_by, the deployment's id"
is "$(dk incident show "$INC" | sed -n 's/^Fixed by: *//p')" "v1.1.8.1" "... its version in the table"
refused 2 "^deploydesk: 'nope' is not an incident's id: give at least 4 of its hexadecimal characters$" \
	"--fixes that is not an id" dk --as mmartin deploy create ERP --version v2 --env PROD --description d \
	--responsible jdupont --date "2026-03-01 10:00" --fixes nope
refused 2 "^deploydesk: fixes: no incident 'abcd1234' \(see 'deploydesk incident list'\)$" \
	"--fixes that is no incident" dk --as mmartin deploy create ERP --version v2 --env PROD --description d \
	--responsible jdupont --date "2026-03-01 10:00" --fixes abcd1234
refused 2 "^deploydesk: no incident 'abcd1234'|fixes: no incident" "--fixes naming a deployment" \
	dk --as mmartin deploy create ERP --version v2 --env PROD --description d \
	--responsible jdupont --date "2026-03-01 10:00" --fixes "${N:0:8}"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact"
sqlite_tail "data and trail edited by SQL"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET fixes = NULL WHERE id = '$N'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table):$(jget column)" "1:tasks:fixes" "the link cut by SQL: audit verify names tasks.fixes"

done_testing
