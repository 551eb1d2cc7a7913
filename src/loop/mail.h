#pragma once
/* E-mail from the closed loop (issue 11): case notifications and digests
 * sent once through a configured SMTP server with libcurl. The durable
 * outbox decides when to try again. docs/closed-loop.md.
 *
 * Addresses are plain ASCII "local@domain" with nothing around them: a
 * CR, LF or other control character, a space, any of < > ( ) , ; : \ "
 * or anything but one '@' between two non-empty parts is refused, so a
 * value from a rule or a customer record can never add a header or a
 * recipient. A domain outside ASCII is written in punycode. */

#include <stddef.h>
#include <stdint.h>

struct err;

#define MAIL_MAX_ADDR 254        /* RFC 5321's limit on a path */
#define MAIL_MAX_RCPT 100        /* recipients in one message */
#define MAIL_MAX_SUBJECT 900     /* bytes of UTF-8 */
#define MAIL_MAX_TEXT (1u << 20) /* bytes of UTF-8 in the body */

struct mail_server {
    const char *url;      /* "smtp://host:port" or "smtps://host:port" */
    const char *user;     /* NULL: no AUTH */
    const char *password; /* with user */
    const char *from;     /* envelope sender and From: address */
    int starttls;         /* 1: on smtp://, require STARTTLS */
    long timeout_ms;      /* the whole exchange; <= 0: 30 s */
};

struct mail_message {
    const char *const *to; /* n_to addresses, 1..MAIL_MAX_RCPT */
    size_t n_to;
    const char *subject; /* UTF-8, one line; NULL = empty */
    const char *text;    /* UTF-8 plain text; NULL = empty */
};

/* Once per process, before any thread sends (curl_global_init and
 * sodium_init). 0 or -1. */
int mail_global_init(void);

/* Builds the RFC 5322 message into *out (caller frees with free()),
 * *len its length (may be NULL): Date (now, in UTC), From, To, Subject
 * (RFC 2047 encoded-words, folded, when not short printable ASCII),
 * Message-ID (random, at the From domain), Auto-Submitted, MIME-Version
 * and a text/plain; charset=utf-8 body in base64. The text's line ends
 * become CRLF, text's canonical form; every line ends in CRLF.
 * ERR_INVALID with where naming the field ("from", "to[2]", "subject",
 * "text") for a refused address, no recipients or too many, a subject
 * holding CR or LF or another control character, text that is not UTF-8
 * or is larger than its limit. */
int mail_compose(char **out, size_t *len, const struct mail_server *srv,
                 const struct mail_message *m, int64_t now, struct err *err);

/* Composes and sends the message once, to every address in m->to.
 * Returns 0 when the server took it; ERR_INVALID as mail_compose, or
 * naming "url" (not smtp:// or smtps://) or "password" (it would cross
 * the network in clear: use smtps:// or starttls), before any
 * connection; ERR_IO when the exchange failed, the message saying why
 * and quoting the server's last error reply (a refused recipient, say)
 * when there is one. A refused recipient fails the whole message. */
int mail_send(const struct mail_server *srv, const struct mail_message *m,
              int64_t now, struct err *err);
