/* The column store snapshot (snapshot.h) and its upkeep by the store's
 * data version (colstore_sync.h, store_version), against a real SQLite
 * file in a temporary directory filled through the store contract. */
#include "harness.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "colstore/colstore.h"
#include "colstore/colstore_sync.h"
#include "colstore/snapshot.h"
#include "core/err.h"
#include "core/tstamp.h"
#include "stats/metrics.h"
#include "store/store.h"

/* ---- the file layout, mirrored from snapshot.c so a test can damage a
 * chosen part (header_of checks the mirror still matches the file) ---- */

enum {
    T_SEC_META,
    T_SEC_TOUCHPOINT,
    T_SEC_CHANNEL,
    T_SEC_SEGMENT,
    T_SEC_LANGUAGE,
    T_SEC_SENTIMENT,
    T_SEC_KIND,
    T_SEC_DAY,
    T_SEC_NPS,
    T_SEC_CSAT,
    T_SEC_CES,
    T_SEC_ID,
    T_SEC_TS,
    T_SEC_CUSTOMER,
    T_SEC_M_ROW,
    T_SEC_M_THEME,
    T_SEC_M_ASPECT,
    T_SEC_CUST_ID,
    T_SEC_CUST_SEG,
    T_SEC_HIST_SINCE,
    T_SEC_HIST_SEG,
    T_SEC_HIST_FIRST,
    T_N_SEC
};

struct t_sec {
    uint64_t offset, bytes, sum;
};

struct t_header {
    char magic[8];
    uint32_t format, endian;
    uint32_t n_sec, header_size;
    uint64_t file_size;
    unsigned char uuid[16];
    int64_t data_version;
    uint64_t rows, mentions, customers, hist, hist_first_n;
    uint32_t day_lo, day_hi;
    struct t_sec sec[T_N_SEC];
    uint64_t sum;
};

/* ---- files ---- */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len >= 0);
    rewind(f);
    unsigned char *p = malloc((size_t)len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

static void spew(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static struct t_header header_of(const unsigned char *img, size_t n)
{
    struct t_header h;
    assert_true(n >= sizeof h);
    memcpy(&h, img, sizeof h);
    assert_memory_equal(h.magic, "RSNCOLS\n", 8);
    /* the mirror above is out of date when these fail */
    assert_int_equal(h.header_size, sizeof h);
    assert_int_equal(h.n_sec, T_N_SEC);
    assert_int_equal(h.file_size, n);
    return h;
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* ---- a database with a bit of everything ---- */

struct world {
    char *dir, *db, *snap;
    struct store *s;
    int64_t tp[5], ch[4], cust[6], emp[2], stage[4], journey[2];
    int next; /* the next response's ext id number */
};

static int64_t ts_of(const char *iso, int *tz)
{
    int64_t utc;
    size_t col;
    struct err err = ERR_INIT;
    assert_int_equal(tstamp_parse(&utc, tz, iso, strlen(iso), &col, &err), 0);
    return utc;
}

static const char *const themes[] = {"digital", "digital/login", "price",
                                     "staff/kindness", "waiting"};
static const char *const labels[] = {"negative", "neutral", "positive", "mixed",
                                     NULL};

/* Response number k, a pure function of k (so two databases filled alike
 * hold the same data): touchpoint, channel, customer, kind, language,
 * time and zone, scores and, for some, one or two analysed comments. */
static void put_nth(struct world *w, int k)
{
    struct err err = ERR_INIT;
    char ext[32], when[40];
    int ins;
    struct response r;
    memset(&r, 0, sizeof r);
    snprintf(ext, sizeof ext, "r%d", k);
    r.ext_id = ext;
    r.touchpoint_id = w->tp[k % 5];
    r.channel_id = w->ch[(k / 2) % 4];
    if (k % 9 == 4) {
        r.kind = RESPONDENT_EMPLOYEE;
        r.employee_id = w->emp[k % 2];
    } else if (k % 7 != 3) {
        r.customer_id = w->cust[k % 6];
    }
    static const char *const langs[] = {"sv", "en", NULL, "sv", "fi"};
    r.language = langs[k % 5];
    static const char *const zones[] = {"+01:00", "+02:00", "Z", "-05:00"};
    snprintf(when, sizeof when, "2024-%02d-%02dT%02d:%02d:00%s",
             1 + (k * 7) % 12, 1 + (k * 11) % 28, (k * 5) % 24, k % 60,
             zones[k % 4]);
    r.ts = ts_of(when, &r.tz_min);
    r.nps = k % 13 == 5 ? -1 : (k * 7) % 11;
    r.csat = k % 3 ? 1 + k % 5 : -1;
    r.ces = k % 4 ? 1 + k % 7 : -1;

    struct theme_mention m[2][2] = {
        {{themes[k % 5], -0.4 + 0.1 * (k % 9)}, {themes[(k + 2) % 5], 0.03}},
        {{themes[(k + 1) % 5], 0.6}, {themes[k % 5], -0.8}}};
    struct comment_analysis a[2] = {
        {"sv", 0.9, labels[k % 5] ? -0.5 + 0.25 * (k % 5) : NAN, labels[k % 5],
         0, 0, NULL, m[0], 1 + k % 2},
        {"en", 0.8, labels[(k + 2) % 5] ? 0.4 : NAN, labels[(k + 2) % 5], 0, 0,
         NULL, m[1], 2}};
    struct answer ans[2] = {
        {"comment", ANSWER_TEXT, 0, 0, 0, "En kommentar", NULL, &a[0]},
        {"extra", ANSWER_TEXT, 0, 0, 0, "Another one", NULL, &a[1]}};
    if (k % 3 != 1) {
        r.answers = ans;
        r.n_answers = k % 4 == 0 ? 2 : 1;
    }
    if (store_put_response(w->s, &r, &ins, &err) != 0)
        fail_msg("response %d: %s", k, err.msg);
    assert_int_equal(ins, 1);
}

static void put_responses(struct world *w, int n)
{
    struct err err = ERR_INIT;
    assert_int_equal(store_begin(w->s, &err), 0);
    for (int i = 0; i < n; i++)
        put_nth(w, w->next++);
    assert_int_equal(store_commit(w->s, &err), 0);
}

static void fill_journeys(struct world *w)
{
    struct err err = ERR_INIT;
    int ins;
    struct journey live = {0, "live", "Bo", LIFECYCLE_USE};
    struct journey move = {0, "move", "Flytta in", LIFECYCLE_ONBOARD};
    assert_int_equal(store_put_journey(w->s, &live, &err), 0);
    assert_int_equal(store_put_journey(w->s, &move, &err), 0);
    /* "fix" first though it comes second; "report" twice (the second
     * becomes "move/report" in the column store) */
    struct stage fix = {0, live.id, "fix", "Åtgärd", 1};
    struct stage report = {0, live.id, "report", "Felanmälan", 0};
    struct stage mreport = {0, move.id, "report", "Anmäl flytt", 0};
    struct stage sign = {0, move.id, "sign", "Kontrakt", 1};
    assert_int_equal(store_put_stage(w->s, &fix, &err), 0);
    assert_int_equal(store_put_stage(w->s, &report, &err), 0);
    assert_int_equal(store_put_stage(w->s, &mreport, &err), 0);
    assert_int_equal(store_put_stage(w->s, &sign, &err), 0);
    w->journey[0] = live.id;
    w->journey[1] = move.id;
    w->stage[0] = report.id;
    w->stage[1] = fix.id;
    w->stage[2] = mreport.id;
    w->stage[3] = sign.id;
    static const char *const app_alias[] = {"Felanmälan app", "App report"};
    static const char *const web_alias[] = {"Flyttanmälan"};
    struct touchpoint tps[5] = {
        {0, report.id, "felanmalan_app", "I appen", "app", "Digital", 1, 0,
         app_alias, 2},
        {0, report.id, "felanmalan_tel", "Telefon", "phone", NULL, 0, 0, NULL,
         0},
        {0, fix.id, "besok", "Besök", "onsite", "Fält", 0, 1, NULL, 0},
        {0, mreport.id, "flytt_web", "Webben", "web", NULL, 0, 0, web_alias, 1},
        {0, sign.id, "kontrakt", "Kontrakt", "office", "Uthyrning", 1, 1, NULL,
         0}};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(store_put_touchpoint(w->s, &tps[i], &err), 0);
        w->tp[i] = tps[i].id;
    }
    static const char *const chans[] = {"app", "phone", "office", "web"};
    for (int i = 0; i < 4; i++) {
        struct channel c = {0, chans[i]};
        assert_int_equal(store_put_channel(w->s, &c, &err), 0);
        w->ch[i] = c.id;
    }
    static const char *const segs[] = {"Barnfamilj", "Student", NULL,
                                       "Senior",     "Student", "Företag"};
    for (int i = 0; i < 6; i++) {
        char ext[16];
        snprintf(ext, sizeof ext, "k%d", i);
        struct customer c = {0, ext, segs[i], NULL};
        assert_int_equal(store_put_customer(w->s, &c, &ins, &err), 0);
        w->cust[i] = c.id;
    }
    static const char *const emps[] = {"e1", "e2"};
    for (int i = 0; i < 2; i++) {
        struct employee e = {0, emps[i], "Anna", "Fält"};
        assert_int_equal(store_put_employee(w->s, &e, &ins, &err), 0);
        w->emp[i] = e.id;
    }
}

/* Segment history: k0 became a Senior on April 10th, k1 went from
 * Student to Ung vuxen and back. */
static void fill_history(struct world *w)
{
    struct err err = ERR_INIT;
    int changed, tz;
    struct customer c0 = {0, "k0", "Senior", NULL};
    assert_int_equal(store_update_customer(w->s, &c0,
                                           ts_of("2024-04-10T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    assert_int_equal(changed, 2);
    struct customer c1 = {0, "k1", "Ung vuxen", NULL};
    assert_int_equal(store_update_customer(w->s, &c1,
                                           ts_of("2024-03-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    struct customer c1b = {0, "k1", "Student", NULL};
    assert_int_equal(store_update_customer(w->s, &c1b,
                                           ts_of("2024-09-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    assert_int_equal(changed, 2);
}

static struct world *world_new(const char *name)
{
    struct err err = ERR_INIT;
    struct world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->dir = harness_tmpdir();
    assert_non_null(w->dir);
    w->db = path_join(w->dir, name);
    w->snap = colstore_snapshot_path(w->db);
    assert_string_equal(w->snap + strlen(w->db), ".colstore");
    assert_int_equal(store_open(&w->s, w->db, &err), 0);
    return w;
}

/* journeys, customers with history, and n responses */
static struct world *world_full(const char *name, int n)
{
    struct world *w = world_new(name);
    struct err err = ERR_INIT;
    /* one transaction: a commit a write costs a sync each */
    assert_int_equal(store_begin(w->s, &err), 0);
    fill_journeys(w);
    fill_history(w);
    assert_int_equal(store_commit(w->s, &err), 0);
    put_responses(w, n);
    return w;
}

static void world_free(struct world *w)
{
    store_free(w->s);
    free(w->db);
    free(w->snap);
    harness_tmpdir_free(w->dir); /* the db, its -wal/-shm, the snapshot */
    free(w);
}

static struct colstore *fresh(struct world *w)
{
    struct colstore *cs = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(colstore_load(&cs, w->s, &err), 0);
    return cs;
}

static struct colstore_stamp stamp_of(struct world *w)
{
    struct store_version v;
    struct colstore_stamp st;
    struct err err = ERR_INIT;
    assert_int_equal(store_version(w->s, &v, &err), 0);
    memcpy(st.uuid, v.uuid, sizeof st.uuid);
    st.data_version = v.data;
    return st;
}

static void write_snap(const struct colstore *cs, const char *path,
                       const struct colstore_stamp *st)
{
    struct err err = ERR_INIT;
    int skipped = -1;
    assert_int_equal(
        colstore_snapshot_write(cs, path, st, NULL, &skipped, &err), 0);
    assert_int_equal(skipped, 0);
}

static struct colstore *open_snap(const char *path, unsigned need)
{
    struct colstore *cs = NULL;
    struct colstore_stamp st;
    struct err err = ERR_INIT;
    if (colstore_snapshot_open(&cs, path, need, &st, &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    assert_true(colstore_is_mapped(cs));
    return cs;
}

static int sync_open(struct colstore **cs, struct world *w,
                     struct colstore_open_info *info)
{
    struct colstore_open_opts o = {.path = w->snap, .need = COLSTORE_NEED_ALL};
    struct err err = ERR_INIT;
    int rc = colstore_open(cs, w->s, &o, info, &err);
    if (rc != 0)
        fail_msg("colstore_open: %s", err.msg);
    return rc;
}

/* ---- comparing two column stores ---- */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *seg_label(const struct colstore *cs, int code)
{
    return code < 0 ? "<no segment>" : colstore_label(cs, DIM_SEGMENT, code);
}

/* Dictionaries, touchpoint facts and display order. exact: the codes are
 * the same too (else: the same labels under any codes; segments only,
 * whose codes depend on the order their customers were read). */
static void assert_same_dicts(const struct colstore *a,
                              const struct colstore *b, int exact)
{
    for (int d = 0; d <= DIM_THEME; d++) {
        enum colstore_dim dim = (enum colstore_dim)d;
        size_t n = colstore_card(a, dim);
        assert_int_equal(colstore_card(b, dim), n);
        uint32_t *ra = calloc(n + 1, sizeof *ra),
                 *rb = calloc(n + 1, sizeof *rb);
        colstore_order(a, dim, ra);
        colstore_order(b, dim, rb);
        for (size_t c = 0; c < n; c++) {
            const char *la = colstore_label(a, dim, (int)c);
            if (exact || dim != DIM_SEGMENT) {
                assert_string_equal(la, colstore_label(b, dim, (int)c));
                assert_string_equal(colstore_name(a, dim, (int)c),
                                    colstore_name(b, dim, (int)c));
                assert_int_equal(ra[c], rb[c]);
            } else {
                int cb = colstore_find(b, dim, la, strlen(la));
                assert_true(cb >= 0);
                assert_int_equal(ra[c], rb[cb]); /* alphabetical either way */
            }
        }
        free(ra);
        free(rb);
    }
    for (size_t t = 0; t < colstore_card(a, DIM_TOUCHPOINT); t++) {
        struct colstore_tpinfo ia, ib;
        colstore_tpinfo(a, (int)t, &ia);
        colstore_tpinfo(b, (int)t, &ib);
        assert_true(same_str(ia.owner, ib.owner));
        assert_int_equal(ia.moment_of_truth, ib.moment_of_truth);
        assert_int_equal(ia.physical, ib.physical);
        assert_int_equal(ia.lifecycle, ib.lifecycle);
        assert_int_equal(ia.n_aliases, ib.n_aliases);
        for (int k = 0; k < ia.n_aliases; k++)
            assert_string_equal(ia.aliases[k], ib.aliases[k]);
        assert_int_equal(colstore_touchpoint_stage(a, (int)t),
                         colstore_touchpoint_stage(b, (int)t));
    }
    for (size_t s = 0; s < colstore_card(a, DIM_STAGE); s++) {
        assert_int_equal(colstore_stage_journey(a, (int)s),
                         colstore_stage_journey(b, (int)s));
        assert_int_equal(colstore_stage_position(a, (int)s),
                         colstore_stage_position(b, (int)s));
    }
}

#define SAME_COL(f, n)                                                         \
    do {                                                                       \
        assert_non_null(ca.f);                                                 \
        assert_non_null(cb.f);                                                 \
        assert_memory_equal(ca.f, cb.f, (n) * sizeof *ca.f);                   \
    } while (0)

static void assert_same_columns(const struct colstore *a,
                                const struct colstore *b, int exact)
{
    struct colstore_columns ca, cb;
    colstore_columns(a, &ca);
    colstore_columns(b, &cb);
    assert_int_equal(colstore_rows(a), colstore_rows(b));
    assert_int_equal(ca.n, cb.n);
    if (ca.n == 0)
        return;
    SAME_COL(touchpoint, ca.n);
    SAME_COL(channel, ca.n);
    SAME_COL(language, ca.n);
    SAME_COL(sentiment, ca.n);
    SAME_COL(kind, ca.n);
    SAME_COL(day, ca.n);
    SAME_COL(nps, ca.n);
    SAME_COL(csat, ca.n);
    SAME_COL(ces, ca.n);
    SAME_COL(id, ca.n);
    SAME_COL(ts, ca.n);
    SAME_COL(customer, ca.n);
    assert_int_equal(ca.day_base, cb.day_base);
    assert_int_equal(ca.day_lo, cb.day_lo);
    assert_int_equal(ca.day_hi, cb.day_hi);
    assert_int_equal(ca.n_mentions, cb.n_mentions);
    if (ca.n_mentions) {
        SAME_COL(mention_row, ca.n_mentions);
        SAME_COL(mention_theme, ca.n_mentions);
        SAME_COL(mention_aspect, ca.n_mentions);
    }
    if (exact) {
        SAME_COL(segment, ca.n);
    } else {
        assert_non_null(cb.segment);
        for (size_t i = 0; i < ca.n; i++)
            assert_string_equal(
                colstore_label(a, DIM_SEGMENT, (int)ca.segment[i]),
                colstore_label(b, DIM_SEGMENT, (int)cb.segment[i]));
    }
}

/* Customers, their current segment and the segment history as
 * colstore_segment_at reads it. */
static void assert_same_customers(const struct colstore *a,
                                  const struct colstore *b,
                                  const struct world *w)
{
    static const char *const when[] = {
        "2023-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2024-03-01T00:00:00Z",
        "2024-04-09T23:59:59Z", "2024-04-10T00:00:00Z", "2024-08-31T12:00:00Z",
        "2024-09-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    size_t n = colstore_customers(a);
    assert_int_equal(colstore_customers(b), n);
    for (size_t c = 0; c < n; c++) {
        assert_string_equal(seg_label(a, colstore_customer_segment(a, c)),
                            seg_label(b, colstore_customer_segment(b, c)));
        assert_string_equal(seg_label(a, colstore_segment_at(a, c, INT64_MIN)),
                            seg_label(b, colstore_segment_at(b, c, INT64_MIN)));
        assert_string_equal(seg_label(a, colstore_segment_at(a, c, INT64_MAX)),
                            seg_label(b, colstore_segment_at(b, c, INT64_MAX)));
        for (size_t k = 0; k < sizeof when / sizeof *when; k++) {
            int tz;
            int64_t t = ts_of(when[k], &tz);
            assert_string_equal(seg_label(a, colstore_segment_at(a, c, t)),
                                seg_label(b, colstore_segment_at(b, c, t)));
        }
    }
    for (size_t i = 0; i < sizeof w->cust / sizeof *w->cust; i++)
        if (w->cust[i])
            assert_int_equal(colstore_customer_index(a, w->cust[i]),
                             colstore_customer_index(b, w->cust[i]));
}

static struct metrics_result *run(const struct colstore *cs, const char *by,
                                  const char *metrics)
{
    struct metrics_query q;
    struct metrics_result *r = NULL;
    struct err err = ERR_INIT;
    metrics_query_init(&q, FIELD_RESPONSES);
    assert_int_equal(metrics_query_by(&q, by, &err), 0);
    if (metrics)
        assert_int_equal(metrics_query_metrics(&q, metrics, &err), 0);
    if (metrics_run(&r, cs, &q, &err) != 0)
        fail_msg("metrics --by %s: %s", by, err.msg);
    metrics_query_dispose(&q);
    return r;
}

static void same_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        assert_true(isnan(a) && isnan(b));
    else
        assert_close(a, b, 0, 0);
}

static void assert_same_metrics(const struct colstore *a,
                                const struct colstore *b, const char *by,
                                const char *metrics)
{
    struct metrics_result *ra = run(a, by, metrics), *rb = run(b, by, metrics);
    assert_int_equal(ra->n_cells, rb->n_cells);
    assert_int_equal(ra->n_figs, rb->n_figs);
    assert_int_equal(ra->rows, rb->rows);
    for (size_t i = 0; i < ra->n_cells; i++) {
        const struct metrics_cell *x = &ra->cells[i], *y = &rb->cells[i];
        for (int k = 0; k < ra->n_by; k++) {
            assert_string_equal(x->label[k], y->label[k]);
            assert_string_equal(x->display[k], y->display[k]);
        }
        assert_int_equal(x->n, y->n);
        for (size_t f = 0; f < ra->n_figs; f++) {
            assert_int_equal(x->fig[f].n, y->fig[f].n);
            same_double(x->fig[f].value, y->fig[f].value);
            same_double(x->fig[f].lo, y->fig[f].lo);
            same_double(x->fig[f].hi, y->fig[f].hi);
        }
    }
    metrics_result_free(ra);
    metrics_result_free(rb);
}

/* Everything a reader can see is the same. exact: down to the segment
 * codes. */
static void assert_same_store(const struct colstore *a,
                              const struct colstore *b, const struct world *w,
                              int exact)
{
    assert_same_dicts(a, b, exact);
    assert_same_columns(a, b, exact);
    assert_same_customers(a, b, w);
    if (colstore_rows(a) == 0)
        return;
    assert_same_metrics(a, b, "touchpoint,month", NULL);
    assert_same_metrics(a, b, "segment,channel", NULL);
    assert_same_metrics(a, b, "theme,sentiment", "nps,count");
    assert_same_metrics(a, b, "stage,kind,language", "csat,ces");
}

/* ---- a. round trip ---- */

/* A loaded column store written and mapped back is the same column store,
 * every column byte for byte, dictionaries, touchpoint facts, customers
 * and query results. */
static void test_snapshot_round_trip_keeps_everything(void **state)
{
    (void)state;
    struct world *w = world_full("round.db", 120);
    struct colstore *cs = fresh(w), *back;
    struct colstore_stamp st = stamp_of(w), got;
    struct err err = ERR_INIT;

    /* the data set has what the comparison is meant to cover */
    struct colstore_columns c;
    colstore_columns(cs, &c);
    assert_int_equal(c.n, 120);
    assert_true(c.n_mentions > 50);
    assert_int_equal(colstore_card(cs, DIM_JOURNEY), 2);
    assert_int_equal(colstore_card(cs, DIM_STAGE), 4);
    assert_true(colstore_find(cs, DIM_STAGE, "move/report", 11) >= 0);
    assert_int_equal(colstore_customers(cs), 6);
    int employees = 0, sentiments = 0;
    for (size_t i = 0; i < c.n; i++) {
        employees += c.kind[i] == RESPONDENT_EMPLOYEE;
        sentiments += c.sentiment[i] != COLSTORE_NO_SENTIMENT;
    }
    assert_true(employees > 5);
    assert_true(sentiments > 30);
    int app = colstore_find(cs, DIM_TOUCHPOINT, "felanmalan_app", 14);
    struct colstore_tpinfo ti;
    colstore_tpinfo(cs, app, &ti);
    assert_int_equal(ti.n_aliases, 2);
    assert_string_equal(ti.owner, "Digital");

    write_snap(cs, w->snap, &st);
    struct stat sb;
    assert_int_equal(stat(w->snap, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *tmp = path_join(w->dir, "round.db.colstore.tmp");
    assert_int_equal(access(tmp, F_OK), -1); /* renamed into place */
    free(tmp);

    assert_int_equal(
        colstore_snapshot_open(&back, w->snap, COLSTORE_NEED_ALL, &got, &err),
        0);
    assert_true(colstore_is_mapped(back));
    assert_memory_equal(got.uuid, st.uuid, sizeof st.uuid);
    assert_int_equal(got.data_version, st.data_version);
    assert_same_store(cs, back, w, 1);

    /* the same again from memory */
    size_t n;
    unsigned char *img = slurp(w->snap, &n);
    struct colstore *mem = NULL;
    assert_int_equal(
        colstore_snapshot_open_mem(&mem, img, n, COLSTORE_NEED_ALL, &got, &err),
        0);
    assert_same_store(cs, mem, w, 1);
    /* sealing a sound image changes nothing */
    unsigned char *copy = malloc(n);
    memcpy(copy, img, n);
    assert_int_equal(colstore_snapshot_seal(copy, n), 0);
    assert_memory_equal(copy, img, n);
    free(copy);
    free(img);
    colstore_free(mem);

    /* a fully verified mapping can be written again, and the result is the
     * same file */
    char *again = path_join(w->dir, "again.colstore");
    write_snap(back, again, &st);
    size_t n1, n2;
    unsigned char *f1 = slurp(w->snap, &n1), *f2 = slurp(again, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(f1, f2, n1);
    free(f1);
    free(f2);
    free(again);
    colstore_free(back);
    colstore_free(cs);
    world_free(w);
}

/* An empty database makes an empty snapshot that maps back empty. */
static void test_snapshot_of_empty_store(void **state)
{
    (void)state;
    struct world *w = world_new("empty.db");
    struct colstore *cs = fresh(w), *back;
    struct colstore_stamp st = stamp_of(w);
    write_snap(cs, w->snap, &st);
    back = open_snap(w->snap, COLSTORE_NEED_ALL);
    assert_int_equal(colstore_rows(back), 0);
    assert_int_equal(colstore_customers(back), 0);
    assert_same_dicts(cs, back, 1);
    colstore_free(back);
    colstore_free(cs);
    world_free(w);
}

/* A mapped column store made heap-owned takes appends like any other. */
static void test_snapshot_own_then_append(void **state)
{
    (void)state;
    struct world *w = world_full("own.db", 30);
    struct colstore *cs = fresh(w), *back;
    struct colstore_stamp st = stamp_of(w);
    struct err err = ERR_INIT;
    write_snap(cs, w->snap, &st);
    back = open_snap(w->snap, COLSTORE_NEED_NPS);
    /* unverified columns cannot be written out */
    int skipped;
    char *other = path_join(w->dir, "other.colstore");
    assert_int_equal(
        colstore_snapshot_write(back, other, &st, NULL, &skipped, &err),
        ERR_INTERNAL);
    assert_int_equal(colstore_own(back, &err), 0);
    assert_false(colstore_is_mapped(back));
    assert_same_store(cs, back, w, 1);
    struct colstore_row r = {
        0, 0,  -1, -1, 0,  tstamp_days_from_civil(2025, 1, 1),
        9, -1, -1, 0,  -1, 0};
    assert_int_equal(colstore_append(back, &r, &err), 0);
    assert_int_equal(colstore_add_customer(back, 1000000, "Ny", &err), 6);
    assert_int_equal(colstore_rows(back), 31);
    err_clear(&err);
    assert_int_equal(
        colstore_snapshot_write(back, other, &st, NULL, &skipped, &err), 0);
    struct colstore *again = open_snap(other, COLSTORE_NEED_ALL);
    assert_int_equal(colstore_rows(again), 31);
    assert_same_columns(back, again, 1);
    colstore_free(again);
    free(other);
    colstore_free(back);
    colstore_free(cs);
    world_free(w);
}

/* ---- b. lazy verification ---- */

static void test_snapshot_verifies_columns_when_needed(void **state)
{
    (void)state;
    struct world *w = world_full("lazy.db", 40);
    struct colstore *cs = fresh(w), *back;
    struct colstore_stamp st = stamp_of(w);
    struct err err = ERR_INIT;
    write_snap(cs, w->snap, &st);
    back = open_snap(w->snap, COLSTORE_NEED_NPS);
    struct colstore_columns c, f;
    colstore_columns(back, &c);
    colstore_columns(cs, &f);
    assert_int_equal(c.n, 40);
    assert_non_null(c.nps);
    assert_memory_equal(c.nps, f.nps, 40);
    assert_null(c.touchpoint);
    assert_null(c.day);
    assert_null(c.csat);
    assert_null(c.mention_row);
    assert_int_equal(colstore_verify(back, COLSTORE_NEED_TOUCHPOINT, &err), 0);
    colstore_columns(back, &c);
    assert_non_null(c.touchpoint);
    assert_memory_equal(c.touchpoint, f.touchpoint, 40 * sizeof *c.touchpoint);
    assert_null(c.day);
    /* verifying twice, or a column store not from a snapshot, is a no-op */
    assert_int_equal(colstore_verify(back, COLSTORE_NEED_TOUCHPOINT, &err), 0);
    assert_int_equal(colstore_verify(cs, COLSTORE_NEED_ALL, &err), 0);
    /* a need of several sections counts once all of them are verified */
    colstore_columns(back, &c);
    assert_null(c.mention_theme);
    assert_int_equal(colstore_verify(back, COLSTORE_NEED_MENTIONS, &err), 0);
    colstore_columns(back, &c);
    assert_non_null(c.mention_row);
    assert_non_null(c.mention_theme);
    assert_non_null(c.mention_aspect);
    colstore_free(back);
    colstore_free(cs);
    world_free(w);
}

/* ---- c. damage ---- */

/* Writes a good snapshot through colstore_open (so it is current), damages
 * it with `damage`, checks that opening it with every column fails (and,
 * for damage in a column, that opening with lazy_need works and
 * colstore_verify(verify_need) fails), then that colstore_open rebuilds
 * it into what a fresh load gives and saves a sound one. */
typedef void (*damage_fn)(unsigned char **img, size_t *n);

static void check_damage(damage_fn damage, unsigned lazy_need,
                         unsigned verify_need, const char *msg_part)
{
    struct world *w = world_full("damage.db", 60);
    struct colstore *cs = NULL, *ref = fresh(w);
    struct colstore_open_info info;
    struct colstore_stamp st;
    struct err err = ERR_INIT;

    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.saved, 1);
    colstore_free(cs);
    sync_open(&cs, w, &info); /* the control: undamaged, it is used */
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    colstore_free(cs);

    size_t n;
    unsigned char *img = slurp(w->snap, &n);
    damage(&img, &n);
    spew(w->snap, img, n);
    free(img);

    cs = NULL;
    int rc = colstore_snapshot_open(&cs, w->snap, COLSTORE_NEED_ALL, &st, &err);
    assert_int_equal(rc, ERR_INVALID);
    assert_null(cs);
    if (msg_part && !contains(err.msg, msg_part))
        fail_msg("\"%s\" does not say \"%s\"", err.msg, msg_part);
    if (lazy_need) {
        /* the damage is in a column not asked for: found when verified */
        err_clear(&err);
        assert_int_equal(
            colstore_snapshot_open(&cs, w->snap, lazy_need, &st, &err), 0);
        assert_int_equal(colstore_verify(cs, verify_need, &err), ERR_INVALID);
        if (msg_part)
            assert_true(contains(err.msg, msg_part));
        struct colstore_columns c;
        colstore_columns(cs, &c);
        assert_non_null(c.nps);
        colstore_free(cs);
        cs = NULL;
    }

    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_true(info.why[0] != 0);
    assert_int_equal(info.saved, 1);
    assert_string_equal(info.save_err, "");
    assert_same_store(ref, cs, w, 1);
    colstore_free(cs);
    sync_open(&cs, w, &info); /* the rebuilt snapshot is sound */
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    assert_same_store(ref, cs, w, 1);
    colstore_free(cs);
    colstore_free(ref);
    world_free(w);
}

static void flip_header(unsigned char **img, size_t *n)
{
    struct t_header h = header_of(*img, *n);
    (void)h;
    (*img)[offsetof(struct t_header, rows)] ^= 0x01; /* one row more/less */
}

static void flip_dictionaries(unsigned char **img, size_t *n)
{
    struct t_header h = header_of(*img, *n);
    assert_true(h.sec[T_SEC_META].bytes > 40);
    (*img)[h.sec[T_SEC_META].offset + h.sec[T_SEC_META].bytes / 2] ^= 0x20;
}

static void flip_day(unsigned char **img, size_t *n)
{
    struct t_header h = header_of(*img, *n);
    assert_int_equal(h.sec[T_SEC_DAY].bytes, h.rows * 4);
    (*img)[h.sec[T_SEC_DAY].offset + h.sec[T_SEC_DAY].bytes - 3] ^= 0x04;
}

static void flip_last_byte(unsigned char **img, size_t *n)
{
    /* the last section holding data: the customers' history index */
    struct t_header h = header_of(*img, *n);
    const struct t_sec *s = &h.sec[T_SEC_HIST_FIRST];
    assert_true(s->bytes > 0);
    (*img)[s->offset + s->bytes - 1] ^= 0x80;
}

static void truncate_half(unsigned char **img, size_t *n)
{
    (void)img;
    *n /= 2;
}

static void truncate_last(unsigned char **img, size_t *n)
{
    (void)img;
    *n -= 1;
}

static void truncate_header(unsigned char **img, size_t *n)
{
    (void)img;
    *n = sizeof(struct t_header) - 8;
}

/* Another format version, sealed: every checksum is right, the version
 * check alone must refuse it. */
static void other_format(unsigned char **img, size_t *n)
{
    struct t_header h = header_of(*img, *n);
    h.format += 1;
    memcpy(*img, &h, sizeof h);
    assert_int_equal(colstore_snapshot_seal(*img, *n), 0);
}

/* A touchpoint code beyond the dictionary, sealed: check_values must
 * refuse it. */
static void bad_touchpoint(unsigned char **img, size_t *n)
{
    struct t_header h = header_of(*img, *n);
    uint16_t v = 60000;
    assert_true(h.rows > 3);
    memcpy(*img + h.sec[T_SEC_TOUCHPOINT].offset + 3 * sizeof v, &v, sizeof v);
    assert_int_equal(colstore_snapshot_seal(*img, *n), 0);
}

static void test_snapshot_damaged_header(void **state)
{
    (void)state;
    check_damage(flip_header, 0, 0, "header");
}

static void test_snapshot_damaged_dictionaries(void **state)
{
    (void)state;
    check_damage(flip_dictionaries, 0, 0, "dictionaries");
}

static void test_snapshot_damaged_column(void **state)
{
    (void)state;
    check_damage(flip_day, COLSTORE_NEED_NPS, COLSTORE_NEED_DAY, "day");
    check_damage(flip_last_byte, COLSTORE_NEED_NPS, COLSTORE_NEED_CUSTOMERS,
                 "damaged");
}

static void test_snapshot_truncated(void **state)
{
    (void)state;
    check_damage(truncate_half, 0, 0, NULL);
    check_damage(truncate_last, 0, 0, NULL);
    check_damage(truncate_header, 0, 0, NULL);
}

static void test_snapshot_other_format_version(void **state)
{
    (void)state;
    check_damage(other_format, 0, 0, "format");
}

static void test_snapshot_code_out_of_range(void **state)
{
    (void)state;
    check_damage(bad_touchpoint, COLSTORE_NEED_NPS, COLSTORE_NEED_TOUCHPOINT,
                 "touchpoint");
}

/* Each value check of a column: a value that no load can make, planted
 * and sealed, is refused when that column is verified. */
static void test_snapshot_value_checks(void **state)
{
    (void)state;
    struct world *w = world_full("values.db", 50);
    struct colstore *cs = fresh(w);
    struct colstore_stamp st = stamp_of(w);
    write_snap(cs, w->snap, &st);
    size_t n;
    unsigned char *good = slurp(w->snap, &n);
    struct t_header h = header_of(good, n);
    uint32_t n_seg = (uint32_t)colstore_card(cs, DIM_SEGMENT);
    uint16_t n_theme = (uint16_t)colstore_card(cs, DIM_THEME);
    uint16_t n_chan = (uint16_t)colstore_card(cs, DIM_CHANNEL);
    uint16_t n_lang = (uint16_t)colstore_card(cs, DIM_LANGUAGE);
    int64_t id0, id1;
    memcpy(&id0, good + h.sec[T_SEC_ID].offset, 8);
    memcpy(&id1, good + h.sec[T_SEC_ID].offset + 8, 8);
    uint32_t m_last;
    memcpy(&m_last,
           good + h.sec[T_SEC_M_ROW].offset + h.sec[T_SEC_M_ROW].bytes - 4, 4);
    struct {
        int sec;
        size_t at; /* byte offset within the section */
        uint64_t v;
        size_t width;
        unsigned need;
        const char *what;
    } cases[] = {
        {T_SEC_CHANNEL, 2, n_chan, 2, COLSTORE_NEED_CHANNEL, "channel"},
        {T_SEC_SEGMENT, 4, n_seg, 4, COLSTORE_NEED_SEGMENT, "segment"},
        {T_SEC_LANGUAGE, 0, n_lang, 2, COLSTORE_NEED_LANGUAGE, "language"},
        {T_SEC_SENTIMENT, 6, COLSTORE_NO_SENTIMENT + 1, 2,
         COLSTORE_NEED_SENTIMENT, "sentiment"},
        {T_SEC_KIND, 1, 2, 1, COLSTORE_NEED_KIND, "kind"},
        {T_SEC_DAY, 0, h.day_hi + 1, 4, COLSTORE_NEED_DAY, "day"},
        {T_SEC_DAY, 4, h.day_lo - 1, 4, COLSTORE_NEED_DAY, "day"},
        {T_SEC_NPS, 0, 11, 1, COLSTORE_NEED_NPS, "nps"},
        {T_SEC_NPS, 1, (uint8_t)-2, 1, COLSTORE_NEED_NPS, "nps"},
        {T_SEC_CSAT, 0, 0, 1, COLSTORE_NEED_CSAT, "csat"},
        {T_SEC_CSAT, 0, 6, 1, COLSTORE_NEED_CSAT, "csat"},
        {T_SEC_CES, 0, 8, 1, COLSTORE_NEED_CES, "ces"},
        {T_SEC_ID, 8, (uint64_t)id0, 8, COLSTORE_NEED_ID, "id"},
        {T_SEC_ID, 0, (uint64_t)id1, 8, COLSTORE_NEED_ID, "id"},
        {T_SEC_CUSTOMER, 0, 6, 4, COLSTORE_NEED_CUSTOMER, "customer"},
        {T_SEC_M_ROW, h.sec[T_SEC_M_ROW].bytes - 4, h.rows, 4,
         COLSTORE_NEED_MENTIONS, "mention row"},
        {T_SEC_M_ROW, 0, m_last + 1, 4, COLSTORE_NEED_MENTIONS, "mention row"},
        {T_SEC_M_THEME, 0, n_theme, 2, COLSTORE_NEED_MENTIONS, "mention theme"},
        {T_SEC_M_ASPECT, 0, 2, 1, COLSTORE_NEED_MENTIONS, "mention aspect"},
        {T_SEC_CUST_ID, 8, 0, 8, COLSTORE_NEED_CUSTOMERS, "customer id"},
        {T_SEC_CUST_SEG, 0, n_seg, 4, COLSTORE_NEED_CUSTOMERS,
         "customer segment"},
        {T_SEC_CUST_SEG, 0, (uint32_t)-2, 4, COLSTORE_NEED_CUSTOMERS,
         "customer segment"},
        {T_SEC_HIST_SEG, 0, n_seg, 4, COLSTORE_NEED_CUSTOMERS,
         "segment history"},
        {T_SEC_HIST_FIRST, 0, h.hist + 1, 8, COLSTORE_NEED_CUSTOMERS,
         "segment index"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        unsigned char *img = malloc(n);
        memcpy(img, good, n);
        const struct t_sec *s = &h.sec[cases[k].sec];
        assert_true(cases[k].at + cases[k].width <= s->bytes);
        memcpy(img + s->offset + cases[k].at, &cases[k].v, cases[k].width);
        assert_int_equal(colstore_snapshot_seal(img, n), 0);
        struct colstore *back = NULL;
        struct err err = ERR_INIT;
        /* the planted value is all that is wrong: the rest verifies */
        assert_int_equal(
            colstore_snapshot_open_mem(
                &back, img, n, COLSTORE_NEED_ALL & ~cases[k].need, NULL, &err),
            0);
        if (colstore_verify(back, cases[k].need, &err) != ERR_INVALID)
            fail_msg("case %zu (%s) was not refused", k, cases[k].what);
        if (!contains(err.msg, cases[k].what))
            fail_msg("case %zu: \"%s\" does not name %s", k, err.msg,
                     cases[k].what);
        colstore_free(back);
        free(img);
    }
    free(good);
    colstore_free(cs);
    world_free(w);
}

/* Header fields that pass the checksum (sealed) but not the structure
 * checks: counts that do not fit the file or overflow, sections out of
 * place, a day range beyond 2200. */
static void test_snapshot_header_checks(void **state)
{
    (void)state;
    struct world *w = world_full("hdr.db", 20);
    struct colstore *cs = fresh(w);
    struct colstore_stamp st = stamp_of(w);
    write_snap(cs, w->snap, &st);
    size_t n;
    unsigned char *good = slurp(w->snap, &n);
    for (int k = 0; k < 11; k++) {
        unsigned char *img = malloc(n);
        memcpy(img, good, n);
        struct t_header h = header_of(img, n);
        switch (k) {
        case 0:
            h.rows += 1;
            break;
        case 1:
            h.rows = (uint64_t)1 << 62; /* rows * 4 wraps to 0 */
            break;
        case 2:
            /* hist * 4 and hist * 8 both wrap to 0: with empty history
             * sections this must still be refused */
            h.hist = (uint64_t)1 << 62;
            h.sec[T_SEC_HIST_SINCE].bytes = 0;
            h.sec[T_SEC_HIST_SEG].bytes = 0;
            break;
        case 3:
            h.mentions = (uint64_t)1 << 63;
            break;
        case 4:
            h.customers = UINT32_MAX;
            break;
        case 5:
            h.hist_first_n = h.customers + 1;
            break;
        case 6:
            h.sec[T_SEC_NPS].offset += 1; /* misaligned */
            break;
        case 7:
            h.sec[T_SEC_CES].offset = n; /* beyond the data */
            break;
        case 8:
            h.day_hi = (uint32_t)(tstamp_days_from_civil(2201, 1, 1) -
                                  COLSTORE_DAY_BASE);
            break;
        case 9:
            h.day_lo = h.day_hi + 1;
            break;
        case 10:
            h.endian = 0x04030201u;
            break;
        }
        memcpy(img, &h, sizeof h);
        assert_int_equal(colstore_snapshot_seal(img, n), 0);
        struct colstore *back = NULL;
        struct err err = ERR_INIT;
        int rc = colstore_snapshot_open_mem(&back, img, n, COLSTORE_NEED_ALL,
                                            NULL, &err);
        if (rc != ERR_INVALID)
            fail_msg("header case %d: opened (rc %d)", k, rc);
        assert_null(back);
        free(img);
    }
    free(good);
    colstore_free(cs);
    world_free(w);
}

/* Files that are no snapshot at all. */
static void test_snapshot_open_refuses_other_files(void **state)
{
    (void)state;
    char *dir = harness_tmpdir();
    char *none = path_join(dir, "none.colstore");
    struct colstore *cs = NULL;
    struct colstore_stamp st;
    struct err err = ERR_INIT;
    assert_int_equal(
        colstore_snapshot_open(&cs, none, COLSTORE_NEED_ALL, &st, &err),
        ERR_NOTFOUND);
    char *empty = harness_write_file(dir, "empty.colstore", "", 0);
    err_clear(&err);
    assert_int_equal(
        colstore_snapshot_open(&cs, empty, COLSTORE_NEED_ALL, &st, &err),
        ERR_INVALID);
    char text[4096];
    memset(text, 'x', sizeof text);
    char *junk = harness_write_file(dir, "junk.colstore", text, sizeof text);
    err_clear(&err);
    assert_int_equal(
        colstore_snapshot_open(&cs, junk, COLSTORE_NEED_ALL, &st, &err),
        ERR_INVALID);
    assert_true(contains(err.msg, "not a Resonans"));
    assert_null(cs);
    /* a directory in its place */
    char *sub = path_join(dir, "sub");
    assert_int_equal(mkdir(sub, 0700), 0);
    err_clear(&err);
    assert_true(colstore_snapshot_open(&cs, sub, COLSTORE_NEED_ALL, &st, &err) <
                0);
    assert_int_equal(rmdir(sub), 0);
    /* from memory: nothing, and less than a header */
    assert_int_equal(
        colstore_snapshot_open_mem(&cs, text, 0, COLSTORE_NEED_ALL, &st, &err),
        ERR_INVALID);
    assert_int_equal(colstore_snapshot_seal(text, 10), -1);
    free(sub);
    free(none);
    free(empty);
    free(junk);
    harness_tmpdir_free(dir);
}

/* ---- writing: the temporary file and the lock ---- */

static void
test_snapshot_write_survives_leftover_and_skips_when_locked(void **state)
{
    (void)state;
    struct world *w = world_full("write.db", 25);
    struct colstore *cs = fresh(w), *back;
    struct colstore_stamp st = stamp_of(w);
    struct err err = ERR_INIT;
    char *tmp = malloc(strlen(w->snap) + 5);
    sprintf(tmp, "%s.tmp", w->snap);

    /* a killed writer's leftover, longer than the snapshot and world
     * readable: overwritten, cut to size, and made 0600 */
    static char junk[300000];
    memset(junk, 0x5a, sizeof junk);
    spew(tmp, junk, sizeof junk);
    assert_int_equal(chmod(tmp, 0644), 0);
    write_snap(cs, w->snap, &st);
    struct stat sb;
    assert_int_equal(stat(w->snap, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_true((size_t)sb.st_size < sizeof junk);
    assert_int_equal(access(tmp, F_OK), -1); /* renamed into place */
    back = open_snap(w->snap, COLSTORE_NEED_ALL);
    assert_same_store(cs, back, w, 1);
    colstore_free(back);

    /* another writer holds the lock: nothing is written */
    int fd = open(tmp, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    struct colstore_stamp later = st;
    later.data_version += 7;
    int skipped = 0;
    assert_int_equal(
        colstore_snapshot_write(cs, w->snap, &later, NULL, &skipped, &err), 0);
    assert_int_equal(skipped, 1);
    struct colstore_stamp got;
    assert_int_equal(colstore_snapshot_open(&back, w->snap, 0, &got, &err), 0);
    assert_int_equal(got.data_version, st.data_version); /* the old one */
    colstore_free(back);
    close(fd); /* the lock goes with it */
    assert_int_equal(
        colstore_snapshot_write(cs, w->snap, &later, NULL, &skipped, &err), 0);
    assert_int_equal(skipped, 0);
    assert_int_equal(colstore_snapshot_open(&back, w->snap, 0, &got, &err), 0);
    assert_int_equal(got.data_version, later.data_version);
    colstore_free(back);

    /* a directory that does not exist: ERR_IO */
    char *nowhere = path_join(w->dir, "no/such/x.colstore");
    err_clear(&err);
    assert_int_equal(
        colstore_snapshot_write(cs, nowhere, &st, NULL, &skipped, &err),
        ERR_IO);
    free(nowhere);
    free(tmp);
    colstore_free(cs);
    world_free(w);
}

/* ---- d. the data version decides ---- */

static void test_sync_builds_then_maps_then_updates(void **state)
{
    (void)state;
    struct world *w = world_full("sync.db", 80);
    struct colstore *cs = NULL, *ref;
    struct colstore_open_info info;
    struct err err = ERR_INIT;
    int ins;

    /* no snapshot yet: built and saved */
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_true(info.why[0] != 0);
    assert_int_equal(info.saved, 1);
    assert_false(colstore_is_mapped(cs));
    struct stat sb;
    assert_int_equal(stat(w->snap, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    ref = fresh(w);
    assert_same_store(ref, cs, w, 1);
    colstore_free(cs);
    colstore_free(ref);

    /* unchanged: mapped as it is, nothing written */
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    assert_int_equal(info.saved, 0);
    assert_int_equal(info.added, 0);
    assert_true(colstore_is_mapped(cs));
    colstore_free(cs);

    /* new rows: a new channel, a new customer in a segment of its own, a
     * customer without one, and responses from both */
    struct channel sms = {0, "sms"};
    assert_int_equal(store_put_channel(w->s, &sms, &err), 0);
    struct customer nk = {0, "k-new", "Nyinflyttad", NULL};
    struct customer nb = {0, "k-bare", NULL, NULL};
    assert_int_equal(store_put_customer(w->s, &nk, &ins, &err), 0);
    assert_int_equal(store_put_customer(w->s, &nb, &ins, &err), 0);
    put_responses(w, 17);
    struct response r;
    memset(&r, 0, sizeof r);
    int tz;
    r.ext_id = "new-1";
    r.customer_id = nk.id;
    r.touchpoint_id = w->tp[0];
    r.channel_id = sms.id;
    r.language = "de";
    r.ts = ts_of("2025-02-03T08:00:00+01:00", &tz);
    r.tz_min = tz;
    r.nps = 10;
    r.csat = r.ces = -1;
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), 0);
    r.ext_id = "new-2";
    r.customer_id = nb.id;
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), 0);

    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_UPDATED);
    assert_int_equal(info.added, 19);
    assert_int_equal(info.saved, 1);
    assert_false(colstore_is_mapped(cs));
    ref = fresh(w);
    assert_int_equal(colstore_rows(ref), 99);
    assert_same_store(ref, cs, w, 0);
    colstore_free(cs);

    /* what was saved is current and holds the update */
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    assert_same_store(ref, cs, w, 0);
    colstore_free(cs);

    /* events are not in the snapshot: brought up to date with no rows */
    struct event ev = {0,
                       "ev1",
                       w->cust[0],
                       "fault_report",
                       0,
                       0,
                       ts_of("2024-05-01T10:00:00Z", &tz),
                       0,
                       NULL};
    assert_int_equal(store_put_event(w->s, &ev, &ins, &err), 0);
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_UPDATED);
    assert_int_equal(info.added, 0);
    assert_same_store(ref, cs, w, 0);
    colstore_free(cs);
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    colstore_free(cs);
    colstore_free(ref);
    world_free(w);
}

static void test_sync_rebuilds_after_a_rewrite(void **state)
{
    (void)state;
    struct world *w = world_full("rewrite.db", 50);
    struct colstore *cs = NULL, *ref;
    struct colstore_open_info info;
    struct err err = ERR_INIT;
    int changed;

    sync_open(&cs, w, &info);
    colstore_free(cs);
    /* a customer's segment changes: earlier rows may change segment */
    struct customer c = {0, "k3", "Företag", NULL};
    int tz;
    assert_int_equal(store_update_customer(w->s, &c,
                                           ts_of("2024-06-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    assert_int_equal(changed, 2);
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_true(contains(info.why, "changed"));
    assert_int_equal(info.saved, 1);
    ref = fresh(w);
    assert_same_store(ref, cs, w, 1);
    colstore_free(cs);
    colstore_free(ref);
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    colstore_free(cs);

    /* an update that changes nothing is not a change */
    assert_int_equal(store_update_customer(w->s, &c,
                                           ts_of("2024-07-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    assert_int_equal(changed, 0);
    sync_open(&cs, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    colstore_free(cs);

    /* a touchpoint renamed, a new touchpoint, a journey renamed: each
     * rebuilt */
    for (int k = 0; k < 3; k++) {
        struct touchpoint tp = {
            0,      w->stage[1], "besok", "Hembesök", "onsite",
            "Fält", 1,           1,       NULL,       0};
        struct touchpoint tn = {
            0, w->stage[3], "nyckel", "Nyckelutlämning", "office", NULL, 0,
            1, NULL,        0};
        struct journey j = {w->journey[1], "move", "Flytta hit",
                            LIFECYCLE_ONBOARD};
        if (k == 0)
            assert_int_equal(store_put_touchpoint(w->s, &tp, &err), 0);
        else if (k == 1)
            assert_int_equal(store_put_touchpoint(w->s, &tn, &err), 0);
        else
            assert_int_equal(store_put_journey(w->s, &j, &err), 0);
        sync_open(&cs, w, &info);
        assert_int_equal(info.source, COLSTORE_BUILT);
        assert_int_equal(info.saved, 1);
        ref = fresh(w);
        assert_same_store(ref, cs, w, 1);
        colstore_free(ref);
        colstore_free(cs);
        sync_open(&cs, w, &info);
        assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
        if (k == 0) {
            int b = colstore_find(cs, DIM_TOUCHPOINT, "besok", 5);
            assert_string_equal(colstore_name(cs, DIM_TOUCHPOINT, b),
                                "Hembesök");
        } else if (k == 1) {
            assert_true(colstore_find(cs, DIM_TOUCHPOINT, "nyckel", 6) >= 0);
        } else {
            int m = colstore_find(cs, DIM_JOURNEY, "move", 4);
            assert_string_equal(colstore_name(cs, DIM_JOURNEY, m),
                                "Flytta hit");
        }
        colstore_free(cs);
    }
    world_free(w);
}

/* A snapshot of another database with the same data version is not
 * trusted; neither is one ahead of the database. */
static void test_sync_distrusts_foreign_or_newer_snapshot(void **state)
{
    (void)state;
    struct world *a = world_full("a.db", 30), *b = world_full("b.db", 30);
    struct colstore *cs = NULL, *ref;
    struct colstore_open_info info;
    struct store_version va, vb;
    struct err err = ERR_INIT;
    assert_int_equal(store_version(a->s, &va, &err), 0);
    assert_int_equal(store_version(b->s, &vb, &err), 0);
    assert_int_equal(va.data, vb.data); /* only the uuid tells them apart */
    assert_memory_not_equal(va.uuid, vb.uuid, sizeof va.uuid);

    /* b's current snapshot copied beside a: same data, same version,
     * another database */
    sync_open(&cs, b, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    colstore_free(cs);
    size_t n;
    unsigned char *img = slurp(b->snap, &n);
    spew(a->snap, img, n);
    free(img);
    sync_open(&cs, a, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_true(contains(info.why, "another database"));
    ref = fresh(a);
    assert_same_store(ref, cs, a, 1);
    colstore_free(ref);
    colstore_free(cs);
    sync_open(&cs, a, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    colstore_free(cs);

    /* a snapshot stamped ahead of the database (a restored backup) */
    ref = fresh(a);
    struct colstore_stamp st = stamp_of(a);
    st.data_version += 5;
    write_snap(ref, a->snap, &st);
    sync_open(&cs, a, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_same_store(ref, cs, a, 1);
    colstore_free(cs);
    colstore_free(ref);
    world_free(a);
    world_free(b);
}

/* No snapshot asked for; a snapshot used but never written; one that
 * cannot be written. */
/* A writer that finishes after a delay, on its own thread. */
struct late_writer {
    struct colstore_snapshot_file *f;
    const struct colstore *cs;
    struct colstore_stamp st;
    int rc;
};

static void *finish_late(void *arg)
{
    struct late_writer *lw = arg;
    struct err err = ERR_INIT;
    struct timespec ts = {0, 150L * 1000 * 1000};
    nanosleep(&ts, NULL);
    lw->rc = colstore_snapshot_finish(lw->f, lw->cs, &lw->st, NULL, &err);
    return NULL;
}

/* defer_save leaves the writing to the caller; a command that would
 * rebuild while another one writes the snapshot waits for its file. */
static void test_sync_deferred_save_and_wait(void **state)
{
    (void)state;
    struct world *w = world_full("defer.db", 30);
    struct colstore *cs = NULL, *cs2 = NULL;
    struct colstore_open_info info;
    struct err err = ERR_INIT;
    int skipped = -1;

    struct colstore_open_opts d = {
        .path = w->snap, .need = COLSTORE_NEED_ALL, .defer_save = 1};
    assert_int_equal(colstore_open(&cs, w->s, &d, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.save_due, 1);
    assert_int_equal(info.saved, 0);
    assert_int_equal(access(w->snap, F_OK), -1);
    struct colstore_stamp want = stamp_of(w);
    assert_memory_equal(info.stamp.uuid, want.uuid, sizeof want.uuid);
    assert_int_equal(info.stamp.data_version, want.data_version);

    /* nobody writing: no wait */
    assert_int_equal(colstore_snapshot_wait(w->snap, 1000), 0);

    /* a writer holds the lock: a second writer is skipped, a waiter
     * times out while it holds it */
    struct late_writer lw = {NULL, cs, info.stamp, -1};
    assert_int_equal(colstore_snapshot_begin(&lw.f, w->snap, &skipped, &err),
                     0);
    assert_int_equal(skipped, 0);
    struct colstore_snapshot_file *f2 = NULL;
    assert_int_equal(colstore_snapshot_begin(&f2, w->snap, &skipped, &err), 0);
    assert_int_equal(skipped, 1);
    assert_null(f2);
    assert_int_equal(colstore_snapshot_wait(w->snap, 30), 0);

    /* it finishes while a rebuild-bound open waits: the open maps it */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, finish_late, &lw), 0);
    assert_int_equal(colstore_open(&cs2, w->s, &d, &info, &err), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(lw.rc, 0);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    assert_int_equal(info.save_due, 0);
    assert_int_equal(colstore_rows(cs2), 30);
    assert_int_equal(access(w->snap, F_OK), 0);
    colstore_free(cs2);

    /* a writer that dies without finishing leaves an unlocked .tmp: no
     * wait, a rebuild */
    unlink(w->snap);
    assert_int_equal(colstore_snapshot_begin(&lw.f, w->snap, &skipped, &err),
                     0);
    colstore_snapshot_close(lw.f);
    assert_int_equal(colstore_snapshot_wait(w->snap, 1000), 0);
    assert_int_equal(colstore_open(&cs2, w->s, &d, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.save_due, 1);
    colstore_free(cs2);
    colstore_free(cs);
    world_free(w);
}

static void test_sync_options(void **state)
{
    (void)state;
    struct world *w = world_full("opts.db", 20);
    struct colstore *cs = NULL;
    struct colstore_open_info info;
    struct err err = ERR_INIT;

    struct colstore_open_opts none = {.need = COLSTORE_NEED_ALL};
    assert_int_equal(colstore_open(&cs, w->s, &none, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.saved, 0);
    assert_int_equal(access(w->snap, F_OK), -1);
    colstore_free(cs);

    struct colstore_open_opts ro = {
        .path = w->snap, .need = COLSTORE_NEED_ALL, .no_save = 1};
    assert_int_equal(colstore_open(&cs, w->s, &ro, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.saved, 0);
    assert_int_equal(access(w->snap, F_OK), -1);
    colstore_free(cs);

    char *bad = path_join(w->dir, "missing-dir/opts.db.colstore");
    struct colstore_open_opts nowhere = {.path = bad,
                                         .need = COLSTORE_NEED_ALL};
    assert_int_equal(colstore_open(&cs, w->s, &nowhere, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.saved, 0);
    assert_true(info.save_err[0] != 0);
    assert_int_equal(colstore_rows(cs), 20);
    colstore_free(cs);
    free(bad);

    /* read-only use of a snapshot behind the data: updated, not saved */
    sync_open(&cs, w, &info);
    colstore_free(cs);
    put_responses(w, 3);
    assert_int_equal(colstore_open(&cs, w->s, &ro, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_UPDATED);
    assert_int_equal(info.added, 3);
    assert_int_equal(info.saved, 0);
    colstore_free(cs);
    assert_int_equal(colstore_open(&cs, w->s, &ro, &info, &err), 0);
    assert_int_equal(info.source, COLSTORE_UPDATED); /* still behind */
    colstore_free(cs);
    world_free(w);
}

/* ---- e. the years ---- */

static void put_at(struct world *w, const char *ext, const char *when,
                   int64_t customer)
{
    struct err err = ERR_INIT;
    struct response r;
    int ins;
    memset(&r, 0, sizeof r);
    r.ext_id = ext;
    r.customer_id = customer;
    r.touchpoint_id = w->tp[1];
    r.channel_id = w->ch[1];
    r.ts = ts_of(when, &r.tz_min);
    r.nps = 9;
    r.csat = r.ces = -1;
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), 0);
    assert_int_equal(ins, 1);
}

/* The first and last local days of the range (UTC 1899-12-31 and
 * 2201-01-01) load, survive the snapshot and group by year; a day beyond
 * either end does not append. */
static void test_snapshot_keeps_the_first_and_last_day(void **state)
{
    (void)state;
    struct world *w = world_new("years.db");
    struct err err = ERR_INIT;
    fill_journeys(w);
    put_at(w, "first", "1900-01-01T00:00:00+01:00", w->cust[0]);
    put_at(w, "middle", "2024-06-01T12:00:00Z", 0);
    put_at(w, "last", "2200-12-31T23:59:59-05:00", w->cust[1]);
    struct colstore *cs = fresh(w), *back = NULL;
    struct colstore_columns c;
    colstore_columns(cs, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.day[0], 0); /* 1900-01-01 is the base */
    assert_int_equal(c.day_base + c.day[0], tstamp_days_from_civil(1900, 1, 1));
    assert_int_equal(c.day_base + c.day[2],
                     tstamp_days_from_civil(2200, 12, 31));
    assert_int_equal(c.day_lo, 0);
    assert_int_equal(c.day_hi, c.day[2]);

    struct colstore_open_info info;
    sync_open(&back, w, &info);
    assert_int_equal(info.source, COLSTORE_BUILT);
    assert_int_equal(info.saved, 1);
    colstore_free(back);
    sync_open(&back, w, &info);
    assert_int_equal(info.source, COLSTORE_FROM_SNAPSHOT);
    assert_same_store(cs, back, w, 1);

    struct metrics_result *r = run(back, "year", "nps");
    assert_int_equal(r->n_cells, 3);
    assert_string_equal(r->cells[0].label[0], "1900");
    assert_string_equal(r->cells[1].label[0], "2024");
    assert_string_equal(r->cells[2].label[0], "2200");
    for (int i = 0; i < 3; i++)
        assert_int_equal(r->cells[i].n, 1);
    metrics_result_free(r);
    r = run(back, "day", "nps");
    assert_string_equal(r->cells[0].label[0], "1900-01-01");
    assert_string_equal(r->cells[2].label[0], "2200-12-31");
    metrics_result_free(r);
    colstore_free(back);

    /* the append API holds the same line */
    struct colstore_row row = {0, 0, -1, -1, 0, 0, 5, -1, -1, 0, -1, 0};
    row.day = tstamp_days_from_civil(1899, 12, 31);
    assert_int_equal(colstore_append(cs, &row, &err), ERR_INVALID);
    err_clear(&err);
    row.day = tstamp_days_from_civil(2201, 1, 1);
    assert_int_equal(colstore_append(cs, &row, &err), ERR_INVALID);
    assert_int_equal(colstore_rows(cs), 3);
    err_clear(&err);
    row.day = tstamp_days_from_civil(2200, 12, 31);
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    row.day = tstamp_days_from_civil(1900, 1, 1);
    assert_int_equal(colstore_append(cs, &row, &err), 0);
    assert_int_equal(colstore_rows(cs), 5);
    colstore_free(cs);
    world_free(w);
}

/* ---- f. more than 65,535 segments ---- */

#define MANY_SEGMENTS 70000

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 70,000 customers each in a segment of its own, one response each: the
 * segment codes pass 65,535 and come back whole through the snapshot and
 * a query. Built with the append API (what colstore_load calls) rather
 * than through a database, which would take seconds under ASan. */
static void test_snapshot_keeps_more_segments_than_uint16(void **state)
{
    (void)state;
    double t0 = now_s();
    struct err err = ERR_INIT;
    char *dir = harness_tmpdir();
    char *path = path_join(dir, "segments.colstore");
    char seg[32];
    struct colstore *cs = colstore_new(), *back;
    int j = colstore_add_journey(cs, "live", "Bo", &err);
    int st = colstore_add_stage(cs, j, "report", NULL, 0, &err);
    int tp = colstore_add_touchpoint(cs, st, "felanmalan_app", NULL, &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "app", &err);
    assert_true(tp >= 0 && ch >= 0);
    colstore_reserve(cs, MANY_SEGMENTS);
    for (int i = 0; i < MANY_SEGMENTS; i++) {
        snprintf(seg, sizeof seg, "s%06d", i);
        int c = colstore_add_customer(cs, 100 + i, seg, &err);
        assert_int_equal(c, i);
        struct colstore_row r = {
            tp,     ch, colstore_segment_at(cs, (size_t)c, 0),
            -1,     0,  19700 + i % 400,
            i % 11, -1, -1,
            0,      c,  0};
        assert_int_equal(colstore_append(cs, &r, &err), 0);
    }
    assert_int_equal(colstore_card(cs, DIM_SEGMENT), MANY_SEGMENTS);
    struct colstore_stamp stamp = {{1}, 42};
    write_snap(cs, path, &stamp);
    back = open_snap(path, COLSTORE_NEED_ALL);
    assert_int_equal(colstore_card(back, DIM_SEGMENT), MANY_SEGMENTS);
    struct colstore_columns c;
    colstore_columns(back, &c);
    assert_int_equal(c.n, MANY_SEGMENTS);
    /* the last customer's code is above 65,535 and reads back whole */
    assert_int_equal(c.segment[MANY_SEGMENTS - 1], MANY_SEGMENTS - 1);
    assert_string_equal(
        colstore_label(back, DIM_SEGMENT, (int)c.segment[MANY_SEGMENTS - 1]),
        "s069999");
    assert_int_equal(colstore_customer_segment(back, MANY_SEGMENTS - 1),
                     MANY_SEGMENTS - 1);
    assert_same_columns(cs, back, 1);

    struct metrics_result *r = run(back, "segment", "nps");
    assert_int_equal(r->n_cells, MANY_SEGMENTS);
    assert_string_equal(r->cells[0].label[0], "s000000");
    assert_string_equal(r->cells[70000 - 1].label[0], "s069999");
    for (size_t i = 0; i < r->n_cells; i++)
        assert_int_equal(r->cells[i].n, 1);
    metrics_result_free(r);
    colstore_free(back);
    colstore_free(cs);
    free(path);
    harness_tmpdir_free(dir);
    double took = now_s() - t0;
    if (took > 3)
        print_message("# 70,000 segments took %.1f s\n", took);
}

/* The loader, too, takes more than 65,535 segments from a database: 65,540
 * customers, each in a segment of its own (a few respond), and a
 * customer whose history names a segment past 65,535 as well. */
static void test_load_takes_more_segments_than_uint16(void **state)
{
    (void)state;
    struct world *w = world_new("hist.db");
    struct err err = ERR_INIT;
    int ins, changed, tz;
    char ext[32], seg[32];
    int64_t last = 0;
    store_free(w->s); /* in memory: no sync a commit */
    w->s = NULL;
    assert_int_equal(store_open(&w->s, ":memory:", &err), 0);
    assert_int_equal(store_begin(w->s, &err), 0);
    fill_journeys(w);
    for (int i = 0; i < 65540; i++) {
        snprintf(ext, sizeof ext, "c%06d", i);
        snprintf(seg, sizeof seg, "h%06d", i);
        struct customer c = {0, ext, seg, NULL};
        assert_int_equal(store_put_customer(w->s, &c, &ins, &err), 0);
        last = c.id;
    }
    struct customer k0 = {0, "k0", "history-only", NULL};
    assert_int_equal(store_update_customer(w->s, &k0,
                                           ts_of("2024-05-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    struct customer k0b = {0, "k0", "Senior", NULL};
    assert_int_equal(store_update_customer(w->s, &k0b,
                                           ts_of("2024-07-01T00:00:00Z", &tz),
                                           &changed, &err),
                     0);
    put_at(w, "last", "2024-06-01T12:00:00Z", last);
    put_at(w, "k0-before", "2024-04-01T12:00:00Z", w->cust[0]);
    put_at(w, "k0-after", "2024-06-01T12:00:00Z", w->cust[0]);
    assert_int_equal(store_commit(w->s, &err), 0);

    struct colstore *cs = fresh(w);
    assert_int_equal(colstore_card(cs, DIM_SEGMENT), 4 + 65540 + 1);
    struct colstore_columns c;
    colstore_columns(cs, &c);
    assert_true(c.segment[0] > 65535);
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, (int)c.segment[0]),
                        "h065539");
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, (int)c.segment[1]),
                        "Barnfamilj");
    assert_true(c.segment[2] > 65535);
    assert_string_equal(colstore_label(cs, DIM_SEGMENT, (int)c.segment[2]),
                        "history-only");
    /* and through a snapshot */
    struct colstore_stamp st = stamp_of(w);
    write_snap(cs, w->snap, &st);
    struct colstore *back = open_snap(w->snap, COLSTORE_NEED_ALL);
    assert_same_columns(cs, back, 1);
    assert_same_customers(cs, back, w);
    colstore_free(back);
    colstore_free(cs);
    world_free(w);
}

/* ---- g. the data version ---- */

static struct store_version version_of(struct store *s)
{
    struct store_version v;
    struct err err = ERR_INIT;
    assert_int_equal(store_version(s, &v, &err), 0);
    return v;
}

#define ASSERT_VERSION(s, d, rw, ev)                                           \
    do {                                                                       \
        struct store_version v_ = version_of(s);                               \
        assert_int_equal(v_.data, (d));                                        \
        assert_int_equal(v_.rewrite, (rw));                                    \
        assert_int_equal(v_.events, (ev));                                     \
    } while (0)

static void put_simple(struct world *w, const char *ext, int expect_inserted)
{
    struct err err = ERR_INIT;
    struct response r;
    int ins = -1;
    memset(&r, 0, sizeof r);
    r.ext_id = ext;
    r.touchpoint_id = w->tp[0];
    r.channel_id = w->ch[0];
    r.ts = 1700000000;
    r.nps = 7;
    r.csat = r.ces = -1;
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), 0);
    assert_int_equal(ins, expect_inserted);
}

static void test_store_version_counts_committed_changes(void **state)
{
    (void)state;
    struct world *w = world_new("version.db");
    struct err err = ERR_INIT;
    int ins, changed;
    static const unsigned char zero[16];

    struct store_version v0 = version_of(w->s);
    assert_memory_not_equal(v0.uuid, zero, sizeof zero);
    ASSERT_VERSION(w->s, 1, 1, 1);

    /* each write outside a transaction is one change: 2 journeys, 4
     * stages and 5 touchpoints rewrite; 4 channels, 6 customers and 2
     * employees append */
    fill_journeys(w);
    ASSERT_VERSION(w->s, 24, 12, 1);

    /* a transaction is one change however many rows it writes */
    assert_int_equal(store_begin(w->s, &err), 0);
    put_simple(w, "a", 1);
    put_simple(w, "b", 1);
    ASSERT_VERSION(w->s, 24, 12, 1); /* not until commit */
    put_simple(w, "c", 1);
    assert_int_equal(store_commit(w->s, &err), 0);
    ASSERT_VERSION(w->s, 25, 12, 1);

    /* only ignored duplicates: no change */
    assert_int_equal(store_begin(w->s, &err), 0);
    put_simple(w, "a", 0);
    put_simple(w, "b", 0);
    struct customer dup = {0, "k0", "Annat", NULL};
    assert_int_equal(store_put_customer(w->s, &dup, &ins, &err), 0);
    assert_int_equal(ins, 0);
    struct employee edup = {0, "e1", "X", "Y"};
    assert_int_equal(store_put_employee(w->s, &edup, &ins, &err), 0);
    assert_int_equal(ins, 0);
    assert_int_equal(store_commit(w->s, &err), 0);
    ASSERT_VERSION(w->s, 25, 12, 1);
    put_simple(w, "c", 0); /* outside one, too */
    ASSERT_VERSION(w->s, 25, 12, 1);

    /* events */
    struct event ev = {0, "ev1",      w->cust[0], "payment", 0,
                       0, 1700000000, 0,          NULL};
    assert_int_equal(store_begin(w->s, &err), 0);
    assert_int_equal(store_put_event(w->s, &ev, &ins, &err), 0);
    assert_int_equal(ins, 1);
    assert_int_equal(store_commit(w->s, &err), 0);
    ASSERT_VERSION(w->s, 26, 12, 26);
    assert_int_equal(store_put_event(w->s, &ev, &ins, &err), 0);
    assert_int_equal(ins, 0);
    ASSERT_VERSION(w->s, 26, 12, 26);

    /* appends and a rewrite together: the rewrite is recorded */
    assert_int_equal(store_begin(w->s, &err), 0);
    put_simple(w, "d", 1);
    struct customer seg = {0, "k0", "Senior", NULL};
    assert_int_equal(
        store_update_customer(w->s, &seg, 1710000000, &changed, &err), 0);
    assert_int_equal(changed, 2);
    assert_int_equal(store_commit(w->s, &err), 0);
    ASSERT_VERSION(w->s, 27, 27, 26);

    /* an update that changes nothing is no change */
    assert_int_equal(
        store_update_customer(w->s, &seg, 1720000000, &changed, &err), 0);
    assert_int_equal(changed, 0);
    ASSERT_VERSION(w->s, 27, 27, 26);

    /* a new customer, a new channel: appends */
    struct customer nc = {0, "k-new", NULL, NULL};
    assert_int_equal(store_put_customer(w->s, &nc, &ins, &err), 0);
    ASSERT_VERSION(w->s, 28, 27, 26);
    struct channel ch = {0, "sms"};
    assert_int_equal(store_put_channel(w->s, &ch, &err), 0);
    ASSERT_VERSION(w->s, 29, 27, 26);

    /* the taxonomy is a rewrite */
    static const char tax[] = "key\tname\nprice\tPris\n";
    assert_int_equal(
        store_put_taxonomy(w->s, "t.tsv", tax, sizeof tax - 1, 0, &err), 0);
    ASSERT_VERSION(w->s, 30, 30, 26);

    /* a rolled back transaction changes nothing */
    assert_int_equal(store_begin(w->s, &err), 0);
    put_simple(w, "e", 1);
    assert_int_equal(
        store_update_customer(w->s, &seg, 1730000000, &changed, &err), 0);
    store_rollback(w->s);
    ASSERT_VERSION(w->s, 30, 30, 26);
    /* nor does a failed write rolled back */
    assert_int_equal(store_begin(w->s, &err), 0);
    store_fail_after(w->s, 2);
    put_simple(w, "f", 1);
    struct response r;
    memset(&r, 0, sizeof r);
    r.ext_id = "g";
    r.touchpoint_id = w->tp[0];
    r.channel_id = w->ch[0];
    r.ts = 1700000000;
    r.nps = r.csat = r.ces = -1;
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), ERR_DB);
    store_rollback(w->s);
    store_fail_after(w->s, 0);
    ASSERT_VERSION(w->s, 30, 30, 26);
    /* and the next transaction counts from there */
    assert_int_equal(store_begin(w->s, &err), 0);
    put_simple(w, "h", 1);
    assert_int_equal(store_commit(w->s, &err), 0);
    ASSERT_VERSION(w->s, 31, 30, 26);

    /* another handle on the file sees the same; the version persists */
    struct store *s2 = NULL;
    assert_int_equal(store_open(&s2, w->db, &err), 0);
    struct store_version v2 = version_of(s2);
    assert_int_equal(v2.data, 31);
    assert_memory_equal(v2.uuid, v0.uuid, sizeof v0.uuid);
    store_free(s2);
    store_free(w->s);
    w->s = NULL;
    assert_int_equal(store_open(&w->s, w->db, &err), 0);
    ASSERT_VERSION(w->s, 31, 30, 26);
    assert_memory_equal(version_of(w->s).uuid, v0.uuid, sizeof v0.uuid);

    /* another database is another uuid */
    struct store *mem = NULL;
    assert_int_equal(store_open(&mem, ":memory:", &err), 0);
    struct store_version vm = version_of(mem);
    assert_memory_not_equal(vm.uuid, v0.uuid, sizeof v0.uuid);
    assert_int_equal(vm.data, 1);
    store_free(mem);
    world_free(w);
}

/* ---- main ---- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_round_trip_keeps_everything),
        cmocka_unit_test(test_snapshot_of_empty_store),
        cmocka_unit_test(test_snapshot_own_then_append),
        cmocka_unit_test(test_snapshot_verifies_columns_when_needed),
        cmocka_unit_test(test_snapshot_damaged_header),
        cmocka_unit_test(test_snapshot_damaged_dictionaries),
        cmocka_unit_test(test_snapshot_damaged_column),
        cmocka_unit_test(test_snapshot_truncated),
        cmocka_unit_test(test_snapshot_other_format_version),
        cmocka_unit_test(test_snapshot_code_out_of_range),
        cmocka_unit_test(test_snapshot_value_checks),
        cmocka_unit_test(test_snapshot_header_checks),
        cmocka_unit_test(test_snapshot_open_refuses_other_files),
        cmocka_unit_test(
            test_snapshot_write_survives_leftover_and_skips_when_locked),
        cmocka_unit_test(test_sync_builds_then_maps_then_updates),
        cmocka_unit_test(test_sync_rebuilds_after_a_rewrite),
        cmocka_unit_test(test_sync_distrusts_foreign_or_newer_snapshot),
        cmocka_unit_test(test_sync_options),
        cmocka_unit_test(test_sync_deferred_save_and_wait),
        cmocka_unit_test(test_snapshot_keeps_the_first_and_last_day),
        cmocka_unit_test(test_snapshot_keeps_more_segments_than_uint16),
        cmocka_unit_test(test_load_takes_more_segments_than_uint16),
        cmocka_unit_test(test_store_version_counts_committed_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
