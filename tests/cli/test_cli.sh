#!/bin/sh
# test_cli.sh VHPTSIM SOURCE_DIR - command-line behaviour of vhptsim.
set -u
vhptsim=$1 src=$2
fail=0
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
out | grep -q "replay FILE.vtr" || { echo "FAIL: --help does not list replay" >&2; fail=1; }
check "no command" 2 "$vhptsim"
check "unknown command" 2 "$vhptsim" frobnicate
err | grep -q "unknown command 'frobnicate'" || { echo "FAIL: unknown command message" >&2; fail=1; }
check "replay help" 0 "$vhptsim" replay --help
for opt in --dump-state --vtlb-size --vhpt-size --page-shift --itc-entries --dtc-entries --ptce-count --p2m-offset --guest-mem --hash; do
    out | grep -q -- "$opt" || { echo "FAIL: replay --help does not explain $opt" >&2; fail=1; }
done
check "help replay" 0 "$vhptsim" help replay
check "replay without a file" 2 "$vhptsim" replay
check "unknown option" 2 "$vhptsim" replay --bogus x.vtr
check "missing file" 2 "$vhptsim" replay /nonexistent/file.vtr
err | grep -q "cannot open" || { echo "FAIL: missing file message" >&2; fail=1; }
check "vtlb size not a power of two" 2 "$vhptsim" replay --vtlb-size 100000 "$src/workloads/samples/sample.vtr"
err | grep -q "not a power of two" || { echo "FAIL: power-of-two message" >&2; fail=1; }
check "vhpt size too small" 2 "$vhptsim" replay --vhpt-size 16K "$src/workloads/samples/sample.vtr"
err | grep -q "VHPT size must be a power of two from 32 KiB to 1 GiB" || { echo "FAIL: vhpt size message" >&2; fail=1; }
check "page shift not IA-64" 2 "$vhptsim" replay --page-shift 15 "$src/workloads/samples/sample.vtr"
err | grep -q "not an IA-64 page size" || { echo "FAIL: page shift message" >&2; fail=1; }

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
