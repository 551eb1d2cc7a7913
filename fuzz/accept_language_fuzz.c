/* Fuzz target: web_lang_pick (a browser's Accept-Language header and the
 * page's ?lang= pick the web app's language). Whatever the header, the
 * answer is Swedish or English, and ?lang= wins. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = malloc(size + 1);
    if (!h)
        return 0;
    memcpy(h, data, size);
    h[size] = '\0'; /* a header is text up to its first NUL */
    enum web_lang l = web_lang_pick(h, NULL);
    if (l != WEB_SV && l != WEB_EN)
        abort();
    if (web_lang_pick(h, "en") != WEB_EN || web_lang_pick(h, "sv") != WEB_SV)
        abort();
    free(h);
    return 0;
}
