/* CSRF tokens and signed references (auth.h): keyed hashes compared in
 * constant time, so a guess learns nothing from how long a check took. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth_int.h"

_Static_assert(crypto_auth_BYTES == 32 && crypto_auth_KEYBYTES == 32,
               "a signature is 43 base64url characters under a 32-byte key");

void auth_csrf_token(const unsigned char key[32], const char *session_token,
                     char out[65])
{
    unsigned char h[32];
    const char *t = session_token ? session_token : "";
    /* sodium_init failing leaves BLAKE2b usable: it is pure code */
    if (sodium_init() < 0)
        out[0] = '\0';
    crypto_generichash(h, sizeof h, (const unsigned char *)t, strlen(t), key,
                       32);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int auth_csrf_ok(const unsigned char key[32], const char *session_token,
                 const char *given)
{
    char want[65];
    if (!given || strnlen(given, 65) != 64)
        return 0;
    auth_csrf_token(key, session_token, want);
    return sodium_memcmp(want, given, 64) == 0;
}

void auth_sign(const unsigned char key[32], const char *msg,
               char out[AUTH_SIG_LEN + 1])
{
    unsigned char mac[crypto_auth_BYTES];
    const char *m = msg ? msg : "";
    if (sodium_init() < 0)
        out[0] = '\0';
    crypto_auth(mac, (const unsigned char *)m, strlen(m), key);
    sodium_bin2base64(out, AUTH_SIG_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Compares against the signature made afresh rather than decoding sig:
 * one spelling is valid, and no decoder sees forged input. */
int auth_sign_ok(const unsigned char key[32], const char *msg, const char *sig)
{
    char want[AUTH_SIG_LEN + 1];
    if (!sig || strnlen(sig, AUTH_SIG_LEN + 1) != AUTH_SIG_LEN)
        return 0;
    auth_sign(key, msg, want);
    return sodium_memcmp(want, sig, AUTH_SIG_LEN) == 0;
}

void auth_ref_message(char *buf, size_t cap, const char *survey, const char *tp,
                      const char *ch, const char *ref)
{
    snprintf(buf, cap, "resonans-ref\n%s\n%s\n%s\n%s", survey, tp, ch ? ch : "",
             ref);
}
