/* API tokens (auth.h): "rsn_" and 43 random base64url characters, for
 * programs calling the API. Only the hash is stored; the prefix lets a
 * secret scanner recognise a leaked token. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"
#include "core/err.h"
#include "store/store.h"

#define PREFIX "rsn_"

int auth_token_create(struct store *s, const char *user, const char *name,
                      unsigned scopes, int64_t ttl,
                      char out[AUTH_API_TOKEN_LEN + 1], int64_t *id,
                      struct err *err)
{
    struct auth_user u;
    unsigned char hash[32];
    char scope_text[20], subject[40], expires_s[24];
    int rc;
    out[0] = '\0';
    if (id)
        *id = 0;
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    size_t n = name ? strnlen(name, 65) : 0;
    if (n < 1 || n > 64)
        return err_set(err, ERR_INVALID, "token name must be 1..64 bytes");
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return err_set(err, ERR_INVALID,
                           "token name must not hold control characters");
    if (!scopes ||
        (scopes & ~(unsigned)(SCOPE_READ | SCOPE_WRITE | SCOPE_ADMIN)))
        return err_set(err, ERR_INVALID,
                       "a token needs scopes: read, write "
                       "or admin");
    if ((rc = auth_user_get(s, user ? user : "", 0, &u, err)) < 0)
        return rc;
    unsigned extra = scopes & ~auth_role_scopes(u.p.role);
    if (u.disabled) {
        rc = err_set(err, ERR_PERM, "user %s is disabled", u.p.name);
        goto done;
    }
    if (extra) {
        auth_scopes_name(extra, scope_text);
        rc = err_set(err, ERR_PERM, "scopes: %s %s may not have %s",
                     user_role_name(u.p.role), u.p.name, scope_text);
        goto done;
    }
    memcpy(out, PREFIX, sizeof PREFIX - 1);
    auth_random_token(out + sizeof PREFIX - 1);
    auth_token_hash(hash, out);
    auth_scopes_name(scopes, scope_text);
    struct api_token t = {0, u.p.user_id, name, scope_text, 0, 0, 0};
    if (ttl != 0) {
        t.expires = auth_expiry(ttl);
        if (t.expires == 0) /* 0 would read "never" */
            t.expires = -1;
    }
    snprintf(expires_s, sizeof expires_s, "%lld", (long long)t.expires);
    /* the token and its audit entry are one commit */
    if ((rc = store_begin(s, err)) < 0)
        goto done;
    if ((rc = store_put_token(s, hash, &t, err)) == 0) {
        snprintf(subject, sizeof subject, "token:%lld", (long long)t.id);
        rc = auth_audit(s, u.p.name, "token.create", subject, err, "name", name,
                        "scopes", scope_text, "expires", expires_s,
                        (const char *)NULL);
    }
    if (rc == 0)
        rc = store_commit(s, err);
    if (rc < 0) {
        store_rollback(s);
        goto done;
    }
    if (id)
        *id = t.id;
done:
    if (rc < 0)
        sodium_memzero(out, AUTH_API_TOKEN_LEN + 1);
    auth_user_dispose(&u);
    return rc;
}

/* What auth_bearer needs of the stored token. */
struct found_token {
    int64_t user_id, expires;
    int revoked;
    unsigned scopes;
};

static int token_row(void *ctx, const struct api_token *t)
{
    struct found_token *f = ctx;
    struct err ignored = ERR_INIT;
    f->user_id = t->user_id;
    f->expires = t->expires;
    f->revoked = t->revoked;
    /* stored scopes that do not parse allow nothing */
    if (auth_scopes_parse(&f->scopes, t->scopes, &ignored) < 0)
        f->scopes = 0;
    return 0;
}

int auth_bearer(struct store *s, const char *token, struct principal *p,
                struct err *err)
{
    struct auth_user u;
    struct found_token f = {0, 0, 0, 0};
    struct err e = ERR_INIT;
    unsigned char hash[32];
    int rc;
    *p = (struct principal)PRINCIPAL_INIT;
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    if (!token || strncmp(token, PREFIX, sizeof PREFIX - 1) != 0 ||
        !auth_token_shaped(token + sizeof PREFIX - 1, AUTH_TOKEN_LEN))
        return err_set(err, ERR_PERM, "not a Resonans API token");
    auth_token_hash(hash, token);
    if ((rc = store_get_token(s, hash, token_row, &f, &e)) < 0)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_PERM, "unknown API token")
                                  : err_set(err, e.code, "%s", e.msg);
    if (f.revoked)
        return err_set(err, ERR_PERM, "the API token was revoked");
    if (f.expires != 0 && f.expires <= (int64_t)time(NULL))
        return err_set(err, ERR_PERM, "the API token has expired");
    if ((rc = auth_user_get(s, NULL, f.user_id, &u, &e)) < 0)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_PERM, "unknown API token")
                                  : err_set(err, e.code, "%s", e.msg);
    /* the role may have changed since the token was made: it caps it */
    unsigned scopes = f.scopes & auth_role_scopes(u.p.role);
    if (u.disabled) {
        rc = err_set(err, ERR_PERM, "user %s is disabled", u.p.name);
    } else if (!scopes) {
        rc = err_set(err, ERR_PERM, "the API token allows nothing a %s may do",
                     user_role_name(u.p.role));
    } else {
        *p = u.p;
        u.p = (struct principal)PRINCIPAL_INIT;
        p->scopes = scopes;
        p->via_token = 1;
    }
    auth_user_dispose(&u);
    return rc;
}
