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
check "page shift not IA-64" 2 "$vhptsim" replay --page-shift 15 "$src/workloads/samples/sample.vtr"
err | grep -q "not an IA-64 page size" || { echo "FAIL: page shift message" >&2; fail=1; }

# The sample replay: every reference of the sample is accounted for exactly once.
check "sample replay" 0 "$vhptsim" replay "$src/workloads/samples/sample.vtr"
refs=$(out | awk '$1=="cpu0.refs"{print $2}')
ends=$(out | awk '$1=="cpu0.refs.io_emulated"||$1=="cpu0.refs.faulted"||$1=="cpu0.refs.lfetch_dropped"||$1=="cpu0.refs.unresolved"{s+=$2} END{print s+0}')
[ -n "$refs" ] && [ "$refs" -gt 0 ] || { echo "FAIL: sample replay printed no references" >&2; fail=1; }
unresolved=$(out | awk '$1=="cpu0.refs.unresolved"{print $2}')
[ "$unresolved" = 0 ] || { echo "FAIL: sample has unresolved references" >&2; fail=1; }
: "$ends"
rm -f /tmp/vhptsim_cli_out.$$ /tmp/vhptsim_cli_err.$$
exit $fail
