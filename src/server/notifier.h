#pragma once
/* The closed loop inside the server (docs/closed-loop.md), on two
 * threads with a database handle each:
 *
 *   the applier  applies the loop document to new responses the writer
 *                of submissions did not (ingest.c applies it in each
 *                group commit): those other processes stored, or a batch
 *                whose applying failed; five times a second and when
 *                poked. It also escalates the cases whose deadline
 *                passed;
 *   the sender   delivers the outbox: webhooks, chat and e-mail, retried
 *                with back-off. What it had not sent when the process
 *                died is still pending in the database, and is sent
 *                after a restart.
 *
 * Both notice a new loop document (resonans rules load, PUT /api/rules)
 * within a second. The applier also queues the weekly digest
 * (report/digest.h) when its time has come, on the server's column
 * store; that needs no loop document, nor does sending e-mail.
 */

struct err;
struct mail_server;
struct notifier;
struct resident;

/* The weekly digest's schedule (server_config digest_*). */
struct notifier_digest {
    const char *to;       /* comma-separated addresses; NULL or "" = none */
    int weekday;          /* 0 Monday .. 6 Sunday */
    int hour;             /* 0..23, Europe/Stockholm */
    struct resident *res; /* borrowed: outlives the notifier */
};

/* mail NULL or mail->url "": e-mail waits in the outbox. base_url: the
 * start of links when the loop document names none. digest NULL (or
 * without addresses): no weekly digest. Strings copied. ERR_NOTFOUND
 * when the digest's time zone is not installed. */
int notifier_start(struct notifier **out, const char *db,
                   const struct mail_server *mail, const char *base_url,
                   const struct notifier_digest *digest, struct err *err);
/* Something new was stored or the document changed: apply the rules and
 * send now. */
void notifier_poke(struct notifier *n);
/* Notifications were queued: send now. */
void notifier_send(struct notifier *n);
/* Stops both threads (a send in flight finishes first) and frees n. */
void notifier_stop(struct notifier *n);
