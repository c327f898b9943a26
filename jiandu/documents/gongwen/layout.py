"""The default templates, generated from code (no binary is committed): python-docx
lays out a GB/T 9704-2012 page and writes the docxtpl tags a supervisor's own template
uses too. A supervisor downloads this file, edits it in Word and uploads it back.

Page: A4, margins top 37 / bottom 35 / left 28 / right 26 mm (type area 156 × 225 mm),
22 lines of 28 characters (3号 body on a fixed 28.95 pt line). Fonts are named, never
embedded, with their East Asian name set (w:eastAsia) so Word and WPS pick the installed
Chinese font."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
SIZE_TITLE = 22  # 2号
SIZE_BODY = 16  # 3号
SIZE_SMALL = 14  # 4号 (page numbers, 版记, tables)
SIZE_MASTHEAD = 26  # 版头 (1号)
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
CHAR = Pt(SIZE_BODY)  # one character of body text

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    return run


def _paragraph(
    doc_or_cell,
    text="",
    *,
    font=BODY_FONT,
    size=SIZE_BODY,
    align=None,
    indent_chars=0,
    right_chars=0,
    bold=False,
    color=None,
    line=LINE,
):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if align is not None:
        p.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if text:
        set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _tag(doc, tag):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}): removed at render."""
    return _paragraph(doc, tag)


def grid_borders(table):
    """Single lines around and inside a table, written on the table itself so it keeps
    them in a template without the "Table Grid" style."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _border(p, side: str, color: str = "000000", size: int = 8, space: int = 1):
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    borders.append(el)


def _page_number_footer(section):
    """ "— 1 —" in 4号 宋体, the number a PAGE field (w:fldSimple)."""
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), PAGE_FONT, SIZE_SMALL)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), PAGE_FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(SIZE_SMALL * 2))
    rpr.append(fonts)
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    set_font(p.add_run(" —"), PAGE_FONT, SIZE_SMALL)


def _page(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(18)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZE_BODY)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), BODY_FONT)
    _page_number_footer(section)


def _table(doc, kind):
    """The kind's table: a header row, then one row per item of context["rows"]."""
    _paragraph(doc, "{%p if rows %}")
    if kind.table_title:
        _paragraph(doc, kind.table_title, font=H1_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    n = len(kind.columns)
    table = doc.add_table(rows=4, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, (heading, width) in enumerate(kind.columns):
        table.columns[i].width = Mm(width)
        for row in table.rows:
            row.cells[i].width = Mm(width)
        cell = table.rows[0].cells[i]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(cell.paragraphs[0].add_run(heading), H1_FONT, SIZE_SMALL)
    # docxtpl row loop: the tag rows are removed, the middle row repeats.
    set_font(
        table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rows %}"), BODY_FONT, SIZE_SMALL
    )
    for i in range(n):
        p = table.rows[2].cells[i].paragraphs[0]
        if i == 0:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(f"{{{{ r[{i}] }}}}"), BODY_FONT, SIZE_SMALL)
    set_font(table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}"), BODY_FONT, SIZE_SMALL)
    grid_borders(table)
    # the header row repeats on each page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    _paragraph(doc, "{%p endif %}")


def build_default(kind) -> bytes:
    doc = Document()
    _page(doc)
    # 版头: the issuing body's name, red, centred; the 文号 under it, then the red line.
    _paragraph(
        doc,
        "{{ issuer }}",
        font=TITLE_FONT,
        size=SIZE_MASTHEAD,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
        line=Pt(48),
    )
    _paragraph(doc)
    number = _paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", color="E60012", size=18, space=8)
    _paragraph(doc)
    # Title: 2号 方正小标宋简体, centred, one empty line after.
    _paragraph(
        doc,
        "{{ title }}",
        font=TITLE_FONT,
        size=SIZE_TITLE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(36),
    )
    _paragraph(doc)
    # 主送机关: flush left, full-width colon.
    _tag(doc, "{%p if recipient %}")
    _paragraph(doc, "{{ recipient }}：")
    _tag(doc, "{%p endif %}")
    # Body: headings 黑体 (level 1) / 楷体 (level 2), paragraphs indented two characters.
    _tag(doc, "{%p for s in body_sections %}")
    _tag(doc, "{%p if s.heading and s.level == 1 %}")
    _paragraph(doc, "{{ s.heading }}", font=H1_FONT, indent_chars=2)
    _tag(doc, "{%p elif s.heading %}")
    _paragraph(doc, "{{ s.heading }}", font=H2_FONT, indent_chars=2)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for p in s.paragraphs %}")
    _tag(doc, "{%p if p is string %}")
    _paragraph(doc, "{{ p }}", indent_chars=2)
    _tag(doc, "{%p else %}")
    # a picture (chart): its own line height, centred
    _paragraph(doc, "{{ p }}", align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if s.table %}")
    _paragraph(doc, "{{p s.table }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    if kind.columns:
        _table(doc, kind)
    # 附件说明: one empty line, then 附件：1．… with the further items aligned.
    _tag(doc, "{%p if attachments %}")
    _paragraph(doc)
    _tag(doc, "{%p for a in attachments %}")
    _paragraph(
        doc,
        "{% if loop.first %}附件：{% else %}　　　{% endif %}"
        "{% if attachments|length > 1 %}{{ loop.index }}．{% endif %}{{ a }}",
        indent_chars=2,
    )
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    # 落款 and 成文日期 (Arabic numerals), right, four characters in.
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc, "{{ signer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    _paragraph(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    # 版记: 抄送 between two lines at the foot.
    _tag(doc, "{%p if cc %}")
    _paragraph(doc)
    cc = _paragraph(doc, "抄送：{{ cc|join('，') }}。", size=SIZE_SMALL, line=Pt(24))
    cc.paragraph_format.left_indent = Pt(SIZE_SMALL)
    _border(cc, "top")
    _border(cc, "bottom")
    _tag(doc, "{%p endif %}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
