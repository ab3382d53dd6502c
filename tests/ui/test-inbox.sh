#!/bin/bash
# SPDX-License-Identifier: MIT
# « À traiter », in French: opened first when anything waits for the
# person (started without --project); Enter opens the item where it is
# acted on; back, the list is read again; q goes on to the screen the
# person would have had; t reaches it from the history; nothing waiting is
# said in words.
# Usage: test-inbox.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 16); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

start_app -P "${FR[@]}" --as mmartin
check "started without a project: « À traiter » first" wait_for '^À traiter - Marie Martin' 10
check "... v1.2.0 to approve, on PROD" wait_for '^ERP +v1\.2\.0 +PROD +À approuver +06/02/2026 14:00' 1
keys Enter
check "Enter opens its details" wait_for '^Déploiement v1\.2\.0 - Prévu' 5
keys a
must "a: the approval" wait_for '┌ Autoriser le Déploiement' 5
check "... its date in French: « Prévu le : 06/02/2026 14:00 »" wait_for '│ Prévu le : +06/02/2026 14:00 ' 1
keys Tab Enter
must "approved" wait_for 'Déploiement v1\.2\.0 autorisé' 5
keys q
check "back: the list is read again, nothing waits any more" wait_for '^  Rien ne vous attend\.' 5
keys q
check "q goes on to the history, the screen of the only project" wait_for '^Historique des Déploiements' 5
keys t
check "t from the history: « À traiter » again" wait_for '^À traiter - Marie Martin' 5
keys q
must "q: the history again" wait_for '^Historique des Déploiements' 5
keys I
must "I: the project's incidents" wait_for '^Incidents - Refonte ERP' 5
keys t
check "t from the incidents: « À traiter » above them" wait_for '^À traiter - Marie Martin' 5
keys q
check "... and q back to the incidents, where t was pressed" wait_for '^Incidents - Refonte ERP' 5
stop_app

start_app -P "${FR[@]}" --as jdupont
check "the senior developer: v1.2.0 to start, first" \
	wait_for '^ERP +v1\.2\.0 +PROD +À démarrer' 10
check "... and the incident of v1.1.8, theirs" wait_for '^ERP +incident de v1\.1\.8 +Incident ouvert' 1
keys q
check "q goes on to the history" \
	wait_for '^Historique des Déploiements' 5
stop_app

done_testing
