#!/usr/bin/env bash
# A real public event log end to end: the work items of the BPI Challenge
# 2012 loan-application log (72,413 events, 9,658 cases, 6 activity codes;
# /work/shared/data/README.md). It is research data that must not be
# copied into the repository: the file is read where it is, and the
# database and every file made from it live in a temporary directory,
# removed at exit (BPI_KEEP=DIR keeps them in DIR instead, outside the
# repository).
#
# Import: every row gets an id (its line number, `id`) so that nothing is
# merged as a repeated row (events without an id are identified by
# customer, activity and time: docs/import-formats.md; this file has no
# two rows with the same case, activity and time, which the script checks
# and prints), and a copy of CaseID as the event attribute `case_id`. The
# customer is the case: CaseID=customer. Times are local Amsterdam time
# (--tz Europe/Amsterdam).
#
# Then `journey variants`, `journey paths` (edges with their waits,
# stalls) and `journey funnel`, by the case column and per customer, and
# `journey map` (HTML and SVG; the process map, as the log has no journey
# definition) when this resonans has it, and checks against an
# independent count made here with sort and awk (the variants, every
# edge's count and cases, the funnel, the map's node and edge counts) and
# Python's zoneinfo (every edge's median, p90 and mean wait), sharing no
# code with the engine. One line per check; exit 1 on any mismatch.
#
# Usage: bench/eventlog_bpi.sh [BUILD_DIR] [LOG.csv]
#        (default build/release, the BPI 2012 W_ log)
set -euo pipefail
B=${1:-build/release}
F=${2:-/work/shared/data/event-logs/loan-applications-bpi2012w.csv}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN="$ROOT/$B/resonans"
[ -x "$BIN" ] || BIN="$B/resonans"
[ -r "$F" ] || { echo "eventlog_bpi: cannot read $F" >&2; exit 2; }
if [ -n "${BPI_KEEP:-}" ]; then
    T=$BPI_KEEP
    mkdir -p "$T"
    case "$(cd "$T" && pwd)/" in "$ROOT"/*) echo "eventlog_bpi: BPI_KEEP must be outside the repository" >&2; exit 2 ;; esac
else
    T=$(mktemp -d)
    trap 'rm -rf "$T"' EXIT
fi
db="$T/bpi.db"
rm -f "$db" "$db"-*
R() { "$BIN" --db "$db" "$@"; }
bad=0
check() { # check NAME WANT_FILE GOT_FILE
    if [ -s "$2" ] && cmp -s "$2" "$3"; then
        echo "ok   $1: $(wc -l <"$2") lines agree"
    else
        echo "FAIL $1"
        diff "$2" "$3" | head -10
        bad=1
    fi
}
# pick COLUMN... from the CSV on stdin (fields without quotes or commas)
pick() {
    awk -F, -v cols="$*" '
        NR == 1 { n = split(cols, w, " "); for (k = 1; k <= n; k++) { for (i = 1; i <= NF; i++) if ($i == w[k]) c[k] = i; if (!c[k]) { print "pick: no column " w[k] > "/dev/stderr"; exit 2 } } next }
        $0 == "" { exit }
        { s = ""; for (k = 1; k <= n; k++) s = s (k > 1 ? "\t" : "") $(c[k]); print s }'
}
table() { awk -v want="$1" 'BEGIN { RS = ""; ORS = "\n" } NR == want'; }

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $("$BIN" --version 2>/dev/null | head -1 || true)"
echo "== log: $F"
n_rows=$(($(wc -l <"$F") - 1))
dups=$(tail -n +2 "$F" | cut -d, -f1-3 | sort | uniq -d | wc -l)
ties=$(tail -n +2 "$F" | awk -F, '{ k = $1 "," $3; if (k == p) n++; p = k } END { print n + 0 }')
echo "$n_rows events; rows with the same case, activity and time: $dups" \
    "(an id per row is given anyway: nothing merged); consecutive events of a case at the same second: $ties"

# ---- import, with an id per row and the case as an attribute ----
awk -F, 'NR == 1 { print "id,case_id," $0; next } { print "L" NR "," $1 "," $0 }' "$F" >"$T/log.csv"
R init >/dev/null
t0=$(date +%s.%N)
R import events "$T/log.csv" \
    --map 'CaseID=customer,ActivityID=activity,CompleteTimestamp=time' \
    --tz Europe/Amsterdam --time-format '%Y-%m-%d %H:%M:%S' | tee "$T/import.out"
t1=$(date +%s.%N)
echo "import: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s wall"
if grep -q "$n_rows imported" "$T/import.out"; then
    echo "ok   import: all $n_rows events imported"
else
    echo "FAIL import: not all $n_rows events imported"
    bad=1
fi

# ---- the engine ----
timed() { # timed NAME ARGS...: runs resonans, keeps stdout in $T/NAME, prints wall and RSS
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$T/$name.time" "$BIN" --db "$db" "$@" >"$T/$name"
    echo "$name: $(awk '{ printf "%.2f s wall, %.1f MiB peak RSS", $1, $2 / 1024 }' "$T/$name.time")"
}
timed variants.csv journey variants --case case_id --top 0 --format csv
timed paths.csv journey paths --case case_id --top 0 --format csv
timed variants-customer.csv journey variants --top 0 --format csv
timed paths-customer.csv journey paths --top 0 --format csv
R journey variants --case case_id --timing | tee "$T/variants.txt"
R journey paths --case case_id --timing | tee "$T/paths.txt"

# ---- the independent count: sort and awk on the original file ----
# cases in time order (times sort as text; ties kept in file order)
tail -n +2 "$F" | sort -s -t, -k1,1 -k3,3 >"$T/sorted.csv"
awk -F, '
    $1 != c { if (c != "") print s; c = $1; s = $2; next }
    { s = s " > " $2 }
    END { print s }' "$T/sorted.csv" | sort | uniq -c |
    awk '{ n = $1; sub(/^ *[0-9]+ /, ""); print n "\t" $0 }' | sort >"$T/want_variants"
awk -F, '
    $1 != c { if (c != "") print p "\t(end)\t" c; c = $1; print "(start)\t" $2 "\t" c; p = $2; next }
    { print p "\t" $2 "\t" c; p = $2 }
    END { print p "\t(end)\t" c }' "$T/sorted.csv" >"$T/pairs"
awk -F'\t' '{ k = $1 "\t" $2; n[k]++; if (!((k, $3) in seen)) { seen[k, $3] = 1; m[k]++ } }
    END { for (k in n) print k "\t" n[k] "\t" m[k] }' "$T/pairs" | sort >"$T/want_edges"
n_cases=$(cut -d, -f1 "$T/sorted.csv" | uniq | wc -l)

pick cases variant <"$T/variants.csv" | sort >"$T/got_variants"
check "variants by case_id ($(wc -l <"$T/want_variants") variants, $n_cases cases): cases per variant" "$T/want_variants" "$T/got_variants"
pick cases variant <"$T/variants-customer.csv" | sort >"$T/got_variants_c"
check "variants per customer (customer = case)" "$T/want_variants" "$T/got_variants_c"
table 1 <"$T/paths.csv" | pick from to count cases | sort >"$T/got_edges"
check "edges by case_id: count and cases of every edge" "$T/want_edges" "$T/got_edges"
table 1 <"$T/paths-customer.csv" | pick from to count cases | sort >"$T/got_edges_c"
check "edges per customer" "$T/want_edges" "$T/got_edges_c"
got_cases=$(awk -F'\t' '{ s += $1 } END { print s }' "$T/got_variants")
if [ "$got_cases" = "$n_cases" ]; then echo "ok   cases: $n_cases"; else echo "FAIL cases: $got_cases, counted $n_cases"; bad=1; fi

# waits: every edge's median, p90 (type 7) and mean from UTC times, in Python
# with zoneinfo (no code shared with the engine), against the engine's
# hours to 4 decimals
if command -v python3 >/dev/null; then
    /usr/bin/env python3 - "$T/sorted.csv" >"$T/want_waits" <<'EOF'
import sys
from datetime import datetime
from zoneinfo import ZoneInfo
ams = ZoneInfo("Europe/Amsterdam")
waits = {}
prev = None
for line in open(sys.argv[1]):
    case, act, t = line.rstrip("\n").split(",")
    ts = datetime.strptime(t, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ams).timestamp()
    if prev and prev[0] == case:
        waits.setdefault((prev[1], act), []).append(ts - prev[2])
    prev = (case, act, ts)
def q(v, p):
    v = sorted(v); h = (len(v) - 1) * p; f = int(h)
    return v[f] if f + 1 >= len(v) else v[f] + (h - f) * (v[f + 1] - v[f])
for (a, b), v in sorted(waits.items()):
    print(f"{a}\t{b}\t{q(v, 0.5) / 3600:.4f}\t{q(v, 0.9) / 3600:.4f}\t"
          f"{sum(v) / len(v) / 3600:.4f}")
EOF
    table 1 <"$T/paths.csv" | pick from to median_wait_hours p90_wait_hours mean_wait_hours |
        awk -F'\t' '$1 != "(start)" && $2 != "(end)"' | sort >"$T/got_waits"
    check "waits by case_id: median, p90 and mean of every edge (hours, 4 decimals)" "$T/want_waits" "$T/got_waits"
else
    echo "skip waits: no python3"
fi

# the funnel over the first three distinct steps of the most frequent
# variant that has three, against a count of the cases reaching each
steps=$(sort -t$'\t' -k1,1nr "$T/want_variants" | awk -F'\t' '
    !done { n = split($2, s, " > "); k = 0; out = ""; split("", seen)
            for (i = 1; i <= n && k < 3; i++) if (!(s[i] in seen)) { seen[s[i]] = 1; out = out (k ? "," : "") s[i]; k++ }
            if (k == 3) { print out; done = 1 } }')
want=$(awk -F, -v steps="$steps" '
    BEGIN { ns = split(steps, st, ",") }
    $1 != c { if (c != "") for (i = 1; i <= k; i++) r[i]++; c = $1; k = 0 }
    k < ns && $2 == st[k + 1] { k++ }
    END { for (i = 1; i <= k; i++) r[i]++; for (i = 1; i <= ns; i++) printf "%s%d", (i > 1 ? " " : ""), r[i]; print "" }' "$T/sorted.csv")
timed funnel.csv journey funnel --case case_id --by activity --steps "$steps" --format csv
got=$(pick reached <"$T/funnel.csv" | paste -sd' ')
if [ -n "$want" ] && [ "$want" = "$got" ]; then
    echo "ok   funnel $steps: reached $got, as counted"
else
    echo "FAIL funnel $steps: want '$want', got '$got'"
    bad=1
fi
R journey funnel --case case_id --by activity --steps "$steps"

# the map (the process map only: the log has no journey definition), and
# what it draws against the independent count: every activity's events
# and repeats (the node's "N ↻ M"), and the count of every edge it draws
if "$BIN" journey --help 2>&1 | grep -q "journey map"; then
    timed map.txt journey map --case case_id --out "$T/map.html"
    "$BIN" --db "$db" journey map --case case_id --out "$T/map.svg" >/dev/null
    echo "map: $T/map.html ($(wc -c <"$T/map.html") bytes), $T/map.svg ($(wc -c <"$T/map.svg") bytes)"
    cut -d, -f2 "$T/sorted.csv" | sort | uniq -c | awk '{ print $2 "\t" $1 }' >"$T/want_nodes_n"
    awk -F'\t' '$1 == $2 { print $1 "\t" $3 }' "$T/want_edges" | cut -f1,2 >"$T/want_loops"
    awk -F'\t' 'NR == FNR { l[$1] = $2; next } { print $1 "\t" $2 "\t" ($1 in l ? l[$1] : 0) }' \
        "$T/want_loops" "$T/want_nodes_n" | sort >"$T/want_nodes"
    grep -o 'data-what="node[a-z-]*"[^>]*>[^<]*<' "$T/map.svg" |
        sed 's/^data-what="\([a-z-]*\)"[^>]*>\([^<]*\)<$/\1\t\2/' |
        awk -F'\t' '$1 == "node" { n = $2; next } $1 == "node-count" { split($2, a, " "); print n "\t" a[1] "\t" (a[3] == "" ? 0 : a[3]) }' |
        sort >"$T/got_nodes"
    if [ -s "$T/got_nodes" ]; then
        check "map: events and repeats of every activity's node" "$T/want_nodes" "$T/got_nodes"
    else
        echo "skip map nodes: no node counts found in the SVG"
    fi
    sed -n 's/.*<desc id="jp-d">\(.*\)\.<\/desc>.*/\1/p' "$T/map.svg" | tr ';' '\n' |
        sed 's/^ *//; s/ → /\t/; s/ \([0-9]*\)$/\t\1/; s/^Start\t/(start)\t/; s/\tEnd\t/\t(end)\t/' |
        sort >"$T/got_map_edges"
    if [ -s "$T/got_map_edges" ]; then
        join -t$'\t' <(awk -F'\t' '{ print $1 "|" $2 "\t" $3 }' "$T/got_map_edges" | sort) \
            <(awk -F'\t' '{ print $1 "|" $2 "\t" $3 }' "$T/want_edges" | sort) -a1 |
            awk -F'\t' '{ print $1 "\t" $2 }' >"$T/got_map_e"
        join -t$'\t' <(awk -F'\t' '{ print $1 "|" $2 "\t" $3 }' "$T/got_map_edges" | sort) \
            <(awk -F'\t' '{ print $1 "|" $2 "\t" $3 }' "$T/want_edges" | sort) |
            awk -F'\t' '{ print $1 "\t" $3 }' >"$T/want_map_e"
        check "map: the count of every edge drawn" "$T/got_map_e" "$T/want_map_e"
    else
        echo "skip map edges: no edge list found in the SVG"
    fi
else
    echo "skip map: this resonans has no 'journey map'"
fi

echo "== summary: $n_cases cases, $(wc -l <"$T/want_variants") variants, $(wc -l <"$T/want_edges") edges (with start and end)"
[ $bad = 0 ] && echo "all checks agree" || echo "MISMATCH"
exit $bad
