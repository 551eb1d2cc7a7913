#pragma once
/* The personas page's two halves (docs/web.md): page_personas.c reads
 * the URL, picks the default features and runs the analysis (struct
 * run); page_personas_view.c renders a run as cards, a chart, tables and
 * the facts of what was used. Private to src/server. */

#include <stddef.h>

#include "analysis/personas.h"
#include "core/err.h"
#include "query/field.h"
#include "query/prepare.h"
#include "report/personas_auto.h"
#include "server/pages_int.h"
#include "stats/metrics.h"

#define MAX_CANDIDATES 32 /* attributes considered for the default */
#define UNSET (-1L)

struct call;
struct result;
struct strbuf;

/* The command's own options as the URL gives them (the API's names);
 * UNSET or NULL: the command's default. */
struct persona_args {
    const char *features, *truth;
    long k, k_max, seed, starts, min_n;
};

struct key_scan {
    struct query_keys keys;
    size_t seen;
};

/* The default features of this data into *features (caller frees), the
 * candidates judged in cand/verdict (names borrowed from keys). */
struct auto_pick {
    struct key_scan scan;
    struct personas_candidate cand[MAX_CANDIDATES];
    enum personas_auto_verdict verdict[MAX_CANDIDATES];
    size_t n, used;
    char *features;
};

struct run {
    struct metrics_query q;
    struct personas_spec *spec;
    struct personas_result *res;
    struct field truth;
    char **quotes; /* [2k] */
    struct auto_pick pick;
    int picked;           /* features chosen from the data */
    int default_period;   /* from set as the overview does */
    const char *features; /* as run: given or picked (borrowed) */
    struct err err;       /* of the analysis: shown on the page */
};

/* The options as a query string ("features=..&k=4&format=csv"), extra
 * last (may be NULL); raw, to be escaped as an attribute. Empty: NULL. */
char *persona_args_query(const struct persona_args *a, const char *extra);

/* ---- page_personas_view.c ---- */

/* The form of the filters and the analysis's options. */
void persona_options_form(struct strbuf *b, enum web_lang lang,
                          const struct page_view *v,
                          const struct persona_args *a);
/* What was used: period, filter, features (and those left out, with
 * why), customers, k, stability, the match against `truth`. */
void persona_facts(struct strbuf *b, struct call *c, enum web_lang lang,
                   const struct page_view *v, const struct run *r);
/* Persona i of r as a card. */
void persona_card(struct strbuf *b, struct call *c, enum web_lang lang,
                  const struct run *r, int i);
/* NPS by persona as bars with their CIs and a table behind them. */
void persona_nps_chart(struct strbuf *b, enum web_lang lang,
                       const struct run *r);
/* The personas' figures as a result table (caller frees). */
struct result *persona_table_result(struct call *c, enum web_lang lang,
                                    const struct run *r);
/* How k was chosen: silhouette and cost by k (caller frees). */
struct result *persona_criterion_result(enum web_lang lang,
                                        const struct personas_result *res);
/* r as HTML in lang. */
void persona_render_result(struct strbuf *b, enum web_lang lang,
                           const struct result *r);
