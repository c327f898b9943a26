"""Published files as sheets of text rows: .xls/.xlsx (python-calamine), tables in .docx
(python-docx), tables and text in PDFs with a text layer (pdfplumber), .md/.txt text.

Merged cells are filled with the value of their top-left cell, so a merged 序号 or 类别 reads
like the same value repeated (the layout walker takes a repeated value as a continuation).
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

EXCEL = {".xls", ".xlsx", ".xlsm", ".ods"}
WORD = {".docx"}
PDF = {".pdf"}
TEXT = {".md", ".txt"}
SUPPORTED = EXCEL | WORD | PDF | TEXT


class ReadError(Exception):
    """The file cannot be read at all; the message is Chinese and says why."""


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    first_row: int = 1  # the number of rows[0] as the user sees it (Excel row, table row)
    text: str = ""  # the page or file text, where the format has one (PDF, text)
    filled: set = field(default_factory=set)  # (row, col) filled from a merged cell above


@dataclass
class Document:
    name: str
    sheets: list[Sheet] = field(default_factory=list)
    text: str = ""


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"  # 1.0 as published (类别 1.0)
    return str(value).replace("\r\n", "\n").strip()


def _data(source) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        if hasattr(source, "seek"):
            source.seek(0)
        return data
    return Path(source).read_bytes()


def read_excel(source) -> Document:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(_data(source)))
    except Exception as e:  # calamine raises its own error types
        raise ReadError(f"无法读取 Excel 文件：{e}") from e
    doc = Document(name=str(getattr(source, "name", source)))
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = [[cell_text(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        filled = set()
        for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or []:
            if r0 >= len(rows):
                continue
            value = rows[r0][c0] if c0 < width else ""
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    if not rows[r][c]:
                        rows[r][c] = value
                        filled.add((r, c))
        if any(any(c for c in r) for r in rows):
            doc.sheets.append(Sheet(name=name, rows=rows, first_row=1, filled=filled))
    return doc


def read_docx(source) -> Document:
    import docx

    try:
        document = docx.Document(io.BytesIO(_data(source)))
    except Exception as e:
        raise ReadError(f"无法读取 Word 文件（仅支持 .docx）：{e}") from e
    doc = Document(name=str(getattr(source, "name", source)))
    doc.text = "\n".join(p.text for p in document.paragraphs)
    for n, table in enumerate(document.tables, 1):
        rows = []
        for row in table.rows:
            # Merged cells come back as the same cell repeated: kept as repeated text.
            rows.append([cell_text(c.text) for c in row.cells])
        doc.sheets.append(Sheet(name=f"表{n}", rows=rows, first_row=1))
    return doc


NO_TEXT_LAYER = (
    "该 PDF 没有文字层（可能是扫描件），平台无法读取其中的文字。"
    "请上传原始的 Excel 或 Word 文件，或先做文字识别（OCR）后再上传。"
)


def read_pdf(source, tables=True) -> Document:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(_data(source)))
    except Exception as e:
        raise ReadError(f"无法读取 PDF 文件：{e}") from e
    doc = Document(name=str(getattr(source, "name", source)))
    texts = []
    with pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        # A factor-matrix 裁量表 (§1.1 裁量标准 …) is read from its text: its tables are
        # matrices, not tier rows, and reading them costs a minute on 234 pages.
        factor_layout = len(re.findall(r"§\s*\d+\.\d+\s*裁量标准", "".join(texts[:20]))) >= 3
        for number, (page, text) in enumerate(zip(pdf.pages, texts, strict=True), 1):
            rows = []
            if tables and not factor_layout:
                for table in page.extract_tables():
                    rows.extend([cell_text(c) for c in row] for row in table)
            doc.sheets.append(Sheet(name=f"第{number}页", rows=rows, first_row=1, text=text))
    doc.text = "\n".join(texts)
    if not doc.text.strip():
        raise ReadError(NO_TEXT_LAYER)
    return doc


def read_text(source) -> Document:
    data = _data(source)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("文本文件编码无法识别（请使用 UTF-8 或 GB18030）")
    return Document(name=str(getattr(source, "name", source)), text=text)


def read(source, name: str | None = None, tables=True) -> Document:
    """Any supported file, by its name's extension."""
    name = name or str(getattr(source, "name", source))
    ext = Path(name).suffix.lower()
    if ext in EXCEL:
        doc = read_excel(source)
    elif ext in WORD:
        doc = read_docx(source)
    elif ext in PDF:
        doc = read_pdf(source, tables=tables)
    elif ext in TEXT:
        doc = read_text(source)
    elif ext == ".doc":
        raise ReadError("不支持旧版 Word（.doc）文件，请另存为 .docx 后上传")
    else:
        raise ReadError(
            f"不支持的文件类型：{ext or '无扩展名'}（支持 .xls .xlsx .docx .pdf .md .txt）"
        )
    doc.name = Path(name).name
    return doc
