/* SPDX-License-Identifier: MIT */
/* Random (version 4) UUIDs, the ids of projects, stages and tasks. */
#ifndef DD_UTIL_UUID_H
#define DD_UTIL_UUID_H

#include <stdbool.h>

#define UUID_SIZE 37 /* 36 characters and NUL */

/* Writes a new lowercase UUID such as "3f1c...-..."; false if the system
 * could not give random bytes (getrandom). */
bool uuid_new(char out[UUID_SIZE]);

#endif
