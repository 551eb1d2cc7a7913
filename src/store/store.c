#include "store/store_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

int store_open(struct store **out, const char *uri, struct err *err)
{
    const struct store_ops *ops = NULL;
    const char *target = uri;
    void *impl = NULL;
    int rc;

    *out = NULL;
    if (!uri || !*uri)
        return err_set(err, ERR_INVALID, "no database path given");
    if (!strncmp(uri, "sqlite:", 7)) {
        ops = &store_sqlite_ops;
        target = uri + 7;
    } else if (!strncmp(uri, "postgres://", 11) ||
               !strncmp(uri, "postgresql://", 13)) {
        return err_set(err, ERR_INVALID,
                       "%s: the PostgreSQL store is not implemented yet; "
                       "use a SQLite file path",
                       uri);
    } else if (strstr(uri, "://")) {
        return err_set(err, ERR_INVALID, "%s: unknown database scheme", uri);
    } else {
        ops = &store_sqlite_ops;
    }
    if (ops->version != STORE_OPS_VERSION)
        return err_set(err, ERR_INTERNAL, "store backend %s has version %u",
                       ops->name, ops->version);
    if ((rc = ops->open(&impl, target, err)) < 0)
        return rc;
    struct store *s = xcalloc(1, sizeof *s);
    s->ops = ops;
    s->impl = impl;
    *out = s;
    return 0;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    s->ops->close(s->impl);
    free(s);
}

int store_schema_version(const struct store *s)
{
    return s->ops->schema_version(s->impl);
}

int store_version(struct store *s, struct store_version *out, struct err *err)
{
    return s->ops->data_version(s->impl, out, err);
}

static int begin(struct store *s, int bulk, struct err *err)
{
    int rc = s->ops->begin(s->impl, bulk, err);
    if (rc == 0) {
        s->in_tx = 1;
        s->pending = 0;
    }
    return rc;
}

int store_begin(struct store *s, struct err *err)
{
    return begin(s, 0, err);
}

int store_begin_bulk(struct store *s, struct err *err)
{
    return begin(s, 1, err);
}

int store_commit(struct store *s, struct err *err)
{
    int rc = 0;
    /* The version moves in the same transaction as the data, so a
     * reader never sees one without the other. */
    if (s->in_tx && s->pending)
        rc = s->ops->bump_version(s->impl, s->pending, err);
    if (rc == 0)
        rc = s->ops->commit(s->impl, err);
    if (rc < 0) /* a failed commit ends the transaction: nothing of it */
        s->ops->rollback(s->impl);
    s->in_tx = 0;
    s->pending = 0;
    return rc;
}

void store_rollback(struct store *s)
{
    s->ops->rollback(s->impl);
    s->in_tx = 0;
    s->pending = 0;
}

void store_fail_after(struct store *s, long nth_write)
{
    s->writes_left = nth_write;
}

void store_set_busy_timeout(struct store *s, long ms)
{
    s->ops->set_busy_timeout(s->impl, ms);
}

int64_t store_pending_bytes(struct store *s)
{
    return s->ops->pending_bytes(s->impl);
}

int store_checkpoint(struct store *s, struct err *err)
{
    return s->ops->checkpoint(s->impl, err);
}

int store_checkpoint_passive(struct store *s, int restart, struct err *err)
{
    return s->ops->checkpoint_passive(s->impl, restart, err);
}

void store_set_autocheckpoint(struct store *s, int pages)
{
    s->ops->set_autocheckpoint(s->impl, pages < 0 ? 0 : pages);
}

void store_set_activity(struct store *s, const char *what)
{
    s->ops->set_activity(s->impl, what);
}

void store_read_end(struct store *s)
{
    s->ops->end_read(s->impl);
}

/* Counts a write; fails it when fault injection says so. A write outside
 * a transaction first ends the handle's read snapshot (store.h). */
static int write_gate(struct store *s, struct err *err)
{
    s->ops->end_read(s->impl);
    if (s->writes_left > 0 && --s->writes_left == 0)
        return err_set(err, ERR_DB, "injected failure");
    return 0;
}

/* Starts a write: the fault gate, then a transaction of its own when
 * none is open, so the write and its data version commit together. */
int store_write_begin(struct store *s, int *implicit, struct err *err)
{
    int rc = write_gate(s, err);
    *implicit = 0;
    if (rc < 0 || s->in_tx)
        return rc;
    if ((rc = begin(s, 0, err)) == 0)
        *implicit = 1;
    return rc;
}

int store_write_end(struct store *s, int implicit, int rc, unsigned change,
                    struct err *err)
{
    if (rc >= 0)
        s->pending |= change;
    if (!implicit)
        return rc;
    if (rc < 0) {
        store_rollback(s);
        return rc;
    }
    int cr = store_commit(s, err);
    return cr < 0 ? cr : rc;
}

int store_put_journey(struct store *s, struct journey *j, struct err *err)
{
    WRITE(s->ops->put_journey(s->impl, j, err), STORE_CHANGE_REWRITE);
}

int store_put_stage(struct store *s, struct stage *st, struct err *err)
{
    WRITE(s->ops->put_stage(s->impl, st, err), STORE_CHANGE_REWRITE);
}

int store_put_touchpoint(struct store *s, struct touchpoint *t, struct err *err)
{
    WRITE(s->ops->put_touchpoint(s->impl, t, err), STORE_CHANGE_REWRITE);
}

int store_put_channel(struct store *s, struct channel *c, struct err *err)
{
    WRITE(s->ops->put_channel(s->impl, c, err), STORE_CHANGE_APPEND);
}

int store_put_survey(struct store *s, struct survey *sv, struct err *err)
{
    WRITE(s->ops->put_survey(s->impl, sv, err), STORE_CHANGE_REWRITE);
}

int store_put_question(struct store *s, struct question *q, struct err *err)
{
    WRITE(s->ops->put_question(s->impl, q, err), STORE_CHANGE_REWRITE);
}

int store_put_customer(struct store *s, struct customer *c, int *inserted,
                       struct err *err)
{
    WRITE_IF(s->ops->put_customer(s->impl, c, inserted, err), inserted,
             STORE_CHANGE_APPEND);
}

int store_put_employee(struct store *s, struct employee *e, int *inserted,
                       struct err *err)
{
    WRITE_IF(s->ops->put_employee(s->impl, e, inserted, err), inserted,
             STORE_CHANGE_APPEND);
}

int store_put_response(struct store *s, struct response *r, int *inserted,
                       struct err *err)
{
    WRITE_IF(s->ops->put_response(s->impl, r, inserted, err), inserted,
             STORE_CHANGE_APPEND);
}

int store_put_responses(struct store *s, struct response *rows, size_t n,
                        int64_t *inserted, int64_t *present, struct err *err)
{
    int64_t ins = 0, pre = 0;
    int rc = 0;
    s->ops->end_read(s->impl);
    if (s->writes_left > 0 && (size_t)s->writes_left <= n) {
        /* fault injection strikes inside this batch: row by row, so it
         * fails at exactly the nth write */
        for (size_t i = 0; i < n && rc == 0; i++) {
            int one = 0;
            if ((rc = store_put_response(s, &rows[i], &one, err)) == 0)
                *(one ? &ins : &pre) += 1;
        }
    } else {
        if (s->writes_left > 0)
            s->writes_left -= (long)n;
        int im = 0;
        if (!s->in_tx) { /* a transaction of its own, as write_begin */
            if ((rc = begin(s, 0, err)) < 0)
                return rc;
            im = 1;
        }
        rc = s->ops->put_responses(s->impl, rows, n, &ins, &pre, err);
        rc =
            store_write_end(s, im, rc, ins > 0 ? STORE_CHANGE_APPEND : 0u, err);
    }
    if (inserted)
        *inserted += ins;
    if (present)
        *present += pre;
    return rc;
}

int store_put_event(struct store *s, struct event *e, int *inserted,
                    struct err *err)
{
    WRITE_IF(s->ops->put_event(s->impl, e, inserted, err), inserted,
             STORE_CHANGE_EVENTS);
}

int store_list_touchpoints(struct store *s, store_touchpoint_cb cb, void *ctx,
                           struct err *err)
{
    return s->ops->list_touchpoints(s->impl, cb, ctx, err);
}

int store_list_stages(struct store *s, store_stage_cb cb, void *ctx,
                      struct err *err)
{
    return s->ops->list_stages(s->impl, cb, ctx, err);
}

int store_list_channels(struct store *s, store_channel_cb cb, void *ctx,
                        struct err *err)
{
    return s->ops->list_channels(s->impl, cb, ctx, err);
}

int store_erase_customer(struct store *s, const char *ext_id, const char *actor,
                         const char *subject, struct store_erased *out,
                         struct err *err)
{
    struct store_erased dummy;
    if (!out)
        out = &dummy;
    memset(out, 0, sizeof *out);
    if (!ext_id || !*ext_id || !actor || !subject)
        return err_set(err, ERR_INVALID, "erase: a customer id is needed");
    int im, rc = store_write_begin(s, &im, err);
    if (rc < 0)
        return rc;
    rc = s->ops->erase_customer(s->impl, ext_id, actor, subject, out, err);
    /* history is rewritten, events too: every snapshot is rebuilt */
    return store_write_end(s, im, rc,
                           STORE_CHANGE_REWRITE | STORE_CHANGE_EVENTS, err);
}

int store_expire_comments(struct store *s, int64_t before, const char *actor,
                          int64_t *n, struct err *err)
{
    int64_t dummy;
    if (!n)
        n = &dummy;
    *n = 0;
    if (!actor)
        return err_set(err, ERR_INVALID, "expire: an actor is needed");
    int im, rc = store_write_begin(s, &im, err);
    if (rc < 0)
        return rc;
    rc = s->ops->expire_comments(s->impl, before, actor, n, err);
    /* texts only: the column store holds none of them */
    return store_write_end(s, im, rc, 0, err);
}

int store_update_customer(struct store *s, struct customer *c, int64_t since,
                          int *changed, struct err *err)
{
    int dummy;
    if (!changed)
        changed = &dummy;
    *changed = 0;
    int im, rc = store_write_begin(s, &im, err);
    if (rc < 0)
        return rc;
    rc = s->ops->update_customer(s->impl, c, since, changed, err);
    /* a new customer is appended; a changed one rewrites history */
    return store_write_end(s, im, rc,
                           *changed == 1   ? STORE_CHANGE_APPEND
                           : *changed == 2 ? STORE_CHANGE_REWRITE
                                           : 0u,
                           err);
}

int store_scan_customers(struct store *s, store_customer_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_customers(s->impl, INT64_MIN, cb, ctx, err);
}

int store_scan_customers_after(struct store *s, int64_t after_id,
                               store_customer_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_customers(s->impl, after_id, cb, ctx, err);
}

int store_scan_segments(struct store *s, store_segment_cb cb, void *ctx,
                        struct err *err)
{
    return s->ops->scan_segments(s->impl, INT64_MIN, cb, ctx, err);
}

int store_scan_segments_after(struct store *s, int64_t after_id,
                              store_segment_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_segments(s->impl, after_id, cb, ctx, err);
}

int store_scan_employees(struct store *s, store_employee_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_employees(s->impl, cb, ctx, err);
}

int store_scan_facts(struct store *s, store_fact_cb cb, void *ctx,
                     struct err *err)
{
    return s->ops->scan_facts(s->impl, INT64_MIN, cb, ctx, err);
}

int store_scan_facts_after(struct store *s, int64_t after_id, store_fact_cb cb,
                           void *ctx, struct err *err)
{
    return s->ops->scan_facts(s->impl, after_id, cb, ctx, err);
}

int store_scan_responses(struct store *s, store_response_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_responses(s->impl, INT64_MIN, INT64_MAX, cb, ctx, err);
}

int store_scan_responses_range(struct store *s, int64_t from, int64_t to,
                               store_response_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_responses(s->impl, from, to, cb, ctx, err);
}

int store_scan_response_attrs(struct store *s, store_attrs_cb cb, void *ctx,
                              struct err *err)
{
    return s->ops->scan_response_attrs(s->impl, cb, ctx, err);
}

int store_scan_answers(struct store *s, unsigned kinds, store_answer_cb cb,
                       void *ctx, struct err *err)
{
    return s->ops->scan_answers(s->impl, kinds, INT64_MIN, cb, ctx, err);
}

int store_scan_answers_after(struct store *s, unsigned kinds, int64_t after,
                             store_answer_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_answers(s->impl, kinds, after, cb, ctx, err);
}

int store_scan_events(struct store *s, store_event_cb cb, void *ctx,
                      struct err *err)
{
    return s->ops->scan_events(s->impl, cb, ctx, err);
}

int store_count(struct store *s, struct store_counts *out, struct err *err)
{
    return s->ops->count(s->impl, out, err);
}

int store_scan_analyses(struct store *s, store_analysis_cb cb, void *ctx,
                        struct err *err)
{
    return s->ops->scan_analyses(s->impl, INT64_MIN, cb, ctx, err);
}

int store_scan_analyses_after(struct store *s, int64_t after_id,
                              store_analysis_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_analyses(s->impl, after_id, cb, ctx, err);
}

int store_scan_comments(struct store *s, const struct comment_filter *f,
                        store_comment_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_comments(s->impl, f, cb, ctx, err);
}

int store_put_taxonomy(struct store *s, const char *name, const char *source,
                       size_t n, int replaces, struct err *err)
{
    WRITE(s->ops->put_taxonomy(s->impl, name, source, n, replaces, err),
          STORE_CHANGE_REWRITE);
}

int store_get_taxonomy(struct store *s, char **name, char **source, size_t *n,
                       int *replaces, struct err *err)
{
    *name = *source = NULL;
    *n = 0;
    *replaces = 0;
    return s->ops->get_taxonomy(s->impl, name, source, n, replaces, err);
}

int store_scan_attr(struct store *s, enum store_entity e, const char *name,
                    store_attr_cb cb, void *ctx, struct err *err)
{
    return store_scan_attr_after(s, e, name, INT64_MIN, cb, ctx, err);
}

int store_scan_attr_after(struct store *s, enum store_entity e,
                          const char *name, int64_t after, store_attr_cb cb,
                          void *ctx, struct err *err)
{
    if (!name || !*name || strchr(name, '"'))
        return err_set(err, ERR_INVALID, "bad attribute name \"%s\"",
                       name ? name : "");
    return s->ops->scan_attr(s->impl, e, name, after, cb, ctx, err);
}

int store_scan_event_facts(struct store *s, store_event_fact_cb cb, void *ctx,
                           struct err *err)
{
    return s->ops->scan_event_facts(s->impl, cb, ctx, err);
}

/* ---- users and access: writes that are not analysed data, so they
 * commit without advancing the data version (change 0) ---- */

static const char *const role_names[] = {"admin", "analyst", "owner"};

const char *user_role_name(enum user_role r)
{
    return (unsigned)r < sizeof role_names / sizeof *role_names ? role_names[r]
                                                                : "?";
}

int user_role_parse(enum user_role *out, const char *s)
{
    for (size_t i = 0; s && i < sizeof role_names / sizeof *role_names; i++)
        if (!strcmp(s, role_names[i])) {
            *out = (enum user_role)i;
            return 0;
        }
    return -1;
}

/* 1..64 bytes without control characters: a name is shown on terminals
 * and pages, and fits struct principal's buffer. */
static int user_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int store_put_user(struct store *s, struct user *u, struct err *err)
{
    if (!user_name_ok(u->name))
        return err_set(err, ERR_INVALID,
                       "user name must be 1..64 bytes without control "
                       "characters");
    if ((unsigned)u->role > ROLE_OWNER)
        return err_set(err, ERR_INVALID, "unknown role %d", (int)u->role);
    WRITE(s->ops->put_user(s->impl, u, err), 0u);
}

int store_get_user(struct store *s, const char *name, store_user_cb cb,
                   void *ctx, struct err *err)
{
    if (!name)
        return err_set(err, ERR_INVALID, "no user name given");
    return s->ops->get_user(s->impl, name, 0, cb, ctx, err);
}

int store_get_user_by_id(struct store *s, int64_t id, store_user_cb cb,
                         void *ctx, struct err *err)
{
    return s->ops->get_user(s->impl, NULL, id, cb, ctx, err);
}

int store_list_users(struct store *s, store_user_cb cb, void *ctx,
                     struct err *err)
{
    return s->ops->list_users(s->impl, cb, ctx, err);
}

int store_count_users(struct store *s, int64_t *n, struct err *err)
{
    *n = 0;
    return s->ops->count_users(s->impl, n, err);
}

int store_put_session(struct store *s, const unsigned char hash[32],
                      int64_t user_id, int64_t expires, struct err *err)
{
    WRITE(s->ops->put_session(s->impl, hash, user_id, expires, err), 0u);
}

int store_get_session(struct store *s, const unsigned char hash[32],
                      int64_t *user_id, int64_t *expires, struct err *err)
{
    *user_id = *expires = 0;
    return s->ops->get_session(s->impl, hash, user_id, expires, err);
}

int store_delete_session(struct store *s, const unsigned char hash[32],
                         struct err *err)
{
    WRITE(s->ops->delete_session(s->impl, hash, err), 0u);
}

int store_put_token(struct store *s, const unsigned char hash[32],
                    struct api_token *t, struct err *err)
{
    if (!t->name || !*t->name || strlen(t->name) > 64)
        return err_set(err, ERR_INVALID, "token name must be 1..64 bytes");
    if (!t->scopes)
        return err_set(err, ERR_INVALID, "token scopes missing");
    WRITE(s->ops->put_token(s->impl, hash, t, err), 0u);
}

int store_get_token(struct store *s, const unsigned char hash[32],
                    store_token_cb cb, void *ctx, struct err *err)
{
    return s->ops->get_tokens(s->impl, hash, cb, ctx, err);
}

int store_list_tokens(struct store *s, store_token_cb cb, void *ctx,
                      struct err *err)
{
    return s->ops->get_tokens(s->impl, NULL, cb, ctx, err);
}

int store_revoke_token(struct store *s, int64_t id, struct err *err)
{
    WRITE(s->ops->revoke_token(s->impl, id, err), 0u);
}

int store_audit(struct store *s, const char *actor, const char *action,
                const char *subject, const char *detail_json, struct err *err)
{
    if (!actor || !action || !subject)
        return err_set(err, ERR_INVALID,
                       "an audit entry needs an actor, action and subject");
    WRITE(s->ops->audit(s->impl, actor, action, subject,
                        detail_json ? detail_json : "{}", err),
          0u);
}

int store_scan_audit(struct store *s, int64_t after_id, store_audit_cb cb,
                     void *ctx, struct err *err)
{
    return s->ops->scan_audit(s->impl, after_id, cb, ctx, err);
}

/* Read first: once made, a secret is read by every request that needs
 * it, and a read takes no write lock. */
int store_secret(struct store *s, const char *name, unsigned char *out,
                 size_t n, struct err *err)
{
    unsigned char fresh[64];
    struct err miss = ERR_INIT;
    size_t len = 0;
    int rc;
    if (!name || !*name)
        return err_set(err, ERR_INVALID, "no secret name given");
    if (n < 1 || n > sizeof fresh)
        return err_set(err, ERR_INVALID, "secret %s: %zu bytes, not 1..64",
                       name, n);
    rc = s->ops->get_secret(s->impl, name, out, n, &len, &miss);
    if (rc == ERR_NOTFOUND) {
        if (sodium_init() < 0)
            return err_set(err, ERR_INTERNAL, "libsodium did not start");
        randombytes_buf(fresh, n);
        int im;
        if ((rc = store_write_begin(s, &im, err)) < 0)
            return rc;
        /* Two processes may both get here: the first insert wins and
         * both read what it wrote. */
        rc = s->ops->put_secret(s->impl, name, fresh, n, err);
        if (rc == 0)
            rc = s->ops->get_secret(s->impl, name, out, n, &len, err);
        rc = store_write_end(s, im, rc, 0u, err);
        sodium_memzero(fresh, sizeof fresh);
    } else if (rc < 0) {
        err_set(err, miss.code, "%s", miss.msg);
    }
    if (rc == 0 && len != n) {
        sodium_memzero(out, n);
        rc = err_set(err, ERR_CONFLICT, "secret %s has %zu bytes, not %zu",
                     name, len, n);
    }
    return rc;
}

int store_put_survey_def(struct store *s, const char *key, const char *json,
                         struct err *err)
{
    if (!key || !*key)
        return err_set(err, ERR_INVALID, "no survey key given");
    if (!json)
        return err_set(err, ERR_INVALID, "survey %s: no definition", key);
    WRITE(s->ops->put_survey_def(s->impl, key, json, err), 0u);
}

static int copy_def(void *ctx, const char *key, const char *json,
                    int64_t updated)
{
    (void)key;
    (void)updated;
    *(char **)ctx = xstrdup(json);
    return 0;
}

int store_get_survey_def(struct store *s, const char *key, char **json,
                         struct err *err)
{
    *json = NULL;
    if (!key)
        return err_set(err, ERR_INVALID, "no survey key given");
    return s->ops->get_survey_defs(s->impl, key, copy_def, json, err);
}

int store_list_survey_defs(struct store *s, store_survey_def_cb cb, void *ctx,
                           struct err *err)
{
    return s->ops->get_survey_defs(s->impl, NULL, cb, ctx, err);
}

int store_delete_survey_def(struct store *s, const char *key, struct err *err)
{
    if (!key)
        return err_set(err, ERR_INVALID, "no survey key given");
    WRITE(s->ops->delete_survey_def(s->impl, key, err), 0u);
}
