#!/bin/bash
# SPDX-License-Identifier: MIT
# m in the history: the project's members, in French: who holds which
# role, since when, granted by whom; q back.
# Usage: test-members.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 5); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dkas mmartin member add ERP lbernard --role dev-senior >/dev/null 2>&1
start_app "${FR[@]}" --as mmartin
must "the history, in French" wait_for '^Historique des Déploiements' 10
keys m
check "m: « Membres - Refonte ERP »" wait_for '^Membres - Refonte ERP' 5
check "... Jean Dupont, senior developer since the project began, granted by root" \
	wait_for '^Jean Dupont +jdupont +Dev senior +26/01/2026 10:00 +root' 1
check "... Lucas Bernard, made senior today by mmartin" \
	wait_for "^Lucas Bernard +lbernard +Dev senior +$(date +%d/%m/%Y) [0-9:]{5} +mmartin" 1
keys q
check "q: back to the history" wait_for '^Historique des Déploiements' 5
done_testing
