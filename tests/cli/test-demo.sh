#!/bin/bash
# SPDX-License-Identifier: MIT
# The demo sandbox made by a person whose login is one of the demo's people
# (mmartin, jdupont, lbernard, cpetit: the accounts the README's shared
# recipe makes). init --demo works; that person is registered once, stays
# the admin and has the demo person's role in ERP; the other people, the
# history and its incident are the demo's; the audit trail verifies; and
# the story goes on with --as.
# As root, each account is made with useradd when missing (removed after);
# skipped otherwise.
# Usage: test-demo.sh PATH-TO-deploydesk [SOURCE-DIR]

# The accounts must reach the work directory: under /tmp, whatever $TMPDIR
# says.
TMPDIR=/tmp . "$(dirname "$0")/lib.sh" "$@"

if [ "$(id -u)" -ne 0 ]; then
	skip "init --demo as accounts named like the demo's people: needs root (useradd, runuser)"
	done_testing
fi
for tool in useradd userdel runuser; do
	if ! command -v $tool >/dev/null; then
		skip "init --demo as accounts named like the demo's people: needs $tool"
		done_testing
	fi
done

MADE_USERS=()
demo_cleanup() {
	cleanup
	for u in "${MADE_USERS[@]}"; do
		userdel "$u" 2>/dev/null
	done
}
trap demo_cleanup EXIT

# as LOGIN ARG...: the program on that account's database, as that account.
as() {
	local u=$1
	shift
	runuser -u "$u" -- "$DD" --db "$WORK/$u/demo.db" "$@"
}

# summary KIND: the last run's JSON list, one word per row.
summary() {
	"$PY" - "$1" "$WORK/.out" <<'EOF'
import json, sys
kind, rows = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
if kind == "users":
    words = [r["login"] + (":admin" if r["admin"] else "") for r in rows]
elif kind == "members":
    words = [r["login"] + ":" + r["role"] + (":senior" if r["senior"] else "")
             for r in rows]
elif kind == "deploys":
    words = [":".join([r["version"], r["environment"], r["status"],
                       "authorized" if r["authorized"] else "planned",
                       r["responsible"]]) for r in rows]
else:
    words = [":".join([r["name"], r["status"], r["priority"],
                       r["responsible"]]) for r in rows]
print(" ".join(sorted(words)))
EOF
}

MEMBERS="cpetit:AUTRE jdupont:DEVELOPPEUR:senior lbernard:DEVELOPPEUR mmartin:CHEF_PROJET"
DEPLOYS="v1.1.7:PREPROD:TERMINEE:authorized:jdupont v1.1.8:PROD:ECHEC:authorized:jdupont v1.1.9:TEST:TERMINEE:authorized:jdupont v1.2.0:PROD:A_FAIRE:planned:jdupont"
INCIDENTS="INCIDENT - Échec déploiement v1.1.8:A_FAIRE:HAUTE:jdupont"

for me in mmartin jdupont lbernard cpetit; do
	if ! id -u "$me" >/dev/null 2>&1; then
		if ! useradd --no-create-home --shell /bin/sh --comment "Test $me" "$me"; then
			fail "useradd $me"
			continue
		fi
		MADE_USERS+=("$me")
	fi
	mkdir "$WORK/$me" && chown "$me" "$WORK/$me"

	run as "$me" init --demo
	rc_is 0 "$me: init --demo, run by $me, succeeds"
	like "$ERR" "^Created demo sandbox" "$me: ... and says so"
	run as "$me" --format json user list
	users="cpetit jdupont lbernard mmartin"
	is "$(summary users)" "${users/$me/$me:admin}" \
		"$me: the demo's four people, $me once, the admin"
	run as "$me" --format json member list ERP
	is "$(summary members)" "$MEMBERS" "$me: the members of ERP and their roles are the demo's"
	run as "$me" --format json deploy list ERP
	is "$(summary deploys)" "$DEPLOYS" "$me: the demo's four deployments"
	run as "$me" --format json incident list ERP
	is "$(summary incidents)" "$INCIDENTS" "$me: the demo's incident"
	run as "$me" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "$me: audit verify: intact"

	# The story goes on: the project manager authorizes v1.2.0, the senior
	# developer runs it.
	run as "$me" --format json deploy list ERP
	id=$(jget 0.id)
	run as "$me" --as mmartin deploy authorize "$id"
	rc_is 0 "$me: v1.2.0 authorized --as mmartin"
	run as "$me" --as jdupont deploy start "$id"
	rc_is 0 "$me: started --as jdupont"
	printf 'Déploiement OK\n' >"$WORK/$me/ok.log"
	chmod 644 "$WORK/$me/ok.log"
	run as "$me" --as jdupont deploy succeed "$id" --logs-file "$WORK/$me/ok.log"
	rc_is 0 "$me: succeeded --as jdupont"
	run as "$me" --format json stats ERP
	is "$(jget total) $(jget succeeded) $(jget failed) $(jget planned)" "4 3 1 0" \
		"$me: the statistics follow"
	run as "$me" --format json audit verify
	is "$RC:$(jget intact)" "0:true" "$me: audit verify: still intact"
done

done_testing
