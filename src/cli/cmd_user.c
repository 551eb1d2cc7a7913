/* resonans user: the people and programs that may use the server
 * (docs/access.md). add, passwd, set (--lang), list, token (create or
 * --revoke), tokens, disable and enable; each change is audited as the OS user
 * who ran it. Passwords are read from the terminal without echo, or one line
 * from stdin with --password-stdin; they are never an argument (argv is visible
 * to every process on the machine). */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cmd.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "report/access_report.h"
#include "store/store.h"

enum {
    O_ROLE = 1,
    O_TOUCHPOINTS,
    O_PASSWORD_STDIN,
    O_FORMAT,
    O_NAME,
    O_SCOPES,
    O_EXPIRES,
    O_REVOKE,
    O_LANG
};

static const struct opt_spec specs[] = {
    {"role", O_ROLE, OPT_VALUE, 0, "ROLE",
     "add: admin (everything), analyst (read all, create surveys, write "
     "data) or owner (read their touchpoints)"},
    {"touchpoints", O_TOUCHPOINTS, OPT_VALUE, 0, "KEY[,KEY...]",
     "add: the touchpoints an owner owns (owners need them; others may not "
     "have them); the keys must exist"},
    {"password-stdin", O_PASSWORD_STDIN, OPT_FLAG, 0, NULL,
     "add, passwd: read the password as one line from stdin instead of "
     "asking twice on the terminal"},
    {"format", O_FORMAT, OPT_VALUE, 0, "FMT",
     "list, tokens: table (default), csv, json or jsonl"},
    {"name", O_NAME, OPT_VALUE, 0, "LABEL",
     "token: what the token is for (1..64 bytes)"},
    {"scopes", O_SCOPES, OPT_VALUE, 0, "SCOPE[,SCOPE]",
     "token: read, write and/or admin, within the user's role (default "
     "read)"},
    {"expires", O_EXPIRES, OPT_VALUE, 0, "DAYS",
     "token: valid for DAYS days, 1..36500 (default: until revoked)"},
    {"revoke", O_REVOKE, OPT_VALUE, 0, "ID",
     "token: revoke the token with this id instead of making one"},
    {"lang", O_LANG, OPT_VALUE, 0, "LANG",
     "add, set: the user's language in the web app, sv or en ('none': the "
     "browser's)"},
    OPT_END};

const struct opt_section cmd_user_opts[] = {{"options", specs}, {NULL, NULL}};

#define PW_MAX 1024

struct args {
    const char *sub, *user, *role, *touchpoints, *format, *label, *scopes,
        *expires, *revoke, *lang;
    int password_stdin;
};

/* Who ran the command, for the audit log. */
static const char *os_user(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

/* Writes an audit entry as the OS user; detail is JSON or NULL. */
static int audit(struct store *s, const char *action, const char *subject,
                 const char *detail, struct err *err)
{
    return store_audit(s, os_user(), action, subject, detail, err);
}

/* Reads one line of at most PW_MAX bytes from f into buf (PW_MAX + 2),
 * without its line end. 0, or ERR_INVALID / ERR_IO. */
static int read_line(FILE *f, char *buf, size_t cap, struct err *err)
{
    if (!fgets(buf, (int)cap, f)) {
        buf[0] = '\0';
        return ferror(f) ? err_set(err, ERR_IO, "password: cannot read: %s",
                                   strerror(errno))
                         : err_set(err, ERR_INVALID, "password: none given");
    }
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(f))
        return err_set(err, ERR_INVALID, "password: longer than %d bytes",
                       PW_MAX);
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 0;
}

/* Asks on the terminal (fd, read through in) with echo off. */
static int ask(int fd, FILE *in, const char *prompt, char *buf, size_t cap,
               struct err *err)
{
    struct termios old, quiet;
    int rc, restore = 0;
    dprintf(fd, "%s", prompt);
    if (tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
    rc = read_line(in, buf, cap, err);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
    return rc;
}

/* The new password into pw (PW_MAX + 2 bytes): one line of stdin, or
 * asked twice on the terminal. */
static int read_password(int from_stdin, const char *user, char *pw,
                         struct err *err)
{
    char again[PW_MAX + 2], prompt[120];
    FILE *in;
    int fd, rc;
    if (from_stdin)
        return read_line(stdin, pw, PW_MAX + 2, err);
    if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
        return err_set(err, ERR_INVALID,
                       "password: no terminal to ask on; give it with "
                       "--password-stdin");
    if (!(in = fdopen(fd, "r"))) {
        close(fd);
        return err_set(err, ERR_IO, "password: cannot read the terminal");
    }
    /* unbuffered: nothing of the password stays in a stdio buffer */
    setvbuf(in, NULL, _IONBF, 0);
    snprintf(prompt, sizeof prompt, "password for %s: ", user);
    if ((rc = ask(fd, in, prompt, pw, PW_MAX + 2, err)) == 0 &&
        (rc = ask(fd, in, "again: ", again, sizeof again, err)) == 0 &&
        strcmp(pw, again) != 0)
        rc = err_set(err, ERR_INVALID, "password: the two did not match");
    sodium_memzero(again, sizeof again);
    fclose(in);
    return rc;
}

/* Reads a password and hashes it into hash. */
static int new_password(int from_stdin, const char *user, char hash[128],
                        struct err *err)
{
    char pw[PW_MAX + 2];
    int rc = read_password(from_stdin, user, pw, err);
    if (rc == 0)
        rc = auth_password_hash(hash, pw, err);
    sodium_memzero(pw, sizeof pw);
    return rc;
}

/* --lang: "sv", "en", or "none" (NULL: the browser's). -1 otherwise. */
static int lang_arg(const char *v, const char **out)
{
    if (!strcmp(v, "sv") || !strcmp(v, "en"))
        *out = v;
    else if (!strcmp(v, "none"))
        *out = NULL;
    else
        return -1;
    return 0;
}

/* ---- add ---- */

struct tp_keys {
    char **v;
    unsigned char *used;
    size_t n, cap;
};

static int collect_key(void *ctx, const struct journey *j,
                       const struct stage *st, const struct touchpoint *t)
{
    struct tp_keys *k = ctx;
    (void)j;
    (void)st;
    k->v = xgrow(k->v, &k->cap, k->n + 1, sizeof *k->v);
    k->v[k->n++] = xstrdup(t->key);
    return 0;
}

/* Checks every key of the comma-separated list against the store and
 * writes them to out as "a,b" (trimmed, each once). */
static int check_touchpoints(struct store *s, const char *list,
                             struct strbuf *out, struct err *err)
{
    struct tp_keys known = {NULL, NULL, 0, 0};
    int rc = store_list_touchpoints(s, collect_key, &known, err);
    known.used = xcalloc(known.n + 1, 1);
    for (const char *p = list; rc == 0 && *p;) {
        size_t n = strcspn(p, ","), a = 0, b = n;
        while (a < b && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        if (b > a) {
            char *key = xstrndup(p + a, b - a);
            size_t i = 0;
            while (i < known.n && strcmp(known.v[i], key) != 0)
                i++;
            if (i == known.n) {
                rc = err_set(err, ERR_NOTFOUND,
                             "--touchpoints: no touchpoint \"%s\" (see "
                             "'resonans journey show')",
                             key);
            } else if (!known.used[i]) {
                if (out->n)
                    strbuf_putc(out, ',');
                strbuf_puts(out, key);
                known.used[i] = 1;
            }
            free(key);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (rc == 0 && out->n == 0)
        rc = err_set(err, ERR_INVALID, "--touchpoints: no key given");
    for (size_t i = 0; i < known.n; i++)
        free(known.v[i]);
    free(known.v);
    free(known.used);
    return rc;
}

static int exists_cb(void *ctx, const struct user *u)
{
    (void)u;
    *(int *)ctx = 1;
    return 0;
}

static int add(struct app *app, const struct args *a)
{
    struct err err = ERR_INIT;
    struct strbuf tps = STRBUF_INIT, detail = STRBUF_INIT;
    enum user_role role;
    char hash[128] = "", subject[80];
    int exists = 0, rc;
    struct store *s;
    if (!a->role)
        return cli_usage_error(app, "user",
                               "user add needs --role admin|analyst|owner");
    if (user_role_parse(&role, a->role) < 0)
        return cli_usage_error(app, "user",
                               "--role must be admin, analyst or owner, got "
                               "'%s'",
                               a->role);
    if (role == ROLE_OWNER && !a->touchpoints)
        return cli_usage_error(app, "user",
                               "--touchpoints: an owner needs the keys of the "
                               "touchpoints they own");
    if (role != ROLE_OWNER && a->touchpoints)
        return cli_usage_error(app, "user",
                               "--touchpoints is for owners only (an %s sees "
                               "every touchpoint)",
                               a->role);
    const char *lang = NULL;
    if (a->lang && lang_arg(a->lang, &lang) < 0)
        return cli_usage_error(
            app, "user", "--lang must be sv, en or none, got '%s'", a->lang);
    app->db_create = 1; /* the first admin comes before the server runs */
    if (!(s = cli_store(app)))
        return app->store_exit;
    rc = store_get_user(s, a->user, exists_cb, &exists, &err);
    if (rc == ERR_NOTFOUND) {
        err_clear(&err);
        rc = 0;
    }
    if (rc == 0 && exists)
        rc = err_set(&err, ERR_CONFLICT,
                     "user \"%s\" exists (change the password with 'resonans "
                     "user passwd')",
                     a->user);
    if (rc == 0 && a->touchpoints)
        rc = check_touchpoints(s, a->touchpoints, &tps, &err);
    if (rc == 0)
        rc = new_password(a->password_stdin, a->user, hash, &err);
    if (rc < 0)
        goto done;
    struct user u = {0, a->user, role, hash, tps.n ? strbuf_str(&tps) : NULL,
                     0, 0,       lang};
    snprintf(subject, sizeof subject, "user:%s", a->user);
    strbuf_puts(&detail, "{\"role\":");
    strbuf_json_string(&detail, a->role, strlen(a->role));
    if (tps.n) {
        strbuf_puts(&detail, ",\"touchpoints\":");
        strbuf_json_string(&detail, strbuf_str(&tps), tps.n);
    }
    if (lang)
        strbuf_printf(&detail, ",\"lang\":\"%s\"", lang);
    strbuf_putc(&detail, '}');
    if ((rc = store_begin(s, &err)) < 0)
        goto done;
    if ((rc = store_put_user(s, &u, &err)) < 0 ||
        (rc = audit(s, "user.add", subject, strbuf_str(&detail), &err)) < 0 ||
        (rc = store_commit(s, &err)) < 0) {
        store_rollback(s);
        goto done;
    }
    cli_say(app->out, "user %s added (%s%s%s)", a->user, a->role,
            tps.n ? " of " : "", tps.n ? strbuf_str(&tps) : "");
done:
    sodium_memzero(hash, sizeof hash);
    strbuf_dispose(&tps);
    strbuf_dispose(&detail);
    return rc < 0 ? cli_error(app, &err) : EXIT_OK;
}

/* ---- passwd, set, disable, enable: changes to a stored user ---- */

/* A user copied out of the store's callback. */
struct user_copy {
    struct user u;
    char *name, *pw_hash, *touchpoints, *lang;
};

static int copy_cb(void *ctx, const struct user *u)
{
    struct user_copy *c = ctx;
    c->u = *u;
    c->u.name = c->name = xstrdup(u->name);
    c->u.pw_hash = c->pw_hash = u->pw_hash ? xstrdup(u->pw_hash) : NULL;
    c->u.touchpoints = c->touchpoints =
        u->touchpoints ? xstrdup(u->touchpoints) : NULL;
    c->u.lang = c->lang = u->lang ? xstrdup(u->lang) : NULL;
    return 0;
}

static void user_copy_dispose(struct user_copy *c)
{
    free(c->name);
    if (c->pw_hash)
        sodium_memzero(c->pw_hash, strlen(c->pw_hash));
    free(c->pw_hash);
    free(c->touchpoints);
    free(c->lang);
}

enum change { CHANGE_PASSWD, CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_SET };

static int change(struct app *app, const struct args *a, enum change what)
{
    static const char *const action[] = {"user.passwd", "user.disable",
                                         "user.enable", "user.set"};
    struct err err = ERR_INIT;
    struct user_copy c = {0};
    char hash[128] = "", subject[80], detail[40] = "";
    const char *lang = NULL;
    struct store *s;
    int rc;
    if (what == CHANGE_SET && !a->lang)
        return cli_usage_error(app, "user", "user set needs --lang sv|en|none");
    if (what == CHANGE_SET && lang_arg(a->lang, &lang) < 0)
        return cli_usage_error(
            app, "user", "--lang must be sv, en or none, got '%s'", a->lang);
    if (!(s = cli_store(app)))
        return app->store_exit;
    if ((rc = store_get_user(s, a->user, copy_cb, &c, &err)) < 0)
        goto done;
    if (what == CHANGE_PASSWD) {
        if ((rc = new_password(a->password_stdin, a->user, hash, &err)) < 0)
            goto done;
        c.u.pw_hash = hash;
    } else if (what == CHANGE_SET) {
        c.u.lang = lang;
        snprintf(detail, sizeof detail, "{\"lang\":\"%s\"}",
                 lang ? lang : "none");
    } else {
        c.u.disabled = what == CHANGE_DISABLE;
    }
    snprintf(subject, sizeof subject, "user:%s", a->user);
    if ((rc = store_begin(s, &err)) < 0)
        goto done;
    if ((rc = store_put_user(s, &c.u, &err)) < 0 ||
        (rc = audit(s, action[what], subject, detail[0] ? detail : NULL,
                    &err)) < 0 ||
        (rc = store_commit(s, &err)) < 0) {
        store_rollback(s);
        goto done;
    }
    cli_say(app->out, "user %s: %s", a->user,
            what == CHANGE_PASSWD   ? "password changed; sessions ended"
            : what == CHANGE_SET    ? "language set"
            : what == CHANGE_ENABLE ? "enabled"
                                    : "disabled; sessions ended, tokens "
                                      "refused");
done:
    sodium_memzero(hash, sizeof hash);
    user_copy_dispose(&c);
    return rc < 0 ? cli_error(app, &err) : EXIT_OK;
}

/* ---- list, tokens ---- */

/* The users and the tokens as results (report/access_report.h). */
static int show(struct app *app, enum result_format fmt,
                int (*build)(struct result **, struct store *, struct err *))
{
    struct err err = ERR_INIT;
    struct result *r = NULL;
    struct store *s;
    int rc;
    if (!(s = cli_store(app)))
        return app->store_exit;
    if (build(&r, s, &err) < 0)
        return cli_error(app, &err);
    rc = cli_render(app, r, fmt, 0);
    result_free(r);
    return rc;
}

/* ---- token ---- */

static int token_revoke(struct app *app, const char *id_text)
{
    struct err err = ERR_INIT;
    char subject[40];
    long id;
    struct store *s;
    if (opt_parse_long(&id, id_text, 1, 0x7fffffffL) < 0)
        return cli_usage_error(
            app, "user", "--revoke must be a token id, got '%s'", id_text);
    if (!(s = cli_store(app)))
        return app->store_exit;
    snprintf(subject, sizeof subject, "token:%ld", id);
    if (store_begin(s, &err) < 0)
        return cli_error(app, &err);
    if (store_revoke_token(s, id, &err) < 0 ||
        audit(s, "token.revoke", subject, NULL, &err) < 0 ||
        store_commit(s, &err) < 0) {
        store_rollback(s);
        return cli_error(app, &err);
    }
    cli_say(app->out, "token %ld revoked", id);
    return EXIT_OK;
}

static int token_create(struct app *app, const struct args *a)
{
    struct err err = ERR_INIT;
    char token[AUTH_API_TOKEN_LEN + 1], subject[40], scope_text[20];
    unsigned scopes = SCOPE_READ;
    long days = 0;
    int64_t id = 0;
    struct store *s;
    if (!a->label)
        return cli_usage_error(app, "user",
                               "user token needs --name LABEL (what it is "
                               "for)");
    if (a->scopes && auth_scopes_parse(&scopes, a->scopes, &err) < 0)
        return cli_usage_error(app, "user", "--scopes: %s", err.msg);
    if (a->expires && opt_parse_long(&days, a->expires, 1, 36500) < 0)
        return cli_usage_error(app, "user",
                               "--expires must be 1..36500 days, got '%s'",
                               a->expires);
    if (!(s = cli_store(app)))
        return app->store_exit;
    if (auth_token_create(s, a->user, a->label, scopes, (int64_t)days * 86400,
                          token, &id, &err) < 0)
        return cli_error(app, &err);
    /* who asked for it; token.create (written with it) names its user */
    snprintf(subject, sizeof subject, "token:%lld", (long long)id);
    struct err audit_err = ERR_INIT;
    if (audit(s, "user.token", subject, NULL, &audit_err) < 0)
        cli_say(app->err, "resonans: warning: %s", audit_err.msg);
    auth_scopes_name(scopes, scope_text);
    fprintf(app->out, "%s\n", token);
    fflush(app->out);
    sodium_memzero(token, sizeof token);
    char until[40] = "";
    if (days)
        snprintf(until, sizeof until, ", expires in %ld day%s", days,
                 days == 1 ? "" : "s");
    cli_say(app->err,
            "token %lld for %s (%s%s) created; it is not shown again: store "
            "it now. Revoke it with 'resonans user token --revoke %lld'.",
            (long long)id, a->user, scope_text, until, (long long)id);
    return EXIT_OK;
}

/* ---- dispatch ---- */

/* What store_put_user takes as a name, checked before asking for a
 * password in vain. */
static int name_ok(const char *name)
{
    size_t n = strnlen(name, 65);
    if (n < 1 || n > 64)
        return 0;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

/* Which options each subcommand takes: one bit per option id. */
static int check_opts(struct app *app, const struct args *a, unsigned given,
                      unsigned allowed)
{
    static const char *const names[] = {
        NULL,     "--role",   "--touchpoints", "--password-stdin", "--format",
        "--name", "--scopes", "--expires",     "--revoke",         "--lang"};
    for (int i = 1; i <= O_LANG; i++)
        if ((given & (1u << i)) && !(allowed & (1u << i)))
            return cli_usage_error(app, "user", "%s is not for user %s",
                                   names[i], a->sub);
    return 0;
}

#define BIT(o) (1u << (o))

int cmd_user(struct app *app, int argc, char **argv)
{
    struct opt_parser p;
    struct opt o;
    struct args a = {0};
    unsigned given = 0;
    int got, rc;
    opt_parser_init(&p, specs, argc, argv);
    while ((got = cli_opt_next(app, "user", &p, &o)) > 0) {
        given |= BIT(o.id);
        switch (o.id) {
        case O_ROLE:
            a.role = o.value;
            break;
        case O_TOUCHPOINTS:
            a.touchpoints = o.value;
            break;
        case O_PASSWORD_STDIN:
            a.password_stdin = 1;
            break;
        case O_FORMAT:
            a.format = o.value;
            break;
        case O_NAME:
            a.label = o.value;
            break;
        case O_SCOPES:
            a.scopes = o.value;
            break;
        case O_EXPIRES:
            a.expires = o.value;
            break;
        case O_REVOKE:
            a.revoke = o.value;
            break;
        case O_LANG:
            a.lang = o.value;
            break;
        default:
            if (!a.sub)
                a.sub = o.value;
            else if (!a.user)
                a.user = o.value;
            else
                return cli_usage_error(app, "user", "unexpected argument '%s'",
                                       o.value);
        }
    }
    given &= ~BIT(OPT_ARG);
    if (got < 0)
        return EXIT_USAGE;
    if (!a.sub)
        return cli_usage_error(app, "user",
                               "expected add, passwd, set, list, token, "
                               "tokens, disable or enable");
    int lists = !strcmp(a.sub, "list") || !strcmp(a.sub, "tokens");
    if (lists) {
        enum result_format fmt = RESULT_FORMAT_TABLE;
        if ((rc = check_opts(app, &a, given, BIT(O_FORMAT))) != 0)
            return rc;
        if (a.user)
            return cli_usage_error(app, "user", "user %s takes no argument",
                                   a.sub);
        if (a.format && result_format_parse(&fmt, a.format) < 0)
            return cli_usage_error(app, "user",
                                   "--format must be table, csv, json or "
                                   "jsonl, got '%s'",
                                   a.format);
        return show(app, fmt,
                    !strcmp(a.sub, "list") ? users_result : tokens_result);
    }
    if (!strcmp(a.sub, "token") && a.revoke) {
        if ((rc = check_opts(app, &a, given, BIT(O_REVOKE))) != 0)
            return rc;
        if (a.user)
            return cli_usage_error(app, "user",
                                   "user token --revoke ID takes no user name");
        return token_revoke(app, a.revoke);
    }
    static const struct {
        const char *name;
        unsigned opts;
    } subs[] = {
        {"add", BIT(O_ROLE) | BIT(O_TOUCHPOINTS) | BIT(O_PASSWORD_STDIN) |
                    BIT(O_LANG)},
        {"passwd", BIT(O_PASSWORD_STDIN)},
        {"set", BIT(O_LANG)},
        {"token", BIT(O_NAME) | BIT(O_SCOPES) | BIT(O_EXPIRES)},
        {"disable", 0},
        {"enable", 0},
    };
    size_t i = 0;
    while (i < sizeof subs / sizeof *subs && strcmp(subs[i].name, a.sub) != 0)
        i++;
    if (i == sizeof subs / sizeof *subs)
        return cli_usage_error(app, "user", "unknown subcommand '%s'", a.sub);
    if ((rc = check_opts(app, &a, given, subs[i].opts)) != 0)
        return rc;
    if (!a.user)
        return cli_usage_error(app, "user", "user %s needs a user NAME", a.sub);
    if (!name_ok(a.user))
        return cli_usage_error(app, "user",
                               "NAME must be 1..64 bytes without control "
                               "characters");
    if (!strcmp(a.sub, "add"))
        return add(app, &a);
    if (!strcmp(a.sub, "token"))
        return token_create(app, &a);
    return change(app, &a,
                  !strcmp(a.sub, "passwd")    ? CHANGE_PASSWD
                  : !strcmp(a.sub, "set")     ? CHANGE_SET
                  : !strcmp(a.sub, "disable") ? CHANGE_DISABLE
                                              : CHANGE_ENABLE);
}
