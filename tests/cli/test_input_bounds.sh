#!/bin/sh
# test_input_bounds.sh VHPTSIM - no input may hang, exhaust memory or overflow silently, and
# every error names its place: vtrace lines are capped, experiment files are bounded in size,
# depth and anchors before libyaml loads them, derived figures that do not fit 64 bits are an
# error, and unreadable inputs exit 2 (README). The ptc.e bound, trace.path and a vtrace's vcpus
# are cases of tests/bad_config/.
set -u
vhptsim=$1
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
no() { echo "FAIL: $*" >&2; fail=1; }
# expect STATUS TEXT CMD...: CMD (killed after 20 s: a hang fails too) exits STATUS and prints
# TEXT on standard error
expect() {
    want=$1 text=$2
    shift 2
    timeout 20 "$@" >out 2>err
    st=$?
    [ $st -eq "$want" ] || no "$*: status $st, expected $want ($(head -c 300 err))"
    grep -qF -- "$text" err || no "$*: expected '$text' on stderr, got: $(head -c 300 err)"
}

# --- vtrace lines: at most 64 KiB, so no input makes the reader grow --------------------------
expect 2 "/dev/zero:1:1: error: NUL byte in a text trace" "$vhptsim" replay --from vtrace /dev/zero
# a line of 70 000 bytes, then an endless one from a pipe
awk 'BEGIN { printf "ld 0x1000 # "; for (i = 0; i < 70000; i++) printf "a"; print "" }' >long.vtr
expect 2 "long.vtr:1:1: error: line longer than 65536 bytes" "$vhptsim" replay long.vtr
yes a | tr -d '\n' | timeout 20 "$vhptsim" replay - >out 2>err
grep -qF "<stdin>:1:1: error: line longer than 65536 bytes" err || no "an endless line on stdin: $(head -c 300 err)"
# the longest line allowed: 65536 bytes before its newline (a comment fills it up)
awk 'BEGIN { s = "ld 0x1000 #"; printf "%s", s; for (i = length(s); i < 65536; i++) printf "a"; print "" }' >edge.vtr
"$vhptsim" replay edge.vtr >out 2>err || no "a line of exactly 65536 bytes is refused: $(head -c 300 err)"
grep -qx 'cpu0.events.ld 1' out || no "a line of 65536 bytes was not read as its event"

# --- experiment files: 1 MiB, 64 levels, 256 anchors ------------------------------------------
# 200 KB of '[': libyaml alone spends half a minute on it; the depth check stops at the 65th,
# column 65 -- where it stops shows that nothing past it was parsed
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "["; print "" }' >deep.yaml
start=$(date +%s)
expect 2 "deep.yaml:1:65: error: nested deeper than 64 levels" "$vhptsim" run -o deep-out deep.yaml
[ $(($(date +%s) - start)) -le 5 ] || no "200 KB of '[' took more than 5 s to reject"
# block nesting the same way ('- - - ...' opens a sequence every two columns)
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "- "; print "x" }' >deep-block.yaml
expect 2 "deep-block.yaml:1:129: error: nested deeper than 64 levels" "$vhptsim" run -o deep-out deep-block.yaml
# 64 levels are allowed (then the schema says what is wrong)
awk 'BEGIN { printf "x: "; for (i = 0; i < 63; i++) printf "["; for (i = 0; i < 63; i++) printf "]"; print "" }' >ok-depth.yaml
expect 2 "ok-depth.yaml:1:1: error: unknown key 'x'" "$vhptsim" run -o deep-out ok-depth.yaml
# anchors: libyaml's loader looks each one up in a list (seconds for 1 MiB of them)
awk 'BEGIN { printf "x: ["; for (i = 0; i < 300; i++) printf "&a%d 1, ", i; print "0]" }' >anchors.yaml
expect 2 "anchors.yaml:1:" "$vhptsim" run -o deep-out anchors.yaml
grep -qF "more than 256 anchors" err || no "anchors: $(head -c 300 err)"
# more than 1 MiB, and no end at all
awk 'BEGIN { for (i = 0; i < 70000; i++) print "# a comment line to fill"; print "name: big" }' >big.yaml
expect 2 "big.yaml: error: larger than 1048576 bytes" "$vhptsim" run -o deep-out big.yaml
expect 2 "/dev/zero: error: larger than 1048576 bytes" "$vhptsim" run -o deep-out /dev/zero
[ ! -e deep-out ] || no "a rejected experiment left an output directory"

# --- unreadable inputs are bad input: exit 2, naming the file (README) -------------------------
mkdir adir
expect 2 "adir: cannot open: is a directory" "$vhptsim" run adir
expect 2 "missing.yaml: cannot open" "$vhptsim" run missing.yaml
expect 2 "adir: cannot open: is a directory" "$vhptsim" replay --from vtrace adir
expect 2 "adir: cannot open: is a directory" "$vhptsim" replay adir
expect 2 "adir: cannot open: is a directory" "$vhptsim" trace info adir
expect 2 "missing.vtr: cannot open" "$vhptsim" replay missing.vtr
expect 2 "missing.vtr: cannot open" "$vhptsim" workload missing.vtr

# --- simulated time beyond 2^64 ps: an error, never a wrapped number --------------------------
# 200 000 references of 10^8 cycles each at 1 MHz (10^6 ps a cycle): 2 x 10^13 cycles,
# 2 x 10^19 ps > 2^64 - 1 = 1.8 x 10^19 (the old code printed 1553256722935448384)
cat >overflow.yaml <<'YAML'
machine: {clock_mhz: 1}
run: {length: 200000, interval: 0}
costs: {guest_ref: 100000000}
workload: {kind: uniform, footprint: 1M}
YAML
expect 2 "does not fit in 64 bits" "$vhptsim" run -o ovf overflow.yaml
[ ! -e ovf ] || no "a run whose figures overflow left a result"
# a tenth of that fits: just over 2 x 10^18 ps (the misses add their cycles), exactly
# cycles x 10^6 (sh arithmetic is 64-bit: exact below 9.2 x 10^18)
sed 's/200000/20000/' overflow.yaml >fits.yaml
"$vhptsim" run -q -o fits fits.yaml || no "a run of 2 x 10^18 ps failed"
cycles=$(awk -F': ' '$1 == "cpu0.cycles.total" { print $2 }' fits/stats.yaml)
ps=$(awk -F': ' '$1 == "cpu0.time_ps" { print $2 }' fits/stats.yaml)
[ "$cycles" -ge 2000000000000 ] && [ "$ps" = "$((cycles * 1000000))" ] ||
    no "time_ps $ps is not cycles.total $cycles x 10^6 ps"

# --- a Ski CAPSULE of a processor the experiment lacks: its byte offset -----------------------
printf 'vcpus 2\nifetch 0x4000000000000000\nld 0x6000000000001000\ncpu 1 ifetch 0x4000000000000010\n' >two.vtr
if "$vhptsim" trace convert two.vtr two.trc 2>err; then
    # the offset of the first CAPSULE (record type 0x80) whose processor byte is 1, found in the
    # bytes themselves (docs/ski-traces.md: a record is its type byte, then its fields)
    first=$("$vhptsim" trace info two.trc | awk '$1 == "header.first_record" { print $2 }')
    at=$(od -A d -v -t x1 -w1 two.trc | awk -v first="$first" '
        $1 >= first && prev == "80" && $2 == "01" { print prevoff; exit } { prev = $2; prevoff = $1 + 0 }')
    cat >ski.yaml <<'YAML'
source: ski
trace: {path: two.trc}
run: {length: 0, interval: 0}
guest: {vhpt_base: 0x1000000000000000}
YAML
    expect 2 "two.trc: offset $at: error: processor 1, but the experiment has vcpus: 1" "$vhptsim" run -o ski-out ski.yaml
    [ -n "$at" ] || no "no CAPSULE of processor 1 in the converted trace"
else
    no "trace convert two.vtr: $(cat err)"
fi
exit $fail
