/* SPDX-License-Identifier: MIT */
/* Commands for the audit trail: list it, verify its chain. */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/priv.h"
#include "util/readfile.h"
#include "util/strbuf.h"

/* Records read by one statement of audit list; streamed, not held. */
#define AUDIT_PAGE 5000

/* The most checkpoint text read: a journal of many commits fits; a larger
 * one can be filtered first on the database's id. */
#define CHECKPOINT_FILE_MAX (256u * 1024 * 1024)

/* An OS account for people: "alice (1001)", or the number alone when the
 * password database has no name for it. */
static void
account_text(int64_t uid, char *out, size_t size)
{
	struct passwd *pw = uid >= 0 ? getpwuid((uid_t)uid) : NULL;

	if (uid < 0)
		snprintf(out, size, "-");
	else if (pw && pw->pw_name)
		snprintf(out, size, "%s (%lld)", pw->pw_name, (long long)uid);
	else
		snprintf(out, size, "%lld", (long long)uid);
}

/* An OS account's text, remembered for the last uid asked: a trail's
 * records come from few accounts, and the password database is read
 * once for each change of account rather than once for each record. */
struct account_memo {
	bool known;
	int64_t uid;
	char text[96];
};

static const char *
account_memo_text(struct account_memo *m, int64_t uid)
{
	if (!m->known || m->uid != uid) {
		account_text(uid, m->text, sizeof m->text);
		m->uid = uid;
		m->known = true;
	}
	return m->text;
}

/* What the row callback of audit list needs. */
struct audit_listing {
	struct cli_list *l;
	bool table;
	struct account_memo account, session;
	char ts[TIME_ISO_SIZE]; /* the last time shown, and how */
	char when[32];
};

/* "%lld" of v, without printf's machinery (three a record). */
static void
int_text(int64_t v, char out[24])
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[i++] = '-';
	while (n)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

/* Writes one record of audit list as it is read. The words for people
 * (accounts by name, local times, short ids) only in a table. */
static void
audit_list_row(const struct audit_row *r, void *data)
{
	struct audit_listing *al = data;
	char seq[24], object[16], uid[24], login_uid[24];
	const char *account = NULL, *session = NULL, *when = NULL;

	int_text(r->seq, seq);
	int_text(r->uid, uid);
	int_text(r->login_uid, login_uid);
	if (al->table) {
		account = account_memo_text(&al->account, r->uid);
		session = account_memo_text(&al->session, r->login_uid);
		if (strcmp(al->ts, r->ts) != 0) {
			time_local_display(r->ts, al->when, sizeof al->when);
			memcpy(al->ts, r->ts, sizeof al->ts);
		}
		when = al->when;
		snprintf(object, sizeof object, "%.8s",
			 r->entity_id ? r->entity_id : "(null)");
	}
	struct cli_cell cells[] = {
	    {seq, NULL, CELL_NUMBER},
	    {r->ts, when, CELL_STRING},
	    {r->login, NULL, CELL_STRING},
	    {uid, account, CELL_NUMBER},
	    {r->login_uid >= 0 ? login_uid : NULL, session, CELL_NUMBER},
	    {r->host, NULL, CELL_STRING},
	    {r->action, NULL, CELL_STRING},
	    {r->entity_id, al->table ? object : NULL, CELL_STRING},
	    {r->before, NULL, CELL_JSON},
	    {r->after, NULL, CELL_JSON},
	};
	cli_list_row(al->l, cells);
}

/* Lists the trail (or a project's records), streamed a page at a time. */
int
cli_audit_list(struct cli_ctx *ctx, const struct cli_args *a)
{
	const char *project_ref = a->nops ? a->ops[0] : NULL;
	size_t limit = 0;
	static const char *const keys[] = {
	    "seq",  "ts",     "login",	   "uid",    "login_uid",
	    "host", "action", "entity_id", "before", "after"};
	const char *headers[] = {
	    _("#"),	     _("When"),		_("Who"),
	    _("OS account"), _("Logged in as"), _("Host"),
	    _("Action"),     _("Object"),	_("Before"),
	    _("After")};
	struct audit_listing al = {.table = ctx->format == FORMAT_TABLE};
	struct dd_error err = {0};
	struct core_project p;
	struct core_audit_query q;
	int64_t after = 0;
	enum dd_code code;

	memset(&p, 0, sizeof p);
	if (cli_limit(a, &limit))
		return DD_ERR_INPUT;
	code = cli_open(ctx, &err);
	if (!code)
		code = core_audit_filter(ctx->s, a->opt[OPT_FROM],
					 a->opt[OPT_TO], a->opt[OPT_USER],
					 a->opt[OPT_ACTION], &q, &err);
	if (!code && project_ref) {
		code = core_project_open(ctx->s, project_ref, &p, &err);
		q.filter.project_id = p.project.id;
	}
	if (code)
		return cli_fail(code, &err);
	al.l = cli_list_begin(ctx, 10, keys, headers);
	for (;;) {
		size_t n,
		    want = limit && limit < AUDIT_PAGE ? limit : AUDIT_PAGE;

		code = core_audit_rows(ctx->s, &q.filter, &after, (int)want,
				       audit_list_row, &al, &n, &err);
		if (code || n < want || (limit && (limit -= n) == 0))
			break;
	}
	cli_list_finish(al.l, code == DD_OK);
	if (project_ref)
		core_project_free(&p);
	return code ? cli_fail(code, &err) : 0;
}

/* Says, on standard error, that this host has no syslog socket: the
 * trail's head is then anchored nowhere but in the checkpoints people
 * keep. */
void
cli_note_syslog(void)
{
	if (!core_audit_syslog_available())
		cli_error(_("note: this host has no syslog socket (/dev/log), "
			    "so the audit trail's head is not sent to syslog "
			    "after each change; keep checkpoints with "
			    "'deploydesk audit checkpoint' instead"));
}

/* The checkpoints of FILE ("-": standard input). */
static enum dd_code
read_checkpoints(const char *file, struct core_checkpoint_list *out,
		 struct dd_error *err)
{
	struct strbuf text = STRBUF_INIT;
	struct dd_error why = {0};
	enum dd_code code;

	code = read_file_limit(file, CHECKPOINT_FILE_MAX, &text, err);
	if (!code && text.len > CHECKPOINT_FILE_MAX)
		code = dd_fail(err, DD_ERR_INPUT,
			       _("%s is larger than %u MiB: keep only this "
				 "database's lines (grep its id)"),
			       file, CHECKPOINT_FILE_MAX / (1024 * 1024));
	if (!code &&
	    core_checkpoint_parse(strbuf_str(&text), text.len, out, &why))
		/* TRANSLATORS: the checkpoints file's name, then what is
		   wrong in it. */
		code = dd_fail(err, DD_ERR_INPUT, _("%s: %s"), file, why.msg);
	/* An empty file (a first run of a cron job) says nothing of the
	 * record: a mistake in what was given, not damage. */
	if (!code && out->count == 0)
		code = dd_fail(err, DD_ERR_INPUT,
			       _("%s holds no checkpoint line; make one with "
				 "'deploydesk audit checkpoint >> %s'"),
			       file, file);
	strbuf_release(&text);
	return code;
}

/* The report as people read it, or as a record for scripts. */
static void
report(struct cli_ctx *ctx, const struct core_audit_report *rep)
{
	char records[24], rows[24], cps[24], bad[24];
	struct cli_record *r;

	snprintf(records, sizeof records, "%lld", (long long)rep->records);
	snprintf(rows, sizeof rows, "%lld", (long long)rep->rows);
	snprintf(cps, sizeof cps, "%lld", (long long)rep->checkpoints);
	snprintf(bad, sizeof bad, "%lld", (long long)rep->first_bad);
	if (ctx->format == FORMAT_TABLE) {
		if (!rep->intact)
			cli_error(_("audit verify: the record is damaged: %s"),
				  rep->problem);
		else
			cli_say(ctx,
				_("audit trail intact; checked: records %s, "
				  "table rows %s, checkpoints %s"),
				records, rows, cps);
		return;
	}
	r = cli_record_begin(ctx);
	cli_record_field(r, "intact", _("Intact"),
			 (struct cli_cell){rep->intact ? "true" : "false", NULL,
					   CELL_NUMBER});
	cli_record_field(r, "records", _("Records"),
			 (struct cli_cell){records, NULL, CELL_NUMBER});
	cli_record_field(r, "rows", _("Rows"),
			 (struct cli_cell){rows, NULL, CELL_NUMBER});
	cli_record_field(r, "checkpoints", _("Checkpoints"),
			 (struct cli_cell){cps, NULL, CELL_NUMBER});
	cli_record_field(
	    r, "first_bad", _("First bad record"),
	    (struct cli_cell){rep->first_bad ? bad : NULL, NULL, CELL_NUMBER});
	cli_record_field(r, "table", _("Table"),
			 (struct cli_cell){rep->table[0] ? rep->table : NULL,
					   NULL, CELL_STRING});
	cli_record_field(r, "row", _("Row"),
			 (struct cli_cell){rep->row[0] ? rep->row : NULL, NULL,
					   CELL_STRING});
	cli_record_field(r, "column", _("Column"),
			 (struct cli_cell){rep->column[0] ? rep->column : NULL,
					   NULL, CELL_STRING});
	cli_record_field(r, "problem", _("Problem"),
			 (struct cli_cell){rep->intact ? NULL : rep->problem,
					   NULL, CELL_STRING});
	cli_record_end(r);
}

int
cli_audit_verify(struct cli_ctx *ctx, const struct cli_args *a)
{
	const char *checkpoint_file = a->opt[OPT_CHECKPOINT];
	struct core_checkpoint_list cps = {0};
	struct core_audit_report rep;
	struct dd_error err = {0};
	enum dd_code code;

	code = cli_open(ctx, &err);
	if (!code && checkpoint_file)
		code = read_checkpoints(checkpoint_file, &cps, &err);
	if (!code)
		code = core_audit_verify(ctx->s, checkpoint_file ? &cps : NULL,
					 &rep, &err);
	core_checkpoint_list_free(&cps);
	if (code)
		return cli_fail(code, &err);
	report(ctx, &rep);
	cli_note_syslog();
	return rep.intact ? 0 : DD_ERR_RUNTIME;
}

/* Prints the checkpoint line of the trail's head, once the whole record
 * is verified: a checkpoint vouches for what it names. */
int
cli_audit_checkpoint(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct core_audit_report rep;
	struct dd_error err = {0};
	char line[CORE_CHECKPOINT_SIZE];
	enum dd_code code;

	(void)a;
	code = cli_open(ctx, &err);
	if (!code)
		code = core_audit_verify(ctx->s, NULL, &rep, &err);
	if (!code && !rep.intact)
		code = dd_fail(&err, DD_ERR_RUNTIME,
			       _("no checkpoint: the record is damaged: %s"),
			       rep.problem);
	if (!code)
		code = core_audit_checkpoint(ctx->s, line, &err);
	if (code)
		return cli_fail(code, &err);
	printf("%s\n", line);
	return 0;
}

/* The evidence folder, written with the person's own rights: the group
 * is set aside around every mkdir and open, as around any file a person
 * names (tech notes, section 2). */
struct folder {
	int dir;  /* the folder */
	int file; /* the file being written, or -1 */
	const char *name;
	bool made; /* by this export: removed when it is refused */
};

static enum dd_code
io_fail(struct dd_error *err, const char *dir, const char *path)
{
	return dd_fail(err, DD_ERR_RUNTIME, _("%s/%s: %s"), dir, path,
		       strerror(errno));
}

static enum dd_code
folder_mkdir(void *data, const char *path, struct dd_error *err)
{
	struct folder *f = data;
	gid_t held;
	int rc;

	if (!priv_aside(&held))
		return io_fail(err, f->name, path);
	rc = mkdirat(f->dir, path, 0777);
	priv_restore(held);
	return rc ? io_fail(err, f->name, path) : DD_OK;
}

static enum dd_code
folder_open(void *data, const char *path, struct dd_error *err)
{
	struct folder *f = data;
	gid_t held;

	if (!priv_aside(&held))
		return io_fail(err, f->name, path);
	f->file =
	    openat(f->dir, path,
		   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	priv_restore(held);
	return f->file < 0 ? io_fail(err, f->name, path) : DD_OK;
}

static enum dd_code
folder_write(void *data, const void *buf, size_t len, struct dd_error *err)
{
	struct folder *f = data;
	const char *p = buf;

	while (len) {
		ssize_t n = write(f->file, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_fail(err, f->name, "");
		p += n;
		len -= (size_t)n;
	}
	return DD_OK;
}

static enum dd_code
folder_close(void *data, struct dd_error *err)
{
	struct folder *f = data;
	int rc = close(f->file);

	f->file = -1;
	return rc ? io_fail(err, f->name, "") : DD_OK;
}

/* Makes dir (or takes it empty), with the person's own rights. */
static enum dd_code
folder_make(const char *dir, struct folder *f, struct dd_error *err)
{
	gid_t held;
	DIR *d;
	struct dirent *e;
	bool empty = true;

	f->name = dir;
	f->file = -1;
	if (!priv_aside(&held))
		return io_fail(err, dir, "");
	f->made = mkdir(dir, 0777) == 0;
	if (!f->made && errno != EEXIST) {
		priv_restore(held);
		return dd_fail(err, DD_ERR_INPUT, _("%s: %s"), dir,
			       strerror(errno));
	}
	f->dir = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	priv_restore(held);
	if (f->dir < 0)
		return dd_fail(err, DD_ERR_INPUT, _("%s: %s"), dir,
			       strerror(errno));
	d = fdopendir(dup(f->dir));
	while (d && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	if (d)
		closedir(d);
	if (!empty) {
		close(f->dir);
		return dd_fail(err, DD_ERR_INPUT,
			       _("%s: not empty; the evidence goes into a new "
				 "folder"),
			       dir);
	}
	return DD_OK;
}

int
cli_export_evidence(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	struct folder f;
	struct core_evidence_sink sink = {&f, folder_mkdir, folder_open,
					  folder_write, folder_close};
	struct core_evidence_report r;
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE];
	enum dd_code code;

	if (!a->ops[0][0])
		return cli_usage(_("%s: DIR is empty"), a->name);
	/* The period is checked before anything is made. */
	code = core_period(a->opt[OPT_FROM], a->opt[OPT_TO], from, to, &err);
	if (!code)
		code = cli_open(ctx, &err);
	if (!code)
		code = folder_make(a->ops[0], &f, &err);
	if (code)
		return cli_fail(code, &err);
	code = core_evidence(ctx->s, a->opt[OPT_FROM], a->opt[OPT_TO],
			     a->opt[OPT_PROJECT], a->opt[OPT_ENV], &sink, &r,
			     &err);
	if (f.file >= 0)
		close(f.file);
	/* Refused before any file was written (an unknown project or
	 * environment): the folder it made goes, as if never asked. */
	if (code && f.made && !r.files) {
		gid_t held;

		if (priv_aside(&held)) {
			unlinkat(f.dir, "changes", AT_REMOVEDIR);
			rmdir(a->ops[0]);
			priv_restore(held);
		}
	}
	close(f.dir);
	if (code)
		return cli_fail(code, &err);
	cli_done(ctx,
		 ngettext_("Wrote the evidence of %lld deployment into %s "
			   "(%lld files; check them with sha256sum -c "
			   "MANIFEST.sha256)",
			   "Wrote the evidence of %lld deployments into %s "
			   "(%lld files; check them with sha256sum -c "
			   "MANIFEST.sha256)",
			   (unsigned long)r.deployments),
		 (long long)r.deployments, a->ops[0], (long long)r.files);
	return 0;
}

int
cli_audit_rebuild_figures(struct cli_ctx *ctx, const struct cli_args *a)
{
	struct dd_error err = {0};
	enum dd_code code;
	int64_t days = 0;

	(void)a;
	code = cli_open(ctx, &err);
	if (!code)
		code = core_figures_rebuild(ctx->s, &days, &err);
	if (code)
		return cli_fail(code, &err);
	cli_done(ctx,
		 ngettext_("Rebuilt the delivery figures of %lld day from the "
			   "deployments",
			   "Rebuilt the delivery figures of %lld days from the "
			   "deployments",
			   (unsigned long)days),
		 (long long)days);
	return 0;
}
