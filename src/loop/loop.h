#pragma once
/* The closed loop over the store (issue 11, docs/closed-loop.md): the
 * loop document (rules plus teams, calendar, notifications and recovery
 * surveys), applying it to new responses, the life of a case, escalation
 * when a deadline passes, the outbox's delivery, and the figures of the
 * inner and outer loop. Every function takes `now` (UTC seconds), so
 * tests drive the clock.
 *
 * The loop document:
 *   {"rules": [...],                                  (rules.h)
 *    "calendar": {"tz": "Europe/Stockholm", "open": "08:00",
 *                 "close": "17:00", "days_off": true},
 *    "teams": {"Kundservice": {"email": ["ks@example.se"],
 *                              "escalate_to": "Kundservicechef"}},
 *    "notify": {"email": {"mode": "immediate", "digest_hours": 24},
 *               "webhooks": [{"url": "https://...", "secret": "...",
 *                             "events": ["case.opened"]}],
 *               "chat": [{"url": "https://hooks.slack.com/..."}],
 *               "max_attempts": 10, "retry_seconds": 30},
 *    "recovery": {"survey": "aterkoppling"},
 *    "base_url": "https://feedback.example.se"} */

#include <stddef.h>
#include <stdint.h>

#include "loop/rules.h"
#include "stats/estimate.h"

struct err;
struct store;
struct loop_case;
struct bizcal;
struct mail_server;

struct loop;

/* Parses a loop document (errors name the JSON path). Caller frees. */
int loop_parse(struct loop **out, const char *json, size_t n, struct err *err);
/* The store's current document; ERR_NOTFOUND when none was loaded. */
int loop_load(struct loop **out, struct store *s, struct err *err);
void loop_free(struct loop *l);
/* The stored document's id (0 for one only parsed). */
int64_t loop_id(const struct loop *l);
const struct rules *loop_rules(const struct loop *l);
const struct bizcal *loop_calendar(const struct loop *l);

/* The address links in notifications and recovery e-mails start with,
 * when the document gives no "base_url" (the server's own). Copied. */
void loop_default_base_url(struct loop *l, const char *url);

/* Validates json and stores it as the current document (store_put_rules).
 * backfill_from: 0 = the rules apply to responses from now on; > 0 =
 * also to stored responses with ts >= backfill_from (cases opened at the
 * response's time, no notifications for them). */
int loop_store(struct store *s, const char *json, size_t n, const char *actor,
               int64_t backfill_from, struct err *err);

/* ---- the inner loop ---- */

struct loop_applied {
    long examined, opened, recovered; /* responses, new cases, recovery
                                       * answers linked to their case */
};
/* Applies l to the responses after the stored mark in one transaction:
 * opens cases (deadline by the calendar), queues their notifications,
 * links recovery answers to their cases, moves the mark. With no
 * document loaded (l NULL) it does nothing. Safe to run from several
 * handles: a response gets one case. */
int loop_apply(struct store *s, const struct loop *l, int64_t now,
               struct loop_applied *out, struct err *err);

/* The same inside the caller's open transaction, which it commits or
 * rolls back (the server's group commit: a response and its case are
 * stored together, and applying takes no write lock of its own). */
int loop_apply_in(struct store *s, const struct loop *l, int64_t now,
                  struct loop_applied *out, struct err *err);

/* Who acts: an audit actor, and an owner's visible touchpoints (comma-
 * separated keys; NULL = all cases). */
struct loop_actor {
    const char *name;
    const char *visible;
};

enum case_action {
    CASE_ASSIGN,  /* team and/or assignee */
    CASE_CONTACT, /* the customer was contacted: first contact */
    CASE_RESOLVE, /* with an optional recovery survey */
    CASE_CLOSE,
    CASE_NOTE
};
struct case_change {
    enum case_action action;
    const char *team;     /* ASSIGN: the new team, or NULL */
    const char *assignee; /* ASSIGN: a user name, or NULL */
    const char *note;     /* any action's note, or NULL (NOTE: required) */
    int recovery;         /* RESOLVE: 1 send, 0 not, -1 as configured */
};
/* Applies change to case id as actor: checks the actor sees it (else
 * ERR_NOTFOUND, as if it did not exist) and that the step is allowed
 * from its status (ERR_CONFLICT otherwise), writes it with an audit
 * entry, and queues notifications (a new team; the recovery survey). */
int loop_case_change(struct store *s, const struct loop *l, int64_t id,
                     const struct case_change *ch, const struct loop_actor *a,
                     int64_t now, struct err *err);

/* Escalation: every case not resolved whose deadline passed moves up one
 * level (its team's escalate_to is notified), and gets a new deadline
 * one SLA later. *n the cases escalated. */
int loop_sweep(struct store *s, const struct loop *l, int64_t now, long *n,
               struct err *err);

/* The signed link to survey for a customer at a touchpoint (the survey
 * pages' machinery, auth.h). base "" = relative. Caller frees. */
char *loop_survey_link(struct store *s, const char *base, const char *survey,
                       const char *touchpoint, const char *customer,
                       struct err *err);

/* ---- the outbox ---- */

struct loop_delivery {
    long sent, retried, dead;
};
/* Sends what is due (at most limit messages of each kind): webhooks and
 * chat through webhook.h, e-mail through mail (NULL: e-mail waits),
 * digests grouped by recipient. A failure is retried with doubling
 * back-off; after the last try the message is dead (the dead-letter
 * list). Without a document (l NULL) e-mail is still sent, immediate,
 * with 10 tries from 30 s (the weekly digest needs no loop); webhooks
 * and chat wait for one. */
int loop_deliver(struct store *s, const struct loop *l,
                 const struct mail_server *mail, int64_t now, long limit,
                 struct loop_delivery *out, struct err *err);
/* Makes dead message id pending again, due now. */
int loop_retry(struct store *s, int64_t id, int64_t now, struct err *err);
