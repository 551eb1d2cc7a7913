# Helpers for the server's end-to-end scripts (sourced): a database with
# the demo's journeys and a little data, a server on a free loopback
# port, sign-in and API calls with curl. Needs $BIN and $T (a scratch
# directory) set by the script.
export RESONANS_PWHASH=fast # Argon2id's minimum cost: tests sign in often

# srv_db DB: journeys, 40 customers, 200 responses and an admin "admin"
# (password "admin-pass-1") in DB.
srv_db() {
    local db=$1
    "$BIN" demo generate "$T/demo" --customers 40 --responses 200 \
        --months 2 --seed 3 >/dev/null &&
        "$BIN" --db "$db" journey load "$T/demo/journey.json" >/dev/null &&
        "$BIN" --db "$db" import customers "$T/demo/customers.csv" --quiet &&
        "$BIN" --db "$db" import responses "$T/demo/responses.csv" --quiet &&
        printf 'admin-pass-1\n' |
        "$BIN" --db "$db" user add admin --role admin --password-stdin >/dev/null
}

# srv_start DB [serve options...]: starts the server in the background
# on a free port; sets SRV_PID and URL. Returns non-zero if it did not
# come up within 10 s.
srv_start() {
    local db=$1
    shift
    rm -f "$T/port"
    "$BIN" --db "$db" serve --listen 127.0.0.1:0 --port-file "$T/port" \
        --access-log "$T/access.log" "$@" 2>>"$T/serve.err" &
    SRV_PID=$!
    for _ in $(seq 100); do
        if [ -s "$T/port" ]; then
            URL="http://127.0.0.1:$(cat "$T/port")"
            return 0
        fi
        kill -0 "$SRV_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

srv_stop() {
    kill -TERM "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
}

# srv_login NAME PASSWORD JAR: signs in, keeps the cookie in JAR and
# sets CSRF to the session's token.
srv_login() {
    local body
    body=$(curl -s -c "$3" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/session") || return 1
    CSRF=$(sed -n 's/.*"csrf_token": *"\([0-9a-f]*\)".*/\1/p' <<<"$body")
    [ -n "$CSRF" ]
}

# api METHOD PATH [curl args...]: prints the body, then the status on a
# line of its own, signed in with the cookie jar $JAR and $CSRF.
api() {
    local m=$1 p=$2
    shift 2
    curl -s -b "$JAR" -H "X-CSRF-Token: $CSRF" -X "$m" -w '\n%{http_code}\n' \
        "$@" "$URL$p"
}

# status_of OUTPUT: the status line api printed last.
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

# JSON without jq: sqlite3's JSON functions read it (sqlite3 is a test
# dependency already). json_get JSON PATH prints the value at PATH
# ('$.error.field', '$.paths."/api/surveys"'): text as is, true/false as
# 1/0, null or absent as nothing, objects and arrays as JSON. Returns 1
# when JSON is not valid JSON.
json_get() {
    json_sql "$1" "SELECT json_extract(doc.j, '$2') FROM doc"
}

# json_valid JSON: succeeds when JSON is valid JSON.
json_valid() {
    [ "$(json_sql "$1" "SELECT 1 FROM doc")" = 1 ]
}

# json_sql JSON SQL runs SQL with the table doc(j) holding JSON, one
# output row a line, columns tab-separated:
#   json_sql "$out" "SELECT json_extract(value, '\$.id') FROM doc,
#                    json_each(doc.j, '\$.responses')"
# Returns 1 (printing nothing) when JSON is not valid JSON.
json_sql() {
    local f="${T:-/tmp}/json.$BASHPID.$RANDOM" rc
    printf '%s' "$1" >"$f" || return 2
    # json() fails on text that is not JSON, and -bail stops there
    sqlite3 -batch -bail -separator $'\t' :memory: \
        "CREATE TEMP TABLE doc AS SELECT json(CAST(readfile('$f') AS TEXT)) AS j;" \
        "$2" 2>/dev/null
    rc=$?
    rm -f "$f"
    return $rc
}

# bearer TOKEN METHOD PATH [curl args...]: as api, with an API token
# instead of the cookie (and no CSRF token).
bearer() {
    local tok=$1 m=$2 p=$3
    shift 3
    curl -s -H "Authorization: Bearer $tok" -X "$m" -w '\n%{http_code}\n' \
        "$@" "$URL$p"
}

# anon METHOD PATH [curl args...]: as api, signed in as nobody.
anon() {
    local m=$1 p=$2
    shift 2
    curl -s -X "$m" -w '\n%{http_code}\n' "$@" "$URL$p"
}

# wait_rows N: waits (up to 5 s) until /healthz counts N responses in the
# column store, which catches up with commits within a second.
wait_rows() {
    local got
    for _ in $(seq 50); do
        got=$(json_get "$(curl -s "$URL/healthz")" '$.responses')
        [ "$got" = "$1" ] && return 0
        sleep 0.1
    done
    echo "healthz counts ${got:-nothing}, expected $1"
    return 1
}
