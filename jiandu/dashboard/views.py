from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.campaigns.models import Campaign
from jiandu.dashboard import charts, periodic_report, periods, stats, unit_stats
from jiandu.dashboard.charts import ledger_url, reports_url
from jiandu.dashboard.stats_export import Comparison, UnitFigures
from jiandu.documents import gongwen
from jiandu.ledger.actions import problem_url
from jiandu.ledger.figures import rate_text
from jiandu.ledger.models import Escalation, Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.access import is_supervisor_or_discipline, require_supervisor, scope, sees_all
from jiandu.selfcheck.models import SelfCheckReport

OVERDUE_SHOWN = 10


def _new_alerts(user):
    """New alerts waiting for a supervisor."""
    return scope(Alert.objects.filter(state=Alert.State.NEW), user).count()


@login_required
def cockpit(request):
    user, today = request.user, timezone.localdate()
    campaign = stats.campaign_by_id(request.GET.get("campaign"), today)
    if campaign is None and request.GET.get("campaign"):
        raise Http404("未找到该专项行动。")
    if campaign is None:
        return render(
            request,
            "dashboard/cockpit.html",
            {"campaign": None, "setup_url": reverse("campaigns:create")},
        )
    reports = stats.report_counts(user, campaign, today)
    totals = stats.completion(user, campaign, today)
    by_area = stats.problems_by_focus_area(user, campaign, today)
    by_unit = stats.problems_by_unit(user, campaign, today)
    submission = {r["id"]: r for r in stats.report_submission(user, campaign, today)}
    overdue = list(stats.overdue_problems(user, campaign, today)[:OVERDUE_SHOWN])
    for problem in overdue:
        problem.url = problem_url(problem)
        problem.late_days = problem.days_overdue(today)
    # Every drill-down lands on the ledger filtered by the campaign: the list shows
    # exactly the problems the cockpit counted (Problem.objects.of_campaign).
    ledger = ledger_url(campaign=campaign.pk)
    unit_rows = []
    for row in by_unit:
        report = submission.get(row["id"])
        unit_rows.append(
            {
                **row,
                "report": report,
                "report_url": reverse("campaigns:report", args=[report["report__id"]])
                if report and report["report__id"]
                else None,
                "problems_url": ledger_url(ledger, unit=row["id"]),
                "overdue_url": ledger_url(ledger, unit=row["id"], overdue=1),
            }
        )
    queues = None
    if user.is_supervisor:
        queues = {
            "reports": reports["by_state"][SelfCheckReport.State.SUBMITTED],
            "reports_url": reports_url(campaign=campaign.pk, state=SelfCheckReport.State.SUBMITTED),
            "problems": totals[Problem.State.AWAITING_ACCEPTANCE],
            "problems_url": ledger_url(ledger, state=Problem.State.AWAITING_ACCEPTANCE),
            "extensions": scope(Problem.objects.with_pending_extension(), user).count(),
            "extensions_url": reverse("ledger:extensions"),
            "alerts": _new_alerts(user),
            "alerts_url": reverse("monitoring:alerts") + "?state=new",
        }
    if request.GET.get("campaign"):
        current = Campaign.objects.current(today)
        is_current = current is not None and current.pk == campaign.pk
    else:
        is_current = True
    context = {
        "campaign": campaign,
        "is_current": is_current,
        "campaigns": stats.campaign_choices(),
        "phase": stats.campaign_phase(campaign, today),
        "reports": reports,
        "totals": totals,
        "overdue": overdue,
        "unit_rows": unit_rows,
        "queues": queues,
        "sees_all": sees_all(user),
        "urls": {
            "ledger": ledger,
            "overdue": ledger_url(ledger, overdue=1),
            "reports": reports_url(campaign=campaign.pk),
            "late_reports": reports_url(campaign=campaign.pk, late=1),
            "closed": ledger_url(ledger, state=Problem.State.CLOSED),
        },
        "charts": {
            "reports": charts.to_json(charts.report_states(reports["by_state"])),
            "reports_drill": charts.drill(reports_url(campaign=campaign.pk), "state"),
            "areas": charts.to_json(charts.problems_by_focus_area(by_area, ledger)),
            "areas_drill": charts.drill(ledger, "focus_area"),
            "units": charts.to_json(charts.problems_by_unit(by_unit, ledger)),
            "units_drill": charts.drill(ledger, "unit"),
            "units_height": max(300, 28 * len(by_unit) + 80),
            "sources": charts.to_json(
                charts.problems_by_source(stats.problems_by_source(user, campaign))
            ),
            "sources_drill": charts.drill(ledger, "source"),
            "trend": charts.to_json(charts.weekly_trend(stats.weekly_trend(user, campaign, today))),
        },
    }
    return render(request, "dashboard/cockpit.html", context)


@login_required
def todo(request):
    """A unit's start page: what the unit has to do, most urgent first."""
    user, today = request.user, timezone.localdate()
    if sees_all(user):
        # The county's roles work from the cockpit and its queues.
        return redirect("dashboard:cockpit")
    campaign = stats.current_campaign(today)
    report = None
    if campaign is not None and user.unit_id:
        report = scope(SelfCheckReport.objects.filter(campaign=campaign), user).first()
        if report is not None:
            report.campaign = campaign  # is_late reads the prefetched phases
    deadline = campaign.self_check_deadline if campaign else None
    problems = scope(Problem.objects.all(), user)
    to_rectify = list(
        problems.filter(state__in=[Problem.State.PENDING, Problem.State.IN_PROGRESS])
        .select_related("focus_area")
        .order_by(F("deadline").asc(nulls_last=True), "id")
    )
    overdue = list(problems.overdue(today).select_related("focus_area").order_by("deadline", "id"))
    escalations = list(
        scope(Escalation.objects.all(), user, "problem__unit")
        .filter(problem__in=Problem.objects.open())
        .select_related("problem", "by")
    )
    for problem in (*to_rectify, *overdue, *(e.problem for e in escalations)):
        problem.url = problem_url(problem)
        problem.late_days = problem.days_overdue(today)
    notes = list(user.notifications.unread()[:10])
    report_url = reverse("campaigns:report", args=[report.pk]) if report else reports_url()
    return render(
        request,
        "dashboard/todo.html",
        {
            "campaign": campaign,
            "report": report,
            "report_url": report_url,
            "deadline": deadline,
            "days_to_deadline": (deadline - today).days if deadline else None,
            "days_past_deadline": (today - deadline).days if deadline else None,
            "to_rectify": to_rectify,
            "returned_count": sum(1 for p in to_rectify if p.returned_reason),
            "overdue": overdue,
            "escalations": escalations,
            "notes": notes,
            "is_leader": user.is_leader,
            "ledger_url": ledger_url(),
            "notifications_url": reverse("orgs:notifications"),
        },
    )


def _statistics_figures(request):
    """The period asked for (a campaign's span with ?campaign=, or this month with the
    reason when it could not be read), its figures and the previous period's."""
    if not is_supervisor_or_discipline(request.user):
        raise PermissionDenied("统计分析仅供县司法局和纪委监委查看。")
    today = timezone.localdate()
    error = None
    if request.GET.get("campaign"):
        campaign = stats.campaign_by_id(request.GET["campaign"], today)
        phases = list(campaign.phases.all()) if campaign else []
        if not phases:
            raise Http404("未找到该专项行动，或其未设置阶段日期。")
        label = f"{campaign.title}（{min(p.start for p in phases).year}年）"
        period = periods.span(label, min(p.start for p in phases), max(p.end for p in phases))
    else:
        try:
            period = periods.parse(request.GET, today)
        except periods.PeriodError as exc:
            error, period = str(exc), periods.month(today)
    current = unit_stats.figures(request.user, period, today)
    previous = unit_stats.figures(request.user, period.previous(), today)
    return current, previous, error


def _cells(row) -> list[tuple[str, str]]:
    """A row of the statistics table as (key, text), in the columns' order."""
    cells = []
    for metric in unit_stats.METRICS:
        value = row[metric.key]
        cells.append((metric.key, f"{value:,.2f}" if metric.money else str(value)))
    cells += [(key, rate_text(row[key])) for key, *_ in unit_stats.RATES]
    return cells


@login_required
def statistics(request):
    current, previous, error = _statistics_figures(request)
    period = current.period
    lines = unit_stats.comparison(current, previous)
    labels = {m.key: m.label for m in unit_stats.METRICS}
    groups = []
    for metric in unit_stats.METRICS:
        if not groups or groups[-1]["name"] != metric.group:
            groups.append({"name": metric.group, "metrics": []})
        groups[-1]["metrics"].append(metric)
    context = {
        "period": period,
        "previous": previous.period,
        "error": error,
        "kinds": periods.KINDS,
        "campaigns": stats.campaign_choices(),
        "campaign_id": request.GET.get("campaign", ""),
        "figures": current,
        "table": [{**row, "cells": _cells(row)} for row in current.rows],
        "total_cells": _cells(current.totals),
        "lines": lines,
        "groups": groups,
        "rates": unit_stats.RATES,
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
        "charts": {
            "trend": charts.to_json(
                charts.period_trend(unit_stats.trend(request.user, period), labels)
            ),
            "ranking": charts.to_json(
                charts.unit_ranking(current.rows, unit_stats.RANK_BY, "按时整改率")
            ),
            "ranking_height": max(260, 24 * len(current.rows) + 40),
        },
    }
    return render(request, "dashboard/statistics.html", context)


@login_required
def statistics_export(request):
    current, previous, _error = _statistics_figures(request)
    lines = unit_stats.comparison(current, previous)
    return xlsx_response(
        request,
        UnitFigures(current),
        Comparison(lines, current.period, previous.period),
        filename=f"统计分析-{current.period.label}",
        action="dashboard.statistics.export",
        data={"period": current.period.label},
    )


@login_required
@require_POST
def statistics_report(request):
    """印发 the period's 月度/季度通报 (a 公文 with its 文号) and download it."""
    current, previous, error = _statistics_figures(request)
    require_supervisor(request.user, "只有监督管理员可以印发通报。")
    if error:
        messages.error(request, error)
        return redirect("dashboard:statistics")
    lines = unit_stats.comparison(current, previous)
    context = periodic_report.context(current, lines, timezone.localdate())
    doc = gongwen.issue_document("periodic_report", unit=None, context=context, actor=request.user)
    messages.success(request, f"已印发{doc.number.text}《{doc.title}》。")
    return redirect("documents:issued_download", doc.pk)
