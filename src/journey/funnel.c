#include "journey/funnel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "journey/cases.h"
#include "journey/journey_int.h"
#include "stats/prop.h"

int journey_funnel_build(struct journey_funnel *out,
                         const struct journey_cases *c, const uint32_t *steps,
                         size_t n, struct err *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return err_set(err, ERR_INVALID, "a funnel needs at least one step");
    if (n > JOURNEY_FUNNEL_MAX)
        return err_set(err, ERR_INVALID, "a funnel has at most %d steps",
                       JOURNEY_FUNNEL_MAX);
    for (size_t i = 0; i < n; i++) {
        if (steps[i] >= c->n_steps)
            return err_set(err, ERR_INVALID, "funnel step %zu is unknown",
                           i + 1);
        for (size_t j = 0; j < i; j++)
            if (steps[j] == steps[i])
                return err_set(err, ERR_INVALID,
                               "funnel step '%s' is given twice",
                               c->label[steps[i]]);
    }
    out->n_cases = c->n;
    out->n = n;
    /* Two passes: how many reach each step, then their waits grouped by
     * step (one array of exactly that size). */
    size_t off[JOURNEY_FUNNEL_MAX + 1] = {0};
    double *wait = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t fill[JOURNEY_FUNNEL_MAX] = {0};
        for (size_t i = 0; i < c->n; i++) {
            size_t next = 0;
            int64_t prev = 0;
            for (size_t p = c->off[i]; p < c->off[i + 1] && next < n; p++) {
                if (c->step[p] != steps[next])
                    continue;
                if (pass == 0)
                    out->s[next].reached++;
                else if (next > 0)
                    wait[off[next] + fill[next]++] = (double)(c->ts[p] - prev);
                prev = c->ts[p];
                next++;
            }
        }
        for (size_t k = 0; pass == 0 && k < n; k++)
            off[k + 1] = off[k] + out->s[k].reached;
        if (pass == 0)
            wait = xmalloc((off[n] ? off[n] : 1) * sizeof *wait);
    }
    for (size_t k = 0; k < n; k++) {
        struct journey_funnel_step *s = &out->s[k];
        s->step = steps[k];
        struct prop conv = {(int64_t)s->reached,
                            (int64_t)(k ? out->s[k - 1].reached : c->n)};
        struct prop tot = {(int64_t)s->reached, (int64_t)out->s[0].reached};
        prop_compute(&s->conv, &conv);
        prop_compute(&s->total, &tot);
        s->median_wait =
            k ? journey_quantile(wait + off[k], s->reached, 0.5) : NAN;
    }
    free(wait);
    return 0;
}
