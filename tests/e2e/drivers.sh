#!/usr/bin/env bash
# End to end for `drivers` and `priorities` on a small generated demo:
# they run, print the documented columns in every format, apply --where,
# and bad input is a clear error with the documented exit code. Uses only
# fields the demo has always had (csat, language, themes), and at the end
# the demo's planted key drivers (docs/demo-data.md (f)): ranked in their
# planted order whatever order they are given in. Prints TAP.
# JSON is checked with jq when it is installed (scripts/deps.sh does not
# install it), else by its shape with grep.
# Usage: drivers.sh RESONANS_BIN
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 1500 --responses 20000 --seed 5
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet

# json_ok NAME FILE: the file is one JSON value with the given keys.
json_ok() {
    local name=$1 file=$2
    shift 2
    if command -v jq >/dev/null 2>&1; then
        local k bad=""
        jq -e . "$file" >/dev/null 2>&1 || bad="does not parse"
        for k in "$@"; do
            [ -z "$bad" ] && ! jq -e "has(\"$k\")" "$file" >/dev/null 2>&1 && bad="no key $k"
        done
        if [ -z "$bad" ]; then ok "$name"; else no "$name" "$bad: $(head -c 600 "$file")"; fi
    else
        local k bad=""
        head -c1 "$file" | grep -q '{' || bad="not an object"
        for k in "$@"; do grep -q "\"$k\":" "$file" || bad="no key $k"; done
        if [ -z "$bad" ]; then ok "$name"; else no "$name" "$bad: $(head -c 600 "$file")"; fi
    fi
}

# has_cols NAME FILE COL...: the CSV's header has these columns.
has_cols() {
    local name=$1 file=$2
    shift 2
    if csv_pick "$@" <"$file" >/dev/null 2>"$T/err"; then ok "$name"; else no "$name" "$(cat "$T/err"; head -3 "$file")"; fi
}

# theme drivers of detractors: prevalence beside odds ratio and share
if R drivers --outcome detractor --drivers themes --format csv >"$T/th.csv" 2>"$T/err"; then
    ok "drivers --drivers themes runs"
else
    no "drivers --drivers themes runs" "$(cat "$T/err")"
fi
has_cols "theme drivers have prevalence, odds ratio and importance" "$T/th.csv" \
    rank driver importance_pct importance_pct_lo importance_pct_hi prevalence_pct \
    prevalence_pct_lo prevalence_pct_hi odds_ratio odds_ratio_lo odds_ratio_hi coef p
rows=$(csv_pick driver <"$T/th.csv" | grep -c '^theme:')
if [ "$rows" -ge 3 ]; then ok "theme drivers: one row per theme ($rows)"; else no "theme drivers: one row per theme" "$(cat "$T/th.csv")"; fi
first=$(csv_pick rank <"$T/th.csv" | head -1)
if [ "$first" = "1" ]; then ok "theme drivers ranked by importance"; else no "theme drivers ranked by importance" "$(head -3 "$T/th.csv")"; fi

# a numeric driver and a two-value category, as JSON
R drivers --outcome promoter --drivers csat,language --format json >"$T/d.json" 2>"$T/err"
json_ok "drivers --format json parses with its keys" "$T/d.json" \
    outcome n r2_pct drivers method notes
if grep -q '"driver":"language=' "$T/d.json"; then ok "a two-value field becomes a 0/1 driver"; else no "a two-value field becomes a 0/1 driver" "$(head -c 400 "$T/d.json")"; fi

# --where narrows the rows
all=$(R drivers --drivers csat,language --boot 0 --format json | grep -o '"responses":[0-9]*')
app=$(R drivers --drivers csat,language --boot 0 --where channel=onsite --format json | grep -o '"responses":[0-9]*')
if [ -n "$all" ] && [ -n "$app" ] && [ "${app#*:}" -lt "${all#*:}" ]; then
    ok "--where narrows the responses ($app of $all)"
else
    no "--where narrows the responses" "all=$all app=$app"
fi

# priorities: quadrants, targets and expected change
if R priorities --drivers csat,language --target-by touchpoint --format csv >"$T/p.csv" 2>"$T/err"; then
    ok "priorities runs"
else
    no "priorities runs" "$(cat "$T/err")"
fi
has_cols "priorities have quadrant, target and expected change" "$T/p.csv" \
    rank driver quadrant importance_pct mean performance_pct target target_group \
    target_n expected_change expected_change_lo expected_change_hi
if csv_pick quadrant <"$T/p.csv" | grep -Eqx 'fix first|keep it up|maintain|possible overinvestment'; then
    ok "priorities name a quadrant"
else
    no "priorities name a quadrant" "$(cat "$T/p.csv")"
fi
R priorities --outcome detractor --drivers themes --format json >"$T/p.json" 2>"$T/err"
json_ok "priorities --format json parses with its keys" "$T/p.json" \
    outcome target_by priorities importance_line_pct performance_line_pct
lines=$(R priorities --drivers csat,language --target 5 --boot 0 --format jsonl | grep -c '^{')
if [ "$lines" -ge 2 ]; then ok "priorities --format jsonl, one object a row"; else no "priorities --format jsonl" "lines=$lines"; fi
out=$(R priorities --drivers csat,language --target 5 --boot 0 --method 2>&1)
if grep -q "expected change = coef x (target - current mean)" <<<"$out"; then ok "--method states the expected change"; else no "--method states the expected change" "$out"; fi

# bad input: clear messages, documented exit codes
out=$(R drivers --drivers csat,ces 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "too few rows" <<<"$out" && grep -q "'ces'" <<<"$out"; then
    ok "drivers never asked together: exit 3 naming the driver"
else
    no "drivers never asked together: exit 3 naming the driver" "rc=$rc $out"
fi
out=$(R drivers --drivers csat,csat 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q "given twice" <<<"$out"; then ok "a driver given twice: exit 2"; else no "a driver given twice: exit 2" "rc=$rc $out"; fi
out=$(R drivers --drivers csat,rating:nosuch 2>&1)
rc=$?
if [ $rc -eq 4 ] && grep -q "nosuch" <<<"$out"; then ok "an unknown field: exit 4"; else no "an unknown field: exit 4" "rc=$rc $out"; fi
out=$(R drivers --drivers csat,segment 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "segment=VALUE" <<<"$out"; then ok "a many-valued category asks for FIELD=VALUE"; else no "a many-valued category asks for FIELD=VALUE" "rc=$rc $out"; fi
out=$(R drivers --outcome detractor --drivers csat,language --where nps_group=detractor 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "one class only" <<<"$out"; then ok "a one-class outcome: exit 3"; else no "a one-class outcome: exit 3" "rc=$rc $out"; fi
out=$(R drivers 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q -- "--drivers" <<<"$out"; then ok "no --drivers: usage error"; else no "no --drivers: usage error" "rc=$rc $out"; fi
out=$(R priorities --help 2>&1)
if grep -q -- "--target-by FIELD" <<<"$out" && grep -q -- "--pairwise" <<<"$out"; then ok "priorities --help lists its options"; else no "priorities --help lists its options" "$out"; fi

# ---- the planted key drivers after a repair (docs/demo-data.md (f)) ----
PLANTED=rating:speed,rating:quality,rating:communication,rating:staff
REVERSED=rating:staff,rating:communication,rating:quality,rating:speed
order=$(R drivers --where touchpoint=reparation --drivers "$REVERSED" --format csv |
    sed -n '2,$p' | cut -d, -f2 | paste -sd, -)
if [ "$order" = "$PLANTED" ]; then
    ok "drivers ranks the demo's planted drivers in their planted order"
else
    no "drivers ranks the demo's planted drivers in their planted order" "$order"
fi
first=$(R priorities --where touchpoint=reparation --drivers "$REVERSED" \
    --target-by customer.district --format csv | sed -n 2p | cut -d, -f2,3)
if [ "$first" = "rating:speed,fix first" ]; then
    ok "priorities: the most important, weakest planted driver comes first, to fix"
else
    no "priorities: the most important, weakest planted driver comes first, to fix" "$first"
fi

tap_done
