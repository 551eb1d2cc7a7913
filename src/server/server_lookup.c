/* What every submission looks up: touchpoints and channels by key, and
 * the survey definitions, parsed once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "server/errlog.h"
#include "server/server_int.h"
#include "store/store.h"
#include "survey/survey.h"

struct survey_ref {
    struct survey_def *d;
    pthread_mutex_t *mu; /* the server's surveys_mu, which guards refs */
    int refs;            /* the cache holds one */
};

static int on_tp(void *ctx, const struct journey *j, const struct stage *st,
                 const struct touchpoint *t)
{
    struct lookup *lk = ctx;
    (void)j;
    (void)st;
    lk->tps = xrealloc(lk->tps, (lk->n_tps + 1) * sizeof *lk->tps);
    struct tp_info *ti = &lk->tps[lk->n_tps];
    ti->id = t->id;
    ti->key = xstrdup(t->key);
    ti->name = xstrdup(t->name ? t->name : t->key);
    /* the touchpoint's own channel (channels are listed first); 0 when
     * it has none the store knows */
    ti->channel_id = 0;
    strmap_put(lk->tp, t->key, strlen(t->key), (int64_t)lk->n_tps);
    lk->n_tps++;
    if (t->channel) {
        int64_t id;
        if (strmap_get(lk->ch, t->channel, strlen(t->channel), &id))
            ti->channel_id = id;
    }
    return 0;
}

static int on_ch(void *ctx, const struct channel *c)
{
    struct lookup *lk = ctx;
    strmap_put(lk->ch, c->key, strlen(c->key), c->id);
    return 0;
}

void srv_lookup_free(struct lookup *lk)
{
    for (size_t i = 0; i < lk->n_tps; i++) {
        free(lk->tps[i].key);
        free(lk->tps[i].name);
    }
    free(lk->tps);
    strmap_free(lk->tp);
    strmap_free(lk->ch);
    memset(lk, 0, sizeof *lk);
}

int srv_lookup_load(struct server *s, struct store *st, struct err *err)
{
    struct lookup lk = {strmap_new(), strmap_new(), NULL, 0};
    int rc;
    store_read_end(st);
    if ((rc = store_list_channels(st, on_ch, &lk, err)) < 0 ||
        (rc = store_list_touchpoints(st, on_tp, &lk, err)) < 0) {
        srv_lookup_free(&lk);
        return rc;
    }
    pthread_rwlock_wrlock(&s->lookup_mu);
    struct lookup old = s->lk;
    s->lk = lk;
    pthread_rwlock_unlock(&s->lookup_mu);
    srv_lookup_free(&old);
    return 0;
}

int srv_touchpoint(struct server *s, const char *key, int64_t *id,
                   int64_t *channel_id, char *name, size_t name_cap)
{
    int64_t i;
    int found;
    pthread_rwlock_rdlock(&s->lookup_mu);
    found = s->lk.tp && strmap_get(s->lk.tp, key, strlen(key), &i);
    if (found) {
        const struct tp_info *ti = &s->lk.tps[i];
        *id = ti->id;
        *channel_id = ti->channel_id;
        if (name && name_cap) {
            strncpy(name, ti->name, name_cap - 1);
            name[name_cap - 1] = 0;
        }
    }
    pthread_rwlock_unlock(&s->lookup_mu);
    return found ? 0 : -1;
}

int srv_channel(struct server *s, const char *key, int64_t *id)
{
    int found;
    pthread_rwlock_rdlock(&s->lookup_mu);
    found = s->lk.ch && strmap_get(s->lk.ch, key, strlen(key), id);
    pthread_rwlock_unlock(&s->lookup_mu);
    return found ? 0 : -1;
}

/* ---- surveys ---- */

static void ref_drop(struct survey_ref *r)
{
    /* under surveys_mu */
    if (--r->refs == 0) {
        survey_def_free(r->d);
        free(r);
    }
}

void srv_survey_put(struct server *s, struct survey_def *d)
{
    struct survey_ref *r = xcalloc(1, sizeof *r);
    r->d = d;
    r->mu = &s->surveys_mu;
    r->refs = 1;
    pthread_mutex_lock(&s->surveys_mu);
    for (size_t i = 0; i < s->n_surveys; i++)
        if (!strcmp(survey_def_key(s->surveys[i]->d), survey_def_key(d))) {
            ref_drop(s->surveys[i]);
            s->surveys[i] = r;
            pthread_mutex_unlock(&s->surveys_mu);
            return;
        }
    s->surveys = xgrow(s->surveys, &s->cap_surveys, s->n_surveys + 1,
                       sizeof(struct survey_ref *));
    s->surveys[s->n_surveys++] = r;
    pthread_mutex_unlock(&s->surveys_mu);
}

void srv_survey_forget(struct server *s, const char *key)
{
    pthread_mutex_lock(&s->surveys_mu);
    for (size_t i = 0; i < s->n_surveys; i++)
        if (!strcmp(survey_def_key(s->surveys[i]->d), key)) {
            ref_drop(s->surveys[i]);
            s->surveys[i] = s->surveys[--s->n_surveys];
            break;
        }
    pthread_mutex_unlock(&s->surveys_mu);
}

int srv_survey(struct server *s, const char *key, struct survey_ref **out,
               struct err *err)
{
    *out = NULL;
    pthread_mutex_lock(&s->surveys_mu);
    for (size_t i = 0; i < s->n_surveys; i++)
        if (!strcmp(survey_def_key(s->surveys[i]->d), key)) {
            *out = s->surveys[i];
            (*out)->refs++;
            break;
        }
    pthread_mutex_unlock(&s->surveys_mu);
    return *out ? 0 : err_set(err, ERR_NOTFOUND, "no survey '%s'", key);
}

const struct survey_def *srv_survey_def(const struct survey_ref *r)
{
    return r->d;
}

void srv_survey_release(struct survey_ref *r)
{
    if (!r)
        return;
    pthread_mutex_t *mu = r->mu;
    pthread_mutex_lock(mu);
    ref_drop(r);
    pthread_mutex_unlock(mu);
}

static int on_def(void *ctx, const char *key, const char *json, int64_t updated)
{
    struct server *s = ctx;
    struct survey_def *d;
    struct err err = ERR_INIT;
    (void)updated;
    if (survey_def_parse(&d, json, strlen(json), &err) < 0) {
        char where[160];
        snprintf(where, sizeof where, "survey %s (not served)", key);
        errlog(where, &err);
        return 0;
    }
    srv_survey_put(s, d);
    return 0;
}

int srv_surveys_load(struct server *s, struct store *st, struct err *err)
{
    return store_list_survey_defs(st, on_def, s, err);
}

void srv_surveys_free(struct server *s)
{
    pthread_mutex_lock(&s->surveys_mu);
    for (size_t i = 0; i < s->n_surveys; i++)
        ref_drop(s->surveys[i]);
    free(s->surveys);
    s->surveys = NULL;
    s->n_surveys = 0;
    pthread_mutex_unlock(&s->surveys_mu);
}
