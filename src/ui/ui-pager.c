/* SPDX-License-Identifier: MIT */
/* A window over a long list, paged in SQL with keyset cursors: moving,
 * paging, Home and End each read at most one screenful, so a project with a
 * million deployments moves as fast as one with ten. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ui_pager_init(struct ui_pager *p, struct core_session *s,
	      struct core_project *project, enum task_type type)
{
	memset(p, 0, sizeof *p);
	p->s = s;
	p->project = project;
	p->query.type = type;
	p->query.environment = -1;
	p->query.status = -1;
	p->query.text = NULL;
}

void
ui_pager_free(struct ui_pager *p)
{
	task_list_free(&p->rows);
}

const struct task *
ui_pager_selected(const struct ui_pager *p)
{
	if (p->selected < 0 || (size_t)p->selected >= p->rows.count)
		return NULL;
	return &p->rows.items[p->selected];
}

/* Reads up to limit rows from a cursor in a direction. */
static size_t
fetch(struct ui_pager *p, const struct task_cursor *from,
      enum page_direction dir, int limit, struct task_list *out)
{
	struct dd_error err = {0};

	p->query.text = p->text[0] ? p->text : NULL;
	if (core_task_page(p->s, p->project, &p->query, from, dir, limit, out,
			   &err) != DD_OK) {
		/* Kept for the screen to say: a list that could not be read
		 * is not an empty list. */
		snprintf(p->error, sizeof p->error, "%s", err.msg);
		out->items = NULL;
		out->count = 0;
	} else {
		p->error[0] = '\0';
	}
	return out->count;
}

/* Makes row i of a list the top of the window. */
static void
set_top(struct ui_pager *p, const struct task *t)
{
	if (t)
		core_task_cursor(t, &p->top);
	else
		memset(&p->top, 0, sizeof p->top);
	p->top.inclusive = t != NULL;
}

void
ui_pager_reload(struct ui_pager *p, int height)
{
	char keep[UUID_SIZE] = "";
	struct task_list rows, before;
	int want = height > 0 ? height : 1;

	if (ui_pager_selected(p))
		memcpy(keep, ui_pager_selected(p)->id, sizeof keep);
	p->height = want;
	fetch(p, p->top.id[0] ? &p->top : NULL, PAGE_OLDER, want, &rows);
	/* At the end of the list, fill the window from above. */
	if ((int)rows.count < want && p->top.id[0]) {
		struct task_cursor c = p->top;

		c.inclusive = false;
		fetch(p, &c, PAGE_NEWER, want - (int)rows.count, &before);
		if (before.count) {
			struct task_list all;

			all.count = before.count + rows.count;
			all.items = xcalloc(all.count, sizeof *all.items);
			memcpy(all.items, before.items,
			       before.count * sizeof *all.items);
			memcpy(all.items + before.count, rows.items,
			       rows.count * sizeof *all.items);
			free(before.items);
			free(rows.items);
			rows = all;
			set_top(p, &rows.items[0]);
		} else {
			task_list_free(&before);
		}
	}
	task_list_free(&p->rows);
	p->rows = rows;
	if (keep[0])
		for (size_t i = 0; i < p->rows.count; i++)
			if (strcmp(p->rows.items[i].id, keep) == 0)
				p->selected = (int)i;
	if (p->selected >= (int)p->rows.count)
		p->selected = (int)p->rows.count - 1;
	if (p->selected < 0)
		p->selected = 0;
}

/* Scrolls by n rows (positive: older) from the edge of the window. The
 * rows read are put together with the rows kept in memory: one query a
 * scroll, however far. */
static void
scroll_by(struct ui_pager *p, int n)
{
	struct task_list more, win;
	struct task_cursor c;
	size_t keep, first_kept;

	if (p->rows.count == 0)
		return;
	if (n > 0)
		core_task_cursor(&p->rows.items[p->rows.count - 1], &c);
	else
		core_task_cursor(&p->rows.items[0], &c);
	if (fetch(p, &c, n > 0 ? PAGE_OLDER : PAGE_NEWER, n > 0 ? n : -n,
		  &more) == 0) {
		task_list_free(&more);
		return;
	}
	/* Older rows go below the window and push its first rows out; newer
	 * rows go above it and push its last rows out. */
	keep =
	    (size_t)p->height > more.count ? (size_t)p->height - more.count : 0;
	if (keep > p->rows.count)
		keep = p->rows.count;
	first_kept = n > 0 ? p->rows.count - keep : 0;
	win.count = keep + more.count;
	win.items = xcalloc(win.count, sizeof *win.items);
	if (n > 0) {
		memcpy(win.items, p->rows.items + first_kept,
		       keep * sizeof *win.items);
		memcpy(win.items + keep, more.items,
		       more.count * sizeof *win.items);
	} else {
		memcpy(win.items, more.items, more.count * sizeof *win.items);
		memcpy(win.items + more.count, p->rows.items,
		       keep * sizeof *win.items);
	}
	/* The rows pushed out are freed; those moved are owned by win. */
	for (size_t i = 0; i < p->rows.count; i++)
		if (i < first_kept || i >= first_kept + keep)
			task_free(&p->rows.items[i]);
	free(p->rows.items);
	free(more.items);
	p->rows = win;
	set_top(p, &p->rows.items[0]);
	if (p->selected >= (int)p->rows.count)
		p->selected = (int)p->rows.count - 1;
}

bool
ui_pager_key(struct ui_pager *p, struct ui_key k)
{
	int last = (int)p->rows.count - 1;
	wint_t c = k.code;

	if ((k.function && c == KEY_DOWN) || (!k.function && c == L'j')) {
		if (p->selected < last)
			p->selected++;
		else if ((int)p->rows.count == p->height) {
			scroll_by(p, 1);
			p->selected = (int)p->rows.count - 1;
		}
		return true;
	}
	if ((k.function && c == KEY_UP) || (!k.function && c == L'k')) {
		if (p->selected > 0)
			p->selected--;
		else
			scroll_by(p, -1), p->selected = 0;
		return true;
	}
	if (k.function && c == KEY_NPAGE) {
		if ((int)p->rows.count == p->height)
			scroll_by(p, p->height);
		p->selected = (int)p->rows.count - 1;
		return true;
	}
	if (k.function && c == KEY_PPAGE) {
		scroll_by(p, -p->height);
		p->selected = 0;
		return true;
	}
	if ((k.function && c == KEY_HOME) || (!k.function && c == L'g')) {
		set_top(p, NULL);
		p->selected = 0;
		task_list_free(&p->rows);
		ui_pager_reload(p, p->height);
		p->selected = 0;
		return true;
	}
	if ((k.function && c == KEY_END) || (!k.function && c == L'G')) {
		struct task_list tail;

		/* The oldest rows, newest first: the last window itself. */
		fetch(p, NULL, PAGE_NEWER, p->height, &tail);
		task_list_free(&p->rows);
		p->rows = tail;
		set_top(p, p->rows.count ? &p->rows.items[0] : NULL);
		p->selected = (int)p->rows.count - 1;
		if (p->selected < 0)
			p->selected = 0;
		return true;
	}
	return false;
}
