#!/bin/bash
# SPDX-License-Identifier: MIT
# Shell completion, as built (build/completions): loaded in bash, Tab
# proposes the commands, their verbs, each command's options, the values
# of options, and project codes, logins and ids from the database that
# --db names. The zsh file proposes the same through compadd.
# Usage: test-completion.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

BUILD=$(cd "$(dirname "$DD_GIVEN")" && pwd)
BASH_FILE=$BUILD/completions/deploydesk
ZSH_FILE=$BUILD/completions/_deploydesk
DB=$WORK/complete.db
"$DD" --db "$DB" init --demo 2>/dev/null
"$DD" --db "$DB" project add CRM --name "Nouveau CRM" 2>/dev/null

check "the bash completion is built" test -f "$BASH_FILE"
check "the zsh completion is built" test -f "$ZSH_FILE"
check "the bash completion is valid bash" bash -n "$BASH_FILE"

# tab WORD...: what bash proposes for the last word (the one being typed),
# sorted, on one line.
tab() {
	timeout 30 bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		complete -p deploydesk >/dev/null || { echo "no complete -F"; exit; }
		_deploydesk
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
		tab "$BASH_FILE" "$DD" "$@"
}

is "$(tab "")" "audit db deploy envs exception export freeze help inbox incident init member metrics policy project stage stats user version" \
	"the commands"
is "$(tab de)" "deploy" "de: deploy"
is "$(tab deploy "")" "authorize cancel create edit fail list reject revoke rollback show start succeed" "deploy: its verbs"
is "$(tab audit v)" "verify" "audit v: verify"
is "$(tab db "")" "copy" "db: copy"
is "$(tab help "")" "audit db deploy envs exception export freeze help inbox incident init member metrics policy project stage stats user version" \
	"help: the commands"
is "$(tab help deploy "")" "authorize cancel create edit fail list reject revoke rollback show start succeed" "help deploy: its verbs"
is "$(tab help deploy create "")" "" "help deploy create: nothing more"
is "$(tab --db "$DB" stats "")" "CRM ERP" "stats: the project codes of the database --db names"
is "$(tab --db="$DB" stats "")" "CRM ERP" "... --db=PATH as well (one word, as zsh gives it)"
is "$(tab --db = "$DB" stats "")" "CRM ERP" "... and split at = (as bash gives it)"
is "$(tab --db "$DB" member add ERP "")" "cpetit jdupont lbernard mmartin root" \
	"member add ERP: the logins"
is "$(tab --db "$DB" deploy show "")" "$(deploy_ids ERP | sort | tr '\n' ' ' | sed 's/ $//')" \
	"deploy show: the deployments' ids"
is "$(tab --db "$DB" deploy authorize "$(deploy_ids ERP | head -1 | cut -c1-4)")" \
	"$(deploy_ids ERP | head -1)" "deploy authorize b2e5: the id that begins so"
INC=$("$DD" --db "$DB" --format csv incident list ERP | sed -n '2s/,.*//p')
is "$(tab --db "$DB" incident show "")" "$INC" "incident show: the incidents' ids"
is "$(tab --db "$DB" incident set "$INC" "")" "A_FAIRE EN_COURS TERMINEE" "incident set ID: the statuses"
is "$(tab --db "$DB" stage set ERP "")" "CONCEPTION DEPLOIEMENT DEVELOPPEMENT TESTS" "stage set ERP: the stages"
is "$(tab deploy create ERP --)" "--as --backout-plan --csv-safe --date --db --description --encoding --env --fixes --format --help --quiet --responsible --risk --version" \
	"deploy create --: its options and the global ones that may follow a command"
is "$(tab stats ERP --)" "--as --csv-safe --db --encoding --format --help --quiet" \
	"stats --: no option of another command"
is "$(tab --)" "--as --csv-safe --db --demo --encoding --format --help --project --quiet --version" \
	"-- before a command: the global options"
is "$(tab deploy list ERP --env "")" "DEV PREPROD PROD TEST" "--env: the environments"
is "$(tab deploy list ERP --status "")" "A_FAIRE ECHEC EN_COURS TERMINEE" "--status: the statuses"
is "$(tab deploy list ERP --env = "")" "DEV PREPROD PROD TEST" "--env=: the environments (bash splits at =)"
is "$(tab member add ERP x --role "")" "chef dev dev-senior viewer" "--role: the roles"
is "$(tab --format "")" "csv json table" "--format: the formats"
is "$(tab --db "$DB" deploy create ERP --responsible "")" "cpetit jdupont lbernard mmartin root" \
	"--responsible: the logins"
touch "$WORK/deploy-log.txt"
is "$(tab deploy succeed X --logs-file "$WORK/deploy-l")" "$WORK/deploy-log.txt" "--logs-file: file names"
is "$(tab --db "$DB" stats ERP "")" "" "stats ERP: nothing more to propose"
is "$(tab --db "$WORK/none.db" stats "")" "" "a database that is not there: nothing, and no error"
check "... and no file made" test ! -e "$WORK/none.db"

# zsh: the same candidates, handed to compadd (stubbed here: compsys itself
# needs a terminal).
if command -v zsh >/dev/null; then
	ztab() {
		timeout 30 zsh -f -c 'compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }
			words=("${@:2}"); CURRENT=$#words; source "$1"' \
			ztab "$ZSH_FILE" "$DD" "$@" | sort | tr '\n' ' ' | sed 's/ $//'
	}
	is "$(ztab deploy "")" "authorize cancel create edit fail list reject revoke rollback show start succeed" "zsh: deploy's verbs"
	is "$(ztab --db "$DB" stats "")" "CRM ERP" "zsh: the project codes"
	is "$(ztab --db "$DB" deploy show "")" "$(deploy_ids ERP | sort | tr '\n' ' ' | sed 's/ $//')" \
		"zsh: the deployments' ids"
	is "$(ztab deploy fail X --logs-file "")" "FILES" "zsh: --logs-file completes files"
else
	for i in 1 2 3 4; do skip "zsh is not installed"; done
fi

done_testing
