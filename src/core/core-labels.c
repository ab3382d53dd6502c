/* SPDX-License-Identifier: MIT */
/* The words people read for the stored codes, in their language, and the
 * words they may type for a status or an environment. */
#include "core/core.h"

#include <string.h>

#include "util/i18n.h"
#include "util/textfind.h"
#include "util/utf8.h"

/* A code's label: the message to translate, and its French translation
 * kept here as data too, so that a script written with French words runs
 * in any locale ("--status Échec" in cron's C locale). The French must be
 * po/fr.po's (tests/cli/test-words.sh types what the French screens
 * show). */
struct label {
	const char *english;
	const char *french;
};

/* A deployment's status. */
static const struct label status_labels[STATUS_COUNT] = {
    [STATUS_PLANNED] = {N_("Planned"), "Prévu"},
    [STATUS_IN_PROGRESS] = {N_("In progress"), "En cours"},
    [STATUS_SUCCEEDED] = {N_("Succeeded"), "Réussi"},
    [STATUS_FAILED] = {N_("Failed"), "Échec"},
    [STATUS_CANCELLED] = {N_("Cancelled"), "Annulé"},
    [STATUS_REFUSED] = {N_("Refused"), "Refusé"},
};

/* A stage's or an incident's status: the same codes, other words. */
static const struct label stage_status_labels[STATUS_COUNT] = {
    [STATUS_PLANNED] = {N_("To do"), "À faire"},
    [STATUS_IN_PROGRESS] = {N_("In progress"), "En cours"},
    [STATUS_SUCCEEDED] = {N_("Finished"), "Terminée"},
    [STATUS_FAILED] = {NULL, NULL},
};

static const struct label env_labels[ENV_COUNT] = {
    [ENV_DEV] = {N_("Development"), "Développement"},
    [ENV_TEST] = {N_("Test"), "Test"},
    [ENV_PREPROD] = {N_("Pre-production"), "Pré-production"},
    [ENV_PROD] = {N_("Production"), "Production"},
};

static const char *
label_of(const struct label *labels, int count, int value)
{
	if (value < 0 || value >= count || !labels[value].english)
		return "?";
	return _(labels[value].english);
}

const char *
core_status_label(enum task_status s)
{
	return label_of(status_labels, STATUS_COUNT, (int)s);
}

const char *
core_stage_status_label(enum task_status s)
{
	return label_of(stage_status_labels, STATUS_COUNT, (int)s);
}

const char *
core_env_label(enum environment e)
{
	return label_of(env_labels, ENV_COUNT, (int)e);
}

/* Where a search for the typed word matched a label. */
struct whole {
	size_t len;
	bool whole;
};

static void
found_whole(size_t start, size_t end, void *data)
{
	struct whole *w = data;

	w->whole = w->whole || (start == 0 && end == w->len);
}

/* True when typed is word: in any case, and without its accents when none
 * is typed ("prevu" is "Prévu"; "prévû" is not), as the searches match. */
static bool
same_word(const char *typed, const char *word)
{
	struct textfind f;
	struct whole w = {strlen(word), false};

	if (utf8_equal_nocase(typed, word))
		return true;
	if (textfind_init(&f, typed))
		textfind_line(&f, word, w.len, found_whole, &w);
	textfind_free(&f);
	return w.whole;
}

/* True when typed is one of the words of this label: English, French, or
 * the reader's language. */
static bool
label_is(const struct label *l, const char *typed)
{
	return l->english &&
	       (same_word(typed, l->english) || same_word(typed, l->french) ||
		same_word(typed, _(l->english)));
}

int
core_status_word(const char *typed)
{
	for (int i = 0; typed && i < STATUS_COUNT; i++)
		if (utf8_equal_nocase(typed,
				      status_code((enum task_status)i)) ||
		    label_is(&status_labels[i], typed) ||
		    label_is(&stage_status_labels[i], typed))
			return i;
	return -1;
}

int
core_env_word(const char *typed)
{
	for (int i = 0; typed && i < ENV_COUNT; i++)
		if (utf8_equal_nocase(typed, env_code((enum environment)i)) ||
		    label_is(&env_labels[i], typed))
			return i;
	return -1;
}

/* A deployment's risk level ("Élevé": a risk is masculine in French, a
 * priority feminine; the context keeps the two apart). */
static const struct label risk_labels[RISK_COUNT] = {
    [RISK_NONE] = {NC_("risk", "Not stated"), "Non indiqué"},
    [RISK_LOW] = {NC_("risk", "Low"), "Faible"},
    [RISK_MEDIUM] = {NC_("risk", "Medium"), "Moyen"},
    [RISK_HIGH] = {NC_("risk", "High"), "Élevé"},
};

const char *
core_risk_label(enum risk r)
{
	return (int)r >= 0 && r < RISK_COUNT ? C_(risk_labels[r].english) : "?";
}

int
core_risk_word(const char *typed)
{
	static const char *const none[] = {"none", "aucun", ""};

	if (!typed)
		return -1;
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		if (utf8_equal_nocase(typed, none[i]))
			return RISK_NONE;
	for (int i = RISK_LOW; i < RISK_COUNT; i++) {
		const char *english =
		    strchr(risk_labels[i].english, '\004') + 1;

		if (utf8_equal_nocase(typed, risk_code((enum risk)i)) ||
		    same_word(typed, english) ||
		    same_word(typed, risk_labels[i].french) ||
		    same_word(typed, core_risk_label((enum risk)i)))
			return i;
	}
	return -1;
}

const char *
core_role_label(enum role r, bool senior)
{
	switch (r) {
	case ROLE_MANAGER:
		return _("Project manager");
	case ROLE_DEVELOPER:
		/* TRANSLATORS: a role's label (header, forms, tables); French
		   keeps the spec's "Dev senior", sentences say "développeur
		   senior". */
		return senior ? _("Senior developer") : _("Developer");
	case ROLE_OTHER:
		return _("Viewer");
	case ROLE_COUNT:
		break;
	}
	return "?";
}

const char *
core_priority_label(enum priority p)
{
	switch (p) {
	case PRIORITY_LOW:
		return _("Low");
	case PRIORITY_NORMAL:
		return _("Normal");
	case PRIORITY_HIGH:
		return _("High");
	case PRIORITY_COUNT:
		break;
	}
	return "?";
}
