#!/usr/bin/env bash
# The screenshots of docs/操作指南.md, taken of the real programs, never by hand:
#   docs/template-tenants.png  the template, filled from a bundled example, open in LibreOffice Calc
#                              on 入驻企业名录 with the drop-down of 企业状态 open;
#   docs/template-basic.png    the same workbook on 基本信息 (label / value / unit rows).
# (docs/report-failing-examples.png, the HTML report in Chromium, is taken by tests/browser.rs.)
#
# LibreOffice runs in a real window on a virtual X display (Xvfb); ImageMagick's `import` takes
# the picture; xdotool opens the drop-down. Run it after a change to the template's layout:
#   bash scripts/screenshots.sh
# It installs what it needs from Debian (xvfb, libreoffice-calc, imagemagick, xdotool, a CJK font)
# and the openpyxl venv of .ci/run (to choose the sheet and cell the workbook opens at).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
[[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || need+=(fonts-wqy-microhei)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ ! -x target/ci-venv/bin/python ]] || ! target/ci-venv/bin/python -c 'import openpyxl' 2>/dev/null; then
  python3 -m venv target/ci-venv
  target/ci-venv/bin/pip install -q --disable-pip-version-check -r .ci/requirements.txt
fi

# PARKCHECK=path/to/parkcheck uses that binary instead of building one.
bin=${PARKCHECK:-}
if [[ -z "$bin" ]]; then
  cargo build --locked -q
  bin=target/debug/parkcheck
fi
work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
cleanup() {
  pkill -f "soffice.*$work" 2>/dev/null || true
  [[ -n "${xvfb:-}" ]] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

example=fixtures/examples/puyuan-sweater-park.yaml
"$bin" convert "$example" -o "$work/filled.xlsx" >/dev/null 2>&1

# A copy of the workbook that opens at SHEET with CELL selected (what a person would click to).
at() { # at SHEET CELL OUT
  target/ci-venv/bin/python - "$work/filled.xlsx" "$1" "$2" "$3" <<'EOF'
import sys
import openpyxl
src, sheet, cell, out = sys.argv[1:]
wb = openpyxl.load_workbook(src)
wb.active = wb.sheetnames.index(sheet)
for ws in wb.worksheets:
    ws.sheet_view.tabSelected = ws.title == sheet
view = wb[sheet].sheet_view.selection[0]
view.activeCell = cell
view.sqref = cell
wb.save(out)
EOF
}

# Opens WORKBOOK in Calc on the virtual display, presses KEYS (may be empty), saves the screen.
shoot() { # shoot WORKBOOK OUT.png [KEYS]
  HOME="$work/home" DISPLAY="$display" soffice --calc --norestore --nologo "$1" >/dev/null 2>&1 &
  local window=""
  for _ in $(seq 60); do
    window=$(DISPLAY="$display" xdotool search --name "LibreOffice Calc" 2>/dev/null | head -1) || true
    [[ -n "$window" ]] && break
    sleep 0.5
  done
  [[ -n "$window" ]] || { echo "LibreOffice did not open a window" >&2; exit 1; }
  sleep 4 # the sheet is drawn after the window appears
  if [[ -n "${3:-}" ]]; then
    DISPLAY="$display" xdotool key --window "$window" "$3"
    sleep 1.5
  fi
  DISPLAY="$display" import -window root "$2.tmp.png"
  mv "$2.tmp.png" "$2"
  pkill -f "soffice.*$work" 2>/dev/null || true
  sleep 2
}

Xvfb "$display" -screen 0 1600x900x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
mkdir -p "$work/home"

at 入驻企业名录 E3 "$work/tenants.xlsx"
shoot "$work/tenants.xlsx" docs/template-tenants.png alt+Down
at 基本信息 B2 "$work/basic.xlsx"
shoot "$work/basic.xlsx" docs/template-basic.png
echo "wrote docs/template-tenants.png, docs/template-basic.png (from $example)"
