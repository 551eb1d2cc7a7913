/* Tests for src/ingest/import_text.c: comments are stored redacted with
 * their analysis; those in a language the pipeline does not read are
 * stored with that language and no sentiment. */
#include "import_test.h"

#include <math.h>

struct an_seen {
    int n;
    char language[8][8];
    int has_label[8];
    int nan_score[8];
    int mentions[8];
    unsigned redactions[8];
};

static int collect(void *ctx, int64_t id, const char *q,
                   const struct comment_analysis *a)
{
    struct an_seen *s = ctx;
    (void)id;
    (void)q;
    if (s->n < 8) {
        snprintf(s->language[s->n], 8, "%s", a->language);
        s->has_label[s->n] = a->label != NULL;
        s->nan_score[s->n] = isnan(a->score);
        s->mentions[s->n] = a->n_mentions;
        s->redactions[s->n] = a->redactions;
    }
    s->n++;
    return 0;
}

static void test_unread_languages_are_stored_unscored(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct an_seen s;
    assert_int_equal(
        import_text(
            db, "r.csv",
            "id,submitted_at,touchpoint,language,comment\n"
            "de,2025-03-14T10:00:00+01:00,kontoret,,\"Die Wohnung ist sehr "
            "schön, aber der Hausmeister kommt nie, wenn man ihn braucht.\"\n"
            "fi,2025-03-14T10:00:00+01:00,kontoret,,Asunto on hyvä mutta "
            "huolto ei vastaa koskaan puhelimeen ja se on todella huonoa.\n"
            "sv,2025-03-14T10:00:00+01:00,kontoret,,Lägenheten är fin men "
            "fastighetsskötaren kommer aldrig när man behöver honom.\n"
            "no,2025-03-14T10:00:00+01:00,kontoret,,\"Leiligheten er fin, men "
            "vaktmesteren kommer aldri når man trenger ham, og det er ikke "
            "bra.\"\n"
            /* short and unsure: the respondent's language decides */
            "short,2025-03-14T10:00:00+01:00,kontoret,sv,Sehr gut\n"
            /* unscored, but still redacted */
            "pii,2025-03-14T10:00:00+01:00,kontoret,,\"Ring mig på 070-123 45 "
            "67, die Heizung ist kaputt und niemand kommt.\"\n",
            &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 6);
    memset(&s, 0, sizeof s);
    assert_int_equal(store_scan_analyses(db->s, collect, &s, &err), 0);
    assert_int_equal(s.n, 6);
    /* German and Finnish: their code, no label, no score, no themes */
    assert_string_equal(s.language[0], "de");
    assert_string_equal(s.language[1], "fi");
    for (int i = 0; i < 2; i++) {
        assert_false(s.has_label[i]);
        assert_true(s.nan_score[i]);
        assert_int_equal(s.mentions[i], 0);
    }
    /* Swedish and Norwegian: scored, Norwegian with its own code (the
     * Swedish lexicon reads it, model.h) */
    assert_string_equal(s.language[2], "sv");
    assert_true(s.has_label[2]);
    assert_false(s.nan_score[2]);
    assert_string_equal(s.language[3], "no");
    assert_true(s.has_label[3]);
    assert_false(s.nan_score[3]);
    assert_string_equal(s.language[4], "sv");
    assert_true(s.has_label[4]);
    assert_string_equal(s.language[5], "de");
    assert_false(s.has_label[5]);
    assert_true(s.redactions[5] != 0);
    struct stored_list *l = stored_responses(db);
    assert_non_null(strstr(l->v[5].answers[0], "[telefon]"));
    assert_null(strstr(l->v[5].answers[0], "070"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_unread_languages_are_stored_unscored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
