#pragma once
/* Text from data, made safe for where it is written. Customers' words and
 * values read from files may hold anything; these are the one place the
 * rules live (docs/output-formats.md, "Safety"), used by the renderer
 * (tables, CSV), the export and the CLI's messages:
 *
 *   - a terminal obeys control characters, so text for people shows them
 *     escaped (\x1b) instead of writing them: a comment or an error
 *     message quoting a value cannot clear the screen or retitle it;
 *   - a spreadsheet runs a cell beginning with = + - @ TAB or CR as a
 *     formula, so such a CSV cell gets a leading ' (OWASP's rule against
 *     CSV injection). */

#include <stddef.h>

struct strbuf;

/* Appends s[0..n) as text for a terminal: newline, CR and TAB (and CRLF)
 * as one space; every other C0 character and DEL as \xHH; the C1
 * controls (U+0080..U+009F), the bidirectional marks, overrides and
 * isolates (U+200E..U+200F, U+202A..U+202E, U+2066..U+2069) and the line
 * separators (U+2028..U+2029) as \uHHHH; a byte that is not UTF-8 as
 * \xHH. Never writes a control character. Returns 0, or ERR_INVALID when
 * out's maximum size is reached (as strbuf_add). */
int escape_terminal(struct strbuf *out, const char *s, size_t n);

/* Flags for escape_csv. */
#define ESCAPE_CSV_NUMBER                                                      \
    0x1u /* the cell holds a value that may be a number: a plain decimal       \
          * number (-0.5, +1e5) is written as it is, a number to the           \
          * spreadsheet; without it every cell is text */

/* Appends s[0..n) as one CSV cell for a file separated by sep (',' or
 * ';'). A cell beginning with = + - @ TAB or CR (unless ESCAPE_CSV_NUMBER
 * and a plain number) is written "'..." in quotes, so a spreadsheet reads
 * it as text, never as a formula. A cell holding sep, '"', CR or LF, or
 * beginning or ending with a space, is quoted with '"' doubled. Other
 * control characters are kept: CSV is data. Same return as strbuf_add. */
int escape_csv(struct strbuf *out, const char *s, size_t n, char sep,
               unsigned flags);

/* 1 if s[0..n) is a plain decimal number: an optional sign, digits with
 * an optional fraction, an optional exponent. */
int escape_is_number(const char *s, size_t n);

/* Appends s[0..n) as XML character data or an attribute value (SVG and
 * HTML pages): & < > " ' as entities; characters XML 1.0 forbids (C0
 * controls other than TAB, LF, CR; U+FFFE, U+FFFF) and bytes that are
 * not UTF-8 as U+FFFD. The result is always well-formed text. Same
 * return as strbuf_add. */
int escape_xml(struct strbuf *out, const char *s, size_t n);
/* Appends s percent-encoded for a URL's query or path (RFC 3986: all
 * but the unreserved characters A-Z a-z 0-9 - _ . ~). 0 or -1. */
int escape_url(struct strbuf *out, const char *s);
