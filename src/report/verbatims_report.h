#pragma once
/* The result of `verbatims`: the comments behind the numbers, each with
 * its explanation. Records for people:
 *
 *   2026-10-30  app_inlogg  R00199538  NPS 0  CES 5  negative -0.36  sv
 *       "Har försökt logga in 6 gånger utan att lyckas."
 *       words: "lyckas" -1.48 (stem; negated by 'utan': ×-0.74)
 *       themes: digital -0.36, digital/login -0.36 ("logga in")
 *       redacted: 1 (phone)
 *
 * A comment in a language the pipeline does not read shows "not scored"
 * (label and score null for programs), never neutral. For programs, table
 * "comments" has per comment: response, submitted_at, touchpoint,
 * question, nps, csat, ces, text, language, score, label, redacted (the
 * kinds), themes ({key: aspect sentiment}) and explanation (the stored
 * JSON object). The text is the stored, redacted one. */

#include <stddef.h>

struct answer;
struct response;
struct result;
struct result_table;

/* An empty result with the comments table, and a column for each of
 * fields[0..n_fields) (field names, shown in the heading line: the
 * values of --by fields beside each comment). Caller frees with
 * result_free. */
struct result *verbatims_report_new(const char *const *fields, size_t n_fields);
/* Appends a comment (a text answer with its analysis, which may be NULL
 * for a comment stored without one) of response r, with values[0..n)
 * for the n fields given to verbatims_report_new (a NULL value is
 * empty; values may be NULL when n is 0). */
void verbatims_report_add(struct result *res, const struct response *r,
                          const struct answer *a, const char *const *values,
                          size_t n);
