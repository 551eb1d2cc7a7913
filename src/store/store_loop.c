/* The closed loop's part of the store contract (store_loop.h): argument
 * checks and dispatch to the backend. Writes never advance the data
 * version (change 0). */
#include "store/store_loop.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_int.h"

static const char *const status_names[CASE_N_STATUS] = {
    "open", "assigned", "contacted", "resolved", "closed"};

const char *case_status_name(enum case_status st)
{
    return (unsigned)st < CASE_N_STATUS ? status_names[st] : "?";
}

int case_status_parse(enum case_status *out, const char *s)
{
    for (int i = 0; s && i < CASE_N_STATUS; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (enum case_status)i;
            return 0;
        }
    return -1;
}

const char *outbox_state_name(enum outbox_state st)
{
    static const char *const names[] = {"pending", "sent", "dead"};
    return (unsigned)st < 3 ? names[st] : "?";
}

/* The string fields of a case, in the order of loop_case_copy's s. */
static void string_fields(struct loop_case *c, const char **f[7])
{
    f[0] = &c->customer;
    f[1] = &c->touchpoint;
    f[2] = &c->rule;
    f[3] = &c->team;
    f[4] = &c->assignee;
    f[5] = &c->theme;
    f[6] = &c->recovery_survey;
}

int loop_case_copy_first(void *ctx, const struct loop_case *c)
{
    struct loop_case_copy *k = ctx;
    const char **f[7];
    k->any = 1;
    k->c = *c;
    string_fields(&k->c, f);
    for (int i = 0; i < 7; i++)
        *f[i] = k->s[i] = *f[i] ? xstrdup(*f[i]) : NULL;
    return 1;
}

void loop_case_copy_set(struct loop_case_copy *k, const char **field,
                        const char *v)
{
    const char **f[7];
    string_fields(&k->c, f);
    for (int i = 0; i < 7; i++)
        if (f[i] == field) {
            free(k->s[i]);
            *field = k->s[i] = v ? xstrdup(v) : NULL;
        }
}

void loop_case_copy_dispose(struct loop_case_copy *k)
{
    for (int i = 0; i < 7; i++)
        free(k->s[i]);
    memset(k, 0, sizeof *k);
}

int store_put_rules(struct store *s, const char *json, const char *actor,
                    int64_t applied_after, struct err *err)
{
    if (!json || !actor)
        return err_set(err, ERR_INVALID, "rules: json and actor required");
    WRITE(s->ops->put_rules(s->impl, json, actor, applied_after, err), 0u);
}

int store_get_rules(struct store *s, char **json, int64_t *id, struct err *err)
{
    return s->ops->get_rules(s->impl, json, id, err);
}

int store_rules_applied(struct store *s, int64_t *after, struct err *err)
{
    return s->ops->rules_applied(s->impl, after, err);
}

int store_set_rules_applied(struct store *s, int64_t after, struct err *err)
{
    WRITE(s->ops->set_rules_applied(s->impl, after, err), 0u);
}

int store_scan_rule_inputs(struct store *s, int64_t after, store_rule_row_cb cb,
                           void *ctx, struct err *err)
{
    return s->ops->scan_rule_inputs(s->impl, after, cb, ctx, err);
}

int store_put_case(struct store *s, struct loop_case *c, int *inserted,
                   struct err *err)
{
    if (c->response_id <= 0 || c->touchpoint_id <= 0 || !c->rule || !c->team)
        return err_set(err, ERR_INVALID,
                       "case: response, touchpoint, rule and team required");
    WRITE(s->ops->put_case(s->impl, c, inserted, err), 0u);
}

int store_update_case(struct store *s, const struct loop_case *c,
                      enum case_status expect, struct err *err)
{
    if ((unsigned)c->status >= CASE_N_STATUS || !c->team)
        return err_set(err, ERR_INVALID, "case %lld: bad status or no team",
                       (long long)c->id);
    WRITE(s->ops->update_case(s->impl, c, (int)expect, err), 0u);
}

int store_scan_cases(struct store *s, const struct case_filter *f,
                     store_case_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_cases(s->impl, f, cb, ctx, err);
}

int store_put_case_note(struct store *s, struct case_note *n, struct err *err)
{
    if (!n->actor || !n->text || !*n->text)
        return err_set(err, ERR_INVALID, "note: actor and text required");
    WRITE(s->ops->put_case_note(s->impl, n, err), 0u);
}

int store_scan_case_notes(struct store *s, int64_t case_id,
                          store_case_note_cb cb, void *ctx, struct err *err)
{
    return s->ops->scan_case_notes(s->impl, case_id, cb, ctx, err);
}

int store_customer_email(struct store *s, int64_t customer_id, char **email,
                         struct err *err)
{
    *email = NULL;
    return s->ops->customer_email(s->impl, customer_id, email, err);
}

int store_put_outbox(struct store *s, struct outbox_msg *m, struct err *err)
{
    if (!m->kind || !m->target || !m->event || !m->payload)
        return err_set(err, ERR_INVALID,
                       "notification: kind, target, event and payload "
                       "required");
    WRITE(s->ops->put_outbox(s->impl, m, err), 0u);
}

int store_due_outbox(struct store *s, int64_t now, const char *kind, long limit,
                     int (*cb)(void *ctx, const struct outbox_msg *m),
                     void *ctx, struct err *err)
{
    return s->ops->due_outbox(s->impl, now, kind, limit, cb, ctx, err);
}

int store_update_outbox(struct store *s, const struct outbox_msg *m,
                        struct err *err)
{
    WRITE(s->ops->update_outbox(s->impl, m, err), 0u);
}

int store_list_outbox(struct store *s, int state, long limit,
                      int (*cb)(void *ctx, const struct outbox_msg *m),
                      void *ctx, struct err *err)
{
    return s->ops->list_outbox(s->impl, state, limit, cb, ctx, err);
}

int store_outbox_next(struct store *s, int64_t *next_at, struct err *err)
{
    return s->ops->outbox_next(s->impl, next_at, err);
}

int store_outbox_last(struct store *s, const char *event, int64_t *created,
                      struct err *err)
{
    return s->ops->outbox_last(s->impl, event, created, err);
}

int store_put_improvement(struct store *s, struct improvement *im,
                          struct err *err)
{
    if (im->touchpoint_id <= 0 || !im->title || !im->actor)
        return err_set(err, ERR_INVALID,
                       "improvement: touchpoint, title and actor required");
    WRITE(s->ops->put_improvement(s->impl, im, err), 0u);
}

int store_list_improvements(struct store *s,
                            int (*cb)(void *ctx, const struct improvement *im),
                            void *ctx, struct err *err)
{
    return s->ops->list_improvements(s->impl, cb, ctx, err);
}

int store_window_counts(struct store *s, int64_t touchpoint_id,
                        const char *theme, int64_t from, int64_t to,
                        struct window_counts *out, struct err *err)
{
    return s->ops->window_counts(s->impl, touchpoint_id, theme, from, to, out,
                                 err);
}

int store_count_by_touchpoint(struct store *s, int64_t from, int64_t to,
                              int (*cb)(void *ctx, int64_t touchpoint_id,
                                        int64_t n),
                              void *ctx, struct err *err)
{
    return s->ops->count_by_touchpoint(s->impl, from, to, cb, ctx, err);
}

int store_area_customer_nps(struct store *s, int64_t from, int64_t to,
                            int (*cb)(void *ctx, const char *theme,
                                      int64_t touchpoint_id,
                                      const int64_t hist[11]),
                            void *ctx, struct err *err)
{
    return s->ops->area_customer_nps(s->impl, from, to, cb, ctx, err);
}
