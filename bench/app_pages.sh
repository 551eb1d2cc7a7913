#!/usr/bin/env bash
# The web app's views over RESPONSES (default 1,000,000) demo responses,
# on loopback: for every view, the first view after the server started
# (its column store loaded; nothing of the view computed before) and the
# best of 5 after, with the weight of the page: its HTML, the stylesheet
# and any script it loads, raw and gzipped (what a phone on a slow line
# fetches). The data is the whole demo: customers, responses, events, the
# closed loop's rules with their cases, and the demo's survey.
# Usage: bench/app_pages.sh [BUILD_DIR]   (default build/release)
# Env: RESPONSES, VIEWS (space-separated paths, default: every view).
# Never part of `make test`.
set -euo pipefail
B=${1:-build/release}
N=${RESPONSES:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/$B/resonans"
OUT="$ROOT/bench/out/web"
mkdir -p "$OUT"
export RESONANS_PWHASH=fast
command -v curl >/dev/null || { echo "app_pages: needs curl"; exit 1; }

db="$OUT/app-$N.db"
if [ ! -e "$db" ]; then
    echo "# building the demo database of $N responses (once; kept in $OUT)"
    rm -rf "$OUT/demo" "$db"
    "$BIN" demo generate "$OUT/demo" --responses "$N" --customers $((N / 10)) >/dev/null
    R() { "$BIN" --db "$db.tmp" "$@"; }
    rm -f "$db.tmp"
    R journey load "$OUT/demo/journey.json" >/dev/null
    R import customers "$OUT/demo/customers.csv" --quiet
    R import responses "$OUT/demo/responses.csv" --quiet
    R import events "$OUT/demo/events.csv" --quiet
    R rules load "$OUT/demo/loop.json" --backfill-from 2026-01-01 >/dev/null
    R demo cases >/dev/null
    printf 'bench-pass-1\n' | R user add bench --role admin --password-stdin >/dev/null
    R init --checkpoint
    mv "$db.tmp" "$db"
fi

rm -f "$OUT/port"
t0=$(date +%s.%N)
"$BIN" --db "$db" serve --listen 127.0.0.1:0 --port-file "$OUT/port" \
    --access-log '' --set rate=0 2>"$OUT/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1200); do [ -s "$OUT/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$OUT/port")"
until curl -sf -o /dev/null "$url/healthz"; do sleep 0.05; done
echo "# server up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s over $N responses"
jar="$OUT/jar"
curl -s -c "$jar" -o /dev/null -d 'name=bench&password=bench-pass-1' "$url/app/login"
# the demo's repair survey, for the survey pages
token=$("$BIN" --db "$db" user token bench --name "pages $(date +%s)" --scopes read,write,admin 2>/dev/null)
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary @"$ROOT/data/surveys/repair.json" "$url/api/surveys"
case_id=$(sqlite3 "$db" "SELECT id FROM cases ORDER BY id DESC LIMIT 1")

VIEWS=${VIEWS:-"/app /app/journey /app/touchpoints /app/touchpoints/reparation \
/app/priorities /app/personas /app/stories /app/cases /app/cases/$case_id \
/app/surveys /app/surveys/repair /app/admin/users /app/account"}

gz() { gzip -c | wc -c; }
css=$(curl -s "$url/assets/app.css" | wc -c)
css_gz=$(curl -s "$url/assets/app.css" | gz)
js=$(curl -s "$url/assets/app.js" | wc -c || echo 0)
printf '# stylesheet %s B (%s B gzipped), app.js %s B\n' "$css" "$css_gz" "$js"
printf '%-32s %6s %10s %10s %9s %9s %s\n' view status first_ms best_ms html_B gzip_B "page+css gzip"
for v in $VIEWS; do
    first=$(curl -s -b "$jar" -o "$OUT/page.html" -w '%{http_code} %{time_total}' "$url$v")
    best=$(for _ in 1 2 3 4 5; do curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$url$v"; done | sort -n | head -1)
    size=$(wc -c <"$OUT/page.html")
    sgz=$(gz <"$OUT/page.html")
    scripts=0
    grep -q 'src="/assets/app.js"' "$OUT/page.html" && scripts=$js
    awk -v v="$v" -v f="$first" -v b="$best" -v s="$size" -v z="$sgz" -v cz="$css_gz" -v j="$scripts" \
        'BEGIN{split(f, a, " "); printf "%-32s %6s %10.1f %10.1f %9d %9d %d%s\n", v, a[1], a[2]*1000, b*1000, s, z, z+cz, (j ? " +js" : "")}'
done
