#pragma once
/* Private to src/journey/: order statistics for waits and durations. */

#include <stddef.h>

/* The q-quantile (0..1) of v[0..n), linear between order statistics
 * (type 7 of Hyndman and Fan, as R's default), by selection in O(n):
 * reorders v. NaN for n == 0. */
double journey_quantile(double *v, size_t n, double q);
