#pragma once
/* The weekly digest (issue 12, docs/web.md "Weekly digest"): what changed
 * in the last week, as one result for e-mail and any other front end.
 *
 *   - headline NPS, CSAT (4-5 %) and CES (5-7 %) of the 7 days ending
 *     last_day against the 7 days before, with the change, its 95% CI
 *     and p, and whether it is significant: the comparison of `resonans
 *     compare` (stats/compare.h, metrics_compare_cells);
 *   - emerging themes: themes whose share of the week's comments rose
 *     beyond their variation over the 6 weeks before (stats/emerging.h,
 *     the test of `resonans themes --emerging`), over weeks of 7 days
 *     ending last_day (so the figures and the themes describe the same
 *     days; an ISO week when last_day is a Sunday);
 *   - meta facts: the week (from, to), its responses and comments.
 *
 * The e-mail is plain text: a subject naming the week and a body of one
 * line of introduction and the result as a table. The server queues it
 * in the closed loop's outbox on a schedule (digest_due). */

#include <stdint.h>

struct colstore;
struct err;
struct metrics_query;
struct result;
struct strbuf;
struct tz;

/* The outbox event of a digest e-mail. */
#define DIGEST_EVENT "digest.weekly"

/* Builds the digest of the week ending last_day (a local day number,
 * inclusive). base (may be NULL) adds its filters and min_n (an owner's
 * touchpoints, a --where); its --by, metrics and dates are not used
 * beyond narrowing the days. Caller frees *out with result_free.
 * Errors as metrics_run (ERR_NOTFOUND for an unknown filter value). */
int digest_build(struct result **out, const struct colstore *cs,
                 const struct metrics_query *base, int64_t last_day,
                 struct err *err);

/* Appends the e-mail of digest r to subject (one line, "Resonans
 * veckorapport 2026-10-25–2026-10-31" or "Resonans weekly digest ...")
 * and text (an introduction in the language asked for, then r as a
 * table). 0, or ERR_INVALID when a buffer's maximum size is reached. */
int digest_email(struct strbuf *subject, struct strbuf *text,
                 const struct result *r, int swedish);

/* The schedule: a digest is due every week on weekday (0 Monday .. 6
 * Sunday) at hour (0..23) local time in tz (NULL: UTC); at a time the
 * clocks skip, the hour after it. Returns the instant (UTC seconds) of
 * the latest such time at or before now when last_queued (when the last
 * digest was queued, 0 = never) is before it, else 0: nothing is due. A
 * server down at that time sends the week's digest when it is back,
 * once. */
int64_t digest_due(int64_t now, const struct tz *tz, int weekday, int hour,
                   int64_t last_queued);

/* The week a digest due at slot (digest_due) covers: it ends the local
 * day before slot's. */
int64_t digest_week_ending(int64_t slot, const struct tz *tz);
