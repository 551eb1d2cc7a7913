/* The expectation-perception gap (gap.h). */
#include "analysis/gap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield.h"
#include "stats/mean.h"
#include "stats/metrics.h"
#include "stats/nps.h"
#include "stats/prop.h"
#include "stats/regress.h"

struct gap_own {
    struct qfield *group; /* labels point into it */
    char **keys;          /* copies of the question keys */
    size_t n_keys;
};

void gap_result_free(struct gap_result *r)
{
    if (!r)
        return;
    if (r->own) {
        qfield_free(r->own->group);
        for (size_t i = 0; i < r->own->n_keys; i++)
            free(r->own->keys[i]);
        free(r->own->keys);
        free(r->own);
    }
    for (size_t i = 0; i < r->n_dropped; i++)
        free(r->dropped[i]);
    free(r->dropped);
    free(r->rows);
    free(r);
}

/* "expect:KEY" or "perceive:KEY" as a parsed field. */
static int side_field(struct field *f, const char *prefix, const char *key,
                      struct err *err)
{
    char name[FIELD_MAX_NAME];
    int len = snprintf(name, sizeof name, "%s%s", prefix, key);
    if (!*key || len < 0 || (size_t)len >= sizeof name)
        return err_set(err, ERR_INVALID, "bad question key \"%.60s\"", key);
    return field_parse(f, name, (size_t)len, FIELD_RESPONSES, err);
}

int gap_query_fields(const struct gap_query *q,
                     int (*fn)(void *ctx, const struct field *f), void *ctx,
                     struct err *err)
{
    struct field f;
    int rc;
    for (size_t k = 0; k < q->n_keys; k++) {
        if ((rc = side_field(&f, "expect:", q->keys[k], err)) < 0 ||
            (rc = fn(ctx, &f)) != 0)
            return rc;
        if ((rc = side_field(&f, "perceive:", q->keys[k], err)) < 0 ||
            (rc = fn(ctx, &f)) != 0)
            return rc;
    }
    if (q->by && (rc = fn(ctx, q->by)) != 0)
        return rc;
    return 0;
}

/* One question's values per row: pairs only (ok[i] = 1). */
struct pairs {
    const double *e, *p; /* expectation, perception (NaN = none) */
    const int8_t *nps;   /* -1 = not answered */
    const uint8_t *mask; /* filter, or NULL */
};

static int row_ok(const struct pairs *pr, size_t i)
{
    return (!pr->mask || pr->mask[i]) && !isnan(pr->e[i]) && !isnan(pr->p[i]);
}

/* Fills out from the rows idx[0..n), all pairs. */
static void fill_row(struct gap_row *out, const struct pairs *pr,
                     const size_t *idx, size_t n)
{
    struct mean me = MEAN_INIT, mp = MEAN_INIT, md = MEAN_INIT;
    struct prop unmet = PROP_INIT;
    struct nps met = NPS_INIT, un = NPS_INIT;
    double *x = xcalloc(n + 1, sizeof *x), *y = xcalloc(n + 1, sizeof *y);
    size_t m = 0;
    for (size_t j = 0; j < n; j++) {
        size_t i = idx[j];
        double d = pr->p[i] - pr->e[i];
        mean_add(&me, pr->e[i]);
        mean_add(&mp, pr->p[i]);
        mean_add(&md, d);
        prop_add(&unmet, d < 0);
        if (pr->nps[i] >= 0) {
            nps_add(d < 0 ? &un : &met, pr->nps[i]);
            x[m] = d;
            y[m] = pr->nps[i];
            m++;
        }
    }
    out->n = (int64_t)n;
    mean_compute(&out->expect, &me);
    mean_compute(&out->perceive, &mp);
    mean_compute(&out->gap, &md);
    out->gap_sd = n >= 2 ? sqrt(mean_variance(&md)) : NAN;
    prop_compute(&out->unmet, &unmet);
    nps_compute(&out->nps_met, &met);
    nps_compute(&out->nps_unmet, &un);
    compare_nps(&out->nps_diff, &met, &un);

    /* The slope is descriptive of each row: a row where it cannot be
     * fitted (too few pairs, a constant gap or NPS) shows it undefined
     * rather than failing the whole run. */
    estimate_clear(&out->slope);
    out->slope.n = (int64_t)m;
    out->slope_p = NAN;
    struct regress_ols *fit = NULL;
    struct err ignored = ERR_INIT;
    if (m >= 3 && regress_ols(&fit, x, y, m, 1, NULL, &ignored) == 0) {
        out->slope.value = fit->coef[1].b;
        out->slope.se = fit->coef[1].se;
        out->slope.lo = fit->coef[1].lo;
        out->slope.hi = fit->coef[1].hi;
        out->slope_p = fit->coef[1].p;
    }
    regress_ols_free(fit);
    free(x);
    free(y);
}

static struct gap_row *add_row(struct gap_result *r, size_t *cap)
{
    r->rows = xgrow(r->rows, cap, r->n_rows + 1, sizeof *r->rows);
    struct gap_row *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    return row;
}

/* Resolves the group field with its bins. */
static int resolve_group(struct qfield **out, const struct colstore *cs,
                         const struct gap_query *q, struct err *err)
{
    int rc;
    *out = NULL;
    if ((rc = qfield_resolve(out, cs, COLSTORE_RESPONSES, q->by, err)) < 0)
        return rc;
    if ((*out)->multi) {
        rc = err_set(err, ERR_INVALID,
                     "gap cannot group by %s: a response may have several",
                     q->by->text);
    } else {
        rc = qfield_categorize(*out, q->edges, q->n_edges, GAP_MAX_GROUPS, err);
    }
    if (rc < 0) {
        qfield_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Resolves a question's two numeric columns; ERR_NOTFOUND names the
 * question when it has no pairs at all. */
static int resolve_pair(struct qfield **e, struct qfield **p,
                        const struct colstore *cs, const char *key,
                        struct err *err)
{
    struct field fe, fp;
    int rc;
    *e = *p = NULL;
    if ((rc = side_field(&fe, "expect:", key, err)) < 0 ||
        (rc = side_field(&fp, "perceive:", key, err)) < 0)
        return rc;
    if (qfield_resolve(e, cs, COLSTORE_RESPONSES, &fe, err) < 0 ||
        qfield_resolve(p, cs, COLSTORE_RESPONSES, &fp, err) < 0 || !*e || !*p) {
        qfield_free(*e);
        qfield_free(*p);
        *e = *p = NULL;
        err_clear(err);
        err_set(err, ERR_NOTFOUND,
                "no answers to expect:%.60s and perceive:%.60s (a gap "
                "question is imported as a pair of columns)",
                key, key);
        return ERR_NOTFOUND; /* as err_set does, said where lint sees it */
    }
    if (!(*e)->num || !(*p)->num) { /* can't happen: gap columns are numbers */
        qfield_free(*e);
        qfield_free(*p);
        *e = *p = NULL;
        err_set(err, ERR_INTERNAL, "expect:%.60s is not numeric", key);
        return ERR_INTERNAL;
    }
    return 0;
}

int gap_run(struct gap_result **out, const struct colstore *cs,
            const struct gap_query *q, struct err *err)
{
    struct gap_result *r = xcalloc(1, sizeof *r);
    struct qfield *qe = NULL, *qp = NULL;
    struct colstore_columns cols;
    uint8_t *mask = NULL;
    size_t *idx = NULL, *start = NULL, cap = 0, cap_drop = 0;
    size_t rows = colstore_rows(cs);
    int rc = 0;

    *out = NULL;
    r->own = xcalloc(1, sizeof *r->own);
    if (q->n_keys == 0) {
        rc = err_set(err, ERR_INVALID, "no gap question to analyse");
        goto done;
    }
    if (q->n_keys > GAP_MAX_KEYS) {
        rc =
            err_set(err, ERR_INVALID, "at most %d gap questions", GAP_MAX_KEYS);
        goto done;
    }
    if (q->filter && (rc = metrics_filter_rows(&mask, cs, q->filter, err)) < 0)
        goto done;
    if (q->by) {
        if ((rc = resolve_group(&r->own->group, cs, q, err)) < 0)
            goto done;
        snprintf(r->by, sizeof r->by, "%s", q->by->text);
    }
    for (size_t i = 0; i < rows; i++)
        r->rows_passed += !mask || mask[i];
    colstore_columns(cs, &cols);
    r->own->keys = xcalloc(q->n_keys, sizeof *r->own->keys);
    idx = xcalloc(rows + 1, sizeof *idx);
    const struct qfield *g = r->own->group;
    uint32_t nv = g ? g->n_values : 0;
    start = xcalloc((size_t)nv + 2, sizeof *start);

    for (size_t k = 0; k < q->n_keys; k++) {
        char *key = r->own->keys[r->own->n_keys++] = xstrdup(q->keys[k]);
        if ((rc = resolve_pair(&qe, &qp, cs, key, err)) < 0)
            goto done;
        struct pairs pr = {qe->num, qp->num, cols.nps, mask};
        size_t n = 0;
        for (size_t i = 0; i < rows; i++)
            if (row_ok(&pr, i))
                idx[n++] = i;
        if (n == 0) {
            r->dropped = xgrow(r->dropped, &cap_drop, r->n_dropped + 1,
                               sizeof *r->dropped);
            r->dropped[r->n_dropped++] = xstrdup(key);
        } else {
            struct gap_row *all = add_row(r, &cap);
            all->key = key;
            fill_row(all, &pr, idx, n);
        }
        if (n && g) {
            /* counting sort of the pairs by group value, then a row per
             * group that has any */
            size_t *sorted = xcalloc(n, sizeof *sorted);
            memset(start, 0, ((size_t)nv + 2) * sizeof *start);
            for (size_t j = 0; j < n; j++)
                start[qfield_value(g, qfield_code(g, idx[j])) + 1]++;
            for (uint32_t v = 0; v < nv; v++)
                start[v + 1] += start[v];
            for (size_t j = 0; j < n; j++)
                sorted[start[qfield_value(g, qfield_code(g, idx[j]))]++] =
                    idx[j];
            /* start[v] is now the end of group v */
            size_t lo = 0;
            for (uint32_t v = 0; v < nv; v++) {
                size_t hi = start[v];
                if (hi > lo) {
                    struct gap_row *row = add_row(r, &cap);
                    row->key = key;
                    row->group = g->label[v];
                    row->group_name = g->display ? g->display[v] : g->label[v];
                    fill_row(row, &pr, sorted + lo, hi - lo);
                }
                lo = hi;
            }
            free(sorted);
        }
        qfield_free(qe);
        qfield_free(qp);
        qe = qp = NULL;
    }
    if (r->n_rows == 0) {
        if (q->n_keys == 1)
            rc = err_set(err, ERR_INVALID,
                         "no response answers both expect:%.60s and "
                         "perceive:%.60s%s",
                         q->keys[0], q->keys[0],
                         mask ? " among those the filters keep" : "");
        else
            rc =
                err_set(err, ERR_INVALID,
                        "no response answers both halves (expect:, "
                        "perceive:) of any of the %zu gap questions%s",
                        q->n_keys, mask ? " among those the filters keep" : "");
        goto done;
    }
    *out = r;
    r = NULL;
    rc = 0;
done:
    qfield_free(qe);
    qfield_free(qp);
    free(mask);
    free(idx);
    free(start);
    gap_result_free(r);
    return rc;
}
