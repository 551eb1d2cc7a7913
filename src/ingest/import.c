#include "ingest/import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "ingest/csv.h"
#include "ingest/idset.h"
#include "ingest/jsonl.h"
#include "store/store.h"
#include "text/analyze.h"
#include "text/langid.h"
#include "text/sentiment.h"
#include "text/themes.h"

#define MAX_ID 255                  /* bytes in an id or key */
#define MAX_ATTRS ((size_t)1 << 20) /* bytes of one row's attributes JSON */
#define PROGRESS_EVERY 4096         /* rows between progress calls */
#define PRESIZE_AFTER 1000          /* rows read before sizing the id set */
#define BATCH_ROWS 8192             /* responses per store batch */
/* Batches in flight: one filling, the others queued or being written. */
#define NBATCH 4
#ifdef ARENA_DEBUG
#define CHUNK_BYTES 0 /* every row its own malloc, so ASan sees overflows */
#else
#define CHUNK_BYTES ((size_t)256 << 10)
#endif
#define ROW_ALIGN 16 /* rows hold answers, so keep them aligned */

/* What a column means. Roles before R_N_SINGLE may appear once each. */
enum role {
    R_UNSET = 0, /* JSON Lines: a column not looked at yet */
    R_ID,
    R_SUBMITTED_AT,
    R_TOUCHPOINT,
    R_CUSTOMER,
    R_EMPLOYEE,
    R_RESPONDENT,
    R_CHANNEL,
    R_LANGUAGE,
    R_NPS,
    R_CSAT,
    R_CES,
    R_SEGMENT,
    R_ACTIVITY,
    R_TIME,
    R_N_SINGLE,
    R_IGNORE, /* --map X=- */
    R_UNKNOWN,
    R_ANSWER,
    R_ATTR
};

enum { K_RESP = 1, K_CUST = 2, K_EVT = 4 };

static const struct fixed {
    const char *name;
    enum role role;
    unsigned kinds;    /* where the column exists */
    unsigned required; /* where it must be given */
} fixed[] = {
    {"id", R_ID, K_RESP | K_CUST | K_EVT, K_RESP | K_CUST},
    {"submitted_at", R_SUBMITTED_AT, K_RESP, K_RESP},
    {"touchpoint", R_TOUCHPOINT, K_RESP | K_EVT, K_RESP},
    {"customer", R_CUSTOMER, K_RESP | K_EVT, K_EVT},
    {"employee", R_EMPLOYEE, K_RESP, 0},
    {"respondent", R_RESPONDENT, K_RESP, 0},
    {"channel", R_CHANNEL, K_RESP | K_EVT, 0},
    {"language", R_LANGUAGE, K_RESP, 0},
    {"nps", R_NPS, K_RESP, 0},
    {"csat", R_CSAT, K_RESP, 0},
    {"ces", R_CES, K_RESP, 0},
    {"segment", R_SEGMENT, K_CUST, 0},
    {"activity", R_ACTIVITY, K_EVT, K_EVT},
    {"time", R_TIME, K_EVT, K_EVT},
};
#define N_FIXED (sizeof fixed / sizeof fixed[0])

/* Response columns "prefix:KEY" and what they become. side 1 is the
 * second half of a pair (perception, story title). */
static const struct prefix {
    const char *name;
    enum answer_kind kind;
    int side;
} prefixes[] = {
    {"rating", ANSWER_RATING, 0},     {"expect", ANSWER_GAP, 0},
    {"perceive", ANSWER_GAP, 1},      {"text", ANSWER_TEXT, 0},
    {"choice", ANSWER_CHOICE, 0},     {"triad", ANSWER_TRIAD, 0},
    {"dyad", ANSWER_DYAD, 0},         {"story", ANSWER_STORY, 0},
    {"story_title", ANSWER_STORY, 1},
};
#define N_PREFIXES (sizeof prefixes / sizeof prefixes[0])

static const char known_responses[] =
    "id, submitted_at, touchpoint, customer, employee, respondent, channel, "
    "language, nps, csat, ces, comment, rating:KEY[@MAX], expect:KEY, "
    "perceive:KEY, text:KEY, choice:KEY, triad:KEY, dyad:KEY, story:KEY, "
    "story_title:KEY";

/* One answer a response row can carry. */
struct aspec {
    enum answer_kind kind;
    char *key;
    int col[2]; /* column of each side, -1 if none */
    double max; /* ratings and gaps: the top of the scale */
};

struct col {
    enum role role;
    char *name; /* as named (after --map), for messages */
    int ans;    /* R_ANSWER: index in aspecs */
    int side;
    char *attr_json; /* R_ATTR: "\"name\":" */
};

struct map_entry {
    char *from; /* lower-cased */
    char *to;
    int used;
};

struct tp {
    int64_t id;
    char *channel;
    int64_t channel_id; /* 0 until first needed */
};

/* ---- batches of responses, and the thread that writes them ----
 *
 * Parsing and validating a row costs about as much as storing it, and the
 * machine has more than one core, so responses are validated on the
 * calling thread (the producer) and written by a second one (the
 * consumer), a batch at a time. The store is not thread-safe: the
 * consumer alone uses it while the pipe runs, except when the producer
 * has drained the pipe and taken the store back (pipe_drain), to create
 * a customer or channel a row names. The transaction is begun and ended
 * on the calling thread, with the consumer stopped. */

/* A block of a batch's row storage. */
struct chunk {
    struct chunk *next;
    size_t cap, used;
    char *data;
};

/* Validated responses, ids resolved, ready to store. Each row's strings
 * and answers live in the batch's chunks, so the batch is self-contained
 * and can be written on the other thread while the next one fills. */
struct batch {
    struct response *rows;
    size_t n, cap;
    struct chunk *chunks, *last;
    struct chunk *cur; /* the chunk rows are cut from */
    /* Side storage for what a row gains after its room was sized: the
     * redacted texts and analyses of its comments (batch_alloc). */
    struct chunk *side, *side_last, *side_cur;
};

static void chunks_free(struct chunk **head)
{
    while (*head) {
        struct chunk *c = *head;
        *head = c->next;
        free(c->data);
        free(c);
    }
}

static void batch_free_chunks(struct batch *b)
{
    chunks_free(&b->chunks);
    chunks_free(&b->side);
    b->last = b->cur = NULL;
    b->side_last = b->side_cur = NULL;
}

/* Empties the batch for refilling, keeping its memory. */
static void batch_reset(struct batch *b)
{
    b->n = 0;
#ifdef ARENA_DEBUG
    batch_free_chunks(b);
#endif
    for (struct chunk *c = b->chunks; c; c = c->next)
        c->used = 0;
    for (struct chunk *c = b->side; c; c = c->next)
        c->used = 0;
    b->cur = b->chunks;
    b->side_cur = b->side;
}

static void batch_dispose(struct batch *b)
{
    batch_free_chunks(b);
    free(b->rows);
    memset(b, 0, sizeof *b);
}

/* Room for one row of up to need bytes, valid until the batch is reset.
 * It stays free for the next row unless batch_commit claims it. */
static char *batch_room(struct batch *b, size_t need)
{
    while (b->cur && b->cur->cap - b->cur->used < need)
        b->cur = b->cur->next;
    if (!b->cur) {
        struct chunk *c = xcalloc(1, sizeof *c);
        c->cap = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        c->data = xmalloc(c->cap);
        if (b->last)
            b->last->next = c;
        else
            b->chunks = c;
        b->last = b->cur = c;
    }
    return b->cur->data + b->cur->used;
}

/* n bytes (8-aligned) of side storage, valid until the batch is reset. */
static void *batch_alloc(struct batch *b, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    while (b->side_cur && b->side_cur->cap - b->side_cur->used < n)
        b->side_cur = b->side_cur->next;
    if (!b->side_cur) {
        struct chunk *c = xcalloc(1, sizeof *c);
        c->cap = n > CHUNK_BYTES ? n : CHUNK_BYTES;
        c->data = xmalloc(c->cap ? c->cap : 1);
        if (b->side_last)
            b->side_last->next = c;
        else
            b->side = c;
        b->side_last = b->side_cur = c;
    }
    void *p = b->side_cur->data + b->side_cur->used;
    b->side_cur->used += n;
    return p;
}

/* Appends r, whose strings and answers are the first used bytes of the
 * room batch_room gave. */
static void batch_commit(struct batch *b, const struct response *r, size_t used)
{
    struct chunk *c = b->cur;
    c->used += (used + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    if (c->used > c->cap)
        c->used = c->cap;
    b->rows = xgrow(b->rows, &b->cap, b->n + 1, sizeof *b->rows);
    b->rows[b->n++] = *r;
}

/* Stores the batch's rows in order, counting them into n. Stops at the
 * first failure. */
static int batch_write(struct batch *b, struct store *s,
                       struct import_counts *n, struct err *err)
{
    for (size_t i = 0; i < b->n; i++) {
        int rc, inserted;
        if ((rc = store_put_response(s, &b->rows[i], &inserted, err)) < 0)
            return rc;
        if (inserted)
            n->inserted++;
        else
            n->present++;
    }
    return 0;
}

/* The bounded queue between the two threads. Every batch is in exactly
 * one place: being filled (the producer's), queued, being written, or
 * free. Fields below mu are guarded by it. */
struct pipe {
    struct store *s;
    struct batch batches[NBATCH];
    int running; /* the consumer thread exists (producer's view) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work; /* signalled when a batch is queued or done set */
    pthread_cond_t idle; /* signalled when the consumer finishes a batch */
    struct batch *queue[NBATCH];
    size_t qhead, qn;
    struct batch *free_list[NBATCH];
    size_t nfree;
    int busy;   /* the consumer is writing a batch */
    int done;   /* no more batches will come */
    int failed; /* the consumer hit a store error: err says which */
    struct err err;
    struct import_counts wrote; /* inserted and present, by the consumer */
};

static void *pipe_consumer(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->qn && !p->done)
            pthread_cond_wait(&p->work, &p->mu);
        if (!p->qn)
            break;
        struct batch *b = p->queue[p->qhead];
        p->qhead = (p->qhead + 1) % NBATCH;
        p->qn--;
        /* After a failure batches are only recycled: the import will be
         * rolled back, and the producer must not wait for a free one. */
        int skip = p->failed;
        p->busy = 1;
        pthread_mutex_unlock(&p->mu);

        struct import_counts n;
        memset(&n, 0, sizeof n);
        struct err e = ERR_INIT;
        int rc = skip ? 0 : batch_write(b, p->s, &n, &e);

        pthread_mutex_lock(&p->mu);
        p->wrote.inserted += n.inserted;
        p->wrote.present += n.present;
        if (rc < 0) {
            p->failed = 1;
            p->err = e;
        }
        p->busy = 0;
        p->free_list[p->nfree++] = b;
        pthread_cond_signal(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The consumer's error, copied to err. Call with mu held, or after the
 * consumer has stopped. */
static int pipe_error(const struct pipe *p, struct err *err)
{
    *err = p->err;
    return p->err.code;
}

/* Starts the consumer. Returns 0, or -1 when no thread could be had (the
 * caller then writes batches itself). */
static int pipe_start(struct pipe *p)
{
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&p->work, NULL) != 0)
        goto no_work;
    if (pthread_cond_init(&p->idle, NULL) != 0)
        goto no_idle;
    if (pthread_create(&p->thread, NULL, pipe_consumer, p) != 0)
        goto no_thread;
    p->running = 1;
    return 0;
no_thread:
    pthread_cond_destroy(&p->idle);
no_idle:
    pthread_cond_destroy(&p->work);
no_work:
    pthread_mutex_destroy(&p->mu);
    return -1;
}

/* Queues *fill and hands back a free batch in its place. Returns 0, or
 * the consumer's error once it has failed. */
static int pipe_push(struct pipe *p, struct batch **fill, struct err *err)
{
    int rc = 0;
    pthread_mutex_lock(&p->mu);
    if (!p->failed) {
        p->queue[(p->qhead + p->qn) % NBATCH] = *fill;
        p->qn++;
        pthread_cond_signal(&p->work);
        /* The consumer frees batches even after failing, so this ends. */
        while (!p->nfree)
            pthread_cond_wait(&p->idle, &p->mu);
    }
    if (p->failed)
        rc = pipe_error(p, err);
    else
        *fill = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    if (rc == 0)
        batch_reset(*fill);
    return rc;
}

/* Waits until every queued batch is written and the consumer is idle, so
 * the caller may use the store. Returns 0, or the consumer's error. */
static int pipe_drain(struct pipe *p, struct err *err)
{
    int rc = 0;
    if (!p->running)
        return 0;
    pthread_mutex_lock(&p->mu);
    while ((p->qn || p->busy) && !p->failed)
        pthread_cond_wait(&p->idle, &p->mu);
    if (p->failed)
        rc = pipe_error(p, err);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* Lets the consumer write what is queued, then stops it. If it failed,
 * its store error replaces rc and err: in file order it came first. */
static int pipe_stop(struct pipe *p, int rc, struct err *err)
{
    if (!p->running)
        return rc;
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = 0;
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    if (p->failed)
        rc = pipe_error(p, err);
    return rc;
}

struct imp {
    const struct import_opts *o;
    unsigned kind; /* K_ */
    const char *path;
    struct store *s;
    struct import_counts *n;
    struct csv_reader *csv;
    struct jsonl_reader *jsonl;

    struct col *cols;
    size_t ncols, cols_cap;
    int single[R_N_SINGLE]; /* column of each single role, -1 if none */
    struct aspec *aspecs;
    size_t naspecs, aspecs_cap;
    struct strmap *attr_names; /* lower-cased attribute name -> column */
    struct map_entry *map;
    size_t nmap;

    struct idset *ids;      /* ids seen in this file, with their line */
    struct strmap *tp_keys; /* touchpoint key -> index in tps */
    struct tp *tps;
    size_t ntps, tps_cap;
    struct strmap *channels;  /* channel key -> id */
    struct strmap *customers; /* ext id -> id */
    struct strmap *employees; /* ext id -> id */

    size_t data_start; /* offset of the first data row */

    /* The batch being filled (responses), whose room also holds the
     * current row of any kind: its answers, then NUL-terminated copies
     * of its strings. */
    struct pipe pipe;
    struct batch *fill;
    size_t batch_rows;
    char *row;
    size_t row_n, row_cap;
    struct answer *answers; /* naspecs slots at the start of row */
    struct strbuf attrs;
    struct strbuf tmp; /* derived event ids, rejects lines */

    /* Text analysis, on this (the reading) thread. */
    struct langid *langid;
    struct sentiment *sentiment;
    struct themes *themes_owned;
    const struct themes *themes;
    struct analyzer *analyzer;
    struct analysis an;
};

/* ---- small text helpers ---- */

static int lc_eq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (tolower((unsigned char)a[i]) != (unsigned char)b[i])
            return 0;
    return 1;
}

static void trim(const char **p, size_t *n)
{
    while (*n && ((*p)[0] == ' ' || (*p)[0] == '\t')) {
        (*p)++;
        (*n)--;
    }
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

/* How much of a value to show in a message: at most 40 bytes, not cutting
 * a UTF-8 sequence. */
static int shown(const char *p, size_t n)
{
    if (n <= 40)
        return (int)n;
    n = 40;
    while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* Parses [+-]digits[(.|,)digits][e[+-]digits] as a finite double. */
static int parse_number(double *out, const char *p, size_t n)
{
    char buf[64];
    size_t i = 0;
    if (n == 0 || n >= sizeof buf)
        return -1;
    if (p[i] == '+' || p[i] == '-')
        i++;
    size_t d = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == d)
        return -1;
    if (i < n && (p[i] == '.' || p[i] == ',')) {
        size_t f = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == f)
            return -1;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == e)
            return -1;
    }
    if (i != n)
        return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    for (i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Parses [+-]digits as an integer (no more than 9 digits). */
static int parse_int(long *out, const char *p, size_t n)
{
    size_t i = 0;
    long v = 0;
    int neg = 0;
    if (n && (p[0] == '+' || p[0] == '-')) {
        neg = p[0] == '-';
        i++;
    }
    if (i == n || n - i > 9)
        return -1;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

/* Writes an attribute value: a JSON number if the text is a plain decimal
 * number that reads back without loss (no leading zeros, so "01234" stays
 * a string; integers must fit 64 bits), else a JSON string. */
static void attr_value(struct strbuf *b, const char *p, size_t n)
{
    size_t i = 0;
    int frac = 0;
    char buf[64];
    if (n && p[0] == '-')
        i++;
    if (i < n && p[i] == '0')
        i++;
    else if (i < n && p[i] >= '1' && p[i] <= '9')
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
    else
        goto string;
    if (i < n && (p[i] == '.' || p[i] == ',')) {
        size_t f = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == f)
            goto string;
        frac = 1;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == e)
            goto string;
        frac = 1;
    }
    if (i != n || n >= sizeof buf)
        goto string;
    memcpy(buf, p, n);
    buf[n] = 0;
    for (i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    errno = 0;
    if (frac) {
        if (!isfinite(strtod(buf, NULL)))
            goto string;
    } else {
        (void)strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            goto string;
    }
    strbuf_add(b, buf, n);
    return;
string:
    strbuf_json_string(b, p, n);
}

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

static int bad(struct imp *m, const struct rec_field *f, struct err *err,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A located ERR_INVALID at field f. */
static int bad(struct imp *m, const struct rec_field *f, struct err *err,
               const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
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

/* ---- columns ---- */

static int parse_map(struct imp *m, const char *spec, struct err *err)
{
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        const char *from = p, *to = eq ? eq + 1 : NULL;
        size_t fn = eq ? (size_t)(eq - p) : n;
        size_t tn = eq ? n - fn - 1 : 0;
        trim(&from, &fn);
        if (to)
            trim(&to, &tn);
        if (!eq || !fn || !tn)
            return err_at(err, ERR_INVALID, "--map", 0, 0,
                          "expected FROM=TO (TO '-' ignores FROM), got "
                          "\"%.*s\"",
                          shown(p, n), p);
        for (size_t i = 0; i < m->nmap; i++)
            if (lc_eq(from, fn, m->map[i].from))
                return err_at(err, ERR_INVALID, "--map", 0, 0,
                              "\"%.*s\" is mapped twice", shown(from, fn),
                              from);
        m->map = xrealloc(m->map, (m->nmap + 1) * sizeof *m->map);
        struct map_entry *e = &m->map[m->nmap++];
        e->from = xstrndup(from, fn);
        for (char *c = e->from; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        e->to = xstrndup(to, tn);
        e->used = 0;
        p = end ? end + 1 : p + n;
    }
    return 0;
}

static int valid_key(const char *p, size_t n)
{
    if (!n || n > MAX_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == ' ' || c == ',' || c == '"' || c == 0x7f)
            return 0;
    }
    return 1;
}

/* Gives column i (named p[0..n), at f for messages) its role. */
static int resolve_col(struct imp *m, size_t i, const char *p, size_t n,
                       const struct rec_field *f, struct err *err)
{
    struct col *c;
    trim(&p, &n);
    if (i >= m->cols_cap)
        m->cols = xgrow(m->cols, &m->cols_cap, i + 1, sizeof *m->cols);
    while (m->ncols <= i)
        memset(&m->cols[m->ncols++], 0, sizeof *m->cols);
    c = &m->cols[i];
    c->role = R_UNKNOWN; /* until proved otherwise */
    for (size_t k = 0; k < m->nmap; k++) {
        if (lc_eq(p, n, m->map[k].from)) {
            m->map[k].used = 1;
            if (!strcmp(m->map[k].to, "-")) {
                c->role = R_IGNORE;
                return 0;
            }
            p = m->map[k].to;
            n = strlen(p);
            break;
        }
    }
    c->name = xstrndup(p, n);
    if (!n)
        return bad(m, f, err, "column %zu has no name", i + 1);

    for (size_t k = 0; k < N_FIXED; k++) {
        if (!(fixed[k].kinds & m->kind) || !lc_eq(p, n, fixed[k].name))
            continue;
        int *slot = &m->single[fixed[k].role];
        if (*slot >= 0)
            return bad(m, f, err, "column \"%s\" appears twice", fixed[k].name);
        *slot = (int)i;
        c->role = fixed[k].role;
        return 0;
    }

    if (m->kind == K_RESP) {
        const char *colon = memchr(p, ':', n);
        const struct prefix *pf = NULL;
        const char *key = p;
        size_t kn = 0;
        double max = 10;
        if (lc_eq(p, n, "comment")) {
            static const struct prefix comment = {"comment", ANSWER_TEXT, 0};
            pf = &comment;
            kn = n;
        } else if (colon) {
            for (size_t k = 0; k < N_PREFIXES; k++)
                if (lc_eq(p, (size_t)(colon - p), prefixes[k].name))
                    pf = &prefixes[k];
            key = colon + 1;
            kn = n - (size_t)(colon - p) - 1;
            trim(&key, &kn);
        }
        if (pf) {
            const char *at = memchr(key, '@', kn);
            if (at && pf->kind != ANSWER_RATING && pf->kind != ANSWER_GAP)
                return bad(m, f, err,
                           "\"%s\": only rating: and expect:/"
                           "perceive: columns take @MAX",
                           c->name);
            if (at) {
                long v;
                if (parse_int(&v, at + 1, kn - (size_t)(at - key) - 1) < 0 ||
                    v < 1 || v > 1000)
                    return bad(m, f, err,
                               "\"%s\": the scale after @ must be a whole "
                               "number 1..1000",
                               c->name);
                max = (double)v;
                kn = (size_t)(at - key);
            }
            if (!valid_key(key, kn))
                return bad(m, f, err,
                           "\"%s\": a question key must be 1..%d "
                           "characters without spaces, commas or quotes",
                           c->name, MAX_ID);
            size_t a;
            for (a = 0; a < m->naspecs; a++)
                if (strlen(m->aspecs[a].key) == kn &&
                    !memcmp(m->aspecs[a].key, key, kn))
                    break;
            if (a < m->naspecs) {
                struct aspec *s = &m->aspecs[a];
                if (s->kind != pf->kind || s->col[pf->side] >= 0)
                    return bad(m, f, err,
                               "question key \"%s\" is used by two columns "
                               "(\"%s\" and \"%s\")",
                               s->key,
                               m->cols[s->col[s->col[0] >= 0 ? 0 : 1]].name,
                               c->name);
                if (s->kind == ANSWER_GAP && s->max != max)
                    return bad(m, f, err,
                               "expect:%s and perceive:%s must have the same "
                               "scale",
                               s->key, s->key);
            } else {
                m->aspecs =
                    xgrow(m->aspecs, &m->aspecs_cap, a + 1, sizeof *m->aspecs);
                struct aspec *s = &m->aspecs[m->naspecs++];
                s->kind = pf->kind;
                s->key = xstrndup(key, kn);
                s->col[0] = s->col[1] = -1;
                s->max = max;
            }
            m->aspecs[a].col[pf->side] = (int)i;
            c->role = R_ANSWER;
            c->ans = (int)a;
            c->side = pf->side;
            return 0;
        }
        return bad(m, f, err, "unknown column \"%.*s\"; known: %s",
                   shown(p, n) > 24 ? 24 : shown(p, n), p, known_responses);
    }

    /* Customers and events keep other columns as attributes. */
    char lower[MAX_ID + 1];
    if (n > MAX_ID || !valid_key(p, n))
        return bad(m, f, err,
                   "\"%.*s\": an attribute name must be 1..%d characters "
                   "without spaces, commas or quotes",
                   shown(p, n), p, MAX_ID);
    for (size_t k = 0; k < n; k++)
        lower[k] = (char)tolower((unsigned char)p[k]);
    int64_t first;
    if (!strmap_add(m->attr_names, lower, n, (int64_t)i, &first))
        return bad(m, f, err, "column \"%s\" appears twice", c->name);
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_json_string(&b, p, n);
    strbuf_putc(&b, ':');
    c->attr_json = strbuf_detach(&b, NULL);
    c->role = R_ATTR;
    return 0;
}

/* CSV: after the header, every required column and both halves of every
 * pair must be there, and every --map name must have matched. */
static int check_header(struct imp *m, const struct record *hdr,
                        struct err *err)
{
    for (size_t k = 0; k < m->nmap; k++)
        if (!m->map[k].used)
            return err_at(err, ERR_INVALID, m->path, hdr->line, 1,
                          "--map names \"%s\", which is not a column here",
                          m->map[k].from);
    for (size_t k = 0; k < N_FIXED; k++)
        if ((fixed[k].required & m->kind) && m->single[fixed[k].role] < 0)
            return err_at(err, ERR_INVALID, m->path, hdr->line, 1,
                          "missing required column \"%s\"", fixed[k].name);
    for (size_t a = 0; a < m->naspecs; a++) {
        const struct aspec *s = &m->aspecs[a];
        if (s->kind == ANSWER_GAP && (s->col[0] < 0 || s->col[1] < 0)) {
            int have = s->col[0] >= 0 ? s->col[0] : s->col[1];
            return bad(m, &hdr->f[have], err,
                       "%s:%s needs a matching %s:%s column",
                       s->col[0] >= 0 ? "expect" : "perceive", s->key,
                       s->col[0] >= 0 ? "perceive" : "expect", s->key);
        }
        if (s->kind == ANSWER_STORY && s->col[0] < 0)
            return bad(m, &hdr->f[s->col[1]], err,
                       "story_title:%s needs a story:%s column", s->key,
                       s->key);
    }
    return 0;
}

/* ---- lookups loaded before the rows ---- */

static int on_touchpoint(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct imp *m = ctx;
    (void)j;
    (void)st;
    m->tps = xgrow(m->tps, &m->tps_cap, m->ntps + 1, sizeof *m->tps);
    m->tps[m->ntps].id = t->id;
    m->tps[m->ntps].channel = xstrdup(t->channel ? t->channel : "");
    m->tps[m->ntps].channel_id = 0;
    strmap_put(m->tp_keys, t->key, strlen(t->key), (int64_t)m->ntps);
    m->ntps++;
    return 0;
}

static int on_channel(void *ctx, const struct channel *c)
{
    struct imp *m = ctx;
    strmap_put(m->channels, c->key, strlen(c->key), c->id);
    return 0;
}

static int on_customer(void *ctx, const struct customer *c)
{
    struct imp *m = ctx;
    strmap_put(m->customers, c->ext_id, strlen(c->ext_id), c->id);
    return 0;
}

static int on_employee(void *ctx, const struct employee *e)
{
    struct imp *m = ctx;
    strmap_put(m->employees, e->ext_id, strlen(e->ext_id), e->id);
    return 0;
}

/* ---- one row ---- */

/* A NUL-terminated copy of p[0..n) valid for this row. The row buffer is
 * sized for every field before the row starts, so it never moves. */
static const char *cstr(struct imp *m, const char *p, size_t n)
{
    char *s = m->row + m->row_n;
    if (m->row_n + n + 1 > m->row_cap) /* cannot happen: sized per row */
        return "";
    memcpy(s, p, n);
    s[n] = 0;
    m->row_n += n + 1;
    return s;
}

/* The field in column ci of rec, trimmed unless raw, or NULL when absent
 * or empty. */
static const struct rec_field *get(const struct record *rec, int ci,
                                   struct rec_field *tmp, int raw)
{
    if (ci < 0 || (size_t)ci >= rec->n || !rec->f[ci].p)
        return NULL;
    *tmp = rec->f[ci];
    if (!raw)
        trim(&tmp->p, &tmp->n);
    return tmp->n ? tmp : NULL;
}

/* A required single column: present and not empty, or a located error. */
static int need(struct imp *m, const struct record *rec, enum role r,
                struct rec_field *tmp, const struct rec_field **out,
                struct err *err)
{
    const char *name = "";
    for (size_t k = 0; k < N_FIXED; k++)
        if (fixed[k].role == r)
            name = fixed[k].name;
    *out = get(rec, m->single[r], tmp, 0);
    if (*out)
        return 0;
    int ci = m->single[r];
    if (ci >= 0 && (size_t)ci < rec->n && rec->f[ci].p)
        return bad(m, &rec->f[ci], err, "%s is empty", name);
    return err_at(err, ERR_INVALID, m->path, rec->line, 1, "%s is missing",
                  name);
}

static int get_id(struct imp *m, const struct rec_field *f, const char *what,
                  const char **out, struct err *err)
{
    if (f->n > MAX_ID)
        return bad(m, f, err, "%s is longer than %d bytes", what, MAX_ID);
    *out = cstr(m, f->p, f->n);
    return 0;
}

static int get_time(struct imp *m, const struct rec_field *f, const char *what,
                    int64_t *utc, int *tz, struct err *err)
{
    struct err e = ERR_INIT;
    size_t at;
    if (tstamp_parse(utc, tz, f->p, f->n, &at, &e) < 0)
        return bad(m, f, err, "%s: %s", what, e.msg);
    return 0;
}

static int get_score(struct imp *m, const struct record *rec, enum role r,
                     const char *name, int lo, int hi, int *out,
                     struct err *err)
{
    struct rec_field tmp;
    const struct rec_field *f = get(rec, m->single[r], &tmp, 0);
    long v;
    double d;
    *out = -1;
    if (!f)
        return 0;
    if (parse_int(&v, f->p, f->n) == 0) {
        if (v < lo || v > hi)
            return bad(m, f, err, "%s must be %d..%d, got \"%.*s\"", name, lo,
                       hi, shown(f->p, f->n), f->p);
        *out = (int)v;
        return 0;
    }
    if (parse_number(&d, f->p, f->n) == 0)
        return bad(m, f, err, "%s must be a whole number %d..%d, got \"%.*s\"",
                   name, lo, hi, shown(f->p, f->n), f->p);
    return bad(m, f, err, "%s must be a number %d..%d, got \"%.*s\"", name, lo,
               hi, shown(f->p, f->n), f->p);
}

static int get_channel(struct imp *m, const char *key, size_t n, int64_t *id,
                       struct err *err)
{
    int rc;
    if (strmap_get(m->channels, key, n, id))
        return 0;
    if ((rc = pipe_drain(&m->pipe, err)) < 0)
        return rc;
    char *k = xstrndup(key, n);
    struct channel c = {0, k};
    if ((rc = store_put_channel(m->s, &c, err)) == 0) {
        strmap_put(m->channels, key, n, c.id);
        *id = c.id;
    }
    free(k);
    return rc;
}

static int get_customer(struct imp *m, const char *ext, size_t n, int64_t *id,
                        struct err *err)
{
    int rc, inserted;
    if (strmap_get(m->customers, ext, n, id))
        return 0;
    struct customer c = {0, ext, NULL, NULL};
    if ((rc = pipe_drain(&m->pipe, err)) < 0 ||
        (rc = store_put_customer(m->s, &c, &inserted, err)) < 0)
        return rc;
    m->n->customers_created += inserted;
    strmap_put(m->customers, ext, n, c.id);
    *id = c.id;
    return 0;
}

static int get_employee(struct imp *m, const char *ext, size_t n, int64_t *id,
                        struct err *err)
{
    int rc, inserted;
    if (strmap_get(m->employees, ext, n, id))
        return 0;
    struct employee e = {0, ext, NULL, NULL};
    if ((rc = pipe_drain(&m->pipe, err)) < 0 ||
        (rc = store_put_employee(m->s, &e, &inserted, err)) < 0)
        return rc;
    strmap_put(m->employees, ext, n, e.id);
    *id = e.id;
    return 0;
}

static int get_touchpoint(struct imp *m, const struct rec_field *f, size_t *idx,
                          struct err *err)
{
    int64_t i;
    if (strmap_get(m->tp_keys, f->p, f->n, &i)) {
        *idx = (size_t)i;
        return 0;
    }
    if (m->ntps == 0)
        return bad(m, f, err,
                   "unknown touchpoint \"%.*s\" (no touchpoints yet: run "
                   "'resonans journey load' first)",
                   shown(f->p, f->n), f->p);
    char list[120];
    size_t used = 0;
    list[0] = 0;
    for (size_t k = 0; k < m->ntps && k < strmap_count(m->tp_keys); k++) {
        size_t kn;
        const char *key = strmap_key(m->tp_keys, k, &kn);
        if (used + kn + 6 >= sizeof list) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%.*s",
                                 k ? ", " : "", (int)kn, key);
    }
    return bad(m, f, err, "unknown touchpoint \"%.*s\" (known: %s)",
               shown(f->p, f->n), f->p, list);
}

/* Adds id p[0..n) of the record on line to the ids seen in this file.
 * Returns 1 if it is new, 0 if seen before (*first is that line), or
 * ERR_INVALID (at f) for a file with more lines than the set can note. */
static int ids_add(struct imp *m, const struct rec_field *f, const char *p,
                   size_t n, long line, long *first, struct err *err)
{
    uint32_t first_line;
    if (line < 0 || (unsigned long)line > IDSET_MAX_LINE)
        return bad(m, f, err, "the file has more than %lu lines",
                   (unsigned long)IDSET_MAX_LINE);
    if (idset_add(m->ids, p, n, (uint32_t)line, &first_line))
        return 1;
    *first = (long)first_line;
    return 0;
}

/* Adds the row's id (f, trimmed: a slice of the input unless it was
 * unescaped, so the set usually need not copy it) to the ids seen; a
 * second sighting is an error that names the first line. */
static int check_dup(struct imp *m, const struct rec_field *f, long line,
                     struct err *err)
{
    long first = 0;
    int rc = ids_add(m, f, f->p, f->n, line, &first, err);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    return bad(m, f, err, "duplicate id \"%.*s\" (first on line %ld)",
               shown(f->p, f->n), f->p, first);
}

static int answer_value(struct imp *m, const struct aspec *s,
                        const struct rec_field *f, struct answer *a, int side,
                        struct err *err)
{
    double v;
    const char *p = f->p;
    size_t n = f->n;
    const char *what = s->kind == ANSWER_GAP ? (side ? "perceive" : "expect")
                                             : answer_kind_name(s->kind);
    switch (s->kind) {
    case ANSWER_RATING:
    case ANSWER_GAP:
        trim(&p, &n);
        if (parse_number(&v, p, n) < 0 || v < 0 || v > s->max)
            return bad(m, f, err, "%s:%s must be a number 0..%g, got \"%.*s\"",
                       what, s->key, s->max, shown(p, n), p);
        if (side)
            a->v2 = v;
        else
            a->v1 = v;
        if (s->kind == ANSWER_RATING)
            a->v2 = s->max;
        return 0;
    case ANSWER_DYAD:
        trim(&p, &n);
        if (parse_number(&v, p, n) < 0 || v < 0 || v > 1)
            return bad(m, f, err, "dyad:%s must be a number 0..1, got \"%.*s\"",
                       s->key, shown(p, n), p);
        a->v1 = v;
        return 0;
    case ANSWER_TRIAD: {
        double w[3];
        size_t k = 0, i = 0;
        trim(&p, &n);
        while (k < 3) {
            size_t j = i;
            while (j < n && p[j] != '|')
                j++;
            const char *q = p + i;
            size_t qn = j - i;
            trim(&q, &qn);
            if (parse_number(&w[k], q, qn) < 0 || w[k] < 0)
                break;
            k++;
            i = j + 1;
            if (j >= n)
                break;
        }
        double sum = k == 3 ? w[0] + w[1] + w[2] : 0;
        if (k != 3 || i < n + 1 || fabs(sum - 1) > 0.01)
            return bad(m, f, err,
                       "triad:%s must be three weights a|b|c >= 0 summing to "
                       "1, got \"%.*s\"",
                       s->key, shown(p, n), p);
        a->v1 = w[0] / sum;
        a->v2 = w[1] / sum;
        a->v3 = w[2] / sum;
        return 0;
    }
    case ANSWER_CHOICE:
        trim(&p, &n);
        if (!n)
            return 0;
        a->text = cstr(m, p, n);
        return 0;
    case ANSWER_TEXT:
    case ANSWER_STORY:
        if (side)
            a->title = cstr(m, p, n);
        else
            a->text = cstr(m, p, n);
        return 0;
    }
    return err_set(err, ERR_INTERNAL, "unknown answer kind");
}

static int row_answers(struct imp *m, const struct record *rec,
                       struct response *r, struct err *err)
{
    int rc, na = 0;
    for (size_t k = 0; k < m->naspecs; k++) {
        const struct aspec *s = &m->aspecs[k];
        struct rec_field t0, t1;
        int raw = s->kind == ANSWER_TEXT || s->kind == ANSWER_STORY;
        const struct rec_field *f0 = get(rec, s->col[0], &t0, raw);
        const struct rec_field *f1 = get(rec, s->col[1], &t1, raw);
        struct answer *a = &m->answers[na];
        if (!f0 && !f1)
            continue;
        if (s->kind == ANSWER_GAP && (!f0 || !f1))
            return bad(m, f0 ? f0 : f1, err,
                       "expect:%s and perceive:%s must be given together",
                       s->key, s->key);
        if (s->kind == ANSWER_STORY && !f0)
            return bad(m, f1, err, "story_title:%s given without story:%s",
                       s->key, s->key);
        memset(a, 0, sizeof *a);
        a->question = s->key;
        a->kind = s->kind;
        if (f0 && (rc = answer_value(m, s, f0, a, 0, err)) < 0)
            return rc;
        if (f1 && (rc = answer_value(m, s, f1, a, 1, err)) < 0)
            return rc;
        if (s->kind == ANSWER_CHOICE && !a->text)
            continue;
        na++;
    }
    r->answers = m->answers;
    r->n_answers = na;
    return 0;
}

static int valid_language(const char *p, size_t n)
{
    if (n < 2 || n > 35)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(isalnum(c) || ((c == '-' || c == '_') && i >= 2)))
            return 0;
    }
    return isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]);
}

/* ---- text analysis ---- */

/* The record field an answer's text came from, for error locations. */
static const struct rec_field *answer_field(struct imp *m,
                                            const struct record *rec,
                                            const struct answer *a, int side)
{
    for (size_t k = 0; k < m->naspecs; k++) {
        int ci = m->aspecs[k].col[side];
        if (m->aspecs[k].key == a->question && ci >= 0 && (size_t)ci < rec->n)
            return &rec->f[ci];
    }
    return rec->n ? &rec->f[0] : NULL;
}

/* A NUL-terminated copy of p[0..n) in the batch's side storage. */
static const char *side_str(struct imp *m, const char *p, size_t n)
{
    char *s = batch_alloc(m->fill, n + 1);
    if (n)
        memcpy(s, p, n);
    s[n] = 0;
    return s;
}

/* Redacts (and unless no_analysis, analyses) one text; *text is replaced
 * by the redacted copy in side storage. Returns the analysis to store, or
 * NULL in redact-only mode. */
static int analyze_text(struct imp *m, const struct record *rec,
                        const struct answer *a, int side, const char **text,
                        const char *lang, struct comment_analysis **out,
                        struct err *err)
{
    struct err e = ERR_INIT;
    int rc;
    *out = NULL;
    if (m->o->no_analysis || side)
        rc = analyzer_redact(m->analyzer, &m->an, *text, strlen(*text), &e);
    else
        rc = analyzer_run(m->analyzer, &m->an, *text, strlen(*text), lang, &e);
    if (rc < 0) {
        const struct rec_field *f = answer_field(m, rec, a, side);
        if (!f)
            return err_set(err, rc, "%s", e.msg);
        return bad(m, f, err, "%s: cannot analyse the text: %s", a->question,
                   e.msg);
    }
    *text = side_str(m, m->an.text.p ? m->an.text.p : "", m->an.text.n);
    m->n->redacted += m->an.n_redactions > 0;
    if (m->o->no_analysis || side)
        return 0;
    struct comment_analysis *ca = batch_alloc(m->fill, sizeof *ca);
    struct theme_mention *tm = NULL;
    if (m->an.n_themes)
        tm = batch_alloc(m->fill, m->an.n_themes * sizeof *tm);
    for (size_t i = 0; i < m->an.n_themes; i++) {
        tm[i].theme = themes_key(m->themes, (size_t)m->an.themes[i].theme);
        tm[i].sentiment = m->an.themes[i].sentiment;
    }
    ca->language = lang_code(m->an.lang);
    ca->lang_conf = m->an.lang_conf;
    ca->score = m->an.score;
    ca->label = sentiment_label_name((enum sentiment_label)m->an.label);
    ca->redactions = m->an.redactions;
    ca->n_redactions = m->an.n_redactions;
    ca->explanation =
        side_str(m, m->an.explanation.p ? m->an.explanation.p : "{}",
                 m->an.explanation.p ? m->an.explanation.n : 2);
    ca->mentions = tm;
    ca->n_mentions = (int)m->an.n_themes;
    *out = ca;
    return 0;
}

/* Redacts and analyses every text answer of r (comments, text:KEY, story
 * text; story titles are redacted only). */
static int analyze_answers(struct imp *m, const struct record *rec,
                           struct response *r, struct err *err)
{
    int rc;
    if (!m->analyzer)
        return 0;
    for (int i = 0; i < r->n_answers; i++) {
        struct answer *a = &m->answers[i];
        struct comment_analysis *ca = NULL;
        if (a->kind != ANSWER_TEXT && a->kind != ANSWER_STORY)
            continue;
        if (a->text) {
            if ((rc = analyze_text(m, rec, a, 0, &a->text, r->language, &ca,
                                   err)) < 0)
                return rc;
            a->analysis = ca;
            m->n->analysed++;
        }
        if (a->title &&
            (rc = analyze_text(m, rec, a, 1, &a->title, NULL, &ca, err)) < 0)
            return rc;
    }
    return 0;
}

/* Validates a response row into *out, then resolves its customer,
 * employee and channel to ids, creating those that are new: all but the
 * write. Nothing is written unless the whole row is valid. The strings
 * and answers of *out are in the row's room (m->row). */
static int prep_response(struct imp *m, const struct record *rec,
                         struct response *out, struct err *err)
{
    struct rec_field t_id, t_ts, t_tp, t;
    const struct rec_field *f_id, *f_ts, *f_tp, *f_cu, *f_em, *f;
    struct response r;
    size_t tpi = 0;
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = need(m, rec, R_ID, &t_id, &f_id, err)) < 0)
        return rc;
    /* check_dup comes last; the rest of the row hides its cache miss. */
    idset_prefetch(m->ids, f_id->p, f_id->n);
    if ((rc = get_id(m, f_id, "id", &r.ext_id, err)) < 0 ||
        (rc = need(m, rec, R_SUBMITTED_AT, &t_ts, &f_ts, err)) < 0 ||
        (rc = get_time(m, f_ts, "submitted_at", &r.ts, &r.tz_min, err)) < 0 ||
        (rc = need(m, rec, R_TOUCHPOINT, &t_tp, &f_tp, err)) < 0 ||
        (rc = get_touchpoint(m, f_tp, &tpi, err)) < 0)
        return rc;
    r.touchpoint_id = m->tps[tpi].id;

    struct rec_field t_cu, t_em;
    f_cu = get(rec, m->single[R_CUSTOMER], &t_cu, 0);
    if (f_cu && f_cu->n > MAX_ID)
        return bad(m, f_cu, err, "customer is longer than %d bytes", MAX_ID);
    f_em = get(rec, m->single[R_EMPLOYEE], &t_em, 0);
    if (f_em && f_em->n > MAX_ID)
        return bad(m, f_em, err, "employee is longer than %d bytes", MAX_ID);

    r.kind = RESPONDENT_CUSTOMER;
    if ((f = get(rec, m->single[R_RESPONDENT], &t, 0))) {
        if (lc_eq(f->p, f->n, "employee"))
            r.kind = RESPONDENT_EMPLOYEE;
        else if (!lc_eq(f->p, f->n, "customer"))
            return bad(m, f, err,
                       "respondent must be \"customer\" or \"employee\", got "
                       "\"%.*s\"",
                       shown(f->p, f->n), f->p);
    }
    struct rec_field t_ch;
    const struct rec_field *f_ch = get(rec, m->single[R_CHANNEL], &t_ch, 0);
    if (f_ch && !valid_key(f_ch->p, f_ch->n))
        return bad(m, f_ch, err, "channel \"%.*s\" is not a valid key",
                   shown(f_ch->p, f_ch->n), f_ch->p);
    if ((f = get(rec, m->single[R_LANGUAGE], &t, 0))) {
        if (!valid_language(f->p, f->n))
            return bad(m, f, err,
                       "language must be a code like \"sv\" or \"en\", got "
                       "\"%.*s\"",
                       shown(f->p, f->n), f->p);
        r.language = cstr(m, f->p, f->n);
    }
    if ((rc = get_score(m, rec, R_NPS, "nps", 0, 10, &r.nps, err)) < 0 ||
        (rc = get_score(m, rec, R_CSAT, "csat", 1, 5, &r.csat, err)) < 0 ||
        (rc = get_score(m, rec, R_CES, "ces", 1, 7, &r.ces, err)) < 0 ||
        (rc = row_answers(m, rec, &r, err)) < 0 ||
        (rc = analyze_answers(m, rec, &r, err)) < 0 ||
        (rc = check_dup(m, f_id, rec->line, err)) < 0)
        return rc;

    /* Valid: now resolve what may need writing. */
    struct tp *tp = &m->tps[tpi];
    if (f_ch) {
        if ((rc = get_channel(m, f_ch->p, f_ch->n, &r.channel_id, err)) < 0)
            return rc;
    } else {
        if (!tp->channel_id &&
            (rc = get_channel(m, tp->channel, strlen(tp->channel),
                              &tp->channel_id, err)) < 0)
            return rc;
        r.channel_id = tp->channel_id;
    }
    if (f_cu && (rc = get_customer(m, cstr(m, f_cu->p, f_cu->n), f_cu->n,
                                   &r.customer_id, err)) < 0)
        return rc;
    if (f_em && (rc = get_employee(m, cstr(m, f_em->p, f_em->n), f_em->n,
                                   &r.employee_id, err)) < 0)
        return rc;
    *out = r;
    return 0;
}

/* Builds the row's attributes object from its R_ATTR columns. Returns
 * the JSON text (valid for this row) or NULL when there are none. */
static int row_attrs(struct imp *m, const struct record *rec, const char **out,
                     struct err *err)
{
    size_t n = rec->n < m->ncols ? rec->n : m->ncols;
    strbuf_reset(&m->attrs);
    for (size_t i = 0; i < n; i++) {
        struct rec_field t;
        const struct rec_field *f;
        if (m->cols[i].role != R_ATTR || !(f = get(rec, (int)i, &t, 0)))
            continue;
        strbuf_putc(&m->attrs, m->attrs.n ? ',' : '{');
        strbuf_puts(&m->attrs, m->cols[i].attr_json);
        attr_value(&m->attrs, f->p, f->n);
        if (m->attrs.n + 1 >= MAX_ATTRS)
            return bad(m, f, err, "attributes are too large (over %zu bytes)",
                       MAX_ATTRS);
    }
    *out = NULL;
    if (m->attrs.n) {
        strbuf_putc(&m->attrs, '}');
        *out = strbuf_str(&m->attrs);
    }
    return 0;
}

static int row_customer(struct imp *m, const struct record *rec,
                        struct err *err)
{
    struct rec_field t_id, t_sg;
    const struct rec_field *f_id, *f_sg;
    struct customer c = {0, NULL, NULL, NULL};
    int rc, inserted;

    if ((rc = need(m, rec, R_ID, &t_id, &f_id, err)) < 0 ||
        (rc = get_id(m, f_id, "id", &c.ext_id, err)) < 0)
        return rc;
    if ((f_sg = get(rec, m->single[R_SEGMENT], &t_sg, 0)))
        c.segment = cstr(m, f_sg->p, f_sg->n);
    if ((rc = row_attrs(m, rec, &c.attrs, err)) < 0 ||
        (rc = check_dup(m, f_id, rec->line, err)) < 0 ||
        (rc = store_put_customer(m->s, &c, &inserted, err)) < 0)
        return rc;
    if (inserted)
        m->n->inserted++;
    else
        m->n->present++;
    return 0;
}

static int row_event(struct imp *m, const struct record *rec, struct err *err)
{
    struct rec_field t_cu, t_ac, t_tm, t_id, t_tp, t_ch;
    const struct rec_field *f_cu, *f_ac, *f_tm, *f_id, *f_tp, *f_ch;
    struct event e;
    size_t tpi = 0;
    int rc, inserted;

    memset(&e, 0, sizeof e);
    if ((rc = need(m, rec, R_CUSTOMER, &t_cu, &f_cu, err)) < 0 ||
        (rc = need(m, rec, R_ACTIVITY, &t_ac, &f_ac, err)) < 0 ||
        (rc = need(m, rec, R_TIME, &t_tm, &f_tm, err)) < 0 ||
        (rc = get_time(m, f_tm, "time", &e.ts, &e.tz_min, err)) < 0)
        return rc;
    if (f_cu->n > MAX_ID)
        return bad(m, f_cu, err, "customer is longer than %d bytes", MAX_ID);
    if (f_ac->n > MAX_ID)
        return bad(m, f_ac, err, "activity is longer than %d bytes", MAX_ID);
    e.activity = cstr(m, f_ac->p, f_ac->n);
    if ((f_tp = get(rec, m->single[R_TOUCHPOINT], &t_tp, 0)) &&
        (rc = get_touchpoint(m, f_tp, &tpi, err)) < 0)
        return rc;
    f_ch = get(rec, m->single[R_CHANNEL], &t_ch, 0);
    if (f_ch && !valid_key(f_ch->p, f_ch->n))
        return bad(m, f_ch, err, "channel \"%.*s\" is not a valid key",
                   shown(f_ch->p, f_ch->n), f_ch->p);
    if ((rc = row_attrs(m, rec, &e.attrs, err)) < 0)
        return rc;

    if ((f_id = get(rec, m->single[R_ID], &t_id, 0))) {
        if ((rc = get_id(m, f_id, "id", &e.ext_id, err)) < 0 ||
            (rc = check_dup(m, f_id, rec->line, err)) < 0)
            return rc;
    } else {
        /* customer|activity|UTC time identifies an event without an id. */
        char ts[40];
        tstamp_format(ts, sizeof ts, e.ts, 0);
        strbuf_reset(&m->tmp);
        strbuf_add(&m->tmp, f_cu->p, f_cu->n);
        strbuf_putc(&m->tmp, '|');
        strbuf_add(&m->tmp, f_ac->p, f_ac->n);
        strbuf_putc(&m->tmp, '|');
        strbuf_puts(&m->tmp, ts);
        e.ext_id = strbuf_str(&m->tmp);
        long first = 0;
        if ((rc = ids_add(m, f_cu, e.ext_id, m->tmp.n, rec->line, &first,
                          err)) < 0)
            return rc;
        if (rc == 0)
            return bad(m, f_cu, err,
                       "duplicate event: same customer, activity and time "
                       "as line %ld (give events an id column to keep both)",
                       first);
    }

    if (f_tp) {
        struct tp *tp = &m->tps[tpi];
        e.touchpoint_id = tp->id;
        if (!f_ch && !tp->channel_id &&
            (rc = get_channel(m, tp->channel, strlen(tp->channel),
                              &tp->channel_id, err)) < 0)
            return rc;
        e.channel_id = tp->channel_id;
    }
    if (f_ch && (rc = get_channel(m, f_ch->p, f_ch->n, &e.channel_id, err)) < 0)
        return rc;
    if ((rc = get_customer(m, cstr(m, f_cu->p, f_cu->n), f_cu->n,
                           &e.customer_id, err)) < 0 ||
        (rc = store_put_event(m->s, &e, &inserted, err)) < 0)
        return rc;
    if (inserted)
        m->n->inserted++;
    else
        m->n->present++;
    return 0;
}

/* JSON Lines: gives roles to columns first seen in this record. An
 * unknown column stays R_UNKNOWN, so every row using it is rejected. */
static int new_columns(struct imp *m, const struct record *rec, struct err *err)
{
    int rc = 0;
    for (size_t i = m->ncols; i < rec->n; i++) {
        size_t n;
        const char *name = jsonl_reader_column(m->jsonl, i, &n);
        struct err e = ERR_INIT;
        const struct rec_field *f = &rec->f[i];
        if (resolve_col(m, i, name, n, f, &e) < 0 && rc == 0) {
            *err = e;
            rc = e.code;
        }
    }
    if (rc)
        return rc;
    for (size_t i = 0; i < rec->n && i < m->ncols; i++)
        if (m->cols[i].role == R_UNKNOWN && rec->f[i].p) {
            size_t n;
            const char *name = jsonl_reader_column(m->jsonl, i, &n);
            return bad(m, &rec->f[i], err, "unknown field \"%.*s\"",
                       shown(name, n), name);
        }
    return 0;
}

/* Validates one record and writes it, or for responses adds it to the
 * batch being filled. */
static int row(struct imp *m, const struct record *rec, struct err *err)
{
    size_t ans_bytes, need_bytes;
    int rc;
    if (m->jsonl && (rc = new_columns(m, rec, err)) < 0)
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
        if ((rc = prep_response(m, rec, &r, err)) < 0)
            return rc;
        batch_commit(m->fill, &r, m->row_n);
        return 0;
    }
    case IMPORT_CUSTOMERS:
        return row_customer(m, rec, err);
    case IMPORT_EVENTS:
        return row_event(m, rec, err);
    }
    return err_set(err, ERR_INTERNAL, "unknown import kind");
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

static int header(struct imp *m, struct err *err)
{
    struct record hdr;
    int rc;
    if (!m->csv)
        return m->o->rejects ? reject_header(m, NULL, err) : 0;
    if ((rc = csv_reader_next(m->csv, &hdr, err)) < 0)
        return rc;
    if (rc == 0)
        return err_at(err, ERR_INVALID, m->path, 1, 1,
                      "the file is empty (expected a header line)");
    for (size_t i = 0; i < hdr.n; i++)
        if ((rc = resolve_col(m, i, hdr.f[i].p, hdr.f[i].n, &hdr.f[i], err)) <
            0)
            return rc;
    if ((rc = check_header(m, &hdr, err)) < 0)
        return rc;
    return m->o->rejects ? reject_header(m, &hdr, err) : 0;
}

static int load_lookups(struct imp *m, struct err *err)
{
    int rc = 0;
    if (m->kind == K_CUST)
        return 0;
    if ((rc = store_list_touchpoints(m->s, on_touchpoint, m, err)) < 0 ||
        (rc = store_list_channels(m->s, on_channel, m, err)) < 0 ||
        (rc = store_scan_customers(m->s, on_customer, m, err)) < 0)
        return rc;
    if (m->kind == K_RESP)
        rc = store_scan_employees(m->s, on_employee, m, err);
    return rc;
}

/* Sends the batch being filled to the store: to the consumer thread,
 * started by the first full batch, or when the file fits in one batch (or
 * no thread can be had) written here. last: no batch follows. */
static int flush(struct imp *m, int last, struct err *err)
{
    int rc;
    if (!m->fill->n)
        return 0;
    if (!m->pipe.running && !last)
        (void)pipe_start(&m->pipe);
    if (m->pipe.running)
        return pipe_push(&m->pipe, &m->fill, err);
    rc = batch_write(m->fill, m->s, m->n, err);
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
            if (rc != ERR_INVALID || !m->o->rejects) {
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

/* Loads the text models for this import: the taxonomy given, else the
 * one saved in the store, else the built-in one. */
static int analysis_start(struct imp *m, struct err *err)
{
    int rc;
    m->themes = m->o->themes;
    if (!m->o->no_analysis && !m->themes) {
        char *name = NULL, *src = NULL;
        size_t n = 0;
        int replaces = 0;
        struct err e = ERR_INIT;
        rc = store_get_taxonomy(m->s, &name, &src, &n, &replaces, &e);
        if (rc == 0)
            rc = themes_build(&m->themes_owned, src, n, name, replaces, err);
        else if (rc == ERR_NOTFOUND)
            rc = themes_build(&m->themes_owned, NULL, 0, NULL, 0, err);
        else
            *err = e;
        free(name);
        free(src);
        if (rc < 0)
            return rc;
        m->themes = m->themes_owned;
    }
    if (!m->o->no_analysis && ((rc = langid_new(&m->langid, err)) < 0 ||
                               (rc = sentiment_new(&m->sentiment, err)) < 0))
        return rc;
    return analyzer_new(&m->analyzer, m->langid, m->sentiment, m->themes, err);
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
    m.tp_keys = strmap_new();
    m.channels = strmap_new();
    m.customers = strmap_new();
    m.employees = strmap_new();
    strbuf_init(&m.attrs, 0);
    strbuf_init(&m.tmp, 0);
    m.pipe.s = s;
    m.fill = &m.pipe.batches[0];
    for (size_t i = 1; i < NBATCH; i++)
        m.pipe.free_list[m.pipe.nfree++] = &m.pipe.batches[i];
    m.batch_rows = opts->batch_rows ? opts->batch_rows : BATCH_ROWS;

    analysis_init(&m.an);
    if (opts->map && (rc = parse_map(&m, opts->map, err)) < 0)
        goto done;
    if (opts->kind == IMPORT_RESPONSES && (rc = analysis_start(&m, err)) < 0)
        goto done;
    if (opts->format == IMPORT_CSV)
        m.csv = csv_reader_new(buf, len, opts->delimiter, m.path);
    else
        m.jsonl = jsonl_reader_new(buf, len, m.path);
    if ((rc = store_begin_bulk(s, err)) < 0)
        goto done;
    began = 1;
    if ((rc = load_lookups(&m, err)) == 0)
        rc = run(&m, len, err);
    /* The consumer must be stopped, on any path, before the transaction
     * ends on this thread. */
    rc = pipe_stop(&m.pipe, rc, err);
    out->inserted += m.pipe.wrote.inserted;
    out->present += m.pipe.wrote.present;
    if (rc < 0)
        goto done;
    /* The commit (an index build, for a first load) is the memory peak:
     * let go of the big things first. */
    idset_free(m.ids);
    m.ids = NULL;
    for (size_t i = 0; i < NBATCH; i++)
        batch_dispose(&m.pipe.batches[i]);
    rc = store_commit(s, err);
    began = 0;
done:
    if (began)
        store_rollback(s);
    csv_reader_free(m.csv);
    jsonl_reader_free(m.jsonl);
    for (size_t i = 0; i < m.ncols; i++) {
        free(m.cols[i].name);
        free(m.cols[i].attr_json);
    }
    free(m.cols);
    for (size_t i = 0; i < m.naspecs; i++)
        free(m.aspecs[i].key);
    free(m.aspecs);
    for (size_t i = 0; i < m.nmap; i++) {
        free(m.map[i].from);
        free(m.map[i].to);
    }
    free(m.map);
    for (size_t i = 0; i < m.ntps; i++)
        free(m.tps[i].channel);
    free(m.tps);
    strmap_free(m.attr_names);
    idset_free(m.ids);
    strmap_free(m.tp_keys);
    strmap_free(m.channels);
    strmap_free(m.customers);
    strmap_free(m.employees);
    for (size_t i = 0; i < NBATCH; i++)
        batch_dispose(&m.pipe.batches[i]);
    strbuf_dispose(&m.attrs);
    strbuf_dispose(&m.tmp);
    analyzer_free(m.analyzer);
    analysis_dispose(&m.an);
    themes_free(m.themes_owned);
    sentiment_free(m.sentiment);
    langid_free(m.langid);
    return rc;
}

int import_format_guess(enum import_format *out, const char *path,
                        struct err *err)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (lc_eq(dot, strlen(dot), ".jsonl") ||
            lc_eq(dot, strlen(dot), ".ndjson")) {
            *out = IMPORT_JSONL;
            return 0;
        }
        if (lc_eq(dot, strlen(dot), ".csv") ||
            lc_eq(dot, strlen(dot), ".txt") ||
            lc_eq(dot, strlen(dot), ".tsv")) {
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
