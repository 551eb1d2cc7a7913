/* httpd.h on libmicrohttpd: a pool of epoll threads; a request's body is
 * gathered, then the handler runs once; a pending request is suspended
 * (its thread goes on serving other connections) until http_resume. */
#include "http/httpd.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"

struct httpd {
    struct MHD_Daemon *d;
    http_handler_fn fn;
    http_done_fn done;
    void *ctx;
    size_t max_body;
    atomic_long inflight;
    int port;
};

enum req_state { RS_READING, RS_PENDING, RS_ANSWERED };

struct http_req {
    struct httpd *h;
    struct MHD_Connection *conn;
    const char *method, *url;
    char *body;
    size_t len, cap;
    int too_large;
    enum req_state state;
    double t0;
    char remote[64];
    struct http_resp resp;
    int status; /* queued, for the log */
    size_t sent;
    void *data;
    void (*data_free)(void *);
    /* a pending request: resumed may come before the suspend (another
     * thread answers fast), so both go through mu */
    pthread_mutex_t mu;
    int suspended, resumed;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void http_resp_set(struct http_resp *resp, int status, const char *ctype,
                   const char *body, size_t n)
{
    free(resp->body);
    resp->status = status;
    resp->ctype = ctype;
    resp->body = NULL;
    resp->len = n;
    if (n) {
        resp->body = xmalloc(n);
        memcpy(resp->body, body, n);
    }
}

void http_resp_header(struct http_resp *resp, const char *name,
                      const char *value)
{
    size_t old = resp->headers ? strlen(resp->headers) : 0;
    size_t add = strlen(name) + strlen(value) + 4;
    resp->headers = xrealloc(resp->headers, old + add + 1);
    snprintf(resp->headers + old, add + 1, "%s: %s\r\n", name, value);
}

static void resp_dispose(struct http_resp *resp)
{
    free(resp->body);
    free(resp->headers);
    if (resp->has_fd)
        close(resp->fd);
    memset(resp, 0, sizeof *resp);
}

void http_resp_file(struct http_resp *resp, int status, const char *ctype,
                    int fd, size_t len)
{
    free(resp->body);
    resp->body = NULL;
    if (resp->has_fd)
        close(resp->fd);
    resp->status = status;
    resp->ctype = ctype;
    resp->fd = fd;
    resp->has_fd = 1;
    resp->len = len;
}

/* Hands resp to libmicrohttpd (which takes the body). */
static enum MHD_Result queue(struct http_req *r, struct http_resp *resp)
{
    struct MHD_Response *m;
    enum MHD_Result ok;
    if (resp->has_fd) {
        m = MHD_create_response_from_fd((size_t)resp->len, resp->fd);
        if (m)
            resp->has_fd = 0; /* libmicrohttpd closes it */
    } else if (resp->body) {
        m = MHD_create_response_from_buffer_with_free_callback(
            resp->len, resp->body, free);
        resp->body = NULL;
    } else {
        m = MHD_create_response_from_buffer(0, (void *)"",
                                            MHD_RESPMEM_PERSISTENT);
    }
    if (!m) {
        resp_dispose(resp);
        return MHD_NO;
    }
    MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
                            resp->ctype ? resp->ctype : "application/json");
    for (char *line = resp->headers; line && *line;) {
        char *end = strstr(line, "\r\n");
        char *colon = strchr(line, ':');
        if (!end || !colon || colon > end)
            break;
        *end = 0;
        *colon = 0;
        MHD_add_response_header(m, line, colon + 2);
        line = end + 2;
    }
    r->status = resp->status ? resp->status : 200;
    r->sent = resp->len;
    ok = MHD_queue_response(r->conn, (unsigned)r->status, m);
    MHD_destroy_response(m);
    resp_dispose(resp);
    r->state = RS_ANSWERED;
    return ok;
}

static enum MHD_Result answer_error(struct http_req *r, int status,
                                    const char *code, const char *msg)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf,
                     "{\"error\": {\"code\": \"%s\", \"message\": \"%s\"}}\n",
                     code, msg);
    struct http_resp resp = {0};
    http_resp_set(&resp, status, NULL, buf, (size_t)n);
    return queue(r, &resp);
}

static void client_address(struct http_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->remote, sizeof r->remote, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  r->remote, sizeof r->remote);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  r->remote, sizeof r->remote);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct httpd *h = cls;
    struct http_req *r = *con_cls;
    (void)version;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->h = h;
        r->conn = conn;
        r->url = url;
        r->method = method;
        r->t0 = now_ms();
        pthread_mutex_init(&r->mu, NULL);
        client_address(r);
        *con_cls = r;
        atomic_fetch_add(&h->inflight, 1);
        const char *cl = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > h->max_body)
            return answer_error(r, 413, "too_large",
                                "the request body is too large");
        return MHD_YES;
    }
    if (r->state == RS_ANSWERED) {
        *upload_size = 0; /* an answered request's body is dropped */
        return MHD_YES;
    }
    if (r->state == RS_READING && *upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->too_large || r->len + n > h->max_body) {
            r->too_large = 1;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            r->cap = (r->len + n + 1) * 2;
            if (r->cap > h->max_body + 1)
                r->cap = h->max_body + 1;
            r->body = xrealloc(r->body, r->cap);
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = 0;
        return MHD_YES;
    }
    if (r->state == RS_PENDING) /* resumed: the answer is there */
        return queue(r, &r->resp);
    if (r->too_large)
        return answer_error(r, 413, "too_large",
                            "the request body is too large");
    struct http_resp resp = {0};
    if (h->fn(h->ctx, r, &resp) == HTTP_DONE)
        return queue(r, &resp);
    resp_dispose(&resp);
    pthread_mutex_lock(&r->mu);
    r->state = RS_PENDING;
    if (r->resumed) { /* answered before it could be suspended */
        pthread_mutex_unlock(&r->mu);
        return queue(r, &r->resp);
    }
    r->suspended = 1;
    MHD_suspend_connection(conn);
    pthread_mutex_unlock(&r->mu);
    return MHD_YES;
}

void http_resume(struct http_req *r)
{
    /* Once resumed, the request may be answered and freed at once by its
     * thread: nothing of r is touched after the unlock. The connection
     * itself stays until it is resumed. */
    struct MHD_Connection *conn = r->conn;
    pthread_mutex_lock(&r->mu);
    r->resumed = 1;
    int suspended = r->suspended;
    pthread_mutex_unlock(&r->mu);
    if (suspended)
        MHD_resume_connection(conn);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct httpd *h = cls;
    struct http_req *r = *con_cls;
    (void)conn;
    if (!r)
        return;
    if (h->done)
        h->done(h->ctx, r,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? r->status : 499,
                r->sent, now_ms() - r->t0);
    if (r->data_free)
        r->data_free(r->data);
    resp_dispose(&r->resp);
    pthread_mutex_destroy(&r->mu);
    free(r->body);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&h->inflight, 1);
}

int httpd_start(struct httpd **out, const struct httpd_opts *o,
                http_handler_fn fn, http_done_fn done, void *ctx,
                struct err *err)
{
    struct sockaddr_storage ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    memset(&ss, 0, sizeof ss);
    *out = NULL;
    if (o->port < 0 || o->port > 65535)
        return err_set(err, ERR_INVALID, "port %d out of range 0..65535",
                       o->port);
    if (strchr(o->host, ':')) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)(void *)&ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)o->port);
        if (inet_pton(AF_INET6, o->host, &a6->sin6_addr) != 1)
            return err_set(err, ERR_INVALID, "'%s' is not an IPv6 address",
                           o->host);
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)(void *)&ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)o->port);
        if (inet_pton(AF_INET, o->host, &a4->sin_addr) != 1)
            return err_set(err, ERR_INVALID,
                           "'%s' is not an IP address (give 127.0.0.1, "
                           "0.0.0.0 or ::1)",
                           o->host);
    }
    /* a pool only for more than one thread (libmicrohttpd warns of a
     * pool of one) */
    struct MHD_OptionItem pool[2] = {
        {MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL},
        {MHD_OPTION_END, 0, NULL}};
    if (o->threads <= 1)
        pool[0] = pool[1];
    struct httpd *h = xcalloc(1, sizeof *h);
    h->fn = fn;
    h->done = done;
    h->ctx = ctx;
    h->max_body = o->max_body;
    atomic_init(&h->inflight, 0);
    h->d = MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, on_request, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, o->max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_conns_ip,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, h, MHD_OPTION_END);
    if (!h->d) {
        free(h);
        return err_set(err, ERR_IO,
                       "cannot listen on %s port %d (in use, or not an "
                       "address of this machine)",
                       o->host, o->port);
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : o->port;
    *out = h;
    return 0;
}

int httpd_port(const struct httpd *h)
{
    return h->port;
}

void httpd_quiesce(struct httpd *h)
{
    MHD_socket fd = MHD_quiesce_daemon(h->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

long httpd_inflight(struct httpd *h)
{
    return atomic_load(&h->inflight);
}

void httpd_stop(struct httpd *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}

const char *http_method(const struct http_req *r)
{
    return r->method;
}

const char *http_path(const struct http_req *r)
{
    return r->url;
}

const char *http_header(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_arg(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(const struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct args_ctx {
    http_arg_cb cb;
    void *ctx;
    int rc;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
    struct args_ctx *a = cls;
    (void)kind;
    a->rc = a->cb(a->ctx, key, value ? value : "");
    return a->rc ? MHD_NO : MHD_YES;
}

int http_args(const struct http_req *r, http_arg_cb cb, void *ctx)
{
    struct args_ctx a = {cb, ctx, 0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_arg, &a);
    return a.rc;
}

const char *http_body(const struct http_req *r, size_t *len)
{
    *len = r->len;
    return r->body ? r->body : "";
}

const char *http_remote(const struct http_req *r)
{
    return r->remote;
}

void http_set_data(struct http_req *r, void *data, void (*free_fn)(void *))
{
    r->data = data;
    r->data_free = free_fn;
}

void *http_data(const struct http_req *r)
{
    return r->data;
}

struct http_resp *http_req_resp(struct http_req *r)
{
    return &r->resp;
}
