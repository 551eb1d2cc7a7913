/* The public side: a survey's page, its submission as a posted form or
 * as JSON. A submission is checked, its texts redacted and analysed on
 * this thread, then queued for the group commit; the answer goes out
 * when the commit is durable (the request waits without a thread). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "http/form.h"
#include "ingest/comment.h"
#include "server/ingest.h"
#include "server/ratelimit.h"
#include "server/server_int.h"
#include "server/stats.h"
#include "survey/survey.h"
#include "text/analyze.h"

/* A bump allocator for one submission's strings. */
struct arena {
    struct chunk {
        struct chunk *next;
        size_t used, cap;
        max_align_t data[];
    } * head;
};

static void *arena_alloc(void *ctx, size_t n)
{
    struct arena *a = ctx;
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!a->head || a->head->used + n > a->head->cap) {
        size_t cap = n > 4096 ? n : 4096;
        struct chunk *c = xmalloc(sizeof *c + cap);
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static const char *arena_str(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static void arena_free(struct arena *a)
{
    while (a->head) {
        struct chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
}

/* One submission on its way. */
struct sub {
    struct ingest_item it;
    struct arena arena;
    struct http_req *req;
    struct server *srv;
    struct survey_ref *ref;
    int json;         /* answered as JSON, else as a page */
    const char *lang; /* static */
    const char *token;
};

static void sub_free(struct sub *sb)
{
    srv_survey_release(sb->ref);
    arena_free(&sb->arena);
    free(sb);
}

static enum http_verdict page(struct call *c, int status, const char *lang,
                              const char *title, const char *text)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_printf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta "
                  "charset=\"utf-8\"><meta name=\"viewport\" "
                  "content=\"width=device-width, initial-scale=1\"><title>",
                  lang);
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</title><link rel=\"stylesheet\" "
                    "href=\"/assets/survey.css\"></head><body><main><h1>");
    escape_xml(&b, title, strlen(title));
    strbuf_puts(&b, "</h1><p>");
    escape_xml(&b, text, strlen(text));
    strbuf_puts(&b, "</p></main></body></html>\n");
    size_t n;
    char *body = strbuf_detach(&b, &n);
    return srv_send(c, status, "text/html; charset=utf-8", body, n);
}

static void security_headers(struct http_resp *resp)
{
    http_resp_header(resp, "Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; "
                     "form-action 'self'; base-uri 'none'");
    http_resp_header(resp, "X-Content-Type-Options", "nosniff");
    http_resp_header(resp, "Referrer-Policy", "no-referrer");
    http_resp_header(resp, "Cache-Control", "no-store");
}

/* Answers the page in b (taken) with the survey pages' headers. */
static enum http_verdict send_page(struct call *c, int status, struct strbuf *b)
{
    size_t n;
    char *body = strbuf_detach(b, &n);
    srv_send(c, status, "text/html; charset=utf-8", body, n);
    security_headers(c->resp);
    return HTTP_DONE;
}

/* The context a link carries: touchpoint, channel, a signed reference. */
struct context {
    char tp[128], ch[128], ref[256], sig[64];
    int64_t tp_id, ch_id;
    char tp_name[256];
};

/* The reasons check_context gives, and what a respondent reads in
 * Swedish. */
static const char *const reasons[][2] = {
    {"the link names no touchpoint", "Länken anger ingen kontaktpunkt."},
    {"the link names a touchpoint that does not exist",
     "Länken anger en kontaktpunkt som inte finns."},
    {"the link names a channel that does not exist",
     "Länken anger en kanal som inte finns."},
    {"the touchpoint has no channel: the link must name one",
     "Kontaktpunkten har ingen kanal, så länken måste ange en."},
    {"the reference in the link is not signed by this server",
     "Länken har ändrats: referensen i den är inte signerad av oss."},
};

static const char *reason(const char *why, const char *lang)
{
    if (strcmp(lang, "sv") != 0)
        return why;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (!strcmp(reasons[i][0], why))
            return reasons[i][1];
    return why;
}

static int sv(const char *v)
{
    return v && *v;
}

/* Checks the context; 0, or -1 with *why and *field set. */
static int check_context(struct server *s, const char *survey,
                         struct context *x, const char **why,
                         const char **field, int *status)
{
    char msg[1024];
    *status = 400;
    if (!x->tp[0]) {
        *why = "the link names no touchpoint";
        *field = "touchpoint";
        return -1;
    }
    if (srv_touchpoint(s, x->tp, &x->tp_id, &x->ch_id, x->tp_name,
                       sizeof x->tp_name) < 0) {
        *why = "the link names a touchpoint that does not exist";
        *field = "touchpoint";
        *status = 404;
        return -1;
    }
    if (x->ch[0] && srv_channel(s, x->ch, &x->ch_id) < 0) {
        *why = "the link names a channel that does not exist";
        *field = "channel";
        return -1;
    }
    if (x->ch_id <= 0) {
        *why = "the touchpoint has no channel: the link must name one";
        *field = "channel";
        return -1;
    }
    if (x->ref[0]) {
        auth_ref_message(msg, sizeof msg, survey, x->tp, x->ch, x->ref);
        if (!x->sig[0] || !auth_sign_ok(s->sign_key, msg, x->sig)) {
            *why = "the reference in the link is not signed by this server";
            *field = "ref";
            *status = 403;
            return -1;
        }
    }
    return 0;
}

static void copy_field(char *dst, size_t cap, const char *v)
{
    dst[0] = 0;
    if (v && strlen(v) < cap)
        memcpy(dst, v, strlen(v) + 1);
}

/* A client token: 1..64 of A-Z a-z 0-9 - _ . : (what the JSON API
 * documents; a page's own are base64url). */
static int token_ok(const char *t)
{
    return sv(t) && strlen(t) <= 64 &&
           strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_.:") == strlen(t);
}

static void new_token(char out[32])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, 32, b, sizeof b,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

enum http_verdict h_survey_page(struct call *c)
{
    char key[128];
    struct survey_ref *ref;
    struct err err = ERR_INIT;
    struct context x;
    const char *why, *field;
    int status;
    if (srv_param(c, "survey", key, sizeof key) < 0)
        return HTTP_DONE;
    if (srv_survey(c->srv, key, &ref, &err) < 0)
        return page(c, 404, "en", "Not found", "There is no such survey.");
    const struct survey_def *d = srv_survey_def(ref);
    const char *lang = survey_pick_lang(d, http_arg(c->req, "lang"),
                                        http_header(c->req, "Accept-Language"));
    copy_field(x.tp, sizeof x.tp, http_arg(c->req, "touchpoint"));
    copy_field(x.ch, sizeof x.ch, http_arg(c->req, "channel"));
    copy_field(x.ref, sizeof x.ref, http_arg(c->req, "ref"));
    copy_field(x.sig, sizeof x.sig, http_arg(c->req, "sig"));
    if (check_context(c->srv, key, &x, &why, &field, &status) < 0) {
        srv_survey_release(ref);
        return page(c, status, lang,
                    !strcmp(lang, "sv") ? "Länken fungerar inte"
                                        : "This link does not work",
                    reason(why, lang));
    }
    struct form hidden = FORM_INIT;
    char token[32], action[256];
    new_token(token);
    form_add(&hidden, "touchpoint", x.tp);
    if (x.ch[0])
        form_add(&hidden, "channel", x.ch);
    if (x.ref[0]) {
        form_add(&hidden, "ref", x.ref);
        form_add(&hidden, "sig", x.sig);
    }
    form_add(&hidden, "lang", lang);
    form_add(&hidden, "token", token);
    snprintf(action, sizeof action, "/s/%s", key);
    struct survey_page p = {lang, action, &hidden, x.tp_name,
                            NULL, NULL,   NULL,    "/assets/"};
    struct strbuf b = STRBUF_INIT;
    int rc = survey_render_page(&b, d, &p, &err);
    form_dispose(&hidden);
    srv_survey_release(ref);
    if (rc < 0) {
        strbuf_dispose(&b);
        return srv_fail(c, &err);
    }
    return send_page(c, 200, &b);
}

/* Redacts every text of the answers, and analyses the comments (texts
 * and stories; a story's title and a chosen option are only redacted),
 * as an import does. */
static int analyse(struct server *s, struct sub *sb, struct err *err)
{
    struct analyzer *an = srv_analyzer(s);
    struct analysis res;
    int rc = 0;
    struct answer *answers = (struct answer *)sb->it.r.answers;
    if (!an)
        return err_set(err, ERR_INTERNAL, "no analyzer");
    analysis_init(&res);
    for (int i = 0; i < sb->it.r.n_answers && rc == 0; i++) {
        struct answer *a = &answers[i];
        if (a->text && a->kind == ANSWER_CHOICE) {
            /* an option's key: redacted like any value, not a comment */
            rc = analyzer_redact(an, &res, a->text, strlen(a->text), err);
            if (rc == 0)
                comment_keep(&res, s->themes, 0, arena_alloc, &sb->arena,
                             &a->text);
        } else if (a->text) {
            rc =
                analyzer_run(an, &res, a->text, strlen(a->text), sb->lang, err);
            if (rc == 0)
                a->analysis = comment_keep(&res, s->themes, 1, arena_alloc,
                                           &sb->arena, &a->text);
        }
        if (rc == 0 && a->title) {
            rc = analyzer_redact(an, &res, a->title, strlen(a->title), err);
            if (rc == 0)
                comment_keep(&res, s->themes, 0, arena_alloc, &sb->arena,
                             &a->title);
        }
        if (rc < 0)
            snprintf(err->where, sizeof err->where, "%s", a->question);
    }
    analysis_dispose(&res);
    return rc;
}

/* Copies the answers into the submission's arena and fills the response. */
static void fill_response(struct sub *sb, const struct survey_answers *ans,
                          const struct context *x, const char *survey,
                          enum survey_audience aud)
{
    struct response *r = &sb->it.r;
    struct arena *a = &sb->arena;
    struct answer *copy =
        ans->n_answers ? arena_alloc(a, (size_t)ans->n_answers * sizeof *copy)
                       : NULL;
    for (int i = 0; i < ans->n_answers; i++) {
        copy[i] = ans->answers[i];
        copy[i].question = arena_str(a, ans->answers[i].question);
        copy[i].text = arena_str(a, ans->answers[i].text);
        copy[i].title = arena_str(a, ans->answers[i].title);
        copy[i].analysis = NULL;
    }
    memset(r, 0, sizeof *r);
    char ext[64];
    snprintf(ext, sizeof ext, "web-%s", sb->token);
    r->ext_id = arena_str(a, ext);
    r->kind =
        aud == SURVEY_EMPLOYEE ? RESPONDENT_EMPLOYEE : RESPONDENT_CUSTOMER;
    r->touchpoint_id = x->tp_id;
    r->channel_id = x->ch_id;
    r->language = sb->lang;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    r->ts = (int64_t)now;
    r->tz_min = (int)(tm.tm_gmtoff / 60);
    r->nps = ans->nps;
    r->csat = ans->csat;
    r->ces = ans->ces;
    r->answers = copy;
    r->n_answers = ans->n_answers;
    struct strbuf at = STRBUF_INIT;
    strbuf_puts(&at, "{\"survey\":");
    strbuf_json_string(&at, survey, strlen(survey));
    if (ans->consent)
        strbuf_puts(&at, ",\"contact\":\"yes\"");
    strbuf_puts(&at, "}");
    r->attrs = arena_str(a, at.p);
    strbuf_dispose(&at);
    if (x->ref[0]) {
        if (aud == SURVEY_EMPLOYEE)
            sb->it.employee = arena_str(a, x->ref);
        else
            sb->it.customer = arena_str(a, x->ref);
    }
}

/* The writer's callback: the outcome is durable; answer and resume. */
static void sub_done(struct ingest_item *it)
{
    struct sub *sb = it->ctx;
    struct http_resp *resp = http_req_resp(sb->req);
    struct call c = {sb->srv, sb->req, NULL, NULL, resp, NULL};
    if (it->rc < 0) {
        if (sb->json)
            srv_fail(&c, &it->err);
        else
            page(&c, it->rc == ERR_DB ? 503 : 400, sb->lang,
                 !strcmp(sb->lang, "sv") ? "Något gick fel"
                                         : "Something went wrong",
                 !strcmp(sb->lang, "sv")
                     ? "Svaret kunde inte sparas. Försök igen om en stund."
                     : "Your answer could not be saved. Please try again "
                       "in a moment.");
    } else if (sb->json) {
        json_t *v = json_pack("{s:s, s:b}", "id", it->r.ext_id, "duplicate",
                              it->duplicate);
        srv_json(&c, it->duplicate ? 200 : 201, v);
    } else {
        struct strbuf b = STRBUF_INIT;
        struct err err = ERR_INIT;
        if (survey_render_thanks(&b, srv_survey_def(sb->ref), sb->lang,
                                 "/assets/", &err) == 0) {
            send_page(&c, 200, &b);
        } else {
            strbuf_dispose(&b);
            srv_fail(&c, &err);
        }
    }
    struct http_req *req = sb->req;
    sub_free(sb);
    http_resume(req);
}

/* Queues sb: the request is answered by sub_done. */
static enum http_verdict enqueue(struct call *c, struct sub *sb)
{
    struct err err = ERR_INIT;
    if (analyse(c->srv, sb, &err) < 0) {
        sub_free(sb);
        return srv_error(c, 400, "invalid", err.msg, err.where);
    }
    sb->it.done = sub_done;
    sb->it.ctx = sb;
    sb->req = c->req;
    sb->srv = c->srv;
    pthread_rwlock_rdlock(&c->srv->ingest_mu);
    if (!c->srv->ingest) { /* stopping: the writer has committed its last */
        pthread_rwlock_unlock(&c->srv->ingest_mu);
        sub_free(sb);
        srv_error(c, 503, "stopping", "the server is stopping: try again",
                  NULL);
        http_resp_header(c->resp, "Retry-After", "5");
        return HTTP_DONE;
    }
    ingest_submit(c->srv->ingest, &sb->it);
    pthread_rwlock_unlock(&c->srv->ingest_mu);
    return HTTP_PENDING;
}

/* Seconds until the next request from the address would pass. */
static void retry_after(struct call *c)
{
    char v[24];
    double rate = c->srv->cfg.rate;
    long secs = rate > 0 ? (long)(1.0 / rate + 0.999) : 1;
    snprintf(v, sizeof v, "%ld", secs < 1 ? 1 : secs);
    http_resp_header(c->resp, "Retry-After", v);
}

static int limited(struct call *c)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    char addr[64];
    if (ratelimit_take(c->srv->rl, srv_client(c, addr, sizeof addr), now))
        return 0;
    stats_rate_limited(c->srv->stats);
    return 1;
}

enum http_verdict h_survey_post(struct call *c)
{
    char key[128];
    struct survey_ref *ref;
    struct err err = ERR_INIT;
    struct context x;
    struct form f = FORM_INIT;
    const char *why, *field;
    int status;
    size_t len;
    const char *body = http_body(c->req, &len);
    if (srv_param(c, "survey", key, sizeof key) < 0)
        return HTTP_DONE;
    if (limited(c)) {
        page(c, 429, "en", "Too many answers",
             "Too many answers from your address. Wait a moment and try "
             "again.");
        retry_after(c);
        return HTTP_DONE;
    }
    if (len > c->srv->cfg.public_body)
        return page(c, 413, "en", "Too long", "The answer is too long.");
    if (srv_survey(c->srv, key, &ref, &err) < 0)
        return page(c, 404, "en", "Not found", "There is no such survey.");
    const struct survey_def *d = srv_survey_def(ref);
    if (form_parse(&f, body, len, &err) < 0) {
        srv_survey_release(ref);
        return page(c, 400, "en", "Bad request", err.msg);
    }
    const char *lang = survey_pick_lang(d, form_get(&f, "lang"),
                                        http_header(c->req, "Accept-Language"));
    copy_field(x.tp, sizeof x.tp, form_get(&f, "touchpoint"));
    copy_field(x.ch, sizeof x.ch, form_get(&f, "channel"));
    copy_field(x.ref, sizeof x.ref, form_get(&f, "ref"));
    copy_field(x.sig, sizeof x.sig, form_get(&f, "sig"));
    if (check_context(c->srv, key, &x, &why, &field, &status) < 0) {
        form_dispose(&f);
        srv_survey_release(ref);
        stats_rejected(c->srv->stats);
        return page(c, status, lang,
                    !strcmp(lang, "sv") ? "Länken fungerar inte"
                                        : "This link does not work",
                    reason(why, lang));
    }
    struct survey_answers ans;
    const char *msg_lang = NULL;
    if (survey_answers_from_form(&ans, d, &f, lang, &msg_lang, &err) < 0) {
        /* the page again, with the answers given and the error */
        char action[256];
        struct form hidden = FORM_INIT;
        static const char *const carry[] = {"touchpoint", "channel", "ref",
                                            "sig",        "lang",    "token"};
        for (size_t i = 0; i < sizeof carry / sizeof carry[0]; i++)
            if (sv(form_get(&f, carry[i])))
                form_add(&hidden, carry[i], form_get(&f, carry[i]));
        snprintf(action, sizeof action, "/s/%s", key);
        struct survey_page p = {lang,
                                action,
                                &hidden,
                                x.tp_name,
                                &f,
                                err.where,
                                msg_lang ? msg_lang : err.msg,
                                "/assets/"};
        struct strbuf b = STRBUF_INIT;
        struct err e2 = ERR_INIT;
        int rc = survey_render_page(&b, d, &p, &e2);
        form_dispose(&hidden);
        form_dispose(&f);
        srv_survey_release(ref);
        stats_rejected(c->srv->stats);
        if (rc < 0) {
            strbuf_dispose(&b);
            return srv_fail(c, &e2);
        }
        return send_page(c, 422, &b);
    }
    struct sub *sb = xcalloc(1, sizeof *sb);
    char token[32];
    sb->ref = ref;
    sb->lang = lang;
    /* the page's token, or (a page altered) a new one */
    const char *given = form_get(&f, "token");
    if (token_ok(given))
        sb->token = arena_str(&sb->arena, given);
    else {
        new_token(token);
        sb->token = arena_str(&sb->arena, token);
    }
    fill_response(sb, &ans, &x, key, survey_def_audience(d));
    survey_answers_dispose(&ans);
    form_dispose(&f);
    return enqueue(c, sb);
}

enum http_verdict h_survey_submit_json(struct call *c)
{
    char key[128];
    struct survey_ref *ref;
    struct err err = ERR_INIT;
    struct context x;
    json_error_t je;
    const char *why, *field;
    int status;
    size_t len;
    const char *body = http_body(c->req, &len);
    if (srv_param(c, "survey", key, sizeof key) < 0)
        return HTTP_DONE;
    if (limited(c)) {
        srv_error(c, 429, "rate_limited",
                  "too many submissions from this address", NULL);
        retry_after(c);
        return HTTP_DONE;
    }
    if (len > c->srv->cfg.public_body)
        return srv_error(c, 413, "too_large", "the submission is too large",
                         NULL);
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        char msg[300];
        snprintf(msg, sizeof msg, "the body is not a JSON object: %s",
                 root ? "not an object" : je.text);
        return srv_error(c, 400, "invalid", msg, NULL);
    }
    if (srv_survey(c->srv, key, &ref, &err) < 0) {
        json_decref(root);
        return srv_fail(c, &err);
    }
    const struct survey_def *d = srv_survey_def(ref);
    static const char *const known[] = {"touchpoint", "channel",      "ref",
                                        "sig",        "client_token", "lang",
                                        "answers"};
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        size_t i = 0;
        while (i < sizeof known / sizeof known[0] && strcmp(known[i], k) != 0)
            i++;
        if (i == sizeof known / sizeof known[0] ||
            (i < 6 && !json_is_string(v)) || (i == 6 && !json_is_object(v))) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     i == sizeof known / sizeof known[0] ? "unknown member"
                                                         : "must be a %s",
                     i == 6 ? "JSON object" : "string");
            srv_survey_release(ref);
            enum http_verdict out = srv_error(c, 400, "invalid", msg, k);
            json_decref(root);
            return out;
        }
    }
    copy_field(x.tp, sizeof x.tp,
               json_string_value(json_object_get(root, "touchpoint")));
    copy_field(x.ch, sizeof x.ch,
               json_string_value(json_object_get(root, "channel")));
    copy_field(x.ref, sizeof x.ref,
               json_string_value(json_object_get(root, "ref")));
    copy_field(x.sig, sizeof x.sig,
               json_string_value(json_object_get(root, "sig")));
    if (check_context(c->srv, key, &x, &why, &field, &status) < 0) {
        json_decref(root);
        srv_survey_release(ref);
        stats_rejected(c->srv->stats);
        return srv_error(c, status,
                         status == 403   ? "forged_reference"
                         : status == 404 ? "not_found"
                                         : "invalid",
                         why, field);
    }
    const char *lang =
        survey_pick_lang(d, json_string_value(json_object_get(root, "lang")),
                         http_header(c->req, "Accept-Language"));
    /* the answers as parsed with the body, not printed and read again */
    json_t *answers = json_object_get(root, "answers");
    json_t *none = answers ? NULL : json_object();
    struct survey_answers ans;
    int rc =
        survey_answers_from_object(&ans, d, answers ? answers : none, &err);
    json_decref(none);
    if (rc < 0) {
        json_decref(root);
        srv_survey_release(ref);
        stats_rejected(c->srv->stats);
        char where[200];
        snprintf(where, sizeof where, "answers.%s", err.where);
        return srv_error(c, 400, "invalid", err.msg,
                         err.where[0] ? where : "answers");
    }
    struct sub *sb = xcalloc(1, sizeof *sb);
    char token[32];
    const char *given =
        json_string_value(json_object_get(root, "client_token"));
    sb->ref = ref;
    sb->lang = lang;
    sb->json = 1;
    if (token_ok(given)) {
        sb->token = arena_str(&sb->arena, given);
    } else if (sv(given)) {
        sub_free(sb);
        survey_answers_dispose(&ans);
        json_decref(root);
        return srv_error(
            c, 400, "invalid",
            "client_token: at most 64 of A-Z a-z 0-9 - _ . :", "client_token");
    } else {
        new_token(token);
        sb->token = arena_str(&sb->arena, token);
    }
    fill_response(sb, &ans, &x, key, survey_def_audience(d));
    survey_answers_dispose(&ans);
    json_decref(root);
    return enqueue(c, sb);
}
