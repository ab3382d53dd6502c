#!/bin/bash
# SPDX-License-Identifier: MIT
# The bulk listings (deploy list, audit list), which stream their rows:
# stored text of every kind printed the same way past the table's first
# chunk of 500 rows as within it (the widths are taken there; the rest is
# written as it comes), CSV and JSON carrying the stored values, CSV in
# CP1252, and a long list read without being held in memory.
. "$(dirname "$0")/lib.sh" "$@"

CHECK=$(dirname "$0")/listing-check.py
DB=$WORK/listing.db

# Runs the checker and turns its PASS / FAIL lines into TAP.
checker() {
	local line
	while IFS= read -r line; do
		case $line in
		PASS\ *) pass "${line#PASS }" ;;
		FAIL\ *) fail "${line#FAIL }" ;;
		*) fail "listing-check.py: $line" ;;
		esac
	done < <("$PY" "$CHECK" "$@" 2>&1)
}

expect_ok "init --demo" dk init --demo
check "nasty values stored twice, around row 500" "$PY" "$CHECK" fill "$DB"

for fmt in table csv json; do
	dk --format "$fmt" deploy list ERP >"$WORK/$fmt.out" 2>"$WORK/$fmt.err"
	is "$?" 0 "deploy list ($fmt) succeeds"
	checker "$fmt" "$DB" "$WORK/$fmt.out"
done

# A non-UTF-8 locale: the same rows, converted with '?' for the rest.
LC_ALL=fr_FR.ISO-8859-1 dk deploy list ERP >"$WORK/latin1.out" 2>/dev/null
if [ "$(LC_ALL=fr_FR.ISO-8859-1 locale charmap 2>/dev/null)" = ISO-8859-1 ]; then
	like "$(iconv -f ISO-8859-1 -t UTF-8 "$WORK/latin1.out" | grep -c .)" \
		'^6[0-9][0-9]$' "deploy list in an ISO-8859-1 locale: every row"
	check "deploy list in an ISO-8859-1 locale: no C1 byte" \
		bash -c '! LC_ALL=C grep -q $'"'"'[\x80-\x9f]'"'"' "$1"' _ "$WORK/latin1.out"
else
	skip "no fr_FR.ISO-8859-1 locale"
	skip "no fr_FR.ISO-8859-1 locale"
fi

dk --format csv deploy list ERP --encoding CP1252 >"$WORK/cp1252.out"
is "$?" 0 "deploy list --encoding CP1252 succeeds"
# Only the rows CP1252 can say something of: the plain rows and a few.
"$PY" - "$WORK/csv.out" "$WORK/cp1252.out" "$WORK/csv-some" "$WORK/cp-some" <<'PY'
import sys
u = open(sys.argv[1], "rb").read().split(b"\r\n")
c = open(sys.argv[2], "rb").read().split(b"\r\n")
keep = [i for i, r in enumerate(u) if all(ord(ch) < 0x80 or ch in "é€œ日本語" for ch in r.decode("utf-8", "replace")) and "\ufffd" not in r.decode("utf-8", "replace")]
open(sys.argv[3], "wb").write(b"\r\n".join(u[i] for i in keep if i < len(c)))
open(sys.argv[4], "wb").write(b"\r\n".join(c[i] for i in keep if i < len(c)))
PY
checker cp1252 "$DB" "$WORK/cp-some" "$WORK/csv-some"

# A long list is streamed: the memory used does not grow with it.
rss() {
	"$PY" -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
declare -A small
for fmt in table csv json; do
	small[$fmt]=$(rss "$DD" --db "$DB" --format "$fmt" deploy list ERP)
done
"$PY" "$CHECK" grow "$DB" 200000
for fmt in table csv json; do
	large=$(rss "$DD" --db "$DB" --format "$fmt" deploy list ERP)
	check "deploy list ($fmt) of 200,000 rows more in the same memory (${small[$fmt]} kB, then $large kB)" \
		test "$large" -lt $((small[$fmt] + 8192))
done

done_testing
