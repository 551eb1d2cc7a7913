/* Journeys, touchpoints, customers and events through the API. Bulk
 * creates are imports of the body (JSON Lines, or CSV with Content-Type
 * text/csv) with the importer's checks and all-or-nothing: an error
 * names the line and column ("body:3:12"). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "ingest/import.h"
#include "ingest/journey_def.h"
#include "server/notifier.h"
#include "server/resident.h"
#include "server/server_int.h"
#include "store/store.h"

enum http_verdict h_journeys_get(struct call *c)
{
    struct store *st = srv_reader(c);
    struct journey_def *d;
    struct err err = ERR_INIT;
    if (!st)
        return HTTP_DONE;
    if (journey_def_read(&d, st, &err) < 0)
        return srv_fail(c, &err);
    char *json = journey_def_to_json(d);
    journey_def_free(d);
    return srv_send(c, 200, "application/json", json, strlen(json));
}

enum http_verdict h_journeys_put(struct call *c)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    struct journey_def *d;
    struct err err = ERR_INIT;
    if (journey_def_parse(&d, body, len, "body", &err) < 0)
        return srv_fail(c, &err);
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = journey_def_save(d, c->srv->admin, &err);
    if (rc == 0)
        rc = srv_lookup_load(c->srv, c->srv->admin, &err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    journey_def_free(d);
    if (rc < 0)
        return srv_fail(c, &err);
    resident_notify(c->srv->res);
    notifier_poke(c->srv->notifier); /* new responses meet the rules */
    srv_audit(c, "journeys.load", "journeys", NULL);
    return h_journeys_get(c);
}

static int on_tp(void *ctx, const struct journey *j, const struct stage *st,
                 const struct touchpoint *t)
{
    json_array_append_new(
        ctx, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b}", "key",
                       t->key, "name", t->name ? t->name : t->key, "journey",
                       j->key, "stage", st->key, "channel", t->channel, "owner",
                       t->owner_team, "moment_of_truth", t->moment_of_truth,
                       "physical", t->physical));
    return 0;
}

enum http_verdict h_touchpoints_get(struct call *c)
{
    struct store *st = srv_reader(c);
    struct err err = ERR_INIT;
    if (!st)
        return HTTP_DONE;
    json_t *a = json_array();
    if (store_list_touchpoints(st, on_tp, a, &err) < 0) {
        json_decref(a);
        return srv_fail(c, &err);
    }
    return srv_json(c, 200, json_pack("{s:o}", "touchpoints", a));
}

/* Imports the body as kind; answers the counts. */
static enum http_verdict import_body(struct call *c, enum import_kind kind)
{
    size_t len;
    const char *body = http_body(c->req, &len);
    const char *ct = http_header(c->req, "Content-Type");
    struct import_opts o = IMPORT_OPTS_INIT;
    struct import_counts n;
    struct err err = ERR_INIT;
    o.kind = kind;
    o.format = ct && !strncmp(ct, "text/csv", 8) ? IMPORT_CSV : IMPORT_JSONL;
    o.threads = 1;
    o.themes = c->srv->themes;
    pthread_mutex_lock(&c->srv->admin_mu);
    int rc = import_run(&n, c->srv->admin, body, len, "body", &o, &err);
    store_read_end(c->srv->admin);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (rc < 0)
        return srv_fail(c, &err);
    resident_notify(c->srv->res);
    notifier_poke(c->srv->notifier); /* new responses meet the rules */
    srv_audit(c,
              kind == IMPORT_RESPONSES   ? "responses.import"
              : kind == IMPORT_CUSTOMERS ? "customers.import"
                                         : "events.import",
              "body", NULL);
    return srv_json(
        c, n.inserted ? 201 : 200,
        json_pack("{s:I, s:I, s:I, s:I}", "read", (json_int_t)n.read,
                  "inserted", (json_int_t)n.inserted, "already_present",
                  (json_int_t)n.present, "redacted", (json_int_t)n.redacted));
}

enum http_verdict h_responses_create(struct call *c)
{
    return import_body(c, IMPORT_RESPONSES);
}

enum http_verdict h_customers_create(struct call *c)
{
    return import_body(c, IMPORT_CUSTOMERS);
}

enum http_verdict h_events_create(struct call *c)
{
    return import_body(c, IMPORT_EVENTS);
}

/* DELETE /api/customers/{id}: the CLI's `customer erase`, audited as the
 * caller; the column store reloads without them. */
enum http_verdict h_customer_erase(struct call *c)
{
    char id[256];
    if (srv_param(c, "id", id, sizeof id) < 0)
        return HTTP_DONE;
    char a0[] = "customer", a1[] = "erase", a3[] = "--yes";
    char *argv[] = {a0, a1, id, a3, NULL};
    pthread_mutex_lock(&c->srv->admin_mu);
    enum http_verdict v = srv_run_cli(c, 4, argv, 0, 404);
    pthread_mutex_unlock(&c->srv->admin_mu);
    if (c->resp->status == 200) {
        resident_notify(c->srv->res);
        json_t *o = json_pack("{s:s, s:s#}", "erased", id, "detail",
                              c->resp->body, (int)c->resp->len);
        return srv_json(c, 200, o);
    }
    return v;
}
