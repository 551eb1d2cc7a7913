/* Fuzz target: the whole way a survey answer travels, file to figure.
 * The input is a responses CSV. It is imported with import_run (what
 * `resonans import responses` calls) into a fresh SQLite database file
 * that holds a fixed journey and a few customers; when the importer
 * accepts it, the column store is loaded from that database
 * (colstore_load), NPS, CSAT and CES are counted by touchpoint and month
 * (metrics_run, as `resonans metrics --by touchpoint,month` builds it)
 * and the result is rendered as CSV.
 *
 * Checked: whatever the importer accepts must load, query and render
 * without error, and the figures account for every stored response. A
 * rejected import changes nothing. Anything else aborts.
 *
 * Under libFuzzer pass -detect_leaks=0: otherwise its leak check runs
 * after nearly every input over a heap of ~400 MB, and the target runs
 * tens of times slower. The replay in `make test` checks for leaks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colstore/colstore.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "query/prepare.h"
#include "report/metrics_report.h"
#include "report/result.h"
#include "stats/metrics.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two stages, three touchpoints on two channels, one with aliases. */
static const char journey[] =
    "{\"journeys\": [{\"key\": \"hyra\", \"name\": \"Hyra\", \"lifecycle\": "
    "\"use\", \"stages\": [{\"key\": \"boende\", \"name\": \"Boende\", "
    "\"touchpoints\": [{\"key\": \"felanmalan_app\", \"name\": \"Felanmälan "
    "i appen\", \"channel\": \"app\", \"aliases\": [\"Appen\"]}, {\"key\": "
    "\"tel\", \"name\": \"Telefon\", \"channel\": \"phone\"}]}, {\"key\": "
    "\"flytt\", \"name\": \"Flytta ut\", \"touchpoints\": [{\"key\": "
    "\"kontoret\", \"name\": \"Besök på kontoret\", \"channel\": "
    "\"office\"}]}]}]}";

/* Customers the responses may name (others are created bare). */
static const char customers[] = "id,segment,rooms\n"
                                "k1,Student,1\n"
                                "k2,Senior,3\n"
                                "k3,,2\n";

static void check(int ok)
{
    if (!ok)
        abort();
}

static int64_t stored_responses(struct store *s)
{
    struct store_counts c;
    struct err err = ERR_INIT;
    memset(&c, 0, sizeof c);
    check(store_count(s, &c, &err) == 0);
    return c.responses;
}

struct prep {
    struct colstore *cs;
    struct store *s;
    struct err *err;
};

static int prep_one(void *ctx, const struct field *f)
{
    struct prep *p = ctx;
    return query_prepare_field(p->cs, p->s, f, FIELD_RESPONSES, p->err);
}

/* colstore_load, then the query and its rendering, as metrics_cli_run
 * does them. */
static void load_and_query(struct store *s, int64_t responses)
{
    struct colstore *cs = NULL;
    struct metrics_query q;
    struct metrics_result *res = NULL;
    struct result *out = NULL;
    struct strbuf b = STRBUF_INIT;
    struct err err = ERR_INIT;
    struct prep p;
    int64_t n = 0;

    metrics_query_init(&q, FIELD_RESPONSES);
    check(metrics_query_by(&q, "touchpoint,month", &err) == 0);
    check(metrics_query_metrics(&q, "nps,csat,ces", &err) == 0);
    if (colstore_load(&cs, s, &err) < 0) {
        fprintf(stderr, "chain_fuzz: colstore_load: %s\n", err.msg);
        abort();
    }
    check(colstore_rows(cs) == (size_t)responses);
    p.cs = cs;
    p.s = s;
    p.err = &err;
    check(metrics_query_fields(&q, prep_one, &p) == 0);
    if (metrics_run(&res, cs, &q, &err) < 0) {
        fprintf(stderr, "chain_fuzz: metrics_run: %s\n", err.msg);
        abort();
    }
    /* every stored response is in exactly one touchpoint-month */
    for (size_t i = 0; i < res->n_cells; i++)
        n += res->cells[i].n;
    check(res->rows == responses && n == responses);
    out = metrics_report_build(res);
    check(result_render(&b, out, RESULT_FORMAT_CSV, &err) == 0);
    check(b.n > 0);
    strbuf_dispose(&b);
    result_free(out);
    metrics_result_free(res);
    colstore_free(cs);
    metrics_query_dispose(&q);
}

/* A database file in a directory of its own, removed afterwards: the
 * CLI's path (WAL, the bulk load's journal switch), not :memory:. It goes
 * in $TMPDIR, else /dev/shm, else /tmp: the store syncs every commit, and
 * on a disk that costs a third of a second an input. */
struct tmpdb {
    char dir[512];
    char path[600];
};

static void tmpdb_make(struct tmpdb *t)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(t->dir, sizeof t->dir, "%s/chain_fuzz.XXXXXX", base);
    check(mkdtemp(t->dir) != NULL);
    snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[640];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct store *s = NULL;
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    struct tmpdb t;
    int64_t before;
    /* a copy of exactly the input's bytes, so ASan sees any over-read */
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);

    tmpdb_make(&t);
    check(store_open(&s, t.path, &err) == 0);
    check(journey_def_parse(&d, journey, sizeof journey - 1, "j", &err) == 0);
    check(journey_def_save(d, s, &err) == 0);
    o.kind = IMPORT_CUSTOMERS;
    check(import_run(&n, s, customers, sizeof customers - 1, "customers.csv",
                     &o, &err) == 0);
    o.kind = IMPORT_RESPONSES;
    before = stored_responses(s);
    err_clear(&err);
    if (import_run(&n, s, buf, size, "responses.csv", &o, &err) < 0) {
        /* rejected: fine, as long as nothing changed and it says why */
        check(err.code < 0 && (err.msg[0] || err.where[0]));
        check(stored_responses(s) == before);
    } else {
        check(stored_responses(s) == before + n.inserted);
        load_and_query(s, before + n.inserted);
    }
    journey_def_free(d);
    store_free(s);
    tmpdb_remove(&t);
    free(buf);
    return 0;
}
