/* The shared install's privilege: the program's group, which a setgid
 * binary holds only around the shared database (tech notes, section 2). */
#ifndef DD_UTIL_PRIV_H
#define DD_UTIL_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"

/* First thing in main(), before anything reads the environment. When the
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

/* open(2) of a file a person named, with the person's own rights: the
 * group is set aside around the call, as cronie's swap_uids does, so that
 * it never opens a file the person may not. O_CLOEXEC is added. Returns
 * the descriptor, or -1 with errno set. */
int priv_open_as_user(const char *path, int flags, mode_t mode);

#endif
