/* Principals, roles and scopes (auth.h), and the helpers the other files
 * of src/auth share (auth_int.h). */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/store.h"

static const struct {
    const char *name;
    unsigned scope;
} scope_names[] = {
    {"read", SCOPE_READ}, {"write", SCOPE_WRITE}, {"admin", SCOPE_ADMIN}};

#define N_SCOPES (sizeof scope_names / sizeof *scope_names)

int auth_scopes_parse(unsigned *out, const char *s, struct err *err)
{
    unsigned scopes = 0;
    *out = 0;
    if (!s)
        return err_set(err, ERR_INVALID, "no scopes given");
    for (const char *p = s;;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ')
            m--;
        size_t i = 0;
        while (i < N_SCOPES && !(strlen(scope_names[i].name) == m &&
                                 !strncmp(scope_names[i].name, p, m)))
            i++;
        if (i == N_SCOPES)
            return err_set(err, ERR_INVALID,
                           "unknown scope \"%.*s\" (read, write or admin)",
                           (int)(m > 40 ? 40 : m), p);
        scopes |= scope_names[i].scope;
        if (!p[n])
            break;
        p += n + 1;
    }
    *out = scopes;
    return 0;
}

void auth_scopes_name(unsigned scopes, char out[20])
{
    size_t n = 0; /* "read,write,admin" is 16 bytes: always fits */
    for (size_t i = 0; i < N_SCOPES; i++)
        if (scopes & scope_names[i].scope) {
            size_t m = strlen(scope_names[i].name);
            if (n)
                out[n++] = ',';
            memcpy(out + n, scope_names[i].name, m);
            n += m;
        }
    out[n] = '\0';
}

unsigned auth_role_scopes(enum user_role r)
{
    switch (r) {
    case ROLE_ADMIN:
        return SCOPE_READ | SCOPE_WRITE | SCOPE_ADMIN;
    case ROLE_ANALYST:
        return SCOPE_READ | SCOPE_WRITE;
    case ROLE_OWNER:
        return SCOPE_READ;
    }
    return 0; /* an unknown role may do nothing */
}

void auth_principal_dispose(struct principal *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n_touchpoints; i++)
        free(p->touchpoints[i]);
    free(p->touchpoints);
    *p = (struct principal)PRINCIPAL_INIT;
}

int auth_sees_touchpoint(const struct principal *p, const char *key)
{
    if (!p || !(p->scopes & SCOPE_READ))
        return 0;
    if (p->role == ROLE_ADMIN || p->role == ROLE_ANALYST)
        return 1;
    if (p->role != ROLE_OWNER || !key)
        return 0;
    for (int i = 0; i < p->n_touchpoints; i++)
        if (!strcmp(p->touchpoints[i], key))
            return 1;
    return 0;
}

/* Splits "a, b,c" into p's touchpoint list, leaving out empty keys. */
static void set_touchpoints(struct principal *p, const char *list)
{
    size_t cap = 0;
    for (const char *q = list; q && *q;) {
        size_t n = strcspn(q, ",");
        const char *a = q, *b = q + n;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (b > a) {
            if ((size_t)p->n_touchpoints == cap) {
                cap = cap ? 2 * cap : 4;
                p->touchpoints =
                    xrealloc(p->touchpoints, cap * sizeof *p->touchpoints);
            }
            char *k = xmalloc((size_t)(b - a) + 1);
            memcpy(k, a, (size_t)(b - a));
            k[b - a] = '\0';
            p->touchpoints[p->n_touchpoints++] = k;
        }
        q += n;
        if (*q == ',')
            q++;
    }
}

static int user_row(void *ctx, const struct user *u)
{
    struct auth_user *out = ctx;
    struct principal *p = &out->p;
    p->user_id = u->id;
    snprintf(p->name, sizeof p->name, "%s", u->name);
    p->role = u->role;
    p->scopes = auth_role_scopes(u->role);
    if (u->role == ROLE_OWNER)
        set_touchpoints(p, u->touchpoints);
    out->disabled = u->disabled;
    if (u->lang && (!strcmp(u->lang, "sv") || !strcmp(u->lang, "en")))
        memcpy(p->lang, u->lang, 3);
    /* a hash that does not fit is no crypto_pwhash_str hash: no login */
    if (u->pw_hash && strlen(u->pw_hash) < sizeof out->pw_hash) {
        memcpy(out->pw_hash, u->pw_hash, strlen(u->pw_hash) + 1);
        out->has_hash = 1;
    }
    return 0;
}

int auth_user_get(struct store *s, const char *name, int64_t id,
                  struct auth_user *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    out->p = (struct principal)PRINCIPAL_INIT;
    int rc = name ? store_get_user(s, name, user_row, out, err)
                  : store_get_user_by_id(s, id, user_row, out, err);
    if (rc < 0)
        auth_user_dispose(out);
    return rc;
}

void auth_user_dispose(struct auth_user *u)
{
    auth_principal_dispose(&u->p);
    sodium_memzero(u->pw_hash, sizeof u->pw_hash);
    u->has_hash = 0;
    u->disabled = 0;
}

int auth_sodium(struct err *err)
{
    if (sodium_init() < 0)
        return err_set(err, ERR_INTERNAL, "libsodium did not start");
    return 0;
}

void auth_random_token(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, b, sizeof b,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(b, sizeof b);
}

int auth_token_shaped(const char *s, size_t len)
{
    size_t i = 0;
    if (!s)
        return 0;
    for (; i < len && s[i]; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
    }
    return i == len && s[len] == '\0';
}

int64_t auth_expiry(int64_t ttl)
{
    const int64_t max = (int64_t)1 << 40;
    return (int64_t)time(NULL) + (ttl > max ? max : ttl < -max ? -max : ttl);
}

void auth_token_hash(unsigned char out[32], const char *token)
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

int auth_audit(struct store *s, const char *actor, const char *action,
               const char *subject, struct err *err, ...)
{
    struct strbuf b = STRBUF_INIT;
    va_list ap;
    const char *k;
    int first = 1;
    strbuf_putc(&b, '{');
    va_start(ap, err);
    while ((k = va_arg(ap, const char *))) {
        const char *v = va_arg(ap, const char *);
        if (!first)
            strbuf_putc(&b, ',');
        first = 0;
        strbuf_json_string(&b, k, strlen(k));
        strbuf_putc(&b, ':');
        strbuf_json_string(&b, v ? v : "", v ? strlen(v) : 0);
    }
    va_end(ap);
    strbuf_putc(&b, '}');
    int rc = store_audit(s, actor, action, subject, strbuf_str(&b), err);
    strbuf_dispose(&b);
    return rc;
}
