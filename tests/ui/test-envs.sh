#!/bin/bash
# SPDX-License-Identifier: MIT
# E: what runs where, in French: every project in each environment, the
# marks explained, the selected project's environments in words and its
# versions ahead; Enter opens its history; E from the history and from «
# À traiter », q back to where it was asked.
# Usage: test-envs.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 10); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

start_app "${FR[@]}" --as mmartin
must "the history, in French" wait_for '^Historique des Déploiements' 10
keys E
check "E: « Environnements : ce qui tourne où »" wait_for '^Environnements : ce qui tourne où' 5
check "... the marks explained" wait_for '^! la dernière tentative a échoué  > un en cours  \+N prévus' 1
check "... ERP: TEST v1.1.9, PREPROD v1.1.7, PROD nothing yet, its last attempt failed, one planned" \
	wait_for '^ERP +- +v1\.1\.9 +v1\.1\.7 +- ! \+1' 1
check "... PROD in words, on two rows: nothing succeeded, so its failure is not « après »" \
	eval "wait_for \"^  PROD +rien n'a encore réussi ; v1\\\\.1\\\\.8 a échoué ; 1 prévu \\\\(v1\\\\.2\\\\.0 le\" 1 && wait_for '^ {11}06/02/2026 14:00\\)' 1"
check "... and the versions ahead" wait_for '^  En avance : TEST → PREPROD : v1\.1\.9 ; PREPROD → PROD : v1\.1\.7' 1
keys Enter
check "Enter: the project's history" wait_for '^Historique des Déploiements' 5
keys t
must "t: « À traiter »" wait_for '^À traiter - Marie Martin' 5
keys E
check "E from « À traiter »: the environments" wait_for '^Environnements : ce qui tourne où' 5
keys q
check "q: back to « À traiter », where E was pressed" wait_for '^À traiter - Marie Martin' 5

done_testing
