/* The stories page (docs/web.md): in progress. */
#include "server/pages_int.h"
#include "server/server_int.h"

enum http_verdict page_stories(struct call *c)
{
    enum web_lang lang = page_lang(c);
    return page_message(c, 404, web_t(lang, "not_found"),
                        web_t(lang, "not_found_text"));
}
