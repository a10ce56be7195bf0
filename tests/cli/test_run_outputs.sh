#!/bin/sh
# test_run_outputs.sh VHPTSIM SOURCE_DIR [SKI_TRACES_DIR] - what `vhptsim run` reports and records
# (docs/stats.md): the summary line (the measured figures; the README's sample is what the
# default run prints), the warning for a setting that never took effect, run.yaml (provenance)
# and the header of config.yaml, sizes with the largest exact unit, statistics that are the same
# bytes from another directory, time zone and locale, VM totals computed from the vCPUs' counters,
# undefined rates written as null / empty, instructions and MPKI only where the source counts
# them. Expected values are derived in the comments, or are properties of the files themselves.
set -u
vhptsim=$1 src=$2 traces=${3:-}
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
say() { echo "FAIL: $*" >&2; fail=1; }
# value of a key in a stats.yaml / run.yaml ("" if absent)
val() { awk -F': ' -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# ---- the README's sample output is what the default run prints --------------------------------
mkdir "$tmp/cwd" && cd "$tmp/cwd" || exit 1
"$vhptsim" run "$src/configs/default.yaml" >"$tmp/default.out" 2>"$tmp/default.err" || say "default run"
cd "$tmp" || exit 1
want=$(awk '/^\$ build\/vhptsim run configs\/default.yaml$/ { getline; print; exit }' "$src/README.md")
[ -n "$want" ] || say "README.md has no sample output of 'build/vhptsim run configs/default.yaml'"
[ "$(cat "$tmp/default.out")" = "$want" ] ||
    say "the default run prints '$(cat "$tmp/default.out")', README.md shows '$want'"
[ -s "$tmp/default.err" ] && say "the default run warned: $(cat "$tmp/default.err")"
d=$tmp/cwd/results/default
# the line gives the measured figures: after the 200000-reference warm-up, 1800000 references
line=$(cat "$tmp/default.out")
case $line in
"results/default: $(val "$d/stats.yaml" vm.refs) references, $(val "$d/stats.yaml" vm.cycles.max) cycles on 1 vCPU after a warm-up of 200000 references per vCPU") ;;
*) say "summary '$line' does not give vm.refs and vm.cycles.max of stats.yaml" ;;
esac
[ "$(val "$d/stats.yaml" cpu0.refs)" = 1800000 ] || say "default run: cpu0.refs should be 2000000 - 200000"

# results/README.md describes the directory a run writes: the same files
listed=$(sed -n 's/^  \([a-z_]*\.\(yaml\|csv\)\)  .*/\1/p' "$src/results/README.md" | sort | tr '\n' ' ')
[ "$listed" = "$(ls "$d" | sort | tr '\n' ' ')" ] || say "results/README.md lists '$listed', a run writes '$(ls "$d" | tr '\n' ' ')'"

# ---- run.yaml and the header of config.yaml ------------------------------------------------------
r=$d/run.yaml
version=$("$vhptsim" --version | awk '{ print $2 }')
[ "$(val "$r" vhptsim_version)" = "\"$version\"" ] || say "run.yaml vhptsim_version is not $version"
commit=$(val "$r" git_commit | tr -d '"')
echo "$commit" | grep -Eq '^([0-9a-f]{40}(-dirty)?|unknown)$' || say "run.yaml git_commit '$commit'"
if head=$(git -C "$src" rev-parse HEAD 2>/dev/null) && [ "$(git -C "$src" rev-parse --show-toplevel)" = "$(cd "$src" && pwd -P)" ]; then
    [ "${commit%-dirty}" = "$head" ] || say "run.yaml git_commit $commit is not HEAD $head"
fi
# recorded at configure time by cmake/git_commit.cmake: "unknown" outside a git work tree
mkdir "$tmp/not-git"
[ "$(cmake -DSOURCE_DIR="$tmp/not-git" -P "$src/cmake/git_commit.cmake" 2>&1)" = unknown ] ||
    say "cmake/git_commit.cmake should say 'unknown' outside git"
for key in '  type' '  c_compiler' '  cxx_compiler' '  name' '  os' '  start' '  end'; do
    grep -q "^$key: \"..*\"$" "$r" || say "run.yaml lacks$key"
done
grep -Eq '^  start: "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"$' "$r" || say "run.yaml start is not UTC ISO 8601"
grep -Eq '^  wall_seconds: [0-9]+\.[0-9]{3}$' "$r" || say "run.yaml wall_seconds"
grep -Eq '^  cpu_seconds: [0-9]+\.[0-9]{3}$' "$r" || say "run.yaml cpu_seconds"
[ "$(val "$r" simulated_references)" = 2000000 ] || say "run.yaml simulated_references: 2000000 with the warm-up"
grep -Eq '^references_per_second: [1-9][0-9]*$' "$r" || say "run.yaml references_per_second"
exp=$(cd "$src/configs" && pwd -P)/default.yaml
sha=$(sha256sum "$exp" | awk '{ print $1 }')
size=$(wc -c <"$exp" | tr -d ' ')
awk -v p="\"$exp\"" -v s="$size" -v h="\"$sha\"" '
    /^  - role: "experiment"$/ { in_exp = 1; next }
    in_exp && $1 == "path:" { ok += $2 == p } in_exp && $1 == "size:" { ok += $2 == s }
    in_exp && $1 == "sha256:" { ok += $2 == h; in_exp = 0 }
    END { exit ok == 3 ? 0 : 1 }' "$r" || say "run.yaml does not give the experiment's path, size $size and SHA-256 $sha"
head -n 1 "$d/config.yaml" | grep -qF "vhptsim $version (git commit $commit)" || say "config.yaml header lacks version and commit"
# run.yaml is part of the result: its marker lists it (docs/results.md), like every file it wrote
for f in config.yaml stats.yaml stats.csv timeseries.csv run.yaml; do
    grep -qxF "file $f" "$d/.vhptsim-result" || say "the result's marker does not list $f"
done
# the header is a comment: a result whose config.yaml names another build is still this
# configuration's, so running it again leaves it as it is
cp -a "$d" "$tmp/other-build"
sed -i '1s/(git commit [^)]*)/(git commit 0000000000000000000000000000000000000000)/' "$tmp/other-build/config.yaml"
grep -q '^# .*git commit 0\{40\}' "$tmp/other-build/config.yaml" || say "could not edit the copied config.yaml header"
"$vhptsim" run -o "$tmp/other-build" "$src/configs/default.yaml" >"$tmp/rerun.out" 2>&1 || say "rerun into the other build's result"
grep -q 'not rerun' "$tmp/rerun.out" || say "a config.yaml differing only in its header comment made the run redo the result: $(cat "$tmp/rerun.out")"
# sizes: the largest exact unit (the guest VHPT is 2^50 bytes: 1P, not 1048576G)
grep -q '^  vhpt_size: 1P$' "$d/config.yaml" || say "config.yaml: guest vhpt_size should be written 1P"

# ---- the same statistics from another directory, time zone and locale, into another path -------
mkdir -p "$tmp/elsewhere/deeper"
cp "$src/configs/default.yaml" "$tmp/elsewhere/d.yaml"
(cd "$tmp/elsewhere/deeper" && TZ=Asia/Kolkata LC_ALL=C.UTF-8 LANG=de_DE.UTF-8 "$vhptsim" run -q -o ../out ../d.yaml) ||
    say "run from elsewhere"
for f in stats.yaml stats.csv timeseries.csv; do
    cmp -s "$d/$f" "$tmp/elsewhere/out/$f" || say "$f differs from another directory, time zone and locale"
done
cmp -s "$d/run.yaml" "$tmp/elsewhere/out/run.yaml" && say "run.yaml should record this run's own path and times"

# ---- sizes up to E are accepted; config.yaml writes them back exactly --------------------------
printf 'name: sizes\nrun: {length: 100, interval: 0}\nguest: {vhpt_size: 1P, memory: 1T}\nvmm: {guest_mem: 0x1000M}\n' >"$tmp/sizes.yaml"
"$vhptsim" run -q -o "$tmp/sizes" "$tmp/sizes.yaml" || say "sizes with T and P"
grep -q '^  memory: 1T$' "$tmp/sizes/config.yaml" || say "config.yaml should write memory: 1T"
grep -q '^  guest_mem: 4G$' "$tmp/sizes/config.yaml" || say "config.yaml should write guest_mem 0x1000M as 4G"

# ---- hugepage: region 4 gets workload.huge_page_size (docs/workloads.md) ------------------------
printf 'name: hp\nrun: {length: 100, interval: 0}\nworkload: {kind: hugepage}\n' >"$tmp/hp.yaml"
"$vhptsim" run -q -o "$tmp/hp" "$tmp/hp.yaml" || say "hugepage run"
grep -q '^  region_page_size: {.*4: 256M' "$tmp/hp/config.yaml" || say "hugepage: region 4 should get 256M pages"

# ---- a setting that never took effect: warned once, on standard error ----------------------------
# 1 MiB chunks of 16 KiB pages: 64 pages + 1 VHPT page > 32 purges: every munmap falls back
cat >"$tmp/storm.yaml" <<'YAML'
name: storm
run: {length: 20000, interval: 0}
guest: {purge: ptc_ga}
workload: {kind: mmap_storm, footprint: 16M, munmap_interval: 1000}
YAML
"$vhptsim" run -q -o "$tmp/storm" "$tmp/storm.yaml" 2>"$tmp/storm.err" || say "storm run"
[ "$(grep -c 'warning: guest.purge: ptc_ga never took effect' "$tmp/storm.err")" = 1 ] ||
    say "expected one warning about guest.purge, got: $(cat "$tmp/storm.err")"
# 19 munmaps (after data references 1000, 2000, ... 19000), each a fallback
[ "$(val "$tmp/storm/stats.yaml" cpu0.guest.munmap.count)" = 19 ] || say "storm: 19 munmaps"
[ "$(val "$tmp/storm/stats.yaml" cpu0.guest.munmap.purge_fallbacks)" = 19 ] || say "storm: 19 fallbacks"
# 64 KiB chunks: 4 pages + 1 VHPT page: page by page, no warning
sed 's/footprint: 16M,/footprint: 16M, mmap_chunk: 64K,/' "$tmp/storm.yaml" >"$tmp/storm64.yaml"
"$vhptsim" run -q -o "$tmp/storm64" "$tmp/storm64.yaml" 2>"$tmp/storm64.err" || say "storm64 run"
[ -s "$tmp/storm64.err" ] && say "no warning expected with 64 KiB chunks: $(cat "$tmp/storm64.err")"
[ "$(val "$tmp/storm64/stats.yaml" cpu0.guest.munmap.page_purges)" = 19 ] || say "storm64: 19 page-by-page purges"
# ptc_e chosen: a flush is what was asked for
sed 's/ptc_ga/ptc_e/' "$tmp/storm.yaml" >"$tmp/storme.yaml"
"$vhptsim" run -q -o "$tmp/storme" "$tmp/storme.yaml" 2>"$tmp/storme.err" || say "storme run"
[ -s "$tmp/storme.err" ] && say "no warning expected with purge: ptc_e"

# ---- undefined rates, VM totals, instructions --------------------------------------------------
# no IFETCH: the ITLB is never looked up; its rates have no value
s=$tmp/storm64/stats.yaml
[ "$(val "$s" cpu0.itlb.l1.hit_rate)" = null ] || say "cpu0.itlb.l1.hit_rate should be null without lookups"
grep -qx 'vm.itlb.l2.hit_rate,' "$tmp/storm64/stats.csv" || say "stats.csv: an undefined rate is an empty field"
grep -q 'mpki' "$s" && say "no mpki without instructions"
grep -q 'instructions' "$s" && say "no instructions without a source that counts them"
# two vCPUs, instructions counted (3 per IFETCH)
cat >"$tmp/two.yaml" <<'YAML'
name: two
vcpus: 2
run: {length: 20000, warmup: 1000, interval: 5000}
workload: {kind: zipf, footprint: 16M, ifetch_fraction: 0.2, insns_per_ifetch: 3, vcpu_mode: per_vcpu}
guest: {region_page_size: {3: 64K}}
YAML
"$vhptsim" run -o "$tmp/two" "$tmp/two.yaml" >"$tmp/two.out" || say "two-vCPU run"
s=$tmp/two/stats.yaml
# every vm.X counter is the sum of cpu0.X and cpu1.X, but vm.time_ps and vm.cycles.max (maxima)
awk -F': ' '
    $1 ~ /^cpu[01]\./ && $2 != "null" && $2 !~ /\./ { k = $1; sub(/^cpu[01]\./, "", k); sum[k] += $2; if ($2 > max[k]) max[k] = $2 }
    $1 ~ /^vm\./ { k = $1; sub(/^vm\./, "", k); vm[k] = $2 }
    END {
        bad = 0
        for (k in sum) {
            want = k == "time_ps" ? max[k] : sum[k]
            if (k ~ /(hit_rate|mpk[ir])$/) continue
            if (!(k in vm) || vm[k] != want) { printf "vm.%s = %s, expected %s\n", k, vm[k], want; bad = 1 }
        }
        if (vm["cycles.max"] != max["cycles.total"]) { print "vm.cycles.max is not the largest cpuN.cycles.total"; bad = 1 }
        if (vm["refs"] != 38000) { print "vm.refs should be 2 x (20000 - 1000)"; bad = 1 }
        exit bad }' "$s" >&2 || say "VM totals"
# rates from the sums: vm.dtlb.l1.hit_rate = vm hits / (vm hits + vm misses); mpkr, mpki per 1000
awk -F': ' '{ v[$1] = $2 }
    function near(a, b) { return (a - b) < 1e-8 * (b > 1 ? b : 1) && (b - a) < 1e-8 * (b > 1 ? b : 1) }
    END {
        h = v["vm.dtlb.l1.hits"]; m = v["vm.dtlb.l1.misses"]
        ok = near(v["vm.dtlb.l1.hit_rate"], h / (h + m)) && near(v["vm.dtlb.l1.mpkr"], 1000 * m / v["vm.refs"])
        ok = ok && near(v["vm.dtlb.l1.mpki"], 1000 * m / v["vm.instructions"])
        ok = ok && v["cpu0.instructions"] == 3 * v["cpu0.events.ifetch"] && v["cpu1.instructions"] == 3 * v["cpu1.events.ifetch"]
        exit ok ? 0 : 1 }' "$s" || say "VM rates are not computed from the VM sums, or instructions are not 3 per IFETCH"
grep -q "^$tmp/two: 38000 references, $(val "$s" vm.cycles.max) cycles on 2 vCPUs (the longest; $(val "$s" vm.cycles.total) summed) after a warm-up of 1000 references per vCPU\$" "$tmp/two.out" ||
    say "two-vCPU summary: $(cat "$tmp/two.out")"

# ---- a Ski trace counts every CAPSULE: hello.trc has 7,920 instructions (its README) ----------------
if [ -n "$traces" ] && [ -f "$traces/hello.trc" ]; then
    for per in false true; do
        cat >"$tmp/ski.yaml" <<YAML
name: ski
source: ski
trace: {path: $traces/hello.trc, per_instruction: $per}
run: {length: 0, warmup: 0, interval: 0}
guest: {vhpt_base: 0x1000000000000000}
YAML
        "$vhptsim" run -q -o "$tmp/ski-$per" "$tmp/ski.yaml" || say "Ski run"
        [ "$(val "$tmp/ski-$per/stats.yaml" cpu0.instructions)" = 7920 ] || say "hello.trc (per_instruction $per): 7920 instructions"
        [ -n "$(val "$tmp/ski-$per/stats.yaml" cpu0.dtlb.l1.mpki)" ] || say "a Ski run has mpki"
        grep -q '^  - role: "trace"$' "$tmp/ski-$per/run.yaml" || say "run.yaml lists the trace as an input"
    done
fi
exit $fail
