/* The account page (docs/web.md): in progress. */
#include "server/pages_int.h"
#include "server/server_int.h"

static enum http_verdict todo(struct call *c)
{
    enum web_lang lang = page_lang(c);
    return page_message(c, 404, web_t(lang, "not_found"),
                        web_t(lang, "not_found_text"));
}
enum http_verdict page_account(struct call *c)
{
    return todo(c);
}
enum http_verdict page_account_post(struct call *c)
{
    return todo(c);
}
