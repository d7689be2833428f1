#!/usr/bin/env bash
# Times `pruv verify` on a synthetic exported chain (default 100 000 entries):
# whole-process wall time, median of several runs, and peak memory.
#   scripts/bench-verify.sh [ENTRIES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-100000}
runs=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin pruv --example make_chain
target/release/examples/make_chain "$entries" "$work/chain.json"
echo "chain: $entries entries, $(du -h "$work/chain.json" | cut -f1)"
pruv=target/release/pruv
"$pruv" verify "$work/chain.json" >/dev/null   # warm the page cache

times=()
for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$pruv" verify "$work/chain.json" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
echo "pruv verify: median ${median} ms over $runs runs (all: ${times[*]})"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "peak RSS: %M KiB" "$pruv" verify "$work/chain.json" >/dev/null
fi
