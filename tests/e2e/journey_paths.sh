#!/usr/bin/env bash
# End to end for the path analytics: a generated helpdesk-style event log
# (tickets with loops, shuffled lines, several tickets per customer) is
# imported, and `journey variants` and `journey paths` must agree exactly
# with a count made here from the CSV by sort and awk, sharing no code
# with the engine: every variant's case count and every directly-follows
# edge's count and cases. Then the funnel against its own count, the
# per-customer gap, and bad input. Prints TAP.
# Usage: journey_paths.sh RESONANS_BIN
set -u
BIN=${1:?usage: journey_paths.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/log.db"
R() { "$BIN" --db "$db" "$@"; }
table() { awk -v want="$1" 'BEGIN { RS = ""; ORS = "\n" } NR == want'; }

# ---- the log: 400 tickets, a Markov chain over five activities ----
awk 'BEGIN {
    srand(11)
    print "id,ticket,customer,activity,time,channel"
    split("submit triage fix reopen close", act, " ")
    ch[1] = "web"; ch[2] = "phone"; ch[3] = "email"
    id = 0
    for (t = 1; t <= 400; t++) {
        mon = 1 + t % 12; day = 1 + t % 28; h = t % 12; m = int(t / 12) % 60
        a = 1; k = 0
        while (1) {
            id++
            # one minute per step and a second per ticket: times differ
            printf "E%05d,T%03d,K%02d,%s,2025-%02d-%02dT%02d:%02d:%02dZ,%s\n",
                id, t, t % 37, act[a], mon, day, h + k, (m + k) % 60, t % 60,
                ch[1 + int(rand() * 3)]
            k++
            if (act[a] == "close" || k >= 10) break
            u = rand()
            if (a == 1) a = u < 0.8 ? 2 : 3
            else if (a == 2) a = u < 0.7 ? 3 : (u < 0.85 ? 2 : 5)
            else if (a == 3) a = u < 0.6 ? 5 : 4
            else if (a == 4) a = u < 0.7 ? 3 : 2
        }
    }
}' >"$T/raw.csv"
# shuffled, so the engine must order each case itself
{ head -1 "$T/raw.csv"; tail -n +2 "$T/raw.csv" | awk 'BEGIN { srand(5) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2-; } >"$T/log.csv"
n_events=$(($(wc -l <"$T/log.csv") - 1))

check "init" R init
out=$(R import events "$T/log.csv" 2>&1)
if grep -q "$n_events imported" <<<"$out"; then ok "import: $n_events events"; else no "import" "$out"; fi

# the independent count: cases in time order, by sort; then awk
tail -n +2 "$T/log.csv" | sort -t, -k2,2 -k5,5 >"$T/sorted.csv"
awk -F, '
    $2 != t { if (t != "") print s; t = $2; s = $4; next }
    { s = s " > " $4 }
    END { print s }' "$T/sorted.csv" | sort | uniq -c |
    awk '{ c = $1; sub(/^ *[0-9]+ /, ""); print c "\t" $0 }' | sort >"$T/want_variants"
awk -F, '
    $2 != t { if (t != "") print prev "\t(end)\t" t; t = $2; print "(start)\t" $4 "\t" t; prev = $4; next }
    { print prev "\t" $4 "\t" t; prev = $4 }
    END { print prev "\t(end)\t" t }' "$T/sorted.csv" >"$T/pairs"
awk -F'\t' '{ k = $1 "\t" $2; n[k]++; if (!((k, $3) in seen)) { seen[k, $3] = 1; c[k]++ } }
    END { for (k in n) print k "\t" n[k] "\t" c[k] }' "$T/pairs" | sort >"$T/want_edges"

R journey variants --case ticket --top 0 --format csv >"$T/v.csv" 2>&1
csv_pick cases variant <"$T/v.csv" | sort >"$T/got_variants"
if [ -s "$T/want_variants" ] && cmp -s "$T/want_variants" "$T/got_variants"; then
    ok "variants: all $(wc -l <"$T/want_variants") match the independent count"
else
    no "variants match the independent count" "$(diff "$T/want_variants" "$T/got_variants" | head -10)"
fi
R journey paths --case ticket --top 0 --format csv >"$T/p.csv" 2>&1
table 1 <"$T/p.csv" | csv_pick from to count cases | sort >"$T/got_edges"
if [ -s "$T/want_edges" ] && cmp -s "$T/want_edges" "$T/got_edges"; then
    ok "edges: all $(wc -l <"$T/want_edges") with their counts and cases match"
else
    no "edges match the independent count" "$(diff "$T/want_edges" "$T/got_edges" | head -10)"
fi
# a wait, recomputed: every step comes 1 h 1 min after the one before
w=$(table 1 <"$T/p.csv" | csv_pick from to median_wait_hours | awk -F'\t' '$1 == "submit" && $2 == "triage" { print $3 }')
if awk -v w="$w" 'BEGIN { exit !(w != "" && w - 61 / 60 < 0.001 && 61 / 60 - w < 0.001) }'; then
    ok "paths: a known wait (61 min = $w h)"
else
    no "paths: a known wait" "got '$w'"
fi
if table 2 <"$T/p.csv" | head -1 | grep -q "^from,to,count"; then ok "paths: a stalls table"; else no "paths: a stalls table" "$(head -c 600 "$T/p.csv")"; fi
out=$(R journey paths --case ticket 2>&1)
if grep -q "^Rework: steps repeated in a case" <<<"$out" && grep -q "^Channel switches" <<<"$out"; then
    ok "paths: rework and channel switches for people"
else
    no "paths: rework and channel switches" "$out"
fi

# repeats within two hours: every step comes 61 min after the one
# before, so a repeat is that soon only when it follows directly
want=$(awk -F, '
    $2 != t { t = $2; prev = "" }
    { if ($4 == prev && !((t, $4) in seen)) { seen[t, $4] = 1; c[$4]++ } prev = $4 }
    END { for (a in c) print a "\t" c[a] }' "$T/sorted.csv" | sort)
got=$(R journey paths --case ticket --repeat-within 2h --format csv | table 3 | csv_pick step within | awk -F'\t' '$2 > 0' | sort)
if [ -n "$want" ] && [ "$want" = "$got" ]; then ok "rework: repeats within the window, as counted ($(wc -l <<<"$got") steps)"; else no "rework: repeats within the window" "want '$want' got '$got'"; fi

# funnel submit > fix > close, counted here: a ticket reaches a step
# after reaching the one before
want=$(awk -F, '
    $2 != t { if (t != "") { r1 += s >= 1; r2 += s >= 2; r3 += s >= 3 } t = $2; s = 0 }
    { if (s == 0 && $4 == "submit") s = 1; else if (s == 1 && $4 == "fix") s = 2; else if (s == 2 && $4 == "close") s = 3 }
    END { r1 += s >= 1; r2 += s >= 2; r3 += s >= 3; print r1 " " r2 " " r3 }' "$T/sorted.csv")
got=$(R journey funnel --case ticket --by activity --steps submit,fix,close --format csv | csv_pick reached | paste -sd' ')
if [ -n "$want" ] && [ "$want" = "$got" ]; then ok "funnel: reached $got as counted"; else no "funnel: reached as counted" "want '$want' got '$got'"; fi

# per customer (37 customers), and a gap splitting them
out=$(R journey variants --format json)
if grep -q '"cases":37' <<<"$out"; then ok "per customer: 37 cases"; else no "per customer: 37 cases" "$(head -c 300 <<<"$out")"; fi
if grep -q '"n_variants":[0-9]' <<<"$out" && grep -q '"variants":\[{' <<<"$out"; then
    ok "JSON: the count of variants and the variants table under their own keys"
else
    no "JSON: n_variants and the variants table" "$(head -c 300 <<<"$out")"
fi
n1=$(R journey variants --gap 1h --format json | grep -o '"cases":[0-9]*' | head -1 | cut -d: -f2)
if [ -n "$n1" ] && [ "$n1" -gt 37 ]; then ok "a 1-hour gap splits customers' events ($n1 cases)"; else no "a gap splits" "$n1"; fi

# a journey file that maps the activities to touchpoints by alias: the
# same log imported again is placed in stages
cat >"$T/journey.json" <<'JSON'
{"journeys": [{"key": "support", "name": "Support", "lifecycle": "use",
  "stages": [
    {"key": "in", "name": "In", "touchpoints": [
      {"key": "t_submit", "name": "Submit a ticket", "channel": "web", "aliases": ["submit"]},
      {"key": "t_triage", "name": "Triage", "channel": "phone", "aliases": ["Triage"]}]},
    {"key": "work", "name": "Work", "touchpoints": [
      {"key": "t_fix", "name": "Fix", "channel": "onsite", "aliases": ["fix", "reopen"]}]},
    {"key": "done", "name": "Done", "touchpoints": [
      {"key": "t_close", "name": "Close", "channel": "email", "aliases": ["close"]}]}]}]}
JSON
db2="$T/staged.db"
check "journey load (activities as aliases)" "$BIN" --db "$db2" journey load "$T/journey.json"
check "import the log again" "$BIN" --db "$db2" import events "$T/log.csv" --quiet
none=$("$BIN" --db "$db2" events --by touchpoint --metric count --format csv | grep -c "^(none)\|^,")
if [ "$none" = 0 ]; then ok "every event placed at a touchpoint by its activity"; else no "every event placed by its activity" "$none without"; fi
want=$(awk -F, '
    function stage(a) { return a == "submit" || a == "triage" ? 1 : a == "close" ? 3 : 2 }
    $2 != t { if (t != "") { r1 += s >= 1; r2 += s >= 2; r3 += s >= 3 } t = $2; s = 0 }
    { g = stage($4); if (s == 0 && g == 1) s = 1; else if (s == 1 && g == 2) s = 2; else if (s == 2 && g == 3) s = 3 }
    END { r1 += s >= 1; r2 += s >= 2; r3 += s >= 3; print r1 " " r2 " " r3 }' "$T/sorted.csv")
got=$("$BIN" --db "$db2" journey funnel --case ticket --format csv | csv_pick reached | paste -sd' ')
if [ "$want" = "$got" ]; then ok "the stage funnel: reached $got as counted"; else no "the stage funnel as counted" "want '$want' got '$got'"; fi
if "$BIN" --db "$db2" journey conformance --case ticket --format csv | grep -q "^conforming_pct"; then ok "conformance on the staged log"; else no "conformance on the staged log"; fi

# a period without events: empty results, not errors
for c in variants paths conformance; do
    out=$(R journey $c --case ticket --from 2035-01-01 2>&1)
    rc=$?
    if [ $rc = 0 ] && grep -q "number of cases: 0" <<<"$out"; then ok "$c of an empty period: 0 cases"; else no "$c of an empty period" "rc=$rc $out"; fi
done
out=$("$BIN" --db "$db2" journey funnel --from 2035-01-01 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "no case reaches a stage" <<<"$out"; then ok "the stage funnel of an empty period says why (exit 4)"; else no "the stage funnel of an empty period" "rc=$rc $out"; fi

# bad input
out=$(R journey variants --case nosuch 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "nosuch" <<<"$out"; then ok "an unknown case column: exit 4"; else no "an unknown case column: exit 4" "rc=$rc $out"; fi
out=$(R journey funnel --by activity 2>&1)
rc=$?
if [ $rc = 3 ] && grep -q -- "--steps" <<<"$out"; then ok "a funnel of activities without --steps: exit 3"; else no "funnel without --steps" "rc=$rc $out"; fi
out=$(R journey funnel --by activity --steps submit,nosuch 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "nosuch" <<<"$out"; then ok "an unknown funnel step: exit 4"; else no "an unknown funnel step" "rc=$rc $out"; fi
out=$(R journey variants --by colour 2>&1)
rc=$?
if [ $rc = 2 ]; then ok "--by colour: usage error"; else no "--by colour: usage error" "rc=$rc $out"; fi
out=$(R journey variants --case ticket --gap 2d 2>&1)
rc=$?
if [ $rc = 2 ]; then ok "--case with --gap: usage error"; else no "--case with --gap" "rc=$rc $out"; fi
# a log without a journey definition: the map is the process map
out=$(R journey map --case ticket --out "$T/m.html" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q "the process map only" <<<"$out" && grep -q "class=\"journey-process\"" "$T/m.html" &&
    grep -q ">submit<" "$T/m.html" && ! grep -qi "https\?://[a-z]" <(grep -v "www.w3.org" "$T/m.html"); then
    ok "map of a log without a journey: an HTML page with the process map"
else
    no "map of a log without a journey" "rc=$rc $out"
fi
out=$(R journey map --case ticket --out "$T/m.svg" 2>&1)
if head -c 300 "$T/m.svg" | grep -q "journey-process"; then ok "map --out m.svg without a journey: the process map"; else no "map --out m.svg: the process map" "$out"; fi
out=$(R journey map --out "$T/m.png" 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q ".svg or .html" <<<"$out"; then ok "map --out m.png: usage error"; else no "map --out m.png" "rc=$rc $out"; fi
out=$("$BIN" --db "$T/empty.db" init >/dev/null 2>&1; "$BIN" --db "$T/empty.db" journey variants 2>&1)
rc=$?
if [ $rc = 3 ] && grep -q "import events" <<<"$out"; then ok "no events: exit 3, says to import them"; else no "no events" "rc=$rc $out"; fi

tap_done
