#pragma once
/* UTF-8 validity, as every reader of outside text checks it (CSV,
 * JSON Lines texts, form bodies, the tokenizer, the text model): no
 * overlong forms, no surrogates, nothing past U+10FFFF. */

#include <stddef.h>

/* The length (1-4) of the valid sequence starting at s[0..n), or 0 when
 * none starts there (n >= 1). */
size_t utf8_seq(const unsigned char *s, size_t n);
/* n when s[0..n) is all valid UTF-8, else the offset of the first byte
 * of the first bad sequence. */
size_t utf8_valid_prefix(const char *s, size_t n);
