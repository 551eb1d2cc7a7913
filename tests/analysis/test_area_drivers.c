/* The driver share of improvement areas on a generated column store with
 * a planted effect (src/analysis/area_drivers.c): a harmful theme gets a
 * large share and a harmless one a small one, a rare theme and a failing
 * touchpoint get NAN, areas without a theme or after the first top are
 * left alone, and the period narrows the responses. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/area_drivers.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "loop/loop_metrics.h"

/* Responses at touchpoint "main" (and as many at "other") over DAYS days
 * from DAY0. 80% have an analysed comment; of those "alpha" is mentioned
 * by 30%, "beta" by 30% (independently), "rare" by RARE rows. NPS is
 * round(7 + N(0, 1.5)), minus 5 for alpha from day DAY0 + DAYS / 2 on
 * (before that alpha is as harmless as beta), clamped to 0..10. */
#define N_ROWS 4000
#define DAYS 100
#define DAY0 20000
#define RARE 5
#define UNTOUCHED 42.0

struct world {
    struct colstore *cs;
};

static double normal(struct gen *g)
{
    double u1 = gen_unit(g), u2 = gen_unit(g);
    return sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
}

static int setup(void **state)
{
    static struct world w;
    struct gen g;
    struct err err = ERR_INIT;
    gen_seed(&g, 11);
    struct colstore *cs = w.cs = colstore_new();
    int j = colstore_add_journey(cs, "hyra", "Hyra", &err);
    int st = colstore_add_stage(cs, j, "boende", "Boende", 0, &err);
    int tps[2] = {colstore_add_touchpoint(cs, st, "main", "Main", &err),
                  colstore_add_touchpoint(cs, st, "other", "Other", &err)};
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int alpha = colstore_intern(cs, DIM_THEME, "alpha", &err);
    int beta = colstore_intern(cs, DIM_THEME, "beta", &err);
    int rare = colstore_intern(cs, DIM_THEME, "rare", &err);
    assert_int_equal(err.code, 0);
    int rares = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        int64_t day = DAY0 + (int64_t)(i / 2 % DAYS);
        int commented = gen_unit(&g) < 0.8;
        int a = commented && gen_unit(&g) < 0.3;
        int b = commented && gen_unit(&g) < 0.3;
        int r = commented && i % 2 == 0 && rares < RARE;
        double s =
            round(7 + 1.5 * normal(&g)) - (a && day >= DAY0 + DAYS / 2 ? 5 : 0);
        struct colstore_row row = {tps[i % 2],
                                   ch,
                                   -1,
                                   -1,
                                   0,
                                   day,
                                   s < 0 ? 0 : s > 10 ? 10 : (int)s,
                                   -1,
                                   -1,
                                   (int64_t)i + 1,
                                   -1,
                                   0};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
        if (commented)
            colstore_set_sentiment(cs, i, COLSTORE_NEUTRAL, &err);
        if (a)
            colstore_add_mention(cs, i, alpha, -1, &err);
        if (b)
            colstore_add_mention(cs, i, beta, -1, &err);
        if (r) {
            colstore_add_mention(cs, i, rare, -1, &err);
            rares++;
        }
    }
    assert_int_equal(err.code, 0);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    colstore_free(w->cs);
    return 0;
}

static void area(struct improvement_area *a, const char *theme,
                 const char *touchpoint)
{
    memset(a, 0, sizeof *a);
    a->theme = (char *)theme;
    a->touchpoint = (char *)touchpoint;
    a->driver_importance = theme ? NAN : UNTOUCHED;
}

static int64_t utc(int64_t day)
{
    return day * 86400;
}

static void test_area_drivers_harmful_theme_gets_the_large_share(void **state)
{
    struct world *w = *state;
    struct improvement_area v[6];
    struct improvement_areas as = {v, 6, 0};
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    struct area_drivers_info info;
    struct err err = ERR_INIT;
    area(&v[0], "alpha", "main");
    area(&v[1], "beta", "main");
    area(&v[2], "rare", "main");
    area(&v[3], NULL, "main");
    area(&v[4], "alpha", "nosuch");
    area(&v[5], "alpha", "other"); /* after top: left alone */
    v[5].driver_importance = UNTOUCHED;
    o.top = 5;
    o.from = utc(DAY0 + DAYS / 2);
    o.to = utc(DAY0 + DAYS);
    assert_int_equal(area_drivers_fill(&as, w->cs, &o, &info, &err), 0);

    /* alpha -5 points in 30% of the commented responses against a
     * residual sd of 1.5: it carries most of the NPS variance (about
     * 0.21 * 25 / (0.21 * 25 + 2.25) = 70% in theory); beta none */
    assert_true(v[0].driver_importance > 50);
    assert_true(v[0].driver_importance < 90);
    assert_true(v[1].driver_importance >= 0);
    assert_true(v[1].driver_importance < 1);
    assert_true(isnan(v[2].driver_importance)); /* under min_n: left out */
    assert_close(v[3].driver_importance, UNTOUCHED, 0, 0);
    assert_true(isnan(v[4].driver_importance)); /* the analysis failed */
    assert_close(v[5].driver_importance, UNTOUCHED, 0, 0);

    assert_int_equal(info.top, 5);
    assert_int_equal(info.min_n, 30);
    assert_int_equal(info.touchpoints, 2); /* main once, nosuch */
    assert_int_equal(info.failed, 1);
    assert_non_null(strstr(info.note, "nosuch: "));
}

static void test_area_drivers_period_selects_the_responses(void **state)
{
    struct world *w = *state;
    struct improvement_area v[2];
    struct improvement_areas as = {v, 2, 0};
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    struct area_drivers_info info;
    struct err err = ERR_INIT;
    area(&v[0], "alpha", "main");
    area(&v[1], "beta", "main");
    /* the first half: alpha as harmless as beta */
    o.from = utc(DAY0);
    o.to = utc(DAY0 + DAYS / 2);
    assert_int_equal(area_drivers_fill(&as, w->cs, &o, &info, &err), 0);
    assert_int_equal(info.failed, 0);
    assert_true(v[0].driver_importance < 1);
    assert_true(v[1].driver_importance < 1);

    /* all time: alpha's effect diluted by the first half but clear */
    area(&v[0], "alpha", "main");
    area(&v[1], "beta", "main");
    o.from = o.to = 0;
    assert_int_equal(area_drivers_fill(&as, w->cs, &o, NULL, &err), 0);
    assert_true(v[0].driver_importance > 20);
    assert_true(v[1].driver_importance < 1);

    /* a period without responses: the touchpoint fails, not the call */
    area(&v[0], "alpha", "main");
    o.from = utc(DAY0 + 2 * DAYS);
    o.to = utc(DAY0 + 3 * DAYS);
    assert_int_equal(area_drivers_fill(&as, w->cs, &o, &info, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(info.failed, 1);
    assert_true(isnan(v[0].driver_importance));
    assert_true(strlen(info.note) > strlen("main: "));
}

static void test_area_drivers_min_n_decides_which_themes_count(void **state)
{
    struct world *w = *state;
    struct improvement_area v[1];
    struct improvement_areas as = {v, 1, 0};
    struct area_drivers_opts o = AREA_DRIVERS_OPTS_INIT;
    struct err err = ERR_INIT;
    area(&v[0], "rare", "main");
    o.min_n = RARE;
    assert_int_equal(area_drivers_fill(&as, w->cs, &o, NULL, &err), 0);
    assert_false(isnan(v[0].driver_importance));
    assert_true(v[0].driver_importance >= 0);
}

/* Marks each fixed field seen; stops with 7 at the theme if asked. */
struct seen {
    int core[64];
    int stop;
};

static int see_field(void *ctx, const struct field *f)
{
    struct seen *s = ctx;
    if (f->kind == FIELD_CORE && f->core < 64)
        s->core[f->core] = 1;
    return s->stop && f->kind == FIELD_CORE && f->core == FC_THEME ? 7 : 0;
}

static void test_area_drivers_fields_names_what_the_analysis_reads(void **state)
{
    (void)state;
    struct seen s = {{0}, 0};
    assert_int_equal(area_drivers_fields(see_field, &s), 0);
    assert_true(s.core[FC_NPS_SCORE]);
    assert_true(s.core[FC_THEME]);
    assert_true(s.core[FC_SENTIMENT]);
    assert_true(s.core[FC_TOUCHPOINT]);
    assert_true(s.core[FC_DAY]);
    s.stop = 1;
    assert_int_equal(area_drivers_fields(see_field, &s), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_drivers_harmful_theme_gets_the_large_share),
        cmocka_unit_test(test_area_drivers_period_selects_the_responses),
        cmocka_unit_test(test_area_drivers_min_n_decides_which_themes_count),
        cmocka_unit_test(
            test_area_drivers_fields_names_what_the_analysis_reads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
