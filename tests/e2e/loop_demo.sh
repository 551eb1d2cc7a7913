#!/usr/bin/env bash
# The closed loop on the demo (docs/demo-data.md, "The closed loop"):
# generate writes loop.json; `demo cases` refuses without rules, then,
# after `rules load --backfill-from`, plants a deterministic case history
# with one audit entry and the login fix of (b) marked done. Checked on
# the figures: the areas of March put the login at app_inlogg first, its
# NPS rose and its mentions fell after the fix (CIs clear of 0); every
# team's metrics have cases, a contact median with its n and a share
# within the deadline in 0..100. Running `demo cases` again changes
# nothing, the same seed on a copy gives the same history, and a broken
# rules document is refused (exit 3, the JSON path named) leaving the
# loaded rules as they were. Prints TAP.
#
# The default demo size, without events (about 6 s): the login area's
# lead in March is 61 cases to 36 there (seed 1), but at 60,000 or
# 120,000 responses fault/reparation comes first for some seeds, so a
# smaller set would not test (b) robustly. JSON is read with sqlite3's
# JSON functions (the sqlite3 shell is in scripts/deps.sh), not jq.
# Usage: loop_demo.sh RESONANS_BIN
set -u
BIN=${1:?usage: loop_demo.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }
AT=2026-11-01T00:00+01:00 # the data's end: metrics as of then, not now
# jq_sql FILE SQL: SQL over the table doc(j) holding FILE's JSON, rows a
# line, columns tab-separated; fails when FILE is not JSON.
# r1 X...: each number to one decimal
r1() { awk '{ for (i = 1; i <= NF; i++) $i = sprintf("%.1f", $i); print }' <<<"$*"; }
jq_sql() {
    sqlite3 -batch -bail -separator $'\t' :memory: \
        "CREATE TEMP TABLE doc AS SELECT json(CAST(readfile('$1') AS TEXT)) AS j;" \
        "$2" 2>/dev/null
}

check "demo generate" "$BIN" demo generate "$T/d" --no-events
if [ "$(jq_sql "$T/d/loop.json" "SELECT json_array_length(j, '\$.rules') > 0 AND json_type(j, '\$.teams') = 'object' AND json_extract(j, '\$.recovery.survey') = 'aterkoppling' FROM doc")" = 1 ]; then
    ok "generate wrote loop.json: rules, teams, the recovery survey"
else
    no "generate wrote loop.json" "$(head -c 400 "$T/d/loop.json" 2>&1)"
fi
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet

# without rules: refused, with a clear message
out=$(R demo cases 2>&1)
rc=$?
if [ "$rc" = 4 ] && grep -q "no rules are loaded" <<<"$out"; then
    ok "demo cases without rules: refused (exit 4)"
else
    no "demo cases without rules: refused (exit 4)" "rc=$rc $out"
fi

check "rules load --backfill-from 2026-01-01" R rules load "$T/d/loop.json" --backfill-from 2026-01-01
sqlite3 "$db" "VACUUM INTO '$T/copy.db'" 2>/dev/null
t0=$(date +%s.%N)
out=$(R demo cases 2>&1)
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
if [ "$rc" = 0 ] && grep -q "given a history" <<<"$out" && grep -q "improvement [0-9]* marked done" <<<"$out"; then
    ok "demo cases plants the history in $secs s: $(head -1 <<<"$out")"
else
    no "demo cases plants the history" "rc=$rc $out"
fi
got=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM audit WHERE action = 'demo.cases'), (SELECT count(*) FROM audit WHERE action LIKE 'case.%'), (SELECT count(*) FROM cases WHERE first_contact IS NOT NULL), (SELECT count(*) FROM cases WHERE status = 4), (SELECT count(*) FROM outbox)")
if awk -F'|' '$1 == 1 && $2 == 0 && $3 > 0 && $4 > 0 && $5 == 0 { ok = 1 } END { exit !ok }' <<<"$got"; then
    ok "one audit entry demo.cases, none per case, no notifications (contacted|closed: $(cut -d'|' -f3,4 <<<"$got"))"
else
    no "one audit entry, none per case, no notifications" "audit demo.cases|case.*|contacted|closed|outbox: $got"
fi
got=$(sqlite3 "$db" "SELECT i.theme, t.key, i.title, i.done_at FROM improvements i JOIN touchpoints t ON t.id = i.touchpoint_id")
if [ "$got" = "digital/login|app_inlogg|Inloggningen i appen lagad|1774994400" ]; then
    ok "the login fix marked done 2026-04-01 00:00 Stockholm (2026-03-31T22:00Z)"
else
    no "the login fix marked done 2026-04-01 00:00 Stockholm" "$got"
fi
got=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE first_contact < opened OR resolved < first_contact OR closed < resolved OR first_contact >= 1793487600 OR (status >= 3) != (resolved IS NOT NULL)")
if [ "$got" = 0 ]; then ok "every history in order, before the data's end"; else no "every history in order" "$got bad cases"; fi

# the outer loop: March, the month the login broke
R cases areas --from 2026-03-01 --to 2026-04-01 --format json >"$T/areas.json" 2>&1
row=$(jq_sql "$T/areas.json" "SELECT json_extract(j, '\$.areas[0].theme'), json_extract(j, '\$.areas[0].touchpoint'), json_extract(j, '\$.areas[0].cases'), json_extract(j, '\$.areas[1].cases'), json_extract(j, '\$.areas[0].improvement') FROM doc")
if [ "$(cut -f1,2,5 <<<"$row")" = "digital/login	app_inlogg	Inloggningen i appen lagad" ]; then
    ok "areas of March: digital/login at app_inlogg first ($(cut -f3 <<<"$row") cases, next $(cut -f4 <<<"$row")), with its fix"
else
    no "areas of March: digital/login at app_inlogg first" "$row $(head -c 600 "$T/areas.json")"
fi
ch=$(jq_sql "$T/areas.json" "SELECT json_extract(j, '\$.areas[0].nps_change.value'), json_extract(j, '\$.areas[0].nps_change.ci95[0]'), json_extract(j, '\$.areas[0].nps_change.ci95[1]'), json_extract(j, '\$.areas[0].nps_before.value'), json_extract(j, '\$.areas[0].nps_after.value') FROM doc")
if awk -F'\t' '$2 != "" && $2 + 0 > 0 && $2 + 0 <= $1 + 0 && $1 + 0 <= $3 + 0 { ok = 1 } END { exit !ok }' <<<"$ch"; then
    read -r v lo hi b a <<<"$(r1 "$ch")"
    ok "NPS at app_inlogg rose after the fix: $b -> $a, change $v [$lo, $hi], CI above 0"
else
    no "NPS change after the fix: CI above 0" "$ch"
fi
mc=$(jq_sql "$T/areas.json" "SELECT json_extract(j, '\$.areas[0].mention_change.value'), json_extract(j, '\$.areas[0].mention_change.ci95[0]'), json_extract(j, '\$.areas[0].mention_change.ci95[1]') FROM doc")
if awk -F'\t' '$3 != "" && $1 + 0 < 0 && $3 + 0 < 0 && $2 + 0 <= $1 + 0 { ok = 1 } END { exit !ok }' <<<"$mc"; then
    read -r v lo hi <<<"$(r1 "$mc")"
    ok "login mentions fell after the fix: $v points [$lo, $hi], CI below 0"
else
    no "login mentions fell after the fix: CI below 0" "$mc"
fi

# the inner loop, by team
R cases metrics --at "$AT" --format json >"$T/m1.json" 2>&1
rows=$(jq_sql "$T/m1.json" "SELECT json_extract(value, '\$.group'), json_extract(value, '\$.cases'), json_extract(value, '\$.contact_median_h.value'), json_extract(value, '\$.contact_median_h.n'), json_extract(value, '\$.within_deadline_pct.value'), json_extract(value, '\$.within_deadline_pct.ci95[0]'), json_extract(value, '\$.within_deadline_pct.ci95[1]') FROM doc, json_each(doc.j, '\$.metrics')")
bad=$(awk -F'\t' '!($2 > 0 && $3 != "" && $3 > 0 && $4 > 0 && $4 <= $2 && $5 != "" && $6 <= $5 && $5 <= $7 && $6 >= 0 && $7 <= 100)' <<<"$rows")
teams=$(awk -F'\t' '$1 != "(all)"' <<<"$rows" | wc -l)
if [ "$teams" -ge 5 ] && [ -z "$bad" ]; then
    ok "metrics by team: $teams teams, each with cases, a contact median with its n, within deadline in 0..100"
else
    no "metrics by team: cases, contact median with n, within deadline in 0..100" "${bad:-$rows}"
fi
ks=$(awk -F'\t' '$1 == "Kundservice" { print $3 }' <<<"$rows")
it=$(awk -F'\t' '$1 == "IT/Digitala kanaler" { print $3 }' <<<"$rows")
if awk -v a="$ks" -v b="$it" 'BEGIN { exit !(a != "" && b != "" && 2 <= a && a <= 4 && 12 <= b && b <= 17) }'; then
    ok "the planted paces: first contact in $(r1 "$ks") working hours at Kundservice (planted 3), $(r1 "$it") at IT (14)"
else
    no "the planted paces: Kundservice ~3 h, IT ~14 h" "$rows"
fi

# again: nothing changes
out=$(R demo cases 2>&1)
rc=$?
R cases metrics --at "$AT" --format json >"$T/m2.json" 2>&1
cnt=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM audit WHERE action = 'demo.cases'), (SELECT count(*) FROM improvements)")
if [ "$rc" = 0 ] && grep -q " 0 given a history" <<<"$out" && grep -q "was already done" <<<"$out" &&
    cmp -s "$T/m1.json" "$T/m2.json" && [ "$cnt" = "1|1" ]; then
    ok "demo cases again changes nothing: the same metrics, one audit entry, one improvement"
else
    no "demo cases again changes nothing" "rc=$rc audit|improvements=$cnt $out"
fi

# the same seed on a copy: the same history; another seed: another
hist() { sqlite3 "$1" "SELECT group_concat(id || ':' || status || ':' || ifnull(first_contact, '') || ':' || ifnull(resolved, '') || ':' || ifnull(closed, ''), ',') FROM (SELECT * FROM cases ORDER BY id)" | md5sum; }
cp "$T/copy.db" "$T/copy2.db" 2>/dev/null
"$BIN" --db "$T/copy.db" demo cases >/dev/null 2>&1
"$BIN" --db "$T/copy2.db" demo cases --seed 2 >/dev/null 2>&1
h0=$(hist "$db")
if [ "$(hist "$T/copy.db")" = "$h0" ] && [ "$(hist "$T/copy2.db")" != "$h0" ]; then
    ok "deterministic: the same seed gives the same history, --seed 2 another"
else
    no "deterministic by seed"
fi

# a broken rules document: exit 3, the JSON path named, nothing changed
sed 's/"nps_max": 8/"nps_max": 11/' "$T/d/loop.json" >"$T/broken.json"
R rules show --format json >"$T/rules1.json" 2>&1
c1=$(sqlite3 "$db" "SELECT count(*), (SELECT max(id) FROM audit) FROM cases")
out=$(R rules load "$T/broken.json" --backfill-from 2026-01-01 2>&1)
rc=$?
R rules show --format json >"$T/rules2.json" 2>&1
c2=$(sqlite3 "$db" "SELECT count(*), (SELECT max(id) FROM audit) FROM cases")
if [ "$rc" = 3 ] && grep -q "rules\[1\]\.when\.nps_max" <<<"$out"; then
    ok "rules load of a broken document: exit 3, names rules[1].when.nps_max"
else
    no "rules load of a broken document: exit 3 with the JSON path" "rc=$rc $out"
fi
if cmp -s "$T/rules1.json" "$T/rules2.json" && grep -q '"nps_max":8' "$T/rules2.json" && [ "$c1" = "$c2" ]; then
    ok "and changes nothing: rules show as before, the same cases and audit log"
else
    no "a refused rules load changes nothing" "cases|audit $c1 -> $c2"
fi
tap_done
