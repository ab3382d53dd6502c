#!/bin/bash
# SPDX-License-Identifier: MIT
# The command-line suites on PostgreSQL (meson's cli-pg-* tests): stands in
# for deploydesk, turning each database file a suite names (--db PATH,
# $DEPLOYDESK_DB) into a schema of its own on the server named by
# $DEPLOYDESK_TEST_PG, and runs the real program ($DD_PG_REAL) on it. The
# schema is named after the path, made by the first command that names it
# (init makes the tables there), and dropped with the suite's directory
# (lib.sh). A location that is not a path is passed as it is. Run where
# the environment is not the suite's (in tmux), it finds the program, the
# list of schemas and the server beside itself.
#
#   dd_pg_location PATH   prints the location a path becomes (lib.sh)

here=$(dirname "$0")
DD_PG_REAL=${DD_PG_REAL:-$here/deploydesk.bin}
DD_PG_SCHEMAS=${DD_PG_SCHEMAS:-$here/.pg-schemas}
if [ -z "${DEPLOYDESK_TEST_PG:-}" ] && [ -r "$here/.pg-server" ]; then
	DEPLOYDESK_TEST_PG=$(cat "$here/.pg-server")
fi

pg_location() {
	local sum schema
	sum=$(printf '%s' "$1" | sha1sum)
	schema=cli_${sum:0:16}
	if ! grep -qx "$schema" "$DD_PG_SCHEMAS" 2>/dev/null; then
		psql "$DEPLOYDESK_TEST_PG" -qAtX -c "CREATE SCHEMA IF NOT EXISTS $schema" >/dev/null 2>&1
		echo "$schema" >>"$DD_PG_SCHEMAS"
	fi
	case $DEPLOYDESK_TEST_PG in
	*\?*) printf '%s&options=-csearch_path%%3D%s' "$DEPLOYDESK_TEST_PG" "$schema" ;;
	*) printf '%s?options=-csearch_path%%3D%s' "$DEPLOYDESK_TEST_PG" "$schema" ;;
	esac
}

# A path: what a suite gives for a file (absolute, or relative with a
# slash or a .db name), not a server's location.
is_path() {
	case $1 in
	postgresql://* | postgres://* | *=*) return 1 ;;
	/* | ./* | *.db) return 0 ;;
	*) return 1 ;;
	esac
}

if [ "${1:-}" = dd_pg_location ]; then
	pg_location "$2"
	exit
fi
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--db)
		if [ $# -lt 2 ]; then
			args+=("$1")
			shift
		elif is_path "$2"; then
			args+=(--db "$(pg_location "$2")")
			shift 2
		else
			args+=("$1" "$2")
			shift 2
		fi
		;;
	--db=*)
		if is_path "${1#--db=}"; then
			args+=(--db "$(pg_location "${1#--db=}")")
		else
			args+=("$1")
		fi
		shift
		;;
	--)
		args+=("$@")
		break
		;;
	*)
		args+=("$1")
		shift
		;;
	esac
done
if [ -n "${DEPLOYDESK_DB:-}" ] && is_path "$DEPLOYDESK_DB"; then
	DEPLOYDESK_DB=$(pg_location "$DEPLOYDESK_DB")
	export DEPLOYDESK_DB
fi
exec -a deploydesk "$DD_PG_REAL" "${args[@]}"
