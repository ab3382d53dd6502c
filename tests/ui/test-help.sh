#!/bin/bash
# SPDX-License-Identifier: MIT
# '?' on the main screen shows the help with every key of the screen, all
# of it visible at 80x24, and any key closes it (that key does nothing
# else). In a dialog, '?' is text.
# Usage: test-help.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

# The help box's lines: "KEY<2+ spaces>WHAT", from inside the box.
help_lines() {
	screen | awk '/┌ Help/ { on = 1; next } /^ +└─/ { on = 0 } on' |
		sed -n 's/^.*│ \(.*[^ ]\) *│.*$/\1/p'
}

open_help() {
	keys '?'
	wait_for '┌ Help' 5
}

before=$(db_state)
start_app --as mmartin
must "the screens open as mmartin" wait_main
check "the keys line mentions ? help" wait_line $((APP_H - 1)) '\? help'

must "? opens the help" open_help
help=$(help_lines)
# Each key of the main screen, with a word of what it does.
while IFS='|' read -r key what; do
	if printf '%s\n' "$help" | grep -Eq -- "^${key} {2,}.*${what}"; then
		pass "the help lists ${key//\\/} (${what})"
	else
		fail "the help lists ${key//\\/} (${what})" "help box:" "$help"
	fi
done <<'EOF'
n|new deployment
a, w|authorize \(approve\) / withdraw an approval
x|execute
s|start
i, I|incident of a failure / project's incidents
b, B|plan a rollback / block, unblock the version
/|search
f|filter
\?, t, E, M|help / to do / environments / figures
q(, Esc)?|back|quit
Enter|details
Up/Down.*|selection
PgUp/PgDn|page; Home/End, g/G: the newest / oldest
e, C, R|change / cancel / refuse a planned deployment
p, P, m, A|projects / policy, freezes / members / trail
EOF
check "the whole help is visible: its box is closed at the bottom" \
	wait_for '^ *└─+┘ *$' 1
is "$(help_lines | grep -c '^[^ ]')" 15 "15 keys in the help, none cut off"
# A long explanation wraps at a word, whole, instead of being cut.
like "$(help_lines | tr '\n' ' ' | tr -s ' ')" "search: version, name, description, responsible, logs" \
	"a long explanation wraps, whole"
check "the keys line says any key closes it" wait_line $((APP_H - 1)) 'any key closes the help'

# Any key closes it, and does nothing else.
for k in z Enter Down n q Escape '?' Space; do
	if [ "$k" != z ]; then
		if ! open_help; then
			fail "? opens the help again"
			continue
		fi
	fi
	sel=$(selected_version)
	keys "$k"
	if wait_gone '┌ Help' 5; then
		pass "'$k' closes the help"
	else
		fail "'$k' closes the help"
		continue
	fi
	# The key was used up by the help (which is gone): what it did is on
	# the screen now, and nothing of it can come later.
	check "'$k': back on the history" wait_main 2
	case $k in
	q | Escape)
		is "$(pane '#{pane_dead}')" 0 "'$k' on the help does not quit"
		;;
	n)
		if screen | grep -q '┌ New deployment'; then
			fail "'n' on the help opens no dialog" "$(screen)"
			keys Escape
			wait_gone '┌ New deployment'
		else
			pass "'n' on the help opens no dialog"
		fi
		;;
	Down)
		is "$(selected_version)" "$sel" "'Down' on the help does not move the selection"
		;;
	esac
done

# In a dialog, '?' is a character of the field.
keys n
must "n opens the new deployment dialog" wait_for '┌ New deployment'
keys '?'
check "'?' in the Version field is typed, not the help" wait_for 'Version\* +\?' 5
if screen | grep -q '┌ Help'; then fail "no help over the dialog"; else pass "no help over the dialog"; fi
keys Escape
check "Esc asks before throwing the '?' away" wait_for '┌ Discard the new deployment' 5
keys Tab Enter
check "... Discard closes the dialog" wait_gone '┌ New deployment'

# The incidents list has its own help.
keys I
must "I opens the incidents list" wait_for '^Incidents - Refonte ERP'
check "... with the demo's incident" wait_for '^v1\.1\.8 +(INCIDENT - |…).*v1\.1\.8 +To do +High +Jean Dupont' 1
must "? opens its help" open_help
check "... which lists q (back)" wait_for '│ q' 1
keys x
check "a key closes it" wait_gone '┌ Help'
keys q
check "q goes back to the history" wait_main
keys q
check "q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0"
is "$(db_state)" "$before" "nothing written"

done_testing
