/* SPDX-License-Identifier: MIT */
/* The application: the terminal set up and always restored, the stack of
 * screens, the key loop, and live refresh when others change the data. */
#include "ui/ui-internal.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <term.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "util/i18n.h"
#include "util/priv.h"
#include "util/utf8.h"

/* How often to look for changes made by other processes. */
#define POLL_MS 500

static volatile sig_atomic_t got_signal;

/* The terminal's input has hung up or been closed: the screens end as for
 * SIGHUP. */
static bool input_lost;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Bracketed paste: the terminal marks pasted text, so that a paste holding
 * a Tab or a newline cannot press buttons or keys. The sequences come from
 * terminfo (BE, BD, PS, PE) where the entry has them, else xterm's. */
static struct {
	const char *on, *off, *begin, *end;
} paste = {"\033[?2004h", "\033[?2004l", "\033[200~", "\033[201~"};

/* A terminfo string capability, or NULL when the terminal has none. */
static const char *
cap(const char *name)
{
	char *s = tigetstr(name);

	return s && s != (char *)-1 && *s ? s : NULL;
}

/* Copies, as they are used after the terminal's entry is freed (at
 * exit). */
static void
paste_from_terminfo(void)
{
	static char on[32], off[32], begin[32], end[32];
	const char *be = cap("BE"), *bd = cap("BD"), *ps = cap("PS"),
		   *pe = cap("PE");

	if (!be || !bd || !ps || !pe || strlen(be) >= sizeof on ||
	    strlen(bd) >= sizeof off || strlen(ps) >= sizeof begin ||
	    strlen(pe) >= sizeof end)
		return;
	paste.on = strcpy(on, be);
	paste.off = strcpy(off, bd);
	paste.begin = strcpy(begin, ps);
	paste.end = strcpy(end, pe);
}

void
ui_paste(bool on)
{
	fputs(on ? paste.on : paste.off, stdout);
}

/* Whatever way the program ends, the terminal is given back. */
static void
restore_terminal(void)
{
	if (!isendwin()) {
		fputs(paste.off, stdout);
		fflush(stdout);
		endwin();
	}
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait for a key returns, and the loop ends.
	 * SIGQUIT (Ctrl-\ in cbreak mode) too: by default it would end the
	 * program with the terminal left raw and a demo's files behind. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

void
ui_push(struct ui_app *app, struct ui_screen *scr)
{
	if (!scr)
		return;
	if (app->depth == (int)(sizeof app->stack / sizeof *app->stack)) {
		scr->ops->destroy(scr);
		return;
	}
	scr->app = app;
	app->stack[app->depth++] = scr;
}

void
ui_pop(struct ui_app *app)
{
	struct ui_screen *top;

	if (app->depth == 0)
		return;
	top = app->stack[--app->depth];
	top->ops->destroy(top);
}

void
ui_message_clear(struct ui_app *app)
{
	app->message[0] = '\0';
}

void
ui_message(struct ui_app *app, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_is_error = error;
	/* One rule in the footer: a message starts as a sentence does,
	 * whether the screens wrote it or the core did (the core's messages
	 * start in lower case, for the command line's "deploydesk: ..."). */
	if (app->message[0] >= 'a' && app->message[0] <= 'z')
		app->message[0] = (char)(app->message[0] - 'a' + 'A');
}

void
ui_changed(struct ui_app *app)
{
	struct dd_error err = {0};

	core_data_version(app->s, &app->data_version, &err);
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i]->ops->reload)
			app->stack[i]->ops->reload(app->stack[i]);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Another process committed: read again, keeping each screen's place. */
static void
poll_changes(struct ui_app *app)
{
	struct dd_error err = {0};
	int64_t v;

	if (core_data_version(app->s, &v, &err) != DD_OK)
		return;
	if (v != app->data_version) {
		app->data_version = v;
		for (int i = 0; i < app->depth; i++)
			if (app->stack[i]->ops->reload)
				app->stack[i]->ops->reload(app->stack[i]);
	}
}

/* Whether a dialog is open, whose contents q would throw away. */
static bool
form_open(const struct ui_app *app)
{
	return app->depth > 0 && app->stack[app->depth - 1]->ops->modal;
}

/* Below the minimum size: what to do. A form being filled waits for the
 * terminal to grow again; q quits only when nothing would be lost. */
static void
draw_too_small(const struct ui_app *app)
{
	char size[64], need[64];

	erase();
	snprintf(size, sizeof size, _("Terminal too small: %dx%d."), COLS,
		 LINES);
	snprintf(need, sizeof need, _("deploydesk needs %dx%d."), UI_MIN_COLS,
		 UI_MIN_LINES);
	ui_text(0, 0, size, COLS, A_BOLD);
	ui_text(1, 0, need, COLS, A_BOLD);
	ui_text(2, 0,
		form_open(app) ? _("Enlarge it: the form waits.")
			       : _("Enlarge it, or press q to quit."),
		COLS, A_NORMAL);
}

/* Draws the top screen and, under a dialog, the screens it covers. */
static void
draw_stack(struct ui_app *app)
{
	int base = app->depth - 1;

	while (base > 0 && app->stack[base]->ops->modal)
		base--;
	app->cursor_on = false;
	for (int i = base; i < app->depth; i++)
		app->stack[i]->ops->draw(app->stack[i]);
	/* A hidden cursor is left where the update ends: moving it back to
	 * the last drawing position costs bytes on every key. */
	leaveok(stdscr, !app->cursor_on);
	if (app->cursor_on) {
		move(app->cursor_y, app->cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
}

/* Whether the terminal's input has hung up or been closed. Asked when
 * get_wch() found no key: a process without a controlling terminal
 * (setsid, su -c, runuser) gets no SIGHUP when its terminal goes away, and
 * get_wch() then returns ERR at once, forever. Nothing is read, so a key
 * that arrives meanwhile is still there for get_wch(). Standard input is
 * a terminal (run_screens() in cli-main.c refuses anything else), and a
 * terminal that hangs up or whose other side closes reports POLLHUP. */
static bool
input_gone(void)
{
	struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};

	return poll(&in, 1, 0) == 1 &&
	       (in.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* Whether a binding's may allows it now (err, which may be NULL, says why
 * not). */
static bool
allowed(struct ui_screen *self, const struct ui_binding *b,
	struct dd_error *err)
{
	return !b->may || b->may(self, err) == DD_OK;
}

bool
ui_binding_now(struct ui_screen *self, const struct ui_binding *b)
{
	if (!allowed(self, b, NULL))
		return false;
	for (const struct ui_binding *e = self->ops->bindings; b->key && e != b;
	     e++)
		if (e->key == b->key && e->function == b->function && e->run &&
		    allowed(self, e, NULL))
			return false;
	return true;
}

/* What a key does now on the top screen: the first of its bindings whose
 * may allows it, or NULL; when each refuses, why says why the first
 * does. */
static const struct ui_binding *
binding_now(struct ui_screen *top, struct ui_key k, struct dd_error *why)
{
	bool refused = false;

	for (const struct ui_binding *b = top->ops->bindings; b && b->name;
	     b++) {
		if (!b->key || b->key != k.code || b->function != k.function ||
		    !b->run)
			continue;
		if (allowed(top, b, refused ? NULL : why))
			return b;
		refused = true;
	}
	return NULL;
}

/* A key the screen has no use for says so, rather than doing nothing in
 * silence. */
static void
unknown_key(struct ui_app *app, struct ui_key k)
{
	char key[5] = {0};

	utf8_encode((uint32_t)k.code, key);
	/* TRANSLATORS: %s is a key ("z"). */
	ui_message(app, false,
		   _("The key %s does nothing here: ? lists this screen's "
		     "keys"),
		   key);
}

/* A key for the top screen: its own handler first (moving, typing), then
 * its table; a key whose action is not allowed now says why, and a key
 * the screen does not know says so. */
static void
dispatch(struct ui_app *app, struct ui_key k)
{
	struct ui_screen *top = app->stack[app->depth - 1];
	const struct ui_screen_ops *ops = top->ops;
	const struct ui_binding *b;
	struct dd_error err = {0};
	enum ui_result res = UI_UNHANDLED;

	/* Pasted text is typed into a field, or dropped: it never runs as
	 * commands. */
	if (k.pasted && !ops->takes_paste)
		return;
	/* A key press answers the last message, which then goes. */
	if (!ops->modal)
		ui_message_clear(app);
	if (ops->key)
		res = ops->key(top, k);
	if (res == UI_UNHANDLED && ops->bindings && !k.function &&
	    k.code == L'?') {
		ui_push(app, screen_help_new(app, ops->bindings));
		return;
	}
	if (res == UI_UNHANDLED && (b = binding_now(top, k, &err)))
		res = b->run(top);
	else if (res == UI_UNHANDLED && err.code != DD_OK)
		ui_message(app, true, "%s", err.msg);
	else if (res == UI_UNHANDLED && ops->bindings && !k.function &&
		 iswgraph(k.code))
		unknown_key(app, k);
	if (res == UI_POP)
		ui_pop(app);
	else if (res == UI_QUIT)
		app->quit = true;
}

static void
run_loop(struct ui_app *app)
{
	long long last_poll = now_ms();

	while (!app->quit && !got_signal && app->depth > 0) {
		bool small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
		struct ui_key k;
		wint_t wc;
		int r;

		if (small)
			draw_too_small(app);
		else
			draw_stack(app);
		refresh();
		r = get_wch(&wc);
		if (now_ms() - last_poll >= POLL_MS) {
			poll_changes(app);
			last_poll = now_ms();
		}
		if (r == ERR) {
			if (input_gone()) {
				input_lost = true;
				break;
			}
			continue;
		}
		k.code = wc;
		k.function = r == KEY_CODE_YES;
		k.pasted = app->pasting;
		if (k.function && wc == KEY_RESIZE)
			continue;
		if (k.function &&
		    (wc == UI_KEY_PASTE_BEGIN || wc == UI_KEY_PASTE_END)) {
			app->pasting = wc == UI_KEY_PASTE_BEGIN;
			continue;
		}
		if (small) {
			if (!k.function && (wc == L'q' || wc == 27) &&
			    !form_open(app))
				app->quit = true;
			continue;
		}
		dispatch(app, k);
	}
}

/* Above the first screen, "À traiter" when anything waits for the
 * person: q goes on to the screen they would have had. */
static void
inbox_first(struct ui_app *app)
{
	struct ui_screen *inbox = screen_inbox_new(app);

	if (ui_inbox_count(inbox))
		ui_push(app, inbox);
	else
		inbox->ops->destroy(inbox);
}

/* Opens the first screen: the project given, or the only project there
 * is, or the picker, with "À traiter" above these two when anything
 * waits (a project asked for by name opens as asked). */
static enum dd_code
first_screen(struct ui_app *app, const char *project_ref, struct dd_error *err)
{
	struct core_project p;
	enum dd_code code;

	if (project_ref) {
		code = core_project_open(app->s, project_ref, &p, err);
		if (code)
			return code;
		ui_push(app, screen_deploys_take(app, &p));
		core_project_free(&p);
		return DD_OK;
	}
	{
		struct ui_screen *picker = screen_projects_new(app);
		char id[UUID_SIZE];
		int first = ui_projects_first(picker, id, &p);

		if (first == 2) {
			picker->ops->destroy(picker);
			ui_push(app, screen_deploys_take(app, &p));
			core_project_free(&p);
		} else {
			ui_push(app, picker);
			if (first)
				ui_push(app, screen_deploys_new(app, id));
		}
	}
	inbox_first(app);
	return DD_OK;
}

/* Why newterm() failed, naming a terminal type that works. While the
 * setgid shared install holds its group, ncurses reads only the system's
 * terminfo (it ignores TERMINFO and ~/.terminfo, and priv_init() dropped
 * TERMINFO anyway). */
static enum dd_code
terminal_refused(struct dd_error *err)
{
	const char *term = getenv("TERM");

	if (!term || !*term)
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("cannot use this terminal: TERM is unset (try "
				 "TERM=xterm-256color)"));
	if (priv_held())
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("terminal type '%s' is not in the system's "
				 "terminfo database (a private entry is not "
				 "used by the shared install): try "
				 "TERM=xterm-256color"),
			       term);
	return dd_fail(err, DD_ERR_RUNTIME,
		       _("cannot use this terminal: terminal type '%s' is "
			 "unknown (try TERM=xterm-256color)"),
		       term);
}

int
ui_run(struct core_session *s, const char *project_ref, struct dd_error *err)
{
	struct ui_app app;
	SCREEN *screen;
	enum dd_code code;

	memset(&app, 0, sizeof app);
	app.s = s;
	core_data_version(s, &app.data_version, err);
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return terminal_refused(err);
	/* A terminal that cannot place the cursor (TERM=dumb, a printing
	 * terminal) cannot show screens. */
	if (!cap("cup")) {
		const char *term = getenv("TERM");

		endwin();
		delscreen(screen);
		return dd_fail(err, DD_ERR_RUNTIME,
			       _("terminal type '%s' cannot place the cursor: "
				 "the screens need one that can (try "
				 "TERM=xterm-256color), and scripts a "
				 "command"),
			       term ? term : "");
	}
	atexit(restore_terminal);
	catch_signals();
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(250);
	paste_from_terminfo();
	define_key(paste.begin, UI_KEY_PASTE_BEGIN);
	define_key(paste.end, UI_KEY_PASTE_END);
	fputs(paste.on, stdout);
	fflush(stdout);
	ui_colors_init(&app);
	code = first_screen(&app, project_ref, err);
	if (!code) {
		struct dd_error why = {0};

		/* Said before anyone fills a form that could not be saved. */
		if (core_schema_check(s, &why))
			ui_message(&app, true, "%s", why.msg);
		run_loop(&app);
	}
	while (app.depth > 0)
		ui_pop(&app);
	restore_terminal();
	delscreen(screen);
	if (!code && got_signal && got_signal != SIGINT)
		code = dd_fail(err, DD_ERR_RUNTIME, _("stopped by signal %d"),
			       (int)got_signal);
	else if (!code && input_lost)
		code = dd_fail(err, DD_ERR_RUNTIME,
			       _("stopped: the terminal has gone away (its "
				 "input hung up or was closed)"));
	return code;
}
