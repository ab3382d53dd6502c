/* SPDX-License-Identifier: MIT */
/* The screens: an ncurses application over the core. Only src/ui includes
 * curses.h. */
#ifndef DD_UI_UI_H
#define DD_UI_UI_H

#include "core/core.h"

/* Runs the screens on an open session until the person quits; project_ref
 * (or NULL) opens one project directly. Restores the terminal on every way
 * out, signals included. Returns a dd_code for the exit status. */
int ui_run(struct core_session *s, const char *project_ref,
	   struct dd_error *err);

#endif
