#include "http/router.h"

#include <stdio.h>
#include <string.h>

/* 1 if path matches pattern; the {name} segments go into m. */
static int match_path(const char *pat, const char *path, struct route_match *m)
{
    m->n = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            size_t seg = strcspn(path, "/");
            if (!close || seg == 0 || m->n == ROUTE_MAX_PARAMS)
                return 0;
            m->p[m->n].name = pat + 1;
            m->p[m->n].name_len = (size_t)(close - pat - 1);
            m->p[m->n].value = path;
            m->p[m->n].len = seg;
            m->n++;
            pat = close + 1;
            path += seg;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    return *pat == 0 && *path == 0;
}

enum route_result route_match(const struct route *routes, size_t n,
                              const char *method, const char *path,
                              struct route_match *m)
{
    int path_seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!match_path(routes[i].pattern, path, m))
            continue;
        path_seen = 1;
        /* HEAD is answered as GET (libmicrohttpd drops the body) */
        if (strcmp(routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 &&
             strcmp(routes[i].method, "GET") == 0)) {
            m->route = &routes[i];
            return ROUTE_FOUND;
        }
    }
    m->route = NULL;
    m->n = 0;
    return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

int route_param(const struct route_match *m, const char *name, char *buf,
                size_t cap)
{
    size_t nl = strlen(name);
    for (int i = 0; i < m->n; i++) {
        if (m->p[i].name_len != nl || memcmp(m->p[i].name, name, nl) != 0)
            continue;
        if (m->p[i].len + 1 > cap)
            return -1;
        memcpy(buf, m->p[i].value, m->p[i].len);
        buf[m->p[i].len] = 0;
        return 0;
    }
    return -1;
}

void route_allowed(const struct route *routes, size_t n, const char *path,
                   char *buf, size_t cap)
{
    struct route_match m;
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (!match_path(routes[i].pattern, path, &m))
            continue;
        int k = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
                         routes[i].method);
        if (k < 0 || (size_t)k >= cap - used)
            return;
        used += (size_t)k;
    }
}
