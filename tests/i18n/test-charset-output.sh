#!/bin/bash
# SPDX-License-Identifier: MIT
# Output in the locale's character set: table output converted with '?' for
# what the codeset cannot hold, arguments read in the locale's codeset, CSV
# in UTF-8 / --encoding / the terminal's codeset, JSON always UTF-8, dates
# in the locale's format.
#
#     test-charset-output.sh DEPLOYDESK BUILD-DIR [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/charset.db
demo_db "$DB"

L9=fr_FR.ISO-8859-15
L1=fr_FR.ISO-8859-1

# a deployment whose description is "Desc é€日" (planned, not executed: no
# logs, so that CSV records have no line break inside)
DESC=$(printf 'Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5')
ID=$(new_deploy "$DB" v-cs "$DESC") || { echo "Bail out! cannot create a deployment"; exit 1; }

# out LOCALE FILE ARGS...: runs the program with LC_ALL=LOCALE, stdout to FILE
out() {
	local loc=$1 f=$2
	shift 2
	LC_ALL=$loc "$DD" --db "$DB" "$@" >"$f" 2>"$WORK/err"
}

# ---- table output in Latin-9: é € as e9 a4, 日 as '?'
if need_locale $L9 5; then
	f=$WORK/show-l9
	if out $L9 "$f" deploy show "$ID"; then
		pass "$L9: deploy show exits 0"
	else
		fail "$L9: deploy show exits 0" "$(cat "$WORK/err")"
	fi
	check "$L9: description written as 'Desc ' e9 a4 3f (é € ?)" \
		py "$DDTOOL" grep-bytes "$f" 'Desc \xe9\xa4?\n'
	check "$L9: no UTF-8 bytes of é" py "$DDTOOL" no-bytes "$f" '\xc3\xa9'
	check "$L9: no UTF-8 bytes of €" py "$DDTOOL" no-bytes "$f" '\xe2\x82\xac'
	check "$L9: no UTF-8 bytes of 日" py "$DDTOOL" no-bytes "$f" '\xe6\x97\xa5'
fi

# ---- Latin-1: no euro sign
if need_locale $L1 3; then
	f=$WORK/show-l1
	out $L1 "$f" deploy show "$ID"
	check "$L1: description written as 'Desc ' e9 3f 3f (é ? ?)" \
		py "$DDTOOL" grep-bytes "$f" 'Desc \xe9??\n'
	check "$L1: no Latin-9 euro byte a4 there" py "$DDTOOL" no-bytes "$f" 'Desc \xe9\xa4'
	check "$L1: no UTF-8 bytes of é" py "$DDTOOL" no-bytes "$f" '\xc3\xa9'
fi

# ---- C: ASCII only
f=$WORK/show-c
out C "$f" deploy show "$ID"
check "C: description written as 'Desc ???'" py "$DDTOOL" grep-bytes "$f" 'Desc ???\n'
check "C: deploy show writes no byte >= 0x80" py "$DDTOOL" ascii "$f"
out C "$WORK/list-c" deploy list ERP
check "C: deploy list writes no byte >= 0x80" py "$DDTOOL" ascii "$WORK/list-c"

# ---- UTF-8 locale: UTF-8 as it is
f=$WORK/show-u
out C.UTF-8 "$f" deploy show "$ID"
check "C.UTF-8: description written in UTF-8" \
	py "$DDTOOL" grep-bytes "$f" 'Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5\n'

# ---- arguments are read in the locale's codeset
if need_locale $L9 4; then
	id=$(LC_ALL=$L9 "$DD" --db "$DB" --as mmartin deploy create ERP \
		--version "$(printf 'v-l9-\xe9')" --env PROD \
		--description "$(printf 'Caf\xe9 \xa4 \xbd')" --responsible jdupont \
		--date "2026-02-06 14:00" 2>"$WORK/err")
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$L9: deploy create with Latin-9 arguments exits 0"
	else
		fail "$L9: deploy create with Latin-9 arguments exits 0" "exit $rc: $(cat "$WORK/err")"
	fi
	check "$L9: argument bytes 'Caf' e9 ' ' a4 ' ' bd stored as UTF-8 'Café € œ'" \
		py "$DDTOOL" field "$DD" "$DB" "$id" description 'Caf\xc3\xa9 \xe2\x82\xac \xc5\x93'
	check "$L9: version argument 'v-l9-' e9 stored as UTF-8" \
		py "$DDTOOL" field "$DD" "$DB" "$id" version 'v-l9-\xc3\xa9'
	# an argument echoed in an error message comes back in Latin-9
	LC_ALL=$L9 "$DD" --db "$DB" deploy list ERP --env "$(printf '\xc9T\xc9')" \
		>/dev/null 2>"$WORK/err-l9"
	check "$L9: an argument echoed in an error message is written back in Latin-9 (c9 54 c9)" \
		py "$DDTOOL" grep-bytes "$WORK/err-l9" '\xc9T\xc9'
fi

# ---- --help and usage errors are messages too: in the locale's codeset
if need_locale $L9 3; then
	LC_ALL=$L9 "$DD" --help >"$WORK/help-l9" 2>&1
	expect "$L9: --help" "$WORK/help-l9" '+\xe9' '-\xc3\xa9'
	LC_ALL=$L9 "$DD" --db "$DB" no-such-command >/dev/null 2>"$WORK/usage-l9"
	expect "$L9: a usage error" "$WORK/usage-l9" '-\xc3'
fi

# ---- file names are bytes: not converted like text arguments
# (a Latin-9 user's files have Latin-9 names)
if need_locale $L9 4; then
	d=$WORK/$(printf 'r\xe9p')
	mkdir -p "$d"
	LC_ALL=$L9 "$DD" --db "$d/base.db" init --demo >/dev/null 2>"$WORK/err"
	rc=$?
	if [ $rc -eq 0 ] && [ -f "$d/base.db" ]; then
		pass "$L9: --db in a directory named r\\xe9p creates the database there"
	else
		fail "$L9: --db in a directory named r\\xe9p creates the database there" \
			"exit $rc: $(cat "$WORK/err")" \
			"files made: $(cd "$WORK" && find . -name base.db | od -c | head -3)"
	fi
	if [ -e "$WORK/$(printf 'r\xc3\xa9p')" ]; then
		fail "$L9: no directory named r\\xc3\\xa9p (the name converted to UTF-8) appears" \
			"$(ls -b "$WORK" | tr '\n' ' ')"
	else
		pass "$L9: no directory named r\\xc3\\xa9p (the name converted to UTF-8) appears"
	fi
	f=$WORK/$(printf 'journal-\xe9.log')
	printf 'Caf\xe9\n' >"$f"
	id=$(new_deploy "$DB" v-path-l9 "path test")
	LC_ALL=$L9 "$DD" --db "$DB" --as jdupont deploy succeed "$id" --logs-file "$f" \
		>/dev/null 2>"$WORK/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$L9: --logs-file journal-\\xe9.log (Latin-9 name) is read"
	else
		fail "$L9: --logs-file journal-\\xe9.log (Latin-9 name) is read" \
			"exit $rc: $(iconv -f ISO-8859-15 -t UTF-8 "$WORK/err" 2>/dev/null || cat "$WORK/err")"
	fi
	check "$L9: its logs are stored" py "$DDTOOL" field "$DD" "$DB" "$id" logs 'Caf\xc3\xa9\n'
fi
if need_locale fr_FR.UTF-8 1; then
	f=$WORK/$(printf 'journal-\xc3\xa9.log')
	printf 'Caf\xe9\n' >"$f"
	id=$(new_deploy "$DB" v-path-u8 "path test")
	LC_ALL=fr_FR.UTF-8 "$DD" --db "$DB" --as jdupont deploy succeed "$id" --logs-file "$f" \
		>/dev/null 2>"$WORK/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "fr_FR.UTF-8: --logs-file journal-\\xc3\\xa9.log (UTF-8 name) is read"
	else
		fail "fr_FR.UTF-8: --logs-file journal-\\xc3\\xa9.log (UTF-8 name) is read" "exit $rc: $(cat "$WORK/err")"
	fi
fi
f=$WORK/$(printf 'journal-c-\xe9.log')
printf 'Caf\xe9\n' >"$f"
id=$(new_deploy "$DB" v-path-c "path test")
LC_ALL=C "$DD" --db "$DB" --as jdupont deploy succeed "$id" --logs-file "$f" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc -eq 0 ]; then
	pass "C: --logs-file journal-c-\\xe9.log (a byte >= 0x80 in the name) is read"
else
	fail "C: --logs-file journal-c-\\xe9.log (a byte >= 0x80 in the name) is read" "exit $rc: $(cat "$WORK/err")"
fi

# ---- CSV
f=$WORK/csv-1252
out C.UTF-8 "$f" --format csv --encoding CP1252 deploy show "$ID"
check "CSV --encoding CP1252: é € 日 written as e9 80 3f" \
	py "$DDTOOL" grep-bytes "$f" 'Desc \xe9\x80?'
check "CSV --encoding CP1252: CRLF line ends" py "$DDTOOL" crlf "$f"
out C.UTF-8 "$WORK/csv-list-1252" --format csv --encoding CP1252 deploy list ERP
check "CSV --encoding CP1252 (deploy list): CRLF line ends" \
	py "$DDTOOL" crlf "$WORK/csv-list-1252"

if need_locale $L9 3; then
	f=$WORK/csv-l9-file
	out $L9 "$f" --format csv deploy show "$ID"
	check "$L9: CSV to a file is UTF-8 (not the locale's codeset)" \
		py "$DDTOOL" grep-bytes "$f" 'Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5'
	out $L9 "$WORK/csv-l9-enc" --format csv --encoding ISO-8859-15 deploy show "$ID"
	check "$L9: CSV --encoding ISO-8859-15 writes e9 a4 3f" \
		py "$DDTOOL" grep-bytes "$WORK/csv-l9-enc" 'Desc \xe9\xa4?'
	# on a terminal: the terminal's codeset
	f=$WORK/csv-l9-tty
	py "$HERE/ptyrun.py" --locale $L9 --out "$f" --quiet-ms 150 -- \
		"$DD" --db "$DB" --format csv deploy show "$ID" >/dev/null 2>&1
	check "$L9: CSV on a terminal is in the terminal's codeset (e9 a4 3f)" \
		py "$DDTOOL" grep-bytes "$f" 'Desc \xe9\xa4?'
fi

# ---- JSON: UTF-8 whatever the locale
for loc in C C.UTF-8 $L9 $L1; do
	if ! has_locale $loc; then
		skip "JSON under $loc" "locale $loc not generated"
		continue
	fi
	f=$WORK/json-$loc
	out $loc "$f" --format json deploy show "$ID"
	check "JSON under $loc is UTF-8 with the description exact" \
		py "$DDTOOL" jsonfile "$f" description 'Desc \xc3\xa9\xe2\x82\xac\xe6\x97\xa5'
done

# ---- dates in the locale's format
# row_has FILE VERSION TEXT
row_has() {
	local row
	row=$(grep -a -E "(^|[[:space:]])$2([[:space:]]|$)" "$1")
	if [ -z "$row" ]; then
		echo "no row for $2 in:"; cat "$1"; return 1
	fi
	if ! grep -qF -- "$3" <<<"$row"; then
		echo "row: $row"; echo "expected: $3"; return 1
	fi
}
if need_locale fr_FR.UTF-8 2; then
	out fr_FR.UTF-8 "$WORK/list-fr" deploy list ERP
	check "fr_FR.UTF-8: deploy list shows v1.2.0 planned 06/02/2026 14:00" \
		row_has "$WORK/list-fr" 'v1\.2\.0' '06/02/2026 14:00'
	out fr_FR.UTF-8 "$WORK/show-fr" deploy show "$ID"
	check "fr_FR.UTF-8: deploy show gives the planned date as 06/02/2026 14:00" \
		grep -qaF '06/02/2026 14:00' "$WORK/show-fr"
fi
out C.UTF-8 "$WORK/list-cu" deploy list ERP
check "C.UTF-8: deploy list shows v1.2.0 planned 2026-02-06 14:00" \
	row_has "$WORK/list-cu" 'v1\.2\.0' '2026-02-06 14:00'
out C "$WORK/list-c2" deploy list ERP
check "C: deploy list shows v1.2.0 planned 2026-02-06 14:00" \
	row_has "$WORK/list-c2" 'v1\.2\.0' '2026-02-06 14:00'
if need_locale en_US.UTF-8 2; then
	out en_US.UTF-8 "$WORK/list-en" deploy list ERP
	check "en_US.UTF-8: deploy list shows v1.2.0 planned 02/06/2026 (month first)" \
		row_has "$WORK/list-en" 'v1\.2\.0' '02/06/2026'
	if grep -a 'v1\.2\.0' "$WORK/list-en" | grep -qF '2026-02-06'; then
		fail "en_US.UTF-8: the date is not the ISO form" "$(grep -a 'v1\.2\.0' "$WORK/list-en")"
	else
		pass "en_US.UTF-8: the date is not the ISO form"
	fi
fi

done_testing
