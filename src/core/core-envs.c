/* SPDX-License-Identifier: MIT */
/* What runs where: each project's environments, read through the index of
 * the history by environment and status, and the versions ahead of the
 * next environment. */
#include "core/core-internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/strbuf.h"

static int
by_code(const void *a, const void *b)
{
	const struct core_env_project *x = a, *y = b;

	return strcmp(x->project.code, y->project.code);
}

static int
by_id(const void *key, const void *item)
{
	return strcmp(key, item);
}

enum dd_code
core_envs(struct core_session *s, struct core_envs *out, struct dd_error *err)
{
	struct project *projects = NULL;
	struct stage_ids stages = {0};
	size_t nprojects = 0;
	enum dd_code code;
	bool began;

	memset(out, 0, sizeof *out);
	code = model_read_begin(s->db, &began, err);
	if (!code)
		code = core_project_list(s, &projects, &nprojects, err);
	/* Every project's deployment stage at once: all it needs of them. */
	if (!code)
		code = model_stage_ids(s->db, STAGE_DEPLOYMENT, &stages, err);
	if (code) {
		model_read_end(s->db, began);
		return code;
	}
	out->items = xcalloc(nprojects ? nprojects : 1, sizeof *out->items);
	for (size_t i = 0; !code && i < nprojects; i++) {
		struct core_env_project *row = &out->items[out->count++];
		char(*found)[UUID_SIZE] =
		    stages.count ? bsearch(projects[i].id, stages.project_ids,
					   stages.count,
					   sizeof *stages.project_ids, by_id)
				 : NULL;
		const char *stage =
		    found ? stages.ids[found - stages.project_ids] : NULL;

		row->project = projects[i];
		memset(&projects[i], 0, sizeof projects[i]);
		if (!stage)
			code = dd_fail(err, DD_ERR_RUNTIME,
				       _("project %s has no deployment stage"),
				       row->project.code);
		if (!code)
			code = model_env_states(s->db, stage, row->env, err);
		if (!code)
			code = model_env_ahead(s->db, stage, CORE_AHEAD_MAX,
					       row->ahead, row->nahead, err);
	}
	model_read_end(s->db, began);
	stage_ids_free(&stages);
	for (size_t i = 0; i < nprojects; i++)
		project_free(&projects[i]);
	free(projects);
	if (code) {
		core_envs_free(out);
		return code;
	}
	qsort(out->items, out->count, sizeof *out->items, by_code);
	return DD_OK;
}

void
core_envs_free(struct core_envs *e)
{
	for (size_t i = 0; i < e->count; i++) {
		struct core_env_project *row = &e->items[i];

		project_free(&row->project);
		for (int k = 0; k < ENV_COUNT; k++)
			env_state_free(&row->env[k]);
		for (int k = 0; k + 1 < ENV_COUNT; k++)
			for (size_t j = 0;
			     j < row->nahead[k] && j < CORE_AHEAD_MAX; j++)
				free(row->ahead[k][j]);
	}
	free(e->items);
	memset(e, 0, sizeof *e);
}
