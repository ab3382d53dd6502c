#!/bin/bash
# SPDX-License-Identifier: MIT
# audit list's filters: --from and --to (a day alone is whole; or a time),
# --user LOGIN, --action NAME or its first word, with a project or not;
# each refused with its reason when it is not one.
# Usage: test-audit-filters.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/filters.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
actions() { "$PY" -c 'import json,sys
print(" ".join(r["action"] for r in json.load(sys.stdin)))'; }
seqs() { "$PY" -c 'import json,sys
print(" ".join(str(r["seq"]) for r in json.load(sys.stdin)))'; }
logins() { "$PY" -c 'import json,sys
print(" ".join(sorted({r["login"] for r in json.load(sys.stdin)})))'; }

# The demo's history is written at its own dates: February 2026.
all=$(dk --format json audit list | seqs | wc -w)
is "$(dk --format json audit list --action deploy.authorize | actions)" \
	"deploy.authorize deploy.authorize deploy.authorize" "--action deploy.authorize: the demo's three authorizations"
is "$(dk --format json audit list --action deploy | actions | tr ' ' '\n' | sort -u | tr '\n' ' ')" \
	"deploy.authorize deploy.create deploy.fail deploy.start deploy.succeed " "--action deploy: every deploy.* action, nothing else"
is "$(dk --format json audit list --user jdupont | logins)" "jdupont" "--user jdupont: only what jdupont did"
is "$(dk --format json audit list --user jdupont --action deploy.start | actions)" \
	"deploy.start deploy.start deploy.start" "... with --action: both hold"
is "$(dk --format json audit list --from 2026-02-04 --to 2026-02-04 | "$PY" -c 'import json,sys
print(" ".join(sorted({r["ts"][:10] for r in json.load(sys.stdin)})))')" "2026-02-04" \
	"--from and --to the same day: that day's records, whole"
n1=$(dk --format json audit list --to 2026-02-03 | seqs | wc -w)
n2=$(dk --format json audit list --from 2026-02-04 | seqs | wc -w)
n3=$(dk --format json audit list --from 2026-02-04 --to 2026-02-04 | seqs | wc -w)
is "$(dk --format json audit list --from "2026-02-04 00:00" --to "2026-02-05 00:00" | seqs | wc -w)" "$n3" \
	"a day alone is from its midnight to the next: the same as with times"
is "$((n1 + n2))" "$all" "before and from a day: every record once"
is "$(dk --format json audit list ERP --action stage | actions)" "stage.set stage.set stage.set stage.set" \
	"with a project: its stage changes"
is "$(dk --format json audit list --user cpetit)" "[]" "someone registered who did nothing (cpetit, the viewer): an empty list"

refused 2 "^deploydesk: action: 'deploy.launch' is none of database\.init, .* \(or their first word\)$" \
	"an unknown action" dk audit list --action deploy.launch
refused 2 "^deploydesk: from: '2026-02-30': no such date \(or a day alone, YYYY-MM-DD\)$" \
	"a day that does not exist" dk audit list --from 2026-02-30
refused 2 "^deploydesk: to: '2026-01-01' is not after from \('2026-02-01'\)$" \
	"a period that ends before it begins" dk audit list --from 2026-02-01 --to 2026-01-01
refused 2 "^deploydesk: login: 'x y' is not an account name" "a login with a blank" \
	dk audit list --user "x y"
refused 2 "^deploydesk: user: no one is registered as 'jdupond' \(see 'deploydesk user list'\)$" \
	"a login no one has (a typo): said, not an empty list" dk audit list --user jdupond
done_testing
