"""A 裁量表 published as a PDF of items with a factor matrix (广东省生态环境违法行为行政处罚
罚款金额裁量表, 粤环发〔2021〕7号 附件1): each item `§1.1 裁量标准` has 违反条款, 处罚依据
and a matrix of 裁量要素 with weights (裁量起点 20%, 报告书类 5% …) over the statutory band.

Read as far as the text layer allows: the items (§ code, name, chapter), their 违反条款 and
处罚依据, the statutory bands in the 处罚依据 (each `处…罚款` clause through parse_band),
and the factor lines with their weights. The matrix itself is not turned into tiers: the
platform's tiers are ranges, the matrix is a formula (起点 + Σ weights × the band).
"""

import re
from dataclasses import dataclass, field

from .bands import parse_band
from .draft import ParsedItem, ParsedTier, Problem

MARK = re.compile(r"§\s*(?P<code>\d+\.\d+)\s*裁量标准")
HEADING = re.compile(r"^[一二三四五六七八九十百]+、")
CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章\s*(?P<name>\S+?)(?:\.{3,}.*)?$")
FINE_CLAUSE = re.compile(r"(?:处|并处|可以处|可处)[^。；;]*?(?:罚款|罚金)")
WEIGHT = re.compile(r"(?P<label>[^\d%\n]{2,40}?)\s*(?P<w>\d+(?:\.\d+)?)\s*%")


@dataclass
class FactorItem:
    code: str
    name: str
    chapter: str = ""
    violation_basis: str = ""
    penalty_basis: str = ""
    bands: list = field(default_factory=list)  # Band of each 处…罚款 clause
    start_weight: str = ""  # 裁量起点
    factors: list[tuple[str, str]] = field(default_factory=list)  # (label, weight %)
    problems: list[str] = field(default_factory=list)


def _name_before(lines: list[str]) -> str:
    """The item heading: the last `一、…` line before the mark and what follows it."""
    for back in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        if HEADING.match(lines[back]):
            return HEADING.sub("", "".join(lines[back:]))
    return ""


def read_factor_text(text: str) -> list[FactorItem]:
    items: list[FactorItem] = []
    marks = list(MARK.finditer(text))
    chapter = ""
    previous_end = 0
    for n, m in enumerate(marks):
        before = text[previous_end : m.start()]
        for line in before.splitlines():
            if c := CHAPTER.match(line.strip()):
                chapter = c.group("name")
        lines = [ln.strip() for ln in before.splitlines() if ln.strip()]
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        body = text[m.end() : end]
        item = FactorItem(code=m.group("code"), name=_name_before(lines), chapter=chapter)
        previous_end = m.end()
        if "....." in item.name:
            continue  # a line of the table of contents, not an item
        # 违反条款 and 处罚依据 are printed as labels in the left column, in the middle of
        # the text they label: the basis is everything up to the matrix header.
        header = re.search(r"^违法行为 ", body, re.M)  # the matrix: 违法行为 裁量要素/违法程度 …
        matrix_at = header.start() if header else -1
        basis = body[: matrix_at if matrix_at >= 0 else len(body)]
        # The labels 违反条款 / 处罚依据 sit in the left column, printed in the middle of
        # the lines they label: taken out, the articles read on.
        basis_text = re.sub(r"\s*\n\s*", "", basis)
        basis_text = re.sub(r"\s*(?:违反条款|处罚依据)\s*", "", basis_text)
        clauses = list(FINE_CLAUSE.finditer(basis_text))
        cut = basis_text.rfind("《", 0, clauses[0].start()) if clauses else -1
        if cut > 0:
            item.violation_basis, item.penalty_basis = basis_text[:cut], basis_text[cut:]
        else:
            item.violation_basis = item.penalty_basis = basis_text
        for clause in clauses:
            parsed = parse_band(clause.group(0))
            if parsed.bands:
                item.bands.append(parsed.main)
        if not item.bands:
            item.problems.append("处罚依据中未读出罚款幅度")
        if matrix_at >= 0:
            matrix = body[matrix_at:]
            if s := re.search(r"裁量起点\s*(\d+(?:\.\d+)?)\s*%", matrix):
                item.start_weight = s.group(1)
            for w in WEIGHT.finditer(matrix):
                label = w.group("label").strip()
                if "裁量起点" not in label:
                    item.factors.append((label, w.group("w")))
        else:
            item.problems.append("未找到裁量要素表")
        items.append(item)
    return items


def as_parsed_items(items: list[FactorItem]) -> tuple[list[ParsedItem], list[Problem]]:
    """The items in the shape of `jiandu standards parse`: one tier per statutory band
    (level 法定), the factors with their weights kept as the tier's circumstances."""
    out, problems = [], []
    for it in items:
        item = ParsedItem(code=it.code, name=it.name, basis=it.penalty_basis, sheet=it.chapter)
        factors = "；".join(f"{label} {w}%" for label, w in it.factors)
        start = f"裁量起点 {it.start_weight}%；" if it.start_weight else ""
        for band in it.bands[:1]:
            item.tiers.append(
                ParsedTier(
                    level="法定",
                    circumstances=start + factors,
                    fine_min=band.fine_min,
                    fine_max=band.fine_max,
                    multiple_of=band.multiple_of,
                    multiple_min=band.multiple_min,
                    multiple_max=band.multiple_max,
                    measures=[b.text for b in it.bands[1:]],
                    sheet=it.chapter,
                    original=band.text,
                )
            )
        for message in it.problems:
            problems.append(Problem(it.chapter, 0, f"§{it.code} {message}"))
        out.append(item)
    return out, problems
