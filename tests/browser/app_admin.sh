#!/usr/bin/env bash
# The admin pages, the account page, the per-user language and the
# sign-in limit in a real browser (app_admin_e2e.js): a server over the
# small test database with an admin. Headless Chromium, as the admin,
# opens every admin section, creates a touchpoint owner through the
# users form (first refused, with the input kept and nothing stored),
# compares the users table with GET /api/users, creates an API token
# (shown once, working, then revoked), is refused a bad journey, rules
# document and taxonomy with their messages, saves and resets a
# taxonomy, downloads the users as CSV, and runs axe-core (WCAG 2.1
# A/AA) on every admin page in Swedish, English and at 390 px. As the
# new owner: no Admin link and 403 on /app/admin, the account page, a
# wrong current password refused, the password changed (still signed
# in, the old session ended), English chosen and the pages then in
# English without ?lang, ?lang=sv still winning. Then here with curl:
# `resonans user set --lang`, and 10 wrong passwords on /app/login
# followed by the right one refused with 429 and Retry-After (and on
# POST /api/session). SHOTS=DIR keeps screenshots (admin-*.png,
# account-*.png at 1280x800 and 390x844). Prints TAP; without Chromium,
# Node, playwright-core or axe-core it prints a skip.
# Usage: app_admin.sh [UNIT_BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UB=${1:-build/asan}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$ROOT/tests/harness/tap.sh"
cd "$ROOT"
. "$ROOT/tests/browser/lib.bash"
app_ready "the admin pages"
JAR=$T/jar

if srv_db "$T/db" >"$T/db.out" 2>&1; then ok "a demo database with an admin"; else
    no "a demo database with an admin" "$(cat "$T/db.out")"
fi
# the CLI's --lang: set, refused when not sv/en/none
printf 'kim-pass-123\n' | "$BIN" --db "$T/db" user add kim --role analyst \
    --lang en --password-stdin >/dev/null &&
    "$BIN" --db "$T/db" user set kim --lang sv >/dev/null &&
    ok "user add/set --lang" || no "user add/set --lang"
"$BIN" --db "$T/db" user set kim --lang de >/dev/null 2>&1
[ $? = 2 ] && ok "user set --lang de is a usage error" || no "user set --lang de is refused"
if srv_start "$T/db"; then ok "the server listens on $URL"; else
    no "the server starts" "$(cat "$T/serve.err")"
    tap_done
    exit
fi
srv_login admin admin-pass-1 "$JAR" && ok "the admin signs in (API)" || no "the admin signs in"

app_node 300 app_admin_e2e.js "$URL" "$CHROMIUM" \
    ${SHOTS:+"$SHOTS"}

# the changes are audited as the CLI's and the API's
audit=$(body_of "$(api GET "/api/audit")")
for a in user.add user.set user.passwd token.create user.token token.revoke \
    journeys.load taxonomy.load taxonomy.reset; do
    grep -q "\"$a\"" <<<"$audit" && ok "audited: $a" || no "audited: $a" "$(tail -c 600 <<<"$audit")"
done

# kim chose Swedish with the CLI: sv without ?lang, even to an English browser
curl -s -c "$T/kim" -d 'name=kim&password=kim-pass-123' "$URL/app/login" -o /dev/null
page=$(curl -s -b "$T/kim" -H 'Accept-Language: en' "$URL/app/account")
grep -q '<html lang="sv"' <<<"$page" && ok "a user's own language beats Accept-Language" ||
    no "the user's language wins over the browser's" "$(head -c 300 <<<"$page")"
page=$(curl -s -b "$T/kim" -H 'Accept-Language: en' "$URL/app/account?lang=en")
grep -q '<html lang="en"' <<<"$page" && ok "and ?lang= beats the user's" ||
    no "?lang wins" "$(head -c 300 <<<"$page")"

# the sign-in limit: 10 failures a minute per address and per name, then
# even the right password waits. The browser's wrong password counted:
# a new server starts with none.
srv_stop
srv_start "$T/db" && srv_login admin admin-pass-1 "$JAR" ||
    no "the server starts again" "$(cat "$T/serve.err")"
codes=$(for _ in $(seq 10); do
    curl -s -o /dev/null -w '%{http_code} ' -d 'name=kim&password=not-it-at-all' "$URL/app/login"
done)
[ "$codes" = "$(printf '401 %.0s' $(seq 10))" ] && ok "10 wrong passwords: 401 each" ||
    no "10 wrong passwords: 401 each" "$codes"
hdr=$(curl -s -D - -o "$T/limited.html" -d 'name=kim&password=kim-pass-123' "$URL/app/login")
grep -q '^HTTP/1.1 429' <<<"$hdr" && grep -qi '^Retry-After: [1-9]' <<<"$hdr" &&
    ok "the 11th, with the right password, is refused: 429 with Retry-After" ||
    no "the 11th sign-in is refused with 429" "$hdr"
grep -q 'role="alert"' "$T/limited.html" && grep -q 'För många misslyckade inloggningar' "$T/limited.html" &&
    ! grep -q 'Set-Cookie' <<<"$hdr" &&
    ok "the page says so in the form, and no session is started" ||
    no "the 429 page explains" "$(head -c 400 "$T/limited.html")"
out=$(curl -s -w '\n%{http_code}\n' -D "$T/api.hdr" -H 'Content-Type: application/json' \
    -d '{"name":"kim","password":"kim-pass-123"}' "$URL/api/session")
[ "$(status_of "$out")" = 429 ] && [ "$(json_get "$(body_of "$out")" '$.error.code')" = rate_limited ] &&
    grep -qi '^Retry-After:' "$T/api.hdr" &&
    ok "POST /api/session too: 429 rate_limited" || no "POST /api/session is limited" "$out"
out=$(api GET /api/me)
[ "$(status_of "$out")" = 200 ] && ok "a session already open is not affected" ||
    no "an open session still works" "$out"
srv_stop
tap_done
