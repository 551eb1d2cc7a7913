#include "report/export.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "store/store.h"

/* The answer columns present in the data, found in a first pass. */
struct answer_col {
    char *question;
    enum answer_kind kind;
    double max; /* ratings: the scale of the first one seen */
};

struct export_ctx {
    const struct export_opts *o;
    FILE *out;
    struct answer_col *cols;
    size_t n_cols, cap_cols;
    /* attr:NAME columns: the union of the responses' attribute names in
     * first-seen order. The importer keeps names unique ignoring case, so
     * names that differ only in case share the first one's column. */
    char **attrs;
    size_t n_attrs, cap_attrs;
    struct strbuf line;
    long rows;
    char sep;
    char **extra_keys; /* [o->n_extra]: extra_names, unless they collide */
};

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* A response's attributes (JSON object text), or NULL when there are none
 * or they cannot be read. Caller releases with json_decref. */
static json_t *attrs_of(const struct response *r)
{
    json_error_t je;
    json_t *o;
    if (!r->attrs)
        return NULL;
    o = json_loads(r->attrs, 0, &je);
    if (o && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

/* The value stored under name (matched ignoring case), or NULL. */
static json_t *attr_get(json_t *attrs, const char *name)
{
    const char *k;
    json_t *v;
    json_object_foreach(attrs, k, v)
    {
        if (same_name(k, name))
            return v;
    }
    return NULL;
}

/* A number as the importer reads it back: integers exactly, reals in the
 * fewest digits that give the same double (12.5, not 12.50000000000000). */
static void number_text(char *buf, size_t n, const json_t *v)
{
    if (json_is_integer(v)) {
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    double d = json_number_value(v);
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
}

static int kept(const struct export_ctx *c, const struct response *r)
{
    return !c->o->keep || c->o->keep(c->o->ctx, r->id);
}

static int collect_cols(void *ctx_, const struct response *r)
{
    struct export_ctx *c = ctx_;
    if (!kept(c, r))
        return 0;
    json_t *attrs = attrs_of(r);
    const char *k;
    json_t *v;
    json_object_foreach(attrs, k, v)
    {
        size_t j;
        for (j = 0; j < c->n_attrs && !same_name(c->attrs[j], k); j++)
            ;
        if (j == c->n_attrs) {
            c->attrs = xgrow(c->attrs, &c->cap_attrs, c->n_attrs + 1,
                             sizeof *c->attrs);
            c->attrs[c->n_attrs++] = xstrdup(k);
        }
    }
    json_decref(attrs);
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        size_t j;
        for (j = 0; j < c->n_cols; j++)
            if (!strcmp(c->cols[j].question, a->question) &&
                c->cols[j].kind == a->kind)
                break;
        if (j == c->n_cols) {
            c->cols =
                xgrow(c->cols, &c->cap_cols, c->n_cols + 1, sizeof *c->cols);
            c->cols[c->n_cols].question = xstrdup(a->question);
            c->cols[c->n_cols].kind = a->kind;
            c->cols[c->n_cols].max = a->v2;
            c->n_cols++;
        }
    }
    return 0;
}

/* Header names for an answer column: one or two CSV columns. */
static int col_headers(const struct answer_col *ac, char h[2][160])
{
    const char *q = ac->question;
    h[1][0] = 0;
    switch (ac->kind) {
    case ANSWER_TEXT:
        if (!strcmp(q, "comment"))
            snprintf(h[0], 160, "comment");
        else
            snprintf(h[0], 160, "text:%s", q);
        return 1;
    case ANSWER_RATING:
        /* the scale goes with the name, so the import reads it back */
        if (ac->max > 0 && ac->max != 10)
            snprintf(h[0], 160, "rating:%s@%g", q, ac->max);
        else
            snprintf(h[0], 160, "rating:%s", q);
        return 1;
    case ANSWER_CHOICE:
        snprintf(h[0], 160, "choice:%s", q);
        return 1;
    case ANSWER_TRIAD:
        snprintf(h[0], 160, "triad:%s", q);
        return 1;
    case ANSWER_DYAD:
        snprintf(h[0], 160, "dyad:%s", q);
        return 1;
    case ANSWER_GAP:
        snprintf(h[0], 160, "expect:%s", q);
        snprintf(h[1], 160, "perceive:%s", q);
        return 2;
    case ANSWER_STORY:
        snprintf(h[0], 160, "story_title:%s", q);
        snprintf(h[1], 160, "story:%s", q);
        return 2;
    }
    return 0;
}

/* A text cell: never a formula, so an id, a comment or a value that
 * begins with = + - @ TAB or CR arrives in a spreadsheet as text
 * (core/escape.h). flags: ESCAPE_CSV_NUMBER for a field's value that
 * may be a number (an extra column). */
static void csv_cell(struct export_ctx *c, const char *s, unsigned flags)
{
    if (!s)
        s = "";
    escape_csv(&c->line, s, strlen(s), c->sep, flags);
}

static void csv_field(struct export_ctx *c, const char *s)
{
    csv_cell(c, s, 0);
}

static void csv_num(struct export_ctx *c, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.10g", v);
    if (c->o->excel) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = ',';
    }
    strbuf_puts(&c->line, buf);
}

static void csv_sep(struct export_ctx *c)
{
    strbuf_putc(&c->line, c->sep);
}

static const struct answer *find_answer(const struct response *r,
                                        const struct answer_col *ac)
{
    for (int i = 0; i < r->n_answers; i++)
        if (r->answers[i].kind == ac->kind &&
            !strcmp(r->answers[i].question, ac->question))
            return &r->answers[i];
    return NULL;
}

static void csv_answer(struct export_ctx *c, const struct answer_col *ac,
                       const struct answer *a)
{
    if (!a) {
        if (ac->kind == ANSWER_GAP || ac->kind == ANSWER_STORY)
            csv_sep(c);
        return;
    }
    switch (a->kind) {
    case ANSWER_TEXT:
    case ANSWER_CHOICE:
        csv_field(c, a->text);
        break;
    case ANSWER_RATING:
    case ANSWER_DYAD:
        csv_num(c, a->v1);
        break;
    case ANSWER_TRIAD:
        csv_num(c, a->v1);
        strbuf_putc(&c->line, '|');
        csv_num(c, a->v2);
        strbuf_putc(&c->line, '|');
        csv_num(c, a->v3);
        break;
    case ANSWER_GAP:
        csv_num(c, a->v1);
        csv_sep(c);
        csv_num(c, a->v2);
        break;
    case ANSWER_STORY:
        csv_field(c, a->title);
        csv_sep(c);
        csv_field(c, a->text);
        break;
    }
}

static void csv_score(struct export_ctx *c, int v)
{
    if (v >= 0)
        strbuf_printf(&c->line, "%d", v);
}

static int flush_line(struct export_ctx *c)
{
    strbuf_puts(&c->line, c->o->excel ? "\r\n" : "\n");
    size_t n = fwrite(c->line.p, 1, c->line.n, c->out);
    int ok = n == c->line.n;
    strbuf_reset(&c->line);
    return ok ? 0 : ERR_IO;
}

static int write_csv_row(void *ctx_, const struct response *r)
{
    struct export_ctx *c = ctx_;
    char ts[40];
    if (!kept(c, r))
        return 0;
    tstamp_format(ts, sizeof ts, r->ts, r->tz_min);
    csv_field(c, r->ext_id);
    csv_sep(c);
    csv_field(c, ts);
    csv_sep(c);
    csv_field(c, r->touchpoint);
    csv_sep(c);
    csv_field(c, r->channel);
    csv_sep(c);
    csv_field(c, r->customer);
    csv_sep(c);
    csv_field(c, r->employee);
    csv_sep(c);
    csv_field(c, r->kind == RESPONDENT_EMPLOYEE ? "employee" : "customer");
    csv_sep(c);
    csv_field(c, r->language);
    csv_sep(c);
    csv_score(c, r->nps);
    csv_sep(c);
    csv_score(c, r->csat);
    csv_sep(c);
    csv_score(c, r->ces);
    for (size_t i = 0; i < c->n_cols; i++) {
        csv_sep(c);
        csv_answer(c, &c->cols[i], find_answer(r, &c->cols[i]));
    }
    json_t *attrs = c->n_attrs ? attrs_of(r) : NULL;
    for (size_t i = 0; i < c->n_attrs; i++) {
        json_t *v = attrs ? attr_get(attrs, c->attrs[i]) : NULL;
        char num[64];
        csv_sep(c);
        if (json_is_string(v)) {
            csv_field(c, json_string_value(v));
        } else if (json_is_number(v)) {
            number_text(num, sizeof num, v);
            if (c->o->excel && strchr(num, '.'))
                *strchr(num, '.') = ',';
            strbuf_puts(&c->line, num);
        } else if (v && !json_is_null(v)) {
            char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            csv_field(c, s);
            free(s);
        }
    }
    json_decref(attrs);
    for (size_t i = 0; i < c->o->n_extra; i++) {
        const char *v = c->o->extra(c->o->ctx, r->id, i);
        csv_sep(c);
        if (v)
            csv_cell(c, v, ESCAPE_CSV_NUMBER);
    }
    c->rows++;
    return flush_line(c);
}

/* Appends the response's attributes to a JSON object text in c->line
 * ("{...}" without its closing brace yet) as "attr:NAME" fields. Done by
 * hand rather than through jansson so that numbers keep their shortest
 * form. */
static void jsonl_attrs(struct export_ctx *c, const struct response *r)
{
    json_t *attrs = attrs_of(r);
    const char *k;
    json_t *v;
    struct strbuf name = STRBUF_INIT;
    json_object_foreach(attrs, k, v)
    {
        char num[64];
        strbuf_reset(&name);
        strbuf_puts(&name, "attr:");
        strbuf_puts(&name, k);
        strbuf_putc(&c->line, ',');
        strbuf_json_string(&c->line, name.p, name.n);
        strbuf_putc(&c->line, ':');
        if (json_is_string(v)) {
            strbuf_json_string(&c->line, json_string_value(v),
                               json_string_length(v));
        } else if (json_is_number(v)) {
            number_text(num, sizeof num, v);
            strbuf_puts(&c->line, num);
        } else {
            char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            strbuf_puts(&c->line, s ? s : "null");
            free(s);
        }
    }
    strbuf_dispose(&name);
    json_decref(attrs);
}

static void json_set_str(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

static int write_jsonl_row(void *ctx_, const struct response *r)
{
    struct export_ctx *c = ctx_;
    char ts[40], key[200];
    if (!kept(c, r))
        return 0;
    json_t *o = json_object();
    tstamp_format(ts, sizeof ts, r->ts, r->tz_min);
    json_set_str(o, "id", r->ext_id);
    json_set_str(o, "submitted_at", ts);
    json_set_str(o, "touchpoint", r->touchpoint);
    json_set_str(o, "channel", r->channel);
    json_set_str(o, "customer", r->customer);
    json_set_str(o, "employee", r->employee);
    json_set_str(o, "respondent",
                 r->kind == RESPONDENT_EMPLOYEE ? "employee" : "customer");
    json_set_str(o, "language", r->language);
    if (r->nps >= 0)
        json_object_set_new(o, "nps", json_integer(r->nps));
    if (r->csat >= 0)
        json_object_set_new(o, "csat", json_integer(r->csat));
    if (r->ces >= 0)
        json_object_set_new(o, "ces", json_integer(r->ces));
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        struct answer_col ac = {(char *)a->question, a->kind, a->v2};
        char h[2][160];
        col_headers(&ac, h);
        switch (a->kind) {
        case ANSWER_TEXT:
        case ANSWER_CHOICE:
            json_set_str(o, h[0], a->text);
            break;
        case ANSWER_RATING:
        case ANSWER_DYAD:
            json_object_set_new(o, h[0], json_real(a->v1));
            break;
        case ANSWER_TRIAD:
            snprintf(key, sizeof key, "%.10g|%.10g|%.10g", a->v1, a->v2, a->v3);
            json_set_str(o, h[0], key);
            break;
        case ANSWER_GAP:
            json_object_set_new(o, h[0], json_real(a->v1));
            json_object_set_new(o, h[1], json_real(a->v2));
            break;
        case ANSWER_STORY:
            json_set_str(o, h[0], a->title);
            json_set_str(o, h[1], a->text);
            break;
        }
    }
    for (size_t i = 0; i < c->o->n_extra; i++)
        json_set_str(o, c->extra_keys[i], c->o->extra(c->o->ctx, r->id, i));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return ERR_INTERNAL;
    strbuf_puts(&c->line, s);
    free(s);
    if (r->attrs && c->line.n > 1 && c->line.p[c->line.n - 1] == '}') {
        c->line.n--; /* reopen the object */
        jsonl_attrs(c, r);
        strbuf_putc(&c->line, '}');
    }
    c->rows++;
    return flush_line(c);
}

/* The import columns' names an extra column must not take. */
static const char *const fixed[] = {"id",         "submitted_at", "touchpoint",
                                    "channel",    "customer",     "employee",
                                    "respondent", "language",     "nps",
                                    "csat",       "ces",          "comment"};

/* An extra column's key: its field's name, or by:NAME when that is also
 * an import column (a fixed one, or an answer or attribute: a ':' before
 * any '.'), so a file never has two columns of one name. */
static char *extra_key(const char *name)
{
    int clash = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed && !clash; i++)
        clash = !strcmp(name, fixed[i]);
    const char *colon = strchr(name, ':'), *dot = strchr(name, '.');
    clash |= colon && (!dot || colon < dot);
    struct strbuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s%s", clash ? "by:" : "", name);
    return strbuf_detach(&b, NULL);
}

/* The responses o asks for: all, or an id range. */
static int scan(struct store *s, const struct export_opts *o,
                store_response_cb cb, void *ctx, struct err *err)
{
    if (!o->from_id && !o->to_id)
        return store_scan_responses(s, cb, ctx, err);
    return store_scan_responses_range(
        s, o->from_id, o->to_id ? o->to_id : INT64_MAX, cb, ctx, err);
}

int export_responses(struct store *s, const struct export_opts *o, FILE *out,
                     long *rows, struct err *err)
{
    struct export_ctx c;
    int rc = 0;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.out = out;
    c.sep = o->excel ? ';' : ',';
    strbuf_init(&c.line, 0);
    c.extra_keys = xcalloc(o->n_extra ? o->n_extra : 1, sizeof *c.extra_keys);
    for (size_t i = 0; i < o->n_extra; i++)
        c.extra_keys[i] = extra_key(o->extra_names[i]);
    if (o->format == EXPORT_CSV) {
        /* "comment" comes with the answers */
        if ((rc = scan(s, o, collect_cols, &c, err)) < 0)
            goto done;
        if (o->excel)
            strbuf_puts(&c.line, "\xEF\xBB\xBF");
        for (size_t i = 0; i + 1 < sizeof fixed / sizeof *fixed; i++) {
            if (i)
                csv_sep(&c);
            strbuf_puts(&c.line, fixed[i]);
        }
        for (size_t i = 0; i < c.n_cols; i++) {
            char h[2][160];
            int k = col_headers(&c.cols[i], h);
            for (int j = 0; j < k; j++) {
                csv_sep(&c);
                csv_field(&c, h[j]);
            }
        }
        struct strbuf h = STRBUF_INIT;
        for (size_t i = 0; i < c.n_attrs; i++) {
            strbuf_reset(&h);
            strbuf_printf(&h, "attr:%s", c.attrs[i]);
            csv_sep(&c);
            csv_field(&c, strbuf_str(&h));
        }
        strbuf_dispose(&h);
        for (size_t i = 0; i < o->n_extra; i++) {
            csv_sep(&c);
            csv_field(&c, c.extra_keys[i]);
        }
        if ((rc = flush_line(&c)) < 0)
            goto io;
        rc = scan(s, o, write_csv_row, &c, err);
    } else {
        rc = scan(s, o, write_jsonl_row, &c, err);
    }
io:
    if (rc == ERR_IO || (rc == 0 && fflush(out) != 0))
        rc = err_set(err, ERR_IO, "writing the export failed");
    else if (rc > 0 || (rc < 0 && err->code == 0))
        rc = err_set(err, ERR_INTERNAL, "export stopped (%d)", rc);
done:
    *rows = c.rows;
    for (size_t i = 0; i < c.n_cols; i++)
        free(c.cols[i].question);
    free(c.cols);
    for (size_t i = 0; i < c.n_attrs; i++)
        free(c.attrs[i]);
    free(c.attrs);
    for (size_t i = 0; i < o->n_extra; i++)
        free(c.extra_keys[i]);
    free(c.extra_keys);
    strbuf_dispose(&c.line);
    return rc;
}
