#include "loop/webhook.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

int webhook_global_init(void)
{
    if (sodium_init() < 0)
        return -1;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* HMAC-SHA256 of "ts." + body, as hex. */
static void mac_hex(const char *secret, int64_t ts, const char *body, size_t n,
                    char hex[65])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char prefix[32];
    int k = snprintf(prefix, sizeof prefix, "%lld.", (long long)ts);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
                                strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix,
                                  (unsigned long long)k);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
                                  (unsigned long long)n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
}

void webhook_signature(const char *secret, int64_t ts, const char *body,
                       size_t n, char *out, size_t cap)
{
    char hex[65];
    mac_hex(secret, ts, body, n, hex);
    snprintf(out, cap, "t=%lld,v1=%s", (long long)ts, hex);
}

int webhook_verify(const char *secret, const char *header, const char *body,
                   size_t n, int64_t now, int64_t tolerance)
{
    long long ts;
    char given[65], want[65];
    if (!header || sscanf(header, "t=%lld,v1=%64[0-9a-f]", &ts, given) != 2 ||
        strlen(given) != 64)
        return 0;
    if (ts > now + tolerance || ts < now - tolerance)
        return 0;
    mac_hex(secret, ts, body, n, want);
    return sodium_memcmp(given, want, 64) == 0;
}

/* The longest wait between tries: 6 hours. */
#define BACKOFF_MAX ((int64_t)6 * 3600)

int64_t webhook_backoff(int k)
{
    int64_t s = 30;
    for (int i = 2; i < k && s < BACKOFF_MAX; i++)
        s *= 2;
    return s < BACKOFF_MAX ? s : BACKOFF_MAX;
}

/* The receiver's answer is not kept: only its status matters. */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

int webhook_post(const char *url, const char *secret, int64_t ts,
                 const char *body, size_t n, const char *ctype, long timeout_ms,
                 struct webhook_result *res)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char line[256];
    memset(res, 0, sizeof *res);
    if (!c) {
        snprintf(res->error, sizeof res->error, "curl_easy_init failed");
        return -1;
    }
    snprintf(line, sizeof line, "Content-Type: %s",
             ctype ? ctype : "application/json");
    h = curl_slist_append(h, line);
    if (secret) {
        char sig[128];
        webhook_signature(secret, ts, body, n, sig, sizeof sig);
        snprintf(line, sizeof line, "%s: %s", WEBHOOK_SIGNATURE_HEADER, sig);
        h = curl_slist_append(h, line);
    }
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Resonans-Webhook/1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
        res->ok = res->status >= 200 && res->status < 300;
        if (!res->ok)
            snprintf(res->error, sizeof res->error, "%s answered %ld", url,
                     res->status);
    } else {
        snprintf(res->error, sizeof res->error, "%s: %s", url,
                 curl_easy_strerror(rc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return res->ok ? 0 : -1;
}

char *webhook_chat_payload(const char *title, const char *text, const char *url)
{
    struct strbuf b = STRBUF_INIT, t = STRBUF_INIT;
    strbuf_printf(&t, "*%s*\n%s", title, text);
    if (url)
        strbuf_printf(&t, "\n%s", url);
    strbuf_puts(&b, "{\"text\":");
    strbuf_json_string(&b, t.p, t.n);
    strbuf_puts(&b, "}");
    strbuf_dispose(&t);
    size_t n;
    return strbuf_detach(&b, &n);
}
