#pragma once
/* A default feature list for `personas` chosen from what the data has
 * (the web app's personas view, docs/web.md): the customer
 * attributes that can describe a persona, plus nps. The caller gathers
 * the facts about each candidate attribute (from the column store); this
 * module only decides, so the rule is tested without a store.
 *
 * An attribute is used when it
 *   - has a value for at least half the customers looked at (a sparse
 *     attribute would sit at the mean for most and say little),
 *   - varies (a numeric one with sd > 0, a categorical one with at least
 *     two levels besides "(none)"),
 *   - is not identifier-like: a categorical one has at most
 *     PERSONAS_AUTO_MAX_LEVELS levels (the analysis refuses more than 64,
 *     and a card of 30 postcodes says nothing) and fewer levels than half
 *     its values (every customer their own level is an id);
 * at most PERSONAS_AUTO_MAX_ATTRS of them, in the order given (the
 * store's). nps is always added; without any attribute the list is the
 * CLI's default, "channels,responses,touchpoints,nps". */

#include <stddef.h>

struct strbuf;

#define PERSONAS_AUTO_MAX_LEVELS 24
#define PERSONAS_AUTO_MAX_ATTRS 8
#define PERSONAS_AUTO_FALLBACK "channels,responses,touchpoints,nps"

/* What is known of one customer attribute. */
struct personas_candidate {
    const char *name; /* the attribute, without "customer." */
    int categorical;
    size_t levels;     /* categorical: levels with a value ("(none)" not
                          counted) */
    size_t with_value; /* customers with a value */
    size_t customers;  /* customers looked at */
    double sd;         /* numeric: standard deviation of the values */
};

/* Why a candidate was left out, or used. */
enum personas_auto_verdict {
    PERSONAS_AUTO_USED,
    PERSONAS_AUTO_SPARSE,   /* fewer than half have a value */
    PERSONAS_AUTO_CONSTANT, /* does not vary */
    PERSONAS_AUTO_TOO_MANY, /* too many levels: an id, a date, free text */
    PERSONAS_AUTO_BAD_NAME, /* a name the feature syntax cannot hold */
    PERSONAS_AUTO_FULL      /* PERSONAS_AUTO_MAX_ATTRS used already */
};

/* Decides every candidate: verdict[i] for c[i] (verdict has n slots), and
 * appends the feature list to out ("customer.a,customer.b,nps", or the
 * fallback). Returns the number of attributes used. */
size_t personas_auto_features(struct strbuf *out,
                              const struct personas_candidate *c, size_t n,
                              enum personas_auto_verdict *verdict);
