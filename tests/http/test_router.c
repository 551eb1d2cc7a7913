/* http/router.h: literal and {param} segments, first match wins, 405 when
 * the path exists under other methods, HEAD answered as GET. */
#include "harness.h"

#include <string.h>

#include "http/router.h"

static const struct route routes[] = {
    {"GET", "/api/surveys", "list"},
    {"POST", "/api/surveys", "create"},
    {"GET", "/api/surveys/{survey}", "get"},
    {"GET", "/api/surveys/{survey}/qr.svg", "qr"},
    {"DELETE", "/api/customers/{id}", "erase"},
    {"GET", "/a/{x}/b/{y}", "two"},
};
#define N (sizeof routes / sizeof routes[0])

static const char *hit(const char *method, const char *path,
                       struct route_match *m)
{
    return route_match(routes, N, method, path, m) == ROUTE_FOUND
               ? m->route->data
               : NULL;
}

static void test_literal_and_method(void **state)
{
    struct route_match m;
    (void)state;
    assert_string_equal(hit("GET", "/api/surveys", &m), "list");
    assert_string_equal(hit("POST", "/api/surveys", &m), "create");
    assert_int_equal(m.n, 0);
    assert_int_equal(route_match(routes, N, "PUT", "/api/surveys", &m),
                     ROUTE_NO_METHOD);
    assert_int_equal(route_match(routes, N, "GET", "/api/survey", &m),
                     ROUTE_NO_PATH);
    assert_int_equal(route_match(routes, N, "GET", "/api/surveys/", &m),
                     ROUTE_NO_PATH); /* an empty {survey} is no match */
    assert_string_equal(hit("HEAD", "/api/surveys", &m), "list");
}

static void test_params(void **state)
{
    struct route_match m;
    char buf[16];
    (void)state;
    assert_string_equal(hit("GET", "/api/surveys/repair", &m), "get");
    assert_int_equal(route_param(&m, "survey", buf, sizeof buf), 0);
    assert_string_equal(buf, "repair");
    assert_int_equal(route_param(&m, "other", buf, sizeof buf), -1);
    assert_string_equal(hit("GET", "/api/surveys/repair/qr.svg", &m), "qr");
    assert_int_equal(route_match(routes, N, "GET", "/api/surveys/a/b", &m),
                     ROUTE_NO_PATH); /* a parameter is one segment */
    assert_string_equal(hit("GET", "/a/1/b/two", &m), "two");
    assert_int_equal(route_param(&m, "x", buf, sizeof buf), 0);
    assert_string_equal(buf, "1");
    assert_int_equal(route_param(&m, "y", buf, sizeof buf), 0);
    assert_string_equal(buf, "two");
    /* too long for the buffer: refused, not cut */
    assert_string_equal(hit("DELETE", "/api/customers/0123456789abcdefXYZ", &m),
                        "erase");
    assert_int_equal(route_param(&m, "id", buf, sizeof buf), -1);
}

static void test_allowed(void **state)
{
    char buf[64];
    (void)state;
    route_allowed(routes, N, "/api/surveys", buf, sizeof buf);
    assert_string_equal(buf, "GET, POST");
    route_allowed(routes, N, "/nowhere", buf, sizeof buf);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_method),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_allowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
