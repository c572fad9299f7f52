#!/usr/bin/env bash
# Whole-run benchmark of `parkcheck check` over a generated submission repository.
#
#   bash scripts/bench.sh [PARKS] [TENANTS]        # defaults: 200 150 (≈ 11 MB of YAML)
#
# Builds the release binary and the corpus generator, generates target/bench-corpus-<P>x<T>/ once
# (examples/gen_corpus.rs, fixed seed), then measures with hyperfine: the wall time of
# `parkcheck check --format json` over the corpus, a `cat` of the same files (the I/O floor), a parse of
# the same files with the same parser and nothing else (examples/parse_only.rs: the floor issue #5
# compares with), the peak resident memory (GNU time) and the parse/schema/rules split (`--timings`).
# See benches/README.md.
# Environment: BENCH_RUNS (default 10), BENCH_WARMUP (default 2), BENCH_SEED (default 20251231),
# BENCH_JSON_SHARE (fraction of the parks written as JSON, default 0.0; part of the corpus name when set).
#
#   BENCH_JSON=1 bash scripts/bench.sh [PARKS] [TENANTS]
#
# compares instead the YAML, JSON and minified JSON forms of the same corpus (the same parks,
# written three ways): loading alone on one thread (examples/load_only.rs, MB/s), whole checks run
# in turn (YAML, JSON, minified JSON, BENCH_RUNS rounds) with the medians of the per-round ratios
# to YAML, peak memory of each, and the one-line inputs of the hostile corpus in the release build
# (one park of 20 000 tenants as minified JSON and as a YAML flow mapping, against the 2 s bound).
set -euo pipefail

PARKS=${1:-200}
TENANTS=${2:-150}
RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-2}
SEED=${BENCH_SEED:-20251231}
JSON_SHARE=${BENCH_JSON_SHARE:-0.0}

for n in "$PARKS" "$TENANTS" "$RUNS" "$WARMUP" "$SEED"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "bench.sh: expected numbers, got '$n' (usage: bash scripts/bench.sh [PARKS] [TENANTS])" >&2; exit 2; }
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

NAME="${PARKS}x${TENANTS}"
if [[ $JSON_SHARE != "0.0" && $JSON_SHARE != "0" ]]; then
  NAME="${NAME}-json${JSON_SHARE}"
fi
CORPUS="target/bench-corpus-${NAME}"
RESULT="target/bench-${NAME}.json"
RESULT_CAT="target/bench-${NAME}-cat.json"
RESULT_PARSE="target/bench-${NAME}-parse.json"
BIN="target/release/parkcheck"
GEN="target/release/examples/gen_corpus"
PARSE="target/release/examples/parse_only"

say() { printf '==> %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------------
need_pkgs=()
command -v hyperfine >/dev/null 2>&1 || need_pkgs+=(hyperfine)
[[ -x /usr/bin/time ]] || need_pkgs+=(time)
if ((${#need_pkgs[@]})); then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "bench.sh: need ${need_pkgs[*]} (apt-get install -y ${need_pkgs[*]}) and not root" >&2; exit 1; }
    SUDO=(sudo)
  fi
  say "installing ${need_pkgs[*]}"
  "${SUDO[@]}" apt-get update -qq >/dev/null
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# --- build -----------------------------------------------------------------------------------------
say "building release binary, corpus generator and parse-only baseline"
cargo build --release --quiet --bins --examples

# --- corpus ----------------------------------------------------------------------------------------
# CORPUS.txt is written last by the generator: without it the directory is incomplete or foreign.
# gen DIR ARGS...: generates DIR unless a complete one made with the same arguments is there.
gen() {
  local dir=$1
  shift
  local want="--parks $PARKS --tenants $TENANTS --seed $SEED --json-share $*"
  if [[ -f $dir/CORPUS.txt && -f $dir/ARGS.txt ]] && [[ $(cat "$dir/ARGS.txt") == "$want" ]]; then
    say "corpus $dir already there"
  else
    say "generating $dir"
    rm -f "$dir/ARGS.txt"
    "$GEN" --parks "$PARKS" --tenants "$TENANTS" --seed "$SEED" --out "$dir" --force --json-share "$@" >&2
    echo "$want" >"$dir/ARGS.txt"
  fi
}

if [[ ${BENCH_JSON:-0} == 1 ]]; then
  median_of() { sort -n | awk '{a[NR] = $1} END {printf "%.4f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
  yaml_dir="target/bench-corpus-${PARKS}x${TENANTS}-form-yaml"
  json_dir="target/bench-corpus-${PARKS}x${TENANTS}-form-json"
  min_dir="target/bench-corpus-${PARKS}x${TENANTS}-form-json-min"
  gen "$yaml_dir" 0.0
  gen "$json_dir" 1.0
  gen "$min_dir" 1.0 --minify
  size() { find "$1/parks" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }

  say "loading alone, one thread (examples/load_only.rs, $RUNS rounds)"
  load_lines=()
  for dir in "$yaml_dir" "$json_dir" "$min_dir"; do
    out=$(target/release/examples/load_only --rounds "$RUNS" "$dir")
    echo "$out" >&2
    load_lines+=("$(basename "$dir"): $(echo "$out" | sed -n 's/^ *parkcheck spanned tree *//p')")
    serde=$(echo "$out" | sed -n 's/^ *serde_json IgnoredAny *//p')
    [[ -n $serde ]] && load_lines+=("    serde_json IgnoredAny (validation only): $serde")
    value=$(echo "$out" | sed -n 's/^ *serde_json Value *//p')
    [[ -n $value ]] && load_lines+=("    serde_json Value (its own tree, no spans): $value")
  done

  say "whole checks in turn: YAML, JSON, minified JSON ($WARMUP warm-up, $RUNS rounds)"
  run_ns() { local t0 t1; t0=$(date +%s%N); "$BIN" check --format json "$1/" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $((t1 - t0)); }
  for ((i = 0; i < WARMUP; i++)); do run_ns "$yaml_dir" >/dev/null; run_ns "$json_dir" >/dev/null; run_ns "$min_dir" >/dev/null; done
  ty=() tj=() tm=() rj=() rm=()
  for ((i = 0; i < RUNS; i++)); do
    y=$(run_ns "$yaml_dir") j=$(run_ns "$json_dir") m=$(run_ns "$min_dir")
    ty+=("$y") tj+=("$j") tm+=("$m")
    rj+=("$(awk -v a="$j" -v b="$y" 'BEGIN {printf "%.4f", a / b}')")
    rm+=("$(awk -v a="$m" -v b="$y" 'BEGIN {printf "%.4f", a / b}')")
    echo "round $i: yaml $((y / 1000000)) ms, json $((j / 1000000)) ms, minified $((m / 1000000)) ms" >&2
  done
  ms_of() { printf '%s\n' "$@" | median_of | awk '{printf "%.1f", $1 / 1e6}'; }
  ratio_of() { printf '%s\n' "$@" | median_of | awk '{printf "%.2f", $1}'; }
  range_of() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f–%.2f", lo, hi}'; }

  say "peak memory (GNU time -v)"
  rss() { /usr/bin/time -v "$BIN" check --format json "$1/" 2>&1 >/dev/null | grep 'Maximum resident' | grep -o '[0-9]*$' | awk '{printf "%.1f", $1 / 1024}'; }
  rss_y=$(rss "$yaml_dir") rss_j=$(rss "$json_dir") rss_m=$(rss "$min_dir")

  say "one-line inputs: one park of 20 000 tenants, minified JSON and a YAML flow mapping"
  one_json="target/bench-oneline-20000-json"
  one_yaml="target/bench-oneline-20000-yaml"
  (PARKS=1 TENANTS=20000; gen "$one_json" 1.0 --minify; gen "$one_yaml" 0.0 --yaml-flow)
  one_lines=()
  for dir in "$one_json" "$one_yaml"; do
    times=()
    for ((i = 0; i < 5; i++)); do times+=("$(run_ns "$dir")"); done
    med=$(ms_of "${times[@]}")
    one_lines+=("$(basename "$dir"): $(size "$dir") MB on one line, check median $med ms of 5  bound 2 s: $(awk -v t="$med" 'BEGIN {print (t < 2000) ? "ok" : "OVER"}')")
  done

  rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
  dirty=$(git status --porcelain -- src Cargo.toml Cargo.lock rules schemas 2>/dev/null | grep -q . && echo ' + uncommitted changes' || true)
  echo
  echo "parkcheck JSON/YAML benchmark  $(date -u +%Y-%m-%d)  commit $rev$dirty"
  echo "machine     $(nproc) CPU(s); load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
  echo "corpora     $PARKS parks x $TENANTS tenants: YAML $(size "$yaml_dir") MB, JSON $(size "$json_dir") MB, minified JSON $(size "$min_dir") MB"
  echo "load only   (one thread, median of $RUNS rounds; target for JSON >= 150 MB/s)"
  printf '              %s\n' "${load_lines[@]}"
  echo "check       medians of $RUNS rounds run in turn: YAML $(ms_of "${ty[@]}") ms, JSON $(ms_of "${tj[@]}") ms, minified JSON $(ms_of "${tm[@]}") ms"
  echo "            JSON / YAML = $(ratio_of "${rj[@]}") (range $(range_of "${rj[@]}")), minified / YAML = $(ratio_of "${rm[@]}") (range $(range_of "${rm[@]}"))  target <= 0.6: $(awk -v r="$(ratio_of "${rj[@]}")" 'BEGIN {print (r <= 0.6) ? "ok" : "OVER"}')"
  echo "peak RSS    YAML $rss_y MiB, JSON $rss_j MiB, minified JSON $rss_m MiB"
  printf 'one line    %s\n' "${one_lines[@]}"
  exit 0
fi

if [[ -f $CORPUS/CORPUS.txt ]] && grep -q "^parks $PARKS tenants/park $TENANTS seed $SEED " "$CORPUS/CORPUS.txt"; then
  say "corpus $CORPUS already there"
else
  say "generating $CORPUS"
  "$GEN" --parks "$PARKS" --tenants "$TENANTS" --seed "$SEED" --json-share "$JSON_SHARE" --out "$CORPUS" --force >&2
fi
corpus_files=$(find "$CORPUS/parks" -type f \( -name '*.yaml' -o -name '*.json' \) | wc -l)
corpus_bytes=$(find "$CORPUS/parks" -type f \( -name '*.yaml' -o -name '*.json' \) -printf '%s\n' | awk '{s += $1} END {print s + 0}')
corpus_mb=$(awk -v b="$corpus_bytes" 'BEGIN {printf "%.1f", b / 1e6}')

# --- one checked run: the corpus must be clean ---------------------------------------------------
say "checking the corpus once"
report=$(mktemp)
trap 'rm -f "$report" "${timings_err:-}" "${time_err:-}"' EXIT
set +e
"$BIN" check --format json "$CORPUS/" >"$report" 2>/dev/null
check_rc=$?
set -e
count() { grep -o "\"$1\": *[0-9]*" "$report" | tail -n 1 | grep -o '[0-9]*$' || echo '?'; }
errors=$(count errors) warnings=$(count warnings) infos=$(count infos) checked=$(count files_clean)
ignore_failures=()
if [[ $check_rc -ne 0 ]]; then
  say "WARNING: parkcheck exited $check_rc on the corpus ($errors errors, $warnings warnings); benchmarking with hyperfine -i"
  grep -o '"by_rule": *{[^}]*}' "$report" | tail -n 1 >&2 || true
  ignore_failures=(-i)
fi

# --- wall time -------------------------------------------------------------------------------------
# Other work on the machine (a build, say) inflates every number: the load average goes in the summary.
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')
say "hyperfine: parkcheck check ($WARMUP warm-up, $RUNS runs)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" "${ignore_failures[@]}" --export-json "$RESULT" \
  "$BIN check --format json $CORPUS/ > /dev/null" >&2

say "hyperfine: cat of the same files (I/O floor)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$RESULT_CAT" \
  "cat $CORPUS/parks/*/* > /dev/null" >&2

say "hyperfine: parse only, same parser, same files (examples/parse_only.rs)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$RESULT_PARSE" \
  "$PARSE $CORPUS/ > /dev/null" >&2

# hyperfine runs all of one command, then all of the other: on a shared machine the load can
# change in between and move the ratio. Run them in turn instead, back to back, and take the
# median of the pairs' ratios: both members of a pair see the same load.
say "check and parse only in turn ($RUNS pairs)"
pair_ratios=()
for ((i = 0; i < RUNS; i++)); do
  t0=$(date +%s%N)
  "$BIN" check --format json "$CORPUS/" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  "$PARSE" "$CORPUS/" >/dev/null
  t2=$(date +%s%N)
  pair_ratios+=("$(awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN {printf "%.4f", a / b}')")
done
pair_ratio=$(printf '%s\n' "${pair_ratios[@]}" | sort -n |
  awk '{a[NR] = $1} END {printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
pair_range=$(printf '%s\n' "${pair_ratios[@]}" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f–%.2f", lo, hi}')
echo "pair ratios: ${pair_ratios[*]}" >&2

# median, min and max (seconds) of the first result of a hyperfine JSON export
stat_of() { grep -o "\"$2\": *[0-9.e+-]*" "$1" | head -n 1 | sed 's/.*: *//'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }
median=$(stat_of "$RESULT" median) tmin=$(stat_of "$RESULT" min) tmax=$(stat_of "$RESULT" max)
cat_median=$(stat_of "$RESULT_CAT" median)
parse_median=$(stat_of "$RESULT_PARSE" median)
ratio=$(awk -v c="$median" -v p="$parse_median" 'BEGIN {printf "%.2f", c / p}')
cpu_user=$(stat_of "$RESULT" user) cpu_sys=$(stat_of "$RESULT" system)

# --- peak memory -----------------------------------------------------------------------------------
say "peak memory (GNU time -v)"
time_err=$(mktemp)
/usr/bin/time -v "$BIN" check --format json "$CORPUS/" >/dev/null 2>"$time_err" || true
rss_kb=$(grep 'Maximum resident set size' "$time_err" | grep -o '[0-9]*$' || echo 0)
rss_mib=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k / 1024}')
echo "Maximum resident set size: ${rss_mib} MiB (${rss_kb} kbytes)" >&2

# --- phase split -----------------------------------------------------------------------------------
say "phase split (--timings)"
timings_err=$(mktemp)
set +e
"$BIN" check --format json --timings "$CORPUS/" >/dev/null 2>"$timings_err"
set -e
timings=$(grep -m 1 '^timings:' "$timings_err" || true)
if [[ -z $timings ]]; then
  if grep -qi 'unexpected argument\|unrecognized\|--timings' "$timings_err"; then
    timings="(not available: this build of parkcheck has no --timings flag)"
  else
    timings="(not available: no 'timings:' line on stderr)"
  fi
fi
echo "$timings" >&2

# --- summary ---------------------------------------------------------------------------------------
model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git status --porcelain -- src Cargo.toml Cargo.lock rules schemas 2>/dev/null | grep -q . && echo ' + uncommitted changes' || true)

target_wall='' target_rss=''
case "$PARKS/$TENANTS" in
  200/150) target_wall=0.3 target_rss=64 ;;
  1000/150) target_wall=2 target_rss=150 ;;
esac
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 < t + 0) ? "ok" : "OVER"}'; }

echo
echo "parkcheck whole-run benchmark  $(date -u +%Y-%m-%d)  commit $rev$dirty"
echo "machine     $(nproc) CPU(s), ${model:-unknown CPU}; load average before the runs: $load_before"
echo "corpus      $CORPUS: $corpus_files files, $corpus_bytes bytes ($corpus_mb MB), $PARKS parks x $TENANTS tenants"
echo "findings    exit $check_rc: $errors errors, $warnings warnings, $infos infos ($checked files clean)"
printf 'wall        median %s ms (min %s, max %s; %s runs)%s\n' "$(ms "$median")" "$(ms "$tmin")" "$(ms "$tmax")" "$RUNS" \
  "${target_wall:+  target < $target_wall s: $(verdict "$median" "$target_wall")}"
printf 'peak RSS    %s MiB%s\n' "$rss_mib" "${target_rss:+  target < $target_rss MiB: $(verdict "$rss_mib" "$target_rss")}"
echo "cpu         user $(ms "$cpu_user") ms, system $(ms "$cpu_sys") ms per run (mean; less sensitive to other load than wall)"
echo "phases      ${timings#timings: }"
echo "cat floor   median $(ms "$cat_median") ms (reading the same files)"
echo "parse only  median $(ms "$parse_median") ms (same files, same parser, events only); check / parse = $ratio  target < 2: $(verdict "$ratio" 2)"
echo "in turn     check / parse = $pair_ratio, median of $RUNS back-to-back pairs (range $pair_range)  target < 2: $(verdict "$pair_ratio" 2)"
echo "results     $RESULT, $RESULT_CAT, $RESULT_PARSE"
