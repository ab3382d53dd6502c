/* SPDX-License-Identifier: MIT */
#include "util/dblocation.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "util/strbuf.h"

/* The keywords of libpq's connection strings (PostgreSQL's
 * documentation, "Parameter Key Words"), the ones a connection string
 * begins with in practice. */
static const char *const conninfo_keys[] = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "service",
    "sslmode",
    "sslcert",
    "sslkey",
    "sslrootcert",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "gssencmode",
    "krbsrvname",
    "channel_binding",
    "client_encoding",
    "keepalives",
    "requiressl",
    "sslcompression",
    "load_balance_hosts",
};

static bool
conninfo(const char *text)
{
	size_t len;

	while (*text == ' ' || *text == '\t')
		text++;
	len = strspn(text, "abcdefghijklmnopqrstuvwxyz_");
	if (!len)
		return false;
	for (const char *p = text + len; *p != '='; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	for (size_t i = 0; i < sizeof conninfo_keys / sizeof *conninfo_keys;
	     i++)
		if (strlen(conninfo_keys[i]) == len &&
		    strncmp(conninfo_keys[i], text, len) == 0)
			return true;
	return false;
}

enum db_location_kind
db_location(const char *text, const char **path)
{
	*path = text;
	if (strncmp(text, "sqlite:", 7) == 0) {
		*path = text + 7;
		return DB_LOCATION_SQLITE;
	}
	if (strncmp(text, "postgresql://", 13) == 0 ||
	    strncmp(text, "postgres://", 11) == 0 || conninfo(text))
		return DB_LOCATION_POSTGRESQL;
	return DB_LOCATION_SQLITE;
}

char *
db_location_plain(const char *text, enum db_location_kind *kind)
{
	struct strbuf sb = STRBUF_INIT;
	const char *path, *again;

	*kind = db_location(text, &path);
	if (*kind == DB_LOCATION_SQLITE &&
	    db_location(path, &again) == DB_LOCATION_POSTGRESQL)
		strbuf_addstr(&sb, "./");
	strbuf_addstr(&sb, path);
	return strbuf_detach(&sb);
}
