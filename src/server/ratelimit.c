#include "server/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"
#include "core/xalloc.h"

#define SLOTS 4096
#define STRIPES 16

struct bucket {
    char addr[48];
    double tokens, last;
};

/* failed sign-ins under a key since start */
struct fails {
    char key[80];
    int n;
    double start;
};

struct ratelimit {
    double rate, burst;
    struct bucket b[SLOTS];
    pthread_mutex_t mu[STRIPES];
    int login_max;
    double login_window;
    struct fails f[SLOTS];
};

struct ratelimit *ratelimit_new(double rate, double burst)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);
    rl->rate = rate;
    rl->burst = burst < 1 ? 1 : burst;
    rl->login_max = 10;
    rl->login_window = 60;
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

void ratelimit_login_rule(struct ratelimit *rl, int max, double window_s)
{
    rl->login_max = max < 0 ? 0 : max;
    rl->login_window = window_s > 0 ? window_s : 1;
}

/* The slot of key (its stripe locked by the caller), emptied when it held
 * another key or its window is over. */
static struct fails *fails_slot(struct ratelimit *rl, const char *key,
                                double now, pthread_mutex_t **mu)
{
    size_t n = strlen(key);
    if (n >= sizeof rl->f[0].key)
        n = sizeof rl->f[0].key - 1;
    size_t slot = (size_t)(hash_bytes(key, n) % SLOTS);
    *mu = &rl->mu[slot % STRIPES];
    pthread_mutex_lock(*mu);
    struct fails *f = &rl->f[slot];
    if (strncmp(f->key, key, n) != 0 || f->key[n] != 0 ||
        now - f->start >= rl->login_window || now < f->start) {
        memcpy(f->key, key, n);
        f->key[n] = 0;
        f->n = 0;
        f->start = now;
    }
    return f;
}

static long key_wait(struct ratelimit *rl, const char *key, double now)
{
    pthread_mutex_t *mu;
    struct fails *f = fails_slot(rl, key, now, &mu);
    long wait = 0;
    if (f->n >= rl->login_max) {
        double left = f->start + rl->login_window - now;
        wait = (long)left;
        if ((double)wait < left)
            wait++;
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(mu);
    return wait;
}

static void key_failed(struct ratelimit *rl, const char *key, double now)
{
    pthread_mutex_t *mu;
    struct fails *f = fails_slot(rl, key, now, &mu);
    if (f->n == 0)
        f->start = now; /* the window starts with the first failure */
    if (f->n < rl->login_max)
        f->n++;
    pthread_mutex_unlock(mu);
}

/* "a:ADDR" and "u:NAME": an address and a name never share a key */
static void login_key(char out[80], char kind, const char *v)
{
    snprintf(out, 80, "%c:%s", kind, v);
}

long ratelimit_login_wait(struct ratelimit *rl, const char *addr,
                          const char *name, double now)
{
    char k[80];
    long a = 0, u = 0;
    if (rl->login_max <= 0)
        return 0;
    login_key(k, 'a', addr ? addr : "");
    a = key_wait(rl, k, now);
    if (name) {
        login_key(k, 'u', name);
        u = key_wait(rl, k, now);
    }
    return a > u ? a : u;
}

void ratelimit_login_failed(struct ratelimit *rl, const char *addr,
                            const char *name, double now)
{
    char k[80];
    if (rl->login_max <= 0)
        return;
    login_key(k, 'a', addr ? addr : "");
    key_failed(rl, k, now);
    if (name) {
        login_key(k, 'u', name);
        key_failed(rl, k, now);
    }
}

double ratelimit_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
