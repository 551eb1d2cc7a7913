#pragma once
/* Outgoing webhooks of the closed loop (issue 11): a POST with libcurl,
 * signed so the receiver can tell it came from us and was not replayed,
 * the back-off between tries, and the incoming-webhook payload Slack and
 * Teams take. The durable outbox that retries across restarts builds on
 * this. docs/closed-loop.md.
 *
 * The signature is Stripe's scheme with HMAC-SHA256: the header
 * X-Resonans-Signature: t=UNIX_SECONDS,v1=HEX where HEX is the HMAC of
 * "UNIX_SECONDS." followed by the body, keyed with the hook's secret. */

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_SIGNATURE_HEADER "X-Resonans-Signature"

/* Once per process, before any thread posts (curl_global_init). 0 or -1. */
int webhook_global_init(void);

/* The header value for body[0..n) sent at ts: "t=...,v1=<64 hex>". */
void webhook_signature(const char *secret, int64_t ts, const char *body,
                       size_t n, char *out, size_t cap);
/* 1 if header signs body[0..n) with secret, made within tolerance
 * seconds of now (a replay of an old call fails); constant time in the
 * signature. */
int webhook_verify(const char *secret, const char *header, const char *body,
                   size_t n, int64_t now, int64_t tolerance);

/* Seconds to wait before try k (k = 2 is the first retry): 30 s, then
 * doubling, at most 6 hours. */
int64_t webhook_backoff(int k);

struct webhook_result {
    long status; /* HTTP status, 0 when none came */
    int ok;      /* 2xx */
    char error[256];
};
/* POSTs body (content type ctype) to url once, signed with secret at ts
 * (no signature when secret is NULL), waiting at most timeout_ms.
 * Returns 0 when it was delivered (2xx), else -1 with res saying why. */
int webhook_post(const char *url, const char *secret, int64_t ts,
                 const char *body, size_t n, const char *ctype, long timeout_ms,
                 struct webhook_result *res);

/* {"text": "*title*\ntext\nurl"} for a Slack or Teams incoming webhook,
 * strings escaped; url may be NULL. Caller frees. */
char *webhook_chat_payload(const char *title, const char *text,
                           const char *url);
