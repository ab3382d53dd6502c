#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input in the dialogs: each error is shown in words under its field,
# the dialog stays open, and nothing is written. Esc cancels, after asking
# when something typed would be lost. A dialog opened on a deployment that
# someone else then changes through the command line refuses to overwrite
# it. The focus starts on Cancel where a button writes; both outcomes of an
# execution need logs and are confirmed; Ctrl-O adds a file's logs or
# replaces them, as asked, and a file that cannot be read leaves its prompt
# open with the reason.
# Usage: test-dialogs.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

# The line index of the first line of the dialog matching ERE.
line_of() {
	screen | grep -nE -- "$1" | head -1 | cut -d: -f1 | awk '{ print $1 - 1 }'
}

# error_under LABEL OFFSET ERE DESC: the line OFFSET lines under the
# field's label shows the error ERE (inside the dialog's box).
error_under() {
	local at got
	at=$(line_of "│ $1\\*")
	if [ -z "$at" ]; then
		fail "$4" "no field $1 on the screen" "$(screen)"
		return
	fi
	got=$(line $((at + $2)))
	if [[ $got =~ ^.*│\ \ +$3 ]]; then
		pass "$4"
	else
		fail "$4" "line $((at + $2)), under $1: $got" "$(screen)"
	fi
}

# unchanged DESC: the database is as it was at the last `snapshot`.
snapshot() {
	SNAP=$(db_state)
}
unchanged() {
	local now
	now=$(db_state)
	if [ "$now" == "$SNAP" ]; then
		pass "$1"
	else
		fail "$1" "$(diff <(echo "$SNAP") <(echo "$now") | head -20)"
	fi
}

# press_create: from the Version field (where the dialog opens), Shift-Tab
# wraps to the last button, Create the deployment, which Enter presses.
press_create() {
	keys BTab
	keys Enter
}


# discard TITLE: Esc on a dialog holding typed text asks first; the focus
# is on "Keep editing"; Tab then Enter discards.
discard() {
	keys Escape
	wait_for '┌ Discard the' 5 || return 1
	keys Tab Enter
	wait_gone "┌ $1" 5
}

# open_create: the dialog, fresh.
open_create() {
	keys n
	wait_for '┌ New deployment'
}

snapshot
start_app --as mmartin
must "the screens open as mmartin" wait_main

# ---------------------------------------------------------------- empty version

must "n opens the new deployment dialog" open_create
press_create
check "empty version: an error appears" wait_for 'version: required, but empty'
error_under Version 1 'version: required, but empty' "empty version: the error is right under Version"
check "the dialog stays open" wait_for '┌ New deployment' 1
is "$(pane '#{cursor_y}')" "$(line_of '│ Version\*')" "the cursor is back in the Version field"
unchanged "empty version: nothing written"

# ---------------------------------------------------------------- 51 characters

long=$(printf 'v%050d' 1) # 51 characters
is "${#long}" 51 "(a version of 51 characters)"
type_text "$long"
keys Enter # to Environment
keys Tab   # to Description
type_text "Description"
keys Tab Tab Tab Tab Tab Tab # Responsible, Planned date, Risk, Back-out plan, Cancel, Create
keys Enter
check "51-character version: an error naming the 50 limit" \
	wait_for 'version: 51 characters, at most 50 allowed'
error_under Version 1 'version: 51 characters, at most 50 allowed' \
	"51-character version: the error is right under Version"
unchanged "51-character version: nothing written"

# Exactly 50 is accepted (checked at the end, with the other writes).

# ---------------------------------------------------------------- bad dates

keys Escape
check "Esc on typed text asks before discarding it" wait_for '┌ Discard the new deployment\?' 5
check "... its focus on Keep editing" focused "Keep editing"
keys Enter
check "Enter keeps editing" wait_gone '┌ Discard the new deployment' 5
check "... the version typed is still there" eval "screen | grep -q '${long: -30}'"
must "Esc, then Discard" discard 'New deployment'
check "... back on the history" wait_main 2
unchanged "Esc: nothing written"
must "n opens the dialog again" open_create
check "... empty again (the version typed before is gone)" \
	eval "! screen | grep -q '$long'"
type_text v5.0.0
keys Enter Tab
type_text "Description"
keys Tab Tab # Responsible, Planned date
type_text "2026-02-30 10:00"
wait_for 'Planned date\* +2026-02-30 10:00' 5
keys Tab Tab Tab Tab # Risk, Back-out plan, Cancel, Create
keys Enter
check "2026-02-30 10:00: an error" wait_for "planned date: .*2026-02-30 10:00"
error_under "Planned date" 1 "planned date: '2026-02-30 10:00'" \
	"2026-02-30 10:00: the error is right under the date"
unchanged "2026-02-30: nothing written"

# The focus went back to the date field: clear it and type a word.
is "$(pane '#{cursor_y}')" "$(line_of '│ Planned date\*')" "the cursor is back in the date field"
keys C-u
type_text tomorrow
wait_for 'Planned date\* +tomorrow' 5
keys Tab Tab Tab Tab
keys Enter
check "'tomorrow': an error" wait_for "planned date: 'tomorrow': expected"
error_under "Planned date" 1 "planned date: 'tomorrow': expected" \
	"'tomorrow': the error is right under the date"
check "... with an example of the format" wait_for "such as +│?$" 1
check "... the example itself, wrapped under it" wait_for "│ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +│" 1
unchanged "'tomorrow': nothing written"

# An empty date (its example is shown dim while it is empty).
keys C-u
keys Tab Tab Tab Tab
keys Enter
check "empty date: an error" wait_for "planned date: required, but empty"
error_under "Planned date" 1 "planned date: required, but empty" \
	"empty date: the error is right under the date"
unchanged "empty date: nothing written"

check "Esc, then Discard, closes the dialog" discard 'New deployment'

# ---------------------------------------------------------------- empty description

must "n opens the dialog again" open_create
type_text v5.0.0
keys Enter Tab Tab Tab # Environment, Description, Responsible, Planned date
type_text "2026-03-01 10:00"
wait_for 'Planned date\* +2026-03-01 10:00' 5
keys Tab Tab Tab Tab
keys Enter
check "empty description: an error" wait_for 'description: required, but empty'
error_under Description 4 'description: required, but empty' \
	"empty description: the error is under the description's three lines"
unchanged "empty description: nothing written"

# Only blanks are not a description either (the focus is back on it).
type_text "   "
keys Tab Tab Tab Tab Tab Tab
keys Enter
check "a description of blanks: an error" wait_for 'description: required, but empty'
unchanged "a description of blanks: nothing written"

check "Esc, then Discard, cancels" discard 'New deployment'
unchanged "Esc cancels: nothing written"
is "$(deploy_count)" 4 "still the demo's 4 deployments"

# ---------------------------------------- a full form, cancelled with Esc

must "n opens the dialog again" open_create
type_text v6.0.0
keys Enter Tab
type_text "Complete"
keys Tab Tab
type_text "2026-03-01 10:00"
wait_for 'Planned date\* +2026-03-01 10:00' 5
check "Esc, then Discard, cancels a complete form" discard 'New deployment'
keys Home
check "... and v6.0.0 is not in the history" eval "! screen | grep -q '^v6\\.0\\.0'"
unchanged "Esc on a complete form: nothing written"

# Cancel button, the same.
must "n opens the dialog again" open_create
type_text v6.0.0
keys Tab Tab
type_text "Complete"
keys Tab Tab
type_text "2026-03-01 10:00"
wait_for 'Planned date\* +2026-03-01 10:00' 5
keys Tab Tab Tab # Risk, Back-out plan, Cancel
keys Enter
check "the Cancel button asks before discarding too" wait_for '┌ Discard the new deployment\?' 5
keys Tab Enter
check "... Discard closes the dialog" wait_gone '┌ New deployment'
unchanged "Cancel: nothing written"

# ---------------------------------------------------------------- 50 characters

# The responsible person is chosen among those who act in the project:
# Claire Petit, a viewer, is not offered.
must "n opens the dialog" open_create
keys Enter Tab Tab
must "the responsible field is focused" wait_line $((APP_H - 1)) 'Left/Right choose'
offered=""
for i in 1 2 3 4; do
	offered+="$(screen | grep -E '│ Respons' | sed -E 's/.*│ Responsible\*? +//; s/ +│.*//') ; "
	mark_screen
	keys Right
	wait_change 5 || break
done
like "$offered" "Jean Dupont" "the responsible choices: Jean Dupont (senior developer)"
like "$offered" "Marie Martin" "... Marie Martin (project manager)"
like "$offered" "Lucas Bernard" "... Lucas Bernard (developer)"
check "... not Claire Petit, a viewer" eval '[[ $offered != *"Claire Petit"* ]]'
keys Escape
wait_for '┌ Discard the|^Deployment history' 5 && screen | grep -q '┌ Discard the' && keys Tab Enter
must "the dialog closed" wait_gone '┌ New deployment' 5

# Another deployment planned on the same environment that day: the footer
# says so when the new one is created (a warning, not a refusal).
dkas mmartin deploy create ERP --version v-first --env PROD --description "First" \
	--responsible jdupont --date "2026-03-05 10:00" >/dev/null 2>&1
must "n opens the dialog" open_create
type_text "v-same"
keys Enter
must "Production chosen" choose '│ Environment' 'Production'
keys Tab
type_text "Same day"
keys Tab Tab
type_text "2026-03-05 15:00"
must "the date typed" wait_for 'Planned date\* +2026-03-05 15:00' 5
keys Enter
must "Create focused" wait_for_focus "Create the deployment"
keys Enter
check "created the same day as another on Production: planned, and the footer says so" \
	wait_for 'Deployment v-same planned; v-first is also planned on Production that day' 5
check "... naming the day (the message wraps)" wait_for '^\(2026-03-05\) *$' 1
check "... and it is in the history" wait_for '^v-same +PROD +Planned' 1
v50=$(printf 'v%049d' 2)
must "n opens the dialog again" open_create
type_text "$v50"
keys Enter Tab
type_text "Fifty"
check "in the description, Enter makes a new line and Ctrl-E offers the editor" \
	wait_line $((APP_H - 1)) 'Enter new line .*Ctrl-E editor'
keys Tab Tab
type_text "2026-03-01 10:00"
wait_for 'Planned date\* +2026-03-01 10:00' 5
check "in the date, Enter goes on" wait_line $((APP_H - 1)) 'Enter next'
keys Enter
check "Enter in the last field focuses Create the deployment (not Cancel)" \
	wait_for_focus "Create the deployment"
check "... without pressing it" wait_for '┌ New deployment' 1
keys Enter
check "a version of exactly 50 characters is accepted" wait_gone '┌ New deployment'
is "$(dk --format json deploy list ERP | jq_py "len([x for x in d if x['version'] == '$v50'])")" 1 \
	"... and stored"
keys q
check "q quits" wait_dead

# ---------------------------------------- the authorize dialog, overtaken

V120=$(deploy_id v1.2.0)
start_app --as mmartin
must "the screens open as mmartin" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys a
must "a opens the authorize dialog" wait_for '┌ Authorize the deployment'
check "... saying when it is planned, which 'the schedule is respected' is about" \
	wait_for '│ Planned for: +2026-02-06 14:00 ' 1
dkas mmartin deploy authorize "$V120" >/dev/null # someone else, meanwhile
snapshot
check "the authorize dialog opens with the focus on Cancel" focused Cancel
keys Tab Enter # Authorize
check "Authorize after someone else did: the dialog says so" \
	wait_for 'v1\.2\.0 (is already authorized|changed meanwhile)'
check "... and stays open" wait_for '┌ Authorize the deployment' 1
unchanged "... nothing more written"
keys Escape
check "Esc closes it" wait_gone '┌ Authorize the deployment'
keys q
check "q quits" wait_dead

# ---------------------------------------- the execute dialog, overtaken

start_app --as jdupont
must "the screens open as jdupont" wait_main
must "v1.2.0 selected" select_version v1.2.0
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
type_text "typed on screen"
wait_for 'typed on screen' 5
# Meanwhile, someone executes it through the command line.
dkas jdupont deploy succeed "$V120" --logs "from the command line" >/dev/null
snapshot
keys Tab Tab # Cancel, Mark as succeeded
keys Enter
must "Mark as succeeded asks for a confirmation" wait_for '┌ Confirm the success' 5
keys Tab Enter
check "Mark as succeeded after someone else executed it: the dialog says so" \
	wait_for 'v1\.2\.0 (was already executed|changed meanwhile)'
check "... and stays open" wait_for '┌ Execute the deployment' 1
unchanged "... nothing more written"
is "$(deploy_field v1.2.0 logs)" "from the command line" "the logs are the command line's"

keys Tab # Mark as failed
keys Enter
if wait_for '┌ Confirm the failure' 5; then
	keys Tab Enter
	check "Mark as failed, confirmed, on it: refused too" \
		wait_for 'v1\.2\.0 (was already executed|changed meanwhile)'
else
	fail "Mark as failed asks for a confirmation"
fi
if screen | grep -q '┌ Incident created'; then
	fail "no incident box" "$(screen)"
else
	pass "no incident box"
fi
unchanged "... nothing more written (no incident)"
is "$(deploy_field v1.2.0 status)" TERMINEE "v1.2.0 is still TERMINEE"
check "Esc, then Discard, closes the dialog" discard 'Execute the deployment'

# ---------------------------------- the failure confirmation, cancelled

dkas mmartin deploy create ERP --version v7.0.0 --env TEST --description d \
	--responsible jdupont --date "2026-03-02 10:00" >/dev/null
dkas mmartin deploy authorize "$(deploy_id v7.0.0)" >/dev/null
check "v7.0.0 (created and authorized meanwhile) shows" wait_for '^v7\.0\.0 +TEST +Planned +Yes' 3
snapshot
must "v7.0.0 selected" select_version v7.0.0
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
type_text "rollback needed"
keys Tab Tab Tab # Cancel, Mark as succeeded, Mark as failed
keys Enter
must "the confirmation" wait_for '┌ Confirm the failure'
check "the question is whole: version, environment, outcome" \
	wait_for 'Record deployment v7\.0\.0 on Test as FAILED\?' 1
keys Enter # the focus starts on Cancel
check "Cancel closes the confirmation" wait_gone '┌ Confirm the failure'
check "... back in the execute dialog, the logs kept" wait_for '│ rollback needed' 1
check "Esc, then Discard, closes the execute dialog" discard 'Execute the deployment'
unchanged "a cancelled failure: nothing written"
is "$(deploy_field v7.0.0 status)" A_FAIRE "v7.0.0 is still A_FAIRE"
# ------------------------------------------------------------ pasted logs

# A paste holding a Tab and newlines lands whole in the logs (the terminal
# brackets it): it presses no button. The same paste on the history runs
# no command ("s" then Enter would start a deployment).
printf 'Deploying to host\tweb01\nstatus: ok\nsa\n' >"$WORK/paste.txt"
T load-buffer -b logs "$WORK/paste.txt"
snapshot
keys x
must "x opens the execute dialog again" wait_for '┌ Execute the deployment'
T paste-buffer -p -b logs -t app
check "the pasted logs are in the logs box, the Tab to column 24 as in the details" \
	wait_for 'Deploying to host       web01' 3
check "... all three lines" wait_for '│ sa +│' 1
check "... and the dialog is still open" wait_for '┌ Execute the deployment' 1
check "Esc, then Discard, closes it" discard 'Execute the deployment'
T paste-buffer -p -b logs -t app
check "a paste on the history opens nothing" \
	eval '! wait_for "┌ (Start the deployment|Execute the deployment)" 1'
unchanged "pasting wrote nothing"
is "$(deploy_field v7.0.0 status)" A_FAIRE "v7.0.0 is still A_FAIRE after the pastes"

keys q
check "q quits" wait_dead

# ------------------------------------------ Ctrl-O: only a regular file

# A FIFO with no writer made the screens wait forever; a device is never a
# logs file. "-" is a file named so, not standard input (the terminal).
mkfifo "$WORK/logs.fifo"
start_app -s 150x30 --as jdupont
must "the screens open (150x30)" wait_main
must "v7.0.0 selected" select_version v7.0.0
snapshot
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
keys C-o
must "Ctrl-O asks for a file" wait_for '┌ Load logs from a file'
type_text "$WORK/logs.fifo"
keys Enter
check "a FIFO is refused at once, named, saying what it is" \
	wait_for "FIFO" 3
check "... its prompt stays open, to correct the path" wait_for '┌ Load logs from a file' 1
check "... and nothing went into the logs" eval "! screen | grep -q '│ *$WORK/logs'"
keys Escape
check "Esc closes the prompt" wait_gone '┌ Load logs from a file' 5
check "... the execute dialog is still open" wait_for '┌ Execute the deployment' 1
keys C-o
must "Ctrl-O asks for a file again" wait_for '┌ Load logs from a file'
type_text "/dev/zero"
keys Enter
check "/dev/zero is refused: a character device" \
	wait_for "cannot read /dev/zero: it is a character device, not a regular" 3
keys Escape
wait_gone '┌ Load logs from a file' 5
keys C-o
must "Ctrl-O asks for a file once more" wait_for '┌ Load logs from a file'
type_text "-"
keys Enter
check "\"-\" is the file named so (none here), not the terminal" \
	wait_for "cannot read \./-: No such file or directory" 3
keys Escape
wait_gone '┌ Load logs from a file' 5
keys C-o
must "Ctrl-O asks for a file again" wait_for '┌ Load logs from a file'
keys Enter
check "no path: refused as any required field is, \"file: required, but empty\"" \
	wait_for "file: required, but empty +│" 3
check "... its prompt stays open" wait_for '┌ Load logs from a file' 1
keys Escape
wait_gone '┌ Load logs from a file' 5

# Logs typed, then a file: Ctrl-O asks to add it after them or replace them.
printf 'from the file\n' >"$WORK/more.log"
type_text "typed first"
keys C-o
must "Ctrl-O over typed logs asks: add or replace" wait_for 'Add the file after the logs here' 5
keys Enter # add
must "... then the file's path" wait_for '┌ Load logs from a file' 5
type_text "$WORK/more.log"
keys Enter
check "the file is added after the typed logs" wait_for '│ from the file' 5
check "... the footer names its size and encoding" wait_for 'Loaded 14 bytes of logs \(UTF-8\)$' 1
check "... which are still there" wait_for '│ typed first' 1
keys C-o
must "Ctrl-O again asks" wait_for 'Replace the logs here with the file' 5
keys Down Enter # replace
wait_for '┌ Load logs from a file' 5
type_text "$WORK/more.log"
keys Enter
check "replace: the typed logs are gone" eval "wait_gone '│ typed first' 5"
check "... the file's logs are there" wait_for '│ from the file' 1

# Empty logs are refused for a success as for a failure.
check "Esc, then Discard, closes the execute dialog" discard 'Execute the deployment'
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
check "the logs field says they are required" wait_for 'Deployment logs \(required, for a success as for a failure\)' 2
keys Tab Tab Enter
check "with no logs, Mark as succeeded is refused, naming the field" \
	wait_for 'logs: required for a success as for a failure, but empty' 3
check "... before any confirmation is asked" eval "! screen | grep -q 'Confirm the success'"
label_at=$(line_of '│ Deployment logs \(required')
error_at=$(line_of '│ +logs: required for a success')
check "... the error is in the dialog, under the logs" \
	eval "[ -n '$label_at' ] && [ -n '$error_at' ] && [ '$error_at' -gt '$label_at' ]"
keys Tab Tab Tab Enter
wait_for 'logs: required for a success as for a failure, but empty' 3
check "Mark as failed too, without asking" eval "! screen | grep -q 'Confirm the failure'"
type_text "Migration KO"
check "the focus went back to the logs: what is typed next lands there" \
	wait_for '│ Migration KO' 3
check "... and the error goes once the logs are corrected" \
	wait_gone 'logs: required for a success' 3
keys Tab Tab Tab Enter
check "with logs, Mark as failed asks for a confirmation" wait_for '┌ Confirm the failure' 5
keys Escape
wait_gone '┌ Confirm the failure' 5
check "Esc, then Discard, closes the execute dialog" discard 'Execute the deployment'
unchanged "refused files: nothing written"
keys q
check "q quits" wait_dead

# ------------------------------- a long question wraps, never cut (80x24)

vlong=v2.0.0-release-candidate-with-a-very-long-suffix
dkas mmartin deploy create ERP --version "$vlong" --env PREPROD --description d \
	--responsible jdupont --date "2026-12-01 10:00" >/dev/null
dkas mmartin deploy authorize "$(deploy_id "$vlong")" >/dev/null
start_app -s 80x24 --as jdupont
must "the screens open as jdupont at 80x24" wait_main
keys Home
must "the long version is selected (the newest)" wait_for_selected_top
keys x
must "x opens the execute dialog" wait_for '┌ Execute the deployment'
type_text "it went wrong"
keys Tab Tab Tab Enter
must "the failure's confirmation" wait_for '┌ Confirm the failure'
check "the version is whole in the question" wait_for "│ +Record deployment $vlong" 1
check "... the environment and the outcome too, wrapped in the box" \
	wait_for '│ +(on )?Pre-production as FAILED\? +│' 1
keys Enter # Cancel
wait_gone '┌ Confirm the failure' 5
check "Esc, then Discard" discard 'Execute the deployment'
keys q
check "q quits" wait_dead

# ---------------------------------------------- a form below 80x24 waits

start_app --as mmartin
must "the screens open as mmartin" wait_main
keys n
must "n opens the dialog" wait_for '┌ New deployment'
type_text "v8.0.0"
# What was typed is in the form before the terminal shrinks (keys that
# come while it is too small are not the form's).
must "v8.0.0 typed" wait_for 'Version\* +v8\.0\.0' 5
T resize-window -t app -x 70 -y 20
check "below 80x24: the form waits" wait_for 'Enlarge it: the form waits\.' 5
keys q
sleep 0.3
check "... q does not quit" eval '[ "$(pane "#{pane_dead}")" = 0 ]'
T resize-window -t app -x 80 -y 24
check "back to 80x24: the form is there, as it was" wait_for 'Version\* +v8\.0\.0' 5
check "Esc, then Discard" discard 'New deployment'
keys q
check "q quits" wait_dead

# ------------------------------- a refusal of the whole form is shown

dk --as mmartin version block ERP v9.9.9 --reason "Corrompt les factures" >/dev/null 2>&1
start_app --as mmartin
must "the screens open as mmartin" wait_main
must "n opens the dialog" open_create
type_text "v9.9.9"
keys Enter # to Environment
keys Tab   # to Description
type_text "Description"
keys Tab Tab Tab Tab Tab Tab # to Create
keys Enter
check "a blocked version: the refusal is shown in the form, with who and why" \
	wait_for 'version v9\.9\.9 of project ERP is blocked \(by mmartin' 5
check "... the dialog stays open" wait_for '┌ New deployment' 1
check "Esc, then Discard" discard 'New deployment'
keys q
check "q quits" wait_dead

done_testing
