#!/usr/bin/env bash
# The journey analyses on the default demo set recover what the generator
# planted (docs/demo-data.md (i)-(k)), checked against the truth as
# generated in planted.json: the contract-link barrier in the funnel from
# May 2026, the re-report loop among the top work-order variants with
# its NPS (once and again, each with a CI holding the true value), the
# move-in inspection as the one measured moment of truth the journey does
# not flag; and the map drawn from it. Prints TAP.
# Usage: journey_demo.sh RESONANS_BIN
set -u
BIN=${1:?usage: journey_demo.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
R() { "$BIN" --db "$T/demo.db" "$@"; }
table() { awk -v want="$1" 'BEGIN { RS = ""; ORS = "\n" } NR == want'; }
# within V LO HI: LO <= V <= HI
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && lo <= v + 0 && v + 0 <= hi) }'; }
# planted KEY [NTH]: the NTH number after "KEY": in planted.json
planted() { grep -o "\"$1\": [-0-9.]*" "$T/d/planted.json" | sed -n "${2:-1}p" | awk '{ print $2 }'; }

check "demo generate" "$BIN" demo generate "$T/d"
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet
check "import events" R import events "$T/d/events.csv" --quiet

# (j) the barrier: from May 2026 the viewing-to-contract conversion is
# the cohort's as generated, and far under the months before
viewed=$(planted viewed 2)
signed=$(planted signed 2)
truth=$(awk -v s="$signed" -v v="$viewed" 'BEGIN { print 100 * s / v }')
out=$(R journey funnel --from 2026-05-01 --format csv 2>&1)
row=$(csv_pick step conversion_pct conversion_pct_lo conversion_pct_hi <<<"$out" | awk -F'\t' '$1 == "kontrakt"')
if [ -n "$row" ] && within "$truth" "$(cut -f3 <<<"$row")" "$(cut -f4 <<<"$row")"; then
    ok "funnel from May: viewing to contract $(cut -f2 <<<"$row")% [$(cut -f3 <<<"$row"), $(cut -f4 <<<"$row")] holds the planted $truth%"
else
    no "funnel from May holds the planted conversion $truth%" "$row"
fi
before=$(R journey funnel --to 2026-04-30 --format csv 2>&1 | csv_pick step conversion_pct_lo | awk -F'\t' '$1 == "kontrakt" { print $2 }')
if [ -n "$before" ] && awk -v a="$(cut -f4 <<<"$row")" -v b="$before" 'BEGIN { exit !(a + 0 < b + 0) }'; then
    ok "the drop-off: May on (up to $(cut -f4 <<<"$row")%) under the months before (from $before%)"
else
    no "the drop-off shows against the months before" "before $before, $row"
fi

# (i) the loop among the top variants, with its NPS and the main path's
out=$(R journey variants --case arbetsorder --where activity=fault_report,repair --top 3 --format csv 2>&1)
loop=$(csv_pick variant nps nps_lo nps_hi <<<"$out" | awk -F'\t' '$1 == "fault_report > fault_report > repair"')
main=$(csv_pick variant nps nps_lo nps_hi <<<"$out" | awk -F'\t' '$1 == "fault_report > repair"')
if [ -n "$loop" ]; then ok "the re-report loop is among the top 3 variants"; else no "the re-report loop is among the top 3 variants" "$out"; fi
again=$(planted expected_nps_again 6)
once=$(planted expected_nps_once 6)
if within "$again" "$(cut -f3 <<<"$loop")" "$(cut -f4 <<<"$loop")" && within "$once" "$(cut -f3 <<<"$main")" "$(cut -f4 <<<"$main")"; then
    ok "their NPS hold the truth: loop $(cut -f2 <<<"$loop") (true $again), main path $(cut -f2 <<<"$main") (true $once)"
else
    no "the variants' NPS hold the truth (loop $again, main $once)" "$loop / $main"
fi
out=$(R journey paths --case arbetsorder --where activity=fault_report,repair --format csv 2>&1)
rw=$(table 3 <<<"$out" | csv_pick step nps_diff nps_diff_lo nps_diff_hi | awk -F'\t' '$1 == "fault_report"')
d=$(awk -v a="$again" -v o="$once" 'BEGIN { print a - o }')
if [ -n "$rw" ] && within "$d" "$(cut -f3 <<<"$rw")" "$(cut -f4 <<<"$rw")"; then
    ok "rework: a second report costs $(cut -f2 <<<"$rw") NPS [$(cut -f3 <<<"$rw"), $(cut -f4 <<<"$rw")], true $d"
else
    no "rework: the difference holds the true $d" "$rw"
fi

# (k) the moment of truth the journey does not flag
out=$(R journey moments --format csv 2>&1)
mt=$(table 1 <<<"$out" | csv_pick key measured flagged left_detractor_pct left_promoter_pct | awk -F'\t' '$2 == 1')
if [ "$(cut -f1 <<<"$mt")" = besiktning_in ] && [ "$(cut -f3 <<<"$mt")" = 0 ]; then
    ok "moments: besiktning_in is the one measured moment, not flagged"
else
    no "moments: besiktning_in is the one measured moment, not flagged" "$mt"
fi
det=$(awk -v r="$(planted rate 4)" 'BEGIN { print 100 * r }')
pro=$(awk -v r="$(planted rate 6)" 'BEGIN { print 100 * r }')
if within "$(cut -f4 <<<"$mt")" "$(awk -v x="$det" 'BEGIN { print x - 0.5 }')" "$(awk -v x="$det" 'BEGIN { print x + 0.5 }')" &&
    within "$(cut -f5 <<<"$mt")" "$(awk -v x="$pro" 'BEGIN { print x - 0.5 }')" "$(awk -v x="$pro" 'BEGIN { print x + 0.5 }')"; then
    ok "moments: leaving after detractor and promoter answers as generated ($det%, $pro%)"
else
    no "moments: the leaving shares as generated ($det%, $pro%)" "$mt"
fi

# the map
out=$(R journey map --lang sv --out "$T/map.svg" --case arbetsorder --where activity=fault_report,contact,repair 2>&1)
if head -c 200 "$T/map.svg" 2>/dev/null | grep -q "<svg" && tail -c 20 "$T/map.svg" | grep -q "</svg>" &&
    grep -q "Besiktning\|besiktning" "$T/map.svg"; then
    ok "journey map: an SVG with the demo's stages"
else
    no "journey map: an SVG" "$out"
fi
if table 1 <<<"$(R journey map --format csv 2>&1)" | head -1 | grep -q "^stage,nps_n"; then ok "journey map: the stage table"; else no "journey map: the stage table"; fi
tap_done
