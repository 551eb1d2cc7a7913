/* The closed loop's results (cases_report.h): lists and one case from the
 * store, the figures of loop_metrics.h, the outbox and the rules. */
#include "report/cases_report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/area_drivers.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "loop/loop.h"
#include "loop/loop_metrics.h"
#include "loop/rules.h"
#include "report/result.h"
#include "stats/estimate.h"
#include "store/store.h"
#include "store/store_loop.h"

/* ---- the list ---- */

struct list_ctx {
    struct result_table *t;
    int64_t now;
};

static int case_row(void *ctx, const struct loop_case *c)
{
    struct list_ctx *x = ctx;
    struct result_table *t = x->t;
    result_row(t);
    result_add_int(t, c->id);
    result_add_text(t, case_status_name(c->status));
    result_add_text(t, case_priority_name((enum case_priority)c->priority));
    result_add_text(t, c->team);
    result_add_text(t, c->assignee);
    result_add_text(t, c->touchpoint);
    result_add_text(t, c->rule);
    result_add_text(t, c->theme);
    result_add_utc(t, c->opened);
    result_add_utc(t, c->due);
    result_add_bool(t, c->status < CASE_RESOLVED && c->due < x->now);
    result_add_int(t, c->escalation);
    result_add_utc(t, c->first_contact);
    result_add_utc(t, c->resolved);
    return 0;
}

static void case_cols(struct result_table *t)
{
    result_col(t, "id", "id", RESULT_INTEGER, 0, 0);
    result_col(t, "status", "status", RESULT_TEXT, 0, 0);
    result_col(t, "priority", "priority", RESULT_TEXT, 0, 0);
    result_col(t, "team", "team", RESULT_TEXT, 0, 0);
    result_col(t, "assignee", "assignee", RESULT_TEXT, 0, 0);
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0, 0);
    result_col(t, "rule", "rule", RESULT_TEXT, 0, 0);
    result_col(t, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(t, "opened", "opened (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "due", "due (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "overdue", "overdue", RESULT_BOOLEAN, 0, 0);
    result_col(t, "escalation", "escalated", RESULT_INTEGER, 0, 0);
    result_col(t, "first_contact", "first contact (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "resolved", "resolved (UTC)", RESULT_TEXT, 0, 0);
}

int cases_list_result(struct result **out, struct store *s,
                      const struct case_filter *f, int64_t now, struct err *err)
{
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "cases", NULL);
    struct list_ctx x = {t, now};
    result_table_empty(t, "(no cases)");
    case_cols(t);
    int rc = store_scan_cases(s, f, case_row, &x, err);
    if (rc < 0) {
        result_free(r);
        return rc;
    }
    result_meta_int(r, "count", "cases", (int64_t)result_table_rows(t));
    *out = r;
    return 0;
}

/* ---- one case ---- */

struct show_ctx {
    struct result *r;
    struct loop_case_copy k;
    int64_t now;
};

/* The response that opened the case: its scores and its words. */
static int words(void *ctx, const struct response *resp)
{
    struct show_ctx *x = ctx;
    struct result_table *sc = result_table_new(x->r, "response", "Response");
    result_table_layout(sc, RESULT_PAIRS);
    result_col(sc, "ext_id", "response", RESULT_TEXT, 0, 0);
    result_col(sc, "at", "answered (UTC)", RESULT_TEXT, 0, 0);
    result_col(sc, "channel", "channel", RESULT_TEXT, 0, 0);
    result_col(sc, "language", "language", RESULT_TEXT, 0, 0);
    result_col(sc, "nps", "NPS answer", RESULT_INTEGER, 0, 0);
    result_col(sc, "csat", "CSAT answer", RESULT_INTEGER, 0, 0);
    result_col(sc, "ces", "CES answer", RESULT_INTEGER, 0, 0);
    result_row(sc);
    result_add_text(sc, resp->ext_id);
    result_add_utc(sc, resp->ts);
    result_add_text(sc, resp->channel);
    result_add_text(sc, resp->language);
    int sco[3] = {resp->nps, resp->csat, resp->ces};
    for (int i = 0; i < 3; i++)
        if (sco[i] >= 0)
            result_add_int(sc, sco[i]);
        else
            result_add_null(sc);

    return 1;
}

/* The comments of that response with their analysis. */
static int comment(void *ctx, const struct response *resp,
                   const struct answer *a)
{
    struct result_table *t = ctx;
    const struct comment_analysis *an = a->analysis;
    struct strbuf th = STRBUF_INIT;
    (void)resp;
    result_row(t);
    result_add_text(t, a->question);
    result_add_text(t, an ? an->label : NULL);
    result_add_num(t, an ? an->score : NAN);
    result_add_text(t, a->text);
    for (int k = 0; an && k < an->n_mentions; k++)
        strbuf_printf(&th, "%s%s %+.2f", k ? ", " : "", an->mentions[k].theme,
                      an->mentions[k].sentiment);
    result_add_text(t, th.n ? th.p : NULL);
    if (an && an->explanation)
        result_add_json(t, an->explanation, strlen(an->explanation));
    else
        result_add_null(t);
    strbuf_dispose(&th);
    return 0;
}

static int comments_table(struct result *r, struct store *s, int64_t response,
                          struct err *err)
{
    struct comment_filter f = COMMENT_FILTER_INIT;
    struct result_table *t =
        result_table_new(r, "comments", "In the customer's words");
    result_table_layout(t, RESULT_RECORDS);
    result_table_empty(t, "(no comment)");
    result_col(t, "question", "question", RESULT_TEXT, 0, RESULT_HEAD);
    result_col(t, "sentiment", "sentiment", RESULT_TEXT, 0,
               RESULT_HEAD | RESULT_LABELLED);
    result_col(t, "score", "score", RESULT_NUMBER, 2,
               RESULT_HEAD | RESULT_LABELLED | RESULT_SIGNED);
    result_col(t, "text", "text", RESULT_TEXT, 0, RESULT_QUOTED);
    result_col(t, "themes", "themes", RESULT_TEXT, 0, RESULT_LABELLED);
    result_col(t, "explanation", "explanation", RESULT_JSON, 0,
               RESULT_LABELLED);
    f.response_id = response;
    return store_scan_comments(s, &f, comment, t, err);
}

static int note_row(void *ctx, const struct case_note *n)
{
    struct result_table *t = ctx;
    result_row(t);
    result_add_utc(t, n->ts);
    result_add_text(t, n->actor);
    result_add_text(t, n->text);
    return 0;
}

int case_show_result(struct result **out, struct store *s, int64_t id,
                     const char *visible, int64_t now, struct err *err)
{
    struct case_filter f = CASE_FILTER_INIT;
    struct show_ctx x;
    int rc;
    memset(&x, 0, sizeof x);
    x.now = now;
    f.id = id;
    f.visible = visible;
    if ((rc = store_scan_cases(s, &f, loop_case_copy_first, &x.k, err)) < 0)
        return rc;
    if (!x.k.any)
        return err_set(err, ERR_NOTFOUND, "no case %lld", (long long)id);
    struct result *r = x.r = result_new();
    struct loop_case *c = &x.k.c;
    struct result_table *t = result_table_new(r, "case", NULL);
    result_table_layout(t, RESULT_PAIRS);
    case_cols(t);
    result_col(t, "customer", "customer", RESULT_TEXT, 0, 0);
    result_col(t, "sla_hours", "SLA (working hours)", RESULT_NUMBER, 1, 0);
    result_col(t, "closed", "closed (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "escalated", "escalated (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "recovery_survey", "recovery survey", RESULT_TEXT, 0, 0);
    result_col(t, "recovery_sent", "recovery sent (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "recovery_answered", "recovery answered", RESULT_BOOLEAN, 0,
               0);
    struct list_ctx lx = {t, now};
    case_row(&lx, c);
    result_add_text(t, c->customer);
    result_add_num(t, c->sla_hours);
    result_add_utc(t, c->closed);
    result_add_utc(t, c->escalated);
    result_add_text(t, c->recovery_survey);
    result_add_utc(t, c->recovery_sent);
    result_add_bool(t, c->recovery_response_id != 0);

    rc = store_scan_responses_range(s, c->response_id, c->response_id, words,
                                    &x, err);
    if (rc >= 0)
        rc = comments_table(r, s, c->response_id, err);
    if (rc >= 0) {
        struct result_table *n = result_table_new(r, "notes", "Notes");
        result_table_empty(n, "(no notes)");
        result_col(n, "at", "at (UTC)", RESULT_TEXT, 0, 0);
        result_col(n, "by", "by", RESULT_TEXT, 0, 0);
        result_col(n, "text", "note", RESULT_TEXT, 0, 0);
        rc = store_scan_case_notes(s, id, note_row, n, err);
    }
    loop_case_copy_dispose(&x.k);
    if (rc < 0) {
        result_free(r);
        return rc;
    }
    result_method(r, "The comment is shown as stored: personal data was "
                     "redacted when it arrived. Deadlines count working "
                     "hours of the loop's calendar.");
    *out = r;
    return 0;
}

/* ---- figures ---- */

int case_metrics_result(struct result **out, const struct case_metrics *m,
                        const char *by, int min_n)
{
    struct result *r = result_new();
    result_set_min_n(r, min_n);
    struct result_table *t = result_table_new(r, "metrics", NULL);
    result_table_empty(t, "(no cases in the period)");
    result_col(t, "group", by, RESULT_TEXT, 0, 0);
    result_col(t, "cases", "cases", RESULT_INTEGER, 0, RESULT_IS_N);
    result_col(t, "open", "open", RESULT_INTEGER, 0, 0);
    result_col(t, "overdue", "overdue", RESULT_INTEGER, 0, 0);
    size_t c;
    c = result_col(t, "contact_median_h", "first contact median h",
                   RESULT_ESTIMATE, 1, 0);
    result_col_n(t, c, "contacted", "contacted");
    result_col(t, "contact_p90_h", "first contact p90 h", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    c = result_col(t, "resolve_median_h", "resolution median h",
                   RESULT_ESTIMATE, 1, 0);
    result_col_n(t, c, "resolved", "resolved");
    result_col(t, "resolve_p90_h", "resolution p90 h", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    c = result_col(t, "within_deadline_pct", "within deadline %",
                   RESULT_ESTIMATE, 1, 0);
    result_col_n(t, c, "deadline_n", "judged");
    result_col(t, "responses", "responses", RESULT_INTEGER, 0, 0);
    result_col(t, "per_1000", "cases per 1,000", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "recovery_sent", "recovery sent", RESULT_INTEGER, 0, 0);
    c = result_col(t, "recovered_pct", "recovered %", RESULT_ESTIMATE, 1, 0);
    result_col_n(t, c, "recovery_answers", "answered");
    for (size_t i = 0; i < m->n; i++) {
        const struct case_metrics_row *w = &m->rows[i];
        result_row(t);
        result_add_text(t, w->group);
        result_add_int(t, w->cases);
        result_add_int(t, w->open);
        result_add_int(t, w->overdue);
        result_add_estimate(t, &w->contact_median, min_n);
        result_add_estimate(t, &w->contact_p90, min_n);
        result_add_estimate(t, &w->resolve_median, min_n);
        result_add_estimate(t, &w->resolve_p90, min_n);
        result_add_estimate(t, &w->within_deadline, min_n);
        if (w->responses > 0)
            result_add_int(t, w->responses);
        else
            result_add_null(t);
        result_add_estimate(t, &w->per_1000, min_n);
        result_add_int(t, w->recovery_sent);
        result_add_estimate(t, &w->recovery, min_n);
    }
    struct result_table *nx =
        result_table_new(r, "next_nps", "After resolution");
    result_table_layout(nx, RESULT_PAIRS);
    result_col(nx, "next_nps_change",
               "change in the customer's next NPS answer", RESULT_ESTIMATE, 2,
               RESULT_SIGNED);
    result_row(nx);
    result_add_estimate(nx, &m->next_nps_change, min_n);
    result_method(r, "Times are working hours of the loop's calendar (opening "
                     "hours, weekends and Swedish public holidays closed) from "
                     "the case's opening. Medians and 90th percentiles carry "
                     "distribution-free 95%% CIs from order statistics. Within "
                     "deadline: first contact by the deadline, among cases "
                     "contacted or past their deadline (Wilson CI). Recovered: "
                     "a recovery answer at the top of its scale (CSAT 4-5, NPS "
                     "9-10 or CES 5-7). Next NPS: the customer's first NPS "
                     "answer after resolution minus the case's own (t CI).");
    *out = r;
    return 0;
}

int areas_result(struct result **out, const struct improvement_areas *a,
                 int min_n, const struct area_drivers_info *drivers)
{
    struct result *r = result_new();
    result_set_min_n(r, min_n);
    struct result_table *t = result_table_new(r, "areas", NULL);
    result_table_empty(t, "(no cases with a theme)");
    result_col(t, "rank", "#", RESULT_INTEGER, 0, 0);
    result_col(t, "theme", "theme", RESULT_TEXT, 0, 0);
    result_col(t, "touchpoint", "touchpoint", RESULT_TEXT, 0, 0);
    result_col(t, "cases", "cases", RESULT_INTEGER, 0, 0);
    result_col(t, "open", "open", RESULT_INTEGER, 0, 0);
    result_col(t, "nps", "NPS of its customers", RESULT_ESTIMATE, 1,
               RESULT_SIGNED);
    result_col(t, "driver_importance", "driver share %", RESULT_NUMBER, 1, 0);
    result_col(t, "improvement", "improvement", RESULT_TEXT, 0, 0);
    result_col(t, "done", "done (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "nps_before", "NPS before", RESULT_ESTIMATE, 1,
               RESULT_SIGNED);
    result_col(t, "nps_after", "NPS after", RESULT_ESTIMATE, 1, RESULT_SIGNED);
    result_col(t, "nps_change", "NPS change", RESULT_ESTIMATE, 1,
               RESULT_SIGNED | RESULT_NO_N);
    result_col(t, "mention_before", "theme % before", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "mention_after", "theme % after", RESULT_ESTIMATE, 1,
               RESULT_NO_N);
    result_col(t, "mention_change", "theme % change", RESULT_ESTIMATE, 1,
               RESULT_SIGNED | RESULT_NO_N);
    int window = 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct improvement_area *w = &a->a[i];
        result_row(t);
        result_add_int(t, (int64_t)i + 1);
        result_add_text(t, w->theme);
        result_add_text(t, w->touchpoint);
        result_add_int(t, w->cases);
        result_add_int(t, w->open);
        result_add_estimate(t, &w->nps, min_n);
        result_add_num(t, w->driver_importance);
        result_add_text(t, w->title);
        result_add_utc(t, w->done_at);
        if (!w->improvement_id) {
            for (int k = 0; k < 6; k++)
                result_add_null(t);
            continue;
        }
        window = w->window_days;
        result_add_estimate(t, &w->nps_before, min_n);
        result_add_estimate(t, &w->nps_after, min_n);
        result_add_estimate(t, &w->nps_change, min_n);
        result_add_estimate(t, &w->mention_before, min_n);
        result_add_estimate(t, &w->mention_after, min_n);
        result_add_estimate(t, &w->mention_change, min_n);
    }
    result_meta_int(r, "without_theme", "cases without a theme",
                    a->without_theme);
    result_method(r,
                  "An area is the cases of one theme at one touchpoint (a "
                  "case's theme is the most negative one its comment "
                  "mentions). NPS of its customers: every NPS answer those "
                  "customers gave at the touchpoint. Before and after: the "
                  "%d days before and after the improvement was marked done, "
                  "at the touchpoint; NPS change with the sum of the two "
                  "NPS variances, theme share change (share of commented "
                  "responses that mention it) with Newcombe's interval.",
                  window ? window : 30);
    if (!drivers) {
        result_method(r, "Driver share: not computed.");
    } else {
        result_method(
            r,
            "Driver share: the part of the variance of the NPS answer "
            "(0-10) at the touchpoint that the theme accounts for, in "
            "percent: its LMG (Shapley) share of R², the \"importance %%\" "
            "of `resonans drivers --outcome nps --drivers themes --where "
            "touchpoint=K` over the same days (no bootstrap). One analysis per "
            "touchpoint of the first %zu areas, the drivers being the "
            "themes mentioned by at least %d of its commented responses "
            "(and missing from as many). Empty when the theme is not among "
            "them (too rare or too common there, or mentioned exactly "
            "where another theme is), when the analysis could not run, and "
            "for later areas.",
            drivers->top, drivers->min_n);
        if (drivers->failed)
            result_method(r,
                          "Driver share not computed at %zu of %zu "
                          "touchpoints; the first: %s.",
                          drivers->failed, drivers->touchpoints, drivers->note);
    }
    *out = r;
    return 0;
}

/* ---- the outbox ---- */

static int outbox_row(void *ctx, const struct outbox_msg *m)
{
    struct result_table *t = ctx;
    result_row(t);
    result_add_int(t, m->id);
    result_add_text(t, outbox_state_name(m->state));
    result_add_text(t, m->kind);
    result_add_text(t, m->target);
    result_add_text(t, m->event);
    if (m->case_id)
        result_add_int(t, m->case_id);
    else
        result_add_null(t);
    result_add_int(t, m->attempts);
    result_add_utc(t, m->created);
    result_add_utc(t, m->state == OUTBOX_PENDING ? m->next_at : 0);
    result_add_utc(t, m->sent_at);
    result_add_text(t, m->last_error);
    return 0;
}

int outbox_result(struct result **out, struct store *s, const char *state,
                  long limit, struct err *err)
{
    int st = -1;
    if (state) {
        for (int i = 0; i < 3; i++)
            if (!strcmp(state, outbox_state_name((enum outbox_state)i)))
                st = i;
        if (st < 0)
            return err_set(err, ERR_INVALID,
                           "--state: pending, sent or dead, not \"%s\"", state);
    }
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "notifications", NULL);
    result_table_empty(t, "(none)");
    result_col(t, "id", "id", RESULT_INTEGER, 0, 0);
    result_col(t, "state", "state", RESULT_TEXT, 0, 0);
    result_col(t, "kind", "kind", RESULT_TEXT, 0, 0);
    result_col(t, "target", "to", RESULT_TEXT, 0, 0);
    result_col(t, "event", "event", RESULT_TEXT, 0, 0);
    result_col(t, "case", "case", RESULT_INTEGER, 0, 0);
    result_col(t, "attempts", "tries", RESULT_INTEGER, 0, 0);
    result_col(t, "created", "created (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "next_at", "next try (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "sent_at", "sent (UTC)", RESULT_TEXT, 0, 0);
    result_col(t, "last_error", "last error", RESULT_TEXT, 0, 0);
    int rc = store_list_outbox(s, st, limit, outbox_row, t, err);
    if (rc < 0) {
        result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* ---- rules ---- */

int rules_result(struct result **out, const struct loop *l, const char *json,
                 int64_t id)
{
    const struct rules *rs = loop_rules(l);
    json_t *root = json_loads(json, 0, NULL);
    json_t *list = json_object_get(root, "rules");
    struct result *r = result_new();
    struct result_table *t = result_table_new(r, "rules", NULL);
    result_table_empty(t, "(no rules)");
    result_col(t, "key", "key", RESULT_TEXT, 0, 0);
    result_col(t, "name", "name", RESULT_TEXT, 0, 0);
    result_col(t, "priority", "priority", RESULT_TEXT, 0, 0);
    result_col(t, "sla_hours", "SLA h", RESULT_NUMBER, 1, 0);
    result_col(t, "team", "team", RESULT_TEXT, 0, 0);
    result_col(t, "recovery", "recovery", RESULT_BOOLEAN, 0, 0);
    result_col(t, "when", "when", RESULT_JSON, 0, 0);
    for (size_t i = 0; i < rules_count(rs); i++) {
        const struct rule *ru = rules_get(rs, i);
        result_row(t);
        result_add_text(t, ru->key);
        result_add_text(t, ru->name);
        result_add_text(t, case_priority_name(ru->priority));
        result_add_num(t, ru->sla_hours);
        result_add_text(t, ru->team ? ru->team : "(the touchpoint's owner)");
        result_add_bool(t, ru->recovery);
        char *w = json_dumps(json_object_get(json_array_get(list, i), "when"),
                             JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        if (w)
            result_add_json(t, w, strlen(w));
        else
            result_add_null(t);
        free(w);
    }
    json_decref(root);
    result_meta_int(r, "id", NULL, id);
    *out = r;
    return 0;
}
