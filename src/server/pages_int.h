#pragma once
/* What the web app's page files share (pages.c, page_*.c). Private to
 * src/server. */

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

/* The language of this request: ?lang=, else Accept-Language. */
enum web_lang page_lang(const struct call *c);
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
