#!/usr/bin/env bash
# End to end for `personas` on a small generated demo (with events): it
# runs, finds personas whose adjusted Rand index against the planted
# `segment` (docs/demo-data.md, "Personas") is reported, prints the
# documented cards in every format, is the same for the same seed,
# applies --where, and bad input is a clear error with the documented
# exit code. Prints TAP; the ARI reached is printed as a diagnostic.
# Usage: personas.sh RESONANS_BIN
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 2000 --responses 24000 --seed 5
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet
check "import events" R import events "$T/d/events.csv" --quiet

F=customer.age_band,customer.household,customer.rooms,customer.area_sqm,customer.language,channels:fault_report,channels:contact,nps

# num KEY FILE: a top-level number of a compact JSON object
num() { grep -o "\"$1\":[-0-9.e]*" "$2" | head -1 | cut -d: -f2; }

if R personas --features "$F" --truth segment --format json >"$T/p.json" 2>"$T/err"; then
    ok "personas runs with --truth segment"
else
    no "personas runs with --truth segment" "$(cat "$T/err")"
fi
bad=""
for k in customers k k_rule gamma ari_seeds ari_truth truth_groups personas criterion method notes; do
    grep -q "\"$k\":" "$T/p.json" || bad="$bad $k"
done
if [ -z "$bad" ]; then ok "JSON has the documented keys"; else no "JSON has the documented keys" "missing:$bad"; fi
ari=$(num ari_truth "$T/p.json")
stab=$(num ari_seeds "$T/p.json")
k=$(num k "$T/p.json")
echo "# personas on the small demo: k $k, ARI against segment $ari, between seeds $stab"
if awk -v a="$ari" 'BEGIN { exit !(a > 0.2 && a <= 1) }'; then
    ok "ARI against segment is reported and above chance ($ari)"
else
    no "ARI against segment is reported and above chance" "ari=$ari"
fi
if awk -v a="$stab" 'BEGIN { exit !(a >= -1 && a <= 1) }'; then ok "ARI between seeds reported ($stab)"; else no "ARI between seeds reported" "ari_seeds=$stab"; fi
# The floor of docs/demo-data.md: on the tenants, with rent per m², the
# planted segments come back with an ARI of at least 0.5 (0.525-0.56 on
# demo seeds 1, 2 and 5; a naive k-means reference reaches 0.53).
FT=customer.age_band,customer.household,customer.rooms,customer.area_sqm,customer.rent/customer.area_sqm,channels:fault_report,channels:contact,nps
R personas --features "$FT" --where 'customer.status!=sökande' --truth segment --format json >"$T/t.json" 2>&1
ari_t=$(num ari_truth "$T/t.json")
if awk -v a="$ari_t" 'BEGIN { exit !(a >= 0.5 && a <= 1) }'; then
    ok "tenants with rent per m²: ARI against segment at least 0.5 ($ari_t)"
else
    no "tenants with rent per m²: ARI against segment at least 0.5" "$(head -c 400 "$T/t.json")"
fi
if grep -q '"truth_groups":6' "$T/p.json"; then ok "segment has the 6 planted groups"; else no "segment has the 6 planted groups" "$(grep -o '"truth_groups":[0-9]*' "$T/p.json")"; fi
rows=$(grep -o '"chosen":' "$T/p.json" | wc -l)
if [ "$rows" -eq 7 ]; then ok "criterion has k = 2..8"; else no "criterion has k = 2..8" "rows=$rows"; fi

# a fixed k, as CSV cards
R personas --features "$F" --k 4 --format csv >"$T/p.csv" 2>"$T/err"
awk 'NF == 0 { exit } { print }' "$T/p.csv" >"$T/cards.csv"
if csv_pick persona customers share_pct defining channels nps nps_lo nps_hi nps_n \
    themes pains weakest_touchpoint quote_1 quote_2 quote_1_id <"$T/cards.csv" >"$T/cols" 2>"$T/err"; then
    ok "cards have the documented columns"
else
    no "cards have the documented columns" "$(cat "$T/err"; head -2 "$T/cards.csv")"
fi
if [ "$(wc -l <"$T/cols")" -eq 4 ]; then ok "--k 4 gives 4 personas"; else no "--k 4 gives 4 personas" "$(cat "$T/cols")"; fi
sum=$(csv_pick customers <"$T/cards.csv" | awk '{ s += $1 } END { print s }')
all=$(R personas --features "$F" --k 4 --format json | grep -o '"customers":[0-9]*' | head -1 | cut -d: -f2)
if [ "$sum" = "$all" ]; then ok "persona sizes add up to the customers ($all)"; else no "persona sizes add up" "sum=$sum all=$all"; fi
if csv_pick quote_1 <"$T/cards.csv" | grep -q '[a-zåäö]'; then ok "cards carry quotes"; else no "cards carry quotes" "$(cat "$T/cards.csv")"; fi

# the table for people, with the method
out=$(R personas --features "$F" --k 4 --method 2>&1)
if grep -q "^P1 " <<<"$out" && grep -q "defining:" <<<"$out" && grep -q "Huang 1998" <<<"$out"; then
    ok "table shows cards and the method"
else
    no "table shows cards and the method" "$out"
fi

# the same seed gives the same personas, another seed is reported
a=$(R personas --features "$F" --k 4 --seed 3 --format csv | md5sum)
b=$(R personas --features "$F" --k 4 --seed 3 --format csv | md5sum)
if [ "$a" = "$b" ]; then ok "same seed, same output"; else no "same seed, same output"; fi
if R personas --features "$F" --k 4 --seed 3 --format json | grep -q '"seed2":4'; then ok "stability run uses seed + 1"; else no "stability run uses seed + 1"; fi

# --where narrows the customers
some=$(R personas --features "$F" --k 3 --where segment=Student,Senior --format json | grep -o '"customers":[0-9]*' | head -1 | cut -d: -f2)
if [ -n "$some" ] && [ "$some" -lt "$all" ]; then ok "--where narrows the customers ($some of $all)"; else no "--where narrows the customers" "some=$some all=$all"; fi

# default features run without events or attributes
check "default features run" R personas --k 3

# bad input
out=$(R personas --k 1 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q -- "--k must be" <<<"$out"; then ok "--k 1: usage error"; else no "--k 1: usage error" "rc=$rc $out"; fi
out=$(R personas --k 3 --k-max 5 2>&1)
rc=$?
if [ $rc -eq 2 ]; then ok "--k with --k-max: usage error"; else no "--k with --k-max: usage error" "rc=$rc $out"; fi
out=$(R personas --features colour 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q "unknown feature" <<<"$out"; then ok "unknown feature: exit 2"; else no "unknown feature: exit 2" "rc=$rc $out"; fi
out=$(R personas --features customer.nosuch,nps 2>&1)
rc=$?
if [ $rc -eq 4 ] && grep -q "nosuch" <<<"$out"; then ok "unknown attribute: exit 4"; else no "unknown attribute: exit 4" "rc=$rc $out"; fi
out=$(R personas --features customer.rent/customer.district 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "not a number" <<<"$out"; then ok "ratio of a text attribute: exit 3"; else no "ratio of a text attribute: exit 3" "rc=$rc $out"; fi
out=$(R personas --features customer.tenancy_start 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "more than" <<<"$out"; then ok "too many levels: exit 3"; else no "too many levels: exit 3" "rc=$rc $out"; fi
out=$(R personas --k 12 --where "customer.household>5" --from 2026-10-01 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "too few customers" <<<"$out"; then ok "fewer customers than k needs: exit 3"; else no "fewer customers than k needs: exit 3" "rc=$rc $out"; fi
out=$(R personas --help 2>&1)
if grep -q -- "--k-max N" <<<"$out" && grep -q -- "--truth FIELD" <<<"$out"; then ok "--help lists its options"; else no "--help lists its options" "$out"; fi

tap_done
