/* SPDX-License-Identifier: MIT */
/* Reading deploydesk.conf, strictly: whatever is not understood is
 * refused with the file and line, so a typo never silently changes which
 * database people use. */
#include "util/conffile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/dblocation.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* One "key = value" line; number is its line number, for messages. */
static enum dd_code
parse_line(struct conffile *c, char *line, int number, int *database_line,
	   struct dd_error *err)
{
	const char *key, *value, *file;
	bool server;
	char *eq;

	line = (char *)trim(line);
	if (!*line || *line == '#')
		return DD_OK;
	eq = strchr(line, '=');
	if (!eq)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: expected 'key = value' or a comment "
				 "starting with #"),
			       c->path, number);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (strcmp(key, "database") != 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: unknown key '%.64s' (the keys are: "
				 "database)"),
			       c->path, number, key);
	if (*database_line)
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: database is already set on line %d"),
			       c->path, number, *database_line);
	server = db_location(value, &file) == DB_LOCATION_POSTGRESQL;
	if (!server)
		value = file;
	if (!server && (value[0] != '/' || strlen(value) >= PATH_MAX ||
			value[strlen(value) - 1] == '/'))
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: database must be the absolute path of "
				 "a file, such as "
				 "/var/lib/deploydesk/deploydesk.db, or a "
				 "PostgreSQL server's, such as "
				 "postgresql://db.example/deploydesk"),
			       c->path, number);
	if (strstr(value, " #") || strstr(value, "\t#"))
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: a comment must be on a line of its "
				 "own"),
			       c->path, number);
	*database_line = number;
	c->database = xstrdup(value);
	return DD_OK;
}

/* The most symbolic links followed on the configuration's path, as the
 * kernel's own limit (ELOOP). */
#define LINKS_MAX 40

/* What the last component of a path checked by safe_path() is. */
enum path_end { END_FILE, END_OWN_DIR, END_DIR };

/* dir, a directory on the configuration's path, lets nobody but root
 * replace what it holds: it is root's, and not writable by its group or
 * others unless sticky (as /tmp: others cannot rename over, nor remove, an
 * entry root owns). own: the file's own directory, for the message. */
static enum dd_code
safe_dir(const char *conf, const char *dir, const struct stat *sb, bool own,
	 struct dd_error *err)
{
	if (!S_ISDIR(sb->st_mode))
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("configuration %s: %s on its path is not a "
				 "directory"),
			       conf, dir);
	if (sb->st_uid != 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       own ? _("configuration %s: its directory %s "
				       "does not belong to root")
				   : _("configuration %s: the directory %s on "
				       "its path does not belong to root"),
			       conf, dir);
	if (sb->st_mode & S_ISVTX)
		return DD_OK;
	if (sb->st_mode & S_IWOTH)
		return dd_fail(err, DD_ERR_RUNTIME,
			       own ? _("configuration %s: its directory %s is "
				       "writable by others")
				   : _("configuration %s: the directory %s on "
				       "its path is writable by others"),
			       conf, dir);
	if (sb->st_mode & S_IWGRP)
		return dd_fail(err, DD_ERR_RUNTIME,
			       own ? _("configuration %s: its directory %s is "
				       "writable by its group")
				   : _("configuration %s: the directory %s on "
				       "its path is writable by its group"),
			       conf, dir);
	return DD_OK;
}

/* Where a symbolic link at link points, as an absolute path. */
static char *
link_target(const char *link, const struct stat *sb)
{
	size_t size = (size_t)sb->st_size + 1;
	char *target;
	ssize_t n;

	if (size < 2 || size > PATH_MAX)
		size = PATH_MAX;
	target = xmalloc(size);
	n = readlink(link, target, size);
	if (n < 0 || (size_t)n >= size) {
		free(target);
		return NULL;
	}
	target[n] = '\0';
	if (target[0] != '/') {
		struct strbuf abs = STRBUF_INIT;
		const char *slash = strrchr(link, '/');

		strbuf_add(&abs, link, (size_t)(slash - link));
		strbuf_addf(&abs, "/%s", target);
		free(target);
		target = strbuf_detach(&abs);
	}
	return target;
}

static enum dd_code safe_path(const char *conf, const char *path,
			      enum path_end end, int *links,
			      struct dd_error *err);

/* What the entry before rest is, rest being what follows it in a path
 * whose last component is end. */
static enum path_end
entry_kind(const char *rest, enum path_end end)
{
	size_t n;

	rest += strspn(rest, "/");
	if (!*rest)
		return end;
	n = strcspn(rest, "/");
	if (end == END_FILE && !rest[n + strspn(rest + n, "/")])
		return END_OWN_DIR;
	return END_DIR;
}

/* One entry on the configuration's path: a directory passes safe_dir(); a
 * symbolic link must be root's (in a sticky directory, others could
 * otherwise point it elsewhere), and where it points is checked as a path
 * of its own; the file itself was checked when it was read. */
static enum dd_code
safe_entry(const char *conf, const char *entry, enum path_end kind, int *links,
	   struct dd_error *err)
{
	struct stat sb;
	enum dd_code code;
	char *target;

	if (lstat(entry, &sb) != 0)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("configuration %s: cannot check %s: %s"), conf,
			       entry, strerror(errno));
	if (!S_ISLNK(sb.st_mode))
		return kind == END_FILE ? DD_OK
					: safe_dir(conf, entry, &sb,
						   kind == END_OWN_DIR, err);
	if (++*links > LINKS_MAX)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("configuration %s: too many symbolic links on "
				 "its path"),
			       conf);
	if (sb.st_uid != 0)
		return dd_fail(
		    err, DD_ERR_RUNTIME,
		    _("configuration %s: the symbolic link %s on its "
		      "path does not belong to root"),
		    conf, entry);
	target = link_target(entry, &sb);
	if (!target)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("configuration %s: cannot read the symbolic "
				 "link %s"),
			       conf, entry);
	code = safe_path(conf, target, kind, links, err);
	free(target);
	return code;
}

/* As OpenSSH's safe_path(): nobody but root can replace the configuration
 * of the setgid program by way of a directory on its path. Each entry from
 * / down to the file goes through safe_entry(). path is absolute; end says
 * what its last component is; links counts the links followed. */
static enum dd_code
safe_path(const char *conf, const char *path, enum path_end end, int *links,
	  struct dd_error *err)
{
	struct strbuf prefix = STRBUF_INIT;
	const char *p = path;
	enum dd_code code;

	strbuf_addch(&prefix, '/');
	code = safe_entry(conf, "/", entry_kind(p, end), links, err);
	while (!code) {
		size_t n;

		p += strspn(p, "/");
		if (!*p)
			break;
		n = strcspn(p, "/");
		if (prefix.len > 1)
			strbuf_addch(&prefix, '/');
		strbuf_add(&prefix, p, n);
		p += n;
		code = safe_entry(conf, strbuf_str(&prefix), entry_kind(p, end),
				  links, err);
	}
	strbuf_release(&prefix);
	return code;
}

/* The file's whole text, at most CONFFILE_MAX bytes. */
static enum dd_code
read_text(struct conffile *c, int fd, bool trusted_only, struct strbuf *text,
	  struct dd_error *err)
{
	struct stat sb;
	char buf[4096];
	ssize_t n;

	if (fstat(fd, &sb) != 0)
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"),
			       c->path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return dd_fail(err, DD_ERR_INPUT,
			       _("configuration %s is not a regular file"),
			       c->path);
	if (trusted_only && (sb.st_uid != 0 || (sb.st_mode & 022)))
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("configuration %s must belong to root and be "
				 "writable by root only: it names the database "
				 "of the shared install"),
			       c->path);
	c->others_read = (sb.st_mode & S_IROTH) != 0;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return dd_fail(err, DD_ERR_INPUT,
				       _("cannot read %s: %s"), c->path,
				       strerror(errno));
		}
		strbuf_add(text, buf, (size_t)n);
		if (text->len > CONFFILE_MAX)
			return dd_fail(err, DD_ERR_INPUT,
				       _("configuration %s is over %d bytes"),
				       c->path, CONFFILE_MAX);
	}
	return DD_OK;
}

enum dd_code
conffile_read(const char *path, bool must_exist, bool trusted_only,
	      struct conffile *out, struct dd_error *err)
{
	struct strbuf text = STRBUF_INIT;
	enum dd_code code;
	int fd, number = 0, database_line = 0;
	char *line;

	out->path = xstrdup(path);
	out->database = NULL;
	out->others_read = false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return DD_OK;
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), path,
			       strerror(errno));
	}
	code = read_text(out, fd, trusted_only, &text, err);
	close(fd);
	if (!code && trusted_only) {
		int links = 0;

		if (path[0] != '/')
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("configuration %s: the setgid program "
					 "needs an absolute path"),
				       path);
		else
			code = safe_path(path, path, END_FILE, &links, err);
	}
	if (!code && text.len && memchr(text.buf, '\0', text.len))
		code = dd_fail(err, DD_ERR_INPUT,
			       _("configuration %s holds a NUL byte: it is not "
				 "text"),
			       path);
	line = text.buf;
	while (!code && line && *line) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		code = parse_line(out, line, ++number, &database_line, err);
		line = next;
	}
	strbuf_release(&text);
	return code;
}

void
conffile_free(struct conffile *c)
{
	free(c->path);
	free(c->database);
	c->path = NULL;
	c->database = NULL;
}
