#!/bin/bash
# SPDX-License-Identifier: MIT
# Approvals in the screens, in French, where PROD asks for two: the
# history's Autorisé column counts them (1/2), the authorize dialog says
# who gave them, the second makes it authorized (Oui); w withdraws one for
# a reason, in a prompt that stays open while the reason is empty; the
# details list each approval and the trail says who withdrew whose.
# Usage: test-approvals.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 16); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk user add alice --name "Alice Admin" --admin >/dev/null 2>&1
dk policy set ERP PROD approvals 2 >/dev/null 2>&1
dk --as alice deploy authorize "$(deploy_id v1.2.0)" >/dev/null 2>&1
is "$(deploy_field v1.2.0 authorized_by)" "null" "alice's approval alone does not authorize v1.2.0 on PROD"

start_app "${FR[@]}" --as mmartin
must "the screens open in French as mmartin" wait_for '^Historique des Déploiements' 10
check "the history counts the approvals: 1/2" wait_for '^v1\.2\.0 +PROD +Prévu +1/2 ' 5
must "v1.2.0 selected" select_version v1.2.0
keys a
check "a: the dialog says « Approbations : 1 sur 2 : Alice Admin »" \
	wait_for 'Approbations : +1 sur 2 : Alice Admin' 5
keys Tab Enter
check "the second approval: « Déploiement v1.2.0 autorisé »" wait_for 'Déploiement v1\.2\.0 autorisé' 5
check "... the history says Oui" wait_for '^v1\.2\.0 +PROD +Prévu +Oui ' 5
is "$(deploy_field v1.2.0 authorized_by)" "mmartin" "... authorized by mmartin's approval"

keys w
check "w: « Retirer votre approbation de v1.2.0 », her own" wait_for '┌ Retirer votre approbation de v1\.2\.0' 5
keys Enter
check "Enter with no reason: the prompt stays, saying it is required" \
	wait_for 'motif : requis pour retirer une approbation' 5
type_text "Erreur de version"
keys Enter
check "the reason typed: « Votre approbation est retirée »" wait_for 'Votre approbation est retirée' 5
check "... back to 1/2" wait_for '^v1\.2\.0 +PROD +Prévu +1/2 ' 5
is "$(deploy_field v1.2.0 authorized_by)" "null" "... no longer authorized"

keys w
check "w again: only alice's is left, the manager may withdraw it: the dialog names whose" \
	wait_for "┌ Retirer l'approbation de alice sur v1\.2\.0" 5
keys Escape
check "Esc: nothing withdrawn" eval "wait_gone '┌ Retirer' 5 && wait_for '^v1\.2\.0 +PROD +Prévu +1/2 ' 1"
keys Enter
check "the details list alice's approval" \
	eval "wait_for '^Approbations +1 sur 2' 5 && wait_for '^ +Alice Admin \(alice\), ' 1"
keys End
check "... and the trail: « mmartin a retiré une approbation », « Motif : Erreur de version »" \
	eval "wait_for 'mmartin a retiré une approbation' 5 && wait_for 'Motif : Erreur de version' 1"
keys q q
check "q q quits" wait_dead
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

done_testing
