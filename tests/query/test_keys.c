/* Question keys: the distinct keys of one answer kind, read from a real
 * SQLite store (":memory:"), and the key list's dedupe and cap
 * (src/query/prepare.c). */
#include "harness.h"

#include <string.h>

#include "core/err.h"
#include "query/prepare.h"
#include "store/model.h"
#include "store/store.h"

static int has(const struct query_keys *k, const char *s)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->v[i], s))
            return 1;
    return 0;
}

static void test_keys_add_dedupes_and_caps(void **state)
{
    (void)state;
    struct query_keys k = {NULL, 0, 0, 2, 0};
    query_keys_add(&k, "wait,staff", 4); /* "wait" */
    query_keys_add(&k, "wait", 4);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.v[0], "wait");
    assert_false(k.too_many);
    query_keys_add(&k, "staff", 5);
    query_keys_add(&k, "price", 5);
    assert_int_equal(k.n, 2);
    assert_true(k.too_many);
    assert_false(has(&k, "price"));
    query_keys_dispose(&k);
    assert_int_equal(k.n, 0);
}

static void test_keys_of_one_answer_kind_from_the_store(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct store *s = NULL;
    int ins;
    assert_int_equal(store_open(&s, ":memory:", &err), 0);
    struct journey j = {0, "live", "Bo", LIFECYCLE_USE};
    assert_int_equal(store_put_journey(s, &j, &err), 0);
    struct stage st = {0, j.id, "call", "Samtal", 0};
    assert_int_equal(store_put_stage(s, &st, &err), 0);
    struct touchpoint tp = {0,    st.id, "tel", "Telefon", "phone",
                            NULL, 0,     0,     NULL,      0};
    assert_int_equal(store_put_touchpoint(s, &tp, &err), 0);
    struct channel ch = {0, "phone"};
    assert_int_equal(store_put_channel(s, &ch, &err), 0);
    /* two responses with gap answers (one key twice) and a rating */
    struct answer a1[2] = {{"wait", ANSWER_GAP, 6, 4, 7, NULL, NULL, NULL},
                           {"speed", ANSWER_RATING, 3, 5, 0, NULL, NULL, NULL}};
    struct answer a2[2] = {{"wait", ANSWER_GAP, 5, 5, 7, NULL, NULL, NULL},
                           {"staff", ANSWER_GAP, 4, 6, 7, NULL, NULL, NULL}};
    struct answer *sets[2] = {a1, a2};
    const char *ext[2] = {"r1", "r2"};
    for (int i = 0; i < 2; i++) {
        struct response r;
        memset(&r, 0, sizeof r);
        r.ext_id = ext[i];
        r.touchpoint_id = tp.id;
        r.channel_id = ch.id;
        r.ts = 1700000000 + i;
        r.nps = 7;
        r.csat = r.ces = -1;
        r.answers = sets[i];
        r.n_answers = 2;
        assert_int_equal(store_put_response(s, &r, &ins, &err), 0);
    }
    struct query_keys k = {NULL, 0, 0, 0, 0};
    assert_int_equal(query_answer_keys(&k, s, ANSWER_GAP, &err), 0);
    assert_int_equal(k.n, 2);
    assert_true(has(&k, "wait") && has(&k, "staff"));
    assert_false(has(&k, "speed")); /* a rating, not a gap pair */
    query_keys_dispose(&k);
    assert_int_equal(query_answer_keys(&k, s, ANSWER_RATING, &err), 0);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.v[0], "speed");
    query_keys_dispose(&k);
    store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_add_dedupes_and_caps),
        cmocka_unit_test(test_keys_of_one_answer_kind_from_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
