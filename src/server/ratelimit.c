#include "server/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/xalloc.h"

#define SLOTS 4096
#define STRIPES 16

struct bucket {
    char addr[48];
    double tokens, last;
};

struct ratelimit {
    double rate, burst;
    struct bucket b[SLOTS];
    pthread_mutex_t mu[STRIPES];
};

struct ratelimit *ratelimit_new(double rate, double burst)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);
    rl->rate = rate;
    rl->burst = burst < 1 ? 1 : burst;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&rl->mu[i], NULL);
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&rl->mu[i]);
    free(rl);
}

int ratelimit_take(struct ratelimit *rl, const char *addr, double now)
{
    if (rl->rate <= 0)
        return 1;
    size_t n = strlen(addr);
    if (n >= sizeof rl->b[0].addr)
        n = sizeof rl->b[0].addr - 1;
    uint64_t h = hash_bytes(addr, n);
    size_t slot = (size_t)(h % SLOTS);
    pthread_mutex_t *mu = &rl->mu[slot % STRIPES];
    int ok;
    pthread_mutex_lock(mu);
    struct bucket *b = &rl->b[slot];
    if (strncmp(b->addr, addr, n) != 0 || b->addr[n] != 0) {
        memcpy(b->addr, addr, n);
        b->addr[n] = 0;
        b->tokens = rl->burst;
        b->last = now;
    }
    b->tokens += (now - b->last) * rl->rate;
    if (b->tokens > rl->burst)
        b->tokens = rl->burst;
    b->last = now;
    ok = b->tokens >= 1;
    if (ok)
        b->tokens -= 1;
    pthread_mutex_unlock(mu);
    return ok;
}
