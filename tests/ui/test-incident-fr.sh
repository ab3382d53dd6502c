#!/bin/bash
# SPDX-License-Identifier: MIT
# Closing an incident from the screens, in French: « Terminée » chosen in
# the status dialog opens the prompt for the resolution note; OK with no
# note, or only blanks, is refused in the prompt with the core's French
# words, the prompt staying open and nothing written; the note typed
# closes the incident, which the details, their trail and `incident show`
# then show with its note.
# Usage: test-incident-fr.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 28); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

# wait_chosen LABEL: until the choice drawn in reverse video is LABEL.
wait_chosen() {
	local end=$((SECONDS + 5))
	until screen_e | grep -q $'\e\\[[0-9;]*7m'"$1 "; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for $1 to be chosen"
			return 1
		fi
		nap
	done
}

NOTE="Colonne renommée, migration rejouée"
INC=$(dk --format json incident list ERP | jq_py "d[0]['id']")
is "$(dk --format json incident show "$INC" | jq_py "'|'.join([d['name'], d['status'], d['responsible'], str(d.get('note'))])")" \
	'INCIDENT - Échec déploiement v1.1.8|A_FAIRE|jdupont|None' \
	"the demo's incident, v1.1.8's: A_FAIRE, for jdupont, no note"

start_app "${FR[@]}" --as jdupont
must "the screens open in French as jdupont, its responsible person" wait_for '^Historique des Déploiements' 10
keys I
must "I lists the incidents" wait_for '^Incidents - Refonte ERP' 5
keys Enter
must "Enter opens v1.1.8's incident" wait_for '^INCIDENT - Échec déploiement v1\.1\.8' 5
check "... « À faire »" wait_for '^Statut +À faire *$' 1
keys c
must "c asks for the status: « Statut de l'incident »" wait_for "┌ Statut de l'incident" 5
keys Down Down
check "Down Down: « Terminée » chosen (in reverse video)" wait_chosen Terminée
before=$(db_state)
keys Enter
check "Enter on « Terminée »: a prompt asks what was done, « Clore l'incident »" \
	wait_for "┌ Clore l'incident" 5
check "... « Ce qui a été fait »" wait_for '│ Ce qui a été fait' 1
keys Tab Tab
must "Tab Tab: the focus on OK" wait_for_focus OK
keys Enter
check "OK with no note: refused in the prompt, in French" \
	wait_for '│ +note de résolution : obligatoire pour clore un incident ; dites' 5
check "... and the prompt stays open" wait_for "┌ Clore l'incident" 1
check "... the incident not closed: no « maintenant » in the footer" \
	eval "! screen | grep -q 'Le statut de l.incident est maintenant'"
is "$(db_state)" "$before" "... nothing written"
type_text "   "
must "typing in the field takes the refusal away" wait_gone 'note de résolution' 5
keys Enter
check "only blanks: refused the same, the prompt open" \
	eval "wait_for '│ +note de résolution : obligatoire' 5 && wait_for \"┌ Clore l'incident\" 1"
is "$(db_state)" "$before" "... nothing written"
keys BSpace BSpace BSpace
type_text "$NOTE"
must "the note typed shows in the prompt" wait_for "│ Ce qui a été fait +$NOTE" 5
keys Enter
check "Enter: « Le statut de l'incident est maintenant « Terminée » »" \
	wait_for "^Le statut de l'incident est maintenant « Terminée » *\$" 5
check "... the prompt closed" wait_gone "┌ Clore l'incident" 1
check "... the details say « Terminée »" wait_for '^Statut +Terminée *$' 5
keys End
check "... and, at the end of their trail, « Note : » and the note" \
	wait_for "^ +Note : $NOTE *\$" 5
is "$(dk --format json incident show "$INC" | jq_py "d['status'] + '|' + d['note']")" \
	"TERMINEE|$NOTE" "incident show --format json: TERMINEE, with the note"
like "$(dk incident show "$INC")" $'\nStatus: +Finished\n(.*\n)*Note: +'"$NOTE"$'\n' \
	"incident show: « Status: Finished » and « Note: » with the note"
like "$(env LC_ALL=fr_FR.UTF-8 LANG=fr_FR.UTF-8 DEPLOYDESK_LOCALEDIR="$BUILDDIR/po" "$DD" --db "$DB" incident show "$INC")" \
	$'\nStatut : +Terminée\n(.*\n)*Note : +'"$NOTE"$'\n' \
	"... in French too: « Statut : Terminée », « Note : »"
keys q q q
check "q q q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0"
check "audit verify: intact" eval 'dk audit verify >/dev/null 2>&1'

done_testing
