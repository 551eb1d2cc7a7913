#include "loop/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/utf8.h"

int mail_global_init(void)
{
    if (sodium_init() < 0)
        return -1;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int check_addr(const char *a, const char *field, struct err *err)
{
    size_t n, at = 0, n_at = 0;
    if (!a || !*a)
        return err_at(err, ERR_INVALID, field, 0, 0, "no address");
    n = strlen(a);
    if (n > MAIL_MAX_ADDR)
        return err_at(err, ERR_INVALID, field, 0, 0,
                      "address longer than %d bytes", MAIL_MAX_ADDR);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c == '\r' || c == '\n')
            return err_at(err, ERR_INVALID, field, 0, 0,
                          "address holds a line break");
        if (c < 0x20 || c == 0x7f)
            return err_at(err, ERR_INVALID, field, 0, 0,
                          "address holds a control character");
        if (c >= 0x80)
            return err_at(err, ERR_INVALID, field, 0, 0,
                          "address is not ASCII (write the domain in "
                          "punycode)");
        if (strchr(" <>(),;:\\\"", c))
            return err_at(err, ERR_INVALID, field, 0, 0, "address holds '%c'",
                          c);
        if (c == '@') {
            n_at++;
            at = i;
        }
    }
    if (n_at != 1 || at == 0 || at == n - 1)
        return err_at(err, ERR_INVALID, field, 0, 0,
                      "address is not local@domain");
    return 0;
}

/* Control characters would end or forge a header line; TAB is text. */
static int check_subject(const char *s, struct err *err)
{
    size_t n = strlen(s);
    if (n > MAIL_MAX_SUBJECT)
        return err_at(err, ERR_INVALID, "subject", 0, 0,
                      "too large: more than %d bytes", MAIL_MAX_SUBJECT);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n')
            return err_at(err, ERR_INVALID, "subject", 0, 0,
                          "holds a line break");
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return err_at(err, ERR_INVALID, "subject", 0, 0,
                          "holds a control character");
    }
    if (utf8_valid_prefix(s, n) != n)
        return err_at(err, ERR_INVALID, "subject", 0, 0,
                      "not UTF-8 at byte %zu", utf8_valid_prefix(s, n));
    return 0;
}

static int check_message(const struct mail_server *srv,
                         const struct mail_message *m, struct err *err)
{
    int rc;
    char field[32];
    const char *text = m->text ? m->text : "";
    size_t n;
    if ((rc = check_addr(srv->from, "from", err)) < 0)
        return rc;
    if (m->n_to == 0 || !m->to)
        return err_at(err, ERR_INVALID, "to", 0, 0, "no recipients");
    if (m->n_to > MAIL_MAX_RCPT)
        return err_at(err, ERR_INVALID, "to", 0, 0, "more than %d recipients",
                      MAIL_MAX_RCPT);
    for (size_t i = 0; i < m->n_to; i++) {
        snprintf(field, sizeof field, "to[%zu]", i);
        if ((rc = check_addr(m->to[i], field, err)) < 0)
            return rc;
    }
    if ((rc = check_subject(m->subject ? m->subject : "", err)) < 0)
        return rc;
    n = strlen(text);
    if (n > MAIL_MAX_TEXT)
        return err_at(err, ERR_INVALID, "text", 0, 0,
                      "too large: more than %u bytes", MAIL_MAX_TEXT);
    if (utf8_valid_prefix(text, n) != n)
        return err_at(err, ERR_INVALID, "text", 0, 0, "not UTF-8 at byte %zu",
                      utf8_valid_prefix(text, n));
    return 0;
}

/* RFC 5322 date-time in UTC, with English names whatever the locale. */
static int put_date(struct strbuf *b, int64_t now, struct err *err)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                    "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    time_t t = (time_t)now;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1970 ||
        tm.tm_year + 1900 > 9999)
        return err_set(err, ERR_INVALID, "date out of range: %lld",
                       (long long)now);
    strbuf_printf(b, "Date: %s, %02d %s %d %02d:%02d:%02d +0000\r\n",
                  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return 0;
}

static void put_base64(struct strbuf *b, const unsigned char *p, size_t n)
{
    char out[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(out, sizeof out, p, n, sodium_base64_VARIANT_ORIGINAL);
    strbuf_puts(b, out);
}

/* Short printable ASCII stays as it is; anything else becomes UTF-8 "B"
 * encoded-words of at most 39 bytes (52 base64 characters), whole
 * characters each, so every line stays under RFC 2047's 76. */
static void put_subject(struct strbuf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    int plain = n <= 69 && !strstr(s, "=?");
    for (size_t k = 0; k < n && plain; k++)
        plain = s[k] >= 0x20 && s[k] < 0x7f;
    if (plain) {
        strbuf_puts(b, n ? "Subject: " : "Subject:");
        strbuf_puts(b, s);
        strbuf_puts(b, "\r\n");
        return;
    }
    strbuf_puts(b, "Subject:");
    while (i < n) {
        size_t j = i;
        while (j < n) {
            size_t k = utf8_seq((const unsigned char *)s + j, n - j);
            if (k == 0 || j + k - i > 39)
                break;
            j += k;
        }
        if (j == i) /* cannot happen: the subject was checked */
            j = i + 1;
        strbuf_puts(b, i ? "\r\n =?UTF-8?B?" : " =?UTF-8?B?");
        put_base64(b, (const unsigned char *)s + i, j - i);
        strbuf_puts(b, "?=");
        i = j;
    }
    strbuf_puts(b, "\r\n");
}

/* One address a line after the first, so no line grows with the list. */
static void put_to(struct strbuf *b, const struct mail_message *m)
{
    strbuf_puts(b, "To: ");
    for (size_t i = 0; i < m->n_to; i++)
        strbuf_printf(b, "%s%s", i ? ",\r\n " : "", m->to[i]);
    strbuf_puts(b, "\r\n");
}

/* The text with CRLF line ends (its canonical form), in base64 lines of
 * 76 characters. */
static void put_body(struct strbuf *b, const char *text)
{
    struct strbuf crlf = STRBUF_INIT;
    for (const char *p = text; *p; p++) {
        if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
            strbuf_puts(&crlf, "\r\n");
        else if (*p != '\r')
            strbuf_putc(&crlf, *p);
    }
    for (size_t i = 0; i < crlf.n; i += 57) {
        size_t k = crlf.n - i < 57 ? crlf.n - i : 57;
        put_base64(b, (const unsigned char *)crlf.p + i, k);
        strbuf_puts(b, "\r\n");
    }
    strbuf_dispose(&crlf);
}

int mail_compose(char **out, size_t *len, const struct mail_server *srv,
                 const struct mail_message *m, int64_t now, struct err *err)
{
    struct strbuf b = STRBUF_INIT;
    unsigned char id[16];
    char hex[33];
    int rc;
    *out = NULL;
    if ((rc = check_message(srv, m, err)) < 0 ||
        (rc = put_date(&b, now, err)) < 0)
        goto done;
    if (sodium_init() < 0) {
        rc = err_set(err, ERR_INTERNAL, "libsodium did not initialise");
        goto done;
    }
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    strbuf_printf(&b, "From: %s\r\n", srv->from);
    put_to(&b, m);
    put_subject(&b, m->subject ? m->subject : "");
    strbuf_printf(&b, "Message-ID: <%s@%s>\r\n", hex,
                  strchr(srv->from, '@') + 1);
    /* RFC 3834: out-of-office replies must not answer us */
    strbuf_puts(&b, "Auto-Submitted: auto-generated\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: base64\r\n"
                    "\r\n");
    put_body(&b, m->text ? m->text : "");
    size_t n;
    *out = strbuf_detach(&b, &n);
    if (len)
        *len = n;
done:
    strbuf_dispose(&b);
    return rc;
}

struct reader {
    const char *p;
    size_t n, off;
};

static size_t read_msg(char *buf, size_t size, size_t nitems, void *ctx)
{
    struct reader *r = ctx;
    size_t k = size * nitems;
    if (k > r->n - r->off)
        k = r->n - r->off;
    memcpy(buf, r->p + r->off, k);
    r->off += k;
    return k;
}

/* The server's last 4xx/5xx reply line, control characters replaced:
 * libcurl's own message keeps only the code. A later positive reply
 * clears it (an EHLO refused, then HELO taken), except the 221 that
 * answers the QUIT after a failure. */
#define REPLY_CAP 160

static int on_debug(CURL *c, curl_infotype type, char *data, size_t n,
                    void *ctx)
{
    char *reply = ctx;
    (void)c;
    if (type != CURLINFO_HEADER_IN || n < 3)
        return 0;
    if (data[0] != '4' && data[0] != '5') {
        if (strncmp(data, "221", 3) != 0)
            reply[0] = 0;
        return 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < REPLY_CAP; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\r' || ch == '\n')
            break;
        reply[k++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    reply[k] = 0;
    return 0;
}

/* Credentials go only over TLS: smtps://, or smtp:// with STARTTLS. */
static int check_server(const struct mail_server *srv, struct err *err)
{
    int tls;
    if (!srv->url)
        return err_at(err, ERR_INVALID, "url", 0, 0, "no server");
    tls = strncasecmp(srv->url, "smtps://", 8) == 0;
    if (!tls && strncasecmp(srv->url, "smtp://", 7) != 0)
        return err_at(err, ERR_INVALID, "url", 0, 0,
                      "must begin smtp:// or smtps://");
    if (srv->user && !tls && !srv->starttls)
        return err_at(err, ERR_INVALID, "password", 0, 0,
                      "would be sent in clear: use smtps:// or starttls");
    return 0;
}

int mail_send(const struct mail_server *srv, const struct mail_message *m,
              int64_t now, struct err *err)
{
    char *msg = NULL;
    size_t len = 0;
    CURL *c = NULL;
    struct curl_slist *rcpt = NULL;
    char line[MAIL_MAX_ADDR + 3]; /* <address> */
    char errbuf[CURL_ERROR_SIZE] = "";
    char reply[REPLY_CAP] = "";
    int rc;
    if ((rc = check_server(srv, err)) < 0 ||
        (rc = mail_compose(&msg, &len, srv, m, now, err)) < 0)
        goto done;
    if (!(c = curl_easy_init())) {
        rc = err_set(err, ERR_INTERNAL, "curl_easy_init failed");
        goto done;
    }
    for (size_t i = 0; i < m->n_to; i++) {
        snprintf(line, sizeof line, "<%s>", m->to[i]);
        rcpt = curl_slist_append(rcpt, line);
    }
    snprintf(line, sizeof line, "<%s>", srv->from);
    struct reader r = {msg, len, 0};
    curl_easy_setopt(c, CURLOPT_URL, srv->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, line);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_msg);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    if (srv->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD,
                         srv->password ? srv->password : "");
    }
    if (srv->starttls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     srv->timeout_ms > 0 ? srv->timeout_ms : 30000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads */
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    /* verbose only to reach on_debug, which prints nothing */
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, reply);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        if (reply[0])
            rc = err_set(err, ERR_IO, "sending mail: %.90s (server: %s)", why,
                         reply);
        else
            rc = err_set(err, ERR_IO, "sending mail: %.200s", why);
    }
done:
    curl_slist_free_all(rcpt);
    if (c)
        curl_easy_cleanup(c);
    free(msg);
    return rc;
}
