#!/usr/bin/env bash
# Access control of the server: every operation of web/openapi.json
# (read from the served document with sqlite3's JSON functions) refuses
# a caller who is not signed in, except the public ones; roles (an
# analyst is no admin, a touchpoint owner sees their touchpoints only);
# sign-in that does not tell which names exist; session cookie flags;
# CSRF; API tokens (scopes, revoked, garbage); signing out; signed
# customer references in survey links; and the limits on public
# submissions (rate, body size) and on any request's size.
# Prints TAP. Usage: server_access.sh RESONANS_BIN
set -u
BIN=${1:?usage: server_access.sh RESONANS_BIN}
T=$(mktemp -d)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/tap.sh"
. "$HERE/server_lib.bash"
saved_pid=""
cleanup() {
    for p in ${SRV_PID:-} $saved_pid; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
db="$T/acc.db"
JAR="$T/admin.jar"

is() { [ "$(status_of "$2")" = "$1" ]; }
code_of() { json_get "$(body_of "$1")" '$.error.code'; }
# refused NAME STATUS CODE OUTPUT: one TAP line: STATUS with error code CODE
refused() {
    if is "$2" "$4" && [ "$(code_of "$4")" = "$3" ]; then ok "$1"; else no "$1" "$(tail -n 10 <<<"$4")"; fi
}
# as JAR CSRF METHOD PATH [curl args...]: api as another signed-in user
as() {
    local jar=$1 csrf=$2 m=$3 p=$4
    shift 4
    curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -X "$m" -w '\n%{http_code}\n' \
        "$@" "$URL$p"
}
adduser() { # NAME ROLE PASSWORD [options]
    local name=$1 role=$2 pw=$3
    shift 3
    printf '%s\n' "$pw" | "$BIN" --db "$db" user add "$name" --role "$role" \
        --password-stdin "$@" >/dev/null
}

check "database with journeys, customers, responses and an admin" srv_db "$db"
# A: the touchpoint with most responses, B: the next
read -r A B <<<"$(sqlite3 "$db" "SELECT t.key FROM responses r JOIN touchpoints t ON t.id = r.touchpoint_id GROUP BY t.id ORDER BY count(*) DESC, t.key LIMIT 2" | tr '\n' ' ')"
nA=$(sqlite3 "$db" "SELECT count(*) FROM responses r JOIN touchpoints t ON t.id = r.touchpoint_id WHERE t.key = '$A'")
check "an analyst" adduser ana analyst analyst-pass-1
check "an owner of touchpoint $A" adduser ola owner owner-pass-1 --touchpoints "$A"
srv_start "$db" --set rate=0 --set public_body=2048 --set max_body=65536 || {
    no "server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
}
ok "server starts"
srv_login admin admin-pass-1 "$JAR" && ok "admin signs in" || no "admin signs in"
sed 's/"key": "repair"/"key": "acc"/' "$HERE/../../data/surveys/repair.json" >"$T/acc.json"
out=$(api POST /api/surveys --data-binary @"$T/acc.json")
is 201 "$out" && ok "survey acc created" || no "survey acc created" "$out"

# ---- every operation of the document, anonymously ----
doc=$(curl -s "$URL/api/openapi.json")
ops=$(json_sql "$doc" "SELECT upper(m.key), p.key, json_extract(m.value, '\$.security') = '[]' FROM doc, json_each(doc.j, '\$.paths') p, json_each(p.value) m WHERE m.key IN ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')")
n_ops=$(wc -l <<<"$ops")
[ "$n_ops" -ge 30 ] && ok "the document has $n_ops operations" || no "operations in the document" "$ops"
# the public ones, as the server should have them
public() {
    case "$1 $2" in
    "GET /healthz" | "GET /metrics" | "GET /assets/"* | *" /s/"* | *" /api/public/"* | \
        "GET /api/openapi.json" | "POST /api/session") return 0 ;;
    esac
    return 1
}
probe() { # METHOD PATH: anonymously, with an empty JSON object unless GET
    if [ "$1" = GET ]; then
        anon "$1" "$2" --max-time 10
    else
        anon "$1" "$2" -H 'Content-Type: application/json' -d '{}' --max-time 10
    fi
}
while IFS=$'\t' read -r m p doc_public; do
    path=$(sed 's/{survey}/acc/g; s/{name}/metrics/g; s/{id}/K000001/g' <<<"$p")
    if public "$m" "$path"; then
        [ "$doc_public" = 1 ] || no "$m $p is public but the document gives it security"
        out=$(probe "$m" "$path")
        st=$(status_of "$out")
        if [ "$st" != 401 ] && [ "$st" != 403 ] && [ "$st" != 000 ]; then
            ok "anonymous $m $p: public ($st)"
        else
            no "anonymous $m $p is public" "$(tail -n 8 <<<"$out")"
        fi
    else
        [ "$doc_public" = 1 ] && no "$m $p needs a user but the document says security []"
        out=$(probe "$m" "$path")
        refused "anonymous $m $p: 401 unauthenticated" 401 unauthenticated "$out"
    fi
done <<<"$ops"
out=$(anon GET /api/me -b 'resonans_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
refused "a made-up session cookie: 401" 401 unauthenticated "$out"
out=$(anon GET /api/responses -b 'resonans_session=')
refused "an empty session cookie: 401" 401 unauthenticated "$out"
# /metrics is public from loopback only: ask from this host's own
# address when it has one that is not loopback
ip=$( (hostname -I 2>/dev/null || true) | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -n 1)
if [ -n "$ip" ]; then
    saved_pid=$SRV_PID saved_url=$URL saved_port=$(cat "$T/port")
    if srv_start "$db" --set "listen=$ip:0"; then
        other="http://$ip:$(cat "$T/port")"
        st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$other/metrics")
        [ "$st" = 401 ] && ok "/metrics from $ip (not loopback): 401" ||
            no "/metrics from a non-loopback address: 401" "got $st"
        sess=$(awk '$6 == "resonans_session" { print $7 }' "$JAR")
        st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Cookie: resonans_session=$sess" "$other/metrics")
        [ "$st" = 200 ] && ok "/metrics from $ip signed in: 200" || no "/metrics from $ip signed in" "got $st"
        st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$other/healthz")
        [ "$st" = 200 ] && ok "/healthz from $ip: 200" || no "/healthz from $ip" "got $st"
        srv_stop
    else
        no "a server listening on $ip starts" "$(tail -n 3 "$T/serve.err")"
    fi
    SRV_PID=$saved_pid URL=$saved_url saved_pid=""
    echo "$saved_port" >"$T/port"
else
    ok "# SKIP no address other than loopback to ask /metrics from"
fi

# ---- roles ----
JA="$T/ana.jar" JO="$T/ola.jar"
srv_login ana analyst-pass-1 "$JA" && CA=$CSRF && ok "the analyst signs in" || no "analyst signs in"
srv_login ola owner-pass-1 "$JO" && CO=$CSRF && ok "the owner signs in" || no "owner signs in"
srv_login admin admin-pass-1 "$JAR" # CSRF is the admin's again
out=$(as "$JA" "$CA" POST /api/users -d '{"name":"eve","role":"admin","password":"eve-pass-12"}')
refused "an analyst cannot create users: 403" 403 forbidden "$out"
out=$(as "$JA" "$CA" GET /api/audit)
refused "nor read the audit log: 403" 403 forbidden "$out"
out=$(as "$JA" "$CA" DELETE /api/customers/K000001)
refused "nor erase customers: 403" 403 forbidden "$out"
out=$(api POST /api/users -d '{"name":"eve","role":"analyst","password":"eve-pass-12"}')
is 201 "$out" && ok "an admin can (201)" || no "admin creates a user" "$out"
out=$(as "$JA" "$CA" GET /api/analyses/summary)
is 200 "$out" && ok "the analyst reads analyses" || no "analyst reads" "$out"

out=$(as "$JO" "$CO" GET "/api/responses?limit=1000")
b=$(body_of "$out")
tps=$(json_sql "$b" "SELECT DISTINCT json_extract(value, '\$.touchpoint') FROM doc, json_each(doc.j, '\$.responses')")
nn=$(json_get "$b" '$.count')
is 200 "$out" && [ "$tps" = "$A" ] && [ "$nn" = "$nA" ] &&
    ok "the owner of $A lists its $nA responses only" || no "owner's list" "touchpoints: $tps; $nn of $nA"
out=$(as "$JO" "$CO" GET "/api/responses/export?format=csv")
tps=$(body_of "$out" | csv_pick touchpoint | sed '/^$/d' | sort | uniq -c | awk '{print $2 "=" $1}')
[ "$tps" = "$A=$nA" ] && ok "their CSV export has $A's $nA responses only" || no "owner's CSV export" "$tps"
out=$(as "$JO" "$CO" GET "/api/responses/export?format=jsonl")
nn=$(body_of "$out" | grep -c "\"touchpoint\":\"$A\"")
all=$(body_of "$out" | grep -c '"touchpoint"')
[ "$nn" = "$nA" ] && [ "$all" = "$nA" ] && ok "and their JSON Lines export" || no "owner's JSONL export" "$nn of $all"
out=$(as "$JO" "$CO" GET "/api/responses?touchpoint=$B")
refused "?touchpoint=$B in their list: 403" 403 forbidden "$out"
out=$(as "$JO" "$CO" GET "/api/responses/export?touchpoint=$B")
refused "?touchpoint=$B in their export: 403" 403 forbidden "$out"
out=$(as "$JO" "$CO" GET "/api/responses?touchpoint=$A")
is 200 "$out" && ok "?touchpoint=$A: 200" || no "own touchpoint" "$out"
out=$(as "$JO" "$CO" GET "/api/analyses/metrics?metric=count")
nn=$(json_get "$(body_of "$out")" '$.responses')
[ "$nn" = "$nA" ] && ok "their metrics count $A's $nA responses only" || no "owner's metrics" "$nn, not $nA: $(head -c 200 <<<"$out")"
out=$(as "$JO" "$CO" GET "/api/analyses/metrics?metric=count&by=touchpoint")
tps=$(json_sql "$(body_of "$out")" "SELECT json_extract(value, '\$.touchpoint') FROM doc, json_each(doc.j, '\$.cells')")
[ "$tps" = "$A" ] && ok "by touchpoint, their metrics have $A only" || no "owner's metrics by touchpoint" "$tps"
out=$(as "$JO" "$CO" GET "/api/analyses/metrics?metric=count&where=touchpoint=$B")
nn=$(json_get "$(body_of "$out")" '$.responses')
[ "$nn" = 0 ] && ok "?where=touchpoint=$B counts nothing for them" || no "owner's where" "$nn"
out=$(as "$JO" "$CO" GET /api/analyses/verbatims)
tps=$(json_sql "$(body_of "$out")" "SELECT DISTINCT json_extract(value, '\$.touchpoint') FROM doc, json_each(doc.j, '\$.comments')")
[ -z "$tps" ] || [ "$tps" = "$A" ] && is 200 "$out" && ok "their verbatims are $A's only" || no "owner's verbatims" "$tps"
out=$(as "$JO" "$CO" GET /api/analyses/summary)
refused "an analysis over every touchpoint: 403" 403 forbidden "$out"
out=$(as "$JO" "$CO" POST /api/surveys --data-binary @"$T/acc.json")
refused "the owner cannot create surveys: 403" 403 forbidden "$out"
out=$(as "$JO" "$CO" POST /api/responses --data-binary "{\"id\":\"OW1\",\"submitted_at\":\"2026-11-01T10:00:00Z\",\"touchpoint\":\"$A\",\"nps\":5}
")
refused "nor import responses: 403" 403 forbidden "$out"

# ---- signing in ----
login() { curl -s -w '\n%{http_code}\n' -H 'Content-Type: application/json' -d "$1" "$URL/api/session"; }
w=$(login '{"name":"admin","password":"not-the-password"}')
u=$(login '{"name":"nobody-at-all","password":"not-the-password"}')
refused "a wrong password: 401" 401 unauthenticated "$w"
refused "an unknown user: 401" 401 unauthenticated "$u"
[ "$w" = "$u" ] && ok "with the same answer ($(json_get "$(body_of "$w")" '$.error.message'))" ||
    no "the same answer for a wrong password and an unknown name" "$w
$u"
out=$(login '{"name":"admin"}')
is 400 "$out" && ok "no password: 400" || no "no password" "$out"
hdr=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"admin","password":"admin-pass-1"}' "$URL/api/session" | grep -i '^set-cookie:')
grep -q 'resonans_session=' <<<"$hdr" && grep -q '; HttpOnly' <<<"$hdr" && grep -q '; SameSite=Strict' <<<"$hdr" &&
    ok "the session cookie is HttpOnly and SameSite=Strict" || no "cookie flags" "$hdr"
! grep -q '; Secure' <<<"$hdr" && ok "and not Secure by default" || no "not Secure by default" "$hdr"

# ---- CSRF ----
tok_post() { curl -s -b "$JAR" -w '\n%{http_code}\n' -H 'Content-Type: application/json' "$@" -d '{"name":"csrf test","scopes":"read"}' "$URL/api/tokens"; }
out=$(tok_post)
refused "a cookie POST without X-CSRF-Token: 403 csrf" 403 csrf "$out"
out=$(tok_post -H "X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000")
refused "with a wrong one: 403 csrf" 403 csrf "$out"
out=$(tok_post -H "X-CSRF-Token: $CA")
refused "with another session's: 403 csrf" 403 csrf "$out"
out=$(tok_post -H "X-CSRF-Token: $CSRF")
is 201 "$out" && ok "with the right one: 201" || no "right CSRF token" "$out"
out=$(curl -s -b "$JAR" -X DELETE -w '\n%{http_code}\n' "$URL/api/surveys/acc")
refused "a cookie DELETE without it: 403 csrf" 403 csrf "$out"
out=$(api GET /api/surveys/acc)
is 200 "$out" && ok "and the survey is still there" || no "survey still there" "$out"
out=$(curl -s -b "$JAR" -w '\n%{http_code}\n' "$URL/api/me")
[ "$(json_get "$(body_of "$out")" '$.csrf_token')" = "$CSRF" ] &&
    ok "GET /api/me without it works and gives the token" || no "GET /api/me" "$out"

# ---- API tokens ----
rw=$("$BIN" --db "$db" user token ana --name "rw" --scopes read,write 2>"$T/tok.err")
ro=$("$BIN" --db "$db" user token ana --name "ro" --scopes read 2>/dev/null)
rw_id=$(sed -n 's/^token \([0-9]*\) for.*/\1/p' "$T/tok.err")
[[ "$rw" == rsn_* ]] && [[ "$ro" == rsn_* ]] && [ -n "$rw_id" ] &&
    ok "two tokens for the analyst (token $rw_id: read,write; read)" || no "tokens made" "$rw $ro $(cat "$T/tok.err")"
out=$(bearer "$rw" POST /api/responses --data-binary "{\"id\":\"TK1\",\"submitted_at\":\"2026-11-01T10:00:00Z\",\"touchpoint\":\"$A\",\"nps\":5}
")
is 201 "$out" && ok "a Bearer token POSTs without a CSRF token (201)" || no "Bearer POST" "$out"
out=$(bearer "$rw" GET /api/me)
is 200 "$out" && [ "$(json_get "$(body_of "$out")" '$.name')" = ana ] &&
    [ -z "$(json_get "$(body_of "$out")" '$.csrf_token')" ] &&
    ok "GET /api/me with it: ana, and no CSRF token" || no "Bearer /api/me" "$out"
out=$(bearer "$ro" GET /api/responses?limit=1)
is 200 "$out" && ok "the read-only token reads" || no "read-only token reads" "$out"
out=$(bearer "$ro" POST /api/surveys --data-binary @"$T/acc.json")
refused "the read-only token cannot POST a survey: 403" 403 forbidden "$out"
out=$(bearer "$ro" POST /api/responses --data-binary "{\"id\":\"TK2\",\"submitted_at\":\"2026-11-01T10:00:00Z\",\"touchpoint\":\"$A\",\"nps\":5}
")
refused "nor responses: 403" 403 forbidden "$out"
"$BIN" --db "$db" user token --revoke "$rw_id" >/dev/null 2>&1
out=$(bearer "$rw" GET /api/me)
refused "the revoked token: 401" 401 unauthenticated "$out"
out=$(bearer "$rw" POST /api/responses --data-binary "{\"id\":\"TK3\",\"submitted_at\":\"2026-11-01T10:00:00Z\",\"touchpoint\":\"$A\",\"nps\":5}
")
refused "the revoked token cannot POST: 401" 401 unauthenticated "$out"
out=$(bearer "rsn_thisIsNotAtokenAtAllxxxxxxxxxxxxxxxxxxxxxxx" GET /api/me)
refused "a garbage token: 401" 401 unauthenticated "$out"
out=$(bearer "garbage" GET /api/responses)
refused "a token without the rsn_ prefix: 401" 401 unauthenticated "$out"
out=$(curl -s -w '\n%{http_code}\n' -H "Authorization: Bearer rsn_nope" -b "$JAR" "$URL/api/me")
refused "a garbage token is refused even with a good cookie: 401" 401 unauthenticated "$out"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id IN ('TK2', 'TK3', 'OW1')")" = 0 ] &&
    ok "no refused import stored anything" || no "refused imports stored"

# ---- signing out ----
srv_login admin admin-pass-1 "$T/out.jar"
cp "$T/out.jar" "$T/out.saved"
out=$(curl -s -b "$T/out.jar" -c "$T/out.jar" -H "X-CSRF-Token: $CSRF" -X DELETE -w '\n%{http_code}\n' "$URL/api/session")
is 204 "$out" && ok "DELETE /api/session: 204" || no "sign out" "$out"
out=$(curl -s -b "$T/out.saved" -w '\n%{http_code}\n' "$URL/api/me")
refused "the session's cookie no longer works: 401" 401 unauthenticated "$out"
out=$(curl -s -b "$T/out.jar" -w '\n%{http_code}\n' "$URL/api/me")
refused "and the browser's cookie is cleared" 401 unauthenticated "$out"
srv_login admin admin-pass-1 "$JAR"

# ---- signed customer references ----
out=$(api GET "/api/surveys/acc/link?touchpoint=$A&ref=K000001")
url=$(json_get "$(body_of "$out")" '$.url')
sig=${url##*sig=}
[[ "$url" == *"&ref=K000001&sig="* ]] && [ -n "$sig" ] && ok "a link with ref=K000001 and its sig" || no "signed link" "$out"
path=${url#"$URL"}
out=$(anon GET "$path")
is 200 "$out" && grep -q 'name="sig"' <<<"$out" && ok "it opens (200)" || no "signed link opens" "$(tail -n 5 <<<"$out")"
out=$(anon GET "${path/ref=K000001/ref=K000002}")
is 403 "$out" && grep -q '<h1>' <<<"$out" && ok "another ref with that sig: a 403 page" || no "changed ref" "$(tail -n 3 <<<"$out")"
flip=$([ "${sig:0:1}" = A ] && echo B || echo A)${sig:1}
out=$(anon GET "${path/sig=$sig/sig=$flip}")
is 403 "$out" && ok "a changed sig: 403" || no "changed sig" "$(tail -n 3 <<<"$out")"
out=$(anon GET "${path/&sig=$sig/}")
is 403 "$out" && ok "no sig: 403" || no "no sig" "$(tail -n 3 <<<"$out")"
out=$(anon GET "${path/touchpoint=$A/touchpoint=$B}")
is 403 "$out" && ok "the sig at another touchpoint: 403" || no "sig moved to another touchpoint" "$(tail -n 3 <<<"$out")"
pub() { anon POST /api/public/surveys/acc/responses -H 'Content-Type: application/json' -d "$1"; }
out=$(pub "{\"touchpoint\":\"$A\",\"ref\":\"K000002\",\"sig\":\"$sig\",\"client_token\":\"forged-1\",\"answers\":{\"nps\":0}}")
refused "a JSON submission with another ref: 403 forged_reference" 403 forged_reference "$out"
out=$(pub "{\"touchpoint\":\"$A\",\"ref\":\"K000001\",\"sig\":\"$flip\",\"client_token\":\"forged-2\",\"answers\":{\"nps\":0}}")
refused "with a forged sig: 403 forged_reference" 403 forged_reference "$out"
out=$(pub "{\"touchpoint\":\"$A\",\"ref\":\"K000001\",\"client_token\":\"forged-3\",\"answers\":{\"nps\":0}}")
refused "with a ref and no sig: 403 forged_reference" 403 forged_reference "$out"
out=$(anon POST /s/acc --data-urlencode "touchpoint=$A" --data-urlencode ref=K000002 \
    --data-urlencode "sig=$sig" --data-urlencode token=forged-4 --data-urlencode nps=0)
is 403 "$out" && ok "a posted form with another ref: 403 page" || no "forged form" "$(tail -n 3 <<<"$out")"
out=$(pub "{\"touchpoint\":\"$A\",\"ref\":\"K000001\",\"sig\":\"$sig\",\"client_token\":\"signed-1\",\"answers\":{\"nps\":9}}")
is 201 "$out" && ok "with the right ref and sig: 201" || no "signed submission" "$out"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id LIKE 'web-forged-%'")" = 0 ] &&
    ok "no forged submission is stored" || no "forged stored" "$(sqlite3 "$db" "SELECT ext_id FROM responses WHERE ext_id LIKE 'web-forged-%'")"
[ "$(sqlite3 "$db" "SELECT c.ext_id FROM responses r JOIN customers c ON c.id = r.customer_id WHERE r.ext_id = 'web-signed-1'")" = K000001 ] &&
    ok "the signed one is stored as customer K000001's" || no "signed one's customer"

# ---- sizes ----
big=$(head -c 4096 /dev/zero | tr '\0' 'x')
out=$(pub "{\"touchpoint\":\"$A\",\"client_token\":\"big-1\",\"answers\":{\"nps\":5,\"comment\":\"$big\"}}")
refused "a 4 KB JSON submission over public_body=2048: 413 too_large" 413 too_large "$out"
out=$(anon POST /s/acc --data-urlencode "touchpoint=$A" --data-urlencode token=big-2 \
    --data-urlencode nps=5 --data-urlencode "comment=$big")
is 413 "$out" && ok "a 4 KB posted form: 413 page" || no "big form" "$(tail -n 3 <<<"$out")"
out=$(pub "{\"touchpoint\":\"$A\",\"client_token\":\"small-1\",\"answers\":{\"nps\":5,\"comment\":\"${big:0:1500}\"}}")
is 201 "$out" && ok "1.5 KB is taken (201)" || no "1.5 KB submission" "$out"
head -c 70000 /dev/zero | tr '\0' 'x' >"$T/huge"
out=$(api POST /api/responses --data-binary @"$T/huge")
refused "a 70 KB body over max_body=65536: 413 too_large" 413 too_large "$out"
port=$(cat "$T/port")
raw=$(exec 3<>"/dev/tcp/127.0.0.1/$port" &&
    printf 'POST /api/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n' >&3 &&
    timeout 5 cat <&3)
head -n 1 <<<"$raw" | grep -q '^HTTP/1.1 413' && grep -q '"too_large"' <<<"$raw" &&
    ok "Content-Length 999999999 with no body sent: 413 at once" || no "huge Content-Length" "$(head -c 300 <<<"$raw")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id LIKE 'web-big-%'")" = 0 ] &&
    ok "nothing too large is stored" || no "too large stored"
srv_stop

# ---- the rate limit and Secure cookies ----
srv_start "$db" --set rate=1 --set burst=3 --set secure_cookies=on || {
    no "a server with rate=1, burst=3 starts" "$(tail -n 3 "$T/serve.err")"
    tap_done
    exit
}
ok "a server with rate=1, burst=3, secure_cookies=on starts"
codes=""
for i in 1 2 3 4; do
    out=$(curl -s -D "$T/h.$i" -w '\n%{http_code}\n' -H 'Content-Type: application/json' \
        -d "{\"touchpoint\":\"$A\",\"client_token\":\"rl-$i\",\"answers\":{\"nps\":5}}" \
        "$URL/api/public/surveys/acc/responses")
    codes="$codes $(status_of "$out")"
done
form=$(anon POST /s/acc --data-urlencode "touchpoint=$A" --data-urlencode token=rl-form --data-urlencode nps=5)
[ "$codes" = " 201 201 201 429" ] && ok "4 quick submissions: 3 taken, then 429" ||
    no "rate limit after the burst" "statuses:$codes"
is 429 "$form" && ok "a posted form right after: 429 too" || no "form rate limited" "$(tail -n 3 <<<"$form")"
[ "$(code_of "$out")" = rate_limited ] && ok "the 429 is JSON code rate_limited" || no "429 body" "$out"
ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/Ip' "$T/h.4" | tr -d '\r')
[ -n "$ra" ] && [ "$ra" -ge 1 ] && ok "with Retry-After: $ra" || no "Retry-After" "$(cat "$T/h.4")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE ext_id LIKE 'web-rl-%'")" = 3 ] &&
    ok "only the 3 taken are stored" || no "rate-limited not stored"
out=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/openapi.json")
[ "$out" = 200 ] && ok "other public routes are not limited" || no "openapi after limit" "$out"
sleep 1.2
out=$(curl -s -w '\n%{http_code}\n' -H 'Content-Type: application/json' \
    -d "{\"touchpoint\":\"$A\",\"client_token\":\"rl-6\",\"answers\":{\"nps\":5}}" \
    "$URL/api/public/surveys/acc/responses")
is 201 "$out" && ok "after a second, one more is taken" || no "refill" "$out"
hdr=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"admin","password":"admin-pass-1"}' "$URL/api/session" | grep -i '^set-cookie:')
grep -q '; Secure' <<<"$hdr" && grep -q '; HttpOnly' <<<"$hdr" && grep -q '; SameSite=Strict' <<<"$hdr" &&
    ok "with secure_cookies=on the cookie is Secure, HttpOnly, SameSite=Strict" || no "Secure cookie" "$hdr"
xff=$(for i in 1 2 3 4; do
    curl -s -o /dev/null -w '%{http_code} ' -H 'Content-Type: application/json' \
        -H "X-Forwarded-For: 203.0.113.$i" \
        -d "{\"touchpoint\":\"$A\",\"client_token\":\"xff-$i\",\"answers\":{\"nps\":5}}" \
        "$URL/api/public/surveys/acc/responses"
done)
[[ "$xff" == *429* ]] && ok "without trust_proxy, X-Forwarded-For does not escape the limit ($xff)" ||
    no "X-Forwarded-For ignored without trust_proxy" "$xff"
srv_stop

# ---- behind a reverse proxy (trust_proxy) ----
srv_start "$db" --set rate=1 --set burst=1 --set trust_proxy=on || {
    no "a server with trust_proxy=on starts" "$(tail -n 3 "$T/serve.err")"
    tap_done
    exit
}
px() { # X-Forwarded-For value, token: the status of a submission
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -H "X-Forwarded-For: $1" \
        -d "{\"touchpoint\":\"$A\",\"client_token\":\"$2\",\"answers\":{\"nps\":5}}" \
        "$URL/api/public/surveys/acc/responses"
}
codes="$(px 198.51.100.1 px-1) $(px 198.51.100.2 px-2) $(px 198.51.100.1 px-3) $(px '10.9.9.9, 198.51.100.2' px-4)"
[ "$codes" = "201 201 429 429" ] &&
    ok "each client behind the proxy has its own limit, by the address the proxy appended ($codes)" ||
    no "rate limit per forwarded client" "$codes"
hdr=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
    -d '{"name":"admin","password":"admin-pass-1"}' "$URL/api/session" | grep -i '^set-cookie:')
grep -q '; Secure' <<<"$hdr" && ok "X-Forwarded-Proto: https makes the cookie Secure" || no "Secure via proxy" "$hdr"
hdr=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"admin","password":"admin-pass-1"}' "$URL/api/session" | grep -i '^set-cookie:')
! grep -q '; Secure' <<<"$hdr" && ok "plain http through it: not Secure" || no "not Secure" "$hdr"
out=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 192.0.2.77' "$URL/metrics")
[ "$out" = 401 ] && ok "/metrics for a forwarded outside client wants a token (401)" ||
    no "/metrics behind the proxy" "$out"
srv_stop
tap_done
