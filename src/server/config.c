#include "server/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

void server_config_defaults(struct server_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->host, sizeof c->host, "127.0.0.1");
    c->port = 8080;
    snprintf(c->db, sizeof c->db, "resonans.db");
    c->threads = 0;
    c->max_body = (size_t)64 << 20;
    c->public_body = (size_t)64 << 10;
    c->rate = 20;
    c->burst = 40;
    c->batch_max = 512;
    snprintf(c->access_log, sizeof c->access_log, "-");
    c->session_ttl = 12L * 3600;
    c->timeout_s = 60;
    c->max_conns = 4096;
    snprintf(c->smtp_from, sizeof c->smtp_from, "resonans@localhost");
    c->digest_day = 0;
    c->digest_hour = 7;
}

static int parse_long(long *out, const char *v, long lo, long hi,
                      const char *key, const char *where, struct err *err)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return err_set(err, ERR_INVALID,
                       "%s: %s must be a whole number %ld..%ld, not '%s'",
                       where, key, lo, hi, v);
    *out = x;
    return 0;
}

static int parse_double(double *out, const char *v, double lo, double hi,
                        const char *key, const char *where, struct err *err)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= lo && x <= hi))
        return err_set(err, ERR_INVALID, "%s: %s must be a number %g..%g",
                       where, key, lo, hi);
    *out = x;
    return 0;
}

static int parse_bool(int *out, const char *v, const char *key,
                      const char *where, struct err *err)
{
    if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true") ||
        !strcmp(v, "yes"))
        *out = 1;
    else if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "false") ||
             !strcmp(v, "no"))
        *out = 0;
    else
        return err_set(err, ERR_INVALID, "%s: %s must be on or off, not '%s'",
                       where, key, v);
    return 0;
}

static int copy(char *dst, size_t cap, const char *v, const char *key,
                const char *where, struct err *err)
{
    if (strlen(v) >= cap)
        return err_set(err, ERR_INVALID, "%s: %s is too long", where, key);
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int set_digest_day(struct server_config *c, const char *v,
                          const char *where, struct err *err)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu",
                                       "fri", "sat", "sun"};
    for (int i = 0; i < 7; i++)
        if (!strcasecmp(v, days[i])) {
            c->digest_day = i;
            return 0;
        }
    return err_set(err, ERR_INVALID,
                   "%s: digest_day must be mon, tue, wed, thu, fri, sat or "
                   "sun, not '%s'",
                   where, v);
}

/* Comma-separated addresses, each one '@' between non-empty parts and
 * nothing a header could be made of (mail.h checks them again). */
static int set_digest_to(struct server_config *c, const char *v,
                         const char *where, struct err *err)
{
    const char *p = v;
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t at = strcspn(p, "@");
        int ok = n > 0 && at > 0 && at + 1 < n;
        for (size_t i = 0; ok && i < n; i++) {
            unsigned char ch = (unsigned char)p[i];
            if (ch <= ' ' || ch >= 0x7f || strchr("<>()[];:\\\"", ch) ||
                (ch == '@' && i != at))
                ok = 0;
        }
        if (!ok)
            return err_set(err, ERR_INVALID,
                           "%s: digest_to must be e-mail addresses separated "
                           "by commas, not '%s'",
                           where, v);
        p += n;
        if (*p == ',')
            p++;
    }
    return copy(c->digest_to, sizeof c->digest_to, v, "digest_to", where, err);
}

static int set_listen(struct server_config *c, const char *v, const char *where,
                      struct err *err)
{
    const char *colon = strrchr(v, ':');
    char host[64];
    long port = 0;
    if (!colon || colon == v)
        return err_set(err, ERR_INVALID,
                       "%s: listen must be HOST:PORT (127.0.0.1:8080, "
                       "[::1]:8080), not '%s'",
                       where, v);
    size_t hl = (size_t)(colon - v);
    if (v[0] == '[' && hl >= 2 && v[hl - 1] == ']') {
        v++;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return err_set(err, ERR_INVALID, "%s: listen host too long", where);
    memcpy(host, v, hl);
    host[hl] = 0;
    if (parse_long(&port, colon + 1, 0, 65535, "the port", where, err) < 0)
        return ERR_INVALID;
    memcpy(c->host, host, hl + 1);
    c->port = (int)port;
    return 0;
}

int server_config_set(struct server_config *c, const char *key, const char *v,
                      const char *where, struct err *err)
{
    long x;
    int rc = 0;
    if (!strcmp(key, "listen"))
        return set_listen(c, v, where, err);
    if (!strcmp(key, "db"))
        return copy(c->db, sizeof c->db, v, key, where, err);
    if (!strcmp(key, "access_log"))
        return copy(c->access_log, sizeof c->access_log, v, key, where, err);
    if (!strcmp(key, "base_url"))
        return copy(c->base_url, sizeof c->base_url, v, key, where, err);
    if (!strcmp(key, "smtp_url")) {
        if (*v && strncmp(v, "smtp://", 7) != 0 &&
            strncmp(v, "smtps://", 8) != 0)
            return err_set(err, ERR_INVALID,
                           "%s: smtp_url must be smtp://HOST:PORT or "
                           "smtps://HOST:PORT",
                           where);
        return copy(c->smtp_url, sizeof c->smtp_url, v, key, where, err);
    }
    if (!strcmp(key, "smtp_from"))
        return copy(c->smtp_from, sizeof c->smtp_from, v, key, where, err);
    if (!strcmp(key, "smtp_user"))
        return copy(c->smtp_user, sizeof c->smtp_user, v, key, where, err);
    if (!strcmp(key, "smtp_password"))
        return copy(c->smtp_password, sizeof c->smtp_password, v, key, where,
                    err);
    if (!strcmp(key, "digest_to"))
        return set_digest_to(c, v, where, err);
    if (!strcmp(key, "digest_day"))
        return set_digest_day(c, v, where, err);
    if (!strcmp(key, "threads")) {
        if ((rc = parse_long(&x, v, 0, 256, key, where, err)) == 0)
            c->threads = (int)x;
    } else if (!strcmp(key, "max_body")) {
        if ((rc = parse_long(&x, v, 1024, 1L << 30, key, where, err)) == 0)
            c->max_body = (size_t)x;
    } else if (!strcmp(key, "public_body")) {
        if ((rc = parse_long(&x, v, 1024, 1L << 24, key, where, err)) == 0)
            c->public_body = (size_t)x;
    } else if (!strcmp(key, "rate")) {
        rc = parse_double(&c->rate, v, 0, 1e9, key, where, err);
    } else if (!strcmp(key, "burst")) {
        rc = parse_double(&c->burst, v, 1, 1e9, key, where, err);
    } else if (!strcmp(key, "batch_max")) {
        if ((rc = parse_long(&x, v, 1, 100000, key, where, err)) == 0)
            c->batch_max = (int)x;
    } else if (!strcmp(key, "digest_hour")) {
        if ((rc = parse_long(&x, v, 0, 23, key, where, err)) == 0)
            c->digest_hour = (int)x;
    } else if (!strcmp(key, "session_ttl")) {
        rc = parse_long(&c->session_ttl, v, 60, 90L * 86400, key, where, err);
    } else if (!strcmp(key, "retention_days")) {
        rc = parse_long(&c->retention_days, v, 0, 36500, key, where, err);
    } else if (!strcmp(key, "timeout")) {
        if ((rc = parse_long(&x, v, 1, 3600, key, where, err)) == 0)
            c->timeout_s = (unsigned)x;
    } else if (!strcmp(key, "max_connections")) {
        if ((rc = parse_long(&x, v, 1, 1000000, key, where, err)) == 0)
            c->max_conns = (unsigned)x;
    } else if (!strcmp(key, "trust_proxy")) {
        rc = parse_bool(&c->trust_proxy, v, key, where, err);
    } else if (!strcmp(key, "secure_cookies")) {
        rc = parse_bool(&c->secure_cookies, v, key, where, err);
    } else if (!strcmp(key, "smtp_starttls")) {
        rc = parse_bool(&c->smtp_starttls, v, key, where, err);
    } else if (!strcmp(key, "metrics_public")) {
        rc = parse_bool(&c->metrics_public, v, key, where, err);
    } else {
        return err_set(err, ERR_INVALID, "%s: unknown setting '%s'", where,
                       key);
    }
    return rc;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

int server_config_file(struct server_config *c, const char *path,
                       struct err *err)
{
    FILE *f = fopen(path, "r");
    char line[1024], where[600];
    long lineno = 0;
    int rc = 0;
    if (!f)
        return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        snprintf(where, sizeof where, "%s:%ld", path, lineno);
        if (!eq) {
            rc = err_set(err, ERR_INVALID, "%s: expected key = value", where);
            break;
        }
        *eq = 0;
        rc = server_config_set(c, trim(s), trim(eq + 1), where, err);
    }
    fclose(f);
    return rc;
}

int server_config_env(struct server_config *c, struct err *err)
{
    static const char *const keys[] = {"listen",         "db",
                                       "access_log",     "base_url",
                                       "threads",        "max_body",
                                       "public_body",    "rate",
                                       "burst",          "batch_max",
                                       "session_ttl",    "retention_days",
                                       "timeout",        "max_connections",
                                       "secure_cookies", "metrics_public",
                                       "trust_proxy",    "smtp_url",
                                       "smtp_from",      "smtp_user",
                                       "smtp_password",  "smtp_starttls"};
    char name[64];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t k = (size_t)snprintf(name, sizeof name, "RESONANS_%s", keys[i]);
        for (size_t j = 9; j < k; j++)
            name[j] = (char)toupper((unsigned char)name[j]);
        const char *v = getenv(name);
        int rc;
        if (v && *v && (rc = server_config_set(c, keys[i], v, name, err)) < 0)
            return rc;
    }
    return 0;
}
