/* The experience on the path and the map built from it: per stage and
 * touchpoint the NPS, themes, pains, the quote and the pain points, the
 * stages in designed order; the map's drop-off from a funnel and its
 * measured moments (src/journey/experience.c,
 * src/report/journey_map_build.c). */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "journey/experience.h"
#include "journey/funnel.h"
#include "report/journey_map_build.h"
#include "report/result.h"

#define DAY 86400
#define T0 1704067200

/* Stage "after" (position 1) is added before stage "before" (position
 * 0): the designed order is before, after. Touchpoints: ask (before,
 * web), call (before, phone; flagged), fix (after, onsite). Answers:
 * ask 10 x20 (NPS +100); call 0 x4 and 10 x1 (-60), three of them
 * commented negatively about "wait", one about "staff" (positive); fix
 * 9 x5 (+100), four onsite and one on the web. */
static int setup(void **state)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int after = colstore_add_stage(cs, j, "after", "After", 1, &err);
    int before = colstore_add_stage(cs, j, "before", "Before", 0, &err);
    int fix = colstore_add_touchpoint(cs, after, "fix", "Fix", &err);
    int ask = colstore_add_touchpoint(cs, before, "ask", "Ask", &err);
    int call = colstore_add_touchpoint(cs, before, "call", "Call", &err);
    int web = colstore_intern(cs, DIM_CHANNEL, "web", &err);
    int phone = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    int onsite = colstore_intern(cs, DIM_CHANNEL, "onsite", &err);
    int wait = colstore_intern(cs, DIM_THEME, "wait", &err);
    int staff = colstore_intern(cs, DIM_THEME, "staff", &err);
    struct colstore_tpinfo flag = {NULL, 1, 0, 0, NULL, 0};
    colstore_set_tpinfo(cs, call, &flag, &err);
    assert_int_equal(err.code, 0);
    struct row {
        int tp, ch, nps, sent, theme, aspect;
    } rows[30];
    size_t n = 0;
    for (int i = 0; i < 20; i++)
        rows[n++] = (struct row){ask, web, 10, -1, -1, 0};
    rows[n++] = (struct row){call, phone, 0, 0, wait, -1};
    rows[n++] = (struct row){call, phone, 0, 0, wait, -1};
    rows[n++] = (struct row){call, phone, 0, 0, wait, -1};
    rows[n++] = (struct row){call, phone, 0, -1, -1, 0};
    rows[n++] = (struct row){call, phone, 10, 2, staff, 1};
    for (int i = 0; i < 5; i++)
        rows[n++] = (struct row){fix, i < 4 ? onsite : web, 9, -1, -1, 0};
    for (size_t i = 0; i < n; i++) {
        int64_t ts = T0 + (int64_t)i * 3600;
        struct colstore_row r = {rows[i].tp, rows[i].ch,     -1,          -1,
                                 0,          ts / DAY,       rows[i].nps, -1,
                                 -1,         (int64_t)i + 1, -1,          ts};
        assert_int_equal(colstore_append(cs, &r, &err), 0);
        if (rows[i].sent >= 0)
            colstore_set_sentiment(cs, i, rows[i].sent, &err);
        if (rows[i].theme >= 0)
            colstore_add_mention(cs, i, rows[i].theme, rows[i].aspect, &err);
    }
    assert_int_equal(err.code, 0);
    *state = cs;
    return 0;
}

static int teardown(void **state)
{
    colstore_free(*state);
    return 0;
}

static void test_experience_per_stage_and_touchpoint(void **state)
{
    struct colstore *cs = *state;
    struct journey_experience *x = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_experience_build(&x, cs, NULL, &err), 0);
    /* overall: 26 promoters and 4 detractors of 30 */
    assert_close(x->nps_all.value, 100.0 * 22 / 30, 0, 1e-9);
    assert_int_equal(x->n_st, 2);
    assert_string_equal(x->st[0].key, "before"); /* designed order */
    assert_string_equal(x->st[1].key, "after");
    assert_int_equal(x->st[0].responses, 25);
    assert_close(x->st[0].nps.value, 100.0 * (21 - 4) / 25, 0, 1e-9);
    assert_true(x->st[0].moment_of_truth); /* call is flagged */
    assert_false(x->st[1].moment_of_truth);
    /* touchpoints by stage in designed order: ask, call, fix */
    assert_int_equal(x->n_tp, 3);
    assert_string_equal(x->tp[0].key, "ask");
    assert_string_equal(x->tp[1].key, "call");
    assert_string_equal(x->tp[2].key, "fix");
    assert_close(x->tp[0].nps.value, 100, 0, 1e-9);
    assert_close(x->tp[1].nps.value, -60, 0, 1e-9);
    assert_string_equal(x->tp[2].channel, "onsite"); /* 4 of 5 */
    /* call: 4 commented, 3 negative; wait in 3 of 4 (all negative),
     * staff in 1 */
    const struct journey_exp_row *c = &x->tp[1];
    assert_int_equal(c->commented, 4);
    assert_close(c->negative.value, 75, 0, 1e-9);
    assert_int_equal(c->n_themes, 2);
    assert_string_equal(c->themes[0].theme, "wait");
    assert_close(c->themes[0].share, 0.75, 0, 1e-12);
    assert_close(c->themes[0].negative, 1, 0, 1e-12);
    assert_int_equal(c->n_pains, 1);
    assert_string_equal(c->pains[0].theme, "wait");
    /* the quote: the latest negative comment naming wait (row 22, id 23) */
    assert_int_equal(c->quote_id, 23);
    assert_int_equal(x->st[0].quote_id, 23);
    /* pain point: call's CI lies under the overall 73; ask's and fix's
     * do not */
    assert_true(c->pain_point);
    assert_false(x->tp[0].pain_point);
    assert_false(x->tp[2].pain_point);
    journey_experience_free(x);
}

static void test_map_doc_and_report(void **state)
{
    struct colstore *cs = *state;
    struct journey_experience *x = NULL;
    struct journey_map_doc *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_experience_build(&x, cs, NULL, &err), 0);
    /* a funnel over the two stages: 80 of 100 go on */
    struct journey_funnel f = {0};
    f.n_cases = 100;
    f.n = 2;
    f.s[0].step = (uint32_t)x->st[0].code;
    f.s[0].reached = 100;
    f.s[1].step = (uint32_t)x->st[1].code;
    f.s[1].reached = 80;
    f.s[1].conv = (struct estimate){100, 80, 4, 71, 86.6};
    const char *quotes[2] = {"Väntade <länge> & \"gav upp\"", NULL};
    struct journey_map_input in = {x,      &f,   NULL, NULL, NULL, NULL,
                                   quotes, NULL, "sv", 1,    30};
    assert_int_equal(journey_map_doc_new(&d, &in, &err), 0);
    assert_int_equal(d->map.n_stages, 2);
    assert_string_equal(d->map.title, "Kundresan");
    assert_false(d->has_process);
    const struct journey_map_stage *s0 = &d->map.stages[0];
    assert_close(s0->drop_off.value, 20, 0, 1e-9);
    assert_close(s0->drop_off.lo, 100 - 86.6, 0, 1e-9);
    assert_true(isnan(d->map.stages[1].drop_off.value)); /* the last */
    assert_int_equal(s0->n_touchpoints, 2);
    assert_true(s0->touchpoints[1].moment_of_truth);
    assert_true(s0->touchpoints[1].pain);
    assert_string_equal(s0->verbatim, quotes[0]);
    assert_string_equal(s0->themes[0].label, "wait");
    /* the map renders, the quote escaped */
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(journey_map_render_svg(&b, &d->map, &err), 0);
    assert_non_null(strstr(strbuf_str(&b), "&lt;länge&gt; &amp;"));
    strbuf_reset(&b);
    /* the report */
    struct result *r = journey_map_report(d, &in);
    assert_int_equal(result_render(&b, r, RESULT_FORMAT_CSV, &err), 0);
    assert_non_null(strstr(strbuf_str(&b), "before,"));
    assert_non_null(strstr(strbuf_str(&b), "wait 75%"));
    result_free(r);
    strbuf_dispose(&b);
    journey_map_doc_free(d);
    journey_experience_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_experience_per_stage_and_touchpoint),
        cmocka_unit_test(test_map_doc_and_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
