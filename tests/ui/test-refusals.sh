#!/bin/bash
# SPDX-License-Identifier: MIT
# Each refusal by role, said in the footer: the dialog does not open and
# nothing is written. As jdupont (senior developer): n and a refused, x on
# the unauthorized v1.2.0 refused by the workflow; as mmartin (project
# manager): x and s refused; as lbernard (developer) and cpetit (viewer):
# n, a and x refused. In French, the same refusals in one wording.
# Usage: test-refusals.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

CREATE_RE='only an admin or the project manager of project ERP may create a deployment'
AUTHORIZE_RE='only an admin or the project manager of project ERP may authorize a deployment'
EXECUTE_RE='only an admin or a senior developer of project ERP may execute a deployment'
START_RE='only an admin or a senior developer of project ERP may start a deployment'
NOT_AUTHORIZED_RE='deployment v1\.2\.0 is not authorized yet'

V120=$(deploy_id v1.2.0)
before=$(db_state)
audit_before=$(audit_count)
: >"$WORK/messages"

# The footer's message, without the padding.
message() {
	message_line | sed 's/ *$//'
}

# refuse LOGIN KEY ERE: on the selected row, KEY must leave a message
# matching ERE in the footer, and open no dialog. The message is kept in
# $WORK/messages (LOGIN KEY message) to compare with the command line's.
refuse() {
	local who=$1 key=$2 re=$3 desc
	desc="$who: '$key' on v1.2.0 is refused in the footer: /$re/"
	# The message of the previous key is gone (moving cleared it).
	if ! wait_for_blank_message; then
		fail "$desc" "the footer still shows: $(message)"
		return
	fi
	keys "$key"
	if wait_for_i "$re" 5 &&
		[[ "$(line $((APP_H - 3)) | sed 's/ *$//') $(message)" =~ $(sed 's/^./[&\U&]/' <<<"$re") ]]; then
		pass "$desc"
	else
		fail "$desc" "footer message: $(message)"
	fi
	if screen | grep -Eq '┌ (New deployment|Authorize the deployment|Execute the deployment|Start the deployment)'; then
		fail "$who: '$key' opens no dialog" "$(screen)"
		keys Escape
		wait_main
	else
		pass "$who: '$key' opens no dialog"
	fi
	# A message wider than the screen wraps onto the line above.
	printf '%s\t%s\t%s\t%s\n' "$who" "$key" "$(message)" \
		"$(line $((APP_H - 3)) | sed 's/ *$//') $(message)" >>"$WORK/messages"
	keys Home # clears the message for the next check
}

wait_for_blank_message() {
	local end=$((SECONDS + 5))
	until [ -z "$(message)" ]; do
		((SECONDS < end)) || return 1
		nap
	done
}

# session LOGIN ROLE_ERE: opens the screens as LOGIN, with v1.2.0 selected.
session() {
	start_app --as "$1"
	must "the screens open as $1" wait_main
	like "$(line 0)" "\\($1\\) - $2\$" "$1 is shown as $2"
	must "$1: v1.2.0 selected" select_version v1.2.0
}

# ---------------------------------------------------------------- jdupont

session jdupont 'Senior developer'
refuse jdupont n "$CREATE_RE"
refuse jdupont a "$AUTHORIZE_RE"
refuse jdupont x "$NOT_AUTHORIZED_RE"
refuse jdupont s "$NOT_AUTHORIZED_RE"
like "$(screen | grep '^v1\.2\.0 ')" '^v1\.2\.0 +PROD +Planned +No .*\[View\]' \
	"jdupont: the row of v1.2.0 offers nothing but [View]"
keys q
check "jdupont: q quits" wait_dead

# ---------------------------------------------------------------- mmartin

session mmartin 'Project manager'
refuse mmartin x "$EXECUTE_RE"
refuse mmartin s "$START_RE"
check "mmartin: the keys line offers n and a" \
	wait_line $((APP_H - 1)) '^ Enter details +n new .* a authorize( |$)'
if [[ $(line $((APP_H - 1))) =~ (x\ execute|s\ start) ]]; then
	fail "mmartin: the keys line does not offer x or s" "$(line $((APP_H - 1)))"
else
	pass "mmartin: the keys line does not offer x or s"
fi

# The details screen of a succeeded deployment: its refusals are said in
# the footer too; its keys line should offer only what applies.
must "mmartin: v1.1.7 selected" select_version v1.1.7
keys Enter
must "mmartin: Enter opens the details of v1.1.7" wait_for '^Deployment v1\.1\.7 - Succeeded'
keys x
check "mmartin: 'x' in the details is refused in the footer" wait_for_i "$EXECUTE_RE" 5
keys a
check "mmartin: 'a' in the details: already authorized" \
	wait_for_i 'deployment v1\.1\.7 is already authorized' 5
details_keys=$(line $((APP_H - 1)))
check "mmartin: the details' keys line of a succeeded deployment offers no a, s, x or i" \
	eval '! [[ $details_keys =~ (a\ authorize|s\ start|x\ execute|i\ incident) ]]'
diag "details keys line: $details_keys"
keys i
check "mmartin: 'i' in the details of a succeeded deployment says there is no incident" \
	wait_for 'No incident' 2
keys q
check "mmartin: q goes back to the history" wait_main 5

keys q
check "mmartin: q quits" wait_dead

# ---------------------------------------------------- lbernard and cpetit

for who in lbernard cpetit; do
	[ $who = lbernard ] && role=Developer || role=Viewer
	session $who $role
	refuse $who n "$CREATE_RE"
	refuse $who a "$AUTHORIZE_RE"
	refuse $who x "$EXECUTE_RE"
	check "$who: the keys line offers no n, a, s or x" \
		wait_line $((APP_H - 1)) '^ Enter details +/ filter +\? help +q quit'
	keys q
	check "$who: q quits" wait_dead
done

# ---------------------------------------------------------------- nothing written

is "$(audit_count)" "$audit_before" "audit list: no record added ($audit_before)"
if [ "$(db_state)" == "$before" ]; then
	pass "deployments, incidents and audit trail unchanged"
else
	fail "deployments, incidents and audit trail unchanged" \
		"$(diff <(echo "$before") <(db_state) | head -20)"
fi

# ---------------------------------------- the same words as the command line

# Each refusal on screen is the whole sentence the command line gives for
# the same action (the command line's refusals change nothing either).
cli_refusal() {
	local who=$1 key=$2
	case $key in
	n) dkas "$who" deploy create ERP --version v9.9.9 --env PROD \
		--description d --responsible jdupont --date "2026-12-01 10:00" ;;
	a) dkas "$who" deploy authorize "$V120" ;;
	x) dkas "$who" deploy succeed "$V120" --logs x ;;
	s) dkas "$who" deploy start "$V120" ;;
	esac 2>&1 >/dev/null | sed 's/^deploydesk: //'
}
while IFS=$'\t' read -r who key shown wrapped; do
	want=$(cli_refusal "$who" "$key")
	# The footer starts its messages with a capital, as sentences.
	want="${want^}"
	if [ ${#want} -le "$APP_W" ]; then
		is "$shown" "$want" "$who '$key': the footer shows the command line's whole refusal"
	else
		# Longer than the screen is wide: on two lines.
		is "$wrapped" "$want" "$who '$key': the footer shows the command line's whole refusal (${#want} characters, on two lines)"
	fi
done <"$WORK/messages"
is "$(audit_count)" "$audit_before" "still no audit record after the command line's refusals"

# ---------------------------------------- in French: one wording

# Every refusal by role says "seul un admin ou ... du projet ERP peut ..."
# ("du projet", never "de ERP"), on the screens as on the command line.
BUILDDIR=${2:-}
FR_CREATE='Seul un admin ou le chef du projet ERP peut créer un déploiement'
FR_EXECUTE='Seul un admin ou un développeur senior du projet ERP peut exécuter un déploiement'
FR_START='Seul un admin ou un développeur senior du projet ERP peut démarrer un déploiement'

# footer_text: the footer's message, joined when it wraps onto the line
# above (a line that is not the message's is blank there).
footer_text() {
	printf '%s %s' "$(line $((APP_H - 3)) | sed 's/ *$//')" "$(message)" |
		sed 's/^ //'
}

# fr_refused WHO KEY SENTENCE: KEY leaves exactly SENTENCE in the footer.
fr_refused() {
	local who=$1 key=$2 want=$3 end
	wait_for_blank_message
	keys "$key"
	end=$((SECONDS + 5))
	until [ "$(footer_text)" == "$want" ] || ((SECONDS >= end)); do
		nap
	done
	is "$(footer_text)" "$want" "French: $who's '$key' is refused in the footer"
	keys Home # clears the message
}

if [ -n "$BUILDDIR" ] && [ -f "$BUILDDIR/po/fr/LC_MESSAGES/deploydesk.mo" ] &&
	locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	fr_env=(-e LANG=fr_FR.UTF-8 -e LC_ALL=fr_FR.UTF-8 -e DEPLOYDESK_LOCALEDIR="$BUILDDIR/po")
	start_app "${fr_env[@]}" --as mmartin --project ERP
	must "French: the screens open as mmartin" wait_for '^Historique des Déploiements' 10
	keys Home # v1.2.0, the newest, is the first row
	must "French: v1.2.0 selected" wait_selected v1.2.0 5
	fr_refused mmartin x "$FR_EXECUTE"
	fr_refused mmartin s "$FR_START"
	stop_app
	start_app "${fr_env[@]}" --as jdupont --project ERP
	must "French: the screens open as jdupont" wait_for '^Historique des Déploiements' 10
	like "$(line 0)" '\(jdupont\) - Dev senior$' "French: the header labels jdupont's role 'Dev senior'"
	fr_refused jdupont n "$FR_CREATE"
	stop_app
	fr_cli=$(LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 DEPLOYDESK_LOCALEDIR="$BUILDDIR/po" \
		dkas mmartin deploy start "$V120" 2>&1 >/dev/null)
	is "$fr_cli" "deploydesk: ${FR_START,}" \
		"French: the command line's refusal is the same sentence"
else
	T_N=$((T_N + 1))
	printf 'ok %d # SKIP %s\n' "$T_N" \
		"French refusals (no fr_FR.UTF-8 locale or no catalogue in ${BUILDDIR:-?}/po)"
fi

# ---------------------------------------- a schema changed behind its back

# A trigger planted in the file (or the server's schema): the screens say
# at once that no change can be saved, and a change tried anyway writes
# nothing.
if [ -z "$DD_PG" ]; then
	db_sql "CREATE TRIGGER planted AFTER UPDATE ON tasks BEGIN SELECT 1; END"
else
	db_sql "CREATE FUNCTION planted() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
		CREATE TRIGGER planted AFTER UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION planted()" >/dev/null
fi
before=$(db_state)
start_app --as mmartin --project ERP
if wait_for_i "schema changed outside deploydesk \\((trigger|function) planted" 5; then
	pass "the screens open with the schema's problem in the footer"
else
	fail "the screens open with the schema's problem in the footer" "$(screen)"
fi
stop_app
is "$(db_state)" "$before" "nothing was written while the schema differs"
if [ -z "$DD_PG" ]; then
	db_sql "DROP TRIGGER planted"
else
	db_sql "DROP TRIGGER planted ON tasks; DROP FUNCTION planted()" >/dev/null
fi

done_testing
