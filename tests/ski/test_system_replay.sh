#!/bin/sh
# test_system_replay.sh VHPTSIM SYSTEM_TRACES_DIR SOURCE_DIR - the guest-driven replay of the
# system-mode traces (docs/ski-traces.md, "System mode"): the untimed `vhptsim replay` and the
# timed `vhptsim run configs/ski-system*.yaml`. Expected values are README counts or derived
# from KVM/ia64's miss path (spec section 4) as noted.
set -u
vhptsim=$1 dir=$(cd "$2" 2>/dev/null && pwd) src=$3
fail=0
[ -r "$dir/tlbkern-annot.trc" ] || { echo "FAIL: no Ski system traces in '$dir'" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
want() { # want FILE KEY VALUE
    got=$(awk -v k="$2" '$1==k || $1==k":" {print $2; exit}' "$1")
    [ "$got" = "$3" ] || { echo "FAIL: $(basename "$1"): $2 = '$got', expected '$3'" >&2; fail=1; }
}
val() { awk -v k="$2" '$1==k || $1==k":" {print $2; exit}' "$1"; }

"$vhptsim" replay "$dir/tlbkern-annot.trc" >"$tmp/annot" 2>"$tmp/err" ||
    { echo "FAIL: replay tlbkern-annot.trc" >&2; cat "$tmp/err" >&2; fail=1; }
r=$tmp/annot
# all 223 TLB operations reach the VMM with their operands (README's privileged table)
want $r cpu0.events.itc_d 175
want $r cpu0.events.itc_i 24
want $r cpu0.events.itr_i 1
want $r cpu0.events.itr_d 3
want $r cpu0.events.ptr_d 1
want $r cpu0.events.ptc_l 2
want $r cpu0.events.ptc_ga 2
want $r cpu0.events.ptc_e 2
want $r cpu0.events.rr 12
want $r cpu0.events.pta 1
want $r cpu0.vmm.insert.itc_d.count 175
want $r cpu0.vmm.insert.itc_i.count 24
want $r cpu0.vmm.insert.itr_i.count 1
want $r cpu0.vmm.insert.itr_d.count 3
want $r cpu0.vmm.purge.ptc_l.count 2
want $r cpu0.vmm.purge.ptc_ga.count 2
want $r cpu0.vmm.purge.ptc_e.count 2
want $r cpu0.vmm.purge.ptr_d.count 1
want $r cpu0.vmm.state.mov_rr 12
want $r cpu0.vmm.state.mov_pta 1
# psr: the loader's 0 (physical), 200 rfi, rsm, ssm; one switch to virtual mode and back
want $r cpu0.events.psr 203
want $r cpu0.vmm.mode.p2v 1
want $r cpu0.refs.unresolved 0
want $r cpu0.trace.interruptions 199
want $r cpu0.events.mark 199
# Every interruption of the trace is one the VMM raises too (it faults on each attempt) ...
ag=$(val $r cpu0.trace.interruptions.agreed) tr=$(val $r cpu0.divergence.vmm_translated)
vi=$(val $r cpu0.divergence.vector.inst_page_not_present)
[ $((ag + vi)) = 199 ] && [ "$tr" = 0 ] ||
    { echo "FAIL: agreed $ag + vector $vi != 199 or translated $tr != 0" >&2; fail=1; }
want $r cpu0.refs.faulted 199
# ... but in region 5 (rr5.ve = 1, pta.ve = 1) KVM walks the guest's zero-filled VHPT, finds
# pte.p = 0 and injects Instruction Page Not Present (kvm_page_fault, I side), where the
# hardware Ski models raised an Instruction TLB fault: the 12 region-5 fetch faults (README).
want $r cpu0.divergence.vector.inst_page_not_present 12
# the data side agrees: a zero pte gives Data TLB (regions 1, 3), walker off gives Alt DTLB
want $r cpu0.vmm.fault.dtlb 115
want $r cpu0.vmm.fault.alt_dtlb 60
want $r cpu0.vmm.fault.alt_itlb 12

# Ski -> vtrace keeps the operations: replaying the vtrace does the same VMM work
"$vhptsim" trace convert "$dir/tlbkern-annot.trc" "$tmp/annot.vtr" 2>"$tmp/err" ||
    { echo "FAIL: convert" >&2; cat "$tmp/err" >&2; fail=1; }
"$vhptsim" replay "$tmp/annot.vtr" >"$tmp/vtr" 2>"$tmp/err" || { echo "FAIL: replay vtr" >&2; cat "$tmp/err" >&2; fail=1; }
# (the outcome flags and the per-event instruction counts are what a vtrace cannot carry: the
# Ski replay alone lists trace.*, divergence.* and instructions)
grep -v -e '\.trace\.' -e '\.divergence\.' -e '^cpu0\.instructions ' "$tmp/annot" >"$tmp/a1"
grep -v -e '\.trace\.' -e '\.divergence\.' -e '^cpu0\.instructions ' "$tmp/vtr" >"$tmp/a2"
grep -q -e '\.trace\.' -e '\.divergence\.' -e '^cpu0\.instructions ' "$tmp/vtr" &&
    { echo "FAIL: the converted vtrace lists counters only a system-mode Ski trace has" >&2; fail=1; }
want $r cpu0.instructions 9228 # README: every CAPSULE is one instruction
cmp -s "$tmp/a1" "$tmp/a2" || { echo "FAIL: the converted vtrace replays differently" >&2; diff "$tmp/a1" "$tmp/a2" | head >&2; fail=1; }

# the unannotated trace: the itc PTEs are not recovered, so the handlers insert nothing and
# every re-execution faults again in the VMM (a divergence: the trace shows none)
"$vhptsim" replay "$dir/tlbkern.trc" >"$tmp/plain" 2>"$tmp/err" || { echo "FAIL: replay tlbkern.trc" >&2; fail=1; }
want $tmp/plain cpu0.events.itc_d 0
want $tmp/plain cpu0.events.rr 12
want $tmp/plain cpu0.trace.interruptions 199
[ "$(val $tmp/plain cpu0.divergence.vmm_fault.dtlb)" -gt 0 ] || { echo "FAIL: tlbkern.trc shows no divergence" >&2; fail=1; }

# a user-mode trace has no TLB operations of its own
if [ -r "$src/tests/fuzz/corpus/hello-start.trc" ]; then
    "$vhptsim" replay "$src/tests/fuzz/corpus/hello-start.trc" >/dev/null 2>"$tmp/err"; st=$?
    [ $st = 2 ] && grep -q 'a user-mode Ski trace carries no TLB operations' "$tmp/err" ||
        { echo "FAIL: replay of a user-mode trace: status $st" >&2; cat "$tmp/err" >&2; fail=1; }
fi

# the timed runs: the ready configurations, deterministic, the same events as the replay
for c in ski-system-annot ski-system; do
    "$vhptsim" run -q -o "$tmp/$c" "$src/configs/$c.yaml" 2>"$tmp/err" || { echo "FAIL: run $c" >&2; cat "$tmp/err" >&2; fail=1; }
    "$vhptsim" run -q -o "$tmp/$c.2" "$src/configs/$c.yaml" 2>/dev/null
    cmp -s "$tmp/$c/stats.yaml" "$tmp/$c.2/stats.yaml" || { echo "FAIL: $c: two runs differ" >&2; fail=1; }
done
s=$tmp/ski-system-annot/stats.yaml
for k in events.itc_d events.itc_i events.ptc_e events.rr refs instructions trace.interruptions trace.interruptions.agreed \
         divergence.vector.inst_page_not_present vmm.purge.ptc_e.entries vmm.purge.ptc_ga.entries; do
    want $s cpu0.$k "$(val $r cpu0.$k)"
done
[ "$(val $s cpu0.cycles.total)" -gt 0 ] || { echo "FAIL: the timed run charged no cycles" >&2; fail=1; }
# the instructions are known: MPKI = 1000 x misses / 9228 CAPSULEs (README), and the VM sums
want $s vm.instructions 9228
want $s vm.trace.interruptions 199
m=$(val $s vm.dtlb.l2.misses)
want $s vm.dtlb.l2.mpki "$(awk -v m="$m" 'BEGIN { printf "%.9g", 1000 * m / 9228 }')"

# source: ski with the guest OS model on a system trace (and off on a user trace) is an error
printf 'name: x\nsource: ski\ntrace: {path: %s}\nguest: {enabled: true}\n' "$dir/tlbkern.trc" >"$tmp/on.yaml"
"$vhptsim" run -o "$tmp/on" "$tmp/on.yaml" >/dev/null 2>"$tmp/err"; st=$?
[ $st = 2 ] && grep -q "tlbkern.trc: error: a system-mode Ski trace carries the guest's own TLB management: guest.enabled must be false" "$tmp/err" ||
    { echo "FAIL: system trace with the guest OS model: status $st" >&2; cat "$tmp/err" >&2; fail=1; }
[ -e "$tmp/on" ] && { echo "FAIL: a failed run left its directory" >&2; fail=1; }
exit $fail
