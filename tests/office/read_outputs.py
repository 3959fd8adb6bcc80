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
ORDER = ["UNOFFICIAL", "OFFICIAL", "OFFICIAL: Sensitive", "PROTECTED", "SECRET", "TOP SECRET"]


def expected_marking(doc):
    """The highest classification the assessment holds, never below OFFICIAL; an unrecorded
    one counts as PROTECTED, as planning assumes."""
    levels = [ORDER.index(w.get("classification") or "PROTECTED") for w in doc["workloads"]]
    return ORDER[max(levels + [1])]


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def read_xlsx(path, doc):
    import openpyxl

    book = openpyxl.load_workbook(path)
    check(book.sheetnames == ["Workloads", "Criteria", "Portfolio"],
          f"sheets are Workloads, Criteria, Portfolio (found {book.sheetnames})")
    marking = expected_marking(doc)
    for sheet in book.worksheets:
        name = sheet.title
        head, foot = sheet.oddHeader.center.text or "", sheet.oddFooter.center.text or ""
        check(marking in head and marking in foot,
              f"{name}: the printed header and footer carry the marking `{marking}` ({head!r}, {foot!r})")
        check(sheet["A1"].value == marking, f"{name}: the marking row says `{marking}` ({sheet['A1'].value!r})")
        check(sheet.page_setup.orientation == "landscape", f"{name} prints landscape")
        # fitToWidth is 1 when absent (the OOXML default).
        check(sheet.sheet_properties.pageSetUpPr.fitToPage and (sheet.page_setup.fitToWidth or 1) == 1
              and sheet.page_setup.fitToHeight == 0,
              f"{name} prints fitted to one page wide "
              f"({sheet.page_setup.fitToWidth} x {sheet.page_setup.fitToHeight})")
    ws = book["Workloads"]
    check(ws.freeze_panes == "A3", f"Workloads marking and header rows are frozen (freeze_panes={ws.freeze_panes})")
    check(ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A2:"),
          f"Workloads has an autofilter on the header (ref={ws.auto_filter.ref})")
    header = [c.value for c in ws[2]]
    check(header[:2] == ["id", "name"] and "band" in header and "overall" in header,
          f"Workloads header names id, name, overall, band ({header})")
    for column in ["classification", "owner", "hosting", "annual cost (AUD)"]:
        check(column in header, f"Workloads has a `{column}` column")
    ids = [r[0] for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    expected = [w["id"] for w in doc["workloads"]]
    check(ids == expected, f"one row per workload, in order ({len(ids)} rows, {len(expected)} workloads)")
    overall = header.index("overall")
    band = header.index("band")
    classification = header.index("classification")
    owner = header.index("owner")
    for i, w in enumerate(doc["workloads"]):
        row = [c.value for c in ws[i + 3]]
        if row[classification] != w.get("classification") or row[owner] != w.get("owner"):
            check(False, f"row {i + 3} ({w['id']}): classification/owner {row[classification]}/{row[owner]} "
                         f"!= {w.get('classification')}/{w.get('owner')}")
            break
    else:
        check(True, "every row's classification and owner match the JSON assessment")
    for i, w in enumerate(doc["workloads"]):
        row = [c.value for c in ws[i + 3]]
        # Shown as every output shows a score: the whole number at or below the JSON's.
        shown = None if w["overall"] is None else math.floor(w["overall"] + 1e-6)
        if row[overall] != shown or row[band] != w["band"]:
            check(False, f"row {i + 3} ({w['id']}): overall/band {row[overall]}/{row[band]} "
                         f"!= {shown}/{w['band']}")
            break
    else:
        check(True, "every row's overall score (as shown everywhere) and band match the JSON assessment")
    fill = ws.cell(row=3, column=band + 1).fill.fgColor.rgb
    check(fill not in (None, "00000000"), f"band cells are coloured (fill {fill})")
    crit = book["Criteria"]
    check(crit.freeze_panes == "A3", "Criteria marking and header rows are frozen")
    n = sum(1 for r in crit.iter_rows(min_row=3, values_only=True) if r[0] is not None)
    per = sum(len(p.get("criteria", [])) for w in doc["workloads"]
              for p in w["principles"] + [w["framework"]])
    check(n == per, f"Criteria has one row per workload x criterion ({n} rows, {per} expected)")
    port = book["Portfolio"]
    labels = [r[0] for r in port.iter_rows(min_row=3, values_only=True)]
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
    marking = expected_marking(doc)
    for s_i, section in enumerate(d.sections):
        head = "\n".join(p.text for p in section.header.paragraphs)
        foot = "\n".join(p.text for p in section.footer.paragraphs)
        check(marking in head, f"section {s_i + 1} header carries the marking `{marking}` ({head!r})")
        check(marking in foot, f"section {s_i + 1} footer carries the marking `{marking}` ({foot!r})")
        instr = " ".join(t.text or "" for t in section.footer._element.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"))
        check("PAGE" in instr.split() and "NUMPAGES" in instr.split(),
              f"section {s_i + 1} footer holds PAGE and NUMPAGES fields ({instr!r})")
        check("Page" in foot and " of " in foot, f"section {s_i + 1} footer reads 'Page N of M' ({foot!r})")
    unstyled = [i for i, p in enumerate(d.paragraphs) if p.style is None]
    check(not unstyled, f"python-docx finds a style on every paragraph "
                        f"({len(unstyled)} of {len(d.paragraphs)} without one)")
    default = [s.name for s in d.styles if getattr(s, "type", None) == 1 and s.element.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}default") in ("1", "true")]
    check(default == ["Normal"], f"Normal is the default paragraph style ({default})")
    props = d.core_properties
    check(bool(props.title) and "Cloud Strategy" in props.title, f"the document has a title ({props.title!r})")
    check(props.author == doc["agency"]["name"], f"the author is the agency ({props.author!r})")
    check(marking in (props.subject or "") and marking in (props.keywords or ""),
          f"subject and keywords carry the marking ({props.subject!r}, {props.keywords!r})")
    body = [p.text.strip() for p in d.paragraphs]
    check(marking not in body, f"no body paragraph repeats the marking `{marking}` "
                               f"({body.count(marking)} found)")


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
