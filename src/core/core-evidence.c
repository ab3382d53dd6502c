/* SPDX-License-Identifier: MIT */
/* The evidence an auditor takes away: every deployment of a period with
 * who created, approved and executed it and whether separation of duties
 * held, the exceptions, the grants of roles, a page per deployment with
 * its trail, the trail itself with its hashes, audit verify's report, a
 * README and a manifest of SHA-256 sums. The core makes the files' bytes
 * and hands them to a sink (the command line writes them); the same
 * database and arguments give the same bytes: no time inside but the
 * trail's. Deployments are read one at a time: memory does not grow with
 * the period. */
#include "core/core-internal.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/textfmt.h"

struct manifest_entry {
	char *path;
	uint8_t sum[SHA256_DIGEST_SIZE];
};

struct evidence {
	struct core_session *s;
	const struct core_evidence_sink *sink;
	struct core_evidence_report *report;
	struct sha256_ctx sha;
	char *path;
	struct manifest_entry *manifest;
	size_t nmanifest, capmanifest;
	struct strbuf buf; /* what is being written, flushed in chunks */
	bool pages;	   /* the second pass: the change pages */
	/* The third: the pages' sums into the manifest, as they are made
	 * again (not kept in memory: a period of many deployments would
	 * take memory in proportion). */
	bool listing;
	const struct project *projects; /* the export's */
	size_t nprojects;
	const char *env_label; /* the environment asked, or NULL */
	const struct core_project *project;
	char from[TIME_ISO_SIZE], to[TIME_ISO_SIZE];
	enum dd_code code;
	struct dd_error *err;
};

/* ---- Files: each summed as it is written ---- */

static void
file_open(struct evidence *ev, const char *path)
{
	if (ev->code)
		return;
	ev->code = ev->sink->open(ev->sink->data, path, ev->err);
	sha256_init(&ev->sha);
	free(ev->path);
	ev->path = xstrdup(path);
	strbuf_reset(&ev->buf);
}

static void
flush(struct evidence *ev)
{
	if (!ev->code && ev->buf.len) {
		sha256_update(&ev->sha, ev->buf.len,
			      (const uint8_t *)ev->buf.buf);
		ev->code = ev->sink->write(ev->sink->data, ev->buf.buf,
					   ev->buf.len, ev->err);
	}
	strbuf_reset(&ev->buf);
}

static void
maybe_flush(struct evidence *ev)
{
	if (ev->buf.len >= 65536)
		flush(ev);
}

static void
file_close(struct evidence *ev)
{
	struct manifest_entry *m;

	flush(ev);
	if (ev->code)
		return;
	ev->code = ev->sink->close(ev->sink->data, ev->err);
	ev->report->files++;
	/* A change page is summed again by the listing pass. */
	if (ev->pages)
		return;
	if (ev->nmanifest == ev->capmanifest) {
		ev->capmanifest = ev->capmanifest ? 2 * ev->capmanifest : 32;
		ev->manifest = xrealloc(ev->manifest,
					ev->capmanifest * sizeof *ev->manifest);
	}
	m = &ev->manifest[ev->nmanifest++];
	m->path = ev->path;
	ev->path = NULL;
	sha256_digest(&ev->sha, sizeof m->sum, m->sum);
}

/* A line of the manifest, into the open MANIFEST.sha256. */
static void
manifest_line(struct evidence *ev, const uint8_t sum[SHA256_DIGEST_SIZE],
	      const char *path)
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];

	core_hex(sum, SHA256_DIGEST_SIZE, hex);
	strbuf_addf(&ev->buf, "%s  %s\n", hex, path);
	maybe_flush(ev);
}

/* A change page: written, or in the listing pass summed into the
 * manifest. */
static void
page_file(struct evidence *ev, const char *path, const struct strbuf *text)
{
	if (ev->listing) {
		struct sha256_ctx c;
		uint8_t sum[SHA256_DIGEST_SIZE];

		sha256_init(&c);
		sha256_update(&c, text->len, (const uint8_t *)strbuf_str(text));
		sha256_digest(&c, sizeof sum, sum);
		manifest_line(ev, sum, path);
		return;
	}
	file_open(ev, path);
	strbuf_add(&ev->buf, text->buf ? text->buf : "", text->len);
	file_close(ev);
}

/* ---- CSV ---- */

/* A CSV cell: quoted when it must be, a formula's first character made
 * harmless for a spreadsheet (as --csv-safe does). */
static void
csv_cell(struct strbuf *sb, const char *s, bool last)
{
	const char *p = s ? s : "";
	bool formula = *p && strchr("=+-@\t\r", *p);
	bool quote = formula || strpbrk(p, ",\"\r\n") != NULL;

	if (quote)
		strbuf_addch(sb, '"');
	if (formula)
		strbuf_addch(sb, '\'');
	for (; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	if (quote)
		strbuf_addch(sb, '"');
	strbuf_addstr(sb, last ? "\r\n" : ",");
}

static void
csv_row(struct strbuf *sb, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_cell(sb, cells[i], i + 1 == n);
}

/* ---- HTML ---- */

static void
html_text(struct strbuf *sb, const char *s)
{
	char *safe = sanitize_dup(s ? s : "", SANITIZE_TEXT);

	for (const char *p = safe; *p; p++)
		switch (*p) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		default:
			strbuf_addch(sb, *p);
		}
	free(safe);
}

/* ---- One deployment ---- */

/* Separation of duties, for an executed deployment: someone other than
 * its creator approved it, and whoever executed it did not approve it. */
static bool
sod_holds(const struct task *t, const struct approval_list *a)
{
	bool other = false;

	for (size_t i = 0; i < a->count; i++) {
		if (a->items[i].by.id != t->created_by.id)
			other = true;
		if (a->items[i].by.id == t->executed_by.id)
			return false;
	}
	return other;
}

/* A field of a change page, in text and in HTML. */
static void
page_field(struct strbuf *txt, struct strbuf *html, const char *label,
	   const char *value)
{
	char *safe = sanitize_dup(value ? value : "-", SANITIZE_TEXT);

	strbuf_addf(txt, "%s: %s\n", label, safe);
	free(safe);
	strbuf_addstr(html, "<tr><th>");
	html_text(html, label);
	strbuf_addstr(html, "</th><td>");
	html_text(html, value ? value : "-");
	strbuf_addstr(html, "</td></tr>\n");
}

/* The deployment's page, its trail record by record in words. */
static void
change_pages(struct evidence *ev, const struct task *t,
	     const struct approval_list *a)
{
	struct strbuf txt = STRBUF_INIT, html = STRBUF_INIT, who = STRBUF_INIT;
	struct audit_list l;
	int64_t after = 0;
	char path[96];

	strbuf_addstr(&html, "<!DOCTYPE html>\n<html><head><meta "
			     "charset=\"utf-8\"><title>");
	html_text(&html, t->version);
	strbuf_addstr(&html, "</title></head><body>\n<h1>");
	html_text(&html, t->version);
	strbuf_addstr(&html, "</h1>\n<table>\n");
	page_field(&txt, &html, _("Project"), ev->project->project.code);
	page_field(&txt, &html, _("Id"), t->id);
	page_field(&txt, &html, _("Version"), t->version);
	page_field(&txt, &html, _("Environment"), env_code(t->environment));
	page_field(&txt, &html, _("Status"), status_code(t->status));
	page_field(&txt, &html, _("Description"), t->description);
	page_field(&txt, &html, _("Created by"), t->created_by.login);
	for (size_t i = 0; i < a->count; i++)
		strbuf_addf(&who, "%s%s %s", i ? ", " : "",
			    a->items[i].by.login, a->items[i].approved_at);
	page_field(&txt, &html, _("Approvals"), strbuf_str(&who));
	page_field(&txt, &html, _("Executed by"), t->executed_by.login);
	page_field(&txt, &html, _("Back-out plan"), t->backout_plan);
	page_field(&txt, &html, _("Logs"), t->logs);
	strbuf_addstr(&html, "</table>\n<h2>");
	html_text(&html, _("History (audit trail)"));
	strbuf_addstr(&html, "</h2>\n<ol>\n");
	strbuf_addf(&txt, "\n%s\n", _("History (audit trail)"));
	while (!ev->code) {
		ev->code = core_audit_page(ev->s, NULL, t->id, after, 200, &l,
					   ev->err);
		if (ev->code)
			break;
		for (size_t i = 0; i < l.count; i++) {
			const struct audit_record *r = &l.items[i];
			struct core_change_list ch;

			strbuf_addf(&txt, "#%lld %s %s %s\n", (long long)r->seq,
				    r->ts, r->login, r->action);
			strbuf_addf(&html, "<li value=\"%lld\">",
				    (long long)r->seq);
			html_text(&html, r->ts);
			strbuf_addch(&html, ' ');
			html_text(&html, r->login);
			strbuf_addch(&html, ' ');
			html_text(&html, r->action);
			strbuf_addstr(&html, "<ul>");
			core_audit_changes(ev->s, r, &ch);
			for (size_t k = 0; k < ch.count; k++) {
				const struct core_change *c = &ch.items[k];
				char *v = sanitize_dup(c->after, SANITIZE_LINE);

				strbuf_addf(&txt, "    %s: %s\n", c->label, v);
				free(v);
				strbuf_addstr(&html, "<li>");
				html_text(&html, c->label);
				strbuf_addstr(&html, ": ");
				html_text(&html, c->after);
				strbuf_addstr(&html, "</li>");
			}
			core_change_list_free(&ch);
			strbuf_addstr(&html, "</ul></li>\n");
		}
		if (l.count)
			after = l.items[l.count - 1].seq;
		if (l.count < 200) {
			audit_list_free(&l);
			break;
		}
		audit_list_free(&l);
	}
	strbuf_addstr(&html, "</ol>\n</body></html>\n");
	snprintf(path, sizeof path, "changes/%s.txt", t->id);
	page_file(ev, path, &txt);
	snprintf(path, sizeof path, "changes/%s.html", t->id);
	page_file(ev, path, &html);
	strbuf_release(&txt);
	strbuf_release(&html);
	strbuf_release(&who);
}

static void
on_deployment(const char *id, void *data)
{
	struct evidence *ev = data;
	struct approval_list a = {0};
	struct strbuf approvers = STRBUF_INIT;
	struct task t;
	uint8_t sum[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1] = "", bytes[32] = "", exc[16];
	bool executed;

	if (ev->code)
		return;
	ev->code = model_task_get(ev->s->db, id, &t, ev->err);
	if (!ev->code && ev->pages) {
		ev->code = model_approvals(ev->s->db, t.id, &a, ev->err);
		if (!ev->code)
			change_pages(ev, &t, &a);
		approval_list_free(&a);
		task_free(&t);
		return;
	}
	if (ev->code)
		return;
	ev->code = model_approvals(ev->s->db, t.id, &a, ev->err);
	if (ev->code) {
		task_free(&t);
		return;
	}
	executed = t.status == STATUS_SUCCEEDED || t.status == STATUS_FAILED;
	for (size_t i = 0; i < a.count; i++)
		strbuf_addf(&approvers, "%s%s@%s", i ? " " : "",
			    a.items[i].by.login, a.items[i].approved_at);
	if (t.logs) {
		struct sha256_ctx c;

		sha256_init(&c);
		sha256_update(&c, strlen(t.logs), (const uint8_t *)t.logs);
		sha256_digest(&c, sizeof sum, sum);
		core_hex(sum, sizeof sum, hex);
		snprintf(bytes, sizeof bytes, "%zu", strlen(t.logs));
	}
	snprintf(exc, sizeof exc, "%d", t.exceptions);
	{
		const char *cells[] = {
		    ev->project->project.code,
		    t.id,
		    t.version,
		    env_code(t.environment),
		    status_code(t.status),
		    t.created_by.login,
		    t.created_at,
		    strbuf_str(&approvers),
		    t.authorized_at,
		    t.executed_by.login,
		    t.executed_at,
		    t.incident_id,
		    exc,
		    executed ? (sod_holds(&t, &a) ? "yes" : "no") : "",
		    bytes,
		    hex,
		};
		csv_row(&ev->buf, cells, sizeof cells / sizeof *cells);
		maybe_flush(ev);
	}
	ev->report->deployments++;
	strbuf_release(&approvers);
	approval_list_free(&a);
	task_free(&t);
}

/* ---- The period's trail ---- */

static void
hexcat(struct strbuf *sb, const uint8_t *b, size_t n)
{
	char hex[2 * 32 + 1];

	core_hex(b, n, hex);
	strbuf_addstr(sb, hex);
}

/* The code of the project of id among the export's, or NULL. */
static const char *
project_code(const struct evidence *ev, const char *id)
{
	for (size_t i = 0; id && i < ev->nprojects; i++)
		if (strcmp(ev->projects[i].id, id) == 0)
			return ev->projects[i].code;
	return NULL;
}

/* audit.jsonl and access.csv: one pass over the trail in the period. */
static void
trail_files(struct evidence *ev, struct strbuf *access)
{
	struct audit_list l;
	int64_t after = 0;

	file_open(ev, "audit.jsonl");
	while (!ev->code) {
		ev->code =
		    core_audit_page(ev->s, NULL, NULL, after, 500, &l, ev->err);
		if (ev->code)
			break;
		for (size_t i = 0; i < l.count; i++) {
			const struct audit_record *r = &l.items[i];

			if (strcmp(r->ts, ev->from) < 0 ||
			    strcmp(r->ts, ev->to) >= 0)
				continue;
			strbuf_addf(&ev->buf,
				    "{\"seq\":%lld,\"ts\":\"%s\","
				    "\"uid\":%lld,\"login\":",
				    (long long)r->seq, r->ts,
				    (long long)r->uid);
			json_add_string(&ev->buf, r->login);
			if (r->login_uid >= 0)
				strbuf_addf(&ev->buf, ",\"login_uid\":%lld",
					    (long long)r->login_uid);
			else
				strbuf_addstr(&ev->buf, ",\"login_uid\":null");
			strbuf_addstr(&ev->buf, ",\"action\":");
			json_add_string(&ev->buf, r->action);
			strbuf_addstr(&ev->buf, ",\"entity\":");
			json_add_string(&ev->buf, r->entity);
			strbuf_addstr(&ev->buf, ",\"entity_id\":");
			json_add_string(&ev->buf, r->entity_id);
			strbuf_addstr(&ev->buf, ",\"project_id\":");
			json_add_string(&ev->buf, r->project_id);
			strbuf_addstr(&ev->buf, ",\"before\":");
			json_add_string(&ev->buf, r->before);
			strbuf_addstr(&ev->buf, ",\"after\":");
			json_add_string(&ev->buf, r->after);
			strbuf_addstr(&ev->buf, ",\"host\":");
			json_add_string(&ev->buf, r->host);
			strbuf_addstr(&ev->buf, ",\"prev_hash\":\"");
			hexcat(&ev->buf, r->prev_hash, 32);
			strbuf_addstr(&ev->buf, "\",\"hash\":\"");
			hexcat(&ev->buf, r->hash, 32);
			strbuf_addstr(&ev->buf, "\"}\n");
			ev->report->records++;
			memcpy(ev->report->head, r->hash, 32);
			ev->report->head_seq = r->seq;
			maybe_flush(ev);
			if (!strncmp(r->action, "member.", 7) ||
			    !strncmp(r->action, "user.", 5) ||
			    !strncmp(r->action, "database.", 9)) {
				const char *code =
				    project_code(ev, r->project_id);
				char seq[32];
				const char *cells[] = {
				    seq,       r->ts,	  code ? code : "",
				    r->login,  r->action, r->entity_id,
				    r->before, r->after};

				/* Another project's grant is not this
				 * export's; an account's is every project's. */
				if (r->project_id && !code)
					continue;
				snprintf(seq, sizeof seq, "%lld",
					 (long long)r->seq);
				csv_row(access, cells, 8);
			}
		}
		if (l.count)
			after = l.items[l.count - 1].seq;
		if (l.count < 500) {
			audit_list_free(&l);
			break;
		}
		audit_list_free(&l);
	}
	file_close(ev);
}

/* exceptions.csv: every override opened in the period, with its review. */
static void
exceptions_file(struct evidence *ev, const struct project *projects, size_t n,
		time_t now)
{
	static const char *const head[] = {
	    "id",	 "project", "deployment_id", "version",
	    "action",	 "rules",   "reason",	     "opened_by",
	    "opened_at", "state",   "reviewed_by",   "reviewed_at",
	    "note"};

	file_open(ev, "exceptions.csv");
	csv_row(&ev->buf, head, sizeof head / sizeof *head);
	for (size_t p = 0; !ev->code && p < n; p++) {
		struct exception_list el = {0};

		ev->code = model_exceptions(ev->s->db, projects[p].id, false,
					    &el, ev->err);
		for (size_t i = 0; !ev->code && i < el.count; i++) {
			const struct exception *e = &el.items[i];
			char id[32];

			if (strcmp(e->opened_at, ev->from) < 0 ||
			    strcmp(e->opened_at, ev->to) >= 0)
				continue;
			snprintf(id, sizeof id, "%lld", (long long)e->id);
			const char *cells[] = {
			    id,
			    e->project_code,
			    e->task_id,
			    e->version,
			    e->action,
			    e->rules,
			    e->reason,
			    e->opened_by.login,
			    e->opened_at,
			    e->reviewed_by.id		     ? "reviewed"
			    : core_exception_overdue(e, now) ? "overdue"
							     : "open",
			    e->reviewed_by.id ? e->reviewed_by.login : "",
			    e->reviewed_at,
			    e->review_note};
			csv_row(&ev->buf, cells, sizeof cells / sizeof *cells);
			ev->report->exceptions++;
		}
		exception_list_free(&el);
	}
	file_close(ev);
}

static void
verify_file(struct evidence *ev)
{
	struct core_audit_report r;
	char hex[2 * 32 + 1];
	enum dd_code code = core_audit_verify(ev->s, NULL, &r, ev->err);

	if (code) {
		ev->code = code;
		return;
	}
	file_open(ev, "verify.txt");
	strbuf_addf(&ev->buf, "intact: %s\n", r.intact ? "yes" : "no");
	strbuf_addf(&ev->buf, "records checked: %lld\n", (long long)r.records);
	strbuf_addf(&ev->buf, "table rows compared: %lld\n", (long long)r.rows);
	if (!r.intact)
		strbuf_addf(&ev->buf,
			    "first bad record: %lld\ntable: %s\nrow: %s\n"
			    "column: %s\nproblem: %s\n",
			    (long long)r.first_bad, r.table, r.row, r.column,
			    r.problem);
	core_hex(ev->report->head, 32, hex);
	strbuf_addf(&ev->buf,
		    "period: %s to %s (UTC, the end excluded)\n"
		    "last record of the period: %lld\nits hash: %s\n",
		    ev->from, ev->to, (long long)ev->report->head_seq, hex);
	ev->report->intact = r.intact;
	file_close(ev);
}

static void
readme_file(struct evidence *ev)
{
	file_open(ev, "README.txt");
	strbuf_addf(
	    &ev->buf,
	    _("deploydesk evidence of the deployments planned from %s to %s "
	      "(UTC; the end excluded)%s%s%s%s.\n\n"),
	    ev->from, ev->to, ev->project ? _(", project ") : "",
	    ev->project ? ev->project->project.code : "",
	    ev->env_label ? _(", environment ") : "",
	    ev->env_label ? ev->env_label : "");
	strbuf_addstr(
	    &ev->buf,
	    _("population.csv: every deployment planned in the period, "
	      "whatever "
	      "its end: project, id, version, environment, status (A_FAIRE, "
	      "EN_COURS, TERMINEE, ECHEC, ANNULEE, REFUSEE), created_by, "
	      "created_at, approvals (login@time, each), authorized_at, "
	      "executed_by, executed_at, incident (the incident its failure "
	      "opened), exceptions (overrides of the policy on it), sod_holds "
	      "(executed ones: yes when someone other than its creator "
	      "approved it and its executor did not), logs_bytes and "
	      "logs_sha256. Evidences change control: ISO 27001 A.8.32, PCI "
	      "DSS 6.5.1, SOX change management.\n\n"
	      "exceptions.csv: every override of a project's policy opened in "
	      "the period (an emergency), its reason, and its review by "
	      "someone else (reviewed, open, or overdue after 72 hours).\n\n"
	      "access.csv: every grant or change of a role, of an account or "
	      "of admin in the period: when, the project (empty for an "
	      "account), who did it, before and after. Evidences access "
	      "control (ISO 27001 A.5.18).\n\n"
	      "changes/: a page per deployment, in text and in HTML, with its "
	      "fields and its whole trail.\n\n"
	      "audit.jsonl: the audit records of the period, one JSON object a "
	      "line, with their hashes: each record's prev_hash is the hash "
	      "of the one before (SHA-256), so the chain can be checked "
	      "offline.\n\n"
	      "verify.txt: what deploydesk audit verify found on the whole "
	      "database (the chain, and the data against it), and the hash of "
	      "the period's last record.\n\n"
	      "MANIFEST.sha256: the SHA-256 of every other file; check it with "
	      "sha256sum -c MANIFEST.sha256.\n\n"
	      "The deployments are those planned in the period; audit.jsonl "
	      "and access.csv hold the records written in it. Times in the "
	      "CSV and JSON files are UTC; the pages in changes/ give the "
	      "changes in the exporter's language and local time. A CSV cell "
	      "that begins with =, +, - or @ is written with a ' before it, so "
	      "that a spreadsheet does not run it as a formula.\n\n"
	      "The same database and arguments give the same files, byte for "
	      "byte, in the same language and time zone: the only time inside "
	      "is the trail's.\n"));
	file_close(ev);
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
		      ((const struct manifest_entry *)b)->path);
}

/* Each project's deployments of the period, one read at a time, handed
 * to on_deployment (for the pass ev says). */
static void
deployments_pass(struct evidence *ev, const struct core_project *only, int env)
{
	struct core_project p;

	for (size_t i = 0; !ev->code && i < ev->nprojects; i++) {
		ev->code =
		    core_project_open(ev->s, ev->projects[i].id, &p, ev->err);
		if (ev->code)
			break;
		ev->project = &p;
		ev->code = model_planned_ids(
		    ev->s->db, p.stages[STAGE_DEPLOYMENT].id, ev->from, ev->to,
		    env, on_deployment, ev, ev->err);
		ev->project = only;
		core_project_free(&p);
	}
}

/* MANIFEST.sha256: the files but the change pages, by name, then the
 * change pages in the order they were written, summed as they are made
 * again. */
static void
manifest_file(struct evidence *ev, const struct core_project *only, int env)
{
	qsort(ev->manifest, ev->nmanifest, sizeof *ev->manifest, by_path);
	if (ev->code)
		return;
	ev->code = ev->sink->open(ev->sink->data, "MANIFEST.sha256", ev->err);
	strbuf_reset(&ev->buf);
	for (size_t i = 0; i < ev->nmanifest; i++)
		manifest_line(ev, ev->manifest[i].sum, ev->manifest[i].path);
	ev->pages = ev->listing = true;
	deployments_pass(ev, only, env);
	flush(ev);
	if (!ev->code)
		ev->code = ev->sink->close(ev->sink->data, ev->err);
	ev->report->files++;
}

/* The time of the trail's last record, into iso ("" when empty). */
static enum dd_code
head_time(struct core_session *s, char iso[TIME_ISO_SIZE], struct dd_error *err)
{
	unsigned char hash[32];
	struct audit_list l;
	int64_t seq;
	enum dd_code code = model_audit_head(s->db, &seq, hash, err);

	iso[0] = '\0';
	if (code || !seq)
		return code;
	code = core_audit_page(s, NULL, NULL, seq - 1, 1, &l, err);
	if (!code && l.count)
		snprintf(iso, TIME_ISO_SIZE, "%s", l.items[0].ts);
	if (!code)
		audit_list_free(&l);
	return code;
}

enum dd_code
core_evidence(struct core_session *s, const char *from, const char *to,
	      const char *project_ref, const char *env,
	      const struct core_evidence_sink *sink,
	      struct core_evidence_report *report, struct dd_error *err)
{
	static const char *const head[] = {
	    "project",	     "id",	    "version",	   "environment",
	    "status",	     "created_by",  "created_at",  "approvals",
	    "authorized_at", "executed_by", "executed_at", "incident",
	    "exceptions",    "sod_holds",   "logs_bytes",  "logs_sha256"};
	static const char *const access_head[] = {"seq",    "ts",     "project",
						  "by",	    "action", "object",
						  "before", "after"};
	struct evidence ev = {
	    .s = s, .sink = sink, .report = report, .err = err};
	struct project *projects = NULL;
	struct strbuf access = STRBUF_INIT;
	struct core_project only;
	size_t nprojects = 0;
	char cut[TEXT_CUT_SIZE], now_iso[TIME_ISO_SIZE];
	time_t now = 0;
	bool began;
	int e = -1;

	memset(report, 0, sizeof *report);
	if (!from || !to)
		return dd_fail(err, DD_ERR_INPUT, "%s",
			       _("export evidence: --from and --to are both "
				 "required"));
	ev.code = core_period(from, to, ev.from, ev.to, err);
	if (ev.code)
		return ev.code;
	if (env && (e = core_env_word(env)) < 0)
		return dd_fail(err, DD_ERR_INPUT,
			       _("environment: '%s' is not one of DEV, TEST, "
				 "PREPROD, PROD"),
			       text_cut(env, cut));
	/* Every pass over the period from one state of the data. */
	ev.code = model_read_begin(s->db, &began, err);
	if (ev.code)
		return ev.code;
	if (project_ref) {
		ev.code = core_project_open(s, project_ref, &only, err);
		if (ev.code) {
			model_read_end(s->db, began);
			return ev.code;
		}
		ev.project = &only;
		projects = xcalloc(1, sizeof *projects);
		projects[0] = only.project;
		projects[0].code = xstrdup(only.project.code);
		projects[0].name = xstrdup(only.project.name);
		nprojects = 1;
	} else {
		ev.code = core_project_list(s, &projects, &nprojects, err);
	}
	/* "Overdue" by the trail's own last time, not by the clock: the same
	 * database gives the same files. */
	if (!ev.code)
		ev.code = head_time(s, now_iso, err);
	time_parse_iso(now_iso, &now);
	if (!ev.code)
		ev.code = sink->mkdir(sink->data, "changes", err);
	csv_row(&access, access_head, 8);
	ev.projects = projects;
	ev.nprojects = nprojects;
	ev.env_label = e >= 0 ? env_code((enum environment)e) : NULL;
	/* Two passes over the period's deployments, one read at a time:
	 * population.csv, then the change pages. */
	file_open(&ev, "population.csv");
	csv_row(&ev.buf, head, sizeof head / sizeof *head);
	for (int pass = 0; pass < 2; pass++) {
		ev.pages = pass == 1;
		deployments_pass(&ev, project_ref ? &only : NULL, e);
		if (pass == 0)
			file_close(&ev);
	}
	ev.pages = false;
	exceptions_file(&ev, projects, nprojects, now);
	trail_files(&ev, &access);
	file_open(&ev, "access.csv");
	strbuf_add(&ev.buf, access.buf ? access.buf : "", access.len);
	file_close(&ev);
	verify_file(&ev);
	readme_file(&ev);
	manifest_file(&ev, project_ref ? &only : NULL, e);
	model_read_end(s->db, began);
	for (size_t i = 0; i < ev.nmanifest; i++)
		free(ev.manifest[i].path);
	free(ev.manifest);
	free(ev.path);
	strbuf_release(&ev.buf);
	strbuf_release(&access);
	for (size_t i = 0; i < nprojects; i++)
		project_free(&projects[i]);
	free(projects);
	if (project_ref)
		core_project_free(&only);
	return ev.code;
}
