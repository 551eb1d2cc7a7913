/* The default features of the personas view (report/personas_auto.h):
 * which customer attributes are used and why the others are not, the
 * cap on their number, the fallback without any, and that the list
 * written is one personas_spec_new takes. */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "analysis/personas.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "report/personas_auto.h"

/* A numeric attribute every customer has, with sd 1. */
static struct personas_candidate num(const char *name)
{
    struct personas_candidate c = {name, 0, 0, 100, 100, 1.0};
    return c;
}

/* A categorical attribute every customer has, with `levels` levels. */
static struct personas_candidate cat(const char *name, size_t levels)
{
    struct personas_candidate c = {name, 1, levels, 100, 100, NAN};
    return c;
}

static void test_personas_auto_judges_each_attribute(void **state)
{
    (void)state;
    struct personas_candidate c[] = {
        cat("age_band", 6),   num("rent"),
        cat("ext_ref", 100),  /* a level per customer: an id */
        cat("district", 25),  /* over the 24 levels */
        cat("status", 1),     /* one level */
        num("const"),         /* sd 0 */
        num("area_sqm"),      /* half have it: kept */
        num("tenancy_end"),   /* 49 of 100: sparse */
        num("a/b"),           /* a ratio's slash */
        cat("household", 24), /* at the limit: kept */
        num("rooms, total"),  /* a comma */
    };
    c[5].sd = 0;
    c[6].with_value = 50;
    c[7].with_value = 49;
    enum personas_auto_verdict v[11];
    struct strbuf b = STRBUF_INIT;
    size_t n = personas_auto_features(&b, c, 11, v);
    assert_int_equal(n, 4);
    assert_string_equal(strbuf_str(&b), "customer.age_band,customer.rent,"
                                        "customer.area_sqm,customer.household,"
                                        "nps");
    assert_int_equal(v[0], PERSONAS_AUTO_USED);
    assert_int_equal(v[1], PERSONAS_AUTO_USED);
    assert_int_equal(v[2], PERSONAS_AUTO_TOO_MANY);
    assert_int_equal(v[3], PERSONAS_AUTO_TOO_MANY);
    assert_int_equal(v[4], PERSONAS_AUTO_CONSTANT);
    assert_int_equal(v[5], PERSONAS_AUTO_CONSTANT);
    assert_int_equal(v[6], PERSONAS_AUTO_USED);
    assert_int_equal(v[7], PERSONAS_AUTO_SPARSE);
    assert_int_equal(v[8], PERSONAS_AUTO_BAD_NAME);
    assert_int_equal(v[9], PERSONAS_AUTO_USED);
    assert_int_equal(v[10], PERSONAS_AUTO_BAD_NAME);
    strbuf_dispose(&b);
}

static void test_personas_auto_levels_against_values(void **state)
{
    (void)state;
    /* 10 levels among 15 customers with a value: more levels than half
     * the values, so it names customers rather than groups them */
    struct personas_candidate c[] = {cat("flat", 10), cat("floor", 7)};
    c[0].with_value = c[0].customers = 15;
    c[1].with_value = c[1].customers = 15;
    enum personas_auto_verdict v[2];
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(personas_auto_features(&b, c, 2, v), 1);
    assert_int_equal(v[0], PERSONAS_AUTO_TOO_MANY);
    assert_int_equal(v[1], PERSONAS_AUTO_USED);
    assert_string_equal(strbuf_str(&b), "customer.floor,nps");
    strbuf_dispose(&b);
}

static void test_personas_auto_caps_the_attributes(void **state)
{
    (void)state;
    static const char *names[] = {"a", "b", "c", "d", "e",
                                  "f", "g", "h", "i", "j"};
    struct personas_candidate c[10];
    enum personas_auto_verdict v[10];
    for (size_t i = 0; i < 10; i++)
        c[i] = num(names[i]);
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(personas_auto_features(&b, c, 10, v),
                     PERSONAS_AUTO_MAX_ATTRS);
    assert_int_equal(v[7], PERSONAS_AUTO_USED);
    assert_int_equal(v[8], PERSONAS_AUTO_FULL);
    assert_int_equal(v[9], PERSONAS_AUTO_FULL);
    assert_string_equal(strbuf_str(&b), "customer.a,customer.b,customer.c,"
                                        "customer.d,customer.e,customer.f,"
                                        "customer.g,customer.h,nps");
    strbuf_dispose(&b);
}

static void test_personas_auto_falls_back_without_attributes(void **state)
{
    (void)state;
    struct personas_candidate c[] = {cat("status", 1)};
    c[0].with_value = 0;
    enum personas_auto_verdict v[1];
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(personas_auto_features(&b, c, 1, v), 0);
    assert_int_equal(v[0], PERSONAS_AUTO_SPARSE);
    assert_string_equal(strbuf_str(&b), PERSONAS_AUTO_FALLBACK);
    strbuf_reset(&b);
    assert_int_equal(personas_auto_features(&b, NULL, 0, NULL), 0);
    assert_string_equal(strbuf_str(&b), "channels,responses,touchpoints,nps");
    strbuf_dispose(&b);
}

static void test_personas_auto_list_parses(void **state)
{
    (void)state;
    struct personas_candidate c[] = {cat("age_band", 6), num("area_sqm"),
                                     cat("språk", 3)};
    enum personas_auto_verdict v[3];
    struct strbuf b = STRBUF_INIT;
    struct personas_spec *s = NULL;
    struct err err = ERR_INIT;
    personas_auto_features(&b, c, 3, v);
    assert_int_equal(personas_spec_new(&s, strbuf_str(&b), &err), 0);
    assert_int_equal(s->n, 4);
    assert_int_equal(s->v[0].kind, PF_CUSTOMER);
    assert_string_equal(s->v[2].f.name, "språk");
    assert_int_equal(s->v[3].kind, PF_NPS);
    personas_spec_free(s);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_personas_auto_judges_each_attribute),
        cmocka_unit_test(test_personas_auto_levels_against_values),
        cmocka_unit_test(test_personas_auto_caps_the_attributes),
        cmocka_unit_test(test_personas_auto_falls_back_without_attributes),
        cmocka_unit_test(test_personas_auto_list_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
