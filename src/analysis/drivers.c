#include "analysis/drivers.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "query/qfield.h"
#include "stats/metrics.h"
#include "stats/prop.h"
#include "stats/relimp.h"

/* The design rows behind a result, kept for drivers_prioritize. */
struct drivers_own {
    double *x;   /* n_ols x k, listwise complete rows */
    double *y;   /* n_ols */
    size_t *row; /* n_ols: the column store row of each */
};

const char *drivers_quadrant_name(enum drivers_quadrant q)
{
    switch (q) {
    case DQ_FIX_FIRST:
        return "fix first";
    case DQ_KEEP_IT_UP:
        return "keep it up";
    case DQ_MAINTAIN:
        return "maintain";
    case DQ_OVERINVESTED:
        return "possible overinvestment";
    default:
        return "-";
    }
}

/* ---- parsing ---- */

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && !memcmp(s, p, m);
}

static int is_word(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && !memcmp(s, w, n);
}

static int parse_field(struct field *f, const char *s, size_t n,
                       struct err *err)
{
    int rc = field_parse(f, s, n, FIELD_RESPONSES, err);
    if (rc < 0)
        return rc;
    if (f->kind == FIELD_CORE && f->core == FC_THEME)
        return err_set(err, ERR_INVALID,
                       "theme has several values per response: name one "
                       "as theme:NAME, or use the driver set 'themes'");
    if (field_is_period(f) || f->quantiles)
        return err_set(err, ERR_INVALID,
                       "%s is not a driver: periods and quantile bins have "
                       "no meaningful numeric value",
                       f->text);
    return 0;
}

/* Parses one variable s[0..n). outcome: the outcome's words apply. */
static int parse_var(struct drivers_var *v, const char *s, size_t n,
                     int outcome, struct err *err)
{
    static const struct {
        const char *word, *field;
        double lo, hi;
        int range;
    } alias[] = {{"nps", "nps_score", 0, 0, 0},
                 {"csat", "csat_score", 0, 0, 0},
                 {"ces", "ces_score", 0, 0, 0},
                 {"promoter", "nps_score", 9, 10, 1},
                 {"detractor", "nps_score", 0, 6, 1}};
    memset(v, 0, sizeof *v);
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0)
        return err_set(err, ERR_INVALID, "empty %s name",
                       outcome ? "outcome" : "driver");
    if (n >= FIELD_MAX_TEXT)
        return err_set(err, ERR_INVALID, "%s name too long",
                       outcome ? "outcome" : "driver");
    for (size_t a = 0; a < sizeof alias / sizeof alias[0]; a++) {
        if (!is_word(s, n, alias[a].word) || (!outcome && alias[a].range))
            continue;
        int rc =
            parse_field(&v->f, alias[a].field, strlen(alias[a].field), err);
        if (rc < 0)
            return rc;
        v->kind = alias[a].range ? DV_RANGE : DV_FIELD;
        v->lo = alias[a].lo;
        v->hi = alias[a].hi;
        snprintf(v->name, sizeof v->name, "%s", alias[a].word);
        return 0;
    }
    if (!outcome && is_word(s, n, "themes")) {
        v->kind = DV_THEMES;
        snprintf(v->name, sizeof v->name, "themes");
        return 0;
    }
    if (has_prefix(s, n, "theme:") || has_prefix(s, n, "theme=")) {
        if (n == 6)
            return err_set(err, ERR_INVALID, "theme: needs a theme name");
        v->kind = DV_THEME;
        snprintf(v->value, sizeof v->value, "%.*s", (int)(n - 6), s + 6);
        snprintf(v->name, sizeof v->name, "theme:%s", v->value);
        return 0;
    }
    const char *eq = memchr(s, '=', n);
    if (eq) {
        size_t fn = (size_t)(eq - s), vn = n - fn - 1;
        if (vn == 0)
            return err_set(err, ERR_INVALID, "%.*s= needs a value", (int)fn, s);
        int rc = parse_field(&v->f, s, fn, err);
        if (rc < 0)
            return rc;
        v->kind = DV_VALUE;
        snprintf(v->value, sizeof v->value, "%.*s", (int)vn, eq + 1);
        snprintf(v->name, sizeof v->name, "%s=%s", v->f.text, v->value);
        return 0;
    }
    int rc = parse_field(&v->f, s, n, err);
    if (rc < 0)
        return rc;
    v->kind = DV_FIELD;
    snprintf(v->name, sizeof v->name, "%s", v->f.text);
    return 0;
}

/* 1 when a and b read the same field the same way. */
static int same_var(const struct drivers_var *a, const struct drivers_var *b)
{
    if (a->kind == DV_THEMES || b->kind == DV_THEMES)
        return a->kind == b->kind;
    if (a->kind == DV_THEME || b->kind == DV_THEME)
        return a->kind == b->kind && !strcmp(a->value, b->value);
    return !strcmp(a->f.text, b->f.text) &&
           (a->kind != DV_VALUE || b->kind != DV_VALUE ||
            !strcmp(a->value, b->value));
}

int drivers_spec_new(struct drivers_spec **out, const char *outcome,
                     const char *drivers, struct err *err)
{
    struct drivers_spec *s = xcalloc(1, sizeof *s);
    int rc = 0;
    *out = NULL;
    if (!outcome || !*outcome) {
        rc = err_set(err, ERR_INVALID, "give an outcome (--outcome)");
        goto done;
    }
    if (!drivers || !*drivers) {
        rc = err_set(err, ERR_INVALID, "give the drivers (--drivers)");
        goto done;
    }
    if ((rc = parse_var(&s->outcome, outcome, strlen(outcome), 1, err)) < 0)
        goto done;
    if (s->outcome.kind == DV_THEME) {
        rc = err_set(err, ERR_INVALID,
                     "a theme is not an outcome; use it as a driver");
        goto done;
    }
    s->lower_better = !strcmp(s->outcome.name, "detractor");
    s->vars = xcalloc(DRIVERS_MAX, sizeof *s->vars);
    for (const char *p = drivers;;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (s->n_vars == DRIVERS_MAX) {
            rc = err_set(err, ERR_INVALID, "too many drivers (at most %d)",
                         DRIVERS_MAX);
            goto done;
        }
        struct drivers_var *v = &s->vars[s->n_vars];
        if ((rc = parse_var(v, p, n, 0, err)) < 0)
            goto done;
        for (size_t j = 0; j < s->n_vars; j++)
            if (same_var(&s->vars[j], v)) {
                rc = err_set(err, ERR_INVALID, "driver '%s' is given twice",
                             v->name);
                goto done;
            }
        if (v->kind != DV_THEME && v->kind != DV_THEMES &&
            !strcmp(v->f.text, s->outcome.f.text)) {
            rc = err_set(err, ERR_INVALID,
                         "driver '%s' is the outcome's own field (%s)", v->name,
                         v->f.text);
            goto done;
        }
        s->n_vars++;
        if (!c)
            break;
        p = c + 1;
    }
    *out = s;
    s = NULL;
done:
    drivers_spec_free(s);
    return rc;
}

void drivers_spec_free(struct drivers_spec *s)
{
    if (!s)
        return;
    free(s->vars);
    free(s);
}

int drivers_spec_fields(const struct drivers_spec *s,
                        int (*fn)(void *ctx, const struct field *f), void *ctx)
{
    int rc = fn(ctx, &s->outcome.f);
    for (size_t j = 0; rc == 0 && j < s->n_vars; j++)
        if (s->vars[j].kind != DV_THEME && s->vars[j].kind != DV_THEMES)
            rc = fn(ctx, &s->vars[j].f);
    return rc;
}

/* ---- columns ---- */

/* The number row i of qf reads as (numeric view, else its label's
 * number), NaN without one. vnum: per value, NULL for a numeric field. */
static double row_number(const struct qfield *qf, const double *vnum, size_t i)
{
    if (qf->num)
        return qf->num[i];
    uint32_t v = qfield_value(qf, qfield_code(qf, i));
    return v == qf->none || v >= qf->n_values ? NAN : vnum[v];
}

static double *value_numbers(const struct qfield *qf)
{
    double *vnum = xcalloc(qf->n_values ? qf->n_values : 1, sizeof *vnum);
    for (uint32_t v = 0; v < qf->n_values; v++)
        vnum[v] = qfield_value_number(qf, v);
    return vnum;
}

/* Fills col[0..rows) for v (a field variable). use: rows that count when
 * deciding what a categorical field is. name gets the variable's name
 * as results show it; *binary 1 for a 0/1 variable. */
static int field_column(double *col, const struct colstore *cs,
                        const struct drivers_var *v, const uint8_t *use,
                        char *name, int *binary, struct err *err)
{
    struct qfield *qf = NULL;
    double *vnum = NULL;
    uint8_t *allowed = NULL;
    size_t *cnt = NULL;
    size_t rows = colstore_rows(cs);
    int rc;
    snprintf(name, DRIVERS_NAME_MAX, "%s", v->name);
    *binary = v->kind != DV_FIELD;
    if ((rc = qfield_resolve(&qf, cs, COLSTORE_RESPONSES, &v->f, err)) < 0)
        goto done;
    if (qf->multi) {
        rc = err_set(err, ERR_INVALID, "%s has several values per response",
                     v->f.text);
        goto done;
    }
    if (!qf->num && !qf->cat) { /* can't happen: every field has a view */
        rc = err_set(err, ERR_INTERNAL, "%s has no value view", v->f.text);
        goto done;
    }
    if (!qf->num)
        vnum = value_numbers(qf);
    if (v->kind == DV_RANGE) {
        for (size_t i = 0; i < rows; i++) {
            double x = row_number(qf, vnum, i);
            col[i] = isnan(x) ? NAN : (x >= v->lo && x <= v->hi);
        }
    } else if (v->kind == DV_VALUE && qf->cat) {
        allowed = xcalloc(qf->n_values ? qf->n_values : 1, 1);
        if (!qfield_match(qf, cs, v->value, strlen(v->value), allowed)) {
            rc = err_set(err, ERR_NOTFOUND, "%s has no value '%s'", v->f.text,
                         v->value);
            goto done;
        }
        for (size_t i = 0; i < rows; i++) {
            uint32_t x = qfield_value(qf, qfield_code(qf, i));
            col[i] = x == qf->none ? NAN : (double)allowed[x];
        }
    } else if (v->kind == DV_VALUE && qf->num) {
        char *end;
        double want = strtod(v->value, &end);
        if (*end || end == v->value || !isfinite(want)) {
            rc =
                err_set(err, ERR_INVALID, "%s is numeric: '%s' is not a number",
                        v->f.text, v->value);
            goto done;
        }
        for (size_t i = 0; i < rows; i++)
            col[i] = isnan(qf->num[i]) ? NAN : (qf->num[i] == want);
    } else if (qf->num) {
        memcpy(col, qf->num, rows * sizeof *col);
    } else {
        /* categorical: numeric when every value in use reads as a
         * number, else an indicator when it has exactly two values */
        cnt = xcalloc(qf->n_values ? qf->n_values : 1, sizeof *cnt);
        for (size_t i = 0; i < rows; i++)
            if (use[i])
                cnt[qfield_value(qf, qfield_code(qf, i))]++;
        uint32_t used = 0, first = 0, second = 0, text = 0;
        for (uint32_t x = 0; x < qf->n_values; x++) {
            if (x == qf->none || !cnt[x])
                continue;
            if (used == 0)
                first = x;
            else if (used == 1)
                second = x;
            used++;
            text += !isfinite(vnum[x]);
        }
        if (text == 0) {
            for (size_t i = 0; i < rows; i++)
                col[i] = row_number(qf, vnum, i);
            *binary = used == 2 && vnum[first] == 0 && vnum[second] == 1;
        } else if (used == 2) {
            for (size_t i = 0; i < rows; i++) {
                uint32_t x = qfield_value(qf, qfield_code(qf, i));
                col[i] = x == qf->none ? NAN : (double)(x == second);
            }
            *binary = 1;
            snprintf(name, DRIVERS_NAME_MAX, "%s=%s", v->f.text,
                     qf->label[second]);
        } else if (used < 2) {
            rc = err_set(err, ERR_INVALID,
                         "driver '%s' is constant: %s in every response used",
                         v->name, used ? qf->label[first] : "no value");
            goto done;
        } else {
            rc = err_set(err, ERR_INVALID,
                         "driver '%s' has %u values; name one as %s=VALUE "
                         "for a 0/1 indicator",
                         v->name, used, v->f.text);
            goto done;
        }
    }
    rc = 0;
done:
    free(cnt);
    free(allowed);
    free(vnum);
    qfield_free(qf);
    return rc;
}

/* Theme indicators: col[i] = 1 when row i mentions the theme, 0 when it
 * has an analysed comment (a sentiment, or a mention of another theme),
 * NaN otherwise. */
static void theme_column(double *col, const struct colstore_columns *c,
                         int theme)
{
    for (size_t i = 0; i < c->n; i++)
        col[i] = c->sentiment[i] != COLSTORE_NO_SENTIMENT ? 0 : NAN;
    for (size_t m = 0; m < c->n_mentions; m++)
        col[c->mention_row[m]] = col[c->mention_row[m]] == 1    ? 1
                                 : c->mention_theme[m] == theme ? 1
                                                                : 0;
}

struct design {
    size_t rows, k, cap;
    double **col; /* [k] full-length columns */
    char (*name)[DRIVERS_NAME_MAX];
    int *binary, *theme;
};

static void design_add(struct design *d, double *col, const char *name,
                       int binary, int theme)
{
    assert(d->k < d->cap);
    d->col[d->k] = col;
    snprintf(d->name[d->k], DRIVERS_NAME_MAX, "%s", name);
    d->binary[d->k] = binary;
    d->theme[d->k] = theme;
    d->k++;
}

static void design_dispose(struct design *d)
{
    for (size_t j = 0; j < d->k; j++)
        free(d->col[j]);
    free(d->col);
    free(d->name);
    free(d->binary);
    free(d->theme);
}

/* The driver set `themes`: every theme that at least min_n of the
 * commented rows in use mention and at least min_n do not; a theme whose
 * indicator equals an earlier one's (a parent mentioned only through one
 * sub-theme) is left out too. */
static int add_all_themes(struct design *d, const struct colstore *cs,
                          const uint8_t *use, int min_n, size_t *skipped,
                          struct err *err)
{
    struct colstore_columns c;
    colstore_columns(cs, &c);
    size_t nt = colstore_card(cs, DIM_THEME);
    uint32_t *rank = xcalloc(nt ? nt : 1, sizeof *rank);
    size_t *order = xcalloc(nt ? nt : 1, sizeof *order);
    colstore_order(cs, DIM_THEME, rank);
    for (size_t t = 0; t < nt; t++)
        order[rank[t] < nt ? rank[t] : t] = t;
    size_t first = d->k, added = 0;
    int rc = 0;
    for (size_t o = 0; o < nt; o++) {
        int t = (int)order[o];
        const char *label = colstore_label(cs, DIM_THEME, t);
        if (!strcmp(label, COLSTORE_NONE))
            continue;
        double *col = xmalloc((c.n ? c.n : 1) * sizeof *col);
        theme_column(col, &c, t);
        size_t yes = 0, no = 0;
        for (size_t i = 0; i < c.n; i++)
            if (use[i] && !isnan(col[i]))
                col[i] == 1 ? yes++ : no++;
        int same = 0;
        for (size_t j = first; j < d->k && !same; j++) {
            same = 1;
            for (size_t i = 0; i < c.n && same; i++)
                if (use[i] && !isnan(col[i]) && d->col[j][i] != col[i])
                    same = 0;
        }
        if (yes < (size_t)min_n || no < (size_t)min_n || same ||
            d->k == d->cap) {
            free(col);
            (*skipped)++;
            continue;
        }
        char name[DRIVERS_NAME_MAX];
        snprintf(name, sizeof name, "theme:%s", label);
        design_add(d, col, name, 1, 1);
        added++;
    }
    if (!added)
        rc = err_set(err, ERR_INVALID,
                     "no theme is mentioned by at least %d (and missing from "
                     "at least %d) of the commented responses used",
                     min_n, min_n);
    free(order);
    free(rank);
    return rc;
}

static int build_design(struct design *d, const struct colstore *cs,
                        const struct drivers_spec *s, const uint8_t *use,
                        int min_n, size_t *skipped, struct err *err)
{
    size_t rows = colstore_rows(cs);
    struct colstore_columns c;
    int rc = 0;
    colstore_columns(cs, &c);
    d->rows = rows;
    d->cap = DRIVERS_MAX;
    d->col = xcalloc(d->cap, sizeof *d->col);
    d->name = xcalloc(d->cap, sizeof *d->name);
    d->binary = xcalloc(d->cap, sizeof *d->binary);
    d->theme = xcalloc(d->cap, sizeof *d->theme);
    for (size_t j = 0; j < s->n_vars && rc == 0; j++) {
        const struct drivers_var *v = &s->vars[j];
        if (v->kind == DV_THEMES) {
            rc = add_all_themes(d, cs, use, min_n, skipped, err);
            continue;
        }
        if (d->k == d->cap) {
            rc = err_set(err, ERR_INVALID, "too many drivers (at most %d)",
                         DRIVERS_MAX);
            break;
        }
        double *col = xmalloc((rows ? rows : 1) * sizeof *col);
        char name[DRIVERS_NAME_MAX];
        int binary = 1;
        if (v->kind == DV_THEME) {
            int t = colstore_find(cs, DIM_THEME, v->value, strlen(v->value));
            if (t < 0) {
                free(col);
                rc = err_set(err, ERR_NOTFOUND,
                             "no theme '%s' is mentioned in any comment",
                             v->value);
                break;
            }
            theme_column(col, &c, t);
            snprintf(name, sizeof name, "%s", v->name);
        } else if ((rc = field_column(col, cs, v, use, name, &binary, err)) <
                   0) {
            free(col);
            break;
        }
        for (size_t i = 0; i < d->k; i++)
            if (!strcmp(d->name[i], name)) {
                free(col);
                col = NULL;
                rc = err_set(err, ERR_INVALID, "driver '%s' is given twice",
                             name);
                break;
            }
        if (col)
            design_add(d, col, name, binary, v->kind == DV_THEME);
    }
    return rc;
}

/* ---- the analysis ---- */

static int cmp_lmg(const void *a, const void *b, const struct drivers_result *r)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (r->d[i].lmg != r->d[j].lmg)
        return r->d[i].lmg < r->d[j].lmg ? 1 : -1;
    return i < j ? -1 : i > j;
}

/* Ranks by `key` descending (insertion sort: k is small). */
static void rank_by(const struct drivers_result *r, size_t *idx,
                    int (*cmp)(const void *, const void *,
                               const struct drivers_result *))
{
    for (size_t i = 1; i < r->k; i++)
        for (size_t j = i; j > 0 && cmp(&idx[j - 1], &idx[j], r) > 0; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

/* Checks the outcome over the rows in use before the stats core does, so
 * the message can name it. */
static int check_outcome(const struct drivers_result *r, const double *y,
                         const uint8_t *use, size_t rows, struct err *err)
{
    double first = NAN;
    size_t n = 0;
    for (size_t i = 0; i < rows; i++) {
        if (!use[i])
            continue;
        if (n++ == 0)
            first = y[i];
        else if (y[i] != first)
            return 0;
    }
    if (n == 0)
        return err_set(err, ERR_INVALID,
                       "no response passing the filters has outcome '%s'",
                       r->outcome);
    if (r->binary)
        return err_set(err, ERR_INVALID,
                       "outcome '%s' has one class only: all %zu responses "
                       "used are %g, so nothing can explain it",
                       r->outcome, n, first);
    return err_set(err, ERR_INVALID,
                   "outcome '%s' is constant (%g in all %zu responses used)",
                   r->outcome, first, n);
}

static void fill_relimp(struct drivers_result *r, const struct relimp *ri)
{
    r->n = ri->n;
    r->r2 = ri->r2;
    r->r2_lo = ri->r2_ci ? ri->r2_ci->lo : NAN;
    r->r2_hi = ri->r2_ci ? ri->r2_ci->hi : NAN;
    r->exact = ri->exact;
    r->boot = ri->boot;
    r->boot_failed = ri->boot_failed;
    for (size_t j = 0; j < r->k; j++) {
        struct drivers_driver *d = &r->d[j];
        d->lmg = ri->lmg[j];
        d->lmg_se = ri->lmg_se[j];
        d->rw = ri->rw[j];
        d->lmg_lo = ri->lmg_ci ? ri->lmg_ci[j].lo : NAN;
        d->lmg_hi = ri->lmg_ci ? ri->lmg_ci[j].hi : NAN;
        d->rw_lo = ri->rw_ci ? ri->rw_ci[j].lo : NAN;
        d->rw_hi = ri->rw_ci ? ri->rw_ci[j].hi : NAN;
    }
}

/* The logistic regression of a 0/1 outcome; failure is a note. */
static void fit_logit(struct drivers_result *r, const double *x,
                      const double *y, const struct regress_opts *ro)
{
    struct regress_logit *lf = NULL;
    struct err e = ERR_INIT;
    if (regress_logit(&lf, x, y, r->n_ols, r->k, ro, &e) < 0) {
        snprintf(r->logit_note, sizeof r->logit_note, "%s", e.msg);
        return;
    }
    if (!lf->converged) {
        snprintf(r->logit_note, sizeof r->logit_note,
                 "logistic regression did not converge in %d iterations",
                 lf->iter);
    } else {
        r->has_logit = 1;
        r->pseudo_r2 = lf->pseudo_r2;
        for (size_t j = 0; j < r->k; j++) {
            r->d[j].has_odds = 1;
            r->d[j].logit = lf->coef[1 + j];
            r->d[j].odds = lf->odds[1 + j];
        }
    }
    regress_logit_free(lf);
}

/* What drivers_run reads before it analyses: the rows opts->filter
 * passes (l->use, with those without an outcome cleared), the outcome
 * (l->y) and the driver columns (l->d), and in r the counts, the
 * drivers' names and the listwise complete rows (r->own). */
struct load {
    struct design d;
    double *y;
    uint8_t *use;
    size_t nu; /* rows with an outcome */
};

static struct drivers_opts opts_or_default(const struct drivers_opts *opts)
{
    struct drivers_opts o = DRIVERS_OPTS_INIT;
    if (opts)
        o = *opts;
    if (o.min_n <= 0)
        o.min_n = 30;
    return o;
}

static void load_dispose(struct load *l)
{
    design_dispose(&l->d);
    free(l->y);
    free(l->use);
}

static int load_rows(struct drivers_result *r, struct load *l,
                     const struct colstore *cs, const struct drivers_spec *s,
                     const struct drivers_opts *o, struct err *err)
{
    size_t rows = colstore_rows(cs);
    int rc, binary;
    char oname[DRIVERS_NAME_MAX];

    r->min_n = o->min_n;
    r->pairwise = o->pairwise;
    r->seed = o->seed;
    r->lower_better = s->lower_better;
    r->own = xcalloc(1, sizeof *r->own);
    snprintf(r->outcome, sizeof r->outcome, "%s", s->outcome.name);

    if (o->filter) {
        if ((rc = metrics_filter_rows(&l->use, cs, o->filter, err)) < 0)
            return rc;
    } else {
        l->use = xmalloc(rows ? rows : 1);
        memset(l->use, 1, rows);
    }
    l->y = xmalloc((rows ? rows : 1) * sizeof *l->y);
    if ((rc = field_column(l->y, cs, &s->outcome, l->use, oname, &binary,
                           err)) < 0)
        return rc;
    for (size_t i = 0; i < rows; i++) {
        r->rows += l->use[i];
        if (l->use[i] && isnan(l->y[i])) {
            r->no_outcome++;
            l->use[i] = 0;
        }
    }
    r->binary = 1;
    for (size_t i = 0; i < rows && r->binary; i++)
        if (l->use[i] && l->y[i] != 0 && l->y[i] != 1)
            r->binary = 0;
    if ((rc = check_outcome(r, l->y, l->use, rows, err)) < 0)
        return rc;
    r->themes = 0;
    for (size_t j = 0; j < s->n_vars; j++)
        r->themes |= s->vars[j].kind == DV_THEMES;
    if ((rc = build_design(&l->d, cs, s, l->use, o->min_n, &r->themes_skipped,
                           err)) < 0)
        return rc;
    r->k = l->d.k;
    r->d = xcalloc(l->d.k, sizeof *r->d);
    for (size_t j = 0; j < l->d.k; j++) {
        snprintf(r->d[j].name, sizeof r->d[j].name, "%s", l->d.name[j]);
        r->d[j].binary = l->d.binary[j];
        r->d[j].theme = l->d.theme[j];
        estimate_clear(&r->d[j].prevalence);
        r->d[j].quadrant = DQ_NONE;
        r->d[j].target = r->d[j].change = NAN;
        r->d[j].change_lo = r->d[j].change_hi = NAN;
    }

    /* The listwise complete rows, copied straight from the columns: the
     * regressions and (listwise) the importance read them. Every row
     * with an outcome goes into a second matrix only for --pairwise:
     * on this VM a first touch of a page costs ~13 us, a third of the
     * time at 14 drivers and 46,000 rows. */
    for (size_t i = 0; i < rows; i++)
        l->nu += l->use[i];
    r->own->x = xmalloc((l->nu ? l->nu : 1) * l->d.k * sizeof *r->own->x);
    r->own->y = xmalloc((l->nu ? l->nu : 1) * sizeof *r->own->y);
    r->own->row = xmalloc((l->nu ? l->nu : 1) * sizeof *r->own->row);
    for (size_t i = 0; i < rows; i++) {
        if (!l->use[i])
            continue;
        double *xi = &r->own->x[r->n_ols * l->d.k];
        int complete = 1;
        for (size_t j = 0; j < l->d.k; j++) {
            double x = l->d.col[j][i];
            xi[j] = x;
            if (isnan(x))
                complete = 0;
            else
                r->d[j].present++;
        }
        if (!complete)
            continue;
        r->own->y[r->n_ols] = l->y[i];
        r->own->row[r->n_ols++] = i;
    }
    r->dropped = l->nu - r->n_ols;
    if (r->n_ols < l->d.k + 2) {
        /* name the scarcest driver and the one that overlaps it least */
        size_t least = 0, other = 0, both = SIZE_MAX;
        for (size_t j = 1; j < l->d.k; j++)
            if (r->d[j].present < r->d[least].present)
                least = j;
        for (size_t j = 0; j < l->d.k; j++) {
            size_t c = 0;
            for (size_t i = 0; j != least && i < rows; i++)
                c += l->use[i] && !isnan(l->d.col[least][i]) &&
                     !isnan(l->d.col[j][i]);
            if (j != least && c < both)
                both = c, other = j;
        }
        if (both == SIZE_MAX)
            rc = err_set(err, ERR_INVALID,
                         "too few rows: %zu of the %zu responses with "
                         "outcome '%s' have driver '%s', need at least %zu",
                         r->n_ols, l->nu, r->outcome, r->d[least].name,
                         l->d.k + 2);
        else
            rc = err_set(err, ERR_INVALID,
                         "too few rows: %zu of the %zu responses with "
                         "outcome '%s' have every driver, need at least %zu: "
                         "'%s' has a value in %zu of them and '%s' in %zu "
                         "of those. Select where the drivers are asked "
                         "together (--where) or use fewer",
                         r->n_ols, l->nu, r->outcome, l->d.k + 2,
                         r->d[least].name, r->d[least].present,
                         r->d[other].name, both);
        return rc;
    }

    return 0;
}

int drivers_run(struct drivers_result **out, const struct colstore *cs,
                const struct drivers_spec *s, const struct drivers_opts *opts,
                struct err *err)
{
    struct drivers_opts o = opts_or_default(opts);
    struct drivers_result *r = xcalloc(1, sizeof *r);
    struct load l = {0};
    struct relimp *ri = NULL;
    struct regress_ols *of = NULL;
    double *xu = NULL, *yu = NULL;
    const char **names = NULL;
    size_t rows = colstore_rows(cs), *idx = NULL;
    int rc;

    *out = NULL;
    if ((rc = load_rows(r, &l, cs, s, &o, err)) < 0)
        goto done;
    names = xcalloc(r->k, sizeof *names);
    for (size_t j = 0; j < r->k; j++)
        names[j] = r->d[j].name;

    struct relimp_opts ro = RELIMP_OPTS_INIT;
    ro.names = names;
    ro.missing = o.pairwise ? RELIMP_PAIRWISE : RELIMP_LISTWISE;
    ro.boot = o.boot;
    ro.seed = o.seed;
    if (o.pairwise) {
        xu = xmalloc(l.nu * l.d.k * sizeof *xu);
        yu = xmalloc(l.nu * sizeof *yu);
        for (size_t i = 0, u = 0; i < rows; i++) {
            if (!l.use[i])
                continue;
            for (size_t j = 0; j < l.d.k; j++)
                xu[u * l.d.k + j] = l.d.col[j][i];
            yu[u++] = l.y[i];
        }
        rc = relimp_compute(&ri, xu, yu, l.nu, l.d.k, &ro, err);
    } else {
        rc = relimp_compute(&ri, r->own->x, r->own->y, r->n_ols, l.d.k, &ro,
                            err);
    }
    if (rc < 0)
        goto done;
    fill_relimp(r, ri);

    struct regress_opts go = REGRESS_OPTS_INIT;
    go.names = names;
    if ((rc = regress_ols(&of, r->own->x, r->own->y, r->n_ols, l.d.k, &go,
                          err)) < 0)
        goto done;
    r->adj_r2 = of->adj_r2;
    for (size_t j = 0; j < l.d.k; j++)
        r->d[j].b = of->coef[1 + j];
    if (r->binary)
        fit_logit(r, r->own->x, r->own->y, &go);

    /* performance and prevalence over the rows the regressions use */
    double ysum = 0;
    for (size_t i = 0; i < r->n_ols; i++)
        ysum += r->own->y[i];
    r->outcome_mean = r->n_ols ? ysum / (double)r->n_ols : NAN;
    for (size_t j = 0; j < l.d.k; j++) {
        struct drivers_driver *dj = &r->d[j];
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < r->n_ols; i++) {
            double x = r->own->x[i * l.d.k + j];
            sum += x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        dj->mean = sum / (double)r->n_ols;
        dj->min = lo;
        dj->max = hi;
        if (dj->theme) {
            struct prop p = {(int64_t)llround(sum), (int64_t)r->n_ols};
            prop_compute(&dj->prevalence, &p);
        }
    }
    idx = xcalloc(l.d.k, sizeof *idx);
    for (size_t j = 0; j < l.d.k; j++)
        idx[j] = j;
    rank_by(r, idx, cmp_lmg);
    for (size_t j = 0; j < l.d.k; j++)
        r->d[idx[j]].rank = (int)j + 1;
    *out = r;
    r = NULL;
    rc = 0;
done:
    free(idx);
    regress_ols_free(of);
    relimp_free(ri);
    free(names);
    free(xu);
    free(yu);
    load_dispose(&l);
    drivers_result_free(r);
    return rc;
}

int drivers_rows_new(struct drivers_rows **out, const struct colstore *cs,
                     const struct drivers_spec *s,
                     const struct drivers_opts *opts, struct err *err)
{
    struct drivers_opts o = opts_or_default(opts);
    struct drivers_result *r = xcalloc(1, sizeof *r);
    struct load l = {0};
    *out = NULL;
    int rc = load_rows(r, &l, cs, s, &o, err);
    if (rc == 0) {
        struct drivers_rows *d = xcalloc(1, sizeof *d);
        d->n = r->n_ols;
        d->k = r->k;
        d->x = r->own->x;
        d->y = r->own->y;
        r->own->x = r->own->y = NULL;
        *out = d;
    }
    load_dispose(&l);
    drivers_result_free(r);
    return rc;
}

void drivers_rows_free(struct drivers_rows *rows)
{
    if (!rows)
        return;
    free(rows->x);
    free(rows->y);
    free(rows);
}

void drivers_result_free(struct drivers_result *r)
{
    if (!r)
        return;
    if (r->own) {
        free(r->own->x);
        free(r->own->y);
        free(r->own->row);
        free(r->own);
    }
    free(r->d);
    free(r);
}

/* ---- priorities ---- */

/* The better direction of driver j: +1 when raising it raises the
 * outcome the good way. */
static double good_dir(const struct drivers_result *r,
                       const struct drivers_driver *d)
{
    double dir = r->lower_better ? -1 : 1;
    return d->b.b < 0 ? -dir : dir;
}

static int cmp_gain(const void *a, const void *b,
                    const struct drivers_result *r)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double dir = r->lower_better ? -1 : 1;
    double gi = isnan(r->d[i].change) ? -INFINITY : dir * r->d[i].change;
    double gj = isnan(r->d[j].change) ? -INFINITY : dir * r->d[j].change;
    if (gi != gj)
        return gi < gj ? 1 : -1;
    return i < j ? -1 : i > j;
}

/* Per driver, the mean of the best group of `by` with at least min_n
 * rows among the design rows. */
static int group_targets(struct drivers_result *r, const struct colstore *cs,
                         const struct field *by, struct err *err)
{
    struct qfield *qf = NULL;
    double *sum = NULL;
    size_t *cnt = NULL, k = r->k;
    int rc;
    if ((by->kind == FIELD_CORE && by->core == FC_THEME)) {
        rc = err_set(err, ERR_INVALID,
                     "--target-by theme: a response has several themes; "
                     "pick a field with one value per response");
        goto done;
    }
    if ((rc = qfield_resolve(&qf, cs, COLSTORE_RESPONSES, by, err)) < 0 ||
        (!qf->cat &&
         (rc = qfield_categorize(qf, NULL, 0, METRICS_MAX_DISTINCT, err)) < 0))
        goto done;
    uint32_t nv = qf->n_values;
    sum = xcalloc((size_t)nv * k + 1, sizeof *sum);
    cnt = xcalloc((size_t)nv + 1, sizeof *cnt);
    for (size_t i = 0; i < r->n_ols; i++) {
        uint32_t v = qfield_value(qf, qfield_code(qf, r->own->row[i]));
        if (v == qf->none || v >= nv)
            continue;
        cnt[v]++;
        for (size_t j = 0; j < k; j++)
            sum[(size_t)v * k + j] += r->own->x[i * k + j];
    }
    for (size_t j = 0; j < k; j++) {
        struct drivers_driver *d = &r->d[j];
        double best = -INFINITY, g = good_dir(r, d);
        for (uint32_t v = 0; v < nv; v++) {
            if (cnt[v] < (size_t)r->min_n)
                continue;
            double m = sum[(size_t)v * k + j] / (double)cnt[v];
            if (g * m > best) {
                best = g * m;
                d->target = m;
                d->target_n = (int64_t)cnt[v];
                snprintf(d->target_label, sizeof d->target_label, "%s",
                         qf->display && qf->display[v] ? qf->display[v]
                                                       : qf->label[v]);
            }
        }
    }
    rc = 0;
done:
    free(sum);
    free(cnt);
    qfield_free(qf);
    return rc;
}

/* For the outcome nps: the OLS of the NPS score per response (+100 / 0 /
 * -100) on the same design, so a change can be told in NPS points. */
static int nps_points_fit(struct drivers_result *r, struct err *err)
{
    struct regress_ols *of = NULL;
    struct regress_opts go = REGRESS_OPTS_INIT;
    double *score = xmalloc((r->n_ols ? r->n_ols : 1) * sizeof *score);
    int varies = 0;
    for (size_t i = 0; i < r->n_ols; i++) {
        double y = r->own->y[i];
        score[i] = y >= 9 ? 100 : y <= 6 ? -100 : 0;
        varies |= i && score[i] != score[0];
    }
    if (!varies) { /* every answer in one group (9s and 10s): no points */
        free(score);
        return 0;
    }
    int rc = regress_ols(&of, r->own->x, score, r->n_ols, r->k, &go, err);
    if (rc == 0) {
        for (size_t j = 0; j < r->k; j++)
            r->d[j].b_pts = of->coef[1 + j];
        r->nps_points = 1;
    }
    regress_ols_free(of);
    free(score);
    return rc;
}

/* c * delta with the interval [lo, hi] * delta, in order. */
static void scaled(const struct regress_coef *c, double delta, double *v,
                   double *lo, double *hi)
{
    double a = c->lo * delta, b = c->hi * delta;
    *v = c->b * delta;
    *lo = a < b ? a : b;
    *hi = a < b ? b : a;
}

int drivers_prioritize(struct drivers_result *r, const struct colstore *cs,
                       const struct drivers_target *t, struct err *err)
{
    size_t k = r->k, *idx = NULL;
    int rc = 0;
    r->imp_mean = r->perf_mean = 0;
    for (size_t j = 0; j < k; j++) {
        struct drivers_driver *d = &r->d[j];
        double pos = (d->mean - d->min) / (d->max - d->min);
        d->perf = good_dir(r, d) > 0 ? pos : 1 - pos;
        r->imp_mean += d->lmg / (double)k;
        r->perf_mean += d->perf / (double)k;
        d->target = NAN;
        d->target_n = 0;
        d->target_label[0] = 0;
    }
    for (size_t j = 0; j < k; j++) {
        struct drivers_driver *d = &r->d[j];
        int hi_imp = d->lmg > r->imp_mean, hi_perf = d->perf > r->perf_mean;
        d->quadrant = hi_imp ? (hi_perf ? DQ_KEEP_IT_UP : DQ_FIX_FIRST)
                             : (hi_perf ? DQ_OVERINVESTED : DQ_MAINTAIN);
    }
    if (t && t->fixed) {
        for (size_t j = 0; j < k; j++) {
            r->d[j].target = t->value;
            r->d[j].target_n = -1;
            snprintf(r->d[j].target_label, sizeof r->d[j].target_label,
                     "--target");
        }
        r->target_by[0] = 0;
    } else if (t && t->by) {
        if ((rc = group_targets(r, cs, t->by, err)) < 0)
            goto done;
        snprintf(r->target_by, sizeof r->target_by, "%s", t->by->text);
    }
    if (!strcmp(r->outcome, "nps") && !r->nps_points &&
        (rc = nps_points_fit(r, err)) < 0)
        goto done;
    for (size_t j = 0; j < k; j++) {
        struct drivers_driver *d = &r->d[j];
        d->pts = d->pts_lo = d->pts_hi = NAN;
        if (isnan(d->target)) {
            d->change = d->change_lo = d->change_hi = NAN;
            continue;
        }
        double delta = d->target - d->mean;
        scaled(&d->b, delta, &d->change, &d->change_lo, &d->change_hi);
        if (r->nps_points)
            scaled(&d->b_pts, delta, &d->pts, &d->pts_lo, &d->pts_hi);
    }
    idx = xcalloc(k ? k : 1, sizeof *idx);
    for (size_t j = 0; j < k; j++)
        idx[j] = j;
    rank_by(r, idx, cmp_gain);
    for (size_t j = 0; j < k; j++)
        r->d[idx[j]].prio_rank = isnan(r->d[idx[j]].change) ? 0 : (int)j + 1;
    r->prioritized = 1;
done:
    free(idx);
    return rc;
}
