#!/usr/bin/env bash
# Runs every test binary (TAP), replays the fuzz corpora, runs the golden
# CLI cases, the end-to-end scripts and the browser checks, and ends with
# "N passed, N failed".
# Exits non-zero on failure. Needs bash, coreutils, grep, sed, mawk,
# findutils, diffutils and sqlite3, all from scripts/deps.sh
# (docs/testing.md).
# Usage: run-tests.sh UNIT_BUILD_DIR BIN_BUILD_DIR
set -u
UB=${1:-build/asan}
RB=${2:-build/release}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export RESONANS_TEST_DATA="$ROOT/tests/data"
export RESONANS_BIN="$ROOT/$RB/resonans"
pass=0
fail=0
failed_names=()

count_tap() { # $1 = name, stdin = TAP output; prints failures
    local name=$1 out rc=$2 p f
    out=$(cat)
    p=$(grep -cE '^ok [0-9]+' <<<"$out")
    f=$(grep -cE '^not ok [0-9]+' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or sanitizer abort without a TAP failure line
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        failed_names+=("$name")
        echo "---- $name (exit $rc)"
        echo "$out" | grep -vE '^ok [0-9]+' | tail -40
    fi
    printf '%-44s %4d ok %3d failed\n' "$name" "$p" "$f"
}

took=()
step_start=$SECONDS
step_done() { # $1 = step name
    took+=("$1 $((SECONDS - step_start)) s")
    step_start=$SECONDS
}

# 1. unit tests, under sanitizers
for t in $(find "$UB/tests" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
    tmp=$(mktemp -d)
    out=$(cd "$tmp" && CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$ROOT/$t" 2>&1)
    rc=$?
    rm -rf "$tmp"
    count_tap "${t#$UB/}" "$rc" <<<"$out"
done

step_done units

# 2. fuzz corpus replay, under sanitizers: every target has a corpus, and
# replaying all of them takes seconds. A target's scratch files (the
# database chain_fuzz writes) go to a tmpfs when there is one, as the
# store syncs each commit, and are removed even after a crash.
fz_tmp=$(mktemp -d -p /dev/shm resonans-fuzz.XXXXXX 2>/dev/null || mktemp -d)
for f in $(find "$UB/fuzz" -type f -name '*_fuzz' -perm -u+x 2>/dev/null | sort); do
    name=$(basename "$f")
    dir="fuzz/corpus/$name"
    if [ ! -d "$dir" ]; then
        count_tap "fuzz/$name" 1 <<<"not ok 1 - no corpus: $dir is missing"
        continue
    fi
    out=$(TMPDIR=$fz_tmp timeout 120 "$f" "$dir" 2>&1)
    count_tap "fuzz/$name" $? <<<"$out"
done
rm -rf "$fz_tmp"
step_done "fuzz replay"

# 3. golden CLI cases on the release binary
out=$(tests/harness/golden.sh "$RESONANS_BIN" tests/golden 2>&1)
count_tap "golden" $? <<<"$out"
step_done golden

# 4. end-to-end scripts (tests/e2e/*.sh print TAP)
for s in $(ls tests/e2e/*.sh 2>/dev/null | sort); do
    out=$(timeout 900 bash "$s" "$RESONANS_BIN" 2>&1)
    count_tap "$s" $? <<<"$out"
done
step_done e2e

# 5. browser checks (tests/browser/*.sh print TAP, and a skip without
# Chromium or Node); the screenshot goes to a scratch file here
for s in $(ls tests/browser/*.sh 2>/dev/null | sort); do
    shot=$(mktemp --suffix=.png)
    out=$(timeout 300 bash "$s" "$UB" "$shot" 2>&1)
    count_tap "$s" $? <<<"$out"
    rm -f "$shot"
done
step_done browser

echo "took: $(IFS=,; echo "${took[*]}" | sed 's/,/, /g')"
if [ ${#failed_names[@]} -gt 0 ]; then
    echo "failed: ${failed_names[*]}"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
