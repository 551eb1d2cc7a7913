#pragma once
/* The closed loop's tables (schema 7, docs/closed-loop.md): the rule set,
 * cases with their notes, the notification outbox and the improvements
 * marked done. None of these writes is analysed data: they never advance
 * the data version, so a new case leaves every column-store snapshot
 * current. Like every write, one outside a transaction ends the handle's
 * read snapshot (store.h). */

#include <stddef.h>
#include <stdint.h>

struct err;
struct store;

/* ---- the rule set and how far it has been applied ---- */

/* Stores a rule set (JSON text, validated by the caller) as the current
 * one. applied_after: the response id from which it applies (responses
 * with larger ids are examined by the next store_scan_rule_inputs
 * caller); -1 = the newest response now (rules apply to new responses). */
int store_put_rules(struct store *s, const char *json, const char *actor,
                    int64_t applied_after, struct err *err);
/* The current rule set: *json (caller frees) and its id (increases with
 * every load). ERR_NOTFOUND when none was ever loaded. */
int store_get_rules(struct store *s, char **json, int64_t *id, struct err *err);
/* The largest response id rules have been applied to. */
int store_rules_applied(struct store *s, int64_t *after, struct err *err);
int store_set_rules_applied(struct store *s, int64_t after, struct err *err);

/* One response as a rule sees it. Borrowed for the callback. */
struct rule_row {
    int64_t response_id, customer_id, touchpoint_id, ts;
    const char *customer;   /* ext id or NULL */
    const char *touchpoint; /* key */
    const char *owner_team; /* the touchpoint's, or NULL */
    const char *channel;    /* key */
    const char *survey;     /* the response's attrs "survey", or NULL */
    int employee;           /* an employee's response */
    int nps, csat, ces;     /* -1 when not given */
    double sentiment;       /* the lowest comment score; NAN without one */
    const char *themes;     /* comma-separated theme keys its comments
                             * mention, the most negative first; "" none */
    int consent;            /* attrs "contact" is yes/ja/true/1 */
};
typedef int (*store_rule_row_cb)(void *ctx, const struct rule_row *r);
/* Responses with ids above after, in id order. */
int store_scan_rule_inputs(struct store *s, int64_t after, store_rule_row_cb cb,
                           void *ctx, struct err *err);

/* ---- cases ---- */

enum case_status {
    CASE_OPEN,
    CASE_ASSIGNED,
    CASE_CONTACTED,
    CASE_RESOLVED,
    CASE_CLOSED
};
#define CASE_N_STATUS 5
/* "open", ...; "?" out of range. */
const char *case_status_name(enum case_status st);
int case_status_parse(enum case_status *out, const char *s);

struct loop_case {
    int64_t id;          /* set by store_put_case */
    int64_t response_id; /* the response that opened it; one case each */
    int64_t customer_id; /* 0 = anonymous */
    int64_t touchpoint_id;
    const char *customer;   /* out: ext id */
    const char *touchpoint; /* out: key */
    const char *rule;       /* the rule's key */
    const char *team;       /* the team that owns it now */
    const char *assignee;   /* a user name, or NULL */
    const char *theme;      /* its improvement area's theme, or NULL */
    int priority;           /* enum case_priority (loop/rules.h) */
    enum case_status status;
    double sla_hours;
    int64_t opened, due; /* UTC seconds; due: the current deadline */
    int64_t first_contact, resolved, closed; /* 0 = not yet */
    int escalation;                          /* levels escalated so far */
    int64_t escalated;                       /* when last, or 0 */
    const char *recovery_survey;             /* key, or NULL */
    int64_t recovery_sent;                   /* 0 = none */
    int64_t recovery_response_id;            /* 0 = not answered */
};

/* Inserts a case; c->id set. *inserted = 0 (and c->id the existing one)
 * when the response has a case already. */
int store_put_case(struct store *s, struct loop_case *c, int *inserted,
                   struct err *err);
/* Writes the mutable fields (team .. recovery_response_id) of case c->id,
 * when its status is still `expect` (optimistic: another writer's
 * change wins and this one gets ERR_CONFLICT). ERR_NOTFOUND. */
int store_update_case(struct store *s, const struct loop_case *c,
                      enum case_status expect, struct err *err);

/* A case copied out of a scan (whose rows are live), its strings owned. */
struct loop_case_copy {
    struct loop_case c;
    char *s[7];
    int any; /* 1 once a case was copied */
};
/* A store_case_cb: copies the case into ctx (a struct loop_case_copy
 * that is empty or disposed) and stops the scan. */
int loop_case_copy_first(void *ctx, const struct loop_case *c);
/* Sets one of k->c's string fields (&k->c.team, ...) to a copy of v. */
void loop_case_copy_set(struct loop_case_copy *k, const char **field,
                        const char *v);
void loop_case_copy_dispose(struct loop_case_copy *k);

struct case_filter {
    int64_t id;           /* 0 = any */
    unsigned status_mask; /* bits 1 << status; 0 = any */
    const char *team;     /* NULL = any */
    const char *touchpoint;
    /* An owner's view: only cases at these touchpoints (comma-separated
     * keys) or owned by those touchpoints' teams. NULL = every case. */
    const char *visible;
    int64_t due_before;  /* >0: not yet resolved and due before this */
    int64_t from, to;    /* >0: opened in [from, to) */
    int64_t customer_id; /* >0: that customer's */
    int64_t response_id; /* >0: the case of that response */
    int64_t after_id;    /* ids above this */
    long limit;          /* 0 = no limit */
};
#define CASE_FILTER_INIT                                                       \
    {                                                                          \
        0                                                                      \
    }
typedef int (*store_case_cb)(void *ctx, const struct loop_case *c);
/* Cases in id order. The row is live: the callback may read, not write. */
int store_scan_cases(struct store *s, const struct case_filter *f,
                     store_case_cb cb, void *ctx, struct err *err);

struct case_note {
    int64_t id, case_id, ts;
    const char *actor, *text;
};
int store_put_case_note(struct store *s, struct case_note *n, struct err *err);
typedef int (*store_case_note_cb)(void *ctx, const struct case_note *n);
int store_scan_case_notes(struct store *s, int64_t case_id,
                          store_case_note_cb cb, void *ctx, struct err *err);

/* A customer's e-mail address: their attribute "email" (or "e-post"),
 * *email NULL when they have none (caller frees). */
int store_customer_email(struct store *s, int64_t customer_id, char **email,
                         struct err *err);

/* ---- the outbox: notifications waiting to go out ----
 * Written in the transaction that made their reason (a new case), so an
 * acknowledged case's notification cannot be lost; sent by the server's
 * notifier and retried with back-off; after the last try, dead (the
 * dead-letter list) until someone retries it. */

enum outbox_state { OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_DEAD };
const char *outbox_state_name(enum outbox_state st);

struct outbox_msg {
    int64_t id;
    int64_t case_id;     /* 0 = none (a digest) */
    const char *kind;    /* "webhook", "chat" or "email" */
    const char *target;  /* URL, or an e-mail address */
    const char *event;   /* "case.opened", "case.escalated", ... */
    const char *payload; /* the body: JSON, or the e-mail's text */
    const char *subject; /* e-mail only, or NULL */
    enum outbox_state state;
    int attempts;
    int64_t created, next_at, sent_at;
    const char *last_error; /* NULL when none */
};
int store_put_outbox(struct store *s, struct outbox_msg *m, struct err *err);
/* Pending messages of kind (NULL = any) with next_at <= now, oldest
 * first, at most limit. */
int store_due_outbox(struct store *s, int64_t now, const char *kind, long limit,
                     int (*cb)(void *ctx, const struct outbox_msg *m),
                     void *ctx, struct err *err);
/* Records a try: state, attempts, next_at, sent_at and last_error of
 * m->id. ERR_NOTFOUND. */
int store_update_outbox(struct store *s, const struct outbox_msg *m,
                        struct err *err);
/* Messages in one state (or every state: state < 0), newest first. */
int store_list_outbox(struct store *s, int state, long limit,
                      int (*cb)(void *ctx, const struct outbox_msg *m),
                      void *ctx, struct err *err);
/* The earliest next_at of a pending message, or 0 when none. */
int store_outbox_next(struct store *s, int64_t *next_at, struct err *err);
/* The latest `created` of a message with this event (in any state, e.g.
 * "digest.weekly"), or 0 when none. */
int store_outbox_last(struct store *s, const char *event, int64_t *created,
                      struct err *err);

/* ---- improvements: the outer loop ---- */

struct improvement {
    int64_t id;
    const char *theme;      /* NULL = the touchpoint as a whole */
    int64_t touchpoint_id;  /* in */
    const char *touchpoint; /* out: key */
    const char *title;
    int64_t done_at; /* when it took effect, UTC seconds */
    const char *actor;
};
int store_put_improvement(struct store *s, struct improvement *im,
                          struct err *err);
int store_list_improvements(struct store *s,
                            int (*cb)(void *ctx, const struct improvement *im),
                            void *ctx, struct err *err);

/* ---- aggregates for case metrics and improvement areas ---- */

/* Responses at a touchpoint (touchpoint_id 0 = all) with ts in [from, to)
 * (0 = open): nps_hist[0..11) the NPS answers; comments: those with an
 * analysed comment; mention: of those, the ones mentioning theme (NULL =
 * none counted); n: all responses. */
struct window_counts {
    int64_t n, comments, mention;
    int64_t nps_hist[11];
};
int store_window_counts(struct store *s, int64_t touchpoint_id,
                        const char *theme, int64_t from, int64_t to,
                        struct window_counts *out, struct err *err);
/* Responses per touchpoint with ts in [from, to) (0 = open). */
int store_count_by_touchpoint(struct store *s, int64_t from, int64_t to,
                              int (*cb)(void *ctx, int64_t touchpoint_id,
                                        int64_t n),
                              void *ctx, struct err *err);
/* NPS answers of the customers behind cases, per area: for each (theme,
 * touchpoint) of cases opened in [from, to) (0 = open), the histogram
 * of every NPS answer those customers gave at that touchpoint. theme
 * NULL for cases without one. */
int store_area_customer_nps(struct store *s, int64_t from, int64_t to,
                            int (*cb)(void *ctx, const char *theme,
                                      int64_t touchpoint_id,
                                      const int64_t hist[11]),
                            void *ctx, struct err *err);
