#!/bin/bash
# test_study_prepare.sh VHPTSIM - a study before its points run (docs/studies.md): the study's
# line comes first, a signal while the points are prepared stops it with no lock left behind,
# and inputs/ holds the current sweep's inputs only (an unchanged one is not rewritten).
set -u
vhptsim=$1
tmp=$(mktemp -d) || exit 1
bg=
trap 'for p in $bg; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*" >&2; fail=1; }

# ---- 20000 points: the first line names the study before they are resolved; SIGTERM then
# (a background job of a script starts with SIGINT ignored) ends it with 143, no DIR.lock -------
seeds=$(seq -s, 0 199) warmups=$(seq -s, 0 99)
printf 'name: many\nrun: {length: 1000, interval: 0}\nsweep:\n  seed: [%s]\n  run.warmup: [%s]\n' "$seeds" "$warmups" \
    >"$tmp/many.yaml"
"$vhptsim" run -j 1 -o "$tmp/many" "$tmp/many.yaml" >"$tmp/out" 2>"$tmp/err" &
pid=$!
bg=$pid
for _ in $(seq 400); do grep -q . "$tmp/out" && break; sleep 0.01; done
kill -TERM $pid
wait $pid
st=$?
bg=
grep -qx "study many: 20000 points -> $tmp/many/" "$tmp/out" || say "the study's first line: $(cat "$tmp/out")"
grep -q 'to run' "$tmp/out" && say "the points were prepared before the signal arrived (test too slow to tell)"
[ $st = 143 ] || say "a study stopped while preparing: exit $st, want 143: $(cat "$tmp/err")"
[ ! -e "$tmp/many.lock" ] || say "a study stopped while preparing left $tmp/many.lock"

# ---- inputs/: the current sweep's only; an unchanged input is not rewritten -----------------
printf 'name: few\nrun: {length: 2000, interval: 0}\nsweep:\n  seed: [1, 2, 3]\n' >"$tmp/few.yaml"
"$vhptsim" run -q -o "$tmp/few" "$tmp/few.yaml" || say "a study of 3 points"
before=$(stat -c %Y.%N "$tmp/few/inputs/seed=1.yaml")
sleep 1.1
"$vhptsim" run -o "$tmp/few" --set 'sweep.seed=[1]' "$tmp/few.yaml" >"$tmp/out" || say "the study of 1 of its points"
grep -qx 'study few: 1 point, 0 to run, 1 complete' "$tmp/out" || say "the study's second line: $(cat "$tmp/out")"
[ "$(ls "$tmp/few/inputs")" = 'seed=1.yaml' ] || say "inputs/ after the sweep shrank: $(ls "$tmp/few/inputs" | tr '\n' ' ')"
[ "$(stat -c %Y.%N "$tmp/few/inputs/seed=1.yaml")" = "$before" ] || say "an unchanged input was rewritten"
[ -f "$tmp/few/seed=2/stats.yaml" ] || say "a point no longer swept lost its result"
grep -q '^seed=2,' "$tmp/few/summary.csv" && say "summary.csv lists a point no longer swept"
exit $fail
