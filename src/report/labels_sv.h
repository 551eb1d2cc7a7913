#pragma once
/* Swedish column headers and table titles for the result tables the web
 * app shows (render_html.c with RESULT_RENDER_SV): the report builders
 * name their columns and tables in English; these give the Swedish
 * words.
 *
 * An entry is keyed by the column's key (what CSV and JSON call it) and
 * holds the builder's English header beside it: a key that builders use
 * with different meanings ("nps" is "NPS" in one table and "NPS answer"
 * in another) has an entry each, and a header a page wrote in its own
 * words (web_t) is left as it is. Unknown columns keep their header. */

#include <stddef.h>

/* The Swedish header of the column key whose builder's header is
 * header, or NULL when there is none. Static text, borrowed. */
const char *labels_sv_header(const char *key, const char *header);

/* The Swedish beginning of the title of the table key when the title
 * begins with the builder's English words for it (*rest: how many bytes
 * of title they are; the rest, such as an outcome's name, follows), or
 * NULL. Static text, borrowed. */
const char *labels_sv_caption(const char *key, const char *title, size_t *rest);
/* The i-th caption entry (for tests), as labels_sv_entry. */
int labels_sv_caption_entry(size_t i, const char **key, const char **en,
                            const char **sv);

/* The i-th entry (for tests): 1 and *key, *en, *sv; 0 past the end. */
int labels_sv_entry(size_t i, const char **key, const char **en,
                    const char **sv);
