/* SPDX-License-Identifier: MIT */
/* The system configuration file (deploydesk.conf): "key = value" lines
 * and "#" comments. */
#ifndef DD_UTIL_CONFFILE_H
#define DD_UTIL_CONFFILE_H

#include <stdbool.h>

#include "util/error.h"

/* The largest configuration file read. */
#define CONFFILE_MAX (64 * 1024)

struct conffile {
	char *path; /* the file read (or looked for) */
	/* "database = LOCATION": a file's absolute path (without its
	 * "sqlite:"), a PostgreSQL server's location, or NULL. */
	char *database;
	bool others_read; /* the file is readable by others than its
			     owner and group */
};

/* Reads the configuration at path into out. A missing file is an empty
 * configuration unless must_exist. With trusted_only (the setgid program),
 * the file must belong to root and be writable by nobody else, since it
 * names the database the group opens, and path must be absolute with
 * every directory on it root's and writable by nobody else unless sticky
 * (symbolic links followed): else DD_ERR_RUNTIME, naming the directory.
 * A line that is not "key = value",
 * an unknown key, a key given twice or a bad value is refused with
 * "FILE:LINE: ..." (DD_ERR_INPUT). Release with conffile_free(), also
 * after a failure. */
enum dd_code conffile_read(const char *path, bool must_exist, bool trusted_only,
			   struct conffile *out, struct dd_error *err);
void conffile_free(struct conffile *c);

#endif
