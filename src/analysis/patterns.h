#pragma once
/* Sense-making patterns: how people placed their own stories on a triad
 * (three weights a|b|c summing to 1, imported as triad:KEY) or a dyad (a
 * slider 0..1, dyad:KEY), and how the pattern differs between groups.
 * docs/patterns.md is the method.
 *
 * Triad, over the n responses that answered it (and that the filter lets
 * through), overall and per value of an optional group field:
 *
 *   histogram    a ternary histogram: the triangle cut into
 *                PATTERNS_GRID^2 small triangles (PATTERNS_GRID
 *                subdivisions per side), answers per cell (overall only)
 *   center       the compositional mean (Aitchison 1986): the closure of
 *                the geometric means of the parts, i.e. ilr^-1 of the
 *                mean of the isometric log-ratio coordinates (Egozcue et
 *                al. 2003). A zero weight is replaced by PATTERNS_ZERO
 *                and the others scaled down so the sum stays 1
 *                (multiplicative replacement); n_zero counts them
 *   region       the 95% Hotelling T^2 confidence ellipse of the center
 *                in ilr coordinates, n (zbar - mu)' S^-1 (zbar - mu) <=
 *                2(n-1)/(n-2) F(0.95; 2, n-2), mapped back to the
 *                triangle as PATTERNS_REGION_POINTS boundary points, and
 *                each part's range over it
 *   mean         the arithmetic mean of each part with a t 95% CI (what
 *                "on average 60% know" reads as; robust to zeros)
 *   near         the share (%) of answers with weight >= PATTERNS_NEAR on
 *                each corner, Wilson CI
 *
 * and clusters of the stories by their signification: k-means on the
 * ilr coordinates (k-means++ seeding from a fixed seed, best of
 * PATTERNS_RESTARTS starts, fitted on at most 20,000 answers: every m-th
 * of a larger set, each answer then counted in the cluster of its
 * nearest center), k the given one or the one of 2..
 * PATTERNS_MAX_K with the largest Calinski-Harabasz index; each cluster's
 * size and center (compositional mean of its members).
 *
 * Dyad: a histogram of PATTERNS_DYAD_BINS equal bins over 0..1 (1 in the
 * last) and per group the mean with a t 95% CI.
 *
 * Reads the column store only: the triad1:/triad2:/triad3: (or dyad:)
 * columns and what the filter and group field name must be loaded first
 * (patterns_query_fields lists them). Nothing prints. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"
#include "stats/estimate.h"

struct colstore;
struct err;
struct metrics_query;

#define PATTERNS_GRID 10          /* ternary subdivisions per side */
#define PATTERNS_CELLS 100        /* PATTERNS_GRID^2 */
#define PATTERNS_DYAD_BINS 10     /* dyad histogram bins */
#define PATTERNS_NEAR 0.6         /* "near a corner": weight >= this */
#define PATTERNS_ZERO 0.001       /* a zero weight's replacement */
#define PATTERNS_MAX_K 5          /* most clusters */
#define PATTERNS_RESTARTS 5       /* k-means starts per k */
#define PATTERNS_REGION_POINTS 48 /* boundary points of a region */
#define PATTERNS_MAX_GROUPS 1000  /* most values of the group field */

enum patterns_kind { PATTERNS_TRIAD, PATTERNS_DYAD };

struct patterns_query {
    enum patterns_kind kind;
    const char *key;        /* the question (borrowed) */
    const struct field *by; /* group field, or NULL: overall only */
    const double *edges;    /* bins for a numeric group field, or NULL */
    size_t n_edges;
    const struct metrics_query *filter; /* --where and dates (its --by is
                                         * ignored), or NULL: every row */
    int k;                              /* clusters: 0 = choose, else
                                         * 1..PATTERNS_MAX_K (triad only) */
};

/* One ternary histogram cell. Its corners, as part-a and part-b grid
 * steps: an upward cell (down = 0) spans a in [i, i+1]/G and b in
 * [j, j+1]/G with i + j <= G-1; a downward one has i + j <= G-2 and
 * points (i+1, j), (i, j+1), (i+1, j+1). */
struct patterns_cell {
    int i, j, down;
    int64_t count;
};

/* A triad row: overall (group NULL) or one group. */
struct patterns_triad_row {
    const char *group;      /* the group's key, NULL for "all" */
    const char *group_name; /* its name for people, NULL for "all" */
    int64_t n;
    int64_t n_zero;   /* answers with a zero part (replaced) */
    double center[3]; /* compositional mean; NaN when n == 0 */
    double ilr[2];    /* its ilr coordinates */
    double cov[3];    /* ilr sample covariance s11, s12, s22; NaN n < 2 */
    int has_region;   /* 0 when n < 3 or the covariance is singular */
    double region_lo[3], region_hi[3];        /* each part's range over the
                                               * region */
    double region[PATTERNS_REGION_POINTS][3]; /* its boundary */
    struct estimate mean[3]; /* arithmetic mean of each part, t CI */
    struct estimate near[3]; /* % with part >= PATTERNS_NEAR, Wilson */
};

struct patterns_cluster {
    int64_t n;
    double share;     /* of the answers, 0..1 */
    double center[3]; /* compositional mean of its members */
};

/* A dyad row: overall or one group. */
struct patterns_dyad_row {
    const char *group, *group_name; /* as in patterns_triad_row */
    struct estimate mean;           /* mean 0..1, t CI */
    double sd;                      /* NaN when n < 2 */
};

struct patterns_result {
    enum patterns_kind kind;
    char key[FIELD_MAX_NAME];
    char by[FIELD_MAX_TEXT]; /* the group field's name, "" for none */
    int64_t rows_passed;     /* responses the filter let through */
    int64_t n;               /* of them, answers to the question */

    /* triad */
    struct patterns_cell cells[PATTERNS_CELLS]; /* upward cells by row i,
                                                 * then j, then downward */
    size_t n_triad_rows;
    struct patterns_triad_row *triad_rows; /* overall first, then groups in
                                            * display order (groups without
                                            * answers left out) */
    int k;        /* clusters found (0 with fewer than 2k
                   * distinct answers) */
    int k_chosen; /* 1: k chosen by the Calinski-Harabasz rule */
    double ch[PATTERNS_MAX_K + 1]; /* CH index per k (2..), NaN unused */
    struct patterns_cluster clusters[PATTERNS_MAX_K]; /* largest first */

    /* dyad */
    int64_t bins[PATTERNS_DYAD_BINS];
    size_t n_dyad_rows;
    struct patterns_dyad_row *dyad_rows; /* as triad_rows */

    struct patterns_own *own; /* private */
};

/* Calls fn for each field q reads beyond its filter: triad1:KEY,
 * triad2:KEY, triad3:KEY and dyad:KEY (the other kind, so an error can
 * say what the key is), the group field; stops at fn's first non-zero
 * return and returns it. ERR_INVALID (err set) for a key that does not
 * make a field. */
int patterns_query_fields(const struct patterns_query *q,
                          int (*fn)(void *ctx, const struct field *f),
                          void *ctx, struct err *err);

/* Runs q over cs. On success *out is a new result, caller frees with
 * patterns_result_free. Errors: ERR_NOTFOUND when nobody answered
 * triad:KEY (dyad:KEY) at all, saying so when KEY is the other kind;
 * ERR_INVALID for an empty key, k out of range, a theme group field or
 * bins on a text field, or when no answer passes the filter; ERR_NOTFOUND
 * for an unknown group field or filter value. */
int patterns_run(struct patterns_result **out, const struct colstore *cs,
                 const struct patterns_query *q, struct err *err);
void patterns_result_free(struct patterns_result *r);

/* ---- the compositional tools, for tests and the report ---- */

/* Isometric log-ratio coordinates of a composition x (parts > 0):
 * z1 = ln(x1/x2)/sqrt(2), z2 = sqrt(2/3) ln(sqrt(x1 x2)/x3). */
void patterns_ilr(double z[2], const double x[3]);
/* Its inverse: the composition (closed to 1) with coordinates z. */
void patterns_ilr_inv(double x[3], const double z[2]);
/* The cell index (into cells[]) of a composition x (parts >= 0, sum 1),
 * points on a cell's edge going to the upward cell. */
size_t patterns_cell_of(const double x[3]);
