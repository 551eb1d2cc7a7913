#!/bin/sh
# The one list of Debian packages Resonans needs to build, test and demo.
# Idempotent: installs only what is missing and says what it does.
# Usage: scripts/deps.sh [--check] [--fuzz] [--browser]
#   --check    list what is missing and install nothing (exit 1 if any)
#   --fuzz     also the packages `make fuzz` needs (clang and its libFuzzer)
#   --browser  also the browser tests' (Chromium, Node; make test uses it)
set -eu

# One package a line; after a '#', why it is here. Test scripts use
# bash, coreutils, grep, sed and what is listed (docs/testing.md).
PACKAGES=$(sed 's/#.*//' <<'EOF'
build-essential
pkg-config
libsqlite3-dev
libjansson-dev
libcmocka-dev
libutf8proc-dev
libstemmer-dev
libgsl-dev
libxxhash-dev
libmicrohttpd-dev      # resonans serve: the HTTP server
libqrencode-dev        # QR codes (SVG) for a survey link at a physical place
libsodium-dev
libcurl4-openssl-dev
libpq-dev
sqlite3                # the sqlite3 shell: tests/e2e recount imports with it
tzdata
clang-tidy             # make lint (.ci/run runs it before make test)
cppcheck               # make lint
mawk                   # awk in the test scripts, which keep to what mawk has
findutils              # find, xargs: the Makefile, make lint, run-tests.sh
diffutils              # diff, cmp: the golden tests
curl                   # tests/e2e/server_*.sh talk to resonans serve
openssl                # tests/e2e/loop_server.sh checks webhook signatures
wrk                    # bench/server_load.sh: load on loopback (make bench)
EOF
)

# The browser tests' packages (--browser: make test, not make demo).
BROWSER_PACKAGES=$(sed 's/#.*//' <<'EOF'
chromium               # tests/browser opens the journey map page headless
fonts-dejavu-core      # the font the map's label widths are measured for
nodejs                 # tests/browser (playwright-core); tests/e2e/loop_sinks.js
npm                    # npm ci in tests/browser (not when nodejs ships npm)
poppler-utils          # pdftotext: tests/browser reads the PDF of a view
EOF
)

FUZZ_PACKAGES="
clang
libclang-rt-14-dev
"

check=0
for a in "$@"; do
    case $a in
    --check) check=1 ;;
    --fuzz) PACKAGES="$PACKAGES $FUZZ_PACKAGES" ;;
    --browser) PACKAGES="$PACKAGES $BROWSER_PACKAGES" ;;
    *) echo "usage: scripts/deps.sh [--check] [--fuzz] [--browser]" >&2; exit 2 ;;
    esac
done

missing=""
for p in $PACKAGES; do
    # NodeSource's nodejs ships npm and conflicts with Debian's
    if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
        continue
    fi
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "deps: all $(echo $PACKAGES | wc -w) packages present"
    exit 0
fi
echo "deps: missing:$missing"
[ "$check" = 1 ] && exit 1

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install" >&2; exit 1; }
    SUDO=sudo
fi
echo "deps: apt-get update"
$SUDO apt-get update -qq
echo "deps: apt-get install$missing"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
