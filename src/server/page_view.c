/* What the web app's pages share about their view (docs/web.md): the
 * filters of the URL (?from=&to=&where=), the figures of the metrics
 * engine for them on the server's column store, and small pieces of
 * output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "query/prepare.h"
#include "server/pages_int.h"
#include "server/server_int.h"
#include "stats/metrics.h"
#include "store/store.h"

int page_prepare_field(void *ctx, const struct field *f)
{
    struct page_prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, FIELD_RESPONSES, p->err);
}

/* The figures of the view (by `by`, NULL: one cell), at touchpoint tp
 * (NULL: every touchpoint the caller sees). Caller frees *out. */
int page_figures(struct call *c, struct colstore *cs, struct store *s,
                 const struct page_view *v, const char *tp, const char *by,
                 struct metrics_result **out, struct err *err)
{
    struct metrics_query q;
    struct page_prep p = {cs, s, err};
    int rc = 0;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (v->where && *v->where)
        rc = metrics_query_where(&q, v->where, err);
    if (rc == 0 && tp)
        rc = metrics_query_where_values(&q, "touchpoint", &tp, 1, err);
    else if (rc == 0 && c->p->role == ROLE_OWNER)
        rc = metrics_query_where_values(&q, "touchpoint",
                                        (const char *const *)c->p->touchpoints,
                                        (size_t)c->p->n_touchpoints, err);
    if (rc == 0 && by)
        rc = metrics_query_by(&q, by, err);
    metrics_query_days(&q, v->from_day, v->to_day);
    if (rc == 0)
        rc = metrics_query_fields(&q, page_prepare_field, &p);
    if (rc == 0)
        rc = metrics_run(out, cs, &q, err);
    metrics_query_dispose(&q);
    return rc;
}

/* Without a period, as on the overview: from the first of the last
 * TREND_MONTHS months with answers in months (a result by month of what
 * the caller sees), so the list and a touchpoint's page agree. */
void page_default_from(struct page_view *v, size_t keep,
                       const struct metrics_result *months)
{
    if (v->from || !months || !months->n_cells)
        return;
    size_t first = months->n_cells > keep ? months->n_cells - keep : 0;
    char label[16];
    snprintf(label, sizeof label, "%.7s-01", months->cells[first].label[0]);
    tstamp_parse_date(&v->from_day, label, strlen(label));
}

int page_fig(const struct metrics_result *r, const char *key)
{
    for (size_t i = 0; r && i < r->n_figs; i++)
        if (!strcmp(r->figs[i].key, key))
            return (int)i;
    return -1;
}

/* A day "YYYY-MM-DD" of the URL; -1 after answering. */
int page_day_arg(struct call *c, const char *v, int64_t *day, int64_t none)
{
    *day = none;
    if (!v || !*v)
        return 0;
    if (tstamp_parse_date(day, v, strlen(v)) < 0) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID, "%s: not a date (YYYY-MM-DD)", v);
        page_fail(c, &err);
        return -1;
    }
    return 0;
}

/* The view from the URL; -1 after answering. *csv: ?format=csv. */
int page_view_args(struct call *c, struct page_view *v, int *csv)
{
    const char *fmt = http_arg(c->req, "format");
    v->from = http_arg(c->req, "from");
    v->to = http_arg(c->req, "to");
    v->where = http_arg(c->req, "where");
    *csv = fmt && !strcmp(fmt, "csv");
    if (fmt && *fmt && !*csv && strcmp(fmt, "html") != 0) {
        struct err err = ERR_INIT;
        err_set(&err, ERR_INVALID, "format: csv or html, got \"%s\"", fmt);
        page_fail(c, &err);
        return -1;
    }
    if (page_day_arg(c, v->from, &v->from_day, METRICS_DAY_MIN) < 0 ||
        page_day_arg(c, v->to, &v->to_day, METRICS_DAY_MAX) < 0)
        return -1;
    return 0;
}

void page_text(struct strbuf *b, const char *s)
{
    escape_xml(b, s ? s : "", s ? strlen(s) : 0);
}
