#!/bin/sh
# run_conformance.sh VHPTSIM CASE.vtr CASE.expected
# Replays CASE.vtr with --dump-state and compares the dump with the hand-derived expected file.
set -u
vhptsim=$1 vtr=$2 expected=$3
actual=$(mktemp) || exit 1
trap 'rm -f "$actual"' EXIT
"$vhptsim" replay --dump-state "$vtr" >"$actual"
status=$?
if [ "$status" -ne 0 ]; then
    echo "replay of $vtr exited with status $status" >&2
    exit 1
fi
if ! diff -u "$expected" "$actual"; then
    echo "state dump of $vtr differs from $expected (- expected, + actual)" >&2
    exit 1
fi
