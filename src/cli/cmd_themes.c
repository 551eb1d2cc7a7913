/* resonans themes: theme volumes and negative shares, emerging issues,
 * discovery of themes the taxonomy lacks, and the organisation's own
 * taxonomy (load, show, reset). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/metrics_cli.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "stats/emerging.h"
#include "store/store.h"
#include "text/discovery.h"
#include "text/sentiment.h"
#include "text/themes.h"

/* ---- a small table printer: columns sized to their widest cell ---- */

struct table {
    int cols;
    char **cell; /* rows * cols, owned */
    size_t rows, cap;
    unsigned right; /* bit c: column c is right-aligned */
};

/* Appends a row (copied); cells past n are empty. */
static void table_add(struct table *t, const char *const *cells, size_t n)
{
    t->cell = xgrow(t->cell, &t->cap, (t->rows + 1) * (size_t)t->cols,
                    sizeof *t->cell);
    for (size_t c = 0; c < (size_t)t->cols; c++)
        t->cell[t->rows * (size_t)t->cols + c] =
            xstrdup(c < n && cells[c] ? cells[c] : "");
    t->rows++;
}

#define table_row(t, ...)                                                      \
    table_add((t), (const char *const[]){__VA_ARGS__},                         \
              sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Prints the table (first row is the header), or as CSV. */
static void table_print(struct table *t, FILE *f, int csv)
{
    size_t w[16] = {0};
    for (size_t r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols && c < 16; c++) {
            size_t x = width(t->cell[r * (size_t)t->cols + (size_t)c]);
            if (x > w[c])
                w[c] = x;
        }
    for (size_t r = 0; r < t->rows; r++) {
        for (int c = 0; c < t->cols; c++) {
            const char *s = t->cell[r * (size_t)t->cols + (size_t)c];
            if (csv) {
                int q = strpbrk(s, ",\"\n") != NULL;
                if (c)
                    fputc(',', f);
                if (q) {
                    fputc('"', f);
                    for (const char *p = s; *p; p++) {
                        if (*p == '"')
                            fputc('"', f);
                        fputc(*p, f);
                    }
                    fputc('"', f);
                } else {
                    fputs(s, f);
                }
                continue;
            }
            size_t pad = w[c] - width(s);
            int right = (t->right >> c) & 1;
            if (c)
                fputs("  ", f);
            if (right)
                fprintf(f, "%*s", (int)pad, "");
            fputs(s, f);
            if (!right && c + 1 < t->cols)
                fprintf(f, "%*s", (int)pad, "");
        }
        fputc('\n', f);
    }
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->rows * (size_t)t->cols; i++)
        free(t->cell[i]);
    free(t->cell);
}

/* ---- the taxonomy in force: built-in plus the saved one ---- */

static int load_taxonomy(struct app *app, struct themes **out, int *saved)
{
    struct store *s = cli_store(app);
    struct err err = ERR_INIT;
    char *name = NULL, *src = NULL;
    size_t n = 0;
    int replaces = 0, rc;
    *out = NULL;
    *saved = 0;
    if (!s)
        return EXIT_FAIL;
    rc = store_get_taxonomy(s, &name, &src, &n, &replaces, &err);
    if (rc == ERR_NOTFOUND) {
        err_clear(&err);
        rc = themes_build(out, NULL, 0, NULL, 0, &err);
    } else if (rc == 0) {
        *saved = replaces ? 2 : 1;
        rc = themes_build(out, src, n, name, replaces, &err);
    }
    free(name);
    free(src);
    return rc < 0 ? cli_error(app, &err) : 0;
}

static const char *label_of(const struct themes *tx, const char *key)
{
    int i = themes_find(tx, key, strlen(key));
    return i < 0 ? key : themes_label(tx, (size_t)i, LANG_SV);
}

/* ---- themes load | show | reset ---- */

static int read_file(const char *path, struct strbuf *b, struct err *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t got;
    int rc = 0;
    if (!f)
        return err_set(err, ERR_IO, "%s: cannot open", path);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (strbuf_add(b, chunk, got) < 0) {
            rc = err_set(err, ERR_INVALID, "%s: too large (at most %u bytes)",
                         path, (unsigned)THEMES_MAX_INPUT);
            break;
        }
    if (!rc && ferror(f))
        rc = err_set(err, ERR_IO, "%s: cannot read", path);
    fclose(f);
    return rc;
}

static int themes_load_cmd(struct app *app, int argc, char **argv)
{
    const char *file = NULL;
    int replace = 0, rc = EXIT_OK;
    struct strbuf b;
    struct err err = ERR_INIT;
    struct themes *tx = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--replace"))
            replace = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(app, "themes", "unknown option '%s'",
                                   argv[i]);
        else if (!file)
            file = argv[i];
        else
            return cli_usage_error(app, "themes", "unexpected argument '%s'",
                                   argv[i]);
    }
    if (!file)
        return cli_usage_error(app, "themes", "load needs a FILE");
    strbuf_init(&b, THEMES_MAX_INPUT + 1);
    struct store *s = cli_store(app);
    if (!s) {
        rc = EXIT_FAIL;
        goto done;
    }
    if (read_file(file, &b, &err) < 0 ||
        themes_build(&tx, b.p ? b.p : "", b.n, file, replace, &err) < 0 ||
        store_put_taxonomy(s, file, b.p ? b.p : "", b.n, replace, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    fprintf(app->out,
            "%s: taxonomy saved, %zu themes and %zu terms in force (%s the "
            "built-in one); comments imported from now on use it\n",
            file, themes_count(tx), themes_term_count(tx),
            replace ? "replacing" : "extending");
done:
    themes_free(tx);
    strbuf_dispose(&b);
    return rc;
}

static int themes_show_cmd(struct app *app, int argc, char **argv)
{
    struct themes *tx = NULL;
    int saved, rc, json = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json") ||
            (!strcmp(argv[i], "--format") && i + 1 < argc &&
             !strcmp(argv[++i], "json")))
            json = 1;
        else if (strcmp(argv[i], "--format=table") != 0 &&
                 strcmp(argv[i], "table") != 0)
            return cli_usage_error(app, "themes",
                                   "show takes --format "
                                   "table|json, got '%s'",
                                   argv[i]);
    }
    if ((rc = load_taxonomy(app, &tx, &saved)) != 0)
        return rc;
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < themes_count(tx); i++) {
            json_t *o = json_object();
            int p = themes_parent(tx, i);
            json_object_set_new(o, "key", json_string(themes_key(tx, i)));
            json_object_set_new(o, "label_sv",
                                json_string(themes_label(tx, i, LANG_SV)));
            json_object_set_new(o, "label_en",
                                json_string(themes_label(tx, i, LANG_EN)));
            json_object_set_new(o, "parent",
                                p < 0 ? json_null()
                                      : json_string(themes_key(tx, (size_t)p)));
            json_array_append_new(a, o);
        }
        char *s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fprintf(app->out, "%s\n", s ? s : "[]");
        free(s);
        json_decref(a);
    } else {
        struct table t = {3, NULL, 0, 0, 0};
        table_row(&t, "theme", "label (sv)", "label (en)");
        for (size_t i = 0; i < themes_count(tx); i++)
            table_row(&t, themes_key(tx, i), themes_label(tx, i, LANG_SV),
                      themes_label(tx, i, LANG_EN));
        table_print(&t, app->out, 0);
        table_free(&t);
        fprintf(app->out, "%zu themes, %zu terms: %s\n", themes_count(tx),
                themes_term_count(tx),
                saved == 2   ? "the saved taxonomy (replacing the built-in one)"
                : saved == 1 ? "built-in plus the saved taxonomy"
                             : "built-in");
    }
    themes_free(tx);
    return EXIT_OK;
}

static int themes_reset_cmd(struct app *app)
{
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (store_put_taxonomy(s, NULL, NULL, 0, 0, &err) < 0)
        return cli_error(app, &err);
    fputs("the built-in taxonomy is in force again\n", app->out);
    return EXIT_OK;
}

/* ---- discovery ---- */

struct disc_ctx {
    struct discovery *d;
    struct err *err;
};

static int disc_add(void *ctx, const struct response *r, const struct answer *a)
{
    struct disc_ctx *c = ctx;
    enum lang l = LANG_OTHER;
    (void)r;
    if (!a->text || lang_parse(&l, a->analysis->language) < 0)
        return 0;
    struct err e = ERR_INIT;
    (void)discovery_add(c->d, a->text, strlen(a->text), l, &e);
    return 0;
}

struct tp_find {
    const char *key;
    int64_t id;
};

static int find_touchpoint(void *ctx, const struct journey *j,
                           const struct stage *st, const struct touchpoint *t)
{
    struct tp_find *f = ctx;
    (void)j;
    (void)st;
    if (strcmp(t->key, f->key) != 0)
        return 0;
    f->id = t->id;
    return 1;
}

/* The touchpoint id of a key, or EXIT_NOTFOUND after saying so. Shared
 * with cmd_verbatims.c through cmd.h. */
int cli_touchpoint_id(struct app *app, const char *cmd, const char *key,
                      int64_t *id)
{
    struct tp_find f = {key, 0};
    struct err err = ERR_INIT;
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (store_list_touchpoints(s, find_touchpoint, &f, &err) < 0)
        return cli_error(app, &err);
    if (!f.id) {
        fprintf(app->err, "resonans %s: no touchpoint \"%s\"\n", cmd, key);
        return EXIT_NOTFOUND;
    }
    *id = f.id;
    return 0;
}

static int discover(struct app *app, const char *touchpoint, int64_t from,
                    int64_t to, int max_themes, int min_docs, int json)
{
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct discovery_opts o = DISCOVERY_OPTS_INIT;
    struct discovery_result *res = NULL;
    struct discovery *d = NULL;
    struct sentiment *se = NULL;
    struct err err = ERR_INIT;
    int rc = EXIT_OK;
    struct store *s = cli_store(app);
    if (!s)
        return EXIT_FAIL;
    if (touchpoint && (rc = cli_touchpoint_id(app, "themes", touchpoint,
                                              &f.touchpoint_id)) != 0)
        return rc;
    f.unthemed = 1;
    f.from_day = from;
    f.to_day = to;
    o.max_themes = max_themes;
    o.min_docs = min_docs;
    struct disc_ctx c = {NULL, &err};
    if (sentiment_new(&se, &err) < 0 || discovery_new(&d, se, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    c.d = d;
    if (store_scan_comments(s, &f, disc_add, &c, &err) < 0 ||
        discovery_run(&res, d, &o, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (json) {
        json_t *root = json_object(), *arr = json_array();
        json_object_set_new(root, "comments_without_theme",
                            json_integer(res->comments));
        for (size_t i = 0; i < res->n; i++) {
            const struct discovery_theme *t = &res->v[i];
            json_t *o2 = json_object(), *ph = json_array(), *ex = json_array();
            json_object_set_new(o2, "key", json_string(t->key));
            json_object_set_new(o2, "label", json_string(t->label));
            json_object_set_new(o2, "lang", json_string(lang_code(t->lang)));
            json_object_set_new(o2, "comments", json_integer(t->docs));
            for (size_t k = 0; k < t->n_phrases; k++) {
                json_t *p = json_object();
                json_object_set_new(p, "phrase",
                                    json_string(t->phrases[k].text));
                json_object_set_new(p, "comments",
                                    json_integer(t->phrases[k].docs));
                json_object_set_new(p, "g2", json_real(t->phrases[k].g2));
                json_array_append_new(ph, p);
            }
            for (size_t k = 0; k < t->n_examples; k++)
                json_array_append_new(ex, json_string(t->examples[k]));
            json_object_set_new(o2, "phrases", ph);
            json_object_set_new(o2, "examples", ex);
            json_object_set_new(o2, "taxonomy_line", json_string(t->tsv));
            json_array_append_new(arr, o2);
        }
        json_object_set_new(root, "candidates", arr);
        char *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(4));
        fprintf(app->out, "%s\n", out ? out : "{}");
        free(out);
        json_decref(root);
        goto done;
    }
    fprintf(app->out,
            "%lld comments matched no theme; %zu candidate themes "
            "(phrases in at least %d of them):\n",
            (long long)res->comments, res->n, min_docs);
    for (size_t i = 0; i < res->n; i++) {
        const struct discovery_theme *t = &res->v[i];
        fprintf(app->out, "\n%zu. %s (%s) - %lld comments, %.1f%%\n", i + 1,
                t->label, lang_code(t->lang), (long long)t->docs,
                res->comments ? 100.0 * (double)t->docs / (double)res->comments
                              : 0);
        fputs("   phrases:", app->out);
        for (size_t k = 0; k < t->n_phrases; k++)
            fprintf(app->out, "%s \"%s\" (%lld)", k ? "," : "",
                    t->phrases[k].text, (long long)t->phrases[k].docs);
        fputc('\n', app->out);
        for (size_t k = 0; k < t->n_examples; k++) {
            fputs("   > ", app->out);
            for (const char *p = t->examples[k]; *p; p++)
                fputc(*p == '\n' || *p == '\r' ? ' ' : *p, app->out);
            fputc('\n', app->out);
        }
        fprintf(app->out, "   taxonomy: %s\n", t->tsv);
    }
    if (res->n)
        fputs("\nAdd the lines you want to a taxonomy file and load it with "
              "'resonans themes load FILE'.\n",
              app->out);
done:
    discovery_result_free(res);
    discovery_free(d);
    sentiment_free(se);
    return rc;
}

/* ---- volumes and emerging issues ---- */

static int period_dim(const char *s, enum colstore_dim *d)
{
    if (colstore_dim_parse(d, s, strlen(s)) < 0 || !colstore_dim_is_period(*d))
        return -1;
    return 0;
}

static void fmt_pct(char *buf, size_t n, int64_t k, int64_t of, int min_n)
{
    if (!of)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.1f%s", 100.0 * (double)k / (double)of,
                 of < min_n ? "*" : "");
}

struct order {
    size_t theme;
    int64_t total;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return x->theme < y->theme ? -1 : x->theme > y->theme;
}

static void volumes(struct app *app, const struct colstore *cs,
                    const struct themes *tx, const struct emerging_series *s,
                    int min_n, enum metrics_report_format fmt)
{
    size_t nt = s->n_themes, np = s->n_periods;
    struct order *ord = xcalloc(nt ? nt : 1, sizeof *ord);
    int64_t all = 0;
    for (size_t t = 0; t < np; t++)
        all += s->comments[t];
    for (size_t j = 0; j < nt; j++) {
        ord[j].theme = j;
        for (size_t t = 0; t < np; t++)
            ord[j].total += s->mentions[j * np + t];
    }
    qsort(ord, nt, sizeof *ord, order_cmp);
    int by = s->period != DIM_COUNT;
    if (fmt == METRICS_REPORT_JSON) {
        json_t *root = json_object(), *arr = json_array();
        json_object_set_new(root, "comments", json_integer(all));
        json_object_set_new(root, "period",
                            by ? json_string(colstore_dim_name(s->period))
                               : json_null());
        for (size_t o = 0; o < nt && ord[o].total; o++) {
            size_t j = ord[o].theme;
            const char *key = colstore_label(cs, DIM_THEME, (int)j);
            for (size_t t = 0; t < np; t++) {
                size_t c = j * np + t;
                if (!s->mentions[c] && !by)
                    continue;
                json_t *x = json_object();
                if (by)
                    json_object_set_new(x, colstore_dim_name(s->period),
                                        json_string(s->period_label[t]));
                json_object_set_new(x, "theme", json_string(key));
                json_object_set_new(x, "label", json_string(label_of(tx, key)));
                json_object_set_new(x, "mentions",
                                    json_integer(s->mentions[c]));
                json_object_set_new(x, "comments",
                                    json_integer(s->comments[t]));
                json_object_set_new(x, "share",
                                    s->comments[t]
                                        ? json_real((double)s->mentions[c] /
                                                    (double)s->comments[t])
                                        : json_null());
                json_object_set_new(x, "negative_share",
                                    s->mentions[c]
                                        ? json_real((double)s->negative[c] /
                                                    (double)s->mentions[c])
                                        : json_null());
                json_object_set_new(x, "low_n",
                                    json_boolean(s->comments[t] < min_n));
                json_array_append_new(arr, x);
            }
        }
        json_object_set_new(root, "themes", arr);
        char *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(6));
        fprintf(app->out, "%s\n", out ? out : "{}");
        free(out);
        json_decref(root);
        free(ord);
        return;
    }
    struct table tb = {by ? 8 : 7, NULL, 0, 0, 0};
    char b[6][32];
    if (by) {
        tb.right = 0xF8; /* columns 3.. */
        table_row(&tb, colstore_dim_name(s->period), "theme", "label",
                  "mentions", "comments", "share %", "negative %",
                  "positive %");
    } else {
        tb.right = 0x7C;
        table_row(&tb, "theme", "label", "mentions", "comments", "share %",
                  "negative %", "positive %");
    }
    /* themes never mentioned (or filtered out) are left out */
    for (size_t o = 0; o < nt && ord[o].total; o++) {
        size_t j = ord[o].theme;
        const char *key = colstore_label(cs, DIM_THEME, (int)j);
        for (size_t t = 0; t < np; t++) {
            size_t c = j * np + t;
            if (!by && !s->mentions[c])
                continue;
            snprintf(b[0], sizeof b[0], "%lld", (long long)s->mentions[c]);
            snprintf(b[1], sizeof b[1], "%lld", (long long)s->comments[t]);
            fmt_pct(b[2], sizeof b[2], s->mentions[c], s->comments[t], min_n);
            fmt_pct(b[3], sizeof b[3], s->negative[c], s->mentions[c], min_n);
            fmt_pct(b[4], sizeof b[4], s->positive[c], s->mentions[c], min_n);
            if (by)
                table_row(&tb, s->period_label[t], key, label_of(tx, key), b[0],
                          b[1], b[2], b[3], b[4]);
            else
                table_row(&tb, key, label_of(tx, key), b[0], b[1], b[2], b[3],
                          b[4]);
        }
    }
    table_print(&tb, app->out, fmt == METRICS_REPORT_CSV);
    table_free(&tb);
    if (fmt == METRICS_REPORT_TABLE)
        fprintf(app->out,
                "%lld analysed comments. share = comments mentioning the "
                "theme; negative/positive = of its mentions; '*' = n under "
                "%d. A comment may mention several themes; a sub-theme also "
                "counts for its parent.\n",
                (long long)all, min_n);
    free(ord);
}

static void emerging_report(struct app *app, const struct colstore *cs,
                            const struct themes *tx,
                            const struct emerging_series *s,
                            const struct emerging_opts *o,
                            enum metrics_report_format fmt)
{
    size_t nt = s->n_themes, np = s->n_periods;
    struct emerging_test *e = xcalloc(nt * np + 1, sizeof *e);
    size_t flags = emerging_run(e, s->mentions, s->comments, nt, np, o);
    json_t *arr = fmt == METRICS_REPORT_JSON ? json_array() : NULL;
    struct table tb = {12, NULL, 0, 0, 0xFF8};
    table_row(&tb, colstore_dim_name(s->period), "theme", "label", "mentions",
              "comments", "share %", "baseline %", "periods", "dispersion", "T",
              "p", "p (Holm)");
    for (size_t t = 0; t < np; t++)
        for (size_t j = 0; j < nt; j++) {
            const struct emerging_test *x = &e[j * np + t];
            if (!x->flagged)
                continue;
            const char *key = colstore_label(cs, DIM_THEME, (int)j);
            if (arr) {
                json_t *r = json_object();
                json_object_set_new(r, colstore_dim_name(s->period),
                                    json_string(s->period_label[t]));
                json_object_set_new(r, "theme", json_string(key));
                json_object_set_new(r, "label", json_string(label_of(tx, key)));
                json_object_set_new(r, "mentions", json_integer(x->count));
                json_object_set_new(r, "comments", json_integer(x->n));
                json_object_set_new(r, "share", json_real(x->share));
                json_object_set_new(r, "baseline_share",
                                    json_real(x->base_share));
                json_object_set_new(r, "baseline_periods",
                                    json_integer(x->base_periods));
                json_object_set_new(r, "dispersion", json_real(x->dispersion));
                json_object_set_new(r, "t", json_real(x->z));
                json_object_set_new(r, "p", json_real(x->p));
                json_object_set_new(r, "p_exact", json_real(x->p_exact));
                json_object_set_new(r, "p_quasi", json_real(x->p_quasi));
                json_object_set_new(r, "p_holm", json_real(x->p_holm));
                json_array_append_new(arr, r);
                continue;
            }
            char b[9][32];
            snprintf(b[0], 32, "%lld", (long long)x->count);
            snprintf(b[1], 32, "%lld", (long long)x->n);
            snprintf(b[2], 32, "%.1f", 100 * x->share);
            snprintf(b[3], 32, "%.1f", 100 * x->base_share);
            snprintf(b[4], 32, "%d", x->base_periods);
            snprintf(b[5], 32, "%.2f", x->dispersion);
            snprintf(b[6], 32, "%.1f", x->z);
            snprintf(b[7], 32, "%.2g", x->p);
            snprintf(b[8], 32, "%.2g", x->p_holm);
            table_row(&tb, s->period_label[t], key, label_of(tx, key), b[0],
                      b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8]);
        }
    if (arr) {
        json_t *root = json_object();
        json_object_set_new(root, "period",
                            json_string(colstore_dim_name(s->period)));
        json_object_set_new(root, "alpha", json_real(o->alpha));
        json_object_set_new(root, "window", json_integer(o->window));
        json_object_set_new(root, "flagged", arr);
        char *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(6));
        fprintf(app->out, "%s\n", out ? out : "{}");
        free(out);
        json_decref(root);
    } else if (fmt == METRICS_REPORT_CSV || flags) {
        table_print(&tb, app->out, fmt == METRICS_REPORT_CSV);
    }
    if (fmt == METRICS_REPORT_TABLE)
        fprintf(app->out,
                "%zu emerging theme-%s%s: share of comments above the "
                "previous %d %ss beyond binomial and their own variation "
                "(one-sided, Holm over themes per %s, alpha %g, at least %d "
                "mentions). Method: docs/text-analytics.md.\n",
                flags, colstore_dim_name(s->period), flags == 1 ? "" : "s",
                o->window, colstore_dim_name(s->period),
                colstore_dim_name(s->period), o->alpha, o->min_count);
    table_free(&tb);
    free(e);
}

int cmd_themes(struct app *app, int argc, char **argv)
{
    static const char *const names[] = {
        "--by",    "--where",        "--from",  "--to",
        "--min-n", "--format",       "--alpha", "--window",
        "--limit", "--min-comments", NULL};
    static const char *const flags[] = {"--timing", "--emerging", "--discover",
                                        NULL};
    struct metrics_cli_args a;
    struct emerging_opts eo = EMERGING_OPTS_INIT;
    struct emerging_series *s = NULL;
    struct colstore *cs = NULL;
    struct themes *tx = NULL;
    struct err err = ERR_INIT;
    enum colstore_dim period = DIM_COUNT;
    int emerging = 0, disc = 0, saved, rc = EXIT_OK, limit = 10, min_docs = 5;
    double load_ms = 0;

    if (argc > 1 && !strcmp(argv[1], "load"))
        return themes_load_cmd(app, argc, argv);
    if (argc > 1 && !strcmp(argv[1], "show"))
        return themes_show_cmd(app, argc, argv);
    if (argc > 1 && !strcmp(argv[1], "reset"))
        return argc == 2
                   ? themes_reset_cmd(app)
                   : cli_usage_error(app, "themes", "reset takes no arguments");
    metrics_cli_args_init(&a);
    for (int i = 1; i < argc; i++) {
        const char *name, *val;
        char *end = NULL;
        if ((rc = metrics_cli_next(app, "themes", argc, argv, &i, names, flags,
                                   &name, &val)) < 0) {
            rc = -rc;
            goto done;
        }
        if (!strcmp(name, "--by")) {
            if (period_dim(val, &period) < 0) {
                rc = cli_usage_error(app, "themes",
                                     "--by takes a period: day, week, month, "
                                     "quarter or year, got '%s'",
                                     val);
                goto done;
            }
        } else if (!strcmp(name, "--emerging")) {
            emerging = 1;
        } else if (!strcmp(name, "--discover")) {
            disc = 1;
        } else if (!strcmp(name, "--alpha")) {
            eo.alpha = strtod(val, &end);
            if (*end || end == val || !(eo.alpha > 0 && eo.alpha < 1)) {
                rc = cli_usage_error(app, "themes",
                                     "--alpha must be in "
                                     "(0, 1), got '%s'",
                                     val);
                goto done;
            }
        } else if (!strcmp(name, "--window") || !strcmp(name, "--limit") ||
                   !strcmp(name, "--min-comments")) {
            long v = strtol(val, &end, 10);
            int lo = !strcmp(name, "--window") ? 2 : 1;
            if (*end || end == val || v < lo || v > 1000) {
                rc = cli_usage_error(app, "themes",
                                     "%s must be a whole "
                                     "number %d..1000, got '%s'",
                                     name, lo, val);
                goto done;
            }
            if (name[2] == 'w')
                eo.window = (int)v;
            else if (name[2] == 'l')
                limit = (int)v;
            else
                min_docs = (int)v;
        } else if ((rc = metrics_cli_common(app, "themes", &a, name, val)) !=
                   1) {
            if (rc == 0) /* listed in names but not handled: a bug */
                rc = cli_usage_error(app, "themes", "unsupported '%s'", name);
            goto done;
        }
    }
    if (eo.min_window > eo.window)
        eo.min_window = eo.window;
    if (disc) {
        const char *tp = NULL;
        for (size_t i = 0; i < a.q.n_where; i++) {
            const struct metrics_where *w = &a.q.where[i];
            if (w->field.kind != FIELD_CORE ||
                w->field.core != FC_TOUCHPOINT || w->op != MOP_IN ||
                w->n != 1 || tp) {
                rc = cli_usage_error(app, "themes",
                                     "--discover filters by one "
                                     "--where touchpoint=KEY and --from/--to "
                                     "only");
                goto done;
            }
            tp = w->values[0];
        }
        rc = discover(app, tp, a.q.from_day, a.q.to_day, limit, min_docs,
                      a.fmt == METRICS_REPORT_JSON);
        goto done;
    }
    if (emerging && period == DIM_COUNT)
        period = DIM_MONTH;
    if ((rc = metrics_cli_load(app, &cs, &a.q, &load_ms)) != 0 ||
        (rc = load_taxonomy(app, &tx, &saved)) != 0)
        goto done;
    if (emerging_series_build(&s, cs, &a.q, period, &err) < 0) {
        rc = cli_error(app, &err);
        goto done;
    }
    if (emerging)
        emerging_report(app, cs, tx, s, &eo, a.fmt);
    else
        volumes(app, cs, tx, s, a.q.min_n, a.fmt);
    fflush(app->out);
    if (a.timing)
        metrics_cli_timing(app, cs, load_ms, 0);
done:
    emerging_series_free(s);
    themes_free(tx);
    colstore_free(cs);
    metrics_cli_args_dispose(&a);
    return rc;
}
