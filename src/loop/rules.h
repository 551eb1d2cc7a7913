#pragma once
/* Rules that turn a response into a case (issue 11, the inner loop):
 * a set of conditions on one response, and what the case gets: a
 * priority, a deadline in working hours (bizcal.h) and, unless the
 * touchpoint's owning team takes it, a team. docs/closed-loop.md.
 *
 *   {"rules": [
 *     {"key": "detractor_after_repair",
 *      "when": {"touchpoints": ["reparation"], "nps_max": 6},
 *      "priority": "high", "sla_hours": 8},
 *     {"key": "safety", "when": {"themes": ["safety"]},
 *      "priority": "urgent", "sla_hours": 2, "team": "Fastighetsskötsel"}]}
 *
 * Every condition of "when" must hold; a list holds when any of its
 * items does. A rule without conditions is refused (it would open a
 * case for every response). */

#include <stddef.h>

struct err;
struct rules;

enum case_priority { PRIO_LOW, PRIO_NORMAL, PRIO_HIGH, PRIO_URGENT };
const char *case_priority_name(enum case_priority p);

/* What a rule is tested against: one response, its comment's analysis
 * and how it came. Scores -1 when not given; sentiment NaN without an
 * analysed comment. Borrowed. */
struct rule_input {
    const char *survey;     /* survey key, or NULL (an import) */
    const char *touchpoint; /* key */
    const char *channel;    /* key, or NULL */
    int employee;           /* 1: an employee's response */
    int nps, csat, ces;
    double sentiment;          /* the comment's, -1..1 */
    const char *const *themes; /* theme keys its comments mention */
    size_t n_themes;
    int consent; /* the customer asked to be contacted */
};

/* One rule as parsed. Borrowed from the set. */
struct rule {
    const char *key;
    const char *name; /* for people; the key when not given */
    enum case_priority priority;
    double sla_hours; /* working hours to the deadline */
    const char *team; /* NULL: the touchpoint's owning team */
    int recovery;     /* "recovery": send the recovery survey when the case
                       * is resolved: 1 yes (the default), 0 no */
};

/* Parses a rule set. Errors are ERR_INVALID with err->where the JSON
 * path at fault ("rules[2].when.nps_max"). Caller frees *out. */
int rules_parse(struct rules **out, const char *json, size_t n,
                struct err *err);
void rules_free(struct rules *r);
size_t rules_count(const struct rules *r);
const struct rule *rules_get(const struct rules *r, size_t i);

/* The rules in holds for, in[0..n) of them set in hits (indices into
 * the set, in the set's order); returns how many. */
size_t rules_match(const struct rules *r, const struct rule_input *in,
                   size_t *hits, size_t cap);
/* Of the rules in holds for, the one a case is opened by: the highest
 * priority, then the shortest deadline, then the first. -1 for none. */
long rules_pick(const struct rules *r, const struct rule_input *in);
