#!/bin/bash
# SPDX-License-Identifier: MIT
# Live refresh: while the screens are open as mmartin, other processes (the
# command line) change the database; each change shows within 2 s without
# any key press, and the selected row stays selected (found by its reverse
# video in `capture-pane -e`), wherever it moves.
# Usage: test-live.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

now_ms() {
	date +%s%3N
}

# within_2s DESC ERE: the screen matches ERE within 2 s of $T0, with no key
# pressed meanwhile (waits up to 6 s to say how late it was).
within_2s() {
	local desc=$1 re=$2 t
	if wait_for "$re" 6; then
		t=$(($(now_ms) - T0))
		if ((t <= 2000)); then
			pass "$desc (${t} ms)"
		else
			fail "$desc" "shown after ${t} ms"
		fi
	else
		fail "$desc" "not shown after 6 s"
	fi
}

one_selected() {
	local rows
	rows=$(selected_rows)
	if [ "$(printf '%s\n' "$rows" | grep -c .)" -eq 1 ] && [[ $rows =~ ^[0-9]+:$1\  ]]; then
		pass "$2"
	else
		fail "$2" "rows in reverse video:" "$rows"
	fi
}

start_app --as mmartin
must "the screens open as mmartin" wait_main
must "v1.1.8 selected (the third row)" select_version v1.1.8
one_selected v1.1.8 "only the row of v1.1.8 is in reverse video"
row_before=$(selected_rows | cut -d: -f1)

# -------------------------------------------------- another row changes

T0=$(now_ms)
dkas mmartin deploy authorize "$(deploy_id v1.2.0)" >/dev/null
within_2s "authorized by the command line: v1.2.0 shows Yes without a key" \
	'^v1\.2\.0 +PROD +Planned +Yes '
one_selected v1.1.8 "v1.1.8 is still the selected row"
is "$(selected_rows | cut -d: -f1)" "$row_before" "... on the same screen line"

T0=$(now_ms)
dkas mmartin deploy create ERP --version v3.0.0 --env DEV \
	--description "Nouvelle version" --responsible jdupont \
	--date "2026-12-24 08:00" >/dev/null
within_2s "created by the command line: v3.0.0 appears at the top" \
	'^v3\.0\.0 +DEV +Planned +No '
like "$(screen | awk '/^Version +Env +Status/ { getline; print; exit }')" '^v3\.0\.0 ' \
	"v3.0.0 is the first row"
one_selected v1.1.8 "v1.1.8 is still the selected row, though it moved down"
is "$(selected_rows | cut -d: -f1)" "$((row_before + 1))" "... one line lower"
check "the statistics panel follows (total 5, planned 2)" wait_stats "5 2 1 2 0 40.0" 2
is "$(screen_stats)" "$(cli_stats)" "the panel equals stats ERP"

# -------------------------------------------- the selected row changes

must "v1.2.0 selected" select_version v1.2.0
T0=$(now_ms)
out=$(dkas jdupont deploy fail "$(deploy_id v1.2.0)" --logs "disk full" 2>&1)
within_2s "failed by the command line: the selected v1.2.0 shows Failed" \
	'^v1\.2\.0 +PROD +Failed +Yes '
one_selected v1.2.0 "v1.2.0 is still the selected row"
check "the statistics panel follows (failed 2)" wait_stats "5 2 2 1 0 40.0" 2
is "$(screen_stats)" "$(cli_stats)" "the panel equals stats ERP"
check "the keys line now offers i incident for it" wait_for '^ .*i incident' 2

# ------------------------------------------ under a dialog, then after it

keys '?'
must "the help is open" wait_for '┌ Help'
T0=$(now_ms)
dkas mmartin deploy create ERP --version v3.0.1 --env TEST \
	--description "Suite" --responsible jdupont \
	--date "2026-12-25 08:00" >/dev/null
within_2s "the history under the help shows v3.0.1 (the help box hides the rest of the row)" '^v3\.0\.1 '
check "... and the total under the help is 6" wait_for '^│ 6 ' 1
keys q
check "the help closes" wait_gone '┌ Help'
check "v3.0.1 is there" wait_for '^v3\.0\.1 +TEST +Planned +No ' 1
one_selected v1.2.0 "v1.2.0 is still the selected row"

keys q
check "q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0"

# ------------------------------------------ counts edited in the file

# The statistics come from deploy_counts: edited past its CHECK (n >= 0),
# the panel shows what is stored (the total held at the ends of 64-bit
# integers), as stats ERP does, and the screens go on.
sqlite_tail "counts edited in the file"
MIN=-9223372036854775808
if ! command -v sqlite3 >/dev/null; then
	T_N=$((T_N + 1))
	printf 'ok %d - # SKIP counts edited in the file: sqlite3 is needed\n' "$T_N"
	done_testing
fi
start_app -s 140x30 --as mmartin
must "the screens open (140x30)" wait_main
sqlite3 "$DB" "PRAGMA ignore_check_constraints = ON;
	UPDATE deploy_counts SET n = $MIN WHERE status = 'TERMINEE';
	UPDATE deploy_counts SET n = -1 WHERE status = 'ECHEC';
	UPDATE deploy_counts SET n = 0 WHERE status IN ('A_FAIRE', 'EN_COURS');"
check "INT64_MIN and -1 stored: the panel shows them, the total held at INT64_MIN" \
	wait_stats "$MIN $MIN -1 0 0 100.0" 3
is "$(screen_stats)" "$(cli_stats)" "the panel equals stats ERP"
sqlite3 "$DB" "PRAGMA ignore_check_constraints = ON;
	UPDATE deploy_counts SET n = 5 WHERE status = 'TERMINEE';
	UPDATE deploy_counts SET n = -5 WHERE status = 'ECHEC';"
check "a total of 0 with nonzero parts: the panel shows a rate of 0" \
	wait_stats "0 5 -5 0 0 0.0" 3
is "$(screen_stats)" "$(cli_stats)" "the panel equals stats ERP"
keys q
check "q quits" wait_dead
is "$(pane '#{pane_dead_status}')" 0 "exit status 0 (the screens did not crash)"

done_testing
