#include "query/prepare.h"

#include <stdio.h>
#include <string.h>

#include "colstore/colstore.h"
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

int query_prepare_field(struct colstore *cs, struct store *s,
                        const struct field *f, enum field_context ctx,
                        struct err *err)
{
    char name[FIELD_MAX_NAME + 8];
    const char *attr;
    int found, rc;
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
        return colstore_load_column(cs, s, COLSTORE_CUSTOMERS, f->name,
                                    &found, err);
    case FIELD_ATTR:
        if (ctx == FIELD_EVENTS)
            return colstore_load_column(cs, s, COLSTORE_EVENTS, f->name,
                                        &found, err);
        snprintf(name, sizeof name, "attr:%s", f->name);
        return colstore_load_column(cs, s, COLSTORE_RESPONSES, name, &found,
                                    err);
    case FIELD_ANSWER:
        return colstore_load_column(cs, s, COLSTORE_RESPONSES, f->name,
                                    &found, err);
    case FIELD_EVENT:
        if ((rc = colstore_load_events(cs, s, err)) < 0)
            return rc;
        if (query_event_split(cs, f->name, &attr) < 0 || !attr)
            return 0; /* resolving says what is wrong */
        return colstore_load_column(cs, s, COLSTORE_EVENTS, attr, &found,
                                    err);
    }
    return 0;
}
