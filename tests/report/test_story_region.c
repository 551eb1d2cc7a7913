/* Tests for src/report/story_region.c: the regions a URL names are read
 * back as written, anything else is refused with what is taken, and an
 * answer's region is the one patterns counts it in (the histogram cell
 * of patterns_cell_of, the corner at weight 0.6 with the stored
 * rounding, the bins of a dyad), over seeded random compositions. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/story_region.h"

static int parse(struct story_region *r, const char *s, enum patterns_kind k)
{
    struct err err = ERR_INIT;
    return story_region_parse(r, s, strlen(s), k, &err);
}

static void test_story_region_names_read_back(void **state)
{
    (void)state;
    const char *triad[] = {"corner-1",      "corner-3",     "centre",
                           "cell-0-0-up",   "cell-9-0-up",  "cell-0-9-up",
                           "cell-8-0-down", "cell-3-5-down"};
    for (size_t k = 0; k < sizeof triad / sizeof *triad; k++) {
        struct story_region r;
        struct strbuf b = STRBUF_INIT;
        assert_int_equal(parse(&r, triad[k], PATTERNS_TRIAD), 0);
        story_region_name(&b, &r);
        assert_string_equal(strbuf_str(&b), triad[k]);
        strbuf_dispose(&b);
    }
    struct story_region r;
    assert_int_equal(parse(&r, "corner-2", PATTERNS_TRIAD), 0);
    assert_int_equal(r.kind, STORY_REGION_CORNER);
    assert_int_equal(r.corner, 1);
    assert_int_equal(parse(&r, "cell-3-5-down", PATTERNS_TRIAD), 0);
    assert_int_equal(r.i, 3);
    assert_int_equal(r.j, 5);
    assert_int_equal(r.down, 1);
    assert_int_equal(parse(&r, "bin-9", PATTERNS_DYAD), 0);
    assert_int_equal(r.bin, 9);
    assert_int_equal(parse(&r, "", PATTERNS_TRIAD), 0);
    assert_int_equal(r.kind, STORY_REGION_NONE);
}

static void test_story_region_refuses_the_rest(void **state)
{
    (void)state;
    const char *bad[] = {"corner-0",      "corner-4",     "corner-1x",
                         "corner-",       "centrex",      "cell-9-1-up",
                         "cell-9-0-down", "cell-10-0-up", "cell-1-1",
                         "cell-1-1-upx",  "cell--1-1-up", "bin-1",
                         "Corner-1",      "corner-01x"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        struct story_region r;
        struct err err = ERR_INIT;
        assert_int_equal(story_region_parse(&r, bad[k], strlen(bad[k]),
                                            PATTERNS_TRIAD, &err),
                         ERR_INVALID);
        assert_int_equal(r.kind, STORY_REGION_NONE);
        assert_non_null(strstr(err.msg, "corner-1..3, centre"));
    }
    struct story_region r;
    struct err err = ERR_INIT;
    assert_true(story_region_parse(&r, "bin-10", 6, PATTERNS_DYAD, &err) < 0);
    assert_non_null(strstr(err.msg, "bin-0..9"));
    assert_true(parse(&r, "corner-1", PATTERNS_DYAD) < 0);
    /* a length, not a NUL, ends the text */
    assert_int_equal(
        story_region_parse(&r, "centre-and-more", 6, PATTERNS_TRIAD, &err), 0);
    assert_int_equal(r.kind, STORY_REGION_CENTRE);
}

/* Every composition lies in exactly one cell, the one patterns_cell_of
 * numbers; and in the corners as weight >= 0.6 says, else the centre. */
static void test_story_region_has_as_patterns_counts(void **state)
{
    (void)state;
    struct gen g;
    gen_seed(&g, 41);
    struct story_region cells[PATTERNS_CELLS];
    size_t n = 0;
    for (int down = 0; down < 2; down++)
        for (int i = 0; i < PATTERNS_GRID; i++)
            for (int j = 0; i + j <= PATTERNS_GRID - 1 - down; j++)
                cells[n++] =
                    (struct story_region){STORY_REGION_CELL, 0, i, j, down, 0};
    assert_int_equal(n, PATTERNS_CELLS);
    for (int t = 0; t < 5000; t++) {
        double x[3];
        if (t < 60) { /* on the grid's lines and corners */
            x[0] = (t % 11) / 10.0;
            x[1] = (1 - x[0]) * ((t / 11) % 6) / 5.0;
        } else {
            x[0] = gen_unit(&g);
            x[1] = (1 - x[0]) * gen_unit(&g);
        }
        x[2] = fmax(0, 1 - x[0] - x[1]);
        int in = 0;
        size_t which = 0;
        for (size_t k = 0; k < n; k++)
            if (story_region_has(&cells[k], x)) {
                in++;
                which = k;
            }
        assert_int_equal(in, 1);
        assert_int_equal(which, patterns_cell_of(x));
        int near = 0;
        for (int p = 0; p < 3; p++) {
            struct story_region c = {STORY_REGION_CORNER, p, 0, 0, 0, 0};
            int want = x[p] >= 0.6 - 1e-9;
            assert_int_equal(story_region_has(&c, x), want);
            near |= want;
        }
        struct story_region centre = {STORY_REGION_CENTRE, 0, 0, 0, 0, 0};
        assert_int_equal(story_region_has(&centre, x), !near);
    }
    /* 0.6 stored as 0.59999999999 is near, as verbatims --min 0.6 reads */
    const double y[3] = {0.59999999999, 0.3, 0.10000000001};
    struct story_region c1 = {STORY_REGION_CORNER, 0, 0, 0, 0, 0};
    assert_true(story_region_has(&c1, y));
}

static void test_story_region_dyad_bins(void **state)
{
    (void)state;
    const struct {
        double v;
        int bin;
    } cases[] = {{0, 0},     {0.05, 0}, {0.1, 1},  {0.35, 3},
                 {0.999, 9}, {1, 9},    {-0.2, 0}, {1.5, 9}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        for (int b = 0; b < PATTERNS_DYAD_BINS; b++) {
            struct story_region r = {STORY_REGION_BIN, 0, 0, 0, 0, b};
            const double x[3] = {cases[k].v, 0, 0};
            assert_int_equal(story_region_has(&r, x), b == cases[k].bin);
        }
    struct story_region r = {STORY_REGION_BIN, 0, 0, 0, 0, 0};
    const double nan3[3] = {NAN, 0, 0};
    assert_false(story_region_has(&r, nan3));
    struct story_region none = {STORY_REGION_NONE, 0, 0, 0, 0, 0};
    const double x[3] = {0.2, 0.3, 0.5};
    assert_false(story_region_has(&none, x));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_story_region_names_read_back),
        cmocka_unit_test(test_story_region_refuses_the_rest),
        cmocka_unit_test(test_story_region_has_as_patterns_counts),
        cmocka_unit_test(test_story_region_dyad_bins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
