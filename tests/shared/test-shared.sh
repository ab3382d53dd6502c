#!/bin/bash
# SPDX-License-Identifier: MIT
# The shared install on one host, as root: a group and unprivileged
# accounts (made here when missing, removed after), the source tree built
# with -Dshared_group and installed into a throw-away prefix, init --shared,
# then the spec's workflow as the project manager and the senior developer,
# and a viewer who tries to get around it: the sqlite3 shell, LD_PRELOAD of
# a fake getuid, $USER, $LOGNAME, --as, the sandbox setting, another
# database or configuration through the environment, and a logs file they
# may not read. Also the environment, umask and ids of a running setgid
# process, the configuration's checks, init --shared by a member of the
# group, a private terminfo entry, and the editor the screens start
# (Ctrl-E), which runs without the group.
#
# Usage: test-shared.sh PATH-TO-deploydesk SOURCE-DIR B_SANITIZE
# (B_SANITIZE: meson's b_sanitize; the nested build is the same whatever it
# is, so it runs once, in the build without sanitizers.)

if [ "${3:-none}" != none ]; then
	echo "1..0 # SKIP the shared install is built and tested once, by the build without sanitizers (this one has -Db_sanitize=$3)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (makes a group and accounts, installs a setgid binary)"
	exit 0
fi
for tool in groupadd useradd userdel groupdel runuser getent meson ninja cc sqlite3; do
	if ! command -v $tool >/dev/null; then
		echo "1..0 # SKIP needs $tool"
		exit 0
	fi
done

# The accounts must reach the throw-away prefix: under /tmp, whatever
# $TMPDIR says.
TMPDIR=/tmp . "$(dirname "$0")/../cli/lib.sh" "$1" "$2"
cd "$WORK" || exit 1

GROUP=deploydesk-test
PM=ddtest-pm
DEV=ddtest-dev
VIEWER=ddtest-viewer
OP=ddtest-op # a member of the group: may run init --shared
MADE_USERS=()
MADE_GROUP=
TMUX_SOCKET=deploydesk-shared-$$

shared_cleanup() {
	command -v tmux >/dev/null && tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
	cleanup
	for u in "${MADE_USERS[@]}"; do
		pkill -KILL -u "$u" 2>/dev/null
		for _ in $(seq 30); do
			pgrep -u "$u" >/dev/null || break
			sleep 0.1
		done
		userdel -r "$u" 2>/dev/null
	done
	[ -n "$MADE_GROUP" ] && groupdel "$GROUP" 2>/dev/null
}
trap shared_cleanup EXIT

# as USER COMMAND...: runs it as that account (its environment otherwise
# the caller's, as runuser -u does).
as() {
	local u=$1
	shift
	runuser -u "$u" -- "$@"
}

# ---------------------------------------------------------------- the
# group and the accounts

if ! getent group "$GROUP" >/dev/null; then
	groupadd --system "$GROUP" || { echo "Bail out! groupadd $GROUP failed"; exit 1; }
	MADE_GROUP=1
fi
GID=$(getent group "$GROUP" | cut -d: -f3)
for spec in "$PM:Marie Martin" "$DEV:Jean Dupont" "$VIEWER:Claire Petit" "$OP:Olivier Petit"; do
	u=${spec%%:*}
	if ! id -u "$u" >/dev/null 2>&1; then
		extra=()
		[ "$u" = "$OP" ] && extra=(-G "$GROUP")
		useradd --no-create-home --shell /bin/sh --comment "${spec#*:}" "${extra[@]}" "$u" ||
			{ echo "Bail out! useradd $u failed"; exit 1; }
		MADE_USERS+=("$u")
	fi
done
for u in "$PM" "$DEV" "$VIEWER"; do
	if id -nG "$u" | tr ' ' '\n' | grep -qx "$GROUP"; then
		echo "Bail out! $u is a member of $GROUP: people must not be"
		exit 1
	fi
done
UID_PM=$(id -u "$PM")
GID_PM=$(id -g "$PM")
UID_VIEWER=$(id -u "$VIEWER")
GID_VIEWER=$(id -g "$VIEWER")

# ---------------------------------------------------------------- build
# and install

BUILD=$WORK/build
PREFIX=$WORK/prefix
if ! meson setup "$BUILD" "$SRCDIR" --prefix="$PREFIX" -Dshared_group="$GROUP" \
	-Dbuildtype=plain -Db_sanitize=none >"$WORK/setup.log" 2>&1; then
	echo "Bail out! meson setup -Dshared_group failed: $(tail -3 "$WORK/setup.log")"
	exit 1
fi
# Only what is installed: the program, the catalogues, the completions.
if ! ninja -C "$BUILD" deploydesk deploydesk-gmo completions/deploydesk \
	completions/_deploydesk >"$WORK/build.log" 2>&1 ||
	! meson install --no-rebuild -C "$BUILD" >"$WORK/install.log" 2>&1; then
	echo "Bail out! build or install failed: $(tail -n 5 "$WORK/build.log" "$WORK/install.log" | tr "\n" " ")"
	exit 1
fi
DD=$PREFIX/bin/deploydesk
CONF=$PREFIX/etc/deploydesk.conf
DATADIR=$PREFIX/var/lib/deploydesk
DB=$DATADIR/deploydesk.db
# The setgid program trusts its configuration only when every directory
# on its path is root's and writable by root only (or sticky, as /tmp):
# mktemp made $WORK 0700, and the umask chose the others' modes.
chmod 755 "$WORK" "$PREFIX" "$(dirname "$CONF")"

is "$(stat -c '%U:%G %a' "$DD")" "root:$GROUP 2755" "meson install: the binary is root:$GROUP, mode 2755 (setgid)"
is "$(stat -c '%U %a' "$CONF")" "root 644" "meson install: the configuration is installed, root, 0644"
check "meson install: the bash completion is installed" \
	test -f "$PREFIX/share/bash-completion/completions/deploydesk"
check "meson install: the zsh completion is installed" \
	test -f "$PREFIX/share/zsh/vendor-completions/_deploydesk"
check "meson install: the man page is installed, with the version" \
	grep -q "^\.TH DEPLOYDESK 1 .*\"deploydesk $("$DD" --version | cut -d' ' -f2)\"" \
	"$PREFIX/share/man/man1/deploydesk.1"
like "$(grep -v '^#' "$CONF")" "^database = $DB$" "... its database line names $DB"
printf '# kept by the administrator\n' >>"$CONF"
meson install --no-rebuild -C "$BUILD" >"$WORK/install2.log" 2>&1
like "$(tail -1 "$CONF")" "kept by the administrator" "meson install again keeps the existing configuration"

# ---------------------------------------------------------------- init
# --shared

run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*does not exist" "before init --shared: a person is told the database does not exist"
run as "$VIEWER" "$DD" init --shared
like "$RC:$ERR" "^3:.*only root or a member of group $GROUP may create the shared database" \
	"init --shared by a person who is not root nor in the group: exit 3"
check "... nothing created" test ! -e "$DATADIR"
run "$DD" init --shared --sandbox
like "$RC:$ERR" "^2:.*never a sandbox" "init --shared --sandbox: exit 2"
run "$DD" init --shared --demo
like "$RC:$ERR" "^2:.*never a sandbox" "init --shared --demo: exit 2"
run "$DD" --db "$WORK/x.db" init --shared
like "$RC:$ERR" "^2:.*--db does not apply" "init --shared with --db: exit 2"
run "$DD" init
like "$RC:$ERR" "^2:.*is the shared database named in $CONF: root creates it with 'deploydesk init --shared'" \
	"plain init of the configured database: exit 2, points to init --shared"
check "... nothing created" test ! -e "$DATADIR"

run "$DD" init --shared
rc_is 0 "init --shared as root"
is "$OUT" "" "... prints nothing on stdout"
is "$ERR" "Created the shared database $DB (group $GROUP); you are its first admin" "... and says what it made on stderr"
is "$(stat -c '%U:%G %a' "$DATADIR")" "root:$GROUP 2770" "... the directory is root:$GROUP 2770"
is "$(stat -c '%U:%G %a' "$DB")" "root:$GROUP 660" "... the database is root:$GROUP 0660"
is "$(ls -A "$DATADIR")" "deploydesk.db" "... and nothing else is there"
like "$(sqlite3 "$DB" "SELECT after FROM audit WHERE seq = 1")" \
	'^\{"login":"root","full_name":"root","admin":true,"sandbox":false,"shared":true,"database_id":"[0-9a-f-]{36}"\}$' \
	"... its database.init record says shared, not a sandbox, and names the database"
run "$DD" init --shared
like "$RC:$ERR" "^2:.*already exists: not replacing it" "init --shared again: exit 2, not replaced"

# ---------------------------------------------------------------- people

expect_ok "root adds the project manager" "$DD" user add "$PM" --name "Marie Martin"
expect_ok "root adds the senior developer" "$DD" user add "$DEV" --name "Jean Dupont"
expect_ok "root adds the viewer" "$DD" user add "$VIEWER" --name "Claire Petit"
expect_ok "root adds project ERP" "$DD" project add ERP --name "Refonte ERP"
expect_ok "the project manager is a member" "$DD" member add ERP "$PM" --role chef
expect_ok "the senior developer is a member" "$DD" member add ERP "$DEV" --role dev-senior
expect_ok "the viewer is a member" "$DD" member add ERP "$VIEWER" --role viewer
expect_ok "TESTS finished" "$DD" stage set ERP TESTS TERMINEE

# ---------------------------------------------------------------- the
# spec's workflow, each acting as who they are

run as "$PM" "$DD" deploy create ERP --version v1.2.0 --env PROD \
	--description "Déploiement version 1.2.0" --responsible "$DEV" --date "2026-02-06 14:00"
rc_is 0 "the project manager plans v1.2.0"
D1=$OUT
like "$D1" "$UUID_RE" "... and gets its id"
expect_ok "the project manager authorizes it" as "$PM" "$DD" deploy authorize "$D1"
expect_ok "the senior developer starts it" as "$DEV" "$DD" deploy start "$D1"
mkdir "$WORK/dev-logs"
printf 'Migration KO\n' >"$WORK/dev-logs/deploy.log"
chown -R "$DEV" "$WORK/dev-logs"
chmod 700 "$WORK/dev-logs"
chmod 600 "$WORK/dev-logs/deploy.log"
run as "$DEV" "$DD" deploy fail "$D1" --logs-file "$WORK/dev-logs/deploy.log"
rc_is 0 "the senior developer records the failure with a logs file only they may read"
like "$OUT" "$UUID_RE" "... and gets the incident's id"
run as "$VIEWER" "$DD" --format json deploy show "$D1"
is "$(jget status):$(jget authorized_by):$(jget executed_by):$(jget logs)" \
	"ECHEC:$PM:$DEV:Migration KO" "the viewer sees it failed, authorized by the manager, executed by the developer, with the logs"
is "$(sqlite3 "$DB" "SELECT login || ':' || uid FROM audit WHERE action IN ('deploy.authorize', 'deploy.fail') ORDER BY seq")" \
	"$PM:$UID_PM"$'\n'"$DEV:$(id -u "$DEV")" "the audit trail records who acted, with their OS uid"
run as "$PM" "$DD" deploy create ERP --version v1.3.0 --env TEST \
	--description "v1.3.0" --responsible "$DEV" --date "2026-02-07 14:00"
D2=$OUT
expect_ok "a second deployment, authorized" as "$PM" "$DD" deploy authorize "$D2"
expect_ok "... and succeeded by the senior developer" as "$DEV" "$DD" deploy succeed "$D2" --logs "OK"
run as "$VIEWER" "$DD" --format json stats ERP
is "$(jget total):$(jget succeeded):$(jget failed)" "2:1:1" "the viewer reads the statistics"
run as "$PM" "$DD" deploy create ERP --version v1.4.0 --env PROD \
	--description "v1.4.0" --responsible "$DEV" --date "2026-02-08 14:00"
D3=$OUT
expect_ok "a third deployment, authorized, left planned" as "$PM" "$DD" deploy authorize "$D3"

# ---------------------------------------------------------------- the
# viewer: the file is out of reach

run as "$VIEWER" sqlite3 "$DB" "SELECT count(*) FROM users"
if [ "$RC" -ne 0 ] && [ -z "$OUT" ]; then
	pass "the viewer's sqlite3 cannot read the database"
else
	fail "the viewer's sqlite3 cannot read the database" "$(run_diag)"
fi
run as "$VIEWER" sqlite3 "$DB" "UPDATE users SET is_admin = 1 WHERE login = '$VIEWER'"
rc_is 1 "the viewer's sqlite3 cannot write it"
is "$(sqlite3 "$DB" "SELECT is_admin FROM users WHERE login = '$VIEWER'")" "0" "... the viewer is still no admin"
run as "$VIEWER" cat "$DB"
rc_is 1 "the viewer cannot read the file"
run as "$VIEWER" ls "$DATADIR"
rc_is 2 "the viewer cannot list its directory"

# ---------------------------------------------------------------- the
# viewer: nothing changes who acts

cat >"$WORK/fake-uid.c" <<'EOF'
/* getuid() and geteuid() return $FAKE_UID: what an LD_PRELOAD attack
 * would make the program believe. */
#include <stdlib.h>
#include <sys/types.h>
uid_t getuid(void) { return (uid_t)atol(getenv("FAKE_UID") ? getenv("FAKE_UID") : "0"); }
uid_t geteuid(void) { return getuid(); }
EOF
cc -shared -fPIC -o "$WORK/fake-uid.so" "$WORK/fake-uid.c"
chmod 755 "$WORK/fake-uid.so"
run as "$VIEWER" env LD_PRELOAD="$WORK/fake-uid.so" FAKE_UID="$UID_PM" id -u
is "$OUT" "$UID_PM" "the fake getuid works on a program that is not setgid (id -u says $UID_PM)"

# refused_as CODE ERE DESC COMMAND...: as the viewer; the database is
# unchanged (refused, from lib.sh, with the database read as root).
refused_as() {
	local code=$1 re=$2 desc=$3
	shift 3
	refused "$code" "$re" "$desc" as "$VIEWER" "$@"
}
refused_as 3 'only .*may authorize|not allowed|may not' "LD_PRELOAD of a getuid returning the manager's uid: deploy authorize" \
	env LD_PRELOAD="$WORK/fake-uid.so" FAKE_UID="$UID_PM" "$DD" deploy authorize "$D3"
refused_as 3 'only an admin' "LD_PRELOAD of a getuid returning 0 (root): user add --admin" \
	env LD_PRELOAD="$WORK/fake-uid.so" FAKE_UID=0 "$DD" user add intruder --name Intruder --admin
refused_as 3 'may not|not allowed|only' "\$USER and \$LOGNAME set to the manager: deploy authorize" \
	env USER="$PM" LOGNAME="$PM" "$DD" deploy authorize "$D3"
refused_as 3 "--as is refused on the shared database: here you act as yourself, $VIEWER" \
	"--as the manager" "$DD" --as "$PM" deploy authorize "$D3"
sqlite3 "$DB" "INSERT INTO settings (key, value) VALUES ('sandbox', '1')"
refused_as 3 "--as is refused on the shared database" \
	"--as the manager, with sandbox = 1 written into settings" "$DD" --as "$PM" deploy authorize "$D3"
sqlite3 "$DB" "DELETE FROM settings WHERE key = 'sandbox'"

# The viewer's own database, where they are admin, and a configuration
# naming it: the setgid program takes neither from the environment.
mkdir "$WORK/viewer"
chown "$VIEWER" "$WORK/viewer"
run as "$VIEWER" "$DD" --db "$WORK/viewer/own.db" init
rc_is 0 "the viewer makes a private database with --db"
is "$(stat -c '%U:%G' "$WORK/viewer/own.db")" "$VIEWER:$(id -gn "$VIEWER")" \
	"... owned by the viewer and their own group, not $GROUP (the group was given up)"
expect_ok "... and uses it" as "$VIEWER" "$DD" --db "$WORK/viewer/own.db" user add "$PM" --name "Marie Martin"
printf 'database = %s\n' "$WORK/viewer/own.db" >"$WORK/viewer/own.conf"
refused_as 3 'may not|not allowed|only' "\$DEPLOYDESK_DB naming the viewer's own database is ignored" \
	env DEPLOYDESK_DB="$WORK/viewer/own.db" "$DD" deploy authorize "$D3"
refused_as 3 'may not|not allowed|only' "\$DEPLOYDESK_CONF naming the viewer's own configuration is ignored" \
	env DEPLOYDESK_CONF="$WORK/viewer/own.conf" "$DD" deploy authorize "$D3"
run as "$VIEWER" "$DD" --db "$WORK/viewer/demo.db" init --demo
rc_is 0 "the viewer makes a private demo"
is "$(stat -c '%G' "$WORK/viewer/demo.db")" "$(id -gn "$VIEWER")" "... in their own group"
run as "$VIEWER" "$DD" --db "$DATADIR/./deploydesk.db" user list
like "$RC:$ERR" "^1:.*(Permission denied|cannot open)" \
	"the shared database under another spelling of its path: no group, cannot open"
run as "$VIEWER" "$DD" --db "$DATADIR/mine.db" init
like "$RC:$ERR" "^1:.*cannot create $DATADIR/mine.db: Permission denied" \
	"a private database in the shared directory: refused (no group)"
is "$(ls -A "$DATADIR")" "deploydesk.db" "... nothing created there"

# ---------------------------------------------------------------- files a
# person names are opened with their own rights

printf 'secret of root\n' >"$WORK/root-only.log"
chmod 600 "$WORK/root-only.log"
printf 'secret of the group\n' >"$WORK/group-only.log"
chown "root:$GROUP" "$WORK/group-only.log"
chmod 640 "$WORK/group-only.log"
refused 2 "cannot read $WORK/root-only.log: Permission denied" \
	"a logs file readable only by root" as "$DEV" "$DD" deploy succeed "$D3" --logs-file "$WORK/root-only.log"
refused 2 "cannot read $WORK/group-only.log: Permission denied" \
	"a logs file readable by $GROUP but not by the developer" as "$DEV" "$DD" deploy succeed "$D3" --logs-file "$WORK/group-only.log"
# The same file through Ctrl-O in the screens' execute dialog (v1.4.0,
# the newest, is the first row).
run "$PY" "$SRCDIR/tests/i18n/ptyrun.py" --locale C.UTF-8 --timeout 20 --cols 120 \
	--keys "x C-o text:$WORK/group-only.log Enter wait:300" -- runuser -u "$DEV" -- "$DD" --project ERP
screen_text=$("$PY" -c 'import re,sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
print(re.sub(r"\x1b(\[[0-9;?]*[A-Za-z]|[()][0-9A-Za-z]|[=>])", "", t))' "$WORK/.out")
# The reason is under the prompt's field, which stays open (it may wrap).
like "$screen_text" "cannot read $WORK/group-only.log: .*Permission denied" \
	"Ctrl-O in the execute dialog: the file readable by $GROUP is refused to the developer"
run as "$VIEWER" "$DD" --format json deploy show "$D3"
is "$(jget status):$(jget logs)" "A_FAIRE:null" "... the deployment is still planned, without logs"

# ---------------------------------------------------------------- the
# environment: what is kept, what is not

run as "$VIEWER" env TZ=Europe/Paris "$DD" deploy show "$D1"
like "$OUT" "2026-02-06 15:00" "TZ is kept: 14:00 UTC shows as 15:00 in Europe/Paris"
run as "$VIEWER" env TZ=../../etc/x "$DD" deploy show "$D1"
like "$OUT" "2026-02-06 14:00" "a TZ with .. in it is dropped: UTC"

# ---------------------------------------------------------------- the
# running process: umask, ids, no child, its -wal and -shm

if command -v tmux >/dev/null && command -v pgrep >/dev/null; then
	# stop_screens: ends the viewer's screens. Closing tmux is not enough:
	# behind runuser the program gets no SIGHUP when its terminal goes.
	stop_screens() {
		tmux -L "$TMUX_SOCKET" -f /dev/null kill-server 2>/dev/null
		pkill -TERM -u "$UID_VIEWER" -x deploydesk
		for _ in $(seq 50); do
			pgrep -u "$UID_VIEWER" -x deploydesk >/dev/null || break
			sleep 0.1
		done
	}
	# screen_pid ARGS...: starts the screens as the viewer in tmux; sets
	# PID to the program's process once it shows project ERP.
	screen_pid() {
		PID=
		stop_screens
		tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -x 100 -y 30 \
			env TERM=xterm-256color runuser -u "$VIEWER" -- "$DD" "$@"
		for _ in $(seq 50); do
			PID=$(pgrep -u "$UID_VIEWER" -x deploydesk | head -1)
			[ -n "$PID" ] && tmux -L "$TMUX_SOCKET" capture-pane -p | grep -q ERP && break
			sleep 0.1
		done
	}
	screen_pid
	if [ -n "$PID" ]; then
		is "$(awk '/^Umask:/ {print $2}' "/proc/$PID/status")" "0007" "the setgid program runs with umask 007"
		is "$(awk '/^Gid:/ {print $2, $3, $4}' "/proc/$PID/status")" "$GID_VIEWER $GID $GID" \
			"... on the shared database it holds $GROUP as effective (and saved) group"
		is "$(pgrep -P "$PID" | tr '\n' ' ')" "" "... and has no child process"
		is "$(stat -c '%U:%G %a' "$DB-wal" "$DB-shm" | tr '\n' ' ')" \
			"$VIEWER:$GROUP 660 $VIEWER:$GROUP 660 " "its -wal and -shm are $GROUP's, mode 0660"
	else
		fail "the screens run as the viewer in tmux" "$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>&1 | head -5)"
	fi
	screen_pid --demo
	if [ -n "$PID" ]; then
		is "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")" \
			"$GID_VIEWER $GID_VIEWER $GID_VIEWER $GID_VIEWER" \
			"the screens on --demo gave the group up for good (real, effective, saved, file system)"
	else
		fail "the demo screens run as the viewer in tmux" "$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>&1 | head -5)"
	fi
	stop_screens

	# The person's editor (Ctrl-E in the description), as the project
	# manager: a stub that records its ids and tries the group's file.
	PM_HOME=$WORK/pm-editor
	mkdir "$PM_HOME"
	cat >"$PM_HOME/editor.sh" <<EOF
#!/bin/sh
{
	echo "uid=\$(id -u)"
	grep '^Gid:' /proc/self/status
	echo "file=\$(stat -c '%U:%G %a' "\$1") dir=\$(stat -c '%U:%G %a' "\$(dirname "\$1")")"
	echo "path=\$1"
	if cat "$WORK/group-only.log" >/dev/null 2>&1; then echo "group-only=read"; else echo "group-only=refused"; fi
	for fd in /proc/\$\$/fd/*; do echo "fd \${fd##*/} \$(readlink "\$fd")"; done
	echo "PATH=\$PATH"
	echo "editor-variables=\$(env | grep -cE '^(VISUAL|EDITOR|PAGER)=')"
} >"$PM_HOME/record" 2>&1
printf '\nadded by the editor\n' >>"\$1"
EOF
	chown -R "$PM" "$PM_HOME"
	chmod 700 "$PM_HOME"
	chmod 755 "$PM_HOME/editor.sh"
	# pm_screen ERE: until the project manager's screens show ERE.
	pm_screen() {
		for _ in $(seq 50); do
			tmux -L "$TMUX_SOCKET" capture-pane -p | grep -qE -- "$1" && return 0
			sleep 0.1
		done
		tmux -L "$TMUX_SOCKET" capture-pane -p | sed 's/^/# |/' >&2
		return 1
	}
	tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -x 100 -y 30 \
		env TERM=xterm-256color EDITOR="$PM_HOME/editor.sh" runuser -u "$PM" -- "$DD"
	if pm_screen 'Deployment history'; then
		tmux -L "$TMUX_SOCKET" send-keys n
		pm_screen 'New deployment'
		tmux -L "$TMUX_SOCKET" send-keys Tab Tab
		tmux -L "$TMUX_SOCKET" send-keys -l "typed by the manager"
		pm_screen 'typed by the manager'
		PID=$(pgrep -u "$UID_PM" -x deploydesk | head -1)
		tmux -L "$TMUX_SOCKET" send-keys C-e
		check "Ctrl-E in the setgid program: the editor's text comes back into the field" \
			pm_screen ' added by the editor  '
		is "$(grep '^uid=' "$PM_HOME/record")" "uid=$UID_PM" "... the editor ran as the project manager"
		is "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "$PM_HOME/record")" "$GID_PM $GID_PM $GID_PM $GID_PM" \
			"... without $GROUP: its real, effective, saved and file system groups are the manager's own"
		is "$(grep '^group-only=' "$PM_HOME/record")" "group-only=refused" \
			"... it cannot read a file only $GROUP may read"
		is "$(grep -cE '^fd [0-9]+ .*deploydesk\.db' "$PM_HOME/record")" 0 \
			"... and holds no descriptor of the shared database"
		is "$(sed -n 's/^file=\([^ ]*\) \([^ ]*\) dir=\(.*\)/\1 \2 \3/p' "$PM_HOME/record")" \
			"$PM:$(id -gn "$PM") 600 $PM:$(id -gn "$PM") 700" \
			"... on a file (in a directory) the manager made, in their own group"
		is "$(grep -E '^(PATH|editor-variables)=' "$PM_HOME/record" | tr '\n' ' ')" \
			"PATH=/usr/bin:/bin editor-variables=0 " \
			"... with the program's rebuilt environment: EDITOR was kept as the command only"
		check "... the file is removed afterwards" test ! -e "$(sed -n 's/^path=//p' "$PM_HOME/record")"
		if [ -n "$PID" ]; then
			is "$(awk '/^Gid:/ {print $2, $3, $4}' "/proc/$PID/status")" "$GID_PM $GID $GID" \
				"... while the screens still hold $GROUP (effective and saved)"
		else
			fail "... the manager's screens are running"
		fi
	else
		fail "the project manager's screens run in tmux"
	fi
	tmux -L "$TMUX_SOCKET" -f /dev/null kill-server 2>/dev/null
	pkill -TERM -u "$UID_PM" -x deploydesk
else
	skip "the running process's umask and ids (needs tmux and pgrep)"
fi
# Only util/child.c starts a program, and only /bin/sh (as git runs
# $EDITOR), once the group is given up.
hits=$(grep -rnE '(^|[^a-z_])(fork|vfork|system|popen|posix_spawnp?|exec[lv]p?e?)[[:space:]]*\(' "$SRCDIR/src" --include='*.c' |
	grep -v "^$SRCDIR/src/util/child\.c:")
is "$hits" "" "no child process elsewhere: no other source calls fork, exec, system, popen or posix_spawn"
is "$(grep -cE '(^|[^a-z_])(vfork|system|popen|posix_spawnp?|exec[lv]p?)[[:space:]]*\(' "$SRCDIR/src/util/child.c")" 0 \
	"... util/child.c uses fork and execve alone"
is "$(grep -c 'execve("/bin/sh"' "$SRCDIR/src/util/child.c")" 1 "... one execve, of /bin/sh"

# ---------------------------------------------------------------- the
# locale kept, a bad one dropped

if locale -a 2>/dev/null | grep -qiE '^fr_FR\.utf-?8$'; then
	run as "$VIEWER" env LC_ALL=fr_FR.UTF-8 "$DD" deploy list NOPE
	like "$ERR" "aucun projet « NOPE »" "LC_ALL=fr_FR.UTF-8 is kept: French, from the installed catalogue"
	run as "$VIEWER" env LC_ALL='fr_FR.UTF-8/../x' "$DD" deploy list NOPE
	like "$ERR" "no project 'NOPE'" "a locale name with a path in it is dropped: English"
else
	skip "the locale under setgid (fr_FR.UTF-8 is not generated here)"
fi

# ---------------------------------------------------------------- the
# configuration

cp "$CONF" "$WORK/conf.saved"
chmod 666 "$CONF"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF must belong to root and be writable by root only" \
	"a configuration anyone may write is refused by the setgid program"
chmod 644 "$CONF"

# The directories on its path: whoever may write one could put another
# file in the configuration's place (a rename), naming another database.
# The throw-away prefix passes (everything above has run): /tmp is root's
# and sticky, $WORK and the prefix root's 0755.
ETC=$(dirname "$CONF")
is "$(stat -c '%U %a' "$ETC" "$PREFIX" "$WORK" /tmp | tr '\n' ' ')" \
	"root 755 root 755 root 755 root 1777 " "the prefix's path: root's, writable by root only, or sticky"
chmod 777 "$ETC"
run as "$VIEWER" "$DD" user list
is "$RC:$ERR" "1:deploydesk: configuration $CONF: its directory $ETC is writable by others" \
	"its directory writable by anyone (0777): refused by the setgid program, naming the directory"
run "$DD" user list
like "$RC:$ERR" "^1:.*its directory $ETC is writable by others" "... for root too"
chmod 1777 "$ETC"
run as "$VIEWER" "$DD" user list
rc_is 0 "... sticky (1777, as /tmp), where others cannot replace root's file: accepted"
chmod 775 "$ETC"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF: its directory $ETC is writable by its group$" \
	"its directory writable by its group (0775): refused"
chmod 755 "$ETC"
chmod 777 "$PREFIX"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF: the directory $PREFIX on its path is writable by others$" \
	"a directory above it writable by anyone: refused, naming that directory"
chmod 755 "$PREFIX"
chown "$VIEWER" "$ETC"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF: its directory $ETC does not belong to root$" \
	"its directory owned by the viewer: refused"
chown root "$ETC"
# Symbolic links: where they point is checked too, and one in a sticky
# directory must be root's.
mv "$CONF" "$WORK/viewer/deploydesk.conf"
ln -s "$WORK/viewer/deploydesk.conf" "$CONF"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF: its directory $WORK/viewer does not belong to root$" \
	"the configuration a link to root's file in the viewer's directory: refused"
rm "$CONF"
mv "$WORK/viewer/deploydesk.conf" "$CONF"
chmod 1777 "$ETC"
mv "$CONF" "$ETC/real.conf"
ln -s real.conf "$CONF"
chown -h "$VIEWER" "$CONF"
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^1:.*configuration $CONF: the symbolic link $CONF on its path does not belong to root$" \
	"a link the viewer owns, in a sticky directory: refused"
chown -h root "$CONF"
run as "$VIEWER" "$DD" user list
rc_is 0 "... root's: accepted"
rm "$CONF"
mv "$ETC/real.conf" "$CONF"
chmod 755 "$ETC"
run as "$VIEWER" "$DD" user list
rc_is 0 "all put back: accepted"
printf 'databse = /tmp/x.db\n' >>"$CONF"
n=$(wc -l <"$CONF")
run as "$VIEWER" "$DD" user list
like "$RC:$ERR" "^2:.*$CONF:$n: unknown key 'databse'" "an unknown key: refused, with the file and line"
printf '# no database\n' >"$CONF"
run "$DD" init --shared
like "$RC:$ERR" "^2:.*$CONF names no database: add a line" "init --shared with no database configured: exit 2"
run as "$VIEWER" env HOME="$WORK/viewer" XDG_DATA_HOME="$WORK/viewer" "$DD" user list
like "$RC:$ERR" "^1:.*database $(getent passwd "$VIEWER" | cut -d: -f6)/.local/share/deploydesk/deploydesk.db does not exist" \
	"no database configured: the XDG default, under HOME from the password database, not \$HOME or \$XDG_DATA_HOME"

# A member of the group (not root) runs init --shared: the directory must
# be the group's already.
printf 'database = %s\n' "$PREFIX/var/lib/dd-op/team.db" >"$CONF"
mkdir "$PREFIX/var/lib/dd-op"
run as "$OP" "$DD" init --shared
like "$RC:$ERR" "^3:.*directory $PREFIX/var/lib/dd-op must belong to group $GROUP and be writable by it" \
	"init --shared by a member, directory root's 0755: exit 3, says what to change"
chgrp "$GROUP" "$PREFIX/var/lib/dd-op"
chmod 2770 "$PREFIX/var/lib/dd-op"
run as "$OP" "$DD" init --shared
rc_is 0 "... once it is $GROUP's, 2770: init --shared by the member"
is "$(stat -c '%U:%G %a' "$PREFIX/var/lib/dd-op/team.db")" "$OP:$GROUP 660" "... the database is the member's, $GROUP, 0660"
# Root never gives a directory holding other files to the group.
mkdir "$WORK/busy"
printf 'notes\n' >"$WORK/busy/notes.txt"
printf 'database = %s\n' "$WORK/busy/team.db" >"$CONF"
run "$DD" init --shared
like "$RC:$ERR" "^2:.*directory $WORK/busy holds other files" "init --shared into a directory holding other files: exit 2"
is "$(stat -c '%U:%G %a' "$WORK/busy")" "root:root 755" "... the directory is unchanged"
mkdir "$WORK/empty"
printf 'database = %s\n' "$WORK/empty/team.db" >"$CONF"
run "$DD" init --shared
rc_is 0 "init --shared into an existing empty directory"
is "$(stat -c '%U:%G %a' "$WORK/empty")" "root:$GROUP 2770" "... which root makes root:$GROUP 2770"
cp "$WORK/conf.saved" "$CONF"

# ---------------------------------------------------------------- a
# private terminfo entry

if command -v tic >/dev/null && command -v infocmp >/dev/null; then
	mkdir "$WORK/terminfo"
	infocmp xterm | sed 's/^xterm|[^,]*,/ddtest-term|a private test entry,/' >"$WORK/terminfo/src"
	tic -o "$WORK/terminfo" "$WORK/terminfo/src" 2>/dev/null
	chmod -R a+rX "$WORK/terminfo"
	run "$PY" "$SRCDIR/tests/i18n/ptyrun.py" --locale C.UTF-8 --timeout 10 \
		--env TERM=ddtest-term --env TERMINFO="$WORK/terminfo" -- runuser -u "$VIEWER" -- "$DD"
	like "$RC:$(tr -d '\r' <"$WORK/.out")" \
		"^1:deploydesk: terminal type 'ddtest-term' is not in the system's terminfo database \(a private entry is not used by the shared install\): try TERM=xterm-256color" \
		"a private terminfo entry under setgid: exit 1, names the type and one that works"
	cp "$DD" "$WORK/not-setgid"
	chmod 755 "$WORK/not-setgid"
	run "$PY" "$SRCDIR/tests/i18n/ptyrun.py" --locale C.UTF-8 --timeout 10 \
		--env TERM=ddtest-term --env TERMINFO="$WORK/terminfo" -- runuser -u "$VIEWER" -- "$WORK/not-setgid" --demo
	like "$RC:$(tr -d '\r' <"$WORK/.out")" "^0:.*Refonte ERP" "... the same entry works for the program when it is not setgid"
else
	skip "a private terminfo entry (needs tic and infocmp)"
fi

run as "$VIEWER" "$DD" audit verify
like "$RC:$OUT" "^0:audit trail intact" "the viewer verifies the audit trail: intact"

# ---------------------------------------------------------------- root
# changes the file behind deploydesk's back: the viewer's audit verify
# sees each, and nobody can write while the schema is altered

run as "$VIEWER" "$DD" audit checkpoint
rc_is 0 "the viewer takes a checkpoint"
printf '%s\n' "$OUT" >"$WORK/checkpoint"
CP_SEQ=$(cut -d' ' -f4 "$WORK/checkpoint")
sqlite3 "$DB" ".backup '$WORK/saved.db'"
AUDIT_TRIGGERS=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")
UNGUARD="DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_append_only;"

# as_root_edits NAME SQL ERE [CHECKPOINT]: root changes the shared
# database with sqlite3; the viewer's audit verify (with --checkpoint
# when CHECKPOINT is given) exits 1 with a problem matching ERE; then the
# database is put back.
as_root_edits() {
	local name=$1 sql=$2 re=$3 with=()
	[ -n "${4:-}" ] && with=(--checkpoint "$4")
	run sqlite3 "$DB" "$sql"
	is "$RC:$ERR" "0:" "root: $name"
	run as "$VIEWER" "$DD" --format json audit verify "${with[@]}"
	is "$RC:$(jget intact)" "1:false" "... the viewer's audit verify${4:+ --checkpoint} fails"
	like "$(jget problem)" "$re" "... naming it: /$re/"
	sqlite3 "$DB" ".restore '$WORK/saved.db'"
}
as_root_edits "a task's status" "UPDATE tasks SET status = 'TERMINEE' WHERE status = 'ECHEC' AND type = 'DEPLOIEMENT'" "tasks row .*status is 'TERMINEE'"
as_root_edits "a user made admin" "UPDATE users SET is_admin = 1 WHERE login = '$VIEWER'" "users row '$VIEWER': is_admin"
as_root_edits "a member's role" "UPDATE members SET role = 'CHEF_PROJET' WHERE user_id = (SELECT id FROM users WHERE login = '$VIEWER')" "members row .*role"
as_root_edits "the kept counts" "UPDATE deploy_counts SET n = n + 5" "deploy_counts row"
as_root_edits "a planted trigger" "CREATE TRIGGER planted AFTER UPDATE ON tasks BEGIN SELECT 1; END" "schema.*trigger planted"
as_root_edits "a dropped audit trigger" "DROP TRIGGER audit_no_delete" "schema.*audit_no_delete"
as_root_edits "the tail cut" "$UNGUARD DELETE FROM audit WHERE seq = $CP_SEQ; $AUDIT_TRIGGERS" \
	"ends at record $((CP_SEQ - 1)).*names record $CP_SEQ" "$WORK/checkpoint"
# A rewrite: record 2 changed, every hash after it recomputed; only the
# checkpoint sees it.
run sqlite3 "$DB" "$UNGUARD UPDATE audit SET ts = '2000-01-01T00:00:00Z' WHERE seq = 2; $AUDIT_TRIGGERS"
run "$PY" "$SRCDIR/tests/ddaudit.py" rehash "$DB" 2
rc_is 0 "root: the chain rewritten from record 2 and re-hashed"
run as "$VIEWER" "$DD" audit verify
like "$RC:$ERR" "^1:.*users row" "... the data no longer matches the rewritten trail"
run sqlite3 "$DB" "UPDATE users SET created_at = '2000-01-01T00:00:00Z' WHERE id = 2"
run as "$VIEWER" "$DD" audit verify
rc_is 0 "... made to match, audit verify alone cannot see the rewrite"
run as "$VIEWER" "$DD" --format json audit verify --checkpoint "$WORK/checkpoint"
is "$RC:$(jget intact):$(jget first_bad)" "1:false:$CP_SEQ" "... audit verify --checkpoint fails at the checkpoint's record"
sqlite3 "$DB" ".restore '$WORK/saved.db'"

# While the schema is altered, the project manager's change is refused and
# nothing is written.
sqlite3 "$DB" "CREATE TRIGGER planted AFTER UPDATE ON tasks BEGIN SELECT 1; END"
BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM audit")
run as "$PM" "$DD" stage set ERP TESTS EN_COURS
like "$RC:$ERR" "^1:deploydesk: nothing was written: the database's schema was changed outside deploydesk \(trigger planted" \
	"a change while a trigger is planted: exit 1, nothing written, the trigger named"
is "$(sqlite3 "$DB" "SELECT count(*) FROM audit")" "$BEFORE" "... no record was added"
sqlite3 "$DB" "DROP TRIGGER planted"
run as "$VIEWER" "$DD" audit verify --checkpoint "$WORK/checkpoint"
like "$RC:$OUT" "^0:audit trail intact; checked: .*checkpoints 1$" "restored: intact, the checkpoint held"

# ---------------------------------------------------------------- the
# team's database on a PostgreSQL server

# The configuration names the server, with the password of the role
# deploydesk connects as (tests/pg/cluster.sh makes dd_team): readable by
# root and the group only. People act as who they are; the program gives
# the group up once connected.
if [ -n "${DEPLOYDESK_TEST_PG:-}" ] && command -v psql >/dev/null; then
	SCHEMA=shared_pg_$$
	TEAM=${DEPLOYDESK_TEST_PG/#postgresql:\/\//postgresql://dd_team:dd-team-secret@}
	if psql "$TEAM" -qAtX -c "CREATE SCHEMA $SCHEMA" >/dev/null 2>"$WORK/psql.err"; then
		case $TEAM in
		*\?*) TEAM_DB="$TEAM&options=-csearch_path%3D$SCHEMA" ;;
		*) TEAM_DB="$TEAM?options=-csearch_path%3D$SCHEMA" ;;
		esac
		printf 'database = %s\n' "$TEAM_DB" >"$CONF"
		chown "root:$GROUP" "$CONF"
		chmod 640 "$CONF"
		run "$DD" init --shared
		if [ "$RC" -eq 0 ] && matches_i "$ERR" "^Created the shared database deploydesk_test \(.*\) \(group $GROUP\)" &&
			! grep -q dd-team-secret "$WORK/.err"; then
			pass "init --shared on the server named in the configuration (0640 root:$GROUP), its password unsaid"
		else
			fail "init --shared on the server named in the configuration (0640 root:$GROUP), its password unsaid" "$(run_diag)"
		fi
		expect_ok "root adds the project manager there" "$DD" user add "$PM" --name "Marie Martin"
		expect_ok "root adds the viewer there" "$DD" user add "$VIEWER" --name "Claire Petit"
		expect_ok "root adds project ERP there" "$DD" project add ERP --name "Refonte ERP"
		expect_ok "the project manager is a member" "$DD" member add ERP "$PM" --role chef
		expect_ok "the viewer is a member" "$DD" member add ERP "$VIEWER" --role viewer
		run as "$VIEWER" cat "$CONF"
		like "$RC:$ERR" "^1:.*Permission denied" "the viewer cannot read the configuration, nor its password"
		run as "$DEV" "$DD" user list
		like "$RC:$ERR" "^3:.*you \($DEV\) are not a user of this database" \
			"an account not registered there is refused, by its own name"
		run as "$PM" "$DD" stage set ERP CONCEPTION TERMINEE
		rc_is 0 "the project manager sets a stage, through the setgid program"
		run as "$PM" "$DD" --format json audit list --limit 100
		last=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))[-1]; print(r["login"], r["uid"], r["action"], r["host"])' "$WORK/.out")
		is "$last" "$PM $(id -u "$PM") stage.set $(hostname)" "... recorded as the account who ran it, on this host"
		run as "$VIEWER" "$DD" --as "$PM" deploy list ERP
		like "$RC:$ERR" "^3:deploydesk: --as is refused on the shared database: here you act as yourself, $VIEWER" \
			"--as on the server's shared database: refused"
		if command -v tmux >/dev/null && command -v pgrep >/dev/null; then
			screen_pid
			if [ -n "$PID" ]; then
				is "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")" \
					"$GID_VIEWER $GID_VIEWER $GID_VIEWER $GID_VIEWER" \
					"the screens on the server's database gave the group up once connected (real, effective, saved, file system)"
			else
				fail "the viewer's screens on the server's database" "$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>&1 | head -5)"
			fi
			stop_screens
		fi
		# The configuration without the password, and the viewer's own
		# ~/.pgpass holding it: the setgid program reads none of the
		# person's files while it holds the group, so the server is
		# given no password. psql, as the viewer, logs in with the
		# same file: the file is right.
		case $DEPLOYDESK_TEST_PG in
		*\?*) NOPW_DB="$DEPLOYDESK_TEST_PG&options=-csearch_path%3D$SCHEMA" ;;
		*) NOPW_DB="$DEPLOYDESK_TEST_PG?options=-csearch_path%3D$SCHEMA" ;;
		esac
		NOPW_DB=${NOPW_DB/#postgresql:\/\//postgresql://dd_team@}
		printf 'database = %s\n' "$NOPW_DB" >"$CONF"
		VHOME=$(getent passwd "$VIEWER" | cut -d: -f6)
		MADE_HOME=
		if [ ! -e "$VHOME" ]; then
			mkdir -p "$VHOME" && chown "$VIEWER" "$VHOME" && chmod 700 "$VHOME" && MADE_HOME=1
		fi
		printf '*:*:*:dd_team:dd-team-secret\n' >"$VHOME/.pgpass"
		chown "$VIEWER" "$VHOME/.pgpass"
		chmod 600 "$VHOME/.pgpass"
		run as "$VIEWER" env HOME="$VHOME" psql "$NOPW_DB" -qAtX -c "SELECT 1"
		is "$RC:$OUT" "0:1" "the viewer's own ~/.pgpass logs psql in as dd_team"
		run as "$VIEWER" env HOME="$VHOME" "$DD" user list
		like "$RC:$ERR" "^1:.*no password supplied" \
			"... but not the setgid program, which reads none of the person's files with the group"
		rm -f "$VHOME/.pgpass"
		[ -n "$MADE_HOME" ] && rm -rf "$VHOME"
		printf 'database = %s\n' "$TEAM_DB" >"$CONF"
		chmod 644 "$CONF"
		run as "$VIEWER" "$DD" user list
		if [ "$RC" -eq 1 ] && matches_i "$ERR" "holds the PostgreSQL server's password, and everyone can read it" &&
			! grep -q dd-team-secret "$WORK/.err"; then
			pass "the configuration with the password made readable by everyone: refused"
		else
			fail "the configuration with the password made readable by everyone: refused" "$(run_diag)"
		fi
		psql "$TEAM" -qAtX -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
	else
		fail "the server's role dd_team makes a schema" "$(cat "$WORK/psql.err")"
	fi
	cp "$WORK/conf.saved" "$CONF"
	chown root:root "$CONF"
	chmod 644 "$CONF"
else
	skip "the team's database on a PostgreSQL server: DEPLOYDESK_TEST_PG is not set"
fi

done_testing
