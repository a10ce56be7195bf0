#!/bin/sh
# test_cli.sh VHPTSIM SOURCE_DIR - command-line behaviour of vhptsim.
set -u
vhptsim=$1 src=$2
fail=0
tmp_a=/tmp/vhptsim_cli_a.$$ tmp_b=/tmp/vhptsim_cli_b.$$ tmp_c=/tmp/vhptsim_cli_c.$$
check() { # check DESCRIPTION EXPECTED_STATUS COMMAND...
    desc=$1 want=$2; shift 2
    "$@" >/tmp/vhptsim_cli_out.$$ 2>/tmp/vhptsim_cli_err.$$
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $desc: status $got, expected $want" >&2; cat /tmp/vhptsim_cli_err.$$ >&2; fail=1
    fi
}
out() { cat /tmp/vhptsim_cli_out.$$; }
err() { cat /tmp/vhptsim_cli_err.$$; }

check "top-level help" 0 "$vhptsim" --help
out | grep -q "replay FILE " || { echo "FAIL: --help does not list replay" >&2; fail=1; }
check "no command" 2 "$vhptsim"
check "unknown command" 2 "$vhptsim" frobnicate
err | grep -q "unknown command 'frobnicate'" || { echo "FAIL: unknown command message" >&2; fail=1; }
check "replay help" 0 "$vhptsim" replay --help
for opt in --dump-state --config --set --vtlb-size --vhpt-size --itlb-l1 --dtlb-l2 --seed; do
    out | grep -q -- "$opt" || { echo "FAIL: replay --help does not explain $opt" >&2; fail=1; }
done
check "help replay" 0 "$vhptsim" help replay
check "replay without a file" 2 "$vhptsim" replay
check "unknown option" 2 "$vhptsim" replay --bogus x.vtr
check "missing file" 2 "$vhptsim" replay /nonexistent/file.vtr
err | grep -q "cannot open" || { echo "FAIL: missing file message" >&2; fail=1; }
check "vtlb size not a power of two" 2 "$vhptsim" replay --vtlb-size 100000 "$src/workloads/samples/sample.vtr"
err | grep -q "must be a power of two" || { echo "FAIL: power-of-two message" >&2; fail=1; }
check "vhpt size too small" 2 "$vhptsim" replay --vhpt-size 16K "$src/workloads/samples/sample.vtr"
err | grep -q "^--vhpt-size 16K: error: 'vhpt_size' must be a power of two from 32K to 1G bytes, got 16K$" ||
    { echo "FAIL: vhpt size message does not name the option" >&2; fail=1; }
check "page size not IA-64" 2 "$vhptsim" replay --set vmm.page_size=32K "$src/workloads/samples/sample.vtr"
err | grep -q "^--set vmm.page_size=32K: error: 'page_size': 32768 bytes is not an IA-64 page size" ||
    { echo "FAIL: page size message does not name the option" >&2; fail=1; }
# a study's file: its own values are replayed; sweep and report are named as having no effect
study=$src/configs/studies/vtlb-capacity.yaml
check "replay -c a study" 0 "$vhptsim" replay -c "$study" "$src/workloads/samples/sample.vtr"
for k in sweep report; do
    err | grep -q "^$study:$(grep -n "^$k:" "$study" | cut -d: -f1):1: warning: '$k' has no effect on replay" ||
        { echo "FAIL: replay -c a study does not say its $k has no effect: $(err)" >&2; fail=1; }
done
check "short form names itself" 2 "$vhptsim" replay --vtlb-size 100000 "$src/workloads/samples/sample.vtr"
err | grep -q "^--vtlb-size 100000: error: 'vtlb_size' must be a power of two" ||
    { echo "FAIL: --vtlb-size message does not name the option" >&2; fail=1; }
check "a key replay does not use" 2 "$vhptsim" replay --set guest.purge=ptc_e "$src/workloads/samples/sample.vtr"
err | grep -q "'guest.purge' has no effect on replay" || { echo "FAIL: a key without effect must be refused" >&2; fail=1; }
check "unknown key" 2 "$vhptsim" replay --set machine.dtlb.l3.entries=4 "$src/workloads/samples/sample.vtr"
err | grep -q "^--set machine.dtlb.l3.entries=4: error: unknown key 'l3'" || { echo "FAIL: unknown key message" >&2; fail=1; }
# the ptc.e loop's bound (at most 2^16 steps per flush, model/vmm/vmm_vcpu.h) through the schema:
# 512 x 256 = 131072 steps; the option, or the file's line and column, is named
check "ptc.e steps bounded" 2 "$vhptsim" replay --set 'vmm.ptce_count=[512, 256]' "$src/workloads/samples/sample.vtr"
err | grep -q "^--set vmm.ptce_count=\[512, 256\]: error: 'ptce_count' 512 x 256 is 131072 ptc.e steps per flush; at most 65536" ||
    { echo "FAIL: ptce bound message does not name the option" >&2; err >&2; fail=1; }
printf 'vmm:\n  ptce_count: [512, 256]\n' >"$tmp_c.yaml"
check "ptc.e steps bounded in a file" 2 "$vhptsim" replay -c "$tmp_c.yaml" "$src/workloads/samples/sample.vtr"
err | grep -q "^$tmp_c.yaml:2:15: error: 'ptce_count' 512 x 256" || { echo "FAIL: ptce bound message does not name FILE:LINE:COL" >&2; err >&2; fail=1; }
rm -f "$tmp_c.yaml"

# One schema: a short form, its dotted key and the same key in an experiment file give the
# same replay; and without an L1 TLB, the sample's 9 data lookups that found the L1 empty or
# hit it (2 hits + 7 misses) are L2 lookups instead (docs/machine-tlb.md: L1 is a cache of L2).
sample="$src/workloads/samples/sample.vtr"
"$vhptsim" replay --dtlb-l1 0 "$sample" >"$tmp_a" 2>&1
"$vhptsim" replay --set machine.dtlb.l1.entries=0 "$sample" >"$tmp_b" 2>&1
printf 'machine: {dtlb: {l1: {entries: 0}}}\n' >"$tmp_c.yaml"
"$vhptsim" replay -c "$tmp_c.yaml" "$sample" >"$tmp_c" 2>&1
cmp -s "$tmp_a" "$tmp_b" && cmp -s "$tmp_a" "$tmp_c" ||
    { echo "FAIL: --dtlb-l1 0, --set machine.dtlb.l1.entries=0 and a file's key differ" >&2; fail=1; }
[ "$(awk '$1 == "cpu0.dtlb.l1.hits" || $1 == "cpu0.dtlb.l1.misses" { s += $2 } END { print s }' "$tmp_a")" = 0 ] ||
    { echo "FAIL: without an L1 DTLB there must be no L1 lookups" >&2; fail=1; }
"$vhptsim" replay "$sample" >"$tmp_b"
l1=$(awk '$1 == "cpu0.dtlb.l1.hits" || $1 == "cpu0.dtlb.l1.misses" { s += $2 } END { print s }' "$tmp_b")
l2=$(awk '$1 == "cpu0.dtlb.l2.hits" || $1 == "cpu0.dtlb.l2.misses" { s += $2 } END { print s }' "$tmp_a")
[ "$l1" = 9 ] && [ "$l2" = 9 ] || { echo "FAIL: data lookups: L1 $l1 with L1, L2 $l2 without (expected 9 and 9)" >&2; fail=1; }
rm -f "$tmp_a" "$tmp_b" "$tmp_c" "$tmp_c.yaml"

# DESIGN.md's form: the option after the file
check "dump after the file" 0 "$vhptsim" replay "$src/tests/conformance/ps_less.vtr" --dump-state
out | diff -q - "$src/tests/conformance/ps_less.expected" >/dev/null ||
    { echo "FAIL: 'replay FILE --dump-state' differs from the expected dump" >&2; fail=1; }

# The sample replay (workloads/samples/sample.vtr), derived by hand from its comments:
# 8 references, of which 3 fault with alt_dtlb (rr.ve = 0: the guest walker is off) and one is
# re-executed after the VMM's vtlb hit; the ptc.l of the 64 KiB page probes 1 vTLB slot and
# 2^(16-14) = 4 VHPT slots and invalidates 3 entries; the ptc.e rewrites 4096 + 8192 entries;
# the two itc.d mark 1 + 4 frames dirty (the vtlb-hit insert re-marks 4 already marked).
check "sample replay" 0 "$vhptsim" replay "$src/workloads/samples/sample.vtr"
expect() { # expect NAME VALUE
    got=$(out | awk -v k="$1" '$1 == k { print $2 }')
    [ "$got" = "$2" ] || { echo "FAIL: sample replay: $1 is '$got', expected $2" >&2; fail=1; }
}
expect cpu0.refs 8
expect cpu0.refs.faulted 3
expect cpu0.vmm.fault.alt_dtlb 3
expect cpu0.refs.retried 1
expect cpu0.vmm.vtlb.hits 1
expect cpu0.vmm.purge.ptc_l.entries 5
expect cpu0.vmm.purge.ptc_l.invalidated 3
expect cpu0.vmm.purge.ptc_e.entries 12288
expect cpu0.refs.unresolved 0
expect vm.dirty.pages 5
rm -f /tmp/vhptsim_cli_out.$$ /tmp/vhptsim_cli_err.$$
exit $fail
