#include "journey/moments.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "query/field.h"
#include "query/qfield.h"
#include "stats/prop.h"

/* Running sums for one row (a touchpoint or a stage). */
struct acc {
    struct prop det, pro; /* leaving after a detractor / promoter answer */
    double n, sx, sy, sxx, syy, sxy;
};

static void acc_add(struct acc *a, int score, int left)
{
    if (score <= 6)
        prop_add(&a->det, left);
    else if (score >= 9)
        prop_add(&a->pro, left);
    double x = score, y = left;
    a->n++;
    a->sx += x;
    a->sy += y;
    a->sxx += x * x;
    a->syy += y * y;
    a->sxy += x * y;
}

static void finish(struct journey_moment *m, const struct acc *a)
{
    m->answers = (size_t)a->n;
    prop_compute(&m->left_detractor, &a->det);
    prop_compute(&m->left_promoter, &a->pro);
    compare_props(&m->diff, &a->pro, &a->det);
    m->p_holm = NAN;
    m->r = m->r_lo = m->r_hi = NAN;
    double vx = a->n * a->sxx - a->sx * a->sx,
           vy = a->n * a->syy - a->sy * a->sy;
    if (a->n > 3 && vx > 0 && vy > 0) {
        m->r = (a->n * a->sxy - a->sx * a->sy) / sqrt(vx * vy);
        double z = atanh(m->r < 1 ? m->r : 0.999999999),
               se = 1 / sqrt(a->n - 3);
        m->r_lo = tanh(z - ESTIMATE_Z95 * se);
        m->r_hi = tanh(z + ESTIMATE_Z95 * se);
    }
}

static int tested(const struct journey_moment *m, int min_n)
{
    return m->diff.valid && m->left_detractor.n >= min_n &&
           m->left_promoter.n >= min_n;
}

static int cmp_moment(const void *a, const void *b)
{
    const struct journey_moment *x = a, *y = b;
    int tx = x->tested, ty = y->tested;
    if (tx != ty)
        return ty - tx;
    if (tx && x->diff.diff != y->diff.diff)
        return x->diff.diff > y->diff.diff ? -1 : 1;
    if (x->answers != y->answers)
        return x->answers > y->answers ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

static int cmp_p(const void *a, const void *b)
{
    const struct journey_moment *const *x = a, *const *y = b;
    double p = (*x)->diff.p, q = (*y)->diff.p;
    return (p > q) - (p < q);
}

/* Holm's step-down adjustment over the tested rows, then the measured
 * flags; rows sorted by difference. */
static void judge(struct journey_moment *m, size_t n, int min_n, int top)
{
    struct journey_moment **t = xmalloc((n ? n : 1) * sizeof *t);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if ((m[i].tested = tested(&m[i], min_n)))
            t[k++] = &m[i];
    qsort(t, k, sizeof *t, cmp_p);
    double run = 0;
    for (size_t i = 0; i < k; i++) {
        double adj = (double)(k - i) * t[i]->diff.p;
        run = adj > run ? adj : run;
        t[i]->p_holm = run < 1 ? run : 1;
    }
    free(t);
    qsort(m, n, sizeof *m, cmp_moment);
    int found = 0;
    for (size_t i = 0; i < n && found < top; i++) {
        if (!m[i].tested || !(m[i].diff.diff > 0))
            break;
        if (m[i].p_holm < 0.05) {
            m[i].measured = 1;
            found++;
        }
    }
}

int journey_moments_build(struct journey_moments **out,
                          const struct colstore *cs,
                          const struct journey_moments_opts *opts,
                          struct err *err)
{
    struct journey_moments_opts o = JOURNEY_MOMENTS_OPTS_INIT;
    struct colstore_events ev;
    struct colstore_columns col;
    *out = NULL;
    if (opts)
        o = *opts;
    if (!o.activity || !*o.activity)
        o.activity = "notice";
    if (o.min_n <= 0)
        o.min_n = 30;
    if (o.top <= 0)
        o.top = 3;
    if (o.window <= 0)
        return err_set(err, ERR_INVALID, "the window must be positive");
    if (!colstore_has_events(cs))
        return err_set(err, ERR_INVALID,
                       "no events loaded: moments of truth need the events "
                       "that say a customer left");
    int64_t act = colstore_activity_code(cs, o.activity, strlen(o.activity));
    if (act < 0)
        return err_set(err, ERR_NOTFOUND,
                       "no '%s' event: name the activity that means a "
                       "customer left (--outcome notice, move_out, ...)",
                       o.activity);
    colstore_events_view(cs, &ev);
    colstore_columns(cs, &col);
    size_t n_cust = colstore_customers(cs);
    /* Leaving is the event feature "ACTIVITY events within the window
     * after the answer", as link --churn reads it. */
    struct field f;
    struct qfield *left = NULL;
    int rc = field_event_count_after(&f, o.activity, o.window, err);
    if (rc == 0)
        rc = qfield_resolve_rows(&left, cs, COLSTORE_RESPONSES, &f, o.use, err);
    if (rc < 0)
        return rc;
    /* the data end with the last answer or event */
    int64_t end = col.n ? col.ts[col.n - 1] : INT64_MIN;
    for (size_t r = 0; r < ev.n; r++)
        end = ev.ts[r] > end ? ev.ts[r] : end;

    struct journey_moments *m = xcalloc(1, sizeof *m);
    snprintf(m->activity, sizeof m->activity, "%s", o.activity);
    m->window = o.window;
    m->data_end = end;
    m->top = o.top;
    size_t n_tp = colstore_card(cs, DIM_TOUCHPOINT),
           n_st = colstore_card(cs, DIM_STAGE);
    struct acc *atp = xcalloc(n_tp ? n_tp : 1, sizeof *atp);
    struct acc *ast = xcalloc(n_st ? n_st : 1, sizeof *ast);
    for (size_t r = 0; r < col.n; r++) {
        if ((o.use && !o.use[r]) || col.nps[r] < 0 ||
            col.customer[r] >= n_cust || col.touchpoint[r] >= n_tp)
            continue;
        if (col.ts[r] + o.window > end) {
            m->too_late++;
            continue;
        }
        int went = left->num[r] > 0;
        acc_add(&atp[col.touchpoint[r]], col.nps[r], went);
        int st = colstore_touchpoint_stage(cs, col.touchpoint[r]);
        if (st >= 0)
            acc_add(&ast[st], col.nps[r], went);
        m->answers++;
    }
    qfield_free(left);

    m->tp = xcalloc(n_tp ? n_tp : 1, sizeof *m->tp);
    m->st = xcalloc(n_st ? n_st : 1, sizeof *m->st);
    uint8_t *st_flag = xcalloc(n_st ? n_st : 1, 1);
    for (size_t t = 0; t < n_tp; t++) {
        struct colstore_tpinfo info;
        colstore_tpinfo(cs, (int)t, &info);
        int st = colstore_touchpoint_stage(cs, (int)t);
        if (st >= 0 && info.moment_of_truth)
            st_flag[st] = 1;
        if (atp[t].n == 0)
            continue;
        struct journey_moment *x = &m->tp[m->n_tp++];
        x->code = (int)t;
        x->key = colstore_label(cs, DIM_TOUCHPOINT, (int)t);
        x->name = colstore_name(cs, DIM_TOUCHPOINT, (int)t);
        x->flagged = info.moment_of_truth;
        finish(x, &atp[t]);
    }
    for (size_t s = 0; s < n_st; s++) {
        if (ast[s].n == 0)
            continue;
        struct journey_moment *x = &m->st[m->n_st++];
        x->code = (int)s;
        x->key = colstore_label(cs, DIM_STAGE, (int)s);
        x->name = colstore_name(cs, DIM_STAGE, (int)s);
        x->flagged = st_flag[s];
        finish(x, &ast[s]);
    }
    free(st_flag);
    free(atp);
    free(ast);
    judge(m->tp, m->n_tp, o.min_n, o.top);
    judge(m->st, m->n_st, o.min_n, o.top);
    *out = m;
    return 0;
}

void journey_moments_free(struct journey_moments *m)
{
    if (!m)
        return;
    free(m->tp);
    free(m->st);
    free(m);
}
