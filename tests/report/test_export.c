/* Tests for src/report/export.c: an export re-imports to the same data,
 * response attributes included, as CSV, Excel CSV and JSON Lines; a text
 * cell is never a spreadsheet formula. */
#include "../ingest/import_test.h"

#include <jansson.h>

#include "report/export.h"

static const char source[] =
    "id,submitted_at,touchpoint,customer,nps,comment,rating:snabbhet@5,"
    "choice:kanal,attr:Store,attr:order_value,attr:zip,attr:note\n"
    "r1,2025-03-14T10:00:00+01:00,kontoret,k1,9,Bra,4.5,sms,Kista,"
    "\"1250,50\",01234,\"a, \"\"b\"\"\"\n"
    "r2,2025-03-14T11:00:00+01:00,felanmalan_app,,3,,,,,-12,,\n"
    "r3,2025-03-14T12:00:00+01:00,webb_sok,k2,,Sådär,,,Täby,0.1,,\n"
    "r4,2025-03-14T13:00:00+01:00,webb_sok,,7,,,,,,,\n";

/* Every response's id and what was stored for it, attrs parsed. */
struct snap {
    int n;
    char rows[8][400];
    json_t *attrs[8];
};

static int snap_row(void *ctx, const struct response *r)
{
    struct snap *s = ctx;
    json_error_t je;
    if (s->n < 8) {
        int k =
            snprintf(s->rows[s->n], sizeof s->rows[0], "%s %lld %d %s %s %s",
                     r->ext_id, (long long)r->ts, r->nps, r->touchpoint,
                     r->channel, r->customer ? r->customer : "-");
        for (int i = 0; i < r->n_answers && k < 300; i++)
            k += snprintf(s->rows[s->n] + k, sizeof s->rows[0] - (size_t)k,
                          " %s:%s:%g:%g:%s", r->answers[i].question,
                          answer_kind_name(r->answers[i].kind),
                          r->answers[i].v1, r->answers[i].v2,
                          r->answers[i].text ? r->answers[i].text : "");
        s->attrs[s->n] = r->attrs ? json_loads(r->attrs, 0, &je) : NULL;
    }
    s->n++;
    return 0;
}

static void snap_take(struct db *db, struct snap *s)
{
    struct err err = ERR_INIT;
    memset(s, 0, sizeof *s);
    assert_int_equal(store_scan_responses(db->s, snap_row, s, &err), 0);
}

static void snap_free(struct snap *s)
{
    for (int i = 0; i < s->n && i < 8; i++)
        json_decref(s->attrs[i]);
}

static void snap_equal(const struct snap *a, const struct snap *b)
{
    assert_int_equal(a->n, b->n);
    for (int i = 0; i < a->n && i < 8; i++) {
        assert_string_equal(a->rows[i], b->rows[i]);
        if (!a->attrs[i] || !b->attrs[i]) {
            assert_true(a->attrs[i] == NULL && b->attrs[i] == NULL);
            continue;
        }
        if (!json_equal(a->attrs[i], b->attrs[i])) {
            char *x = json_dumps(a->attrs[i], 0),
                 *y = json_dumps(b->attrs[i], 0);
            fail_msg("attrs differ: %s vs %s", x, y);
            free(x);
            free(y);
        }
    }
}

static char *export_text(struct db *db, const struct export_opts *o,
                         size_t *len)
{
    char *buf = NULL;
    long rows = 0;
    struct err err = ERR_INIT;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(export_responses(db->s, o, f, &rows, &err), 0);
    fclose(f);
    assert_int_equal(rows, 4);
    return buf;
}

/* Imports source into one store, exports it with eo, imports the export
 * into a fresh store and compares the two. */
static void round_trip(struct db *db, const struct export_opts *eo,
                       enum import_format fmt, const char *must_have)
{
    struct import_opts io = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct snap before, after;
    void *other = NULL;
    size_t len = 0;

    assert_int_equal(import_text(db, "r.csv", source, &io, &n, &err), 0);
    assert_int_equal(n.inserted, 4);
    snap_take(db, &before);
    char *text = export_text(db, eo, &len);
    assert_non_null(strstr(text, must_have));

    assert_int_equal(db_setup(&other), 0);
    io.format = fmt;
    assert_int_equal(import_run(&n, ((struct db *)other)->s, text, len,
                                fmt == IMPORT_JSONL ? "x.jsonl" : "x.csv", &io,
                                &err),
                     0);
    assert_int_equal(n.inserted, 4);
    snap_take(other, &after);
    snap_equal(&before, &after);
    /* and exporting again gives the same text */
    size_t len2 = 0;
    char *again = export_text(other, eo, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);

    snap_free(&before);
    snap_free(&after);
    free(text);
    free(again);
    db_teardown(&other);
}

static void test_export_csv_reimports_with_attributes(void **state)
{
    struct export_opts eo = EXPORT_OPTS_INIT;
    round_trip(*state, &eo, IMPORT_CSV,
               ",attr:Store,attr:order_value,attr:zip,attr:note\n"
               "r1,");
}

static void test_export_excel_csv_reimports_with_attributes(void **state)
{
    struct export_opts eo = EXPORT_OPTS_INIT;
    eo.excel = 1;
    round_trip(*state, &eo, IMPORT_CSV, ";Kista;1250,5;01234;");
}

static void test_export_jsonl_reimports_with_attributes(void **state)
{
    struct export_opts eo = EXPORT_OPTS_INIT;
    eo.format = EXPORT_JSONL;
    round_trip(*state, &eo, IMPORT_JSONL,
               "\"attr:Store\":\"Kista\",\"attr:order_value\":1250.5,"
               "\"attr:zip\":\"01234\",\"attr:note\":\"a, \\\"b\\\"\"}");
}

static void test_export_csv_without_attributes_has_no_attr_columns(void **s)
{
    struct db *db = *s;
    struct import_opts io = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct export_opts eo = EXPORT_OPTS_INIT;
    long rows = 0;
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(import_text(db, "r.csv",
                                 "id,submitted_at,touchpoint,nps\n"
                                 "r1,2025-03-14T10:00:00+01:00,kontoret,9\n",
                                 &io, &n, &err),
                     0);
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(export_responses(db->s, &eo, f, &rows, &err), 0);
    fclose(f);
    assert_string_equal(buf, "id,submitted_at,touchpoint,channel,customer,"
                             "employee,respondent,language,nps,csat,ces\n"
                             "r1,2025-03-14T10:00:00+01:00,kontoret,office,,,"
                             "customer,,9,,\n");
    free(buf);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

static const char *extra_value(void *ctx, int64_t id, size_t i)
{
    (void)ctx;
    (void)id;
    return i ? "x" : "sv";
}

/* --by columns named like an import column (a fixed one, an answer, an
 * attribute) are by:NAME, so the file never names a column twice; other
 * fields keep their names. */
static void test_export_extra_columns_never_shadow_import_columns(void **s)
{
    struct db *db = *s;
    struct import_opts io = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    static const char *const names[] = {"language", "rating:wifi", "attr:Store",
                                        "customer.district",
                                        "event.delivery.days:30d"};
    struct export_opts eo = EXPORT_OPTS_INIT;
    eo.extra_names = names;
    eo.n_extra = 5;
    eo.extra = extra_value;
    assert_int_equal(import_text(db, "r.csv", source, &io, &n, &err), 0);
    size_t len = 0;
    char *csv = export_text(db, &eo, &len);
    assert_non_null(strstr(csv, ",by:language,by:rating:wifi,by:attr:Store,"
                                "customer.district,event.delivery.days:30d\n"));
    free(csv);
    eo.format = EXPORT_JSONL;
    char *jsonl = export_text(db, &eo, &len);
    assert_non_null(strstr(jsonl, "\"by:language\":\"sv\""));
    assert_non_null(strstr(jsonl, "\"customer.district\":\"x\""));
    free(jsonl);
}

/* Ids, customers, comments, choices and text attributes that begin with
 * = + - @ TAB or CR are free text: each is written "'..." (OWASP's rule),
 * even when it looks like a number ("-3.5" as a comment); numbers stay
 * numbers (-12 and -0.5 as numeric attributes). */
static const char formulas[] =
    "id,submitted_at,touchpoint,customer,nps,comment,choice:kanal,"
    "attr:Store,attr:delta\n"
    "=r1,2025-03-14T10:00:00+01:00,kontoret,+k1,9,"
    "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",@sms,-Kista,-12\n"
    "-r2,2025-03-14T11:00:00+01:00,kontoret,@k2,3,\"\tTab\",=cmd,+46 70,\n"
    "@r3,2025-03-14T12:00:00+01:00,kontoret,,3,\"\rCR\",-,=1+2,-0.5\n"
    "+r4,2025-03-14T13:00:00+01:00,kontoret,,3,-3.5,+1,@x,\n";

static const char *extra_formula(void *ctx, int64_t id, size_t i)
{
    (void)ctx;
    (void)id;
    return i ? "=x" : "-3.5";
}

static void export_formulas(struct db *db, int excel, const char *const *want,
                            size_t n_want)
{
    struct import_opts io = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    static const char *const names[] = {"customer.score", "customer.city"};
    struct export_opts eo = EXPORT_OPTS_INIT;
    eo.excel = excel;
    eo.extra_names = names;
    eo.n_extra = 2;
    eo.extra = extra_formula;
    assert_int_equal(import_text(db, "f.csv", formulas, &io, &n, &err), 0);
    size_t len = 0;
    char *csv = export_text(db, &eo, &len);
    for (size_t i = 0; i < n_want; i++)
        if (!strstr(csv, want[i]))
            fail_msg("no %s in\n%s", want[i], csv);
    /* no cell, quoted or not, begins with a formula character */
    char sep = excel ? ';' : ',';
    for (size_t i = 0; i < len; i++) {
        int start = i == 0 || csv[i - 1] == sep || csv[i - 1] == '\n';
        if (!start)
            continue;
        const char *cell = csv + i + (csv[i] == '"');
        if (strchr("=+@\t", *cell) && *cell)
            fail_msg("a formula cell at %zu: %.20s", i, csv + i);
        if (*cell == '-' && !(cell[1] >= '0' && cell[1] <= '9'))
            fail_msg("a formula cell at %zu: %.20s", i, csv + i);
    }
    free(csv);
}

/* The first row whole: every kind of cell, the extra columns last. */
static const char row1[] =
    "\n\"'=r1\",2025-03-14T10:00:00+01:00,kontoret,office,\"'+k1\",,customer,"
    ",9,,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'@sms\",\"'-Kista\","
    "-12,-3.5,\"'=x\"\n";
static const char row1_excel[] =
    "\n\"'=r1\";2025-03-14T10:00:00+01:00;kontoret;office;\"'+k1\";;customer;"
    ";9;;;\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";\"'@sms\";\"'-Kista\";"
    "-12;-3.5;\"'=x\"\r\n";

static void test_export_csv_text_cells_are_never_formulas(void **s)
{
    static const char *const want[] = {
        row1,          "\n\"'-r2\",",
        ",\"'@k2\",",  ",\"'\tTab\",\"'=cmd\",\"'+46 70\",,",
        "\n\"'@r3\",", ",\"'\rCR\",\"'-\",\"'=1+2\",-0.5,",
        "\n\"'+r4\",", ",\"'-3.5\",\"'+1\",\"'@x\",,"};
    export_formulas(*s, 0, want, sizeof want / sizeof *want);
}

static void test_export_excel_text_cells_are_never_formulas(void **s)
{
    static const char *const want[] = {
        row1_excel, ";\"'\tTab\";\"'=cmd\";\"'+46 70\";;",
        ";\"'\rCR\";\"'-\";\"'=1+2\";-0,5;", ";\"'-3.5\";\"'+1\";\"'@x\";;"};
    export_formulas(*s, 1, want, sizeof want / sizeof *want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_export_csv_reimports_with_attributes),
        T(test_export_excel_csv_reimports_with_attributes),
        T(test_export_jsonl_reimports_with_attributes),
        T(test_export_csv_without_attributes_has_no_attr_columns),
        T(test_export_extra_columns_never_shadow_import_columns),
        T(test_export_csv_text_cells_are_never_formulas),
        T(test_export_excel_text_cells_are_never_formulas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
