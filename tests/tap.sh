# SPDX-License-Identifier: MIT
# TAP output for the shell tests (tests/cli, tests/i18n, tests/ui): each
# check prints "ok N - ..." or "not ok N - ..."; done_testing in each
# suite's lib.sh prints the plan and the exit status.

T_N=0
T_FAILED=0

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass() {
	T_N=$((T_N + 1))
	printf 'ok %d - %s\n' "$T_N" "$1"
}

# fail DESC [DIAGNOSTIC LINE]...
fail() {
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	printf 'not ok %d - %s\n' "$T_N" "$1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}
