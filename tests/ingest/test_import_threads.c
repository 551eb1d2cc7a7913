/* Tests for the importer's threads (import_batch.c, import_text.c): the
 * database an import leaves is the same, byte for byte as the store gives
 * it back, whatever the number of analysis threads and the batch size;
 * so are the counts, the rejects and the error of a failing file. */
#include "import_test.h"

#include <math.h>

/* ---- a generated file ---- */

static const char *const comments[] = {
    "Hyran är för hög och ingen lyssnar.",
    "Trevlig personal, snabb hjälp med nyckeln!",
    "Appen loggar ut mig hela tiden, ring mig på 070-123 45 67.",
    "The staff were friendly but the laundry room is always broken.",
    "Maila mig på anna.karlsson@example.se om tiden.",
    "Mitt personnummer 19811218-9876 står fel i avtalet.",
    "Kortet 4111 1111 1111 1111 drogs två gånger.",
    "Bra",
    "Die Wohnung ist zu teuer und der Vermieter antwortet nicht.",
    "Inte bra alls, men fastighetsskötaren var snäll.",
    "Inloggningen med BankID fungerar inte i appen.",
    "Det blev lagat till slut men kommunikationen kunde varit bättre.",
};

static const char *const titles[] = {"Flytten", "Från anna.karlsson@example.se",
                                     "Min första lägenhet"};

static const char *const touchpoints[] = {"kontoret", "felanmalan_app",
                                          "webb_sok", "Appen"};

/* n rows: ids, times, scores, a comment on most, a story on some, a
 * chosen option and an attribute that sometimes hold personal data. With
 * bad_at > 0 that row has an out-of-range score; with huge_at > 0 that
 * row's comment is over 256 KiB (analysed on the reading thread); with
 * fat_at > 0 that row has an attribute too large to store (rejected
 * after its comment was read). */
static void make_csv(struct strbuf *b, int n, int bad_at, int huge_at,
                     int fat_at)
{
    struct gen g;
    gen_seed(&g, 42);
    strbuf_reset(b);
    strbuf_puts(b, "id,submitted_at,touchpoint,customer,nps,language,"
                   "comment,story:life,story_title:life,choice:reason,"
                   "attr:store\n");
    for (int i = 1; i <= n; i++) {
        /* the same draws for every row, so that the special rows leave
         * the others as they are */
        int c = gen_range(&g, 0, 19);
        int mo = gen_range(&g, 1, 12), d = gen_range(&g, 1, 28);
        int h = gen_range(&g, 0, 23), mi = gen_range(&g, 0, 59);
        int tp = gen_range(&g, 0, 3), cu = gen_range(&g, 1, 300);
        int nps = gen_range(&g, 0, 10), en = gen_range(&g, 0, 1);
        int story = gen_range(&g, 0, 9) == 0;
        int sc = gen_range(&g, 0, 11), st = gen_range(&g, 0, 2);
        int mail = gen_range(&g, 0, 7) == 0;
        int phone = gen_range(&g, 0, 9) == 0;
        strbuf_printf(b, "r%d,2025-%02d-%02dT%02d:%02d:00+01:00,%s,k%d,%d,%s,",
                      i, mo, d, h, mi, touchpoints[tp], cu,
                      i == bad_at ? 11 : nps, en ? "en" : "sv");
        if (i == huge_at) {
            strbuf_putc(b, '"');
            for (int k = 0; k < 7000; k++)
                strbuf_puts(b, "Hyran är för hög, ring 070-123 45 67. ");
            strbuf_putc(b, '"');
        } else if (c < 12) {
            strbuf_printf(b, "\"%s\"", comments[c]);
        }
        if (story)
            strbuf_printf(b, ",\"%s\",\"%s\"", comments[sc], titles[st]);
        else
            strbuf_puts(b, ",,");
        strbuf_puts(b, mail ? ",mail me: a.b@example.se" : ",price");
        if (i == fat_at) {
            strbuf_puts(b, ",");
            for (int k = 0; k < (1 << 20) / 8 + 10; k++)
                strbuf_puts(b, "butik 1 ");
        } else {
            strbuf_puts(b, phone ? ",Ring 08-123 456 78" : ",Centrum");
        }
        strbuf_putc(b, '\n');
    }
}

/* ---- what a store holds, as text ---- */

static int dump_response(void *ctx, const struct response *r)
{
    struct strbuf *b = ctx;
    strbuf_printf(b, "R %lld %s %s %s %s %s %lld %d %d %s\n", (long long)r->id,
                  r->ext_id, r->customer ? r->customer : "-", r->touchpoint,
                  r->channel, r->language ? r->language : "-", (long long)r->ts,
                  r->tz_min, r->nps, r->attrs ? r->attrs : "-");
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        strbuf_printf(b, " A %s %s %g %g %g [%s] [%s]\n", a->question,
                      answer_kind_name(a->kind), a->v1, a->v2, a->v3,
                      a->text ? a->text : "-", a->title ? a->title : "-");
    }
    return 0;
}

static int dump_comment(void *ctx, const struct response *r,
                        const struct answer *a)
{
    struct strbuf *b = ctx;
    const struct comment_analysis *ca = a->analysis;
    strbuf_printf(b, "C %lld %s %s %.17g %.17g %s %u %d %s\n", (long long)r->id,
                  a->question, ca->language, ca->lang_conf,
                  isnan(ca->score) ? 9.0 : ca->score,
                  ca->label ? ca->label : "-", ca->redactions, ca->n_redactions,
                  ca->explanation ? ca->explanation : "-");
    for (int i = 0; i < ca->n_mentions; i++)
        strbuf_printf(b, " M %s %.17g\n", ca->mentions[i].theme,
                      ca->mentions[i].sentiment);
    return 0;
}

static void dump(struct db *db, struct strbuf *b)
{
    struct err err = ERR_INIT;
    struct comment_filter f = COMMENT_FILTER_INIT;
    strbuf_reset(b);
    assert_int_equal(store_scan_responses(db->s, dump_response, b, &err), 0);
    assert_int_equal(store_scan_comments(db->s, &f, dump_comment, b, &err), 0);
    struct store_counts c = db_counts(db);
    strbuf_printf(b, "counts %lld %lld %lld\n", (long long)c.responses,
                  (long long)c.answers, (long long)c.customers);
}

/* One import of csv into a fresh store with the given threads and batch
 * size: its result, counts, rejects and contents. */
struct outcome {
    int rc;
    struct err err;
    struct import_counts n;
    struct strbuf rejects;
    struct strbuf content;
};

static void run(struct outcome *o, const struct strbuf *csv, int threads,
                size_t batch_rows, int skip_bad)
{
    struct db *db = NULL;
    struct import_opts opts = IMPORT_OPTS_INIT;
    memset(o, 0, sizeof *o);
    strbuf_init(&o->rejects, 0);
    strbuf_init(&o->content, 0);
    assert_int_equal(db_setup((void **)&db), 0);
    opts.threads = threads;
    opts.batch_rows = batch_rows;
    if (skip_bad) {
        opts.rejects = rejects_to_strbuf;
        opts.rejects_ctx = &o->rejects;
    }
    o->rc = import_run(&o->n, db->s, csv->p, csv->n, "t.csv", &opts, &o->err);
    dump(db, &o->content);
    db_teardown((void **)&db);
}

static void outcome_dispose(struct outcome *o)
{
    strbuf_dispose(&o->rejects);
    strbuf_dispose(&o->content);
}

static void same(const struct outcome *a, const struct outcome *b)
{
    assert_int_equal(a->rc, b->rc);
    assert_string_equal(a->err.where, b->err.where);
    assert_string_equal(a->err.msg, b->err.msg);
    assert_memory_equal(&a->n, &b->n, sizeof a->n);
    assert_int_equal(a->rejects.n, b->rejects.n);
    if (a->rejects.n)
        assert_memory_equal(a->rejects.p, b->rejects.p, a->rejects.n);
    assert_int_equal(a->content.n, b->content.n);
    assert_memory_equal(a->content.p, b->content.p, a->content.n);
}

static void test_threads_store_exactly_what_one_thread_stores(void **state)
{
    struct strbuf csv = STRBUF_INIT;
    struct outcome one, many, odd;
    (void)state;
    make_csv(&csv, 6000, 0, 0, 0);
    run(&one, &csv, 1, 0, 0);
    assert_int_equal(one.rc, 0);
    assert_int_equal(one.n.inserted, 6000);
    assert_true(one.n.analysed > 3000);
    assert_true(one.n.redacted > 500);
    assert_true(one.n.redacted_values > 500);
    /* several batches in flight, finished in any order */
    run(&many, &csv, 4, 97, 0);
    same(&one, &many);
    run(&odd, &csv, 3, 1000, 0);
    same(&one, &odd);
    outcome_dispose(&one);
    outcome_dispose(&many);
    outcome_dispose(&odd);
    strbuf_dispose(&csv);
}

static void test_a_long_comment_is_the_same_on_any_thread(void **state)
{
    struct strbuf csv = STRBUF_INIT;
    struct outcome one, many;
    (void)state;
    make_csv(&csv, 800, 0, 333, 0);
    run(&one, &csv, 1, 50, 0);
    assert_int_equal(one.rc, 0);
    assert_int_equal(one.n.inserted, 800);
    run(&many, &csv, 4, 50, 0);
    same(&one, &many);
    outcome_dispose(&one);
    outcome_dispose(&many);
    strbuf_dispose(&csv);
}

static void test_a_bad_late_row_fails_alike_and_stores_nothing(void **state)
{
    struct strbuf csv = STRBUF_INIT;
    struct outcome one, many;
    (void)state;
    make_csv(&csv, 3000, 2900, 0, 0);
    run(&one, &csv, 1, 64, 0);
    assert_int_equal(one.rc, ERR_INVALID);
    assert_int_equal(strncmp(one.err.where, "t.csv:2901:", 11), 0);
    run(&many, &csv, 4, 64, 0);
    same(&one, &many);
    /* nothing stored */
    assert_non_null(strstr(many.content.p, "counts 0 0 0\n"));
    outcome_dispose(&one);
    outcome_dispose(&many);
    strbuf_dispose(&csv);
}

/* The text answers (comments and stories) a dump shows stored. */
static int64_t stored_texts(const struct strbuf *content)
{
    int64_t n = 0;
    for (const char *p = content->p; (p = strstr(p, "\n A ")); p++)
        n += !strncmp(p, "\n A comment text ", 17) ||
             !strncmp(p, "\n A life story ", 15);
    return n;
}

static void test_rejected_rows_take_their_comments_with_them(void **state)
{
    struct strbuf csv = STRBUF_INIT;
    struct outcome one, many;
    (void)state;
    /* row 1500 is rejected after its comment became a job, row 700 before */
    make_csv(&csv, 2000, 700, 0, 1500);
    run(&one, &csv, 1, 128, 1);
    assert_int_equal(one.rc, 0);
    assert_int_equal(one.n.rejected, 2);
    assert_int_equal(one.n.inserted, 1998);
    run(&many, &csv, 4, 128, 1);
    same(&one, &many);
    assert_null(strstr(many.content.p, " r1500 "));
    /* the rejected rows' comments are not counted */
    assert_int_equal(one.n.analysed, stored_texts(&one.content));
    outcome_dispose(&one);
    outcome_dispose(&many);
    strbuf_dispose(&csv);
}

static void test_store_failure_with_threads_changes_nothing(void **state)
{
    struct strbuf csv = STRBUF_INIT;
    (void)state;
    make_csv(&csv, 1500, 0, 0, 0);
    for (long nth = 1; nth <= 1500; nth += 499) {
        struct db *db = NULL;
        struct import_opts o = IMPORT_OPTS_INIT;
        struct import_counts n;
        struct err err = ERR_INIT;
        assert_int_equal(db_setup((void **)&db), 0);
        o.threads = 4;
        o.batch_rows = 100;
        store_fail_after(db->s, nth);
        assert_int_equal(import_run(&n, db->s, csv.p, csv.n, "t.csv", &o, &err),
                         ERR_DB);
        assert_string_equal(err.msg, "injected failure");
        store_fail_after(db->s, 0);
        struct store_counts c = db_counts(db);
        assert_int_equal(c.responses, 0);
        assert_int_equal(c.answers, 0);
        db_teardown((void **)&db);
    }
    strbuf_dispose(&csv);
}

static void test_threads_default_to_the_online_cores(void **state)
{
    (void)state;
    assert_true(import_threads(0) >= 1);
    assert_int_equal(import_threads(3), 3);
    assert_int_equal(import_threads(1000), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_store_exactly_what_one_thread_stores),
        cmocka_unit_test(test_a_long_comment_is_the_same_on_any_thread),
        cmocka_unit_test(test_a_bad_late_row_fails_alike_and_stores_nothing),
        cmocka_unit_test(test_rejected_rows_take_their_comments_with_them),
        cmocka_unit_test(test_store_failure_with_threads_changes_nothing),
        cmocka_unit_test(test_threads_default_to_the_online_cores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
