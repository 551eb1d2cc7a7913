#!/usr/bin/env python3
"""Reference outputs for tests/core/test_rng.c, computed independently of
src/core/rng.c: Python integers, from the published algorithms

  splitmix64   (Vigna, https://prng.di.unimi.it/splitmix64.c)
  xoshiro256** (Blackman and Vigna, https://prng.di.unimi.it/xoshiro256starstar.c)

as rng.h documents them: the state is the first four splitmix64 outputs
of the seed, then xoshiro256** steps. Prints the C initialisers that
test_rng.c holds (copy them by hand; nothing runs this in `make test`).

Run: python3 tests/data/reference/make_rng_reference.py
"""
M = (1 << 64) - 1


def splitmix64(x):
    """Returns the next state and the output."""
    x = (x + 0x9E3779B97F4A7C15) & M
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return x, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def seed(s):
    state = []
    for _ in range(4):
        s, v = splitmix64(s)
        state.append(v)
    return state


def step(s):
    result = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 17) & M
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    return result


def c_words(words):
    return ", ".join("0x%016xULL" % w for w in words)


if __name__ == "__main__":
    for s in (0, 42, M):
        st = seed(s)
        state = list(st)
        out = [step(st) for _ in range(4)]
        print("/* seed %#x */" % s)
        print("    state: {%s}" % c_words(state))
        print("    first: {%s}" % c_words(out))
