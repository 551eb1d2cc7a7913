# TAP helpers for the end-to-end scripts in tests/e2e (sourced, not run).
# ok NAME / no NAME [OUTPUT] print one result; check NAME CMD... runs CMD
# and reports it; tap_done prints the plan and returns non-zero on failure.
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() {
    n=$((n + 1))
    fails=$((fails + 1))
    echo "not ok $n - $1"
    [ -n "${2:-}" ] && sed 's/^/# /' <<<"$2" | head -20
    return 0
}
check() { # name, command...
    local name=$1
    shift
    local out
    if out=$("$@" 2>&1); then ok "$name"; else no "$name" "$out"; fi
}
tap_done() {
    echo "1..$n"
    [ "$fails" -eq 0 ]
}
# csv_pick COLUMN... prints the named columns of each record of the CSV
# on stdin, tab-separated, found by their exact header names (exit 2 if
# one is missing). Quoted fields ("a,b", "say ""hi""") are read; a field
# must not hold a newline. POSIX awk: runs on Debian's mawk.
csv_pick() {
    awk '
    function csv_split(line, out,    n, i, c, f, q) {
        split("", out)
        n = 0; f = ""; q = 0
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q) {
                if (c != "\"") f = f c
                else if (substr(line, i + 1, 1) == "\"") { f = f c; i++ }
                else q = 0
            } else if (c == "\"") q = 1
            else if (c == ",") { out[++n] = f; f = "" }
            else f = f c
        }
        out[++n] = f
        return n
    }
    BEGIN { for (k = 1; k < ARGC; k++) want[k] = ARGV[k]; nw = ARGC - 1; ARGC = 1 }
    { sub(/\r$/, "") }
    NR == 1 {
        nh = csv_split($0, h)
        for (k = 1; k <= nw; k++) {
            col[k] = 0
            for (i = 1; i <= nh; i++) if (h[i] == want[k]) col[k] = i
            if (!col[k]) { print "csv_pick: no column \"" want[k] "\" in: " $0 > "/dev/stderr"; bad = 1; exit 2 }
        }
        next
    }
    {
        csv_split($0, f)
        s = ""
        for (k = 1; k <= nw; k++) s = s (k > 1 ? "\t" : "") f[col[k]]
        print s
    }' "$@"
}
