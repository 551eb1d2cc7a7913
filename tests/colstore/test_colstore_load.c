/* End to end: a real SQLite store (":memory:") filled through the store
 * contract, loaded into the column store, and queried. */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"
#include "store/store.h"

struct ids {
    int64_t tp_app, tp_tel, tp_office, ch_app, ch_phone, ch_office;
    int64_t cust_family, cust_student, cust_bare;
};

static int64_t ts(const char *iso, int *tz)
{
    int64_t utc;
    size_t col;
    struct err err = ERR_INIT;
    assert_int_equal(tstamp_parse(&utc, tz, iso, strlen(iso), &col, &err), 0);
    return utc;
}

static void put_response(struct store *s, const char *ext, int64_t cust,
                         int64_t tp, int64_t ch, const char *lang,
                         const char *when, int kind, int nps, int csat)
{
    struct err err = ERR_INIT;
    struct response r;
    int inserted;
    memset(&r, 0, sizeof r);
    r.ext_id = ext;
    r.customer_id = cust;
    r.kind = (enum respondent_kind)kind;
    r.touchpoint_id = tp;
    r.channel_id = ch;
    r.language = lang;
    r.ts = ts(when, &r.tz_min);
    r.nps = nps;
    r.csat = csat;
    r.ces = -1;
    assert_int_equal(store_put_response(s, &r, &inserted, &err), 0);
    assert_int_equal(inserted, 1);
}

/* Journey "live" with stages added in reverse position order; three
 * touchpoints; two customers with segments and one without. */
static struct store *fill(struct ids *id)
{
    struct err err = ERR_INIT;
    struct store *s = NULL;
    int ins;
    assert_int_equal(store_open(&s, ":memory:", &err), 0);
    struct journey j = {0, "live", "Bo", LIFECYCLE_USE};
    assert_int_equal(store_put_journey(s, &j, &err), 0);
    struct stage fix = {0, j.id, "fix", "Åtgärd", 1};
    struct stage report = {0, j.id, "report", "Felanmälan", 0};
    assert_int_equal(store_put_stage(s, &fix, &err), 0);
    assert_int_equal(store_put_stage(s, &report, &err), 0);
    struct touchpoint app = {
        0, report.id, "felanmalan_app", "I appen", "app", NULL, 1, 0, NULL, 0};
    struct touchpoint tel = {
        0, report.id, "felanmalan_tel", "Telefon", "phone", NULL, 0, 0, NULL, 0};
    struct touchpoint office = {0,        fix.id, "besok", "Besök",
                                "office", NULL,   0,       1, NULL, 0};
    assert_int_equal(store_put_touchpoint(s, &app, &err), 0);
    assert_int_equal(store_put_touchpoint(s, &tel, &err), 0);
    assert_int_equal(store_put_touchpoint(s, &office, &err), 0);
    id->tp_app = app.id;
    id->tp_tel = tel.id;
    id->tp_office = office.id;
    struct channel ch_app = {0, "app"}, ch_phone = {0, "phone"},
                   ch_office = {0, "office"};
    assert_int_equal(store_put_channel(s, &ch_app, &err), 0);
    assert_int_equal(store_put_channel(s, &ch_phone, &err), 0);
    assert_int_equal(store_put_channel(s, &ch_office, &err), 0);
    id->ch_app = ch_app.id;
    id->ch_phone = ch_phone.id;
    id->ch_office = ch_office.id;
    struct customer c1 = {0, "k1", "Barnfamilj", NULL};
    struct customer c2 = {0, "k2", "Student", NULL};
    struct customer c3 = {0, "k3", NULL, NULL};
    assert_int_equal(store_put_customer(s, &c1, &ins, &err), 0);
    assert_int_equal(store_put_customer(s, &c2, &ins, &err), 0);
    assert_int_equal(store_put_customer(s, &c3, &ins, &err), 0);
    id->cust_family = c1.id;
    id->cust_student = c2.id;
    id->cust_bare = c3.id;

    /* r1 is 2024-03-31 23:30 UTC but 01:30 on April 1st in Stockholm
     * summer time: it belongs to April. r2 is 2024-04-01 00:30 local at
     * -05:00, UTC 05:30: also April. r3 is March 31st local. */
    put_response(s, "r1", id->cust_family, id->tp_app, id->ch_app, "sv",
                 "2024-04-01T01:30:00+02:00", 0, 10, 5);
    put_response(s, "r2", id->cust_student, id->tp_app, id->ch_app, "en",
                 "2024-04-01T00:30:00-05:00", 0, 3, -1);
    put_response(s, "r3", id->cust_bare, id->tp_tel, id->ch_phone, NULL,
                 "2024-03-31T23:59:00+01:00", 0, 8, 4);
    put_response(s, "r4", 0, id->tp_office, id->ch_office, "sv",
                 "2024-03-15T12:00:00Z", 1, -1, 2);
    put_response(s, "r5", id->cust_family, id->tp_tel, id->ch_app, "sv",
                 "2024-04-20T09:00:00+02:00", 0, 9, -1);
    return s;
}

static void test_colstore_load_reads_every_response(void **state)
{
    (void)state;
    struct ids id;
    struct store *s = fill(&id);
    struct colstore *cs = NULL;
    struct colstore_columns c;
    struct err err = ERR_INIT;
    assert_int_equal(colstore_load(&cs, s, &err), 0);
    colstore_columns(cs, &c);
    assert_int_equal(c.n, 5);
    assert_int_equal(colstore_card(cs, DIM_TOUCHPOINT), 3);
    assert_int_equal(colstore_card(cs, DIM_STAGE), 2);
    assert_int_equal(colstore_card(cs, DIM_JOURNEY), 1);
    int app = colstore_find(cs, DIM_TOUCHPOINT, "felanmalan_app", 14);
    assert_true(app >= 0);
    assert_string_equal(colstore_name(cs, DIM_TOUCHPOINT, app), "I appen");
    assert_string_equal(
        colstore_label(cs, DIM_STAGE, colstore_touchpoint_stage(cs, app)),
        "report");
    /* Rows come in id order with their scores. */
    assert_int_equal(c.touchpoint[0], app);
    assert_int_equal(c.nps[0], 10);
    assert_int_equal(c.csat[0], 5);
    assert_int_equal(c.nps[3], -1);
    assert_int_equal(c.kind[3], 1);
    /* The segment comes from the customer; none for r3 and anonymous r4. */
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, c.segment[0]),
                        "Barnfamilj");
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, c.segment[1]),
                        "Student");
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, c.segment[2]),
                        COLSTORE_NONE);
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, c.segment[3]),
                        COLSTORE_NONE);
    assert_string_equal(colstore_label(cs, DIM_LANGUAGE, c.language[1]), "en");
    assert_string_equal(colstore_label(cs, DIM_LANGUAGE, c.language[2]),
                        COLSTORE_NONE);
    /* r5 answered through the app about a phone touchpoint. */
    assert_string_equal(colstore_label(cs, DIM_CHANNEL, c.channel[4]), "app");
    /* Local days. */
    assert_int_equal(c.day_base + c.day[0], tstamp_days_from_civil(2024, 4, 1));
    assert_int_equal(c.day_base + c.day[1], tstamp_days_from_civil(2024, 4, 1));
    assert_int_equal(c.day_base + c.day[2],
                     tstamp_days_from_civil(2024, 3, 31));
    colstore_free(cs);
    store_free(s);
}

/* Months are taken in the respondent's local time: March holds r3 and r4,
 * April r1, r2 and r5. */
static void test_colstore_load_months_follow_local_time(void **state)
{
    (void)state;
    struct ids id;
    struct store *s = fill(&id);
    struct colstore *cs = NULL;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(colstore_load(&cs, s, &err), 0);
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, "month", &err), 0);
    assert_int_equal(metrics_run(&r, cs, &q, &err), 0);
    assert_int_equal(r->n_cells, 2);
    assert_string_equal(r->cells[0].label[0], "2024-03");
    assert_int_equal(r->cells[0].n, 2);
    assert_string_equal(r->cells[1].label[0], "2024-04");
    assert_int_equal(r->cells[1].n, 3);
    /* April NPS: 10, 3, 9 -> 2 promoters, 1 detractor of 3 = 33.3. */
    assert_close(r->cells[1].fig[0].value, 100.0 / 3.0, 1e-12, 0);
    metrics_result_free(r);
    metrics_query_dispose(&q);
    colstore_free(cs);
    store_free(s);
}

/* Stages sort by position even though "fix" was stored first. */
static void test_colstore_load_keeps_stage_positions(void **state)
{
    (void)state;
    struct ids id;
    struct store *s = fill(&id);
    struct colstore *cs = NULL;
    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(colstore_load(&cs, s, &err), 0);
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, "stage,segment", &err), 0);
    assert_int_equal(metrics_query_where(&q, "kind=customer", &err), 0);
    assert_int_equal(metrics_run(&r, cs, &q, &err), 0);
    assert_string_equal(r->cells[0].label[0], "report");
    assert_string_equal(r->cells[0].label[1], "Barnfamilj");
    assert_string_equal(r->cells[r->n_cells - 1].label[1], COLSTORE_NONE);
    for (size_t i = 0; i < r->n_cells; i++)
        assert_string_not_equal(r->cells[i].label[0], "fix"); /* r4 only */
    metrics_result_free(r);
    metrics_query_dispose(&q);
    colstore_free(cs);
    store_free(s);
}

static void test_colstore_load_of_empty_store_is_empty(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(store_open(&s, ":memory:", &err), 0);
    assert_int_equal(colstore_load(&cs, s, &err), 0);
    assert_int_equal(colstore_rows(cs), 0);
    colstore_free(cs);
    store_free(s);
}

/* Comment sentiment and theme mentions come along: a response with two
 * analysed comments takes the most negative label and every theme once;
 * responses without comments have no sentiment. */
static void test_colstore_load_reads_sentiment_and_themes(void **state)
{
    struct ids id;
    struct err err = ERR_INIT;
    struct colstore *cs = NULL;
    struct store *s = fill(&id);
    int ins;
    (void)state;
    struct theme_mention m1[2] = {{"digital", -0.4}, {"digital/login", -0.6}};
    struct theme_mention m2[1] = {{"digital", 0.5}};
    struct comment_analysis a1 = {"sv", 0.9,  -0.5, "negative", 0,
                                  0,    NULL, m1,   2};
    struct comment_analysis a2 = {"sv", 0.9,  0.3, "positive", 0,
                                  0,    NULL, m2,  1};
    struct answer ans[2] = {
        {"comment", ANSWER_TEXT, 0, 0, 0, "Kan inte logga in", NULL, &a1},
        {"other", ANSWER_TEXT, 0, 0, 0, "Bra app", NULL, &a2}};
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = "r6";
    r.touchpoint_id = id.tp_app;
    r.channel_id = id.ch_app;
    r.ts = ts("2024-04-21T09:00:00+02:00", &r.tz_min);
    r.nps = 2;
    r.csat = r.ces = -1;
    r.answers = ans;
    r.n_answers = 2;
    assert_int_equal(store_put_response(s, &r, &ins, &err), 0);
    assert_int_equal(colstore_load(&cs, s, &err), 0);

    struct colstore_columns col;
    colstore_columns(cs, &col);
    assert_int_equal(col.n, 6);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(col.sentiment[i], COLSTORE_NO_SENTIMENT);
    assert_int_equal(col.sentiment[5], COLSTORE_NEGATIVE);
    assert_int_equal(col.n_mentions, 2);
    assert_int_equal(col.mention_row[0], 5);
    assert_int_equal(col.mention_row[1], 5);
    int digital = colstore_find(cs, DIM_THEME, "digital", 7);
    assert_true(digital >= 0);
    for (int k = 0; k < 2; k++)
        if (col.mention_theme[k] == digital)
            assert_int_equal(col.mention_aspect[k], -1); /* the worse one */
    colstore_free(cs);
    store_free(s);
}


/* What queries load on demand, read back through a real store: attribute
 * columns typed by their values, answers with their scale, events sorted
 * by customer and time whatever order their ids have, and the segment a
 * customer had when answering. */
static void test_colstore_load_named_columns_and_events(void **state)
{
    (void)state;
    struct ids id;
    struct store *s = fill(&id);
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    int found, ins, changed;

    /* customer attributes, one a number everywhere, one text */
    struct customer c1 = {0, "k1", NULL, "{\"age\":41,\"city\":\"Umeå\"}"};
    struct customer c2 = {0, "k2", NULL, "{\"age\":23.5,\"city\":7}"};
    assert_int_equal(store_update_customer(s, &c1, 0, &changed, &err), 0);
    assert_int_equal(store_update_customer(s, &c2, 0, &changed, &err), 0);
    /* k1 became a Senior on 2024-04-10: r1 (April 1st) was Barnfamilj,
     * r5 (April 20th) Senior. */
    struct customer c1s = {0, "k1", "Senior", NULL};
    int when;
    assert_int_equal(store_update_customer(
                         s, &c1s, ts("2024-04-10T00:00:00Z", &when), &changed,
                         &err),
                     0);
    assert_int_equal(changed, 2);
    /* a response with attributes and answers */
    struct answer ans[2] = {
        {"satisfaction", ANSWER_CHOICE, 0, 0, 0, "satisfied", NULL, NULL},
        {"wifi", ANSWER_RATING, 4, 5, 0, NULL, NULL, NULL}};
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = "r6";
    r.customer_id = id.cust_student;
    r.touchpoint_id = id.tp_app;
    r.channel_id = id.ch_app;
    r.ts = ts("2024-04-21T10:00:00Z", &r.tz_min);
    r.nps = 7;
    r.csat = r.ces = -1;
    r.answers = ans;
    r.n_answers = 2;
    r.attrs = "{\"store\":\"S1\",\"order_value\":250}";
    assert_int_equal(store_put_response(s, &r, &ins, &err), 0);
    /* events stored out of customer order */
    struct event ev[3] = {
        {0, "e1", id.cust_student, "fault_report", 0, 0,
         ts("2024-04-02T10:00:00Z", &when), 0, "{\"hours\":30}"},
        {0, "e2", id.cust_family, "fault_report", id.tp_app, id.ch_app,
         ts("2024-03-01T10:00:00Z", &when), 0, "{\"hours\":200}"},
        {0, "e3", id.cust_student, "fault_report", 0, 0,
         ts("2024-03-02T10:00:00Z", &when), 0, "{\"hours\":5}"}};
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_put_event(s, &ev[i], &ins, &err), 0);

    assert_int_equal(colstore_load(&cs, s, &err), 0);
    struct colstore_columns col;
    colstore_columns(cs, &col);
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, col.segment[0]),
                        "Barnfamilj"); /* r1, before the change */
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, col.segment[4]),
                        "Senior"); /* r5, after it */

    struct colstore_colview v;
    assert_int_equal(colstore_load_column(cs, s, COLSTORE_CUSTOMERS, "age",
                                          &found, &err),
                     0);
    assert_true(found);
    int k = colstore_col_find(cs, COLSTORE_CUSTOMERS, "age");
    colstore_col_view(cs, COLSTORE_CUSTOMERS, k, &v);
    assert_int_equal(v.kind, COLSTORE_NUM);
    assert_close(v.num[colstore_customer_index(cs, id.cust_student)], 23.5, 0,
                 0);
    assert_true(isnan(v.num[colstore_customer_index(cs, id.cust_bare)]));
    /* a number among text makes a text column: 7 becomes "7" */
    assert_int_equal(colstore_load_column(cs, s, COLSTORE_CUSTOMERS, "city",
                                          &found, &err),
                     0);
    k = colstore_col_find(cs, COLSTORE_CUSTOMERS, "city");
    colstore_col_view(cs, COLSTORE_CUSTOMERS, k, &v);
    assert_int_equal(v.kind, COLSTORE_CAT);
    assert_string_equal(
        colstore_col_label(cs, COLSTORE_CUSTOMERS, k,
                           v.codes[colstore_customer_index(cs, id.cust_student)]),
        "7");
    /* a name no row has is remembered as missing */
    assert_int_equal(colstore_load_column(cs, s, COLSTORE_CUSTOMERS, "shoe",
                                          &found, &err),
                     0);
    assert_false(found);
    assert_true(colstore_col_is_missing(cs, COLSTORE_CUSTOMERS, "shoe"));

    static const char *const rcols[] = {"attr:store", "attr:order_value",
                                        "choice:satisfaction", "rating:wifi"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(colstore_load_column(cs, s, COLSTORE_RESPONSES,
                                              rcols[i], &found, &err),
                         0);
        assert_true(found);
    }
    k = colstore_col_find(cs, COLSTORE_RESPONSES, "rating:wifi");
    colstore_col_view(cs, COLSTORE_RESPONSES, k, &v);
    assert_close(v.scale_max, 5, 0, 0);
    assert_close(v.num[5], 4, 0, 0); /* r6 is the sixth row */
    assert_true(isnan(v.num[0]));
    k = colstore_col_find(cs, COLSTORE_RESPONSES, "attr:order_value");
    colstore_col_view(cs, COLSTORE_RESPONSES, k, &v);
    assert_close(v.num[5], 250, 0, 0);
    k = colstore_col_find(cs, COLSTORE_RESPONSES, "choice:satisfaction");
    colstore_col_view(cs, COLSTORE_RESPONSES, k, &v);
    assert_string_equal(colstore_col_label(cs, COLSTORE_RESPONSES, k,
                                           v.codes[5]),
                        "satisfied");
    assert_string_equal(colstore_col_label(cs, COLSTORE_RESPONSES, k,
                                           v.codes[0]),
                        COLSTORE_NONE);

    /* events: customer order first (k1 before k2), then time */
    assert_int_equal(colstore_load_events(cs, s, &err), 0);
    struct colstore_events e;
    colstore_events_view(cs, &e);
    assert_int_equal(e.n, 3);
    assert_int_equal(e.id[0], ev[1].id); /* k1's */
    assert_int_equal(e.id[1], ev[2].id); /* k2's March one */
    assert_int_equal(e.id[2], ev[0].id);
    size_t lo, hi;
    colstore_events_range(&e, (size_t)colstore_customer_index(cs,
                                                              id.cust_student),
                          &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 3);
    assert_int_equal(colstore_load_column(cs, s, COLSTORE_EVENTS, "hours",
                                          &found, &err),
                     0);
    k = colstore_col_find(cs, COLSTORE_EVENTS, "hours");
    colstore_col_view(cs, COLSTORE_EVENTS, k, &v);
    assert_close(v.num[0], 200, 0, 0);
    assert_close(v.num[1], 5, 0, 0);
    assert_close(v.num[2], 30, 0, 0);
    assert_string_equal(colstore_label(cs, DIM_TOUCHPOINT, (int)e.touchpoint[0]),
                        "felanmalan_app");
    assert_int_equal(e.touchpoint[1], colstore_card(cs, DIM_TOUCHPOINT));
    colstore_free(cs);
    store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colstore_load_reads_every_response),
        cmocka_unit_test(test_colstore_load_months_follow_local_time),
        cmocka_unit_test(test_colstore_load_named_columns_and_events),
        cmocka_unit_test(test_colstore_load_keeps_stage_positions),
        cmocka_unit_test(test_colstore_load_of_empty_store_is_empty),
        cmocka_unit_test(test_colstore_load_reads_sentiment_and_themes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
