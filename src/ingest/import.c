#include "ingest/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "ingest/csv.h"
#include "ingest/idset.h"
#include "ingest/import_int.h"
#include "ingest/jsonl.h"
#include "store/store.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"

#define PROGRESS_EVERY 4096              /* rows between progress calls */
#define RELEASE_EVERY ((size_t)16 << 20) /* bytes read between releases */
#define PRESIZE_AFTER 1000 /* rows read before sizing the id set */

/* ---- errors ---- */

/* Reads the line and column back out of an error's "path:line:col". */
static void where_linecol(const struct err *e, long *line, long *col)
{
    const char *w = e->where;
    size_t n = strlen(w), i = n;
    long v[2] = {0, 0};
    int k = 0;
    *line = *col = 0;
    while (k < 2 && i > 0) {
        size_t end = i;
        while (i > 0 && w[i - 1] >= '0' && w[i - 1] <= '9')
            i--;
        if (i == end || i == 0 || w[i - 1] != ':')
            break;
        v[k++] = strtol(w + i, NULL, 10);
        i--;
    }
    if (k == 2) {
        *line = v[1];
        *col = v[0];
    } else if (k == 1) {
        *line = v[0];
    }
}

int import_bad(struct imp *m, const struct rec_field *f, struct err *err,
               const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (f->line == 0 && f->col < 0 && (size_t)-f->col <= m->nsets) {
        /* a --set value: the same in every row, so not the row's fault */
        char where[160];
        snprintf(where, sizeof where, "--set:%s",
                 m->sets[(size_t)-f->col - 1].name);
        m->fatal = 1;
        return err_at(err, ERR_INVALID, where, 0, 0, "%s", msg);
    }
    return err_at(err, ERR_INVALID, m->path, f->line, f->col, "%s", msg);
}

/* ---- the rejects file ---- */

static int out(struct imp *m, const char *p, size_t n, struct err *err)
{
    if (m->o->rejects(m->o->rejects_ctx, p, n) < 0)
        return err_set(err, ERR_IO, "cannot write the rejects file");
    return 0;
}

static void csv_quote(struct strbuf *b, const char *p, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n && !q; i++)
        q = p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (!q) {
        strbuf_add(b, p, n);
        return;
    }
    strbuf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            strbuf_putc(b, '"');
        strbuf_putc(b, p[i]);
    }
    strbuf_putc(b, '"');
}

static int reject_header(struct imp *m, const struct record *hdr,
                         struct err *err)
{
    strbuf_reset(&m->tmp);
    strbuf_puts(&m->tmp, "line,column,reason");
    if (hdr) {
        for (size_t i = 0; i < hdr->n; i++) {
            strbuf_putc(&m->tmp, ',');
            csv_quote(&m->tmp, hdr->f[i].p, hdr->f[i].n);
        }
    } else {
        strbuf_puts(&m->tmp, ",record");
    }
    strbuf_putc(&m->tmp, '\n');
    return out(m, m->tmp.p, m->tmp.n, err);
}

/* Writes a rejected row: its line, column, reason, then its fields (CSV
 * rows that were read whole) or its text. */
static int reject(struct imp *m, const struct record *rec,
                  const struct err *why, struct err *err)
{
    long line, col;
    where_linecol(why, &line, &col);
    if (!line)
        line = rec->line;
    strbuf_reset(&m->tmp);
    strbuf_printf(&m->tmp, "%ld,%ld,", line, col);
    csv_quote(&m->tmp, why->msg, strlen(why->msg));
    if (m->csv && rec->f && rec->n) {
        for (size_t i = 0; i < rec->n; i++) {
            strbuf_putc(&m->tmp, ',');
            csv_quote(&m->tmp, rec->f[i].p, rec->f[i].n);
        }
    } else {
        strbuf_putc(&m->tmp, ',');
        csv_quote(&m->tmp, rec->raw, rec->raw_n);
    }
    strbuf_putc(&m->tmp, '\n');
    m->n->rejected++;
    return out(m, m->tmp.p, m->tmp.n, err);
}

/* Validates one record and writes it, or for responses adds it to the
 * batch being filled. */
static int row(struct imp *m, const struct record *file_rec, struct err *err)
{
    size_t ans_bytes, need_bytes;
    struct record ext;
    const struct record *rec = cols_extend(m, file_rec, &ext);
    int rc;
    if (m->jsonl && (rc = cols_from_jsonl(m, rec, err)) < 0)
        return rc;
    /* Room for every answer and a copy of every field: a row's strings
     * never outgrow it, so cstr never moves them. */
    ans_bytes = m->naspecs * sizeof *m->answers;
    ans_bytes = (ans_bytes + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    need_bytes = ans_bytes + 64;
    for (size_t i = 0; i < rec->n; i++)
        need_bytes += rec->f[i].n + 1;
    m->row = batch_room(m->fill, need_bytes);
    m->row_cap = need_bytes;
    m->row_n = ans_bytes;
    m->answers = (struct answer *)(void *)m->row;
    switch (m->o->kind) {
    case IMPORT_RESPONSES: {
        struct response r;
        int ci = m->single[R_CUSTOMER];
        /* The customer's id is looked up last, in a map too big for the
         * cache: start loading its slot now, so that the miss overlaps
         * the rest of the row's checks (a quarter of this thread's time
         * at 200,000 customers without it). */
        if (ci >= 0 && (size_t)ci < rec->n) {
            const char *p = rec->f[ci].p;
            size_t n = rec->f[ci].n;
            recfield_trim(&p, &n);
            strmap_prefetch(m->customers, p, n);
        }
        m->row_analysed = m->row_redacted = 0;
        rc = row_response(m, rec, &r, err);
        /* the row's comment jobs go with it, or with nothing */
        batch_keep_jobs(m->fill, rc == 0);
        if (rc == 0) {
            batch_commit(m->fill, &r, m->row_n);
            m->n->analysed += m->row_analysed;
            m->n->redacted += m->row_redacted;
        }
        break;
    }
    case IMPORT_CUSTOMERS:
        rc = row_customer(m, rec, err);
        break;
    case IMPORT_EVENTS:
        rc = row_event(m, rec, err);
        break;
    default:
        return err_set(err, ERR_INTERNAL, "unknown import kind");
    }
    if (rc == 1) { /* the same as an earlier row: skipped */
        m->n->repeated++;
        rc = 0;
    }
    return rc;
}

static int next(struct imp *m, struct record *rec, struct err *err)
{
    return m->csv ? csv_reader_next(m->csv, rec, err)
                  : jsonl_reader_next(m->jsonl, rec, err);
}

static size_t offset(const struct imp *m)
{
    return m->csv ? csv_reader_offset(m->csv) : jsonl_reader_offset(m->jsonl);
}

/* The --set columns first, then (CSV) the header line's. */
static int header(struct imp *m, struct err *err)
{
    struct record hdr, ext;
    int rc;
    if ((rc = cols_resolve_sets(m, err)) < 0)
        return rc;
    if (!m->csv)
        return m->o->rejects ? reject_header(m, NULL, err) : 0;
    if ((rc = csv_reader_next(m->csv, &hdr, err)) < 0)
        return rc;
    if (rc == 0)
        return err_at(err, ERR_INVALID, m->path, 1, 1,
                      "the file is empty (expected a header line)");
    const struct record *all = cols_extend(m, &hdr, &ext);
    for (size_t i = m->nsets; i < all->n; i++)
        if ((rc = cols_resolve(m, i, all->f[i].p, all->f[i].n, &all->f[i],
                               err)) < 0)
            return rc;
    if ((rc = cols_check_header(m, all, err)) < 0)
        return rc;
    return m->o->rejects ? reject_header(m, &hdr, err) : 0;
}

/* Runs the comment jobs of the batch being filled on this thread. */
static int analyze_here(struct imp *m, struct err *err)
{
    struct batch *b = m->fill;
    if (!b->njobs)
        return 0;
    batch_analyze(b, &m->pipe.cfg, m->analyzer, &m->an);
    if (b->failed) {
        *err = b->err;
        return b->err.code;
    }
    return 0;
}

/* Sends the batch being filled on: to the pipe, started by the first
 * full batch, or when the file fits in one batch (or no thread can be
 * had) analysed and written here. last: no batch follows. */
static int flush(struct imp *m, int last, struct err *err)
{
    int rc;
    if (!m->fill->n)
        return 0;
    if (!m->pipe.running && !last)
        (void)pipe_start(&m->pipe);
    if (m->pipe.running && m->pipe.nstarted)
        return pipe_push(&m->pipe, &m->fill, err);
    if ((rc = analyze_here(m, err)) < 0)
        return rc;
    if (m->pipe.running)
        return pipe_push(&m->pipe, &m->fill, err);
    if ((rc = batch_write(m->fill, m->s, m->n, err)) == 0)
        m->n->redacted += m->fill->redacted;
    batch_reset(m->fill);
    return rc;
}

/* Sizes the id set for the whole file from the rows read so far, so that
 * a big file does not rehash it on the way. Capped at a row per 16 bytes
 * in case the first rows are unusually short; the set still grows if the
 * guess was low. */
static void presize(struct imp *m, size_t len)
{
    size_t done = offset(m) - m->data_start;
    if (!done || len <= m->data_start)
        return;
    double rows = (double)m->n->read * (double)(len - m->data_start) /
                  (double)done * 1.05;
    double most = (double)len / 16;
    idset_reserve(m->ids, (size_t)(rows < most ? rows : most));
}

static int run(struct imp *m, size_t len, struct err *err)
{
    struct record rec;
    int rc;

    if ((rc = header(m, err)) < 0)
        return rc;
    m->data_start = offset(m);
    for (;;) {
        struct err e = ERR_INIT;
        rc = next(m, &rec, &e);
        if (rc == 0)
            break;
        if (rc > 0) {
            m->n->read++;
            rc = row(m, &rec, &e);
        } else if (rc == ERR_INVALID) {
            m->n->read++;
        }
        if (rc < 0) {
            if (rc != ERR_INVALID || !m->o->rejects || m->fatal) {
                *err = e;
                return rc;
            }
            if ((rc = reject(m, &rec, &e, err)) < 0)
                return rc;
        }
        /* Store failures stop the import even with rejects: they are not
         * the row's fault. */
        if (m->fill->n >= m->batch_rows && (rc = flush(m, 0, err)) < 0)
            return rc;
        /* What has been read is copied into batches or done with: the
         * input's pages need not stay in memory. */
        if (m->o->release && offset(m) >= m->released + RELEASE_EVERY) {
            m->released = offset(m);
            m->o->release(m->o->release_ctx, m->released);
        }
        if (m->n->read == PRESIZE_AFTER)
            presize(m, len);
        if (m->o->progress && m->n->read % PROGRESS_EVERY == 0)
            m->o->progress(m->o->progress_ctx, m->n->read, offset(m), len);
    }
    if ((rc = flush(m, 1, err)) < 0)
        return rc;
    if (m->o->progress)
        m->o->progress(m->o->progress_ctx, m->n->read, len, len);
    return 0;
}

int import_run(struct import_counts *out, struct store *s, const char *buf,
               size_t len, const char *path, const struct import_opts *opts,
               struct err *err)
{
    static const unsigned kinds[] = {K_RESP, K_CUST, K_EVT};
    struct imp m;
    int rc, began = 0;

    memset(out, 0, sizeof *out);
    memset(&m, 0, sizeof m);
    m.o = opts;
    m.kind = kinds[opts->kind];
    m.path = path ? path : "";
    m.s = s;
    m.n = out;
    for (int r = 0; r < R_N_SINGLE; r++)
        m.single[r] = -1;
    m.attr_names = strmap_new();
    m.ids = idset_new(buf, len);
    lookup_init(&m);
    strbuf_init(&m.attrs, 0);
    strbuf_init(&m.tmp, 0);
    strbuf_init(&m.fp, 0);
    m.batch_rows = opts->batch_rows ? opts->batch_rows : BATCH_ROWS;
    m.threads = import_threads(opts->threads);

    analysis_init(&m.an);
    m.since = (int64_t)time(NULL);
    if (opts->update && opts->kind != IMPORT_CUSTOMERS) {
        rc = err_set(err, ERR_INVALID,
                     "--update applies to customers only; responses and "
                     "events are never changed once stored");
        goto done;
    }
    if (opts->as_of && !opts->update) {
        rc = err_set(err, ERR_INVALID, "--as-of is for --update");
        goto done;
    }
    if ((rc = import_time_start(&m, err)) < 0 ||
        (opts->as_of &&
         (rc = recfield_as_of(&m, opts->as_of, &m.since, err)) < 0) ||
        (opts->map && (rc = cols_parse_map(&m, opts->map, err)) < 0) ||
        (opts->set && (rc = cols_parse_set(&m, opts->set, err)) < 0) ||
        (opts->na && (rc = cols_parse_na(&m, opts->na, err)) < 0))
        goto done;
    if (opts->kind == IMPORT_RESPONSES && (rc = comments_start(&m, err)) < 0)
        goto done;
    struct textcfg cfg = {m.langid, m.sentiment, m.themes, opts->no_analysis,
                          m.path};
    pipe_init(&m.pipe, s, &cfg, m.analyzer && m.threads > 1 ? m.threads : 0,
              &m.fill);
    if (opts->format == IMPORT_CSV)
        m.csv = csv_reader_new(buf, len, opts->delimiter, m.path);
    else
        m.jsonl = jsonl_reader_new(buf, len, m.path);
    if ((rc = store_begin_bulk(s, err)) < 0)
        goto done;
    began = 1;
    if ((rc = lookup_load(&m, err)) == 0)
        rc = run(&m, len, err);
    /* A text of a row read before the failing one, not yet analysed,
     * would have failed first: its error wins. */
    if (rc < 0 && m.fill->jobs_kept && m.analyzer) {
        struct err e = ERR_INIT;
        m.fill->njobs = m.fill->jobs_kept;
        if (analyze_here(&m, &e) < 0) {
            *err = e;
            rc = e.code;
        }
    }
    /* The threads must be stopped, on any path, before the transaction
     * ends on this thread. A batch that failed before comes first. */
    rc = pipe_stop(&m.pipe, rc, err);
    out->inserted += m.pipe.wrote.inserted;
    out->present += m.pipe.wrote.present;
    out->redacted += m.pipe.wrote.redacted;
    if (rc < 0)
        goto done;
    /* Let go of the big things before the commit and its checkpoint. */
    idset_free(m.ids);
    m.ids = NULL;
    pipe_release(&m.pipe);
    rc = store_commit(s, err);
    began = 0;
done:
    if (began)
        store_rollback(s);
    csv_reader_free(m.csv);
    jsonl_reader_free(m.jsonl);
    cols_dispose(&m);
    strmap_free(m.attr_names);
    idset_free(m.ids);
    lookup_dispose(&m);
    pipe_dispose(&m.pipe);
    strbuf_dispose(&m.attrs);
    strbuf_dispose(&m.tmp);
    strbuf_dispose(&m.fp);
    analyzer_free(m.analyzer);
    analysis_dispose(&m.an);
    import_time_stop(&m);
    themes_free(m.themes_owned);
    sentiment_free(m.sentiment);
    langid_free(m.langid);
    return rc;
}

int import_threads(int asked)
{
    long n = asked;
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int import_format_guess(enum import_format *out, const char *path,
                        struct err *err)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (recfield_lc_eq(dot, strlen(dot), ".jsonl") ||
            recfield_lc_eq(dot, strlen(dot), ".ndjson")) {
            *out = IMPORT_JSONL;
            return 0;
        }
        if (recfield_lc_eq(dot, strlen(dot), ".csv") ||
            recfield_lc_eq(dot, strlen(dot), ".txt") ||
            recfield_lc_eq(dot, strlen(dot), ".tsv")) {
            *out = IMPORT_CSV;
            return 0;
        }
    }
    return err_set(err, ERR_INVALID,
                   "%s: cannot tell the format from the file name; use "
                   "--format csv or --format jsonl",
                   path);
}

int import_kind_parse(enum import_kind *out, const char *s, struct err *err)
{
    static const enum import_kind k[] = {IMPORT_RESPONSES, IMPORT_CUSTOMERS,
                                         IMPORT_EVENTS};
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, import_kind_name(k[i]))) {
            *out = k[i];
            return 0;
        }
    return err_set(err, ERR_INVALID,
                   "unknown kind \"%s\" (expected responses, customers or "
                   "events)",
                   s);
}

const char *import_kind_name(enum import_kind k)
{
    switch (k) {
    case IMPORT_RESPONSES:
        return "responses";
    case IMPORT_CUSTOMERS:
        return "customers";
    case IMPORT_EVENTS:
        return "events";
    }
    return "?";
}
