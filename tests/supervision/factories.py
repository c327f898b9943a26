"""Building blocks of the instrument tests: a drafted instrument, an overdue one
escalated, a 约谈 with placeholder people. Each takes keyword overrides for what the
test is about."""

from datetime import timedelta

from jiandu.supervision import actions
from jiandu.supervision.models import Instrument


def draft(personas, units, area, **extra):
    fields = {
        "kind": Instrument.Kind.SUPERVISION_LETTER,
        "unit": units["a"],
        "title": "未按规定公示行政执法信息",
        "facts": "经查，甲镇2026年第三季度作出的12件行政处罚决定未在7个工作日内公示。",
        "basis": "《中华人民共和国行政处罚法》第四十八条",
        "required_action": "补充公示12件处罚决定\n建立公示台账",
        "focus_area": area,
    }
    fields.update(extra)
    return actions.draft_instrument(actor=personas["supervisor"], **fields)


def escalate_late(issued, personas):
    """The supervisor escalates an issued instrument the day after its reply deadline."""
    return actions.escalate_instrument(
        issued,
        actor=personas["supervisor"],
        facts="逾期",
        proposal="建议",
        today=issued.deadline + timedelta(days=1),
    )


def interview(action, actor, units, held_at, **extra):
    """`action` (record_interview or schedule_interview) by `actor` about unit A at
    `held_at`, with placeholder people; `extra` adds or overrides fields."""
    fields = {"unit": units["a"], "held_at": held_at, "interviewers": "x", "attendees": "y"}
    return action(actor=actor, **(fields | extra))
