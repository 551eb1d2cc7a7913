#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

struct store {
    const struct store_ops *ops;
    void *impl;
    long writes_left; /* fault injection: 0 = off */
};

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

int store_begin(struct store *s, struct err *err)
{
    return s->ops->begin(s->impl, 0, err);
}

int store_begin_bulk(struct store *s, struct err *err)
{
    return s->ops->begin(s->impl, 1, err);
}

int store_commit(struct store *s, struct err *err)
{
    return s->ops->commit(s->impl, err);
}

void store_rollback(struct store *s)
{
    s->ops->rollback(s->impl);
}

void store_fail_after(struct store *s, long nth_write)
{
    s->writes_left = nth_write;
}

/* Counts a write; fails it when fault injection says so. */
static int write_gate(struct store *s, struct err *err)
{
    if (s->writes_left > 0 && --s->writes_left == 0)
        return err_set(err, ERR_DB, "injected failure");
    return 0;
}

#define WRITE(call)                                                            \
    do {                                                                       \
        int rc_ = write_gate(s, err);                                          \
        return rc_ < 0 ? rc_ : (call);                                         \
    } while (0)

int store_put_journey(struct store *s, struct journey *j, struct err *err)
{
    WRITE(s->ops->put_journey(s->impl, j, err));
}

int store_put_stage(struct store *s, struct stage *st, struct err *err)
{
    WRITE(s->ops->put_stage(s->impl, st, err));
}

int store_put_touchpoint(struct store *s, struct touchpoint *t, struct err *err)
{
    WRITE(s->ops->put_touchpoint(s->impl, t, err));
}

int store_put_channel(struct store *s, struct channel *c, struct err *err)
{
    WRITE(s->ops->put_channel(s->impl, c, err));
}

int store_put_survey(struct store *s, struct survey *sv, struct err *err)
{
    WRITE(s->ops->put_survey(s->impl, sv, err));
}

int store_put_question(struct store *s, struct question *q, struct err *err)
{
    WRITE(s->ops->put_question(s->impl, q, err));
}

int store_put_customer(struct store *s, struct customer *c, int *inserted,
                       struct err *err)
{
    WRITE(s->ops->put_customer(s->impl, c, inserted, err));
}

int store_put_employee(struct store *s, struct employee *e, int *inserted,
                       struct err *err)
{
    WRITE(s->ops->put_employee(s->impl, e, inserted, err));
}

int store_put_response(struct store *s, struct response *r, int *inserted,
                       struct err *err)
{
    WRITE(s->ops->put_response(s->impl, r, inserted, err));
}

int store_put_event(struct store *s, struct event *e, int *inserted,
                    struct err *err)
{
    WRITE(s->ops->put_event(s->impl, e, inserted, err));
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

int store_update_customer(struct store *s, struct customer *c, int64_t since,
                          int *changed, struct err *err)
{
    int dummy;
    if (!changed)
        changed = &dummy;
    *changed = 0;
    WRITE(s->ops->update_customer(s->impl, c, since, changed, err));
}

int store_scan_customers(struct store *s, store_customer_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_customers(s->impl, cb, ctx, err);
}

int store_scan_segments(struct store *s, store_segment_cb cb, void *ctx,
                        struct err *err)
{
    return s->ops->scan_segments(s->impl, cb, ctx, err);
}

int store_scan_employees(struct store *s, store_employee_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_employees(s->impl, cb, ctx, err);
}

int store_scan_facts(struct store *s, store_fact_cb cb, void *ctx,
                     struct err *err)
{
    return s->ops->scan_facts(s->impl, cb, ctx, err);
}

int store_scan_responses(struct store *s, store_response_cb cb, void *ctx,
                         struct err *err)
{
    return s->ops->scan_responses(s->impl, cb, ctx, err);
}

int store_scan_response_attrs(struct store *s, store_attrs_cb cb, void *ctx,
                              struct err *err)
{
    return s->ops->scan_response_attrs(s->impl, cb, ctx, err);
}

int store_scan_answers(struct store *s, unsigned kinds, store_answer_cb cb,
                       void *ctx, struct err *err)
{
    return s->ops->scan_answers(s->impl, kinds, cb, ctx, err);
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
    return s->ops->scan_analyses(s->impl, cb, ctx, err);
}

int store_scan_comments(struct store *s, const struct comment_filter *f,
                        store_comment_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_comments(s->impl, f, cb, ctx, err);
}

int store_put_taxonomy(struct store *s, const char *name, const char *source,
                       size_t n, int replaces, struct err *err)
{
    WRITE(s->ops->put_taxonomy(s->impl, name, source, n, replaces, err));
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
    if (!name || !*name || strchr(name, '"'))
        return err_set(err, ERR_INVALID, "bad attribute name \"%s\"",
                       name ? name : "");
    return s->ops->scan_attr(s->impl, e, name, cb, ctx, err);
}

int store_scan_event_facts(struct store *s, store_event_fact_cb cb, void *ctx,
                           struct err *err)
{
    return s->ops->scan_event_facts(s->impl, cb, ctx, err);
}
