"""What every document in 公文 format must show when opened with python-docx (GB/T
9704-2012): used by the tests of every page that issues one."""

import io
import re

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

NUMBER = re.compile(r"^\S+〔20\d\d〕[1-9]\d*号$")
DATE = re.compile(r"^20\d\d年[1-9]\d?月[1-9]\d?日$")


def east_asian(run) -> str | None:
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def paragraph_with(doc, text):
    for p in doc.paragraphs:
        if p.text.strip() == text:
            return p
    raise AssertionError(f"no paragraph {text!r} in {[p.text for p in doc.paragraphs]}")


def assert_gongwen(data: bytes, *, title: str, number: str | None = None, issuer: str = ""):
    """Open the .docx and check paper, margins, 版头, 文号, title, body fonts, 成文日期 and
    the footer's PAGE field. Returns the python-docx Document for further checks."""
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.2), side
    texts = [p.text.strip() for p in doc.paragraphs]
    # 版头: the issuing body, red
    head = doc.paragraphs[0]
    if issuer:
        assert head.text.strip() == issuer
    assert head.runs[0].font.color.rgb is not None and str(head.runs[0].font.color.rgb)[:1] in "EF"
    # 文号: 〔〕 and no leading zeros
    numbers = [t for t in texts if NUMBER.match(t)]
    assert numbers, texts[:6]
    if number:
        assert number in numbers
    # title: 2号 方正小标宋简体
    t = paragraph_with(doc, title)
    assert t.runs[0].font.size == Pt(22)
    assert east_asian(t.runs[0]) == "方正小标宋简体"
    # body: 3号 仿宋_GB2312 (every indented text paragraph that is not a heading)
    body = [
        p
        for p in doc.paragraphs
        if p.runs
        and p.paragraph_format.first_line_indent
        and east_asian(p.runs[0]) == "仿宋_GB2312"
    ]
    assert body, "no body paragraph"
    for p in body:
        assert p.runs[0].font.size == Pt(16)
    for p in doc.paragraphs:  # every run names its East Asian font
        for r in p.runs:
            if r.text.strip():
                assert east_asian(r), (p.text, r.text)
    # 成文日期 in Arabic numerals
    assert any(DATE.match(t) for t in texts), texts[-8:]
    # footer: "— 1 —" with a PAGE field
    footer = section.footer._element
    simple = [f for f in footer.iter(qn("w:fldSimple")) if "PAGE" in f.get(qn("w:instr"))]
    codes = [i for i in footer.iter(qn("w:instrText")) if "PAGE" in (i.text or "")]
    assert simple or codes
    assert "—" in "".join(t.text or "" for t in footer.iter(qn("w:t")))
    return doc


def headings(doc, font):
    return [p.text.strip() for p in doc.paragraphs if p.runs and east_asian(p.runs[0]) == font]
