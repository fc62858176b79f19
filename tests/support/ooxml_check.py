#!/usr/bin/env python3
"""Checks an exported .docx or .xlsx against the rules Word, WPS and Excel
enforce and LibreOffice forgives, for the parts and elements the plugin's
writers emit (plugin/office/docx_writer.cpp; the xlsx rules cover only what
the plugin controls, libxlsxwriter writes the rest).

  ooxml_check.py FILE

Prints one line per rule broken, "part: element: rule", and exits 1 when
there is any; exits 0 silently when there is none; exits 2 when the file is
not a zip at all.

The package (both formats): [Content_Types].xml has a Default for rels and
xml; every part has a content type and every Override names a part that is
there; every internal relationship target is a part that is there, every
part but the content types and the .rels is the target of one, Ids are
unique; every part's text is XML 1.0 characters (no C0 controls but tab,
newline and carriage return, no U+FFFE/U+FFFF, also not as &#…; references).

WordprocessingML: the children of w:pPr, w:rPr, w:tblPr, w:tcPr, w:trPr,
w:sectPr, w:style, w:docDefaults, w:tblBorders, w:tblCellMar, w:p, w:r,
w:tbl, w:tr, w:tc and w:body come in the order of the schema's
xsd:sequence (ECMA-376 Part 1, transitional, Annex A.1: CT_PPrBase,
EG_RPrBase, CT_TblPrBase, CT_TcPr, CT_TrPrBase, EG_SectPrContents, CT_Style,
CT_DocDefaults, CT_TblBorders, CT_TblCellMar), none twice, none unknown;
every w:tc holds a w:p and ends with one; every w:tbl has a w:tblGrid whose
w:gridCol count equals each row's cells (with w:gridSpan); every attribute
of a w: element is namespace-qualified (w:val, not val); every pStyle and
tblStyle names a style styles.xml defines.

SpreadsheetML: sheet names 1–31 characters, none of []:*?/\\, not starting or
ending with an apostrophe, no two the same ignoring case; a cell's string at
most 32767 characters; a frozen pane's topLeftCell and an autoFilter's ref
are cell references inside the sheet's dimension (and the pane's split
matches its top-left cell).
"""
import posixpath
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

REL_TYPE = "application/vnd.openxmlformats-package.relationships+xml"

# The xsd:sequence of each complex type, as ECMA-376 Part 1 (transitional)
# Annex A.1 gives it, element names in the w: namespace.
SEQUENCES = {
    # CT_PPr = CT_PPrBase + rPr, sectPr, pPrChange
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    # CT_RPr = EG_RPrBase + rPrChange
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"],
    # CT_TblPr = CT_TblPrBase + tblPrChange
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
              "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns",
             "cellDel", "cellMerge", "tcPrChange"],
    # CT_TrPrBase is a choice; Word still expects each once.
    "trPr": None,
    # EG_HdrFtrReferences, EG_SectPrContents, sectPrChange
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
               "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
               "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
               "docGrid", "printerSettings", "sectPrChange"],
    "style": ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
              "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
              "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr",
              "tblStylePr"],
    "docDefaults": ["rPrDefault", "pPrDefault"],
    "styles": ["docDefaults", "latentStyles", "style"],
    # CT_TblBorders, CT_TblCellMar (transitional left/right; start/end in strict)
    "tblBorders": ["top", "left", "start", "bottom", "right", "end", "insideH", "insideV"],
    "tblCellMar": ["top", "left", "start", "bottom", "right", "end"],
    "tcBorders": ["top", "left", "start", "bottom", "right", "end", "insideH", "insideV",
                  "tl2br", "tr2bl"],
    "tbl": ["bookmarkStart", "tblPr", "tblGrid", "tr"],
    "tr": ["tblPrEx", "trPr", "tc"],
    "tc": ["tcPr", "p", "tbl"],
    "p": ["pPr", "r"],
    "r": ["rPr", "t", "br", "tab"],
    "body": ["p", "tbl", "sectPr"],
}
# Children that may repeat (the rest appear at most once).
REPEATING = {("styles", "style"), ("tbl", "tr"), ("tr", "tc"), ("tc", "p"), ("tc", "tbl"),
             ("p", "r"), ("r", "t"), ("r", "br"), ("r", "tab"), ("body", "p"), ("body", "tbl"),
             ("sectPr", "headerReference"), ("sectPr", "footerReference")}
# Children whose relative order is free (p and tbl in a body or cell, runs' content).
INTERLEAVED = {("body", "p", "tbl"), ("tc", "p", "tbl"), ("r", "t", "br", "tab")}
# trPr's children (CT_TrPrBase, a choice): the ones the writer may use.
TRPR = {"cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
        "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"}

BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")


class Report:
    def __init__(self):
        self.lines = []

    def add(self, part, element, rule):
        self.lines.append("%s: %s: %s" % (part, element, rule))


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def allowed_char(code):
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or
            0x10000 <= code <= 0x10FFFF)


def check_characters(part, data, out):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        out.add(part, "(text)", "not UTF-8 at byte %d" % e.start)
        return False
    ok = True
    m = BAD_CHAR.search(text)
    if m:
        out.add(part, "(text)", "character U+%04X at offset %d is not allowed in XML 1.0"
                % (ord(m.group()), m.start()))
        ok = False
    for ref in CHAR_REF.finditer(text):
        v = ref.group(1)
        code = int(v[1:], 16) if v[0] == "x" else int(v)
        if not allowed_char(code):
            out.add(part, "(text)", "character reference %s names U+%04X, not allowed in XML 1.0"
                    % (ref.group(), code))
            ok = False
    return ok


def check_package(z, out):
    """Content types and relationships; returns {part name: parsed root}."""
    names = [n for n in z.namelist() if not n.endswith("/")]
    roots = {}
    for n in names:
        data = z.read(n)
        if not (n.endswith(".xml") or n.endswith(".rels")):
            continue
        if not check_characters(n, data, out):
            continue
        try:
            roots[n] = ET.fromstring(data)
        except ET.ParseError as e:
            out.add(n, "(xml)", "not well-formed: %s" % e)

    types = roots.get("[Content_Types].xml")
    if types is None:
        out.add("[Content_Types].xml", "Types", "missing")
        return roots
    defaults = {d.get("Extension", "").lower(): d.get("ContentType")
                for d in types.findall(CT + "Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall(CT + "Override")}
    if defaults.get("rels") != REL_TYPE:
        out.add("[Content_Types].xml", "Default", "no Default Extension=\"rels\" with " + REL_TYPE)
    if defaults.get("xml") is None:
        out.add("[Content_Types].xml", "Default", "no Default Extension=\"xml\"")
    for n in names:
        if n == "[Content_Types].xml":
            continue
        ext = n.rsplit(".", 1)[-1].lower() if "." in n else ""
        if "/" + n not in overrides and ext not in defaults:
            out.add("[Content_Types].xml", "Override", "part /%s has no content type" % n)
    for p in overrides:
        if p.lstrip("/") not in names:
            out.add("[Content_Types].xml", "Override",
                    "PartName %s names a part that is not in the package" % p)

    targets = set()
    for n in names:
        if not n.endswith(".rels"):
            continue
        root = roots.get(n)
        if root is None:
            continue
        # _rels/.rels is the package's; word/_rels/document.xml.rels is word/document.xml's.
        source_dir = posixpath.dirname(posixpath.dirname(n))
        ids = set()
        for rel in root.findall(REL + "Relationship"):
            rid = rel.get("Id")
            if rid in ids:
                out.add(n, "Relationship", "Id %s used twice" % rid)
            ids.add(rid)
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join(source_dir, target)))
            targets.add(path)
            if path not in names:
                out.add(n, "Relationship", "%s target %s is not in the package" % (rid, target))
    for n in names:
        if n == "[Content_Types].xml" or n.endswith(".rels"):
            continue
        if n not in targets:
            out.add(n, "(part)", "no relationship targets this part")
    return roots


def check_children(part, el, name, out):
    seq = SEQUENCES.get(name)
    kids = [local(k.tag) for k in el if k.tag.startswith(W)]
    if name == "trPr":
        for k in kids:
            if k not in TRPR:
                out.add(part, "w:trPr/w:" + k, "not a child of w:trPr in the schema")
        for k in set(kids):
            if kids.count(k) > 1:
                out.add(part, "w:trPr/w:" + k, "appears %d times" % kids.count(k))
        return
    last = -1
    seen = {}
    for k in kids:
        if k not in seq:
            out.add(part, "w:%s/w:%s" % (name, k), "not a child of w:%s in the schema" % name)
            continue
        idx = seq.index(k)
        for group in INTERLEAVED:
            if group[0] == name and k in group[1:]:
                idx = min(seq.index(g) for g in group[1:])
        if idx < last:
            out.add(part, "w:%s/w:%s" % (name, k),
                    "out of the schema's xsd:sequence order (must come before w:%s)"
                    % seq[last])
        last = max(last, idx)
        seen[k] = seen.get(k, 0) + 1
        if seen[k] == 2 and (name, k) not in REPEATING:
            out.add(part, "w:%s/w:%s" % (name, k), "appears more than once")


def check_wordml(part, root, styles, out):
    parents = {c: p for p in root.iter() for c in p}
    for el in root.iter():
        if not el.tag.startswith(W):
            continue
        name = local(el.tag)
        for attr in el.attrib:
            if not attr.startswith("{"):
                out.add(part, "w:" + name, "attribute %s is not namespace-qualified (w:%s)"
                        % (attr, attr))
        parent = parents.get(el)
        if name in SEQUENCES:
            check_children(part, el, name, out)
        if name == "tc":
            ps = [k for k in el if k.tag in (W + "p", W + "tbl")]
            if not any(k.tag == W + "p" for k in el):
                out.add(part, "w:tc", "has no w:p (every cell needs a paragraph)")
            elif ps and ps[-1].tag != W + "p":
                out.add(part, "w:tc", "does not end with a w:p")
        if name == "tbl":
            grid = el.find(W + "tblGrid")
            if grid is None:
                out.add(part, "w:tbl", "has no w:tblGrid")
                continue
            cols = len(grid.findall(W + "gridCol"))
            if cols == 0:
                out.add(part, "w:tbl/w:tblGrid", "has no w:gridCol")
            rows = el.findall(W + "tr")
            if not rows:
                out.add(part, "w:tbl", "has no w:tr")
            for i, tr in enumerate(rows):
                width = 0
                for tc in tr.findall(W + "tc"):
                    span = tc.find(W + "tcPr/" + W + "gridSpan")
                    width += int(span.get(W + "val", "1")) if span is not None else 1
                if width != cols:
                    out.add(part, "w:tbl/w:tr[%d]" % (i + 1),
                            "has %d cells but w:tblGrid has %d w:gridCol" % (width, cols))
        if styles is not None and name in ("pStyle", "tblStyle", "rStyle") and parent is not None:
            v = el.get(W + "val")
            if v not in styles:
                out.add(part, "w:" + name, "names style %r which styles.xml does not define" % v)


def check_docx(roots, out):
    styles = None
    st = roots.get("word/styles.xml")
    if st is not None:
        styles = {s.get(W + "styleId") for s in st.findall(W + "style")}
        check_wordml("word/styles.xml", st, None, out)
    doc = roots.get("word/document.xml")
    if doc is None:
        out.add("word/document.xml", "w:document", "missing")
        return
    check_wordml("word/document.xml", doc, styles, out)
    body = doc.find(W + "body")
    if body is None or len(body) == 0 or body[-1].tag != W + "sectPr":
        out.add("word/document.xml", "w:body", "does not end with w:sectPr")


CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")


def cell(ref):
    m = CELL_REF.match(ref or "")
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col, int(m.group(2))


def check_xlsx(roots, out):
    book = roots.get("xl/workbook.xml")
    if book is None:
        out.add("xl/workbook.xml", "workbook", "missing")
        return
    seen = {}
    for sh in book.iter(S + "sheet"):
        name = sh.get("name") or ""
        where = "sheet %r" % name
        if not 1 <= len(name) <= 31:
            out.add("xl/workbook.xml", where, "name has %d characters (1 to 31)" % len(name))
        bad = [c for c in name if c in "[]:*?/\\"]
        if bad:
            out.add("xl/workbook.xml", where, "name has %s, not allowed" % "".join(bad))
        if name.startswith("'") or name.endswith("'"):
            out.add("xl/workbook.xml", where, "name starts or ends with an apostrophe")
        if name.lower() in seen:
            out.add("xl/workbook.xml", where, "name duplicates %r" % seen[name.lower()])
        seen[name.lower()] = name
    strings = roots.get("xl/sharedStrings.xml")
    if strings is not None:
        for i, si in enumerate(strings.findall(S + "si")):
            text = "".join(t.text or "" for t in si.iter(S + "t"))
            if len(text) > 32767:
                out.add("xl/sharedStrings.xml", "si[%d]" % i,
                        "string of %d characters (at most 32767)" % len(text))
    for part, root in sorted(roots.items()):
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        for is_ in root.iter(S + "is"):
            text = "".join(t.text or "" for t in is_.iter(S + "t"))
            if len(text) > 32767:
                out.add(part, "is", "inline string of %d characters (at most 32767)" % len(text))
        dim = root.find(S + "dimension")
        last = None
        if dim is not None:
            ref = dim.get("ref", "")
            last = cell(ref.split(":")[-1])
        for pane in root.iter(S + "pane"):
            if pane.get("state") not in ("frozen", "frozenSplit"):
                continue
            top_left = cell(pane.get("topLeftCell"))
            if top_left is None:
                out.add(part, "pane", "frozen pane without a valid topLeftCell (%r)"
                        % pane.get("topLeftCell"))
                continue
            xs, ys = int(float(pane.get("xSplit", "0"))), int(float(pane.get("ySplit", "0")))
            if (xs + 1, ys + 1) != top_left:
                out.add(part, "pane", "topLeftCell %s does not match xSplit=%d ySplit=%d"
                        % (pane.get("topLeftCell"), xs, ys))
            if last is not None and (top_left[0] > last[0] + 1 or top_left[1] > last[1] + 1):
                out.add(part, "pane", "topLeftCell %s lies beyond the sheet's data (%s)"
                        % (pane.get("topLeftCell"), dim.get("ref")))
        for af in root.iter(S + "autoFilter"):
            ends = [cell(x) for x in (af.get("ref") or "").split(":")]
            if None in ends or len(ends) != 2:
                out.add(part, "autoFilter", "ref %r is not a range" % af.get("ref"))
                continue
            if ends[0][0] > ends[1][0] or ends[0][1] > ends[1][1]:
                out.add(part, "autoFilter", "ref %s is reversed" % af.get("ref"))
            if last is not None and (ends[1][0] > last[0] or ends[1][1] > last[1]):
                out.add(part, "autoFilter", "ref %s lies beyond the sheet's data (%s)"
                        % (af.get("ref"), dim.get("ref")))


def main():
    path = sys.argv[1]
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        print("%s: not a zip: %s" % (path, e), file=sys.stderr)
        return 2
    out = Report()
    with z:
        roots = check_package(z, out)
        if path.endswith(".docx"):
            check_docx(roots, out)
        else:
            check_xlsx(roots, out)
    for line in out.lines:
        print(line)
    return 1 if out.lines else 0


if __name__ == "__main__":
    sys.exit(main())
