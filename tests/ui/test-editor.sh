#!/bin/bash
# SPDX-License-Identifier: MIT
# Long text in the person's own programs, and the logs editor itself.
# Ctrl-E in the description and logs fields runs $VISUAL or $EDITOR (a stub
# here, which records how it was run and changes the file as told) on a
# file of the person's own, and what comes back is in the field, or, when
# it is not text within the field's limits or the editor fails, the field
# stays as it was and the footer says why. 'v' in the details shows the
# logs in $PAGER (a stub that keeps a copy), made safe as the details show
# them. The logs field wraps long lines (the text unchanged) with the
# cursor always in view, and shows tabs as the details do.
# Usage: test-editor.sh PATH-TO-deploydesk

# The catalogues built beside the binary, for the French checks.
LOCALES=$(cd "$(dirname "${1:-.}")" 2>/dev/null && pwd)/po

. "$(dirname "$0")/lib.sh" "$@"

# close_dialog: Esc, and Discard when the dialog asks before throwing away
# what it holds.
close_dialog() {
	keys Escape
	if wait_for '┌ (Discard|Abandonner)' 2 2>/dev/null; then
		keys Tab Enter
	fi
}

skip() {
	T_N=$((T_N + 1))
	printf 'ok %d # SKIP %s\n' "$T_N" "$1"
}

mkdir "$WORK/tmp"
MODE=$WORK/editor.mode
RECORD=$WORK/editor.record

# The stub editor: records its arguments, ids, file modes, descriptors and
# environment, then does what $MODE says to the file ($1, or the last
# argument when the command holds its own).
cat >"$WORK/editor.sh" <<EOF
#!/bin/sh
for f; do :; done
{
	echo "args=\$#:\$*"
	echo "ids=\$(id -u):\$(id -g)"
	grep '^Gid:' /proc/self/status
	echo "file=\$(stat -c '%a %u' "\$f") dir=\$(stat -c '%a %u' "\$(dirname "\$f")")"
	for fd in /proc/\$\$/fd/*; do echo "fd \${fd##*/} \$(readlink "\$fd")"; done
	echo "env-begin"
	env
} >"$RECORD" 2>&1
cp "\$f" "$WORK/editor.seen"
case \$(cat "$MODE") in
append) printf '\nadded by the editor\n' >>"\$f" ;;
replace) printf 'replaced\nby the editor\n' >"\$f" ;;
rename) printf 'renamed into place\n' >"\$f.new" && mv "\$f.new" "\$f" && printf 'old\n' >"\$f~" ;;
same) : ;;
fail) exit 3 ;;
nul) printf 'a\000b\n' >"\$f" ;;
latin1) printf 'caf\351\n' >"\$f" ;;
long) head -c 10001 /dev/zero | tr '\000' x >"\$f" ;;
esac
exit 0
EOF
# The stub pager keeps a copy of what it was given, and its name.
cat >"$WORK/pager.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$1" >"$WORK/pager.path"
cp "\$1" "$WORK/pager.seen"
EOF
chmod 755 "$WORK/editor.sh" "$WORK/pager.sh"

W=120
H=30
# The execute dialog at 120 columns: 100 wide, its fields from column 12,
# 96 columns wide.
FX=12
FW=96

# editor_env: the stubs as $EDITOR and $PAGER, their files in $WORK/tmp.
editor_env=(-e "EDITOR=$WORK/editor.sh" -e "PAGER=$WORK/pager.sh" -e "TMPDIR=$WORK/tmp")

mode() {
	printf '%s\n' "$1" >"$MODE"
	rm -f "$RECORD" "$WORK/editor.seen"
}

# box_row N: the text of the dialog's row N (0-based screen line), inside
# the box, blanks at the end removed.
box_row() {
	local l
	l=$(line "$1")
	l=${l:FX:FW}
	printf '%s\n' "${l%"${l##*[! ]}"}"
}

# row_of ERE: the screen line (0-based) of the first line matching ERE.
row_of() {
	screen | grep -nE -- "$1" | head -1 | cut -d: -f1 | awk '{ print $1 - 1 }'
}

# tmp_empty: nothing is left in the program's temporary directory.
tmp_empty() {
	[ -z "$(ls -A "$WORK/tmp")" ]
}

# ------------------------------------------------ Ctrl-E: the description

start_app -s ${W}x$H "${editor_env[@]}" --as mmartin
must "the screens open as mmartin" wait_main
keys n
must "n opens the new deployment dialog" wait_for '┌ New deployment'
type_text v8.0.0
keys Enter Tab # Environment, Description
check "the focused description says Ctrl-E writes it in the editor" \
	wait_for 'Description\* +Ctrl-E: write it in your editor' 3
type_text "typed line"
wait_for 'typed line' 3
mode append
keys C-e
check "Ctrl-E: the editor's text is in the field (message)" \
	wait_for 'The text written in the editor is in the field *$' 5
check "... the typed line" wait_for '│ typed line +│' 1
check "... and the editor's added line" wait_for '│ added by the editor +│' 1
check "... the dialog is back" wait_for '┌ New deployment' 1
is "$(cat "$WORK/editor.seen")" "typed line" "the editor got the field's text"
like "$(grep '^args=' "$RECORD")" "^args=1:$WORK/tmp/deploydesk-[A-Za-z0-9]{6}/description\\.txt$" \
	"... as its one argument, a file named description.txt in a directory of its own under \$TMPDIR"
is "$(grep '^file=' "$RECORD")" "file=600 $(id -u) dir=700 $(id -u)" \
	"... the file 0600 and its directory 0700, the person's"
is "$(grep '^ids=' "$RECORD")" "ids=$(id -u):$(id -g)" "... the editor ran as the person"
is "$(grep -E '^fd [0-9]+ .*\.db' "$RECORD")" "" "... and holds no descriptor of the database"
check "the file and its directory are removed afterwards" tmp_empty
type_text " and more" # typing goes on at the end of the text
keys Tab Tab          # Responsible, Planned date
type_text "2026-03-01 10:00"
wait_for 'Planned date\* +2026-03-01 10:00' 5
keys Tab Tab Tab Tab Enter # Risk, Back-out plan, Cancel, Create
check "the deployment is created" wait_gone '┌ New deployment'
is "$(deploy_field v8.0.0 description)" $'typed line\nadded by the editor and more' \
	"... its description is the editor's text, with what was typed after"

# ------------------------------------------------ what is not taken

keys n
must "n opens the dialog again" wait_for '┌ New deployment'
keys Tab Tab # Environment, Description
type_text "kept"
wait_for '│ kept +│' 3

# refused MODE ERE DESC: Ctrl-E with the stub in MODE says ERE in the
# footer, and the field still holds "kept" alone.
refused() {
	mode "$1"
	keys C-e
	if wait_for "$2" 5; then
		pass "$3: the footer says why"
	else
		fail "$3: the footer says why"
	fi
	if [ -n "$(screen | grep -E '│ kept +│')" ] &&
		[ -z "$(screen | grep -E '│ (a|b|caf|x+|replaced)')" ]; then
		pass "$3: the field is as it was"
	else
		fail "$3: the field is as it was" "$(screen)"
	fi
	check "$3: nothing left in the temporary directory" tmp_empty
}
refused fail "The field is unchanged: the editor '$WORK/editor\\.sh' ended with exit status 3 *$" \
	"an editor that fails (exit status 3)"
refused nul "The field is unchanged: the editor's text holds a NUL byte \\(binary data\\?\\) *$" \
	"a NUL byte"
refused latin1 "The field is unchanged: the editor's text is not valid UTF-8 \\(byte 4\\) *$" \
	"Latin-1 bytes"
refused long "The field is unchanged: the editor's text has 10001 characters, at most 10000 allowed *$" \
	"10001 characters in the description"
mode same
keys C-e
check "an editor that changes nothing: said so" \
	wait_for 'The editor left the text as it was *$' 5
mode rename
keys C-e
check "an editor that saves by renaming a new file into place: its text is taken" \
	wait_for '│ renamed into place +│' 5
check "... its backup file and the directory are removed too" tmp_empty
close_dialog
check "Esc (and Discard) closes the dialog" wait_gone '┌ New deployment'
keys q
check "q quits" wait_dead

# ------------------------------------------------ how the editor is chosen

# The command as git runs it: through the shell, the file as "$1".
start_app -s ${W}x$H -e "EDITOR=$WORK/editor.sh --flag" -e "TMPDIR=$WORK/tmp" --as mmartin
must "the screens open with EDITOR holding an argument" wait_main
keys n
wait_for '┌ New deployment'
keys Tab Tab
mode same
keys C-e
wait_for 'The editor left the text as it was *$' 5
like "$(grep '^args=' "$RECORD")" "^args=2:--flag $WORK/tmp/" "EDITOR with an argument: the shell passes it, then the file"
close_dialog
keys q
wait_dead

start_app -s ${W}x$H -e "VISUAL=$WORK/editor.sh" -e "EDITOR=$WORK/no-such-editor" -e "TMPDIR=$WORK/tmp" --as mmartin
must "the screens open with VISUAL and EDITOR" wait_main
keys n
wait_for '┌ New deployment'
keys Tab Tab
mode same
keys C-e
check "VISUAL comes before EDITOR" wait_for 'The editor left the text as it was *$' 5
close_dialog
keys q
wait_dead

start_app -s ${W}x$H -e "VISUAL=$(printf 'vi\tx')" -e "EDITOR=$WORK/editor.sh" -e "TMPDIR=$WORK/tmp" --as mmartin
must "the screens open with a VISUAL holding a control character" wait_main
keys n
wait_for '┌ New deployment'
keys Tab Tab
mode same
keys C-e
check "a VISUAL with a control character is not used: EDITOR is" \
	wait_for 'The editor left the text as it was *$' 5
close_dialog
keys q
wait_dead

start_app -s ${W}x$H -e "EDITOR=$WORK/no-such-editor" -e "TMPDIR=$WORK/tmp" --as mmartin
must "the screens open with an EDITOR that does not exist" wait_main
keys n
wait_for '┌ New deployment'
keys Tab Tab
type_text "kept"
keys C-e
check "an editor not found: the footer says so" \
	wait_for "The field is unchanged: the editor '$WORK/no-such-editor' was not found: set VISUAL or EDITOR to an" 5
check "... and what to set" wait_for "^editor that is installed\$" 1
check "... the field is as it was" wait_for '│ kept +│' 1
check "... and the screens are back" wait_for '┌ New deployment' 1
close_dialog
keys q
wait_dead

# ------------------------------------------------ the logs field

V120=$(deploy_id v1.2.0)
dkas mmartin deploy authorize "$V120" >/dev/null
start_app -s ${W}x$H "${editor_env[@]}" --as jdupont
must "the screens open as jdupont" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
check "the focused logs say Ctrl-E writes them in the editor" \
	wait_for 'Deployment logs \(required, for a success as for a failure\)\* +Ctrl-E: write it in your editor' 3
TOP=$(($(row_of 'Deployment logs') + 1))

# Soft wrap: 150 characters in a field 96 wide are two rows, cut between
# characters; the cursor stays at the end, on the second row.
long=$(for i in $(seq 15); do printf '%s' 0123456789; done)
type_text "$long"
check "a 150-character line wraps: its first 96 characters on the first row" \
	wait_for "│ ${long:0:96} │$" 3
check "... the other 54 on the next row" wait_line $((TOP + 1)) "^.{$FX}${long:96} +│$" 3
is "$(pane '#{cursor_flag}')" 1 "... the cursor is shown"
is "$(pane '#{cursor_y}:#{cursor_x}')" "$((TOP + 1)):$((FX + 54))" "... at the end of the text, on the second row"
keys Up
wait_for_cursor() {
	local end=$((SECONDS + 5))
	until [ "$(pane '#{cursor_y}:#{cursor_x}')" == "$1" ]; do
		((SECONDS >= end)) && return 1
		nap
	done
}
check "Up moves to the row above, same column" wait_for_cursor "$TOP:$((FX + 54))"
keys End
check "End goes to the end of the line" wait_for_cursor "$((TOP + 1)):$((FX + 54))"
# A line that fills its row exactly: the cursor at its end is on the row
# below, not past the box's edge.
keys Enter
type_text "${long:0:96}"
check "a line exactly as wide as the field: the cursor at its end starts the next row" \
	wait_for_cursor "$((TOP + 3)):$FX"
# Tabs: to the next multiple of 8 columns, as in the details (after a
# non-ASCII character too).
printf '\nhost\tweb01\n\xc3\xa9\tx' >"$WORK/tabs.txt"
T load-buffer -b tabs "$WORK/tabs.txt"
T paste-buffer -p -b tabs -t app
check "a tab in the logs field reaches column 8" wait_for '│ host    web01 +│' 3
check "... after a non-ASCII character too" wait_for '│ é       x +│' 1
# More rows than the field shows: it scrolls, the cursor stays in view.
for i in $(seq 12); do
	keys Enter
	type_text "more $i"
done
check "past the field's last row: the field scrolls to the cursor" wait_for '│ more 12 +│' 3
cy=$(pane '#{cursor_y}')
is "$(box_row "$cy")" "more 12" "... the cursor is on the last line typed"
is "$(pane '#{cursor_flag}')" 1 "... and shown"
# What the field holds is the text as typed: the rows are only shown.
mode same
keys C-e
wait_for 'The editor left the text as it was *$' 5
is "$(cat "$WORK/editor.seen")" "$long"$'\n'"${long:0:96}"$'\n'"host"$'\t'"web01"$'\n'"é"$'\t'"x$(for i in $(seq 12); do printf '\nmore %d' "$i"; done)" \
	"the text is unchanged by the wrap: one line of 150, one of 96, tabs kept"
# Words: a row is cut after the last blank that fits (as the details cut
# lines), not inside a word.
keys C-u
words=$(printf 'word%02d ' $(seq 20))
type_text "${words% }"
check "words wrap at a blank: word01 to word13 on the first row" \
	wait_for "│ ${words:0:90} +│$" 3
check "... word14 to word20 on the next" wait_line $((TOP + 1)) "^.{$FX}${words:91:48} +│$" 3
# Ctrl-E on the logs: the editor's text replaces them.
mode replace
keys C-e
check "Ctrl-E on the logs: the editor's text is in the field" wait_for '│ replaced +│' 5
check "... both of its lines" wait_for '│ by the editor +│' 1
check "... nothing else" eval "! screen | grep -q 'word01'"
like "$(grep '^args=' "$RECORD")" "/logs\\.txt$" "... the file is named logs.txt"
close_dialog
check "Esc (and Discard) closes the execute dialog" wait_gone '┌ Execute the deployment'
keys q
wait_dead

# ------------------------------------------------ tabs, the details alike

dkas jdupont deploy start "$V120" >/dev/null
dkas jdupont deploy succeed "$V120" --logs "$(printf 'host\tweb01\n\xc3\xa9\tx\nred \033[31malert\r\nend')" >/dev/null
start_app -s ${W}x$H "${editor_env[@]}" --as jdupont
must "the screens open" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys Enter
must "Enter opens the details" wait_for '^Deployment v1\.2\.0'
check "the details show the tab as the logs field does" wait_for '^  host    web01$' 3
check "... after a non-ASCII character too" wait_for '^  é       x$' 1
check "the footer offers v for the logs" wait_for ' v logs ' 1

# ------------------------------------------------ the pager

rm -f "$WORK/pager.seen" "$WORK/pager.path"
keys v
check "v: the pager is given the logs" eval 'wait_pane "#{pane_dead}" 0 1 && for i in $(seq 100); do [ -s "$WORK/pager.seen" ] && break; nap; done; [ -s "$WORK/pager.seen" ]'
is "$(cat "$WORK/pager.seen")" "$(printf 'host\tweb01\n\xc3\xa9\tx\nred ^[[31malert\nend')" \
	"... as the details show them: the escape as a visible ^[, a CR before LF dropped, tabs kept"
is "$(tr -d -c '\033' <"$WORK/pager.seen" | wc -c)" 0 "... no escape character reaches the pager"
like "$(cat "$WORK/pager.path")" "^$WORK/tmp/deploydesk-[A-Za-z0-9]{6}/logs\\.txt$" "... in a file logs.txt of its own"
check "... removed afterwards" tmp_empty
check "the details are back" wait_for '^Deployment v1\.2\.0' 3
check "... redrawn whole" wait_for '^  host    web01$' 1
keys q
wait_for '^Deployment history'
must "v8.0.0 selected" select_version v8.0.0
keys Enter
must "the details of v8.0.0 (planned: no logs yet)" wait_for '^Deployment v8\.0\.0'
check "... its footer does not offer v" eval "! screen | grep -q ' v logs '"
keys v
check "v on logs-less details: says there is nothing to view" wait_for 'No logs yet: nothing to view *$' 3
keys q q
wait_dead

start_app -s ${W}x$H -e "PAGER=$WORK/no-such-pager" -e "TMPDIR=$WORK/tmp" --as jdupont
must "the screens open with a PAGER that does not exist" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys Enter
wait_for '^Deployment v1\.2\.0'
keys v
check "a pager not found: the footer says so" \
	wait_for_i "the pager '$WORK/no-such-pager' was not found: set PAGER to a pager that is installed" 5
check "... nothing left in the temporary directory" tmp_empty
keys q q
wait_dead

# ------------------------------------------------ in French

if [ -f "$LOCALES/fr/LC_MESSAGES/deploydesk.mo" ] && locale -a 2>/dev/null | grep -qiE '^fr_FR\.utf-?8$'; then
	start_app -s ${W}x$H "${editor_env[@]}" -e LANG=fr_FR.UTF-8 -e LC_ALL=fr_FR.UTF-8 \
		-e "DEPLOYDESK_LOCALEDIR=$LOCALES" --as mmartin
	must "French: the screens open" wait_for '^Historique des D'
	keys n
	must "French: n opens the dialog" wait_for '┌ Nouveau'
	keys Tab Tab
	check "French: the Ctrl-E hint" wait_for "Ctrl-E : l'écrire dans votre éditeur" 3
	type_text "gardé"
	mode fail
	keys C-e
	check "French: an editor that fails, said in French" \
		wait_for "Le champ n'a pas changé : l'éditeur « $WORK/editor\\.sh » s'est terminé avec le code de sortie 3 *$" 5
	check "French: the field is as it was" wait_for '│ gardé +│' 1
	close_dialog
keys q
	wait_dead
else
	skip "French (no fr_FR.UTF-8 locale or no catalogue in $LOCALES)"
fi

done_testing
