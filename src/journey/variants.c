#include "journey/variants.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/journey_int.h"
#include "stats/nps.h"

/* One distinct sequence while counting. */
struct seq {
    uint64_t hash;
    size_t first; /* first case with it */
    size_t count;
};

static int same_steps(const struct journey_cases *c, size_t a, size_t b)
{
    size_t n = journey_case_len(c, a);
    return n == journey_case_len(c, b) &&
           !memcmp(c->step + c->off[a], c->step + c->off[b],
                   n * sizeof *c->step);
}

static int cmp_seq(const void *a, const void *b)
{
    const struct seq *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

int journey_variants_build(struct journey_variants **out,
                           const struct journey_cases *c, size_t top,
                           struct err *err)
{
    (void)err;
    *out = NULL;
    struct journey_variants *v = xcalloc(1, sizeof *v);
    /* estimates are filled by journey_variants_experience */
    v->n_cases = c->n;
    estimate_clear(&v->nps_all);
    v->of_case = xmalloc((c->n ? c->n : 1) * sizeof *v->of_case);

    /* Distinct sequences by hash, checked step by step on a match. */
    size_t cap = 16;
    while (cap < 2 * c->n)
        cap *= 2;
    uint32_t *slot = xmalloc(cap * sizeof *slot); /* index into seqs */
    memset(slot, 0xff, cap * sizeof *slot);
    struct seq *seqs = xmalloc((c->n ? c->n : 1) * sizeof *seqs);
    size_t ns = 0;
    for (size_t i = 0; i < c->n; i++) {
        uint64_t h = XXH3_64bits(c->step + c->off[i],
                                 journey_case_len(c, i) * sizeof *c->step);
        size_t p = h & (cap - 1);
        for (;; p = (p + 1) & (cap - 1)) {
            uint32_t s = slot[p];
            if (s == UINT32_MAX) {
                slot[p] = (uint32_t)ns;
                seqs[ns] = (struct seq){h, i, 0};
                v->of_case[i] = (uint32_t)ns++;
                break;
            }
            if (seqs[s].hash == h && same_steps(c, seqs[s].first, i)) {
                v->of_case[i] = s;
                break;
            }
        }
        seqs[v->of_case[i]].count++;
    }
    free(slot);

    /* Rank by count; of_case from sequence index to rank. */
    uint32_t *rank = xmalloc((ns ? ns : 1) * sizeof *rank);
    struct seq *sorted = xmalloc((ns ? ns : 1) * sizeof *sorted);
    memcpy(sorted, seqs, ns * sizeof *sorted);
    qsort(sorted, ns, sizeof *sorted, cmp_seq);
    for (size_t r = 0; r < ns; r++)
        rank[v->of_case[sorted[r].first]] = (uint32_t)r;
    for (size_t i = 0; i < c->n; i++)
        v->of_case[i] = rank[v->of_case[i]];
    free(rank);
    free(seqs);

    v->n_variants = ns;
    v->n = top && top < ns ? top : ns;
    v->v = xcalloc(v->n ? v->n : 1, sizeof *v->v);
    size_t *off = xcalloc(v->n + 1, sizeof *off);
    for (size_t r = 0; r < v->n; r++) {
        struct journey_variant *x = &v->v[r];
        x->cases = sorted[r].count;
        x->share = c->n ? (double)x->cases / (double)c->n : 0;
        x->example = sorted[r].first;
        x->steps = c->step + c->off[x->example];
        x->len = journey_case_len(c, x->example);
        estimate_clear(&x->nps);
        off[r + 1] = off[r] + x->cases;
    }
    free(sorted);

    /* Durations of the kept variants' cases, grouped by variant. */
    double *dur = xmalloc((off[v->n] ? off[v->n] : 1) * sizeof *dur);
    size_t *fill = xmalloc((v->n + 1) * sizeof *fill);
    memcpy(fill, off, (v->n + 1) * sizeof *fill);
    for (size_t i = 0; i < c->n; i++)
        if (v->of_case[i] < v->n)
            dur[fill[v->of_case[i]]++] =
                (double)(journey_case_end(c, i) - journey_case_start(c, i));
    for (size_t r = 0; r < v->n; r++) {
        double *d = dur + off[r];
        size_t m = off[r + 1] - off[r];
        v->v[r].p90_duration = journey_quantile(d, m, 0.9);
        v->v[r].median_duration = journey_quantile(d, m, 0.5);
    }
    free(fill);
    free(dur);
    free(off);
    *out = v;
    return 0;
}

void journey_variants_free(struct journey_variants *v)
{
    if (!v)
        return;
    free(v->v);
    free(v->of_case);
    free(v);
}

void journey_variants_experience(struct journey_variants *v,
                                 const struct colstore *cs,
                                 const struct journey_cases *c, int64_t after)
{
    struct journey_answers ja;
    struct nps *by = xcalloc(v->n ? v->n : 1, sizeof *by);
    struct nps total = NPS_INIT;
    journey_answers_index(&ja, cs, c, after);
    for (size_t i = 0; i < c->n; i++) {
        struct nps one = NPS_INIT;
        journey_case_nps(&one, &ja, c, i, after);
        nps_merge(&total, &one);
        if (v->of_case[i] < v->n)
            nps_merge(&by[v->of_case[i]], &one);
    }
    for (size_t r = 0; r < v->n; r++)
        nps_compute(&v->v[r].nps, &by[r]);
    nps_compute(&v->nps_all, &total);
    v->experience = 1;
    journey_answers_dispose(&ja);
    free(by);
}
