/* The SQLite backend's writes: journeys, customers (with their segment
 * history), employees, responses with their answers and analyses,
 * events, the theme taxonomy. */
#include "store/store_sqlite_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
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
    /* The same text as stored (an export imported again) changes
     * nothing: no need to ask SQLite to merge the two. */
    if (c->attrs && (!attrs || strcmp(c->attrs, attrs) != 0) &&
        (rc = merge_attrs(st, c, attrs, c->attrs, &attrs_changed, &merged,
                          err)) < 0)
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

/* In a bulk transaction, the id the next new response gets: what SQLite
 * itself would give it (max + 1, and 1 in an empty table). */
static int next_response_id(struct sqlite_store *st, struct err *err)
{
    sqlite3_stmt *q = NULL;
    if (st->next_id > 0)
        return 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT coalesce(max(id),0)+1 FROM responses", -1,
                           &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sqs_error(st, err, "reading response ids");
    }
    st->next_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return 0;
}

/* The values the schema's CHECK constraints allow, tested here because a
 * bulk load switches those off (they were a quarter of the cost of
 * storing an analysed comment), and the NOT NULL columns, which the bulk
 * INSERTs would skip rather than refuse (OR IGNORE). The importer never
 * produces others; this only turns a bug into an error rather than bad
 * or missing rows. */
static int check_response(const struct response *r, struct err *err)
{
    if (!r->ext_id ||
        (r->kind != RESPONDENT_CUSTOMER && r->kind != RESPONDENT_EMPLOYEE) ||
        r->nps > 10 || r->csat > 5 || r->csat == 0 || r->ces > 7 ||
        r->ces == 0) /* negative: none */
        goto bad;
    for (int i = 0; i < r->n_answers; i++) {
        const struct answer *a = &r->answers[i];
        const struct comment_analysis *ca = a->analysis;
        if (!a->question || (unsigned)a->kind > ANSWER_STORY)
            goto bad;
        if (!ca)
            continue;
        if (!(ca->lang_conf >= 0 && ca->lang_conf <= 1) ||
            isnan(ca->score) != !ca->label ||
            (!isnan(ca->score) && !(ca->score >= -1 && ca->score <= 1)))
            goto bad;
        for (int k = 0; k < ca->n_mentions; k++)
            if (!ca->mentions[k].theme || !(ca->mentions[k].sentiment >= -1 &&
                                            ca->mentions[k].sentiment <= 1))
                goto bad;
    }
    return 0;
bad:
    return err_set(err, ERR_INTERNAL,
                   "response \"%s\": a value out of its range reached the "
                   "store",
                   r->ext_id ? r->ext_id : "");
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
    if (st->bulk && (rc = check_response(r, err)) < 0)
        return rc;
    s = sqs_prep(st, S_RESPONSE_INSERT, err);
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
    if (st->next_id && r->id >= st->next_id)
        st->next_id = r->id + 1;
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

/* ---- a bulk load: responses appended many at a time ----
 *
 * A batch is stored table by table, APPEND_ROWS rows per INSERT: a
 * statement's fixed cost (cursors, its program, the reset) was a third
 * of storing an analysed comment. Response ids are given explicitly, as
 * SQLite would choose them (max + 1), so that the answers can name them
 * without asking.
 *
 * The INSERTs say OR IGNORE, and that halves the cost again: an INSERT
 * of several rows that may fail half way makes SQLite copy every page it
 * changes into a statement journal first, to undo it; with OR IGNORE no
 * row can fail. Nothing is ignored unnoticed:
 * check_response has made sure no NOT NULL column is NULL, ids are new,
 * and every statement's change count is checked. A response whose ext_id
 * is stored already is the one row that may be skipped; then the rows of
 * that statement are taken back and stored one by one
 * (append_responses_slowly), so ids stay what one-at-a-time inserts
 * give. */

#define APPEND_ROWS 16

enum append_table { A_RESPONSES, A_ANSWERS, A_ANALYSES, A_MENTIONS };

static const struct {
    const char *head; /* up to VALUES */
    int ncol;
    const char *what; /* for messages */
} append_sql[A_N_TABLES] = {
    [A_RESPONSES] = {"INSERT OR IGNORE INTO responses(id,ext_id,customer_id,"
                     "employee_id,kind,touchpoint_id,channel_id,language,ts,"
                     "tz_min,nps,csat,ces,attrs) VALUES",
                     14, "saving response"},
    [A_ANSWERS] = {"INSERT OR IGNORE INTO answers(response_id,question,kind,"
                   "v1,v2,v3,text,title) VALUES",
                   8, "saving answer"},
    [A_ANALYSES] = {"INSERT OR IGNORE INTO comment_analysis(response_id,"
                    "question,language,lang_conf,score,label,redactions,"
                    "n_redactions,explanation) VALUES",
                    9, "saving comment analysis"},
    [A_MENTIONS] = {"INSERT OR IGNORE INTO theme_mentions(response_id,"
                    "question,theme,sentiment) VALUES",
                    4, "saving theme mention"},
};

/* One row to append: a response, or one of its answers, analyses or
 * mentions. */
struct append_item {
    struct response *r;
    const struct answer *a;
    const struct theme_mention *m;
};

static void bind_response(sqlite3_stmt *s, int b, const struct response *r)
{
    sqlite3_bind_int64(s, b + 1, r->id);
    bind_text(s, b + 2, r->ext_id);
    bind_id(s, b + 3, r->customer_id);
    bind_id(s, b + 4, r->employee_id);
    sqlite3_bind_int(s, b + 5, (int)r->kind);
    sqlite3_bind_int64(s, b + 6, r->touchpoint_id);
    sqlite3_bind_int64(s, b + 7, r->channel_id);
    bind_text(s, b + 8, r->language);
    sqlite3_bind_int64(s, b + 9, r->ts);
    sqlite3_bind_int(s, b + 10, r->tz_min);
    bind_score(s, b + 11, r->nps);
    bind_score(s, b + 12, r->csat);
    bind_score(s, b + 13, r->ces);
    bind_text(s, b + 14, r->attrs);
}

static void bind_answer(sqlite3_stmt *s, int b, int64_t id,
                        const struct answer *a)
{
    sqlite3_bind_int64(s, b + 1, id);
    bind_text(s, b + 2, a->question);
    bind_text(s, b + 3, answer_kind_name(a->kind));
    sqlite3_bind_double(s, b + 4, a->v1);
    sqlite3_bind_double(s, b + 5, a->v2);
    sqlite3_bind_double(s, b + 6, a->v3);
    bind_text(s, b + 7, a->text);
    bind_text(s, b + 8, a->title);
}

static void bind_analysis(sqlite3_stmt *s, int b, int64_t id,
                          const char *question,
                          const struct comment_analysis *a)
{
    sqlite3_bind_int64(s, b + 1, id);
    bind_text(s, b + 2, question);
    bind_text(s, b + 3, a->language ? a->language : "other");
    sqlite3_bind_double(s, b + 4, a->lang_conf);
    /* unscored: no sentiment at all (the schema wants both or neither) */
    if (isnan(a->score))
        sqlite3_bind_null(s, b + 5);
    else
        sqlite3_bind_double(s, b + 5, a->score);
    bind_text(s, b + 6, a->label);
    sqlite3_bind_int64(s, b + 7, (sqlite3_int64)a->redactions);
    sqlite3_bind_int(s, b + 8, a->n_redactions);
    bind_text(s, b + 9, a->explanation);
}

static void bind_mention(sqlite3_stmt *s, int b, int64_t id,
                         const char *question, const struct theme_mention *m)
{
    sqlite3_bind_int64(s, b + 1, id);
    bind_text(s, b + 2, question);
    bind_text(s, b + 3, m->theme);
    sqlite3_bind_double(s, b + 4, m->sentiment);
}

static void bind_item(sqlite3_stmt *s, enum append_table t, int b,
                      const struct append_item *it)
{
    switch (t) {
    case A_RESPONSES:
        bind_response(s, b, it->r);
        break;
    case A_ANSWERS:
        bind_answer(s, b, it->r->id, it->a);
        break;
    case A_ANALYSES:
        bind_analysis(s, b, it->r->id, it->a->question, it->a->analysis);
        break;
    case A_MENTIONS:
        bind_mention(s, b, it->r->id, it->a->question, it->m);
        break;
    }
}

/* The INSERT of `rows` rows (1 or APPEND_ROWS) into table t, prepared on
 * first use. */
static sqlite3_stmt *append_stmt(struct sqlite_store *st, enum append_table t,
                                 int rows, struct err *err)
{
    sqlite3_stmt **slot = rows == 1 ? &st->append1[t] : &st->multi[t];
    if (!*slot) {
        struct strbuf q = STRBUF_INIT;
        strbuf_puts(&q, append_sql[t].head);
        for (int r = 0; r < rows; r++) {
            strbuf_puts(&q, r ? ",(" : "(");
            for (int c = 0; c < append_sql[t].ncol; c++)
                strbuf_puts(&q, c ? ",?" : "?");
            strbuf_putc(&q, ')');
        }
        if (sqlite3_prepare_v3(st->db, strbuf_str(&q), -1,
                               SQLITE_PREPARE_PERSISTENT, slot,
                               NULL) != SQLITE_OK)
            sqs_error(st, err, "prepare");
        strbuf_dispose(&q);
    }
    return *slot;
}

/* Steps an INSERT whose parameters are all bound again before its next
 * use (so, unlike sqs_step_insert, it clears none). *changed gets the
 * rows it wrote. */
static int step_rows(struct sqlite_store *st, sqlite3_stmt *s,
                     enum append_table t, int *changed, struct err *err)
{
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_DONE)
        *changed = sqlite3_changes(st->db);
    else
        rc = sqs_error(st, err, append_sql[t].what);
    sqlite3_reset(s);
    return rc;
}

/* Stores responses one at a time with ids from next_id: a new one takes
 * the next id, one already stored (its ext_id) keeps id 0. */
static int append_responses_slowly(struct sqlite_store *st,
                                   struct append_item *items, int n,
                                   struct err *err)
{
    sqlite3_stmt *s = append_stmt(st, A_RESPONSES, 1, err);
    if (!s)
        return ERR_DB;
    for (int i = 0; i < n; i++) {
        struct response *r = items[i].r;
        int changed = 0, rc;
        r->id = st->next_id;
        bind_response(s, 0, r);
        if ((rc = step_rows(st, s, A_RESPONSES, &changed, err)) < 0)
            return rc;
        if (changed)
            st->next_id++;
        else
            r->id = 0;
    }
    return 0;
}

/* Takes back the responses with ids from..to this transaction wrote. */
static int take_back(struct sqlite_store *st, int64_t from, int64_t to,
                     struct err *err)
{
    sqlite3_stmt *del = NULL;
    int dummy, rc;
    if (sqlite3_prepare_v2(st->db,
                           "DELETE FROM responses WHERE id BETWEEN ?1 AND ?2",
                           -1, &del, NULL) != SQLITE_OK) {
        sqlite3_finalize(del);
        return sqs_error(st, err, "saving response");
    }
    sqlite3_bind_int64(del, 1, from);
    sqlite3_bind_int64(del, 2, to);
    rc = sqs_step_insert(st, del, &dummy, "saving response", err);
    sqlite3_finalize(del);
    return rc;
}

/* Stores items[0..n) of table t: one statement for a full set, one a
 * row for fewer. */
static int append_flush(struct sqlite_store *st, enum append_table t,
                        struct append_item *items, int n, struct err *err)
{
    int rows = n == APPEND_ROWS ? APPEND_ROWS : 1;
    sqlite3_stmt *s = append_stmt(st, t, rows, err);
    int changed = 0, rc;
    if (!s)
        return ERR_DB;
    if (t == A_RESPONSES && rows == 1)
        return append_responses_slowly(st, items, n, err);
    if (t == A_RESPONSES)
        for (int i = 0; i < n; i++)
            items[i].r->id = st->next_id + i;
    for (int i = 0; i < n; i += rows) {
        for (int k = 0; k < rows; k++)
            bind_item(s, t, k * append_sql[t].ncol, &items[i + k]);
        if ((rc = step_rows(st, s, t, &changed, err)) < 0)
            return rc;
        if (changed == rows)
            continue;
        if (t == A_MENTIONS) /* a theme named twice is kept once */
            continue;
        if (t != A_RESPONSES)
            return err_set(err, ERR_INTERNAL,
                           "%s: a row was refused (response \"%s\")",
                           append_sql[t].what,
                           items[i].r->ext_id ? items[i].r->ext_id : "");
        /* Some responses were stored already: take back what this
         * statement wrote and go one by one, so that the new ones' ids
         * have no gaps. */
        if ((rc = take_back(st, st->next_id, st->next_id + n - 1, err)) < 0)
            return rc;
        return append_responses_slowly(st, items, n, err);
    }
    if (t == A_RESPONSES)
        st->next_id += n;
    return 0;
}

/* Appends the rows of table t that rows[0..n) hold. */
static int append_table(struct sqlite_store *st, enum append_table t,
                        struct response *rows, size_t n, struct err *err)
{
    struct append_item items[APPEND_ROWS];
    int k = 0, rc;
    memset(items, 0, sizeof items);
#define ADD(R, A, M)                                                           \
    do {                                                                       \
        items[k].r = (R);                                                      \
        items[k].a = (A);                                                      \
        items[k].m = (M);                                                      \
        if (++k == APPEND_ROWS) {                                              \
            if ((rc = append_flush(st, t, items, k, err)) < 0)                 \
                return rc;                                                     \
            k = 0;                                                             \
        }                                                                      \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        struct response *r = &rows[i];
        if (t == A_RESPONSES) {
            ADD(r, NULL, NULL);
            continue;
        }
        if (!r->id) /* stored already: its answers were left as they were */
            continue;
        for (int j = 0; j < r->n_answers; j++) {
            const struct answer *a = &r->answers[j];
            if (t == A_ANSWERS || (t == A_ANALYSES && a->analysis))
                ADD(r, a, NULL);
            else if (t == A_MENTIONS && a->analysis)
                for (int m = 0; m < a->analysis->n_mentions; m++)
                    ADD(r, a, &a->analysis->mentions[m]);
        }
    }
#undef ADD
    return k ? append_flush(st, t, items, k, err) : 0;
}

int sq_put_responses(void *impl, struct response *rows, size_t n,
                     int64_t *inserted, int64_t *present, struct err *err)
{
    struct sqlite_store *st = impl;
    int rc;
    if (!st->bulk) {
        /* one at a time, as put_response */
        for (size_t i = 0; i < n; i++) {
            int ins = 0;
            if ((rc = sq_put_response(st, &rows[i], &ins, err)) < 0)
                return rc;
            *(ins ? inserted : present) += 1;
        }
        return 0;
    }
    if ((rc = next_response_id(st, err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = check_response(&rows[i], err)) < 0)
            return rc;
    for (int t = A_RESPONSES; t < A_N_TABLES; t++)
        if ((rc = append_table(st, (enum append_table)t, rows, n, err)) < 0)
            return rc;
    for (size_t i = 0; i < n; i++)
        *(rows[i].id ? inserted : present) += 1;
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
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
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
