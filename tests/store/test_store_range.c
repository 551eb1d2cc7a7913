/* store_scan_responses_range: the responses of an id range, each with
 * its own answers, in id order; nothing outside it. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"

struct seen {
    int64_t ids[32];
    int n;
    int answers_ok;
};

static int on_response(void *ctx, const struct response *r)
{
    struct seen *s = ctx;
    char want[32];
    s->ids[s->n++] = r->id;
    snprintf(want, sizeof want, "svar %lld", (long long)r->id);
    /* every response has exactly its own two answers */
    s->answers_ok &= r->n_answers == 2 && r->answers[0].text &&
                     !strcmp(r->answers[0].text, want) &&
                     r->answers[1].v1 == (double)r->id;
    return 0;
}

static void test_range(void **state)
{
    char *dir = harness_tmpdir();
    char path[600];
    struct store *s;
    struct err err = ERR_INIT;
    (void)state;
    snprintf(path, sizeof path, "%s/r.db", dir);
    assert_int_equal(store_open(&s, path, &err), 0);
    struct journey j = {0, "hyra", "Hyra", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t = {0, 0, "tp", "Tp", "app", NULL, 0, 0, NULL, 0};
    struct channel c = {0, "app"};
    assert_int_equal(store_put_journey(s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(s, &g, &err), 0);
    t.stage_id = g.id;
    assert_int_equal(store_put_touchpoint(s, &t, &err), 0);
    assert_int_equal(store_put_channel(s, &c, &err), 0);
    for (int i = 1; i <= 10; i++) {
        char ext[16], text[32];
        struct answer a[2] = {
            {"comment", ANSWER_TEXT, 0, 0, 0, text, NULL, NULL},
            {"speed", ANSWER_RATING, i, 10, 0, NULL, NULL, NULL}};
        struct response r = {0};
        int ins;
        snprintf(ext, sizeof ext, "r%d", i);
        snprintf(text, sizeof text, "svar %d", i); /* ids are 1..10 */
        r.ext_id = ext;
        r.touchpoint_id = t.id;
        r.channel_id = c.id;
        r.ts = 1764000000 + i;
        r.nps = r.csat = r.ces = -1;
        r.answers = a;
        r.n_answers = 2;
        assert_int_equal(store_put_response(s, &r, &ins, &err), 0);
        assert_int_equal(r.id, i);
    }
    struct seen seen = {{0}, 0, 1};
    assert_int_equal(
        store_scan_responses_range(s, 4, 7, on_response, &seen, &err), 0);
    assert_int_equal(seen.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(seen.ids[i], 4 + i);
    assert_true(seen.answers_ok);
    memset(&seen, 0, sizeof seen);
    seen.answers_ok = 1;
    assert_int_equal(
        store_scan_responses_range(s, 11, 99, on_response, &seen, &err), 0);
    assert_int_equal(seen.n, 0);
    assert_int_equal(store_scan_responses(s, on_response, &seen, &err), 0);
    assert_int_equal(seen.n, 10);
    assert_true(seen.answers_ok);
    store_free(s);
    harness_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_range)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
