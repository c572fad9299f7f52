"""Reads a workbook with openpyxl (independent of the writer) and prints what tests/xlsx.rs checks, as JSON."""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": []}
for ws in book.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([
            {"v": c.value, "t": c.data_type, "q": bool(c.quotePrefix)} for c in row
        ])
    out["sheets"].append({
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "widths": {k: v.width for k, v in ws.column_dimensions.items() if v.width},
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "rows": rows,
    })
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
