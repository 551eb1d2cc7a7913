#!/usr/bin/env bash
# The weekly digest end to end (docs/web.md, "Weekly digest"): on a small
# demo, `resonans digest` gives the week's NPS that `resonans metrics`
# gives for the same 7 days; bad options are usage errors; --send queues
# one e-mail in the outbox, and `notifications send` delivers it, with no
# loop document loaded, to an SMTP sink on loopback, whose decoded body
# holds the week's NPS. Then the server's schedule: started with
# digest_to and an SMTP server, it queues the last week's digest once
# and the sink gets it. The mail parts need node (tests/e2e/loop_sinks.js)
# and are skipped without it. Prints TAP. Usage: digest.sh RESONANS_BIN
set -u
BIN=${1:?usage: digest.sh RESONANS_BIN}
T=$(mktemp -d)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/tap.sh"
. "$HERE/server_lib.bash"
SINK_PID=0
SRV_PID=0
cleanup() {
    [ "$SRV_PID" != 0 ] && kill -9 "$SRV_PID" 2>/dev/null
    [ "$SINK_PID" != 0 ] && kill "$SINK_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
db="$T/demo.db"
R() { "$BIN" --db "$db" "$@"; }
q() { sqlite3 -batch "$db" "$1"; }

check "demo generate" "$BIN" demo generate "$T/d" --customers 1500 --responses 20000 --seed 5
check "journey load" R journey load "$T/d/journey.json"
check "import customers" R import customers "$T/d/customers.csv" --quiet
check "import responses" R import responses "$T/d/responses.csv" --quiet

# ---- the digest against metrics ----
dj=$(R digest --week-ending 2026-10-31 --format json 2>&1)
mj=$(R metrics --from 2026-10-25 --to 2026-10-31 --metric nps --format json 2>&1)
nps_digest=$(json_sql "$dj" "SELECT json_extract(value, '\$.week.value') || ' ' ||
    json_extract(value, '\$.week.n') FROM doc, json_each(doc.j, '\$.headline')
    WHERE json_extract(value, '\$.metric') = 'nps'")
nps_metrics=$(json_sql "$mj" "SELECT json_extract(doc.j, '\$.cells[0].nps.value') || ' ' ||
    json_extract(doc.j, '\$.cells[0].nps.n') FROM doc")
[ -n "$nps_digest" ] && [ "$nps_digest" = "$nps_metrics" ] &&
    ok "the digest's NPS this week is metrics' for 2026-10-25..2026-10-31 ($nps_digest)" ||
    no "digest NPS = metrics NPS" "digest: $nps_digest, metrics: $nps_metrics
$(head -c 600 <<<"$dj")"
prev_digest=$(json_sql "$dj" "SELECT json_extract(value, '\$.previous.value') FROM doc,
    json_each(doc.j, '\$.headline') WHERE json_extract(value, '\$.metric') = 'nps'")
prev_metrics=$(R metrics --from 2026-10-18 --to 2026-10-24 --metric nps --format json)
prev_metrics=$(json_get "$prev_metrics" '$.cells[0].nps.value')
[ -n "$prev_digest" ] && [ "$prev_digest" = "$prev_metrics" ] &&
    ok "and the week before's is metrics' for 2026-10-18..2026-10-24" ||
    no "week before" "digest: $prev_digest, metrics: $prev_metrics"
[ "$(json_get "$dj" '$.from') $(json_get "$dj" '$.to')" = "2026-10-25 2026-10-31" ] &&
    [ "$(json_sql "$dj" "SELECT count(*) FROM doc, json_each(doc.j, '\$.headline')")" = 3 ] &&
    json_sql "$dj" "SELECT 1 FROM doc WHERE json_type(doc.j, '\$.emerging') = 'array'" | grep -q 1 &&
    ok "JSON: the week, three headline rows, the emerging themes" ||
    no "digest JSON shape" "$(head -c 800 <<<"$dj")"
out=$(R digest 2>&1)
grep -q '^week: 2026-10-25\.\.2026-10-31$' <<<"$out" && grep -q '^NPS ' <<<"$out" &&
    ok "by default the week ends on the last day with responses" ||
    no "default week" "$out"
# the demo's planted login failure of March 2026 (docs/demo-data.md)
out=$(R digest --week-ending 2026-03-07 --format csv 2>&1)
grep -q '^digital/login,' <<<"$out" &&
    ok "the week the app login broke flags digital/login" || no "login week" "$out"

# ---- usage errors ----
R digest --send >/dev/null 2>&1
[ $? = 2 ] && ok "--send without --to: exit 2" || no "--send alone"
R digest --send --to 'chef@example.se>,x' >/dev/null 2>&1
[ $? = 2 ] && ok "a bad address: exit 2" || no "bad address"
R digest --week-ending 2026-13-01 >/dev/null 2>&1
[ $? = 2 ] && ok "a bad date: exit 2" || no "bad date"
[ "$(q "SELECT count(*) FROM outbox")" = 0 ] && ok "nothing queued by them" ||
    no "outbox after errors" "$(q 'SELECT * FROM outbox')"

# ---- --send, then notifications send to a sink ----
cp "$db" "$T/server.db"
out=$(R digest --week-ending 2026-10-31 --send --to chef@example.se 2>&1 >/dev/null)
grep -q "^1 digest e-mail queued$" <<<"$out" && ok "--send queues one e-mail" ||
    no "--send" "$out"
[ "$(q "SELECT kind, target, event, state FROM outbox")" = "email|chef@example.se|digest.weekly|0" ] &&
    ok "the outbox holds it: e-mail to chef@example.se, digest.weekly, pending" ||
    no "outbox row" "$(q 'SELECT id, kind, target, event, state FROM outbox')"
[ "$(q "SELECT count(*) FROM loop_rules")" = 0 ] &&
    ok "no loop document is loaded" || no "no loop document" "$(q 'SELECT count(*) FROM loop_rules' 2>&1)"

# mail_text JSON: the text of a sink's mail (base64 body after the
# headers; its lines end in CRLF)
mail_text() {
    json_get "$1" '$.data' | tr -d '\r' | awk 'f { print } /^$/ { f = 1 }' |
        base64 -d 2>/dev/null | tr -d '\r'
}

if ! command -v node >/dev/null; then
    for what in "the sink listens" "notifications send delivers it" \
        "the sink got one mail to chef@example.se" "its body holds the week's NPS" \
        "the server queues the last week's digest once" "the sink gets it"; do
        n=$((n + 1))
        echo "ok $n - $what # SKIP needs node"
    done
    tap_done
    exit
fi
node "$HERE/loop_sinks.js" "$T/sink" 2>"$T/sink.err" &
SINK_PID=$!
for _ in $(seq 100); do [ -s "$T/sink/ports.json" ] && break; sleep 0.1; done
SMTP_PORT=$(json_get "$(cat "$T/sink/ports.json" 2>/dev/null)" '$.smtp')
[ -n "$SMTP_PORT" ] && ok "the sink listens" || no "sink" "$(cat "$T/sink.err")"
out=$(R notifications send --smtp "smtp://127.0.0.1:$SMTP_PORT" \
    --mail-from resonans@example.se 2>&1)
grep -q "^1 sent, 0 to be retried, 0 dead$" <<<"$out" &&
    [ "$(q "SELECT state, attempts FROM outbox")" = "1|1" ] &&
    ok "notifications send delivers it" || no "notifications send" "$out"
mails=$(ls "$T/sink"/mail-*.json 2>/dev/null | wc -l)
mail=$(cat "$T/sink/mail-1.json" 2>/dev/null)
[ "$mails" = 1 ] && [ "$(json_get "$mail" '$.to')" = '["chef@example.se"]' ] &&
    ok "the sink got one mail to chef@example.se" ||
    no "one mail to chef" "$mails mails: $(head -c 400 <<<"$mail")"
body=$(mail_text "$mail")
want=$(printf '%.1f' "${nps_digest% *}")
grep -q '^NPS ' <<<"$body" && grep -q -- " $want " <<<"$body" &&
    grep -q 'Veckans nyckeltal' <<<"$body" && grep -q '2026-10-25\.\.2026-10-31' <<<"$body" &&
    ok "its body holds the week and its NPS ($want)" ||
    no "mail body" "want $want: $body"

# ---- the server's schedule ----
# never queued in this database, so the latest Monday 07:00 is due now
db="$T/server.db"
if srv_start "$db" --set rate=0 --set "smtp_url=smtp://127.0.0.1:$SMTP_PORT" \
    --set smtp_from=resonans@example.se --set digest_to=cx@example.se,chef@example.se; then
    for _ in $(seq 100); do
        [ "$(ls "$T/sink"/mail-*.json 2>/dev/null | wc -l)" -ge 3 ] && break
        sleep 0.1
    done
    sleep 1.5 # a few more ticks: nothing more may be queued
    got=$(q "SELECT group_concat(target, ',') FROM (SELECT target FROM outbox
        WHERE event = 'digest.weekly' ORDER BY target)")
    [ "$got" = "chef@example.se,cx@example.se" ] &&
        ok "the server queues the last week's digest once, one e-mail per address" ||
        no "server queues" "$got $(q 'SELECT id, target, state, created FROM outbox') $(cat "$T/serve.err")"
    m2=$(cat "$T/sink/mail-2.json" "$T/sink/mail-3.json" 2>/dev/null)
    [ "$(ls "$T/sink"/mail-*.json | wc -l)" = 3 ] &&
        grep -q 'cx@example.se' <<<"$m2" &&
        mail_text "$(cat "$T/sink/mail-2.json")" | grep -q '^NPS ' &&
        ok "the sink gets it" || no "server's digest mail" "$m2 $(cat "$T/serve.err")"
    srv_stop
    SRV_PID=0
else
    no "the server starts" "$(cat "$T/serve.err")"
    no "the sink gets it"
fi
tap_done
