"""Issue 9 §4: the complainant stays protected. The tracking code reaches the
complainant only; a complaint about a unit's own misconduct never goes to that unit;
files reach the unit without identifying metadata; the redaction check before 曝光 is
not fooled by spacing or full-width digits."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Lead
from jiandu.portal import actions
from jiandu.portal.models import Complaint, ComplaintAssignment, OriginalFile, PublishedCase
from tests.portal.factories import solid_png


def _xlsx_text(response) -> str:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


def _code_forms(code):
    return [code, code.lower(), actions.format_code(code)]


# --- the tracking code --------------------------------------------------------------


def test_tracking_code_is_shown_to_the_complainant_only(submit, units, personas, client_for):
    from jiandu.monitoring.engine import run_rules

    public = client_for(None)
    response, c = submit(
        public,
        reported_unit=units["a"].pk,
        identity="named",
        name="周立新",
        phone="13700571188",
        files=[SimpleUploadedFile("现场.png", _png(), content_type="image/png")],
    )
    code = c.tracking_code
    receipt = public.get(response["Location"]).content.decode()
    assert actions.format_code(code) in receipt

    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.assign_complaint(c, unit=units["b"], actor=sup)
    for unit in (units["a"], units["b"], units["a"], units["b"]):  # pushed around (INTG-03)
        actions.assign_complaint(c, unit=unit, actor=sup, conflict_reason="测试改派")
    actions.hand_to_discipline(c, actor=sup, note="请关注")
    actions.complaint_to_problem(c, actor=sup)
    run_rules(["INTG-03"])

    pages = {}
    for who in ("clerk_b", "leader_b", "supervisor", "discipline"):
        client = client_for(personas[who])
        pages[f"{who} list"] = client.get("/public/manage/").content.decode()
        detail = client.get(f"/public/manage/{c.pk}/")
        if detail.status_code == 200:
            pages[f"{who} detail"] = detail.content.decode()
        pages[f"{who} notifications"] = client.get("/notifications/").content.decode()
        pages[f"{who} ledger"] = client.get("/ledger/").content.decode()
        pages[f"{who} ledger export"] = _xlsx_text(client.get("/ledger/export/"))
        pages[f"{who} leads"] = client.get("/ledger/leads/").content.decode()
        pages[f"{who} alerts"] = client.get("/monitoring/alerts/?state=").content.decode()
        pages[f"{who} alerts export"] = _xlsx_text(
            client.get("/monitoring/alerts/?state=&format=xlsx")
        )
        pages[f"{who} audit"] = client.get("/audit/").content.decode()
    pages["audit export"] = _xlsx_text(client_for(sup).get("/audit/export/"))
    assert c.reference in pages["clerk_b detail"] and c.reference in pages["clerk_b list"]
    assert c.reference in pages["supervisor alerts export"]
    for name, text in pages.items():
        for form in _code_forms(code):
            assert form not in text, f"查询码出现在 {name}"
    stored = [
        *Lead.objects.values_list("title", "source_ref", "description"),
        *AuditEvent.objects.values_list("object_repr", "data"),
    ]
    assert code not in str(stored)


def test_supervisor_finds_a_complaint_by_the_whole_code_a_unit_cannot_spell_it_out(
    submit, units, personas, client_for
):
    _, c = submit(client_for(None))
    actions.accept_complaint(c, actor=personas["supervisor"])
    actions.assign_complaint(c, unit=units["a"], actor=personas["supervisor"])
    sup = client_for(personas["supervisor"])
    found = sup.get("/public/manage/", {"q": actions.format_code(c.tracking_code)})
    assert c.reference in found.content.decode()
    clerk = client_for(personas["clerk_a"])
    assert c.reference in clerk.get("/public/manage/", {"q": c.reference}).content.decode()
    for q in (c.tracking_code, c.tracking_code[:1], c.tracking_code[:4]):
        assert c.reference not in clerk.get("/public/manage/", {"q": q}).content.decode()


def test_only_the_code_withdraws_and_a_withdrawn_complaint_takes_nothing_more(
    submit, units, personas, client_for
):
    public = client_for(None)
    _, c = submit(public)
    actions.accept_complaint(c, actor=personas["supervisor"])
    actions.assign_complaint(c, unit=units["a"], actor=personas["supervisor"])
    # No internal page withdraws a complaint, not even the supervisor's.
    clerk = client_for(personas["clerk_a"])
    assert clerk.post(f"/public/manage/{c.pk}/withdraw/").status_code == 404
    assert (
        client_for(personas["supervisor"]).post(f"/public/manage/{c.pk}/withdraw/").status_code
        == 404
    )
    # A wrong code withdraws nothing.
    wrong = "A" * 12 if c.tracking_code != "A" * 12 else "B" * 12
    assert public.post(f"/public/track/{wrong}/withdraw/").status_code == 404
    c.refresh_from_db()
    assert c.state == Complaint.State.ASSIGNED

    page = public.get(f"/public/track/{c.tracking_code}/").content.decode()
    assert "撤回举报" in page
    done = public.post(f"/public/track/{c.tracking_code}/withdraw/", {"reason": "已协商解决"})
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.state == Complaint.State.WITHDRAWN and c.closed_at and not c.is_open
    assert AuditEvent.objects.filter(action="portal.complaint.withdrawn", object_id=str(c.pk))
    page = public.get(f"/public/track/{c.tracking_code}/").content.decode()
    assert "已撤回" in page and "已协商解决" in page and "提交补充材料" not in page
    late = public.post(f"/public/track/{c.tracking_code}/supplement/", {"text": "再补充"})
    assert late.status_code == 400 and "不能再补充" in late.content.decode()
    again = public.post(f"/public/track/{c.tracking_code}/withdraw/", {})
    assert again.status_code == 400 and "不能再撤回" in again.content.decode()
    assert Complaint.objects.overdue().filter(pk=c.pk).count() == 0
    # The unit can no longer reply; the handling page says who ended it.
    assert not actions.can_reply(personas["clerk_a"], c)
    shown = client_for(personas["supervisor"]).get(f"/public/manage/{c.pk}/").content.decode()
    assert "举报人撤回" in shown


# --- conflicts of interest ----------------------------------------------------------


def test_misconduct_complaint_never_goes_to_the_accused_unit_and_becomes_a_lead(
    submit, units, personas, client_for
):
    _, c = submit(
        client_for(None),
        category="bribe",
        reported_unit=units["a"].pk,
        description="执法队员检查时收取“服务费”200 元，没有开票据。",
    )
    sup = client_for(personas["supervisor"])
    assert sup.post(f"/public/manage/{c.pk}/accept/", {"note": ""}).status_code == 302
    c.refresh_from_db()
    # Named officers' misconduct: a lead for the discipline commission at once.
    lead = Lead.objects.get(pk=c.lead_id)
    assert lead.unit == units["a"] and c.reference in lead.title
    page = sup.get(f"/public/manage/{c.pk}/").content.decode()
    assert "不能交由被反映单位办理" in page
    # The accused unit is not even preselected.
    assert f'<option value="{units["a"].pk}" selected>' not in page

    refused = sup.post(
        f"/public/manage/{c.pk}/assign/",
        {"unit": units["a"].pk, "conflict_reason": "由其自查"},
    )
    assert refused.status_code == 400
    assert "不能交由该单位自己办理" in refused.content.decode()
    c.refresh_from_db()
    assert c.unit is None and not ComplaintAssignment.objects.filter(complaint=c).exists()
    assert client_for(personas["clerk_a"]).get(f"/public/manage/{c.pk}/").status_code == 404
    # Another unit may be asked to help.
    ok = sup.post(f"/public/manage/{c.pk}/assign/", {"unit": units["b"].pk})
    assert ok.status_code == 302


def test_assigning_to_the_accused_unit_asks_for_a_reason_and_is_audited(
    submit, units, personas, client_for
):
    from jiandu.enforcement.models import Enterprise, Inspection

    shop = Enterprise.objects.create(uscc="91330000MA2XXXXX2B", name="某店")
    inspection = Inspection.objects.create(
        unit=units["b"],
        inspection_no="JC-1",
        enterprise=shop,
        enterprise_name=shop.name,
        inspected_on="2026-03-02",
    )
    _, c = submit(client_for(None), reported_unit=units["a"].pk)
    Complaint.objects.filter(pk=c.pk).update(inspection=inspection)
    sup = client_for(personas["supervisor"])
    sup.post(f"/public/manage/{c.pk}/accept/", {"note": ""})
    for accused in (units["a"], units["b"]):  # named by the complainant, or the inspection's
        no_reason = sup.post(f"/public/manage/{c.pk}/assign/", {"unit": accused.pk})
        assert no_reason.status_code == 400
        assert "请填写交由其自行办理的理由" in no_reason.content.decode()
    assert not ComplaintAssignment.objects.filter(complaint=c).exists()
    assert not AuditEvent.objects.filter(action="portal.complaint.assigned_to_accused")

    ok = sup.post(
        f"/public/manage/{c.pk}/assign/",
        {"unit": units["a"].pk, "conflict_reason": "反映检查频次问题，由其自查，监督部门跟踪。"},
    )
    assert ok.status_code == 302
    assignment = ComplaintAssignment.objects.get(complaint=c)
    assert assignment.conflict_reason.startswith("反映检查频次问题")
    event = AuditEvent.objects.get(action="portal.complaint.assigned_to_accused")
    assert (
        event.data["reason"].startswith("反映检查频次问题")
        and event.actor == personas["supervisor"]
    )
    assert "交由被反映单位办理" in sup.get(f"/public/manage/{c.pk}/").content.decode()


# --- files without identifying metadata ---------------------------------------------


def _png(size=(40, 30)) -> bytes:
    return solid_png(size, "RGB", (10, 120, 200))


def _jpeg_with_comment_and_exif() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"  # Make
    exif[0x013B] = "ZhouLixinArtist"  # Artist
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"JPEG-COMMENT-ZHOU-13700571188")
    data = out.getvalue()
    assert b"\xff\xfe" in data and b"JPEG-COMMENT-ZHOU" in data and b"SpyCamMaker" in data
    return data


def _gif_with_comment() -> bytes:
    img = Image.new("P", (32, 32), 1)
    out = io.BytesIO()
    img.save(out, format="GIF", comment=b"GIF-COMMENT-ZHOU-LIXIN")
    data = out.getvalue()
    assert b"\x21\xfe" in data and b"GIF-COMMENT-ZHOU-LIXIN" in data  # comment extension
    return data


def _pdf_with_info_xmp_and_script() -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.docinfo["/Author"] = "PDF-AUTHOR-ZHOU"
        pdf.docinfo["/Creator"] = "PDF-CREATOR-LAPTOP-OF-ZHOU"
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["XMP-CREATOR-ZHOU"]
        script = pdf.make_indirect(
            pikepdf.Dictionary(
                S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('PDF-SCRIPT-RUNS')")
            )
        )
        pdf.Root.OpenAction = script
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("s"), script]))
        )
        pdf.save(out)
    data = out.getvalue()
    assert b"XMP-CREATOR-ZHOU" in data and b"PDF-SCRIPT-RUNS" in data
    return data


MARKERS = [
    b"SpyCamMaker",
    b"ZhouLixinArtist",
    b"JPEG-COMMENT-ZHOU",
    b"GIF-COMMENT-ZHOU-LIXIN",
    b"PDF-AUTHOR-ZHOU",
    b"PDF-CREATOR-LAPTOP",
    b"XMP-CREATOR-ZHOU",
    b"PDF-SCRIPT-RUNS",
    b"JavaScript",
]


def test_files_reach_the_unit_without_metadata_and_the_original_stays_with_the_supervisor(
    submit, units, personas, client_for
):
    import pikepdf

    sent = {
        "现场.jpg": _jpeg_with_comment_and_exif(),
        "动图.gif": _gif_with_comment(),
        "罚单.pdf": _pdf_with_info_xmp_and_script(),
    }
    response, c = submit(
        client_for(None),
        reported_unit=units["b"].pk,
        files=[SimpleUploadedFile(name, data) for name, data in sent.items()],
    )
    assert response.status_code == 302
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.assign_complaint(c, unit=units["a"], actor=sup)

    clerk = client_for(personas["clerk_a"])
    detail = clerk.get(f"/public/manage/{c.pk}/").content.decode()
    assert "?original=1" not in detail
    sup_client = client_for(sup)
    assert "?original=1" in sup_client.get(f"/public/manage/{c.pk}/").content.decode()

    from jiandu.documents.uploads import attachments_of

    atts = {a.original_name: a for a in attachments_of(c)}
    assert set(atts) == set(sent)
    for name, original in sent.items():
        att = atts[name]
        served = b"".join(clerk.get(f"/public/manage/files/{att.pk}/").streaming_content)
        for marker in MARKERS:
            assert marker not in served, (name, marker)
        # Still the same kind of file, still readable.
        if name.endswith(".pdf"):
            with pikepdf.open(io.BytesIO(served)) as pdf:
                assert len(pdf.pages) == 1 and "/Author" not in pdf.docinfo
                assert "/Metadata" not in pdf.Root and "/OpenAction" not in pdf.Root
        else:
            with Image.open(io.BytesIO(served)) as img:
                assert "comment" not in img.info and not img.getexif()
        # The unit cannot get the original, whatever it asks for.
        refused = clerk.get(f"/public/manage/files/{att.pk}/?original=1")
        assert refused.status_code == 403
        # The supervisor can, byte for byte; the reading is audited.
        got = sup_client.get(f"/public/manage/files/{att.pk}/?original=1")
        assert got.status_code == 200 and b"".join(got.streaming_content) == original
    assert OriginalFile.objects.filter(attachment__in=atts.values()).count() == 3
    assert (
        AuditEvent.objects.filter(
            action="portal.attachment.original_opened", actor=sup, object_id=str(c.pk)
        ).count()
        == 3
    )


def test_image_over_the_pixel_limit_is_refused_in_chinese(submit, client_for):
    # 8000 × 6000 = 48 megapixels of one colour: a small file that would decode into
    # 144 MB of memory.
    big = _png((8000, 6000))
    assert len(big) < 1024 * 1024
    response, created = submit(
        client_for(None), files=[SimpleUploadedFile("大图.png", big, content_type="image/png")]
    )
    assert response.status_code == 400 and created is None
    html = response.content.decode()
    assert "图片“大图.png”像素过大" in html and "请重新选择该文件" in html
    assert "检查人员一个月来了三次" in html  # what was typed is kept


def test_decompression_bomb_beyond_pillow_s_own_limit_is_refused(db):
    from django.core.exceptions import ValidationError

    from jiandu.documents.uploads import check_upload

    # A PNG header claiming 20000 × 20000 pixels (400 megapixels).
    bomb = solid_png((20000, 20000), "1", 0)
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("bomb.png", bomb))
    assert "像素过大" in exc.value.messages[0]


# --- the redaction check before 曝光 -------------------------------------------------


@pytest.fixture
def closed_named(submit, units, personas, client_for):
    _, c = submit(client_for(None), identity="named", name="周立新", phone="13700571188")
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.close_complaint(c, actor=sup, result="已处理")
    return c


@pytest.mark.parametrize(
    "text",
    [
        "周 立 新（电话 137-0057-1188，座机 0571-88886666）",
        "举报人周\u3000立\u3000新反映……",
        "联系电话 １３７００５７１１８８",
        "电话 137 0057 1188",
        "电话 +86 137—0057—1188",
        "身份证 3301 0619 9001 0112 34",
    ],
)
def test_redaction_check_sees_through_spacing_dashes_and_full_width_digits(
    closed_named, personas, client_for, text
):
    sup = client_for(personas["supervisor"])
    refused = sup.post(
        f"/public/manage/{closed_named.pk}/publish/", {"title": "典型案例", "text": text}
    )
    assert refused.status_code == 400
    assert "请删除后再发布" in refused.content.decode()
    assert not PublishedCase.objects.filter(complaint=closed_named).exists()


def test_landline_alone_is_refused_in_an_anonymous_complaint(submit, personas, client_for):
    _, c = submit(client_for(None))
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.close_complaint(c, actor=sup, result="已处理")
    from django.core.exceptions import ValidationError

    for text in (
        "商户座机 0571-88886666",
        "座机（0571）8888 6666",
        "座机 ０５７１－８８８８６６６６",
    ):
        with pytest.raises(ValidationError, match="固定电话"):
            actions.publish_case(c, actor=sup, title="案例", text=text)
    case = actions.publish_case(
        c,
        actor=sup,
        title="案例",
        text="2025-05-12 某企业反映被重复检查三次，罚款 5000 元，已于 2025.06.01 整改完毕。",
    )
    assert case.pk


def test_the_file_names_the_complainant_chose_stay_with_the_supervisor(
    submit, units, personas, client_for
):
    """A file's own name can name the complainant (“周立新身份证.png”): the unit handling
    the complaint sees and downloads it as 附件1, 附件2 …; the supervisor sees the name."""
    response, c = submit(
        client_for(None),
        reported_unit=units["a"].pk,
        files=[
            SimpleUploadedFile("周立新身份证.png", _png()),
            SimpleUploadedFile("周立新-13700571188.png", _png((41, 31))),
        ],
    )
    assert response.status_code == 302
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.assign_complaint(c, unit=units["a"], actor=sup, conflict_reason="核实现场情况")

    clerk = client_for(personas["clerk_a"])
    detail = clerk.get(f"/public/manage/{c.pk}/").content.decode()
    assert "周立新" not in detail and "13700571188" not in detail
    assert "附件1.png" in detail and "附件2.png" in detail
    from jiandu.documents.uploads import attachments_of

    for n, att in enumerate(attachments_of(c), start=1):
        got = clerk.get(f"/public/manage/files/{att.pk}/")
        assert got.status_code == 200
        disposition = got["Content-Disposition"]
        assert "周立新" not in disposition and "%E5%91%A8" not in disposition
        assert f"附件{n}.png" in disposition or "%E9%99%84%E4%BB%B6" in disposition
    sup_page = client_for(sup).get(f"/public/manage/{c.pk}/").content.decode()
    assert "周立新身份证.png" in sup_page
