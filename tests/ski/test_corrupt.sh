#!/bin/sh
# test_corrupt.sh VHPTSIM TRACES_DIR - every class of bad Ski file, made by truncating or changing
# bytes of a copy of hello.trc, must make `vhptsim trace info` exit with status 2, print the
# error with the byte offset, and print nothing on standard output. Offsets are derived by hand
# from the file's bytes with README.md's record lengths (`xxd -s 648 -l 112 hello.trc` and
# `tail -c 64 hello.trc | xxd`): hello.trc is 128,284 bytes; its records start at 648 with
#   648 CAPSULE slot 0, 652 BUNDLE, 672 IOFFSET, 688 CAPSULE slot 1, 692 CAPSULE slot 0,
#   696 BUNDLE, 716 CAPSULE slot 1, 720 CAPSULE slot 0, 724 BUNDLE, 744 DOFFSET (the first),
# and end with 128256 CAPSULE slot 0, 128260 BUNDLE (20 bytes), 128280 END (4 bytes).
set -u
vhptsim=$1 dir=$2
fail=0
[ -r "$dir/hello.trc" ] || { echo "FAIL: no real Ski traces in '$dir' (set VHPTSIM_SKI_TRACES)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
f=$tmp/bad.trc

fresh() { cp "$dir/hello.trc" "$f"; chmod u+w "$f"; }
poke() { # poke OFFSET OCTAL_BYTES...: overwrite bytes at OFFSET
    off=$1; shift
    printf "$*" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
expect() { # expect DESCRIPTION MESSAGE [INPUT_MODE]
    if [ "${3:-file}" = stdin ]; then
        "$vhptsim" trace info --from ski - <"$f" >"$tmp/out" 2>"$tmp/err"; st=$?; name='<stdin>'
    else
        "$vhptsim" trace info "$f" >"$tmp/out" 2>"$tmp/err"; st=$?; name=$f
    fi
    if [ "$st" -ne 2 ]; then
        echo "FAIL: $1: status $st, expected 2" >&2; cat "$tmp/err" >&2; fail=1
    elif ! grep -qF -- "$name: $2" "$tmp/err"; then
        echo "FAIL: $1: expected on stderr: $name: $2" >&2; echo "got:" >&2; cat "$tmp/err" >&2; fail=1
    fi
    [ -s "$tmp/out" ] && { echo "FAIL: $1: a failed info printed results" >&2; fail=1; }
    return 0
}

# the untouched copy reads
fresh
"$vhptsim" trace info "$f" >/dev/null 2>&1 || { echo "FAIL: the untouched copy does not read" >&2; fail=1; }

# bad version (header format major at 0, record format major at 4)
fresh; poke 0 '\002'
expect "bad header version" "offset 0: error: bad version: header format 2.1, this reader reads Ski header format 1.x"
fresh; poke 4 '\003'
expect "bad record version" "offset 4: error: bad version: record format 3.0, this reader reads Ski record format 1.x"

# header too short
head -c 300 "$dir/hello.trc" >"$f"
expect "header too short" "offset 300: error: header too short: the file has 300 bytes, a Ski trace header has 600"
: >"$f"
expect "empty file" "offset 0: error: header too short: the file has 0 bytes"
head -c 599 "$dir/hello.trc" >"$f"
expect "header one byte short (stdin)" "offset 599: error: header too short: the file has 599 bytes" stdin

# first-record offset outside the file (u32 at 8): 0x00100000 = 1048576, and 100 (inside the header)
fresh; poke 8 '\000\000\020\000'
expect "first record beyond the end" "offset 8: error: first-record offset 1048576 is outside the file (128284 bytes)"
expect "first record beyond the end (stdin)" "offset 8: error: first-record offset 1048576 is outside the file (128284 bytes)" stdin
fresh; poke 8 '\144\000\000\000'
expect "first record inside the header" "offset 8: error: first-record offset 100 is inside the 600-byte header"

# record length table inconsistent with a record: DOFFSET (0x88, entry at 88 + 2*0x88 = 360) = 8
fresh; poke 360 '\010\000'
expect "doffset shorter than its fields" "offset 744: error: record length table inconsistent with a record: the header's table gives type 0x88 (doffset) 8 bytes (table entry at offset 360), but a doffset record has at least 16"

# a record type whose table length is 0: CAPSULE's entry (88 + 2*0x80 = 344) zeroed; the
# canonical (0x20) and context-switch (0x81) types written over the first record's type byte
fresh; poke 344 '\000\000'
expect "capsule with no length" "offset 648: error: record type 0x80 (capsule) has no length in the header's table"
fresh; poke 648 '\201'
expect "context switch record" "offset 648: error: record type 0x81 (context-switch) has no length in the header's table"
fresh; poke 648 '\040'
expect "canonical record" "offset 648: error: record type 0x20 (canonical) has no length in the header's table"
fresh; poke 744 '\211'
expect "region change record" "offset 744: error: record type 0x89 (region-change) has no length in the header's table"

# unknown record type
fresh; poke 648 '\102'
expect "unknown type 0x42" "offset 648: error: unknown record type 0x42"
fresh; poke 744 '\377'
expect "unknown type 0xff" "offset 744: error: unknown record type 0xff"

# truncated record: cut 7 bytes off the end: END goes, and 3 of the last BUNDLE's 20 bytes
head -c 128277 "$dir/hello.trc" >"$f"
expect "truncated bundle" "offset 128260: error: truncated record: type 0x86 (bundle) needs 20 bytes, the file ends after 17"
expect "truncated bundle (stdin)" "offset 128260: error: truncated record: type 0x86 (bundle) needs 20 bytes, the file ends after 17" stdin
head -c 128282 "$dir/hello.trc" >"$f"
expect "truncated END" "offset 128280: error: truncated record: type 0xf0 (end) needs 4 bytes, the file ends after 2"

# missing end-of-trace: the file ends on a record boundary without END (Ski was killed)
head -c 128280 "$dir/hello.trc" >"$f"
expect "missing END" "offset 128280: error: missing end-of-trace record (type 0xf0): the file ends after"
head -c 648 "$dir/hello.trc" >"$f"
expect "no records at all" "offset 648: error: missing end-of-trace record (type 0xf0): the file ends after 0 records"

# bytes after END (e.g. a second `trfile ... a` header appended)
fresh; printf 'junk' >>"$f"
expect "bytes after END" "offset 128284: error: 4 bytes after the end-of-trace record (type 0xf0) at offset 128280"
expect "bytes after END (stdin)" "offset 128284: error: 4 bytes after the end-of-trace record (type 0xf0) at offset 128280" stdin
fresh; cat "$dir/hello.trc" >>"$f"
expect "two traces appended" "offset 128284: error: 128284 bytes after the end-of-trace record (type 0xf0) at offset 128280"

# bad field values inside records
fresh; poke 745 '\011'
expect "doffset kind 9" "offset 744: error: DOFFSET reference kind 9 is not a Ski kind"
fresh; poke 746 '\003'
expect "doffset size 3" "offset 744: error: DOFFSET size 3 is not 1, 2, 4, 8, 10, 16 or 255"
fresh; poke 651 '\005'
expect "capsule slot 5" "offset 648: error: CAPSULE slot 5 is not 0, 1 or 2"
fresh; poke 672 '\212' # the first IOFFSET -> PREV_PFS (same length): no address for the first capsule
expect "no first IOFFSET" "offset 648: error: instruction without an address"

# robustness: single-byte changes all over the records never crash or hang (status 0 or 2)
i=0
while [ $i -lt 60 ]; do
    fresh
    off=$((648 + (i * 2141) % 127600))
    poke $off "\\$(printf '%03o' $(((i * 97 + 13) % 256)))"
    timeout 20 "$vhptsim" trace info "$f" >/dev/null 2>"$tmp/err"
    st=$?
    if [ "$st" -ne 0 ] && [ "$st" -ne 2 ]; then
        echo "FAIL: byte $off changed: status $st" >&2; cat "$tmp/err" >&2; fail=1
    fi
    if [ "$st" -eq 2 ] && ! grep -q "offset [0-9]*: error: " "$tmp/err"; then
        echo "FAIL: byte $off changed: error without an offset" >&2; cat "$tmp/err" >&2; fail=1
    fi
    i=$((i + 1))
done
exit $fail
