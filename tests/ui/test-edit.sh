#!/bin/bash
# SPDX-License-Identifier: MIT
# Changing a planned deployment's plan from the screens (e): the form of a
# new deployment, filled with the plan; saved, the authorization is
# withdrawn and said; Esc asks only when something was changed; refused in
# the footer to who may not; in French too.
# Usage: test-edit.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

V120=$(deploy_id v1.2.0)
dkas mmartin deploy authorize "$V120" >/dev/null 2>&1
is "$(deploy_field v1.2.0 authorized_by)" "mmartin" "v1.2.0 is authorized (by mmartin)"

start_app --as mmartin
must "the screens open as mmartin" wait_main
must "v1.2.0 selected" select_version v1.2.0
check "the footer offers e edit" wait_line $((APP_H - 1)) ' e edit( |$)'
keys e
check "e opens the plan of v1.2.0 to change" wait_for '┌ Change the plan' 5
check "... filled: its version" wait_for 'Version\* +v1\.2\.0' 1
check "... its environment" wait_for 'Environment\* +< Production >' 1
check "... its date" wait_for 'Planned date\* +2026-02-06 14:00' 1
keys Escape
check "Esc with nothing changed closes it at once" wait_gone '┌ Change the plan' 5
keys e
must "e again" wait_for '┌ Change the plan' 5
keys Tab Tab Tab Tab C-u
type_text "2026-02-09 11:00"
must "the new date typed" wait_for 'Planned date\* +2026-02-09 11:00' 5
keys Escape
check "Esc after a change asks first" wait_for '┌ Discard the changes\?' 5
keys Enter # Keep editing
check "... Keep editing: the form is back" wait_for 'Planned date\* +2026-02-09 11:00' 5
keys Enter
must "Enter in the date: Save focused" wait_for_focus "Save the changes"
keys Enter
check "saved: the footer says the authorization is withdrawn" \
	wait_for 'Plan of v1\.2\.0 changed; its authorization is withdrawn' 5
check "the history shows the new date, not authorized" \
	wait_for '^v1\.2\.0 +PROD +Planned +No +2026-02-09 11:00' 5
is "$(deploy_field v1.2.0 authorized_by)" "null" "... and it is no longer authorized"
stop_app

start_app --as jdupont
must "the screens open as jdupont" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys e
check "jdupont: e is refused in the footer, naming who may" \
	wait_for_i "only an admin or the project manager of project ERP may change a deployment's" 5
check "... and no form opens" eval "! screen | grep -q '┌ Change the plan'"
stop_app

if french; then
	start_app "${FR[@]}" --as mmartin
	must "the screens open in French" wait_for '^Historique des Déploiements' 10
	keys e # v1.2.0, the newest, is selected
	check "in French: « Modifier le plan »" wait_for '┌ Modifier le plan' 5
	check "... and its button « Enregistrer les modifications »" \
		wait_for 'Enregistrer les modifications' 1
	stop_app
else
	for i in 1 2 3 4; do skip "the French locale or catalogue is missing"; done
fi
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

done_testing
