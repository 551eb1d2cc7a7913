/* tests for src/demo: the generated files follow docs/import-formats.md,
 * are reproducible, and carry the planted effects of docs/demo-data.md.
 * The effects are recomputed naively from the files, as an analyst
 * would, without the generator's internals. */
#include "harness.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"
#include "demo/demo.h"

#define N_CUST 3000
#define N_RESP 60000

/* ---- a small RFC 4180 reader for the test ---- */

struct table {
    char *buf;    /* unescaped fields, NUL-terminated */
    char ***rows; /* rows[i][j]; rows[0] is the header */
    size_t n_rows, n_cols;
};

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = xmalloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[got] = 0;
    if (len)
        *len = got;
    return b;
}

static int table_load(struct table *t, const char *dir, const char *name)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *src = read_all(path, &len);
    if (!src)
        return -1;
    memset(t, 0, sizeof *t);
    t->buf = xmalloc(len + 1);
    size_t cap_rows = 1024, cap_f = 16, nf = 0, o = 0;
    char **fields = xmalloc(cap_f * sizeof *fields);
    t->rows = xmalloc(cap_rows * sizeof *t->rows);
    size_t i = 0;
    while (i < len) {
        /* one field */
        if (nf == cap_f)
            fields = xrealloc(fields, (cap_f *= 2) * sizeof *fields);
        fields[nf++] = t->buf + o;
        if (src[i] == '"') {
            i++;
            for (;;) {
                assert_true(i < len); /* unterminated quote */
                if (src[i] == '"') {
                    if (i + 1 < len && src[i + 1] == '"') {
                        t->buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                t->buf[o++] = src[i++];
            }
        } else {
            while (i < len && src[i] != ',' && src[i] != '\n')
                t->buf[o++] = src[i++];
        }
        t->buf[o++] = 0;
        if (i < len && src[i] == ',') {
            i++;
            continue;
        }
        assert_true(i >= len || src[i] == '\n');
        i++;
        if (t->n_rows == cap_rows)
            t->rows = xrealloc(t->rows, (cap_rows *= 2) * sizeof *t->rows);
        if (t->n_rows == 0)
            t->n_cols = nf;
        assert_int_equal(nf, t->n_cols); /* every row has every column */
        t->rows[t->n_rows] = xmalloc(nf * sizeof **t->rows);
        memcpy(t->rows[t->n_rows], fields, nf * sizeof *fields);
        t->n_rows++;
        nf = 0;
    }
    free(fields);
    free(src);
    return 0;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n_rows; i++)
        free(t->rows[i]);
    free(t->rows);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

static int col(const struct table *t, const char *name)
{
    for (size_t j = 0; j < t->n_cols; j++)
        if (!strcmp(t->rows[0][j], name))
            return (int)j;
    fail_msg("no column %s", name);
    return -1;
}

/* ---- the data set under test, generated once ---- */

struct fixture {
    char *dir;
    struct demo_opts opts;
    struct demo_result res;
    struct table cust, resp, ev;
    json_t *journey;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    struct err err = ERR_INIT;
    f->dir = harness_tmpdir();
    demo_opts_init(&f->opts);
    f->opts.seed = 7;
    f->opts.customers = N_CUST;
    f->opts.responses = N_RESP;
    if (demo_generate(&f->res, &f->opts, f->dir, NULL, NULL, &err) != 0) {
        fprintf(stderr, "demo_generate: %s\n", err.msg);
        return -1;
    }
    if (table_load(&f->cust, f->dir, "customers.csv") ||
        table_load(&f->resp, f->dir, "responses.csv") ||
        table_load(&f->ev, f->dir, "events.csv"))
        return -1;
    char path[1024];
    snprintf(path, sizeof path, "%s/journey.json", f->dir);
    json_error_t je;
    f->journey = json_load_file(path, 0, &je);
    if (!f->journey) {
        fprintf(stderr, "journey.json:%d: %s\n", je.line, je.text);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    table_free(&f->cust);
    table_free(&f->resp);
    table_free(&f->ev);
    json_decref(f->journey);
    harness_tmpdir_free(f->dir);
    free(f);
    return 0;
}

static int files_equal(const char *d1, const char *d2, const char *name)
{
    char p1[1024], p2[1024];
    size_t n1, n2;
    snprintf(p1, sizeof p1, "%s/%s", d1, name);
    snprintf(p2, sizeof p2, "%s/%s", d2, name);
    char *a = read_all(p1, &n1), *b = read_all(p2, &n2);
    int eq = a && b && n1 == n2 && !memcmp(a, b, n1);
    free(a);
    free(b);
    return eq;
}

static char *generate(const struct demo_opts *o)
{
    struct err err = ERR_INIT;
    char *dir = harness_tmpdir();
    if (demo_generate(NULL, o, dir, NULL, NULL, &err) != 0)
        fail_msg("demo_generate: %s", err.msg);
    return dir;
}

static const char *const files[] = {"journey.json", "customers.csv",
                                    "responses.csv", "events.csv"};

static void test_demo_same_seed_gives_identical_bytes(void **state)
{
    struct fixture *f = *state;
    char *dir = generate(&f->opts);
    for (size_t i = 0; i < 4; i++)
        if (!files_equal(f->dir, dir, files[i]))
            fail_msg("%s differs between two runs with seed 7", files[i]);
    harness_tmpdir_free(dir);
}

static void test_demo_other_seed_gives_other_data(void **state)
{
    struct fixture *f = *state;
    struct demo_opts o = f->opts;
    o.seed = 8;
    char *dir = generate(&o);
    assert_true(files_equal(f->dir, dir, "journey.json"));
    assert_false(files_equal(f->dir, dir, "customers.csv"));
    assert_false(files_equal(f->dir, dir, "responses.csv"));
    assert_false(files_equal(f->dir, dir, "events.csv"));
    harness_tmpdir_free(dir);
}

static void test_demo_comment_share_and_events_change_nothing_else(void **state)
{
    struct fixture *f = *state;
    struct demo_opts o = f->opts;
    o.comments = 0;
    o.events = 0;
    char *dir = generate(&o);
    struct table t;
    char path[1024];
    snprintf(path, sizeof path, "%s/events.csv", dir);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* not written */
    assert_true(files_equal(f->dir, dir, "customers.csv"));
    assert_int_equal(table_load(&t, dir, "responses.csv"), 0);
    assert_int_equal(t.n_rows, f->resp.n_rows);
    int cc = col(&t, "comment");
    for (size_t i = 1; i < t.n_rows; i++) {
        assert_string_equal(t.rows[i][cc], "");
        for (int j = 0; j < cc; j++)
            assert_string_equal(t.rows[i][j], f->resp.rows[i][j]);
    }
    table_free(&t);
    harness_tmpdir_free(dir);
}

static void test_demo_writes_the_requested_rows(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(f->cust.n_rows - 1, N_CUST);
    assert_int_equal(f->resp.n_rows - 1, N_RESP);
    assert_int_equal(f->res.files[DEMO_CUSTOMERS].rows, N_CUST);
    assert_int_equal(f->res.files[DEMO_RESPONSES].rows, N_RESP);
    assert_int_equal(f->res.files[DEMO_EVENTS].rows, f->ev.n_rows - 1);
    assert_true(f->ev.n_rows > 10 * N_CUST); /* rent every month, and more */
    for (int i = 0; i < DEMO_N_FILES; i++) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", f->dir, f->res.files[i].name);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal((uint64_t)st.st_size, f->res.files[i].bytes);
    }
    assert_string_equal(f->res.first_month, "2024-11");
    assert_string_equal(f->res.last_month, "2026-10");
}

static const char *const channels[] = {"web", "app", "phone", "office",
                                       "onsite"};

static int known_channel(const char *s)
{
    for (size_t i = 0; i < 5; i++)
        if (!strcmp(s, channels[i]))
            return 1;
    return 0;
}

/* The touchpoint's channel from journey.json, or NULL if unknown. */
static const char *tp_channel(json_t *journey, const char *key)
{
    json_t *stages = json_object_get(
        json_array_get(json_object_get(journey, "journeys"), 0), "stages");
    size_t i, j;
    json_t *s, *tp;
    json_array_foreach(stages, i, s)
    {
        json_array_foreach(json_object_get(s, "touchpoints"), j, tp)
        {
            if (!strcmp(json_string_value(json_object_get(tp, "key")), key))
                return json_string_value(json_object_get(tp, "channel"));
        }
    }
    return NULL;
}

static void test_demo_journey_has_stages_and_touchpoints(void **state)
{
    struct fixture *f = *state;
    static const char *const stage_names[] = {"Söka bostad", "Kontrakt",
                                              "Inflyttning", "Boende",
                                              "Förlängning/Uppsägning"};
    json_t *js = json_object_get(f->journey, "journeys");
    assert_int_equal(json_array_size(js), 1);
    json_t *j = json_array_get(js, 0);
    assert_string_equal(json_string_value(json_object_get(j, "name")),
                        "Hyresgästens resa");
    assert_string_equal(json_string_value(json_object_get(j, "lifecycle")),
                        "use");
    json_t *stages = json_object_get(j, "stages");
    assert_int_equal(json_array_size(stages), 5);
    size_t n_tp = 0, i, k;
    int mot = 0, physical = 0, seen_ch[5] = {0};
    json_t *s, *tp;
    json_array_foreach(stages, i, s)
    {
        assert_string_equal(json_string_value(json_object_get(s, "name")),
                            stage_names[i]);
        assert_true(json_array_size(json_object_get(s, "touchpoints")) > 0);
        json_array_foreach(json_object_get(s, "touchpoints"), k, tp)
        {
            const char *ch = json_string_value(json_object_get(tp, "channel"));
            const char *owner = json_string_value(json_object_get(tp, "owner"));
            assert_non_null(ch);
            assert_true(known_channel(ch));
            for (int c = 0; c < 5; c++)
                seen_ch[c] |= !strcmp(ch, channels[c]);
            assert_true(owner && *owner);
            assert_true(json_string_length(json_object_get(tp, "name")) > 3);
            assert_true(
                json_is_boolean(json_object_get(tp, "moment_of_truth")));
            assert_true(json_is_boolean(json_object_get(tp, "physical")));
            mot += json_is_true(json_object_get(tp, "moment_of_truth"));
            physical += json_is_true(json_object_get(tp, "physical"));
            n_tp++;
        }
    }
    assert_in_range(n_tp, 15, 25);
    assert_int_equal(f->res.files[DEMO_JOURNEY].rows, n_tp);
    assert_true(mot >= 3 && physical >= 3 && physical < (int)n_tp);
    for (int c = 0; c < 5; c++)
        assert_true(seen_ch[c]);
}

static int find_customer(const struct table *c, const char *id)
{
    /* ids are K000001.. in order */
    long n = strtol(id + 1, NULL, 10);
    return n >= 1 && (size_t)n < c->n_rows && !strcmp(c->rows[n][0], id)
               ? (int)n
               : -1;
}

static void test_demo_responses_refer_to_known_things(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cc = col(r, "customer"),
        cch = col(r, "channel"), cl = col(r, "language"), ci = col(r, "id");
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *ch = tp_channel(f->journey, r->rows[i][ct]);
        if (!ch)
            fail_msg("row %zu: unknown touchpoint %s", i, r->rows[i][ct]);
        assert_string_equal(r->rows[i][cch], ch);
        assert_true(find_customer(&f->cust, r->rows[i][cc]) > 0);
        assert_true(!strcmp(r->rows[i][cl], "sv") ||
                    !strcmp(r->rows[i][cl], "en"));
        assert_true(i == 1 || strcmp(r->rows[i - 1][ci], r->rows[i][ci]) < 0);
    }
}

static int score(const char *s, int lo, int hi)
{
    if (!*s)
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    assert_true(*end == 0 && v >= lo && v <= hi);
    return (int)v;
}

static void test_demo_scores_are_in_range_and_surveys_short(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int cn = col(r, "nps"), cs = col(r, "csat"), ce = col(r, "ces");
    size_t all3 = 0, with_nps = 0, none = 0;
    for (size_t i = 1; i < r->n_rows; i++) {
        int n = score(r->rows[i][cn], 0, 10);
        int s = score(r->rows[i][cs], 1, 5);
        int e = score(r->rows[i][ce], 1, 7);
        all3 += n >= 0 && s >= 0 && e >= 0;
        with_nps += n >= 0;
        none += n < 0 && s < 0 && e < 0;
    }
    assert_int_equal(none, 0);
    assert_int_equal(all3, 0); /* at most two questions per survey */
    assert_true(with_nps > r->n_rows / 2 && with_nps < r->n_rows * 95 / 100);
}

/* Stockholm offset by the EU rule, computed independently. */
static int stockholm_offset(int64_t utc)
{
    int y;
    unsigned m, d;
    tstamp_civil_from_days(utc / 86400, &y, &m, &d);
    int64_t mar31 = tstamp_days_from_civil(y, 3, 31);
    int64_t oct31 = tstamp_days_from_civil(y, 10, 31);
    /* 1970-01-04 was a Sunday: day 3. */
    int64_t mar_sun = mar31 - ((mar31 - 3) % 7 + 7) % 7;
    int64_t oct_sun = oct31 - ((oct31 - 3) % 7 + 7) % 7;
    return utc >= mar_sun * 86400 + 3600 && utc < oct_sun * 86400 + 3600 ? 120
                                                                         : 60;
}

static void check_times(const struct table *t, const char *name,
                        int64_t from_day, int64_t to_day)
{
    int ct = col(t, name);
    int64_t prev = INT64_MIN;
    int summer = 0, winter = 0;
    for (size_t i = 1; i < t->n_rows; i++) {
        const char *s = t->rows[i][ct];
        struct err err = ERR_INIT;
        int64_t utc;
        int tz;
        size_t c;
        if (tstamp_parse(&utc, &tz, s, strlen(s), &c, &err) != 0)
            fail_msg("row %zu: %s: %s", i, s, err.msg);
        if (tz != stockholm_offset(utc))
            fail_msg("row %zu: %s should have offset %d", i, s,
                     stockholm_offset(utc));
        summer += tz == 120;
        winter += tz == 60;
        assert_true(utc >= prev); /* in time order */
        prev = utc;
        int64_t day = tstamp_local_day(utc, tz);
        assert_true(day >= from_day && day < to_day);
    }
    assert_true(summer > 0 && winter > 0);
}

static void
test_demo_timestamps_parse_in_order_with_stockholm_time(void **state)
{
    struct fixture *f = *state;
    int64_t start = tstamp_days_from_civil(2024, 11, 1);
    int64_t end = tstamp_days_from_civil(2026, 11, 1);
    check_times(&f->resp, "submitted_at", start, end);
    check_times(&f->ev, "time", start - 92, end);
}

static int valid_utf8(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80             ? 0
                : (*s & 0xe0) == 0xc0 ? 1
                : (*s & 0xf0) == 0xe0 ? 2
                : (*s & 0xf8) == 0xf0 ? 3
                                      : -1;
        if (n < 0)
            return 0;
        s++;
        for (int i = 0; i < n; i++, s++)
            if ((*s & 0xc0) != 0x80)
                return 0;
    }
    return 1;
}

static void test_demo_comments_share_language_and_personal_data(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int cc = col(r, "comment"), cl = col(r, "language");
    size_t n = r->n_rows - 1, with = 0, en = 0, en_with = 0, mail = 0,
           phone = 0, distinct = 0, quoted = 0, swedish_letters = 0;
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *c = r->rows[i][cc];
        int is_en = !strcmp(r->rows[i][cl], "en");
        en += is_en;
        if (!*c)
            continue;
        with++;
        en_with += is_en;
        assert_true(valid_utf8((const unsigned char *)c));
        assert_true(strlen(c) < 600);
        mail += strchr(c, '@') != NULL;
        phone += strstr(c, "07") != NULL || strstr(c, "+46") != NULL;
        quoted += strchr(c, '"') != NULL;
        swedish_letters += strstr(c, "ä") || strstr(c, "å") || strstr(c, "ö");
        /* a rough count of distinct texts: differs from the previous
         * comment at the same touchpoint is too weak; compare to the
         * comment two rows up instead */
        distinct += i < 3 || strcmp(c, r->rows[i - 2][cc]) != 0;
    }
    assert_close((double)with / n, 0.25, 0, 0.03);
    assert_close((double)en / n, 0.08, 0, 0.025);
    assert_true(en_with > 0);
    assert_true(mail >= 3 && mail < with / 20);
    assert_true(phone >= 3 && phone < with / 20);
    assert_true(quoted > 0);
    assert_true(swedish_letters > with / 2);
    assert_true(distinct > with * 9 / 10);
}

static void test_demo_events_are_consistent(void **state)
{
    struct fixture *f = *state;
    static const char *const kinds[] = {
        "viewing",      "contract_signed", "move_in", "inspection",
        "fault_report", "repair",          "contact", "payment",
        "renewal",      "notice",          "move_out"};
    const struct table *e = &f->ev;
    int ca = col(e, "activity"), cc = col(e, "customer"),
        cr = col(e, "resolution_hours"), cam = col(e, "amount"),
        cd = col(e, "days_late"), crep = col(e, "repeat"),
        ct = col(e, "touchpoint");
    size_t count[11] = {0}, late = 0, repeats = 0, open = 0;
    for (size_t i = 1; i < e->n_rows; i++) {
        const char *a = e->rows[i][ca];
        size_t k = 0;
        while (k < 11 && strcmp(a, kinds[k]))
            k++;
        if (k == 11) {
            fail_msg("row %zu: unknown activity %s", i, a);
            continue;
        }
        count[k]++;
        assert_true(find_customer(&f->cust, e->rows[i][cc]) > 0);
        const char *tp = e->rows[i][ct];
        assert_true(!*tp || tp_channel(f->journey, tp));
        if (k == 4 || k == 5) {
            if (*e->rows[i][cr])
                assert_true(atof(e->rows[i][cr]) >= 1);
            else
                open++;
        } else {
            assert_string_equal(e->rows[i][cr], "");
        }
        if (k == 7) {
            assert_true(atof(e->rows[i][cam]) > 1000);
            late += atoi(e->rows[i][cd]) > 0;
        }
        if (k == 6)
            repeats += !strcmp(e->rows[i][crep], "1");
    }
    for (int k = 0; k < 11; k++)
        if (count[k] == 0)
            fail_msg("no %s events", kinds[k]);
    assert_true(count[5] <= count[4]); /* a repair follows a report */
    assert_true(open > 0 && open < count[4] / 10);
    assert_true(late > count[7] / 100 && late < count[7] / 5);
    assert_true(repeats > count[6] / 10);
}

/* ---- planted effects ---- */

struct nps_acc {
    long n, pro, det;
};

static void acc_add(struct nps_acc *a, const char *s)
{
    if (!*s)
        return;
    int v = atoi(s);
    a->n++;
    a->pro += v >= 9;
    a->det += v <= 6;
}

static double acc_nps(const struct nps_acc *a)
{
    return a->n ? 100.0 * (double)(a->pro - a->det) / (double)a->n : NAN;
}

static int month_of(const char *ts) /* "YYYY-MM..." -> months since 0 */
{
    return atoi(ts) * 12 + atoi(ts + 5) - 1;
}

static int is_app_touchpoint(struct fixture *f, const char *tp)
{
    const char *ch = tp_channel(f->journey, tp);
    return ch && !strcmp(ch, "app");
}

static void test_demo_effect_broken_login_month(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cs = col(r, "submitted_at"),
        cn = col(r, "nps"), ce = col(r, "ces"), cc = col(r, "comment");
    int feb = 2026 * 12 + 1; /* [0] Feb, [1] March (broken), [2] April */
    struct nps_acc nps[3] = {{0}};
    double ces_sum[3] = {0};
    long ces_n[3] = {0}, comments[3] = {0}, login[3] = {0};
    for (size_t i = 1; i < r->n_rows; i++) {
        int m = month_of(r->rows[i][cs]) - feb;
        if (m < 0 || m > 2 || !is_app_touchpoint(f, r->rows[i][ct]))
            continue;
        acc_add(&nps[m], r->rows[i][cn]);
        if (*r->rows[i][ce]) {
            ces_sum[m] += atoi(r->rows[i][ce]);
            ces_n[m]++;
        }
        const char *c = r->rows[i][cc];
        if (*c) {
            comments[m]++;
            login[m] += strstr(c, "logga in") || strstr(c, "nloggning") ||
                        strstr(c, "log in") || strstr(c, "logging me out");
        }
    }
    double before = acc_nps(&nps[0]), during = acc_nps(&nps[1]),
           after = acc_nps(&nps[2]);
    if (!(during <= before - 20 && during <= after - 20))
        fail_msg("app NPS Feb %.1f, Mar %.1f, Apr %.1f: March not 20 below",
                 before, during, after);
    assert_true(ces_sum[1] / ces_n[1] <= ces_sum[0] / ces_n[0] - 1.0);
    assert_true(ces_sum[1] / ces_n[1] <= ces_sum[2] / ces_n[2] - 1.0);
    /* login complaints: most March app comments, few otherwise */
    assert_true(login[1] * 2 > comments[1]);
    assert_true(login[0] * 10 < comments[0] && login[2] * 10 < comments[2]);
}

/* The customer's latest fault report at or before `at`: its resolution
 * in hours, or -1. Faults are listed per customer in time order. */
struct fault {
    int64_t t;
    double hours;
};

static void test_demo_effect_slow_repairs_lower_nps(void **state)
{
    struct fixture *f = *state;
    const struct table *e = &f->ev, *r = &f->resp;
    size_t nc = f->cust.n_rows;
    struct fault **faults = xcalloc(nc, sizeof *faults);
    size_t *nf = xcalloc(nc, sizeof *nf);
    int ca = col(e, "activity"), cc = col(e, "customer"), ct = col(e, "time"),
        cr = col(e, "resolution_hours");
    for (size_t i = 1; i < e->n_rows; i++) {
        if (strcmp(e->rows[i][ca], "fault_report"))
            continue;
        int c = find_customer(&f->cust, e->rows[i][cc]);
        struct err err = ERR_INIT;
        int64_t utc;
        int tz;
        const char *s = e->rows[i][ct];
        assert_int_equal(tstamp_parse(&utc, &tz, s, strlen(s), NULL, &err), 0);
        faults[c] = xrealloc(faults[c], (nf[c] + 1) * sizeof **faults);
        faults[c][nf[c]].t = utc;
        faults[c][nf[c]].hours = *e->rows[i][cr] ? atof(e->rows[i][cr]) : -1;
        nf[c]++;
    }
    struct nps_acc fast = {0}, slow = {0}, other = {0};
    int rt = col(r, "touchpoint"), rc = col(r, "customer"),
        rs = col(r, "submitted_at"), rn = col(r, "nps");
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *tp = r->rows[i][rt];
        if (strcmp(tp, "felanmalan_app") && strcmp(tp, "felanmalan_tel") &&
            strcmp(tp, "reparation"))
            continue;
        int c = find_customer(&f->cust, r->rows[i][rc]);
        struct err err = ERR_INIT;
        int64_t utc;
        int tz;
        const char *s = r->rows[i][rs];
        assert_int_equal(tstamp_parse(&utc, &tz, s, strlen(s), NULL, &err), 0);
        double h = -1;
        for (size_t k = 0; k < nf[c] && faults[c][k].t <= utc; k++)
            h = faults[c][k].hours;
        if (h < 0)
            continue;
        acc_add(h <= 48 ? &fast : h > 168 ? &slow : &other, r->rows[i][rn]);
    }
    double a = acc_nps(&fast), b = acc_nps(&slow);
    if (!(a - b >= 30) || slow.n < 300)
        fail_msg("fault NPS: <=48h %.1f (n %ld), >168h %.1f (n %ld)", a, fast.n,
                 b, slow.n);
    assert_true(acc_nps(&other) < a && acc_nps(&other) > b);
    for (size_t c = 0; c < nc; c++)
        free(faults[c]);
    free(faults);
    free(nf);
}

static int norr(const char *district)
{
    return !strcmp(district, "Gränby") || !strcmp(district, "Kvarngärdet") ||
           !strcmp(district, "Svartbäcken");
}

static void test_demo_effect_friendly_viewing_staff(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cc = col(r, "customer"), cn = col(r, "nps"),
        cm = col(r, "comment"), cd = col(&f->cust, "district");
    struct nps_acc in = {0}, out = {0};
    long named_in = 0, comments_in = 0, named_out = 0, comments_out = 0;
    for (size_t i = 1; i < r->n_rows; i++) {
        if (strcmp(r->rows[i][ct], "visning"))
            continue;
        int c = find_customer(&f->cust, r->rows[i][cc]);
        int is = norr(f->cust.rows[c][cd]);
        acc_add(is ? &in : &out, r->rows[i][cn]);
        const char *m = r->rows[i][cm];
        if (!*m || atoi(r->rows[i][cn]) < 9 || !*r->rows[i][cn])
            continue;
        int named = strstr(m, "Sara") || strstr(m, "Ahmed");
        if (is) {
            comments_in++;
            named_in += named;
        } else {
            comments_out++;
            named_out += strstr(m, "Lena") || strstr(m, "Peter") ||
                         strstr(m, "Kristina") || strstr(m, "Jonas") ||
                         strstr(m, "Maria") || strstr(m, "Daniel");
        }
    }
    if (!(acc_nps(&in) - acc_nps(&out) >= 15))
        fail_msg("visning NPS Uthyrning Norr %.1f (n %ld), others %.1f (n %ld)",
                 acc_nps(&in), in.n, acc_nps(&out), out.n);
    assert_true(named_in * 10 > comments_in * 4);   /* > 40% name the host */
    assert_true(named_out * 10 < comments_out * 2); /* < 20% elsewhere */
}

static void test_demo_effect_digital_contract_improves(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cs = col(r, "submitted_at"),
        cn = col(r, "nps");
    int m0 = 2024 * 12 + 10;
    /* least squares of the per-response NPS value (+100/0/-100) on the
     * month index */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    long n = 0;
    for (size_t i = 1; i < r->n_rows; i++) {
        if (strcmp(r->rows[i][ct], "kontrakt_digital") || !*r->rows[i][cn])
            continue;
        double x = month_of(r->rows[i][cs]) - m0;
        int v = atoi(r->rows[i][cn]);
        double y = v >= 9 ? 100 : v <= 6 ? -100 : 0;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        n++;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    if (!(slope >= 0.7 && slope <= 2.5))
        fail_msg("kontrakt_digital NPS slope %.2f points/month (n %ld), "
                 "planted 1.5",
                 slope, n);
}

static void test_demo_effect_segments_differ(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int cc = col(r, "customer"), cn = col(r, "nps"),
        cs = col(&f->cust, "segment");
    struct nps_acc senior = {0}, student = {0}, family = {0};
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *seg =
            f->cust.rows[find_customer(&f->cust, r->rows[i][cc])][cs];
        if (!strcmp(seg, "Senior"))
            acc_add(&senior, r->rows[i][cn]);
        else if (!strcmp(seg, "Student"))
            acc_add(&student, r->rows[i][cn]);
        else if (!strcmp(seg, "Barnfamilj"))
            acc_add(&family, r->rows[i][cn]);
    }
    double s = acc_nps(&senior), st = acc_nps(&student), fa = acc_nps(&family);
    if (!(s - st >= 20 && s > fa && fa > st))
        fail_msg("NPS Senior %.1f, Barnfamilj %.1f, Student %.1f", s, fa, st);
}

/* ---- options and errors ---- */

static void test_demo_rejects_bad_options(void **state)
{
    (void)state;
    struct demo_opts o;
    struct err err = ERR_INIT;
    demo_opts_init(&o);
    assert_int_equal(demo_opts_check(&o, &err), 0);
    o.customers = 0;
    assert_int_equal(demo_generate(NULL, &o, "/nonexistent", NULL, NULL, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "--customers"));
    demo_opts_init(&o);
    o.comments = 1.5;
    err_clear(&err);
    assert_int_equal(demo_opts_check(&o, &err), ERR_INVALID);
    o.comments = NAN;
    err_clear(&err);
    assert_int_equal(demo_opts_check(&o, &err), ERR_INVALID);
    demo_opts_init(&o);
    o.months = 0;
    err_clear(&err);
    assert_int_equal(demo_opts_check(&o, &err), ERR_INVALID);
    o.months = DEMO_MAX_MONTHS + 1;
    err_clear(&err);
    assert_int_equal(demo_opts_check(&o, &err), ERR_INVALID);
}

static void test_demo_unwritable_directory_is_an_io_error(void **state)
{
    (void)state;
    struct demo_opts o;
    struct err err = ERR_INIT;
    demo_opts_init(&o);
    o.customers = 10;
    o.responses = 10;
    assert_int_equal(
        demo_generate(NULL, &o, "/nonexistent/dir", NULL, NULL, &err), ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/dir"));
}

static void progress_count(void *ctx, const char *file, uint64_t done,
                           uint64_t total)
{
    (void)file;
    assert_true(done <= total);
    (*(int *)ctx)++;
}

static void test_demo_tiny_and_empty_sets_work(void **state)
{
    (void)state;
    struct demo_opts o;
    struct demo_result res;
    struct err err = ERR_INIT;
    char *dir = harness_tmpdir();
    int calls = 0;
    demo_opts_init(&o);
    o.customers = 1;
    o.responses = 25;
    o.months = 1;
    o.comments = 1;
    assert_int_equal(demo_generate(&res, &o, dir, progress_count, &calls, &err),
                     0);
    assert_int_equal(res.files[DEMO_RESPONSES].rows, 25);
    assert_string_equal(res.first_month, "2026-10");
    assert_true(calls >= 3);
    struct table t;
    assert_int_equal(table_load(&t, dir, "responses.csv"), 0);
    assert_int_equal(t.n_rows, 26);
    for (size_t i = 1; i < t.n_rows; i++) {
        assert_string_equal(t.rows[i][col(&t, "customer")], "K000001");
        assert_true(*t.rows[i][col(&t, "comment")]); /* share 1: all */
    }
    table_free(&t);
    o.responses = 0;
    o.customers = 5;
    assert_int_equal(demo_generate(&res, &o, dir, NULL, NULL, &err), 0);
    assert_int_equal(table_load(&t, dir, "responses.csv"), 0);
    assert_int_equal(t.n_rows, 1); /* the header only */
    table_free(&t);
    harness_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_same_seed_gives_identical_bytes),
        cmocka_unit_test(test_demo_other_seed_gives_other_data),
        cmocka_unit_test(
            test_demo_comment_share_and_events_change_nothing_else),
        cmocka_unit_test(test_demo_writes_the_requested_rows),
        cmocka_unit_test(test_demo_journey_has_stages_and_touchpoints),
        cmocka_unit_test(test_demo_responses_refer_to_known_things),
        cmocka_unit_test(test_demo_scores_are_in_range_and_surveys_short),
        cmocka_unit_test(
            test_demo_timestamps_parse_in_order_with_stockholm_time),
        cmocka_unit_test(test_demo_comments_share_language_and_personal_data),
        cmocka_unit_test(test_demo_events_are_consistent),
        cmocka_unit_test(test_demo_effect_broken_login_month),
        cmocka_unit_test(test_demo_effect_slow_repairs_lower_nps),
        cmocka_unit_test(test_demo_effect_friendly_viewing_staff),
        cmocka_unit_test(test_demo_effect_digital_contract_improves),
        cmocka_unit_test(test_demo_effect_segments_differ),
        cmocka_unit_test(test_demo_rejects_bad_options),
        cmocka_unit_test(test_demo_unwritable_directory_is_an_io_error),
        cmocka_unit_test(test_demo_tiny_and_empty_sets_work),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
