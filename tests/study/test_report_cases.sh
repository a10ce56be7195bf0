#!/bin/bash
# test_report_cases.sh VHPTSIM - `vhptsim report` on what a user may hand it: a run in a
# directory whose name holds spaces (the figures' data must keep their columns), purge bars of
# value 1 on a log axis, points that failed or never ran, counts printed whole, figures that
# cannot be drawn named with the reason, a directory that does not exist (docs/studies.md).
set -u
vhptsim=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*" >&2; fail=1; }

# fields of a .dat row, a "quoted" first field counting as one (gnuplot's rule)
fields() { awk '{ n = 0; s = $0; while (length(s)) { sub(/^ +/, "", s); if (s == "") break;
    if (substr(s, 1, 1) == "\"") { s = substr(s, 2); sub(/^[^"]*"/, "", s) } else sub(/^[^ ]+/, "", s); n++ }
    print n }' "$1"; }

# ---- a run whose directory name holds spaces: every row of every bar figure's data has as many
# columns as its header; the point is the experiment (its name), not the directory ------------
cat >"$tmp/spacey.yaml" <<'EOF'
name: spacey
vcpus: 2
guest: {purge: ptc_ga}
run: {length: 30000, interval: 0}
workload: {kind: mmap_storm, mmap_chunk: 64K, munmap_interval: 1000}
EOF
d="$tmp/a dir/out x"
"$vhptsim" run -q -o "$d" "$tmp/spacey.yaml" || say "run into a directory with spaces"
"$vhptsim" report "$d" >"$tmp/out" 2>"$tmp/err" || say "report of a directory with spaces: $(cat "$tmp/err")"
for f in cycles purges-1 purges-2 purges-3; do
    [ -s "$d/report/$f.dat" ] || { say "no $f.dat"; continue; }
    [ "$(fields "$d/report/$f.dat" | sort -u | wc -l)" = 1 ] || say "$f.dat: rows of different widths: $(cat "$d/report/$f.dat")"
    [ "$(sed -n 2p "$d/report/$f.dat" | cut -d' ' -f1)" = '"spacey"' ] || say "$f.dat: the point is not the experiment"
done
# a ptc.ga of one 16 KiB page touches one entry; its IPI runs one remote purge of one entry
# (README, "purge-policy"): both bars are 1
bar() { awk -v op="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == op) c = i } NR == 2 { print $c }' "$1"; }
[ "$(bar "$d/report/purges-2.dat" ptc_ga) $(bar "$d/report/purges-2.dat" remote_purge)" = "1 1" ] ||
    say "purges-2.dat: $(cat "$d/report/purges-2.dat")"
grep -q '<title>spacey - vhptsim report</title>' "$d/report/index.html" || say "the report's title is not the experiment's name"
grep -q 'out x' "$d/report/index.html" && say "the report names the directory instead of the experiment"
# counts whole: the table's cycles.total is stats.csv's vm.cycles.total digit for digit (a
# seven-digit count printed %g would lose its last digits)
total=$(grep '^vm.cycles.total,' "$d/stats.csv" | cut -d, -f2)
[ "${#total}" -ge 7 ] || say "vm.cycles.total $total: too small to test"
grep -q "<td>$total</td>" "$d/report/index.html" || say "index.html does not show cycles.total $total whole"
# run.interval 0: no timeline, and the index says why; one figure less, counted right
grep -q 'miss rates over time: the run has no timeseries.csv (run.interval is 0)' "$d/report/index.md" ||
    say "index.md does not say why there is no timeline"
grep -q '^report: .*index.html (2 figures)$' "$tmp/out" || say "figures counted: $(cat "$tmp/out")"

# ---- a study: a purge bar of value 1 next to one of 12288 (ptc.e's thash_purge_all) is drawn
# on a log axis whose bottom is a decade below 1, so it has a height ----------------------
cat >"$tmp/purge.yaml" <<'EOF'
name: purge
vcpus: 2
run: {length: 8000, interval: 0}
workload: {kind: mmap_storm, mmap_chunk: 64K, munmap_interval: 1000}
sweep:
  guest.purge: [ptc_ga, ptc_e]
EOF
s="$tmp/purge"
"$vhptsim" run -q -o "$s" "$tmp/purge.yaml" || say "purge study"
awk '$1 == "\"purge=ptc_e\"" { for (i = 2; i <= NF; i++) if ($i == 12288) ok = 1 } END { exit !ok }' "$s/report/purges-2.dat" ||
    say "ptc.e does not touch 12288 entries: $(cat "$s/report/purges-2.dat")"
grep -q '<text> *0.1</text>' "$s/report/purges.svg" || say "the log axis of the entries panel does not start at 0.1"

# ---- statuses: a point whose run left a log failed; one without a log never ran ------------
rm -r "$s/purge=ptc_e"
"$vhptsim" report -q "$s" || say "report of a study with a missing point"
grep -q '^purge=ptc_e,ptc_e,not run,' "$s/summary.csv" || say "a point never run: $(grep ptc_e "$s/summary.csv" | cut -c1-60)"
grep -q 'class="not-run">not run<' "$s/report/index.html" || say "index.html: not run"
grep -q '1 complete, 0 failed, 1 not run' "$s/report/index.md" || say "index.md counts: $(grep complete "$s/report/index.md")"
echo 'vhptsim: run: out of memory' >"$s/logs/purge=ptc_e.log"
"$vhptsim" report -q "$s" || say "report of a study with a failed point"
grep -q '^purge=ptc_e,ptc_e,failed,' "$s/summary.csv" || say "a point that failed"

# ---- a run shorter than run.interval still has its interval (the partial one: 3000 references)
# and so a timeline of one point per vCPU ------------------------------------------------------
printf 'name: short\nrun: {length: 3000, interval: 100000}\nworkload: {kind: uniform, footprint: 8M}\n' >"$tmp/short.yaml"
"$vhptsim" run -q -o "$tmp/short" "$tmp/short.yaml" || say "a run shorter than its interval"
[ "$(tail -n +2 "$tmp/short/timeseries.csv" | cut -d, -f1,2)" = "0,3000" ] || say "timeseries.csv: $(cat "$tmp/short/timeseries.csv")"
"$vhptsim" report "$tmp/short" >"$tmp/out" || say "report of a run shorter than its interval"
[ -s "$tmp/short/report/timeline.png" ] && grep -q '(2 figures)' "$tmp/out" || say "no timeline: $(cat "$tmp/out")"

# ---- a directory that does not exist is named so ------------------------------------------
"$vhptsim" report "$tmp/nope" 2>"$tmp/err"
[ $? = 2 ] && grep -q "nope does not exist" "$tmp/err" || say "report of a missing directory: $(cat "$tmp/err")"
exit $fail
