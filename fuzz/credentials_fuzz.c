/* Fuzz target: what a client sends as credentials. The input is tried
 * as an API token (Authorization: Bearer), a session cookie, a CSRF
 * token and a signature of a survey link, against an empty in-memory
 * store: each is refused, never accepted, and never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/err.h"
#include "loop/webhook.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char key[32] = {1, 2, 3};
    struct store *st;
    struct err err = ERR_INIT;
    struct principal p = PRINCIPAL_INIT;
    char *s = malloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    if (store_open(&st, ":memory:", &err) < 0)
        abort();
    if (auth_bearer(st, s, &p, &err) == 0)
        abort(); /* no token exists */
    auth_principal_dispose(&p);
    err_clear(&err);
    if (auth_session(st, s, &p, &err) == 0)
        abort();
    auth_principal_dispose(&p);
    if (auth_csrf_ok(key, "session", s) && strlen(s) != 64)
        abort();
    if (auth_sign_ok(key, "resonans-ref\nrepair\nreparation\n\nK1", s) &&
        strlen(s) != AUTH_SIG_LEN)
        abort();
    /* a webhook signature header that is not one of ours */
    if (webhook_verify("secret", s, "{}", 2, 1764000000, 300) &&
        strncmp(s, "t=", 2) != 0)
        abort();
    store_free(st);
    free(s);
    return 0;
}
