#!/usr/bin/env bash
# A passenger survey as an airline would export it, imported with no
# outside script and read with `metrics`, every figure checked against an
# independent recount (awk over the same files).
#
# The files are made here: 3,000 passengers (class, age, travel type, with
# spaces in the column names), one flight each (its delays, a date written
# dd/mm/yyyy hh:mm without a zone), and a survey answer each (14 ratings
# 1-5 with "N/A" for not applicable, a satisfied/dissatisfied choice,
# answered "yyyy-mm-dd hh:mm" local time). Planted: Business class rates
# everything one point higher; a departure delay of an hour or more makes
# "satisfied" 35 points less likely.
# Usage: passenger_survey.sh RESONANS_BIN. Prints TAP.
set -u
BIN=${1:?usage: passenger_survey.sh RESONANS_BIN}
. "$(dirname "$0")/../harness/tap.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB=$W/air.db
R() { "$BIN" --db "$DB" "$@"; }

RATINGS="Inflight wifi service|Departure/Arrival time convenient|Ease of Online booking|Gate location|Food and drink|Online boarding|Seat comfort|Inflight entertainment|On-board service|Leg room service|Baggage handling|Checkin service|Inflight service|Cleanliness"
KEYS="wifi time_convenient online_booking gate food online_boarding seat entertainment onboard_service leg_room baggage checkin inflight_service cleanliness"

# ---- the files ----
cat >"$W/journey.json" <<'EOF'
{"journeys": [{"key": "resa", "name": "Flygresan", "lifecycle": "use",
  "stages": [{"key": "flyg", "name": "Flyget", "touchpoints": [
    {"key": "flight", "name": "Flygresa", "channel": "onsite",
     "aliases": ["Flight"]}]}]}]}
EOF
awk -v ratings="$RATINGS" -v dir="$W" 'BEGIN {
    srand(20261201);
    n = split(ratings, rn, "|");
    cust = dir "/customers.csv"; fl = dir "/flights.csv"; sv = dir "/survey.csv";
    print "Passenger ID,Gender,Age,Customer Type,Type of Travel,Class" > cust;
    print "Passenger ID,Flight date,Departure Delay in Minutes,Arrival Delay in Minutes,Flight Distance" > fl;
    h = "Response ID,Passenger ID,Answered";
    for (k = 1; k <= n; k++) h = h "," rn[k];
    print h ",satisfaction" > sv;
    split("Business Eco Eco_Plus", cls, " ");
    for (p = 1; p <= 3000; p++) {
        id = sprintf("P%05d", p);
        c = cls[1 + int(rand() * 3)]; sub("_", " ", c);
        travel = rand() < 0.6 ? "Business travel" : "Personal Travel";
        printf "%s,%s,%d,%s,%s,%s\n", id, rand() < 0.5 ? "Female" : "Male",
            7 + int(rand() * 79), rand() < 0.8 ? "Loyal Customer" : "disloyal Customer",
            travel, c > cust;
        # a flight in 2024, minutes after midnight spread over the day
        m = 1 + int(rand() * 12); d = 1 + int(rand() * 28);
        hh = int(rand() * 22); mm = int(rand() * 60);
        delay = rand() < 0.55 ? 0 : int(rand() * 150);
        printf "%s,%02d/%02d/2024 %02d:%02d,%d,%d,%d\n", id, d, m, hh, mm,
            delay, delay + int(rand() * 20), 200 + int(rand() * 3000) > fl;
        # answered the day after the flight
        dd = d + 1;
        line = sprintf("R%05d,%s,2024-%02d-%02d %02d:%02d", p, id, m, dd, hh, mm);
        for (k = 1; k <= n; k++) {
            u = rand();
            if (u < 0.05) { line = line ",N/A"; continue }
            if (u < 0.08) { line = line ","; continue }
            v = 1 + int(rand() * 4) + (c == "Business" ? 1 : 0);
            line = line "," v;
        }
        sat = rand() < (delay >= 60 ? 0.30 : 0.65) ? "satisfied" : "neutral or dissatisfied";
        print line "," sat > sv;
    }
}'

# ---- the import: --map names the columns, --set adds what the export
# lacks, --tz and --time-format read its times, --na its "N/A" ----
MAP="Response ID=id,Passenger ID=customer,Answered=submitted_at,satisfaction=choice:satisfaction"
i=0
for k in $KEYS; do
    i=$((i + 1))
    col=$(echo "$RATINGS" | cut -d'|' -f$i)
    MAP="$MAP,$col=rating:$k@5"
done
R init >/dev/null
R journey load "$W/journey.json" >/dev/null
check "journey loads" test $? -eq 0
R import customers "$W/customers.csv" --map 'Passenger ID=id' --quiet >"$W/c.out" 2>&1
check "customers import with spaces in their column names" test $? -eq 0
R import events "$W/flights.csv" --quiet \
    --map 'Passenger ID=customer,Flight date=time' \
    --set activity=flight,touchpoint=flight \
    --tz Europe/Stockholm --time-format '%d/%m/%Y %H:%M' >"$W/e.out" 2>&1
check "flights import as events with a zone-less day-first time" test $? -eq 0
R import responses "$W/survey.csv" --quiet --map "$MAP" --set touchpoint=Flygresa \
    --tz Europe/Stockholm --na N/A >"$W/r.out" 2>&1
check "survey imports by display name with N/A as not answered" test $? -eq 0
cat "$W"/*.out | sed 's/^/# /'

# ---- the recounts ----
# 1. Each rating by customer class: n and mean.
R metrics --by customer.Class \
    --metric "$(for k in $KEYS; do printf 'rating:%s,' "$k"; done | sed 's/,$//')" \
    --format csv >"$W/by_class.csv" 2>"$W/err"
check "metrics: every rating by class" test $? -eq 0
awk -F, -v keys="$KEYS" -v dir="$W" '
    FNR == 1 { file++ }
    file == 1 && FNR > 1 { cls[$1] = $6; next }
    file == 2 && FNR > 1 {
        for (k = 4; k <= 17; k++)
            if ($k != "" && $k != "N/A") {
                n[cls[$2], k]++; s[cls[$2], k] += $k; ss[cls[$2], k] += $k * $k }
        next }
    file == 3 && FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 3 {
        split(keys, kk, " "); bad = 0;
        for (j = 1; j <= 14; j++) {
            k = j + 3; key = "rating:" kk[j];
            got_n = $(col[key "_n"]); got = $(col[key "_mean"]);
            lo = $(col[key "_mean_lo"]); hi = $(col[key "_mean_hi"]);
            m = n[$1, k]; want = s[$1, k] / m;
            # the t interval, with z for t: at n >= 100 they differ < 1.5%
            sd = sqrt((ss[$1, k] - s[$1, k] * s[$1, k] / m) / (m - 1));
            half = 1.959964 * sd / sqrt(m); d = (hi - lo) / 2 - half;
            mid = (hi + lo) / 2 - want;
            if (got_n != m || (got - want > 1e-4 || want - got > 1e-4) ||
                lo == "" || hi == "" || m < 100 ||
                d > 0.015 * half + 1e-4 || -d > 1e-4 ||
                mid > 2e-4 || -mid > 2e-4) {
                printf "# %s %s: n %s mean %s [%s, %s], want n %d mean %.4f\n",
                    $1, key, got_n, got, lo, hi, n[$1, k], want; bad = 1 }
        }
        rows++; if (bad) wrong++ }
    END { exit !(rows == 3 && !wrong) }' \
    "$W/customers.csv" "$W/survey.csv" "$W/by_class.csv"
check "each rating by class: n, mean and 95% CI equal the recount (3 classes x 14)" test $? -eq 0
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { v[$1] = $(col["rating:wifi_mean"]) }
    END { exit !(v["Business"] - v["Eco"] > 0.8 && v["Business"] - v["Eco"] < 1.2) }' \
    "$W/by_class.csv"
check "planted: Business rates wifi about one point higher" test $? -eq 0

# 2. The satisfied share by departure-delay band.
F="event.flight.Departure Delay in Minutes"
R metrics --by "$F" --bins "$F=15,60" --metric choice:satisfaction \
    --format csv >"$W/by_delay.csv" 2>"$W/err"
check "metrics: satisfied share by delay band" test $? -eq 0
awk -F, '
    FNR == 1 { file++ }
    file == 1 && FNR > 1 { band[$1] = $3 < 15 ? "<15" : $3 < 60 ? "[15..60)" : ">=60"; next }
    file == 2 && FNR > 1 { n[band[$2]]++; if ($NF == "satisfied") s[band[$2]]++; next }
    file == 3 && FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 3 {
        key = "choice:satisfaction=satisfied";
        got_n = $(col["choice:satisfaction_n"]); got = $(col[key]);
        want = 100 * s[$1] / n[$1];
        if (got_n != n[$1] || got - want > 1e-4 || want - got > 1e-4 ||
            $(col[key "_lo"]) == "") {
            printf "# %s: n %s share %s, want n %d share %.4f\n", $1, got_n, got, n[$1], want; wrong++ }
        rows++ }
    END { exit !(rows == 3 && !wrong) }' \
    "$W/flights.csv" "$W/survey.csv" "$W/by_delay.csv"
check "satisfied share by delay band equals the recount (3 bands)" test $? -eq 0
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { v[$1] = $(col["choice:satisfaction=satisfied"]) }
    END { exit !(v["<15"] - v[">=60"] > 25) }' "$W/by_delay.csv"
check "planted: an hour's delay lowers the satisfied share" test $? -eq 0

# 3. Any rating by month (the month of the answer in Stockholm time).
R metrics --by month --metric rating:seat --format csv >"$W/by_month.csv" 2>"$W/err"
check "metrics: seat comfort by month" test $? -eq 0
awk -F, '
    FNR == 1 { file++ }
    file == 1 && FNR > 1 { if ($10 != "" && $10 != "N/A") {
        m = substr($3, 1, 7); n[m]++; s[m] += $10; ss[m] += $10 * $10 } next }
    file == 2 && FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 2 {
        got_n = $(col["rating:seat_n"]); got = $(col["rating:seat_mean"]);
        lo = $(col["rating:seat_mean_lo"]); hi = $(col["rating:seat_mean_hi"]);
        want = s[$1] / n[$1];
        # as above: the t interval, z for t at n >= 100
        sd = sqrt((ss[$1] - s[$1] * s[$1] / n[$1]) / (n[$1] - 1));
        half = 1.959964 * sd / sqrt(n[$1]); d = (hi - lo) / 2 - half;
        if (got_n != n[$1] || got - want > 1e-4 || want - got > 1e-4 ||
            lo == "" || n[$1] < 100 || d > 0.015 * half + 1e-4 || -d > 1e-4) {
            printf "# %s: n %s mean %s, want n %d mean %.4f\n", $1, got_n, got, n[$1], want; wrong++ }
        rows++ }
    END { exit !(rows == 12 && !wrong) }' "$W/survey.csv" "$W/by_month.csv"
check "seat comfort by month: n, mean and 95% CI equal the recount (12 months)" test $? -eq 0

# 4. Customer attributes with spaces in their names filter and group.
R metrics --by "customer.Type of Travel" --where 'customer.Age>=18' \
    --metric nps,rating:cleanliness --format csv >"$W/travel.csv" 2>"$W/err"
check "metrics: cleanliness by travel type, adults only" test $? -eq 0
awk -F, '
    FNR == 1 { file++ }
    file == 1 && FNR > 1 { if ($3 >= 18) travel[$1] = $5; next }
    file == 2 && FNR > 1 {
        if (($2 in travel) && $17 != "" && $17 != "N/A") {
            n[travel[$2]]++; s[travel[$2]] += $17 } next }
    file == 3 && FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 3 {
        got_n = $(col["rating:cleanliness_n"]);
        got = $(col["rating:cleanliness_mean"]);
        want = n[$1] ? s[$1] / n[$1] : -1;
        if (got_n != n[$1] || n[$1] < 100 || got - want > 1e-4 ||
            want - got > 1e-4) {
            printf "# %s: n %s mean %s, want n %d mean %.4f\n", $1, got_n, got, n[$1], want; wrong++ }
        seen[$1] = 1; rows++ }
    END { exit !(rows == 2 && seen["Business travel"] &&
                 seen["Personal Travel"] && !wrong) }' \
    "$W/customers.csv" "$W/survey.csv" "$W/travel.csv"
check "cleanliness by travel type over Age >= 18 equals the recount (2 types)" \
    test $? -eq 0
tap_done
