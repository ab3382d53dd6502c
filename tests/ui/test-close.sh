#!/bin/bash
# SPDX-License-Identifier: MIT
# Cancelling (C) and refusing (R) a planned deployment from the screens, in
# French: the prompt asks why and stays open, with the core's words, while
# the reason is empty; Esc writes nothing; the history, the statistics'
# border and the details show what was done and why; a senior developer
# is refused in the footer.
# Usage: test-close.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 19); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

start_app "${FR[@]}" --as jdupont
must "the screens open in French as jdupont" wait_for '^Historique des Déploiements' 10
must "v1.2.0 selected" select_version v1.2.0
keys C
check "C as a senior developer: refused in the footer, in words" \
	wait_for "[Ss]eul un admin ou le chef du projet ERP peut annuler un déploiement" 5
check "... and no prompt opens" eval "! screen | grep -q 'Motif'"
keys q
check "q quits" wait_dead

before=$(db_state)
start_app "${FR[@]}" --as mmartin
must "the screens open in French as mmartin" wait_for '^Historique des Déploiements' 10
check "the statistics' border: none cancelled or refused" wait_for 'Annulé 0  Refusé 0 ─┐' 5
must "v1.2.0 selected" select_version v1.2.0
keys C
check "C asks why: « Annuler le déploiement v1.2.0 (Production) »" wait_for '┌ Annuler le déploiement v1\.2\.0 \(Production\)' 5
check "... « Motif », and buttons that say what they do: « Le garder », « L'annuler »" \
	eval "wait_for '│ Motif' 1 && wait_for \"\\[ Le garder \\] +\\[ L'annuler \\]\" 1"
keys Enter
check "Enter with no reason: the prompt stays, saying it is required" \
	wait_for 'motif : requis pour annuler un déploiement' 5
keys Escape
check "Esc closes the prompt" wait_gone '┌ Annuler le déploiement' 5
is "$(db_state)" "$before" "... and nothing was written"
keys C
must "C again" wait_for '┌ Annuler le déploiement' 5
type_text "Remplacé par la v1.2.1"
keys Enter
check "the reason typed, Enter: « Déploiement v1.2.0 annulé »" wait_for 'Déploiement v1\.2\.0 annulé' 5
check "the history shows it Annulé" wait_for '^v1\.2\.0 +PROD +Annulé' 5
check "the statistics' border counts it" wait_for 'Annulé 1  Refusé 0 ─┐' 5
is "$(deploy_field v1.2.0 status):$(deploy_field v1.2.0 reason)" "ANNULEE:Remplacé par la v1.2.1" \
	"... stored ANNULEE with its reason"
keys Enter
check "its details: « Annulé par Marie Martin »" wait_for '^Annulé par +Marie Martin \(mmartin\)' 5
check "... « Motif »" wait_for '^Motif +Remplacé par la v1\.2\.1' 1
keys End
check "... and, at its end, the history of the trail: « l'a annulé », « Motif : »" \
	eval "wait_for \"mmartin l'a annulé\" 5 && wait_for 'Motif : Remplacé par la v1\\.2\\.1' 1"
keys q
must "back on the history" wait_for '^Historique des Déploiements' 5

# Refused from the details of a new planned deployment.
dk --as mmartin deploy create ERP --version v1.3.0 --env TEST --description "Nouvelle version" \
	--responsible jdupont --date "2026-03-01 10:00" >/dev/null 2>&1
check "the new deployment shows (live)" wait_for '^v1\.3\.0 ' 10
must "v1.3.0 selected" select_version v1.3.0
keys Enter
must "its details" wait_for '^Version +v1\.3\.0' 5
keys R
check "R asks why: « Refuser le déploiement v1.3.0 (Test) »" wait_for '┌ Refuser le déploiement v1\.3\.0 \(Test\)' 5
type_text "Pas de plan de retour arrière"
keys Enter
check "« Déploiement v1.3.0 refusé »" wait_for 'Déploiement v1\.3\.0 refusé' 5
check "the details show Refusé par and the reason" \
	eval "wait_for '^Refusé par +Marie Martin' 5 && wait_for '^Motif +Pas de plan de retour arrière' 1"
keys q q
check "q q quits" wait_dead
is "$(dk --format json stats ERP | jq_py '(d["cancelled"], d["refused"])')" "[1, 1]" "stats: one cancelled, one refused"
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

done_testing
