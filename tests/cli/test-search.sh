#!/bin/bash
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
cp "$DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE tasks SET logs = 'autre chose' WHERE id = '$A'"
run "$DD" --db "$WORK/edited.db" --format json audit verify
is "$(jget intact)" "false" "audit verify on a database edited by hand: not intact"

# Too long a search is refused with a message naming it.
run dk --as mmartin deploy list ERP --search "$(printf 'x%.0s' {1..201})"
is "$RC" 2 "a search of 201 characters: exit 2"
like "$ERR" 'search' "... the message names the search"

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
