/* Fuzz target: the server's routing of a request line. The input is
 * "METHOD PATH"; whatever matches names a route of the table, its
 * parameters lie inside the path, and the allowed methods fit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"
#include "server/server_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    struct route_match m;
    char allow[128], buf[64];
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    char *sp = strchr(s, ' ');
    const char *method = sp ? s : "GET", *path = sp ? sp + 1 : s;
    if (sp)
        *sp = 0;
    enum route_result r =
        route_match(server_routes, server_n_routes, method, path, &m);
    if (r == ROUTE_FOUND) {
        if (m.route < server_routes ||
            m.route >= server_routes + server_n_routes)
            abort();
        for (int i = 0; i < m.n; i++)
            if (m.p[i].value < path ||
                m.p[i].value + m.p[i].len > path + strlen(path) ||
                memchr(m.p[i].value, '/', m.p[i].len))
                abort();
        route_param(&m, "survey", buf, sizeof buf);
    } else if (r == ROUTE_NO_METHOD) {
        route_allowed(server_routes, server_n_routes, path, allow,
                      sizeof allow);
        if (!allow[0])
            abort();
    }
    free(s);
    return 0;
}
