/* SPDX-License-Identifier: MIT */
/* gettext for every string a person reads. */
#ifndef DD_UTIL_I18N_H
#define DD_UTIL_I18N_H

#include "config.h"

#include <string.h>

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
/* The same, with a context, for an English word that has two meanings
 * ("Low" a priority, "Low" a risk: "Basse", "Faible"); translate where
 * used with C_(). */
#define NC_(ctx, s) (ctx "\004" s)
static inline const char *
C_(const char *ctx_msgid)
{
	const char *t = _(ctx_msgid);
	const char *msgid = strchr(ctx_msgid, '\004');

	return t != ctx_msgid || !msgid ? t : msgid + 1;
}

#endif
