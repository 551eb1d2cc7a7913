/* Tests for src/ingest/import.c: validation per docs/import-formats.md,
 * located errors, and all-or-nothing against a real (in-memory) store. */
#include "import_test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mapfile.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "store/store.h"

/* Imports tests/data/import/<name>, naming it <name> in messages. */
static int run_opts(struct db *db, const char *name,
                    const struct import_opts *o, struct import_counts *n,
                    struct err *err)
{
    char fixture[200];
    snprintf(fixture, sizeof fixture, "import/%s", name);
    char *path = harness_fixture(fixture);
    struct mapfile mf = MAPFILE_INIT;
    int rc = mapfile_open(&mf, path, err);
    assert_int_equal(rc, 0);
    rc = import_run(n, db->s, mf.p, mf.n, name, o, err);
    mapfile_close(&mf);
    free(path);
    return rc;
}

static int run_kind(struct db *db, const char *name, enum import_kind kind,
                    struct import_counts *n, struct err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.kind = kind;
    assert_int_equal(import_format_guess(&o.format, name, err), 0);
    return run_opts(db, name, &o, n, err);
}

static int run_text(struct db *db, const char *text, const char *map,
                    struct import_counts *n, struct err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.map = map;
    return import_run(n, db->s, text, strlen(text), "t.csv", &o, err);
}

static int remember_fact(void *ctx, const struct fact *f)
{
    struct {
        int64_t ts[2];
        int tz[2];
        int k;
    } *got = ctx;
    if (got->k < 2) {
        got->ts[got->k] = f->ts;
        got->tz[got->k] = f->tz_min;
    }
    got->k++;
    return 0;
}

/* A bad file is rejected at exactly where, with msg, and nothing of it
 * (not even its good first rows) is kept. */
static void assert_rejected(struct db *db, const char *name, const char *where,
                            const char *msg)
{
    struct import_counts n;
    struct err err = ERR_INIT;
    struct store_counts before = db_counts(db);
    assert_int_equal(run_kind(db, name, IMPORT_RESPONSES, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
    assert_true(n.read >= 2); /* good rows were read before the bad one */
    struct store_counts after = db_counts(db);
    assert_memory_equal(&before, &after, sizeof before);
    assert_int_equal(after.responses, 0);
    assert_int_equal(after.customers, 0);
}

static void test_import_bad_quoting_is_located_and_changes_nothing(void **s)
{
    assert_rejected(*s, "bad_quoting.csv", "bad_quoting.csv:3:57",
                    "unexpected text after the closing quote (a quote inside "
                    "a quoted field must be doubled: \"\")");
}

static void test_import_latin1_is_located_and_changes_nothing(void **s)
{
    assert_rejected(*s, "bad_latin1.csv", "bad_latin1.csv:3:42",
                    "invalid UTF-8 (byte 0xE5); save the file as UTF-8");
}

static void test_import_out_of_range_score_is_located(void **s)
{
    assert_rejected(*s, "bad_score.csv", "bad_score.csv:3:39",
                    "nps must be 0..10, got \"11\"");
}

static void test_import_unknown_touchpoint_is_located(void **s)
{
    assert_rejected(*s, "bad_touchpoint.csv", "bad_touchpoint.csv:3:30",
                    "unknown touchpoint \"hemsidan\" (known: webb_sok, "
                    "felanmalan_app, kontoret)");
}

static void test_import_bad_date_is_located(void **s)
{
    /* day-first dates are ambiguous without --time-format: the error
     * points at the first '/' and says what to give */
    assert_rejected(*s, "bad_date.csv", "bad_date.csv:3:6",
                    "submitted_at: bad timestamp \"14/03/2025 10:23\": day "
                    "and month order is ambiguous: give --time-format, e.g. "
                    "--time-format '%d/%m/%Y %H:%M'");
}

/* Times without a zone read in --tz, day-first ones by --time-format:
 * the stored instant and offset are those of Stockholm's clock that day
 * (winter +01:00, summer +02:00). */
static void test_import_reads_local_times_with_tz_and_format(void **s)
{
    struct db *db = *s;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct import_opts o = IMPORT_OPTS_INIT;
    static const char csv[] = "id,submitted_at,touchpoint,nps\n"
                              "t1,14/03/2025 10:23,kontoret,8\n"
                              "t2,01/07/2025 00:30,kontoret,9\n";
    o.tz = "Europe/Stockholm";
    o.time_format = "%d/%m/%Y %H:%M";
    assert_int_equal(
        import_run(&n, db->s, csv, sizeof csv - 1, "t.csv", &o, &err), 0);
    assert_int_equal(n.inserted, 2);
    struct seen {
        int64_t ts[2];
        int tz[2];
        int k;
    } got = {{0, 0}, {0, 0}, 0};
    assert_int_equal(store_scan_facts(db->s, remember_fact, &got, &err), 0);
    assert_int_equal(got.k, 2);
    assert_int_equal(got.ts[0], 1741944180); /* 2025-03-14T09:23:00Z */
    assert_int_equal(got.tz[0], 60);
    assert_int_equal(got.ts[1], 1751322600); /* 2025-06-30T22:30:00Z */
    assert_int_equal(got.tz[1], 120);
}

/* Each way a time can be wrong is a located error, and nothing stays. */
static void test_import_time_errors_are_located(void **s)
{
    struct db *db = *s;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct import_opts o = IMPORT_OPTS_INIT;
    static const char zoneless[] = "id,submitted_at,touchpoint,nps\n"
                                   "t1,2025-03-14 10:23,kontoret,8\n";
    assert_int_equal(
        import_run(&n, db->s, zoneless, sizeof zoneless - 1, "z.csv", &o, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "z.csv:2:20"); /* where the zone goes */
    assert_non_null(strstr(err.msg, "no time zone"));
    err_clear(&err);
    static const char old[] = "id,submitted_at,touchpoint,nps\n"
                              "t1,1850-03-14T10:23:00Z,kontoret,8\n";
    assert_int_equal(
        import_run(&n, db->s, old, sizeof old - 1, "o.csv", &o, &err),
        ERR_INVALID);
    assert_non_null(strstr(err.msg, "1900-2200"));
    err_clear(&err);
    o.tz = "Europe/Atlantis";
    assert_int_equal(
        import_run(&n, db->s, zoneless, sizeof zoneless - 1, "z.csv", &o, &err),
        ERR_NOTFOUND);
    assert_string_equal(err.where, "--tz");
    err_clear(&err);
    o.tz = NULL;
    o.time_format = "%d/%q";
    assert_int_equal(
        import_run(&n, db->s, zoneless, sizeof zoneless - 1, "z.csv", &o, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "--time-format");
    struct store_counts c = db_counts(db);
    assert_int_equal(c.responses, 0);
}

static void test_import_duplicate_id_names_the_first_line(void **s)
{
    assert_rejected(*s, "bad_duplicate.csv", "bad_duplicate.csv:4:1",
                    "id \"u1\" is also on line 2 with different values");
}

static void test_import_truncated_file_is_located_at_open_quote(void **s)
{
    assert_rejected(*s, "bad_truncated.csv", "bad_truncated.csv:3:41",
                    "quoted field is not closed (the file ends inside quotes; "
                    "truncated file?)");
}

static int find_response(void *ctx, const struct response *r)
{
    struct response *want = ctx;
    if (strcmp(r->ext_id, want->ext_id))
        return 0;
    want->nps = r->nps;
    want->csat = r->csat;
    want->ces = r->ces;
    want->tz_min = r->tz_min;
    want->ts = r->ts;
    want->customer_id = r->customer_id;
    want->n_answers = r->n_answers;
    /* Answers are borrowed: check them here, into the caller's copy. */
    struct answer *copy = (struct answer *)want->answers;
    for (int i = 0; i < r->n_answers && i < 8; i++) {
        copy[i] = r->answers[i];
        copy[i].question = strdup(r->answers[i].question);
        copy[i].text = r->answers[i].text ? strdup(r->answers[i].text) : NULL;
        copy[i].title =
            r->answers[i].title ? strdup(r->answers[i].title) : NULL;
    }
    return 1;
}

/* Reads response ext_id back; answers go into a[8] (caller frees with
 * free_answers). */
static struct response get_response(struct db *db, const char *ext_id,
                                    struct answer *a)
{
    struct response r;
    struct err err = ERR_INIT;
    memset(&r, 0, sizeof r);
    memset(a, 0, 8 * sizeof *a);
    r.ext_id = ext_id;
    r.answers = a;
    r.n_answers = -1;
    assert_int_equal(store_scan_responses(db->s, find_response, &r, &err), 1);
    return r;
}

static void free_answers(struct answer *a, int n)
{
    for (int i = 0; i < n && i < 8; i++) {
        free((char *)a[i].question);
        free((char *)a[i].text);
        free((char *)a[i].title);
    }
}

static const struct answer *answer(const struct answer *a, int n, const char *q)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(a[i].question, q))
            return &a[i];
    fail_msg("no answer %s", q);
    return NULL;
}

static void test_import_responses_with_every_answer_kind(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct answer a[8];
    assert_int_equal(run_kind(db, "responses.csv", IMPORT_RESPONSES, &n, &err),
                     0);
    assert_int_equal(n.read, 4);
    assert_int_equal(n.inserted, 4);
    assert_int_equal(n.customers_created, 2);
    struct store_counts c = db_counts(db);
    assert_int_equal(c.responses, 4);
    assert_int_equal(c.customers, 2);
    assert_int_equal(c.answers, 7 + 4 + 1);

    struct response r = get_response(db, "r1", a);
    assert_int_equal(r.nps, 9);
    assert_int_equal(r.csat, 5);
    assert_int_equal(r.ces, -1);
    assert_int_equal(r.tz_min, 60);
    assert_int_equal(r.ts, 1741944120); /* 2025-03-14T09:22:00Z */
    assert_int_equal(r.n_answers, 7);
    const struct answer *x = answer(a, 7, "speed");
    assert_int_equal(x->kind, ANSWER_RATING);
    assert_close(x->v1, 4, 0, 0);
    assert_close(x->v2, 5, 0, 0);
    x = answer(a, 7, "wait");
    assert_int_equal(x->kind, ANSWER_GAP);
    assert_close(x->v1, 6, 0, 0);
    assert_close(x->v2, 8, 0, 0);
    assert_close(answer(a, 7, "tone")->v1, 0.25, 0, 1e-12);
    x = answer(a, 7, "why");
    assert_close(x->v1 + x->v2 + x->v3, 1, 0, 1e-12);
    assert_close(x->v3, 0.5, 0, 1e-12);
    assert_string_equal(answer(a, 7, "reason")->text, "speed");
    x = answer(a, 7, "life");
    assert_string_equal(x->text, "Det började med en läcka\ni köket");
    assert_string_equal(x->title, "Läckan");
    assert_string_equal(answer(a, 7, "comment")->text,
                        "Snabb och trevlig service");
    free_answers(a, 7);

    r = get_response(db, "r4", a);
    assert_int_equal(r.customer_id, 0); /* anonymous */
    assert_string_equal(answer(a, r.n_answers, "comment")->text,
                        "Bra, men \"appen\" kraschade");
    free_answers(a, r.n_answers);
}

static void test_import_excel_style_file_with_map(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct answer a[8];
    o.map = "Kund-ID=customer";
    assert_int_equal(run_opts(db, "excel_responses.csv", &o, &n, &err), 0);
    assert_int_equal(n.inserted, 3);
    assert_int_equal(db_counts(db).customers, 2);
    struct response r = get_response(db, "x1", a);
    assert_close(answer(a, r.n_answers, "ton")->v1, 0.25, 0, 1e-12);
    assert_close(answer(a, r.n_answers, "betyg")->v1, 4.5, 0, 1e-12);
    assert_close(answer(a, r.n_answers, "betyg")->v2, 5, 0, 0);
    assert_string_equal(answer(a, r.n_answers, "comment")->text,
                        "Snabbt och bra"); /* no CR */
    free_answers(a, r.n_answers);
    r = get_response(db, "x2", a);
    assert_int_equal(r.ces, 6);
    assert_string_equal(answer(a, r.n_answers, "comment")->text,
                        "Lång kö.\nIngen ringde tillbaka; dåligt");
    free_answers(a, r.n_answers);
    r = get_response(db, "x3", a);
    assert_string_equal(answer(a, r.n_answers, "comment")->text,
                        "Sökte \"trea\" – hittade!");
    free_answers(a, r.n_answers);
}

static void test_import_twice_inserts_nothing_the_second_time(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_kind(db, "responses.csv", IMPORT_RESPONSES, &n, &err),
                     0);
    struct store_counts first = db_counts(db);
    assert_int_equal(run_kind(db, "responses.csv", IMPORT_RESPONSES, &n, &err),
                     0);
    assert_int_equal(n.read, 4);
    assert_int_equal(n.inserted, 0);
    assert_int_equal(n.present, 4);
    assert_int_equal(n.customers_created, 0);
    struct store_counts second = db_counts(db);
    assert_memory_equal(&first, &second, sizeof first);
}

static void
test_import_skip_bad_writes_rejects_and_imports_the_rest(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(run_opts(db, "bad_score.csv", &o, &n, &err), 0);
    assert_int_equal(n.read, 3);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.rejected, 1);
    assert_int_equal(db_counts(db).responses, 2);
    assert_string_equal(strbuf_str(&rej),
                        "line,column,reason,id,submitted_at,touchpoint,nps,"
                        "comment\n"
                        "3,39,\"nps must be 0..10, got \"\"11\"\"\",s2,"
                        "2025-03-14T10:23:00+01:00,kontoret,11,toppen\n");
    strbuf_dispose(&rej);
}

static void test_import_skip_bad_goes_on_after_broken_quoting(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(run_opts(db, "bad_quoting.csv", &o, &n, &err), 0);
    assert_int_equal(n.inserted, 2); /* q1 and q3 */
    assert_int_equal(n.rejected, 1);
    assert_non_null(strstr(strbuf_str(&rej), "\n3,57,\"unexpected text"));
    strbuf_dispose(&rej);
}

/* 1 when needle occurs in p[0..n), which may hold NUL bytes. */
static int holds(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, needle, k))
            return 1;
    return 0;
}

static void test_import_ids_differing_after_a_nul_do_not_collide(void **s)
{
    struct db *db = *s;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    /* read as C strings both ids are "r1": one response would be lost as
     * already present, or the store would refuse the second */
    static const char in[] = "id,submitted_at,touchpoint,nps\n"
                             "r1\0a,2025-03-14T10:00:00Z,kontoret,9\n"
                             "r1\0b,2025-03-14T10:00:00Z,kontoret,3\n"
                             "r2,2025-03-14T10:00:00Z,kontoret,3\n";
    assert_int_equal(
        import_run(&n, db->s, in, sizeof in - 1, "r.csv", &o, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "r.csv:2:3");
    assert_string_equal(err.msg, "control character U+0000 (NUL) in a field: "
                                 "only tab is allowed, and line breaks inside "
                                 "quotes");
    assert_int_equal(db_counts(db).responses, 0);
    /* with --skip-bad both are rejected, each at its own line */
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    err_clear(&err);
    assert_int_equal(
        import_run(&n, db->s, in, sizeof in - 1, "r.csv", &o, &err), 0);
    assert_int_equal(n.read, 3);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.present, 0);
    assert_int_equal(n.rejected, 2);
    assert_true(holds(rej.p, rej.n, "\n2,3,\"control character U+0000"));
    assert_true(holds(rej.p, rej.n, "\n3,3,\"control character U+0000"));
    strbuf_dispose(&rej);
}

static void test_import_jsonl_nul_and_escape_in_text_are_located(void **s)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.format = IMPORT_JSONL;
    import_fails(*s, "r.jsonl",
                 "{\"id\":\"j1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
                 "\"touchpoint\":\"kontoret\",\"comment\":\"a\\u0000b\"}\n",
                 &o, "r.jsonl:1:86",
                 "\"comment\": control character U+0000 (NUL) in the text: "
                 "only tab, CR and LF are allowed");
    import_fails(*s, "r.jsonl",
                 "{\"id\":\"j1\",\"submitted_at\":\"2025-03-14T10:00:00Z\","
                 "\"touchpoint\":\"kontoret\",\"choice:x\":\"\\u001b[2J\"}\n",
                 &o, "r.jsonl:1:86",
                 "\"choice:x\": control character U+001B (ESC) in the text: "
                 "only tab, CR and LF are allowed");
}

static void test_import_jsonl_skip_bad_writes_the_record_text(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf rej = STRBUF_INIT;
    static const char in[] =
        "{\"id\": \"a\", \"submitted_at\": \"2025-03-14T10:22:00Z\", "
        "\"touchpoint\": \"kontoret\", \"nps\": 11}\n"
        "{\"id\": \"b\", \"submitted_at\": \"2025-03-14T10:22:00Z\", "
        "\"touchpoint\": \"kontoret\", \"x\": \"?\"}\n"
        "{\"id\": \"c\", \"submitted_at\": \"2025-03-14T10:22:00Z\", "
        "\"touchpoint\": \"kontoret\", \"nps\": 10}\n"
        "not json\n";
    o.format = IMPORT_JSONL;
    o.rejects = rejects_to_strbuf;
    o.rejects_ctx = &rej;
    assert_int_equal(
        import_run(&n, db->s, in, sizeof in - 1, "r.jsonl", &o, &err), 0);
    assert_int_equal(n.read, 4);
    assert_int_equal(n.inserted, 1);
    assert_int_equal(n.rejected, 3);
    const char *out = strbuf_str(&rej);
    assert_int_equal(strncmp(out,
                             "line,column,reason,record\n1,86,\"nps "
                             "must be 0..10, got \"\"11\"\"\",\"{\"\"id",
                             56),
                     0);
    assert_non_null(strstr(out, "\n2,84,\"unknown column \"\"x\"\""));
    assert_non_null(strstr(out, "\n4,3,invalid JSON: "));
    assert_non_null(strstr(out, ",not json\n"));
    strbuf_dispose(&rej);
}

static void test_import_store_failure_at_any_write_changes_nothing(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct store_counts before = db_counts(db);
    int failures = 0;
    /* Fail the 1st, 2nd, ... write until the import gets through. */
    for (long k = 1; k < 50; k++) {
        err_clear(&err);
        store_fail_after(db->s, k);
        int rc = run_kind(db, "responses.csv", IMPORT_RESPONSES, &n, &err);
        store_fail_after(db->s, 0);
        if (rc == 0)
            break;
        failures++;
        assert_int_equal(rc, ERR_DB);
        assert_string_equal(err.msg, "injected failure");
        struct store_counts after = db_counts(db);
        assert_memory_equal(&before, &after, sizeof before);
    }
    /* 2 customers and 4 responses (the channels exist): 6 writes. */
    assert_int_equal(failures, 6);
    assert_int_equal(db_counts(db).responses, 4);
}

static void test_import_customers_keep_attributes_typed(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_kind(db, "customers.csv", IMPORT_CUSTOMERS, &n, &err),
                     0);
    assert_int_equal(n.inserted, 3);
    assert_int_equal(db_counts(db).customers, 3);
    assert_int_equal(run_kind(db, "customers.csv", IMPORT_CUSTOMERS, &n, &err),
                     0);
    assert_int_equal(n.present, 3);
}

struct cust_check {
    int seen;
};

static int check_customer(void *ctx, const struct customer *c)
{
    struct cust_check *k = ctx;
    json_error_t je;
    json_t *attrs = c->attrs ? json_loads(c->attrs, 0, &je) : NULL;
    if (!strcmp(c->ext_id, "k1")) {
        assert_string_equal(c->attrs, "{\"age\":41,\"rent\":8450.50,\"zip\":"
                                      "\"01234\",\"city\":\"Malmö\"}");
        assert_non_null(attrs);
        assert_true(json_is_integer(json_object_get(attrs, "age")));
        assert_true(json_is_real(json_object_get(attrs, "rent")));
        assert_true(json_is_string(json_object_get(attrs, "zip")));
        assert_string_equal(c->segment, "Familj");
        k->seen++;
    } else if (!strcmp(c->ext_id, "k3")) {
        assert_null(c->segment);
        assert_non_null(attrs);
        k->seen++;
    }
    json_decref(attrs);
    return 0;
}

static void test_import_customer_numbers_are_json_numbers(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct cust_check k = {0};
    assert_int_equal(run_kind(db, "customers.csv", IMPORT_CUSTOMERS, &n, &err),
                     0);
    assert_int_equal(store_scan_customers(db->s, check_customer, &k, &err), 0);
    assert_int_equal(k.seen, 2);
}

struct ev_check {
    int n;
    char attrs[200];
};

static int check_event(void *ctx, const struct event *e)
{
    struct ev_check *k = ctx;
    if (k->n++ == 0)
        snprintf(k->attrs, sizeof k->attrs, "%s", e->attrs ? e->attrs : "");
    return 0;
}

static void test_import_events_without_id_are_idempotent(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct ev_check k = {0, ""};
    assert_int_equal(run_kind(db, "events.csv", IMPORT_EVENTS, &n, &err), 0);
    assert_int_equal(n.inserted, 3);
    assert_int_equal(n.customers_created, 2); /* k1 and k4 */
    assert_int_equal(run_kind(db, "events.csv", IMPORT_EVENTS, &n, &err), 0);
    assert_int_equal(n.inserted, 0);
    assert_int_equal(n.present, 3);
    assert_int_equal(db_counts(db).events, 3);
    assert_int_equal(store_scan_events(db->s, check_event, &k, &err), 0);
    assert_string_equal(k.attrs,
                        "{\"resolution_hours\":12.5,\"note\":\"Läcka i kök\"}");
}

static void test_import_same_event_twice_in_a_file_is_an_error(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    static const char in[] = "customer,activity,time\n"
                             "k1,contact,2025-03-02T09:30:00+01:00\n"
                             "k1,contact,2025-03-02T08:30:00Z\n";
    o.kind = IMPORT_EVENTS;
    assert_int_equal(
        import_run(&n, db->s, in, sizeof in - 1, "e.csv", &o, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "e.csv:3:1");
    assert_int_equal(db_counts(db).events, 0);
}

static void test_import_jsonl_responses(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct answer a[8];
    assert_int_equal(
        run_kind(db, "responses.jsonl", IMPORT_RESPONSES, &n, &err), 0);
    assert_int_equal(n.read, 2);
    assert_int_equal(n.inserted, 2);
    struct response r = get_response(db, "j2", a);
    assert_int_equal(r.nps, 3);
    assert_int_equal(r.csat, -1);
    free_answers(a, r.n_answers);
    r = get_response(db, "j1", a);
    assert_close(answer(a, r.n_answers, "tone")->v1, 0.25, 0, 1e-12);
    free_answers(a, r.n_answers);
}

static void test_import_jsonl_missing_required_field_is_located(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    static const char in[] =
        "{\"id\": \"a\", \"submitted_at\": \"2025-03-14T10:22:00Z\", "
        "\"touchpoint\": \"kontoret\"}\n"
        "{\"id\": \"b\", \"submitted_at\": \"2025-03-14T10:22:00Z\"}\n";
    o.format = IMPORT_JSONL;
    assert_int_equal(
        import_run(&n, db->s, in, sizeof in - 1, "r.jsonl", &o, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "r.jsonl:2:1");
    assert_string_equal(err.msg, "touchpoint is missing");
    assert_int_equal(db_counts(db).responses, 0);
}

static void test_import_unknown_column_lists_known_ones(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(
        run_text(db, "id,submitted_at,touchpoint,Betyg\n", NULL, &n, &err),
        ERR_INVALID);
    assert_string_equal(err.where, "t.csv:1:28");
    assert_int_equal(strncmp(err.msg,
                             "unknown column \"Betyg\"; known: id, "
                             "submitted_at, touchpoint, customer",
                             63),
                     0);
    assert_non_null(strstr(err.msg, "story_title:, attr: + a name"));
    /* a long name is cut so that the whole list still fits */
    err_clear(&err);
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint,"
                              "Hur_nojd_ar_du_med_din_senaste_kontakt\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    size_t len = strlen(err.msg);
    assert_true(len > 30);
    assert_string_equal(err.msg + len - 6, "a name");
}

static void test_import_map_renames_and_ignores_columns(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_text(db,
                              "ID , Tid,Kontaktpunkt,Betyg,Intern\n"
                              "m1,2025-03-14T10:22:00Z,kontoret,8,x\n",
                              " tid = submitted_at,kontaktpunkt=touchpoint,"
                              "betyg=nps,intern=-",
                              &n, &err),
                     0);
    assert_int_equal(n.inserted, 1);
    err_clear(&err);
    assert_int_equal(
        run_text(db, "id,submitted_at,touchpoint\n", "Betyg=nps", &n, &err),
        ERR_INVALID);
    assert_string_equal(err.msg,
                        "--map names \"betyg\", which is not a column here");
    err_clear(&err);
    assert_int_equal(run_text(db, "id\n", "nps", &n, &err), ERR_INVALID);
    assert_string_equal(err.where, "--map");
}

static void test_import_missing_required_column_is_named(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_text(db, "id,touchpoint,nps\n", NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "t.csv:1:1");
    assert_string_equal(err.msg, "missing required column \"submitted_at\"");
    err_clear(&err);
    assert_int_equal(run_text(db, "", NULL, &n, &err), ERR_INVALID);
    assert_string_equal(err.msg, "the file is empty (expected a header line)");
}

static void test_import_decimal_comma_is_no_whole_number(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_text(db,
                              "id;submitted_at;touchpoint;nps\n"
                              "a;2025-03-14T10:22:00Z;kontoret;8,5\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "t.csv:2:33");
    assert_string_equal(err.msg,
                        "nps must be a whole number 0..10, got \"8,5\"");
}

static void test_import_scores_and_answers_are_range_checked(void **state)
{
    struct db *db = *state;
    static const struct {
        const char *hdr, *val, *msg;
    } cases[] = {
        {"csat", "0", "csat must be 1..5, got \"0\""},
        {"ces", "8", "ces must be 1..7, got \"8\""},
        {"nps", "nio", "nps must be a number 0..10, got \"nio\""},
        {"rating:x@5", "\"5,5\"",
         "rating:x must be a number 0..5, got \"5,5\""},
        {"dyad:x", "1.2", "dyad:x must be a number 0..1, got \"1.2\""},
        {"triad:x", "0.5|0.6|0.1",
         "triad:x must be three weights a|b|c >= 0 summing to 1, got "
         "\"0.5|0.6|0.1\""},
        {"triad:x", "0.5|0.5",
         "triad:x must be three weights a|b|c >= 0 summing to 1, got "
         "\"0.5|0.5\""},
        {"respondent", "kund",
         "respondent must be \"customer\" or \"employee\", got \"kund\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[300];
        struct import_counts n;
        struct err err = ERR_INIT;
        snprintf(text, sizeof text,
                 "id,submitted_at,touchpoint,%s\n"
                 "a,2025-03-14T10:22:00Z,kontoret,%s\n",
                 cases[i].hdr, cases[i].val);
        assert_int_equal(run_text(db, text, NULL, &n, &err), ERR_INVALID);
        assert_string_equal(err.where, "t.csv:2:33");
        assert_string_equal(err.msg, cases[i].msg);
    }
    assert_int_equal(db_counts(db).responses, 0);
}

static void test_import_pairs_must_be_complete(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_text(db, "id,submitted_at,touchpoint,expect:wait\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "t.csv:1:28");
    assert_string_equal(err.msg,
                        "expect:wait needs a matching perceive:wait column");
    err_clear(&err);
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint,expect:w,perceive:w\n"
                              "a,2025-03-14T10:22:00Z,kontoret,5,\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.msg,
                        "expect:w and perceive:w must be given together");
    err_clear(&err);
    assert_int_equal(run_text(db, "id,submitted_at,touchpoint,text:a,dyad:a\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.msg, "question key \"a\" is used by two columns "
                                 "(\"text:a\" and \"dyad:a\")");
}

static void test_import_employee_respondent_creates_employee(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint,employee,respondent,"
                              "channel\n"
                              "e1,2025-03-14T10:22:00Z,kontoret,anna,employee,"
                              "phone\n",
                              NULL, &n, &err),
                     0);
    struct store_counts c = db_counts(db);
    assert_int_equal(c.employees, 1);
    assert_int_equal(c.channels, 4); /* web, app, office + phone */
}

struct prog {
    int calls;
    int64_t rows;
    size_t done, total;
};

static void on_progress(void *ctx, int64_t rows, size_t done, size_t total)
{
    struct prog *p = ctx;
    p->calls++;
    p->rows = rows;
    p->done = done;
    p->total = total;
}

static void test_import_progress_reports_the_end(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct prog p = {0, 0, 0, 0};
    o.progress = on_progress;
    o.progress_ctx = &p;
    assert_int_equal(run_opts(db, "responses.csv", &o, &n, &err), 0);
    assert_true(p.calls >= 1);
    assert_int_equal(p.rows, 4);
    assert_true(p.total > 0);
    assert_int_equal(p.done, p.total);
}

/* ---- ids compared after unquoting, and files spanning many batches ---- */

static void test_import_quoted_ids_are_compared_unescaped(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    /* Distinct ids, some of them only after unquoting. */
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint\n"
                              "\"a\"\"b\",2025-03-14T10:22:00Z,kontoret\n"
                              "\"x,y\",2025-03-14T10:22:00Z,kontoret\n"
                              "x,2025-03-14T10:22:00Z,kontoret\n"
                              "\"a\"\"c\",2025-03-14T10:22:00Z,kontoret\n"
                              "\"a\",2025-03-14T10:22:00Z,kontoret\n"
                              "a\"\"b,2025-03-14T10:22:00Z,kontoret\n",
                              NULL, &n, &err),
                     0);
    assert_int_equal(n.inserted, 6);

    /* "m""n" unescapes to m"n, which an unquoted field spells as is. */
    err_clear(&err);
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint\n"
                              "q1,2025-03-14T10:22:00Z,kontoret\n"
                              "\"m\"\"n\",2025-03-14T10:22:00Z,kontoret\n"
                              "m\"n,2025-03-14T10:23:00Z,kontoret\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "t.csv:4:1");
    assert_string_equal(err.msg,
                        "id \"m\"n\" is also on line 3 with different values");

    err_clear(&err);
    assert_int_equal(run_text(db,
                              "id,submitted_at,touchpoint\n"
                              "q2,2025-03-14T10:22:00Z,kontoret\n"
                              " q3 ,2025-03-14T10:22:00Z,kontoret\n"
                              "\"q3\",2025-03-14T10:22:00Z,webb_sok\n",
                              NULL, &n, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "t.csv:4:1");
    assert_string_equal(err.msg,
                        "id \"q3\" is also on line 3 with different values");
    assert_int_equal(db_counts(db).responses, 6);
}

#define SMALL_BATCH 16
#define N_CUSTOMERS 50

/* Imports customers k0..k49. */
static void load_customers(struct db *db)
{
    struct strbuf b = STRBUF_INIT;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    strbuf_puts(&b, "id,segment\n");
    for (int i = 0; i < N_CUSTOMERS; i++)
        strbuf_printf(&b, "k%d,s%d\n", i, i % 3);
    o.kind = IMPORT_CUSTOMERS;
    assert_int_equal(import_run(&n, db->s, b.p, b.n, "c.csv", &o, &err), 0);
    assert_int_equal(n.inserted, N_CUSTOMERS);
    strbuf_dispose(&b);
}

static const char big_header[] = "id,nps,submitted_at,touchpoint,customer,"
                                 "comment\n";

/* Appends response row i (on line i + 2 of a file starting with
 * big_header). nps is its second column, so it starts at column 8. */
static void big_row(struct strbuf *b, int i, const char *id, const char *nps,
                    const char *customer)
{
    static const char *const tps[] = {"kontoret", "webb_sok", "felanmalan_app"};
    char idbuf[16], nbuf[16], cbuf[16];
    if (!id) {
        snprintf(idbuf, sizeof idbuf, "r%05d", i);
        id = idbuf;
    }
    if (!nps) {
        snprintf(nbuf, sizeof nbuf, "%d", i % 11);
        nps = nbuf;
    }
    if (!customer) {
        snprintf(cbuf, sizeof cbuf, "k%d", i % N_CUSTOMERS);
        customer = cbuf;
    }
    strbuf_printf(b, "%s,%s,2025-03-%02dT10:%02d:00+01:00,%s,%s,svar %d\n", id,
                  nps, 1 + i % 28, i % 60, tps[i % 3], customer, i);
}

/* n good rows r00000... */
static void big_file(struct strbuf *b, int n)
{
    strbuf_puts(b, big_header);
    for (int i = 0; i < n; i++)
        big_row(b, i, NULL, NULL, NULL);
}

static int run_big(struct db *db, const struct strbuf *b, size_t batch_rows,
                   struct strbuf *rejects, struct import_counts *n,
                   struct err *err)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    o.batch_rows = batch_rows;
    if (rejects) {
        o.rejects = rejects_to_strbuf;
        o.rejects_ctx = rejects;
    }
    return import_run(n, db->s, b->p, b->n, "big.csv", &o, err);
}

static void test_import_many_batches_store_every_row_once(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    struct answer a[8];
    load_customers(db);
    big_file(&b, 1000);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), 0);
    assert_int_equal(n.read, 1000);
    assert_int_equal(n.inserted, 1000);
    assert_int_equal(n.present, 0);
    assert_int_equal(n.customers_created, 0);
    struct store_counts first = db_counts(db);
    assert_int_equal(first.responses, 1000);
    assert_int_equal(first.answers, 1000);
    struct response r = get_response(db, "r00999", a);
    assert_int_equal(r.nps, 999 % 11);
    assert_string_equal(answer(a, r.n_answers, "comment")->text, "svar 999");
    free_answers(a, r.n_answers);

    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), 0);
    assert_int_equal(n.inserted, 0);
    assert_int_equal(n.present, 1000);
    struct store_counts second = db_counts(db);
    assert_memory_equal(&first, &second, sizeof first);
    strbuf_dispose(&b);
}

static void test_import_bad_row_in_a_late_batch_changes_nothing(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    load_customers(db);
    struct store_counts before = db_counts(db);
    strbuf_puts(&b, big_header);
    for (int i = 0; i < 1000; i++)
        big_row(&b, i, NULL, i == 950 ? "11" : NULL, NULL);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), ERR_INVALID);
    assert_string_equal(err.where, "big.csv:952:8");
    assert_string_equal(err.msg, "nps must be 0..10, got \"11\"");
    assert_int_equal(n.read, 951);
    struct store_counts after = db_counts(db);
    assert_memory_equal(&before, &after, sizeof before);
    strbuf_dispose(&b);
}

static void test_import_duplicate_in_a_late_batch_names_the_line(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    load_customers(db);
    strbuf_puts(&b, big_header);
    for (int i = 0; i < 1000; i++)
        big_row(&b, i, i == 990 ? "r00003" : NULL, NULL, NULL);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), ERR_INVALID);
    assert_string_equal(err.where, "big.csv:992:1");
    assert_string_equal(
        err.msg, "id \"r00003\" is also on line 5 with different values");
    assert_int_equal(db_counts(db).responses, 0);
    strbuf_dispose(&b);
}

/* The default batch size too: a bad row in the third batch. */
static void test_import_bad_last_row_of_a_big_file_changes_nothing(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    load_customers(db);
    strbuf_puts(&b, big_header);
    for (int i = 0; i < 20000; i++)
        big_row(&b, i, NULL, i == 19999 ? "x" : NULL, NULL);
    assert_int_equal(run_big(db, &b, 0, NULL, &n, &err), ERR_INVALID);
    assert_string_equal(err.where, "big.csv:20001:8");
    assert_int_equal(n.read, 20000);
    assert_int_equal(db_counts(db).responses, 0);

    strbuf_reset(&b);
    big_file(&b, 20000);
    err_clear(&err);
    assert_int_equal(run_big(db, &b, 0, NULL, &n, &err), 0);
    assert_int_equal(n.inserted, 20000);
    assert_int_equal(db_counts(db).responses, 20000);
    strbuf_dispose(&b);
}

static void test_import_store_failure_in_any_batch_rolls_back(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    enum { N = 300 };
    load_customers(db);
    big_file(&b, N);
    struct store_counts before = db_counts(db);
    /* One write per row: every customer and channel exists. */
    for (long k = 1; k <= N + 1; k += k < 40 ? 1 : 13) {
        err_clear(&err);
        store_fail_after(db->s, k > N ? N : k);
        int rc = run_big(db, &b, SMALL_BATCH, NULL, &n, &err);
        store_fail_after(db->s, 0);
        assert_int_equal(rc, ERR_DB);
        assert_string_equal(err.msg, "injected failure");
        assert_true(n.inserted < N);
        struct store_counts after = db_counts(db);
        assert_memory_equal(&before, &after, sizeof before);
        if (k > N)
            break;
    }
    store_fail_after(db->s, N + 1);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), 0);
    store_fail_after(db->s, 0);
    assert_int_equal(n.inserted, N);
    assert_int_equal(db_counts(db).responses, N);
    strbuf_dispose(&b);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_import_skip_bad_across_batches_counts_exactly(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT, rej = STRBUF_INIT;
    int bad = 0;
    load_customers(db);
    strbuf_puts(&b, big_header);
    for (int i = 0; i < 1000; i++) {
        if (i % 97 == 5) { /* broken quoting: the reader rejects it */
            strbuf_printf(&b, "r%05d,1,\"2025\"x,kontoret,k1,-\n", i);
            bad++;
        } else {
            big_row(&b, i, NULL, i % 7 == 3 ? "11" : NULL, NULL);
            bad += i % 7 == 3;
        }
    }
    assert_int_equal(run_big(db, &b, SMALL_BATCH, &rej, &n, &err), 0);
    assert_int_equal(n.read, 1000);
    assert_int_equal(n.rejected, bad);
    assert_int_equal(n.inserted, 1000 - bad);
    assert_int_equal(n.present, 0);
    assert_int_equal(db_counts(db).responses, 1000 - bad);
    assert_int_equal(count_lines(strbuf_str(&rej)), bad + 1);
    assert_non_null(strstr(strbuf_str(&rej), "\n999,8,\"nps must be"));

    /* Again: the good rows are there now, the bad ones still bad. */
    strbuf_reset(&rej);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, &rej, &n, &err), 0);
    assert_int_equal(n.rejected, bad);
    assert_int_equal(n.inserted, 0);
    assert_int_equal(n.present, 1000 - bad);
    strbuf_dispose(&rej);
    strbuf_dispose(&b);
}

/* Rows 500..599 name new customers ny500, ny510, ...; row 777 names
 * ny500 again. */
static void file_with_new_customers(struct strbuf *b)
{
    strbuf_puts(b, big_header);
    for (int i = 0; i < 1000; i++) {
        char c[16];
        snprintf(c, sizeof c, "ny%d", i == 777 ? 500 : i);
        big_row(b, i, NULL, NULL,
                (i >= 500 && i < 600 && i % 10 == 0) || i == 777 ? c : NULL);
    }
}

static void test_import_unknown_customers_mid_file_are_created(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    struct answer a[8];
    load_customers(db);
    file_with_new_customers(&b);
    assert_int_equal(run_big(db, &b, SMALL_BATCH, NULL, &n, &err), 0);
    assert_int_equal(n.inserted, 1000);
    assert_int_equal(n.customers_created, 10);
    struct store_counts c = db_counts(db);
    assert_int_equal(c.customers, N_CUSTOMERS + 10);
    assert_int_equal(c.responses, 1000);
    struct response r500 = get_response(db, "r00500", a);
    free_answers(a, r500.n_answers);
    struct response r777 = get_response(db, "r00777", a);
    free_answers(a, r777.n_answers);
    struct response r501 = get_response(db, "r00501", a);
    free_answers(a, r501.n_answers);
    assert_true(r500.customer_id != 0);
    assert_int_equal(r777.customer_id, r500.customer_id);
    assert_true(r501.customer_id != r500.customer_id);
    strbuf_dispose(&b);
}

/* Around the first new customer the store is used from both threads in
 * turn; a failure at any of those writes still rolls everything back. */
static void test_import_store_failure_near_a_new_customer_rolls_back(void **s)
{
    struct db *db = *s;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    load_customers(db);
    file_with_new_customers(&b);
    struct store_counts before = db_counts(db);
    for (long k = 470; k < 530; k++) {
        err_clear(&err);
        store_fail_after(db->s, k);
        int rc = run_big(db, &b, SMALL_BATCH, NULL, &n, &err);
        store_fail_after(db->s, 0);
        assert_int_equal(rc, ERR_DB);
        assert_string_equal(err.msg, "injected failure");
        struct store_counts after = db_counts(db);
        assert_memory_equal(&before, &after, sizeof before);
    }
    strbuf_dispose(&b);
}

static void test_import_jsonl_many_batches(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct strbuf b = STRBUF_INIT;
    for (int i = 0; i < 500; i++)
        strbuf_printf(&b,
                      "{\"id\": \"j%05d\", \"submitted_at\": "
                      "\"2025-03-14T10:22:00Z\", \"touchpoint\": "
                      "\"kontoret\", \"nps\": %d, \"comment\": \"nr %d\"}\n",
                      i == 400 ? 10 : i, i % 11, i);
    o.format = IMPORT_JSONL;
    o.batch_rows = SMALL_BATCH;
    assert_int_equal(import_run(&n, db->s, b.p, b.n, "r.jsonl", &o, &err),
                     ERR_INVALID);
    assert_string_equal(err.where, "r.jsonl:401:8");
    assert_string_equal(
        err.msg, "id \"j00010\" is also on line 11 with different values");
    assert_int_equal(db_counts(db).responses, 0);

    strbuf_reset(&b);
    for (int i = 0; i < 500; i++)
        strbuf_printf(&b,
                      "{\"id\": \"j%05d\", \"submitted_at\": "
                      "\"2025-03-14T10:22:00Z\", \"touchpoint\": "
                      "\"kontoret\", \"nps\": %d, \"comment\": \"nr %d\"}\n",
                      i, i % 11, i);
    err_clear(&err);
    assert_int_equal(import_run(&n, db->s, b.p, b.n, "r.jsonl", &o, &err), 0);
    assert_int_equal(n.inserted, 500);
    assert_int_equal(db_counts(db).answers, 500);
    strbuf_dispose(&b);
}

static void test_import_format_is_guessed_from_the_name(void **state)
{
    (void)state;
    enum import_format f;
    struct err err = ERR_INIT;
    assert_int_equal(import_format_guess(&f, "a/b.NDJSON", &err), 0);
    assert_int_equal(f, IMPORT_JSONL);
    assert_int_equal(import_format_guess(&f, "svar.csv", &err), 0);
    assert_int_equal(f, IMPORT_CSV);
    assert_int_equal(import_format_guess(&f, "x.d/svar", &err), ERR_INVALID);
}

/* ---- text analysis on the way in ---- */

static const char pii_csv[] =
    "id,submitted_at,touchpoint,nps,language,comment,story:life,"
    "story_title:life\n"
    "p1,2025-03-14T10:22:00+01:00,kontoret,2,sv,"
    "\"Ring mig på 070-123 45 67, appen är usel och loggar ut mig hela "
    "tiden.\",,\n"
    "p2,2025-03-14T10:23:00+01:00,kontoret,9,en,"
    "Friendly staff!,\"Mail me at anna.karlsson@gmail.com\","
    "\"From anna.karlsson@gmail.com\"\n";

struct seen_analysis {
    int n, mentions, login;
    unsigned redactions;
    char labels[4][16];
};

static int on_analysis(void *ctx, int64_t id, const char *q,
                       const struct comment_analysis *a)
{
    struct seen_analysis *s = ctx;
    (void)id;
    (void)q;
    if (s->n < 4)
        snprintf(s->labels[s->n], sizeof s->labels[0], "%s", a->label);
    s->n++;
    s->mentions += a->n_mentions;
    s->redactions |= a->redactions;
    for (int i = 0; i < a->n_mentions; i++)
        s->login += !strcmp(a->mentions[i].theme, "digital/login");
    return 0;
}

static void test_import_stores_comments_redacted_and_analysed(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct answer a[8];
    assert_int_equal(run_text(db, pii_csv, NULL, &n, &err), 0);
    assert_int_equal(n.inserted, 2);
    assert_int_equal(n.analysed, 3); /* two comments and a story */
    assert_int_equal(n.redacted, 3); /* the story's title too */

    struct response r = get_response(db, "p1", a);
    const char *text = answer(a, r.n_answers, "comment")->text;
    assert_null(strstr(text, "070"));
    assert_non_null(strstr(text, "[telefon]"));
    assert_non_null(strstr(text, "loggar ut mig"));
    free_answers(a, r.n_answers);
    r = get_response(db, "p2", a);
    const struct answer *story = answer(a, r.n_answers, "life");
    assert_null(strstr(story->text, "karlsson"));
    assert_null(strstr(story->title, "karlsson"));
    free_answers(a, r.n_answers);

    struct seen_analysis seen;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(db->s, on_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.labels[0], "negative");
    assert_int_equal(seen.login, 1);
    assert_true(seen.mentions >= 3);       /* login, digital, staff */
    assert_int_equal(seen.redactions, 3u); /* e-mail and phone bits */
}

static void test_import_no_analysis_still_redacts(void **state)
{
    struct db *db = *state;
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    struct answer a[8];
    o.no_analysis = 1;
    assert_int_equal(
        import_run(&n, db->s, pii_csv, strlen(pii_csv), "t.csv", &o, &err), 0);
    assert_int_equal(n.redacted, 3);
    struct response r = get_response(db, "p1", a);
    assert_null(strstr(answer(a, r.n_answers, "comment")->text, "070"));
    free_answers(a, r.n_answers);
    struct seen_analysis seen;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(db->s, on_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 0);
}

static void test_import_uses_the_saved_taxonomy(void **state)
{
    struct db *db = *state;
    struct import_counts n;
    struct err err = ERR_INIT;
    const char *tsv = "parking\tsv\tParkering\tparkering*, garage*\n";
    const char *csv = "id,submitted_at,touchpoint,comment\n"
                      "g1,2025-03-14T10:22:00+01:00,kontoret,"
                      "Parkeringen är alltid full\n";
    assert_int_equal(
        store_put_taxonomy(db->s, "mine.tsv", tsv, strlen(tsv), 1, &err), 0);
    assert_int_equal(run_text(db, csv, NULL, &n, &err), 0);
    struct seen_analysis seen;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_scan_analyses(db->s, on_analysis, &seen, &err), 0);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.mentions, 1);
}

#define DB_TEST(t) cmocka_unit_test_setup_teardown(t, db_setup, db_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_import_bad_quoting_is_located_and_changes_nothing),
        DB_TEST(test_import_latin1_is_located_and_changes_nothing),
        DB_TEST(test_import_out_of_range_score_is_located),
        DB_TEST(test_import_unknown_touchpoint_is_located),
        DB_TEST(test_import_bad_date_is_located),
        DB_TEST(test_import_reads_local_times_with_tz_and_format),
        DB_TEST(test_import_time_errors_are_located),
        DB_TEST(test_import_duplicate_id_names_the_first_line),
        DB_TEST(test_import_truncated_file_is_located_at_open_quote),
        DB_TEST(test_import_responses_with_every_answer_kind),
        DB_TEST(test_import_excel_style_file_with_map),
        DB_TEST(test_import_twice_inserts_nothing_the_second_time),
        DB_TEST(test_import_skip_bad_writes_rejects_and_imports_the_rest),
        DB_TEST(test_import_skip_bad_goes_on_after_broken_quoting),
        DB_TEST(test_import_ids_differing_after_a_nul_do_not_collide),
        DB_TEST(test_import_jsonl_nul_and_escape_in_text_are_located),
        DB_TEST(test_import_jsonl_skip_bad_writes_the_record_text),
        DB_TEST(test_import_store_failure_at_any_write_changes_nothing),
        DB_TEST(test_import_customers_keep_attributes_typed),
        DB_TEST(test_import_customer_numbers_are_json_numbers),
        DB_TEST(test_import_events_without_id_are_idempotent),
        DB_TEST(test_import_same_event_twice_in_a_file_is_an_error),
        DB_TEST(test_import_jsonl_responses),
        DB_TEST(test_import_jsonl_missing_required_field_is_located),
        DB_TEST(test_import_unknown_column_lists_known_ones),
        DB_TEST(test_import_map_renames_and_ignores_columns),
        DB_TEST(test_import_missing_required_column_is_named),
        DB_TEST(test_import_decimal_comma_is_no_whole_number),
        DB_TEST(test_import_scores_and_answers_are_range_checked),
        DB_TEST(test_import_pairs_must_be_complete),
        DB_TEST(test_import_employee_respondent_creates_employee),
        DB_TEST(test_import_progress_reports_the_end),
        DB_TEST(test_import_quoted_ids_are_compared_unescaped),
        DB_TEST(test_import_many_batches_store_every_row_once),
        DB_TEST(test_import_bad_row_in_a_late_batch_changes_nothing),
        DB_TEST(test_import_duplicate_in_a_late_batch_names_the_line),
        DB_TEST(test_import_bad_last_row_of_a_big_file_changes_nothing),
        DB_TEST(test_import_store_failure_in_any_batch_rolls_back),
        DB_TEST(test_import_skip_bad_across_batches_counts_exactly),
        DB_TEST(test_import_unknown_customers_mid_file_are_created),
        DB_TEST(test_import_store_failure_near_a_new_customer_rolls_back),
        DB_TEST(test_import_jsonl_many_batches),
        DB_TEST(test_import_stores_comments_redacted_and_analysed),
        DB_TEST(test_import_no_analysis_still_redacts),
        DB_TEST(test_import_uses_the_saved_taxonomy),
        cmocka_unit_test(test_import_format_is_guessed_from_the_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
