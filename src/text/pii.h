#pragma once
/* Redacting personal data in a customer comment before it is stored:
 * e-mail addresses, phone numbers, Swedish personal identity numbers
 * (personnummer and samordningsnummer), payment card numbers and street
 * addresses. Each is replaced by a Swedish placeholder ("[telefon]") and
 * reported with its kind and its byte range in the ORIGINAL text, so an
 * explanation can show what was taken out. The rules, the placeholders and
 * what is not caught are in docs/privacy.md.
 *
 * One linear scan, no regular expressions; safe on arbitrary bytes (input
 * need not be valid UTF-8 or NUL-terminated). On valid UTF-8, matches
 * start and end on character boundaries, so the output is valid too.
 *
 * struct pii_result is embedded by value: pii_result_init/pii_result_dispose
 * (or PII_RESULT_INIT). One result can be reused for many comments, which
 * keeps its buffers and avoids allocation per comment. */

#include <stddef.h>

struct err;

enum pii_kind {
    PII_EMAIL,        /* [e-post]       anna.svensson@example.se */
    PII_PHONE,        /* [telefon]      070-123 45 67, +44 20 7946 0958 */
    PII_PERSONNUMMER, /* [personnummer] 811218-9876, also samordningsnummer */
    PII_CARD,         /* [kortnummer]   4111 1111 1111 1111 */
    PII_ADDRESS,      /* [adress]       Storgatan 12B, 123 45 Uppsala */
    PII_N_KINDS
};

/* kinds_mask bits for pii_redact. */
#define PII_BIT(kind) (1u << (kind))
#define PII_ALL ((1u << PII_N_KINDS) - 1u)

/* Maximum input accepted by pii_redact, in bytes (1 MiB). */
#define PII_MAX_INPUT (1u << 20)

struct pii_match {
    enum pii_kind kind;
    size_t off, len; /* the redacted bytes in the original text */
    size_t out_off;  /* where the placeholder starts in pii_result.text */
};

struct pii_result {
    char *text; /* redacted copy, NUL-terminated; owned by the result */
    size_t n;   /* bytes in text, not counting the NUL */
    size_t text_cap;
    struct pii_match *m; /* in text order, non-overlapping; owned */
    size_t n_m, m_cap;
};

#define PII_RESULT_INIT                                                        \
    {                                                                          \
        NULL, 0, 0, NULL, 0, 0                                                 \
    }

void pii_result_init(struct pii_result *r);
/* Frees what r holds and leaves it empty; accepts NULL. */
void pii_result_dispose(struct pii_result *r);

/* Copies s (n bytes, need not be NUL-terminated; may be NULL when n is 0)
 * into out->text with every piece of personal data of a kind in kinds_mask
 * (PII_BIT(kind) values, PII_ALL for all) replaced by its placeholder, and
 * lists the replacements in out->m, replacing what out held. Detection does
 * not depend on the mask: a card number is still recognised as one (and
 * left alone) when only phones are asked for, never half-read as a phone.
 * Returns 0, or ERR_INVALID when n exceeds PII_MAX_INPUT (out is then
 * empty: text "", no matches). */
int pii_redact(struct pii_result *out, const char *s, size_t n,
               unsigned kinds_mask, struct err *err);

/* A stable English name for a kind ("email", "phone", "personnummer",
 * "card", "address"), for JSON and logs; "unknown" out of range. */
const char *pii_kind_name(enum pii_kind kind);

/* The placeholder written in place of a kind ("[e-post]", "[telefon]",
 * "[personnummer]", "[kortnummer]", "[adress]"); "[?]" out of range. */
const char *pii_kind_placeholder(enum pii_kind kind);

/* 1 when digits (n ASCII digits, n >= 2) pass the Luhn mod-10 check, else
 * 0 (also for any non-digit byte). */
int pii_luhn_ok(const char *digits, size_t n);

/* Checks a Swedish personal identity number written as YYMMDD-NNNN,
 * YYMMDD+NNNN (aged 100 or more), YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN
 * (century 18, 19 or 20): the date must exist and the last digit must be
 * the Luhn check digit of the ten-digit form. Returns 1 for a valid
 * personnummer, 2 for a valid samordningsnummer (day of month + 60), 0
 * otherwise. */
int pii_personnummer_ok(const char *s, size_t n);
