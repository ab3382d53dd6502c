# SPDX-License-Identifier: MIT
# Shared helpers for the i18n tests (character sets, locales, untrusted text).
#
# A test script starts with:
#     . "$(dirname "$0")/lib.sh" "$@"
# with $1 the deploydesk binary, $2 the build directory (its po/ holds the
# compiled catalogues), $3 the source root; it gets:
#     DD        a private copy of the binary
#     BUILDDIR  $2 (DEPLOYDESK_LOCALEDIR is set to $2/po)
#     SRCDIR    $3, else guessed from this file's place
#     WORK      its own temporary directory, removed on exit
#     HERE      this directory (ptyrun.py, ddtool.py)
#     PY        the python3 interpreter
# and ends with `done_testing`.

export TZ=UTC LC_ALL=C.UTF-8
unset DEPLOYDESK_DB XDG_DATA_HOME LANGUAGE LANG NO_COLOR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "${1:-}" ] || [ ! -x "$1" ]; then
	echo "Bail out! usage: $0 PATH-TO-deploydesk BUILD-DIR [SOURCE-DIR]"
	exit 1
fi
DD_GIVEN=$1
BUILDDIR=${2:-$(dirname "$1")}
BUILDDIR=$(cd "$BUILDDIR" && pwd)
SRCDIR=${3:-$(cd "$HERE/../.." && pwd)}
export DEPLOYDESK_LOCALEDIR=$BUILDDIR/po

if ! command -v python3 >/dev/null; then
	echo "Bail out! python3 is needed"
	exit 1
fi
PY=$(python3 -c 'import sys; print(sys.executable)')
# -S: no site module (nothing from site-packages is used; start-up is 4
# times faster); -B: no __pycache__ in the source tree
py() { "$PY" -S -B "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/deploydesk-i18n.XXXXXX") || exit 1
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary: a rebuild in the tree while the tests run
# must not make a command fail.
DD=$WORK/deploydesk
cp "$DD_GIVEN" "$DD" || { echo "Bail out! cannot copy $DD_GIVEN"; exit 1; }
chmod 755 "$DD"

# ---------------------------------------------------------------- TAP

# shellcheck source=../tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"

# skip DESC REASON
skip() {
	T_N=$((T_N + 1))
	printf 'ok %d - %s # SKIP %s\n' "$T_N" "$1" "$2"
}

# check DESC COMMAND...: passes when COMMAND succeeds; its output (the
# reason of a failure) goes to the diagnostics.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc" "$out"
	fi
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ] || exit 1
	exit 0
}

# ---------------------------------------------------------------- locales

# has_locale NAME: is NAME generated? (fr_FR.ISO-8859-15 is listed by
# `locale -a` as fr_FR.iso885915)
has_locale() {
	local want
	want=$(printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -d -- '-')
	case $want in c|posix) return 0 ;; esac
	locale -a 2>/dev/null | tr 'A-Z' 'a-z' | tr -d -- '-' | grep -qx -- "$want"
}

# need_locale NAME COUNT: when NAME is missing, prints COUNT skipped tests
# and fails (the caller then skips its block).
need_locale() {
	local i
	if has_locale "$1"; then
		return 0
	fi
	for ((i = 0; i < $2; i++)); do
		T_N=$((T_N + 1))
		printf 'ok %d - # SKIP locale %s not generated\n' "$T_N" "$1"
	done
	return 1
}

# ---------------------------------------------------------------- data

# demo_db FILE: a demo sandbox
demo_db() {
	"$DD" --db "$1" init --demo >/dev/null 2>"$WORK/demo.err" || {
		echo "Bail out! init --demo failed: $(cat "$WORK/demo.err")"
		exit 1
	}
}

# new_deploy DB VERSION DESCRIPTION [DATE]: creates (as mmartin) and
# authorizes a deployment, prints its id
new_deploy() {
	local id
	id=$("$DD" --db "$1" --as mmartin deploy create ERP --version "$2" \
		--env PROD --description "$3" --responsible jdupont \
		--date "${4:-2026-02-06 14:00}") || return 1
	"$DD" --db "$1" --as mmartin deploy authorize "$id" >/dev/null || return 1
	printf '%s\n' "$id"
}

DDTOOL=$HERE/ddtool.py

# expect DESC FILE SPEC...: one test per SPEC (see ddtool.py expect)
expect() {
	local desc=$1 file=$2
	shift 2
	verdicts "$desc" py "$DDTOOL" expect "$file" "$@"
}

# verdicts DESC COMMAND...: one test per "ok|LABEL" or "not ok|LABEL|WHY"
# line COMMAND prints ("# " lines are diagnostics of the verdict before)
verdicts() {
	local desc=$1 line verdict label why
	shift
	while IFS= read -r line; do
		case $line in
			'# '*) printf '%s\n' "$line"; continue ;;
		esac
		verdict=${line%%|*}
		line=${line#*|}
		label=${line%%|*}
		why=${line#*|}
		[ "$why" = "$line" ] && why=
		if [ "$verdict" = ok ]; then
			pass "$desc: $label"
		else
			fail "$desc: $label" "$why"
		fi
	done < <("$@" 2>&1)
}
