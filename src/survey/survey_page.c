/* The survey page: one server-rendered form that works without
 * JavaScript; web/survey.js enhances it through the data- attributes
 * written here (docs/surveys.md, "The page"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "survey/survey_int.h"

/* Render state: the first append that fails is kept, so a page that hits
 * the buffer's maximum is reported instead of sent half-written. */
struct pg {
    struct strbuf *b;
    int rc;
    const struct survey_def *d;
    const struct survey_page *p;
    int li;
};

static void put(struct pg *g, const char *s)
{
    if (!g->rc)
        g->rc = strbuf_puts(g->b, s);
}

static void putf(struct pg *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct pg *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!g->rc)
        g->rc = strbuf_vprintf(g->b, fmt, ap);
    va_end(ap);
}

static void esc(struct pg *g, const char *s)
{
    if (!g->rc && s)
        g->rc = escape_xml(g->b, s, strlen(s));
}

static const char *tx(struct pg *g, const struct sv_text *t)
{
    return sv_text_get(g->d, t, g->li);
}

static const char *msg(struct pg *g, enum sv_msg m)
{
    return sv_msg(m, g->li);
}

static int has_error(struct pg *g, const struct sv_question *q)
{
    return g->p->error_msg && g->p->error_field &&
           !strcmp(g->p->error_field, q->key);
}

static const char *value(struct pg *g, const char *key, const char *suffix)
{
    char name[80];
    if (!g->p->values)
        return NULL;
    snprintf(name, sizeof name, "%s%s", key, suffix);
    return form_get(g->p->values, name);
}

static void head(struct pg *g, const char *title, int error)
{
    const char *base = g->p->asset_base ? g->p->asset_base : "/assets/";
    put(g, "<!DOCTYPE html>\n<html lang=\"");
    put(g, sv_lang_code(g->li));
    put(g, "\">\n<head>\n<meta charset=\"utf-8\" />\n"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\" />\n<title>");
    if (error) {
        esc(g, msg(g, SV_UI_ERROR_PREFIX));
        put(g, " ");
    }
    esc(g, title);
    put(g, "</title>\n<link rel=\"stylesheet\" href=\"");
    esc(g, base);
    put(g, "survey.css\" />\n<script src=\"");
    esc(g, base);
    put(g, "survey.js\" defer=\"defer\"></script>\n</head>\n<body>\n");
}

/* data-when="KEY" data-min=".." data-max=".." or data-is="a b": what
 * survey.js tests to show a follow-up or switch a prompt. */
static void when_attrs(struct pg *g, const struct sv_when *w)
{
    if (w->question < 0)
        return;
    put(g, " data-when=\"");
    esc(g, g->d->q[w->question].key);
    put(g, "\"");
    if (w->has_min)
        putf(g, " data-min=\"%d\"", w->min);
    if (w->has_max)
        putf(g, " data-max=\"%d\"", w->max);
    if (w->n_is) {
        put(g, " data-is=\"");
        for (int i = 0; i < w->n_is; i++) {
            if (i)
                put(g, " ");
            esc(g, w->is[i]);
        }
        put(g, "\"");
    }
}

/* "If you answered 0–6:" for a page read without JavaScript. */
static void when_words(struct pg *g, const struct sv_when *w)
{
    const struct sv_question *ref;
    if (w->question < 0)
        return;
    ref = &g->d->q[w->question];
    put(g, "<span class=\"q-cond\">");
    esc(g, msg(g, SV_UI_IF));
    if (w->n_is) {
        for (int i = 0; i < w->n_is; i++) {
            if (i)
                esc(g, msg(g, SV_UI_OR));
            for (int k = 0; k < ref->n_options; k++)
                if (!strcmp(ref->options[k].key, w->is[i])) {
                    put(g, g->li == 0 ? "”" : "“");
                    esc(g, tx(g, &ref->options[k].label));
                    put(g, "”");
                }
        }
    } else {
        /* an open end is the end of the scale: "9–10", not "9 or more" */
        int lo = w->has_min ? w->min : sv_scale_min(ref);
        int hi = w->has_max ? w->max : ref->scale;
        if (lo == hi)
            putf(g, "%d", lo);
        else
            putf(g, "%d–%d", lo, hi);
    }
    put(g, ":</span> ");
}

/* The words of a question: condition, prompt and its variants, and the
 * required mark; inside a <legend> or <label>. */
static void prompt(struct pg *g, const struct sv_question *q)
{
    when_words(g, &q->when);
    put(g, "<span class=\"q-prompt\">");
    esc(g, tx(g, &q->prompt));
    put(g, "</span>");
    for (int i = 0; i < q->n_variants; i++) {
        put(g, "<span class=\"q-prompt q-variant\" hidden=\"hidden\"");
        when_attrs(g, &q->variants[i].when);
        put(g, ">");
        esc(g, tx(g, &q->variants[i].prompt));
        put(g, "</span>");
    }
    if (q->required) {
        put(g, " <span class=\"q-req\">");
        esc(g, msg(g, SV_UI_REQUIRED));
        put(g, "</span>");
    }
}

/* The hint and the error message under the prompt. */
static void notes(struct pg *g, const struct sv_question *q)
{
    if (q->hint.t[0] || q->hint.t[1]) {
        put(g, "<p class=\"q-hint\" id=\"h-");
        put(g, q->key);
        put(g, "\">");
        esc(g, tx(g, &q->hint));
        put(g, "</p>\n");
    }
    if (has_error(g, q)) {
        put(g, "<p class=\"q-error-msg\" id=\"e-");
        put(g, q->key);
        put(g, "\"><span class=\"visually-hidden\">");
        esc(g, msg(g, SV_UI_ERROR_PREFIX));
        put(g, " </span>");
        esc(g, g->p->error_msg);
        put(g, "</p>\n");
    }
}

/* aria-describedby (hint, error and `extra` ids) and aria-invalid of a
 * control of q. */
static void described(struct pg *g, const struct sv_question *q,
                      const char *extra)
{
    int hint = q->hint.t[0] || q->hint.t[1], error = has_error(g, q);
    if (!hint && !error && !extra)
        return;
    put(g, " aria-describedby=\"");
    if (extra)
        put(g, extra);
    if (hint) {
        put(g, extra ? " h-" : "h-");
        put(g, q->key);
    }
    if (error) {
        put(g, extra || hint ? " e-" : "e-");
        put(g, q->key);
        put(g, "\" aria-invalid=\"true");
    }
    put(g, "\"");
}

/* The opening of a question's block, its id and its condition. */
static void open_q(struct pg *g, const struct sv_question *q)
{
    put(g, "<div class=\"q q-");
    put(g, sv_type_name(q->type));
    if (has_error(g, q))
        put(g, " q-has-error");
    put(g, "\" id=\"q-");
    put(g, q->key);
    put(g, "\" data-key=\"");
    put(g, q->key);
    put(g, "\" data-type=\"");
    put(g, sv_type_name(q->type));
    put(g, "\"");
    when_attrs(g, &q->when);
    put(g, ">\n");
}

static void fieldset(struct pg *g, const struct sv_question *q)
{
    put(g, "<fieldset>\n<legend>");
    prompt(g, q);
    put(g, "</legend>\n");
    notes(g, q);
}

/* A row of radio buttons lo..hi named name, with end labels. id is the
 * id stem ("nps", "quality-expect"). */
static void scale(struct pg *g, const struct sv_question *q, const char *name,
                  const char *id, const char *low, const char *high,
                  const char *chosen)
{
    int lo = sv_scale_min(q), hi = q->scale;
    char ends[2][96];
    snprintf(ends[0], sizeof ends[0], "l-%s", id);
    snprintf(ends[1], sizeof ends[1], "r-%s", id);
    putf(g,
         "<div class=\"scale\" data-points=\"%d\">\n"
         "<div class=\"scale-options\">\n",
         hi - lo + 1);
    for (int v = lo; v <= hi; v++) {
        char val[16];
        snprintf(val, sizeof val, "%d", v);
        putf(g,
             "<span class=\"scale-option\"><input type=\"radio\" "
             "name=\"%s\" id=\"f-%s-%d\" value=\"%d\"",
             name, id, v, v);
        if (q->required && q->when.question < 0)
            put(g, " required=\"required\"");
        if (chosen && !strcmp(chosen, val))
            put(g, " checked=\"checked\"");
        described(g, q, v == lo ? ends[0] : v == hi ? ends[1] : NULL);
        putf(g, " /><label for=\"f-%s-%d\">%d</label></span>\n", id, v, v);
    }
    put(g, "</div>\n<div class=\"scale-ends\"><span class=\"scale-low\" "
           "id=\"");
    put(g, ends[0]);
    put(g, "\">");
    esc(g, low);
    put(g, "</span><span class=\"scale-high\" id=\"");
    put(g, ends[1]);
    put(g, "\">");
    esc(g, high);
    put(g, "</span></div>\n</div>\n");
}

static void q_scale(struct pg *g, const struct sv_question *q)
{
    enum sv_msg lo = SV_UI_LOWEST, hi = SV_UI_HIGHEST;
    if (q->type == SV_NPS)
        lo = SV_UI_NPS_LOW, hi = SV_UI_NPS_HIGH;
    else if (q->type == SV_CSAT)
        lo = SV_UI_CSAT_LOW, hi = SV_UI_CSAT_HIGH;
    else if (q->type == SV_CES)
        lo = SV_UI_CES_LOW, hi = SV_UI_CES_HIGH;
    fieldset(g, q);
    scale(g, q, q->key, q->key, q->low.t[g->li] ? tx(g, &q->low) : msg(g, lo),
          q->high.t[g->li] ? tx(g, &q->high) : msg(g, hi),
          value(g, q->key, ""));
    put(g, "</fieldset>\n");
}

static void q_gap(struct pg *g, const struct sv_question *q)
{
    static const char *const part[2] = {"expect", "perceive"};
    const struct sv_text *label[2] = {&q->expect, &q->perceive};
    const char *low = q->low.t[g->li] ? tx(g, &q->low) : msg(g, SV_UI_LOWEST);
    const char *high =
        q->high.t[g->li] ? tx(g, &q->high) : msg(g, SV_UI_HIGHEST);
    fieldset(g, q);
    for (int i = 0; i < 2; i++) {
        char name[80], id[80];
        snprintf(name, sizeof name, "%s.%s", q->key, part[i]);
        snprintf(id, sizeof id, "%s-%s", q->key, part[i]);
        put(g, "<fieldset class=\"gap-part\">\n<legend>");
        esc(g, label[i]->t[g->li] ? tx(g, label[i])
                                  : msg(g, i ? SV_UI_PERCEIVE : SV_UI_EXPECT));
        put(g, "</legend>\n");
        scale(g, q, name, id, low, high,
              value(g, q->key, i ? ".perceive" : ".expect"));
        put(g, "</fieldset>\n");
    }
    put(g, "</fieldset>\n");
}

static void q_choice(struct pg *g, const struct sv_question *q)
{
    const char *chosen = value(g, q->key, "");
    fieldset(g, q);
    put(g, "<div class=\"choices\">\n");
    for (int i = 0; i < q->n_options; i++) {
        const struct sv_option *o = &q->options[i];
        putf(g,
             "<div class=\"choice\"><input type=\"radio\" name=\"%s\" "
             "id=\"f-%s-%s\" value=\"%s\"",
             q->key, q->key, o->key, o->key);
        if (q->required && q->when.question < 0)
            put(g, " required=\"required\"");
        if (chosen && !strcmp(chosen, o->key))
            put(g, " checked=\"checked\"");
        described(g, q, NULL);
        putf(g, " /><label for=\"f-%s-%s\">", q->key, o->key);
        esc(g, tx(g, &o->label));
        put(g, "</label></div>\n");
    }
    put(g, "</div>\n</fieldset>\n");
}

static void textarea(struct pg *g, const struct sv_question *q,
                     const char *name, const char *id, const char *v)
{
    putf(g, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\" maxlength=\"%d\"", id,
         name, SV_MAX_ANSWER_CHARS);
    if (q->required && q->when.question < 0)
        put(g, " required=\"required\"");
    described(g, q, NULL);
    put(g, ">");
    esc(g, v);
    put(g, "</textarea>\n");
}

static void q_text(struct pg *g, const struct sv_question *q)
{
    putf(g, "<label class=\"q-label\" for=\"f-%s\">", q->key);
    prompt(g, q);
    put(g, "</label>\n");
    notes(g, q);
    textarea(g, q, q->key, q->key, value(g, q->key, ""));
}

static void q_story(struct pg *g, const struct sv_question *q)
{
    char name[80];
    fieldset(g, q);
    putf(g, "<div class=\"field\"><label for=\"f-%s-title\">", q->key);
    esc(g, msg(g, SV_UI_STORY_TITLE));
    putf(g,
         "</label><input type=\"text\" id=\"f-%s-title\" "
         "name=\"%s.title\" maxlength=\"200\" autocomplete=\"off\"",
         q->key, q->key);
    described(g, q, NULL);
    put(g, " value=\"");
    esc(g, value(g, q->key, ".title"));
    put(g, "\" /></div>\n");
    putf(g, "<div class=\"field\"><label for=\"f-%s\">", q->key);
    esc(g, msg(g, SV_UI_STORY_TEXT));
    put(g, "</label>\n");
    snprintf(name, sizeof name, "%s", q->key);
    textarea(g, q, name, q->key, value(g, q->key, ""));
    put(g, "</div>\n</fieldset>\n");
}

static void q_triad(struct pg *g, const struct sv_question *q)
{
    char hint[96];
    snprintf(hint, sizeof hint, "t-%s", q->key);
    put(g, "<fieldset class=\"triad\" data-hint=\"");
    esc(g, msg(g, SV_UI_TRIAD_JS_HINT));
    put(g, "\" data-unset=\"");
    esc(g, msg(g, SV_UI_TRIAD_UNSET));
    put(g, "\">\n<legend>");
    prompt(g, q);
    put(g, "</legend>\n");
    notes(g, q);
    put(g, "<p class=\"q-hint\" id=\"");
    put(g, hint);
    put(g, "\">");
    esc(g, msg(g, SV_UI_TRIAD_HINT));
    put(g, "</p>\n<div class=\"triad-numbers\">\n");
    for (int i = 1; i <= 3; i++) {
        char sfx[16];
        snprintf(sfx, sizeof sfx, ".%d", i);
        putf(g, "<div class=\"field\"><label for=\"f-%s-%d\">", q->key, i);
        esc(g, tx(g, &q->corners[i - 1]));
        putf(g,
             "</label><input type=\"number\" id=\"f-%s-%d\" "
             "name=\"%s.%d\" min=\"0\" max=\"100\" step=\"any\" "
             "inputmode=\"decimal\"",
             q->key, i, q->key, i);
        described(g, q, hint);
        put(g, " value=\"");
        esc(g, value(g, q->key, sfx));
        put(g, "\" /></div>\n");
    }
    put(g, "</div>\n</fieldset>\n");
}

static void q_dyad(struct pg *g, const struct sv_question *q)
{
    const char *v = value(g, q->key, "");
    char ends[160];
    snprintf(ends, sizeof ends, "l-%s r-%s", q->key, q->key);
    putf(g, "<label class=\"q-label\" for=\"f-%s\">", q->key);
    prompt(g, q);
    put(g, "</label>\n");
    notes(g, q);
    putf(g,
         "<div class=\"dyad\"><input type=\"range\" id=\"f-%s\" "
         "name=\"%s\" min=\"0\" max=\"100\" step=\"1\" value=\"",
         q->key, q->key);
    esc(g, v && *v ? v : "50");
    put(g, "\"");
    if (!v || !*v) {
        /* survey.js leaves a slider nobody moved out of the post */
        put(g, " data-untouched=\"");
        esc(g, msg(g, SV_UI_DYAD_UNSET));
        put(g, "\"");
    }
    described(g, q, ends);
    putf(g,
         " />\n<div class=\"dyad-ends\"><span class=\"dyad-left\" "
         "id=\"l-%s\">",
         q->key);
    esc(g, tx(g, &q->low));
    putf(g, "</span><span class=\"dyad-right\" id=\"r-%s\">", q->key);
    esc(g, tx(g, &q->high));
    put(g, "</span></div>\n</div>\n");
}

static void q_consent(struct pg *g, const struct sv_question *q)
{
    const char *v = value(g, q->key, "");
    notes(g, q);
    putf(g,
         "<div class=\"check\"><input type=\"checkbox\" id=\"f-%s\" "
         "name=\"%s\" value=\"yes\"",
         q->key, q->key);
    if (q->required && q->when.question < 0)
        put(g, " required=\"required\"");
    if (v && !strcmp(v, "yes"))
        put(g, " checked=\"checked\"");
    described(g, q, NULL);
    putf(g, " /><label for=\"f-%s\">", q->key);
    prompt(g, q);
    put(g, "</label></div>\n");
}

static void question(struct pg *g, const struct sv_question *q)
{
    open_q(g, q);
    switch (q->type) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
    case SV_RATING:
        q_scale(g, q);
        break;
    case SV_GAP:
        q_gap(g, q);
        break;
    case SV_CHOICE:
        q_choice(g, q);
        break;
    case SV_TEXT:
        q_text(g, q);
        break;
    case SV_STORY:
        q_story(g, q);
        break;
    case SV_TRIAD:
        q_triad(g, q);
        break;
    case SV_DYAD:
        q_dyad(g, q);
        break;
    case SV_CONSENT:
        q_consent(g, q);
        break;
    }
    put(g, "</div>\n");
}

/* The id of the first control of q, where the error summary links. */
static void first_control(struct pg *g, const struct sv_question *q)
{
    switch (q->type) {
    case SV_NPS:
    case SV_CSAT:
    case SV_CES:
    case SV_RATING:
        putf(g, "f-%s-%d", q->key, sv_scale_min(q));
        break;
    case SV_GAP:
        putf(g, "f-%s-expect-1", q->key);
        break;
    case SV_CHOICE:
        putf(g, "f-%s-%s", q->key, q->options[0].key);
        break;
    case SV_STORY:
        putf(g, "f-%s-title", q->key);
        break;
    case SV_TRIAD:
        putf(g, "f-%s-1", q->key);
        break;
    default:
        putf(g, "f-%s", q->key);
    }
}

static void error_summary(struct pg *g)
{
    const struct sv_question *q = NULL;
    for (int i = 0; g->p->error_field && i < g->d->n_q; i++)
        if (!strcmp(g->d->q[i].key, g->p->error_field))
            q = &g->d->q[i];
    put(g, "<div class=\"error-summary\" id=\"error-summary\" "
           "role=\"alert\" tabindex=\"-1\" "
           "aria-labelledby=\"error-summary-title\">\n"
           "<h2 id=\"error-summary-title\">");
    esc(g, msg(g, SV_UI_ERROR_TITLE));
    put(g, "</h2>\n<ul>\n<li>");
    if (q) {
        put(g, "<a href=\"#");
        first_control(g, q);
        put(g, "\"><span class=\"error-summary-q\">");
        esc(g, tx(g, &q->prompt));
        put(g, "</span> ");
        esc(g, g->p->error_msg);
        put(g, "</a>");
    } else {
        esc(g, g->p->error_msg);
    }
    put(g, "</li>\n</ul>\n</div>\n");
}

/* lang if the survey has it, else its default. */
static int page_lang(const struct survey_def *d, const char *lang)
{
    int li = sv_lang_index(lang);
    for (int i = 0; i < d->n_langs; i++)
        if (d->langs[i] == li)
            return li;
    return d->langs[0];
}

int survey_render_page(struct strbuf *out, const struct survey_def *d,
                       const struct survey_page *p, struct err *err)
{
    struct pg g = {out, 0, d, p, 0};
    size_t start = out->n;
    if (!d || !p)
        return err_set(err, ERR_INTERNAL, "no survey or page");
    g.li = page_lang(d, p->lang);
    head(&g, tx(&g, &d->name), p->error_msg != NULL);
    put(&g, "<main class=\"survey\">\n<h1>");
    esc(&g, tx(&g, &d->name));
    put(&g, "</h1>\n");
    if (p->touchpoint_name && *p->touchpoint_name) {
        put(&g, "<p class=\"touchpoint\">");
        esc(&g, p->touchpoint_name);
        put(&g, "</p>\n");
    }
    if (p->error_msg)
        error_summary(&g);
    if (d->intro.t[0] || d->intro.t[1]) {
        put(&g, "<p class=\"intro\">");
        esc(&g, tx(&g, &d->intro));
        put(&g, "</p>\n");
    }
    put(&g, "<form method=\"post\" class=\"survey-form\" action=\"");
    esc(&g, p->action ? p->action : "");
    put(&g, "\" accept-charset=\"utf-8\">\n");
    for (size_t i = 0; p->hidden && i < p->hidden->n; i++) {
        put(&g, "<input type=\"hidden\" name=\"");
        esc(&g, p->hidden->f[i].name);
        put(&g, "\" value=\"");
        esc(&g, p->hidden->f[i].value);
        put(&g, "\" />\n");
    }
    for (int i = 0; i < d->n_q; i++)
        question(&g, &d->q[i]);
    put(&g, "<div class=\"actions\"><button type=\"submit\">");
    esc(&g, msg(&g, SV_UI_SUBMIT));
    put(&g, "</button></div>\n</form>\n</main>\n</body>\n</html>\n");
    if (g.rc) {
        out->n = start;
        if (out->p)
            out->p[start] = 0;
        return err_set(err, ERR_INVALID, "survey page too large");
    }
    return 0;
}

int survey_render_thanks(struct strbuf *out, const struct survey_def *d,
                         const char *lang, const char *asset_base,
                         struct err *err)
{
    struct survey_page p = {0};
    struct pg g = {out, 0, d, &p, 0};
    size_t start = out->n;
    const char *thanks;
    if (!d)
        return err_set(err, ERR_INTERNAL, "no survey");
    p.asset_base = asset_base;
    g.li = page_lang(d, lang);
    thanks = d->thanks.t[g.li] ? tx(&g, &d->thanks) : msg(&g, SV_UI_THANKS);
    head(&g, thanks, 0);
    put(&g, "<main class=\"survey survey-thanks\">\n<h1>");
    esc(&g, thanks);
    put(&g, "</h1>\n<p>");
    esc(&g, msg(&g, SV_UI_CLOSE));
    put(&g, "</p>\n</main>\n</body>\n</html>\n");
    if (g.rc) {
        out->n = start;
        if (out->p)
            out->p[start] = 0;
        return err_set(err, ERR_INVALID, "survey page too large");
    }
    return 0;
}
