/* SPDX-License-Identifier: MIT */
/* Starting the person's editor or pager without the shared install's
 * group: the commands kept from the environment, a file the person owns,
 * fork, the group given up for good, exec, wait. See child.h. */
#include "util/child.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/priv.h"
#include "util/readfile.h"

extern char **environ;

/* $VISUAL, $EDITOR and $PAGER as the person started the program. */
static char *kept_visual, *kept_editor, *kept_pager;

/* The sentences of each role, whole (no noun spliced into a sentence). */
struct role_text {
	const char *start;     /* command, reason */
	const char *group;     /* command, reason */
	const char *not_found; /* command */
	const char *not_run;   /* command */
	const char *status;    /* command, exit status */
	const char *signal;    /* command, signal */
};

static const struct role_text role_texts[] = {
    [CHILD_EDITOR] =
	{
	    N_("cannot start the editor '%s': %s"),
	    N_("the editor '%s' was not started: the shared install's group "
	       "could not be given up (%s)"),
	    N_("the editor '%s' was not found: set VISUAL or EDITOR to an "
	       "editor that is installed"),
	    N_("the editor '%s' could not be run (exit status 126)"),
	    N_("the editor '%s' ended with exit status %d"),
	    N_("the editor '%s' was stopped by signal %d"),
	},
    [CHILD_PAGER] =
	{
	    N_("cannot start the pager '%s': %s"),
	    N_("the pager '%s' was not started: the shared install's group "
	       "could not be given up (%s)"),
	    N_("the pager '%s' was not found: set PAGER to a pager that is "
	       "installed"),
	    N_("the pager '%s' could not be run (exit status 126)"),
	    N_("the pager '%s' ended with exit status %d"),
	    N_("the pager '%s' was stopped by signal %d"),
	},
};

/* A copy of the variable when it can name a command: set, not empty, not
 * too long, no control character (a NUL cannot be in it). getenv, not
 * secure_getenv: this is the person's own choice of program, which runs
 * as them and nothing else. */
static char *
keep(const char *name)
{
	const char *v = getenv(name);
	size_t n;

	if (!v || !*v)
		return NULL;
	n = strlen(v);
	if (n > CHILD_COMMAND_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return NULL;
	return xstrdup(v);
}

void
child_keep_commands(void)
{
	if (!kept_visual)
		kept_visual = keep("VISUAL");
	if (!kept_editor)
		kept_editor = keep("EDITOR");
	if (!kept_pager)
		kept_pager = keep("PAGER");
}

/* Whether the system's program at path may be run. Asked with the
 * effective ids (AT_EACCESS), as everywhere deploydesk checks access; the
 * program itself runs in a child that has given the group up. */
static bool
runnable(const char *path)
{
	return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
}

const char *
child_command(enum child_role role)
{
	if (role == CHILD_EDITOR) {
		if (kept_visual)
			return kept_visual;
		if (kept_editor)
			return kept_editor;
		/* Debian policy 11.4: the system's editor is
		 * /usr/bin/editor (an alternative: nano, vim...). */
		return runnable("/usr/bin/editor") ? "/usr/bin/editor" : "vi";
	}
	if (kept_pager)
		return kept_pager;
	return runnable("/usr/bin/pager") ? "/usr/bin/pager" : "less";
}

/* $TMPDIR when it is an absolute path (the C library has removed it for
 * the setgid program), else /tmp. */
static const char *
temp_base(void)
{
	const char *t = secure_getenv("TMPDIR");

	if (t && t[0] == '/' && strlen(t) < PATH_MAX / 2)
		return t;
	return "/tmp";
}

/* Writes n bytes; 0 or an errno value. */
static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes the directory and the file; the group is set aside by the
 * caller. */
static enum dd_code
make_file(struct child_file *f, const char *name, const char *text, size_t len,
	  struct dd_error *err)
{
	struct strbuf path = STRBUF_INIT;
	int fd, e;

	strbuf_addf(&path, "%s/deploydesk-XXXXXX", temp_base());
	if (!mkdtemp(path.buf)) {
		e = errno;
		dd_fail(err, DD_ERR_RUNTIME, _("cannot create %s: %s"),
			path.buf, strerror(e));
		strbuf_release(&path);
		return DD_ERR_RUNTIME;
	}
	f->dir = xstrdup(path.buf);
	strbuf_addf(&path, "/%s", name);
	f->path = strbuf_detach(&path);
	fd = open(f->path,
		  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY |
		      O_CLOEXEC,
		  0600);
	if (fd < 0)
		return dd_fail(err, DD_ERR_RUNTIME, _("cannot create %s: %s"),
			       f->path, strerror(errno));
	e = write_all(fd, text, len);
	if (close(fd) != 0 && !e)
		e = errno;
	if (e)
		return dd_fail(err, DD_ERR_RUNTIME, _("cannot create %s: %s"),
			       f->path, strerror(e));
	return DD_OK;
}

enum dd_code
child_file_create(struct child_file *f, const char *name, const char *text,
		  size_t len, struct dd_error *err)
{
	enum dd_code code;
	gid_t held;

	f->dir = f->path = NULL;
	/* Made by the person: their file, in their own group. */
	if (!priv_aside(&held))
		return dd_fail(err, DD_ERR_RUNTIME, _("cannot create %s: %s"),
			       temp_base(), strerror(errno));
	code = make_file(f, name, text, len, err);
	priv_restore(held);
	if (code)
		child_file_remove(f);
	return code;
}

enum dd_code
child_file_read(const struct child_file *f, size_t max, struct strbuf *out,
		struct dd_error *err)
{
	/* With the person's rights, a regular file only (readfile.c). */
	enum dd_code code = read_file_limit(f->path, max, out, err);

	if (!code && out->len > max)
		return dd_fail(err, DD_ERR_INPUT,
			       _("the text is over %zu bytes, the limit"), max);
	return code;
}

void
child_file_remove(struct child_file *f)
{
	gid_t held;
	int dfd;
	DIR *d;
	struct dirent *de;

	if (!f->dir)
		goto out;
	if (!priv_aside(&held))
		goto out;
	/* The file, and what an editor left beside it (a backup "~"). */
	dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		d = fdopendir(dfd);
		if (!d) {
			close(dfd);
		} else {
			while ((de = readdir(d)) != NULL)
				if (strcmp(de->d_name, ".") != 0 &&
				    strcmp(de->d_name, "..") != 0)
					unlinkat(dirfd(d), de->d_name, 0);
			closedir(d);
		}
	}
	rmdir(f->dir);
	priv_restore(held);
out:
	free(f->dir);
	free(f->path);
	f->dir = f->path = NULL;
}

/* What the child sends back, through a pipe closed on exec, when it
 * cannot go as far as running the shell. */
struct child_report {
	int stage; /* 0: the shell runs; else one of these */
	int err;
};
enum { STAGE_GROUP = 1, STAGE_EXEC = 2 };

/* Closes the descriptors lo..hi. */
static void
close_from(int lo, int hi)
{
	long max;

	if (lo > hi)
		return;
	if (close_range((unsigned)lo, (unsigned)hi, 0) == 0)
		return;
	/* A kernel without close_range (before Linux 5.9). */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = lo; fd <= hi && fd < max; fd++)
		close((int)fd);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void __attribute__((noreturn))
run_child(int report, char *const argv[], mode_t mask)
{
	static const int sigs[] = {SIGINT,  SIGQUIT, SIGTERM, SIGHUP,
				   SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU,
				   SIGCHLD, SIGWINCH};
	struct child_report r = {0, 0};
	gid_t g = getgid(), rg, eg, sg;
	struct sigaction dfl;
	sigset_t none;

	/* The signals as a shell would leave them: the screens ignore
	 * SIGPIPE, and an ignored signal stays ignored across exec. */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Nothing the program opened reaches the child: not the database,
	 * which it opened with the group. */
	close_from(3, report - 1);
	close_from(report + 1, INT_MAX);
	/* The group, given up for good: setresgid, then the three ids
	 * checked, before anything of the person's runs. */
	errno = 0;
	if (setresgid(g, g, g) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    rg != g || eg != g || sg != g || getegid() != getgid()) {
		r.stage = STAGE_GROUP;
		r.err = errno ? errno : EPERM;
		goto fail;
	}
	umask(mask);
	execve("/bin/sh", argv, environ);
	r.stage = STAGE_EXEC;
	r.err = errno;
fail:
	if (write(report, &r, sizeof r) < 0) {
		/* The parent then sees exit status 127 alone. */
	}
	_exit(127);
}

/* What the child's end says, in words. */
static enum dd_code
outcome(enum child_role role, const char *command, const struct child_report *r,
	int status, struct dd_error *err)
{
	const struct role_text *t = &role_texts[role];

	if (r->stage == STAGE_GROUP)
		return dd_fail(err, DD_ERR_RUNTIME, _(t->group), command,
			       strerror(r->err));
	if (r->stage == STAGE_EXEC)
		return dd_fail(err, DD_ERR_RUNTIME, _(t->start), command,
			       strerror(r->err));
	if (WIFSIGNALED(status))
		return dd_fail(err, DD_ERR_RUNTIME, _(t->signal), command,
			       WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 0)
		return DD_OK;
	/* The shell's own statuses for a command it cannot find or run. */
	if (WEXITSTATUS(status) == 127)
		return dd_fail(err, DD_ERR_RUNTIME, _(t->not_found), command);
	if (WEXITSTATUS(status) == 126)
		return dd_fail(err, DD_ERR_RUNTIME, _(t->not_run), command);
	return dd_fail(err, DD_ERR_RUNTIME, _(t->status), command,
		       WEXITSTATUS(status));
}

enum dd_code
child_run(enum child_role role, const char *command, const char *path,
	  struct dd_error *err)
{
	struct strbuf script = STRBUF_INIT;
	struct child_report r = {0, 0};
	struct sigaction ign, dfl, old_int, old_quit, old_tstp;
	char *argv[6];
	int fds[2], status = 0, e;
	mode_t mask = priv_person_umask();
	enum dd_code code;
	pid_t pid;
	ssize_t n;

	/* As git runs $EDITOR: the command through the shell, which may
	 * hold arguments ("vim -n"), the file as "$1". */
	strbuf_addf(&script, "%s \"$@\"", command);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = script.buf;
	argv[3] = (char *)command;
	argv[4] = (char *)path;
	argv[5] = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		e = errno;
		strbuf_release(&script);
		return dd_fail(err, DD_ERR_RUNTIME, _(role_texts[role].start),
			       command, strerror(e));
	}
	/* Ctrl-C and Ctrl-\ reach the whole foreground group: they are the
	 * child's to act on, not a reason for the screens to end. Ctrl-Z
	 * stops this process too (not the screens' handler, which would
	 * draw them over the child), until the shell continues both. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	dfl = ign;
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGTSTP, &dfl, &old_tstp);
	pid = fork();
	if (pid == 0)
		run_child(fds[1], argv, mask);
	e = errno;
	close(fds[1]);
	if (pid > 0) {
		do
			n = read(fds[0], &r, sizeof r);
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof r)
			r.stage = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
			/* A signal for the screens (SIGTERM, SIGHUP): they
			 * end once the child has. */
		}
	}
	close(fds[0]);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	strbuf_release(&script);
	if (pid < 0)
		return dd_fail(err, DD_ERR_RUNTIME, _(role_texts[role].start),
			       command, strerror(e));
	code = outcome(role, command, &r, status, err);
	return code;
}
