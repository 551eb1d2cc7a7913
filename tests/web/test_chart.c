/* Tests for src/web/chart.c: points and bars land where the data puts
 * them (coordinates read back from the SVG), the CI band covers lo..hi,
 * the table behind a chart lists every figure with its n, Swedish
 * numbers, escaping, and an empty series as a "no data" figure. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "web/chart.h"

#define NNBSP "\xe2\x80\xaf"
#define MINUS "\xe2\x88\x92"

/* the plot area of a line chart, as chart.c draws it */
#define TOP 28.0
#define BOTTOM (260.0 - 36.0)

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

/* The value of attribute name in the k-th element starting with tag. */
static double attr_of(const char *doc, const char *tag, int k, const char *name)
{
    const char *p = doc;
    char key[32];
    for (int i = 0; i <= k; i++) {
        p = strstr(p, tag);
        assert_non_null(p);
        if (i < k)
            p++;
    }
    const char *end = strchr(p, '>');
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    assert_true(a && a < end);
    return strtod(a + strlen(key), NULL);
}

/* Renders, checks it is well-formed (inside one root) and returns it. */
static char *line(const struct chart_line *c, enum web_lang lang)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_line_svg(&b, lang, c), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static char *bars(const struct chart_bars *c, enum web_lang lang)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_bars_svg(&b, lang, c), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static const struct chart_point months[] = {
    {"2026-01", 0.0, -10.0, 10.0, 400, 0},
    {"2026-02", 50.0, 40.0, 60.0, 420, 0},
    {"2026-03", -100.0, -100.0, -80.0, 12, 1},
    {"2026-04", 12.3, 8.1, 16.5, 40, 0},
};

static double y_of(double v)
{
    return BOTTOM - (v + 100) / 200 * (BOTTOM - TOP);
}

static void test_chart_line_points_land_on_the_scale(void **state)
{
    (void)state;
    struct chart_line c = {"t1", "NPS by month", NULL, "NPS",     months,
                           4,    -100,           100,  "2026-02", "fix done"};
    char *s = line(&c, WEB_EN);
    assert_int_equal(count(s, "<circle "), 4);
    /* 0 between -100 and 100 is in the middle of the plot */
    assert_close(attr_of(s, "<circle ", 0, "cy"), (TOP + BOTTOM) / 2, 0, 0.06);
    assert_close(attr_of(s, "<circle ", 1, "cy"), y_of(50), 0, 0.06);
    assert_close(attr_of(s, "<circle ", 2, "cy"), BOTTOM, 0, 0.06);
    assert_close(attr_of(s, "<circle ", 3, "cy"), y_of(12.3), 0, 0.06);
    /* evenly spaced, left to right */
    double x0 = attr_of(s, "<circle ", 0, "cx"),
           x1 = attr_of(s, "<circle ", 1, "cx"),
           x3 = attr_of(s, "<circle ", 3, "cx");
    assert_true(x0 < x1 && x1 < x3);
    assert_close(x3 - x0, 3 * (x1 - x0), 0, 0.2);
    /* the low-n point is hollow (by class) */
    assert_non_null(strstr(s, "<circle class=\"pt lown\""));
    assert_int_equal(count(s, "class=\"pt lown\""), 1);
    /* the marker stands at February's x, with its words */
    assert_close(attr_of(s, "<line class=\"marker\"", 0, "x1"), x1, 0, 0.06);
    assert_non_null(strstr(s, ">fix done</text>"));
    /* ticks in steps of 50 */
    assert_non_null(strstr(s, ">" MINUS "100</text>"));
    assert_non_null(strstr(s, ">50</text>"));
    free(s);
}

static void test_chart_line_band_covers_the_interval(void **state)
{
    (void)state;
    struct chart_line c = {"t2", "NPS", NULL, "NPS", months,
                           4,    -100,  100,  NULL,  NULL};
    char *s = line(&c, WEB_EN);
    const char *p = strstr(s, "<polygon class=\"band\" points=\"");
    assert_non_null(p);
    p += strlen("<polygon class=\"band\" points=\"");
    /* hi of each point forward, then lo backwards */
    double want[8] = {y_of(10),  y_of(60),   y_of(-80), y_of(16.5),
                      y_of(8.1), y_of(-100), y_of(40),  y_of(-10)};
    for (int i = 0; i < 8; i++) {
        char *end;
        double x = strtod(p, &end);
        assert_true(*end == ',');
        double y = strtod(end + 1, &end);
        assert_true(x > 0);
        assert_close(y, want[i], 0, 0.06);
        p = end;
    }
    assert_int_equal(*p, '"');
    /* the line runs through the values */
    assert_non_null(strstr(s, "<polyline class=\"line\""));
    free(s);
}

static void test_chart_line_has_its_table_and_names(void **state)
{
    (void)state;
    struct chart_line c = {
        "trend", "NPS by month", "NPS rose.", "NPS", months, 4, NAN,
        NAN,     NULL,           NULL};
    char *s = line(&c, WEB_EN);
    assert_non_null(strstr(s, "<figure class=\"chart chart-line\" "
                              "id=\"trend\">"));
    assert_non_null(strstr(s, "role=\"img\" aria-labelledby=\"trend-t "
                              "trend-d\""));
    assert_non_null(strstr(s, "<title id=\"trend-t\">NPS by month</title>"));
    assert_non_null(strstr(s, "<desc id=\"trend-d\">NPS rose.</desc>"));
    assert_non_null(strstr(s, "<figcaption>NPS by month</figcaption>"));
    assert_non_null(strstr(s, "<details class=\"chart-data\"><summary>"));
    assert_non_null(strstr(s, "<caption>NPS by month</caption>"));
    /* every point with value, CI and n */
    assert_int_equal(count(s, "<th scope=\"row\">"), 4);
    assert_non_null(strstr(s, "<th scope=\"row\">2026-04</th><td "
                              "class=\"num\">12.3</td><td class=\"num\">"
                              "[8.1, 16.5]</td><td class=\"num\">40</td>"));
    assert_non_null(strstr(s, "<th scope=\"row\">2026-02</th><td "
                              "class=\"num\">50.0</td><td class=\"num\">"
                              "[40.0, 60.0]</td><td class=\"num\">420</td>"));
    assert_non_null(strstr(s, ">12*</span></td>"));
    assert_non_null(strstr(s, "class=\"note lown-note\""));
    /* no colours in the markup: the stylesheet decides */
    assert_null(strstr(s, "fill="));
    assert_null(strstr(s, "stroke="));
    assert_null(strstr(s, "style="));
    assert_null(strstr(s, "<script"));
    free(s);
}

static void test_chart_line_swedish_numbers(void **state)
{
    (void)state;
    struct chart_line c = {
        "sv", "NPS per månad", NULL, "NPS", months, 4, -100, 100, NULL, NULL};
    char *s = line(&c, WEB_SV);
    assert_non_null(strstr(s, "<td class=\"num\">12,3</td><td class=\"num\">"
                              "[8,1; 16,5]</td>"));
    assert_non_null(strstr(s, "[" MINUS "100,0; " MINUS "80,0]"));
    assert_non_null(strstr(s, "95 % KI"));
    assert_null(strstr(s, "12.3"));
    /* a summary from the data when none is given */
    assert_non_null(strstr(s, "<desc id=\"sv-d\">Från 2026-01 (0,0) till "
                              "2026-04 (12,3).</desc>"));
    free(s);
}

static void test_chart_line_axis_from_data(void **state)
{
    (void)state;
    const struct chart_point p[] = {
        {"a", 3.21, 3.1, 3.3, 100, 0},
        {"b", 3.75, 3.6, 3.9, 100, 0},
    };
    struct chart_line c = {"m", "CSAT mean", NULL, "mean", p,
                           2,   NAN,         NAN,  NULL,   NULL};
    char *s = line(&c, WEB_EN);
    /* the axis is rounded out around 3.1..3.9: every point inside */
    for (int i = 0; i < 2; i++) {
        double y = attr_of(s, "<circle ", i, "cy");
        assert_true(y > TOP && y < BOTTOM);
    }
    /* a mean on a short axis gets two decimals */
    assert_non_null(strstr(s, ">3.75</td>"));
    free(s);
}

static void test_chart_escapes_labels(void **state)
{
    (void)state;
    const struct chart_point p[] = {
        {"<script>alert(1)</script>", 10, 5, 15, 50, 0},
        {"A & B \"quoted\"", -20, -30, -10, 60, 0},
    };
    struct chart_bars c = {"x\"><b", "Themes <i>", "Sum & <more>", "NPS", p, 2,
                           NAN,      NAN};
    char *s = bars(&c, WEB_EN);
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<i>"));
    assert_null(strstr(s, "<b"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(s, "A &amp; B &quot;quoted&quot;"));
    assert_non_null(strstr(s, "id=\"x&quot;&gt;&lt;b\""));
    assert_non_null(strstr(s, ">Sum &amp; &lt;more&gt;</desc>"));
    free(s);
}

static void test_chart_bars_land_on_the_scale(void **state)
{
    (void)state;
    const struct chart_point p[] = {
        {"Visning", 50, 40, 60, 300, 0},
        {"Reparation", -50, -60, -40, 200, 0},
        {"Flytt", 25, 0, 50, 10, 1},
    };
    struct chart_bars c = {"b", "NPS by touchpoint", NULL, "NPS", p, 3, -100,
                           100};
    char *s = bars(&c, WEB_SV);
    assert_int_equal(count(s, "<rect class=\"bar"), 3);
    double x0 = attr_of(s, "<rect class=\"bar", 0, "x"),
           w0 = attr_of(s, "<rect class=\"bar", 0, "width"),
           x1 = attr_of(s, "<rect class=\"bar", 1, "x"),
           w1 = attr_of(s, "<rect class=\"bar", 1, "width");
    /* +50 starts at 0 and goes right; -50 ends at 0; same length */
    assert_close(x0, x1 + w1, 0, 0.11);
    assert_close(w0, w1, 0, 0.11);
    /* 0 is the middle of -100..100: the zero line is there */
    double zero = attr_of(s, "<line class=\"zero\"", 0, "x1");
    assert_close(zero, x0, 0, 0.06);
    /* the low-n bar is marked by class, and starred in the table */
    assert_non_null(strstr(s, "<rect class=\"bar lown\""));
    assert_non_null(strstr(s, ">10*</span>"));
    /* whiskers: one per bar, from lo to hi */
    assert_int_equal(count(s, "<path class=\"whisker\""), 3);
    assert_non_null(strstr(s, "<th scope=\"row\">Reparation</th><td "
                              "class=\"num\">" MINUS "50,0</td><td "
                              "class=\"num\">[" MINUS "60,0; " MINUS
                              "40,0]</td><td class=\"num\">200</td>"));
    assert_non_null(strstr(s, "Högst Visning (50,0); lägst Reparation"));
    free(s);
}

static void test_chart_long_labels_are_cut_in_the_svg_only(void **state)
{
    (void)state;
    const struct chart_point p[] = {
        {"Åtgärd efter felanmälan i appen och på telefon, med besök", 10, 5, 15,
         50, 0},
    };
    struct chart_bars c = {"l", "Long", NULL, NULL, p, 1, NAN, NAN};
    char *s = bars(&c, WEB_SV);
    assert_non_null(strstr(s, "\xe2\x80\xa6</text>"));
    assert_non_null(strstr(s, "<th scope=\"row\">Åtgärd efter felanmälan i "
                              "appen och på telefon, med besök</th>"));
    free(s);
}

static void test_chart_empty_series_says_no_data(void **state)
{
    (void)state;
    const struct chart_point gap[] = {{"2026-01", NAN, NAN, NAN, 0, 0}};
    struct chart_line c = {"e", "NPS by month", NULL, "NPS", NULL, 0, NAN,
                           NAN, NULL,           NULL};
    char *s = line(&c, WEB_SV);
    assert_non_null(strstr(s, "<figure class=\"chart chart-line "
                              "chart-empty\" id=\"e\">"));
    assert_non_null(strstr(s, "<p class=\"no-data\">Inga data</p>"));
    assert_null(strstr(s, "<svg"));
    free(s);
    c.pts = gap;
    c.n = 1;
    s = line(&c, WEB_EN);
    assert_non_null(strstr(s, "<p class=\"no-data\">No data</p>"));
    free(s);
    struct chart_bars b = {"eb", "Themes", NULL, NULL, NULL, 0, NAN, NAN};
    s = bars(&b, WEB_EN);
    assert_non_null(strstr(s, "No data"));
    assert_null(strstr(s, "<svg"));
    free(s);
}

static void test_chart_gaps_split_the_line(void **state)
{
    (void)state;
    const struct chart_point p[] = {
        {"a", 1, 0, 2, 50, 0},      {"b", 2, 1, 3, 50, 0},
        {"c", NAN, NAN, NAN, 0, 0}, {"d", 3, 2, 4, 50, 0},
        {"e", 4, NAN, NAN, 50, 0},
    };
    struct chart_line c = {"g", "Gaps", NULL, NULL, p, 5, 0, 5, NULL, NULL};
    char *s = line(&c, WEB_EN);
    assert_int_equal(count(s, "<circle "), 4);
    assert_int_equal(count(s, "<polyline "), 2);           /* a-b and d-e */
    assert_int_equal(count(s, "<polygon "), 1);            /* a-b */
    assert_int_equal(count(s, "<rect class=\"band\""), 1); /* d alone */
    free(s);
}

static void test_chart_web_number(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    web_number(&b, WEB_SV, -12345.67, 1, 0);
    assert_string_equal(strbuf_str(&b), MINUS "12" NNBSP "345,7");
    strbuf_reset(&b);
    web_number(&b, WEB_EN, 12345.67, 2, 1);
    assert_string_equal(strbuf_str(&b), "+12,345.67");
    strbuf_reset(&b);
    web_number(&b, WEB_SV, NAN, 1, 0);
    assert_string_equal(strbuf_str(&b), "\xe2\x80\x93");
    strbuf_reset(&b);
    web_number(&b, WEB_SV, 0.5, 0, 0);
    assert_string_equal(strbuf_str(&b), "0");
    strbuf_dispose(&b);
}

static void test_chart_too_large_is_an_error(void **state)
{
    (void)state;
    struct strbuf b;
    struct chart_line c = {"t", "NPS", NULL, "NPS", months,
                           4,   -100,  100,  NULL,  NULL};
    strbuf_init(&b, 300);
    assert_true(chart_line_svg(&b, WEB_EN, &c) < 0);
    strbuf_dispose(&b);
}

/* Notes: a column in the table, a triangle over each marked point
 * (above it, its tip up or down), the legend for screen readers and
 * under the table; points without a mark get none. */
static void test_chart_line_notes_mark_points(void **state)
{
    (void)state;
    struct chart_line c = {
        "t", "NPS", "NPS by month.", "NPS", months, 4, -100, 100, NULL, NULL};
    const struct chart_note pts[] = {{NULL, 0},
                                     {"+50.0 [27.6, 72.4]", 1},
                                     {"-150.0 [-170, -130]", -1},
                                     {"+112.3 [90, 130]", 0}};
    struct chart_notes nt = {"Change", "significant (95%)", pts};
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_line_svg_notes(&b, WEB_EN, &c, &nt), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    const char *s = strbuf_str(&b);
    /* two marks: February up, March down, at their points' x */
    assert_int_equal(count(s, "<path class=\"sig "), 2);
    assert_int_equal(count(s, "<path class=\"sig up\""), 1);
    assert_int_equal(count(s, "<path class=\"sig down\""), 1);
    double x1 = attr_of(s, "<circle ", 1, "cx"),
           y1 = attr_of(s, "<circle ", 1, "cy");
    double x2 = attr_of(s, "<circle ", 2, "cx"),
           y2 = attr_of(s, "<circle ", 2, "cy");
    const char *up = strstr(s, "<path class=\"sig up\" d=\"M");
    const char *down = strstr(s, "<path class=\"sig down\" d=\"M");
    char *end;
    double ux = strtod(up + strlen("<path class=\"sig up\" d=\"M"), &end);
    double uy = strtod(end, NULL);
    double dx = strtod(down + strlen("<path class=\"sig down\" d=\"M"), &end);
    double dy = strtod(end, NULL);
    assert_close(ux, x1, 0, 0.06);
    assert_close(uy, y1 - 17, 0, 0.11); /* the tip up, above the point */
    assert_close(dx, x2, 0, 0.06);
    assert_close(dy, y2 - 9, 0, 0.11); /* the tip down, above it too */
    /* the table: a fifth column with the texts, marked cells named */
    assert_non_null(strstr(s, "<th scope=\"col\" class=\"num\">Change</th>"));
    assert_int_equal(count(s, "<th scope=\"col\""), 5);
    assert_non_null(strstr(s, "+50.0 [27.6, 72.4]<span class=\"visually-"
                              "hidden\"> (significant (95%))</span>"));
    assert_non_null(strstr(s, "<td class=\"num\">+112.3 [90, 130]</td>"));
    assert_int_equal(count(s, "class=\"visually-hidden\""), 2);
    assert_non_null(strstr(s, "<p class=\"note sig-note\">"));
    assert_non_null(strstr(s, "NPS by month.</desc>"));
    /* the plain line has neither */
    struct strbuf p = STRBUF_INIT;
    assert_int_equal(chart_line_svg(&p, WEB_EN, &c), 0);
    assert_null(strstr(strbuf_str(&p), "sig"));
    assert_int_equal(count(strbuf_str(&p), "<th scope=\"col\""), 4);
    strbuf_dispose(&p);
    strbuf_dispose(&doc);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_line_points_land_on_the_scale),
        cmocka_unit_test(test_chart_line_band_covers_the_interval),
        cmocka_unit_test(test_chart_line_has_its_table_and_names),
        cmocka_unit_test(test_chart_line_swedish_numbers),
        cmocka_unit_test(test_chart_line_axis_from_data),
        cmocka_unit_test(test_chart_escapes_labels),
        cmocka_unit_test(test_chart_bars_land_on_the_scale),
        cmocka_unit_test(test_chart_long_labels_are_cut_in_the_svg_only),
        cmocka_unit_test(test_chart_empty_series_says_no_data),
        cmocka_unit_test(test_chart_gaps_split_the_line),
        cmocka_unit_test(test_chart_web_number),
        cmocka_unit_test(test_chart_too_large_is_an_error),
        cmocka_unit_test(test_chart_line_notes_mark_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
