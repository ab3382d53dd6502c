#!/bin/bash
# SPDX-License-Identifier: MIT
# The French catalogue is complete: every message of the sources is
# translated, none fuzzy, and the catalogue compiles cleanly.
#
#     test-po.sh DEPLOYDESK BUILD-DIR SOURCE-DIR

. "$(dirname "$0")/lib.sh" "$@"

PO=$SRCDIR/po/fr.po
if [ ! -f "$PO" ]; then
	echo "Bail out! no $PO (pass the source root as the third argument)"
	exit 1
fi
for tool in msgfmt msgcmp xgettext; do
	if ! command -v $tool >/dev/null; then
		echo "Bail out! $tool is needed (gettext)"
		exit 1
	fi
done

# ---- msgfmt --check --statistics
LC_ALL=C msgfmt --check --statistics -o /dev/null "$PO" >"$WORK/stats" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	pass "msgfmt --check accepts po/fr.po"
else
	fail "msgfmt --check accepts po/fr.po" "$(head -20 "$WORK/stats")"
fi
stats=$(grep -E 'translated message' "$WORK/stats" | tail -1)
translated=$(sed -nE 's/^([0-9]+) translated message.*/\1/p' <<<"$stats")
fuzzy=$(sed -nE 's/.* ([0-9]+) fuzzy translation.*/\1/p' <<<"$stats")
untranslated=$(sed -nE 's/.* ([0-9]+) untranslated message.*/\1/p' <<<"$stats")
if [ -n "$translated" ] && [ "$translated" -gt 0 ]; then
	pass "po/fr.po has translated messages ($translated)"
else
	fail "po/fr.po has translated messages" "msgfmt says: $stats"
fi
if [ -z "$untranslated" ]; then
	pass "po/fr.po has no untranslated message"
else
	fail "po/fr.po has no untranslated message" "msgfmt says: $stats" \
		"$(msgattrib --untranslated --no-obsolete "$PO" 2>/dev/null | grep -E '^msgid ' | sed -n '2,11p')"
fi
if [ -z "$fuzzy" ]; then
	pass "po/fr.po has no fuzzy translation"
else
	fail "po/fr.po has no fuzzy translation" "msgfmt says: $stats" \
		"$(msgattrib --only-fuzzy --no-obsolete "$PO" 2>/dev/null | grep -E '^msgid ' | sed -n '2,11p')"
fi

# ---- the header says UTF-8 (the sources are extracted --from-code=UTF-8)
if grep -qE '^"Content-Type: text/plain; charset=UTF-8\\n"' "$PO"; then
	pass "po/fr.po is declared UTF-8"
else
	fail "po/fr.po is declared UTF-8" "$(grep -m1 'Content-Type' "$PO")"
fi

# ---- every source file with translatable strings is in po/POTFILES
missing=$(cd "$SRCDIR" && grep -lE '(^|[^A-Za-z0-9_])(N_|_|ngettext_)\(' -r src --include='*.c' |
	sort | comm -23 - <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES | sort))
if [ -z "$missing" ]; then
	pass "every source file using _() is listed in po/POTFILES"
else
	fail "every source file using _() is listed in po/POTFILES" "missing: $missing"
fi

# ---- every message of the sources (extracted now) has a French translation
if (cd "$SRCDIR" && xgettext --keyword=_ --keyword=N_ --keyword=ngettext_:1,2 \
	--from-code=UTF-8 -o "$WORK/fresh.pot" -D . -f po/POTFILES) 2>"$WORK/xg.err"; then
	if LC_ALL=C msgcmp "$PO" "$WORK/fresh.pot" >"$WORK/cmp" 2>&1; then
		pass "every message of the sources has a (non-fuzzy) translation in po/fr.po"
	else
		fail "every message of the sources has a (non-fuzzy) translation in po/fr.po" \
			"$(head -20 "$WORK/cmp")" "the messages:" \
			"$(grep -oE 'fresh\.pot:[0-9]+: this message is used but not defined' "$WORK/cmp" |
				cut -d: -f2 | head -10 | while read -r n; do
					sed -n "$n,/^msgstr/p" "$WORK/fresh.pot" | grep -v '^msgstr'
				done)"
	fi
else
	fail "xgettext extracts the messages of po/POTFILES" "$(head -5 "$WORK/xg.err")"
fi

done_testing
