/* The SQLite backend's writes: journeys, customers (with their segment
 * history), employees, responses with their answers and analyses,
 * events, the theme taxonomy. */
#include "store/store_sqlite_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"

int sq_put_journey(void *impl, struct journey *j, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_JOURNEY_UPSERT, err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, j->key);
    bind_text(s, 2, j->name);
    bind_text(s, 3, lifecycle_name(j->lifecycle));
    return sqs_step_id(st, s, &j->id, "saving journey", err);
}

int sq_put_stage(void *impl, struct stage *g, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_STAGE_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, g->journey_id);
    bind_text(s, 2, g->key);
    bind_text(s, 3, g->name);
    sqlite3_bind_int(s, 4, g->position);
    return sqs_step_id(st, s, &g->id, "saving stage", err);
}

int sq_put_channel(void *impl, struct channel *c, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_CHANNEL_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->key);
    if ((rc = sqs_step_insert(st, s, &changed, "saving channel", err)) < 0)
        return rc;
    if (changed) {
        c->id = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    if (!(s = sqs_prep(st, S_CHANNEL_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, c->key);
    return sqs_step_id(st, s, &c->id, "finding channel", err);
}

static int put_touchpoint(struct sqlite_store *st, struct touchpoint *t,
                          struct err *err)
{
    struct channel ch = {0, t->channel};
    int rc;
    if (!t->channel)
        return err_set(err, ERR_INVALID, "touchpoint %s has no channel",
                       t->key);
    if ((rc = sq_put_channel(st, &ch, err)) < 0)
        return rc;
    sqlite3_stmt *s = sqs_prep(st, S_TOUCHPOINT_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, t->stage_id);
    bind_text(s, 2, t->key);
    bind_text(s, 3, t->name);
    sqlite3_bind_int64(s, 4, ch.id);
    bind_text(s, 5, t->owner_team);
    sqlite3_bind_int(s, 6, t->moment_of_truth != 0);
    sqlite3_bind_int(s, 7, t->physical != 0);
    if ((rc = sqs_step_id(st, s, &t->id, "saving touchpoint", err)) < 0)
        return rc;
    /* The given aliases replace the stored ones; a repeat is kept once. */
    int dummy;
    if (!(s = sqs_prep(st, S_ALIAS_CLEAR, err)))
        return ERR_DB;
    sqlite3_bind_int64(s, 1, t->id);
    if ((rc = sqs_step_insert(st, s, &dummy, "saving touchpoint aliases",
                              err)) < 0)
        return rc;
    for (int i = 0; i < t->n_aliases; i++) {
        if (!t->aliases[i])
            return err_set(err, ERR_INVALID, "touchpoint %s: alias %d is NULL",
                           t->key, i + 1);
        if (!(s = sqs_prep(st, S_ALIAS_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, t->id);
        bind_text(s, 2, t->aliases[i]);
        sqlite3_bind_int(s, 3, i);
        if ((rc = sqs_step_insert(st, s, &dummy, "saving touchpoint aliases",
                                  err)) < 0)
            return rc;
    }
    return 0;
}

int sq_put_touchpoint(void *impl, struct touchpoint *t, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(st, put_touchpoint(st, t, err), err);
}

int sq_put_survey(void *impl, struct survey *sv, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_SURVEY_UPSERT, err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, sv->key);
    bind_text(s, 2, sv->name);
    bind_id(s, 3, sv->touchpoint_id);
    return sqs_step_id(st, s, &sv->id, "saving survey", err);
}

int sq_put_question(void *impl, struct question *q, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_QUESTION_UPSERT, err);
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, q->survey_id);
    bind_text(s, 2, q->key);
    bind_text(s, 3, q->kind);
    bind_text(s, 4, q->prompt_sv);
    bind_text(s, 5, q->prompt_en);
    sqlite3_bind_int(s, 6, q->position);
    return sqs_step_id(st, s, &q->id, "saving question", err);
}

/* Adds a segment history entry (or replaces the one at the same since). */
static int put_segment(struct sqlite_store *st, int64_t customer_id,
                       int64_t since, const char *segment, struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_SEGMENT_PUT, err);
    int dummy;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, customer_id);
    sqlite3_bind_int64(s, 2, since);
    bind_text(s, 3, segment);
    return sqs_step_insert(st, s, &dummy, "saving segment history", err);
}

/* Insert-or-ignore by ext_id; a new customer's segment is its first
 * history entry. */
static int put_customer(struct sqlite_store *st, struct customer *c,
                        int *inserted, struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_CUSTOMER_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    bind_text(s, 2, c->segment);
    bind_text(s, 3, c->attrs);
    if ((rc = sqs_step_insert(st, s, &changed, "saving customer", err)) < 0)
        return rc;
    *inserted = changed;
    if (changed) {
        c->id = sqlite3_last_insert_rowid(st->db);
        if (c->segment)
            return put_segment(st, c->id, SEGMENT_SINCE_START, c->segment, err);
        return 0;
    }
    if (!(s = sqs_prep(st, S_CUSTOMER_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    return sqs_step_id(st, s, &c->id, "finding customer", err);
}

int sq_put_customer(void *impl, struct customer *c, int *inserted,
                    struct err *err)
{
    struct sqlite_store *st = impl;
    int dummy, rc;
    if ((rc = sqs_op_begin(st, err)) < 0)
        return rc;
    return sqs_op_end(
        st, put_customer(st, c, inserted ? inserted : &dummy, err), err);
}

/* Reads the customer's current segment and attributes: 1 found (copies
 * in *segment and *attrs, the caller frees), 0 not stored. */
static int get_customer(struct sqlite_store *st, struct customer *c,
                        char **segment, char **attrs, struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_CUSTOMER_GET, err);
    int rc = 0, step;
    *segment = *attrs = NULL;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, c->ext_id);
    if ((step = sqlite3_step(s)) == SQLITE_ROW) {
        c->id = sqlite3_column_int64(s, 0);
        *segment = col_text(s, 1) ? xstrdup(col_text(s, 1)) : NULL;
        *attrs = xstrdup(col_text(s, 2) ? col_text(s, 2) : "{}");
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = sqs_error(st, err, "finding customer");
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* Merges the object patch into the object stored: *changed is 1 when
 * that changes anything, and *merged (caller frees) is the result. */
static int merge_attrs(struct sqlite_store *st, const struct customer *c,
                       const char *stored, const char *patch, int *changed,
                       char **merged, struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_ATTRS_MERGE, err);
    int rc = 0;
    *changed = 0;
    *merged = NULL;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, stored);
    bind_text(s, 2, patch);
    if (sqlite3_step(s) != SQLITE_ROW)
        rc = sqs_error(st, err, "merging customer attributes");
    else if (!sqlite3_column_int(s, 0))
        rc = err_set(err, ERR_INVALID,
                     "customer \"%s\": attributes must be a JSON object",
                     c->ext_id);
    else if ((*changed = sqlite3_column_int(s, 1)))
        *merged = xstrdup(col_text(s, 2));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* The since of the customer's latest segment entry: 1 found, 0 none. */
static int latest_segment(struct sqlite_store *st, int64_t customer_id,
                          int64_t *since, struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_SEGMENT_LATEST, err);
    int rc = 0, step;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, customer_id);
    if ((step = sqlite3_step(s)) == SQLITE_ROW) {
        *since = sqlite3_column_int64(s, 0);
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = sqs_error(st, err, "reading segment history");
    }
    sqlite3_reset(s);
    return rc;
}

static void format_since(char *buf, size_t n, int64_t since)
{
    if (since == SEGMENT_SINCE_START)
        snprintf(buf, n, "the start");
    else
        tstamp_format(buf, n, since, 0);
}

static int update_customer(struct sqlite_store *st, struct customer *c,
                           int64_t since, int *changed, struct err *err)
{
    char *segment = NULL, *attrs = NULL, *merged = NULL;
    int rc, found, segment_changed, attrs_changed = 0, inserted = 0, dummy;
    int64_t latest = 0;
    sqlite3_stmt *s;

    *changed = 0;
    if ((found = rc = get_customer(st, c, &segment, &attrs, err)) < 0)
        goto done;
    if (!found) {
        if ((rc = put_customer(st, c, &inserted, err)) == 0)
            *changed = inserted;
        goto done;
    }
    segment_changed =
        c->segment && (!segment || strcmp(segment, c->segment) != 0);
    if (c->attrs && (rc = merge_attrs(st, c, attrs, c->attrs, &attrs_changed,
                                      &merged, err)) < 0)
        goto done;
    if (segment_changed) {
        if ((rc = latest_segment(st, c->id, &latest, err)) < 0)
            goto done;
        if (rc == 1 && since < latest) {
            char a[40], b[40];
            format_since(a, sizeof a, since);
            format_since(b, sizeof b, latest);
            rc = err_set(err, ERR_INVALID,
                         "customer \"%s\": a segment change from %s is "
                         "before its latest recorded one (from %s)",
                         c->ext_id, a, b);
            goto done;
        }
    }
    rc = 0;
    if (!segment_changed && !attrs_changed)
        goto done;
    if (!(s = sqs_prep(st, S_CUSTOMER_UPDATE, err))) {
        rc = ERR_DB;
        goto done;
    }
    sqlite3_bind_int64(s, 1, c->id);
    bind_text(s, 2, segment_changed ? c->segment : segment);
    bind_text(s, 3, attrs_changed ? merged : attrs);
    if ((rc = sqs_step_insert(st, s, &dummy, "updating customer", err)) < 0 ||
        (segment_changed &&
         (rc = put_segment(st, c->id, since, c->segment, err)) < 0))
        goto done;
    *changed = 2;
done:
    free(segment);
    free(attrs);
    free(merged);
    return rc;
}

int sq_update_customer(void *impl, struct customer *c, int64_t since,
                       int *changed, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if ((rc = sqs_op_begin(st, err)) < 0)
        return rc;
    rc = sqs_op_end(st, update_customer(st, c, since, changed, err), err);
    if (rc < 0)
        *changed = 0;
    return rc;
}

int sq_put_employee(void *impl, struct employee *e, int *inserted,
                    struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_EMPLOYEE_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    bind_text(s, 2, e->name);
    bind_text(s, 3, e->team);
    if ((rc = sqs_step_insert(st, s, &changed, "saving employee", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (changed) {
        e->id = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    if (!(s = sqs_prep(st, S_EMPLOYEE_FIND, err)))
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    return sqs_step_id(st, s, &e->id, "finding employee", err);
}

/* In a bulk transaction, decides once whether this is the first load into
 * an empty table; if so the ext_id index is dropped until commit (DDL is
 * transactional, so a rollback brings it back). */
static int check_initial_load(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *q = NULL;
    int empty = 0;
    if (!st->bulk) {
        st->initial_load = 0;
        return 0;
    }
    if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS(SELECT 1 FROM responses)",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sqs_error(st, err, "checking responses");
    }
    empty = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    st->initial_load = 0;
    if (empty) {
        int rc = sqs_exec(st, "DROP INDEX responses_ext", err);
        if (rc < 0)
            return rc;
        st->initial_load = 1;
    }
    return 0;
}

/* A comment's analysis and its theme mentions, beside its answer. */
static int put_analysis(struct sqlite_store *st, int64_t response_id,
                        const char *question, const struct comment_analysis *a,
                        struct err *err)
{
    sqlite3_stmt *s = sqs_prep(st, S_ANALYSIS_INSERT, err);
    int dummy, rc;
    if (!s)
        return ERR_DB;
    sqlite3_bind_int64(s, 1, response_id);
    bind_text(s, 2, question);
    bind_text(s, 3, a->language ? a->language : "other");
    sqlite3_bind_double(s, 4, a->lang_conf);
    /* unscored: no sentiment at all (the schema wants both or neither) */
    if (isnan(a->score))
        sqlite3_bind_null(s, 5);
    else
        sqlite3_bind_double(s, 5, a->score);
    bind_text(s, 6, a->label);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)a->redactions);
    sqlite3_bind_int(s, 8, a->n_redactions);
    bind_text(s, 9, a->explanation);
    if ((rc = sqs_step_insert(st, s, &dummy, "saving comment analysis", err)) <
        0)
        return rc;
    for (int i = 0; i < a->n_mentions; i++) {
        if (!(s = sqs_prep(st, S_MENTION_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, response_id);
        bind_text(s, 2, question);
        bind_text(s, 3, a->mentions[i].theme);
        sqlite3_bind_double(s, 4, a->mentions[i].sentiment);
        if ((rc = sqs_step_insert(st, s, &dummy, "saving theme mention", err)) <
            0)
            return rc;
    }
    return 0;
}

int sq_put_response(void *impl, struct response *r, int *inserted,
                    struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s;
    int changed = 0, rc;
    if (st->initial_load < 0 && (rc = check_initial_load(st, err)) < 0)
        return rc;
    s = sqs_prep(
        st, st->initial_load == 1 ? S_RESPONSE_APPEND : S_RESPONSE_INSERT, err);
    if (!s)
        return ERR_DB;
    bind_text(s, 1, r->ext_id);
    bind_id(s, 2, r->customer_id);
    bind_id(s, 3, r->employee_id);
    sqlite3_bind_int(s, 4, (int)r->kind);
    sqlite3_bind_int64(s, 5, r->touchpoint_id);
    sqlite3_bind_int64(s, 6, r->channel_id);
    bind_text(s, 7, r->language);
    sqlite3_bind_int64(s, 8, r->ts);
    sqlite3_bind_int(s, 9, r->tz_min);
    bind_score(s, 10, r->nps);
    bind_score(s, 11, r->csat);
    bind_score(s, 12, r->ces);
    bind_text(s, 13, r->attrs);
    if ((rc = sqs_step_insert(st, s, &changed, "saving response", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (!changed)
        return 0; /* already stored: its answers are left as they were */
    r->id = sqlite3_last_insert_rowid(st->db);
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        int dummy;
        if (!(s = sqs_prep(st, S_ANSWER_INSERT, err)))
            return ERR_DB;
        sqlite3_bind_int64(s, 1, r->id);
        bind_text(s, 2, a->question);
        bind_text(s, 3, answer_kind_name(a->kind));
        sqlite3_bind_double(s, 4, a->v1);
        sqlite3_bind_double(s, 5, a->v2);
        sqlite3_bind_double(s, 6, a->v3);
        bind_text(s, 7, a->text);
        bind_text(s, 8, a->title);
        if ((rc = sqs_step_insert(st, s, &dummy, "saving answer", err)) < 0 ||
            (a->analysis &&
             (rc = put_analysis(st, r->id, a->question, a->analysis, err)) < 0))
            return rc;
    }
    return 0;
}

int sq_put_event(void *impl, struct event *e, int *inserted, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = sqs_prep(st, S_EVENT_INSERT, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    bind_text(s, 1, e->ext_id);
    sqlite3_bind_int64(s, 2, e->customer_id);
    bind_text(s, 3, e->activity);
    bind_id(s, 4, e->touchpoint_id);
    bind_id(s, 5, e->channel_id);
    sqlite3_bind_int64(s, 6, e->ts);
    sqlite3_bind_int(s, 7, e->tz_min);
    bind_text(s, 8, e->attrs);
    if ((rc = sqs_step_insert(st, s, &changed, "saving event", err)) < 0)
        return rc;
    if (inserted)
        *inserted = changed;
    if (changed)
        e->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int sq_put_taxonomy(void *impl, const char *name, const char *source, size_t n,
                    int replaces, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc = 0;
    const char *sql =
        source ? "INSERT INTO taxonomy(id,name,source,replaces,loaded_at) "
                 "VALUES(1,?1,?2,?3,CAST(strftime('%s','now') AS INTEGER)) "
                 "ON CONFLICT(id) DO UPDATE "
                 "SET name=excluded.name,source=excluded.source,"
                 "replaces=excluded.replaces,loaded_at=excluded.loaded_at"
               : "DELETE FROM taxonomy";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "saving the taxonomy");
    if (source) {
        bind_text(s, 1, name ? name : "");
        sqlite3_bind_text(s, 2, source, (int)n, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, replaces != 0);
    }
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = sqs_error(st, err, "saving the taxonomy");
    sqlite3_finalize(s);
    return rc;
}

int sq_get_taxonomy(void *impl, char **name, char **source, size_t *n,
                    int *replaces, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT name,source,replaces FROM taxonomy "
                           "WHERE id=1",
                           -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "reading the taxonomy");
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_blob(s, 1);
        *n = (size_t)sqlite3_column_bytes(s, 1);
        *source = xmalloc(*n + 1);
        if (*n)
            memcpy(*source, src, *n);
        (*source)[*n] = 0;
        *name = xstrdup(col_text(s, 0) ? col_text(s, 0) : "");
        *replaces = sqlite3_column_int(s, 2);
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOTFOUND, "no taxonomy saved");
    } else {
        rc = sqs_error(st, err, "reading the taxonomy");
    }
    sqlite3_finalize(s);
    return rc;
}
