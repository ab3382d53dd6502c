#!/bin/bash
# SPDX-License-Identifier: MIT
# Which database a run uses, without root: the system configuration file
# (through $DEPLOYDESK_CONF, which a build that is not setgid honours), its
# errors, --db, $DEPLOYDESK_DB and the XDG default; init --shared in a build
# without a shared group; and init, which builds the database in a
# temporary file and moves it into place, killed at known points.
# Usage: test-config.sh PATH-TO-deploydesk SOURCE-DIR SHARED-GROUP-OPTION

. "$(dirname "$0")/lib.sh" "$@"
SHARED_OPTION=${3:-}

files_in() { ls -A "$1" | tr '\n' ' '; }

# conf_refused DESC ERE: with $WORK/bad.conf as the configuration, every
# run is refused (exit 2, one line matching ERE), even with --db, and
# creates nothing.
conf_refused() {
	local desc=$1 re=$2 cmd
	mkdir -p "$WORK/none"
	for cmd in "init" "--db $WORK/none/x.db init" "--db $WORK/none/x.db user list"; do
		# shellcheck disable=SC2086
		run env DEPLOYDESK_CONF="$WORK/bad.conf" "$DD" $cmd
		if [ "$RC" -eq 2 ] && err_one_line && matches_i "$ERR" "$re" &&
			[ -z "$(files_in "$WORK/none")" ]; then
			pass "$desc ($cmd): exit 2, one line matching /$re/, nothing created"
		else
			fail "$desc ($cmd): exit 2, one line matching /$re/, nothing created" \
				"$(run_diag)" "files: $(files_in "$WORK/none")"
		fi
	done
}

# ---------------------------------------------------------------- the
# configuration names the database

mkdir "$WORK/team" "$WORK/home"
export HOME=$WORK/home
CONF=$WORK/deploydesk.conf
printf '# the team database\n\n   \t\ndatabase\t=   %s  \r\n# end\n' "$WORK/team/team.db" >"$CONF"
export DEPLOYDESK_CONF=$CONF
run "$DD" init
rc_is 0 "init with no --db creates the database the configuration names"
like "$ERR" "^Created $WORK/team/team.db; " "... and says which"
check "... at that path" test -f "$WORK/team/team.db"
expect_ok "a command with no --db uses it" "$DD" user list
run env DEPLOYDESK_DB="$WORK/none.db" "$DD" user list
like "$RC:$ERR" "^1:.*$WORK/none.db does not exist" "\$DEPLOYDESK_DB comes before the configuration"
run env DEPLOYDESK_DB= "$DD" user list
rc_is 0 "an empty \$DEPLOYDESK_DB is no \$DEPLOYDESK_DB"
run "$DD" --db "$WORK/none.db" user list
like "$RC:$ERR" "^1:.*$WORK/none.db does not exist" "--db comes before the configuration"

# ---------------------------------------------------------------- no
# database in the configuration: the XDG default

printf '# nothing set\n' >"$CONF"
run "$DD" init
rc_is 0 "a configuration without database: init uses the XDG default"
check "... \$HOME/.local/share/deploydesk/deploydesk.db" test -f "$HOME/.local/share/deploydesk/deploydesk.db"
run env XDG_DATA_HOME="$WORK/xdg" "$DD" init
check "... \$XDG_DATA_HOME/deploydesk/deploydesk.db when set" test -f "$WORK/xdg/deploydesk/deploydesk.db"
run env DEPLOYDESK_CONF= "$DD" user list
rc_is 0 "an empty \$DEPLOYDESK_CONF is the default configuration (none here): the XDG default"

# ---------------------------------------------------------------- errors,
# with the file and line

printf 'database = /tmp/x.db\ndatabse = /tmp/y.db\n' >"$WORK/bad.conf"
conf_refused "an unknown key" "bad.conf:2: unknown key 'databse'"
printf '# comment\njust words\n' >"$WORK/bad.conf"
conf_refused "a line that is not key = value" "bad.conf:2: expected 'key = value'"
printf 'database = /tmp/x.db\n\ndatabase = /tmp/y.db\n' >"$WORK/bad.conf"
conf_refused "a key given twice" "bad.conf:3: database is already set on line 1"
printf 'database = team.db\n' >"$WORK/bad.conf"
conf_refused "a relative path" "bad.conf:1: database must be the absolute path of a file"
printf 'database =\n' >"$WORK/bad.conf"
conf_refused "an empty path" "bad.conf:1: database must be the absolute path"
printf 'database = /var/lib/deploydesk/\n' >"$WORK/bad.conf"
conf_refused "a directory" "bad.conf:1: database must be the absolute path of a file"
printf 'database = team.db\n' >"$WORK/bad.conf"
conf_refused "a relative path, told what a server's looks like" "such as postgresql://"
printf 'database = /tmp/x.db # the team\n' >"$WORK/bad.conf"
conf_refused "a comment after the value" "bad.conf:1: a comment must be on a line of its own"
printf '= /tmp/x.db\n' >"$WORK/bad.conf"
conf_refused "no key" "bad.conf:1: unknown key ''"
printf 'database = /tmp/x.db\n\0\n' >"$WORK/bad.conf"
conf_refused "a NUL byte" "bad.conf holds a NUL byte"
head -c 70000 /dev/zero | tr '\0' '#' >"$WORK/bad.conf"
conf_refused "a file over 64 KiB" "bad.conf is over 65536 bytes"
rm -f "$WORK/bad.conf"
conf_refused "a \$DEPLOYDESK_CONF that does not exist" "cannot read .*bad.conf: No such file"
mkdir "$WORK/bad.conf"
conf_refused "a directory as the configuration" "bad.conf is not a regular file"
rmdir "$WORK/bad.conf"
mkfifo "$WORK/bad.conf"
conf_refused "a FIFO as the configuration (no hang)" "bad.conf is not a regular file"
rm -f "$WORK/bad.conf"
unset DEPLOYDESK_CONF

# ---------------------------------------------------------------- --db ""

mkdir "$WORK/empty"
run sh -c 'cd "$1" && exec "$2" --db "" init' sh "$WORK/empty" "$DD"
if [ "$RC" -eq 2 ] && err_one_line && matches_i "$ERR" '--db: the database.s path is empty' && [ ! -s "$WORK/.out" ]; then
	pass "--db \"\": exit 2, one line saying the path is empty"
else
	fail "--db \"\": exit 2, one line saying the path is empty" "$(run_diag)"
fi
is "$(files_in "$WORK/empty")" "" "--db \"\": nothing created"
run sh -c 'cd "$1" && exec "$2" --db= user list' sh "$WORK/empty" "$DD"
like "$RC:$ERR" "^2:.*--db: the database.s path is empty" "--db=: exit 2, the path is empty"
# Where a database is: a file (its path, or sqlite:PATH), or a PostgreSQL
# server's database (a URI or libpq's key=value). A server that is not
# there is said so, and nothing is made in the current directory; a
# password in the location is never printed.
NOSOCK=$WORK/no-server
for loc in "postgresql:///deploydesk?host=$NOSOCK" "postgres://dd:s3cret@%2Fnonexistent%2Fsock/dd" \
	"host=$NOSOCK dbname=deploydesk" " dbname = dd host=$NOSOCK password=s3cret"; do
	run sh -c 'cd "$1" && exec "$2" --db "$3" init' sh "$WORK/empty" "$DD" "$loc"
	if [ "$RC" -eq 1 ] && err_one_line && matches_i "$ERR" "^deploydesk: cannot connect to the PostgreSQL server: " &&
		! grep -q s3cret "$WORK/.err"; then
		pass "--db '$loc': exit 1, one line: cannot connect, no password said"
	else
		fail "--db '$loc': exit 1, one line: cannot connect, no password said" "$(run_diag)"
	fi
	is "$(files_in "$WORK/empty")" "" "... nothing created (no file named postgresql:)"
done
run env DEPLOYDESK_DB="dbname=dd host=$NOSOCK" "$DD" user list
like "$RC:$ERR" "^1:deploydesk: cannot connect to the PostgreSQL server" "\$DEPLOYDESK_DB holding a connection string: a server's, tried"
# A server's password in a configuration everyone may read is refused,
# before anything is tried; readable by its group only, it is taken.
printf 'database = postgresql://team:s3cret@%%2Fnonexistent%%2Fsock/deploydesk\n' >"$WORK/pg.conf"
chmod 644 "$WORK/pg.conf"
run env DEPLOYDESK_CONF="$WORK/pg.conf" "$DD" user list
if [ "$RC" -eq 1 ] && err_one_line && matches_i "$ERR" "pg.conf holds the PostgreSQL server's password, and everyone can read it" &&
	! grep -q s3cret "$WORK/.err"; then
	pass "a configuration holding a server's password, readable by everyone: refused, the password unsaid"
else
	fail "a configuration holding a server's password, readable by everyone: refused, the password unsaid" "$(run_diag)"
fi
chmod 640 "$WORK/pg.conf"
run env DEPLOYDESK_CONF="$WORK/pg.conf" "$DD" user list
like "$RC:$ERR" "^1:deploydesk: cannot connect to the PostgreSQL server" "... readable by its owner and group only (640): the server is tried"
printf 'database = host=%s dbname=deploydesk\n' "$NOSOCK" >"$WORK/pg.conf"
chmod 644 "$WORK/pg.conf"
run env DEPLOYDESK_CONF="$WORK/pg.conf" "$DD" user list
like "$RC:$ERR" "^1:deploydesk: cannot connect to the PostgreSQL server" "a server's location without a password may be read by everyone"
rm -f "$WORK/pg.conf"
run "$DD" --db "sqlite:$WORK/empty/s.db" init
rc_is 0 "--db sqlite:PATH: the file at PATH"
check "... made there" test -f "$WORK/empty/s.db"
run "$DD" --db "sqlite:$WORK/empty/s.db" user list
rc_is 0 "... and opened there"
run sh -c 'cd "$1" && exec "$2" --db "sqlite:host=x" init' sh "$WORK/empty" "$DD"
rc_is 0 "--db sqlite:host=x: a file named host=x, as the message says"
check "... made" test -f "$WORK/empty/host=x"
rm -f "$WORK/empty/"*
run "$DD" --db "$WORK/empty/" init
like "$RC:$ERR" "^2:.*names a directory" "--db ending in /: exit 2, names a directory"
is "$(files_in "$WORK/empty")" "" "... nothing created"

# ---------------------------------------------------------------- init
# --shared without a shared group

if [ -z "$SHARED_OPTION" ]; then
	printf 'database = %s\n' "$WORK/shared/team.db" >"$CONF"
	run env DEPLOYDESK_CONF="$CONF" "$DD" init --shared
	if [ "$RC" -eq 2 ] && err_one_line && matches_i "$ERR" 'init --shared needs a deploydesk built for a shared install \(meson setup -Dshared_group=GROUP\)'; then
		pass "init --shared in a build without a shared group: exit 2, says how to build one"
	else
		fail "init --shared in a build without a shared group: exit 2, says how to build one" "$(run_diag)"
	fi
	check "... nothing created" test ! -e "$WORK/shared"
	run env DEPLOYDESK_CONF="$CONF" "$DD" init
	rc_is 0 "without a shared group, plain init makes the configured database"
else
	skip "init --shared without a shared group (this build has -Dshared_group=$SHARED_OPTION)"
fi

# ---------------------------------------------------------------- init
# never leaves a file in the way

mkdir "$WORK/atomic"
DB=$WORK/atomic/x.db
printf 'half-made' >"$DB.init-0123456789ab"
run dk init
rc_is 0 "a temporary file left by a killed init does not block init"
is "$(files_in "$WORK/atomic")" "x.db x.db.init-0123456789ab " "... which leaves it alone and makes only the database"
is "$(cat "$DB.init-0123456789ab")" "half-made" "... the leftover is untouched"
expect_ok "... the database works" dk audit verify
before=$(sha256sum "$DB")
run dk init --demo
like "$RC:$ERR" "^2:.*x.db already exists: not replacing it" "init on an existing database: exit 2"
is "$(sha256sum "$DB")" "$before" "... which is unchanged"
is "$(files_in "$WORK/atomic")" "x.db x.db.init-0123456789ab " "... and no file is added"

# kill -9 at known points: inside the first transactions, and just before
# the move into place. An LD_PRELOAD library does it (the program here is
# not setgid, so the dynamic linker honours it).
if command -v cc >/dev/null && cc -shared -fPIC -o "$WORK/kill-at.so" "$SRCDIR/tests/cli/kill-at.c" 2>"$WORK/cc.err"; then
	# AddressSanitizer wants to be the first library; the order does not
	# matter here.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	killed() { (DD_KILL_AT=$1 LD_PRELOAD=$WORK/kill-at.so "$DD" --db "$DB" init "${@:2}"); }
	for point in sync:1 sync:3 sync:6 renameat2; do
		for kind in plain demo; do
			rm -rf "$WORK/atomic" && mkdir "$WORK/atomic"
			opt=()
			[ $kind = demo ] && opt=(--demo)
			run killed "$point" "${opt[@]}"
			rc_is 137 "init ($kind) killed at $point: killed (exit 137)"
			check "... leaves no $DB" test ! -e "$DB"
			run dk init "${opt[@]}"
			rc_is 0 "... the next init ($kind) succeeds"
			expect_ok "... and its database is whole" dk audit verify
		done
	done
else
	skip "kill -9 during init: no C compiler to build the LD_PRELOAD library ($(head -1 "$WORK/cc.err" 2>/dev/null))"
fi

done_testing
