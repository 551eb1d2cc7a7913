#pragma once
/* The server's settings: defaults, then a file (`key = value` lines, '#'
 * comments), then the environment (RESONANS_<KEY> in upper case), then
 * the command line, each overriding the one before. docs/server.md
 * lists every key. */

#include <stddef.h>

struct err;

struct server_config {
    char host[64]; /* listen = HOST:PORT */
    int port;
    char db[512];            /* the database */
    int threads;             /* HTTP threads; 0 = two per core */
    size_t max_body;         /* any request body, bytes */
    size_t public_body;      /* a public survey submission, bytes */
    double rate;             /* public requests a second per address */
    double burst;            /* ... and the burst above it */
    int batch_max;           /* submissions per group commit */
    char access_log[512];    /* "-" = stderr, "" = none */
    char base_url[256];      /* how respondents reach us, for links and QR */
    long session_ttl;        /* seconds */
    int secure_cookies;      /* 1: cookies are Secure (behind TLS) */
    int trust_proxy;         /* 1: behind a reverse proxy: the client is the
                              * last address of X-Forwarded-For, and
                              * X-Forwarded-Proto: https makes cookies
                              * Secure */
    int metrics_public;      /* 1: /metrics without a token from anywhere;
                              * 0: from loopback only, else a read token */
    long retention_days;     /* comments older are anonymised; 0 = keep */
    char smtp_url[256];      /* the closed loop's e-mail: "smtp://HOST:PORT"
                              * or "smtps://..."; "" = e-mail waits */
    char smtp_from[256];     /* the sender address */
    char smtp_user[128];     /* "" = no AUTH */
    char smtp_password[256]; /* best from RESONANS_SMTP_PASSWORD */
    int smtp_starttls;       /* 1: require STARTTLS on smtp:// */
    char digest_to[1024];    /* the weekly digest's recipients, comma-
                              * separated; "" = no digest */
    int digest_day;          /* its weekday, 0 Monday .. 6 Sunday */
    int digest_hour;         /* its hour, 0..23 Europe/Stockholm */
    unsigned timeout_s;      /* idle connection timeout */
    unsigned max_conns;
};

void server_config_defaults(struct server_config *c);
/* Applies one setting. where names it in errors ("resonans.conf:3",
 * "RESONANS_PORT", "--listen"). ERR_INVALID for an unknown key or a
 * bad value. */
int server_config_set(struct server_config *c, const char *key,
                      const char *value, const char *where, struct err *err);
/* Reads a settings file. ERR_IO if it cannot be read. */
int server_config_file(struct server_config *c, const char *path,
                       struct err *err);
/* Applies every RESONANS_<KEY> variable of the environment that names a
 * key (others, such as RESONANS_DB's neighbours, are not errors). */
int server_config_env(struct server_config *c, struct err *err);
