#!/bin/bash
# SPDX-License-Identifier: MIT
# member list: who holds which role, since when and granted by whom, from
# the trail; a change of role moves both.
# Usage: test-members.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/members.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
member() { dk --format json member list ERP | "$PY" -c 'import json,sys
m = [x for x in json.load(sys.stdin) if x["login"] == sys.argv[1]][0]
print(":".join(str(m[k]) for k in sys.argv[2:]))' "$@"; }

is "$(member lbernard role since granted_by)" "DEVELOPPEUR:2026-01-26T10:00:00Z:root" \
	"the demo's members: since the project began, granted by the admin who set it up"
run dk --as mmartin member add ERP lbernard --role dev-senior
is "$RC" 0 "the manager makes lbernard a senior developer"
is "$(member lbernard role senior granted_by)" "DEVELOPPEUR:True:mmartin" "... granted by mmartin"
like "$(member lbernard since)" "^$(date -u +%Y-%m-%d)T" "... since today"
is "$(member jdupont granted_by)" "root" "the others are unchanged"
like "$(dk member list ERP | head -1)" "Since +Granted by$" "the table has both columns"
done_testing
