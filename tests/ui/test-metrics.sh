#!/bin/bash
# SPDX-License-Identifier: MIT
# M: the delivery figures drawn: the weeks as bars (block characters in
# UTF-8, '#' and 'x' in a terminal without them), successes and failures
# told apart by their character, so NO_COLOR loses nothing; the figures
# beside, with their counts; in French; f changes the environment.
# Usage: test-metrics.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 12); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

# This week: two successes (TEST, PROD) and a failure (PROD).
run_one() {
	local id
	id=$(dkas mmartin deploy create ERP --version "$1" --env "$2" --description d \
		--responsible jdupont --date "$(date '+%Y-%m-%d %H:%M')" 2>/dev/null)
	dkas mmartin deploy authorize "$id" >/dev/null 2>&1
	dkas jdupont deploy start "$id" >/dev/null 2>&1
	dkas jdupont deploy "$3" "$id" --logs "$3" >/dev/null 2>&1
}
run_one v3.0 TEST succeed
run_one v3.1 PROD succeed
run_one v3.2 PROD fail
monday=$(date -d "$(( $(date +%u) - 1 )) days ago" +%Y-%m-%d)
# The weeks are labelled as the locale writes dates: 30/11/2026 in French.
lundi=$(date -d "$monday" +%d/%m/%Y)

start_app "${FR[@]}" --as mmartin
must "the history, in French" wait_for '^Historique des Déploiements' 10
keys M
check "M: « Chiffres - Refonte ERP - tous les environnements »" \
	wait_for '^Chiffres - Refonte ERP - tous les environnements' 5
check "this week's bar, its Monday in French: two successes (█), a failure (▒)" wait_for "^$lundi ██▒ 2/1" 1
check "the change failure rate with its counts" \
	eval "wait_for \"Taux d'échec des changements\" 1 && wait_for '33,3 % \\(1 sur 3\\)' 1"
check "the time to restore counts its incidents each in its own plural: « 0 clos, 1 ouvert »" \
	wait_for 'Temps de rétablissement \(0 clos, 1 ouvert\)' 1
keys f
check "f: Développement, nothing this week" \
	eval "wait_for '^Chiffres - Refonte ERP - Développement' 5 && ! screen | grep -q '^$lundi █'"
keys f
check "f again: Test, one success" wait_for "^$lundi █ 1/0" 5
stop_app

start_app -e NO_COLOR=1 "${FR[@]}" --as mmartin
must "with NO_COLOR" wait_for '^Historique des Déploiements' 10
keys M
must "the figures" wait_for "^$lundi ██▒ 2/1" 5
is "$(colour_sgrs | sort -u | tr '\n' ' ')" "" "NO_COLOR: no colour at all, and the bar still tells success from failure"
stop_app

start_app -e LANG=C -e LC_ALL=C --as mmartin
must "in a terminal without block characters (C locale)" wait_for '^Deployment history' 10
keys M
check "the bar in ASCII: ## then x" wait_for "^$monday ##x 2/1" 5
stop_app

done_testing
