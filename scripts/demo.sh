#!/usr/bin/env bash
# The end of `make demo`: generates the demo data set (docs/demo-data.md),
# loads it into a fresh database and shows what it holds, including the
# effects planted in the data.
# Usage: scripts/demo.sh RESONANS_BIN
#   RESONANS_DB  the database to (re)create (default: demo.db in the repo)
set -euo pipefail

BIN=${1:?usage: scripts/demo.sh RESONANS_BIN}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DATA=build/demo-data
DB=${RESONANS_DB:-demo.db}
MARK=$DATA/last-db # the database this script made last (absolute path)

bold=""; off=""
if [ -t 1 ]; then bold=$(printf '\033[1m'); off=$(printf '\033[0m'); fi
heading() { printf '\n%s== %s%s\n' "$bold" "$1" "$off"; }
note() { printf '   %s\n' "$@"; }
run() { printf '$ resonans %s\n' "$*"; "$BIN" --db "$DB" "$@"; }
# Showing: a failure is reported, the rest of the demo still runs.
failed=0
show() { run "$@" || { failed=$((failed + 1)); note "(failed)"; }; }
# show_upto TITLE CMD...: the same, printing the output up to the table
# titled TITLE (a long one the demo leaves to --format csv or json).
show_upto() {
    local title=$1 out
    shift
    if out=$(run "$@"); then
        awk -v t="$title" '$0 == t { exit } { print }' <<<"$out"
        note "(the rest, and the data behind the chart: --format json, --svg FILE)"
    else
        printf '%s\n' "$out"
        failed=$((failed + 1))
        note "(failed)"
    fi
}

# show_cols COLUMNS ROWS CMD...: a wide table narrowed to COLUMNS of its
# CSV (comma-separated; NAME~ shows NAME with its 95% CI from NAME_lo and
# NAME_hi; NAME=LABEL renames the header), at most ROWS rows (0 = all),
# numbers to one decimal (NPS and changes signed) and right-aligned; the
# whole table is CMD without --format csv.
show_cols() {
    local cols=$1 rows=$2 out
    shift 2
    printf '$ resonans %s --format csv  (columns picked)\n' "$*"
    if out=$("$BIN" --db "$DB" "$@" --format csv); then
        LC_ALL=C awk -F, -v cols="$cols" -v rows="$rows" '
        # the width in UTF-8 characters: bytes less continuation bytes
        function width(s) { return length(s) - gsub(/[\200-\277]/, "", s) }
        function num(v, signed) {
            if (v == "") return "-"
            if (v !~ /^-?[0-9]+(\.[0-9]+)?$/ || v !~ /\./) return v
            return sprintf(signed ? "%+.1f" : "%.1f", v)
        }
        NR == 1 {
            nc = split(cols, want, ",")
            for (i = 1; i <= NF; i++) at[$i] = i
            for (k = 1; k <= nc; k++) {
                label[k] = want[k]
                if (sub(/=.*/, "", want[k])) sub(/^[^=]*=/, "", label[k])
                ci[k] = sub(/~$/, "", want[k])
                if (label[k] ~ /~$/) sub(/~$/, "", label[k])
                if (!(want[k] in at)) { print "no column " want[k] > "/dev/stderr"; bad = 1; exit 2 }
                cell[0, k] = label[k]
            }
            next
        }
        $0 == "" || (rows > 0 && n >= rows) { exit }
        {
            gsub(/"/, "")
            n++
            for (k = 1; k <= nc; k++) {
                v = $(at[want[k]])
                c = num(v, want[k] ~ /^nps|change$/)
                if (c !~ /^[-+0-9]/) text[k] = 1
                if (ci[k] && v != "")
                    c = c "  [" num($(at[want[k] "_lo"]), 0) ", " num($(at[want[k] "_hi"]), 0) "]"
                cell[n, k] = c
            }
        }
        END {
            if (bad) exit 2
            for (k = 1; k <= nc; k++)
                for (r = 0; r <= n; r++)
                    if (width(cell[r, k]) > w[k]) w[k] = width(cell[r, k])
            for (r = 0; r <= n; r++) {
                line = ""
                for (k = 1; k <= nc; k++) {
                    gap = sprintf("%" (w[k] - width(cell[r, k])) "s", "")
                    line = line (k > 1 ? "  " : "") (text[k] ? cell[r, k] gap : gap cell[r, k])
                }
                sub(/ +$/, "", line)
                print line
            }
        }' <<<"$out" && return
    fi
    failed=$((failed + 1))
    note "(failed)"
}

# Never delete a database the demo did not make.
abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
if [ -e "$DB" ] && [ "$DB" != demo.db ] &&
    [ "$(cat "$MARK" 2>/dev/null)" != "$(abs "$DB")" ]; then
    echo "demo: $DB exists and was not made by the demo; remove it or" \
        "set RESONANS_DB to another path" >&2
    exit 1
fi
rm -f "$DB" "$DB-wal" "$DB-shm"

heading "Generating the demo data set"
note "Bostadsbolaget Hemvist AB, a fictional rental-housing company in" \
     "Uppsala: 20,000 tenants and applicants, 200,000 survey responses and" \
     "their operational events over two years (Nov 2024 - Oct 2026)."
"$BIN" demo generate "$DATA"

heading "Loading it into $DB"
run init
abs "$DB" >"$MARK"
run journey load "$DATA/journey.json"
run import customers "$DATA/customers.csv"
run import responses "$DATA/responses.csv"
run import events "$DATA/events.csv"

heading "Overview"
show summary

heading "NPS by stage and month, last six months"
note "Every cell carries its n and 95% CI; small cells are flagged."
show metrics --by stage,month --metric nps --from 2026-05-01

heading "Planted effect (b): the app login broke in March 2026"
note "App touchpoints, February vs March: NPS and effort (CES) collapse."
show compare --where channel=app --a 2026-02-01..2026-02-28 \
    --b 2026-03-01..2026-03-31 --metric nps
show compare --where channel=app --a 2026-02-01..2026-02-28 \
    --b 2026-03-01..2026-03-31 --metric ces

heading "Planted effect (d): digital contract signing improves steadily"
note "Signing with BankID, first six months vs last six months."
show compare --where touchpoint=kontrakt_digital \
    --a 2024-11-01..2025-04-30 --b 2026-05-01..2026-10-31 --metric nps

heading "Planted effect (e): segments differ"
show metrics --by segment --metric nps
show compare --a segment=Student --b segment=Senior --metric nps

heading "What tenants write: themes, and what is emerging"
note "Every comment was redacted (e-mail, phone, personnummer, card," \
     "address) and analysed as it was imported: language, sentiment with" \
     "the words behind it, and themes (docs/text-analytics.md)."
show themes --emerging
show verbatims --theme digital/login --sentiment negative --limit 2

heading "Planted effect (a): slow repairs lower NPS (operational data joined to answers)"
note "NPS at the fault-report and repair touchpoints by how long the" \
     "repair the survey followed took."
F=event.repair.resolution_hours
show metrics --where touchpoint=felanmalan_app,felanmalan_tel,reparation \
    --by "$F" --bins "$F=24,72,168,336" --metric nps
note "And the repairs themselves, from the event log alone:"
show events --where activity=fault_report --from 2026-05-01 \
    --by month --metric count,median:resolution_hours

heading "Planted effect (c): friendly viewing hosts in Uthyrning Norr"
note "NPS at the viewing, by the letting team of the customer's latest" \
     "viewing (an attribute of the viewing event)."
show metrics --where touchpoint=visning --by event.viewing.team --metric nps
note "What do tenants with slow repairs write? (redacted, newest first)"
show verbatims --where "touchpoint=reparation;$F>=336" --by "$F" --limit 2

heading "What to fix first: key drivers of NPS after a repair (planted effect (f))"
note "How much of NPS each rating explains (Shapley shares of R², with" \
     "bootstrap CIs), and where each stands: docs/drivers.md."
R=rating:speed,rating:quality,rating:communication,rating:staff
show priorities --where touchpoint=reparation --drivers "$R" --target-by customer.district
note "What people complain about most, beside what makes detractors:"
show drivers --outcome detractor --drivers themes

heading "Expectations against experience at customer service (planted effect (g))"
show gap --where touchpoint=kundservice_tel --by none

heading "Why tenants call: a triad by segment (planted effect (h))"
note "Each caller placed their reason between three corners; the mean by" \
     "segment with its 95% region (docs/patterns.md)."
show_upto "Answers near each corner (weight >= 0.6), %" \
    patterns --triad why_contact --corners fix,know,reassure --by segment
note "From the pattern to the stories behind it:"
show verbatims --triad why_contact --corner 2 --min 0.6 --limit 2

heading "Slow repairs, per hour (planted effect (a), measured as an effect)"
show link --measure "$F" --outcome nps --bands 24,72,168,336 \
    --where touchpoint=felanmalan_app,felanmalan_tel,reparation

heading "The journey from the event log (planted effects (i)-(k))"
note "Work orders: a fault reported twice before its repair is the loop;" \
     "the NPS of each path's answers (docs/journeys.md)."
show journey variants --case arbetsorder --where activity=fault_report,repair --top 3
note "From May 2026 the digital contract link expires: the barrier."
show journey funnel --from 2026-05-01
note "Which touchpoint's experience predicts giving notice? One the journey" \
     "does not flag:"
show journey moments --top 3
MAP="${DB%.db}-karta.html"
show journey map --lang sv --out "$MAP" --case arbetsorder \
    --where activity=fault_report,contact,repair
note "Open $MAP in a browser: the map, the process map and the variants."

heading "The closed loop: cases, how fast teams handle them, and the fix for (b)"
note "Rules open a case for a response that needs an answer: a strongly" \
     "negative comment, a detractor at a moment of truth, a worry about" \
     "safety (docs/closed-loop.md). Loaded with a backfill, they open cases" \
     "for this year's responses at their own times; 'demo cases' then" \
     "plants how the teams handled them, in working time (docs/demo-data.md," \
     "\"The closed loop\")."
show rules load "$DATA/loop.json" --backfill-from 2026-01-01
show demo cases
note "The inner loop, by team, as of the data's end: hours are working" \
     "hours from opening; the deadline is the rule's, for the first contact."
show_cols "group=team,cases,open,overdue,contact_median_h~=first contact h (median),resolve_median_h~=resolved h (median),within_deadline_pct~=within deadline %" 0 \
    cases metrics --at 2026-11-01
note "The outer loop: the cases of March, the month the login broke, by" \
     "theme and touchpoint. The fix was marked done on April 1; NPS and the" \
     "share of comments on login at the touchpoint, 30 days before and after."
show_cols "rank=#,theme,touchpoint,cases,nps_before~=NPS before,nps_after~=NPS after,nps_change~=change,mention_change~=theme % change" 5 \
    cases areas --from 2026-03-01 --to 2026-04-01
note "(all columns: the same commands without --format; --format json for the data)"

heading "Try next"
REL=${BIN#"$ROOT"/}
note "export RESONANS_DB=$DB PATH=\"\$PWD/${REL%/resonans}:\$PATH\"" \
     "resonans metrics --by touchpoint --where stage=boende" \
     "resonans metrics --by month --where touchpoint=app_inlogg --metric nps,ces" \
     "resonans compare --a segment=Barnfamilj --b segment=Senior --metric csat" \
     "resonans export responses --excel --out hemvist.csv" \
     "resonans themes --by month --where touchpoint=felanmalan_app" \
     "resonans metrics --by theme --metric nps" \
     "resonans metrics --by customer.age_band,nps_group --metric count" \
     "resonans cases list --overdue --team Kundservice --limit 5" \
     "resonans cases metrics --by touchpoint --from 2026-03-01 --to 2026-04-01" \
     "resonans metrics --by event.contact:30d --metric nps --where touchpoint=kundservice_tel" \
     "resonans personas --where 'customer.status!=sökande' --truth segment --features customer.age_band,customer.household,customer.rent/customer.area_sqm,channels:fault_report,nps" \
     "docs/demo-data.md lists every planted effect and its size." \
     "Collect answers live: resonans user add me --role admin && resonans serve" \
     "   then POST data/surveys/repair.json to /api/surveys and open" \
     "   http://127.0.0.1:8080/s/repair?touchpoint=reparation (docs/server.md)" \
     "The web app: resonans serve, then sign in at http://127.0.0.1:8080/app" \
     "   (overview, journey map, touchpoints, what to fix first, personas," \
     "   stories, cases, surveys, admin; docs/web.md)"
if [ "$failed" -gt 0 ]; then
    echo "demo: $failed step(s) failed" >&2
    exit 1
fi
