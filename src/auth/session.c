/* Logging in and out, and sessions (auth.h). A session is a random token
 * held by the browser (a cookie) and its hash in the store. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"
#include "core/err.h"
#include "store/store.h"

/* Verified in place of a missing user's hash, so that an unknown name
 * costs the same Argon2id work as a known one (a timing side channel
 * would otherwise tell which names exist). One per limit set: the
 * password "resonans-no-such-user", which nothing compares against. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$rIZca24qhiqNQ4kPdT/u5g$"
    "SJsxN+JYo6vW/xl8GfmMt1ZrCuhs4y2P2jFkbFpz4yk";
static const char dummy_hash_fast[] =
    "$argon2id$v=19$m=8,t=1,p=1$a9NmPHXKlyo1a3rUZFVtjg$"
    "94ebku9g4yva3EssROXKY3QUtkIpgT3uM4O+iQdVdzo";

static const char *dummy(void)
{
    const char *v = getenv("RESONANS_PWHASH");
    return v && !strcmp(v, "fast") ? dummy_hash_fast : dummy_hash;
}

static void subject_of(char out[80], const char *name)
{
    snprintf(out, 80, "user:%s", name);
}

int auth_login(struct store *s, const char *name, const char *password,
               int64_t ttl, char token[AUTH_TOKEN_LEN + 1], struct principal *p,
               struct err *err)
{
    struct auth_user u;
    struct err lookup = ERR_INIT;
    unsigned char hash[32];
    char subject[80], expires_s[24];
    int rc, found;
    *p = (struct principal)PRINCIPAL_INIT;
    token[0] = '\0';
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    if (!name || !password)
        return err_set(err, ERR_PERM, "wrong name or password");
    rc = auth_user_get(s, name, 0, &u, &lookup);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return err_set(err, lookup.code, "%s", lookup.msg);
    found = rc == 0;
    int ok = auth_password_check(found && u.has_hash ? u.pw_hash : dummy(),
                                 password);
    if (!found || !u.has_hash || !ok) {
        if (found) { /* best effort: the refusal stands either way */
            struct err ignored = ERR_INIT;
            subject_of(subject, u.p.name);
            auth_audit(s, u.p.name, "session.login_failed", subject, &ignored,
                       (const char *)NULL);
            auth_user_dispose(&u);
        }
        return err_set(err, ERR_PERM, "wrong name or password");
    }
    if (u.disabled) {
        rc = err_set(err, ERR_PERM, "user %s is disabled", u.p.name);
        goto done;
    }
    int64_t expires = auth_expiry(ttl);
    auth_random_token(token);
    auth_token_hash(hash, token);
    subject_of(subject, u.p.name);
    snprintf(expires_s, sizeof expires_s, "%lld", (long long)expires);
    /* the session and its audit entry are one commit */
    if ((rc = store_begin(s, err)) < 0)
        goto done;
    if ((rc = store_put_session(s, hash, u.p.user_id, expires, err)) < 0 ||
        (rc = auth_audit(s, u.p.name, "session.login", subject, err, "expires",
                         expires_s, (const char *)NULL)) < 0 ||
        (rc = store_commit(s, err)) < 0) {
        store_rollback(s);
        goto done;
    }
    *p = u.p; /* moved: u no longer owns the touchpoints */
    u.p = (struct principal)PRINCIPAL_INIT;
done:
    if (rc < 0)
        sodium_memzero(token, AUTH_TOKEN_LEN + 1);
    sodium_memzero(hash, sizeof hash);
    auth_user_dispose(&u);
    return rc;
}

int auth_session(struct store *s, const char *token, struct principal *p,
                 struct err *err)
{
    struct auth_user u;
    unsigned char hash[32];
    int64_t user_id, expires;
    int rc;
    *p = (struct principal)PRINCIPAL_INIT;
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    if (!auth_token_shaped(token, AUTH_TOKEN_LEN))
        return err_set(err, ERR_PERM, "not logged in");
    auth_token_hash(hash, token);
    struct err e = ERR_INIT;
    if ((rc = store_get_session(s, hash, &user_id, &expires, &e)) < 0)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_PERM, "not logged in")
                                  : err_set(err, e.code, "%s", e.msg);
    if (expires <= (int64_t)time(NULL))
        return err_set(err, ERR_PERM, "the session has expired; log in again");
    if ((rc = auth_user_get(s, NULL, user_id, &u, &e)) < 0)
        return rc == ERR_NOTFOUND ? err_set(err, ERR_PERM, "not logged in")
                                  : err_set(err, e.code, "%s", e.msg);
    if (u.disabled) {
        rc = err_set(err, ERR_PERM, "user %s is disabled", u.p.name);
    } else {
        *p = u.p;
        u.p = (struct principal)PRINCIPAL_INIT;
    }
    auth_user_dispose(&u);
    return rc;
}

int auth_logout(struct store *s, const char *token, struct err *err)
{
    struct auth_user u;
    unsigned char hash[32];
    char subject[80];
    int64_t user_id, expires;
    struct err e = ERR_INIT;
    int rc;
    if ((rc = auth_sodium(err)) < 0)
        return rc;
    if (!auth_token_shaped(token, AUTH_TOKEN_LEN))
        return 0;
    auth_token_hash(hash, token);
    if ((rc = store_get_session(s, hash, &user_id, &expires, &e)) < 0)
        return rc == ERR_NOTFOUND ? 0 : err_set(err, e.code, "%s", e.msg);
    rc = auth_user_get(s, NULL, user_id, &u, &e);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return err_set(err, e.code, "%s", e.msg);
    const char *who = rc == 0 ? u.p.name : "unknown";
    subject_of(subject, who);
    if ((rc = store_begin(s, err)) == 0) {
        if ((rc = store_delete_session(s, hash, err)) < 0 ||
            (rc = auth_audit(s, who, "session.logout", subject, err,
                             (const char *)NULL)) < 0 ||
            (rc = store_commit(s, err)) < 0)
            store_rollback(s);
    }
    auth_user_dispose(&u);
    return rc;
}
