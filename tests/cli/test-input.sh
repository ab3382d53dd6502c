#!/bin/bash
# SPDX-License-Identifier: MIT
# Every bad input is refused with exit 2 (4 for what does not exist), one
# line on stderr naming the field, and the database left unchanged.
# Usage: test-input.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/input.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "user add zoe (not a member of ERP)" dk user add zoe --name "Zoé Outsider"

# bad_create DESC FIELD-ERE: deploy create as the admin with the good values
# except those overridden by V (version), E (environment), DS (description),
# R (responsible) and DT (date) set for the call.
bad_create() {
	refused 2 "$2" "create with $1" dk deploy create ERP \
		--version "${V-v9.9.9}" --env "${E-PROD}" --description "${DS-Bon}" \
		--responsible "${R-jdupont}" --date "${DT-2026-02-06 14:00}"
}

# bad_create as the project manager too, for the first few.
bad_create_chef() {
	refused 2 "$2" "create (as the chef) with $1" dk --as mmartin deploy create ERP \
		--version "${V-v9.9.9}" --env "${E-PROD}" --description "${DS-Bon}" \
		--responsible "${R-jdupont}" --date "${DT-2026-02-06 14:00}"
}

rep() { # rep STRING COUNT
	local s=$1 n=$2 out=
	while [ "$n" -gt 0 ]; do out+=$s; n=$((n - 1)); done
	printf '%s' "$out"
}

# ---------------------------------------------------------------- version

V="" bad_create "an empty version" 'version'
V="" bad_create_chef "an empty version" 'version'
V="   " bad_create "a blank version" 'version'
V=$(rep a 51) bad_create "a 51-character version" 'version.*50|version'
V=$(rep a 51) bad_create_chef "a 51-character version" 'version'
V=$(rep é 51) bad_create "51 accented characters" 'version'
V=$(printf 'v1.\xff') bad_create "invalid UTF-8 in the version (\\xff)" 'version.*UTF-8'
V=$(printf 'v1.\xc0\xaf') bad_create "an overlong UTF-8 sequence in the version (\\xc0\\xaf)" 'version.*UTF-8'
V=$(printf 'v1.\xed\xa0\x80') bad_create "a UTF-16 surrogate in the version" 'version.*UTF-8'
V=$(printf 'v1.\xe2\x82') bad_create "a truncated UTF-8 sequence in the version" 'version.*UTF-8'
V=$'v3\t.0' bad_create "a tab in the version" 'version: a control character \(U\+0009\) at character 3'
V=$'v3.0\nsecond' bad_create "a line break in the version" 'version: a control character \(U\+000A\)'
V=$'v3\033[31m' bad_create_chef "an escape in the version" 'version: a control character \(U\+001B\)'
V=$'v3\xc2\x9b1m' bad_create "a C1 control (CSI) in the version" 'version: a control character \(U\+009B\)'
check "the escape sequence does not reach stderr raw" eval "! grep -q $'\033' '$WORK/.err'"
refused 2 'name: a control character \(U\+0009\)' "user add with a tab in the name" \
	dk user add tabby --name $'Tab\tby'
refused 2 'project name: a control character \(U\+000A\)' "project add with a line break in the name" \
	dk project add NL --name $'New\nline'

V50=$(rep a 50)
run dk deploy create ERP --version "$V50" --env PROD --description Bon --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "a 50-character version is accepted"
run dk --format json deploy show "$OUT"
is "$(jget version)" "$V50" "the 50-character version is stored as typed"
VE50=$(rep é 50)
run dk deploy create ERP --version "$VE50" --env PROD --description Bon --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "50 accented characters (100 bytes) are accepted: the limit is in characters"
run dk --format json deploy show "$OUT"
is "$(jget version)" "$VE50" "the 50 accented characters are stored intact"

# ---------------------------------------------------------------- environment

E=STAGING bad_create "an unknown environment" 'environment'
E=STAGING bad_create_chef "an unknown environment" 'environment'
E="" bad_create "an empty environment" 'environment'
E=PRODUC bad_create "an environment that only starts like one" 'environment'
E=$(printf 'PROD\xff') bad_create "invalid UTF-8 in the environment" 'environment'
E=$(printf 'X\033[2J') bad_create "an escape sequence in the environment" 'environment'
no_escape() { ! grep -q $'\033' "$WORK/.err"; }
check "the escape sequence does not reach stderr raw" no_escape

# ---------------------------------------------------------------- description

DS="" bad_create "an empty description" 'description'
DS="" bad_create_chef "an empty description" 'description'
DS=$' \n\t ' bad_create "a blank description" 'description'
DS=$(printf 'Mise \xe0 jour') bad_create "Latin-1, not UTF-8, in the description" 'description.*UTF-8'
DS=$(printf 'ok \xff') bad_create "invalid UTF-8 in the description (\\xff)" 'description.*UTF-8'
DS=$(printf 'ok \xc0\xaf') bad_create "an overlong UTF-8 sequence in the description (\\xc0\\xaf)" 'description.*UTF-8'
DS=$(rep a 10001) bad_create "a 10,001-character description" 'description'
DE=$(rep é 10000)
run dk deploy create ERP --version v-long --env DEV --description "$DE" --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "a 10,000-character description (20,000 bytes) is accepted"
run dk --format json deploy show "$OUT"
is "$(jget description)" "$DE" "the long description is stored intact"
run dk deploy create ERP --version v-trail --env DEV --description $'Two lines\n\tkept\n\n  \n' --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "a description ending in blank lines is accepted"
run dk --format json deploy show "$OUT"
is "$(jget description)" $'Two lines\n\tkept' \
	"... stored without its trailing line breaks and blanks (as an editor's last line break), the inside kept"

# ---------------------------------------------------------------- responsible

R=ghost bad_create "an unknown responsible" 'responsible'
R=ghost bad_create_chef "an unknown responsible" 'responsible'
R=zoe bad_create "a responsible who is not a member of ERP" 'responsible.*member|responsible'
R=cpetit bad_create "a responsible who is a viewer of ERP" \
	"^deploydesk: responsible: 'cpetit' is a viewer of project ERP; the responsible person is its manager or one of its developers\$"
R=cpetit bad_create_chef "a responsible who is a viewer of ERP" 'viewer of project ERP'
for r in mmartin jdupont lbernard; do
	run dk deploy create ERP --version "v-resp-$r" --env DEV --description d \
		--responsible "$r" --date "2026-02-06 14:00"
	rc_is 0 "create with $r (manager, senior developer, developer) as the responsible person"
done
R="" bad_create "an empty responsible" 'responsible'
R=$(printf 'jd\xff') bad_create "invalid UTF-8 in the responsible" 'responsible'

# ---------------------------------------------------------------- date

for d in "2026-02-30 10:00" "06/02/2026 14:00" "2026-02-06" "2026-02-06 25:00" \
	"2026-13-01 10:00" "2026-02-06 14:60" "2026-02-06T14:00" "2026-2-6 14:00" \
	"2026-02-06 14h00" "2025-02-29 10:00" "tomorrow" ""; do
	DT=$d bad_create "the date '$d'" 'date'
done
DT="2026-02-30 10:00" bad_create_chef "the date '2026-02-30 10:00'" 'date'
# years before 1970 would be stored before the epoch or, below 1000, as
# text that is not ISO and sorts as the newest
for d in "1969-12-31 23:59" "0999-01-01 10:00" "0026-02-06 14:00" "0000-01-01 00:00"; do
	DT=$d bad_create "the date '$d'" "planned date: '$d': the year must be between 1970 and 9999"
done
# a date in the French format with a two-digit year is not the year 26
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
	for d in "06/02/26 14:00" "6/2/26 14:00"; do
		refused 2 "planned date: '$d': write the year with four digits, such as 06/02/2026 14:00" \
			"fr_FR.UTF-8: create with the date '$d'" \
			env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" deploy create ERP --version v-fr --env PROD \
			--description d --responsible jdupont --date "$d"
	done
	run env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" deploy create ERP --version v-fr --env DEV \
		--description d --responsible jdupont --date "06/02/2026 14:00"
	rc_is 0 "fr_FR.UTF-8: the date 06/02/2026 14:00 is accepted"
	run dk --format json deploy show "$OUT"
	is "$(jget planned_at)" "2026-02-06T14:00:00Z" "... stored as 2026-02-06T14:00:00Z"
else
	for i in 1 2 3 4 5 6 7 8; do
		skip "locale fr_FR.UTF-8 not generated"
	done
fi
run dk deploy create ERP --version v-leap --env DEV --description Bon --responsible jdupont --date "2028-02-29 23:59"
rc_is 0 "a leap day is a date"
run dk --format json deploy show "$OUT"
is "$(jget planned_at)" "2028-02-29T23:59:00Z" "stored as 2028-02-29T23:59:00Z"

# ---------------------------------------------------------------- missing
# or unknown options and arguments of create

refused 2 'date' "create without --date" dk deploy create ERP --version v --env PROD --description d --responsible jdupont
refused 2 'version' "create without --version" dk deploy create ERP --env PROD --description d --responsible jdupont --date "2026-02-06 14:00"
refused 2 'environment|env' "create without --env" dk deploy create ERP --version v --description d --responsible jdupont --date "2026-02-06 14:00"
refused 2 'description' "create without --description" dk deploy create ERP --version v --env PROD --responsible jdupont --date "2026-02-06 14:00"
refused 2 'responsible' "create without --responsible" dk deploy create ERP --version v --env PROD --description d --date "2026-02-06 14:00"
refused 2 'version|required' "create with no option at all" dk deploy create ERP
refused 2 'argument|project' "create without a project" dk deploy create --version v --env PROD --description d --responsible jdupont --date "2026-02-06 14:00"
refused 2 'argument' "create with two projects" dk deploy create ERP ERP --version v --env PROD --description d --responsible jdupont --date "2026-02-06 14:00"
refused 2 'bogus' "create with an unknown option" dk deploy create ERP --bogus x --version v --env PROD --description d --responsible jdupont --date "2026-02-06 14:00"
refused 2 'version' "create with --version missing its value" dk deploy create ERP --env PROD --description d --responsible jdupont --date "2026-02-06 14:00" --version

# ---------------------------------------------------------------- logs

run dk deploy create ERP --version v-logs --env TEST --description "Logs" --responsible jdupont --date "2026-02-06 14:00"
LD=$OUT
expect_ok "authorize the deployment used for the logs" dk deploy authorize "$LD"
head -c 1048577 /dev/zero | tr '\0' 'a' >"$WORK/big.log"
head -c 1048576 /dev/zero | tr '\0' 'a' >"$WORK/max.log"
{ head -c 1048575 /dev/zero | tr '\0' 'a'; printf 'é'; } >"$WORK/max-plus-one.log"
printf 'step 1\nstep 2 \xff\n' >"$WORK/ff.log"
printf 'step 1\nstep 2 \xc0\xaf\n' >"$WORK/overlong.log"
printf 'step 1\000step 2\n' >"$WORK/nul.log"

refused 2 'logs|limit|1048576' "succeed with a logs file over 1 MiB" dk deploy succeed "$LD" --logs-file "$WORK/big.log"
refused 2 'logs|limit|1048576' "fail with a logs file over 1 MiB" dk deploy fail "$LD" --logs-file "$WORK/big.log"
refused 2 'logs|limit|1048576' "fail with logs over 1 MiB in bytes (1 MiB - 1 + a 2-byte character)" dk deploy fail "$LD" --logs-file "$WORK/max-plus-one.log"
refused 2 'logs|limit|1048576' "fail with over 1 MiB of logs on standard input" dk deploy fail "$LD" --logs-file - <"$WORK/big.log"
# Logs files: when the program reads legacy encodings (--encoding, CP1252 by
# default), invalid UTF-8 is refused when the file is said to be UTF-8;
# without that option, a file must be UTF-8.
if "$DD" --help | grep -q -- '--encoding'; then
	AS_UTF8=(--encoding UTF-8)
	LEGACY=" (--encoding UTF-8)"
else
	AS_UTF8=()
	LEGACY=
fi
refused 2 'logs.*UTF-8' "succeed with a logs file holding \\xff$LEGACY" dk deploy succeed "$LD" --logs-file "$WORK/ff.log" "${AS_UTF8[@]}"
refused 2 'logs.*UTF-8' "fail with a logs file holding \\xc0\\xaf$LEGACY" dk deploy fail "$LD" --logs-file "$WORK/overlong.log" "${AS_UTF8[@]}"
refused 2 'logs.*UTF-8' "fail with invalid UTF-8 on standard input$LEGACY" dk deploy fail "$LD" --logs-file - "${AS_UTF8[@]}" <"$WORK/ff.log"
refused 2 'logs.*UTF-8' "fail with --logs holding \\xff" dk deploy fail "$LD" --logs "$(printf 'bad \xff')"
refused 2 'logs.*UTF-8' "succeed with --logs holding \\xc0\\xaf" dk deploy succeed "$LD" --logs "$(printf 'bad \xc0\xaf')"
refused 2 'logs.*UTF-8' "succeed with --logs holding a UTF-16 surrogate" dk deploy succeed "$LD" --logs "$(printf 'bad \xed\xa0\x80')"
head -c 1048576 /dev/zero | tr '\0' '\351' >"$WORK/e9.log"
refused 2 'logs' "a 1 MiB file of 0xE9 bytes (not UTF-8, or over 1 MiB once converted)" dk deploy succeed "$LD" --logs-file "$WORK/e9.log"
refused 2 'logs|NUL' "fail with a NUL byte in the logs file" dk deploy fail "$LD" --logs-file "$WORK/nul.log"
refused 2 'no-such-file|cannot read' "fail with a missing logs file" dk deploy fail "$LD" --logs-file "$WORK/no-such-file.log"
refused 2 "cannot read $WORK: it is a directory, not a regular file" "fail with a directory as the logs file" dk deploy fail "$LD" --logs-file "$WORK"
# Only a regular file is read: a FIFO with no writer made open() wait
# forever, a device could never end. Refused at once, naming the file and
# what it is (timeout: a hang fails the test instead of stopping it).
mkfifo "$WORK/logs.fifo"
refused 2 "cannot read $WORK/logs.fifo: it is a named pipe \(FIFO\), not a regular file" \
	"fail with a FIFO (no writer) as the logs file" timeout 10 "$DD" --db "$DB" deploy fail "$LD" --logs-file "$WORK/logs.fifo"
refused 2 "cannot read /dev/null: it is a character device, not a regular file" \
	"succeed with /dev/null as the logs file" timeout 10 "$DD" --db "$DB" deploy succeed "$LD" --logs-file /dev/null
refused 2 "cannot read /dev/zero: it is a character device, not a regular file" \
	"fail with /dev/zero (endless) as the logs file" timeout 10 "$DD" --db "$DB" deploy fail "$LD" --logs-file /dev/zero
"$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$WORK/logs.sock"
refused 2 "cannot read $WORK/logs.sock: it is a socket" \
	"fail with a socket as the logs file" timeout 10 "$DD" --db "$DB" deploy fail "$LD" --logs-file "$WORK/logs.sock"
ln -s "$WORK/logs.fifo" "$WORK/fifo-link.log"
refused 2 "cannot read $WORK/fifo-link.log: it is a named pipe \(FIFO\), not a regular file" \
	"fail with a symbolic link to a FIFO as the logs file" timeout 10 "$DD" --db "$DB" deploy fail "$LD" --logs-file "$WORK/fifo-link.log"
refused 2 "cannot read standard input: it is a directory, not a regular file" \
	"fail with a directory on standard input (--logs-file -)" dk deploy fail "$LD" --logs-file - <"$WORK"
refused 2 'logs' "fail with both --logs and --logs-file" dk deploy fail "$LD" --logs x --logs-file "$WORK/max.log"
run dk --format json deploy show "$LD"
is "$(jget status):$(jget logs):$(jget incident_id)" "A_FAIRE:null:null" "after all that the deployment is untouched"
run dk deploy fail "$LD" --logs-file "$WORK/max.log"
rc_is 0 "logs of exactly 1 MiB are accepted"
like "$OUT" "$UUID_RE" "... and the failure opens its incident"
if on_sqlite; then
	bytes="SELECT length(CAST(logs AS BLOB)) FROM tasks WHERE id = '$LD'"
else
	bytes="SELECT octet_length(logs) FROM tasks WHERE id = '$LD'"
fi
is "$(dbq "$bytes")" 1048576 "the 1 MiB of logs is stored whole"
# standard input may be a pipe
run dk deploy create ERP --version v-pipe --env TEST --description "Pipe" --responsible jdupont --date "2026-02-06 14:00"
LP=$OUT
expect_ok "authorize the deployment whose logs come from a pipe" dk deploy authorize "$LP"
run bash -c 'printf "from a pipe\n" | timeout 10 "$1" --db "$2" deploy succeed "$3" --logs-file -' _ "$DD" "$DB" "$LP"
rc_is 0 "succeed with --logs-file - reading a pipe"
run dk --format json deploy show "$LP"
is "$(jget logs)" "from a pipe" "... the logs are what came through the pipe"

# ---------------------------------------------------------------- words
# beginning with '-': an unknown option, named with its command, the
# operand it may be (by the name the help gives it), and how to give a value
# that begins with '-'

hint() { # OPERAND COMMAND WORD
	echo "unknown option '$3'; if it is the $1, write it after '--', which ends the options; an option's value that begins with '-' goes as --option=$3"
}
refused 2 "^deploydesk: user add: $(hint LOGIN "user add" -x) \(see 'deploydesk help user add'\)$" \
	"user add -x --name N: the LOGIN named" dk user add -x --name N
refused 2 "^deploydesk: project add: $(hint CODE "project add" -ERP) \(see 'deploydesk help project add'\)$" \
	"project add -ERP --name N (the whole word, not the verb): the CODE named" dk project add -ERP --name N
refused 2 "^deploydesk: stats: $(hint PROJECT stats -ERP) \(see 'deploydesk help stats'\)$" \
	"stats -ERP: the PROJECT named" dk stats -ERP
refused 2 "^deploydesk: deploy show: $(hint ID "deploy show" -abc) \(see 'deploydesk help deploy show'\)$" \
	"deploy show -abc: the ID named" dk deploy show -abc
refused 2 "^deploydesk: member add: $(hint LOGIN "member add" -jdupont)" \
	"member add ERP -jdupont --role dev: the second operand, LOGIN, named" dk member add ERP -jdupont --role dev
HINT="\(a value that begins with '-' goes after '--', which ends the options, or as --option="
refused 2 "^deploydesk: user add: unknown option '-y' ${HINT}-y\) \(see 'deploydesk help user add'\)$" \
	"user add x -y --name N (no operand left): the value's hint alone" dk user add x -y --name N
refused 4 "^deploydesk: no deployment with id '-abc'$" \
	"deploy show -- -abc: the hint works (the word is then the ID)" dk deploy show -- -abc
refused 2 "^deploydesk: user add: --admin takes no value \(see 'deploydesk help user add'\)$" \
	"user add x --admin=yes --name N" dk user add x --admin=yes --name N
refused 2 "^deploydesk: user add: --name needs a value \(see 'deploydesk help user add'\)$" \
	"user add x --name (no value)" dk user add x --name
refused 2 "^deploydesk: deploy succeed: option '--log' is ambiguous: write it in full \(see 'deploydesk help deploy succeed'\)$" \
	"deploy succeed X --log x (--logs or --logs-file)" dk deploy succeed X --log x
refused 2 "^deploydesk: user add: 'y' is one argument too many \(see 'deploydesk help user add'\)$" \
	"user add x y --name N: the command named" dk user add x y --name N
# after '--' a word beginning with '-' is an operand: it reaches the checks
# of its field
refused 2 "^deploydesk: login: '-x' is not an account name" \
	"user add --name N -- -x: the login's own check" dk user add --name N -- -x
refused 2 "^deploydesk: project code: '-ERP' must be" \
	"project add --name N -- -ERP: the project code's own check" dk project add --name N -- -ERP
expect_ok "stats -- ERP: '--' before an operand" dk stats -- ERP
# a value beginning with '-' after an option that takes one, or as --opt=
run dk deploy create ERP --version -1.0 --env DEV --description "-d" --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "deploy create --version -1.0 --description -d"
run dk --format json deploy show "$OUT"
is "$(jget version) $(jget description)" "-1.0 -d" "... stored as -1.0 and -d"
run dk deploy create ERP --version=-2.0 --env DEV --description=-e --responsible jdupont --date "2026-02-06 14:00"
rc_is 0 "deploy create --version=-2.0 --description=-e"
run dk --format json deploy show "$OUT"
is "$(jget version) $(jget description)" "-2.0 -e" "... stored as -2.0 and -e"

# ---------------------------------------------------------------- long
# values in messages: the value is cut (64 characters and "…"), never the
# field's name nor the rest of the sentence

X2000=$(rep x 2000)
X64=$(rep x 64)
E2000=$(rep é 2000)
E64=$(rep é 64)
CREATE=(deploy create ERP --version v-long-msg --env PROD --description d --responsible jdupont --date "2026-02-06 14:00")
refused 2 "^deploydesk: login: '$X64…' is not an account name \(1 to 32 letters, digits, '\.', '_', '-' or '@'\)$" \
	"user add with a 2,000-character login" dk user add "$X2000" --name N
refused 2 "^deploydesk: login: '$E64…' is not an account name \(1 to 32 letters, digits, '\.', '_', '-' or '@'\)$" \
	"user add with a login of 2,000 é (cut on a character)" dk user add "$E2000" --name N
refused 2 "^deploydesk: login: '$X64' is not an account name" \
	"user add with a 64-character login: quoted whole" dk user add "$X64" --name N
refused 2 "^deploydesk: project code: '$X64…' must be 1 to [0-9]+ capital letters, digits, '_' or '-', starting with a letter \(such as ERP\)$" \
	"project add with a 2,000-character code" dk project add "$X2000" --name N
refused 2 "^deploydesk: environment: '$E64…' is not one of DEV, TEST, PREPROD, PROD$" \
	"deploy create with a 2,000-character environment" dk "${CREATE[@]}" --env "$E2000"
refused 2 "^deploydesk: responsible: no user '$X64…'$" \
	"deploy create with a 2,000-character responsible" dk "${CREATE[@]}" --responsible "$X2000"
refused 2 "^deploydesk: planned date: '$X64…': expected YYYY-MM-DD HH:MM, such as 2026-02-06 14:00$" \
	"deploy create with a 2,000-character date" dk "${CREATE[@]}" --date "$X2000"
refused 2 "^deploydesk: '$(rep a 64)…' is not a deployment's id: give at least 4 of its hexadecimal characters$" \
	"deploy show with a 2,000-character id" dk deploy show "$(rep a 2000)"
refused 4 "^deploydesk: no project '$X64…' \(see 'deploydesk project list'\)$" \
	"stats of a 2,000-character project" dk stats "$X2000"
refused 4 "^deploydesk: no user '$X64…' \(an admin adds people with 'deploydesk user add'\)$" \
	"member add of a 2,000-character login" dk member add ERP "$X2000" --role dev
refused 4 "^deploydesk: no user '$X64…' in this database$" \
	"--as a 2,000-character login" dk --as "$X2000" stats ERP
refused 2 "^deploydesk: --format: '$X64…' is not table, csv or json \(see 'deploydesk --help'\)$" \
	"--format of 2,000 characters" dk --format "$X2000" stats ERP
refused 2 "^deploydesk: --role: '$X64…' is not chef, dev, dev-senior or viewer \(see 'deploydesk help member add'\)$" \
	"member add with a 2,000-character role" dk member add ERP jdupont --role "$X2000"
refused 2 "^deploydesk: stage: '$X64…' is not CONCEPTION, DEVELOPPEMENT, TESTS or DEPLOIEMENT \(see 'deploydesk help stage set'\)$" \
	"stage set with a 2,000-character stage" dk stage set ERP "$X2000" TERMINEE
refused 2 "^deploydesk: --env: '$X64…' is not DEV, TEST, PREPROD or PROD \(see 'deploydesk help deploy list'\)$" \
	"deploy list --env of 2,000 characters" dk deploy list ERP --env "$X2000"
refused 2 "^deploydesk: unknown command '$X64…' \(the commands: init, db, user, project, member, stage, deploy, incident, inbox, envs, metrics, export, stats, policy, freeze, version, exception, audit, help\) \(see 'deploydesk --help'\)$" \
	"a 2,000-character command" dk "$X2000"

# ---------------------------------------------------------------- what does
# not exist: exit 4

refused 4 'NOPE' "deploy list of an unknown project" dk deploy list NOPE
refused 4 'NOPE' "deploy create in an unknown project" dk deploy create NOPE --version v --env PROD --description d --responsible jdupont --date "2026-02-06 14:00"
refused 4 'NOPE' "stats of an unknown project" dk stats NOPE
refused 4 'NOPE' "incident list of an unknown project" dk incident list NOPE
refused 4 'NOPE' "stage set in an unknown project" dk stage set NOPE TESTS TERMINEE
refused 4 'NOPE' "member add to an unknown project" dk member add NOPE jdupont --role dev
refused 4 'NOPE' "audit list of an unknown project" dk audit list NOPE
refused 4 'ghost' "member add of an unknown user" dk member add ERP ghost --role dev
refused 4 'ghost' "member add of an unknown user, by the chef" dk --as mmartin member add ERP ghost --role viewer

# ---------------------------------------------------------------- stages,
# members, people, projects

refused 2 'stage' "stage set with an unknown stage" dk stage set ERP TESTX TERMINEE
refused 2 'status' "stage set with an unknown status" dk stage set ERP TESTS FINI
refused 2 'status' "stage set with ECHEC (not a stage status)" dk stage set ERP TESTS ECHEC
refused 2 "^deploydesk: stage set: STATUS is missing" "stage set without a status" dk stage set ERP TESTS
refused 2 'role' "member add with an unknown role" dk member add ERP zoe --role boss
refused 2 'role' "member add without --role" dk member add ERP zoe
refused 2 'login' "user add with a space in the login" dk user add "bad login" --name X
refused 2 'login' "user add with invalid UTF-8 in the login" dk user add "$(printf 'z\xffz')" --name X
refused 2 'name' "user add without --name" dk user add newbie
refused 2 'name' "user add with an empty name" dk user add newbie --name ""
refused 2 'name.*UTF-8|UTF-8' "user add with invalid UTF-8 in the name" dk user add newbie --name "$(printf 'N\xc0\xaf')"
refused 2 'project code|code' "project add with a lower-case code" dk project add erp2 --name X
refused 2 'project code|code' "project add with a code starting with a digit" dk project add 1ERP --name X
refused 2 'name' "project add without --name" dk project add NEWP

# ---------------------------------------------------------------- commands
# and global options

refused 2 'bogus' "an unknown command" dk bogus
refused 2 'bogus' "an unknown global option" "$DD" --db "$DB" --bogus deploy list ERP
refused 2 'xml|format' "an unknown --format" dk --format xml deploy list ERP
refused 2 'deploy' "an unknown deploy verb" dk deploy frobnicate
refused 2 'deploy' "deploy without a verb" dk deploy
refused 2 'incident' "an unknown incident verb" dk incident frobnicate
refused 2 'audit' "an unknown audit verb" dk audit frobnicate
refused 2 'env' "deploy list with an unknown --env" dk deploy list ERP --env XX
refused 2 'status' "deploy list with an unknown --status" dk deploy list ERP --status XX
refused 2 "^deploydesk: deploy show: ID is missing" "deploy show without an id" dk deploy show
refused 2 'argument|expected' "deploy authorize with two ids" dk deploy authorize "$LD" "$LD"
refused 2 'argument|project' "stats without a project" dk stats
refused 2 'argument' "audit verify with an argument" dk audit verify ERP

done_testing
