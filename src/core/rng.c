#include "core/rng.h"

#include <assert.h>
#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
    /* splitmix64 outputs four zero words for no seed, but be safe. */
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
    r->spare = 0;
    r->has_spare = 0;
}

void rng_seed_stream(struct rng *r, uint64_t seed, uint64_t stream)
{
    /* Mix each part through splitmix64 before combining, so that seed+1
     * and stream+1 do not land on overlapping sequences. */
    uint64_t a = seed, b = stream ^ 0x5851f42d4c957f2dULL;
    uint64_t x = splitmix64(&a);
    x ^= rotl(splitmix64(&b), 17);
    rng_seed(r, x);
}

uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    assert(n > 0);
#ifdef __SIZEOF_INT128__
    /* Lemire, "Fast random integer generation in an interval" (2019). */
    unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = -n % n;
        while (lo < t) {
            m = (unsigned __int128)rng_next(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
#else
    uint64_t t = -n % n, x;
    do
        x = rng_next(r);
    while (x < t);
    return x % n;
#endif
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    assert(lo <= hi);
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0) /* the whole int64 range */
        return (int64_t)rng_next(r);
    return (int64_t)((uint64_t)lo + rng_below(r, span));
}

int rng_bernoulli(struct rng *r, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return rng_uniform(r) < p;
}

double rng_normal(struct rng *r, double mean, double sd)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return mean + sd * r->spare;
    }
    double u, v, s;
    do {
        u = 2 * rng_uniform(r) - 1;
        v = 2 * rng_uniform(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = sqrt(-2 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return mean + sd * u * f;
}

double rng_exponential(struct rng *r, double mean)
{
    /* 1 - u is in (0, 1], so the log is finite. */
    return -mean * log(1 - rng_uniform(r));
}

unsigned rng_poisson(struct rng *r, double lambda)
{
    if (lambda <= 0)
        return 0;
    if (lambda >= 30) {
        double x = floor(rng_normal(r, lambda, sqrt(lambda)) + 0.5);
        return x < 0 ? 0 : (unsigned)x;
    }
    /* Knuth: multiply uniforms until the product drops below e^-lambda. */
    double limit = exp(-lambda), p = rng_uniform(r);
    unsigned k = 0;
    while (p > limit) {
        k++;
        p *= rng_uniform(r);
    }
    return k;
}

size_t rng_choice(struct rng *r, const double *w, size_t n)
{
    assert(n > 0);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    double x = rng_uniform(r) * sum;
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    /* Rounding can leave x just above the last weight: take the last
     * index with a positive weight. */
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0)
            return i;
    return n - 1;
}

size_t rng_choice_cum(struct rng *r, const double *cum, size_t n)
{
    assert(n > 0);
    double x = rng_uniform(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) { /* first i with x < cum[i] */
        size_t mid = lo + (hi - lo) / 2;
        if (x < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
