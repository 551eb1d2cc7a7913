/* server/ingest.h: submissions from many threads are each told their
 * outcome once, after it is committed: stored, a duplicate of an earlier
 * try (same ext_id), or refused alone (a touchpoint that does not exist)
 * while the rest of its batch is stored. Then the expiry of old comments
 * (store_expire_comments): their texts are gone, their analysis labels
 * and the newer comments stay, and it is audited. And a detractor's case
 * exists when its submission is acknowledged. */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "loop/loop.h"
#include "server/ingest.h"
#include "server/stats.h"
#include "store/store.h"
#include "store/store_loop.h"

struct world {
    char *dir;
    char path[600];
    int64_t tp, ch;
};

static void make_world(struct world *w)
{
    struct store *s;
    struct err err = ERR_INIT;
    w->dir = harness_tmpdir();
    snprintf(w->path, sizeof w->path, "%s/i.db", w->dir);
    assert_int_equal(store_open(&s, w->path, &err), 0);
    struct journey j = {0, "hyra", "Hyra", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t = {
        0, 0, "felanmalan", "Felanmälan", "app", NULL, 0, 0, NULL, 0};
    struct channel c = {0, "app"};
    assert_int_equal(store_put_journey(s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(s, &g, &err), 0);
    t.stage_id = g.id;
    assert_int_equal(store_put_touchpoint(s, &t, &err), 0);
    assert_int_equal(store_put_channel(s, &c, &err), 0);
    w->tp = t.id;
    w->ch = c.id;
    store_free(s);
}

#define THREADS 4
#define PER 200

struct item {
    struct ingest_item it;
    char ext[32];
    struct answer a;
    atomic_int *done_count;
    int calls;
};

static void on_done(struct ingest_item *it)
{
    struct item *x = (struct item *)it;
    x->calls++;
    atomic_fetch_add(x->done_count, 1);
}

struct thread_arg {
    struct ingest *g;
    struct item *items;
    int n;
};

static void *submitter(void *p)
{
    struct thread_arg *a = p;
    for (int i = 0; i < a->n; i++)
        ingest_submit(a->g, &a->items[i].it);
    return NULL;
}

static void test_group_commit(void **state)
{
    struct world w;
    struct ingest *g;
    struct err err = ERR_INIT;
    struct stats *st = stats_new();
    atomic_int done = 0;
    (void)state;
    make_world(&w);
    assert_int_equal(ingest_new(&g, w.path, 64, st, NULL, NULL, &err), 0);
    /* thread k submits k-0..k-199; thread 3 repeats thread 0's ids (a
     * retry) and one of its items names a touchpoint that is not there */
    struct item *items = calloc(THREADS * PER, sizeof *items);
    for (int k = 0; k < THREADS; k++)
        for (int i = 0; i < PER; i++) {
            struct item *x = &items[k * PER + i];
            snprintf(x->ext, sizeof x->ext, "t%d-%d", k == 3 ? 0 : k, i);
            if (k == 3 && i == 7) /* new, and refused by the store */
                snprintf(x->ext, sizeof x->ext, "bad");
            x->a = (struct answer){"comment", ANSWER_TEXT,   0,    0,
                                   0,         "Bra service", NULL, NULL};
            x->it.r = (struct response){0};
            x->it.r.ext_id = x->ext;
            x->it.r.touchpoint_id = (k == 3 && i == 7) ? 999999 : w.tp;
            x->it.r.channel_id = w.ch;
            x->it.r.ts = 1764000000 + i;
            x->it.r.nps = i % 11;
            x->it.r.csat = x->it.r.ces = -1;
            x->it.r.answers = &x->a;
            x->it.r.n_answers = 1;
            x->it.customer = i % 2 ? "kund-1" : NULL;
            x->it.done = on_done;
            x->done_count = &done;
        }
    /* thread 3 goes after thread 0 is committed, so its items are retries */
    struct thread_arg args[THREADS];
    pthread_t th[THREADS];
    for (int k = 0; k < 3; k++) {
        args[k] = (struct thread_arg){g, &items[k * PER], PER};
        pthread_create(&th[k], NULL, submitter, &args[k]);
    }
    for (int k = 0; k < 3; k++)
        pthread_join(th[k], NULL);
    while (atomic_load(&done) < 3 * PER)
        ;
    args[3] = (struct thread_arg){g, &items[3 * PER], PER};
    submitter(&args[3]);
    ingest_free(g); /* commits what is queued */
    assert_int_equal(atomic_load(&done), THREADS * PER);
    int stored = 0, dup = 0, bad = 0;
    for (int i = 0; i < THREADS * PER; i++) {
        assert_int_equal(items[i].calls, 1);
        if (items[i].it.rc < 0)
            bad++;
        else if (items[i].it.duplicate)
            dup++;
        else
            stored++;
    }
    assert_int_equal(bad, 1);
    assert_int_equal(items[3 * PER + 7].it.rc < 0, 1);
    assert_int_equal(dup, PER - 1);
    assert_int_equal(stored, 3 * PER);
    struct store *s;
    struct store_counts n;
    assert_int_equal(store_open(&s, w.path, &err), 0);
    assert_int_equal(store_count(s, &n, &err), 0);
    assert_int_equal(n.responses, 3 * PER);
    assert_int_equal(n.answers, 3 * PER);
    assert_int_equal(n.customers, 1);
    store_free(s);
    free(items);
    stats_free(st);
    harness_tmpdir_free(w.dir);
}

struct texts {
    int with_text, without;
};

static int count_texts(void *ctx, int64_t id, const struct answer *a)
{
    struct texts *t = ctx;
    (void)id;
    if (a->text)
        t->with_text++;
    else
        t->without++;
    return 0;
}

static int count_labels(void *ctx, int64_t id, const char *q,
                        const struct comment_analysis *a)
{
    (void)id;
    (void)q;
    *(int *)ctx += a->label != NULL;
    return 0;
}

struct audit_find {
    int found;
    char detail[200];
};

static int find_expire(void *ctx, const struct audit_entry *e)
{
    struct audit_find *f = ctx;
    if (!strcmp(e->action, "comments.expire")) {
        f->found++;
        snprintf(f->detail, sizeof f->detail, "%s", e->detail);
    }
    return 0;
}

static void test_expire_comments(void **state)
{
    struct world w;
    struct store *s;
    struct err err = ERR_INIT;
    (void)state;
    make_world(&w);
    assert_int_equal(store_open(&s, w.path, &err), 0);
    struct comment_analysis ca = {
        "sv", 0.9, -0.5, "negative", 0, 0, "{\"words\":[[\"dålig\",-1]]}",
        NULL, 0};
    for (int i = 0; i < 10; i++) {
        char ext[16];
        struct answer a = {"comment", ANSWER_TEXT, 0,
                           0,         0,           "Dålig service, Zebraord",
                           NULL,      &ca};
        struct response r = {0};
        snprintf(ext, sizeof ext, "r%d", i);
        r.ext_id = ext;
        r.touchpoint_id = w.tp;
        r.channel_id = w.ch;
        r.ts = i < 6 ? 1000000 : 2000000; /* six old, four new */
        r.nps = 3;
        r.csat = r.ces = -1;
        r.answers = &a;
        r.n_answers = 1;
        int ins;
        assert_int_equal(store_put_response(s, &r, &ins, &err), 0);
    }
    struct store_version v0, v1;
    assert_int_equal(store_version(s, &v0, &err), 0);
    int64_t n = 0;
    assert_int_equal(store_expire_comments(s, 1500000, "test", &n, &err), 0);
    assert_int_equal(n, 6);
    struct texts t = {0, 0};
    assert_int_equal(
        store_scan_answers(s, 1u << ANSWER_TEXT, count_texts, &t, &err), 0);
    assert_int_equal(t.with_text, 4);
    assert_int_equal(t.without, 6);
    int labels = 0;
    assert_int_equal(store_scan_analyses(s, count_labels, &labels, &err), 0);
    assert_int_equal(labels, 10); /* figures over the old period stay */
    assert_int_equal(store_version(s, &v1, &err), 0);
    assert_int_equal(v1.rewrite, v0.rewrite); /* no snapshot rebuilt */
    struct audit_find af = {0, ""};
    assert_int_equal(store_scan_audit(s, 0, find_expire, &af, &err), 0);
    assert_int_equal(af.found, 1);
    assert_non_null(strstr(af.detail, "\"texts\":6"));
    /* again: nothing left to remove */
    assert_int_equal(store_expire_comments(s, 1500000, "test", &n, &err), 0);
    assert_int_equal(n, 0);
    store_free(s);
    harness_tmpdir_free(w.dir);
}

static int count_one(void *ctx, const struct loop_case *c)
{
    (void)c;
    ++*(int64_t *)ctx;
    return 0;
}

/* With a loop document stored, the writer opens a detractor's case in
 * the submission's own transaction: when the submission is told it is
 * stored, its case is too (and the promoter has none). */
struct case_seen {
    const char *path;
    int64_t cases_at_done;
};

static void count_cases_at_done(struct ingest_item *it)
{
    struct case_seen *cs = it->ctx;
    struct store *s;
    struct err err = ERR_INIT;
    struct case_filter f = CASE_FILTER_INIT;
    int64_t n = 0;
    assert_int_equal(store_open(&s, cs->path, &err), 0);
    f.response_id = it->r.id;
    assert_int_equal(store_scan_cases(s, &f, count_one, &n, &err), 0);
    store_free(s);
    cs->cases_at_done = n;
}

static void test_case_with_its_response(void **state)
{
    struct world w;
    struct ingest *g;
    struct err err = ERR_INIT;
    struct stats *st = stats_new();
    struct store *s;
    (void)state;
    make_world(&w);
    static const char doc[] = "{\"rules\": [{\"key\": \"d\", \"when\": "
                              "{\"nps_max\": 6}, \"sla_hours\": 8}]}";
    assert_int_equal(store_open(&s, w.path, &err), 0);
    assert_int_equal(loop_store(s, doc, sizeof doc - 1, "test", 0, &err), 0);
    store_free(s);
    assert_int_equal(ingest_new(&g, w.path, 64, st, NULL, NULL, &err), 0);
    struct case_seen seen[2] = {{w.path, -1}, {w.path, -1}};
    struct ingest_item items[2];
    const int nps[2] = {2, 10};
    for (int i = 0; i < 2; i++) {
        memset(&items[i], 0, sizeof items[i]);
        items[i].r.ext_id = i ? "pro" : "det";
        items[i].r.touchpoint_id = w.tp;
        items[i].r.channel_id = w.ch;
        items[i].r.ts = 1764000000;
        items[i].r.nps = nps[i];
        items[i].r.csat = items[i].r.ces = -1;
        items[i].done = count_cases_at_done;
        items[i].ctx = &seen[i];
    }
    ingest_submit(g, &items[0]);
    ingest_submit(g, &items[1]);
    ingest_free(g);
    assert_int_equal(items[0].rc, 0);
    assert_int_equal(seen[0].cases_at_done, 1); /* there when acknowledged */
    assert_int_equal(seen[1].cases_at_done, 0);
    stats_free(st);
    harness_tmpdir_free(w.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_expire_comments),
        cmocka_unit_test(test_case_with_its_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
