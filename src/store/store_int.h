#pragma once
/* Private to src/store: the backend contract. A backend is a versioned
 * table of functions in its own file (libgit2 odb backends, SQLite's
 * sqlite3_io_methods). store.c checks arguments, counts writes for fault
 * injection and dispatches here. */

#include <stddef.h>

#include "store/store.h"
#include "store/store_loop.h"

/* 2: update_customer, scan_segments, scan_response_attrs, scan_answers;
 * touchpoint aliases, response attrs and unscored analyses in the records. */
/* 3: version, bump_version; scans of customers, segments, facts and
 * analyses take a lower id bound. */
/* 4: erase_customer. */
/* 5: users and access: users, sessions, API tokens, the audit log,
 * secrets, survey definitions (none advances the data version). */
/* 6: checkpoint_passive, set_autocheckpoint (how much log the server's
 * writer lets grow before it copies it), expire_comments (retention). */
/* 7: scan_responses takes an id range; 8: scan_answers and scan_attr a
 * lower id bound (the server extends loaded columns by the new rows). */
/* 9: the closed loop (store_loop.h): rules, cases, notes, the outbox,
 * improvements and their aggregates. */
/* 10: outbox_last (the weekly digest's schedule). */
#define STORE_OPS_VERSION 10

struct store_ops {
    unsigned version;
    const char *name;
    int (*open)(void **impl, const char *target, struct err *err);
    void (*close)(void *impl);
    int (*schema_version)(void *impl);
    int (*begin)(void *impl, int bulk, struct err *err);
    int (*commit)(void *impl, struct err *err);
    void (*rollback)(void *impl);
    int (*put_journey)(void *impl, struct journey *j, struct err *err);
    int (*put_stage)(void *impl, struct stage *st, struct err *err);
    int (*put_touchpoint)(void *impl, struct touchpoint *t, struct err *err);
    int (*put_channel)(void *impl, struct channel *c, struct err *err);
    int (*put_survey)(void *impl, struct survey *sv, struct err *err);
    int (*put_question)(void *impl, struct question *q, struct err *err);
    int (*list_touchpoints)(void *impl, store_touchpoint_cb cb, void *ctx,
                            struct err *err);
    int (*list_stages)(void *impl, store_stage_cb cb, void *ctx,
                       struct err *err);
    int (*list_channels)(void *impl, store_channel_cb cb, void *ctx,
                         struct err *err);
    int (*put_customer)(void *impl, struct customer *c, int *inserted,
                        struct err *err);
    int (*put_employee)(void *impl, struct employee *e, int *inserted,
                        struct err *err);
    int (*update_customer)(void *impl, struct customer *c, int64_t since,
                           int *changed, struct err *err);
    /* after: only rows whose (customer, response) id is above it */
    int (*scan_customers)(void *impl, int64_t after, store_customer_cb cb,
                          void *ctx, struct err *err);
    int (*scan_segments)(void *impl, int64_t after, store_segment_cb cb,
                         void *ctx, struct err *err);
    int (*scan_employees)(void *impl, store_employee_cb cb, void *ctx,
                          struct err *err);
    int (*put_response)(void *impl, struct response *r, int *inserted,
                        struct err *err);
    int (*put_responses)(void *impl, struct response *rows, size_t n,
                         int64_t *inserted, int64_t *present, struct err *err);
    int (*erase_customer)(void *impl, const char *ext_id, const char *actor,
                          const char *subject, struct store_erased *out,
                          struct err *err);
    int (*put_event)(void *impl, struct event *e, int *inserted,
                     struct err *err);
    int (*scan_facts)(void *impl, int64_t after, store_fact_cb cb, void *ctx,
                      struct err *err);
    int (*scan_responses)(void *impl, int64_t from, int64_t to,
                          store_response_cb cb, void *ctx, struct err *err);
    int (*scan_response_attrs)(void *impl, store_attrs_cb cb, void *ctx,
                               struct err *err);
    int (*scan_answers)(void *impl, unsigned kinds, int64_t after,
                        store_answer_cb cb, void *ctx, struct err *err);
    int (*scan_events)(void *impl, store_event_cb cb, void *ctx,
                       struct err *err);
    int (*count)(void *impl, struct store_counts *out, struct err *err);
    int (*scan_analyses)(void *impl, int64_t after, store_analysis_cb cb,
                         void *ctx, struct err *err);
    int (*data_version)(void *impl, struct store_version *out, struct err *err);
    /* Advances the data version by one, recording `changes` (a mask of
     * enum store_change), in the open transaction if there is one. */
    int (*bump_version)(void *impl, unsigned changes, struct err *err);
    /* concurrency (docs/store.md): how long a write waits for another
     * writer; what this handle does, for that writer's message; the end
     * of the read snapshot, before a write outside a transaction */
    void (*set_busy_timeout)(void *impl, long ms);
    void (*set_activity)(void *impl, const char *what);
    void (*end_read)(void *impl);
    /* the log (store.h): its size in bytes; a checkpoint */
    int64_t (*pending_bytes)(void *impl);
    int (*checkpoint)(void *impl, struct err *err);
    int (*checkpoint_passive)(void *impl, int restart, struct err *err);
    void (*set_autocheckpoint)(void *impl, int pages);
    int (*expire_comments)(void *impl, int64_t before, const char *actor,
                           int64_t *n, struct err *err);
    int (*scan_comments)(void *impl, const struct comment_filter *f,
                         store_comment_cb cb, void *ctx, struct err *err);
    int (*put_taxonomy)(void *impl, const char *name, const char *source,
                        size_t n, int replaces, struct err *err);
    int (*get_taxonomy)(void *impl, char **name, char **source, size_t *n,
                        int *replaces, struct err *err);
    /* projections for the column store */
    int (*scan_attr)(void *impl, enum store_entity e, const char *name,
                     int64_t after, store_attr_cb cb, void *ctx,
                     struct err *err);
    int (*scan_event_facts)(void *impl, store_event_fact_cb cb, void *ctx,
                            struct err *err);
    /* users and access (store.h): store.c validates the arguments and
     * keeps these writes out of the data version */
    int (*put_user)(void *impl, struct user *u, struct err *err);
    /* by name when name is non-NULL, else by id */
    int (*get_user)(void *impl, const char *name, int64_t id, store_user_cb cb,
                    void *ctx, struct err *err);
    int (*list_users)(void *impl, store_user_cb cb, void *ctx, struct err *err);
    int (*count_users)(void *impl, int64_t *n, struct err *err);
    int (*put_session)(void *impl, const unsigned char hash[32],
                       int64_t user_id, int64_t expires, struct err *err);
    int (*get_session)(void *impl, const unsigned char hash[32],
                       int64_t *user_id, int64_t *expires, struct err *err);
    int (*delete_session)(void *impl, const unsigned char hash[32],
                          struct err *err);
    int (*put_token)(void *impl, const unsigned char hash[32],
                     struct api_token *t, struct err *err);
    /* by hash when hash is non-NULL, else every token */
    int (*get_tokens)(void *impl, const unsigned char *hash, store_token_cb cb,
                      void *ctx, struct err *err);
    int (*revoke_token)(void *impl, int64_t id, struct err *err);
    int (*audit)(void *impl, const char *actor, const char *action,
                 const char *subject, const char *detail, struct err *err);
    int (*scan_audit)(void *impl, int64_t after, store_audit_cb cb, void *ctx,
                      struct err *err);
    /* get: ERR_NOTFOUND when none; *len the stored length (up to n
     * bytes copied); put: insert-or-ignore */
    int (*get_secret)(void *impl, const char *name, unsigned char *out,
                      size_t n, size_t *len, struct err *err);
    int (*put_secret)(void *impl, const char *name, const unsigned char *v,
                      size_t n, struct err *err);
    int (*put_survey_def)(void *impl, const char *key, const char *json,
                          struct err *err);
    /* by key when key is non-NULL (ERR_NOTFOUND when none), else all */
    int (*get_survey_defs)(void *impl, const char *key, store_survey_def_cb cb,
                           void *ctx, struct err *err);
    int (*delete_survey_def)(void *impl, const char *key, struct err *err);
    /* the closed loop (store_loop.h); none advances the data version */
    int (*put_rules)(void *impl, const char *json, const char *actor,
                     int64_t applied_after, struct err *err);
    int (*get_rules)(void *impl, char **json, int64_t *id, struct err *err);
    int (*rules_applied)(void *impl, int64_t *after, struct err *err);
    int (*set_rules_applied)(void *impl, int64_t after, struct err *err);
    int (*scan_rule_inputs)(void *impl, int64_t after, store_rule_row_cb cb,
                            void *ctx, struct err *err);
    int (*put_case)(void *impl, struct loop_case *c, int *inserted,
                    struct err *err);
    int (*update_case)(void *impl, const struct loop_case *c, int expect,
                       struct err *err);
    int (*scan_cases)(void *impl, const struct case_filter *f, store_case_cb cb,
                      void *ctx, struct err *err);
    int (*put_case_note)(void *impl, struct case_note *n, struct err *err);
    int (*scan_case_notes)(void *impl, int64_t case_id, store_case_note_cb cb,
                           void *ctx, struct err *err);
    int (*customer_email)(void *impl, int64_t customer_id, char **email,
                          struct err *err);
    int (*put_outbox)(void *impl, struct outbox_msg *m, struct err *err);
    int (*due_outbox)(void *impl, int64_t now, const char *kind, long limit,
                      int (*cb)(void *ctx, const struct outbox_msg *m),
                      void *ctx, struct err *err);
    int (*update_outbox)(void *impl, const struct outbox_msg *m,
                         struct err *err);
    int (*list_outbox)(void *impl, int state, long limit,
                       int (*cb)(void *ctx, const struct outbox_msg *m),
                       void *ctx, struct err *err);
    int (*outbox_next)(void *impl, int64_t *next_at, struct err *err);
    int (*outbox_last)(void *impl, const char *event, int64_t *created,
                       struct err *err);
    int (*put_improvement)(void *impl, struct improvement *im, struct err *err);
    int (*list_improvements)(void *impl,
                             int (*cb)(void *ctx, const struct improvement *im),
                             void *ctx, struct err *err);
    int (*window_counts)(void *impl, int64_t touchpoint_id, const char *theme,
                         int64_t from, int64_t to, struct window_counts *out,
                         struct err *err);
    int (*count_by_touchpoint)(void *impl, int64_t from, int64_t to,
                               int (*cb)(void *ctx, int64_t touchpoint_id,
                                         int64_t n),
                               void *ctx, struct err *err);
    int (*area_customer_nps)(void *impl, int64_t from, int64_t to,
                             int (*cb)(void *ctx, const char *theme,
                                       int64_t touchpoint_id,
                                       const int64_t hist[11]),
                             void *ctx, struct err *err);
};

extern const struct store_ops store_sqlite_ops;

/* The handle (store.c); store_loop.c dispatches through it too. */
struct store {
    const struct store_ops *ops;
    void *impl;
    long writes_left; /* fault injection: 0 = off */
    int in_tx;
    unsigned pending; /* enum store_change mask of the open transaction */
};

/* A write: the fault gate, then a transaction of its own when none is
 * open; *implicit = 1 when store_write_end must end it. */
int store_write_begin(struct store *s, int *implicit, struct err *err);
/* Ends a write that returned rc and counts as `change` (a mask of enum
 * store_change, 0 = it changed nothing). */
int store_write_end(struct store *s, int implicit, int rc, unsigned change,
                    struct err *err);
/* A write that always counts as `change`. */
#define WRITE(call, change)                                                    \
    do {                                                                       \
        int im_, rc_ = store_write_begin(s, &im_, err);                        \
        if (rc_ < 0)                                                           \
            return rc_;                                                        \
        rc_ = (call);                                                          \
        return store_write_end(s, im_, rc_, (change), err);                    \
    } while (0)
/* A write that counts as `change` when *flag is set after it (or flag is
 * NULL: then it may have changed something). */
#define WRITE_IF(call, flag, change)                                           \
    do {                                                                       \
        int im_, rc_ = store_write_begin(s, &im_, err);                        \
        if (rc_ < 0)                                                           \
            return rc_;                                                        \
        rc_ = (call);                                                          \
        return store_write_end(s, im_, rc_,                                    \
                               !(flag) || *(flag) ? (change) : 0u, err);       \
    } while (0)
