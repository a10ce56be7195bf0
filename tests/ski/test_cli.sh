#!/bin/sh
# test_cli.sh VHPTSIM TRACES_DIR - the help and argument handling of `vhptsim trace`.
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/hello.trc" ] || { echo "FAIL: no real Ski traces in '$dir' (set VHPTSIM_SKI_TRACES)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
check() { # check DESCRIPTION EXPECTED_STATUS COMMAND...
    desc=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $desc: status $got, expected $want" >&2; cat "$tmp/err" >&2; fail=1
    fi
}
has() { # has WHAT TEXT...: every TEXT appears in the last standard output
    what=$1; shift
    for s in "$@"; do
        grep -q -- "$s" "$tmp/out" || { echo "FAIL: $what does not mention '$s'" >&2; fail=1; }
    done
}

check "vhptsim --help" 0 "$vhptsim" --help
has "vhptsim --help" "trace info FILE" "trace convert IN OUT"
check "vhptsim help trace" 0 "$vhptsim" help trace
has "vhptsim help trace" "info FILE" "convert IN OUT" "--from" "--to" "--help"
check "trace --help" 0 "$vhptsim" trace --help
has "trace --help" "info FILE" "convert IN OUT" "Exit status"
check "trace info --help" 0 "$vhptsim" trace info --help
has "trace info --help" "--from ski|vtrace" "-h, --help" "4 KiB" "16 KiB" "64 KiB" "regions" "Exit status"
check "trace convert --help" 0 "$vhptsim" trace convert --help
has "trace convert --help" "--from ski|vtrace" "--to ski|vtrace" "--ifetch bundle|insn" "--drop-tlb-ops" \
    "-h, --help" "OUT.tmp.<pid>" "Exit status"

check "trace alone" 2 "$vhptsim" trace
check "unknown subcommand" 2 "$vhptsim" trace frobnicate
grep -q "unknown subcommand 'frobnicate'" "$tmp/err" || { echo "FAIL: unknown subcommand message" >&2; fail=1; }
check "info without a file" 2 "$vhptsim" trace info
check "info with two files" 2 "$vhptsim" trace info "$dir/hello.trc" "$dir/hello.trc"
check "info unknown option" 2 "$vhptsim" trace info --bogus "$dir/hello.trc"
check "info --from bad" 2 "$vhptsim" trace info --from elf "$dir/hello.trc"
check "info missing file" 2 "$vhptsim" trace info "$tmp/nonexistent.trc"
grep -q "cannot open" "$tmp/err" || { echo "FAIL: missing file message" >&2; fail=1; }
check "convert with one file" 2 "$vhptsim" trace convert "$dir/hello.trc"
check "convert unknown option" 2 "$vhptsim" trace convert --bogus "$dir/hello.trc" "$tmp/x.vtr"
check "info as vtrace of a Ski file" 2 "$vhptsim" trace info --from vtrace "$dir/hello.trc"
exit $fail
