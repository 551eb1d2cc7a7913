/* Responses through the API: create one (as a survey submission is),
 * list them with filters and a cursor, export them as CSV or JSON Lines.
 * Which responses a page holds is decided on the column store (fast, in
 * id order); their content comes from the store, in the export layout
 * that `resonans import` reads back. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "report/export.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "store/store.h"

struct pick {
    int64_t *ids;
    size_t n, cap;
};

static int keep_id(void *ctx, int64_t id)
{
    const struct pick *p = ctx;
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->ids[lo] == id;
}

/* Picks the ids of the responses the caller may see that pass the
 * filters, after the cursor, at most limit (0 = all). -1 after
 * answering an error. *more: there are further ones. */
static int pick(struct call *c, struct pick *out, long limit, int *more)
{
    const char *tp = http_arg(c->req, "touchpoint");
    const char *from = http_arg(c->req, "from"), *to = http_arg(c->req, "to");
    const char *after = http_arg(c->req, "after");
    int64_t from_day = INT64_MIN, to_day = INT64_MAX, after_id = 0;
    *more = 0;
    if (from && tstamp_parse_date(&from_day, from, strlen(from)) < 0) {
        srv_error(c, 400, "invalid", "a date YYYY-MM-DD", "from");
        return -1;
    }
    if (to && tstamp_parse_date(&to_day, to, strlen(to)) < 0) {
        srv_error(c, 400, "invalid", "a date YYYY-MM-DD", "to");
        return -1;
    }
    if (after) {
        char *end;
        after_id = strtoll(after, &end, 10);
        if (*end || after_id < 0) {
            srv_error(c, 400, "invalid", "the cursor of the last page",
                      "after");
            return -1;
        }
    }
    if (tp && !srv_sees(c, tp)) {
        srv_error(c, 403, "forbidden", "not one of your touchpoints",
                  "touchpoint");
        return -1;
    }
    struct colstore *cs = resident_lock(c->srv->res);
    struct colstore_columns col;
    colstore_columns(cs, &col);
    int ntp = (int)colstore_card(cs, DIM_TOUCHPOINT);
    char *allowed = xcalloc((size_t)ntp + 1, 1);
    for (int t = 0; t < ntp; t++) {
        const char *key = colstore_label(cs, DIM_TOUCHPOINT, t);
        allowed[t] = srv_sees(c, key) && (!tp || !strcmp(tp, key));
    }
    size_t i = 0;
    if (after_id) { /* ids increase with rows */
        size_t lo = 0, hi = col.n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (col.id[mid] <= after_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        i = lo;
    }
    for (; i < col.n; i++) {
        int64_t day = (int64_t)col.day[i] + col.day_base;
        if (!allowed[col.touchpoint[i]] || day < from_day || day > to_day)
            continue;
        if (limit && (long)out->n == limit) {
            *more = 1;
            break;
        }
        out->ids = xgrow(out->ids, &out->cap, out->n + 1, sizeof *out->ids);
        out->ids[out->n++] = col.id[i];
    }
    resident_unlock(c->srv->res);
    free(allowed);
    return 0;
}

/* GET /api/responses?touchpoint=&from=&to=&after=&limit= */
enum http_verdict h_responses_list(struct call *c)
{
    struct pick p = {0};
    const char *ls = http_arg(c->req, "limit");
    char *end = NULL;
    long limit = ls ? strtol(ls, &end, 10) : 100;
    if (ls && (end == ls || *end))
        limit = 0;
    int more;
    struct store *st;
    struct err err = ERR_INIT;
    if (limit < 1 || limit > 1000)
        return srv_error(c, 400, "invalid", "1..1000", "limit");
    if (pick(c, &p, limit, &more) < 0 || !(st = srv_reader(c))) {
        free(p.ids);
        return HTTP_DONE;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct export_opts o = EXPORT_OPTS_INIT;
    long rows = 0;
    o.format = EXPORT_JSONL;
    o.keep = keep_id;
    o.ctx = &p;
    if (p.n) { /* the page's rows only */
        o.from_id = p.ids[0];
        o.to_id = p.ids[p.n - 1];
    }
    int rc = p.n ? export_responses(st, &o, f, &rows, &err) : 0;
    fclose(f);
    json_t *arr = json_array();
    for (char *line = buf; rc == 0 && line && *line;) {
        char *nl = strchr(line, '\n');
        json_t *v =
            json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, NULL);
        if (v)
            json_array_append_new(arr, v);
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
    json_t *out = json_pack("{s:o, s:I}", "responses", arr, "count",
                            (json_int_t)json_array_size(arr));
    if (more && p.n)
        json_object_set_new(out, "next",
                            json_sprintf("%lld", (long long)p.ids[p.n - 1]));
    else
        json_object_set_new(out, "next", json_null());
    free(p.ids);
    if (rc < 0) {
        json_decref(out);
        return srv_fail(c, &err);
    }
    srv_audit(c, "responses.read", "list", NULL);
    return srv_json(c, 200, out);
}

/* GET /api/responses/export?format=csv|jsonl&touchpoint=&from=&to= */
enum http_verdict h_responses_export(struct call *c)
{
    struct pick p = {0};
    const char *fmt = http_arg(c->req, "format");
    int more;
    struct store *st;
    struct err err = ERR_INIT;
    struct export_opts o = EXPORT_OPTS_INIT;
    long rows = 0;
    if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "jsonl") != 0)
        return srv_error(c, 400, "invalid", "csv or jsonl", "format");
    if (pick(c, &p, 0, &more) < 0 || !(st = srv_reader(c))) {
        free(p.ids);
        return HTTP_DONE;
    }
    o.format = fmt && !strcmp(fmt, "jsonl") ? EXPORT_JSONL : EXPORT_CSV;
    o.keep = keep_id;
    o.ctx = &p;
    if (p.n) {
        o.from_id = p.ids[0];
        o.to_id = p.ids[p.n - 1];
    } else { /* nothing passes: an empty range, the header only */
        o.from_id = o.to_id = -1;
    }
    /* Written to an unnamed file, then sent from it: an export of a
     * million responses is hundreds of MB, which stay on disk. */
    FILE *f = tmpfile();
    if (!f) {
        free(p.ids);
        err_set(&err, ERR_IO, "cannot make a file for the export");
        return srv_fail(c, &err);
    }
    int rc = export_responses(st, &o, f, &rows, &err);
    free(p.ids);
    long len = rc == 0 && fflush(f) == 0 ? ftell(f) : -1;
    int fd = len >= 0 ? dup(fileno(f)) : -1;
    fclose(f);
    if (rc < 0 || fd < 0) {
        if (rc == 0)
            err_set(&err, ERR_IO, "cannot write the export");
        return srv_fail(c, &err);
    }
    srv_audit(c, "responses.export", o.format == EXPORT_CSV ? "csv" : "jsonl",
              NULL);
    http_resp_file(c->resp, 200,
                   o.format == EXPORT_CSV ? "text/csv; charset=utf-8"
                                          : "application/x-ndjson",
                   fd, (size_t)len);
    http_resp_header(c->resp, "Content-Disposition",
                     o.format == EXPORT_CSV
                         ? "attachment; filename=\"responses.csv\""
                         : "attachment; filename=\"responses.jsonl\"");
    return HTTP_DONE;
}
