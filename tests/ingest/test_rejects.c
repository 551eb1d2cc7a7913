/* Tests for src/ingest/rejects.c: the --skip-bad rejects file keeps no
 * personal data the comments' redaction finds, in any field of a
 * rejected row, and stays a CSV whose rows point at their source line. */
#include "import_test.h"

#include "ingest/rejects.h"

#define HDR "id,submitted_at,touchpoint,nps,comment,choice:reach,attr:contact\n"

/* Imports text with --skip-bad through a redacting rejects writer; the
 * rejects file's text is left in *out (caller disposes). */
static void import_rejecting(struct db *db, const char *name, const char *text,
                             enum import_format format, struct strbuf *out,
                             struct import_counts *n)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct err err = ERR_INIT;
    struct rejects w;
    strbuf_init(out, 0);
    rejects_init(&w, rejects_to_strbuf, out);
    o.format = format;
    o.rejects = rejects_write;
    o.rejects_ctx = &w;
    assert_int_equal(import_text(db, name, text, &o, n, &err), 0);
    assert_int_equal(rejects_finish(&w), 0);
    rejects_dispose(&w);
}

static void test_rejected_rows_are_redacted_in_every_value(void **state)
{
    struct strbuf out;
    struct import_counts n;
    import_rejecting(*state, "r.csv",
                     HDR
                     "r1,2025-03-14T10:00:00+01:00,kontoret,11,"
                     "\"Ring 070-123 45 67, anna.svensson@example.se\","
                     "ring 19811218-9876,anna@example.se\n"
                     "r2,2025-03-14T10:00:00+01:00,kontoret,9,Bra,sms,Kista\n"
                     /* shifted: the personnummer sits in the nps column */
                     "r3,2025-03-14T10:00:00+01:00,kontoret,811218-9876,,,\n",
                     IMPORT_CSV, &out, &n);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.rejected, 2);
    assert_string_equal(
        strbuf_str(&out),
        "line,column,reason," HDR
        "2,39,\"nps must be 0..10, got \"\"11\"\"\",r1,"
        "2025-03-14T10:00:00+01:00,kontoret,11,\"Ring [telefon], [e-post]\","
        "ring [personnummer],[e-post]\n"
        "4,39,\"nps must be a number 0..10, got \"\"[personnummer]\"\"\",r3,"
        "2025-03-14T10:00:00+01:00,kontoret,[personnummer],,,\n");
    strbuf_dispose(&out);
}

/* The rejects file is opened in spreadsheets to be fixed: a cell that
 * would run as a formula is guarded, a negative number stays a number. */
static void test_formula_cells_are_guarded(void **state)
{
    struct strbuf out;
    struct import_counts n;
    import_rejecting(*state, "r.csv",
                     "id,submitted_at,touchpoint,nps,comment\n"
                     "=r1,2025-03-14T10:00:00Z,kontoret,-5,"
                     "\"=HYPERLINK(\"\"http://x\"\")\"\n",
                     IMPORT_CSV, &out, &n);
    assert_int_equal(n.rejected, 1);
    const char *t = strbuf_str(&out);
    assert_non_null(strstr(t, ",\"'=r1\","));
    assert_non_null(strstr(t, ",-5,"));
    assert_non_null(strstr(t, ",\"'=HYPERLINK("));
    assert_null(strstr(t, ",=")); /* no cell starts with a formula */
    strbuf_dispose(&out);
}

static void test_rows_that_cannot_be_split_are_redacted_whole(void **state)
{
    struct strbuf out;
    struct import_counts n;
    /* broken quoting: the row is written as its text, up to the fault */
    import_rejecting(*state, "r.csv",
                     "id,submitted_at,touchpoint,comment\n"
                     "r1,2025-03-14T10:00:00Z,kontoret,\"mejla "
                     "anna@example.se\"x\n",
                     IMPORT_CSV, &out, &n);
    assert_int_equal(n.rejected, 1);
    assert_string_equal(strbuf_str(&out),
                        "line,column,reason,id,submitted_at,touchpoint,"
                        "comment\n"
                        "2,57,\"unexpected text after the closing quote (a "
                        "quote inside a quoted field must be doubled: "
                        "\"\"\"\")\",\"r1,2025-03-14T10:00:00Z,kontoret,"
                        "\"\"mejla [e-post]\"\"\"\n");
    strbuf_dispose(&out);
}

static void test_jsonl_records_are_redacted_whole(void **state)
{
    struct strbuf out;
    struct import_counts n;
    import_rejecting(*state, "r.jsonl",
                     "{\"id\":\"j1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
                     "\"touchpoint\":\"kontoret\",\"nps\":11,"
                     "\"comment\":\"ring +46 70 123 45 67\"}\n",
                     IMPORT_JSONL, &out, &n);
    assert_int_equal(n.rejected, 1);
    assert_string_equal(strbuf_str(&out),
                        "line,column,reason,record\n"
                        "1,80,\"nps must be 0..10, got \"\"11\"\"\","
                        "\"{\"\"id\"\":\"\"j1\"\",\"\"submitted_at\"\":"
                        "\"\"2025-03-14T10:00:00Z\"\",\"\"touchpoint\"\":"
                        "\"\"kontoret\"\",\"\"nps\"\":11,\"\"comment\"\":"
                        "\"\"ring [telefon]\"\"}\"\n");
    strbuf_dispose(&out);
}

static void test_rows_with_control_characters_are_redacted(void **state)
{
    struct strbuf out;
    struct import_counts n;
    static const char in[] = "id,submitted_at,touchpoint,comment\n"
                             "r1\0x,2025-03-14T10:00:00Z,kontoret,"
                             "070-123 45 67\n";
    struct import_opts o = IMPORT_OPTS_INIT;
    struct err err = ERR_INIT;
    struct rejects w;
    strbuf_init(&out, 0);
    rejects_init(&w, rejects_to_strbuf, &out);
    o.rejects = rejects_write;
    o.rejects_ctx = &w;
    assert_int_equal(import_run(&n, ((struct db *)*state)->s, in, sizeof in - 1,
                                "r.csv", &o, &err),
                     0);
    rejects_dispose(&w);
    assert_int_equal(n.rejected, 1);
    static const char want[] =
        "line,column,reason,id,submitted_at,touchpoint,comment\n"
        "2,3,\"control character U+0000 (NUL) in a field: only tab is "
        "allowed, and line breaks inside quotes\",r1\0x,"
        "2025-03-14T10:00:00Z,kontoret,[telefon]\n";
    assert_int_equal(out.n, sizeof want - 1);
    assert_memory_equal(out.p, want, sizeof want - 1);
    strbuf_dispose(&out);
}

/* Feeds text to a rejects writer in pieces of k bytes. */
static char *feed(const char *text, size_t k)
{
    struct strbuf out = STRBUF_INIT;
    struct rejects w;
    size_t n = strlen(text);
    rejects_init(&w, rejects_to_strbuf, &out);
    for (size_t i = 0; i < n; i += k)
        assert_int_equal(rejects_write(&w, text + i, i + k < n ? k : n - i), 0);
    assert_int_equal(rejects_finish(&w), 0);
    rejects_dispose(&w);
    return strbuf_detach(&out, NULL);
}

static void test_pieces_of_any_size_give_the_same_file(void **state)
{
    (void)state;
    static const char in[] =
        "line,column,reason,id,comment\n"
        "2,5,\"bad, \"\"very\"\" bad\",r1,\"ring\n070-123 45 67, tack\"\n"
        "9,1,x,r2,anna@example.se"; /* no newline at the end */
    static const char want[] =
        "line,column,reason,id,comment\n"
        "2,5,\"bad, \"\"very\"\" bad\",r1,\"ring\n[telefon], tack\"\n"
        "9,1,x,r2,[e-post]\n";
    for (size_t k = 1; k <= sizeof in; k++) {
        char *got = feed(in, k);
        assert_string_equal(got, want);
        free(got);
    }
}

static void test_a_field_too_large_to_redact_is_left_out(void **state)
{
    (void)state;
    size_t big = PII_MAX_INPUT + 1;
    struct strbuf in = STRBUF_INIT;
    strbuf_puts(&in, "line,column,reason,id,comment\n2,1,x,r1,");
    for (size_t i = 0; i < big; i++)
        strbuf_putc(&in, i % 64 ? 'a' : ' ');
    strbuf_puts(&in, "\n");
    char *got = feed(strbuf_str(&in), in.n);
    assert_string_equal(got, "line,column,reason,id,comment\n"
                             "2,1,x,r1,[too large to redact]\n");
    free(got);
    strbuf_dispose(&in);
}

static int failing_writer(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return ERR_IO;
}

static void test_a_failing_file_is_an_io_error(void **state)
{
    (void)state;
    struct rejects w;
    rejects_init(&w, failing_writer, NULL);
    assert_int_equal(rejects_write(&w, "a,b\n", 4), ERR_IO);
    assert_int_equal(rejects_write(&w, "1,2", 3), 0); /* not complete yet */
    assert_int_equal(rejects_finish(&w), ERR_IO);
    rejects_dispose(&w);
    rejects_dispose(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_formula_cells_are_guarded),
        T(test_rejected_rows_are_redacted_in_every_value),
        T(test_rows_that_cannot_be_split_are_redacted_whole),
        T(test_jsonl_records_are_redacted_whole),
        T(test_rows_with_control_characters_are_redacted),
        cmocka_unit_test(test_pieces_of_any_size_give_the_same_file),
        cmocka_unit_test(test_a_field_too_large_to_redact_is_left_out),
        cmocka_unit_test(test_a_failing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
