#pragma once
/* The driver share of improvement areas (docs/closed-loop.md,
 * "Improvement areas"): how much of the NPS at a touchpoint an area's
 * theme explains, from the key-driver analysis (analysis/drivers.h).
 *
 *   ... load what area_drivers_fields names (query/prepare.h) ...
 *   loop_areas(s, from, to, visible, window, &areas, err);
 *   struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
 *   o.from = from; o.to = to;
 *   area_drivers_fill(&areas, cs, &o, &info, err);
 *
 * For each distinct touchpoint among the first o->top areas that have a
 * theme, one analysis runs: outcome nps (the 0-10 answer), drivers
 * `themes` (every theme mentioned by at least o->min_n of the commented
 * responses used, and missing from as many), over the responses at the
 * touchpoint (by key) whose local day falls in the areas' period, taken
 * as UTC days: [from, to) becomes the days of from .. of to - 1 (0 = open
 * end), so a response near midnight may fall a day off. No bootstrap: only
 * the point shares are used.
 *
 * Each such area's driver_importance becomes its theme's LMG share in
 * percent: the part of the variance of the NPS answer at the touchpoint
 * that the theme accounts for (the drivers' parts sum to R^2), the
 * "importance %" of `resonans drivers`. Not the part over R^2 ("of R² %"):
 * that is 100 whenever one theme is the only driver, even at an R^2 of 0,
 * and is not comparable between touchpoints. It is NAN
 * when the theme is not among the drivers (too rare or too common at the
 * touchpoint, or mentioned exactly where another theme is, e.g. a parent
 * only through this sub-theme) or when the analysis fails for the
 * touchpoint (too few responses with an NPS answer and a comment, no
 * theme frequent enough, an unknown key). Such a failure is not an
 * error: it is counted in info, the first one described there, and the
 * other touchpoints go on. Areas without a theme, and those after the
 * first o->top, are left as they are.
 *
 * Reads the column store only: nothing touches the database or prints. */

#include <stddef.h>
#include <stdint.h>

#include "query/field.h"

struct colstore;
struct err;
struct improvement_areas;

/* Areas considered by default: each distinct touchpoint costs one
 * analysis. */
#define AREA_DRIVERS_TOP 10

struct area_drivers_opts {
    size_t top;       /* the first top areas; 0 = AREA_DRIVERS_TOP */
    int min_n;        /* theme expansion; <= 0 means 30 */
    int64_t from, to; /* the areas' period: UTC seconds [from, to), 0 =
                         open */
};

#define AREA_DRIVERS_OPTS_INIT                                                 \
    {                                                                          \
        AREA_DRIVERS_TOP, 30, 0, 0                                             \
    }

/* What area_drivers_fill did, for the method note. */
struct area_drivers_info {
    size_t top;         /* areas considered (at most a->n) */
    int min_n;          /* as used */
    size_t touchpoints; /* analyses run, one per touchpoint */
    size_t failed;      /* of those, failed: their areas are NAN */
    char note[320];     /* the first failure, "KEY: message", or "" */
};

/* Calls fn for every field the analyses read (the NPS answer, theme and
 * sentiment, touchpoint and day), so a caller can load them
 * (query_prepare_field). Stops at a non-zero return and returns it. */
int area_drivers_fields(int (*fn)(void *ctx, const struct field *f), void *ctx);

/* Fills driver_importance of the areas of a as said at the top, on cs
 * (fields loaded: area_drivers_fields). o may be NULL (defaults); info
 * may be NULL. Returns 0; a failing touchpoint is not an error (see
 * info). ERR_INTERNAL only if the fixed driver spec does not parse. */
int area_drivers_fill(struct improvement_areas *a, const struct colstore *cs,
                      const struct area_drivers_opts *o,
                      struct area_drivers_info *info, struct err *err);
