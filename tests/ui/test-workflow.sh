#!/bin/bash
# SPDX-License-Identifier: MIT
# The spec's whole workflow by keys, on the demo sandbox: the project
# manager plans a deployment with the dialog and authorizes it; the senior
# developer executes it (success), then a second one (failure, with its
# incident). The statistics panel follows, and always equals
# `deploydesk stats ERP`.
# Usage: test-workflow.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

# The first row of the history table, as text.
first_row() {
	screen | awk '/^Version +Env +Status/ { getline; print; exit }'
}

# stats_agree WHEN: the panel shows what the command line says.
stats_agree() {
	local want
	want=$(cli_stats)
	if wait_stats "$want" 5; then
		pass "$1: the statistics panel equals stats ERP ($want)"
	else
		fail "$1: the statistics panel equals stats ERP" \
			"stats ERP: $want" "panel:     $(screen_stats)"
	fi
}

# create_by_keys VERSION ENV_LABEL DESC_LINE1 DESC_LINE2 DATE: the new
# deployment dialog, field by field, responsible Jean Dupont.
create_by_keys() {
	keys n
	wait_for '┌ New deployment' || return 1
	type_text "$1"
	wait_for "Version\* +$1" || return 1
	keys Enter # a text field: Enter goes to the next one
	choose 'Environment\*' "< $2 >" || return 1
	keys Tab
	type_text "$3"
	keys Enter # a multi-line field: Enter is a new line
	type_text "$4"
	wait_for "│ $4 " || return 1
	keys Tab
	choose 'Responsible\*' '< Jean Dupont' || return 1
	keys Tab
	type_text "$5"
	wait_for "Planned date\* +$5" || return 1
	keys Tab Tab Tab Tab # the risk, the back-out plan, Cancel, then Create
	wait_for '\[ Create the deployment \]' || return 1
	keys Enter
	wait_gone '┌ New deployment'
}

# authorize_by_keys VERSION: selects its row, a, and the dialog's
# Authorize button (Tab: the focus starts on Cancel).
authorize_by_keys() {
	select_version "$1" || return 1
	keys a
	wait_for '┌ Authorize the deployment' || return 1
	wait_for "Version: +$1" 2 || return 1
	keys Tab Enter
	wait_gone '┌ Authorize the deployment'
}

# ---------------------------------------------------------------- mmartin

start_app --as mmartin
must "the screens open on ERP as mmartin" wait_main
like "$(line 0)" '^Deployment management - Refonte ERP .*Marie Martin \(mmartin\) - Project manager$' \
	"title and the person with their role on the first line"
stats_agree "at start"

must "the new deployment dialog creates v2.0.0" \
	create_by_keys v2.0.0 Pre-production "Mise à jour du module paie" \
	"et des exports comptables" "2026-12-01 10:30"
check "the footer says it is planned" wait_for 'Deployment v2\.0\.0 planned \(id [0-9a-f]{8}\) *$'
like "$(first_row)" '^v2\.0\.0 +PREPROD +Planned +No +2026-12-01 10:30 ' \
	"v2.0.0 is the first row of the history: PREPROD, Planned, not authorized"
is "$(deploy_field v2.0.0 status)" A_FAIRE "stored as A_FAIRE"
is "$(deploy_field v2.0.0 environment)" PREPROD "stored environment PREPROD"
is "$(deploy_field v2.0.0 description)" $'Mise à jour du module paie\net des exports comptables' \
	"stored description: the two lines typed"
is "$(deploy_field v2.0.0 responsible)" jdupont "stored responsible: jdupont"
is "$(deploy_field v2.0.0 planned_at)" 2026-12-01T10:30:00Z "stored planned date (TZ=UTC)"
is "$(deploy_field v2.0.0 created_by)" mmartin "created by mmartin"
stats_agree "after the creation"
is "$(screen_stats)" "5 2 1 2 0 40.0" "the panel counts it: total 5, planned 2, rate 40.0"

must "a on v2.0.0 and the Authorize button" authorize_by_keys v2.0.0
check "the footer says it is authorized" wait_for 'Deployment v2\.0\.0 authorized *$'
like "$(first_row)" '^v2\.0\.0 +PREPROD +Planned +Yes ' \
	"its row now says Authorized Yes, still Planned"
is "$(deploy_field v2.0.0 authorized_by)" mmartin "stored: authorized by mmartin"
like "$(deploy_field v2.0.0 authorized_at)" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T' "stored: authorized at a time"
is "$(deploy_field v2.0.0 status)" A_FAIRE "the status stays A_FAIRE"
stats_agree "after the authorization"

keys q
check "q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0"

# ---------------------------------------------------------------- jdupont

start_app --as jdupont
must "the screens open as jdupont" wait_main
like "$(line 0)" 'Jean Dupont \(jdupont\) - Senior developer$' "jdupont, senior developer"
must "v2.0.0 selected" select_version v2.0.0
check "the footer offers x execute" wait_for '^ .*x execute'
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
check "the dialog names v2.0.0, Pre-production, authorized by Marie Martin" \
	wait_for 'Authorized by: +Marie Martin' 2
check "... Environment: Pre-production" wait_for 'Environment: +Pre-production' 1
type_text "step 1: copy files OK"
keys Enter
type_text "step 2: restart OK"
wait_for '│ +step 2: restart OK' 5
keys Tab Tab # Cancel, Mark as succeeded
keys Enter
must "Mark as succeeded asks for a confirmation" wait_for '┌ Confirm the success'
check "... naming v2.0.0 on Pre-production" \
	wait_for 'Record deployment v2\.0\.0 on Pre-production as SUCCEEDED\?' 2
keys Tab Enter # the focus starts on Cancel
check "Mark as succeeded closes the dialog" wait_gone '┌ Execute the deployment'
check "the footer says it succeeded" wait_for 'Deployment v2\.0\.0 succeeded *$'
like "$(first_row)" '^v2\.0\.0 +PREPROD +Succeeded +Yes ' "its row says Succeeded"
check "the panel: Succeeded +1 (3), planned 1, success rate 60.0 %" \
	wait_stats "5 3 1 1 0 60.0" 5
check "the panel shows the rate as 60.0 %" wait_for '│ 60\.0 % ' 1
stats_agree "after the success"
is "$(deploy_field v2.0.0 status)" TERMINEE "stored as TERMINEE"
is "$(deploy_field v2.0.0 executed_by)" jdupont "executed by jdupont"
is "$(deploy_field v2.0.0 logs)" $'step 1: copy files OK\nstep 2: restart OK' \
	"stored logs: the two lines typed"
keys q
check "q quits" wait_dead

# ------------------------------------------------- a second one, failing

start_app --as mmartin
must "the screens open as mmartin again" wait_main
must "the dialog creates v2.0.1 (Production)" \
	create_by_keys v2.0.1 Production "Correctif" "paie de décembre" "2026-12-02 09:00"
like "$(first_row)" '^v2\.0\.1 +PROD +Planned +No ' "v2.0.1 is at the top, Planned / No"
must "and authorizes it" authorize_by_keys v2.0.1
check "... authorized" wait_for 'Deployment v2\.0\.1 authorized *$'
stats_agree "after the second creation"
keys q
check "q quits" wait_dead

start_app --as jdupont
must "the screens open as jdupont again" wait_main
check "the panel before the failure" wait_stats "6 3 1 2 0 50.0" 5
must "v2.0.1 selected" select_version v2.0.1
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
type_text "ERROR: migration 42 failed"
wait_for 'ERROR: migration 42 failed' 5
keys Tab Tab Tab # Cancel, Mark as succeeded, Mark as failed
keys Enter
must "Mark as failed asks for a confirmation" wait_for '┌ Confirm the failure'
check "... naming v2.0.1 on Production" wait_for 'Record deployment v2\.0\.1 on Production as FAILED\?' 2
check "... and saying an incident will be opened" wait_for 'An incident will be opened' 1
keys Tab Enter # the focus starts on Cancel
must "the Incident created box" wait_for '┌ Incident created'
check "... names the incident" wait_for 'INCIDENT - Échec déploiement v2\.0\.1' 2
check "... priority High, assigned to Jean Dupont" \
	wait_for 'Priority: High, assigned to Jean Dupont' 1
keys Escape
check "Esc closes the box" wait_gone '┌ Incident created'
check "the footer names the incident" \
	wait_for 'Deployment v2\.0\.1 failed: incident [0-9a-f]{8} opened for Jean Dupont *$'
like "$(first_row)" '^v2\.0\.1 +PROD +Failed +Yes ' "its row says Failed"
check "the panel: Failed +1 (2), success rate 50.0 %" wait_stats "6 3 2 1 0 50.0" 5
stats_agree "after the failure"
is "$(deploy_field v2.0.1 status)" ECHEC "stored as ECHEC"

incident=$(dk --format json incident list ERP | jq_py \
	"[(x['status'], x['priority'], x['responsible']) for x in d if x['name'] == 'INCIDENT - Échec déploiement v2.0.1']")
is "$incident" '[["A_FAIRE", "HAUTE", "jdupont"]]' \
	"incident list: one incident for v2.0.1, A_FAIRE, HAUTE, jdupont"
is "$(deploy_field v2.0.1 incident_id)" \
	"$(dk --format json incident list ERP | jq_py "[x['id'] for x in d if x['name'].endswith('v2.0.1')][0]")" \
	"the deployment points at its incident"
inc_desc=$(dk --format json incident show "$(deploy_field v2.0.1 incident_id)" | jq_py "d['description']")
like "$inc_desc" '^Le déploiement de la version v2\.0\.1 sur PROD a échoué\..*ERROR: migration 42 failed' \
	"the incident's description: the spec's sentence and the logs"

keys i
check "i on the failed row opens its incident" wait_for 'INCIDENT - Échec déploiement v2\.0\.1'
keys q
check "q goes back to the history" wait_main 5

keys I
check "I lists the project's incidents" wait_for '^Incidents - Refonte ERP'
check "... two of them, To do, High, for Jean Dupont" \
	eval '[ "$(screen | grep -cE "(INCIDENT|…).* To do +High +Jean Dupont ")" -eq 2 ]'
# At 80 columns an incident's name keeps its end, which names the version.
check "the incidents list shows which deployment each one is about (v2.0.1, v1.1.8)" \
	eval 'screen | grep -qE "^v2\.0\.1 +(INCIDENT|…).*v2\.0\.1 " && screen | grep -qE "^v1\.1\.8 +(INCIDENT|…).*v1\.1\.8 "'

# Its responsible person (jdupont) moves the newest incident on: the
# footer says the incident's status in a sentence.
keys Enter
must "Enter opens the newest incident, v2.0.1's" wait_for '^INCIDENT - Échec déploiement v2\.0\.1'
keys c
must "c asks for the incident's status" wait_for '┌ Incident status'
keys Enter
check "the same status again is refused: \"The incident's status is already To do\"" \
	wait_for "^The incident's status is already To do *\$" 5
keys c
must "c asks again" wait_for '┌ Incident status'
keys Down Enter
check "In progress chosen: \"The incident's status is now In progress\"" \
	wait_for "^The incident's status is now In progress *\$" 5
is "$(dk --format json incident show "$(deploy_field v2.0.1 incident_id)" | jq_py "d['status']")" \
	EN_COURS "the incident is EN_COURS"
# Closing it asks what was done: refused empty, kept in the trail.
keys c
must "c asks again" wait_for '┌ Incident status'
keys Down Enter # from In progress, the one after: Finished
check "Finished chosen: a prompt asks what was done" wait_for '┌ Close the incident' 5
keys Tab Tab Enter # OK
check "OK with no note: refused in the prompt, which stays" \
	wait_for 'resolution note: required to close an incident' 5
check "... open" wait_for '┌ Close the incident' 1
type_text "Column renamed, migration replayed"
keys Enter
check "with the note: \"The incident's status is now Finished\"" \
	wait_for "^The incident's status is now Finished *\$" 5
INC_ID=$(deploy_field v2.0.1 incident_id)
is "$(dk --format json incident show "$INC_ID" | jq_py "d['status']")" TERMINEE "the incident is TERMINEE"
is "$(dk --format json audit list ERP | jq_py "[x['after'].get('note') for x in d if x['action'] == 'incident.set'][-1]")" \
	"Column renamed, migration replayed" "... and the note is in the trail"
keys End
check "the incident's history, at its end, shows the note" wait_for 'Note: Column renamed, migration replayed' 5
keys q
check "q goes back to the incidents" wait_for '^Incidents - Refonte ERP' 5
keys q
check "q goes back to the history" wait_main 5
keys q
check "q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0"
check "audit verify: the chain is intact" eval 'dk audit verify >/dev/null'

done_testing
