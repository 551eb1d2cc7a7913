#!/usr/bin/env bash
# Journeys at scale (issue 9): variants and the directly-follows graph of
# a 10M-event, 1M-case log, Resonans beside pandas on the same data, then
# the whole command-line path.
#
# 1. engine: bench_journey builds the log in memory as a column store,
#    times each step (cases per customer and by the case column,
#    variants, the graph, funnel, rework; median of JOURNEY_RUNS runs,
#    fresh memory and memory reused), states the memory, and writes the
#    log as CSV with its results (LOG.variants, LOG.edges);
# 2. peer: bench/peers/journey_pandas.py reads that CSV (not timed) and
#    times the same computation (pandas + numpy, tuned; and once the
#    idiomatic pandas way); its variants and edges, waits included, must
#    equal the engine's (exit 1 otherwise);
# 3. cli: `resonans init`, `resonans import events LOG.csv`, then
#    `resonans journey variants --case case_id` and `journey paths --case
#    case_id`, each a whole process: wall time and peak RSS from
#    /usr/bin/time -v (the database's pages in the page cache, as after
#    the import), `--timing`'s split into loading and computing; their
#    counts must equal the engine's too.
#
# Usage: bench/journey.sh [BUILD_DIR] [EVENTS] [CASES]
#        (default build/release 10000000 1000000; after
#        `make CONFIG=release all bench-targets`)
# JOURNEY_RUNS (default 5) runs for the engine and the peer;
# JOURNEY_ONLY=engine|peer|cli runs one part (peer and cli need the CSV
# the engine part writes). Files go to bench/out/journey/. The peer needs
# python3-pandas and python3-numpy (Debian), the cli part /usr/bin/time
# (Debian `time`): the benchmark's dependencies, not the product's.
# Never part of `make test`.
set -euo pipefail
B=${1:-build/release}
N=${2:-10000000}
C=${3:-1000000}
RUNS=${JOURNEY_RUNS:-5}
ONLY=${JOURNEY_ONLY:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN="$B/resonans"
OUT="$ROOT/bench/out/journey"
mkdir -p "$OUT"
LOG="$OUT/log-n$N-c$C.csv"
T=$(mktemp)
trap 'rm -f "$T"' EXIT
bad=0

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
field() { # name: from the /usr/bin/time -v output in $T
    case $1 in
    wall) awk -F': ' '/Elapsed/ {n = split($2, a, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s}' "$T" ;;
    rss) awk '/Maximum resident/ {printf "%.0f", $NF / 1024}' "$T" ;;
    esac
}
same() { # same NAME WANT GOT: sorted files equal
    if [ -s "$2" ] && cmp -s <(sort "$2") <(sort "$3"); then
        echo "ok   $1: $(wc -l <"$2") lines agree"
    else
        echo "FAIL $1"
        diff <(sort "$2") <(sort "$3") | head -10
        bad=1
    fi
}

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB; load $(load)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(cc --version | head -1)"
echo

if want engine; then
    echo "== engine: bench_journey, $N events, $C cases (load $(load))"
    "$B/bench/bench_journey" --events "$N" --cases "$C" --runs "$RUNS" --csv "$LOG"
    echo "(load at the end $(load))"
    echo
fi

if want peer; then
    echo "== peer: pandas + numpy on $LOG (load $(load))"
    PY=/usr/bin/python3
    if "$PY" -c 'import pandas, numpy' 2>/dev/null; then
        "$PY" bench/peers/journey_pandas.py --runs "$RUNS" --idiomatic \
            --out "$OUT/pandas-n$N-c$C" "$LOG"
        same "pandas variants (count, top 10 with durations)" "$LOG.variants" "$OUT/pandas-n$N-c$C.variants"
        same "pandas edges (count, cases, mean, median, p90, max)" "$LOG.edges" "$OUT/pandas-n$N-c$C.edges"
    else
        echo "pandas: skipped (apt-get install python3-pandas)"
    fi
    echo "(load at the end $(load))"
    echo
fi

if want cli; then
    [ -x /usr/bin/time ] || { echo "cli: skipped (apt-get install time)"; exit $bad; }
    D="$OUT/cli-n$N-c$C.db"
    echo "== cli: the whole command-line path, $(du -m "$LOG" | cut -f1) MiB of CSV (load $(load))"
    rm -f "$D" "$D"-* "$D".*
    "$BIN" --db "$D" init >/dev/null
    sync
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$T" "$BIN" --db "$D" import events "$LOG"
    iw=$(field wall) ir=$(field rss)
    # the import returns once durable; a detached process checkpoints
    while [ -e "$D-wal" ]; do sleep 0.01; done
    ic=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
    echo "import events: $iw s wall (checkpointed at $ic s), $ir MiB peak RSS (load $(load))"
    run() { # run NAME ARGS...: a timed resonans command, stdout in $OUT/NAME
        local name=$1
        shift
        /usr/bin/time -v -o "$T" "$BIN" --db "$D" "$@" >"$OUT/$name" 2>&1
        echo "$* : $(field wall) s wall, $(field rss) MiB peak RSS; $(grep '^timing:' "$OUT/$name" || true) (load $(load))"
    }
    for r in 1 2; do
        run "cli-variants-$r.txt" journey variants --case case_id --timing
        run "cli-paths-$r.txt" journey paths --case case_id --timing
    done
    run cli-variants-customer.txt journey variants --gap 30d --timing
    run cli-variants.csv journey variants --case case_id --format csv
    run cli-paths.csv journey paths --case case_id --top 0 --format csv
    # the command's counts against the engine's (bench_journey's files)
    awk -F, 'NR > 1 && $0 != "" { v = $NF; gsub(/ > /, ">", v); print $2 "\t" v }' "$OUT/cli-variants.csv" >"$OUT/cli-variants.got"
    awk -F'\t' 'NR > 1 { print $1 "\t" $4 }' "$LOG.variants" >"$OUT/cli-variants.want"
    same "cli variants (top 10: cases and steps)" "$OUT/cli-variants.want" "$OUT/cli-variants.got"
    awk -F, 'NR == 1 { next } $0 == "" { exit } { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$OUT/cli-paths.csv" >"$OUT/cli-edges.got"
    cut -f1-4 "$LOG.edges" >"$OUT/cli-edges.want"
    same "cli edges (count and cases)" "$OUT/cli-edges.want" "$OUT/cli-edges.got"
    nv=$(sed -n 's/^variants\t//p' "$LOG.variants")
    if grep -q "of $nv variants" "$OUT/cli-variants-1.txt"; then
        echo "ok   cli: $nv variants in all"
    else
        echo "FAIL cli: not $nv variants: $(grep -i 'variants' "$OUT/cli-variants-1.txt" | tail -1)"
        bad=1
    fi
fi
exit $bad
