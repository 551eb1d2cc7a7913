#include "query/prepare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/model.h"
#include "store/store.h"

int64_t query_event_split(const struct colstore *cs, const char *name,
                          const char **attr)
{
    size_t n = strlen(name);
    int64_t a = colstore_activity_code(cs, name, n);
    *attr = NULL;
    if (a >= 0)
        return a;
    for (size_t i = n; i-- > 1;) {
        if (name[i] != '.')
            continue;
        a = colstore_activity_code(cs, name, i);
        if (a >= 0) {
            *attr = name + i + 1;
            return a;
        }
    }
    return -1;
}

unsigned query_field_need(const struct field *f, enum field_context ctx)
{
    if (ctx != FIELD_RESPONSES || f->kind != FIELD_CORE)
        return COLSTORE_NEED_ALL; /* read through ids and customers */
    switch (f->core) {
    case FC_STAGE:
    case FC_TOUCHPOINT:
    case FC_JOURNEY:
    case FC_LIFECYCLE:
    case FC_OWNER:
    case FC_MOMENT_OF_TRUTH:
    case FC_PHYSICAL:
        return COLSTORE_NEED_TOUCHPOINT;
    case FC_CHANNEL:
        return COLSTORE_NEED_CHANNEL;
    case FC_SEGMENT:
        return COLSTORE_NEED_SEGMENT;
    case FC_KIND:
        return COLSTORE_NEED_KIND;
    case FC_LANGUAGE:
        return COLSTORE_NEED_LANGUAGE;
    case FC_SENTIMENT:
        return COLSTORE_NEED_SENTIMENT;
    case FC_THEME:
        return COLSTORE_NEED_MENTIONS;
    case FC_DAY:
    case FC_WEEK:
    case FC_MONTH:
    case FC_QUARTER:
    case FC_YEAR:
        return COLSTORE_NEED_DAY;
    case FC_NPS_GROUP:
    case FC_NPS_SCORE:
        return COLSTORE_NEED_NPS;
    case FC_CSAT_GROUP:
    case FC_CSAT_SCORE:
        return COLSTORE_NEED_CSAT;
    case FC_CES_GROUP:
    case FC_CES_SCORE:
        return COLSTORE_NEED_CES;
    default:
        return COLSTORE_NEED_ALL;
    }
}

int query_prepare_field(struct colstore *cs, struct store *s,
                        const struct field *f, enum field_context ctx,
                        struct err *err)
{
    char name[FIELD_MAX_NAME + 8];
    const char *attr;
    int found, rc;
    if ((rc = colstore_verify(cs, query_field_need(f, ctx), err)) < 0)
        return rc;
    if (ctx == FIELD_EVENTS && (rc = colstore_load_events(cs, s, err)) < 0)
        return rc;
    switch (f->kind) {
    case FIELD_CORE:
        if (f->core == FC_COMMENT_LANGUAGE)
            return colstore_load_column(cs, s, COLSTORE_RESPONSES,
                                        "comment_language", &found, err);
        if (f->core == FC_ACTIVITY)
            return colstore_load_events(cs, s, err);
        return 0;
    case FIELD_CUSTOMER:
        if (!strcmp(f->name, "segment"))
            return 0;
        return colstore_load_column(cs, s, COLSTORE_CUSTOMERS, f->name, &found,
                                    err);
    case FIELD_ATTR:
        if (ctx == FIELD_EVENTS)
            return colstore_load_column(cs, s, COLSTORE_EVENTS, f->name, &found,
                                        err);
        snprintf(name, sizeof name, "attr:%s", f->name);
        return colstore_load_column(cs, s, COLSTORE_RESPONSES, name, &found,
                                    err);
    case FIELD_ANSWER:
        return colstore_load_column(cs, s, COLSTORE_RESPONSES, f->name, &found,
                                    err);
    case FIELD_EVENT:
        if ((rc = colstore_load_events(cs, s, err)) < 0)
            return rc;
        if (query_event_split(cs, f->name, &attr) < 0 || !attr)
            return 0; /* resolving says what is wrong */
        return colstore_load_column(cs, s, COLSTORE_EVENTS, attr, &found, err);
    }
    return 0;
}

void query_keys_add(struct query_keys *k, const char *s, size_t n)
{
    for (size_t i = 0; i < k->n; i++)
        if (strlen(k->v[i]) == n && !memcmp(k->v[i], s, n))
            return;
    if (k->max && k->n >= k->max) {
        k->too_many = 1;
        return;
    }
    k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
    char *c = xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = 0;
    k->v[k->n++] = c;
}

void query_keys_dispose(struct query_keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i]);
    free(k->v);
    k->v = NULL;
    k->n = k->cap = 0;
}

static int on_answer_key(void *ctx, int64_t response_id, const struct answer *a)
{
    (void)response_id;
    query_keys_add(ctx, a->question, strlen(a->question));
    return 0;
}

int query_answer_keys(struct query_keys *k, struct store *s, int kind,
                      struct err *err)
{
    return store_scan_answers(s, 1u << kind, on_answer_key, k, err);
}
