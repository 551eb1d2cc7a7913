/* Sense-making patterns: planted triad centers per group recovered inside
 * their 95% regions, the compositional mean against the geometric means
 * computed here, the ternary histogram against a point-in-triangle
 * recount, the dyad mean and t CI against a written-out computation,
 * planted clusters found with their sizes and centers, the region's
 * coverage across seeds, and bad input. */
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"

#define N_RESP 4000
#define DAY0 1704067200 /* 2024-01-01T00:00:00Z */
#define N_SEG 3

/* Planted compositional centers (fix, know, reassure) per segment; the
 * answers are logistic-normal around them (ilr coordinates normal with
 * sd 0.5 each), so their compositional mean is exactly the center. */
static const double planted[N_SEG][3] = {
    {0.20, 0.60, 0.20}, /* student: know */
    {0.30, 0.25, 0.45}, /* senior: reassure */
    {0.55, 0.25, 0.20}, /* family: fix */
};
static const char *const seg_name[N_SEG] = {"Student", "Senior", "Family"};

struct world {
    struct colstore *cs;
    double x[N_RESP][3]; /* NaN: not answered */
    double dyad[N_RESP]; /* NaN: not answered */
    int seg[N_RESP];
    int tp[N_RESP];
};

static double normal(struct gen *g)
{
    double u = gen_unit(g), v = gen_unit(g);
    return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * v);
}

/* A colstore with touchpoints tel (answers the triad and dyad) and webb
 * (never does), segments, and the answers of x and dyad. */
static struct colstore *make_store(const double (*x)[3], const double *dyad,
                                   const int *seg, const int *tpv, size_t n)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int s = colstore_add_stage(cs, j, "boende", "Boende", 0, &err);
    int tp[2] = {colstore_add_touchpoint(cs, s, "tel", "Telefon", &err),
                 colstore_add_touchpoint(cs, s, "webb", "Webben", &err)};
    int ch = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    int sc[N_SEG];
    for (int k = 0; k < N_SEG; k++)
        sc[k] = colstore_intern(cs, DIM_SEGMENT, seg_name[k], &err);
    assert_int_equal(err.code, 0);
    for (size_t i = 0; i < n; i++) {
        int64_t ts = DAY0 + (int64_t)i * 600;
        struct colstore_row row = {tp[tpv[i]],
                                   ch,
                                   seg[i] < 0 ? -1 : sc[seg[i]],
                                   -1,
                                   0,
                                   tstamp_local_day(ts, 0),
                                   -1,
                                   -1,
                                   -1,
                                   (int64_t)i + 1,
                                   -1,
                                   ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int c[3], d;
    static const char *const names[3] = {"triad1:why", "triad2:why",
                                         "triad3:why"};
    for (int p = 0; p < 3; p++)
        c[p] = colstore_col_add(cs, COLSTORE_RESPONSES, names[p], COLSTORE_NUM,
                                NAN, &err);
    d = colstore_col_add(cs, COLSTORE_RESPONSES, "dyad:settled", COLSTORE_NUM,
                         NAN, &err);
    for (size_t i = 0; i < n; i++) {
        if (!isnan(x[i][0]))
            for (int p = 0; p < 3; p++)
                colstore_col_set_num(cs, COLSTORE_RESPONSES, c[p], i, x[i][p],
                                     &err);
        if (!isnan(dyad[i]))
            colstore_col_set_num(cs, COLSTORE_RESPONSES, d, i, dyad[i], &err);
    }
    assert_int_equal(err.code, 0);
    return cs;
}

static void build(struct world *w, uint64_t seed, size_t n)
{
    struct gen g;
    gen_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        w->seg[i] = gen_range(&g, 0, N_SEG - 1);
        w->tp[i] = gen_range(&g, 0, 3) == 0; /* a quarter at webb */
        w->x[i][0] = w->x[i][1] = w->x[i][2] = NAN;
        w->dyad[i] = NAN;
        if (w->tp[i] == 1)
            continue;
        double mu[2], z[2];
        patterns_ilr(mu, planted[w->seg[i]]);
        z[0] = mu[0] + 0.5 * normal(&g);
        z[1] = mu[1] + 0.5 * normal(&g);
        patterns_ilr_inv(w->x[i], z);
        if (i % 97 == 0) {
            /* a few answers leave a corner entirely; they have no
             * segment, so the planted segment centers stay as planted
             * (replacing a zero pulls a geometric mean hard) */
            w->seg[i] = -1;
            w->x[i][2] = 0;
            double s = w->x[i][0] + w->x[i][1];
            w->x[i][0] /= s;
            w->x[i][1] /= s;
        }
        /* the dyad: uniform 0..0.8 plus 0.1 per segment index */
        w->dyad[i] = gen_unit(&g) * 0.8 + 0.1 * (w->seg[i] < 0 ? 0 : w->seg[i]);
    }
    w->cs = make_store((const double(*)[3])w->x, w->dyad, w->seg, w->tp, n);
}

static int setup(void **state)
{
    static struct world w;
    build(&w, 23, N_RESP);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    colstore_free(w->cs);
    return 0;
}

static int run_q(struct patterns_result **r, const struct colstore *cs,
                 enum patterns_kind kind, const char *key, const char *by,
                 const struct metrics_query *f, int k, struct err *err)
{
    struct field bf;
    struct patterns_query q = {kind, key, NULL, NULL, 0, f, k};
    if (by) {
        assert_int_equal(field_parse(&bf, by, strlen(by), FIELD_RESPONSES, err),
                         0);
        q.by = &bf;
    }
    return patterns_run(r, cs, &q, err);
}

static struct patterns_result *run(const struct colstore *cs,
                                   enum patterns_kind kind, const char *key,
                                   const char *by)
{
    struct err err = ERR_INIT;
    struct patterns_result *r = NULL;
    if (run_q(&r, cs, kind, key, by, NULL, 0, &err) < 0)
        print_error("%s\n", err.msg);
    assert_non_null(r);
    return r;
}

/* The row of segment name, or fails. */
static const struct patterns_triad_row *seg_row(const struct patterns_result *r,
                                                const char *name)
{
    for (size_t i = 1; i < r->n_triad_rows; i++)
        if (!strcmp(r->triad_rows[i].group, name))
            return &r->triad_rows[i];
    fail_msg("no row for %s", name);
    return NULL;
}

static void test_patterns_ilr_round_trip(void **state)
{
    (void)state;
    const double x[3] = {0.2, 0.5, 0.3};
    double z[2], y[3];
    patterns_ilr(z, x);
    assert_close(z[0], log(0.2 / 0.5) / sqrt(2), 1e-12, 1e-12);
    assert_close(z[1], sqrt(2.0 / 3.0) * log(sqrt(0.2 * 0.5) / 0.3), 1e-12,
                 1e-12);
    patterns_ilr_inv(y, z);
    for (int p = 0; p < 3; p++)
        assert_close(y[p], x[p], 1e-12, 1e-12);
}

static void test_patterns_planted_centers_lie_in_their_regions(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = run(w->cs, PATTERNS_TRIAD, "why", "segment");
    assert_int_equal(r->n_triad_rows, 2 + N_SEG); /* all, (none) too */
    assert_null(r->triad_rows[0].group);
    assert_string_equal(r->by, "segment");
    for (int s = 0; s < N_SEG; s++) {
        const struct patterns_triad_row *row = seg_row(r, seg_name[s]);
        assert_true(row->has_region);
        for (int p = 0; p < 3; p++) {
            assert_close(row->center[p], planted[s][p], 0, 0.03);
            assert_true(row->region_lo[p] < planted[s][p]);
            assert_true(planted[s][p] < row->region_hi[p]);
            assert_true(row->region_lo[p] < row->center[p] &&
                        row->center[p] < row->region_hi[p]);
        }
        /* Hotelling's statistic of the planted center, written out */
        double mu[2], d[2];
        patterns_ilr(mu, planted[s]);
        d[0] = row->ilr[0] - mu[0];
        d[1] = row->ilr[1] - mu[1];
        double det = row->cov[0] * row->cov[2] - row->cov[1] * row->cov[1];
        double t2 = (double)row->n *
                    (row->cov[2] * d[0] * d[0] - 2 * row->cov[1] * d[0] * d[1] +
                     row->cov[0] * d[1] * d[1]) /
                    det;
        double n = (double)row->n;
        double crit =
            2 * (n - 1) / (n - 2) * gsl_cdf_fdist_Pinv(0.95, 2, n - 2);
        assert_true(t2 < crit);
    }
    /* the leanings: students know, seniors reassure, families fix */
    assert_true(seg_row(r, "Student")->center[1] > 0.5);
    assert_true(seg_row(r, "Senior")->center[2] > 0.4);
    assert_true(seg_row(r, "Family")->center[0] > 0.5);
    patterns_result_free(r);
}

static void test_patterns_center_equals_closed_geometric_means(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = run(w->cs, PATTERNS_TRIAD, "why", NULL);
    long double lg[3] = {0, 0, 0}, sum[3] = {0, 0, 0};
    long double n = 0, zeros = 0;
    for (size_t i = 0; i < N_RESP; i++) {
        if (isnan(w->x[i][0]))
            continue;
        double y[3];
        int z = 0;
        for (int p = 0; p < 3; p++)
            z += w->x[i][p] == 0;
        for (int p = 0; p < 3; p++) /* multiplicative replacement */
            y[p] = w->x[i][p] == 0 ? PATTERNS_ZERO
                                   : w->x[i][p] * (1 - z * PATTERNS_ZERO);
        for (int p = 0; p < 3; p++) {
            lg[p] += log(y[p]);
            sum[p] += w->x[i][p];
        }
        zeros += z > 0;
        n++;
    }
    double gm[3], tot = 0;
    for (int p = 0; p < 3; p++)
        tot += gm[p] = exp((double)(lg[p] / n));
    const struct patterns_triad_row *row = &r->triad_rows[0];
    assert_int_equal(row->n, (int64_t)n);
    assert_int_equal(r->n, (int64_t)n);
    assert_int_equal(row->n_zero, (int64_t)zeros);
    assert_true(row->n_zero > 0);
    for (int p = 0; p < 3; p++) {
        assert_close(row->center[p], gm[p] / tot, 1e-9, 1e-12);
        assert_close(row->mean[p].value, (double)(sum[p] / n), 1e-9, 1e-12);
    }
    /* the responses at webb passed (no filter) but did not answer */
    assert_int_equal(r->rows_passed, N_RESP);
    patterns_result_free(r);
}

/* 1 if p lies in the triangle (ax,ay) (bx,by) (cx,cy), edges included. */
static int in_triangle(double px, double py, const double v[3][2])
{
    double d1 = (px - v[1][0]) * (v[0][1] - v[1][1]) -
                (v[0][0] - v[1][0]) * (py - v[1][1]);
    double d2 = (px - v[2][0]) * (v[1][1] - v[2][1]) -
                (v[1][0] - v[2][0]) * (py - v[2][1]);
    double d3 = (px - v[0][0]) * (v[2][1] - v[0][1]) -
                (v[2][0] - v[0][0]) * (py - v[0][1]);
    int neg = d1 < -1e-12 || d2 < -1e-12 || d3 < -1e-12;
    int pos = d1 > 1e-12 || d2 > 1e-12 || d3 > 1e-12;
    return !(neg && pos);
}

static void test_patterns_histogram_equals_naive_recount(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = run(w->cs, PATTERNS_TRIAD, "why", NULL);
    int64_t total = 0;
    for (size_t c = 0; c < PATTERNS_CELLS; c++) {
        const struct patterns_cell *cell = &r->cells[c];
        double g = PATTERNS_GRID, v[3][2];
        /* the cell's corners in (a, b) */
        if (cell->down) {
            v[0][0] = (cell->i + 1) / g, v[0][1] = cell->j / g;
            v[1][0] = cell->i / g, v[1][1] = (cell->j + 1) / g;
            v[2][0] = (cell->i + 1) / g, v[2][1] = (cell->j + 1) / g;
        } else {
            v[0][0] = cell->i / g, v[0][1] = cell->j / g;
            v[1][0] = (cell->i + 1) / g, v[1][1] = cell->j / g;
            v[2][0] = cell->i / g, v[2][1] = (cell->j + 1) / g;
        }
        int64_t k = 0;
        for (size_t i = 0; i < N_RESP; i++)
            if (!isnan(w->x[i][0]) && in_triangle(w->x[i][0], w->x[i][1], v))
                k++; /* generated points are never on an edge */
        assert_int_equal(cell->count, k);
        total += cell->count;
    }
    assert_int_equal(total, r->n);
    /* corners and edges land in exactly one cell */
    const double corner[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int k = 0; k < 3; k++)
        assert_true(patterns_cell_of(corner[k]) < PATTERNS_CELLS);
    const double edge[3] = {0.5, 0.5, 0};
    const struct patterns_cell *e = &r->cells[patterns_cell_of(edge)];
    assert_int_equal(e->down, 0);
    assert_int_equal(e->i + e->j, PATTERNS_GRID - 1);
    patterns_result_free(r);
}

static void test_patterns_near_corner_shares(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = run(w->cs, PATTERNS_TRIAD, "why", NULL);
    double k[3] = {0, 0, 0}, n = 0;
    for (size_t i = 0; i < N_RESP; i++) {
        if (isnan(w->x[i][0]))
            continue;
        n++;
        for (int p = 0; p < 3; p++)
            k[p] += w->x[i][p] >= 0.6;
    }
    for (int p = 0; p < 3; p++)
        assert_close(r->triad_rows[0].near[p].value, 100 * k[p] / n, 1e-9,
                     1e-9);
    patterns_result_free(r);
}

static void test_patterns_dyad_mean_and_t_ci(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = run(w->cs, PATTERNS_DYAD, "settled", "segment");
    assert_int_equal(r->kind, PATTERNS_DYAD);
    assert_int_equal(r->n_dyad_rows, 2 + N_SEG);
    for (int s = -1; s < N_SEG; s++) {
        long double sum = 0, ss = 0;
        double n = 0;
        int64_t bins[PATTERNS_DYAD_BINS] = {0};
        for (size_t i = 0; i < N_RESP; i++)
            if (!isnan(w->dyad[i]) && (s < 0 || w->seg[i] == s)) {
                sum += w->dyad[i];
                n++;
                int b = (int)(w->dyad[i] * 10);
                bins[b > 9 ? 9 : b]++;
            }
        double m = (double)(sum / n);
        for (size_t i = 0; i < N_RESP; i++)
            if (!isnan(w->dyad[i]) && (s < 0 || w->seg[i] == s))
                ss += (w->dyad[i] - m) * (w->dyad[i] - m);
        double sd = sqrt((double)(ss / (n - 1)));
        double h = gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt(n);
        const struct patterns_dyad_row *row = NULL;
        if (s < 0) {
            row = &r->dyad_rows[0];
            for (int b = 0; b < PATTERNS_DYAD_BINS; b++)
                assert_int_equal(r->bins[b], bins[b]);
        } else {
            for (size_t i = 1; i < r->n_dyad_rows; i++)
                if (!strcmp(r->dyad_rows[i].group, seg_name[s]))
                    row = &r->dyad_rows[i];
            assert_non_null(row);
            /* planted: 0.4 + 0.1 per segment index */
            assert_close(row->mean.value, 0.4 + 0.1 * s, 0, 0.03);
        }
        assert_int_equal(row->mean.n, (int64_t)n);
        assert_close(row->mean.value, m, 1e-12, 1e-12);
        assert_close(row->sd, sd, 1e-9, 1e-12);
        assert_close(row->mean.lo, m - h, 1e-9, 1e-12);
        assert_close(row->mean.hi, m + h, 1e-9, 1e-12);
    }
    patterns_result_free(r);
}

/* Three tight groups of stories at distinct places, sizes 3:2:1 times
 * scale; found with their sizes and centers. */
static void planted_clusters(int scale)
{
    static const double at[3][3] = {
        {0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.15, 0.15, 0.7}};
    const int size[3] = {300 * scale, 200 * scale, 100 * scale};
    const size_t n = (size_t)(600 * scale);
    double(*x)[3] = calloc(n, sizeof *x);
    double *dy = calloc(n, sizeof *dy);
    int *seg = calloc(n, sizeof *seg), *tp = calloc(n, sizeof *tp);
    struct gen g;
    gen_seed(&g, 5);
    size_t i = 0;
    for (int c = 0; c < 3; c++)
        for (int t = 0; t < size[c]; t++, i++) {
            double mu[2], z[2];
            patterns_ilr(mu, at[c]);
            z[0] = mu[0] + 0.15 * normal(&g);
            z[1] = mu[1] + 0.15 * normal(&g);
            patterns_ilr_inv(x[i], z);
            dy[i] = NAN;
            seg[i] = c;
        }
    struct colstore *cs = make_store((const double(*)[3])x, dy, seg, tp, n);
    struct patterns_result *r = run(cs, PATTERNS_TRIAD, "why", NULL);
    assert_int_equal(r->k_chosen, 1);
    assert_int_equal(r->k, 3);
    for (int c = 0; c < 3; c++) { /* largest first, as planted */
        assert_int_equal(r->clusters[c].n, size[c]);
        assert_close(r->clusters[c].share, size[c] / (double)n, 1e-12, 1e-12);
        for (int p = 0; p < 3; p++)
            assert_close(r->clusters[c].center[p], at[c][p], 0, 0.03);
    }
    for (int k = 2; k <= PATTERNS_MAX_K; k++)
        if (k != 3)
            assert_true(r->ch[k] < r->ch[3]);
    patterns_result_free(r);
    /* a k given is kept */
    struct err err = ERR_INIT;
    assert_int_equal(run_q(&r, cs, PATTERNS_TRIAD, "why", NULL, NULL, 2, &err),
                     0);
    assert_int_equal(r->k, 2);
    assert_int_equal(r->k_chosen, 0);
    assert_int_equal(r->clusters[0].n + r->clusters[1].n, (int64_t)n);
    patterns_result_free(r);
    colstore_free(cs);
    free(x);
    free(dy);
    free(seg);
    free(tp);
}

static void test_patterns_planted_clusters_are_recovered(void **state)
{
    (void)state;
    planted_clusters(1);
}

/* More answers than k-means is fitted on (20,000): fitted on a sample,
 * every answer then counted in its nearest cluster. */
static void test_patterns_clusters_of_a_large_set(void **state)
{
    (void)state;
    planted_clusters(40);
}

static void test_patterns_bad_input_gives_clear_errors(void **state)
{
    struct world *w = *state;
    struct patterns_result *r = NULL;
    struct err err = ERR_INIT;
    /* unknown key */
    assert_int_equal(
        run_q(&r, w->cs, PATTERNS_TRIAD, "nope", NULL, NULL, 0, &err),
        ERR_NOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.msg, "no answers to triad:nope"));
    /* a dyad asked as a triad, and the other way round */
    err_clear(&err);
    assert_int_equal(
        run_q(&r, w->cs, PATTERNS_TRIAD, "settled", NULL, NULL, 0, &err),
        ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "settled is not a triad"));
    assert_non_null(strstr(err.msg, "--dyad settled"));
    err_clear(&err);
    assert_int_equal(
        run_q(&r, w->cs, PATTERNS_DYAD, "why", NULL, NULL, 0, &err),
        ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "why is not a dyad"));
    /* no answers among the rows the filter keeps (webb never answers) */
    struct metrics_query q;
    metrics_query_init(&q, FIELD_RESPONSES);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "touchpoint=webb", &err), 0);
    assert_int_equal(run_q(&r, w->cs, PATTERNS_TRIAD, "why", NULL, &q, 0, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "among the responses the filters keep"));
    /* the filter keeps its rows otherwise */
    metrics_query_dispose(&q);
    metrics_query_init(&q, FIELD_RESPONSES);
    err_clear(&err);
    assert_int_equal(metrics_query_where(&q, "segment=Student", &err), 0);
    assert_int_equal(run_q(&r, w->cs, PATTERNS_TRIAD, "why", NULL, &q, 0, &err),
                     0);
    int64_t n = 0;
    for (size_t i = 0; i < N_RESP; i++)
        n += w->seg[i] == 0 && !isnan(w->x[i][0]);
    assert_int_equal(r->n, n);
    patterns_result_free(r);
    r = NULL;
    metrics_query_dispose(&q);
    /* k out of range, an empty key, a theme group */
    err_clear(&err);
    assert_int_equal(
        run_q(&r, w->cs, PATTERNS_TRIAD, "why", NULL, NULL, 9, &err),
        ERR_INVALID);
    err_clear(&err);
    assert_int_equal(run_q(&r, w->cs, PATTERNS_TRIAD, "", NULL, NULL, 0, &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(
        run_q(&r, w->cs, PATTERNS_TRIAD, "why", "theme", NULL, 0, &err),
        ERR_INVALID);
    assert_non_null(strstr(err.msg, "cannot group by theme"));
    assert_null(r);
}

/* The 95% region covers the planted center in about 95% of worlds
 * (binomial: 40 worlds, at least 33 expected). */
static void
test_patterns_region_covers_planted_center_across_seeds(void **state)
{
    (void)state;
    int cover = 0;
    for (uint64_t seed = 200; seed < 240; seed++) {
        static struct world w;
        build(&w, seed, 600);
        struct patterns_result *r = run(w.cs, PATTERNS_TRIAD, "why", "segment");
        const struct patterns_triad_row *row = seg_row(r, "Senior");
        double mu[2], d[2];
        patterns_ilr(mu, planted[1]);
        d[0] = row->ilr[0] - mu[0];
        d[1] = row->ilr[1] - mu[1];
        double det = row->cov[0] * row->cov[2] - row->cov[1] * row->cov[1];
        double t2 = (double)row->n *
                    (row->cov[2] * d[0] * d[0] - 2 * row->cov[1] * d[0] * d[1] +
                     row->cov[0] * d[1] * d[1]) /
                    det;
        double n = (double)row->n;
        cover +=
            t2 <= 2 * (n - 1) / (n - 2) * gsl_cdf_fdist_Pinv(0.95, 2, n - 2);
        patterns_result_free(r);
        colstore_free(w.cs);
    }
    assert_in_range(cover, 33, 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_ilr_round_trip),
        cmocka_unit_test(test_patterns_planted_centers_lie_in_their_regions),
        cmocka_unit_test(test_patterns_center_equals_closed_geometric_means),
        cmocka_unit_test(test_patterns_histogram_equals_naive_recount),
        cmocka_unit_test(test_patterns_near_corner_shares),
        cmocka_unit_test(test_patterns_dyad_mean_and_t_ci),
        cmocka_unit_test(test_patterns_planted_clusters_are_recovered),
        cmocka_unit_test(test_patterns_clusters_of_a_large_set),
        cmocka_unit_test(test_patterns_bad_input_gives_clear_errors),
        cmocka_unit_test(
            test_patterns_region_covers_planted_center_across_seeds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
