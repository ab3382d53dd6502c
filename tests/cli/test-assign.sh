#!/bin/bash
# SPDX-License-Identifier: MIT
# Handing an incident to another person (incident assign): who may (an
# admin, the project's manager, the incident's responsible person), to
# whom (a member who acts in the project, never a viewer), what the trail
# records, and that audit verify finds a responsible person changed by SQL
# or an assignment the rules did not allow, even re-hashed.
# Usage: test-assign.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/assign.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "user add zoe (not a member of ERP)" dk user add zoe --name "Zoé Outsider"
INC=$(dk --format csv incident list ERP | sed -n '2s/,.*//p')
check "the demo's incident" test -n "$INC"
resp() { dk --format json incident show "$INC" | jget responsible /dev/stdin; }
is "$(resp)" "jdupont" "its responsible person is jdupont (the deployment's)"

# ---------------------------------------------------------------- who may

refused 3 "^deploydesk: only an admin, the project manager of project ERP or the incident's responsible person \(jdupont\) may hand it to someone else$" \
	"a developer who is not its responsible person" dk --as lbernard incident assign "$INC" lbernard
refused 3 "may hand it to someone else" "a viewer" dk --as cpetit incident assign "$INC" lbernard
run dk --as jdupont incident assign "$INC" lbernard
is "$RC:$OUT" "0:" "its responsible person hands it to lbernard: nothing on stdout"
is "$ERR" "INCIDENT - Échec déploiement v1.1.8: handed to Lucas Bernard (lbernard)" "... says so on stderr"
is "$(resp)" "lbernard" "... lbernard is its responsible person"
refused 3 "responsible person \(lbernard\)" "jdupont, no longer its responsible person" \
	dk --as jdupont incident assign "$INC" jdupont
run dk --as lbernard incident set "$INC" EN_COURS
rc_is 0 "lbernard, now responsible, may change its status"
run dk --as mmartin incident assign "$INC" jdupont
is "$RC:$(resp)" "0:jdupont" "the project's manager hands it back to jdupont"
run dk incident assign "$INC" mmartin
is "$RC:$(resp)" "0:mmartin" "an admin hands it to the manager"

# ---------------------------------------------------------------- to whom

refused 2 "^deploydesk: responsible: 'cpetit' is a viewer of project ERP; the responsible person is its manager or one of its developers$" \
	"to a viewer" dk incident assign "$INC" cpetit
refused 2 "^deploydesk: responsible: 'zoe' is not a member of project ERP$" \
	"to someone outside the project" dk incident assign "$INC" zoe
refused 2 "^deploydesk: responsible: no user 'ghost'$" "to no one registered" dk incident assign "$INC" ghost
refused 5 "^deploydesk: the incident's responsible person is already mmartin$" \
	"to the person it already is" dk incident assign "$INC" mmartin
DEP=$(deploy_ids ERP | head -1)
refused 4 "^deploydesk: no incident with id" "a deployment's id: not found as an incident" dk incident assign "$DEP" jdupont
refused 2 "^deploydesk: incident assign: LOGIN is missing" "no login" dk incident assign "$INC"

# ---------------------------------------------------------------- the trail

run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"] == "incident.assign"]
print(" ".join("%s:%s>%s" % (x["login"], x["before"]["responsible"], x["after"]["responsible"]) for x in r))' "$WORK/.out")" \
	"jdupont:jdupont>lbernard mmartin:lbernard>jdupont root:jdupont>mmartin" \
	"each assignment is one record: who, the person before, the person after"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact after the assignments"
run dk --format json deploy show "$(dk --format json incident show "$INC" | jget deployment_id /dev/stdin)"
is "$(jget responsible)" "jdupont" "the deployment keeps its own responsible person"

if on_sqlite; then
	# A responsible person changed by SQL: the data no longer matches the trail.
	cp "$DB" "$WORK/edited.db"
	sqlite3 "$WORK/edited.db" "UPDATE tasks SET responsible = (SELECT id FROM users WHERE login = 'lbernard') WHERE id = '$INC'"
	run "$DD" --db "$WORK/edited.db" --format json audit verify
	is "$RC:$(jget intact):$(jget table):$(jget column)" "1:false:tasks:responsible" \
		"a responsible person changed by SQL: audit verify names tasks.responsible"

	# An assignment the rules did not allow (lbernard, a developer who was not
	# responsible, hands it to himself), forged in the trail and re-hashed.
	AUDIT_TRIGGERS=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
	LAST=$(sqlite3 "$DB" "SELECT max(seq) FROM audit")
	cp "$DB" "$WORK/forged.db"
	run sqlite3 "$WORK/forged.db" "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only;
		UPDATE audit SET login = 'lbernard', after = replace(after, '\"mmartin\"', '\"lbernard\"') WHERE seq = $LAST;
		UPDATE tasks SET responsible = (SELECT id FROM users WHERE login = 'lbernard') WHERE id = '$INC';
		$AUDIT_TRIGGERS"
	is "$RC" 0 "the last assignment forged by SQL"
	run "$PY" "$SRCDIR/tests/ddaudit.py" rehash "$WORK/forged.db" "$LAST"
	rc_is 0 "... and the chain re-hashed"
	run "$DD" --db "$WORK/forged.db" --format json audit verify
	is "$RC:$(jget first_bad)" "1:$LAST" "audit verify fails at the forged record"
	like "$(jget problem)" "the rules did not allow it" "... which the rules did not allow"
else
	skip "data and trail edited by SQL: SQLite's file, edited with sqlite3"
fi

# ---------------------------------------------------------------- closing needs a note

refused 2 "^deploydesk: resolution note: required to close an incident; say what was done$" \
	"closing without a note" dk incident set "$INC" TERMINEE
refused 2 "resolution note: required to close an incident" "closing with a blank note" \
	dk incident set "$INC" TERMINEE --note "  "
refused 2 "^deploydesk: note: " "a note over 1000 characters" \
	dk incident set "$INC" TERMINEE --note "$(printf 'x%.0s' $(seq 1001))"
refused 2 "^deploydesk: note: " "a note that is not UTF-8" \
	dk incident set "$INC" TERMINEE --note "$(printf 'done \xff')"
run dk incident set "$INC" TERMINEE --note $'Column renamed,\nmigration replayed\n'
rc_is 0 "closing with a note of two lines"
run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = [x for x in json.load(open(sys.argv[1])) if x["action"] == "incident.set"][-1]
print(repr(r["after"]))' "$WORK/.out")" "{'status': 'TERMINEE', 'note': 'Column renamed,\\nmigration replayed'}" \
	"the note is in the trail with the status (its last line break dropped)"
is "$(dk --format json incident show "$INC" | jget note /dev/stdin)" $'Column renamed,\nmigration replayed' \
	"incident show: the note of its closing"
run dk incident set "$INC" EN_COURS
rc_is 0 "reopening needs no note"
run dk incident set "$INC" A_FAIRE --note "waiting for the vendor"
rc_is 0 "... a note may come with any status"
is "$(dk --format json incident show "$INC" | jget note /dev/stdin)" "waiting for the vendor" \
	"incident show: the note of its last change that had one"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact with notes in the trail"

done_testing
