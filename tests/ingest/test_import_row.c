/* Tests for src/ingest/import_row.c: repeated rows within a file,
 * response attributes, customers --update. */
#include "import_test.h"

#include <time.h>

#include "core/strbuf.h"

#define HDR "id,submitted_at,touchpoint,nps,comment\n"

static void test_identical_rows_are_skipped_and_counted(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        import_text(db, "r.csv",
                    HDR "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                        "r2,2025-03-14T10:00:00+01:00,kontoret,3,Dåligt\n"
                        /* the same values, spaced differently */
                        " r1 ,2025-03-14T10:00:00+01:00 , kontoret,9 ,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.read, 4);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.repeated, 2);
    assert_int_equal(n.present, 0);
    assert_int_equal(db_counts(db).responses, 2);
    assert_int_equal(db_counts(db).answers, 2);
}

static void test_same_id_different_values_names_both_lines(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    import_fails(*state, "r.csv",
                 HDR "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R8,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R7,2025-03-14T10:00:00+01:00,kontoret,8,Bra\n",
                 &o, "r.csv:4:1",
                 "id \"R7\" is also on line 2 with different values");
    /* free text is compared as written: a trailing space differs */
    import_fails(*state, "r.csv",
                 HDR "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                     "R7,2025-03-14T10:00:00+01:00,kontoret,9,Bra \n",
                 &o, "r.csv:3:1",
                 "id \"R7\" is also on line 2 with different values");
}

static void test_repeats_compare_after_na_and_ignore_ignored_columns(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.na = "N/A";
    o.map = "exported=-";
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,nps,exported\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,,2025-04-01\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,n/a,2025-04-02\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
}

static void test_jsonl_repeats_ignore_key_order_and_number_quoting(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.format = IMPORT_JSONL;
    assert_int_equal(
        import_text(
            db, "r.jsonl",
            "{\"id\":\"r1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
            "\"touchpoint\":\"kontoret\",\"nps\":9}\n"
            "{\"nps\":\"9\",\"touchpoint\":\"kontoret\",\"id\":\"r1\","
            "\"submitted_at\":\"2025-03-14T10:00:00Z\",\"csat\":null}\n",
            &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
}

static void test_conflicting_repeat_is_a_rejected_row_with_skip_bad(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(
        import_text(db, "r.csv",
                    HDR "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,2,Bra\n"
                        "r2,2025-03-14T10:00:00+01:00,kontoret,5,Bra\n"
                        "r1,2025-03-14T10:00:00+01:00,kontoret,9,Bra\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.rejected, 1);
    assert_int_equal(n.repeated, 1);
    assert_non_null(strstr(strbuf_str(&rej),
                           "3,1,\"id \"\"r1\"\" is also on line 2 with "
                           "different values\",r1,"));
    strbuf_dispose(&rej);
}

/* A row rejected after its id was looked up (its attributes are too
 * large) does not claim the id: a later row with that id, fixed, is
 * imported, not called a repeat or a conflict. */
static void test_rejected_row_leaves_its_id_free(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT, csv = STRBUF_INIT;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    /* two attributes of 600 kB: each a field the reader takes, together
     * over the 1 MiB a row's attributes may hold */
    strbuf_puts(&csv, "id,submitted_at,touchpoint,nps,attr:a,attr:note\n"
                      "r1,2025-03-14T10:00:00+01:00,kontoret,9,");
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 600000 / 50; i++)
            strbuf_puts(&csv,
                        "01234567890123456789012345678901234567890123456789");
        strbuf_putc(&csv, k ? '\n' : ',');
    }
    strbuf_puts(&csv, "r1,2025-03-14T10:00:00+01:00,kontoret,9,,short\n");
    assert_int_equal(import_text(db, "r.csv", strbuf_str(&csv), &o, &n, &err),
                     0);
    assert_int_equal(n.rejected, 1);
    assert_int_equal(n.repeated, 0);
    assert_int_equal(n.inserted, 1);
    assert_non_null(strstr(strbuf_str(&rej), "attributes are too large"));
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0].attrs, "{\"note\":\"short\"}");
    strbuf_dispose(&rej);
    strbuf_dispose(&csv);
}

static void test_customer_and_event_repeats(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    assert_int_equal(import_text(db, "c.csv",
                                 "id,segment,rooms\nk1,Student,2\n"
                                 "k1,Student,2\nk2,Senior,3\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.repeated, 1);
    import_fails(db, "c.csv", "id,segment,rooms\nk3,Student,2\nk3,Senior,2\n",
                 &o, "c.csv:3:1",
                 "id \"k3\" is also on line 2 with different values");

    o.kind = IMPORT_EVENTS;
    /* without an id, customer|activity|time is the id */
    assert_int_equal(import_text(db, "e.csv",
                                 "customer,activity,time,hours\n"
                                 "k1,contact,2025-03-02T08:30:00Z,2\n"
                                 "k1,contact,2025-03-02T08:30:00Z,2\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.repeated, 1);
    import_fails(db, "e.csv",
                 "customer,activity,time,hours\n"
                 "k1,visit,2025-03-02T08:30:00Z,2\n"
                 "k1,visit,2025-03-02T08:30:00Z,3\n",
                 &o, "e.csv:3:1",
                 "an event with the same customer, activity and time (give "
                 "events an id column to keep both) is also on line 2 with "
                 "different values");
    import_fails(db, "e.csv",
                 "id,customer,activity,time\n"
                 "e1,k1,visit,2025-03-02T08:30:00Z\n"
                 "e1,k2,visit,2025-03-02T08:30:00Z\n",
                 &o, "e.csv:3:1",
                 "id \"e1\" is also on line 2 with different values");
}

/* ---- response attributes ---- */

static void test_attr_columns_become_the_response_attrs(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,attr:Store,attr: order_value,"
                    "attr:zip,attr:agent\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,Kista,\"1250,50\","
                    "01234,\n"
                    "r2,2025-03-14T10:00:00+01:00,kontoret,,,,A7\n"
                    "r3,2025-03-14T10:00:00+01:00,kontoret,,,,\n",
                    &o, &n, &err),
        0);
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 3);
    /* numbers as numbers, "01234" kept a string, empty left out */
    assert_string_equal(l->v[0].attrs, "{\"Store\":\"Kista\","
                                       "\"order_value\":1250.50,"
                                       "\"zip\":\"01234\"}");
    assert_string_equal(l->v[1].attrs, "{\"agent\":\"A7\"}");
    assert_string_equal(l->v[2].attrs, "-");

    o.format = IMPORT_JSONL;
    assert_int_equal(import_text(db, "r.jsonl",
                                 "{\"id\":\"r4\",\"submitted_at\":"
                                 "\"2025-03-14T10:00:00Z\",\"touchpoint\":"
                                 "\"kontoret\",\"attr:store\":\"Kista\","
                                 "\"attr:order_value\":99}\n",
                                 &o, &n, &err),
                     0);
    l = stored_responses(db);
    assert_string_equal(l->v[3].attrs,
                        "{\"store\":\"Kista\",\"order_value\":99}");
}

/* Exports name columns "Type of Travel": such names are kept whole. */
static void test_attr_names_may_hold_spaces(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,attr:Type of Travel\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,Business travel\n",
                    &o, &n, &err),
        0);
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0].attrs,
                        "{\"Type of Travel\":\"Business travel\"}");
}

static void test_attr_names_are_checked(void **state)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    import_fails(*state, "r.csv",
                 "id,submitted_at,touchpoint,attr:Store,attr:STORE\n", &o,
                 "r.csv:1:39", "column \"attr:STORE\" appears twice");
    /* spaces inside are fine (exports name columns so); the characters
     * a query's field syntax uses are not */
    import_fails(*state, "r.csv",
                 "id,submitted_at,touchpoint,attr:order value=x\n", &o,
                 "r.csv:1:28",
                 "\"attr:order value=x\": an attribute name must be 1..255 "
                 "characters without control characters or any of , \" = ; "
                 ": < > !");
    import_fails(*state, "r.csv", "id,submitted_at,touchpoint,attr:\n", &o,
                 "r.csv:1:28",
                 "\"attr:\": an attribute name must be 1..255 characters "
                 "without control characters or any of , \" = ; : < > !");
}

static void test_attr_and_choice_values_are_redacted(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,attr:contact,attr:phone,"
                    "choice:reach\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,"
                    "anna.svensson@example.se,0701234567,"
                    "ring 070-123 45 67\n"
                    "r2,2025-03-14T10:00:00+01:00,kontoret,Kista,12,sms\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.redacted_values, 3);
    struct stored_list *l = stored_responses(db);
    assert_string_equal(l->v[0].attrs, "{\"contact\":\"[e-post]\","
                                       "\"phone\":\"[telefon]\"}");
    assert_string_equal(l->v[0].answers[0], "reach choice 0 0 ring [telefon]");
    assert_string_equal(l->v[1].attrs, "{\"contact\":\"Kista\",\"phone\":12}");
    assert_string_equal(l->v[1].answers[0], "reach choice 0 0 sms");
    /* redaction also without text analysis */
    o.no_analysis = 1;
    assert_int_equal(
        import_text(db, "s.csv",
                    "id,submitted_at,touchpoint,attr:contact\n"
                    "s1,2025-03-14T10:00:00+01:00,kontoret,070-123 45 67\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.redacted_values, 1);
    l = stored_responses(db);
    assert_string_equal(l->v[2].attrs, "{\"contact\":\"[telefon]\"}");
}

static void test_every_kind_is_redacted_in_choices_and_attrs(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    /* an e-mail address, a phone number and a personnummer, in a chosen
     * option and in a text attribute, from CSV and from JSON Lines */
    assert_int_equal(
        import_text(db, "r.csv",
                    "id,submitted_at,touchpoint,choice:reach,attr:note\n"
                    "r1,2025-03-14T10:00:00+01:00,kontoret,"
                    "mejla anna@example.se,pnr 811218-9876\n"
                    "r2,2025-03-14T10:00:00+01:00,kontoret,"
                    "pnr 19811218-9876,ring +46 70 123 45 67\n"
                    "r3,2025-03-14T10:00:00+01:00,kontoret,"
                    "ring 08-123 456 78,mejla b.c@example.com\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.redacted_values, 6);
    o.format = IMPORT_JSONL;
    assert_int_equal(
        import_text(db, "r.jsonl",
                    "{\"id\":\"r4\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
                    "\"touchpoint\":\"kontoret\",\"choice:reach\":"
                    "\"811218-9876\",\"attr:note\":\"anna@example.se\"}\n",
                    &o, &n, &err),
        0);
    assert_int_equal(n.redacted_values, 2);
    struct stored_list *l = stored_responses(db);
    assert_int_equal(l->n, 4);
    assert_string_equal(l->v[0].answers[0], "reach choice 0 0 mejla [e-post]");
    assert_string_equal(l->v[0].attrs, "{\"note\":\"pnr [personnummer]\"}");
    assert_string_equal(l->v[1].answers[0],
                        "reach choice 0 0 pnr [personnummer]");
    assert_string_equal(l->v[1].attrs, "{\"note\":\"ring [telefon]\"}");
    assert_string_equal(l->v[2].answers[0], "reach choice 0 0 ring [telefon]");
    assert_string_equal(l->v[2].attrs, "{\"note\":\"mejla [e-post]\"}");
    assert_string_equal(l->v[3].answers[0], "reach choice 0 0 [personnummer]");
    assert_string_equal(l->v[3].attrs, "{\"note\":\"[e-post]\"}");
}

/* ---- customers --update ---- */

static const char customers_v1[] = "id,segment,rooms,area\n"
                                   "k1,Student,1,Norr\n"
                                   "k2,Senior,3,Syd\n";

static void load_v1(struct db *db)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = IMPORT_CUSTOMERS;
    assert_int_equal(import_text(db, "c.csv", customers_v1, &o, &n, &err), 0);
    assert_int_equal(n.inserted, 2);
}

static void test_update_merges_records_history_and_counts(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    load_v1(db);
    o.kind = IMPORT_CUSTOMERS;
    o.update = 1;
    o.as_of = "2025-03-01"; /* midnight UTC: 1740787200 */
    assert_int_equal(import_text(db, "c2.csv",
                                 "id,segment,rooms\n"
                                 "k1,Familj,3\n"   /* moved, bigger flat */
                                 "k2,Senior,3\n"   /* as it was */
                                 "k3,Student,1\n", /* new */
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.read, 3);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.updated, 1);
    assert_int_equal(n.unchanged, 1);
    assert_int_equal(n.present, 0);
    struct stored_customer_list *c = stored_customers(db);
    assert_int_equal(c->n, 3);
    /* attributes merged: rooms replaced, area kept */
    assert_string_equal(c->rows[0],
                        "k1 Familj {\"rooms\":3,\"area\":\"Norr\"}");
    assert_string_equal(c->rows[1], "k2 Senior {\"rooms\":3,\"area\":\"Syd\"}");
    assert_string_equal(c->rows[2], "k3 Student {\"rooms\":1}");
    assert_int_equal(c->nseg, 4);
    assert_string_equal(c->segs[0], "1 start Student");
    assert_string_equal(c->segs[1], "1 1740787200 Familj");
    assert_string_equal(c->segs[2], "2 start Senior");
    assert_string_equal(c->segs[3], "3 start Student");

    /* the same file again changes nothing */
    assert_int_equal(import_text(db, "c2.csv",
                                 "id,segment,rooms\nk1,Familj,3\nk2,Senior,3\n"
                                 "k3,Student,1\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.unchanged, 3);
    assert_int_equal(stored_customers(db)->nseg, 4);
}

static void test_update_as_of_takes_a_timestamp_and_defaults_to_now(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    load_v1(db);
    o.kind = IMPORT_CUSTOMERS;
    o.update = 1;
    o.as_of = "2025-03-01T10:00:00+01:00";
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk1,Familj\n", &o, &n, &err), 0);
    assert_string_equal(stored_customers(db)->segs[1], "1 1740819600 Familj");
    o.as_of = NULL;
    int64_t before = (int64_t)time(NULL);
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk2,Familj\n", &o, &n, &err), 0);
    int64_t after = (int64_t)time(NULL);
    struct stored_customer_list *c = stored_customers(db);
    assert_int_equal(c->nseg, 4);
    long long id, since;
    assert_int_equal(sscanf(c->segs[3], "%lld %lld", &id, &since), 2);
    assert_int_equal(id, 2);
    assert_true(since >= before && since <= after);
}

static void test_update_refuses_back_dated_changes(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    load_v1(db);
    o.kind = IMPORT_CUSTOMERS;
    o.update = 1;
    o.as_of = "2025-06-01";
    assert_int_equal(
        import_text(db, "c.csv", "id,segment\nk1,Familj\n", &o, &n, &err), 0);
    /* a later file dated earlier: the whole import is refused */
    o.as_of = "2025-03-01";
    import_fails(db, "c.csv", "id,segment,rooms\nk2,Familj,4\nk1,Par,2\n", &o,
                 "c.csv:3:1",
                 "customer \"k1\": a segment change from "
                 "2025-03-01T00:00:00Z is before its latest recorded one "
                 "(from 2025-06-01T00:00:00Z)");
    struct stored_customer_list *c = stored_customers(db);
    assert_string_equal(c->rows[1], "k2 Senior {\"rooms\":3,\"area\":\"Syd\"}");
    assert_int_equal(c->nseg, 3);
    /* with --skip-bad that row is rejected and the others applied */
    struct strbuf rej = STRBUF_INIT;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(import_text(db, "c.csv",
                                 "id,segment,rooms\nk2,Familj,4\nk1,Par,2\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.updated, 1);
    assert_int_equal(n.rejected, 1);
    c = stored_customers(db);
    assert_string_equal(c->rows[0],
                        "k1 Familj {\"rooms\":1,\"area\":\"Norr\"}");
    assert_string_equal(c->rows[1], "k2 Familj {\"rooms\":4,\"area\":\"Syd\"}");
    strbuf_dispose(&rej);
}

static void test_update_takes_set_and_na(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    load_v1(db);
    o.kind = IMPORT_CUSTOMERS;
    o.update = 1;
    o.as_of = "2025-03-01";
    o.set = "area=Öst";
    o.na = "N/A";
    /* N/A leaves the segment and rooms as they are */
    assert_int_equal(import_text(db, "c.csv", "id,segment,rooms\nk1,N/A,n/a\n",
                                 &o, &n, &err),
                     0);
    assert_int_equal(n.updated, 1);
    struct stored_customer_list *c = stored_customers(db);
    assert_string_equal(c->rows[0],
                        "k1 Student {\"rooms\":1,\"area\":\"Öst\"}");
    assert_int_equal(c->nseg, 2);
}

static void test_update_store_failure_at_any_write_changes_nothing(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    const char *file = "id,segment,rooms\nk1,Familj,3\nk2,Senior,3\n"
                       "k3,Student,1\nk4,Par,2\n";
    load_v1(db);
    struct stored_customer_list before = *stored_customers(db);
    o.kind = IMPORT_CUSTOMERS;
    o.update = 1;
    o.as_of = "2025-03-01";
    int failed = 0;
    for (long nth = 1; nth < 20; nth++) {
        struct err err = ERR_INIT;
        store_fail_after(db->s, nth);
        int rc = import_text(db, "c.csv", file, &o, &n, &err);
        store_fail_after(db->s, 0);
        if (rc == 0)
            break; /* past the last write: it went through */
        assert_int_equal(rc, ERR_DB);
        failed++;
        struct stored_customer_list *now = stored_customers(db);
        assert_int_equal(now->n, before.n);
        assert_int_equal(now->nseg, before.nseg);
        for (int i = 0; i < before.n; i++)
            assert_string_equal(now->rows[i], before.rows[i]);
    }
    assert_true(failed >= 3); /* every row's write could fail */
    struct stored_customer_list *after = stored_customers(db);
    assert_int_equal(after->n, 4);
    assert_int_equal(after->nseg, 5); /* k1 twice, k2, k3, k4 */
}

static void test_update_and_as_of_options_are_checked(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    o.update = 1;
    import_fails(db, "r.csv", HDR, &o, "",
                 "--update applies to customers only; responses and events "
                 "are never changed once stored");
    o.kind = IMPORT_CUSTOMERS;
    o.update = 0;
    o.as_of = "2025-03-01";
    import_fails(db, "c.csv", "id\n", &o, "", "--as-of is for --update");
    o.update = 1;
    o.as_of = "1 mars";
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(import_text(db, "c.csv", "id\n", &o, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "--as-of");
    assert_non_null(strstr(err.msg, "expected a date (2025-03-01) or a "
                                    "timestamp with a zone"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_identical_rows_are_skipped_and_counted),
        T(test_same_id_different_values_names_both_lines),
        T(test_repeats_compare_after_na_and_ignore_ignored_columns),
        T(test_jsonl_repeats_ignore_key_order_and_number_quoting),
        T(test_conflicting_repeat_is_a_rejected_row_with_skip_bad),
        T(test_rejected_row_leaves_its_id_free),
        T(test_customer_and_event_repeats),
        T(test_attr_columns_become_the_response_attrs),
        T(test_attr_names_may_hold_spaces),
        T(test_attr_names_are_checked),
        T(test_attr_and_choice_values_are_redacted),
        T(test_every_kind_is_redacted_in_choices_and_attrs),
        T(test_update_merges_records_history_and_counts),
        T(test_update_as_of_takes_a_timestamp_and_defaults_to_now),
        T(test_update_refuses_back_dated_changes),
        T(test_update_takes_set_and_na),
        T(test_update_store_failure_at_any_write_changes_nothing),
        T(test_update_and_as_of_options_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
