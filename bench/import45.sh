#!/usr/bin/env bash
# Import with comments: Resonans `import responses` beside the sqlite3
# CLI's `.import` of the same file, on demo data where 45% of responses
# carry a comment (the issue "imports on every core"). Prints each run's
# wall time (and when its background checkpoint was done), peak RSS
# (/usr/bin/time -v) and the ratio, runs alternating
# so that a busy machine weighs on both alike. docs/benchmarks.md keeps
# the figures. Never part of `make test`.
# Usage: bench/import45.sh BUILD_DIR [SIZES] [RUNS]
#   (SIZES default "1000000 10000000", RUNS default 3)
# Extra import options go in IMPORT_OPTS (IMPORT_OPTS="--threads 1");
# COMMENTS=0.02 makes the files of bench/run.sh's import part instead.
set -euo pipefail
B=${1:-build/release}
SIZES=${2:-1000000 10000000}
RUNS=${3:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN="$ROOT/$B/resonans"
OUT="$ROOT/bench/out"
T=$(mktemp)
trap 'rm -f "$T"' EXIT

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(sqlite3 --version | cut -d' ' -f1 | sed 's/^/sqlite3 /')"

field() { # name: from the /usr/bin/time -v output in $T
    case $1 in
    wall) awk -F': ' '/Elapsed/ {n = split($2, a, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s}' "$T" ;;
    rss) awk '/Maximum resident/ {printf "%.0f", $NF / 1024}' "$T" ;;
    esac
}

C=${COMMENTS:-0.45}
PCT=$(awk -v c="$C" 'BEGIN {printf "%02d", c * 100}')
for N in $SIZES; do
    D="$OUT/import$PCT-$N"
    if [ ! -f "$D/responses.csv" ]; then
        "$BIN" demo generate "$D" --seed 7 --responses "$N" \
            --customers $((N / 50 > 20000 ? N / 50 : 20000)) --comments "$C" \
            --no-events >/dev/null
    fi
    echo "== $N responses, $PCT% with a comment ($(du -m "$D/responses.csv" | cut -f1) MiB)"
    for r in $(seq "$RUNS"); do
        # Resonans: journey and customers first, untimed
        rm -f "$D/resonans.db"*
        "$BIN" --db "$D/resonans.db" journey load "$D/journey.json" >/dev/null
        "$BIN" --db "$D/resonans.db" import customers "$D/customers.csv" --quiet >/dev/null
        # Each timed step starts with no dirty pages of the one before to
        # write back (a gigabyte or two), so neither pays for the other.
        sync
        # shellcheck disable=SC2086
        t0=$EPOCHREALTIME
        /usr/bin/time -v -o "$T" "$BIN" --db "$D/resonans.db" import responses \
            "$D/responses.csv" --quiet ${IMPORT_OPTS:-} >/dev/null
        rw=$(field wall) rr=$(field rss)
        # The import returns once its commit is durable; a detached
        # process then copies the WAL into the database file and removes
        # it (docs/store.md, "Checkpoints"). Waited for, so that it never
        # runs into the peer's timing, and reported apart.
        while [ -e "$D/resonans.db-wal" ]; do sleep 0.01; done
        rc=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
        # sqlite3: customers first, untimed, as bench/run.sh does
        rm -f "$D/sqlite3.db"*
        (cd "$D" && sqlite3 sqlite3.db ".import --csv customers.csv customers")
        sync
        /usr/bin/time -v -o "$T" sh -c "cd '$D' && sqlite3 sqlite3.db < '$ROOT/bench/peers/sqlite_import.sql'"
        sw=$(field wall) sr=$(field rss)
        awk -v r="$r" -v rw="$rw" -v rr="$rr" -v rc="$rc" -v sw="$sw" -v sr="$sr" 'BEGIN {
            printf "run %d: resonans %.2f s (checkpointed at %.2f s), %d MiB peak; sqlite3 .import %.2f s, %d MiB; ratio %.2f (%.2f checkpointed)\n",
                r, rw, rc, rr, sw, sr, rw / sw, rc / sw }'
    done
done
