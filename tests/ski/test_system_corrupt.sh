#!/bin/sh
# test_system_corrupt.sh VHPTSIM SYSTEM_TRACES_DIR SOURCE_DIR - bad system-mode Ski files get the
# same clear errors as user-mode ones: `vhptsim trace info` (and `replay`) exit with status 2,
# name the byte offset and print nothing on standard output. The copies are made from
# tlbkern-annot.trc (302,964 bytes); the offsets come from its bytes with the README's record
# lengths: its first interruption is
#   14196 CAPSULE slot 0 (st8), 14200 BUNDLE, 14220 DOFFSET write, 14236 INTERRUPTION (before),
#   14284 INTERRUPTION (after), 14332 CAPSULE slot 0 of the handler, 14336 BUNDLE,
#   14356 CAPSULE slot 1, 14360 IOFFSET 0x100800, 14376 CAPSULE slot 2, 14380 IOFFSET, 14396 CAPSULE
# and it ends with 302940 CAPSULE, 302944 IOFFSET, 302960 END.
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/tlbkern-annot.trc" ] || { echo "FAIL: no Ski system traces in '$dir'" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
f=$tmp/bad.trc

fresh() { cp "$dir/tlbkern-annot.trc" "$f"; chmod u+w "$f"; }
poke() { off=$1; shift; printf "$*" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null; }
# a 16-byte record of type $2 with zero fields at offset $1
rec16() { poke "$1" "\\$2\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"; }
expect() { # expect DESCRIPTION MESSAGE
    for cmd in "trace info" replay; do
        "$vhptsim" $cmd "$f" >"$tmp/out" 2>"$tmp/err"; st=$?
        if [ "$st" -ne 2 ]; then
            echo "FAIL: $1 ($cmd): status $st, expected 2" >&2; cat "$tmp/err" >&2; fail=1
        elif ! grep -qF -- "$f: $2" "$tmp/err"; then
            echo "FAIL: $1 ($cmd): expected on stderr: $f: $2" >&2; echo "got:" >&2; cat "$tmp/err" >&2; fail=1
        fi
        [ -s "$tmp/out" ] && { echo "FAIL: $1 ($cmd): a failed command printed results" >&2; fail=1; }
    done
    return 0
}

fresh
"$vhptsim" trace info "$f" | grep -qx 'mode system' || { echo "FAIL: the untouched copy is not system mode" >&2; fail=1; }

# truncated in the middle of the first INTERRUPTION record (48 bytes, 20 of them present)
head -c 14256 "$dir/tlbkern-annot.trc" >"$f"
expect "truncated interruption" "offset 14236: error: truncated record: type 0x82 (interruption) needs 48 bytes, the file ends after 20"
# cut within its first records (700 bytes: the record at 692 is an IOFFSET with 8 of its 16
# bytes): too little to tell system mode from, and the cut is what replay and run say, not that
# it would be a user-mode trace
head -c 700 "$dir/tlbkern-annot.trc" >"$f"
expect "cut in the first records" "offset 692: error: truncated record: type 0x85 (ioffset) needs 16 bytes, the file ends after 8"
printf 'name: cut\nsource: ski\ntrace: {path: %s}\nguest: {enabled: false}\n' "$f" >"$tmp/cut.yaml"
"$vhptsim" run -q -o "$tmp/cut" "$tmp/cut.yaml" 2>"$tmp/err"
[ $? = 2 ] && grep -qF "$f: offset 692: error: truncated record" "$tmp/err" ||
    { echo "FAIL: run of a cut system trace: $(cat "$tmp/err")" >&2; fail=1; }
# the END record missing
head -c 302960 "$dir/tlbkern-annot.trc" >"$f"
expect "missing END" "offset 302960: error: missing end-of-trace record (type 0xf0): the file ends after 24198 records"
# bytes after END
fresh; printf '\200\000\000\002' >>"$f"
expect "bytes after END" "offset 302964: error: 4 bytes after the end-of-trace record (type 0xf0) at offset 302960"
# field errors, as in user mode
fresh; poke 14199 '\005'
expect "capsule slot" "offset 14196: error: CAPSULE slot 5 is not 0, 1 or 2"
fresh; poke 14221 '\011'
expect "doffset kind" "offset 14220: error: DOFFSET reference kind 9 is not a Ski kind (0..6 or 255)"
# the second INTERRUPTION record replaced by three IOFFSETs (48 bytes): the first is alone
fresh; rec16 14284 205; rec16 14300 205; rec16 14316 205
expect "lone interruption record" "offset 14236: error: INTERRUPTION record without its second record"
# the handler's first bundle loses both its IOFFSETs (made PREV_PFS records): after an
# interruption nothing else gives its address
fresh; rec16 14360 212; rec16 14380 212
expect "handler bundle without an address" "offset 14332: error: instruction without an address"
# an unknown record type inside the system-mode part
fresh; poke 14332 '\102'
expect "unknown record type" "offset 14332: error: unknown record type 0x42"
exit $fail
