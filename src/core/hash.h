#pragma once
/* A fast 64-bit hash of a byte string (wyhash-style multiply-fold), for
 * in-memory hash tables only: not stable across versions, not keyed, not
 * for anything an attacker's choice of keys could degrade badly. */

#include <stddef.h>
#include <stdint.h>

uint64_t hash_bytes(const void *data, size_t n);
