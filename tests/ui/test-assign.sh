#!/bin/bash
# SPDX-License-Identifier: MIT
# Handing an incident to another member from the screens (r): offered only
# to who may (its responsible person, the project's manager, an admin), a
# choice of the members who may answer for it (never a viewer), what it
# wrote, and the refusal once it is someone else's; in French too.
# Usage: test-assign.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

responsible() {
	dk --format csv incident list ERP | sed -n '2p' | cut -d, -f5
}
is "$(responsible)" "jdupont" "the demo's incident is jdupont's"

start_app --as jdupont
must "the screens open as jdupont" wait_main
keys I
must "I opens the incidents" wait_for '^Incidents - Refonte ERP'
check "the footer offers r to its responsible person" wait_line $((APP_H - 1)) ' r hand over( |$)'
keys r
check "r opens the choice of a responsible person" wait_for '┌ Responsible person' 5
check "... Jean Dupont, Lucas Bernard, Marie Martin" \
	eval "screen | grep -q 'Jean Dupont (Senior developer)' && screen | grep -q 'Lucas Bernard (Developer)' && screen | grep -q 'Marie Martin (Project manager)'"
check "... not Claire Petit, a viewer" eval "! screen | grep -q 'Claire Petit'"
keys Down Enter
check "Enter hands it to Lucas Bernard: the footer says so" \
	wait_for 'The incident is now in the hands of Lucas Bernard' 5
is "$(responsible)" "lbernard" "... and it is lbernard's"
check "the list shows its new responsible person" wait_for '^v1\.1\.8 .*Lucas Bern' 5
check "jdupont's footer no longer offers r" \
	eval "wait_line $((APP_H - 1)) 'q back' && ! line $((APP_H - 1)) | grep -q ' r hand over'"
keys r
check "r now: refused in the footer, naming who may (the message wraps)" \
	wait_for "person \\(lbernard\\) may hand it to someone else" 5
check "... and no choice opens" eval "! screen | grep -q '┌ Responsible person'"
keys q
wait_main
keys q
check "q quits" wait_dead
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

# The details of the incident, as the project's manager, in French.
if french; then
	start_app "${FR[@]}" --as mmartin
	must "the screens open in French as mmartin" wait_for '^Historique des Déploiements' 10
	keys I
	must "I opens the incidents" wait_for '^Incidents - Refonte ERP'
	keys Enter
	must "Enter opens its details" wait_for '^Nom +INCIDENT - ' 5
	check "the details' footer offers r: confier" wait_line $((APP_H - 1)) ' r confier( |$)'
	keys '?'
	check "the help lists c, r" wait_for 'c, r +changer le statut d.un incident / le confier' 5
	check "... whole: its box closes above the footer" wait_for '└─{40,}┘' 1
	keys Escape
	keys r
	check "r: « Responsable »" wait_for '┌ Responsable' 5
	keys Up Enter
	check "handed back: « L'incident est maintenant entre les mains de Jean Dupont »" \
		wait_for "L'incident est maintenant entre les mains de Jean Dupont" 5
	is "$(responsible)" "jdupont" "... it is jdupont's again"
	keys q q q
	check "q q q quits" wait_dead
else
	for i in $(seq 9); do skip "the French locale or catalogue is missing"; done
fi

done_testing
