/* SPDX-License-Identifier: MIT */
/* The table widget every list uses: the history, the incidents, the
 * projects. Screens give rows; the table draws them. */
#include "ui/ui-internal.h"

#include <string.h>

/* a when a blank drawn with it looks like a plain blank: bold, dim and a
 * foreground colour (every pair has the default background) change nothing
 * on a blank; reverse, underline and the like do. */
static attr_t
blank_attr(attr_t a)
{
	if ((a & ~(A_BOLD | A_DIM | A_COLOR)) == 0)
		return a;
	return A_NORMAL;
}

/* Whether a column's width depends on its cells. */
static bool
sized_by_cells(const struct ui_column *col, bool flex)
{
	return flex || col->max > col->width;
}

/* The widest cell (or header) of each column sized by its cells, among
 * the rows shown, added to what seen holds. */
static void
measure(const struct ui_column *cols, int ncols, int flex, int nrows,
	ui_row_fn row, void *data, struct ui_table_seen *seen)
{
	struct ui_cell cells[UI_TABLE_COLS];

	for (int r = -1; r < nrows; r++) {
		if (r >= 0) {
			memset(cells, 0, sizeof cells);
			row(data, r, cells);
		}
		for (int c = 0; c < ncols; c++) {
			int cw;

			if (!sized_by_cells(&cols[c], c == flex))
				continue;
			cw = ui_text_width(r < 0 ? cols[c].header
						 : cells[c].text);
			if (cw > seen->widths[c])
				seen->widths[c] = cw;
		}
	}
}

/* The columns' widths in w: see struct ui_column. */
static void
layout(int w, const struct ui_column *cols, int ncols, int nrows, ui_row_fn row,
       void *data, struct ui_table_seen *seen, int *widths)
{
	struct ui_table_seen shown = {{0}};
	int used = 0, flex = -1, room;
	bool by_cells = false;

	for (int c = 0; c < ncols; c++) {
		widths[c] = cols[c].width;
		if (cols[c].width == 0 && flex < 0)
			flex = c;
		by_cells |= sized_by_cells(&cols[c], c == flex);
		used += cols[c].width + (c ? 1 : 0);
	}
	if (!seen)
		seen = &shown;
	if (by_cells)
		measure(cols, ncols, flex, nrows, row, data, seen);
	room = w - used - (flex >= 0 ? seen->widths[flex] : 0);
	for (int c = 0; c < ncols && room > 0; c++) {
		int want = seen->widths[c] < cols[c].max ? seen->widths[c]
							 : cols[c].max;

		if (c == flex || want <= widths[c])
			continue;
		want -= widths[c];
		if (want > room)
			want = room;
		widths[c] += want;
		used += want;
		room -= want;
	}
	if (flex >= 0)
		widths[flex] = w - used > 4 ? w - used : 4;
}

void
ui_table_draw(int y, int x, int h, int w, const struct ui_column *cols,
	      int ncols, int nrows, int selected, ui_row_fn row, void *data,
	      struct ui_table_seen *seen)
{
	struct ui_cell cells[UI_TABLE_COLS];
	int widths[UI_TABLE_COLS];

	if (ncols > UI_TABLE_COLS)
		ncols = UI_TABLE_COLS;
	layout(w, cols, ncols, nrows < h - 1 ? nrows : h - 1, row, data, seen,
	       widths);

	for (int c = 0, cx = x; c < ncols && cx < x + w; c++) {
		int cw = cx + widths[c] > x + w ? x + w - cx : widths[c];

		ui_text_pad(y, cx, cols[c].header, cw, ui_attr(STYLE_HEADER));
		if (c < ncols - 1 && cx + cw < x + w)
			mvaddch(y, cx + cw, ' ');
		cx += cw + 1;
	}
	for (int r = 0; r < h - 1; r++) {
		/* The selected row is one run of reverse video across the
		 * table, its cells' colours left out: seen at a glance,
		 * and one change of attributes to draw. */
		bool sel = r == selected;

		if (r >= nrows) {
			mvhline(y + 1 + r, x, ' ', w);
			continue;
		}
		memset(cells, 0, sizeof cells);
		row(data, r, cells);
		for (int c = 0, cx = x; c < ncols && cx < x + w; c++) {
			int cw =
			    cx + widths[c] > x + w ? x + w - cx : widths[c];
			attr_t a =
			    sel ? ui_attr(STYLE_SELECTED) : cells[c].attr;
			int used =
			    (cols[c].keep_end ? ui_text_fit_end : ui_text_fit)(
				y + 1 + r, cx, cells[c].text, cw, a);

			attrset(a);
			for (int i = used; i < cw; i++)
				mvaddch(y + 1 + r, cx + i, ' ');
			attrset(A_NORMAL);
			/* The gap takes the cell's attribute when a blank
			 * shows it the same as a plain one: one change of
			 * attributes fewer. */
			if (c < ncols - 1 && cx + cw < x + w)
				mvaddch(y + 1 + r, cx + cw,
					' ' | (sel ? a : blank_attr(a)));
			cx += cw + 1;
		}
	}
}
