#pragma once
/* Who may do what (docs/access.md): passwords, login sessions, API
 * tokens, CSRF tokens and signed references, on top of the store's
 * users, sessions, tokens, secrets and audit log (store.h "users and
 * access"). Nothing here prints or knows HTTP; the server maps ERR_PERM
 * to 401/403.
 *
 * Secrets never rest in the database as they are: a session or API
 * token is stored as its BLAKE2b-256 hash, a password as its Argon2id
 * hash. Comparisons of secrets take constant time. Every function calls
 * sodium_init() itself where it needs it. */

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct err;
struct store;

enum auth_scope { SCOPE_READ = 1, SCOPE_WRITE = 2, SCOPE_ADMIN = 4 };
/* "read,write" -> SCOPE_READ | SCOPE_WRITE (spaces around names are
 * allowed). ERR_INVALID, naming the bad word, for an unknown scope or an
 * empty list. */
int auth_scopes_parse(unsigned *out, const char *s, struct err *err);
/* The scopes as text, "read,write,admin" order ("" for none). */
void auth_scopes_name(unsigned scopes, char out[20]);

/* Who is asking: filled by auth_login / auth_session / auth_bearer (which
 * first empty it, and leave it empty on failure), disposed by
 * auth_principal_dispose. */
struct principal {
    int64_t user_id;
    char name[65];
    enum user_role role;
    unsigned scopes;    /* a session has all scopes its role allows; a token
                         * its own (capped by its role) */
    char **touchpoints; /* owners: the touchpoint keys they own */
    int n_touchpoints;
    int via_token; /* 1 = API token, 0 = session cookie */
    char lang[3];  /* the user's language, "sv" or "en"; "" = not chosen */
};
#define PRINCIPAL_INIT                                                         \
    {                                                                          \
        0, {0}, ROLE_OWNER, 0, NULL, 0, 0,                                     \
        {                                                                      \
            0                                                                  \
        }                                                                      \
    }
/* Frees the touchpoints and empties p. Accepts NULL and an empty one. */
void auth_principal_dispose(struct principal *p);
/* 1 if p may see responses of touchpoint `key` (admin and analyst: all;
 * owner: own ones). */
int auth_sees_touchpoint(const struct principal *p, const char *key);
/* What a role allows: admin everything (users, tokens, surveys, data,
 * erase): read, write, admin; analyst read everything, create surveys and
 * write responses/events: read, write; owner read only their touchpoints:
 * read. */
unsigned auth_role_scopes(enum user_role r);

/* Argon2id (crypto_pwhash_str, OPSLIMIT/MEMLIMIT_INTERACTIVE; the
 * environment variable RESONANS_PWHASH=fast selects the MIN limits, for
 * tests). Passwords 8..1024 bytes, else ERR_INVALID; ERR_INTERNAL when
 * the memory for the hash cannot be had. */
int auth_password_hash(char out[128], const char *password, struct err *err);
/* 1 when password matches hash, 0 when not (or hash is NULL). */
int auth_password_check(const char *hash, const char *password);

#define AUTH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */
/* Logs in: ERR_PERM "wrong name or password" (same message for an
 * unknown user or one without a password, after the same hash verify, so
 * timing does not tell), ERR_PERM for a disabled user (said only to whom
 * gave the right password). Creates a session of ttl seconds (expired at
 * once when ttl <= 0); token out (NUL-terminated), p filled. Audited:
 * "session.login", and "session.login_failed" for a known user's wrong
 * password. */
int auth_login(struct store *s, const char *name, const char *password,
               int64_t ttl, char token[AUTH_TOKEN_LEN + 1], struct principal *p,
               struct err *err);
/* A session cookie's token -> principal; ERR_PERM when unknown, expired,
 * malformed or its user disabled. */
int auth_session(struct store *s, const char *token, struct principal *p,
                 struct err *err);
/* Ends the session (audited "session.logout"); an unknown or malformed
 * token is not an error. */
int auth_logout(struct store *s, const char *token, struct err *err);

/* API tokens: "rsn_" + AUTH_TOKEN_LEN chars; shown once, stored as a
 * hash. */
#define AUTH_API_TOKEN_LEN (4 + AUTH_TOKEN_LEN)
/* Creates a token for user, labelled name (1..64 bytes), with scopes (not
 * 0, and only what the user's role allows: else ERR_PERM), valid for ttl
 * seconds (0 = never; negative: already expired). out (NUL-terminated)
 * is the only copy of the secret; *id (may be NULL) its id for revoking.
 * ERR_NOTFOUND for an unknown user, ERR_PERM for a disabled one.
 * Audited "token.create" with the user as actor. */
int auth_token_create(struct store *s, const char *user, const char *name,
                      unsigned scopes, int64_t ttl,
                      char out[AUTH_API_TOKEN_LEN + 1], int64_t *id,
                      struct err *err);
/* An Authorization: Bearer token -> principal whose scopes are the
 * token's capped by the user's role now. ERR_PERM when unknown,
 * malformed, revoked, expired or its user disabled. */
int auth_bearer(struct store *s, const char *token, struct principal *p,
                struct err *err);

/* CSRF: a token bound to the session (keyed BLAKE2b-256 of the session
 * token with key), hex, 64 chars. */
void auth_csrf_token(const unsigned char key[32], const char *session_token,
                     char out[65]);
/* 1 when given is the session's CSRF token (compared in constant time),
 * 0 otherwise (NULL included). */
int auth_csrf_ok(const unsigned char key[32], const char *session_token,
                 const char *given);

/* Signed references (a customer reference in a survey link that cannot
 * be forged): sig = base64url(crypto_auth HMAC-SHA512-256 over msg with
 * key) without padding, 43 chars. */
#define AUTH_SIG_LEN 43
void auth_sign(const unsigned char key[32], const char *msg,
               char out[AUTH_SIG_LEN + 1]);
/* 1 when sig is msg's signature under key (constant time), else 0. */
int auth_sign_ok(const unsigned char key[32], const char *msg, const char *sig);
/* The message a customer (or employee) reference in a survey link is
 * signed over: which survey, where (channel NULL = the touchpoint's) and
 * who, so that a signature fits one link only. Keyed with the store's
 * secret "sign". */
void auth_ref_message(char *buf, size_t cap, const char *survey, const char *tp,
                      const char *ch, const char *ref);
