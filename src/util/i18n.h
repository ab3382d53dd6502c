/* SPDX-License-Identifier: MIT */
/* gettext for every string a person reads. */
#ifndef DD_UTIL_I18N_H
#define DD_UTIL_I18N_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define ngettext_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define ngettext_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
/* Marks a string for translation where it is defined; translate where used. */
#define N_(s) (s)

#endif
