#pragma once
/* The adjusted Rand index of two partitions of the same n items (Hubert
 * and Arabie 1985): the Rand index corrected for chance,
 *
 *     ARI = (sum_ij C(n_ij, 2) - E) / (M - E),
 *     E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2),
 *     M = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2,
 *
 * where n_ij is the contingency table of the two labellings and a_i, b_j
 * its row and column sums. 1 for identical partitions (up to renaming the
 * labels), about 0 for independent ones, negative below chance. */

#include <stddef.h>
#include <stdint.h>

/* ARI of labellings a[0..n) and b[0..n) (any uint32 labels; they need
 * not be dense). NaN when n < 2 or when both partitions are trivial in a
 * way that leaves it undefined (M == E: e.g. both put everything in one
 * group, or both make every item its own group); then the partitions are
 * identical and callers may read it as 1. Allocates working memory
 * (aborts on OOM). */
double ari_compute(const uint32_t *a, const uint32_t *b, size_t n);
