#pragma once
/* What the admin and account pages share (page_admin*.c,
 * page_account.c): their forms' pieces. Private to src/server. */

#include <stddef.h>

#include "web/page.h"

struct call;
struct err;
struct form;
struct strbuf;

/* The session's CSRF token into csrf ("" for a token caller). */
void adm_csrf(struct call *c, char csrf[65]);
/* <form method="post" action="PATH?lang=en"> with the CSRF field and,
 * when action is not NULL, a hidden field "action". */
void adm_form_begin(struct strbuf *b, enum web_lang lang, const char *path,
                    const char *csrf, const char *action);
/* A labelled text field (type "text", "password", "number"...); value
 * may be NULL; extra is raw attributes (may be NULL). */
void adm_field(struct strbuf *b, const char *id, const char *name,
               const char *label, const char *type, const char *value,
               const char *extra);
/* A labelled <select>: options as value,label pairs (n of them), the one
 * equal to value selected. */
void adm_select(struct strbuf *b, const char *id, const char *name,
                const char *label, const char *const *opts, size_t n,
                const char *value);
/* The message of a failed form: <p class="error" role="alert"
 * id="ID">MSG</p>. */
void adm_error(struct strbuf *b, const char *id, const char *msg);
/* A note that something was done: <p class="done" role="status">. */
void adm_done(struct strbuf *b, const char *msg);
/* A form field's value with spaces trimmed at both ends, or NULL when
 * not given or blank; borrowed from f (changed in place). */
const char *adm_get(struct form *f, const char *name);
/* The scopes ticked as checkboxes "scopes" in f: SCOPE_* bits. */
unsigned adm_scopes(const struct form *f);
/* "YYYY-MM-DD HH:MM" of UTC seconds t ("–" for 0), as <time>. */
void adm_when(struct strbuf *b, long long t);

/* The sections (page_admin_users.c): the page with err (NULL: none)
 * shown in the form named by `form` and f's values kept, and the post. */
struct adm_state {
    const char *form;     /* which form failed (NULL: none) */
    const char *error;    /* its message */
    const struct form *f; /* what was posted (may be NULL) */
    const char *done;     /* what was done (NULL: nothing) */
    const char *secret;   /* a new token, shown once (NULL: none) */
};
void adm_users(struct call *c, struct strbuf *b, const struct adm_state *st);
int adm_users_post(struct call *c, struct form *f, const char *action,
                   struct strbuf *done, struct err *err);
void adm_tokens(struct call *c, struct strbuf *b, const struct adm_state *st);
int adm_tokens_post(struct call *c, struct form *f, const char *action,
                    struct strbuf *done, char secret[64], struct err *err);
