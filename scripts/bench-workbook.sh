#!/usr/bin/env bash
# Reading a workbook against reading the same submission as YAML (issue 15: a 375-tenant park's
# workbook is not slower than 3× its YAML).
#
#   bash scripts/bench-workbook.sh [TENANTS]        # default 375
#
# Builds the release binary and examples, generates one park of TENANTS tenants
# (examples/gen_corpus.rs, fixed seed), writes it as the filled template (`parkcheck convert`), then
# measures loading alone on one thread (examples/load_only.rs: the loader of a check, median of
# BENCH_ROUNDS rounds) and the whole `parkcheck check` of each file (hyperfine, BENCH_RUNS runs).
# Prints both medians and the ratios. See benches/README.md.
set -euo pipefail

TENANTS=${1:-375}
RUNS=${BENCH_RUNS:-20}
ROUNDS=${BENCH_ROUNDS:-30}
[[ $TENANTS =~ ^[0-9]+$ ]] || { echo "usage: bash scripts/bench-workbook.sh [TENANTS]" >&2; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '==> %s\n' "$*" >&2; }
if ! command -v hyperfine >/dev/null 2>&1; then
  say "installing hyperfine"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
fi

say "building release binary and examples"
cargo build --release --quiet --bins --examples
BIN=target/release/parkcheck
dir=target/bench-workbook-$TENANTS
rm -rf "$dir"
target/release/examples/gen_corpus --parks 1 --tenants "$TENANTS" --seed 20251231 --out "$dir/gen" --force >&2
yaml=$(find "$dir/gen" -name '*.yaml' | head -1)
mkdir -p "$dir/yaml" "$dir/xlsx"
cp "$yaml" "$dir/yaml/park.yaml"
"$BIN" convert "$dir/yaml/park.yaml" -o "$dir/xlsx/park.xlsx" >/dev/null
say "$(du -h "$dir/yaml/park.yaml" | cut -f1) of YAML, $(du -h "$dir/xlsx/park.xlsx" | cut -f1) of xlsx, $TENANTS tenants"

# The same findings either way (else the comparison is of different work).
"$BIN" check "$dir/yaml/park.yaml" --format json --fail-on error >"$dir/yaml.json" || true
"$BIN" check "$dir/xlsx/park.xlsx" --format json --fail-on error >"$dir/xlsx.json" || true
count() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$1"; }
say "findings: YAML $(count "$dir/yaml.json"), workbook $(count "$dir/xlsx.json")"

median_ms() { # the median line of load_only's output, in ms
  target/release/examples/load_only --rounds "$ROUNDS" "$1" | awk '{for (i = 1; i < NF; i++) if ($i == "median") {print $(i + 1); exit}}'
}
load_yaml=$(median_ms "$dir/yaml")
load_xlsx=$(median_ms "$dir/xlsx")

hyperfine --style basic --warmup 3 --runs "$RUNS" -N --ignore-failure \
  --export-json "$dir/hyperfine.json" \
  "$BIN check $dir/yaml/park.yaml --format json" \
  "$BIN check $dir/xlsx/park.xlsx --format json" >&2
read -r check_yaml check_xlsx < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(*("%.1f" % (x["median"] * 1e3) for x in r))' "$dir/hyperfine.json")

echo
echo "one park, $TENANTS tenants, $(nproc) cores ($(date -u +%F))"
printf '  load alone, one thread (median of %s): YAML %s ms, workbook %s ms, ratio %s\n' \
  "$ROUNDS" "$load_yaml" "$load_xlsx" "$(python3 -c "print(f'{$load_xlsx / $load_yaml:.2f}')")"
printf '  whole check (hyperfine median of %s):  YAML %s ms, workbook %s ms, ratio %s (target ≤ 3)\n' \
  "$RUNS" "$check_yaml" "$check_xlsx" "$(python3 -c "print(f'{$check_xlsx / $check_yaml:.2f}')")"
