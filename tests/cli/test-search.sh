#!/bin/bash
# SPDX-License-Identifier: MIT
# deploy list --search: the full-text index of the history (schema version
# 4). Words are prefixes, all must match, case and accents are ignored, and
# what people type is never FTS5 syntax. The index follows every write.
# Usage: test-search.sh PATH-TO-deploydesk SOURCE-DIR

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/search.db
expect_ok "init --demo" dk init --demo

# versions (newest planned first) that a search lists: "v1 v2 ..."
found() {
	run dk --as mmartin --format json deploy list ERP "$@"
	[ "$RC" -eq 0 ] || { echo "exit $RC: $ERR"; return; }
	"$PY" -c 'import json,sys
print(" ".join(d["version"] for d in json.load(open(sys.argv[1]))))' "$WORK/.out"
}
# create VERSION ENV DESCRIPTION DATE: a deployment by the project manager
create() {
	dk --as mmartin deploy create ERP --version "$1" --env "$2" \
		--description "$3" --responsible jdupont --date "$4" 2>/dev/null
}

A=$(create s1.0 PROD "Basculement du schéma clients" "2027-01-01 10:00")
B=$(create s1.1 TEST "Correctif facturier (urgent) *prioritaire*" "2027-01-02 10:00")
C=$(create s1.2 PROD "Reprise après ÉCHEC de la bascule" "2027-01-03 10:00")
D=$(create s2.0 DEV "Nouvelle fonctionnalité: export NEAR AND OR NOT" "2027-01-04 10:00")
check "four deployments made" test -n "$A" -a -n "$B" -a -n "$C" -a -n "$D"

is "$(found --search s1.1)" "s1.1" "by version (s1.1)"
is "$(found --search S1.1)" "s1.1" "by version, another case (S1.1)"
is "$(found --search 1.1.7)" "v1.1.7" "a version without its leading v (1.1.7 finds v1.1.7)"
is "$(found --search v1.1.7)" "v1.1.7" "... and with it"
is "$(found --search 1.1)" "v1.1.9 v1.1.8 v1.1.7" "... only a v is dropped (1.1 does not find s1.1)"
is "$(found --search facturier)" "s1.1" "by a word of the description"
is "$(found --search echec)" "s1.2 v1.1.8" "accents and case ignored: echec finds ÉCHEC (and the demo's Échec)"
is "$(found --search 'schema')" "s1.0" "schema finds schéma"
is "$(found --search 'SCHÉMA')" "s1.0" "SCHÉMA finds schéma"
is "$(found --search bascul)" "s1.2 s1.0" "a prefix: bascul finds bascule and Basculement, in history order"
is "$(found --search 'bascule reprise')" "s1.2" "two words: both must match"
is "$(found --search 'reprise clients')" "" "two words in different deployments: no match"
is "$(found --search 'jdup')" "s2.0 s1.2 s1.1 s1.0 v1.2.0 v1.1.9 v1.1.8 v1.1.7" "the responsible person's login"
is "$(found --search 'dupont s2')" "s2.0" "... and name, with a version"
is "$(found --search zorglub)" "" "no match: an empty list"
rc_is 0 "... and exit 0"
run dk --as mmartin deploy list ERP --search zorglub
is "$RC:$OUT" "0:(none)" "no match, as a table: (none), exit 0"

# What FTS5 would read as syntax is taken literally, never an error.
for q in '"' '""' 'a"b' '*' 'urgent*' '-urgent' 'facturier:' '^facturier' \
	'(urgent)' '(urgent' 'NEAR' 'NEAR(urgent' 'AND' 'OR' 'NOT' 'urgent OR zorglub' \
	'urgent NOT facturier' '{facturier}' 'c:urgent' "'" '\' '+' '%' '_'; do
	run dk --as mmartin --format json deploy list ERP --search "$q"
	is "$RC:$(err_one_line && echo err)" "0:" "search $q: exit 0, no error"
done
is "$(found --search '(urgent)')" "s1.1" "(urgent): the word urgent"
is "$(found --search '*prioritaire*')" "s1.1" "*prioritaire*: the word prioritaire"
is "$(found --search '-urgent')" "s1.1" "-urgent: the word, not its negation"
is "$(found --search 'urgent OR zorglub')" "" "OR is a word to find, not an operator"
is "$(found --search 'NEAR AND')" "s2.0" "NEAR and AND are words"
is "$(found --search 'a"b')" "" "a quote inside a word"
is "$(found --search 'fonctionnalité: export')" "s2.0" "a colon after a word"

# Filters combined with a search.
is "$(found --search bascul --env PROD)" "s1.2 s1.0" "search and --env"
is "$(found --search bascul --env TEST)" "" "search and another --env: none"
is "$(found --search bascul --status A_FAIRE --env PROD)" "s1.2 s1.0" "search, --env and --status"

# The index follows authorize, start, succeed and fail; logs are searched.
expect_ok "authorize s1.0" dk --as mmartin deploy authorize "$A"
expect_ok "start s1.0" dk --as jdupont deploy start "$A"
is "$(found --search bascul --status EN_COURS)" "s1.0" "after start: found with its new status"
is "$(found --search timeout)" "" "a word not yet in any logs"
expect_ok "fail s1.0 with logs" dk --as jdupont deploy fail "$A" --logs "Étape 3 : Timeout de connexion au serveur BDD"
is "$(found --search timeout)" "s1.0" "a word of the logs, after fail"
is "$(found --search 'etape connexion')" "s1.0" "two words of the logs, accents ignored"
is "$(found --search bascul --status ECHEC)" "s1.0" "its new status with a search"
expect_ok "authorize s1.1" dk --as mmartin deploy authorize "$B"
# A log of 1 MiB, with one word in the middle.
"$PY" - "$WORK/big.log" <<'PYEOF'
import sys
line = "INFO tout va bien ligne de remplissage\n"
n = (1 << 20) // len(line)
with open(sys.argv[1], "w") as f:
    f.write(line * (n // 2) + "ERROR quasimodo introuvable\n" + line * (n // 2 - 1))
PYEOF
expect_ok "succeed s1.1 with a 1 MiB log" dk --as jdupont deploy succeed "$B" --logs-file "$WORK/big.log"
is "$(found --search quasimodo)" "s1.1" "a word in the middle of a 1 MiB log"
is "$(found --search 'quasi intro')" "s1.1" "two prefixes in a 1 MiB log"
is "$(found --search remplissage)" "s1.1" "a word repeated all over it"
is "$(found --search timeout)" "s1.0" "the other logs still found"
run dk --format json audit verify
is "$RC:$(jget intact)" "0:true" "audit verify: intact, the search index checked and in step"

# The index out of step with the deployments (a row's logs changed behind
# deploydesk's back): audit verify says so.
if on_sqlite; then
	cp "$DB" "$WORK/edited.db"
	sqlite3 "$WORK/edited.db" "UPDATE tasks SET logs = 'autre chose' WHERE id = '$A'"
	run "$DD" --db "$WORK/edited.db" --format json audit verify
	is "$(jget intact)" "false" "audit verify on a database edited by hand: not intact"
else
	skip "audit verify on a database edited by hand: SQLite's file"
fi

# Too long a search is refused with a message naming it.
run dk --as mmartin deploy list ERP --search "$(printf 'x%.0s' {1..201})"
is "$RC" 2 "a search of 201 characters: exit 2"
like "$ERR" 'search' "... the message names the search"

# Many matches (more than model-search.c's FEW_MAX, 2000): the history is
# walked in chunks and the index asked per run of close rowids. 9000
# deployments written by SQL (then the index rebuilt), each result compared
# with the same filter computed from the text by LIKE, in history order,
# over every page (deploy list reads 500 rows a page):
#  - rowids 1-3000 planned in creation order, two by two on the same minute
#    (the id breaks the tie);
#  - rowids 3001-6000 planned at scattered minutes among them: far apart
#    in rowid from their neighbours in history order;
#  - rowids 6001-9000 newest, planned in the reverse of their creation.
# Words: zcommun in all, ztiers in one in 3, zalpha one in 2, zbeta four in
# 5, zbloc in alternate runs of 100 rows, zblocage one in 11 (zbloc also
# finds it: two words of the index), zrare one in 500 (few: the sorted plan);
# x and x1 begin more than 16 words (the versions): prefix queries, x's 9000
# matches read as a set.
sqlite_tail "many matches, the plans and the index: FTS5's, written by SQL"
BIG=$WORK/many.db
cp "$DB" "$BIG"
sqlite3 "$BIG" <<'SQLEOF'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
INSERT INTO tasks (id, stage_id, type, name, description, status,
                   responsible, planned_at, version, environment,
                   authorized_by, authorized_at, created_by, created_at)
SELECT printf('%08x-0000-4000-8000-%012x', i, i),
       (SELECT s.id FROM stages s JOIN projects p ON p.id = s.project_id
        WHERE p.code = 'ERP' AND s.code = 'DEPLOIEMENT'),
       'DEPLOIEMENT', 'x' || i,
       'lot zcommun'
       || CASE WHEN i % 3 = 0 THEN ' ztiers' ELSE '' END
       || CASE WHEN i % 2 = 0 THEN ' zalpha' ELSE '' END
       || CASE WHEN i % 5 <> 0 THEN ' zbeta' ELSE '' END
       || CASE WHEN (i / 100) % 2 = 0 THEN ' zbloc' ELSE '' END
       || CASE WHEN i % 11 = 0 THEN ' zblocage' ELSE '' END
       || CASE WHEN i % 500 = 0 THEN ' zrare' ELSE '' END,
       CASE i % 3 WHEN 0 THEN 'A_FAIRE' WHEN 1 THEN 'TERMINEE' ELSE 'ECHEC' END,
       (SELECT id FROM users WHERE login = 'jdupont'),
       strftime('%Y-%m-%dT%H:%M:%SZ', '2030-01-01', '+' ||
                CASE WHEN i <= 3000 THEN i / 2
                     WHEN i <= 6000 THEN (i * 7919) % 3000
                     ELSE 20000 - i END || ' minutes'),
       'x' || i,
       CASE i % 4 WHEN 0 THEN 'DEV' WHEN 1 THEN 'TEST' WHEN 2 THEN 'PREPROD' ELSE 'PROD' END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE (SELECT id FROM users WHERE login = 'mmartin') END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE '2029-12-01T00:00:00Z' END,
       (SELECT id FROM users WHERE login = 'mmartin'), '2029-12-01T00:00:00Z'
FROM n;
INSERT INTO task_search (task_search) VALUES ('rebuild');
SQLEOF
check "9000 deployments added" test "$(sqlite3 "$BIG" "SELECT count(*) FROM tasks WHERE name LIKE 'x%'")" = 9000
# expected WORDS [SQL CONDITION]: the versions, newest first, of the
# deployments that have, for each word, a word beginning with it.
expected() {
	local where="t.type = 'DEPLOIEMENT'" w
	for w in $1; do
		where+=" AND (' ' || t.version || ' ' || t.name || ' ' || t.description || ' ') LIKE '% $w%'"
	done
	[ -n "${2:-}" ] && where+=" AND $2"
	sqlite3 "$BIG" "SELECT version FROM tasks t WHERE $where
		ORDER BY t.planned_at DESC, t.id DESC" | paste -sd' '
}
many() {
	local save=$DB
	DB=$BIG
	found "$@"
	DB=$save
}
for c in "zcommun|" "ztiers|" "zalpha zbeta|" "zbloc|" "zblocage|" "zrare|" "x|" "x1|" "x12 zcommun|" \
	"ztiers|--env PROD|t.environment = 'PROD'" \
	"zcommun|--status ECHEC|t.status = 'ECHEC'" \
	"zbloc|--env TEST --status A_FAIRE|t.environment = 'TEST' AND t.status = 'A_FAIRE'" \
	"zalpha zbeta|--env DEV|t.environment = 'DEV'"; do
	IFS='|' read -r words opts cond <<<"$c"
	want=$(expected "$words" "$cond")
	# shellcheck disable=SC2086
	got=$(many --search "$words" $opts)
	n=$(wc -w <<<"$want")
	if [ "$got" == "$want" ]; then
		pass "many matches: --search '$words' $opts: the $n expected, in history order"
	else
		fail "many matches: --search '$words' $opts: the $n expected, in history order" \
			"got $(wc -w <<<"$got") rows; first difference: $(diff <(tr ' ' '\n' <<<"$got") <(tr ' ' '\n' <<<"$want") | head -3 | tr '\n' ' ')"
	fi
done
check "the common words have more than 2000 matches (so the chunked walk is what was tested)" \
	test "$(wc -w <<<"$(expected "zalpha zbeta")")" -gt 2000
is "$(many --search zcommun --limit 7)" "$(expected zcommun | cut -d' ' -f1-7)" "--limit 7: the first 7"
DEPLOYDESK_SQL_TRACE=$WORK/trace "$DD" --db "$BIG" --as mmartin --format json deploy list ERP --search ztiers >/dev/null
like "$(cat "$WORK/trace")" "rowid BETWEEN" "a common word is read through range queries of the index"

rm -f "$WORK/trace"
DEPLOYDESK_SQL_TRACE=$WORK/trace "$DD" --db "$BIG" --as mmartin --format json deploy list ERP --search x --limit 10 >/dev/null
check "a prefix of one character that begins many versions is read by the blocks of the history (history_spans)" \
	grep -q 'FROM history_spans' "$WORK/trace"
rm -f "$WORK/trace"
DEPLOYDESK_SQL_TRACE=$WORK/trace "$DD" --db "$BIG" --as mmartin --format json deploy list ERP --search x- --limit 10 >/dev/null
check "a prefix that is not a simple word (x-) is read as one set, the history walked, not by blocks" \
	eval "! grep -q 'FROM history_spans' '$WORK/trace' && grep -q '+t.rowid IN' '$WORK/trace'"
is "$(many --search x-)" "$(expected x)" "... the same rows as x, in history order"
# A deployment moved by SQL to be the newest: the trigger widens its block's
# span, and the prefix's search lists it first.
sqlite3 "$BIG" "UPDATE tasks SET planned_at = '2040-01-01T00:00:00Z' WHERE version = 'x17'"
is "$(many --search x)" "$(expected x)" "a plan moved by SQL is where its new date puts it"
is "$(many --search x --limit 1)" "x17" "... first"

# audit verify finds an index that does not say what the deployments say
# (its check runs beside the rest of verify, on a connection of its own).
cp "$DB" "$WORK/index.db"
sqlite3 "$WORK/index.db" "INSERT INTO task_search (rowid, version, name, description, responsible, logs) VALUES (999999, 'zfantome', 'zfantome', 'zfantome', 'zfantome', 'zfantome')"
run "$DD" --db "$WORK/index.db" --format json audit verify
is "$RC:$(jget intact)" "1:false" "audit verify: a row planted in the search index is a failure"
like "$(jget problem)" "the search index does not match the deployments" "... named"

# audit verify finds a span narrowed by hand: a search would miss a
# deployment of its block.
expect_ok "audit verify: intact before" dk --format json audit verify
sqlite3 "$DB" "UPDATE history_spans SET first_at = '2027-01-02T00:00:00Z' WHERE block = 0 AND stage_id = (SELECT id FROM stages WHERE code = 'DEPLOIEMENT')"
run dk --format json audit verify
is "$RC:$(jget intact)" "1:false" "audit verify: a narrowed span is a failure"
like "$(jget problem)" "history_spans" "... named (history_spans), with the deployment it leaves out"

# The plan: no filtered page walks the whole history.
STAGE=$(sqlite3 "$DB" "SELECT id FROM stages WHERE code = 'DEPLOIEMENT'")
for where in "t.environment = 'PROD'" "t.status = 'ECHEC'" \
	"t.environment = 'PROD' AND t.status = 'ECHEC'"; do
	plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT t.id FROM tasks t
		WHERE t.stage_id = '$STAGE' AND t.type = 'DEPLOIEMENT' AND $where
		ORDER BY t.planned_at DESC, t.id DESC LIMIT 50")
	if [[ $plan == *"USING "*"INDEX tasks_"*"_history"* && $plan != *"TEMP B-TREE"* ]]; then
		pass "$where: read through an index in history order"
	else
		fail "$where: read through an index in history order" "$plan"
	fi
done

done_testing
