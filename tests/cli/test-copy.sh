#!/bin/bash
# SPDX-License-Identifier: MIT
# db copy FROM TO: a whole database into a new one. SQLite to SQLite, and,
# when DEPLOYDESK_TEST_PG names a PostgreSQL database (tests/pg/cluster.sh),
# SQLite to PostgreSQL and back: each copy has its source's audit head,
# audit verify passes on it, and it goes on from there (a deployment
# planned, a freeze whose id is never one given before). What it refuses,
# leaving nothing behind: a target that is not empty (a file, a schema),
# the same location twice, missing operands, --db, someone who is not an
# admin, a server that does not answer (its password never said), a
# source whose schema was changed; a copy that fails half-way leaves no
# file and an empty schema. A source whose data was changed by hand is
# copied as it is: audit verify finds the same change in the copy.
# Usage: test-copy.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/source.db

# head_of LOCATION: a database's audit head as its checkpoint names it:
# the database's id, its last record and that record's hash.
head_of() {
	"$DD" --db "$1" audit checkpoint 2>/dev/null | cut -d' ' -f3-5
}

# The files of the work directory whose name begins with $1.
files_like() {
	(cd "$WORK" && ls -A | grep -F -- "$1")
}

# copied DESC FROM TO: the copy is made (exit 0, one line on stderr
# saying so, nothing on stdout), audit verify passes on it, and its head
# is FROM's.
copied() {
	local desc=$1 from=$2 to=$3 want
	want=$(head_of "$from")
	run "$DD" db copy "$from" "$to"
	COPY_ERR=$RAW_ERR
	if [ "$RC" -eq 0 ] && err_one_line && [[ $ERR == Copied* ]] && [ ! -s "$WORK/.out" ]; then
		pass "$desc: exit 0, one line on stderr saying so"
	else
		fail "$desc: exit 0, one line on stderr saying so" "$(run_diag)"
	fi
	run "$DD" --db "$to" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "$desc: audit verify passes on the copy"
	isnt "$want" "" "$desc: the source has a head"
	is "$(head_of "$to")" "$want" "$desc: the copy's head is the source's"
}

# ---------------------------------------------------------------- a source

expect_ok "init --demo" dk init --demo
DEV=$(dk --as mmartin deploy create ERP --version v2.0.0 --env DEV \
	--description "Copied along" --responsible jdupont \
	--date "2026-03-01 10:00" 2>/dev/null)
like "$DEV" "$UUID_RE" "a deployment planned as mmartin"
expect_ok "... authorized as mmartin" dk --as mmartin deploy authorize "$DEV"
expect_ok "... started as jdupont" dk --as jdupont deploy start "$DEV"
expect_ok "... succeeded as jdupont" dk --as jdupont deploy succeed "$DEV" --logs "all fine, éàü"
expect_ok "freeze 1 added" dk freeze add ERP --reason "Inventory" \
	--from "2026-12-24 00:00" --to "2026-12-26 00:00"
expect_ok "freeze 2 added" dk freeze add ERP --reason "Mistake" \
	--from "2026-12-28 00:00" --to "2026-12-29 00:00"
expect_ok "... and removed: its id is not given again" dk freeze remove 2
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "the source's trail is intact"
HEAD=$(head_of "$DB")
like "$HEAD" '^[0-9a-f-]{36} [0-9]+ [0-9a-f]{64}$' "the source's head: $HEAD"

# ---------------------------------------------------------------- SQLite

dump_db "$DB" >"$WORK/source.dump"
copied "SQLite to SQLite" "$DB" "$WORK/copy.db"
dump_db "$DB" >"$WORK/source.dump2"
check "nothing was written to the source" cmp -s "$WORK/source.dump" "$WORK/source.dump2"
is "$(files_like copy.db)" "copy.db" "no temporary file left next to the copy"
is "$(sqlite3 "$WORK/copy.db" "SELECT group_concat(rowid || ':' || id) FROM (SELECT rowid, id FROM tasks ORDER BY rowid)")" \
	"$(sqlite3 "$DB" "SELECT group_concat(rowid || ':' || id) FROM (SELECT rowid, id FROM tasks ORDER BY rowid)")" \
	"the deployments keep their ids and rowids"
is "$(dk --format csv deploy list ERP --search "éàü")" \
	"$("$DD" --db "$WORK/copy.db" --format csv deploy list ERP --search "éàü")" \
	"the search finds the same deployments in the copy"
run "$DD" --db "$WORK/copy.db" freeze add ERP --reason "After the copy" \
	--from "2027-01-04 00:00" --to "2027-01-05 00:00"
is "$RC:$ERR" "0:Added freeze 3" "a freeze added to the copy is freeze 3, not the removed 2"

run "$DD" --format json db copy "$DB" "$WORK/copy2.db"
is "$RC" 0 "--format json: exit 0"
is "$(jget from):$(jget to):$(jget head_seq):$(jget head_hash)" \
	"$DB:$WORK/copy2.db:$(cut -d' ' -f2 <<<"$HEAD"):$(cut -d' ' -f3 <<<"$HEAD")" \
	"... a record of the two databases and the head"
like "$(jget rows)" '^[1-9][0-9]*$' "... and of the rows copied"
run "$DD" db copy "sqlite:$DB" "sqlite:$WORK/copy3.db"
is "$RC:$(head_of "$WORK/copy3.db")" "0:$HEAD" "sqlite:PATH on both sides"

# ---------------------------------------------------------------- refused

sum() { sha256sum "$1" | cut -d' ' -f1; }
COPY_SUM=$(sum "$WORK/copy.db")
refused 2 'copy.db already exists: not replacing it' "a file at TO" \
	"$DD" db copy "$DB" "$WORK/copy.db"
is "$(sum "$WORK/copy.db")" "$COPY_SUM" "... which is left as it was"
refused 2 'FROM and TO name the same database' "FROM and TO the same" \
	"$DD" db copy "$DB" "$DB"
refused 2 'db copy: FROM is missing' "no operand" "$DD" db copy
refused 2 'db copy: TO is missing' "no TO" "$DD" db copy "$DB"
refused 2 'db copy: TO is empty' "an empty TO" "$DD" db copy "$DB" ""
refused 2 '--db does not apply' "--db with db copy" \
	"$DD" --db "$DB" db copy "$DB" "$WORK/other.db"
refused 3 'only an admin may copy the database' "a project manager (--as mmartin)" \
	"$DD" --as mmartin db copy "$DB" "$WORK/other.db"
refused 1 'does not exist' "a FROM that does not exist" \
	"$DD" db copy "$WORK/none.db" "$WORK/other.db"
# A password in TO is never said, even when the server does not answer.
refused 1 'cannot connect to the PostgreSQL server' "a server that does not answer" \
	"$DD" db copy "$DB" 'postgresql://ddcopy:s3cr3t-pw@127.0.0.1:1/nowhere'
check "... its password is not said" test "${RAW_ERR/s3cr3t-pw/}" = "$RAW_ERR"
is "$(files_like other.db)$(files_like none.db)" "" "nothing was made by the refusals"

# A schema changed outside deploydesk: its columns are not known.
cp "$DB" "$WORK/changed.db"
sqlite3 "$WORK/changed.db" "CREATE TABLE notes (x TEXT)"
run "$DD" db copy "$WORK/changed.db" "$WORK/changed-copy.db"
is "$RC" 1 "a source whose schema was changed: exit 1"
like "$ERR" 'not copying .*changed\.db: its schema was changed outside deploydesk' "... saying so"
is "$(files_like changed-copy)" "" "... and nothing is made"

# A copy that fails half-way leaves no file: a deployment that fixes an
# incident that is not there (written with the foreign keys off).
cp "$DB" "$WORK/broken.db"
sqlite3 "$WORK/broken.db" "PRAGMA foreign_keys = OFF;
	UPDATE tasks SET fixes = '00000000-0000-0000-0000-000000000000' WHERE id = '$DEV'"
run "$DD" db copy "$WORK/broken.db" "$WORK/broken-copy.db"
is "$RC" 1 "a row the copy cannot take: exit 1"
like "$ERR" 'cannot copy table tasks: .*FOREIGN KEY' "... naming the table and why"
is "$(files_like broken-copy)" "" "... and no file is left, not even a temporary one"

# A source whose data was changed by hand is copied as it is: audit
# verify finds the same change in the copy.
cp "$DB" "$WORK/tampered.db"
sqlite3 "$WORK/tampered.db" "UPDATE users SET full_name = 'Mallory' WHERE login = 'lbernard'"
run "$DD" --db "$WORK/tampered.db" --format json audit verify
TAMPERED="$RC:$(jget intact):$(jget first_bad):$(jget table):$(jget row):$(jget column)"
like "$TAMPERED" '^1:false:.*:users:.*:full_name$' "a name changed by hand: audit verify fails on the source"
expect_ok "... the source is copied all the same" "$DD" db copy "$WORK/tampered.db" "$WORK/tampered-copy.db"
run "$DD" --db "$WORK/tampered-copy.db" --format json audit verify
is "$RC:$(jget intact):$(jget first_bad):$(jget table):$(jget row):$(jget column)" "$TAMPERED" \
	"... and audit verify finds the same change in the copy"

# ---------------------------------------------------------------- PostgreSQL

PG=${DEPLOYDESK_TEST_PG:-}
if [ -z "$PG" ]; then
	skip "SQLite to PostgreSQL and back: DEPLOYDESK_TEST_PG is not set (tests/pg/cluster.sh starts a server)"
	done_testing
fi
if ! command -v psql >/dev/null; then
	skip "SQLite to PostgreSQL and back: psql is needed"
	done_testing
fi

# Schemas of this run's own, dropped at the end.
SCHEMAS=()
psql_do() {
	psql "$PG" -qAtX -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
drop_schemas() {
	local s
	for s in "${SCHEMAS[@]}"; do
		psql_do "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null
	done
}
trap 'drop_schemas; cleanup' EXIT
# schema NAME: an empty schema, and its location in $LOC.
schema() {
	local s=dd_copy_$$_$1
	SCHEMAS+=("$s")
	psql_do "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null ||
		{ echo "Bail out! cannot make schema $s"; exit 1; }
	if [[ $PG == *\?* ]]; then
		LOC="$PG&options=-csearch_path%3D$s"
	else
		LOC="$PG?options=-csearch_path%3D$s"
	fi
}
# tables_in NAME: how many tables, views, sequences... schema NAME holds.
tables_in() {
	psql_do "SELECT count(*) FROM pg_class WHERE relnamespace = 'dd_copy_$$_$1'::regnamespace"
}

schema a
A=$LOC
copied "SQLite to PostgreSQL" "$DB" "$A"
check "... the location is not said (it may hold a password)" \
	test "${COPY_ERR/search_path/}" = "$COPY_ERR"
dump_db "$DB" >"$WORK/source.dump2"
check "... nothing was written to the source" cmp -s "$WORK/source.dump" "$WORK/source.dump2"
is "$(psql_do "SELECT string_agg(rowid || ':' || id, ',' ORDER BY rowid) FROM dd_copy_$$_a.tasks")" \
	"$(sqlite3 "$DB" "SELECT group_concat(rowid || ':' || id) FROM (SELECT rowid, id FROM tasks ORDER BY rowid)")" \
	"... the deployments keep their ids and rowids"
is "$("$DD" --db "$A" --format csv deploy list ERP --search "éàü")" \
	"$(dk --format csv deploy list ERP --search "éàü")" \
	"... the search finds the same deployments"

# The copy goes on: its identities are past the ids copied.
NEW=$("$DD" --db "$A" --as mmartin deploy create ERP --version v2.1.0 \
	--env TEST --description "Planned on the copy" --responsible jdupont \
	--date "2026-04-01 10:00" 2>/dev/null)
like "$NEW" "$UUID_RE" "a deployment planned on the PostgreSQL copy"
is "$(psql_do "SELECT rowid > 6 FROM dd_copy_$$_a.tasks WHERE id = '$NEW'")" "t" \
	"... numbered after the deployments copied"
run "$DD" --db "$A" freeze add ERP --reason "On the server" \
	--from "2027-01-04 00:00" --to "2027-01-05 00:00"
is "$RC:$ERR" "0:Added freeze 3" "a freeze added there is freeze 3, not the removed 2"
expect_ok "a person registered there" "$DD" --db "$A" user add zoe --name "Zoé Zed"
run "$DD" --db "$A" --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify passes after those changes"

copied "PostgreSQL back to SQLite" "$A" "$WORK/back.db"
run "$DD" --db "$WORK/back.db" freeze add ERP --reason "Back home" \
	--from "2027-02-01 00:00" --to "2027-02-02 00:00"
is "$RC:$ERR" "0:Added freeze 4" "a freeze added to it is freeze 4"
schema b
copied "PostgreSQL to PostgreSQL" "$A" "$LOC"

# Refused: a schema that is not empty, with or without deploydesk in it.
A_HEAD=$(head_of "$A")
run "$DD" db copy "$DB" "$A"
is "$RC" 2 "a schema that holds deploydesk's tables: exit 2"
like "$ERR" 'already holds tables' "... saying so"
is "$(head_of "$A")" "$A_HEAD" "... and leaving it as it was"
schema c
psql_do "CREATE TABLE dd_copy_$$_c.other (x int)" >/dev/null
run "$DD" db copy "$DB" "$LOC"
is "$RC" 2 "a schema that holds another table: exit 2"
like "$ERR" 'already holds tables' "... saying so"
is "$(tables_in c)" 1 "... and leaving it as it was"
run "$DD" db copy "$A" "$A"
is "$RC" 2 "the same server's database twice: exit 2"
like "$ERR" 'FROM and TO name the same database' "... saying so"
check "... its location not said" test "${RAW_ERR/search_path/}" = "$RAW_ERR"

# A copy that fails half-way leaves the schema empty: text that is not
# UTF-8, which SQLite keeps and PostgreSQL refuses.
cp "$DB" "$WORK/latin1.db"
sqlite3 "$WORK/latin1.db" "UPDATE tasks SET description = CAST(X'C974C3' AS TEXT) WHERE id = '$DEV'"
schema d
run "$DD" db copy "$WORK/latin1.db" "$LOC"
is "$RC" 1 "a row the server refuses: exit 1"
like "$ERR" 'cannot copy table tasks' "... naming the table"
is "$(tables_in d)" 0 "... and the schema is left empty"

# A source changed by hand: the same finding on the server.
schema e
expect_ok "the source changed by hand, copied to PostgreSQL" "$DD" db copy "$WORK/tampered.db" "$LOC"
run "$DD" --db "$LOC" --format json audit verify
is "$RC:$(jget intact):$(jget first_bad):$(jget table):$(jget row):$(jget column)" "$TAMPERED" \
	"... audit verify finds the same change there"

done_testing
