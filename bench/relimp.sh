#!/usr/bin/env bash
# Key drivers, exact Shapley (LMG): Resonans beside base R and numpy on the
# same data. bench_relimp builds the column store in memory, times the
# design matrix, the correlation matrix and the exact LMG (and the whole
# drivers_run), and writes the design matrix it analysed as CSV; the peers
# (bench/peers/relimp.R, bench/peers/relimp_numpy.py) read that CSV and time
# their correlation and LMG steps. Then the shares are compared: every
# peer's must agree with Resonans's to 1e-6 (exit 1 otherwise).
# Usage: bench/relimp.sh [BUILD_DIR] [K:N ...]
#        (default build/release, 14:46000 20:1000000)
# RELIMP_RUNS (default 7) runs for Resonans and numpy; R and the numpy
# loop form take 5 runs at k <= 16 and 1 above (a run takes seconds).
# Peers need r-base-core and python3-numpy (Debian); they are the
# benchmark's dependencies, not the product's. Never part of `make test`.
set -euo pipefail
B=${1:-build/release}
[ $# -gt 0 ] && shift
CONFIGS=${*:-14:46000 20:1000000}
RUNS=${RELIMP_RUNS:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT="$ROOT/bench/out/relimp"
mkdir -p "$OUT"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then
        PY=$p
        break
    fi
done

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo

for c in $CONFIGS; do
    k=${c%%:*} n=${c#*:}
    echo "== exact LMG, k=$k drivers, n=$n rows"
    "$B/bench/bench_relimp" --csv "$OUT" --runs "$RUNS" "$c" | tee -a "$LOG"
    csv="$OUT/relimp-k$k-n$n.csv"
    slow=5
    [ "$k" -gt 16 ] && slow=1
    if command -v Rscript >/dev/null; then
        Rscript bench/peers/relimp.R "$csv" "$slow" | tee -a "$LOG"
    else
        echo "R: skipped (apt-get install r-base-core)"
    fi
    if [ -n "$PY" ]; then
        "$PY" bench/peers/relimp_numpy.py "$csv" "$RUNS" | tee -a "$LOG"
        "$PY" bench/peers/relimp_numpy.py --loop "$csv" "$slow" | tee -a "$LOG"
    else
        echo "numpy: skipped (apt-get install python3-numpy)"
    fi
    echo
done

# Every peer's shares against Resonans's, per configuration.
awk '
    $1 == "shares" {
        key = $3 " " $4
        if ($2 == "resonans") { for (i = 5; i <= NF; i++) ref[key, i] = $i; nf[key] = NF; next }
        peers[key] = peers[key] " " $2
        d = 0
        for (i = 5; i <= NF; i++) {
            x = $i - ref[key, i]; if (x < 0) x = -x
            if (x > d) d = x
        }
        if (NF != nf[key]) d = 1
        printf "shares %s %s against resonans: max |difference| %.2g %s\n", $2, key, d, d <= 1e-6 ? "(agree to 1e-6)" : "DISAGREE"
        if (d > 1e-6) bad = 1
    }
    END { exit bad }' "$LOG"
