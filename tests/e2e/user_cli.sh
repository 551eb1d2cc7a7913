#!/usr/bin/env bash
# Users and API tokens through the binary: `resonans user add` creates the
# database and the first admin, list renders through the result model
# (table, CSV, JSON), passwd changes the stored hash, token prints a new
# token once (only its hash is stored) and --revoke revokes it, disable
# shows in the list; every change is in the audit log as the OS user;
# none of it moves the data version. Errors: a bad role, an owner without
# touchpoints or with unknown ones, touchpoints for an analyst, a
# duplicate user, a short password, scopes beyond the role, an unknown
# token id. Prints TAP.
# Usage: user_cli.sh RESONANS_BIN
set -u
BIN=${1:?usage: user_cli.sh RESONANS_BIN}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../harness/tap.sh"
export RESONANS_PWHASH=fast
DATA=${RESONANS_TEST_DATA:-$(dirname "$0")/../data}
db="$T/x.db"
R() { "$BIN" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
me=${USER:-$(id -un)}

# expect NAME RC PATTERN CMD...: CMD exits RC and its stderr/stdout match
expect() {
    local name=$1 want=$2 pat=$3 out rc
    shift 3
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then
        ok "$name"
    else
        no "$name" "rc=$rc (want $want) $out"
    fi
}

out=$(R user list 2>&1)
rc=$?
if [ $rc = 4 ] && [ ! -e "$db" ]; then ok "list without a database: not found, none created"; else no "list without a database" "rc=$rc $out"; fi

out=$(echo "första-lösen" | R user add eva --role admin --password-stdin 2>&1)
rc=$?
if [ $rc = 0 ] && [ -e "$db" ] && grep -q "user eva added (admin)" <<<"$out"; then
    ok "add creates the database and the first admin"
else
    no "add the first admin" "rc=$rc $out"
fi
check "journey load" R journey load "$DATA/import/journey.json"
v0=$(q "select data || '/' || rewrite || '/' || events from store_version")

expect "a bad role is a usage error naming --role" 2 "--role must be admin, analyst or owner, got 'boss'" \
    R user add bo --role boss --password-stdin
expect "a name with a control character is refused" 2 "NAME must be 1..64 bytes" \
    R user add "$(printf 'a\tb')" --role admin --password-stdin
expect "add without --role names it" 2 "needs --role" R user add bo --password-stdin
expect "an owner without touchpoints is refused" 2 "--touchpoints: an owner needs" \
    R user add bo --role owner --password-stdin
out=$(echo "password-bo" | R user add bo --role owner --touchpoints kontoret,nowhere --password-stdin 2>&1)
rc=$?
if [ $rc = 4 ] && grep -q 'no touchpoint "nowhere"' <<<"$out" && [ "$(q "select count(*) from users where name='bo'")" = 0 ]; then
    ok "an unknown touchpoint key is refused by name, nothing added"
else
    no "unknown touchpoint key" "rc=$rc $out"
fi
expect "touchpoints are for owners only" 2 "--touchpoints is for owners only" \
    R user add ali --role analyst --touchpoints kontoret --password-stdin
expect "an owner with known touchpoints" 0 "user bo added (owner of kontoret,webb_sok)" \
    sh -c "echo password-bo | \"$BIN\" --db \"$db\" user add bo --role owner --touchpoints ' kontoret, webb_sok,kontoret' --password-stdin"
expect "a duplicate user is refused (exit 3)" 3 'user "eva" exists' \
    sh -c "echo another-password | \"$BIN\" --db \"$db\" user add eva --role analyst --password-stdin"
expect "a short password is refused, naming the field" 3 "password must be 8..1024 bytes" \
    sh -c "echo short | \"$BIN\" --db \"$db\" user add ali --role analyst --password-stdin"
expect "no password on stdin is refused" 3 "password: none given" \
    R user add ali --role analyst --password-stdin </dev/null
if [ "$(q "select count(*) from users where name='ali'")" = 0 ]; then ok "refused adds left no user"; else no "refused adds left no user"; fi
if command -v setsid >/dev/null; then
    expect "without --password-stdin and no terminal: says so" 3 "no terminal" \
        setsid -w "$BIN" --db "$db" user add ali --role analyst </dev/null
else
    ok "# SKIP no setsid"
fi
expect "add an analyst" 0 "user ali added (analyst)" \
    sh -c "echo ali-password | \"$BIN\" --db \"$db\" user add ali --role analyst --password-stdin"

out=$(R user list)
if grep -qE '^eva +admin +- +yes +no ' <<<"$out" && grep -qE '^bo +owner +kontoret,webb_sok +yes +no ' <<<"$out"; then
    ok "list: a table of users"
else
    no "list table" "$out"
fi
out=$(R user list --format json)
if grep -q '"users":\[{"name":"ali","role":"analyst","touchpoints":null,"password":true,"disabled":false,"created":"' <<<"$out"; then
    ok "list --format json"
else
    no "list json" "$out"
fi
out=$(R user list --format csv)
if [ "$(head -1 <<<"$out")" = "name,role,touchpoints,password,disabled,created" ] && [ "$(wc -l <<<"$out")" = 4 ]; then
    ok "list --format csv"
else
    no "list csv" "$out"
fi
! grep -q "första-lösen" "$db" "$db-wal" 2>/dev/null && grep -q '\$argon2id\$' "$db" "$db-wal" 2>/dev/null &&
    ok "passwords are stored as Argon2id hashes only" || no "password hashed"

h1=$(q "select pw_hash from users where name='ali'")
expect "passwd" 0 "user ali: password changed" \
    sh -c "echo ali-new-password | \"$BIN\" --db \"$db\" user passwd ali --password-stdin"
h2=$(q "select pw_hash from users where name='ali'")
if [ -n "$h1" ] && [ "$h1" != "$h2" ]; then ok "passwd changed the stored hash"; else no "passwd changed the hash"; fi
expect "passwd of an unknown user: not found" 4 'no user "nobody"' \
    sh -c "echo whatever-pass | \"$BIN\" --db \"$db\" user passwd nobody --password-stdin"

R user token ali --name "nightly export" --scopes read,write --expires 30 >"$T/tok" 2>"$T/tok.err"
rc=$?
tok=$(cat "$T/tok")
if [ $rc = 0 ] && [ "$(wc -l <"$T/tok")" = 1 ] && grep -qE '^rsn_[A-Za-z0-9_-]{43}$' "$T/tok" &&
    grep -q "not shown again" "$T/tok.err" && grep -q "expires in 30 days" "$T/tok.err"; then
    ok "token: printed once on stdout, the note on stderr"
else
    no "token" "rc=$rc $(cat "$T/tok" "$T/tok.err")"
fi
if ! grep -q -F "${tok#rsn_}" "$db" "$db-wal" 2>/dev/null; then ok "the token itself is not stored"; else no "the token is not stored"; fi
expect "scopes beyond the role are refused" 1 "may not have admin" \
    R user token ali --name x --scopes read,admin
expect "an unknown scope is a usage error" 2 'unknown scope "delete"' \
    R user token ali --name x --scopes delete
expect "token needs --name" 2 "needs --name" R user token ali
expect "--expires out of range" 2 "--expires must be 1..36500 days" \
    R user token ali --name x --expires 0
id=$(q "select id from api_tokens where name='nightly export'")
out=$(R user tokens --format csv)
if grep -q "^$id,ali,nightly export,\"read,write\",.*,0$" <<<"$out"; then ok "tokens lists it"; else no "tokens lists it" "$out"; fi
expect "revoke" 0 "token $id revoked" R user token --revoke "$id"
if [ "$(q "select revoked from api_tokens where id=$id")" = 1 ]; then ok "revoked in the store"; else no "revoked in the store"; fi
expect "revoke an unknown id: not found" 4 "no token with id 999" R user token --revoke 999
expect "revoke takes no user name" 2 "takes no user name" R user token ali --revoke "$id"

expect "disable" 0 "user bo: disabled" R user disable bo
if R user list | grep -qE '^bo +owner +kontoret,webb_sok +yes +yes '; then ok "list shows bo disabled"; else no "list shows disabled"; fi
expect "enable" 0 "user bo: enabled" R user enable bo
expect "disable an unknown user: not found" 4 'no user "nobody"' R user disable nobody
expect "an option of another subcommand is refused" 2 "--role is not for user disable" \
    R user disable bo --role admin
expect "an unknown subcommand" 2 "unknown subcommand 'remove'" R user remove bo
expect "help" 0 "--password-stdin" R user --help

audit=$(q "select actor || '|' || action || '|' || subject from audit order by id")
want="$me|user.add|user:eva
$me|user.add|user:bo
$me|user.add|user:ali
$me|user.passwd|user:ali
ali|token.create|token:$id
$me|user.token|token:$id
$me|token.revoke|token:$id
$me|user.disable|user:bo
$me|user.enable|user:bo"
if [ "$audit" = "$want" ]; then ok "every change is audited, as the OS user"; else no "audit" "$audit"; fi
v1=$(q "select data || '/' || rewrite || '/' || events from store_version")
if [ "$v0" = "$v1" ]; then ok "the data version stands ($v0)"; else no "the data version stands" "$v0 -> $v1"; fi
tap_done
