/* SPDX-License-Identifier: MIT */
/* A database's files around SQLite: the temporary file init builds in and
 * moves into place, so that an init killed half-way never leaves a file in
 * the way, and the shared install's directory. No SQL here. */
#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/strbuf.h"

/* The directory part of path ("." for a bare name). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

enum dd_code
model_check_new(const char *path, struct dd_error *err)
{
	struct stat sb;
	size_t n = strlen(path);
	char *dir;
	enum dd_code code = DD_OK;

	if (n == 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("the database's path is empty"));
	if (path[n - 1] == '/')
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s names a directory, not a database file"),
			       path);
	if (lstat(path, &sb) == 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s already exists: not replacing it"), path);
	/* Said here, about the file asked for, rather than by SQLite about
	 * the temporary file. AT_EACCESS: with the rights in effect. */
	dir = dir_of(path);
	if (stat(dir, &sb) == 0 &&
	    faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		code = dd_fail(err, DD_ERR_RUNTIME, _("cannot create %s: %s"),
			       path, strerror(errno));
	free(dir);
	return code;
}

char *
model_temp_path(const char *path)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[6];
	struct strbuf sb = STRBUF_INIT;

	/* The name only has to be new; the creation itself is exclusive. */
	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		unsigned long x = (unsigned long)getpid() ^
				  (unsigned long)time(NULL) ^
				  (unsigned long)clock();

		for (size_t i = 0; i < sizeof r; i++, x >>= 8)
			r[i] = (unsigned char)x;
	}
	strbuf_addf(&sb, "%s.init-", path);
	for (size_t i = 0; i < sizeof r; i++) {
		strbuf_addch(&sb, hex[r[i] >> 4]);
		strbuf_addch(&sb, hex[r[i] & 15]);
	}
	return strbuf_detach(&sb);
}

/* Makes the new name durable: the rename is written in the directory. */
static void
sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Gives the closed temporary database its final group and mode. */
static enum dd_code
set_perms(const char *tmp, const struct model_perms *perms,
	  struct dd_error *err)
{
	struct stat sb;
	int fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	enum dd_code code = DD_OK;

	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_gid != perms->group &&
	     fchown(fd, (uid_t)-1, perms->group)) ||
	    fchmod(fd, perms->mode) != 0 || fsync(fd) != 0)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot set the group and mode of %s: %s"),
			       tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	return code;
}

enum dd_code
model_publish(const char *tmp, const char *path,
	      const struct model_perms *perms, struct dd_error *err)
{
	struct strbuf side = STRBUF_INIT;
	struct stat sb;
	enum dd_code code = DD_OK;

	/* Closing the last connection copied the write-ahead log into the
	 * file and removed it; one left behind would hold data that the
	 * move would lose. */
	strbuf_addf(&side, "%s-wal", tmp);
	if (lstat(strbuf_str(&side), &sb) == 0)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot finish creating %s: %s is still "
				 "there"),
			       path, strbuf_str(&side));
	strbuf_reset(&side);
	strbuf_addf(&side, "%s-shm", tmp);
	unlink(strbuf_str(&side));
	strbuf_release(&side);
	if (!code && perms)
		code = set_perms(tmp, perms, err);
	if (code)
		return code;
	/* Never replaces a file that appeared meanwhile. Without
	 * RENAME_NOREPLACE (an old kernel, some file systems), link(2)
	 * gives the same guarantee. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
		int e = errno;

		if (e == EINVAL || e == ENOSYS || e == EOPNOTSUPP) {
			e = link(tmp, path) == 0 ? 0 : errno;
			if (e == 0)
				unlink(tmp);
		}
		if (e == EEXIST)
			return dd_fail(err, DD_ERR_INPUT,
				       _("%s already exists: not replacing it"),
				       path);
		if (e)
			return dd_fail(err, DD_ERR_RUNTIME,
				       _("cannot move the new database %s to "
					 "%s: %s"),
				       tmp, path, strerror(e));
	}
	sync_dir(path);
	return DD_OK;
}

/* True when the directory holds only the database's own files (its name,
 * and names beginning with it: -wal, -shm, backups, temporary files). */
static bool
holds_only(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = strlen(base);
	bool only = true;

	if (!d)
		return false;
	while (only && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		only = strncmp(e->d_name, base, n) == 0;
	}
	closedir(d);
	return only;
}

/* Creates the directories above dir that are missing, mode 0755 (the
 * umask would leave them closed to the group). */
static enum dd_code
make_ancestors(const char *dir, struct dd_error *err)
{
	char *p = xstrdup(dir);
	enum dd_code code = DD_OK;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == 0) {
			/* Not the shared group's: only its own directory
			 * is. Best effort: the directory works either way. */
			if (chown(p, (uid_t)-1, getgid()) != 0 ||
			    chmod(p, 0755) != 0)
				errno = 0;
		} else if (errno != EEXIST)
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("cannot create directory %s: %s"), p,
				       strerror(errno));
		*s = '/';
		if (code)
			break;
	}
	free(p);
	return code;
}

enum dd_code
model_shared_dir(const char *path, gid_t group, const char *group_name,
		 bool as_root, struct dd_error *err)
{
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct stat sb;
	bool created = false;
	enum dd_code code = DD_OK;
	int fd = -1;

	if (path[0] != '/' || strcmp(dir, "/") == 0) {
		code = dd_fail(err, DD_ERR_INPUT,
			       _("the shared database %s needs a directory of "
				 "its own, given by an absolute path"),
			       path);
		goto out;
	}
	if (lstat(dir, &sb) != 0 && errno == ENOENT) {
		code = make_ancestors(dir, err);
		if (code)
			goto out;
		if (mkdir(dir, 0770) != 0 && errno != EEXIST) {
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("cannot create directory %s: %s"), dir,
				       strerror(errno));
			goto out;
		}
		created = true;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		code = dd_fail(err, DD_ERR_INPUT,
			       _("%s is not a directory (a symbolic link is "
				 "refused)"),
			       dir);
		goto out;
	}
	if (fd < 0 || fstat(fd, &sb) != 0) {
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot open directory %s: %s"), dir,
			       strerror(errno));
		goto out;
	}
	if (sb.st_gid == group && (sb.st_mode & 07777) == 02770 &&
	    (!as_root || sb.st_uid == 0))
		goto out; /* as it should be */
	if (!created && !as_root) {
		if (sb.st_gid != group || (sb.st_mode & S_IRWXG) != S_IRWXG)
			code = dd_fail(
			    err, DD_ERR_PERM,
			    _("directory %s must belong to group %s and be "
			      "writable by it (chgrp %s %s; chmod 2770 %s), "
			      "or run init --shared as root"),
			    dir, group_name, group_name, dir, dir);
		goto out;
	}
	/* Only a directory of its own is given to the group: never /var/lib
	 * or /tmp because the configuration names a file there. */
	if (!created && !holds_only(dir, base)) {
		code = dd_fail(err, DD_ERR_INPUT,
			       _("directory %s holds other files: the shared "
				 "database needs a directory of its own"),
			       dir);
		goto out;
	}
	if (fchown(fd, as_root ? 0 : (uid_t)-1, group) != 0 ||
	    fchmod(fd, 02770) != 0)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot give directory %s to group %s (mode "
				 "2770): %s"),
			       dir, group_name, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	free(dir);
	return code;
}
