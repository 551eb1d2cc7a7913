#pragma once
/* What the benchmark programs share: a monotonic clock and the median of
 * repeated timings. Header-only: each bench_*.c is a program of its own. */

#include <stdlib.h>
#include <time.h>

/* Milliseconds on a monotonic clock. */
static inline double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of t[0..n) (n > 0); sorts t. */
static inline double bench_median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, bench_cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}
