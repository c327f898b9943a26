"""Rendering: a kind's template (the supervisor's upload if there is one and it works,
else the default generated from code) filled by docxtpl with the context."""

import io
import logging
from datetime import date, datetime
from functools import cache

from django.utils import timezone

from jiandu.documents.gongwen.kinds import get_kind, issuer

logger = logging.getLogger("jiandu.documents.gongwen")


class TemplateRefused(ValueError):
    """An uploaded template that is not a .docx or lacks the fields its kind needs."""


@cache
def default_template(kind: str) -> bytes:
    return get_kind(kind).default_template()


def date_text(value) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年12月2日."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value or "")


def _paragraph(tpl, p):
    if isinstance(p, dict) and p.get("image") is not None:
        from docx.shared import Mm
        from docxtpl import InlineImage

        image = p["image"]
        stream = io.BytesIO(image) if isinstance(image, bytes | bytearray) else image
        return InlineImage(tpl, stream, width=Mm(p.get("width_mm", 150)))
    return "" if p is None else str(p)


def _table(tpl, spec):
    """A section's table ({"header": [...], "rows": [[...]], "widths_mm": [...]}) as a
    docxtpl sub-document: 4号 仿宋 cells, 黑体 header repeated on each page."""
    if not spec or tpl is None:
        return None
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    import jiandu.documents.gongwen.layout as layout

    header = [str(h) for h in spec.get("header") or []]
    rows = [["" if c is None else str(c) for c in row] for row in spec.get("rows") or []]
    widths = spec.get("widths_mm") or []
    sub = tpl.new_subdoc()
    table = sub.add_table(rows=1 + len(rows), cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout.grid_borders(table)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.rows[r].cells[c]
            if c < len(widths):
                cell.width = Mm(widths[c])
            p = cell.paragraphs[0]
            if r == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font = layout.H1_FONT if r == 0 else layout.BODY_FONT
            layout.set_font(p.add_run(value), font, layout.SIZE_SMALL)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return sub


def prepare(kind: str, context: dict, tpl=None) -> dict:
    """The context with every common key present and in the form the templates expect."""
    get_kind(kind)
    ctx = dict(context)
    if not ctx.get("title"):
        raise ValueError("文书缺少标题（title）。")
    ctx["issuer"] = ctx.get("issuer") or issuer()
    ctx["signer"] = ctx.get("signer") or ctx["issuer"]
    ctx["number"] = str(ctx.get("number") or "")
    ctx["recipient"] = ctx.get("recipient") or ""
    ctx["date"] = date_text(ctx.get("date") or timezone.localdate())
    ctx["attachments"] = [str(a) for a in ctx.get("attachments") or []]
    ctx["cc"] = [str(c) for c in ctx.get("cc") or []]
    ctx["rows"] = [["" if c is None else str(c) for c in row] for row in ctx.get("rows") or []]
    sections = []
    for s in ctx.get("body_sections") or []:
        if isinstance(s, str):
            s = {"paragraphs": [s]}
        sections.append(
            {
                "heading": s.get("heading") or "",
                "level": int(s.get("level") or 1),
                "paragraphs": [_paragraph(tpl, p) for p in s.get("paragraphs") or []],
                "table": _table(tpl, s.get("table")),
            }
        )
    ctx["body_sections"] = sections
    return ctx


def _fill(template: bytes, kind: str, context: dict) -> bytes:
    # python-docx and docxtpl are imported when a document is made, not with the views.
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(prepare(kind, context, tpl), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def check_template(kind: str, data: bytes) -> set[str]:
    """Refuse (TemplateRefused, a Chinese message) a file that is not a .docx template
    docxtpl can read or that lacks a field the kind needs; returns its fields."""
    from docxtpl import DocxTemplate

    name = get_kind(kind).name
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        found = tpl.get_undeclared_template_variables()
    except Exception as exc:
        raise TemplateRefused(
            f"{name}模板无法读取：请上传用 Word 保存的 .docx 文件，并检查其中的模板标记（{exc}）。"
        ) from exc
    missing = [f for f in get_kind(kind).fields if f not in found]
    if missing:
        raise TemplateRefused(
            f"{name}模板缺少必需的字段："
            + "、".join(f"{{{{ {f} }}}}" for f in missing)
            + "。请在默认模板的基础上修改。"
        )
    return found


def render_with_fallback(kind: str, context: dict) -> tuple[bytes, bool]:
    """(the .docx, whether the default template was used). An uploaded template that
    fails is recorded on its row and logged, and the default renders instead."""
    from jiandu.documents.models import DocumentTemplate

    get_kind(kind)
    if not context.get("title"):  # the caller's fault, not the template's
        raise ValueError("文书缺少标题（title）。")
    uploaded = DocumentTemplate.objects.filter(kind=kind).first()
    if uploaded is not None:
        try:
            with uploaded.file.open("rb") as f:
                data = f.read()
            return _fill(data, kind, context), False
        except Exception as exc:  # whatever a hand-edited template does wrong
            error = exc
        logger.warning("gongwen: uploaded template for %s failed, default used: %r", kind, error)
        DocumentTemplate.objects.filter(pk=uploaded.pk).update(
            last_error=repr(error)[:2000], failed_at=timezone.now()
        )
    return _fill(default_template(kind), kind, context), True


def render(kind: str, context: dict) -> bytes:
    """The .docx bytes of a document of `kind` filled with `context`."""
    return render_with_fallback(kind, context)[0]
