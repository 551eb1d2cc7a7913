/* Tests for src/web/chart_ternary.c: compositions land where barycentric
 * coordinates put them (checked against the triangle's corners computed
 * here), cells are drawn at their grid steps and shaded by count, only
 * cells with a link are in the pointer's layer (aria-hidden, out of the
 * tab order), the selected region is marked, means and their regions are
 * drawn, labels are escaped, dyad bars scale with their counts, empty
 * plots say so, and a full buffer is an error. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "web/chart_ternary.h"

/* the triangle as chart_ternary.c places it: side 400, bottom at 400 */
static const double C1[2] = {40, 400}, C2[2] = {440, 400},
                    C3[2] = {240, 400 - 400 * 0.86602540378443865};

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

static char *render(const struct chart_ternary *t, enum web_lang lang)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_ternary_svg(&b, lang, t), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static char *render_dyad(const struct chart_dyad *d, enum web_lang lang)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_dyad_svg(&b, lang, d), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static void test_ternary_xy_is_barycentric(void **state)
{
    (void)state;
    const double xs[][3] = {{1, 0, 0},
                            {0, 1, 0},
                            {0, 0, 1},
                            {0.2, 0.5, 0.3},
                            {1.0 / 3, 1.0 / 3, 1.0 / 3}};
    for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
        double px, py;
        chart_ternary_xy(xs[k], &px, &py);
        double ex = xs[k][0] * C1[0] + xs[k][1] * C2[0] + xs[k][2] * C3[0];
        double ey = xs[k][0] * C1[1] + xs[k][1] * C2[1] + xs[k][2] * C3[1];
        assert_close(px, ex, 0, 1e-9);
        assert_close(py, ey, 0, 1e-9);
    }
    /* the centre is the centroid, 2/3 of the height from the apex */
    double px, py;
    const double c[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    chart_ternary_xy(c, &px, &py);
    assert_close(px, 240, 0, 1e-9);
    assert_close(py, 400 - 400 * 0.86602540378443865 / 3, 0, 1e-9);
}

static const struct chart_ternary_cell cells[] = {
    {0, 0, 0, 10, "/app/stories?region=cell-0-0-up", "a 0-0.5", 0},
    {1, 0, 0, 0, NULL, NULL, 0},
    {0, 1, 0, 3, "/app/stories?region=cell-0-1-up&x=<1>", "c", 1},
    {0, 0, 1, 5, NULL, NULL, 0},
};

static const double region[4][3] = {
    {0.5, 0.3, 0.2}, {0.4, 0.4, 0.2}, {0.3, 0.3, 0.4}, {0.4, 0.2, 0.4}};

static void test_ternary_cells_means_and_links(void **state)
{
    (void)state;
    struct chart_ternary_point pts[] = {
        {"all", {0.4, 0.3, 0.3}, region, 4},
        {"Senior & <x>", {0.2, 0.2, 0.6}, NULL, 0},
    };
    struct chart_ternary t = {"p",
                              "Triad why",
                              "A triangle.",
                              {"fix", "know", "reassure"},
                              2,
                              cells,
                              4,
                              0.6,
                              0,
                              pts,
                              2};
    char *s = render(&t, WEB_EN);
    /* the picture: an img with its title and desc, then the hit layer */
    assert_non_null(strstr(s, "role=\"img\" aria-labelledby=\"p-t p-d\""));
    assert_non_null(strstr(s, "<title id=\"p-t\">Triad why</title>"));
    assert_non_null(strstr(s, "<desc id=\"p-d\">A triangle.</desc>"));
    const char *hit = strstr(s, "plot-hit");
    assert_non_null(hit);
    assert_non_null(strstr(hit, "aria-hidden=\"true\""));
    /* the upward cell (0,0) of a 2-grid: corners (0,0,1), (1/2,0,1/2),
     * (0,1/2,1/2) in parts; the fullest is the darkest */
    char want[160];
    double ax, ay, bx, by, cx, cy;
    const double p0[3] = {0, 0, 1}, p1[3] = {0.5, 0, 0.5},
                 p2[3] = {0, 0.5, 0.5};
    chart_ternary_xy(p0, &ax, &ay);
    chart_ternary_xy(p1, &bx, &by);
    chart_ternary_xy(p2, &cx, &cy);
    snprintf(want, sizeof want,
             "<polygon class=\"cell l5\" points=\"%.1f,%.1f %.1f,%.1f "
             "%.1f,%.1f\"/>",
             ax, ay, bx, by, cx, cy);
    assert_non_null(strstr(s, want));
    /* the empty cell is white, 3 of 10 is light, and selected */
    assert_int_equal(count(s, "class=\"cell l0\""), 1);
    assert_non_null(strstr(s, "class=\"cell l2 sel\""));
    /* the downward cell (0,0): corners (1/2,0,1/2), (0,1/2,1/2), (1/2,1/2,0) */
    const double q[3] = {0.5, 0.5, 0};
    double qx, qy;
    chart_ternary_xy(q, &qx, &qy);
    snprintf(want, sizeof want, "%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", bx, by, cx,
             cy, qx, qy);
    assert_non_null(strstr(s, want));
    /* links only where given, in the hit layer, out of the tab order and
     * escaped */
    assert_int_equal(count(s, "<a "), 2);
    assert_int_equal(count(hit, "<a tabindex=\"-1\" href="), 2);
    assert_non_null(strstr(hit, "cell-0-1-up&amp;x=&lt;1&gt;"));
    assert_null(strstr(s, "x=<1>"));
    /* the three corner regions are outlined, none selected */
    assert_int_equal(count(s, "class=\"near\""), 3);
    assert_null(strstr(s, "near sel"));
    /* the means where their compositions put them; labels escaped */
    double mx, my;
    chart_ternary_xy(pts[0].x, &mx, &my);
    snprintf(want, sizeof want,
             "<circle class=\"mean g0\" cx=\"%.1f\" cy=\"%.1f\"", mx, my);
    assert_non_null(strstr(s, want));
    assert_non_null(strstr(s, "class=\"mean g1\""));
    const char *legend = strstr(s, "<ul class=\"plot-legend\">");
    assert_non_null(legend);
    assert_non_null(strstr(legend, "g1\" aria-hidden=\"true\"></span>Senior "
                                   "&amp; &lt;x&gt;</li>"));
    /* one region outline (the second point has none) */
    assert_int_equal(count(s, "class=\"region g0\""), 1);
    assert_int_equal(count(s, "class=\"region g1\""), 0);
    /* corner labels */
    assert_non_null(strstr(s, ">reassure</text>"));
    free(s);
}

static void test_ternary_selected_corner_and_centre(void **state)
{
    (void)state;
    struct chart_ternary t = {"p", "T",  "D", {"a", "b", "c"}, 2, cells, 4, 0.6,
                              2,   NULL, 0};
    char *s = render(&t, WEB_SV);
    /* corner 2's region: (0.6,0.4)... its apex at corner 2 */
    char want[120];
    double x0, y0, x1, y1, x2, y2;
    const double a[3] = {0, 1, 0}, b[3] = {0, 0.6, 0.4}, c[3] = {0.4, 0.6, 0};
    chart_ternary_xy(a, &x0, &y0);
    chart_ternary_xy(b, &x1, &y1);
    chart_ternary_xy(c, &x2, &y2);
    snprintf(want, sizeof want,
             "<polygon class=\"near sel\" points=\"%.1f,%.1f %.1f,%.1f "
             "%.1f,%.1f\"/>",
             x0, y0, x1, y1, x2, y2);
    assert_non_null(strstr(s, want));
    free(s);
    t.near_selected = 4; /* the centre: a hexagon */
    s = render(&t, WEB_SV);
    const char *h = strstr(s, "<polygon class=\"near sel\" points=\"");
    assert_non_null(h);
    h += strlen("<polygon class=\"near sel\" points=\"");
    assert_int_equal(count(h, " ") >= 5, 1);
    int pairs = 0;
    for (const char *p = h; *p && *p != '"'; p++)
        pairs += *p == ',';
    assert_int_equal(pairs, 6);
    free(s);
}

static void test_ternary_empty_says_no_data(void **state)
{
    (void)state;
    struct chart_ternary_cell none[] = {{0, 0, 0, 0, NULL, NULL, 0}};
    struct chart_ternary t = {"p", "T",  "D", {"a", "b", "c"}, 1, none, 1, 0.6,
                              0,   NULL, 0};
    char *s = render(&t, WEB_EN);
    assert_non_null(strstr(s, "chart-empty"));
    assert_null(strstr(s, "<svg"));
    free(s);
}

static void test_dyad_bars_scale_with_counts(void **state)
{
    (void)state;
    struct chart_dyad_bin bins[] = {
        {0.0, 0.5, 20, "/a?region=bin-0", "0-0.5: 20", 0},
        {0.5, 1.0, 5, "/a?region=bin-1", NULL, 1},
    };
    struct chart_dyad_mean means[] = {{"all", 0.4, 0.35, 0.45},
                                      {"Student", 0.7, NAN, NAN}};
    struct chart_dyad d = {
        "d", "Dyad settled", "A histogram.", {NULL, NULL}, bins, 2, means, 2};
    char *s = render_dyad(&d, WEB_SV);
    char want[160];
    /* the full bar is 150 high from 16 down to the axis at 166; a quarter
     * of it for 5 of 20 */
    snprintf(want, sizeof want,
             "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
             "height=\"%.1f\"/>",
             chart_dyad_x(0) + 1, 16.0, chart_dyad_x(0.5) - chart_dyad_x(0) - 2,
             150.0);
    assert_non_null(strstr(s, want));
    snprintf(want, sizeof want, "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
             166.0 - 37.5, chart_dyad_x(1) - chart_dyad_x(0.5) - 2, 37.5);
    assert_non_null(strstr(s, want));
    assert_close(chart_dyad_x(1) - chart_dyad_x(0), 340, 0, 1e-9);
    /* the selected bin, the links, the CI only where there is one */
    assert_int_equal(count(s, "<rect class=\"sel\""), 1);
    assert_int_equal(count(s, "<a tabindex=\"-1\""), 2);
    assert_int_equal(count(s, "class=\"ci g0\""), 1);
    assert_int_equal(count(s, "class=\"ci g1\""), 0);
    snprintf(want, sizeof want, "<circle class=\"mean g1\" cx=\"%.1f\"",
             chart_dyad_x(0.7));
    assert_non_null(strstr(s, want));
    /* Swedish ticks */
    assert_non_null(strstr(s, ">0,5</text>"));
    free(s);
    bins[0].count = bins[1].count = 0;
    s = render_dyad(&d, WEB_EN);
    assert_non_null(strstr(s, "chart-empty"));
    free(s);
}

static void test_ternary_too_large_is_an_error(void **state)
{
    (void)state;
    struct strbuf b;
    struct chart_ternary t = {"p", "T",  "D", {"a", "b", "c"}, 2, cells, 4, 0.6,
                              0,   NULL, 0};
    strbuf_init(&b, 400);
    assert_true(chart_ternary_svg(&b, WEB_EN, &t) < 0);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ternary_xy_is_barycentric),
        cmocka_unit_test(test_ternary_cells_means_and_links),
        cmocka_unit_test(test_ternary_selected_corner_and_centre),
        cmocka_unit_test(test_ternary_empty_says_no_data),
        cmocka_unit_test(test_dyad_bars_scale_with_counts),
        cmocka_unit_test(test_ternary_too_large_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
