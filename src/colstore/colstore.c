#include "colstore/colstore.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore_int.h"
#include "colstore/dict.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"

static const char *const dim_names[DIM_COUNT] = {
    "stage",    "touchpoint", "channel",   "segment", "kind",
    "language", "journey",    "sentiment", "theme",   "day",
    "week",     "month",      "quarter",   "year"};

static const char *const sentiment_labels[] = {
    "negative", "neutral", "positive", "mixed", COLSTORE_NONE};

const char *colstore_dim_name(enum colstore_dim d)
{
    return (unsigned)d < DIM_COUNT ? dim_names[d] : "?";
}

int colstore_dim_parse(enum colstore_dim *out, const char *s, size_t n)
{
    for (int d = 0; d < DIM_COUNT; d++) {
        if (strlen(dim_names[d]) == n && !memcmp(dim_names[d], s, n)) {
            *out = (enum colstore_dim)d;
            return 0;
        }
    }
    return ERR_INVALID;
}

int colstore_dim_is_period(enum colstore_dim d)
{
    return d >= DIM_DAY && d < DIM_COUNT;
}

struct colstore *colstore_new(void)
{
    struct colstore *cs = xcalloc(1, sizeof *cs);
    for (int d = 0; d < N_CAT; d++)
        cs->dict[d] = dict_new(d == DIM_SEGMENT ? COLSTORE_MAX_COL_CODES
                                                : COLSTORE_MAX_CODES);
    cs->day_base = COLSTORE_DAY_BASE;
    dict_intern(cs->dict[DIM_KIND], "customer", 8); /* RESPONDENT_CUSTOMER */
    dict_intern(cs->dict[DIM_KIND], "employee", 8); /* RESPONDENT_EMPLOYEE */
    for (size_t i = 0; i < sizeof sentiment_labels / sizeof *sentiment_labels;
         i++)
        dict_intern(cs->dict[DIM_SENTIMENT], sentiment_labels[i],
                    strlen(sentiment_labels[i]));
    return cs;
}

void colstore_free(struct colstore *cs)
{
    if (!cs)
        return;
    colstore_map_detach(cs);
    for (int d = 0; d < N_CAT; d++) {
        if (cs->nodes[d])
            for (size_t i = 0; i < dict_size(cs->dict[d]); i++) {
                struct node *nd = &cs->nodes[d][i];
                free(nd->name);
                free(nd->owner);
                for (int a = 0; a < nd->n_aliases; a++)
                    free(nd->aliases[a]);
                free(nd->aliases);
            }
        free(cs->nodes[d]);
        dict_free(cs->dict[d]);
    }
    colstore_cols_free(cs);
    free(cs->id);
    free(cs->ts);
    free(cs->customer);
    free(cs->touchpoint);
    free(cs->channel);
    free(cs->segment);
    free(cs->language);
    free(cs->sentiment);
    free(cs->m_row);
    free(cs->m_theme);
    free(cs->m_aspect);
    free(cs->day);
    free(cs->kind);
    free(cs->nps);
    free(cs->csat);
    free(cs->ces);
    free(cs);
}

/* Adds a touchpoint, stage or journey with a unique key. */
static int add_node(struct colstore *cs, enum colstore_dim dim, const char *key,
                    const char *name, int parent, int position, struct err *err)
{
    struct dict *d = cs->dict[dim];
    size_t kn = strlen(key);
    if (dict_find(d, key, kn) >= 0)
        return err_set(err, ERR_INVALID, "%s key \"%s\" is used twice",
                       colstore_dim_name(dim), key);
    int code = dict_intern(d, key, kn);
    if (code < 0)
        return err_set(err, ERR_INVALID, "more than %d %ss", COLSTORE_MAX_CODES,
                       colstore_dim_name(dim));
    cs->nodes[dim] = xgrow(cs->nodes[dim], &cs->node_cap[dim], (size_t)code + 1,
                           sizeof *cs->nodes[dim]);
    struct node *nd = &cs->nodes[dim][code];
    memset(nd, 0, sizeof *nd);
    nd->name = xstrdup(name && *name ? name : key);
    nd->parent = parent;
    nd->position = position;
    return code;
}

int colstore_add_journey(struct colstore *cs, const char *key, const char *name,
                         struct err *err)
{
    return add_node(cs, DIM_JOURNEY, key, name, -1, 0, err);
}

int colstore_add_stage(struct colstore *cs, int journey, const char *key,
                       const char *name, int position, struct err *err)
{
    if (journey < 0 || (size_t)journey >= dict_size(cs->dict[DIM_JOURNEY]))
        return err_set(err, ERR_INVALID, "stage %s: no journey %d", key,
                       journey);
    return add_node(cs, DIM_STAGE, key, name, journey, position, err);
}

int colstore_add_touchpoint(struct colstore *cs, int stage, const char *key,
                            const char *name, struct err *err)
{
    if (stage < 0 || (size_t)stage >= dict_size(cs->dict[DIM_STAGE]))
        return err_set(err, ERR_INVALID, "touchpoint %s: no stage %d", key,
                       stage);
    return add_node(cs, DIM_TOUCHPOINT, key, name, stage, 0, err);
}

int colstore_intern(struct colstore *cs, enum colstore_dim dim,
                    const char *label, struct err *err)
{
    if (dim != DIM_CHANNEL && dim != DIM_SEGMENT && dim != DIM_LANGUAGE &&
        dim != DIM_THEME)
        return err_set(err, ERR_INVALID, "cannot add values to %s",
                       colstore_dim_name(dim));
    int code = dict_intern(cs->dict[dim], label, strlen(label));
    if (code < 0)
        return err_set(err, ERR_INVALID, "more than %u distinct %ss",
                       dim == DIM_SEGMENT ? COLSTORE_MAX_COL_CODES
                                          : (unsigned)COLSTORE_MAX_CODES,
                       colstore_dim_name(dim));
    return code;
}

void colstore_reserve(struct colstore *cs, size_t rows)
{
    assert(!cs->map); /* colstore_own first */
    size_t need = cs->n + rows;
    if (need <= cs->cap)
        return;
    cs->touchpoint = xrealloc(cs->touchpoint, need * sizeof(uint16_t));
    cs->channel = xrealloc(cs->channel, need * sizeof(uint16_t));
    cs->segment = xrealloc(cs->segment, need * sizeof(uint32_t));
    cs->language = xrealloc(cs->language, need * sizeof(uint16_t));
    cs->sentiment = xrealloc(cs->sentiment, need * sizeof(uint16_t));
    cs->day = xrealloc(cs->day, need * sizeof(uint32_t));
    cs->kind = xrealloc(cs->kind, need);
    cs->nps = xrealloc(cs->nps, need);
    cs->csat = xrealloc(cs->csat, need);
    cs->ces = xrealloc(cs->ces, need);
    cs->id = xrealloc(cs->id, need * sizeof *cs->id);
    cs->ts = xrealloc(cs->ts, need * sizeof *cs->ts);
    cs->customer = xrealloc(cs->customer, need * sizeof *cs->customer);
    colstore_cols_reserve(cs, COLSTORE_RESPONSES, cs->cap, need);
    cs->cap = need;
}

int colstore_day_offset(int64_t day, uint32_t *off, struct err *err)
{
    int64_t lo = tstamp_days_from_civil(COLSTORE_YEAR_MIN, 1, 1);
    int64_t hi = tstamp_days_from_civil(COLSTORE_YEAR_MAX, 12, 31);
    if (day < lo || day > hi) {
        int y;
        unsigned m, d;
        tstamp_civil_from_days(day, &y, &m, &d);
        return err_set(err, ERR_INVALID,
                       "a date in the year %d lies outside %d..%d", y,
                       COLSTORE_YEAR_MIN, COLSTORE_YEAR_MAX);
    }
    *off = (uint32_t)(day - COLSTORE_DAY_BASE);
    return 0;
}

/* The code of COLSTORE_NONE in a segment or language dictionary. */
static int none_code(struct colstore *cs, enum colstore_dim dim,
                     struct err *err)
{
    return colstore_intern(cs, dim, COLSTORE_NONE, err);
}

static int valid_code(const struct colstore *cs, enum colstore_dim dim,
                      int code)
{
    return code >= 0 && (size_t)code < dict_size(cs->dict[dim]);
}

int colstore_append(struct colstore *cs, const struct colstore_row *r,
                    struct err *err)
{
    assert(!cs->map); /* colstore_own first */
    int seg = r->segment, lang = r->language;
    if (!valid_code(cs, DIM_TOUCHPOINT, r->touchpoint))
        return err_set(err, ERR_INVALID, "no touchpoint code %d",
                       r->touchpoint);
    if (!valid_code(cs, DIM_CHANNEL, r->channel))
        return err_set(err, ERR_INVALID, "no channel code %d", r->channel);
    if (seg < 0 && (seg = none_code(cs, DIM_SEGMENT, err)) < 0)
        return seg;
    if (!valid_code(cs, DIM_SEGMENT, seg))
        return err_set(err, ERR_INVALID, "no segment code %d", seg);
    if (lang < 0 && (lang = none_code(cs, DIM_LANGUAGE, err)) < 0)
        return lang;
    if (!valid_code(cs, DIM_LANGUAGE, lang))
        return err_set(err, ERR_INVALID, "no language code %d", lang);
    if (r->kind != 0 && r->kind != 1)
        return err_set(err, ERR_INVALID, "respondent kind %d", r->kind);
    if (r->nps < -1 || r->nps > 10)
        return err_set(err, ERR_INVALID, "nps must be 0..10, got %d", r->nps);
    if (r->csat < -1 || r->csat == 0 || r->csat > 5)
        return err_set(err, ERR_INVALID, "csat must be 1..5, got %d", r->csat);
    if (r->ces < -1 || r->ces == 0 || r->ces > 7)
        return err_set(err, ERR_INVALID, "ces must be 1..7, got %d", r->ces);
    if (r->customer < -1 ||
        (r->customer >= 0 && (uint64_t)r->customer >= cs->n_cust))
        return err_set(err, ERR_INVALID, "no customer index %lld",
                       (long long)r->customer);
    if (cs->n && r->id && r->id <= cs->id[cs->n - 1])
        return err_set(err, ERR_INVALID,
                       "response ids must increase (%lld after %lld)",
                       (long long)r->id, (long long)cs->id[cs->n - 1]);
    uint32_t off;
    int rc;
    if ((rc = colstore_day_offset(r->day, &off, err)) < 0)
        return rc;
    if (cs->n == cs->cap)
        colstore_reserve(cs, cs->cap < 1024 ? 1024 : cs->cap);
    size_t i = cs->n++;
    cs->touchpoint[i] = (uint16_t)r->touchpoint;
    cs->channel[i] = (uint16_t)r->channel;
    cs->segment[i] = (uint32_t)seg;
    cs->language[i] = (uint16_t)lang;
    cs->sentiment[i] = COLSTORE_NO_SENTIMENT;
    cs->kind[i] = (uint8_t)r->kind;
    cs->day[i] = off;
    cs->nps[i] = (int8_t)r->nps;
    cs->csat[i] = (int8_t)r->csat;
    cs->ces[i] = (int8_t)r->ces;
    cs->id[i] = r->id ? r->id : (i ? cs->id[i - 1] + 1 : 1);
    cs->ts[i] = r->ts ? r->ts : r->day * 86400;
    cs->customer[i] =
        r->customer < 0 ? COLSTORE_NO_CUSTOMER : (uint32_t)r->customer;
    if (i == 0 || off < cs->day_lo)
        cs->day_lo = off;
    if (i == 0 || off > cs->day_hi)
        cs->day_hi = off;
    return 0;
}

int colstore_sentiment_code(const char *label)
{
    for (int i = 0; i < COLSTORE_NO_SENTIMENT; i++)
        if (label && !strcmp(label, sentiment_labels[i]))
            return i;
    return -1;
}

int colstore_set_sentiment(struct colstore *cs, size_t row, int code,
                           struct err *err)
{
    assert(!cs->map);
    if (row >= cs->n)
        return err_set(err, ERR_INVALID, "no row %zu", row);
    if (code < 0 || code > COLSTORE_NO_SENTIMENT)
        return err_set(err, ERR_INVALID, "no sentiment code %d", code);
    cs->sentiment[row] = (uint16_t)code;
    return 0;
}

int colstore_add_mention(struct colstore *cs, size_t row, int theme, int aspect,
                         struct err *err)
{
    assert(!cs->map);
    if (row >= cs->n || row > UINT32_MAX)
        return err_set(err, ERR_INVALID, "no row %zu", row);
    if (!valid_code(cs, DIM_THEME, theme))
        return err_set(err, ERR_INVALID, "no theme code %d", theme);
    if (aspect < -1 || aspect > 1)
        return err_set(err, ERR_INVALID, "aspect must be -1, 0 or 1");
    if (cs->n_m && cs->m_row[cs->n_m - 1] > row)
        return err_set(err, ERR_INVALID,
                       "mentions must come in row order (row %zu after %u)",
                       row, (unsigned)cs->m_row[cs->n_m - 1]);
    for (size_t j = cs->n_m; j-- > 0 && cs->m_row[j] == row;)
        if (cs->m_theme[j] == theme) {
            if (aspect < cs->m_aspect[j])
                cs->m_aspect[j] = (int8_t)aspect;
            return 0;
        }
    if (cs->n_m == cs->cap_m) {
        size_t cap = cs->cap_m < 1024 ? 1024 : cs->cap_m * 2;
        cs->m_row = xrealloc(cs->m_row, cap * sizeof *cs->m_row);
        cs->m_theme = xrealloc(cs->m_theme, cap * sizeof *cs->m_theme);
        cs->m_aspect = xrealloc(cs->m_aspect, cap * sizeof *cs->m_aspect);
        cs->cap_m = cap;
    }
    cs->m_row[cs->n_m] = (uint32_t)row;
    cs->m_theme[cs->n_m] = (uint16_t)theme;
    cs->m_aspect[cs->n_m] = (int8_t)aspect;
    cs->n_m++;
    return 0;
}

size_t colstore_rows(const struct colstore *cs)
{
    return cs->n;
}

size_t colstore_memory(const struct colstore *cs)
{
    size_t b = sizeof *cs +
               cs->cap * (4 * sizeof(uint16_t) + 2 * sizeof(uint32_t) + 4 +
                          2 * 8 + 4) +
               cs->cap_m * (sizeof(uint32_t) + sizeof(uint16_t) + 1) +
               colstore_cols_memory(cs);
    for (int d = 0; d < N_CAT; d++) {
        b += dict_memory(cs->dict[d]) + cs->node_cap[d] * sizeof(struct node);
        if (cs->nodes[d])
            for (size_t i = 0; i < dict_size(cs->dict[d]); i++)
                b += strlen(cs->nodes[d][i].name) + 1;
    }
    return b;
}

size_t colstore_card(const struct colstore *cs, enum colstore_dim dim)
{
    return (unsigned)dim < N_CAT ? dict_size(cs->dict[dim]) : 0;
}

const char *colstore_label(const struct colstore *cs, enum colstore_dim dim,
                           int code)
{
    assert((unsigned)dim < N_CAT);
    return dict_label(cs->dict[dim], code);
}

const char *colstore_name(const struct colstore *cs, enum colstore_dim dim,
                          int code)
{
    assert((unsigned)dim < N_CAT);
    if (colstore_dim_has_nodes(dim)) {
        assert(code >= 0 && (size_t)code < dict_size(cs->dict[dim]));
        return cs->nodes[dim][code].name;
    }
    return dict_label(cs->dict[dim], code);
}

int colstore_find(const struct colstore *cs, enum colstore_dim dim,
                  const char *label, size_t n)
{
    if ((unsigned)dim >= N_CAT)
        return -1;
    return dict_find(cs->dict[dim], label, n);
}

int colstore_touchpoint_stage(const struct colstore *cs, int touchpoint)
{
    assert(valid_code(cs, DIM_TOUCHPOINT, touchpoint));
    return cs->nodes[DIM_TOUCHPOINT][touchpoint].parent;
}

int colstore_stage_journey(const struct colstore *cs, int stage)
{
    assert(valid_code(cs, DIM_STAGE, stage));
    return cs->nodes[DIM_STAGE][stage].parent;
}

int colstore_stage_position(const struct colstore *cs, int stage)
{
    assert(valid_code(cs, DIM_STAGE, stage));
    return cs->nodes[DIM_STAGE][stage].position;
}

/* A sort record: up to three integer keys, a label, then the code. */
struct order_key {
    int64_t k[3];
    const char *label;
    int code;
};

static int order_cmp(const void *pa, const void *pb)
{
    const struct order_key *a = pa, *b = pb;
    for (int i = 0; i < 3; i++)
        if (a->k[i] != b->k[i])
            return a->k[i] < b->k[i] ? -1 : 1;
    if (a->label && b->label) {
        int c = strcmp(a->label, b->label);
        if (c)
            return c;
    }
    return a->code < b->code ? -1 : a->code > b->code;
}

void colstore_order(const struct colstore *cs, enum colstore_dim dim,
                    uint32_t *rank)
{
    size_t n = colstore_card(cs, dim);
    if (n == 0)
        return;
    uint32_t *jr = NULL, *sr = NULL;
    struct order_key *keys = xcalloc(n, sizeof *keys);
    if (dim == DIM_STAGE || dim == DIM_TOUCHPOINT) {
        jr = xmalloc(colstore_card(cs, DIM_JOURNEY) * sizeof *jr + 1);
        colstore_order(cs, DIM_JOURNEY, jr);
    }
    if (dim == DIM_TOUCHPOINT) {
        sr = xmalloc(colstore_card(cs, DIM_STAGE) * sizeof *sr + 1);
        colstore_order(cs, DIM_STAGE, sr);
    }
    for (size_t c = 0; c < n; c++) {
        struct order_key *k = &keys[c];
        k->code = (int)c;
        if (dim == DIM_STAGE) {
            k->k[0] = jr[cs->nodes[DIM_STAGE][c].parent];
            k->k[1] = cs->nodes[DIM_STAGE][c].position;
        } else if (dim == DIM_TOUCHPOINT) {
            k->k[0] = sr[cs->nodes[DIM_TOUCHPOINT][c].parent];
        } else if (dim == DIM_SEGMENT || dim == DIM_LANGUAGE ||
                   dim == DIM_THEME) {
            k->label = dict_label(cs->dict[dim], (int)c);
            k->k[0] = !strcmp(k->label, COLSTORE_NONE);
        }
    }
    qsort(keys, n, sizeof *keys, order_cmp);
    for (size_t i = 0; i < n; i++)
        rank[keys[i].code] = (uint32_t)i;
    free(keys);
    free(jr);
    free(sr);
}

void colstore_columns(const struct colstore *cs, struct colstore_columns *out)
{
    /* A snapshot's columns are NULL until verified (snapshot.h). */
    unsigned ok = cs->map ? colstore_map_verified(cs->map) : ~0u;
#define V(need, p) ((ok & (need)) ? (p) : NULL)
    out->n = cs->n;
    out->touchpoint = V(COLSTORE_NEED_TOUCHPOINT, cs->touchpoint);
    out->channel = V(COLSTORE_NEED_CHANNEL, cs->channel);
    out->segment = V(COLSTORE_NEED_SEGMENT, cs->segment);
    out->language = V(COLSTORE_NEED_LANGUAGE, cs->language);
    out->sentiment = V(COLSTORE_NEED_SENTIMENT, cs->sentiment);
    out->kind = V(COLSTORE_NEED_KIND, cs->kind);
    out->day = V(COLSTORE_NEED_DAY, cs->day);
    out->nps = V(COLSTORE_NEED_NPS, cs->nps);
    out->csat = V(COLSTORE_NEED_CSAT, cs->csat);
    out->ces = V(COLSTORE_NEED_CES, cs->ces);
    out->day_base = cs->day_base;
    out->day_lo = cs->day_lo;
    out->day_hi = cs->day_hi;
    out->id = V(COLSTORE_NEED_ID, cs->id);
    out->ts = V(COLSTORE_NEED_TS, cs->ts);
    out->customer = V(COLSTORE_NEED_CUSTOMER, cs->customer);
    out->n_mentions = cs->n_m;
    out->mention_row = V(COLSTORE_NEED_MENTIONS, cs->m_row);
    out->mention_theme = V(COLSTORE_NEED_MENTIONS, cs->m_theme);
    out->mention_aspect = V(COLSTORE_NEED_MENTIONS, cs->m_aspect);
#undef V
}

int64_t colstore_find_id(const int64_t *ids, size_t n, int64_t id)
{
    if (!n || id < ids[0] || id > ids[n - 1])
        return -1;
    /* Strictly increasing ids without a gap (SQLite rowids, mostly) are
     * found by arithmetic: no read of the array, whose random reads are
     * what loading costs. */
    if ((uint64_t)ids[n - 1] - (uint64_t)ids[0] == n - 1)
        return (int64_t)((uint64_t)id - (uint64_t)ids[0]);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (int64_t)lo : -1;
}

int64_t colstore_row_of_id(const struct colstore *cs, int64_t id)
{
    return colstore_find_id(cs->id, cs->n, id);
}

int colstore_set_tpinfo(struct colstore *cs, int touchpoint,
                        const struct colstore_tpinfo *info, struct err *err)
{
    if (!valid_code(cs, DIM_TOUCHPOINT, touchpoint))
        return err_set(err, ERR_INVALID, "no touchpoint code %d", touchpoint);
    struct node *nd = &cs->nodes[DIM_TOUCHPOINT][touchpoint];
    free(nd->owner);
    for (int a = 0; a < nd->n_aliases; a++)
        free(nd->aliases[a]);
    free(nd->aliases);
    nd->owner = info->owner && *info->owner ? xstrdup(info->owner) : NULL;
    nd->moment_of_truth = info->moment_of_truth;
    nd->physical = info->physical;
    nd->lifecycle = info->lifecycle;
    nd->n_aliases = info->n_aliases > 0 ? info->n_aliases : 0;
    nd->aliases = nd->n_aliases
                      ? xcalloc((size_t)nd->n_aliases, sizeof *nd->aliases)
                      : NULL;
    for (int a = 0; a < nd->n_aliases; a++)
        nd->aliases[a] = xstrdup(info->aliases[a]);
    return 0;
}

void colstore_tpinfo(const struct colstore *cs, int touchpoint,
                     struct colstore_tpinfo *out)
{
    assert(valid_code(cs, DIM_TOUCHPOINT, touchpoint));
    const struct node *nd = &cs->nodes[DIM_TOUCHPOINT][touchpoint];
    out->owner = nd->owner;
    out->moment_of_truth = nd->moment_of_truth;
    out->physical = nd->physical;
    out->lifecycle = nd->lifecycle;
    out->aliases = (const char *const *)nd->aliases;
    out->n_aliases = nd->n_aliases;
}
