"""Exact LMG (Shapley) shares with numpy, the peer of bench/bench_relimp.c.

Reads the CSV bench_relimp --csv writes (drivers q01..qK, outcome last),
then times, each the median of RUNS runs (time.perf_counter):
  corr  np.corrcoef of the (n, k+1) matrix (centring and a BLAS product);
  lmg   R^2 of all 2^k - 1 subsets from the correlation matrix, one
        batched np.linalg.solve per subset size (every C(k, m) system of
        size m at once), then the Shapley weighting over the subset masks,
        vectorised by driver.
With --loop, lmg is instead the plain form: a Python loop over the
subsets with one np.linalg.solve each (for reference; the batched form is
the peer's figure).
Reading the CSV is not timed. Prints the figures and the shares.
Usage: python3 relimp_numpy.py [--loop] FILE.csv [RUNS]
"""
import itertools
import math
import sys
import time

import numpy as np


def r2_all(r, k):
    """v[mask] = R^2 of the outcome (index k) on the drivers in mask."""
    v = np.zeros(1 << k)
    ry = r[:k, k]
    for m in range(1, k + 1):
        idx = np.array(list(itertools.combinations(range(k), m)), dtype=np.intp)
        a = r[idx[:, :, None], idx[:, None, :]]  # (C, m, m)
        b = ry[idx]  # (C, m)
        x = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        masks = (1 << idx).sum(axis=1)
        v[masks] = np.einsum("ij,ij->i", b, x)
    return v


def r2_loop(r, k):
    v = np.zeros(1 << k)
    ry = r[:k, k]
    for mask in range(1, 1 << k):
        idx = [j for j in range(k) if mask >> j & 1]
        b = ry[idx]
        v[mask] = b @ np.linalg.solve(r[np.ix_(idx, idx)], b)
    return v


def lmg_weigh(v, k):
    s = np.arange(1 << k)
    pc = np.zeros(1 << k, dtype=np.intp)
    for j in range(k):
        pc += (s >> j) & 1
    # weight of a subset of size m without j: m! (k - m - 1)! / k!
    w = np.array([math.factorial(m) * math.factorial(k - m - 1)
                  / math.factorial(k) for m in range(k)])
    share = np.empty(k)
    for j in range(k):
        bit = 1 << j
        without = s[(s & bit) == 0]
        share[j] = np.dot(w[pc[without]], v[without | bit] - v[without])
    return share


def lmg(r, k, loop):
    return lmg_weigh((r2_loop if loop else r2_all)(r, k), k)


def main():
    args = sys.argv[1:]
    loop = "--loop" in args
    args = [a for a in args if a != "--loop"]
    path = args[0]
    runs = int(args[1]) if len(args) > 1 else 7
    name = "numpy-loop" if loop else "numpy"
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    n, p = data.shape
    k = p - 1
    tc, tl = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = np.corrcoef(data, rowvar=False)
        t1 = time.perf_counter()
        share = lmg(r, k, loop)
        t2 = time.perf_counter()
        tc.append((t1 - t0) * 1e3)
        tl.append((t2 - t1) * 1e3)
    tt = [a + b for a, b in zip(tc, tl)]
    med = lambda t: float(np.median(t))
    print("%s k=%d n=%d corr %.2f ms lmg %.2f ms total %.2f ms "
          "(median of %d; numpy %s)" % (name, k, n, med(tc), med(tl), med(tt),
                                        runs, np.__version__))
    print("shares %s k=%d n=%d %s" % (name, k, n, " ".join(
        "%.12f" % x for x in share)))
    print("r2 %s k=%d n=%d %.10f" % (name, k, n, share.sum()))


if __name__ == "__main__":
    main()
