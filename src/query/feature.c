/* Event features: for each response, an aggregate of its customer's
 * events of one activity in a window around the response's time
 * (docs/metrics.md, "Event features"). The events table is sorted by
 * customer and time, so a response's window is a binary search and a
 * short walk within its customer's range. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "query/prepare.h"
#include "query/qfield_int.h"

static int no_activity(const struct colstore *cs, const struct qfield *qf,
                       struct err *err)
{
    struct colstore_events ev;
    char known[160];
    size_t used = 0;
    colstore_events_view(cs, &ev);
    known[0] = 0;
    for (uint32_t a = 0; a < ev.n_activities; a++) {
        const char *l = colstore_activity_label(cs, a);
        if (used + strlen(l) + 6 >= sizeof known) {
            snprintf(known + used, sizeof known - used, ", ...");
            break;
        }
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                 a ? ", " : "", l);
    }
    return err_set(err, ERR_NOTFOUND,
                   "%s: no event activity matches \"%s\"%s%s%s", qf->f.text,
                   qf->f.name, ev.n_activities ? " (known: " : "", known,
                   ev.n_activities ? ")" : " (no events imported)");
}

/* The first row in [lo, hi) whose ts >= t. */
static size_t lower_bound(const int64_t *ts, size_t lo, size_t hi, int64_t t)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int qfield_event_feature(struct qfield *qf, const struct colstore *cs,
                         struct err *err)
{
    struct colstore_events ev;
    struct colstore_columns col;
    struct colstore_colview av;
    const char *attr;
    int ac = -1;

    if (qf->table != COLSTORE_RESPONSES)
        return err_set(err, ERR_INVALID, "%s: event features describe "
                                         "responses",
                       qf->f.text);
    if (!colstore_has_events(cs))
        return err_set(err, ERR_NOTFOUND,
                       "%s: no events are imported (resonans import events)",
                       qf->f.text);
    colstore_events_view(cs, &ev);
    colstore_columns(cs, &col);
    int64_t act = query_event_split(cs, qf->f.name, &attr);
    if (act < 0)
        return no_activity(cs, qf, err);
    enum field_agg agg = qf->f.agg;
    if (agg == FIELD_AGG_DEFAULT)
        agg = attr ? FIELD_AGG_LATEST : FIELD_AGG_COUNT;
    if (!attr && agg != FIELD_AGG_COUNT)
        return err_set(err, ERR_INVALID,
                       "%s: %s needs an attribute (event.ACTIVITY.ATTR)",
                       qf->f.text, field_agg_name(agg));
    if (attr) {
        ac = colstore_col_find(cs, COLSTORE_EVENTS, attr);
        if (ac < 0)
            return err_set(err, ERR_NOTFOUND, "%s: no event has attribute %s",
                           qf->f.text, attr);
        colstore_col_view(cs, COLSTORE_EVENTS, ac, &av);
        if (av.kind == COLSTORE_CAT && agg != FIELD_AGG_LATEST &&
            agg != FIELD_AGG_FIRST && agg != FIELD_AGG_COUNT)
            return err_set(err, ERR_INVALID,
                           "%s: %s is text, so only latest, first and count "
                           "apply",
                           qf->f.text, attr);
    }
    int cat = attr && av.kind == COLSTORE_CAT && agg != FIELD_AGG_COUNT;
    double *num = cat ? NULL : qfield_set_num(qf);
    uint32_t *codes = cat ? qfield_set_codes(qf, 4) : NULL;
    const uint32_t a = (uint32_t)act;
    const int64_t from = qf->f.from, to = qf->f.to;

    for (size_t i = 0; i < qf->rows; i++) {
        uint32_t c = col.customer[i];
        size_t lo, hi;
        if (c == COLSTORE_NO_CUSTOMER) {
            if (cat)
                codes[i] = 0;
            else
                num[i] = NAN;
            continue;
        }
        colstore_events_range(&ev, c, &lo, &hi);
        int64_t t = col.ts[i];
        int64_t wlo = from == INT64_MIN ? INT64_MIN : t + from;
        int64_t whi = t + to;
        size_t j = wlo == INT64_MIN ? lo : lower_bound(ev.ts, lo, hi, wlo);
        int64_t count = 0, k = 0;
        double sum = 0, mn = INFINITY, mx = -INFINITY, pick = NAN;
        uint32_t pick_code = 0;
        int picked = 0;
        for (; j < hi && ev.ts[j] <= whi; j++) {
            if (ev.activity[j] != a)
                continue;
            if (!attr) {
                count++;
                continue;
            }
            if (av.kind == COLSTORE_CAT) {
                uint32_t code = av.codes[j];
                count += code != 0;
                if (agg == FIELD_AGG_LATEST || !picked)
                    pick_code = code;
                picked = 1;
                continue;
            }
            double v = av.num[j];
            if (agg == FIELD_AGG_LATEST || !picked)
                pick = v; /* the event's value, NaN when it has none */
            picked = 1;
            if (isnan(v))
                continue;
            count++;
            k++;
            sum += v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        if (cat) {
            codes[i] = pick_code;
            continue;
        }
        switch (agg) {
        case FIELD_AGG_COUNT:
            num[i] = (double)count;
            break;
        case FIELD_AGG_SUM:
            num[i] = sum;
            break;
        case FIELD_AGG_MIN:
            num[i] = k ? mn : NAN;
            break;
        case FIELD_AGG_MAX:
            num[i] = k ? mx : NAN;
            break;
        case FIELD_AGG_MEAN:
            num[i] = k ? sum / (double)k : NAN;
            break;
        default: /* latest, first */
            num[i] = pick;
            break;
        }
    }
    if (cat)
        qfield_order_column(qf, cs, COLSTORE_EVENTS, ac);
    return 0;
}
