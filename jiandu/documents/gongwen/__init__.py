"""公文 engine: official documents in GB/T 9704-2012 format from docxtpl templates, the
文号 register, issuing and delivery (送达). See jiandu/documents/README.md.

    KINDS                     kind code -> DocKind (name, fields, default template)
    render(kind, context)     -> .docx bytes (uploaded template if it works, else default)
    issue_number(kind, year)  -> DocumentNumber (gap-free, safe under parallel issuing)
    cancel_number(number, actor, reason)
    issue_document(kind, *, unit, context, actor, subject=None) -> IssuedDocument
    mark_delivered(doc, user) -> bool (送达: first opening by the unit)

Context keys: issuer, number, title, recipient, body_sections (list of {heading, level,
paragraphs}; a paragraph may be {"image": png bytes, "width_mm": 150}), attachments, signer,
date, cc; rows (list of lists) for the kinds with a table (DocKind.columns)."""

from jiandu.documents.gongwen.issuing import (
    attach_receipt,
    documents_about,
    issue_document,
    mark_delivered,
)
from jiandu.documents.gongwen.kinds import KINDS, DocKind, get_kind
from jiandu.documents.gongwen.numbers import cancel_number, issue_number
from jiandu.documents.gongwen.render import (
    TemplateRefused,
    check_template,
    date_text,
    default_template,
    render,
)

__all__ = [
    "KINDS",
    "DocKind",
    "TemplateRefused",
    "attach_receipt",
    "cancel_number",
    "check_template",
    "date_text",
    "default_template",
    "documents_about",
    "get_kind",
    "issue_document",
    "issue_number",
    "mark_delivered",
    "render",
]
