#!/usr/bin/env bash
# End to end on a small generated demo: generate -> load -> import ->
# metrics/compare -> export -> re-import into a fresh database. Prints TAP.
# Usage: demo_roundtrip.sh RESONANS_BIN
set -u
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }

check "demo generate" "$BIN" demo generate "$T/d" --seed 11 --customers 1500 --responses 20000
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet
check "import events" R import events "$T/d/events.csv" --quiet

# Re-importing the same file changes nothing.
out=$(R import responses "$T/d/responses.csv" --quiet 2>&1)
if grep -q " 0 imported" <<<"$out" && grep -q "20000 already present" <<<"$out"; then
    ok "re-import imports nothing"
else
    no "re-import imports nothing" "$out"
fi

# NPS by stage and month: the columns are there by their exact names,
# and every row has its n and both ends of its CI.
out=$(R metrics --by stage,month --metric nps --format csv 2>&1)
rows=$(csv_pick stage month nps_n nps_lo nps_hi <<<"$out" |
    awk -F'\t' 'NF == 5 && $3 > 0 && $4 != "" && $5 != "" && $4 + 0 <= $5 + 0 { n++ }
        END { print n + 0 }')
if [ "$(wc -l <<<"$out")" -gt 10 ] && [ "$rows" -eq "$(($(wc -l <<<"$out") - 1))" ]; then
    ok "metrics by stage,month: n and CI in every row ($rows)"
else
    no "metrics by stage,month: n and CI in every row" "$out"
fi

# The engine's overall NPS n equals an independent recount: the sqlite3
# CLI's own CSV parser over the generated file (comments hold quoted
# newlines, so line tools would miscount).
want=$(cd "$T/d" && sqlite3 :memory: ".import --csv responses.csv t" "select count(*) from t where nps <> ''")
got=$(R metrics --metric nps --format csv 2>/dev/null | csv_pick nps_n)
if [ -n "$want" ] && [ "$want" = "$got" ]; then
    ok "overall NPS n equals an independent recount ($want)"
else
    no "overall NPS n equals an independent recount" "want=$want got=$got"
fi

# And the NPS itself, recomputed by SQL over the raw file.
want=$(cd "$T/d" && sqlite3 :memory: ".import --csv responses.csv t" "select printf('%.4f', 100.0*(sum(nps+0>=9)-sum(nps+0<=6))/count(*)) from t where nps <> ''")
got=$(R metrics --metric nps --format csv 2>/dev/null | csv_pick nps | awk '{ printf "%.4f", $1 }')
if [ "$want" = "$got" ]; then ok "overall NPS equals SQL recount ($want)"; else no "overall NPS equals SQL recount" "want=$want got=$got"; fi

# Export and re-import into a fresh database: same responses and answers.
check "export csv" R export responses --out "$T/export.csv"
check "export excel" R export responses --excel --out "$T/export-excel.csv"
db2="$T/copy.db"
"$BIN" --db "$db2" journey load "$T/d/journey.json" >/dev/null 2>&1
"$BIN" --db "$db2" import customers "$T/d/customers.csv" --quiet >/dev/null 2>&1
check "re-import of the Excel export" "$BIN" --db "$db2" import responses "$T/export-excel.csv" --quiet
a=$(sqlite3 "$db" "select count(*), sum(nps), sum(csat), sum(ces), (select count(*) from answers) from responses")
b=$(sqlite3 "$db2" "select count(*), sum(nps), sum(csat), sum(ces), (select count(*) from answers) from responses")
if [ "$a" = "$b" ]; then ok "Excel export round-trips ($a)"; else no "Excel export round-trips" "$a vs $b"; fi

tap_done
