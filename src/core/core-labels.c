/* The words people read for the stored codes, in their language. */
#include "core/core.h"

#include "util/i18n.h"

const char *
core_status_label(enum task_status s)
{
	switch (s) {
	case STATUS_PLANNED:
		return _("Planned");
	case STATUS_IN_PROGRESS:
		return _("In progress");
	case STATUS_SUCCEEDED:
		return _("Succeeded");
	case STATUS_FAILED:
		return _("Failed");
	case STATUS_COUNT:
		break;
	}
	return "?";
}

const char *
core_stage_status_label(enum task_status s)
{
	switch (s) {
	case STATUS_PLANNED:
		return _("To do");
	case STATUS_IN_PROGRESS:
		return _("In progress");
	case STATUS_SUCCEEDED:
		return _("Finished");
	case STATUS_FAILED:
	case STATUS_COUNT:
		break;
	}
	return "?";
}

const char *
core_env_label(enum environment e)
{
	switch (e) {
	case ENV_DEV:
		return _("Development");
	case ENV_TEST:
		return _("Test");
	case ENV_PREPROD:
		return _("Pre-production");
	case ENV_PROD:
		return _("Production");
	case ENV_COUNT:
		break;
	}
	return "?";
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
