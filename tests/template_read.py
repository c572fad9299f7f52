"""Reads a template workbook with openpyxl (independent of the writer) and prints what tests/template.rs checks, as JSON."""
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter

book = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": []}
for ws in book.worksheets:
    validations = []
    for dv in ws.data_validations.dataValidation:
        formula = dv.formula1 or ""
        if formula.startswith('"'):
            labels = formula.strip('"').split(",")
        elif "!" in formula:
            sheet, ref = formula.lstrip("=").split("!")
            cells = book[sheet.strip("'")][ref.replace("$", "")]
            labels = [row[0].value for row in cells]
        else:
            labels = []
        validations.append({"type": dv.type, "ranges": str(dv.sqref), "labels": labels})
    header = []
    for c in ws[1]:
        header.append({
            "v": c.value,
            "comment": c.comment.text if c.comment else None,
            "red": bool(c.font and c.font.color is not None and c.font.color.rgb not in (None, "FF000000") and str(c.font.color.rgb).endswith("C00000")),
        })
    rows = []
    for row in ws.iter_rows(min_row=2):
        rows.append([{"v": c.value, "fmt": c.number_format, "comment": c.comment.text if c.comment else None,
                      "red": bool(c.font and c.font.color is not None and str(c.font.color.rgb).endswith("C00000"))} for c in row])
    out["sheets"].append({
        "name": ws.title,
        "hidden": ws.sheet_state != "visible",
        "freeze": ws.freeze_panes,
        "header": header,
        "rows": rows,
        "column_formats": {get_column_letter(i): v.number_format for v in ws.column_dimensions.values() for i in range(v.min, v.max + 1)},
        "widths": {get_column_letter(i): v.width for v in ws.column_dimensions.values() if v.width for i in range(v.min, v.max + 1)},
        "validations": validations,
    })
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
