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
	const char *key, *value;
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
	if (value[0] != '/' || strlen(value) >= PATH_MAX ||
	    value[strlen(value) - 1] == '/')
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s:%d: database must be the absolute path of "
				 "a file, such as "
				 "/var/lib/deploydesk/deploydesk.db"),
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
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return DD_OK;
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), path,
			       strerror(errno));
	}
	code = read_text(out, fd, trusted_only, &text, err);
	close(fd);
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
