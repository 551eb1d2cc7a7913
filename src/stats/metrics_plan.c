/* A metrics query becomes a plan: fields resolved, filters and --by
 * folded into one lookup table per code column, metrics laid out as
 * counters (score histograms) and accumulators (everything else). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "stats/metrics_int.h"

void mplan_dispose(struct mplan *p)
{
    for (int i = 0; i < p->n_fields; i++)
        qfield_free(p->fields[i]);
    for (int s = 0; s < p->n_src; s++) {
        free(p->src[s].table);
        free(p->src[s].reject);
    }
    for (int b = 0; b < p->n_bufs; b++)
        free(p->bufs[b]);
    free(p->need);
    memset(p, 0, sizeof *p);
}

static int resolve(struct mplan *p, const struct field *f, struct qfield **out,
                   struct err *err)
{
    int rc;
    if (p->n_fields >= MPLAN_MAX_FIELDS)
        return err_set(err, ERR_INVALID, "too many fields in one query");
    if ((rc = qfield_resolve_rows(out, p->cs, p->table, f, p->need, err)) < 0)
        return rc;
    p->fields[p->n_fields++] = *out;
    return 0;
}

/* The source reading qf's codes, added if new. */
static int source_of(struct mplan *p, const void *codes, int width,
                     uint32_t n_codes, int multi, struct err *err)
{
    for (int s = 0; s < p->n_src; s++)
        if (p->src[s].codes == codes && p->src[s].width == width) {
            if (n_codes > p->src[s].n_codes) { /* same column, wider map */
                p->src[s].table =
                    xrealloc(p->src[s].table, n_codes * sizeof(uint32_t));
                p->src[s].reject = xrealloc(p->src[s].reject, n_codes);
                for (uint32_t c = p->src[s].n_codes; c < n_codes; c++) {
                    p->src[s].table[c] = 0;
                    p->src[s].reject[c] = 0;
                }
                p->src[s].n_codes = n_codes;
            }
            return s;
        }
    if (p->n_src >= MPLAN_MAX_SRC)
        return err_set(err, ERR_INVALID, "too many filters in one query");
    struct msrc *s = &p->src[p->n_src];
    s->codes = codes;
    s->width = width;
    s->n_codes = n_codes;
    s->table = xcalloc(n_codes ? n_codes : 1, sizeof *s->table);
    s->reject = xcalloc(n_codes ? n_codes : 1, 1);
    s->multi = multi;
    if (multi)
        p->theme_src = p->n_src;
    return p->n_src++;
}

/* "no touchpoint "x" (known: a, b, ...)", listing values that fit. */
static int not_found(const struct qfield *qf, const char *v, struct err *err)
{
    char known[160] = "";
    size_t used = 0;
    for (uint32_t i = 0; i < qf->n_values; i++) {
        const char *l = qf->label[i];
        size_t k = strlen(l) + (i ? 2 : 0);
        if (used + k + 5 >= sizeof known) {
            memcpy(known + used, ", ...", 6);
            break;
        }
        snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", l);
        used += k;
    }
    return err_set(err, ERR_NOTFOUND, "no %s \"%.60s\"%s%s%s", qf->f.text, v,
                   qf->n_values ? " (known: " : "", known,
                   qf->n_values ? ")" : "");
}

/* "A..B" as numbers (an end may be empty). 0, or -1 when it is not. */
static int num_range(const char *v, double *lo, double *hi)
{
    const char *dots = strstr(v, "..");
    if (!dots)
        return -1;
    *lo = -INFINITY;
    *hi = INFINITY;
    if (dots > v && mquery_parse_num(lo, v, (size_t)(dots - v)) < 0)
        return -1;
    if (dots[2] && mquery_parse_num(hi, dots + 2, strlen(dots + 2)) < 0)
        return -1;
    return *lo <= *hi ? 0 : -1;
}

/* A clause on a number, its values parsed once: each value of = and !=
 * as a closed interval (a number n is [n, n]). */
struct numclause {
    const struct metrics_where *w;
    double *lo, *hi;
};

/* 0, or -1 with *bad the value that is neither a number nor a range. */
static int numclause_init(struct numclause *c, const struct metrics_where *w,
                          size_t *bad)
{
    c->w = w;
    c->lo = xmalloc((w->n ? w->n : 1) * sizeof *c->lo);
    c->hi = xmalloc((w->n ? w->n : 1) * sizeof *c->hi);
    if (w->op != MOP_IN && w->op != MOP_NOT_IN)
        return 0;
    for (size_t i = 0; i < w->n; i++) {
        const char *v = w->values[i];
        if (num_range(v, &c->lo[i], &c->hi[i]) == 0)
            continue;
        if (mquery_parse_num(&c->lo[i], v, strlen(v)) < 0) {
            *bad = i;
            return -1;
        }
        c->hi[i] = c->lo[i];
    }
    return 0;
}

static void numclause_dispose(struct numclause *c)
{
    free(c->lo);
    free(c->hi);
}

/* Does number x pass the clause? */
static int numclause_passes(const struct numclause *c, double x)
{
    const struct metrics_where *w = c->w;
    switch (w->op) {
    case MOP_LT:
        return x < w->x;
    case MOP_LE:
        return x <= w->x;
    case MOP_GT:
        return x > w->x;
    case MOP_GE:
        return x >= w->x;
    default:
        break;
    }
    int hit = 0;
    for (size_t i = 0; i < w->n && !hit; i++)
        hit = x >= c->lo[i] && x <= c->hi[i];
    return w->op == MOP_NOT_IN ? !hit : hit;
}

/* A filter on a numeric field: a pass/fail code per row (rows without a
 * value fail), as a source of its own. */
static int numeric_filter(struct mplan *p, struct qfield *qf,
                          const struct metrics_where *w, struct err *err)
{
    struct numclause c;
    size_t bad = 0;
    if (numclause_init(&c, w, &bad) < 0) {
        numclause_dispose(&c);
        return err_set(err, ERR_INVALID,
                       "%s is numeric: \"%s\" is not a number or a range A..B",
                       qf->f.text, w->values[bad]);
    }
    if (p->n_bufs >= MPLAN_MAX_SRC) {
        numclause_dispose(&c);
        return err_set(err, ERR_INVALID, "too many filters in one query");
    }
    uint8_t *codes = xmalloc(qf->rows ? qf->rows : 1);
    p->bufs[p->n_bufs++] = codes;
    for (size_t i = 0; i < qf->rows; i++)
        codes[i] = !isnan(qf->num[i]) && numclause_passes(&c, qf->num[i]);
    numclause_dispose(&c);
    int s = source_of(p, codes, 1, 2, 0, err);
    if (s < 0)
        return s;
    p->src[s].reject[0] = 1;
    return 0;
}

static int add_filter(struct mplan *p, const struct metrics_where *w,
                      struct err *err)
{
    struct qfield *qf = NULL;
    int rc;
    if ((rc = resolve(p, &w->field, &qf, err)) < 0)
        return rc;
    if (qf->num)
        return numeric_filter(p, qf, w, err);
    if (!qf->cat)
        return err_set(err, ERR_INTERNAL, "%s has no view", qf->f.text);
    uint8_t *allowed = xcalloc(qf->n_values ? qf->n_values : 1, 1);
    if (w->op == MOP_IN || w->op == MOP_NOT_IN) {
        for (size_t i = 0; i < w->n; i++) {
            if (qfield_match(qf, p->cs, w->values[i], strlen(w->values[i]),
                             allowed))
                continue;
            /* Not a value: a numeric range over labels that are numbers. */
            double lo, hi;
            size_t hits = 0;
            if (num_range(w->values[i], &lo, &hi) == 0)
                for (uint32_t v = 0; v < qf->n_values; v++) {
                    double x = qfield_value_number(qf, v);
                    if (!isnan(x) && x >= lo && x <= hi)
                        allowed[v] = 1, hits++;
                }
            if (!hits) {
                rc = not_found(qf, w->values[i], err);
                free(allowed);
                return rc;
            }
        }
        if (w->op == MOP_NOT_IN)
            for (uint32_t v = 0; v < qf->n_values; v++)
                allowed[v] = !allowed[v];
    } else {
        struct numclause c;
        size_t bad;
        numclause_init(&c, w, &bad); /* a comparison: nothing to parse */
        for (uint32_t v = 0; v < qf->n_values; v++) {
            double x = qfield_value_number(qf, v);
            allowed[v] = !isnan(x) && numclause_passes(&c, x);
        }
        numclause_dispose(&c);
    }
    int s = source_of(p, qf->codes, qf->width, qf->n_codes, qf->multi, err);
    if (s < 0) {
        free(allowed);
        return s;
    }
    for (uint32_t c = 0; c < qf->n_codes; c++)
        if (!allowed[qfield_value(qf, c)])
            p->src[s].reject[c] = 1;
    free(allowed);
    return 0;
}

/* The date range: a filter on the table's day column. */
static int add_days(struct mplan *p, const struct metrics_query *q,
                    struct err *err)
{
    struct colstore_columns col;
    const uint32_t *day;
    uint32_t hi;
    colstore_columns(p->cs, &col);
    if (q->from_day == METRICS_DAY_MIN && q->to_day == METRICS_DAY_MAX)
        return 0;
    if (p->table == COLSTORE_EVENTS) {
        struct colstore_events ev;
        colstore_events_view(p->cs, &ev);
        day = ev.day;
        hi = ev.day_hi;
    } else {
        day = col.day;
        hi = col.day_hi;
    }
    int s = source_of(p, day, 4, hi + 1, 0, err);
    if (s < 0)
        return s;
    for (uint32_t o = 0; o <= hi; o++) {
        int64_t d = col.day_base + o;
        if (d < q->from_day || d > q->to_day)
            p->src[s].reject[o] = 1;
    }
    return 0;
}

static int add_metric(struct mplan *p, const struct metrics_query *q, int i,
                      struct err *err)
{
    const struct metrics_metric *m = &q->metrics[i];
    struct qfield *qf = NULL;
    struct gmetric *g;
    int rc;
    switch (m->kind) {
    case MK_NPS: /* laid out after all metrics are known */
        p->o_nps = 0;
        return 0;
    case MK_CSAT:
        p->o_csat = 0;
        return 0;
    case MK_CES:
        p->o_ces = 0;
        return 0;
    case MK_COUNT:
        return 0;
    default:
        break;
    }
    if ((rc = resolve(p, &m->field, &qf, err)) < 0)
        return rc;
    g = &p->gm[p->n_gm];
    memset(g, 0, sizeof *g);
    g->metric = i;
    g->top = NAN;
    if (m->kind == MK_CHOICE) {
        if (!qf->cat || qf->num)
            return err_set(err, ERR_INVALID,
                           "%s holds numbers: use mean:%s or --by it", m->text,
                           m->text);
        if (qf->n_values > METRICS_MAX_OPTIONS + 1)
            return err_set(err, ERR_INVALID,
                           "%s has %u options, too many to show as columns; "
                           "group by it instead (--by %s)",
                           m->text, qf->n_values - 1, m->field.text);
        g->g = G_CHOICE;
        g->qf = qf;
        g->n_opts = qf->n_values;
    } else {
        if (!qf->num)
            return err_set(err, ERR_INVALID,
                           "%s is not numeric, so %s does not apply; group "
                           "by it (--by %s) or use choice:KEY for answers",
                           m->field.text, m->text, m->field.text);
        g->g = m->kind == MK_QUANTILE ? G_VALUES : G_MOM;
        g->num = qf->num;
        if (m->kind == MK_RATING && !isnan(qf->scale_max))
            g->top = qf->scale_max - 1;
    }
    p->n_gm++;
    return 0;
}

uint8_t *mplan_pass_mask(const struct mplan *p)
{
    uint8_t *need = NULL;
    for (int k = 0; k < p->n_src; k++) {
        const struct msrc *s = &p->src[k];
        int rejects = 0;
        for (uint32_t c = 0; c < s->n_codes && !rejects; c++)
            rejects = s->reject[c];
        if (s->multi || !rejects)
            continue;
        if (!need) {
            need = xmalloc(p->rows ? p->rows : 1);
            memset(need, 1, p->rows);
        }
        for (size_t i = 0; i < p->rows; i++)
            need[i] &= (uint8_t)!s->reject[msrc_code(s, i)];
    }
    return need;
}

/* 1 if q names a field that costs work per row outside the filters. */
static int has_costly(const struct metrics_query *q)
{
    for (int i = 0; i < q->n_by; i++)
        if (qfield_costly(&q->by[i]))
            return 1;
    for (int i = 0; i < q->n_metrics; i++)
        if (q->metrics[i].kind >= MK_RATING && q->metrics[i].kind != MK_COUNT &&
            qfield_costly(&q->metrics[i].field))
            return 1;
    for (size_t i = 0; i < q->n_where; i++)
        if (qfield_costly(&q->where[i].field))
            return 1;
    return 0;
}

int mplan_build(struct mplan *p, const struct colstore *cs,
                const struct metrics_query *q, int no_metrics, struct err *err)
{
    struct colstore_columns col;
    int rc;
    memset(p, 0, sizeof *p);
    p->cs = cs;
    p->theme_src = -1;
    p->o_nps = p->o_csat = p->o_ces = p->o_rows = -1;
    p->table = q->ctx == FIELD_EVENTS ? COLSTORE_EVENTS : COLSTORE_RESPONSES;
    colstore_columns(cs, &col);
    if (p->table == COLSTORE_EVENTS) {
        struct colstore_events ev;
        if (!colstore_has_events(cs))
            return err_set(err, ERR_NOTFOUND, "no events are loaded");
        colstore_events_view(cs, &ev);
        p->rows = ev.n;
    } else {
        p->rows = col.n;
        p->nps = col.nps;
        p->csat = col.csat;
        p->ces = col.ces;
        p->mention_row = col.mention_row;
        p->n_mentions = col.n_mentions;
    }

    /* Filters first, so a field that costs work per row (an event
     * feature) is computed only for the rows the others let through. */
    for (size_t i = 0; i < q->n_where; i++)
        if (!qfield_costly(&q->where[i].field) &&
            (rc = add_filter(p, &q->where[i], err)) < 0)
            return rc;
    if ((rc = add_days(p, q, err)) < 0)
        return rc;
    if (has_costly(q))
        p->need = mplan_pass_mask(p);

    /* --by: categorical views, numbers binned. */
    p->n_by = q->n_by;
    for (int i = 0; i < q->n_by; i++) {
        struct qfield *qf = NULL;
        const struct metrics_bins *b = metrics_query_bins_for(q, &q->by[i]);
        if ((rc = resolve(p, &q->by[i], &qf, err)) < 0 ||
            (rc = qfield_categorize(qf, b ? b->edges : NULL, b ? b->n : 0,
                                    METRICS_MAX_DISTINCT, err)) < 0)
            return rc;
        p->by[i] = qf;
        p->radix[i] = qf->n_values ? qf->n_values : 1;
        p->by_theme |= qf->multi;
    }
    for (size_t i = 0; i < q->n_bins; i++) {
        int used = 0;
        for (int k = 0; k < q->n_by; k++)
            used |= !strcmp(q->by[k].text, q->bins[i].field.text);
        if (!used)
            return err_set(err, ERR_INVALID,
                           "--bins names %s, which is not in --by",
                           q->bins[i].field.text);
    }
    uint64_t cells = 1;
    for (int i = q->n_by - 1; i >= 0; i--) {
        p->mult[i] = (uint32_t)cells;
        cells *= p->radix[i];
        if (cells > METRICS_MAX_CELLS)
            return err_set(err, ERR_INVALID,
                           "too many groups (more than %u); group by fewer "
                           "fields, bin numbers, or narrow the date range",
                           METRICS_MAX_CELLS);
    }
    p->n_cells = (uint32_t)cells;

    /* Metrics: score histograms in the cell counters, others apart. */
    size_t bins = 0;
    if (!no_metrics) {
        int n = q->n_metrics;
        struct metrics_query dq = *q;
        if (!n) {
            /* defaults: the three scores, or a count of events */
            n = 0;
            memset(dq.metrics, 0, sizeof dq.metrics);
            if (q->ctx == FIELD_EVENTS) {
                dq.metrics[n++].kind = MK_COUNT;
            } else {
                dq.metrics[n++].kind = MK_NPS;
                dq.metrics[n++].kind = MK_CSAT;
                dq.metrics[n++].kind = MK_CES;
            }
            dq.n_metrics = n;
        }
        for (int i = 0; i < n; i++)
            if ((rc = add_metric(p, &dq, i, err)) < 0)
                return rc;
    }
    /* Scores always in this order, so the scan's offsets are constants of
     * which scores are wanted (metrics_scan.c). */
    if (p->o_nps >= 0)
        p->o_nps = (int)bins, bins += NPS_BINS;
    if (p->o_csat >= 0)
        p->o_csat = (int)bins, bins += CSAT_BINS;
    if (p->o_ces >= 0)
        p->o_ces = (int)bins, bins += CES_BINS;
    if (!bins)
        p->o_rows = (int)bins++;
    while ((1u << p->shift) < bins)
        p->shift++;

    /* --by fields as sources: code -> value * mult. */
    for (int i = 0; i < q->n_by; i++) {
        const struct qfield *qf = p->by[i];
        int s = source_of(p, qf->codes, qf->width, qf->n_codes, qf->multi, err);
        if (s < 0)
            return s;
        for (uint32_t c = 0; c < qf->n_codes; c++)
            p->src[s].table[c] += qfield_value(qf, c) * p->mult[i];
    }
    for (size_t i = 0; i < q->n_where; i++)
        if (qfield_costly(&q->where[i].field) &&
            (rc = add_filter(p, &q->where[i], err)) < 0)
            return rc;

    /* Scale to counter offsets, so the scan adds and never multiplies.
     * n_cells << shift < 2^26, and at most MPLAN_MAX_SRC sources are
     * added, so the sum cannot overflow 32 bits. */
    p->limit = p->n_cells << p->shift;
    p->empty = p->rows == 0;
    for (int s = 0; s < p->n_src; s++) {
        struct msrc *src = &p->src[s];
        int all = 1;
        for (uint32_t c = 0; c < src->n_codes; c++) {
            if (src->reject[c]) {
                src->table[c] = p->limit;
                p->may_reject = 1;
            } else {
                src->table[c] <<= p->shift;
                all = 0;
            }
        }
        if (all)
            p->empty = 1;
    }
    return 0;
}
