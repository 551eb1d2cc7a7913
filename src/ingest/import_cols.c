/* Column mapping: header names (after --map) to roles, answer specs and
 * attribute names; the checks a header must pass. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "ingest/csv.h"
#include "ingest/import_int.h"
#include "ingest/jsonl.h"

static const struct fixed {
    const char *name;
    enum role role;
    unsigned kinds;    /* where the column exists */
    unsigned required; /* where it must be given */
} fixed[] = {
    {"id", R_ID, K_RESP | K_CUST | K_EVT, K_RESP | K_CUST},
    {"submitted_at", R_SUBMITTED_AT, K_RESP, K_RESP},
    {"touchpoint", R_TOUCHPOINT, K_RESP | K_EVT, K_RESP},
    {"customer", R_CUSTOMER, K_RESP | K_EVT, K_EVT},
    {"employee", R_EMPLOYEE, K_RESP, 0},
    {"respondent", R_RESPONDENT, K_RESP, 0},
    {"channel", R_CHANNEL, K_RESP | K_EVT, 0},
    {"language", R_LANGUAGE, K_RESP, 0},
    {"nps", R_NPS, K_RESP, 0},
    {"csat", R_CSAT, K_RESP, 0},
    {"ces", R_CES, K_RESP, 0},
    {"segment", R_SEGMENT, K_CUST, 0},
    {"activity", R_ACTIVITY, K_EVT, K_EVT},
    {"time", R_TIME, K_EVT, K_EVT},
};
#define N_FIXED (sizeof fixed / sizeof fixed[0])

/* Response columns "prefix:KEY" and what they become. side 1 is the
 * second half of a pair (perception, story title). */
static const struct prefix {
    const char *name;
    enum answer_kind kind;
    int side;
} prefixes[] = {
    {"rating", ANSWER_RATING, 0},     {"expect", ANSWER_GAP, 0},
    {"perceive", ANSWER_GAP, 1},      {"text", ANSWER_TEXT, 0},
    {"choice", ANSWER_CHOICE, 0},     {"triad", ANSWER_TRIAD, 0},
    {"dyad", ANSWER_DYAD, 0},         {"story", ANSWER_STORY, 0},
    {"story_title", ANSWER_STORY, 1},
};
#define N_PREFIXES (sizeof prefixes / sizeof prefixes[0])

/* Kept short: with the message around it, it must fit in struct err. */
static const char known_responses[] =
    "id, submitted_at, touchpoint, customer, employee, respondent, channel, "
    "language, nps, csat, ces, comment, and rating:, expect:, perceive:, "
    "text:, choice:, triad:, dyad:, story:, story_title:, attr: + a name";

const char *cols_role_name(enum role r)
{
    for (size_t k = 0; k < N_FIXED; k++)
        if (fixed[k].role == r)
            return fixed[k].name;
    return "";
}

int cols_parse_map(struct imp *m, const char *spec, struct err *err)
{
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        const char *from = p, *to = eq ? eq + 1 : NULL;
        size_t fn = eq ? (size_t)(eq - p) : n;
        size_t tn = eq ? n - fn - 1 : 0;
        recfield_trim(&from, &fn);
        if (to)
            recfield_trim(&to, &tn);
        if (!eq || !fn || !tn)
            return err_at(err, ERR_INVALID, "--map", 0, 0,
                          "expected FROM=TO (TO '-' ignores FROM), got "
                          "\"%.*s\"",
                          recfield_shown(p, n), p);
        for (size_t i = 0; i < m->nmap; i++)
            if (recfield_lc_eq(from, fn, m->map[i].from))
                return err_at(err, ERR_INVALID, "--map", 0, 0,
                              "\"%.*s\" is mapped twice", recfield_shown(from, fn),
                              from);
        m->map = xrealloc(m->map, (m->nmap + 1) * sizeof *m->map);
        struct map_entry *e = &m->map[m->nmap++];
        e->from = xstrndup(from, fn);
        for (char *c = e->from; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        e->to = xstrndup(to, tn);
        e->used = 0;
        p = end ? end + 1 : p + n;
    }
    return 0;
}

/* Reads one value of a --set or --na list from *pp up to the next comma
 * outside quotes (or the end) into out, and moves *pp past the comma.
 * A value that starts with '"' (after spaces) is quoted: commas inside
 * are kept and "" is one quote; only spaces may follow the closing one. */
static int list_value(const char **pp, const char *opt, struct strbuf *out,
                      struct err *err)
{
    const char *p = *pp;
    strbuf_reset(out);
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '"') {
        for (p++;; p++) {
            if (!*p)
                return err_at(err, ERR_INVALID, opt, 0, 0,
                              "a quoted value is not closed");
            if (*p == '"' && p[1] == '"')
                p++;
            else if (*p == '"')
                break;
            strbuf_putc(out, *p);
        }
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != ',')
            return err_at(err, ERR_INVALID, opt, 0, 0,
                          "unexpected text after a closing quote: \"%.*s\"",
                          recfield_shown(p, strlen(p)), p);
    } else {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        strbuf_add(out, p, n);
        p += n;
    }
    *pp = *p == ',' ? p + 1 : p;
    return 0;
}

int cols_parse_set(struct imp *m, const char *spec, struct err *err)
{
    const char *p = spec;
    struct strbuf v = STRBUF_INIT;
    int rc = 0;
    while (*p && rc == 0) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (!eq || (comma && comma < eq)) {
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            rc = err_at(err, ERR_INVALID, "--set", 0, 0,
                        "expected NAME=VALUE, got \"%.*s\"", recfield_shown(p, n),
                        p);
            break;
        }
        const char *name = p;
        size_t nn = (size_t)(eq - p);
        recfield_trim(&name, &nn);
        if (!nn) {
            rc = err_at(err, ERR_INVALID, "--set", 0, 0,
                        "a column name is missing before '='");
            break;
        }
        for (size_t i = 0; i < m->nsets && rc == 0; i++)
            if (strlen(m->sets[i].name) == nn &&
                recfield_lc_eq(name, nn, m->sets[i].name))
                rc = err_at(err, ERR_INVALID, "--set", 0, 0,
                            "\"%.*s\" is set twice", recfield_shown(name, nn),
                            name);
        p = eq + 1;
        if (rc < 0 || (rc = list_value(&p, "--set", &v, err)) < 0)
            break;
        /* the same rule as for a file's fields (csv.h) */
        for (size_t i = 0; i < v.n && rc == 0; i++) {
            unsigned char c = (unsigned char)v.p[i];
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rc = err_at(err, ERR_INVALID, "--set", 0, 0,
                            "\"%.*s\": control character U+%04X (%s) in the "
                            "value",
                            recfield_shown(name, nn), name, (unsigned)c,
                            csv_ctrl_name(c));
        }
        if (rc < 0)
            break;
        m->sets = xrealloc(m->sets, (m->nsets + 1) * sizeof *m->sets);
        struct set_col *s = &m->sets[m->nsets++];
        s->name = xstrndup(name, nn);
        for (char *c = s->name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        s->n = v.n;
        s->value = xmalloc(v.n + 1);
        memcpy(s->value, strbuf_str(&v), v.n + 1);
    }
    strbuf_dispose(&v);
    return rc;
}

int cols_parse_na(struct imp *m, const char *spec, struct err *err)
{
    const char *p = spec;
    struct strbuf v = STRBUF_INIT;
    int rc = 0;
    while (*p && (rc = list_value(&p, "--na", &v, err)) == 0) {
        const char *q = strbuf_str(&v);
        size_t n = v.n;
        recfield_trim(&q, &n);
        if (!n)
            continue; /* empty is absent anyway */
        m->na = xrealloc(m->na, (m->nna + 1) * sizeof *m->na);
        m->na[m->nna].p = xstrndup(q, n);
        m->na[m->nna].n = n;
        m->nna++;
    }
    strbuf_dispose(&v);
    return rc;
}

struct rec_field cols_set_field(const struct imp *m, size_t k)
{
    /* line 0 and a negative column: import_bad names it "--set:NAME" */
    struct rec_field f = {m->sets[k].value, m->sets[k].n, 0, -(long)k - 1};
    return f;
}

int cols_resolve_sets(struct imp *m, struct err *err)
{
    int rc = 0;
    for (size_t k = 0; k < m->nsets && rc == 0; k++) {
        struct rec_field f = cols_set_field(m, k);
        rc = cols_resolve(m, k, m->sets[k].name, strlen(m->sets[k].name), &f,
                          err);
    }
    return rc;
}

const struct record *cols_extend(struct imp *m, const struct record *rec,
                                 struct record *ext)
{
    if (!m->nsets)
        return rec;
    size_t n = m->nsets + rec->n;
    if (n > m->ext_cap)
        m->ext = xgrow(m->ext, &m->ext_cap, n, sizeof *m->ext);
    for (size_t k = 0; k < m->nsets; k++)
        m->ext[k] = cols_set_field(m, k);
    if (rec->n)
        memcpy(m->ext + m->nsets, rec->f, rec->n * sizeof *rec->f);
    *ext = *rec;
    ext->f = m->ext;
    ext->n = n;
    return ext;
}

void cols_dispose(struct imp *m)
{
    for (size_t i = 0; i < m->ncols; i++) {
        free(m->cols[i].name);
        free(m->cols[i].attr_json);
    }
    free(m->cols);
    for (size_t i = 0; i < m->naspecs; i++)
        free(m->aspecs[i].key);
    free(m->aspecs);
    for (size_t i = 0; i < m->nmap; i++) {
        free(m->map[i].from);
        free(m->map[i].to);
    }
    free(m->map);
    for (size_t i = 0; i < m->nsets; i++) {
        free(m->sets[i].name);
        free(m->sets[i].value);
    }
    free(m->sets);
    free(m->ext);
    for (size_t i = 0; i < m->nna; i++)
        free(m->na[i].p);
    free(m->na);
}

/* The message for a column whose name is taken: by a --set column (the
 * first nsets), or by an earlier column of the file. */
static int taken(struct imp *m, const struct rec_field *f, size_t first,
                 const char *name, struct err *err)
{
    if (first < m->nsets)
        return import_bad(m, f, err, "column \"%s\" is also given by --set",
                          name);
    return import_bad(m, f, err, "column \"%s\" appears twice", name);
}

/* Column i (c) is the attribute named p[0..n): customers' and events'
 * other columns, responses' attr:NAME. Names are unique ignoring case. */
static int attr_col(struct imp *m, struct col *c, size_t i, const char *p,
                    size_t n, const struct rec_field *f, struct err *err)
{
    char lower[MAX_ID + 1];
    if (n > MAX_ID || !recfield_valid_attr(p, n))
        return import_bad(
            m, f, err,
            "\"%.*s\": an attribute name must be 1..%d characters "
            "without control characters or any of , \" = ; : < > !",
            recfield_shown(c->name, strlen(c->name)), c->name, MAX_ID);
    for (size_t k = 0; k < n; k++)
        lower[k] = (char)tolower((unsigned char)p[k]);
    int64_t first;
    if (!strmap_add(m->attr_names, lower, n, (int64_t)i, &first))
        return taken(m, f, (size_t)first, c->name, err);
    struct strbuf b;
    strbuf_init(&b, 0);
    strbuf_json_string(&b, p, n);
    strbuf_putc(&b, ':');
    c->attr_json = strbuf_detach(&b, NULL);
    c->role = R_ATTR;
    return 0;
}

int cols_resolve(struct imp *m, size_t i, const char *p, size_t n,
                 const struct rec_field *f, struct err *err)
{
    struct col *c;
    recfield_trim(&p, &n);
    if (i >= m->cols_cap)
        m->cols = xgrow(m->cols, &m->cols_cap, i + 1, sizeof *m->cols);
    while (m->ncols <= i)
        memset(&m->cols[m->ncols++], 0, sizeof *m->cols);
    c = &m->cols[i];
    c->role = R_UNKNOWN; /* until proved otherwise */
    for (size_t k = 0; k < m->nmap && i >= m->nsets; k++) {
        if (recfield_lc_eq(p, n, m->map[k].from)) {
            m->map[k].used = 1;
            if (!strcmp(m->map[k].to, "-")) {
                c->role = R_IGNORE;
                return 0;
            }
            p = m->map[k].to;
            n = strlen(p);
            break;
        }
    }
    c->name = xstrndup(p, n);
    if (!n)
        return import_bad(m, f, err, "column %zu has no name", i + 1);

    for (size_t k = 0; k < N_FIXED; k++) {
        if (!(fixed[k].kinds & m->kind) || !recfield_lc_eq(p, n, fixed[k].name))
            continue;
        int *slot = &m->single[fixed[k].role];
        if (*slot >= 0)
            return taken(m, f, (size_t)*slot, fixed[k].name, err);
        *slot = (int)i;
        c->role = fixed[k].role;
        return 0;
    }

    if (m->kind == K_RESP) {
        const char *colon = memchr(p, ':', n);
        const struct prefix *pf = NULL;
        const char *key = p;
        size_t kn = 0;
        double max = 10;
        if (recfield_lc_eq(p, n, "comment")) {
            static const struct prefix comment = {"comment", ANSWER_TEXT, 0};
            pf = &comment;
            kn = n;
        } else if (colon) {
            for (size_t k = 0; k < N_PREFIXES; k++)
                if (recfield_lc_eq(p, (size_t)(colon - p), prefixes[k].name))
                    pf = &prefixes[k];
            key = colon + 1;
            kn = n - (size_t)(colon - p) - 1;
            recfield_trim(&key, &kn);
            if (recfield_lc_eq(p, (size_t)(colon - p), "attr"))
                return attr_col(m, c, i, key, kn, f, err);
        }
        if (pf) {
            const char *at = memchr(key, '@', kn);
            if (at && pf->kind != ANSWER_RATING && pf->kind != ANSWER_GAP)
                return import_bad(m, f, err,
                                  "\"%s\": only rating: and expect:/"
                                  "perceive: columns take @MAX",
                                  c->name);
            if (at) {
                long v;
                if (recfield_parse_int(&v, at + 1, kn - (size_t)(at - key) - 1) <
                        0 ||
                    v < 1 || v > 1000)
                    return import_bad(
                        m, f, err,
                        "\"%s\": the scale after @ must be a whole "
                        "number 1..1000",
                        c->name);
                max = (double)v;
                kn = (size_t)(at - key);
            }
            if (!recfield_valid_key(key, kn))
                return import_bad(m, f, err,
                                  "\"%s\": a question key must be 1..%d "
                                  "characters without spaces, commas or quotes",
                                  c->name, MAX_ID);
            size_t a;
            for (a = 0; a < m->naspecs; a++)
                if (strlen(m->aspecs[a].key) == kn &&
                    !memcmp(m->aspecs[a].key, key, kn))
                    break;
            if (a < m->naspecs) {
                struct aspec *s = &m->aspecs[a];
                if (s->kind != pf->kind || s->col[pf->side] >= 0)
                    return import_bad(
                        m, f, err,
                        "question key \"%s\" is used by two columns "
                        "(\"%s\" and \"%s\")",
                        s->key, m->cols[s->col[s->col[0] >= 0 ? 0 : 1]].name,
                        c->name);
                if (s->kind == ANSWER_GAP && s->max != max)
                    return import_bad(
                        m, f, err,
                        "expect:%s and perceive:%s must have the same "
                        "scale",
                        s->key, s->key);
            } else {
                m->aspecs =
                    xgrow(m->aspecs, &m->aspecs_cap, a + 1, sizeof *m->aspecs);
                struct aspec *s = &m->aspecs[m->naspecs++];
                s->kind = pf->kind;
                s->key = xstrndup(key, kn);
                s->col[0] = s->col[1] = -1;
                s->max = max;
            }
            m->aspecs[a].col[pf->side] = (int)i;
            c->role = R_ANSWER;
            c->ans = (int)a;
            c->side = pf->side;
            return 0;
        }
        return import_bad(m, f, err, "unknown column \"%.*s\"; known: %s",
                          recfield_shown(p, n) > 20 ? 20 : recfield_shown(p, n), p,
                          known_responses);
    }

    /* Customers and events keep other columns as attributes. */
    return attr_col(m, c, i, p, n, f, err);
}

int cols_check_header(struct imp *m, const struct record *hdr, struct err *err)
{
    for (size_t k = 0; k < m->nmap; k++)
        if (!m->map[k].used)
            return err_at(err, ERR_INVALID, m->path, hdr->line, 1,
                          "--map names \"%s\", which is not a column here",
                          m->map[k].from);
    for (size_t k = 0; k < N_FIXED; k++)
        if ((fixed[k].required & m->kind) && m->single[fixed[k].role] < 0)
            return err_at(err, ERR_INVALID, m->path, hdr->line, 1,
                          "missing required column \"%s\"", fixed[k].name);
    for (size_t a = 0; a < m->naspecs; a++) {
        const struct aspec *s = &m->aspecs[a];
        if (s->kind == ANSWER_GAP && (s->col[0] < 0 || s->col[1] < 0)) {
            int have = s->col[0] >= 0 ? s->col[0] : s->col[1];
            return import_bad(m, &hdr->f[have], err,
                              "%s:%s needs a matching %s:%s column",
                              s->col[0] >= 0 ? "expect" : "perceive", s->key,
                              s->col[0] >= 0 ? "perceive" : "expect", s->key);
        }
        if (s->kind == ANSWER_STORY && s->col[0] < 0)
            return import_bad(m, &hdr->f[s->col[1]], err,
                              "story_title:%s needs a story:%s column", s->key,
                              s->key);
    }
    return 0;
}

int cols_from_jsonl(struct imp *m, const struct record *rec, struct err *err)
{
    int rc = 0;
    for (size_t i = m->ncols; i < rec->n; i++) {
        size_t n;
        const char *name = jsonl_reader_column(m->jsonl, i - m->nsets, &n);
        struct err e = ERR_INIT;
        const struct rec_field *f = &rec->f[i];
        if (cols_resolve(m, i, name, n, f, &e) < 0 && rc == 0) {
            *err = e;
            rc = e.code;
        }
    }
    if (rc)
        return rc;
    for (size_t i = m->nsets; i < rec->n && i < m->ncols; i++)
        if (m->cols[i].role == R_UNKNOWN && rec->f[i].p) {
            size_t n;
            const char *name = jsonl_reader_column(m->jsonl, i - m->nsets, &n);
            return import_bad(m, &rec->f[i], err, "unknown field \"%.*s\"",
                              recfield_shown(name, n), name);
        }
    return 0;
}
