/* What rows refer to, resolved to store ids: touchpoints (loaded before
 * the rows), channels, customers and employees (created when new). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "ingest/import_int.h"
#include "ingest/namefold.h"
#include "store/store.h"

/* Folds p[0..n) into m->fold. */
static void fold(struct imp *m, const char *p, size_t n)
{
    strbuf_reset(&m->fold);
    namefold_append(&m->fold, p, n);
}

static const char *folded(const struct imp *m)
{
    return m->fold.p ? m->fold.p : "";
}

/* Notes that the folded text in m->fold names touchpoint i. */
static void add_tp_name(struct imp *m, size_t i)
{
    int64_t v, me = (int64_t)i + 1;
    if (!strmap_get(m->tp_names, folded(m), m->fold.n, &v)) {
        strmap_put(m->tp_names, folded(m), m->fold.n, me);
        return;
    }
    int64_t a = v & 0xffffffff, b = v >> 32;
    if (a == me || b == me || b != 0)
        return;
    strmap_put(m->tp_names, folded(m), m->fold.n, a | me << 32);
}

static int on_touchpoint(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct imp *m = ctx;
    (void)j;
    (void)st;
    m->tps = xgrow(m->tps, &m->tps_cap, m->ntps + 1, sizeof *m->tps);
    m->tps[m->ntps].id = t->id;
    m->tps[m->ntps].key = xstrdup(t->key);
    m->tps[m->ntps].channel = xstrdup(t->channel ? t->channel : "");
    m->tps[m->ntps].channel_id = 0;
    strmap_put(m->tp_keys, t->key, strlen(t->key), (int64_t)m->ntps);
    fold(m, t->key, strlen(t->key));
    add_tp_name(m, m->ntps);
    if (t->name) {
        fold(m, t->name, strlen(t->name));
        add_tp_name(m, m->ntps);
    }
    for (int a = 0; a < t->n_aliases; a++) {
        fold(m, t->aliases[a], strlen(t->aliases[a]));
        add_tp_name(m, m->ntps);
    }
    m->ntps++;
    return 0;
}

/* Channels are listed oldest first: of two keys that differ only in case
 * ("SMS" and "sms", from older imports), the first stored one wins. */
static int on_channel(void *ctx, const struct channel *c)
{
    struct imp *m = ctx;
    strmap_put(m->channels, c->key, strlen(c->key), c->id);
    fold(m, c->key, strlen(c->key));
    strmap_add(m->chan_folded, folded(m), m->fold.n, c->id, NULL);
    return 0;
}

static int on_customer(void *ctx, const struct customer *c)
{
    struct imp *m = ctx;
    strmap_put(m->customers, c->ext_id, strlen(c->ext_id), c->id);
    return 0;
}

static int on_employee(void *ctx, const struct employee *e)
{
    struct imp *m = ctx;
    strmap_put(m->employees, e->ext_id, strlen(e->ext_id), e->id);
    return 0;
}

int lookup_channel(struct imp *m, const char *key, size_t n, int64_t *id,
                   struct err *err)
{
    int rc;
    if (strmap_get(m->channels, key, n, id))
        return 0;
    fold(m, key, n);
    if (strmap_get(m->chan_folded, folded(m), m->fold.n, id)) {
        strmap_put(m->channels, key, n, *id); /* "Web" is "web" from now */
        return 0;
    }
    if ((rc = pipe_drain(&m->pipe, err)) < 0)
        return rc;
    char *k = xstrndup(key, n);
    struct channel c = {0, k};
    if ((rc = store_put_channel(m->s, &c, err)) == 0) {
        strmap_put(m->channels, key, n, c.id);
        fold(m, key, n);
        strmap_add(m->chan_folded, folded(m), m->fold.n, c.id, NULL);
        *id = c.id;
    }
    free(k);
    return rc;
}

int lookup_customer(struct imp *m, const char *ext, size_t n, int64_t *id,
                    struct err *err)
{
    int rc, inserted;
    if (strmap_get(m->customers, ext, n, id))
        return 0;
    struct customer c = {0, ext, NULL, NULL};
    if ((rc = pipe_drain(&m->pipe, err)) < 0 ||
        (rc = store_put_customer(m->s, &c, &inserted, err)) < 0)
        return rc;
    m->n->customers_created += inserted;
    strmap_put(m->customers, ext, n, c.id);
    *id = c.id;
    return 0;
}

int lookup_employee(struct imp *m, const char *ext, size_t n, int64_t *id,
                    struct err *err)
{
    int rc, inserted;
    if (strmap_get(m->employees, ext, n, id))
        return 0;
    struct employee e = {0, ext, NULL, NULL};
    if ((rc = pipe_drain(&m->pipe, err)) < 0 ||
        (rc = store_put_employee(m->s, &e, &inserted, err)) < 0)
        return rc;
    strmap_put(m->employees, ext, n, e.id);
    *id = e.id;
    return 0;
}

int lookup_touchpoint(struct imp *m, const struct rec_field *f, size_t *idx,
                      struct err *err)
{
    int64_t i, v;
    /* A key given exactly means its touchpoint even if another one goes
     * by that name: files that worked before names were matched still
     * do. Values resolved once are cached as given. */
    if (strmap_get(m->tp_keys, f->p, f->n, &i) ||
        strmap_get(m->tp_seen, f->p, f->n, &i)) {
        *idx = (size_t)i;
        return 0;
    }
    fold(m, f->p, f->n);
    if (strmap_get(m->tp_names, folded(m), m->fold.n, &v)) {
        int64_t a = v & 0xffffffff, b = v >> 32;
        if (b)
            return import_bad(m, f, err,
                              "touchpoint \"%.*s\" is ambiguous: it names "
                              "both %s and %s (by key, name or alias)",
                              recfield_shown(f->p, f->n), f->p,
                              m->tps[a - 1].key, m->tps[b - 1].key);
        *idx = (size_t)(a - 1);
        strmap_put(m->tp_seen, f->p, f->n, a - 1);
        return 0;
    }
    if (m->ntps == 0)
        return import_bad(
            m, f, err,
            "unknown touchpoint \"%.*s\" (no touchpoints yet: run "
            "'resonans journey load' first)",
            recfield_shown(f->p, f->n), f->p);
    char list[120];
    size_t used = 0;
    list[0] = 0;
    for (size_t k = 0; k < m->ntps && k < strmap_count(m->tp_keys); k++) {
        size_t kn;
        const char *key = strmap_key(m->tp_keys, k, &kn);
        if (used + kn + 6 >= sizeof list) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%.*s",
                                 k ? ", " : "", (int)kn, key);
    }
    return import_bad(m, f, err, "unknown touchpoint \"%.*s\" (known: %s)",
                      recfield_shown(f->p, f->n), f->p, list);
}

int lookup_activity_touchpoint(struct imp *m, const char *p, size_t n,
                               size_t *idx)
{
    int64_t i, v;
    if (strmap_get(m->tp_keys, p, n, &i)) {
        *idx = (size_t)i;
        return 1;
    }
    fold(m, p, n);
    if (strmap_get(m->tp_names, folded(m), m->fold.n, &v) && !(v >> 32)) {
        *idx = (size_t)((v & 0xffffffff) - 1);
        return 1;
    }
    return 0;
}

void lookup_init(struct imp *m)
{
    m->tp_keys = strmap_new();
    m->tp_names = strmap_new();
    m->tp_seen = strmap_new();
    m->channels = strmap_new();
    m->chan_folded = strmap_new();
    m->customers = strmap_new();
    m->employees = strmap_new();
    strbuf_init(&m->fold, 0);
}

void lookup_dispose(struct imp *m)
{
    for (size_t i = 0; i < m->ntps; i++) {
        free(m->tps[i].key);
        free(m->tps[i].channel);
    }
    free(m->tps);
    m->tps = NULL;
    m->ntps = 0;
    strmap_free(m->tp_keys);
    strmap_free(m->tp_names);
    strmap_free(m->tp_seen);
    strmap_free(m->channels);
    strmap_free(m->chan_folded);
    strmap_free(m->customers);
    strmap_free(m->employees);
    strbuf_dispose(&m->fold);
}

int lookup_load(struct imp *m, struct err *err)
{
    int rc = 0;
    if (m->kind == K_CUST)
        return 0;
    if ((rc = store_list_touchpoints(m->s, on_touchpoint, m, err)) < 0 ||
        (rc = store_list_channels(m->s, on_channel, m, err)) < 0 ||
        (rc = store_scan_customers(m->s, on_customer, m, err)) < 0)
        return rc;
    if (m->kind == K_RESP)
        rc = store_scan_employees(m->s, on_employee, m, err);
    return rc;
}
