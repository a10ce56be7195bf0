#!/bin/sh
# run_e2e.sh VHPTSIM CASE.yaml [EXPECT] - one end-to-end run of the timed platform, then checks:
#  - for every vCPU the cycle rows sum exactly to cpuN.cycles.total (every cycle is charged
#    to one row of the cost table);
#  - every "# expect: NAME OP VALUE" line of the case, and of EXPECT if given (for a case that
#    is not a test file, e.g. configs/default.yaml), against stats.yaml: OP one of
#    == != >= <= > <, VALUE a number or the name of another counter; the expected values are
#    derived by hand in the comments next to them;
#  - every "# expect+replay: NAME OP VALUE" line both against stats.yaml and against the
#    counters of the untimed `vhptsim replay NAME.vtr` (the case's trace, next to it): the two
#    platforms must agree on them;
#  - with a "# determinism" line: a second run gives byte-identical stats and time series.
set -u
vhptsim=$1 case=$2 expect_file=${3:-}
name=$(basename "$case" .yaml)
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
if ! "$vhptsim" run -q -o "$out/a" "$case"; then
    echo "$name: run failed" >&2
    exit 1
fi
stats="$out/a/stats.yaml"
fail=0

# cycle breakdown: sum of cpuN.cycles.<row> == cpuN.cycles.total
awk -F': ' '
    $1 ~ /^cpu[0-9]+\.cycles\./ {
        split($1, part, "."); cpu = part[1]; row = part[3]
        if (row == "total") total[cpu] = $2; else sum[cpu] += $2
    }
    END {
        bad = 0
        for (c in total) if (sum[c] != total[c]) { printf "%s: cycle rows sum to %d, total is %d\n", c, sum[c], total[c]; bad = 1 }
        if (length(total) == 0) { print "no cycles.total in stats"; bad = 1 }
        exit bad
    }' "$stats" >&2 || fail=1

# expectations
if [ -n "$expect_file" ] && ! grep -q '^# expect: ' "$expect_file"; then
    echo "$name: no '# expect:' line in $expect_file" >&2; fail=1
fi
# check_expect FILE PLATFORM: the expectations on stdin against FILE ("name: value" lines),
# the counters of PLATFORM (run or replay)
check_expect() {
    file=$1 platform=$2
    stat() { awk -F': ' -v k="$1" '$1 == k { print $2 }' "$file"; }
    while read -r key op want; do
        got=$(stat "$key")
        if [ -z "$got" ]; then
            echo "$name: no '$key' in the $platform counters" >&2; echo x >>"$out/failed"; continue
        fi
        case "$want" in
        [0-9]* | -[0-9]*) ;;
        *) # another counter
            other=$(stat "$want")
            if [ -z "$other" ]; then
                echo "$name: no '$want' in the $platform counters" >&2; echo x >>"$out/failed"; continue
            fi
            want="$other ($want)" ;;
        esac
        if ! awk -v g="$got" -v w="${want%% *}" -v op="$op" 'BEGIN {
                g += 0; w += 0
                if (op == "==") ok = g == w; else if (op == "!=") ok = g != w
                else if (op == ">=") ok = g >= w; else if (op == "<=") ok = g <= w
                else if (op == ">") ok = g > w; else if (op == "<") ok = g < w; else ok = 0
                if (ok) exit 0
                exit 1 }'; then
            echo "$name: expected $key $op $want, got $got ($platform)" >&2; echo x >>"$out/failed"
        fi
    done
}
cat "$case" ${expect_file:+"$expect_file"} | sed -n 's/^# expect\(+replay\)\{0,1\}: //p' | check_expect "$stats" run
if grep -q '^# expect+replay: ' "$case"; then
    if "$vhptsim" replay "${case%.yaml}.vtr" >"$out/replay.out"; then
        sed 's/ /: /' "$out/replay.out" >"$out/replay.stats"
        sed -n 's/^# expect+replay: //p' "$case" | check_expect "$out/replay.stats" replay
    else
        echo "$name: replay of ${case%.yaml}.vtr failed" >&2; echo x >>"$out/failed"
    fi
fi
[ -e "$out/failed" ] && fail=1

if grep -q '^# determinism' "$case"; then
    "$vhptsim" run -q -o "$out/b" "$case" || { echo "$name: second run failed" >&2; exit 1; }
    for f in stats.yaml stats.csv timeseries.csv config.yaml; do
        if [ -e "$out/a/$f" ] && ! cmp -s "$out/a/$f" "$out/b/$f"; then
            echo "$name: $f differs between two runs of the same config and seed" >&2; fail=1
        fi
    done
fi
exit $fail
