#!/bin/sh
# test_stats_docs.sh VHPTSIM SOURCE_DIR - the statistics contract: docs/stats.md and the counter
# table of docs/guest-os.md against what vhptsim emits.
#
# The documented names are the backticked `cpuN.` / `vm.` names in the first column of every
# table of the two files; `<x>` expands to the values of docs/stats.md's "Placeholders" table,
# `cpuN` to cpu0, cpu1, ...; and, as docs/stats.md says, every `cpuN.X` counter (not a rate) also
# exists as its VM sum `vm.X`. Fails when
#  - a name emitted (stats.yaml of a run, the listing of a replay) is not documented, or
#  - a documented name (every expansion, for vCPU 0 and, for counters, the VM) is emitted by none
#    of the runs: a 2-vCPU generator run with the guest OS model and instruction counting, a run
#    and a replay of a system-mode Ski trace (the trace.* / divergence.* group; a seed of the
#    fuzz corpus, cut from tlbkern-annot.trc), and a replay of the sample trace; or
#  - trace.* / divergence.* appear for a source that is not a system-mode Ski trace (the rule
#    docs/stats.md states).
set -u
vhptsim=$1 src=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/all.yaml" <<'YAML'
name: all
vcpus: 2
run: {length: 3000, warmup: 500, interval: 1000}
workload: {kind: mmap_storm, footprint: 8M, mmap_chunk: 64K, munmap_interval: 500, ifetch_fraction: 0.1, insns_per_ifetch: 3}
YAML
"$vhptsim" run -q -o "$tmp/run" "$tmp/all.yaml" || { echo "FAIL: the run" >&2; exit 1; }
"$vhptsim" replay "$src/workloads/samples/sample.vtr" >"$tmp/replay.txt" || { echo "FAIL: the replay" >&2; exit 1; }
system_trace=$src/tests/fuzz/corpus/tlbkern-annot-start.trc
printf 'name: sys\nsource: ski\ntrace: {path: %s}\nguest: {enabled: false}\n' "$system_trace" >"$tmp/sys.yaml"
"$vhptsim" run -q -o "$tmp/sys" "$tmp/sys.yaml" || { echo "FAIL: the system-mode run" >&2; exit 1; }
"$vhptsim" replay "$system_trace" >"$tmp/sys-replay.txt" || { echo "FAIL: the system-mode replay" >&2; exit 1; }
if grep -E '^(cpu[0-9]+|vm)\.(trace|divergence)\.' "$tmp/run/stats.yaml" "$tmp/replay.txt" >&2; then
    echo "FAIL: trace.* / divergence.* listed for a source that is not a system-mode Ski trace" >&2
    exit 1
fi
{
    sed -n 's/^\([^#][^:]*\): .*/\1/p' "$tmp/run/stats.yaml" "$tmp/sys/stats.yaml"
    awk '{ print $1 }' "$tmp/replay.txt" "$tmp/sys-replay.txt"
} | sort -u >"$tmp/emitted"
[ "$(wc -l <"$tmp/emitted")" -gt 300 ] || { echo "FAIL: too few names emitted" >&2; exit 1; }

awk -v emitted="$tmp/emitted" '
function esc(s) { gsub(/\./, "\\.", s); return s }
# the backticked tokens of a table cell, into tok[1..n]
function tokens(cell,    n) {
    n = 0
    while (match(cell, /`[^`]+`/)) {
        tok[++n] = substr(cell, RSTART + 1, RLENGTH - 2)
        cell = substr(cell, RSTART + RLENGTH)
    }
    return n
}
# a documented pattern as an anchored regular expression
function to_regex(p,    r, name, pre) {
    r = ""
    while (match(p, /<[a-z]+>/)) {
        pre = substr(p, 1, RSTART - 1); name = substr(p, RSTART, RLENGTH)
        if (!(name in values)) { printf "docs: unknown placeholder %s in %s\n", name, p; bad = 1 }
        r = r esc(pre) "(" values_re[name] ")"
        p = substr(p, RSTART + RLENGTH)
    }
    r = "^" r esc(p) "$"
    gsub(/cpuN/, "cpu[0-9]+", r)
    return r
}
# every expansion of p (cpuN as cpu0) into need[]
function expand(p,    q, qn, i, name, pre, post, nv, v, k, item) {
    qn = 1; q[1] = p
    for (i = 1; i <= qn; i++) {
        item = q[i]
        if (match(item, /<[a-z]+>/)) {
            pre = substr(item, 1, RSTART - 1); name = substr(item, RSTART, RLENGTH)
            post = substr(item, RSTART + RLENGTH)
            nv = split(values[name], v, " ")
            for (k = 1; k <= nv; k++) q[++qn] = pre v[k] post
        } else {
            sub(/^cpuN\./, "cpu0.", item)
            need[item] = p
        }
    }
}
function is_rate(name) { return name ~ /\.(hit_rate|mpkr|mpki)$/ }
# pass 1 (docs/stats.md only): the placeholders
FNR == 1 { file++ }
file == 1 && /^\| `<[a-z]+>` \|/ {
    split($0, cell, "|")
    n = tokens(cell[2]); ph = tok[1]
    n = tokens(cell[3])
    for (i = 1; i <= n; i++) {
        values[ph] = values[ph] (i > 1 ? " " : "") tok[i]
        values_re[ph] = values_re[ph] (i > 1 ? "|" : "") esc(tok[i])
    }
    next
}
# pass 2 (both files): the names
file >= 2 && /^\|/ {
    split($0, cell, "|")
    n = tokens(cell[2])
    for (i = 1; i <= n; i++)
        if (tok[i] ~ /^(cpuN|vm)\./) pat[++npat] = tok[i]
}
END {
    while ((getline line < emitted) > 0) emit[line] = 1
    for (j = 1; j <= npat; j++) {
        re[j] = to_regex(pat[j])
        expand(pat[j])
        if (pat[j] ~ /^cpuN\./ && !is_rate(pat[j])) {   # its VM sum
            s = pat[j]; sub(/^cpuN\./, "vm.", s); expand(s)
        }
    }
    for (name in emit) {
        ok = 0
        for (j = 1; j <= npat && !ok; j++) if (name ~ re[j]) ok = 1
        if (!ok && name ~ /^vm\./ && !is_rate(name)) {   # a VM sum of a documented counter
            c = name; sub(/^vm\./, "cpu0.", c)
            for (j = 1; j <= npat && !ok; j++) if (pat[j] ~ /^cpuN\./ && !is_rate(pat[j]) && c ~ re[j]) ok = 1
        }
        if (!ok) { printf "emitted but not documented (docs/stats.md, docs/guest-os.md): %s\n", name; bad = 1 }
    }
    for (name in need)
        if (!(name in emit)) { printf "documented as `%s` but never emitted: %s\n", need[name], name; bad = 1 }
    if (npat < 50) { print "docs: too few names found"; bad = 1 }
    exit bad
}' "$src/docs/stats.md" "$src/docs/stats.md" "$src/docs/guest-os.md" >&2
