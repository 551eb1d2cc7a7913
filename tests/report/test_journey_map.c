/* The journey map, process map and variant SVGs and the HTML page: the
 * documents are well-formed (a small tokenizer here: balanced tags,
 * quoted attributes, known entities, one root; no XML library is a
 * dependency), every stage, touchpoint and the CI band are drawn, text
 * from data is escaped, bad input is an error, and no two label boxes the
 * layout placed intersect (JOURNEY_MAP_EM_PER_CHAR per character). With
 * JOURNEY_MAP_HTML=PATH in the environment the demo-like page is also
 * written to PATH, for tests/browser/journey_map.sh. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "report/journey_map.h"
#include "report/journey_process_svg.h"

/* ---- data ---- */

static struct estimate est(double v, double half, int64_t n)
{
    struct estimate e = {n, v, half / 1.96, v - half, v + half};
    return e;
}

static struct estimate unknown(void)
{
    struct estimate e = {0, NAN, NAN, NAN, NAN};
    return e;
}

#define TP(key, name, ch, mot, meas, pain, v, n)                               \
    {                                                                          \
        key, name, ch, mot, meas, pain,                                        \
        {                                                                      \
            n, v, 1, v - 6, v + 6                                              \
        }                                                                      \
    }

/* The demo journey of docs/demo-data.md: five stages, 24 touchpoints on
 * five channels, figures like the default set's. */
static const struct journey_map_touchpoint soka[] = {
    TP("webb_sok", "Söka lediga lägenheter på webben", "web", 0, 0, 0, 4.1,
       3120),
    TP("bostadsko", "Bostadskö och intresseanmälan", "web", 0, 0, 1, -15.8,
       2890),
    TP("visning", "Visning av lägenheten", "onsite", 1, 0, 0, 14.6, 4410),
};
static const struct journey_map_touchpoint kontrakt[] = {
    TP("kontrakt_digital", "Signera kontraktet digitalt med BankID", "web", 1,
       1, 0, 12.3, 3620),
    TP("kontrakt_kontor", "Kontraktsskrivning på kundcenter", "office", 0, 0, 0,
       20.4, 1180),
    TP("autogiro", "Första hyran och autogiro", "web", 0, 0, 0, 5.2, 2210),
};
static const struct journey_map_touchpoint inflyttning[] = {
    TP("nyckel", "Nyckelutlämning", "office", 1, 0, 0, 15.9, 2980),
    TP("besiktning_in", "Inflyttningsbesiktning", "onsite", 0, 0, 0, 4.8, 2730),
    TP("valkomst_app", "Kom igång med appen Mina sidor", "app", 0, 0, 0, 9.7,
       2550),
};
static const struct journey_map_touchpoint boende[] = {
    TP("app_inlogg", "Logga in i appen", "app", 0, 1, 1, -12.5, 19870),
    TP("felanmalan_app", "Felanmälan i appen", "app", 0, 0, 0, 8.8, 18920),
    TP("felanmalan_tel", "Felanmälan per telefon", "phone", 0, 0, 0, 3.9, 9350),
    TP("reparation", "Reparation i lägenheten", "onsite", 1, 1, 1, 6.1, 20150),
    TP("kundservice_tel", "Samtal med kundservice", "phone", 1, 0, 1, 2.7,
       19540),
    TP("kundcenter", "Besök på kundcenter", "office", 0, 0, 0, 14.2, 4820),
    TP("hyresavi", "Hyresavi och betalning i appen", "app", 0, 0, 0, 10.4,
       6020),
    TP("tvattstuga", "Boka tvättstuga i appen", "app", 0, 0, 0, 0.3, 5990),
    TP("stadning", "Trappstädning och gemensamma utrymmen", "onsite", 0, 0, 1,
       -5.6, 6110),
    TP("utemiljo", "Gård och utemiljö", "onsite", 0, 0, 0, 4.9, 6070),
    TP("storning", "Störningar och trygghet", "phone", 0, 0, 1, -19.7, 5930),
};
static const struct journey_map_touchpoint forlangning[] = {
    TP("forlangning", "Förlängning av tidsbegränsat kontrakt", "web", 0, 0, 0,
       10.2, 820),
    TP("uppsagning", "Uppsägning av kontraktet", "web", 0, 0, 0, 5.5, 1760),
    TP("besiktning_ut", "Avflyttningsbesiktning", "onsite", 1, 0, 1, -10.4,
       1930),
    TP("slutavrakning", "Slutavräkning och deposition", "web", 0, 0, 0, -4.6,
       1710),
};
static const char *const demo_channels[] = {"web", "app", "phone", "office",
                                            "onsite"};

static void demo_stages(struct journey_map_stage s[5])
{
    memset(s, 0, 5 * sizeof *s);
    s[0] = (struct journey_map_stage){
        "soka",
        "Söka bostad",
        est(3.8, 4.9, 10420),
        est(41.3, 1.2, 14000),
        {{"Bostadskö och väntetid", 27.4},
         {"Visningen", 18.0},
         {"Webbplatsen", 9.6}},
        3,
        "Det tog fyra år i kön och visningen var över på fem minuter.",
        soka,
        sizeof soka / sizeof *soka};
    s[1] = (struct journey_map_stage){
        "kontrakt",
        "Kontrakt",
        est(13.1, 3.9, 7010),
        est(2.1, 0.4, 6063),
        {{"BankID och signering", 31.2}, {"Bemötande", 14.9}},
        2,
        "Smidigt att signera med BankID, klart på två minuter!",
        kontrakt,
        sizeof kontrakt / sizeof *kontrakt};
    s[2] = (struct journey_map_stage){
        "inflyttning",
        "Inflyttning",
        est(10.3, 3.3, 8260),
        est(3.9, 0.5, 5936),
        {{"Nycklar", 22.8}, {"Städning vid inflytt", 17.5}, {"Appen", 11.0}},
        3,
        "Lägenheten var inte städad när vi flyttade in och ingen svarade "
        "i telefon på hela dagen.",
        inflyttning,
        sizeof inflyttning / sizeof *inflyttning};
    s[3] = (struct journey_map_stage){
        "boende",
        "Boende",
        est(1.9, 1.1, 136920),
        est(12.4, 0.8, 5704),
        {{"Inloggning och BankID", 21.3},
         {"Reparationer som drar ut på tiden", 19.8},
         {"Kundservice svarar inte", 12.6}},
        3,
        "Felanmälde diskmaskinen för tre veckor sedan och har fortfarande "
        "inte fått någon tid. Ringde två gånger.",
        boende,
        sizeof boende / sizeof *boende};
    s[4] = (struct journey_map_stage){
        "forlangning",
        "Förlängning/Uppsägning",
        est(-2.4, 4.4, 6220),
        unknown(),
        {{"Besiktning och avgifter", 29.0}, {"Depositionen", 16.2}},
        2,
        "Fick betala för slitage som fanns redan när jag flyttade in.",
        forlangning,
        sizeof forlangning / sizeof *forlangning};
}

static void demo_map(struct journey_map *m, struct journey_map_stage s[5],
                     const char *lang)
{
    demo_stages(s);
    *m = (struct journey_map){"Hyresgästens resa",
                              lang,
                              s,
                              5,
                              demo_channels,
                              sizeof demo_channels / sizeof *demo_channels};
}

static const struct journey_process_node demo_nodes[] = {
    {"Visning", 13988},      {"Kontrakt signerat", 6063}, {"Inflyttning", 6063},
    {"Besiktning in", 5826}, {"Felanmälan", 38794},       {"Reparation", 38577},
    {"Kontakt", 103761},     {"Förlängning", 1185},       {"Uppsägning", 2569},
    {"Avflyttning", 2827},   {"Sällsynt steg", 3},
};
#define S JOURNEY_PROCESS_START
#define E JOURNEY_PROCESS_END
static const struct journey_process_edge demo_edges[] = {
    {S, 0, 9800, 0},
    {0, 0, 4100, 6 * 86400.0},
    {0, 1, 6063, 12 * 86400.0},
    {0, E, 3700, 0},
    {1, 2, 6063, 21 * 86400.0},
    {2, 3, 5826, 3 * 86400.0},
    {3, 4, 4310, 41 * 86400.0},
    {4, 5, 31200, 54 * 3600.0},
    {5, 4, 24100, 19 * 86400.0},
    {4, 6, 6400, 2 * 86400.0},
    {6, 4, 5200, 5 * 86400.0},
    {6, 6, 29000, 9 * 86400.0},
    {5, 6, 7900, 3 * 86400.0},
    {6, 7, 420, 60 * 86400.0},
    {5, 8, 1700, 90 * 86400.0},
    {6, 8, 610, 80 * 86400.0},
    {7, 8, 300, 200 * 86400.0},
    {8, 9, 2569, 100 * 86400.0},
    {9, E, 2827, 0},
    {3, 6, 1100, 10 * 86400.0},
    {S, 6, 2100, 0},
    {6, E, 2500, 0},
    {7, E, 700, 0},
    {5, E, 900, 0},
    {2, 10, 3, 3600.0},
    {10, E, 3, 0},
};
#undef S
#undef E
static const size_t v1[] = {0, 1, 2, 3, 4, 5, 4, 5, 6, 8, 9};
static const size_t v2[] = {0};
static const size_t v3[] = {0, 1, 2, 3, 4, 5, 6, 8, 9};
static const size_t v4[] = {6, 6, 4, 5};
static const size_t v5[] = {0, 1, 2, 3, 4, 5, 4, 5, 4, 5, 6, 7, 8, 9};
static const struct journey_process_variant demo_variants[] = {
    {v1, sizeof v1 / sizeof *v1, 2210, 15.8},
    {v2, sizeof v2 / sizeof *v2, 1840, 13.1},
    {v3, sizeof v3 / sizeof *v3, 1320, 9.4},
    {v4, sizeof v4 / sizeof *v4, 960, 6.9},
    {v5, sizeof v5 / sizeof *v5, 410, 2.9},
};

static struct journey_process demo_process(const char *lang)
{
    struct journey_process p = {lang,
                                14000,
                                demo_nodes,
                                sizeof demo_nodes / sizeof *demo_nodes,
                                demo_edges,
                                sizeof demo_edges / sizeof *demo_edges,
                                250,
                                demo_variants,
                                sizeof demo_variants / sizeof *demo_variants};
    return p;
}

/* ---- checks ---- */

static int occurrences(const char *doc, const char *s)
{
    int n = 0;
    for (const char *p = strstr(doc, s); p; p = strstr(p + 1, s))
        n++;
    return n;
}

/* The data-box of every label drawn; *n set. Caller frees. */
static struct journey_map_box *drawn_boxes(const char *doc, size_t *n)
{
    size_t cap = 16;
    struct journey_map_box *v = malloc(cap * sizeof *v);
    *n = 0;
    for (const char *p = strstr(doc, "data-box=\""); p;
         p = strstr(p + 1, "data-box=\"")) {
        if (*n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        struct journey_map_box *b = &v[(*n)++];
        assert_int_equal(
            sscanf(p + 10, "%lf %lf %lf %lf", &b->x, &b->y, &b->w, &b->h), 4);
        b->what = "";
    }
    return v;
}

static double svg_width(const char *doc)
{
    const char *p = strstr(doc, "<svg");
    assert_non_null(p);
    p = strstr(p, " width=\"");
    assert_non_null(p);
    return atof(p + 8);
}

/* No two boxes intersect, and each lies inside 0..width. */
static void assert_no_overlap(const struct journey_map_box *b, size_t n,
                              double width)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].x < 0 || b[i].x + b[i].w > width + 0.05)
            fail_msg("label %zu (%s) at x %.1f..%.1f leaves 0..%.0f", i,
                     b[i].what, b[i].x, b[i].x + b[i].w, width);
        for (size_t j = i + 1; j < n; j++)
            if (b[i].x < b[j].x + b[j].w && b[j].x < b[i].x + b[i].w &&
                b[i].y < b[j].y + b[j].h && b[j].y < b[i].y + b[i].h)
                fail_msg("labels %zu (%s: %.1f,%.1f %.1fx%.1f) and %zu "
                         "(%s: %.1f,%.1f %.1fx%.1f) overlap",
                         i, b[i].what, b[i].x, b[i].y, b[i].w, b[i].h, j,
                         b[j].what, b[j].x, b[j].y, b[j].w, b[j].h);
    }
}

static char *render_map(const struct journey_map *m)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    int rc = journey_map_render_svg(&b, m, &err);
    if (rc != 0)
        fail_msg("render: %s", err.msg);
    return strbuf_detach(&b, NULL);
}

/* The layout's boxes, checked against each other and against what the
 * SVG drew. */
static void check_layout(const struct journey_map *m)
{
    struct journey_map_box *box = NULL;
    size_t n = 0, nd = 0;
    struct err err = ERR_INIT;
    assert_int_equal(journey_map_label_boxes(&box, &n, m, &err), 0);
    char *doc = render_map(m);
    harness_markup(doc, 0, NULL, NULL, NULL);
    struct journey_map_box *drawn = drawn_boxes(doc, &nd);
    assert_int_equal(nd, n);
    assert_int_equal(occurrences(doc, "<text "), (int)n);
    for (size_t i = 0; i < n; i++) {
        assert_close(drawn[i].x, box[i].x, 0, 0.051);
        assert_close(drawn[i].w, box[i].w, 0, 0.051);
    }
    assert_no_overlap(box, n, svg_width(doc));
    free(drawn);
    free(doc);
    free(box);
}

/* ---- tests ---- */

static void test_journey_map_draws_every_stage_touchpoint_and_band(void **st)
{
    (void)st;
    struct journey_map m;
    struct journey_map_stage s[5];
    demo_map(&m, s, "sv");
    char *doc = render_map(&m);
    assert_int_equal(harness_markup(doc, 0, "svg", NULL, NULL), 1);
    assert_non_null(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_int_equal(occurrences(doc, "data-what=\"stage\""), 5);
    assert_int_equal(occurrences(doc, "<g class=\"touchpoint\">"), 24);
    assert_int_equal(occurrences(doc, "data-what=\"touchpoint\""), 24);
    assert_int_equal(occurrences(doc, "class=\"nps-point\""), 5);
    assert_int_equal(occurrences(doc, "data-what=\"channel\""), 5);
    /* the band: a piece between each two stages, a bar at each */
    const char *band = strstr(doc, "<g class=\"ci-band\"");
    assert_non_null(band);
    const char *band_end = strstr(band, "</g>");
    int pieces = 0;
    for (const char *p = strstr(band, "<polygon"); p && p < band_end;
         p = strstr(p + 1, "<polygon"))
        pieces++;
    assert_int_equal(pieces, 4);
    /* four drop-offs (the last stage has none), with their CIs */
    assert_int_equal(occurrences(doc, "data-what=\"drop\""), 8);
    assert_int_equal(occurrences(doc, "class=\"drop\""), 4);
    assert_non_null(strstr(doc, ">41.3%<"));
    /* marks: 6 moments of truth, 3 measured, 7 pain points, and one of
     * each in the legend */
    assert_int_equal(occurrences(doc, "class=\"mot\""), 6 + 1);
    assert_int_equal(occurrences(doc, "class=\"measured\""), 3 + 1);
    assert_int_equal(occurrences(doc, "class=\"pain\""), 7 + 1);
    /* themes and verbatims, quoted */
    assert_int_equal(occurrences(doc, "data-what=\"theme\""), 13);
    assert_int_equal(occurrences(doc, "data-what=\"verbatim\""), 5);
    assert_non_null(strstr(doc, "27% Bostadskö och väntetid"));
    assert_non_null(strstr(doc, "\xe2\x80\x9c"
                                "Smidigt att signera"));
    /* Swedish fixed labels; the NPS by stage in the desc */
    assert_non_null(strstr(doc, ">Steg<"));
    assert_non_null(strstr(doc, ">Tapp<"));
    assert_non_null(strstr(doc, ">Sanningens ögonblick<"));
    assert_non_null(strstr(doc, ">Smärtpunkt<"));
    assert_non_null(strstr(doc, "NPS per steg: Söka bostad +3.8 [-1.1, 8.7], "
                                "n 10420, Tapp 41.3%"));
    free(doc);
    check_layout(&m);

    demo_map(&m, s, "en");
    doc = render_map(&m);
    assert_non_null(strstr(doc, ">Drop-off<"));
    assert_non_null(strstr(doc, ">Moment of truth<"));
    assert_non_null(strstr(doc, ">Pain point<"));
    assert_null(strstr(doc, ">Tapp<"));
    free(doc);
}

/* Names with markup, quotes and ampersands are escaped; very long Swedish
 * names are wrapped and cut with an ellipsis, the whole text kept in a
 * <title>. */
static void test_journey_map_escapes_and_cuts_labels(void **st)
{
    (void)st;
    static const char long_name[] =
        "Överlämning av nycklar på kundcentret i Gränby centrum efter "
        "att hyresgästen har visat legitimation och signerat "
        "utlämningskvittot å sina vägnar";
    struct journey_map_touchpoint tps[] = {
        {"a<b", "Felanmälan <script>alert(1)</script>", "app & web", 1, 1, 1,
         est(-40, 20, 12)},
        {"lång", long_name, "app & web", 0, 0, 0, est(5, 3, 800)},
        {"q", "Säg \"hej\" & 'hå'", "tel \"x\"", 0, 1, 0, unknown()},
        {"tom", NULL, "tel \"x\"", 0, 0, 0, est(100, 0, 1)},
    };
    struct journey_map_stage s[3];
    memset(s, 0, sizeof s);
    s[0] = (struct journey_map_stage){"s1",
                                      "Steg <1> & \"två\"",
                                      est(-20, 10, 40),
                                      est(50, 5, 100),
                                      {{"Tema <&>", 40}, {long_name, NAN}},
                                      2,
                                      "Kunden skrev <b>fet</b> & \"citat\"",
                                      tps,
                                      2};
    s[1] = (struct journey_map_stage){"s2",      long_name,   unknown(),
                                      unknown(), {{NULL, 0}}, 0,
                                      NULL,      tps + 2,     2};
    s[2] = (struct journey_map_stage){"s3",      NULL,        est(60, 40, 7),
                                      unknown(), {{NULL, 0}}, 0,
                                      long_name, NULL,        0};
    struct journey_map m = {"Karta <&> \"x\"", "sv", s, 3, NULL, 0};
    char *doc = render_map(&m);
    harness_markup(doc, 0, NULL, NULL, NULL);
    assert_null(strstr(doc, "<script"));
    assert_null(strstr(doc, "<b>"));
    assert_null(strstr(doc, "<1>"));
    assert_non_null(strstr(doc, "Felanmälan &lt;script&gt;"));
    assert_non_null(strstr(doc, "Steg &lt;1&gt; &amp; &quot;två&quot;"));
    assert_non_null(strstr(doc, "app &amp; web"));
    assert_non_null(strstr(doc, "tel &quot;x&quot;"));
    assert_non_null(strstr(doc, "Säg &quot;hej&quot; &amp; &#39;hå&#39;"));
    assert_non_null(strstr(doc, "Tema &lt;&amp;&gt;"));
    assert_non_null(strstr(doc, "&lt;b&gt;fet&lt;/b&gt;"));
    assert_non_null(strstr(doc, "Karta &lt;&amp;&gt; &quot;x&quot;"));
    /* the channels, in the order they first appear */
    const char *c1 = strstr(doc, ">app &amp; web<");
    const char *c2 = strstr(doc, ">tel &quot;x&quot;<");
    assert_true(c1 && c2 && c1 < c2);
    /* cut with an ellipsis; the whole name in a title */
    assert_non_null(strstr(doc, "\xe2\x80\xa6"));
    assert_non_null(strstr(doc, "<title>Överlämning av nycklar"));
    assert_non_null(strstr(doc, "å sina vägnar</title>"));
    /* a touchpoint without a name shows its key; n under 30 is starred */
    assert_non_null(strstr(doc, ">tom<"));
    assert_non_null(strstr(doc, ">n 12*<"));
    free(doc);
    check_layout(&m);
}

/* Column widths follow the number of stages: one stage, twelve with long
 * names, the demo; no two labels overlap in any. */
static void test_journey_map_labels_never_overlap(void **st)
{
    (void)st;
    struct journey_map m;
    struct journey_map_stage s[5];
    demo_map(&m, s, "en");
    check_layout(&m);
    m.n_stages = 1;
    check_layout(&m);

    struct journey_map_stage many[12];
    struct journey_map_touchpoint tp[12][3];
    char names[12][3][96];
    for (int i = 0; i < 12; i++) {
        for (int k = 0; k < 3; k++) {
            snprintf(names[i][k], sizeof names[i][k],
                     "Kontaktpunkt %d.%d med ett långt namn, åäö ÅÄÖ "
                     "WWWWWWWWWW",
                     i, k);
            tp[i][k] = (struct journey_map_touchpoint){
                names[i][k],
                names[i][k],
                k == 1 ? "app" : "web",
                k == 0,
                k == 1,
                1,
                est(-99 + 18 * i, 1, 1000000 + i)};
        }
        many[i] = (struct journey_map_stage){
            names[i][0],
            names[i][1],
            est(i % 2 ? 100 : -100, 0.5, 99999999),
            est(99.9, 0.1, 5),
            {{names[i][2], 100}, {names[i][2], 1}, {names[i][2], 55}},
            3,
            names[i][0],
            tp[i],
            3};
    }
    struct journey_map wide = {"Många steg", "en", many, 12, NULL, 0};
    check_layout(&wide);
    char *doc = render_map(&wide);
    /* columns never narrower than the minimum: the map grows instead */
    assert_true(svg_width(doc) >= 12 * 150);
    free(doc);
}

static void expect_error(const struct journey_map *m, const char *msg)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    strbuf_puts(&b, "kept");
    assert_int_equal(journey_map_render_svg(&b, m, &err), ERR_INVALID);
    assert_string_equal(strbuf_str(&b), "kept");
    if (!strstr(err.msg, msg))
        fail_msg("\"%s\" does not say \"%s\"", err.msg, msg);
    struct journey_map_box *box = (void *)1;
    size_t n = 7;
    err_clear(&err);
    assert_int_equal(journey_map_label_boxes(&box, &n, m, &err), ERR_INVALID);
    assert_null(box);
    assert_int_equal(n, 0);
    strbuf_dispose(&b);
}

static void test_journey_map_bad_input_is_an_error(void **st)
{
    (void)st;
    struct journey_map m;
    struct journey_map_stage s[5];
    demo_map(&m, s, "sv");
    m.n_stages = 0;
    expect_error(&m, "no stages");
    m.n_stages = JOURNEY_MAP_MAX_STAGES + 1;
    expect_error(&m, "at most");
    demo_map(&m, s, "de");
    expect_error(&m, "language must be sv or en, got \"de\"");
    demo_map(&m, s, "sv");
    m.n_channels = 4; /* onsite is not a row */
    expect_error(&m, "channel \"onsite\" is not one of the map's channels");
    demo_map(&m, s, "sv");
    s[2].key = "";
    expect_error(&m, "stage 3 has no key");
    demo_map(&m, s, "sv");
    s[1].n_themes = 4;
    expect_error(&m, "at most 3");
    struct journey_map_touchpoint tp = {NULL, "x", "web", 0, 0, 0, unknown()};
    demo_map(&m, s, "sv");
    s[0].touchpoints = &tp;
    s[0].n_touchpoints = 1;
    expect_error(&m, "has no key");

    /* a buffer whose maximum is reached is left as it was */
    demo_map(&m, s, "sv");
    struct strbuf small;
    struct err err = ERR_INIT;
    strbuf_init(&small, 200);
    assert_int_equal(journey_map_render_svg(&small, &m, &err), ERR_INVALID);
    assert_int_equal(small.n, 0);
    assert_non_null(strstr(err.msg, "too large"));
    strbuf_dispose(&small);
}

static char *render_process(const struct journey_process *p, int variants)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    int rc = variants ? journey_process_svg_render_variants(&b, p, &err)
                      : journey_process_svg_render(&b, p, &err);
    if (rc != 0)
        fail_msg("render: %s", err.msg);
    return strbuf_detach(&b, NULL);
}

/* The largest x of any point of an edge's path (d="M x,y L x,y ..."). */
static double max_path_x(const char *doc)
{
    double mx = 0;
    for (const char *p = strstr(doc, " d=\""); p; p = strstr(p + 1, " d=\"")) {
        const char *e = strchr(p + 4, '"');
        for (const char *q = p + 4; q && q < e; q++) {
            if (!(*q >= '0' && *q <= '9') || (q[-1] >= '0' && q[-1] <= '9') ||
                q[-1] == '.' || q[-1] == ',' || q[-1] == '-')
                continue;
            double x = strtod(q, NULL); /* the x of a pair "x,y" */
            mx = x > mx ? x : mx;
            q = strchr(q, ',');
            if (!q || q > e)
                break;
            q++; /* skip the y */
            while (q < e &&
                   ((*q >= '0' && *q <= '9') || *q == '.' || *q == '-'))
                q++;
        }
    }
    return mx;
}

static void test_journey_process_map_keeps_frequent_edges(void **st)
{
    (void)st;
    struct journey_process p = demo_process("sv");
    char *doc = render_process(&p, 0);
    assert_int_equal(harness_markup(doc, 0, "svg", NULL, NULL), 1);
    /* edges at or over the threshold, self-edges (two) as a count in the
     * node instead; the rare step and its two edges are left out */
    size_t kept = 0;
    for (size_t i = 0; i < p.n_edges; i++)
        kept += demo_edges[i].count >= p.min_count &&
                demo_edges[i].from != demo_edges[i].to;
    assert_int_equal(occurrences(doc, "<path class=\"edge"), (int)kept);
    assert_int_equal(occurrences(doc, "class=\"node\""), 10 + 2);
    assert_null(strstr(doc, "Sällsynt steg"));
    assert_non_null(strstr(doc, "Steg som inte visas: 1."));
    assert_non_null(strstr(doc, ">Start<"));
    assert_non_null(strstr(doc, ">Slut<"));
    assert_non_null(strstr(doc, ">103761 \xe2\x86\xbb 29000<"));
    /* the cycles Felanmälan - Reparation - Felanmälan and Kontakt -
     * Felanmälan are broken: some edges go back, under the map */
    assert_true(occurrences(doc, "class=\"edge back\"") >= 1);
    /* thickness by count: the most frequent is the thickest */
    assert_non_null(strstr(doc, "stroke-width=\"7.2\""));
    assert_non_null(strstr(doc, "Felanmälan \xe2\x86\x92 Reparation: 31200, "
                                "median 2.2 d"));
    /* same input, same picture */
    char *again = render_process(&p, 0);
    assert_string_equal(doc, again);
    free(again);
    /* no two labels overlap, all inside the picture */
    size_t n;
    struct journey_map_box *b = drawn_boxes(doc, &n);
    assert_true(n > 20);
    assert_no_overlap(b, n, svg_width(doc));
    free(b);
    /* every edge inside the picture too, those leaving the last column
     * down to a lane included */
    assert_true(max_path_x(doc) <= svg_width(doc));
    free(doc);

    /* a chain longer than a row: the last column's edge goes down to a
     * lane to the next row, and stays inside the picture */
    static const struct journey_process_node chain_nodes[8] = {
        {"A", 100}, {"B", 100}, {"C", 100}, {"D", 100},
        {"E", 100}, {"F", 100}, {"G", 100}, {"H", 100}};
    struct journey_process_edge chain[9];
    for (size_t i = 0; i < 9; i++)
        chain[i] = (struct journey_process_edge){
            i ? i - 1 : JOURNEY_PROCESS_START, i < 8 ? i : JOURNEY_PROCESS_END,
            100, 3600};
    struct journey_process pc = {"en", 100, chain_nodes, 8, chain,
                                 9,    1,   NULL,        0};
    char *cdoc = render_process(&pc, 0);
    assert_true(max_path_x(cdoc) <= svg_width(cdoc));
    free(cdoc);

    /* layers follow the longest path: Start left of Visning left of
     * Kontrakt signerat, End right of everything */
    p.min_count = 0;
    doc = render_process(&p, 0);
    harness_markup(doc, 0, NULL, NULL, NULL);
    assert_non_null(strstr(doc, "Sällsynt steg"));
    b = drawn_boxes(doc, &n);
    assert_no_overlap(b, n, svg_width(doc));
    free(b);
    assert_true(max_path_x(doc) <= svg_width(doc));
    free(doc);
}

static void test_journey_process_variants_as_bands(void **st)
{
    (void)st;
    struct journey_process p = demo_process("en");
    char *doc = render_process(&p, 1);
    assert_int_equal(harness_markup(doc, 0, "svg", NULL, NULL), 1);
    assert_int_equal(occurrences(doc, "<g class=\"variant\">"), 5);
    assert_int_equal(occurrences(doc, "class=\"bar\""), 5);
    assert_non_null(strstr(doc, ">#1 15.8%<"));
    /* 14 steps do not fit in a row: 8 and a box for the other 6 */
    assert_non_null(strstr(doc, ">+6 more steps<"));
    /* pale boxes: the steps shared with the variant above at the start
     * (Visning, by the second and the third) */
    assert_int_equal(occurrences(doc, "fill=\"#EEF2F6\""), 2);
    size_t n;
    struct journey_map_box *b = drawn_boxes(doc, &n);
    assert_no_overlap(b, n, svg_width(doc));
    free(b);
    free(doc);

    p.n_variants = 0;
    doc = render_process(&p, 1);
    harness_markup(doc, 0, NULL, NULL, NULL);
    assert_non_null(strstr(doc, ">no variants<"));
    free(doc);
}

/* A dense graph (every step to every other, cycles everywhere): at most
 * JOURNEY_PROCESS_MAX_EDGES drawn, the rest counted in the note, and the
 * labels still apart. */
static void test_journey_process_dense_graph_is_bounded(void **st)
{
    (void)st;
    enum { N = 40 };
    struct journey_process_node nodes[N];
    struct journey_process_edge *edges = calloc(N * N + 2, sizeof *edges);
    char names[N][24];
    size_t ne = 0;
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "Steg nummer %zu", i);
        nodes[i] = (struct journey_process_node){names[i], 1000 + i};
        for (size_t j = 0; j < N; j++)
            edges[ne++] = (struct journey_process_edge){
                i, j, 1 + (i * 7 + j * 13) % 97, (double)(i * 3600 + j)};
    }
    edges[ne++] =
        (struct journey_process_edge){JOURNEY_PROCESS_START, 0, 50, NAN};
    edges[ne++] =
        (struct journey_process_edge){N - 1, JOURNEY_PROCESS_END, 50, INFINITY};
    struct journey_process p = {"en", 5000, nodes, N, edges, ne, 0, NULL, 0};
    char *doc = render_process(&p, 0);
    harness_markup(doc, 0, NULL, NULL, NULL);
    assert_int_equal(occurrences(doc, "<path class=\"edge"),
                     JOURNEY_PROCESS_MAX_EDGES);
    char note[96];
    snprintf(note, sizeof note, "are not drawn (%zu of %zu)",
             ne - N - JOURNEY_PROCESS_MAX_EDGES, ne);
    assert_non_null(strstr(doc, note));
    size_t n;
    struct journey_map_box *b = drawn_boxes(doc, &n);
    assert_no_overlap(b, n, svg_width(doc));
    free(b);
    free(doc);
    free(edges);
}

/* Figures that are not finite and a stage without touchpoints draw, and
 * the document stays well-formed. */
static void test_journey_map_odd_figures_draw(void **st)
{
    (void)st;
    struct journey_map_touchpoint tp = {
        "x", "X", "web", 0, 0, 0, {3, INFINITY, NAN, -INFINITY, NAN}};
    struct journey_map_stage s[2];
    memset(s, 0, sizeof s);
    s[0] = (struct journey_map_stage){"a",
                                      "A",
                                      {5, 250, NAN, -300, 400},
                                      {1, INFINITY, NAN, NAN, NAN},
                                      {{"t", INFINITY}},
                                      1,
                                      "",
                                      &tp,
                                      1};
    s[1] = (struct journey_map_stage){
        "b", "", unknown(), unknown(), {{NULL, 0}}, 0, NULL, NULL, 0};
    struct journey_map m = {NULL, NULL, s, 2, NULL, 0};
    char *doc = render_map(&m);
    harness_markup(doc, 0, NULL, NULL, NULL);
    assert_null(strstr(doc, "nan"));
    assert_non_null(strstr(doc, ">Journey map<"));
    assert_non_null(strstr(doc, ">no answers<"));
    free(doc);
    check_layout(&m);
}

static void test_journey_process_bad_input_is_an_error(void **st)
{
    (void)st;
    struct journey_process p = demo_process("en");
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct journey_process_edge bad = {0, 99, 5, 1};
    p.edges = &bad;
    p.n_edges = 1;
    assert_int_equal(journey_process_svg_render(&b, &p, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "does not exist"));
    bad = (struct journey_process_edge){JOURNEY_PROCESS_END, 1, 5, 1};
    err_clear(&err);
    assert_int_equal(journey_process_svg_render(&b, &p, &err), ERR_INVALID);
    p = demo_process("en");
    p.n_nodes = 0;
    err_clear(&err);
    assert_int_equal(journey_process_svg_render(&b, &p, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "no steps"));
    p = demo_process("en");
    size_t steps[] = {1, 42};
    struct journey_process_variant v = {steps, 2, 1, 1};
    p.variants = &v;
    p.n_variants = 1;
    err_clear(&err);
    assert_int_equal(journey_process_svg_render_variants(&b, &p, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "variant 1"));
    assert_int_equal(b.n, 0);
    strbuf_dispose(&b);
}

/* The page: HTML5 in UTF-8 with lang, the three SVGs inline, no script,
 * no URL of any kind, ids unique. */
static void test_journey_map_html_opens_without_network(void **st)
{
    (void)st;
    struct journey_map m;
    struct journey_map_stage s[5];
    demo_map(&m, s, "sv");
    struct journey_process p = demo_process("sv");
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(journey_map_render_html(&b, &m, &p, &err), 0);
    const char *doc = strbuf_str(&b);
    assert_true(!strncmp(doc, "<!DOCTYPE html>\n<html lang=\"sv\">", 32));
    assert_non_null(strstr(doc, "<meta charset=\"utf-8\">"));
    assert_int_equal(harness_markup(doc, 1, "svg", NULL, NULL), 3);
    assert_int_equal(occurrences(doc, "<h2>"), 3);
    assert_non_null(strstr(doc, "<h2>Kundresekarta</h2>"));
    assert_non_null(strstr(doc, "<h2>Processkarta</h2>"));
    assert_non_null(strstr(doc, "<p class=\"legend\">"));
    assert_null(strstr(doc, "http"));
    assert_null(strstr(doc, "//"));
    assert_null(strstr(doc, "<script"));
    assert_null(strstr(doc, "src="));
    assert_null(strstr(doc, "href="));
    assert_null(strstr(doc, "@import"));
    assert_null(strstr(doc, "<?xml"));
    /* url( only for the arrow marker, inside the page */
    assert_int_equal(occurrences(doc, "url("), occurrences(doc, "url(#"));
    assert_int_equal(occurrences(doc, "id=\"jm-t\""), 1);
    assert_int_equal(occurrences(doc, "id=\"jp-t\""), 1);
    assert_int_equal(occurrences(doc, "id=\"jv-t\""), 1);

    const char *path = getenv("JOURNEY_MAP_HTML");
    if (path && *path) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(doc, 1, b.n, f), b.n);
        assert_int_equal(fclose(f), 0);
    }
    strbuf_dispose(&b);

    /* without process data, only the map; English */
    demo_map(&m, s, "en");
    assert_int_equal(journey_map_render_html(&b, &m, NULL, &err), 0);
    assert_true(
        !strncmp(strbuf_str(&b), "<!DOCTYPE html>\n<html lang=\"en\">", 32));
    assert_int_equal(harness_markup(strbuf_str(&b), 1, "svg", NULL, NULL), 1);
    strbuf_dispose(&b);

    /* no stages (a log without a journey definition): the process map
     * and the variants alone */
    m.n_stages = 0;
    assert_int_equal(journey_map_render_html(&b, &m, &p, &err), 0);
    assert_int_equal(harness_markup(strbuf_str(&b), 1, "svg", NULL, NULL), 2);
    assert_null(strstr(strbuf_str(&b), "class=\"journey-map\""));
    strbuf_dispose(&b);

    /* errors pass through; nothing is written */
    strbuf_init(&b, 0);
    assert_int_equal(journey_map_render_html(&b, &m, NULL, &err), ERR_INVALID);
    assert_int_equal(b.n, 0);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_journey_map_draws_every_stage_touchpoint_and_band),
        cmocka_unit_test(test_journey_map_escapes_and_cuts_labels),
        cmocka_unit_test(test_journey_map_labels_never_overlap),
        cmocka_unit_test(test_journey_map_bad_input_is_an_error),
        cmocka_unit_test(test_journey_process_map_keeps_frequent_edges),
        cmocka_unit_test(test_journey_process_variants_as_bands),
        cmocka_unit_test(test_journey_process_dense_graph_is_bounded),
        cmocka_unit_test(test_journey_map_odd_figures_draw),
        cmocka_unit_test(test_journey_process_bad_input_is_an_error),
        cmocka_unit_test(test_journey_map_html_opens_without_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
