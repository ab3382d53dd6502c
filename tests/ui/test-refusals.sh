#!/bin/bash
# Each refusal by role, said in the footer: the dialog does not open and
# nothing is written. As jdupont (senior developer): n and a refused, x on
# the unauthorized v1.2.0 refused by the workflow; as mmartin (project
# manager): x and s refused; as lbernard (developer) and cpetit (viewer):
# n, a and x refused.
# Usage: test-refusals.sh PATH-TO-deploydesk

. "$(dirname "$0")/lib.sh" "$@"

CREATE_RE='only an admin or the project manager of ERP may create a deployment'
AUTHORIZE_RE='only an admin or the project manager of ERP may authorize a deployment'
EXECUTE_RE='only an admin or a senior developer of ERP may execute a deployment'
START_RE='only an admin or a senior developer of ERP may start a deployment'
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
like "$(line $((APP_H - 1)))" '^ Enter details +n new +a authorize ' \
	"mmartin: the keys line offers n and a"
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
	like "$(line $((APP_H - 1)))" '^ Enter details +/ filter +\? help +q quit' \
		"$who: the keys line offers no n, a, s or x"
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

# ---------------------------------------- a schema changed behind its back

# A trigger planted in the file: the screens say at once that no change can
# be saved, and a change tried anyway writes nothing.
sqlite3 "$DB" "CREATE TRIGGER planted AFTER UPDATE ON tasks BEGIN SELECT 1; END"
before=$(db_state)
start_app --as mmartin --project ERP
if wait_for_i "schema changed outside deploydesk \\(trigger planted" 5; then
	pass "the screens open with the schema's problem in the footer"
else
	fail "the screens open with the schema's problem in the footer" "$(screen)"
fi
stop_app
is "$(db_state)" "$before" "nothing was written while the schema differs"
sqlite3 "$DB" "DROP TRIGGER planted"

done_testing
