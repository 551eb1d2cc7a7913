#pragma once
/* The closed loop as results for every front end (docs/closed-loop.md):
 * `resonans cases ...`, `resonans rules show`, `resonans notifications`
 * and the /api/cases routes render these. Times are UTC. */

#include <stdint.h>

struct err;
struct result;
struct store;
struct case_filter;
struct case_metrics;
struct improvement_areas;
struct area_drivers_info;
struct loop;

/* The cases f selects: id, status, priority, team, assignee, touchpoint,
 * rule, theme, opened, due, overdue (at now), escalation, first contact,
 * resolved. */
int cases_list_result(struct result **out, struct store *s,
                      const struct case_filter *f, int64_t now,
                      struct err *err);
/* One case (ERR_NOTFOUND unless visible: NULL = all) with the customer's
 * own words as stored (redacted), their analysis (sentiment, its
 * explanation, themes), its notes and its timeline. */
int case_show_result(struct result **out, struct store *s, int64_t id,
                     const char *visible, int64_t now, struct err *err);
/* Case handling by team or touchpoint (loop_metrics.h). */
int case_metrics_result(struct result **out, const struct case_metrics *m,
                        const char *by, int min_n);
/* Improvement areas, the most cases first (loop_metrics.h). drivers: what
 * area_drivers_fill did (analysis/area_drivers.h) for the method note, or
 * NULL when the driver share was not computed. */
int areas_result(struct result **out, const struct improvement_areas *a,
                 int min_n, const struct area_drivers_info *drivers);
/* Notifications in a state ("pending", "sent", "dead"; NULL = all),
 * newest first, at most limit. */
int outbox_result(struct result **out, struct store *s, const char *state,
                  long limit, struct err *err);
/* The rules of the loop document json (stored with id): key, name,
 * priority, SLA, team, recovery, conditions. */
int rules_result(struct result **out, const struct loop *l, const char *json,
                 int64_t id);
