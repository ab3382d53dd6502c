#!/bin/bash
# SPDX-License-Identifier: MIT
# deploydesk inbox: what waits for the person, one line each, nothing at
# all when nothing waits (for a login shell's profile): deployments waiting
# for a project manager's approval, approved ones whose date has come for
# who may start them, those one started, one's open incidents, exceptions
# to review (not by the admin who overrode), one's approvals expiring
# within a day, one's plans inside a freeze; --format json for scripts.
# Usage: test-inbox.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/inbox.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
V=$(deploy_ids ERP | head -1) # v1.2.0 on PROD, planned by mmartin, not authorized
inbox() { run dk --as "$1" inbox; }
kinds() { dk --as "$1" --format json inbox | "$PY" -c 'import json,sys
print(" ".join(x["kind"] + ":" + (x["version"] or "-") for x in json.load(sys.stdin)))'; }

run dk inbox
is "$RC:$OUT:$ERR" "0::" "the admin, not a member: nothing waits, nothing printed, exit 0"
inbox mmartin
is "$RC:$OUT" "0:ERP v1.2.0 on PROD: waiting for your approval (planned 2026-02-06 14:00)" \
	"the project manager: v1.2.0 waits for the approval, in one line"
inbox jdupont
is "$OUT" "ERP incident of v1.1.8: To do, priority High, yours" "the senior developer: the incident of v1.1.8, theirs"
inbox lbernard
is "$RC:$OUT" "0:" "a developer: nothing"
inbox cpetit
is "$RC:$OUT" "0:" "a viewer: nothing"

# Approved (with approvals that expire after 12 hours), its date past.
expect_ok "approval-hours 12 on PROD" dk policy set ERP PROD approval-hours 12
expect_ok "mmartin approves v1.2.0" dk --as mmartin deploy authorize "$V"
is "$(kinds mmartin)" "expiring:v1.2.0" "the approver: the approval, expiring within a day, and no more to approve"
like "$(dk --as mmartin inbox)" "^ERP v1\.2\.0 on PROD: your approval expires [0-9-]{10} [0-9:]{5}$" "... said with its end"
is "$(kinds jdupont)" "start:v1.2.0 incident:v1.1.8" "the senior developer: v1.2.0 to start, first"
is "$(kinds root)" "start:v1.2.0" "an admin may start it too: asked"
expect_ok "jdupont starts it" dk --as jdupont deploy start "$V"
is "$(kinds jdupont)" "finish:v1.2.0 incident:v1.1.8" "started: its outcome to record, for who started it"
is "$(kinds root)" "" "... not for the admin"
is "$(kinds mmartin)" "" "... and the approval no longer matters"

# A plan of the future: not to start before its date; inside a freeze,
# said to who planned it and who answers for it.
expect_ok "a freeze of PROD at the end of the year" dk freeze add ERP --env PROD \
	--from "2030-12-20 00:00" --to "2031-01-04 08:00" --reason "Fin d'année"
run dk --as mmartin deploy create ERP --version v2.0 --env PROD --description d \
	--responsible jdupont --date "2030-12-24 10:00"
N=$(head -1 "$WORK/.out")
is "$(kinds mmartin)" "approve:v2.0 frozen:v2.0" "the manager: v2.0 to approve, and planned inside a freeze"
like "$(dk --as mmartin inbox | tail -1)" "^ERP v2\.0 on PROD: planned 2030-12-24 10:00, inside a freeze$" "... said in words"
expect_ok "mmartin approves v2.0" dk --as mmartin deploy authorize "$N"
is "$(kinds jdupont)" "finish:v1.2.0 incident:v1.1.8 frozen:v2.0" \
	"v2.0 approved but its date not come: not to start; in a freeze for its responsible person"

# An admin's override: an exception the manager reviews, not the admin.
run dk --as mmartin deploy create ERP --version v2.1 --env TEST --description d \
	--responsible jdupont --date "2026-03-01 10:00"
W=$(head -1 "$WORK/.out")
run dk deploy start "$W" --override "Urgence"
is "$RC" 0 "the admin starts v2.1 without approval, by override"
is "$(kinds mmartin)" "review:v2.1 expiring:v2.0 frozen:v2.0" "... mmartin: the exception to review"
like "$(dk --as mmartin inbox | grep v2.1)" "^ERP v2\.1 on TEST: exception 1 to review \(opened [0-9-]{10} [0-9:]{5}\)$" "... with its id"
is "$(kinds root)" "finish:v2.1" "the admin who overrode is not asked to review, but to record what they started"
expect_ok "mmartin reviews it" dk --as mmartin exception review 1 --note "Vu"
is "$(kinds mmartin)" "expiring:v2.0 frozen:v2.0" "reviewed: gone from the inbox"

run dk --as jdupont --format json inbox
is "$RC:$(jget 0.kind):$(jget 0.project):$(jget 0.version):$(jget 0.environment):$(jget 0.id)" \
	"0:finish:ERP:v1.2.0:PROD:$V" "--format json: kind, project, version, environment and id of each"
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
	export DEPLOYDESK_LOCALEDIR
	DEPLOYDESK_LOCALEDIR=$(cd "$(dirname "$DD_GIVEN")" && pwd)/po
	is "$(LC_ALL=fr_FR.UTF-8 dk --as mmartin inbox | tail -1)" \
		"ERP v2.0 en PROD : prévu le 24/12/2030 10:00, pendant un gel" "in French"
	unset DEPLOYDESK_LOCALEDIR
else
	skip "locale fr_FR.UTF-8 not generated"
fi
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact (the inbox writes nothing)"

done_testing
