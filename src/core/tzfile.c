#include "core/tzfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/tstamp.h"
#include "core/xalloc.h"

/* RFC 8536 offsets lie in [-89999, 93599]: -24:59:59 to +25:59:59. */
#define OFF_MIN (-89999)
#define OFF_MAX 93599
/* Local times are clamped here and instants in the rule arithmetic a
 * little further out, so a walk over local times never meets a clamp. */
#define LOCAL_LIM ((int64_t)1 << 48)
#define RULE_LIM ((int64_t)1 << 50)
#define RULE_HOURS 167

/* One end of daylight time in a POSIX TZ rule. */
struct rule_date {
    char kind; /* 'J' (1..365, no 29 Feb), 'N' (0..365), 'M' */
    int n;     /* day for J and N */
    int m, w, d;
    int secs; /* local time of day of the change, -167h..167h */
};

/* The POSIX TZ footer. */
struct rule {
    int std_off; /* seconds east */
    int dst_off;
    int has_dst;
    struct rule_date start, end;
};

struct tz {
    char *name;
    size_t ntimes;
    int64_t *times;     /* ascending */
    unsigned char *idx; /* type after each transition */
    size_t ntypes;
    int32_t *off; /* seconds east, per type */
    int has_rule; /* a non-empty footer */
    struct rule rule;
};

/* ---- the POSIX TZ footer ---- */

struct cursor {
    const char *s;
    size_t n, i;
};

static int cur_peek(const struct cursor *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* One to maxd digits with min <= value <= max; on failure the cursor
 * stays on the number, so the fault is reported where it starts. */
static int cur_num(struct cursor *c, int maxd, int min, int max, int *out)
{
    int v = 0, k = 0;
    size_t start = c->i;
    while (k < maxd && is_digit(cur_peek(c))) {
        v = v * 10 + (c->s[c->i++] - '0');
        k++;
    }
    if (k == 0 || v < min || v > max) {
        c->i = start;
        return -1;
    }
    *out = v;
    return 0;
}

/* A zone abbreviation: three or more letters, or <...> of three or more
 * letters, digits, '+' and '-'. */
static int cur_abbr(struct cursor *c)
{
    size_t k = 0;
    if (cur_peek(c) == '<') {
        c->i++;
        while (is_alpha(cur_peek(c)) || is_digit(cur_peek(c)) ||
               cur_peek(c) == '+' || cur_peek(c) == '-') {
            c->i++;
            k++;
        }
        if (cur_peek(c) != '>')
            return -1;
        c->i++;
    } else {
        while (is_alpha(cur_peek(c))) {
            c->i++;
            k++;
        }
    }
    return k >= 3 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh; the value in seconds. */
static int cur_hms(struct cursor *c, int maxh, int *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (cur_peek(c) == '+' || cur_peek(c) == '-')
        sign = c->s[c->i++] == '-' ? -1 : 1;
    if (cur_num(c, 3, 0, maxh, &h))
        return -1;
    if (cur_peek(c) == ':') {
        c->i++;
        if (cur_num(c, 2, 0, 59, &m))
            return -1;
        if (cur_peek(c) == ':') {
            c->i++;
            if (cur_num(c, 2, 0, 59, &s))
                return -1;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

static int cur_date(struct cursor *c, struct rule_date *r)
{
    r->secs = 2 * 3600;
    if (cur_peek(c) == 'J') {
        c->i++;
        r->kind = 'J';
        if (cur_num(c, 3, 1, 365, &r->n))
            return -1;
    } else if (cur_peek(c) == 'M') {
        c->i++;
        r->kind = 'M';
        if (cur_num(c, 2, 1, 12, &r->m) || cur_peek(c) != '.')
            return -1;
        c->i++;
        if (cur_num(c, 1, 1, 5, &r->w) || cur_peek(c) != '.')
            return -1;
        c->i++;
        if (cur_num(c, 1, 0, 6, &r->d))
            return -1;
    } else {
        r->kind = 'N';
        if (cur_num(c, 3, 0, 365, &r->n))
            return -1;
    }
    if (cur_peek(c) == '/') {
        c->i++;
        if (cur_hms(c, RULE_HOURS, &r->secs))
            return -1;
    }
    return 0;
}

/* Parses a footer; POSIX offsets count west, ours east. On failure
 * returns -1 with *at the offset of the fault. */
static int rule_parse(struct rule *r, const char *s, size_t n, size_t *at)
{
    struct cursor c = {s, n, 0};
    int west;
    memset(r, 0, sizeof *r);
    if (cur_abbr(&c) || cur_hms(&c, 24, &west))
        goto bad;
    r->std_off = -west;
    if (c.i == n)
        return 0;
    if (cur_abbr(&c))
        goto bad;
    r->has_dst = 1;
    r->dst_off = r->std_off + 3600;
    if (cur_peek(&c) != ',' && c.i < n) {
        if (cur_hms(&c, 24, &west))
            goto bad;
        r->dst_off = -west;
    }
    /* POSIX leaves the rules of "EST5EDT" to the implementation; zic
     * always writes them, so their absence means a damaged file. */
    if (cur_peek(&c) != ',')
        goto bad;
    c.i++;
    if (cur_date(&c, &r->start) || cur_peek(&c) != ',')
        goto bad;
    c.i++;
    if (cur_date(&c, &r->end) || c.i != n)
        goto bad;
    return 0;
bad:
    *at = c.i;
    return -1;
}

/* Day number (since 1970-01-01) of a rule date in year y. */
static int64_t rule_day(const struct rule_date *r, int y)
{
    int64_t jan1 = tstamp_days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->n - 1 + (tstamp_is_leap(y) && r->n >= 60);
    if (r->kind == 'N')
        return jan1 + r->n;
    int64_t first = tstamp_days_from_civil(y, (unsigned)r->m, 1);
    int64_t wd = ((first + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
    int64_t day = first + (r->d - wd + 7) % 7 + 7 * (int64_t)(r->w - 1);
    while (day >= first + tstamp_month_days(y, r->m))
        day -= 7;
    return day;
}

/* The offset the rule gives at t, and its first change after t. Each
 * year's two changes lie within nine days of that year, so years Y-2 to
 * Y+2 around t's UTC year Y hold both the last change at or before t and
 * the first one after it. Changes are taken in (year, start, end) order,
 * so when a year's end meets the next year's start (daylight time all
 * year) the start wins. */
static int rule_offset(const struct rule *r, int64_t t, int64_t *next)
{
    if (!r->has_dst) {
        *next = INT64_MAX;
        return r->std_off;
    }
    if (t > RULE_LIM)
        t = RULE_LIM;
    if (t < -RULE_LIM)
        t = -RULE_LIM;
    int64_t d = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int y0;
    unsigned mo, dd;
    tstamp_civil_from_days(d, &y0, &mo, &dd);

    int64_t last = INT64_MIN, first = INT64_MAX;
    int off = r->std_off;
    for (int y = y0 - 2; y <= y0 + 2; y++) {
        int64_t on =
            rule_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
        int64_t off_at =
            rule_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
        if (on <= t && on >= last) {
            last = on;
            off = r->dst_off;
        }
        if (off_at <= t && off_at >= last) {
            last = off_at;
            off = r->std_off;
        }
        if (on > t && on < first)
            first = on;
        if (off_at > t && off_at < first)
            first = off_at;
    }
    *next = first;
    return off;
}

/* The offset in force at t and the first transition after t
 * (INT64_MAX if none). */
static int offset_next(const struct tz *z, int64_t t, int64_t *next)
{
    if (z->ntimes == 0) {
        if (z->has_rule)
            return rule_offset(&z->rule, t, next);
        *next = INT64_MAX;
        return z->off[0];
    }
    if (t < z->times[0]) {
        *next = z->times[0];
        return z->off[0];
    }
    /* the last i with times[i] <= t */
    size_t lo = 0, hi = z->ntimes;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo + 1 < z->ntimes) {
        *next = z->times[lo + 1];
        return z->off[z->idx[lo]];
    }
    if (z->has_rule)
        return rule_offset(&z->rule, t, next);
    *next = INT64_MAX;
    return z->off[z->idx[lo]];
}

int tz_offset(const struct tz *z, int64_t utc)
{
    int64_t next;
    return offset_next(z, utc, &next);
}

int tz_local_to_utc(const struct tz *z, int64_t local, int64_t *utc,
                    int *offset_sec, struct err *err)
{
    (void)err;
    if (local > LOCAL_LIM)
        local = LOCAL_LIM;
    if (local < -LOCAL_LIM)
        local = -LOCAL_LIM;
    /* Walk the stretches of constant offset o over the instants that could
     * show this local time (offsets lie in [OFF_MIN, OFF_MAX]). A stretch
     * [t, nx) shows local iff t <= local - o < nx; the first such is the
     * earliest occurrence. If none does, local lies in a gap: the first
     * change at nx with nx + o <= local < nx + o2. */
    const int64_t lo = local - OFF_MAX - 1, hi = local - OFF_MIN + 1;
    int64_t t = lo, nx, nx2;
    int o = offset_next(z, t, &nx);
    int found = 0, gap = 0;
    int64_t u = 0, gap_u = 0;
    for (;;) {
        if (local - o >= t && local - o < nx) {
            u = local - o;
            found = 1;
            break;
        }
        if (nx > hi)
            break;
        int o2 = offset_next(z, nx, &nx2);
        if (!gap && nx + o <= local && local < nx + o2) {
            gap_u = local - o;
            gap = 1;
        }
        if (nx2 <= nx) /* cannot happen: fail safe rather than loop */
            break;
        t = nx;
        o = o2;
        nx = nx2;
    }
    if (!found)
        u = gap ? gap_u : local - tz_offset(z, local);
    *utc = u;
    *offset_sec = tz_offset(z, u);
    return 0;
}

/* ---- TZif ---- */

struct hdr {
    char version;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

#define HDR_SIZE 44

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    return (int64_t)v; /* two's complement on every target we build for */
}

static int bad(struct err *err, const char *name, const char *what)
{
    err_set(err, ERR_INVALID, "time zone \"%s\": %s", name, what);
    return ERR_INVALID;
}

static int read_hdr(struct hdr *h, const unsigned char *p, size_t n, size_t at,
                    const char *name, struct err *err)
{
    if (n - at < HDR_SIZE)
        return bad(err, name, "truncated TZif header");
    if (memcmp(p + at, "TZif", 4) != 0)
        return bad(err, name, "not a TZif file (bad magic)");
    h->version = (char)p[at + 4];
    if (h->version != 0 && (h->version < '2' || h->version > '4'))
        return bad(err, name, "unsupported TZif version");
    const unsigned char *c = p + at + 20;
    h->isutcnt = be32(c);
    h->isstdcnt = be32(c + 4);
    h->leapcnt = be32(c + 8);
    h->timecnt = be32(c + 12);
    h->typecnt = be32(c + 16);
    h->charcnt = be32(c + 20);
    if (h->timecnt > TZ_MAX_TIMES)
        return bad(err, name, "too many transitions");
    if (h->typecnt == 0)
        return bad(err, name, "no local time types");
    if (h->typecnt > TZ_MAX_TYPES)
        return bad(err, name, "too many local time types");
    if (h->charcnt == 0 || h->charcnt > TZ_MAX_CHARS)
        return bad(err, name, "bad abbreviation count");
    if (h->leapcnt != 0)
        return bad(err, name, "leap-second (right/) zones are not supported");
    if ((h->isstdcnt != 0 && h->isstdcnt != h->typecnt) ||
        (h->isutcnt != 0 && h->isutcnt != h->typecnt))
        return bad(err, name, "bad standard/UT indicator count");
    return 0;
}

/* Bytes of a data block with ts-byte times (counts already bounded). */
static size_t block_size(const struct hdr *h, size_t ts)
{
    return (size_t)h->timecnt * (ts + 1) + (size_t)h->typecnt * 6 + h->charcnt +
           (size_t)h->leapcnt * (ts + 4) + h->isstdcnt + h->isutcnt;
}

static int read_block(struct tz *z, const struct hdr *h, const unsigned char *p,
                      size_t ts, struct err *err)
{
    const char *name = z->name;
    z->ntimes = h->timecnt;
    z->ntypes = h->typecnt;
    z->times = xmalloc((z->ntimes ? z->ntimes : 1) * sizeof *z->times);
    z->idx = xmalloc(z->ntimes ? z->ntimes : 1);
    z->off = xmalloc(z->ntypes * sizeof *z->off);

    for (size_t i = 0; i < z->ntimes; i++, p += ts) {
        z->times[i] = ts == 8 ? be64(p) : (int32_t)be32(p);
        if (i > 0 && z->times[i] <= z->times[i - 1])
            return bad(err, name, "transition times not ascending");
    }
    for (size_t i = 0; i < z->ntimes; i++, p++) {
        if (*p >= z->ntypes)
            return bad(err, name, "transition type index out of range");
        z->idx[i] = *p;
    }
    const unsigned char *types = p, *chars = p + z->ntypes * 6;
    for (size_t i = 0; i < z->ntypes; i++) {
        int32_t off = (int32_t)be32(types + i * 6);
        unsigned isdst = types[i * 6 + 4], ai = types[i * 6 + 5];
        if (off < OFF_MIN || off > OFF_MAX)
            return bad(err, name, "UT offset out of range");
        if (isdst > 1)
            return bad(err, name, "bad DST indicator");
        if (ai >= h->charcnt || !memchr(chars + ai, 0, h->charcnt - ai))
            return bad(err, name, "bad abbreviation index");
        z->off[i] = off;
    }
    const unsigned char *isstd = chars + h->charcnt; /* no leap records */
    const unsigned char *isut = isstd + h->isstdcnt;
    for (size_t i = 0; i < h->isstdcnt; i++)
        if (isstd[i] > 1)
            return bad(err, name, "bad standard/wall indicator");
    for (size_t i = 0; i < h->isutcnt; i++)
        if (isut[i] > 1 || (isut[i] && !isstd[i]))
            return bad(err, name, "bad UT/local indicator");
    return 0;
}

int tz_parse(struct tz **out, const void *buf, size_t n, const char *name,
             struct err *err)
{
    const unsigned char *p = buf;
    struct tz *z = xcalloc(1, sizeof *z);
    struct hdr h1, h2;
    size_t at = 0;
    int rc;

    *out = NULL;
    z->name = xstrdup(name ? name : "");
    if (n > TZ_MAX_FILE) {
        rc = bad(err, z->name, "file too large");
        goto done;
    }
    if ((rc = read_hdr(&h1, p, n, 0, z->name, err)) < 0)
        goto done;
    at = HDR_SIZE;
    if (n - at < block_size(&h1, 4)) {
        rc = bad(err, z->name, "truncated TZif data");
        goto done;
    }
    if (h1.version == 0) {
        if ((rc = read_block(z, &h1, p + at, 4, err)) < 0)
            goto done;
        at += block_size(&h1, 4);
        if (at != n)
            rc = bad(err, z->name, "trailing bytes after the TZif data");
        goto done;
    }
    at += block_size(&h1, 4); /* skip the 32-bit data */
    if ((rc = read_hdr(&h2, p, n, at, z->name, err)) < 0)
        goto done;
    if (h2.version != h1.version) {
        rc = bad(err, z->name, "the two TZif headers disagree on version");
        goto done;
    }
    at += HDR_SIZE;
    if (n - at < block_size(&h2, 8)) {
        rc = bad(err, z->name, "truncated TZif data");
        goto done;
    }
    if ((rc = read_block(z, &h2, p + at, 8, err)) < 0)
        goto done;
    at += block_size(&h2, 8);

    /* The footer: "\n" TZ-string "\n", nothing after. */
    if (at >= n || p[at] != '\n') {
        rc = bad(err, z->name, "TZ footer missing");
        goto done;
    }
    at++;
    const unsigned char *nl = memchr(p + at, '\n', n - at);
    if (!nl) {
        rc = bad(err, z->name, "TZ footer not terminated by a newline");
        goto done;
    }
    size_t flen = (size_t)(nl - (p + at));
    if (flen > TZ_MAX_FOOTER) {
        rc = bad(err, z->name, "TZ footer too long");
        goto done;
    }
    if (flen > 0) {
        size_t col = 0;
        if (rule_parse(&z->rule, (const char *)p + at, flen, &col)) {
            rc = err_set(err, ERR_INVALID,
                         "time zone \"%s\": bad TZ footer \"%.*s\" at "
                         "character %zu",
                         z->name, (int)flen, (const char *)p + at, col + 1);
            goto done;
        }
        z->has_rule = 1;
    }
    at += flen + 1;
    if (at != n)
        rc = bad(err, z->name, "trailing bytes after the TZ footer");
done:
    if (rc < 0) {
        tz_free(z);
        return rc;
    }
    *out = z;
    return 0;
}

void tz_free(struct tz *z)
{
    if (!z)
        return;
    free(z->name);
    free(z->times);
    free(z->idx);
    free(z->off);
    free(z);
}

const char *tz_name(const struct tz *z)
{
    return z->name;
}

/* ---- loading by name ---- */

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255 || name[0] == '/' || name[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!is_alpha((unsigned char)ch) && !is_digit((unsigned char)ch) &&
            ch != '/' && ch != '_' && ch != '-' && ch != '+')
            return 0;
        if (ch == '/' && name[i + 1] == '/')
            return 0;
    }
    return strstr(name, "..") == NULL; /* no '.' passes, but say it */
}

int tz_load(struct tz **out, const char *name, const char *dir, struct err *err)
{
    char *path = NULL;
    unsigned char *buf = NULL;
    size_t n = 0;
    int fd = -1, rc = 0;
    struct stat st;

    *out = NULL;
    if (!name || !name_ok(name)) {
        rc = err_set(err, ERR_INVALID,
                     "bad time zone name \"%.64s\": expected an IANA name "
                     "such as Europe/Stockholm",
                     name ? name : "");
        goto done;
    }
    if (!dir)
        dir = "/usr/share/zoneinfo";
    size_t plen = strlen(dir) + strlen(name) + 2;
    path = xmalloc(plen);
    snprintf(path, plen, "%s/%s", dir, name);
    if ((fd = open(path, O_RDONLY)) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            rc = err_set(err, ERR_NOTFOUND, "unknown time zone \"%s\"", name);
        else
            rc = err_set(err, ERR_IO, "time zone \"%s\": %s: %s", name, path,
                         strerror(errno));
        goto done;
    }
    if (fstat(fd, &st) < 0) {
        rc = err_set(err, ERR_IO, "time zone \"%s\": %s: %s", name, path,
                     strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(err, ERR_NOTFOUND, "unknown time zone \"%s\"", name);
        goto done;
    }
    if ((size_t)st.st_size > TZ_MAX_FILE) {
        rc = bad(err, name, "file too large");
        goto done;
    }
    buf = xmalloc((size_t)st.st_size + 1);
    for (;;) {
        ssize_t k = read(fd, buf + n, (size_t)st.st_size + 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = err_set(err, ERR_IO, "time zone \"%s\": %s: %s", name, path,
                         strerror(errno));
            goto done;
        }
        if (k == 0 || (n += (size_t)k) > (size_t)st.st_size)
            break;
    }
    /* Files in the zone directory that are not zones (leapseconds,
     * SECURITY) are unknown zones, not damaged ones. */
    if (n < 4 || memcmp(buf, "TZif", 4) != 0) {
        rc = err_set(err, ERR_NOTFOUND, "unknown time zone \"%s\"", name);
        goto done;
    }
    rc = tz_parse(out, buf, n, name, err);
done:
    if (fd >= 0)
        close(fd);
    free(buf);
    free(path);
    return rc;
}
