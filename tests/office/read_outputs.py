#!/usr/bin/env python3
"""Reads cloudready's Office outputs with independent readers (openpyxl, python-docx).

    read_outputs.py xlsx ASSESSMENT.xlsx ASSESSMENT.json
    read_outputs.py docx STRATEGY.docx ASSESSMENT.json

ASSESSMENT.json is `cloudready assess --format json` for the same inventory: the expected
workloads, principles and classifications come from it, not from the file under test.
Exits non-zero, saying what is missing, when a check fails.
"""

import json
import math
import sys

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def read_xlsx(path, doc):
    import openpyxl

    book = openpyxl.load_workbook(path)
    check(book.sheetnames == ["Workloads", "Criteria", "Portfolio"],
          f"sheets are Workloads, Criteria, Portfolio (found {book.sheetnames})")
    ws = book["Workloads"]
    check(ws.freeze_panes == "A2", f"Workloads header row is frozen (freeze_panes={ws.freeze_panes})")
    check(ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:"),
          f"Workloads has an autofilter on the header (ref={ws.auto_filter.ref})")
    header = [c.value for c in ws[1]]
    check(header[:2] == ["id", "name"] and "band" in header and "overall" in header,
          f"Workloads header names id, name, overall, band ({header})")
    ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    expected = [w["id"] for w in doc["workloads"]]
    check(ids == expected, f"one row per workload, in order ({len(ids)} rows, {len(expected)} workloads)")
    overall = header.index("overall")
    band = header.index("band")
    for i, w in enumerate(doc["workloads"]):
        row = [c.value for c in ws[i + 2]]
        # Shown as every output shows a score: the whole number at or below the JSON's.
        shown = None if w["overall"] is None else math.floor(w["overall"] + 1e-6)
        if row[overall] != shown or row[band] != w["band"]:
            check(False, f"row {i + 2} ({w['id']}): overall/band {row[overall]}/{row[band]} "
                         f"!= {shown}/{w['band']}")
            break
    else:
        check(True, "every row's overall score (as shown everywhere) and band match the JSON assessment")
    fill = ws.cell(row=2, column=band + 1).fill.fgColor.rgb
    check(fill not in (None, "00000000"), f"band cells are coloured (fill {fill})")
    crit = book["Criteria"]
    check(crit.freeze_panes == "A2", "Criteria header row is frozen")
    n = sum(1 for r in crit.iter_rows(min_row=2, values_only=True) if r[0] is not None)
    per = sum(len(p.get("criteria", [])) for w in doc["workloads"]
              for p in w["principles"] + [w["framework"]])
    check(n == per, f"Criteria has one row per workload x criterion ({n} rows, {per} expected)")
    port = book["Portfolio"]
    labels = [r[0] for r in port.iter_rows(min_row=2, values_only=True)]
    check("workloads" in labels, "Portfolio lists the number of workloads")


def read_docx(path, doc):
    import docx

    d = docx.Document(path)
    headings = [p.text for p in d.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    check(len(headings) > 5, f"the document has Word headings ({len(headings)})")
    for p in doc["portfolio"]["principles"]:
        title = p["title"]
        check(any(title in h for h in headings), f"a Heading names the principle `{title}`")
    check(len(d.tables) >= 2, f"the document has tables ({len(d.tables)})")
    check(len(d.inline_shapes) >= 2, f"the charts are embedded as images ({len(d.inline_shapes)})")
    order = ["UNOFFICIAL", "OFFICIAL", "OFFICIAL: Sensitive", "PROTECTED", "SECRET", "TOP SECRET"]
    present = [w.get("classification") for w in doc["workloads"] if w.get("classification")]
    marking = max(present, key=order.index) if present else "OFFICIAL"
    for s_i, section in enumerate(d.sections):
        head = "\n".join(p.text for p in section.header.paragraphs)
        foot = "\n".join(p.text for p in section.footer.paragraphs)
        check(marking in head, f"section {s_i + 1} header carries the marking `{marking}` ({head!r})")
        check(marking in foot, f"section {s_i + 1} footer carries the marking `{marking}` ({foot!r})")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("xlsx", "docx"):
        print(__doc__)
        return 2
    kind, path, json_path = sys.argv[1:]
    with open(json_path, encoding="utf-8") as f:
        doc = json.load(f)
    (read_xlsx if kind == "xlsx" else read_docx)(path, doc)
    if failures:
        print(f"{len(failures)} check(s) failed for {path}")
        return 1
    print(f"all checks passed for {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
