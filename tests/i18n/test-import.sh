#!/bin/bash
# SPDX-License-Identifier: MIT
# Logs files in various encodings: what is stored (UTF-8, exactly) and what
# the audit trail says about the source (encoding, size, SHA-256).
#
#     test-import.sh DEPLOYDESK BUILD-DIR [SOURCE-DIR]

. "$(dirname "$0")/lib.sh" "$@"

DB=$WORK/import.db
demo_db "$DB"

# import DESC CONTENT EXPECTED_STORED EXPECTED_ENCODING [OPTION...]
#   CONTENT and EXPECTED_STORED are byte strings with \xNN escapes.
#   OPTION: "global:--encoding X" before the command, anything else after it;
#   "cmd:fail" executes with `deploy fail` instead of `deploy succeed`;
#   "stdin" gives the file on standard input (--logs-file -).
import_case() {
	local desc=$1 content=$2 want=$3 enc=$4
	shift 4
	local n=$((T_N + 1)) id file=$WORK/logs-$((T_N + 1)).txt
	local pre=() post=() verb=succeed stdin=0 o rc
	for o in "$@"; do
		case $o in
			global:*) read -ra g <<<"${o#global:}"; pre+=("${g[@]}") ;;
			cmd:*) verb=${o#cmd:} ;;
			stdin) stdin=1 ;;
			*) post+=("$o") ;;
		esac
	done
	printf '%b' "$content" >"$file"
	if ! id=$(new_deploy "$DB" "imp-$n" "import test $n"); then
		fail "$desc: set-up (create, authorize)"
		return
	fi
	if [ $stdin = 1 ]; then
		"$DD" --db "$DB" --as jdupont "${pre[@]}" deploy "$verb" "$id" \
			--logs-file - "${post[@]}" <"$file" >"$WORK/out" 2>"$WORK/err"
	else
		"$DD" --db "$DB" --as jdupont "${pre[@]}" deploy "$verb" "$id" \
			--logs-file "$file" "${post[@]}" >"$WORK/out" 2>"$WORK/err"
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$desc: deploy $verb exits 0"
	else
		fail "$desc: deploy $verb exits 0" "exit $rc: $(cat "$WORK/err")"
	fi
	verdicts "$desc" py "$DDTOOL" import-check "$DD" "$DB" "$id" "$want" "$enc" "$file"
}

import_case "UTF-8 file" \
	'D\xc3\xa9ploiement r\xc3\xa9ussi \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\nligne 2\n' \
	'D\xc3\xa9ploiement r\xc3\xa9ussi \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\nligne 2\n' \
	UTF-8

import_case "UTF-8 file with a BOM (BOM dropped)" \
	'\xef\xbb\xbfhello \xc3\xa9t\xc3\xa9\n' \
	'hello \xc3\xa9t\xc3\xa9\n' \
	UTF-8

import_case "CP1252 file (no --encoding)" \
	'Caf\xe9 \x80\n' \
	'Caf\xc3\xa9 \xe2\x82\xac\n' \
	CP1252

import_case "CP1252 with curly quotes and dashes" \
	'\x93ok\x94 \x96 \x85 \x9c\n' \
	'\xe2\x80\x9cok\xe2\x80\x9d \xe2\x80\x93 \xe2\x80\xa6 \xc5\x93\n' \
	CP1252

import_case "invalid UTF-8 with the 5 bytes CP1252 leaves undefined (read as ISO-8859-1: C1 controls)" \
	'err\x81 \x8d\x8f\x90\x9d \xe9\n' \
	'err\xc2\x81 \xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d \xc3\xa9\n' \
	CP1252

import_case "a lone 0x81 byte" \
	'\x81' \
	'\xc2\x81' \
	CP1252

import_case "--encoding ISO-8859-15 (option of succeed): \\xa4 is the euro sign" \
	'Prix: 10 \xa4 \xe9\n' \
	'Prix: 10 \xe2\x82\xac \xc3\xa9\n' \
	ISO-8859-15 --encoding ISO-8859-15

import_case "global --encoding ISO-8859-15 on deploy fail: \\xbd \\xbe are oe, Y-diaeresis" \
	'\xbd\xbe \xa4\n' \
	'\xc5\x93\xc5\xb8 \xe2\x82\xac\n' \
	ISO-8859-15 "global:--encoding ISO-8859-15" cmd:fail

import_case "--encoding UTF-16LE of a small text" \
	'C\x00a\x00f\x00\xe9\x00 \x00\xac\x20\n\x00' \
	'Caf\xc3\xa9 \xe2\x82\xac\n' \
	UTF-16LE --encoding UTF-16LE

import_case "valid UTF-8 is taken as UTF-8 even with --encoding ISO-8859-15" \
	'd\xc3\xa9j\xc3\xa0 \xe2\x82\xac\n' \
	'd\xc3\xa9j\xc3\xa0 \xe2\x82\xac\n' \
	UTF-8 --encoding ISO-8859-15

import_case "CP1252 on standard input (--logs-file -)" \
	'Caf\xe9 \x80 stdin\n' \
	'Caf\xc3\xa9 \xe2\x82\xac stdin\n' \
	CP1252 stdin

# ---- an unknown or malformed encoding: exit 2, one line naming
# --encoding and saying what is wrong, nothing written (the name would go
# into the audit trail)
# bad_encoding DESC NAME ERE
bad_encoding() {
	local desc=$1 name=$2 re=$3 where file id rc
	for where in global sub; do
		file=$WORK/enc-$T_N.txt
		printf 'Caf\xe9\n' >"$file"
		id=$(new_deploy "$DB" "enc-$T_N" "bad encoding") || { fail "set-up for --encoding $desc"; continue; }
		py "$DDTOOL" state "$DD" "$DB" "$id" >"$WORK/before"
		if [ $where = global ]; then
			"$DD" --db "$DB" --as jdupont --encoding "$name" deploy succeed "$id" \
				--logs-file "$file" >"$WORK/out" 2>"$WORK/err"
		else
			"$DD" --db "$DB" --as jdupont deploy succeed "$id" \
				--logs-file "$file" --encoding "$name" >"$WORK/out" 2>"$WORK/err"
		fi
		rc=$?
		if [ $rc -eq 2 ]; then
			pass "--encoding $desc ($where option): exit 2"
		else
			fail "--encoding $desc ($where option): exit 2" "exit $rc" "$(head -c 300 "$WORK/err")"
		fi
		if [ ! -s "$WORK/out" ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] &&
			[ "$(wc -c <"$WORK/err")" -lt 300 ] && grep -Eq -- "$re" "$WORK/err"; then
			pass "--encoding $desc ($where option): nothing on stdout, one short line on stderr matching /$re/"
		else
			fail "--encoding $desc ($where option): nothing on stdout, one short line on stderr matching /$re/" \
				"stdout: $(cat "$WORK/out")" "stderr: $(head -c 300 "$WORK/err")"
		fi
		py "$DDTOOL" state "$DD" "$DB" "$id" >"$WORK/after"
		if cmp -s "$WORK/before" "$WORK/after"; then
			pass "--encoding $desc ($where option): deployment and audit trail unchanged"
		else
			fail "--encoding $desc ($where option): deployment and audit trail unchanged" \
				"$(diff "$WORK/before" "$WORK/after" | head -c 1500)"
		fi
	done
}
bad_encoding FOO FOO "^deploydesk: --encoding: 'FOO' is not an encoding this system knows"
bad_encoding '""' '' "^deploydesk: --encoding: the encoding's name is empty"
bad_encoding '(blanks)' '   ' "^deploydesk: --encoding: the encoding's name is empty"
bad_encoding '(120 KB)' "$(head -c 122880 /dev/zero | tr '\0' A)" \
	"^deploydesk: --encoding: the encoding's name is 122880 bytes long, at most 64"
bad_encoding '(65 bytes)' "$(head -c 65 /dev/zero | tr '\0' A)" \
	"^deploydesk: --encoding: the encoding's name is 65 bytes long, at most 64"
bad_encoding UTF-8//IGNORE UTF-8//IGNORE "^deploydesk: --encoding: 'UTF-8//IGNORE' is not an encoding's name"
bad_encoding '"ISO 8859-1"' 'ISO 8859-1' "^deploydesk: --encoding: 'ISO 8859-1' is not an encoding's name"
bad_encoding '(an escape sequence)' "$(printf 'CP1252\033[2J')" \
	"^deploydesk: --encoding: 'CP1252\^\[\[2J' is not an encoding's name"

# ---- the screens: x (execute) on the first row, Ctrl-O loads a file, then
# "Mark as succeeded": the logs are imported like the command line's
# tui_load DESC LOCALE DATE PATH CONTENT EXPECTED_STORED EXPECTED_ENCODING
tui_load() {
	local desc=$1 loc=$2 date=$3 path=$4 content=$5 want=$6 enc=$7 id out
	local raw=$WORK/tui-$T_N.raw pyenc=utf-8 keys
	case $loc in *8859-15*) pyenc=iso-8859-15 ;; esac
	if ! has_locale "$loc"; then
		skip "$desc" "locale $loc not generated"
		skip "$desc" "locale $loc not generated"
		return
	fi
	printf '%b' "$content" >"$path"
	id=$(new_deploy "$DB" "tui-$T_N" "execute in the screens" "$date") ||
		{ fail "$desc: set-up"; return; }
	# the path as the keyboard sends it: bytes in the locale's codeset
	keys=$(printf '%s' "$path" | py -c '
import sys; sys.stdout.write("".join("\\x%02x" % b for b in sys.stdin.buffer.read()))')
	py "$HERE/ptyrun.py" --locale "$loc" --quiet-ms 150 \
		--keys "x C-o text:$keys Enter Tab Tab Enter Tab Enter" \
		--out "$raw" -- "$DD" --db "$DB" --project ERP >/dev/null 2>"$WORK/pty.err"
	if out=$(py "$DDTOOL" field "$DD" "$DB" "$id" logs "$want" 2>&1); then
		pass "$desc: stored logs are exactly the expected UTF-8"
	else
		fail "$desc: stored logs are exactly the expected UTF-8" "$out" \
			"after the file name was typed, the screen said: $(py "$DDTOOL" context "$raw" "$pyenc" "$keys")"
	fi
	check "$desc: audit records encoding $enc and the source's size and SHA-256" \
		py "$DDTOOL" audit "$DD" "$DB" "$id" "$enc" "$path"
}

tui_load "screens, C.UTF-8: Ctrl-O loads a CP1252 file with CRLF line ends" C.UTF-8 \
	"2027-01-01 09:00" "$WORK/win.log" \
	'Caf\xe9 \x80\r\nline 2\r\n\x81end\r\n' \
	'Caf\xc3\xa9 \xe2\x82\xac\r\nline 2\r\n\xc2\x81end\r\n' CP1252
# A file whose name is in the locale's codeset (how a Latin-9 user's files
# are named): the typed name is the file's name, byte for byte.
tui_load "screens, fr_FR.ISO-8859-15: Ctrl-O loads a file named journal-\\xe9.log (Latin-9 name)" \
	fr_FR.ISO-8859-15 "2027-01-02 09:00" "$WORK/journal-$(printf '\xe9').log" \
	'Caf\xe9\n' 'Caf\xc3\xa9\n' CP1252

check "audit chain still verifies" "$DD" --db "$DB" audit verify

done_testing
