#!/bin/sh
# run_bad_input.sh VHPTSIM CASE.vtr
# CASE.vtr starts with a line "# expect: TEXT": replay must exit with status 2 and print TEXT
# (which names the file position) on standard error, and nothing on standard output.
set -u
vhptsim=$1 vtr=$2
expect=$(sed -n 's/^# expect: //p' "$vtr" | head -n 1)
[ -n "$expect" ] || { echo "$vtr has no '# expect:' line" >&2; exit 1; }
name=$(basename "$vtr")
expect=$(printf '%s' "$expect" | sed "s|FILE|$vtr|")
out=$(mktemp) err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT
"$vhptsim" replay "$vtr" >"$out" 2>"$err"
status=$?
if [ "$status" -ne 2 ]; then
    echo "$name: expected exit status 2, got $status" >&2; cat "$err" >&2; exit 1
fi
if ! grep -qF -- "$expect" "$err"; then
    echo "$name: expected on stderr: $expect" >&2; echo "got:" >&2; cat "$err" >&2; exit 1
fi
if [ -s "$out" ]; then
    echo "$name: a failed replay must not print results" >&2; exit 1
fi
