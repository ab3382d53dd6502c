/* SPDX-License-Identifier: MIT */
/* The shared install's privilege: the program's group, which a setgid
 * binary holds only around the shared database (tech notes, section 2). */
#ifndef DD_UTIL_PRIV_H
#define DD_UTIL_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"

/* First thing in main(), before anything reads the environment. Keeps the
 * person's $VISUAL, $EDITOR and $PAGER aside for child_command(). When the
 * program runs setgid (effective group other than the real one), rebuilds
 * the environment from validated values only (PATH, HOME from the password
 * database, TERM, the locale variables, TZ, NO_COLOR, ESCDELAY) and sets
 * umask(007). Returns false when the program runs setuid, which it must
 * never be: main() then refuses to run. */
bool priv_init(void);

/* True when the program started setgid, whether or not it still holds
 * the group. */
bool priv_setgid(void);

/* True while the program holds a group other than the person's own. */
bool priv_held(void);

/* Gives the group up for good (real, effective and saved ids all become
 * the person's group) and checks that it cannot be taken back; nothing to
 * do when the program is not setgid. */
enum dd_code priv_drop(struct dd_error *err);

/* Sets the group aside (the effective group becomes the person's) until
 * priv_restore(held), as cronie's swap_uids does; *held is the group to
 * take back. False, with errno set, when it could not be set aside: then
 * do nothing that needs the person's own rights. Not a way to give the
 * group up: the saved id keeps it (priv_drop() does that). */
bool priv_aside(gid_t *held);
/* Takes the group set aside back; errno is kept. */
void priv_restore(gid_t held);

/* Around a connection to a server made with the group: libpq reads the
 * person's own files at connection (~/.pgpass, ~/.pg_service.conf,
 * ~/.postgresql/), which it finds by $HOME, and a privileged process must
 * not read a file a person controls (a link there could lead it to the
 * group's files, a service of the same name to another server). While the
 * group is held, priv_home_away() points HOME at a path that cannot exist
 * (under /dev/null), so libpq finds none of them; priv_home_back() puts
 * it back. Nothing happens when the group is not held. */
void priv_home_away(void);
void priv_home_back(void);

/* The umask the person started the program with (priv_init() sets 007
 * when setgid), for a child process that runs with the person's rights. */
mode_t priv_person_umask(void);

/* open(2) of a file a person named, with the person's own rights: the
 * group is set aside around the call, as cronie's swap_uids does, so that
 * it never opens a file the person may not. O_CLOEXEC is added. Returns
 * the descriptor, or -1 with errno set. */
int priv_open_as_user(const char *path, int flags, mode_t mode);

#endif
