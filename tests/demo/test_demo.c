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
        for (int j = 0; j < (int)t.n_cols; j++)
            if (j != cc)
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

/* ---- the questions beyond NPS, CSAT and CES ---- */

static const char *const driver_col[4] = {
    "rating:speed@10", "rating:quality@10", "rating:communication@10",
    "rating:staff@10"};

/* R² of the regression of the outcome (index k of the correlation matrix
 * r, k + 1 variables) on the drivers in mask: solves the normal equations
 * in correlation form by Gaussian elimination. */
static double subset_r2(double r[5][5], int k, unsigned mask)
{
    int idx[4], m = 0;
    for (int j = 0; j < k; j++)
        if (mask & (1u << j))
            idx[m++] = j;
    if (m == 0)
        return 0;
    double a[4][5];
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++)
            a[i][j] = r[idx[i]][idx[j]];
        a[i][m] = r[idx[i]][k];
    }
    for (int i = 0; i < m; i++)
        for (int i2 = 0; i2 < m; i2++) {
            if (i2 == i)
                continue;
            double f = a[i2][i] / a[i][i];
            for (int j = i; j <= m; j++)
                a[i2][j] -= f * a[i][j];
        }
    double r2 = 0;
    for (int i = 0; i < m; i++)
        r2 += a[i][m] / a[i][i] * r[idx[i]][k];
    return r2;
}

/* LMG (Shapley) shares of R² for 4 drivers, from their correlations with
 * each other and the outcome (r[4][*]). */
static void lmg4(double r[5][5], double share[4])
{
    static const double fact[5] = {1, 1, 2, 6, 24};
    double total = subset_r2(r, 4, 15);
    for (int j = 0; j < 4; j++) {
        share[j] = 0;
        for (unsigned s = 0; s < 16; s++) {
            if (s & (1u << j))
                continue;
            int m = 0;
            for (unsigned b = s; b; b >>= 1)
                m += (int)(b & 1);
            share[j] += fact[m] * fact[3 - m] / fact[4] *
                        (subset_r2(r, 4, s | (1u << j)) - subset_r2(r, 4, s));
        }
        share[j] /= total;
    }
}

static void test_demo_effect_key_drivers_at_reparation(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cn = col(r, "nps"), cc = col(r, "customer"),
        cd = col(&f->cust, "district"), cr[4];
    for (int j = 0; j < 4; j++)
        cr[j] = col(r, driver_col[j]);
    double sum[5] = {0}, cross[5][5] = {{0}};
    double gsum[2][4] = {{0}}; /* [Gottsunda][driver] */
    long n = 0, gn[2] = {0}, at = 0, rated = 0;
    for (size_t i = 1; i < r->n_rows; i++) {
        int here = !strcmp(r->rows[i][ct], "reparation");
        at += here;
        for (int j = 0; j < 4; j++) {
            /* all four or none, and only after a repair */
            assert_int_equal(!*r->rows[i][cr[j]], !*r->rows[i][cr[0]]);
            if (!here)
                assert_string_equal(r->rows[i][cr[j]], "");
        }
        if (!here || !*r->rows[i][cr[0]])
            continue;
        rated++;
        double v[5];
        for (int j = 0; j < 4; j++)
            v[j] = score(r->rows[i][cr[j]], 0, 10);
        int c = find_customer(&f->cust, r->rows[i][cc]);
        int g = !strcmp(f->cust.rows[c][cd], "Gottsunda");
        gn[g]++;
        for (int j = 0; j < 4; j++)
            gsum[g][j] += v[j];
        if (!*r->rows[i][cn])
            continue;
        v[4] = atoi(r->rows[i][cn]);
        n++;
        for (int a = 0; a < 5; a++) {
            sum[a] += v[a];
            for (int b = 0; b < 5; b++)
                cross[a][b] += v[a] * v[b];
        }
    }
    /* most repair surveys answer the battery */
    assert_true(rated > at * 7 / 10 && rated < at * 95 / 100);
    double corr[5][5];
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++) {
            double cab = cross[a][b] / n - sum[a] / n * sum[b] / n;
            double va = cross[a][a] / n - sum[a] / n * sum[a] / n;
            double vb = cross[b][b] / n - sum[b] / n * sum[b] / n;
            corr[a][b] = cab / sqrt(va * vb);
        }
    /* a shared "overall experience": the ratings correlate, not too much */
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < a; b++)
            assert_in_range((long)(corr[a][b] * 100), 20, 60);
    double share[4];
    lmg4(corr, share);
    if (!(share[0] > share[1] && share[1] > share[2] && share[2] > share[3] &&
          share[0] >= 0.30))
        fail_msg("LMG shares speed %.3f, quality %.3f, communication %.3f, "
                 "staff %.3f (n %ld): not in the planted order",
                 share[0], share[1], share[2], share[3], n);
    /* importance-performance: speed is rated lowest in Gottsunda only */
    double m[2][4];
    for (int g = 0; g < 2; g++)
        for (int j = 0; j < 4; j++)
            m[g][j] = gsum[g][j] / gn[g];
    if (!(m[1][0] < m[0][0] - 1.2 && m[1][0] < m[1][1] && m[1][0] < m[1][2] &&
          m[1][0] < m[1][3] && m[0][2] < m[0][0]))
        fail_msg("mean speed Gottsunda %.2f (n %ld), elsewhere %.2f; "
                 "communication %.2f / %.2f",
                 m[1][0], gn[1], m[0][0], m[1][2], m[0][2]);
}

static const char *const aspect_key[3] = {"response_time", "competence",
                                          "followup"};

static void test_demo_effect_expectation_gap_at_kundservice(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cn = col(r, "nps"), ce[3], cp[3];
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "expect:%s@7", aspect_key[k]);
        ce[k] = col(r, name);
        snprintf(name, sizeof name, "perceive:%s@7", aspect_key[k]);
        cp[k] = col(r, name);
    }
    double gap[3] = {0};
    long n = 0, not_met[3] = {0}, at = 0;
    struct nps_acc met = {0}, short_of = {0};
    for (size_t i = 1; i < r->n_rows; i++) {
        int here = !strcmp(r->rows[i][ct], "kundservice_tel");
        at += here;
        for (int k = 0; k < 3; k++) {
            /* both halves of every pair or none, only after a call */
            assert_int_equal(!*r->rows[i][ce[k]], !*r->rows[i][cp[k]]);
            assert_int_equal(!*r->rows[i][ce[k]], !*r->rows[i][ce[0]]);
            if (!here)
                assert_string_equal(r->rows[i][ce[k]], "");
        }
        if (!here || !*r->rows[i][ce[0]])
            continue;
        n++;
        for (int k = 0; k < 3; k++) {
            int g =
                score(r->rows[i][cp[k]], 1, 7) - score(r->rows[i][ce[k]], 1, 7);
            gap[k] += g;
            not_met[k] += g < 0;
        }
        int rt =
            score(r->rows[i][cp[0]], 1, 7) < score(r->rows[i][ce[0]], 1, 7);
        acc_add(rt ? &short_of : &met, r->rows[i][cn]);
    }
    assert_true(n > at * 6 / 10 && n < at * 95 / 100);
    for (int k = 0; k < 3; k++)
        gap[k] /= n;
    if (!(gap[0] <= -1.2 && not_met[0] > n * 6 / 10 && fabs(gap[1]) <= 0.3 &&
          gap[2] < -0.3 && gap[2] > gap[0] + 0.4))
        fail_msg("mean gaps response_time %+.2f (not met %ld of %ld), "
                 "competence %+.2f, followup %+.2f",
                 gap[0], not_met[0], n, gap[1], gap[2]);
    /* a shortfall costs recommendation */
    if (!(acc_nps(&met) - acc_nps(&short_of) >= 10))
        fail_msg("NPS when response_time met %.1f (n %ld), not met %.1f "
                 "(n %ld)",
                 acc_nps(&met), met.n, acc_nps(&short_of), short_of.n);
}

static void test_demo_effect_triad_differs_by_segment(void **state)
{
    struct fixture *f = *state;
    const struct table *r = &f->resp;
    int ct = col(r, "touchpoint"), cc = col(r, "customer"),
        ctr = col(r, "triad:why_contact"), cdy = col(r, "dyad:settled"),
        cs = col(&f->cust, "segment");
    /* [0] Student, [1] Senior, [2] everyone else */
    double mean[3][3] = {{0}};
    long n[3] = {0};
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *t = r->rows[i][ctr];
        assert_int_equal(!*t, !*r->rows[i][cdy]);
        if (!*t)
            continue;
        assert_string_equal(r->rows[i][ct], "kundservice_tel");
        double w[3], sum = 0;
        char *end;
        for (int k = 0; k < 3; k++) {
            w[k] = strtod(t, &end);
            assert_true(end != t && w[k] >= 0 && w[k] <= 1);
            assert_true(*end == (k < 2 ? '|' : 0));
            t = end + 1;
            sum += w[k];
        }
        assert_true(fabs(sum - 1) <= 0.0015);
        double dy = strtod(r->rows[i][cdy], &end);
        assert_true(*end == 0 && dy >= 0 && dy <= 1);
        const char *seg =
            f->cust.rows[find_customer(&f->cust, r->rows[i][cc])][cs];
        int g = !strcmp(seg, "Student") ? 0 : !strcmp(seg, "Senior") ? 1 : 2;
        n[g]++;
        for (int k = 0; k < 3; k++)
            mean[g][k] += w[k];
    }
    for (int g = 0; g < 3; g++) {
        assert_true(n[g] >= 50);
        for (int k = 0; k < 3; k++)
            mean[g][k] /= n[g];
    }
    /* corners fix | know | reassure: students lean to "know", seniors to
     * "reassure" */
    if (!(mean[0][1] - mean[2][1] >= 0.15 && mean[1][2] - mean[2][2] >= 0.1))
        fail_msg("triad means Student %.2f|%.2f|%.2f (n %ld), Senior "
                 "%.2f|%.2f|%.2f (n %ld), others %.2f|%.2f|%.2f (n %ld)",
                 mean[0][0], mean[0][1], mean[0][2], n[0], mean[1][0],
                 mean[1][1], mean[1][2], n[1], mean[2][0], mean[2][1],
                 mean[2][2], n[2]);
}

/* Personas: the segments differ in channel use (fault reports in the app)
 * as well as in their attributes (household size, age). */
static void test_demo_personas_differ_in_channel_use(void **state)
{
    struct fixture *f = *state;
    const struct table *cu = &f->cust;
    int chh = col(cu, "household"), cseg = col(cu, "segment"),
        cage = col(cu, "age_band");
    for (size_t i = 1; i < cu->n_rows; i++) {
        const char *seg = cu->rows[i][cseg], *age = cu->rows[i][cage];
        int h = score(cu->rows[i][chh], 1, 6);
        if (!strcmp(seg, "Par utan barn"))
            assert_int_equal(h, 2);
        else if (!strcmp(seg, "Ensamstående"))
            assert_int_equal(h, 1);
        else if (!strcmp(seg, "Barnfamilj"))
            assert_true(h >= 3);
        else
            assert_true(h <= 2);
        if (!strcmp(seg, "Senior"))
            assert_true(!strcmp(age, "65-79") || !strcmp(age, "80+"));
        if (!strcmp(seg, "Student") || !strcmp(seg, "Ung vuxen"))
            assert_true(!strcmp(age, "18-24") || !strcmp(age, "25-34"));
    }
    const struct table *e = &f->ev;
    int ca = col(e, "activity"), cc = col(e, "customer"),
        ch = col(e, "channel"), cs = col(&f->cust, "segment");
    long app[2] = {0}, all[2] = {0}; /* [0] Student, [1] Senior */
    for (size_t i = 1; i < e->n_rows; i++) {
        if (strcmp(e->rows[i][ca], "fault_report"))
            continue;
        const char *seg =
            f->cust.rows[find_customer(&f->cust, e->rows[i][cc])][cs];
        int g = !strcmp(seg, "Student") ? 0 : !strcmp(seg, "Senior") ? 1 : -1;
        if (g < 0)
            continue;
        all[g]++;
        app[g] += !strcmp(e->rows[i][ch], "app");
    }
    if (!(app[0] > all[0] * 3 / 4 && app[1] < all[1] / 3))
        fail_msg("fault reports in the app: Student %ld of %ld, Senior %ld "
                 "of %ld",
                 app[0], all[0], app[1], all[1]);
}

/* ---- options and errors ---- */

/* ---- (i), (j), (k): journeys in the events ---- */

static int64_t utc_of(const char *s)
{
    struct err err = ERR_INIT;
    int64_t utc;
    int tz;
    assert_int_equal(tstamp_parse(&utc, &tz, s, strlen(s), NULL, &err), 0);
    return utc;
}

static json_t *planted(struct fixture *f, const char *key)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/planted.json", f->dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        fail_msg("planted.json:%d: %s", je.line, je.text);
    json_t *v = json_incref(json_object_get(root, key));
    json_decref(root);
    if (!v)
        fail_msg("planted.json has no %s", key);
    return v;
}

static long jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("planted.json: %s is not an integer", key);
    return (long)json_integer_value(v);
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("planted.json: %s is not a number", key);
    return json_number_value(v);
}

static int band_of(double hours)
{
    return hours < 24    ? 0
           : hours < 72  ? 1
           : hours < 168 ? 2
           : hours < 336 ? 3
                         : 4;
}

/* One work order as the events show it. */
struct wo {
    int cust;
    int reports, repairs, contacts;
    int64_t first_report, repair_t, last_report;
    double hours;
};

/* Work orders by AO number (1..n); returns n, *out to be freed. */
static size_t work_orders(struct fixture *f, struct wo **out)
{
    const struct table *e = &f->ev;
    int ca = col(e, "activity"), cc = col(e, "customer"), ct = col(e, "time"),
        cr = col(e, "resolution_hours"), cw = col(e, "arbetsorder"),
        cre = col(e, "reason");
    size_t cap = 1024, n = 0;
    long prev_first = 0;
    struct wo *w = xcalloc(cap, sizeof *w);
    for (size_t i = 1; i < e->n_rows; i++) {
        const char *a = e->rows[i][ca], *ao = e->rows[i][cw];
        int is_fault = !strcmp(a, "fault_report"),
            is_rep = !strcmp(a, "repair");
        int is_fu = !strcmp(a, "contact") &&
                    !strcmp(e->rows[i][cre], "felanmalan_uppfoljning");
        if (!(is_fault || is_rep || is_fu)) {
            if (*ao)
                fail_msg("row %zu: %s with arbetsorder %s", i, a, ao);
            continue;
        }
        if (strlen(ao) != 9 || strncmp(ao, "AO-", 3) ||
            strspn(ao + 3, "0123456789") != 6)
            fail_msg("row %zu: %s with arbetsorder '%s'", i, a, ao);
        long k = strtol(ao + 3, NULL, 10);
        /* numbered in the order they first appear */
        if (k > prev_first + 1)
            fail_msg("row %zu: %s after AO-%06ld", i, ao, prev_first);
        if (k == prev_first + 1) {
            prev_first = k;
            if ((size_t)k >= cap) {
                w = xrealloc(w, cap * 2 * sizeof *w);
                memset(w + cap, 0, cap * sizeof *w);
                cap *= 2;
            }
            n = (size_t)k;
            w[k].cust = find_customer(&f->cust, e->rows[i][cc]);
        }
        struct wo *o = &w[k];
        assert_int_equal(o->cust, find_customer(&f->cust, e->rows[i][cc]));
        int64_t t = utc_of(e->rows[i][ct]);
        if (is_fault) {
            if (!o->reports)
                o->first_report = t;
            o->last_report = t;
            o->reports++;
        } else if (is_rep) {
            o->repairs++;
            o->repair_t = t;
            o->hours = atof(e->rows[i][cr]);
        } else {
            o->contacts++;
        }
    }
    *out = w;
    return n;
}

static void test_demo_work_orders_are_consistent(void **state)
{
    struct fixture *f = *state;
    struct wo *w;
    size_t n = work_orders(f, &w);
    size_t again = 0, contact_only = 0;
    assert_true(n > 1000);
    for (size_t k = 1; k <= n; k++) {
        const struct wo *o = &w[k];
        if (o->repairs > 1 || o->reports > 2)
            fail_msg("AO-%06zu: %d repairs, %d reports", k, o->repairs,
                     o->reports);
        if (o->repairs && !o->reports) /* every repair has its report */
            fail_msg("AO-%06zu: a repair without a fault report", k);
        if (o->repairs && o->last_report >= o->repair_t)
            fail_msg("AO-%06zu: reported after its repair", k);
        again += o->reports == 2;
        contact_only += !o->reports && !o->repairs;
    }
    /* follow-up calls about a fault reported before the data */
    assert_true(contact_only < n / 100);
    assert_true(again > n / 20 && again < n / 4);
    free(w);
}

static void test_demo_effect_reported_again_when_slow(void **state)
{
    struct fixture *f = *state;
    struct wo *w;
    size_t n = work_orders(f, &w);
    long total[5] = {0}, twice[5] = {0};
    for (size_t k = 1; k <= n; k++) {
        if (!w[k].repairs || !w[k].reports)
            continue;
        int b = band_of(w[k].hours);
        total[b]++;
        twice[b] += w[k].reports == 2;
    }
    /* planted.json counts the same work orders */
    json_t *p = planted(f, "work_orders");
    json_t *bands = json_object_get(p, "bands");
    assert_int_equal(json_array_size(bands), 5);
    for (int b = 0; b < 5; b++) {
        json_t *o = json_array_get(bands, (size_t)b);
        assert_int_equal(jint(o, "work_orders"), total[b]);
        assert_int_equal(jint(o, "reported_again"), twice[b]);
        double share = (double)twice[b] / (double)total[b],
               planted_share = jnum(o, "planted_share");
        /* 4 standard errors */
        double se = sqrt(planted_share * (1 - planted_share) / total[b]);
        if (fabs(share - planted_share) > 4 * se + 0.005)
            fail_msg("band %d: %ld of %ld reported again, planted %.2f", b,
                     twice[b], total[b], planted_share);
        /* within a band, answers after a re-reported repair are lower */
        if (jint(o, "n_again") >= 30)
            assert_true(jnum(o, "expected_nps_again") <
                        jnum(o, "expected_nps_once") - 5);
    }
    assert_true(twice[4] * 5 > total[4] * 2 && twice[1] * 10 < total[1]);
    /* all bands: the slower repairs of (a) and (i)'s own offset */
    json_t *all = json_object_get(p, "all_bands");
    long n_all = 0;
    for (int b = 0; b < 5; b++) {
        json_t *o = json_array_get(bands, (size_t)b);
        n_all += jint(o, "n_once") + jint(o, "n_again");
    }
    assert_int_equal(jint(all, "n_once") + jint(all, "n_again"), n_all);
    assert_true(jnum(all, "expected_nps_again") <
                jnum(all, "expected_nps_once") - 20);

    /* Recomputed naively: NPS at the fault touchpoints after the repair
     * of a work order reported twice against once (the latest repair of
     * the customer before the answer). */
    size_t nc = f->cust.n_rows;
    struct fault **rep = xcalloc(nc, sizeof *rep);
    size_t *nr = xcalloc(nc, sizeof *nr);
    for (size_t k = 1; k <= n; k++) {
        int c = w[k].cust;
        if (!w[k].repairs || c < 0)
            continue;
        rep[c] = xrealloc(rep[c], (nr[c] + 1) * sizeof **rep);
        rep[c][nr[c]].t = w[k].repair_t;
        rep[c][nr[c]].hours = w[k].reports == 2;
        nr[c]++;
    }
    const struct table *r = &f->resp;
    int rt = col(r, "touchpoint"), rc = col(r, "customer"),
        rs = col(r, "submitted_at"), rn = col(r, "nps");
    struct nps_acc acc[2] = {{0}};
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *tp = r->rows[i][rt];
        if (strcmp(tp, "felanmalan_app") && strcmp(tp, "felanmalan_tel") &&
            strcmp(tp, "reparation"))
            continue;
        int c = find_customer(&f->cust, r->rows[i][rc]);
        int64_t t = utc_of(r->rows[i][rs]), best = INT64_MIN;
        int twice_ = -1;
        for (size_t k = 0; k < nr[c]; k++)
            if (rep[c][k].t <= t && rep[c][k].t > best) {
                best = rep[c][k].t;
                twice_ = rep[c][k].hours > 0;
            }
        if (twice_ >= 0)
            acc_add(&acc[twice_], r->rows[i][rn]);
    }
    if (!(acc_nps(&acc[1]) < acc_nps(&acc[0]) - 20 && acc[1].n > 500))
        fail_msg("fault NPS after a repair reported twice %.1f (n %ld), "
                 "once %.1f (n %ld)",
                 acc_nps(&acc[1]), acc[1].n, acc_nps(&acc[0]), acc[0].n);
    for (size_t c = 0; c < nc; c++)
        free(rep[c]);
    free(rep);
    free(nr);
    json_decref(p);
    free(w);
}

static void test_demo_effect_contract_link_drops_conversion(void **state)
{
    struct fixture *f = *state;
    const struct table *e = &f->ev;
    size_t nc = f->cust.n_rows;
    int64_t *last = xcalloc(nc, sizeof *last);
    unsigned char *got = xcalloc(nc, 1);
    int ca = col(e, "activity"), cc = col(e, "customer"), ct = col(e, "time"),
        cs = col(&f->cust, "status");
    for (size_t i = 1; i < e->n_rows; i++) {
        const char *a = e->rows[i][ca];
        int c = find_customer(&f->cust, e->rows[i][cc]);
        if (!strcmp(a, "viewing"))
            last[c] = utc_of(e->rows[i][ct]);
        else if (!strcmp(a, "contract_signed"))
            got[c] |= 1;
        else if (!strcmp(a, "move_in"))
            got[c] |= 2;
        else
            continue;
        /* applicants who never signed have no contract */
        if (strcmp(a, "viewing") && !strcmp(f->cust.rows[c][cs], "sökande"))
            fail_msg("row %zu: %s of an applicant", i, a);
    }
    int64_t from = utc_of("2026-05-01T00:00:00+02:00");
    long viewed[2] = {0}, signed_[2] = {0}, moved[2] = {0};
    for (size_t c = 1; c < nc; c++) {
        if (!last[c])
            continue;
        int k = last[c] >= from;
        viewed[k]++;
        signed_[k] += got[c] & 1;
        moved[k] += (got[c] & 2) != 0;
    }
    json_t *p = planted(f, "contract_link");
    json_t *co = json_object_get(p, "cohorts");
    for (int k = 0; k < 2; k++) {
        json_t *o = json_array_get(co, (size_t)k);
        assert_int_equal(jint(o, "viewed"), viewed[k]);
        assert_int_equal(jint(o, "signed"), signed_[k]);
        assert_int_equal(jint(o, "moved_in"), moved[k]);
    }
    /* the barrier: of those who would have signed, the planted share of
     * the digital signers (55-85%) are lost */
    json_t *o = json_array_get(co, 1);
    long lost = jint(o, "lost");
    assert_int_equal(jint(json_array_get(co, 0), "lost"), 0);
    double share = (double)lost / (double)(lost + signed_[1]);
    if (!(share > 0.25 && share < 0.55))
        fail_msg("lost %ld of %ld who would have signed", lost,
                 lost + signed_[1]);
    double before = (double)signed_[0] / viewed[0],
           after = (double)signed_[1] / viewed[1];
    if (!(after < before - 0.2))
        fail_msg("viewing -> contract %.3f before, %.3f from 2026-05", before,
                 after);
    json_decref(p);
    free(last);
    free(got);
}

static void test_demo_effect_move_in_inspection_predicts_notice(void **state)
{
    struct fixture *f = *state;
    const struct table *e = &f->ev, *r = &f->resp;
    size_t nc = f->cust.n_rows;
    int64_t *notice = xcalloc(nc, sizeof *notice);
    int ca = col(e, "activity"), cc = col(e, "customer"), ct = col(e, "time");
    for (size_t i = 1; i < e->n_rows; i++)
        if (!strcmp(e->rows[i][ca], "notice")) {
            int c = find_customer(&f->cust, e->rows[i][cc]);
            assert_int_equal(notice[c], 0); /* one notice a customer */
            notice[c] = utc_of(e->rows[i][ct]);
        }
    int64_t end = utc_of("2026-11-01T00:00:00+01:00"), year = 365 * 86400;
    int rt = col(r, "touchpoint"), rc = col(r, "customer"),
        rs = col(r, "submitted_at"), rn = col(r, "nps");
    long n[2][3] = {{0}}, gave[2][3] = {{0}};
    struct nps_acc leaving = {0}, staying = {0};
    for (size_t i = 1; i < r->n_rows; i++) {
        const char *v = r->rows[i][rn];
        if (strcmp(r->rows[i][rt], "besiktning_in") || !*v)
            continue;
        int c = find_customer(&f->cust, r->rows[i][rc]);
        int64_t t = utc_of(r->rows[i][rs]);
        int g = atoi(v) >= 9 ? 2 : atoi(v) >= 7 ? 1 : 0;
        int yes = notice[c] > t && notice[c] <= t + year;
        for (int k = 0; k <= (t + year <= end); k++) {
            n[k][g]++;
            gave[k][g] += yes;
        }
        if (t + year <= end)
            acc_add(yes ? &leaving : &staying, v);
    }
    json_t *p = planted(f, "move_in_inspection");
    assert_int_equal(jint(p, "nps_per_sd"), 40);
    for (int k = 0; k < 2; k++) {
        json_t *a = json_object_get(p, k ? "full_year" : "answers");
        for (int g = 0; g < 3; g++) {
            json_t *o = json_array_get(a, (size_t)g);
            assert_int_equal(jint(o, "n"), n[k][g]);
            assert_int_equal(jint(o, "notice"), gave[k][g]);
        }
    }
    /* those who gave notice within the year had rated the inspection
     * lower, and detractors gave notice more often than promoters */
    double rd = (double)gave[1][0] / n[1][0], rp = (double)gave[1][2] / n[1][2];
    if (!(acc_nps(&leaving) < acc_nps(&staying) - 10 && rd > rp))
        fail_msg("besiktning_in NPS of those leaving within a year %.1f (n "
                 "%ld), staying %.1f (n %ld); notice rate detractors %.3f, "
                 "promoters %.3f",
                 acc_nps(&leaving), leaving.n, acc_nps(&staying), staying.n, rd,
                 rp);
    json_decref(p);
    free(notice);
}

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
        cmocka_unit_test(test_demo_effect_key_drivers_at_reparation),
        cmocka_unit_test(test_demo_effect_expectation_gap_at_kundservice),
        cmocka_unit_test(test_demo_effect_triad_differs_by_segment),
        cmocka_unit_test(test_demo_personas_differ_in_channel_use),
        cmocka_unit_test(test_demo_work_orders_are_consistent),
        cmocka_unit_test(test_demo_effect_reported_again_when_slow),
        cmocka_unit_test(test_demo_effect_contract_link_drops_conversion),
        cmocka_unit_test(test_demo_effect_move_in_inspection_predicts_notice),
        cmocka_unit_test(test_demo_rejects_bad_options),
        cmocka_unit_test(test_demo_unwritable_directory_is_an_io_error),
        cmocka_unit_test(test_demo_tiny_and_empty_sets_work),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
