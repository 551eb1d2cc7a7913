#include "core/timefmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/tzfile.h"
#include "core/xalloc.h"

enum tf_kind { TF_AUTO, TF_EXCEL, TF_PATTERN };

struct timefmt {
    enum tf_kind kind;
    char *pat; /* the pattern, trimmed */
    size_t npat;
};

/* What a value says, with where each part starts (0-based). */
struct parts {
    int y, mo, d, h, mi, sec;
    int have_zone, zone_min;
    size_t at_y, at_mo, at_d, at_h, at_mi, at_s;
};

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t';
}

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static int fail(struct err *err, size_t *col, size_t at, const char *s,
                size_t n, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* ERR_INVALID "bad timestamp "<value>": <what>" with *col = at + 1. */
static int fail(struct err *err, size_t *col, size_t at, const char *s,
                size_t n, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (col)
        *col = at + 1;
    return err_set(err, ERR_INVALID, "bad timestamp \"%.*s\": %s",
                   (int)(n > 40 ? 40 : n), s, what);
}

/* Exactly k digits at *i (before e). On failure *i is where it stopped. */
static int digits(const char *s, size_t e, size_t *i, int k, int *out)
{
    int v = 0;
    for (int j = 0; j < k; j++) {
        if (*i >= e || !is_digit(s[*i]))
            return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return 0;
}

/* One or two digits. */
static int digits12(const char *s, size_t e, size_t *i, int *out)
{
    if (*i >= e || !is_digit(s[*i]))
        return -1;
    *out = s[(*i)++] - '0';
    if (*i < e && is_digit(s[*i]))
        *out = *out * 10 + (s[(*i)++] - '0');
    return 0;
}

/* Range checks, then local time through the zone. */
static int finish(const struct parts *p, int allow_24, const struct tz *zone,
                  const char *s, size_t n, size_t end, int64_t *utc,
                  int *tz_min, size_t *col, struct err *err)
{
    int sec = p->sec;
    if (p->y < TSTAMP_MIN_YEAR || p->y > TSTAMP_MAX_YEAR)
        return fail(err, col, p->at_y, s, n, "year %d outside %d-%d", p->y,
                    TSTAMP_MIN_YEAR, TSTAMP_MAX_YEAR);
    if (p->mo < 1 || p->mo > 12)
        return fail(err, col, p->at_mo, s, n, "month %d out of range", p->mo);
    if (p->d < 1 || p->d > tstamp_month_days(p->y, p->mo))
        return fail(err, col, p->at_d, s, n,
                    "day %d out of range for %04d-%02d", p->d, p->y, p->mo);
    if (p->h > 23 && !(allow_24 && p->h == 24 && !p->mi && !sec))
        return fail(err, col, p->at_h, s, n, "hour %d out of range", p->h);
    if (p->mi > 59)
        return fail(err, col, p->at_mi, s, n, "minutes %d out of range", p->mi);
    if (sec > 60)
        return fail(err, col, p->at_s, s, n, "seconds %d out of range", sec);
    if (sec == 60)
        sec = 59; /* a leap second stays in its minute, as in tstamp */

    int64_t local =
        tstamp_days_from_civil(p->y, (unsigned)p->mo, (unsigned)p->d) * 86400 +
        (int64_t)p->h * 3600 + (int64_t)p->mi * 60 + sec;
    if (p->have_zone) {
        *utc = local - (int64_t)p->zone_min * 60;
        *tz_min = p->zone_min;
        return 0;
    }
    if (!zone)
        return fail(err, col, end, s, n,
                    "no time zone: give the zone in the timestamp or --tz");
    int off;
    int rc = tz_local_to_utc(zone, local, utc, &off, err);
    if (rc < 0) {
        if (col)
            *col = end + 1;
        return rc;
    }
    /* Offsets before standard time had seconds (Stockholm's LMT was
     * +01:12:12); the stored offset is whole minutes, nearest. */
    *tz_min = off >= 0 ? (off + 30) / 60 : -((-off + 30) / 60);
    return 0;
}

/* ---- auto ---- */

/* A numeric zone after the time: +HH, +HH:MM, +HHMM; as tstamp reads it,
 * a ':' may end it. */
static int zone_num(const char *s, size_t e, size_t *i, int *zmin)
{
    int sign = s[*i] == '-' ? -1 : 1, th, tm = 0;
    (*i)++;
    if (digits(s, e, i, 2, &th))
        return -1;
    if (*i < e && s[*i] == ':')
        (*i)++;
    if (*i < e && digits(s, e, i, 2, &tm))
        return -1;
    if (th > 14 || tm > 59)
        return -2;
    *zmin = sign * (th * 60 + tm);
    return 0;
}

/* Says what to give instead of a value auto cannot read: slash and dot
 * dates need a pattern, plain numbers may be Excel serials. */
static int auto_hint(const char *s, size_t n, size_t b, size_t e, size_t i,
                     size_t *col, struct err *err)
{
    size_t j = b, k;
    while (j < e && is_digit(s[j]))
        j++;
    size_t lead = j - b;
    k = j;
    if (k < e && (s[k] == '.' || s[k] == ',') && k + 1 < e) {
        for (k++; k < e && is_digit(s[k]); k++)
            ;
    }
    if (lead > 0 && k == e) {
        if (lead >= 5 || j < e)
            return fail(err, col, b, s, n,
                        "a number, not a date: for Excel serial days give "
                        "--time-format excel");
    } else if (j < e && (s[j] == '/' || s[j] == '.' || s[j] == '-') &&
               (lead == 1 || lead == 2 || (lead == 4 && s[j] != '-'))) {
        char sep = s[j];
        const char *time = memchr(s + b, ':', e - b) ? " %H:%M" : "";
        if (lead == 4)
            return fail(err, col, j, s, n,
                        "not read without a format: give --time-format, "
                        "e.g. --time-format '%%Y%c%%m%c%%d%s'",
                        sep, sep, time);
        return fail(err, col, j, s, n,
                    "day and month order is ambiguous: give --time-format, "
                    "e.g. --time-format '%%d%c%%m%c%%Y%s'",
                    sep, sep, time);
    }
    return fail(err, col, i, s, n,
                "expected YYYY-MM-DD, optionally with HH:MM[:SS] and a "
                "zone (other forms need --time-format)");
}

static int parse_auto(const char *s, size_t n, size_t b, size_t e,
                      const struct tz *zone, int64_t *utc, int *tz_min,
                      size_t *col, struct err *err)
{
    struct parts p = {0};
    size_t i = b;

    p.at_y = b;
    if (digits(s, e, &i, 4, &p.y) || i >= e || s[i] != '-')
        return auto_hint(s, n, b, e, i, col, err);
    i++;
    p.at_mo = i;
    if (digits(s, e, &i, 2, &p.mo) || i >= e || s[i] != '-')
        return fail(err, col, i, s, n, "expected YYYY-MM-DD");
    i++;
    p.at_d = i;
    if (digits(s, e, &i, 2, &p.d))
        return fail(err, col, i, s, n, "expected YYYY-MM-DD");
    p.at_h = p.at_mi = p.at_s = i;
    if (i == e)
        return finish(&p, 0, zone, s, n, e, utc, tz_min, col, err);
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return fail(err, col, i, s, n,
                    "expected T or a space between date and time");
    i++;
    p.at_h = i;
    if (digits(s, e, &i, 2, &p.h))
        return fail(err, col, i, s, n, "expected time HH:MM");
    if (i >= e || s[i] != ':')
        return fail(err, col, i, s, n, "expected ':' in time HH:MM");
    i++;
    p.at_mi = i;
    if (digits(s, e, &i, 2, &p.mi))
        return fail(err, col, i, s, n, "expected time HH:MM");
    if (i < e && s[i] == ':') {
        i++;
        p.at_s = i;
        if (digits(s, e, &i, 2, &p.sec))
            return fail(err, col, i, s, n, "expected seconds");
        if (i < e && (s[i] == '.' || s[i] == ',')) {
            size_t f = ++i;
            while (i < e && is_digit(s[i]))
                i++;
            if (i == f)
                return fail(err, col, i, s, n, "expected fraction digits");
        }
    }
    if (i < e) {
        size_t z = i;
        if (s[z] == ' ' && z + 1 < e &&
            (s[z + 1] == '+' || s[z + 1] == '-' || s[z + 1] == 'Z' ||
             s[z + 1] == 'z'))
            z++;
        if (s[z] == 'Z' || s[z] == 'z') {
            p.have_zone = 1;
            i = z + 1;
        } else if (s[z] == '+' || s[z] == '-') {
            i = z;
            int rc = zone_num(s, e, &i, &p.zone_min);
            if (rc == -1)
                return fail(err, col, i, s, n,
                            "expected a zone +HH:MM, +HHMM, +HH or Z");
            if (rc == -2)
                return fail(err, col, z, s, n, "time zone out of range");
            p.have_zone = 1;
        } else {
            return fail(err, col, i, s, n,
                        "unexpected text after the time (a zone is Z, "
                        "+HH:MM, +HHMM or +HH)");
        }
        if (i != e)
            return fail(err, col, i, s, n,
                        "unexpected text after the time zone");
    }
    return finish(&p, 1, zone, s, n, e, utc, tz_min, col, err);
}

/* ---- excel ---- */

static int parse_excel(const char *s, size_t n, size_t b, size_t e,
                       const struct tz *zone, int64_t *utc, int *tz_min,
                       size_t *col, struct err *err)
{
    size_t i = b;
    int64_t days = 0, num = 0, den = 1;
    while (i < e && is_digit(s[i])) {
        if (days < 100000000) /* more is out of range anyway */
            days = days * 10 + (s[i] - '0');
        i++;
    }
    if (i == b)
        return fail(err, col, i, s, n,
                    "expected an Excel serial day number such as "
                    "45429.8125");
    if (i < e && (s[i] == '.' || s[i] == ',')) {
        size_t f = ++i;
        while (i < e && is_digit(s[i])) {
            if (i - f < 12) { /* finer than 0.1 microsecond: ignored */
                num = num * 10 + (s[i] - '0');
                den *= 10;
            }
            i++;
        }
        if (i == f)
            return fail(err, col, i, s, n, "expected digits after '%c'",
                        s[f - 1]);
    }
    if (i != e)
        return fail(err, col, i, s, n,
                    "expected an Excel serial day number such as "
                    "45429.8125");
    if (days < 61)
        return fail(err, col, b, s, n,
                    "Excel serial %lld is before 1900-03-01, where Excel "
                    "counts a 29 February 1900 that never was",
                    (long long)days);
    if (days > 200000)
        return fail(err, col, b, s, n, "Excel serial outside %d-%d",
                    TSTAMP_MIN_YEAR, TSTAMP_MAX_YEAR);
    /* the time of day to the nearest second; 86400 is the next midnight */
    int64_t secs = (num * 86400 + den / 2) / den;
    int64_t day = tstamp_days_from_civil(1899, 12, 30) + days + secs / 86400;
    secs %= 86400;
    struct parts p = {0};
    unsigned mo, d;
    tstamp_civil_from_days(day, &p.y, &mo, &d);
    if (p.y < TSTAMP_MIN_YEAR || p.y > TSTAMP_MAX_YEAR)
        return fail(err, col, b, s, n, "Excel serial outside %d-%d",
                    TSTAMP_MIN_YEAR, TSTAMP_MAX_YEAR);
    p.mo = (int)mo;
    p.d = (int)d;
    p.h = (int)(secs / 3600);
    p.mi = (int)(secs / 60 % 60);
    p.sec = (int)(secs % 60);
    p.at_y = p.at_mo = p.at_d = p.at_h = p.at_mi = p.at_s = b;
    return finish(&p, 0, zone, s, n, e, utc, tz_min, col, err);
}

/* ---- patterns ---- */

static const struct {
    const char *name;
    int month;
} month_names[] = {
    /* English and Swedish full names, then abbreviations */
    {"january", 1},  {"januari", 1},  {"february", 2},  {"februari", 2},
    {"march", 3},    {"mars", 3},     {"april", 4},     {"may", 5},
    {"maj", 5},      {"june", 6},     {"juni", 6},      {"july", 7},
    {"juli", 7},     {"august", 8},   {"augusti", 8},   {"september", 9},
    {"october", 10}, {"oktober", 10}, {"november", 11}, {"december", 12},
    {"jan", 1},      {"feb", 2},      {"mar", 3},       {"apr", 4},
    {"jun", 6},      {"jul", 7},      {"aug", 8},       {"sep", 9},
    {"oct", 10},     {"okt", 10},     {"nov", 11},      {"dec", 12},
};

/* The longest month name at *i, any case. */
static int month_name(const char *s, size_t e, size_t *i, int *month)
{
    size_t best = 0;
    for (size_t k = 0; k < sizeof month_names / sizeof *month_names; k++) {
        const char *m = month_names[k].name;
        size_t len = strlen(m), j = 0;
        while (j < len && *i + j < e && lower((unsigned char)s[*i + j]) == m[j])
            j++;
        if (j == len && len > best) {
            best = len;
            *month = month_names[k].month;
        }
    }
    if (!best)
        return -1;
    *i += best;
    return 0;
}

static const char *directive_what(char c)
{
    switch (c) {
    case 'Y':
        return "a 4-digit year (%Y)";
    case 'y':
        return "a 2-digit year (%y)";
    case 'm':
        return "a month number (%m)";
    case 'b':
        return "a month name (%b)";
    case 'd':
        return "a day (%d)";
    case 'H':
        return "an hour (%H)";
    case 'M':
        return "minutes (%M)";
    case 'S':
        return "2-digit seconds (%S)";
    case 'z':
        return "a zone +HH:MM, +HHMM or Z (%z)";
    case '%':
        return "'%'";
    default:
        return NULL;
    }
}

static int parse_pattern(const struct timefmt *f, const char *s, size_t n,
                         size_t b, size_t e, const struct tz *zone,
                         int64_t *utc, int *tz_min, size_t *col,
                         struct err *err)
{
    struct parts p = {0};
    size_t i = b;
    for (size_t k = 0; k < f->npat; k++) {
        char c = f->pat[k];
        size_t start = i;
        int rc = 0;
        if (c == ' ') {
            if (i >= e || !is_space(s[i]))
                return fail(err, col, i, s, n, "expected a space");
            while (i < e && is_space(s[i]))
                i++;
            continue;
        }
        if (c != '%') {
            if (i >= e || s[i] != c)
                return fail(err, col, i, s, n, "expected '%c'", c);
            i++;
            continue;
        }
        c = f->pat[++k]; /* compile made sure a directive follows */
        switch (c) {
        case 'Y':
            p.at_y = start;
            rc = digits(s, e, &i, 4, &p.y);
            break;
        case 'y':
            p.at_y = start;
            if (!(rc = digits(s, e, &i, 2, &p.y)))
                p.y += p.y >= 69 ? 1900 : 2000;
            break;
        case 'm':
            p.at_mo = start;
            rc = digits12(s, e, &i, &p.mo);
            break;
        case 'b':
            p.at_mo = start;
            rc = month_name(s, e, &i, &p.mo);
            break;
        case 'd':
            p.at_d = start;
            rc = digits12(s, e, &i, &p.d);
            break;
        case 'H':
            p.at_h = start;
            rc = digits12(s, e, &i, &p.h);
            break;
        case 'M':
            p.at_mi = start;
            rc = digits12(s, e, &i, &p.mi);
            break;
        case 'S':
            p.at_s = start;
            rc = digits(s, e, &i, 2, &p.sec);
            break;
        case 'z':
            if (i < e && (s[i] == 'Z' || s[i] == 'z')) {
                i++;
                p.zone_min = 0;
            } else if (i < e && (s[i] == '+' || s[i] == '-')) {
                int sign = s[i++] == '-' ? -1 : 1, th, tm;
                if (digits(s, e, &i, 2, &th)) {
                    rc = -1;
                    break;
                }
                if (i < e && s[i] == ':')
                    i++;
                if (digits(s, e, &i, 2, &tm)) {
                    rc = -1;
                    break;
                }
                if (th > 14 || tm > 59)
                    return fail(err, col, start, s, n,
                                "time zone out of range");
                p.zone_min = sign * (th * 60 + tm);
            } else {
                rc = -1;
            }
            p.have_zone = 1;
            break;
        case '%':
            if (i >= e || s[i] != '%')
                rc = -1;
            else
                i++;
            break;
        default: /* compile rejects every other directive */
            return fail(err, col, i, s, n, "bad format");
        }
        if (rc)
            return fail(err, col, i, s, n, "expected %s", directive_what(c));
    }
    if (i != e)
        return fail(err, col, i, s, n, "unexpected text after the timestamp");
    /* compile made sure of a year, a month and a day; a missing hour,
     * minute or second is 0, which no range check refuses */
    return finish(&p, 0, zone, s, n, e, utc, tz_min, col, err);
}

/* ---- compile and parse ---- */

static int word_is(const char *s, const char *w)
{
    for (; *s && *w; s++, w++)
        if (lower((unsigned char)*s) != *w)
            return 0;
    return !*s && !*w;
}

static int spec_fail(struct err *err, const char *spec, const char *what,
                     char c)
{
    char d[8];
    if (c > ' ' && c < 127)
        snprintf(d, sizeof d, "%%%c", c);
    else
        snprintf(d, sizeof d, "%%\\x%02x", (unsigned char)c);
    return err_set(err, ERR_INVALID, "time format \"%.64s\": %s%s", spec, what,
                   c ? d : "");
}

int timefmt_compile(struct timefmt **out, const char *spec, struct err *err)
{
    *out = NULL;
    if (!spec || word_is(spec, "auto") || word_is(spec, "excel")) {
        struct timefmt *f = xcalloc(1, sizeof *f);
        f->kind = spec && word_is(spec, "excel") ? TF_EXCEL : TF_AUTO;
        *out = f;
        return 0;
    }
    size_t n = strlen(spec);
    if (n > TIMEFMT_MAX_SPEC)
        return err_set(err, ERR_INVALID,
                       "time format \"%.64s...\": too long (over %d bytes)",
                       spec, TIMEFMT_MAX_SPEC);
    size_t b = 0, e = n;
    while (b < e && spec[b] == ' ')
        b++;
    while (e > b && spec[e - 1] == ' ')
        e--;

    int count[128] = {0};
    for (size_t k = b; k < e; k++) {
        if (spec[k] != '%')
            continue;
        if (++k == e)
            return spec_fail(err, spec, "ends with a lone %", 0);
        char c = spec[k];
        if (!directive_what(c))
            return spec_fail(err, spec, "unknown directive ", c);
        if (c == '%')
            continue;
        int field = c == 'y' ? 'Y' : c == 'b' ? 'm' : c;
        if (count[field]++)
            return spec_fail(err, spec, "a field given twice: ", c);
    }
    if (!count['Y'])
        return spec_fail(err, spec, "no year (%Y or %y)", 0);
    if (!count['m'])
        return spec_fail(err, spec, "no month (%m or %b)", 0);
    if (!count['d'])
        return spec_fail(err, spec, "no day (%d)", 0);
    if (count['M'] && !count['H'])
        return spec_fail(err, spec, "minutes without an hour: ", 'M');
    if (count['S'] && !count['M'])
        return spec_fail(err, spec, "seconds without minutes: ", 'S');

    struct timefmt *f = xcalloc(1, sizeof *f);
    f->kind = TF_PATTERN;
    f->pat = xstrndup(spec + b, e - b);
    f->npat = e - b;
    *out = f;
    return 0;
}

void timefmt_free(struct timefmt *f)
{
    if (!f)
        return;
    free(f->pat);
    free(f);
}

int timefmt_parse(const struct timefmt *f, const struct tz *zone, const char *s,
                  size_t n, int64_t *utc, int *tz_min, size_t *col,
                  struct err *err)
{
    size_t b = 0, e = n;
    while (b < e && is_space(s[b]))
        b++;
    while (e > b && is_space(s[e - 1]))
        e--;
    if (b == e)
        return fail(err, col, b, s, n, "empty, expected a timestamp");
    switch (f->kind) {
    case TF_EXCEL:
        return parse_excel(s, n, b, e, zone, utc, tz_min, col, err);
    case TF_PATTERN:
        return parse_pattern(f, s, n, b, e, zone, utc, tz_min, col, err);
    default:
        return parse_auto(s, n, b, e, zone, utc, tz_min, col, err);
    }
}
