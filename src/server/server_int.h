#pragma once
/* What the server's files share: the server itself, the route table's
 * entries and the helpers every handler uses. Private to src/server. */

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "auth/auth.h"
#include "http/httpd.h"
#include "http/router.h"
#include "server/config.h"

struct colstore;
struct ingest;
struct notifier;
struct janitor;
struct langid;
struct ratelimit;
struct resident;
struct sentiment;
struct stats;
struct store;
struct strbuf;
struct strmap;
struct survey_def;
struct themes;

/* Who may call a route. */
enum access {
    A_PUBLIC, /* anyone: survey pages and submissions, health, assets */
    A_READ,   /* a signed-in user or a token with the read scope */
    A_WRITE,  /* ... write scope */
    A_ADMIN   /* ... admin scope */
};

struct server;

/* What a handler gets. p is NULL on a public route. */
struct page_capture;

struct call {
    struct server *srv;
    struct http_req *req;
    const struct route_match *m;
    const struct principal *p;
    struct http_resp *resp;
    struct page_capture *cap; /* a page whose body is to be kept (pages.c) */
};

typedef enum http_verdict (*handler_fn)(struct call *c);

struct handler {
    handler_fn fn;
    enum access access;
    int group; /* enum stats_route */
};

/* The touchpoints and channels, by key (refreshed when journeys load). */
struct lookup {
    struct strmap *tp; /* key -> index into tps */
    struct strmap *ch; /* channel key -> id */
    struct tp_info {
        int64_t id, channel_id;
        char *key, *name;
    } * tps;
    size_t n_tps;
};

struct server {
    struct server_config cfg;
    struct httpd *http;
    struct stats *stats;
    struct ratelimit *rl;
    struct ingest *ingest;      /* NULL once closed, under ingest_mu */
    pthread_rwlock_t ingest_mu; /* submitters read, the stop writes */
    struct resident *res;
    struct page_cache *pages; /* the costly views' bodies (page_cache.h) */
    struct janitor *janitor;
    struct notifier *notifier; /* the closed loop (notifier.h) */
    double t0;
    /* the access log */
    FILE *log;
    int log_owned;
    pthread_mutex_t log_mu;
    /* a read handle per HTTP thread, and one for writes that are not
     * submissions (surveys, users, bulk loads), taken in turn */
    pthread_key_t reader_key;
    struct store *admin;
    pthread_mutex_t admin_mu;
    /* text models (shared, read-only) and an analyzer per thread */
    struct langid *langid;
    struct sentiment *sentiment;
    struct themes *themes;
    pthread_key_t analyzer_key;
    /* keys from the database (store_secret) */
    unsigned char csrf_key[32], sign_key[32];
    /* touchpoints and surveys, read by every submission */
    pthread_rwlock_t lookup_mu;
    struct lookup lk;
    pthread_mutex_t surveys_mu;
    struct survey_ref **surveys; /* by key, few: a linear search */
    size_t n_surveys, cap_surveys;
    /* answering analyses: the CLI's commands on the resident store */
    pthread_mutex_t cli_mu;
};

/* The routes (server.c) and their number. */
extern const struct route server_routes[];
extern const size_t server_n_routes;

/* This thread's read handle (opened on first use, its snapshot ended so
 * it sees the latest commit), or NULL after answering 503. */
struct store *srv_reader(struct call *c);
/* This thread's analyzer. */
struct analyzer *srv_analyzer(struct server *s);

/* Answers a JSON error {"error": {"code", "message", "field"}}. */
enum http_verdict srv_error(struct call *c, int status, const char *code,
                            const char *msg, const char *field);
/* Answers the store's or a module's error: status from err->code. */
enum http_verdict srv_fail(struct call *c, const struct err *err);
/* Answers body (taken) with status and type. */
enum http_verdict srv_send(struct call *c, int status, const char *ctype,
                           char *body, size_t len);
/* Answers a jansson value (taken) as JSON. */
struct json_t;
enum http_verdict srv_json(struct call *c, int status, struct json_t *v);
/* A path parameter, or an answered 400 (returns -1). */
int srv_param(struct call *c, const char *name, char *buf, size_t cap);
/* Who is asking: 0 with *p filled (dispose it), 1 when nobody signed in,
 * -1 after answering (a bad token is refused, not ignored). */
int srv_authenticate(struct call *c, struct principal *p);
/* Sets the session cookie (max_age 0 and "" remove it). */
void srv_session_cookie(struct call *c, const char *token, long max_age);
/* How respondents and receivers reach us: base_url, or http://HOST:PORT. */
void srv_base_url(const struct server *s, char *buf, size_t cap);
/* An audit entry as the caller. */
void srv_audit(struct call *c, const char *action, const char *subject,
               const char *detail);
/* The client's address: the connection's, or behind a trusted proxy
 * (trust_proxy) the last address of X-Forwarded-For, which the proxy
 * itself appended (the ones before it are the client's word). */
const char *srv_client(const struct call *c, char *buf, size_t cap);
/* 1 if the request came over TLS: secure_cookies, or a trusted proxy's
 * X-Forwarded-Proto: https. */
int srv_tls(const struct call *c);

/* 1 if the caller may see touchpoint key's responses. */
int srv_sees(const struct call *c, const char *touchpoint_key);

/* Runs the CLI's command argv[0] in this process (api_analyses.c) and
 * answers its output (JSON with CLI_JSON, else text) or its error: exit
 * 2 and 3 as 400, 4 as notfound_status, 1 as 500, with the CLI's message
 * put in the API's terms. CLI_RESIDENT: the command queries the column
 * store in memory, holding its lock (an analysis); without it the
 * command must not need one (customer erase, which checkpoints and so
 * must not hold up the catch-up's readers). */
#define CLI_JSON 1u
#define CLI_RESIDENT 2u
enum http_verdict srv_run_cli(struct call *c, int argc, char **argv,
                              unsigned flags, int notfound_status);

/* lookups (server_lookup.c) */
int srv_lookup_load(struct server *s, struct store *st, struct err *err);
void srv_lookup_free(struct lookup *lk);
/* Touchpoint by key: 0 and its info copied, or -1. */
int srv_touchpoint(struct server *s, const char *key, int64_t *id,
                   int64_t *channel_id, char *name, size_t name_cap);
int srv_channel(struct server *s, const char *key, int64_t *id);
/* Surveys, parsed once and shared: srv_survey hands out a reference
 * (released with srv_survey_release), so a definition replaced through
 * the API stays valid for the submissions already using it. */
struct survey_ref;
int srv_surveys_load(struct server *s, struct store *st, struct err *err);
/* ERR_NOTFOUND for an unknown key. */
int srv_survey(struct server *s, const char *key, struct survey_ref **out,
               struct err *err);
const struct survey_def *srv_survey_def(const struct survey_ref *r);
void srv_survey_release(struct survey_ref *r);
/* Puts d (taken) in place of the survey with its key. */
void srv_survey_put(struct server *s, struct survey_def *d);
void srv_survey_forget(struct server *s, const char *key);
void srv_surveys_free(struct server *s);

/* handlers, by file */
enum http_verdict h_healthz(struct call *c);
enum http_verdict h_metrics(struct call *c);
enum http_verdict h_asset(struct call *c);
enum http_verdict h_openapi(struct call *c);
/* api_public.c: survey pages and submissions */
enum http_verdict h_survey_page(struct call *c);
enum http_verdict h_survey_post(struct call *c);
enum http_verdict h_survey_submit_json(struct call *c);
/* api_surveys.c */
enum http_verdict h_surveys_list(struct call *c);
enum http_verdict h_surveys_create(struct call *c);
enum http_verdict h_survey_get(struct call *c);
enum http_verdict h_survey_put(struct call *c);
enum http_verdict h_survey_delete(struct call *c);
enum http_verdict h_survey_link(struct call *c);
enum http_verdict h_survey_qr(struct call *c);
enum http_verdict h_survey_embed(struct call *c);
/* api_responses.c */
enum http_verdict h_responses_list(struct call *c);
enum http_verdict h_responses_create(struct call *c);
enum http_verdict h_responses_export(struct call *c);
/* api_data.c */
enum http_verdict h_journeys_get(struct call *c);
enum http_verdict h_journeys_put(struct call *c);
enum http_verdict h_touchpoints_get(struct call *c);
enum http_verdict h_customers_create(struct call *c);
enum http_verdict h_customer_erase(struct call *c);
enum http_verdict h_events_create(struct call *c);
/* api_cases.c: the closed loop */
struct case_change;
struct loop_actor;
/* An owner's touchpoints as "a,b" in b (the cases they see); NULL, all
 * cases, for others. */
const char *srv_visible(const struct call *c, struct strbuf *b);
/* Applies ch to case id as a, on the server's writer handle (admin_mu
 * held): with the loop document, if any, and links from the server's
 * base URL. */
int srv_case_change(struct call *c, int64_t id, const struct case_change *ch,
                    const struct loop_actor *a, struct err *err);
enum http_verdict h_cases_list(struct call *c);
enum http_verdict h_cases_metrics(struct call *c);
enum http_verdict h_cases_areas(struct call *c);
enum http_verdict h_case_get(struct call *c);
enum http_verdict h_case_action(struct call *c);
enum http_verdict h_improvements_create(struct call *c);
enum http_verdict h_rules_get(struct call *c);
enum http_verdict h_rules_put(struct call *c);
enum http_verdict h_notifications_list(struct call *c);
enum http_verdict h_notification_retry(struct call *c);
/* api_analyses.c */
enum http_verdict h_analyses_list(struct call *c);
enum http_verdict h_analysis(struct call *c);
/* api_auth.c */
enum http_verdict h_login(struct call *c);
enum http_verdict h_logout(struct call *c);
enum http_verdict h_me(struct call *c);
enum http_verdict h_users_list(struct call *c);
enum http_verdict h_users_create(struct call *c);
enum http_verdict h_tokens_create(struct call *c);
enum http_verdict h_audit(struct call *c);

/* The session cookie's name. */
#define SESSION_COOKIE "resonans_session"
