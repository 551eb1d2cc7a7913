/* The questions beyond NPS, CSAT and CES (docs/demo-data.md, effects (f),
 * (g) and (h)): the repair survey's rating battery (key drivers), the
 * phone survey's expectation/perception pairs (gap) and its story
 * question (a triad and a dyad). All draws come from the caller's answers
 * stream, never from the stream that picks touchpoints and scores, so
 * every other column of the data set is the same with or without them. */
#include <math.h>

#include "demo/demo_int.h"

/* (f) Key drivers at `reparation`: 0..10 ratings. Each is
 * mean + sd * (sqrt(rho) * G + sqrt(1 - rho) * e_j), rounded and clamped,
 * with G the response's shared "overall experience" and e_j its own
 * noise. The expected NPS moves by weight * (answer - mean) / sd. */
#define DRIVER_RHO 0.4
#define GOTTSUNDA 6 /* index in demo_districts */
#define GOTTSUNDA_SPEED (-2.0)

struct driver {
    const char *key;
    double mean, sd;
    double weight; /* NPS points per planted sd */
};

static const struct driver drivers[DEMO_DRIVER_N] = {
    {"speed", 7.2, 2.0, 25},        /* Snabbhet: how fast it was fixed */
    {"quality", 7.6, 1.8, 16},      /* Kvalitet: the repair held */
    {"communication", 6.6, 2.0, 8}, /* Information: told when and what */
    {"staff", 8.3, 1.5, 3},         /* Bemötande: the repairer's manner */
};

/* (g) Expectation and perception at `kundservice_tel`, 1..7. Perception
 * shares a per-call factor H; the expected NPS moves by GAP_NPS points
 * per scale point of the summed gap (perceive - expect), centred on the
 * planted mean gaps. */
#define GAP_NPS 6.0
#define EXPECT_SD 0.9
#define PERCEIVE_H 0.7
#define PERCEIVE_SD 0.8

struct aspect {
    const char *key;
    double expect, perceive; /* planted latent means */
};

static const struct aspect aspects[DEMO_GAP_N] = {
    {"response_time", 6.0, 4.2}, /* Väntetid: getting through quickly */
    {"competence", 5.5, 5.6},    /* Kunnig: the agent knew the answer */
    {"followup", 5.8, 5.0},      /* Återkoppling: called back as promised */
};

/* (h) triad:why_contact, corners fix | know | reassure, Dirichlet with
 * these means per segment and concentration TRIAD_CONC. */
#define TRIAD_CONC 6.0
static const double triad_mean[SEG_N][3] = {
    {0.20, 0.60, 0.20}, /* Student: contracts, renewals, rent questions */
    {0.35, 0.45, 0.20}, /* Ung vuxen */
    {0.55, 0.25, 0.20}, /* Barnfamilj: things break in a big household */
    {0.45, 0.35, 0.20}, /* Par utan barn */
    {0.40, 0.35, 0.25}, /* Ensamstående */
    {0.30, 0.25, 0.45}, /* Senior: to be listened to, to feel safe */
};
/* dyad:settled, 0 = not settled .. 1 = fully settled: Beta with this
 * mean, lower when the call is a repeated contact. */
#define DYAD_CONC 5.0
#define DYAD_FIRST 0.72
#define DYAD_REPEAT 0.45

/* Who answers the extra questions, of those who did not stop after the
 * first one. */
#define DRIVERS_ANSWERED 0.9
#define GAP_ANSWERED 0.85
#define STORY_ANSWERED 0.6

static int round_clamp(double v, int lo, int hi)
{
    double f = floor(v + 0.5);
    return f < lo ? lo : f > hi ? hi : (int)f;
}

/* Gamma(shape, 1) by Marsaglia and Tsang; shape > 0. */
static double gamma_draw(struct rng *r, double shape)
{
    double boost = 1;
    if (shape < 1) {
        boost = pow(rng_uniform(r) + 1e-300, 1 / shape);
        shape += 1;
    }
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = rng_normal(r, 0, 1), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = rng_uniform(r);
        if (u < 1 - 0.0331 * x * x * x * x ||
            log(u + 1e-300) < 0.5 * x * x + d * (1 - v + log(v)))
            return boost * d * v;
    }
}

/* Beta(a, b) from two gammas. */
static double beta_draw(struct rng *r, double a, double b)
{
    double x = gamma_draw(r, a), y = gamma_draw(r, b);
    return x / (x + y);
}

double demo_answers_draw(struct demo_answers *a, struct rng *r, int tp,
                         const struct demo_customer *c, int repeat)
{
    double effect = 0;
    a->drivers = a->gap = a->story = 0;
    if (tp == TP_REPARATION) {
        double g = rng_normal(r, 0, 1);
        for (int j = 0; j < DEMO_DRIVER_N; j++) {
            const struct driver *dr = &drivers[j];
            double m = dr->mean;
            if (j == 0 && c->district == GOTTSUNDA)
                m += GOTTSUNDA_SPEED;
            double z = sqrt(DRIVER_RHO) * g +
                       sqrt(1 - DRIVER_RHO) * rng_normal(r, 0, 1);
            int v = round_clamp(m + dr->sd * z, 0, 10);
            a->driver[j] = (unsigned char)v;
            effect += dr->weight * (v - dr->mean) / dr->sd;
        }
        a->drivers = rng_bernoulli(r, DRIVERS_ANSWERED);
    } else if (tp == TP_KUNDSERVICE_TEL) {
        double h = rng_normal(r, 0, 1);
        for (int k = 0; k < DEMO_GAP_N; k++) {
            const struct aspect *as = &aspects[k];
            int e = round_clamp(rng_normal(r, as->expect, EXPECT_SD), 1, 7);
            int p = round_clamp(as->perceive + PERCEIVE_H * h +
                                    rng_normal(r, 0, PERCEIVE_SD),
                                1, 7);
            a->expect[k] = (unsigned char)e;
            a->perceive[k] = (unsigned char)p;
            effect += GAP_NPS * ((p - e) - (as->perceive - as->expect));
        }
        a->gap = rng_bernoulli(r, GAP_ANSWERED);
        double w[3], sum = 0;
        for (int i = 0; i < 3; i++)
            sum += w[i] = gamma_draw(r, TRIAD_CONC * triad_mean[c->seg][i]);
        /* Thousandths that add up to exactly 1000. */
        int t0 = round_clamp(1000 * w[0] / sum, 0, 1000);
        int t1 = round_clamp(1000 * w[1] / sum, 0, 1000 - t0);
        a->triad[0] = (unsigned short)t0;
        a->triad[1] = (unsigned short)t1;
        a->triad[2] = (unsigned short)(1000 - t0 - t1);
        double mean = repeat ? DYAD_REPEAT : DYAD_FIRST;
        double y = beta_draw(r, DYAD_CONC * mean, DYAD_CONC * (1 - mean));
        a->dyad = (unsigned short)round_clamp(1000 * y, 0, 1000);
        a->story = rng_bernoulli(r, STORY_ANSWERED);
    }
    return effect;
}

void demo_answers_header(struct demo_out *w)
{
    for (int j = 0; j < DEMO_DRIVER_N; j++) {
        demo_out_puts(w, ",rating:");
        demo_out_puts(w, drivers[j].key);
        demo_out_puts(w, "@10");
    }
    for (int k = 0; k < DEMO_GAP_N; k++) {
        demo_out_puts(w, ",expect:");
        demo_out_puts(w, aspects[k].key);
        demo_out_puts(w, "@7,perceive:");
        demo_out_puts(w, aspects[k].key);
        demo_out_puts(w, "@7");
    }
    demo_out_puts(w, ",triad:why_contact,dyad:settled");
}

static void put_thousandths(struct demo_out *w, unsigned v)
{
    demo_out_fixed(w, v / 1000.0, 3);
}

void demo_answers_write(struct demo_out *w, const struct demo_answers *a)
{
    for (int j = 0; j < DEMO_DRIVER_N; j++) {
        demo_out_putc(w, ',');
        if (a->drivers)
            demo_out_u64(w, a->driver[j]);
    }
    for (int k = 0; k < DEMO_GAP_N; k++) {
        demo_out_putc(w, ',');
        if (a->gap)
            demo_out_u64(w, a->expect[k]);
        demo_out_putc(w, ',');
        if (a->gap)
            demo_out_u64(w, a->perceive[k]);
    }
    demo_out_putc(w, ',');
    if (a->story) {
        for (int i = 0; i < 3; i++) {
            if (i)
                demo_out_putc(w, '|');
            put_thousandths(w, a->triad[i]);
        }
    }
    demo_out_putc(w, ',');
    if (a->story)
        put_thousandths(w, a->dyad);
}
