#include "analysis/personas.h"
#include "analysis/personas_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/rng.h"
#include "core/xalloc.h"
#include "stats/ari.h"
#include "stats/metrics.h"
#include "stats/nps.h"

#define ITER_MAX 100

/* ---- parsing ---- */

static int is_word(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && !memcmp(s, w, n);
}

static int parse_attr(struct field *f, const char *s, size_t n,
                      const char *feature, struct err *err)
{
    int rc = field_parse(f, s, n, FIELD_RESPONSES, err);
    if (rc < 0)
        return rc;
    if (f->kind != FIELD_CUSTOMER || f->quantiles)
        return err_set(err, ERR_INVALID,
                       "feature '%s': a customer attribute is "
                       "customer.NAME, without modifiers",
                       feature);
    return 0;
}

/* customer.A/customer.B: a derived numeric feature (rent per m²). */
static int parse_ratio(struct personas_feature_spec *v, const char *s, size_t n,
                       struct err *err)
{
    const char *slash = memchr(s, '/', n);
    size_t a = (size_t)(slash - s), b = n - a - 1;
    if (b <= 9 || memcmp(slash + 1, "customer.", 9) ||
        memchr(slash + 1, '/', b))
        return err_set(err, ERR_INVALID,
                       "feature '%s': a ratio is customer.A/customer.B",
                       v->name);
    int rc = parse_attr(&v->f, s, a, v->name, err);
    if (rc == 0)
        rc = parse_attr(&v->f2, slash + 1, b, v->name, err);
    if (rc < 0)
        return rc;
    v->kind = PF_RATIO; /* named as given */
    return 0;
}

static int parse_one(struct personas_feature_spec *v, const char *s, size_t n,
                     struct err *err)
{
    memset(v, 0, sizeof *v);
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return err_set(err, ERR_INVALID, "empty feature name");
    if (n >= FIELD_MAX_NAME)
        return err_set(err, ERR_INVALID, "feature name too long");
    snprintf(v->name, sizeof v->name, "%.*s", (int)n, s);
    if (is_word(s, n, "channels")) {
        v->kind = PF_CHANNELS;
    } else if (n > 9 && !memcmp(s, "channels:", 9)) {
        v->kind = PF_EV_CHANNELS;
        snprintf(v->activity, sizeof v->activity, "%.*s", (int)(n - 9), s + 9);
    } else if (is_word(s, n, "responses")) {
        v->kind = PF_RESPONSES;
    } else if (is_word(s, n, "touchpoints")) {
        v->kind = PF_TOUCHPOINTS;
    } else if (is_word(s, n, "nps")) {
        v->kind = PF_NPS;
    } else if (n > 9 && !memcmp(s, "customer.", 9) && memchr(s, '/', n)) {
        return parse_ratio(v, s, n, err);
    } else if (n > 9 && !memcmp(s, "customer.", 9)) {
        int rc = parse_attr(&v->f, s, n, v->name, err);
        if (rc < 0)
            return rc;
        v->kind = PF_CUSTOMER;
        snprintf(v->name, sizeof v->name, "%s", v->f.text);
    } else {
        return err_set(err, ERR_INVALID,
                       "unknown feature '%s': use customer.NAME, "
                       "customer.A/customer.B, channels, channels:ACTIVITY, "
                       "responses, touchpoints or nps",
                       v->name);
    }
    return 0;
}

int personas_spec_new(struct personas_spec **out, const char *features,
                      struct err *err)
{
    struct personas_spec *s = xcalloc(1, sizeof *s);
    const char *p = features ? features : "";
    int rc = 0;
    *out = NULL;
    s->v = xcalloc(PERSONAS_MAX_FEATURES, sizeof *s->v);
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (s->n == PERSONAS_MAX_FEATURES) {
            rc = err_set(err, ERR_INVALID, "more than %d features",
                         PERSONAS_MAX_FEATURES);
            goto done;
        }
        if ((rc = parse_one(&s->v[s->n], p, n, err)) < 0)
            goto done;
        for (size_t j = 0; j < s->n; j++)
            if (!strcmp(s->v[j].name, s->v[s->n].name)) {
                rc = err_set(err, ERR_INVALID, "feature '%s' given twice",
                             s->v[j].name);
                goto done;
            }
        s->needs_events |= s->v[s->n].kind == PF_EV_CHANNELS;
        s->n++;
        if (!e)
            break;
        p = e + 1;
    }
    *out = s;
    s = NULL;
done:
    personas_spec_free(s);
    return rc;
}

void personas_spec_free(struct personas_spec *s)
{
    if (!s)
        return;
    free(s->v);
    free(s);
}

int personas_spec_fields(const struct personas_spec *s,
                         int (*fn)(void *ctx, const struct field *f), void *ctx)
{
    for (size_t j = 0; j < s->n; j++) {
        int rc = 0;
        if (s->v[j].kind == PF_CUSTOMER || s->v[j].kind == PF_RATIO)
            rc = fn(ctx, &s->v[j].f);
        if (!rc && s->v[j].kind == PF_RATIO)
            rc = fn(ctx, &s->v[j].f2);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the design: one row per customer ---- */

static void design_dispose(struct design *d)
{
    free(d->raw);
    free(d->w);
    free(d->x);
    free(d->c);
    free(d->nlev);
    free(d->loff);
    free(d->cat_col);
    free(d->fn);
    free(d->fc);
}

/* A new numeric column; returns its values (m, NaN-filled). */
static double *add_num(struct design *d, const char *name)
{
    if (d->pn == d->cap_n) {
        d->cap_n = d->cap_n ? 2 * d->cap_n : 8;
        d->raw = xrealloc(d->raw, d->cap_n * d->m * sizeof *d->raw);
        d->w = xrealloc(d->w, d->cap_n * sizeof *d->w);
        d->fn = xrealloc(d->fn, d->cap_n * sizeof *d->fn);
    }
    memset(&d->fn[d->pn], 0, sizeof d->fn[d->pn]);
    snprintf(d->fn[d->pn].name, sizeof d->fn[d->pn].name, "%s", name);
    d->w[d->pn] = 1;
    double *col = d->raw + d->pn * d->m; /* column-major while building */
    for (size_t i = 0; i < d->m; i++)
        col[i] = NAN;
    d->pn++;
    return col;
}

static uint32_t *add_cat(struct design *d, const char *name, uint32_t levels,
                         int col)
{
    if (d->pc == d->cap_c) {
        d->cap_c = d->cap_c ? 2 * d->cap_c : 8;
        d->c = xrealloc(d->c, d->cap_c * d->m * sizeof *d->c);
        d->fc = xrealloc(d->fc, d->cap_c * sizeof *d->fc);
        d->nlev = xrealloc(d->nlev, d->cap_c * sizeof *d->nlev);
        d->cat_col = xrealloc(d->cat_col, d->cap_c * sizeof *d->cat_col);
    }
    memset(&d->fc[d->pc], 0, sizeof d->fc[d->pc]);
    snprintf(d->fc[d->pc].name, sizeof d->fc[d->pc].name, "%s", name);
    d->fc[d->pc].categorical = 1;
    d->nlev[d->pc] = levels;
    d->cat_col[d->pc] = col;
    return d->c + d->pc++ * d->m;
}

/* 1 when every level of a categorical column (but "no value") is a band
 * "A-B" or an open end "A+" of numbers ("18-24", "65-79", "80+"): bands
 * of an ordered quantity, used as the band's lower bound. */
static int ordinal_levels(const struct colstore *cs, int col,
                          const struct colstore_colview *cv)
{
    if (cv->card < 3)
        return 0;
    for (uint32_t code = 1; code < cv->card; code++) {
        const char *s = colstore_col_label(cs, COLSTORE_CUSTOMERS, col, code);
        char *end;
        strtod(s, &end);
        if (end == s)
            return 0;
        if (*end == '-') { /* "18-24", not a date "2023-11-01" */
            const char *hi = end + 1;
            strtod(hi, &end);
            if (end == hi || *end)
                return 0;
        } else if (*end != '+' || end[1]) {
            return 0;
        }
    }
    return 1;
}

static int add_customer_attr(struct design *d, const struct cust *cu,
                             const struct personas_feature_spec *v,
                             struct err *err)
{
    const struct colstore *cs = cu->cs;
    int col = colstore_col_find(cs, COLSTORE_CUSTOMERS, v->f.name);
    struct colstore_colview cv;
    if (col < 0)
        return err_set(err, ERR_NOTFOUND,
                       "no customer attribute '%s' (feature %s)", v->f.name,
                       v->name);
    colstore_col_view(cs, COLSTORE_CUSTOMERS, col, &cv);
    if (cv.kind == COLSTORE_NUM) {
        double *x = add_num(d, v->f.name);
        for (size_t i = 0; i < d->m; i++)
            x[i] = cu->idx[i] < cv.rows ? cv.num[cu->idx[i]] : NAN;
        return 0;
    }
    if (ordinal_levels(cs, col, &cv)) {
        double *x = add_num(d, v->f.name);
        for (size_t i = 0; i < d->m; i++) {
            uint32_t code = cu->idx[i] < cv.rows ? cv.codes[cu->idx[i]] : 0;
            x[i] = code ? strtod(colstore_col_label(cs, COLSTORE_CUSTOMERS, col,
                                                    code),
                                 NULL)
                        : NAN;
        }
        return 0;
    }
    if (cv.card > PERSONAS_MAX_LEVELS)
        return err_set(err, ERR_INVALID,
                       "feature %s has %zu values, more than %d: group it "
                       "or leave it out",
                       v->name, cv.card, PERSONAS_MAX_LEVELS);
    uint32_t *c = add_cat(d, v->f.name, (uint32_t)cv.card, col);
    for (size_t i = 0; i < d->m; i++)
        c[i] = cu->idx[i] < cv.rows ? cv.codes[cu->idx[i]] : 0;
    return 0;
}

/* A numeric customer column's values (*vals, *rows of them). */
static int num_attr(const struct cust *cu, const struct field *f,
                    const char *feature, const double **vals, size_t *rows,
                    struct err *err)
{
    int col = colstore_col_find(cu->cs, COLSTORE_CUSTOMERS, f->name);
    struct colstore_colview cv;
    if (col < 0)
        return err_set(err, ERR_NOTFOUND,
                       "no customer attribute '%s' (feature %s)", f->name,
                       feature);
    colstore_col_view(cu->cs, COLSTORE_CUSTOMERS, col, &cv);
    if (cv.kind != COLSTORE_NUM)
        return err_set(err, ERR_INVALID,
                       "feature %s: customer.%s is not a number, so it cannot "
                       "be part of a ratio",
                       feature, f->name);
    *vals = cv.num;
    *rows = cv.rows;
    return 0;
}

static int add_ratio(struct design *d, const struct cust *cu,
                     const struct personas_feature_spec *v, struct err *err)
{
    const double *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    int rc = num_attr(cu, &v->f, v->name, &a, &na, err);
    if (rc == 0)
        rc = num_attr(cu, &v->f2, v->name, &b, &nb, err);
    if (rc < 0)
        return rc;
    char name[2 * FIELD_MAX_NAME + 2]; /* "rent/area_sqm", as attributes are */
    snprintf(name, sizeof name, "%s/%s", v->f.name, v->f2.name);
    double *x = add_num(d, name);
    for (size_t i = 0; i < d->m; i++) {
        uint32_t c = cu->idx[i];
        double q = c < na && c < nb && b[c] != 0 ? a[c] / b[c] : NAN;
        x[i] = isfinite(q) ? q : NAN;
    }
    return 0;
}

/* One share column per channel in counts (m x nch, per customer), for the
 * channels any customer used; customers with no total get NaN. */
static void add_shares(struct design *d, const struct cust *cu,
                       const size_t *cnt, size_t nch, const char *prefix)
{
    char name[PERSONAS_LABEL + FIELD_MAX_TEXT];
    size_t first = d->pn;
    for (size_t ch = 0; ch < nch; ch++) {
        size_t used = 0;
        for (size_t i = 0; i < d->m && !used; i++)
            used = cnt[i * nch + ch];
        if (!used)
            continue;
        snprintf(name, sizeof name, "%s=%s", prefix,
                 colstore_label(cu->cs, DIM_CHANNEL, (int)ch));
        double *x = add_num(d, name);
        for (size_t i = 0; i < d->m; i++) {
            size_t tot = 0;
            for (size_t k = 0; k < nch; k++)
                tot += cnt[i * nch + k];
            x[i] = tot ? (double)cnt[i * nch + ch] / (double)tot : NAN;
        }
    }
    /* the group weighs as one feature: c share columns, 1/c each */
    for (size_t j = first; j < d->pn; j++)
        d->w[j] = 1 / (double)(d->pn - first);
}

static int add_behaviour(struct design *d, const struct cust *cu,
                         const struct personas_feature_spec *v, struct err *err)
{
    const struct colstore *cs = cu->cs;
    const struct colstore_columns *col = &cu->col;
    size_t nch = colstore_card(cs, DIM_CHANNEL);
    size_t ntp = colstore_card(cs, DIM_TOUCHPOINT);
    size_t *cnt = NULL;
    int rc = 0;
    if (v->kind == PF_CHANNELS || v->kind == PF_TOUCHPOINTS) {
        size_t w = v->kind == PF_CHANNELS ? nch : ntp;
        cnt = xcalloc(d->m * (w ? w : 1), sizeof *cnt);
        for (size_t r = 0; r < col->n; r++) {
            if (!cu->use[r] || col->customer[r] == COLSTORE_NO_CUSTOMER)
                continue;
            size_t i = (size_t)cu->pos[col->customer[r]];
            cnt[i * w + (v->kind == PF_CHANNELS ? col->channel[r]
                                                : col->touchpoint[r])]++;
        }
        if (v->kind == PF_CHANNELS) {
            add_shares(d, cu, cnt, nch, "channel");
        } else {
            double *x = add_num(d, "touchpoints");
            for (size_t i = 0; i < d->m; i++) {
                x[i] = 0;
                for (size_t t = 0; t < ntp; t++)
                    x[i] += cnt[i * ntp + t] > 0;
            }
        }
    } else if (v->kind == PF_EV_CHANNELS) {
        struct colstore_events ev;
        if (!colstore_has_events(cs)) {
            rc = err_set(err, ERR_INVALID,
                         "feature %s needs the events, and none are loaded",
                         v->name);
            goto done;
        }
        int64_t act =
            colstore_activity_code(cs, v->activity, strlen(v->activity));
        if (act < 0) {
            rc = err_set(err, ERR_NOTFOUND, "no activity '%s' (feature %s)",
                         v->activity, v->name);
            goto done;
        }
        colstore_events_view(cs, &ev);
        cnt = xcalloc(d->m * (nch ? nch : 1), sizeof *cnt);
        for (size_t i = 0; i < d->m; i++) {
            size_t lo, hi;
            colstore_events_range(&ev, cu->idx[i], &lo, &hi);
            for (size_t e = lo; e < hi; e++)
                if (ev.activity[e] == (uint32_t)act && ev.channel[e] < nch)
                    cnt[i * nch + ev.channel[e]]++;
        }
        add_shares(d, cu, cnt, nch, v->name);
    } else if (v->kind == PF_RESPONSES) {
        double *x = add_num(d, "log(1+responses)");
        for (size_t i = 0; i < d->m; i++)
            x[i] = log1p((double)cu->nresp[i]);
    } else { /* PF_NPS */
        double *sum = xcalloc(d->m, sizeof *sum);
        cnt = xcalloc(d->m, sizeof *cnt);
        for (size_t r = 0; r < col->n; r++) {
            if (!cu->use[r] || col->customer[r] == COLSTORE_NO_CUSTOMER ||
                col->nps[r] < 0)
                continue;
            size_t i = (size_t)cu->pos[col->customer[r]];
            sum[i] += col->nps[r];
            cnt[i]++;
        }
        double *x = add_num(d, "nps");
        for (size_t i = 0; i < d->m; i++)
            x[i] = cnt[i] ? sum[i] / (double)cnt[i] : NAN;
        free(sum);
    }
done:
    free(cnt);
    return rc;
}

/* Standardises the numeric columns into row-major x and lays out the
 * categorical level offsets. Returns the mean sd of the standardised
 * columns (1 for each non-constant one, 0 for a constant one). */
static double design_finish(struct design *d)
{
    double sds = 0, wsum = 0;
    d->x = xmalloc((d->m * d->pn + 1) * sizeof *d->x);
    for (size_t j = 0; j < d->pn; j++) {
        const double *col = d->raw + j * d->m;
        double s = 0, ss = 0;
        size_t n = 0;
        for (size_t i = 0; i < d->m; i++)
            if (!isnan(col[i])) {
                s += col[i];
                n++;
            }
        double mean = n ? s / (double)n : 0;
        for (size_t i = 0; i < d->m; i++)
            if (!isnan(col[i]))
                ss += (col[i] - mean) * (col[i] - mean);
        double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
        d->fn[j].mean = n ? mean : NAN;
        d->fn[j].sd = sd;
        d->fn[j].missing = d->m - n;
        for (size_t i = 0; i < d->m; i++)
            d->x[i * d->pn + j] = isnan(col[i]) || sd == 0
                                      ? 0
                                      : sqrt(d->w[j]) * (col[i] - mean) / sd;
        sds += sd > 0 ? d->w[j] : 0;
        wsum += d->w[j];
    }
    d->loff = xcalloc(d->pc ? d->pc : 1, sizeof *d->loff);
    d->ltot = 0;
    for (size_t j = 0; j < d->pc; j++) {
        d->loff[j] = d->ltot;
        d->ltot += d->nlev[j];
        size_t *seen = xcalloc(d->nlev[j], sizeof *seen);
        for (size_t i = 0; i < d->m; i++)
            seen[d->c[j * d->m + i]] = 1;
        for (size_t l = 0; l < d->nlev[j]; l++)
            d->fc[j].levels += seen[l];
        free(seen);
    }
    /* the categorical codes row-major too */
    uint32_t *c = xmalloc((d->m * d->pc + 1) * sizeof *c);
    for (size_t j = 0; j < d->pc; j++)
        for (size_t i = 0; i < d->m; i++)
            c[i * d->pc + j] = d->c[j * d->m + i];
    free(d->c);
    d->c = c;
    return wsum > 0 ? sds / wsum : 1;
}

/* ---- k-prototypes ---- */

double personas_dist(const struct design *d, double gamma, size_t i,
                     const double *px, const uint32_t *pc)
{
    const double *xi = d->x + i * d->pn;
    const uint32_t *ci = d->c + i * d->pc;
    double s = 0;
    size_t mis = 0;
    for (size_t j = 0; j < d->pn; j++)
        s += (xi[j] - px[j]) * (xi[j] - px[j]);
    for (size_t j = 0; j < d->pc; j++)
        mis += ci[j] != pc[j];
    return s + gamma * (double)mis;
}

static void set_proto(const struct design *d, struct protos *p, size_t c,
                      size_t i)
{
    memcpy(p->x + c * d->pn, d->x + i * d->pn, d->pn * sizeof *p->x);
    memcpy(p->c + c * d->pc, d->c + i * d->pc, d->pc * sizeof *p->c);
}

/* One start: k-means++ seeding (a first point at random, then each next
 * with probability proportional to its dissimilarity to the nearest
 * chosen one), then alternate assignment and update until no customer
 * moves. Returns the cost. */
static double kp_once(const struct design *d, double gamma, size_t k,
                      struct rng *r, uint32_t *as, struct protos *p)
{
    size_t m = d->m;
    double *dmin = xmalloc(m * sizeof *dmin), cost = 0;
    double *sum = xcalloc(k * (d->pn ? d->pn : 1), sizeof *sum);
    size_t *cnt = xcalloc(k, sizeof *cnt);
    size_t *lc = xcalloc(k * (d->ltot ? d->ltot : 1), sizeof *lc);
    set_proto(d, p, 0, (size_t)rng_below(r, m));
    for (size_t i = 0; i < m; i++)
        dmin[i] = personas_dist(d, gamma, i, p->x, p->c);
    for (size_t c = 1; c < k; c++) {
        double tot = 0, u, acc = 0;
        size_t pick = m - 1;
        for (size_t i = 0; i < m; i++)
            tot += dmin[i];
        if (tot <= 0) {
            pick = (size_t)rng_below(r, m);
        } else {
            u = rng_uniform(r) * tot;
            for (size_t i = 0; i < m; i++)
                if ((acc += dmin[i]) > u) {
                    pick = i;
                    break;
                }
        }
        set_proto(d, p, c, pick);
        for (size_t i = 0; i < m; i++) {
            double di =
                personas_dist(d, gamma, i, p->x + c * d->pn, p->c + c * d->pc);
            dmin[i] = di < dmin[i] ? di : dmin[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        as[i] = UINT32_MAX;
    for (int it = 0; it < ITER_MAX; it++) {
        int changed = 0;
        cost = 0;
        for (size_t i = 0; i < m; i++) {
            double best = INFINITY;
            uint32_t bc = 0;
            for (size_t c = 0; c < k; c++) {
                double di = personas_dist(d, gamma, i, p->x + c * d->pn,
                                          p->c + c * d->pc);
                if (di < best) {
                    best = di;
                    bc = (uint32_t)c;
                }
            }
            changed |= as[i] != bc;
            as[i] = bc;
            dmin[i] = best;
            cost += best;
        }
        if (!changed)
            break;
        memset(sum, 0, k * d->pn * sizeof *sum);
        memset(cnt, 0, k * sizeof *cnt);
        memset(lc, 0, k * d->ltot * sizeof *lc);
        for (size_t i = 0; i < m; i++) {
            size_t c = as[i];
            cnt[c]++;
            for (size_t j = 0; j < d->pn; j++)
                sum[c * d->pn + j] += d->x[i * d->pn + j];
            for (size_t j = 0; j < d->pc; j++)
                lc[c * d->ltot + d->loff[j] + d->c[i * d->pc + j]]++;
        }
        for (size_t c = 0; c < k; c++) {
            if (cnt[c] == 0) {
                /* an empty cluster takes the worst-fitting customer */
                size_t far = 0;
                for (size_t i = 1; i < m; i++)
                    if (dmin[i] > dmin[far])
                        far = i;
                set_proto(d, p, c, far);
                dmin[far] = 0;
                continue;
            }
            for (size_t j = 0; j < d->pn; j++)
                p->x[c * d->pn + j] = sum[c * d->pn + j] / (double)cnt[c];
            for (size_t j = 0; j < d->pc; j++) {
                const size_t *l = lc + c * d->ltot + d->loff[j];
                uint32_t mode = 0;
                for (uint32_t v = 1; v < d->nlev[j]; v++)
                    if (l[v] > l[mode])
                        mode = v;
                p->c[c * d->pc + j] = mode;
            }
        }
    }
    free(dmin);
    free(sum);
    free(cnt);
    free(lc);
    return cost;
}

/* The best of `starts` starts for k clusters. stream separates the runs
 * of different k and seeds. */
static double kp_run(const struct design *d, double gamma, size_t k,
                     uint64_t seed, int starts, uint32_t *as, struct protos *p)
{
    uint32_t *a = xmalloc(d->m * sizeof *a);
    struct protos q = {xmalloc(k * (d->pn ? d->pn : 1) * sizeof(double)),
                       xmalloc(k * (d->pc ? d->pc : 1) * sizeof(uint32_t))};
    double best = INFINITY;
    for (int s = 0; s < starts; s++) {
        struct rng r;
        rng_seed_stream(&r, seed, (uint64_t)k * 1000 + (uint64_t)s);
        double cost = kp_once(d, gamma, k, &r, a, &q);
        if (cost < best) {
            best = cost;
            memcpy(as, a, d->m * sizeof *a);
            memcpy(p->x, q.x, k * d->pn * sizeof *q.x);
            memcpy(p->c, q.c, k * d->pc * sizeof *q.c);
        }
    }
    free(a);
    free(q.x);
    free(q.c);
    return best;
}

/* ---- silhouette on a sample ---- */

struct sample {
    size_t n;
    size_t *i; /* design rows */
    float *dd; /* n x n: sqrt of the mixed dissimilarity */
};

static void sample_build(struct sample *s, const struct design *d, double gamma,
                         size_t want, uint64_t seed)
{
    size_t m = d->m;
    size_t *perm = xmalloc(m * sizeof *perm);
    struct rng r;
    rng_seed_stream(&r, seed, UINT64_C(0x5117));
    for (size_t i = 0; i < m; i++)
        perm[i] = i;
    s->n = want < m ? want : m;
    for (size_t i = 0; i < s->n; i++) { /* partial Fisher-Yates */
        size_t j = i + (size_t)rng_below(&r, m - i);
        size_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    s->i = perm;
    s->dd = xmalloc(s->n * s->n * sizeof *s->dd);
    for (size_t a = 0; a < s->n; a++) {
        s->dd[a * s->n + a] = 0;
        for (size_t b = a + 1; b < s->n; b++) {
            double v = personas_dist(d, gamma, s->i[a], d->x + s->i[b] * d->pn,
                                     d->c + s->i[b] * d->pc);
            s->dd[a * s->n + b] = s->dd[b * s->n + a] = (float)sqrt(v);
        }
    }
}

/* Mean silhouette of the sampled customers under assignment as; a
 * customer alone in its cluster within the sample scores 0. */
static double silhouette(const struct sample *s, const uint32_t *as, size_t k)
{
    double *sum = xmalloc(k * sizeof *sum), tot = 0;
    size_t *cnt = xcalloc(k, sizeof *cnt);
    for (size_t a = 0; a < s->n; a++)
        cnt[as[s->i[a]]]++;
    for (size_t a = 0; a < s->n; a++) {
        size_t own = as[s->i[a]];
        for (size_t c = 0; c < k; c++)
            sum[c] = 0;
        for (size_t b = 0; b < s->n; b++)
            sum[as[s->i[b]]] += s->dd[a * s->n + b];
        if (cnt[own] < 2)
            continue;
        double ai = sum[own] / (double)(cnt[own] - 1), bi = INFINITY;
        for (size_t c = 0; c < k; c++)
            if (c != own && cnt[c] && sum[c] / (double)cnt[c] < bi)
                bi = sum[c] / (double)cnt[c];
        double mx = ai > bi ? ai : bi;
        if (isfinite(bi) && mx > 0)
            tot += (bi - ai) / mx;
    }
    free(sum);
    free(cnt);
    return s->n ? tot / (double)s->n : NAN;
}

/* ---- truth ---- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int truth_labels(uint32_t *out, size_t *groups, const struct cust *cu,
                        const struct field *f, struct err *err)
{
    const struct colstore *cs = cu->cs;
    if (f->kind == FIELD_CORE && f->core == FC_SEGMENT) {
        for (size_t i = 0; i < cu->m; i++) {
            int s = colstore_customer_segment(cs, cu->idx[i]);
            out[i] = s < 0 ? UINT32_MAX : (uint32_t)s;
        }
    } else if (f->kind == FIELD_CUSTOMER && !f->quantiles) {
        int col = colstore_col_find(cs, COLSTORE_CUSTOMERS, f->name);
        struct colstore_colview cv;
        if (col < 0)
            return err_set(err, ERR_NOTFOUND,
                           "no customer attribute '%s' "
                           "(--truth)",
                           f->name);
        colstore_col_view(cs, COLSTORE_CUSTOMERS, col, &cv);
        for (size_t i = 0; i < cu->m; i++) {
            size_t c = cu->idx[i];
            if (cv.kind == COLSTORE_CAT)
                out[i] = c < cv.rows ? cv.codes[c] : 0;
            else
                out[i] = c < cv.rows && !isnan(cv.num[c])
                             ? (uint32_t)(int32_t)llround(cv.num[c])
                             : UINT32_MAX;
        }
    } else {
        return err_set(err, ERR_INVALID,
                       "--truth %s: name a field with one value per "
                       "customer, segment or customer.NAME",
                       f->text);
    }
    uint32_t *tmp = xmalloc(cu->m * sizeof *tmp);
    memcpy(tmp, out, cu->m * sizeof *tmp);
    qsort(tmp, cu->m, sizeof *tmp, cmp_u32);
    *groups = 0;
    for (size_t i = 0; i < cu->m; i++)
        *groups += i == 0 || tmp[i] != tmp[i - 1];
    free(tmp);
    return 0;
}

/* ---- the run ---- */

static int select_customers(struct cust *cu, struct personas_result *r,
                            struct err *err)
{
    size_t nc = colstore_customers(cu->cs);
    cu->pos = xmalloc((nc ? nc : 1) * sizeof *cu->pos);
    for (size_t c = 0; c < nc; c++)
        cu->pos[c] = -1;
    for (size_t i = 0; i < cu->col.n; i++) {
        if (!cu->use[i])
            continue;
        r->rows++;
        uint32_t c = cu->col.customer[i];
        if (c == COLSTORE_NO_CUSTOMER || c >= nc)
            continue;
        r->responses++;
        if (cu->pos[c] < 0)
            cu->pos[c] = (int64_t)cu->m++;
    }
    if (cu->m == 0)
        return err_set(err, ERR_INVALID,
                       "no customer has a response passing the filters");
    cu->idx = xmalloc(cu->m * sizeof *cu->idx);
    cu->nresp = xcalloc(cu->m, sizeof *cu->nresp);
    /* design rows in customer order, so results do not depend on the
     * order responses come in */
    size_t m = 0;
    for (size_t c = 0; c < nc; c++)
        if (cu->pos[c] >= 0) {
            cu->pos[c] = (int64_t)m;
            cu->idx[m++] = (uint32_t)c;
        }
    for (size_t i = 0; i < cu->col.n; i++)
        if (cu->use[i] && cu->col.customer[i] < nc)
            cu->nresp[cu->pos[cu->col.customer[i]]]++;
    return 0;
}

int personas_run(struct personas_result **out, const struct colstore *cs,
                 const struct personas_spec *s,
                 const struct personas_opts *opts, struct err *err)
{
    struct personas_opts o = PERSONAS_OPTS_INIT;
    struct personas_result *r = xcalloc(1, sizeof *r);
    struct design d = {0};
    struct cust cu = {0};
    struct sample smp = {0};
    struct protos best = {NULL, NULL};
    uint8_t *use = NULL;
    uint32_t *as = NULL, *as2 = NULL, *truth = NULL;
    size_t rows = colstore_rows(cs);
    int rc = 0;

    *out = NULL;
    if (opts)
        o = *opts;
    if (o.k_max <= 0)
        o.k_max = 8;
    if (o.starts <= 0)
        o.starts = 5;
    if (o.sample < 10)
        o.sample = 1500;
    if (o.min_n <= 0)
        o.min_n = 30;
    r->min_n = o.min_n;
    r->seed = o.seed;
    r->seed2 = o.seed + 1;
    r->starts = o.starts;
    r->ari_truth = r->ari_seeds = NAN;
    for (int k = 0; k <= PERSONAS_K_MAX; k++)
        r->silhouette[k] = r->cost[k] = NAN;
    if (o.k && (o.k < 2 || o.k > PERSONAS_K_MAX)) {
        rc = err_set(err, ERR_INVALID, "k must be 2..%d, got %d",
                     PERSONAS_K_MAX, o.k);
        goto done;
    }
    if (!o.k && (o.k_max < 2 || o.k_max > PERSONAS_K_MAX)) {
        rc = err_set(err, ERR_INVALID, "k-max must be 2..%d, got %d",
                     PERSONAS_K_MAX, o.k_max);
        goto done;
    }
    if (!s || s->n == 0) {
        rc = err_set(err, ERR_INVALID, "no features to cluster on");
        goto done;
    }
    if (o.filter) {
        if ((rc = metrics_filter_rows(&use, cs, o.filter, err)) < 0)
            goto done;
    } else {
        use = xmalloc(rows ? rows : 1);
        memset(use, 1, rows);
    }
    cu.cs = cs;
    cu.use = use;
    colstore_columns(cs, &cu.col);
    if ((rc = select_customers(&cu, r, err)) < 0)
        goto done;
    d.m = cu.m;
    for (size_t j = 0; j < s->n; j++) {
        const struct personas_feature_spec *v = &s->v[j];
        rc = v->kind == PF_CUSTOMER ? add_customer_attr(&d, &cu, v, err)
             : v->kind == PF_RATIO  ? add_ratio(&d, &cu, v, err)
                                    : add_behaviour(&d, &cu, v, err);
        if (rc < 0)
            goto done;
    }
    if (d.pn + d.pc == 0) {
        rc = err_set(err, ERR_INVALID,
                     "no features to cluster on: the channels named were "
                     "never used by these customers");
        goto done;
    }
    double mean_sd = design_finish(&d);
    size_t varying = 0;
    for (size_t j = 0; j < d.pn; j++)
        varying += d.fn[j].sd > 0;
    for (size_t j = 0; j < d.pc; j++)
        varying += d.fc[j].levels > 1;
    if (varying == 0) {
        rc = err_set(err, ERR_INVALID,
                     "no feature varies across these %zu customers: "
                     "nothing to tell personas apart by",
                     cu.m);
        goto done;
    }
    r->gamma = o.gamma > 0 ? o.gamma : (d.pn ? mean_sd : 1);
    if (!(r->gamma > 0))
        r->gamma = 1;
    size_t kmin = o.k ? (size_t)o.k : 2,
           kmax = o.k ? (size_t)o.k : (size_t)o.k_max;
    if (cu.m < 2 * kmax) {
        rc = err_set(err, ERR_INVALID,
                     "too few customers: %zu have responses passing the "
                     "filters, need at least %zu for %s%zu personas",
                     cu.m, 2 * kmax, o.k ? "" : "up to ", kmax);
        goto done;
    }
    r->customers = cu.m;
    r->k_fixed = o.k != 0;
    r->k_max = (int)kmax;
    as = xmalloc(cu.m * sizeof *as);
    as2 = xmalloc(cu.m * sizeof *as2);
    best.x = xmalloc(kmax * (d.pn ? d.pn : 1) * sizeof *best.x);
    best.c = xmalloc(kmax * (d.pc ? d.pc : 1) * sizeof *best.c);
    sample_build(&smp, &d, r->gamma, o.sample, o.seed);
    r->sample = smp.n;
    double top = -INFINITY;
    for (size_t k = kmin; k <= kmax; k++) {
        r->cost[k] = kp_run(&d, r->gamma, k, o.seed, o.starts, as2, &best);
        r->silhouette[k] = silhouette(&smp, as2, k);
        if (r->silhouette[k] > top) {
            top = r->silhouette[k];
            r->k = (int)k;
        }
    }
    /* the chosen k again (each k's run is deterministic), then the
     * stability run from the other seed */
    kp_run(&d, r->gamma, (size_t)r->k, o.seed, o.starts, as, &best);
    {
        struct protos p2 = {xmalloc(kmax * (d.pn ? d.pn : 1) * sizeof *p2.x),
                            xmalloc(kmax * (d.pc ? d.pc : 1) * sizeof *p2.c)};
        kp_run(&d, r->gamma, (size_t)r->k, r->seed2, o.starts, as2, &p2);
        free(p2.x);
        free(p2.c);
    }
    r->ari_seeds = ari_compute(as, as2, cu.m);
    if (o.truth) {
        truth = xmalloc(cu.m * sizeof *truth);
        if ((rc = truth_labels(truth, &r->truth_groups, &cu, o.truth, err)) < 0)
            goto done;
        r->ari_truth = ari_compute(as, truth, cu.m);
        snprintf(r->truth, sizeof r->truth, "%s", o.truth->text);
    }
    personas_cards_build(r, &d, &cu, &best, as);
    r->n_numeric = d.pn;
    r->n_categorical = d.pc;
    r->n_features = d.pn + d.pc;
    r->features = xcalloc(r->n_features, sizeof *r->features);
    if (d.pn)
        memcpy(r->features, d.fn, d.pn * sizeof *d.fn);
    if (d.pc)
        memcpy(r->features + d.pn, d.fc, d.pc * sizeof *d.fc);
    r->customer = cu.idx;
    cu.idx = NULL;
    *out = r;
    r = NULL;
done:
    free(smp.i);
    free(smp.dd);
    free(best.x);
    free(best.c);
    free(as);
    free(as2);
    free(truth);
    free(use);
    free(cu.idx);
    free(cu.pos);
    free(cu.nresp);
    design_dispose(&d);
    personas_result_free(r);
    return rc;
}

void personas_result_free(struct personas_result *r)
{
    if (!r)
        return;
    free(r->features);
    free(r->p);
    free(r->assign);
    free(r->customer);
    free(r);
}
