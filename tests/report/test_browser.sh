#!/bin/bash
# test_browser.sh VHPTSIM SOURCE_DIR - a study's report/index.html opened in a real browser
# (headless Chromium, Debian's package, installed if missing as root): every figure must load
# (the page's script records loaded and broken images in #figure-check) and the table must have
# one row per point. Without Chromium and without root to install it: SKIPPED (77).
set -u
vhptsim=$1 src=$2
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIPPED: chromium is not installed and installing it needs root" >&2
        exit 77
    fi
    "$src/scripts/setup" --no-build --extra browser >/dev/null || { echo "FAIL: cannot install chromium" >&2; exit 1; }
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*" >&2; fail=1; }

# a study that draws every kind of figure: purges (mmap_storm), a line per purge policy, seeds
cat >"$tmp/study.yaml" <<'EOF'
name: browser
run: {length: 30000, warmup: 5000, interval: 5000}
workload: {kind: mmap_storm, mmap_chunk: 64K, munmap_interval: 2000}
sweep:
  guest.purge: [ptc_l, ptc_e]
  vmm.vtlb_size: [32K, 1M]
  seed: [1, 2]
report:
  title: Browser check
  description: Every figure of a report, <b>escaped</b> & checked.
  x: vmm.vtlb_size
  y: [vmm.vtlb.hit_rate, walker.hit_rate]
EOF
"$vhptsim" run -q -o "$tmp/study" "$tmp/study.yaml" || { echo "FAIL: the study" >&2; exit 1; }
"$vhptsim" run -q -o "$tmp/one" "$tmp/study/inputs/purge=ptc_l,vtlb_size=32K,seed=1.yaml" && "$vhptsim" report -q "$tmp/one" ||
    say "the report of one run"

open_page() { # open_page DIR: DIR/report/index.html's DOM after its scripts ran, into $tmp/dom
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$tmp/profile-$(basename "$1")" --virtual-time-budget=10000 \
        --dump-dom "file://$1/report/index.html" >"$tmp/dom" 2>"$tmp/chromium.err"
}
check_page() { # check_page DIR ROWS
    local dir=$1 rows=$2
    open_page "$dir" || { say "chromium failed on $dir"; tail -n 5 "$tmp/chromium.err" >&2; return; }
    local check total loaded broken imgs svgs
    check=$(grep -o '<p id="figure-check"[^>]*>' "$tmp/dom")
    total=$(echo "$check" | sed -n 's/.*data-total="\([0-9]*\)".*/\1/p')
    loaded=$(echo "$check" | sed -n 's/.*data-loaded="\([0-9]*\)".*/\1/p')
    broken=$(echo "$check" | sed -n 's/.*data-broken="\([^"]*\)".*/\1/p')
    imgs=$(grep -c '<img ' "$dir/report/index.html")
    svgs=$(ls "$dir/report"/*.svg | wc -l)
    [ -n "$total" ] || { say "$dir: the page's figure check did not run"; return; }
    [ "$total" = "$imgs" ] && [ "$imgs" = "$svgs" ] || say "$dir: $total images in the page, $imgs in the file, $svgs SVG files"
    [ "$loaded" = "$total" ] && [ -z "$broken" ] || say "$dir: $loaded of $total figures loaded; broken: $broken"
    [ "$(grep -o '<tbody>.*</tbody>' "$tmp/dom" | grep -o '<tr>' | wc -l)" = "$rows" ] ||
        [ "$(sed -n '/<tbody>/,/<\/tbody>/p' "$tmp/dom" | grep -c '<tr>')" = "$rows" ] || say "$dir: the table should have $rows rows"
}
check_page "$tmp/study" 8
check_page "$tmp/one" 1
# the study's figures: 2 statistics, cycles, purges, 8 timelines
[ "$(ls "$tmp/study/report"/*.svg | wc -l)" = 12 ] || say "12 figures expected: $(ls "$tmp/study/report" | tr '\n' ' ')"
grep -q '&lt;b&gt;escaped&lt;/b&gt; &amp; checked' "$tmp/study/report/index.html" || say "the description is not escaped"
# links to each point's files resolve
for p in "$tmp/study"/purge=*; do
    name=$(basename "$p")
    grep -q "href=\"../$name/config.yaml\"" "$tmp/study/report/index.html" || say "no link to $name/config.yaml"
done
exit $fail
