#pragma once
/* The figures of the closed loop (docs/closed-loop.md): how fast cases
 * are handled (the inner loop) and the improvement areas behind them (the
 * outer loop), each figure with its n and a 95% CI. */

#include <stddef.h>
#include <stdint.h>

#include "stats/estimate.h"

struct err;
struct store;
struct loop;

enum loop_group { LOOP_BY_TEAM, LOOP_BY_TOUCHPOINT };

/* One team's or touchpoint's case handling. Durations are working hours
 * by the loop's calendar, from opening; quantiles with order-statistic
 * CIs (stats/casestats.h). */
struct case_metrics_row {
    char *group;     /* team name or touchpoint key; "(all)" last */
    int64_t cases;   /* opened in the period */
    int64_t open;    /* of those, not yet resolved */
    int64_t overdue; /* not resolved and past the deadline at now */
    struct estimate contact_median, contact_p90; /* first contact */
    struct estimate resolve_median, resolve_p90; /* resolution */
    /* first contact by the deadline, in percent (Wilson): cases
     * contacted, plus cases past their deadline without contact */
    struct estimate within_deadline;
    int64_t responses;        /* by touchpoint: responses in the period */
    struct estimate per_1000; /* cases per 1,000 responses */
    int64_t recovery_sent;    /* recovery surveys sent */
    struct estimate recovery; /* answered ones that recovered (CSAT 4-5,
                               * NPS 9-10 or CES 5-7), percent */
};
struct case_metrics {
    struct case_metrics_row *rows;
    size_t n;
    /* the change in the customer's next NPS after a resolved case: the
     * first NPS answer after resolution minus the case's own NPS */
    struct estimate next_nps_change;
};
/* Cases opened in [from, to) (0 = open), only those visible (NULL = all),
 * grouped by team or touchpoint. */
int loop_case_metrics(struct store *s, const struct loop *l, enum loop_group by,
                      int64_t from, int64_t to, const char *visible,
                      int64_t now, struct case_metrics *out, struct err *err);
void case_metrics_dispose(struct case_metrics *m);

/* An improvement area: the cases of one theme at one touchpoint. */
struct improvement_area {
    char *theme; /* NULL for cases without a theme */
    char *touchpoint;
    int64_t touchpoint_id;
    int64_t cases, open;
    struct estimate nps;      /* NPS answers at the touchpoint of the customers
                               * behind its cases */
    double driver_importance; /* the theme's share of explained NPS at the
                               * touchpoint, NAN when not computed */
    /* the improvement marked done for it, if any */
    int64_t improvement_id, done_at;
    char *title;
    /* window days before and after done_at at the touchpoint: NPS, and
     * the share of commented responses mentioning the theme */
    int window_days;
    struct estimate nps_before, nps_after, nps_change;
    struct estimate mention_before, mention_after, mention_change;
};
struct improvement_areas {
    struct improvement_area *a; /* by cases, most first */
    size_t n;
    int64_t without_theme; /* cases whose response named no theme */
};
/* Areas of the cases opened in [from, to) (0 = open), visible only;
 * window_days for before/after (0 = 30). */
int loop_areas(struct store *s, int64_t from, int64_t to, const char *visible,
               int window_days, struct improvement_areas *out, struct err *err);
void improvement_areas_dispose(struct improvement_areas *a);
