/* Tests for src/ingest/idset.c: the set of ids seen in one input buffer. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/idset.h"

static void test_idset_second_sighting_gives_the_first_line(void **state)
{
    (void)state;
    static const char buf[] = "u1,u2,u1";
    struct idset *s = idset_new(buf, sizeof buf - 1);
    uint32_t first = 0;
    assert_int_equal(idset_add(s, buf, 2, 2, 0, &first, NULL), 1);
    assert_int_equal(idset_add(s, buf + 3, 2, 3, 0, &first, NULL), 1);
    assert_int_equal(idset_add(s, buf + 6, 2, 4, 0, &first, NULL), 0);
    assert_int_equal(first, 2);
    assert_int_equal(idset_add(s, buf + 3, 2, 9, 0, NULL, NULL), 0);
    assert_int_equal(idset_count(s), 2);
    idset_free(s);
    idset_free(NULL);
}

static void test_idset_keys_are_bytes_with_length(void **state)
{
    (void)state;
    static const char buf[] = "abcab\0c";
    struct idset *s = idset_new(buf, sizeof buf - 1);
    uint32_t first = 0;
    assert_int_equal(idset_add(s, buf, 2, 1, 0, NULL, NULL), 1);     /* ab */
    assert_int_equal(idset_add(s, buf, 3, 2, 0, NULL, NULL), 1);     /* abc */
    assert_int_equal(idset_add(s, buf + 3, 4, 3, 0, NULL, NULL), 1); /* ab\0c */
    assert_int_equal(idset_add(s, buf + 3, 3, 4, 0, NULL, NULL), 1); /* ab\0 */
    assert_int_equal(idset_add(s, buf, 0, 5, 0, NULL, NULL), 1);     /* "" */
    assert_int_equal(idset_add(s, buf + 3, 2, 6, 0, &first, NULL), 0);
    assert_int_equal(first, 1);
    assert_int_equal(idset_add(s, "", 0, 7, 0, &first, NULL), 0);
    assert_int_equal(first, 5);
    assert_int_equal(idset_count(s), 5);
    idset_free(s);
}

/* A key in the buffer and an equal one elsewhere (an unescaped CSV field,
 * a JSON string) are the same id, whichever came first. */
static void test_idset_copied_and_referenced_keys_compare_by_bytes(void **state)
{
    (void)state;
    static const char buf[] = "\"a\"\"b\",a\"b,x";
    struct idset *s = idset_new(buf, sizeof buf - 1);
    char unescaped[] = "a\"b";
    uint32_t first = 0;
    assert_int_equal(idset_add(s, unescaped, 3, 2, 0, NULL, NULL),
                     1); /* copied */
    unescaped[0] = 'z'; /* the set must not keep the caller's pointer */
    assert_int_equal(idset_add(s, buf + 7, 3, 3, 0, &first, NULL), 0);
    assert_int_equal(first, 2);
    assert_int_equal(idset_add(s, buf + 11, 1, 4, 0, NULL, NULL),
                     1); /* referenced */
    assert_int_equal(idset_add(s, "x", 1, 5, 0, &first, NULL), 0);
    assert_int_equal(first, 4);
    assert_int_equal(idset_add(s, "z\"b", 3, 6, 0, NULL, NULL), 1);
    idset_free(s);

    /* Without a buffer every key is copied. */
    s = idset_new(NULL, 0);
    assert_int_equal(idset_add(s, "k", 1, 1, 0, NULL, NULL), 1);
    assert_int_equal(idset_add(s, "k", 1, 2, 0, &first, NULL), 0);
    assert_int_equal(first, 1);
    idset_free(s);
}

/* n ids r0000000.. laid out in one buffer, 9 bytes apart. */
static char *make_ids(size_t n)
{
    char *buf = malloc(n * 9 + 1);
    for (size_t i = 0; i < n; i++)
        snprintf(buf + i * 9, 10, "r%07zu", i);
    return buf;
}

static void check_many(struct idset *s, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(
            idset_add(s, buf + i * 9, 8, (uint32_t)i + 2, 0, NULL, NULL), 1);
    assert_int_equal(idset_count(s), n);
    /* Every id again, from a copy: each is found with its own line. */
    for (size_t i = 0; i < n; i += 7) {
        char k[9];
        uint32_t first = 0;
        memcpy(k, buf + i * 9, 8);
        assert_int_equal(idset_add(s, k, 8, 1, 0, &first, NULL), 0);
        assert_int_equal(first, i + 2);
    }
    /* Near misses are new: another first byte, or a prefix (steps of 13
     * never meet the same 7-byte prefix twice). */
    for (size_t i = 0; i < n; i += 13) {
        char k[9];
        memcpy(k, buf + i * 9, 8);
        k[0] = 's';
        assert_int_equal(idset_add(s, k, 8, 1, 0, NULL, NULL), 1);
        assert_int_equal(idset_add(s, buf + i * 9, 7, 1, 0, NULL, NULL), 1);
    }
}

static void test_idset_many_distinct_ids_without_false_positives(void **state)
{
    (void)state;
    size_t n = 200000;
    char *buf = make_ids(n);
    struct idset *grown = idset_new(buf, n * 9);
    check_many(grown, buf, n); /* grows many times on the way */
    idset_free(grown);

    struct idset *sized = idset_new(buf, n * 9);
    idset_reserve(sized, n);
    check_many(sized, buf, n);
    idset_free(sized);
    free(buf);
}

static void test_idset_reserve_keeps_what_is_there(void **state)
{
    (void)state;
    static const char buf[] = "abc";
    struct idset *s = idset_new(buf, 3);
    uint32_t first = 0;
    assert_int_equal(idset_add(s, buf, 1, 10, 0, NULL, NULL), 1);
    assert_int_equal(idset_add(s, "zz", 2, 11, 0, NULL, NULL), 1);
    idset_reserve(s, 100000);
    idset_reserve(s, 10); /* never shrinks */
    assert_int_equal(idset_add(s, "a", 1, 12, 0, &first, NULL), 0);
    assert_int_equal(first, 10);
    assert_int_equal(idset_add(s, "zz", 2, 13, 0, &first, NULL), 0);
    assert_int_equal(first, 11);
    assert_int_equal(idset_add(s, buf, 2, IDSET_MAX_LINE, 0, NULL, NULL), 1);
    assert_int_equal(idset_add(s, "ab", 2, 1, 0, &first, NULL), 0);
    assert_int_equal(first, IDSET_MAX_LINE);
    idset_free(s);
}

static void test_idset_keeps_each_ids_first_fingerprint(void **state)
{
    (void)state;
    struct idset *s = idset_new(NULL, 0);
    uint32_t first = 0;
    uint64_t fp = 0;
    char k[16];
    /* enough ids to rehash several times: fingerprints move with them */
    for (uint32_t i = 0; i < 5000; i++) {
        int n = snprintf(k, sizeof k, "id%u", i);
        assert_int_equal(idset_add(s, k, (size_t)n, i + 2,
                                   0x9e3779b97f4a7c15ULL * (i + 1), NULL, NULL),
                         1);
    }
    for (uint32_t i = 0; i < 5000; i += 7) {
        int n = snprintf(k, sizeof k, "id%u", i);
        assert_int_equal(idset_add(s, k, (size_t)n, 99999, 1, &first, &fp), 0);
        assert_int_equal(first, i + 2);
        assert_true(fp == 0x9e3779b97f4a7c15ULL * (i + 1));
    }
    idset_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idset_second_sighting_gives_the_first_line),
        cmocka_unit_test(test_idset_keys_are_bytes_with_length),
        cmocka_unit_test(
            test_idset_copied_and_referenced_keys_compare_by_bytes),
        cmocka_unit_test(test_idset_many_distinct_ids_without_false_positives),
        cmocka_unit_test(test_idset_reserve_keeps_what_is_there),
        cmocka_unit_test(test_idset_keeps_each_ids_first_fingerprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
