#!/usr/bin/env bash
# The closed loop end to end, on a running server (docs/closed-loop.md):
# a detractor answers the repair survey through its public page, from a
# signed link; within a second a case exists for the team that owns the
# touchpoint; that team's owner sees it and the other team's owner does
# not; a webhook receiver on loopback (down for the first two tries) gets
# the signed call and the test checks the signature itself with openssl;
# an SMTP sink on loopback gets the team's e-mail; resolving the case
# sends the recovery survey to the customer, whose answer shows up in the
# recovery rate. Then nothing is lost to a SIGKILL: with the receiver
# down, new cases' webhooks wait in the outbox, the server is killed,
# and after a restart every one of them is delivered.
# Receivers: tests/e2e/loop_sinks.js (node). Prints TAP.
# Usage: loop_server.sh RESONANS_BIN
set -u
BIN=${1:?usage: loop_server.sh RESONANS_BIN}
T=$(mktemp -d)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/tap.sh"
. "$HERE/server_lib.bash"
SINK_PID=0
cleanup() {
    kill -9 "${SRV_PID:-0}" 2>/dev/null
    kill "$SINK_PID" 2>/dev/null
    cp "$T/serve.err" /tmp/loop_serve.err 2>/dev/null; rm -rf "$T"
}
trap cleanup EXIT
if ! command -v node >/dev/null || ! command -v openssl >/dev/null; then
    echo "1..0 # SKIP needs node and openssl"
    exit 0
fi
db="$T/loop.db"
SECRET="hemlig-nyckel-för-webhooks-42"
is() { [ "$(status_of "$2")" = "$1" ]; }
expect() {
    if is "$2" "$3"; then ok "$1"; else no "$1" "$(tail -n 12 <<<"$3" | cut -c 1-300)"; fi
}
# now_ms: milliseconds since the epoch
now_ms() { date +%s%3N; }

# ---- receivers ----
node "$HERE/loop_sinks.js" "$T/sink" --fail-first 2 --down-while "$T/down" \
    2>"$T/sink.err" &
SINK_PID=$!
for _ in $(seq 100); do [ -s "$T/sink/ports.json" ] && break; sleep 0.1; done
HOOK_PORT=$(json_get "$(cat "$T/sink/ports.json")" '$.http')
SMTP_PORT=$(json_get "$(cat "$T/sink/ports.json")" '$.smtp')
[ -n "$HOOK_PORT" ] && [ -n "$SMTP_PORT" ] && ok "webhook and SMTP receivers listen" ||
    no "receivers listen" "$(cat "$T/sink.err")"

# ---- data, users, rules ----
check "database with journeys, customers, responses and an admin" srv_db "$db"
printf 'id,segment,email\nK-LOOP-1,Student,kund.ett@example.se\n' >"$T/c.csv"
check "a customer with an e-mail address" \
    "$BIN" --db "$db" import customers "$T/c.csv" --quiet
printf 'fs-pass-123\n' | "$BIN" --db "$db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null &&
    printf 'ks-pass-123\n' | "$BIN" --db "$db" user add ks --role owner \
        --touchpoints kundservice_tel --password-stdin >/dev/null &&
    ok "owners of reparation (Fastighetsskötsel) and kundservice_tel (Kundservice)" ||
    no "owners added"
cat >"$T/loop.json" <<EOF
{"rules": [
  {"key": "detractor_repair", "name": "Missnöjd efter reparation",
   "when": {"touchpoints": ["reparation"], "nps_max": 6},
   "priority": "high", "sla_hours": 8}],
 "teams": {"Fastighetsskötsel": {"email": "drift@example.se",
                                 "escalate_to": "Förvaltningschef"},
           "Förvaltningschef": {"email": "chef@example.se"},
           "Kundservice": {"email": "ks@example.se"}},
 "notify": {"email": {"mode": "immediate"},
            "webhooks": [{"url": "http://127.0.0.1:$HOOK_PORT/hook",
                          "secret": "$SECRET", "events": ["case.opened"]}],
            "retry_seconds": 1, "max_attempts": 20},
 "recovery": {"survey": "aterkoppling"}}
EOF

srv_start "$db" --set rate=0 --set "smtp_url=smtp://127.0.0.1:$SMTP_PORT" \
    --set smtp_from=resonans@example.se || {
    no "server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
}
ok "server starts"
JAR="$T/admin.jar"
srv_login admin admin-pass-1 "$JAR" && ok "admin signs in" || no "admin signs in"
out=$(api PUT /api/rules -H 'Content-Type: application/json' \
    --data-binary @"$T/loop.json")
expect "PUT /api/rules loads the loop document (200)" 200 "$out"
[ "$(json_get "$(body_of "$out")" '$.rules[0].key')" = detractor_repair ] &&
    ok "the rules answer lists the rule" || no "rules listed" "$out"
out=$(api PUT /api/rules -H 'Content-Type: application/json' \
    -d '{"rules":[{"key":"x","when":{"nps_max":11},"sla_hours":8}]}')
expect "a bad rule is refused (400)" 400 "$out"
[ "$(json_get "$(body_of "$out")" '$.error.field')" = "rules[0].when.nps_max" ] &&
    ok "the error names the JSON path" || no "error names the path" "$out"
out=$(api POST /api/surveys --data-binary @data/surveys/repair.json)
expect "the repair survey (201)" 201 "$out"
cat >"$T/recovery.json" <<'EOF'
{"key": "aterkoppling", "name": {"sv": "Hur gick det?", "en": "How did we do?"},
 "languages": ["sv", "en"], "audience": "customer",
 "questions": [{"key": "csat", "type": "csat", "required": true,
   "prompt": {"sv": "Hur nöjd är du med hur vi tog hand om ditt ärende?",
              "en": "How satisfied are you with how we handled your case?"}}]}
EOF
out=$(api POST /api/surveys --data-binary @"$T/recovery.json")
expect "the recovery survey (201)" 201 "$out"

# ---- a detractor answers through the public page ----
out=$(api GET "/api/surveys/repair/link?touchpoint=reparation&ref=K-LOOP-1")
link=$(json_get "$(body_of "$out")" '$.url')
sig=$(sed -n 's/.*[?&]sig=\([^&]*\).*/\1/p' <<<"$link")
[ -n "$sig" ] && ok "a signed link for customer K-LOOP-1" || no "signed link" "$out"
page=$(curl -s "$link")
grep -q '<form' <<<"$page" && ok "the survey page opens" || no "survey page" "$page"
t0=$(now_ms)
out=$(anon POST /s/repair -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-urlencode touchpoint=reparation --data-urlencode ref=K-LOOP-1 \
    --data-urlencode "sig=$sig" --data-urlencode token=loop-1 \
    --data-urlencode nps=2 \
    --data-urlencode 'why=Ingen kom för att laga diskmaskinen på tre veckor. Dålig service, helt oacceptabelt!')
expect "the detractor's answer is taken (thank-you page, 200)" 200 "$out"

# ---- the case, within a second, for the right team only ----
FS="$T/fs.jar" KS="$T/ks.jar"
srv_login fs fs-pass-123 "$FS" && FS_CSRF=$CSRF && ok "fs signs in" || no "fs signs in"
srv_login ks ks-pass-123 "$KS" && KS_CSRF=$CSRF && ok "ks signs in" || no "ks signs in"
case_id=""
for _ in $(seq 100); do
    out=$(JAR=$FS CSRF=$FS_CSRF api GET /api/cases)
    case_id=$(json_get "$(body_of "$out")" '$.cases[0].id')
    [ -n "$case_id" ] && break
    sleep 0.02
done
t1=$(now_ms)
[ -n "$case_id" ] && [ $((t1 - t0)) -lt 1000 ] &&
    ok "a case exists $((t1 - t0)) ms after the answer (under a second)" ||
    no "case within a second" "$((t1 - t0)) ms: $out"
b=$(body_of "$out")
[ "$(json_get "$b" '$.cases[0].team')" = "Fastighetsskötsel" ] &&
    [ "$(json_get "$b" '$.cases[0].priority')" = high ] &&
    [ "$(json_get "$b" '$.cases[0].touchpoint')" = reparation ] &&
    ok "for Fastighetsskötsel, high priority, at reparation" || no "case fields" "$b"
out=$(JAR=$KS CSRF=$KS_CSRF api GET /api/cases)
[ "$(json_get "$(body_of "$out")" '$.cases')" = "[]" ] &&
    ok "the other team's owner sees no case" || no "ks sees none" "$out"
out=$(JAR=$KS CSRF=$KS_CSRF api GET "/api/cases/$case_id")
expect "nor can open it (404)" 404 "$out"
out=$(JAR=$KS CSRF=$KS_CSRF api POST "/api/cases/$case_id/resolve")
expect "nor resolve it (404)" 404 "$out"
out=$(JAR=$FS CSRF=$FS_CSRF api GET "/api/cases/$case_id")
b=$(body_of "$out")
grep -q "diskmaskinen" <<<"$(json_get "$b" '$.comments[0].text')" &&
    [ "$(json_get "$b" '$.comments[0].sentiment')" = negative ] &&
    ok "the case shows the customer's words and their analysis" ||
    no "case shows words" "$b"

# ---- the webhook: refused twice, then delivered and signed ----
for _ in $(seq 150); do [ -s "$T/sink/hook-3.json" ] && break; sleep 0.1; done
if [ -s "$T/sink/hook-3.json" ]; then
    h1=$(json_get "$(cat "$T/sink/hook-1.json")" '$.status')
    h2=$(json_get "$(cat "$T/sink/hook-2.json")" '$.status')
    h3=$(cat "$T/sink/hook-3.json")
    [ "$h1" = 503 ] && [ "$h2" = 503 ] && [ "$(json_get "$h3" '$.status')" = 200 ] &&
        ok "the webhook came again after two refusals and was taken" ||
        no "webhook retries" "$h1 $h2 $h3"
    body=$(json_get "$h3" '$.body')
    sighdr=$(json_get "$h3" '$.headers."x-resonans-signature"')
    ts=$(sed -n 's/^t=\([0-9]*\),v1=.*/\1/p' <<<"$sighdr")
    v1=$(sed -n 's/.*,v1=\([0-9a-f]*\)$/\1/p' <<<"$sighdr")
    mine=$(printf '%s.%s' "$ts" "$body" |
        openssl dgst -sha256 -hmac "$SECRET" | sed 's/.*= *//')
    [ -n "$v1" ] && [ "$v1" = "$mine" ] &&
        ok "its HMAC-SHA256 signature checks (openssl)" ||
        no "signature" "header $sighdr, computed $mine"
    now=$(date +%s)
    [ $((now - ts)) -lt 60 ] && ok "signed with the time of the try" ||
        no "signature time" "$ts vs $now"
    [ "$(json_get "$body" '$.event')" = case.opened ] &&
        [ "$(json_get "$body" '$.case.id')" = "$case_id" ] &&
        ok "the body names the event and the case" || no "webhook body" "$body"
else
    no "the webhook arrived (3 tries)" "$(ls "$T/sink"; cat "$T/serve.err" | tail -5)"
fi

# ---- the team's e-mail ----
mail=""
for _ in $(seq 100); do
    for f in "$T"/sink/mail-*.json; do
        [ -s "$f" ] || continue
        [ "$(json_get "$(cat "$f")" '$.to[0]')" = drift@example.se ] && mail=$(cat "$f")
    done
    [ -n "$mail" ] && break
    sleep 0.1
done
[ -n "$mail" ] && ok "the SMTP sink got the team's e-mail" || no "team e-mail" "$(ls "$T/sink")"
grep -q '^Subject: ' <<<"$(json_get "$mail" '$.data')" &&
    ok "with a subject" || no "e-mail subject" "$mail"

# mail_text JSON: the text of a sink's mail (base64 body after the
# headers; its lines end in CRLF)
mail_text() {
    json_get "$1" '$.data' | tr -d '\r' | awk 'f { print } /^$/ { f = 1 }' |
        base64 -d 2>/dev/null | tr -d '\r'
}

# ---- resolve: the recovery survey goes out, and its answer counts ----
out=$(JAR=$FS CSRF=$FS_CSRF api POST "/api/cases/$case_id/contact" \
    -H 'Content-Type: application/json' -d '{"note":"Ringde kunden."}')
expect "fs contacts the customer (200)" 200 "$out"
out=$(JAR=$FS CSRF=$FS_CSRF api POST "/api/cases/$case_id/contact")
expect "contacting twice is allowed, the first contact is kept (200)" 200 "$out"
out=$(JAR=$FS CSRF=$FS_CSRF api POST "/api/cases/$case_id/resolve" \
    -H 'Content-Type: application/json' -d '{"note":"Diskmaskinen lagad."}')
expect "fs resolves the case (200)" 200 "$out"
b=$(body_of "$out")
[ "$(json_get "$b" '$.case.status')" = resolved ] &&
    [ "$(json_get "$b" '$.case.recovery_survey')" = aterkoppling ] &&
    ok "resolved, the recovery survey sent" || no "resolved" "$b"
out=$(JAR=$FS CSRF=$FS_CSRF api POST "/api/cases/$case_id/contact")
expect "a resolved case cannot be contacted again (409)" 409 "$out"
rmail=""
for _ in $(seq 100); do
    for f in "$T"/sink/mail-*.json; do
        [ -s "$f" ] || continue
        [ "$(json_get "$(cat "$f")" '$.to[0]')" = kund.ett@example.se ] && rmail=$(cat "$f")
    done
    [ -n "$rmail" ] && break
    sleep 0.1
done
rlink=$(mail_text "$rmail" | grep -o 'http://[^ ]*/s/aterkoppling?[^ ]*' | head -n 1)
[ -n "$rlink" ] && ok "the customer's e-mail holds the recovery survey's link" ||
    no "recovery e-mail" "$rmail $(sqlite3 "$db" "SELECT id, kind, target, event, state, attempts, last_error FROM outbox")"
rsig=$(sed -n 's/.*[?&]sig=\([^&]*\).*/\1/p' <<<"$rlink")
page=$(curl -s "$rlink")
grep -q '<form' <<<"$page" && ok "the recovery survey opens from it" ||
    no "recovery page" "$rlink $(mail_text "$rmail") $page"
out=$(anon POST /s/aterkoppling -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-urlencode touchpoint=reparation --data-urlencode ref=K-LOOP-1 \
    --data-urlencode "sig=$rsig" --data-urlencode token=loop-rec-1 \
    --data-urlencode csat=5)
expect "the customer answers it (200)" 200 "$out"
rate=""
for _ in $(seq 50); do
    out=$(api GET "/api/cases/metrics?by=team")
    b=$(body_of "$out")
    rate=$(json_sql "$b" "SELECT json_extract(value,'\$.recovered_pct.value') || ' ' ||
        json_extract(value,'\$.recovered_pct.n') FROM doc,
        json_each(doc.j,'\$.metrics') WHERE json_extract(value,'\$.group') = 'Fastighetsskötsel'")
    [ "$rate" = "100.0 1" ] && break
    sleep 0.1
done
[ "$rate" = "100.0 1" ] && ok "the answer shows in the recovery rate (100%, n 1)" ||
    no "recovery rate" "$rate: $b"
out=$(JAR=$FS CSRF=$FS_CSRF api GET /api/cases)
[ "$(json_get "$(body_of "$out")" '$.cases[1].id')" = "" ] &&
    ok "the recovery answer opened no case of its own" || no "no second case" "$out"
out=$(api GET /api/audit)
grep -q '"case.resolve"' <<<"$out" && grep -q '"fs"' <<<"$out" &&
    ok "the audit log names fs resolving the case" || no "audit" "$(tail -c 600 <<<"$out")"

# ---- SIGKILL with webhooks pending ----
touch "$T/down"
before=$(ls "$T"/sink/hook-*.json | wc -l)
for i in 1 2 3 4 5; do
    out=$(anon POST /api/public/surveys/repair/responses \
        -H 'Content-Type: application/json' \
        -d "{\"touchpoint\":\"reparation\",\"client_token\":\"kill-$i\",\"answers\":{\"nps\":1}}")
    is 201 "$out" || no "detractor $i taken" "$out"
done
pending=0
for _ in $(seq 100); do
    pending=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE kind='webhook' AND state=0" 2>/dev/null)
    [ "${pending:-0}" -ge 5 ] && break
    sleep 0.05
done
[ "${pending:-0}" -ge 5 ] && ok "five webhooks wait in the outbox while the receiver is down" ||
    no "webhooks pending" "$pending"
sleep 1.2 # at least one refused try each
kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
ok "the server is killed with SIGKILL"
left=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE kind='webhook' AND state=0")
[ "$left" -ge 5 ] && ok "after the kill $left webhooks are still pending" || no "still pending" "$left"
rm -f "$T/down"
srv_start "$db" --set rate=0 --set "smtp_url=smtp://127.0.0.1:$SMTP_PORT" \
    --set smtp_from=resonans@example.se && ok "the server restarts" ||
    no "restart" "$(tail -5 "$T/serve.err")"
sent=""
for _ in $(seq 200); do
    sent=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE kind='webhook' AND state=0")
    [ "$sent" = 0 ] && break
    sleep 0.1
done
[ "$sent" = 0 ] && ok "after the restart every webhook is delivered" ||
    no "delivered after restart" "$sent pending"
cases=$(sqlite3 "$db" "SELECT group_concat(id) FROM (SELECT id FROM cases ORDER BY id)")
got=$(for f in "$T"/sink/hook-*.json; do
    h=$(cat "$f")
    [ "$(json_get "$h" '$.status')" = 200 ] &&
        json_get "$(json_get "$h" '$.body')" '$.case.id'
done | sort -un | paste -sd, -)
[ "$got" = "$cases" ] && ok "the receiver took one call for each case ($got)" ||
    no "every case's webhook taken" "cases $cases, taken $got"
srv_stop
tap_done
