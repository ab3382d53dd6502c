/* SPDX-License-Identifier: MIT */
/* Tests of util/child.c, the person's editor and pager: which command is
 * taken from the environment, the file made for the child and read back,
 * and the child itself: no descriptor of ours, the signals and umask of a
 * shell, and its end said in words. (That it runs without the setgid
 * program's group is tests/shared's, as root.) */
#include "util/child.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/priv.h"

static char tmp[] = "/tmp/deploydesk-test-child.XXXXXX";

static void
test_commands(void)
{
	char longer[CHILD_COMMAND_MAX + 2];

	/* As the person started the program: kept at priv_init(). */
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	setenv("VISUAL", "vi\tx", 1); /* a control character: not kept */
	setenv("EDITOR", "my-editor -n", 1);
	setenv("PAGER", longer, 1); /* too long: not kept */
	setenv("TMPDIR", tmp, 1);
	umask(027);
	ok(priv_init(), "priv_init (not setgid)");
	unsetenv("EDITOR"); /* what counts is what was there at the start */
	is_str(child_command(CHILD_EDITOR), "my-editor -n",
	       "a VISUAL holding a control character is passed over: EDITOR");
	ok(strcmp(child_command(CHILD_PAGER), longer) != 0 &&
	       (strcmp(child_command(CHILD_PAGER), "less") == 0 ||
		strcmp(child_command(CHILD_PAGER), "/usr/bin/pager") == 0),
	   "a PAGER over %d bytes is not used: the default (%s)",
	   CHILD_COMMAND_MAX, child_command(CHILD_PAGER));
}

/* Whether path has that mode. */
static bool
has_mode(const char *path, mode_t mode)
{
	struct stat sb;

	return lstat(path, &sb) == 0 && (sb.st_mode & 07777) == mode &&
	       sb.st_uid == getuid();
}

static void
test_file(void)
{
	struct child_file f;
	struct strbuf sb = STRBUF_INIT;
	struct dd_error err = {0};
	char *dir;
	int fd;

	ok(child_file_create(&f, "logs.txt", "one\ntwo", 7, &err) == DD_OK,
	   "the child's file is made");
	ok(f.dir && strncmp(f.dir, tmp, strlen(tmp)) == 0 &&
	       strncmp(f.dir + strlen(tmp), "/deploydesk-", 12) == 0,
	   "... in a directory of its own under $TMPDIR (%s)", f.dir);
	ok(has_mode(f.dir, 0700), "... the directory 0700, ours");
	ok(f.path && has_mode(f.path, 0600), "... the file 0600, ours");
	ok(child_file_read(&f, 100, &sb, &err) == DD_OK &&
	       strcmp(strbuf_str(&sb), "one\ntwo") == 0,
	   "... it is read back as written");
	strbuf_reset(&sb);
	ok(child_file_read(&f, 3, &sb, &err) == DD_ERR_INPUT &&
	       strstr(err.msg, "over 3 bytes"),
	   "... more than the limit is refused (%s)", err.msg);
	strbuf_reset(&sb);
	/* What an editor may leave beside it goes too. */
	dir = xstrdup(f.dir);
	{
		char *backup = xmalloc(strlen(f.path) + 2);

		strcpy(backup, f.path);
		strcat(backup, "~");
		fd = open(backup, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd >= 0)
			close(fd);
		free(backup);
	}
	child_file_remove(&f);
	ok(!f.dir && !f.path && access(dir, F_OK) != 0,
	   "removed, with a backup file beside it, and its directory");
	free(dir);
	strbuf_release(&sb);
}

/* Runs command on a fresh file holding "text"; returns the code and
 * leaves the message in err. */
static enum dd_code
run(const char *command, struct dd_error *err)
{
	struct child_file f;
	enum dd_code code;

	if (child_file_create(&f, "t.txt", "text", 4, err))
		return DD_ERR_RUNTIME;
	code = child_run(CHILD_EDITOR, command, f.path, err);
	child_file_remove(&f);
	return code;
}

/* Runs a shell test in the child (the file, appended as "$1", is left
 * out); true when it holds. */
static bool
holds(const char *test)
{
	char cmd[512];
	struct dd_error err = {0};

	snprintf(cmd, sizeof cmd, "(%s) || exit 1; :", test);
	return run(cmd, &err) == DD_OK;
}

static void
test_run(void)
{
	struct dd_error err = {0};
	struct child_file f;
	struct strbuf sb = STRBUF_INIT;
	char cmd[256];
	int fd;

	ok(run("true", &err) == DD_OK, "a command that ends with 0: done");
	ok(run("exit 3; :", &err) == DD_ERR_RUNTIME &&
	       strstr(err.msg, "ended with exit status 3"),
	   "exit status 3: said (%s)", err.msg);
	ok(run("/no/such/editor", &err) == DD_ERR_RUNTIME &&
	       strstr(err.msg, "'/no/such/editor' was not found"),
	   "a command not found: said (%s)", err.msg);
	ok(run("kill -TERM $$; :", &err) == DD_ERR_RUNTIME &&
	       strstr(err.msg, "stopped by signal 15"),
	   "killed by a signal: said (%s)", err.msg);
	/* The file is "$1", after the command's own arguments. */
	ok(child_file_create(&f, "t.txt", "text", 4, &err) == DD_OK,
	   "a file for the editor");
	ok(child_run(CHILD_EDITOR,
		     "f() { printf '%s|%s' \"$1\" \"$2\" >\"$2\"; }; f arg",
		     f.path, &err) == DD_OK,
	   "a command with an argument of its own");
	child_file_read(&f, 1000, &sb, &err);
	snprintf(cmd, sizeof cmd, "arg|%s", f.path);
	is_str(strbuf_str(&sb), cmd, "... gets it, then the file");
	child_file_remove(&f);
	/* A descriptor of ours, even without close-on-exec, is not the
	 * child's: the database's would be the shared install's. */
	fd = open("/dev/null", O_RDONLY);
	snprintf(cmd, sizeof cmd, "test ! -e /proc/$$/fd/%d", fd);
	ok(fd > 2 && holds(cmd),
	   "a descriptor we hold (%d) is closed in the child", fd);
	ok(holds("test -e /proc/$$/fd/0 && test -e /proc/$$/fd/2"),
	   "... 0, 1 and 2 stay (the terminal)");
	close(fd);
	/* The screens ignore SIGPIPE: the child gets it back at default,
	 * with nothing blocked. */
	signal(SIGPIPE, SIG_IGN);
	ok(holds("test \"$(awk '/^SigIgn/ {print $2}' /proc/$$/status)\" = "
		 "0000000000000000"),
	   "the child ignores no signal (SIGPIPE was ignored here)");
	signal(SIGPIPE, SIG_DFL);
	ok(holds("test \"$(umask)\" = 0027"),
	   "the child has the person's umask");
	ok(holds("test \"$(awk '/^Gid/ {print $2 \" \" $3 \" \" $4}' "
		 "/proc/$$/status)\" = \"$(id -g) $(id -g) $(id -g)\""),
	   "real, effective and saved groups are the person's");
	strbuf_release(&sb);
}

int
main(void)
{
	if (!mkdtemp(tmp)) {
		printf("Bail out! cannot make %s\n", tmp);
		return 1;
	}
	test_commands();
	test_file();
	test_run();
	rmdir(tmp);
	return tap_done();
}
