#!/usr/bin/env bash
# The HTTP API end to end, on a server over the demo's data: health and
# the OpenAPI document; a survey defined, read, replaced and removed,
# with its link, QR code and embed snippet; submissions as JSON (a
# client token's retry is a duplicate, not a second response) and as a
# posted form (a thank-you page, or the page again with the error);
# responses listed with filters and a cursor, exported as CSV and JSON
# Lines; bulk customers, events and responses (one bad line stores
# nothing); every analysis; /metrics; redaction of comments; the audit
# log; erasing a customer; and a graceful stop under load that keeps
# every acknowledged submission. JSON is read with sqlite3's JSON
# functions (server_lib.bash), not jq.
# Prints TAP. Usage: server_api.sh RESONANS_BIN
set -u
BIN=${1:?usage: server_api.sh RESONANS_BIN}
T=$(mktemp -d)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/tap.sh"
. "$HERE/server_lib.bash"
cleanup() {
    touch "$T/stop"
    kill -9 "${SRV_PID:-0}" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
db="$T/api.db"
JAR="$T/jar"

# is STATUS OUTPUT: the status api/anon/bearer printed last is STATUS
is() { [ "$(status_of "$2")" = "$1" ]; }
# expect NAME STATUS OUTPUT: one TAP line on the status
expect() {
    if is "$2" "$3"; then ok "$1"; else no "$1" "$(tail -n 12 <<<"$3" | cut -c 1-300)"; fi
}
# count_all [ARGS]: responses the metrics analysis counts (waits for none)
count_all() {
    json_get "$(body_of "$(api GET "/api/analyses/metrics?metric=count$*")")" \
        '$.responses'
}
# stored_total: resonans_submissions_total{outcome="stored"} of /metrics
stored_total() {
    curl -s "$URL/metrics" |
        sed -n 's/^resonans_submissions_total{outcome="stored"} //p'
}
# submit JSON: a JSON submission of survey "api"
submit() {
    anon POST /api/public/surveys/api/responses \
        -H 'Content-Type: application/json' -d "$1"
}

check "database with journeys, customers, responses and an admin" srv_db "$db"
check "the demo's events imported" "$BIN" --db "$db" import events "$T/demo/events.csv" --quiet
srv_start "$db" --set rate=0 || {
    no "server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
}
ok "server starts"
srv_login admin admin-pass-1 "$JAR" && ok "admin signs in" || no "admin signs in"
# two touchpoints with responses, the one with most first
read -r tp tp2 <<<"$(sqlite3 "$db" "SELECT t.key FROM responses r JOIN touchpoints t ON t.id = r.touchpoint_id GROUP BY t.id ORDER BY count(*) DESC, t.key LIMIT 2" | tr '\n' ' ')"
total=$(sqlite3 "$db" "SELECT count(*) FROM responses")

# ---- health and the document ----
out=$(anon GET /healthz)
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.status')" = ok ] &&
    [ "$(json_get "$(body_of "$out")" '$.responses')" = "$total" ] &&
    ok "/healthz: ok, with the number of responses" || no "/healthz" "$out"
out=$(anon GET /api/openapi.json)
doc=$(body_of "$out")
is 200 "$out" && json_valid "$doc" && ok "/api/openapi.json is valid JSON" ||
    no "/api/openapi.json is valid JSON" "$(head -c 300 <<<"$out")"
[ -n "$(json_get "$doc" '$.paths."/api/surveys".post')" ] &&
    [ -n "$(json_get "$doc" '$.paths."/api/surveys".get')" ] &&
    ok "the document has GET and POST /api/surveys" ||
    no "the document has /api/surveys"

# ---- surveys ----
sed 's/"key": "repair"/"key": "api"/' "$HERE/../../data/surveys/repair.json" >"$T/api.json"
sed 's/"key": "repair"/"key": "gone"/' "$HERE/../../data/surveys/repair.json" >"$T/gone.json"
out=$(api POST /api/surveys --data-binary @"$T/api.json")
is 201 "$out" && [ "$(json_get "$(body_of "$out")" '$.key')" = api ] &&
    ok "POST /api/surveys creates survey api (201)" || no "survey created" "$out"
out=$(api POST /api/surveys --data-binary @"$T/api.json")
expect "creating it again is a conflict (409)" 409 "$out"
out=$(api GET /api/surveys/api)
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.definition.questions[0].key')" = nps ] &&
    ok "GET /api/surveys/api gives its definition" || no "GET survey" "$out"
sed 's/"After the repair"/"After the repair (v2)"/' "$T/api.json" >"$T/api2.json"
out=$(api PUT /api/surveys/api --data-binary @"$T/api2.json")
got=$(json_get "$(body_of "$(api GET /api/surveys/api)")" '$.definition.name.en')
is 200 "$out" && [ "$got" = "After the repair (v2)" ] &&
    ok "PUT replaces it (200) and GET shows the new one" ||
    no "PUT replaces the survey" "$out
name now: $got"
out=$(api PUT /api/surveys/other --data-binary @"$T/api2.json")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = key ] &&
    ok "PUT with another key in the body: 400, field key" || no "PUT key mismatch" "$out"
out=$(api POST /api/surveys -d '{"key":"bad","name":{"en":"B"},"languages":["en"],"questions":[{"key":"q","type":"rating","scale":99,"prompt":{"en":"Q?"}}]}')
b=$(body_of "$out")
is 400 "$out" && [ "$(json_get "$b" '$.error.code')" = invalid ] &&
    [ "$(json_get "$b" '$.error.field')" = "questions[0].scale" ] &&
    ok "a bad definition: 400 JSON naming the field questions[0].scale" ||
    no "bad definition: 400 with field" "$out"
out=$(api POST /api/surveys -d '{"key":')
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.code')" = invalid ] &&
    ok "a definition that is not JSON: 400 JSON error" || no "broken JSON definition" "$out"
out=$(api POST /api/surveys --data-binary @"$T/gone.json")
out=$(api DELETE /api/surveys/gone)
out2=$(api GET /api/surveys/gone)
is 204 "$out" && is 404 "$out2" &&
    [ "$(json_get "$(body_of "$out2")" '$.error.code')" = not_found ] &&
    ok "DELETE removes a survey (204, then GET 404)" || no "DELETE survey" "$out
$out2"
out=$(anon GET "/s/gone?touchpoint=$tp")
expect "its public page is gone too (404)" 404 "$out"

# ---- link, QR code, embed ----
out=$(api GET "/api/surveys/api/link?touchpoint=$tp&ref=K000001")
url=$(json_get "$(body_of "$out")" '$.url')
is 200 "$out" && [[ "$url" == "$URL/s/api?touchpoint=$tp&ref=K000001&sig="?* ]] &&
    ok "link: the survey's URL with touchpoint, ref and sig" || no "link" "$out"
out=$(anon GET "${url#"$URL"}")
is 200 "$out" && grep -q '<form' <<<"$out" &&
    ok "the link opens the survey page" || no "link opens" "$(tail -n 5 <<<"$out")"
out=$(api GET "/api/surveys/api/link")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = touchpoint ] &&
    ok "link without a touchpoint: 400, field touchpoint" || no "link needs touchpoint" "$out"
out=$(api GET "/api/surveys/api/qr.svg?touchpoint=$tp")
is 200 "$out" && grep -q '<svg' <<<"$out" && ok "qr.svg is an <svg>" ||
    no "qr.svg" "$(head -c 300 <<<"$out")"
out=$(api GET "/api/surveys/api/embed?touchpoint=$tp")
is 200 "$out" && grep -q "<iframe src=\"$URL/s/api?touchpoint=$tp\"" <<<"$out" &&
    ok "embed is an <iframe> of the survey" || no "embed" "$(head -c 300 <<<"$out")"
out=$(api GET "/api/surveys/nosuch/link?touchpoint=$tp")
expect "link of an unknown survey: 404" 404 "$out"

# ---- JSON submissions ----
n0=$(count_all)
s0=$(stored_total)
[ "$n0" = "$total" ] && ok "metrics counts the $total responses" ||
    no "metrics counts the responses" "$n0 instead of $total"
sub1="{\"touchpoint\":\"$tp\",\"client_token\":\"api-1\",\"answers\":{\"nps\":9,\"comment\":\"Ring mig på 070-123 45 67 eller mejla eva.svensson@example.com\"}}"
out=$(submit "$sub1")
is 201 "$out" && [ "$(json_get "$(body_of "$out")" '$.duplicate')" = 0 ] &&
    [ "$(json_get "$(body_of "$out")" '$.id')" = web-api-1 ] &&
    ok "a JSON submission: 201, duplicate false" || no "JSON submission" "$out"
out=$(submit "$sub1")
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.duplicate')" = 1 ] &&
    ok "the same client_token again: 200, duplicate true" || no "duplicate" "$out"
out=$(submit "{\"touchpoint\":\"$tp\",\"client_token\":\"api-2\",\"answers\":{\"nps\":3}}")
expect "a second submission: 201" 201 "$out"
check "the column store catches up" wait_rows $((total + 2))
n1=$(count_all)
[ "$n1" = $((n0 + 2)) ] && ok "metrics counts 2 more: the duplicate was not stored" ||
    no "duplicate not stored" "metrics counts $n1, was $n0"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id = 'web-api-1'")" = 1 ] &&
    ok "the database holds web-api-1 once" || no "web-api-1 once"
s1=$(stored_total)
[ -n "$s0" ] && [ "$s1" = $((s0 + 2)) ] &&
    ok "/metrics resonans_submissions_total{outcome=\"stored\"} moved by 2" ||
    no "/metrics counts the submissions" "before '$s0', after '$s1'"
curl -s "$URL/metrics" | grep -q '^resonans_submissions_total{outcome="duplicate"} 1$' &&
    ok "/metrics counts the duplicate" || no "/metrics counts the duplicate" "$(curl -s "$URL/metrics" | grep submissions)"
out=$(submit "{\"touchpoint\":\"$tp\",\"client_token\":\"api-bad\",\"answers\":{\"nps\":11}}")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = answers.nps ] &&
    ok "nps 11: 400, field answers.nps" || no "bad answer" "$out"
out=$(submit "{\"touchpoint\":\"$tp\",\"client_token\":\"api-bad\",\"answers\":{\"comment\":\"Ingen nps\"}}")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = answers.nps ] &&
    ok "a missing required answer: 400, field answers.nps" || no "missing answer" "$out"
out=$(submit "{\"touchpoint\":\"$tp\",\"answers\":{\"nps\":5},\"extra\":1}")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = extra ] &&
    ok "an unknown member: 400, field extra" || no "unknown member" "$out"
out=$(submit '{"touchpoint":"nosuch","answers":{"nps":5}}')
is 404 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = touchpoint ] &&
    ok "an unknown touchpoint: 404, field touchpoint" || no "unknown touchpoint" "$out"
out=$(submit 'not json')
is 400 "$out" && json_valid "$(body_of "$out")" && ok "a body that is not JSON: 400 JSON" ||
    no "not JSON" "$out"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id = 'web-api-bad'")" = 0 ] &&
    ok "no refused submission is stored" || no "refused ones not stored"

# ---- the posted form ----
form() {
    anon POST /s/api -H 'Content-Type: application/x-www-form-urlencoded' "$@"
}
out=$(form --data-urlencode "touchpoint=$tp" --data-urlencode token=form-1 \
    --data-urlencode nps=8 --data-urlencode 'comment=Snabbt och trevligt')
is 200 "$out" && grep -q 'survey-thanks' <<<"$out" && grep -q 'Tack för att du svarade' <<<"$out" &&
    ok "a posted form: 200 and the thank-you page" || no "posted form" "$(tail -n 8 <<<"$out")"
out=$(form --data-urlencode "touchpoint=$tp" --data-urlencode token=form-2 \
    --data-urlencode 'comment=Glömde nps')
is 422 "$out" && grep -q 'error-summary' <<<"$out" && grep -q 'id="e-nps"' <<<"$out" &&
    grep -q 'Glömde nps' <<<"$out" &&
    ok "without the required answer: 422, the page with the error and the answers given" ||
    no "422 page" "$(grep -E 'error|^[0-9]+$' <<<"$out" | head -5)"
out=$(form --data-urlencode "touchpoint=$tp" --data-urlencode token=form-3 \
    --data-urlencode nps=8 --data-urlencode lang=en)
is 200 "$out" && grep -q 'Thank you for answering' <<<"$out" &&
    ok "lang=en: the English thank-you page" || no "English thanks" "$(tail -n 5 <<<"$out")"
[ "$(sqlite3 "$db" "SELECT group_concat(ext_id) FROM (SELECT ext_id FROM responses WHERE ext_id LIKE 'web-form-%' ORDER BY ext_id)")" = "web-form-1,web-form-3" ] &&
    ok "the two answered forms are stored, the refused one is not" ||
    no "forms stored" "$(sqlite3 "$db" "SELECT ext_id FROM responses WHERE ext_id LIKE 'web-form-%'")"
total=$((total + 4))
check "the column store catches up again" wait_rows "$total"

# ---- redaction ----
out=$(api GET "/api/responses?touchpoint=$tp&limit=1000")
c=$(json_sql "$(body_of "$out")" "SELECT json_extract(value, '\$.comment') FROM doc, json_each(doc.j, '\$.responses') WHERE json_extract(value, '\$.id') = 'web-api-1'")
[ -n "$c" ] && ! grep -qE '070|123 45|eva\.svensson|example\.com' <<<"$c" &&
    ok "the comment comes back with phone number and e-mail redacted" ||
    no "redacted comment" "comment: $c"
echo "# stored comment: $c"
exp=$(curl -s -b "$JAR" "$URL/api/responses/export?format=jsonl")
! grep -qE '070-123|eva\.svensson@' <<<"$exp" && grep -q 'web-api-1' <<<"$exp" &&
    ok "the export has it redacted too" || no "export redacted"

# ---- listing, filters, cursor ----
all=""
next=""
pages=0
while :; do
    out=$(api GET "/api/responses?limit=37${next:+&after=$next}")
    is 200 "$out" || break
    b=$(body_of "$out")
    all+=$(json_sql "$b" "SELECT json_extract(value, '\$.id') FROM doc, json_each(doc.j, '\$.responses')")$'\n'
    pages=$((pages + 1))
    next=$(json_get "$b" '$.next')
    [ -z "$next" ] && break
    [ "$pages" -gt 50 ] && break
done
all=$(sed '/^$/d' <<<"$all")
n_ids=$(wc -l <<<"$all")
n_uniq=$(sort -u <<<"$all" | wc -l)
[ "$pages" -eq $(((total + 36) / 37)) ] && ok "limit=37 pages through $total responses in $pages pages" ||
    no "pages" "$pages pages for $total responses; last: $(tail -n 3 <<<"$out")"
[ "$n_ids" -eq "$n_uniq" ] && ok "the pages do not overlap" || no "pages overlap" "$n_ids ids, $n_uniq distinct"
db_ids=$(sqlite3 "$db" "SELECT ext_id FROM responses" | sort)
[ "$(sort <<<"$all")" = "$db_ids" ] && ok "together they are every response" ||
    no "pages give all" "$(diff <(sort <<<"$all") <(echo "$db_ids") | head -5)"
out=$(api GET "/api/responses?touchpoint=$tp&limit=1000")
b=$(body_of "$out")
tps=$(json_sql "$b" "SELECT DISTINCT json_extract(value, '\$.touchpoint') FROM doc, json_each(doc.j, '\$.responses')")
n_tp=$(json_get "$b" '$.count')
[ "$tps" = "$tp" ] && [ "$n_tp" = "$(count_all "&where=touchpoint=$tp")" ] &&
    ok "?touchpoint=$tp gives its $n_tp responses only" || no "touchpoint filter" "touchpoints: $tps; count $n_tp"
from=$(sqlite3 "$db" "SELECT date(ts, 'unixepoch') FROM responses ORDER BY ts LIMIT 1 OFFSET 50")
to=$(sqlite3 "$db" "SELECT date(ts, 'unixepoch') FROM responses ORDER BY ts LIMIT 1 OFFSET 120")
b=$(body_of "$(api GET "/api/responses?from=$from&to=$to&limit=1000")")
days=$(json_sql "$b" "SELECT substr(json_extract(value, '\$.submitted_at'), 1, 10) FROM doc, json_each(doc.j, '\$.responses')")
n_ft=$(json_get "$b" '$.count')
bad=$(awk -v f="$from" -v t="$to" '$0 < f || $0 > t' <<<"$days" | head -3)
[ "${n_ft:-0}" -gt 0 ] && [ "$n_ft" -lt "$total" ] && [ -z "$bad" ] &&
    ok "?from=$from&to=$to: $n_ft responses, all in those days" ||
    no "from/to filter" "count $n_ft of $total; outside: $bad"
out=$(api GET "/api/responses?from=yesterday")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = from ] &&
    ok "a bad date: 400, field from" || no "bad from" "$out"
out=$(api GET "/api/responses?limit=0")
is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = limit ] &&
    ok "limit=0: 400, field limit" || no "bad limit" "$out"

# ---- export ----
out=$(api GET /api/responses/export?format=csv)
head -n 1 <<<"$out" | grep -q '^id,submitted_at,touchpoint,' && is 200 "$out" &&
    ok "CSV export: 200 with a header" || no "CSV export" "$(head -n 2 <<<"$out")"
lines=$(body_of "$out" | sed '/^$/d' | wc -l)
[ "$lines" -eq $((total + 1)) ] && ok "CSV export: the header and $total lines" ||
    no "CSV export lines" "$lines lines for $total responses"
out=$(api GET /api/responses/export?format=jsonl)
lines=$(body_of "$out" | sed '/^$/d' | wc -l)
first=$(body_of "$out" | head -n 1)
[ "$lines" -eq "$total" ] && json_valid "$first" && ok "JSON Lines export: $total lines of JSON" ||
    no "JSONL export" "$lines lines for $total"
out=$(api GET "/api/responses/export?format=csv&touchpoint=$tp")
lines=$(body_of "$out" | sed '/^$/d' | wc -l)
tps=$(body_of "$out" | sed '/^$/d' | csv_pick touchpoint | sort -u)
[ "$lines" -eq $((n_tp + 1)) ] && [ "$tps" = "$tp" ] && ok "the export takes the touchpoint filter" ||
    no "export filter" "$lines lines for $n_tp; touchpoints: $tps"
out=$(api GET /api/responses/export?format=xml)
expect "format=xml: 400" 400 "$out"

# ---- bulk ----
out=$(api POST /api/customers --data-binary $'{"id":"KB1","segment":"Senior"}\n{"id":"KB2","segment":"Ensamstående"}\n')
is 201 "$out" && [ "$(json_get "$(body_of "$out")" '$.inserted')" = 2 ] &&
    ok "bulk customers: 201, 2 inserted" || no "bulk customers" "$out"
out=$(api POST /api/events --data-binary $'{"customer":"KB1","activity":"contact","time":"2026-11-02T09:00:00Z","channel":"phone"}\n{"customer":"KB2","activity":"contact","time":"2026-11-02T10:00:00Z"}\n')
is 201 "$out" && [ "$(json_get "$(body_of "$out")" '$.inserted')" = 2 ] &&
    ok "bulk events: 201, 2 inserted" || no "bulk events" "$out"
out=$(api POST /api/responses --data-binary "{\"id\":\"RB1\",\"submitted_at\":\"2026-11-02T09:30:00Z\",\"touchpoint\":\"$tp\",\"customer\":\"KB1\",\"nps\":4,\"comment\":\"Mejla mig på kb1@example.org\"}
{\"id\":\"RB2\",\"submitted_at\":\"2026-11-02T10:30:00Z\",\"touchpoint\":\"$tp2\",\"customer\":\"KB2\",\"nps\":10}
")
b=$(body_of "$out")
is 201 "$out" && [ "$(json_get "$b" '$.inserted')" = 2 ] && [ "$(json_get "$b" '$.redacted')" = 1 ] &&
    ok "bulk responses: 201, 2 inserted, 1 redacted" || no "bulk responses" "$out"
out=$(api POST /api/responses --data-binary "{\"id\":\"RB1\",\"submitted_at\":\"2026-11-02T09:30:00Z\",\"touchpoint\":\"$tp\",\"customer\":\"KB1\",\"nps\":4}
")
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.already_present')" = 1 ] &&
    ok "the same response again: 200, already present" || no "bulk again" "$out"
total=$((total + 2))
# an invalid second line: 400 naming body:2:COL, nothing of the body stored
bad_body() { # PATH BODY FIELD-PATTERN NAME
    local out f
    out=$(api POST "$1" --data-binary "$2")
    f=$(json_get "$(body_of "$out")" '$.error.field')
    # shellcheck disable=SC2053 # $3 is a pattern
    if is 400 "$out" && [[ "$f" == $3 ]]; then ok "$4: 400, field $f"; else no "$4: 400 naming the line" "$out"; fi
}
bad_body /api/responses "{\"id\":\"RX1\",\"submitted_at\":\"2026-11-03T10:00:00Z\",\"touchpoint\":\"$tp\",\"nps\":4}
{\"id\":\"RX2\",\"submitted_at\":\"2026-11-03T11:00:00Z\",\"touchpoint\":\"$tp\",\"nps\":99}
" 'body:2:[0-9]*' "bulk responses with nps 99 on line 2"
bad_body /api/responses "{\"id\":\"RX3\",\"submitted_at\":\"2026-11-03T10:00:00Z\",\"touchpoint\":\"$tp\",\"nps\":4}
{\"id\":\"RX4\", nps: 3}
" 'body:2:[0-9]*' "bulk responses with broken JSON on line 2"
bad_body /api/customers $'{"id":"KX1"}\n{"id":"KX2","segment":\n' 'body:2:[0-9]*' "bulk customers with broken JSON on line 2"
bad_body /api/events $'{"customer":"KX3","activity":"contact","time":"2026-11-01T10:00:00Z"}\n{"customer":"KX4","activity":"contact","time":"yesterday"}\n' 'body:2:[0-9]*' "bulk events with a bad time on line 2"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id LIKE 'RX%'") $(sqlite3 "$db" "SELECT count(*) FROM customers WHERE ext_id LIKE 'KX%'") $(sqlite3 "$db" "SELECT count(*) FROM events e JOIN customers c ON c.id = e.customer_id WHERE c.ext_id LIKE 'KX%'")" = "0 0 0" ] &&
    ok "nothing of a refused body is stored" || no "refused bodies stored nothing"
check "the column store has the bulk responses" wait_rows "$total"
out=$(api GET "/api/responses/export?format=jsonl")
grep -q '"id":"RB1"' <<<"$out" && ! grep -q 'kb1@example.org' <<<"$out" &&
    ok "bulk responses are listed, redacted" || no "bulk responses listed" "$(grep RB1 <<<"$out")"

# ---- analyses ----
out=$(api GET /api/analyses)
names=$(json_sql "$(body_of "$out")" "SELECT json_extract(value, '\$.name') FROM doc, json_each(doc.j, '\$.analyses')")
[ "$(wc -w <<<"$names")" -ge 18 ] && ok "GET /api/analyses lists $(wc -w <<<"$names") analyses" ||
    no "analyses listed" "$out"
for a in $names; do
    out=$(api GET "/api/analyses/$a" --max-time 20)
    st=$(status_of "$out")
    b=$(body_of "$out")
    msg=$(json_get "$b" '$.error.message' | head -n 1)
    if [ "$st" = 200 ] && json_valid "$b"; then
        ok "analysis $a: 200 JSON"
    elif [ "$st" = 400 ] && [ -n "$msg" ] && [[ "$msg" != *$'\n'* ]] &&
        [[ "$(json_get "$b" '$.error.code')" =~ ^(invalid|not_found)$ ]]; then
        ok "analysis $a: 400 ($msg)"
    else
        no "analysis $a: 200 JSON or a clear 400" "$(head -c 400 <<<"$out")"
    fi
done
out=$(api GET "/api/analyses/metrics?by=stage")
b=$(body_of "$out")
is 200 "$out" && [ "$(json_get "$b" '$.by[0]')" = stage ] &&
    [ "$(json_sql "$b" "SELECT count(*) FROM doc, json_each(doc.j, '\$.cells')")" -ge 3 ] &&
    ok "metrics?by=stage: a cell per stage" || no "metrics by stage" "$(head -c 300 <<<"$out")"
out=$(api GET "/api/analyses/compare?a=touchpoint=$tp&b=touchpoint=$tp2")
b=$(body_of "$out")
is 200 "$out" && [ -n "$(json_get "$b" '$.tests[0].metric')" ] &&
    ok "compare a=$tp b=$tp2: 200 with tests" || no "compare" "$(head -c 300 <<<"$out")"
for a in themes verbatims summary; do
    out=$(api GET "/api/analyses/$a")
    is 200 "$out" && json_valid "$(body_of "$out")" && ok "$a: 200 JSON" ||
        no "$a succeeds" "$(head -c 300 <<<"$out")"
done
b=$(body_of "$(api GET /api/analyses/verbatims)")
! grep -qE '070-123|eva\.svensson@|kb1@example' <<<"$b" &&
    ok "verbatims show no phone number or e-mail" || no "verbatims redacted"
[ "$(json_get "$(body_of "$(api GET /api/analyses/summary)")" '$.counts.responses')" = "$total" ] &&
    ok "summary counts $total responses" || no "summary count"
out=$(api GET /api/analyses/nosuch)
is 404 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.code')" = not_found ] &&
    ok "an unknown analysis: 404" || no "unknown analysis 404" "$out"
for o in db=x out=x format=csv; do
    out=$(api GET "/api/analyses/metrics?$o")
    is 400 "$out" && [ "$(json_get "$(body_of "$out")" '$.error.field')" = "${o%%=*}" ] &&
        ok "?$o is refused: 400" || no "?$o refused" "$out"
done
# a flag's value must not become an option of its own: ?method=--out=F
# would otherwise give the command --method --out=F
out=$(api GET "/api/analyses/journey-map?method=--out%3D$T/smuggled.svg")
is 400 "$out" && [ ! -e "$T/smuggled.svg" ] &&
    ok "--out smuggled in as a flag's value (?method=--out=FILE): 400, no file written" ||
    no "--out smuggled in as a flag's value (?method=--out=FILE): 400, no file written" "$(head -c 200 <<<"$out")
file written: $(ls "$T/smuggled.svg" 2>&1)"
out=$(api GET "/api/analyses/metrics?method=--timing")
expect "--timing smuggled in as a flag's value: 400" 400 "$out"
out=$(api GET "/api/analyses/metrics?bogus=1")
expect "an unknown option: 400" 400 "$out"

# ---- audit ----
out=$(api GET /api/audit)
b=$(body_of "$out")
acts=$(json_sql "$b" "SELECT json_extract(value, '\$.action') || ' ' || json_extract(value, '\$.subject') || ' ' || json_extract(value, '\$.actor') FROM doc, json_each(doc.j, '\$.entries')")
grep -q '^survey.create api admin$' <<<"$acts" && ok "the audit log has survey.create api by admin" ||
    no "audit survey.create" "$acts"
grep -q '^survey.delete gone ' <<<"$acts" && grep -q '^survey.replace api ' <<<"$acts" &&
    ok "and survey.replace and survey.delete" || no "audit replace/delete" "$acts"

# ---- erasing a customer ----
victim=$(sqlite3 "$db" "SELECT c.ext_id FROM responses r JOIN customers c ON c.id = r.customer_id GROUP BY c.id ORDER BY count(*) DESC, c.ext_id LIMIT 1")
nv=$(sqlite3 "$db" "SELECT count(*) FROM responses r JOIN customers c ON c.id = r.customer_id WHERE c.ext_id = '$victim'")
customer_rows() { # how many responses of /api/responses are $victim's
    json_sql "$(body_of "$(api GET '/api/responses?limit=1000')")" "SELECT count(*) FROM doc, json_each(doc.j, '\$.responses') WHERE json_extract(value, '\$.customer') = '$victim'"
}
[ "$(customer_rows)" = "$nv" ] && ok "customer $victim has $nv responses in the list" ||
    no "victim's responses listed" "$(customer_rows) of $nv"
out=$(api DELETE "/api/customers/$victim")
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.erased')" = "$victim" ] &&
    ok "DELETE /api/customers/$victim: 200" || no "erase" "$out"
right_after=$(customer_rows)
[ "$right_after" = 0 ] && ok "right after, the list has none of theirs" ||
    no "right after the erase, the list still has $right_after of their responses"
total=$((total - nv))
wait_rows "$total" >/dev/null
[ "$(customer_rows)" = 0 ] && ok "their responses are gone from /api/responses" ||
    no "responses gone" "$(customer_rows) left"
! curl -s -b "$JAR" "$URL/api/responses/export?format=csv" | grep -q ",$victim," &&
    ok "and from the export" || no "gone from export"
[ "$(sqlite3 "$db" "SELECT count(*) FROM customers WHERE ext_id = '$victim'")" = 0 ] &&
    ok "the database has no customer $victim" || no "customer row gone"
acts=$(json_sql "$(body_of "$(api GET /api/audit)")" "SELECT json_extract(value, '\$.action') || ' ' || json_extract(value, '\$.actor') FROM doc, json_each(doc.j, '\$.entries')")
grep -q '^customer.erase admin' <<<"$acts" && ok "the audit log has customer.erase by admin" ||
    no "audit customer.erase" "$(tail -n 5 <<<"$acts")"
! api GET /api/audit | grep -q "$victim" && ok "the audit log does not name the erased customer" ||
    no "audit names the erased customer"
out=$(api DELETE "/api/customers/$victim")
expect "erasing them again: 404" 404 "$out"

# ---- the employees' own form ----
out=$(api POST /api/surveys --data-binary @data/surveys/observation.json)
expect "an employee survey (observation.json) is created" 201 "$out"
out=$(api GET "/api/surveys/observation/link?touchpoint=$tp&ref=E042")
elink=$(json_get "$(body_of "$out")" '$.url')
esig=$(sed -n 's/.*[?&]sig=\([^&]*\).*/\1/p' <<<"$elink")
[ -n "$esig" ] && ok "its link signs the employee reference" || no "employee link" "$out"
out=$(anon GET "${elink#"$URL"}")
is 200 "$out" && grep -q 'name="story.title"' <<<"$out" &&
    ok "the employee form opens" || no "employee form" "$(tail -n 3 <<<"$out")"
out=$(curl -s -w '\n%{http_code}\n' -H 'Content-Type: application/json' \
    -d "{\"touchpoint\":\"$tp\",\"ref\":\"E042\",\"sig\":\"$esig\",\"client_token\":\"obs-1\",\"answers\":{\"ces\":2,\"story\":{\"title\":\"Kön\",\"text\":\"Kunden fick vänta en timme på att någon svarade.\"},\"cause\":\"waiting\"}}" \
    "$URL/api/public/surveys/observation/responses")
expect "an employee's observation is stored: 201" 201 "$out"
[ "$(sqlite3 "$db" "SELECT r.kind || ':' || e.ext_id FROM responses r JOIN employees e ON e.id = r.employee_id WHERE r.ext_id = 'web-obs-1'")" = 1:E042 ] &&
    ok "as an employee's response (kind 1), by employee E042" ||
    no "employee response" "$(sqlite3 "$db" "SELECT kind, employee_id, customer_id FROM responses WHERE ext_id = 'web-obs-1'")"

# ---- graceful stop under load ----
worker() { # K: submissions g$K-1, g$K-2, ... until the server is gone
    local k=$1 i=0 code rc
    while [ ! -e "$T/stop" ]; do
        i=$((i + 1))
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
            -H 'Content-Type: application/json' \
            -d "{\"touchpoint\":\"$tp\",\"client_token\":\"g$k-$i\",\"answers\":{\"nps\":$((i % 11))}}" \
            "$URL/api/public/surveys/api/responses")
        rc=$?
        case $code in
        201 | 200) echo "g$k-$i" >>"$T/acked.$k" ;;
        000) # 7: refused, the server is gone; else cut off
            [ "$rc" = 7 ] || echo "g$k-$i curl exit $rc" >>"$T/cut.$k"
            return 0 ;;
        *) echo "g$k-$i $code" >>"$T/other.$k" ;;
        esac
    done
}
reader() { # analyses meanwhile
    while [ ! -e "$T/stop" ]; do
        curl -s -o /dev/null -b "$JAR" --max-time 10 "$URL/api/analyses/metrics?by=touchpoint" ||
            return 0
    done
}
workers=""
for k in 1 2 3 4; do
    worker "$k" &
    workers="$workers $!"
done
reader &
workers="$workers $!"
sleep 1
out=$(submit "{\"touchpoint\":\"$tp\",\"client_token\":\"last-1\",\"answers\":{\"nps\":7}}")
kill -TERM "$SRV_PID"
wait "$SRV_PID"
rc=$?
touch "$T/stop"
for w in $workers; do wait "$w" 2>/dev/null; done
is 201 "$out" && ok "a submission acknowledged just before SIGTERM" || no "last submission" "$out"
[ "$rc" = 0 ] && ok "SIGTERM while requests run: the server exits 0" ||
    no "exit status after SIGTERM" "$rc; $(tail -n 5 "$T/serve.err")"
grep -q 'stopped' "$T/serve.err" && ok "it says it stopped" || no "stopped message" "$(tail -n 3 "$T/serve.err")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id = 'web-last-1'")" = 1 ] &&
    ok "the submission acknowledged just before is stored" || no "last submission stored"
cat "$T"/acked.* 2>/dev/null | sort -u >"$T/acked"
sqlite3 "$db" "SELECT substr(ext_id, 5) FROM responses WHERE ext_id LIKE 'web-g%'" | sort >"$T/stored"
acked=$(wc -l <"$T/acked")
missing=$(comm -23 "$T/acked" "$T/stored" | wc -l)
[ "$acked" -ge 10 ] && [ "$missing" -eq 0 ] &&
    ok "all $acked submissions acknowledged under load are stored" ||
    no "acknowledged under load stored" "$acked acknowledged, $missing missing"
cut=$(cat "$T"/cut.* 2>/dev/null | wc -l)
[ "$cut" -gt 0 ] && echo "# note: $cut submissions were cut off without an answer while stopping: $(cat "$T"/cut.* | tr '\n' ';')"
other=$(cat "$T"/other.* 2>/dev/null | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')
[ -z "$other" ] && ok "no submission got an error status while stopping" ||
    no "no error statuses while stopping" "statuses: $other"
tap_done
