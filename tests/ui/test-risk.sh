#!/bin/bash
# SPDX-License-Identifier: MIT
# The risk level and back-out plan in the screens, in French: the new
# deployment's form marks both required where the environment's policy is
# plan-required and says so under the field; the details show them; the
# approval dialog shows them above the spec's confirmation text; a
# high-risk deployment counts the approvals high-risk-approvals adds; a
# change of plan (e) keeps them.
# Usage: test-risk.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 14); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk policy set ERP PROD plan-required yes >/dev/null 2>&1
dk policy set ERP PROD high-risk-approvals 1 >/dev/null 2>&1

start_app "${FR[@]}" --as mmartin
must "the screens open in French as the project manager" wait_for '^Historique des Déploiements' 10
keys n
must "n opens the new deployment's form" wait_for '┌ Nouveau Déploiement' 5
check "... with a risk, not stated, and a back-out plan, neither required on Development" \
	eval "wait_for '│ Risque +< Non indiqué >' 1 && wait_for '│ Plan de retour arrière +' 1"
type_text "v2.0"
keys Tab Right Right Right
check "on Production, both are marked required" \
	eval "wait_for '│ Risque\\* +< Non indiqué >' 5 && wait_for '│ Plan de retour arrière\\*' 1"
keys Tab
type_text "Nouvelle version"
keys Tab Tab
type_text "01/12/2026 10:00"
keys Tab Tab Tab Tab Enter
check "created without them: the form says the risk is required, and why" \
	wait_for 'risque : obligatoire en PROD \(politique plan-required oui\)' 5
check "... and the back-out plan too" wait_for 'plan de retour arrière : obligatoire en PROD' 1
keys Right Right Right # the focus is on the first field refused
must "the risk chosen: Élevé" wait_for '│ Risque\* +< Élevé >' 5
keys Tab
type_text "Redéployer v1.1.9"
keys Enter
type_text "puis restaurer la base"
keys Tab Tab Enter
check "then it is planned" wait_for 'Déploiement v2\.0 planifié' 5
is "$(deploy_field v2.0 risk):$(deploy_field v2.0 backout_plan)" $'HIGH:Redéployer v1.1.9\npuis restaurer la base' \
	"... with its risk and back-out plan"

must "v2.0 selected" select_version v2.0
keys Enter
check "the details show the risk" wait_for '^Risque +Élevé' 5
check "... and the back-out plan, under the description" \
	eval "wait_for '^Plan de retour arrière$' 1 && wait_for '^  puis restaurer la base' 1"
keys q
must "back to the history" wait_for '^Historique des Déploiements' 5
keys a
must "a opens the approval" wait_for '┌ Autoriser le Déploiement' 5
check "the approval shows the risk, and two approvals for a high-risk deployment" \
	eval "wait_for '│ Risque : +Élevé' 1 && wait_for '│ Approbations : +0 sur 2' 1"
check "... the back-out plan above the spec's confirmation text" \
	eval "screen | tr -d '\\n' | grep -q 'Plan de retour arrière :.*Redéployer v1\\.1\\.9.*puis restaurer la base.*En autorisant ce déploiement'"
keys Tab Enter
check "approved: 1 of 2" wait_for 'Approbation de v2\.0 enregistrée : 1 sur 2' 5
keys q
check "q quits" wait_dead

done_testing
