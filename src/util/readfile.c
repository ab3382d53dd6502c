/* SPDX-License-Identifier: MIT */
/* Reading a file a person names, with a size limit. */
#include "util/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/priv.h"

/* What a file that is not a regular file is, for the message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return _("a directory");
	if (S_ISFIFO(mode))
		return _("a named pipe (FIFO)");
	if (S_ISCHR(mode))
		return _("a character device");
	if (S_ISBLK(mode))
		return _("a block device");
	if (S_ISSOCK(mode))
		return _("a socket");
	return _("a special file");
}

/* The one place where a file a person names is opened, with the person's
 * own rights (priv_open_as_user adds O_CLOEXEC). O_NONBLOCK: a FIFO
 * with no writer would make open() wait forever (the file is refused once
 * fstat says what it is); O_NOCTTY: a terminal never becomes ours. */
static int
open_named(const char *path)
{
	/* With the person's own rights, never the shared install's group. */
	return priv_open_as_user(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
}

/* Reads fd to its end, or until more than max bytes were read; returns 0
 * or an errno value. Standard input may have been left non-blocking by
 * another program: then it waits for data rather than fail. */
static int
read_all(int fd, size_t max, struct strbuf *out)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n > 0) {
			strbuf_add(out, buf, (size_t)n);
			if (out->len > max)
				return 0;
		} else if (n == 0) {
			return 0;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd p = {.fd = fd, .events = POLLIN};

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				return errno;
		} else if (errno != EINTR) {
			return errno;
		}
	}
}

enum dd_code
read_file_limit(const char *path, size_t max, struct strbuf *out,
		struct dd_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? _("standard input") : path;
	int fd = is_stdin ? STDIN_FILENO : open_named(path);
	struct stat sb;
	int e;

	if (fd < 0) {
		/* open() of a socket, or of a device with no driver. */
		if (errno == ENXIO)
			return dd_fail(err, DD_ERR_INPUT,
				       _("cannot read %s: it is a socket or a "
					 "device, not a regular file"),
				       name);
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), name,
			       strerror(errno));
	}
	if (fstat(fd, &sb) != 0) {
		e = errno;
		if (!is_stdin)
			close(fd);
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), name,
			       strerror(e));
	}
	/* A file named must be a regular file: a FIFO or a device could
	 * block or never end. Standard input may be a pipe or a terminal
	 * (what the person chose to send), but not a directory. */
	if (is_stdin ? S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode)) {
		if (!is_stdin)
			close(fd);
		return dd_fail(
		    err, DD_ERR_INPUT,
		    _("cannot read %s: it is %s, not a regular file"), name,
		    file_kind(sb.st_mode));
	}
	e = read_all(fd, max, out);
	if (!is_stdin)
		close(fd);
	if (e)
		return dd_fail(err, DD_ERR_INPUT, _("cannot read %s: %s"), name,
			       strerror(e));
	return DD_OK;
}
