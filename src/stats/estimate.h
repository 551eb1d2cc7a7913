#pragma once
/* One reported figure: its value, the n behind it, a standard error and a
 * 95% confidence interval. Shared by nps, prop and mean so that renderers
 * and comparisons handle every metric the same way. Undefined parts (no
 * data, a one-answer variance) are NAN, never 0. */

#include <stdint.h>

/* Phi^-1(0.975): the two-sided 95% normal quantile. */
#define ESTIMATE_Z95 1.959963984540054

struct estimate {
    int64_t n;     /* answers behind the figure */
    double value;  /* NAN when n == 0 */
    double se;     /* standard error of value; NAN when undefined */
    double lo, hi; /* 95% confidence interval; NAN when undefined */
};

/* Sets every double to NAN and n to 0. */
void estimate_clear(struct estimate *e);
