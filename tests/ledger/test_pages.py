"""The ledger pages: list with filters and sorting, export, the problem page, scoping."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from jiandu.audit.models import AuditEvent
from jiandu.campaigns.models import Campaign
from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea

S = Problem.State
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def ids(response):
    return {p.pk for p in response.context["page"].object_list}


def rows(content):
    ws = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


# -- list and scoping ----------------------------------------------------------------


def test_unit_user_sees_only_own_rows(personas, make_problem, client_for):
    mine = make_problem("a")
    make_problem("b")
    response = client_for(personas["clerk_a"]).get("/ledger/")
    assert response.status_code == 200
    assert ids(response) == {mine.pk}
    assert "共 1 条" in response.content.decode()


def test_supervisor_sees_every_unit(personas, make_problem, client_for):
    a, b = make_problem("a"), make_problem("b")
    assert ids(client_for(personas["supervisor"]).get("/ledger/")) == {a.pk, b.pk}
    assert ids(client_for(personas["discipline"]).get("/ledger/")) == {a.pk, b.pk}


def test_anonymous_is_sent_to_login(client_for):
    for url in ("/ledger/", "/ledger/export/", "/ledger/1/", "/ledger/leads/", "/ledger/new/"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_empty_ledger_says_what_happens_next(personas, client_for):
    body = client_for(personas["clerk_a"]).get("/ledger/").content.decode()
    assert "暂无需要整改的问题" in body


def test_list_query_count_is_pinned(
    personas, make_problem, client_for, django_assert_max_num_queries
):
    for i in range(40):
        make_problem("a" if i % 2 else "b", deadline=TODAY - timedelta(days=i))
    client = client_for(personas["supervisor"])
    with django_assert_max_num_queries(15):
        response = client.get("/ledger/?sort=deadline&size=20")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_overdue_rows_are_red_with_days(personas, make_problem, client_for):
    make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=6))
    body = client_for(personas["clerk_a"]).get("/ledger/").content.decode()
    assert 'class="jd-overdue"' in body and "逾期 6 天" in body


@pytest.fixture
def spread(units, make_problem):
    """One problem per distinguishing value, so each filter picks out exactly one."""
    inspection = FocusArea.objects.get(code="inspection")
    campaign = Campaign.objects.create(title="专项行动二", lead_unit=units["justice"])
    return {
        "base": make_problem("a", state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=3)),
        "unit_b": make_problem("b", state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=3)),
        "area": make_problem(
            "a", state=S.IN_PROGRESS, focus_area=inspection, deadline=TODAY + timedelta(days=3)
        ),
        "alert": make_problem(
            "a",
            state=S.IN_PROGRESS,
            source=Problem.Source.ALERT,
            source_ref="DISC-01",
            deadline=TODAY + timedelta(days=3),
        ),
        "closed": make_problem("a", state=S.CLOSED, deadline=TODAY - timedelta(days=9)),
        "overdue": make_problem("a", state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=2)),
        "grave": make_problem(
            "a",
            state=S.IN_PROGRESS,
            severity=Problem.Severity.GRAVE,
            deadline=TODAY + timedelta(days=3),
        ),
        "campaign": make_problem(
            "a", state=S.IN_PROGRESS, campaign=campaign, deadline=TODAY + timedelta(days=3)
        ),
        "pending": make_problem("a", description="罚没款未及时上缴国库"),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("unit={b}", {"unit_b"}),
        ("focus_area=inspection", {"area"}),
        ("source=alert", {"alert"}),
        ("state=closed", {"closed"}),
        ("state=pending", {"pending"}),
        ("overdue=1", {"overdue"}),
        ("severity=grave", {"grave"}),
        ("campaign={campaign}", {"campaign"}),
        ("q=国库", {"pending"}),
        ("q=DISC-01", {"alert"}),
        ("focus_area=inspection&overdue=1", set()),
    ],
)
def test_each_filter_param(params, expected, spread, units, personas, client_for):
    params = params.format(b=units["b"].pk, campaign=spread["campaign"].campaign_id)
    response = client_for(personas["supervisor"]).get(f"/ledger/?{params}")
    assert ids(response) == {spread[k].pk for k in expected}
    body = response.content.decode()
    assert f"共 {len(expected)} 条" in body


def test_not_overdue_filter_includes_closed_and_undated(spread, personas, client_for):
    response = client_for(personas["supervisor"]).get("/ledger/?overdue=0")
    assert ids(response) == {p.pk for k, p in spread.items() if k != "overdue"}


def test_malformed_filters_are_ignored(spread, personas, client_for):
    response = client_for(personas["supervisor"]).get("/ledger/?unit=x&campaign=&state=nope")
    assert response.status_code == 200
    assert len(ids(response)) == len(spread)


@pytest.mark.parametrize("odd", ["99999999999999999999999", "²", "0"])
@pytest.mark.parametrize("url", ["/ledger/", "/ledger/export/", "/ledger/leads/"])
def test_out_of_range_ids_in_filters_are_ignored_not_a_server_error(
    odd, url, spread, personas, client_for
):
    client = client_for(personas["supervisor"])
    response = client.get(url, {"unit": odd, "campaign": odd, "q": odd})
    assert response.status_code == 200
    if url == "/ledger/":
        response = client.get(url, {"unit": odd, "campaign": odd})
        assert len(ids(response)) == len(spread)


def test_unit_filter_cannot_widen_a_unit_users_scope(spread, units, personas, client_for):
    response = client_for(personas["clerk_a"]).get(f"/ledger/?unit={units['b'].pk}")
    assert ids(response) == set()


def test_sorting_by_deadline_both_ways(spread, personas, client_for):
    client = client_for(personas["supervisor"])
    up = [p.pk for p in client.get("/ledger/?sort=deadline").context["page"].object_list]
    down = [p.pk for p in client.get("/ledger/?sort=-deadline").context["page"].object_list]
    assert up[0] == spread["closed"].pk  # earliest deadline
    assert up[-1] == spread["pending"].pk  # no deadline goes last
    assert down[-1] == spread["pending"].pk
    assert down[0] != spread["closed"].pk


def test_paging_keeps_filters(personas, make_problem, client_for):
    for _ in range(35):
        make_problem("a", source=Problem.Source.OTHER)
    body = client_for(personas["supervisor"]).get("/ledger/?source=other&size=20").content.decode()
    assert "source=other&amp;size=20&amp;page=2" in body


# -- export --------------------------------------------------------------------------


def test_export_has_the_ledger_layout_and_what_the_filters_show(spread, personas, client_for):
    overdue = spread["overdue"]
    actions.add_progress(overdue, actor=personas["clerk_a"], text="已完成第一轮培训")
    response = client_for(personas["supervisor"]).get("/ledger/export/?overdue=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = rows(response.content)
    assert table[0][0] == "整改台账"
    header = table[2]
    assert header == [
        "序号",
        "责任单位",
        "问题领域",
        "问题描述",
        "问题来源",
        "严重程度",
        "整改措施",
        "责任人",
        "整改时限",
        "原定整改时限",
        "状态",
        "是否逾期",
        "逾期天数",
        "最新进展",
        "销号时间",
    ]
    body = table[3:]
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["序号"] == 1
    assert row["责任单位"] == "甲镇人民政府"
    assert row["问题领域"] == "执法程序"
    assert row["问题来源"] == "自查"
    assert row["整改时限"].date() == overdue.deadline
    assert row["状态"] == "整改中"
    assert row["是否逾期"] == "是"
    assert row["逾期天数"] == 2
    assert row["最新进展"] == "已完成第一轮培训"
    assert AuditEvent.objects.filter(action="ledger.export", data__count=1).exists()


def test_export_shows_the_original_deadline_after_a_change(personas, make_problem, client_for):
    first = TODAY - timedelta(days=3)
    problem = make_problem(
        state=S.IN_PROGRESS,
        deadline=first,
        description="罚没款未及时上缴",
        measures="=HYPERLINK(1)",
    )
    later = TODAY + timedelta(days=20)
    actions.change_deadline(
        problem, actor=personas["supervisor"], new_deadline=later, reason="督办后重新确定"
    )
    table = rows(client_for(personas["supervisor"]).get("/ledger/export/").content)
    header = table[2]
    assert header[header.index("整改时限") + 1] == "原定整改时限"
    row = next(dict(zip(header, r, strict=True)) for r in table[3:] if r[3] == problem.description)
    assert row["整改时限"].date() == later
    assert row["原定整改时限"].date() == first
    assert row["是否逾期"] == "否"
    # Every cell still goes through the neutralising renderer.
    assert row["整改措施"] == "'=HYPERLINK(1)"


def test_export_of_closed_problem_has_closing_time(spread, personas, client_for):
    response = client_for(personas["supervisor"]).get("/ledger/export/?state=closed")
    header, body = rows(response.content)[2], rows(response.content)[3:]
    row = dict(zip(header, body[0], strict=True))
    assert row["是否逾期"] == "否"
    closed_at = timezone.localtime(spread["closed"].closed_at)
    assert row["销号时间"].strftime("%Y-%m-%d %H:%M") == closed_at.strftime("%Y-%m-%d %H:%M")


def test_unit_users_export_only_their_own_rows(spread, units, personas, client_for):
    response = client_for(personas["clerk_b"]).get("/ledger/export/")
    body = rows(response.content)[3:]
    assert [r[1] for r in body] == ["测试县市场监督管理局"]
    response = client_for(personas["clerk_b"]).get(f"/ledger/export/?unit={units['a'].pk}")
    assert rows(response.content)[3:] == []


# -- the problem page ----------------------------------------------------------------


def test_clerk_of_other_unit_gets_404_on_problem_and_its_attachment(
    personas, make_problem, client_for
):
    problem = make_problem("a", state=S.IN_PROGRESS)
    note = actions.add_progress(
        problem,
        actor=personas["clerk_a"],
        text="附照片",
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    from jiandu.documents.uploads import attachments_of

    att = attachments_of(note).get()
    other = client_for(personas["clerk_b"])
    assert other.get(f"/ledger/{problem.pk}/").status_code == 404
    assert other.get(f"/files/{att.pk}/").status_code == 404
    own = client_for(personas["leader_a"])
    assert own.get(f"/files/{att.pk}/").status_code == 200
    page = own.get(f"/ledger/{problem.pk}/").content.decode()
    assert f"/files/{att.pk}/" in page and "现场.png" in page


def test_problem_page_shows_rectification_timeline_and_source(personas, make_problem, client_for):
    problem = make_problem(
        "a", state=S.PENDING, source=Problem.Source.ALERT, source_ref="DISC-01 · 案件 2026-001"
    )
    clerk = personas["clerk_a"]
    actions.start_rectification(
        problem,
        actor=clerk,
        measures="重新制定裁量基准",
        responsible_person="李四",
        deadline=TODAY + timedelta(days=5),
    )
    actions.add_progress(problem, actor=clerk, text="已召开专题会议")
    actions.submit_for_acceptance(problem, actor=clerk, note="")
    actions.return_problem(problem, actor=personas["supervisor"], reason="缺少会议纪要")
    body = client_for(clerk).get(f"/ledger/{problem.pk}/").content.decode()
    for text in (
        "重新制定裁量基准",
        "已召开专题会议",
        "启动整改",
        "提请验收",
        "退回整改",
        "缺少会议纪要",
        "DISC-01 · 案件 2026-001",
        "预警",
    ):
        assert text in body, text
    # A returned problem can be submitted again by the unit.
    assert 'id="action-submit"' in body


def test_problem_page_shows_self_check_answer(personas, units, area, client_for):
    from jiandu.campaigns.models import SelfCheckItem
    from jiandu.campaigns.models import SelfCheckTemplate as T
    from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport

    campaign = Campaign.objects.create(title="专项行动", lead_unit=units["justice"])
    template = T.objects.create(campaign=campaign, title="自查表")
    item = SelfCheckItem.objects.create(template=template, focus_area=area, text="是否落实法制审核")
    report = SelfCheckReport.objects.create(campaign=campaign, unit=units["a"])
    answer = SelfCheckAnswer.objects.create(
        report=report, item=item, has_problem=True, description="部分案件未审核", cause="人手不足"
    )
    problem = actions.create_problem(
        unit=units["a"],
        focus_area=area,
        description="部分案件未审核",
        source=Problem.Source.SELF_CHECK,
        source_ref="自查表第1项",
        origin=answer,
        campaign=campaign,
    )
    body = client_for(personas["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert "是否落实法制审核" in body and "人手不足" in body
    # The origin links to the answer on the unit's report.
    assert f'href="/campaigns/reports/{report.pk}/#answer-{answer.pk}"' in body


@pytest.mark.parametrize(
    ("who", "state", "visible", "hidden"),
    [
        ("clerk_a", S.PENDING, {"start"}, {"accept", "escalate", "update"}),
        ("leader_a", S.IN_PROGRESS, {"progress", "submit", "update"}, {"accept", "return"}),
        ("supervisor", S.AWAITING_ACCEPTANCE, {"accept", "return", "progress"}, {"submit"}),
        ("discipline", S.AWAITING_ACCEPTANCE, set(), {"accept", "return", "progress"}),
        ("inspector", S.IN_PROGRESS, set(), {"progress", "submit", "update"}),
        ("clerk_a", S.CLOSED, set(), {"progress", "update", "start", "submit"}),
    ],
)
def test_problem_page_offers_only_the_allowed_actions(
    who, state, visible, hidden, personas, make_problem, client_for
):
    problem = make_problem("a", state=state)
    body = client_for(personas[who]).get(f"/ledger/{problem.pk}/").content.decode()
    for name in visible:
        assert f'id="action-{name}"' in body, name
    for name in hidden:
        assert f'id="action-{name}"' not in body, name


def test_overdue_problem_offers_escalation_to_supervisor_and_discipline(
    personas, make_problem, client_for
):
    problem = make_problem("a", state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=1))
    for who in ("supervisor", "discipline"):
        body = client_for(personas[who]).get(f"/ledger/{problem.pk}/").content.decode()
        assert 'id="action-escalate"' in body
    body = client_for(personas["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert 'id="action-escalate"' not in body


def test_bad_input_is_shown_next_to_the_field_and_kept(personas, make_problem, client_for):
    problem = make_problem("a")
    response = client_for(personas["clerk_a"]).post(
        f"/ledger/{problem.pk}/start/",
        {
            "start-measures": "我写的措施",
            "start-responsible_person": "",
            "start-deadline": (TODAY - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "我写的措施" in body
    assert "请填写责任人。" in body
    problem.refresh_from_db()
    assert problem.state == S.PENDING


def test_past_deadline_message_comes_from_the_action(personas, make_problem, client_for):
    problem = make_problem("a")
    response = client_for(personas["clerk_a"]).post(
        f"/ledger/{problem.pk}/start/",
        {
            "start-measures": "措施",
            "start-responsible_person": "李四",
            "start-deadline": (TODAY - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "不能早于今天" in response.content.decode()


def test_transition_in_wrong_state_shows_a_message(personas, make_problem, client_for):
    problem = make_problem("a", state=S.IN_PROGRESS)
    response = client_for(personas["supervisor"]).post(
        f"/ledger/{problem.pk}/accept/", {}, follow=True
    )
    assert response.redirect_chain == [(f"/ledger/{problem.pk}/", 302)]
    assert "只有“待验收”的问题可以销号" in response.content.decode()
    problem.refresh_from_db()
    assert problem.state == S.IN_PROGRESS


def test_htmx_transition_returns_the_body_partial(personas, make_problem, client_for):
    problem = make_problem("a", state=S.AWAITING_ACCEPTANCE)
    response = client_for(personas["supervisor"]).post(
        f"/ledger/{problem.pk}/accept/", {"accept-note": "好"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="problem-body">')
    assert "已验收销号" in body and "<html" not in body


def test_progress_with_attachment_over_http(personas, make_problem, client_for):
    problem = make_problem("a", state=S.IN_PROGRESS)
    upload = SimpleUploadedFile("整改照片.png", PNG, content_type="image/png")
    response = client_for(personas["clerk_a"]).post(
        f"/ledger/{problem.pk}/progress/", {"progress-text": "已整改", "progress-files": [upload]}
    )
    assert response.status_code == 302
    body = client_for(personas["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert "整改照片.png" in body


def test_escalation_shows_on_the_unit_users_start_page(
    personas, make_problem, client_for, django_capture_on_commit_callbacks
):
    problem = make_problem("a", state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas["supervisor"]).post(
            f"/ledger/{problem.pk}/escalate/", {"escalate-note": "请于本周内整改到位"}
        )
    assert response.status_code == 302
    for who in ("clerk_a", "leader_a"):
        body = client_for(personas[who]).get("/", follow=True).content.decode()
        assert "督办：问题" in body and "请于本周内整改到位" in body
        assert "已逾期 3 天" in body  # the day count as of today, not of the 督办
        # Every other page only marks the bell; it does not repeat the notice.
        body = client_for(personas[who]).get("/ledger/").content.decode()
        assert "督办：问题" not in body and "bi-bell-fill text-danger" in body
    # and on the problem itself, above everything else
    body = client_for(personas["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert body.index("jd-escalations") < body.index("problem-state")
    # other units see nothing
    body = client_for(personas["clerk_b"]).get("/ledger/").content.decode()
    assert "请于本周内整改到位" not in body


# -- new problem -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisor", 200),
        ("inspector", 200),
        ("clerk_a", 403),
        ("leader_a", 403),
        ("clerk_b", 403),
        ("discipline", 403),
    ],
)
def test_new_problem_page_by_persona(who, status, personas, client_for):
    assert client_for(personas[who]).get("/ledger/new/").status_code == status


def test_inspector_registers_a_supervision_problem(personas, units, area, client_for):
    response = client_for(personas["inspector"]).post(
        "/ledger/new/",
        {
            "unit": units["a"].pk,
            "focus_area": area.pk,
            "source": "supervision",
            "severity": "serious",
            "description": "检查发现执法案卷缺少送达回证",
            "source_ref": "JC-2026-08",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ledger/{problem.pk}/"
    assert problem.source == "supervision" and problem.unit == units["a"]


def test_inspector_cannot_pick_complaint_as_source(personas, units, area, client_for):
    response = client_for(personas["inspector"]).post(
        "/ledger/new/",
        {
            "unit": units["a"].pk,
            "focus_area": area.pk,
            "source": "complaint",
            "severity": "normal",
            "description": "x",
        },
    )
    assert response.status_code == 400
    assert "您不能登记该来源的问题" in response.content.decode()
    assert not Problem.objects.exists()


# -- leads -------------------------------------------------------------------------


@pytest.fixture
def lead(units):
    return actions.create_lead(
        unit=units["a"], title="执法人员违规收费", description="群众反映", source="complaint"
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("discipline", 200),
        ("supervisor", 200),
        ("clerk_a", 404),
        ("leader_a", 404),
        ("clerk_b", 404),
        ("inspector", 404),
    ],
)
def test_lead_pages_by_persona(who, status, personas, lead, client_for):
    client = client_for(personas[who])
    assert client.get("/ledger/leads/").status_code == status
    assert client.get(f"/ledger/leads/{lead.pk}/").status_code == status


def test_discipline_receives_and_closes_a_lead(personas, lead, client_for):
    client = client_for(personas["discipline"])
    assert client.post(f"/ledger/leads/{lead.pk}/receive/").status_code == 302
    response = client.post(f"/ledger/leads/{lead.pk}/close/", {"result": ""})
    assert response.status_code == 400 and "请填写办理结果。" in response.content.decode()
    assert client.post(f"/ledger/leads/{lead.pk}/close/", {"result": "已立案"}).status_code == 302
    lead.refresh_from_db()
    assert lead.state == "closed" and lead.result == "已立案"
    assert "已立案" in client.get(f"/ledger/leads/{lead.pk}/").content.decode()


def test_supervisor_reads_leads_but_cannot_handle_them(personas, lead, client_for):
    client = client_for(personas["supervisor"])
    body = client.get(f"/ledger/leads/{lead.pk}/").content.decode()
    assert "执法人员违规收费" in body and "lead_receive" not in body
    assert client.post(f"/ledger/leads/{lead.pk}/receive/").status_code == 403
    assert (
        client_for(personas["clerk_a"]).post(f"/ledger/leads/{lead.pk}/receive/").status_code == 404
    )


def test_problem_page_query_count_does_not_grow_with_notes(
    personas, make_problem, client_for, django_assert_max_num_queries
):
    problem = make_problem("a", state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=2))
    for i in range(6):
        actions.add_progress(
            problem,
            actor=personas["clerk_a"],
            text=f"进展{i}",
            files=[SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")],
        )
    actions.escalate(problem, actor=personas["supervisor"], note="请加快")
    client = client_for(personas["supervisor"])
    with django_assert_max_num_queries(20):
        response = client.get(f"/ledger/{problem.pk}/")
    # the six photos' links (the navigation's 公文 register is under /files/ too)
    assert len(re.findall(r'href="/files/\d+/"', response.content.decode())) == 6


def test_supervisor_may_edit_measures_of_a_pending_problem(personas, make_problem, client_for):
    problem = make_problem("a")
    body = client_for(personas["supervisor"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert 'id="action-update"' in body and 'id="action-start"' not in body


def test_leads_search(personas, units, client_for):
    actions.create_lead(unit=units["a"], title="违规收费", description="甲", source="complaint")
    actions.create_lead(unit=units["b"], title="其他", description="选择性执法", source="other")
    client = client_for(personas["discipline"])
    assert client.get("/ledger/leads/?q=选择性").context["page"].paginator.count == 1
    assert client.get(f"/ledger/leads/?unit={units['a'].pk}").context["page"].paginator.count == 1
