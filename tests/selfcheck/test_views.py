"""自查表 pages: starting, filling, signing off, reception, reminders, attachments."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.documents.uploads import attachments_of
from jiandu.orgs.models import Notification
from jiandu.selfcheck import actions as selfcheck
from jiandu.selfcheck.models import SelfCheckReport
from tests.selfcheck.factories import answer_all, submitted

State = SelfCheckReport.State


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def form_data(report, overrides=None):
    """POST data answering every item 无此问题, with per-answer overrides {pk: {...}}."""
    data = {"contact_name": "王填报", "contact_phone": "0577-66001234"}
    for answer in report.answers.all():
        data[f"a{answer.pk}-has_problem"] = "no"
    for pk, values in (overrides or {}).items():
        for key, value in values.items():
            data[f"a{pk}-{key}"] = value
    return data


def test_unit_user_starts_their_draft_with_a_post_and_a_get_writes_nothing(
    client_for, personas, campaign, units
):
    client = client_for(personas["clerk_a"])
    page = client.get(reverse("campaigns:reports"))
    assert page.status_code == 200 and "开始填报" in page.content.decode()
    assert not SelfCheckReport.objects.filter(unit=units["a"]).exists()
    assert not AuditEvent.objects.filter(action="campaigns.report.created").exists()
    response = client.post(f"{reverse('campaigns:reports')}?campaign={campaign.pk}")
    report = SelfCheckReport.objects.get(campaign=campaign, unit=units["a"])
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:report", args=[report.pk])
    assert report.state == State.DRAFT
    assert report.answers.count() == campaign.template.items.count()
    assert AuditEvent.objects.filter(action="campaigns.report.created").count() == 1
    # Opening again (a GET, or a second POST) goes to the same report.
    again = client_for(personas["leader_a"]).get(reverse("campaigns:reports"))
    assert again["Location"] == reverse("campaigns:report", args=[report.pk])
    client.post(reverse("campaigns:reports"))
    assert SelfCheckReport.objects.filter(unit=units["a"]).count() == 1


def test_county_users_cannot_post_to_the_reports_list(client_for, personas, campaign):
    response = client_for(personas["supervisor"]).post(reverse("campaigns:reports"))
    assert response.status_code == 405
    assert not SelfCheckReport.objects.exists()


def test_supervisor_sees_every_enforcement_unit_with_state_and_filters(
    client_for, personas, campaign, report_a, units
):
    submitted(report_a, personas, problems={2: {}, 5: {}})
    client = client_for(personas["supervisor"])
    html = client.get(reverse("campaigns:reports")).content.decode()
    assert "甲镇人民政府" in html and "测试县市场监督管理局" in html
    assert "测试县司法局</td>" not in html  # not an enforcement unit
    assert "未上报单位（1）" in html
    html = client.get(reverse("campaigns:reports"), {"state": "submitted"}).content.decode()
    assert "共 1 个单位" in html and "<strong>2</strong>" in html
    html = client.get(reverse("campaigns:reports"), {"late": "1"}).content.decode()
    assert "没有符合条件的单位" in html


def test_discipline_reader_sees_the_table_without_remind_buttons(client_for, personas, campaign):
    html = client_for(personas["discipline"]).get(reverse("campaigns:reports")).content.decode()
    assert "未上报单位" in html and "一键催报" not in html


def test_remind_all_from_the_page(
    client_for, personas, campaign, units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas["supervisor"]).post(
            reverse("campaigns:remind"), {"campaign": campaign.pk, "all": "1"}
        )
    assert response.status_code == 302
    recipients = set(
        Notification.objects.filter(title__contains="催报").values_list("user__username", flat=True)
    )
    assert recipients == {"clerk_a", "leader_a", "clerk_b", "leader_b"}
    assert AuditEvent.objects.filter(action="campaigns.report.reminded").count() == 2


def test_remind_one_unit_from_the_page(
    client_for, personas, campaign, units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas["supervisor"]).post(
            reverse("campaigns:remind"), {"campaign": campaign.pk, "unit": units["b"].pk}
        )
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "clerk_b",
        "leader_b",
    }


def test_remind_with_malformed_ids_is_a_404_or_reminds_nobody(client_for, personas, campaign):
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:remind")
    assert client.post(url, {"campaign": "abc"}).status_code == 404
    assert client.post(url, {"campaign": "99999999999999999999"}).status_code == 404
    for bad in ("abc", "99999999999999999999"):
        response = client.post(url, {"campaign": campaign.pk, "unit": bad}, follow=True)
        assert response.status_code == 200
        assert "没有需要催报的单位" in response.content.decode()
    assert not Notification.objects.exists()


def test_clerk_cannot_remind(client_for, personas, campaign, units):
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:remind"), {"campaign": campaign.pk, "all": "1"}
    )
    assert response.status_code == 403 and not Notification.objects.exists()


def test_clerk_saves_a_draft_through_the_form(client_for, personas, report_a):
    answers = list(report_a.answers.all())
    data = form_data(
        report_a,
        {
            answers[0].pk: {
                "has_problem": "yes",
                "description": "裁量基准未公开",
                "deadline": "2026-12-31",
            }
        },
    )
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_save", args=[report_a.pk]), data
    )
    assert response.status_code == 302
    answers[0].refresh_from_db()
    assert answers[0].has_problem is True and answers[0].description == "裁量基准未公开"
    report_a.refresh_from_db()
    assert report_a.contact_phone == "0577-66001234" and report_a.state == State.DRAFT


def test_bad_date_is_shown_next_to_the_field_and_nothing_is_saved(client_for, personas, report_a):
    first = report_a.answers.first()
    data = form_data(
        report_a,
        {first.pk: {"has_problem": "yes", "description": "我写的描述", "deadline": "明年"}},
    )
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_save", args=[report_a.pk]), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "我写的描述" in html and "有效的日期" in html
    first.refresh_from_db()
    assert first.has_problem is None


def test_leader_submit_with_gaps_shows_messages_per_item_and_changes_nothing(
    client_for, personas, report_a
):
    answers = list(report_a.answers.select_related("item"))
    data = form_data(
        report_a,
        {answers[2].pk: {"has_problem": "yes", "description": "类案处罚差异大"}},
    )
    del data[f"a{answers[5].pk}-has_problem"]
    response = client_for(personas["leader_a"]).post(
        reverse("campaigns:report_submit", args=[report_a.pk]), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "自查表尚未填写完整（2 项：第 3、6 项）" in html
    assert "存在问题的，请填写整改措施。" in html
    assert "请选择“无此问题”或“存在问题”。" in html
    assert "类案处罚差异大" in html  # kept
    report_a.refresh_from_db()
    assert report_a.state == State.DRAFT
    assert not report_a.answers.exclude(has_problem=None).exists()  # the save was rolled back


def test_clerk_requests_signoff_and_leader_submits_through_the_form(client_for, personas, report_a):
    url = reverse("campaigns:report", args=[report_a.pk])
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_signoff", args=[report_a.pk]), form_data(report_a)
    )
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.state == State.PENDING_SIGNOFF
    html = client_for(personas["leader_a"]).get(url).content.decode()
    assert "签发上报" in html
    response = client_for(personas["leader_a"]).post(
        reverse("campaigns:report_submit", args=[report_a.pk]), form_data(report_a)
    )
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.state == State.SUBMITTED


def test_clerk_posting_submit_does_not_submit(client_for, personas, report_a):
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_submit", args=[report_a.pk]), form_data(report_a)
    )
    assert response.status_code == 403
    report_a.refresh_from_db()
    assert report_a.state == State.DRAFT


def test_submitted_report_is_read_only_for_the_unit(client_for, personas, report_a):
    submitted(report_a, personas)
    url = reverse("campaigns:report", args=[report_a.pk])
    html = client_for(personas["clerk_a"]).get(url).content.decode()
    assert "保存草稿" not in html and "已上报县司法局" in html
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_save", args=[report_a.pk]), form_data(report_a)
    )
    assert response.status_code == 403


def test_supervisor_accepts_and_returns_through_the_page(client_for, personas, report_a, report_b):
    submitted(report_a, personas, problems={1: {}})
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:report", args=[report_a.pk])
    html = client.get(url).content.decode()
    assert "接收" in html and "退回" in html
    response = client.post(reverse("campaigns:report_return", args=[report_a.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写退回原因。" in response.content.decode()
    response = client.post(
        reverse("campaigns:report_return", args=[report_a.pk]), {"reason": "整改时限不合理"}
    )
    assert response.status_code == 302
    html = client_for(personas["clerk_a"]).get(url).content.decode()
    assert "退回原因：整改时限不合理" in html and "保存草稿" in html

    selfcheck.submit_report(report_a, actor=personas["leader_a"])
    response = client.post(reverse("campaigns:report_accept", args=[report_a.pk]), {})
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.state == State.ACCEPTED
    problem = report_a.answers.get(item__order=1).problem
    assert problem.source == "self_check"
    html = client_for(personas["clerk_a"]).get(url).content.decode()
    assert f'href="{reverse("ledger:problem", args=[problem.pk])}"' in html


def test_discipline_reader_cannot_accept(client_for, personas, report_a):
    submitted(report_a, personas)
    response = client_for(personas["discipline"]).post(
        reverse("campaigns:report_accept", args=[report_a.pk]), {}
    )
    assert response.status_code == 403
    report_a.refresh_from_db()
    assert report_a.state == State.SUBMITTED


def upload(report, client, name, content, content_type="application/pdf"):
    first = report.answers.first()
    data = form_data(report)
    data[f"a{first.pk}-files"] = SimpleUploadedFile(name, content, content_type=content_type)
    return first, client.post(reverse("campaigns:report_save", args=[report.pk]), data)


def test_a_pdf_that_is_really_text_is_refused_with_a_chinese_message(
    client_for, personas, report_a
):
    first, response = upload(report_a, client_for(personas["clerk_a"]), "证明.pdf", b"just text")
    assert response.status_code == 400
    assert "文件“证明.pdf”的类型不被接受（按文件内容识别）" in response.content.decode()
    assert not attachments_of(first).exists()
    first.refresh_from_db()
    assert first.has_problem is None


def test_a_real_pdf_is_attached_to_the_answer_and_can_be_removed(client_for, personas, report_a):
    client = client_for(personas["clerk_a"])
    first, response = upload(report_a, client, "整改方案.pdf", PDF)
    assert response.status_code == 302
    att = attachments_of(first).get()
    assert att.unit_id == report_a.unit_id and att.original_name == "整改方案.pdf"
    assert client.get(reverse("documents:download", args=[att.pk])).status_code == 200
    data = form_data(report_a)
    data[f"a{first.pk}-remove_attachments"] = [str(att.pk)]
    client.post(reverse("campaigns:report_save", args=[report_a.pk]), data)
    assert not attachments_of(first).exists()


def test_clerk_of_other_unit_gets_404_on_report_attachment_and_export(
    client_for, personas, report_a
):
    first, _ = upload(report_a, client_for(personas["clerk_a"]), "a.pdf", PDF)
    att = attachments_of(first).get()
    outsider = client_for(personas["clerk_b"])
    assert outsider.get(reverse("campaigns:report", args=[report_a.pk])).status_code == 404
    response = outsider.post(
        reverse("campaigns:report_save", args=[report_a.pk]), form_data(report_a)
    )
    assert response.status_code == 404
    assert outsider.get(reverse("documents:download", args=[att.pk])).status_code == 404
    assert outsider.get(reverse("campaigns:report_export", args=[report_a.pk])).status_code == 404
    assert (
        client_for(personas["leader_b"])
        .get(reverse("campaigns:report_export", args=[report_a.pk]))
        .status_code
        == 404
    )


def test_unit_users_cannot_export_all_reports(client_for, personas, campaign):
    response = client_for(personas["clerk_a"]).get(reverse("campaigns:reports_export"))
    assert response.status_code == 403


def test_answer_of_other_report_in_post_data_is_ignored(client_for, personas, report_a, report_b):
    foreign = report_b.answers.first()
    data = form_data(report_a)
    data[f"a{foreign.pk}-has_problem"] = "yes"
    client_for(personas["clerk_a"]).post(reverse("campaigns:report_save", args=[report_a.pk]), data)
    foreign.refresh_from_db()
    assert foreign.has_problem is None


def test_reports_page_for_a_unit_without_campaign(client_for, personas):
    response = client_for(personas["clerk_a"]).get(reverse("campaigns:reports"))
    assert response.status_code == 200
    assert "当前没有进行中的专项行动" in response.content.decode()


def test_answer_all_helper_matches_form(report_a, personas):
    answer_all(report_a, personas["clerk_a"])
    assert not report_a.answers.filter(has_problem=None).exists()


def test_reports_table_queries_do_not_grow_with_units(
    client_for, personas, campaign, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiandu.orgs.models import Unit

    client = client_for(personas["supervisor"])
    url = reverse("campaigns:reports")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        unit = Unit.objects.create(code=f"T-X{i}", name=f"测试乡{i}", kind=Unit.Kind.TOWNSHIP)
        selfcheck.open_report(campaign, unit, actor=personas["supervisor"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "测试乡5" in response.content.decode()


def test_incomplete_signoff_stores_no_uploaded_file(client_for, personas, report_a):
    first = report_a.answers.first()
    data = form_data(report_a, {first.pk: {"has_problem": "yes"}})
    data[f"a{first.pk}-files"] = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:report_signoff", args=[report_a.pk]), data
    )
    assert response.status_code == 400
    assert "存在问题的，请填写问题描述。" in response.content.decode()
    assert not attachments_of(first).exists()


def test_audit_rows_stored_before_the_split_still_read_in_chinese(report_a, personas, client_for):
    """Rows written while the report lived in `campaigns` keep that object type; their codes
    are shown in Chinese as before and the moved model is still found by its table."""
    from django.db import connection

    from jiandu.audit.labels import _choices

    submitted(report_a, personas)
    selfcheck.return_report(report_a, actor=personas["supervisor"], reason="第3项描述过于笼统")
    event = AuditEvent.objects.get(action="campaigns.report.returned")
    assert event.object_type == "selfcheck.selfcheckreport"
    with connection.cursor() as cursor:  # the trail refuses updates; this stands for the past
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_type = %s WHERE id = %s",
            ["campaigns.selfcheckreport", event.pk],
        )
    page = client_for(personas["supervisor"]).get("/audit/?action=campaigns.report.returned")
    html = page.content.decode()
    assert "退回自查表" in html and "第3项描述过于笼统" in html
    assert _choices("campaigns.selfcheckreport")["state"]["returned"] == "已退回"


def test_each_button_posts_to_its_own_transition(client_for, personas, report_a):
    url = reverse("campaigns:report", args=[report_a.pk])
    html = client_for(personas["clerk_a"]).get(url).content.decode()
    assert f'action="{reverse("campaigns:report_save", args=[report_a.pk])}"' in html
    assert f'formaction="{reverse("campaigns:report_signoff", args=[report_a.pk])}"' in html
    assert 'name="op"' not in html
    # The page itself only reads: a post to it changes nothing.
    response = client_for(personas["clerk_a"]).post(url, form_data(report_a))
    assert response.status_code == 405
    assert not report_a.answers.exclude(has_problem=None).exists()
