#!/usr/bin/env bash
# Durability: survey submissions under load while the server is killed
# with SIGKILL at random moments, 20 times, and started again. Clients
# retry a submission that got no answer with the same client token, as
# a browser or app would. Afterwards every acknowledged submission is in
# the database exactly once, and retries of ones that were stored before
# the kill came back as duplicates instead of being stored twice.
# Prints TAP. Usage: server_kill.sh RESONANS_BIN
set -u
BIN=${1:?usage: server_kill.sh RESONANS_BIN}
T=$(mktemp -d)
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/server_lib.bash"
cleanup() {
    touch "$T/stop"
    kill -9 "${SRV_PID:-0}" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
db="$T/k.db"
JAR="$T/jar"

check "database with journeys and an admin" srv_db "$db"
srv_start "$db" --set rate=0 || { no "server starts"; tap_done; exit; }
ok "server starts"
srv_login admin admin-pass-1 "$JAR" && ok "admin signs in" || no "admin signs in"
tp=$(sqlite3 "$db" "SELECT key FROM touchpoints ORDER BY id LIMIT 1")
sed "s/\"key\": \"repair\"/\"key\": \"kill\"/" data/surveys/repair.json >"$T/survey.json"
out=$(api POST /api/surveys --data-binary @"$T/survey.json")
[ "$(status_of "$out")" = 201 ] && ok "survey created" || no "survey created" "$out"
echo "$URL" >"$T/url"

# worker K: submissions wK-1, wK-2, ... each retried until answered
worker() {
    local k=$1 i=0 code tok
    while [ ! -e "$T/stop" ]; do
        i=$((i + 1))
        tok="w$k-$i"
        while :; do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
                -H 'Content-Type: application/json' \
                -d "{\"touchpoint\":\"$tp\",\"client_token\":\"$tok\",\"answers\":{\"nps\":$((i % 11)),\"comment\":\"Svar $tok om reparationen\"}}" \
                "$(cat "$T/url")/api/public/surveys/kill/responses")
            case $code in
            201 | 200) echo "$tok $code" >>"$T/acked.$k"; break ;;
            esac
            [ -e "$T/stop" ] && return 0
            sleep 0.05
        done
    done
}
workers=""
for k in 1 2 3 4 5 6; do
    worker "$k" &
    workers="$workers $!"
done

acked_now() { cat "$T"/acked.* 2>/dev/null | wc -l; }
kills=0
for round in $(seq 20); do
    # under load: a few more acknowledgements, then a random moment
    want=$(($(acked_now) + 3 + RANDOM % 12))
    for _ in $(seq 200); do
        [ "$(acked_now)" -ge "$want" ] && break
        sleep 0.05
    done
    sleep "0.0$((RANDOM % 10))"
    kill -9 "$SRV_PID" 2>/dev/null && kills=$((kills + 1))
    wait "$SRV_PID" 2>/dev/null
    srv_start "$db" --set rate=0 || break
    echo "$URL" >"$T/url"
done
sleep 1
touch "$T/stop"
for w in $workers; do wait "$w" 2>/dev/null; done
srv_stop

[ "$kills" -ge 20 ] && ok "killed with SIGKILL $kills times" ||
    no "killed with SIGKILL 20 times" "only $kills"
cat "$T"/acked.* | sort >"$T/acked"
acked=$(wc -l <"$T/acked")
[ "$acked" -ge 60 ] && ok "$acked submissions acknowledged" ||
    no "enough submissions acknowledged" "$acked"
sqlite3 "$db" "SELECT substr(ext_id, 5) FROM responses WHERE ext_id LIKE 'web-w%'" |
    sort >"$T/stored"
missing=$(comm -23 <(cut -d' ' -f1 "$T/acked" | sort -u) "$T/stored" | wc -l)
[ "$missing" -eq 0 ] && ok "every acknowledged submission is stored" ||
    no "every acknowledged submission is stored" "$missing missing"
twice=$(uniq -d "$T/stored" | wc -l)
[ "$twice" -eq 0 ] && ok "none is stored twice" || no "none stored twice" "$twice"
acked_twice=$(cut -d' ' -f1 "$T/acked" | uniq -d | wc -l)
[ "$acked_twice" -eq 0 ] && ok "no token was acknowledged twice" ||
    no "no token acknowledged twice" "$acked_twice"
dups=$(grep -c ' 200$' "$T/acked")
echo "# $dups retries were recognised as already stored"
answers=$(sqlite3 "$db" "SELECT count(*) FROM responses r JOIN answers a ON a.response_id = r.id WHERE r.ext_id LIKE 'web-w%' AND a.question = 'comment'")
stored=$(wc -l <"$T/stored")
[ "$answers" -eq "$stored" ] && ok "each stored submission has its comment" ||
    no "each stored submission has its comment" "$answers comments, $stored responses"
tap_done
