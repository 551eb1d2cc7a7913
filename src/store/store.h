#pragma once
/* The one interface to persistence. Callers never see SQL or a backend
 * type: SQLite implements it now (store_sqlite.c), PostgreSQL later, each
 * as a struct store_ops in its own file (see store_int.h).
 *
 * Every function returns 0 or a negative enum err_code and fills err.
 * Writes outside an explicit store_begin/store_commit are each their own
 * transaction. Records passed in are read during the call only; records
 * passed to callbacks are borrowed for the duration of the callback.
 * A callback returning non-zero stops the scan, and that value is returned
 * (so a callback can return an ERR_ code it set in err itself). */

#include <stddef.h>
#include <stdint.h>

#include "store/model.h"

struct err;
struct store;

/* Opens or creates the database named by uri: a file path, "sqlite:PATH",
 * or ":memory:". A database file created here is readable and writable
 * by its owner only (0600), and so are the files beside it.
 * Migrates the schema to the current version. Caller frees
 * with store_free. ERR_IO if it cannot be opened, ERR_DB on a failed
 * migration, ERR_INVALID for an unknown scheme (postgres:// is not yet
 * implemented). */
int store_open(struct store **out, const char *uri, struct err *err);
void store_free(struct store *s);

/* The schema version the database is at after opening. */
int store_schema_version(const struct store *s);

/* ---- the data version: what a cached copy of the data (the column
 * store snapshot) checks itself against ---- */
enum store_change {
    STORE_CHANGE_APPEND = 1, /* new responses, customers, employees,
                              * channels: rows with higher ids */
    STORE_CHANGE_EVENTS = 2, /* events */
    STORE_CHANGE_REWRITE = 4 /* anything else: journeys, customer
                              * updates, the taxonomy */
};
struct store_version {
    unsigned char uuid[16]; /* the database's identity, set at creation */
    int64_t data;           /* grows with every committed change */
    int64_t rewrite;        /* data version of the last STORE_CHANGE_REWRITE */
    int64_t events;         /* data version of the last STORE_CHANGE_EVENTS */
};
/* Reads the version as of now (or of the open transaction). */
int store_version(struct store *s, struct store_version *out, struct err *err);

/* ---- concurrency (docs/store.md) ----
 * Many processes may use one database. Readers never wait: every read of
 * a handle outside a transaction sees one snapshot, taken at its first
 * read and kept until the handle next writes or begins a transaction, so
 * another process's transaction is seen whole or not at all. Writers take
 * turns: a write waits for another writer to finish, up to the busy
 * timeout, then fails with ERR_DB naming the holder ("the database is
 * being written by resonans import responses (pid 1234, since
 * 10:02:11)"). */

/* How long a write waits for another writer, in milliseconds. Default:
 * $RESONANS_BUSY_TIMEOUT seconds (decimals allowed), else 30 s. */
void store_set_busy_timeout(struct store *s, long ms);
/* What this handle is doing ("resonans import responses"), named to a
 * writer that gives up waiting for one of its transactions. Copied;
 * NULL or "" = "resonans". */
void store_set_activity(struct store *s, const char *what);

/* Ends this handle's read snapshot, so that its next read sees the
 * latest commit: what a long-lived reader (the server) calls between
 * requests. A no-op inside a transaction. */
void store_read_end(struct store *s);

/* ---- the log (docs/store.md, "Checkpoints") ----
 * A commit is durable once it is in the log (SQLite's WAL); copying it
 * into the database file, a checkpoint, can come later and from another
 * process. A bulk load's commit leaves it for later: closing the last
 * handle does it, or store_checkpoint. */

/* The size of the log file in bytes: at most what a checkpoint would
 * copy (0 for a store without one). */
int64_t store_pending_bytes(struct store *s);
/* Copies the log into the database file and empties it, waiting for
 * readers of it up to the busy timeout. Ends this handle's read
 * snapshot. ERR_DB when readers kept it busy (what could be copied is). */
int store_checkpoint(struct store *s, struct err *err);

/* A checkpoint beside a busy writer (the server): copies what the
 * readers allow without taking the write lock (SQLite's PASSIVE). Under
 * a steady stream of commits such a copy never reaches the end of the
 * log, so with restart set it then copies the little that came meanwhile
 * with writers held back a moment, and the next write starts the log
 * over (RESTART). ERR_DB on failure; readers in the way are not one. */
int store_checkpoint_passive(struct store *s, int restart, struct err *err);
/* A commit that leaves the log over `pages` pages copies it into the
 * database file itself (1000 by default; 0 = never). Beside a thread
 * that makes passive copies (store_checkpoint_passive), a writer's own
 * copy finds little left to do, and it is the one that lets the log
 * start over: no commit comes between its copy and its next write. */
void store_set_autocheckpoint(struct store *s, int pages);

/* Transactions. Every write counts as one of enum store_change; commit
 * (or the write itself, outside a transaction) advances the data version
 * by one with what changed. */
int store_begin(struct store *s, struct err *err);
/* As store_begin, for loading many rows whose ids the caller resolved
 * through this store (the importer): the backend may skip per-row
 * referential checks and use a larger cache until commit or rollback. */
int store_begin_bulk(struct store *s, struct err *err);
int store_commit(struct store *s, struct err *err);
/* Undoes everything since store_begin. Safe to call when none is open. */
void store_rollback(struct store *s);

/* Test hook for fault injection: the nth write from now on (1-based) fails
 * with ERR_DB "injected failure"; 0 turns it off. */
void store_fail_after(struct store *s, long nth_write);

/* ---- journey definitions: upserts by key; id is set on return ---- */
int store_put_journey(struct store *s, struct journey *j, struct err *err);
int store_put_stage(struct store *s, struct stage *st, struct err *err);
int store_put_touchpoint(struct store *s, struct touchpoint *t,
                         struct err *err);
int store_put_channel(struct store *s, struct channel *c, struct err *err);
int store_put_survey(struct store *s, struct survey *sv, struct err *err);
int store_put_question(struct store *s, struct question *q, struct err *err);

typedef int (*store_touchpoint_cb)(void *ctx, const struct journey *j,
                                   const struct stage *st,
                                   const struct touchpoint *t);
/* Touchpoints in journey, stage position, touchpoint order. */
int store_list_touchpoints(struct store *s, store_touchpoint_cb cb, void *ctx,
                           struct err *err);
typedef int (*store_stage_cb)(void *ctx, const struct journey *j,
                              const struct stage *st);
/* Every stage, including those without touchpoints, in journey order. */
int store_list_stages(struct store *s, store_stage_cb cb, void *ctx,
                      struct err *err);
typedef int (*store_channel_cb)(void *ctx, const struct channel *c);
int store_list_channels(struct store *s, store_channel_cb cb, void *ctx,
                        struct err *err);

/* ---- customers and employees: insert-or-ignore by ext_id ----
 * *inserted is 1 when a new row was written, 0 when ext_id existed (the
 * stored row is left as it was); id is set either way. */
int store_put_customer(struct store *s, struct customer *c, int *inserted,
                       struct err *err);
int store_put_employee(struct store *s, struct employee *e, int *inserted,
                       struct err *err);
/* Inserts a new customer, or updates a known one (by ext_id): attributes
 * given in c->attrs are merged into the stored object (a key given
 * replaces the stored value; others are kept), and a segment given that
 * differs from the stored one replaces it and is recorded in the segment
 * history from `since` (UTC seconds) on. A new customer's segment is
 * recorded from SEGMENT_SINCE_START. *changed: 0 = nothing changed,
 * 1 = inserted, 2 = updated. ERR_INVALID when since is before the
 * customer's latest recorded change. */
/* What store_erase_customer removed. */
struct store_erased {
    int64_t responses, answers, events, segments;
};
/* Removes the customer with ext_id and everything stored about them:
 * their responses with every answer, comment and its analysis, their
 * events, their segment history and the customer, with SQLite's
 * secure_delete on so the freed pages are zeroed. Records it in the
 * audit log as `actor`, naming the customer by subject (a keyed hash the
 * caller makes, never the id). Counts as a rewrite, so every column-store
 * snapshot is rebuilt. ERR_NOTFOUND for an unknown customer. The caller
 * then checkpoints (store_checkpoint) so that no copy stays in the
 * write-ahead log, and removes any snapshot file. */
int store_erase_customer(struct store *s, const char *ext_id, const char *actor,
                         const char *subject, struct store_erased *out,
                         struct err *err);

/* Retention (docs/privacy.md): removes the text of every comment, story
 * and free-text answer given before `before` (UTC seconds), and the
 * explanation of its analysis, which quotes its words; language,
 * sentiment and themes stay, so figures over those periods do not
 * change. Freed pages are zeroed (secure_delete). Audited as
 * "comments.expire" by `actor` with the count. *n gets the texts
 * removed. Not a change of the analysed data: no snapshot is rebuilt. */
int store_expire_comments(struct store *s, int64_t before, const char *actor,
                          int64_t *n, struct err *err);

int store_update_customer(struct store *s, struct customer *c, int64_t since,
                          int *changed, struct err *err);
typedef int (*store_customer_cb)(void *ctx, const struct customer *c);
int store_scan_customers(struct store *s, store_customer_cb cb, void *ctx,
                         struct err *err);
/* The segment history: from `since` on (SEGMENT_SINCE_START for the
 * first known one) the customer's segment was `segment` (NULL = none).
 * In (customer_id, since) order. Every customer stored with a segment has
 * at least one entry. */
typedef int (*store_segment_cb)(void *ctx, int64_t customer_id,
                                const char *segment, int64_t since);
int store_scan_segments(struct store *s, store_segment_cb cb, void *ctx,
                        struct err *err);
/* As store_scan_customers and store_scan_segments, for customers with
 * ids above after_id only. */
int store_scan_customers_after(struct store *s, int64_t after_id,
                               store_customer_cb cb, void *ctx,
                               struct err *err);
int store_scan_segments_after(struct store *s, int64_t after_id,
                              store_segment_cb cb, void *ctx, struct err *err);
typedef int (*store_employee_cb)(void *ctx, const struct employee *e);
int store_scan_employees(struct store *s, store_employee_cb cb, void *ctx,
                         struct err *err);

/* ---- responses and events: insert-or-ignore by ext_id ---- */
int store_put_response(struct store *s, struct response *r, int *inserted,
                       struct err *err);
int store_put_event(struct store *s, struct event *e, int *inserted,
                    struct err *err);
/* Stores rows[0..n) in order, each as store_put_response would (ids set
 * on the inserted ones), adding to *inserted and *present (either may be
 * NULL). The backend may write them together: a first bulk load into an
 * empty table appends many rows per statement. Stops at the first
 * failure; in a transaction, the caller's rollback undoes the rows
 * before it. */
int store_put_responses(struct store *s, struct response *rows, size_t n,
                        int64_t *inserted, int64_t *present, struct err *err);

typedef int (*store_fact_cb)(void *ctx, const struct fact *f);
/* Every response as a fact row, in id order: what the column store loads. */
/* As store_scan_facts, for responses with ids above after_id only. */
int store_scan_facts_after(struct store *s, int64_t after_id, store_fact_cb cb,
                           void *ctx, struct err *err);
int store_scan_facts(struct store *s, store_fact_cb cb, void *ctx,
                     struct err *err);
typedef int (*store_response_cb)(void *ctx, const struct response *r);
/* Every response with its answers and the out strings filled, id order. */
int store_scan_responses(struct store *s, store_response_cb cb, void *ctx,
                         struct err *err);
/* As store_scan_responses, for the responses with ids from..to
 * (inclusive) only: a page of a list reads its rows, not all of them. */
int store_scan_responses_range(struct store *s, int64_t from, int64_t to,
                               store_response_cb cb, void *ctx,
                               struct err *err);
/* Every response's attrs (only those that have any), in id order. */
typedef int (*store_attrs_cb)(void *ctx, int64_t response_id,
                              const char *attrs);
int store_scan_response_attrs(struct store *s, store_attrs_cb cb, void *ctx,
                              struct err *err);
/* Every answer whose kind is in `kinds` (a mask of 1u << enum answer_kind),
 * in (response id, question) order, with question, kind, v1..v3, text
 * and title filled (no analysis). */
typedef int (*store_answer_cb)(void *ctx, int64_t response_id,
                               const struct answer *a);
int store_scan_answers(struct store *s, unsigned kinds, store_answer_cb cb,
                       void *ctx, struct err *err);
/* As store_scan_answers, for responses with ids above after only. */
int store_scan_answers_after(struct store *s, unsigned kinds, int64_t after,
                             store_answer_cb cb, void *ctx, struct err *err);
typedef int (*store_event_cb)(void *ctx, const struct event *e);
/* Every event in (customer_id, ts, id) order. */
int store_scan_events(struct store *s, store_event_cb cb, void *ctx,
                      struct err *err);

/* ---- projections for the column store ----
 * The column store reads single attributes rather than whole JSON objects:
 * parsing every object costs microseconds a row, while the backend can
 * project one member cheaply. */

enum store_entity { STORE_CUSTOMERS, STORE_RESPONSES, STORE_EVENTS };

/* One attribute value: a number (is_num = 1, num set, text its decimal
 * text) or a string (is_num = 0, num NaN). text is borrowed for the
 * callback. */
typedef int (*store_attr_cb)(void *ctx, int64_t id, const char *text,
                             double num, int is_num);
/* Every value of attribute `name` of the entity's attrs objects, for the
 * rows that have it, in id order. ERR_INVALID for a name with a '"'. */
int store_scan_attr(struct store *s, enum store_entity e, const char *name,
                    store_attr_cb cb, void *ctx, struct err *err);
/* As store_scan_attr, for rows with ids above after only. */
int store_scan_attr_after(struct store *s, enum store_entity e,
                          const char *name, int64_t after, store_attr_cb cb,
                          void *ctx, struct err *err);
/* An event without its attributes: what the column store loads. */
struct event_fact {
    int64_t id;
    int64_t customer_id;
    const char *activity;  /* borrowed */
    int64_t touchpoint_id; /* 0 = none */
    int64_t channel_id;    /* 0 = none */
    int64_t ts;
    int tz_min;
};
typedef int (*store_event_fact_cb)(void *ctx, const struct event_fact *e);
/* Every event in id order: a sequential read (the column store sorts them
 * itself; reading through the (customer, ts) index costs a random lookup
 * a row). */
int store_scan_event_facts(struct store *s, store_event_fact_cb cb, void *ctx,
                           struct err *err);

/* ---- text analysis (docs/text-analytics.md) ----
 * A response's text answers may carry a struct comment_analysis; it is
 * written with the response, in the same transaction, and skipped with
 * it when the response was already stored. */

typedef int (*store_analysis_cb)(void *ctx, int64_t response_id,
                                 const char *question,
                                 const struct comment_analysis *a);
/* Every comment analysis with its theme mentions, in (response id,
 * question) order; explanation is NULL (the column store needs only
 * labels and themes). */
/* As store_scan_analyses, for responses with ids above after_id only. */
int store_scan_analyses_after(struct store *s, int64_t after_id,
                              store_analysis_cb cb, void *ctx, struct err *err);
int store_scan_analyses(struct store *s, store_analysis_cb cb, void *ctx,
                        struct err *err);

/* Which analysed comments store_scan_comments hands out. Start from
 * COMMENT_FILTER_INIT (everything, oldest first). */
struct comment_filter {
    int64_t touchpoint_id; /* 0 = any */
    const char *theme;     /* only comments mentioning this key; NULL = any */
    const char *label;     /* only this sentiment label; NULL = any */
    int unthemed;          /* 1 = only comments without a theme */
    int64_t from_day;      /* local day (tstamp_local_day), inclusive;
                            * INT64_MIN = open */
    int64_t to_day;        /* inclusive; INT64_MAX = open */
    long limit;            /* at most this many; 0 = all */
    int newest_first;      /* 1 = in descending response order */
    int64_t response_id;   /* > 0: only that response's comments */
};

#define COMMENT_FILTER_INIT                                                    \
    {                                                                          \
        0, NULL, NULL, 0, INT64_MIN, INT64_MAX, 0, 0, 0                        \
    }

/* r has ids, ext_id, touchpoint and channel keys, language, time and
 * scores (no answers, no customer); a is the comment with its analysis,
 * explanation and mentions filled. Both borrowed for the callback. */
typedef int (*store_comment_cb)(void *ctx, const struct response *r,
                                const struct answer *a);
/* The analysed comments that pass f, in response id order. */
int store_scan_comments(struct store *s, const struct comment_filter *f,
                        store_comment_cb cb, void *ctx, struct err *err);

/* Saves the organisation's theme taxonomy (TSV text, n bytes; name is
 * where it came from), replacing any saved before; replaces = 1 when it
 * replaces the built-in taxonomy rather than extending it. source NULL
 * removes it (back to the built-in taxonomy). */
int store_put_taxonomy(struct store *s, const char *name, const char *source,
                       size_t n, int replaces, struct err *err);
/* The saved taxonomy: *name and *source (NUL-terminated, *n bytes) are
 * the caller's to free(). ERR_NOTFOUND when none is saved. */
int store_get_taxonomy(struct store *s, char **name, char **source, size_t *n,
                       int *replaces, struct err *err);

struct store_counts {
    int64_t journeys, stages, touchpoints, channels, customers, employees,
        responses, answers, events;
};
int store_count(struct store *s, struct store_counts *out, struct err *err);

/* ---- users and access (docs/access.md) ----
 * None of these writes is analysed data: they never advance the data
 * version (store_version), so a login, a new token or an audit entry
 * leaves every column-store snapshot current. Like every write, one
 * outside a transaction ends the handle's read snapshot. */

enum user_role { ROLE_ADMIN, ROLE_ANALYST, ROLE_OWNER };
/* "admin", "analyst", "owner" ("?" for a value out of range). */
const char *user_role_name(enum user_role r);
/* Parses one of those names. 0, or -1 for anything else. */
int user_role_parse(enum user_role *out, const char *s);

struct user {
    int64_t id;       /* set by store_put_user */
    const char *name; /* unique, 1..64 bytes, no control characters */
    enum user_role role;
    const char *pw_hash;     /* crypto_pwhash_str string; NULL = no
                              * password (cannot log in) */
    const char *touchpoints; /* owners: comma-separated touchpoint keys
                              * they own; NULL otherwise */
    int64_t created;         /* UTC seconds; 0 = now (kept on update) */
    int disabled;
    const char *lang; /* the web app's language: "sv", "en" or NULL (the
                       * browser's); an update writes it too */
};
/* Inserts or updates (by name) a user; id set. An update that changes
 * the password hash or disables the user ends their sessions. ERR_INVALID
 * for a bad name, role or language. */
int store_put_user(struct store *s, struct user *u, struct err *err);
typedef int (*store_user_cb)(void *ctx, const struct user *u);
/* One user by name / by id: cb called once; ERR_NOTFOUND when none. */
int store_get_user(struct store *s, const char *name, store_user_cb cb,
                   void *ctx, struct err *err);
int store_get_user_by_id(struct store *s, int64_t id, store_user_cb cb,
                         void *ctx, struct err *err);
/* Every user, in name order. */
int store_list_users(struct store *s, store_user_cb cb, void *ctx,
                     struct err *err);
int store_count_users(struct store *s, int64_t *n, struct err *err);

/* Sessions, by the BLAKE2b-256 hash of their token (the token itself is
 * never stored). Putting one also removes sessions expired for a day;
 * ERR_CONFLICT for an unknown user. */
int store_put_session(struct store *s, const unsigned char hash[32],
                      int64_t user_id, int64_t expires, struct err *err);
/* ERR_NOTFOUND for an unknown hash (expiry is the caller's to judge). */
int store_get_session(struct store *s, const unsigned char hash[32],
                      int64_t *user_id, int64_t *expires, struct err *err);
/* Removing a session that does not exist is not an error. */
int store_delete_session(struct store *s, const unsigned char hash[32],
                         struct err *err);

/* API tokens, by the hash of their secret. scopes: a subset of
 * "read,write,admin" as text. */
struct api_token {
    int64_t id;
    int64_t user_id;
    const char *name;
    const char *scopes;
    int64_t created, expires; /* UTC seconds; expires 0 = never;
                               * created 0 = now */
    int revoked;
};
/* Stores a new token; t->id set (and t->created, when 0, to now).
 * ERR_CONFLICT when the hash exists, ERR_NOTFOUND for an unknown user. */
int store_put_token(struct store *s, const unsigned char hash[32],
                    struct api_token *t, struct err *err);
typedef int (*store_token_cb)(void *ctx, const struct api_token *t);
/* ERR_NOTFOUND for an unknown hash; revoked and expired tokens are found
 * (the caller judges them). */
int store_get_token(struct store *s, const unsigned char hash[32],
                    store_token_cb cb, void *ctx, struct err *err);
/* Every token, revoked ones too, in id order. */
int store_list_tokens(struct store *s, store_token_cb cb, void *ctx,
                      struct err *err);
/* ERR_NOTFOUND for an unknown id; revoking twice is not an error. */
int store_revoke_token(struct store *s, int64_t id, struct err *err);

/* The audit log (table audit): who read or changed what. Now, in UTC
 * seconds. detail_json NULL = "{}"; ERR_INVALID when actor, action or
 * subject is NULL. */
int store_audit(struct store *s, const char *actor, const char *action,
                const char *subject, const char *detail_json, struct err *err);
struct audit_entry {
    int64_t id, ts;
    const char *actor, *action, *subject, *detail;
};
typedef int (*store_audit_cb)(void *ctx, const struct audit_entry *e);
/* Entries with ids above after_id, in id order. */
int store_scan_audit(struct store *s, int64_t after_id, store_audit_cb cb,
                     void *ctx, struct err *err);

/* A named secret of n bytes (1 <= n <= 64) into out: created with random
 * bytes (libsodium randombytes_buf) on first use, the same afterwards,
 * also across processes (insert-or-ignore, then read). ERR_CONFLICT when
 * the stored secret has another length. */
int store_secret(struct store *s, const char *name, unsigned char *out,
                 size_t n, struct err *err);

/* Survey definitions (JSON text, validated by the caller), by key:
 * put replaces any stored under key. */
int store_put_survey_def(struct store *s, const char *key, const char *json,
                         struct err *err);
/* *json is the caller's to free(). ERR_NOTFOUND. */
int store_get_survey_def(struct store *s, const char *key, char **json,
                         struct err *err);
typedef int (*store_survey_def_cb)(void *ctx, const char *key, const char *json,
                                   int64_t updated);
/* Every definition, in key order. */
int store_list_survey_defs(struct store *s, store_survey_def_cb cb, void *ctx,
                           struct err *err);
/* ERR_NOTFOUND when there is none under key. */
int store_delete_survey_def(struct store *s, const char *key, struct err *err);
