#!/usr/bin/env bash
# Load on `resonans serve` over loopback with wrk, bounded in time:
#  1. durable survey submissions a second (each acknowledged only after
#     its group commit is on disk), with wrk's p50/p99;
#  2. metrics queries over the data (NPS, CSAT, CES by stage through
#     GET /api/analyses/metrics) answered while submissions run: p99.
# The database holds RESPONSES (default 1,000,000) demo responses first.
# Usage: bench/server_load.sh BUILD_DIR [SECONDS]
# Env: RESPONSES, CONNS (submission connections, default 128), THREADS
# (server HTTP threads, default: two per core), LOOP=1 (the closed loop
# on: a rule opens a case for every detractor, 7 of 11 submissions, each
# with an e-mail in the outbox; prints the cases opened and how long after
# their response). Needs wrk (scripts/deps.sh).
set -euo pipefail
B=${1:-build/release}
SECS=${2:-20}
N=${RESPONSES:-1000000}
CONNS=${CONNS:-128}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/$B/resonans"
OUT="$ROOT/bench/out/server"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "server_load: needs wrk (apt-get install wrk)"; exit 1; }
export RESONANS_PWHASH=fast

db="$OUT/load-$N.db"
if [ ! -e "$db" ]; then
    echo "# building a database of $N responses (once; kept in $OUT)"
    rm -rf "$OUT/demo"
    "$BIN" demo generate "$OUT/demo" --responses "$N" --customers $((N / 10)) >/dev/null
    "$BIN" --db "$db" journey load "$OUT/demo/journey.json" >/dev/null
    "$BIN" --db "$db" import customers "$OUT/demo/customers.csv" --quiet
    "$BIN" --db "$db" import responses "$OUT/demo/responses.csv" --quiet
    printf 'bench-pass-1\n' | "$BIN" --db "$db" user add bench --role admin --password-stdin >/dev/null
    "$BIN" --db "$db" init --checkpoint
    cp "$db" "$db.orig"
else
    # every run starts from the same data: submissions of earlier runs gone
    cp "$db.orig" "$db"
    rm -f "$db-wal" "$db-shm"
fi
token=$("$BIN" --db "$db" user token bench --name "load $(date +%s)" --scopes read,write,admin 2>/dev/null)
tp=$(sqlite3 "$db" "SELECT key FROM touchpoints ORDER BY id LIMIT 1")

rm -f "$OUT/port"
"$BIN" --db "$db" serve --listen 127.0.0.1:0 --port-file "$OUT/port" \
    --access-log '' --set rate=0 ${THREADS:+--threads "$THREADS"} 2>"$OUT/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 600); do [ -s "$OUT/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$OUT/port")"
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary @"$ROOT/data/surveys/repair.json" "$url/api/surveys"
if [ "${LOOP:-0}" = 1 ]; then
    owners=$(sqlite3 "$db" "SELECT DISTINCT owner_team FROM touchpoints WHERE owner_team IS NOT NULL" |
        awk '{printf "%s\"%s\": {\"email\": \"team%d@example.se\"}", (NR > 1 ? ", " : ""), $0, NR}')
    curl -s -o /dev/null -X PUT -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' "$url/api/rules" \
        -d "{\"rules\": [{\"key\": \"detractor\", \"when\": {\"nps_max\": 6},
             \"priority\": \"high\", \"sla_hours\": 8}],
             \"teams\": {$owners}, \"notify\": {\"email\": {\"mode\": \"immediate\"}}}"
    before_cases=$(sqlite3 "$db" "SELECT count(*) FROM cases")
fi

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "# machine: $machine; database: $N responses; $CONNS connections; ${SECS}s each"

# 1. submissions alone
res=$(SURVEY=repair TOUCHPOINT=$tp wrk -t1 -c"$CONNS" -d"${SECS}s" \
    -s "$ROOT/bench/server/submit.lua" "$url" 2>&1)
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
lat=$(grep '^p50' <<<"$res")
non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$res")
echo "durable submissions: $rps a second; $lat${non2xx:+; NON-2xx: $non2xx}"

# 2. metrics queries while submissions run
SURVEY=repair TOUCHPOINT=$tp wrk -t1 -c"$CONNS" -d"$((SECS + 2))s" \
    -s "$ROOT/bench/server/submit.lua" "$url" >"$OUT/wrk-during.txt" 2>&1 &
wpid=$!
sleep 1
q=$(wrk -t1 -c1 -d"${SECS}s" -H "Authorization: Bearer $token" \
    -s "$ROOT/bench/server/latency.lua" \
    "$url/api/analyses/metrics?by=stage" 2>&1)
wait $wpid
qrps=$(awk '/Requests\/sec/ {print $2}' <<<"$q")
echo "metrics by stage over $N+ responses during submissions: $(grep '^p50' <<<"$q"); $qrps queries a second"
echo "submissions meanwhile: $(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-during.txt") a second; $(grep '^p50' "$OUT/wrk-during.txt")"
rows=$(curl -s "$url/healthz" | awk -F': ' '/responses/ {gsub(/,/, "", $2); print $2}')
echo "responses in the column store now: $rows"
if [ "${LOOP:-0}" = 1 ]; then
    sleep 1
    sqlite3 "$db" "SELECT 'cases opened: ' || count(*) || '; seconds from the response to its case: max ' ||
        max(k.opened - r.ts) || ', share within 1 s ' ||
        round(100.0 * sum(k.opened - r.ts <= 1) / count(*), 2) || '%; e-mails queued: ' ||
        (SELECT count(*) FROM outbox)
        FROM cases k JOIN responses r ON r.id = k.response_id WHERE k.id > $before_cases"
fi
kill -TERM $pid
wait $pid 2>/dev/null || true
trap - EXIT
