#!/bin/bash
# SPDX-License-Identifier: MIT
# P in the history opens the project's policy, in French: each key's value
# in each environment (set ones in bold), what the selected key means, and
# the freezes; an admin changes a value with Enter (the environment, then
# the value), a project manager is told only an admin may. A weekly
# freeze is in the reader's days there and in the trail (A).
# Usage: test-policy.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 20); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk freeze add ERP --env PROD --from "$(date -d '-1 day' '+%Y-%m-%d %H:%M')" \
	--to "2030-01-04 08:00" --reason "Fin d'année" >/dev/null 2>&1
# A weekly one, typed in English days (three minutes a week: never on
# while the test runs, but for bad luck).
dk freeze add ERP --env DEV --weekly "sat 23:58-sun 00:01" --reason "Sauvegarde" >/dev/null 2>&1

start_app "${FR[@]}"
must "the screens open in French as the admin" wait_for '^Historique des Déploiements' 10
keys P
check "P: « Politique - Refonte ERP »" wait_for '^Politique - Refonte ERP' 5
check "... the keys in each environment, defaults" \
	eval "wait_for '^approvals +1 +1 +1 +1' 1 && wait_for '^creator-approves +oui +oui +oui +oui' 1"
check "... what the selected key means" wait_for "approbateurs distincts requis avant l'exécution" 1
check "... and the freeze, on" wait_for "PROD +.* Fin d'année +\\(en cours\\)" 1
check "... the weekly one in French days: « sam 23:58-dim 00:01 »" \
	wait_for "^  2 +DEV +sam 23:58-dim 00:01 +Sauvegarde" 1
keys Enter
check "Enter: « Dans quel environnement », Production first" wait_for '┌ Dans quel environnement' 5
keys Enter
check "... then the value for PROD" wait_for '┌ approvals en PROD' 5
type_text "9"
keys Enter
check "9: refused in the prompt, in words" wait_for "approvals : « 9 » n'est pas un nombre entier compris entre 1 et" 5
keys BSpace
type_text "2"
keys Enter
check "2: « Approvals en PROD vaut maintenant 2 »" wait_for '[Aa]pprovals en PROD vaut maintenant 2' 5
check "... shown in the table" wait_for '^approvals +1 +1 +1 +2' 5
is "$(dk --format csv policy show ERP | grep '^PROD,approvals,' | cut -d, -f3,5 | tr -d '\r')" "2,true" \
	"... and stored: PROD approvals 2, set"
keys q q
check "q q quits" wait_dead

start_app "${FR[@]}" --as mmartin
must "the screens open as mmartin" wait_for '^Historique des Déploiements' 10
keys P
must "P opens the policy" wait_for '^Politique - Refonte ERP' 5
keys Enter
check "Enter: only an admin may change a policy" wait_for 'Seul un admin peut changer une politique' 5
keys q
must "q: the history" wait_for '^Historique des Déploiements' 5
keys A
must "A: the trail" wait_for '^Journal - Refonte ERP' 5
check "... the weekly freeze added, in French days: « Chaque semaine : sam 23:58-dim 00:01 »" \
	wait_for '^      Chaque semaine : sam 23:58-dim 00:01$' 5
keys q q
check "q q quits" wait_dead

done_testing
