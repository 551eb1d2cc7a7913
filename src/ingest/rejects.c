#include "ingest/rejects.h"

#include <string.h>

#include "core/err.h"
#include "core/escape.h"

/* A field too large for pii_redact is not written at all. */
#define TOO_LARGE "[too large to redact]"

void rejects_init(struct rejects *w, import_write_fn out, void *out_ctx)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->out_ctx = out_ctx;
    strbuf_init(&w->rec, 0);
    strbuf_init(&w->line, 0);
    strbuf_init(&w->field, 0);
    pii_result_init(&w->pii);
}

void rejects_dispose(struct rejects *w)
{
    if (!w)
        return;
    strbuf_dispose(&w->rec);
    strbuf_dispose(&w->line);
    strbuf_dispose(&w->field);
    pii_result_dispose(&w->pii);
}

/* Appends p[0..n) as a CSV field as the importer writes them: quoted
 * when needed, and a cell a spreadsheet would run as a formula guarded
 * with a leading ' (core/escape.h); numbers stay numbers. */
static void put_field(struct strbuf *b, const char *p, size_t n)
{
    escape_csv(b, p, n, ',', ESCAPE_CSV_NUMBER);
}

/* Reads the field at s[*i..n) into w->field, unquoted, and moves *i past
 * it and its comma. Lenient: text after a closing quote is kept. */
static void next_field(struct rejects *w, const char *s, size_t n, size_t *i)
{
    size_t k = *i;
    strbuf_reset(&w->field);
    if (k < n && s[k] == '"') {
        for (k++; k < n; k++) {
            if (s[k] == '"' && k + 1 < n && s[k + 1] == '"')
                k++;
            else if (s[k] == '"')
                break;
            strbuf_putc(&w->field, s[k]);
        }
        if (k < n)
            k++; /* the closing quote */
    }
    size_t from = k;
    while (k < n && s[k] != ',')
        k++;
    strbuf_add(&w->field, s + from, k - from);
    *i = k < n ? k + 1 : n + 1;
}

/* Rewrites one record (without its newline) into w->line, redacted
 * unless it is the header, and writes it. */
static int record(struct rejects *w, const char *s, size_t n)
{
    strbuf_reset(&w->line);
    if (!w->header_done) {
        w->header_done = 1;
        strbuf_add(&w->line, s, n);
    } else {
        size_t i = 0;
        for (int k = 0; i <= n; k++) {
            next_field(w, s, n, &i);
            if (k)
                strbuf_putc(&w->line, ',');
            const char *p = w->field.p ? w->field.p : "";
            size_t pn = w->field.n;
            if (k >= 2) { /* line and column are numbers */
                struct err e = ERR_INIT;
                if (pii_redact(&w->pii, p, pn, PII_ALL, &e) < 0) {
                    p = TOO_LARGE;
                    pn = strlen(TOO_LARGE);
                } else {
                    p = w->pii.text ? w->pii.text : "";
                    pn = w->pii.n;
                }
            }
            put_field(&w->line, p, pn);
        }
    }
    strbuf_putc(&w->line, '\n');
    return w->out(w->out_ctx, w->line.p, w->line.n) < 0 ? ERR_IO : 0;
}

int rejects_write(void *ctx, const char *p, size_t n)
{
    struct rejects *w = ctx;
    size_t from = 0;
    int rc;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') {
            w->in_quotes = !w->in_quotes;
        } else if (p[i] == '\n' && !w->in_quotes) {
            strbuf_add(&w->rec, p + from, i - from);
            from = i + 1;
            rc = record(w, w->rec.p ? w->rec.p : "", w->rec.n);
            strbuf_reset(&w->rec);
            if (rc < 0)
                return rc;
        }
    }
    strbuf_add(&w->rec, p + from, n - from);
    return 0;
}

int rejects_finish(struct rejects *w)
{
    int rc = 0;
    if (w->rec.n)
        rc = record(w, w->rec.p, w->rec.n);
    strbuf_reset(&w->rec);
    w->in_quotes = 0;
    return rc;
}
