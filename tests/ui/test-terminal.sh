#!/bin/bash
# SPDX-License-Identifier: MIT
# The terminal: resizing redraws at the new size; below 80x24 a "too small"
# message, and the screens come back when it is large enough again;
# NO_COLOR gives no colour at all (statuses still in words), colours by
# default; q, Ctrl-C, Ctrl-\, SIGTERM, SIGHUP and SIGQUIT end the program
# with the terminal given back (the alternate screen left, keypad mode off)
# and --demo's throw-away directory removed; so does the terminal going
# away from a program that gets no SIGHUP for it (started by setsid, as su
# -c and runuser do): it ends within seconds, instead of spinning at full
# CPU with the database open.
# Usage: test-terminal.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

# resize W H: the window to W x H (tmux then signals the program).
resize() {
	T resize-window -t app -x "$1" -y "$2"
	APP_W=$1
	APP_H=$2
}

# drawn_at W H: the main screen fills W x H: the title line reaches the
# last column (the person is right-aligned), the statistics box spans the
# width, the keys line is the last line.
drawn_at() {
	local s l0 l1 last n
	s=$(screen)
	n=$(printf '%s\n' "$s" | wc -l)
	{ IFS= read -r l0; IFS= read -r l1; } <<<"$s"
	last=${s##*$'\n'}
	[ "$n" -eq "$2" ] &&
		[ ${#l0} -eq "$1" ] && [[ $l0 == *"(mmartin) - Project manager" ]] &&
		[ ${#l1} -eq "$1" ] && [[ $l1 == "┌ Statistics "*"┐" ]] &&
		[[ $last == " Enter details"* ]]
}

wait_drawn_at() {
	local end=$((SECONDS + 10))
	until drawn_at "$1" "$2"; do
		if ((SECONDS >= end)); then
			show_screen "timed out waiting for the screen drawn at $1x$2"
			return 1
		fi
		nap
	done
}

# exits_clean DESC: the program has ended by itself (not killed by a
# signal) and left the alternate screen and the keypad mode.
exits_clean() {
	if ! wait_dead; then
		fail "$1: the program ends"
		return
	fi
	pass "$1: the program ends"
	is "$(pane '#{pane_dead_signal}')" "" "$1: it exits by itself, not killed by the signal"
	is "$(pane '#{alternate_on}')" 0 "$1: the alternate screen is left"
	is "$(pane '#{keypad_cursor_flag}#{keypad_flag}')" 00 "$1: the keypad modes are reset"
}

# ---------------------------------------------------------------- resize

start_app --as mmartin
must "the screens open at 80x24" wait_main
check "drawn at 80x24" wait_drawn_at 80 24
must "v1.1.9 selected" select_version v1.1.9

resize 120 40
check "resized to 120x40: redrawn with the full width and height" wait_drawn_at 120 40
like "$(screen | grep '^v1\.2\.0 ')" '^v1\.2\.0 +PROD +Planned +No +2026-02-06 14:00 \[Authorize\]' \
	"the history is still there at 120x40"
is "$(selected_version)" v1.1.9 "the selection is kept through the resize"
resize 80 24
check "back to 80x24: redrawn at 80x24" wait_drawn_at 80 24
is "$(selected_version)" v1.1.9 "the selection is kept"

# ---------------------------------------------------------------- too small

resize 70 20
check "70x20: the 'too small' message" wait_for '^Terminal too small: 70x20\.'
check "... saying what it needs" wait_for '^deploydesk needs 80x24\.' 1
check "... and how to leave" wait_for 'Enlarge it, or press q to quit\.' 1
keys n # ignored while too small
resize 100 20
check "100x20 (too few lines): still too small" wait_for '^Terminal too small: 100x20\.'
resize 80 24
check "back to 80x24: the screens return" wait_drawn_at 80 24
check "... with the statistics" wait_stats "4 2 1 1 0 50.0" 2
if screen | grep -q '┌ New deployment'; then
	fail "the n typed while too small did nothing" "$(screen)"
	keys Escape
else
	pass "the n typed while too small did nothing"
fi
is "$(selected_version)" v1.1.9 "the selection is kept"

keys q
exits_clean "q"
is "$(pane '#{pane_dead_status}')" 0 "q: exit status 0"

# q in the "too small" screen quits too.
start_app --as mmartin
must "the screens open" wait_main
resize 70 20
check "70x20: too small" wait_for '^Terminal too small: 70x20\.'
keys q
exits_clean "q while too small"
is "$(pane '#{pane_dead_status}')" 0 "q while too small: exit status 0"

# Started in a terminal already too small.
start_app -s 60x15 --as mmartin
check "started at 60x15: too small" wait_for '^Terminal too small: 60x15\.'
resize 80 24
check "enlarged to 80x24: the screens" wait_drawn_at 80 24
keys q
exits_clean "q after starting too small"

# ---------------------------------------------------------------- colours

start_app --as mmartin
must "the screens open (colours by default)" wait_main
colours=$(colour_sgrs)
like "$colours" '38;5;[0-9]+' "by default, 256-colour sequences are used (38;5;N)"
is "$(reverse_span v1.2.0)" "whole row" "the selected row is one reverse bar across the screen"
is "$(reverse_span v1.1.9)" none "... and the next row has none"
keys q
check "q quits" wait_dead

start_app -e NO_COLOR=1 --as mmartin
must "the screens open with NO_COLOR=1" wait_main
colours=$(colour_sgrs | sort -u | tr '\n' ' ')
is "$colours" "" "NO_COLOR=1: no colour in any SGR sequence (no 3x, 4x, 9x, 38;5, 48;5)"
like "$(screen | grep '^v1\.2\.0 ')" '^v1\.2\.0 +PROD +Planned ' "NO_COLOR: Planned in words"
like "$(screen | grep '^v1\.1\.9 ')" '^v1\.1\.9 +TEST +Succeeded ' "NO_COLOR: Succeeded in words"
like "$(screen | grep '^v1\.1\.8 ')" '^v1\.1\.8 +PROD +Failed ' "NO_COLOR: Failed in words"
is "$(selected_version)" v1.2.0 "NO_COLOR: the selected row is still shown (reverse video)"
must "NO_COLOR: v1.1.8 selected with Down" select_version v1.1.8
keys n
check "NO_COLOR: the dialogs open" wait_for '┌ New deployment'
is "$(colour_sgrs | sort -u | tr '\n' ' ')" "" "NO_COLOR: no colour in the dialog either"
keys Escape
check "Esc closes it" wait_gone '┌ New deployment'
keys q
check "q quits" wait_dead

# ---------------------------------------------------------------- signals

for sig in TERM HUP QUIT; do
	start_app --as mmartin
	must "the screens open (for SIG$sig)" wait_main
	is "$(pane '#{alternate_on}')" 1 "the screens use the alternate screen"
	kill -s "$sig" "$(pane '#{pane_pid}')"
	exits_clean "SIG$sig"
done

start_app --as mmartin
must "the screens open (for Ctrl-C)" wait_main
keys C-c
exits_clean "Ctrl-C"

start_app --as mmartin
must "the screens open (for Ctrl-\\)" wait_main
keys 'C-\'
exits_clean "Ctrl-\\ (SIGQUIT from the terminal)"
is "$(pane '#{pane_dead_status}')" 1 "Ctrl-\\: exit status 1 (stopped by a signal)"

# --demo without --db: its throw-away directory (in $TMPDIR) goes, however
# the screens end.
mkdir "$WORK/demo-tmp"
for how in q C-c 'C-\' TERM QUIT HUP; do
	start_app -n -e TMPDIR="$WORK/demo-tmp" --demo
	if ! wait_main; then
		fail "--demo ($how): the screens open"
		continue
	fi
	is "$(find "$WORK/demo-tmp" -name demo.db | wc -l)" 1 "--demo ($how): its database is in \$TMPDIR"
	case $how in
	q | C-*) keys "$how" ;;
	*) kill -s "$how" "$(pane '#{pane_pid}')" ;;
	esac
	exits_clean "--demo, $how"
	is "$(ls -A "$WORK/demo-tmp")" "" "--demo, $how: the throw-away directory is removed"
done

# ------------------------------------------ the terminal goes, no SIGHUP

# Under setsid (as under su -c or runuser) the program has no controlling
# terminal: when its terminal closes, the kernel sends the SIGHUP to the
# terminal's session, not to it; its standard input hangs up.
# setsid_app DIR ARG...: the screens on --demo, in $TMPDIR=DIR, started by
# setsid-run.py ARG... (which writes $WORK/gone.pid and $WORK/gone.status).
setsid_app() {
	local tmp=$1
	shift
	rm -f "$WORK/gone.pid" "$WORK/gone.status"
	T kill-session -t app >/dev/null 2>&1
	T new-session -d -s app -x 80 -y 24 \
		env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		TZ=UTC TMPDIR="$tmp" "$PY" -I -S "$(dirname "$0")/setsid-run.py" \
		"$@" "$WORK/gone.pid" "$WORK/gone.status" "$DD" --demo \; \
		set-option -t app remain-on-exit on
}

# The pane killed: the program ends, and --demo's directory goes.
mkdir "$WORK/gone-tmp"
setsid_app "$WORK/gone-tmp" --stderr "$WORK/gone.err"
must "setsid --demo: the screens open" wait_main
is "$(find "$WORK/gone-tmp" -name demo.db | wc -l)" 1 "setsid --demo: its database is in \$TMPDIR"
T kill-session -t app
end=$((SECONDS + 5))
until [ -s "$WORK/gone.status" ] || ((SECONDS >= end)); do
	nap
done
if [ -s "$WORK/gone.status" ]; then
	pass "setsid --demo, its pane killed: the program ends within 5 s"
	is "$(cat "$WORK/gone.status")" 1 "... with exit status 1, as for SIGHUP"
	is "$(cat "$WORK/gone.err")" \
		"deploydesk: stopped: the terminal has gone away (its input hung up or was closed)" \
		"... saying why"
	is "$(ls -A "$WORK/gone-tmp")" "" "... and the throw-away directory is removed"
else
	fail "setsid --demo, its pane killed: the program ends within 5 s" \
		"still running: $(cat "/proc/$(cat "$WORK/gone.pid")/stat" 2>&1)"
	kill -TERM "$(cat "$WORK/gone.pid")"
fi

# Only its input closed, the output still on the pane: the terminal is
# given back there. The helper holds the other side of a pseudo-terminal
# that is the program's standard input, and closes it on SIGUSR1.
mkdir "$WORK/gone-tmp2"
setsid_app "$WORK/gone-tmp2" --pty
must "setsid --demo, input from a pseudo-terminal: the screens open" wait_main
is "$(pane '#{alternate_on}')" 1 "the screens use the alternate screen"
kill -USR1 "$(pane '#{pane_pid}')"
if wait_dead 5; then
	pass "its input closed: the program ends within 5 s"
	is "$(pane '#{pane_dead_status}')" 1 "... with exit status 1, as for SIGHUP"
	is "$(pane '#{alternate_on}')" 0 "... the alternate screen is left"
	is "$(pane '#{keypad_cursor_flag}#{keypad_flag}')" 00 "... the keypad modes are reset"
	like "$(T capture-pane -p -J -S - -t app)" \
		"deploydesk: stopped: the terminal has gone away \(its input hung up or was closed\)" \
		"... saying why, on the pane"
	is "$(ls -A "$WORK/gone-tmp2")" "" "... and the throw-away directory is removed"
else
	fail "its input closed: the program ends within 5 s"
	kill -TERM "$(cat "$WORK/gone.pid")"
fi

done_testing
