/* tests for src/text/textmodel.c and textmodel_train.c. Data are generated
 * here with a planted signal; nothing comes from ../shared/data. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "text/textmodel.h"
#include "text/tokenize.h"

static const char *const pos_words[] = {"smidigt", "trevlig", "snabbt",
                                        "hjälpsam", "utmärkt"};
static const char *const neg_words[] = {"krångligt", "otrevlig", "långsamt",
                                        "trasig", "dyrt"};
#define N_PLANTED 5

/* A neutral filler word made of syllables: "bakomi", "tolure", ... */
static void filler(struct strbuf *b, struct gen *g)
{
    static const char *const syl[] = {"ba", "ko", "mi", "tu", "le", "sa",
                                      "ni", "ro", "pe", "fa", "du", "vi"};
    int n = gen_range(g, 2, 3);
    for (int i = 0; i < n; i++)
        strbuf_puts(b, syl[gen_range(g, 0, 11)]);
}

/* Comments of 6..14 words; a word is a planted one with probability 0.3,
 * of the comment's own class 80% of the time (20% noise). *oracle (if
 * not NULL) gets the accuracy of the Bayes rule, which knows the planted
 * words: more positive than negative ones is positive (ties count half). */
static struct textmodel_set *planted_set_oracle(uint64_t seed, int rows,
                                                double *oracle)
{
    double right = 0;
    struct textmodel_set *s = textmodel_set_new();
    struct gen g;
    struct strbuf b = STRBUF_INIT;
    gen_seed(&g, seed);
    for (int r = 0; r < rows; r++) {
        int y = gen_unit(&g) < 0.5;
        int n = gen_range(&g, 6, 14), votes = 0;
        strbuf_reset(&b);
        for (int i = 0; i < n; i++) {
            if (i)
                strbuf_putc(&b, ' ');
            if (gen_unit(&g) < 0.3) {
                int own = gen_unit(&g) < 0.8;
                const char *const *list = (y == own) ? pos_words : neg_words;
                strbuf_puts(&b, list[gen_range(&g, 0, N_PLANTED - 1)]);
                votes += (y == own) ? 1 : -1;
            } else {
                filler(&b, &g);
            }
        }
        strbuf_putc(&b, '.');
        right += votes == 0 ? 0.5 : (votes > 0) == y;
        struct err err = ERR_INIT;
        assert_int_equal(textmodel_set_add(s, y ? TEXTMODEL_POS : TEXTMODEL_NEG,
                                           LANG_SV, b.p, b.n, &err),
                         0);
    }
    strbuf_dispose(&b);
    if (oracle)
        *oracle = right / rows;
    return s;
}

static struct textmodel_set *planted_set(uint64_t seed, int rows)
{
    return planted_set_oracle(seed, rows, NULL);
}

static double prob_of(const struct textmodel *m, const char *text)
{
    double p;
    struct err err = ERR_INIT;
    assert_int_equal(
        textmodel_prob_text(&p, m, text, strlen(text), LANG_SV, &err), 0);
    return p;
}

static void test_textmodel_planted_words_are_learnt(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *train = planted_set(1, 1500);
    double oracle;
    struct textmodel_set *test = planted_set_oracle(2, 1000, &oracle);
    struct textmodel *m = NULL;
    struct err err = ERR_INIT;
    double acc;
    long n;

    assert_int_equal(textmodel_train(&m, train, &o, &err), 0);
    assert_int_equal(textmodel_evaluate(&acc, &n, m, test, &err), 0);
    assert_int_equal(n, 1000);
    /* The model must come within 3 points of the rule that knows which
     * words were planted (about 0.85 here: noise and comments without a
     * planted word cap it). */
    print_message("# held-out accuracy %.3f, oracle %.3f\n", acc, oracle);
    assert_true(oracle > 0.8);
    assert_true(acc > oracle - 0.03);
    for (int i = 0; i < N_PLANTED; i++) {
        double wp = textmodel_word_weight(m, pos_words[i], strlen(pos_words[i]),
                                          LANG_SV);
        double wn = textmodel_word_weight(m, neg_words[i], strlen(neg_words[i]),
                                          LANG_SV);
        assert_true(wp > 0);
        assert_true(wn < 0);
    }
    assert_true(prob_of(m, "Snabbt och smidigt, utmärkt!") > 0.8);
    assert_true(prob_of(m, "Krångligt, dyrt och långsamt.") < 0.2);
    assert_int_equal(textmodel_langs(m), 1u << LANG_SV);
    textmodel_free(m);
    textmodel_set_free(train);
    textmodel_set_free(test);
}

static void test_textmodel_cross_validation_recovers_signal(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    double oracle;
    struct textmodel_set *s = planted_set_oracle(3, 600, &oracle);
    struct textmodel_cv cv, cv2;
    struct err err = ERR_INIT;
    size_t rows = textmodel_set_size(s);
    double *oof = malloc(rows * sizeof *oof);

    assert_int_equal(textmodel_cross_validate(&cv, oof, s, &o, 5, &err), 0);
    assert_int_equal(cv.k, 5);
    assert_int_equal(cv.n, 600);
    assert_true(cv.accuracy > oracle - 0.04);
    long ok = 0;
    for (size_t i = 0; i < rows; i++) {
        enum textmodel_label label;
        enum lang l;
        const char *text;
        size_t len;
        textmodel_set_row(s, i, &label, &l, &text, &len);
        assert_true(oof[i] >= 0 && oof[i] <= 1);
        ok += (oof[i] >= 0.5) == (label == TEXTMODEL_POS);
    }
    assert_close((double)ok / (double)rows, cv.accuracy, 0, 1e-12);
    /* Same seed, same folds, same figure. */
    assert_int_equal(textmodel_cross_validate(&cv2, NULL, s, &o, 5, &err), 0);
    assert_true(cv.accuracy == cv2.accuracy);
    for (int f = 0; f < 5; f++)
        assert_true(cv.fold_accuracy[f] == cv2.fold_accuracy[f]);

    assert_int_equal(textmodel_cross_validate(&cv, NULL, s, &o, 1, &err),
                     ERR_INVALID);
    err_clear(&err);
    assert_int_equal(textmodel_cross_validate(&cv, NULL, s, &o, 21, &err),
                     ERR_INVALID);
    free(oof);
    textmodel_set_free(s);
}

static void test_textmodel_training_is_deterministic(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *s = planted_set(4, 400);
    struct textmodel *a = NULL, *b = NULL;
    struct err err = ERR_INIT;
    char *ba, *bb;
    size_t na, nb;

    assert_int_equal(textmodel_train(&a, s, &o, &err), 0);
    o.seed = 99; /* folds only: the fit itself does not depend on it */
    assert_int_equal(textmodel_train(&b, s, &o, &err), 0);
    textmodel_save_buf(a, &ba, &na);
    textmodel_save_buf(b, &bb, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(ba, bb, na);
    assert_true(textmodel_weight_count(a) > 0);
    free(ba);
    free(bb);
    textmodel_free(a);
    textmodel_free(b);
    textmodel_set_free(s);
}

static void test_textmodel_save_load_gives_identical_probs(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *s = planted_set(5, 300);
    struct textmodel *m = NULL, *back = NULL;
    struct err err = ERR_INIT;
    char *dir = harness_tmpdir();
    char path[600];
    char *b1, *b2;
    size_t n1, n2;
    static const char *const texts[] = {
        "Snabbt och smidigt",     "dyrt och trasig", "bakomi tolure", "",
        "inte trevlig alls :( 😡", "Utmärkt!!! 😀"};

    snprintf(path, sizeof path, "%s/m.model", dir);
    assert_int_equal(textmodel_train(&m, s, &o, &err), 0);
    assert_int_equal(textmodel_save(m, path, &err), 0);
    assert_int_equal(textmodel_load(&back, path, &err), 0);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_true(prob_of(m, texts[i]) == prob_of(back, texts[i]));
    textmodel_save_buf(m, &b1, &n1);
    textmodel_save_buf(back, &b2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    assert_int_equal(textmodel_hash_bits(back), o.hash_bits);
    assert_int_equal(textmodel_weight_count(back), textmodel_weight_count(m));
    free(b1);
    free(b2);
    textmodel_free(m);
    textmodel_free(back);
    textmodel_set_free(s);
    harness_tmpdir_free(dir);
}

static void test_textmodel_rejects_damaged_files(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *s = planted_set(6, 200);
    struct textmodel *m = NULL, *back = NULL;
    struct err err = ERR_INIT;
    char *buf;
    size_t n;

    o.hash_bits = 16;
    assert_int_equal(textmodel_train(&m, s, &o, &err), 0);
    textmodel_save_buf(m, &buf, &n);
    assert_int_equal(textmodel_load_buf(&back, buf, n, &err), 0);
    textmodel_free(back);

    /* Every truncation. */
    for (size_t len = 0; len < n; len += (len < 64 ? 1 : 97)) {
        err_clear(&err);
        assert_int_equal(textmodel_load_buf(&back, buf, len, &err),
                         ERR_INVALID);
        assert_null(back);
        assert_true(err.msg[0] != 0);
    }
    /* One flipped bit anywhere. */
    for (size_t i = 0; i < n; i += (i < 64 ? 1 : 37)) {
        for (int bit = 0; bit < 8; bit += 3) {
            buf[i] ^= (char)(1 << bit);
            err_clear(&err);
            assert_int_equal(textmodel_load_buf(&back, buf, n, &err),
                             ERR_INVALID);
            buf[i] ^= (char)(1 << bit);
        }
    }
    /* Trailing garbage. */
    char *longer = malloc(n + 1);
    memcpy(longer, buf, n);
    longer[n] = 0;
    err_clear(&err);
    assert_int_equal(textmodel_load_buf(&back, longer, n + 1, &err),
                     ERR_INVALID);
    free(longer);

    /* Files: garbage is ERR_INVALID naming the file, a missing one ERR_IO. */
    char *dir = harness_tmpdir();
    char *p = harness_write_file(dir, "junk.model", "label\ttext\n", 11);
    err_clear(&err);
    assert_int_equal(textmodel_load(&back, p, &err), ERR_INVALID);
    assert_non_null(strstr(err.where, "junk.model"));
    free(p);
    p = harness_write_file(dir, "trunc.model", buf, n / 2);
    err_clear(&err);
    assert_int_equal(textmodel_load(&back, p, &err), ERR_INVALID);
    free(p);
    err_clear(&err);
    assert_int_equal(textmodel_load(&back, "/nonexistent/m.model", &err),
                     ERR_IO);

    free(buf);
    textmodel_free(m);
    textmodel_set_free(s);
    harness_tmpdir_free(dir);
}

static void test_textmodel_negation_flips_a_word(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *s = textmodel_set_new();
    struct textmodel *m = NULL;
    struct err err = ERR_INIT;
    struct gen g;
    struct strbuf b = STRBUF_INIT;

    /* "bra" alone is positive; "inte bra" negative. */
    gen_seed(&g, 7);
    for (int r = 0; r < 400; r++) {
        int y = r % 2;
        strbuf_reset(&b);
        filler(&b, &g);
        strbuf_puts(&b, y ? " var bra " : " var inte bra ");
        filler(&b, &g);
        assert_int_equal(textmodel_set_add(s, y ? TEXTMODEL_POS : TEXTMODEL_NEG,
                                           LANG_SV, b.p, b.n, &err),
                         0);
    }
    assert_int_equal(textmodel_train(&m, s, &o, &err), 0);
    assert_true(prob_of(m, "det var bra") > 0.7);
    assert_true(prob_of(m, "det var inte bra") < 0.3);
    strbuf_dispose(&b);
    textmodel_free(m);
    textmodel_set_free(s);
}

static void test_textmodel_train_needs_both_classes(void **state)
{
    (void)state;
    struct textmodel_opts o = TEXTMODEL_OPTS_INIT;
    struct textmodel_set *s = textmodel_set_new();
    struct textmodel *m = NULL;
    struct err err = ERR_INIT;

    assert_int_equal(textmodel_train(&m, s, &o, &err), ERR_INVALID);
    err_clear(&err);
    assert_int_equal(
        textmodel_set_add(s, TEXTMODEL_POS, LANG_SV, "bra", 3, &err), 0);
    assert_int_equal(
        textmodel_set_add(s, TEXTMODEL_NEU, LANG_SV, "ok", 2, &err), 0);
    assert_int_equal(textmodel_train(&m, s, &o, &err), ERR_INVALID);
    assert_null(m);
    /* Bad options are refused before any work. */
    assert_int_equal(
        textmodel_set_add(s, TEXTMODEL_NEG, LANG_SV, "dålig", 6, &err), 0);
    err_clear(&err);
    o.hash_bits = 30;
    assert_int_equal(textmodel_train(&m, s, &o, &err), ERR_INVALID);
    o = (struct textmodel_opts)TEXTMODEL_OPTS_INIT;
    o.l2 = 0;
    err_clear(&err);
    assert_int_equal(textmodel_train(&m, s, &o, &err), ERR_INVALID);
    /* Invalid UTF-8 is not added. */
    err_clear(&err);
    assert_int_equal(
        textmodel_set_add(s, TEXTMODEL_POS, LANG_SV, "a\xff", 2, &err),
        ERR_INVALID);
    assert_int_equal(textmodel_set_size(s), 3);
    textmodel_set_free(s);
}

static void test_textmodel_tsv_reader(void **state)
{
    (void)state;
    struct textmodel_set *s = textmodel_set_new();
    struct err err = ERR_INIT;
    static const char ok[] = "\xEF\xBB\xBFlabel\ttext\r\n"
                             "pos\tJättebra service\r\n"
                             "\r\n"
                             "NEG\tDålig\tmed tabb\n"
                             "neu\tHelt okej\n"
                             "negative\tsist utan radslut";
    enum textmodel_label label;
    enum lang l;
    const char *text;
    size_t n;

    assert_int_equal(
        textmodel_set_read_tsv(s, ok, sizeof ok - 1, LANG_SV, "ok.tsv", &err),
        0);
    assert_int_equal(textmodel_set_size(s), 4);
    assert_int_equal(textmodel_set_count(s, TEXTMODEL_POS), 1);
    assert_int_equal(textmodel_set_count(s, TEXTMODEL_NEG), 2);
    assert_int_equal(textmodel_set_count(s, TEXTMODEL_NEU), 1);
    textmodel_set_row(s, 0, &label, &l, &text, &n);
    assert_int_equal(label, TEXTMODEL_POS);
    assert_int_equal(l, LANG_SV);
    assert_int_equal(n, strlen("Jättebra service"));
    assert_memory_equal(text, "Jättebra service", n);
    textmodel_set_row(s, 1, &label, &l, &text, &n);
    assert_int_equal(label, TEXTMODEL_NEG);
    assert_memory_equal(text, "Dålig\tmed tabb", n);
    textmodel_set_row(s, 3, &label, &l, &text, &n);
    assert_memory_equal(text, "sist utan radslut", n);

    static const char badlabel[] = "pos\ta\nneg\tb\nbra\tc\n";
    err_clear(&err);
    assert_int_equal(textmodel_set_read_tsv(s, badlabel, sizeof badlabel - 1,
                                            LANG_SV, "x.tsv", &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "x.tsv:3:1");
    static const char notab[] = "pos a\n";
    err_clear(&err);
    assert_int_equal(textmodel_set_read_tsv(s, notab, sizeof notab - 1, LANG_SV,
                                            "y.tsv", &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "y.tsv:1:1");
    static const char badutf[] = "neg\tok\npos\tab\xc3(\n";
    err_clear(&err);
    assert_int_equal(textmodel_set_read_tsv(s, badutf, sizeof badutf - 1,
                                            LANG_SV, "z.tsv", &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "z.tsv:2:7");
    textmodel_set_free(s);
}

static void test_textmodel_combine_weighs_lexicon_and_model(void **state)
{
    (void)state;
    const double w = TEXTMODEL_LEXICON_WEIGHT;
    assert_close(textmodel_combine(1, 1), 1, 0, 1e-12);
    assert_close(textmodel_combine(-1, 0), -1, 0, 1e-12);
    assert_close(textmodel_combine(0, 0.5), 0, 0, 1e-12);
    assert_close(textmodel_combine(0.4, 0.9), w * 0.4 + (1 - w) * 0.8, 0,
                 1e-12);
    assert_close(textmodel_combine(5, 2), 1, 0, 1e-12); /* clamped */
    assert_close(textmodel_combine(NAN, 0.75), (1 - w) * 0.5, 0, 1e-12);
    assert_close(textmodel_combine(-0.5, NAN), -w * 0.5, 0, 1e-12);
}

/* ---- weak labels ---- */

struct weak_case {
    int nps, csat;
    int expect; /* TEXTMODEL_POS, TEXTMODEL_NEG or -1 */
};

static const struct weak_case weak_cases[] = {{0, -1, TEXTMODEL_NEG},
                                              {6, -1, TEXTMODEL_NEG},
                                              {7, -1, -1},
                                              {8, -1, -1},
                                              {9, -1, TEXTMODEL_POS},
                                              {10, -1, TEXTMODEL_POS},
                                              {-1, 1, TEXTMODEL_NEG},
                                              {-1, 2, TEXTMODEL_NEG},
                                              {-1, 3, -1},
                                              {-1, 4, TEXTMODEL_POS},
                                              {-1, 5, TEXTMODEL_POS},
                                              {-1, -1, -1},
                                              {9, 1, -1},
                                              /* disagree */ {3, 5, -1},
                                              {8, 5, TEXTMODEL_POS},
                                              {10, 3, TEXTMODEL_POS},
                                              {2, 2, TEXTMODEL_NEG},
                                              {7, 3, -1}};
#define N_WEAK (sizeof weak_cases / sizeof weak_cases[0])

static void test_textmodel_weak_label_rule(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_WEAK; i++)
        assert_int_equal(
            textmodel_weak_label(weak_cases[i].nps, weak_cases[i].csat),
            weak_cases[i].expect);
}

/* The comments a caller hands over (text train reads them from the
 * store): each is added with its weak label, or counted as unlabelled or
 * invalid, in its own language. */
static void test_textmodel_weak_comments_are_added_and_counted(void **state)
{
    (void)state;
    struct textmodel_set *s = textmodel_set_new();
    struct textmodel_weak_stats ws = {0, 0, 0, 0, 0};
    char text[64];
    long expect_used = 0, expect_unlabelled = 0;

    for (size_t i = 0; i < N_WEAK; i++) {
        int label = textmodel_weak_label(weak_cases[i].nps, weak_cases[i].csat);
        snprintf(text, sizeof text, "kommentar %zu", i);
        textmodel_set_add_weak(s, label, i == 4 ? LANG_EN : LANG_SV, text,
                               strlen(text), &ws);
        if (weak_cases[i].expect >= 0)
            expect_used++;
        else
            expect_unlabelled++;
    }
    /* not UTF-8: counted invalid, not added */
    textmodel_set_add_weak(s, TEXTMODEL_POS, LANG_SV, "bra \xff", 5, &ws);

    assert_int_equal(ws.comments, (long)N_WEAK + 1);
    assert_int_equal(ws.used, expect_used);
    assert_int_equal(ws.unlabelled, expect_unlabelled);
    assert_int_equal(ws.invalid, 1);
    assert_int_equal(textmodel_set_size(s), (size_t)expect_used);

    /* Each row is the comment of a labelled case, with its label. */
    size_t row = 0;
    for (size_t i = 0; i < N_WEAK; i++) {
        if (weak_cases[i].expect < 0)
            continue;
        enum textmodel_label label;
        enum lang l;
        const char *t;
        size_t n;
        textmodel_set_row(s, row++, &label, &l, &t, &n);
        snprintf(text, sizeof text, "kommentar %zu", i);
        assert_int_equal(n, strlen(text));
        assert_memory_equal(t, text, n);
        assert_int_equal(label, weak_cases[i].expect);
        assert_int_equal(l, i == 4 ? LANG_EN : LANG_SV);
    }
    textmodel_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textmodel_planted_words_are_learnt),
        cmocka_unit_test(test_textmodel_cross_validation_recovers_signal),
        cmocka_unit_test(test_textmodel_training_is_deterministic),
        cmocka_unit_test(test_textmodel_save_load_gives_identical_probs),
        cmocka_unit_test(test_textmodel_rejects_damaged_files),
        cmocka_unit_test(test_textmodel_negation_flips_a_word),
        cmocka_unit_test(test_textmodel_train_needs_both_classes),
        cmocka_unit_test(test_textmodel_tsv_reader),
        cmocka_unit_test(test_textmodel_combine_weighs_lexicon_and_model),
        cmocka_unit_test(test_textmodel_weak_label_rule),
        cmocka_unit_test(test_textmodel_weak_comments_are_added_and_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
