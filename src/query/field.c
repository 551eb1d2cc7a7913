#include "query/field.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static const struct {
    const char *name;
    enum field_core core;
    unsigned ctx; /* 1 = responses, 2 = events */
} cores[] = {
    {"stage", FC_STAGE, 3},
    {"touchpoint", FC_TOUCHPOINT, 3},
    {"channel", FC_CHANNEL, 3},
    {"segment", FC_SEGMENT, 3},
    {"kind", FC_KIND, 1},
    {"language", FC_LANGUAGE, 1},
    {"journey", FC_JOURNEY, 3},
    {"sentiment", FC_SENTIMENT, 1},
    {"theme", FC_THEME, 1},
    {"day", FC_DAY, 3},
    {"week", FC_WEEK, 3},
    {"month", FC_MONTH, 3},
    {"quarter", FC_QUARTER, 3},
    {"year", FC_YEAR, 3},
    {"nps_group", FC_NPS_GROUP, 1},
    {"csat_group", FC_CSAT_GROUP, 1},
    {"ces_group", FC_CES_GROUP, 1},
    {"nps_score", FC_NPS_SCORE, 1},
    {"csat_score", FC_CSAT_SCORE, 1},
    {"ces_score", FC_CES_SCORE, 1},
    {"csat_level", FC_CSAT_SCORE, 1},
    {"ces_level", FC_CES_SCORE, 1},
    {"lifecycle", FC_LIFECYCLE, 3},
    {"owner", FC_OWNER, 3},
    {"moment_of_truth", FC_MOMENT_OF_TRUTH, 3},
    {"physical", FC_PHYSICAL, 3},
    {"comment_language", FC_COMMENT_LANGUAGE, 1},
    {"activity", FC_ACTIVITY, 2},
};
#define N_CORES (sizeof cores / sizeof cores[0])

static const char *const answer_prefixes[] = {
    "choice:", "rating:", "expect:", "perceive:", "gap:",
    "dyad:",   "triad1:", "triad2:", "triad3:"};

static const char *const agg_names[] = {"",    "latest", "first", "count",
                                        "sum", "min",    "max",   "mean"};

const char *field_core_name(enum field_core c)
{
    for (size_t i = 0; i < N_CORES; i++)
        if (cores[i].core == c)
            return cores[i].name;
    return "?";
}

const char *field_agg_name(enum field_agg a)
{
    return (unsigned)a < sizeof agg_names / sizeof *agg_names ? agg_names[a]
                                                              : "?";
}

int field_is_period(const struct field *f)
{
    return f->kind == FIELD_CORE && f->core >= FC_DAY && f->core <= FC_YEAR;
}

static int starts(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && !memcmp(s, p, k);
}

/* A name part: printable, no separators the option syntax uses. */
static int valid_name(const char *s, size_t n)
{
    if (!n || n >= FIELD_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == ',' || c == '"' || c == '=' ||
            c == ';' || c == '<' || c == '>' || c == '!')
            return 0;
    }
    return 1;
}

static int unknown(const char *s, size_t n, enum field_context ctx,
                   struct err *err)
{
    if (ctx == FIELD_EVENTS)
        return err_set(err, ERR_INVALID,
                       "unknown field \"%.*s\" (expected activity, "
                       "touchpoint, stage, channel, segment, a period, "
                       "customer.NAME or an event attribute)",
                       (int)(n > 60 ? 60 : n), s);
    return err_set(err, ERR_INVALID,
                   "unknown field \"%.*s\" (expected a dimension such as "
                   "touchpoint, stage, channel, segment, month, nps_group, "
                   "owner, or customer.NAME, attr:NAME, choice:KEY, "
                   "rating:KEY, event.ACTIVITY.ATTR; see docs/metrics.md)",
                   (int)(n > 60 ? 60 : n), s);
}

/* Parses one modifier m[0..k) into f. */
static int modifier(struct field *f, const char *m, size_t k, struct err *err)
{
    if (k >= 2 && m[0] == 'q' && m[1] >= '0' && m[1] <= '9') {
        int v = 0;
        for (size_t i = 1; i < k; i++) {
            if (m[i] < '0' || m[i] > '9' || v > 1000)
                goto bad;
            v = v * 10 + (m[i] - '0');
        }
        if (v < 2 || v > 100)
            return err_set(err, ERR_INVALID,
                           "%s: quantile bins q%d must be q2..q100", f->text,
                           v);
        if (f->quantiles)
            return err_set(err, ERR_INVALID, "%s: qN given twice", f->text);
        f->quantiles = v;
        return 0;
    }
    for (int a = FIELD_AGG_LATEST; a <= FIELD_AGG_MEAN; a++) {
        if (strlen(agg_names[a]) == k && !memcmp(agg_names[a], m, k)) {
            if (f->kind != FIELD_EVENT)
                return err_set(err, ERR_INVALID,
                               "%s: '%s' applies to event.* fields only",
                               f->text, agg_names[a]);
            if (f->agg)
                return err_set(err, ERR_INVALID, "%s: two aggregations given",
                               f->text);
            f->agg = (enum field_agg)a;
            return 0;
        }
    }
    {
        size_t i = 0;
        int after = 0;
        int64_t v = 0;
        if (k && (m[0] == '+' || m[0] == '-')) {
            after = m[0] == '+';
            i++;
        }
        size_t d = i;
        while (i < k && m[i] >= '0' && m[i] <= '9' && v < 1000000)
            v = v * 10 + (m[i++] - '0');
        if (i == d || i + 1 != k || v < 1 || v >= 1000000)
            goto bad;
        int64_t unit = m[i] == 'h'   ? 3600
                       : m[i] == 'd' ? 86400
                       : m[i] == 'w' ? 7 * 86400
                                     : 0;
        if (!unit)
            goto bad;
        if (f->kind != FIELD_EVENT)
            return err_set(err, ERR_INVALID,
                           "%s: a window applies to event.* fields only",
                           f->text);
        if (f->has_window)
            return err_set(err, ERR_INVALID, "%s: two windows given", f->text);
        f->has_window = 1;
        if (after) {
            f->from = 1;
            f->to = v * unit;
        } else {
            f->from = -v * unit;
            f->to = 0;
        }
        return 0;
    }
bad:
    return err_set(err, ERR_INVALID,
                   "%s: unknown modifier \"%.*s\" (expected latest, first, "
                   "count, sum, min, max, mean, a window like 30d, 12h, 2w "
                   "or +30d, or quantile bins like q4)",
                   f->text, (int)(k > 30 ? 30 : k), m);
}

/* Appends the modifiers to the base name in f->text: aggregation,
 * window, quantiles. */
static void canonical(struct field *f)
{
    size_t used = strlen(f->text);
    if (f->kind == FIELD_EVENT && f->agg && used < sizeof f->text)
        used += (size_t)snprintf(f->text + used, sizeof f->text - used, ":%s",
                                 agg_names[f->agg]);
    if (f->has_window && used < sizeof f->text) {
        int64_t span = f->to > 0 ? f->to : -f->from;
        const char *sign = f->to > 0 ? "+" : "";
        int64_t unit = span % (7 * 86400) == 0 ? 7 * 86400
                       : span % 86400 == 0     ? 86400
                                               : 3600;
        used += (size_t)snprintf(f->text + used, sizeof f->text - used,
                                 ":%s%lld%c", sign, (long long)(span / unit),
                                 unit == 3600    ? 'h'
                                 : unit == 86400 ? 'd'
                                                 : 'w');
    }
    if (f->quantiles && used < sizeof f->text)
        snprintf(f->text + used, sizeof f->text - used, ":q%d", f->quantiles);
}

/* The base of s[0..n): everything up to the first ':' after the base's
 * own prefix (answers and attr: have a ':' of their own). */
static size_t base_len(const char *s, size_t n)
{
    size_t skip = 0;
    for (size_t i = 0; i < sizeof answer_prefixes / sizeof *answer_prefixes;
         i++)
        if (starts(s, n, answer_prefixes[i]))
            skip = strlen(answer_prefixes[i]);
    if (starts(s, n, "attr:"))
        skip = 5;
    const char *colon = memchr(s + skip, ':', n - skip);
    return colon ? (size_t)(colon - s) : n;
}

static int bad_name(const char *s, size_t n, struct err *err)
{
    return err_set(err, ERR_INVALID,
                   "bad field name \"%.*s\" (a name is 1..%d bytes without "
                   "control characters or , \" = ; < > !)",
                   (int)(n > 60 ? 60 : n), s, FIELD_MAX_NAME - 1);
}

/* An attribute's canonical text: attr:NAME, or in events the bare NAME
 * when no fixed field has that name. */
static void attr_text(struct field *f, enum field_context ctx)
{
    if (ctx == FIELD_EVENTS) {
        size_t i = 0;
        while (i < N_CORES &&
               (strcmp(cores[i].name, f->name) || !(cores[i].ctx & 2u)))
            i++;
        if (i == N_CORES) {
            snprintf(f->text, sizeof f->text, "%s", f->name);
            return;
        }
    }
    snprintf(f->text, sizeof f->text, "attr:%s", f->name);
}

/* Parses the base s[0..n) into f (kind, core, name, text). */
static int parse_base(struct field *f, const char *s, size_t n,
                      enum field_context ctx, struct err *err)
{
    size_t skip = 0;
    for (size_t i = 0; i < sizeof answer_prefixes / sizeof *answer_prefixes;
         i++)
        if (starts(s, n, answer_prefixes[i]))
            skip = strlen(answer_prefixes[i]);
    if (starts(s, n, "customer.")) {
        f->kind = FIELD_CUSTOMER;
        if (!valid_name(s + 9, n - 9))
            return bad_name(s, n, err);
        memcpy(f->name, s + 9, n - 9);
        snprintf(f->text, sizeof f->text, "customer.%s", f->name);
    } else if (starts(s, n, "attr:") || starts(s, n, "attr.")) {
        f->kind = FIELD_ATTR;
        if (!valid_name(s + 5, n - 5))
            return bad_name(s, n, err);
        memcpy(f->name, s + 5, n - 5);
        attr_text(f, ctx);
    } else if (starts(s, n, "event.")) {
        if (ctx == FIELD_EVENTS)
            return err_set(err, ERR_INVALID,
                           "%.*s: event.* fields describe responses; in "
                           "events use activity and attr:NAME",
                           (int)(n > 60 ? 60 : n), s);
        f->kind = FIELD_EVENT;
        if (!valid_name(s + 6, n - 6) || s[6] == '.' || s[n - 1] == '.')
            return bad_name(s, n, err);
        memcpy(f->name, s + 6, n - 6);
        snprintf(f->text, sizeof f->text, "event.%s", f->name);
    } else if (skip) {
        if (ctx == FIELD_EVENTS)
            return err_set(err, ERR_INVALID,
                           "%.*s: answers describe responses, not events",
                           (int)(n > 60 ? 60 : n), s);
        f->kind = FIELD_ANSWER;
        if (!valid_name(s + skip, n - skip))
            return bad_name(s, n, err);
        memcpy(f->name, s, n);
        snprintf(f->text, sizeof f->text, "%s", f->name);
    } else {
        unsigned bit = ctx == FIELD_EVENTS ? 2u : 1u;
        for (size_t i = 0; i < N_CORES; i++)
            if (strlen(cores[i].name) == n && !memcmp(cores[i].name, s, n) &&
                (cores[i].ctx & bit)) {
                f->kind = FIELD_CORE;
                f->core = cores[i].core;
                snprintf(f->text, sizeof f->text, "%s",
                         field_core_name(f->core));
                return 0;
            }
        if (ctx != FIELD_EVENTS || !valid_name(s, n))
            return unknown(s, n, ctx, err);
        f->kind = FIELD_ATTR;
        memcpy(f->name, s, n);
        attr_text(f, ctx);
    }
    return 0;
}

int field_parse(struct field *out, const char *s, size_t n,
                enum field_context ctx, struct err *err)
{
    struct field f;
    int rc;
    memset(&f, 0, sizeof f);
    f.from = INT64_MIN;
    f.to = 0;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return err_set(err, ERR_INVALID, "empty field name");
    if (n >= FIELD_MAX_NAME)
        return err_set(err, ERR_INVALID, "field name too long (%zu bytes)", n);
    size_t bn = base_len(s, n);
    if ((rc = parse_base(&f, s, bn, ctx, err)) < 0)
        return rc;
    for (size_t at = bn; at < n;) {
        const char *p = s + at + 1; /* past the ':' */
        const char *q = memchr(p, ':', n - at - 1);
        size_t k = q ? (size_t)(q - p) : n - at - 1;
        if (!k)
            return err_set(err, ERR_INVALID, "%s: empty modifier", f.text);
        if ((rc = modifier(&f, p, k, err)) < 0)
            return rc;
        at += k + 1;
    }
    canonical(&f);
    *out = f;
    return 0;
}

int field_event_count_after(struct field *out, const char *activity,
                            int64_t window, struct err *err)
{
    char name[FIELD_MAX_NAME];
    int len;
    if (window <= 0 || window > (int64_t)100000 * 7 * 86400)
        return err_set(err, ERR_INVALID, "the window must be positive");
    if (window % 86400 == 0)
        len = snprintf(name, sizeof name, "event.%s:count:+%lldd", activity,
                       (long long)(window / 86400));
    else
        len = snprintf(name, sizeof name, "event.%s:count:+%lldh", activity,
                       (long long)((window + 3599) / 3600));
    if (!*activity || len < 0 || (size_t)len >= sizeof name ||
        strchr(activity, ':'))
        return err_set(err, ERR_INVALID, "bad activity \"%.60s\"", activity);
    return field_parse(out, name, (size_t)len, FIELD_RESPONSES, err);
}
