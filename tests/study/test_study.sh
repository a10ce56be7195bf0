#!/bin/bash
# test_study.sh VHPTSIM SOURCE_DIR - studies on the local backend (docs/studies.md): --set,
# sweep expansion and point names, bad sweeps, -j determinism, resume after a killed study,
# failed points, and the report's files (every figure a valid PNG and SVG of non-trivial size).
set -u
vhptsim=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*" >&2; fail=1; }

cat >"$tmp/base.yaml" <<'EOF'
name: base
run: {length: 20000, warmup: 2000, interval: 5000}
workload: {kind: uniform, footprint: 8M}
guest: {region_page_size: {3: 64K}}
EOF

# ---- --set: the resolved config shows it; errors name the option -------------------------
"$vhptsim" run -q -o "$tmp/set" --set vmm.vtlb_size=1M --set guest.region_page_size.2=256K \
    --set 'machine.dtlb.l1={entries: 64, ways: 4}' --set workload.footprint=4M "$tmp/base.yaml" || say "--set run"
grep -q '^  vtlb_size: 1M$' "$tmp/set/config.yaml" || say "--set vmm.vtlb_size=1M not in config.yaml"
grep -q '^  region_page_size: {0: 16K, 1: 16K, 2: 256K, 3: 64K,' "$tmp/set/config.yaml" || say "--set of one region's page size"
grep -q '^    l1: {entries: 64, ways: 4, policy: lru, page_size: 4K}$' "$tmp/set/config.yaml" || say "--set of a mapping"
grep -q '^  footprint: 4M$' "$tmp/set/config.yaml" || say "--set workload.footprint"
# the same keys in the file give the same run
cat >"$tmp/inline.yaml" <<'EOF'
name: base
run: {length: 20000, warmup: 2000, interval: 5000}
workload: {kind: uniform, footprint: 4M}
guest: {region_page_size: {2: 256K, 3: 64K}}
vmm: {vtlb_size: 1M}
machine: {dtlb: {l1: {entries: 64, ways: 4}}}
EOF
"$vhptsim" run -q -o "$tmp/inline" "$tmp/inline.yaml" || say "inline run"
cmp -s "$tmp/set/config.yaml" "$tmp/inline/config.yaml" && cmp -s "$tmp/set/stats.yaml" "$tmp/inline/stats.yaml" ||
    say "--set and the same keys in the file differ"
bad_set() { # bad_set 'EXPECTED MESSAGE START' --set ARG
    local want=$1 st; shift
    "$vhptsim" run -q -o "$tmp/never" "$@" "$tmp/base.yaml" 2>"$tmp/err"
    st=$?
    [ "$st" = 2 ] || say "$*: exit $st, want 2"
    grep -qF -- "$want" "$tmp/err" || { say "$*: message"; cat "$tmp/err" >&2; }
    [ ! -e "$tmp/never" ] || say "$*: wrote a result"
}
bad_set "--set vmm.vtlb_size=100K: error: 'vtlb_size' must be a power of two, got 102400" --set vmm.vtlb_size=100K
bad_set "--set vmm.vtlb_sise=1M: error: unknown key 'vtlb_sise' (known here: page_size, vtlb_size" --set vmm.vtlb_sise=1M
bad_set "--set guest.purge=ptc_x: error: unknown purge 'ptc_x'" --set guest.purge=ptc_x
bad_set "--set vcpus=65: error: 'vcpus' must be from 1 to 64, got 65" --set vcpus=65
bad_set "--set run.length: error: expected KEY=VALUE" --set run.length
bad_set "--set machine.walker_hit=[0, 1: error: malformed YAML value" --set 'machine.walker_hit=[0, 1'
bad_set "--set guest.region_page_size.3=32K: error: 32768 bytes is not an IA-64 page size" --set guest.region_page_size.3=32K
bad_set "--set workload.kind.x=1: error: 'workload.kind' is a value, not a section" --set workload.kind.x=1
# a check of the file's keys together blames the option that made it fail, not the file
bad_set "--set name=a/b: error: name may hold letters" --set name=a/b
cp "$tmp/base.yaml" "$tmp/base.orig"
printf 'machine: {walker_hit: [0, 1, 0], dtlb: {l1: {entries: 32, ways: 0}}}\n' >>"$tmp/base.yaml"
bad_set "--set machine.dtlb.l1.ways=3: error: impossible TLB level" --set machine.dtlb.l1.ways=3
bad_set "--set machine.walker_hit.0=0.5: error: 'walker_hit' holds the L1, L2, L3 probabilities" --set machine.walker_hit.0=0.5
mv "$tmp/base.orig" "$tmp/base.yaml"

# ---- sweep expansion and point names (first key slowest, values as written) -------------
cat >"$tmp/study.yaml" <<'EOF'
name: tiny
run: {length: 20000, warmup: 2000, interval: 5000}
workload: {kind: uniform, footprint: 8M}
guest: {region_page_size: {3: 64K}}
sweep:
  vmm.vtlb_size: [32K, 128K, 1M]
  seed: [1, 2]
report:
  description: A tiny study of the test suite.
  y: [vmm.vtlb.hit_rate, dtlb.l2.hit_rate, refs]
EOF
"$vhptsim" run -q -j 1 -o "$tmp/j1" "$tmp/study.yaml" || say "study -j 1"
want='vtlb_size=32K,seed=1 vtlb_size=32K,seed=2 vtlb_size=128K,seed=1 vtlb_size=128K,seed=2 vtlb_size=1M,seed=1 vtlb_size=1M,seed=2'
got=$(cut -d, -f1-2 "$tmp/j1/summary.csv" | tail -n +2 | tr -d '"' | tr '\n' ' ')
[ "$got" = "$want " ] || say "point order/names: '$got'"
head -n 1 "$tmp/j1/summary.csv" | grep -q '^point,vmm.vtlb_size,seed,status,cpu0.events.ifetch,' || say "summary.csv header"
[ "$(grep -c ',ok,' "$tmp/j1/summary.csv")" = 6 ] || say "6 points ok"
for p in $want; do
    [ -f "$tmp/j1/$p/stats.yaml" ] || say "no result dir $p"
    # each point is an ordinary run of its resolved config: the same bytes as a run of it
    cmp -s "$tmp/j1/$p/config.yaml" "$tmp/j1/inputs/$p.yaml" || say "$p: config.yaml is not its input"
done
grep -q '^  vtlb_size: 128K$' "$tmp/j1/vtlb_size=128K,seed=2/config.yaml" && grep -q '^seed: 2$' "$tmp/j1/vtlb_size=128K,seed=2/config.yaml" ||
    say "the point's values are not in its config"
"$vhptsim" run -q -o "$tmp/single" "$tmp/j1/inputs/vtlb_size=1M,seed=2.yaml"
cmp -s "$tmp/single/stats.yaml" "$tmp/j1/vtlb_size=1M,seed=2/stats.yaml" || say "a point differs from a run of its config"
# summary.csv holds each point's stats.csv values in their columns
p='vtlb_size=128K,seed=1'
col=$(head -n 1 "$tmp/j1/summary.csv" | tr ',' '\n' | grep -n '^cpu0.vmm.vtlb.misses$' | cut -d: -f1)
row=$(grep "^\"$p\"," "$tmp/j1/summary.csv" | sed 's/^"[^"]*"//' | cut -d, -f"$col") # the quoted name, then empty field 1
[ "$row" = "$(grep '^cpu0.vmm.vtlb.misses,' "$tmp/j1/$p/stats.csv" | cut -d, -f2)" ] || say "summary.csv value of $p: '$row'"

# nested sweep keys are the same dotted keys; --set can change the sweep itself
sed 's/^  vmm.vtlb_size: \[32K, 128K, 1M\]$/  vmm: {vtlb_size: [32K, 128K, 1M]}/' "$tmp/study.yaml" >"$tmp/nested.yaml"
"$vhptsim" run -q -j 2 -o "$tmp/nested" "$tmp/nested.yaml" || say "nested sweep"
cmp -s "$tmp/j1/summary.csv" "$tmp/nested/summary.csv" || say "a nested sweep differs from the dotted one"
"$vhptsim" run -q -o "$tmp/reseed" --set 'sweep.seed=[7]' --set 'sweep.vmm.vtlb_size=[64K]' "$tmp/study.yaml" || say "--set sweep"
[ "$(ls -d "$tmp/reseed"/*=* | xargs -n1 basename)" = "vtlb_size=64K,seed=7" ] || say "--set sweep.* did not replace the sweep"
# two keys with the same last component are named in full
cat >"$tmp/ambig.yaml" <<'EOF'
name: ambig
run: {length: 2000, interval: 0}
workload: {kind: uniform, footprint: 1M}
sweep:
  machine.itlb.l1.entries: [0, 32]
  machine.dtlb.l1.entries: [16]
  vmm.ptce_count: [[1, 1], [2, 3]]
  guest.region_page_size.4: [64K]
EOF
"$vhptsim" run -q -o "$tmp/ambig" "$tmp/ambig.yaml" || say "ambiguous short keys"
# (and a key ending in a number keeps the name before it)
[ -d "$tmp/ambig/machine.itlb.l1.entries=32,machine.dtlb.l1.entries=16,ptce_count=2_3,region_page_size.4=64K" ] ||
    { say "full keys for ambiguous short names, lists as a_b"; ls "$tmp/ambig" >&2; }

# ---- bad studies: exit 2, the place named, nothing written ------------------------------
bad_study() { # bad_study 'EXPECTED' YAML-TEXT [options]
    local want=$1 text=$2 st; shift 2
    printf '%s\n' "$text" >"$tmp/bad.yaml"
    "$vhptsim" run -q -o "$tmp/never" "$@" "$tmp/bad.yaml" 2>"$tmp/err"
    st=$?
    [ "$st" = 2 ] || say "bad study ($want): exit $st"
    grep -qF -- "$want" "$tmp/err" || { say "bad study message: want '$want'"; cat "$tmp/err" >&2; }
    [ ! -e "$tmp/never" ] || { say "bad study ($want) wrote $tmp/never"; rm -rf "$tmp/never"; }
}
bad_study "bad.yaml:3:24: error: 'vtlb_size' must be a power of two, got 100000" \
    $'name: b\nsweep:\n  vmm.vtlb_size: [32K, 100000]'
bad_study "bad.yaml:3:3: error: unknown key 'vtlb_sise'" $'name: b\nsweep:\n  vmm.vtlb_sise: [32K]'
bad_study "bad.yaml:3:9: error: sweep key 'seed' needs a non-empty list of values" $'name: b\nsweep:\n  seed: 3'
bad_study "bad.yaml:3:13: error: sweep value '1' of 'seed' repeats an earlier one" $'name: b\nsweep:\n  seed: [1, 1]'
bad_study "bad.yaml:3:3: error: 'name' cannot be swept" $'name: b\nsweep:\n  name: [a, b]'
# one value spelt twice (32K is 32768, 01 is 1): two points of one configuration
bad_study "bad.yaml:3:24: error: sweep value '32768' of 'vmm.vtlb_size' gives the same configuration as '32K'" \
    $'name: b\nsweep:\n  vmm.vtlb_size: [32K, 32768]'
bad_study "bad.yaml:3:13: error: sweep value '01' of 'seed' gives the same configuration as '1'" $'name: b\nsweep:\n  seed: [1, 01]'
# a key inside another swept key: each point would set it twice, the later value silently winning
bad_study "bad.yaml:4:3: error: sweep key 'guest.region_page_size' is given twice: 'guest.region_page_size.3' already sets it" \
    $'name: b\nsweep:\n  guest.region_page_size.3: [16K, 64K]\n  guest.region_page_size: [{3: 16K}]'
bad_study "bad.yaml:4:3: error: sweep key 'seed' is given twice" $'name: b\nsweep:\n  seed: [1]\n  seed: [2]'
bad_study "bad.yaml:4:13: error: report x 'vcpus' is not a swept key" $'name: b\nsweep:\n  seed: [1]\nreport: {x: vcpus}'
bad_study "--set report.x=vcpus: error: report x 'vcpus' is not a swept key" $'name: b\nsweep:\n  seed: [1]\nreport: {x: seed}' \
    --set report.x=vcpus
bad_study "bad.yaml:4:14: error: 'nope!' is not a statistic name" $'name: b\nsweep:\n  seed: [1]\nreport: {y: [nope!]}'
# a typo in report.y stops the study before it runs (docs/stats.md has no dtlb.l2.hit_rat)
bad_study "bad.yaml:4:20: error: report.y: 'vm.dtlb.l2.hit_rat' is no statistic a point writes" \
    $'name: b\nsweep:\n  seed: [1]\nreport: {y: [refs, vm.dtlb.l2.hit_rat]}'
bad_study "bad.yaml:2:1: error: 'report' needs a 'sweep'" $'name: b\nreport: {y: [refs]}'
bad_study "--set seed=3: error: 'seed' is swept" $'name: b\nsweep:\n  seed: [1, 2]' --set seed=3
# a directory that is not a study is not written into
mkdir -p "$tmp/foreign" && echo mine >"$tmp/foreign/notes.txt"
"$vhptsim" run -q -o "$tmp/foreign" "$tmp/study.yaml" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'foreign is not a vhptsim result' "$tmp/err" && [ "$(ls -A "$tmp/foreign")" = notes.txt ] ||
    say "a foreign directory must be refused untouched"

# ---- -j determinism: -j 1 and -j 4 give the same bytes ----------------------------------
"$vhptsim" run -q -j 4 -o "$tmp/j4" "$tmp/study.yaml" || say "study -j 4"
cmp -s "$tmp/j1/summary.csv" "$tmp/j4/summary.csv" || say "summary.csv differs between -j 1 and -j 4"
for p in $want; do
    for f in config.yaml stats.yaml stats.csv timeseries.csv; do
        cmp -s "$tmp/j1/$p/$f" "$tmp/j4/$p/$f" || say "$p/$f differs between -j 1 and -j 4"
    done
done

# ---- resume: a complete study is not redone; --force redoes it ---------------------------
# (a study without time series, so that its report draws few figures)
sed -e 's/interval: 5000/interval: 0/' -e 's/y: \[.*\]/y: [vmm.vtlb.hit_rate]/' "$tmp/study.yaml" >"$tmp/resume.yaml"
"$vhptsim" run -q -j 2 -o "$tmp/res" "$tmp/resume.yaml" || say "resume study"
cp "$tmp/res/summary.csv" "$tmp/res-first.csv"
stamp() { stat -c %Y.%N "$1"/*=*/stats.yaml | sort | md5sum; }
before=$(stamp "$tmp/res")
sleep 1.1
"$vhptsim" run -j 2 -o "$tmp/res" "$tmp/resume.yaml" >"$tmp/out" || say "rerun"
grep -q '6 points, 0 to run, 6 complete' "$tmp/out" || say "rerun should run nothing: $(cat "$tmp/out")"
[ "$(stamp "$tmp/res")" = "$before" ] || say "a rerun redid complete points"
# the same resolved config is reused, whatever the file says it with
sed 's/footprint: 8M/footprint: 8M, write_fraction: 0/' "$tmp/resume.yaml" >"$tmp/same.yaml" # the default: no change
"$vhptsim" run -j 2 -o "$tmp/res" "$tmp/same.yaml" >"$tmp/out" && grep -q '0 to run' "$tmp/out" ||
    say "an unchanged resolved config must be reused"
# an added value runs only its points; a changed value reruns the points it changes
"$vhptsim" run -j 2 -o "$tmp/res" --set 'sweep.vmm.vtlb_size=[32K, 128K, 1M, 4M]' "$tmp/resume.yaml" >"$tmp/out"
grep -q '8 points, 2 to run, 6 complete' "$tmp/out" || say "an added value: $(cat "$tmp/out")"
"$vhptsim" run -j 2 -o "$tmp/res" --set guest.region_page_size.3=256K "$tmp/resume.yaml" >"$tmp/out"
grep -q '6 points, 6 to run, 0 complete' "$tmp/out" || say "a changed key reruns its points: $(cat "$tmp/out")"
"$vhptsim" run -j 2 --force -o "$tmp/res" "$tmp/resume.yaml" >"$tmp/out" && grep -q '6 points, 6 to run, 0 complete' "$tmp/out" ||
    say "--force must rerun every point: $(cat "$tmp/out")"
cmp -s "$tmp/res/summary.csv" "$tmp/res-first.csv" || say "rerunning changed summary.csv"

# ---- a killed study loses at most the points in flight ------------------------------------
cat >"$tmp/slow.yaml" <<'EOF'
name: slow
run: {length: 300000, interval: 0}
workload: {kind: uniform, footprint: 8M}
sweep:
  seed: [1, 2, 3, 4, 5, 6, 7, 8]
EOF
"$vhptsim" run -q -j 1 -o "$tmp/slow" "$tmp/slow.yaml" &
study=$!
for _ in $(seq 600); do
    [ "$(ls -d "$tmp/slow"/seed=? 2>/dev/null | wc -l)" -ge 2 ] && break
    sleep 0.05
done
kill -9 "$study"
wait "$study" 2>/dev/null
sleep 0.3 # the point in flight dies with the study (PR_SET_PDEATHSIG)
done_before=$(ls -d "$tmp/slow"/seed=? 2>/dev/null | wc -l)
[ "$done_before" -ge 2 ] && [ "$done_before" -lt 8 ] || say "kill test: $done_before points complete (want 2..7)"
complete=$(ls -d "$tmp/slow"/seed=?)
stamps() { for d in $complete; do stat -c %Y.%N "$d/stats.yaml"; done | md5sum; }
before=$(stamps)
sleep 1.1
"$vhptsim" run -j 2 -o "$tmp/slow" "$tmp/slow.yaml" >"$tmp/out" || say "resumed study"
[ "$(stamps)" = "$before" ] || say "points complete before the kill were redone"
grep -q "8 points, $((8 - done_before)) to run, $done_before complete" "$tmp/out" || say "resume: $(cat "$tmp/out")"
[ "$(grep -c ',ok,' "$tmp/slow/summary.csv")" = 8 ] || say "after the resume every point is complete"
"$vhptsim" run -q -j 3 -o "$tmp/slow-ref" "$tmp/slow.yaml" || say "reference study"
cmp -s "$tmp/slow/summary.csv" "$tmp/slow-ref/summary.csv" || say "a resumed study differs from one run in one go"

# ---- a failing point: reported, the others done, exit 1; fixed, only it reruns -----------
printf 'vcpus 1\nrr 3 rid=0x10 ps=16 ve=1\nld 0x6000000000010000 8\n' >"$tmp/good.vtr"
cp "$tmp/good.vtr" "$tmp/bad.vtr" && printf 'ld 0x60000000000200000000 8\n' >>"$tmp/bad.vtr"
printf 'name: traces\nsource: vtrace\nguest: {enabled: false}\nsweep:\n  trace.path: [good.vtr, bad.vtr]\n' >"$tmp/traces.yaml"
"$vhptsim" run -q -o "$tmp/traces" "$tmp/traces.yaml" 2>"$tmp/err"
[ $? = 1 ] || say "a study with a failed point must exit 1"
grep -q "point path=.*bad.vtr failed: [^ ]*bad.vtr:4:4: error: number '0x60000000000200000000' does not fit in 64 bits" "$tmp/err" ||
    { say "the failed point's error"; cat "$tmp/err" >&2; }
grep -q '^path=.*good.vtr,.*,ok,' "$tmp/traces/summary.csv" && grep -q '^path=.*bad.vtr,.*,failed,,,' "$tmp/traces/summary.csv" ||
    say "summary.csv status of the points"
grep -q 'class="failed">failed' "$tmp/traces/report/index.html" || say "index.html shows the failed point"
cp "$tmp/good.vtr" "$tmp/bad.vtr"
"$vhptsim" run -o "$tmp/traces" "$tmp/traces.yaml" >"$tmp/out" && grep -q '2 points, 1 to run, 1 complete' "$tmp/out" ||
    say "the fixed point alone reruns: $(cat "$tmp/out")"

# ---- the study's directory is vhptsim's: protected like a result (docs/results.md) --------
d="$tmp/res"
grep -qx study "$d/.vhptsim-result" && grep -qx 'file summary.csv' "$d/.vhptsim-result" &&
    grep -qx 'dir report' "$d/.vhptsim-result" && grep -qx 'dir vtlb_size=32K,seed=1' "$d/.vhptsim-result" ||
    say "the study's marker does not list its parts"
snap() { (cd "$1" && find . -exec stat -c '%n %s %Y' {} + | sort && find . -type f -exec cksum {} + | sort); }
# a file of the user's anywhere in it: the study is refused, untouched, even with --force
echo mine >"$d/vtlb_size=32K,seed=1/notes.txt"
before=$(snap "$d")
for f in "" --force; do
    "$vhptsim" run -q $f -j 2 -o "$d" "$tmp/resume.yaml" 2>"$tmp/err"
    st=$?
    [ $st = 2 ] && [ "$(snap "$d")" = "$before" ] || say "study $f into a directory holding a user's file: exit $st or changed"
    grep -q "it holds 'vtlb_size=32K,seed=1/notes.txt', which vhptsim did not write there" "$tmp/err" ||
        say "the refusal does not name the user's file: $(cat "$tmp/err")"
done
"$vhptsim" report "$d" >/dev/null 2>&1
[ $? = 2 ] && [ "$(snap "$d")" = "$before" ] || say "report into a study holding a user's file"
rm "$d/vtlb_size=32K,seed=1/notes.txt"
# one run into a study's directory: refused; a study into one run's result: refused; --force
# replaces either (both are vhptsim's), leaving nothing beside
"$vhptsim" run -q -o "$d" "$tmp/j1/inputs/vtlb_size=1M,seed=2.yaml" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'holds a study' "$tmp/err" || say "a run into a study's directory must be refused"
"$vhptsim" run -q -o "$tmp/one" "$tmp/j1/inputs/vtlb_size=1M,seed=2.yaml" || say "one run"
"$vhptsim" run -q -o "$tmp/one" "$tmp/resume.yaml" 2>"$tmp/err"
[ $? = 2 ] && grep -q "holds one run's result, not a study; --force replaces it" "$tmp/err" ||
    say "a study into a run's result must be refused: $(cat "$tmp/err")"
"$vhptsim" run -q --force -o "$tmp/one" "$tmp/resume.yaml" && [ -f "$tmp/one/summary.csv" ] && [ ! -e "$tmp/one/stats.yaml" ] ||
    say "--force: a study replaces a run's result"
"$vhptsim" run -q --force -o "$tmp/one" "$tmp/j1/inputs/vtlb_size=1M,seed=2.yaml" && [ -f "$tmp/one/stats.yaml" ] &&
    [ ! -e "$tmp/one/summary.csv" ] || say "--force: a run replaces a study"
[ -z "$(ls -a "$tmp" | grep -F 'one.')" ] || say "replacing left $(ls -a "$tmp" | grep -F 'one.')"
# a study killed while writing summary.csv leaves summary.csv.tmp-<pid>: the next study removes it
gone=$(sh -c 'echo $$') # the pid of a process that has exited
echo partial >"$d/summary.csv.tmp-$gone"
"$vhptsim" run -q -j 2 -o "$d" "$tmp/resume.yaml" || say "a study after a stale summary"
[ "$(ls "$d" | grep -c 'summary.csv.tmp-')" = 0 ] || say "a dead study's summary.csv.tmp-<pid> was left"
# two studies at once into one directory: the second is told, and touches nothing
"$vhptsim" run -q -j 1 --force -o "$tmp/slow2" "$tmp/slow.yaml" 2>/dev/null &
first=$!
for _ in $(seq 200); do [ -e "$tmp/slow2.lock" ] && break; sleep 0.025; done
"$vhptsim" run -q -o "$tmp/slow2" "$tmp/slow.yaml" 2>"$tmp/err"
[ $? = 1 ] && grep -q 'is being written by another vhptsim' "$tmp/err" || say "a second study at once: $(cat "$tmp/err")"
kill "$first" 2>/dev/null
wait "$first" 2>/dev/null

# ---- the purge figure: cycles, entries and machine purges per operation ------------------
cat >"$tmp/purge.yaml" <<'EOF'
name: purge
vcpus: 2
run: {length: 8000, warmup: 0, interval: 0}
workload: {kind: mmap_storm, mmap_chunk: 64K, munmap_interval: 1000}
sweep:
  guest.purge: [ptc_ga, ptc_e]
report: {y: [cycles.total, cpu.cycles.total]}
EOF
"$vhptsim" run -q -o "$tmp/purge" "$tmp/purge.yaml" || say "purge study"
for w in 1 2 3; do [ -s "$tmp/purge/report/purges-$w.dat" ] || say "no purges-$w.dat"; done
# each bar is the point's vm.vmm.purge.<op>.<figure> / .count (stats.csv); ptc.ga's cycles
# include one IPI (2000) to the other vCPU
checked=0
for p in purge=ptc_ga purge=ptc_e; do
    for op in ptc_ga ptc_e remote_purge; do
        col=$(head -n 1 "$tmp/purge/report/purges-1.dat" | tr ' ' '\n' | grep -nx "$op" | cut -d: -f1)
        n=$(grep "^vm.vmm.purge.$op.count," "$tmp/purge/$p/stats.csv" | cut -d, -f2)
        [ -n "$col" ] && [ "$n" -gt 0 ] 2>/dev/null || continue
        w=1
        for fig in cycles entries machine_purges; do
            v=$(grep "^vm.vmm.purge.$op.$fig," "$tmp/purge/$p/stats.csv" | cut -d, -f2)
            bar=$(awk -v p="\"$p\"" -v c="$col" '$1 == p { print $c }' "$tmp/purge/report/purges-$w.dat") # names quoted
            awk -v b="$bar" -v v="$v" -v n="$n" 'BEGIN { e = v / n; d = b - e; exit !(d <= 1e-6 * (e + 1) && -d <= 1e-6 * (e + 1)) }' ||
                say "$p: purges-$w.dat $op is $bar, stats say $v / $n"
            checked=$((checked + 1))
            w=$((w + 1))
        done
    done
done
[ "$checked" -ge 6 ] || say "the purge figure: only $checked values checked"
c=$(grep '^vm.vmm.purge.ptc_ga.cycles,' "$tmp/purge/purge=ptc_ga/stats.csv" | cut -d, -f2)
n=$(grep '^vm.vmm.purge.ptc_ga.count,' "$tmp/purge/purge=ptc_ga/stats.csv" | cut -d, -f2)
[ "$n" -gt 0 ] && [ "$c" -ge $((n * (500 + 100 + 2000))) ] || say "a ptc.ga costs less than its exit, emulation and IPI: $c / $n"
# report.y: a name is the VM's figure (vm.cycles.total: the sum over the vCPUs); cpu.<name> is
# the mean of cpuN.<name> over the vCPUs
st="$tmp/purge/purge=ptc_e/stats.csv"
c0=$(grep '^cpu0.cycles.total,' "$st" | cut -d, -f2) c1=$(grep '^cpu1.cycles.total,' "$st" | cut -d, -f2)
awk -v w=$((c0 + c1)) '$2 == "ptc_e" { ok = $3 == w } END { exit !ok }' "$tmp/purge/report/y-cycles.total.dat" ||
    say "y-cycles.total: not vm.cycles.total ($((c0 + c1)))"
awk -v w="$(((c0 + c1) / 2))" -v odd=$(((c0 + c1) % 2)) '$2 == "ptc_e" { ok = $3 == w + odd / 2 } END { exit !ok }' \
    "$tmp/purge/report/y-cpu.cycles.total.dat" || say "y-cpu.cycles.total: not the mean of cpu0 and cpu1"
grep -q 'mean over vCPUs' "$tmp/purge/report/y-cpu.cycles.total.svg" || say "the title does not say it is a mean over vCPUs"

# ---- the report's files -------------------------------------------------------------------
r="$tmp/j1/report"
for f in index.html index.md y-vmm.vtlb.hit_rate y-dtlb.l2.hit_rate y-refs cycles timeline-1 timeline-6; do
    case $f in index.*) [ -s "$r/$f" ] || say "no $f" ;; *) [ -s "$r/$f.png" ] && [ -s "$r/$f.svg" ] && [ -s "$r/$f.dat" ] || say "no $f.{png,svg,dat}" ;; esac
done
[ ! -e "$r/purges.png" ] || say "a uniform workload purges nothing: no purge figure"
grep -q 'purge cost: no guest purge' "$r/index.md" || say "index.md says why there is no purge figure"
# every figure a valid image of non-trivial size: PNG signature, IHDR first, IEND last; SVG
# a whole <svg> document
n_png=0
for png in "$r"/*.png "$tmp/traces/report"/*.png; do
    [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || say "$png: not a PNG"
    [ "$(head -c 16 "$png" | tail -c 4)" = IHDR ] || say "$png: no IHDR"
    [ "$(tail -c 8 "$png" | head -c 4)" = IEND ] || say "$png: truncated (no IEND)"
    w=$(head -c 20 "$png" | tail -c 4 | od -An -tu1 | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
    [ "$w" -ge 600 ] || say "$png: $w pixels wide"
    [ "$(stat -c %s "$png")" -gt 8000 ] || say "$png: only $(stat -c %s "$png") bytes"
    n_png=$((n_png + 1))
done
for svg in "$r"/*.svg "$tmp/traces/report"/*.svg; do
    head -c 300 "$svg" | grep -q '<svg' && tail -c 20 "$svg" | grep -q '</svg>' || say "$svg: not a whole SVG"
    [ "$(stat -c %s "$svg")" -gt 8000 ] || say "$svg: only $(stat -c %s "$svg") bytes"
    [ -f "${svg%.svg}.png" ] || say "$svg has no PNG"
done
[ "$n_png" -ge 12 ] || say "only $n_png PNG figures"
# a rate undefined in every interval (16 KiB guest pages only: after the warm-up no reference
# reaches the vTLB) is left out, never drawn as 0, and the report is still drawn
sed 's/warmup: 2000/warmup: 8000/' "$tmp/base.yaml" >"$tmp/nolookup.yaml"
"$vhptsim" run -q -o "$tmp/nolookup" --set guest.region_page_size.3=16K "$tmp/nolookup.yaml" || say "16 KiB run"
"$vhptsim" report -q "$tmp/nolookup" 2>"$tmp/err" || say "report of a run whose vTLB rate is undefined throughout: $(cat "$tmp/err")"
awk 'NF { n++; if ($5 != "?") bad = 1 } END { exit !(n >= 2 && !bad) }' "$tmp/nolookup/report/timeline.dat" ||
    say "timeline.dat: the undefined vTLB rate must be '?' in every row"
grep -q 'no lookups in any interval' "$tmp/nolookup/report/timeline.svg" || say "the vTLB panel does not say why it is empty"
# the x axis of a size is in bytes and log-scaled (32K..1M spans more than a decade); the
# study and statistic are in the title
grep -q 'tiny: vmm.vtlb.hit_rate' "$r/y-vmm.vtlb.hit_rate.svg" && grep -q 'vmm.vtlb_size (bytes)' "$r/y-vmm.vtlb.hit_rate.svg" ||
    say "title or x label of the sweep figure"
# the sweep figure's data: a line with the mean, min and max over the two seeds
awk 'NR > 1 && NF == 5 { n++; if (!($4 <= $3 && $3 <= $5)) bad = 1 } END { exit !(n == 3 && !bad) }' "$r/y-vmm.vtlb.hit_rate.dat" ||
    say "y-vmm.vtlb.hit_rate.dat: 3 x values with min <= mean <= max"
m1=$(grep '^cpu0.vmm.vtlb.hit_rate,' "$tmp/j1/vtlb_size=32K,seed=1/stats.csv" | cut -d, -f2)
m2=$(grep '^cpu0.vmm.vtlb.hit_rate,' "$tmp/j1/vtlb_size=32K,seed=2/stats.csv" | cut -d, -f2)
awk -v a="$m1" -v b="$m2" '$2 == "32K" { d = $3 - (a + b) / 2; ok = d < 1e-9 && d > -1e-9 } END { exit !ok }' "$r/y-vmm.vtlb.hit_rate.dat" ||
    say "the mean over seeds at 32K is not the mean of the two points' hit rates"
exit $fail
