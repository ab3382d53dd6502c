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

void
ui_table_draw(int y, int x, int h, int w, const struct ui_column *cols,
	      int ncols, int nrows, int selected, ui_row_fn row, void *data)
{
	struct ui_cell cells[16];
	int widths[16], fixed = 0, flex = -1;

	if (ncols > 16)
		ncols = 16;
	for (int c = 0; c < ncols; c++) {
		widths[c] = cols[c].width;
		if (cols[c].width == 0 && flex < 0)
			flex = c;
		fixed += cols[c].width + (c ? 1 : 0);
	}
	if (flex >= 0)
		widths[flex] = w - fixed > 4 ? w - fixed : 4;

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
			    ui_text_fit(y + 1 + r, cx, cells[c].text, cw, a);

			attrset(a);
			for (int i = used; i < cw; i++)
				mvaddch(y + 1 + r, cx + i, ' ');
			attrset(A_NORMAL);
			/* The gap takes the cell's attribute when a blank
			 * shows it the same as a plain one: one change of
			 * attributes fewer. */
			if (cx + cw < x + w)
				mvaddch(y + 1 + r, cx + cw,
					' ' | (sel ? a : blank_attr(a)));
			cx += cw + 1;
		}
	}
}
