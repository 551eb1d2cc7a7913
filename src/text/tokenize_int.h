#pragma once
/* Private to the tokeniser and its tests: the general path alone. */

#include <stddef.h>

struct err;
struct tokens;

/* tokenize_text without its ASCII fast paths: every word goes through
 * the general scanner and every character through the Unicode classes.
 * Same contract and the same tokens; kept so tests can prove that. */
int tokenize_text_general(struct tokens *out, const char *s, size_t n,
                          struct err *err);
