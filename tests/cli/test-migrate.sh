#!/bin/bash
# SPDX-License-Identifier: MIT
# Schema upgrades: a version-1 database made by hand is upgraded on first
# use, after a backup next to it; a database newer than the program is
# refused and left alone.
# Usage: test-migrate.sh PATH-TO-deploydesk SOURCE-DIR

. "$(dirname "$0")/lib.sh" "$@"

MIGRATIONS=$SRCDIR/data/migrations
if [ ! -f "$MIGRATIONS/001-initial.sql" ]; then
	echo "Bail out! no $MIGRATIONS/001-initial.sql (give the source directory as \$2)"
	exit 1
fi
LATEST=$(find "$MIGRATIONS" -name '[0-9][0-9][0-9]-*.sql' | wc -l)
ME=$(id -un)
sum() { sha256sum "$1" | cut -d' ' -f1; }

# The application id the program stamps on its databases, read from one it
# made (rather than written down here).
expect_ok "init a current database" "$DD" --db "$WORK/current.db" init
APP_ID=$(sqlite3 "$WORK/current.db" "PRAGMA application_id")
like "$APP_ID" '^[1-9][0-9]*$' "a deploydesk database has an application id ($APP_ID)"
is "$(sqlite3 "$WORK/current.db" "PRAGMA user_version")" "$LATEST" "a new database is at the latest schema version ($LATEST)"
is "$(sqlite3 "$WORK/current.db" "SELECT version FROM schema_version")" "$LATEST" \
	"... kept in its schema_version table too, as every backend can"

# The two must agree: a table that says another version than the header
# (a file edited, or half restored) is refused in one line, untouched.
cp "$WORK/current.db" "$WORK/torn.db"
sqlite3 "$WORK/torn.db" "UPDATE schema_version SET version = version - 1"
torn=$(sum "$WORK/torn.db")
run "$DD" --db "$WORK/torn.db" user list
rc_is 1 "a database whose schema_version table disagrees with its header: exit 1"
if err_one_line && matches_i "$ERR" "schema version is $LATEST in the file's header and $((LATEST - 1)) in its schema_version table"; then
	pass "... one line naming both versions"
else
	fail "... one line naming both versions" "$(run_diag)"
fi
is "$(sum "$WORK/torn.db")" "$torn" "... and the file is left as it was"

# The trail an older deploydesk wrote for make_v1's data.
"$PY" - "$ME" "$(id -u)" >"$WORK/v1-trail.jsonl" <<'EOF'
import json, sys
me, uid = sys.argv[1], int(sys.argv[2])
p = "0b6f3f4e-5a1c-4d2e-9f00-000000000001"
def rec(ts, action, entity, entity_id, after, before=None, project=p):
    print(json.dumps({"ts": ts, "uid": uid, "login": me, "action": action,
                      "entity": entity, "entity_id": entity_id,
                      "project_id": project, "before": before,
                      "after": after}))
rec("2026-01-02T08:00:00Z", "database.init", "user", me,
    {"login": me, "full_name": "Admin", "admin": True, "sandbox": False},
    project=None)
rec("2026-01-02T08:05:00Z", "user.add", "user", "mmartin",
    {"login": "mmartin", "full_name": "Marie Martin", "admin": False},
    project=None)
rec("2026-01-02T08:10:00Z", "project.add", "project", p,
    {"code": "ERP", "name": "Refonte ERP"})
for n, (stage, status) in enumerate([("CONCEPTION", "TERMINEE"),
                                     ("DEVELOPPEMENT", "TERMINEE"),
                                     ("TESTS", "TERMINEE"),
                                     ("DEPLOIEMENT", "EN_COURS")], 1):
    rec("2026-01-02T08:1%d:00Z" % n, "stage.set", "stage",
        "5a6b7c8d-0000-4000-8000-00000000000%d" % n,
        {"stage": stage, "status": status},
        {"stage": stage, "status": "A_FAIRE"})
rec("2026-01-02T08:15:00Z", "member.set", "member", "mmartin",
    {"login": "mmartin", "role": "CHEF_PROJET", "senior": False})
rec("2026-01-10T10:00:00Z", "deploy.create", "task",
    "d1e2f3a4-0000-4000-8000-000000000001",
    {"version": "v0.9.0", "environment": "PROD",
     "description": "Mise en production initiale", "responsible": "mmartin",
     "planned_at": "2026-01-15T09:00:00Z", "status": "A_FAIRE"})
EOF
V1_RECORDS=$(wc -l <"$WORK/v1-trail.jsonl")

# make_v1 PATH: a schema-version-1 database with a little data and the
# trail that describes it.
make_v1() {
	sqlite3 "$1" <"$MIGRATIONS/001-initial.sql" &&
		sqlite3 "$1" >/dev/null <<EOF
PRAGMA application_id = $APP_ID;
PRAGMA user_version = 1;
PRAGMA journal_mode = WAL;
INSERT INTO users (id, login, full_name, is_admin, created_at) VALUES
	(1, '$ME', 'Admin', 1, '2026-01-02T08:00:00Z'),
	(2, 'mmartin', 'Marie Martin', 0, '2026-01-02T08:05:00Z');
INSERT INTO projects (id, code, name, created_at) VALUES
	('0b6f3f4e-5a1c-4d2e-9f00-000000000001', 'ERP', 'Refonte ERP', '2026-01-02T08:10:00Z');
INSERT INTO stages (id, project_id, code, position, status) VALUES
	('5a6b7c8d-0000-4000-8000-000000000001', '0b6f3f4e-5a1c-4d2e-9f00-000000000001', 'CONCEPTION', 0, 'TERMINEE'),
	('5a6b7c8d-0000-4000-8000-000000000002', '0b6f3f4e-5a1c-4d2e-9f00-000000000001', 'DEVELOPPEMENT', 1, 'TERMINEE'),
	('5a6b7c8d-0000-4000-8000-000000000003', '0b6f3f4e-5a1c-4d2e-9f00-000000000001', 'TESTS', 2, 'TERMINEE'),
	('5a6b7c8d-0000-4000-8000-000000000004', '0b6f3f4e-5a1c-4d2e-9f00-000000000001', 'DEPLOIEMENT', 3, 'EN_COURS');
INSERT INTO members (project_id, user_id, role, senior) VALUES
	('0b6f3f4e-5a1c-4d2e-9f00-000000000001', 2, 'CHEF_PROJET', 0);
INSERT INTO tasks (id, stage_id, type, name, description, status, priority,
	responsible, planned_at, version, environment, created_by, created_at) VALUES
	('d1e2f3a4-0000-4000-8000-000000000001', '5a6b7c8d-0000-4000-8000-000000000004',
	 'DEPLOIEMENT', 'v0.9.0', 'Mise en production initiale', 'A_FAIRE', 'NORMALE',
	 2, '2026-01-15T09:00:00Z', 'v0.9.0', 'PROD', 1, '2026-01-10T10:00:00Z');
EOF
	"$PY" "$SRCDIR/tests/ddaudit.py" append "$1" "$WORK/v1-trail.jsonl"
}

# The rows of every table, in a fixed order.
# The rows of every table of version 1, in version 1's columns; the tasks
# with their rowids, which the search index refers to and which the
# rebuild of tasks (version 5) keeps.
V1_TASK_COLUMNS="rowid, id, stage_id, type, name, description, status, priority,
	responsible, planned_at, version, environment, logs, authorized_by,
	authorized_at, started_by, started_at, executed_by, executed_at,
	source_task, created_by, created_at, row_version"
rows_of() {
	local t
	for t in settings users projects members stages; do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2"
	done
	# Version 1's columns: the upgrade adds host (schema 19), empty in
	# the records made before.
	echo "== audit"
	sqlite3 "$1" "SELECT seq, ts, uid, login, login_uid, action, entity,
		entity_id, project_id, before, after, prev_hash, hash
		FROM audit ORDER BY 1"
	echo "== tasks"
	sqlite3 "$1" "SELECT $V1_TASK_COLUMNS FROM tasks ORDER BY id"
}

# ---------------------------------------------------------------- upgrade

mkdir "$WORK/up"
V1=$WORK/up/v1.db
make_v1 "$V1"
check "made a version-1 database by hand" test "$(sqlite3 "$V1" "PRAGMA user_version")" = 1
ROWS_V1=$(rows_of "$V1")
DUMP_V1=$(dump_db "$V1")

run "$DD" --db "$V1" --format json deploy list ERP
rc_is 0 "deploy list on a version-1 database succeeds"
is "$(jget 0.id):$(jget 0.version):$(jget 0.status):$(jget 0.responsible):$(jget 0.planned_at)" \
	"d1e2f3a4-0000-4000-8000-000000000001:v0.9.0:A_FAIRE:mmartin:2026-01-15T09:00:00Z" \
	"the version-1 deployment is listed"
like "$ERR" 'upgrade' "stderr says the database was upgraded"
BACKUPS=$(find "$WORK/up" -name 'v1.db.v1-*.bak')
is "$(wc -w <<<"$BACKUPS")" 1 "one backup file v1.db.v1-*.bak next to the database"
BACKUP=${BACKUPS%%$'\n'*}
if [ -n "$BACKUP" ]; then
	like "$ERR" "$(basename "$BACKUP")" "stderr names the backup file"
	is "$(sqlite3 "$BACKUP" "PRAGMA user_version")" 1 "the backup is at schema version 1"
	is "$(rows_of "$BACKUP")" "$ROWS_V1" "the backup holds the same rows"
	is "$(dump_db "$BACKUP")" "$DUMP_V1" "the backup is the version-1 database (same dump)"
	is "$(sqlite3 "$BACKUP" "PRAGMA integrity_check")" ok "the backup passes integrity_check"
else
	fail "stderr names the backup file" "no backup"
	fail "the backup is at schema version 1" "no backup"
	fail "the backup holds the same rows" "no backup"
	fail "the backup is the version-1 database (same dump)" "no backup"
	fail "the backup passes integrity_check" "no backup"
fi
is "$(sqlite3 "$V1" "PRAGMA user_version")" "$LATEST" "PRAGMA user_version is now $LATEST"
is "$(sqlite3 "$V1" "SELECT version FROM schema_version")" "$LATEST" "... and the schema_version table says $LATEST too"
is "$(sqlite3 "$V1" "PRAGMA application_id")" "$APP_ID" "the application id is kept"
is "$(rows_of "$V1")" "$ROWS_V1" "the rows are intact after the upgrade, the tasks' rowids too"
is "$(sqlite3 "$V1" "SELECT count(*) FROM tasks WHERE closed_by IS NOT NULL OR closed_at IS NOT NULL OR close_reason IS NOT NULL")" 0 \
	"... and none of them is closed (version 5's columns empty)"
for idx in tasks_history tasks_stats; do
	is "$(sqlite3 "$V1" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '$idx'")" 1 \
		"index $idx now exists"
done
is "$(sqlite3 "$V1" "SELECT count(*) FROM sqlite_master WHERE name IN ('audit_no_update', 'audit_no_delete')")" 2 \
	"the audit triggers are still there"
is "$(sqlite3 "$V1" "PRAGMA integrity_check")" ok "the upgraded database passes integrity_check"

run "$DD" --db "$V1" --format json deploy list ERP --search "initiale MISE"
is "$RC:$(jget 0.version)" "0:v0.9.0" "the upgrade indexed the existing deployment: a search finds it"
is "$(sqlite3 "$V1" "SELECT kind || ' ' || environment || ' ' || day FROM figure_days"):$(sqlite3 "$V1" "SELECT count(*) FROM figure_dirty")" \
	"3 PROD 2026-01-15:0" "the upgrade kept the delivery figures of the history's days (the planned deployment's), none left to build"
is "$(sqlite3 "$V1" "SELECT count(*) FROM sqlite_master WHERE name IN ('task_search', 'tasks_env_history', 'tasks_status_history', 'tasks_env_status_history')")" 4 \
	"the search index and the filter indexes now exist"

run "$DD" --db "$V1" deploy list ERP
rc_is 0 "a second run works"
is "$ERR" "" "... says nothing about an upgrade"
is "$(find "$WORK/up" -name 'v1.db.v1-*.bak' | wc -l)" 1 "... and makes no other backup"

# The upgraded database is fully usable, its audit trail included.
run "$DD" --db "$V1" deploy authorize d1e2f3a4
rc_is 0 "authorize the old deployment on the upgraded database"
run "$DD" --db "$V1" --format json deploy show d1e2
is "$(jget authorized_by)" "$ME" "... recorded"
run "$DD" --db "$V1" --format json audit verify
is "$RC:$(jget intact):$(jget records)" "0:true:$((V1_RECORDS + 1))" \
	"audit verify on the upgraded database: intact, its trail and the authorization"
# Its first record names no database id (older versions wrote none): the
# id is the first half of that record's hash, and checkpoints work.
run "$DD" --db "$V1" audit checkpoint
LEGACY_ID=$(sqlite3 "$V1" "SELECT lower(hex(substr(hash, 1, 16))) FROM audit WHERE seq = 1")
like "$OUT" "^deploydesk-checkpoint 1 $LEGACY_ID [0-9]+ [0-9a-f]{64} " \
	"audit checkpoint on a database without a recorded id: the first half of its first record's hash"
printf '%s\n' "$OUT" >"$WORK/v1.cp"
run "$DD" --db "$V1" --format json audit verify --checkpoint "$WORK/v1.cp"
is "$RC:$(jget checkpoints)" "0:1" "... and verify --checkpoint holds it"

# ---------------------------------------------------------------- the
# backup's permissions: those of the database (it holds the same data),
# whatever the umask of the process that upgrades it

# upgrade_with_umask DIR MODE UMASK: a version-1 database of that mode in
# DIR, upgraded by a run under that umask; prints the backup's mode
upgrade_with_umask() {
	mkdir "$1"
	make_v1 "$1/v1.db"
	chmod "$2" "$1/v1.db"
	(umask "$3" && "$DD" --db "$1/v1.db" deploy list ERP >/dev/null 2>&1)
	stat -c %a "$1"/v1.db.v1-*.bak 2>&1
}
for case in "600 022" "600 000" "640 022" "660 077" "644 077"; do
	read -r mode mask <<<"$case"
	is "$(upgrade_with_umask "$WORK/perm-$mode-$mask" "$mode" "$mask")" "$mode" \
		"a $mode database upgraded under umask $mask: the backup is $mode"
done
if [ "$(id -u)" -eq 0 ] && getent group nogroup >/dev/null; then
	mkdir "$WORK/perm-group"
	make_v1 "$WORK/perm-group/v1.db"
	chgrp nogroup "$WORK/perm-group/v1.db"
	chmod 640 "$WORK/perm-group/v1.db"
	"$DD" --db "$WORK/perm-group/v1.db" deploy list ERP >/dev/null 2>&1
	is "$(stat -c '%a %G' "$WORK/perm-group"/v1.db.v1-*.bak 2>&1)" "640 nogroup" \
		"a 640 database of group nogroup: the backup is 640 and of group nogroup"
else
	skip "not root, or no group nogroup: the backup's group"
fi
# A person who cannot give the backup the database's group: no group may
# read the copy (rather than the person's own group).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
	getent group nogroup >/dev/null && [ "$(id -gn nobody)" != root ]; then
	mkdir "$WORK/perm-other"
	make_v1 "$WORK/perm-other/v1.db"
	sqlite3 "$WORK/perm-other/v1.db" "UPDATE users SET login = 'nobody' WHERE id = 1"
	chown nobody:root "$WORK/perm-other" "$WORK/perm-other/v1.db"
	chmod 660 "$WORK/perm-other/v1.db"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$DD" --db "$WORK/perm-other/v1.db" deploy list ERP >/dev/null 2>&1
	is "$(stat -c '%a %G' "$WORK/perm-other"/v1.db.v1-*.bak 2>&1)" "600 nogroup" \
		"a 660 root-group database upgraded by nobody (not in that group): the backup is 600"
else
	skip "not root, no setpriv or no nobody: a backup whose group cannot be the database's"
fi

# ---------------------------------------------------------------- a newer
# schema

mkdir "$WORK/new"
V99=$WORK/new/v99.db
make_v1 "$V99"
sqlite3 "$V99" "PRAGMA user_version = 99"
before=$(sha256sum "$V99" | cut -d' ' -f1)
DUMP_V99=$(dump_db "$V99")
for cmd in "deploy list ERP" "deploy authorize d1e2f3a4"; do
	# shellcheck disable=SC2086
	run "$DD" --db "$V99" $cmd
	rc_is 1 "${cmd% *} on a schema-version-99 database: exit 1"
	if err_one_line && matches_i "$ERR" 'newer' && [ ! -s "$WORK/.out" ]; then
		pass "${cmd% *} on version 99: one line saying it is newer"
	else
		fail "${cmd% *} on version 99: one line saying it is newer" "$(run_diag)"
	fi
done
is "$(sha256sum "$V99" | cut -d' ' -f1)" "$before" "the version-99 database file is unchanged"
is "$(dump_db "$V99")" "$DUMP_V99" "its data is unchanged"
is "$(sqlite3 "$V99" "PRAGMA user_version")" 99 "its user_version is still 99"
is "$(find "$WORK/new" -name '*.bak' | wc -l)" 0 "no backup made of it"

done_testing
