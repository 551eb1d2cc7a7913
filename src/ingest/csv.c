#include "ingest/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* Byte classes that stop the scan of a field. */
enum { C_DELIM = 1, C_LF = 2, C_CR = 4, C_QUOTE = 8, C_HIGH = 16, C_CTRL = 32 };

struct csv_reader {
    const unsigned char *buf;
    size_t len;
    size_t pos;
    const char *path;
    char delim;
    long line;         /* physical line at pos, 1-based */
    size_t line_start; /* offset where that line starts */
    size_t ncols;      /* fields in the header; 0 until it is read */
    int header_read;
    struct rec_field *f;
    size_t fcap;
    size_t *soff; /* per field: offset in scratch, or SIZE_MAX if a slice */
    size_t soff_cap;
    char *scratch;
    size_t sn, scap;
    unsigned char cls_plain[256];  /* stops an unquoted field */
    unsigned char cls_quoted[256]; /* stops a quoted field */
    /* The first forbidden control character of the record being read:
     * the record is read to its end (so the next one starts right) and
     * then reported at it. ctrl_line is 0 when there is none. */
    long ctrl_line, ctrl_col;
    unsigned char ctrl;
};

static const char *const c0_names[32] = {
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "TAB", "LF",
    "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
    "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};

const char *csv_ctrl_name(unsigned c)
{
    return c < 32 ? c0_names[c] : c == 0x7F ? "DEL" : "?";
}

/* Picks the delimiter seen most often outside quotes on the first line. */
static char detect_delim(const unsigned char *b, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int inq = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = b[i];
        if (c == '"')
            inq = !inq;
        else if (inq)
            continue;
        else if (c == '\n')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

struct csv_reader *csv_reader_new(const char *buf, size_t len, char delim,
                                  const char *path)
{
    struct csv_reader *r = xcalloc(1, sizeof *r);
    r->buf = (const unsigned char *)buf;
    r->len = len;
    r->path = path ? path : "";
    r->line = 1;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r->pos = r->line_start = 3;
    r->delim = delim ? delim : detect_delim(r->buf + r->pos, len - r->pos);
    r->cls_plain[(unsigned char)r->delim] |= C_DELIM;
    r->cls_plain['\n'] |= C_LF;
    r->cls_plain['\r'] |= C_CR;
    r->cls_quoted['"'] |= C_QUOTE;
    r->cls_quoted['\n'] |= C_LF;
    /* Every C0 control but tab is refused in a field; LF and CR are line
     * ends, and inside quotes data. */
    for (int c = 0; c < 0x20; c++) {
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        r->cls_plain[c] |= C_CTRL;
        r->cls_quoted[c] |= C_CTRL;
    }
    for (int c = 0x80; c < 256; c++)
        r->cls_plain[c] = r->cls_quoted[c] = C_HIGH;
    return r;
}

void csv_reader_free(struct csv_reader *r)
{
    if (!r)
        return;
    free(r->f);
    free(r->soff);
    free(r->scratch);
    free(r);
}

char csv_reader_delim(const struct csv_reader *r)
{
    return r->delim;
}

size_t csv_reader_offset(const struct csv_reader *r)
{
    return r->pos;
}

static long col_at(const struct csv_reader *r, size_t off)
{
    return (long)(off - r->line_start) + 1;
}

/* Notes a forbidden control character at off, unless one came earlier in
 * the record. */
static void note_ctrl(struct csv_reader *r, size_t off)
{
    if (r->ctrl_line)
        return;
    r->ctrl_line = r->line;
    r->ctrl_col = col_at(r, off);
    r->ctrl = r->buf[off];
}

static int scratch_add(struct csv_reader *r, const unsigned char *p, size_t n)
{
    if (r->sn + n > CSV_MAX_SCRATCH)
        return -1;
    r->scratch = xgrow(r->scratch, &r->scap, r->sn + n + 1, 1);
    memcpy(r->scratch + r->sn, p, n);
    r->sn += n;
    return 0;
}

/* Moves past the end of the current physical line after an error, so the
 * caller may go on with the next record. */
static void resync(struct csv_reader *r, size_t from)
{
    const unsigned char *nl =
        from < r->len ? memchr(r->buf + from, '\n', r->len - from) : NULL;
    if (!nl) {
        r->pos = r->len;
        return;
    }
    r->pos = (size_t)(nl - r->buf) + 1;
    r->line++;
    r->line_start = r->pos;
}

static int bad_utf8(struct csv_reader *r, size_t at, struct record *rec,
                    size_t rec_start, struct err *err)
{
    long line = r->line, col = col_at(r, at);
    rec->raw_n = at - rec_start;
    resync(r, at);
    return err_at(err, ERR_INVALID, r->path, line, col,
                  "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                  r->buf[at]);
}

/* Scans a quoted field whose opening quote is at r->pos. Sets the field to
 * the value (a slice, or scratch via *soff). Returns 0 or ERR_INVALID. */
static int quoted_field(struct csv_reader *r, struct rec_field *fld,
                        size_t *soff, struct record *rec, size_t rec_start,
                        struct err *err)
{
    const unsigned char *b = r->buf;
    size_t len = r->len, pos = r->pos + 1, seg = pos;
    int copied = 0;
    for (;;) {
        while (pos < len && !r->cls_quoted[b[pos]])
            pos++;
        if (pos >= len) {
            rec->raw_n = len - rec_start;
            r->pos = len;
            return err_at(err, ERR_INVALID, r->path, fld->line, fld->col,
                          "quoted field is not closed (the file ends inside "
                          "quotes; truncated file?)");
        }
        unsigned char c = b[pos];
        if (c == '\n') {
            pos++;
            r->line++;
            r->line_start = pos;
        } else if (c >= 0x80) {
            size_t k = utf8_seq(b + pos, len - pos);
            if (!k)
                return bad_utf8(r, pos, rec, rec_start, err);
            pos += k;
        } else if (r->cls_quoted[c] & C_CTRL) {
            note_ctrl(r, pos);
            pos++;
        } else if (pos + 1 < len && b[pos + 1] == '"') {
            if (!copied) {
                *soff = r->sn;
                copied = 1;
            }
            if (scratch_add(r, b + seg, pos + 1 - seg) < 0)
                goto too_large;
            pos += 2;
            seg = pos;
        } else {
            if (copied) {
                if (scratch_add(r, b + seg, pos - seg) < 0)
                    goto too_large;
                fld->n = r->sn - *soff;
            } else {
                fld->p = (const char *)b + r->pos + 1;
                fld->n = pos - r->pos - 1;
            }
            pos++;
            break;
        }
    }
    if (pos < len && b[pos] != (unsigned char)r->delim && b[pos] != '\n' &&
        !(b[pos] == '\r' && pos + 1 < len && b[pos + 1] == '\n')) {
        long line = r->line, col = col_at(r, pos);
        rec->raw_n = pos - rec_start;
        resync(r, pos);
        return err_at(err, ERR_INVALID, r->path, line, col,
                      "unexpected text after the closing quote (a quote "
                      "inside a quoted field must be doubled: \"\")");
    }
    r->pos = pos;
    return 0;
too_large:
    rec->raw_n = pos - rec_start;
    resync(r, pos);
    return err_at(err, ERR_INVALID, r->path, fld->line, fld->col,
                  "quoted fields of this record are too large (over %zu "
                  "bytes)",
                  CSV_MAX_SCRATCH);
}

int csv_reader_next(struct csv_reader *r, struct record *rec, struct err *err)
{
    const unsigned char *b = r->buf;
    size_t len = r->len, nf = 0, rec_start;
    int rc;

    /* Skip blank lines. */
    while (r->pos < len) {
        if (b[r->pos] == '\n') {
            r->pos++;
        } else if (b[r->pos] == '\r' && r->pos + 1 < len &&
                   b[r->pos + 1] == '\n') {
            r->pos += 2;
        } else {
            break;
        }
        r->line++;
        r->line_start = r->pos;
    }
    memset(rec, 0, sizeof *rec);
    if (r->pos >= len)
        return 0;
    rec_start = r->pos;
    rec->line = r->line;
    rec->raw = (const char *)b + rec_start;
    r->sn = 0;
    r->ctrl_line = 0;

    for (;;) {
        if (nf >= CSV_MAX_FIELDS) {
            long line = r->line, col = col_at(r, r->pos);
            rec->raw_n = r->pos - rec_start;
            resync(r, r->pos);
            return err_at(err, ERR_INVALID, r->path, line, col,
                          "more than %d fields in one record", CSV_MAX_FIELDS);
        }
        if (nf >= r->fcap) {
            size_t cap = r->fcap;
            r->f = xgrow(r->f, &r->fcap, nf + 1, sizeof *r->f);
            r->soff = xgrow(r->soff, &cap, nf + 1, sizeof *r->soff);
        }
        struct rec_field *fld = &r->f[nf];
        fld->line = r->line;
        fld->col = col_at(r, r->pos);
        fld->p = NULL;
        fld->n = 0;
        r->soff[nf] = SIZE_MAX;
        if (r->pos < len && b[r->pos] == '"') {
            if ((rc = quoted_field(r, fld, &r->soff[nf], rec, rec_start, err)) <
                0)
                return rc;
        } else {
            size_t pos = r->pos, start = pos;
            for (;;) {
                while (pos < len && !r->cls_plain[b[pos]])
                    pos++;
                if (pos >= len)
                    break;
                unsigned char c = b[pos];
                if (c >= 0x80) {
                    size_t k = utf8_seq(b + pos, len - pos);
                    if (!k)
                        return bad_utf8(r, pos, rec, rec_start, err);
                    pos += k;
                } else if ((r->cls_plain[c] & C_CTRL) ||
                           (c == '\r' &&
                            !(pos + 1 < len && b[pos + 1] == '\n'))) {
                    note_ctrl(r, pos); /* a lone CR is no line end */
                    pos++;
                } else {
                    break;
                }
            }
            fld->p = (const char *)b + start;
            fld->n = pos - start;
            r->pos = pos;
        }
        nf++;
        if (r->pos >= len) {
            rec->raw_n = len - rec_start;
            break;
        }
        if (b[r->pos] == (unsigned char)r->delim) {
            r->pos++;
            continue;
        }
        /* '\n' or "\r\n" */
        rec->raw_n = r->pos - rec_start;
        r->pos += b[r->pos] == '\r' ? 2 : 1;
        r->line++;
        r->line_start = r->pos;
        break;
    }

    /* Point scratch-held fields at the scratch, now that it has stopped
     * moving. */
    if (r->sn) {
        for (size_t i = 0; i < nf; i++)
            if (r->soff[i] != SIZE_MAX)
                r->f[i].p = r->scratch + r->soff[i];
    }
    rec->f = r->f;
    rec->n = nf;
    if (!r->header_read) {
        r->header_read = 1;
        r->ncols = nf;
    }
    if (r->ctrl_line) {
        /* A NUL would cut the value short wherever it is used as a C
         * string (two ids differing after it would collide), and the
         * other controls are invisible in every view of the data. */
        if (r->ctrl == '\r')
            return err_at(err, ERR_INVALID, r->path, r->ctrl_line, r->ctrl_col,
                          "a CR outside quotes must be followed by LF (lines "
                          "end in LF or CRLF; a lone CR is an old Mac line "
                          "end)");
        return err_at(err, ERR_INVALID, r->path, r->ctrl_line, r->ctrl_col,
                      "control character U+%04X (%s) in a field: only tab "
                      "is allowed, and line breaks inside quotes",
                      (unsigned)r->ctrl, csv_ctrl_name(r->ctrl));
    }
    if (nf != r->ncols) {
        /* Too many: the first extra field; too few: the last one. */
        const struct rec_field *at =
            nf > r->ncols ? &r->f[r->ncols] : &r->f[nf - 1];
        return err_at(err, ERR_INVALID, r->path, at->line, at->col,
                      "record has %zu field%s, the header has %zu", nf,
                      nf == 1 ? "" : "s", r->ncols);
    }
    return 1;
}
