/* loop/webhook.h: a signed POST reaches a receiver on loopback (the
 * project's own http/httpd.h) that refuses the first two tries, the
 * third is delivered and its signature checks; a changed body, another
 * secret or an old timestamp does not; the back-off doubles to a cap;
 * the chat payload is JSON with the text escaped. */
#include "harness.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "http/httpd.h"
#include "loop/webhook.h"

#define SECRET "hemlig-nyckel-för-test"

struct receiver {
    atomic_int calls;
    atomic_int signed_ok; /* calls whose signature verified */
    char last_body[512];
};

static enum http_verdict receive(void *ctx, struct http_req *req,
                                 struct http_resp *resp)
{
    struct receiver *rc = ctx;
    size_t n;
    const char *body = http_body(req, &n);
    int k = atomic_fetch_add(&rc->calls, 1) + 1;
    if (webhook_verify(SECRET, http_header(req, WEBHOOK_SIGNATURE_HEADER), body,
                       n, (int64_t)time(NULL), 300))
        atomic_fetch_add(&rc->signed_ok, 1);
    snprintf(rc->last_body, sizeof rc->last_body, "%.*s", (int)n, body);
    /* down for the first two tries */
    http_resp_set(resp, k <= 2 ? 503 : 200, "text/plain", "x", 1);
    return HTTP_DONE;
}

static void test_delivery(void **state)
{
    struct receiver rc;
    struct httpd *h;
    struct err err = ERR_INIT;
    struct httpd_opts o = {"127.0.0.1", 0, 1, 1 << 20, 10, 64, 0};
    char url[128];
    (void)state;
    memset(&rc, 0, sizeof rc);
    assert_int_equal(webhook_global_init(), 0);
    assert_int_equal(httpd_start(&h, &o, receive, NULL, &rc, &err), 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", httpd_port(h));
    const char *body = "{\"case\":17,\"priority\":\"high\"}";
    struct webhook_result res;
    int delivered_at = 0;
    for (int k = 1; k <= 5 && !delivered_at; k++)
        if (webhook_post(url, SECRET, (int64_t)time(NULL), body, strlen(body),
                         NULL, 5000, &res) == 0)
            delivered_at = k;
        else
            assert_int_equal(res.status, 503);
    assert_int_equal(delivered_at, 3);
    assert_int_equal(res.status, 200);
    assert_int_equal(atomic_load(&rc.calls), 3);
    assert_int_equal(atomic_load(&rc.signed_ok), 3);
    assert_string_equal(rc.last_body, body);
    httpd_stop(h);
    /* nobody listening now: an error, not a crash or a hang */
    assert_int_equal(
        webhook_post(url, SECRET, 1, body, strlen(body), NULL, 2000, &res), -1);
    assert_int_equal(res.status, 0);
    assert_true(res.error[0] != 0);
}

static void test_signature(void **state)
{
    char sig[128];
    const char *body = "{\"a\":1}";
    (void)state;
    assert_int_equal(webhook_global_init(), 0);
    webhook_signature(SECRET, 1764000000, body, strlen(body), sig, sizeof sig);
    assert_int_equal(strncmp(sig, "t=1764000000,v1=", 16), 0);
    assert_int_equal(strlen(sig), 16 + 64);
    assert_true(
        webhook_verify(SECRET, sig, body, strlen(body), 1764000100, 300));
    assert_false(webhook_verify(SECRET, sig, "{\"a\":2}", 7, 1764000100, 300));
    assert_false(
        webhook_verify("other", sig, body, strlen(body), 1764000100, 300));
    /* a replay an hour later */
    assert_false(
        webhook_verify(SECRET, sig, body, strlen(body), 1764003600, 300));
    /* the timestamp is signed: moving it breaks the signature */
    char moved[128];
    snprintf(moved, sizeof moved, "t=1764000100,%s", sig + 13);
    assert_false(
        webhook_verify(SECRET, moved, body, strlen(body), 1764000100, 300));
    assert_false(
        webhook_verify(SECRET, "garbage", body, strlen(body), 1764000100, 300));
    assert_false(webhook_verify(SECRET, NULL, body, strlen(body), 0, 300));
}

static void test_backoff_and_payload(void **state)
{
    (void)state;
    assert_int_equal(webhook_backoff(2), 30);
    assert_int_equal(webhook_backoff(3), 60);
    assert_int_equal(webhook_backoff(4), 120);
    assert_int_equal(webhook_backoff(12), 6 * 3600);
    assert_int_equal(webhook_backoff(1000), 6 * 3600);
    char *p = webhook_chat_payload("Ärende 17: \"hög\"",
                                   "Kunden skrev:\nIngen kom.", NULL);
    json_t *v = json_loads(p, 0, NULL);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "text")),
                        "*Ärende 17: \"hög\"*\nKunden skrev:\nIngen kom.");
    json_decref(v);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delivery),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_backoff_and_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
