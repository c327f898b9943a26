"""The campaign's summary report (总结报告): every figure is read from the data
(self-check reports, the ledger, alerts, complaints); nothing is typed in by hand."""

import io
from datetime import date

from django.db.models import Count
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jiandu.acceptance.models import Showcase
from jiandu.campaigns.models import Campaign
from jiandu.ledger.figures import rate_text
from jiandu.ledger.models import Escalation, Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea, Unit
from jiandu.portal.models import Complaint
from jiandu.selfcheck.models import SelfCheckReport

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


def _chart(data) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    family = _cjk_family(font_manager)
    if family:
        plt.rcParams["font.family"] = family
    labels = [a[0] for a in data["areas"]]
    totals = [a[1] for a in data["areas"]]
    closed = [a[2] for a in data["areas"]]
    fig, ax = plt.subplots(figsize=(6.4, 3.0), dpi=150)
    ax.bar(labels, totals, color="#9bb7d4", label="问题数")
    ax.bar(labels, closed, color="#1f3a5f", label="已销号")
    ax.set_title("各整治内容问题及整改情况")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def _font(run, size=None, bold=None):
    run.font.name = CJK_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _para(doc, text, size=12, bold=False, align=None):
    p = doc.add_paragraph()
    _font(p.add_run(text), size, bold)
    if align:
        p.alignment = align
    return p


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), 10.5, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(value)), 10.5)
    return table


def render_docx(data) -> bytes:
    c = data["campaign"]
    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.6)
    lead = c.lead_unit.name.replace("司法局", "") if c.lead_unit else ""
    _para(doc, f"{lead}“{c.title}”专项行动工作总结", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        f"（截至{data['today'].year}年{data['today'].month}月{data['today'].day}日，数据由系统自动生成）",
        11,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )

    _para(doc, "一、基本情况", 14, True)
    phases = "；".join(
        f"{p.get_kind_display()}{p.start:%Y年%m月%d日}至{p.end:%Y年%m月%d日}"
        for p in c.phases.all()
    )
    _para(
        doc,
        f"专项行动由{c.lead_unit}牵头（{c.doc_no or '文号未填'}），分四个阶段推进：{phases}。"
        f"全县应填报自查表单位 {data['units']} 家，已上报 {data['submitted']} 家"
        f"（逾期上报 {data['late']} 家），未上报 {data['not_submitted']} 家，已接收 {data['accepted']} 家。",
    )

    _para(doc, "二、问题查摆情况", 14, True)
    sources = "，".join(f"{label} {n} 个" for label, n in data["sources"] if n)
    _para(doc, f"共查摆问题 {data['total']} 个，其中{sources or '暂无'}。按整治内容分布如下：")
    _table(
        doc,
        ["整治内容", "问题数", "已销号", "整改完成率"],
        [(name, n, closed, rate_text(rate)) for name, n, closed, rate in data["areas"]],
    )
    if data["total"]:
        doc.add_picture(io.BytesIO(_chart(data)), width=Cm(15))

    _para(doc, "三、整改落实情况", 14, True)
    _para(
        doc,
        f"已销号 {data['closed']} 个，整改完成率 {rate_text(data['rate'])}；逾期未完成 {data['overdue']} 个，"
        f"发出督办 {data['escalations']} 次。各单位整改情况：",
    )
    _table(
        doc,
        ["单位", "问题数", "已销号", "逾期", "完成率"],
        [
            (r["unit__name"], r["total"], r["closed"], r["overdue"], rate_text(r["rate"]))
            for r in data["per_unit"]
        ],
    )

    _para(doc, "四、执法数据预警情况", 14, True)
    alerts, states = data["alerts"], data["alerts"]["by_state"]
    _para(
        doc,
        f"监测规则共产生预警 {alerts['total']} 条，其中已确认 {states.get(Alert.State.CONFIRMED, 0)} 条、"
        f"已排除 {states.get(Alert.State.DISMISSED, 0)} 条、"
        f"移交纪委 {states.get(Alert.State.TRANSFERRED, 0)} 条、"
        f"已消除 {states.get(Alert.State.RESOLVED, 0)} 条。",
    )
    if alerts["by_rule"]:
        _table(doc, ["规则", "预警数"], [(r["rule"], r["n"]) for r in alerts["by_rule"]])
    cp = data["complaints"]
    _para(doc, "五、举报投诉办理情况", 14, True)
    _para(
        doc,
        f"举报曝光平台共收到举报 {cp['total']} 件，已受理 {cp['accepted']} 件，已办结 {cp['closed']} 件。",
    )
    _para(doc, "六、典型案例与经验做法", 14, True)
    if data["showcases"]:
        for title, summary in data["showcases"]:
            _para(doc, f"（{title}）{summary}")
    else:
        _para(doc, "尚未评选最佳案例、最佳实践。")
    _para(doc, "七、下一步工作", 14, True)
    weakest = sorted((r for r in data["per_unit"] if r["total"]), key=lambda r: r["rate"])[:3]
    if weakest:
        names = "、".join(f"{r['unit__name']}（{rate_text(r['rate'])}）" for r in weakest)
        _para(doc, f"对整改完成率较低的{names}加强督促，逾期问题逐一督办，整改到位后组织验收销号。")
    else:
        _para(doc, "持续巩固专项行动成果，建立常态化执法监督机制。")

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
