#!/bin/bash
# SPDX-License-Identifier: MIT
# A failure recorded by someone who may block versions offers to block the
# failed version, in French: a prompt over the incident box, its reason
# required, Esc declining it. B in the history blocks the selected version
# (its reason asked) or, blocked, unblocks it after a confirmation; a
# developer is not offered B.
# Usage: test-block.sh PATH-TO-deploydesk [BUILD-DIR]

. "$(dirname "$0")/lib.sh" "$@"

if ! french; then
	for i in $(seq 42); do skip "the French locale or catalogue is missing"; done
	done_testing
	exit 0
fi

dk --as mmartin deploy authorize "$(deploy_id v1.2.0)" >/dev/null 2>&1
is "$(deploy_field v1.2.0 authorized_by)" "mmartin" "v1.2.0 authorized"

start_app "${FR[@]}"
must "the screens open in French as the admin" wait_for '^Historique des Déploiements' 10
must "v1.2.0 selected" select_version v1.2.0
keys x
must "x opens the execute dialog" wait_for "┌ Exécuter le Déploiement" 5
type_text "ERREUR : migration 42"
wait_for 'ERREUR : migration 42' 5
keys Tab Tab Tab Enter
must "the failure asks for a confirmation" wait_for "┌ Confirmer l'échec" 5
keys Tab Enter
check "then: « Bloquer aussi la version v1.2.0 ? »" wait_for '┌ Bloquer aussi la version v1\.2\.0 \?' 5
check "... with buttons that say what they do" wait_for '\[ Ne pas la bloquer \] +\[ La bloquer \]' 1
keys Enter
check "no reason: the prompt stays, saying it is required" wait_for 'motif : requis pour bloquer une version' 5
type_text "Corrompt les factures"
keys Enter
check "the reason given: « Version v1.2.0 bloquée »" wait_for 'Version v1\.2\.0 bloquée' 5
is "$(dk --format csv version list ERP | sed 1d | tr -d '\r')" "v1.2.0" "... and blocked"
keys Escape
must "the history again" wait_for '^Historique des Déploiements' 5
check "the history says the version is blocked: « v1.2.0 (bloquée) »" \
	wait_for '^v1\.2\.0 \(bloquée\) +PROD ' 5
must "v1.2.0 selected" select_version v1.2.0
keys Enter
check "... and so do its details: « Version  v1.2.0 (bloquée) »" \
	wait_for '^ *Version +v1\.2\.0 \(bloquée\)$' 5
keys q
must "the history again" wait_for '^Historique des Déploiements' 5
keys B
check "B on a blocked version: « Débloquer la version v1.2.0 », saying what it allows again" \
	eval "wait_for '┌ Débloquer la version v1\.2\.0' 5 && wait_for 'de nouveau' 1"
keys Tab Enter
check "« La débloquer »: « Version v1.2.0 débloquée »" wait_for 'Version v1\.2\.0 débloquée' 5
is "$(dk --format csv version list ERP | sed 1d | tr -d '\r')" "" "... and no longer blocked"
check "... nor said so in the history" wait_for '^v1\.2\.0 +PROD ' 5
must "v1.1.9 selected" select_version v1.1.9
keys B
check "B: « Bloquer la version v1.1.9 », a reason asked" \
	eval "wait_for '┌ Bloquer la version v1\.1\.9' 5 && wait_for 'Motif' 1"
type_text "Fuite mémoire"
keys Enter
check "« Version v1.1.9 bloquée »" wait_for 'Version v1\.1\.9 bloquée' 5
is "$(dk --format csv version list ERP | sed 1d | cut -d, -f1 | tr -d '\r')" "v1.1.9" "... and blocked, with its reason"

# A reason typed is not thrown away by Esc without a question; with
# nothing typed, Esc closes at once.
must "v1.1.8 selected" select_version v1.1.8
keys B
must "B: « Bloquer la version v1.1.8 »" wait_for '┌ Bloquer la version v1\.1\.8' 5
type_text "Motif a moitie"
wait_for 'Motif a moitie' 5
keys Escape
check "Esc after a reason typed asks first: « Abandonner le texte ? »" \
	eval "wait_for '┌ Abandonner le texte \\?' 5 && wait_for 'Le texte saisi ici sera perdu' 1"
check "... its focus on « Continuer la saisie »" focused "Continuer la saisie"
keys Enter
check "« Continuer la saisie »: the prompt again, the reason still there" \
	eval "wait_for '┌ Bloquer la version v1\.1\.8' 5 && wait_for 'Motif a moitie' 1"
keys Escape
wait_for '┌ Abandonner le texte' 5
keys Tab Enter
check "« Abandonner »: the prompt closes" wait_for '^Historique des Déploiements' 5
is "$(dk --format csv version list ERP | sed 1d | cut -d, -f1 | tr -d '\r')" "v1.1.9" "... and v1.1.8 is not blocked"
keys B
must "B again" wait_for '┌ Bloquer la version v1\.1\.8' 5
keys Escape
check "Esc with nothing typed closes at once" \
	eval "wait_for '^Historique des Déploiements' 5 && ! screen | grep -q 'Abandonner le texte'"
keys q
check "q quits" wait_dead

# The longest version there may be, 50 characters of 4 bytes each,
# blocked: said whole in its details, never cut inside a character.
LONGV=v$(printf '\360\235\222\261%.0s' $(seq 49))
dkas mmartin deploy create ERP --version "$LONGV" --env TEST --description d \
	--responsible jdupont --date "2026-03-03 10:00" >/dev/null 2>&1
dk version block ERP "$LONGV" --reason "trop longue" >/dev/null 2>&1
start_app "${FR[@]}"
must "the screens open on the history" wait_for '^Historique des Déploiements' 10
keys Enter
check "a blocked version of 50 four-byte characters: « (bloquée) » whole after it in its details" \
	wait_for "^ *Version +$LONGV \\(bloquée\\)\$" 5
keys q
must "the history again" wait_for '^Historique des Déploiements' 5
keys B
check "B on it: « Débloquer la version » with the version whole, and the question whole after it" \
	eval "wait_for \"┌ Débloquer la version $LONGV \" 5 && wait_for \"La version $LONGV est\" 1 && wait_for 'démarrée\\.' 1 && ! screen | grep -q \$'\\xef\\xbf\\xbd'"
keys Escape
keys q
check "q quits" wait_dead

# A developer: B is not in the footer, and refused with why.
start_app "${FR[@]}" --as lbernard
must "the screens open as lbernard" wait_for '^Historique des Déploiements' 10
check "the footer does not offer B to a developer" eval "! wait_for ' B ' 1"
keys B
check "B refused in the footer, saying who may" wait_for "[Ss]eul un admin ou le chef du projet ERP" 5
keys q
check "q quits" wait_dead

done_testing
