#!/bin/bash
# SPDX-License-Identifier: MIT
# A freeze in the screens, in French: the project's header says which one
# is on and until when, the footer of a senior developer no longer offers
# to start or execute, and s says why in words; a freeze coming within the
# week is announced.
# Usage: test-freeze.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 15); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

V=$(deploy_id v1.2.0)
dk --as mmartin deploy authorize "$V" >/dev/null 2>&1
dk --as mmartin freeze add ERP --env PROD --from "$(date -d '-1 day' '+%Y-%m-%d %H:%M')" \
	--to "2030-01-04 08:00" --reason "Fin d'année" >/dev/null 2>&1
is "$(dk --format csv freeze list ERP | sed -n '2s/,.*//p')" 1 "freeze 1 on ERP's PROD"

start_app "${FR[@]}" --as jdupont
must "the screens open in French as jdupont" wait_for '^Historique des Déploiements' 10
check "the header says it: « Gel : PROD jusqu'au 04/01/2030 08:00 (Fin d'année) »" \
	wait_for "^Gel : PROD jusqu'au 04/01/2030 08:00 \\(Fin d'année\\)" 5
must "v1.2.0 selected" select_version v1.2.0
check "the footer offers neither start nor execute" \
	eval "wait_line $((APP_H - 1)) 'q quitter' && ! line $((APP_H - 1)) | grep -Eq ' (s démarrer|x exécuter) '"
keys s
check "s says why: « PROD du projet ERP est gelé jusqu'au 04/01/2030 08:00 (gel 1 : Fin d'année) »" \
	wait_for "PROD du projet ERP est gelé jusqu'au 04/01/2030 08:00 \\(gel 1 : Fin" 5
keys q
check "q quits" wait_dead

dk --as mmartin freeze remove 1 >/dev/null 2>&1
# A refusal of three lines: its beginning, what is refused, is on screen.
dk --as mmartin freeze add ERP --env PROD --from "$(date -d '-1 day' '+%Y-%m-%d %H:%M')" \
	--to "2030-01-04 08:00" --reason "Pas de mise en production pendant la clôture des comptes annuels, demandée par la direction financière" >/dev/null 2>&1
start_app "${FR[@]}" --as jdupont
must "the screens open again" wait_for '^Historique des Déploiements' 10
must "v1.2.0 selected" select_version v1.2.0
keys s
check "a refusal of three lines: its first words are shown" \
	wait_for "^PROD du projet ERP est gelé jusqu'au 04/01/2030 08:00" 5
check "... and its end" wait_for "ni démarré ni exécuté" 1
keys q
check "q quits" wait_dead
dk --as mmartin freeze remove 2 >/dev/null 2>&1
dk --as mmartin freeze add ERP --from "$(date -d '+2 days' '+%Y-%m-%d') 00:00" \
	--to "$(date -d '+3 days' '+%Y-%m-%d') 00:00" --reason "Migration" >/dev/null 2>&1
start_app "${FR[@]}" --as jdupont
must "the screens open again" wait_for '^Historique des Déploiements' 10
check "a freeze in two days: « Gel à venir : tous les environnements à partir du … (Migration) »" \
	wait_for "^Gel à venir : tous les environnements à partir du .* \\(Migration\\)" 5
keys q
check "q quits" wait_dead

done_testing
