#pragma once
/* Routes: a method and a path pattern whose segments are literal or
 * {name} (one segment, any text but '/'). The table is the caller's
 * (the server's routes, which the OpenAPI document is checked against);
 * the router only matches. */

#include <stddef.h>

#define ROUTE_MAX_PARAMS 4

struct route {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/surveys/{key}" */
    const void *data;    /* the caller's: handler, access, summary */
};

struct route_match {
    const struct route *route;
    int n;
    /* {name} values: pointers into the matched path, not terminated */
    struct {
        const char *name; /* into the pattern */
        size_t name_len;
        const char *value;
        size_t len;
    } p[ROUTE_MAX_PARAMS];
};

enum route_result {
    ROUTE_FOUND,
    ROUTE_NO_PATH,  /* 404 */
    ROUTE_NO_METHOD /* 405: the path exists with other methods */
};

/* Matches method and path against routes[0..n), first match wins. */
enum route_result route_match(const struct route *routes, size_t n,
                              const char *method, const char *path,
                              struct route_match *m);
/* Copies parameter `name` of m, NUL-terminated, into buf (cap bytes).
 * Returns 0, or -1 when absent or too long. */
int route_param(const struct route_match *m, const char *name, char *buf,
                size_t cap);
/* Writes into buf the methods routes allow on path ("GET, POST"). */
void route_allowed(const struct route *routes, size_t n, const char *path,
                   char *buf, size_t cap);
