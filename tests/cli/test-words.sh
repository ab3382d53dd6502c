#!/bin/bash
# SPDX-License-Identifier: MIT
# Statuses and environments are typed as the stored code or as their name,
# in English or in French, in any case, whatever the locale: by every
# command that takes one (deploy list --status/--env, deploy create --env,
# stage set, incident set). The French names are those the French screens
# and tables show.
# Usage: test-words.sh PATH-TO-deploydesk [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

# The built catalogues, for the runs in French.
export DEPLOYDESK_LOCALEDIR
DEPLOYDESK_LOCALEDIR=$(cd "$(dirname "$DD_GIVEN")" && pwd)/po

DB=$WORK/words.db
expect_ok "init --demo" "$DD" --db "$DB" init --demo

# versions LIST-ARGS...: the versions deploy list ERP gives, in order, on
# one line (after a run whose status is checked).
versions() {
	run dk --format json deploy list ERP "$@"
	[ "$RC" -eq 0 ] || { echo "exit $RC: $ERR"; return; }
	"$PY" -c 'import json,sys
print(" ".join(d["version"] for d in json.load(open(sys.argv[1]))))' "$WORK/.out"
}

# ---------------------------------------------------------------- statuses

for w in ECHEC echec Echec failed FAILED Failed Échec échec ÉCHEC \
	"$(printf 'E\xcc\x81CHEC')"; do
	is "$(versions --status "$w")" "v1.1.8" "deploy list --status '$w': the failed deployment"
done
for w in A_FAIRE a_faire planned PLANNED "to do" "To Do" Prévu PRÉVU "à faire" "À FAIRE"; do
	is "$(versions --status "$w")" "v1.2.0" "deploy list --status '$w': the planned deployment"
done
for w in TERMINEE terminee succeeded Finished Réussi RÉUSSI terminée; do
	is "$(versions --status "$w")" "v1.1.9 v1.1.7" "deploy list --status '$w': the succeeded deployments"
done
for w in EN_COURS "in progress" "En cours" "EN COURS"; do
	is "$(versions --status "$w")" "" "deploy list --status '$w': none in progress"
done
for w in Reussi reussi PREVU "a faire" "A FAIRE"; do
	is "$(versions --status "$w")" "$(versions --status "$(case $w in [Rr]*) echo TERMINEE ;; *) echo A_FAIRE ;; esac)")" \
		"deploy list --status '$w': accents may be left out"
done
is "$(versions --env developpement)" "" "deploy list --env developpement: Développement, accents left out"
refused 2 "^deploydesk: --status: 'Réüssi' is not A_FAIRE, EN_COURS, TERMINEE or ECHEC" \
	"deploy list --status Réüssi: an accent typed must be the word's" dk deploy list ERP --status Réüssi
refused 2 "^deploydesk: --status: 'Succès' is not A_FAIRE, EN_COURS, TERMINEE or ECHEC" \
	"deploy list --status Succès: not a status's name" dk deploy list ERP --status Succès
refused 2 "^deploydesk: --status: 'fail' is not A_FAIRE" \
	"deploy list --status fail: a word that only begins like one" dk deploy list ERP --status fail

# ---------------------------------------------------------------- environments

for w in PREPROD preprod Pre-production PRE-PRODUCTION pré-production Pré-production \
	"$(printf 'pre\xcc\x81-production')"; do
	is "$(versions --env "$w")" "v1.1.7" "deploy list --env '$w': the PREPROD deployment"
done
for w in DEV development Développement DÉVELOPPEMENT; do
	is "$(versions --env "$w")" "" "deploy list --env '$w': none in DEV"
done
is "$(versions --env production --status échec)" "v1.1.8" "deploy list --env production --status échec"
refused 2 "^deploydesk: --env: 'Preprod-uction' is not DEV, TEST, PREPROD or PROD" \
	"deploy list --env Preprod-uction" dk deploy list ERP --env Preprod-uction

# deploy create: its environment, stored as the code
for w in "Pré-production:PREPROD" "production:PROD" "Développement:DEV" "test:TEST"; do
	run dk deploy create ERP --version "v-${w%%:*}" --env "${w%%:*}" --description d \
		--responsible jdupont --date "2026-03-01 10:00"
	rc_is 0 "deploy create --env '${w%%:*}'"
	run dk --format json deploy show "$OUT"
	is "$(jget environment)" "${w#*:}" "... stored as ${w#*:}"
done
refused 2 "^deploydesk: environment: 'Staging' is not one of DEV, TEST, PREPROD, PROD$" \
	"deploy create --env Staging" dk deploy create ERP --version v-x --env Staging \
	--description d --responsible jdupont --date "2026-03-01 10:00"

# ---------------------------------------------------------------- stage set

stage_status() {
	"$DD" --db "$DB" --format json stage list ERP >"$WORK/.stages" 2>/dev/null
	jget 0.status "$WORK/.stages"
}
for w in "en cours:EN_COURS" "Terminée:TERMINEE" "to do:A_FAIRE" "Finished:TERMINEE" \
	"À FAIRE:A_FAIRE" "In Progress:EN_COURS" "succeeded:TERMINEE"; do
	run dk stage set ERP CONCEPTION "${w%%:*}"
	rc_is 0 "stage set ERP CONCEPTION '${w%%:*}'"
	is "$(stage_status)" "${w#*:}" "... CONCEPTION is ${w#*:}"
done
for w in ECHEC Échec failed; do
	refused 2 "^deploydesk: status: '$w' is not A_FAIRE, EN_COURS or TERMINEE" \
		"stage set ERP CONCEPTION '$w': not a stage's status" dk stage set ERP CONCEPTION "$w"
done

# ---------------------------------------------------------------- incident set

INCIDENT=$("$DD" --db "$DB" --format json incident list ERP | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
incident_status() {
	"$DD" --db "$DB" --format json incident show "$INCIDENT" >"$WORK/.inc" 2>/dev/null
	jget status "$WORK/.inc"
}
for w in "En cours:EN_COURS" "terminée:TERMINEE" "To do:A_FAIRE" "in progress:EN_COURS"; do
	run dk --as jdupont incident set "$INCIDENT" "${w%%:*}" --note "fait"
	rc_is 0 "incident set ID '${w%%:*}'"
	is "$(incident_status)" "${w#*:}" "... the incident is ${w#*:}"
done
refused 2 "^deploydesk: status: 'Échec' is not A_FAIRE, EN_COURS or TERMINEE" \
	"incident set ID Échec: not an incident's status" dk incident set "$INCIDENT" Échec

# ---------------------------------------------------------------- locales

# In the C locale (cron's), French words typed in UTF-8 still work.
run env LC_ALL=C "$DD" --db "$DB" --format json deploy list ERP --status Échec --env Production
is "$RC:$(jget 0.version):$(jget 1)" "0:v1.1.8:null" "LC_ALL=C: --status Échec --env Production"
if locale -a 2>/dev/null | grep -qix 'fr_FR.iso-\?8859-\?1'; then
	run env LC_ALL=fr_FR.ISO-8859-1 "$DD" --db "$DB" --format json deploy list ERP \
		--status "$(printf '\xc9chec')" --env "$(printf 'Pr\xe9-production')"
	is "$RC:$(jget 0)" "0:null" "fr_FR.ISO-8859-1: Latin-1 words are read in the terminal's set"
	run env LC_ALL=fr_FR.ISO-8859-1 "$DD" --db "$DB" --format json deploy list ERP \
		--status "$(printf '\xc9chec')"
	is "$RC:$(jget 0.version)" "0:v1.1.8" "fr_FR.ISO-8859-1: --status \\xc9chec is ECHEC"
else
	skip "locale fr_FR.ISO-8859-1 not generated"
	skip "locale fr_FR.ISO-8859-1 not generated"
fi

# In French, every status and environment the table shows is a word the
# options take back: the French names are the catalogue's.
if locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8' &&
	[ -f "$DEPLOYDESK_LOCALEDIR/fr/LC_MESSAGES/deploydesk.mo" ]; then
	run env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" --format table deploy show "$(deploy_ids ERP | tail -1)"
	like "$OUT" "Environnement : +Pré-production" "in French, deploy show names the environment Pré-production"
	mapfile -t shown < <(env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" deploy list ERP |
		tail -n +2 | awk '{ print $4 }' | sort -u)
	is "${shown[*]}" "Prévu Réussi Échec" "in French, deploy list shows Prévu, Réussi, Échec"
	for w in "${shown[@]}"; do
		run env LC_ALL=C.UTF-8 "$DD" --db "$DB" --format json deploy list ERP --status "$w"
		is "$RC:$(jget 0.status)" "0:$(case $w in Prévu) echo A_FAIRE ;; Réussi) echo TERMINEE ;; *) echo ECHEC ;; esac)" \
			"the French word '$w' is taken back in English"
	done
	run env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" --format json deploy list ERP --status failed
	is "$RC:$(jget 0.version)" "0:v1.1.8" "in French, the English word failed works too"
	mapfile -t stage_words < <(env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" stage list ERP |
		tail -n +2 | sed -E 's/^[A-Z]+ +//' | sort -u)
	for w in "${stage_words[@]}"; do
		run env LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" stage set ERP DEVELOPPEMENT "$w"
		[ "$RC" -eq 5 ] && RC=0 # already that status
		rc_is 0 "in French, the stage status '$w' the table shows is taken back"
	done
else
	for i in 1 2 3 4 5 6 7; do
		skip "locale fr_FR.UTF-8 or the French catalogue missing"
	done
fi

done_testing
