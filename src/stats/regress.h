#pragma once
/* Linear (OLS) and logistic regression with an intercept, the model side of
 * key-driver analysis (docs/drivers.md). Pure computation on plain arrays:
 * nothing here reads the store or prints.
 *
 * Layout: x is row-major n x k (x[i * k + j] is driver j in row i), y has
 * n entries. Drivers are named in messages by opts->names[j] when given,
 * else as "#j" (0-based column index).
 *
 * Missing values, the stated rule (the same in relimp.h):
 *   - NaN in a driver: the row is dropped (listwise deletion) and counted
 *     in `dropped`;
 *   - NaN in the outcome: ERR_INVALID naming the row, unless
 *     opts->drop_missing_y is set, when the row is dropped and counted too;
 *   - +-Inf anywhere: ERR_INVALID naming the row.
 *
 * Checks before fitting, each ERR_INVALID with a message naming the
 * driver: fewer than k + 2 complete rows (an intercept, k slopes and one
 * degree of freedom for the error); a constant driver (sd <= 1e-12 |mean|
 * over the rows used); perfectly collinear drivers (see
 * regress_check_collinear); for OLS a constant outcome or an outcome that
 * the drivers fit exactly; for logistic an outcome that is not 0/1, has
 * one class only, or is separated by the drivers.
 *
 * A returned fit holds finite numbers only (an odds ratio may overflow to
 * +Inf for an enormous coefficient, never NaN). On error *out is NULL. */

#include <stddef.h>

struct err;

/* Largest number of drivers accepted ("too large" above it). */
#define REGRESS_MAX_K 1000
/* A driver is perfectly collinear with earlier ones when the share of its
 * variance they leave unexplained, 1 - R^2_j, is below this (VIF > 1e12). */
#define REGRESS_COLLINEAR_TOL 1e-12
/* Default Newton iteration limit and tolerance for logistic regression. */
#define REGRESS_MAX_ITER 100
#define REGRESS_TOL 1e-10

struct regress_opts {
    const char *const *names; /* k driver names (borrowed), or NULL */
    int drop_missing_y;       /* 1: drop rows whose outcome is NaN */
    int max_iter;             /* logistic: <= 0 means REGRESS_MAX_ITER */
    double tol;               /* logistic: relative log-likelihood change for
                                 convergence; <= 0 means REGRESS_TOL */
};

#define REGRESS_OPTS_INIT                                                      \
    {                                                                          \
        NULL, 0, 0, 0.0                                                        \
    }

/* One coefficient with its inference. */
struct regress_coef {
    double b;      /* estimate */
    double se;     /* standard error */
    double stat;   /* t (OLS) or Wald z (logistic) */
    double p;      /* two-sided p-value */
    double lo, hi; /* 95% confidence interval */
};

struct regress_ols {
    size_t n;                  /* rows used */
    size_t k;                  /* drivers; coef has k + 1 entries */
    size_t dropped;            /* rows dropped for missing values */
    double df;                 /* residual degrees of freedom, n - k - 1 */
    struct regress_coef *coef; /* [0] intercept, [1 + j] driver j */
    double r2, adj_r2;
    double sigma; /* residual standard error */
};

/* exp() of a logistic coefficient and of its CI bounds. */
struct regress_odds {
    double ratio, lo, hi;
};

struct regress_logit {
    size_t n, k, dropped;      /* as in struct regress_ols */
    struct regress_coef *coef; /* log-odds: [0] intercept, [1 + j] driver j */
    struct regress_odds *odds; /* [1 + j] odds ratio per unit of driver j;
                                  [0] the odds when every driver is 0 */
    double loglik;             /* at the estimate */
    double loglik0;            /* intercept-only model */
    double pseudo_r2;          /* McFadden: 1 - loglik / loglik0 */
    int converged;             /* 0: the iteration limit was hit first; the
                                  numbers are the last iterate, do not report */
    int iter;                  /* Newton iterations taken */
};

/* Ordinary least squares of y on [1 | x] by Householder QR of the centred
 * drivers (GSL), never the normal equations. SEs from sigma^2 (X'X)^-1,
 * t with n - k - 1 df, 95% CIs with the t quantile, R^2 and adjusted R^2.
 * opts may be NULL (defaults). On success *out is a new fit, caller frees
 * with regress_ols_free. Errors: ERR_INVALID as listed above. */
int regress_ols(struct regress_ols **out, const double *x, const double *y,
                size_t n, size_t k, const struct regress_opts *opts,
                struct err *err);
void regress_ols_free(struct regress_ols *f);

/* Logistic regression of a 0/1 outcome by Newton-Raphson (IRLS) on the
 * standardised drivers, halving a step that would lower the likelihood,
 * at most opts->max_iter iterations. SEs from the inverse Fisher
 * information, Wald z and p, 95% CIs (z), odds ratios with CIs, the
 * log-likelihood and McFadden's pseudo-R^2. Complete or quasi-complete
 * separation (coefficients that grow without bound while the likelihood
 * stops improving) is ERR_INVALID naming the drivers involved. On success
 * *out is a new fit, caller frees with regress_logit_free. */
int regress_logit(struct regress_logit **out, const double *x, const double *y,
                  size_t n, size_t k, const struct regress_opts *opts,
                  struct err *err);
void regress_logit_free(struct regress_logit *f);

/* Checks that the k x k correlation (or covariance) matrix r, row-major
 * with leading dimension ld >= k, is positive definite, by a Cholesky
 * factorisation in column order. When driver j is (to within
 * REGRESS_COLLINEAR_TOL) a linear combination of drivers 0..j-1, returns
 * ERR_INVALID naming j and the earlier drivers it depends on; a clearly
 * negative pivot (an inconsistent matrix, as pairwise deletion can give)
 * is ERR_INVALID too. names as in struct regress_opts, may be NULL.
 * Returns 0 when the matrix is fine. */
int regress_check_collinear(const double *r, size_t ld, size_t k,
                            const char *const *names, struct err *err);
