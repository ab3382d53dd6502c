/* SPDX-License-Identifier: MIT */
/* The screens set aside for the person's own editor or pager, which
 * util/child.c runs without the shared install's group: Ctrl-E in a
 * form's long text fields, and the logs viewed in $PAGER. */
#include "ui/ui-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/charset.h"
#include "util/child.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/utf8.h"

/* Hands the terminal over, as for a shell escape. Bracketed paste is off
 * while the child has the terminal: an editor that does not ask for it
 * would read its markers as text. */
static void
suspend_screens(void)
{
	def_prog_mode();
	ui_paste(false);
	fflush(stdout);
	endwin();
}

/* Takes it back and repaints it whole: the child drew over it. */
static void
resume_screens(void)
{
	ui_paste(true);
	fflush(stdout);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

/* Runs the role's command on the file, the screens set aside. */
static enum dd_code
run_on(enum child_role role, const struct child_file *file,
       struct dd_error *err)
{
	enum dd_code code;

	suspend_screens();
	code = child_run(role, child_command(role), file->path, err);
	resume_screens();
	return code;
}

/* The most bytes the editor may bring back to the field. */
static size_t
edit_limit(const struct ui_field *fl)
{
	if (fl->edit_max_bytes)
		return fl->edit_max_bytes;
	if (fl->edit_max_chars)
		return fl->edit_max_chars * 4; /* UTF-8: 4 bytes at most */
	return CORE_LOGS_MAX;
}

/* What the editor wrote, taken as typed text is: UTF-8 (a byte order mark
 * dropped), no NUL, within the field's limits. */
static enum dd_code
check_text(const struct ui_field *fl, const char *s, size_t len,
	   struct dd_error *err)
{
	if (memchr(s, '\0', len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("the editor's text holds a NUL byte (binary "
				 "data?)"));
	if (!utf8_valid(s, len))
		return dd_fail(err, DD_ERR_INPUT,
			       _("the editor's text is not valid UTF-8 (byte "
				 "%zu)"),
			       utf8_invalid_offset(s, len) + 1);
	if (fl->edit_max_chars && utf8_length(s, len) > fl->edit_max_chars)
		return dd_fail(err, DD_ERR_INPUT,
			       _("the editor's text has %zu characters, at "
				 "most %zu allowed"),
			       utf8_length(s, len), fl->edit_max_chars);
	return DD_OK;
}

void
ui_form_edit(struct ui_app *app, struct ui_form *f)
{
	struct ui_field *fl = &f->fields[f->focus];
	char *before = ui_field_text(fl);
	size_t before_len = strlen(before);
	struct child_file file = {0};
	struct strbuf back = STRBUF_INIT;
	struct dd_error err = {0};
	enum dd_code code;
	const char *s;
	size_t len;

	if (!fl->edit_name)
		goto out;
	code =
	    child_file_create(&file, fl->edit_name, before, before_len, &err);
	if (!code)
		code = run_on(CHILD_EDITOR, &file, &err);
	if (!code)
		code = child_file_read(&file, edit_limit(fl), &back, &err);
	child_file_remove(&file);
	s = strbuf_str(&back);
	len = back.len;
	if (!code) {
		size_t bom = utf8_bom_length(s, len);

		s += bom;
		len -= bom;
		/* The end of line an editor adds to the last line, when the
		 * text had none. */
		if (len > 0 && s[len - 1] == '\n' &&
		    (before_len == 0 || before[before_len - 1] != '\n'))
			len--;
		code = check_text(fl, s, len, &err);
	}
	if (code) {
		ui_message(app, true, _("The field is unchanged: %s"), err.msg);
	} else if (len == before_len && memcmp(s, before, len) == 0) {
		ui_message(app, false, "%s",
			   _("The editor left the text as it was"));
	} else {
		char *text = xstrndup(s, len);

		ui_field_set_text(fl, text);
		fl->error[0] = '\0';
		free(text);
		ui_message(app, false, "%s",
			   _("The text written in the editor is in the "
			     "field"));
	}
out:
	strbuf_release(&back);
	free(before);
}

void
ui_view_logs(struct ui_app *app, const struct task *t)
{
	bool deployment = t->type == TASK_DEPLOYMENT;
	/* An incident's description quotes the logs of its deployment. */
	const char *text = deployment ? t->logs : t->description;
	struct strbuf plain = STRBUF_INIT, shown = STRBUF_INIT;
	struct child_file file = {0};
	struct dd_error err = {0};
	char *safe;

	if (!text || !*text) {
		ui_message(app, true, "%s", _("No logs yet: nothing to view"));
		return;
	}
	/* As the details show it: a CR before a LF is a Windows line end;
	 * every other control a visible marker (the pager may be one that
	 * passes escapes through), in the terminal's character set. */
	for (const char *p = text; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			strbuf_addch(&plain, *p);
	safe = sanitize_dup(strbuf_str(&plain), SANITIZE_TEXT);
	charset_for_terminal(safe, strlen(safe), NULL, &shown);
	if (shown.len == 0 || shown.buf[shown.len - 1] != '\n')
		strbuf_addch(&shown, '\n');
	if (child_file_create(&file,
			      deployment ? "logs.txt" : "description.txt",
			      shown.buf, shown.len, &err) ||
	    run_on(CHILD_PAGER, &file, &err))
		ui_message(app, true, "%s", err.msg);
	child_file_remove(&file);
	free(safe);
	strbuf_release(&plain);
	strbuf_release(&shown);
}
