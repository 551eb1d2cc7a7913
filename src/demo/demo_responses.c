/* responses.csv: survey answers in time order. Every planted effect of
 * docs/demo-data.md is applied here (one_response; the answers beyond NPS,
 * CSAT and CES and their effects come from demo_answers.c), in expected
 * NPS points, and the scores are drawn so that the expected NPS equals the
 * target: with a fixed passive share q, P(promoter) - P(detractor) =
 * target/100. */
#include <math.h>
#include <stdlib.h>

#include "core/tstamp.h"
#include "core/xalloc.h"
#include "demo/demo_int.h"

#define PASSIVE 0.28
#define TARGET_MAX 72 /* = 100 * (1 - PASSIVE) */

/* Planted effects, NPS points (docs/demo-data.md). */
#define BROKEN_LOGIN_NPS (-40)  /* (b) app touchpoints, broken month */
#define BROKEN_LOGIN_CES (-2.0) /* (b) CES mean shift, 1..7 scale */
#define FRIENDLY_VIEWING_NPS 25 /* (c) visning, Uthyrning Norr */
#define CONTRACT_NPS_START (-5) /* (d) kontrakt_digital, first month */
#define CONTRACT_NPS_PER_MONTH 1.5

/* (a) NPS points by the fault's resolution time. */
const int demo_fault_nps[DEMO_FAULT_BANDS] = {20, 5, -10, -30, -50};

/* (i): the chance that a tenant reports a fault again before its repair,
 * by the same bands. */
const double demo_again_share[DEMO_FAULT_BANDS] = {0.02, 0.05, 0.15, 0.30,
                                                   0.45};

int demo_fault_band(double hours)
{
    /* Half-open like --bins and link --bands: [24, 72) is band 1. */
    return hours < 24    ? 0
           : hours < 72  ? 1
           : hours < 168 ? 2
           : hours < 336 ? 3
                         : 4;
}

enum cat { DET, PAS, PRO };

struct day_state {
    int64_t day;
    int month_index;
    int weekend;
    int broken;
};

struct ctx {
    struct demo *d;
    struct rng r;           /* scores, times, who answers */
    struct rng rc;          /* comments only */
    struct rng ra;          /* answers beyond NPS, CSAT and CES */
    double tp_cum[4][TP_N]; /* [weekend * 2 + broken] */
    double comment_p[3];    /* [enum cat] */
    struct strbuf comment;
};

static void build_tp_tables(struct ctx *x)
{
    for (int v = 0; v < 4; v++) {
        int weekend = v >> 1, broken = v & 1;
        double sum = 0;
        for (int t = 0; t < TP_N; t++) {
            const struct demo_touchpoint *tp = &demo_touchpoints[t];
            double w = tp->weight;
            if (weekend && tp->channel == CH_OFFICE)
                w *= 0.1; /* answered late, from the week before */
            else if (weekend && tp->channel == CH_PHONE)
                w *= 0.4;
            if (broken && t == TP_APP_INLOGG)
                w *= 2; /* people tell us when it does not work */
            sum += w;
            x->tp_cum[v][t] = sum;
        }
    }
}

/* First index with a[i].t >= t. */
static size_t lower_bound(const struct demo_anchors *l, int64_t t)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->a[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int is_tenant(const struct demo_customer *c, int64_t day)
{
    return c->start_day != NO_DAY && c->start_day <= day && day < c->end_day;
}

static int was_tenant(const struct demo_customer *c, int64_t day)
{
    return c->was_start != NO_DAY && c->was_start <= day && day < c->was_end;
}

static uint32_t pick_tenant(struct ctx *x, int64_t day)
{
    const struct demo *d = x->d;
    uint32_t c = 0;
    int found = 0;
    for (int tries = 0; tries < 16 && !found; tries++) {
        c = (uint32_t)rng_below(&x->r, d->n_cust);
        found = was_tenant(&d->cust[c], day);
    }
    /* The draws above see the tenancies as drawn; one that (j) or (k)
     * cancelled passes to the next tenant without a draw, so that every
     * later draw stays as it was. */
    for (size_t k = 1; found && k < d->n_cust && !is_tenant(&d->cust[c], day);
         k++)
        c = (uint32_t)((c + 1) % d->n_cust);
    return c;
}

/* The anchor at k, or the next before hi that (j) or (k) did not cancel,
 * or else the latest before k (a survey sent late rather than a draw
 * more); NULL if none. */
static const struct demo_anchor *live_anchor(const struct demo_anchors *l,
                                             size_t hi, size_t k)
{
    for (size_t j = k; j < hi; j++)
        if (!(l->a[j].aux & AUX_GONE))
            return &l->a[j];
    for (size_t j = k; j-- > 0;)
        if (!(l->a[j].aux & AUX_GONE))
            return &l->a[j];
    return NULL;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int draw_nps(struct rng *r, enum cat c)
{
    /* Cumulative weights of 0..6 among detractors. */
    static const double det[7] = {0.06, 0.09, 0.14, 0.22, 0.34, 0.60, 1.00};
    if (c == PRO)
        return rng_bernoulli(r, 0.55) ? 10 : 9;
    if (c == PAS)
        return rng_bernoulli(r, 0.55) ? 8 : 7;
    return (int)rng_choice_cum(r, det, 7);
}

static int draw_csat(struct rng *r, enum cat c)
{
    static const double cum[3][5] = {
        /* cumulative weights of 1..5 */
        {0.30, 0.65, 0.92, 1.00, 1.00},
        {0.00, 0.05, 0.30, 0.85, 1.00},
        {0.00, 0.00, 0.05, 0.35, 1.00},
    };
    return 1 + (int)rng_choice_cum(r, cum[c], 5);
}

static int draw_ces(struct rng *r, enum cat c, double ease)
{
    static const double mean[3] = {3.2, 4.9, 6.0};
    double v = floor(rng_normal(r, mean[c] + ease, 1.0) + 0.5);
    return clamp((int)v, 1, 7);
}

static void put_score(struct demo_out *w, int v)
{
    if (v < 10) {
        demo_out_putc(w, (char)('0' + v));
    } else {
        demo_out_putc(w, '1');
        demo_out_putc(w, '0');
    }
}

static void one_response(struct ctx *x, struct demo_out *w, uint64_t id,
                         const struct day_state *ds, int64_t utc)
{
    struct demo *d = x->d;
    struct rng *r = &x->r;
    int t =
        (int)rng_choice_cum(r, x->tp_cum[ds->weekend * 2 + ds->broken], TP_N);
    const struct demo_touchpoint *tp = &demo_touchpoints[t];

    /* Who answers: someone the survey followed up, or any tenant. */
    uint32_t cust;
    const struct demo_anchor *an = NULL;
    if (tp->anchor != AN_TENANT) {
        const struct demo_anchors *l = &d->an[tp->anchor];
        size_t lo = lower_bound(l, utc - tp->lag_hi);
        size_t hi = lower_bound(l, utc - tp->lag_lo + 1);
        /* Draw among the anchors as drawn before (j) and (k), so that
         * the draws stay as they were. */
        size_t n0 = l->orig ? l->orig[hi] - l->orig[lo] : hi - lo;
        if (n0) {
            size_t k = rng_below(r, n0), j = lo + k;
            if (l->orig)
                for (j = lo;; j++)
                    if (!(l->a[j].aux & AUX_NEW) && k-- == 0)
                        break;
            an = live_anchor(l, hi, j);
        } else if (lo < hi) {
            /* Only (k)'s new ones: the tenant pick's draws as before. */
            pick_tenant(x, ds->day);
            an = live_anchor(l, hi, lo);
        }
    }
    cust = an ? an->cust : pick_tenant(x, ds->day);
    const struct demo_customer *c = &d->cust[cust];
    int team = demo_districts[c->district].team;
    double res =
        an && an->val &&
                (tp->anchor == AN_REPAIR || tp->anchor == AN_REPAIR_APP ||
                 tp->anchor == AN_REPAIR_PHONE)
            ? an->val / 10.0
            : -1;
    int app_broken = ds->broken && tp->channel == CH_APP;

    int target = tp->base_nps + demo_segments[c->seg].nps_shift + c->shift;
    if (t == TP_KONTRAKT_DIGITAL)
        target += (int)floor(CONTRACT_NPS_START +
                             CONTRACT_NPS_PER_MONTH * ds->month_index + 0.5);
    if (app_broken)
        target += BROKEN_LOGIN_NPS;
    if (t == TP_VISNING && team == TEAM_NORR)
        target += FRIENDLY_VIEWING_NPS;
    int again = res >= 0 && (an->aux & AUX_AGAIN);
    if (res >= 0)
        target += demo_fault_nps[demo_fault_band(res)];
    if (again) /* (i): reported again before the repair */
        target += AGAIN_NPS;
    if (t == TP_BESIKTNING_IN) /* (k): the move-in experience */
        target += c->movein;
    /* (f), (g): the rating battery and the expectation gap. */
    struct demo_answers ans;
    double extra = demo_answers_draw(&ans, &x->ra, t, c,
                                     t == TP_KUNDSERVICE_TEL && an && an->val);
    target += (int)floor(extra + 0.5);
    target = clamp(target, -TARGET_MAX, TARGET_MAX);

    double p_det = (1 - PASSIVE - target / 100.0) / 2;
    double u = rng_uniform(r);
    enum cat cat = u < p_det ? DET : u < p_det + PASSIVE ? PAS : PRO;

    int q = tp->questions;
    int nps = draw_nps(r, cat);
    int csat = draw_csat(r, cat);
    int ces = draw_ces(r, cat, app_broken ? BROKEN_LOGIN_CES : 0);
    /* Short surveys: some stop after the first question. */
    if (rng_bernoulli(r, 0.06)) {
        q &= (q & Q_NPS) ? Q_NPS : (q & Q_CSAT) ? Q_CSAT : Q_CES;
        ans.drivers = ans.gap = ans.story = 0;
    }
    if (res >= 0 && (q & Q_NPS)) { /* (a) as generated: E[NPS] = target */
        int b = demo_fault_band(res);
        d->fault_sum[b] += target;
        d->fault_n[b]++;
        d->again_sum[again][b] += target;
        d->again_n[again][b]++;
    }
    if (t == TP_BESIKTNING_IN && (q & Q_NPS)) { /* (k) as generated */
        int g = nps >= 9 ? 2 : nps >= 7 ? 1 : 0;
        const int64_t year = (int64_t)365 * DAY;
        int gave = c->notice_t > utc && c->notice_t <= utc + year;
        int full = utc + year <= demo_local_to_utc(d->day_end * DAY);
        for (int k = 0; k <= full; k++) {
            d->movein_n[k][g]++;
            d->movein_notice[k][g] += gave;
        }
    }

    /* The comment draw is from its own stream, so the share does not
     * change any score. */
    int has_comment = rng_uniform(&x->rc) < x->comment_p[cat];

    demo_out_id(w, 'R', id, 8);
    demo_out_putc(w, ',');
    demo_out_time(w, utc);
    demo_out_putc(w, ',');
    demo_out_id(w, 'K', (uint64_t)cust + 1, d->n_cust > 999999 ? 8 : 6);
    demo_out_putc(w, ',');
    demo_out_puts(w, tp->key);
    demo_out_putc(w, ',');
    demo_out_puts(w, demo_channel_name[tp->channel]);
    demo_out_puts(w, c->english ? ",en," : ",sv,");
    if (q & Q_NPS)
        put_score(w, nps);
    demo_out_putc(w, ',');
    if (q & Q_CSAT)
        put_score(w, csat);
    demo_out_putc(w, ',');
    if (q & Q_CES)
        put_score(w, ces);
    demo_answers_write(w, &ans);
    demo_out_putc(w, ',');
    if (has_comment) {
        struct demo_comment_ctx cc = {
            .tp = t,
            .sentiment = cat == DET   ? SENT_NEG
                         : cat == PAS ? SENT_NEU
                                      : SENT_POS,
            .english = c->english,
            .login_broken = app_broken,
            .res_hours = res,
            .fault_object = an && res >= 0 ? an->code : -1,
            .team = team,
            .district = c->district,
        };
        demo_comment_compose(&x->comment, &x->rc, &cc);
        demo_out_csv(w, x->comment.p, x->comment.n);
    }
    demo_out_putc(w, '\n');
}

static double day_weight(const struct demo *d, int64_t day)
{
    static const double season[12] = {1.05, 1.0,  1.0, 1.0,  1.0, 0.9,
                                      0.6,  1.15, 1.1, 1.05, 1.0, 0.85};
    int y;
    unsigned m, dd;
    tstamp_civil_from_days(day, &y, &m, &dd);
    int wd = demo_weekday(day);
    double w = season[m - 1] * (wd == 5 ? 0.65 : wd == 6 ? 0.7 : 1.0);
    /* The survey programme grows a little over the years. */
    return w * (1 + 0.15 * (double)(day - d->day0) /
                        (double)(d->day_end - d->day0));
}

/* Sorts seconds of the day (< 2^17) in two counting passes; tmp holds n. */
static void sort_secs(uint32_t *a, uint32_t *tmp, size_t n)
{
    size_t cnt[512];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
        cnt[a[i] & 511]++;
    for (size_t i = 0, sum = 0; i < 512; i++) {
        size_t c = cnt[i];
        cnt[i] = sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++)
        tmp[cnt[a[i] & 511]++] = a[i];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
        cnt[tmp[i] >> 9]++;
    for (size_t i = 0, sum = 0; i < 512; i++) {
        size_t c = cnt[i];
        cnt[i] = sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++)
        a[cnt[tmp[i] >> 9]++] = tmp[i];
}

void demo_responses_write(struct demo *d, struct demo_out *w,
                          demo_progress_fn progress, void *ctx)
{
    /* When in the day people answer (local hour weights). */
    static const double hour_w[24] = {
        0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 1.2, 1.6, 1.8, 1.8, 1.7,
        1.9, 1.8, 1.6,  1.6,  1.8,  2.0, 2.1, 2.2, 2.1, 1.8, 1.2, 0.6};
    struct ctx x = {.d = d};
    uint64_t total = d->o->responses, done = 0;
    size_t ndays = (size_t)(d->day_end - d->day0);
    double *cum = xmalloc(ndays * sizeof *cum);
    double hour_cum[24], s = 0;
    uint32_t *secs = NULL, *tmp = NULL;
    size_t secs_cap = 0, tmp_cap = 0;

    rng_seed_stream(&x.r, d->o->seed, STREAM_RESPONSES);
    rng_seed_stream(&x.rc, d->o->seed, STREAM_COMMENTS);
    rng_seed_stream(&x.ra, d->o->seed, STREAM_ANSWERS);
    strbuf_init(&x.comment, 0);
    build_tp_tables(&x);
    /* Detractors write more often: p = share^k, k < 1 for detractors,
     * which keeps 0 and 1 exact and the overall share close to --comments. */
    static const double expo[3] = {0.65, 1.25, 1.25};
    for (int c = 0; c < 3; c++) {
        double share = d->o->comments;
        x.comment_p[c] = share >= 1   ? 1.1
                         : share <= 0 ? 0
                                      : pow(share, expo[c]);
    }
    for (int h = 0; h < 24; h++)
        hour_cum[h] = s += hour_w[h];
    s = 0;
    for (size_t i = 0; i < ndays; i++)
        cum[i] = s += day_weight(d, d->day0 + (int64_t)i);

    demo_out_puts(w, "id,submitted_at,customer,touchpoint,channel,language,"
                     "nps,csat,ces");
    demo_answers_header(w);
    demo_out_puts(w, ",comment\n");
    uint64_t prev = 0;
    for (size_t i = 0; i < ndays; i++) {
        /* Apportion the total over days by cumulative rounding, so the
         * counts add up to exactly --responses. */
        uint64_t upto =
            i + 1 == ndays ? total
                           : (uint64_t)floor(
                                 (double)total * cum[i] / cum[ndays - 1] + 0.5);
        size_t n = (size_t)(upto - prev);
        prev = upto;
        struct day_state ds;
        int y;
        unsigned m, dd;
        ds.day = d->day0 + (int64_t)i;
        tstamp_civil_from_days(ds.day, &y, &m, &dd);
        ds.month_index = (y - d->y0) * 12 + ((int)m - d->m0);
        ds.weekend = demo_weekday(ds.day) >= 5;
        ds.broken = ds.day >= d->broken0 && ds.day < d->broken_end;
        if (n > secs_cap) {
            secs = xgrow(secs, &secs_cap, n, sizeof *secs);
            tmp = xgrow(tmp, &tmp_cap, n, sizeof *tmp);
        }
        /* The hour skipped when summer time starts is not drawn, so the
         * sorted local times stay in UTC order. */
        int spring = m == 3 && demo_tz_offset(ds.day * DAY) == 60 &&
                     demo_tz_offset(ds.day * DAY + 23 * HOUR) == 120;
        for (size_t j = 0; j < n; j++) {
            int h = (int)rng_choice_cum(&x.r, hour_cum, 24);
            if (spring && h == 2)
                h = 3;
            secs[j] = (uint32_t)(h * HOUR) + (uint32_t)rng_below(&x.r, HOUR);
        }
        sort_secs(secs, tmp, n);
        for (size_t j = 0; j < n; j++) {
            int64_t utc = demo_local_to_utc(ds.day * DAY + secs[j]);
            one_response(&x, w, ++done, &ds, utc);
            if (progress && (done & 0xffff) == 0)
                progress(ctx, "responses.csv", done, total);
        }
    }
    w->rows = done;
    if (progress)
        progress(ctx, "responses.csv", done, total);
    strbuf_dispose(&x.comment);
    free(secs);
    free(tmp);
    free(cum);
}
