#pragma once
/* Private to src/query: how a resolved field owns what it built, and the
 * resolvers that live in files of their own. */

#include <stddef.h>
#include <stdint.h>

#include "query/qfield.h"

struct qfield_own {
    void *codes;
    uint32_t *value_of;
    const char **label;
    const char **display;
    int64_t *key;
    double *num;
    char **strs; /* strings the labels point at */
    size_t n_strs, cap_strs;
};

struct qfield *qfield_alloc(const struct field *f, enum colstore_table t,
                            size_t rows);
/* A copy of s owned by qf. */
const char *qfield_own_str(struct qfield *qf, const char *s);
/* Fresh label (and display, key) arrays of n values; marks qf
 * categorical. */
void qfield_set_values(struct qfield *qf, uint32_t n, int with_display,
                       int with_key);
/* A fresh value_of of n_codes entries (zeroed). */
uint32_t *qfield_set_value_of(struct qfield *qf, uint32_t n_codes);
/* Fresh per-row codes of width bytes (zeroed), owned by qf. */
void *qfield_set_codes(struct qfield *qf, int width);
/* A fresh per-row numeric view owned by qf (uninitialised). */
double *qfield_set_num(struct qfield *qf);

/* A named column of table t as qf's view (query/columns.c). */
int qfield_named(struct qfield *qf, const struct colstore *cs,
                 enum colstore_table t, const char *name, struct err *err);
/* customer.NAME gathered onto qf's rows (query/columns.c). */
int qfield_customer(struct qfield *qf, const struct colstore *cs,
                    struct err *err);
/* The segment each event's customer had at the event (query/columns.c). */
int qfield_segment_of_events(struct qfield *qf, const struct colstore *cs,
                             struct err *err);
/* event.ACTIVITY[.ATTR] features of responses (query/feature.c), for the
 * rows with need[i] != 0 (all when need is NULL). */
int qfield_event_feature(struct qfield *qf, const struct colstore *cs,
                         const uint8_t *need, struct err *err);
/* Orders the codes 1..card-1 of a categorical named column for display
 * (numbers numerically when every label is one, else by bytes; code 0,
 * "(none)", last) and sets qf's values and value_of from the column's
 * labels. label(code) gives each code's label. */
void qfield_order_labels(struct qfield *qf, uint32_t card,
                         const char *(*label)(const void *ctx, uint32_t code),
                         const void *ctx);
/* qfield_order_labels with the labels of named column col of table t. */
void qfield_order_column(struct qfield *qf, const struct colstore *cs,
                         enum colstore_table t, int col);
