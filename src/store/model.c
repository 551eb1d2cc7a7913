#include "store/model.h"

#include <string.h>

static const char *const lifecycles[] = {"attract", "onboard", "use", "renew",
                                         "leave"};
static const char *const answer_kinds[] = {"rating", "gap",  "text", "choice",
                                           "triad",  "dyad", "story"};

const char *lifecycle_name(enum lifecycle l)
{
    return (unsigned)l < 5 ? lifecycles[l] : "?";
}

int lifecycle_parse(enum lifecycle *out, const char *s)
{
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, lifecycles[i])) {
            *out = (enum lifecycle)i;
            return 0;
        }
    return -1;
}

const char *answer_kind_name(enum answer_kind k)
{
    return (unsigned)k < 7 ? answer_kinds[k] : "?";
}

int answer_kind_parse(enum answer_kind *out, const char *s)
{
    for (int i = 0; i < 7; i++)
        if (!strcmp(s, answer_kinds[i])) {
            *out = (enum answer_kind)i;
            return 0;
        }
    return -1;
}
