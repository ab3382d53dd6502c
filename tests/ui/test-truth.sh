#!/bin/bash
# SPDX-License-Identifier: MIT
# The screens say the truth: a read that fails (a locked or a damaged
# database) is shown as an error (never as an empty history), a terminal that cannot place the cursor is refused,
# the history of a deployment reads "field: before -> after" in the
# reader's language (a field set for the first time as "field: value"),
# an incident and its history name its deployment by version, and the
# command line's labels, the filter menu and its tag follow French
# typography.
# Usage: test-truth.sh PATH-TO-deploydesk BUILD-DIR

. "$(dirname "$0")/lib.sh" "$@"

screen_has() {
	screen | grep -Eq -- "$1"
}

# ---------------------------------------------------------------- history

start_app --as mmartin --project ERP
must "the screens open" wait_main
select_version v1.1.8
keys Enter
must "Enter opens the details of v1.1.8" wait_for '^Deployment v1\.1\.8'
keys G
check "its history: who authorized it, in words" \
	wait_for 'mmartin approved it' 5
# A field set for the first time reads "label: value" whether the record
# before held it as null (authorized_by) or not at all (executed_by).
check "... the field set: Authorized by: mmartin" \
	screen_has '^ +Authorized by: mmartin$'
check "... as Executed by: jdupont reads" screen_has '^ +Executed by: jdupont$'
check "... no field set for the first time reads '- →'" \
	eval '! screen | grep -q ": - → "'
check "... the failure recorded, the status from In progress to Failed" \
	screen_has '^ +Status: In progress → Failed$'
check "no raw JSON in the history" eval '! screen | grep -q "{\""'
keys i
must "i opens its incident" wait_for '^INCIDENT - Échec déploiement v1\.1\.8'
check "the incident names its deployment by version" \
	screen_has '^Deployment +v1\.1\.8$'
keys G
check "... and so does its history, not by its id" \
	wait_for '^ +Deployment: v1\.1\.8$' 5
check "... no raw id in it" eval '! screen | grep -Eq "Deployment: [0-9a-f]{8}-"'
stop_app

if french; then
	start_app "${FR[@]}" --as mmartin --project ERP
	wait_for '^Historique des Déploiements' 10
	keys Down Down # v1.1.8, the third row
	keys Enter
	wait_for '^Déploiement v1\.1\.8' 5
	keys G
	check "in French: the history in French words, with French typography" \
		wait_for '^ +Autorisé par : mmartin$' 5
	check "... the action in French" screen_has "mmartin l'a approuvé"
	keys i
	wait_for '^INCIDENT - Échec déploiement v1\.1\.8' 5
	keys G
	check "in French: the incident's history names the deployment by version" \
		wait_for '^ +Déploiement : v1\.1\.8$' 5
	stop_app
	run_fr=$(LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 DEPLOYDESK_LOCALEDIR="$BUILDDIR/po" \
		dk stats ERP)
	like "$run_fr" "^Total : +4" "stats in French: 'Total :'"
	like "$run_fr" $'\nTaux de réussite : 50,0 %' "... 'Taux de réussite :'"
	# The filter menu and the filter's tag: "Environnement : Test",
	# "[filtre : TEST]", never "Environnement: Test".
	start_app -e LANG=fr_FR.UTF-8 -e LC_ALL=fr_FR.UTF-8 \
		-e DEPLOYDESK_LOCALEDIR="$BUILDDIR/po" --as mmartin --project ERP
	wait_for '^Historique des Déploiements' 10
	keys f
	wait_for "┌ Filtrer l'historique" 5
	check "French: the filter menu says 'Environnement : Test'" \
		screen_has '│ +Environnement : Test +│'
	check "... and 'Statut : Prévu'" screen_has '│ +Statut : Prévu +│'
	check "... and no colon without its space" eval '! screen | grep -q "[^ ]: "'
	keys Down Down Enter # All, Développement, Test
	check "French: the filter's tag says '[filtre : TEST]'" \
		wait_for '^Historique des Déploiements +\[filtre : TEST\]' 5
	stop_app
	printf 'deploydesk-checkpoint 1 x 12 nothex 2026-01-01T00:00:00Z\n' >"$WORK/bad-cp"
	err_fr=$(LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 DEPLOYDESK_LOCALEDIR="$BUILDDIR/po" \
		dk audit verify --checkpoint "$WORK/bad-cp" 2>&1 >/dev/null)
	like "$err_fr" "^deploydesk: $WORK/bad-cp : la ligne 1 n'est pas un point de contrôle" \
		"French: a checkpoints file's problem reads 'FILE : la ligne 1 ...'"
else
	skip "the French checks need the fr_FR.UTF-8 locale and the built catalogue"
	skip "French: the action"
	skip "French: the incident's history"
	skip "stats in French: 'Total :'"
	skip "... 'Taux de réussite :'"
	skip "French: the filter menu"
	skip "French: the filter's tag"
	skip "French: a checkpoints file's problem"
fi

# ---------------------------------------------------------------- cut

# A version longer than its column ends with "…", so that it is not taken
# for another, shorter one (at 80 columns the column grows to 20: what the
# other columns leave).
dkas mmartin deploy create ERP --version v1.2.0-very-long-version-name --env TEST \
	--description d --responsible jdupont --date "2026-03-03 10:00" >/dev/null
start_app --as mmartin --project ERP
must "the screens open" wait_main
check "a version cut to fit its column ends with …" \
	wait_for '^v1\.2\.0-very-long-ve… +TEST ' 5
stop_app

# ---------------------------------------------------------------- dumb

# In a pseudo-terminal of its own (script), to read all it says.
dumb=$(TERM=dumb script -qec "$DD --db $DB --as mmartin" /dev/null 2>&1)
is "$?" 1 "TERM=dumb: the screens are refused, exit status 1"
like "$dumb" "terminal type 'dumb' cannot place the cursor" \
	"... saying the terminal cannot place the cursor"
like "$dumb" "TERM=xterm-256color" "... and naming one that works"

# ---------------------------------------------------------------- a read
# that fails

sqlite_tail "a read that fails, a damaged history"
# A database another process holds locked (SQLite's exclusive locking
# mode, which keeps readers out even in WAL mode; a reader already in
# keeps its access, so it is met when the screens open): after the busy
# timeout the screens say so, and end with status 1, never showing an
# empty history.
"$PY" - "$DB" "$WORK/locked" <<'PYEOF' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE settings SET value = value WHERE 0")
open(sys.argv[2], "w").close()
time.sleep(9)
db.execute("COMMIT")
PYEOF
locker=$!
for _ in $(seq 50); do [ -e "$WORK/locked" ] && break; nap; done
start_app --as mmartin --project ERP
check "a locked database: the screens end after the busy timeout" wait_dead 10
check "... saying it is locked (the message wraps at the pane's edge)" \
	eval 'T capture-pane -p -t app -S -50 | tr -d "\n" | grep -q "is locked by another process; try again in a moment"'
is "$(pane '#{pane_dead_status}')" 1 "... with exit status 1"
check "... never showing an empty history" eval '! screen | grep -q "No deployment"'
wait "$locker"

# The table of deployments and its index, damaged: the screens open (the
# project and the statistics still read) and say the history cannot be
# read, instead of "No deployment yet".
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
"$PY" - "$DB" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
size = db.execute("PRAGMA page_size").fetchone()[0]
pages = [r[0] for r in db.execute(
    "SELECT rootpage FROM sqlite_master WHERE name IN ('tasks', 'tasks_history')")]
db.close()
with open(sys.argv[1], "r+b") as f:
    for p in pages:
        f.seek((p - 1) * size)
        f.write(b"\xff" * size)
PYEOF
start_app --as mmartin --project ERP
check "a damaged history: the screens open" wait_for '^Deployment history' 10
check "... and say it is damaged" wait_for 'is damaged or is not a deploydesk database' 5
check "... never that there is no deployment" eval '! screen | grep -q "No deployment"'
stop_app
out=$(dk deploy list ERP 2>/dev/null)
is "$?" 1 "deploy list on the damaged history: exit 1"
is "$out" "" "... and does not print (none)"

done_testing
