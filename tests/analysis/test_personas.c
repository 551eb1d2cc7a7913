/* Personas on generated customers with planted groups: recovery (ARI
 * against the planted segment), the choice of k, determinism per seed,
 * the cards, the report and bad input (src/analysis/personas.c). */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/personas.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/personas_report.h"
#include "report/result.h"
#include "stats/metrics.h"

/* Three planted groups of N_PER customers, well separated on mixed
 * features: income N(0/6/12, 1.5); city = the group's own city with
 * probability 0.85, else one of the others; channel: group 0 answers in
 * the app 90% of the time, group 1 by phone 90%, group 2 half and half;
 * 2-4 responses each. Group 2 comments mention "wait" negatively, the
 * others "staff" positively. A fourth set of customers has no response
 * and must not be clustered. */
#define N_PER 150
#define N_GROUPS 3
#define N_SILENT 20

struct world {
    struct colstore *cs;
    int group[N_GROUPS * N_PER + N_SILENT];
    double rent[N_GROUPS * N_PER + N_SILENT], area[N_GROUPS * N_PER + N_SILENT];
    int64_t commented_id[N_GROUPS * N_PER * 4 + 1]; /* ids of commented rows */
    size_t n_commented;
};

static int setup(void **state)
{
    static struct world w;
    static const char *const cities[3] = {"Norr", "Syd", "Väst"};
    static const char *const segs[3] = {"g0", "g1", "g2"};
    struct gen g;
    struct err err = ERR_INIT;
    gen_seed(&g, 11);
    struct colstore *cs = w.cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int st = colstore_add_stage(cs, j, "s", "S", 0, &err);
    int tps[2] = {colstore_add_touchpoint(cs, st, "visit", "Visit", &err),
                  colstore_add_touchpoint(cs, st, "call", "Call", &err)};
    int app = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    int phone = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    int wait = colstore_intern(cs, DIM_THEME, "wait", &err);
    int staff = colstore_intern(cs, DIM_THEME, "staff", &err);
    assert_int_equal(err.code, 0);
    size_t nc = N_GROUPS * N_PER + N_SILENT;
    for (size_t c = 0; c < nc; c++) {
        w.group[c] = c < N_GROUPS * N_PER ? (int)(c % N_GROUPS) : 0;
        assert_int_equal(
            colstore_add_customer(cs, (int64_t)c + 1, segs[w.group[c]], &err),
            (int)c);
    }
    int inc = colstore_col_add(cs, COLSTORE_CUSTOMERS, "income", COLSTORE_NUM,
                               NAN, &err);
    int city = colstore_col_add(cs, COLSTORE_CUSTOMERS, "city", COLSTORE_CAT,
                                NAN, &err);
    int band = colstore_col_add(cs, COLSTORE_CUSTOMERS, "band", COLSTORE_CAT,
                                NAN, &err);
    /* The groups pay 100, 150, 200 a square metre (+-5%) on areas drawn
     * alike: rent and area overlap between the groups, their ratio does
     * not. Every 40th customer has no area, every 41st an area of 0. */
    int rent = colstore_col_add(cs, COLSTORE_CUSTOMERS, "rent", COLSTORE_NUM,
                                NAN, &err);
    int area = colstore_col_add(cs, COLSTORE_CUSTOMERS, "area", COLSTORE_NUM,
                                NAN, &err);
    for (size_t c = 0; c < nc; c++) {
        int gr = w.group[c];
        double u1 = gen_unit(&g), u2 = gen_unit(&g);
        double z = sqrt(-2 * log(1 - u1)) * cos(6.283185307179586 * u2);
        colstore_col_set_num(cs, COLSTORE_CUSTOMERS, inc, c, 6.0 * gr + 1.5 * z,
                             &err);
        int ci = gen_unit(&g) < 0.85 ? gr : (gr + 1 + gen_range(&g, 0, 1)) % 3;
        colstore_col_set_label(cs, COLSTORE_CUSTOMERS, city, c, cities[ci],
                               strlen(cities[ci]), &err);
        w.area[c] = c % 40 == 0   ? NAN
                    : c % 41 == 0 ? 0
                                  : 30 + 90 * gen_unit(&g);
        w.rent[c] = (30 + 90 * gen_unit(&g)) * (100 + 50 * gr) *
                    (0.95 + 0.1 * gen_unit(&g));
        if (!isnan(w.area[c]) && w.area[c] > 0)
            w.rent[c] =
                w.area[c] * (100 + 50 * gr) * (0.95 + 0.1 * gen_unit(&g));
        colstore_col_set_num(cs, COLSTORE_CUSTOMERS, rent, c, w.rent[c], &err);
        colstore_col_set_num(cs, COLSTORE_CUSTOMERS, area, c, w.area[c], &err);
        const char *b = gr == 0 ? "18-29" : gr == 1 ? "30-49" : "50+";
        colstore_col_set_label(cs, COLSTORE_CUSTOMERS, band, c, b, strlen(b),
                               &err);
    }
    int64_t id = 0;
    size_t row = 0;
    for (int round = 0; round < 4; round++)
        for (size_t c = 0; c < N_GROUPS * N_PER; c++) {
            int gr = w.group[c];
            if (round >= 2 && gen_unit(&g) < 0.5)
                continue;
            double papp = gr == 0 ? 0.9 : gr == 1 ? 0.1 : 0.5;
            struct colstore_row r = {tps[gen_range(&g, 0, 1)],
                                     gen_unit(&g) < papp ? app : phone,
                                     -1,
                                     -1,
                                     0,
                                     20000 + round,
                                     gr == 2 ? gen_range(&g, 0, 8)
                                             : gen_range(&g, 5, 10),
                                     -1,
                                     -1,
                                     ++id,
                                     (int64_t)c,
                                     0};
            assert_int_equal(colstore_append(cs, &r, &err), 0);
            if (gen_unit(&g) < 0.5) {
                colstore_set_sentiment(cs, row, COLSTORE_NEUTRAL, &err);
                colstore_add_mention(cs, row, gr == 2 ? wait : staff,
                                     gr == 2 ? -1 : 1, &err);
                w.commented_id[w.n_commented++] = id;
            }
            row++;
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

static struct personas_result *run(const struct world *w, const char *features,
                                   int k, uint64_t seed, const char *where)
{
    struct personas_spec *s = NULL;
    struct personas_result *r = NULL;
    struct personas_opts o = PERSONAS_OPTS_INIT;
    struct metrics_query q;
    struct field truth;
    struct err err = ERR_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (where && metrics_query_where(&q, where, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(field_parse(&truth, "segment", 7, FIELD_RESPONSES, &err),
                     0);
    o.filter = &q;
    o.k = k;
    o.k_max = 6;
    o.seed = seed;
    o.truth = &truth;
    o.min_n = 20;
    if (personas_spec_new(&s, features, &err) < 0 ||
        personas_run(&r, w->cs, s, &o, &err) < 0)
        fail_msg("%s: %s", features, err.msg);
    personas_spec_free(s);
    metrics_query_dispose(&q);
    return r;
}

static int run_err(const struct world *w, const char *features, int k,
                   const char *where, struct err *err)
{
    struct personas_spec *s = NULL;
    struct personas_result *r = NULL;
    struct personas_opts o = PERSONAS_OPTS_INIT;
    struct metrics_query q;
    int rc;
    metrics_query_init(&q, FIELD_RESPONSES);
    if (where)
        assert_int_equal(metrics_query_where(&q, where, err), 0);
    o.filter = &q;
    o.k = k;
    rc = personas_spec_new(&s, features, err);
    if (rc == 0)
        rc = personas_run(&r, w->cs, s, &o, err);
    assert_null(r);
    personas_spec_free(s);
    metrics_query_dispose(&q);
    return rc;
}

#define MIXED "customer.income,customer.city,channels,nps"

static void test_personas_recover_planted_groups(void **state)
{
    const struct world *w = *state;
    struct personas_result *r = run(w, MIXED, 0, 1, NULL);
    assert_int_equal(r->customers, N_GROUPS * N_PER); /* silent ones out */
    assert_int_equal(r->k, N_GROUPS);                 /* the criterion */
    assert_false(r->k_fixed);
    assert_true(r->ari_truth > 0.9);
    assert_true(r->ari_seeds > 0.9);
    assert_int_equal(r->truth_groups, N_GROUPS);
    /* the silhouette peaks at the planted k */
    for (int k = 2; k <= 6; k++)
        if (k != N_GROUPS)
            assert_true(r->silhouette[k] < r->silhouette[N_GROUPS]);
    assert_int_equal(r->n_numeric, 4); /* income, channel=app, =phone, nps */
    assert_int_equal(r->n_categorical, 1);
    assert_close(r->gamma, 1.0, 0, 1e-9);
    /* sizes add up, largest first */
    size_t tot = 0;
    for (int c = 0; c < r->k; c++) {
        tot += r->p[c].n;
        if (c)
            assert_true(r->p[c].n <= r->p[c - 1].n);
    }
    assert_int_equal(tot, r->customers);
    personas_result_free(r);
}

static void test_personas_ordinal_bands_and_categorical_only(void **state)
{
    const struct world *w = *state;
    /* band levels are ranges: used as an ordered number */
    struct personas_result *r =
        run(w, "customer.band,customer.city", 3, 2, NULL);
    assert_int_equal(r->n_numeric, 1);
    assert_int_equal(r->n_categorical, 1);
    /* not ~1: the bands 18 and 30 lie 0.83 apart squared once
     * standardised, less than gamma = 1, so a customer of the first
     * band living in the second group's city joins that group */
    assert_true(r->ari_truth > 0.75);
    personas_result_free(r);
    /* categorical only: k-modes */
    r = run(w, "customer.city", 3, 2, NULL);
    assert_int_equal(r->n_numeric, 0);
    assert_true(r->ari_truth > 0.4);
    personas_result_free(r);
}

/* A derived feature: the planted groups differ only in rent per area. */
static void test_personas_ratio_feature(void **state)
{
    const struct world *w = *state;
    struct personas_result *r =
        run(w, "customer.rent/customer.area", 3, 1, NULL);
    assert_int_equal(r->n_numeric, 1);
    assert_string_equal(r->features[0].name, "rent/area");
    /* the mean and missing count, computed here from the planted values */
    double sum = 0;
    size_t n = 0, missing = 0;
    for (size_t c = 0; c < N_GROUPS * N_PER; c++) {
        if (isnan(w->area[c]) || w->area[c] == 0) {
            missing++;
            continue;
        }
        sum += w->rent[c] / w->area[c];
        n++;
    }
    assert_int_equal(r->features[0].missing, missing);
    assert_close(r->features[0].mean, sum / (double)n, 0, 1e-9);
    /* the customers with a ratio are all placed right: ARI over 0.9 with
     * the missing ones (placed at the mean) counted against it */
    assert_true(r->ari_truth > 0.9);
    personas_result_free(r);
    /* rent and area apart find much less of it */
    r = run(w, "customer.rent,customer.area", 3, 1, NULL);
    assert_true(r->ari_truth < 0.7);
    personas_result_free(r);
}

static void test_personas_deterministic_per_seed(void **state)
{
    const struct world *w = *state;
    struct personas_result *a = run(w, MIXED, 0, 7, NULL);
    struct personas_result *b = run(w, MIXED, 0, 7, NULL);
    assert_int_equal(a->k, b->k);
    assert_int_equal(a->customers, b->customers);
    assert_memory_equal(a->assign, b->assign, a->customers * sizeof *a->assign);
    assert_close(a->ari_seeds, b->ari_seeds, 0, 0);
    for (int k = 2; k <= 6; k++)
        assert_close(a->silhouette[k], b->silhouette[k], 0, 0);
    personas_result_free(a);
    personas_result_free(b);
}

static const struct personas_persona *
persona_of_group(const struct world *w, const struct personas_result *r,
                 int group)
{
    size_t votes[PERSONAS_K_MAX] = {0}, best = 0;
    for (size_t i = 0; i < r->customers; i++)
        if (w->group[r->customer[i]] == group)
            votes[r->assign[i]]++;
    for (int c = 1; c < r->k; c++)
        if (votes[c] > votes[best])
            best = (size_t)c;
    return &r->p[best];
}

static void test_personas_cards_describe_groups(void **state)
{
    const struct world *w = *state;
    struct personas_result *r = run(w, MIXED, 3, 1, NULL);
    const struct personas_persona *p0 = persona_of_group(w, r, 0);
    const struct personas_persona *p2 = persona_of_group(w, r, 2);
    /* group 0: the app first, its city among the traits */
    assert_string_equal(p0->channels[0].label, "app");
    assert_true(p0->channels[0].in > 0.8);
    int city = 0;
    for (size_t t = 0; t < p0->n_traits; t++)
        city |= !strcmp(p0->traits[t].label, "city=Norr");
    assert_true(city);
    /* group 2: lower NPS, "wait" its pain; group 0 has no pain */
    assert_true(p2->nps.value < p0->nps.value);
    assert_true(p2->nps.n > 0 && p2->nps.lo < p2->nps.value);
    assert_int_equal(p2->n_pains, 1);
    assert_string_equal(p2->pains[0].label, "wait");
    assert_int_equal(p0->n_pains, 0);
    assert_string_equal(p0->themes[0].label, "staff");
    /* quotes: two commented responses of two customers of the persona */
    for (int c = 0; c < r->k; c++)
        for (int q = 0; q < 2; q++) {
            int64_t id = r->p[c].quote_id[q];
            int found = 0;
            assert_true(id > 0);
            for (size_t i = 0; i < w->n_commented; i++)
                found |= w->commented_id[i] == id;
            assert_true(found);
        }
    assert_true(r->p[0].quote_id[0] != r->p[0].quote_id[1]);
    personas_result_free(r);
}

static void test_personas_filter_narrows_customers(void **state)
{
    const struct world *w = *state;
    struct personas_result *r = run(w, MIXED, 2, 1, "customer.city=Norr,Syd");
    assert_true(r->customers < N_GROUPS * N_PER);
    assert_true(r->customers > N_PER);
    personas_result_free(r);
}

static void test_personas_report_has_cards_and_method(void **state)
{
    const struct world *w = *state;
    struct personas_result *r = run(w, MIXED, 0, 1, NULL);
    const char *quotes[2 * PERSONAS_K_MAX] = {"Bra bemötande.", NULL};
    struct result *res = personas_report_build(r, quotes);
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(result_render(&b, res, RESULT_FORMAT_JSON, &err), 0);
    const char *s = strbuf_str(&b);
    assert_non_null(strstr(s, "\"personas\":["));
    assert_non_null(strstr(s, "\"criterion\":["));
    assert_non_null(strstr(s, "\"ari_truth\":"));
    assert_non_null(strstr(s, "\"ari_seeds\":"));
    assert_non_null(strstr(s, "Bra bemötande."));
    assert_non_null(strstr(s, "Huang 1998"));
    assert_non_null(strstr(s, "Hubert and Arabie 1985"));
    assert_non_null(strstr(s, "Rousseeuw 1987"));
    assert_int_equal(result_table_rows(result_table_find(res, "personas")),
                     (size_t)r->k);
    assert_int_equal(result_table_rows(result_table_find(res, "criterion")), 5);
    strbuf_reset(&b);
    assert_int_equal(result_render_with(&b, res, RESULT_FORMAT_TABLE,
                                        RESULT_RENDER_METHOD, &err),
                     0);
    assert_non_null(strstr(strbuf_str(&b), "P1"));
    strbuf_dispose(&b);
    result_free(res);
    personas_result_free(r);
}

static void test_personas_bad_input_is_a_clear_error(void **state)
{
    const struct world *w = *state;
    struct err err = ERR_INIT;
    struct personas_result *r = NULL;

    /* fewer customers than k needs */
    assert_int_equal(run_err(w, MIXED, 12, "customer.income<-2", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "too few customers"));

    err_clear(&err);
    assert_int_equal(run_err(w, "", 3, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "empty feature"));

    err_clear(&err);
    assert_int_equal(personas_run(&r, w->cs, NULL, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "no features"));
    assert_null(r);

    err_clear(&err);
    assert_int_equal(run_err(w, "customer.nosuch", 3, NULL, &err),
                     ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "nosuch"));

    err_clear(&err);
    assert_int_equal(run_err(w, "colour", 3, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "unknown feature"));

    /* a feature that never varies (rent / rent is 1) tells nothing */
    err_clear(&err);
    assert_int_equal(run_err(w, "customer.rent/customer.rent", 3, NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "no feature varies"));

    /* a ratio needs two numeric attributes */
    err_clear(&err);
    assert_int_equal(run_err(w, "customer.rent/customer.city", 3, NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "customer.city is not a number"));
    err_clear(&err);
    assert_int_equal(run_err(w, "customer.rent/area", 3, NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "customer.A/customer.B"));
    err_clear(&err);
    assert_int_equal(run_err(w, "customer.rent/customer.nosuch", 3, NULL, &err),
                     ERR_NOTFOUND);

    err_clear(&err);
    assert_int_equal(run_err(w, "nps,nps", 3, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "twice"));

    err_clear(&err);
    assert_int_equal(run_err(w, "channels:repair", 3, NULL, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "events"));

    err_clear(&err);
    assert_int_equal(run_err(w, MIXED, 1, NULL, &err), ERR_INVALID);

    err_clear(&err);
    assert_int_equal(run_err(w, MIXED, 3, "touchpoint=nosuch", &err),
                     ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_personas_recover_planted_groups),
        cmocka_unit_test(test_personas_ordinal_bands_and_categorical_only),
        cmocka_unit_test(test_personas_ratio_feature),
        cmocka_unit_test(test_personas_deterministic_per_seed),
        cmocka_unit_test(test_personas_cards_describe_groups),
        cmocka_unit_test(test_personas_filter_narrows_customers),
        cmocka_unit_test(test_personas_report_has_cards_and_method),
        cmocka_unit_test(test_personas_bad_input_is_a_clear_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
