#include "loop/rules.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

/* A list of strings, any of which matches. */
struct strlist {
    char **v;
    size_t n;
};

struct cond {
    struct strlist surveys, touchpoints, channels, themes;
    int kind;             /* -1 any, 0 customer, 1 employee */
    int nps_min, nps_max; /* -1 = no bound */
    int csat_min, csat_max;
    int ces_min, ces_max;
    double sentiment_max; /* NaN = no bound */
    int consent;          /* -1 any, 1 must have */
    int n;                /* conditions given */
};

struct rules {
    struct rule *r;
    struct cond *c;
    size_t n;
    json_t *root; /* owns the strings of r */
};

static const char *const prio_names[] = {"low", "normal", "high", "urgent"};

const char *case_priority_name(enum case_priority p)
{
    return p >= PRIO_LOW && p <= PRIO_URGENT ? prio_names[p] : "?";
}

static void strlist_free(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

void rules_free(struct rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        strlist_free(&r->c[i].surveys);
        strlist_free(&r->c[i].touchpoints);
        strlist_free(&r->c[i].channels);
        strlist_free(&r->c[i].themes);
    }
    free(r->r);
    free(r->c);
    json_decref(r->root);
    free(r);
}

static int bad(struct err *err, const char *where, const char *msg)
{
    err_set(err, ERR_INVALID, "%s", msg); /* where names the path */
    snprintf(err->where, sizeof err->where, "%s", where);
    return ERR_INVALID;
}

static int get_list(struct strlist *l, json_t *v, const char *where,
                    struct err *err)
{
    size_t i;
    json_t *x;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return bad(err, where, "must be a non-empty list of strings");
    l->v = xcalloc(json_array_size(v), sizeof *l->v);
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x) || !json_string_length(x))
            return bad(err, where, "must be a non-empty list of strings");
        l->v[l->n++] = xstrdup(json_string_value(x));
    }
    return 0;
}

static int get_int(int *out, json_t *v, int lo, int hi, const char *where,
                   struct err *err)
{
    char msg[64];
    if (!json_is_integer(v) || json_integer_value(v) < lo ||
        json_integer_value(v) > hi) {
        snprintf(msg, sizeof msg, "must be a whole number %d..%d", lo, hi);
        return bad(err, where, msg);
    }
    *out = (int)json_integer_value(v);
    return 0;
}

static int parse_when(struct cond *c, json_t *when, const char *path,
                      struct err *err)
{
    const char *k;
    json_t *v;
    char where[160];
    int rc = 0;
    *c = (struct cond){{0}, {0}, {0}, {0}, -1,  -1, -1,
                       -1,  -1,  -1,  -1,  NAN, -1, 0};
    if (!json_is_object(when))
        return bad(err, path, "must be an object of conditions");
    json_object_foreach(when, k, v)
    {
        snprintf(where, sizeof where, "%s.%s", path, k);
        c->n++;
        if (!strcmp(k, "surveys"))
            rc = get_list(&c->surveys, v, where, err);
        else if (!strcmp(k, "touchpoints"))
            rc = get_list(&c->touchpoints, v, where, err);
        else if (!strcmp(k, "channels"))
            rc = get_list(&c->channels, v, where, err);
        else if (!strcmp(k, "themes"))
            rc = get_list(&c->themes, v, where, err);
        else if (!strcmp(k, "nps_min"))
            rc = get_int(&c->nps_min, v, 0, 10, where, err);
        else if (!strcmp(k, "nps_max"))
            rc = get_int(&c->nps_max, v, 0, 10, where, err);
        else if (!strcmp(k, "csat_min"))
            rc = get_int(&c->csat_min, v, 1, 5, where, err);
        else if (!strcmp(k, "csat_max"))
            rc = get_int(&c->csat_max, v, 1, 5, where, err);
        else if (!strcmp(k, "ces_min"))
            rc = get_int(&c->ces_min, v, 1, 7, where, err);
        else if (!strcmp(k, "ces_max"))
            rc = get_int(&c->ces_max, v, 1, 7, where, err);
        else if (!strcmp(k, "sentiment_max")) {
            if (!json_is_number(v) || json_number_value(v) < -1 ||
                json_number_value(v) > 1)
                rc = bad(err, where, "must be a number -1..1");
            else
                c->sentiment_max = json_number_value(v);
        } else if (!strcmp(k, "consent")) {
            if (!json_is_true(v))
                rc = bad(err, where, "can only be true");
            else
                c->consent = 1;
        } else if (!strcmp(k, "respondent")) {
            const char *s = json_string_value(v);
            if (s && !strcmp(s, "customer"))
                c->kind = 0;
            else if (s && !strcmp(s, "employee"))
                c->kind = 1;
            else
                rc = bad(err, where, "must be \"customer\" or \"employee\"");
        } else {
            rc = bad(err, where, "unknown condition");
        }
        if (rc < 0)
            return rc;
    }
    if (c->n == 0)
        return bad(err, path,
                   "has no condition: it would open a case for every "
                   "response");
    return 0;
}

int rules_parse(struct rules **out, const char *json, size_t n, struct err *err)
{
    json_error_t je;
    json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
    char where[96];
    *out = NULL;
    if (!root) {
        err_set(err, ERR_INVALID, "line %d column %d: %s", je.line, je.column,
                je.text);
        return ERR_INVALID;
    }
    struct rules *r = xcalloc(1, sizeof *r);
    r->root = root;
    json_t *list = json_object_get(root, "rules");
    if (!json_is_object(root) || !json_is_array(list)) {
        rules_free(r);
        return bad(err, "rules", "must be a list: {\"rules\": [...]}");
    }
    size_t cap = json_array_size(list);
    r->r = xcalloc(cap ? cap : 1, sizeof *r->r);
    r->c = xcalloc(cap ? cap : 1, sizeof *r->c);
    size_t i;
    json_t *x;
    int rc = 0;
    json_array_foreach(list, i, x)
    {
        struct rule *ru = &r->r[i];
        const char *k;
        json_t *v;
        snprintf(where, sizeof where, "rules[%zu]", i);
        r->n = i + 1;
        if (!json_is_object(x)) {
            rc = bad(err, where, "must be an object");
            break;
        }
        ru->priority = PRIO_NORMAL;
        ru->sla_hours = NAN;
        ru->recovery = 1;
        json_object_foreach(x, k, v)
        {
            char w[128];
            snprintf(w, sizeof w, "%s.%s", where, k);
            if (!strcmp(k, "key") || !strcmp(k, "name") || !strcmp(k, "team")) {
                const char *s = json_string_value(v);
                if (!s || !*s) {
                    rc = bad(err, w, "must be a non-empty string");
                    break;
                }
                *(!strcmp(k, "key")    ? &ru->key
                  : !strcmp(k, "name") ? &ru->name
                                       : &ru->team) = s;
            } else if (!strcmp(k, "priority")) {
                const char *s = json_string_value(v);
                int p = -1;
                for (int j = 0; s && j <= PRIO_URGENT; j++)
                    if (!strcmp(s, prio_names[j]))
                        p = j;
                if (p < 0) {
                    rc = bad(err, w, "must be low, normal, high or urgent");
                    break;
                }
                ru->priority = (enum case_priority)p;
            } else if (!strcmp(k, "sla_hours")) {
                if (!json_is_number(v) || !(json_number_value(v) > 0) ||
                    json_number_value(v) > 24 * 365) {
                    rc = bad(err, w, "must be a number of hours over 0");
                    break;
                }
                ru->sla_hours = json_number_value(v);
            } else if (!strcmp(k, "recovery")) {
                if (!json_is_boolean(v)) {
                    rc = bad(err, w, "must be true or false");
                    break;
                }
                ru->recovery = json_is_true(v);
            } else if (!strcmp(k, "when")) {
                if ((rc = parse_when(&r->c[i], v, w, err)) < 0)
                    break;
            } else {
                rc = bad(err, w, "unknown member");
                break;
            }
        }
        if (rc < 0)
            break;
        if (!ru->key)
            rc = bad(err, where, "needs a key");
        else if (!json_object_get(x, "when"))
            rc = bad(err, where, "needs \"when\": its conditions");
        else if (isnan(ru->sla_hours))
            rc = bad(err, where, "needs sla_hours");
        for (size_t j = 0; rc == 0 && j < i; j++)
            if (!strcmp(r->r[j].key, ru->key)) {
                snprintf(where + strlen(where), sizeof where - strlen(where),
                         ".key");
                rc = bad(err, where, "repeats an earlier rule's key");
            }
        if (rc < 0)
            break;
        if (!ru->name)
            ru->name = ru->key;
    }
    if (rc < 0) {
        rules_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

size_t rules_count(const struct rules *r)
{
    return r->n;
}

const struct rule *rules_get(const struct rules *r, size_t i)
{
    return &r->r[i];
}

static int in_list(const struct strlist *l, const char *s)
{
    if (!l->n)
        return 1;
    for (size_t i = 0; s && i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 1;
    return 0;
}

/* min/max bound on a score that may be absent (-1): an absent score
 * fails any bound on it. */
static int bounded(int v, int lo, int hi)
{
    if (lo < 0 && hi < 0)
        return 1;
    return v >= 0 && (lo < 0 || v >= lo) && (hi < 0 || v <= hi);
}

static int holds(const struct cond *c, const struct rule_input *in)
{
    if (!in_list(&c->surveys, in->survey) ||
        !in_list(&c->touchpoints, in->touchpoint) ||
        !in_list(&c->channels, in->channel))
        return 0;
    if (c->themes.n) {
        int any = 0;
        for (size_t i = 0; i < in->n_themes && !any; i++)
            any = in_list(&c->themes, in->themes[i]);
        if (!any)
            return 0;
    }
    if (c->kind >= 0 && c->kind != (in->employee != 0))
        return 0;
    if (!bounded(in->nps, c->nps_min, c->nps_max) ||
        !bounded(in->csat, c->csat_min, c->csat_max) ||
        !bounded(in->ces, c->ces_min, c->ces_max))
        return 0;
    if (!isnan(c->sentiment_max) &&
        (isnan(in->sentiment) || in->sentiment > c->sentiment_max))
        return 0;
    if (c->consent == 1 && !in->consent)
        return 0;
    return 1;
}

size_t rules_match(const struct rules *r, const struct rule_input *in,
                   size_t *hits, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (holds(&r->c[i], in) && n < cap)
            hits[n++] = i;
    return n;
}

long rules_pick(const struct rules *r, const struct rule_input *in)
{
    long best = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (!holds(&r->c[i], in))
            continue;
        if (best < 0 || r->r[i].priority > r->r[best].priority ||
            (r->r[i].priority == r->r[best].priority &&
             r->r[i].sla_hours < r->r[best].sla_hours))
            best = (long)i;
    }
    return best;
}
