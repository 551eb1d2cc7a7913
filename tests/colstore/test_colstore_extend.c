/* colstore_extend_columns: after rows are appended (colstore_load_more),
 * the loaded named columns hold the same values as a column store loaded
 * afresh from the same database: ratings, choices, response and customer
 * attributes, the comment's language; a numeric attribute that gets a
 * text value is dropped; a name no row had is looked for again. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "store/store.h"

struct world {
    char *dir;
    char path[600];
    struct store *s;
    int64_t tp, ch;
    int next;
};

static void put(struct world *w, int nps, double speed, const char *choice,
                const char *attrs, const char *customer, const char *cattrs)
{
    struct err err = ERR_INIT;
    char ext[32];
    struct answer a[3];
    int n = 0, ins;
    struct comment_analysis ca = {"en", 0.9,  0.2,  "positive", 0,
                                  0,    "{}", NULL, 0};
    if (!isnan(speed))
        a[n++] = (struct answer){"speed", ANSWER_RATING, speed, 5,
                                 0,       NULL,          NULL,  NULL};
    if (choice)
        a[n++] =
            (struct answer){"way", ANSWER_CHOICE, 0, 0, 0, choice, NULL, NULL};
    a[n++] = (struct answer){"comment", ANSWER_TEXT, 0, 0, 0, "ok", NULL, &ca};
    struct response r = {0};
    snprintf(ext, sizeof ext, "r%d", ++w->next);
    r.ext_id = ext;
    r.touchpoint_id = w->tp;
    r.channel_id = w->ch;
    r.ts = 1764000000 + w->next;
    r.nps = nps;
    r.csat = r.ces = -1;
    r.answers = a;
    r.n_answers = n;
    r.attrs = attrs;
    if (customer) {
        struct customer c = {0, customer, NULL, cattrs};
        assert_int_equal(store_put_customer(w->s, &c, &ins, &err), 0);
        r.customer_id = c.id;
    }
    assert_int_equal(store_put_response(w->s, &r, &ins, &err), 0);
}

static void make_world(struct world *w)
{
    struct err err = ERR_INIT;
    memset(w, 0, sizeof *w);
    w->dir = harness_tmpdir();
    snprintf(w->path, sizeof w->path, "%s/x.db", w->dir);
    assert_int_equal(store_open(&w->s, w->path, &err), 0);
    struct journey j = {0, "hyra", "Hyra", LIFECYCLE_USE};
    struct stage g = {0, 0, "boende", "Boende", 0};
    struct touchpoint t = {0, 0, "tp", "Tp", "app", NULL, 0, 0, NULL, 0};
    struct channel c = {0, "app"};
    assert_int_equal(store_put_journey(w->s, &j, &err), 0);
    g.journey_id = j.id;
    assert_int_equal(store_put_stage(w->s, &g, &err), 0);
    t.stage_id = g.id;
    assert_int_equal(store_put_touchpoint(w->s, &t, &err), 0);
    assert_int_equal(store_put_channel(w->s, &c, &err), 0);
    w->tp = t.id;
    w->ch = c.id;
}

static const struct {
    enum colstore_table t;
    const char *name;
} cols[] = {{COLSTORE_RESPONSES, "rating:speed"},
            {COLSTORE_RESPONSES, "choice:way"},
            {COLSTORE_RESPONSES, "attr:store"},
            {COLSTORE_RESPONSES, "attr:value"},
            {COLSTORE_RESPONSES, "comment_language"},
            {COLSTORE_CUSTOMERS, "district"},
            {COLSTORE_RESPONSES, "attr:later"}};
#define NCOLS (sizeof cols / sizeof cols[0])

static void load_all(struct colstore *cs, struct store *s)
{
    struct err err = ERR_INIT;
    int found;
    for (size_t i = 0; i < NCOLS; i++)
        assert_int_equal(
            colstore_load_column(cs, s, cols[i].t, cols[i].name, &found, &err),
            0);
}

/* Column i of a and b hold the same values, row by row. */
static void same(const struct colstore *a, const struct colstore *b, size_t i)
{
    int ca = colstore_col_find(a, cols[i].t, cols[i].name);
    int cb = colstore_col_find(b, cols[i].t, cols[i].name);
    assert_int_equal(ca >= 0, cb >= 0);
    if (ca < 0)
        return;
    struct colstore_colview va, vb;
    colstore_col_view(a, cols[i].t, ca, &va);
    colstore_col_view(b, cols[i].t, cb, &vb);
    assert_int_equal(va.kind, vb.kind);
    assert_int_equal(va.rows, vb.rows);
    for (size_t r = 0; r < va.rows; r++) {
        if (va.kind == COLSTORE_NUM) {
            assert_int_equal(isnan(va.num[r]), isnan(vb.num[r]));
            if (!isnan(va.num[r]))
                assert_true(va.num[r] == vb.num[r]);
        } else {
            assert_string_equal(
                colstore_col_label(a, cols[i].t, ca, va.codes[r]),
                colstore_col_label(b, cols[i].t, cb, vb.codes[r]));
        }
    }
    if (va.kind == COLSTORE_NUM && !isnan(vb.scale_max))
        assert_true(va.scale_max == vb.scale_max);
}

static void test_extend(void **state)
{
    struct world w;
    struct colstore *cs, *fresh;
    struct err err = ERR_INIT;
    size_t added;
    (void)state;
    make_world(&w);
    put(&w, 9, 4, "app", "{\"store\":\"Gränby\",\"value\":12}", "k1",
        "{\"district\":\"Flogsta\"}");
    put(&w, 3, 2, "phone", "{\"value\":7}", "k2", "{\"district\":\"Gränby\"}");
    put(&w, 7, NAN, NULL, NULL, NULL, NULL);
    assert_int_equal(colstore_load(&cs, w.s, &err), 0);
    load_all(cs, w.s);
    assert_true(colstore_col_is_missing(cs, COLSTORE_RESPONSES, "attr:later"));
    size_t nc = colstore_customers(cs);
    int64_t last_resp = 3, last_cust = colstore_customer_id(cs, nc - 1);
    /* new rows: a new customer with a district, a response of an old
     * customer, a new option, a numeric attribute that turns to text,
     * and a name no row had before */
    put(&w, 10, 5, "web", "{\"store\":\"Flogsta\",\"value\":\"many\"}", "k3",
        "{\"district\":\"Sävja\"}");
    put(&w, 0, 1, "app", "{\"later\":\"yes\"}", "k1", NULL);
    put(&w, 5, 3, NULL, "{\"store\":\"Gränby\"}", NULL, NULL);
    assert_int_equal(colstore_load_more(cs, w.s, &added, &err), 0);
    assert_int_equal(added, 3);
    assert_int_equal(
        colstore_extend_columns(cs, w.s, last_resp, last_cust, &err), 0);
    /* the numeric attribute with text now is dropped, to load afresh */
    assert_int_equal(colstore_col_find(cs, COLSTORE_RESPONSES, "attr:value"),
                     -1);
    assert_false(colstore_col_is_missing(cs, COLSTORE_RESPONSES, "attr:later"));
    load_all(cs, w.s);
    assert_int_equal(colstore_load(&fresh, w.s, &err), 0);
    load_all(fresh, w.s);
    for (size_t i = 0; i < NCOLS; i++)
        same(cs, fresh, i);
    colstore_free(cs);
    colstore_free(fresh);
    store_free(w.s);
    harness_tmpdir_free(w.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_extend)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
