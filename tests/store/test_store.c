/* Contract tests for store.h. They run against every backend the build
 * has; today that is SQLite (in memory and on disk). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"

struct fixture {
    struct store *s;
    char *dir;
    int64_t tp_app, tp_office, ch_app;
};

static int put_journey(struct fixture *f)
{
    struct err err = ERR_INIT;
    struct journey j = {0, "hyra", "Hyresgästens resa", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t1 = {0, 0, "felanmalan_app", "Felanmälan i appen",
                            "app", "Fastighetsskötsel", 1, 0, NULL, 0};
    struct touchpoint t2 = {0, 0, "kontoret", "Besök på kontoret", "office",
                            "Kundservice", 0, 1, NULL, 0};
    if (store_put_journey(f->s, &j, &err) < 0)
        return -1;
    g.journey_id = j.id;
    if (store_put_stage(f->s, &g, &err) < 0)
        return -1;
    t1.stage_id = t2.stage_id = g.id;
    if (store_put_touchpoint(f->s, &t1, &err) < 0 ||
        store_put_touchpoint(f->s, &t2, &err) < 0)
        return -1;
    f->tp_app = t1.id;
    f->tp_office = t2.id;
    struct channel c = {0, "app"};
    if (store_put_channel(f->s, &c, &err) < 0)
        return -1;
    f->ch_app = c.id;
    return 0;
}

static int setup_file(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    char path[600];
    f->dir = harness_tmpdir();
    snprintf(path, sizeof path, "%s/t.db", f->dir);
    if (store_open(&f->s, path, &err) < 0 || put_journey(f) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    if (f->dir) {
        char path[600];
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/t.db%s", f->dir, suffix[i]);
            remove(path);
        }
        harness_tmpdir_free(f->dir);
    }
    free(f);
    return 0;
}

static struct response resp(struct fixture *f, const char *id, int nps)
{
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = id;
    r.touchpoint_id = f->tp_app;
    r.channel_id = f->ch_app;
    r.ts = 1700000000;
    r.tz_min = 60;
    r.nps = nps;
    r.csat = -1;
    r.ces = -1;
    r.language = "sv";
    return r;
}

static void test_open_migrates_to_current_version(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_schema_version(f->s), 2);
}

static void test_journey_upsert_is_idempotent_and_updates(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int64_t before = f->tp_app;
    assert_int_equal(put_journey(f), 0);
    assert_int_equal(f->tp_app, before);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.journeys, 1);
    assert_int_equal(c.touchpoints, 2);
    assert_int_equal(c.channels, 2);
}

struct tp_list {
    int n;
    char keys[4][32];
    int positions[4];
};

static int collect_tp(void *ctx, const struct journey *j,
                      const struct stage *st, const struct touchpoint *t)
{
    struct tp_list *l = ctx;
    (void)j;
    if (l->n < 4) {
        snprintf(l->keys[l->n], 32, "%s/%s", t->key, t->channel);
        l->positions[l->n] = st->position;
    }
    l->n++;
    return 0;
}

static void test_list_touchpoints_in_order_with_channel(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct tp_list l = {0};
    assert_int_equal(store_list_touchpoints(f->s, collect_tp, &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.keys[0], "felanmalan_app/app");
    assert_string_equal(l.keys[1], "kontoret/office");
}

static void test_response_reinsert_is_ignored(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct response r = resp(f, "r1", 9);
    int ins = -1;
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, "Bra service", NULL,
                       NULL};
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 1);
    r.nps = 2;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 0);
    struct store_counts c;
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 1);
    assert_int_equal(c.answers, 1);
}

static void test_out_of_range_score_is_rejected_by_schema(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct response r = resp(f, "bad", 11);
    int ins;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "CHECK"));
}

static void test_rollback_discards_everything(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int ins;
    struct customer cu = {0, "k1", "Student", "{\"rum\":2}"};
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_put_customer(f->s, &cu, &ins, &err), 0);
    struct response r = resp(f, "r2", 10);
    r.customer_id = cu.id;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    store_rollback(f->s);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.customers, 0);
    assert_int_equal(c.responses, 0);
}

static void test_fail_after_fails_the_nth_write(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins;
    struct response a = resp(f, "a", 1), b = resp(f, "b", 2);
    store_fail_after(f->s, 2);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), ERR_DB);
    assert_string_equal(err.msg, "injected failure");
}

struct fact_sum {
    int n, nps_sum, absent_csat;
    int64_t customer;
    char lang[8];
};

static int sum_fact(void *ctx, const struct fact *fa)
{
    struct fact_sum *s = ctx;
    s->n++;
    s->nps_sum += fa->nps;
    s->absent_csat += fa->csat == -1;
    s->customer = fa->customer_id;
    snprintf(s->lang, sizeof s->lang, "%s", fa->language ? fa->language : "");
    return 0;
}

static void test_scan_facts_returns_ids_and_scores(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins;
    struct customer cu = {0, "k9", NULL, NULL};
    assert_int_equal(store_put_customer(f->s, &cu, &ins, &err), 0);
    struct response a = resp(f, "a", 3), b = resp(f, "b", 8);
    a.customer_id = b.customer_id = cu.id;
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    struct fact_sum s = {0};
    assert_int_equal(store_scan_facts(f->s, sum_fact, &s, &err), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.nps_sum, 11);
    assert_int_equal(s.absent_csat, 2);
    assert_int_equal(s.customer, cu.id);
    assert_string_equal(s.lang, "sv");
}

static int export_check(void *ctx, const struct response *r)
{
    int *seen = ctx;
    assert_string_equal(r->touchpoint, "felanmalan_app");
    assert_string_equal(r->channel, "app");
    if (!strcmp(r->ext_id, "x1")) {
        assert_string_equal(r->customer, "k5");
        assert_int_equal(r->n_answers, 2);
        assert_string_equal(r->answers[0].question, "comment");
        assert_string_equal(r->answers[0].text, "Trög app");
        assert_int_equal(r->answers[1].kind, ANSWER_TRIAD);
        assert_true(r->answers[1].v3 > 0.49 && r->answers[1].v3 < 0.51);
    } else {
        assert_null(r->customer);
        assert_int_equal(r->n_answers, 0);
    }
    (*seen)++;
    return 0;
}

static void test_scan_responses_merges_answers(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins, seen = 0;
    struct customer cu = {0, "k5", NULL, NULL};
    assert_int_equal(store_put_customer(f->s, &cu, &ins, &err), 0);
    struct answer ans[2] = {
        {"comment", ANSWER_TEXT, 0, 0, 0, "Trög app", NULL, NULL},
        {"kansla", ANSWER_TRIAD, 0.25, 0.25, 0.5, NULL, NULL, NULL}};
    struct response a = resp(f, "x1", 4), b = resp(f, "x2", 9);
    a.customer_id = cu.id;
    a.answers = ans;
    a.n_answers = 2;
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    assert_int_equal(store_scan_responses(f->s, export_check, &seen, &err), 0);
    assert_int_equal(seen, 2);
}

static int stop_at_first(void *ctx, const struct customer *c)
{
    (void)c;
    (*(int *)ctx)++;
    return 42;
}

static void test_callback_nonzero_stops_scan(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins, calls = 0;
    struct customer a = {0, "c1", NULL, NULL}, b = {0, "c2", NULL, NULL};
    store_put_customer(f->s, &a, &ins, &err);
    store_put_customer(f->s, &b, &ins, &err);
    assert_int_equal(store_scan_customers(f->s, stop_at_first, &calls, &err),
                     42);
    assert_int_equal(calls, 1);
}

static void test_customer_reinsert_returns_same_id(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins;
    struct customer a = {0, "same", "Senior", NULL};
    assert_int_equal(store_put_customer(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 1);
    struct customer b = {0, "same", "Student", NULL};
    assert_int_equal(store_put_customer(f->s, &b, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(a.id, b.id);
}

static void test_reopen_keeps_committed_data(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins;
    char path[600];
    struct response r = resp(f, "kept", 7);
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    store_free(f->s);
    snprintf(path, sizeof path, "sqlite:%s/t.db", f->dir);
    assert_int_equal(store_open(&f->s, path, &err), 0);
    struct store_counts c;
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 1);
}

static void test_bulk_load_into_empty_table_keeps_ids_unique(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int ins;
    struct response a = resp(f, "b1", 1), b = resp(f, "b2", 2);
    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    /* the unique index is back: a known id is ignored again */
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 2);
}

static void test_bulk_load_with_repeated_id_fails_and_stores_nothing(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int ins;
    struct response a = resp(f, "d1", 1);
    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_commit(f->s, &err), ERR_CONFLICT);
    store_rollback(f->s);
    err_clear(&err);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 0);
    /* and the index survived the rollback */
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 0);
}

static void test_bulk_load_into_nonempty_table_ignores_known_ids(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int ins;
    struct response a = resp(f, "n1", 1), b = resp(f, "n2", 2);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 2);
}

static void test_unknown_scheme_is_invalid(void **state)
{
    struct err err = ERR_INIT;
    struct store *s = NULL;
    (void)state;
    assert_int_equal(store_open(&s, "mysql://x", &err), ERR_INVALID);
    assert_null(s);
    err_clear(&err);
    assert_int_equal(store_open(&s, "/nonexistent-dir/x/y.db", &err), ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x/y.db"));
}

/* ---- text analysis ---- */

static void put_analysed(struct fixture *f, const char *id, const char *text,
                         const char *label, double score,
                         const struct theme_mention *m, int nm)
{
    struct err err = ERR_INIT;
    int ins;
    struct comment_analysis an = {"sv", 0.9, score, label, 2u, 1,
                                  "{\"words\":[]}", m, nm};
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, text, NULL, &an};
    struct response r = resp(f, id, 3);
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 1);
}

struct seen_analyses {
    int n, mentions;
    char first_theme[32];
    char labels[8][16];
};

static int count_analysis(void *ctx, int64_t id, const char *q,
                          const struct comment_analysis *a)
{
    struct seen_analyses *s = ctx;
    (void)id;
    assert_string_equal(q, "comment");
    assert_null(a->explanation);
    assert_int_equal(a->redactions, 2u);
    if (s->n < 8)
        snprintf(s->labels[s->n], sizeof s->labels[0], "%s", a->label);
    if (s->n == 0 && a->n_mentions)
        snprintf(s->first_theme, sizeof s->first_theme, "%s",
                 a->mentions[0].theme);
    s->n++;
    s->mentions += a->n_mentions;
    return 0;
}

static void test_analysis_is_stored_with_the_response(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct seen_analyses seen;
    struct theme_mention m[2] = {{"digital", -0.5}, {"digital/login", -0.7}};
    put_analysed(f, "t1", "Kan inte logga in", "negative", -0.6, m, 2);
    put_analysed(f, "t2", "Bra", "positive", 0.4, NULL, 0);
    /* a response without analysis has none */
    struct response r = resp(f, "t3", 9);
    int ins;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(f->s, count_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.mentions, 2);
    assert_string_equal(seen.first_theme, "digital");
    assert_string_equal(seen.labels[0], "negative");
    assert_string_equal(seen.labels[1], "positive");
    /* re-putting a stored response leaves its analysis alone */
    put_analysed(f, "t4", "x", "neutral", 0, NULL, 0);
    struct comment_analysis an = {"en", 1, 1, "positive", 0, 0, NULL, m, 1};
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, "y", NULL, &an};
    r = resp(f, "t1", 3);
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(f->s, count_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.mentions, 2);
}

static void test_analysis_rolls_back_with_the_response(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct seen_analyses seen;
    struct theme_mention m[1] = {{"price", -0.2}};
    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    put_analysed(f, "r1", "Dyrt", "negative", -0.3, m, 1);
    store_rollback(f->s);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(f->s, count_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 0);
    assert_int_equal(seen.mentions, 0);
}

static void test_analysis_rejects_out_of_range_score(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int ins;
    struct comment_analysis an = {"sv", 0.5, 1.5, "positive", 0, 0, NULL,
                                  NULL, 0};
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, "x", NULL, &an};
    struct response r = resp(f, "bad", 3);
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), ERR_CONFLICT);
}

struct comments_seen {
    int n;
    char texts[8][40];
    int mentions[8];
};

static int collect_comment(void *ctx, const struct response *r,
                           const struct answer *a)
{
    struct comments_seen *c = ctx;
    assert_string_equal(r->touchpoint, "felanmalan_app");
    assert_non_null(a->analysis);
    assert_non_null(a->analysis->explanation);
    if (c->n < 8) {
        snprintf(c->texts[c->n], sizeof c->texts[0], "%s", a->text);
        c->mentions[c->n] = a->analysis->n_mentions;
    }
    c->n++;
    return 0;
}

static void test_scan_comments_filters(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct comments_seen c;
    struct comment_filter cf = COMMENT_FILTER_INIT;
    struct theme_mention login[2] = {{"digital", -0.5},
                                     {"digital/login", -0.7}};
    struct theme_mention price[1] = {{"price", -0.2}};
    put_analysed(f, "c1", "Kan inte logga in", "negative", -0.6, login, 2);
    put_analysed(f, "c2", "Dyr hyra", "negative", -0.3, price, 1);
    put_analysed(f, "c3", "Fint", "positive", 0.5, NULL, 0);

    memset(&c, 0, sizeof c);
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.texts[0], "Kan inte logga in");
    assert_int_equal(c.mentions[0], 2);

    memset(&c, 0, sizeof c);
    cf.newest_first = 1;
    cf.limit = 2;
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.texts[0], "Fint");

    memset(&c, 0, sizeof c);
    cf = (struct comment_filter)COMMENT_FILTER_INIT;
    cf.theme = "digital/login";
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.texts[0], "Kan inte logga in");

    memset(&c, 0, sizeof c);
    cf = (struct comment_filter)COMMENT_FILTER_INIT;
    cf.label = "negative";
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 2);

    memset(&c, 0, sizeof c);
    cf = (struct comment_filter)COMMENT_FILTER_INIT;
    cf.unthemed = 1;
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.texts[0], "Fint");

    memset(&c, 0, sizeof c);
    cf = (struct comment_filter)COMMENT_FILTER_INIT;
    cf.touchpoint_id = f->tp_office;
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 0);
    cf.touchpoint_id = 0;
    cf.to_day = 1600000000 / 86400;
    assert_int_equal(store_scan_comments(f->s, &cf, collect_comment, &c, &err),
                     0);
    assert_int_equal(c.n, 0);
}

static void test_taxonomy_put_get_and_remove(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    char *name, *src;
    size_t n;
    int rep;
    assert_int_equal(store_get_taxonomy(f->s, &name, &src, &n, &rep, &err),
                     ERR_NOTFOUND);
    err_clear(&err);
    const char *tsv = "parking\tsv\tParkering\tparkering*\n";
    assert_int_equal(store_put_taxonomy(f->s, "mine.tsv", tsv, strlen(tsv), 1,
                                        &err),
                     0);
    assert_int_equal(store_put_taxonomy(f->s, "mine.tsv", tsv, strlen(tsv), 0,
                                        &err),
                     0);
    assert_int_equal(store_get_taxonomy(f->s, &name, &src, &n, &rep, &err), 0);
    assert_string_equal(name, "mine.tsv");
    assert_int_equal(n, strlen(tsv));
    assert_string_equal(src, tsv);
    assert_int_equal(rep, 0);
    free(name);
    free(src);
    assert_int_equal(store_put_taxonomy(f->s, NULL, NULL, 0, 0, &err), 0);
    assert_int_equal(store_get_taxonomy(f->s, &name, &src, &n, &rep, &err),
                     ERR_NOTFOUND);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_file, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_open_migrates_to_current_version),
        T(test_journey_upsert_is_idempotent_and_updates),
        T(test_list_touchpoints_in_order_with_channel),
        T(test_response_reinsert_is_ignored),
        T(test_out_of_range_score_is_rejected_by_schema),
        T(test_rollback_discards_everything),
        T(test_fail_after_fails_the_nth_write),
        T(test_scan_facts_returns_ids_and_scores),
        T(test_scan_responses_merges_answers),
        T(test_callback_nonzero_stops_scan),
        T(test_customer_reinsert_returns_same_id),
        T(test_reopen_keeps_committed_data),
        T(test_bulk_load_into_empty_table_keeps_ids_unique),
        T(test_bulk_load_with_repeated_id_fails_and_stores_nothing),
        T(test_bulk_load_into_nonempty_table_ignores_known_ids),
        T(test_analysis_is_stored_with_the_response),
        T(test_analysis_rolls_back_with_the_response),
        T(test_analysis_rejects_out_of_range_score),
        T(test_scan_comments_filters),
        T(test_taxonomy_put_get_and_remove),
        cmocka_unit_test(test_unknown_scheme_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
