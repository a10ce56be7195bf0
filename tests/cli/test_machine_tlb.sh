#!/bin/sh
# test_machine_tlb.sh VHPTSIM SOURCE_DIR - machine TLB cases on the command line:
#  - a purge removes the L1 TLB's pieces of a translation that overlaps it (issue 7, point 1);
#    the expected counters are derived by hand in tests/cli/l1_purge_piece.vtr;
#  - a side where no level holds 4 KiB pages is refused (tests/cli/no_4k_level.vtr).
set -u
vhptsim=$1 src=$2
trace="$src/tests/cli/l1_purge_piece.vtr"
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$vhptsim" replay "$trace" >"$tmp/l1" || { echo "FAIL: replay with the default L1 failed" >&2; exit 1; }
"$vhptsim" replay --itlb-l1 0 "$trace" >"$tmp/nol1" || { echo "FAIL: replay with --itlb-l1 0 failed" >&2; exit 1; }

expect() { # expect FILE NAME VALUE
    got=$(awk -v k="$2" '$1 == k { print $2 }' "$tmp/$1")
    [ "$got" = "$3" ] || { echo "FAIL: $1: $2 is '$got', expected $3" >&2; fail=1; }
}
for run in l1 nol1; do
    expect $run cpu0.itlb.l2.misses 2
    expect $run cpu0.itlb.l2.inserts 1
    expect $run cpu0.itlb.l2.purged 1
    expect $run cpu0.walker.walks 2
    expect $run cpu0.walker.hits 1
    expect $run cpu0.walker.misses 1
    expect $run cpu0.vmm.purge.ptc_l.invalidated 1
    expect $run cpu0.vmm.vtlb.misses 1
    expect $run cpu0.vmm.fault.alt_itlb 1
    expect $run cpu0.refs.faulted 1
done
expect l1 cpu0.itlb.l1.hits 0
expect l1 cpu0.itlb.l1.misses 2
expect l1 cpu0.itlb.l1.inserts 1
expect l1 cpu0.itlb.l1.purged 1
expect nol1 cpu0.itlb.l1.misses 0
expect nol1 cpu0.itlb.l1.inserts 0

# and nothing else differs: L1 is only a cache of L2 (the second ifetch's L2 miss and the
# first one's are the only L2 lookups either way, so even itlb.l2.hits agrees)
grep -v '\.l1\.' "$tmp/l1" >"$tmp/a"
grep -v '\.l1\.' "$tmp/nol1" >"$tmp/b"
if ! diff "$tmp/a" "$tmp/b" >&2; then
    echo "FAIL: counters other than itlb.l1.* differ with and without L1 (< default, > --itlb-l1 0)" >&2
    fail=1
fi

# a D side of 16 KiB pages only at both levels: exit 2 with the reason, before any event
l1_16k='machine.dtlb.l1={entries: 4, ways: 0, policy: lru, page_size: 16K}'
l2_16k='machine.dtlb.l2={entries: 8, ways: 2, policy: lru, page_size: 16K}'
"$vhptsim" replay --set "$l1_16k" --set "$l2_16k" "$src/tests/cli/no_4k_level.vtr" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 2 ] || { echo "FAIL: no 4 KiB level: status $status, expected 2" >&2; fail=1; }
# the message names the option that made the side wrong: the latest --set inside the machine
# section (a check of the section's values together, docs/config.md)
grep -q "^--set $l2_16k: error: .*dtlb: neither level holds 4 KiB pages" "$tmp/err" ||
    { echo "FAIL: no 4 KiB level: message" >&2; cat "$tmp/err" >&2; fail=1; }
[ -s "$tmp/out" ] && { echo "FAIL: no 4 KiB level: printed counters" >&2; fail=1; }
# the same trace with the default L1 (4 KiB pieces) beside that L2 runs
"$vhptsim" replay --set "$l2_16k" "$src/tests/cli/no_4k_level.vtr" >/dev/null ||
    { echo "FAIL: a 4 KiB L1 beside a 16 KiB L2 is refused" >&2; fail=1; }
exit $fail
