"""The 月度/季度通报 to the leadership: the statistics page's figures (the same
`unit_stats` metrics, nothing counted again) written as a 公文 through the engine
(documents.gongwen, kind `periodic_report`), issued with its 文号."""

from datetime import date

from jiandu.dashboard.unit_stats import Figures
from jiandu.ledger.figures import rate_text

# (metric key, column title, width in mm) of the per-unit table; 156 mm of type area.
COLUMNS = [
    ("cases_decided", "处罚决定", 16),
    ("inspections", "行政检查", 16),
    ("inspections_late", "未按时登记", 18),
    ("problems_opened", "新增问题", 16),
    ("problems_closed", "销号", 12),
    ("problems_late", "逾期", 12),
    ("problems_rate", "按时整改率", 18),
]
NAME_WIDTH = 156 - sum(width for _k, _t, width in COLUMNS) - 10


def _num(value) -> str:
    return f"{value:,.2f}" if hasattr(value, "as_tuple") else str(value)


def _compare(line) -> str:
    if line.get("rate"):
        return f"{rate_text(line['now'])}（上期{rate_text(line['before'])}）"
    now, before = _num(line["now"]), _num(line["before"])
    if not line["delta"]:
        return f"{now}（与上期持平）"
    direction = "增加" if line["delta"] > 0 else "减少"
    pct = f"，{abs(line['pct'])}%" if line["pct"] is not None else ""
    return f"{now}（上期{before}，{direction}{_num(abs(line['delta']))}{pct}）"


def _cell(row, key) -> str:
    value = row[key]
    return rate_text(value) if key.endswith("_rate") else _num(value)


def context(current: Figures, lines: list[dict], today: date) -> dict:
    period = current.period
    by_key = {line["key"]: line for line in lines}
    t = current.totals

    overview = [
        f"{period.label}（{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}），全县行政执法"
        f"单位立案{_compare(by_key['cases_filed'])}件，作出处罚决定{_compare(by_key['cases_decided'])}件，"
        f"罚款金额{_compare(by_key['fines'])}元，不予处罚{_compare(by_key['lenient'])}件；"
        f"开展涉企行政检查{_compare(by_key['inspections'])}次，其中未按时登记备案"
        f"{_compare(by_key['inspections_late'])}次。",
        f"平台新增监督预警{_compare(by_key['alerts_raised'])}条，确认{t['alerts_confirmed']}条、"
        f"排除{t['alerts_dismissed']}条。整改台账新增问题{_compare(by_key['problems_opened'])}个，"
        f"销号{_compare(by_key['problems_closed'])}个；本期到期问题{t['problems_due']}个，"
        f"按时销号{t['problems_on_time']}个，按时整改率{_compare(by_key['problems_rate'])}。",
        f"收到投诉举报并交办{_compare(by_key['complaints_received'])}件，办结"
        f"{t['complaints_concluded']}件，其中按时办结{t['complaints_on_time']}件，按时办结率"
        f"{rate_text(t['complaints_rate'])}。",
    ]
    ranked = sorted(
        (r for r in current.rows if r["rank"] is not None), key=lambda r: (r["rank"], r["code"])
    )
    good = [r["name"] for r in ranked if r["problems_rate"] == 100.0]
    late = sorted(
        (r for r in current.rows if r["problems_late"]),
        key=lambda r: (-r["problems_late"], r["code"]),
    )
    late_registration = [r for r in current.rows if r["inspections_late"]]
    findings = []
    if good:
        findings.append(f"本期到期问题全部按时整改销号的单位：{'、'.join(good)}。")
    if late:
        findings.append(
            "存在逾期未整改问题的单位："
            + "、".join(f"{r['name']}（{r['problems_late']}个）" for r in late)
            + "。请相关单位对照整改台账，逐项明确措施和责任人，限期销号。"
        )
    if late_registration:
        findings.append(
            "涉企检查未按时登记备案的单位："
            + "、".join(f"{r['name']}（{r['inspections_late']}次）" for r in late_registration)
            + "。检查应当在实施当日登记备案，请严格执行“亮码检查”规定。"
        )
    if not findings:
        findings.append("本期未发现逾期整改和检查未登记问题。")
    table = {
        "header": ["单位", *(title for _k, title, _w in COLUMNS)],
        "rows": [
            [r["name"], *(_cell(r, key) for key, _t, _w in COLUMNS)]
            for r in sorted(
                current.rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"])
            )
        ]
        + [["合计", *(_cell(t, key) for key, _t, _w in COLUMNS)]],
        "widths_mm": [NAME_WIDTH, *(w for _k, _t, w in COLUMNS)],
    }
    return {
        "title": f"关于{period.label}行政执法监督情况的通报",
        "recipient": "县人民政府，县纪委监委，各乡镇人民政府，县政府各部门",
        "date": today,
        "body_sections": [
            {
                "paragraphs": [
                    f"现将{period.label}全县行政执法监督有关情况通报如下（数据来自行政执法监督平台，"
                    f"统计截至{today:%Y年%m月%d日}）。"
                ]
            },
            {"heading": "一、总体情况", "level": 1, "paragraphs": overview},
            {
                "heading": "二、各单位情况",
                "level": 1,
                "paragraphs": ["各单位按按时整改率排名（本期无到期问题的单位列后）。"],
                "table": table,
            },
            {"heading": "三、存在的问题", "level": 1, "paragraphs": findings},
            {
                "heading": "四、下步工作要求",
                "level": 1,
                "paragraphs": [
                    "各单位要对照本通报，认真梳理本单位存在的问题，按期完成整改并在平台上传佐证材料。"
                    "县司法局将会同县纪委监委对逾期未整改、整改不到位的单位进行督办，情节严重的"
                    "依规移送问题线索。",
                ],
            },
        ],
        "cc": ["县委依法治县办"],
        "period": period.label,
    }
