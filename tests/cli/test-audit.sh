#!/bin/bash
# The audit trail: append-only in the database, and `audit verify` finds
# the first record that was edited, removed or forged.
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
	"INSERT INTO audit SELECT seq + 1, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", randomblob(32), randomblob(32) FROM audit ORDER BY seq DESC LIMIT 1"
sql_refused "INSERT with a seq already used" \
	"INSERT INTO audit SELECT seq, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", hash, randomblob(32) FROM audit ORDER BY seq DESC LIMIT 1"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records)" "0:true:$N" "still intact after the refused statements"

# REPLACE deletes the row it conflicts with, and SQLite fires no DELETE
# trigger for that (recursive_triggers is off): the triggers alone must
# still refuse it. On a copy, so that the rest does not depend on it.
SAVED=$DB
DB=$WORK/replace.db
sqlite3 "$SAVED" ".backup '$DB'"
sql_refused "INSERT OR REPLACE over record 2 (a delete in disguise)" \
	"INSERT OR REPLACE INTO audit SELECT seq, ts, uid, 'mallory', login_uid, action, entity, entity_id, project_id, \"before\", \"after\", prev_hash, hash FROM audit WHERE seq = 2"
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
tampered ts-2 "UPDATE audit SET ts = '2020-01-01T00:00:00Z' WHERE seq = 2" 2
tampered action-6 "UPDATE audit SET action = 'deploy.succeed' WHERE seq = 6" 6
tampered hash-4 "UPDATE audit SET hash = randomblob(32) WHERE seq = 4" 4
tampered before-null-to-empty "UPDATE audit SET \"before\" = CASE WHEN \"before\" IS NULL THEN '' ELSE NULL END WHERE seq = 1" 1
tampered delete-first "DELETE FROM audit WHERE seq = 1" 1

done_testing
