#pragma once
/* The closed loop inside the server (docs/closed-loop.md), on two
 * threads with a database handle each:
 *
 *   the applier  applies the loop document to every new response, woken
 *                by each group commit (a case exists well within a second
 *                of the answer) and at least five times a second (for
 *                responses another process stored), and escalates the
 *                cases whose deadline passed;
 *   the sender   delivers the outbox: webhooks, chat and e-mail, retried
 *                with back-off. What it had not sent when the process
 *                died is still pending in the database, and is sent
 *                after a restart.
 *
 * Both notice a new loop document (resonans rules load, PUT /api/rules)
 * within a second. */

struct err;
struct mail_server;
struct notifier;

/* mail NULL or mail->url "": e-mail waits in the outbox. base_url: the
 * start of links when the loop document names none. Both copied. */
int notifier_start(struct notifier **out, const char *db,
                   const struct mail_server *mail, const char *base_url,
                   struct err *err);
/* Something new was stored: apply the rules now. */
void notifier_poke(struct notifier *n);
/* Stops both threads (a send in flight finishes first) and frees n. */
void notifier_stop(struct notifier *n);
