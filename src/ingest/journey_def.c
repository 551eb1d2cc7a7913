#include "ingest/journey_def.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "ingest/namefold.h"
#include "store/store.h"

#define MAX_KEY 255
#define MAX_NAME 1000

/* Parse state: the file name and the JSON path being read. */
struct ctx {
    const char *path;
    struct strbuf jpath;
    struct strmap *tp_keys; /* touchpoint keys across the file -> 0 */
};

static int fail(struct ctx *c, struct err *err, const char *what)
{
    return err_at(err, ERR_INVALID, c->path, 0, 0, "%s: %s",
                  c->jpath.n ? strbuf_str(&c->jpath) : "(top level)", what);
}

/* Appends ".name" or "[i]" to the path; returns the old length. */
static size_t push_name(struct ctx *c, const char *name)
{
    size_t old = c->jpath.n;
    if (old)
        strbuf_putc(&c->jpath, '.');
    strbuf_puts(&c->jpath, name);
    return old;
}

static size_t push_index(struct ctx *c, size_t i)
{
    size_t old = c->jpath.n;
    strbuf_printf(&c->jpath, "[%zu]", i);
    return old;
}

static void pop(struct ctx *c, size_t old)
{
    c->jpath.n = old;
    if (c->jpath.p)
        c->jpath.p[old] = 0;
}

/* Every key of obj must be one of allowed. */
static int only_keys(struct ctx *c, json_t *obj, const char *const *allowed,
                     struct err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcmp(key, *a);
        if (!ok) {
            char msg[200];
            size_t old = push_name(c, key);
            strcpy(msg, "unknown field; known: ");
            for (const char *const *a = allowed; *a; a++) {
                strncat(msg, *a, sizeof msg - strlen(msg) - 3);
                if (a[1])
                    strncat(msg, ", ", sizeof msg - strlen(msg) - 1);
            }
            int rc = fail(c, err, msg);
            pop(c, old);
            return rc;
        }
    }
    return 0;
}

static int valid_key(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > MAX_KEY)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= ' ' || ch == ',' || ch == '"' || ch == 0x7f)
            return 0;
    }
    return 1;
}

/* A string field: required or optional (then *out stays NULL). Keys get
 * the stricter key check. */
static int get_str(struct ctx *c, json_t *obj, const char *name, int required,
                   int is_key, char **out, struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push_name(c, name);
    int rc = 0;
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            rc = fail(c, err, "missing");
    } else if (!json_is_string(v)) {
        rc = fail(c, err, "must be a string");
    } else if (is_key && !valid_key(json_string_value(v))) {
        rc = fail(c, err,
                  "a key must be 1..255 characters without spaces, commas "
                  "or quotes");
    } else if (json_string_length(v) == 0 && required) {
        rc = fail(c, err, "must not be empty");
    } else if (json_string_length(v) > MAX_NAME) {
        rc = fail(c, err, "too long");
    } else {
        *out = xstrdup(json_string_value(v));
    }
    pop(c, old);
    return rc;
}

static int get_bool(struct ctx *c, json_t *obj, const char *name, int *out,
                    struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push_name(c, name);
    int rc = 0;
    *out = 0;
    if (v && !json_is_null(v)) {
        if (json_is_boolean(v))
            *out = json_is_true(v);
        else
            rc = fail(c, err, "must be true or false");
    }
    pop(c, old);
    return rc;
}

/* The array field name of obj (required, may be empty). */
static int get_array(struct ctx *c, json_t *obj, const char *name, json_t **out,
                     struct err *err)
{
    json_t *v = json_object_get(obj, name);
    size_t old = push_name(c, name);
    int rc = 0;
    *out = v;
    if (!v)
        rc = fail(c, err, "missing");
    else if (!json_is_array(v))
        rc = fail(c, err, "must be an array");
    pop(c, old);
    return rc;
}

/* "aliases": optional, an array of non-empty strings of at most MAX_KEY
 * bytes. Whether they clash with other touchpoints is checked once the
 * whole file is read (check_aliases). */
static int get_aliases(struct ctx *c, json_t *obj,
                       struct journey_def_touchpoint *t, struct err *err)
{
    json_t *arr = json_object_get(obj, "aliases");
    size_t old = push_name(c, "aliases");
    int rc = 0;
    if (!arr || json_is_null(arr))
        goto done;
    if (!json_is_array(arr)) {
        rc = fail(c, err, "must be an array of strings");
        goto done;
    }
    t->aliases = xcalloc(json_array_size(arr) + 1, sizeof *t->aliases);
    for (size_t i = 0; i < json_array_size(arr) && rc == 0; i++) {
        json_t *v = json_array_get(arr, i);
        size_t o2 = push_index(c, i);
        if (!json_is_string(v))
            rc = fail(c, err, "must be a string");
        else if (json_string_length(v) == 0)
            rc = fail(c, err, "must not be empty");
        else if (json_string_length(v) > MAX_KEY)
            rc = fail(c, err, "too long (at most 255 bytes)");
        else
            t->aliases[t->n_aliases++] =
                xstrndup(json_string_value(v), json_string_length(v));
        pop(c, o2);
    }
done:
    pop(c, old);
    return rc;
}

static int parse_touchpoint(struct ctx *c, json_t *o,
                            struct journey_def_touchpoint *t, struct err *err)
{
    static const char *const allowed[] = {
        "key",      "name",    "channel", "owner", "moment_of_truth",
        "physical", "aliases", NULL};
    int rc;
    if (!json_is_object(o))
        return fail(c, err, "must be an object");
    if ((rc = only_keys(c, o, allowed, err)) < 0 ||
        (rc = get_str(c, o, "key", 1, 1, &t->key, err)) < 0 ||
        (rc = get_str(c, o, "name", 1, 0, &t->name, err)) < 0 ||
        (rc = get_str(c, o, "channel", 1, 1, &t->channel, err)) < 0 ||
        (rc = get_str(c, o, "owner", 0, 0, &t->owner, err)) < 0 ||
        (rc = get_bool(c, o, "moment_of_truth", &t->moment_of_truth, err)) <
            0 ||
        (rc = get_bool(c, o, "physical", &t->physical, err)) < 0 ||
        (rc = get_aliases(c, o, t, err)) < 0)
        return rc;
    if (!strmap_add(c->tp_keys, t->key, strlen(t->key), 0, NULL)) {
        size_t old = push_name(c, "key");
        rc = fail(c, err,
                  "touchpoint key is used twice (keys are unique across "
                  "journeys)");
        pop(c, old);
    }
    return rc;
}

static int parse_stage(struct ctx *c, json_t *o, struct journey_def_stage *st,
                       struct err *err)
{
    static const char *const allowed[] = {"key", "name", "touchpoints", NULL};
    json_t *arr;
    int rc;
    if (!json_is_object(o))
        return fail(c, err, "must be an object");
    if ((rc = only_keys(c, o, allowed, err)) < 0 ||
        (rc = get_str(c, o, "key", 1, 1, &st->key, err)) < 0 ||
        (rc = get_str(c, o, "name", 1, 0, &st->name, err)) < 0 ||
        (rc = get_array(c, o, "touchpoints", &arr, err)) < 0)
        return rc;
    size_t n = json_array_size(arr);
    st->touchpoints = xcalloc(n, sizeof *st->touchpoints);
    size_t old = push_name(c, "touchpoints");
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t o2 = push_index(c, i);
        st->n_touchpoints = i + 1;
        rc = parse_touchpoint(c, json_array_get(arr, i), &st->touchpoints[i],
                              err);
        pop(c, o2);
    }
    pop(c, old);
    return rc;
}

static int parse_journey(struct ctx *c, json_t *o,
                         struct journey_def_journey *j, struct err *err)
{
    static const char *const allowed[] = {"key", "name", "lifecycle", "stages",
                                          NULL};
    json_t *arr;
    char *lc = NULL;
    int rc;
    if (!json_is_object(o))
        return fail(c, err, "must be an object");
    if ((rc = only_keys(c, o, allowed, err)) < 0 ||
        (rc = get_str(c, o, "key", 1, 1, &j->key, err)) < 0 ||
        (rc = get_str(c, o, "name", 1, 0, &j->name, err)) < 0 ||
        (rc = get_str(c, o, "lifecycle", 1, 0, &lc, err)) < 0)
        goto done;
    if (lifecycle_parse(&j->lifecycle, lc) < 0) {
        size_t old = push_name(c, "lifecycle");
        rc = fail(c, err, "must be attract, onboard, use, renew or leave");
        pop(c, old);
        goto done;
    }
    if ((rc = get_array(c, o, "stages", &arr, err)) < 0)
        goto done;
    size_t n = json_array_size(arr);
    j->stages = xcalloc(n, sizeof *j->stages);
    size_t old = push_name(c, "stages");
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t o2 = push_index(c, i);
        j->n_stages = i + 1;
        rc = parse_stage(c, json_array_get(arr, i), &j->stages[i], err);
        for (size_t k = 0; k < i && rc == 0; k++)
            if (!strcmp(j->stages[k].key, j->stages[i].key)) {
                size_t o3 = push_name(c, "key");
                rc = fail(c, err, "stage key is used twice in this journey");
                pop(c, o3);
            }
        pop(c, o2);
    }
    pop(c, old);
done:
    free(lc);
    return rc;
}

/* A folded key, name or alias and the touchpoint it belongs to; names
 * with the same folded text are chained. */
struct name_entry {
    size_t tp;        /* index in file order */
    const char *what; /* "key", "name" or "alias" */
    const char *key;  /* that touchpoint's key */
    long next;        /* next entry with the same text, -1 at the end */
};

struct names {
    struct strmap *first; /* folded text -> index of its first entry */
    struct name_entry *v;
    size_t n, cap;
    struct strbuf fold;
};

/* The entry index of another touchpoint than tp under this folded text
 * (in fold), or -1. */
static long names_other(const struct names *ns, size_t tp)
{
    int64_t i;
    if (!strmap_get(ns->first, ns->fold.p ? ns->fold.p : "", ns->fold.n, &i))
        return -1;
    for (long k = (long)i; k >= 0; k = ns->v[k].next)
        if (ns->v[k].tp != tp)
            return k;
    return -1;
}

/* Adds the folded text in fold for touchpoint tp. */
static void names_add(struct names *ns, size_t tp, const char *what,
                      const char *key)
{
    int64_t first;
    long at = (long)ns->n;
    ns->v = xgrow(ns->v, &ns->cap, ns->n + 1, sizeof *ns->v);
    ns->v[at] = (struct name_entry){tp, what, key, -1};
    ns->n++;
    if (!strmap_add(ns->first, ns->fold.p ? ns->fold.p : "", ns->fold.n, at,
                    &first)) {
        long k = (long)first;
        while (ns->v[k].next >= 0)
            k = ns->v[k].next;
        ns->v[k].next = at;
    }
}

static void names_fold(struct names *ns, const char *s)
{
    strbuf_reset(&ns->fold);
    namefold_append(&ns->fold, s, strlen(s));
}

/* An alias may not be, case-insensitively, the key, name or alias of
 * another touchpoint in the file: the importer could not tell which one
 * a value means. (It may repeat its own touchpoint's key or name.) The
 * error names the alias by its JSON path. */
static int check_aliases(struct ctx *c, const struct journey_def *d,
                         struct err *err)
{
    struct names ns = {strmap_new(), NULL, 0, 0, STRBUF_INIT};
    size_t tp = 0;
    int rc = 0;
    for (size_t i = 0; i < d->n_journeys; i++)
        for (size_t k = 0; k < d->journeys[i].n_stages; k++)
            for (size_t t = 0; t < d->journeys[i].stages[k].n_touchpoints;
                 t++, tp++) {
                const struct journey_def_touchpoint *dt =
                    &d->journeys[i].stages[k].touchpoints[t];
                names_fold(&ns, dt->key);
                names_add(&ns, tp, "key", dt->key);
                names_fold(&ns, dt->name);
                names_add(&ns, tp, "name", dt->key);
            }
    tp = 0;
    for (size_t i = 0; i < d->n_journeys && rc == 0; i++)
        for (size_t k = 0; k < d->journeys[i].n_stages && rc == 0; k++)
            for (size_t t = 0;
                 t < d->journeys[i].stages[k].n_touchpoints && rc == 0;
                 t++, tp++) {
                const struct journey_def_touchpoint *dt =
                    &d->journeys[i].stages[k].touchpoints[t];
                for (size_t a = 0; a < dt->n_aliases && rc == 0; a++) {
                    names_fold(&ns, dt->aliases[a]);
                    long o = names_other(&ns, tp);
                    if (o < 0) {
                        names_add(&ns, tp, "alias", dt->key);
                        continue;
                    }
                    char msg[400];
                    snprintf(msg, sizeof msg,
                             "\"%.80s\" is also the %s of touchpoint %s "
                             "(a key, name or alias must name one touchpoint)",
                             dt->aliases[a], ns.v[o].what, ns.v[o].key);
                    strbuf_reset(&c->jpath);
                    strbuf_printf(&c->jpath,
                                  "journeys[%zu].stages[%zu].touchpoints[%zu]."
                                  "aliases[%zu]",
                                  i, k, t, a);
                    rc = fail(c, err, msg);
                }
            }
    strmap_free(ns.first);
    free(ns.v);
    strbuf_dispose(&ns.fold);
    return rc;
}

int journey_def_parse(struct journey_def **out, const char *buf, size_t len,
                      const char *path, struct err *err)
{
    struct ctx c = {path ? path : "", STRBUF_INIT, NULL};
    struct journey_def *d = xcalloc(1, sizeof *d);
    json_t *root = NULL, *arr;
    json_error_t je;
    int rc = 0;

    *out = NULL;
    c.tp_keys = strmap_new();
    strbuf_init(&c.jpath, 4096);
    if (len > JOURNEY_DEF_MAX_BYTES) {
        rc = err_at(err, ERR_INVALID, c.path, 0, 0,
                    "too large (over %zu bytes)", JOURNEY_DEF_MAX_BYTES);
        goto done;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        rc = err_at(err, ERR_INVALID, c.path, je.line > 0 ? je.line : 0,
                    je.line > 0 && je.column > 0 ? je.column : 0,
                    "invalid JSON: %s", je.text);
        goto done;
    }
    static const char *const allowed[] = {"journeys", NULL};
    if (!json_is_object(root)) {
        rc = fail(&c, err, "must be an object {\"journeys\": [...]}");
        goto done;
    }
    if ((rc = only_keys(&c, root, allowed, err)) < 0 ||
        (rc = get_array(&c, root, "journeys", &arr, err)) < 0)
        goto done;
    size_t n = json_array_size(arr);
    d->journeys = xcalloc(n, sizeof *d->journeys);
    push_name(&c, "journeys");
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t old = push_index(&c, i);
        d->n_journeys = i + 1;
        rc = parse_journey(&c, json_array_get(arr, i), &d->journeys[i], err);
        for (size_t k = 0; k < i && rc == 0; k++)
            if (!strcmp(d->journeys[k].key, d->journeys[i].key)) {
                size_t o2 = push_name(&c, "key");
                rc = fail(&c, err, "journey key is used twice");
                pop(&c, o2);
            }
        pop(&c, old);
    }
    if (rc == 0)
        rc = check_aliases(&c, d, err);
done:
    json_decref(root);
    strbuf_dispose(&c.jpath);
    strmap_free(c.tp_keys);
    if (rc < 0)
        journey_def_free(d);
    else
        *out = d;
    return rc;
}

void journey_def_free(struct journey_def *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_journeys; i++) {
        struct journey_def_journey *j = &d->journeys[i];
        for (size_t k = 0; k < j->n_stages; k++) {
            struct journey_def_stage *st = &j->stages[k];
            for (size_t t = 0; t < st->n_touchpoints; t++) {
                struct journey_def_touchpoint *tp = &st->touchpoints[t];
                free(tp->key);
                free(tp->name);
                free(tp->channel);
                free(tp->owner);
                for (size_t a = 0; a < tp->n_aliases; a++)
                    free(tp->aliases[a]);
                free(tp->aliases);
            }
            free(st->touchpoints);
            free(st->key);
            free(st->name);
        }
        free(j->stages);
        free(j->key);
        free(j->name);
    }
    free(d->journeys);
    free(d);
}

void journey_def_sizes(const struct journey_def *d, size_t *journeys,
                       size_t *stages, size_t *touchpoints)
{
    *journeys = d->n_journeys;
    *stages = *touchpoints = 0;
    for (size_t i = 0; i < d->n_journeys; i++) {
        *stages += d->journeys[i].n_stages;
        for (size_t k = 0; k < d->journeys[i].n_stages; k++)
            *touchpoints += d->journeys[i].stages[k].n_touchpoints;
    }
}

static int save(const struct journey_def *d, struct store *s, struct err *err)
{
    struct strmap *channels = strmap_new();
    int rc = 0;
    for (size_t i = 0; i < d->n_journeys && rc == 0; i++) {
        const struct journey_def_journey *dj = &d->journeys[i];
        struct journey j = {0, dj->key, dj->name, dj->lifecycle};
        if ((rc = store_put_journey(s, &j, err)) < 0)
            break;
        for (size_t k = 0; k < dj->n_stages && rc == 0; k++) {
            const struct journey_def_stage *ds = &dj->stages[k];
            struct stage st = {0, j.id, ds->key, ds->name, (int)k};
            if ((rc = store_put_stage(s, &st, err)) < 0)
                break;
            for (size_t t = 0; t < ds->n_touchpoints && rc == 0; t++) {
                const struct journey_def_touchpoint *dt = &ds->touchpoints[t];
                size_t cn = strlen(dt->channel);
                if (!strmap_get(channels, dt->channel, cn, NULL)) {
                    struct channel ch = {0, dt->channel};
                    if ((rc = store_put_channel(s, &ch, err)) < 0)
                        break;
                    strmap_put(channels, dt->channel, cn, ch.id);
                }
                struct touchpoint tp = {0,
                                        st.id,
                                        dt->key,
                                        dt->name,
                                        dt->channel,
                                        dt->owner,
                                        dt->moment_of_truth,
                                        dt->physical,
                                        (const char *const *)dt->aliases,
                                        (int)dt->n_aliases};
                rc = store_put_touchpoint(s, &tp, err);
            }
        }
    }
    strmap_free(channels);
    return rc;
}

/* ---- touchpoints that change journey ---- */

void journey_def_moves_dispose(struct journey_def_moves *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].touchpoint);
        free(m->v[i].from);
        free(m->v[i].to);
    }
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

struct mover {
    const struct journey_def *d;
    struct strmap *journey_of; /* touchpoint key -> journey index in d */
    struct journey_def_moves *out;
    size_t cap;
    int64_t *tp_ids; /* [out->n]: the store ids of the moving touchpoints */
    size_t cap_ids;
};

static int on_stored_touchpoint(void *ctx, const struct journey *j,
                                const struct stage *st,
                                const struct touchpoint *t)
{
    struct mover *m = ctx;
    int64_t i;
    (void)st;
    if (!strmap_get(m->journey_of, t->key, strlen(t->key), &i) ||
        !strcmp(m->d->journeys[i].key, j->key))
        return 0;
    struct journey_def_moves *o = m->out;
    o->v = xgrow(o->v, &m->cap, o->n + 1, sizeof *o->v);
    m->tp_ids = xgrow(m->tp_ids, &m->cap_ids, o->n + 1, sizeof *m->tp_ids);
    o->v[o->n] = (struct journey_def_move){xstrdup(t->key), xstrdup(j->key),
                                           xstrdup(m->d->journeys[i].key), 0};
    m->tp_ids[o->n++] = t->id;
    return 0;
}

static int count_response(void *ctx, const struct fact *f)
{
    struct mover *m = ctx;
    /* a linear look: a load moves a few touchpoints, not thousands */
    for (size_t i = 0; i < m->out->n; i++)
        if (m->tp_ids[i] == f->touchpoint_id) {
            m->out->v[i].responses++;
            break;
        }
    return 0;
}

/* Fills out with the touchpoints d moves to another journey, each with
 * its number of responses. */
static int find_moves(const struct journey_def *d, struct store *s,
                      struct journey_def_moves *out, struct err *err)
{
    struct mover m = {d, strmap_new(), out, 0, NULL, 0};
    int rc;
    for (size_t i = 0; i < d->n_journeys; i++)
        for (size_t k = 0; k < d->journeys[i].n_stages; k++)
            for (size_t t = 0; t < d->journeys[i].stages[k].n_touchpoints;
                 t++) {
                const char *key = d->journeys[i].stages[k].touchpoints[t].key;
                strmap_put(m.journey_of, key, strlen(key), (int64_t)i);
            }
    if ((rc = store_list_touchpoints(s, on_stored_touchpoint, &m, err)) < 0)
        goto done;
    if (out->n)
        rc = store_scan_facts(s, count_response, &m, err);
done:
    strmap_free(m.journey_of);
    free(m.tp_ids);
    return rc;
}

int journey_def_apply(const struct journey_def *d, struct store *s,
                      unsigned flags, struct journey_def_moves *moves,
                      struct err *err)
{
    struct journey_def_moves own = JOURNEY_DEF_MOVES_INIT;
    struct journey_def_moves *mv = moves ? moves : &own;
    int rc;
    if ((rc = store_begin(s, err)) < 0)
        return rc;
    /* Looked for inside the transaction, so what is checked is what is
     * changed. */
    if ((rc = find_moves(d, s, mv, err)) < 0)
        goto done;
    if (mv->n && !(flags & JOURNEY_DEF_MOVE)) {
        const struct journey_def_move *x = &mv->v[0];
        char more[64] = "";
        if (mv->n > 1)
            snprintf(more, sizeof more, " (and %zu more touchpoint%s)",
                     mv->n - 1, mv->n == 2 ? "" : "s");
        rc = err_set(err, ERR_CONFLICT,
                     "touchpoint %.60s is in journey %.60s, with %lld "
                     "response%s; this definition puts it in journey "
                     "%.60s%s",
                     x->touchpoint, x->from, (long long)x->responses,
                     x->responses == 1 ? "" : "s", x->to, more);
        goto done;
    }
    if ((rc = save(d, s, err)) < 0)
        goto done;
    rc = store_commit(s, err);
done:
    if (rc < 0)
        store_rollback(s);
    journey_def_moves_dispose(&own);
    return rc;
}

int journey_def_save(const struct journey_def *d, struct store *s,
                     struct err *err)
{
    return journey_def_apply(d, s, 0, NULL, err);
}

/* Building a definition from the store's ordered listings. */
struct reader {
    struct journey_def *d;
    size_t jcap; /* capacity of d->journeys */
};

static struct journey_def_journey *last_journey(struct reader *r,
                                                const struct journey *j)
{
    struct journey_def *d = r->d;
    if (d->n_journeys && !strcmp(d->journeys[d->n_journeys - 1].key, j->key))
        return &d->journeys[d->n_journeys - 1];
    for (size_t i = 0; i < d->n_journeys; i++)
        if (!strcmp(d->journeys[i].key, j->key))
            return &d->journeys[i];
    d->journeys =
        xgrow(d->journeys, &r->jcap, d->n_journeys + 1, sizeof *d->journeys);
    struct journey_def_journey *dj = &d->journeys[d->n_journeys++];
    memset(dj, 0, sizeof *dj);
    dj->key = xstrdup(j->key);
    dj->name = xstrdup(j->name ? j->name : "");
    dj->lifecycle = j->lifecycle;
    return dj;
}

static int on_stage(void *ctx, const struct journey *j, const struct stage *st)
{
    struct reader *r = ctx;
    struct journey_def_journey *dj = last_journey(r, j);
    /* Grown one at a time: a journey has few stages. */
    dj->stages = xrealloc(dj->stages, (dj->n_stages + 1) * sizeof *dj->stages);
    struct journey_def_stage *ds = &dj->stages[dj->n_stages++];
    memset(ds, 0, sizeof *ds);
    ds->key = xstrdup(st->key);
    ds->name = xstrdup(st->name ? st->name : "");
    return 0;
}

static int on_touchpoint(void *ctx, const struct journey *j,
                         const struct stage *st, const struct touchpoint *t)
{
    struct reader *r = ctx;
    struct journey_def_journey *dj = last_journey(r, j);
    struct journey_def_stage *ds = NULL;
    for (size_t i = 0; i < dj->n_stages && !ds; i++)
        if (!strcmp(dj->stages[i].key, st->key))
            ds = &dj->stages[i];
    if (!ds) { /* listed by touchpoint but not by stage: add it */
        on_stage(ctx, j, st);
        ds = &dj->stages[dj->n_stages - 1];
    }
    ds->touchpoints = xrealloc(ds->touchpoints, (ds->n_touchpoints + 1) *
                                                    sizeof *ds->touchpoints);
    struct journey_def_touchpoint *dt = &ds->touchpoints[ds->n_touchpoints++];
    dt->key = xstrdup(t->key);
    dt->name = xstrdup(t->name ? t->name : "");
    dt->channel = xstrdup(t->channel ? t->channel : "");
    dt->owner = t->owner_team ? xstrdup(t->owner_team) : NULL;
    dt->moment_of_truth = t->moment_of_truth;
    dt->physical = t->physical;
    dt->aliases = NULL;
    dt->n_aliases = 0;
    if (t->n_aliases > 0) {
        dt->aliases = xcalloc((size_t)t->n_aliases, sizeof *dt->aliases);
        for (int a = 0; a < t->n_aliases; a++)
            dt->aliases[dt->n_aliases++] = xstrdup(t->aliases[a]);
    }
    return 0;
}

int journey_def_read(struct journey_def **out, struct store *s, struct err *err)
{
    struct reader r = {xcalloc(1, sizeof *r.d), 0};
    int rc;
    *out = NULL;
    if ((rc = store_list_stages(s, on_stage, &r, err)) < 0 ||
        (rc = store_list_touchpoints(s, on_touchpoint, &r, err)) < 0) {
        journey_def_free(r.d);
        return rc;
    }
    *out = r.d;
    return 0;
}

char *journey_def_to_json(const struct journey_def *d)
{
    json_t *root = json_object(), *js = json_array();
    for (size_t i = 0; i < d->n_journeys; i++) {
        const struct journey_def_journey *dj = &d->journeys[i];
        json_t *j = json_object(), *ss = json_array();
        json_object_set_new(j, "key", json_string(dj->key));
        json_object_set_new(j, "name", json_string(dj->name));
        json_object_set_new(j, "lifecycle",
                            json_string(lifecycle_name(dj->lifecycle)));
        for (size_t k = 0; k < dj->n_stages; k++) {
            const struct journey_def_stage *ds = &dj->stages[k];
            json_t *st = json_object(), *ts = json_array();
            json_object_set_new(st, "key", json_string(ds->key));
            json_object_set_new(st, "name", json_string(ds->name));
            for (size_t t = 0; t < ds->n_touchpoints; t++) {
                const struct journey_def_touchpoint *dt = &ds->touchpoints[t];
                json_t *tp = json_object();
                json_object_set_new(tp, "key", json_string(dt->key));
                json_object_set_new(tp, "name", json_string(dt->name));
                json_object_set_new(tp, "channel", json_string(dt->channel));
                if (dt->owner)
                    json_object_set_new(tp, "owner", json_string(dt->owner));
                json_object_set_new(tp, "moment_of_truth",
                                    json_boolean(dt->moment_of_truth));
                json_object_set_new(tp, "physical", json_boolean(dt->physical));
                if (dt->n_aliases) {
                    json_t *as = json_array();
                    for (size_t a = 0; a < dt->n_aliases; a++)
                        json_array_append_new(as, json_string(dt->aliases[a]));
                    json_object_set_new(tp, "aliases", as);
                }
                json_array_append_new(ts, tp);
            }
            json_object_set_new(st, "touchpoints", ts);
            json_array_append_new(ss, st);
        }
        json_object_set_new(j, "stages", ss);
        json_array_append_new(js, j);
    }
    json_object_set_new(root, "journeys", js);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_puts(&b, text ? text : "{}");
    strbuf_putc(&b, '\n');
    free(text);
    return strbuf_detach(&b, NULL);
}
