#pragma once
/* Private to src/analysis/personas*.c: the design the clustering runs on
 * and the card builder (personas_cards.c). */

#include <stddef.h>
#include <stdint.h>

#include "analysis/personas.h"
#include "colstore/colstore.h"

/* ---- the design: one row per customer ---- */

struct design {
    size_t m, pn, pc;
    double *raw;    /* pn columns of m: column j at raw + j * m; NaN =
                     * no value */
    double *w;      /* pn: weight of each numeric column (a channel
                     * group of c columns: 1/c each) */
    double *x;      /* m x pn, standardised, times sqrt(w), NaN -> 0 */
    uint32_t *c;    /* m x pc */
    uint32_t *nlev; /* pc */
    size_t *loff;   /* pc: offset of feature j's levels in a count row */
    size_t ltot;
    int *cat_col; /* pc: customer column, for labels */
    size_t cap_n, cap_c;
    struct personas_feature *fn, *fc; /* numeric, categorical */
};

/* The per-customer facts the behaviour features and cards read. */
struct cust {
    const struct colstore *cs;
    struct colstore_columns col;
    const uint8_t *use;
    size_t m;
    uint32_t *idx; /* [m] customer index */
    int64_t *pos;  /* [all customers] row in the design, or -1 */
    size_t *nresp; /* [m] */
};

struct protos {
    double *x;   /* k x pn */
    uint32_t *c; /* k x pc */
};

/* The k-prototypes dissimilarity of design row i to a prototype (px,
 * pc): squared Euclidean on the standardised numeric features plus
 * gamma times the categorical mismatches. */
double personas_dist(const struct design *d, double gamma, size_t i,
                     const double *px, const uint32_t *pc);

/* Fills r->p (k cards, largest persona first) and r->assign (relabelled
 * to match) from the assignment as and prototypes p of r->k clusters. */
void personas_cards_build(struct personas_result *r, const struct design *d,
                          const struct cust *cu, const struct protos *p,
                          const uint32_t *as);
