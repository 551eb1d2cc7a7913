/* src/auth/principal.c: roles, scopes and what a principal may see. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/err.h"
#include "core/xalloc.h"

static void test_scopes_parse(void **state)
{
    struct err err = ERR_INIT;
    unsigned s = 99;
    (void)state;
    assert_int_equal(auth_scopes_parse(&s, "read", &err), 0);
    assert_int_equal(s, SCOPE_READ);
    assert_int_equal(auth_scopes_parse(&s, "read,write", &err), 0);
    assert_int_equal(s, SCOPE_READ | SCOPE_WRITE);
    assert_int_equal(auth_scopes_parse(&s, " admin , read ", &err), 0);
    assert_int_equal(s, SCOPE_ADMIN | SCOPE_READ);
    assert_int_equal(auth_scopes_parse(&s, "read,read", &err), 0);
    assert_int_equal(s, SCOPE_READ);
    const char *bad[] = {"",           "reed", "read,",    ",read",
                         "read;write", "READ", "readwrite"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&err);
        assert_int_equal(auth_scopes_parse(&s, bad[i], &err), ERR_INVALID);
        assert_int_equal(s, 0);
    }
    err_clear(&err);
    auth_scopes_parse(&s, "read,delete", &err);
    assert_non_null(strstr(err.msg, "\"delete\""));
    err_clear(&err);
    assert_int_equal(auth_scopes_parse(&s, NULL, &err), ERR_INVALID);
}

static void test_scopes_name(void **state)
{
    char t[20];
    (void)state;
    auth_scopes_name(SCOPE_ADMIN | SCOPE_READ | SCOPE_WRITE, t);
    assert_string_equal(t, "read,write,admin");
    auth_scopes_name(SCOPE_WRITE, t);
    assert_string_equal(t, "write");
    auth_scopes_name(0, t);
    assert_string_equal(t, "");
}

static void test_role_scopes(void **state)
{
    (void)state;
    assert_int_equal(auth_role_scopes(ROLE_ADMIN),
                     SCOPE_READ | SCOPE_WRITE | SCOPE_ADMIN);
    assert_int_equal(auth_role_scopes(ROLE_ANALYST), SCOPE_READ | SCOPE_WRITE);
    assert_int_equal(auth_role_scopes(ROLE_OWNER), SCOPE_READ);
    assert_int_equal(auth_role_scopes((enum user_role)9), 0);
}

static void test_owner_sees_only_own_touchpoints(void **state)
{
    struct principal p = PRINCIPAL_INIT;
    (void)state;
    p.role = ROLE_OWNER;
    p.scopes = SCOPE_READ;
    p.n_touchpoints = 2;
    p.touchpoints = xmalloc(2 * sizeof *p.touchpoints);
    p.touchpoints[0] = xstrdup("kontoret");
    p.touchpoints[1] = xstrdup("webb_sok");
    assert_int_equal(auth_sees_touchpoint(&p, "kontoret"), 1);
    assert_int_equal(auth_sees_touchpoint(&p, "webb_sok"), 1);
    assert_int_equal(auth_sees_touchpoint(&p, "reparation"), 0);
    assert_int_equal(auth_sees_touchpoint(&p, "KONTORET"), 0);
    assert_int_equal(auth_sees_touchpoint(&p, ""), 0);
    assert_int_equal(auth_sees_touchpoint(&p, NULL), 0);
    auth_principal_dispose(&p);
    assert_null(p.touchpoints);
    assert_int_equal(p.n_touchpoints, 0);
    auth_principal_dispose(&p); /* twice is fine */
    auth_principal_dispose(NULL);
}

static void test_admin_and_analyst_see_all(void **state)
{
    struct principal p = PRINCIPAL_INIT;
    (void)state;
    p.role = ROLE_ANALYST;
    p.scopes = SCOPE_READ | SCOPE_WRITE;
    assert_int_equal(auth_sees_touchpoint(&p, "reparation"), 1);
    p.role = ROLE_ADMIN;
    assert_int_equal(auth_sees_touchpoint(&p, "kontoret"), 1);
    /* without read (a write-only token), nothing */
    p.scopes = SCOPE_WRITE;
    assert_int_equal(auth_sees_touchpoint(&p, "kontoret"), 0);
    /* an empty principal sees nothing */
    struct principal none = PRINCIPAL_INIT;
    assert_int_equal(auth_sees_touchpoint(&none, "kontoret"), 0);
    assert_int_equal(auth_sees_touchpoint(NULL, "kontoret"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopes_parse),
        cmocka_unit_test(test_scopes_name),
        cmocka_unit_test(test_role_scopes),
        cmocka_unit_test(test_owner_sees_only_own_touchpoints),
        cmocka_unit_test(test_admin_and_analyst_see_all),
    };
    return cmocka_run_group_tests_name("auth principal", tests, NULL, NULL);
}
