/* Contract tests for store.h. Every case runs once for each row of
 * backends[] below: SQLite on disk and in memory today; a second backend
 * (PostgreSQL) adds a row, not a copy of the cases. A case that needs
 * something not every backend has (data kept across a reopen) says so,
 * and runs only where it is. The SQLite migration test at the end is not
 * part of the contract and runs once. */
#include "harness.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asset.h"
#include "core/err.h"
#include "store/store.h"

/* The migrations compiled into the program (tools/embed.c). */
extern const struct asset schema_sqlite[];
extern const unsigned long schema_sqlite_count;

/* ---- the backends ---- */

enum backend_has {
    HAS_REOPEN = 1 /* data committed survives store_free and a new open */
};

struct backend {
    const char *name;
    /* Opens the store kept in dir (a fresh temporary directory per case):
     * empty the first time; the same one again if it has HAS_REOPEN. */
    int (*open)(struct store **out, const char *dir, struct err *err);
    unsigned has;
};

static int open_sqlite_file(struct store **out, const char *dir,
                            struct err *err)
{
    char uri[600];
    snprintf(uri, sizeof uri, "sqlite:%s/t.db", dir);
    return store_open(out, uri, err);
}

static int open_sqlite_memory(struct store **out, const char *dir,
                              struct err *err)
{
    (void)dir;
    return store_open(out, ":memory:", err);
}

static const struct backend backends[] = {
    {"sqlite", open_sqlite_file, HAS_REOPEN},
    {"sqlite-memory", open_sqlite_memory, 0},
};

struct fixture {
    const struct backend *be;
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

/* *state comes in as the case's backend (its initial_state) and goes
 * out as the fixture: a fresh store with one journey. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct err err = ERR_INIT;
    f->be = *state;
    *state = f;
    if (!(f->dir = harness_tmpdir()) || f->be->open(&f->s, f->dir, &err) < 0 ||
        put_journey(f) < 0) {
        fprintf(stderr, "%s: setup failed: %s\n", f->be->name, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_free(f->s);
    harness_tmpdir_free(f->dir); /* the files in it too */
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

/* A new store is at the newest schema: the last migration compiled in
 * (the migration test at the end checks the steps from version 2). */
static void test_open_migrates_to_current_version(void **state)
{
    struct fixture *f = *state;
    assert_true(schema_sqlite_count >= 3);
    assert_int_equal(store_schema_version(f->s), (int)schema_sqlite_count);
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
    struct response r = resp(f, "kept", 7);
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    store_free(f->s);
    f->s = NULL;
    assert_int_equal(f->be->open(&f->s, f->dir, &err), 0);
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

/* ---- the bulk path keeps insert-or-ignore ----
 * store.h: responses, events, customers and employees are
 * insert-or-ignore by ext_id (customers: "the stored row is left as it
 * was"), and store_begin_bulk is store_begin for many rows, where the
 * backend "may skip per-row referential checks and use a larger cache".
 * Nothing there lets a bulk load treat a repeated id otherwise. So inside
 * one bulk transaction, also the first load into an empty store, a row
 * repeating an earlier row's id is ignored: *inserted 0, no second row,
 * the first one kept as it was (scores, answers), and the commit
 * succeeds. */

struct first_kept {
    int n;
    char rows[4][96];
};

static int keep_response(void *ctx, const struct response *r)
{
    struct first_kept *k = ctx;
    if (k->n < 4)
        snprintf(k->rows[k->n], sizeof k->rows[0], "%s nps %d answers %d %s",
                 r->ext_id, r->nps, r->n_answers,
                 r->n_answers && r->answers[0].text ? r->answers[0].text
                                                    : "-");
    k->n++;
    return 0;
}

static int keep_event(void *ctx, const struct event *e)
{
    struct first_kept *k = ctx;
    if (k->n < 4)
        snprintf(k->rows[k->n], sizeof k->rows[0], "%s %s %lld", e->ext_id,
                 e->activity, (long long)e->ts);
    k->n++;
    return 0;
}

static int keep_customer(void *ctx, const struct customer *c)
{
    struct first_kept *k = ctx;
    if (k->n < 4)
        snprintf(k->rows[k->n], sizeof k->rows[0], "%s %s", c->ext_id,
                 c->segment ? c->segment : "-");
    k->n++;
    return 0;
}

static void test_bulk_repeated_response_id_is_ignored(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    struct first_kept k;
    int ins = -1;
    struct answer first = {"comment", ANSWER_TEXT, 0,   0,
                           0,         "Första",    NULL, NULL};
    struct answer second = {"comment", ANSWER_TEXT, 0,   0,
                            0,         "Andra",     NULL, NULL};
    struct response a = resp(f, "d1", 1), again = resp(f, "d1", 9),
                    b = resp(f, "d2", 5);
    a.answers = &first;
    a.n_answers = 1;
    again.answers = &second;
    again.n_answers = 1;

    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_put_response(f->s, &again, &ins, &err), 0);
    assert_int_equal(ins, 0); /* ignored, not written a second time */
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    assert_int_equal(ins, 1);
    if (store_commit(f->s, &err) < 0)
        fail_msg("commit after a repeated id: %s", err.msg);

    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 2);
    assert_int_equal(c.answers, 1);
    memset(&k, 0, sizeof k);
    assert_int_equal(store_scan_responses(f->s, keep_response, &k, &err), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.rows[0], "d1 nps 1 answers 1 Första");
    assert_string_equal(k.rows[1], "d2 nps 5 answers 0 -");
}

static void test_bulk_repeated_event_and_customer_ids_are_ignored(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    struct first_kept k;
    int ins = -1;
    struct customer cu = {0, "k1", "Student", NULL};
    struct customer cu_again = {0, "k1", "Senior", NULL};
    struct event e = {0, "e1", 0, "fault_report", 0, 0, 1700000000, 60, NULL};
    struct event e_again = {0, "e1", 0, "payment", 0, 0, 1710000000, 60, NULL};

    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_customer(f->s, &cu, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_put_customer(f->s, &cu_again, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(cu_again.id, cu.id); /* "id is set either way" */
    e.customer_id = e_again.customer_id = cu.id;
    assert_int_equal(store_put_event(f->s, &e, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_put_event(f->s, &e_again, &ins, &err), 0);
    assert_int_equal(ins, 0);
    if (store_commit(f->s, &err) < 0)
        fail_msg("commit after repeated ids: %s", err.msg);

    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.customers, 1);
    assert_int_equal(c.events, 1);
    memset(&k, 0, sizeof k);
    assert_int_equal(store_scan_customers(f->s, keep_customer, &k, &err), 0);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.rows[0], "k1 Student");
    memset(&k, 0, sizeof k);
    assert_int_equal(store_scan_events(f->s, keep_event, &k, &err), 0);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.rows[0], "e1 fault_report 1700000000");
}

/* A bulk load rolled back stores nothing, and ids stay unique after. */
static void test_bulk_rollback_stores_nothing_and_ids_stay_unique(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts c;
    int ins = -1;
    struct response a = resp(f, "d1", 1);
    assert_int_equal(store_begin_bulk(f->s, &err), 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 1);
    store_rollback(f->s);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 0);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(store_count(f->s, &c, &err), 0);
    assert_int_equal(c.responses, 1);
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

/* ---- schema 3: response attributes, answers scan, segment history,
 * touchpoint aliases, unscored comments ---- */

struct attrs_seen {
    int n;
    int64_t ids[8];
    char attrs[8][64];
};

static int collect_attrs(void *ctx, int64_t id, const char *attrs)
{
    struct attrs_seen *a = ctx;
    if (a->n < 8) {
        a->ids[a->n] = id;
        snprintf(a->attrs[a->n], sizeof a->attrs[0], "%s",
                 attrs ? attrs : "(null)");
    }
    a->n++;
    return 0;
}

static int collect_response_attrs(void *ctx, const struct response *r)
{
    return collect_attrs(ctx, r->id, r->attrs);
}

static void test_response_attrs_round_trip(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct attrs_seen seen;
    int ins;
    struct response a = resp(f, "a1", 9), b = resp(f, "a2", 5),
                    c = resp(f, "a3", 7);
    a.attrs = "{\"store\":\"Kista\",\"order_value\":1250}";
    c.attrs = "{\"agent\":\"A7\"}";
    assert_int_equal(store_put_response(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &b, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &c, &ins, &err), 0);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(
        store_scan_responses(f->s, collect_response_attrs, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.attrs[0], a.attrs);
    assert_string_equal(seen.attrs[1], "(null)");
    assert_string_equal(seen.attrs[2], c.attrs);

    /* only responses that have attributes, in id order */
    memset(&seen, 0, sizeof seen);
    assert_int_equal(
        store_scan_response_attrs(f->s, collect_attrs, &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.ids[0], a.id);
    assert_int_equal(seen.ids[1], c.id);
    assert_string_equal(seen.attrs[0], a.attrs);
    assert_string_equal(seen.attrs[1], c.attrs);
}

struct answers_seen {
    int n;
    char rows[8][64];
};

static int collect_answer(void *ctx, int64_t id, const struct answer *a)
{
    struct answers_seen *s = ctx;
    assert_null(a->analysis);
    if (s->n < 8)
        snprintf(s->rows[s->n], sizeof s->rows[0], "%lld %s %s %g %g %s",
                 (long long)id, a->question, answer_kind_name(a->kind), a->v1,
                 a->v2, a->text ? a->text : "-");
    s->n++;
    return 0;
}

static void test_scan_answers_by_kind_in_response_question_order(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct answers_seen seen;
    int ins;
    /* given out of question order; stored keyed by (response, question) */
    struct answer a1[3] = {
        {"zon", ANSWER_CHOICE, 0, 0, 0, "norr", NULL, NULL},
        {"betyg", ANSWER_RATING, 4, 5, 0, NULL, NULL, NULL},
        {"comment", ANSWER_TEXT, 0, 0, 0, "Bra", NULL, NULL}};
    struct answer a2[2] = {
        {"betyg", ANSWER_RATING, 2, 5, 0, NULL, NULL, NULL},
        {"kanal", ANSWER_CHOICE, 0, 0, 0, "sms", NULL, NULL}};
    struct response r1 = resp(f, "q1", 8), r2 = resp(f, "q2", 3);
    r1.answers = a1;
    r1.n_answers = 3;
    r2.answers = a2;
    r2.n_answers = 2;
    assert_int_equal(store_put_response(f->s, &r1, &ins, &err), 0);
    assert_int_equal(store_put_response(f->s, &r2, &ins, &err), 0);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(
        store_scan_answers(f->s, 1u << ANSWER_CHOICE | 1u << ANSWER_RATING,
                           collect_answer, &seen, &err),
        0);
    assert_int_equal(seen.n, 4);
    char want[4][64];
    snprintf(want[0], 64, "%lld betyg rating 4 5 -", (long long)r1.id);
    snprintf(want[1], 64, "%lld zon choice 0 0 norr", (long long)r1.id);
    snprintf(want[2], 64, "%lld betyg rating 2 5 -", (long long)r2.id);
    snprintf(want[3], 64, "%lld kanal choice 0 0 sms", (long long)r2.id);
    for (int i = 0; i < 4; i++)
        assert_string_equal(seen.rows[i], want[i]);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_answers(f->s, 1u << ANSWER_TEXT, collect_answer,
                                        &seen, &err),
                     0);
    assert_int_equal(seen.n, 1);
    assert_non_null(strstr(seen.rows[0], "comment text 0 0 Bra"));

    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_answers(f->s, 0, collect_answer, &seen, &err),
                     0);
    assert_int_equal(seen.n, 0);
}

struct alias_list {
    int n; /* touchpoints seen */
    char app[160];
    char office[160];
    char app_name[64];
};

static int collect_aliases(void *ctx, const struct journey *j,
                           const struct stage *st, const struct touchpoint *t)
{
    struct alias_list *l = ctx;
    char *dst = !strcmp(t->key, "felanmalan_app") ? l->app : l->office;
    (void)j;
    (void)st;
    if (dst == l->app)
        snprintf(l->app_name, sizeof l->app_name, "%s", t->name);
    dst[0] = 0;
    for (int i = 0; i < t->n_aliases; i++) {
        strcat(dst, i ? "|" : "");
        strcat(dst, t->aliases[i]);
    }
    l->n++;
    return 0;
}

static void test_touchpoint_aliases_are_replaced_and_listed(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct alias_list l;
    const char *const two[] = {"Felanmälan app", "Appen", "Felanmälan app"};
    const char *const one[] = {"Felanmälan i app"};
    struct touchpoint t = {0,
                           0,
                           "felanmalan_app",
                           "Felanmälan i appen",
                           "app",
                           "Fastighetsskötsel",
                           1,
                           0,
                           two,
                           3};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct journey j = {0, "hyra", "Hyresgästens resa", LIFECYCLE_USE};
    assert_int_equal(store_put_journey(f->s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(f->s, &g, &err), 0);
    t.stage_id = g.id;

    /* given order kept, a repeat stored once */
    assert_int_equal(store_put_touchpoint(f->s, &t, &err), 0);
    assert_int_equal(t.id, f->tp_app);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_touchpoints(f->s, collect_aliases, &l, &err),
                     0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.app, "Felanmälan app|Appen");
    assert_string_equal(l.office, "");

    /* the set is replaced, not added to */
    t.aliases = one;
    t.n_aliases = 1;
    assert_int_equal(store_put_touchpoint(f->s, &t, &err), 0);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_touchpoints(f->s, collect_aliases, &l, &err),
                     0);
    assert_string_equal(l.app, "Felanmälan i app");

    /* one operation: a failing alias undoes the whole put */
    const char *const broken[] = {"Ny", NULL};
    t.name = "Nytt namn";
    t.aliases = broken;
    t.n_aliases = 2;
    assert_int_equal(store_put_touchpoint(f->s, &t, &err), ERR_INVALID);
    err_clear(&err);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_touchpoints(f->s, collect_aliases, &l, &err),
                     0);
    assert_string_equal(l.app, "Felanmälan i app");
    assert_string_equal(l.app_name, "Felanmälan i appen");

    t.aliases = NULL;
    t.n_aliases = 0;
    assert_int_equal(store_put_touchpoint(f->s, &t, &err), 0);
    memset(&l, 0, sizeof l);
    assert_int_equal(store_list_touchpoints(f->s, collect_aliases, &l, &err),
                     0);
    assert_string_equal(l.app, "");
    assert_string_equal(l.app_name, "Nytt namn");
}

struct seg_seen {
    int n;
    char rows[8][80];
};

static int collect_segment(void *ctx, int64_t customer_id, const char *segment,
                           int64_t since)
{
    struct seg_seen *s = ctx;
    if (s->n < 8) {
        if (since == SEGMENT_SINCE_START)
            snprintf(s->rows[s->n], sizeof s->rows[0], "%lld start %s",
                     (long long)customer_id, segment ? segment : "-");
        else
            snprintf(s->rows[s->n], sizeof s->rows[0], "%lld %lld %s",
                     (long long)customer_id, (long long)since,
                     segment ? segment : "-");
    }
    s->n++;
    return 0;
}

struct customer_seen {
    char segment[32];
    char attrs[128];
};

static int find_customer(void *ctx, const struct customer *c)
{
    struct customer_seen *s = ctx;
    if (strcmp(c->ext_id, "k1"))
        return 0;
    snprintf(s->segment, sizeof s->segment, "%s",
             c->segment ? c->segment : "-");
    snprintf(s->attrs, sizeof s->attrs, "%s", c->attrs);
    return 0;
}

static void test_put_customer_records_the_first_segment(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct seg_seen seen;
    int ins;
    struct customer a = {0, "k1", "Student", NULL};
    struct customer b = {0, "k2", NULL, NULL};
    struct customer again = {0, "k1", "Senior", NULL};
    assert_int_equal(store_put_customer(f->s, &a, &ins, &err), 0);
    assert_int_equal(store_put_customer(f->s, &b, &ins, &err), 0);
    /* insert-or-ignore: a known id changes nothing, history included */
    assert_int_equal(store_put_customer(f->s, &again, &ins, &err), 0);
    assert_int_equal(ins, 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_segments(f->s, collect_segment, &seen, &err),
                     0);
    assert_int_equal(seen.n, 1);
    char want[80];
    snprintf(want, sizeof want, "%lld start Student", (long long)a.id);
    assert_string_equal(seen.rows[0], want);
}

static void test_update_customer_inserts_a_new_one(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct seg_seen seen;
    struct customer_seen cs;
    int changed = -1;
    struct customer c = {0, "k1", "Familj", "{\"rum\":3}"};
    assert_int_equal(
        store_update_customer(f->s, &c, 1700000000, &changed, &err), 0);
    assert_int_equal(changed, 1);
    assert_true(c.id > 0);
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_scan_customers(f->s, find_customer, &cs, &err), 0);
    assert_string_equal(cs.segment, "Familj");
    assert_string_equal(cs.attrs, "{\"rum\":3}");
    /* a new customer's segment holds from the start, not from `since` */
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_segments(f->s, collect_segment, &seen, &err),
                     0);
    assert_int_equal(seen.n, 1);
    assert_non_null(strstr(seen.rows[0], " start Familj"));
}

static void test_update_customer_merges_attributes(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct customer_seen cs;
    int ins, changed = -1;
    struct customer c = {0, "k1", "Student", "{\"rum\":2,\"omrade\":\"Norr\"}"};
    assert_int_equal(store_put_customer(f->s, &c, &ins, &err), 0);
    int64_t id = c.id;

    /* keys given replace, others are kept, new ones are added */
    struct customer u = {0, "k1", NULL, "{\"omrade\":\"Syd\",\"hyra\":7400}"};
    assert_int_equal(
        store_update_customer(f->s, &u, 1700000000, &changed, &err), 0);
    assert_int_equal(changed, 2);
    assert_int_equal(u.id, id);
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_scan_customers(f->s, find_customer, &cs, &err), 0);
    assert_string_equal(cs.attrs,
                        "{\"rum\":2,\"omrade\":\"Syd\",\"hyra\":7400}");
    assert_string_equal(cs.segment, "Student");

    /* the same values again, or the same segment, change nothing */
    assert_int_equal(
        store_update_customer(f->s, &u, 1700000000, &changed, &err), 0);
    assert_int_equal(changed, 0);
    struct customer same = {0, "k1", "Student", "{}"};
    assert_int_equal(
        store_update_customer(f->s, &same, 1700000000, &changed, &err), 0);
    assert_int_equal(changed, 0);

    /* attributes that are not a JSON object are refused, and kept out */
    struct customer bad = {0, "k1", NULL, "[1,2]"};
    assert_int_equal(
        store_update_customer(f->s, &bad, 1700000000, &changed, &err),
        ERR_INVALID);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(err.msg, "JSON object"));
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_scan_customers(f->s, find_customer, &cs, &err), 0);
    assert_string_equal(cs.attrs,
                        "{\"rum\":2,\"omrade\":\"Syd\",\"hyra\":7400}");
}

static void test_update_customer_keeps_segment_history(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct seg_seen seen;
    struct customer_seen cs;
    int ins, changed = -1;
    const int64_t t1 = 1700000000, t2 = 1710000000;
    struct customer c = {0, "k1", "Student", NULL};
    struct customer other = {0, "k2", "Senior", NULL};
    assert_int_equal(store_put_customer(f->s, &c, &ins, &err), 0);
    assert_int_equal(store_put_customer(f->s, &other, &ins, &err), 0);

    struct customer u = {0, "k1", "Familj", NULL};
    assert_int_equal(store_update_customer(f->s, &u, t2, &changed, &err), 0);
    assert_int_equal(changed, 2);
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_scan_customers(f->s, find_customer, &cs, &err), 0);
    assert_string_equal(cs.segment, "Familj");

    /* a change dated before the latest one is refused and changes nothing */
    struct customer early = {0, "k1", "Senior", "{\"x\":1}"};
    assert_int_equal(store_update_customer(f->s, &early, t1, &changed, &err),
                     ERR_INVALID);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(err.msg, "\"k1\""));
    assert_non_null(strstr(err.msg, "before its latest"));
    err_clear(&err);
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_scan_customers(f->s, find_customer, &cs, &err), 0);
    assert_string_equal(cs.segment, "Familj");
    assert_string_equal(cs.attrs, "{}");

    /* a second change at the same moment replaces that entry */
    struct customer fix = {0, "k1", "Par", NULL};
    assert_int_equal(store_update_customer(f->s, &fix, t2, &changed, &err), 0);
    assert_int_equal(changed, 2);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_segments(f->s, collect_segment, &seen, &err),
                     0);
    assert_int_equal(seen.n, 3);
    char want[3][80];
    snprintf(want[0], 80, "%lld start Student", (long long)c.id);
    snprintf(want[1], 80, "%lld %lld Par", (long long)c.id, (long long)t2);
    snprintf(want[2], 80, "%lld start Senior", (long long)other.id);
    for (int i = 0; i < 3; i++)
        assert_string_equal(seen.rows[i], want[i]);
}

static void test_update_customer_is_a_write_for_fault_injection(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct store_counts n;
    int changed = -1;
    struct customer c = {0, "k1", "Student", NULL};
    store_fail_after(f->s, 1);
    assert_int_equal(store_update_customer(f->s, &c, 0, &changed, &err),
                     ERR_DB);
    assert_int_equal(changed, 0);
    err_clear(&err);
    assert_int_equal(store_count(f->s, &n, &err), 0);
    assert_int_equal(n.customers, 0);
}

struct unscored_seen {
    int n;
    char language[8];
    int label_null, score_nan;
};

static int collect_unscored(void *ctx, int64_t id, const char *q,
                            const struct comment_analysis *a)
{
    struct unscored_seen *s = ctx;
    (void)id;
    (void)q;
    if (!strcmp(a->language, "de")) {
        snprintf(s->language, sizeof s->language, "%s", a->language);
        s->label_null = a->label == NULL;
        s->score_nan = isnan(a->score);
    }
    s->n++;
    return 0;
}

static int collect_unscored_comment(void *ctx, const struct response *r,
                                    const struct answer *a)
{
    (void)r;
    return collect_unscored(ctx, 0, a->question, a->analysis);
}

static void test_unscored_analysis_has_no_label_and_nan_score(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    struct unscored_seen seen;
    struct comment_filter cf = COMMENT_FILTER_INIT;
    int ins;
    struct comment_analysis an = {"de", 0.9, NAN, NULL, 0, 0, "{}", NULL, 0};
    struct answer a = {"comment", ANSWER_TEXT, 0,
                       0,         0,           "Die Wohnung ist sehr schön",
                       NULL,      &an};
    struct response r = resp(f, "u1", 6);
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), 0);
    put_analysed(f, "u2", "Bra", "positive", 0.4, NULL, 0);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(f->s, collect_unscored, &seen, &err),
                     0);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.language, "de");
    assert_true(seen.label_null);
    assert_true(seen.score_nan);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(
        store_scan_comments(f->s, &cf, collect_unscored_comment, &seen, &err),
        0);
    assert_int_equal(seen.n, 2);
    assert_true(seen.label_null);
    assert_true(seen.score_nan);

    /* a label filter never matches an unscored comment */
    memset(&seen, 0, sizeof seen);
    cf.label = "neutral";
    assert_int_equal(
        store_scan_comments(f->s, &cf, collect_unscored_comment, &seen, &err),
        0);
    assert_int_equal(seen.n, 0);

    /* sentiment is both or neither */
    struct comment_analysis half = {"de", 0.9, 0.3, NULL, 0, 0, NULL, NULL, 0};
    a.analysis = &half;
    r = resp(f, "u3", 6);
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(f->s, &r, &ins, &err), ERR_CONFLICT);
}

/* ---- migration from schema 2 ---- */

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql failed: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

struct migrated {
    struct seg_seen seg;
    int analyses, unscored, mentions;
    double score;
    char label[16];
    int attrs_seen, aliases;
};

static int migrated_analysis(void *ctx, int64_t id, const char *q,
                             const struct comment_analysis *a)
{
    struct migrated *m = ctx;
    (void)id;
    (void)q;
    m->analyses++;
    m->mentions += a->n_mentions;
    m->score = a->score;
    snprintf(m->label, sizeof m->label, "%s", a->label ? a->label : "-");
    return 0;
}

static int migrated_attrs(void *ctx, int64_t id, const char *attrs)
{
    (void)id;
    (void)attrs;
    ((struct migrated *)ctx)->attrs_seen++;
    return 0;
}

static int migrated_tp(void *ctx, const struct journey *j,
                       const struct stage *st, const struct touchpoint *t)
{
    (void)j;
    (void)st;
    ((struct migrated *)ctx)->aliases += t->n_aliases;
    return 0;
}

static void test_migration_from_version_2_keeps_data(void **state)
{
    struct err err = ERR_INIT;
    struct store *s = NULL;
    struct migrated m;
    sqlite3 *db = NULL;
    char path[600];
    char *dir = harness_tmpdir();
    (void)state;
    snprintf(path, sizeof path, "%s/v2.db", dir);

    /* a version-2 database as the previous release left it */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_sql(db, (const char *)schema_sqlite[0].data);
    exec_sql(db, (const char *)schema_sqlite[1].data);
    exec_sql(db,
             "PRAGMA user_version=2;"
             "INSERT INTO journeys VALUES(1,'hyra','Hyra','use');"
             "INSERT INTO stages VALUES(1,1,'boende','Boende',0);"
             "INSERT INTO channels VALUES(1,'app');"
             "INSERT INTO touchpoints VALUES(1,1,'felanmalan','Felanmälan',1,"
             "NULL,1,0);"
             "INSERT INTO customers VALUES(1,'k1','Student','{}');"
             "INSERT INTO customers VALUES(2,'k2',NULL,'{\"rum\":2}');"
             "INSERT INTO customers VALUES(3,'k3','Senior','{}');"
             "INSERT INTO responses(id,ext_id,customer_id,touchpoint_id,"
             "channel_id,ts,tz_min,nps) VALUES(1,'r1',1,1,1,1700000000,60,3);"
             "INSERT INTO answers VALUES(1,'comment','text',0,0,0,"
             "'Kan inte logga in',NULL);"
             "INSERT INTO comment_analysis VALUES(1,'comment','sv',0.9,-0.6,"
             "'negative',0,0,'{}');"
             "INSERT INTO theme_mentions VALUES(1,'comment','digital',-0.5);");
    sqlite3_close(db);

    assert_int_equal(store_open(&s, path, &err), 0);
    assert_int_equal(store_schema_version(s), (int)schema_sqlite_count);

    /* one history entry from the start per customer with a segment */
    memset(&m, 0, sizeof m);
    assert_int_equal(store_scan_segments(s, collect_segment, &m.seg, &err), 0);
    assert_int_equal(m.seg.n, 2);
    assert_string_equal(m.seg.rows[0], "1 start Student");
    assert_string_equal(m.seg.rows[1], "3 start Senior");

    /* analyses survive the table rebuild, and its CHECKs still hold */
    assert_int_equal(store_scan_analyses(s, migrated_analysis, &m, &err), 0);
    assert_int_equal(m.analyses, 1);
    assert_int_equal(m.mentions, 1);
    assert_string_equal(m.label, "negative");
    assert_close(m.score, -0.6, 0, 1e-12);
    struct comment_analysis bad = {"sv", 0.5,  1.5,  "positive", 0,
                                   0,    NULL, NULL, 0};
    struct answer a = {"comment", ANSWER_TEXT, 0, 0, 0, "x", NULL, &bad};
    struct response r;
    int ins;
    memset(&r, 0, sizeof r);
    r.ext_id = "r2";
    r.touchpoint_id = r.channel_id = 1;
    r.nps = r.csat = r.ces = -1;
    r.answers = &a;
    r.n_answers = 1;
    assert_int_equal(store_put_response(s, &r, &ins, &err), ERR_CONFLICT);
    err_clear(&err);

    /* no attributes, no aliases yet; and history works on old customers */
    assert_int_equal(store_scan_response_attrs(s, migrated_attrs, &m, &err), 0);
    assert_int_equal(m.attrs_seen, 0);
    assert_int_equal(store_list_touchpoints(s, migrated_tp, &m, &err), 0);
    assert_int_equal(m.aliases, 0);
    int changed = -1;
    struct customer u = {0, "k1", "Familj", "{\"rum\":1}"};
    assert_int_equal(store_update_customer(s, &u, 1700000000, &changed, &err),
                     0);
    assert_int_equal(changed, 2);
    assert_int_equal(u.id, 1);

    store_free(s);
    /* reopening does not migrate again */
    assert_int_equal(store_open(&s, path, &err), 0);
    memset(&m, 0, sizeof m);
    assert_int_equal(store_scan_segments(s, collect_segment, &m.seg, &err), 0);
    assert_int_equal(m.seg.n, 3);
    store_free(s);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/v2.db%s", dir, suffix[i]);
        remove(path);
    }
    harness_tmpdir_free(dir);
}

/* ---- every case for every backend ---- */

struct contract_case {
    const char *name;
    CMUnitTestFunction fn;
    unsigned needs; /* enum backend_has */
};

#define CASE(fn) {#fn, fn, 0}

static const struct contract_case cases[] = {
    CASE(test_open_migrates_to_current_version),
    CASE(test_journey_upsert_is_idempotent_and_updates),
    CASE(test_list_touchpoints_in_order_with_channel),
    CASE(test_response_reinsert_is_ignored),
    CASE(test_out_of_range_score_is_rejected_by_schema),
    CASE(test_rollback_discards_everything),
    CASE(test_fail_after_fails_the_nth_write),
    CASE(test_scan_facts_returns_ids_and_scores),
    CASE(test_scan_responses_merges_answers),
    CASE(test_callback_nonzero_stops_scan),
    CASE(test_customer_reinsert_returns_same_id),
    {"test_reopen_keeps_committed_data", test_reopen_keeps_committed_data,
     HAS_REOPEN},
    CASE(test_bulk_load_into_empty_table_keeps_ids_unique),
    CASE(test_bulk_repeated_response_id_is_ignored),
    CASE(test_bulk_repeated_event_and_customer_ids_are_ignored),
    CASE(test_bulk_rollback_stores_nothing_and_ids_stay_unique),
    CASE(test_bulk_load_into_nonempty_table_ignores_known_ids),
    CASE(test_analysis_is_stored_with_the_response),
    CASE(test_analysis_rolls_back_with_the_response),
    CASE(test_analysis_rejects_out_of_range_score),
    CASE(test_scan_comments_filters),
    CASE(test_taxonomy_put_get_and_remove),
    CASE(test_response_attrs_round_trip),
    CASE(test_scan_answers_by_kind_in_response_question_order),
    CASE(test_touchpoint_aliases_are_replaced_and_listed),
    CASE(test_put_customer_records_the_first_segment),
    CASE(test_update_customer_inserts_a_new_one),
    CASE(test_update_customer_merges_attributes),
    CASE(test_update_customer_keeps_segment_history),
    CASE(test_update_customer_is_a_write_for_fault_injection),
    CASE(test_unscored_analysis_has_no_label_and_nan_score),
};

#define N_BACKENDS (sizeof backends / sizeof backends[0])
#define N_CASES (sizeof cases / sizeof cases[0])

int main(void)
{
    /* named "BACKEND: case"; the backend rides in as initial_state */
    static struct CMUnitTest tests[N_BACKENDS * N_CASES + 2];
    static char names[N_BACKENDS * N_CASES][128];
    size_t n = 0, named = 0;
    for (size_t b = 0; b < N_BACKENDS; b++) {
        for (size_t c = 0; c < N_CASES; c++) {
            if (cases[c].needs & ~backends[b].has)
                continue;
            snprintf(names[named], sizeof names[0], "%s: %s", backends[b].name,
                     cases[c].name);
            tests[n++] = (struct CMUnitTest){names[named++], cases[c].fn, setup,
                                             teardown, (void *)&backends[b]};
        }
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(
        test_unknown_scheme_is_invalid);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(
        test_migration_from_version_2_keeps_data);
    return _cmocka_run_group_tests("store", tests, n, NULL, NULL);
}
