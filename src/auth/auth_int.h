#pragma once
/* Private to src/auth: what its files share. */

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

struct err;
struct store;
struct user;

/* sodium_init(), once it has worked a no-op. 0 or ERR_INTERNAL. */
int auth_sodium(struct err *err);
/* 32 random bytes as base64url without padding: AUTH_TOKEN_LEN chars and
 * a NUL. */
void auth_random_token(char out[AUTH_TOKEN_LEN + 1]);
/* 1 when s[0..n) is exactly `len` base64url characters. */
int auth_token_shaped(const char *s, size_t len);
/* now + ttl (UTC seconds), ttl clamped to about 35,000 years either
 * way, so no sum overflows. */
int64_t auth_expiry(int64_t ttl);
/* BLAKE2b-256 of a token's text: what the store keeps. */
void auth_token_hash(unsigned char out[32], const char *token);

/* A user looked up for authentication: its principal (filled with the
 * role's scopes), whether it is disabled, and a copy of its password
 * hash (has_hash 0 when none). */
struct auth_user {
    struct principal p;
    int disabled;
    int has_hash;
    char pw_hash[128];
};
/* Looks the user up by name (name non-NULL) or id into *out, which the
 * caller disposes with auth_user_dispose. ERR_NOTFOUND when none. */
int auth_user_get(struct store *s, const char *name, int64_t id,
                  struct auth_user *out, struct err *err);
void auth_user_dispose(struct auth_user *u);

/* Writes an audit entry whose detail is {"KEY": VALUE, ...} from the
 * NULL-terminated list of key, value pairs (values are strings). */
int auth_audit(struct store *s, const char *actor, const char *action,
               const char *subject, struct err *err, ...);
