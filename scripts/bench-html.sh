#!/usr/bin/env bash
# Size and speed of the reviewer's reports: the HTML page (and the workbook) of PARKS parks with five
# findings each, its bytes, the time parkcheck takes to write it, and the time Chromium takes to load it.
#
#   bash scripts/bench-html.sh [PARKS] [TENANTS]        # defaults: 200 150
#
# Generates the corpus of scripts/bench.sh (examples/gen_corpus.rs, fixed seed), copies it to
# target/bench-html-<P>x<T>/ and gives every park the same five defects (the actual land 5 % over the
# planned land: FORM-014; a monthly rent entered as the daily rent: FORM-016; no fire drill and expired
# fire equipment: JXS-003 twice; the 2025-Q3 report missing: REC-003), checks that each park has exactly
# five findings, then measures with hyperfine `check --format html=…` (and `xlsx=…`), the bytes of each,
# and the page's load in headless Chromium (examples/browser.rs `load`: Navigation Timing's
# loadEventEnd, median of BENCH_LOADS runs, default 5). See benches/README.md.
set -euo pipefail

PARKS=${1:-200}
TENANTS=${2:-150}
RUNS=${BENCH_RUNS:-5}
LOADS=${BENCH_LOADS:-5}
SEED=${BENCH_SEED:-20251231}
for n in "$PARKS" "$TENANTS" "$RUNS" "$LOADS" "$SEED"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "bench-html.sh: expected numbers, got '$n'" >&2; exit 2; }
done
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '==> %s\n' "$*" >&2; }

need=()
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  say "installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

say "building release binary, corpus generator and browser driver"
cargo build --release --quiet --bins --examples
BIN=target/release/parkcheck

CLEAN="target/bench-corpus-${PARKS}x${TENANTS}"
if ! { [[ -f $CLEAN/CORPUS.txt ]] && grep -q "^parks $PARKS tenants/park $TENANTS seed $SEED " "$CLEAN/CORPUS.txt"; }; then
  say "generating $CLEAN"
  target/release/examples/gen_corpus --parks "$PARKS" --tenants "$TENANTS" --seed "$SEED" --out "$CLEAN" --force >&2
fi
CORPUS="target/bench-html-${PARKS}x${TENANTS}"
rm -rf "$CORPUS"
mkdir -p "$CORPUS"
cp -r "$CLEAN/parks" "$CORPUS/parks"
say "giving each park five defects in $CORPUS"
python3 - "$CORPUS/parks" <<'PY'
import pathlib, re, sys
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    text = path.read_text(encoding="utf-8")
    planned = float(re.search(r"^  planned_area_mu: ([0-9.]+)$", text, re.M).group(1))
    for pattern, value in [
        (r"^(  actual_area_mu: ).*$", rf"\g<1>{round(planned * 1.05, 1)}"),
        (r"^(  rent_yuan_per_m2_day: ).*$", r"\g<1>38.5"),
        (r"^(  drills_last_12m: ).*$", r"\g<1>0"),
        (r"^(  fire_equipment_expired: ).*$", r"\g<1>true"),
        (r'"2025-Q3", ', ""),
    ]:
        text, n = re.subn(pattern, value, text, count=1, flags=re.M)
        assert n == 1, (path, pattern)
    path.write_text(text, encoding="utf-8")
PY

OUT="target/bench-html-${PARKS}x${TENANTS}-out"
mkdir -p "$OUT"
set +e
"$BIN" check "$CORPUS/" --format "json=$OUT/report.json" --format "html=$OUT/report.html" --format "xlsx=$OUT/findings.xlsx"
code=$?
set -e
[[ $code -le 1 ]] || { echo "bench-html.sh: parkcheck exited with $code" >&2; exit 1; }
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$OUT/report.json")
if [[ $findings -ne $((PARKS * 5)) ]]; then
  echo "bench-html.sh: expected $((PARKS * 5)) findings, got $findings" >&2
  exit 1
fi

say "timing the reports (hyperfine, $RUNS runs)"
hyperfine --style basic --warmup 1 --runs "$RUNS" -i \
  --export-json "$OUT/hyperfine.json" \
  -n json "$BIN check $CORPUS/ --format json=$OUT/t.json" \
  -n html "$BIN check $CORPUS/ --format html=$OUT/t.html" \
  -n xlsx "$BIN check $CORPUS/ --format xlsx=$OUT/t.xlsx" >&2

say "loading the page in Chromium ($LOADS runs)"
load=$(target/release/examples/browser load "$OUT/report.html" "$LOADS")

median() { python3 -c "import json,sys; r={x['command']: x for x in json.load(open(sys.argv[1]))['results']}; print('%.0f' % (r[sys.argv[2]]['median'] * 1000))" "$OUT/hyperfine.json" "$1"; }
html_bytes=$(stat -c %s "$OUT/report.html")
json_bytes=$(stat -c %s "$OUT/report.json")
xlsx_bytes=$(stat -c %s "$OUT/findings.xlsx")
gzip_bytes=$(gzip -c "$OUT/report.html" | wc -c)
cat <<EOF

== reviewer's reports: $PARKS parks x $TENANTS tenants, $findings findings ==
html  $html_bytes bytes ($((html_bytes / 1024)) KiB; gzip $((gzip_bytes / 1024)) KiB), check --format html: $(median html) ms
json  $json_bytes bytes, check --format json: $(median json) ms
xlsx  $xlsx_bytes bytes, check --format xlsx: $(median xlsx) ms
chromium: $load
EOF
