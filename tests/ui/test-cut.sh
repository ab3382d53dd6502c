#!/bin/bash
# SPDX-License-Identifier: MIT
# Long names on the screens: what is cut ends with "…" (never a name cut
# silently, never a border or a bracket lost); a header keeps its title
# and the person's role, cutting the person's name first, then the
# project's; the incidents' header names the person too; a choice keeps
# its "< >" and the person's role. Columns take the room there is: a long
# version where the actions leave room, a status as wide as the longest
# word, an incident's name keeping the end that tells it apart.
# Usage: test-cut.sh PATH-TO-deploydesk BUILD-DIR

. "$(dirname "$0")/lib.sh" "$@"

LONG_NAME="Marie-Charlotte Élisabeth de La Rochefoucauld-Montmorency"
LONG_PROJECT="Projet de refonte complète du système de facturation et de gestion des stocks"
LONG_VERSION=v2.0.0-release-candidate-with-a-very-long-suffix-x

dk user add xlong --name "$LONG_NAME" >/dev/null &&
	dk member add ERP xlong --role dev-senior >/dev/null &&
	dk project add LONG --name "$LONG_PROJECT" >/dev/null &&
	dk member add LONG xlong --role dev-senior >/dev/null &&
	dkas mmartin deploy create ERP --version "$LONG_VERSION" --env TEST \
		--description d --responsible xlong --date "2026-03-01 10:00" >/dev/null ||
	{ echo "Bail out! cannot add the long names"; exit 1; }

# header_like ERE DESC: the first line of the screen matches.
header_like() {
	like "$(line 0)" "$1" "$2"
}

# ---------------------------------------------------------------- headers

start_app --as xlong --project LONG
must "the LONG project opens as xlong" wait_for '^Deployment history' 10
header_like '^Deployment management - Projet de re[^…]*…  +Marie-Charl[^…(]*… \(xlong\) - Senior developer$' \
	"a long project and a long name: both cut with …, the title and the role whole"
stop_app

start_app --as xlong --project ERP
must "ERP opens as xlong" wait_main
header_like '^Deployment management - Refonte ERP  +Marie-Charlotte[^…(]*… \(xlong\) - Senior developer$' \
	"a long name: the project whole, the name cut with …, the role whole"
keys I
must "I opens the incidents" wait_for '^Incidents - Refonte ERP'
header_like '^Incidents - Refonte ERP  +Marie-Charlotte[^…(]*… \(xlong\) - Senior developer$' \
	"the incidents' header names the person and the role, as the history's does"
stop_app

start_app --as mmartin --project ERP
must "ERP opens as mmartin" wait_main
keys I
must "I opens the incidents" wait_for '^Incidents - Refonte ERP'
header_like '^Incidents - Refonte ERP +Marie Martin \(mmartin\) - Project manager$' \
	"the incidents' header, a short name: whole"
stop_app

if french; then
	start_app "${FR[@]}" --as xlong --project LONG
	must "in French: LONG opens" wait_for '^Historique des Déploiements' 10
	header_like '^Gestion des Déploiements - Projet de [^…]*…  +Marie-Charl[^…(]*… \(xlong\) - Dev senior$' \
		"in French: the project and the name cut with …, the title and the role whole"
	stop_app
	start_app "${FR[@]}" --as mmartin --project ERP
	must "in French: ERP opens" wait_for '^Historique des Déploiements' 10
	keys I
	must "in French: I opens the incidents" wait_for '^Incidents - Refonte ERP'
	header_like '^Incidents - Refonte ERP +Marie Martin \(mmartin\) - Chef de projet$' \
		"in French: the incidents' header names the person and the role"
	stop_app
else
	skip "the French checks need the fr_FR.UTF-8 locale and the built catalogue"
	skip "French: the incidents' header"
fi

# ---------------------------------------------------------------- dialogs

# responsible_line: the Responsible line of the new deployment's dialog,
# xlong chosen.
responsible_line() {
	keys n
	wait_for '┌ (New deployment|Nouveau Déploiement)' 5 || return 1
	keys Tab Tab Tab
	choose '│ Respons' 'Marie-Charlotte' || return 1
	screen | grep -E '│ Respons'
}

start_app --as mmartin --project ERP
must "ERP opens as mmartin" wait_main
got=$(responsible_line)
like "$got" '< Marie-Charlotte [^>]*… \(Senior developer\) > +│' \
	"the Responsible choice: the name cut with …, the role and '>' kept"
keys Escape
wait_gone '┌ New deployment' 5

# The newest deployment is the long version, planned and not authorized.
keys Home
keys a
must "a opens the authorize dialog" wait_for '┌ Authorize the deployment' 5
like "$(screen | grep -E '│ Version:')" '│ Version: +v2\.0\.0-release-candidate-with-a-very-long-… │' \
	"the authorize dialog: a long version cut with … inside the box"
like "$(screen | grep -E '│ Responsible:')" '│ Responsible: +Marie-Charlotte [^│]*… │' \
	"... a long responsible's name too"
keys Escape
stop_app

if french; then
	start_app "${FR[@]}" --as mmartin --project ERP
	must "in French: ERP opens" wait_for '^Historique des Déploiements' 10
	got=$(responsible_line)
	like "$got" '< Marie-Charlotte [^>]*… \(Dev senior\) > +│' \
		"in French: the Responsible choice keeps the role and '>'"
	stop_app
else
	skip "French: the Responsible choice"
fi

# ---------------------------------------------------------------- columns

# A second incident, and the demo's in progress ("In progress" is the
# longest status in English).
INC118=$(dk --format json incident list ERP | jq_py "d[0]['id']")
dkas jdupont incident set "$INC118" EN_COURS >/dev/null &&
	V130=$(dkas mmartin deploy create ERP --version v1.3.0 --env TEST --description d \
		--responsible jdupont --date "2026-02-10 10:00") &&
	dkas mmartin deploy authorize "$V130" >/dev/null &&
	dkas jdupont deploy fail "$V130" --logs boom >/dev/null ||
	{ echo "Bail out! cannot add the second incident"; exit 1; }

# incidents W [START_APP OPTION]...: the incidents list at W columns.
incidents() {
	local w=$1
	shift
	start_app -s "${w}x24" "$@" --as mmartin --project ERP
	wait_for '^(Deployment history|Historique des Déploiements)' 10 || return 1
	keys I
	wait_for '^Incidents - Refonte ERP' 5
}

for w in 80 100; do
	if incidents $w; then
		like "$(screen | grep '^v1\.1\.8 ')" 'In progress +High ' \
			"$w columns: the incidents' status column holds 'In progress' whole"
		like "$(screen | grep '^v1\.1\.8 ')" '^v1\.1\.8 +(…|INCIDENT)[^│]*v1\.1\.8 +In progress' \
			"$w columns: the incident's name shows the version it ends with"
		like "$(screen | grep '^v1\.3\.0 ')" '^v1\.3\.0 +(…|INCIDENT)[^│]*v1\.3\.0 +To do' \
			"$w columns: ... so that two incidents' names differ"
	else
		fail "$w columns: the incidents list opens" "$(screen)"
	fi
	stop_app
done
if french && incidents 80 "${FR[@]}"; then
	like "$(screen | grep '^v1\.1\.8 ')" '^v1\.1\.8 +…[^│]*v1\.1\.8 +En cours +Haute ' \
		"in French, 80 columns: the name keeps its end, the status whole"
	stop_app
else
	skip "French: the incidents' columns"
fi

# The history at 100 columns: the long version takes the room there is.
start_app -s 100x24 --as mmartin --project ERP
must "ERP opens at 100 columns" wait_main
like "$(screen | grep '^v2\.0\.0')" '^v2\.0\.0-release-candidate-with-a-very-[^ ]*… +TEST ' \
	"100 columns: a long version takes the room the actions leave"
like "$(screen | grep '^v1\.2\.0 ')" '\[Authorize\] *$' "... the actions still whole"
stop_app

done_testing
