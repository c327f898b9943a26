"""监督检查 and 案卷评查: planning, findings into the ledger, scoring, completion, and who
may see and do what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Domain, FocusArea, Notification, Role
from jiandu.supervision import actions
from jiandu.supervision.models import CaseFileReview, SupervisionVisit
from jiandu.supervision.rubric import DEFAULT_RUBRIC
from tests.orgs.factories import make_user

V = SupervisionVisit.State


def full_scores(**overrides):
    scores = {item["code"]: item["max"] for item in DEFAULT_RUBRIC}
    scores.update(overrides)
    return scores


@pytest.fixture
def visit_a(campaign, units, personas, today, django_capture_on_commit_callbacks):
    # Planned as by a request that commits: the unit's notice is written then.
    with django_capture_on_commit_callbacks(execute=True):
        return actions.plan_visit(
            campaign,
            actor=personas["supervisor"],
            unit=units["a"],
            visit_date=today,
            team=[personas["inspector"], personas["discipline"]],
            domains=list(Domain.objects.all()[:2]),
        )


@pytest.fixture
def area():
    return FocusArea.objects.get(code="discretion")


def finding(visit, actor, area, today, **extra):
    return actions.record_finding(
        visit,
        actor=actor,
        focus_area=area,
        description="同类案件罚款金额差异过大",
        severity=Problem.Severity.SERIOUS,
        deadline=today + timedelta(days=30),
        **extra,
    )


# ---------------------------------------------------------------- planning


def test_supervisor_plans_a_visit_and_the_unit_is_told(visit_a, units, personas):
    assert visit_a.state == V.PLANNED
    assert set(visit_a.team.all()) == {personas["inspector"], personas["discipline"]}
    assert visit_a.domains.count() == 2
    assert AuditEvent.objects.filter(action="campaigns.visit.planned", object_id=str(visit_a.pk))
    assert Notification.objects.filter(
        user=personas["clerk_a"], title__contains="监督检查"
    ).exists()


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "clerk_b", "discipline", "inspector"])
def test_only_the_supervisor_plans_visits(campaign, units, personas, today, who):
    with pytest.raises(PermissionDenied):
        actions.plan_visit(
            campaign,
            actor=personas[who],
            unit=units["a"],
            visit_date=today,
            team=[personas["inspector"]],
        )


def test_planning_refuses_a_non_enforcement_unit_and_an_empty_team(campaign, units, personas):
    with pytest.raises(ValidationError) as exc:
        actions.plan_visit(
            campaign,
            actor=personas["supervisor"],
            unit=units["justice"],
            visit_date=None,
            team=[personas["clerk_a"]],
        )
    errors = exc.value.message_dict
    assert set(errors) == {"unit", "visit_date", "team"}
    assert SupervisionVisit.objects.count() == 0


def test_plan_page_creates_a_visit(client_for, campaign, units, personas, today):
    client = client_for(personas["supervisor"])
    assert client.get(reverse("campaigns:visit_new", args=[campaign.pk])).status_code == 200
    response = client.post(
        reverse("campaigns:visit_new", args=[campaign.pk]),
        {
            "unit": units["b"].pk,
            "visit_date": f"{today:%Y-%m-%d}",
            "team": [personas["inspector"].pk, personas["discipline"].pk],
            "domains": [Domain.objects.first().pk],
        },
    )
    visit = SupervisionVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "campaigns:visit", args=[visit.pk]
    )
    assert visit.unit == units["b"]


def test_plan_page_keeps_input_and_shows_errors(client_for, campaign, units, personas):
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:visit_new", args=[campaign.pk]),
        {"unit": units["a"].pk, "visit_date": "", "team": []},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写检查日期。" in html and "请至少选择一名检查组成员。" in html
    assert f'value="{units["a"].pk}" selected' in html
    assert SupervisionVisit.objects.count() == 0


@pytest.mark.parametrize("who", ["clerk_a", "inspector", "discipline"])
def test_others_cannot_open_the_plan_page(client_for, campaign, personas, who):
    response = client_for(personas[who]).get(reverse("campaigns:visit_new", args=[campaign.pk]))
    assert response.status_code == 403


# ---------------------------------------------------------------- findings


@pytest.mark.parametrize("who", ["supervisor", "inspector"])
def test_finding_becomes_a_linked_supervision_problem(visit_a, personas, area, today, who):
    problem = finding(visit_a, personas[who], area, today)
    assert problem.source == Problem.Source.SUPERVISION
    assert problem.source_ref == f"监督检查#{visit_a.pk}"
    assert Problem.objects.get(pk=problem.pk).origin == visit_a
    assert problem.unit_id == visit_a.unit_id and problem.campaign_id == visit_a.campaign_id
    assert (problem.severity, problem.state) == (Problem.Severity.SERIOUS, Problem.State.PENDING)
    assert list(visit_a.findings()) == [problem]
    assert AuditEvent.objects.filter(action="campaigns.visit.finding_recorded").exists()
    assert AuditEvent.objects.filter(action="ledger.problem.created", object_id=str(problem.pk))


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "clerk_b", "discipline"])
def test_others_cannot_record_findings(visit_a, personas, area, today, who):
    with pytest.raises(PermissionDenied):
        finding(visit_a, personas[who], area, today)
    assert Problem.objects.count() == 0


def test_inspector_outside_the_team_cannot_record(visit_a, units, area, today):
    outsider = make_user("inspector2", units["justice"], Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        finding(visit_a, outsider, area, today)


def test_finding_needs_description_and_a_deadline_not_in_the_past(visit_a, personas, area, today):
    with pytest.raises(ValidationError) as exc:
        actions.record_finding(
            visit_a,
            actor=personas["supervisor"],
            focus_area=area,
            description="  ",
            deadline=today - timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"description", "deadline"}
    assert Problem.objects.count() == 0


def test_finding_form_on_the_visit_page(client_for, visit_a, personas, area, today):
    client = client_for(personas["inspector"])
    url = reverse("campaigns:visit_finding", args=[visit_a.pk])
    bad = client.post(
        url, {"focus_area": area.pk, "description": "缺少整改时限", "severity": "normal"}
    )
    assert bad.status_code == 400
    assert "请填写整改时限。" in bad.content.decode() and "缺少整改时限" in bad.content.decode()
    good = client.post(
        url,
        {
            "focus_area": area.pk,
            "description": "执法记录仪配备不足",
            "severity": "normal",
            "deadline": f"{today + timedelta(days=20):%Y-%m-%d}",
        },
    )
    assert good.status_code == 302
    assert visit_a.findings().get().description == "执法记录仪配备不足"
    page = client.get(reverse("campaigns:visit", args=[visit_a.pk])).content.decode()
    assert "执法记录仪配备不足" in page


def test_clerk_posting_a_finding_gets_403(client_for, visit_a, personas, area, today):
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:visit_finding", args=[visit_a.pk]),
        {"focus_area": area.pk, "description": "x", "deadline": f"{today:%Y-%m-%d}"},
    )
    assert response.status_code == 403
    assert Problem.objects.count() == 0


# ---------------------------------------------------------------- completion


def test_completing_needs_a_summary_then_locks_the_visit(visit_a, personas, area, today):
    with pytest.raises(ValidationError):
        actions.complete_visit(visit_a, actor=personas["inspector"], summary="")
    actions.complete_visit(
        visit_a, actor=personas["inspector"], summary="抽查案卷5件，发现问题2个。"
    )
    visit_a.refresh_from_db()
    assert visit_a.state == V.DONE and visit_a.completed_by == personas["inspector"]
    with pytest.raises(ValidationError):
        finding(visit_a, personas["supervisor"], area, today)
    with pytest.raises(ValidationError):
        actions.complete_visit(visit_a, actor=personas["supervisor"], summary="再次完成")


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "discipline"])
def test_others_cannot_complete(visit_a, personas, who):
    with pytest.raises(PermissionDenied):
        actions.complete_visit(visit_a, actor=personas[who], summary="完成")


def test_complete_through_the_page(client_for, visit_a, personas):
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:visit_complete", args=[visit_a.pk])
    assert client.post(url, {"summary": ""}).status_code == 400
    assert client.post(url, {"summary": "检查完成"}).status_code == 302
    visit_a.refresh_from_db()
    assert visit_a.state == V.DONE


# ---------------------------------------------------------------- scoping


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "supervisor", "discipline", "inspector"])
def test_visit_page_readable_by_its_unit_and_county_roles(client_for, visit_a, personas, who):
    response = client_for(personas[who]).get(reverse("campaigns:visit", args=[visit_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲镇人民政府" in html
    assert ("登记发现的问题" in html) == (who in {"supervisor", "inspector"})


def test_clerk_of_other_unit_gets_404_on_visit_and_review(
    client_for, visit_a, personas, area, today
):
    review = actions.review_case_file(
        visit_a,
        actor=personas["inspector"],
        case_no="甲罚〔2026〕1号",
        scores=full_scores(law=0, facts=0),
    )
    client = client_for(personas["clerk_b"])
    for url in (
        reverse("campaigns:visit", args=[visit_a.pk]),
        reverse("campaigns:review", args=[review.pk]),
        reverse("campaigns:review_new", args=[visit_a.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("campaigns:visit_finding", args=[visit_a.pk]),
        reverse("campaigns:visit_complete", args=[visit_a.pk]),
        reverse("campaigns:review_problem", args=[review.pk]),
    ):
        assert client.post(url, {"summary": "x"}).status_code == 404, url


def test_visit_list_is_scoped_to_the_unit(client_for, visit_a, campaign, units, personas, today):
    actions.plan_visit(
        campaign,
        actor=personas["supervisor"],
        unit=units["b"],
        visit_date=today + timedelta(days=3),
        team=[personas["inspector"]],
    )
    url = reverse("campaigns:visits", args=[campaign.pk])
    own = client_for(personas["clerk_a"]).get(url).content.decode()
    assert "甲镇人民政府" in own and "测试县市场监督管理局" not in own
    county = client_for(personas["discipline"]).get(url).content.decode()
    assert "共 2 次检查" in county
    filtered = client_for(personas["supervisor"]).get(url, {"unit": units["b"].pk}).content.decode()
    assert "共 1 次检查" in filtered
    for bad in ("abc", "99999999999999999999", "-1"):
        response = client_for(personas["supervisor"]).get(url, {"unit": bad, "page": "-1"})
        assert response.status_code == 200 and "共 2 次检查" in response.content.decode()


def test_anonymous_is_sent_to_login(client_for, visit_a, campaign):
    for url in (
        reverse("campaigns:visits", args=[campaign.pk]),
        reverse("campaigns:visit", args=[visit_a.pk]),
    ):
        assert client_for(None).get(url).status_code == 302


# ---------------------------------------------------------------- case-file reviews


def test_review_scores_and_grades_the_file(visit_a, personas):
    review = actions.review_case_file(
        visit_a,
        actor=personas["inspector"],
        case_no="甲罚〔2026〕7号",
        scores=full_scores(procedure=12, records=6),
        comments="未经法制审核",
    )
    assert (review.total, review.grade) == (88, CaseFileReview.Grade.PASS)
    assert review.rubric == DEFAULT_RUBRIC and review.scores["procedure"] == 12
    assert AuditEvent.objects.filter(action="campaigns.review.scored").exists()


def test_review_refuses_bad_scores_and_writes_nothing(visit_a, personas):
    with pytest.raises(ValidationError) as exc:
        actions.review_case_file(
            visit_a, actor=personas["supervisor"], case_no="", scores=full_scores(facts=25)
        )
    assert set(exc.value.message_dict) == {"case_no", "score_facts"}
    assert CaseFileReview.objects.count() == 0


@pytest.mark.parametrize("who", ["clerk_a", "clerk_b", "discipline"])
def test_others_cannot_review(visit_a, personas, who):
    with pytest.raises(PermissionDenied):
        actions.review_case_file(visit_a, actor=personas[who], case_no="x", scores=full_scores())


def test_review_form_shows_errors_next_to_scores(client_for, visit_a, personas):
    client = client_for(personas["inspector"])
    url = reverse("campaigns:review_new", args=[visit_a.pk])
    assert client.get(url).status_code == 200
    data = {f"score_{code}": value for code, value in full_scores(facts=30).items()}
    data["case_no"] = "甲罚〔2026〕9号"
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "0 至 20 分之间" in html and "甲罚〔2026〕9号" in html
    data["score_facts"] = 5
    response = client.post(url, data)
    review = CaseFileReview.objects.get()
    assert response.status_code == 302
    assert (review.total, review.grade) == (85, CaseFileReview.Grade.PASS)


def test_failing_review_becomes_a_procedure_problem_once(visit_a, personas, today):
    review = actions.review_case_file(
        visit_a,
        actor=personas["inspector"],
        case_no="甲罚〔2026〕3号",
        scores=full_scores(subject=0),
    )
    assert review.grade == CaseFileReview.Grade.FAIL
    with pytest.raises(PermissionDenied):
        actions.review_to_problem(review, actor=personas["clerk_a"], deadline=today)
    problem = actions.review_to_problem(
        review, actor=personas["inspector"], deadline=today + timedelta(days=15)
    )
    review.refresh_from_db()
    assert review.problem == problem
    assert problem.focus_area.code == "procedure"
    assert problem.source == Problem.Source.SUPERVISION
    assert problem.source_ref == f"监督检查#{visit_a.pk}/案卷评查#{review.pk}"
    assert Problem.objects.get(pk=problem.pk).origin == review
    assert "主体合法（扣10分）" in problem.description
    assert problem in visit_a.findings()
    with pytest.raises(ValidationError):
        actions.review_to_problem(review, actor=personas["supervisor"], deadline=today)


def test_failing_review_needs_a_deadline_not_in_the_past(visit_a, personas, today):
    review = actions.review_case_file(
        visit_a,
        actor=personas["supervisor"],
        case_no="甲罚〔2026〕6号",
        scores=full_scores(subject=0),
    )
    for deadline, message in (
        (None, "请填写整改时限。"),
        (today - timedelta(days=1), f"整改时限不能早于今天（{today:%Y-%m-%d}）。"),
    ):
        with pytest.raises(ValidationError) as exc:
            actions.review_to_problem(review, actor=personas["supervisor"], deadline=deadline)
        assert exc.value.message_dict == {"deadline": [message]}
    review.refresh_from_db()
    assert review.problem is None and Problem.objects.count() == 0


def test_passing_review_cannot_become_a_problem(visit_a, personas, today):
    review = actions.review_case_file(
        visit_a, actor=personas["supervisor"], case_no="甲罚〔2026〕4号", scores=full_scores()
    )
    with pytest.raises(ValidationError):
        actions.review_to_problem(review, actor=personas["supervisor"], deadline=today)
    assert Problem.objects.count() == 0


def test_review_page_raises_the_problem(client_for, visit_a, personas, today):
    review = actions.review_case_file(
        visit_a,
        actor=personas["supervisor"],
        case_no="甲罚〔2026〕5号",
        scores=full_scores(facts=0, law=0),
    )
    client = client_for(personas["supervisor"])
    page = client.get(reverse("campaigns:review", args=[review.pk])).content.decode()
    assert "不合格" in page and "列入整改台账" in page
    response = client.post(
        reverse("campaigns:review_problem", args=[review.pk]),
        {"deadline": f"{today + timedelta(days=10):%Y-%m-%d}"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.problem is not None
    readonly = client_for(personas["clerk_a"]).get(reverse("campaigns:review", args=[review.pk]))
    assert readonly.status_code == 200 and 'name="deadline"' not in readonly.content.decode()


def test_completed_visit_pages_redirect_with_the_reason(client_for, visit_a, personas, area, today):
    actions.complete_visit(visit_a, actor=personas["supervisor"], summary="已完成")
    client = client_for(personas["inspector"])
    visit_url = reverse("campaigns:visit", args=[visit_a.pk])
    response = client.get(reverse("campaigns:review_new", args=[visit_a.pk]), follow=True)
    assert response.redirect_chain == [(visit_url, 302)]
    assert "该次监督检查已完成，不能再记录。" in response.content.decode()
    response = client.post(
        reverse("campaigns:visit_finding", args=[visit_a.pk]),
        {"focus_area": area.pk, "description": "补记", "deadline": f"{today:%Y-%m-%d}"},
    )
    assert response.status_code == 302 and response.url == visit_url
    assert not visit_a.findings().exists()
    page = client.get(visit_url).content.decode()
    assert "登记发现的问题" not in page and "已完成" in page


def test_visit_list_query_count_does_not_grow_with_visits(
    client_for, campaign, units, personas, today, django_assert_max_num_queries
):
    for n in range(6):
        actions.plan_visit(
            campaign,
            actor=personas["supervisor"],
            unit=units["a" if n % 2 else "b"],
            visit_date=today + timedelta(days=n),
            team=[personas["inspector"], personas["discipline"]],
            domains=list(Domain.objects.all()[:2]),
        )
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:visits", args=[campaign.pk])
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200


def test_audit_rows_stored_before_the_split_still_read_in_chinese(visit_a, personas, client_for):
    """Rows written while the models lived in `campaigns` keep that object type; their
    codes and coded values are shown as before."""
    review = actions.review_case_file(
        visit_a, actor=personas["supervisor"], case_no="甲罚〔2026〕9号", scores=full_scores()
    )
    event = AuditEvent.objects.get(action="campaigns.review.scored")
    assert event.object_type == "supervision.casefilereview"
    with connection.cursor() as cursor:  # the trail refuses updates; this stands for the past
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_type = %s WHERE id = %s",
            ["campaigns.casefilereview", event.pk],
        )
    page = client_for(personas["supervisor"]).get("/audit/?action=campaigns.review.scored")
    html = page.content.decode()
    assert "案卷评查打分" in html and review.case_no in html
    assert "优秀" in html  # the grade's label, found through the moved model
