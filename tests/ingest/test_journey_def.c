/* Tests for src/ingest/journey_def.c: parsing with JSON-path errors,
 * saving all or nothing, reading back. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "store/store.h"

#define S(lit) lit, sizeof(lit) - 1

/* A minimal valid definition with the touchpoint fields given by tp. */
static char *def_with(const char *tp)
{
    static const char fmt[] =
        "{\"journeys\": [{\"key\": \"j\", \"name\": \"J\", \"lifecycle\": "
        "\"use\", \"stages\": [{\"key\": \"s1\", \"name\": \"S1\", "
        "\"touchpoints\": []}, {\"key\": \"s2\", \"name\": \"S2\", "
        "\"touchpoints\": [{\"key\": \"a\", \"name\": \"A\", \"channel\": "
        "\"web\"}, {%s}]}]}]}";
    size_t n = sizeof fmt + strlen(tp);
    char *s = malloc(n);
    snprintf(s, n, fmt, tp);
    return s;
}

static struct journey_def *parse_ok_nodb(const char *text)
{
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_def_parse(&d, text, strlen(text), "j.json", &err),
                     0);
    return d;
}

static void parse_fails(const char *text, const char *want_msg)
{
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_def_parse(&d, text, strlen(text), "j.json", &err),
                     ERR_INVALID);
    assert_null(d);
    assert_string_equal(err.where, "j.json");
    assert_string_equal(err.msg, want_msg);
}

static void test_journey_def_fixture_parses_with_defaults(void **state)
{
    (void)state;
    char *path = harness_fixture("import/journey.json");
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(mapfile_open(&mf, path, &err), 0);
    assert_int_equal(journey_def_parse(&d, mf.p, mf.n, path, &err), 0);
    assert_int_equal(d->n_journeys, 1);
    assert_string_equal(d->journeys[0].name, "Hyresgästens resa");
    assert_int_equal(d->journeys[0].lifecycle, LIFECYCLE_USE);
    assert_int_equal(d->journeys[0].n_stages, 3);
    const struct journey_def_stage *st = &d->journeys[0].stages[1];
    assert_int_equal(st->n_touchpoints, 2);
    assert_string_equal(st->touchpoints[0].key, "felanmalan_app");
    assert_int_equal(st->touchpoints[0].moment_of_truth, 1);
    assert_int_equal(st->touchpoints[1].physical, 1);
    assert_int_equal(st->touchpoints[1].moment_of_truth, 0); /* default */
    assert_int_equal(st->touchpoints[0].n_aliases, 2);
    assert_string_equal(st->touchpoints[0].aliases[0], "Felanmälan app");
    assert_string_equal(st->touchpoints[0].aliases[1], "Appen");
    assert_int_equal(st->touchpoints[1].n_aliases, 0);
    assert_int_equal(d->journeys[0].stages[2].n_touchpoints, 0);
    journey_def_free(d);
    mapfile_close(&mf);
    free(path);
}

static void test_journey_def_wrong_type_names_the_json_path(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": 7");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].channel: must be a "
                   "string");
    free(s);
}

static void test_journey_def_missing_field_names_the_json_path(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"b\", \"channel\": \"app\"");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].name: missing");
    free(s);
}

static void test_journey_def_unknown_field_lists_the_known_ones(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                       "\"app\", \"moment\": true");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].moment: unknown "
                   "field; known: key, name, channel, owner, "
                   "moment_of_truth, physical, aliases");
    free(s);
}

static void test_journey_def_touchpoint_key_must_be_unique(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"a\", \"name\": \"B\", \"channel\": \"app\"");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].key: touchpoint key "
                   "is used twice (keys are unique across journeys)");
    free(s);
}

static void test_journey_def_aliases_must_be_short_strings(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                       "\"app\", \"aliases\": \"B-app\"");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].aliases: must be an "
                   "array of strings");
    free(s);
    s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                 "\"app\", \"aliases\": [\"ok\", 3]");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].aliases[1]: must be "
                   "a string");
    free(s);
    s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                 "\"app\", \"aliases\": [\"\"]");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].aliases[0]: must not "
                   "be empty");
    free(s);
    char tp[400], long_alias[300];
    memset(long_alias, 'x', 256);
    long_alias[256] = 0;
    snprintf(tp, sizeof tp,
             "\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\", "
             "\"aliases\": [\"%s\"]",
             long_alias);
    s = def_with(tp);
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].aliases[0]: too long "
                   "(at most 255 bytes)");
    free(s);
    long_alias[255] = 0; /* 255 bytes is allowed */
    snprintf(tp, sizeof tp,
             "\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\", "
             "\"aliases\": [\"%s\"]",
             long_alias);
    s = def_with(tp);
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_def_parse(&d, s, strlen(s), "j.json", &err), 0);
    journey_def_free(d);
    free(s);
}

static void test_journey_def_alias_of_another_touchpoint_is_refused(void **st)
{
    (void)st;
    /* another touchpoint's name, any case */
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                       "\"app\", \"aliases\": [\"Bee\", \"a\"]");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].aliases[1]: \"a\" is "
                   "also the key of touchpoint a (a key, name or alias must "
                   "name one touchpoint)");
    free(s);
    parse_fails(
        "{\"journeys\": [{\"key\": \"j\", \"name\": \"J\", \"lifecycle\": "
        "\"use\", \"stages\": [{\"key\": \"s1\", \"name\": \"S1\", "
        "\"touchpoints\": [{\"key\": \"b\", \"name\": \"B\", \"channel\": "
        "\"app\", \"aliases\": [\"FELANMÄLAN\"]}, {\"key\": \"a\", "
        "\"name\": \"Felanmälan\", \"channel\": \"web\"}]}]}]}",
        "journeys[0].stages[0].touchpoints[0].aliases[0]: \"FELANMÄLAN\" is "
        "also the name of touchpoint a (a key, name or alias must name one "
        "touchpoint)");
    /* another touchpoint's key, folded beyond ASCII */
    s = def_with("\"key\": \"bö\", \"name\": \"Bö\", \"channel\": "
                 "\"app\"}, {\"key\": \"c\", \"name\": \"C\", "
                 "\"channel\": \"app\", \"aliases\": [\"BÖ\"]");
    parse_fails(s,
                "journeys[0].stages[1].touchpoints[2].aliases[0]: \"BÖ\" "
                "is also the key of touchpoint bö (a key, name or alias must "
                "name one touchpoint)");
    free(s);
    /* another touchpoint's alias, even in an earlier stage */
    parse_fails(
        "{\"journeys\": [{\"key\": \"j\", \"name\": \"J\", \"lifecycle\": "
        "\"use\", \"stages\": [{\"key\": \"s1\", \"name\": \"S1\", "
        "\"touchpoints\": [{\"key\": \"a\", \"name\": \"A\", \"channel\": "
        "\"web\", \"aliases\": [\"Appen\"]}]}, {\"key\": \"s2\", \"name\": "
        "\"S2\", \"touchpoints\": [{\"key\": \"b\", \"name\": \"B\", "
        "\"channel\": \"app\", \"aliases\": [\"appen\"]}]}]}]}",
        "journeys[0].stages[1].touchpoints[0].aliases[0]: \"appen\" is also "
        "the alias of touchpoint a (a key, name or alias must name one "
        "touchpoint)");
    /* its own key or name, in another case, is fine */
    s = def_with("\"key\": \"b\", \"name\": \"Bee\", \"channel\": "
                 "\"app\", \"aliases\": [\"B\", \"BEE\"]");
    struct journey_def *d = parse_ok_nodb(s);
    assert_int_equal(d->journeys[0].stages[1].touchpoints[1].n_aliases, 2);
    journey_def_free(d);
    free(s);
}

static void test_journey_def_flag_must_be_boolean(void **state)
{
    (void)state;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": "
                       "\"app\", \"physical\": \"yes\"");
    parse_fails(s, "journeys[0].stages[1].touchpoints[1].physical: must be "
                   "true or false");
    free(s);
}

static void test_journey_def_bad_lifecycle_and_top_level(void **state)
{
    (void)state;
    parse_fails("{\"journeys\": [{\"key\": \"j\", \"name\": \"J\", "
                "\"lifecycle\": \"grow\", \"stages\": []}]}",
                "journeys[0].lifecycle: must be attract, onboard, use, renew "
                "or leave");
    parse_fails("[]", "(top level): must be an object {\"journeys\": [...]}");
    parse_fails("{}", "journeys: missing");
}

static void test_journey_def_invalid_json_gives_line_and_column(void **state)
{
    (void)state;
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    static const char in[] = "{\"journeys\": [\n  {\"key\": \"j\",,}\n]}";
    assert_int_equal(journey_def_parse(&d, S(in), "j.json", &err), ERR_INVALID);
    assert_string_equal(err.where, "j.json:2:15");
    assert_non_null(strstr(err.msg, "invalid JSON"));
}

struct db {
    struct store *s;
};

static int db_setup(void **state)
{
    struct db *db = calloc(1, sizeof *db);
    struct err err = ERR_INIT;
    if (store_open(&db->s, ":memory:", &err) < 0)
        return -1;
    *state = db;
    return 0;
}

static int db_teardown(void **state)
{
    struct db *db = *state;
    store_free(db->s);
    free(db);
    return 0;
}

static struct journey_def *parse_ok(const char *text)
{
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(journey_def_parse(&d, text, strlen(text), "j.json", &err),
                     0);
    return d;
}

static void test_journey_def_save_twice_changes_nothing(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct store_counts a, b;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\"");
    struct journey_def *d = parse_ok(s);
    assert_int_equal(journey_def_save(d, db->s, &err), 0);
    assert_int_equal(store_count(db->s, &a, &err), 0);
    assert_int_equal(a.journeys, 1);
    assert_int_equal(a.stages, 2);
    assert_int_equal(a.touchpoints, 2);
    assert_int_equal(a.channels, 2);
    assert_int_equal(journey_def_save(d, db->s, &err), 0);
    assert_int_equal(store_count(db->s, &b, &err), 0);
    assert_memory_equal(&a, &b, sizeof a);
    journey_def_free(d);
    free(s);
}

static void test_journey_def_changed_name_updates_in_place(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct store_counts a;
    char *s1 =
        def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\"");
    char *s2 = def_with("\"key\": \"b\", \"name\": \"Bee\", \"channel\": "
                        "\"app\", \"owner\": \"Team\", \"moment_of_truth\": "
                        "true");
    struct journey_def *d1 = parse_ok(s1), *d2 = parse_ok(s2), *back = NULL;
    assert_int_equal(journey_def_save(d1, db->s, &err), 0);
    assert_int_equal(journey_def_save(d2, db->s, &err), 0);
    assert_int_equal(store_count(db->s, &a, &err), 0);
    assert_int_equal(a.touchpoints, 2);
    assert_int_equal(journey_def_read(&back, db->s, &err), 0);
    const struct journey_def_touchpoint *t =
        &back->journeys[0].stages[1].touchpoints[1];
    assert_string_equal(t->name, "Bee");
    assert_string_equal(t->owner, "Team");
    assert_int_equal(t->moment_of_truth, 1);
    journey_def_free(d1);
    journey_def_free(d2);
    journey_def_free(back);
    free(s1);
    free(s2);
}

static void test_journey_def_failed_save_changes_nothing(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct store_counts a;
    char *s = def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\"");
    struct journey_def *d = parse_ok(s);
    store_fail_after(db->s, 4); /* journey, stage, stage, channel: then fail */
    assert_int_equal(journey_def_save(d, db->s, &err), ERR_DB);
    store_fail_after(db->s, 0);
    assert_int_equal(store_count(db->s, &a, &err), 0);
    assert_int_equal(a.journeys, 0);
    assert_int_equal(a.stages, 0);
    assert_int_equal(a.touchpoints, 0);
    assert_int_equal(a.channels, 0);
    journey_def_free(d);
    free(s);
}

static void test_journey_def_json_output_reads_back_the_same(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    char *path = harness_fixture("import/journey.json");
    struct mapfile mf = MAPFILE_INIT;
    struct journey_def *d = NULL, *back = NULL, *again = NULL;
    assert_int_equal(mapfile_open(&mf, path, &err), 0);
    assert_int_equal(journey_def_parse(&d, mf.p, mf.n, path, &err), 0);
    assert_int_equal(journey_def_save(d, db->s, &err), 0);
    assert_int_equal(journey_def_read(&back, db->s, &err), 0);
    char *j1 = journey_def_to_json(d), *j2 = journey_def_to_json(back);
    assert_string_equal(j1, j2); /* the store kept everything */
    again = parse_ok(j2);
    char *j3 = journey_def_to_json(again);
    assert_string_equal(j2, j3);
    assert_non_null(strstr(j1, "\"name\": \"Söka bostad\""));
    assert_non_null(strstr(j2, "\"aliases\": [\n"));
    assert_non_null(strstr(j2, "\"Felanmälan app\",\n"));
    free(j1);
    free(j2);
    free(j3);
    journey_def_free(d);
    journey_def_free(back);
    journey_def_free(again);
    mapfile_close(&mf);
    free(path);
}

/* Two journeys: "a" holds touchpoints t1 and t2; a second file lists t1
 * and t2 under journey "b". */
static const char two_a[] =
    "{\"journeys\": [{\"key\": \"a\", \"name\": \"A\", \"lifecycle\": \"use\", "
    "\"stages\": [{\"key\": \"s\", \"name\": \"S\", \"touchpoints\": ["
    "{\"key\": \"t1\", \"name\": \"T1\", \"channel\": \"web\"}, "
    "{\"key\": \"t2\", \"name\": \"T2\", \"channel\": \"web\"}]}]}]}";
static const char two_b[] =
    "{\"journeys\": [{\"key\": \"b\", \"name\": \"B\", \"lifecycle\": "
    "\"leave\", \"stages\": [{\"key\": \"s\", \"name\": \"S\", "
    "\"touchpoints\": [{\"key\": \"t2\", \"name\": \"T2\", \"channel\": "
    "\"web\"}, {\"key\": \"t1\", \"name\": \"T1\", \"channel\": "
    "\"web\"}, {\"key\": \"t3\", \"name\": \"T3\", \"channel\": \"web\"}]}]}]}";

/* Loads two_a and three responses: two at t1, one at t2. */
static void load_a_with_responses(struct db *db)
{
    static const char csv[] = "id,submitted_at,touchpoint,nps\n"
                              "r1,2025-03-14T10:00:00+01:00,t1,9\n"
                              "r2,2025-03-14T11:00:00+01:00,t1,3\n"
                              "r3,2025-03-14T12:00:00+01:00,t2,7\n";
    struct import_opts io = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct journey_def *d = parse_ok(two_a);
    assert_int_equal(journey_def_save(d, db->s, &err), 0);
    assert_int_equal(
        import_run(&n, db->s, csv, sizeof csv - 1, "r.csv", &io, &err), 0);
    assert_int_equal(n.inserted, 3);
    journey_def_free(d);
}

/* The journey key each touchpoint is stored under, "t1=a t2=a ". */
static int on_tp(void *ctx, const struct journey *j, const struct stage *st,
                 const struct touchpoint *t)
{
    char *out = ctx;
    (void)st;
    size_t n = strlen(out);
    snprintf(out + n, 200 - n, "%s=%s ", t->key, j->key);
    return 0;
}

static void stored_journeys(struct db *db, char out[200])
{
    struct err err = ERR_INIT;
    out[0] = 0;
    assert_int_equal(store_list_touchpoints(db->s, on_tp, out, &err), 0);
}

/* A file that lists a stored touchpoint under another journey would move
 * it, with its responses: refused, naming the touchpoint and both
 * journeys, and nothing changes (not even the new touchpoint t3). */
static void test_journey_def_move_to_another_journey_is_refused(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct journey_def_moves moves = JOURNEY_DEF_MOVES_INIT;
    struct store_counts before, after;
    char where[200];
    load_a_with_responses(db);
    assert_int_equal(store_count(db->s, &before, &err), 0);
    struct journey_def *d = parse_ok(two_b);
    assert_int_equal(journey_def_apply(d, db->s, 0, &moves, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.msg,
                        "touchpoint t1 is in journey a, with 2 responses; "
                        "this definition puts it in journey b (and 1 more "
                        "touchpoint)");
    assert_int_equal(moves.n, 2);
    assert_int_equal(store_count(db->s, &after, &err), 0);
    assert_memory_equal(&before, &after, sizeof before);
    stored_journeys(db, where);
    assert_string_equal(where, "t1=a t2=a ");
    /* journey_def_save refuses the same way */
    err_clear(&err);
    assert_int_equal(journey_def_save(d, db->s, &err), ERR_CONFLICT);
    journey_def_moves_dispose(&moves);
    journey_def_free(d);
}

/* With JOURNEY_DEF_MOVE the touchpoints move, and the list says which,
 * from where to where, with how many responses. */
static void test_journey_def_move_when_allowed_lists_moves(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct journey_def_moves moves = JOURNEY_DEF_MOVES_INIT;
    char where[200];
    load_a_with_responses(db);
    struct journey_def *d = parse_ok(two_b);
    assert_int_equal(
        journey_def_apply(d, db->s, JOURNEY_DEF_MOVE, &moves, &err), 0);
    assert_int_equal(moves.n, 2);
    assert_string_equal(moves.v[0].touchpoint, "t1");
    assert_string_equal(moves.v[0].from, "a");
    assert_string_equal(moves.v[0].to, "b");
    assert_int_equal(moves.v[0].responses, 2);
    assert_string_equal(moves.v[1].touchpoint, "t2");
    assert_int_equal(moves.v[1].responses, 1);
    stored_journeys(db, where);
    assert_non_null(strstr(where, "t1=b "));
    assert_non_null(strstr(where, "t2=b "));
    assert_non_null(strstr(where, "t3=b "));
    journey_def_moves_dispose(&moves);
    /* loading it again moves nothing, and needs no permission */
    assert_int_equal(journey_def_apply(d, db->s, 0, &moves, &err), 0);
    assert_int_equal(moves.n, 0);
    journey_def_free(d);
}

/* Moving between stages of the same journey is an edit, not a move. */
static void test_journey_def_other_stage_same_journey_is_no_move(void **state)
{
    struct db *db = *state;
    struct err err = ERR_INIT;
    struct journey_def_moves moves = JOURNEY_DEF_MOVES_INIT;
    char *s1 =
        def_with("\"key\": \"b\", \"name\": \"B\", \"channel\": \"app\"");
    static const char s2[] =
        "{\"journeys\": [{\"key\": \"j\", \"name\": \"J\", \"lifecycle\": "
        "\"use\", \"stages\": [{\"key\": \"s1\", \"name\": \"S1\", "
        "\"touchpoints\": [{\"key\": \"b\", \"name\": \"B\", \"channel\": "
        "\"app\"}]}, {\"key\": \"s2\", \"name\": \"S2\", \"touchpoints\": "
        "[{\"key\": \"a\", \"name\": \"A\", \"channel\": \"web\"}]}]}]}";
    struct journey_def *d1 = parse_ok(s1), *d2 = parse_ok(s2);
    assert_int_equal(journey_def_save(d1, db->s, &err), 0);
    assert_int_equal(journey_def_apply(d2, db->s, 0, &moves, &err), 0);
    assert_int_equal(moves.n, 0);
    journey_def_free(d1);
    journey_def_free(d2);
    free(s1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journey_def_fixture_parses_with_defaults),
        cmocka_unit_test(test_journey_def_wrong_type_names_the_json_path),
        cmocka_unit_test(test_journey_def_missing_field_names_the_json_path),
        cmocka_unit_test(test_journey_def_unknown_field_lists_the_known_ones),
        cmocka_unit_test(test_journey_def_touchpoint_key_must_be_unique),
        cmocka_unit_test(test_journey_def_aliases_must_be_short_strings),
        cmocka_unit_test(
            test_journey_def_alias_of_another_touchpoint_is_refused),
        cmocka_unit_test(test_journey_def_flag_must_be_boolean),
        cmocka_unit_test(test_journey_def_bad_lifecycle_and_top_level),
        cmocka_unit_test(test_journey_def_invalid_json_gives_line_and_column),
        cmocka_unit_test_setup_teardown(
            test_journey_def_save_twice_changes_nothing, db_setup, db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_changed_name_updates_in_place, db_setup,
            db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_failed_save_changes_nothing, db_setup,
            db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_json_output_reads_back_the_same, db_setup,
            db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_move_to_another_journey_is_refused, db_setup,
            db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_move_when_allowed_lists_moves, db_setup,
            db_teardown),
        cmocka_unit_test_setup_teardown(
            test_journey_def_other_stage_same_journey_is_no_move, db_setup,
            db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
