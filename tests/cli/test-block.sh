#!/bin/bash
# SPDX-License-Identifier: MIT
# version block PROJECT VERSION --reason / version unblock / version list: a
# blocked version is neither planned (nor a plan changed to it), approved
# nor started, in any environment, until it is unblocked; by an admin or the
# project's manager; audit verify replays the blocks against what follows
# and compares the table.
# Usage: test-block.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/block.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned

refused 3 "^deploydesk: only an admin or the project manager of project ERP may block or unblock its versions$" \
	"a senior developer may not block" dk --as jdupont version block ERP v1.2.0 --reason r
refused 2 "^deploydesk: reason: required to block a version; say why$" "a block needs a reason" \
	dk --as mmartin version block ERP v1.2.0 --reason " "
run dk --as mmartin version block ERP v1.2.0 --reason "Corrompt les factures"
is "$RC:$ERR" "0:Blocked version v1.2.0 of ERP" "the manager blocks v1.2.0"
is "$(dk --format csv version list ERP | sed 1d | tr -d '\r')" "v1.2.0" "version list: v1.2.0"
refused 5 "^deploydesk: version v1.2.0 of ERP is already blocked$|already blocked" "blocked twice" \
	dk --as mmartin version block ERP v1.2.0 --reason again
BLOCKED="^deploydesk: version v1\.2\.0 of project ERP is blocked \(by mmartin: Corrompt les factures\): it is neither planned, approved nor started until it is unblocked$"
refused 5 "$BLOCKED" "it is not approved" dk --as mmartin deploy authorize "$V"
refused 5 "$BLOCKED" "nor planned, in another environment" dk --as mmartin deploy create ERP --version v1.2.0 \
	--env TEST --description d --responsible jdupont --date "2026-03-01 10:00"
run dk --as mmartin deploy create ERP --version v1.2.1 --env TEST --description d \
	--responsible jdupont --date "2026-03-01 10:00"
W=$(deploy_ids ERP | head -1)
refused 5 "$BLOCKED" "nor a plan changed to it" dk --as mmartin deploy edit "$W" --version v1.2.0
run dk --as mmartin version unblock ERP v1.2.0
is "$RC:$ERR" "0:Unblocked version v1.2.0 of ERP" "the manager unblocks it"
refused 5 "is not blocked" "unblocked twice" dk --as mmartin version unblock ERP v1.2.0
expect_ok "approved then" dk --as mmartin deploy authorize "$V"
run dk --as mmartin version block ERP v1.2.0 --reason "Régression"
refused 5 "is blocked \(by mmartin: Régression\)" "blocked once approved: not started" dk --as jdupont deploy start "$V"

run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact"
sqlite_tail "data and trail edited by SQL"
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "DELETE FROM blocked_versions"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$RC:$(jget table)" "1:blocked_versions" "a block deleted by SQL: audit verify names blocked_versions"
SEQ=$(sqlite3 "$DB" "SELECT min(seq) FROM audit WHERE action = 'version.unblock'")
AUTH=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.authorize' AND entity_id = '$V'")
check "the unblock forged into a policy left as it was" forge_record "$SEQ" \
	"UPDATE audit SET action = 'version.block', entity_id = 'v9', before = NULL,
	after = '{\"version\":\"v9\",\"reason\":\"x\"}' WHERE seq = $SEQ"
run "$DD" --db "$WORK/forged.db" --format json audit verify
is "$RC:$(jget first_bad)" "1:$AUTH" "v1.2.0 approved while still blocked (the unblock forged away): audit verify fails there"
like "$(jget problem)" "the version was blocked" "... naming the rule"

done_testing
