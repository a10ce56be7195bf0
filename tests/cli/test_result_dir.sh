#!/bin/sh
# test_result_dir.sh VHPTSIM SOURCE_DIR - what `vhptsim run -o DIR` may write and replace
# (docs/results.md): never a directory it did not write; an earlier result of the same
# configuration is left as it is, one of another configuration only with --force; signals,
# a killed run's leftovers, concurrent runs, a full standard output.
set -u
vhptsim=$1 src=$2
fail=0
tmp=$(mktemp -d) || exit 1
bg=
trap 'for p in $bg; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT # $bg: a run not yet waited for
cd "$tmp" || exit 1
no() { echo "FAIL: $*" >&2; fail=1; }

cat >a.yaml <<'YAML'
name: a
run: {length: 3000, interval: 1000}
workload: {kind: uniform, footprint: 8M}
YAML
sed 's/8M/16M/' a.yaml >b.yaml
cat >long.yaml <<'YAML'
name: long
run: {length: 1000000000, interval: 100000}
workload: {kind: uniform, footprint: 8M}
YAML

# every entry under $1 with its type, size, modification time (ns) and checksum
snapshot() {
    (cd "$1" && find . -exec stat -c '%n %F %s %Y.%y' {} + | sort && find . -type f -exec cksum {} + | sort)
}
# the entries of this directory beside $1 (DIR.tmp-*, DIR.old-*, DIR.lock, ...)
siblings() { ls -a | grep -F "$1." | tr '\n' ' '; }
# waits until the run $1 into $2 has begun writing (its temporary directory holds config.yaml)
await_tmp() {
    i=0
    while [ ! -e "$2.tmp-$1/config.yaml" ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i + 1)); done
    [ -e "$2.tmp-$1/config.yaml" ]
}

# --- a directory vhptsim did not write: refused, untouched, whatever the flags -------------
mkdir -p home/sub
echo mine >home/notes.txt
echo deep >home/sub/x
before=$(snapshot home)
for flags in "" "--force"; do
    "$vhptsim" run -q $flags -o home a.yaml 2>err
    st=$?
    [ $st -eq 2 ] || no "run $flags into a foreign directory: status $st, expected 2"
    grep -q "home is not a vhptsim result" err || no "foreign directory: no reason given: $(cat err)"
    [ "$(snapshot home)" = "$before" ] || no "run $flags changed a directory vhptsim did not write"
done
[ -z "$(siblings home)" ] || no "a refused run left $(siblings home)"
echo x >afile
ln -s home alink
for target in afile alink; do
    "$vhptsim" run -q -o $target a.yaml 2>err
    st=$?
    [ $st -eq 2 ] || no "run into $target: status $st, expected 2"
done
[ "$(cat afile)" = x ] && [ -L alink ] || no "a refused run changed a file or link"

# --- new, empty, and an earlier result ------------------------------------------------------
mkdir empty
"$vhptsim" run -q -o empty a.yaml || no "run into an empty directory"
"$vhptsim" run -q -o out a.yaml || no "run into a new directory"
ls -a out | grep -qx .vhptsim-result || no "a result has no marker"
before=$(snapshot out)
"$vhptsim" run -o out a.yaml >stdout 2>err
st=$?
[ $st -eq 0 ] || no "rerun of the same configuration: status $st"
grep -q "not rerun" stdout || no "rerun of the same configuration does not say it was not rerun"
[ "$(snapshot out)" = "$before" ] || no "rerun of the same configuration rewrote the result"
"$vhptsim" run -q -o out b.yaml 2>err
st=$?
[ $st -eq 2 ] || no "another configuration without --force: status $st, expected 2"
grep -q "out holds the result of another configuration (workload.footprint is 8M in the result, 16M now)" err ||
    no "another configuration: the message does not name the directory and the key: $(cat err)"
[ "$(snapshot out)" = "$before" ] || no "a refused run changed the earlier result"
"$vhptsim" run -q --force -o out b.yaml || no "--force with another configuration"
grep -q 'footprint: 16M' out/config.yaml || no "--force did not replace the result"
"$vhptsim" run -q --force -o out b.yaml || no "--force with the same configuration"
[ -z "$(siblings out)" ] || no "replacing a result left $(siblings out)"
# a result plus a file of the user's is no longer vhptsim's alone
echo mine >out/notes.txt
before=$(snapshot out)
"$vhptsim" run -q --force -o out a.yaml 2>err
st=$?
[ $st -eq 2 ] && [ "$(snapshot out)" = "$before" ] || no "a result holding a user's file was replaced (status $st)"
rm out/notes.txt
# the report drawn into a result (vhptsim report, scripts/plot) is vhptsim's too: listed in the
# marker as a directory of its own, so the result stays up to date and --force replaces it whole
if command -v gnuplot >/dev/null 2>&1; then
    VHPTSIM=$vhptsim "$src/scripts/plot" out >/dev/null || no "scripts/plot"
    grep -qx 'dir report' out/.vhptsim-result || no "the report is not listed in the result's marker"
    grep -qx complete out/report/.vhptsim-result || no "the report is not a complete result of its own"
    "$vhptsim" report out >/dev/null || no "a second report into the same result"
    [ -z "$(cd out && siblings report)" ] || no "redrawing the report left $(cd out && siblings report)"
    "$vhptsim" run -o out b.yaml >stdout || no "a plotted result is no longer up to date"
    grep -q "not rerun" stdout || no "a plotted result was rerun"
    "$vhptsim" run -q --force -o out a.yaml || no "--force cannot replace a plotted result"
    [ ! -e out/report ] || no "the replaced result's report is still there"
    [ -z "$(siblings out)" ] || no "replacing a plotted result left $(siblings out)"
    # a user's file in the report makes the result foreign: refused, untouched
    "$vhptsim" report out >/dev/null || no "report after --force"
    echo mine >out/report/notes.txt
    before=$(snapshot out)
    "$vhptsim" run -q --force -o out b.yaml 2>err
    st=$?
    [ $st -eq 2 ] && [ "$(snapshot out)" = "$before" ] || no "a report holding a user's file was replaced (status $st)"
    grep -q "it holds 'report/notes.txt'" err || no "the refusal does not name report/notes.txt: $(cat err)"
    "$vhptsim" report out >/dev/null 2>err
    [ $? -eq 2 ] && [ "$(cat out/report/notes.txt)" = mine ] || no "report into a result holding a user's file"
    rm -r out/report/notes.txt
fi

# --- signals: exit 128 + signal, nothing left behind, the earlier result intact ------------
# runs $2 into $3 (with options $4), stops it with signal $1 while it simulates, and checks the
# status and that nothing is left beside $3
interrupt() {
    # a shell starts background jobs with SIGINT ignored; undo that, as a terminal would
    env --default-signal=INT "$vhptsim" run -q $4 -o "$3" "$2" &
    pid=$!
    bg=$pid
    await_tmp $pid "$3" || no "SIG$1: the run did not start"
    sleep 0.2 # well into the simulation
    kill -s "$1" $pid
    wait $pid
    st=$?
    bg=
    case $1 in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    [ $st -eq $want ] || no "SIG$1: status $st, expected $want"
    [ -z "$(siblings "$3")" ] || no "SIG$1 left $(siblings "$3")"
}
for sig in INT TERM HUP; do
    interrupt $sig long.yaml sig-$sig ""
    [ ! -e sig-$sig ] || no "SIG$sig: an interrupted run left sig-$sig"
done
before=$(snapshot out)
interrupt INT long.yaml out --force
[ "$(snapshot out)" = "$before" ] || no "SIGINT changed the earlier result"

# --- a run killed with SIGKILL: the next run removes what it left (only that) ----------------
"$vhptsim" run -q -o stale long.yaml &
pid=$!
bg="$bg $pid"
await_tmp $pid stale || no "SIGKILL: the run did not start"
kill -9 $pid
wait $pid 2>/dev/null
bg=
[ -d stale.tmp-$pid ] || no "SIGKILL: expected the killed run's stale.tmp-$pid"
# the same name pattern with no marker, and one of a live process: not to be removed
mkdir stale.tmp-999999999 stale.tmp-$$
echo mine >stale.tmp-999999999/mine.txt
"$vhptsim" run -q -o stale a.yaml || no "run after a killed run"
[ ! -e stale.tmp-$pid ] || no "the killed run's stale.tmp-$pid was not removed"
[ "$(cat stale.tmp-999999999/mine.txt 2>/dev/null)" = mine ] || no "a directory without vhptsim's marker was removed"
[ -d stale.tmp-$$ ] || no "a live process's temporary directory was removed"
[ ! -e stale.lock ] || no "stale.lock left behind"
rm -rf stale.tmp-999999999 stale.tmp-$$

# --- concurrent runs into one directory: they take turns, nothing fails or strays ----------
i=0
while [ $i -lt 8 ]; do
    "$vhptsim" run -q --force -o conc a.yaml 2>>conc.err || echo x >>conc.failed &
    "$vhptsim" run -q --force -o conc b.yaml 2>>conc.err || echo x >>conc.failed &
    "$vhptsim" run -q -o fresh-$i a.yaml 2>>conc.err || echo x >>conc.failed &
    "$vhptsim" run -q -o fresh-$i a.yaml 2>>conc.err || echo x >>conc.failed &
    wait
    i=$((i + 1))
done
[ ! -e conc.failed ] || no "$(wc -l <conc.failed) of 32 concurrent runs failed: $(grep -v waiting conc.err | head -n 3)"
ls -a | grep -E '\.(tmp-|old-|lock$)' >stray && no "concurrent runs left $(tr '\n' ' ' <stray)"
grep -qx complete conc/.vhptsim-result && grep -qx complete fresh-7/.vhptsim-result ||
    no "concurrent runs: the result is not complete"

# --- the summary is output too: a full standard output is a failure -------------------------
"$vhptsim" run -o full a.yaml >/dev/full 2>err
st=$?
[ $st -eq 1 ] || no "run > /dev/full: status $st, expected 1"
"$vhptsim" run -o full a.yaml >/dev/full 2>err
st=$?
[ $st -eq 1 ] || no "an up-to-date run > /dev/full: status $st, expected 1"
exit $fail
