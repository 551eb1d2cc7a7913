/* The column store's append API, dictionaries, display order and size. */
#include "harness.h"

#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"

/* Two journeys; stages added out of position order on purpose. */
struct fixture {
    struct colstore *cs;
    int j_move, j_live;
    int s_search, s_sign, s_report, s_fix;
    int t_web, t_office, t_app, t_phone, t_visit;
    int ch_web, ch_app;
};

static void build(struct fixture *f)
{
    struct err err = ERR_INIT;
    struct colstore *cs = f->cs = colstore_new();
    f->j_move = colstore_add_journey(cs, "move_in", "Flytta in", &err);
    f->j_live = colstore_add_journey(cs, "live", "Bo", &err);
    f->s_fix = colstore_add_stage(cs, f->j_live, "fix", "Åtgärd", 1, &err);
    f->s_sign = colstore_add_stage(cs, f->j_move, "sign", "Kontrakt", 1, &err);
    f->s_report =
        colstore_add_stage(cs, f->j_live, "report", "Felanmälan", 0, &err);
    f->s_search = colstore_add_stage(cs, f->j_move, "search", "Sök", 0, &err);
    f->t_visit = colstore_add_touchpoint(cs, f->s_fix, "visit", "Besök", &err);
    f->t_phone = colstore_add_touchpoint(cs, f->s_report, "felanmalan_telefon",
                                         NULL, &err);
    f->t_app = colstore_add_touchpoint(cs, f->s_report, "felanmalan_app",
                                       "Felanmälan i appen", &err);
    f->t_office =
        colstore_add_touchpoint(cs, f->s_sign, "office", "Kontor", &err);
    f->t_web = colstore_add_touchpoint(cs, f->s_search, "web", "Webb", &err);
    f->ch_web = colstore_intern(cs, DIM_CHANNEL, "web", &err);
    f->ch_app = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    assert_int_equal(err.code, 0);
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    build(&f);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    colstore_free(f->cs);
    return 0;
}

static struct colstore_row row(const struct fixture *f, int tp, int64_t day,
                               int nps)
{
    struct colstore_row r = {tp,  f->ch_web, -1, -1, 0,  day,
                             nps, -1,        -1, 0,  -1, 0};
    return r;
}

static void test_colstore_append_round_trips_columns(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct colstore_columns c;
    int seg = colstore_intern(f->cs, DIM_SEGMENT, "family", &err);
    int sv = colstore_intern(f->cs, DIM_LANGUAGE, "sv", &err);
    int64_t d0 = tstamp_days_from_civil(2024, 1, 15);
    struct colstore_row r = {f->t_app, f->ch_app, seg, sv, 1,  d0,
                             9,        4,         6,   0,  -1, 0};
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    r = row(f, f->t_web, d0 + 40, 3);
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    r = row(f, f->t_web, d0 - 3, -1);
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    colstore_columns(f->cs, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(colstore_rows(f->cs), 3);
    assert_int_equal(c.touchpoint[0], f->t_app);
    assert_int_equal(c.channel[0], f->ch_app);
    assert_int_equal(c.segment[0], seg);
    assert_int_equal(c.language[0], sv);
    assert_int_equal(c.kind[0], 1);
    assert_int_equal(c.nps[0], 9);
    assert_int_equal(c.csat[0], 4);
    assert_int_equal(c.ces[0], 6);
    assert_int_equal(c.nps[2], -1);
    assert_int_equal(c.day_base + c.day[1], d0 + 40);
    assert_int_equal(c.day_base + c.day_lo, d0 - 3);
    assert_int_equal(c.day_base + c.day_hi, d0 + 40);
    /* Rows without segment or language get the (none) code. */
    assert_string_equal(colstore_label(f->cs, DIM_SEGMENT, c.segment[1]),
                        COLSTORE_NONE);
    assert_string_equal(colstore_label(f->cs, DIM_LANGUAGE, c.language[1]),
                        COLSTORE_NONE);
}

static void test_colstore_append_rejects_bad_rows(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int64_t d0 = tstamp_days_from_civil(2024, 1, 15);
    struct colstore_row r = row(f, f->t_web, d0, 11);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "nps"));
    r = row(f, f->t_web, d0, 5);
    r.csat = 0;
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    r.csat = -1;
    r.ces = 8;
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    r = row(f, 99, d0, 5);
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    r = row(f, f->t_web, d0, 5);
    r.kind = 2;
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    assert_int_equal(colstore_rows(f->cs), 0);
    /* Days from 1900-01-01 to 2200-12-31 fit, whatever came first; a
     * day just outside does not. */
    int64_t first = tstamp_days_from_civil(1900, 1, 1);
    int64_t last = tstamp_days_from_civil(2200, 12, 31);
    r = row(f, f->t_web, d0, 5);
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    r.day = last;
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    r.day = first;
    assert_int_equal(colstore_append(f->cs, &r, &err), 0);
    r.day = first - 1;
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    r.day = last + 1;
    err_clear(&err);
    assert_int_equal(colstore_append(f->cs, &r, &err), ERR_INVALID);
    assert_int_equal(colstore_rows(f->cs), 3);
    struct colstore_columns col;
    colstore_columns(f->cs, &col);
    assert_int_equal(col.day_base + col.day_lo, first);
    assert_int_equal(col.day_base + col.day_hi, last);
}

static void test_colstore_keys_must_be_unique(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    assert_int_equal(colstore_add_touchpoint(f->cs, f->s_fix, "web", "x", &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "web"));
    err_clear(&err);
    assert_int_equal(colstore_add_stage(f->cs, 17, "new", "x", 0, &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(colstore_intern(f->cs, DIM_STAGE, "x", &err), ERR_INVALID);
}

static void test_colstore_labels_names_and_parents(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(colstore_label(f->cs, DIM_TOUCHPOINT, f->t_app),
                        "felanmalan_app");
    assert_string_equal(colstore_name(f->cs, DIM_TOUCHPOINT, f->t_app),
                        "Felanmälan i appen");
    /* A missing name falls back to the key. */
    assert_string_equal(colstore_name(f->cs, DIM_TOUCHPOINT, f->t_phone),
                        "felanmalan_telefon");
    assert_int_equal(colstore_touchpoint_stage(f->cs, f->t_app), f->s_report);
    assert_int_equal(colstore_stage_journey(f->cs, f->s_report), f->j_live);
    assert_int_equal(colstore_stage_position(f->cs, f->s_fix), 1);
    assert_int_equal(colstore_find(f->cs, DIM_STAGE, "fix", 3), f->s_fix);
    assert_int_equal(colstore_find(f->cs, DIM_STAGE, "nope", 4), -1);
    assert_int_equal(colstore_find(f->cs, DIM_MONTH, "2024-01", 7), -1);
    assert_int_equal(colstore_card(f->cs, DIM_KIND), 2);
    assert_string_equal(colstore_label(f->cs, DIM_KIND, 1), "employee");
    assert_int_equal(colstore_card(f->cs, DIM_MONTH), 0);
}

/* Display order: journeys as added (move_in, live); stages by journey then
 * position (search, sign, report, fix); touchpoints by stage then as added
 * (web, office, felanmalan_telefon, felanmalan_app, visit). */
static void test_colstore_order_follows_journey_positions(void **state)
{
    struct fixture *f = *state;
    uint32_t st[4], tp[5];
    colstore_order(f->cs, DIM_STAGE, st);
    assert_int_equal(st[f->s_search], 0);
    assert_int_equal(st[f->s_sign], 1);
    assert_int_equal(st[f->s_report], 2);
    assert_int_equal(st[f->s_fix], 3);
    colstore_order(f->cs, DIM_TOUCHPOINT, tp);
    assert_int_equal(tp[f->t_web], 0);
    assert_int_equal(tp[f->t_office], 1);
    assert_int_equal(tp[f->t_phone], 2);
    assert_int_equal(tp[f->t_app], 3);
    assert_int_equal(tp[f->t_visit], 4);
}

static void test_colstore_order_puts_none_last_and_sorts_labels(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int s_student = colstore_intern(f->cs, DIM_SEGMENT, "student", &err);
    int s_none = colstore_intern(f->cs, DIM_SEGMENT, COLSTORE_NONE, &err);
    int s_family = colstore_intern(f->cs, DIM_SEGMENT, "family", &err);
    int s_senior = colstore_intern(f->cs, DIM_SEGMENT, "senior", &err);
    uint32_t r[4];
    colstore_order(f->cs, DIM_SEGMENT, r);
    assert_int_equal(r[s_family], 0);
    assert_int_equal(r[s_senior], 1);
    assert_int_equal(r[s_student], 2);
    assert_int_equal(r[s_none], 3);
}

static void test_colstore_dim_names_round_trip(void **state)
{
    (void)state;
    for (int d = 0; d < DIM_COUNT; d++) {
        enum colstore_dim back;
        const char *name = colstore_dim_name((enum colstore_dim)d);
        assert_int_equal(colstore_dim_parse(&back, name, strlen(name)), 0);
        assert_int_equal(back, d);
        assert_int_equal(colstore_dim_is_period(back), d >= DIM_DAY);
    }
    enum colstore_dim x;
    assert_int_equal(colstore_dim_parse(&x, "colour", 6), ERR_INVALID);
    assert_int_equal(colstore_dim_parse(&x, "month", 4), ERR_INVALID);
}

/* 1M rows must cost about 36 bytes each: 10M take about 340 MiB
 * (docs/metrics.md). */
static void test_colstore_memory_is_about_40_bytes_a_row(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    const size_t n = 1000000;
    colstore_reserve(f->cs, n);
    struct colstore_row r = row(f, f->t_web, 19800, 7);
    for (size_t i = 0; i < n; i++) {
        r.day = 19800 + (int64_t)(i % 700);
        r.nps = (int)(i % 11);
        if (colstore_append(f->cs, &r, &err) < 0)
            fail();
    }
    size_t mem = colstore_memory(f->cs);
    /* 20 bytes of dimensions and scores (a 32-bit day and segment), the
     * store id and time (16) and the customer index (4): the header's 40
     * bytes a row. */
    assert_true(mem >= n * 40);
    assert_true(mem < n * 41);
}

/* Customers by store id: dense ids are found by arithmetic, ids with
 * gaps by search; ids outside or between are not found. */
static void test_colstore_customer_index_dense_and_gapped(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct colstore *dense = colstore_new(), *gaps = colstore_new();
    for (int64_t i = 0; i < 5000; i++) {
        assert_true(colstore_add_customer(dense, 100 + i, NULL, &err) >= 0);
        assert_true(colstore_add_customer(gaps, 100 + 3 * i, NULL, &err) >= 0);
    }
    for (int64_t i = 0; i < 5000; i++) {
        assert_int_equal(colstore_customer_index(dense, 100 + i), i);
        assert_int_equal(colstore_customer_index(gaps, 100 + 3 * i), i);
        assert_int_equal(colstore_customer_index(gaps, 101 + 3 * i), -1);
    }
    for (int k = 0; k < 2; k++) {
        const struct colstore *cs = k ? gaps : dense;
        assert_int_equal(colstore_customer_index(cs, 99), -1);
        assert_int_equal(colstore_customer_index(cs, INT64_MIN), -1);
        assert_int_equal(colstore_customer_index(cs, INT64_MAX), -1);
        assert_int_equal(colstore_customer_index(cs, 100 + 3 * 5000), -1);
    }
    colstore_free(dense);
    colstore_free(gaps);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_colstore_append_round_trips_columns),
        T(test_colstore_append_rejects_bad_rows),
        T(test_colstore_keys_must_be_unique),
        T(test_colstore_labels_names_and_parents),
        T(test_colstore_order_follows_journey_positions),
        T(test_colstore_order_puts_none_last_and_sorts_labels),
        cmocka_unit_test(test_colstore_dim_names_round_trip),
        T(test_colstore_memory_is_about_40_bytes_a_row),
        cmocka_unit_test(test_colstore_customer_index_dense_and_gapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
