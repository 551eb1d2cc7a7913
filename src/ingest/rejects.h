#pragma once
/* The --skip-bad rejects file without personal data: a writer that sits
 * between the importer (import_opts.rejects, import.h) and the file, and
 * passes every rejected row through the redaction comments get
 * (text/pii.h) before it reaches the disk.
 *
 * The importer writes the rejects file as CSV: a header line, then per
 * rejected row its line, column, reason and fields (or its text as one
 * field when it could not be split; a JSON Lines record as one field).
 * Of each row after the header, every field but the line and column is
 * redacted: the reason (it may quote a value) and all of the row's
 * values, not only the free-text ones. A rejected row may be rejected
 * because its columns are shifted or cannot be told apart, so no column
 * can be trusted to be the one it claims; the redaction leaves ids,
 * dates, scores and amounts alone, so the row stays readable for fixing
 * its source line. The header passes unchanged.
 *
 * Bytes may come in pieces of any size: records are cut at newlines
 * outside quotes, as the importer quotes them. */

#include <stddef.h>

#include "core/strbuf.h"
#include "ingest/import.h"
#include "text/pii.h"

struct rejects {
    import_write_fn out; /* where the redacted bytes go */
    void *out_ctx;
    struct strbuf rec;  /* the record being collected */
    struct strbuf line; /* that record rewritten */
    struct strbuf field;
    int in_quotes;
    int header_done;
    struct pii_result pii;
};

/* Sets w up to write to out(out_ctx, ...). Free with rejects_dispose. */
void rejects_init(struct rejects *w, import_write_fn out, void *out_ctx);
/* Frees what w holds; accepts NULL. Bytes not yet finished are dropped. */
void rejects_dispose(struct rejects *w);

/* An import_write_fn: ctx is a struct rejects. Writes each complete
 * record, redacted. Returns 0, or out's error (ERR_IO). */
int rejects_write(void *ctx, const char *p, size_t n);
/* Writes a last record that did not end in a newline. 0 or out's error. */
int rejects_finish(struct rejects *w);
