/* patterns' result: the tables and their columns for a triad and a dyad,
 * corner labels, the region as JSON, low-n flags, the histogram adding
 * up and the method notes; rendered as JSON and read back (jansson). */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "report/patterns_report.h"
#include "report/result.h"

#define DAY0 1704067200
#define N 200

/* Segments A (n 150) and B (n 50); triads and a dyad for everyone. */
static struct colstore *make_store(void)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int s = colstore_add_stage(cs, j, "s", "S", 0, &err);
    int tp = colstore_add_touchpoint(cs, s, "tel", "Tel", &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    int sg[2] = {colstore_intern(cs, DIM_SEGMENT, "A", &err),
                 colstore_intern(cs, DIM_SEGMENT, "B", &err)};
    struct gen g;
    gen_seed(&g, 9);
    for (size_t i = 0; i < N; i++) {
        int64_t ts = DAY0 + (int64_t)i * 60;
        struct colstore_row row = {
            tp, ch, sg[i % 4 == 3], -1, 0, tstamp_local_day(ts, 0), -1,
            -1, -1, (int64_t)i + 1, -1, ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    static const char *const names[4] = {"triad1:why", "triad2:why",
                                         "triad3:why", "dyad:settled"};
    int c[4];
    for (int p = 0; p < 4; p++)
        c[p] = colstore_col_add(cs, COLSTORE_RESPONSES, names[p], COLSTORE_NUM,
                                NAN, &err);
    for (size_t i = 0; i < N; i++) {
        double a = 0.1 + 0.6 * gen_unit(&g), b = (1 - a) * gen_unit(&g);
        double x[4] = {a, b, 1 - a - b, gen_unit(&g)};
        for (int p = 0; p < 4; p++)
            colstore_col_set_num(cs, COLSTORE_RESPONSES, c[p], i, x[p], &err);
    }
    assert_int_equal(err.code, 0);
    return cs;
}

static json_t *render(enum patterns_kind kind, const char *key,
                      const char *const *corners)
{
    struct colstore *cs = make_store();
    struct patterns_result *p = NULL;
    struct err err = ERR_INIT;
    struct field by;
    assert_int_equal(field_parse(&by, "segment", 7, FIELD_RESPONSES, &err), 0);
    struct patterns_query q = {kind, key, &by, NULL, 0, NULL, 0};
    assert_int_equal(patterns_run(&p, cs, &q, &err), 0);
    struct result *r = patterns_report_build(p, corners, 100);
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(result_render(&b, r, RESULT_FORMAT_JSON, &err), 0);
    json_error_t je;
    json_t *root = json_loads(strbuf_str(&b), 0, &je);
    assert_non_null(root);
    strbuf_dispose(&b);
    result_free(r);
    patterns_result_free(p);
    colstore_free(cs);
    return root;
}

static void test_patterns_report_triad_tables(void **state)
{
    (void)state;
    const char *corners[3] = {"fix", "know", "reassure"};
    json_t *root = render(PATTERNS_TRIAD, "why", corners);
    assert_string_equal(json_string_value(json_object_get(root, "kind")),
                        "triad");
    assert_int_equal(json_integer_value(json_object_get(root, "answers")), N);
    json_t *c = json_object_get(root, "corners");
    assert_string_equal(json_string_value(json_array_get(c, 1)), "know");
    static const char *const tables[] = {"centers", "means", "near", "clusters",
                                         "cells"};
    for (size_t t = 0; t < 5; t++)
        assert_true(json_is_array(json_object_get(root, tables[t])));
    json_t *centers = json_object_get(root, "centers");
    assert_int_equal(json_array_size(centers), 3); /* all, A, B */
    json_t *all = json_array_get(centers, 0);
    assert_true(json_is_null(json_object_get(all, "group")));
    assert_string_equal(json_string_value(json_object_get(all, "group_name")),
                        "all");
    assert_int_equal(json_array_size(json_object_get(all, "region")),
                     PATTERNS_REGION_POINTS);
    json_t *part1 = json_object_get(all, "part1");
    double v = json_real_value(json_object_get(part1, "value"));
    json_t *ci = json_object_get(part1, "ci95");
    assert_true(json_real_value(json_array_get(ci, 0)) < v);
    assert_true(v < json_real_value(json_array_get(ci, 1)));
    assert_false(json_is_true(json_object_get(part1, "low_n")));
    /* B has 50 answers, under min_n 100: flagged */
    json_t *b = json_array_get(centers, 2);
    assert_string_equal(json_string_value(json_object_get(b, "group")), "B");
    assert_int_equal(json_integer_value(json_object_get(b, "n")), 50);
    assert_true(
        json_is_true(json_object_get(json_object_get(b, "part2"), "low_n")));
    /* the near table's columns and the histogram adding up */
    json_t *near = json_array_get(json_object_get(root, "near"), 0);
    assert_non_null(json_object_get(near, "part3_pct"));
    json_t *cells = json_object_get(root, "cells");
    json_int_t sum = 0;
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *cell = json_array_get(cells, i);
        assert_true(json_integer_value(json_object_get(cell, "count")) > 0);
        sum += json_integer_value(json_object_get(cell, "count"));
    }
    assert_int_equal(sum, N);
    json_t *m = json_object_get(root, "method");
    int hotelling = 0;
    for (size_t i = 0; i < json_array_size(m); i++)
        hotelling |= strstr(json_string_value(json_array_get(m, i)),
                            "Hotelling") != NULL;
    assert_true(hotelling);
    json_decref(root);
}

static void test_patterns_report_dyad_tables(void **state)
{
    (void)state;
    json_t *root = render(PATTERNS_DYAD, "settled", NULL);
    assert_string_equal(json_string_value(json_object_get(root, "kind")),
                        "dyad");
    assert_null(json_object_get(root, "centers"));
    json_t *means = json_object_get(root, "means");
    assert_int_equal(json_array_size(means), 3);
    json_t *mean = json_object_get(json_array_get(means, 0), "mean");
    assert_int_equal(json_integer_value(json_object_get(mean, "n")), N);
    json_t *bins = json_object_get(root, "bins");
    assert_int_equal(json_array_size(bins), PATTERNS_DYAD_BINS);
    json_int_t sum = 0;
    for (size_t i = 0; i < json_array_size(bins); i++)
        sum += json_integer_value(
            json_object_get(json_array_get(bins, i), "count"));
    assert_int_equal(sum, N);
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_report_triad_tables),
        cmocka_unit_test(test_patterns_report_dyad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
