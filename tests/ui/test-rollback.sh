#!/bin/bash
# SPDX-License-Identifier: MIT
# b in the history plans a rollback, in French: a confirmation that says
# what will be planned, then the new plan selected in the history, and its
# details naming what it rolls back.
# Usage: test-rollback.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 16); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk --as mmartin deploy create ERP --version v1.0.0 --env PROD --description d \
	--responsible jdupont --date "2026-01-10 10:00" >/dev/null 2>&1
dk --as mmartin deploy authorize "$(deploy_id v1.0.0)" >/dev/null 2>&1
dk --as jdupont deploy succeed "$(deploy_id v1.0.0)" --logs ok >/dev/null 2>&1
dk --as mmartin deploy create ERP --version v1.3.0 --env PROD --description d \
	--responsible jdupont --date "2026-01-12 10:00" >/dev/null 2>&1
dk --as mmartin deploy authorize "$(deploy_id v1.3.0)" >/dev/null 2>&1
dk --as jdupont deploy fail "$(deploy_id v1.3.0)" --logs ko >/dev/null 2>&1
is "$(deploy_field v1.0.0 status):$(deploy_field v1.3.0 status)" "TERMINEE:ECHEC" \
	"v1.0.0 succeeded on PROD, then v1.3.0 failed there"

start_app "${FR[@]}" --as mmartin
must "the screens open in French as mmartin" wait_for '^Historique des Déploiements' 10
must "v1.1.8 selected" select_version v1.1.8
keys b
check "b on the demo's v1.1.8, which failed before anything succeeded on PROD: refused in the footer" \
	wait_for "[Aa]ucune version n'a réussi en PROD avant v1\.1\.8" 5
must "v1.3.0 selected" select_version v1.3.0
keys b
check "b: « Planifier un retour arrière », saying what" \
	eval "wait_for '┌ Planifier un retour arrière' 5 && wait_for 'Planifier v1\.0\.0 maintenant, en Production : la version en place quand' 1"
keys Tab Enter
check "« Le planifier »: « Retour arrière planifié »" wait_for 'Retour arrière planifié' 5
check "the new plan, v1.0.0 on PROD, is selected" wait_selected v1.0.0 5
check "... marked a rollback after its version: v1.0.0 ↩" wait_for '^v1\.0\.0 ↩ +PROD +Prévu' 1
must "v1.3.0 selected again" select_version v1.3.0
keys b
check "b again while the rollback is planned: refused in the footer, no dialog" \
	wait_for "[Uu]n retour arrière de v1\.3\.0 est déjà planifié \(v1\.0\.0\)" 5
must "v1.0.0 selected again" select_version v1.0.0
keys Enter
check "its details: « Retour arrière de v1.3.0 »" wait_for '^Retour arrière de +v1\.3\.0' 5
keys q q
check "q q quits" wait_dead
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

# A version that succeeded after the failure runs there now: b says the
# rollback would replace it.
R=$(sqlite3 "$DB" "SELECT id FROM tasks WHERE rollback_of = '$(deploy_id v1.3.0)'")
dk --as mmartin deploy cancel "$R" --reason "Essai" >/dev/null 2>&1
dk --as mmartin deploy create ERP --version v1.4.0 --env PROD --description d \
	--responsible jdupont --date "2026-01-14 10:00" >/dev/null 2>&1
dk --as mmartin deploy authorize "$(deploy_id v1.4.0)" >/dev/null 2>&1
sleep 1 # executed in a later second than v1.3.0's failure
dk --as jdupont deploy succeed "$(deploy_id v1.4.0)" --logs ok >/dev/null 2>&1
start_app "${FR[@]}" --as mmartin
must "the screens open again" wait_for '^Historique des Déploiements' 10
must "v1.3.0 selected" select_version v1.3.0
keys b
check "b: v1.0.0 again, and « v1.4.0 y a réussi après v1.3.0 : il serait remplacé »" \
	eval "wait_for 'Planifier v1\.0\.0 maintenant' 5 && wait_for 'v1\.4\.0 y a réussi après v1\.3\.0 : il serait' 1"
keys Escape
keys q
check "q quits" wait_dead

done_testing
