/* SPDX-License-Identifier: MIT */
/* What the screens share: the application, its stack of screens, drawing
 * helpers and the widgets (a paged table and a form). */
#ifndef DD_UI_INTERNAL_H
#define DD_UI_INTERNAL_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>

#include "core/core.h"
#include "ui/ui.h"
#include "util/strbuf.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

/* Attributes by meaning; the colour, if any, is chosen at start. */
enum ui_style {
	STYLE_NORMAL,
	STYLE_TITLE,
	STYLE_HEADER,	/* column headers */
	STYLE_SELECTED, /* the selected row */
	STYLE_DIM,
	STYLE_ERROR,
	STYLE_KEY,    /* a key in the footer */
	STYLE_MARKER, /* a control character shown visibly */
	STYLE_STATUS_PLANNED,
	STYLE_STATUS_IN_PROGRESS,
	STYLE_STATUS_SUCCEEDED,
	STYLE_STATUS_FAILED,
	STYLE_ENV_DEV,
	STYLE_ENV_TEST,
	STYLE_ENV_PREPROD,
	STYLE_ENV_PROD,
	STYLE_FIELD, /* an input field */
	STYLE_FIELD_FOCUS,
	STYLE_BUTTON,
	STYLE_BUTTON_FOCUS,
	STYLE_MATCH,	     /* a match of the search in a text view */
	STYLE_MATCH_CURRENT, /* the match the search went to */
	STYLE_COUNT
};

/* What a key asks of the application. */
enum ui_result {
	UI_STAY,
	UI_POP,	      /* close this screen */
	UI_QUIT,      /* leave the application */
	UI_UNHANDLED, /* a screen's own key handler did not use the key */
};

/* A key: a character (wide) or a function key (KEY_*). */
struct ui_key {
	wint_t code;
	bool function;
	bool pasted; /* inside a bracketed paste: text, never a command */
};

/* Key codes ncurses gives for the bracketed-paste markers. */
#define UI_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define UI_KEY_PASTE_END (KEY_MAX + 2)

struct ui_app;
struct ui_screen;

/* One key of a screen, as its table declares it. Dispatch, the footer (the
 * keys allowed now) and the help ('?') are all made from the table, so
 * that they cannot disagree. A key may have several bindings: what it
 * does now is the first whose may allows it (ui_binding_now()), so that
 * Esc clears a filter while one is on and goes back otherwise, each with
 * its footer. */
struct ui_binding {
	wint_t key; /* a character, or KEY_* when function; 0: help only */
	bool function;
	/* The key as people read it ("a", "Enter"), in the footer and the
	 * help; help_keys (NULL: the same) lists its aliases in the help
	 * ("q, Esc"). */
	const char *name;
	const char *help_keys;
	const char *footer; /* the footer's word (N_), or NULL: not there */
	const char *help;   /* what it does (N_), or NULL: not in the help */
	/* What it does; NULL: the screen's own key handler does it (moving
	 * in a list, listed for the help). */
	enum ui_result (*run)(struct ui_screen *self);
	/* Whether it applies now (NULL: always); when not, err says why. */
	enum dd_code (*may)(struct ui_screen *self, struct dd_error *err);
	/* Whether it acts on the selected row, so that a move may show or
	 * hide it: the footer keeps such keys at its right end, where a
	 * move redraws them alone. */
	bool of_row;
};

/* What kind of screen a screen is: one constant table for each. */
struct ui_screen_ops {
	bool modal;	  /* a dialog: the screens below are drawn under it */
	bool takes_paste; /* has text fields: pasted text goes there */
	void (*draw)(struct ui_screen *self);
	/* Keys the table does not hold (movement, typing in a form), asked
	 * first; returns UI_UNHANDLED for a key it does not use. NULL:
	 * none. */
	enum ui_result (*key)(struct ui_screen *self, struct ui_key k);
	/* Someone else changed the database: read again. NULL: nothing to
	 * read. */
	void (*reload)(struct ui_screen *self);
	void (*destroy)(struct ui_screen *self);
	/* The keys, ending with an entry whose name is NULL; NULL for a
	 * dialog, whose form takes every key. */
	const struct ui_binding *bindings;
	/* What the actions of ui-actions.c act on: the project shown and
	 * the selected (or shown) task, or NULL. */
	const struct core_project *(*project)(struct ui_screen *self);
	const struct task *(*task)(struct ui_screen *self);
};

/* A screen or dialog on the application's stack. */
struct ui_screen {
	const struct ui_screen_ops *ops;
	struct ui_app *app;
};

struct ui_app {
	struct core_session *s;
	struct ui_screen *stack[16];
	int depth;
	char message[512];
	bool message_is_error;
	int64_t data_version;
	bool colors;
	bool quit;
	/* Where the top screen wants the cursor shown this frame, if any. */
	bool cursor_on;
	int cursor_y, cursor_x;
	bool pasting;		   /* between the terminal's paste markers */
	char select_id[UUID_SIZE]; /* a task the history should show next */
};

/* Whether binding b of the screen's table is what its key does now: its
 * may allows it, and no binding of the same key before it does. */
bool ui_binding_now(struct ui_screen *self, const struct ui_binding *b);

/* The stack. push takes ownership of the screen. */
void ui_push(struct ui_app *app, struct ui_screen *scr);
void ui_pop(struct ui_app *app);
/* Turns the terminal's bracketed paste on or off (around a child that
 * has the terminal, such as the editor). */
void ui_paste(bool on);
/* Clears the footer's message: it was about a past event, which a key or
 * an edit has now answered. */
void ui_message_clear(struct ui_app *app);
/* Sets the footer's message (printf-like). */
void ui_message(struct ui_app *app, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After one's own write: take the new data version as seen, and reload
 * every screen. */
void ui_changed(struct ui_app *app);

/* Drawing (ui-draw.c). */
void ui_colors_init(struct ui_app *app);
attr_t ui_attr(enum ui_style style);
/* Draws UTF-8 text at (y, x), at most width columns, sanitized: controls,
 * bidi overrides and invisible characters shown as markers in reverse
 * video; characters the terminal cannot show as '?'. Returns the columns
 * used. */
int ui_text(int y, int x, const char *text, int width, attr_t attr);
/* Same, and when the text is wider than width, cut one column earlier
 * with "…" after it. Returns the columns used. */
/* Whether the terminal's codeset is UTF-8 (block characters, arrows). */
bool ui_locale_is_utf8(void);
/* What marks a rollback after its version in a list: "↩", or "<-" where
 * the terminal's codeset has no arrow. */
const char *ui_rollback_mark(void);
/* Task t's version as the history and the details show it, in out (of
 * UI_VERSION_TEXT_SIZE bytes, so that the longest version is never cut
 * inside a character): its rollback mark after it, and "(blocked)" when
 * the version is blocked in project p (NULL: not known). */
#define UI_VERSION_TEXT_SIZE (CORE_VERSION_MAX * 4 + 64)
/* A dialog's title or line that names a version in a sentence, with the
 * policy's rule keys at most besides: room for the longest of each, so
 * that the text is cut to the box's width, never inside a character. */
#define UI_TITLE_SIZE (UI_VERSION_TEXT_SIZE + 320)
void ui_version_text(const struct core_project *p, const struct task *t,
		     char *out, size_t size);
int ui_text_fit(int y, int x, const char *text, int width, attr_t attr);
/* Same, keeping the text's end: "…" first, then as much of the end as
 * fits (for text whose end tells rows apart). */
int ui_text_fit_end(int y, int x, const char *text, int width, attr_t attr);
/* The text as ui_text_fit() shows it in width columns: itself when it
 * fits, else cut with "…" at the end (for text put together before it is
 * drawn, such as a title holding a name). Caller frees. */
char *ui_text_cut(const char *text, int width);
/* ui_text, padded with spaces to width. */
void ui_text_pad(int y, int x, const char *text, int width, attr_t attr);
/* "label value" with the value starting at column width whatever the
 * label's accents (padding by display width, not bytes); caller frees. */
char *ui_label_line(const char *label, int width, const char *value);
/* Draws "label" at (y, x) and value at column x + label_width + 1, cut
 * with "…" when it is wider than what is left of width. */
void ui_label_value(int y, int x, int width, const char *label, int label_width,
		    const char *value, attr_t value_attr);
/* Columns text takes when shown (after sanitizing). */
int ui_text_width(const char *text);
/* A box with a title, its inside cleared. */
void ui_box(int y, int x, int h, int w, const char *title);
/* The header of a project's screen, on the first row: the title
 * (title_fmt, whose one %s is the project's name) on the left, the person
 * and their role in the project on the right. When the row is too narrow,
 * the person's name is cut with "…" first, then the project's; the title
 * and the role stay whole. */
void ui_header(struct ui_app *app, const struct core_project *p,
	       const char *title_fmt);
/* The footer: keys on the left, the message on the right. */
void ui_footer(struct ui_app *app, const char *keys);
/* The footer of a screen with a table of keys: what each key does now
 * (ui_binding_now()), in the table's order. When they do not all fit the
 * width, the keys from '?' on (the help, which lists them all, and the
 * way back) stay, and the others are kept from the first while they fit. */
void ui_footer_keys(struct ui_screen *self);
/* The style of a status and an environment. */
enum ui_style ui_status_style(enum task_status s);
enum ui_style ui_env_style(enum environment e);
/* Formats an ISO-8601 UTC time in the locale's date format and local time
 * ("06/02/2026 14:00" in French). */
void ui_date(const char *iso, char *out, size_t size);
/* Example of the date format, for the empty field's hint. */
void ui_date_hint(char *out, size_t size);

/* A text view: lines of UTF-8 (owned), scrolled with the usual keys. */
struct ui_lines {
	char **items;
	size_t count;
	size_t cap;
};
void ui_lines_add(struct ui_lines *l, const char *text);
void ui_lines_addf(struct ui_lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends to out the lines of in cut to at most width columns (as
 * shown, markers included), cutting between characters. */
void ui_lines_wrap(struct ui_lines *out, const struct ui_lines *in, int width);
/* Where a row of wrapped text comes from: its line in the text as built,
 * the byte of that line it starts at, and the blanks put before it (a
 * continuation's indentation). */
struct ui_wrap_origin {
	size_t line, start;
	int pad;
};
struct ui_wrap_map {
	struct ui_wrap_origin *items; /* one per row of the wrapped text */
	size_t count, cap;
};
/* ui_lines_wrap(), and where each row comes from into map (rows from
 * out->count on; map->items[r] for row r of out). */
void ui_lines_wrap_map(struct ui_lines *out, struct ui_wrap_map *map,
		       const struct ui_lines *in, int width);
/* Adds multi-line text, one entry per line, each indented. */
void ui_lines_add_text(struct ui_lines *l, const char *indent,
		       const char *text);
void ui_lines_free(struct ui_lines *l);
/* Scroll keys for a view of height rows over count lines; true when the
 * key was a scroll key. */
bool ui_scroll_key(struct ui_key k, size_t *top, size_t count, int height);

/* A search in a text view (ui-find.c): what was typed, its matches in the
 * lines as built (before wrapping), sorted, none overlapping, and the one
 * the search went to. */
struct ui_find_match {
	size_t line, start, end; /* bytes [start, end) of the line */
};
struct ui_find {
	char *text; /* NULL: no search */
	struct ui_find_match *items;
	size_t count, cap;
	size_t current;
};
/* Searches lines for text (case ignored, accents too when text has none:
 * util/textfind.h), replacing any search before. */
void ui_find_set(struct ui_find *f, const struct ui_lines *lines,
		 const char *text);
/* The lines were built again (someone changed the data): the same search
 * in them, the match gone to kept when it is still there. */
void ui_find_lines_changed(struct ui_find *f, const struct ui_lines *lines);
void ui_find_clear(struct ui_find *f);
/* The row of the wrapped text that shows byte pos of line. */
size_t ui_find_row(const struct ui_wrap_map *map, size_t line, size_t pos);
/* Goes to a match and scrolls the view (first row *top, height rows of
 * the wrapped text map describes) so that it is in view: dir 0, the first
 * match from the view's first row; 1 (n), the next one; -1 (N), the one
 * before; round at the ends. The footer says which ("match 3 of 17"), that
 * it went round, or that there is none. */
void ui_find_step(struct ui_app *app, struct ui_find *f,
		  const struct ui_wrap_map *map, size_t *top, int height,
		  int dir);
/* Draws a row of wrapped text at y, sanitized as ui_text() does, its
 * matches highlighted. */
void ui_find_draw_row(const struct ui_find *f, int y, const char *row,
		      const struct ui_wrap_origin *o, int width);

/* A table: a header line and rows, the selected one highlighted. Cells
 * are cut to their column with "…". A column takes its width; one whose
 * max is above its width grows to its widest cell (or header) up to max,
 * while room is left, in the columns' order; the first of width 0 takes
 * what is left, room for its own widest cell set aside first. */
#define UI_TABLE_COLS 16
struct ui_column {
	const char *header;
	int width;
	int max;
	bool keep_end; /* a cut cell keeps its end, "…" first */
};
/* The widest cell each column has shown while its screen is open: a
 * column sized to its cells only grows, so that moving in the list does
 * not shift the columns (which rewrites every row). Zeroed to start. */
struct ui_table_seen {
	int widths[UI_TABLE_COLS];
};
struct ui_cell {
	const char *text;
	attr_t attr;
};
typedef void (*ui_row_fn)(void *data, int row, struct ui_cell *cells);
void ui_table_draw(int y, int x, int h, int w, const struct ui_column *cols,
		   int ncols, int nrows, int selected, ui_row_fn row,
		   void *data, struct ui_table_seen *seen);
/* The larger of width and the columns text takes: a column as wide as
 * the longest of its words in the person's language. */
int ui_wider(int width, const char *text);
/* Columns the widest of a header and the labels of every status take. */
int ui_status_width(const char *header, const char *(*label)(enum task_status));

/* A window over a project's deployments or incidents, paged in SQL: only
 * the visible rows are ever read, however long the history. */
struct ui_pager {
	struct core_session *s;
	struct core_project *project;
	struct core_page_query query;
	char text[128]; /* the text filter, owned */
	struct task_cursor
	    top; /* first visible row (inclusive); empty: start */
	struct task_list rows;
	int selected;
	int height;
	char error[1024]; /* why the last read failed, or "" */
};
void ui_pager_init(struct ui_pager *p, struct core_session *s,
		   struct core_project *project, enum task_type type);
/* Reads the visible rows again from the top row, keeping the selected
 * task selected when it is still there. */
void ui_pager_reload(struct ui_pager *p, int height);
/* Moves the selection; true when the key was a movement key. */
bool ui_pager_key(struct ui_pager *p, struct ui_key k);
const struct task *ui_pager_selected(const struct ui_pager *p);
void ui_pager_free(struct ui_pager *p);

/* The form widget every dialog uses (ui-form.c): text, multi-line text,
 * choices and buttons; Tab and Shift-Tab move between them. */
enum ui_field_kind {
	UI_FIELD_TEXT,
	UI_FIELD_MULTILINE,
	UI_FIELD_CHOICE,
	UI_FIELD_BUTTON,
};

struct ui_field {
	enum ui_field_kind kind;
	const char *label;
	bool required;
	int lines;	  /* multi-line: rows shown */
	const char *hint; /* shown dim while empty */
	int max_chars;	  /* text: 0 for no limit */
	/* Text, as code points, so that the cursor moves by character. */
	uint32_t *cp;
	size_t len, cap, cursor;
	size_t scroll; /* multi-line: first row shown (rows wrap) */
	int width;     /* multi-line: columns when last drawn */
	const char *const *choices;
	int nchoices, choice;
	/* Shown whole after each choice (NULL: nothing), which is cut with
	 * "…" to leave room for it inside "< >": a person's role after
	 * their name. */
	const char *const *choice_tails;
	char error[1400];
	/* Ctrl-E writes the text in the person's editor (ui-child.c), in a
	 * file of this name ("logs.txt"); NULL: not offered. What comes
	 * back may hold at most so many characters and bytes (0: no
	 * limit of that kind). */
	const char *edit_name;
	size_t edit_max_chars, edit_max_bytes;
};

enum ui_form_event {
	UI_FORM_NONE,
	UI_FORM_CANCEL, /* Esc */
	UI_FORM_PRESS,	/* a button was pressed: the focused field */
	UI_FORM_EDIT,	/* Ctrl-E in a field with an edit_name */
};

struct ui_form {
	struct ui_field *fields;
	int count;
	int focus;
	/* The application it was last drawn in (drawing comes before any
	 * key): an edit clears its footer's message, about a past event. */
	struct ui_app *app;
};

/* Lays out and draws the form from row y inside columns x..x+w; returns
 * the rows used. Puts the cursor in the focused text field. */
int ui_form_draw(struct ui_app *app, struct ui_form *f, int y, int x, int w);
/* Rows the form needs, errors included. */
int ui_form_height(const struct ui_form *f, int w);
/* The keys line for the focused field (what Enter, the arrows and Ctrl-E
 * do there), with the dialog's own key (extra, "Ctrl-O …") or NULL. */
void ui_form_footer(struct ui_app *app, const struct ui_form *f,
		    const char *extra);
/* A key for the form; one that changes a field's text clears the
 * footer's message (a file loaded, say: the text is no longer that). */
enum ui_form_event ui_form_key(struct ui_form *f, struct ui_key k);
/* The field's text as UTF-8 (caller frees). */
char *ui_field_text(const struct ui_field *fl);
void ui_field_set_text(struct ui_field *fl, const char *utf8);
/* Draws a one-line text field at (y, x), w columns, focused (the cursor
 * in it), outside a form: the footer's prompt. */
void ui_field_draw(struct ui_app *app, struct ui_field *fl, int y, int x,
		   int w);
void ui_form_clear_errors(struct ui_form *f);
void ui_form_free(struct ui_form *f);

/* The person's editor and pager (ui-child.c, util/child.c), run without
 * the shared install's group, the screens set aside meanwhile. On
 * UI_FORM_EDIT: the focused field's text in $VISUAL or $EDITOR; what
 * comes back replaces it when it is text within the field's limits,
 * otherwise the field stays as it was and the footer says why. */
void ui_form_edit(struct ui_app *app, struct ui_form *f);
/* A deployment's logs (an incident's description) in $PAGER, shown as the
 * details show them. */
void ui_view_logs(struct ui_app *app, const struct task *t);

/* The screens and dialogs (one file each). */
struct ui_screen *screen_projects_new(struct ui_app *app);
/* The project to open at start: 0 none (stay on the picker), 1 open it
 * above the picker (the person's only project), 2 it is the only project
 * (no picker needed): the picker's opened project then moves into *only,
 * for the caller to free. */
int ui_projects_first(struct ui_screen *picker, char id[UUID_SIZE],
		      struct core_project *only);
/* Whether a screen is the project picker. */
bool ui_screen_is_picker(const struct ui_screen *scr);
struct ui_screen *screen_deploys_new(struct ui_app *app,
				     const char *project_id);
/* The same, of project p opened already: the screen takes it, and p is
 * left to be freed as an empty one. */
struct ui_screen *screen_deploys_take(struct ui_app *app,
				      struct core_project *p);
/* A project's policy and freezes (screen-policy.c). */
struct ui_screen *screen_policy_new(struct ui_app *app, const char *project_id);
struct ui_screen *screen_details_new(struct ui_app *app, const char *task_id);
struct ui_screen *screen_incidents_new(struct ui_app *app,
				       const char *project_id);
/* Whether a screen is a project's list of incidents. */
bool ui_screen_is_incidents(const struct ui_screen *scr);
/* "À traiter": what waits for the person (screen-inbox.c); how many
 * items it shows. */
struct ui_screen *screen_inbox_new(struct ui_app *app);
/* A project's members, their roles since when and granted by whom
 * (screen-members.c). */
struct ui_screen *screen_members_new(struct ui_app *app,
				     const char *project_id);
/* A project's trail, newest first, filtered (screen-trail.c). */
struct ui_screen *screen_trail_new(struct ui_app *app, const char *project_id);
/* The end of a secondary screen's key table: t, ? (with t on its help
 * line), q and Esc back, and the terminator. */
#define UI_KEYS_BACK_TAIL(q_help)                                               \
	{L't', false, "t", NULL, NULL, NULL, ui_act_inbox, NULL, false},        \
	    {L'?',	 false,                                                 \
	     "?",	 N_("?, t"),                                            \
	     N_("help"), N_("this help / what waits for you (to do)"),          \
	     NULL,	 NULL,                                                  \
	     false},                                                            \
	    {L'q',   false,	  "q",	N_("q, Esc"), N_("back"),               \
	     q_help, ui_act_back, NULL, false},                                 \
	    {27, false, N_("Esc"), NULL, NULL, NULL, ui_act_back, NULL, false}, \
	{                                                                       \
		0, false, NULL, NULL, NULL, NULL, NULL, NULL, false             \
	}
/* A: the trail of the screen's project. */
enum ui_result ui_act_trail(struct ui_screen *self);
/* m: the members of the screen's project. */
enum ui_result ui_act_members(struct ui_screen *self);
/* Delivery figures drawn (screen-metrics.c): of project p, or of every
 * project (p NULL). */
struct ui_screen *screen_metrics_new(struct ui_app *app,
				     const struct core_project *p);
/* What runs where (screen-envs.c). */
struct ui_screen *screen_envs_new(struct ui_app *app);
bool ui_screen_is_envs(const struct ui_screen *scr);
bool ui_screen_is_inbox(const struct ui_screen *scr);
size_t ui_inbox_count(const struct ui_screen *scr);
/* Every key of a screen, from its table. */
struct ui_screen *screen_help_new(struct ui_app *app,
				  const struct ui_binding *bindings);
struct ui_screen *dialog_create_new(struct ui_app *app, const char *project_id);
/* The same form, filled with planned deployment t's plan, to change it. */
struct ui_screen *dialog_edit_new(struct ui_app *app, const struct task *t);
/* The authorization of task_id, of project p as the screen has it. */
struct ui_screen *dialog_authorize_new(struct ui_app *app,
				       const struct core_project *p,
				       const char *task_id);
/* The authorization dialog approves with an admin's override of the
 * project's policy, for reason (core_override_next). */
void dialog_authorize_override(struct ui_screen *authorize, const char *reason);
struct ui_screen *dialog_execute_new(struct ui_app *app, const char *task_id);
/* The execution dialog records its outcome with an admin's override of
 * the project's policy, for reason (core_override_next). */
void dialog_execute_override(struct ui_screen *execute, const char *reason);
/* The actions the screens offer (ui-actions.c), each written once. They
 * act on the screen's project and task (struct ui_screen_ops), and each
 * run has its may, which asks the core. */
enum ui_result ui_act_details(struct ui_screen *self);
enum dd_code ui_may_details(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_create(struct ui_screen *self);
enum dd_code ui_may_create(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_authorize(struct ui_screen *self);
enum dd_code ui_may_authorize(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_start(struct ui_screen *self);
enum dd_code ui_may_start(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_execute(struct ui_screen *self);
enum dd_code ui_may_execute(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_incident(struct ui_screen *self);
enum dd_code ui_may_incident(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_incident_status(struct ui_screen *self);
/* e: change the selected planned deployment's plan. */
enum ui_result ui_act_edit(struct ui_screen *self);
enum dd_code ui_may_edit(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_rollback(struct ui_screen *self);
enum dd_code ui_may_rollback(struct ui_screen *self, struct dd_error *err);
/* B: block the selected deployment's version (a reason asked), or unblock
 * it when it is blocked (after a confirmation). */
enum ui_result ui_act_block(struct ui_screen *self);
enum dd_code ui_may_block(struct ui_screen *self, struct dd_error *err);
/* Asks the reason to block version of project_id, and blocks it: after
 * B, and offered over the incident of a failure (title: the question). */
void ui_block_prompt(struct ui_app *app, const char *title,
		     const char *project_id, const char *version,
		     const char *cancel);
enum ui_result ui_act_review(struct ui_screen *self);
enum dd_code ui_may_review(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_revoke(struct ui_screen *self);
enum dd_code ui_may_revoke(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_cancel(struct ui_screen *self);
enum dd_code ui_may_cancel(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_reject(struct ui_screen *self);
enum dd_code ui_may_reject(struct ui_screen *self, struct dd_error *err);
/* r: hand the selected incident to another member (a choice of those who
 * may answer for it). */
enum ui_result ui_act_incident_assign(struct ui_screen *self);
enum dd_code ui_may_incident_assign(struct ui_screen *self,
				    struct dd_error *err);
enum dd_code ui_may_incident_status(struct ui_screen *self,
				    struct dd_error *err);
enum ui_result ui_act_incidents(struct ui_screen *self);
enum dd_code ui_may_incidents(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_projects(struct ui_screen *self);
enum ui_result ui_act_back(struct ui_screen *self);
/* t, from every screen: back to "À traiter" where it is open below, else
 * opened. */
enum ui_result ui_act_inbox(struct ui_screen *self);
/* M: the figures of the screen's project, or of every project. */
enum ui_result ui_act_metrics(struct ui_screen *self);
/* E: back to what runs where, where it is open below, else opened. */
enum ui_result ui_act_envs(struct ui_screen *self);
/* Whether a screen is below this one to go back to (on the first one,
 * leaving it quits). */
enum dd_code ui_may_back(struct ui_screen *self, struct dd_error *err);
enum ui_result ui_act_quit(struct ui_screen *self);

/* A question: lines of text, a button that closes (no_label, NULL for
 * "Cancel") and one that does on_yes. */
struct ui_screen *
dialog_confirm_new(struct ui_app *app, const char *title,
		   const char *const *lines, const char *no_label,
		   const char *yes_label,
		   void (*on_yes)(struct ui_app *app, void *data), void *data,
		   void (*free_data)(void *));
/* Esc or Cancel over what a person typed: the question title, lost (a
 * line saying what would be lost), "Keep editing" focused; "Discard"
 * closes the screen that asked too. */
void ui_ask_discard(struct ui_app *app, const char *title, const char *lost);
/* The same question in the footer, as less asks for a search: label
 * ("/") then the text; Enter gives it to on_done (with error NULL: the
 * footer has no room for one; on_done may set the footer's message) and
 * closes, Esc cancels. */
struct ui_screen *dialog_prompt_line_new(
    struct ui_app *app, const char *label,
    bool (*on_done)(struct ui_app *app, void *data, const char *text,
		    char *error, size_t size),
    void *data);
/* A list to choose from; on_choose gets the index chosen. */
struct ui_screen *
dialog_choice_new(struct ui_app *app, const char *title,
		  const char *const *labels, int count, int current,
		  void (*on_choose)(struct ui_app *app, void *data, int index),
		  void *data, void (*free_data)(void *));
/* What a prompt's text did once the core had it (code, err): refused as
 * typed (DD_ERR_INPUT), the prompt stays open with the core's words under
 * the field (returns false); otherwise it closes, and the footer says done
 * or why not. For a prompt's on_done. */
bool ui_prompt_answered(struct ui_app *app, enum dd_code code,
			const struct dd_error *err, const char *done,
			char *error, size_t size);
/* Asks for one line of text (a path, a filter); on_done gets it and
 * returns whether the prompt is done: when not, it stays open with the
 * error on_done wrote (size bytes at most) under the field. on_done does
 * not change the stack of screens. cancel and ok are the buttons' words
 * (NULL: Cancel and OK), for a question whose Cancel could be read as
 * its answer. */
struct ui_screen *
dialog_prompt_new(struct ui_app *app, const char *title, const char *label,
		  const char *initial, const char *cancel, const char *ok,
		  bool (*on_done)(struct ui_app *app, void *data,
				  const char *text, char *error, size_t size),
		  void *data, void (*free_data)(void *));
/* Marks prompt as one whose text is written when confirmed (a reason, a
 * note): Esc or Cancel then asks before throwing typed text away. Returns
 * prompt. */
struct ui_screen *dialog_prompt_written(struct ui_screen *prompt);

#endif
