/* SPDX-License-Identifier: MIT */
/* A session: the database and the person acting, whose identity comes from
 * the operating system account, never from the environment. */
#include "core/core-internal.h"

#include <ctype.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

/* The OS account running us: getuid() and the password database, as cron
 * does; $USER and $LOGNAME are set by the caller and are not trusted.
 * $HOSTNAME neither: the host's name is the kernel's. */
static enum dd_code
os_identity(struct core_session *s, char **gecos, struct dd_error *err)
{
	struct passwd *pw;
	FILE *f;
	long long loginuid;

	s->uid = getuid();
	pw = getpwuid(s->uid);
	if (!pw || !pw->pw_name || !*pw->pw_name)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("your account (uid %ld) has no name in the "
				 "password database"),
			       (long)s->uid);
	s->os_login = xstrdup(pw->pw_name);
	if (gecos) {
		size_t n = pw->pw_gecos ? strcspn(pw->pw_gecos, ",") : 0;

		*gecos = n ? xstrndup(pw->pw_gecos, n) : xstrdup(pw->pw_name);
	}
	/* The login uid survives su and sudo: "root, logged in as alice". */
	s->login_uid = -1;
	f = fopen("/proc/self/loginuid", "r");
	if (f) {
		if (fscanf(f, "%lld", &loginuid) == 1 && loginuid >= 0 &&
		    loginuid != 4294967295LL)
			s->login_uid = loginuid;
		fclose(f);
	}
	/* The host, as the kernel names it (uname's nodename), for a team
	 * on several hosts; a name cut short is no name. */
	{
		char host[HOST_NAME_MAX + 2] = "";

		if (gethostname(host, sizeof host) == 0 && host[0] &&
		    strlen(host) <= HOST_NAME_MAX)
			s->host = xstrdup(host);
	}
	return DD_OK;
}

void
core_now(const struct core_session *s, char out[TIME_ISO_SIZE])
{
	if (s->clock)
		time_iso_utc(s->clock, out);
	else if (s->txn_now[0])
		memcpy(out, s->txn_now, TIME_ISO_SIZE);
	else if (!s->db || model_now(s->db, out, NULL) != DD_OK)
		time_now_iso(out); /* what is checked again in the change */
}

void
core_clock_set(struct core_session *s, time_t at)
{
	s->clock = at;
}

enum dd_code
core_begin(struct core_session *s, struct dd_error *err)
{
	enum dd_code code = model_begin(s->db, err);

	/* One time for the whole change: a row's created_at and its audit
	 * record's time are the same instant, as audit verify expects,
	 * even when the clock turns a second between the two. On a server,
	 * its clock: the records of every host follow one. */
	if (!code) {
		code = model_now(s->db, s->txn_now, err);
		if (code)
			model_rollback(s->db);
	}
	return code;
}

void
core_rollback(struct core_session *s)
{
	model_rollback(s->db);
	s->txn_now[0] = '\0';
}

enum dd_code
core_finish(struct core_session *s, enum dd_code code, struct dd_error *err)
{
	if (code == DD_OK)
		code = model_commit(s->db, err);
	else
		model_rollback(s->db);
	s->txn_now[0] = '\0';
	if (code == DD_OK)
		core_audit_anchor(s);
	s->anchor_seq = 0;
	return code;
}

static void
session_free(struct core_session *s)
{
	if (!s)
		return;
	model_close(s->db);
	core_approval_cache_free(s);
	free(s->override_next);
	user_free(&s->me);
	free(s->os_login);
	free(s->host);
	free(s->backup_path);
	free(s);
}

/* True when the calling account (its real ids) is root or a member of
 * group. */
static bool
may_init_shared(gid_t group)
{
	gid_t *groups;
	bool member = false;
	int n;

	if (getuid() == 0 || getgid() == group)
		return true;
	n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	groups = xcalloc((size_t)n, sizeof *groups);
	n = getgroups(n, groups);
	for (int i = 0; i < n && !member; i++)
		member = groups[i] == group;
	free(groups);
	return member;
}

/* init --shared: who may, and the directory made ready for the group
 * (path NULL: a server's database, which has none). */
static enum dd_code
prepare_shared(const char *path, const char *group_name,
	       struct model_perms *perms, struct dd_error *err)
{
	struct group *gr = getgrnam(group_name);

	if (!gr)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("group %s does not exist on this host "
				 "(groupadd --system %s)"),
			       group_name, group_name);
	if (!may_init_shared(gr->gr_gid))
		return dd_fail(err, DD_ERR_PERM,
			       _("only root or a member of group %s may create "
				 "the shared database"),
			       group_name);
	perms->group = gr->gr_gid;
	perms->mode = 0660;
	if (!path)
		return DD_OK;
	return model_shared_dir(path, perms->group, group_name, getuid() == 0,
				err);
}

bool
core_location_is_server(const char *location)
{
	const char *file;

	return db_location(location, &file) == DB_LOCATION_POSTGRESQL;
}

char *
core_location_name(const char *location, bool *password)
{
	bool ignored;

	return model_location_name(location, password ? password : &ignored);
}

/* Creates the schema and the first admin, and marks a sandbox. The demo
 * project is added by core-demo.c. */
enum dd_code core_demo_fill(struct core_session *s, struct dd_error *err);

enum dd_code
core_init(const char *path, const struct core_init_options *opt,
	  struct dd_error *err)
{
	struct core_session *s = xcalloc(1, sizeof *s);
	char *name = NULL, *tmp = NULL;
	char now[TIME_ISO_SIZE];
	struct strbuf after = STRBUF_INIT;
	bool shared = opt->shared_group != NULL;
	bool sandbox = !shared && (opt->sandbox || opt->demo);
	/* A server's database is made in place, in one transaction: no
	 * file to make aside and move. */
	bool server = core_location_is_server(path);
	struct model_perms perms = {0};
	enum dd_code code;

	code = os_identity(s, &name, err);
	if (!code)
		code = core_check_login(s->os_login, err);
	if (!code && shared)
		code = prepare_shared(server ? NULL : path, opt->shared_group,
				      &perms, err);
	if (!code && !server)
		code = model_check_new(path, err);
	if (code)
		goto out;
	/* The account's full name, cut to the limit on a character. */
	if (core_check_line(_("name"), name, CORE_NAME_MAX, true, err) !=
	    DD_OK) {
		free(name);
		name = xstrdup(s->os_login);
	}
	/* A random id, which checkpoints name, recorded in the first
	 * record. */
	if (!uuid_new(s->database_id)) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("the system gave no random bytes for an id"));
		goto out;
	}
	if (server) {
		code = model_open_server(path, MODEL_OPEN_CREATE, &s->db, err);
	} else {
		tmp = model_temp_path(path);
		code = model_open(tmp, MODEL_OPEN_CREATE, &s->db, NULL, err);
	}
	if (code)
		goto out;
	code = core_begin(s, err);
	if (code)
		goto out;
	core_now(s, now);
	s->me.login = xstrdup(s->os_login);
	s->me.full_name = xstrdup(name);
	s->me.is_admin = true;
	code = model_user_insert(s->db, &s->me, now, err);
	if (!code && sandbox)
		code = model_setting_set(s->db, "sandbox", "1", err);
	if (!code) {
		strbuf_addstr(&after, "{\"login\":");
		json_add_string(&after, s->me.login);
		strbuf_addstr(&after, ",\"full_name\":");
		json_add_string(&after, s->me.full_name);
		strbuf_addf(&after,
			    ",\"admin\":true,\"sandbox\":%s,\"shared\":%s,"
			    "\"database_id\":\"%s\"}",
			    sandbox ? "true" : "false",
			    shared ? "true" : "false", s->database_id);
		code = core_audit_append(s, AUDIT_DATABASE_INIT, s->me.login,
					 NULL, NULL, strbuf_str(&after), err);
	}
	code = core_finish(s, code, err);
	s->sandbox = sandbox;
	if (!code && opt->demo && !shared)
		code = core_demo_fill(s, err);
	/* Closing the last connection empties the write-ahead log into the
	 * file, which can then move into place. */
	model_close(s->db);
	s->db = NULL;
	if (!code && tmp)
		code = model_publish(tmp, path, shared ? &perms : NULL, err);
out:
	if (code && tmp)
		model_delete(tmp); /* leave no half-made database behind */
	strbuf_release(&after);
	free(tmp);
	free(name);
	session_free(s);
	return code;
}

enum dd_code
core_open(const char *path, const char *as_login, bool shared,
	  struct core_session **out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	struct core_session *s = xcalloc(1, sizeof *s);
	struct core_genesis genesis;
	const char *login;
	enum dd_code code;

	*out = NULL;
	code = os_identity(s, NULL, err);
	if (!code && core_location_is_server(path))
		code =
		    model_open_server(path, MODEL_OPEN_EXISTING, &s->db, err);
	else if (!code)
		code = model_open(path, MODEL_OPEN_EXISTING, &s->db,
				  &s->backup_path, err);
	if (!code)
		code = core_audit_genesis(s, &genesis, err);
	if (code)
		goto fail;
	/* The sandbox marker is what the first record says, which its hash
	 * covers: a flag flipped in a table is not believed. A shared
	 * database (run by the setgid program, or made by init --shared) is
	 * never a sandbox: whoever can write the file must not be able to
	 * make one. */
	shared = shared || genesis.shared;
	s->sandbox = !shared && genesis.valid && genesis.sandbox;
	memcpy(s->database_id, genesis.database_id, sizeof s->database_id);
	if (as_login && shared) {
		code = dd_fail(err, DD_ERR_PERM,
			       _("--as is refused on the shared database: "
				 "here you act as yourself, %s"),
			       s->os_login);
		goto fail;
	}
	if (as_login && !s->sandbox) {
		code = dd_fail(err, DD_ERR_PERM,
			       _("--as works only on a sandbox database (made "
				 "with 'deploydesk init --sandbox'); here you "
				 "act as yourself, %s"),
			       s->os_login);
		goto fail;
	}
	login = as_login ? as_login : s->os_login;
	code = model_user_by_login(s->db, login, &s->me, err);
	if (code == DD_ERR_NOTFOUND) {
		if (as_login)
			code = dd_fail(err, DD_ERR_NOTFOUND,
				       _("no user '%s' in this database"),
				       text_cut(as_login, cut));
		else
			code = dd_fail(
			    err, DD_ERR_PERM,
			    _("you (%s) are not a user of this database; "
			      "an admin can add you with 'deploydesk user "
			      "add %s --name \"Your Name\"'"),
			    login, login);
	}
	if (code)
		goto fail;
	*out = s;
	return DD_OK;
fail:
	session_free(s);
	return code;
}

void
core_delete_database(const char *path)
{
	model_delete(path);
}

void
core_close(struct core_session *s)
{
	session_free(s);
}

const struct user *
core_me(const struct core_session *s)
{
	return &s->me;
}

bool
core_is_sandbox(const struct core_session *s)
{
	return s->sandbox;
}

const char *
core_database_id(const struct core_session *s)
{
	return s->database_id;
}

const char *
core_migration_backup(const struct core_session *s)
{
	return s->backup_path;
}

enum dd_code
core_data_version(struct core_session *s, int64_t *out, struct dd_error *err)
{
	return model_data_version(s->db, out, err);
}

enum dd_code
core_standing_of(struct core_session *s, const char *project_id,
		 struct core_standing *out, struct dd_error *err)
{
	struct member m = {0};
	enum dd_code code;

	memset(out, 0, sizeof *out);
	out->is_admin = s->me.is_admin;
	code = model_member_get(s->db, project_id, s->me.id, &m, err);
	if (code == DD_ERR_NOTFOUND)
		return DD_OK;
	if (code)
		return code;
	out->is_member = true;
	out->role = m.role;
	out->senior = m.senior;
	member_free(&m);
	return DD_OK;
}

static enum dd_code project_fill(struct core_session *s,
				 struct core_project *out,
				 struct dd_error *err);

enum dd_code
core_project_open(struct core_session *s, const char *ref,
		  struct core_project *out, struct dd_error *err)
{
	char cut[TEXT_CUT_SIZE];
	char code_up[CORE_CODE_MAX + 1];
	bool ambiguous = false;
	size_t n = strlen(ref);
	enum dd_code code = DD_ERR_NOTFOUND;

	memset(out, 0, sizeof *out);
	if (n >= 1 && n <= CORE_CODE_MAX) {
		for (size_t i = 0; i <= n; i++)
			code_up[i] = (char)toupper((unsigned char)ref[i]);
		code =
		    model_project_by_code(s->db, code_up, &out->project, err);
	}
	if (code == DD_ERR_NOTFOUND && n >= CORE_ID_PREFIX_MIN &&
	    n < UUID_SIZE) {
		char prefix[UUID_SIZE];

		for (size_t i = 0; i <= n; i++)
			prefix[i] = (char)tolower((unsigned char)ref[i]);
		code = model_project_by_id_prefix(s->db, prefix, &out->project,
						  &ambiguous, err);
	}
	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_NOTFOUND,
			       ambiguous ? _("project id '%s' is ambiguous: "
					     "give more characters")
					 : _("no project '%s' (see 'deploydesk "
					     "project list')"),
			       text_cut(ref, cut));
	if (code)
		return code;
	return project_fill(s, out, err);
}

enum dd_code
core_project_take(struct core_session *s, struct project *p,
		  struct core_project *out, struct dd_error *err)
{
	memset(out, 0, sizeof *out);
	out->project = *p;
	memset(p, 0, sizeof *p);
	return project_fill(s, out, err);
}

/* What core_project_open reads about out->project once it is found. */
static enum dd_code
project_fill(struct core_session *s, struct core_project *out,
	     struct dd_error *err)
{
	enum dd_code code;

	code = model_stage_list(s->db, out->project.id, out->stages, err);
	if (!code)
		code = core_standing_of(s, out->project.id, &out->me, err);
	if (!code)
		code = model_policy_read(s->db, out->project.id, &out->policy,
					 err);
	if (!code)
		code =
		    model_freezes(s->db, out->project.id, &out->freezes, err);
	if (!code)
		code = model_blocked_versions(
		    s->db, out->project.id, &out->blocked, &out->nblocked, err);
	if (code)
		core_project_free(out);
	return code;
}

void
core_project_free(struct core_project *p)
{
	project_free(&p->project);
	freeze_list_free(&p->freezes);
	for (size_t i = 0; i < p->nblocked; i++)
		free(p->blocked[i]);
	free(p->blocked);
	p->blocked = NULL;
	p->nblocked = 0;
}
