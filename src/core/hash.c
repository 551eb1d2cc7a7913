#include "core/hash.h"

#include <string.h>

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    /* 64x64 -> 128 multiply folded, as in wyhash. */
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0x243f6a8885a308d3ULL ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        h = mix(h ^ rd64(p), 0xe7037ed1a0b428dbULL);
        p += 8;
        n -= 8;
    }
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++)
        t |= (uint64_t)p[i] << (8 * i);
    return mix(h ^ t ^ 0xa0761d6478bd642fULL, 0x8ebc6af09c88c6e3ULL);
}
