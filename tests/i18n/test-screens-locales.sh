#!/bin/bash
# SPDX-License-Identifier: MIT
# The screens in four locales (100x30 pty): the deployments screen's words
# in the locale's language and codeset, dates in the locale's format, data
# converted to the codeset with '?' for what it cannot hold; the details of
# a deployment likewise.
#
#     test-screens-locales.sh DEPLOYDESK BUILD-DIR [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/screens.db
demo_db "$DB"

# first row of the history (planned after the demo's): data with é € 日
ID=$(new_deploy "$DB" "$(printf 'v2-\xc3\xa9\xe2\x82\xac\xe6\x97\xa5')" \
	"$(printf 'Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5')" "2026-12-01 09:00") ||
	{ echo "Bail out! cannot create a deployment"; exit 1; }

if [ ! -f "$BUILDDIR/po/fr/LC_MESSAGES/deploydesk.mo" ]; then
	diag "no French catalogue in $BUILDDIR/po: the French checks will fail"
fi

# screens LOCALE: opens the screens, Enter (details of the first row), then
# q until it exits; raw bytes in $WORK/screen-LOCALE
screens() {
	local f=$WORK/screen-$1 rc
	py "$HERE/ptyrun.py" --locale "$1" --keys 'Enter' --out "$f" -- \
		"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	rc=$?
	if [ $rc -eq 0 ] && [ -s "$f" ]; then
		pass "$1: screens open, show the details, quit with exit 0"
	else
		fail "$1: screens open, show the details, quit with exit 0" \
			"exit $rc: $(cat "$WORK/pty.err")"
	fi
}

U_DATA='v2-\xc3\xa9\xe2\x82\xac\xe6\x97\xa5'
U_DESC='Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5'

# ---- French, UTF-8
L=fr_FR.UTF-8
if need_locale $L 7; then
	screens $L
	expect "$L" "$WORK/screen-$L" screen=utf-8 \
		'^Gestion des D\xc3\xa9ploiements' '^Taux de r\xc3\xa9ussite' \
		'@v1.2.0=>06/02/2026 14:00' "^$U_DATA" "~$U_DESC" \
		'@v1.2.0=>Pr\xc3\xa9vu'
fi

# ---- French, Latin-9: the same words in ISO-8859-15, nothing in UTF-8
L=fr_FR.ISO-8859-15
if need_locale $L 11; then
	screens $L
	expect "$L" "$WORK/screen-$L" screen=iso-8859-15 \
		'^Gestion des D\xe9ploiements' '^Taux de r\xe9ussite' \
		'@v1.2.0=>06/02/2026 14:00' '@v1.2.0=>Pr\xe9vu' \
		'^v2-\xe9\xa4?' '~Desc \xe9\xa4?' \
		'-\xc3\xa9' '-\xe2\x82\xac' '-\xe6\x97\xa5' '-D\xc3\xa9ploiements'
fi

# ---- typed in the screens under Latin-9: the filter, then a new deployment
if need_locale $L 3; then
	# "/" then "v2-" e9 a4 (é€ in Latin-9): only the deployment whose
	# version is v2-é€ (the search is by words: "v2", then a word that
	# begins with é, accents ignored; € is no letter, so not a word)
	py "$HERE/ptyrun.py" --locale $L --quiet-ms 120 --keys '/ text:v2-\xe9\xa4 Enter' \
		--out "$WORK/filter-$L" -- "$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	expect "$L, filter by a typed v2- e9 a4" "$WORK/filter-$L" \
		screen=iso-8859-15 '^v2-\xe9\xa4?' '@v2-=>01/12/2026 09:00'
	if py "$DDTOOL" expect "$WORK/filter-$L" screen=iso-8859-15 '^v1.2.0' | grep -q '^ok'; then
		fail "$L, filter by a typed v2- e9 a4: v1.2.0 (no euro sign) is filtered out" \
			"$(py "$HERE/vtscreen.py" "$WORK/filter-$L" iso-8859-15 | sed -n '7,14p')"
	else
		pass "$L, filter by a typed v2- e9 a4: v1.2.0 (no euro sign) is filtered out"
	fi
fi
if need_locale $L 4; then
	# n: version "v3-" e9, description "Caf" e9 " " a4, date typed in French
	py "$HERE/ptyrun.py" --locale $L --quiet-ms 120 \
		--keys 'n text:v3-\xe9 Tab Tab text:Caf\xe9\x20\xa4 Tab Tab text:01/04/2026\x2009:00 Tab Tab Tab Tab Enter' \
		--out "$WORK/create-$L" -- "$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	if id=$(py "$DDTOOL" byversion "$DD" "$DB" 'v3-\xc3\xa9'); then
		pass "$L: a version typed in the new-deployment dialog (v3- e9) is stored as UTF-8"
		check "$L: the typed description (Caf e9 ' ' a4) is stored as UTF-8 'Café €'" \
			py "$DDTOOL" field "$DD" "$DB" "$id" description 'Caf\xc3\xa9 \xe2\x82\xac'
		check "$L: the date typed as 01/04/2026 09:00 is the 1st of April" \
			py "$DDTOOL" field "$DD" "$DB" "$id" planned_at '2026-04-01T09:00:00Z'
	else
		fail "$L: a version typed in the new-deployment dialog (v3- e9) is stored as UTF-8" "$id" \
			"$(py "$HERE/vtscreen.py" "$WORK/create-$L" iso-8859-15 | tail -3)"
		fail "$L: the typed description is stored as UTF-8" "not created"
		fail "$L: the date typed as 01/04/2026 09:00 is the 1st of April" "not created"
	fi
	expect "$L: the new deployment in the history" "$WORK/create-$L" \
		screen=iso-8859-15 '@v3-\xe9=>01/04/2026 09:00'
fi

# ---- the delivery figures (M) under Latin-9: no block characters in the
# codeset, so the bars are '#' (succeeded) and 'x' (failed), the words in
# French in ISO-8859-15
L=fr_FR.ISO-8859-15
if need_locale $L 5; then
	now=$(date '+%Y-%m-%d %H:%M')
	monday=$(date -d "$(( $(date +%u) - 1 )) days ago" +%d/%m/%Y)
	for outcome in succeed fail; do
		id=$(new_deploy "$DB" "v5-$outcome" d "$now")
		"$DD" --db "$DB" --as jdupont deploy start "$id" >/dev/null 2>&1
		"$DD" --db "$DB" --as jdupont deploy "$outcome" "$id" --logs l >/dev/null 2>&1
	done
	py "$HERE/ptyrun.py" --locale $L --keys 'M' --out "$WORK/figures-$L" -- \
		"$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	# The session's bytes, escape sequences removed (its last screen is
	# the history, after q).
	expect "$L, M" "$WORK/figures-$L" \
		'~Chiffres - Refonte ERP - tous les environnements' "~$monday" '~#x 1/1' \
		'-\xe2\x96\x88' '-\xe2\x96\x92'
fi

# ---- English, UTF-8
L=en_US.UTF-8
if need_locale $L 6; then
	screens $L
	expect "$L" "$WORK/screen-$L" screen=utf-8 \
		'^Deployment management' '^Success rate' \
		'@v1.2.0=>02/06/2026' "^$U_DATA" "~$U_DESC"
fi

# a date typed in the dialog under en_US is month first
if need_locale $L 1; then
	py "$HERE/ptyrun.py" --locale $L --quiet-ms 120 \
		--keys 'n text:v4-en Tab Tab text:en Tab Tab text:03/04/2026\x2009:00 Tab Tab Tab Tab Enter' \
		--out "$WORK/create-$L" -- "$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	if id=$(py "$DDTOOL" byversion "$DD" "$DB" 'v4-en'); then
		check "$L: the date typed as 03/04/2026 09:00 is the 4th of March" \
			py "$DDTOOL" field "$DD" "$DB" "$id" planned_at '2026-03-04T09:00:00Z'
	else
		fail "$L: the date typed as 03/04/2026 09:00 is the 4th of March" "$id"
	fi
fi

# ---- C: English, ASCII only, ISO dates
L=C
screens $L
expect "$L" "$WORK/screen-$L" screen=ascii \
	'^Deployment management' '^Success rate' \
	'@v1.2.0=>2026-02-06 14:00' '^v2-???' '~Desc ???' ascii

done_testing
