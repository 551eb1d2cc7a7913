#!/usr/bin/env bash
# End to end for `patterns` and the sense-making filter of `verbatims`, on
# a small generated demo. Its planted triad (h) (docs/demo-data.md):
# students lean to `know`, seniors to `reassure`, families (Barnfamilj)
# to `fix`; the dyad `settled` averages about 0.6. patterns must show
# those leanings by segment (compositional and arithmetic means), --svg
# must write a well-formed SVG, and verbatims --triad KEY --corner N
# --min X must return only stories whose weight on corner N is >= X.
# Bad input gives its exit code and message. Prints TAP.
# Usage: patterns.sh RESONANS_BIN
set -u
BIN=${1:?usage: patterns.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }
# table N: the Nth table (1-based) of a multi-table CSV on stdin
table() { awk -v want="$1" 'BEGIN { RS = ""; ORS = "\n" } NR == want'; }
# argmax COLUMN: the group with the largest COLUMN among the segment rows
argmax() {
    csv_pick group "$1" | awk -F'\t' '$1 != "" && $2 > m { m = $2; g = $1 } END { print g }'
}
# the value of COLUMN in GROUP's row
value() { csv_pick group "$2" | awk -F'\t' -v g="$1" '$1 == g { print $2 }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 3000 --responses 40000 --seed 11 --comments 0.3
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import events" R import events "$T/d/events.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet

P="--triad why_contact --corners fix,know,reassure --by segment"
out=$(R patterns $P --format csv 2>&1)
for t in 1 2; do
    name=$([ $t = 1 ] && echo "compositional" || echo "arithmetic")
    tab=$(table $t <<<"$out")
    k=$(argmax part2 <<<"$tab")
    r=$(argmax part3 <<<"$tab")
    f=$(argmax part1 <<<"$tab")
    if [ "$k" = Student ] && [ "$r" = Senior ] && [ "$f" = Barnfamilj ]; then
        ok "patterns: $name means lean as planted (know: $k, reassure: $r, fix: $f)"
    else
        no "patterns: $name means lean as planted (know: $k, reassure: $r, fix: $f)" "$tab"
    fi
done
tab=$(table 1 <<<"$out")
sk=$(value Student part2 <<<"$tab")
sf=$(value Student part1 <<<"$tab")
lo=$(value Student part2_lo <<<"$tab")
hi=$(value Student part2_hi <<<"$tab")
if lt "$sf" "$sk" && lt "$lo" "$sk" && lt "$sk" "$hi"; then
    ok "patterns: students' know $sk in its region [$lo, $hi], above fix $sf"
else
    no "patterns: students' know above fix, inside its region" "$tab"
fi
n_all=$(value "" n <<<"$tab")
n_sum=$(csv_pick group n <<<"$tab" | awk -F'\t' '$1 != "" { s += $2 } END { print s }')
if [ -n "$n_all" ] && [ "$n_all" = "$n_sum" ]; then
    ok "patterns: the segments' n add up to all ($n_all)"
else
    no "patterns: the segments' n add up to all ($n_all vs $n_sum)" "$tab"
fi
cells=$(table 5 <<<"$out" | csv_pick count | awk '{ s += $1 } END { print s }')
if [ "$cells" = "$n_all" ]; then ok "patterns: the histogram counts every answer"; else no "patterns: the histogram counts every answer ($cells vs $n_all)" "$out"; fi
k=$(table 4 <<<"$out" | csv_pick cluster | wc -l)
if [ "$k" -ge 2 ] && [ "$k" -le 5 ]; then ok "patterns: $k clusters"; else no "patterns: 2..5 clusters" "$out"; fi

out=$(R patterns $P --method --svg "$T/why.svg" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q "^Compositional mean" <<<"$out" && grep -q "Hotelling" <<<"$out" &&
    grep -q "^Student " <<<"$out" && grep -q "^segment .* know" <<<"$out"; then
    ok "patterns: table with corners and method"
else
    no "patterns: table with corners and method (rc $rc)" "$out"
fi
svg=$(cat "$T/why.svg" 2>/dev/null)
if head -1 "$T/why.svg" 2>/dev/null | grep -q '^<?xml' && grep -q '</svg>' <<<"$svg" &&
    grep -q '<title id="t">Triad why_contact' <<<"$svg" && grep -q '<desc id="d">' <<<"$svg" &&
    grep -q '>reassure</text>' <<<"$svg" && grep -q '>Student</text>' <<<"$svg"; then
    ok "patterns: --svg writes the ternary plot"
else
    no "patterns: --svg writes the ternary plot" "$svg"
fi
if command -v xmllint >/dev/null; then
    if xmllint --noout "$T/why.svg" 2>/dev/null; then ok "patterns: the SVG is well-formed (xmllint)"; else no "patterns: the SVG is well-formed (xmllint)" "$(xmllint --noout "$T/why.svg" 2>&1)"; fi
fi

out=$(R patterns --dyad settled --by segment --format json --svg "$T/settled.svg" 2>&1)
m=$(grep -o '"means":\[{"group":null,"group_name":"all","n":[0-9]*,"mean":{"value":[0-9.]*' <<<"$out" | sed 's/.*"value"://')
if [ -n "$m" ] && lt 0.55 "$m" && lt "$m" 0.67 && grep -q '"bins":\[' <<<"$out" &&
    grep -q '<title id="t">Dyad settled' "$T/settled.svg"; then
    ok "patterns: the dyad's mean $m, histogram and SVG"
else
    no "patterns: the dyad's mean, histogram and SVG" "$out"
fi

# the stories behind a region; one JSON object per comment (a comment may
# hold a newline, which the CSV helper does not read)
# pick FIELD: FIELD's values in the jsonl on stdin
pick() { grep -o "\"$1\":\"[0-9.]*\"" | sed 's/.*:"//; s/"$//'; }
out=$(R verbatims --triad why_contact --corner 2 --min 0.6 --by triad2:why_contact --limit 100000 --format jsonl 2>&1)
vals=$(pick triad2:why_contact <<<"$out")
cnt=$(grep -c . <<<"$vals")
bad=$(awk '$1 + 0 < 0.6' <<<"$vals" | wc -l)
if [ "$cnt" -gt 0 ] && [ "$bad" = 0 ]; then
    ok "verbatims --triad --corner 2 --min 0.6: $cnt stories, all with know >= 0.6"
else
    no "verbatims --triad --corner 2 --min 0.6 ($cnt stories, $bad below)" "$out"
fi
out=$(R verbatims --triad why_contact --corner 3 --min 0.5 --max 0.7 --by triad3:why_contact,segment --limit 100000 --format jsonl 2>&1)
vals=$(pick triad3:why_contact <<<"$out")
cnt=$(grep -c . <<<"$vals")
bad=$(awk '$1 + 0 < 0.5 || $1 + 0 > 0.7' <<<"$vals" | wc -l)
if [ "$cnt" -gt 0 ] && [ "$bad" = 0 ]; then ok "verbatims --corner 3 --min 0.5 --max 0.7: $cnt stories in range"; else no "verbatims --corner 3 --min --max ($cnt, $bad outside)" "$out"; fi
out=$(R verbatims --dyad settled --max 0.2 --by dyad:settled --limit 100000 --format jsonl 2>&1)
vals=$(pick dyad:settled <<<"$out")
cnt=$(grep -c . <<<"$vals")
bad=$(awk '$1 + 0 > 0.2' <<<"$vals" | wc -l)
if [ "$cnt" -gt 0 ] && [ "$bad" = 0 ]; then ok "verbatims --dyad settled --max 0.2: $cnt stories"; else no "verbatims --dyad --max ($cnt, $bad above)" "$out"; fi

# bad input
out=$(R patterns --triad nope 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "no answers to triad:nope" <<<"$out"; then ok "patterns: an unknown key (exit 4)"; else no "patterns: an unknown key (exit 4)" "rc=$rc $out"; fi
out=$(R patterns --triad settled 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q "settled is not a triad" <<<"$out"; then ok "patterns: a dyad asked as a triad (exit 4)"; else no "patterns: a dyad asked as a triad (exit 4)" "rc=$rc $out"; fi
out=$(R patterns --triad why_contact --where touchpoint=hyresavi 2>&1)
rc=$?
if [ $rc = 3 ] && grep -q "no answers" <<<"$out"; then ok "patterns: no answers after the filter (exit 3)"; else no "patterns: no answers after the filter (exit 3)" "rc=$rc $out"; fi
out=$(R patterns 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q -- "--triad KEY or --dyad KEY" <<<"$out"; then ok "patterns: a key is needed (exit 2)"; else no "patterns: a key is needed (exit 2)" "rc=$rc $out"; fi
out=$(R patterns --triad why_contact --corners a,b 2>&1)
rc=$?
if [ $rc = 2 ]; then ok "patterns: three corners (exit 2)"; else no "patterns: three corners (exit 2)" "rc=$rc $out"; fi
out=$(R verbatims --corner 1 2>&1)
rc=$?
if [ $rc = 2 ] && grep -q "need --triad" <<<"$out"; then ok "verbatims: --corner needs --triad (exit 2)"; else no "verbatims: --corner needs --triad (exit 2)" "rc=$rc $out"; fi
out=$(R verbatims --triad why_contact --corner 4 2>&1)
rc=$?
if [ $rc = 2 ]; then ok "verbatims: --corner 1..3 (exit 2)"; else no "verbatims: --corner 1..3 (exit 2)" "rc=$rc $out"; fi
check "patterns --help" "$BIN" patterns --help
tap_done
