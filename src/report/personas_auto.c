/* A default feature list for personas from what the data has
 * (report/personas_auto.h). */
#include "report/personas_auto.h"

#include <math.h>
#include <string.h>

#include "core/strbuf.h"

/* Longest attribute name taken: a card's label has room for it. */
#define NAME_MAX_LEN 64

/* A name the feature list can hold as customer.NAME: none of the list's
 * separators (',' between features, '/' of a ratio, ':' of channels:),
 * nothing field_parse refuses, no blank. */
static int good_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > NAME_MAX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f || strchr(",/:\"=;<>!'", c))
            return 0;
    }
    return 1;
}

static enum personas_auto_verdict judge(const struct personas_candidate *c)
{
    if (!good_name(c->name))
        return PERSONAS_AUTO_BAD_NAME;
    if (!c->customers || 2 * c->with_value < c->customers)
        return PERSONAS_AUTO_SPARSE;
    if (c->categorical) {
        if (c->levels < 2)
            return PERSONAS_AUTO_CONSTANT;
        if (c->levels > PERSONAS_AUTO_MAX_LEVELS ||
            2 * c->levels > c->with_value)
            return PERSONAS_AUTO_TOO_MANY;
        return PERSONAS_AUTO_USED;
    }
    if (!(isfinite(c->sd) && c->sd > 0))
        return PERSONAS_AUTO_CONSTANT;
    return PERSONAS_AUTO_USED;
}

size_t personas_auto_features(struct strbuf *out,
                              const struct personas_candidate *c, size_t n,
                              enum personas_auto_verdict *verdict)
{
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        enum personas_auto_verdict v = judge(&c[i]);
        if (v == PERSONAS_AUTO_USED && used == PERSONAS_AUTO_MAX_ATTRS)
            v = PERSONAS_AUTO_FULL;
        verdict[i] = v;
        if (v != PERSONAS_AUTO_USED)
            continue;
        strbuf_printf(out, "%scustomer.%s", used ? "," : "", c[i].name);
        used++;
    }
    strbuf_puts(out, used ? ",nps" : PERSONAS_AUTO_FALLBACK);
    return used;
}
