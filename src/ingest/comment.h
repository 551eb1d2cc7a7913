#pragma once
/* What the store keeps of an analysed text: turns the pipeline's struct
 * analysis (text/analyze.h) into model.h's struct comment_analysis, the
 * same way for an import and for a submission to the server. */

#include <stddef.h>

struct analysis;
struct comment_analysis;
struct themes;

/* Memory that lives as long as the record it goes into. */
typedef void *(*comment_alloc_fn)(void *ctx, size_t n);

/* *text becomes a copy of the redacted text. When analysed is set (a
 * comment, analysis on) returns its analysis, with theme keys from
 * themes, else NULL. Everything comes from alloc(ctx, n). */
struct comment_analysis *comment_keep(const struct analysis *res,
                                      const struct themes *themes,
                                      int analysed, comment_alloc_fn alloc,
                                      void *ctx, const char **text);
