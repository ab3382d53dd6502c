/* SPDX-License-Identifier: MIT */
/* Which database a run uses (--db, $DEPLOYDESK_DB, the system
 * configuration, the XDG default), and whether the setgid shared install
 * keeps its group for it or gives it up for good. */
#include "cli/cli.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/priv.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

const char *
cli_shared_group(void)
{
#ifdef SHARED_GROUP
	return SHARED_GROUP;
#else
	return NULL;
#endif
}

/* The XDG default: $XDG_DATA_HOME/deploydesk/deploydesk.db, else under
 * $HOME. XDG_DATA_HOME is read with secure_getenv, so that the setgid
 * program never takes it from the caller; HOME is then the password
 * database's (priv_init rebuilt the environment). */
static char *
default_db_path(void)
{
	const char *xdg = secure_getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (xdg && *xdg == '/')
		strbuf_addf(&sb, "%s/deploydesk/deploydesk.db", xdg);
	else if (home && *home)
		strbuf_addf(&sb, "%s/.local/share/deploydesk/deploydesk.db",
			    home);
	else
		return NULL;
	return strbuf_detach(&sb);
}

/* An empty path would open a temporary database that vanishes on close
 * ("init" would create nothing), and a blank one is surely a mistake. */
static bool
path_is_blank(const char *path)
{
	return path[strspn(path, " \t\n\r\v\f")] == '\0';
}

/* The database's location as given by source (--db, DEPLOYDESK_DB): a
 * file's path, kept without its "sqlite:", or a PostgreSQL server's. */
static int
take_location(struct cli_ctx *ctx, const char *source)
{
	enum db_location_kind kind;
	const char *path;
	char *plain;

	if (db_location(ctx->db_path, &path) == DB_LOCATION_POSTGRESQL)
		return 0;
	if (!*path)
		return cli_usage(_("%s: the database's path is empty"), source);
	/* sqlite:host=x is the file host=x: named ./host=x from here on, so
	 * that nothing after takes it for a server's location. */
	plain = db_location_plain(ctx->db_path, &kind);
	free(ctx->db_owned);
	ctx->db_path = ctx->db_owned = plain;
	return 0;
}

/* A server's password in a configuration everyone can read is everyone's
 * way around deploydesk, straight to its tables. */
static int
check_conf_password(const struct cli_ctx *ctx)
{
	bool password = false;

	if (!ctx->conf.database || !ctx->conf.others_read ||
	    !core_location_is_server(ctx->conf.database))
		return 0;
	free(core_location_name(ctx->conf.database, &password));
	if (!password)
		return 0;
	cli_error(_("%s holds the PostgreSQL server's password, and everyone "
		    "can read it: let only root and deploydesk's group read "
		    "it (chmod 640), or keep the password in libpq's password "
		    "file (passfile=)"),
		  ctx->conf.path);
	return DD_ERR_RUNTIME;
}

int
cli_database_choose(struct cli_ctx *ctx, bool demo)
{
	const char *conf = secure_getenv("DEPLOYDESK_CONF");
	const char *env = secure_getenv("DEPLOYDESK_DB");
	struct dd_error err = {0};
	enum dd_code code;

	if (ctx->db_path && path_is_blank(ctx->db_path))
		return cli_usage(_("--db: the database's path is empty"));
	if (env && *env && path_is_blank(env))
		return cli_usage(_("DEPLOYDESK_DB holds only blanks: give the "
				   "database's path, or unset it"));
	ctx->db_given = ctx->db_path != NULL;
	/* $DEPLOYDESK_CONF is for tests of a build that is not setgid:
	 * secure_getenv ignores it in the setgid program. */
	if (conf && *conf)
		code =
		    conffile_read(conf, true, priv_setgid(), &ctx->conf, &err);
	else
		code = conffile_read(SYSCONF_FILE, false, priv_setgid(),
				     &ctx->conf, &err);
	if (code)
		return cli_fail(code, &err);
	code = check_conf_password(ctx);
	if (code)
		return code;
	if (ctx->db_path)
		return take_location(ctx, "--db");
	if (demo)
		return 0;
	if (env && *env) {
		ctx->db_path = env;
		return take_location(ctx, "DEPLOYDESK_DB");
	}
	if (ctx->conf.database)
		ctx->db_path = ctx->conf.database;
	else
		ctx->db_path = ctx->db_owned = default_db_path();
	if (!ctx->db_path)
		return cli_usage(_("no database: give --db PATH or set "
				   "DEPLOYDESK_DB"));
	return 0;
}

bool
cli_database_is_shared_one(const struct cli_ctx *ctx, const char *path)
{
	return cli_shared_group() && ctx->conf.database && path &&
	       strcmp(path, ctx->conf.database) == 0;
}

int
cli_database_settle(struct cli_ctx *ctx, bool keep)
{
	struct dd_error err = {0};
	struct group *gr;

	ctx->shared = false;
	if (keep && priv_held() &&
	    cli_database_is_shared_one(ctx, ctx->db_path)) {
		gr = getgrnam(cli_shared_group());
		ctx->shared = gr && gr->gr_gid == getegid();
	}
	if (!ctx->shared && priv_drop(&err) != DD_OK)
		return cli_fail(err.code, &err);
	return 0;
}
