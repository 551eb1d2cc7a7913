/* The SQLite backend's reads: lists, scans in id order, the comment
 * filter, and the projections the column store loads. */
#include "store/store_sqlite_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

static void read_journey_stage(sqlite3_stmt *s, struct journey *j,
                               struct stage *g)
{
    j->id = sqlite3_column_int64(s, 0);
    j->key = col_text(s, 1);
    j->name = col_text(s, 2);
    if (lifecycle_parse(&j->lifecycle, col_text(s, 3)) < 0)
        j->lifecycle = LIFECYCLE_USE;
    g->id = sqlite3_column_int64(s, 4);
    g->journey_id = j->id;
    g->key = col_text(s, 5);
    g->name = col_text(s, 6);
    g->position = sqlite3_column_int(s, 7);
}

/* Touchpoints are listed with their aliases, read per touchpoint (there
 * are few) and copied: the callback may use the store. */
struct touchpoint_scan {
    store_touchpoint_cb cb;
    void *ctx;
    struct sqlite_store *st;
    struct err *err;
    char **aliases;
    size_t cap;
};

static int touchpoint_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct touchpoint_scan *sc = scan_;
    struct journey j;
    struct stage g;
    struct touchpoint t;
    sqlite3_stmt *a;
    int n = 0, rc = 0, step;
    (void)unused;
    read_journey_stage(s, &j, &g);
    t.id = sqlite3_column_int64(s, 8);
    t.stage_id = g.id;
    t.key = col_text(s, 9);
    t.name = col_text(s, 10);
    t.channel = col_text(s, 11);
    t.owner_team = col_text(s, 12);
    t.moment_of_truth = sqlite3_column_int(s, 13);
    t.physical = sqlite3_column_int(s, 14);
    if (!(a = sqs_prep(sc->st, S_ALIASES_OF, sc->err)))
        return ERR_DB;
    sqlite3_bind_int64(a, 1, t.id);
    while ((step = sqlite3_step(a)) == SQLITE_ROW) {
        sc->aliases =
            xgrow(sc->aliases, &sc->cap, (size_t)n + 1, sizeof *sc->aliases);
        sc->aliases[n++] = xstrdup(col_text(a, 0));
    }
    if (step != SQLITE_DONE)
        rc = sqs_error(sc->st, sc->err, "reading touchpoint aliases");
    sqlite3_reset(a);
    sqlite3_clear_bindings(a);
    t.aliases = (const char *const *)sc->aliases;
    t.n_aliases = n;
    if (rc == 0)
        rc = sc->cb(sc->ctx, &j, &g, &t);
    for (int i = 0; i < n; i++)
        free(sc->aliases[i]);
    return rc;
}

int sq_list_touchpoints(void *impl, store_touchpoint_cb cb, void *ctx,
                        struct err *err)
{
    struct touchpoint_scan sc = {cb, ctx, impl, err, NULL, 0};
    int rc =
        sqs_each_row(impl,
                     "SELECT j.id,j.key,j.name,j.lifecycle,g.id,g.key,g.name,"
                     "g.position,t.id,t.key,t.name,c.key,t.owner_team,"
                     "t.moment_of_truth,t.physical FROM touchpoints t "
                     "JOIN stages g ON g.id=t.stage_id "
                     "JOIN journeys j ON j.id=g.journey_id "
                     "JOIN channels c ON c.id=t.channel_id "
                     "ORDER BY j.id,g.position,t.id",
                     touchpoint_row, &sc, NULL, err);
    free(sc.aliases);
    return rc;
}

static int stage_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct journey j;
    struct stage g;
    read_journey_stage(s, &j, &g);
    return (*(store_stage_cb *)cb)(ctx, &j, &g);
}

int sq_list_stages(void *impl, store_stage_cb cb, void *ctx, struct err *err)
{
    return sqs_each_row(
        impl,
        "SELECT j.id,j.key,j.name,j.lifecycle,g.id,g.key,g.name,"
        "g.position FROM stages g "
        "JOIN journeys j ON j.id=g.journey_id "
        "ORDER BY j.id,g.position,g.id",
        stage_row, &cb, ctx, err);
}

static int channel_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct channel c = {sqlite3_column_int64(s, 0), col_text(s, 1)};
    return (*(store_channel_cb *)cb)(ctx, &c);
}

int sq_list_channels(void *impl, store_channel_cb cb, void *ctx,
                     struct err *err)
{
    return sqs_each_row(impl, "SELECT id,key FROM channels ORDER BY id",
                        channel_row, &cb, ctx, err);
}

static int customer_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct customer c = {sqlite3_column_int64(s, 0), col_text(s, 1),
                         col_text(s, 2), col_text(s, 3)};
    return (*(store_customer_cb *)cb)(ctx, &c);
}

int sq_scan_customers(void *impl, int64_t after, store_customer_cb cb,
                      void *ctx, struct err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT id,ext_id,segment,attrs FROM customers WHERE id>%lld "
             "ORDER BY id",
             (long long)after);
    return sqs_each_row(impl, sql, customer_row, &cb, ctx, err);
}

static int segment_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    return (*(store_segment_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                     col_text(s, 2),
                                     sqlite3_column_int64(s, 1));
}

int sq_scan_segments(void *impl, int64_t after, store_segment_cb cb, void *ctx,
                     struct err *err)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT customer_id,since,segment FROM customer_segments "
             "WHERE customer_id>%lld ORDER BY customer_id,since",
             (long long)after);
    return sqs_each_row(impl, sql, segment_row, &cb, ctx, err);
}

static int employee_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct employee e = {sqlite3_column_int64(s, 0), col_text(s, 1),
                         col_text(s, 2), col_text(s, 3)};
    return (*(store_employee_cb *)cb)(ctx, &e);
}

int sq_scan_employees(void *impl, store_employee_cb cb, void *ctx,
                      struct err *err)
{
    return sqs_each_row(impl,
                        "SELECT id,ext_id,name,team FROM employees ORDER BY id",
                        employee_row, &cb, ctx, err);
}

static int col_score(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? -1
                                                    : sqlite3_column_int(s, i);
}

/* A nullable REAL: NaN when NULL (an unscored comment's sentiment). */
static double col_real(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(s, i);
}

static int fact_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct fact f;
    f.response_id = sqlite3_column_int64(s, 0);
    f.customer_id = sqlite3_column_int64(s, 1);
    f.touchpoint_id = sqlite3_column_int64(s, 2);
    f.channel_id = sqlite3_column_int64(s, 3);
    f.ts = sqlite3_column_int64(s, 4);
    f.tz_min = sqlite3_column_int(s, 5);
    f.kind = sqlite3_column_int(s, 6);
    f.language = col_text(s, 7);
    f.nps = (signed char)col_score(s, 8);
    f.csat = (signed char)col_score(s, 9);
    f.ces = (signed char)col_score(s, 10);
    return (*(store_fact_cb *)cb)(ctx, &f);
}

int sq_scan_facts(void *impl, int64_t after, store_fact_cb cb, void *ctx,
                  struct err *err)
{
    char sql[192];
    snprintf(sql, sizeof sql,
             "SELECT id,customer_id,touchpoint_id,channel_id,ts,tz_min,"
             "kind,language,nps,csat,ces FROM responses WHERE id>%lld "
             "ORDER BY id",
             (long long)after);
    return sqs_each_row(impl, sql, fact_row, &cb, ctx, err);
}

/* Responses and answers are both read in response id order and merged,
 * so export is two sequential scans instead of one lookup per row. */
struct response_scan {
    store_response_cb cb;
    void *ctx;
    struct sqlite_store *st;
    sqlite3_stmt *ans; /* positioned on the next unread answer, or done */
    int ans_state;     /* SQLITE_ROW or SQLITE_DONE / error */
    struct answer *buf;
    size_t cap;
};

static int response_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct response_scan *sc = scan_;
    struct response r;
    int n = 0;
    (void)unused;
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(s, 0);
    r.ext_id = col_text(s, 1);
    r.customer_id = sqlite3_column_int64(s, 2);
    r.employee_id = sqlite3_column_int64(s, 3);
    r.kind =
        sqlite3_column_int(s, 4) ? RESPONDENT_EMPLOYEE : RESPONDENT_CUSTOMER;
    r.touchpoint_id = sqlite3_column_int64(s, 5);
    r.channel_id = sqlite3_column_int64(s, 6);
    r.language = col_text(s, 7);
    r.ts = sqlite3_column_int64(s, 8);
    r.tz_min = sqlite3_column_int(s, 9);
    r.nps = col_score(s, 10);
    r.csat = col_score(s, 11);
    r.ces = col_score(s, 12);
    r.customer = col_text(s, 13);
    r.employee = col_text(s, 14);
    r.touchpoint = col_text(s, 15);
    r.channel = col_text(s, 16);
    r.attrs = col_text(s, 17);
    while (sc->ans_state == SQLITE_ROW &&
           sqlite3_column_int64(sc->ans, 0) <= r.id) {
        if (sqlite3_column_int64(sc->ans, 0) == r.id) {
            sc->buf = xgrow(sc->buf, &sc->cap, (size_t)n + 1, sizeof *sc->buf);
            struct answer *a = &sc->buf[n++];
            sqlite3_stmt *q = sc->ans;
            /* copies: the answer cursor moves on before the callback */
            a->question = xstrdup(col_text(q, 1));
            if (answer_kind_parse(&a->kind, col_text(q, 2)) < 0)
                a->kind = ANSWER_TEXT;
            a->v1 = sqlite3_column_double(q, 3);
            a->v2 = sqlite3_column_double(q, 4);
            a->v3 = sqlite3_column_double(q, 5);
            a->text = col_text(q, 6) ? xstrdup(col_text(q, 6)) : NULL;
            a->title = col_text(q, 7) ? xstrdup(col_text(q, 7)) : NULL;
            a->analysis = NULL; /* store_scan_comments has it */
        }
        sc->ans_state = sqlite3_step(sc->ans);
    }
    r.answers = sc->buf;
    r.n_answers = n;
    int rc = sc->cb(sc->ctx, &r);
    for (int i = 0; i < n; i++) {
        free((char *)sc->buf[i].question);
        free((char *)sc->buf[i].text);
        free((char *)sc->buf[i].title);
    }
    return rc;
}

int sq_scan_responses(void *impl, int64_t from, int64_t to,
                      store_response_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    struct response_scan sc = {cb, ctx, st, NULL, 0, NULL, 0};
    char sql[640];
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
    snprintf(sql, sizeof sql,
             "SELECT response_id,question,kind,v1,v2,v3,text,title "
             "FROM answers WHERE response_id BETWEEN %lld AND %lld "
             "ORDER BY response_id,question",
             (long long)from, (long long)to);
    if (sqlite3_prepare_v2(st->db, sql, -1, &sc.ans, NULL) != SQLITE_OK)
        return sqs_error(st, err, "query");
    sc.ans_state = sqlite3_step(sc.ans);
    snprintf(sql, sizeof sql,
             "SELECT r.id,r.ext_id,r.customer_id,r.employee_id,r.kind,"
             "r.touchpoint_id,r.channel_id,r.language,r.ts,r.tz_min,"
             "r.nps,r.csat,r.ces,c.ext_id,e.ext_id,t.key,ch.key,r.attrs "
             "FROM responses r "
             "LEFT JOIN customers c ON c.id=r.customer_id "
             "LEFT JOIN employees e ON e.id=r.employee_id "
             "JOIN touchpoints t ON t.id=r.touchpoint_id "
             "JOIN channels ch ON ch.id=r.channel_id "
             "WHERE r.id BETWEEN %lld AND %lld ORDER BY r.id",
             (long long)from, (long long)to);
    rc = sqs_each_row(st, sql, response_row, &sc, NULL, err);
    if (rc == 0 && sc.ans_state != SQLITE_ROW && sc.ans_state != SQLITE_DONE)
        rc = sqs_error(st, err, "reading answers");
    sqlite3_finalize(sc.ans);
    free(sc.buf);
    return rc;
}

static int attrs_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    return (*(store_attrs_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                   col_text(s, 1));
}

int sq_scan_response_attrs(void *impl, store_attrs_cb cb, void *ctx,
                           struct err *err)
{
    return sqs_each_row(
        impl,
        "SELECT id,attrs FROM responses WHERE attrs IS NOT NULL "
        "ORDER BY id",
        attrs_row, &cb, ctx, err);
}

static int answer_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct answer a;
    memset(&a, 0, sizeof a);
    a.question = col_text(s, 1);
    if (answer_kind_parse(&a.kind, col_text(s, 2)) < 0)
        a.kind = ANSWER_TEXT;
    a.v1 = sqlite3_column_double(s, 3);
    a.v2 = sqlite3_column_double(s, 4);
    a.v3 = sqlite3_column_double(s, 5);
    a.text = col_text(s, 6);
    a.title = col_text(s, 7);
    return (*(store_answer_cb *)cb)(ctx, sqlite3_column_int64(s, 0), &a);
}

int sq_scan_answers(void *impl, unsigned kinds, int64_t after,
                    store_answer_cb cb, void *ctx, struct err *err)
{
    char sql[400];
    size_t n = (size_t)snprintf(sql, sizeof sql,
                                "SELECT response_id,question,kind,v1,v2,v3,"
                                "text,title FROM answers WHERE kind IN (");
    int any = 0;
    /* kind names are constants, so they can be written into the SQL */
    for (int k = ANSWER_RATING; k <= ANSWER_STORY; k++) {
        if (!(kinds & (1u << k)))
            continue;
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s'%s'", any ? "," : "",
                              answer_kind_name((enum answer_kind)k));
        any = 1;
    }
    if (!any)
        return 0;
    snprintf(sql + n, sizeof sql - n,
             ") AND response_id > %lld ORDER BY response_id,question",
             (long long)after);
    return sqs_each_row(impl, sql, answer_row, &cb, ctx, err);
}

static int event_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct event e;
    e.id = sqlite3_column_int64(s, 0);
    e.ext_id = col_text(s, 1);
    e.customer_id = sqlite3_column_int64(s, 2);
    e.activity = col_text(s, 3);
    e.touchpoint_id = sqlite3_column_int64(s, 4);
    e.channel_id = sqlite3_column_int64(s, 5);
    e.ts = sqlite3_column_int64(s, 6);
    e.tz_min = sqlite3_column_int(s, 7);
    e.attrs = col_text(s, 8);
    return (*(store_event_cb *)cb)(ctx, &e);
}

int sq_scan_events(void *impl, store_event_cb cb, void *ctx, struct err *err)
{
    return sqs_each_row(impl,
                        "SELECT id,ext_id,customer_id,activity,touchpoint_id,"
                        "channel_id,ts,tz_min,attrs FROM events "
                        "ORDER BY customer_id,ts,id",
                        event_row, &cb, ctx, err);
}

static int count_row(sqlite3_stmt *s, void *out, void *unused)
{
    int64_t *v = out;
    (void)unused;
    for (int i = 0; i < 9; i++)
        v[i] = sqlite3_column_int64(s, i);
    return 0;
}

int sq_count(void *impl, struct store_counts *out, struct err *err)
{
    int64_t v[9] = {0};
    int rc = sqs_each_row(impl,
                          "SELECT (SELECT count(*) FROM journeys),"
                          "(SELECT count(*) FROM stages),"
                          "(SELECT count(*) FROM touchpoints),"
                          "(SELECT count(*) FROM channels),"
                          "(SELECT count(*) FROM customers),"
                          "(SELECT count(*) FROM employees),"
                          "(SELECT count(*) FROM responses),"
                          "(SELECT count(*) FROM answers),"
                          "(SELECT count(*) FROM events)",
                          count_row, v, NULL, err);
    out->journeys = v[0];
    out->stages = v[1];
    out->touchpoints = v[2];
    out->channels = v[3];
    out->customers = v[4];
    out->employees = v[5];
    out->responses = v[6];
    out->answers = v[7];
    out->events = v[8];
    return rc;
}

/* ---- text analysis ---- */

/* Analyses and mentions are both read in (response, question) order and
 * merged, like responses and answers. */
struct analysis_scan {
    store_analysis_cb cb;
    void *ctx;
    sqlite3_stmt *men; /* positioned on the next unread mention */
    int men_state;
    struct theme_mention *buf;
    size_t cap;
};

/* Compares mention cursor (response id, question) with (id, q). */
static int mention_cmp(sqlite3_stmt *m, int64_t id, const char *q)
{
    int64_t mid = sqlite3_column_int64(m, 0);
    if (mid != id)
        return mid < id ? -1 : 1;
    const char *mq = col_text(m, 1);
    return strcmp(mq ? mq : "", q ? q : "");
}

static int analysis_row(sqlite3_stmt *s, void *scan_, void *unused)
{
    struct analysis_scan *sc = scan_;
    struct comment_analysis a;
    int64_t id = sqlite3_column_int64(s, 0);
    const char *q = col_text(s, 1);
    int n = 0, rc;
    (void)unused;
    memset(&a, 0, sizeof a);
    a.language = col_text(s, 2);
    a.lang_conf = sqlite3_column_double(s, 3);
    a.score = col_real(s, 4);
    a.label = col_text(s, 5);
    a.redactions = (unsigned)sqlite3_column_int64(s, 6);
    a.n_redactions = sqlite3_column_int(s, 7);
    while (sc->men_state == SQLITE_ROW &&
           (rc = mention_cmp(sc->men, id, q)) <= 0) {
        if (rc == 0) {
            sc->buf = xgrow(sc->buf, &sc->cap, (size_t)n + 1, sizeof *sc->buf);
            /* copied: the cursor moves on before the callback */
            sc->buf[n].theme = xstrdup(col_text(sc->men, 2));
            sc->buf[n].sentiment = sqlite3_column_double(sc->men, 3);
            n++;
        }
        sc->men_state = sqlite3_step(sc->men);
    }
    a.mentions = sc->buf;
    a.n_mentions = n;
    rc = sc->cb(sc->ctx, id, q, &a);
    for (int i = 0; i < n; i++)
        free((char *)sc->buf[i].theme);
    return rc;
}

int sq_scan_analyses(void *impl, int64_t after, store_analysis_cb cb, void *ctx,
                     struct err *err)
{
    struct sqlite_store *st = impl;
    struct analysis_scan sc = {cb, ctx, NULL, 0, NULL, 0};
    char sql[224];
    int rc;
    snprintf(sql, sizeof sql,
             "SELECT response_id,question,theme,sentiment FROM "
             "theme_mentions WHERE response_id>%lld "
             "ORDER BY response_id,question",
             (long long)after);
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, sql, -1, &sc.men, NULL) != SQLITE_OK)
        return sqs_error(st, err, "query");
    sc.men_state = sqlite3_step(sc.men);
    snprintf(sql, sizeof sql,
             "SELECT response_id,question,language,lang_conf,score,"
             "label,redactions,n_redactions FROM comment_analysis "
             "WHERE response_id>%lld ORDER BY response_id,question",
             (long long)after);
    rc = sqs_each_row(st, sql, analysis_row, &sc, NULL, err);
    if (rc == 0 && sc.men_state != SQLITE_ROW && sc.men_state != SQLITE_DONE)
        rc = sqs_error(st, err, "reading theme mentions");
    sqlite3_finalize(sc.men);
    free(sc.buf);
    return rc;
}

int sq_scan_comments(void *impl, const struct comment_filter *f,
                     store_comment_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL, *m = NULL;
    struct theme_mention *buf = NULL;
    size_t cap = 0;
    int rc = 0, step;
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT r.id,r.ext_id,r.customer_id,r.touchpoint_id,"
             "r.channel_id,r.language,r.ts,r.tz_min,r.nps,r.csat,r.ces,"
             "t.key,ch.key,a.question,a.kind,a.text,a.title,c.language,"
             "c.lang_conf,c.score,c.label,c.redactions,c.n_redactions,"
             "c.explanation FROM comment_analysis c "
             "JOIN answers a ON a.response_id=c.response_id "
             "AND a.question=c.question "
             "JOIN responses r ON r.id=c.response_id "
             "JOIN touchpoints t ON t.id=r.touchpoint_id "
             "JOIN channels ch ON ch.id=r.channel_id "
             "WHERE (?1=0 OR r.touchpoint_id=?1) "
             "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM theme_mentions m "
             "WHERE m.response_id=c.response_id AND m.question=c.question "
             "AND m.theme=?2)) "
             "AND (?3 IS NULL OR c.label=?3) "
             "AND (?4=0 OR NOT EXISTS (SELECT 1 FROM theme_mentions m "
             "WHERE m.response_id=c.response_id AND m.question=c.question)) "
             "AND r.ts+60*r.tz_min>=?5 AND r.ts+60*r.tz_min<?6 "
             "AND (?8=0 OR r.id=?8) "
             "ORDER BY c.response_id %s,c.question LIMIT ?7",
             f->newest_first ? "DESC" : "ASC");
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK ||
        !(m = sqs_prep(st, S_MENTIONS_OF, err))) {
        sqlite3_finalize(s);
        return sqs_error(st, err, "query");
    }
    sqlite3_bind_int64(s, 1, f->touchpoint_id > 0 ? f->touchpoint_id : 0);
    bind_text(s, 2, f->theme);
    bind_text(s, 3, f->label);
    sqlite3_bind_int(s, 4, f->unthemed != 0);
    /* local seconds of the first day and past the last; open ends and
     * days beyond any timestamp are clamped */
    const int64_t far = INT64_C(1) << 50;
    int64_t from = f->from_day < -far / 86400 ? -far : f->from_day * 86400;
    int64_t to = f->to_day > far / 86400 ? far : (f->to_day + 1) * 86400;
    sqlite3_bind_int64(s, 5, from);
    sqlite3_bind_int64(s, 6, to);
    sqlite3_bind_int64(s, 7, f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(s, 8, f->response_id > 0 ? f->response_id : 0);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct response r;
        struct answer a;
        struct comment_analysis an;
        size_t n = 0;
        memset(&r, 0, sizeof r);
        memset(&a, 0, sizeof a);
        memset(&an, 0, sizeof an);
        r.id = sqlite3_column_int64(s, 0);
        r.ext_id = col_text(s, 1);
        r.customer_id = sqlite3_column_int64(s, 2);
        r.touchpoint_id = sqlite3_column_int64(s, 3);
        r.channel_id = sqlite3_column_int64(s, 4);
        r.language = col_text(s, 5);
        r.ts = sqlite3_column_int64(s, 6);
        r.tz_min = sqlite3_column_int(s, 7);
        r.nps = col_score(s, 8);
        r.csat = col_score(s, 9);
        r.ces = col_score(s, 10);
        r.touchpoint = col_text(s, 11);
        r.channel = col_text(s, 12);
        a.question = col_text(s, 13);
        if (answer_kind_parse(&a.kind, col_text(s, 14)) < 0)
            a.kind = ANSWER_TEXT;
        a.text = col_text(s, 15);
        a.title = col_text(s, 16);
        an.language = col_text(s, 17);
        an.lang_conf = sqlite3_column_double(s, 18);
        an.score = col_real(s, 19);
        an.label = col_text(s, 20);
        an.redactions = (unsigned)sqlite3_column_int64(s, 21);
        an.n_redactions = sqlite3_column_int(s, 22);
        an.explanation = col_text(s, 23);
        if (!f->unthemed) {
            int ms;
            sqlite3_bind_int64(m, 1, r.id);
            bind_text(m, 2, a.question);
            while ((ms = sqlite3_step(m)) == SQLITE_ROW) {
                buf = xgrow(buf, &cap, n + 1, sizeof *buf);
                buf[n].theme = xstrdup(col_text(m, 0));
                buf[n].sentiment = sqlite3_column_double(m, 1);
                n++;
            }
            sqlite3_reset(m);
            sqlite3_clear_bindings(m);
            if (ms != SQLITE_DONE)
                rc = sqs_error(st, err, "reading theme mentions");
        }
        an.mentions = buf;
        an.n_mentions = (int)n;
        a.analysis = &an;
        if (rc == 0)
            rc = cb(ctx, &r, &a);
        for (size_t i = 0; i < n; i++)
            free((char *)buf[i].theme);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "query");
    sqlite3_finalize(s);
    free(buf);
    return rc;
}

/* ---- projections for the column store ---- */

static const char *entity_table(enum store_entity e)
{
    return e == STORE_CUSTOMERS   ? "customers"
           : e == STORE_RESPONSES ? "responses"
                                  : "events";
}

static int attr_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    int is_num = sqlite3_column_type(s, 1) == SQLITE_INTEGER ||
                 sqlite3_column_type(s, 1) == SQLITE_FLOAT;
    /* Text first: reading the number first would convert the column. */
    const char *text = col_text(s, 1);
    double num = is_num ? sqlite3_column_double(s, 1) : NAN;
    return (*(store_attr_cb *)cb)(ctx, sqlite3_column_int64(s, 0),
                                  text ? text : "", num, is_num);
}

int sq_scan_attr(void *impl, enum store_entity e, const char *name,
                 int64_t after, store_attr_cb cb, void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    char sql[320];
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    /* json_extract gives JSON numbers as SQL numbers and strings as text;
     * objects and arrays (never written by the importer) come as text. */
    snprintf(sql, sizeof sql,
             "SELECT id, json_extract(attrs, ?1) AS v FROM %s "
             "WHERE id > %lld AND v IS NOT NULL ORDER BY id",
             entity_table(e), (long long)after);
    if ((rc = sqs_read_begin(st, err)) < 0)
        return rc;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return sqs_error(st, err, "reading attributes");
    char *path = sqlite3_mprintf("$.\"%w\"", name);
    if (!path) {
        sqlite3_finalize(s);
        return err_set(err, ERR_DB, "out of memory");
    }
    sqlite3_bind_text(s, 1, path, -1, sqlite3_free);
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = attr_row(s, &cb, ctx)) != 0)
            break;
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "reading attributes");
    sqlite3_finalize(s);
    return rc;
}

static int event_fact_row(sqlite3_stmt *s, void *cb, void *ctx)
{
    struct event_fact e;
    e.id = sqlite3_column_int64(s, 0);
    e.customer_id = sqlite3_column_int64(s, 1);
    e.activity = col_text(s, 2);
    e.touchpoint_id = sqlite3_column_int64(s, 3);
    e.channel_id = sqlite3_column_int64(s, 4);
    e.ts = sqlite3_column_int64(s, 5);
    e.tz_min = sqlite3_column_int(s, 6);
    return (*(store_event_fact_cb *)cb)(ctx, &e);
}

int sq_scan_event_facts(void *impl, store_event_fact_cb cb, void *ctx,
                        struct err *err)
{
    return sqs_each_row(
        impl,
        "SELECT id,customer_id,activity,touchpoint_id,channel_id,"
        "ts,tz_min FROM events ORDER BY id",
        event_fact_row, &cb, ctx, err);
}
