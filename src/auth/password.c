/* Password hashing (auth.h): libsodium's Argon2id string format, which
 * carries its own salt and limits, so hashes made with other limits
 * (RESONANS_PWHASH=fast in tests) still verify. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_int.h"
#include "core/err.h"

#define PW_MIN 8
#define PW_MAX 1024

/* 1 when the environment asks for the fast (MIN) limits. */
static int fast(void)
{
    const char *v = getenv("RESONANS_PWHASH");
    return v && !strcmp(v, "fast");
}

int auth_password_hash(char out[128], const char *password, struct err *err)
{
    int rc;
    out[0] = '\0';
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    size_t n = password ? strnlen(password, PW_MAX + 1) : 0;
    if (n < PW_MIN || n > PW_MAX)
        return err_set(err, ERR_INVALID,
                       "password must be %d..%d bytes, got %s", PW_MIN, PW_MAX,
                       n > PW_MAX ? "more"
                       : n == 0   ? "none"
                                  : "fewer");
    int f = fast();
    if (crypto_pwhash_str(out, password, n,
                          f ? crypto_pwhash_OPSLIMIT_MIN
                            : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          f ? crypto_pwhash_MEMLIMIT_MIN
                            : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        out[0] = '\0';
        return err_set(err, ERR_INTERNAL,
                       "password hash: not enough memory for Argon2id");
    }
    return 0;
}

int auth_password_check(const char *hash, const char *password)
{
    if (!hash || !password || sodium_init() < 0)
        return 0;
    size_t n = strnlen(password, PW_MAX + 1);
    if (n > PW_MAX)
        return 0;
    return crypto_pwhash_str_verify(hash, password, n) == 0;
}
