"""The 公文 engine: every kind renders in GB/T 9704-2012 format, the 文号 register has no
gaps or duplicates, uploaded templates are checked and fall back to the default."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from docx import Document

from jiandu.audit.models import AuditEvent
from jiandu.documents import gongwen
from jiandu.documents.models import DocumentNumber, DocumentTemplate, IssuedDocument
from jiandu.orgs.models import Notification
from tests.documents.gongwen_checks import assert_gongwen, headings

pytestmark = pytest.mark.django_db  # render() looks for an uploaded template

CONTEXT = {
    "title": "关于规范行政执法行为的通知",
    "recipient": "测试县市场监督管理局",
    "date": date(2026, 12, 2),
    "body_sections": [
        {"heading": "一、基本情况", "level": 1, "paragraphs": ["经查，<存在> 问题 & 情况。"]},
        {"heading": "（一）具体问题", "level": 2, "paragraphs": ["第一项。", "第二项。"]},
    ],
    "attachments": ["问题清单", "整改报告模板"],
    "signer": "平川县司法局",
    "cc": ["县纪委监委", "县人民政府办公室"],
    "rows": [["1", "未公示裁量基准", "十日内公示", "2026年12月31日"]],
}


@pytest.mark.parametrize("kind", list(gongwen.KINDS))
def test_every_kind_renders_in_gongwen_format(kind):
    ctx = {**CONTEXT, "number": "平司监督〔2026〕12号"}
    kind_spec = gongwen.KINDS[kind]
    if kind_spec.columns:
        ctx["rows"] = [[str(i) for i in range(len(kind_spec.columns))]]
    doc = assert_gongwen(
        gongwen.render(kind, ctx),
        title=CONTEXT["title"],
        number="平司监督〔2026〕12号",
        issuer="平川县司法局",
    )
    texts = [p.text.strip() for p in doc.paragraphs]
    assert "测试县市场监督管理局：" in texts  # 主送
    assert "2026年12月2日" in texts  # 成文日期, Arabic numerals without leading zeros
    assert "经查，<存在> 问题 & 情况。" in texts  # escaped, not broken
    assert "一、基本情况" in headings(doc, "黑体")
    assert "（一）具体问题" in headings(doc, "楷体_GB2312")
    assert "附件：1．问题清单" in texts and "2．整改报告模板" in texts  # strip() ate the 3 spaces
    assert "抄送：县纪委监委，县人民政府办公室。" in texts
    assert not any("{%" in t or "{{" in t for t in texts)
    if kind_spec.columns:
        table = doc.tables[0]
        assert [c.text for c in table.rows[0].cells] == [c for c, _ in kind_spec.columns]
        assert len(table.rows) == 2
    else:
        assert not doc.tables


def test_optional_parts_leave_nothing_behind():
    data = gongwen.render("supervision_letter", {"title": "关于督办的函", "body_sections": []})
    texts = [p.text.strip() for p in Document(io.BytesIO(data)).paragraphs]
    assert not any(t.startswith(("抄送", "附件")) for t in texts)
    assert "平川县司法局" in texts  # 落款 defaults to the issuer


def test_a_document_needs_a_title():
    with pytest.raises(ValueError, match="标题"):
        gongwen.render("circular", {"body_sections": []})
    with pytest.raises(ValueError, match="未知的文书种类"):
        gongwen.render("no_such_kind", {"title": "x"})


def test_images_go_inline():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().bar([1, 2], [3, 4])
    png = io.BytesIO()
    fig.savefig(png, format="png")
    data = gongwen.render(
        "campaign_summary",
        {"title": "总结", "body_sections": [{"paragraphs": [{"image": png.getvalue()}]}]},
    )
    assert len(Document(io.BytesIO(data)).inline_shapes) == 1


# -- the 文号 register -------------------------------------------------------------


def test_numbers_follow_each_other_per_kind_and_year(settings):
    settings.GONGWEN_PREFIXES = {"supervision_letter": "平司监督"}
    got = [gongwen.issue_number("supervision_letter", 2026).text for _ in range(3)]
    assert got == ["平司监督〔2026〕1号", "平司监督〔2026〕2号", "平司监督〔2026〕3号"]
    assert gongwen.issue_number("supervision_letter", 2027).text == "平司监督〔2027〕1号"
    assert gongwen.issue_number("circular", 2026).seq == 1


def test_a_cancelled_number_is_marked_and_never_reused(personas):
    sup = personas["supervisor"]
    first = gongwen.issue_number("circular", 2026)
    with pytest.raises(ValidationError, match="作废原因"):
        gongwen.cancel_number(first, sup, "  ")
    gongwen.cancel_number(first, sup, "标题有误，重新发文")
    first.refresh_from_db()
    assert first.state == DocumentNumber.State.CANCELLED and first.cancelled_by == sup
    assert gongwen.issue_number("circular", 2026).seq == 2
    with pytest.raises(ValidationError, match="已作废"):
        gongwen.cancel_number(first, sup, "再次作废")
    assert AuditEvent.objects.filter(action="documents.number.cancelled").count() == 1


# -- templates ---------------------------------------------------------------------


def test_the_default_template_passes_its_own_check():
    for kind in gongwen.KINDS:
        found = gongwen.check_template(kind, gongwen.default_template(kind))
        assert set(gongwen.KINDS[kind].fields) <= found


def test_a_template_without_the_needed_fields_is_refused():
    doc = Document()
    doc.add_paragraph("{{ title }} {{ number }}")
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(gongwen.TemplateRefused, match=r"缺少必需的字段.*issuer"):
        gongwen.check_template("supervision_letter", out.getvalue())
    with pytest.raises(gongwen.TemplateRefused, match="无法读取"):
        gongwen.check_template("supervision_letter", b"%PDF-1.4 not a docx")


def _uploaded(kind, data):
    t = DocumentTemplate(kind=kind)
    t.file.save("t.docx", ContentFile(data), save=False)
    t.save()
    return t


def test_an_uploaded_template_is_used(personas):
    # the office's own template: the default with its 版头 changed
    doc = Document(io.BytesIO(gongwen.default_template("circular")))
    doc.paragraphs[0].runs[0].text = "{{ issuer }}文件"
    out = io.BytesIO()
    doc.save(out)
    gongwen.check_template("circular", out.getvalue())
    _uploaded("circular", out.getvalue())
    issued = gongwen.issue_document(
        "circular", unit=None, context=dict(CONTEXT), actor=personas["supervisor"]
    )
    assert not issued.from_default_template
    text = Document(issued.file.open("rb")).paragraphs[0].text
    assert text == "平川县司法局文件"


def test_a_failing_template_falls_back_to_the_default_and_is_recorded(personas):
    doc = Document(io.BytesIO(gongwen.default_template("circular")))
    doc.add_paragraph("{{ title.no_such_method() }}")
    out = io.BytesIO()
    doc.save(out)
    t = _uploaded("circular", out.getvalue())
    issued = gongwen.issue_document(
        "circular", unit=None, context=dict(CONTEXT), actor=personas["supervisor"]
    )
    assert issued.from_default_template
    assert_gongwen(issued.file.open("rb").read(), title=CONTEXT["title"])
    t.refresh_from_db()
    assert t.failed_at and "no_such_method" in t.last_error


# -- issuing and 送达 --------------------------------------------------------------


def test_issuing_numbers_stores_links_audits_and_tells_the_unit(
    personas, units, django_capture_on_commit_callbacks
):
    sup, unit = personas["supervisor"], units["b"]
    with django_capture_on_commit_callbacks(execute=True):
        doc = gongwen.issue_document(
            "reminder_letter", unit=unit, context=dict(CONTEXT), actor=sup, subject=unit
        )
    assert doc.number.text == "平司提醒〔2026〕1号" and doc.number.document == doc
    assert doc.unit == unit and doc.subject == unit and doc.issued_by == sup
    data = doc.file.open("rb").read()
    assert_gongwen(data, title=CONTEXT["title"], number="平司提醒〔2026〕1号")
    assert list(gongwen.documents_about(unit)) == [doc]
    assert AuditEvent.objects.filter(action="documents.document.issued", unit=unit).count() == 1
    assert Notification.objects.filter(user=personas["clerk_b"], title__contains="提醒函").exists()


def test_a_document_that_fails_to_render_takes_no_number(personas):
    with pytest.raises(ValueError):
        gongwen.issue_document("circular", unit=None, context={}, actor=personas["supervisor"])
    assert not DocumentNumber.objects.exists()
    doc = gongwen.issue_document(
        "circular", unit=None, context={"title": "通报"}, actor=personas["supervisor"]
    )
    assert doc.number.seq == 1


def test_first_opening_by_the_unit_is_the_delivery(personas, units, client_for):
    doc = gongwen.issue_document(
        "rectification_notice", unit=units["a"], context=dict(CONTEXT), actor=personas["supervisor"]
    )
    url = f"/files/issued/{doc.pk}/"
    # the supervisor's and another unit's openings are no delivery; the other unit sees nothing
    assert client_for(personas["supervisor"]).get(url).status_code == 200
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    doc.refresh_from_db()
    assert doc.served_at is None
    response = client_for(personas["leader_a"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client_for(personas["clerk_a"]).get(url)
    doc.refresh_from_db()
    assert doc.served_by == personas["leader_a"] and doc.served_at
    assert AuditEvent.objects.filter(action="documents.document.served").count() == 1
    assert IssuedDocument.objects.get(pk=doc.pk).served_by == personas["leader_a"]


def test_a_section_may_carry_a_table():
    data = gongwen.render(
        "campaign_summary",
        {
            "title": "工作总结",
            "body_sections": [
                {
                    "heading": "二、问题查摆情况",
                    "paragraphs": ["按整治内容分布如下："],
                    "table": {"header": ["整治内容", "问题数"], "rows": [["裁量基准", 3]]},
                },
                {"heading": "三、整改落实情况", "paragraphs": ["已销号。"]},
            ],
        },
    )
    doc = Document(io.BytesIO(data))
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [
        ["整治内容", "问题数"],
        ["裁量基准", "3"],
    ]
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("按整治内容分布如下：") < texts.index("三、整改落实情况")
