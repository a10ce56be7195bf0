#!/bin/sh
# check_golden.sh VHPTSIM INPUT EXPECTED - a refactoring guard: the outputs of one input must
# be byte for byte what an earlier build of vhptsim wrote for it.
#
#   INPUT.yaml  `vhptsim run`: stats.yaml, stats.csv and timeseries.csv against the files of
#               the directory EXPECTED;
#   INPUT.vtr   `vhptsim replay --counters --dump-state`: its output against the file EXPECTED.
#
# The expected files are NOT a correctness oracle: they are the program's own output, recorded
# before the miss-path speed-ups of issue 11 (tests/golden/README.md), so that a change meant to
# make vhptsim faster provably changes no simulated number. Correctness is what the conformance,
# e2e, unit and property tests check. A change that is meant to alter simulated numbers (a model
# fix) re-records them, and says so in its commit:
#
#   GOLDEN_UPDATE=1 ctest --test-dir build -R '^golden\.'
#
# GOLDEN_VHPTSIM=PATH runs that binary instead of VHPTSIM: to record the files from an older
# build (the reference point) in a newer tree (tests/golden/README.md).
set -u
vhptsim=${GOLDEN_VHPTSIM:-$1} input=$2 expected=$3
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

case "$input" in
*.yaml)
    if ! "$vhptsim" run -q -o "$out/run" "$input"; then
        echo "run of $input failed" >&2
        exit 1
    fi
    files="stats.yaml stats.csv timeseries.csv" # no timeseries.csv with run.interval 0
    if [ -n "${GOLDEN_UPDATE:-}" ]; then
        rm -rf "$expected" && mkdir -p "$expected" || exit 1
        for f in $files; do
            if [ -e "$out/run/$f" ]; then cp "$out/run/$f" "$expected/$f" || exit 1; fi
        done
        echo "recorded $expected"
        exit 0
    fi
    if [ ! -f "$expected/stats.yaml" ]; then
        echo "$input: nothing recorded in $expected" >&2
        exit 1
    fi
    fail=0
    for f in $files; do
        if [ ! -e "$expected/$f" ] && [ ! -e "$out/run/$f" ]; then
            continue
        fi
        if ! diff -u "$expected/$f" "$out/run/$f"; then
            echo "$input: $f differs from $expected/$f (- recorded, + now)" >&2
            fail=1
        fi
    done
    exit $fail
    ;;
*.vtr)
    if ! "$vhptsim" replay --counters --dump-state "$input" >"$out/replay"; then
        echo "replay of $input failed" >&2
        exit 1
    fi
    if [ -n "${GOLDEN_UPDATE:-}" ]; then
        mkdir -p "$(dirname "$expected")" && cp "$out/replay" "$expected" || exit 1
        echo "recorded $expected"
        exit 0
    fi
    if ! diff -u "$expected" "$out/replay"; then
        echo "$input: replay output differs from $expected (- recorded, + now)" >&2
        exit 1
    fi
    ;;
*)
    echo "check_golden.sh: $input is neither .yaml nor .vtr" >&2
    exit 2
    ;;
esac
