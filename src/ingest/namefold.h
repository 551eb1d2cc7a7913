#pragma once
/* Names compared the way people type them: case-insensitively and
 * whatever the Unicode normal form ("Felanmälan App" = "felanmälan app",
 * also when the ä came from a Mac as a + combining diaeresis). Used for
 * touchpoint keys, names and aliases, and channel keys, both when a
 * journey file is checked and when an import resolves its values.
 *
 * The folded form is utf8proc's case folding of the NFC form; ASCII is
 * lower-cased without calling utf8proc. Bytes that are not valid UTF-8
 * are kept (ASCII letters lower-cased), so folding never fails. */

#include <stddef.h>

struct strbuf;

/* Appends the folded form of p[0..n) to b (which may have a maximum:
 * then ERR_INVALID as strbuf_add). Returns 0 or ERR_INVALID. */
int namefold_append(struct strbuf *b, const char *p, size_t n);

/* 1 when a[0..an) and b[0..bn) fold to the same text. */
int namefold_equal(const char *a, size_t an, const char *b, size_t bn);
