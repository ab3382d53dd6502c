#!/bin/bash
# SPDX-License-Identifier: MIT
# The audit trail: append-only in the database, and `audit verify` finds
# the first record that was edited, removed or forged.
# The data is checked against the trail, the schema against deploydesk's,
# and the chain against checkpoints kept elsewhere.
# Usage: test-audit.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/demo.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
N=$(sqlite3 "$DB" "SELECT count(*) FROM audit")
check "the demo has audit records ($N)" test "$N" -gt 7

run dk audit verify
rc_is 0 "audit verify on the demo: exit 0"
like "$OUT" "intact" "audit verify says intact"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records):$(jget first_bad):$(jget problem)" "0:true:$N:null:null" \
	"audit verify --format json: intact true, checked $N, first_bad null"

# One more change through the program keeps the chain whole.
ID=$(deploy_ids ERP | head -1)
expect_ok "authorize the planned deployment" dk --as mmartin deploy authorize "$ID"
N=$((N + 1))
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records)" "0:true:$N" "still intact after a change, $N records"
is "$(sqlite3 "$DB" "SELECT group_concat(seq) = group_concat(rn) FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS rn FROM audit)")" 1 \
	"audit seq numbers are 1..$N"
is "$(sqlite3 "$DB" "SELECT count(*) FROM audit a JOIN audit b ON b.seq = a.seq + 1 WHERE b.prev_hash <> a.hash")" 0 \
	"each record's prev_hash is the hash of the one before"

# ---------------------------------------------------------------- the
# triggers refuse UPDATE and DELETE

# sql_refused DESC SQL: sqlite3 fails and the database is unchanged.
sql_refused() {
	dump_db "$DB" >"$WORK/.dump-before"
	run sqlite3 "$DB" "$2"
	dump_db "$DB" >"$WORK/.dump-after"
	isnt "$RC" 0 "$1: sqlite3 fails"
	like "$ERR" "append-only" "$1: refused by the trigger"
	check "$1: database unchanged" cmp -s "$WORK/.dump-before" "$WORK/.dump-after"
}
sql_refused "UPDATE of one record's after" "UPDATE audit SET \"after\" = '{}' WHERE seq = 5"
sql_refused "UPDATE of every login" "UPDATE audit SET login = 'mallory'"
sql_refused "DELETE of one record" "DELETE FROM audit WHERE seq = 7"
sql_refused "DELETE of the whole trail" "DELETE FROM audit"
sql_refused "UPDATE inside a transaction" "BEGIN; UPDATE audit SET ts = '2000-01-01T00:00:00Z' WHERE seq = 1; COMMIT;"
sql_refused "INSERT of a record out of the chain" \
	"INSERT INTO audit SELECT seq + 1, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", randomblob(32), randomblob(32), host FROM audit ORDER BY seq DESC LIMIT 1"
sql_refused "INSERT with a seq already used" \
	"INSERT INTO audit SELECT seq, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", hash, randomblob(32), host FROM audit ORDER BY seq DESC LIMIT 1"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records)" "0:true:$N" "still intact after the refused statements"

# REPLACE deletes the row it conflicts with, and SQLite fires no DELETE
# trigger for that (recursive_triggers is off): the triggers alone must
# still refuse it. On a copy, so that the rest does not depend on it.
SAVED=$DB
DB=$WORK/replace.db
sqlite3 "$SAVED" ".backup '$DB'"
sql_refused "INSERT OR REPLACE over record 2 (a delete in disguise)" \
	"INSERT OR REPLACE INTO audit SELECT seq, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", prev_hash, hash, host FROM audit WHERE seq = 2"
run dk --format json audit verify
is "$(jget first_bad)" "$([ "$(sqlite3 "$DB" "SELECT login FROM audit WHERE seq = 2")" = mallory ] && echo 2 || echo null)" \
	"audit verify sees a record replaced that way (first_bad 2), if it got through"
DB=$SAVED

# ---------------------------------------------------------------- tampering
# on copies, with the triggers dropped and put back as they were

AUDIT_TRIGGERS=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")

# tampered NAME SQL EXPECTED-FIRST-BAD: verify on a copy changed by SQL.
tampered() {
	local copy=$WORK/$1.db save=$DB
	sqlite3 "$save" ".backup '$copy'"
	DB=$copy
	run dk --format json audit verify
	is "$RC:$(jget intact)" "0:true" "$1: the untouched copy verifies"
	run sqlite3 "$copy" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only; $2; $AUDIT_TRIGGERS"
	is "$RC:$ERR" "0:" "$1: tampered with by SQL"
	run dk --format json audit verify
	is "$RC" 1 "$1: audit verify exits 1"
	is "$(jget intact):$(jget first_bad)" "false:$3" "$1: json intact false, first_bad $3"
	isnt "$(jget problem)" null "$1: json names the problem"
	run dk audit verify
	is "$RC" 1 "$1: audit verify (table) exits 1"
	like "$ERR" "record $3([^0-9]|$)" "$1: the message names record $3"
	run dk deploy list ERP
	rc_is 0 "$1: the rest of the database still reads"
	DB=$save
}

MAX=$N
tampered edit-after-5 "UPDATE audit SET \"after\" = coalesce(\"after\", '') || ' ' WHERE seq = 5" 5
tampered delete-7 "DELETE FROM audit WHERE seq = 7" 7
tampered forged-end "INSERT INTO audit (seq, ts, uid, login, login_uid, action, entity, entity_id, project_id, \"before\", \"after\", prev_hash, hash)
	SELECT seq + 1, ts, uid, 'mallory', NULL, 'deploy.authorize', 'task', entity_id, project_id, NULL, '{}', randomblob(32), randomblob(32)
	FROM audit WHERE seq = $MAX" $((MAX + 1))
tampered forged-end-chained "INSERT INTO audit (seq, ts, uid, login, login_uid, action, entity, entity_id, project_id, \"before\", \"after\", prev_hash, hash)
	SELECT seq + 1, ts, uid, 'mallory', NULL, 'deploy.authorize', 'task', entity_id, project_id, NULL, '{}', hash, randomblob(32)
	FROM audit WHERE seq = $MAX" $((MAX + 1))
tampered login-3 "UPDATE audit SET login = 'mallory' WHERE seq = 3" 3
# Each record names the host it was made on, as the kernel names it, and
# its hash covers it: another host written in, or the host taken out,
# breaks the record.
HOST=$(python3 -c 'import socket; print(socket.gethostname())')
run dk --format json audit list
is "$RC:$(jget 0.host):$(jget $((MAX - 1)).host)" "0:$HOST:$HOST" "audit list names each record's host ($HOST)"
run env HOSTNAME=elsewhere "$DD" --db "$DB" --format json audit list
is "$(jget 0.host)" "$HOST" "... the kernel's name, not \$HOSTNAME"
tampered host-4 "UPDATE audit SET host = 'jump-2' WHERE seq = 4" 4
tampered no-host-6 "UPDATE audit SET host = NULL WHERE seq = 6" 6
tampered ts-2 "UPDATE audit SET ts = '2020-01-01T00:00:00Z' WHERE seq = 2" 2
tampered action-6 "UPDATE audit SET action = 'deploy.succeed' WHERE seq = 6" 6
tampered hash-4 "UPDATE audit SET hash = randomblob(32) WHERE seq = 4" 4
tampered before-null-to-empty "UPDATE audit SET \"before\" = CASE WHEN \"before\" IS NULL THEN '' ELSE NULL END WHERE seq = 1" 1
tampered delete-first "DELETE FROM audit WHERE seq = 1" 1

# ---------------------------------------------------------------- records
# stored other than as hashed: the hash covers a text up to a NUL byte, and
# a number or a time only as text

tampered login-nul "UPDATE audit SET login = CAST(login || char(0) || 'x' AS TEXT) WHERE seq = 3" 3
tampered ts-blob "UPDATE audit SET ts = CAST(ts AS BLOB) WHERE seq = 4" 4
tampered uid-text "UPDATE audit SET uid = 'x' || uid WHERE seq = 2" 2
dk_on() {
	local db=$1
	shift
	"$DD" --db "$db" "$@"
}
run sqlite3 "$WORK/login-nul.db" "SELECT length(CAST(login AS BLOB)) - length(login) FROM audit WHERE seq = 3"
is "$OUT" 2 "login-nul: the stored login does hold bytes after a NUL"
run dk_on "$WORK/login-nul.db" audit verify
like "$ERR" "login" "login-nul: the message names the column"

# ---------------------------------------------------------------- the data
# against the trail: changed by SQL, triggers untouched, the chain intact

# edited NAME SQL TABLE COLUMN: on a copy changed by SQL, audit verify
# exits 1 naming the table (and the column, when one differs).
edited() {
	local copy=$WORK/$1.db
	sqlite3 "$DB" ".backup '$copy'"
	run sqlite3 "$copy" "$2"
	is "$RC:$ERR" "0:" "$1: changed by SQL"
	run dk_on "$copy" --format json audit verify
	is "$RC:$(jget intact):$(jget table):$(jget column):$(jget first_bad)" "1:false:$3:$4:null" \
		"$1: audit verify exits 1, naming table $3, column $4"
	run dk_on "$copy" audit verify
	like "$ERR" "$3 row" "$1: the message names the table's row"
}
FAILED_ID=$(sqlite3 "$DB" "SELECT id FROM tasks WHERE type = 'DEPLOIEMENT' AND status = 'ECHEC'")
edited task-status "UPDATE tasks SET status = 'TERMINEE' WHERE id = '$FAILED_ID'" tasks status
edited user-admin "UPDATE users SET is_admin = 1 WHERE login = 'cpetit'" users is_admin
edited member-role "UPDATE members SET role = 'CHEF_PROJET' WHERE user_id = (SELECT id FROM users WHERE login = 'cpetit')" members role
edited counts "UPDATE deploy_counts SET n = n + 1 WHERE status = 'TERMINEE'" deploy_counts n
edited stage-status "UPDATE stages SET status = 'TERMINEE' WHERE code = 'DEPLOIEMENT'" stages status
edited task-logs "UPDATE tasks SET logs = logs || 'x' WHERE id = '$FAILED_ID'" tasks logs
edited task-description "UPDATE tasks SET description = 'autre' WHERE id = '$FAILED_ID'" tasks description
edited incident-description "UPDATE tasks SET description = description || ' ' WHERE type = 'INCIDENT'" tasks description
edited task-executor "UPDATE tasks SET executed_by = (SELECT id FROM users WHERE login = 'cpetit') WHERE id = '$FAILED_ID'" tasks executed_by
edited task-time "UPDATE tasks SET authorized_at = '2020-01-01T00:00:00Z' WHERE id = '$FAILED_ID'" tasks authorized_at
edited user-added "INSERT INTO users (login, full_name, is_admin, created_at) VALUES ('eve', 'Eve', 1, '2026-01-01T00:00:00Z')" users null
edited incident-removed "DELETE FROM tasks WHERE type = 'INCIDENT'" tasks null
edited member-removed "DELETE FROM members WHERE user_id = (SELECT id FROM users WHERE login = 'cpetit')" members null
edited sandbox-flag-removed "DELETE FROM settings" settings null
run dk_on "$WORK/incident-removed.db" --format json audit verify
like "$(jget problem)" "missing from the table" "incident-removed: the message says the trail's row is missing"

# An edit built upon: the data changed by SQL, then a change through
# deploydesk on the same row. The table then matches the trail's last
# record, but that record's 'before' is not what the trail had.
BUILT=$WORK/built-upon.db
sqlite3 "$DB" ".backup '$BUILT'"
SUCC_ID=$(sqlite3 "$DB" "SELECT id FROM tasks WHERE type = 'DEPLOIEMENT' AND status = 'TERMINEE' LIMIT 1")
run sqlite3 "$BUILT" "UPDATE tasks SET status = 'EN_COURS', executed_by = NULL, executed_at = NULL, logs = NULL WHERE id = '$SUCC_ID'"
run dk_on "$BUILT" --as jdupont deploy fail "${SUCC_ID:0:8}" --logs boom
rc_is 0 "built upon: a failure recorded on the edited deployment"
run dk_on "$BUILT" --format json audit verify
is "$RC:$(jget intact)" "1:false" "built upon: audit verify fails"
like "$(jget problem)" "^record $(sqlite3 "$BUILT" "SELECT max(seq) - 1 FROM audit") \(deploy.fail\): its 'before' says status was 'EN_COURS', but the trail had 'TERMINEE'" \
	"... naming the failure's record, whose 'before' differs from the trail"

# Rights borrowed: a viewer made admin by SQL adds a user, and the flag is
# put back. The table matches the trail; the record breaks the rules.
BORROWED=$WORK/borrowed.db
sqlite3 "$DB" ".backup '$BORROWED'"
run sqlite3 "$BORROWED" "UPDATE users SET is_admin = 1 WHERE login = 'cpetit'"
run dk_on "$BORROWED" --as cpetit user add evil --name Evil --admin
rc_is 0 "borrowed rights: the viewer, admin for a moment, adds an admin"
run sqlite3 "$BORROWED" "UPDATE users SET is_admin = 0 WHERE login = 'cpetit'"
run dk_on "$BORROWED" --format json audit verify
is "$RC:$(jget intact)" "1:false" "borrowed rights: audit verify fails"
like "$(jget problem)" "\(user.add\): the rules did not allow it" "... naming the record the rules did not allow"

# A rewrite that gives a viewer's name to an authorization, re-hashed: the
# chain holds, the record breaks the rules.
FORGED=$WORK/forged.db
sqlite3 "$DB" ".backup '$FORGED'"
AUTH=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.authorize' ORDER BY seq LIMIT 1")
AUTH_TASK=$(sqlite3 "$DB" "SELECT entity_id FROM audit WHERE seq = $AUTH")
run sqlite3 "$FORGED" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only;
	UPDATE audit SET login = 'cpetit', after = replace(after, '\"mmartin\"', '\"cpetit\"') WHERE seq = $AUTH;
	UPDATE tasks SET authorized_by = (SELECT id FROM users WHERE login = 'cpetit') WHERE id = '$AUTH_TASK';
	$AUDIT_TRIGGERS"
run "$PY" "$SRCDIR/tests/ddaudit.py" rehash "$FORGED" "$AUTH"
run dk_on "$FORGED" --format json audit verify
is "$RC:$(jget first_bad)" "1:$AUTH" "forged authorizer, re-hashed: audit verify fails at record $AUTH"
like "$(jget problem)" "the rules did not allow it: the person's role" "... which the rules did not allow"

# A sandbox marker set by SQL is not believed: --as stays refused, and the
# flag is reported by audit verify (above).
PLAIN=$WORK/plain.db
expect_ok "init a database that is not a sandbox" "$DD" --db "$PLAIN" init
run sqlite3 "$PLAIN" "INSERT INTO settings (key, value) VALUES ('sandbox', '1')"
DB_SAVE=$DB
DB=$PLAIN
refused 3 "sandbox" "--as with a sandbox flag set by SQL" dk --as nobody user list
run dk --format json audit verify
is "$RC:$(jget table):$(jget row)" "1:settings:'sandbox'" "audit verify reports the sandbox flag set by SQL"
DB=$DB_SAVE

# ---------------------------------------------------------------- the
# schema: a planted trigger, a dropped audit trigger

# schema_altered NAME SQL OBJECT: after SQL, audit verify names OBJECT and
# a change through deploydesk is refused and writes nothing.
schema_altered() {
	local copy=$WORK/$1.db save=$DB
	sqlite3 "$save" ".backup '$copy'"
	run sqlite3 "$copy" "$2"
	is "$RC:$ERR" "0:" "$1: changed by SQL"
	DB=$copy
	run dk --format json audit verify
	is "$RC:$(jget intact)" "1:false" "$1: audit verify exits 1"
	like "$(jget problem)" "schema.*$3" "$1: the problem names $3"
	refused 1 "nothing was written.*schema.*$3" "$1: a change is refused" \
		dk --as jdupont deploy fail "${PLANNED_ID:0:8}" --logs KO
	refused 1 "nothing was written.*schema" "$1: user add is refused" \
		dk user add zed --name Zed
	DB=$save
}
PLANNED_ID=$(sqlite3 "$DB" "SELECT id FROM tasks WHERE type = 'DEPLOIEMENT' AND status = 'A_FAIRE' AND authorized_by IS NOT NULL LIMIT 1")
schema_altered planted-trigger "CREATE TRIGGER rewrite_fail AFTER UPDATE OF status ON tasks WHEN NEW.status = 'ECHEC' BEGIN UPDATE tasks SET status = 'TERMINEE' WHERE id = NEW.id; DELETE FROM tasks WHERE source_task = NEW.id; END" rewrite_fail
schema_altered dropped-trigger "DROP TRIGGER audit_no_delete" audit_no_delete
schema_altered planted-view "CREATE VIEW v AS SELECT 1" "view v"
schema_altered changed-index "DROP INDEX tasks_history; CREATE INDEX tasks_history ON tasks (stage_id)" tasks_history
# Once the trigger is gone again, writes work.
run sqlite3 "$WORK/planted-trigger.db" "DROP TRIGGER rewrite_fail"
run dk_on "$WORK/planted-trigger.db" user add zed --name Zed
rc_is 0 "once the planted trigger is dropped, changes work again"

# ---------------------------------------------------------------- checkpoints

run dk audit checkpoint
rc_is 0 "audit checkpoint: exit 0"
CP1=$OUT
DBID=$(sqlite3 "$DB" "SELECT json_extract(after, '$.database_id') FROM audit WHERE seq = 1")
like "$DBID" "$(sed 's/\^//; s/\$//' <<<"${UUID_RE}")" "the database id is in the first record ($DBID)"
HEAD=$(sqlite3 "$DB" "SELECT seq || ' ' || lower(hex(hash)) FROM audit ORDER BY seq DESC LIMIT 1")
like "$CP1" "^deploydesk-checkpoint 1 $DBID $HEAD [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" \
	"audit checkpoint prints one line: format 1, the database id, seq and hash of the head, the time"
printf '%s\n' "$CP1" >"$WORK/cp1"
CP1_SEQ=$(cut -d' ' -f4 <<<"$CP1")
expect_ok "one more record" dk --as mmartin deploy create ERP --version v9 --env DEV \
	--description "Un de plus" --responsible jdupont --date "2026-03-01 10:00"
run dk audit checkpoint
CP2=$OUT
{
	echo "Subject: deploydesk checkpoints"
	echo "deploydesk-checkpoint 1 0000aaaa-0000-4000-8000-000000000000 99999 $(printf '0%.0s' {1..64}) 2026-01-01T00:00:00Z"
	echo "Nov 29 10:00:00 host deploydesk[42]: $CP1"
	echo "unrelated line"
	echo "$CP2"
} >"$WORK/cps"
run dk --format json audit verify --checkpoint "$WORK/cps"
is "$RC:$(jget intact):$(jget checkpoints)" "0:true:2" \
	"verify --checkpoint FILE: both of this database's checkpoints held (another database's line and unrelated lines ignored)"
run dk audit verify --checkpoint - <"$WORK/cps"
is "$RC" 0 "verify --checkpoint - reads standard input"
like "$OUT" "checkpoints 2$" "... and says how many checkpoints it checked"
: >"$WORK/empty.cp"
refused 2 "^deploydesk: $WORK/empty.cp holds no checkpoint line; make one with 'deploydesk audit checkpoint >> $WORK/empty.cp'\$" \
	"verify --checkpoint of an empty file: a mistake in what was given, not damage" \
	dk audit verify --checkpoint "$WORK/empty.cp"
printf 'unrelated\n\n' >"$WORK/none.cp"
refused 2 "holds no checkpoint line" "verify --checkpoint of a file without a checkpoint line" \
	dk audit verify --checkpoint "$WORK/none.cp"
run dk audit verify --checkpoint "$WORK/cp1"
rc_is 0 "an older checkpoint is still held after a change"
echo "deploydesk-checkpoint 1 0000aaaa-0000-4000-8000-000000000000 9 $(printf '0%.0s' {1..64}) 2026-01-01T00:00:00Z" >"$WORK/none"
run dk --format json audit verify --checkpoint "$WORK/none"
is "$RC:$(jget intact)" "1:false" "a checkpoint file with only another database's lines fails"
like "$(jget problem)" "none of the checkpoints given names this database \\(id $DBID\\)" "... saying so, with this database's id"
isnt "$(jget records)" 0 "... after checking the rest of the record all the same"
printf 'deploydesk-checkpoint 1 %s 12 nothex 2026-01-01T00:00:00Z\n' "$DBID" >"$WORK/bad"
run dk audit verify --checkpoint "$WORK/bad"
is "$RC" 2 "a malformed checkpoint line: exit 2"
like "$ERR" "line 1.*checkpoint" "... naming the line"
run dk audit verify --checkpoint "$WORK/missing-file"
is "$RC" 2 "a checkpoint file that does not exist: exit 2"
run dk audit list --checkpoint "$WORK/cps"
is "$RC" 2 "--checkpoint is refused outside audit verify"

# A cut tail: the last records removed, the data put back as it was
# before them (the schema's triggers keep the counts; the search index is
# told to forget the row, as deploydesk would), the triggers restored.
# Only a checkpoint sees it.
# unindex ID / reindex ID: the SQL that has the search index forget a
# deployment as it stands, or learn it as it stands (what model-search.c
# does around each write of a task).
unindex() {
	echo "INSERT INTO task_search (task_search, rowid, version, name, description, responsible, logs)
		SELECT 'delete', task_rowid, version, name, description, responsible, logs FROM task_text
		WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = '$1');"
}
reindex() {
	echo "INSERT INTO task_search (rowid, version, name, description, responsible, logs)
		SELECT task_rowid, version, name, description, responsible, logs FROM task_text
		WHERE task_rowid = (SELECT rowid FROM tasks WHERE id = '$1');"
}
CUT=$WORK/cut.db
sqlite3 "$DB" ".backup '$CUT'"
NEW_ID=$(sqlite3 "$DB" "SELECT entity_id FROM audit ORDER BY seq DESC LIMIT 1")
run sqlite3 "$CUT" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only;
	DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
	$(unindex "$NEW_ID")
	DELETE FROM tasks WHERE id = '$NEW_ID';
	$AUDIT_TRIGGERS"
is "$RC:$ERR" "0:" "cut tail: made by SQL"
run dk_on "$CUT" audit verify
rc_is 0 "cut tail: audit verify alone cannot see it"
run dk_on "$CUT" --format json audit verify --checkpoint "$WORK/cps"
is "$RC:$(jget intact)" "1:false" "cut tail: audit verify --checkpoint fails"
like "$(jget problem)" "ends at record $CP1_SEQ.*names record $((CP1_SEQ + 1))" "... saying the trail ends before the checkpoint's record"

# A rewrite that keeps to the rules: a deployment's description changed in
# its record and in the table (and in the search index), every hash after
# it recomputed. The chain holds and the data matches; the checkpoint does
# not.
RW=$WORK/rewrite.db
sqlite3 "$DB" ".backup '$RW'"
CREATED=$(sqlite3 "$DB" "SELECT seq FROM audit WHERE action = 'deploy.create' ORDER BY seq LIMIT 1")
CREATED_ID=$(sqlite3 "$DB" "SELECT entity_id FROM audit WHERE seq = $CREATED")
run sqlite3 "$RW" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only;
	UPDATE audit SET after = json_set(after, '$.description', 'Réécrit') WHERE seq = $CREATED;
	$(unindex "$CREATED_ID")
	UPDATE tasks SET description = 'Réécrit' WHERE id = '$CREATED_ID';
	$(reindex "$CREATED_ID")
	$AUDIT_TRIGGERS"
run dk_on "$RW" audit verify
rc_is 1 "rewrite: before the hashes are recomputed, verify sees the change"
run "$PY" "$SRCDIR/tests/ddaudit.py" rehash "$RW" "$CREATED"
rc_is 0 "rewrite: every hash from record $CREATED recomputed"
run dk_on "$RW" audit verify
rc_is 0 "rewrite: audit verify alone cannot see a whole rewrite"
run dk_on "$RW" --format json audit verify --checkpoint "$WORK/cp1"
is "$RC:$(jget intact):$(jget first_bad)" "1:false:$CP1_SEQ" "rewrite: audit verify --checkpoint fails at the checkpoint's record ($CP1_SEQ)"
like "$(jget problem)" "rewritten" "... saying the trail was rewritten"

# ---------------------------------------------------------------- who

run dk --format json audit list
is "$(jget 0.uid)" "$(id -u)" "audit list (json): the OS uid of each record"
LOGIN_UID=$(cat /proc/self/loginuid 2>/dev/null)
if [ -n "$LOGIN_UID" ] && [ "$LOGIN_UID" != 4294967295 ]; then
	is "$(jget 0.login_uid)" "$LOGIN_UID" "audit list (json): the login uid of each record"
else
	is "$(jget 0.login_uid)" null "audit list (json): no login uid here (null)"
fi
run dk audit list
like "$OUT" "OS account" "audit list (table): an OS account column"
like "$OUT" "$(id -un) \\($(id -u)\\)" "audit list (table): the account by name and uid"

# ---------------------------------------------------------------- syslog

if [ -S /dev/log ]; then
	run "$DD" --db "$WORK/syslog.db" init
	is "$SYSLOG_NOTE" 0 "init with a syslog socket says nothing about syslog"
elif [ "$(id -u)" = 0 ] && [ ! -e /dev/log ]; then
	# As root on a host without syslog (CI): a socket of our own at
	# /dev/log receives the anchors, which verify reads back.
	"$PY" - "$WORK/syslog.txt" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
EOF
	LOG_PID=$!
	for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
	run "$DD" --db "$WORK/syslog.db" init
	is "$RC:$SYSLOG_NOTE" "0:0" "init with a syslog socket: no note"
	run "$DD" --db "$WORK/syslog.db" user add sam --name Sam
	sleep 0.3
	kill "$LOG_PID" 2>/dev/null
	wait "$LOG_PID" 2>/dev/null
	rm -f /dev/log
	like "$(cat "$WORK/syslog.txt")" "deploydesk: deploydesk-checkpoint 1 " "after each commit, syslog receives the checkpoint line"
	run "$DD" --db "$WORK/syslog.db" --format json audit verify --checkpoint "$WORK/syslog.txt"
	is "$RC:$(jget intact):$(jget checkpoints)" "0:true:2" "what syslog received verifies as checkpoints (init and user add)"
else
	run "$DD" --db "$WORK/syslog.db" init
	is "$RC:$SYSLOG_NOTE" "0:1" "init without a syslog socket says so"
	run "$DD" --db "$WORK/syslog.db" audit verify
	is "$RC:$SYSLOG_NOTE" "0:1" "audit verify without a syslog socket says so"
fi

done_testing
