/* SPDX-License-Identifier: MIT */
/* The demo sandbox: the spec's example project, made through the same core
 * calls a person would use, so that its audit trail is real. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

struct demo_user {
	const char *login;
	const char *name;
	enum role role;
	bool senior;
};

static const struct demo_user demo_users[] = {
    {"mmartin", "Marie Martin", ROLE_MANAGER, false},
    {"jdupont", "Jean Dupont", ROLE_DEVELOPER, true},
    {"lbernard", "Lucas Bernard", ROLE_DEVELOPER, false},
    {"cpetit", "Claire Petit", ROLE_OTHER, false},
};

enum demo_outcome { DEMO_PLANNED, DEMO_SUCCEEDED, DEMO_FAILED };

struct demo_deploy {
	const char *version;
	const char *env;
	const char *planned; /* local time, as typed; also when it ran */
	enum demo_outcome outcome;
	const char *description;
	const char *logs;
};

/* The spec's history: v1.1.7 PREPROD succeeded, v1.1.8 PROD failed, v1.1.9
 * TEST succeeded, v1.2.0 PROD planned and not yet authorized. */
static const struct demo_deploy demo_deploys[] = {
    {"v1.1.7", "PREPROD", "2026-02-03 14:00", DEMO_SUCCEEDED,
     "Déploiement version 1.1.7 en pré-production\n"
     "Correctifs de facturation",
     "Démarrage déploiement 14:00\nSauvegarde base de données OK\n"
     "Arrêt serveur OK\nMise à jour fichiers OK\n"
     "Redémarrage serveur OK\nTests post-déploiement OK\n"},
    {"v1.1.8", "PROD", "2026-02-04 14:00", DEMO_FAILED,
     "Déploiement version 1.1.8 en production\n"
     "Nouveau module de reporting",
     "Démarrage déploiement 14:00\nSauvegarde base de données OK\n"
     "Arrêt serveur OK\nMise à jour fichiers OK\n"
     "Migration base de données ÉCHEC: colonne 'montant_ttc' "
     "déjà existante\nRetour arrière effectué\n"},
    {"v1.1.9", "TEST", "2026-02-05 14:00", DEMO_SUCCEEDED,
     "Déploiement version 1.1.9 en test\n"
     "Correction de la migration de la v1.1.8",
     "Démarrage déploiement 14:00\nMigration base de données OK\n"
     "Tests post-déploiement OK\n"},
    {"v1.2.0", "PROD", "2026-02-06 14:00", DEMO_PLANNED,
     "Déploiement version 1.2.0\navec corrections bugs", NULL},
};

/* Acts as a demo user for the next calls (the sandbox's --as, inside). */
static enum dd_code
act_as(struct core_session *s, const char *login, struct dd_error *err)
{
	struct user u = {0};
	enum dd_code code = model_user_by_login(s->db, login, &u, err);

	if (code == DD_ERR_NOTFOUND)
		return dd_fail(err, DD_ERR_RUNTIME, _("no user '%s'"), login);
	if (code)
		return code;
	user_free(&s->me);
	s->me = u;
	return DD_OK;
}

/* Plays one deployment of the history through the core's transitions. */
static enum dd_code
demo_deploy(struct core_session *s, const struct demo_deploy *d,
	    struct dd_error *err)
{
	struct core_project p;
	struct core_deploy_input in = {
	    .version = d->version,
	    .environment = d->env,
	    .description = d->description,
	    .responsible = "jdupont",
	    .planned = d->planned,
	};
	char id[UUID_SIZE], incident[UUID_SIZE];
	time_t at;
	enum dd_code code;

	if (!time_parse_local(d->planned, &at, NULL, 0))
		return dd_fail(err, DD_ERR_RUNTIME, _("bad demo date %s"),
			       d->planned);
	/* Planned two days ahead, authorized an hour before, run on time. */
	s->clock = at - 2 * 86400;
	code = act_as(s, "mmartin", err);
	if (!code)
		code = core_project_open(s, "ERP", &p, err);
	if (code)
		return code;
	code = core_deploy_create(s, &p, &in, id, NULL, err);
	core_project_free(&p);
	if (code || d->outcome == DEMO_PLANNED)
		return code;
	s->clock = at - 3600;
	code = core_deploy_authorize(s, id, 0, err);
	if (!code)
		code = act_as(s, "jdupont", err);
	s->clock = at;
	if (!code)
		code = core_deploy_start(s, id, 0, err);
	s->clock = at + 1800;
	if (!code && d->outcome == DEMO_SUCCEEDED)
		code = core_deploy_succeed(s, id, 0, d->logs, strlen(d->logs),
					   err);
	else if (!code)
		code = core_deploy_fail(s, id, 0, d->logs, strlen(d->logs),
					incident, err);
	return code;
}

enum dd_code core_demo_fill(struct core_session *s, struct dd_error *err);

enum dd_code
core_demo_fill(struct core_session *s, struct dd_error *err)
{
	char *admin = xstrdup(s->me.login);
	enum dd_code code;
	size_t i;

	s->clock = 1769421600; /* 2026-01-26 10:00 UTC, the project's start */
	code = core_project_add(s, "ERP", "Refonte ERP", err);
	/* The admin may have a demo person's login (the README's shared
	 * recipe makes these accounts): that person is not added again, and
	 * stays admin with the demo person's role in ERP, so that the demo
	 * people still play their parts. */
	for (i = 0; !code && i < sizeof demo_users / sizeof *demo_users; i++)
		if (strcmp(demo_users[i].login, admin) != 0)
			code = core_user_add(s, demo_users[i].login,
					     demo_users[i].name, false, err);
	for (i = 0; !code && i < sizeof demo_users / sizeof *demo_users; i++)
		code = core_member_add(s, "ERP", demo_users[i].login,
				       demo_users[i].role, demo_users[i].senior,
				       err);
	for (i = 0; !code && i < STAGE_DEPLOYMENT; i++)
		code = core_stage_set(s, "ERP", (enum stage_code)i,
				      STATUS_SUCCEEDED, err);
	if (!code)
		code = core_stage_set(s, "ERP", STAGE_DEPLOYMENT,
				      STATUS_IN_PROGRESS, err);
	for (i = 0; !code && i < sizeof demo_deploys / sizeof *demo_deploys;
	     i++)
		code = demo_deploy(s, &demo_deploys[i], err);
	s->clock = 0;
	if (!code)
		code = act_as(s, admin, err);
	free(admin);
	return code;
}
