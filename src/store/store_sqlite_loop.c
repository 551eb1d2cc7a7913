/* The closed loop in the SQLite store (store_loop.h,
 * schema/sqlite_007_loop.sql): rules, cases, notes, the outbox and
 * improvements. Statements are prepared per call, as in
 * store_sqlite_access.c: a few rows per request or per batch. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_loop.h"
#include "store/store_sqlite_int.h"

/* ---- rules ---- */

int sq_put_rules(void *impl, const char *json, const char *actor,
                 int64_t applied_after, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO loop_rules(json,loaded_at,actor) "
                          "VALUES(?1,?2,?3)",
                          &s, "put rules", err)) < 0)
        return rc;
    sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
    sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
    if ((rc = sqs_run(st, s, NULL, "put rules", err)) < 0)
        return rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO loop_state(id,applied) VALUES(1, "
                          "CASE WHEN ?1 < 0 THEN "
                          "(SELECT coalesce(max(id),0) FROM responses) "
                          "ELSE ?1 END) ON CONFLICT(id) DO UPDATE SET "
                          "applied=excluded.applied",
                          &s, "put rules", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, applied_after);
    return sqs_run(st, s, NULL, "put rules", err);
}

int sq_get_rules(void *impl, char **json, int64_t *id, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT id,json FROM loop_rules ORDER BY id DESC "
                          "LIMIT 1",
                          &s, "get rules", err)) < 0)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        const char *v = col_text(s, 1);
        *json = xstrdup(v ? v : "");
    } else if (step == SQLITE_DONE) {
        rc = err_set(err, ERR_NOTFOUND, "no rules loaded");
    } else {
        rc = sqs_error(st, err, "get rules");
    }
    sqlite3_finalize(s);
    return rc;
}

int sq_rules_applied(void *impl, int64_t *after, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    *after = 0;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st, "SELECT applied FROM loop_state WHERE id=1", &s,
                          "rules applied", err)) < 0)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *after = sqlite3_column_int64(s, 0);
    else if (step != SQLITE_DONE)
        rc = sqs_error(st, err, "rules applied");
    sqlite3_finalize(s);
    return rc;
}

int sq_set_rules_applied(void *impl, int64_t after, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(
             st,
             "INSERT INTO loop_state(id,applied) VALUES(1,?1) "
             "ON CONFLICT(id) DO UPDATE SET applied=excluded.applied",
             &s, "rules applied", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, after);
    return sqs_run(st, s, NULL, "rules applied", err);
}

int sq_scan_rule_inputs(void *impl, int64_t after, store_rule_row_cb cb,
                        void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    /* themes: the most negative mention first, the most specific of
     * equals ("digital/login" before "digital"), so the first is the
     * case's improvement area */
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(
             st,
             "SELECT r.id, r.customer_id, r.touchpoint_id, r.ts, c.ext_id, "
             " t.key, t.owner_team, ch.key, "
             " CASE WHEN json_valid(r.attrs) "
             "  THEN json_extract(r.attrs,'$.survey') END, "
             " r.kind, r.nps, r.csat, r.ces, "
             " (SELECT min(score) FROM comment_analysis a "
             "  WHERE a.response_id=r.id), "
             " (SELECT group_concat(theme, ',') FROM "
             "  (SELECT theme, min(sentiment) AS sn FROM theme_mentions m "
             "   WHERE m.response_id=r.id GROUP BY theme "
             "   ORDER BY sn, length(theme)-length(replace(theme,'/','')) "
             "DESC, "
             "   theme)), "
             " CASE WHEN json_valid(r.attrs) THEN "
             "  lower(CAST(json_extract(r.attrs,'$.contact') AS TEXT)) "
             "  IN ('yes','ja','true','1') ELSE 0 END "
             "FROM responses r "
             "JOIN touchpoints t ON t.id=r.touchpoint_id "
             "JOIN channels ch ON ch.id=r.channel_id "
             "LEFT JOIN customers c ON c.id=r.customer_id "
             "WHERE r.id>?1 ORDER BY r.id",
             &s, "scan rule inputs", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, after);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct rule_row r;
        r.response_id = sqlite3_column_int64(s, 0);
        r.customer_id = sqlite3_column_int64(s, 1);
        r.touchpoint_id = sqlite3_column_int64(s, 2);
        r.ts = sqlite3_column_int64(s, 3);
        r.customer = col_text(s, 4);
        r.touchpoint = col_text(s, 5);
        r.owner_team = col_text(s, 6);
        r.channel = col_text(s, 7);
        r.survey = col_text(s, 8);
        r.employee = sqlite3_column_int(s, 9) == 1;
        for (int i = 0; i < 3; i++) {
            int v = sqlite3_column_type(s, 10 + i) == SQLITE_NULL
                        ? -1
                        : sqlite3_column_int(s, 10 + i);
            *(i == 0 ? &r.nps : i == 1 ? &r.csat : &r.ces) = v;
        }
        r.sentiment = sqlite3_column_type(s, 13) == SQLITE_NULL
                          ? NAN
                          : sqlite3_column_double(s, 13);
        r.themes = col_text(s, 14);
        if (!r.themes)
            r.themes = "";
        r.consent = sqlite3_column_int(s, 15) != 0;
        if ((rc = cb(ctx, &r)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "scan rule inputs");
    sqlite3_finalize(s);
    return rc;
}

/* ---- cases ---- */

int sq_put_case(void *impl, struct loop_case *c, int *inserted, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    if ((rc = sqs_prepare(
             st,
             "INSERT INTO cases(response_id,customer_id,"
             "touchpoint_id,rule,team,assignee,theme,priority,status,"
             "sla_hours,opened,due) "
             "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
             "ON CONFLICT(response_id) DO NOTHING",
             &s, "put case", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, c->response_id);
    bind_id(s, 2, c->customer_id);
    sqlite3_bind_int64(s, 3, c->touchpoint_id);
    bind_text(s, 4, c->rule);
    bind_text(s, 5, c->team);
    bind_text(s, 6, c->assignee);
    bind_text(s, 7, c->theme);
    sqlite3_bind_int(s, 8, c->priority);
    sqlite3_bind_int(s, 9, (int)c->status);
    sqlite3_bind_double(s, 10, c->sla_hours);
    sqlite3_bind_int64(s, 11, c->opened);
    sqlite3_bind_int64(s, 12, c->due);
    if ((rc = sqs_run(st, s, &changes, "put case", err)) < 0)
        return rc;
    *inserted = changes > 0;
    if (*inserted) {
        c->id = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    if ((rc = sqs_prepare(st, "SELECT id FROM cases WHERE response_id=?1", &s,
                          "put case", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, c->response_id);
    rc = sqs_step_id(st, s, &c->id, "put case", err);
    sqlite3_finalize(s); /* sqs_step_id resets, for kept statements */
    return rc;
}

int sq_update_case(void *impl, const struct loop_case *c, int expect,
                   struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    if ((rc = sqs_prepare(st,
                          "UPDATE cases SET team=?2, assignee=?3, theme=?4, "
                          "priority=?5, status=?6, sla_hours=?7, due=?8, "
                          "first_contact=?9, resolved=?10, closed=?11, "
                          "escalation=?12, escalated=?13, recovery_survey=?14, "
                          "recovery_sent=?15, recovery_response_id=?16 "
                          "WHERE id=?1 AND status=?17",
                          &s, "update case", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, c->id);
    bind_text(s, 2, c->team);
    bind_text(s, 3, c->assignee);
    bind_text(s, 4, c->theme);
    sqlite3_bind_int(s, 5, c->priority);
    sqlite3_bind_int(s, 6, (int)c->status);
    sqlite3_bind_double(s, 7, c->sla_hours);
    sqlite3_bind_int64(s, 8, c->due);
    bind_id(s, 9, c->first_contact);
    bind_id(s, 10, c->resolved);
    bind_id(s, 11, c->closed);
    sqlite3_bind_int(s, 12, c->escalation);
    bind_id(s, 13, c->escalated);
    bind_text(s, 14, c->recovery_survey);
    bind_id(s, 15, c->recovery_sent);
    bind_id(s, 16, c->recovery_response_id);
    sqlite3_bind_int(s, 17, expect);
    if ((rc = sqs_run(st, s, &changes, "update case", err)) < 0)
        return rc;
    if (changes)
        return 0;
    /* not there, or changed meanwhile */
    if ((rc = sqs_prepare(st, "SELECT count(*) FROM cases WHERE id=?1", &s,
                          "update case", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, c->id);
    int64_t n = 0;
    rc = sqs_step_id(st, s, &n, "update case", err);
    sqlite3_finalize(s);
    if (rc < 0)
        return rc;
    return n ? err_set(err, ERR_CONFLICT,
                       "case %lld was changed meanwhile; read it again",
                       (long long)c->id)
             : err_set(err, ERR_NOTFOUND, "no case %lld", (long long)c->id);
}

#define CASE_COLS                                                              \
    "k.id,k.response_id,k.customer_id,k.touchpoint_id,cu.ext_id,t.key,"        \
    "k.rule,k.team,k.assignee,k.theme,k.priority,k.status,k.sla_hours,"        \
    "k.opened,k.due,k.first_contact,k.resolved,k.closed,k.escalation,"         \
    "k.escalated,k.recovery_survey,k.recovery_sent,k.recovery_response_id"

static void read_case(sqlite3_stmt *s, struct loop_case *c)
{
    c->id = sqlite3_column_int64(s, 0);
    c->response_id = sqlite3_column_int64(s, 1);
    c->customer_id = sqlite3_column_int64(s, 2);
    c->touchpoint_id = sqlite3_column_int64(s, 3);
    c->customer = col_text(s, 4);
    c->touchpoint = col_text(s, 5);
    c->rule = col_text(s, 6);
    c->team = col_text(s, 7);
    c->assignee = col_text(s, 8);
    c->theme = col_text(s, 9);
    c->priority = sqlite3_column_int(s, 10);
    c->status = (enum case_status)sqlite3_column_int(s, 11);
    c->sla_hours = sqlite3_column_double(s, 12);
    c->opened = sqlite3_column_int64(s, 13);
    c->due = sqlite3_column_int64(s, 14);
    c->first_contact = sqlite3_column_int64(s, 15);
    c->resolved = sqlite3_column_int64(s, 16);
    c->closed = sqlite3_column_int64(s, 17);
    c->escalation = sqlite3_column_int(s, 18);
    c->escalated = sqlite3_column_int64(s, 19);
    c->recovery_survey = col_text(s, 20);
    c->recovery_sent = sqlite3_column_int64(s, 21);
    c->recovery_response_id = sqlite3_column_int64(s, 22);
}

int sq_scan_cases(void *impl, const struct case_filter *f, store_case_cb cb,
                  void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    /* every condition is bound; an unset one is written to hold */
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(
             st,
             "SELECT " CASE_COLS " FROM cases k "
             "JOIN touchpoints t ON t.id=k.touchpoint_id "
             "LEFT JOIN customers cu ON cu.id=k.customer_id "
             "WHERE k.id>?1 AND (?2=0 OR k.id=?2) "
             "AND (?3=0 OR ((1<<k.status) & ?3)!=0) "
             "AND (?4 IS NULL OR k.team=?4) "
             "AND (?5 IS NULL OR t.key=?5) "
             "AND (?6 IS NULL OR instr(','||?6||',', ','||t.key||',')>0 "
             " OR k.team IN (SELECT owner_team FROM touchpoints o "
             "  WHERE o.owner_team IS NOT NULL "
             "  AND instr(','||?6||',', ','||o.key||',')>0)) "
             "AND (?7=0 OR (k.status<3 AND k.due<?7)) "
             "AND (?8=0 OR k.opened>=?8) AND (?9=0 OR k.opened<?9) "
             "AND (?10=0 OR k.customer_id=?10) "
             "AND (?11=0 OR k.response_id=?11) "
             "ORDER BY k.id LIMIT ?12",
             &s, "scan cases", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, f->after_id);
    sqlite3_bind_int64(s, 2, f->id);
    sqlite3_bind_int64(s, 3, (int64_t)f->status_mask);
    bind_text(s, 4, f->team);
    bind_text(s, 5, f->touchpoint);
    bind_text(s, 6, f->visible);
    sqlite3_bind_int64(s, 7, f->due_before);
    sqlite3_bind_int64(s, 8, f->from);
    sqlite3_bind_int64(s, 9, f->to);
    sqlite3_bind_int64(s, 10, f->customer_id);
    sqlite3_bind_int64(s, 11, f->response_id);
    sqlite3_bind_int64(s, 12, f->limit > 0 ? (int64_t)f->limit : -1);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct loop_case c;
        read_case(s, &c);
        if ((rc = cb(ctx, &c)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "scan cases");
    sqlite3_finalize(s);
    return rc;
}

int sq_put_case_note(void *impl, struct case_note *n, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO case_notes(case_id,ts,actor,text) "
                          "SELECT ?1,?2,?3,?4 WHERE EXISTS "
                          "(SELECT 1 FROM cases WHERE id=?1) RETURNING id",
                          &s, "put note", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, n->case_id);
    sqlite3_bind_int64(s, 2, n->ts ? n->ts : (int64_t)time(NULL));
    sqlite3_bind_text(s, 3, n->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, n->text, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        n->id = sqlite3_column_int64(s, 0);
        step = sqlite3_step(s);
    } else if (step == SQLITE_DONE) {
        sqlite3_finalize(s);
        return err_set(err, ERR_NOTFOUND, "no case %lld",
                       (long long)n->case_id);
    }
    rc = step == SQLITE_DONE ? 0 : sqs_error(st, err, "put note");
    sqlite3_finalize(s);
    return rc;
}

int sq_scan_case_notes(void *impl, int64_t case_id, store_case_note_cb cb,
                       void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT id,case_id,ts,actor,text FROM case_notes "
                          "WHERE case_id=?1 ORDER BY id",
                          &s, "scan notes", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, case_id);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct case_note n = {
            sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
            sqlite3_column_int64(s, 2), col_text(s, 3), col_text(s, 4)};
        if ((rc = cb(ctx, &n)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "scan notes");
    sqlite3_finalize(s);
    return rc;
}

int sq_customer_email(void *impl, int64_t customer_id, char **email,
                      struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT CASE WHEN json_valid(attrs) THEN "
                          "coalesce(json_extract(attrs,'$.email'),"
                          "json_extract(attrs,'$.\"e-post\"')) END "
                          "FROM customers WHERE id=?1",
                          &s, "customer e-mail", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, customer_id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *v = col_text(s, 0);
        *email = v && *v ? xstrdup(v) : NULL;
    } else if (step != SQLITE_DONE) {
        rc = sqs_error(st, err, "customer e-mail");
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- outbox ---- */

int sq_put_outbox(void *impl, struct outbox_msg *m, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc =
             sqs_prepare(st,
                         "INSERT INTO outbox(case_id,kind,target,event,payload,"
                         "subject,state,attempts,created,next_at) "
                         "VALUES(?1,?2,?3,?4,?5,?6,0,0,?7,?8)",
                         &s, "put notification", err)) < 0)
        return rc;
    bind_id(s, 1, m->case_id);
    bind_text(s, 2, m->kind);
    bind_text(s, 3, m->target);
    bind_text(s, 4, m->event);
    bind_text(s, 5, m->payload);
    bind_text(s, 6, m->subject);
    sqlite3_bind_int64(s, 7, m->created);
    sqlite3_bind_int64(s, 8, m->next_at);
    if ((rc = sqs_run(st, s, NULL, "put notification", err)) < 0)
        return rc;
    m->id = sqlite3_last_insert_rowid(st->db);
    m->state = OUTBOX_PENDING;
    m->attempts = 0;
    return 0;
}

#define OUTBOX_COLS                                                            \
    "id,case_id,kind,target,event,payload,subject,state,attempts,created,"     \
    "next_at,sent_at,last_error"

static int each_outbox(struct sqlite_store *st, sqlite3_stmt *s,
                       int (*cb)(void *ctx, const struct outbox_msg *m),
                       void *ctx, const char *what, struct err *err)
{
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct outbox_msg m;
        m.id = sqlite3_column_int64(s, 0);
        m.case_id = sqlite3_column_int64(s, 1);
        m.kind = col_text(s, 2);
        m.target = col_text(s, 3);
        m.event = col_text(s, 4);
        m.payload = col_text(s, 5);
        m.subject = col_text(s, 6);
        m.state = (enum outbox_state)sqlite3_column_int(s, 7);
        m.attempts = sqlite3_column_int(s, 8);
        m.created = sqlite3_column_int64(s, 9);
        m.next_at = sqlite3_column_int64(s, 10);
        m.sent_at = sqlite3_column_int64(s, 11);
        m.last_error = col_text(s, 12);
        if ((rc = cb(ctx, &m)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, what);
    sqlite3_finalize(s);
    return rc;
}

int sq_due_outbox(void *impl, int64_t now, const char *kind, long limit,
                  int (*cb)(void *ctx, const struct outbox_msg *m), void *ctx,
                  struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    /* by kind, a range of the index (state, kind, next_at) read in
     * order: the cost is the limit, not the backlog */
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          kind ? "SELECT " OUTBOX_COLS " FROM outbox WHERE "
                                 "state=0 AND kind=?3 AND next_at<=?1 "
                                 "ORDER BY next_at LIMIT ?2"
                               : "SELECT " OUTBOX_COLS " FROM outbox WHERE "
                                 "state=0 AND next_at<=?1 "
                                 "ORDER BY next_at, id LIMIT ?2",
                          &s, "due notifications", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, limit > 0 ? (int64_t)limit : -1);
    if (kind)
        sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    return each_outbox(st, s, cb, ctx, "due notifications", err);
}

int sq_update_outbox(void *impl, const struct outbox_msg *m, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, changes = 0;
    if ((rc =
             sqs_prepare(st,
                         "UPDATE outbox SET state=?2, attempts=?3, next_at=?4, "
                         "sent_at=?5, last_error=?6 WHERE id=?1",
                         &s, "update notification", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, m->id);
    sqlite3_bind_int(s, 2, (int)m->state);
    sqlite3_bind_int(s, 3, m->attempts);
    sqlite3_bind_int64(s, 4, m->next_at);
    bind_id(s, 5, m->sent_at);
    bind_text(s, 6, m->last_error);
    if ((rc = sqs_run(st, s, &changes, "update notification", err)) < 0)
        return rc;
    return changes ? 0
                   : err_set(err, ERR_NOTFOUND, "no notification %lld",
                             (long long)m->id);
}

int sq_list_outbox(void *impl, int state, long limit,
                   int (*cb)(void *ctx, const struct outbox_msg *m), void *ctx,
                   struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT " OUTBOX_COLS " FROM outbox WHERE "
                          "(?1<0 OR state=?1) ORDER BY id DESC LIMIT ?2",
                          &s, "list notifications", err)) < 0)
        return rc;
    sqlite3_bind_int(s, 1, state);
    sqlite3_bind_int64(s, 2, limit > 0 ? (int64_t)limit : -1);
    return each_outbox(st, s, cb, ctx, "list notifications", err);
}

int sq_outbox_next(void *impl, int64_t *next_at, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    *next_at = 0;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT coalesce(min(next_at),0) FROM outbox "
                          "WHERE state=0",
                          &s, "notifications", err)) < 0)
        return rc;
    rc = sqs_step_id(st, s, next_at, "notifications", err);
    sqlite3_finalize(s);
    return rc;
}

int sq_outbox_last(void *impl, const char *event, int64_t *created,
                   struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    *created = 0;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT coalesce(max(created),0) FROM outbox "
                          "WHERE event=?1",
                          &s, "notifications", err)) < 0)
        return rc;
    bind_text(s, 1, event);
    rc = sqs_step_id(st, s, created, "notifications", err);
    sqlite3_finalize(s);
    return rc;
}

/* ---- improvements ---- */

int sq_put_improvement(void *impl, struct improvement *im, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc;
    if ((rc = sqs_prepare(st,
                          "INSERT INTO improvements(theme,touchpoint_id,title,"
                          "done_at,actor) VALUES(?1,?2,?3,?4,?5)",
                          &s, "put improvement", err)) < 0)
        return rc;
    bind_text(s, 1, im->theme);
    sqlite3_bind_int64(s, 2, im->touchpoint_id);
    bind_text(s, 3, im->title);
    sqlite3_bind_int64(s, 4, im->done_at);
    bind_text(s, 5, im->actor);
    if ((rc = sqs_run(st, s, NULL, "put improvement", err)) < 0)
        return rc;
    im->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int sq_list_improvements(void *impl,
                         int (*cb)(void *ctx, const struct improvement *im),
                         void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT i.id,i.theme,i.touchpoint_id,t.key,i.title,"
                          "i.done_at,i.actor FROM improvements i JOIN "
                          "touchpoints t ON t.id=i.touchpoint_id ORDER BY i.id",
                          &s, "list improvements", err)) < 0)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct improvement im = {sqlite3_column_int64(s, 0),
                                 col_text(s, 1),
                                 sqlite3_column_int64(s, 2),
                                 col_text(s, 3),
                                 col_text(s, 4),
                                 sqlite3_column_int64(s, 5),
                                 col_text(s, 6)};
        if ((rc = cb(ctx, &im)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "list improvements");
    sqlite3_finalize(s);
    return rc;
}

/* ---- aggregates ---- */

int sq_window_counts(void *impl, int64_t touchpoint_id, const char *theme,
                     int64_t from, int64_t to, struct window_counts *out,
                     struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    memset(out, 0, sizeof *out);
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(
             st,
             "SELECT r.nps, count(*), "
             " sum(EXISTS(SELECT 1 FROM comment_analysis a "
             "  WHERE a.response_id=r.id)), "
             " sum(?4 IS NOT NULL AND EXISTS(SELECT 1 FROM theme_mentions m "
             "  WHERE m.response_id=r.id AND m.theme=?4)) "
             "FROM responses r WHERE (?1=0 OR r.touchpoint_id=?1) "
             "AND (?2=0 OR r.ts>=?2) AND (?3=0 OR r.ts<?3) GROUP BY r.nps",
             &s, "window counts", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, touchpoint_id);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    bind_text(s, 4, theme);
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(s, 1);
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
            int v = sqlite3_column_int(s, 0);
            if (v >= 0 && v <= 10)
                out->nps_hist[v] += n;
        }
        out->n += n;
        out->comments += sqlite3_column_int64(s, 2);
        out->mention += sqlite3_column_int64(s, 3);
    }
    if (step != SQLITE_DONE)
        rc = sqs_error(st, err, "window counts");
    sqlite3_finalize(s);
    return rc;
}

int sq_count_by_touchpoint(void *impl, int64_t from, int64_t to,
                           int (*cb)(void *ctx, int64_t touchpoint_id,
                                     int64_t n),
                           void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(st,
                          "SELECT touchpoint_id, count(*) FROM responses "
                          "WHERE (?1=0 OR ts>=?1) AND (?2=0 OR ts<?2) "
                          "GROUP BY touchpoint_id",
                          &s, "count responses", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = cb(ctx, sqlite3_column_int64(s, 0),
                     sqlite3_column_int64(s, 1))) != 0)
            break;
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "count responses");
    sqlite3_finalize(s);
    return rc;
}

int sq_area_customer_nps(void *impl, int64_t from, int64_t to,
                         int (*cb)(void *ctx, const char *theme,
                                   int64_t touchpoint_id,
                                   const int64_t hist[11]),
                         void *ctx, struct err *err)
{
    struct sqlite_store *st = impl;
    sqlite3_stmt *s = NULL;
    int rc, step;
    /* one row per area and score; areas arrive grouped */
    if ((rc = sqs_read_begin(st, err)) < 0 ||
        (rc = sqs_prepare(
             st,
             "WITH a AS (SELECT DISTINCT theme, touchpoint_id, customer_id "
             " FROM cases WHERE customer_id IS NOT NULL "
             " AND (?1=0 OR opened>=?1) AND (?2=0 OR opened<?2)) "
             "SELECT a.theme, a.touchpoint_id, r.nps, count(*) FROM a "
             "JOIN responses r ON r.customer_id=a.customer_id "
             " AND r.touchpoint_id=a.touchpoint_id AND r.nps IS NOT NULL "
             "GROUP BY a.theme, a.touchpoint_id, r.nps "
             "ORDER BY a.theme, a.touchpoint_id",
             &s, "area NPS", err)) < 0)
        return rc;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    int64_t hist[11] = {0}, tp = -1;
    char *theme = NULL;
    int have = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *th = col_text(s, 0);
        int64_t t = sqlite3_column_int64(s, 1);
        int same = have && t == tp &&
                   ((!th && !theme) || (th && theme && !strcmp(th, theme)));
        if (have && !same) {
            if ((rc = cb(ctx, theme, tp, hist)) != 0)
                break;
            memset(hist, 0, sizeof hist);
        }
        if (!same) {
            free(theme);
            theme = th ? xstrdup(th) : NULL;
            tp = t;
            have = 1;
        }
        int v = sqlite3_column_int(s, 2);
        if (v >= 0 && v <= 10)
            hist[v] += sqlite3_column_int64(s, 3);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sqs_error(st, err, "area NPS");
    else if (rc == 0 && have)
        rc = cb(ctx, theme, tp, hist);
    free(theme);
    sqlite3_finalize(s);
    return rc;
}
