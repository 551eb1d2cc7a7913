#pragma once
/* Relative importance of key drivers: how much of the outcome's explained
 * variance (R^2 of a linear regression with intercept) each driver
 * carries (docs/drivers.md). Pure computation on plain arrays.
 *
 * Everything is computed from the (k+1) x (k+1) correlation matrix of
 * [drivers | outcome], built once from the rows; after that, the cost of
 * the decomposition does not depend on the number of rows.
 *   - LMG / Shapley value (Lindeman, Merenda & Gold 1980; Groemping 2006):
 *     share_j = sum over subsets S without j of
 *     |S|! (k - |S| - 1)! / k! * (R^2(S + j) - R^2(S)),
 *     exact over all 2^k subsets for k <= RELIMP_EXACT_MAX, else a Monte
 *     Carlo average over random orderings with a standard error per share.
 *   - Johnson's (2000) relative weights, from the eigendecomposition of the
 *     drivers' correlation matrix.
 *   Both sets of shares sum to the full-model R^2.
 *   - Percentile bootstrap 95% intervals (Efron & Tibshirani 1993) for
 *     every share and for R^2: rows are resampled and the correlation
 *     matrix rebuilt for each resample.
 *
 * Outcome: continuous (an NPS rating 0-10) or binary 0/1 (a promoter
 * indicator). A binary outcome is decomposed the same way, as a linear
 * probability model: R^2 is the share of the 0/1 variance that a linear
 * regression explains. This is the stated method; logistic regression
 * (regress.h) is the model to report odds ratios from.
 *
 * Layout and missing values as in regress.h: x is row-major n x k, y has n
 * entries; +-Inf is ERR_INVALID; a NaN outcome is ERR_INVALID unless
 * opts->drop_missing_y. NaN drivers: with RELIMP_LISTWISE (the default) a
 * row with any NaN is not used; with RELIMP_PAIRWISE each correlation uses
 * the rows where both of its variables are present (which can give a
 * matrix no data set could have: that is ERR_INVALID).
 *
 * Errors (ERR_INVALID, naming the driver by opts->names[j] or "#j"): fewer
 * than k + 2 usable rows (pairwise: for some pair), a constant driver, a
 * constant outcome, perfectly collinear drivers (naming them, see
 * regress_check_collinear), k > RELIMP_MAX_K. Returned numbers are finite;
 * on error *out is NULL. */

#include <stddef.h>
#include <stdint.h>

struct err;

/* Largest k solved exactly (2^k subsets; 2^22 doubles = 32 MB). */
#define RELIMP_EXACT_MAX 22
/* Largest k accepted at all (Monte Carlo costs about k^3/6 per ordering). */
#define RELIMP_MAX_K 256
/* Default number of random orderings for the Monte Carlo estimate. */
#define RELIMP_PERMS 2000

enum relimp_missing { RELIMP_LISTWISE = 0, RELIMP_PAIRWISE = 1 };

enum relimp_method {
    RELIMP_AUTO = 0,       /* exact when k <= RELIMP_EXACT_MAX */
    RELIMP_EXACT = 1,      /* exact; ERR_INVALID when k is too large */
    RELIMP_MONTE_CARLO = 2 /* random orderings, whatever k */
};

struct relimp_opts {
    const char *const *names; /* k driver names (borrowed), or NULL */
    enum relimp_missing missing;
    int drop_missing_y; /* 1: rows whose outcome is NaN are not used */
    enum relimp_method method;
    size_t perms;  /* Monte Carlo orderings; 0 means RELIMP_PERMS */
    size_t boot;   /* bootstrap resamples B; 0 means no intervals */
    uint64_t seed; /* for the orderings and the resamples */
};

#define RELIMP_OPTS_INIT                                                       \
    {                                                                          \
        NULL, RELIMP_LISTWISE, 0, RELIMP_AUTO, 0, 0, 0                         \
    }

/* The correlation matrix of [x | y] and where it came from. */
struct relimp_corr {
    size_t k;          /* drivers; index k is the outcome */
    size_t n;          /* rows used: listwise, the complete rows;
                          pairwise, the smallest count over all pairs */
    size_t rows;       /* rows given */
    size_t incomplete; /* rows with a missing value (listwise: unused) */
    double *r;         /* (k+1) x (k+1) row-major, unit diagonal */
    double *mean, *sd; /* k + 1: over the rows used (pairwise: the rows
                          where that variable is present); sd has n - 1 */
    size_t *npair;     /* (k+1) x (k+1) rows behind each correlation */
};

/* A 95% percentile bootstrap interval. */
struct relimp_ci {
    double lo, hi;
};

struct relimp {
    size_t k, n, incomplete; /* as in struct relimp_corr */
    double r2;               /* full-model R^2 */
    double *lmg;             /* k LMG/Shapley shares; they sum to r2 */
    double *lmg_se;          /* k Monte Carlo standard errors; 0 when exact */
    double *rw;              /* k Johnson relative weights; they sum to r2 */
    int exact;               /* 1: every subset enumerated; 0: Monte Carlo */
    size_t perms;            /* orderings used when exact == 0 */
    size_t boot;        /* resamples behind the intervals (B minus failed) */
    size_t boot_failed; /* resamples with a constant or collinear driver,
                           left out of the intervals */
    struct relimp_ci *r2_ci;  /* 1; NULL when opts->boot == 0 */
    struct relimp_ci *lmg_ci; /* k; NULL when opts->boot == 0 */
    struct relimp_ci *rw_ci;  /* k; NULL when opts->boot == 0 */
};

/* Builds the correlation matrix of [x | y] in one pass over the rows,
 * with centred sums (blocks of rows merged by Chan's update, so it is as
 * accurate as two passes). opts may be NULL (listwise, defaults). Runs
 * every check listed above. On success *out is new, caller frees with
 * relimp_corr_free. */
int relimp_corr_new(struct relimp_corr **out, const double *x, const double *y,
                    size_t n, size_t k, const struct relimp_opts *opts,
                    struct err *err);
void relimp_corr_free(struct relimp_corr *c);

/* R^2 of the regression of the outcome on drivers idx[0..m) (distinct,
 * each < c->k; m == 0 gives 0): r_yS' R_SS^-1 r_yS by Cholesky. ERR_INVALID
 * for a bad index list. */
int relimp_r2(double *out, const struct relimp_corr *c, const size_t *idx,
              size_t m, struct err *err);

/* LMG/Shapley shares of the c->k drivers into share[0..k), and their
 * Monte Carlo standard errors into se[0..k) (0 when exact; se may be
 * NULL). Exact: R^2 of all 2^k subsets by a depth-first walk that keeps
 * one Schur complement per depth, O(2^k) work for the walk plus k 2^(k-1)
 * for the weighting. Monte Carlo: opts->perms random orderings (seeded by
 * opts->seed), each a sequence of Cholesky steps. opts may be NULL. */
int relimp_lmg(double *share, double *se, const struct relimp_corr *c,
               const struct relimp_opts *opts, struct err *err);

/* Johnson's relative weights into weight[0..k): with R_XX = V diag(l) V',
 * Lambda = R_XX^(1/2) = V diag(sqrt l) V', beta = Lambda^-1 r_Xy and
 * weight_j = sum_i Lambda_ji^2 beta_i^2. ERR_INVALID when R_XX is not
 * positive definite. */
int relimp_weights(double *weight, const struct relimp_corr *c,
                   struct err *err);

/* The whole analysis: correlation matrix, R^2, LMG shares, relative
 * weights and, when opts->boot > 0, bootstrap intervals (resamples that
 * hit a constant or collinear driver are counted in boot_failed and left
 * out; ERR_INVALID when more than half fail). On success *out is new,
 * caller frees with relimp_free. */
int relimp_compute(struct relimp **out, const double *x, const double *y,
                   size_t n, size_t k, const struct relimp_opts *opts,
                   struct err *err);
void relimp_free(struct relimp *r);
