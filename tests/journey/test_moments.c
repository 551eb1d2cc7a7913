/* Moments of truth on a planted log: at touchpoint "inspect" (not
 * flagged) 60 of 100 detractors and 10 of 100 promoters give notice
 * within the window; at "keys" (flagged) 20 of 100 of each; so inspect
 * is measured and keys is not. Shares, the difference, the window, the
 * answers too late to judge and bad input (src/journey/moments.c). */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "journey/moments.h"

#define DAY 86400
#define T0 1704067200 /* 2024-01-01 */

static int setup(void **state)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int s_in = colstore_add_stage(cs, j, "in", "In", 0, &err);
    int s_use = colstore_add_stage(cs, j, "use", "Use", 1, &err);
    int inspect = colstore_add_touchpoint(cs, s_in, "inspect", "Inspect", &err);
    int keys = colstore_add_touchpoint(cs, s_use, "keys", "Keys", &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "onsite", &err);
    struct colstore_tpinfo flag = {NULL, 1, 0, 0, NULL, 0};
    colstore_set_tpinfo(cs, keys, &flag, &err);
    assert_int_equal(err.code, 0);
    /* customers 0..199 answer at inspect, 200..399 at keys, 400 answers
     * at keys too late (a month before the end of the data) */
    int64_t id = 0;
    for (int c = 0; c < 401; c++)
        assert_int_equal(colstore_add_customer(cs, c + 1, NULL, &err), c);
    for (int c = 0; c < 401; c++) {
        int64_t ts = c < 400 ? T0 + (int64_t)c * 600 : T0 + 700 * DAY;
        struct colstore_row r = {
            c < 200 ? inspect : keys, ch, -1, -1,   0, ts / DAY,
            (c % 200) < 100 ? 2 : 10, -1, -1, ++id, c, ts};
        assert_int_equal(colstore_append(cs, &r, &err), 0);
    }
    /* notices: inspect detractors 0..59, promoters 100..109; keys
     * detractors 200..219, promoters 300..319; customer 120 gives notice
     * 400 days later, outside the year */
    int64_t eid = 0;
    for (int c = 0; c < 401; c++) {
        int k = c % 200, at_inspect = c < 200;
        int leaves =
            c < 400 && (at_inspect ? (k < 60 || (k >= 100 && k < 110))
                                   : (k < 20 || (k >= 100 && k < 120)));
        int64_t ts = T0 + (int64_t)c * 600;
        if (leaves) {
            struct colstore_event e = {++eid, c, ts + 100 * DAY, 0, "notice",
                                       -1,    -1};
            assert_int_equal(colstore_add_event(cs, &e, &err), 0);
        }
        if (c == 120) {
            struct colstore_event e = {++eid, c, ts + 400 * DAY, 0, "notice",
                                       -1,    -1};
            assert_int_equal(colstore_add_event(cs, &e, &err), 0);
        }
        if (c == 400) { /* the end of the data */
            struct colstore_event e = {++eid, c, T0 + 730 * DAY, 0, "payment",
                                       -1,    -1};
            assert_int_equal(colstore_add_event(cs, &e, &err), 0);
        }
    }
    colstore_mark_events_loaded(cs);
    *state = cs;
    return 0;
}

static int teardown(void **state)
{
    colstore_free(*state);
    return 0;
}

static const struct journey_moment *find(const struct journey_moment *m,
                                         size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].key, key))
            return &m[i];
    return NULL;
}

static void test_moments_find_the_planted_one(void **state)
{
    struct colstore *cs = *state;
    struct journey_moments *m = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_moments_build(&m, cs, NULL, &err), 0);
    assert_int_equal(m->answers, 400);
    assert_int_equal(m->too_late, 1);
    const struct journey_moment *in = find(m->tp, m->n_tp, "inspect");
    const struct journey_moment *k = find(m->tp, m->n_tp, "keys");
    assert_non_null(in);
    assert_non_null(k);
    assert_close(in->left_detractor.value, 60, 0, 1e-9);
    assert_close(in->left_promoter.value, 10, 0, 1e-9);
    assert_close(in->diff.diff, 50, 0, 1e-9);
    assert_close(k->diff.diff, 0, 0, 1e-9);
    assert_true(in->measured);
    assert_false(in->flagged);
    assert_false(k->measured);
    assert_true(k->flagged);
    assert_ptr_equal(&m->tp[0], in); /* largest difference first */
    /* Holm over two tests: inspect's p doubled (at most 1) */
    assert_close(in->p_holm, fmin(1, 2 * in->diff.p), 0, 1e-12);
    /* the correlation is negative: a higher answer, less leaving */
    assert_true(in->r < 0 && in->r_hi < 0);
    /* stages carry their touchpoints' answers and flags */
    const struct journey_moment *s = find(m->st, m->n_st, "use");
    assert_non_null(s);
    assert_true(s->flagged);
    assert_int_equal(s->answers, 200);
    journey_moments_free(m);
}

static void test_moments_window_and_errors(void **state)
{
    struct colstore *cs = *state;
    struct journey_moments *m = NULL;
    struct journey_moments_opts o = JOURNEY_MOMENTS_OPTS_INIT;
    struct err err = ERR_INIT;
    /* a 500-day window: customer 120's late notice counts, and the
     * answers after day 230 are too late */
    o.window = 500 * (int64_t)DAY;
    assert_int_equal(journey_moments_build(&m, cs, &o, &err), 0);
    const struct journey_moment *in = find(m->tp, m->n_tp, "inspect");
    assert_close(in->left_promoter.value, 11, 0, 1e-9);
    assert_int_equal(m->too_late, 1);
    journey_moments_free(m);
    o.window = 0;
    assert_int_equal(journey_moments_build(&m, cs, &o, &err), ERR_INVALID);
    err_clear(&err);
    o.window = 365 * (int64_t)DAY;
    o.activity = "churn";
    assert_int_equal(journey_moments_build(&m, cs, &o, &err), ERR_NOTFOUND);
    assert_non_null(strstr(err.msg, "churn"));
    assert_null(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moments_find_the_planted_one),
        cmocka_unit_test(test_moments_window_and_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
