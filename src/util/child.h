/* SPDX-License-Identifier: MIT */
/* The one place where deploydesk starts another program: the person's
 * editor ($VISUAL, $EDITOR) on a field's text, or their pager ($PAGER) on
 * logs, as git does, with the person's own rights only: never the shared
 * install's group (tech notes, section 2, "If you must run one"). */
#ifndef DD_UTIL_CHILD_H
#define DD_UTIL_CHILD_H

#include <stddef.h>

#include "util/error.h"
#include "util/strbuf.h"

enum child_role {
	CHILD_EDITOR,
	CHILD_PAGER,
};

/* Longest command kept from $VISUAL, $EDITOR or $PAGER, in bytes. */
#define CHILD_COMMAND_MAX 1024

/* Called by priv_init() before the setgid program rebuilds its
 * environment: keeps $VISUAL, $EDITOR and $PAGER aside, when set, not
 * empty, at most CHILD_COMMAND_MAX bytes and free of control characters.
 * They are used for nothing but the command child_run() gives the shell of
 * a child that no longer holds the group; the environment the program
 * runs with does not get them back. */
void child_keep_commands(void);

/* The command for a role: $VISUAL, else $EDITOR, else /usr/bin/editor
 * when it can be run (Debian's choice of editor, as Debian's git uses),
 * else vi (git's default); $PAGER, else /usr/bin/pager, else less. Never
 * NULL. */
const char *child_command(enum child_role role);

/* A file for the child, made by the person: a directory of its own
 * (mkdtemp, mode 0700) in $TMPDIR (not for the setgid program, whose
 * TMPDIR the C library drops) or /tmp, and in it one file (mode 0600)
 * named as given ("logs.txt", so that the editor knows what it edits and
 * keeps its swap and backup files there too). */
struct child_file {
	char *dir;
	char *path;
};

/* Makes the file holding the len bytes of text, with the group set aside
 * (owned by the person and their own group). On failure *f is left
 * empty and child_file_remove() does nothing. */
enum dd_code child_file_create(struct child_file *f, const char *name,
			       const char *text, size_t len,
			       struct dd_error *err);

/* Reads the file back with the person's rights (it may have been replaced
 * by the editor): a regular file, at most max bytes, else an error that
 * says so. */
enum dd_code child_file_read(const struct child_file *f, size_t max,
			     struct strbuf *out, struct dd_error *err);

/* Removes the file, whatever the child left beside it, and the
 * directory; *f is emptied. */
void child_file_remove(struct child_file *f);

/* Runs "/bin/sh -c 'COMMAND \"$@\"' COMMAND PATH" (the file as $1, as git
 * runs $EDITOR) and waits for it. The child closes every descriptor but
 * 0, 1 and 2, gives the group up for good (setresgid with the real group
 * for all three ids), checks that real, effective and saved groups are the
 * person's, and only then runs the shell, with the person's umask and the
 * signals at their defaults. Meanwhile Ctrl-C and Ctrl-\ are the child's
 * (ignored here), and Ctrl-Z stops both, as in a shell. The terminal is
 * the caller's to hand over (endwin) and take back. Fails, saying why,
 * when the child could not start or ended with another status than 0. */
enum dd_code child_run(enum child_role role, const char *command,
		       const char *path, struct dd_error *err);

#endif
