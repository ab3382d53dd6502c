/* SPDX-License-Identifier: MIT */
/* What the core's tests share: a code's name for their messages, and the
 * removal of the temporary directory their sandbox database lives in. */
#ifndef DD_TESTS_SANDBOX_H
#define DD_TESTS_SANDBOX_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

static inline const char *
code_name(enum dd_code c)
{
	switch (c) {
	case DD_OK:
		return "DD_OK";
	case DD_ERR_RUNTIME:
		return "DD_ERR_RUNTIME";
	case DD_ERR_INPUT:
		return "DD_ERR_INPUT";
	case DD_ERR_PERM:
		return "DD_ERR_PERM";
	case DD_ERR_NOTFOUND:
		return "DD_ERR_NOTFOUND";
	case DD_ERR_REFUSED:
		return "DD_ERR_REFUSED";
	}
	return "?";
}

/* Removes directory dir and the files in it (the database, its journal). */
static inline void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

#endif
