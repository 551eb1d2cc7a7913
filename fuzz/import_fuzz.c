/* Fuzz target: the whole importer (import_run) on an in-memory store
 * with a small journey loaded. The input's first line chooses options,
 * the rest is the file:
 *
 *   responses|customers|events  the kind (default responses)
 *   jsonl                       JSON Lines (default CSV)
 *   skip                        --skip-bad, rejects thrown away
 *   update                      customers: import once, then --update
 *   batch                       batches of 3 rows, so the writer thread
 *                               runs
 *   set=NAME=VALUE,...  na=V,...  map=FROM=TO,...
 *   tz=ZONE  fmt=PATTERN (a '_' in the pattern is a space)
 *
 * Checked: a failed import changes nothing and says where; a successful
 * one accounts for every row read exactly once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char journey[] =
    "{\"journeys\": [{\"key\": \"hyra\", \"name\": \"Hyra\", \"lifecycle\": "
    "\"use\", \"stages\": [{\"key\": \"boende\", \"name\": \"Boende\", "
    "\"touchpoints\": [{\"key\": \"felanmalan_app\", \"name\": \"Felanmälan "
    "i appen\", \"channel\": \"app\", \"aliases\": [\"Felanmälan app\", "
    "\"Appen\"]}, {\"key\": \"kontoret\", \"name\": \"Besök på kontoret\", "
    "\"channel\": \"office\"}, {\"key\": \"tel\", \"name\": \"Telefon\", "
    "\"channel\": \"phone\"}, {\"key\": \"tel2\", \"name\": \"Telefon\", "
    "\"channel\": \"phone\"}]}]}]}";

static int discard(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 0;
}

static int same_counts(const struct store_counts *a,
                       const struct store_counts *b)
{
    return !memcmp(a, b, sizeof *a);
}

static struct store_counts counts(struct store *s)
{
    struct store_counts c;
    struct err err = ERR_INIT;
    memset(&c, 0, sizeof c);
    if (store_count(s, &c, &err) < 0)
        abort();
    return c;
}

/* One import with the invariants checked. */
static void run(struct store *s, const char *buf, size_t len,
                const struct import_opts *o)
{
    struct import_counts n;
    struct err err = ERR_INIT;
    struct store_counts before = counts(s);
    int rc = import_run(&n, s, buf, len, "fuzz", o, &err);
    if (rc < 0) {
        struct store_counts after = counts(s);
        if (!same_counts(&before, &after))
            abort(); /* a failed import changed something */
        if (err.code != rc || (!err.msg[0] && !err.where[0]))
            abort();
        return;
    }
    if (n.inserted + n.present + n.repeated + n.rejected + n.updated +
            n.unchanged !=
        n.read)
        abort();
    if (!o->rejects && n.rejected)
        abort();
}

/* The options line: words separated by spaces. */
static void parse_opts(char *line, struct import_opts *o, int *update)
{
    for (char *w = strtok(line, " "); w; w = strtok(NULL, " ")) {
        if (!strcmp(w, "customers"))
            o->kind = IMPORT_CUSTOMERS;
        else if (!strcmp(w, "events"))
            o->kind = IMPORT_EVENTS;
        else if (!strcmp(w, "jsonl"))
            o->format = IMPORT_JSONL;
        else if (!strcmp(w, "skip"))
            o->rejects = discard;
        else if (!strcmp(w, "update"))
            *update = 1;
        else if (!strcmp(w, "batch"))
            o->batch_rows = 3;
        else if (!strncmp(w, "set=", 4))
            o->set = w + 4;
        else if (!strncmp(w, "na=", 3))
            o->na = w + 3;
        else if (!strncmp(w, "map=", 4))
            o->map = w + 4;
        else if (!strncmp(w, "tz=", 3))
            o->tz = w + 3;
        else if (!strncmp(w, "fmt=", 4)) {
            for (char *c = w + 4; *c; c++)
                *c = *c == '_' ? ' ' : *c;
            o->time_format = w + 4;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_opts o = IMPORT_OPTS_INIT;
    struct store *s = NULL;
    struct journey_def *d = NULL;
    struct err err = ERR_INIT;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : 0;
    int update = 0;
    if (head > 512)
        return 0;
    char line[513];
    memcpy(line, data, head);
    line[head] = 0;
    parse_opts(line, &o, &update);
    /* the file: a copy of exactly its bytes, so ASan sees any over-read */
    size_t len = nl ? size - head - 1 : size;
    char *buf = malloc(len ? len : 1);
    if (len)
        memcpy(buf, nl ? (const char *)nl + 1 : (const char *)data, len);

    if (store_open(&s, ":memory:", &err) < 0 ||
        journey_def_parse(&d, journey, sizeof journey - 1, "j", &err) < 0 ||
        journey_def_save(d, s, &err) < 0)
        abort();
    run(s, buf, len, &o);
    if (update && o.kind == IMPORT_CUSTOMERS) {
        o.update = 1;
        o.as_of = "2025-03-01";
        run(s, buf, len, &o); /* known customers now: the update path */
        o.as_of = "2025-02-01T12:00:00+01:00";
        run(s, buf, len, &o); /* back-dated where a segment changes */
    }
    journey_def_free(d);
    store_free(s);
    free(buf);
    return 0;
}
