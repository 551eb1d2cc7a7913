#pragma once
/* Comparison of two independent groups A and B. Every test reports the
 * difference B - A, its standard error, a 95% CI and a two-sided p-value:
 *
 *   compare_nps    z test with the trinomial variances:
 *                  SE = 100 sqrt(Var_A + Var_B), z = d / SE   (points)
 *   compare_means  Welch's t test, Welch-Satterthwaite df
 *   compare_props  z test with the unpooled SE (the same SE gives the CI,
 *                  so the CI excludes 0 exactly when p < 0.05)  (points)
 *
 * A comparison that cannot be made (a group without data, or fewer than
 * two answers for a mean) has valid = 0 and NAN fields. When the SE is 0
 * (every answer identical in both groups) p is 1 for no difference and 0
 * otherwise. Formulas are in docs/metrics.md. */

struct mean;
struct nps;
struct prop;

enum compare_test { COMPARE_Z, COMPARE_WELCH };

struct comparison {
    int valid;
    enum compare_test test;
    double a, b;   /* the two figures */
    double diff;   /* b - a */
    double se;     /* SE of diff */
    double lo, hi; /* 95% CI of diff */
    double stat;   /* z or t */
    double df;     /* Welch df; NAN for z tests */
    double p;      /* two-sided p-value */
    int significant; /* p < 0.05 with a positive SE: a difference that
                      * rests on zero variance is never called one */
};

void compare_nps(struct comparison *out, const struct nps *a,
                 const struct nps *b);
void compare_means(struct comparison *out, const struct mean *a,
                   const struct mean *b);
void compare_props(struct comparison *out, const struct prop *a,
                   const struct prop *b);
/* The name of a test: "z" or "Welch t". */
const char *compare_test_name(enum compare_test t);
