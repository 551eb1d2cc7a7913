/* server/stats.h: the Prometheus text: counters by route and class, a
 * cumulative histogram whose +Inf bucket is its count. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "server/stats.h"

/* The value of a series: at the start of a line, not in a HELP text. */
static long long value(const char *text, const char *series)
{
    char pat[200];
    snprintf(pat, sizeof pat, "\n%s ", series);
    const char *p = strstr(text, pat);
    long long v = -1;
    if (p)
        sscanf(p + strlen(pat), "%lld", &v);
    return v;
}

static void test_render(void **state)
{
    (void)state;
    struct stats *st = stats_new();
    struct strbuf o = STRBUF_INIT;
    stats_request(st, STATS_PUBLIC, 201, 0.3);
    stats_request(st, STATS_PUBLIC, 200, 7.0);
    stats_request(st, STATS_PUBLIC, 429, 0.1);
    stats_request(st, STATS_API, 500, 3000);
    stats_submission(st, 0);
    stats_submission(st, 0);
    stats_submission(st, 1);
    stats_commit(st, 2, 4.0);
    struct stats_gauges g = {123, 4, 2, 9.5};
    stats_render(st, &g, &o);
    assert_int_equal(
        value(o.p, "resonans_http_requests_total{route=\"public\",code=\"2xx\"}"),
        2);
    assert_int_equal(
        value(o.p, "resonans_http_requests_total{route=\"public\",code=\"4xx\"}"),
        1);
    assert_int_equal(
        value(o.p, "resonans_http_requests_total{route=\"api\",code=\"5xx\"}"),
        1);
    /* cumulative: 0.3 and 0.1 ms are under 0.5 ms, 7 ms under 10 ms */
    assert_int_equal(
        value(o.p, "resonans_http_request_duration_seconds_bucket{route="
                   "\"public\",le=\"0.0005\"}"),
        2);
    assert_int_equal(
        value(o.p, "resonans_http_request_duration_seconds_bucket{route="
                   "\"public\",le=\"0.01\"}"),
        3);
    assert_int_equal(
        value(o.p, "resonans_http_request_duration_seconds_bucket{route="
                   "\"api\",le=\"1\"}"),
        0);
    assert_int_equal(
        value(o.p, "resonans_http_request_duration_seconds_bucket{route="
                   "\"api\",le=\"+Inf\"}"),
        1);
    assert_int_equal(
        value(o.p, "resonans_submissions_total{outcome=\"stored\"}"), 2);
    assert_int_equal(
        value(o.p, "resonans_submissions_total{outcome=\"duplicate\"}"), 1);
    assert_int_equal(value(o.p, "resonans_commits_total"), 1);
    assert_int_equal(value(o.p, "resonans_responses"), 123);
    assert_int_equal(value(o.p, "resonans_queue"), 4);
    strbuf_dispose(&o);
    stats_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_render)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
