#!/usr/bin/env python3
"""Prints what an exported Excel or Word file holds, as JSON, for the tests to
check: read with python3-openpyxl and python3-docx (Debian), independently of
the plugin's own writers and readers.

  office_dump.py FILE.xlsx -> {"sheets": [{"name", "freeze", "filter",
      "rows": [[{"v": value, "t": "s"|"n"|"d"|"", "fill": "RRGGBB"|"", "wrap": bool}]],
      "widths": {"A": w}}], "title": …}
  office_dump.py FILE.docx -> {"paragraphs": [{"text", "style"}],
      "tables": [[["cell", …], …]], "fonts": {"eastAsia": …}, "title": …}

Exits 1 with the reader's error when the file does not open.
"""
import datetime
import json
import sys


def dump_xlsx(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = c.value
                kind = ""
                if isinstance(v, (datetime.datetime, datetime.date)):
                    v = v.date().isoformat() if isinstance(v, datetime.datetime) else v.isoformat()
                    kind = "d"
                elif isinstance(v, (int, float)):
                    kind = "n"
                elif isinstance(v, str):
                    kind = "s"
                fill = ""
                if c.fill is not None and c.fill.fill_type == "solid":
                    fill = str(c.fill.fgColor.rgb)[-6:]
                cells.append({"v": v, "t": kind, "fill": fill,
                              "wrap": bool(c.alignment.wrap_text), "bold": bool(c.font.b),
                              "font": c.font.name or ""})
            rows.append(cells)
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        sheets.append({"name": ws.title, "freeze": ws.freeze_panes or "",
                       "filter": ws.auto_filter.ref or "", "rows": rows, "widths": widths})
    return {"title": book.properties.title or "", "sheets": sheets}


def dump_docx(path):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(path)
    paragraphs = [{"text": p.text, "style": p.style.name} for p in d.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in d.tables]
    fonts = {}
    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r = defaults.find(".//" + qn("w:rFonts"))
        if r is not None:
            fonts = {"eastAsia": r.get(qn("w:eastAsia")) or "", "ascii": r.get(qn("w:ascii")) or ""}
    headings = {s.name: (s.element.find(".//" + qn("w:rFonts")).get(qn("w:eastAsia"))
                         if s.element.find(".//" + qn("w:rFonts")) is not None else "")
                for s in d.styles if s.type == 1}
    return {"title": d.core_properties.title or "", "paragraphs": paragraphs, "tables": tables,
            "fonts": fonts, "style_fonts": headings}


def main():
    path = sys.argv[1]
    try:
        out = dump_docx(path) if path.endswith(".docx") else dump_xlsx(path)
    except Exception as e:  # the reader's own words, for the test's message
        print("cannot read %s: %s: %s" % (path, type(e).__name__, e), file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
