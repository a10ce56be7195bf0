#!/bin/sh
# test_output_files.sh VHPTSIM - the files `trace convert IN OUT` and `workload -o OUT` write:
# never over a file of the user's without --force, never over a directory, FIFO or link, checked
# before anything is converted, whole or not at all (a signal leaves nothing behind).
set -u
vhptsim=$(realpath "$1")
fail=0
tmp=$(mktemp -d) || exit 1
bg=
trap 'for p in $bg; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
no() { echo "FAIL: $*" >&2; fail=1; }
leftovers() { ls -a | grep -F '.tmp-' | tr '\n' ' '; }

printf 'vcpus 1\nrr 3 rid=0x10 ps=16 ve=1\nld 0x6000000000010000 8\n' >in.vtr
printf 'name: w\nrun: {length: 1000}\nworkload: {kind: uniform, footprint: 1M}\n' >w.yaml

# a file of the user's: refused (exit 2, named), untouched, for both commands
echo precious >mine.vtr
"$vhptsim" trace convert in.vtr mine.vtr 2>err
[ $? -eq 2 ] && grep -q '^vhptsim: trace convert: mine.vtr exists; nothing was written (--force replaces it)$' err ||
    no "convert over an existing file: $(cat err)"
"$vhptsim" workload -o mine.vtr w.yaml 2>err
[ $? -eq 2 ] && grep -q '^vhptsim: workload: mine.vtr exists; nothing was written (--force replaces it)$' err ||
    no "workload over an existing file: $(cat err)"
[ "$(cat mine.vtr)" = precious ] || no "an existing file was overwritten"
# --force replaces it, whole
"$vhptsim" trace convert --force in.vtr mine.vtr || no "convert --force"
grep -q '^ld 0x6000000000010000 8$' mine.vtr || no "convert --force did not write the trace"
"$vhptsim" workload -f -o mine.vtr w.yaml || no "workload --force"
[ "$(grep -c '^ld ' mine.vtr)" -eq 1000 ] || no "workload --force did not write the 1000 loads of run.length"
# never a directory, a FIFO or a symbolic link, even with --force; nothing made beside them
mkdir adir.vtr
mkfifo fifo.vtr
ln -s mine.vtr link.vtr
for out in adir.vtr fifo.vtr link.vtr; do
    for f in "" --force; do
        "$vhptsim" trace convert $f in.vtr $out 2>err
        [ $? -eq 2 ] && grep -q "^vhptsim: trace convert: $out is .*: not writing there$" err || no "convert $f into $out: $(cat err)"
        "$vhptsim" workload $f -o $out w.yaml 2>err
        [ $? -eq 2 ] || no "workload $f into $out: exit $?"
    done
done
[ -d adir.vtr ] && [ -z "$(ls -A adir.vtr)" ] && [ -p fifo.vtr ] && [ -L link.vtr ] || no "a directory, FIFO or link was changed"
# a directory that is not there: exit 2 before converting
"$vhptsim" trace convert in.vtr nodir/x.vtr 2>err
[ $? -eq 2 ] && grep -q 'cannot write nodir/x.vtr' err || no "convert into a missing directory: $(cat err)"
[ -z "$(leftovers)" ] || no "refused outputs left $(leftovers)"

# a signal while writing: exit 128 + 15, no OUT, no temporary (SIGTERM: a background job of a
# script starts with SIGINT ignored, and vhptsim keeps it so)
printf 'name: long\nrun: {length: 10000000}\nworkload: {kind: uniform, footprint: 1M}\n' >long.yaml
"$vhptsim" workload -o long.vtr long.yaml &
pid=$!
bg=$pid
i=0
while [ ! -s "long.vtr.tmp-$pid" ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i + 1)); done
[ -s "long.vtr.tmp-$pid" ] || no "workload -o did not write its temporary"
kill -TERM $pid
wait $pid
st=$?
bg=
[ $st -eq 143 ] || no "workload -o after SIGTERM: exit $st, want 143"
[ ! -e long.vtr ] && [ -z "$(leftovers)" ] || no "an interrupted workload -o left $(ls)"
exit $fail
