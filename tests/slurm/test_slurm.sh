#!/bin/bash
# test_slurm.sh VHPTSIM SOURCE_DIR - a study through a real single-node SLURM cluster started
# here: slurm-wlm and munge installed if missing (scripts/setup --extra slurm), a private
# munged, slurmctld and slurmd (state, sockets, logs, pids in a temporary directory; ports
# picked for this run), then the same study with --backend slurm and with the local backend:
# summary.csv and every point's files must be byte-identical, a failing point must show as
# failed in both, and the cluster's study must resume. The daemons started here are stopped by
# their pids on exit. Needs root (to install packages and run slurmd); otherwise SKIPPED (77).
set -u
vhptsim=$1 src=$2
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIPPED: the SLURM test needs root (to install slurm-wlm and munge and to run slurmd)" >&2
    exit 77
fi
"$src/scripts/setup" --no-build --extra slurm >/dev/null || { echo "FAIL: cannot install slurm-wlm and munge" >&2; exit 1; }

tmp=$(mktemp -d) || exit 1
chmod 700 "$tmp"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
dump_logs() { tail -n 20 "$tmp"/log/* >&2 2>/dev/null; }

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/run" "$tmp/etc"
chmod 700 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" || { echo "FAIL: mungekey" >&2; exit 1; }
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" \
    --pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/seed" \
    >"$tmp/log/munged.out" 2>&1 &
pids+=($!)

host=$(hostname)
node=$(slurmd -C | head -n 1)
port=$((20000 + $$ % 20000))
cat >"$tmp/etc/slurm.conf" <<EOF
ClusterName=vhptsimtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
$node
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/etc/slurm.conf"
for _ in $(seq 50); do [ -S "$tmp/munge/munge.sock" ] && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 60); do
    if sinfo --noheader --format=%t 2>/dev/null | grep -q '^idle'; then up=1; break; fi
    sleep 0.5
done
if [ "$up" != 1 ]; then
    echo "FAIL: the single-node cluster did not come up" >&2
    sinfo >&2; dump_logs; exit 1
fi

# the study: 2 x 2 points of a short run, plus a point whose trace breaks in the middle (a
# run-time failure the configuration check cannot see)
printf 'vcpus 1\nrr 3 rid=0x10 ps=16 ve=1\nld 0x6000000000010000 8\n' >"$tmp/good.vtr"
cp "$tmp/good.vtr" "$tmp/bad.vtr"
printf 'ld 0x60000000000200000000 8\n' >>"$tmp/bad.vtr"
cat >"$tmp/study.yaml" <<'EOF'
name: slurm-test
run: {length: 20000, warmup: 2000, interval: 5000}
workload: {kind: uniform, footprint: 8M}
sweep:
  vmm.vtlb_size: [32K, 1M]
  seed: [1, 2]
EOF
cat >"$tmp/traces.yaml" <<EOF
name: slurm-traces
source: vtrace
guest: {enabled: false}
sweep:
  trace.path: [$tmp/good.vtr, $tmp/bad.vtr]
EOF

"$vhptsim" run -q -j 2 -o "$tmp/local" "$tmp/study.yaml" || { echo "FAIL: local study" >&2; fail=1; }
"$vhptsim" run -q -j 2 --backend slurm -o "$tmp/slurm" "$tmp/study.yaml" 2>"$tmp/err" ||
    { echo "FAIL: SLURM study" >&2; cat "$tmp/err" >&2; dump_logs; fail=1; }
cmp "$tmp/local/summary.csv" "$tmp/slurm/summary.csv" ||
    { echo "FAIL: summary.csv differs between the local and the SLURM backend" >&2; fail=1; }
[ "$(grep -c ',ok,' "$tmp/slurm/summary.csv")" = 4 ] || { echo "FAIL: 4 points must be ok" >&2; fail=1; }
for d in "$tmp/local"/*=*/; do
    p=$(basename "$d")
    for f in config.yaml stats.yaml stats.csv timeseries.csv; do
        cmp -s "$d/$f" "$tmp/slurm/$p/$f" || { echo "FAIL: $p/$f differs between the backends" >&2; fail=1; }
    done
done
[ -f "$tmp/slurm/report/index.html" ] || { echo "FAIL: no report after the SLURM study" >&2; fail=1; }

# a point that fails on the cluster shows as failed, like locally; the study exits 1
"$vhptsim" run -q -o "$tmp/tl" "$tmp/traces.yaml" 2>/dev/null; st_local=$?
"$vhptsim" run -q --backend slurm -o "$tmp/ts" "$tmp/traces.yaml" 2>"$tmp/err"; st_slurm=$?
[ "$st_local" = 1 ] && [ "$st_slurm" = 1 ] || { echo "FAIL: a failed point: exit $st_local locally, $st_slurm on SLURM (want 1)" >&2; fail=1; }
cmp "$tmp/tl/summary.csv" "$tmp/ts/summary.csv" || { echo "FAIL: summary.csv with a failed point differs" >&2; fail=1; }
grep -q '^path=.*bad.vtr,.*,failed,' "$tmp/ts/summary.csv" || { echo "FAIL: the bad point is not failed" >&2; fail=1; }
grep -q 'point path=.*bad.vtr failed' "$tmp/err" || { echo "FAIL: the failed point is not reported" >&2; cat "$tmp/err" >&2; fail=1; }
# resume on the cluster: the trace fixed, only that point runs again
good=$(ls "$tmp/ts" | grep 'good.vtr$')
before=$(stat -c %Y.%N "$tmp/ts/$good/stats.yaml" 2>/dev/null)
sleep 1.1
cp "$tmp/good.vtr" "$tmp/bad.vtr"
"$vhptsim" run --backend slurm -o "$tmp/ts" "$tmp/traces.yaml" >"$tmp/out" 2>&1 || { echo "FAIL: resumed SLURM study" >&2; cat "$tmp/out" >&2; fail=1; }
grep -q '2 points, 1 to run, 1 complete' "$tmp/out" || { echo "FAIL: the resume did not reuse the good point" >&2; cat "$tmp/out" >&2; fail=1; }
[ "$(stat -c %Y.%N "$tmp/ts/$good/stats.yaml")" = "$before" ] || { echo "FAIL: the complete point was redone" >&2; fail=1; }
[ "$(grep -c ',ok,' "$tmp/ts/summary.csv")" = 2 ] || { echo "FAIL: after the resume both points must be ok" >&2; fail=1; }

# --no-wait returns at once; 'vhptsim report' finishes the study later
"$vhptsim" run -q --force --no-wait --backend slurm -o "$tmp/ts" "$tmp/traces.yaml" || { echo "FAIL: --no-wait" >&2; fail=1; }
for _ in $(seq 60); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 0.5; done
"$vhptsim" report -q "$tmp/ts" || { echo "FAIL: report after --no-wait" >&2; fail=1; }
[ "$(grep -c ',ok,' "$tmp/ts/summary.csv")" = 2 ] || { echo "FAIL: after --no-wait and report both points must be ok" >&2; fail=1; }
[ "$fail" = 0 ] || dump_logs
exit $fail
