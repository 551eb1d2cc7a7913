#pragma once
/* What the web app's page files share (pages.c, page_*.c). Private to
 * src/server. */

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "http/httpd.h"
#include "web/page.h"

struct call;
struct err;
struct server;
struct strbuf;

/* 1 when path is a page's (/app or under it). */
int page_is(const char *path);
/* Answers a request for a page: its own route table, sign-in redirects
 * and CSRF tokens from forms (pages.c). */
enum http_verdict page_dispatch(struct server *s, struct http_req *req,
                                struct http_resp *resp);

/* The language of this request: ?lang=, else the signed-in user's
 * language, else Accept-Language, else Swedish. */
enum web_lang page_lang(const struct call *c);
/* A costly view being answered: where its body starts and what its
 * frame was, for page_send to keep it (pages.c, page_cache.h). */
struct page_capture {
    struct strbuf key;
    int64_t gen;
    size_t body_at;
    char *title, *current;
    int framed, hit;
};

/* Starts a page with the frame (nav, user, log-out form); current is
 * the nav item's href or NULL. */
void page_frame_begin(struct call *c, struct strbuf *b, const char *title,
                      const char *current);
/* Ends the frame and answers with b (taken). */
enum http_verdict page_send(struct call *c, int status, struct strbuf *b);
/* A page that only says something (errors). */
enum http_verdict page_message(struct call *c, int status, const char *title,
                               const char *text);
enum http_verdict page_fail(struct call *c, const struct err *err);
/* 303 See Other to a local path. */
enum http_verdict page_redirect(struct call *c, const char *to);

/* ---- a page's view (page_view.c) ---- */

struct colstore;
struct field;
struct metrics_result;
struct store;

/* The filters of the URL, as given (for forms and links) and as local
 * day numbers (open ends METRICS_DAY_MIN / MAX). */
struct page_view {
    const char *from, *to, *where;
    int64_t from_day, to_day;
};
/* The view from ?from=&to=&where=; *csv for ?format=csv (html is the
 * page). -1 after answering 400. */
int page_view_args(struct call *c, struct page_view *v, int *csv);
/* A day "YYYY-MM-DD" of the URL into *day (none when absent); -1 after
 * answering 400. */
int page_day_arg(struct call *c, const char *v, int64_t *day, int64_t none);
/* The metrics engine's figures for the view (grouped by `by`, NULL: one
 * cell) at touchpoint tp, or else at the touchpoints an owner owns (all
 * for others): loads what the query names into cs, then runs it. Caller
 * frees *out. */
int page_figures(struct call *c, struct colstore *cs, struct store *s,
                 const struct page_view *v, const char *tp, const char *by,
                 struct metrics_result **out, struct err *err);
/* Without a period: from the first of the last `keep` months of months
 * (a result by month), so that pages agree on their default. */
void page_default_from(struct page_view *v, size_t keep,
                       const struct metrics_result *months);
/* A metrics_query_fields callback: loads what a field of the responses
 * needs into cs from s (query/prepare.h). */
struct page_prep {
    struct colstore *cs;
    struct store *s;
    struct err *err;
};
int page_prepare_field(void *ctx, const struct field *f);
/* The index of figure key in r's figures, or -1. */
int page_fig(const struct metrics_result *r, const char *key);
/* s escaped as text (NULL as nothing). */
void page_text(struct strbuf *b, const char *s);

/* ---- pieces every view uses (page_view.c) ---- */

struct estimate;
struct result;
/* Appends "?from=..&to=..&where=..&lang=en" (those given) and extra
 * ("format=csv", may be NULL): raw, to be escaped as an attribute. */
void page_query_string(struct strbuf *b, const struct page_view *v,
                       enum web_lang lang, const char *extra);
/* href="PATH[KEY]?QUERY" with the view's filters (key URL-escaped, may
 * be NULL). */
void page_href(struct strbuf *b, const char *path, const char *key,
               const struct page_view *v, enum web_lang lang,
               const char *extra);
/* The hidden fields that keep the view (with the period when period) and
 * the language in a form. */
void page_hidden_view(struct strbuf *b, const struct page_view *v,
                      enum web_lang lang, int period);
/* The period and filter form (from, to, where); it sends to path (and
 * key, when not NULL). */
void page_filter_form(struct strbuf *b, enum web_lang lang,
                      const struct page_view *v, const char *path,
                      const char *key);
/* "value [lo; hi]" of e in r, with a '*' when under the minimum n. */
void page_est_text(struct strbuf *b, enum web_lang lang,
                   const struct metrics_result *r, const struct estimate *e,
                   int sign);
/* A headline figure as a card (<div class="card"><dt>..<dd>..) inside a
 * <dl class="cards">: figure key of r's first cell, with CI and n. */
void page_card(struct strbuf *b, enum web_lang lang, const char *label,
               const struct metrics_result *r, const char *key, int sign);
/* Opens <section aria-labelledby=id><h2 id=id>text</h2>; the caller
 * closes the section. */
void page_section(struct strbuf *b, const char *id, const char *text);
/* The page's one <h1>. */
void page_h1(struct strbuf *b, const char *title);
/* Answers r as CSV, a download named name.csv (name's unsafe characters
 * become '_'). */
enum http_verdict page_send_csv(struct call *c, const struct result *r,
                                const char *name);

/* the pages */
enum http_verdict page_login_form(struct call *c);
enum http_verdict page_login(struct call *c);
enum http_verdict page_logout(struct call *c);
enum http_verdict page_overview(struct call *c);
enum http_verdict page_touchpoints(struct call *c);
enum http_verdict page_touchpoint(struct call *c);
enum http_verdict page_journey(struct call *c);
enum http_verdict page_cases(struct call *c);
enum http_verdict page_case(struct call *c);
enum http_verdict page_case_action(struct call *c);
enum http_verdict page_priorities(struct call *c); /* page_priorities.c */
enum http_verdict page_personas(struct call *c);   /* page_personas.c */
enum http_verdict page_stories(struct call *c);    /* page_stories.c */
enum http_verdict page_surveys(struct call *c);    /* page_surveys.c */
enum http_verdict page_survey_new(struct call *c);
enum http_verdict page_survey_create(struct call *c);
enum http_verdict page_survey(struct call *c);
enum http_verdict page_survey_save(struct call *c);
enum http_verdict page_survey_delete(struct call *c);
enum http_verdict page_admin(struct call *c); /* page_admin.c */
enum http_verdict page_admin_section(struct call *c);
enum http_verdict page_admin_post(struct call *c);
enum http_verdict page_account(struct call *c); /* page_account.c */
enum http_verdict page_account_post(struct call *c);
