#!/usr/bin/env bash
# Two parkcheck binaries on the same corpus, pair by pair: each pair runs one and then the other,
# back to back, so that both see the same load of a shared machine; the summary is the median of
# each binary's times and the median of the pairs' ratios (NEW / OLD).
#
#   bash scripts/bench-compare.sh OLD_BIN NEW_BIN [CORPUS_DIR] [PAIRS]
#
# CORPUS_DIR defaults to target/bench-corpus-200x150 (made by scripts/bench.sh); PAIRS to 20.
# Both binaries run `check --format json CORPUS/ > /dev/null`; the first pair is a warm-up.
set -euo pipefail
OLD=${1:?usage: bench-compare.sh OLD_BIN NEW_BIN [CORPUS_DIR] [PAIRS]}
NEW=${2:?usage: bench-compare.sh OLD_BIN NEW_BIN [CORPUS_DIR] [PAIRS]}
CORPUS=${3:-target/bench-corpus-200x150}
PAIRS=${4:-20}
[[ -d $CORPUS ]] || { echo "bench-compare.sh: no corpus at $CORPUS (run scripts/bench.sh first)" >&2; exit 2; }

run() { local t0 t1; t0=$(date +%s%N); "$1" check --format json "$CORPUS/" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $((t1 - t0)); }
median() { sort -n | awk '{a[NR] = $1} END {printf "%.4f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

run "$OLD" >/dev/null; run "$NEW" >/dev/null
olds=() news=() ratios=()
for ((i = 0; i < PAIRS; i++)); do
  # Alternate which goes first, so neither always runs on a warmer cache.
  if ((i % 2)); then n=$(run "$NEW"); o=$(run "$OLD"); else o=$(run "$OLD"); n=$(run "$NEW"); fi
  olds+=("$o") news+=("$n")
  ratios+=("$(awk -v a="$n" -v b="$o" 'BEGIN {printf "%.4f", a / b}')")
done
ms_median() { printf '%s\n' "$@" | awk '{print $1 / 1e6}' | median; }
echo "corpus  $CORPUS, $PAIRS pairs, $(nproc) CPU(s), load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "old     $OLD: median $(ms_median "${olds[@]}") ms"
echo "new     $NEW: median $(ms_median "${news[@]}") ms"
echo "ratio   new / old: median $(printf '%s\n' "${ratios[@]}" | median) (range $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n '1p;$p' | paste -sd '-'))"
