#pragma once
/* What a field needs loaded before it can be resolved: a named column of
 * the column store, or the events table. The column store loads these
 * once and keeps them, so queries that never name an attribute, answer or
 * event cost nothing extra. */

#include "query/field.h"

struct colstore;
struct err;
struct store;

/* The column store columns f reads (enum colstore_need): a fixed
 * dimension its own column, anything else all of them. */
unsigned query_field_need(const struct field *f, enum field_context ctx);

/* Verifies (colstore_verify) and loads from s into cs what f (in context
 * ctx) needs. A column that no
 * row has is not an error here: resolving the field says so. Returns 0
 * or the store's error. */
int query_prepare_field(struct colstore *cs, struct store *s,
                        const struct field *f, enum field_context ctx,
                        struct err *err);

/* Splits "ACTIVITY[.ATTR]" of an event field: the longest prefix that is
 * a loaded activity (activities may contain dots). Returns the activity
 * code and sets *attr (NULL without one), or -1. */
int64_t query_event_split(const struct colstore *cs, const char *name,
                          const char **attr);

/* A list of distinct keys (question keys), at most max of them. */
struct query_keys {
    char **v;
    size_t n, cap, max;
    int too_many; /* a key beyond max was left out */
};

/* Adds s[0..n) unless it is there already. */
void query_keys_add(struct query_keys *k, const char *s, size_t n);
void query_keys_dispose(struct query_keys *k);

/* Adds the question key of every answer of kind (enum answer_kind) in s,
 * in the order the store lists them: the questions a data set asks of
 * that kind (gap pairs, triads), for an analysis given none. */
int query_answer_keys(struct query_keys *k, struct store *s, int kind,
                      struct err *err);
