"""Fills a template workbook (from `parkcheck template`) with a submission, as an operator would
in Excel, using openpyxl — independently of parkcheck's reader: a fields sheet's rows are found
by their 字段 column, a table's columns by the field path in each header's comment (the
template's `字段 / field: tenants.*.uscc`).

    python workbook_fill.py TEMPLATE.xlsx SUBMISSION.json OUT.xlsx [EDITS.json]

EDITS is a list applied last, each one of:
  {"sheet", "cell", "value"[, "number_format"]}  a typo, a code typed as a number, a date as text
                                                 (a value starting with "=" is a formula, saved
                                                 without a cached value, as openpyxl does)
  {"op": "field", "sheet", "path", "value"}      the value of a fields sheet's row, by its 字段
  {"op": "merge", "sheet", "range"}              merged cells
  {"op": "clear_row", "sheet", "row"}            an empty row in the middle of a list
  {"op": "hide", "sheet"}                        a hidden sheet
  {"op": "rename", "sheet", "to"}                a sheet renamed
  {"op": "epoch1904"}                            the 1904 date system (old Mac Excel)
"""
import json
import sys

import openpyxl

template, submission, out = sys.argv[1:4]
edits = json.load(open(sys.argv[4], encoding="utf-8")) if len(sys.argv) > 4 else []
doc = json.load(open(submission, encoding="utf-8"))
book = openpyxl.load_workbook(template)


def cell_value(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return "、".join(str(x) for x in v)
    return v


def get(node, dotted):
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def field_of(comment):
    for line in (comment or "").splitlines():
        if line.startswith("字段 / field: "):
            return line[len("字段 / field: "):]
    return None


for ws in book.worksheets:
    header = [c.value for c in ws[1]]
    if header[:4] == ["项目", "填写内容", "单位", "字段"]:
        for row in ws.iter_rows(min_row=2):
            path = row[3].value
            if not path:
                continue
            v = get(doc, path)
            if v is not None and not isinstance(v, (dict,)):
                row[1].value = cell_value(v)
        continue
    paths = [field_of(c.comment.text if c.comment else None) for c in ws[1]]
    if not any(paths):
        continue
    first = paths[0] or ""
    table = None
    # tenants.*.uscc → the list `tenants`; buildings.list.*.id on 分层 → nested.
    item_paths = [p for p in paths if p]
    list_path = item_paths[-1].rsplit(".*.", 1)[0]
    outer = None
    if list_path.count(".*.") == 1:
        outer, inner = list_path.split(".*.")
    rows = []
    if outer is None:
        for item in get(doc, list_path) or []:
            rows.append([get(item, p.rsplit(".*.", 1)[1]) if p else None for p in paths])
    else:
        key = first.rsplit(".*.", 1)[1]
        for parent in get(doc, outer) or []:
            for item in get(parent, inner) or []:
                values = [parent.get(key)]
                values += [get(item, p.rsplit(".*.", 1)[1]) if p else None for p in paths[1:]]
                rows.append(values)
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            if v is not None and not isinstance(v, dict):
                ws.cell(row=r, column=c).value = cell_value(v)

for e in edits:
    op = e.get("op", "set")
    if op == "epoch1904":
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        book.epoch = CALENDAR_MAC_1904
        continue
    ws = book[e["sheet"]]
    if op == "merge":
        ws.merge_cells(e["range"])
    elif op == "field":
        for row in ws.iter_rows(min_row=2):
            if row[3].value == e["path"]:
                row[1].value = e["value"]
                if "number_format" in e:
                    row[1].number_format = e["number_format"]
    elif op == "clear_row":
        for c in ws[e["row"]]:
            c.value = None
    elif op == "hide":
        ws.sheet_state = "hidden"
    elif op == "rename":
        ws.title = e["to"]
    else:
        cell = ws[e["cell"]]
        cell.value = e["value"]
        if "number_format" in e:
            cell.number_format = e["number_format"]

book.save(out)
