from datetime import date

from jiandu.enforcement.models import PenaltyCase
from jiandu.lib import uscc

USCC = uscc.make("91330000MA2ABCDE1")


def penalty_case(unit, **kw):
    fields = {
        "case_no": "甲市监罚〔2025〕12号",
        "party_name": "某某食品有限公司",
        "party_type": "legal",
        "party_uscc": USCC,
        "violation_code": "SC-001",
        "violation_name": "经营超过保质期的食品",
        "filed_on": date(2025, 6, 2),
        "decided_on": date(2025, 8, 1),
        "served_on": date(2025, 8, 4),
        "penalty_kinds": ";罚款;",
        "fine": 5000,
    }
    fields.update(kw)
    return PenaltyCase.objects.create(unit=unit, **fields)
