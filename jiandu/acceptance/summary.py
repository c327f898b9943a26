"""The campaign's summary report (工作总结), a 公文 of kind `campaign_summary` rendered by
the documents engine (GB/T 9704-2012 layout, the office's own template if uploaded).
Every figure is read from the data (self-check reports, supervision visits and case-file
reviews, the ledger, alerts, complaints, the units' acceptance, best cases); nothing is
typed in by hand. Charts are drawn by matplotlib with integer axes."""

import io
from datetime import date

from django.db.models import Count
from django.utils import timezone

from jiandu.acceptance.models import Showcase, UnitAcceptance
from jiandu.campaigns.models import Campaign
from jiandu.ledger.figures import rate_text
from jiandu.ledger.models import Escalation, Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea, Unit
from jiandu.portal.models import Complaint
from jiandu.selfcheck.models import SelfCheckReport
from jiandu.supervision.models import CaseFileReview, SupervisionVisit

CJK_FONT = "Noto Sans CJK SC"


def _areas(campaign, by_area) -> list[tuple]:
    """(name, problems, closed, rate) for the campaign's focus areas, plus any other area
    its problems were filed under (as the cockpit lists them)."""
    areas = list(campaign.focus_areas.order_by("order", "id"))
    known = {a.pk for a in areas}
    missing = [pk for pk in by_area if pk not in known]
    if missing:
        areas += list(FocusArea.objects.filter(pk__in=missing).order_by("order", "id"))
    rows = []
    for area in areas:
        counts = by_area.get(area.pk) or Problem.objects.no_counts()
        rows.append((area.name, counts["total"], counts[Problem.State.CLOSED], counts["rate"]))
    return rows


def collect(campaign: Campaign, today: date | None = None) -> dict:
    """Aggregates for the report; a handful of grouped queries, no loop per record."""
    today = today or timezone.localdate()
    units = list(Unit.objects.enforcement().active().order_by("kind", "code"))
    reports = SelfCheckReport.objects.filter(campaign=campaign)
    submitted = list(reports.submitted().select_related("unit"))
    deadline = campaign.self_check_deadline
    late = [
        r
        for r in submitted
        if deadline and r.first_submitted_at and timezone.localdate(r.first_submitted_at) > deadline
    ]
    # The campaign's problems and their counts as the cockpit, the campaign page, the
    # acceptance page and the ledger show them (one definition on ProblemQuerySet).
    problems = Problem.objects.of_campaign(campaign)
    figures = problems.counts(today)
    by_area = problems.counts_by("focus_area_id", today)
    by_source = dict(problems.order_by().values_list("source").annotate(n=Count("id")))
    by_unit = problems.counts_by_unit(today, units=[u.pk for u in units])
    listed = {u.pk for u in units}
    others = [pk for pk in by_unit if pk not in listed]
    if others:  # a unit no longer active, or not an enforcement unit, with problems
        units_shown = units + list(Unit.objects.filter(pk__in=others).order_by("kind", "code"))
    else:
        units_shown = units
    per_unit = [{"unit__name": u.name, **by_unit[u.pk]} for u in units_shown]
    escalations = Escalation.objects.filter(problem__in=problems).count()

    data = {
        "campaign": campaign,
        "today": today,
        "units": len(units),
        "submitted": len(submitted),
        "late": len(late),
        "not_submitted": len(units) - len(submitted),
        "accepted": reports.filter(state=SelfCheckReport.State.ACCEPTED).count(),
        "total": figures["total"],
        "closed": figures[Problem.State.CLOSED],
        "rate": figures["rate"],
        "overdue": figures["overdue"],
        "escalations": escalations,
        "areas": _areas(campaign, by_area),
        "sources": [(label, by_source.get(value, 0)) for value, label in Problem.Source.choices],
        "per_unit": per_unit,
    }
    alert_counts = dict(
        Alert.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    data["alerts"] = {
        "total": sum(alert_counts.values()),
        "by_state": alert_counts,
        "by_rule": list(Alert.objects.values("rule").annotate(n=Count("id")).order_by("-n")[:10]),
    }
    complaints = Complaint.objects.all()
    data["complaints"] = {
        "total": complaints.count(),
        "accepted": complaints.filter(accepted_at__isnull=False).count(),
        "closed": complaints.filter(closed_at__isnull=False).count(),
    }
    visits = SupervisionVisit.objects.filter(campaign=campaign)
    data["visits"] = dict(visits.order_by().values_list("state").annotate(n=Count("id")))
    data["visited_units"] = visits.values("unit").distinct().count()
    data["reviews"] = dict(
        CaseFileReview.objects.filter(visit__campaign=campaign)
        .order_by()
        .values_list("grade")
        .annotate(n=Count("id"))
    )
    data["acceptance"] = dict(
        UnitAcceptance.objects.filter(campaign=campaign)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    data["showcases"] = list(
        Showcase.objects.filter(
            campaign=campaign, state__in=[Showcase.State.SELECTED, Showcase.State.PUBLISHED]
        ).values_list("title", "summary")
    )
    return data


def _cjk_family(font_manager):
    families = (CJK_FONT, "Noto Sans CJK JP", "Noto Serif CJK SC")

    def known():
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in families if n in names), None)

    family = known()
    if family is None:
        # matplotlib's font cache was built before the CJK fonts were installed: without
        # this, every Chinese label of the chart comes out as empty boxes.
        for path in font_manager.findSystemFonts():
            if "CJK" in path:
                font_manager.fontManager.addfont(path)
        family = known()
    return family


def _bar_chart(title, labels, series) -> bytes:
    out = io.BytesIO()
    bar_figure(title, labels, series).savefig(out, format="png")
    return out.getvalue()


def bar_figure(title, labels, series):
    """Bars over `labels`, one colour per (name, values) of `series` drawn on top of
    each other (the second is a part of the first); counts, so the axis has integers."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    family = _cjk_family(font_manager)
    fig = Figure(figsize=(6.4, 3.0), dpi=150)
    ax = fig.add_subplot()
    for (name, values), color in zip(series, ("#9bb7d4", "#1f3a5f"), strict=False):
        ax.bar(labels, values, color=color, label=name)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_title(title, fontfamily=family)
    for tick in ax.get_xticklabels():
        tick.set_fontfamily(family)
        if len(labels) > 6:
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    ax.legend(frameon=False, prop={"family": family})
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _chart(data) -> bytes:
    return _bar_chart(
        "各整治内容问题及整改情况",
        [a[0] for a in data["areas"]],
        [("问题数", [a[1] for a in data["areas"]]), ("已销号", [a[2] for a in data["areas"]])],
    )


def _rule_name(rule_id: str) -> str:
    """A rule id with its Chinese title: "PROC-02 未在法定期限内作出处罚决定"."""
    from jiandu.monitoring.rules import get_rule

    rule = get_rule(rule_id)
    return f"{rule_id} {rule.title}" if rule else rule_id


def _day(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _section(heading, *paragraphs, level=1, table=None):
    return {"heading": heading, "level": level, "paragraphs": list(paragraphs), "table": table}


def context(data) -> dict:
    """The 公文 context of the report (gongwen kind `campaign_summary`)."""
    from jiandu.documents.gongwen.kinds import issuer

    c = data["campaign"]
    lead = c.lead_unit.name.replace("司法局", "") if c.lead_unit else ""
    phases = "；".join(
        f"{p.get_kind_display()}{_day(p.start)}至{_day(p.end)}" for p in c.phases.all()
    )
    sections = [
        _section(
            "",
            f"（截至{_day(data['today'])}，数据由系统自动生成）",
        ),
        _section(
            "一、基本情况",
            f"专项行动由{c.lead_unit}牵头（{c.doc_no or '文号未填'}），分四个阶段推进：{phases}。"
            f"全县应填报自查表单位 {data['units']} 家，已上报 {data['submitted']} 家"
            f"（逾期上报 {data['late']} 家），未上报 {data['not_submitted']} 家，"
            f"已接收 {data['accepted']} 家。",
        ),
    ]
    sources = "，".join(f"{label} {n} 个" for label, n in data["sources"] if n)
    visits, reviews = data["visits"], data["reviews"]
    R = CaseFileReview.Grade
    sections += [
        _section(
            "二、问题查摆情况",
            f"共查摆问题 {data['total']} 个，其中{sources or '暂无'}。",
        ),
        _section(
            "（一）监督检查和案卷评查",
            f"开展监督检查 {visits.get(SupervisionVisit.State.DONE, 0)} 次"
            f"（另有计划中 {visits.get(SupervisionVisit.State.PLANNED, 0)} 次），"
            f"覆盖 {data['visited_units']} 个单位；评查案卷 {sum(reviews.values())} 卷，"
            f"其中优秀 {reviews.get(R.EXCELLENT, 0)} 卷、合格 {reviews.get(R.PASS, 0)} 卷、"
            f"不合格 {reviews.get(R.FAIL, 0)} 卷。",
            level=2,
        ),
        _section(
            "（二）问题分布",
            "按整治内容分布如下：",
            level=2,
            table={
                "header": ["整治内容", "问题数", "已销号", "整改完成率"],
                "rows": [
                    (name, n, closed, rate_text(rate)) for name, n, closed, rate in data["areas"]
                ],
            },
        ),
    ]
    if data["total"]:
        sections.append(_section("", {"image": _chart(data), "width_mm": 150}))
    sections.append(
        _section(
            "三、整改落实情况",
            f"已销号 {data['closed']} 个，整改完成率 {rate_text(data['rate'])}；"
            f"逾期未完成 {data['overdue']} 个，发出督办 {data['escalations']} 次。各单位整改情况：",
            table={
                "header": ["单位", "问题数", "已销号", "逾期", "完成率"],
                "rows": [
                    (r["unit__name"], r["total"], r["closed"], r["overdue"], rate_text(r["rate"]))
                    for r in data["per_unit"]
                ],
            },
        )
    )
    alerts, states = data["alerts"], data["alerts"]["by_state"]
    sections.append(
        _section(
            "四、执法数据预警情况",
            f"监测规则共产生预警 {alerts['total']} 条，其中已确认 {states.get(Alert.State.CONFIRMED, 0)} 条、"
            f"已排除 {states.get(Alert.State.DISMISSED, 0)} 条、"
            f"移交纪委 {states.get(Alert.State.TRANSFERRED, 0)} 条、"
            f"已消除 {states.get(Alert.State.RESOLVED, 0)} 条。",
            table={
                "header": ["预警规则", "预警数"],
                "rows": [(_rule_name(r["rule"]), r["n"]) for r in alerts["by_rule"]],
            }
            if alerts["by_rule"]
            else None,
        )
    )
    cp = data["complaints"]
    accepted = data["acceptance"]
    A = UnitAcceptance.State
    sections += [
        _section(
            "五、举报投诉办理情况",
            f"举报曝光平台共收到举报 {cp['total']} 件，已受理 {cp['accepted']} 件，"
            f"已办结 {cp['closed']} 件。",
        ),
        _section(
            "六、总结验收情况",
            f"对 {sum(accepted.values())} 个单位组织整改验收，验收通过 {accepted.get(A.PASSED, 0)} 个、"
            f"验收不通过 {accepted.get(A.FAILED, 0)} 个、待验收 {accepted.get(A.PENDING, 0)} 个。",
        ),
        _section(
            "七、典型案例与经验做法",
            *(
                [f"（{title}）{summary}" for title, summary in data["showcases"]]
                or ["尚未评选最佳案例、最佳实践。"]
            ),
        ),
    ]
    weakest = sorted((r for r in data["per_unit"] if r["total"]), key=lambda r: r["rate"])[:3]
    if weakest:
        names = "、".join(f"{r['unit__name']}（{rate_text(r['rate'])}）" for r in weakest)
        nxt = f"对整改完成率较低的{names}加强督促，逾期问题逐一督办，整改到位后组织验收销号。"
    else:
        nxt = "持续巩固专项行动成果，建立常态化执法监督机制。"
    sections.append(_section("八、下一步工作", nxt))
    office = c.lead_unit.name if c.lead_unit else issuer()
    return {
        "title": f"{lead}“{c.title}”专项行动工作总结",
        "body_sections": sections,
        "signer": office,
        "date": data["today"],
    }


def render_docx(data, number: str = "") -> bytes:
    """The report as a 公文 (.docx); without a 文号 it is the draft the page downloads."""
    from jiandu.documents import gongwen

    return gongwen.render("campaign_summary", {**context(data), "number": number})
