#include "ingest/jsonl.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/strmap.h"
#include "core/xalloc.h"
#include "ingest/csv.h"

/* Where a top-level key's value starts in the line's text. */
struct keypos {
    const char *k; /* raw key text between the quotes */
    size_t kn;
    size_t voff;
};

struct jsonl_reader {
    const char *buf;
    size_t len;
    size_t pos;
    long line; /* line number of the line at pos */
    const char *path;
    struct strmap *cols; /* key -> column index, in order first seen */
    struct rec_field *f;
    size_t fcap;
    size_t *soff; /* per column: value offset in scratch, or SIZE_MAX */
    size_t soff_cap;
    char *scratch;
    size_t sn, scap;
    struct keypos *kp;
    size_t kp_cap;
};

struct jsonl_reader *jsonl_reader_new(const char *buf, size_t len,
                                      const char *path)
{
    struct jsonl_reader *r = xcalloc(1, sizeof *r);
    r->buf = buf;
    r->len = len;
    r->line = 1;
    r->path = path ? path : "";
    r->cols = strmap_new();
    /* A byte-order mark is not JSON, but editors write one. */
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r->pos = 3;
    return r;
}

void jsonl_reader_free(struct jsonl_reader *r)
{
    if (!r)
        return;
    strmap_free(r->cols);
    free(r->f);
    free(r->soff);
    free(r->scratch);
    free(r->kp);
    free(r);
}

size_t jsonl_reader_ncols(const struct jsonl_reader *r)
{
    return strmap_count(r->cols);
}

const char *jsonl_reader_column(const struct jsonl_reader *r, size_t i,
                                size_t *n)
{
    return strmap_key(r->cols, i, n);
}

size_t jsonl_reader_offset(const struct jsonl_reader *r)
{
    return r->pos;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

/* Past the string whose opening quote is at i. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == '"')
        return skip_string(s, n, i);
    if (i < n && (s[i] == '{' || s[i] == '[')) {
        int depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, n, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return n;
    }
    while (i < n && s[i] != ',' && s[i] != '}' && !is_ws(s[i]))
        i++;
    return i;
}

/* Records where each top-level value starts. The line has been parsed by
 * jansson already, so this only needs to be safe, not to validate. */
static size_t scan_keys(struct jsonl_reader *r, const char *s, size_t n)
{
    size_t i = skip_ws(s, n, 0), k = 0;
    if (i >= n || s[i] != '{')
        return 0;
    i++;
    for (;;) {
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != '"')
            break;
        size_t ks = i + 1, ke = skip_string(s, n, i);
        i = skip_ws(s, n, ke);
        if (i >= n || s[i] != ':')
            break;
        i = skip_ws(s, n, i + 1);
        r->kp = xgrow(r->kp, &r->kp_cap, k + 1, sizeof *r->kp);
        r->kp[k].k = s + ks;
        r->kp[k].kn = ke > ks ? ke - ks - 1 : 0;
        r->kp[k].voff = i;
        k++;
        i = skip_ws(s, n, skip_value(s, n, i));
        if (i >= n || s[i] != ',')
            break;
        i++;
    }
    return k;
}

/* Column (1-based) of the value of key, found by its raw text; the
 * iteration index is tried first since jansson keeps insertion order. */
static long value_col(const struct jsonl_reader *r, size_t nk, size_t idx,
                      const char *key, size_t kn)
{
    if (idx < nk && r->kp[idx].kn == kn && !memcmp(r->kp[idx].k, key, kn))
        return (long)r->kp[idx].voff + 1;
    for (size_t i = 0; i < nk; i++)
        if (r->kp[i].kn == kn && !memcmp(r->kp[i].k, key, kn))
            return (long)r->kp[i].voff + 1;
    return 1;
}

/* 1 for a control character a text may not hold: every C0 control but
 * tab, LF and CR (as in CSV fields, csv.h). */
static int ctrl_forbidden(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Offset in s of the escape that writes the first forbidden control
 * character of the JSON string starting (at its quote) at i, or i when
 * it cannot be found. jansson refuses raw controls in strings, so it is
 * always an escape: \b, \f or \u00XX. */
static size_t ctrl_escape_at(const char *s, size_t n, size_t i)
{
    if (i >= n || s[i] != '"')
        return i;
    for (size_t j = i + 1; j + 1 < n && s[j] != '"'; j++) {
        if (s[j] != '\\')
            continue;
        char e = s[j + 1];
        if (e == 'b' || e == 'f')
            return j;
        if (e == 'u' && j + 5 < n) {
            int v = 0;
            for (size_t k = j + 2; k < j + 6 && v >= 0; k++) {
                int h = hexval(s[k]);
                v = h < 0 ? -1 : v * 16 + h;
            }
            if (v >= 0 && v < 0x20 && ctrl_forbidden((unsigned char)v))
                return j;
        }
        j++; /* past the escaped character */
    }
    return i;
}

/* The shortest text that reads back as the same double. */
static int format_real(char *buf, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return (int)strlen(buf);
}

static int fail(struct jsonl_reader *r, long col, struct err *err,
                const char *what, const char *detail)
{
    return err_at(err, ERR_INVALID, r->path, r->line, col, "%s%s", what,
                  detail);
}

int jsonl_reader_next(struct jsonl_reader *r, struct record *rec,
                      struct err *err)
{
    const char *s;
    size_t n, next, nk;
    json_t *obj = NULL;
    json_error_t je;
    int rc = 0;

    memset(rec, 0, sizeof *rec);
    /* Find the next line that is not blank. */
    for (;;) {
        if (r->pos >= r->len)
            return 0;
        s = r->buf + r->pos;
        const char *nl = memchr(s, '\n', r->len - r->pos);
        n = nl ? (size_t)(nl - s) : r->len - r->pos;
        next = r->pos + n + (nl ? 1 : 0);
        if (n && s[n - 1] == '\r')
            n--;
        if (skip_ws(s, n, 0) < n)
            break;
        r->pos = next;
        r->line++;
    }
    rec->line = r->line;
    rec->raw = s;
    rec->raw_n = n;

    if (n > JSONL_MAX_LINE) {
        rc = fail(r, 1, err, "line too long", "");
        goto done;
    }
    /* NUL is let through jansson so that it is refused below like any
     * other control character, at its column. */
    obj = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!obj) {
        long col = je.position > 0 ? je.position : 1;
        if ((size_t)col > n + 1)
            col = (long)n + 1;
        rc = fail(r, col, err, "invalid JSON: ", je.text);
        goto done;
    }
    if (!json_is_object(obj)) {
        rc = fail(r, (long)skip_ws(s, n, 0) + 1, err,
                  "expected a JSON object {...} on each line", "");
        goto done;
    }

    nk = scan_keys(r, s, n);
    size_t ncols = strmap_count(r->cols) + json_object_size(obj);
    if (ncols > r->fcap) {
        size_t cap = r->fcap;
        r->f = xgrow(r->f, &r->fcap, ncols, sizeof *r->f);
        r->soff = xgrow(r->soff, &cap, ncols, sizeof *r->soff);
    }
    for (size_t i = 0; i < strmap_count(r->cols); i++) {
        r->f[i].p = NULL;
        r->f[i].n = 0;
        r->soff[i] = SIZE_MAX;
    }
    r->sn = 0;

    const char *key;
    json_t *v;
    size_t idx = 0;
    json_object_foreach(obj, key, v)
    {
        size_t kn = strlen(key);
        long col = value_col(r, nk, idx++, key, kn);
        int64_t ci;
        char num[40];
        const char *text;
        size_t tn;

        if (json_is_null(v))
            continue;
        if (json_is_string(v)) {
            text = json_string_value(v);
            tn = json_string_length(v);
            size_t c = 0;
            while (c < tn && !ctrl_forbidden((unsigned char)text[c]))
                c++;
            if (c < tn) {
                /* A NUL would cut the value short wherever it is used as
                 * a C string; the others are invisible in every view. */
                unsigned char bad = (unsigned char)text[c];
                size_t at = ctrl_escape_at(s, n, (size_t)col - 1);
                rc = err_at(err, ERR_INVALID, r->path, r->line, (long)at + 1,
                            "\"%.60s\": control character U+%04X (%s) in "
                            "the text: only tab, CR and LF are allowed",
                            key, (unsigned)bad, csv_ctrl_name(bad));
                goto done;
            }
        } else if (json_is_integer(v)) {
            tn = (size_t)snprintf(num, sizeof num, "%" PRId64,
                                  (int64_t)json_integer_value(v));
            text = num;
        } else if (json_is_real(v)) {
            tn = (size_t)format_real(num, sizeof num, json_real_value(v));
            text = num;
        } else {
            rc = err_at(err, ERR_INVALID, r->path, r->line, col,
                        "\"%.60s\" must be a string or a number", key);
            goto done;
        }
        if (!strmap_get(r->cols, key, kn, &ci)) {
            ci = (int64_t)strmap_count(r->cols);
            if ((size_t)ci >= JSONL_MAX_COLUMNS) {
                rc = err_at(err, ERR_INVALID, r->path, r->line, col,
                            "more than %d different keys in the file",
                            JSONL_MAX_COLUMNS);
                goto done;
            }
            strmap_put(r->cols, key, kn, ci);
            r->soff[ci] = SIZE_MAX;
        }
        r->scratch = xgrow(r->scratch, &r->scap, r->sn + tn + 1, 1);
        memcpy(r->scratch + r->sn, text, tn);
        r->soff[ci] = r->sn;
        r->f[ci].n = tn;
        r->f[ci].line = r->line;
        r->f[ci].col = col;
        r->sn += tn;
    }
    for (size_t i = 0; i < strmap_count(r->cols); i++)
        if (r->soff[i] != SIZE_MAX)
            r->f[i].p = r->scratch + r->soff[i];
    rec->f = r->f;
    rec->n = strmap_count(r->cols);
    rc = 1;
done:
    json_decref(obj);
    r->pos = next;
    r->line++;
    return rc;
}
