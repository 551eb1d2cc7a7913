#pragma once
/* The files of data/text (lexicons, stop words, rules) compiled into the
 * binary by tools/embed.c, looked up by bare file name, and a reader for
 * their line format: UTF-8 text, '#' starts a comment line, blank lines
 * are skipped, a trailing CR is dropped. */

#include <stddef.h>

struct asset;

/* The embedded file called name ("stopwords-sv.txt"), or NULL. Borrowed:
 * static data. */
const struct asset *textdata_find(const char *name);

/* Reads the next content line of a at *pos: sets *line and *n (not
 * NUL-terminated, no newline) and advances *pos and *lineno (the 1-based
 * number of that line). Start with *pos = 0 and *lineno = 0. Returns 1,
 * or 0 at the end. */
int textdata_next_line(const struct asset *a, size_t *pos, const char **line,
                       size_t *n, long *lineno);
