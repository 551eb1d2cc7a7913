#pragma once
/* The frame of a web app page and the words of the user interface, in
 * Swedish and English (issue 12). Pages are rendered on the server into a
 * strbuf; nothing here does I/O. The frame is WCAG 2.1 AA minded: a skip
 * link first, landmarks (header, nav, main, footer), the current page
 * marked with aria-current, one stylesheet (/assets/app.css, web/app.css
 * and the views' web/app/ files embedded in the binary) and one deferred script
 * (/assets/app.js: live updates and filters; no page needs it).
 *
 * A page is
 *     web_page_begin(&b, lang, title, nav, n_nav, user, csrf);
 *     ... the caller's <h1> and content ...
 *     web_page_end(&b, lang);
 * All text given is escaped here (core/escape.h escape_xml). */

#include <stddef.h>

struct strbuf;

enum web_lang { WEB_SV, WEB_EN };

/* An item of the main navigation. */
struct web_nav_item {
    const char *href;  /* a local path, e.g. "/app/cases" */
    const char *label; /* shown text, e.g. web_t(lang, "cases") */
    int current;       /* 1: this page (aria-current="page") */
};

/* Appends everything up to and including <main id="main" tabindex="-1">:
 * doctype, <html lang>, viewport, "<title>TITLE – Resonans</title>", the
 * stylesheet, a skip link to #main, a header with the product name, the
 * navigation (nav may be NULL when n_nav is 0), a language switch
 * (?lang=sv, ?lang=en) and, when user is not NULL, the user's name (a
 * link to /app/account) and a
 * log-out form (POST /app/logout with csrf, when not NULL, in a hidden
 * field "csrf"). It writes no <h1>: the page's one heading is the
 * caller's. Returns 0 or ERR_INVALID when out's maximum is reached (the
 * first failed append stops the rest). */
int web_page_begin(struct strbuf *out, enum web_lang lang, const char *title,
                   const struct web_nav_item *nav, size_t n_nav,
                   const char *user, const char *csrf);
/* Closes <main>, adds the footer and closes the document. As above. */
int web_page_end(struct strbuf *out, enum web_lang lang);

/* A word or phrase of the user interface in lang, e.g. web_t(WEB_SV,
 * "log_out") = "Logga ut". An unknown key is returned as it is (so a
 * missing word shows, rather than crashing). Static text, borrowed. */
const char *web_t(enum web_lang lang, const char *key);
/* The i-th key of the table, NULL past the end (for tests and tools). */
const char *web_t_key(size_t i);

/* "sv" or "en": for <html lang> and links. */
const char *web_lang_code(enum web_lang lang);
/* The language of a request: query_lang ("sv" or "en", from ?lang=)
 * wins; else the first of sv and en in accept_language by q-value (ties
 * in header order, q=0 refused, regions such as sv-SE count); else
 * Swedish. Either argument may be NULL. */
enum web_lang web_lang_pick(const char *accept_language,
                            const char *query_lang);
