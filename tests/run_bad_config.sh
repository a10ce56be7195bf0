#!/bin/sh
# run_bad_config.sh VHPTSIM CASE.yaml
# CASE.yaml's first line is "# expect: TEXT" (FILE stands for the case's path): `vhptsim run`
# must exit with status 2, print TEXT on standard error and leave no output directory.
set -u
vhptsim=$1 case=$2
expect=$(sed -n '1s/^# expect: //p' "$case")
[ -n "$expect" ] || { echo "$case has no '# expect:' first line" >&2; exit 1; }
expect=$(printf '%s' "$expect" | sed "s|FILE|$case|")
name=$(basename "$case")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$vhptsim" run -o "$tmp/out" "$case" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "$status" -ne 2 ]; then
    echo "$name: expected exit status 2, got $status" >&2; cat "$tmp/stderr" >&2; exit 1
fi
if ! grep -qF -- "$expect" "$tmp/stderr"; then
    echo "$name: expected on stderr: $expect" >&2; echo "got:" >&2; cat "$tmp/stderr" >&2; exit 1
fi
if [ -e "$tmp/out" ] || ls "$tmp" | grep -q 'out\.'; then
    echo "$name: a failed run left an output directory" >&2; exit 1
fi
