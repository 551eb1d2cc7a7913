/* loop/mail.h: a message with a Swedish subject and body reaches a small
 * SMTP sink on loopback, and the test decodes its encoded-words and
 * base64 body itself; a refused recipient fails quoting the server's
 * reply; a closed port or a silent server fail within the timeout;
 * header injection is refused before any connection; body lines that
 * begin with '.' survive; long subjects fold at character boundaries. */
#include "harness.h"
#include "linesock.h"

#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "loop/mail.h"

#define FROM "resonans@example.se"
#define NOW 1764619421 /* date -u -d @1764619421 -R */
#define NOW_DATE "Mon, 01 Dec 2025 20:03:41 +0000"

/* A one-connection SMTP sink: just enough of RFC 5321 for libcurl. */
struct sink {
    int lfd, port;
    int rcpt_code; /* 250, or 550 to refuse every recipient */
    pthread_t th;
    char from[300];
    char rcpt[8][300];
    int n_rcpt;
    struct strbuf data; /* the DATA lines as received, dot-unstuffed */
    int bare_lf;        /* DATA lines ending in LF without CR */
    int messages;
};

static void *sink_run(void *arg)
{
    struct sink *s = arg;
    struct pollfd p = {s->lfd, POLLIN, 0};
    struct harness_conn c = {0};
    char line[2048];
    size_t n;
    /* never wait forever: a failing test must not hang the suite */
    if (poll(&p, 1, 10000) != 1 || (c.fd = accept(s->lfd, NULL, NULL)) < 0)
        return NULL;
    struct timeval tv = {10, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    harness_say(c.fd, "220 sink ESMTP\r\n");
    while (harness_conn_line(&c, line, sizeof line, &n) == 0) {
        if (!strncasecmp(line, "EHLO", 4)) {
            harness_say(c.fd, "250-sink greets you\r\n250 HELP\r\n");
        } else if (!strncasecmp(line, "HELO", 4)) {
            harness_say(c.fd, "250 sink\r\n");
        } else if (!strncasecmp(line, "MAIL FROM:", 10)) {
            harness_angle(line, s->from, sizeof s->from);
            harness_say(c.fd, "250 2.1.0 Ok\r\n");
        } else if (!strncasecmp(line, "RCPT TO:", 8)) {
            if (s->rcpt_code != 250) {
                harness_say(c.fd,
                            "550 5.1.1 Recipient address rejected: no such "
                            "user\r\n");
                continue;
            }
            if (s->n_rcpt < 8)
                harness_angle(line, s->rcpt[s->n_rcpt++], sizeof s->rcpt[0]);
            harness_say(c.fd, "250 2.1.5 Ok\r\n");
        } else if (!strncasecmp(line, "DATA", 4)) {
            harness_say(c.fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
            while (harness_conn_line(&c, line, sizeof line, &n) == 0) {
                if (!strcmp(line, ".\r\n") || !strcmp(line, ".\n"))
                    break;
                if (n >= 1 && line[n - 1] == '\n' &&
                    (n < 2 || line[n - 2] != '\r'))
                    s->bare_lf++;
                /* RFC 5321 4.5.2: a leading '.' was doubled */
                const char *l = line[0] == '.' ? line + 1 : line;
                strbuf_add(&s->data, l, n - (size_t)(l - line));
            }
            s->messages++;
            harness_say(c.fd, "250 2.0.0 Ok: queued\r\n");
        } else if (!strncasecmp(line, "QUIT", 4)) {
            harness_say(c.fd, "221 2.0.0 Bye\r\n");
            break;
        } else if (!strncasecmp(line, "RSET", 4) ||
                   !strncasecmp(line, "NOOP", 4)) {
            harness_say(c.fd, "250 2.0.0 Ok\r\n");
        } else {
            harness_say(c.fd, "502 5.5.2 Command not recognised\r\n");
        }
    }
    close(c.fd);
    return NULL;
}

static void sink_start(struct sink *s, int rcpt_code)
{
    memset(s, 0, sizeof *s);
    strbuf_init(&s->data, 1 << 22);
    s->rcpt_code = rcpt_code;
    s->lfd = harness_listen_any(&s->port, 4);
    assert_int_equal(pthread_create(&s->th, NULL, sink_run, s), 0);
}

static void sink_join(struct sink *s)
{
    pthread_join(s->th, NULL);
    close(s->lfd);
}

static void sink_free(struct sink *s)
{
    strbuf_dispose(&s->data);
}

static void server_at(struct mail_server *srv, char *url, size_t cap, int port,
                      long timeout_ms)
{
    snprintf(url, cap, "smtp://127.0.0.1:%d", port);
    memset(srv, 0, sizeof *srv);
    srv->url = url;
    srv->from = FROM;
    srv->timeout_ms = timeout_ms;
}

/* The unfolded value of header name in the message's header block, or
 * NULL; caller frees. */
static char *header(const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
    size_t nl = strlen(name);
    struct strbuf v = STRBUF_INIT;
    int in = 0;
    assert_non_null(end);
    while (p < end + 2) {
        const char *eol = strstr(p, "\r\n");
        if (in && (*p == ' ' || *p == '\t')) {
            strbuf_add(&v, p, (size_t)(eol - p));
        } else if (in) {
            break;
        } else if (!strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *q = p + nl + 1;
            while (*q == ' ')
                q++;
            strbuf_add(&v, q, (size_t)(eol - q));
            in = 1;
        }
        p = eol + 2;
    }
    size_t n;
    return in ? strbuf_detach(&v, &n) : NULL;
}

/* RFC 2047 decoding of a value made only of UTF-8 "B" encoded-words
 * (whitespace between them is dropped); any other value as it is. */
static char *decode_words(const char *v)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = v;
    if (!strstr(v, "=?"))
        return strdup(v);
    while (*p) {
        unsigned char bin[256];
        size_t bn;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        assert_int_equal(strncasecmp(p, "=?UTF-8?B?", 10), 0);
        const char *e = strstr(p + 10, "?=");
        assert_non_null(e);
        assert_true(e - p + 2 <= 75); /* RFC 2047: a word is 75 at most */
        assert_int_equal(
            sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(e - p - 10),
                              NULL, &bn, NULL, sodium_base64_VARIANT_ORIGINAL),
            0);
        strbuf_add(&out, bin, bn);
        p = e + 2;
    }
    size_t n;
    return strbuf_detach(&out, &n);
}

/* The base64 body after the blank line, decoded. Caller frees. */
static char *decode_body(const char *msg, size_t *n)
{
    const char *b = strstr(msg, "\r\n\r\n");
    size_t len;
    assert_non_null(b);
    b += 4;
    len = strlen(b);
    char *out = malloc(len + 1);
    assert_int_equal(sodium_base642bin((unsigned char *)out, len, b, len,
                                       "\r\n", n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    out[*n] = 0;
    return out;
}

/* s with every "\n" made "\r\n": what the body must decode to. */
static char *crlf(const char *s)
{
    struct strbuf b = STRBUF_INIT;
    for (; *s; s++)
        strbuf_puts(&b, *s == '\n' ? "\r\n" : (char[]){*s, 0});
    size_t n;
    return strbuf_detach(&b, &n);
}

/* Every line ends in CRLF and stays within RFC 5322's 78 characters. */
static void assert_lines_ok(const char *msg)
{
    const char *p = msg;
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_null(memchr(p, '\n', (size_t)(eol - p)));
        assert_in_range(eol - p, 0, 78);
        p = eol + 2;
    }
}

static void test_mail_swedish_message_arrives_intact(void **state)
{
    const char *to[] = {"kundtjanst@example.se", "driftchef@example.se"};
    const char *subject = "Nytt ärende: Missnöjd efter reparation";
    const char *text = "Hej!\n\nKunden på Storgatan 12 är missnöjd efter "
                       "reparationen av diskmaskinen.\nÅtgärda inom 8 "
                       "arbetstimmar. Svar: \"Ingen kom, och köket "
                       "luktar fortfarande bränt.\"\nÖppna ärendet: "
                       "https://resonans.example.se/cases/17\n";
    struct mail_message m = {to, 2, subject, text};
    struct mail_server srv;
    struct err err = ERR_INIT;
    struct sink s;
    char url[64];
    (void)state;
    sink_start(&s, 250);
    server_at(&srv, url, sizeof url, s.port, 5000);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), 0);
    sink_join(&s);

    assert_int_equal(s.messages, 1);
    assert_string_equal(s.from, FROM);
    assert_int_equal(s.n_rcpt, 2);
    assert_string_equal(s.rcpt[0], to[0]);
    assert_string_equal(s.rcpt[1], to[1]);
    assert_int_equal(s.bare_lf, 0);
    const char *msg = strbuf_str(&s.data);
    assert_lines_ok(msg);

    char *v = header(msg, "Subject");
    char *dec = decode_words(v);
    assert_string_equal(dec, subject);
    free(dec);
    free(v);
    v = header(msg, "Date");
    assert_string_equal(v, NOW_DATE);
    free(v);
    v = header(msg, "From");
    assert_string_equal(v, FROM);
    free(v);
    v = header(msg, "To");
    assert_string_equal(v, "kundtjanst@example.se, driftchef@example.se");
    free(v);
    v = header(msg, "Message-ID");
    assert_non_null(v);
    assert_int_equal(v[0], '<');
    assert_true(strlen(v) > 14);
    assert_string_equal(v + strlen(v) - 12, "@example.se>");
    free(v);
    v = header(msg, "MIME-Version");
    assert_string_equal(v, "1.0");
    free(v);
    v = header(msg, "Content-Type");
    assert_string_equal(v, "text/plain; charset=utf-8");
    free(v);
    v = header(msg, "Content-Transfer-Encoding");
    assert_string_equal(v, "base64");
    free(v);

    size_t n;
    char *body = decode_body(msg, &n), *want = crlf(text);
    assert_int_equal(n, strlen(want));
    assert_string_equal(body, want);
    free(body);
    free(want);
    sink_free(&s);
}

static void test_mail_refused_recipient_quotes_the_server(void **state)
{
    const char *to[] = {"finns-inte@example.se"};
    struct mail_message m = {to, 1, "Test", "Hej"};
    struct mail_server srv;
    struct err err = ERR_INIT;
    struct sink s;
    char url[64];
    (void)state;
    sink_start(&s, 550);
    server_at(&srv, url, sizeof url, s.port, 5000);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), ERR_IO);
    sink_join(&s);
    assert_int_equal(err.code, ERR_IO);
    assert_non_null(strstr(err.msg, "550 5.1.1"));
    assert_non_null(strstr(err.msg, "no such user"));
    assert_int_equal(s.messages, 0);
    sink_free(&s);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_mail_no_server_fails_within_timeout(void **state)
{
    const char *to[] = {"a@example.se"};
    struct mail_message m = {to, 1, "Test", "Hej"};
    struct mail_server srv;
    struct err err = ERR_INIT;
    struct timespec t0;
    char url[64];
    int port;
    (void)state;
    /* a port that was free a moment ago: nobody listens */
    close(harness_listen_any(&port, 4));
    server_at(&srv, url, sizeof url, port, 2000);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), ERR_IO);
    assert_true(seconds_since(&t0) < 2.5);
    assert_true(err.msg[0] != 0);

    /* a server that takes the connection and never greets */
    int fd = harness_listen_any(&port, 4);
    err_clear(&err);
    server_at(&srv, url, sizeof url, port, 500);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), ERR_IO);
    double took = seconds_since(&t0);
    assert_true(took >= 0.4 && took < 3.0);
    assert_non_null(strstr(err.msg, "timed out"));
    close(fd);
}

static void test_mail_injection_refused_before_connecting(void **state)
{
    static const struct {
        const char *from, *to, *subject, *where;
    } bad[] = {
        {FROM, "a@b.se\r\nBcc: x@y.se", "Hej", "to[1]"},
        {FROM, "a@b.se\nBcc: x@y.se", "Hej", "to[1]"},
        {FROM "\r\nBcc: x@y.se", "a@b.se", "Hej", "from"},
        {FROM, "Kalle <k@b.se>", "Hej", "to[1]"},
        {FROM, "<k@b.se>", "Hej", "to[1]"},
        {FROM, "a@b.se, x@y.se", "Hej", "to[1]"},
        {FROM, "a@b.se,x@y.se", "Hej", "to[1]"},
        {FROM, "ingen-snabel-a", "Hej", "to[1]"},
        {FROM, "@b.se", "Hej", "to[1]"},
        {FROM, "a@", "Hej", "to[1]"},
        {FROM, "a@b@c.se", "Hej", "to[1]"},
        {FROM, "", "Hej", "to[1]"},
        {FROM, "a@b.se", "Hej\r\nBcc: x@y.se", "subject"},
        {FROM, "a@b.se", "Hej\nBcc: x@y.se", "subject"},
        {FROM, "a@b.se", "Hej\r", "subject"},
        {FROM, "a@b.se", "trasig \xc3 UTF-8", "subject"},
    };
    struct mail_server srv;
    struct err err = ERR_INIT;
    char url[64], *out, sentinel[] = "untouched";
    int port, lfd = harness_listen_any(&port, 4);
    (void)state;
    server_at(&srv, url, sizeof url, port, 2000);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *to[] = {"ok@example.se", bad[i].to};
        struct mail_message m = {to, 2, bad[i].subject, "Hej"};
        srv.from = bad[i].from;
        err_clear(&err);
        assert_int_equal(mail_send(&srv, &m, NOW, &err), ERR_INVALID);
        assert_string_equal(err.where, bad[i].where);
        err_clear(&err);
        out = sentinel;
        assert_int_equal(mail_compose(&out, NULL, &srv, &m, NOW, &err),
                         ERR_INVALID);
        assert_null(out);
    }
    srv.from = FROM;

    /* no recipients */
    struct mail_message none = {NULL, 0, "Hej", "Hej"};
    err_clear(&err);
    assert_int_equal(mail_send(&srv, &none, NOW, &err), ERR_INVALID);
    assert_string_equal(err.where, "to");

    /* a password would cross the network in clear */
    const char *to[] = {"a@b.se"};
    struct mail_message m = {to, 1, "Hej", "Hej"};
    srv.user = "resonans";
    srv.password = "hemligt";
    err_clear(&err);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), ERR_INVALID);
    assert_string_equal(err.where, "password");

    /* and nothing ever connected */
    struct pollfd p = {lfd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, 200), 0);
    close(lfd);
}

static void test_mail_lines_beginning_with_dot_survive(void **state)
{
    const char *to[] = {"a@example.se"};
    /* a lone "." would end DATA unless stuffed; base64 keeps any '.'
     * from beginning a line, and this holds whatever the encoding */
    const char *text = ".\n..\n.punkt först\nmitten\n. \n.";
    struct mail_message m = {to, 1, "Punkter", text};
    struct mail_server srv;
    struct err err = ERR_INIT;
    struct sink s;
    char url[64];
    (void)state;
    sink_start(&s, 250);
    server_at(&srv, url, sizeof url, s.port, 5000);
    assert_int_equal(mail_send(&srv, &m, NOW, &err), 0);
    sink_join(&s);
    assert_int_equal(s.messages, 1);
    size_t n;
    char *body = decode_body(strbuf_str(&s.data), &n), *want = crlf(text);
    assert_int_equal(n, strlen(want));
    assert_string_equal(body, want);
    free(body);
    free(want);
    sink_free(&s);
}

static void test_mail_long_subject_folds_between_characters(void **state)
{
    const char *to[] = {"a@example.se"};
    struct mail_server srv;
    struct err err = ERR_INIT;
    char url[64], subject[MAIL_MAX_SUBJECT + 2], *out = NULL;
    struct strbuf sb = STRBUF_INIT;
    (void)state;
    server_at(&srv, url, sizeof url, 25, 1000);
    /* 2-byte characters at every offset against the 39-byte words */
    for (int i = 0; i < 60; i++)
        strbuf_puts(&sb, i % 3 ? "ö" : "x");
    const char *subjects[] = {
        sb.p,
        "Plain ASCII that is far too long for one header line, "
        "so it goes as words",
        "Kort",
        "",
        "=?UTF-8?B?bm90IGVuY29kZWQ=?= is text",
        "tab\there"};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        struct mail_message m = {to, 1, subjects[i], ""};
        assert_int_equal(mail_compose(&out, NULL, &srv, &m, NOW, &err), 0);
        assert_lines_ok(out);
        char *v = header(out, "Subject"), *dec = decode_words(v);
        assert_string_equal(dec, subjects[i]);
        free(dec);
        free(v);
        free(out);
    }
    /* an empty body is an empty base64 section */
    struct mail_message m = {to, 1, "Kort", NULL};
    size_t len;
    assert_int_equal(mail_compose(&out, &len, &srv, &m, NOW, &err), 0);
    assert_int_equal(len, strlen(out));
    assert_string_equal(out + len - 4, "\r\n\r\n");
    free(out);
    /* the subject's limit */
    memset(subject, 'a', sizeof subject - 1);
    subject[sizeof subject - 1] = 0;
    m.subject = subject;
    assert_int_equal(mail_compose(&out, NULL, &srv, &m, NOW, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "subject");
    strbuf_dispose(&sb);
}

static int setup(void **state)
{
    (void)state;
    return mail_global_init();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail_swedish_message_arrives_intact),
        cmocka_unit_test(test_mail_refused_recipient_quotes_the_server),
        cmocka_unit_test(test_mail_no_server_fails_within_timeout),
        cmocka_unit_test(test_mail_injection_refused_before_connecting),
        cmocka_unit_test(test_mail_lines_beginning_with_dot_survive),
        cmocka_unit_test(test_mail_long_subject_folds_between_characters),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
