#include "stats/metrics.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "stats/mean.h"
#include "stats/nps.h"
#include "stats/period.h"
#include "stats/prop.h"

/* ---- the query ---- */

void metrics_query_init(struct metrics_query *q)
{
    memset(q, 0, sizeof *q);
    q->metrics = METRIC_ALL;
    q->min_n = METRICS_MIN_N;
    q->from_day = METRICS_DAY_MIN;
    q->to_day = METRICS_DAY_MAX;
}

void metrics_query_dispose(struct metrics_query *q)
{
    for (size_t i = 0; i < q->n_where; i++)
        free(q->where[i].values);
    free(q->where);
    q->where = NULL;
    q->n_where = 0;
}

/* Splits s at sep: returns the length of the next item and advances *s
 * past it and the separator. */
static size_t next_item(const char **s, char sep)
{
    const char *p = *s, *e = strchr(p, sep);
    size_t n = e ? (size_t)(e - p) : strlen(p);
    *s = e ? e + 1 : p + n;
    return n;
}

static const char dim_list[] = "stage, touchpoint, channel, segment, kind, "
                               "language, journey, sentiment, theme, day, "
                               "week, month, quarter, year";

static int parse_dim(enum colstore_dim *d, const char *s, size_t n,
                     struct err *err)
{
    if (colstore_dim_parse(d, s, n) < 0)
        return err_set(err, ERR_INVALID,
                       "unknown dimension \"%.*s\" (expected one of: %s)",
                       (int)(n > 40 ? 40 : n), s, dim_list);
    return 0;
}

int metrics_query_by(struct metrics_query *q, const char *list, struct err *err)
{
    const char *s = list;
    int rc;
    if (!*s)
        return err_set(err, ERR_INVALID, "--by needs at least one dimension");
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ',');
        enum colstore_dim d;
        if ((rc = parse_dim(&d, item, n, err)) < 0)
            return rc;
        for (int i = 0; i < q->n_by; i++)
            if (q->by[i] == d)
                return err_set(err, ERR_INVALID, "dimension %s given twice",
                               colstore_dim_name(d));
        if (q->n_by >= METRICS_MAX_BY)
            return err_set(err, ERR_INVALID, "at most %d dimensions in --by",
                           METRICS_MAX_BY);
        q->by[q->n_by++] = d;
    }
    return 0;
}

int metrics_query_metrics(struct metrics_query *q, const char *list,
                          struct err *err)
{
    static const char *const names[] = {"nps", "csat", "ces"};
    unsigned m = 0;
    const char *s = list;
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ',');
        int found = 0;
        for (int i = 0; i < 3; i++) {
            if (strlen(names[i]) == n && !memcmp(names[i], item, n)) {
                m |= 1u << i;
                found = 1;
            }
        }
        if (!found)
            return err_set(err, ERR_INVALID,
                           "unknown metric \"%.*s\" (expected nps, csat, ces)",
                           (int)(n > 40 ? 40 : n), item);
    }
    if (!m)
        return err_set(err, ERR_INVALID, "no metric given");
    q->metrics = m;
    return 0;
}

void metrics_query_days(struct metrics_query *q, int64_t from, int64_t to)
{
    if (from > q->from_day)
        q->from_day = from;
    if (to < q->to_day)
        q->to_day = to;
}

void metrics_query_where_codes(struct metrics_query *q, enum colstore_dim dim,
                               const int64_t *values, size_t n)
{
    q->where = xrealloc(q->where, (q->n_where + 1) * sizeof *q->where);
    struct metrics_where *w = &q->where[q->n_where++];
    w->dim = dim;
    w->n = n;
    w->values = xmalloc((n ? n : 1) * sizeof *w->values);
    if (n)
        memcpy(w->values, values, n * sizeof *values);
}

static enum period_unit unit_of(enum colstore_dim d)
{
    switch (d) {
    case DIM_DAY:
        return PERIOD_DAY;
    case DIM_WEEK:
        return PERIOD_WEEK;
    case DIM_MONTH:
        return PERIOD_MONTH;
    case DIM_QUARTER:
        return PERIOD_QUARTER;
    default:
        return PERIOD_YEAR;
    }
}

static int parse_range(struct metrics_query *q, const char *s, size_t n,
                       const char *dots, struct err *err)
{
    int64_t from = METRICS_DAY_MIN, to = METRICS_DAY_MAX;
    size_t fn = (size_t)(dots - s), tn = n - fn - 2;
    if ((fn && tstamp_parse_date(&from, s, fn) < 0) ||
        (tn && tstamp_parse_date(&to, dots + 2, tn) < 0))
        return err_set(err, ERR_INVALID,
                       "bad date range \"%.*s\" (expected "
                       "YYYY-MM-DD..YYYY-MM-DD)",
                       (int)(n > 60 ? 60 : n), s);
    if (from > to)
        return err_set(err, ERR_INVALID,
                       "date range \"%.*s\" ends before it starts",
                       (int)(n > 60 ? 60 : n), s);
    metrics_query_days(q, from, to);
    return 0;
}

/* "no touchpoint "x" (known: a, b, ...)", listing the known values that
 * fit whole. */
static int not_found(const struct colstore *cs, enum colstore_dim d,
                     const char *v, size_t n, struct err *err)
{
    char known[140] = "";
    size_t used = 0, card = colstore_card(cs, d);
    for (size_t c = 0; c < card; c++) {
        const char *label = colstore_label(cs, d, (int)c);
        size_t k = strlen(label) + (c ? 2 : 0);
        if (used + k + 4 >= sizeof known) {
            memcpy(known + used, ", ..", 5);
            break;
        }
        snprintf(known + used, sizeof known - used, "%s%s", c ? ", " : "",
                 label);
        used += k;
    }
    return err_set(err, ERR_NOTFOUND, "no %s \"%.*s\"%s%s%s",
                   colstore_dim_name(d), (int)(n > 60 ? 60 : n), v,
                   card ? " (known: " : "", known, card ? ")" : "");
}

static int parse_clause(struct metrics_query *q, const struct colstore *cs,
                        const char *s, size_t n, struct err *err)
{
    const char *eq = memchr(s, '=', n);
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    if (!eq && dots)
        return parse_range(q, s, n, dots, err);
    if (!eq)
        return err_set(err, ERR_INVALID,
                       "bad filter \"%.*s\" (expected DIM=VALUE[,VALUE] or "
                       "FROM..TO)",
                       (int)(n > 60 ? 60 : n), s);
    enum colstore_dim d;
    int rc;
    if ((rc = parse_dim(&d, s, (size_t)(eq - s), err)) < 0)
        return rc;
    const char *v = eq + 1, *end = s + n;
    size_t cap = 0, nv = 0;
    int64_t *vals = NULL;
    if (v == end) {
        rc = err_set(err, ERR_INVALID, "filter on %s has no value",
                     colstore_dim_name(d));
        goto done;
    }
    while (v <= end) {
        const char *c = memchr(v, ',', (size_t)(end - v));
        size_t vn = c ? (size_t)(c - v) : (size_t)(end - v);
        int64_t val;
        if (vn == 0) {
            rc = err_set(err, ERR_INVALID, "empty value in the filter on %s",
                         colstore_dim_name(d));
            goto done;
        }
        if (colstore_dim_is_period(d)) {
            if (period_parse(&val, unit_of(d), v, vn) < 0) {
                rc = err_set(err, ERR_INVALID, "bad %s \"%.*s\"",
                             colstore_dim_name(d), (int)(vn > 40 ? 40 : vn), v);
                goto done;
            }
        } else {
            int code = colstore_find(cs, d, v, vn);
            if (code < 0) {
                rc = not_found(cs, d, v, vn, err);
                goto done;
            }
            val = code;
        }
        vals = xgrow(vals, &cap, nv + 1, sizeof *vals);
        vals[nv++] = val;
        if (!c)
            break;
        v = c + 1;
    }
    metrics_query_where_codes(q, d, vals, nv);
    rc = 0;
done:
    free(vals);
    return rc;
}

int metrics_query_where(struct metrics_query *q, const struct colstore *cs,
                        const char *expr, struct err *err)
{
    const char *s = expr;
    int rc;
    if (!*s)
        return err_set(err, ERR_INVALID, "empty filter");
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ';');
        while (n && *item == ' ')
            item++, n--;
        while (n && item[n - 1] == ' ')
            n--;
        if (!n)
            continue;
        if ((rc = parse_clause(q, cs, item, n, err)) < 0)
            return rc;
    }
    return 0;
}

/* ---- the plan: every filter and group-by folded into lookup tables ---- */

enum source {
    SRC_TOUCHPOINT, /* touchpoint, stage, journey */
    SRC_CHANNEL,
    SRC_SEGMENT,
    SRC_LANGUAGE,
    SRC_KIND,
    SRC_DAY, /* periods and the date range */
    SRC_SENTIMENT,
    SRC_THEME, /* the mention list, not a row column: see scan_mentions */
    N_SRC
};

/* Counter layout of one cell: bin 0 of each metric counts "not answered",
 * so any one metric's bins add up to the cell's rows. */
#define NPS_BINS 12 /* 1 + score 0..10 */
#define CSAT_BINS 7 /* 1 + score 1..5; bin 1 unused */
#define CES_BINS 9  /* 1 + score 1..7; bin 1 unused */

struct dimplan {
    enum colstore_dim dim;
    uint32_t radix;
    uint32_t mult;
    uint32_t *code_of;  /* index -> code (categorical) */
    int64_t key0;       /* period key of index 0 */
    int64_t step;       /* period key step (7 for weeks) */
    uint32_t *index_of; /* categorical: code -> index */
};

struct plan {
    struct colstore_columns col;
    struct dimplan dims[METRICS_MAX_BY];
    int n_dims;
    uint32_t n_cells; /* cell index n_cells = discarded row */
    unsigned metrics;
    size_t k;             /* counters per cell */
    size_t o_csat, o_ces; /* offsets of the csat and ces bins */
    /* Per source column: code -> offset of the row's cell counters
     * (cell index * k), or limit when a filter rejects the code. */
    uint32_t *table[N_SRC];
    uint32_t limit;         /* n_cells * k: the counters of rejected rows */
    int may_reject;         /* some table entry is a rejection */
    int64_t day_lo, day_hi; /* absolute local days that can match */
    int empty;              /* no row can match */
    int by_theme;           /* theme is a --by dimension */
};

static enum source source_of(enum colstore_dim d)
{
    switch (d) {
    case DIM_STAGE:
    case DIM_TOUCHPOINT:
    case DIM_JOURNEY:
        return SRC_TOUCHPOINT;
    case DIM_CHANNEL:
        return SRC_CHANNEL;
    case DIM_SEGMENT:
        return SRC_SEGMENT;
    case DIM_LANGUAGE:
        return SRC_LANGUAGE;
    case DIM_KIND:
        return SRC_KIND;
    case DIM_SENTIMENT:
        return SRC_SENTIMENT;
    case DIM_THEME:
        return SRC_THEME;
    default:
        return SRC_DAY;
    }
}

/* The dimension whose codes a categorical source column holds. */
static enum colstore_dim source_dim(enum source s)
{
    switch (s) {
    case SRC_TOUCHPOINT:
        return DIM_TOUCHPOINT;
    case SRC_CHANNEL:
        return DIM_CHANNEL;
    case SRC_SEGMENT:
        return DIM_SEGMENT;
    case SRC_LANGUAGE:
        return DIM_LANGUAGE;
    case SRC_SENTIMENT:
        return DIM_SENTIMENT;
    case SRC_THEME:
        return DIM_THEME;
    default:
        return DIM_KIND;
    }
}

/* The value of a categorical dimension for a code of its source column. */
static int derive(const struct colstore *cs, enum colstore_dim d, int code)
{
    if (d == DIM_STAGE)
        return colstore_touchpoint_stage(cs, code);
    if (d == DIM_JOURNEY)
        return colstore_stage_journey(cs, colstore_touchpoint_stage(cs, code));
    return code;
}

static int allowed(const struct metrics_query *q, enum colstore_dim d,
                   int64_t v)
{
    for (size_t i = 0; i < q->n_where; i++) {
        const struct metrics_where *w = &q->where[i];
        if (w->dim != d)
            continue;
        size_t j = 0;
        while (j < w->n && w->values[j] != v)
            j++;
        if (j == w->n)
            return 0;
    }
    return 1;
}

static int source_used(const struct metrics_query *q, const struct plan *p,
                       enum source s)
{
    for (int i = 0; i < p->n_dims; i++)
        if (source_of(p->dims[i].dim) == s)
            return 1;
    for (size_t i = 0; i < q->n_where; i++)
        if (source_of(q->where[i].dim) == s)
            return 1;
    return s == SRC_DAY &&
           (q->from_day != METRICS_DAY_MIN || q->to_day != METRICS_DAY_MAX);
}

static void plan_dispose(struct plan *p)
{
    for (int i = 0; i < p->n_dims; i++) {
        free(p->dims[i].code_of);
        free(p->dims[i].index_of);
    }
    for (int s = 0; s < N_SRC; s++)
        free(p->table[s]);
}

static int plan_build(struct plan *p, const struct colstore *cs,
                      const struct metrics_query *q, struct err *err)
{
    memset(p, 0, sizeof *p);
    colstore_columns(cs, &p->col);
    p->metrics = q->metrics;
    p->k = 0;
    if (q->metrics & METRIC_NPS)
        p->k += NPS_BINS;
    p->o_csat = p->k;
    if (q->metrics & METRIC_CSAT)
        p->k += CSAT_BINS;
    p->o_ces = p->k;
    if (q->metrics & METRIC_CES)
        p->k += CES_BINS;
    if (!p->k)
        return err_set(err, ERR_INVALID, "no metric to compute");

    /* Days that can match: the data's range cut by the date filter. */
    p->day_lo = p->col.day_base + p->col.day_lo;
    p->day_hi = p->col.day_base + p->col.day_hi;
    if (q->from_day > p->day_lo)
        p->day_lo = q->from_day;
    if (q->to_day < p->day_hi)
        p->day_hi = q->to_day;
    p->empty = p->col.n == 0 || p->day_lo > p->day_hi;

    /* Radix of each dimension, and its index <-> code maps. */
    p->n_dims = q->n_by;
    for (int i = 0; i < q->n_by; i++)
        p->by_theme |= q->by[i] == DIM_THEME;
    for (int i = 0; i < q->n_by; i++) {
        struct dimplan *dp = &p->dims[i];
        dp->dim = q->by[i];
        if (colstore_dim_is_period(dp->dim)) {
            enum period_unit u = unit_of(dp->dim);
            dp->step = u == PERIOD_WEEK ? 7 : 1;
            if (p->empty) {
                dp->radix = 1;
                dp->key0 = 0;
                continue;
            }
            dp->key0 = period_key(u, p->day_lo);
            dp->radix =
                (uint32_t)((period_key(u, p->day_hi) - dp->key0) / dp->step +
                           1);
        } else {
            size_t card = colstore_card(cs, dp->dim);
            dp->radix = card ? (uint32_t)card : 1;
            dp->index_of = xcalloc(dp->radix, sizeof *dp->index_of);
            dp->code_of = xcalloc(dp->radix, sizeof *dp->code_of);
            colstore_order(cs, dp->dim, dp->index_of);
            for (uint32_t c = 0; c < card; c++)
                dp->code_of[dp->index_of[c]] = c;
        }
    }
    uint64_t cells = 1;
    for (int i = q->n_by - 1; i >= 0; i--) {
        p->dims[i].mult = (uint32_t)cells;
        cells *= p->dims[i].radix;
        if (cells > METRICS_MAX_CELLS)
            return err_set(err, ERR_INVALID,
                           "too many groups (more than %u); group by fewer "
                           "dimensions or narrow the date range",
                           METRICS_MAX_CELLS);
    }
    p->n_cells = (uint32_t)cells;
    if (p->empty)
        return 0;

    /* One table per source column used: code -> sum of the contributions
     * of its dimensions, or n_cells when a filter rejects the code. */
    const uint32_t reject = p->n_cells;
    for (int s = 0; s < N_SRC; s++) {
        if (!source_used(q, p, (enum source)s))
            continue;
        if (s == SRC_DAY) {
            size_t size = (size_t)p->col.day_hi + 1;
            uint32_t *t = xmalloc(size * sizeof *t);
            p->table[s] = t;
            for (size_t o = 0; o < size; o++) {
                int64_t day = p->col.day_base + (int64_t)o;
                t[o] = 0;
                if (day < p->day_lo || day > p->day_hi) {
                    t[o] = reject;
                    continue;
                }
                for (int d = DIM_DAY; d <= DIM_YEAR; d++) {
                    int64_t key = period_key(unit_of(d), day);
                    if (!allowed(q, (enum colstore_dim)d, key)) {
                        t[o] = reject;
                        break;
                    }
                }
                if (t[o] == reject)
                    continue;
                for (int i = 0; i < p->n_dims; i++) {
                    const struct dimplan *dp = &p->dims[i];
                    if (source_of(dp->dim) != SRC_DAY)
                        continue;
                    int64_t key = period_key(unit_of(dp->dim), day);
                    t[o] += (uint32_t)((key - dp->key0) / dp->step) * dp->mult;
                }
            }
            continue;
        }
        enum colstore_dim col_dim = source_dim((enum source)s);
        size_t card = colstore_card(cs, col_dim);
        uint32_t *t = xcalloc(card ? card : 1, sizeof *t);
        p->table[s] = t;
        for (size_t c = 0; c < card; c++) {
            for (int d = 0; d < DIM_DAY; d++) {
                if (source_of((enum colstore_dim)d) != (enum source)s)
                    continue;
                if (!allowed(q, (enum colstore_dim)d,
                             derive(cs, (enum colstore_dim)d, (int)c))) {
                    t[c] = reject;
                    break;
                }
            }
            if (t[c] == reject)
                continue;
            for (int i = 0; i < p->n_dims; i++) {
                const struct dimplan *dp = &p->dims[i];
                if (source_of(dp->dim) != (enum source)s)
                    continue;
                t[c] += dp->index_of[derive(cs, dp->dim, (int)c)] * dp->mult;
            }
        }
    }
    /* Scale cell indexes to counter offsets, so the scan adds and never
     * multiplies. n_cells * k < 2^25, so six sources cannot overflow. */
    p->limit = reject * (uint32_t)p->k;
    for (int s = 0; s < N_SRC; s++) {
        if (!p->table[s])
            continue;
        size_t size = s == SRC_DAY
                          ? (size_t)p->col.day_hi + 1
                          : colstore_card(cs, source_dim((enum source)s));
        for (size_t c = 0; c < size; c++) {
            p->may_reject |= p->table[s][c] >= reject;
            p->table[s][c] = p->table[s][c] >= reject
                                 ? p->limit
                                 : p->table[s][c] * (uint32_t)p->k;
        }
    }
    return 0;
}

/* ---- the scan ----
 * Each row's counters are found by adding one table entry per source
 * column (a mixed-radix cell index, pre-scaled to an offset), then one
 * counter per wanted metric is incremented: bin 1 + score, where bin 0
 * counts "not answered". The loops are instantiated per metric set so the
 * inner loop has no branches on what is wanted. */

#define BLOCK 2048
#define CHUNK ((size_t)1 << 16) /* rows a thread takes at a time */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Sources read as 16-bit codes; kind (8-bit) goes through the block path. */
struct src16 {
    const uint16_t *col;
    const uint32_t *table;
};

static ALWAYS_INLINE void count_row(uint32_t *c, const struct plan *p, size_t i,
                                    int wn, int wc, int we)
{
    /* Offsets are constants once wn/wc/we are: NPS bins first. */
    const size_t oc = (size_t)(wn ? NPS_BINS : 0) + 1;
    const size_t oe =
        (size_t)(wn ? NPS_BINS : 0) + (size_t)(wc ? CSAT_BINS : 0) + 1;
    if (wn)
        c[1 + p->col.nps[i]]++;
    if (wc)
        c[oc + p->col.csat[i]]++;
    if (we)
        c[oe + p->col.ces[i]]++;
}

/* Up to two 16-bit sources, summed per row: no intermediate array. */
static ALWAYS_INLINE void scan_fused(const struct plan *p,
                                     const struct src16 *src, int nsrc,
                                     size_t lo, size_t hi, uint32_t *cnt,
                                     int wn, int wc, int we)
{
    const uint16_t *a = nsrc > 0 ? src[0].col : NULL;
    const uint16_t *b = nsrc > 1 ? src[1].col : NULL;
    const uint32_t *ta = nsrc > 0 ? src[0].table : NULL;
    const uint32_t *tb = nsrc > 1 ? src[1].table : NULL;
    const uint32_t lim = p->limit;
    const int clamp = p->may_reject;
    for (size_t i = lo; i < hi; i++) {
        uint32_t g = 0;
        if (nsrc > 0)
            g = ta[a[i]];
        if (nsrc > 1)
            g += tb[b[i]];
        if (clamp)
            g = g < lim ? g : lim;
        count_row(cnt + g, p, i, wn, wc, we);
    }
}

/* Any number of sources: gather a block of offsets column by column. */
static ALWAYS_INLINE void scan_blocks(const struct plan *p,
                                      const struct src16 *src, int nsrc,
                                      size_t lo, size_t hi, uint32_t *cnt,
                                      int wn, int wc, int we)
{
    uint32_t g[BLOCK];
    const uint32_t *tk = p->table[SRC_KIND], lim = p->limit;
    for (size_t b = lo; b < hi; b += BLOCK) {
        size_t m = hi - b < BLOCK ? hi - b : BLOCK;
        const uint8_t *kind = p->col.kind + b;
        for (size_t j = 0; j < m; j++)
            g[j] = tk ? tk[kind[j]] : 0;
        for (int s = 0; s < nsrc; s++) {
            const uint16_t *col = src[s].col + b;
            const uint32_t *t = src[s].table;
            for (size_t j = 0; j < m; j++)
                g[j] += t[col[j]];
        }
        for (size_t j = 0; j < m; j++) {
            uint32_t x = g[j] < lim ? g[j] : lim;
            count_row(cnt + x, p, b + j, wn, wc, we);
        }
    }
}

static ALWAYS_INLINE void scan_metrics(const struct plan *p,
                                       const struct src16 *src, int nsrc,
                                       size_t lo, size_t hi, uint32_t *cnt,
                                       int wn, int wc, int we)
{
    if (p->table[SRC_KIND] || nsrc > 2)
        scan_blocks(p, src, nsrc, lo, hi, cnt, wn, wc, we);
    else if (nsrc == 2)
        scan_fused(p, src, 2, lo, hi, cnt, wn, wc, we);
    else if (nsrc == 1)
        scan_fused(p, src, 1, lo, hi, cnt, wn, wc, we);
    else
        scan_fused(p, src, 0, lo, hi, cnt, wn, wc, we);
}

/* The 16-bit columns the plan groups or filters by, with their lookup
 * tables, into src; returns how many. Kind and theme are read apart. */
static int plan_sources(const struct plan *p, struct src16 *src)
{
    const uint16_t *col16[N_SRC] = {[SRC_TOUCHPOINT] = p->col.touchpoint,
                                    [SRC_CHANNEL] = p->col.channel,
                                    [SRC_SEGMENT] = p->col.segment,
                                    [SRC_LANGUAGE] = p->col.language,
                                    [SRC_DAY] = p->col.day,
                                    [SRC_SENTIMENT] = p->col.sentiment};
    int nsrc = 0;
    for (int s = 0; s < N_SRC; s++) {
        if (!p->table[s] || s == SRC_KIND || s == SRC_THEME)
            continue;
        src[nsrc].col = col16[s];
        src[nsrc].table = p->table[s];
        nsrc++;
    }
    return nsrc;
}

static void scan_rows(const struct plan *p, size_t lo, size_t hi, uint32_t *cnt)
{
    struct src16 src[N_SRC];
    int nsrc = plan_sources(p, src);
    switch (p->metrics) {
    case METRIC_NPS:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 1, 0, 0);
        break;
    case METRIC_CSAT:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 0, 1, 0);
        break;
    case METRIC_CES:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 0, 0, 1);
        break;
    case METRIC_NPS | METRIC_CSAT:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 1, 1, 0);
        break;
    case METRIC_NPS | METRIC_CES:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 1, 0, 1);
        break;
    case METRIC_CSAT | METRIC_CES:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 0, 1, 1);
        break;
    default:
        scan_metrics(p, src, nsrc, lo, hi, cnt, 1, 1, 1);
        break;
    }
}

/* Theme queries scan the mention list instead of the rows: each mention
 * counts its row in the cell of its theme (a response with several
 * themes counts once in each). When theme is only filtered on, a row
 * counts once however many of its themes pass. Mentions are in row
 * order, and ranges start at a row's first mention (mention_start). */
static void scan_mentions(const struct plan *p, size_t lo, size_t hi,
                          uint32_t *cnt)
{
    struct src16 src[N_SRC];
    int nsrc = plan_sources(p, src);
    const uint32_t *tk = p->table[SRC_KIND], *tt = p->table[SRC_THEME];
    const int wn = (p->metrics & METRIC_NPS) != 0;
    const int wc = (p->metrics & METRIC_CSAT) != 0;
    const int we = (p->metrics & METRIC_CES) != 0;
    uint32_t counted = UINT32_MAX; /* the last row counted (filter only) */
    for (size_t j = lo; j < hi; j++) {
        uint32_t i = p->col.mention_row[j];
        uint32_t g = tt[p->col.mention_theme[j]];
        if (g >= p->limit)
            continue;
        if (!p->by_theme && i == counted)
            continue;
        if (tk)
            g += tk[p->col.kind[i]];
        for (int s = 0; s < nsrc; s++)
            g += src[s].table[src[s].col[i]];
        if (g >= p->limit)
            continue;
        counted = i;
        count_row(cnt + g, p, i, wn, wc, we);
    }
}

/* The first mention of the row at or after mention j. */
static size_t mention_start(const struct plan *p, size_t j)
{
    const size_t n = p->col.n_mentions;
    while (j > 0 && j < n && p->col.mention_row[j] == p->col.mention_row[j - 1])
        j++;
    return j < n ? j : n;
}

/* Threads take CHUNK rows at a time from a shared counter, so a thread
 * that the OS holds back (a busy machine) leaves its share to the other. */
struct work {
    const struct plan *p;
    atomic_size_t next;
};

struct worker {
    struct work *w;
    uint32_t *cnt;
};

static void *worker_run(void *arg)
{
    struct worker *wk = arg;
    const struct plan *p = wk->w->p;
    const int mentions = p->table[SRC_THEME] != NULL;
    const size_t n = mentions ? p->col.n_mentions : p->col.n;
    for (;;) {
        size_t lo = atomic_fetch_add(&wk->w->next, CHUNK);
        if (lo >= n)
            break;
        size_t hi = lo + CHUNK < n ? lo + CHUNK : n;
        if (mentions)
            scan_mentions(p, mention_start(p, lo), mention_start(p, hi),
                          wk->cnt);
        else
            scan_rows(p, lo, hi, wk->cnt);
    }
    return NULL;
}

static int choose_threads(const struct metrics_query *q, size_t rows)
{
    if (q->threads > 0)
        return q->threads > 8 ? 8 : q->threads;
    if (rows < 4 * CHUNK)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2 ? 2 : 1;
}

/* Counts every row into per-thread counters and sums them into total
 * ((n_cells + 1) * k int64s). Returns the threads used. */
static int scan(const struct plan *p, const struct metrics_query *q,
                int64_t *total)
{
    size_t ncnt = ((size_t)p->n_cells + 1) * p->k;
    int nt =
        choose_threads(q, p->table[SRC_THEME] ? p->col.n_mentions : p->col.n);
    struct work w;
    struct worker wk[8];
    pthread_t tid[8];
    int started[8] = {0};
    w.p = p;
    atomic_init(&w.next, 0);
    for (int t = 0; t < 8; t++) {
        wk[t].w = &w;
        wk[t].cnt = t < nt ? xcalloc(ncnt, sizeof *wk[t].cnt) : NULL;
    }
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&tid[t], NULL, worker_run, &wk[t]) == 0;
    worker_run(&wk[0]); /* no thread to be had: this one does it all */
    for (int t = 1; t < nt; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    for (int t = 0; t < nt; t++) {
        for (size_t i = 0; i < ncnt; i++)
            total[i] += wk[t].cnt[i];
        free(wk[t].cnt);
    }
    return nt;
}

/* ---- the result ---- */

#define LABEL_SIZE 16

static void cell_estimates(struct metrics_cell *c)
{
    struct nps np;
    struct mean m;
    struct prop pr;
    metrics_cell_nps(c, &np);
    nps_compute(&c->nps, &np);
    metrics_cell_csat_t2b(c, &pr);
    prop_compute(&c->csat_t2b, &pr);
    metrics_cell_csat_mean(c, &m);
    mean_compute(&c->csat_mean, &m);
    metrics_cell_ces_mean(c, &m);
    mean_compute(&c->ces_mean, &m);
    metrics_cell_ces_easy(c, &pr);
    prop_compute(&c->ces_easy, &pr);
}

/* Copies a cell's histograms from its bins and computes its figures. */
static void cell_fill(struct metrics_cell *c, const struct plan *p,
                      const int64_t *bins)
{
    int64_t rows = 0;
    if (p->metrics & METRIC_NPS) {
        for (int s = 0; s <= 10; s++)
            c->nps_hist[s] = bins[1 + s];
    }
    if (p->metrics & METRIC_CSAT) {
        for (int s = 1; s <= 5; s++)
            c->csat_hist[s] = bins[p->o_csat + 1 + (size_t)s];
    }
    if (p->metrics & METRIC_CES) {
        for (int s = 1; s <= 7; s++)
            c->ces_hist[s] = bins[p->o_ces + 1 + (size_t)s];
    }
    /* The first metric's bins (including "not answered") are all rows. */
    size_t nb = (p->metrics & METRIC_NPS)    ? NPS_BINS
                : (p->metrics & METRIC_CSAT) ? CSAT_BINS
                                             : CES_BINS;
    for (size_t i = 0; i < nb; i++)
        rows += bins[i];
    c->n = rows;
    cell_estimates(c);
}

int metrics_run(struct metrics_result **out, const struct colstore *cs,
                const struct metrics_query *q, struct err *err)
{
    struct plan p;
    struct metrics_result *r = NULL;
    int64_t *total = NULL;
    int rc;

    *out = NULL;
    if ((rc = plan_build(&p, cs, q, err)) < 0)
        goto done;
    r = xcalloc(1, sizeof *r);
    r->n_by = q->n_by;
    memcpy(r->by, q->by, sizeof r->by);
    r->metrics = q->metrics;
    r->min_n = q->min_n;
    r->scanned = (int64_t)p.col.n;

    size_t ncnt = ((size_t)p.n_cells + 1) * p.k;
    total = xcalloc(ncnt, sizeof *total);
    if (!p.empty)
        r->threads = scan(&p, q, total);

    /* Period labels: one fixed-size slot per index of each period dim. */
    size_t pool_slots = 0, pool_at[METRICS_MAX_BY] = {0};
    for (int i = 0; i < p.n_dims; i++) {
        pool_at[i] = pool_slots;
        if (colstore_dim_is_period(p.dims[i].dim))
            pool_slots += p.dims[i].radix;
    }
    r->pool = xmalloc(pool_slots * LABEL_SIZE + 1);
    for (int i = 0; i < p.n_dims; i++) {
        const struct dimplan *dp = &p.dims[i];
        if (!colstore_dim_is_period(dp->dim))
            continue;
        for (uint32_t x = 0; x < dp->radix; x++)
            period_label(unit_of(dp->dim), dp->key0 + (int64_t)x * dp->step,
                         r->pool + (pool_at[i] + x) * LABEL_SIZE, LABEL_SIZE);
    }

    /* Without data, period dimensions have no range to list. */
    int list_empty = q->keep_empty;
    for (int i = 0; i < p.n_dims; i++)
        if (p.empty && colstore_dim_is_period(p.dims[i].dim))
            list_empty = 0;
    size_t cap = 0;
    for (uint32_t idx = 0; idx < p.n_cells; idx++) {
        const int64_t *bins = total + (size_t)idx * p.k;
        int any = 0;
        for (size_t i = 0; i < p.k && !any; i++)
            any = bins[i] != 0;
        if (!any && !list_empty)
            continue;
        r->cells = xgrow(r->cells, &cap, r->n_cells + 1, sizeof *r->cells);
        struct metrics_cell *c = &r->cells[r->n_cells++];
        memset(c, 0, sizeof *c);
        for (int i = 0; i < p.n_dims; i++) {
            const struct dimplan *dp = &p.dims[i];
            assert(dp->mult > 0 && dp->radix > 0);
            uint32_t x = idx / dp->mult % dp->radix;
            if (colstore_dim_is_period(dp->dim)) {
                c->key[i] = dp->key0 + (int64_t)x * dp->step;
                c->label[i] = r->pool + (pool_at[i] + x) * LABEL_SIZE;
            } else if (colstore_card(cs, dp->dim) == 0) {
                c->key[i] = -1;
                c->label[i] = COLSTORE_NONE;
            } else {
                c->key[i] = dp->code_of[x];
                c->label[i] = colstore_label(cs, dp->dim, (int)dp->code_of[x]);
            }
        }
        cell_fill(c, &p, bins);
        r->rows += c->n;
    }
    *out = r;
    r = NULL;
    rc = 0;
done:
    free(total);
    metrics_result_free(r);
    plan_dispose(&p);
    return rc;
}

int metrics_filter_rows(uint8_t **mask, const struct colstore *cs,
                        const struct metrics_query *q, struct err *err)
{
    struct metrics_query f = *q;
    struct plan p;
    int rc;
    size_t n = colstore_rows(cs);
    *mask = NULL;
    f.n_by = 0;
    f.metrics = METRIC_NPS;
    if ((rc = plan_build(&p, cs, &f, err)) < 0)
        goto done;
    uint8_t *m = xcalloc(n ? n : 1, 1);
    if (!p.empty) {
        const uint16_t *col16[N_SRC] = {[SRC_TOUCHPOINT] = p.col.touchpoint,
                                        [SRC_CHANNEL] = p.col.channel,
                                        [SRC_SEGMENT] = p.col.segment,
                                        [SRC_LANGUAGE] = p.col.language,
                                        [SRC_DAY] = p.col.day,
                                        [SRC_SENTIMENT] = p.col.sentiment};
        const uint32_t *tk = p.table[SRC_KIND], *tt = p.table[SRC_THEME];
        if (tt) {
            for (size_t j = 0; j < p.col.n_mentions; j++)
                if (tt[p.col.mention_theme[j]] < p.limit)
                    m[p.col.mention_row[j]] = 1;
        } else {
            memset(m, 1, n);
        }
        for (int s = 0; s < N_SRC; s++) {
            if (!p.table[s] || s == SRC_KIND || s == SRC_THEME)
                continue;
            for (size_t i = 0; i < n; i++)
                if (p.table[s][col16[s][i]] >= p.limit)
                    m[i] = 0;
        }
        if (tk)
            for (size_t i = 0; i < n; i++)
                if (tk[p.col.kind[i]] >= p.limit)
                    m[i] = 0;
    }
    *mask = m;
    rc = 0;
done:
    plan_dispose(&p);
    return rc;
}

void metrics_result_free(struct metrics_result *r)
{
    if (!r)
        return;
    free(r->cells);
    free(r->pool);
    free(r);
}

int metrics_low_n(const struct metrics_result *r, const struct estimate *e)
{
    return e->n < r->min_n;
}

void metrics_cell_nps(const struct metrics_cell *c, struct nps *out)
{
    nps_from_hist(out, c->nps_hist);
}

static void hist_mean(const int64_t *hist, int lo, int hi, struct mean *out)
{
    int64_t n = 0, sum = 0, sumsq = 0;
    for (int s = lo; s <= hi; s++) {
        n += hist[s];
        sum += hist[s] * s;
        sumsq += hist[s] * s * s;
    }
    mean_from_sums(out, n, sum, sumsq);
}

static void hist_prop(const int64_t *hist, int lo, int hi, int from,
                      struct prop *out)
{
    out->n = out->k = 0;
    for (int s = lo; s <= hi; s++) {
        out->n += hist[s];
        if (s >= from)
            out->k += hist[s];
    }
}

void metrics_cell_csat_mean(const struct metrics_cell *c, struct mean *out)
{
    hist_mean(c->csat_hist, 1, 5, out);
}

void metrics_cell_csat_t2b(const struct metrics_cell *c, struct prop *out)
{
    hist_prop(c->csat_hist, 1, 5, 4, out);
}

void metrics_cell_ces_mean(const struct metrics_cell *c, struct mean *out)
{
    hist_mean(c->ces_hist, 1, 7, out);
}

void metrics_cell_ces_easy(const struct metrics_cell *c, struct prop *out)
{
    hist_prop(c->ces_hist, 1, 7, 5, out);
}

void metrics_compare_cells(struct metrics_comparison *out,
                           const struct metrics_cell *a,
                           const struct metrics_cell *b)
{
    struct nps na, nb;
    struct mean ma, mb;
    struct prop pa, pb;
    metrics_cell_nps(a, &na);
    metrics_cell_nps(b, &nb);
    compare_nps(&out->nps, &na, &nb);
    metrics_cell_csat_t2b(a, &pa);
    metrics_cell_csat_t2b(b, &pb);
    compare_props(&out->csat_t2b, &pa, &pb);
    metrics_cell_csat_mean(a, &ma);
    metrics_cell_csat_mean(b, &mb);
    compare_means(&out->csat_mean, &ma, &mb);
    metrics_cell_ces_mean(a, &ma);
    metrics_cell_ces_mean(b, &mb);
    compare_means(&out->ces_mean, &ma, &mb);
    metrics_cell_ces_easy(a, &pa);
    metrics_cell_ces_easy(b, &pb);
    compare_props(&out->ces_easy, &pa, &pb);
}
