#!/bin/bash
# SPDX-License-Identifier: MIT
# An admin's override in the screens, in French: where only the project's
# policy refuses (two approvals asked for, a freeze on), s is offered, says
# why in the footer and asks for the reason (required) before starting; the
# history marks the deployment (!); then the project manager reviews the
# exception from its details with E and a note. One left open is overdue
# after 72 hours: « À traiter » and the details say so, and since when.
# Usage: test-override.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 28); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk policy set ERP PROD approvals 2 >/dev/null 2>&1
dk freeze add ERP --env PROD --from "$(date -d '-1 day' '+%Y-%m-%d %H:%M')" \
	--to "2030-01-04 08:00" --reason "Fin d'année" >/dev/null 2>&1
is "$(deploy_field v1.2.0 status)" "A_FAIRE" "v1.2.0 is planned, not approved, on a frozen PROD"

start_app "${FR[@]}"
must "the screens open in French as the admin" wait_for '^Historique des Déploiements' 10
must "v1.2.0 selected" select_version v1.2.0
check "the admin's footer offers s: an override can start it" wait_line $((APP_H - 1)) ' s démarrer '
keys s
check "s: the prompt « Passer outre la politique (approvals freeze) pour v1.2.0 »" \
	wait_for '┌ Passer outre la politique \(approvals freeze\) pour v1\.2\.0' 5
check "... the footer says what refuses it: the freeze" wait_for "PROD du projet ERP est gelé" 1
check "... buttons that say what they do" wait_for "\\[ S'en tenir à la politique \\] +\\[ Passer outre \\]" 1
keys Enter
check "no reason: the prompt stays, saying one is required" \
	wait_for 'passage outre : un motif est requis' 5
type_text "Faille de sécurité critique"
keys Enter
check "the reason given: « Déploiement démarré en passant outre : une exception est ouverte »" \
	wait_for 'Déploiement démarré en passant outre : une exception est ouverte' 5
check "the history marks it: « En cours Oui ! »" wait_for '^v1\.2\.0 +PROD +En cours +Oui !' 5
is "$(dk --format csv exception list | sed -n '2p' | cut -d, -f5,6,10)" "deploy.start,approvals freeze,open" \
	"exception 1: the start, the rules passed, open"
keys q
check "q quits" wait_dead

start_app "${FR[@]}" --as mmartin
must "the screens open as mmartin" wait_for '^Historique des Déploiements' 10
must "v1.2.0 selected" select_version v1.2.0
keys Enter
must "its details" wait_for '^Version +v1\.2\.0' 5
check "the details list the exception, open" wait_for '^Exceptions +n° 1 : approvals freeze, par .* - à examiner' 5
keys E
check "E: « Examiner l'exception 1 »" wait_for "┌ Examiner l'exception 1 \\(approvals freeze, par " 5
type_text "Justifié : CVE corrigée"
keys Enter
check "the note given: « Exception examinée »" wait_for 'Exception examinée' 5
check "... the details say it is reviewed" wait_for '^Exceptions +n° 1 : .* - examinée' 5
is "$(dk --format csv exception list | sed -n '2p' | cut -d, -f10,11)" "reviewed,mmartin" "... reviewed by mmartin"
keys q q
check "q q quits" wait_dead

# An exception left open: four days later (faketime), « À traiter » and the
# details say it is overdue, and since when (72 hours after it was opened).
dk deploy succeed "$(deploy_id v1.2.0)" --logs ok --override "Correctif urgent" >/dev/null 2>&1
OPENED=$(dk --format json exception list --open | jq_py "d[0]['opened_at']")
is "$(dk --format csv exception list --open | sed 1d | cut -d, -f1,10)" "2,open" "exception 2, open"
if has_faketime; then
	DUE=$(date -u -d "$OPENED + 72 hours" '+%d/%m/%Y %H:%M')
	start_app -s 120x30 -t +4d -P "${FR[@]}" --as mmartin
	must "four days later, mmartin: « À traiter » first" wait_for '^À traiter - Marie Martin' 10
	check "... the exception, « Exception en retard »" \
		wait_for '^ERP +v1\.2\.0 +PROD +Exception en retard +[0-9/]{10} [0-9:]{5}' 1
	keys Enter
	must "Enter: its details" wait_for '^Version +v1\.2\.0' 5
	check "the details: « n° 2 : …, par root - à examiner, en retard depuis le $DUE »" \
		wait_for "^ +n° 2 : .*, par root - à examiner, en retard depuis le $DUE\$" 5
	check "... the reviewed one still « examinée »" wait_for '^Exceptions +n° 1 : .* - examinée$' 1
	keys q q q
	check "q q q quits" wait_dead
else
	for i in $(seq 6); do skip "faketime is missing (apt-get install faketime)"; done
fi

done_testing
