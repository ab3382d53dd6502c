/* SPDX-License-Identifier: MIT */
/* An LD_PRELOAD library for test-config.sh: kills the program (SIGKILL,
 * as kill -9 would) at a known point, to show that an init stopped there
 * leaves nothing in the way of the next one.
 *
 *     DD_KILL_AT=renameat2   before the new database is moved into place
 *     DD_KILL_AT=link        the same, where RENAME_NOREPLACE is missing
 *     DD_KILL_AT=sync:N      at the Nth fsync/fdatasync (inside a commit)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
maybe_die(const char *name)
{
	static int calls;
	const char *at = getenv("DD_KILL_AT");
	size_t n = strlen(name);

	if (!at || strncmp(at, name, n) != 0 || (at[n] && at[n] != ':'))
		return;
	if (++calls >= (at[n] == ':' ? atoi(at + n + 1) : 1))
		kill(getpid(), SIGKILL);
}

int
renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	  unsigned int flags)
{
	int (*real)(int, const char *, int, const char *, unsigned int) =
	    (int (*)(int, const char *, int, const char *, unsigned int))dlsym(
		RTLD_NEXT, "renameat2");

	maybe_die("renameat2");
	return real(olddirfd, oldpath, newdirfd, newpath, flags);
}

int
link(const char *oldpath, const char *newpath)
{
	int (*real)(const char *, const char *) =
	    (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");

	maybe_die("link");
	return real(oldpath, newpath);
}

int
fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

	maybe_die("sync");
	return real(fd);
}

int
fdatasync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");

	maybe_die("sync");
	return real(fd);
}
