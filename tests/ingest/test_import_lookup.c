/* Tests for src/ingest/import_lookup.c: touchpoints by key, name or
 * alias and channels, case-insensitively; ambiguous values located. */
#include "import_test.h"

#define HDR "id,submitted_at,touchpoint,channel,nps\n"

static void test_touchpoint_by_key_name_or_alias_any_case(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    const char *csv =
        HDR "r1,2025-03-14T10:00:00+01:00,felanmalan_app,,9\n"
            "r2,2025-03-14T10:00:00+01:00,FELANMÄLAN I APPEN,,8\n"
            "r3,2025-03-14T10:00:00+01:00,felanmälan App,,7\n"
            "r4,2025-03-14T10:00:00+01:00,appen,,6\n"
            "r5,2025-03-14T10:00:00+01:00,Kontoret,,5\n"
            "r6,2025-03-14T10:00:00+01:00,besök på KONTORET,,4\n"
            /* a decomposed ä (a + U+0308), as exports from a Mac have it */
            "r7,2025-03-14T10:00:00+01:00,Felanma\xcc\x88lan app,,3\n";
    assert_int_equal(import_text(db, "r.csv", csv, &o, &n, &err), 0);
    assert_int_equal(n.inserted, 7);
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 7);
    for (int i = 0; i < 4; i++)
        assert_string_equal(l->v[i].touchpoint, "felanmalan_app");
    assert_string_equal(l->v[4].touchpoint, "kontoret");
    assert_string_equal(l->v[5].touchpoint, "kontoret");
    assert_string_equal(l->v[6].touchpoint, "felanmalan_app");
    /* the touchpoint's channel, as before */
    assert_string_equal(l->v[3].channel, "app");
    assert_string_equal(l->v[4].channel, "office");
}

static void test_unknown_touchpoint_still_lists_the_keys(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    import_fails(*state, "r.csv",
                 HDR "r1,2025-03-14T10:00:00+01:00,kontoret,,9\n"
                     "r2,2025-03-14T10:00:00+01:00,felanmälan,,9\n",
                 &o, "r.csv:3:30",
                 "unknown touchpoint \"felanmälan\" (known: webb_sok, "
                 "felanmalan_app, kontoret)");
}

static void test_a_value_naming_two_touchpoints_is_located(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    /* another journey, loaded on its own, names a touchpoint "Appen" */
    assert_int_equal(db_load_journey(db, "import/journey_other.json"), 0);
    import_fails(db, "r.csv",
                 HDR "r1,2025-03-14T10:00:00+01:00,appen,,9\n"
                     "r2,2025-03-14T10:00:00+01:00,APPEN,,9\n",
                 &o, "r.csv:2:30",
                 "touchpoint \"appen\" is ambiguous: it names both "
                 "felanmalan_app and ny_app (by key, name or alias)");
    /* two touchpoints may share a name; only using it is an error */
    import_fails(db, "r.csv",
                 HDR "r1,2025-03-14T10:00:00+01:00,ny_app,,9\n"
                     "r2,2025-03-14T10:00:00+01:00,Telefon,,9\n",
                 &o, "r.csv:3:30",
                 "touchpoint \"Telefon\" is ambiguous: it names both "
                 "tel_sok and tel_flytt (by key, name or alias)");
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(import_text(db, "r.csv",
                                 HDR
                                 "r1,2025-03-14T10:00:00+01:00,ny_app,,9\n"
                                 "r2,2025-03-14T10:00:00+01:00,tel_sok,,9\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    /* a key given exactly means that touchpoint, as it always did, even
     * when another touchpoint is named so; another spelling is ambiguous */
    assert_int_equal(import_text(db, "r.csv",
                                 HDR
                                 "r3,2025-03-14T10:00:00+01:00,kontoret,,9\n",
                                 &o, &n, &err),
                     0);
    assert_string_equal(stored_responses(db)->v[2].touchpoint, "kontoret");
    import_fails(db, "r.csv", HDR "r4,2025-03-14T10:00:00+01:00,KONTORET,,9\n",
                 &o, "r.csv:2:30",
                 "touchpoint \"KONTORET\" is ambiguous: it names both "
                 "kontoret and kontor2 (by key, name or alias)");
}

static void test_channels_match_stored_keys_any_case(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct store_counts before = db_counts(db);
    assert_int_equal(import_text(db, "r.csv",
                                 HDR "r1,2025-03-14T10:00:00+01:00,kontoret,"
                                     "Web,9\n"
                                     "r2,2025-03-14T10:00:00+01:00,kontoret,"
                                     "APP,9\n"
                                     "r3,2025-03-14T10:00:00+01:00,kontoret,"
                                     "Sms,9\n"
                                     "r4,2025-03-14T10:00:00+01:00,kontoret,"
                                     "sms,9\n",
                                 &o, &n, &err),
                     0);
    struct store_counts after = db_counts(db);
    /* "Sms" is new and created as given; "sms" then means it */
    assert_int_equal(after.channels, before.channels + 1);
    struct stored_list *l = stored_responses(db);
    assert_string_equal(l->v[0].channel, "web");
    assert_string_equal(l->v[1].channel, "app");
    assert_string_equal(l->v[2].channel, "Sms");
    assert_string_equal(l->v[3].channel, "Sms");
    /* and so in the next file */
    assert_int_equal(import_text(db, "s.csv",
                                 HDR "r5,2025-03-14T10:00:00+01:00,kontoret,"
                                     "SMS,9\n",
                                 &o, &n, &err),
                     0);
    l = stored_responses(db);
    assert_string_equal(l->v[4].channel, "Sms");
    assert_int_equal(db_counts(db).channels, after.channels);
}

static void test_events_resolve_touchpoints_by_alias(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_EVENTS;
    assert_int_equal(
        import_text(db, "e.csv",
                    "customer,activity,time,touchpoint\n"
                    "k1,fault_report,2025-03-02T08:30:00Z,Felanmälan APP\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    struct stored_event_list *e = stored_events(db);
    assert_int_equal(e->n, 1);
    assert_string_equal(e->v[0].touchpoint, "felanmalan_app");
    import_fails(db, "e.csv",
                 "customer,activity,time,touchpoint\n"
                 "k1,fault_report,2025-03-03T08:30:00Z,appar\n",
                 &o, "e.csv:2:38",
                 "unknown touchpoint \"appar\" (known: webb_sok, "
                 "felanmalan_app, kontoret)");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_touchpoint_by_key_name_or_alias_any_case),
        T(test_unknown_touchpoint_still_lists_the_keys),
        T(test_a_value_naming_two_touchpoints_is_located),
        T(test_channels_match_stored_keys_any_case),
        T(test_events_resolve_touchpoints_by_alias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
