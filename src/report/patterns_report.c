/* patterns_report.h: Sense-making patterns as a result. */
#include "report/patterns_report.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "analysis/patterns.h"
#include "core/strbuf.h"
#include "report/result.h"
#include "stats/estimate.h"

static const char *const default_corners[3] = {"a", "b", "c"};
static const char *const part_key[3] = {"part1", "part2", "part3"};

static void group_cols(struct result_table *t, const char *by)
{
    result_col(t, "group", by, RESULT_TEXT, 0,
               RESULT_FOR_PROGRAMS | RESULT_NUMBERS);
    result_col(t, "group_name", by, RESULT_TEXT, 0,
               RESULT_IN_TABLE | RESULT_IN_JSON);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
}

static void group_vals(struct result_table *t, const char *group,
                       const char *name, int64_t n)
{
    result_add_text(t, group);
    result_add_text(t, group ? name : "all");
    result_add_int(t, n);
}

/* Three estimate columns headed by the corner labels and a suffix. */
static void part_cols(struct result_table *t, const char *const *corners,
                      const char *key_suffix, int decimals)
{
    struct strbuf k = STRBUF_INIT;
    for (int p = 0; p < 3; p++) {
        strbuf_reset(&k);
        strbuf_printf(&k, "%s%s", part_key[p], key_suffix);
        result_col(t, strbuf_str(&k), corners[p], RESULT_ESTIMATE, decimals,
                   RESULT_NO_N);
    }
    strbuf_dispose(&k);
}

static void add_centers(struct result *res, const struct patterns_result *p,
                        const char *const *corners, const char *by, int min_n)
{
    struct result_table *t = result_table_new(
        res, "centers", "Compositional mean (95% Hotelling region in ilr)");
    group_cols(t, by);
    part_cols(t, corners, "", 3);
    result_col(t, "zeros", "zeros", RESULT_INTEGER, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "region", "region", RESULT_JSON, 0, RESULT_IN_JSON);
    struct strbuf j = STRBUF_INIT;
    for (size_t i = 0; i < p->n_triad_rows; i++) {
        const struct patterns_triad_row *row = &p->triad_rows[i];
        result_row(t);
        group_vals(t, row->group, row->group_name, row->n);
        for (int k = 0; k < 3; k++) {
            struct result_estimate e = {
                row->center[k], row->region_lo[k], row->region_hi[k], NAN,
                row->n,         row->n < min_n};
            result_add_est(t, &e);
        }
        result_add_int(t, row->n_zero);
        if (!row->has_region) {
            result_add_null(t);
            continue;
        }
        strbuf_reset(&j);
        strbuf_putc(&j, '[');
        for (int s = 0; s < PATTERNS_REGION_POINTS; s++)
            strbuf_printf(&j, "%s[%.4f,%.4f,%.4f]", s ? "," : "",
                          row->region[s][0], row->region[s][1],
                          row->region[s][2]);
        strbuf_putc(&j, ']');
        result_add_json(t, strbuf_str(&j), j.n);
    }
    strbuf_dispose(&j);
}

static void add_triad_est(struct result *res, const struct patterns_result *p,
                          const char *const *corners, const char *by, int min_n,
                          int near)
{
    struct result_table *t =
        near ? result_table_new(res, "near",
                                "Answers near each corner (weight >= 0.6), %")
             : result_table_new(res, "means",
                                "Arithmetic mean of each weight (t 95% CI)");
    group_cols(t, by);
    part_cols(t, corners, near ? "_pct" : "", near ? 1 : 3);
    for (size_t i = 0; i < p->n_triad_rows; i++) {
        const struct patterns_triad_row *row = &p->triad_rows[i];
        result_row(t);
        group_vals(t, row->group, row->group_name, row->n);
        for (int k = 0; k < 3; k++) {
            struct result_estimate e =
                result_estimate_of(near ? &row->near[k] : &row->mean[k], min_n);
            result_add_est(t, &e);
        }
    }
}

static void add_clusters(struct result *res, const struct patterns_result *p,
                         const char *const *corners)
{
    struct result_table *t = result_table_new(
        res, "clusters", "Clusters of stories (k-means in ilr coordinates)");
    result_table_empty(t, "(too few distinct answers to cluster)");
    result_col(t, "cluster", "cluster", RESULT_INTEGER, 0, 0);
    result_col(t, "n", "n", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    for (int k = 0; k < 3; k++)
        result_col(t, part_key[k], corners[k], RESULT_NUMBER, 3, 0);
    for (int c = 0; c < p->k; c++) {
        const struct patterns_cluster *cl = &p->clusters[c];
        result_row(t);
        result_add_int(t, c + 1);
        result_add_int(t, cl->n);
        result_add_num(t, 100 * cl->share);
        for (int k = 0; k < 3; k++)
            result_add_num(t, cl->center[k]);
    }
}

static void add_cells(struct result *res, const struct patterns_result *p,
                      const char *const *corners)
{
    struct result_table *t =
        result_table_new(res, "cells", "Ternary histogram (non-empty cells)");
    struct strbuf k = STRBUF_INIT;
    result_col(t, "i", "i", RESULT_INTEGER, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "j", "j", RESULT_INTEGER, 0, RESULT_FOR_PROGRAMS);
    result_col(t, "orientation", "cell", RESULT_TEXT, 0, 0);
    for (int c = 0; c < 3; c++) {
        strbuf_reset(&k);
        strbuf_printf(&k, "%s_lo", part_key[c]);
        result_col(t, strbuf_str(&k), corners[c], RESULT_NUMBER, 1, 0);
        strbuf_reset(&k);
        strbuf_printf(&k, "%s_hi", part_key[c]);
        result_col(t, strbuf_str(&k), "to", RESULT_NUMBER, 1, 0);
    }
    strbuf_dispose(&k);
    result_col(t, "count", "count", RESULT_INTEGER, 0, 0);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    for (size_t c = 0; c < PATTERNS_CELLS; c++) {
        const struct patterns_cell *cell = &p->cells[c];
        if (!cell->count)
            continue;
        double g = PATTERNS_GRID;
        /* part ranges: an upward cell (i, j) has c in
         * [G-1-i-j, G-i-j]/G; a downward one [G-2-i-j, G-1-i-j]/G */
        double lo[3] = {cell->i / g, cell->j / g,
                        (PATTERNS_GRID - 1 - cell->down - cell->i - cell->j) /
                            g};
        result_row(t);
        result_add_int(t, cell->i);
        result_add_int(t, cell->j);
        result_add_text(t, cell->down ? "down" : "up");
        for (int q = 0; q < 3; q++) {
            result_add_num(t, lo[q]);
            result_add_num(t, lo[q] + 1 / g);
        }
        result_add_int(t, cell->count);
        result_add_num(t, 100.0 * (double)cell->count / (double)p->n);
    }
}

static void add_dyad(struct result *res, const struct patterns_result *p,
                     const char *by, int min_n)
{
    struct result_table *t =
        result_table_new(res, "means", "Mean position (t 95% CI)");
    group_cols(t, by);
    result_col(t, "mean", "mean", RESULT_ESTIMATE, 3,
               RESULT_NO_N | RESULT_WITH_SE);
    result_col(t, "sd", "sd", RESULT_NUMBER, 3, 0);
    for (size_t i = 0; i < p->n_dyad_rows; i++) {
        const struct patterns_dyad_row *row = &p->dyad_rows[i];
        struct result_estimate e = result_estimate_of(&row->mean, min_n);
        result_row(t);
        group_vals(t, row->group, row->group_name, row->mean.n);
        result_add_est(t, &e);
        result_add_num(t, row->sd);
    }
    t = result_table_new(res, "bins", "Histogram");
    result_col(t, "from", "from", RESULT_NUMBER, 1, 0);
    result_col(t, "to", "to", RESULT_NUMBER, 1, 0);
    result_col(t, "count", "count", RESULT_INTEGER, 0, 0);
    result_col(t, "share_pct", "share %", RESULT_NUMBER, 1, 0);
    for (int b = 0; b < PATTERNS_DYAD_BINS; b++) {
        result_row(t);
        result_add_num(t, (double)b / PATTERNS_DYAD_BINS);
        result_add_num(t, (double)(b + 1) / PATTERNS_DYAD_BINS);
        result_add_int(t, p->bins[b]);
        result_add_num(t, 100.0 * (double)p->bins[b] / (double)p->n);
    }
}

static void triad_method(struct result *res, const struct patterns_result *p)
{
    result_method(res,
                  "Compositional mean (Aitchison 1986): the closure of the "
                  "geometric means of the parts, i.e. ilr^-1 of the mean "
                  "isometric log-ratio coordinates z1 = ln(a/b)/sqrt2, z2 = "
                  "sqrt(2/3) ln(sqrt(ab)/c) (Egozcue et al. 2003). A zero "
                  "weight is replaced by %.3f and the other parts scaled "
                  "down so the sum stays 1 (multiplicative replacement): "
                  "below the resolution people place a point at, it keeps "
                  "the log-ratios finite (zeros counts them).",
                  PATTERNS_ZERO);
    result_method(res,
                  "Region: the 95%% Hotelling T^2 ellipse of the mean in ilr "
                  "coordinates, n (zbar-mu)' S^-1 (zbar-mu) <= 2(n-1)/(n-2) "
                  "F(0.95; 2, n-2), mapped back to the triangle; each part's "
                  "interval is its range over that region (simultaneous, "
                  "so wider than a per-part CI). It assumes independent "
                  "answers and roughly normal ilr coordinates or large n.");
    result_method(res,
                  "Arithmetic means: each weight's mean with a t 95%% CI; "
                  "it is what 'on average' reads as and what a Dirichlet's "
                  "mean parameter is, and it is not moved by zeros, but it "
                  "is not a point of the simplex's own geometry.");
    result_method(res,
                  "Near a corner: the share of answers with that "
                  "weight >= %.1f, Wilson 95%% CI.",
                  PATTERNS_NEAR);
    result_method(res,
                  "Clusters: k-means on the ilr coordinates (k-means++ "
                  "seeds from a fixed seed, best of %d starts, fitted on "
                  "at most 20,000 answers); %s. Each center is the "
                  "compositional mean of its stories. k-means partitions "
                  "any cloud: read a cluster's stories before naming it.",
                  PATTERNS_RESTARTS,
                  p->k_chosen ? "k is the one of 2..5 with the largest "
                                "Calinski-Harabasz index (between / within "
                                "variance, each over its degrees of freedom)"
                              : "k as given with --k");
    result_method(res,
                  "Histogram: the triangle cut into %d^2 cells, %d "
                  "subdivisions per side; a point on a cell edge counts in "
                  "the upward cell.",
                  PATTERNS_GRID, PATTERNS_GRID);
}

struct result *patterns_report_build(const struct patterns_result *p,
                                     const char *const *corners, int min_n)
{
    struct result *res = result_new();
    const char *by = p->by[0] ? p->by : "group";
    if (!corners)
        corners = default_corners;
    result_set_min_n(res, min_n);
    result_meta_text(res, "question", "question", p->key);
    result_meta_text(res, "kind", NULL,
                     p->kind == PATTERNS_TRIAD ? "triad" : "dyad");
    result_meta_int(res, "responses", NULL, p->rows_passed);
    result_meta_int(res, "answers", "answers", p->n);
    if (p->by[0])
        result_meta_text(res, "by", NULL, p->by);
    else
        result_meta_json(res, "by", NULL, "null");
    if (p->kind == PATTERNS_DYAD) {
        add_dyad(res, p, by, min_n);
        result_method(res, "Mean: the mean position 0..1 with a t 95%% CI, "
                           "mean +- t(0.975, n-1) s / sqrt(n); it assumes "
                           "independent answers (n large makes the bounded "
                           "scale harmless).");
        result_method(res,
                      "Histogram: %d equal bins over 0..1, 1 in the "
                      "last.",
                      PATTERNS_DYAD_BINS);
        return res;
    }
    struct strbuf b = STRBUF_INIT;
    strbuf_putc(&b, '[');
    for (int k = 0; k < 3; k++) {
        if (k)
            strbuf_putc(&b, ',');
        strbuf_json_string(&b, corners[k], strlen(corners[k]));
    }
    strbuf_putc(&b, ']');
    result_meta_json(res, "corners", NULL, strbuf_str(&b));
    strbuf_dispose(&b);
    result_meta_int(res, "grid", NULL, PATTERNS_GRID);
    result_meta_int(res, "k", NULL, p->k);
    result_meta_text(res, "k_rule", NULL,
                     p->k_chosen ? "calinski-harabasz" : "given");
    strbuf_init(&b, 0);
    strbuf_putc(&b, '{');
    for (int k = 2, first = 1; k <= PATTERNS_MAX_K; k++)
        if (!isnan(p->ch[k]) && isfinite(p->ch[k])) {
            strbuf_printf(&b, "%s\"%d\":%.6g", first ? "" : ",", k, p->ch[k]);
            first = 0;
        }
    strbuf_putc(&b, '}');
    result_meta_json(res, "calinski_harabasz", NULL, strbuf_str(&b));
    strbuf_dispose(&b);
    add_centers(res, p, corners, by, min_n);
    add_triad_est(res, p, corners, by, min_n, 0);
    add_triad_est(res, p, corners, by, min_n, 1);
    add_clusters(res, p, corners);
    add_cells(res, p, corners);
    triad_method(res, p);
    return res;
}
