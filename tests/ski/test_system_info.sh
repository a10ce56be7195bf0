#!/bin/sh
# test_system_info.sh VHPTSIM SYSTEM_TRACES_DIR SOURCE_DIR - `vhptsim trace info` on the two
# system-mode traces prints exactly the figures of SYSTEM_TRACES_DIR/README.md (typed here from
# its tables), and the user-mode traces still read as user mode.
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/tlbkern.trc" ] || { echo "FAIL: no Ski system traces in '$dir'" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

info() {
    "$vhptsim" trace info "$dir/$1.trc" >"$tmp/$1.info" 2>"$tmp/$1.err" ||
        { echo "FAIL: trace info $1.trc" >&2; cat "$tmp/$1.err" >&2; fail=1; }
}
want() { # want NAME KEY VALUE
    got=$(awk -v k="$2" '$1==k{print $2; exit}' "$tmp/$1.info")
    [ "$got" = "$3" ] || { echo "FAIL: $1: $2 = '$got', expected '$3'" >&2; fail=1; }
}

for t in tlbkern tlbkern-annot; do
    info $t
    want $t mode system
    # README "Record counts"
    if [ $t = tlbkern ]; then caps=8475 io=8325 bun=3035 ar=40; else caps=9228 io=9049 bun=3286 ar=691; fi
    want $t records.capsule $caps
    want $t instructions $caps
    want $t records.interruption 398
    want $t records.ioffset $io
    want $t records.bundle $bun
    want $t records.branch 626
    want $t records.doffset 860
    want $t records.prev-pfs 30
    want $t records.br-value 30
    want $t records.ar-value $ar
    want $t ar_values $ar
    want $t records.end 1
    want $t bundles $bun
    want $t system.bundles $bun
    # README "Interruptions (199)": vector, kind, region
    want $t interruptions 199
    want $t interruptions.dtlb 115
    want $t interruptions.dtlb.write.region1 66
    want $t interruptions.dtlb.write.region3 49
    want $t interruptions.alt_dtlb 60
    want $t interruptions.alt_dtlb.write.region2 60
    want $t interruptions.itlb 12
    want $t interruptions.itlb.fetch.region5 12
    want $t interruptions.alt_itlb 12
    want $t interruptions.alt_itlb.fetch.region6 12
    want $t marks.interruption 199
    # README "Privileged instructions"
    want $t privileged.itc_d 175
    want $t privileged.itc_i 24
    want $t privileged.itr_i 1
    want $t privileged.itr_d 3
    want $t privileged.ptr_d 1
    want $t privileged.ptc_l 2
    want $t privileged.ptc_ga 2
    want $t privileged.ptc_e 2
    want $t privileged.mov_rr 12
    want $t privileged.mov_cr_pta 1
    want $t privileged.mov_cr_iva 1
    want $t privileged.mov_cr_ifa 3
    want $t privileged.mov_cr_itir 2
    want $t privileged.mov_cr_ipsr 1
    want $t privileged.mov_cr_iip 1
    want $t privileged.mov_cr_ifs 1
    want $t privileged.rsm 1
    want $t privileged.ssm 1
    want $t privileged.rfi 200
    # README "DOFFSET records": 41+130+128+64 reads, 196+188+113 writes
    want $t data.read 363
    want $t data.write 497
    # 175+24+1+3+1+2+2+2+12 + mov cr.pta = 223 TLB operations
    want $t tlb_ops 223
    want $t operands.mismatch 0
done
# "With this decoding, all 223 TLB operations come out with full operands."
want tlbkern-annot tlb_ops.complete 223
want tlbkern-annot tlb_ops.annotated 223
want tlbkern-annot operands.annotated yes
want tlbkern-annot ar_values.kernel 651
# Without the annotation the trace determines everything but the PTEs the handlers compute.
want tlbkern operands.annotated no
want tlbkern tlb_ops.complete 24
want tlbkern tlb_ops.missing.itc_d.value 175
want tlbkern tlb_ops.missing.itc_i.value 24
want tlbkern marks.unrecovered 199

# the user-mode traces stay user mode
traces=$3/../shared/traces/ski
for t in hello hello-gap; do
    if [ -r "$traces/$t.trc" ]; then
        "$vhptsim" trace info "$traces/$t.trc" >"$tmp/u.info" 2>&1
        grep -qx 'mode user' "$tmp/u.info" || { echo "FAIL: $t.trc does not read as user mode" >&2; fail=1; }
        grep -q '^interruptions' "$tmp/u.info" && { echo "FAIL: $t.trc prints system figures" >&2; fail=1; }
    fi
done
exit $fail
