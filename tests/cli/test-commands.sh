#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line as its users expect it: help for every command (help
# COMMAND, COMMAND --help, -h, on standard output, exit 0), each command
# taking only its own options, "--" ending options, missing operands and
# values named, the change each command made said on standard error
# (--quiet silences it), ids as JSON, audit before/after as JSON objects,
# and --csv-safe guarding cells against spreadsheet formulas.
# Usage: test-commands.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/commands.db

# ---------------------------------------------------------------- help

run "$DD" --help
rc_is 0 "--help exits 0"
mapfile -t commands < <(sed -n '/^Commands:$/,/^$/p' "$WORK/.out" |
	sed -nE 's/^  ([a-z]+( [a-z]+)?)( [A-Z[].*| *$| {2,}.*)/\1/p' | sed -E 's/ +$//')
is "${#commands[@]}" 44 "--help lists the 44 commands"
is "${commands[*]}" "init db copy user add user list project add project list member add member list stage list stage set deploy create deploy list deploy show deploy edit deploy authorize deploy revoke deploy cancel deploy reject deploy rollback deploy start deploy succeed deploy fail incident list incident show incident set incident assign inbox envs metrics export evidence stats policy show policy set freeze add freeze list freeze remove version block version unblock version list exception list exception review audit list audit verify audit checkpoint" \
	"... in the order of the table"
like "$OUT" $'\nExit status: 0 done' "--help ends with the exit statuses"
run "$DD" -h
is "$RC:$(md5sum <"$WORK/.out")" "0:$("$DD" --help | md5sum)" "-h is --help"
run "$DD" help
is "$RC:$(md5sum <"$WORK/.out")" "0:$("$DD" --help | md5sum)" "help is --help"

for c in "${commands[@]}"; do
	read -ra words <<<"$c"
	run "$DD" help "${words[@]}"
	ok=1
	[ "$RC" -eq 0 ] && [ -z "$ERR" ] || ok=0
	[[ $OUT == "Usage: deploydesk $c"* ]] || ok=0
	[[ $OUT == *$'\nExample:\n  deploydesk '* ]] || ok=0
	# The example runs this very command.
	ex=$(sed -n '/^Example:$/{n;p}' "$WORK/.out")
	[[ $ex == *" $c "* || $ex == *" $c" ]] || ok=0
	if [ $ok = 1 ]; then
		pass "help $c: usage, then an example of $c, on stdout, exit 0"
	else
		fail "help $c: usage, then an example of $c, on stdout, exit 0" "$(run_diag)"
	fi
	help=$OUT
	run "$DD" "${words[@]}" --help
	is "$RC:$OUT" "0:$help" "$c --help: the same help"
	run "$DD" "${words[@]}" -h
	is "$RC:$OUT" "0:$help" "$c -h: the same help"
	# Every line fits 80 columns, but the usage and example (commands).
	long=$(printf '%s\n' "$help" | grep -v '^  deploydesk ' | awk 'length($0) > 79')
	is "$long" "" "help $c: its lines fit in 80 columns"
done

run "$DD" help deploy create
like "$OUT" $'\n  --env ENV +DEV, TEST, PREPROD or PROD, or its name \\(Production\\)' \
	"help deploy create: each option with its value and what it is for"
like "$OUT" '--date "YYYY-MM-DD HH:MM"' "... the date's form"
like "$OUT" 'required' "... and which are required"
run "$DD" help deploy
rc_is 0 "help deploy exits 0"
like "$OUT" "^Usage: deploydesk deploy COMMAND" "help deploy: the deploy commands"
is "$(grep -c "^  deploy " <<<"$OUT")" 12 "... all twelve of them"
run "$DD" deploy --help
is "$RC" 0 "deploy --help exits 0"
run "$DD" help stats
like "$OUT" "^Usage: deploydesk stats PROJECT" "help stats: a command with no verb"
# The help needs no database, even a broken choice of one.
run env DEPLOYDESK_DB=" " "$DD" help stats
rc_is 0 "help needs no database (DEPLOYDESK_DB blank)"
run "$DD" --db /nonexistent/dir/x.db deploy create --help
rc_is 0 "COMMAND --help needs no database either"

# In French, the help is French; the commands and options stay as typed.
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
	export DEPLOYDESK_LOCALEDIR
	DEPLOYDESK_LOCALEDIR=$(cd "$(dirname "$DD_GIVEN")" && pwd)/po
	run env LC_ALL=fr_FR.UTF-8 "$DD" help deploy create
	like "$OUT" "^Usage : deploydesk deploy create PROJECT" "in French: Usage :"
	like "$OUT" "la version, 50 caractères au plus \\(obligatoire\\)" "... the options explained in French"
	like "$OUT" $'\nExemple :\n' "... and Exemple :"
	run env LC_ALL=fr_FR.UTF-8 "$DD" --help
	like "$OUT" "Planifier un déploiement ; affiche son id" "in French: --help's list of commands"
	unset DEPLOYDESK_LOCALEDIR
else
	for i in 1 2 3 4; do skip "locale fr_FR.UTF-8 not generated"; done
fi

# The man page's version is the program's (meson.build's).
MAN=$(dirname "$DD_GIVEN")/deploydesk.1
if [ -f "$MAN" ]; then
	is "$(sed -n 's/^\.TH DEPLOYDESK 1 [^ ]* "deploydesk \([^"]*\)".*/\1/p' "$MAN")" \
		"$("$DD" --version | sed 's/^deploydesk //')" "the man page's version is deploydesk --version's"
else
	fail "the man page is built next to the program" "$MAN"
fi

# ---------------------------------------------------------------- the database

run "$DD" --db "$DB" init --demo
rc_is 0 "init --demo"
is "$OUT" "" "... prints nothing on stdout (table format)"
# On PostgreSQL, the database is named by its name and host.
if on_sqlite; then
	SHOWN_DB=$DB GENESIS_ID="SELECT json_extract(after, '\$.database_id') FROM audit WHERE seq = 1"
else
	SHOWN_DB="[^ ]+ \\(.*\\)" GENESIS_ID="SELECT CAST(after AS json)->>'database_id' FROM audit WHERE seq = 1"
fi
like "$ERR" "^Created demo sandbox $SHOWN_DB: project ERP" "... and says what it did on stderr"
db_remove "$DB"
run "$DD" --db "$DB" --format json init --demo
rc_is 0 "init --demo --format json"
like "$(jget id)" "$UUID_RE" "... prints {\"id\": the database's id}"
like "$(jget path)" "^$SHOWN_DB\$" "... and its path"
is "$(jget id)" "$(dbq "$GENESIS_ID")" \
	"... the id the first audit record holds"

refused 2 "^deploydesk: unknown command 'nope' \\(the commands: init, db, user, project, member, stage, deploy, incident, inbox, envs, metrics, export, stats, policy, freeze, version, exception, audit, help\\)" \
	"help nope" "$DD" --db "$DB" help nope
refused 2 "^deploydesk: deploy: 'nope' is not one of create, list, show, edit, authorize, revoke, cancel, reject, rollback, start, succeed, fail" \
	"help deploy nope" "$DD" --db "$DB" help deploy nope
run "$DD" help help
is "$RC:$(md5sum <"$WORK/.out")" "0:$("$DD" --help | md5sum)" "help help is --help"
run "$DD" deploy help
like "$RC:$OUT" "^0:Usage: deploydesk deploy COMMAND" "deploy help: the deploy commands (as gh says it)"
refused 2 "^deploydesk: unknown command 'stat': did you mean 'stats'\\?" "stat: did you mean stats" dk stat ERP
refused 2 "^deploydesk: unknown command 'depoly': did you mean 'deploy'\\?" "depoly: two letters swapped" dk depoly list ERP
refused 2 "^deploydesk: deploy: 'lst' is not one of create, list, show, edit, authorize, revoke, cancel, reject, rollback, start, succeed, fail: did you mean 'list'\\?" \
	"deploy lst: did you mean list" dk deploy lst ERP
refused 2 "^deploydesk: unknown command 'zz' \\(the commands:" "zz: nothing near, the list of commands" dk zz
refused 2 "^deploydesk: help: 'x' is one word too many" \
	"help stats x" "$DD" --db "$DB" help stats x

# ---------------------------------------------------------------- options per command

refused 2 "^deploydesk: stats: --logs is not one of its options \\(see 'deploydesk help stats'\\)$" \
	"stats ERP --logs x: another command's option" dk stats ERP --logs x
refused 2 "^deploydesk: deploy list: --version is not one of its options" \
	"deploy list ERP --version v1" dk deploy list ERP --version v1
refused 2 "^deploydesk: user list: --name is not one of its options" \
	"user list --name x" dk user list --name x
refused 2 "^deploydesk: init: --role is not one of its options" \
	"init --role chef" "$DD" --db "$WORK/other.db" init --role chef
refused 2 "^deploydesk: audit list: --checkpoint is not one of its options" \
	"audit list --checkpoint f" dk audit list --checkpoint f
refused 2 "^deploydesk: deploy show: unknown option '--nope'" \
	"deploy show X --nope" dk deploy show X --nope
run dk stats -- ERP
is "$RC:$(head -1 <<<"$OUT")" "0:Total:           4" "stats -- ERP: -- ends the options"
run dk stats ERP --
rc_is 0 "stats ERP --: a -- at the end is nothing"
refused 2 "^deploydesk: stats: '--x' is one argument too many" \
	"stats ERP -- --x: after --, --x is an operand" dk stats ERP -- --x

# ---------------------------------------------------------------- --limit

run dk --format json deploy list ERP --limit 2
is "$(jget 0.id) $(jget 1.id) $(jget 2)" "$(deploy_ids ERP | head -2 | tr '\n' ' ')null" \
	"deploy list --limit 2: the two newest"
run dk --format json audit list --limit 3
is "$(jget 0.seq) $(jget 2.seq) $(jget 3)" "1 3 null" "audit list --limit 3: the three oldest records"
run dk --format json incident list ERP --limit 1
is "$(jget 0.status) $(jget 1)" "A_FAIRE null" "incident list --limit 1: one incident"
refused 2 "^deploydesk: deploy list: --limit: '0' is not a number of rows" "--limit 0" dk deploy list ERP --limit 0
refused 2 "^deploydesk: audit list: --limit: '-3' is not a number of rows" "--limit=-3" dk audit list --limit=-3
refused 2 "^deploydesk: deploy list: --limit: '2x' is not a number of rows" "--limit 2x" dk deploy list ERP --limit 2x

# ---------------------------------------------------------------- missing things named

refused 2 "^deploydesk: --db needs a value \\(see 'deploydesk --help'\\)$" "--db alone" "$DD" --db
refused 2 "^deploydesk: --format needs a value" "--format alone" "$DD" --format
refused 2 "^deploydesk: --format needs a value" "stats ERP --format (at the end)" dk stats ERP --format
refused 2 "^deploydesk: stats: PROJECT is missing \\(see 'deploydesk help stats'\\)$" "stats alone" dk stats
refused 2 "^deploydesk: member add: LOGIN is missing" "member add ERP" dk member add ERP --role dev
refused 2 "^deploydesk: incident set: STATUS is missing" "incident set X" dk incident set X
refused 2 "^deploydesk: deploy create: --description is missing \\(see 'deploydesk help deploy create'\\)$" \
	"deploy create without --description" dk deploy create ERP --version v9 --env PROD \
	--responsible jdupont --date "2026-03-01 10:00"
refused 2 "^deploydesk: deploy create: --env needs a value" \
	"deploy create ... --env (no value)" dk deploy create ERP --version v9 --env
refused 2 "^deploydesk: user add: --name is missing" "user add x" dk user add x
refused 2 "^deploydesk: deploy: which one\\? create, list, show, edit, authorize, revoke, cancel, reject, rollback, start, succeed, fail" \
	"deploy alone" dk deploy
refused 2 "^deploydesk: stats takes no|^deploydesk: stats: 'B' is one argument too many" \
	"stats A B" dk stats A B
refused 2 "^deploydesk: audit verify takes no argument: 'x' is one too many" \
	"audit verify x" dk audit verify x

# ---------------------------------------------------------------- what changed, on stderr

run dk --format json deploy create ERP --version v9.0.0 --env production \
	--description "Neuf" --responsible jdupont --date "2026-03-01 10:00"
rc_is 0 "deploy create --format json"
like "$(jget id)" "$UUID_RE" "... prints {\"id\": ...}"
is "$(jkeys)" "id" "... and only that"
is "$ERR" "Planned v9.0.0 (Production) in project ERP" "... and says on stderr what it did"
NEW=$(jget id)
run dk --format csv deploy authorize "$NEW"
is "$RC:$OUT" "0:" "deploy authorize: nothing on stdout"
is "$ERR" "Authorized v9.0.0 (Production)" "... 'Authorized v9.0.0 (Production)' on stderr"
run dk --quiet deploy start "$NEW"
is "$RC:$OUT:$ERR" "0::" "deploy start --quiet: nothing at all"
is "$(dk --format json deploy show "$NEW" | jget status /dev/stdin)" "EN_COURS" "... but started"
run dk -q --format json deploy fail "$NEW" --logs "boom"
rc_is 0 "deploy fail -q --format json"
INC=$(jget id)
like "$INC" "$UUID_RE" "deploy fail prints {\"id\": the incident's id}"
is "$ERR" "" "... and -q silences the line on stderr"
is "$(dk --format json incident show "$INC" | jget deployment_id /dev/stdin)" "$NEW" \
	"... the incident of that deployment"
run dk --format csv deploy create ERP --version v9.0.1 --env TEST --description d \
	--responsible jdupont --date "2026-03-01 10:00"
is "$(head -1 <<<"$OUT" | tr -d '\r')" "id" "deploy create --format csv: a header, id"
like "$(sed -n 2p <<<"$OUT")" "${UUID_RE%$}" "... then the id"
run dk deploy create ERP --version v9.0.2 --env TEST --description d \
	--responsible jdupont --date "2026-03-02 10:00" --quiet
like "$OUT" "$UUID_RE" "deploy create (table): the bare id on stdout, as before"
is "$ERR" "" "... --quiet after the command works too"
run dk incident set "$INC" "en cours"
is "$RC:$ERR" "0:INCIDENT - Échec déploiement v9.0.0: status set to In progress" \
	"incident set: says the incident's new status"
run dk user add zoe --name "Zoé"
is "$RC:$ERR" "0:Registered zoe (Zoé)" "user add: says who was registered"
run dk member add ERP zoe --role viewer
is "$RC:$ERR" "0:zoe joined project ERP as Viewer" "member add: says the role"
run dk project add CRM --name "Nouveau CRM"
is "$RC:$ERR" "0:Created project CRM (Nouveau CRM)" "project add: says so"
run dk stage set CRM TESTS terminée
is "$RC:$ERR" "0:Stage TESTS of project CRM: status set to Finished" "stage set: says so"
run dk user add 'e'$'\e''[31mvil' --name "x"
is "$RC" 2 "a login with an escape is refused (not said raw)"

# ---------------------------------------------------------------- same day, same environment

# Another deployment planned in the same environment on the same local day
# is a warning on stderr, never a refusal; days are the person's (TZ).
mk() { # mk VERSION ENV DATE [TZ]
	run env TZ="${4:-Europe/Paris}" "$DD" --db "$DB" deploy create ERP --version "$1" --env "$2" \
		--description d --responsible jdupont --date "$3"
}
mk d1 PREPROD "2026-05-01 00:30"
is "$RC:$ERR" "0:Planned d1 (Pre-production) in project ERP" "the first of the day: no warning"
mk d2 PREPROD "2026-05-01 23:30"
is "$RC" 0 "a second one the same day is planned all the same"
is "$(sed -n 2p "$WORK/.err")" "deploydesk: warning: d1 is also planned on Pre-production that day (2026-05-01)" \
	"... with a warning naming the other and the day (local time: 00:30 and 23:30 in Paris are one day)"
like "$OUT" "$UUID_RE" "... and its id on stdout"
mk d3 PREPROD "2026-05-01 12:00"
is "$(sed -n 2p "$WORK/.err")" "deploydesk: warning: 2 other deployments are planned on Pre-production that day (2026-05-01): d1, d2" \
	"a third: both named, earliest first"
mk d4 TEST "2026-05-01 12:00"
is "$RC:$ERR" "0:Planned d4 (Test) in project ERP" "another environment that day: no warning"
mk d5 PREPROD "2026-05-02 00:00"
is "$RC:$ERR" "0:Planned d5 (Pre-production) in project ERP" "the next day: no warning"
mk d6 PREPROD "2026-05-01 20:00" UTC
is "$(sed -n 2p "$WORK/.err")" "deploydesk: warning: 3 other deployments are planned on Pre-production that day (2026-05-01): d3, d2, d5" \
	"in UTC, 2026-05-01 is another span: d3 (10:00Z), d2 (21:30Z), d5 (22:00Z), not d1 (22:30Z the day before)"
run env TZ=Europe/Paris "$DD" --db "$DB" -q deploy create ERP --version d7 --env PREPROD \
	--description d --responsible jdupont --date "2026-05-01 08:00"
like "$ERR" "^deploydesk: warning: 4 other deployments are planned on Pre-production that day \\(2026-05-01\\): d1, d3, d6 and 1 more$" \
	"--quiet keeps warnings; more than three: the first three and how many more"

# ---------------------------------------------------------------- audit before and after

run dk --format json audit list ERP
is "$("$PY" -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(all(isinstance(x["after"], dict) for x in r),
      all(x["before"] is None or isinstance(x["before"], dict) for x in r),
      [x["after"]["status"] for x in r if x["action"] == "deploy.fail"][-1],
      [x["before"]["status"] for x in r if x["action"] == "deploy.fail"][-1])' "$WORK/.out")" \
	"True True ECHEC EN_COURS" "audit list --format json: before and after are JSON objects"
run dk --format csv audit list ERP
like "$OUT" ',"\{""status"":""EN_COURS""' "... and their text in CSV"
if on_sqlite; then
	# A stored before that is not an object (written by hand) is a string.
	cp "$DB" "$WORK/odd.db"
	sqlite3 "$WORK/odd.db" "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET before = 'not {json' WHERE seq = 2" 2>/dev/null
	run "$DD" --db "$WORK/odd.db" --format json audit list
	is "$RC:$(jget 1.before)" "0:not {json" "a stored before that is not a JSON object is written as a string"
else
	skip "a stored before that is not an object: written into SQLite's file"
fi

# ---------------------------------------------------------------- --csv-safe

run dk deploy create ERP --version "=HYPERLINK(1)" --env TEST \
	--description "+cmd|' /C calc'!A0" --responsible jdupont --date "2026-03-01 10:00"
EVIL=$OUT
run dk --format csv --csv-safe deploy show "$EVIL"
like "$OUT" $'\r\n'"[^,]*,ERP,'=HYPERLINK\\(1\\)," "--csv-safe: a version beginning with = gets a leading '"
like "$OUT" ",'\\+cmd\\|' /C calc'!A0," "... a description beginning with + too"
run dk --format csv deploy show "$EVIL"
like "$OUT" ",ERP,=HYPERLINK\\(1\\)," "without --csv-safe (UTF-8), the data as it is"
run dk --format csv --encoding CP1252 deploy show "$EVIL"
like "$OUT" ",ERP,'=HYPERLINK\\(1\\)," "CSV in CP1252 (for a spreadsheet): guarded by default"
run dk --format csv --encoding CP1252 --csv-safe=no deploy show "$EVIL"
like "$OUT" ",ERP,=HYPERLINK\\(1\\)," "... unless --csv-safe=no"
run dk --format csv --csv-safe stats ERP
like "$OUT" $'\r\n'"[0-9]+,[0-9]+," "--csv-safe leaves numbers alone"
for lead in - @; do
	run dk --format json user add "x$RANDOM" --name "${lead}name"
done
run dk --format csv --csv-safe user list
is "$(grep -c "^x[0-9]*,'[-@]name," <<<"$OUT")" 2 "--csv-safe guards - and @ too"
run dk deploy create ERP --version v9.9.9 --env TEST --description $'\t=1+2' \
	--responsible jdupont --date "2026-03-01 10:00"
run dk --format csv --csv-safe deploy show "$OUT"
like "$OUT" ",'"$'\t'"=1\\+2," "... and a tab before a formula"
refused 2 "^deploydesk: --encoding UTF-16 writes NUL bytes, which CSV text cannot hold: use UTF-8 or CP1252" \
	"CSV in UTF-16: refused, not written broken" dk --format csv --encoding UTF-16 user list
run dk --format json --encoding UTF-16 user list
rc_is 0 "--encoding UTF-16 with JSON (which is always UTF-8): not refused"
refused 2 "^deploydesk: --csv-safe: 'maybe' is not yes or no" "--csv-safe=maybe" dk --csv-safe=maybe user list
run dk --format json --csv-safe deploy show "$EVIL"
is "$(jget version)" "=HYPERLINK(1)" "--csv-safe does not touch JSON"

done_testing
