/* The patterns SVG: a well-formed XML document (one <svg> root, balanced
 * tags, quoted attributes, no raw '<' or stray '&' in text) with a
 * <title> and <desc>, labels from data escaped, the cells, means and
 * regions drawn; the dyad histogram the same. The structure is checked
 * by the small tokenizer here (no XML library is a dependency). Also
 * escape_xml itself. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/patterns.h"
#include "colstore/colstore.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "report/patterns_svg.h"

#define DAY0 1704067200

/* Two segments, one with markup in its name; triads around two places
 * and a dyad. */
static struct colstore *make_store(void)
{
    struct err err = ERR_INIT;
    struct colstore *cs = colstore_new();
    int j = colstore_add_journey(cs, "j", "J", &err);
    int s = colstore_add_stage(cs, j, "s", "S", 0, &err);
    int tp = colstore_add_touchpoint(cs, s, "tel", "Tel", &err);
    int ch = colstore_intern(cs, DIM_CHANNEL, "phone", &err);
    int sg[2] = {colstore_intern(cs, DIM_SEGMENT, "Barn & <familj>", &err),
                 colstore_intern(cs, DIM_SEGMENT, "Senior \"60+\"", &err)};
    struct gen g;
    gen_seed(&g, 3);
    for (size_t i = 0; i < 200; i++) {
        int64_t ts = DAY0 + (int64_t)i * 60;
        struct colstore_row row = {
            tp, ch, sg[i % 2],      -1, 0, tstamp_local_day(ts, 0), -1,
            -1, -1, (int64_t)i + 1, -1, ts};
        assert_int_equal(colstore_append(cs, &row, &err), 0);
    }
    int c[3];
    static const char *const names[3] = {"triad1:why", "triad2:why",
                                         "triad3:why"};
    for (int p = 0; p < 3; p++)
        c[p] = colstore_col_add(cs, COLSTORE_RESPONSES, names[p], COLSTORE_NUM,
                                NAN, &err);
    int d = colstore_col_add(cs, COLSTORE_RESPONSES, "dyad:settled",
                             COLSTORE_NUM, NAN, &err);
    for (size_t i = 0; i < 200; i++) {
        double a = 0.2 + 0.5 * (i % 2) + 0.1 * gen_unit(&g);
        double b = (1 - a) * (0.3 + 0.4 * gen_unit(&g));
        double x[3] = {a, b, 1 - a - b};
        for (int p = 0; p < 3; p++)
            colstore_col_set_num(cs, COLSTORE_RESPONSES, c[p], i, x[p], &err);
        colstore_col_set_num(cs, COLSTORE_RESPONSES, d, i, gen_unit(&g), &err);
    }
    assert_int_equal(err.code, 0);
    return cs;
}

/* Checks that doc is well-formed XML of the kind written: a prolog, then
 * one element tree; counts elements by name in *n_title etc. Fails the
 * test with the offset of the first fault. */
struct tally {
    int svg, title, desc, polygon, circle, rect, text;
};

static void count_tag(void *ctx, const char *name, size_t n)
{
    struct tally *t = ctx;
#define COUNT(tag)                                                             \
    if (n == strlen(#tag) && !strncmp(name, #tag, n))                          \
        t->tag++;
    COUNT(svg)
    COUNT(title)
    COUNT(desc)
    COUNT(polygon)
    COUNT(circle)
    COUNT(rect)
    COUNT(text)
#undef COUNT
}

static void check_xml(const char *doc, struct tally *t)
{
    memset(t, 0, sizeof *t);
    harness_markup(doc, 0, NULL, count_tag, t);
}

static void test_patterns_svg_triad_is_well_formed_and_escaped(void **state)
{
    (void)state;
    struct colstore *cs = make_store();
    struct patterns_result *r = NULL;
    struct err err = ERR_INIT;
    struct field by;
    assert_int_equal(field_parse(&by, "segment", 7, FIELD_RESPONSES, &err), 0);
    struct patterns_query q = {PATTERNS_TRIAD, "why", &by, NULL, 0, NULL, 0};
    assert_int_equal(patterns_run(&r, cs, &q, &err), 0);
    struct strbuf b = STRBUF_INIT;
    const char *corners[3] = {"fix & <repair>", "know \"it\"", "reassure"};
    assert_int_equal(patterns_svg_render(&b, r, corners), 0);
    const char *doc = strbuf_str(&b);
    struct tally t;
    check_xml(doc, &t);
    assert_int_equal(t.svg, 1);
    assert_true(t.title >= 1);
    assert_int_equal(t.desc, 1);
    assert_true(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_true(strstr(doc, "<title id=\"t\">Triad why: where 200 stories"));
    /* labels escaped, never raw */
    assert_non_null(strstr(doc, "fix &amp; &lt;repair&gt;"));
    assert_non_null(strstr(doc, "know &quot;it&quot;"));
    assert_non_null(strstr(doc, "Barn &amp; &lt;familj&gt;"));
    assert_non_null(strstr(doc, "Senior &quot;60+&quot;"));
    assert_null(strstr(doc, "<repair>"));
    assert_null(strstr(doc, "<familj>"));
    /* the cells, the triangle, three regions and three means */
    assert_int_equal(t.polygon, PATTERNS_CELLS + 1 + 3);
    assert_int_equal(t.circle, 3);
    /* the desc tells the means in words */
    const char *desc = strstr(doc, "<desc");
    assert_non_null(strstr(desc, "Compositional means: all (n 200)"));
    strbuf_dispose(&b);

    /* a buffer whose maximum is reached is left as it was */
    struct strbuf small;
    strbuf_init(&small, 100);
    assert_int_equal(patterns_svg_render(&small, r, NULL), ERR_INVALID);
    assert_int_equal(small.n, 0);
    strbuf_dispose(&small);
    patterns_result_free(r);
    colstore_free(cs);
}

static void test_patterns_svg_dyad_is_well_formed(void **state)
{
    (void)state;
    struct colstore *cs = make_store();
    struct patterns_result *r = NULL;
    struct err err = ERR_INIT;
    struct field by;
    assert_int_equal(field_parse(&by, "segment", 7, FIELD_RESPONSES, &err), 0);
    struct patterns_query q = {PATTERNS_DYAD, "settled", &by, NULL, 0, NULL, 0};
    assert_int_equal(patterns_run(&r, cs, &q, &err), 0);
    struct strbuf b = STRBUF_INIT;
    assert_int_equal(patterns_svg_render(&b, r, NULL), 0);
    struct tally t;
    check_xml(strbuf_str(&b), &t);
    assert_int_equal(t.svg, 1);
    assert_int_equal(t.desc, 1);
    assert_int_equal(t.rect, 1 + PATTERNS_DYAD_BINS); /* background, bars */
    assert_int_equal(t.circle, 2);                    /* one per group */
    assert_non_null(
        strstr(strbuf_str(&b), "Barn &amp; &lt;familj&gt; (n 100)"));
    strbuf_dispose(&b);
    patterns_result_free(r);
    colstore_free(cs);
}

static void test_patterns_svg_escape_xml(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    const char in[] = "a<b>&\"c'\x01\xff\tö";
    assert_int_equal(escape_xml(&b, in, sizeof in - 1), 0);
    assert_string_equal(strbuf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;"
                                        "\xef\xbf\xbd\xef\xbf\xbd\tö");
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_svg_triad_is_well_formed_and_escaped),
        cmocka_unit_test(test_patterns_svg_dyad_is_well_formed),
        cmocka_unit_test(test_patterns_svg_escape_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
