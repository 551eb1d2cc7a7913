#include "query/prepare.h"

#include <stdio.h>
#include <string.h>

#include "colstore/colstore.h"
#include "colstore/snapshot.h"
#include "core/err.h"

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
