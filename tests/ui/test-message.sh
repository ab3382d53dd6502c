#!/bin/bash
# SPDX-License-Identifier: MIT
# The footer's message says what just happened; in a dialog it stays while
# the person moves about, and goes at the next edit, typed or pasted, once
# the text it spoke of has changed ("Loaded 42 bytes of logs" over logs
# typed since).
# Usage: test-message.sh PATH-TO-deploydesk BUILD-DIR

. "$(dirname "$0")/lib.sh" "$@"

dkas mmartin deploy create ERP --version v7.0.0 --env TEST --description d \
	--responsible jdupont --date "2026-03-02 10:00" >/dev/null &&
	dkas mmartin deploy authorize "$(deploy_id v7.0.0)" >/dev/null ||
	{ echo "Bail out! cannot plan v7.0.0"; exit 1; }
printf 'line one of the logs\nline two of the logs\n' >"$WORK/42.log"
is "$(wc -c <"$WORK/42.log")" 42 "the logs file holds 42 bytes"
printf 'pasted\n' >"$WORK/paste.txt"
T load-buffer -b logs "$WORK/paste.txt"

# load [START_APP OPTION]...: the execute dialog on v7.0.0 (the newest
# deployment: the first row), the file loaded with Ctrl-O.
load() {
	keys C-o
	if wait_for '┌ (Add|Ajouter|Load|Charger)' 5 && screen | grep -Eq 'Replace|Remplacer'; then
		keys Down Enter # replace the logs there
	fi
	wait_for '┌ (Load logs from a file|Charger les logs depuis un fichier)' 5 || return 1
	type_text "$WORK/42.log"
	keys Enter
	wait_for '│ line two of the logs' 5
}
open_execute() {
	start_app "$@" --as jdupont --project ERP
	wait_for '^(Deployment history|Historique des Déploiements)' 10 || return 1
	keys Home x
	wait_for '┌ (Execute the deployment|Exécuter le Déploiement)' 5
}

must "x opens the execute dialog on v7.0.0" open_execute
must "Ctrl-O loads the file" load
check "the footer says what was loaded" wait_for '^Loaded 42 bytes of logs \(UTF-8\) *$' 2
keys Tab
check "moving to a button leaves it there" wait_for '^Loaded 42 bytes of logs' 1
keys BTab Left
check "moving in the logs too" wait_for '^Loaded 42 bytes of logs' 1
type_text "x"
check "typing over the logs clears it: they are not the file's any more" \
	wait_gone '^Loaded 42 bytes of logs' 2
check "... what was typed is there" wait_for 'line two of the logsx' 1

must "Ctrl-O loads the file again, in place of the logs" load
check "the footer says so again" wait_for '^Loaded 42 bytes of logs' 2
T paste-buffer -p -b logs -t app
check "a paste clears it too" wait_gone '^Loaded 42 bytes of logs' 2
check "... the pasted text is in the logs" wait_for '│ pasted' 1

must "Ctrl-O loads the file once more" load
check "the footer says so" wait_for '^Loaded 42 bytes of logs' 2
keys BSpace
check "a deleted character clears it" wait_gone '^Loaded 42 bytes of logs' 2
stop_app

if french; then
	if open_execute "${FR[@]}" && load; then
		check "in French: the footer says what was loaded" \
			wait_for '^42 octets de logs chargés \(UTF-8\) *$' 2
		type_text "x"
		check "in French: typing clears it" \
			wait_gone '^42 octets de logs chargés' 2
	else
		fail "in French: the execute dialog loads the file" "$(screen)"
	fi
	stop_app
else
	skip "French: the footer's message"
	skip "French: cleared by typing"
fi

done_testing
