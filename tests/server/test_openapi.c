/* Tests for web/openapi.json against the route table of src/server/server.c:
 * the document the server embeds and serves at /api/openapi.json must
 * describe every route, and only routes, with the access each one needs.
 * Adding a route without documenting it fails here. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/asset.h"
#include "server/server_int.h"

extern const struct asset web_assets[];
extern const unsigned long web_assets_count;

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};

static int is_method(const char *key)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(methods[i], key))
            return 1;
    return 0;
}

static void lower(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        dst[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    dst[i] = 0;
}

static const char *access_name(enum access a)
{
    return a == A_READ ? "read" : a == A_WRITE ? "write" : "admin";
}

/* The embedded document, parsed once for all tests. */
static int load(void **state)
{
    json_error_t je;
    for (unsigned long i = 0; i < web_assets_count; i++) {
        if (strcmp(web_assets[i].path, "openapi.json") != 0)
            continue;
        json_t *doc =
            json_loadb((const char *)web_assets[i].data, web_assets[i].len,
                       JSON_REJECT_DUPLICATES, &je);
        if (!doc) {
            print_error("openapi.json:%d:%d: %s\n", je.line, je.column,
                        je.text);
            return -1;
        }
        *state = doc;
        return 0;
    }
    print_error("web/openapi.json is not among the embedded assets\n");
    return -1;
}

static int unload(void **state)
{
    json_decref(*state);
    return 0;
}

/* A local reference "#/a/b" (with ~1 for '/' and ~0 for '~'), or NULL. */
static json_t *resolve(json_t *doc, const char *ref)
{
    char seg[256];
    json_t *v = doc;
    if (strncmp(ref, "#/", 2) != 0)
        return NULL;
    for (const char *p = ref + 2; v && *p;) {
        size_t n = 0;
        for (; *p && *p != '/'; p++) {
            if (n + 1 >= sizeof seg)
                return NULL;
            if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
                seg[n++] = p[1] == '0' ? '~' : '/';
                p++;
            } else {
                seg[n++] = *p;
            }
        }
        seg[n] = 0;
        if (*p == '/')
            p++;
        if (json_is_array(v))
            v = json_array_get(v, strtoul(seg, NULL, 10));
        else
            v = json_object_get(v, seg);
    }
    return v;
}

/* v itself, or what its "$ref" names. */
static json_t *deref(json_t *doc, json_t *v)
{
    const char *ref = json_string_value(json_object_get(v, "$ref"));
    return ref ? resolve(doc, ref) : v;
}

static json_t *operation(json_t *doc, const char *method, const char *path)
{
    char m[16];
    lower(m, sizeof m, method);
    return json_object_get(json_object_get(json_object_get(doc, "paths"), path),
                           m);
}

/* Whether the route table has (method, pattern); method lower case. */
static int is_route(const char *method, const char *pattern)
{
    char m[16];
    for (size_t i = 0; i < server_n_routes; i++) {
        lower(m, sizeof m, server_routes[i].method);
        if (!strcmp(m, method) && !strcmp(server_routes[i].pattern, pattern))
            return 1;
    }
    return 0;
}

/* Whether parameter `name` is declared in path in the parameter lists of
 * the path item and of the operation. */
static int declares_path_param(json_t *doc, json_t *item, json_t *op,
                               const char *name, size_t n)
{
    json_t *lists[] = {json_object_get(item, "parameters"),
                       json_object_get(op, "parameters")};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p)
        {
            p = deref(doc, p);
            const char *pn = json_string_value(json_object_get(p, "name"));
            const char *in = json_string_value(json_object_get(p, "in"));
            if (pn && in && !strcmp(in, "path") && strlen(pn) == n &&
                !strncmp(pn, name, n) &&
                json_is_true(json_object_get(p, "required")))
                return 1;
        }
    }
    return 0;
}

/* Whether the path template holds {name}. */
static int path_has(const char *path, const char *name)
{
    char want[128];
    snprintf(want, sizeof want, "{%s}", name);
    return strstr(path, want) != NULL;
}

static void test_openapi_is_version_3_1_0(void **state)
{
    json_t *doc = *state;
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")),
                        "3.1.0");
    json_t *info = json_object_get(doc, "info");
    assert_non_null(json_string_value(json_object_get(info, "title")));
    assert_non_null(json_string_value(json_object_get(info, "version")));
    assert_true(json_is_object(json_object_get(doc, "paths")));
}

static void test_openapi_documents_every_route(void **state)
{
    json_t *doc = *state;
    int missing = 0;
    assert_true(server_n_routes > 0);
    for (size_t i = 0; i < server_n_routes; i++) {
        const struct route *r = &server_routes[i];
        if (!json_is_object(operation(doc, r->method, r->pattern))) {
            print_error("route %s %s is not in web/openapi.json: document "
                        "it there\n",
                        r->method, r->pattern);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_openapi_has_no_stale_operations(void **state)
{
    json_t *doc = *state;
    const char *path, *m;
    json_t *item, *op;
    int stale = 0, ops = 0;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            ops++;
            if (!is_route(m, path)) {
                print_error("web/openapi.json documents %s %s, which is "
                            "not a route of src/server/server.c\n",
                            m, path);
                stale++;
            }
        }
    }
    assert_int_equal(stale, 0);
    /* one operation per route, no more */
    assert_int_equal(ops, (int)server_n_routes);
}

static void test_openapi_declares_every_path_parameter(void **state)
{
    json_t *doc = *state;
    const char *path, *m;
    json_t *item, *op;
    int bad = 0;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            /* every {name} of the template is declared */
            for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
                const char *end = strchr(p, '}');
                assert_non_null(end);
                size_t n = (size_t)(end - p - 1);
                if (!declares_path_param(doc, item, op, p + 1, n)) {
                    print_error("%s %s: path parameter {%.*s} is not "
                                "declared (in: path, required: true)\n",
                                m, path, (int)n, p + 1);
                    bad++;
                }
            }
            /* and every declared path parameter is in the template */
            size_t i;
            json_t *prm;
            json_array_foreach(json_object_get(op, "parameters"), i, prm)
            {
                prm = deref(doc, prm);
                if (!prm) {
                    print_error("%s %s: parameter %zu: a $ref that names "
                                "nothing\n",
                                m, path, i);
                    bad++;
                    continue;
                }
                const char *in = json_string_value(json_object_get(prm, "in"));
                const char *pn =
                    json_string_value(json_object_get(prm, "name"));
                if (!in || !pn) {
                    print_error("%s %s: parameter %zu lacks name or in\n", m,
                                path, i);
                    bad++;
                } else if (!strcmp(in, "path") && !path_has(path, pn)) {
                    print_error("%s %s: path parameter %s is not in the "
                                "path\n",
                                m, path, pn);
                    bad++;
                }
            }
        }
    }
    assert_int_equal(bad, 0);
}

static void test_openapi_operations_have_responses_and_unique_ids(void **state)
{
    json_t *doc = *state;
    json_t *seen = json_object();
    const char *path, *m;
    json_t *item, *op;
    int bad = 0;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            json_t *resp = json_object_get(op, "responses");
            const char *id =
                json_string_value(json_object_get(op, "operationId"));
            if (!json_is_object(resp) || json_object_size(resp) == 0) {
                print_error("%s %s has no responses\n", m, path);
                bad++;
            }
            if (!id || !*id) {
                print_error("%s %s has no operationId\n", m, path);
                bad++;
            } else if (json_object_get(seen, id)) {
                print_error("%s %s: operationId %s is used twice\n", m, path,
                            id);
                bad++;
            } else {
                json_object_set_new(seen, id, json_true());
            }
            if (!json_string_value(json_object_get(op, "summary"))) {
                print_error("%s %s has no summary\n", m, path);
                bad++;
            }
        }
    }
    json_decref(seen);
    assert_int_equal(bad, 0);
}

/* A signed-in route's requirements: each names known schemes, each
 * scheme with the scope (the role name, OpenAPI 3.1) the route needs. */
static int check_requirements(json_t *doc, json_t *sec, const char *need,
                              const char *what)
{
    json_t *schemes =
        json_object_get(json_object_get(doc, "components"), "securitySchemes");
    size_t i;
    json_t *req;
    int bad = 0;
    if (!json_is_array(sec) || json_array_size(sec) == 0) {
        print_error("%s needs %s but has no security requirement\n", what,
                    need);
        return 1;
    }
    json_array_foreach(sec, i, req)
    {
        const char *name;
        json_t *scopes;
        if (!json_is_object(req) || json_object_size(req) == 0) {
            print_error("%s: security[%zu] is empty (anonymous access)\n", what,
                        i);
            bad++;
            continue;
        }
        json_object_foreach(req, name, scopes)
        {
            size_t k;
            json_t *s;
            int has = 0;
            if (!json_object_get(schemes, name)) {
                print_error("%s: unknown security scheme %s\n", what, name);
                bad++;
            }
            json_array_foreach(scopes, k, s)
            {
                if (json_string_value(s) && !strcmp(json_string_value(s), need))
                    has = 1;
            }
            if (!has) {
                print_error("%s: security scheme %s does not name the "
                            "scope %s\n",
                            what, name, need);
                bad++;
            }
        }
    }
    return bad;
}

static void test_openapi_security_matches_access(void **state)
{
    json_t *doc = *state;
    int bad = 0;
    for (size_t i = 0; i < server_n_routes; i++) {
        const struct route *r = &server_routes[i];
        const struct handler *h = r->data;
        json_t *op = operation(doc, r->method, r->pattern);
        char what[160];
        snprintf(what, sizeof what, "%s %s", r->method, r->pattern);
        if (!op)
            continue; /* reported by test_openapi_documents_every_route */
        json_t *sec = json_object_get(op, "security");
        if (h->access == A_PUBLIC) {
            if (!json_is_array(sec) || json_array_size(sec) != 0) {
                print_error("%s is public: it must say \"security\": []\n",
                            what);
                bad++;
            }
        } else {
            bad += check_requirements(doc, sec, access_name(h->access), what);
        }
    }
    assert_int_equal(bad, 0);
}

/* Counts the "$ref"s under v that name nothing in doc. */
static int dangling_refs(json_t *doc, json_t *v)
{
    int bad = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            if (!strcmp(k, "$ref") && json_is_string(x)) {
                if (!resolve(doc, json_string_value(x))) {
                    print_error("$ref %s names nothing\n",
                                json_string_value(x));
                    bad++;
                }
            } else {
                bad += dangling_refs(doc, x);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) bad += dangling_refs(doc, x);
    }
    return bad;
}

static void test_openapi_refs_resolve(void **state)
{
    json_t *doc = *state;
    assert_int_equal(dangling_refs(doc, doc), 0);
    /* the shared error body is there for every operation to use */
    json_t *err = resolve(doc, "#/components/schemas/Error");
    assert_non_null(err);
    assert_non_null(
        json_object_get(json_object_get(err, "properties"), "error"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openapi_is_version_3_1_0),
        cmocka_unit_test(test_openapi_documents_every_route),
        cmocka_unit_test(test_openapi_has_no_stale_operations),
        cmocka_unit_test(test_openapi_declares_every_path_parameter),
        cmocka_unit_test(test_openapi_operations_have_responses_and_unique_ids),
        cmocka_unit_test(test_openapi_security_matches_access),
        cmocka_unit_test(test_openapi_refs_resolve),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
