/* store_put_responses in a bulk transaction (store_sqlite_put.c appends
 * 16 rows per INSERT, OR IGNORE, with ids it chooses): it must store
 * exactly what store_put_response stores one row at a time, ids
 * included, skip responses already stored as that does, and refuse the
 * values the schema's CHECKs and NOT NULLs would, although those are off
 * or ignoring for the load. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "store/store.h"

struct fixture {
    struct store *bulk, *one; /* the same rows, two ways */
    int64_t tp, ch;
};

static int64_t setup_store(struct store **s, int64_t *ch)
{
    struct err err = ERR_INIT;
    struct journey j = {0, "hyra", "Hyresgästens resa", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t = {0,
                           0,
                           "felanmalan_app",
                           "Felanmälan i appen",
                           "app",
                           "Fastighetsskötsel",
                           1,
                           0,
                           NULL,
                           0};
    struct channel c = {0, "app"};
    if (store_open(s, ":memory:", &err) < 0 ||
        store_put_journey(*s, &j, &err) < 0)
        return -1;
    g.journey_id = j.id;
    if (store_put_stage(*s, &g, &err) < 0)
        return -1;
    t.stage_id = g.id;
    if (store_put_touchpoint(*s, &t, &err) < 0 ||
        store_put_channel(*s, &c, &err) < 0)
        return -1;
    *ch = c.id;
    return t.id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    *state = f;
    if ((f->tp = setup_store(&f->bulk, &f->ch)) < 0 ||
        setup_store(&f->one, &f->ch) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->bulk);
    store_free(f->one);
    free(f);
    return 0;
}

/* n responses "<prefix>i": every third with a comment, its analysis and
 * two themes, every fifth with a rating; ids stored in ids[] (caller's
 * n strings of 16 bytes). */
struct rows {
    struct response r[64];
    struct answer a[64][2];
    struct comment_analysis ca[64];
    struct theme_mention tm[64][2];
    char ids[64][16];
    int n;
};

static void make_rows(struct rows *w, const struct fixture *f,
                      const char *prefix, int first, int n)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    for (int i = 0; i < n; i++) {
        struct response *r = &w->r[i];
        int na = 0;
        snprintf(w->ids[i], sizeof w->ids[i], "%s%d", prefix, first + i);
        r->ext_id = w->ids[i];
        r->touchpoint_id = f->tp;
        r->channel_id = f->ch;
        r->ts = 1700000000 + i;
        r->tz_min = 60;
        r->nps = i % 11;
        r->csat = i % 3 ? -1 : 1 + i % 5;
        r->ces = -1;
        r->language = "sv";
        if (i % 3 == 0) {
            w->tm[i][0] = (struct theme_mention){"price", -0.25};
            w->tm[i][1] = (struct theme_mention){"staff", 0.5};
            w->ca[i] = (struct comment_analysis){
                "sv",     0.75, -0.5, "negative", 1, 1, "{\"words\":[]}",
                w->tm[i], 2};
            w->a[i][na++] =
                (struct answer){"comment", ANSWER_TEXT,       0,    0,
                                0,         "Hyran [telefon]", NULL, &w->ca[i]};
        }
        if (i % 5 == 0)
            w->a[i][na++] = (struct answer){
                "rating:seat", ANSWER_RATING, i % 6, 5, 0, NULL, NULL, NULL};
        r->answers = na ? w->a[i] : NULL;
        r->n_answers = na;
    }
}

/* Stores w in s: all at once in a bulk transaction, or one at a time in
 * a plain one. */
static void put_rows(struct store *s, struct rows *w, int bulk,
                     int64_t *inserted, int64_t *present)
{
    struct err err = ERR_INIT;
    *inserted = *present = 0;
    assert_int_equal(bulk ? store_begin_bulk(s, &err) : store_begin(s, &err),
                     0);
    if (bulk) {
        assert_int_equal(
            store_put_responses(s, w->r, (size_t)w->n, inserted, present, &err),
            0);
    } else {
        for (int i = 0; i < w->n; i++) {
            int ins = 0;
            assert_int_equal(store_put_response(s, &w->r[i], &ins, &err), 0);
            *(ins ? inserted : present) += 1;
        }
    }
    assert_int_equal(store_commit(s, &err), 0);
}

static int dump_response(void *ctx, const struct response *r)
{
    struct strbuf *b = ctx;
    strbuf_printf(b, "R %lld %s %d %d %lld\n", (long long)r->id, r->ext_id,
                  r->nps, r->csat, (long long)r->ts);
    for (int i = 0; i < r->n_answers; i++)
        strbuf_printf(b, " A %s %g [%s]\n", r->answers[i].question,
                      r->answers[i].v1,
                      r->answers[i].text ? r->answers[i].text : "-");
    return 0;
}

static int dump_comment(void *ctx, const struct response *r,
                        const struct answer *a)
{
    struct strbuf *b = ctx;
    const struct comment_analysis *ca = a->analysis;
    strbuf_printf(b, "C %lld %s %s %g %s %u %s\n", (long long)r->id,
                  a->question, ca->language, ca->score, ca->label,
                  ca->redactions, ca->explanation);
    for (int i = 0; i < ca->n_mentions; i++)
        strbuf_printf(b, " M %s %g\n", ca->mentions[i].theme,
                      ca->mentions[i].sentiment);
    return 0;
}

static char *dump(struct store *s)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct comment_filter f = COMMENT_FILTER_INIT;
    assert_int_equal(store_scan_responses(s, dump_response, &b, &err), 0);
    assert_int_equal(store_scan_comments(s, &f, dump_comment, &b, &err), 0);
    strbuf_putc(&b, 0);
    return b.p;
}

static void same_content(struct fixture *f)
{
    char *a = dump(f->bulk), *b = dump(f->one);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_bulk_stores_what_one_at_a_time_stores(void **state)
{
    struct fixture *f = *state;
    struct rows w;
    int64_t ins, pre;
    /* 45: two full statements of 16 and a tail of 13, per table */
    make_rows(&w, f, "r", 1, 45);
    put_rows(f->bulk, &w, 1, &ins, &pre);
    assert_int_equal(ins, 45);
    assert_int_equal(pre, 0);
    assert_int_equal(w.r[0].id, 1);
    assert_int_equal(w.r[44].id, 45);
    make_rows(&w, f, "r", 1, 45);
    put_rows(f->one, &w, 0, &ins, &pre);
    same_content(f);
}

static void test_bulk_skips_stored_ids_and_keeps_ids_dense(void **state)
{
    struct fixture *f = *state;
    struct rows w;
    int64_t ins, pre;
    /* r10..r19 first; then r1..r40, of which those ten are stored: the
     * statements holding them are redone row by row */
    make_rows(&w, f, "r", 10, 10);
    put_rows(f->bulk, &w, 1, &ins, &pre);
    make_rows(&w, f, "r", 10, 10);
    put_rows(f->one, &w, 0, &ins, &pre);
    make_rows(&w, f, "r", 1, 40);
    put_rows(f->bulk, &w, 1, &ins, &pre);
    assert_int_equal(ins, 30);
    assert_int_equal(pre, 10);
    assert_int_equal(w.r[0].id, 11);  /* r1: after the ten */
    assert_int_equal(w.r[9].id, 0);   /* r10: already stored */
    assert_int_equal(w.r[39].id, 40); /* no gaps */
    make_rows(&w, f, "r", 1, 40);
    put_rows(f->one, &w, 0, &ins, &pre);
    assert_int_equal(ins, 30);
    same_content(f);
}

static void test_bulk_repeat_within_a_batch_is_skipped(void **state)
{
    struct fixture *f = *state;
    struct rows w;
    int64_t ins, pre;
    /* the same id again, other values: in the first statement of 16
     * rows, and in the one-row tail */
    make_rows(&w, f, "r", 1, 40);
    w.r[10].ext_id = "r3";
    w.r[35].ext_id = "r4";
    put_rows(f->bulk, &w, 1, &ins, &pre);
    assert_int_equal(ins, 38);
    assert_int_equal(pre, 2);
    make_rows(&w, f, "r", 1, 40);
    w.r[10].ext_id = "r3";
    w.r[35].ext_id = "r4";
    put_rows(f->one, &w, 0, &ins, &pre);
    same_content(f);
}

static void test_bulk_refuses_what_the_schema_refuses(void **state)
{
    struct fixture *f = *state;
    struct rows w;
    struct err err = ERR_INIT;
    struct store_counts c;
    int64_t ins = 0, pre = 0;
    for (int bad = 0; bad < 4; bad++) {
        make_rows(&w, f, "x", 1, 30);
        if (bad == 0)
            w.r[20].nps = 11;
        else if (bad == 1)
            w.r[21].ext_id = NULL;
        else if (bad == 2)
            w.a[21][0].question = NULL; /* row 21: a comment */
        else
            w.ca[24].score = 1.5;
        err_clear(&err);
        assert_int_equal(store_begin_bulk(f->bulk, &err), 0);
        assert_int_equal(
            store_put_responses(f->bulk, w.r, 30, &ins, &pre, &err),
            ERR_INTERNAL);
        assert_non_null(strstr(err.msg, "out of its range"));
        store_rollback(f->bulk);
        assert_int_equal(store_count(f->bulk, &c, &err), 0);
        assert_int_equal(c.responses, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_bulk_stores_what_one_at_a_time_stores, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_bulk_skips_stored_ids_and_keeps_ids_dense, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_bulk_repeat_within_a_batch_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_bulk_refuses_what_the_schema_refuses, setup, teardown),
    };
    return cmocka_run_group_tests_name("store bulk", tests, NULL, NULL);
}
