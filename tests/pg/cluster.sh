#!/bin/bash
# SPDX-License-Identifier: MIT
# A throw-away PostgreSQL cluster for the tests, needing no root afterwards
# and no TCP port: initdb in DIR, a Unix socket in DIR/socket, port 5499.
#
#   tests/pg/cluster.sh start DIR   prints the location to give the tests:
#                                   export DEPLOYDESK_TEST_PG=$(tests/pg/cluster.sh start /tmp/ddpg)
#   tests/pg/cluster.sh stop DIR
#
# Run as root, the server runs as the postgres account (Debian's package
# makes it) and the calling account gets a role and a database of its
# own; run as anyone else, the server runs as that account. A role dd_team
# logs in with the password dd-team-secret, as the shared install's
# configuration names one (tests/shared/test-shared.sh). Needs Debian's
# postgresql package (its binaries in /usr/lib/postgresql/VERSION/bin).
set -euo pipefail

usage() {
	echo "usage: $0 start|stop DIR" >&2
	exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")
port=5499

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "$0: no PostgreSQL server here (apt-get install postgresql)" >&2
	exit 1
fi

# The account the server runs as, and how to run a command as it.
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as_owner() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi

case $action in
start)
	if [ -e "$dir/data/postmaster.pid" ]; then
		echo "$0: a server already runs in $dir" >&2
		exit 1
	fi
	mkdir -p "$dir/socket"
	chown -R "$owner" "$dir"
	# Other accounts reach the socket (the shared install's test runs
	# deploydesk as them); the data directory stays the server's alone.
	chmod 755 "$dir" "$dir/socket"
	as_owner "$bindir/initdb" -D "$dir/data" -A peer -U "$owner" \
		--encoding UTF8 --locale C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# The role a shared install's configuration names, with a password
	# (tests/shared): the one role that logs in by password.
	sed -i '1i local all dd_team scram-sha-256' "$dir/data/pg_hba.conf"
	as_owner "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
		-o "-k $dir/socket -p $port -c listen_addresses= -c fsync=off" \
		start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	me=$(id -un)
	if [ "$me" != "$owner" ]; then
		as_owner "$bindir/psql" -h "$dir/socket" -p "$port" -d postgres -qAt \
			-c "CREATE ROLE \"$me\" LOGIN" >/dev/null
	fi
	as_owner "$bindir/psql" -h "$dir/socket" -p "$port" -d postgres -qAt \
		-c "CREATE DATABASE deploydesk_test OWNER \"$me\"" >/dev/null
	as_owner "$bindir/psql" -h "$dir/socket" -p "$port" -d postgres -qAt \
		-c "CREATE ROLE dd_team LOGIN PASSWORD 'dd-team-secret'" \
		-c "GRANT CREATE ON DATABASE deploydesk_test TO dd_team" >/dev/null
	echo "postgresql:///deploydesk_test?host=$dir/socket&port=$port"
	;;
stop)
	if [ -e "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
	fi
	rm -rf "$dir"
	;;
*)
	usage
	;;
esac
