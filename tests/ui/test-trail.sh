#!/bin/bash
# SPDX-License-Identifier: MIT
# A in the history: the project's trail, newest first, in French, each
# record with what it is about and its changes; u filters by person, d by
# a day or a period (a date that does not exist refused in the prompt), c
# clears.
# Usage: test-trail.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 12); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

start_app "${FR[@]}" --as mmartin
must "the history, in French" wait_for '^Historique des Déploiements' 10
keys A
check "A: « Journal - Refonte ERP », newest first" \
	eval "wait_for '^Journal - Refonte ERP' 5 && wait_for '^[0-9]+ enregistrements, du plus récent au plus ancien' 1"
check "... each record with what it is about: jdupont started v1.1.9" \
	wait_for "^05/02/2026 14:00  jdupont l'a démarré : v1\\.1\\.9" 1
check "... and its changes, field: before → after" wait_for '^      Statut : Prévu → En cours' 1
keys u
must "u: the person's prompt" wait_for "┌ Identifiant d'une personne" 5
type_text "mmartin"
keys Enter
check "only what mmartin did" \
	eval "wait_for '^personne : mmartin' 5 && ! screen | grep -q '^[0-9/]* [0-9:]*  jdupont'"
keys d
must "d: the period's prompt" wait_for '┌ Un jour, ou deux' 5
type_text "2026-02-30"
keys Enter
check "a date that does not exist: refused in the prompt" wait_for "du : « 2026-02-30 » : cette date n'existe pas" 5
keys C-u
type_text "2026-02-03"
keys Enter
check "2026-02-03: that day's records of mmartin only" \
	eval "wait_for '^personne : mmartin   action : -   du : 2026-02-03   au : 2026-02-03' 5 && ! screen | grep -E '^[0-9]{2}/[0-9]{2}/[0-9]{4} ' | grep -vq '^03/02/2026 '"
keys c
check "c: no filter" wait_for '^personne : -   action : -   du : -   au : -' 5
stop_app

# A policy's record says which: its environment and key, not the project's
# id.
dk policy set ERP PROD approvals 2 >/dev/null 2>&1
start_app "${FR[@]}" --as mmartin
must "the history again" wait_for '^Historique des Déploiements' 10
keys A
check "a policy's change: « a changé une politique : PROD approvals »" \
	wait_for "^[0-9/]* [0-9:]*  root a changé une politique : PROD approvals" 5
done_testing
