/* Tests for src/survey/survey_qr.c: the QR code SVG draws exactly the
 * modules libqrencode gives, and the embed snippet escapes its inputs. */
#include "harness.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "survey/survey.h"

/* Redraws the path "M x yhNv1h-Nz..." into a size x size bitmap. */
static void draw(const char *d, unsigned char *bits, int size)
{
    const char *p = d;
    while (*p && *p != '"') {
        int x, y, run, back, used = 0;
        if (sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used) != 4 ||
            !used)
            fail_msg("unexpected path data at \"%.20s\"", p);
        assert_int_equal(run, back);
        assert_true(run > 0);
        assert_true(x >= 0 && y >= 0 && x + run <= size && y < size);
        for (int i = 0; i < run; i++) {
            assert_int_equal(bits[y * size + x + i], 0);
            bits[y * size + x + i] = 1;
        }
        p += used;
    }
}

static void check_qr(const char *url)
{
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(survey_qr_svg(&b, url, &err), 0);
    const char *svg = strbuf_str(&b);
    assert_int_equal(harness_markup(svg, 0, "path", NULL, NULL), 1);
    assert_int_equal(harness_markup(svg, 0, "title", NULL, NULL), 1);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-label=\"QR code: "));

    QRcode *qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
    assert_non_null(qr);
    int w = qr->width, size = w + 8;
    char want[64];
    snprintf(want, sizeof want, "viewBox=\"0 0 %d %d\"", size, size);
    if (!strstr(svg, want))
        fail_msg("no %s in %.200s", want, svg);

    unsigned char *bits = calloc((size_t)size * size, 1);
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    draw(d + 4, bits, size);
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            int in = x >= 4 && y >= 4 && x < w + 4 && y < w + 4;
            int dark = in && (qr->data[(y - 4) * w + (x - 4)] & 1);
            if (bits[y * size + x] != dark)
                fail_msg("module %d,%d is %d, want %d", x, y,
                         bits[y * size + x], dark);
        }
    free(bits);
    QRcode_free(qr);
    strbuf_dispose(&b);
}

static void test_survey_qr_matches_libqrencode(void **state)
{
    (void)state;
    check_qr("https://cx.example.se/s/repair?tp=kista");
    check_qr("https://cx.example.se/s/repair?tp=fault_report&ch=onsite"
             "&ref=eyJ0cCI6ImZhdWx0X3JlcG9ydCJ9.c2lnbmF0dXJlLWhlcmU");
    check_qr("x");
}

static void test_survey_qr_escapes_the_label(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(survey_qr_svg(&b, "https://e.se/?a=1&b=<\"x\">", &err), 0);
    harness_markup(b.p, 0, NULL, NULL, NULL);
    assert_non_null(strstr(
        b.p, "aria-label=\"QR code: https://e.se/?a=1&amp;b=&lt;&quot;x&quot;"
             "&gt;\""));
    assert_null(strstr(b.p, "<\"x\">"));
    strbuf_dispose(&b);
}

static void test_survey_qr_refuses_empty_and_huge(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(survey_qr_svg(&b, "", &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(survey_qr_svg(&b, NULL, &err), ERR_INVALID);
    err_clear(&err);
    char *big = malloc(3001);
    memset(big, 'a', 3000);
    big[3000] = 0;
    assert_int_equal(survey_qr_svg(&b, big, &err), ERR_INVALID);
    free(big);
    assert_int_equal(b.n, 0);
    /* a buffer too small for the SVG is left as it was */
    struct strbuf small;
    strbuf_init(&small, 200);
    strbuf_puts(&small, "before");
    err_clear(&err);
    assert_int_equal(survey_qr_svg(&small, "https://e.se/s/x", &err),
                     ERR_INVALID);
    assert_string_equal(strbuf_str(&small), "before");
    strbuf_dispose(&small);
    strbuf_dispose(&b);
}

static void test_survey_embed_snippet(void **state)
{
    (void)state;
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    assert_int_equal(survey_embed_snippet(&b, "https://e.se/s/r?a=1&b=2",
                                          "Tyck <till> \"oss\" & 'dem'", &err),
                     0);
    /* one root to check: wrap the two parts */
    struct strbuf w = STRBUF_INIT;
    strbuf_printf(&w, "<div>%s</div>", b.p);
    harness_markup(w.p, 1, NULL, NULL, NULL);
    assert_non_null(strstr(b.p, "<iframe src=\"https://e.se/s/r?a=1&amp;b=2\" "
                                "title=\"Tyck &lt;till&gt; &quot;oss&quot; "
                                "&amp; &#39;dem&#39;\""));
    assert_non_null(strstr(b.p, "<a href=\"https://e.se/s/r?a=1&amp;b=2\">"
                                "Tyck &lt;till&gt;"));
    assert_non_null(strstr(b.p, "width=\"360\""));
    assert_null(strstr(b.p, "<till>"));
    strbuf_reset(&b);
    assert_int_equal(survey_embed_snippet(&b, "/s/repair", "R", &err), 0);
    assert_int_equal(survey_embed_snippet(&b, "javascript:alert(1)", "x", &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(survey_embed_snippet(&b, "//evil.example/", "x", &err),
                     ERR_INVALID);
    strbuf_dispose(&w);
    strbuf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_qr_matches_libqrencode),
        cmocka_unit_test(test_survey_qr_escapes_the_label),
        cmocka_unit_test(test_survey_qr_refuses_empty_and_huge),
        cmocka_unit_test(test_survey_embed_snippet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
