#!/bin/sh
# test_convert.sh VHPTSIM TRACES_DIR - `vhptsim trace convert`: Ski -> vtrace -> Ski round trips on
# the real traces, events a Ski file cannot carry, --drop-tlb-ops, --from/--to, atomic output.
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/hello.trc" ] || { echo "FAIL: no real Ski traces in '$dir' (set VHPTSIM_SKI_TRACES)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

run() { # run DESCRIPTION EXPECTED_STATUS COMMAND...
    desc=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $desc: status $got, expected $want" >&2; cat "$tmp/err" >&2; fail=1
    fi
}
count() { grep -c "^$1 " "$2"; }
val() { awk -v k="$1" '$1==k{print $2; exit}' "$2"; }
no_tmp_left() { # no_tmp_left DIR: no OUT.tmp-<pid> files after a run
    if ls "$1" | grep -q '\.tmp-'; then echo "FAIL: $2: a temporary output file was left behind" >&2; fail=1; fi
}

# ---- Ski -> vtrace -> Ski -> vtrace on every real trace: the event stream survives
for t in hello seqscan ptrchase multiregion hello-gap; do
    run "$t: ski -> vtrace" 0 "$vhptsim" trace convert "$dir/$t.trc" "$tmp/$t.vtr"
    run "$t: vtrace -> ski" 0 "$vhptsim" trace convert "$tmp/$t.vtr" "$tmp/$t.2.trc"
    run "$t: ski -> vtrace again" 0 "$vhptsim" trace convert "$tmp/$t.2.trc" "$tmp/$t.2.vtr"
    grep -v '^#' "$tmp/$t.vtr" >"$tmp/a"; grep -v '^#' "$tmp/$t.2.vtr" >"$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: $t: the round trip changed the events" >&2; fail=1; }
    run "$t: info of the converted Ski file" 0 "$vhptsim" trace info "$tmp/$t.2.trc"
    cp "$tmp/out" "$tmp/$t.2.info"
    run "$t: info of the vtrace file" 0 "$vhptsim" trace info "$tmp/$t.vtr"
    cp "$tmp/out" "$tmp/$t.vtr.info"
    run "$t: info of the original" 0 "$vhptsim" trace info "$dir/$t.trc"
    cp "$tmp/out" "$tmp/$t.info"
    # the same pages, regions and first/last instruction everywhere
    for f in "$tmp/$t.2.info" "$tmp/$t.vtr.info"; do
        grep -E '^(pages|regions|insn)\.' "$f" >"$tmp/a"
        grep -E '^(pages|regions|insn)\.' "$tmp/$t.info" >"$tmp/b"
        cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: $t: footprint of $(basename "$f") differs" >&2; fail=1; }
    done
    # the written file: one CAPSULE + BUNDLE + IOFFSET per ifetch line, one DOFFSET per data ref
    n_if=$(count ifetch "$tmp/$t.vtr")
    [ "$(val records.capsule "$tmp/$t.2.info")" = "$n_if" ] || { echo "FAIL: $t: capsules != ifetch lines" >&2; fail=1; }
    [ "$(val records.bundle "$tmp/$t.2.info")" = "$n_if" ] || { echo "FAIL: $t: bundles != ifetch lines" >&2; fail=1; }
    [ "$(val records.ioffset "$tmp/$t.2.info")" = "$n_if" ] || { echo "FAIL: $t: ioffsets != ifetch lines" >&2; fail=1; }
    [ "$(val records.doffset "$tmp/$t.2.info")" = "$(val data.refs "$tmp/$t.info")" ] ||
        { echo "FAIL: $t: doffsets != data refs" >&2; fail=1; }
    no_tmp_left "$tmp" "$t"
done
# README figures in the vtrace text: data reference lines, and hello-gap's one discontinuity
refs() { grep -cE '^(ld|st|rse\.ld|rse\.st|lfetch) ' "$1"; }
[ "$(refs "$tmp/hello.vtr")" = 1156 ] || { echo "FAIL: hello.vtr: data lines != 1156" >&2; fail=1; }
[ "$(refs "$tmp/ptrchase.vtr")" = 232768 ] || { echo "FAIL: ptrchase.vtr: data lines != 232768" >&2; fail=1; }
[ "$(refs "$tmp/hello-gap.vtr")" = 846 ] || { echo "FAIL: hello-gap.vtr: data lines != 846" >&2; fail=1; }
[ "$(grep -c '^mark ' "$tmp/hello-gap.vtr")" = 1 ] || { echo "FAIL: hello-gap.vtr: not one mark" >&2; fail=1; }
grep -q '^mark 2000 code=2 addr=0x0$' "$tmp/hello-gap.vtr" || { echo "FAIL: hello-gap.vtr: mark line" >&2; fail=1; }
[ "$(grep -c '^st 0x2000000000000000 8$' "$tmp/ptrchase.vtr")" = 1 ] || { echo "FAIL: ptrchase.vtr: first build store" >&2; fail=1; }
# ptrchase's first chase loads: x0 = 0, x1 = 29535 -> 0x2000000000000000 + 256*29535 = 0x2000000000735f00
grep -E '^ld ' "$tmp/ptrchase.vtr" | head -n 2 >"$tmp/a"
printf 'ld 0x2000000000000000 8\nld 0x2000000000735f00 8\n' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: ptrchase.vtr: first chase loads" >&2; fail=1; }

# ---- --ifetch insn: one ifetch per instruction (README: 669,953 for ptrchase)
run "ptrchase --ifetch insn" 0 "$vhptsim" trace convert --ifetch insn "$dir/ptrchase.trc" "$tmp/pi.vtr"
[ "$(count ifetch "$tmp/pi.vtr")" = 669953 ] || { echo "FAIL: --ifetch insn: ifetch lines != 669953" >&2; fail=1; }
run "bad --ifetch" 2 "$vhptsim" trace convert --ifetch word "$dir/hello.trc" "$tmp/x.vtr"

# ---- vtrace -> Ski: events a Ski file cannot carry
cat >"$tmp/tlb.vtr" <<'VTR'
ifetch 0x4000000000000000
ld 0x6000000000000008 8
itc.d 0x6000000000004000 pte=0x4661 ps=14
st 0x6000000000000010 4 val=0x1234
rr 3 rid=0x100 ps=14
ifetch 0x4000000000000010
VTR
echo old >"$tmp/tlb.trc" # (--force: replace it, were the conversion to succeed)
run "itc.d refused" 2 "$vhptsim" trace convert --force "$tmp/tlb.vtr" "$tmp/tlb.trc"
grep -qF "$tmp/tlb.vtr:3: error: a Ski trace cannot carry 'itc.d' events" "$tmp/err" ||
    { echo "FAIL: itc.d message" >&2; cat "$tmp/err" >&2; fail=1; }
grep -q -- "--drop-tlb-ops" "$tmp/err" || { echo "FAIL: message does not mention --drop-tlb-ops" >&2; fail=1; }
[ "$(cat "$tmp/tlb.trc")" = old ] || { echo "FAIL: a failed conversion replaced the output" >&2; fail=1; }
no_tmp_left "$tmp" "failed conversion"
run "new output not created on failure" 2 "$vhptsim" trace convert "$tmp/tlb.vtr" "$tmp/none.trc"
[ -e "$tmp/none.trc" ] && { echo "FAIL: a failed conversion created its output" >&2; fail=1; }
no_tmp_left "$tmp" "failed conversion"
run "--drop-tlb-ops" 0 "$vhptsim" trace convert --force --drop-tlb-ops "$tmp/tlb.vtr" "$tmp/tlb.trc"
grep -q "dropped 2 events a Ski trace cannot carry and 1 store value" "$tmp/err" ||
    { echo "FAIL: --drop-tlb-ops summary" >&2; cat "$tmp/err" >&2; fail=1; }
run "read back" 0 "$vhptsim" trace convert "$tmp/tlb.trc" "$tmp/tlb2.vtr"
grep -v '^#' "$tmp/tlb2.vtr" >"$tmp/a"
printf 'ifetch 0x4000000000000000 16\nld 0x6000000000000008 8\nst 0x6000000000000010 4\nifetch 0x4000000000000010 16\n' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: --drop-tlb-ops output" >&2; cat "$tmp/a" >&2; fail=1; }

# a store value alone, a user mark, an unaligned ifetch
printf 'st 0x6000000000000010 4 val=0x1234\n' >"$tmp/val.vtr"
run "store value refused" 2 "$vhptsim" trace convert "$tmp/val.vtr" "$tmp/val.trc"
grep -qF "$tmp/val.vtr:1: error: a Ski trace cannot carry the value of a store" "$tmp/err" || { echo "FAIL: val message" >&2; fail=1; }
printf 'ifetch 0x4000000000000000\nmark 42\n' >"$tmp/mark.vtr"
run "user mark refused" 2 "$vhptsim" trace convert "$tmp/mark.vtr" "$tmp/mark.trc"
grep -qF "$tmp/mark.vtr:2: error: a Ski trace cannot carry a mark with code 0" "$tmp/err" || { echo "FAIL: mark message" >&2; fail=1; }
printf 'ifetch 0x4000000000000004\n' >"$tmp/ua.vtr"
run "unaligned ifetch refused" 2 "$vhptsim" trace convert "$tmp/ua.vtr" "$tmp/ua.trc"
grep -qF "$tmp/ua.vtr:1: error: ifetch address 0x4000000000000004 is not a bundle address" "$tmp/err" || { echo "FAIL: ifetch message" >&2; fail=1; }
no_tmp_left "$tmp" "refused events"

# ---- --from / --to override the extension; '-' is standard input/output
cp "$tmp/tlb2.vtr" "$tmp/events.txt"
run "--from vtrace on .txt" 0 "$vhptsim" trace convert --from vtrace "$tmp/events.txt" "$tmp/events.bin"
run "info on .bin" 0 "$vhptsim" trace info "$tmp/events.bin"
[ "$(val records.capsule "$tmp/out")" = 2 ] || { echo "FAIL: events.bin is not a Ski trace with 2 capsules" >&2; fail=1; }
run "--to vtrace on .out" 0 "$vhptsim" trace convert --to vtrace "$tmp/events.bin" "$tmp/events.out"
grep -v '^#' "$tmp/events.out" | cmp -s - "$tmp/a" || { echo "FAIL: --to vtrace output" >&2; fail=1; }
run "to standard output" 0 "$vhptsim" trace convert "$dir/hello-gap.trc" -
grep -v '^#' "$tmp/out" >"$tmp/a"; grep -v '^#' "$tmp/hello-gap.vtr" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: standard output differs from the file" >&2; fail=1; }
"$vhptsim" trace convert --from ski --to ski - "$tmp/copy.trc" <"$dir/hello.trc" 2>"$tmp/err" ||
    { echo "FAIL: Ski from standard input" >&2; cat "$tmp/err" >&2; fail=1; }
run "unknown format" 2 "$vhptsim" trace convert --to elf "$dir/hello.trc" "$tmp/x"
grep -q "^--to elf: error: unknown format" "$tmp/err" || { echo "FAIL: unknown format message" >&2; fail=1; }

# ---- bad input: status 2, no output
cp "$dir/hello.trc" "$tmp/bad.trc"; chmod u+w "$tmp/bad.trc"
printf 'x' >>"$tmp/bad.trc"
run "bad Ski input" 2 "$vhptsim" trace convert "$tmp/bad.trc" "$tmp/bad.vtr"
grep -q "offset 128284: error: 1 byte after the end-of-trace record" "$tmp/err" || { echo "FAIL: bad input message" >&2; fail=1; }
[ -e "$tmp/bad.vtr" ] && { echo "FAIL: output written for a bad input" >&2; fail=1; }
printf 'ifetch 0x4000000000000000\nld zz\n' >"$tmp/bad.vtr"
run "bad vtrace input" 2 "$vhptsim" trace convert "$tmp/bad.vtr" "$tmp/bad2.trc"
grep -qF "$tmp/bad.vtr:2:" "$tmp/err" || { echo "FAIL: bad vtrace message" >&2; fail=1; }
[ -e "$tmp/bad2.trc" ] && { echo "FAIL: output written for a bad vtrace input" >&2; fail=1; }
run "missing input" 2 "$vhptsim" trace convert "$tmp/nonexistent.trc" "$tmp/x.vtr"
# an output in a directory that is not there is a bad output (README: exit 2), found before converting
run "unwritable output" 2 "$vhptsim" trace convert "$dir/hello.trc" "$tmp/no/such/dir/x.vtr"
no_tmp_left "$tmp" "bad inputs"
exit $fail
