"""Variants and the directly-follows graph with pandas and numpy, the peer
of bench/bench_journey.c (and of `resonans journey variants|paths`).

Reads an event log CSV with a case column, an activity and a time (the
log `bench_journey --csv` writes, or the BPI log with --cols), then
computes what the engine does, each step the median of RUNS runs
(time.perf_counter, one thread; reading and parsing the CSV, times to
integer seconds, activities to category codes, is NOT timed):

  cases     the case of every event (pd.factorize: first seen first, as
            the engine numbers them), the events grouped by case with a
            stable sort (numpy's sort of a sorted array is linear) and
            checked to be in time order within each case (a (case, time)
            lexsort only when not);
  variants  each case's exact sequence packed into 64-bit words (codes
            of ceil(log2(activities + 1)) bits, np.add.reduceat by case
            and word), distinct rows by np.lexsort, counted; ranked by
            count then first case; the top 10's median and p90 duration
            (np.quantile, linear = type 7, as the engine);
  dfg       every edge of every case ((start) > first, each step > the
            next, last > (end)) as one small integer, grouped by a
            stable sort (numpy's radix sort for 16-bit keys), then per
            edge its count, the cases it happens in, and the waits' mean,
            median, p90 (np.quantile on the edge's slice) and max.

With --idiomatic it also times, once, the way pandas is usually written
(groupby(...).agg(tuple).value_counts() for variants, groupby().shift()
and groupby([from, to]).agg(...) for the graph).

With --out PREFIX it writes PREFIX.variants and PREFIX.edges in the
format of bench_journey's, so bench/journey.sh can compare the two.

Usage: python3 journey_pandas.py [--runs R] [--idiomatic] [--out PREFIX]
           [--cols CASE,ACTIVITY,TIME] [--time-format FMT] FILE.csv
"""
import argparse
import sys
import time

import numpy as np
import pandas as pd

START, END = "(start)", "(end)"


def load(path, cols, fmt):
    case_c, act_c, time_c = cols
    df = pd.read_csv(path, usecols=[case_c, act_c, time_c],
                     dtype={act_c: "category", time_c: str})
    ts = pd.to_datetime(df[time_c], format=fmt, utc=True)
    secs = ts.astype("int64").to_numpy() // 1_000_000_000
    case = df[case_c].to_numpy()
    act = df[act_c].cat
    return case, act.codes.to_numpy().astype(np.int32), \
        [str(x) for x in act.categories], secs


def build_cases(case, codes, secs):
    cid, _ = pd.factorize(case)
    order = np.argsort(cid, kind="stable")
    cs = cid[order]
    ts = secs[order]
    # in time order within each case? (a new case may go back in time)
    bad = (ts[1:] < ts[:-1]) & (cs[1:] == cs[:-1])
    if bad.any():
        order = np.lexsort((secs, cid))
        cs = cid[order]
        ts = secs[order]
    step = codes[order]
    n_cases = int(cs[-1]) + 1 if len(cs) else 0
    off = np.zeros(n_cases + 1, dtype=np.int64)
    off[1:] = np.cumsum(np.bincount(cs, minlength=n_cases))
    return cs, step, ts, off


def variants(cs, step, ts, off, n_act, top=10):
    n_cases = len(off) - 1
    bits = int(np.ceil(np.log2(n_act + 1)))
    per = 64 // bits
    pos = np.arange(len(cs), dtype=np.int64) - off[cs]
    maxlen = int((off[1:] - off[:-1]).max())
    nw = (maxlen + per - 1) // per
    word = pos // per
    val = (step.astype(np.uint64) + np.uint64(1)) << (
        (pos % per) * bits).astype(np.uint64)
    key = cs.astype(np.int64) * nw + word
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    w = np.zeros(n_cases * nw, dtype=np.uint64)
    w[key[starts]] = np.add.reduceat(val, starts)
    w = w.reshape(n_cases, nw)
    order = np.lexsort(w.T[::-1])
    ws = w[order]
    new = np.r_[True, (ws[1:] != ws[:-1]).any(axis=1)]
    grp = np.cumsum(new) - 1
    n_var = int(grp[-1]) + 1
    count = np.bincount(grp, minlength=n_var)
    first = np.full(n_var, n_cases, dtype=np.int64)
    np.minimum.at(first, grp, order)
    rank = np.lexsort((first, -count))
    of_case = np.empty(n_cases, dtype=np.int64)
    of_case[order] = grp
    dur = ts[off[1:] - 1] - ts[off[:-1]]
    out = []
    for v in rank[:top]:
        d = dur[of_case == v]
        med, p90 = np.quantile(d, [0.5, 0.9])
        ex = first[v]
        out.append((int(count[v]), med, p90, step[off[ex]:off[ex + 1]]))
    return n_var, out


def dfg(cs, step, ts, off, n_act):
    n = len(cs)
    n_cases = len(off) - 1
    s_code, e_code = n_act, n_act + 1  # start and end as two more codes
    k = n_act + 2
    first = np.zeros(n, dtype=bool)
    first[off[:-1]] = True
    prev = np.empty(n, dtype=np.int64)
    prev[1:] = step[:-1]
    prev[first] = s_code
    edge = (prev * k + step).astype(np.uint16)
    wait = np.empty(n, dtype=np.int64)
    wait[1:] = ts[1:] - ts[:-1]
    wait[first] = 0
    # the end edges, one per case
    edge = np.concatenate([edge, (step[off[1:] - 1].astype(np.int64) * k +
                                  e_code).astype(np.uint16)])
    wait = np.concatenate([wait, np.zeros(n_cases, dtype=np.int64)])
    case = np.concatenate([cs, np.arange(n_cases, dtype=cs.dtype)])
    order = np.argsort(edge, kind="stable")  # radix sort on 16 bits
    eg = edge[order]
    # a stable sort keeps the events of an edge in case order except the
    # end edges, appended after: sort (case) within edge again only there
    cg = case[order]
    wg = wait[order].astype(np.float64)
    bounds = np.flatnonzero(np.r_[True, eg[1:] != eg[:-1], True])
    res = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        e = int(eg[a])
        c = cg[a:b]
        if e % k == e_code:
            n_c = b - a  # one end edge per case
        else:
            n_c = int(np.count_nonzero(c[1:] != c[:-1])) + 1
        x = wg[a:b]
        med, p90 = np.quantile(x, [0.5, 0.9])
        res.append((e // k, e % k, b - a, n_c, x.mean(), med, p90, x.max()))
    return res


def timed(fn, runs, *args):
    t = []
    out = None
    for _ in range(runs):
        a = time.perf_counter()
        out = fn(*args)
        t.append((time.perf_counter() - a) * 1e3)
    return float(np.median(t)), min(t), max(t), out


def idiomatic(case, codes, labels, secs):
    df = pd.DataFrame({"case": case,
                       "activity": pd.Categorical.from_codes(codes, labels),
                       "ts": secs})
    t0 = time.perf_counter()
    df = df.sort_values(["case", "ts"], kind="stable")
    t1 = time.perf_counter()
    v = df.groupby("case", sort=False)["activity"].agg(tuple).value_counts()
    t2 = time.perf_counter()
    g = df.groupby("case", sort=False)
    df["next"] = g["activity"].shift(-1)
    df["wait"] = g["ts"].shift(-1) - df["ts"]
    e = df.dropna(subset=["next"]).groupby(
        ["activity", "next"], observed=True).agg(
        count=("case", "size"), cases=("case", "nunique"),
        mean=("wait", "mean"), median=("wait", "median"),
        p90=("wait", lambda w: w.quantile(0.9)), max=("wait", "max"))
    t3 = time.perf_counter()
    return (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, len(v), len(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idiomatic", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--cols", default="case_id,activity,time")
    ap.add_argument("--time-format", default="%Y-%m-%dT%H:%M:%SZ")
    ap.add_argument("file")
    a = ap.parse_args()
    t0 = time.perf_counter()
    case, codes, labels, secs = load(a.file, a.cols.split(","),
                                     a.time_format)
    n_act = len(labels)
    print(f"pandas {pd.__version__}, numpy {np.__version__}: read "
          f"{len(case)} events in {time.perf_counter() - t0:.1f} s "
          "(not timed)")
    tc = timed(build_cases, a.runs, case, codes, secs)
    cs, step, ts, off = tc[3]
    tv = timed(variants, a.runs, cs, step, ts, off, n_act)
    td = timed(dfg, a.runs, cs, step, ts, off, n_act)
    n_var, top = tv[3]
    edges = td[3]
    print(f"pandas cases {len(off) - 1}, variants {n_var}, edges {len(edges)}")
    for name, t in (("cases", tc), ("variants (top 10)", tv),
                    ("directly-follows graph", td)):
        print(f"pandas {name:<42} {t[0]:9.1f}  ({t[1]:.1f}..{t[2]:.1f})")
    print(f"pandas {'total: cases + variants + graph':<42} "
          f"{tc[0] + tv[0] + td[0]:9.1f}  (median of {a.runs} runs each)")
    if a.idiomatic:
        s, v, g, nv, ne = idiomatic(case, codes, labels, secs)
        print(f"pandas idiomatic: sort {s:.0f} ms, variants {v:.0f} ms, "
              f"graph {g:.0f} ms, total {s + v + g:.0f} ms (1 run; "
              f"{nv} variants, {ne} edges without start and end)")
    if a.out:
        lab = labels + [START, END]
        with open(a.out + ".variants", "w") as f:
            f.write(f"variants\t{n_var}\n")
            for cnt, med, p90, st in top:
                f.write(f"{cnt}\t{med:.1f}\t{p90:.1f}\t"
                        + ">".join(labels[x] for x in st) + "\n")
        edges.sort(key=lambda e: -e[2])
        with open(a.out + ".edges", "w") as f:
            for fr, to, cnt, nc, mean, med, p90, mx in edges:
                fr = START if fr == n_act else lab[fr]
                f.write(f"{fr}\t{lab[to]}\t{cnt}\t{nc}\t{mean:.3f}\t"
                        f"{med:.1f}\t{p90:.1f}\t{mx:.0f}\n")
        print(f"wrote {a.out}.variants and {a.out}.edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
