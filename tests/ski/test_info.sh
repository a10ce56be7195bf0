#!/bin/sh
# test_info.sh VHPTSIM TRACES_DIR - `vhptsim trace info` on the five real Ski traces.
# Expected figures: ../shared/traces/ski/README.md, or derived by hand from the guest programs
# (TRACES_DIR/src/*.S) as noted. A missing TRACES_DIR fails the test.
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/hello.trc" ] || { echo "FAIL: no real Ski traces in '$dir' (set VHPTSIM_SKI_TRACES)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

info() { # info NAME: run trace info into $tmp/NAME.info
    "$vhptsim" trace info "$dir/$1.trc" >"$tmp/$1.info" 2>"$tmp/$1.err"
    st=$?
    if [ "$st" -ne 0 ]; then echo "FAIL: trace info $1.trc: status $st" >&2; cat "$tmp/$1.err" >&2; fail=1; fi
}
val() { awk -v k="$2" '$1==k{print $2; exit}' "$tmp/$1.info"; }
want() { # want NAME KEY VALUE
    got=$(val "$1" "$2")
    [ "$got" = "$3" ] || { echo "FAIL: $1: $2 = '$got', expected '$3'" >&2; fail=1; }
}

for t in hello seqscan ptrchase multiregion hello-gap; do
    info $t
    want $t format ski
    want $t header.version 1.1
    want $t header.record_version 1.0
    want $t header.first_record 648
    want $t header.record_count 0
    want $t header.host 127.0.0.1
    grep -q '^header.tool Ski Simulator Version 1.5.1 (SDM 2.1)$' "$tmp/$t.info" ||
        { echo "FAIL: $t: header.tool" >&2; fail=1; }
    want $t records.end 1
    want $t records.interruption 0
    want $t records.context-switch 0
    want $t records.region-change 0
    want $t marks.interruption 0
    # IOFFSET = BRANCH + 1 + DISCONTINUITY; bundles entered = BUNDLE records (README)
    io=$(val $t records.ioffset) br=$(val $t records.branch) di=$(val $t records.discontinuity)
    [ "$io" = $((br + 1 + di)) ] || { echo "FAIL: $t: ioffset $io != branch $br + 1 + $di" >&2; fail=1; }
    [ "$(val $t bundles)" = "$(val $t records.bundle)" ] || { echo "FAIL: $t: bundles != records.bundle" >&2; fail=1; }
    [ "$(val $t events.ifetch)" = "$(val $t records.bundle)" ] || { echo "FAIL: $t: ifetch events != records.bundle" >&2; fail=1; }
    [ "$(val $t bytes)" = "$(wc -c <"$dir/$t.trc" | tr -d ' ')" ] || { echo "FAIL: $t: bytes" >&2; fail=1; }
    grep -q '^insn.first 0x' "$tmp/$t.info" || { echo "FAIL: $t: no insn.first" >&2; fail=1; }
    grep -q '^insn.last 0x' "$tmp/$t.info" || { echo "FAIL: $t: no insn.last" >&2; fail=1; }
done

# README's table: instructions (= CAPSULE records) and data references
want hello instructions 7920;        want hello records.capsule 7920;        want hello data.refs 1156
want seqscan instructions 98358;     want seqscan records.capsule 98358;     want seqscan data.refs 32768
want ptrchase instructions 669953;   want ptrchase records.capsule 669953;   want ptrchase data.refs 232768
want multiregion instructions 202307; want multiregion records.capsule 202307; want multiregion data.refs 135309
want hello-gap instructions 5920;    want hello-gap records.capsule 5920;    want hello-gap data.refs 846
for t in hello seqscan ptrchase multiregion; do
    want $t records.discontinuity 0; want $t instructions.untraced 0; want $t marks.discontinuity 0
done
# hello-gap: one DISCONTINUITY + VIRT_CYCLE pair, 2,000 untraced instructions
want hello-gap records.discontinuity 1
want hello-gap records.virt-cycle 1
want hello-gap instructions.untraced 2000
want hello-gap marks.discontinuity 1
want hello-gap events.mark 1

# seqscan: 32,768 8-byte reads, all in region 1: 16,384 4K, 4,096 16K, 1,024 64K pages (README);
# taken branches 2 x 16383 (br.cloop) + 1 (the second pass) = 32,767 (seqscan.S)
want seqscan data.read 32768;  want seqscan data.read.8 32768;  want seqscan data.write 0
want seqscan pages.data.4k 16384; want seqscan pages.data.16k 4096; want seqscan pages.data.64k 1024
want seqscan pages.data.4k.region1 16384
want seqscan regions.data 1
want seqscan regions.insn 2
want seqscan records.branch 32767
want seqscan records.ioffset 32768

# ptrchase: 32,768 st8 (build) + 200,000 ld8 (chase) inside the 8 MiB area: 8 MiB / 4 KiB =
# 2,048 pages (README's footprint), 512 16K, 128 64K; branches 32,767 + 24,999 (ptrchase.S)
want ptrchase data.read 200000;  want ptrchase data.write 32768
want ptrchase pages.data.4k 2048; want ptrchase pages.data.16k 512; want ptrchase pages.data.64k 128
want ptrchase regions.data 1
want ptrchase regions.insn 2
want ptrchase records.branch 57766

# multiregion (README + multiregion.S): data in regions 0..4, code in 2 and (the copied leaf) 1;
# 4 semaphores (STORE events), 1 lfetch, 1,282 RSE spills and fills; region 1's 4 MiB mmap is
# 1,024 4K pages, region 0's 64 KiB 16 4K pages
want multiregion regions.data 0,1,2,3,4
want multiregion regions.insn 1,2
want multiregion data.semaphore 4
want multiregion data.lfetch 1
want multiregion data.lfetch.1 1
want multiregion data.rse_spill 1282
want multiregion data.rse_fill 1282
want multiregion data.read 324
want multiregion data.write 132416
want multiregion events.st 132420
want multiregion events.ld 324
want multiregion pages.data.4k.region1 1024
want multiregion pages.data.16k.region1 256
want multiregion pages.data.64k.region1 64
want multiregion pages.data.4k.region0 16
want multiregion pages.data.16k.region0 4
want multiregion pages.data.64k.region0 1

# standard input gives the same figures
"$vhptsim" trace info --from ski - <"$dir/hello.trc" >"$tmp/stdin.info" 2>"$tmp/stdin.err" ||
    { echo "FAIL: trace info from standard input" >&2; cat "$tmp/stdin.err" >&2; fail=1; }
grep -v '^file ' "$tmp/stdin.info" >"$tmp/a"; grep -v '^file ' "$tmp/hello.info" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: info from standard input differs" >&2; fail=1; }

# a vtrace file: events by kind, pages, regions (figures by hand)
cat >"$tmp/small.vtr" <<'VTR'
ifetch 0x4000000000000000
ld 0x6000000000000008 8
st 0x6000000000001000 4
itc.d 0x6000000000004000 pte=0x4661 ps=14
ifetch 0x4000000000000010
lfetch 0x2000000000010000
VTR
"$vhptsim" trace info "$tmp/small.vtr" >"$tmp/small.info" 2>&1 || { echo "FAIL: info on vtrace" >&2; fail=1; }
want small format vtrace
want small data.refs 3
want small data.read 1
want small data.write.4 1
want small events 6
want small events.itc.d 1
want small pages.data.4k 3        # 0x6000000000000, 0x6000000000001, 0x2000000000010
want small pages.data.16k 2       # 0x6000000000000000 and 0x6000000000001000 share a 16K page
want small pages.insn.4k 1
want small regions.data 1,3
want small insn.first 0x4000000000000000
want small insn.last 0x4000000000000010
exit $fail
