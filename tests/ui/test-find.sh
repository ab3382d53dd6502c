#!/bin/bash
# SPDX-License-Identifier: MIT
# '/' searches the text of the details (fields, description, logs, history)
# as less does: the prompt in the footer (Esc cancels), the view scrolled to
# the first match from its top row, every match highlighted, the footer
# saying "match 3 of 17" or "not found: TEXT"; n and N go to the next and
# the previous match and round at the ends, saying so. Case is ignored, and
# accents when none is typed. A match cut by the wrap of a long line counts
# and is highlighted on both rows. Esc ends the search before going back.
# The help lists the keys; the French screens say it in French.
# Usage: test-find.sh PATH-TO-deploydesk BUILD-DIR

. "$(dirname "$0")/lib.sh" "$@"

# The logs: a line longer than the screen whose word SPLITWORD is cut by
# the wrap (2 columns of indentation, 75 x, then SPL on the first row's
# last columns), three lines with "Marker" far apart, and, far down,
# "Échec" and "echec".
LOGS=$WORK/logs.txt
{
	echo "start of the logs"
	printf '%s' "$(printf 'x%.0s' $(seq 75))"
	echo "SPLITWORDzzzzzzzzzzzzzzzzzzzz"
	for i in $(seq 3 250); do
		case $i in
		10) echo "Marker one" ;;
		100) echo "MARKER two" ;;
		190) echo "marker three" ;;
		*) echo "step $i ok" ;;
		esac
	done
	echo "Échec de la migration far down"
	echo "echec sans accent"
	echo "end of the logs"
} >"$LOGS"
V9=$(dkas mmartin deploy create ERP --version v9.0.0 --env TEST --description "searched" \
	--responsible jdupont --date "2026-02-10 10:00") &&
	dkas mmartin deploy authorize "$V9" >/dev/null &&
	dkas jdupont deploy succeed "$V9" --logs-file "$LOGS" >/dev/null ||
	{ echo "Bail out! cannot record the deployment with long logs"; exit 1; }

keys_line() {
	line $((APP_H - 1)) | sed 's/ *$//'
}

# reverse_cols N: the columns of line N drawn in reverse video, as ranges
# "first-last" separated by blanks ("" when none).
reverse_cols() {
	screen_e | py -c "$REVERSE_PY"'
n = int(sys.argv[1])
for i, (text, cols) in enumerate(reverse_lines(sys.stdin.read())):
    if i == n:
        out, start, prev = [], None, None
        for c in cols:
            if start is None:
                start = prev = c
            elif c == prev + 1:
                prev = c
            else:
                out.append("%d-%d" % (start, prev))
                start = prev = c
        if start is not None:
            out.append("%d-%d" % (start, prev))
        print(" ".join(out))
' "$1"
}

# wait_reverse N RANGES: until line N shows those reverse columns.
wait_reverse() {
	local end=$((SECONDS + ${3:-5}))
	until [ "$(reverse_cols "$1")" == "$2" ]; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for line $1 reversed at '$2' (is '$(reverse_cols "$1")')"
			return 1
		fi
		nap
	done
}

# search TEXT: '/', the text, Enter, once the prompt is there.
search() {
	keys /
	wait_line $((APP_H - 2)) '^/' 5 || return 1
	type_text "$1"
	wait_line $((APP_H - 2)) "^/$2" 5 || return 1
	keys Enter
}

# open_v9 [START_APP OPTION]...: the details of v9.0.0 (the newest row).
open_v9() {
	start_app "$@" --as mmartin --project ERP
	wait_for '^(Deployment history|Historique des Déploiements)' 10 || return 1
	keys Enter
	wait_for '^(Deployment|Déploiement) v9\.0\.0' 5
}

must "the details of the deployment with long logs open" open_v9
like "$(keys_line)" '/ search' "the footer offers / search"
keys n
check "n before any search says how to search" \
	wait_line $((APP_H - 2)) 'No search yet: / searches the text' 5

# The help.
keys '?'
if wait_for '┌ Help' 5; then
	check "the help lists /" wait_for '│ /  +search the text \(case ignored' 1
	check "the help lists n and N" wait_for '│ n, N  +next / previous match' 1
	check "the whole help is visible: its box is closed at the bottom" \
		wait_for '└─+┘' 1
	check "the help says Esc ends a search first" wait_for 'Esc first ends a search' 1
	keys Escape
	wait_gone '┌ Help' 5
else
	fail "? opens the help"
fi

# The prompt, and Esc in it.
keys /
check "/ opens the prompt in the footer" wait_line $((APP_H - 2)) '^/ *$' 5
check "... whose keys say Enter and Esc" wait_line $((APP_H - 1)) 'Enter confirm +Esc cancel' 5
type_text "splitword"
check "... the text typed shows after the /" wait_line $((APP_H - 2)) '^/splitword' 5
keys Escape
check "Esc closes the prompt" wait_line $((APP_H - 1)) '/ search' 5
is "$(screen | grep -c 'Match')" 0 "... without searching"
keys n
check "... and no search is on" wait_line $((APP_H - 2)) 'No search yet' 5

# A word cut by the wrap of a long line.
search splitword
check "a word cut by the wrap is found" wait_line $((APP_H - 2)) '^Match 1 of 1 *$' 5
row=$(screen | grep -n 'xSPL$' | cut -d: -f1)
if [ -n "$row" ]; then
	row=$((row - 1))
	check "... its first part highlighted at the end of the row" wait_reverse "$row" "77-79"
	check "... and its end at the start of the next row" wait_reverse $((row + 1)) "4-9"
	like "$(line $((row + 1)))" '^    ITWORDzz' "... (the next row is the rest of the line)"
else
	fail "the long line is on the screen, cut after SPL" "$(screen)"
fi
like "$(keys_line)" 'n/N next' "with a search on, the footer offers n/N"
like "$(keys_line)" '\? help  q back$' "... and still ? and the way back"

# Far down: the view scrolls; accents and case.
search echec
check "echec (no accent typed) finds Échec far down: the view scrolls to it" \
	wait_line 2 '^  Échec de la migration far down' 5
check "... the footer counts both lines, accented or not" wait_line $((APP_H - 2)) '^Match 1 of 2 *$' 5
check "... the match is highlighted (Échec)" wait_reverse 2 "2-6"
keys n
check "n: the next match, on the next line" wait_line $((APP_H - 2)) '^Match 2 of 2 *$' 5
check "... highlighted there, the first one still too" wait_reverse 3 "2-6"
search 'ÉCHEC'
check "ÉCHEC (an accent typed) finds only the accented word" \
	wait_line $((APP_H - 2)) '^Match 1 of 1 *$' 5

# n and N round the ends, and say so.
search marker
check "from below the last match, the search goes round to the first" \
	wait_line $((APP_H - 2)) '^Match 1 of 3: the search reached the bottom and went on from the top' 5
check "... which is at the top of the view" wait_line 2 '^  Marker one' 5
keys n
check "n: match 2 (other case)" wait_line 2 '^  MARKER two' 5
check "... the footer says 2 of 3" wait_line $((APP_H - 2)) '^Match 2 of 3 *$' 5
keys n
check "n: match 3" wait_line 2 '^  marker three' 5
keys n
check "n at the last match goes round to the first, and says so" \
	wait_line $((APP_H - 2)) '^Match 1 of 3: the search reached the bottom and went on from the top' 5
check "... the view is back on it" wait_line 2 '^  Marker one' 5
keys N
check "N at the first match goes round to the last, and says so" \
	wait_line $((APP_H - 2)) '^Match 3 of 3: the search reached the top and went on from the bottom' 5
check "... the view is on it" wait_line 2 '^  marker three' 5
keys N
check "N: match 2" wait_line $((APP_H - 2)) '^Match 2 of 3 *$' 5
keys Down
wait_line 2 '^  step 101 ok' 5
keys /
wait_line $((APP_H - 2)) '^/ *$' 5
keys Enter
check "Enter alone searches again for the last text, from the top row" \
	wait_line $((APP_H - 2)) '^Match 3 of 3 *$' 5
check "... the view on it" wait_line 2 '^  marker three' 5

# Not found.
search nothing-like-this
check "a text that is not there: not found, with the text" \
	wait_line $((APP_H - 2)) '^Not found: nothing-like-this *$' 5
long=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz
search "$long" "${long:0:30}"
check "a long text not found is cut with …" \
	wait_line $((APP_H - 2)) '^Not found: abcdefghijklmnopqrstuvwxyz0123456789abc… *$' 5

# Esc ends the search, then goes back.
search marker
wait_line $((APP_H - 2)) '^Match' 5
keys Escape
check "Esc ends the search" wait_line $((APP_H - 2)) '^Search ended *$' 5
check "... its highlights go" wait_reverse 2 ""
keys n
check "... n then says there is no search" wait_line $((APP_H - 2)) 'No search yet' 5
keys Escape
check "a second Esc goes back to the history" wait_for '^Deployment history' 5

# The history keeps its own / (the text filter), and its n (new).
keys /
check "the history's / is still its filter" wait_for '┌ Filter the history' 5
keys Escape

if french; then
	must "French: the details open" open_v9 "${FR[@]}"
	like "$(keys_line)" '/ chercher' "French: the footer offers / chercher"
	search echec
	check "French: the footer counts the matches" \
		wait_line $((APP_H - 2)) '^Occurrence 1 sur 2 *$' 5
	like "$(keys_line)" 'n/N suivante' "French: n/N in the footer"
	search zzz-absent
	check "French: not found" wait_line $((APP_H - 2)) '^Introuvable : zzz-absent *$' 5
	search marker
	check "French: going round says so" \
		wait_line $((APP_H - 2)) "^Occurrence 1 sur 3 : la recherche a atteint la fin et reprend au début" 5
	keys N
	check "French: going round backwards says so" \
		wait_line $((APP_H - 2)) "^Occurrence 3 sur 3 : la recherche a atteint le début et reprend à la fin" 5
	keys '?'
	if wait_for '┌ Aide' 5; then
		check "French: the help lists /" wait_for '│ /  +chercher dans le texte' 1
		check "French: the help lists n and N" wait_for '│ n, N  +occurrence suivante / précédente' 1
		check "French: the whole help is visible: its box is closed at the bottom" \
			wait_for '└─+┘' 1
		keys Escape
	else
		fail "French: ? opens the help"
	fi
else
	skip "no fr_FR.UTF-8 locale or no catalogue: French not checked"
fi

done_testing
