/* The effect of operations on experience (link.h). */
#include "analysis/link.h"

#include <gsl/gsl_cdf.h>
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

struct link_own {
    struct qfield *measure; /* band labels point into it */
};

static const char *const outcome_names[] = {"nps",      "csat",      "ces",
                                            "promoter", "detractor", "field"};

const char *link_outcome_name(enum link_outcome o)
{
    return outcome_names[o];
}

int link_outcome_parse(enum link_outcome *out, struct field *f, const char *s,
                       size_t n, struct err *err)
{
    for (int o = LINK_NPS; o < LINK_FIELD; o++)
        if (strlen(outcome_names[o]) == n && !memcmp(outcome_names[o], s, n)) {
            *out = (enum link_outcome)o;
            return 0;
        }
    *out = LINK_FIELD;
    return field_parse(f, s, n, FIELD_RESPONSES, err);
}

int link_bands_parse(double **edges, size_t *n, int *quantiles, const char *s,
                     struct err *err)
{
    *edges = NULL;
    *n = 0;
    *quantiles = 0;
    if (s[0] == 'q' || s[0] == 'Q') {
        char *end;
        long v = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end || v < 2 || v > LINK_MAX_BANDS)
            return err_set(err, ERR_INVALID, "--bands q%.20s: expected q2..q%d",
                           s + 1, LINK_MAX_BANDS);
        *quantiles = (int)v;
        return 0;
    }
    double *e = xcalloc(LINK_MAX_BANDS, sizeof *e);
    size_t k = 0;
    const char *p = s;
    for (;;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !isfinite(v) || (*end && *end != ',')) {
            free(e);
            return err_set(err, ERR_INVALID,
                           "--bands: expected increasing numbers E1,E2,... "
                           "or qN, got \"%.60s\"",
                           s);
        }
        if (k + 1 >= LINK_MAX_BANDS || (k && v <= e[k - 1])) {
            free(e);
            return err_set(err, ERR_INVALID,
                           k + 1 >= LINK_MAX_BANDS
                               ? "--bands: too many edges (at most 99)"
                               : "--bands: edges must increase, got \"%.60s\"",
                           s);
        }
        e[k++] = v;
        if (!*end)
            break;
        p = end + 1;
    }
    *edges = e;
    *n = k;
    return 0;
}

int link_window_parse(int64_t *secs, const char *s, size_t n, struct err *err)
{
    int64_t v = 0;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && v <= 100000)
        v = v * 10 + (s[i++] - '0');
    int64_t unit = i + 1 == n ? (s[i] == 'h'   ? 3600
                                 : s[i] == 'd' ? 86400
                                 : s[i] == 'w' ? 7 * 86400
                                               : 0)
                              : 0;
    if (i == 0 || !unit || v < 1 || v > 100000)
        return err_set(err, ERR_INVALID,
                       "window must be like 180d, 26w or 48h (1..100000), "
                       "got \"%.*s\"",
                       (int)(n > 30 ? 30 : n), s);
    *secs = v * unit;
    return 0;
}

void link_query_init(struct link_query *q)
{
    memset(q, 0, sizeof *q);
    q->outcome = LINK_NPS;
    q->revenue_each = NAN;
}

int link_churn_field(struct field *out, const struct link_query *q,
                     struct err *err)
{
    return field_event_count_after(out, q->churn, q->churn_window, err);
}

int link_query_fields(const struct link_query *q,
                      int (*fn)(void *ctx, const struct field *f), void *ctx,
                      struct err *err)
{
    struct field f;
    int rc;
    if ((rc = fn(ctx, &q->measure)) != 0)
        return rc;
    if (q->outcome == LINK_FIELD && (rc = fn(ctx, &q->outcome_field)) != 0)
        return rc;
    if (q->churn) {
        if ((rc = link_churn_field(&f, q, err)) < 0 || (rc = fn(ctx, &f)) != 0)
            return rc;
    }
    if (q->revenue == 1 && (rc = fn(ctx, &q->revenue_field)) != 0)
        return rc;
    return 0;
}

void link_result_free(struct link_result *r)
{
    if (!r)
        return;
    if (r->own)
        qfield_free(r->own->measure);
    free(r->own);
    free(r->bands);
    free(r);
}

/* A numeric field's values per row; ERR_INVALID when it has none. */
static int resolve_num(struct qfield **out, const struct colstore *cs,
                       const struct field *f, const uint8_t *need,
                       const char *role, struct err *err)
{
    int rc = qfield_resolve_rows(out, cs, COLSTORE_RESPONSES, f, need, err);
    if (rc < 0)
        return rc;
    if (!(*out)->num) {
        qfield_free(*out);
        *out = NULL;
        err_set(err, ERR_INVALID,
                "the %s %s is not a number (it has categories; "
                "metrics --by shows them)",
                role, f->text);
        return ERR_INVALID; /* as err_set does, said where lint sees it */
    }
    return 0;
}

/* The outcome score of row i (NaN = none). */
static double outcome_score(enum link_outcome o,
                            const struct colstore_columns *c, const double *num,
                            size_t i)
{
    switch (o) {
    case LINK_NPS:
        return c->nps[i] < 0    ? NAN
               : c->nps[i] >= 9 ? 100
               : c->nps[i] <= 6 ? -100
                                : 0;
    case LINK_PROMOTER:
        return c->nps[i] < 0 ? NAN : c->nps[i] >= 9 ? 100 : 0;
    case LINK_DETRACTOR:
        return c->nps[i] < 0 ? NAN : c->nps[i] <= 6 ? 100 : 0;
    case LINK_CSAT:
        return c->csat[i] < 0 ? NAN : c->csat[i];
    case LINK_CES:
        return c->ces[i] < 0 ? NAN : c->ces[i];
    default:
        return num ? num[i] : NAN;
    }
}

/* The figure of a band. */
struct band_acc {
    struct nps nps;
    struct prop prop;
    struct mean mean;    /* the outcome */
    struct mean measure; /* the measure */
};

static void band_add(struct band_acc *b, enum link_outcome o,
                     const struct colstore_columns *c, size_t i, double y,
                     double x)
{
    mean_add(&b->measure, x);
    mean_add(&b->mean, y);
    if (o == LINK_NPS)
        nps_add(&b->nps, c->nps[i]);
    else
        prop_add(&b->prop, y > 0);
}

static void band_figure(struct estimate *out, const struct band_acc *b,
                        enum link_outcome o)
{
    if (o == LINK_NPS)
        nps_compute(out, &b->nps);
    else if (o == LINK_PROMOTER || o == LINK_DETRACTOR)
        prop_compute(out, &b->prop);
    else
        mean_compute(out, &b->mean);
}

/* The linear-by-linear test: band score s (1..k) against y. */
static void trend_test(struct link_result *r, const double *s, const double *y,
                       size_t n)
{
    double ms = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        ms += s[i];
        my += y[i];
    }
    ms /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxx += (s[i] - ms) * (s[i] - ms);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (s[i] - ms) * (y[i] - my);
    }
    r->trend_valid = 0;
    r->trend_r = r->trend_stat = r->trend_p = NAN;
    if (r->n_bands < 2 || sxx <= 0 || syy <= 0)
        return;
    r->trend_valid = 1;
    r->trend_r = sxy / sqrt(sxx * syy);
    r->trend_stat = (double)(n - 1) * r->trend_r * r->trend_r;
    r->trend_p = gsl_cdf_chisq_Q(r->trend_stat, 1.0);
}

/* Churn by NPS group, and revenue at risk. */
static int churn_run(struct link_result *r, const struct colstore *cs,
                     const struct link_query *q, const uint8_t *mask,
                     const struct colstore_columns *c, struct err *err)
{
    struct field f;
    struct qfield *ch = NULL, *rev = NULL;
    size_t nc = colstore_customers(cs), rows = colstore_rows(cs);
    int64_t *best = NULL;
    struct prop p[3] = {PROP_INIT, PROP_INIT, PROP_INIT};
    int rc;

    if ((rc = link_churn_field(&f, q, err)) < 0)
        return rc;
    if ((rc = qfield_resolve_rows(&ch, cs, COLSTORE_RESPONSES, &f, mask, err)) <
        0)
        goto done;
    if (q->revenue == 1 && (rc = resolve_num(&rev, cs, &q->revenue_field, mask,
                                             "revenue", err)) < 0)
        goto done;
    r->has_churn = 1;
    snprintf(r->churn, sizeof r->churn, "%s", q->churn);
    r->churn_window = q->churn_window;
    /* The data end with the latest event: a response closer to it than
     * the window has not had its whole window, so its customer is left
     * out (counted in censored) rather than counted as staying. */
    struct colstore_events ev;
    colstore_events_view(cs, &ev);
    int64_t end = INT64_MIN;
    for (size_t e = 0; e < ev.n; e++)
        if (ev.ts[e] > end)
            end = ev.ts[e];
    /* each customer's first response with an NPS answer: a later one
     * may answer the churn itself (a survey after the notice) */
    best = xcalloc(nc + 1, sizeof *best);
    for (size_t k = 0; k < nc; k++)
        best[k] = -1;
    for (size_t i = 0; i < rows; i++) {
        if ((mask && !mask[i]) || c->nps[i] < 0 ||
            c->customer[i] == COLSTORE_NO_CUSTOMER || c->customer[i] >= nc)
            continue;
        int64_t *b = &best[c->customer[i]];
        if (*b < 0 || c->ts[i] < c->ts[*b])
            *b = (int64_t)i;
    }
    double revenue = 0;
    for (size_t k = 0; k < nc; k++) {
        if (best[k] < 0)
            continue;
        size_t i = (size_t)best[k];
        if (c->ts[i] > end - q->churn_window) {
            r->censored++;
            continue;
        }
        int g = c->nps[i] <= 6   ? LINK_DETRACTORS
                : c->nps[i] <= 8 ? LINK_PASSIVES
                                 : LINK_PROMOTERS;
        prop_add(&p[g], ch->num[i] > 0);
        r->customers++;
        if (g != LINK_DETRACTORS || !q->revenue)
            continue;
        double v = rev ? rev->num[i] : q->revenue_each;
        if (isnan(v)) {
            r->revenue_missing++;
            continue;
        }
        revenue += v;
        r->revenue_n++;
    }
    for (int g = 0; g < 3; g++)
        prop_compute(&r->churned[g], &p[g]);
    compare_props(&r->churn_diff, &p[LINK_PROMOTERS], &p[LINK_DETRACTORS]);
    estimate_clear(&r->at_risk);
    if (q->revenue) {
        r->revenue = q->revenue;
        if (q->revenue == 1)
            snprintf(r->revenue_text, sizeof r->revenue_text, "%s",
                     q->revenue_field.text);
        else
            snprintf(r->revenue_text, sizeof r->revenue_text, "%g each",
                     q->revenue_each);
        r->revenue_detractors = revenue;
        r->at_risk.n = r->revenue_n;
        if (r->churn_diff.valid) {
            r->at_risk.value = revenue * r->churn_diff.diff / 100.0;
            r->at_risk.lo = revenue * r->churn_diff.lo / 100.0;
            r->at_risk.hi = revenue * r->churn_diff.hi / 100.0;
            r->at_risk.se = fabs(revenue) * r->churn_diff.se / 100.0;
        }
    }
    rc = 0;
done:
    free(best);
    qfield_free(ch);
    qfield_free(rev);
    return rc;
}

int link_run(struct link_result **out, const struct colstore *cs,
             const struct link_query *q, struct err *err)
{
    struct link_result *r = xcalloc(1, sizeof *r);
    struct qfield *oq = NULL;
    struct colstore_columns c;
    struct band_acc *acc = NULL;
    uint8_t *mask = NULL;
    double *x = NULL, *y = NULL, *s = NULL;
    struct regress_ols *fit = NULL;
    size_t rows = colstore_rows(cs), n = 0;
    int rc;

    *out = NULL;
    r->own = xcalloc(1, sizeof *r->own);
    r->outcome = q->outcome;
    snprintf(r->measure, sizeof r->measure, "%s", q->measure.text);
    snprintf(r->outcome_text, sizeof r->outcome_text, "%s",
             q->outcome == LINK_FIELD ? q->outcome_field.text
                                      : outcome_names[q->outcome]);
    if (q->filter && (rc = metrics_filter_rows(&mask, cs, q->filter, err)) < 0)
        goto done;
    for (size_t i = 0; i < rows; i++)
        r->rows_passed += !mask || mask[i];

    /* the measure, in bands */
    struct field mf = q->measure;
    if (!q->n_edges && !mf.quantiles)
        mf.quantiles = q->quantiles ? q->quantiles : LINK_DEFAULT_QUANTILES;
    if (q->n_edges)
        mf.quantiles = 0;
    if ((rc = resolve_num(&r->own->measure, cs, &mf, mask, "measure", err)) < 0)
        goto done;
    struct qfield *mq = r->own->measure;
    if ((rc = qfield_categorize(mq, q->edges, q->n_edges, LINK_MAX_BANDS + 1,
                                err)) < 0)
        goto done;
    if (q->outcome == LINK_FIELD &&
        (rc = resolve_num(&oq, cs, &q->outcome_field, mask, "outcome", err)) <
            0)
        goto done;

    colstore_columns(cs, &c);
    x = xcalloc(rows + 1, sizeof *x);
    y = xcalloc(rows + 1, sizeof *y);
    s = xcalloc(rows + 1, sizeof *s);
    uint32_t *band_of = xcalloc(rows + 1, sizeof *band_of);
    acc = xcalloc((size_t)mq->n_values + 1, sizeof *acc);
    struct mean all = MEAN_INIT;
    for (size_t i = 0; i < rows; i++) {
        if (mask && !mask[i])
            continue;
        double v = outcome_score(q->outcome, &c, oq ? oq->num : NULL, i);
        if (isnan(v))
            continue;
        double m = mq->num[i];
        uint32_t b = qfield_value(mq, qfield_code(mq, i));
        if (isnan(m) || b == mq->none) {
            r->no_measure++;
            continue;
        }
        if (!isfinite(v) || !isfinite(m)) {
            free(band_of);
            rc = err_set(err, ERR_INVALID, "response %lld: an infinite value",
                         (long long)c.id[i]);
            goto done;
        }
        band_add(&acc[b], q->outcome, &c, i, v, m);
        mean_add(&all, m);
        x[n] = m;
        y[n] = v;
        band_of[n] = b;
        n++;
    }
    r->n = (int64_t)n;
    r->measure_mean = all.m;
    r->measure_sd = sqrt(mean_variance(&all));

    /* bands with responses, numbered 1..k for the trend test */
    uint32_t *score = xcalloc((size_t)mq->n_values + 1, sizeof *score);
    r->bands = xcalloc((size_t)mq->n_values + 1, sizeof *r->bands);
    for (uint32_t b = 0; b < mq->n_values; b++) {
        if (acc[b].mean.n == 0)
            continue;
        struct link_band *lb = &r->bands[r->n_bands++];
        score[b] = (uint32_t)r->n_bands;
        lb->label = mq->label[b];
        lb->n = acc[b].mean.n;
        lb->measure_mean = acc[b].measure.m;
        band_figure(&lb->outcome, &acc[b], q->outcome);
    }
    for (size_t j = 0; j < n; j++)
        s[j] = score[band_of[j]];
    free(score);
    free(band_of);

    if (n < 3) {
        rc = err_set(err, ERR_INVALID,
                     "only %zu response%s %s both %s and %s: too few to "
                     "relate them",
                     n, n == 1 ? "" : "s", n == 1 ? "has" : "have", r->measure,
                     r->outcome_text);
        goto done;
    }
    if (!(r->measure_sd > 1e-12 * fabs(r->measure_mean))) {
        rc = err_set(err, ERR_INVALID,
                     "the measure %s is %g for every response that has %s: "
                     "a constant measure cannot explain anything",
                     r->measure, x[0], r->outcome_text);
        goto done;
    }
    trend_test(r, s, y, n);
    const char *names[1] = {r->measure};
    struct regress_opts o = REGRESS_OPTS_INIT;
    o.names = names;
    if ((rc = regress_ols(&fit, x, y, n, 1, &o, err)) < 0)
        goto done;
    r->slope.n = (int64_t)fit->n;
    r->slope.value = fit->coef[1].b;
    r->slope.se = fit->coef[1].se;
    r->slope.lo = fit->coef[1].lo;
    r->slope.hi = fit->coef[1].hi;
    r->slope_p = fit->coef[1].p;
    r->intercept = fit->coef[0].b;
    r->r2 = fit->r2;

    if (q->churn && (rc = churn_run(r, cs, q, mask, &c, err)) < 0)
        goto done;
    *out = r;
    r = NULL;
    rc = 0;
done:
    regress_ols_free(fit);
    qfield_free(oq);
    free(acc);
    free(mask);
    free(x);
    free(y);
    free(s);
    link_result_free(r);
    return rc;
}
