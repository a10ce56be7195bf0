#!/bin/sh
# test_result_mounts.sh VHPTSIM - `run -o DIR` where DIR cannot take a result: a mount point
# (a result is renamed into its place, which a mount point cannot take) and a read-only file
# system are bad output directories (exit 2), found before anything is simulated. The mounts
# (tmpfs) need root: elsewhere the test says SKIPPED and exits 77.
set -u
vhptsim=$1
[ "$(id -u)" = 0 ] || { echo "SKIPPED: mounting a tmpfs needs root" >&2; exit 77; }
fail=0
tmp=$(mktemp -d) || exit 1
mounted=
trap 'for m in $mounted; do umount -l "$m"; done; rm -rf "$tmp"' EXIT
no() { echo "FAIL: $*" >&2; fail=1; }
cd "$tmp" || exit 1
# a run long enough (a billion references) that only an up-front refusal ends it at once
printf 'name: long\nrun: {length: 1000000000, interval: 0}\nworkload: {kind: uniform, footprint: 8M}\n' >long.yaml

mkdir mnt ro
mount -t tmpfs tmpfs mnt || { echo "SKIPPED: cannot mount a tmpfs here" >&2; exit 77; }
mounted=mnt
timeout 20 "$vhptsim" run -q -o mnt long.yaml 2>err
st=$?
[ $st -eq 2 ] && grep -q '^vhptsim: run: mnt is a mount point: .*name a directory inside it (-o mnt/NAME)$' err ||
    no "run into a mount point: exit $st: $(cat err)"
[ -z "$(ls -A mnt)" ] && [ -z "$(ls -a | grep -F 'mnt.')" ] || no "a refused run left $(ls -a mnt) $(ls -a | grep -F 'mnt.')"
# inside it is fine
printf 'name: short\nrun: {length: 2000, interval: 0}\nworkload: {kind: uniform, footprint: 8M}\n' >short.yaml
"$vhptsim" run -q -o mnt/out short.yaml && [ -f mnt/out/stats.yaml ] || no "a run into a directory inside a mount point"

mount -t tmpfs -o ro tmpfs ro || { echo "SKIPPED: cannot mount a read-only tmpfs here" >&2; exit 77; }
mounted="mnt ro"
timeout 20 "$vhptsim" run -q -o ro/out long.yaml 2>err
st=$?
[ $st -eq 2 ] && grep -q 'Read-only file system' err || no "run into a read-only file system: exit $st: $(cat err)"
exit $fail
