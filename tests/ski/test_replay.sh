#!/bin/sh
# test_replay.sh VHPTSIM SKI_DISTINCT_PAGES TRACES_DIR - real Ski traces through the guest OS
# model and the timed platform. With guest pages larger than the 16 KiB machine page, every
# page goes through the vTLB; its first touch must be a compulsory vTLB miss and no other miss
# may be one, so cpu0.vmm.vtlb.compulsory_misses must equal the distinct pages the trace
# touches at that page size, counted from the trace alone by ski_distinct_pages.
set -u
vhptsim=$1 distinct=$2 traces=$3
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for trace in hello seqscan multiregion ptrchase; do
    for size in 64K:16 256K:18; do
        bytes=${size%:*} shift_=${size#*:}
        want=$("$distinct" "$traces/$trace.trc" "$shift_") || { echo "FAIL: ski_distinct_pages $trace" >&2; fail=1; continue; }
        cat >"$tmp/c.yaml" <<YAML
name: ski-$trace
source: ski
trace: {path: $traces/$trace.trc}
run: {length: 0, warmup: 0, interval: 0}
guest:
  vhpt_base: 0x1000000000000000
  region_page_size: {0: $bytes, 1: $bytes, 2: $bytes, 3: $bytes, 4: $bytes}
YAML
        if ! "$vhptsim" run -q --force -o "$tmp/out" "$tmp/c.yaml"; then
            echo "FAIL: run of $trace at $bytes" >&2; fail=1; continue
        fi
        got=$(awk -F': ' '$1 == "cpu0.vmm.vtlb.compulsory_misses" { print $2 }' "$tmp/out/stats.yaml")
        faulted=$(awk -F': ' '$1 == "cpu0.refs.faulted" || $1 == "cpu0.refs.unresolved" { s += $2 } END { print s + 0 }' "$tmp/out/stats.yaml")
        if [ "$got" != "$want" ]; then
            echo "FAIL: $trace at $bytes pages: $got compulsory vTLB misses, $want distinct pages" >&2; fail=1
        fi
        if [ "$faulted" != 0 ]; then
            echo "FAIL: $trace at $bytes pages: $faulted references did not complete" >&2; fail=1
        fi
        echo "$trace $bytes: $want distinct pages, $got compulsory vTLB misses"
    done
done
exit $fail
