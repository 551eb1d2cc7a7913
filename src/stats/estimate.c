#include "stats/estimate.h"

#include <math.h>

void estimate_clear(struct estimate *e)
{
    e->n = 0;
    e->value = e->se = e->lo = e->hi = NAN;
}
