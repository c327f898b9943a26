"""Self-check reports filled and signed off through the real actions."""

from datetime import timedelta

from django.utils import timezone

from jiandu.selfcheck import actions


def answer_all(report, actor, problems=None, today=None):
    """Answer every item 无此问题, except the item orders in `problems` (fully described)."""
    today = today or timezone.localdate()
    problems = problems or {}
    values = {}
    for answer in report.answers.select_related("item"):
        if answer.item.order in problems:
            values[answer.pk] = {
                "has_problem": True,
                "description": f"第{answer.item.order}项问题描述",
                "cause": "制度执行不到位",
                "measures": "修订制度并组织培训",
                "deadline": today + timedelta(days=30),
                "responsible_person": "张三",
                **problems[answer.item.order],
            }
        else:
            values[answer.pk] = {"has_problem": False}
    actions.save_answers(report, actor=actor, answers=values)
    return report


def submitted(report, personas, problems=None):
    """Fill and sign off unit A's report."""
    answer_all(report, personas["clerk_a"], problems)
    actions.request_signoff(report, actor=personas["clerk_a"])
    actions.submit_report(report, actor=personas["leader_a"])
    return report
