#pragma once
/* The HTTP server underneath `resonans serve`: libmicrohttpd with a pool
 * of threads on epoll, keep-alive, bodies read whole up to a limit, and
 * requests that can wait without holding a thread (a submission waits
 * for its group commit: http_resume). Nothing here knows Resonans; the
 * handler gets a struct http_req and fills a struct http_resp.
 * docs/server.md. */

#include <stddef.h>
#include <stdint.h>

struct err;
struct httpd;
struct http_req;

/* What a handler answers. */
struct http_resp {
    int status;        /* 200, 404, ... */
    const char *ctype; /* Content-Type; NULL = "application/json" */
    char *body;        /* malloc'd, freed by httpd; NULL = empty */
    size_t len;
    /* Further headers "Name: value\r\n"... (malloc'd), or NULL. */
    char *headers;
    /* Instead of body, when has_fd is set (http_resp_file): an open
     * file of len bytes, sent from its start and closed by httpd, so a
     * big export waits on disk, not in memory. */
    int fd;
    int has_fd;
};

/* Answers the file fd (taken: closed when sent) of len bytes. */
void http_resp_file(struct http_resp *resp, int status, const char *ctype,
                    int fd, size_t len);

enum http_verdict {
    HTTP_DONE,   /* resp is filled */
    HTTP_PENDING /* the handler keeps req and calls http_resume(req) once
                  * http_req_resp(req) is filled, from any thread */
};

typedef enum http_verdict (*http_handler_fn)(void *ctx, struct http_req *req,
                                             struct http_resp *resp);
/* Called once per finished request: the access log. */
typedef void (*http_done_fn)(void *ctx, const struct http_req *req, int status,
                             size_t bytes, double ms);

struct httpd_opts {
    const char *host;      /* numeric IPv4 or IPv6 address */
    int port;              /* 0 = any free port (httpd_port tells) */
    int threads;           /* pool size, >= 1 */
    size_t max_body;       /* bodies above: 413 without reading them */
    unsigned timeout_s;    /* idle connections closed after this */
    unsigned max_conns;    /* at most this many connections */
    unsigned max_conns_ip; /* per address; 0 = no limit */
};

int httpd_start(struct httpd **out, const struct httpd_opts *o,
                http_handler_fn fn, http_done_fn done, void *ctx,
                struct err *err);
/* The port it listens on. */
int httpd_port(const struct httpd *h);
/* Stops taking new connections; requests in flight go on. */
void httpd_quiesce(struct httpd *h);
/* Requests begun and not yet finished. */
long httpd_inflight(struct httpd *h);
/* Closes every connection and frees h. */
void httpd_stop(struct httpd *h);

/* ---- a request, valid until it is finished ---- */
const char *http_method(const struct http_req *r);
/* The path without the query, percent-decoded by libmicrohttpd. */
const char *http_path(const struct http_req *r);
/* A request header, a query argument or a cookie, or NULL. */
const char *http_header(const struct http_req *r, const char *name);
const char *http_arg(const struct http_req *r, const char *name);
const char *http_cookie(const struct http_req *r, const char *name);
typedef int (*http_arg_cb)(void *ctx, const char *name, const char *value);
/* Every query argument in order; a callback's non-zero return stops. */
int http_args(const struct http_req *r, http_arg_cb cb, void *ctx);
/* The body read so far (all of it by the time the handler runs). */
const char *http_body(const struct http_req *r, size_t *len);
/* The client's address as text ("127.0.0.1", "::1"). */
const char *http_remote(const struct http_req *r);
/* The handler's own data, kept with the request (freed by free_fn). */
void http_set_data(struct http_req *r, void *data, void (*free_fn)(void *));
void *http_data(const struct http_req *r);
/* Where a pending request's answer goes before http_resume. */
struct http_resp *http_req_resp(struct http_req *r);
void http_resume(struct http_req *r);

/* Fills resp: status, type and a copy of body (n bytes). */
void http_resp_set(struct http_resp *resp, int status, const char *ctype,
                   const char *body, size_t n);
/* Appends a header line "name: value". */
void http_resp_header(struct http_resp *resp, const char *name,
                      const char *value);
