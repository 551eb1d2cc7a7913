/* The weekly digest: a planted NPS drop and a planted rising theme are
 * found, a quiet theme is not; the e-mail names the week; the schedule
 * across a week boundary and the changes of daylight saving time. */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "core/tzfile.h"
#include "report/digest.h"
#include "report/result.h"
#include "stats/metrics.h"

#define DAY 86400
#define HOUR 3600

struct fx {
    struct colstore *cs;
    int64_t last_day; /* 2026-10-31, a Saturday */
};

/* 8 weeks of "app" up to 2026-10-31, 10 responses a day with a comment
 * each. NPS per day: 5 promoters, 3 passives, 2 detractors (+30) before
 * the last week, 3, 3, 4 (-10) in it: a drop of exactly 40 points. CSAT
 * 4 on every response. "login" is mentioned with probability 0.08, and
 * 0.45 in the last week; "price" 0.2 throughout. Plus "tel", 5
 * promoters a day in the last week only (filtered out with a base
 * query). */
static int setup(void **state)
{
    static struct fx f;
    struct err err = ERR_INIT;
    struct gen g;
    gen_seed(&g, 20261031);
    f.cs = colstore_new();
    f.last_day = tstamp_days_from_civil(2026, 10, 31);
    int j = colstore_add_journey(f.cs, "live", "Bo", &err);
    int st = colstore_add_stage(f.cs, j, "report", "Felanmälan", 0, &err);
    int app = colstore_add_touchpoint(f.cs, st, "app", "Appen", &err);
    int tel = colstore_add_touchpoint(f.cs, st, "tel", "Telefon", &err);
    int ch = colstore_intern(f.cs, DIM_CHANNEL, "app", &err);
    int login = colstore_intern(f.cs, DIM_THEME, "login", &err);
    int price = colstore_intern(f.cs, DIM_THEME, "price", &err);
    size_t row = 0;
    for (int64_t d = f.last_day - 55; d <= f.last_day; d++) {
        int last = d > f.last_day - 7;
        for (int i = 0; i < 10; i++) {
            int nps = last ? (i < 3   ? 10
                              : i < 6 ? 8
                                      : 2)
                           : (i < 5   ? 10
                              : i < 8 ? 8
                                      : 2);
            struct colstore_row r = {app, ch, -1, -1, 0,  d,
                                     nps, 4,  -1, 0,  -1, 0};
            assert_int_equal(colstore_append(f.cs, &r, &err), 0);
            assert_int_equal(
                colstore_set_sentiment(f.cs, row, COLSTORE_NEUTRAL, &err), 0);
            if (gen_unit(&g) < (last ? 0.45 : 0.08))
                assert_int_equal(
                    colstore_add_mention(f.cs, row, login, -1, &err), 0);
            if (gen_unit(&g) < 0.2)
                assert_int_equal(
                    colstore_add_mention(f.cs, row, price, 0, &err), 0);
            row++;
        }
        for (int i = 0; last && i < 5; i++) {
            struct colstore_row r = {tel, ch, -1, -1, 0,  d,
                                     10,  -1, -1, 0,  -1, 0};
            assert_int_equal(colstore_append(f.cs, &r, &err), 0);
            row++;
        }
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    colstore_free(f->cs);
    return 0;
}

static json_t *as_json(const struct result *r)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    json_error_t je;
    assert_int_equal(result_render(&b, r, RESULT_FORMAT_JSON, &err), 0);
    json_t *j = json_loads(strbuf_str(&b), 0, &je);
    assert_non_null(j);
    strbuf_dispose(&b);
    return j;
}

static json_t *headline_row(json_t *j, const char *metric)
{
    json_t *rows = json_object_get(j, "headline"), *v;
    size_t i;
    json_array_foreach(rows, i, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "metric")), metric))
            return v;
    }
    fail_msg("no headline row %s", metric);
    return NULL;
}

static double num(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(o, a);
    return json_number_value(b ? json_object_get(x, b) : x);
}

static void test_digest_finds_the_planted_drop_and_theme(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct metrics_query base;
    struct result *r = NULL;
    metrics_query_init(&base, FIELD_RESPONSES);
    assert_int_equal(metrics_query_where(&base, "touchpoint=app", &err), 0);
    assert_int_equal(digest_build(&r, f->cs, &base, f->last_day, &err), 0);
    json_t *j = as_json(r);
    assert_string_equal(json_string_value(json_object_get(j, "from")),
                        "2026-10-25");
    assert_string_equal(json_string_value(json_object_get(j, "to")),
                        "2026-10-31");
    assert_int_equal(json_integer_value(json_object_get(j, "responses")), 70);
    assert_int_equal(
        json_integer_value(json_object_get(j, "previous_responses")), 70);
    assert_int_equal(json_integer_value(json_object_get(j, "comments")), 70);

    json_t *nps = headline_row(j, "nps");
    assert_close(num(nps, "week", "value"), -10, 0, 1e-9);
    assert_close(num(nps, "previous", "value"), 30, 0, 1e-9);
    assert_close(num(nps, "change", "value"), -40, 0, 1e-9);
    /* SE = 100 sqrt(0.61 / 70 + 0.69 / 70): the two trinomial variances */
    double se = 100 * sqrt(0.61 / 70 + 0.69 / 70);
    assert_close(num(nps, "change", "se"), se, 1e-9, 0);
    json_t *ci = json_object_get(json_object_get(nps, "change"), "ci95");
    assert_close(json_number_value(json_array_get(ci, 0)), -40 - 1.959964 * se,
                 1e-5, 0);
    assert_true(json_number_value(json_array_get(ci, 1)) < 0);
    assert_true(json_is_true(json_object_get(nps, "significant")));
    assert_true(num(nps, "p", NULL) < 0.01);
    /* CSAT 4 everywhere: no variance, never called a change */
    json_t *csat = headline_row(j, "csat_t2b");
    assert_close(num(csat, "change", "value"), 0, 0, 1e-9);
    assert_true(json_is_false(json_object_get(csat, "significant")));
    headline_row(j, "ces_easy");

    json_t *em = json_object_get(j, "emerging");
    assert_int_equal(json_array_size(em), 1);
    json_t *login = json_array_get(em, 0);
    assert_string_equal(json_string_value(json_object_get(login, "theme")),
                        "login");
    assert_int_equal(json_integer_value(json_object_get(login, "comments")),
                     70);
    assert_true(num(login, "share_pct", NULL) > 30);
    assert_true(num(login, "baseline_pct", NULL) < 15);
    assert_int_equal(
        json_integer_value(json_object_get(login, "baseline_weeks")), 6);
    assert_true(num(login, "p_holm", NULL) < 0.01);
    json_decref(j);
    result_free(r);

    /* without the filter, tel's 35 promoters count in this week only */
    assert_int_equal(digest_build(&r, f->cs, NULL, f->last_day, &err), 0);
    j = as_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "responses")), 105);
    nps = headline_row(j, "nps");
    assert_close(num(nps, "week", "value"), 100.0 * (21 + 35 - 28) / 105, 0,
                 1e-9);
    json_decref(j);
    result_free(r);
    metrics_query_dispose(&base);
}

/* A week before the login rise: the quiet themes are not flagged. */
static void test_digest_quiet_week_flags_nothing(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct result *r = NULL;
    assert_int_equal(digest_build(&r, f->cs, NULL, f->last_day - 7, &err), 0);
    json_t *j = as_json(r);
    assert_int_equal(json_array_size(json_object_get(j, "emerging")), 0);
    json_t *nps = headline_row(j, "nps");
    assert_close(num(nps, "change", "value"), 0, 0, 1e-9);
    assert_true(json_is_false(json_object_get(nps, "significant")));
    json_decref(j);
    result_free(r);
}

static void test_digest_email_names_the_week(void **state)
{
    struct fx *f = *state;
    struct err err = ERR_INIT;
    struct result *r = NULL;
    struct strbuf subj = STRBUF_INIT, text = STRBUF_INIT;
    assert_int_equal(digest_build(&r, f->cs, NULL, f->last_day, &err), 0);
    assert_int_equal(digest_email(&subj, &text, r, 1), 0);
    assert_string_equal(strbuf_str(&subj),
                        "Resonans veckorapport 2026-10-25\xe2\x80\x93"
                        "2026-10-31");
    assert_non_null(strstr(strbuf_str(&text), "Veckans nyckeltal"));
    assert_non_null(strstr(strbuf_str(&text), "\nNPS "));
    assert_non_null(strstr(strbuf_str(&text), "login"));
    strbuf_reset(&subj);
    strbuf_reset(&text);
    assert_int_equal(digest_email(&subj, &text, r, 0), 0);
    assert_string_equal(strbuf_str(&subj),
                        "Resonans weekly digest 2026-10-25\xe2\x80\x93"
                        "2026-10-31");
    assert_non_null(strstr(strbuf_str(&text), "This week's headline"));
    strbuf_dispose(&subj);
    strbuf_dispose(&text);
    result_free(r);
}

static int64_t at(int y, unsigned m, unsigned d, int h, int min)
{
    return tstamp_days_from_civil(y, m, d) * DAY + (int64_t)h * HOUR +
           (int64_t)min * 60;
}

/* Mondays at 07:00 in Stockholm. 2026-10-25 (a Sunday) the clocks went
 * back: 07:00 is 05:00Z on 2026-10-19 (CEST) and 06:00Z on 2026-10-26
 * (CET), 7 days and an hour apart. */
static void test_digest_due_weekly_across_dst(void **state)
{
    (void)state;
    struct tz *tz = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(tz_load(&tz, "Europe/Stockholm", NULL, &err), 0);
    int64_t prev = at(2026, 10, 19, 5, 0), slot = at(2026, 10, 26, 6, 0);
    /* a second before: the week before's slot is the latest */
    assert_int_equal(digest_due(slot - 1, tz, 0, 7, 0), prev);
    assert_int_equal(digest_due(slot - 1, tz, 0, 7, prev), 0);
    assert_int_equal(digest_due(slot - 1, tz, 0, 7, prev + 60), 0);
    /* at the slot it is due, once */
    assert_int_equal(digest_due(slot, tz, 0, 7, prev + 60), slot);
    assert_int_equal(digest_due(slot, tz, 0, 7, slot), 0);
    /* a server down on Monday sends it on Wednesday, but not again */
    int64_t wed = at(2026, 10, 28, 12, 0);
    assert_int_equal(digest_due(wed, tz, 0, 7, prev + 60), slot);
    assert_int_equal(digest_due(wed, tz, 0, 7, wed - 3600), 0);
    /* the Sunday before, the latest slot is 2026-10-19's */
    assert_int_equal(digest_due(at(2026, 10, 25, 23, 0), tz, 0, 7, 0), prev);
    /* the week it covers ends the day before: Sunday 2026-10-25 */
    assert_int_equal(digest_week_ending(slot, tz),
                     tstamp_days_from_civil(2026, 10, 25));
    assert_int_equal(digest_week_ending(prev, tz),
                     tstamp_days_from_civil(2026, 10, 18));
    /* 00:30 local on Monday is still Sunday in UTC: the local day counts */
    int64_t midnight = at(2026, 11, 1, 23, 30); /* 00:30 CET, 2 Nov */
    assert_int_equal(digest_due(midnight, tz, 0, 0, 0), at(2026, 11, 1, 23, 0));
    assert_int_equal(digest_week_ending(at(2026, 11, 1, 23, 0), tz),
                     tstamp_days_from_civil(2026, 11, 1));
    /* 2026-03-29 02:00 never happened (clocks went to 03:00): a Sunday
     * 02:00 digest goes at 03:00 CEST, 01:00Z */
    int64_t spring = at(2026, 3, 29, 1, 0);
    assert_int_equal(digest_due(spring, tz, 6, 2, 0), spring);
    assert_int_equal(digest_due(spring - 1, tz, 6, 2, 0),
                     at(2026, 3, 22, 1, 0));
    /* without a zone: UTC */
    assert_int_equal(digest_due(at(2026, 10, 26, 7, 0), NULL, 0, 7, 0),
                     at(2026, 10, 26, 7, 0));
    tz_free(tz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_finds_the_planted_drop_and_theme),
        cmocka_unit_test(test_digest_quiet_week_flags_nothing),
        cmocka_unit_test(test_digest_email_names_the_week),
        cmocka_unit_test(test_digest_due_weekly_across_dst),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
