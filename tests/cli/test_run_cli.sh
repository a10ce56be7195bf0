#!/bin/sh
# test_run_cli.sh VHPTSIM SOURCE_DIR - `vhptsim run`: help, options, the output directory.
set -u
vhptsim=$1 src=$2
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/small.yaml" <<'YAML'
name: small
run: {length: 5000, warmup: 1000, interval: 1000}
workload: {kind: uniform, footprint: 8M}
YAML

"$vhptsim" run --help >"$tmp/help" || { echo "FAIL: run --help" >&2; fail=1; }
for word in --output --quiet config.yaml stats.yaml stats.csv timeseries.csv run.yaml; do
    grep -q -- "$word" "$tmp/help" || { echo "FAIL: run --help does not mention $word" >&2; fail=1; }
done
"$vhptsim" help run >/dev/null || { echo "FAIL: help run" >&2; fail=1; }
"$vhptsim" run >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: run without a file must exit 2" >&2; fail=1; }
"$vhptsim" run --bogus "$tmp/small.yaml" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: unknown option must exit 2" >&2; fail=1; }

# every message names its place first (FILE..., the option), or else is the command's own
# ("vhptsim: COMMAND: ..."): never "vhptsim: FILE: ..."
msg() { "$vhptsim" "$@" 2>&1 >/dev/null | head -n 1; }
for want_cmd in "$tmp/none.vtr: |replay $tmp/none.vtr" "$tmp/none.trc: |trace info $tmp/none.trc" \
    "$tmp/none.yaml: |run $tmp/none.yaml" "-j 0: error: |run -j 0 $tmp/small.yaml" \
    "--backend x: error: |run --backend x $tmp/small.yaml" "--from elf: error: |trace convert --from elf a b" \
    "--ifetch word: error: |trace convert --ifetch word a b" "vhptsim: report: |report $tmp/none" \
    "vhptsim: run: |run -q -o /proc/x $tmp/small.yaml"; do
    want=${want_cmd%%|*} cmd=${want_cmd#*|}
    got=$(msg $cmd)
    case $got in "$want"*) ;; *) echo "FAIL: '$cmd' says '$got', want it to begin '$want'" >&2; fail=1 ;; esac
done

# options that would have no effect are named: slurm options on a local study, and
# insns_per_ifetch of a workload that fetches no instruction (an error: every mpki would be missing)
printf 'name: st\nrun: {length: 1000, interval: 0}\nsweep:\n  seed: [1]\n' >"$tmp/st.yaml"
"$vhptsim" run -q -o "$tmp/st" --no-wait --slurm-arg=-pbig "$tmp/st.yaml" 2>"$tmp/err" &&
    grep -q '^vhptsim: run: warning: --no-wait and --slurm-arg apply to --backend slurm' "$tmp/err" ||
    { echo "FAIL: slurm options on a local study: $(cat "$tmp/err")" >&2; fail=1; }
"$vhptsim" run -q -o "$tmp/never" --set workload.insns_per_ifetch=3 "$tmp/small.yaml" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^--set workload.insns_per_ifetch=3: error: workload.insns_per_ifetch 3 counts the instructions of each IFETCH, but workload.ifetch_fraction is 0" "$tmp/err" ||
    { echo "FAIL: insns_per_ifetch without ifetches: $(cat "$tmp/err")" >&2; fail=1; }

# a run writes exactly the five files
"$vhptsim" run -q -o "$tmp/out" "$tmp/small.yaml" || { echo "FAIL: small run" >&2; fail=1; }
[ "$(ls "$tmp/out" | tr '\n' ' ')" = "config.yaml run.yaml stats.csv stats.yaml timeseries.csv " ] ||
    { echo "FAIL: unexpected output files: $(ls "$tmp/out")" >&2; fail=1; }
# 5000 references, warm-up 1000: 4 time-series rows (at 2000, 3000, 4000, 5000) plus the header
[ "$(wc -l <"$tmp/out/timeseries.csv")" -eq 5 ] || { echo "FAIL: timeseries.csv should have 4 rows" >&2; fail=1; }
# the statistics cover the 4000 references after the warm-up
grep -qx 'cpu0.refs: 4000' "$tmp/out/stats.yaml" || { echo "FAIL: refs after warm-up should be 4000" >&2; fail=1; }
# the resolved config is itself a valid experiment that gives the same statistics
"$vhptsim" run -q -o "$tmp/again" "$tmp/out/config.yaml" || { echo "FAIL: rerun of config.yaml" >&2; fail=1; }
cmp -s "$tmp/out/stats.yaml" "$tmp/again/stats.yaml" || { echo "FAIL: config.yaml does not reproduce the run" >&2; fail=1; }
# a second run replaces the directory; nothing is left beside it
"$vhptsim" run -q -o "$tmp/out" "$tmp/small.yaml" || { echo "FAIL: rerun into the same directory" >&2; fail=1; }
[ "$(ls "$tmp" | grep -c '^out')" -eq 1 ] || { echo "FAIL: temporary directories left: $(ls "$tmp")" >&2; fail=1; }
# a failing run (bad config) leaves the previous result untouched
printf 'name: small\nvcpus: 0\n' >"$tmp/bad.yaml"
"$vhptsim" run -q -o "$tmp/out" "$tmp/bad.yaml" 2>/dev/null
cmp -s "$tmp/out/stats.yaml" "$tmp/again/stats.yaml" || { echo "FAIL: a failed run changed the previous result" >&2; fail=1; }
# the workload written as vtrace and replayed through the same guest OS model gives the same
# statistics as the generator itself
"$vhptsim" workload -o "$tmp/small.vtr" "$tmp/small.yaml" || { echo "FAIL: vhptsim workload" >&2; fail=1; }
[ "$(grep -c '^ld ' "$tmp/small.vtr")" -eq 5000 ] || { echo "FAIL: workload should write 5000 loads" >&2; fail=1; }
cat >"$tmp/from-trace.yaml" <<'YAML'
name: small
source: vtrace
trace: {path: small.vtr}
run: {length: 5000, warmup: 1000, interval: 1000}
YAML
"$vhptsim" run -q -o "$tmp/trace-out" "$tmp/from-trace.yaml" || { echo "FAIL: run of the written workload" >&2; fail=1; }
cmp -s "$tmp/out/stats.yaml" "$tmp/trace-out/stats.yaml" ||
    { echo "FAIL: the workload's vtrace does not reproduce the generator's statistics" >&2; fail=1; }
"$vhptsim" workload --help | grep -q -- --output || { echo "FAIL: workload --help" >&2; fail=1; }
# config.yaml writes a fraction in its shortest form that reads back the same (0.7, never
# 0.69999999999999996), and running it gives the same numbers
"$vhptsim" run -q -o "$tmp/frac" --set 'machine.walker_hit=[0, 0.7, 0.3]' --set workload.write_fraction=0.1 "$tmp/small.yaml" ||
    { echo "FAIL: a run with fractions" >&2; fail=1; }
grep -qx '  walker_hit: \[0, 0.7, 0.3\]' "$tmp/frac/config.yaml" && grep -qx '  write_fraction: 0.1' "$tmp/frac/config.yaml" ||
    { echo "FAIL: fractions in config.yaml: $(grep -E 'walker_hit|write_fraction' "$tmp/frac/config.yaml")" >&2; fail=1; }
"$vhptsim" run -q -o "$tmp/frac2" "$tmp/frac/config.yaml" && cmp -s "$tmp/frac/stats.csv" "$tmp/frac2/stats.csv" ||
    { echo "FAIL: config.yaml with short fractions does not reproduce the run" >&2; fail=1; }

# timeseries.csv: whole intervals, then the last partial one as a row of its own. Two vCPUs of
# 5500 references, warm-up 1000, interval 1000: rows at 2000, 3000, 4000, 5000 and 5500 per vCPU,
# and each vCPU's rows' cycles sum to its measured cycles.total (every cycle after its warm-up)
"$vhptsim" run -q -o "$tmp/part" --set vcpus=2 --set run.length=5500 "$tmp/small.yaml" || { echo "FAIL: 5500 references" >&2; fail=1; }
for cpu in 0 1; do
    [ "$(awk -F, -v c=$cpu '$1 == c { printf "%s ", $2 }' "$tmp/part/timeseries.csv")" = "2000 3000 4000 5000 5500 " ] ||
        { echo "FAIL: vCPU $cpu's rows end at $(awk -F, -v c=$cpu '$1 == c { printf "%s ", $2 }' "$tmp/part/timeseries.csv")" >&2; fail=1; }
    sum=$(awk -F, -v c=$cpu '$1 == c { s += $3 } END { print s }' "$tmp/part/timeseries.csv")
    [ "$sum" = "$(sed -n "s/^cpu$cpu.cycles.total: //p" "$tmp/part/stats.yaml")" ] ||
        { echo "FAIL: vCPU $cpu's rows' cycles sum to $sum, not its cycles.total" >&2; fail=1; }
done

# a warm-up as long as the run measures nothing: refused up front where the length is known (a
# generator's run.length), at the option or the key that made it so; nothing written
"$vhptsim" run -q -o "$tmp/warm" --set run.length=1000 --set run.warmup=5000 "$tmp/small.yaml" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^--set run.warmup=5000: error: run.warmup (5000 references per vCPU) must be less than run.length (1000)' "$tmp/err" ||
    { echo "FAIL: warm-up longer than the run: $(cat "$tmp/err")" >&2; fail=1; }
"$vhptsim" run -q -o "$tmp/warm" --set run.length=1000 "$tmp/small.yaml" 2>"$tmp/err" # small.yaml: warmup 1000
[ $? -eq 2 ] && grep -q '^--set run.length=1000: error: run.warmup (1000 references per vCPU) must be less than run.length (1000)' "$tmp/err" ||
    { echo "FAIL: warm-up as long as the run: $(cat "$tmp/err")" >&2; fail=1; }
[ ! -e "$tmp/warm" ] || { echo "FAIL: a refused warm-up wrote a result" >&2; fail=1; }
# a trace (run.length 0: read to its end) of 3 references per vCPU: a warm-up of 3 takes them all
# (exit 2 naming run.warmup, line 5 column 26, and the count), one of 2 leaves exactly 1 measured
printf 'vcpus 1\nrr 3 rid=0x10 ps=16 ve=1\nld 0x6000000000010000 8\nld 0x6000000000010008 8\nld 0x6000000000010010 8\n' >"$tmp/three.vtr"
printf 'name: three\nsource: vtrace\ntrace: {path: three.vtr}\nguest: {enabled: false}\nrun: {length: 0, warmup: 3}\n' >"$tmp/three.yaml"
"$vhptsim" run -q -o "$tmp/warm" "$tmp/three.yaml" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^$tmp/three.yaml:5:26: error: run.warmup is 3 references per vCPU, but vCPU 0 of the trace .*three.vtr has 3: the warm-up takes all of them" "$tmp/err" ||
    { echo "FAIL: a trace no longer than its warm-up: $(cat "$tmp/err")" >&2; fail=1; }
[ ! -e "$tmp/warm" ] || { echo "FAIL: a trace shorter than its warm-up wrote a result" >&2; fail=1; }
"$vhptsim" run -q -o "$tmp/warm" --set run.warmup=2 "$tmp/three.yaml" || { echo "FAIL: warm-up 2 of 3" >&2; fail=1; }
grep -qx 'cpu0.refs: 1' "$tmp/warm/stats.yaml" || { echo "FAIL: 3 references after a warm-up of 2 should leave 1" >&2; fail=1; }
# trace.path: in the file, relative to the file; on the command line, to the working directory
mkdir -p "$tmp/sub" && printf 'name: sub\nsource: vtrace\nguest: {enabled: false}\nrun: {length: 0}\n' >"$tmp/sub/t.yaml"
(cd "$tmp" && "$vhptsim" run -q -o "$tmp/subrun" --set trace.path=three.vtr sub/t.yaml) 2>"$tmp/err" &&
    grep -qx "  path: $(cd "$tmp" && pwd -P)/three.vtr" "$tmp/subrun/config.yaml" ||
    { echo "FAIL: --set trace.path is not relative to the working directory: $(cat "$tmp/err")" >&2; fail=1; }

# the report of one run: figures in PNG and SVG under report/, index.md/html that show them
if command -v gnuplot >/dev/null 2>&1; then
    VHPTSIM="$vhptsim" "$src/scripts/plot" "$tmp/out" >/dev/null || { echo "FAIL: scripts/plot" >&2; fail=1; }
    for f in cycles timeline; do
        grep -q '<svg' "$tmp/out/report/$f.svg" 2>/dev/null || { echo "FAIL: the report did not draw $f.svg" >&2; fail=1; }
        grep -q "($f.png)" "$tmp/out/report/index.md" || { echo "FAIL: index.md does not show $f.png" >&2; fail=1; }
        grep -q "src=\"$f.svg\"" "$tmp/out/report/index.html" || { echo "FAIL: index.html does not show $f.svg" >&2; fail=1; }
    done
    # the headline table: the run (named after its experiment, small) and its 4000 references
    # after the warm-up
    grep -q '^| small | ok | 4000 |' "$tmp/out/report/index.md" || { echo "FAIL: index.md lacks the headline rates" >&2; fail=1; }
    "$vhptsim" report "$tmp" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: report of a non-result must exit 2" >&2; fail=1; }
fi
exit $fail
