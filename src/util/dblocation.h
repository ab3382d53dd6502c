/* SPDX-License-Identifier: MIT */
/* Where a database is, as people give it (--db, $DEPLOYDESK_DB, the
 * system configuration's database =): a file of SQLite, written as its
 * path or as sqlite:PATH, or a PostgreSQL server, written as a URI
 * (postgresql://..., postgres://...) or as libpq's key=value connection
 * string (host=db dbname=deploydesk). A path that looks like the latter
 * ("host=x") is written sqlite:host=x or ./host=x. */
#ifndef DD_UTIL_DBLOCATION_H
#define DD_UTIL_DBLOCATION_H

enum db_location_kind {
	DB_LOCATION_SQLITE,
	DB_LOCATION_POSTGRESQL,
};

/* The kind of location text names and, for a file, its path (text
 * itself, or what follows "sqlite:"). */
enum db_location_kind db_location(const char *text, const char **path);

/* The location text names, as nothing after will misread it: a server's
 * as it is; a file's path without its "sqlite:", and with "./" before one
 * that would read as a server's (sqlite:host=x is ./host=x). *kind says
 * which. A new string. */
char *db_location_plain(const char *text, enum db_location_kind *kind);

#endif
