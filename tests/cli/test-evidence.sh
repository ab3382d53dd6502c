#!/bin/bash
# SPDX-License-Identifier: MIT
# export evidence --from --to [--project] [--env] DIR: a new folder an
# auditor takes away: every file present, the CSVs parse, sha256sum -c
# passes and fails once a file is edited, two exports are byte-identical,
# hostile text is escaped in HTML and harmless in text and CSV, separation
# of duties is judged; bad input refused before anything is made.
# Usage: test-evidence.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/evidence.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo
expect_ok "alice, a second admin" dk user add alice --name "Alice Admin" --admin
# A deployment approved by someone other than its creator and executed by
# a third person: separation of duties holds. Its description is hostile.
H='<script>alert("x")</script> =cmd|'"'"'/c calc'"'"'!A0 '$'\e[31m'
ID=$(dk --as mmartin deploy create ERP --version v2.0 --env PROD --description "$H" \
	--responsible jdupont --date "2026-02-10 10:00" 2>/dev/null)
dk --as alice deploy authorize "$ID" >/dev/null 2>&1
dk --as jdupont deploy start "$ID" >/dev/null 2>&1
dk --as jdupont deploy succeed "$ID" --logs "ok" >/dev/null 2>&1
C=$(dk --as mmartin deploy create ERP --version v2.1 --env PROD --description d \
	--responsible jdupont --date "2026-02-11 10:00" 2>/dev/null)
dk --as mmartin deploy cancel "$C" --reason "Plus nécessaire" >/dev/null 2>&1

run dk export evidence --from 2026-02-01 --to 2026-02-28 "$WORK/e1"
is "$RC" 0 "export evidence: done"
like "$ERR" "^Wrote the evidence of 6 deployments into .*/e1 \(19 files; check them with sha256sum -c MANIFEST\.sha256\)$" \
	"... said, with how to check it"
for f in population.csv exceptions.csv access.csv audit.jsonl verify.txt README.txt MANIFEST.sha256; do
	check "$f is there" test -s "$WORK/e1/$f"
done
is "$(ls "$WORK/e1/changes" | wc -l)" 12 "changes/: a text and an HTML page per deployment"
check "sha256sum -c MANIFEST.sha256 passes" eval "(cd '$WORK/e1' && sha256sum --quiet -c MANIFEST.sha256)"
is "$("$PY" -c 'import csv,sys
for f in ("population.csv", "exceptions.csv", "access.csv"):
    rows = list(csv.reader(open(sys.argv[1] + "/" + f, newline="", encoding="utf-8")))
    assert all(len(r) == len(rows[0]) for r in rows), f
print(len(list(csv.reader(open(sys.argv[1] + "/population.csv", newline="", encoding="utf-8")))) - 1)' "$WORK/e1")" \
	6 "the CSVs parse, every row as wide as its header; 6 deployments planned in February"
pop() { "$PY" -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
r = [x for x in rows if x["version"] == sys.argv[2]][0]
print(":".join(r[k] for k in sys.argv[3:]))' "$WORK/e1/population.csv" "$@"; }
is "$(pop v2.0 status created_by executed_by sod_holds)" "TERMINEE:mmartin:jdupont:yes" \
	"v2.0: approved by alice, executed by jdupont: separation of duties holds"
is "$(pop v1.1.7 sod_holds)" "no" "v1.1.7: approved only by its creator: it does not"
is "$(pop v2.1 status sod_holds)" "ANNULEE:" "the cancelled one is in the population too"
like "$(pop v2.0 approvals)" "^alice@2026-" "... each approval, who and when"
check "the HTML escapes the hostile description" \
	eval "grep -q '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' '$WORK/e1/changes/$ID.html' && ! grep -q '<script>' '$WORK/e1/changes/$ID.html'"
check "the text page shows no raw escape" eval "! grep -q $'\e' '$WORK/e1/changes/$ID.txt'"
is "$(wc -l < "$WORK/e1/audit.jsonl")" "$("$PY" -c 'import json,sys
print(sum(1 for r in json.load(sys.stdin) if "2026-02-01" <= r["ts"][:10] <= "2026-02-28"))' < <(dk --format json audit list))" \
	"audit.jsonl: the period's records"
check "... chained: each prev_hash is the hash before it" "$PY" -c 'import json,sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]) if b["seq"] == a["seq"] + 1)' "$WORK/e1/audit.jsonl"
like "$(cat "$WORK/e1/verify.txt")" "^intact: yes" "verify.txt: audit verify's answer"

run dk export evidence --from 2026-02-01 --to 2026-02-28 "$WORK/e2"
check "two exports of the same database and period are byte-identical" diff -r "$WORK/e1" "$WORK/e2"
printf 'x' >>"$WORK/e1/population.csv"
check "an edited file fails the manifest" eval "! (cd '$WORK/e1' && sha256sum --quiet -c MANIFEST.sha256 >/dev/null 2>&1)"

run dk export evidence --from 2026-02-01 --to 2026-02-28 --project ERP --env PROD "$WORK/e3"
is "$(sed 1d "$WORK/e3/population.csv" | cut -d, -f4 | sort -u)" "PROD" "--env PROD: its deployments only"
like "$(head -1 "$WORK/e3/README.txt")" "project ERP, environment PROD\.$" "... and README.txt says which project and environment"
dk project add CRM --name "Clients" >/dev/null 2>&1
dk member add CRM mmartin --role chef >/dev/null 2>&1
run dk export evidence --from 2026-01-01 --to 2030-12-31 --project ERP "$WORK/e6"
is "$("$PY" -c 'import csv,sys
print(" ".join(sorted({r["project"] for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))})))' "$WORK/e6/access.csv")" \
	" ERP" "access.csv with --project ERP: its grants and the accounts' (no project), not CRM's"

refused 2 "^deploydesk: .*--from.*" "--from is required" dk export evidence --to 2026-02-28 "$WORK/e4"
check "... and nothing was made" test ! -e "$WORK/e4"
refused 2 "^deploydesk: .*/e1: not empty; the evidence goes into a new folder$" "a folder that holds files is refused" \
	dk export evidence --from 2026-02-01 --to 2026-02-28 "$WORK/e1"
refused 2 "^deploydesk: to: '2026-01-01' is not after from \('2026-02-01'\)$" "a backwards period" \
	dk export evidence --from 2026-02-01 --to 2026-01-01 "$WORK/e5"
refused 2 "^deploydesk: export evidence: DIR is empty" "an empty folder name" \
	dk export evidence --from 2026-02-01 --to 2026-02-28 ""
refused 4 "^deploydesk: no project 'NOPE'" "an unknown project" \
	dk export evidence --from 2026-02-01 --to 2026-02-28 --project NOPE "$WORK/e16"
check "... and no folder is left" test ! -e "$WORK/e16"
refused 2 "^deploydesk: environment: 'NOPE' is not one of" "an unknown environment" \
	dk export evidence --from 2026-02-01 --to 2026-02-28 --env NOPE "$WORK/e17"
check "... and no folder is left" test ! -e "$WORK/e17"
mkdir "$WORK/e18"
refused 4 "^deploydesk: no project 'NOPE'" "an unknown project, into an empty folder of one's own" \
	dk export evidence --from 2026-02-01 --to 2026-02-28 --project NOPE "$WORK/e18"
check "... which stays, empty" eval "test -d '$WORK/e18' && test -z \"\$(ls -A '$WORK/e18')\""
done_testing
