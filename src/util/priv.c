/* SPDX-License-Identifier: MIT */
/* The setgid program's privilege: detected at start, the environment
 * cleaned, the group given up for good or set aside around a file a person
 * names. See priv.h and the tech notes' "Startup order". */
#include "util/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/child.h"
#include "util/i18n.h"
#include "util/strbuf.h"

extern char **environ;

static bool started_setgid;

/* The umask the person started the program with, for a child process. */
static mode_t person_umask;

/* The variables a setgid run keeps, each with the characters its value may
 * hold and its longest length; everything else is dropped. glibc already
 * removes LD_*, GCONV_PATH, LOCPATH, NLSPATH and TMPDIR for a setgid
 * program, but not SQLITE_TMPDIR, TERMINFO, DEPLOYDESK_DB or the rest. */
struct kept_var {
	const char *name;
	const char *extra; /* allowed besides letters and digits */
	size_t max;
};

static const struct kept_var kept_vars[] = {
    {"TERM", "._+-", 64},
    {"LANG", "._@-", 64},
    {"LANGUAGE", "._@:-", 256},
    {"LC_ALL", "._@-", 64},
    {"LC_CTYPE", "._@-", 64},
    {"LC_NUMERIC", "._@-", 64},
    {"LC_TIME", "._@-", 64},
    {"LC_COLLATE", "._@-", 64},
    {"LC_MONETARY", "._@-", 64},
    {"LC_MESSAGES", "._@-", 64},
    {"LC_PAPER", "._@-", 64},
    {"LC_NAME", "._@-", 64},
    {"LC_ADDRESS", "._@-", 64},
    {"LC_TELEPHONE", "._@-", 64},
    {"LC_MEASUREMENT", "._@-", 64},
    {"LC_IDENTIFICATION", "._@-", 64},
    /* Zone names (Europe/Paris) and POSIX rules (CET-1CEST,M3.5.0). */
    {"TZ", "._+:,/<>-", 64},
    {"ESCDELAY", "", 5},
};

static bool
value_ok(const char *v, const struct kept_var *k)
{
	size_t n = strlen(v);

	if (n == 0 || n > k->max || strstr(v, ".."))
		return false;
	for (const char *p = v; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9');

		if (!alnum && !strchr(k->extra, *p))
			return false;
	}
	/* ESCDELAY is a number of milliseconds. */
	if (!*k->extra && strspn(v, "0123456789") != n)
		return false;
	return true;
}

/* Replaces the environment with PATH, HOME and the validated variables. */
static void
clean_environment(void)
{
	enum { NKEPT = sizeof kept_vars / sizeof *kept_vars };
	char *values[NKEPT];
	bool no_color;
	struct passwd *pw;
	char *home = NULL;

	for (size_t i = 0; i < NKEPT; i++) {
		const char *v = getenv(kept_vars[i].name);

		values[i] = v && value_ok(v, &kept_vars[i]) ? xstrdup(v) : NULL;
	}
	/* https://no-color.org: any non-empty value turns colours off. */
	no_color = getenv("NO_COLOR") && *getenv("NO_COLOR");
	pw = getpwuid(getuid());
	if (pw && pw->pw_dir && pw->pw_dir[0] == '/')
		home = xstrdup(pw->pw_dir);

	clearenv();
	setenv("PATH", "/usr/bin:/bin", 1);
	if (home)
		setenv("HOME", home, 1);
	for (size_t i = 0; i < NKEPT; i++) {
		if (values[i])
			setenv(kept_vars[i].name, values[i], 1);
		free(values[i]);
	}
	if (no_color)
		setenv("NO_COLOR", "1", 1);
	free(home);
}

bool
priv_init(void)
{
	/* Before the environment is rebuilt: the commands the person named
	 * for an editor and a pager, kept only to run them without the
	 * group (util/child.c). */
	child_keep_commands();
	person_umask = umask(0);
	umask(person_umask);
	if (getuid() != geteuid()) {
		/* Never setuid: the group is all the shared install needs,
		 * and a setuid copy is a mistake to refuse, not to use. */
		clearenv();
		return false;
	}
	if (getegid() == getgid())
		return true;
	started_setgid = true;
	clean_environment();
	/* What the program creates stays out of other people's reach. */
	umask(007);
	return true;
}

bool
priv_setgid(void)
{
	return started_setgid;
}

bool
priv_held(void)
{
	return getegid() != getgid();
}

enum dd_code
priv_drop(struct dd_error *err)
{
	gid_t g = getgid(), r, e, s;

	if (!started_setgid)
		return DD_OK;
	/* setgid(getgid()) would leave the saved id privileged; setresgid
	 * does not (tech notes, section 2). */
	if (setresgid(g, g, g) != 0 || getresgid(&r, &e, &s) != 0 || r != g ||
	    e != g || s != g || getegid() != getgid())
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot give up the shared install's group: "
				 "%s"),
			       strerror(errno ? errno : EPERM));
	return DD_OK;
}

/* HOME while priv_home_away() has it, or NULL. */
static char *home_away;

void
priv_home_away(void)
{
	const char *home = getenv("HOME");

	if (!priv_held() || home_away)
		return;
	home_away = xstrdup(home ? home : "");
	setenv("HOME", "/dev/null/home", 1);
}

void
priv_home_back(void)
{
	if (!home_away)
		return;
	if (*home_away)
		setenv("HOME", home_away, 1);
	else
		unsetenv("HOME");
	free(home_away);
	home_away = NULL;
}

mode_t
priv_person_umask(void)
{
	return person_umask;
}

bool
priv_aside(gid_t *held)
{
	*held = getegid();
	if (*held == getgid())
		return true;
	return setegid(getgid()) == 0;
}

void
priv_restore(gid_t held)
{
	int saved_errno = errno;

	if (held != getegid() && setegid(held) != 0) {
		/* Cannot happen (the saved id is the group); if it did, the
		 * program would go on without the group and the database
		 * would refuse it: the safe side. */
	}
	errno = saved_errno;
}

int
priv_open_as_user(const char *path, int flags, mode_t mode)
{
	gid_t held;
	int fd;

	if (!priv_aside(&held))
		return -1;
	fd = open(path, flags | O_CLOEXEC, mode);
	priv_restore(held);
	return fd;
}
