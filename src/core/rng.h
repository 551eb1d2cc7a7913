#pragma once
/* A small seeded pseudo-random generator: xoshiro256** (Blackman and
 * Vigna) seeded through splitmix64. Not for cryptography.
 *
 * All state lives in struct rng, embedded by value; there is no global
 * generator. The same seed gives the same sequence on every platform, so
 * generated data sets are reproducible byte for byte. Independent streams
 * (one per customer, one per file, ...) come from rng_seed_stream, which
 * lets a generator skip a whole stream without shifting the others. */

#include <stddef.h>
#include <stdint.h>

struct rng {
    uint64_t s[4];
    double spare; /* second normal deviate of the last pair */
    int has_spare;
};

/* Seeds from one 64-bit value (any value, 0 included). */
void rng_seed(struct rng *r, uint64_t seed);
/* Seeds stream number `stream` of `seed`; streams do not overlap in any
 * practical sense and differ even for neighbouring seed/stream values. */
void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Uniform double in [0, 1), 53 random bits. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, n); n > 0. Unbiased (Lemire's method). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform integer in [lo, hi], inclusive; lo <= hi. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* 1 with probability p (p <= 0 never, p >= 1 always), else 0. */
int rng_bernoulli(struct rng *r, double p);
/* Normal deviate with the given mean and standard deviation (Marsaglia's
 * polar method; the second deviate of each pair is kept for the next
 * call). */
double rng_normal(struct rng *r, double mean, double sd);
/* Exponential deviate with the given mean (> 0). */
double rng_exponential(struct rng *r, double mean);
/* Poisson deviate with mean lambda (>= 0); exact for lambda < 30, a
 * rounded normal approximation above. */
unsigned rng_poisson(struct rng *r, double lambda);
/* Index i in [0, n) drawn with probability w[i] / sum(w). Weights must be
 * >= 0 with a positive sum; n > 0. O(n). */
size_t rng_choice(struct rng *r, const double *w, size_t n);
/* As rng_choice, from cumulative weights cum[0..n-1] (non-decreasing,
 * cum[n-1] > 0): binary search, O(log n). */
size_t rng_choice_cum(struct rng *r, const double *cum, size_t n);
