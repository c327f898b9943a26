"""案卷评查: the default rubric (data) and the pure scoring rule. No ORM here.

The items follow the plan's focus on 行政执法三项制度 and procedure. An item marked
`veto` makes the file 不合格 when it scores 0, whatever the total: a penalty decided by
a body without the power to decide it cannot be saved by tidy paperwork."""

from dataclasses import dataclass

DEFAULT_RUBRIC = [
    {
        "code": "subject",
        "name": "主体合法",
        "max": 10,
        "veto": True,
        "hint": "执法主体适格，执法人员持证，未超越职权",
    },
    {
        "code": "facts",
        "name": "事实清楚、证据确凿",
        "max": 20,
        "veto": False,
        "hint": "违法事实认定清楚，证据合法、充分、相互印证",
    },
    {
        "code": "law",
        "name": "适用法律和裁量基准正确",
        "max": 20,
        "veto": False,
        "hint": "定性准确，适用条款正确，按裁量基准确定处罚，说明裁量理由",
    },
    {
        "code": "procedure",
        "name": "程序合法（告知、听证、法制审核、集体讨论）",
        "max": 20,
        "veto": False,
        "hint": "事先告知、听证告知，重大决定经法制审核和集体讨论",
    },
    {
        "code": "documents",
        "name": "文书规范",
        "max": 10,
        "veto": False,
        "hint": "文书格式统一、要素齐全、签章完整",
    },
    {
        "code": "service",
        "name": "送达和公示",
        "max": 10,
        "veto": False,
        "hint": "依法送达，按期公示处罚决定",
    },
    {
        "code": "records",
        "name": "全过程记录和归档",
        "max": 10,
        "veto": False,
        "hint": "文字、音像记录完整，按期立卷归档",
    },
]

EXCELLENT_FROM = 90
PASS_FROM = 70

EXCELLENT, PASS, FAIL = "excellent", "pass", "fail"


@dataclass(frozen=True)
class Scored:
    total: int
    grade: str
    errors: dict  # item code -> Chinese message
    vetoed: tuple = ()


def grade_for(total: int, vetoed: bool = False) -> str:
    if vetoed or total < PASS_FROM:
        return FAIL
    return EXCELLENT if total >= EXCELLENT_FROM else PASS


def score(rubric: list[dict], scores: dict) -> Scored:
    """Validate the points given per item (whole numbers from 0 to the item's maximum,
    every item scored) and derive the total and the grade."""
    errors, total, vetoed = {}, 0, []
    for item in rubric:
        raw = scores.get(item["code"])
        if raw is None or raw == "":
            errors[item["code"]] = f"请为“{item['name']}”打分。"
            continue
        try:
            points = int(raw)
        except (TypeError, ValueError):
            errors[item["code"]] = f"“{item['name']}”的得分应为整数。"
            continue
        if str(raw).strip() != str(points) and not isinstance(raw, int):
            errors[item["code"]] = f"“{item['name']}”的得分应为整数。"
            continue
        if not 0 <= points <= item["max"]:
            errors[item["code"]] = f"“{item['name']}”的得分应在 0 至 {item['max']} 分之间。"
            continue
        total += points
        if item.get("veto") and points == 0:
            vetoed.append(item["code"])
    return Scored(total, grade_for(total, bool(vetoed)), errors, tuple(vetoed))


def lost_points(rubric: list[dict], scores: dict) -> list[str]:
    """The items where points were lost, for a problem's description."""
    out = []
    for item in rubric:
        points = scores.get(item["code"])
        if points is not None and int(points) < item["max"]:
            out.append(f"{item['name']}（扣{item['max'] - int(points)}分）")
    return out
