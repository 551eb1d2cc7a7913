#!/usr/bin/env bash
# The web app keeps the bodies of its costly views (server/page_cache.h):
# the journey map and the personas asked again are answered from what was
# kept (X-Resonans-Cache: hit), the same page; another language or a
# touchpoint owner is another entry; a new response moves the data on and
# the next view is computed afresh, with the response in it.
# Prints TAP. Usage: page_cache.sh RESONANS_BIN
set -u
BIN=${1:?usage: page_cache.sh RESONANS_BIN}
T=$(mktemp -d)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../harness/tap.sh"
. "$HERE/server_lib.bash"
trap 'kill -9 "${SRV_PID:-0}" 2>/dev/null; rm -rf "$T"' EXIT
export RESONANS_PWHASH=fast

srv_db "$T/db" >/dev/null 2>&1 && ok "a demo database with an admin" || no "a demo database"
printf 'fs-pass-123\n' | "$BIN" --db "$T/db" user add fs --role owner \
    --touchpoints reparation --password-stdin >/dev/null && ok "an owner of reparation" || no "an owner"
if srv_start "$T/db"; then ok "the server listens"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
# sign_in NAME PASSWORD JAR: through the page's form
sign_in() { curl -s -o /dev/null -c "$3" --data-urlencode "name=$1" --data-urlencode "password=$2" "$URL/app/login"; }
sign_in admin admin-pass-1 "$T/a" && sign_in fs fs-pass-123 "$T/o"
# view JAR PATH OUT: the page into OUT; prints the cache header's value
view() {
    curl -s -b "$1" -D "$T/h" -o "$3" "$URL$2"
    tr -d '\r' <"$T/h" | sed -n 's/^X-Resonans-Cache: //Ip'
}

P=/app/journey
[ "$(view "$T/a" $P "$T/1")" = miss ] && ok "the journey map: computed the first time" || no "first view: miss"
[ "$(view "$T/a" $P "$T/2")" = hit ] && cmp -s "$T/1" "$T/2" &&
    ok "asked again: kept, the same page" || no "asked again: hit, the same page" "$(diff "$T/1" "$T/2" | head -5)"
[ "$(view "$T/a" "$P?lang=en" "$T/3")" = miss ] && grep -q '<html lang="en"' "$T/3" &&
    ok "in English: another entry" || no "in English: another entry"
[ "$(view "$T/o" $P "$T/4")" = miss ] && ! cmp -s "$T/1" "$T/4" &&
    ok "the owner: another entry, another map" || no "the owner: another entry"
[ "$(view "$T/o" $P "$T/5")" = hit ] && cmp -s "$T/4" "$T/5" &&
    ok "the owner's map, kept for them" || no "the owner's map, kept"
[ "$(view "$T/a" /app "$T/6")" = "" ] && ok "the overview is not kept (it is fast)" || no "the overview: no cache header"

Q="/app/personas?features=nps&k=2"
[ "$(view "$T/a" "$Q" "$T/p1")" = miss ] && [ "$(view "$T/a" "$Q" "$T/p2")" = hit ] &&
    cmp -s "$T/p1" "$T/p2" && ok "personas: computed, then kept" || no "personas: computed, then kept"

# a new response: the data moves on, the next view is computed afresh
srv_login admin admin-pass-1 "$T/jar" >/dev/null
api() {
    local m=$1 p=$2
    shift 2
    curl -s -b "$T/jar" -H "X-CSRF-Token: $CSRF" -X "$m" -w '\n%{http_code}\n' "$@" "$URL$p"
}
n0=$(json_get "$(curl -s "$URL/healthz")" '$.responses')
api POST /api/surveys --data-binary @"$HERE/../../data/surveys/repair.json" >/dev/null
out=$(anon POST /api/public/surveys/repair/responses -H 'Content-Type: application/json' \
    -d '{"touchpoint":"reparation","client_token":"cache-1","answers":{"nps":0}}')
[ "$(status_of "$out")" = 201 ] && ok "a response at reparation" || no "a response" "$out"
wait_rows $((n0 + 1)) >/dev/null && ok "the column store has it" || no "the column store has it"
[ "$(view "$T/a" $P "$T/7")" = miss ] && ! cmp -s "$T/1" "$T/7" &&
    ok "the journey map after it: computed afresh, not as before" || no "after the response: miss, a new map"
[ "$(view "$T/a" $P "$T/8")" = hit ] && cmp -s "$T/7" "$T/8" &&
    ok "and kept again" || no "and kept again"
srv_stop
tap_done
