#!/bin/bash
# SPDX-License-Identifier: MIT
# The spec's whole workflow, end to end, on a sandbox built from scratch with
# the commands (as the README's session does), acting as each role with --as.
# Usage: test-workflow.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/wf.db
ME=$(id -un)
EXPECTED_AUDIT=$WORK/expected-audit
: >"$EXPECTED_AUDIT"

# expect_audit LOGIN ACTION ENTITY_ID: a change that must be in the trail.
expect_audit() {
	printf '%s %s %s\n' "$1" "$2" "$3" >>"$EXPECTED_AUDIT"
}

# stats_are DESC TOTAL SUCCEEDED FAILED PLANNED IN_PROGRESS: stats ERP in
# JSON, each count and the success rate (succeeded / total * 100, 0 when
# there is none).
stats_are() {
	local desc="stats $1: total $2, succeeded $3, failed $4, planned $5, in progress $6"
	local got want rate
	run dk --format json stats ERP
	got="$RC $(jget total) $(jget succeeded) $(jget failed) $(jget planned) $(jget in_progress)"
	want="0 $2 $3 $4 $5 $6"
	rate=$(jget success_rate)
	if [ "$got" = "$want" ] &&
		awk -v r="$rate" -v s="$3" -v t="$2" 'BEGIN {
			e = t ? s / t * 100 : 0
			exit !(r ~ /^[0-9]+(\.[0-9]+)?$/ && r - e < 0.005 && e - r < 0.005) }'; then
		pass "$desc, success rate $rate = $3 / $2 * 100"
	else
		fail "$desc" "want exit and counts: $want" "got: $got" "success_rate: $rate" "$(run_diag)"
	fi
}

# show_field ID KEY: one field of deploy show --format json.
show_field() {
	"$DD" --db "$DB" --format json deploy show "$1" >"$WORK/.show" 2>/dev/null
	jget "$2" "$WORK/.show"
}

# An ISO-8601 UTC time within ten minutes of now.
recent_iso() {
	[[ $1 =~ $ISO_RE ]] || return 1
	local t now
	t=$(date -u -d "${1/T/ }" +%s 2>/dev/null) || return 1
	now=$(date -u +%s)
	[ $((now - t)) -le 600 ] && [ $((t - now)) -le 600 ]
}

# ---------------------------------------------------------------- --as on a
# database that is not a sandbox

DB=$WORK/plain.db
expect_ok "init (not a sandbox) as $ME" "$DD" --db "$DB" init
refused 3 'sandbox' "--as on a database that is not a sandbox" dk --as "$ME" user list
refused 3 'sandbox' "--as on a database that is not a sandbox, for a change" \
	dk --as "$ME" user add someone --name "Some One"

# ---------------------------------------------------------------- setup

DB=$WORK/wf.db
expect_ok "init --sandbox" "$DD" --db "$DB" init --sandbox
if on_sqlite; then
	check "init --sandbox created the file" test -f "$DB"
else
	check "init --sandbox made the schema" test "$(dbq "SELECT count(*) FROM users")" = 1
fi
expect_audit "$ME" database.init "$ME"

for u in "mmartin:Marie Martin" "jdupont:Jean Dupont" "lbernard:Lucas Bernard" "cpetit:Claire Petit"; do
	expect_ok "user add ${u%%:*}" dk user add "${u%%:*}" --name "${u#*:}"
	expect_audit "$ME" user.add "${u%%:*}"
done
refused 3 'admin' "user add by a non-admin (mmartin)" dk --as mmartin user add eve --name Eve
refused 4 'eve' "--as an unknown user" dk --as eve deploy list ERP

expect_ok "project add ERP" dk project add ERP --name "Refonte ERP"
run dk --format json project list
PROJECT_ID=$(jget 0.id)
like "$PROJECT_ID" "$UUID_RE" "project list gives ERP's id"
is "$(jget 0.code)" ERP "project list: code ERP"
is "$(jget 0.name)" "Refonte ERP" "project list: name"
expect_audit "$ME" project.add "$PROJECT_ID"

refused 3 'admin|manager' "member add by a developer who is no member yet (lbernard)" \
	dk --as lbernard member add ERP lbernard --role chef
for m in mmartin:chef jdupont:dev-senior lbernard:dev cpetit:viewer; do
	expect_ok "member add ERP ${m%%:*} --role ${m#*:}" dk member add ERP "${m%%:*}" --role "${m#*:}"
	expect_audit "$ME" member.set "${m%%:*}"
done
run dk --format json member list ERP
is "$("$PY" -c 'import json,sys
print(" ".join("%s:%s:%s" % (m["login"], m["role"], m["senior"]) for m in sorted(json.load(open(sys.argv[1])), key=lambda m: m["login"])))' "$WORK/.out")" \
	"cpetit:AUTRE:False jdupont:DEVELOPPEUR:True lbernard:DEVELOPPEUR:False mmartin:CHEF_PROJET:False" \
	"member list: the four roles"

stats_are "of a new project" 0 0 0 0 0
is "$(jkeys | tr '\n' ' ')" "total succeeded failed planned in_progress success_rate cancelled refused " "stats --format json: its keys (the spec's, then the deployments closed unexecuted)"

# ---------------------------------------------------------------- create

CREATE=(--version v1.2.0 --env PROD --description "Déploiement version 1.2.0"
	--responsible jdupont --date "2026-02-06 14:00")
refused 5 'TESTS' "create before TESTS is TERMINEE (chef)" dk --as mmartin deploy create ERP "${CREATE[@]}"
refused 5 'TESTS' "create before TESTS is TERMINEE (admin)" dk deploy create ERP "${CREATE[@]}"
refused 3 'admin|manager' "stage set by a developer" dk --as lbernard stage set ERP TESTS TERMINEE
expect_ok "stage set ERP TESTS TERMINEE" dk stage set ERP TESTS TERMINEE
TESTS_STAGE=$(dbq "SELECT id FROM stages WHERE code = 'TESTS'")
expect_audit "$ME" stage.set "$TESTS_STAGE"
refused 5 "^deploydesk: the status of stage TESTS of project ERP is already Finished\$" \
	"stage set to the status it already has" dk stage set ERP TESTS TERMINEE
run dk --format json stage list ERP
is "$(jget 2.stage):$(jget 2.status)" "TESTS:TERMINEE" "stage list: TESTS is TERMINEE"

refused 3 'admin|manager' "create by a developer (lbernard)" dk --as lbernard deploy create ERP "${CREATE[@]}"
refused 3 'admin|manager' "create by a senior developer (jdupont)" dk --as jdupont deploy create ERP "${CREATE[@]}"
refused 3 'admin|manager' "create by a viewer (cpetit)" dk --as cpetit deploy create ERP "${CREATE[@]}"

run dk --as mmartin deploy create ERP "${CREATE[@]}"
rc_is 0 "create by the chef (mmartin) after TESTS is TERMINEE"
D1=$OUT
like "$D1" "$UUID_RE" "create prints only the deployment's id"
is "$(wc -l <"$WORK/.out")" 1 "create prints one line"
expect_audit mmartin deploy.create "$D1"
stats_are "after one create" 1 0 0 1 0

# ---------------------------------------------------------------- show json

run dk --format json deploy show "$D1"
rc_is 0 "deploy show --format json"
check "deploy show --format json is JSON" json_valid
keys=$(jkeys | tr '\n' ' ')
for k in id project version environment status description responsible planned_at \
	authorized_by authorized_at executed_by executed_at logs incident_id; do
	like " $keys" " $k " "deploy show json has key $k"
done
is "$(jget id)" "$D1" "show: id"
is "$(jget project)" ERP "show: project"
is "$(jget version)" v1.2.0 "show: version"
is "$(jget environment)" PROD "show: environment"
is "$(jget status)" A_FAIRE "show: status A_FAIRE"
is "$(jget description)" "Déploiement version 1.2.0" "show: description (UTF-8 intact)"
is "$(jget responsible)" jdupont "show: responsible"
is "$(jget planned_at)" "2026-02-06T14:00:00Z" "show: planned_at in ISO-8601 UTC"
for k in authorized_by authorized_at executed_by executed_at logs incident_id; do
	is "$(jget $k)" null "show: $k is null before it is set"
done

# The date is read in the local time zone and stored in UTC.
if [ -f /usr/share/zoneinfo/Europe/Paris ]; then
	run env TZ=Europe/Paris "$DD" --db "$DB" --as mmartin deploy create ERP --version tz-check \
		--env DEV --description "time zone" --responsible jdupont --date "2026-02-06 14:00"
	rc_is 0 "create with TZ=Europe/Paris"
	DTZ=$OUT
	expect_audit mmartin deploy.create "$DTZ"
	is "$(show_field "$DTZ" planned_at)" "2026-02-06T13:00:00Z" "14:00 in Paris (winter) is stored as 13:00Z"
	run env TZ=Europe/Paris "$DD" --db "$DB" --as mmartin deploy create ERP --version tz-check2 \
		--env DEV --description "time zone" --responsible jdupont --date "2026-07-06 14:00"
	DTZ2=$OUT
	expect_audit mmartin deploy.create "$DTZ2"
	is "$(show_field "$DTZ2" planned_at)" "2026-07-06T12:00:00Z" "14:00 in Paris (summer) is stored as 12:00Z"
	TZ_EXTRA=2
else
	skip "no tzdata for Europe/Paris"
	TZ_EXTRA=0
fi
stats_are "with the time zone deployments" $((1 + TZ_EXTRA)) 0 0 $((1 + TZ_EXTRA)) 0

# ---------------------------------------------------------------- execute
# before authorization

refused 5 'authori' "start of an unauthorized deployment (senior dev)" dk --as jdupont deploy start "$D1"
refused 5 'authori' "succeed of an unauthorized deployment (senior dev)" dk --as jdupont deploy succeed "$D1" --logs x
refused 5 'authori' "fail of an unauthorized deployment (senior dev)" dk --as jdupont deploy fail "$D1" --logs x
refused 5 'authori' "succeed of an unauthorized deployment (admin)" dk deploy succeed "$D1" --logs x

# ---------------------------------------------------------------- authorize

refused 3 'admin|manager' "authorize by a developer (lbernard)" dk --as lbernard deploy authorize "$D1"
refused 3 'admin|manager' "authorize by a senior developer (jdupont)" dk --as jdupont deploy authorize "$D1"
refused 3 'admin|manager' "authorize by a viewer (cpetit)" dk --as cpetit deploy authorize "$D1"
run dk --as mmartin deploy authorize "$D1"
rc_is 0 "authorize by the chef (mmartin)"
is "$OUT" "" "authorize prints nothing on stdout"
is "$ERR" "Authorized v1.2.0 (Production)" "... and says what it did on stderr"
expect_audit mmartin deploy.authorize "$D1"
is "$(show_field "$D1" status)" A_FAIRE "after authorize the status stays A_FAIRE"
is "$(show_field "$D1" authorized_by)" mmartin "authorized_by is mmartin"
check "authorized_at is a recent ISO-8601 UTC time" recent_iso "$(show_field "$D1" authorized_at)"
is "$(show_field "$D1" executed_by)" null "executed_by still null"
refused 5 'already authorized' "authorize again (chef)" dk --as mmartin deploy authorize "$D1"
refused 5 'already authorized' "authorize again (admin)" dk deploy authorize "$D1"
stats_are "after authorize (still planned)" $((1 + TZ_EXTRA)) 0 0 $((1 + TZ_EXTRA)) 0
run dk --format json deploy list ERP --status A_FAIRE
is "$("$PY" -c 'import json,sys
print([d["authorized"] for d in json.load(open(sys.argv[1])) if d["id"] == sys.argv[2]])' "$WORK/.out" "$D1")" \
	"[True]" "deploy list shows it authorized"

# ---------------------------------------------------------------- start and
# succeed: only an admin or a senior developer

for who in lbernard cpetit mmartin; do
	refused 3 'admin|senior' "start by $who" dk --as "$who" deploy start "$D1"
	refused 3 'admin|senior' "succeed by $who" dk --as "$who" deploy succeed "$D1" --logs "ok"
	refused 3 'admin|senior' "fail by $who" dk --as "$who" deploy fail "$D1" --logs "ko"
done
run dk --as jdupont deploy start "$D1"
rc_is 0 "start by the senior developer (jdupont)"
is "$OUT" "" "start prints nothing on stdout"
is "$ERR" "Started v1.2.0 (Production)" "... and says what it did on stderr"
expect_audit jdupont deploy.start "$D1"
is "$(show_field "$D1" status)" EN_COURS "after start: EN_COURS"
stats_are "after start" $((1 + TZ_EXTRA)) 0 0 $((0 + TZ_EXTRA)) 1
refused 5 'in progress' "start again" dk --as jdupont deploy start "$D1"
refused 5 'already authorized' "authorize while in progress" dk --as mmartin deploy authorize "$D1"

run dk --as jdupont deploy succeed "$D1" --logs "Deployed v1.2.0: 12 services restarted"
rc_is 0 "succeed with --logs by the senior developer"
is "$OUT" "" "succeed prints nothing on stdout"
is "$ERR" "Recorded the success of v1.2.0 (Production)" "... and says what it did on stderr"
expect_audit jdupont deploy.succeed "$D1"
run dk --format json deploy show "$D1"
is "$(jget status)" TERMINEE "after succeed: TERMINEE"
is "$(jget executed_by)" jdupont "executed_by jdupont"
check "executed_at is a recent ISO-8601 UTC time" recent_iso "$(jget executed_at)"
is "$(jget logs)" "Deployed v1.2.0: 12 services restarted" "the logs are stored"
is "$(jget incident_id)" null "no incident after a success"
is "$(jget authorized_by)" mmartin "authorized_by kept"
stats_are "after a success" $((1 + TZ_EXTRA)) 1 0 $((0 + TZ_EXTRA)) 0
refused 5 'already executed' "succeed again" dk --as jdupont deploy succeed "$D1" --logs x
refused 5 'already executed' "fail after success" dk --as jdupont deploy fail "$D1" --logs x
refused 5 'already|executed|TERMINEE' "start after success" dk --as jdupont deploy start "$D1"
run dk --format json incident list ERP
is "$OUT" "[]" "no incident yet"

# ---------------------------------------------------------------- fail with
# --logs-file, from A_FAIRE; the responsible is lbernard (not the executor)

run dk --as mmartin deploy create ERP --version v1.2.1 --env TEST \
	--description "Correctifs" --responsible lbernard --date "2026-02-07 09:30"
rc_is 0 "create a second deployment (responsible lbernard)"
D2=$OUT
expect_audit mmartin deploy.create "$D2"
expect_ok "authorize it (admin)" dk deploy authorize "$D2"
expect_audit "$ME" deploy.authorize "$D2"
LOG1=$WORK/deploy.log
printf 'Step 1: ok\nStep 2: migration échouée: ERROR 1062\n\ttab, "quotes" and <tags>\n' >"$LOG1"
run dk --as jdupont deploy fail "$D2" --logs-file "$LOG1"
rc_is 0 "fail with --logs-file, from A_FAIRE"
I2=$OUT
like "$I2" "$UUID_RE" "fail prints only the incident's id"
is "$(wc -l <"$WORK/.out")" 1 "fail prints one line"
expect_audit jdupont deploy.fail "$D2"
expect_audit jdupont incident.create "$I2"

run dk --format json incident show "$I2"
rc_is 0 "incident show --format json"
is "$(jget id)" "$I2" "incident: id"
is "$(jget name)" "INCIDENT - Échec déploiement v1.2.1" "incident: name"
is "$(jget status)" A_FAIRE "incident: status A_FAIRE"
is "$(jget priority)" HAUTE "incident: priority HAUTE"
is "$(jget responsible)" lbernard "incident: responsible is the deployment's (lbernard), not the executor"
is "$(jget deployment_id)" "$D2" "incident: linked to its deployment"
{
	printf 'Le déploiement de la version v1.2.1 sur TEST a échoué.\n\nLogs:\n'
	cat "$LOG1"
} >"$WORK/expected-desc2"
jis description "$WORK/expected-desc2" "incident: description is the spec's text followed by the logs, exactly"

run dk --format json deploy show "$D2"
is "$(jget status)" ECHEC "after fail: ECHEC"
is "$(jget incident_id)" "$I2" "the deployment points to its incident"
is "$(jget executed_by)" jdupont "executed_by jdupont"
is "$(jget started_by)" null "never started (failed from A_FAIRE)"
check "executed_at is a recent ISO-8601 UTC time" recent_iso "$(jget executed_at)"
jis logs "$LOG1" "the deployment keeps the logs file's content exactly"
stats_are "after a failure" $((2 + TZ_EXTRA)) 1 1 $((0 + TZ_EXTRA)) 0
refused 5 'already executed' "fail again" dk --as jdupont deploy fail "$D2" --logs x
refused 5 'already executed' "succeed after failure" dk deploy succeed "$D2" --logs x

# ---------------------------------------------------------------- fail with
# --logs-file - (standard input), from EN_COURS, started by an admin

run dk deploy create ERP --version v1.2.2-rc.1 --env PREPROD \
	--description "Release candidate" --responsible jdupont --date "2026-02-08 18:45"
rc_is 0 "create by an admin"
D3=$OUT
expect_audit "$ME" deploy.create "$D3"
expect_ok "authorize by the chef" dk --as mmartin deploy authorize "$D3"
expect_audit mmartin deploy.authorize "$D3"
expect_ok "start by an admin" dk deploy start "$D3"
expect_audit "$ME" deploy.start "$D3"
stats_are "with one in progress" $((3 + TZ_EXTRA)) 1 1 $((0 + TZ_EXTRA)) 1
LOG2=$WORK/stdin.log
printf 'Timeout after 300 s\n\nrollback done — état restauré ✓' >"$LOG2"
run dk --as jdupont deploy fail "$D3" --logs-file - <"$LOG2"
rc_is 0 "fail with --logs-file - (standard input), from EN_COURS"
I3=$OUT
like "$I3" "$UUID_RE" "fail prints the incident's id"
expect_audit jdupont deploy.fail "$D3"
expect_audit jdupont incident.create "$I3"
run dk --format json incident show "$I3"
is "$(jget name)" "INCIDENT - Échec déploiement v1.2.2-rc.1" "incident 2: name"
is "$(jget status):$(jget priority):$(jget responsible)" "A_FAIRE:HAUTE:jdupont" "incident 2: A_FAIRE, HAUTE, responsible jdupont"
{
	printf 'Le déploiement de la version v1.2.2-rc.1 sur PREPROD a échoué.\n\nLogs:\n'
	cat "$LOG2"
} >"$WORK/expected-desc3"
jis description "$WORK/expected-desc3" "incident 2: description with the logs read from standard input, exactly"
run dk --format json deploy show "$D3"
jis logs "$LOG2" "the deployment keeps the logs read from standard input exactly"
is "$(jget status):$(jget started_by):$(jget executed_by)" "ECHEC:$ME:jdupont" "started by the admin, executed by jdupont"
stats_are "after two failures" $((3 + TZ_EXTRA)) 1 2 $((0 + TZ_EXTRA)) 0

# ---------------------------------------------------------------- CSV is
# RFC 4180: a comma, a quote and a newline round-trip

DESC4=$'Étape 1, puis 2\nil a dit "OK"\r\nfin; ok'
VER4='v2.0,"beta"'
run dk --as mmartin deploy create ERP --version "$VER4" --env DEV \
	--description "$DESC4" --responsible jdupont --date "2026-03-01 08:00"
rc_is 0 "create with a comma, a quote and newlines in the description"
D4=$OUT
expect_audit mmartin deploy.create "$D4"
stats_are "with one more planned (rate = 1 / total)" $((4 + TZ_EXTRA)) 1 2 $((1 + TZ_EXTRA)) 0
printf '%s' "$DESC4" >"$WORK/desc4"
run dk --format csv deploy show "$D4"
rc_is 0 "deploy show --format csv"
is "$("$PY" - "$WORK/.out" "$WORK/desc4" "$D4" "$VER4" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))
want = open(sys.argv[2], newline="", encoding="utf-8").read()
if len(rows) != 2:
    print("%d CSV records, want 2: %r" % (len(rows), rows)); sys.exit()
rec = dict(zip(rows[0], rows[1]))
bad = []
if len(rows[0]) != len(rows[1]): bad.append("header and record differ in length")
if rec.get("description") != want: bad.append("description %r" % rec.get("description"))
if rec.get("id") != sys.argv[3]: bad.append("id %r" % rec.get("id"))
if rec.get("version") != sys.argv[4]: bad.append("version %r" % rec.get("version"))
if rec.get("status") != "A_FAIRE": bad.append("status %r" % rec.get("status"))
print("; ".join(bad) or "ok")
EOF
)" ok "CSV deploy show round-trips the description, version and id (python csv)"
check "CSV records end with CRLF" grep -q $'\r$' "$WORK/.out"
run dk --format csv deploy list ERP
rc_is 0 "deploy list --format csv"
is "$("$PY" - "$WORK/.out" "$D4" "$VER4" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))
mine = [r for r in rows if r["id"] == sys.argv[2]]
print(len(rows), mine[0]["version"] == sys.argv[3] if mine else "missing",
      sorted({r["status"] for r in rows}))
EOF
)" "$((4 + TZ_EXTRA)) True ['A_FAIRE', 'ECHEC', 'TERMINEE']" "CSV deploy list: one record per deployment, the version round-trips"
run dk --format csv incident list ERP
is "$("$PY" - "$WORK/.out" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))
print(len(rows), sorted(r["name"] for r in rows))
EOF
)" "2 ['INCIDENT - Échec déploiement v1.2.1', 'INCIDENT - Échec déploiement v1.2.2-rc.1']" \
	"CSV incident list: the two incidents, names intact"
run dk --format json deploy list ERP --status ECHEC
is "$("$PY" -c 'import json,sys; print(sorted(d["id"] for d in json.load(open(sys.argv[1]))))' "$WORK/.out")" \
	"$("$PY" -c 'import sys; print(sorted(sys.argv[1:]))' "$D2" "$D3")" "deploy list --status ECHEC"
run dk --format json deploy list ERP --env PREPROD
is "$(jget 0.id):$(jget 1.id)" "$D3:null" "deploy list --env PREPROD: only that deployment"
run dk deploy list ERP
rc_is 0 "deploy list as a table"
like "$OUT" "v1\.2\.0" "the table shows the versions"

# ---------------------------------------------------------------- id prefixes

ALL_IDS=$(dbq "SELECT id FROM tasks")
# A deployment whose first 4 characters are shared by no other task.
U=$(for i in $(deploy_ids ERP); do
	[ "$(grep -c "^${i:0:4}" <<<"$ALL_IDS")" -eq 1 ] && { echo "$i"; break; }
done)
run dk --format json deploy show "${U:0:4}"
rc_is 0 "deploy show with a 4-character prefix"
is "$(jget id)" "$U" "the prefix finds the deployment"
up=${U:0:8}
run dk --format json deploy show "${up^^}"
is "$RC:$(jget id)" "0:$U" "an upper-case prefix works too"
refused 2 'at least 4|id' "deploy show with a 3-character prefix" dk deploy show "${U:0:3}"
refused 2 'at least 4|id' "deploy authorize with a 3-character prefix" dk --as mmartin deploy authorize "${D4:0:3}"
refused 2 'id' "deploy show with a non-hexadecimal id" dk deploy show zzzzzzzz
for c in 0000 1111 2222 3333 4444 5555 6666 7777 8888 9999 aaaa bbbb cccc dddd eeee ffff; do
	grep -q "^$c" <<<"$ALL_IDS" || { NONE=$c; break; }
done
refused 4 "no deployment" "deploy show with an unknown prefix ($NONE)" dk deploy show "$NONE"
refused 4 "no deployment" "deploy authorize with an unknown prefix" dk --as mmartin deploy authorize "${NONE}0000"
refused 4 "no deployment" "deploy show with an incident's id" dk deploy show "$I2"
refused 4 "no incident" "incident show with a deployment's id" dk incident show "$D2"
refused 4 "no incident" "incident set with a deployment's id" dk incident set "$D2" EN_COURS

if on_sqlite; then
	# An ambiguous prefix: on a copy, a second task sharing D4's first 8
	# characters (random ids make a real collision too rare to wait for).
	AMB=$WORK/ambiguous.db
	sqlite3 "$DB" ".backup '$AMB'"
	CLONE=${D4:0:8}-0000-4000-8000-000000000000
	sqlite3 "$AMB" "CREATE TEMP TABLE t AS SELECT * FROM tasks WHERE id = '$D4';
		UPDATE t SET id = '$CLONE', version = 'clone', name = 'clone';
		INSERT INTO tasks SELECT * FROM t;"
	SAVED_DB=$DB
	DB=$AMB
	refused 4 "ambiguous" "deploy show with an ambiguous 4-character prefix" dk deploy show "${D4:0:4}"
	refused 4 "ambiguous" "deploy authorize with an ambiguous 8-character prefix" dk --as mmartin deploy authorize "${D4:0:8}"
	run dk --format json deploy show "${D4:0:9}"
	is "$RC:$OUT" "4:" "9 characters (with the dash) are still ambiguous"
	run dk --format json deploy show "${D4:0:10}"
	if [ "${D4:9:1}" != 0 ]; then
		is "$RC:$(jget id)" "0:$D4" "one more character tells them apart"
	else
		is "$RC" 4 "one more character (0) is still ambiguous"
	fi
	run dk --format json deploy show "$CLONE"
	is "$RC:$(jget version)" "0:clone" "the full id of the other one works"
	DB=$SAVED_DB
else
	skip "an ambiguous prefix: made on a copy of SQLite's file"
fi

# ---------------------------------------------------------------- incidents

refused 3 "responsible|admin" "incident set by the executor, not its responsible (jdupont)" \
	dk --as jdupont incident set "$I2" EN_COURS
refused 3 "responsible|admin" "incident set by the chef, not its responsible (mmartin)" \
	dk --as mmartin incident set "$I2" EN_COURS
refused 3 "responsible|admin" "incident set by a viewer (cpetit)" dk --as cpetit incident set "$I2" TERMINEE --note "done"
expect_ok "incident set by its responsible (lbernard) to EN_COURS" dk --as lbernard incident set "$I2" EN_COURS
expect_audit lbernard incident.set "$I2"
run dk --format json incident show "$I2"
is "$(jget status)" EN_COURS "the incident is EN_COURS"
refused 5 "^deploydesk: the incident's status is already In progress\$" "incident set to the status it already has" \
	dk --as lbernard incident set "$I2" EN_COURS
refused 2 "status" "incident set to ECHEC" dk --as lbernard incident set "$I2" ECHEC
refused 2 "status" "incident set to an unknown status" dk --as lbernard incident set "$I2" FINI
expect_ok "incident set by an admin (not its responsible) to TERMINEE, with its note" dk incident set "$I3" TERMINEE --note "Rolled back by hand"
expect_audit "$ME" incident.set "$I3"
expect_ok "incident set back to A_FAIRE by its responsible (jdupont)" dk --as jdupont incident set "${I3:0:6}" A_FAIRE
expect_audit jdupont incident.set "$I3"
run dk --format json incident list ERP
is "$("$PY" -c 'import json,sys
print(sorted((i["id"], i["status"], i["priority"], i["responsible"]) for i in json.load(open(sys.argv[1]))))' "$WORK/.out")" \
	"$("$PY" -c 'import sys; print(sorted([(sys.argv[1], "EN_COURS", "HAUTE", "lbernard"), (sys.argv[2], "A_FAIRE", "HAUTE", "jdupont")]))' "$I2" "$I3")" \
	"incident list: both incidents, their status and responsible"
stats_are "unchanged by incidents" $((4 + TZ_EXTRA)) 1 2 $((1 + TZ_EXTRA)) 0

# ---------------------------------------------------------------- roles are
# per project: a project manager of ERP has no rights in CRM

expect_ok "project add CRM" dk project add CRM --name "Nouveau CRM"
run dk --format json project list
CRM_ID=$("$PY" -c 'import json,sys
print([p["id"] for p in json.load(open(sys.argv[1])) if p["code"] == "CRM"][0])' "$WORK/.out")
expect_audit "$ME" project.add "$CRM_ID"
expect_ok "member add CRM lbernard --role chef" dk member add CRM lbernard --role chef
expect_audit "$ME" member.set lbernard
expect_ok "stage set CRM TESTS TERMINEE by its chef (lbernard)" dk --as lbernard stage set CRM TESTS TERMINEE
expect_audit lbernard stage.set "$(dbq "SELECT id FROM stages WHERE code = 'TESTS' AND project_id = '$CRM_ID'")"
CREATE_CRM=(--version c1 --env DEV --description "CRM" --responsible lbernard --date "2026-04-01 09:00")
refused 3 'admin|manager' "the chef of ERP (mmartin) creates in CRM" dk --as mmartin deploy create CRM "${CREATE_CRM[@]}"
refused 3 'admin|manager' "the chef of ERP (mmartin) changes CRM's stages" dk --as mmartin stage set CRM TESTS A_FAIRE
run dk --as lbernard deploy create CRM "${CREATE_CRM[@]}"
rc_is 0 "the chef of CRM (lbernard) creates in CRM"
DC=$OUT
expect_audit lbernard deploy.create "$DC"
refused 3 'admin|manager' "the chef of ERP (mmartin) authorizes in CRM" dk --as mmartin deploy authorize "$DC"
refused 3 'admin|manager' "the chef of CRM (lbernard), a developer in ERP, authorizes in ERP" dk --as lbernard deploy authorize "$D4"
expect_ok "the chef of CRM authorizes in CRM" dk --as lbernard deploy authorize "$DC"
expect_audit lbernard deploy.authorize "$DC"
refused 3 'admin|senior' "the senior developer of ERP (jdupont) executes in CRM" dk --as jdupont deploy succeed "$DC" --logs x
stats_are "of ERP, unchanged by CRM" $((4 + TZ_EXTRA)) 1 2 $((1 + TZ_EXTRA)) 0

# ---------------------------------------------------------------- audit trail

run dk --format json audit list
rc_is 0 "audit list --format json"
"$PY" - "$WORK/.out" >"$WORK/got-audit" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["login"], r["action"], r["entity_id"])
EOF
if diff "$EXPECTED_AUDIT" "$WORK/got-audit" >"$WORK/audit.diff"; then
	pass "audit list: exactly one record per change, in order, with the right login, action and object ($(wc -l <"$EXPECTED_AUDIT") records)"
else
	fail "audit list: exactly one record per change, in order, with the right login, action and object" "$(cat "$WORK/audit.diff")"
fi
is "$("$PY" -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(all(x["seq"] == i + 1 for i, x in enumerate(r)))' "$WORK/.out")" True "audit seq numbers are 1..N"
is "$("$PY" - "$WORK/.out" "$D2" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["action"] == "deploy.fail" and r["entity_id"] == sys.argv[2]:
        a = r["after"]; b = r["before"]
        assert isinstance(a, dict) and isinstance(b, dict), "before/after are JSON objects"
        print(b["status"], a["status"], a["executed_by"], a["logs_bytes"], len(a["logs_sha256"]))
EOF
)" "A_FAIRE ECHEC jdupont $(wc -c <"$LOG1") 64" "the deploy.fail record: before and after are JSON objects, with status, executor, logs size and SHA-256"
is "$("$PY" - "$WORK/.out" "$D1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["action"] == "deploy.authorize" and r["entity_id"] == sys.argv[2]:
        a = r["after"]
        print(a["status"], a["authorized_by"])
EOF
)" "A_FAIRE mmartin" "the deploy.authorize record: status stays A_FAIRE, by mmartin"
N_AUDIT=$(wc -l <"$EXPECTED_AUDIT")

run dk --format json audit list ERP
rc_is 0 "audit list ERP"
is "$("$PY" - "$WORK/.out" "$WORK/got-audit" "$DC" <<'EOF'
import json, sys
proj = [(r["login"], r["action"], r["entity_id"]) for r in json.load(open(sys.argv[1]))]
full = [tuple(l.split()) for l in open(sys.argv[2])]
want = [x for x in full if x[1].split(".")[0] in ("deploy", "incident") and x[2] != sys.argv[3]]
got = [x for x in proj if x[1].split(".")[0] in ("deploy", "incident")]
others = sorted({x[1] for x in proj} - {x[1] for x in want} - {"stage.set", "member.set", "project.add"})
print(got == want, others)
EOF
)" "True []" "audit list ERP: every deployment and incident record of ERP, none of CRM"

run dk audit verify
rc_is 0 "audit verify"
like "$OUT" "intact" "audit verify says intact"
run dk --format json audit verify
is "$RC:$(jget intact):$(jget records):$(jget first_bad):$(jget problem)" "0:true:$N_AUDIT:null:null" \
	"audit verify --format json: intact, every record checked"

done_testing
