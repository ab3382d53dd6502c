#!/bin/bash
# SPDX-License-Identifier: MIT
# One table of keys per screen: the footer offers only what this person may
# do here (by role, and by the selected row's state), the help and the
# footer come from the same table, Esc first clears a filter (and the
# footer says so), q goes back where there is a screen to go back to (and
# the footer says "back", not "quit"), the footer fits the width, p goes
# back to the project picker, starting a deployment asks first wherever it
# is started from, and a key that cannot apply says why.
# Usage: test-keys.sh PATH-TO-deploydesk BUILD-DIR

. "$(dirname "$0")/lib.sh" "$@"

# screen_has ERE: a line of the screen matches.
screen_has() {
	screen | grep -Eq -- "$1"
}

keys_line() {
	line $((APP_H - 1)) | sed 's/ *$//'
}

# footer_is LOGIN WANT DESC: the keys line on v1.2.0 (planned, not
# authorized) for LOGIN.
footer_is() {
	start_app --as "$1"
	if ! wait_main; then
		fail "$3" "$(screen)"
		return
	fi
	is "$(keys_line)" "$2" "$3"
	stop_app
}

footer_is mmartin " Enter details  n new  / filter  ? help  q quit             a authorize  e edit" \
	"the project manager: new, authorize and edit, not start nor execute; the row's keys at the right end"
footer_is jdupont " Enter details  / filter  ? help  q quit" \
	"the senior developer on an unauthorized deployment: nothing to do but look"
footer_is cpetit " Enter details  / filter  ? help  q quit" \
	"a viewer: no new, no authorize"
footer_is lbernard " Enter details  / filter  ? help  q quit" \
	"a developer: no new, no authorize, no execute"

# The same row once authorized, for the senior developer: start, execute.
V120=$(deploy_id v1.2.0)
dkas mmartin deploy authorize "$V120" >/dev/null
footer_is jdupont " Enter details  / filter  ? help  q quit                     s start  x execute" \
	"the senior developer on an authorized deployment: start and execute"

# Moving to a row with other keys changes the right end alone: the
# screen's keys stay where they were (v1.2.0 planned, then v1.1.9
# succeeded, whose keys are none).
start_app --as mmartin --project ERP
if wait_main; then
	before=$(keys_line)
	keys Down
	if wait_line $((APP_H - 1)) 'q quit$'; then
		after=$(keys_line)
		is "$after" " Enter details  n new  / filter  ? help  q quit" \
			"a succeeded row: no key of its own at the right end"
		is "${before:0:${#after}}" "$after" \
			"... and the screen's keys where they were on the planned row"
	else
		fail "a succeeded row: no key of its own at the right end" "$(screen)"
		skip "... and the screen's keys where they were on the planned row"
	fi
else
	fail "the screens open as mmartin" "$(screen)"
fi
stop_app

# On a project whose TESTS stage is not finished, even the project manager
# is not offered n.
dk project add CRM --name "Gestion clients" >/dev/null
dk member add CRM mmartin --role chef >/dev/null
start_app --as mmartin --project CRM
if wait_for '^Deployment history' 10; then
	is "$(keys_line)" " / filter  ? help  q quit" \
		"TESTS not finished: no n in the footer"
	check "... nor in the empty list's hint" screen_has 'No deployment yet\.$'
else
	fail "the CRM project opens" "$(screen)"
fi

# p goes back to the project picker, which lists both projects.
keys p
if wait_for '^deploydesk - Projects' 5; then
	pass "p goes back to the project picker"
	like "$(screen)" "CRM +Gestion clients" "... which lists the projects"
else
	fail "p goes back to the project picker" "$(screen)"
fi
# Opened from the picker, the history's q goes back to it: the footer says
# "back"; on the first screen (above) it says "quit".
keys Enter
if wait_for '^Deployment history' 5; then
	is "$(keys_line)" " / filter  ? help  q back" \
		"opened from the picker: the footer says q back, not quit"
	keys q
	check "... and q goes back to the picker" wait_for '^deploydesk - Projects' 5
	is "$(keys_line)" " Enter open  t to do  E environments  M figures  ? help  q quit" "... whose q quits"
else
	fail "Enter on the picker opens the history" "$(screen)"
fi
stop_app

# Esc first clears an active filter; only then does it go back.
start_app --as mmartin --project ERP
wait_main
keys /
wait_for 'Filter the history' 5
type_text 1.1
keys Enter
if wait_for 'filter: /1\.1' 5; then
	pass "a text filter is active"
else
	fail "a text filter is active" "$(screen)"
fi
like "$(keys_line)" '  \? help  q quit  Esc clear filter$' \
	"with a filter on, the footer offers Esc to clear it"
keys Escape
if wait_for 'Filter cleared *$' 5; then
	pass "Esc clears the filter and says so"
	like "$(screen)" "v1\\.2\\.0" "... the whole history is back"
	check "... without the filter's mark" screen_has '^Deployment history *$'
	like "$(keys_line)" '  / filter  \? help  q quit$' \
		"... and without Esc in the footer"
else
	fail "Esc clears the filter and says so" "$(screen)"
fi
# "/" searches words, accents and case ignored: "ECHEC" finds the demo's
# failed v1.1.8 (Échec in its logs) and only it.
keys /
wait_for 'Filter the history' 5
type_text ECHEC
keys Enter
if wait_for 'filter: /ECHEC' 5; then
	pass "a search for ECHEC is on"
	check "... it lists v1.1.8" wait_for 'v1\.1\.8' 5
	if screen_has 'v1\.2\.0' || screen_has 'v1\.1\.9'; then
		fail "... and no other deployment" "$(screen)"
	else
		pass "... and no other deployment"
	fi
else
	fail "a search for ECHEC is on" "$(screen)"
fi
keys Escape
check "Esc clears the search" wait_for 'Filter cleared *$' 5

# s asks before starting, from the history as from the details.
select_version v1.2.0
keys Enter
wait_for '^Deployment v1\.2\.0' 5
stop_app
start_app --as jdupont --project ERP
wait_main
select_version v1.2.0
keys s
if wait_for 'Start the deployment' 5; then
	pass "s on the history asks before starting"
else
	fail "s on the history asks before starting" "$(screen)"
fi
keys Escape
wait_gone 'Start the deployment' 5
keys Enter
wait_for '^Deployment v1\.2\.0' 5
keys s
if wait_for 'Start the deployment' 5; then
	pass "s in the details asks too"
else
	fail "s in the details asks too" "$(screen)"
fi
keys Escape
stop_app
is "$(deploy_field v1.2.0 status)" A_FAIRE "nothing was started"

# The footer fits the width: the admin, with a filter on, on a deployment
# to start or execute, has more keys than 80 columns hold with two blanks
# between them: they close up, the help and the ways back staying whole.
# footer_filtered [START_APP OPTION]...: the keys line so.
footer_filtered() {
	start_app "$@" --project ERP
	wait_for '^(Deployment history|Historique des Déploiements)' 10 || return 1
	keys /
	wait_for '┌ (Filter the history|Filtrer l.historique)' 5 || return 1
	type_text v1.2.0
	keys Enter
	wait_for '\[(filter|filtre)' 5 || return 1
	keys_line
}
got=$(footer_filtered)
like "$got" '^ Enter details n new \? help q quit Esc clear filter {3,}s start x execute e edit$' \
	"the admin's footer with a filter on fits 80 columns: the row's keys whole, / filter left out first"
stop_app
if french; then
	got=$(footer_filtered "${FR[@]}")
	like "$got" '^ \? aide  q quitter  Échap effacer le filtre {3,}s démarrer  x exécuter  e modifier$' \
		"in French: the keys before ? that do not fit are left out, the help, Esc and the row's keys kept whole"
	like "$(printf '%s' "$got" | wc -m)" '^([0-7]?[0-9]|80)$' "... within 80 columns"
	stop_app
	# v-inbox waits for mmartin's approval: « À traiter » first; q goes
	# on to the picker.
	dkas mmartin deploy create ERP --version v-inbox --env PROD --description d \
		--responsible jdupont --date "2026-03-09 10:00" >/dev/null 2>&1
	# The project manager in French on a row to approve, the widest
	# footer a manager meets: every key, the screen's two blanks apart,
	# where they stay on the next row (v1.2.0, authorized: e only).
	start_app "${FR[@]}" --as mmartin --project ERP
	if wait_for '^Historique des Déploiements' 10; then
		before=$(keys_line)
		like "$before" '^ Entrée détails  n nouveau  / filtre  \? aide  q quitter {3,}a autoriser {1,2}e modifier$' \
			"in French, the project manager on a row to approve: every key, the screen's two blanks apart"
		keys Down
		if wait_line $((APP_H - 1)) 'q quitter +e modifier$'; then
			is "$(keys_line | sed 's/ *e modifier$//')" "${before%%quitter*}quitter" \
				"... and the screen's keys where they were on the next row"
		else
			fail "... and the screen's keys where they were on the next row" "$(screen)"
		fi
	else
		fail "in French, the project manager on a row to approve" "$(screen)"
		skip "... and the screen's keys where they were on the next row"
	fi
	stop_app
	start_app -P "${FR[@]}" --as mmartin
	check "in French, without a project: « À traiter » first, v-inbox to approve" \
		wait_for '^À traiter - Marie Martin' 10
	check "... its line: ERP v-inbox PROD À approuver" wait_for '^ERP +v-inbox +PROD +À approuver' 1
	keys q
	wait_for '^deploydesk - Projets' 10
	is "$(keys_line)" " Entrée ouvrir  t à traiter  E environnements  M chiffres  ? aide  q quitter" \
		"in French, the picker's footer offers « À traiter », the environments and the figures"
	keys Enter
	wait_for '^Historique des Déploiements' 10
	is "$(keys_line)" " / filtre  ? aide  q retour" \
		"in French, opened from the picker: q retour"
	stop_app
else
	skip "French: the footer's keys"
	skip "French: within 80 columns"
	skip "French: the project manager's footer on a row to approve"
	skip "French: ... the screen's keys where they were"
	skip "French: « À traiter » first"
	skip "French: its line"
	skip "French: the picker's footer"
	skip "French: q retour"
fi

# In a deployment's details, a key that cannot apply is not in the footer
# and, pressed, says why; I lists the project's incidents there too; a key
# that means nothing on a screen says so.
details_of() {
	start_app --as mmartin --project ERP
	wait_main || return 1
	select_version "$1" || return 1
	keys Enter
	wait_for "^Deployment ${1//./\\.}" 5
}
if details_of v1.1.9; then
	like "$(keys_line)" '^ Up/Down scroll  v logs  / search  \? help  q back$' \
		"the details of a deployment without incident: no c nor i in the footer"
	keys c
	check "... c says it has no incident" \
		wait_for 'This deployment has no incident: only a failed deployment has one *$' 5
	keys i
	check "... i says so too" wait_for 'No incident: only a failed deployment has one *$' 5
	keys I
	check "... I lists the project's incidents" wait_for '^Incidents - Refonte ERP' 5
	keys q
	check "... q comes back to the details" wait_for '^Deployment v1\.1\.9' 5
	keys z
	check "a key the screen does not know says so" \
		wait_for "The key z does nothing here: \\? lists this screen's keys *\$" 5
else
	fail "the details of v1.1.9 open" "$(screen)"
fi
stop_app
if details_of v1.1.8; then
	keys c
	check "the details of a failed deployment: c says where the incident's status changes" \
		wait_for "Press i to open this deployment's incident, then c to change its status *\$" 5
	keys i
	must "... i opens the incident" wait_for '^INCIDENT - Échec déploiement v1\.1\.8' 5
	keys I Enter
	check "its I lists the incidents, Enter opens one" wait_for '^INCIDENT - Échec' 5
	keys I
	check "... whose I comes back to that same list" wait_for '^Incidents - Refonte ERP' 5
	keys q
	check "... under which is the incident, as before" wait_for '^INCIDENT - Échec déploiement v1\.1\.8' 5
else
	fail "the details of v1.1.8 open" "$(screen)"
fi
stop_app
if french; then
	start_app "${FR[@]}" --as mmartin --project ERP
	wait_for '^Historique des Déploiements' 10
	keys Down Enter # v1.1.9, the second row
	wait_for '^Déploiement v1\.1\.9' 5
	keys c
	check "in French: c says the deployment has no incident" \
		wait_for "Ce déploiement n'a pas d'incident : seul un déploiement en échec en a un *\$" 5
	stop_app
else
	skip "French: c without an incident"
fi

done_testing
