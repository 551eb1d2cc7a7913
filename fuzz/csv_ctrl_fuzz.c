/* Fuzz target: the CSV reader and control characters. Whatever the bytes
 * and the delimiter, a field the reader accepts holds no C0 control but
 * tab, and CR or LF only when the field is quoted (csv.h); every refused
 * record is located, and the reader gets through the whole input. The
 * corpus (fuzz/corpus/csv_ctrl_fuzz/) plants NUL, ESC, BEL, lone CRs and
 * controls inside quotes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "ingest/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Offset of each line's first byte: line k (1-based) starts at
 * starts[k - 1]. Column 1 of line 1 is after a byte-order mark, as the
 * reader counts it. Caller frees. */
static size_t *line_starts(const char *buf, size_t len, size_t *nlines)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    size_t *s = malloc(n * sizeof *s);
    size_t k = 0;
    s[k++] = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            s[k++] = i + 1;
    *nlines = n;
    return s;
}

static void check_field(const char *buf, size_t len, const size_t *starts,
                        size_t nlines, const struct rec_field *f)
{
    if (f->line < 1 || (size_t)f->line > nlines || f->col < 1)
        abort();
    size_t off = starts[f->line - 1] + (size_t)f->col - 1;
    /* an empty last field may start at the very end */
    if (off > len)
        abort();
    int quoted = off < len && buf[off] == '"';
    for (size_t i = 0; i < f->n; i++) {
        unsigned char c = (unsigned char)f->p[i];
        if (c >= 0x20 || c == '\t')
            continue;
        if (quoted && (c == '\n' || c == '\r'))
            continue;
        abort(); /* a forbidden control character got through */
    }
}

static void run(const char *buf, size_t len, char delim)
{
    size_t nlines;
    size_t *starts = line_starts(buf, len, &nlines);
    struct csv_reader *r = csv_reader_new(buf, len, delim, "fuzz.csv");
    struct record rec;
    size_t last = 0;
    for (;;) {
        struct err err = ERR_INIT;
        int rc = csv_reader_next(r, &rec, &err);
        if (rc == 0)
            break;
        if (rc > 0) {
            for (size_t i = 0; i < rec.n; i++)
                check_field(buf, len, starts, nlines, &rec.f[i]);
        } else if (err.code == 0 || !err.where[0]) {
            abort(); /* an error must say what and where */
        }
        if (csv_reader_offset(r) <= last)
            abort(); /* the reader always moves forward */
        last = csv_reader_offset(r);
    }
    if (csv_reader_offset(r) != len)
        abort();
    csv_reader_free(r);
    free(starts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any over-read. */
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    run(buf, size, 0);
    run(buf, size, ',');
    run(buf, size, ';');
    run(buf, size, '\t');
    free(buf);
    return 0;
}
