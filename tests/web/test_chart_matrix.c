/* Tests for src/web/chart_matrix.c: points land where importance and
 * performance put them (coordinates read back from the SVG and
 * compared with the plot area the header states), whiskers span the
 * CI, the quadrant lines and names sit where they should, each point is
 * coloured by its quadrant, labels do not overlap, and the table behind
 * the chart holds every figure with its CI, group and n, in Swedish and
 * English. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "web/chart_matrix.h"

#define MINUS "\xe2\x88\x92"

/* the plot area as chart_matrix.h states it */
#define LEFT 56.0
#define RIGHT 464.0
#define TOP 20.0
#define BOTTOM 312.0

static int count(const char *s, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

/* The k-th element starting with tag (k from 0). */
static const char *nth(const char *doc, const char *tag, int k)
{
    const char *p = doc;
    for (int i = 0; i <= k; i++) {
        p = strstr(i ? p + 1 : p, tag);
        assert_non_null(p);
    }
    return p;
}

/* The value of attribute name in the k-th element starting with tag. */
static double attr_of(const char *doc, const char *tag, int k, const char *name)
{
    const char *p = nth(doc, tag, k), *end = strchr(p, '>');
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    assert_true(a && a < end);
    return strtod(a + strlen(key), NULL);
}

/* The text of attribute name in the k-th element starting with tag. */
static void attr_text(const char *doc, const char *tag, int k, const char *name,
                      char *out, size_t n)
{
    const char *p = nth(doc, tag, k), *end = strchr(p, '>');
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(p, key);
    assert_true(a && a < end);
    if (!a) /* (the assert above fails first) */
        return;
    a += strlen(key);
    size_t len = strcspn(a, "\"");
    assert_true(len < n);
    memcpy(out, a, len);
    out[len] = 0;
}

/* Renders, checks it is well-formed (inside one root) and returns it. */
static char *render(const struct chart_matrix *c, enum web_lang lang)
{
    struct strbuf b = STRBUF_INIT, doc = STRBUF_INIT;
    assert_int_equal(chart_matrix_svg(&b, lang, c), 0);
    strbuf_printf(&doc, "<div>\n%s</div>\n", strbuf_str(&b));
    harness_markup(strbuf_str(&doc), 1, NULL, NULL, NULL);
    strbuf_dispose(&doc);
    return strbuf_detach(&b, NULL);
}

static double x_of(double v, double x_max)
{
    return LEFT + v / x_max * (RIGHT - LEFT);
}

static double y_of(double v)
{
    return BOTTOM - v / 100 * (BOTTOM - TOP);
}

/* one point in each quadrant of lines x 10, y 50 */
static const struct chart_matrix_point four[] = {
    {"rating:speed", "speed", 25.0, 20.0, 30.5, 20.0, "fix first", 400, 0},
    {"rating:quality", "quality", 15.0, 12.0, 18.0, 80.0, "keep it up", 400, 0},
    {"rating:staff", "staff", 2.0, 0.5, 4.0, 90.0, "overinvested", 400, 0},
    {"rating:communication", "communication", 5.0, 3.0, 7.5, 30.0, "maintain",
     400, 0},
};

static struct chart_matrix matrix_of(const struct chart_matrix_point *pts,
                                     size_t n, double x_max)
{
    struct chart_matrix c = {"m1",
                             "Importance and performance",
                             NULL,
                             "Importance %",
                             "Performance",
                             "Driver",
                             "Quadrant",
                             pts,
                             n,
                             10.0,
                             50.0,
                             x_max,
                             0,
                             100,
                             1,
                             0,
                             {"over", "keep", "low", "FIX"}};
    return c;
}

static void test_chart_matrix_points_land_on_the_scales(void **state)
{
    (void)state;
    struct chart_matrix c = matrix_of(four, 4, 40);
    char *s = render(&c, WEB_EN);
    assert_int_equal(count(s, "<circle "), 4);
    for (int i = 0; i < 4; i++) {
        assert_close(attr_of(s, "<circle ", i, "cx"), x_of(four[i].x, 40), 0,
                     0.06);
        assert_close(attr_of(s, "<circle ", i, "cy"), y_of(four[i].y), 0, 0.06);
    }
    /* each point is classed by the quadrant it lies in */
    const char *want[] = {"mpt q3", "mpt q1", "mpt q0", "mpt q2"};
    for (int i = 0; i < 4; i++) {
        char cls[32];
        attr_text(s, "<circle ", i, "class", cls, sizeof cls);
        assert_string_equal(cls, want[i]);
    }
    /* ticks: x every 10 (0..40), y every 20 (0..100) */
    assert_non_null(strstr(s, ">40</text>"));
    assert_non_null(strstr(s, ">100</text>"));
    assert_non_null(strstr(s, "role=\"img\" aria-labelledby=\"m1-t m1-d\""));
    assert_non_null(strstr(s, "<title id=\"m1-t\">Importance and "
                              "performance</title>"));
    free(s);
}

static void test_chart_matrix_whiskers_span_the_interval(void **state)
{
    (void)state;
    struct chart_matrix c = matrix_of(four, 4, 40);
    char *s = render(&c, WEB_EN);
    assert_int_equal(count(s, "<path class=\"whisker\""), 4);
    for (int i = 0; i < 4; i++) {
        const char *p = strstr(nth(s, "<path class=\"whisker\"", i), "d=\"M");
        double a, y, b;
        assert_int_equal(sscanf(p, "d=\"M%lf %lfH%lf", &a, &y, &b), 3);
        assert_close(a, x_of(four[i].x_lo, 40), 0, 0.06);
        assert_close(b, x_of(four[i].x_hi, 40), 0, 0.06);
        assert_close(y, y_of(four[i].y), 0, 0.06);
    }
    free(s);
}

static void test_chart_matrix_quadrant_lines_and_names(void **state)
{
    (void)state;
    struct chart_matrix c = matrix_of(four, 4, 40);
    char *s = render(&c, WEB_EN);
    assert_int_equal(count(s, "<line class=\"qline\""), 2);
    /* the vertical line at importance 10, the horizontal at 50 */
    assert_close(attr_of(s, "<line class=\"qline\"", 0, "x1"), x_of(10, 40), 0,
                 0.06);
    assert_close(attr_of(s, "<line class=\"qline\"", 0, "x2"), x_of(10, 40), 0,
                 0.06);
    assert_close(attr_of(s, "<line class=\"qline\"", 1, "y1"), y_of(50), 0,
                 0.06);
    /* the fix-first area is the lower right: right of the line, below it */
    const char *q3 = strstr(s, "<rect class=\"qarea q3\"");
    assert_non_null(q3);
    assert_close(attr_of(q3, "<rect", 0, "x"), x_of(10, 40), 0, 0.06);
    assert_close(attr_of(q3, "<rect", 0, "y"), y_of(50), 0, 0.06);
    assert_close(attr_of(q3, "<rect", 0, "width"), RIGHT - x_of(10, 40), 0,
                 0.11);
    assert_close(attr_of(q3, "<rect", 0, "height"), BOTTOM - y_of(50), 0, 0.11);
    /* names in their corners: FIX at the lower right, over at the upper
     * left */
    const char *fix = strstr(s, "<text class=\"quadrant q3\"");
    const char *over = strstr(s, "<text class=\"quadrant q0\"");
    assert_non_null(fix);
    assert_non_null(over);
    assert_true(attr_of(fix, "<text", 0, "x") > x_of(30, 40));
    assert_true(attr_of(fix, "<text", 0, "y") > y_of(10));
    assert_true(attr_of(over, "<text", 0, "x") < x_of(5, 40));
    assert_true(attr_of(over, "<text", 0, "y") < y_of(90));
    assert_non_null(strstr(fix, ">FIX</text>"));
    free(s);
}

/* A label's box as the plot's font draws it: 7 units a character, 14
 * high, from its anchor. */
struct box {
    double x0, y0, x1, y1;
};

static struct box label_box(const char *s, int k)
{
    const char *p = nth(s, "<text class=\"mlabel\"", k);
    char anchor[16];
    attr_text(s, "<text class=\"mlabel\"", k, "text-anchor", anchor,
              sizeof anchor);
    double x = attr_of(s, "<text class=\"mlabel\"", k, "x");
    double y = attr_of(s, "<text class=\"mlabel\"", k, "y");
    const char *t = strchr(p, '>') + 1;
    double w = 0;
    for (; *t != '<'; t++)
        w += ((unsigned char)*t & 0xC0) != 0x80;
    w *= 7;
    double x0 = !strcmp(anchor, "start") ? x
                : !strcmp(anchor, "end") ? x - w
                                         : x - w / 2;
    struct box b = {x0, y - 11, x0 + w, y + 3};
    return b;
}

static void test_chart_matrix_labels_do_not_overlap(void **state)
{
    (void)state;
    /* five points close together: each label finds a free place */
    const struct chart_matrix_point close[] = {
        {"a", "alpha", 10.0, NAN, NAN, 50.0, NULL, -1, 0},
        {"b", "bravo", 10.5, NAN, NAN, 52.0, NULL, -1, 0},
        {"c", "charlie", 10.0, NAN, NAN, 55.0, NULL, -1, 0},
        {"d", "delta", 9.5, NAN, NAN, 47.0, NULL, -1, 0},
        {"e", "echo", 11.0, NAN, NAN, 50.0, NULL, -1, 0},
    };
    struct chart_matrix c = matrix_of(close, 5, 20);
    c.x_line = c.y_line = NAN;
    char *s = render(&c, WEB_EN);
    assert_int_equal(count(s, "<text class=\"mlabel\""), 5);
    for (int i = 0; i < 5; i++) {
        struct box a = label_box(s, i);
        assert_true(a.x0 >= 0 && a.x1 <= 480);
        for (int j = i + 1; j < 5; j++) {
            struct box b = label_box(s, j);
            int apart =
                a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
            if (!apart)
                fail_msg("labels %d and %d overlap", i, j);
        }
    }
    /* no quadrant lines without lines */
    assert_int_equal(count(s, "class=\"qline\""), 0);
    /* the short label on the plot */
    assert_non_null(strstr(s, ">charlie</text>"));
    free(s);
}

static void test_chart_matrix_table_holds_every_figure(void **state)
{
    (void)state;
    struct chart_matrix c = matrix_of(four, 4, 40);
    char *s = render(&c, WEB_EN);
    const char *t = strstr(s, "<details class=\"chart-data\">");
    assert_non_null(t);
    assert_non_null(strstr(t, "<caption>Importance and performance"
                              "</caption>"));
    assert_non_null(strstr(t, "<th scope=\"col\">Driver</th>"));
    assert_non_null(strstr(t, "<th scope=\"col\">Quadrant</th>"));
    assert_int_equal(count(t, "<tr><th scope=\"row\">"), 4);
    /* the full names, x with one decimal and its CI, y with none, the
     * group and n */
    assert_non_null(
        strstr(t, "<tr><th scope=\"row\">rating:speed</th><td class=\"num\">"
                  "25.0</td><td class=\"num\">[20.0, 30.5]</td><td "
                  "class=\"num\">20</td><td>fix first</td><td "
                  "class=\"num\">400</td></tr>"));
    assert_non_null(strstr(t, ">rating:communication</th><td class=\"num\">"
                              "5.0</td><td class=\"num\">[3.0, 7.5]</td>"));
    /* the summary names every point with its figures */
    assert_non_null(
        strstr(s, "<desc id=\"m1-d\">rating:speed: Importance % 25.0 [20.0, "
                  "30.5], Performance 20 (fix first); "));
    free(s);
}

static void test_chart_matrix_swedish_numbers(void **state)
{
    (void)state;
    struct chart_matrix_point p[] = {
        {"rating:speed", NULL, 1234.5, -1.26, 2000.0, 66.6, NULL, 12, 1}};
    struct chart_matrix c = matrix_of(p, 1, NAN);
    c.group_label = NULL;
    char *s = render(&c, WEB_SV);
    assert_non_null(strstr(s, "<td class=\"num\">1\xe2\x80\xaf"
                              "234,5</td><td class=\"num\">[" MINUS
                              "1,3; 2\xe2\x80\xaf"
                              "000,0]</td><td class=\"num\">67</td><td "
                              "class=\"num\"><span class=\"lown\""));
    /* no group column without its header; the low n is starred */
    assert_int_equal(count(s, "<td>"), 0);
    assert_non_null(strstr(s, "12*</span>"));
    assert_non_null(strstr(s, "<circle class=\"mpt q1 lown\""));
    /* the label is the name when there is no short one */
    assert_non_null(strstr(s, ">rating:speed*</text>"));
    free(s);
}

static void test_chart_matrix_axis_from_data(void **state)
{
    (void)state;
    /* the largest figure is a CI's end, 23: the axis runs to 25 */
    struct chart_matrix_point p[] = {
        {"a", NULL, 12.0, 6.0, 23.0, 40.0, NULL, 50, 0},
        {"b", NULL, 4.0, 1.0, 8.0, 70.0, NULL, 50, 0}};
    struct chart_matrix c = matrix_of(p, 2, NAN);
    char *s = render(&c, WEB_EN);
    assert_close(attr_of(s, "<circle ", 0, "cx"), x_of(12, 25), 0, 0.06);
    assert_close(attr_of(s, "<circle ", 1, "cx"), x_of(4, 25), 0, 0.06);
    assert_non_null(strstr(s, ">25</text>"));
    assert_null(strstr(s, ">30</text>"));
    free(s);
}

static void test_chart_matrix_escapes_and_cuts_labels(void **state)
{
    (void)state;
    struct chart_matrix_point p[] = {
        {"<script>x</script>", NULL, 5.0, NAN, NAN, 50.0, "a&b", 30, 0},
        {"theme:a_very_long_theme_name_indeed", "a_very_long_theme_name_indeed",
         8.0, NAN, NAN, 20.0, NULL, 30, 0}};
    struct chart_matrix c = matrix_of(p, 2, 20);
    char *s = render(&c, WEB_EN);
    assert_null(strstr(s, "<script>"));
    assert_non_null(strstr(s, "&lt;script&gt;x&lt;/script&gt;"));
    assert_non_null(strstr(s, "<td>a&amp;b</td>"));
    /* cut on the plot (18 characters and an ellipsis), whole in the
     * table */
    assert_non_null(strstr(s, ">a_very_long_theme\xe2\x80\xa6</text>"));
    assert_non_null(strstr(s, ">theme:a_very_long_theme_name_indeed</th>"));
    /* no CI: no whisker, an empty CI cell */
    assert_int_equal(count(s, "class=\"whisker\""), 0);
    assert_non_null(strstr(s, "</td><td class=\"num\"></td>"));
    free(s);
}

static void test_chart_matrix_without_values_says_no_data(void **state)
{
    (void)state;
    struct chart_matrix_point p[] = {
        {"a", NULL, NAN, NAN, NAN, 50.0, NULL, 0, 0}};
    struct chart_matrix c = matrix_of(p, 1, NAN);
    char *s = render(&c, WEB_EN);
    assert_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "chart-empty"));
    assert_non_null(strstr(s, "class=\"no-data\""));
    free(s);
    c.n = 0;
    s = render(&c, WEB_SV);
    assert_non_null(strstr(s, "Inga data"));
    free(s);
}

static void test_chart_matrix_missing_point_is_in_the_table_only(void **state)
{
    (void)state;
    struct chart_matrix_point p[] = {
        {"a", NULL, 5.0, 4.0, 6.0, 50.0, NULL, 40, 0},
        {"b", NULL, NAN, NAN, NAN, NAN, NULL, 40, 0}};
    struct chart_matrix c = matrix_of(p, 2, 20);
    char *s = render(&c, WEB_EN);
    assert_int_equal(count(s, "<circle "), 1);
    assert_int_equal(count(s, "<tr><th scope=\"row\">"), 2);
    assert_non_null(strstr(s, ">b</th><td class=\"num\"><span class=\"null\" "
                              "role=\"img\" aria-label=\"no value\">"));
    free(s);
}

static void test_chart_matrix_too_large_is_an_error(void **state)
{
    (void)state;
    struct strbuf b;
    struct chart_matrix c = matrix_of(four, 4, 40);
    strbuf_init(&b, 400);
    assert_true(chart_matrix_svg(&b, WEB_EN, &c) < 0);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_matrix_points_land_on_the_scales),
        cmocka_unit_test(test_chart_matrix_whiskers_span_the_interval),
        cmocka_unit_test(test_chart_matrix_quadrant_lines_and_names),
        cmocka_unit_test(test_chart_matrix_labels_do_not_overlap),
        cmocka_unit_test(test_chart_matrix_table_holds_every_figure),
        cmocka_unit_test(test_chart_matrix_swedish_numbers),
        cmocka_unit_test(test_chart_matrix_axis_from_data),
        cmocka_unit_test(test_chart_matrix_escapes_and_cuts_labels),
        cmocka_unit_test(test_chart_matrix_without_values_says_no_data),
        cmocka_unit_test(test_chart_matrix_missing_point_is_in_the_table_only),
        cmocka_unit_test(test_chart_matrix_too_large_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
