/* server/page_cache.h: a hit only for the same key, generation and age;
 * the least recently used leaves first; bytes bounded. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "server/page_cache.h"

/* The body under key at gen and now, or NULL (caller frees). */
static char *get(struct page_cache *pc, const char *key, int64_t gen,
                 int64_t now, char **title)
{
    struct strbuf b = STRBUF_INIT;
    char *t = NULL, *cur = NULL;
    int hit = page_cache_get(pc, key, gen, now, &b, &t, &cur);
    free(cur);
    if (title)
        *title = t;
    else
        free(t);
    if (!hit) {
        strbuf_dispose(&b);
        return NULL;
    }
    return strbuf_detach(&b, NULL);
}

static void test_hit_needs_key_generation_and_age(void **state)
{
    (void)state;
    struct page_cache *pc = page_cache_new(8, 1 << 20, 120);
    page_cache_put(pc, "/app/personas?|sv", 7, 1000, "Personas",
                   "/app/personas", "<h1>P</h1>", 10);
    char *title = NULL, *s = get(pc, "/app/personas?|sv", 7, 1100, &title);
    assert_string_equal(s, "<h1>P</h1>");
    assert_string_equal(title, "Personas");
    free(s);
    free(title);
    /* another key: another language, another owner */
    assert_null(get(pc, "/app/personas?|en", 7, 1100, NULL));
    /* the data moved on: never answered again, and let go */
    assert_null(get(pc, "/app/personas?|sv", 8, 1100, NULL));
    size_t n, bytes;
    page_cache_usage(pc, &n, &bytes);
    assert_int_equal(n, 0);
    assert_int_equal(bytes, 0);
    /* older than the maximum age (and a clock that went back) */
    page_cache_put(pc, "k", 1, 1000, "t", NULL, "body", 4);
    s = get(pc, "k", 1, 1120, NULL);
    assert_non_null(s);
    free(s);
    assert_null(get(pc, "k", 1, 1121, NULL));
    page_cache_put(pc, "k", 1, 1000, "t", NULL, "body", 4);
    assert_null(get(pc, "k", 1, 999, NULL));
    page_cache_free(pc);
}

static void test_least_recently_used_leaves_first(void **state)
{
    (void)state;
    struct page_cache *pc = page_cache_new(2, 1 << 20, 120);
    page_cache_put(pc, "a", 1, 0, "A", NULL, "aaa", 3);
    page_cache_put(pc, "b", 1, 0, "B", NULL, "bbb", 3);
    free(get(pc, "a", 1, 1, NULL)); /* a used after b */
    page_cache_put(pc, "c", 1, 2, "C", NULL, "ccc", 3);
    char *a = get(pc, "a", 1, 3, NULL), *b = get(pc, "b", 1, 3, NULL),
         *c = get(pc, "c", 1, 3, NULL);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    free(a);
    free(c);
    /* a key put again replaces its body */
    page_cache_put(pc, "a", 2, 4, "A2", NULL, "a2", 2);
    size_t n, bytes;
    page_cache_usage(pc, &n, &bytes);
    assert_int_equal(n, 2);
    assert_int_equal(bytes, 5);
    char *title = NULL;
    a = get(pc, "a", 2, 5, &title);
    assert_string_equal(a, "a2");
    assert_string_equal(title, "A2");
    free(a);
    free(title);
    page_cache_free(pc);
}

static void test_bytes_bounded(void **state)
{
    (void)state;
    char body[40];
    memset(body, 'x', sizeof body);
    struct page_cache *pc = page_cache_new(16, 100, 120);
    /* over a quarter of the bound: not kept */
    page_cache_put(pc, "big", 1, 0, "t", NULL, body, 26);
    assert_null(get(pc, "big", 1, 0, NULL));
    for (int i = 0; i < 5; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        page_cache_put(pc, key, 1, i, "t", NULL, body, 25);
    }
    size_t n, bytes;
    page_cache_usage(pc, &n, &bytes);
    assert_int_equal(n, 4);
    assert_int_equal(bytes, 100);
    assert_null(get(pc, "k0", 1, 9, NULL)); /* the oldest made room */
    char *s = get(pc, "k4", 1, 9, NULL);
    assert_non_null(s);
    assert_int_equal(strlen(s), 25);
    free(s);
    page_cache_free(pc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_needs_key_generation_and_age),
        cmocka_unit_test(test_least_recently_used_leaves_first),
        cmocka_unit_test(test_bytes_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
