/* Validating one row: a response (into the batch), a customer or an
 * event (written at once). Nothing is written unless the row is valid. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/strbuf.h"
#include "core/tstamp.h"
#include "ingest/idset.h"
#include "ingest/import_int.h"
#include "store/store.h"

/* A 64-bit hash of the row's values as the importer reads them: every
 * column that is imported (not --map X=-), each value trimmed unless it
 * is free text, --na values and empty fields left out, each with its
 * column number and length so that no two different rows give the same
 * bytes. Two rows are the same when their fingerprints are. */
static uint64_t fingerprint(struct imp *m, const struct record *rec)
{
    size_t n = rec->n < m->ncols ? rec->n : m->ncols;
    strbuf_reset(&m->fp);
    for (size_t i = 0; i < n; i++) {
        const struct col *c = &m->cols[i];
        struct rec_field t;
        const struct rec_field *f;
        if (c->role == R_IGNORE || c->role == R_UNKNOWN || c->role == R_UNSET)
            continue;
        int raw =
            c->role == R_ANSWER && (m->aspecs[c->ans].kind == ANSWER_TEXT ||
                                    m->aspecs[c->ans].kind == ANSWER_STORY);
        if (!(f = recfield_get(m, rec, (int)i, &t, raw)))
            continue;
        uint32_t hdr[2] = {(uint32_t)i, (uint32_t)f->n};
        strbuf_add(&m->fp, hdr, sizeof hdr);
        strbuf_add(&m->fp, f->p, f->n);
    }
    return hash_bytes(m->fp.p ? m->fp.p : "", m->fp.n);
}

/* Looks id p[0..n) of the record up among the ids seen in this file.
 * Returns 0 when it is new, with *fp the row's fingerprint for note_id;
 * 1 when it was seen in an identical row (skip this one); ERR_INVALID
 * (at f) when it was seen in a different row or the file has more lines
 * than the set can note. what names the id in the message; NULL names
 * f's value. */
static int check_dup(struct imp *m, const struct record *rec,
                     const struct rec_field *f, const char *p, size_t n,
                     const char *what, uint64_t *fp, struct err *err)
{
    uint32_t first_line;
    uint64_t first_fp;
    if (rec->line < 0 || (unsigned long)rec->line > IDSET_MAX_LINE)
        return import_bad(m, f, err, "the file has more than %lu lines",
                          (unsigned long)IDSET_MAX_LINE);
    *fp = fingerprint(m, rec);
    if (!idset_find(m->ids, p, n, &first_line, &first_fp))
        return 0;
    if (first_fp == *fp)
        return 1;
    if (what)
        return import_bad(m, f, err,
                          "%s is also on line %lu with different values", what,
                          (unsigned long)first_line);
    return import_bad(
        m, f, err, "id \"%.*s\" is also on line %lu with different values",
        recfield_shown(f->p, f->n), f->p, (unsigned long)first_line);
}

/* Notes id p[0..n) as seen, once its row is known to be valid: a row
 * rejected later must not claim its id. */
static void note_id(struct imp *m, const struct record *rec, const char *p,
                    size_t n, uint64_t fp)
{
    idset_add(m->ids, p, n, (uint32_t)rec->line, fp, NULL, NULL);
}

/* check_dup and note_id for the row's id column f (trimmed: a slice of
 * the input unless it was unescaped, so the set usually need not copy
 * it), for rows that nothing can reject after this check. */
static int check_id(struct imp *m, const struct record *rec,
                    const struct rec_field *f, struct err *err)
{
    uint64_t fp;
    int rc = check_dup(m, rec, f, f->p, f->n, NULL, &fp, err);
    if (rc == 0)
        note_id(m, rec, f->p, f->n, fp);
    return rc;
}

static int answer_value(struct imp *m, const struct aspec *s,
                        const struct rec_field *f, struct answer *a, int side,
                        struct err *err)
{
    double v;
    const char *p = f->p;
    size_t n = f->n;
    const char *what = s->kind == ANSWER_GAP ? (side ? "perceive" : "expect")
                                             : answer_kind_name(s->kind);
    switch (s->kind) {
    case ANSWER_RATING:
    case ANSWER_GAP:
        recfield_trim(&p, &n);
        if (recfield_parse_number(&v, p, n) < 0 || v < 0 || v > s->max)
            return import_bad(m, f, err,
                              "%s:%s must be a number 0..%g, got \"%.*s\"",
                              what, s->key, s->max, recfield_shown(p, n), p);
        if (side)
            a->v2 = v;
        else
            a->v1 = v;
        if (s->kind == ANSWER_RATING)
            a->v2 = s->max;
        return 0;
    case ANSWER_DYAD:
        recfield_trim(&p, &n);
        if (recfield_parse_number(&v, p, n) < 0 || v < 0 || v > 1)
            return import_bad(m, f, err,
                              "dyad:%s must be a number 0..1, got \"%.*s\"",
                              s->key, recfield_shown(p, n), p);
        a->v1 = v;
        return 0;
    case ANSWER_TRIAD: {
        double w[3];
        size_t k = 0, i = 0;
        recfield_trim(&p, &n);
        while (k < 3) {
            size_t j = i;
            while (j < n && p[j] != '|')
                j++;
            const char *q = p + i;
            size_t qn = j - i;
            recfield_trim(&q, &qn);
            if (recfield_parse_number(&w[k], q, qn) < 0 || w[k] < 0)
                break;
            k++;
            i = j + 1;
            if (j >= n)
                break;
        }
        double sum = k == 3 ? w[0] + w[1] + w[2] : 0;
        if (k != 3 || i < n + 1 || fabs(sum - 1) > 0.01)
            return import_bad(
                m, f, err,
                "triad:%s must be three weights a|b|c >= 0 summing to "
                "1, got \"%.*s\"",
                s->key, recfield_shown(p, n), p);
        a->v1 = w[0] / sum;
        a->v2 = w[1] / sum;
        a->v3 = w[2] / sum;
        return 0;
    }
    case ANSWER_CHOICE:
        recfield_trim(&p, &n);
        if (!n)
            return 0;
        a->text = recfield_cstr(m, p, n);
        return 0;
    case ANSWER_TEXT:
    case ANSWER_STORY:
        if (side)
            a->title = recfield_cstr(m, p, n);
        else
            a->text = recfield_cstr(m, p, n);
        return 0;
    }
    return err_set(err, ERR_INTERNAL, "unknown answer kind");
}

static int row_answers(struct imp *m, const struct record *rec,
                       struct response *r, struct err *err)
{
    int rc, na = 0;
    for (size_t k = 0; k < m->naspecs; k++) {
        const struct aspec *s = &m->aspecs[k];
        struct rec_field t0, t1;
        int raw = s->kind == ANSWER_TEXT || s->kind == ANSWER_STORY;
        const struct rec_field *f0 = recfield_get(m, rec, s->col[0], &t0, raw);
        const struct rec_field *f1 = recfield_get(m, rec, s->col[1], &t1, raw);
        struct answer *a = &m->answers[na];
        if (!f0 && !f1)
            continue;
        if (s->kind == ANSWER_GAP && (!f0 || !f1))
            return import_bad(
                m, f0 ? f0 : f1, err,
                "expect:%s and perceive:%s must be given together", s->key,
                s->key);
        if (s->kind == ANSWER_STORY && !f0)
            return import_bad(m, f1, err,
                              "story_title:%s given without story:%s", s->key,
                              s->key);
        memset(a, 0, sizeof *a);
        a->question = s->key;
        a->kind = s->kind;
        if (f0 && (rc = answer_value(m, s, f0, a, 0, err)) < 0)
            return rc;
        if (f1 && (rc = answer_value(m, s, f1, a, 1, err)) < 0)
            return rc;
        if (s->kind == ANSWER_CHOICE && !a->text)
            continue;
        na++;
    }
    r->answers = m->answers;
    r->n_answers = na;
    return 0;
}

static int valid_language(const char *p, size_t n)
{
    if (n < 2 || n > 35)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(isalnum(c) || ((c == '-' || c == '_') && i >= 2)))
            return 0;
    }
    return isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]);
}

/* Builds the row's attributes object from its R_ATTR columns. Returns
 * the JSON text (valid for this row) or NULL when there are none.
 * Responses' values are redacted first (comments_redact). */
static int row_attrs(struct imp *m, const struct record *rec, const char **out,
                     struct err *err)
{
    size_t n = rec->n < m->ncols ? rec->n : m->ncols;
    int rc;
    strbuf_reset(&m->attrs);
    for (size_t i = 0; i < n; i++) {
        struct rec_field t;
        const struct rec_field *f;
        if (m->cols[i].role != R_ATTR ||
            !(f = recfield_get(m, rec, (int)i, &t, 0)))
            continue;
        const char *p = f->p;
        size_t pn = f->n;
        if (m->kind == K_RESP && (rc = comments_redact(m, f, &p, &pn, err)) < 0)
            return rc;
        strbuf_putc(&m->attrs, m->attrs.n ? ',' : '{');
        strbuf_puts(&m->attrs, m->cols[i].attr_json);
        recfield_attr_value(&m->attrs, p, pn);
        if (m->attrs.n + 1 >= MAX_ATTRS)
            return import_bad(m, f, err,
                              "attributes are too large (over %zu bytes)",
                              MAX_ATTRS);
    }
    *out = NULL;
    if (m->attrs.n) {
        strbuf_putc(&m->attrs, '}');
        *out = strbuf_str(&m->attrs);
    }
    return 0;
}

int row_response(struct imp *m, const struct record *rec, struct response *out,
                 struct err *err)
{
    struct rec_field t_id, t_ts, t_tp, t;
    const struct rec_field *f_id, *f_ts, *f_tp, *f_cu, *f_em, *f;
    struct response r;
    size_t tpi = 0;
    uint64_t fp;
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = recfield_need(m, rec, R_ID, &t_id, &f_id, err)) < 0)
        return rc;
    /* check_dup comes after the plain checks; they hide its cache miss. */
    idset_prefetch(m->ids, f_id->p, f_id->n);
    if ((rc = recfield_id(m, f_id, "id", &r.ext_id, err)) < 0 ||
        (rc = recfield_need(m, rec, R_SUBMITTED_AT, &t_ts, &f_ts, err)) < 0 ||
        (rc = recfield_time(m, f_ts, "submitted_at", &r.ts, &r.tz_min, err)) <
            0 ||
        (rc = recfield_need(m, rec, R_TOUCHPOINT, &t_tp, &f_tp, err)) < 0 ||
        (rc = lookup_touchpoint(m, f_tp, &tpi, err)) < 0)
        return rc;
    r.touchpoint_id = m->tps[tpi].id;

    struct rec_field t_cu, t_em;
    f_cu = recfield_get(m, rec, m->single[R_CUSTOMER], &t_cu, 0);
    if (f_cu && f_cu->n > MAX_ID)
        return import_bad(m, f_cu, err, "customer is longer than %d bytes",
                          MAX_ID);
    f_em = recfield_get(m, rec, m->single[R_EMPLOYEE], &t_em, 0);
    if (f_em && f_em->n > MAX_ID)
        return import_bad(m, f_em, err, "employee is longer than %d bytes",
                          MAX_ID);

    r.kind = RESPONDENT_CUSTOMER;
    if ((f = recfield_get(m, rec, m->single[R_RESPONDENT], &t, 0))) {
        if (recfield_lc_eq(f->p, f->n, "employee"))
            r.kind = RESPONDENT_EMPLOYEE;
        else if (!recfield_lc_eq(f->p, f->n, "customer"))
            return import_bad(
                m, f, err,
                "respondent must be \"customer\" or \"employee\", got "
                "\"%.*s\"",
                recfield_shown(f->p, f->n), f->p);
    }
    struct rec_field t_ch;
    const struct rec_field *f_ch =
        recfield_get(m, rec, m->single[R_CHANNEL], &t_ch, 0);
    if (f_ch && !recfield_valid_key(f_ch->p, f_ch->n))
        return import_bad(m, f_ch, err, "channel \"%.*s\" is not a valid key",
                          recfield_shown(f_ch->p, f_ch->n), f_ch->p);
    if ((f = recfield_get(m, rec, m->single[R_LANGUAGE], &t, 0))) {
        if (!valid_language(f->p, f->n))
            return import_bad(
                m, f, err,
                "language must be a code like \"sv\" or \"en\", got "
                "\"%.*s\"",
                recfield_shown(f->p, f->n), f->p);
        r.language = recfield_cstr(m, f->p, f->n);
    }
    if ((rc = recfield_score(m, rec, R_NPS, "nps", 0, 10, &r.nps, err)) < 0 ||
        (rc = recfield_score(m, rec, R_CSAT, "csat", 1, 5, &r.csat, err)) < 0 ||
        (rc = recfield_score(m, rec, R_CES, "ces", 1, 7, &r.ces, err)) < 0 ||
        (rc = row_answers(m, rec, &r, err)) < 0 ||
        (rc = check_dup(m, rec, f_id, f_id->p, f_id->n, NULL, &fp, err)) != 0 ||
        (rc = comments_analyze(m, rec, &r, err)) < 0 ||
        (rc = row_attrs(m, rec, &r.attrs, err)) < 0)
        return rc; /* 1: a repeat, skipped before its text is analysed */
    if (r.attrs)   /* the row's copy is reused: the batch keeps its own */
        r.attrs = memcpy(batch_alloc(m->fill, m->attrs.n + 1), r.attrs,
                         m->attrs.n + 1);

    /* Valid: now resolve what may need writing. */
    struct tp *tp = &m->tps[tpi];
    if (f_ch) {
        if ((rc = lookup_channel(m, f_ch->p, f_ch->n, &r.channel_id, err)) < 0)
            return rc;
    } else {
        if (!tp->channel_id &&
            (rc = lookup_channel(m, tp->channel, strlen(tp->channel),
                                 &tp->channel_id, err)) < 0)
            return rc;
        r.channel_id = tp->channel_id;
    }
    if (f_cu && (rc = lookup_customer(m, recfield_cstr(m, f_cu->p, f_cu->n),
                                      f_cu->n, &r.customer_id, err)) < 0)
        return rc;
    if (f_em && (rc = lookup_employee(m, recfield_cstr(m, f_em->p, f_em->n),
                                      f_em->n, &r.employee_id, err)) < 0)
        return rc;
    note_id(m, rec, f_id->p, f_id->n, fp);
    *out = r;
    return 0;
}

int row_customer(struct imp *m, const struct record *rec, struct err *err)
{
    struct rec_field t_id, t_sg;
    const struct rec_field *f_id, *f_sg;
    struct customer c = {0, NULL, NULL, NULL};
    int rc, inserted;

    if ((rc = recfield_need(m, rec, R_ID, &t_id, &f_id, err)) < 0 ||
        (rc = recfield_id(m, f_id, "id", &c.ext_id, err)) < 0)
        return rc;
    if ((f_sg = recfield_get(m, rec, m->single[R_SEGMENT], &t_sg, 0)))
        c.segment = recfield_cstr(m, f_sg->p, f_sg->n);
    if ((rc = row_attrs(m, rec, &c.attrs, err)) < 0 ||
        (rc = check_id(m, rec, f_id, err)) != 0)
        return rc;
    if (m->o->update) {
        struct err e = ERR_INIT;
        int changed = 0;
        if ((rc = store_update_customer(m->s, &c, m->since, &changed, &e)) <
            0) {
            /* a back-dated segment change is the row's fault */
            if (rc == ERR_INVALID)
                return import_bad(m, f_id, err, "%s", e.msg);
            *err = e;
            return rc;
        }
        if (changed == 1)
            m->n->inserted++;
        else if (changed == 2)
            m->n->updated++;
        else
            m->n->unchanged++;
        return 0;
    }
    if ((rc = store_put_customer(m->s, &c, &inserted, err)) < 0)
        return rc;
    if (inserted)
        m->n->inserted++;
    else
        m->n->present++;
    return 0;
}

int row_event(struct imp *m, const struct record *rec, struct err *err)
{
    struct rec_field t_cu, t_ac, t_tm, t_id, t_tp, t_ch;
    const struct rec_field *f_cu, *f_ac, *f_tm, *f_id, *f_tp, *f_ch;
    struct event e;
    size_t tpi = 0;
    int rc, inserted;

    memset(&e, 0, sizeof e);
    if ((rc = recfield_need(m, rec, R_CUSTOMER, &t_cu, &f_cu, err)) < 0 ||
        (rc = recfield_need(m, rec, R_ACTIVITY, &t_ac, &f_ac, err)) < 0 ||
        (rc = recfield_need(m, rec, R_TIME, &t_tm, &f_tm, err)) < 0 ||
        (rc = recfield_time(m, f_tm, "time", &e.ts, &e.tz_min, err)) < 0)
        return rc;
    if (f_cu->n > MAX_ID)
        return import_bad(m, f_cu, err, "customer is longer than %d bytes",
                          MAX_ID);
    if (f_ac->n > MAX_ID)
        return import_bad(m, f_ac, err, "activity is longer than %d bytes",
                          MAX_ID);
    e.activity = recfield_cstr(m, f_ac->p, f_ac->n);
    if ((f_tp = recfield_get(m, rec, m->single[R_TOUCHPOINT], &t_tp, 0)) &&
        (rc = lookup_touchpoint(m, f_tp, &tpi, err)) < 0)
        return rc;
    f_ch = recfield_get(m, rec, m->single[R_CHANNEL], &t_ch, 0);
    if (f_ch && !recfield_valid_key(f_ch->p, f_ch->n))
        return import_bad(m, f_ch, err, "channel \"%.*s\" is not a valid key",
                          recfield_shown(f_ch->p, f_ch->n), f_ch->p);
    if ((rc = row_attrs(m, rec, &e.attrs, err)) < 0)
        return rc;

    if ((f_id = recfield_get(m, rec, m->single[R_ID], &t_id, 0))) {
        if ((rc = recfield_id(m, f_id, "id", &e.ext_id, err)) < 0 ||
            (rc = check_id(m, rec, f_id, err)) != 0)
            return rc;
    } else {
        /* customer|activity|UTC time identifies an event without an id. */
        char ts[40];
        tstamp_format(ts, sizeof ts, e.ts, 0);
        strbuf_reset(&m->tmp);
        strbuf_add(&m->tmp, f_cu->p, f_cu->n);
        strbuf_putc(&m->tmp, '|');
        strbuf_add(&m->tmp, f_ac->p, f_ac->n);
        strbuf_putc(&m->tmp, '|');
        strbuf_puts(&m->tmp, ts);
        e.ext_id = strbuf_str(&m->tmp);
        uint64_t fp;
        if ((rc = check_dup(m, rec, f_cu, e.ext_id, m->tmp.n,
                            "an event with the same customer, activity and "
                            "time (give events an id column to keep both)",
                            &fp, err)) != 0)
            return rc;
        note_id(m, rec, e.ext_id, m->tmp.n, fp);
    }

    /* Without a touchpoint, an activity the journey file names (as a
     * touchpoint's key, name or alias) places the event there. */
    int by_activity =
        !f_tp && lookup_activity_touchpoint(m, f_ac->p, f_ac->n, &tpi);
    if (f_tp || by_activity) {
        struct tp *tp = &m->tps[tpi];
        e.touchpoint_id = tp->id;
        if (!f_ch && !tp->channel_id &&
            (rc = lookup_channel(m, tp->channel, strlen(tp->channel),
                                 &tp->channel_id, err)) < 0)
            return rc;
        e.channel_id = tp->channel_id;
    }
    if (f_ch &&
        (rc = lookup_channel(m, f_ch->p, f_ch->n, &e.channel_id, err)) < 0)
        return rc;
    if ((rc = lookup_customer(m, recfield_cstr(m, f_cu->p, f_cu->n), f_cu->n,
                              &e.customer_id, err)) < 0 ||
        (rc = store_put_event(m->s, &e, &inserted, err)) < 0)
        return rc;
    if (inserted)
        m->n->inserted++;
    else
        m->n->present++;
    return 0;
}
