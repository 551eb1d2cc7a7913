#pragma once
/* Path analytics as results (docs/journeys.md): the variants, the
 * directly-follows graph with waits, stalls, rework and channel switches,
 * the funnel and conformance. Each takes the cases they were computed
 * from, for step names and the case rule. Callers free with result_free. */

#include <stddef.h>

struct journey_cases;
struct journey_conformance;
struct journey_dfg;
struct journey_funnel;
struct journey_moments;
struct journey_rework;
struct journey_variants;
struct result;

/* How the cases were made, for the meta facts and the method notes. */
struct journey_report_ctx {
    const char *case_col; /* NULL: per customer */
    long long gap_s;      /* per customer: the split gap, 0 = none */
    size_t top;           /* rows of the main table (variants, edges) */
    int min_n;            /* stalls: edges with fewer are left out; flags */
};

struct result *journey_variants_report(const struct journey_cases *c,
                                       const struct journey_variants *v,
                                       const struct journey_report_ctx *x);
struct result *journey_paths_report(const struct journey_cases *c,
                                    const struct journey_dfg *g,
                                    const struct journey_rework *rw,
                                    const struct journey_report_ctx *x);
struct result *journey_funnel_report(const struct journey_cases *c,
                                     const struct journey_funnel *f,
                                     const struct journey_report_ctx *x);
struct result *journey_conformance_report(const struct journey_cases *c,
                                          const struct journey_conformance *k,
                                          const struct journey_report_ctx *x);

/* Moments of truth (no cases: they read the answers and events). */
/* top: rows per table (0: all). */
struct result *journey_moments_report(const struct journey_moments *m,
                                      int min_n, size_t top);

/* A duration for people: "45 s", "12 min", "3.2 h", "4.1 d". */
void journey_duration_text(char *buf, size_t n, double seconds);
