#pragma once
/* Private to src/colstore: the column store's layout, shared by
 * colstore.c (fixed response columns, dictionaries, order), colstore_cols.c
 * (customers, named columns, events) and the loader. */

#include <stddef.h>
#include <stdint.h>

#include "colstore/colstore.h"

struct dict;
struct colstore_map;

#define N_CAT (DIM_THEME + 1) /* categorical dimensions come first */

/* 1 for the dimensions whose codes carry a struct node. */
static inline int colstore_dim_has_nodes(enum colstore_dim d)
{
    return d == DIM_TOUCHPOINT || d == DIM_STAGE || d == DIM_JOURNEY;
}

/* Extra facts about a touchpoint, stage or journey code. */
struct node {
    char *name;
    int parent;   /* touchpoint -> stage, stage -> journey; -1 for journey */
    int position; /* stages: order within the journey */
    /* touchpoints only */
    char *owner;
    int moment_of_truth, physical, lifecycle;
    char **aliases;
    int n_aliases;
};

/* A named column of one table. */
struct ncol {
    char *name;
    enum colstore_colkind kind;
    double scale_max;
    uint32_t *codes;   /* categorical, cap entries */
    struct dict *dict; /* categorical: code 0 is COLSTORE_NONE */
    double *num;       /* numeric, cap entries */
};

struct ntable {
    struct ncol *cols;
    size_t n_cols, cap_cols;
    char **missing; /* names loaded and found in no row */
    size_t n_missing;
};

struct colstore {
    struct dict *dict[N_CAT];
    struct node *nodes[N_CAT]; /* touchpoint, stage, journey only */
    size_t node_cap[N_CAT];

    size_t n, cap;
    uint16_t *touchpoint, *channel, *language, *sentiment;
    uint32_t *segment, *day;
    uint8_t *kind;
    int8_t *nps, *csat, *ces;
    int64_t *id, *ts;
    uint32_t *customer;
    int64_t day_base; /* COLSTORE_DAY_BASE */
    uint32_t day_lo, day_hi;

    size_t n_m, cap_m; /* theme mentions, in row order */
    uint32_t *m_row;
    uint16_t *m_theme;
    int8_t *m_aspect;

    /* customers, in store id order */
    size_t n_cust, cap_cust;
    int64_t *cust_id;
    int32_t *cust_segment; /* current segment code, -1 = none */
    /* segment history, in (customer, since) order */
    size_t n_hist, cap_hist;
    int64_t *hist_since;
    int32_t *hist_segment;
    size_t *hist_first; /* [hist_first_n]: first entry of customer c */
    size_t hist_first_n, hist_first_cap;

    /* events, in (customer, ts) order */
    int have_events;
    size_t n_ev, cap_ev;
    uint32_t *ev_customer, *ev_activity, *ev_touchpoint, *ev_channel;
    int64_t *ev_ts, *ev_id;
    uint32_t *ev_day;
    uint32_t ev_day_lo, ev_day_hi;
    size_t *ev_first; /* [ev_first_n]: first event row of each customer
                       * up to the last one with events */
    size_t ev_first_n, ev_first_cap;
    struct dict *activities;
    /* event rows by store id: ids ascending and their rows, built by
     * colstore_event_index (the loader) */
    int64_t *ev_sorted_id;
    uint32_t *ev_sorted_row;
    size_t ev_sorted_n;

    struct ntable tables[COLSTORE_N_TABLES];

    /* Set when the fixed columns, mentions and customers point into a
     * snapshot (snapshot.c): read-only until colstore_own. */
    struct colstore_map *map;
};

/* The enum colstore_need columns of m verified so far. */
unsigned colstore_map_verified(const struct colstore_map *m);
void colstore_map_free(struct colstore_map *m);
/* Forgets the mapped arrays (pointers set to NULL) and unmaps. */
void colstore_map_detach(struct colstore *cs);

/* Rows in table t. */
size_t colstore_table_rows(const struct colstore *cs, enum colstore_table t);
/* Grows every named column of t to cap rows (new rows without a value). */
void colstore_cols_reserve(struct colstore *cs, enum colstore_table t,
                           size_t old_cap, size_t cap);
/* The offset of a local day from COLSTORE_DAY_BASE, or ERR_INVALID for a
 * day outside COLSTORE_YEAR_MIN..COLSTORE_YEAR_MAX. */
int colstore_day_offset(int64_t day, uint32_t *off, struct err *err);
void colstore_cols_free(struct colstore *cs);
size_t colstore_cols_memory(const struct colstore *cs);
/* Builds the id -> row index of the events (after they are added). */
void colstore_event_index(struct colstore *cs);
/* Index of id in ids[0..n), strictly increasing, or -1. */
int64_t colstore_find_id(const int64_t *ids, size_t n, int64_t id);
