/* The metrics query: --by, --where, --bins and --metric parsed for
 * syntax. Resolution against a column store is metrics_plan.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "stats/metrics.h"
#include "stats/metrics_int.h"
#include "stats/period.h"

void metrics_query_init(struct metrics_query *q, enum field_context ctx)
{
    memset(q, 0, sizeof *q);
    q->ctx = ctx;
    q->min_n = METRICS_MIN_N;
    q->from_day = METRICS_DAY_MIN;
    q->to_day = METRICS_DAY_MAX;
}

void metrics_query_dispose(struct metrics_query *q)
{
    for (size_t i = 0; i < q->n_where; i++) {
        for (size_t k = 0; k < q->where[i].n; k++)
            free(q->where[i].values[k]);
        free(q->where[i].values);
    }
    free(q->where);
    for (size_t i = 0; i < q->n_bins; i++)
        free(q->bins[i].edges);
    free(q->bins);
    q->where = NULL;
    q->n_where = 0;
    q->bins = NULL;
    q->n_bins = 0;
}

void metrics_query_copy(struct metrics_query *dst,
                        const struct metrics_query *src)
{
    *dst = *src;
    dst->where = xcalloc(src->n_where + 1, sizeof *dst->where);
    for (size_t i = 0; i < src->n_where; i++) {
        dst->where[i] = src->where[i];
        dst->where[i].values = xcalloc(src->where[i].n + 1, sizeof(char *));
        for (size_t k = 0; k < src->where[i].n; k++)
            dst->where[i].values[k] = xstrdup(src->where[i].values[k]);
    }
    dst->bins = xcalloc(src->n_bins + 1, sizeof *dst->bins);
    for (size_t i = 0; i < src->n_bins; i++) {
        dst->bins[i] = src->bins[i];
        dst->bins[i].edges = xmalloc((src->bins[i].n + 1) * sizeof(double));
        memcpy(dst->bins[i].edges, src->bins[i].edges,
               src->bins[i].n * sizeof(double));
    }
}

/* Splits s at sep: returns the length of the next item and advances *s
 * past it and the separator. */
static size_t next_item(const char **s, char sep)
{
    const char *p = *s, *e = strchr(p, sep);
    size_t n = e ? (size_t)(e - p) : strlen(p);
    *s = e ? e + 1 : p + n;
    return n;
}

#define SHOW(n) (int)((n) > 60 ? 60 : (n))

int metrics_query_by(struct metrics_query *q, const char *list, struct err *err)
{
    const char *s = list;
    int rc;
    if (!*s)
        return err_set(err, ERR_INVALID, "--by needs at least one field");
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ',');
        struct field f;
        if ((rc = field_parse(&f, item, n, q->ctx, err)) < 0)
            return rc;
        for (int i = 0; i < q->n_by; i++)
            if (!strcmp(q->by[i].text, f.text))
                return err_set(err, ERR_INVALID, "%s given twice in --by",
                               f.text);
        if (q->n_by >= METRICS_MAX_BY)
            return err_set(err, ERR_INVALID, "at most %d fields in --by",
                           METRICS_MAX_BY);
        q->by[q->n_by++] = f;
    }
    return 0;
}

/* One metric name. */
static int parse_metric(struct metrics_metric *m, const char *s, size_t n,
                        enum field_context ctx, struct err *err)
{
    static const struct {
        const char *name;
        enum metric_kind kind;
    } plain[] = {{"nps", MK_NPS},
                 {"csat", MK_CSAT},
                 {"ces", MK_CES},
                 {"count", MK_COUNT}};
    static const struct {
        const char *prefix;
        enum metric_kind kind;
    } of[] = {{"mean:", MK_MEAN},
              {"median:", MK_QUANTILE},
              {"sum:", MK_SUM},
              {"min:", MK_MIN},
              {"max:", MK_MAX}};
    memset(m, 0, sizeof *m);
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (strlen(plain[i].name) == n && !memcmp(plain[i].name, s, n)) {
            m->kind = plain[i].kind;
            if (ctx == FIELD_EVENTS && m->kind != MK_COUNT)
                return err_set(err, ERR_INVALID,
                               "%s describes responses, not events",
                               plain[i].name);
            snprintf(m->text, sizeof m->text, "%s", plain[i].name);
            return 0;
        }
    const char *body = s;
    size_t bn = n;
    int rc;
    m->kind = MK_MEAN;
    for (size_t i = 0; i < sizeof of / sizeof *of; i++) {
        size_t k = strlen(of[i].prefix);
        if (n > k && !memcmp(s, of[i].prefix, k)) {
            m->kind = of[i].kind;
            body = s + k;
            bn = n - k;
            m->q = 0.5;
        }
    }
    if (n > 2 && s[0] == 'p' && s[1] >= '0' && s[1] <= '9') {
        const char *c = memchr(s, ':', n);
        int v = 0;
        size_t i = 1;
        while (c && s + i < c && s[i] >= '0' && s[i] <= '9' && v < 1000)
            v = v * 10 + (s[i++] - '0');
        if (c && s + i == c) {
            if (v < 1 || v > 99)
                return err_set(err, ERR_INVALID,
                               "percentile p%d must be p1..p99", v);
            m->kind = MK_QUANTILE;
            m->q = v / 100.0;
            body = c + 1;
            bn = n - (size_t)(c + 1 - s);
        }
    }
    if (m->kind == MK_MEAN && body == s && (n > 7 && !memcmp(s, "rating:", 7)))
        m->kind = MK_RATING;
    if (m->kind == MK_MEAN && body == s && (n > 7 && !memcmp(s, "choice:", 7)))
        m->kind = MK_CHOICE;
    if ((rc = field_parse(&m->field, body, bn, ctx, err)) < 0)
        return rc;
    if (m->field.kind == FIELD_CORE)
        return err_set(err, ERR_INVALID,
                       "%.*s is not a metric (expected nps, csat, ces, "
                       "count, rating:KEY, choice:KEY, mean:FIELD, "
                       "median:FIELD, pNN:FIELD, sum:, min:, max: or a "
                       "numeric field)",
                       SHOW(n), s);
    if (m->field.quantiles)
        return err_set(err, ERR_INVALID, "%s: bins do not apply to a metric",
                       m->field.text);
    char ft[FIELD_MAX_TEXT]; /* a copy: gcc sees m->text and it overlap */
    memcpy(ft, m->field.text, sizeof ft);
    switch (m->kind) {
    case MK_RATING:
    case MK_CHOICE:
        snprintf(m->text, sizeof m->text, "%s", ft);
        break;
    case MK_MEAN:
        snprintf(m->text, sizeof m->text, "mean:%s", ft);
        break;
    case MK_QUANTILE:
        if (m->q == 0.5)
            snprintf(m->text, sizeof m->text, "median:%s", ft);
        else
            snprintf(m->text, sizeof m->text, "p%d:%s", (int)lround(m->q * 100),
                     ft);
        break;
    default:
        snprintf(m->text, sizeof m->text, "%s:%s",
                 m->kind == MK_SUM   ? "sum"
                 : m->kind == MK_MIN ? "min"
                                     : "max",
                 ft);
        break;
    }
    return 0;
}

int metrics_query_metrics(struct metrics_query *q, const char *list,
                          struct err *err)
{
    const char *s = list;
    int n_metrics = 0, rc;
    struct metrics_metric ms[METRICS_MAX_METRICS];
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ',');
        if (!n)
            return err_set(err, ERR_INVALID, "empty metric in \"%s\"", list);
        if (n_metrics >= METRICS_MAX_METRICS)
            return err_set(err, ERR_INVALID, "at most %d metrics",
                           METRICS_MAX_METRICS);
        if ((rc = parse_metric(&ms[n_metrics], item, n, q->ctx, err)) < 0)
            return rc;
        for (int i = 0; i < n_metrics; i++)
            if (!strcmp(ms[i].text, ms[n_metrics].text))
                return err_set(err, ERR_INVALID, "metric %s given twice",
                               ms[i].text);
        n_metrics++;
    }
    if (!n_metrics)
        return err_set(err, ERR_INVALID, "no metric given");
    memcpy(q->metrics, ms, (size_t)n_metrics * sizeof *ms);
    q->n_metrics = n_metrics;
    return 0;
}

void metrics_query_days(struct metrics_query *q, int64_t from, int64_t to)
{
    if (from > q->from_day)
        q->from_day = from;
    if (to < q->to_day)
        q->to_day = to;
}

static int parse_range(struct metrics_query *q, const char *s, size_t n,
                       const char *dots, struct err *err)
{
    int64_t from = METRICS_DAY_MIN, to = METRICS_DAY_MAX;
    size_t fn = (size_t)(dots - s), tn = n - fn - 2;
    if ((fn && tstamp_parse_date(&from, s, fn) < 0) ||
        (tn && tstamp_parse_date(&to, dots + 2, tn) < 0))
        return err_set(err, ERR_INVALID,
                       "bad date range \"%.*s\" (expected "
                       "YYYY-MM-DD..YYYY-MM-DD)",
                       SHOW(n), s);
    if (from > to)
        return err_set(err, ERR_INVALID,
                       "date range \"%.*s\" ends before it starts", SHOW(n), s);
    metrics_query_days(q, from, to);
    return 0;
}

/* The next comma-separated value of v[0..n) from *at: quotes "..." hold
 * commas and semicolons, "" is a quote. Returns the value's length in
 * out (unquoted), advancing *at; ERR_INVALID for an open quote. */
static int next_value(const char *v, size_t n, size_t *at, char **out,
                      struct err *err)
{
    size_t i = *at, cap = n - i + 1, k = 0;
    char *b = xmalloc(cap);
    int quoted = 0;
    while (i < n && v[i] == ' ')
        i++;
    if (i < n && v[i] == '"') {
        quoted = 1;
        i++;
        for (;;) {
            if (i >= n) {
                free(b);
                return err_set(err, ERR_INVALID,
                               "unterminated quote in \"%.*s\"", SHOW(n), v);
            }
            if (v[i] == '"') {
                if (i + 1 < n && v[i + 1] == '"') {
                    b[k++] = '"';
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            b[k++] = v[i++];
        }
        while (i < n && v[i] == ' ')
            i++;
        if (i < n && v[i] != ',') {
            free(b);
            return err_set(err, ERR_INVALID,
                           "text after a closing quote in \"%.*s\"", SHOW(n),
                           v);
        }
    } else {
        while (i < n && v[i] != ',')
            b[k++] = v[i++];
        while (k && b[k - 1] == ' ')
            k--;
    }
    b[k] = 0;
    if (!k && !quoted) {
        free(b);
        return err_set(err, ERR_INVALID, "empty value in \"%.*s\"", SHOW(n), v);
    }
    *at = i < n ? i + 1 : n;
    *out = b;
    return 0;
}

static int add_where(struct metrics_query *q, const struct field *f,
                     enum metrics_op op, char **values, size_t nv, double x)
{
    q->where = xrealloc(q->where, (q->n_where + 1) * sizeof *q->where);
    struct metrics_where *w = &q->where[q->n_where++];
    w->field = *f;
    w->op = op;
    w->values = values;
    w->n = nv;
    w->x = x;
    return 0;
}

/* A number in the C locale, with a decimal comma accepted. */
int mquery_parse_num(double *out, const char *s, size_t n)
{
    char buf[64], *end;
    if (!n || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    *out = strtod(buf, &end);
    return end == buf || *end || !isfinite(*out) ? -1 : 0;
}

static int parse_clause(struct metrics_query *q, const char *s, size_t n,
                        struct err *err)
{
    size_t op_at = 0;
    while (op_at < n && !strchr("=<>!", s[op_at]))
        op_at++;
    if (op_at == n) {
        for (size_t i = 0; i + 1 < n; i++)
            if (s[i] == '.' && s[i + 1] == '.')
                return parse_range(q, s, n, s + i, err);
        return err_set(err, ERR_INVALID,
                       "bad filter \"%.*s\" (expected FIELD=VALUE[,VALUE], "
                       "FIELD!=VALUE, FIELD<NUMBER or FROM..TO)",
                       SHOW(n), s);
    }
    struct field f;
    int rc;
    if ((rc = field_parse(&f, s, op_at, q->ctx, err)) < 0)
        return rc;
    if (f.quantiles)
        return err_set(err, ERR_INVALID,
                       "%s: quantile bins do not apply to a filter", f.text);
    enum metrics_op op;
    size_t vlen;
    const char *o = s + op_at;
    if (o[0] == '!' && op_at + 1 < n && o[1] == '=')
        op = MOP_NOT_IN, vlen = 2;
    else if (o[0] == '<' && op_at + 1 < n && o[1] == '=')
        op = MOP_LE, vlen = 2;
    else if (o[0] == '>' && op_at + 1 < n && o[1] == '=')
        op = MOP_GE, vlen = 2;
    else if (o[0] == '<')
        op = MOP_LT, vlen = 1;
    else if (o[0] == '>')
        op = MOP_GT, vlen = 1;
    else if (o[0] == '=')
        op = MOP_IN, vlen = 1;
    else
        return err_set(err, ERR_INVALID, "bad operator in \"%.*s\"", SHOW(n),
                       s);
    const char *v = o + vlen;
    size_t vn = n - op_at - vlen;
    while (vn && *v == ' ')
        v++, vn--;
    if (!vn)
        return err_set(err, ERR_INVALID, "filter on %s has no value", f.text);
    if (op != MOP_IN && op != MOP_NOT_IN) {
        double x;
        if (mquery_parse_num(&x, v, vn) < 0)
            return err_set(err, ERR_INVALID,
                           "filter on %s: \"%.*s\" is not a number", f.text,
                           SHOW(vn), v);
        return add_where(q, &f, op, NULL, 0, x);
    }
    char **vals = NULL;
    size_t nv = 0, cap = 0, at = 0;
    while (at < vn) {
        char *one = NULL;
        if ((rc = next_value(v, vn, &at, &one, err)) < 0)
            goto fail;
        vals = xgrow(vals, &cap, nv + 1, sizeof *vals);
        vals[nv++] = one;
        if (at == vn && v[vn - 1] == ',') {
            rc = err_set(err, ERR_INVALID, "empty value in \"%.*s\"", SHOW(vn),
                         v);
            goto fail;
        }
    }
    if (field_is_period(&f))
        for (size_t i = 0; i < nv; i++) {
            /* Checked here so a typo is a usage error, not "not found". */
            int64_t key;
            if (period_parse(&key, (enum period_unit)(f.core - FC_DAY), vals[i],
                             strlen(vals[i])) < 0) {
                rc =
                    err_set(err, ERR_INVALID, "bad %s \"%s\"", f.text, vals[i]);
                goto fail;
            }
        }
    return add_where(q, &f, op, vals, nv, NAN);
fail:
    for (size_t i = 0; i < nv; i++)
        free(vals[i]);
    free(vals);
    return rc;
}

/* The next ';'-separated clause of s, quotes respected. */
static size_t next_clause(const char **s)
{
    const char *p = *s;
    int quoted = 0;
    size_t i = 0;
    for (; p[i]; i++) {
        if (p[i] == '"')
            quoted = !quoted;
        else if (p[i] == ';' && !quoted)
            break;
    }
    *s = p[i] ? p + i + 1 : p + i;
    return i;
}

int metrics_query_where(struct metrics_query *q, const char *expr,
                        struct err *err)
{
    const char *s = expr;
    int rc;
    if (!*s)
        return err_set(err, ERR_INVALID, "empty filter");
    while (*s) {
        const char *item = s;
        size_t n = next_clause(&s);
        while (n && *item == ' ')
            item++, n--;
        while (n && item[n - 1] == ' ')
            n--;
        if (!n)
            continue;
        if ((rc = parse_clause(q, item, n, err)) < 0)
            return rc;
    }
    return 0;
}

int metrics_query_where_values(struct metrics_query *q, const char *field,
                               const char *const *values, size_t n,
                               struct err *err)
{
    struct field f;
    int rc;
    if ((rc = field_parse(&f, field, strlen(field), q->ctx, err)) < 0)
        return rc;
    char **vals = xcalloc(n ? n : 1, sizeof *vals);
    for (size_t i = 0; i < n; i++)
        vals[i] = xstrdup(values[i]);
    return add_where(q, &f, MOP_IN, vals, n, NAN);
}

const struct metrics_bins *metrics_query_bins_for(const struct metrics_query *q,
                                                  const struct field *f)
{
    for (size_t i = 0; i < q->n_bins; i++)
        if (!strcmp(q->bins[i].field.text, f->text))
            return &q->bins[i];
    return NULL;
}

int metrics_query_bins(struct metrics_query *q, const char *expr,
                       struct err *err)
{
    const char *eq = strrchr(expr, '=');
    struct field f;
    int rc;
    if (!eq || eq == expr || !eq[1])
        return err_set(err, ERR_INVALID,
                       "bad bins \"%.*s\" (expected FIELD=EDGE,EDGE,...)",
                       SHOW(strlen(expr)), expr);
    if ((rc = field_parse(&f, expr, (size_t)(eq - expr), q->ctx, err)) < 0)
        return rc;
    if (f.quantiles)
        return err_set(err, ERR_INVALID,
                       "%s: give either quantiles (:qN) or --bins", f.text);
    if (metrics_query_bins_for(q, &f))
        return err_set(err, ERR_INVALID, "bins for %s given twice", f.text);
    double *edges = NULL;
    size_t ne = 0, cap = 0;
    const char *s = eq + 1;
    while (*s) {
        const char *item = s;
        size_t n = next_item(&s, ',');
        double x;
        while (n && *item == ' ')
            item++, n--;
        if (mquery_parse_num(&x, item, n) < 0) {
            free(edges);
            return err_set(err, ERR_INVALID,
                           "bins for %s: \"%.*s\" is not a number", f.text,
                           SHOW(n), item);
        }
        if (ne && !(x > edges[ne - 1])) {
            double last = edges[ne - 1];
            free(edges);
            return err_set(err, ERR_INVALID,
                           "bins for %s must increase (%g after %g)", f.text, x,
                           last);
        }
        if (ne >= 1000) {
            free(edges);
            return err_set(err, ERR_INVALID, "at most 1000 bin edges");
        }
        edges = xgrow(edges, &cap, ne + 1, sizeof *edges);
        edges[ne++] = x;
    }
    if (!ne)
        return err_set(err, ERR_INVALID, "bins for %s: no edges", f.text);
    q->bins = xrealloc(q->bins, (q->n_bins + 1) * sizeof *q->bins);
    q->bins[q->n_bins].field = f;
    q->bins[q->n_bins].edges = edges;
    q->bins[q->n_bins].n = ne;
    q->n_bins++;
    return 0;
}

int metrics_query_fields(const struct metrics_query *q,
                         int (*fn)(void *ctx, const struct field *f), void *ctx)
{
    int rc;
    for (int i = 0; i < q->n_by; i++)
        if ((rc = fn(ctx, &q->by[i])) != 0)
            return rc;
    for (size_t i = 0; i < q->n_where; i++)
        if ((rc = fn(ctx, &q->where[i].field)) != 0)
            return rc;
    for (size_t i = 0; i < q->n_bins; i++)
        if ((rc = fn(ctx, &q->bins[i].field)) != 0)
            return rc;
    for (int i = 0; i < q->n_metrics; i++) {
        const struct metrics_metric *m = &q->metrics[i];
        if (m->kind == MK_NPS || m->kind == MK_CSAT || m->kind == MK_CES ||
            m->kind == MK_COUNT)
            continue;
        if ((rc = fn(ctx, &m->field)) != 0)
            return rc;
    }
    return 0;
}
